//! A visit past the plan's maximum minutes: a warning, a claim for what the plan pays, and the
//! note and the summary saying what goes to the patient.

use crate::finding_cases::{example_with_patient, prints};
use crate::util::{AS_OF, run_at};

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
        summary.contains("| massage, 15-minute units | 2 |\n\n"),
        "{summary}"
    );
    assert!(
        summary.contains("That includes $40.00 at our fee for 1 unit of exercise therapy. The plan pays for up to 30 minutes a visit."),
        "{summary}"
    );
}
