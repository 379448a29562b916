//! New ICD-10-CM editions without a new release: a CMS order file in the practice's
//! `codes/` folder serves dates of service in its fiscal year.

use crate::util::{Practice, example, validate_json};

/// A CMS order file line: order number, code padded to 7, billable flag, short and long title.
fn order_line(n: usize, code: &str, billable: bool, title: &str) -> String {
    format!(
        "{n:05} {code:<7} {} {:<60} {title}\r\n",
        u8::from(billable),
        title.chars().take(60).collect::<String>()
    )
}

/// The FY2026 table as an FY2027 order file, with FY2027's plantar fasciitis codes added and
/// M72.2 turned into a category, as the October 2026 update did.
fn fy2027_order_file() -> String {
    let fy2026 =
        std::fs::read_to_string(crate::util::project_root().join("data/icd10cm/fy2026.tsv"))
            .unwrap();
    let mut rows: Vec<(String, bool, String)> = fy2026
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            let mut parts = l.split('\t');
            let code = parts.next().unwrap().to_string();
            let billable = parts.next() == Some("1");
            let title = parts.next().unwrap_or("").to_string();
            (code, billable, title)
        })
        .collect();
    for row in rows.iter_mut().filter(|r| r.0 == "M722") {
        row.1 = false;
    }
    for (code, billable, title) in [
        ("M67A", false, "Plantar fasciitis"),
        ("M67A0", false, "Plantar fasciitis, foot"),
        ("M67A01", true, "Plantar fasciitis, right foot"),
        ("M67A02", true, "Plantar fasciitis, left foot"),
        (
            "M7220",
            true,
            "Plantar fascial fibromatosis, unspecified foot",
        ),
    ] {
        rows.push((code.to_string(), billable, title.to_string()));
    }
    rows.sort();
    rows.iter()
        .enumerate()
        .map(|(i, (c, b, t))| order_line(i + 1, c, *b, t))
        .collect()
}

/// The example practice with one session coded with a code new in FY2027.
fn practice_with_new_code() -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-02-margaret-walsh.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    p.write(
        file,
        text.replace(
            "diagnoses: [M54.50, M62.830]",
            "diagnoses: [M54.50, M67.A01]",
        ),
    );
    p
}

#[test]
fn without_the_new_edition_one_warning_names_the_file_to_add() {
    let p = practice_with_new_code();
    let report = validate_json(&p.root, &[]).report();
    let warnings = report.with_code("icd10.edition_unavailable");
    assert_eq!(warnings.len(), 1, "{}", report.listing());
    assert!(
        warnings[0].message.contains("codes/icd10cm_order_2027.txt"),
        "{}",
        warnings[0]
    );
    let unknown = report.with_code("icd10.unknown");
    assert_eq!(unknown.len(), 1, "{}", report.listing());
    assert_eq!(unknown[0].field.as_deref(), Some("diagnoses[1]"));
}

#[test]
fn the_order_file_serves_its_fiscal_year() {
    let p = practice_with_new_code();
    p.write("codes/icd10cm_order_2027.txt", fy2027_order_file());
    // A code that became a category in FY2027 is no longer billable for November 2026.
    let file = "sessions/2026-11/2026-11-05-margaret-walsh.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    let edited = text.replacen("diagnoses: [", "diagnoses: [M72.2, ", 1);
    assert_ne!(text, edited);
    p.write(file, edited);
    let run = validate_json(&p.root, &[]);
    let report = run.report();
    assert!(
        report.with_code("icd10.edition_unavailable").is_empty(),
        "{}",
        report.listing()
    );
    assert!(
        report.with_code("icd10.unknown").is_empty(),
        "{}",
        report.listing()
    );
    let header = report.with_code("icd10.not_billable");
    assert_eq!(header.len(), 1, "{}", report.listing());
    assert_eq!(header[0].file, file);
    assert!(header[0].message.contains("M72.20"), "{}", header[0]);
}
