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
    at(
        "benefit.not_covered",
        "sessions/2026-11/marsh-code-not-covered.yaml",
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

/// Findings a practice may carry besides the table: the once-per-practice notice that no
/// ICD-10-CM edition covers the fiscal year of the dates of service.
pub(crate) fn is_edition_notice(f: &Finding) -> bool {
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
        // Manual therapy and exercise billed to a plan that pays no massage.
        "sessions/2026-11/brooks-therapy-clean.yaml",
        // A plan that lists 97112 as not covered, billed 97124 and 97110.
        "patients/ivy-marsh.yaml",
        "sessions/2026-11/marsh-clean.yaml",
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

/// The codes of the table that are warnings: they refuse nothing.
const WARNINGS: &[&str] = &["soap.vague", "benefit.minutes_exceeded", "units.tie"];

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
    // Only these (and the edition notice) are warnings; everything else refuses.
    let warns = |code: &str| WARNINGS.contains(&code);
    for f in &report.findings {
        let warning = warns(&f.code) || is_edition_notice(f);
        assert_eq!(f.severity, if warning { "warning" } else { "error" }, "{f}");
    }
    assert_eq!(
        report.errors,
        SCRUB.iter().filter(|e| !warns(e.code)).count()
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
    assert!(units.contains("CMS 8-minute rule"), "{units}");
    assert!(!units.contains("cms_8_minute"), "{units}");
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

    let file = |name: &str| format!("sessions/2026-11/{name}.yaml");
    let massage = message("benefit.not_covered", &file("brooks-not-covered"));
    assert!(massage.contains("does not pay 97124"), "{massage}");
    assert!(massage.contains("bill another coverage the patient has, or bill the patient"));
    let listed = message("benefit.not_covered", &file("marsh-code-not-covered"));
    assert!(
        listed.contains("97112 (listed in `not_covered_codes`"),
        "{listed}"
    );
    // 60 minutes of 97124 are 4 units; the plan pays 45 minutes, 3 units.
    let minutes = message("benefit.minutes_exceeded", &file("fox-minutes-exceeded"));
    assert!(minutes.contains(": 3 units of 97124 are billed to the plan, 1 unit of 97124 to the patient at the practice's fee"), "{minutes}");
    let tie = message("units.tie", &file("park-units-tie"));
    assert!(tie.starts_with("the CMS 8-minute rule allows 2 units in all: 2 of 97124, or 1 of 97124 and 1 of 97140; state `units:` on each line to choose"), "{tie}");
    let modifiers = message("field.invalid", &file("park-modifiers-list"));
    assert!(
        modifiers.contains("write a list: `modifiers: [GP]`"),
        "{modifiers}"
    );
    let pain = message("field.invalid", &file("park-pain-scalar"));
    assert!(
        pain.contains("write `pain: {before: 7, after: 5}` (0-10 before and after treatment)"),
        "{pain}"
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
