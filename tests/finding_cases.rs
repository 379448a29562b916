//! Finding codes the scrub fixture does not hold, each shown to fire: cases that copy the scrub
//! practice and break exactly one thing, and the codes raised only while preparing or writing
//! documents (`claim.incomplete`, the claim value codes, `render.failed`, `output.modified`).
//! The check that every declared code is covered lives in `catalog.rs` and walks `MADE` and the
//! tests named here.

use crate::catalog::scrub_report;
use crate::util::{AS_OF, Finding, Practice, example, run_at, validate_json};
use std::path::Path;

// ---------------------------------------------------------------------------------------------
// Scrub cases made at run time: each copies the scrub fixture and breaks exactly one thing.
// ---------------------------------------------------------------------------------------------

/// One finding a case must add to the scrub fixture's report, and how the case is made.
pub(crate) struct Case {
    pub(crate) code: &'static str,
    severity: &'static str,
    file: &'static str,
    line: Option<usize>,
    field: Option<&'static str>,
    make: fn(&Practice),
}

/// `text` with each `(from, to)` replaced; each `from` must be there, so a case fails loudly
/// when the fixture file it starts from changes.
fn edited(text: &str, edits: &[(&str, &str)]) -> String {
    edits.iter().fold(text.to_string(), |text, (from, to)| {
        assert!(text.contains(from), "{from:?} is not in the text:\n{text}");
        text.replace(from, to)
    })
}

/// Writes `file`: the clean park session moved to `date` (signature included), with `edits`.
fn park_session(p: &Practice, file: &str, date: &str, edits: &[(&str, &str)]) {
    let clean = std::fs::read_to_string(p.path("sessions/2026-11/park-clean.yaml")).unwrap();
    assert_eq!(clean.matches("2026-11-02").count(), 2, "{clean}");
    p.write(file, edited(&clean.replace("2026-11-02", date), edits));
}

/// Rewrites `practice.yaml` with `edits`.
fn edit_practice(p: &Practice, edits: &[(&str, &str)]) {
    let text = std::fs::read_to_string(p.path("practice.yaml")).unwrap();
    p.write("practice.yaml", edited(&text, edits));
}

/// Cases for codes `validate` can produce that no file of `tests/fixtures/scrub` produces yet;
/// adding them there needs a row each in the table of `scrub.rs`, and the case removed here.
pub(crate) const MADE: &[Case] = &[
    Case {
        code: "id.duplicate",
        severity: "error",
        file: "sessions/2026-11/park-id-duplicate.yaml",
        line: Some(1),
        field: Some("id"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-id-duplicate.yaml",
                "2026-11-19",
                &[(
                    "patient: owen-park\n",
                    "id: park-clean\npatient: owen-park\n",
                )],
            )
        },
    },
    Case {
        code: "codes.invalid",
        severity: "error",
        file: "codes/icd10cm_order_2027.txt",
        line: None,
        field: None,
        make: |p| p.write("codes/icd10cm_order_2027.txt", "not an order file\n"),
    },
    Case {
        code: "diagnosis.too_many",
        severity: "error",
        file: "sessions/2026-11/park-too-many-diagnoses.yaml",
        line: Some(6),
        field: Some("diagnoses[12]"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-too-many-diagnoses.yaml",
                "2026-11-19",
                &[(
                    "diagnoses: [M54.50, M54.2]",
                    "diagnoses: [M54.50, M54.2, M54.51, M54.59, M54.6, M62.81, M79.10, M79.11, M79.12, M79.18, M25.511, M25.512, M54.16]",
                )],
            )
        },
    },
    Case {
        code: "procedure.not_payable",
        severity: "error",
        file: "sessions/2026-11/park-not-payable.yaml",
        line: Some(14),
        field: Some("services[1].code"),
        make: |p| {
            // With a fee, so the line breaks only the Medicare rule.
            edit_practice(p, &[("fees:\n", "fees:\n  \"97014\": 20.00\n")]);
            park_session(
                p,
                "sessions/2026-11/park-not-payable.yaml",
                "2026-11-19",
                &[("code: \"97140\"", "code: \"97014\"")],
            )
        },
    },
    Case {
        code: "modifier.unknown",
        severity: "warning",
        file: "sessions/2026-11/park-modifier-unknown.yaml",
        line: Some(10),
        field: Some("services[0].modifiers[1]"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-modifier-unknown.yaml",
                "2026-11-19",
                &[("modifiers: [GP]\n", "modifiers: [GP, ZZ]\n")],
            )
        },
    },
    Case {
        code: "fee.missing",
        severity: "warning",
        file: "sessions/2026-11/park-fee-missing.yaml",
        line: Some(8),
        field: Some("services[0].code"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-fee-missing.yaml",
                "2026-11-19",
                &[("code: \"97124\"", "code: \"97530\"")],
            )
        },
    },
    Case {
        code: "tax_id.invalid",
        severity: "error",
        file: "practice.yaml",
        line: Some(4),
        field: Some("tax_id"),
        make: |p| edit_practice(p, &[("tax_id: \"04-2718281\"", "tax_id: \"042718281\"")]),
    },
    Case {
        code: "tax_id.placeholder",
        severity: "warning",
        file: "practice.yaml",
        line: Some(4),
        field: Some("tax_id"),
        make: |p| edit_practice(p, &[("tax_id: \"04-2718281\"", "tax_id: \"44-4444444\"")]),
    },
    Case {
        code: "place_of_service.unknown",
        severity: "error",
        file: "sessions/2026-11/park-place-of-service.yaml",
        line: Some(6),
        field: Some("place_of_service"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-place-of-service.yaml",
                "2026-11-19",
                &[(
                    "time_out: \"09:50\"\n",
                    "time_out: \"09:50\"\nplace_of_service: \"30\"\n",
                )],
            )
        },
    },
    Case {
        code: "coverage.missing",
        severity: "warning",
        file: "sessions/2026-11/nolan-self-pay.yaml",
        line: Some(1),
        field: Some("patient"),
        make: |p| {
            p.write(
                "patients/ada-nolan.yaml",
                "# Pays for her own visits: no coverage on file.\nfirst_name: Ada\nlast_name: Nolan\ndob: 1990-05-21\nsex: F\naddress: {street: \"7 Elm St\", city: Bath, state: ME, zip: \"04530\"}\nphone: \"207-555-0176\"\nsignature_on_file: true\ncoverages: []\n",
            );
            park_session(
                p,
                "sessions/2026-11/nolan-self-pay.yaml",
                "2026-11-19",
                &[("patient: owen-park", "patient: ada-nolan")],
            )
        },
    },
    Case {
        code: "signature.invalid",
        severity: "error",
        file: "sessions/2026-11/park-signature-invalid.yaml",
        line: Some(27),
        field: Some("signed.by"),
        make: |p| {
            park_session(
                p,
                "sessions/2026-11/park-signature-invalid.yaml",
                "2026-11-19",
                &[("signed: {by: amy-lind", "signed: {by: pat-ortiz")],
            )
        },
    },
    Case {
        code: "file.skipped",
        severity: "warning",
        file: "sessions/2026-11/park-link.yaml",
        line: None,
        field: None,
        make: |p| {
            std::os::unix::fs::symlink("park-clean.yaml", p.path("sessions/2026-11/park-link.yaml"))
                .unwrap()
        },
    },
];

/// A finding without its message, to compare reports.
fn key(f: &Finding) -> (String, String, String, Option<usize>, Option<String>) {
    (
        f.severity.clone(),
        f.code.clone(),
        f.file.clone(),
        f.line,
        f.field.clone(),
    )
}

#[test]
fn each_case_made_from_the_scrub_fixture_adds_exactly_its_finding() {
    let before: Vec<_> = scrub_report().findings.iter().map(key).collect();
    let mut problems = Vec::new();
    for case in MADE {
        let p = Practice::copy_of("scrub");
        (case.make)(&p);
        let report = validate_json(&p.root, &[]).report();
        let mut gone = before.clone();
        let mut added = Vec::new();
        for f in &report.findings {
            match gone.iter().position(|k| *k == key(f)) {
                Some(i) => {
                    gone.remove(i);
                }
                None => added.push(f.to_string()),
            }
        }
        let want = (
            case.severity.to_string(),
            case.code.to_string(),
            case.file.to_string(),
            case.line,
            case.field.map(String::from),
        );
        let found = report.findings.iter().any(|f| key(f) == want);
        if !found || added.len() != 1 || !gone.is_empty() {
            problems.push(format!(
                "  {}: want {want:?}\n    added:\n      {}\n    gone: {gone:?}",
                case.code,
                added.join("\n      ")
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Codes raised while preparing or writing documents.
// ---------------------------------------------------------------------------------------------

/// A copy of the example practice with `patients/<patient>.yaml` edited.
fn example_with_patient(patient: &str, edits: &[(&str, &str)]) -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = format!("patients/{patient}.yaml");
    let text = std::fs::read_to_string(p.path(&file)).unwrap();
    p.write(&file, edited(&text, edits));
    p
}

/// True when the text a command printed names a finding of `code` with `severity` on `file`.
fn prints(output: &str, file: &str, severity: &str, code: &str) -> bool {
    output.lines().any(|l| {
        l.trim_start().strip_prefix(file).is_some_and(|rest| {
            rest.starts_with(':') && rest.contains(&format!(" {severity} {code}: "))
        })
    })
}

fn render_claim(p: &Practice, patient: &str) -> crate::util::Run {
    let out = tempfile::tempdir().unwrap();
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &["render", "claim", patient, "--month", "2026-11"],
    )
}

#[test]
fn a_claim_names_the_visits_and_items_it_cannot_fill() {
    // A visit of the month that cannot be read would silently go missing from the claim.
    let p = Practice::copy_from(&example("harbor-street"));
    let broken = "sessions/2026-11/2026-11-26-margaret-walsh.yaml";
    p.write(broken, "patient: margaret-walsh\nprovider: [unclosed\n");
    let r = render_claim(&p, "margaret-walsh");
    r.expect_code(1);
    assert!(
        prints(&r.stderr, broken, "error", "claim.incomplete"),
        "{}",
        r.stderr
    );
    // A workers' compensation claim names the employer as the insured.
    let p = example_with_patient(
        "jason-theriault",
        &[(
            "    employer:\n      name: Casco Freight Lines, Inc.\n      address: {street: \"200 Commercial St\", city: Portland, state: ME, zip: \"04101\"}\n      phone: \"207-555-0180\"\n",
            "",
        )],
    );
    let r = render_claim(&p, "jason-theriault");
    r.expect_code(0);
    assert!(
        prints(
            &r.stderr,
            "patients/jason-theriault.yaml",
            "warning",
            "claim.incomplete"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn values_too_long_for_their_claim_boxes() {
    // An identifier cut short would name someone else, so it refuses; other text is shortened.
    let p = example_with_patient(
        "margaret-walsh",
        &[(
            "member_id: PMA448190263",
            "member_id: PMA448190263PMA448190263PMA448190263",
        )],
    );
    let r = render_claim(&p, "margaret-walsh");
    r.expect_code(1);
    let file = "patients/margaret-walsh.yaml";
    assert!(
        prints(&r.stderr, file, "error", "claim.value_too_long"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("form 1, item 1a:"), "{}", r.stderr);
    assert!(
        prints(&r.stderr, file, "warning", "claim.value_shortened"),
        "{}",
        r.stderr
    );
}

fn batch(p: &Practice, out: &Path) -> crate::util::Run {
    run_at(
        &p.root,
        out,
        AS_OF,
        &["batch", "--month", "2026-11", "--format", "md"],
    )
}

#[test]
fn a_template_that_fails_refuses_its_document() {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write(
        "templates/superbill.md",
        "Superbill for {{ patient.nme }}\n",
    );
    let out = tempfile::tempdir().unwrap();
    let r = batch(&p, out.path());
    r.expect_code(1);
    assert!(
        r.stdout
            .contains("refused: superbill nora-pelletier-2026-11"),
        "{}",
        r.stdout
    );
    // The finding names the template and its line, not the patient's file.
    assert!(
        prints(
            &r.stdout,
            "templates/superbill.md:1",
            "error",
            "render.failed"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn a_hand_edited_output_is_refused() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    batch(&p, out.path()).expect_code(0);
    let name = "summary/david-nguyen-2026-11-30.md";
    let summary = out.path().join("2026-11").join(name);
    let mut text = std::fs::read_to_string(&summary).unwrap();
    text.push_str("Called the payer on 2026-12-01.\n");
    std::fs::write(&summary, &text).unwrap();
    let r = batch(&p, out.path());
    r.expect_code(1);
    assert!(
        prints(&r.stdout, name, "error", "output.modified"),
        "{}",
        r.stdout
    );
    // The edit is kept: only --force overwrites it.
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), text);
}

// ---------------------------------------------------------------------------------------------
// A visit past the plan's maximum minutes: a warning, and a claim for what the plan pays.
// ---------------------------------------------------------------------------------------------

#[test]
fn a_visit_past_the_plans_minutes_claims_the_units_of_its_maximum() {
    // Margaret's plan follows the CMS rule; at 30 minutes a visit it pays 2 units.
    let p = example_with_patient(
        "margaret-walsh",
        &[("max_minutes_per_visit: 45", "max_minutes_per_visit: 30")],
    );
    let out = tempfile::tempdir().unwrap();
    let r = run_at(
        &p.root,
        out.path(),
        AS_OF,
        &[
            "claims",
            "prepare",
            "--month",
            "2026-11",
            "--payer",
            "pinecrest-advantage",
        ],
    );
    // Warnings only: the claim is written.
    r.expect_code(0);
    let visit = "sessions/2026-11/2026-11-12-margaret-walsh.yaml";
    assert!(
        prints(&r.stderr, visit, "warning", "benefit.minutes_exceeded"),
        "{}",
        r.stderr
    );
    // 23 + 11 + 11 minutes, stated as a unit each: 3 units, of which the plan pays 2 and
    // the last line's unit is the patient's.
    assert!(
        r.stderr.contains("1 unit of 97124 and 1 unit of 97140 are billed to the plan, 1 unit of 97110 to the patient at the practice's fee"),
        "{}",
        r.stderr
    );
    let (data, _) = claimwright::load::load(&p.root);
    let lines: Vec<(usize, String, u32, String)> = data
        .claims
        .values()
        .flat_map(|c| c.data.lines.clone())
        .filter(|l| l.session == "2026-11-12-margaret-walsh")
        .map(|l| {
            (
                l.service_index,
                l.code.clone(),
                l.units,
                l.charge.to_string(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (0, "97124".to_string(), 1, "38.00".to_string()),
            (1, "97140".to_string(), 1, "42.00".to_string()),
        ]
    );
    // A visit within the plan's minutes keeps every unit: 30 + 8 minutes, 2 + 1 units.
    let p = example_with_patient("margaret-walsh", &[]);
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &[
            "claims",
            "prepare",
            "--month",
            "2026-11",
            "--payer",
            "pinecrest-advantage",
            "--force",
        ],
    )
    .expect_code(0);
    let (data, _) = claimwright::load::load(&p.root);
    let units: Vec<u32> = data
        .claims
        .values()
        .flat_map(|c| c.data.lines.clone())
        .filter(|l| l.session == "2026-11-12-margaret-walsh")
        .map(|l| l.units)
        .collect();
    assert_eq!(units, [1, 1, 1]);
}

#[test]
fn the_note_and_the_summary_say_what_goes_to_the_patient_past_the_plans_minutes() {
    let p = example_with_patient(
        "margaret-walsh",
        &[("max_minutes_per_visit: 45", "max_minutes_per_visit: 30")],
    );
    let out = tempfile::tempdir().unwrap();
    let render = |args: &[&str]| {
        run_at(&p.root, out.path(), AS_OF, args)
            .expect_code(0)
            .stdout
            .clone()
    };
    render(&[
        "render",
        "soap",
        "2026-11-12-margaret-walsh",
        "--format",
        "md",
    ]);
    let note =
        std::fs::read_to_string(out.path().join("soap_note/2026-11-12-margaret-walsh.md")).unwrap();
    // The note keeps every minute and says what the plan and the patient are billed.
    assert!(note.contains("| 97110 |"), "{note}");
    assert!(
        note.contains(
            "Timed minutes: 45 · Total treatment minutes: 45 · Units billed: 2 (CMS 8-minute rule)"
        ),
        "{note}"
    );
    assert!(
        note.contains("The plan pays up to 30 minutes a visit. Billed to the patient at the practice's fee for the time past them: 1 unit of 97110 ($40.00)."),
        "{note}"
    );
    render(&["render", "summary", "margaret-walsh", "--format", "md"]);
    let summary =
        std::fs::read_to_string(out.path().join("summary/margaret-walsh-2026-11-30.md")).unwrap();
    // Her latest visit, 30 + 12 minutes: 2 units for the plan, 97110's unit at 40.00 for her.
    assert!(
        summary.contains("for 97124 x 2 units, priced like"),
        "{summary}"
    );
    assert!(
        summary.contains("That includes $40.00 at our fee for 1 unit of 97110 past the 30 minutes the plan pays a visit"),
        "{summary}"
    );
}
