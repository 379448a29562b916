//! How CMS-1500 values are written and what the pages around them print: identifiers, names and
//! addresses as NUCC asks, ZIP+4, long text shortened the USPS way with a warning in `render`
//! and `batch`, the replica's copy line and item 33's phone, the alignment page's how-to.

use crate::claims::{Run, at_field, edit, only_claim, pages, render_claim};
use crate::util::{AS_OF, Practice, example, files_under, run, run_at};
use claimwright::render::cms1500;
use claimwright::render::pdf::PAGE_HEIGHT;
use std::path::Path;

/// The runs of the first page of the one claim PDF under `out`.
fn first_page(out: &Path) -> Vec<Run> {
    pages(&std::fs::read(only_claim(out)).unwrap()).remove(0)
}

#[test]
fn identifiers_names_and_addresses_print_as_nucc_asks() {
    let root = example("harbor-street");
    let out = tempfile::tempdir().unwrap();
    render_claim(&root, "ellen-hartley", out.path(), &[]).expect_code(0);
    let files = files_under(&out.path().join("claim"));
    let first = &pages(&std::fs::read(out.path().join("claim").join(&files[0])).unwrap())[0];
    let expect = |id: &str, value: &str| {
        assert_eq!(at_field(first, id), Some(value), "field {id}");
    };
    // NSH902114473-02, GCDC-1187, NS-PA-8841207 and ellen-hartley, without hyphens.
    expect("1a", "NSH90211447302");
    expect("11", "GCDC1187");
    expect("23", "NSPA8841207");
    expect("26", "ELLENHARTLEY");
    // 410 Harbor St, Suite 2 / Portland, ME 04101-3219: no punctuation, ZIP+4 as nine digits.
    expect("32_street", "410 HARBOR ST SUITE 2");
    expect("33_street", "410 HARBOR ST SUITE 2");
    expect("32_city_state_zip", "PORTLAND ME 041013219");
    expect("33_city_state_zip", "PORTLAND ME 041013219");
    expect("carrier_city_state_zip", "HARTFORD CT 06150");
    // Names keep the one comma NUCC asks for, between the last and the first name.
    expect("2", "HARTLEY, ELLEN");
    for id in ["1a", "11", "23", "26"] {
        let value = at_field(first, id).unwrap_or_default();
        assert!(!value.contains(['-', ' ']), "{id}: {value}");
    }
    for id in [
        "5_street",
        "5_city",
        "7_street",
        "32_name",
        "33_name",
        "33_street",
    ] {
        let value = at_field(first, id).unwrap_or_default();
        assert!(
            value.chars().all(|c| c.is_ascii_alphanumeric() || c == ' '),
            "{id}: {value}"
        );
    }

    // 91 Congress St, Apt 4 and O'Brien.
    let out = tempfile::tempdir().unwrap();
    render_claim(&root, "david-nguyen", out.path(), &[]).expect_code(0);
    let files = files_under(&out.path().join("claim"));
    let first = &pages(&std::fs::read(out.path().join("claim").join(&files[0])).unwrap())[0];
    assert_eq!(at_field(first, "5_street"), Some("91 CONGRESS ST APT 4"));
    assert_eq!(at_field(first, "11"), Some("PTECH0412"));
    let out = tempfile::tempdir().unwrap();
    render_claim(&root, "liam-obrien", out.path(), &[]).expect_code(0);
    let files = files_under(&out.path().join("claim"));
    let first = &pages(&std::fs::read(out.path().join("claim").join(&files[0])).unwrap())[0];
    assert_eq!(at_field(first, "2"), Some("OBRIEN, LIAM"));
}

#[test]
fn a_patient_zip_plus_4_prints_as_nine_digits() {
    let p = Practice::copy_from(&example("harbor-street"));
    edit(
        &p,
        "patients/nora-pelletier.yaml",
        &[("zip: \"04102\"", "zip: \"04102-1187\"")],
    );
    let out = tempfile::tempdir().unwrap();
    render_claim(&p.root, "nora-pelletier", out.path(), &[]).expect_code(0);
    let first = first_page(out.path());
    assert_eq!(at_field(&first, "5_zip"), Some("041021187"));
    assert_eq!(at_field(&first, "7_zip"), Some("041021187"));
}

#[test]
fn a_long_street_is_shortened_the_usps_way_and_said_so_in_render_and_batch() {
    let p = Practice::copy_from(&example("harbor-street"));
    edit(
        &p,
        "patients/david-nguyen.yaml",
        &[(
            "street: \"91 Congress St, Apt 4\"",
            "street: \"1200 Commonwealth Avenue, Apartment 12\"",
        )],
    );
    let out = tempfile::tempdir().unwrap();
    let r = render_claim(&p.root, "david-nguyen", out.path(), &[]);
    r.expect_code(0);
    let files = files_under(&out.path().join("claim"));
    let first = &pages(&std::fs::read(out.path().join("claim").join(&files[0])).unwrap())[0];
    // 37 characters in a box of 28 (item 5) and 29 (item 7): Avenue as AVE, Apartment as APT.
    assert_eq!(
        at_field(first, "5_street"),
        Some("1200 COMMONWEALTH AVE APT 12")
    );
    assert_eq!(
        at_field(first, "7_street"),
        Some("1200 COMMONWEALTH AVE APT 12")
    );
    let file = "patients/david-nguyen.yaml";
    for item in ["item 5:", "item 7:"] {
        let said = r.stderr.lines().any(|l| {
            l.starts_with(file)
                && l.contains("warning claim.value_shortened")
                && l.contains(item)
                && l.contains("street address was shortened")
                && l.contains("USPS abbreviations")
        });
        assert!(said, "{item}\n{}", r.stderr);
    }
    assert!(!r.stderr.contains("Commonwealth"), "{}", r.stderr);
    assert!(
        !r.stderr.to_uppercase().contains("COMMONWEALTH"),
        "{}",
        r.stderr
    );

    let out = tempfile::tempdir().unwrap();
    let r = run_at(&p.root, out.path(), AS_OF, &["batch", "--month", "2026-11"]);
    r.expect_code(0);
    let section = r
        .stdout
        .split("\n\n")
        .find(|s| s.starts_with("shortened to fit the form: claim david-nguyen"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(
        section.contains("item 5:") && section.contains("item 7:"),
        "{section}"
    );
    assert!(
        !section.to_uppercase().contains("COMMONWEALTH"),
        "{section}"
    );
}

#[test]
fn the_replica_says_it_is_a_copy_and_keeps_the_phone_in_its_parentheses() {
    let out = tempfile::tempdir().unwrap();
    let root = example("harbor-street");
    render_claim(&root, "nora-pelletier", out.path(), &["--mode", "replica"]).expect_code(0);
    let replica = first_page(out.path());
    let notice = replica
        .iter()
        .find(|r| r.text == "COPY - NOT FOR OCR SUBMISSION")
        .unwrap_or_else(|| panic!("no copy notice: {replica:?}"));
    // In the bottom margin, below the form's last rule (756 pt down the sheet).
    assert!(notice.y < PAGE_HEIGHT - 756.0, "{notice:?}");
    // Item 33: the area code between the form's parentheses, the number after them.
    let area = at_field(&replica, "33_phone_area").expect("33 area code");
    assert_eq!(area, "207");
    let g = cms1500::grid();
    let line_y = PAGE_HEIGHT - cms1500::baseline_from_top(59);
    let near = |text: &str| {
        replica
            .iter()
            .find(|r| r.text == text && (r.y - line_y).abs() < 3.0 && r.x > 400.0)
            .map(|r| r.x)
            .unwrap_or_else(|| panic!("no {text} on line 59"))
    };
    let column = |id: &str| g.get(id).map(|f| f.column).expect(id);
    let area_left = cms1500::column_x(column("33_phone_area"));
    let area_right = area_left + 3.0 * cms1500::COLUMN_PITCH;
    assert!(near("(") + 3.0 < area_left, "( before the area code");
    assert!(near(")") >= area_right, ") after the area code");
    assert!(near(")") + 4.0 < cms1500::column_x(column("33_phone")));
    // Item 26 stops a column before the rule of item 27.
    let account = g.get("26").expect("26");
    assert!(account.last_column() + 2 < column("27_yes"));

    render_claim(&root, "nora-pelletier", out.path(), &["--force"]).expect_code(0);
    let files = files_under(&out.path().join("claim"));
    let overlay = files.iter().find(|f| !f.contains("replica")).unwrap();
    let runs = pages(&std::fs::read(out.path().join("claim").join(overlay)).unwrap());
    assert!(!runs[0].iter().any(|r| r.text.contains("COPY")));
}

#[test]
fn the_alignment_page_says_how_to_align_the_printer() {
    let out = tempfile::tempdir().unwrap();
    let root = example("harbor-street");
    let r = run(&[
        "render",
        "claim",
        "--alignment",
        "-C",
        root.to_str().unwrap(),
        "--out",
        out.path().to_str().unwrap(),
    ]);
    r.expect_code(0);
    let bytes = std::fs::read(out.path().join("claim/alignment.pdf")).unwrap();
    let page = &pages(&bytes)[0];
    let text: String = page
        .iter()
        .map(|r| r.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    for words in [
        "TO ALIGN",
        "red CMS-1500",
        "Hold it to the light",
        "Measure",
        "practice.yaml",
        "offset_x_inches",
        "offset_y_inches",
        "X OFFSET +0.00 IN  Y OFFSET +0.00 IN",
    ] {
        assert!(text.contains(words), "{words}:\n{text}");
    }
    // Inch marks of both rulers, and labels that say what goes where.
    for inch in ["1", "5", "8", "10"] {
        assert!(page.iter().any(|r| r.text == inch), "ruler mark {inch}");
    }
    assert_eq!(at_field(page, "1a"), Some("1A INSUREDS ID NUMBER________"));
    assert_eq!(at_field(page, "3_dob"), Some("MM DD YYYY"));
}
