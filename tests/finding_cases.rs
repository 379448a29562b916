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

/// The edit that gives the clean park session to the practice's physical therapist...
const BY_THE_PT: (&str, &str) = ("provider: amy-lind", "provider: dana-reyes");
/// ...and has her sign it.
const SIGNED_BY_THE_PT: (&str, &str) = ("signed: {by: amy-lind", "signed: {by: dana-reyes");

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
            // With a fee, and given by the physical therapist, so the line breaks only the
            // Medicare rule.
            edit_practice(p, &[("fees:\n", "fees:\n  \"97014\": 20.00\n")]);
            park_session(
                p,
                "sessions/2026-11/park-not-payable.yaml",
                "2026-11-19",
                &[
                    ("code: \"97140\"", "code: \"97014\""),
                    BY_THE_PT,
                    SIGNED_BY_THE_PT,
                ],
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
                // Therapeutic activities are the physical therapist's to give.
                &[
                    ("code: \"97124\"", "code: \"97530\""),
                    BY_THE_PT,
                    SIGNED_BY_THE_PT,
                ],
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
    Case {
        code: "consent.missing",
        severity: "error",
        file: "sessions/2026-11/vance-plan-missing.yaml",
        line: Some(3),
        field: Some("date"),
        make: |p| {
            edit_practice(
                p,
                &[(
                    "accept_assignment: true\n",
                    "accept_assignment: true\nrequires_consent: true\n",
                )],
            );
            // Every patient signed before the month, but Theo Vance only after his visit.
            consent_for_all(p, "2026-01-05");
            let file = p.path("patients/theo-vance.yaml");
            let text = std::fs::read_to_string(&file).unwrap();
            p.write(
                "patients/theo-vance.yaml",
                edited(&text, &[("treatment: 2026-01-05", "treatment: 2026-11-13")]),
            );
        },
    },
    Case {
        code: "progress_note.due",
        severity: "warning",
        file: "sessions/2026-11/cho-2026-11-21.yaml",
        line: None,
        field: Some("progress_note"),
        make: |p| {
            // Nina Cho's clean visit of 2026-11-12 is the first treatment day of her plan;
            // nine more make 2026-11-21 the tenth, with no progress report.
            let clean = std::fs::read_to_string(p.path("sessions/2026-11/cho-clean.yaml")).unwrap();
            assert_eq!(clean.matches("2026-11-12").count(), 2, "{clean}");
            for day in 13..=21 {
                let date = format!("2026-11-{day}");
                p.write(
                    &format!("sessions/2026-11/cho-{date}.yaml"),
                    clean.replace("2026-11-12", &date),
                );
            }
        },
    },
];

/// Gives every patient of `p` consent to treatment and to billing signed on `date`.
fn consent_for_all(p: &Practice, date: &str) {
    for entry in std::fs::read_dir(p.path("patients")).unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!(
            "consent: {{treatment: {date}, billing: {date}}}\n"
        ));
        std::fs::write(&path, text).unwrap();
    }
}

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
pub(crate) fn example_with_patient(patient: &str, edits: &[(&str, &str)]) -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = format!("patients/{patient}.yaml");
    let text = std::fs::read_to_string(p.path(&file)).unwrap();
    p.write(&file, edited(&text, edits));
    p
}

/// True when the text a command printed names a finding of `code` with `severity` on `file`.
pub(crate) fn prints(output: &str, file: &str, severity: &str, code: &str) -> bool {
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

#[test]
fn a_medicare_plan_is_told_which_code_to_bill() {
    let case = MADE
        .iter()
        .find(|c| c.code == "procedure.not_payable")
        .expect("a case of procedure.not_payable");
    let p = Practice::copy_of("scrub");
    (case.make)(&p);
    let report = validate_json(&p.root, &[]).report();
    let found = report.with_code("procedure.not_payable");
    assert_eq!(found.len(), 1, "{}", report.listing());
    let message = &found[0].message;
    assert!(
        message.contains("bill G0283 to Bayview Medicare Advantage (Medicare plans pay unattended electrical stimulation only as G0283)"),
        "{message}"
    );
}

// ---------------------------------------------------------------------------------------------
// The messages of the visit, note and provider rules, on their cases in the scrub fixture.
// ---------------------------------------------------------------------------------------------

#[test]
fn messages_of_the_visit_rules_say_what_to_do() {
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
    let duplicate = message(
        "session.duplicate",
        "sessions/2026-11/marsh-duplicate-a.yaml",
    );
    assert!(
        duplicate.contains("session marsh-duplicate-b (sessions/2026-11/marsh-duplicate-b.yaml)")
            && duplicate.contains("97124")
            && duplicate.contains("delete the file entered twice"),
        "{duplicate}"
    );
    let other = message(
        "session.duplicate",
        "sessions/2026-11/marsh-duplicate-b.yaml",
    );
    assert!(other.contains("session marsh-duplicate-a"), "{other}");

    let bundled = message("procedure.bundled", "sessions/2026-11/park-hot-packs.yaml");
    assert!(
        bundled.contains("97010")
            && bundled.contains("Bayview Medicare Advantage pays nothing")
            && bundled.contains("is left off the claim"),
        "{bundled}"
    );

    let external = message(
        "diagnosis.external_cause_primary",
        "sessions/2026-11/marsh-external-cause.yaml",
    );
    assert!(
        external.contains("W01.0XXD") && external.contains("list the injury or condition"),
        "{external}"
    );

    let telehealth = message(
        "place_of_service.invalid_for_code",
        "sessions/2026-11/marsh-telehealth.yaml",
    );
    assert!(
        telehealth.contains("97124 is hands-on") && telehealth.contains("11 office, 12 home"),
        "{telehealth}"
    );

    let late = message("signature.late", "sessions/2026-11/marsh-signed-late.yaml");
    assert!(
        late.contains("16 days after the visit") && late.contains("`sign_within_days`"),
        "{late}"
    );

    let scope = message("provider.scope", "sessions/2026-11/marsh-scope.yaml");
    assert!(
        scope.contains("massage therapist (taxonomy 225700000X)")
            && scope.contains("add \"97110\" to `scope_codes` of provider amy-lind"),
        "{scope}"
    );
    // Nothing of the note's own words is repeated.
    for f in &report.findings {
        for words in ["fall on ice", "quadratus"] {
            assert!(!f.message.contains(words), "{f}");
        }
    }
}
