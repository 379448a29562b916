//! The scrub fixture (`fixtures/scrub`): a small practice with clean files and one broken record
//! per finding code; every finding at its file, line and field, clean files staying clean, the
//! counts and messages, and `--as-of`.

use crate::util::{AS_OF, Finding, Report, files_under, fixture, run, validate_json};
use std::collections::BTreeSet;

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
        "code: \"97140\"",
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
        9,
        "services[0].code",
        "code: \"97124\"",
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
    // Addresses and phones: the files load, and what would print them is held.
    at(
        "field.invalid",
        "patients/ada-state-name.yaml",
        6,
        "address.state",
        "state: Maine",
    ),
    at(
        "field.invalid",
        "patients/ada-zip-short.yaml",
        6,
        "address.zip",
        "zip: \"4101\"",
    ),
    at(
        "field.invalid",
        "patients/ada-zip-octal.yaml",
        6,
        "address.zip",
        "zip: 0o4101",
    ),
    at(
        "field.invalid",
        "patients/ada-phone-short.yaml",
        7,
        "phone",
        "phone: \"207-555-016\"",
    ),
    at(
        "field.invalid",
        "patients/ada-subscriber-zip.yaml",
        19,
        "coverages[0].subscriber.address.zip",
        "zip: \"0410\"",
    ),
    at(
        "field.invalid",
        "payers/harbor-mutual-state.yaml",
        5,
        "claims_address.state",
        "state: false",
    ),
    // Plans of care: Cedar Health requires one in force.
    at(
        "plan_of_care.missing",
        "sessions/2026-11/vance-plan-missing.yaml",
        3,
        "date",
        "date: 2026-11-12",
    ),
    at(
        "plan_of_care.expired",
        "sessions/2026-11/cho-plan-expired.yaml",
        3,
        "date",
        "date: 2026-11-04",
    ),
    // One visit entered twice: each file names the other.
    at(
        "session.duplicate",
        "sessions/2026-11/marsh-duplicate-a.yaml",
        8,
        "services[0].code",
        "- code: \"97124\"",
    ),
    at(
        "session.duplicate",
        "sessions/2026-11/marsh-duplicate-b.yaml",
        8,
        "services[0].code",
        "- code: \"97124\"",
    ),
    at(
        "procedure.bundled",
        "sessions/2026-11/park-hot-packs.yaml",
        14,
        "services[1].code",
        "- code: \"97010\"",
    ),
    at(
        "diagnosis.external_cause_primary",
        "sessions/2026-11/marsh-external-cause.yaml",
        6,
        "diagnoses[0]",
        "diagnoses: [W01.0XXD, S39.012D, M62.830]",
    ),
    at(
        "place_of_service.invalid_for_code",
        "sessions/2026-11/marsh-telehealth.yaml",
        9,
        "services[0].code",
        "- code: \"97124\"",
    ),
    at(
        "signature.late",
        "sessions/2026-11/marsh-signed-late.yaml",
        19,
        "signed.date",
        "signed: {by: amy-lind, date: 2026-11-20}",
    ),
    at(
        "provider.scope",
        "sessions/2026-11/marsh-scope.yaml",
        12,
        "services[1].code",
        "- code: \"97110\"",
    ),
    at(
        "benefit.not_covered",
        "sessions/2026-11/lake-code-not-covered.yaml",
        12,
        "services[1].code",
        "code: \"97112\"",
    ),
    at(
        "units.tie",
        "sessions/2026-11/park-units-tie.yaml",
        14,
        "services[1].minutes",
        "minutes: 8",
    ),
    at(
        "field.invalid",
        "sessions/2026-11/park-modifiers-list.yaml",
        10,
        "services[0].modifiers",
        "modifiers: GP",
    ),
    at(
        "field.invalid",
        "sessions/2026-11/park-pain-scalar.yaml",
        20,
        "pain",
        "pain: 5",
    ),
];

/// The codes of the table that are warnings; every other finding of the fixture is an error.
const WARNINGS: &[&str] = &[
    "soap.vague",
    "procedure.bundled",
    "signature.late",
    "provider.scope",
    "units.tie",
    "benefit.minutes_exceeded",
];

/// Findings a practice may carry besides the table: the once-per-practice notice that no
/// ICD-10-CM edition covers the fiscal year of the dates of service.
pub(crate) fn is_edition_notice(f: &Finding) -> bool {
    f.code == "icd10.edition_unavailable" && f.severity == "warning"
}

fn matches(f: &Finding, e: &Expected) -> bool {
    f.code == e.code && f.file == e.file && f.line == e.line && f.field.as_deref() == e.field
}

pub(crate) fn scrub_report() -> Report {
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
        "patients/ivy-marsh.yaml",
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
        // ZIP+4 with and without its hyphen, a territory, a phone with its country code.
        "patients/ada-contacts-clean.yaml",
        // Cedar Health requires a plan of care: this visit is under the plan of 2026-11-09.
        "payers/cedar-health.yaml",
        "patients/nina-cho.yaml",
        "patients/theo-vance.yaml",
        "sessions/2026-11/cho-clean.yaml",
        // Two visits of one day that bill no code in common.
        "sessions/2026-11/marsh-clean.yaml",
        "sessions/2026-11/marsh-same-day-clean.yaml",
        // Hot packs billed to a commercial plan, which pays them.
        "sessions/2026-11/marsh-hot-packs-clean.yaml",
        // Exercise coached by telehealth: not a hands-on code.
        "sessions/2026-11/marsh-telehealth-clean.yaml",
        // Therapeutic exercise by a physical therapist.
        "sessions/2026-11/marsh-scope-clean.yaml",
        // The external cause listed after the injury it explains.
        "sessions/2026-11/marsh-external-cause-clean.yaml",
        // Signed on the last of the practice's 14 days.
        "sessions/2026-11/marsh-signed-later-clean.yaml",
        // Manual therapy billed to a plan that pays no massage.
        "sessions/2026-11/brooks-therapy-clean.yaml",
        // A plan that lists 97112 as not covered, billed 97124 and 97110.
        "patients/june-lake.yaml",
        "sessions/2026-11/lake-clean.yaml",
        // The CMS tie settled by stating a unit on each line.
        "sessions/2026-11/park-units-tie-clean.yaml",
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
    // Only the table's warnings (and the edition notice) are warnings; everything else refuses.
    for f in &report.findings {
        let warning = WARNINGS.contains(&f.code.as_str()) || is_edition_notice(f);
        assert_eq!(f.severity, if warning { "warning" } else { "error" }, "{f}");
    }
    assert_eq!(
        report.errors,
        SCRUB.iter().filter(|e| !WARNINGS.contains(&e.code)).count()
    );
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
