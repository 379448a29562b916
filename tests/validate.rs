//! `claimwright validate` end to end, plus the small commands around it (`init`, `schema`,
//! `codes`): the example practice, naming files, finding the practice, exit codes and output
//! formats. The fixtures' findings are in `scrub.rs` and `broken.rs`.

use crate::util::{AS_OF, Finding, example, files_under, fixture, run, run_in, validate_json};
use std::collections::BTreeSet;

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
