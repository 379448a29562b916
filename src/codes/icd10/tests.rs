//! Tests of ICD-10-CM lookups: the embedded tables, normalizing, retired codes, headers, near
//! matches, fiscal years and editions added from CMS order files.

use super::retired::DELETED;
use super::suggest::MAX_NEAR;
use super::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

/// Every embedded table is a `#` line then strictly increasing, well-shaped rows; the lookup
/// code relies on it.
#[test]
fn embedded_tables_are_well_formed() {
    for (name, text, columns) in [
        ("fy2025", FY2025, 4),
        ("fy2026", FY2026, 4),
        ("deleted", DELETED, 4),
    ] {
        assert!(text.starts_with('#'), "{name}: header line");
        assert!(text.is_ascii(), "{name}: ASCII");
        assert!(!text.contains('\r'), "{name}: LF line ends");
        let mut previous = "";
        for line in skip_header(text).lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), columns, "{name}: {line}");
            assert_eq!(
                normalize(fields[0]).as_deref(),
                Some(fields[0]),
                "{name}: {line}"
            );
            assert!(
                previous < fields[0],
                "{name}: {previous} before {}",
                fields[0]
            );
            previous = fields[0];
            if name != "deleted" {
                assert!(fields[1] == "0" || fields[1] == "1", "{name}: {line}");
                assert!(!fields[2].is_empty(), "{name}: {line}");
                // The full title is only written when it differs from the short one.
                assert_ne!(fields[2], fields[3], "{name}: {line}");
            } else {
                let from: NaiveDate = fields[1].parse().expect("invalid_from is a date");
                let by: NaiveDate = fields[2].parse().expect("invalid_by is a date");
                assert!(from <= by, "{line}");
                assert!(
                    from >= date(2021, 10, 1) && by <= date(2025, 10, 1),
                    "{line}"
                );
                for rep in fields[3].split(',').filter(|r| !r.is_empty()) {
                    assert_eq!(normalize(rep).map(|r| with_dot(&r)).as_deref(), Some(rep));
                }
            }
        }
    }
}

#[test]
fn builtin_edition_counts() {
    let icd = Icd10::builtin();
    assert_eq!(icd.fiscal_years(), vec![2025, 2026]);
    assert_eq!(
        icd.edition_counts(2025),
        Some(EditionCounts {
            entries: 97_584,
            billable: 74_260
        })
    );
    assert_eq!(
        icd.edition_counts(2026),
        Some(EditionCounts {
            entries: 98_186,
            billable: 74_719
        })
    );
    assert_eq!(icd.edition_counts(2027), None);
}

#[test]
fn normalize_and_dots() {
    assert_eq!(normalize("M54.50").as_deref(), Some("M5450"));
    assert_eq!(normalize(" m5450 ").as_deref(), Some("M5450"));
    assert_eq!(normalize("s13.4xxa").as_deref(), Some("S134XXA"));
    assert_eq!(normalize("QA0").as_deref(), Some("QA0"));
    assert_eq!(normalize("M54").as_deref(), Some("M54"));
    for bad in [
        "",
        "M5",
        "M54.",
        "M.545",
        "M54..5",
        "M5.45",
        "5M45",
        "M54.50001",
        "M545000X",
        "M54 50",
        "M54-50",
        "Ü545",
    ] {
        assert_eq!(normalize(bad), None, "{bad:?}");
    }
    assert_eq!(with_dot("M5450"), "M54.50");
    assert_eq!(with_dot("T8579XS"), "T85.79XS");
    assert_eq!(with_dot("M54"), "M54");
    assert_eq!(with_dot("M54.50"), "M54.50");
}

#[test]
fn same_answer_with_or_without_dot() {
    let icd = Icd10::builtin();
    let day = date(2026, 3, 2);
    for (a, b) in [
        ("M54.50", "M5450"),
        ("m79.1", "M791"),
        ("T85.7XXS", "t857xxs"),
    ] {
        assert_eq!(icd.check(a, day), icd.check(b, day));
    }
    let check = icd.check("m5450", day);
    assert_eq!(
        check.status,
        Icd10Status::Billable {
            code: "M54.50".into(),
            description: "Low back pain, unspecified".into()
        }
    );
    assert_eq!(check.fiscal_year_used, 2026);
    assert!(check.edition_available);
}

#[test]
fn m54_5_is_deleted_with_its_replacements() {
    let icd = Icd10::builtin();
    let check = icd.check("M54.5", date(2026, 11, 3));
    assert_eq!(check.fiscal_year_used, 2026);
    assert!(!check.edition_available);
    assert_eq!(
        check.status,
        Icd10Status::Deleted {
            code: "M54.5".into(),
            invalid_from: date(2021, 10, 1),
            replacements: strings(&["M54.50", "M54.51", "M54.59"]),
        }
    );
    assert_eq!(
        check.status.message(),
        "M54.5 stopped being valid on 2021-10-01: use M54.50, M54.51 or M54.59"
    );
    let listed = deleted("m545").expect("M54.5 is in the retired list");
    assert_eq!(listed.invalid_from, date(2021, 10, 1));
    assert!(listed.is_exact());
    // Before it was retired the deleted list does not apply: the edition says header.
    assert!(matches!(
        icd.check("M54.5", date(2021, 9, 30)).status,
        Icd10Status::Header { .. }
    ));
}

#[test]
fn bounded_retirement_dates_read_as_a_range() {
    let icd = Icd10::builtin();
    let day = date(2026, 3, 2);
    // Split in FY2025, as the domain brief states: exact.
    assert_eq!(
        icd.check("M51.36", day).status.message(),
        "M51.36 stopped being valid on 2024-10-01: use M51.360, M51.361, M51.362 or M51.369"
    );
    // No registry edition between FY2021 and FY2025 says when C83.39 was split.
    let c83 = deleted("C83.39").expect("C83.39 is retired");
    assert!(!c83.is_exact());
    assert_eq!(
        (c83.invalid_from, c83.invalid_by),
        (date(2021, 10, 1), date(2024, 10, 1))
    );
    assert_eq!(
        icd.check("C83.39", day).status.message(),
        "C83.39 stopped being valid between 2021-10-01 and 2024-10-01: use C83.390 or C83.398"
    );
}

#[test]
fn fy2026_retirements_are_exact() {
    let icd = Icd10::builtin();
    let gone = deleted("B88.0").expect("B88.0 retired on 2025-10-01");
    assert!(gone.is_exact());
    assert_eq!(gone.invalid_from, date(2025, 10, 1));
    // Still billable in FY2025, deleted in FY2026.
    assert!(icd.check("B88.0", date(2025, 9, 30)).status.is_billable());
    assert!(matches!(
        icd.check("B88.0", date(2025, 10, 1)).status,
        Icd10Status::Deleted { .. }
    ));
}

#[test]
fn headers_list_their_billable_children() {
    let icd = Icd10::builtin();
    let day = date(2026, 1, 15);
    let status = icd.check("M79.1", day).status;
    assert_eq!(
        status,
        Icd10Status::Header {
            code: "M79.1".into(),
            description: "Myalgia".into(),
            billable_children: strings(&["M79.10", "M79.11", "M79.12", "M79.18"]),
        }
    );
    assert_eq!(
        status.message(),
        "M79.1 is a category, not a billable code: use M79.10, M79.11, M79.12 or M79.18"
    );
    for header in ["T84.0", "T85.7", "R51", "S13.4", "M25.5"] {
        match icd.check(header, day).status {
            Icd10Status::Header {
                billable_children, ..
            } => assert!(!billable_children.is_empty(), "{header}"),
            other => panic!("{header}: {other:?}"),
        }
    }
    let t84 = icd.check("T84.0", day).status;
    let Icd10Status::Header {
        billable_children, ..
    } = &t84
    else {
        panic!("T84.0 is a header")
    };
    assert!(billable_children.len() > MAX_LISTED);
    assert!(billable_children.iter().all(|c| c.starts_with("T84.0")));
    assert!(t84.message().ends_with(&format!(
        "or one of {} more",
        billable_children.len() - MAX_LISTED
    )));
}

#[test]
fn unknown_code_gets_near_matches() {
    let icd = Icd10::builtin();
    let status = icd.check("T85.7XXS", date(2026, 2, 1)).status;
    let Icd10Status::Unknown { code, near } = &status else {
        panic!("T85.7XXS should be unknown: {status:?}")
    };
    assert_eq!(code, "T85.7XXS");
    assert_eq!(near.first().map(String::as_str), Some("T85.79XS"));
    assert!(near.len() <= MAX_NEAR);
    assert_eq!(
        status.message(),
        "T85.7XXS is not an ICD-10-CM code; did you mean T85.79XS?"
    );
    // A mistyped category letter finds the code anyway.
    let Icd10Status::Unknown { near, .. } = icd.check("N54.50", date(2026, 2, 1)).status else {
        panic!("N54.50 should be unknown")
    };
    assert!(near.contains(&"M54.50".to_string()), "{near:?}");
}

#[test]
fn malformed_input() {
    let check = Icd10::builtin().check("54.50", date(2026, 2, 1));
    assert_eq!(
        check.status,
        Icd10Status::Malformed {
            input: "54.50".into()
        }
    );
    assert!(
        check
            .status
            .message()
            .starts_with("\"54.50\" is not shaped like")
    );
}

#[test]
fn fiscal_year_boundary() {
    assert_eq!(fiscal_year(date(2026, 9, 30)), 2026);
    assert_eq!(fiscal_year(date(2026, 10, 1)), 2027);
    assert_eq!(fiscal_year(date(2025, 1, 1)), 2025);
    assert_eq!(fiscal_year_start(2027), date(2026, 10, 1));
    let icd = Icd10::builtin();
    let before = icd.check("M54.50", date(2026, 9, 30));
    assert_eq!(
        (before.fiscal_year_used, before.edition_available),
        (2026, true)
    );
    let after = icd.check("M54.50", date(2026, 10, 1));
    assert_eq!(
        (after.fiscal_year_used, after.edition_available),
        (2026, false)
    );
    let fy2025 = icd.check("M54.50", date(2024, 10, 1));
    assert_eq!(
        (fy2025.fiscal_year_used, fy2025.edition_available),
        (2025, true)
    );
}

/// Lays out one order-file line the way CMS does.
fn order_line(n: usize, code: &str, billable: bool, short: &str, long: &str) -> String {
    format!("{n:05} {code:<7} {} {short:<60} {long}", u8::from(billable))
}

fn synthetic_fy2027() -> String {
    [
        order_line(1, "M54", false, "Dorsalgia", "Dorsalgia"),
        order_line(2, "M545", false, "Low back pain", "Low back pain"),
        order_line(
            3,
            "M5450",
            true,
            "Low back pain, unspecified",
            "Low back pain, unspecified",
        ),
        order_line(
            4,
            "M5451",
            true,
            "Vertebrogenic low back pain",
            "Vertebrogenic low back pain",
        ),
        order_line(
            5,
            "M5459",
            true,
            "Other low back pain",
            "Other low back pain",
        ),
        order_line(
            6,
            "Z681",
            false,
            "Body mass index [BMI] 19.9 or less, adult",
            "Body mass index",
        ),
        order_line(
            7,
            "Z6810",
            true,
            "BMI 18.5-19.9, adult",
            "Body mass index [BMI] 18.5-19.9, adult",
        ),
        order_line(
            8,
            "Z6811",
            true,
            "BMI less than 18.5, adult",
            "Body mass index [BMI] less than 18.5, adult",
        ),
    ]
    .join("\r\n")
        + "\r\n"
}

#[test]
fn order_file_adds_an_edition() {
    let mut icd = Icd10::builtin();
    icd.add_order_file(2027, &synthetic_fy2027())
        .expect("synthetic order file is valid");
    assert_eq!(icd.fiscal_years(), vec![2025, 2026, 2027]);
    assert_eq!(
        icd.edition_counts(2027),
        Some(EditionCounts {
            entries: 8,
            billable: 5
        })
    );
    let day = date(2026, 10, 1);
    let check = icd.check("Z68.1", day);
    assert_eq!(
        (check.fiscal_year_used, check.edition_available),
        (2027, true)
    );
    assert_eq!(
        check.status,
        Icd10Status::Header {
            code: "Z68.1".into(),
            description: "Body mass index [BMI] 19.9 or less, adult".into(),
            billable_children: strings(&["Z68.10", "Z68.11"]),
        }
    );
    assert!(icd.check("Z68.1", date(2026, 9, 30)).status.is_billable());
    // Still retired, and the edition's own replacements are offered.
    assert!(matches!(
        icd.check("M54.5", day).status,
        Icd10Status::Deleted { .. }
    ));
    // A code the FY2027 file no longer has was deleted when FY2027 began.
    match icd.check("M54.2", day).status {
        Icd10Status::Deleted {
            invalid_from,
            replacements,
            ..
        } => {
            assert_eq!(invalid_from, day);
            assert!(replacements.is_empty());
        }
        other => panic!("M54.2: {other:?}"),
    }
    let described = icd.describe("Z68.1");
    assert_eq!(described.len(), 3);
    assert!(described[1].1.is_billable());
    assert!(matches!(described[2].1, Icd10Status::Header { .. }));
}

#[test]
fn documents_get_full_titles_and_the_claim_form_short_ones() {
    let icd = Icd10::builtin();
    let day = date(2026, 11, 2);
    // Codes whose short and full titles are the same.
    assert_eq!(
        icd.full_title("M54.50", day).as_deref(),
        Some("Low back pain, unspecified")
    );
    assert_eq!(
        icd.full_title("m62838", day).as_deref(),
        Some("Other muscle spasm")
    );
    // A code CMS abbreviates: the status keeps the short title, the full title is whole.
    let code = "S13.4XXD";
    assert_eq!(
        icd.full_title(code, day).as_deref(),
        Some("Sprain of ligaments of cervical spine, subsequent encounter")
    );
    match icd.check("M01.X0", day).status {
        Icd10Status::Billable { description, .. } => {
            assert_eq!(
                description,
                "Dir infct of unsp joint in infec/parastc dis classd elswhr"
            )
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        icd.full_title("M01.X0", day).as_deref(),
        Some(
            "Direct infection of unspecified joint in infectious and parasitic diseases classified elsewhere"
        )
    );
    assert_eq!(icd.full_title("M54.99X", day), None);
    assert_eq!(icd.full_title("not a code", day), None);
}

#[test]
fn an_order_file_keeps_both_titles() {
    let mut icd = Icd10::builtin();
    icd.add_order_file(2027, &synthetic_fy2027())
        .expect("valid");
    let day = date(2026, 10, 1);
    assert_eq!(
        icd.full_title("Z68.10", day).as_deref(),
        Some("Body mass index [BMI] 18.5-19.9, adult")
    );
    assert_eq!(
        icd.full_title("M54.50", day).as_deref(),
        Some("Low back pain, unspecified")
    );
}

#[test]
fn order_file_replaces_a_builtin_year_and_accepts_lf() {
    let mut icd = Icd10::builtin();
    let text = synthetic_fy2027().replace("\r\n", "\n");
    icd.add_order_file(2026, &text).expect("valid");
    assert_eq!(icd.fiscal_years(), vec![2025, 2026]);
    assert_eq!(icd.edition_counts(2026).map(|c| c.entries), Some(8));
}

#[test]
fn order_file_errors_name_the_line() {
    let mut icd = Icd10::builtin();
    let good = synthetic_fy2027();
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    lines[2] = lines[2].replacen(" 1 ", " 7 ", 1);
    let err = icd.add_order_file(2027, &lines.join("\r\n")).unwrap_err();
    assert!(matches!(err, OrderFileError::Line { line: 3, .. }), "{err}");
    assert!(err.to_string().starts_with("line 3: column 15"), "{err}");

    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    lines[4] = order_line(5, "M5.450", true, "Bad", "Bad");
    let err = icd.add_order_file(2027, &lines.join("\n")).unwrap_err();
    assert!(err.to_string().starts_with("line 5: columns 7-13"), "{err}");

    let twice = format!(
        "{good}{}\r\n",
        order_line(9, "M5450", true, "Again", "Again")
    );
    let err = icd.add_order_file(2027, &twice).unwrap_err();
    assert_eq!(
        err,
        OrderFileError::Duplicate {
            line: 9,
            first: 3,
            code: "M54.50".into()
        }
    );
    assert_eq!(
        icd.add_order_file(2027, "\r\n\r\n"),
        Err(OrderFileError::Empty)
    );
    let err = icd.add_order_file(2027, "00001 A00").unwrap_err();
    assert!(err.to_string().starts_with("line 1: too short"), "{err}");
    // Nothing half-added after the errors.
    assert_eq!(icd.fiscal_years(), vec![2025, 2026]);
}

/// Reads the shared FY2027 table (derived from CMS change lists) as an order file and checks
/// the import path against its published facts. Skipped where that file is not present.
#[test]
fn conformance_fy2027_derived_table() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/data/icd10cm/icd10cm_fy2027_derived.tsv"
    );
    let Ok(tsv) = std::fs::read_to_string(path) else {
        println!("skipped: {path} not found");
        return;
    };
    let mut order = String::new();
    for (n, line) in skip_header(&tsv).lines().enumerate() {
        let mut f = line.split('\t');
        let (code, billable, short) = (
            f.next().unwrap_or(""),
            f.next() == Some("1"),
            f.next().unwrap_or(""),
        );
        order.push_str(&order_line(n + 1, code, billable, short, short));
        order.push_str("\r\n");
    }
    let mut icd = Icd10::builtin();
    icd.add_order_file(2027, &order)
        .expect("FY2027 table imports");
    assert_eq!(
        icd.edition_counts(2027),
        Some(EditionCounts {
            entries: 98_403,
            billable: 74_879
        })
    );
    let (fy2026, fy2027) = (date(2026, 9, 30), date(2026, 10, 1));
    for code in ["Z68.1", "I42.0", "M72.2"] {
        assert!(
            icd.check(code, fy2026).status.is_billable(),
            "{code} in FY2026"
        );
        assert!(
            matches!(icd.check(code, fy2027).status, Icd10Status::Header { .. }),
            "{code} in FY2027"
        );
    }
    // 21 codes are gone in FY2027, 15 of them billable in FY2026: those read as deleted on
    // 2026-10-01. 15 other billable codes became headers.
    let old = Table::new(FY2026);
    let new = Table::new(icd.editions.get(&2027).map_or("", |b| b.as_ref()));
    let (mut removed, mut became_headers) = (0, 0);
    let removed_entries = old
        .lines_from(0)
        .filter(|l| new.find(Row::parse(l).code).is_none())
        .count();
    assert_eq!(removed_entries, 21);
    for row in old.lines_from(0).map(Row::parse).filter(|r| r.billable) {
        match new.find(row.code).map(Row::parse) {
            Some(r) if r.billable => {}
            Some(_) => became_headers += 1,
            None => {
                removed += 1;
                let status = icd.check(row.code, fy2027).status;
                assert!(
                    matches!(status, Icd10Status::Deleted { invalid_from, .. } if invalid_from == fy2027),
                    "{}: {status:?}",
                    row.code
                );
            }
        }
    }
    assert_eq!((removed, became_headers), (15, 15));
    let added = new
        .lines_from(0)
        .filter(|l| old.find(Row::parse(l).code).is_none())
        .count();
    assert_eq!(added, 238);
}
