//! `claimwright validate` end to end, plus the small commands around it (`init`, `schema`,
//! `codes`): exit codes, findings with their file, line and field, and output formats.

use crate::util::{
    AS_OF, Finding, Practice, Report, example, files_under, fixture, run, run_in, validate_json,
};
use std::collections::BTreeSet;

// ---------------------------------------------------------------------------------------------
// The scrub fixture: a small practice with clean sessions and one broken record per finding code.
// ---------------------------------------------------------------------------------------------

/// One finding the scrub fixture must produce, and the text on its line in the fixture file.
struct Expected {
    code: &'static str,
    file: &'static str,
    line: Option<usize>,
    field: Option<&'static str>,
    /// Text found on `line` of `file`, so the table cannot drift away from the fixture.
    on_line: &'static str,
}

const fn at(
    code: &'static str,
    file: &'static str,
    line: usize,
    field: &'static str,
    on_line: &'static str,
) -> Expected {
    Expected {
        code,
        file,
        line: Some(line),
        field: Some(field),
        on_line,
    }
}

/// Every finding of the scrub fixture (besides the once-per-practice ICD-10-CM edition warning).
const SCRUB: &[Expected] = &[
    // Loading: the file cannot be read as a session at all.
    Expected {
        code: "yaml.syntax",
        file: "sessions/2026-11/park-yaml-syntax.yaml",
        line: Some(22),
        field: None,
        on_line: "subjective: Pain: 6/10",
    },
    at(
        "field.missing",
        "sessions/2026-11/park-field-missing.yaml",
        8,
        "services[0].minutes",
        "- code: \"97124\"",
    ),
    at(
        "field.invalid",
        "sessions/2026-11/park-field-invalid.yaml",
        3,
        "date",
        "date: 2026-02-30",
    ),
    at(
        "field.unknown",
        "sessions/2026-11/park-field-unknown.yaml",
        6,
        "diagnosis",
        "diagnosis: [M54.50, M54.2]",
    ),
    at(
        "reference.unknown",
        "sessions/2026-11/park-reference-unknown.yaml",
        1,
        "patient",
        "patient: owen-parc",
    ),
    // Codes.
    at(
        "icd10.unknown",
        "sessions/2026-11/park-icd10-unknown.yaml",
        8,
        "diagnoses[1]",
        "- T85.7XXS",
    ),
    at(
        "icd10.deleted",
        "sessions/2026-11/park-icd10-deleted.yaml",
        7,
        "diagnoses[0]",
        "- M54.5",
    ),
    at(
        "icd10.not_billable",
        "sessions/2026-11/park-icd10-not-billable.yaml",
        8,
        "diagnoses[1]",
        "- M79.1",
    ),
    at(
        "procedure.unknown",
        "sessions/2026-11/park-procedure-unknown.yaml",
        14,
        "services[1].code",
        "code: \"G0238\"",
    ),
    at(
        "npi.invalid",
        "patients/lena-fox.yaml",
        40,
        "referrals[1].referring_provider.npi",
        "npi: \"1616161613\"",
    ),
    // Service lines.
    at(
        "units.mismatch",
        "sessions/2026-11/park-units-mismatch.yaml",
        13,
        "services[0].units",
        "units: 2",
    ),
    at(
        "units.zero",
        "sessions/2026-11/park-units-zero.yaml",
        9,
        "services[0].minutes",
        "minutes: 5",
    ),
    at(
        "ncci.modifier_required",
        "sessions/2026-11/park-ncci.yaml",
        16,
        "services[1].modifiers",
        "modifiers: [GP]",
    ),
    at(
        "modifier.required",
        "sessions/2026-11/park-modifier-required.yaml",
        16,
        "services[1].modifiers",
        "modifiers: [XS]",
    ),
    at(
        "modifier.conflict",
        "sessions/2026-11/park-modifier-conflict.yaml",
        16,
        "services[1].modifiers",
        "modifiers: [GP, \"59\", XS]",
    ),
    at(
        "diagnosis.pointer_invalid",
        "sessions/2026-11/park-pointer-c.yaml",
        12,
        "services[0].diagnosis_pointers[1]",
        "diagnosis_pointers: [A, C]",
    ),
    at(
        "diagnosis.pointer_invalid",
        "sessions/2026-11/park-pointer-five.yaml",
        12,
        "services[0].diagnosis_pointers",
        "diagnosis_pointers: [A, B, C, D, E]",
    ),
    // Referrals and authorizations.
    Expected {
        code: "referral.missing",
        file: "sessions/2026-11/fox-referral-missing.yaml",
        line: None,
        field: Some("referral"),
        on_line: "",
    },
    at(
        "referral.expired",
        "sessions/2026-11/fox-referral-expired.yaml",
        6,
        "referral",
        "referral: ref-fox-old",
    ),
    at(
        "referral.visits_exceeded",
        "sessions/2026-11/gomez-a.yaml",
        6,
        "referral",
        "referral: ref-gomez",
    ),
    Expected {
        code: "authorization.missing",
        file: "sessions/2026-11/fox-auth-missing.yaml",
        line: None,
        field: Some("authorization"),
        on_line: "",
    },
    at(
        "authorization.expired",
        "sessions/2026-11/fox-auth-expired.yaml",
        7,
        "authorization",
        "authorization: GMW-PA-6120",
    ),
    at(
        "authorization.visits_exceeded",
        "sessions/2026-11/gomez-a.yaml",
        7,
        "authorization",
        "authorization: LHP-A-30117",
    ),
    at(
        "authorization.code_not_covered",
        "sessions/2026-11/fox-code-not-covered.yaml",
        14,
        "services[1].code",
        "code: \"97110\"",
    ),
    // Coverage and benefits.
    at(
        "coverage.inactive",
        "sessions/2026-11/park-coverage-inactive.yaml",
        3,
        "date",
        "date: 2026-11-18",
    ),
    at(
        "benefit.not_covered",
        "sessions/2026-11/brooks-not-covered.yaml",
        8,
        "services",
        "services:",
    ),
    at(
        "benefit.visit_limit",
        "sessions/2026-11/brooks-visit-limit.yaml",
        3,
        "date",
        "date: 2026-11-16",
    ),
    at(
        "benefit.minutes_exceeded",
        "sessions/2026-11/fox-minutes-exceeded.yaml",
        9,
        "services",
        "services:",
    ),
    at(
        "provider.not_eligible",
        "sessions/2026-11/brooks-not-eligible.yaml",
        2,
        "provider",
        "provider: amy-lind",
    ),
    // The visit and the note.
    at(
        "time.inconsistent",
        "sessions/2026-11/park-time-reversed.yaml",
        5,
        "time_out",
        "time_out: \"09:15\"",
    ),
    at(
        "time.inconsistent",
        "sessions/2026-11/park-time-overrun.yaml",
        7,
        "services",
        "services:",
    ),
    at(
        "date.future",
        "sessions/2026-12/park-date-future.yaml",
        3,
        "date",
        "date: 2026-12-15",
    ),
    at(
        "license.expired",
        "sessions/2026-11/park-license-expired.yaml",
        2,
        "provider",
        "provider: pat-ortiz",
    ),
    at(
        "soap.incomplete",
        "sessions/2026-11/park-soap-incomplete.yaml",
        25,
        "soap.plan",
        "plan: \"\"",
    ),
    at(
        "signature.missing",
        "sessions/2026-11/park-unsigned.yaml",
        21,
        "soap",
        "soap:",
    ),
    at(
        "soap.vague",
        "sessions/2026-11/park-soap-vague.yaml",
        24,
        "soap.assessment",
        "relaxation",
    ),
];

/// Findings a practice may carry besides the table: the once-per-practice notice that no
/// ICD-10-CM edition covers the fiscal year of the dates of service.
fn is_edition_notice(f: &Finding) -> bool {
    f.code == "icd10.edition_unavailable" && f.severity == "warning"
}

fn matches(f: &Finding, e: &Expected) -> bool {
    f.code == e.code && f.file == e.file && f.line == e.line && f.field.as_deref() == e.field
}

fn scrub_report() -> Report {
    let run = validate_json(&fixture("scrub"), &[]);
    run.expect_code(1);
    run.report()
}

#[test]
fn scrub_table_matches_the_fixture_files() {
    let root = fixture("scrub");
    for e in SCRUB {
        let text = std::fs::read_to_string(root.join(e.file))
            .unwrap_or_else(|err| panic!("{}: {err}", e.file));
        if let Some(line) = e.line {
            let actual = text.lines().nth(line - 1).unwrap_or_default();
            assert!(
                actual.contains(e.on_line),
                "{}:{line} should hold {:?} but holds {actual:?}",
                e.file,
                e.on_line
            );
        }
    }
}

#[test]
fn scrub_reports_every_finding_at_its_file_line_and_field() {
    let report = scrub_report();
    let mut missing = Vec::new();
    for e in SCRUB {
        let hits = report.findings.iter().filter(|f| matches(f, e)).count();
        if hits != 1 {
            missing.push(format!(
                "  {} {}:{} [{}] found {hits} times",
                e.code,
                e.file,
                e.line.map(|l| l.to_string()).unwrap_or_else(|| "-".into()),
                e.field.unwrap_or("-")
            ));
        }
    }
    let unexpected: Vec<String> = report
        .findings
        .iter()
        .filter(|f| !is_edition_notice(f) && !SCRUB.iter().any(|e| matches(f, e)))
        .map(|f| format!("  {f}"))
        .collect();
    assert!(
        missing.is_empty() && unexpected.is_empty(),
        "expected but not reported exactly once:\n{}\nreported but not expected:\n{}",
        missing.join("\n"),
        unexpected.join("\n")
    );
}

#[test]
fn scrub_each_broken_file_breaks_exactly_one_thing() {
    let report = scrub_report();
    let files: BTreeSet<&str> = SCRUB.iter().map(|e| e.file).collect();
    for file in files {
        let expected = SCRUB.iter().filter(|e| e.file == file).count();
        let found = report.in_file(file);
        assert_eq!(
            found.len(),
            expected,
            "{file} should have {expected} finding(s):\n{}",
            report.listing()
        );
    }
}

#[test]
fn scrub_clean_files_have_no_findings() {
    let report = scrub_report();
    let clean = [
        "practice.yaml",
        "payers/bayview-advantage.yaml",
        "payers/granite-wc.yaml",
        "payers/lakeshore-ppo.yaml",
        "payers/medicare-me.yaml",
        "patients/hal-brooks.yaml",
        "patients/owen-park.yaml",
        "patients/rita-gomez.yaml",
        "sessions/2026-11/park-clean.yaml",
        // The same provider is licensed on this earlier date.
        "sessions/2026-11/park-ortiz-clean.yaml",
        "sessions/2026-11/fox-clean.yaml",
        // Visits 1 to 3 of a referral and an authorization that each allow 3.
        "sessions/2026-11/gomez-b.yaml",
        "sessions/2026-11/gomez-c.yaml",
        "sessions/2026-11/gomez-d.yaml",
        // Original Medicare billed by a physical therapist, within the yearly visits.
        "sessions/2026-11/brooks-clean.yaml",
    ];
    let all_files = files_under(&fixture("scrub"));
    for file in clean {
        assert!(
            all_files.iter().any(|f| f == file),
            "{file} is not in the fixture"
        );
        let found = report.in_file(file);
        assert!(
            found.is_empty(),
            "{file} is clean but has findings:\n{}",
            found.iter().map(|f| format!("  {f}\n")).collect::<String>()
        );
    }
    // Every fixture file is either clean or listed in the table.
    for file in &all_files {
        let listed = clean.contains(&file.as_str()) || SCRUB.iter().any(|e| e.file == file);
        assert!(
            listed,
            "{file} is neither in the clean list nor in the table"
        );
    }
}

#[test]
fn scrub_counts_visits_in_date_order_not_file_order() {
    // gomez-a (2026-11-24) sorts first by name but is the 4th visit by date; gomez-d
    // (2026-11-10) sorts last by name but is the 2nd visit.
    let report = scrub_report();
    for code in ["referral.visits_exceeded", "authorization.visits_exceeded"] {
        let found = report.with_code(code);
        let files: Vec<&str> = found.iter().map(|f| f.file.as_str()).collect();
        assert_eq!(
            files,
            vec!["sessions/2026-11/gomez-a.yaml"],
            "{code}:\n{}",
            report.listing()
        );
        assert!(
            found[0].message.contains("visit 4"),
            "{code} should name the visit number: {}",
            found[0].message
        );
        assert!(
            found[0].message.contains("allows 3"),
            "{code} should name the limit: {}",
            found[0].message
        );
    }
    // 10 visits used before the records; visits 11 and 12 are within the limit of 12, and the
    // excluded plan's session counts against its own coverage, not Medicare's.
    let limit = report.with_code("benefit.visit_limit");
    let files: Vec<&str> = limit.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(
        files,
        vec!["sessions/2026-11/brooks-visit-limit.yaml"],
        "{}",
        report.listing()
    );
    assert!(
        limit[0].message.contains("visit 13"),
        "{}",
        limit[0].message
    );
}

#[test]
fn scrub_is_refused_and_the_counts_add_up() {
    let report = scrub_report();
    let errors = report
        .findings
        .iter()
        .filter(|f| f.severity == "error")
        .count();
    let warnings = report
        .findings
        .iter()
        .filter(|f| f.severity == "warning")
        .count();
    assert_eq!(report.errors, errors);
    assert_eq!(report.warnings, warnings);
    assert_eq!(errors + warnings, report.findings.len());
    // Only soap.vague (and the edition notice) are warnings; everything else refuses.
    for f in &report.findings {
        let warning = f.code == "soap.vague" || is_edition_notice(f);
        assert_eq!(f.severity, if warning { "warning" } else { "error" }, "{f}");
    }
    assert_eq!(
        report.errors,
        SCRUB.iter().filter(|e| e.code != "soap.vague").count()
    );
}

#[test]
fn scrub_messages_say_what_to_do() {
    let report = scrub_report();
    let message = |code: &str, file: &str| -> String {
        let found: Vec<&Finding> = report
            .in_file(file)
            .into_iter()
            .filter(|f| f.code == code)
            .collect();
        assert_eq!(found.len(), 1, "{code} in {file}:\n{}", report.listing());
        found[0].message.clone()
    };
    let unknown = message("field.unknown", "sessions/2026-11/park-field-unknown.yaml");
    assert!(unknown.contains("`diagnoses`"), "{unknown}");

    let deleted = message("icd10.deleted", "sessions/2026-11/park-icd10-deleted.yaml");
    assert!(deleted.contains("M54.5"), "{deleted}");
    assert!(deleted.contains("2021-10-01"), "{deleted}");
    assert!(deleted.contains("M54.50"), "{deleted}");

    let header = message(
        "icd10.not_billable",
        "sessions/2026-11/park-icd10-not-billable.yaml",
    );
    assert!(header.contains("M79.10"), "{header}");

    let icd_unknown = message("icd10.unknown", "sessions/2026-11/park-icd10-unknown.yaml");
    assert!(icd_unknown.contains("T85.7XXS"), "{icd_unknown}");

    let reference = message(
        "reference.unknown",
        "sessions/2026-11/park-reference-unknown.yaml",
    );
    assert!(reference.contains("owen-parc"), "{reference}");
    assert!(reference.contains("owen-park"), "{reference}");

    let units = message(
        "units.mismatch",
        "sessions/2026-11/park-units-mismatch.yaml",
    );
    assert!(units.contains("cms_8_minute"), "{units}");
    assert!(units.contains("`units` to 3"), "{units}");

    let ncci = message("ncci.modifier_required", "sessions/2026-11/park-ncci.yaml");
    assert!(ncci.contains("97140") && ncci.contains("59"), "{ncci}");

    let gp = message(
        "modifier.required",
        "sessions/2026-11/park-modifier-required.yaml",
    );
    assert!(gp.contains("GP"), "{gp}");

    let medicare = message(
        "provider.not_eligible",
        "sessions/2026-11/brooks-not-eligible.yaml",
    );
    assert!(medicare.contains("225700000X"), "{medicare}");

    let license = message(
        "license.expired",
        "sessions/2026-11/park-license-expired.yaml",
    );
    assert!(license.contains("2026-11-10"), "{license}");

    let vague = message("soap.vague", "sessions/2026-11/park-soap-vague.yaml");
    assert!(vague.contains("relaxation"), "{vague}");

    let npi = message("npi.invalid", "patients/lena-fox.yaml");
    assert!(npi.contains("1616161613"), "{npi}");
}

#[test]
fn as_of_decides_what_is_in_the_future() {
    let root = fixture("scrub");
    let root = root.to_str().expect("a UTF-8 path");
    let later = run(&[
        "validate",
        "-C",
        root,
        "--as-of",
        "2026-12-31",
        "--format",
        "json",
    ]);
    later.expect_code(1);
    assert!(later.report().with_code("date.future").is_empty());
    // Shared options work before the subcommand as well as after it.
    let before = run(&["--as-of", AS_OF, "-C", root, "--format", "json", "validate"]);
    before.expect_code(1);
    let future = before.report();
    let future: Vec<&str> = future
        .with_code("date.future")
        .iter()
        .map(|f| f.file.as_str())
        .collect();
    assert_eq!(future, vec!["sessions/2026-12/park-date-future.yaml"]);
}

// ---------------------------------------------------------------------------------------------
// The broken fixture: files the loader must survive, each with its own finding.
// ---------------------------------------------------------------------------------------------

/// A copy of the broken fixture with the damage git cannot keep added: a folder named like a
/// YAML file, a non-UTF-8 file, an oversized file, an alias bomb and a deeply nested file.
fn broken_practice() -> Practice {
    let p = Practice::copy_of("broken");
    std::fs::create_dir_all(p.path("payers/folder.yaml")).expect("create a folder");
    // Latin-1 "è" on line 2.
    p.write(
        "patients/latin1.yaml",
        b"first_name: Rene\nlast_name: Lef\xe8vre\ndob: 1980-01-01\n".as_slice(),
    );
    // A session padded past 256 KiB.
    let mut huge = String::from("patient: june-ames\nprovider: sam-hale\n");
    while huge.len() <= 300 * 1024 {
        huge.push_str("# a comment line that makes the file far larger than any practice file\n");
    }
    p.write("sessions/2026-11/huge.yaml", huge);
    // "Billion laughs": nine levels of nine aliases each.
    let mut bomb = String::from(
        "patient: june-ames\nl0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for level in 1..=9 {
        let previous = format!("*l{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        bomb.push_str(&format!("l{level}: &l{level} [{items}]\n"));
    }
    bomb.push_str("diagnoses: *l9\n");
    p.write("sessions/2026-11/laughs.yaml", bomb);
    // Flow sequences nested 100,000 deep on line 3 (about 200 KB, under the size limit).
    let depth = 100_000;
    let deep = format!(
        "patient: june-ames\nprovider: sam-hale\ndiagnoses: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    p.write("sessions/2026-11/deep.yaml", deep);
    p
}

/// Where a broken file's finding must point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// This 1-based line.
    Line(usize),
    /// The whole file: no line.
    File,
    /// Not checked: an alias bomb has no single offending line.
    Anywhere,
}

/// (code, file, place) of every finding the broken fixture must produce.
const BROKEN: &[(&str, &str, Place)] = &[
    ("yaml.syntax", "payers/malformed.yaml", Place::Line(5)),
    ("field.invalid", "payers/wrong-type.yaml", Place::Line(5)),
    ("file.unreadable", "payers/folder.yaml", Place::File),
    ("file.empty", "patients/empty.yaml", Place::File),
    ("field.unknown", "patients/unknown-key.yaml", Place::Line(6)),
    ("field.invalid", "patients/wrong-list.yaml", Place::Line(6)),
    ("file.encoding", "patients/latin1.yaml", Place::Line(2)),
    ("file.too_large", "sessions/2026-11/huge.yaml", Place::File),
    (
        "yaml.syntax",
        "sessions/2026-11/laughs.yaml",
        Place::Anywhere,
    ),
    ("yaml.syntax", "sessions/2026-11/deep.yaml", Place::Line(3)),
    (
        "field.invalid",
        "sessions/2026-11/minutes-text.yaml",
        Place::Line(9),
    ),
    // A well-formed session is still checked by every rule.
    (
        "signature.missing",
        "sessions/2026-11/june-ames-unsigned.yaml",
        Place::Line(11),
    ),
];

#[test]
fn broken_files_each_get_their_own_finding() {
    let p = broken_practice();
    let run = validate_json(&p.root, &[]);
    // A `.yaml` that is a folder cannot be read at all: reported, then exit 2 as the contract
    // says for an unreadable file.
    run.expect_code(2);
    let report = run.report();
    for (code, file, place) in BROKEN {
        let found = report.in_file(file);
        assert_eq!(
            found.len(),
            1,
            "{file} should have exactly one finding:\n{}",
            report.listing()
        );
        assert_eq!(found[0].code, *code, "{}", found[0]);
        assert_eq!(found[0].severity, "error", "{}", found[0]);
        match place {
            Place::Line(line) => assert_eq!(found[0].line, Some(*line), "{}", found[0]),
            Place::File => assert_eq!(found[0].line, None, "{}", found[0]),
            Place::Anywhere => {}
        }
    }
    for f in &report.findings {
        let expected = BROKEN.iter().any(|(_, file, _)| *file == f.file);
        assert!(expected || is_edition_notice(f), "unexpected finding: {f}");
    }
}

#[test]
fn broken_fields_are_named() {
    let p = broken_practice();
    let report = validate_json(&p.root, &[]).report();
    let field = |file: &str| {
        report
            .in_file(file)
            .first()
            .and_then(|f| f.field.clone())
            .unwrap_or_default()
    };
    assert_eq!(field("payers/wrong-type.yaml"), "timely_filing_days");
    assert_eq!(field("patients/unknown-key.yaml"), "email");
    assert_eq!(field("patients/wrong-list.yaml"), "coverages");
    assert_eq!(
        field("sessions/2026-11/minutes-text.yaml"),
        "services[0].minutes"
    );
    let unknown = &report.in_file("patients/unknown-key.yaml")[0].message;
    assert!(unknown.contains("`email`"), "{unknown}");
}

#[test]
fn hidden_and_non_yaml_files_are_ignored() {
    let p = broken_practice();
    // The ignored files exist in the copy...
    for file in [
        "payers/notes.txt",
        "payers/.draft.yaml",
        "sessions/2026-11/.trash/old.yaml",
    ] {
        assert!(p.path(file).is_file(), "{file} is missing from the fixture");
    }
    // ...and the report never mentions them.
    let report = validate_json(&p.root, &[]).report();
    for f in &report.findings {
        assert!(
            !f.file.ends_with(".txt") && !f.file.contains("/."),
            "an ignored file was read: {f}"
        );
    }
}

#[test]
fn broken_practice_file_does_not_stop_the_other_checks() {
    let p = Practice::copy_of("broken");
    let practice = std::fs::read_to_string(p.path("practice.yaml")).expect("read practice.yaml");
    p.write(
        "practice.yaml",
        practice.replace("tax_id_type: ein", "tax_id_type: [ein"),
    );
    let run = validate_json(&p.root, &[]);
    run.expect_code(1);
    let report = run.report();
    let practice = report.in_file("practice.yaml");
    assert_eq!(practice.len(), 1, "{}", report.listing());
    assert_eq!(practice[0].code, "yaml.syntax");
    // Sessions, patients and payers are still read and checked.
    for (code, file, _) in BROKEN.iter().filter(|(_, file, _)| p.path(file).is_file()) {
        let found = report.in_file(file);
        assert!(
            found.iter().any(|f| f.code == *code),
            "{file} should still have {code}:\n{}",
            report.listing()
        );
    }
}

/// The one finding of a payer file written into a copy of the broken fixture.
fn payer_file_finding(name: &str, text: &str) -> Finding {
    let p = Practice::copy_of("broken");
    let file = format!("payers/{name}");
    p.write(&file, text);
    let report = validate_json(&p.root, &[]).report();
    let found = report.in_file(&file);
    assert_eq!(found.len(), 1, "{}", report.listing());
    found[0].clone()
}

#[test]
fn duplicate_key_is_reported_on_the_repeated_key() {
    // The second `name:` (line 3) is the mistake.
    let f = payer_file_finding(
        "duplicate.yaml",
        "name: Seacoast Mutual\nkind: commercial\nname: Seacoast Mutual Health\nunit_rule: cms_8_minute\n",
    );
    assert_eq!(f.code, "yaml.syntax", "{f}");
    assert!(f.message.contains("name"), "{f}");
    assert_eq!(f.line, Some(3), "{f}");
}

#[test]
fn unterminated_quote_is_reported_where_it_opens() {
    // The quote opened on line 4 of this 6-line file is never closed.
    let text = "name: Seacoast Mutual\nkind: commercial\nclaims_address:\n  street: \"PO Box 18\n  city: Kittery\nunit_rule: cms_8_minute\n";
    let f = payer_file_finding("open-quote.yaml", text);
    assert_eq!(f.code, "yaml.syntax", "{f}");
    let lines = text.lines().count();
    assert!(
        f.line.is_some_and(|l| l <= lines),
        "line {:?} of a {lines}-line file: {f}",
        f.line
    );
    assert_eq!(f.line, Some(4), "{f}");
}

// ---------------------------------------------------------------------------------------------
// The example practice and `init`.
// ---------------------------------------------------------------------------------------------

#[test]
fn harbor_street_example_validates_clean() {
    let run = validate_json(&example("harbor-street"), &[]);
    let report = run.report();
    assert_eq!(report.errors, 0, "{}", report.listing());
    run.expect_code(0);
}

#[test]
fn init_writes_a_practice_that_validates() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path().join("x");
    let dir_arg = dir.to_str().expect("a UTF-8 path");
    run_in(tmp.path(), &["init", dir_arg]).expect_code(0);
    assert!(dir.join("practice.yaml").is_file());
    // The folder written is the example practice, file for file.
    assert_eq!(files_under(&dir), files_under(&example("harbor-street")));
    let run = run_in(tmp.path(), &["validate", "-C", dir_arg, "--as-of", AS_OF]);
    run.expect_code(0);
    assert!(run.stdout.contains("0 errors"), "{}", run.stdout);
}

#[test]
fn init_refuses_a_non_empty_folder_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let dir = tmp.path().join("taken");
    std::fs::create_dir(&dir).expect("create the folder");
    std::fs::write(dir.join("notes.md"), "mine\n").expect("write a file");
    let run = run_in(tmp.path(), &["init", dir.to_str().expect("a UTF-8 path")]);
    run.expect_code(2);
    assert!(run.stderr.contains("not empty"), "{}", run.stderr);
    assert_eq!(files_under(&dir), vec!["notes.md".to_string()]);
    assert_eq!(
        std::fs::read_to_string(dir.join("notes.md")).expect("read the file"),
        "mine\n"
    );
}

// ---------------------------------------------------------------------------------------------
// Naming files, finding the practice, and output formats.
// ---------------------------------------------------------------------------------------------

#[test]
fn validate_named_file_reports_only_that_file() {
    let root = fixture("scrub");
    // A path relative to the current folder, with the practice found from there.
    let run = run_in(
        &root,
        &[
            "validate",
            "sessions/2026-11/park-ncci.yaml",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    run.expect_code(1);
    let report = run.report();
    assert_eq!(report.findings.len(), 1, "{}", report.listing());
    assert_eq!(report.findings[0].code, "ncci.modifier_required");
    assert_eq!(report.findings[0].file, "sessions/2026-11/park-ncci.yaml");
    assert_eq!(report.errors, 1);

    // An absolute path to a clean file: nothing to report, even though the practice has errors.
    let clean = root.join("sessions/2026-11/gomez-c.yaml");
    let run = validate_json(&root, &[clean.to_str().expect("a UTF-8 path")]);
    run.expect_code(0);
    let report = run.report();
    assert!(report.findings.is_empty(), "{}", report.listing());

    // A warning alone does not refuse.
    let run = run_in(
        &root,
        &[
            "validate",
            "sessions/2026-11/park-soap-vague.yaml",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    run.expect_code(0);
    let report = run.report();
    assert_eq!(
        (report.errors, report.warnings),
        (0, 1),
        "{}",
        report.listing()
    );
    assert_eq!(report.findings[0].code, "soap.vague");

    // Two files: both reported, nothing else.
    let run = run_in(
        &root,
        &[
            "validate",
            "sessions/2026-11/gomez-a.yaml",
            "patients/lena-fox.yaml",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    run.expect_code(1);
    let files: BTreeSet<String> = run
        .report()
        .findings
        .iter()
        .map(|f| f.file.clone())
        .collect();
    let expected: BTreeSet<String> = ["sessions/2026-11/gomez-a.yaml", "patients/lena-fox.yaml"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(files, expected);
}

#[test]
fn validate_named_file_that_is_missing_or_outside_exits_2() {
    let root = fixture("scrub");
    let missing = run_in(
        &root,
        &[
            "validate",
            "sessions/2026-11/no-such-session.yaml",
            "--as-of",
            AS_OF,
        ],
    );
    missing.expect_code(2);
    assert!(
        missing.stderr.contains("no-such-session"),
        "{}",
        missing.stderr
    );
    let outside = example("harbor-street").join("practice.yaml");
    let outside = validate_json(&root, &[outside.to_str().expect("a UTF-8 path")]);
    outside.expect_code(2);
    assert!(outside.stdout.is_empty(), "{}", outside.stdout);
}

#[test]
fn validate_named_folder_reports_the_files_in_it() {
    let root = fixture("scrub");
    let run = run_in(
        &root,
        &[
            "validate",
            "sessions/2026-11",
            "--as-of",
            AS_OF,
            "--format",
            "json",
        ],
    );
    let whole = validate_json(&root, &[]).report();
    let expected: Vec<Finding> = whole
        .findings
        .iter()
        .filter(|f| f.file.starts_with("sessions/2026-11/"))
        .cloned()
        .collect();
    assert!(!expected.is_empty());
    let got = run.report();
    assert!(
        !got.findings.is_empty(),
        "naming sessions/2026-11 reported nothing (exit {:?}), but its files hold {} findings",
        run.code,
        expected.len()
    );
    assert_eq!(got.findings, expected);
    run.expect_code(1);
}

#[test]
fn practice_is_found_from_a_subfolder() {
    let root = fixture("scrub");
    let from_sub = run_in(
        &root.join("sessions/2026-11"),
        &["validate", "--as-of", AS_OF, "--format", "json"],
    );
    from_sub.expect_code(1);
    let from_root = validate_json(&root, &[]);
    assert_eq!(from_sub.report().findings, from_root.report().findings);

    let nowhere = tempfile::tempdir().expect("a temporary folder");
    let lost = run_in(nowhere.path(), &["validate", "--as-of", AS_OF]);
    lost.expect_code(2);
    assert!(lost.stderr.contains("practice.yaml"), "{}", lost.stderr);
}

#[test]
fn text_output_has_file_line_severity_code_message() {
    let root = fixture("scrub");
    let run = run(&[
        "validate",
        "-C",
        root.to_str().expect("a UTF-8 path"),
        "--as-of",
        AS_OF,
    ]);
    run.expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let has = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));
    assert!(
        has(
            "sessions/2026-11/park-ncci.yaml:16: error ncci.modifier_required: NCCI bundles 97140 into 97124"
        ),
        "{}",
        run.stdout
    );
    assert!(
        has("sessions/2026-11/park-soap-vague.yaml:24: warning soap.vague: \"relaxation\""),
        "{}",
        run.stdout
    );
    assert!(
        has("sessions/2026-11/fox-referral-missing.yaml: error referral.missing: "),
        "{}",
        run.stdout
    );
    // Nothing but findings and the summary: no colour codes when not on a terminal.
    assert!(!run.stdout.contains('\x1b'), "{}", run.stdout);
    let json = validate_json(&root, &[]).report();
    let summary = format!("{} errors, {} warnings", json.errors, json.warnings);
    assert_eq!(lines.last().copied(), Some(summary.as_str()));
    // One line per finding, the same findings as the JSON report.
    let finding_lines = lines
        .iter()
        .filter(|l| l.contains(": error ") || l.contains(": warning "))
        .count();
    assert_eq!(finding_lines, json.findings.len());
}

#[test]
fn json_output_has_the_contract_shape() {
    let run = validate_json(&fixture("scrub"), &[]);
    run.expect_code(1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).expect("one JSON document");
    let object = value.as_object().expect("a JSON object");
    let keys: BTreeSet<&str> = object.keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["errors", "warnings", "findings"]));
    assert!(object["errors"].is_u64());
    assert!(object["warnings"].is_u64());
    let findings = object["findings"].as_array().expect("an array of findings");
    assert!(!findings.is_empty());
    for f in findings {
        let f = f.as_object().expect("a finding object");
        let keys: BTreeSet<&str> = f.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from(["severity", "code", "file", "line", "field", "message"])
        );
        assert!(matches!(f["severity"].as_str(), Some("error" | "warning")));
        assert!(f["code"].as_str().is_some_and(|c| c.contains('.')));
        assert!(f["file"].as_str().is_some_and(|p| !p.starts_with('/')));
        assert!(f["line"].is_null() || f["line"].as_u64().is_some_and(|l| l >= 1));
        assert!(f["field"].is_null() || f["field"].is_string());
        assert!(f["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    // Findings come sorted by file, then line.
    let report = run.report();
    let order: Vec<(String, usize)> = report
        .findings
        .iter()
        .map(|f| (f.file.clone(), f.line.unwrap_or(0)))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn unknown_format_exits_2() {
    let root = fixture("scrub");
    let run = run(&[
        "validate",
        "-C",
        root.to_str().expect("a UTF-8 path"),
        "--as-of",
        AS_OF,
        "--format",
        "xml",
    ]);
    run.expect_code(2);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("text") && run.stderr.contains("json"),
        "{}",
        run.stderr
    );
    // validate prints one report: two formats at once are refused too.
    let twice = validate_json(&root, &["--format", "text"]);
    twice.expect_code(2);
    assert!(twice.stdout.is_empty(), "{}", twice.stdout);
}

// ---------------------------------------------------------------------------------------------
// `schema` and `codes`.
// ---------------------------------------------------------------------------------------------

#[test]
fn schema_session_describes_diagnoses_and_services() {
    let run = run(&["schema", "session"]);
    run.expect_code(0);
    let schema: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON Schema");
    let properties = schema["properties"]
        .as_object()
        .expect("the schema has properties");
    for name in ["patient", "date", "diagnoses", "services", "soap"] {
        assert!(
            properties.contains_key(name),
            "no `{name}` in {properties:?}"
        );
    }
    assert_eq!(properties["diagnoses"]["type"], "array");
    assert_eq!(properties["services"]["type"], "array");
    let required: Vec<&str> = schema["required"]
        .as_array()
        .expect("required fields")
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert!(required.contains(&"diagnoses") && required.contains(&"services"));
    assert!(!required.contains(&"signed"));
    // Unknown fields are refused in the schema as they are by validate.
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn codes_reports_icd10_and_procedure_knowledge() {
    let run = run(&["codes", "M54.5", "M54.50", "97124", "--as-of", AS_OF]);
    run.expect_code(0);
    let line_of = |code: &str| -> String {
        run.stdout
            .lines()
            .find(|l| l.starts_with(&format!("{code}:")))
            .unwrap_or_else(|| panic!("no line for {code}:\n{}", run.stdout))
            .to_string()
    };
    let deleted = line_of("M54.5");
    assert!(deleted.contains("2021-10-01"), "{deleted}");
    assert!(deleted.contains("M54.50"), "{deleted}");
    let billable = line_of("M54.50");
    assert!(billable.contains("billable"), "{billable}");
    assert!(!billable.contains("not a billable"), "{billable}");
    let massage = line_of("97124");
    assert!(massage.contains("procedure"), "{massage}");
    assert!(
        run.stdout
            .contains("timed: units from minutes, 15 minutes a unit"),
        "{}",
        run.stdout
    );

    let unknown = run_in(&fixture("scrub"), &["codes", "T85.7XXS", "--as-of", AS_OF]);
    unknown.expect_code(1);
    assert!(unknown.stdout.contains("T85.7XXS"), "{}", unknown.stdout);
}
