//! Tests of the denial codes: the embedded tables, the design's actions and guidance, lookups,
//! and filling templates.

use super::parse::{CARC_DATA, CARC_HEADER, RARC_DATA, RARC_HEADER, parse_carcs, parse_rarcs};
use super::template::check_template;
use super::*;

/// A value for every placeholder, shaped as callers fill them.
const ALL_VALUES: &[(&str, &str)] = &[
    (
        "referral",
        "the referral from Ana Ruiz, MD, dated 2026-09-30",
    ),
    ("referral_date", "2026-09-30"),
    (
        "diagnoses",
        "M54.50 (low back pain) and M62.830 (muscle spasm of back)",
    ),
    ("pain_trend", "pain fell from 8/10 to 4/10 over 6 visits"),
    ("authorization", "authorization A-55120 for 12 visits"),
    ("visits", "visits 7 to 9 of the 20 the plan allows in 2026"),
    ("units_rule", "the CMS 8-minute rule"),
    ("claim_number", "EV7731002"),
];

/// Sentences end with a stop followed by a space or the end of the text.
fn sentences(text: &str) -> usize {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .filter(|&i| {
            matches!(chars[i], '.' | '!' | '?') && chars.get(i + 1).is_none_or(|c| *c == ' ')
        })
        .count()
}

/// Every template of the table: arguments and enclosures.
fn templates() -> impl Iterator<Item = (&'static str, &'static str)> {
    all().iter().flat_map(|c| {
        std::iter::once((c.code, c.argument)).chain(c.enclosures.iter().map(|e| (c.code, *e)))
    })
}

#[test]
fn embedded_tables_are_well_formed() {
    let carcs = parse_carcs(CARC_DATA).expect("data/carc.tsv parses");
    assert!(carcs.len() >= 35, "{} rows", carcs.len());
    assert_eq!(all().len(), carcs.len());
    let remarks = parse_rarcs(RARC_DATA).expect("data/rarc.tsv parses");
    assert!(remarks.len() >= 30, "{} rows", remarks.len());
}

#[test]
fn design_codes_have_their_actions() {
    use Action::*;
    let expected = [
        ("1", BillPatient),
        ("2", BillPatient),
        ("3", BillPatient),
        ("4", CorrectedClaim),
        ("11", CorrectedClaim),
        ("16", CorrectedClaim),
        ("18", WriteOff),
        ("19", OtherPayer),
        ("20", OtherPayer),
        ("21", OtherPayer),
        ("22", OtherPayer),
        ("27", OtherPayer),
        ("29", Appeal),
        ("45", WriteOff),
        ("50", Appeal),
        ("96", Appeal),
        ("97", CorrectedClaim),
        ("109", OtherPayer),
        ("119", Appeal),
        ("151", Appeal),
        ("167", Appeal),
        ("197", Appeal),
        ("204", Appeal),
        ("236", CorrectedClaim),
        ("B7", FixEnrollment),
    ];
    for (code, action) in expected {
        let carc = lookup(code).unwrap_or_else(|| panic!("{code} is in the table"));
        assert_eq!(carc.action, action, "{code}");
    }
    for carc in all().iter().filter(|c| c.action == CorrectedClaim) {
        assert!(!carc.corrections.is_empty(), "{}", carc.code);
    }
}

#[test]
fn lookup_accepts_the_usual_forms() {
    for reason in ["50", "CO-50", "co50", "CO 50", " co-50 ", "OA-50", "pi50"] {
        assert_eq!(lookup(reason).map(|c| c.code), Some("50"), "{reason:?}");
    }
    for reason in ["B7", "b7", "CO-B7", "co-b7", "COB7"] {
        assert_eq!(lookup(reason).map(|c| c.code), Some("B7"), "{reason:?}");
    }
    assert_eq!(lookup("PR-1").map(|c| c.code), Some("1"));
    assert_eq!(lookup("pr2").map(|c| c.action), Some(Action::BillPatient));
    for unknown in ["", "CO", "CO-", "999", "5O", "CO-50-1", "N115", "É"] {
        assert!(lookup(unknown).is_none(), "{unknown:?}");
    }
}

#[test]
fn remark_codes_of_the_design_notes() {
    for code in [
        "N115", "N130", "N20", "N640", "N435", "N362", "N386", "M15", "M51", "M76", "N290",
        "MA130", "N4", "N479", "N657", "M127", "N522",
    ] {
        assert!(remark(code).is_some(), "{code}");
    }
    assert!(remark("n115").is_some_and(|m| m.contains("Local Coverage Determination")));
    assert!(remark(" N386 ").is_some_and(|m| m.contains("National Coverage Determination")));
    assert!(remark("MA130").is_some_and(|m| m.contains("no appeal rights")));
    assert!(remark("N999").is_none());
    assert!(remark("").is_none());
}

#[test]
fn group_meanings() {
    assert!(group_meaning("CO").contains("may not bill the patient"));
    assert!(group_meaning("pr").starts_with("Patient responsibility"));
    assert!(group_meaning(" OA ").starts_with("Other adjustment"));
    assert!(group_meaning("PI").starts_with("Payer-initiated"));
    assert!(group_meaning("XX").contains("does not know"));
}

#[test]
fn fill_replaces_and_leaves_out_cleanly() {
    let values = [("name", "Jane Doe"), ("blank", "  ")];
    assert_eq!(fill("Dear {name},", &values), "Dear Jane Doe,");
    assert_eq!(fill("Dear {name} {missing},", &values), "Dear Jane Doe,");
    assert_eq!(fill("a {missing} b", &[]), "a b");
    assert_eq!(fill("ends with {blank}.", &values), "ends with.");
    assert_eq!(fill("note ({missing}) here", &[]), "note here");
    assert_eq!(fill("one, {missing}, two", &[]), "one, two");
    assert_eq!(fill("{missing} starts", &[]), "starts");
    // Template braces never print; values print as given and are not read again.
    assert_eq!(fill("{Bad} {x y} {", &[]), "Bad x y");
    assert_eq!(fill("X{EPSU}", &[]), "XEPSU");
    assert_eq!(fill("{a}", &[("a", "{b} [c]"), ("b", "no")]), "{b} [c]");
}

#[test]
fn fill_keeps_a_group_only_when_complete() {
    let t = "Seen. [Ordered in {referral}. ]Improving[: {pain_trend}].";
    assert_eq!(fill(t, &[]), "Seen. Improving.");
    assert_eq!(
        fill(
            t,
            &[
                ("referral", "the referral of May"),
                ("pain_trend", "8 to 4")
            ]
        ),
        "Seen. Ordered in the referral of May. Improving: 8 to 4."
    );
    assert_eq!(fill("a[ b[ {x}] c] d", &[]), "a b c d");
    assert_eq!(fill("a[ b {x} c] d", &[]), "a d");
    assert_eq!(fill("a ] b [ c {x}", &[]), "a b");
    assert_eq!(
        fill("Referral[ dated {referral_date}]", ALL_VALUES),
        "Referral dated 2026-09-30"
    );
    assert_eq!(fill("Referral[ dated {referral_date}]", &[]), "Referral");
}

#[test]
fn filled_tables_never_show_template_marks() {
    for (code, template) in templates() {
        for values in [&[][..], ALL_VALUES] {
            let text = fill(template, values);
            assert!(!text.is_empty(), "{code}: {template:?}");
            assert!(
                !text.contains(['{', '}', '[', ']']) && !text.contains("  "),
                "{code}: {text:?}"
            );
            assert!(
                ![" .", " ,", " ;", " :", "()", ",."]
                    .iter()
                    .any(|s| text.contains(s)),
                "{code}: {text:?}"
            );
        }
    }
    for (code, template) in templates() {
        check_template(template).unwrap_or_else(|e| panic!("{code}: {e}"));
    }
}

#[test]
fn arguments_read_as_letters() {
    for carc in all() {
        let full = fill(carc.argument, ALL_VALUES);
        let bare = fill(carc.argument, &[]);
        assert!((2..=4).contains(&sentences(&full)), "{}: {full}", carc.code);
        assert!(sentences(&bare) >= 2, "{}: {bare}", carc.code);
        assert!(
            full.starts_with(|c: char| c.is_ascii_uppercase()) && full.ends_with('.'),
            "{}: {full}",
            carc.code
        );
        let first_person = ["We ", " we ", "Our ", " our ", " us "];
        assert!(
            first_person.iter().any(|w| full.contains(w)),
            "{}: {full}",
            carc.code
        );
    }
}

#[test]
fn placeholders_are_documented_in_the_table_header() {
    for (name, _) in PLACEHOLDERS {
        let mark = format!("{{{name}}}");
        assert!(
            CARC_DATA
                .lines()
                .any(|l| l.starts_with('#') && l.contains(&mark)),
            "{name}"
        );
        assert!(templates().any(|(_, t)| t.contains(&mark)), "{name} unused");
    }
}

#[test]
fn guidance_follows_the_design_notes() {
    let carc = |code: &str| lookup(code).unwrap_or_else(|| panic!("{code}"));
    let joined = |items: &[&str]| items.join("; ");
    let c29 = carc("29");
    assert!(c29.note.contains("only with proof of timely filing"));
    assert!(c29.note.contains("Medicare") && c29.note.contains("cannot be appealed"));
    for code in ["4", "16", "11", "97", "236"] {
        let corrections = joined(&carc(code).corrections);
        assert!(
            corrections.contains("item 22: resubmission code 7"),
            "{code}"
        );
    }
    assert!(carc("16").note.contains("Not an appeal"));
    assert!(carc("4").note.contains("not an appeal"));
    let c4 = joined(&carc("4").corrections);
    assert!(c4.contains("GP") && c4.contains("on every timed therapy line"));
    assert!(joined(&carc("4").corrections).contains("59 or XS on the column-2 code"));
    assert!(joined(&carc("11").corrections).contains("diagnosis pointer"));
    assert!(joined(&carc("16").corrections).contains("MA130"));
    for code in ["97", "236"] {
        assert!(carc(code).note.contains("indicator is 0"), "{code}");
    }
    for code in ["96", "204"] {
        assert!(
            carc(code).note.contains("only on plan-language grounds"),
            "{code}"
        );
    }
    assert!(carc("B7").note.starts_with("Not a clinical appeal"));
    assert!(carc("50").note.contains("180 days") && carc("50").note.contains("120 days"));
    let enclosures = joined(&carc("50").enclosures);
    for document in ["referral", "Plan of care", "SOAP notes", "LCD"] {
        assert!(enclosures.contains(document), "{document}");
    }
}

#[test]
fn meanings_are_paraphrased() {
    // The X12 lists write "claim/service" and "precertification/authorization"; a slash in a
    // meaning is the sign of a copied text.
    for carc in all() {
        assert!(!carc.meaning.contains('/'), "{}", carc.code);
    }
    let remarks = parse_rarcs(RARC_DATA).expect("data/rarc.tsv parses");
    for (code, meaning) in remarks {
        assert!(!meaning.contains('/'), "{code}");
    }
}

#[test]
fn actions_serialize_as_in_the_data() {
    for action in Action::ALL {
        let json = serde_json::to_value(action).expect("an action serializes");
        assert_eq!(json, action.as_str());
    }
    let json = serde_json::to_value(lookup("CO-16")).expect("a CARC serializes");
    assert_eq!(json["action"], "corrected_claim");
    assert_eq!(json["code"], "16");
}

#[test]
fn parse_reports_bad_rows() {
    let carc = |row: &str| -> Result<Vec<Carc>, String> {
        let text: &'static str =
            Box::leak(format!("{CARC_HEADER}\n# comment\n\n{row}\n").into_boxed_str());
        parse_carcs(text)
    };
    let ok = "50\tNot necessary\tappeal\tWe appeal. [In {referral}. ]Thanks.\tNotes; Plan\t\tNote";
    assert_eq!(carc(ok).map(|t| t.len()), Ok(1));
    let bad = |row: &str| carc(row).expect_err(row);
    assert!(bad("50\tM\tappeal\tA\t\t").contains("columns"));
    assert!(bad("5000\tM\tappeal\tA\t\t\tN").contains("not a CARC"));
    assert!(bad("BB7\tM\tappeal\tA\t\t\tN").contains("not a CARC"));
    assert!(bad("50\tM\tsue\tA\t\t\tN").contains("unknown action"));
    assert!(bad("50\t \tappeal\tA\t\t\tN").contains("no meaning"));
    assert!(bad("50\tM\tappeal\tA {nope}\t\t\tN").contains("unknown placeholder"));
    assert!(bad("50\tM\tappeal\tA [b\t\t\tN").contains("never closed"));
    assert!(bad("50\tM\tappeal\tA b]\t\t\tN").contains("closes nothing"));
    assert!(bad("50\tM\tappeal\tA {\t\t\tN").contains("stray"));
    assert!(bad("50\tM\tappeal\tA\t\t\tN [x]").contains("plain text"));
    assert!(bad("50\tM\tappeal\tA\tx;;y\t\tN").contains("empty item"));
    assert!(bad("4\tM\tcorrected_claim\tA\t\t\tN").contains("no corrections"));
    assert!(bad(&format!("{ok}\n{ok}")).contains("twice"));
    assert!(parse_carcs("50\tM\tappeal\tA\t\t\tN\n").is_err());
    assert!(parse_carcs("# only a comment\n").is_err());

    let rarc = |row: &str| {
        let text: &'static str = Box::leak(format!("{RARC_HEADER}\n{row}\n").into_boxed_str());
        parse_rarcs(text)
    };
    assert_eq!(rarc("MA130\tUnprocessable").map(|t| t.len()), Ok(1));
    assert!(rarc("X12\tM").is_err_and(|e| e.contains("not a remark code")));
    assert!(rarc("N1234\tM").is_err_and(|e| e.contains("not a remark code")));
    assert!(rarc("N1\t").is_err_and(|e| e.contains("no meaning")));
    assert!(rarc("N1").is_err_and(|e| e.contains("columns")));
    assert!(rarc("N1\tA\nN1\tB").is_err_and(|e| e.contains("twice")));
}
