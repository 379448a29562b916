//! A practice written from the README alone (`fixtures/trial`, plus `fixtures/trial-consent`
//! for a practice that requires consent): exactly the findings the README promises, at their
//! file and field, with clean look-alikes beside each case; and the claims the month makes.

use crate::util::{Practice, Report, Run, fixture, run, run_at};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The fixtures' "today": the sessions fall in September 2026 (FY2026, a built-in edition).
const AS_OF: &str = "2026-09-30";

const MONTH: &str = "2026-09";

/// `validate --format json` of a fixture folder as of `AS_OF`.
fn validate(folder: &str) -> Run {
    let root = fixture(folder);
    run(&[
        "validate",
        "-C",
        root.to_str().expect("a UTF-8 path"),
        "--as-of",
        AS_OF,
        "--format",
        "json",
    ])
}

/// A session file of the month.
fn session(stem: &str) -> String {
    format!("sessions/{MONTH}/{stem}.yaml")
}

/// (severity, code, file, field) of every finding, sorted.
fn found(report: &Report) -> Vec<(String, String, String, Option<String>)> {
    let mut out: Vec<_> = report
        .findings
        .iter()
        .map(|f| {
            (
                f.severity.clone(),
                f.code.clone(),
                f.file.clone(),
                f.field.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

/// A session stem, or a practice-relative path as it is.
fn file_of(name: &str) -> String {
    if name.contains('/') {
        name.to_string()
    } else {
        session(name)
    }
}

/// The expected findings in the same shape, sorted.
fn expected(rows: &[Row]) -> Vec<(String, String, String, Option<String>)> {
    let mut out: Vec<_> = rows
        .iter()
        .map(|(severity, code, file, field)| {
            (
                severity.to_string(),
                code.to_string(),
                file_of(file),
                Some(field.to_string()),
            )
        })
        .collect();
    out.sort();
    out
}

/// Severity, code, session stem (or practice-relative file) and field of a finding.
type Row = (&'static str, &'static str, &'static str, &'static str);

/// What the README promises for `fixtures/trial` as of `AS_OF`.
#[rustfmt::skip]
const TRIAL: &[Row] = &[
    // A plan without massage: 97124 is refused on its line; a code the coverage lists too.
    ("error", "benefit.not_covered", "2026-09-09-eleanor-brackett", "services[1].code"),
    ("error", "benefit.not_covered", "2026-09-16-eleanor-brackett", "services[1].code"),
    // 60 minutes where the plan pays 45: a warning, never an error.
    ("warning", "benefit.minutes_exceeded", "2026-09-03-walter-cyr", "services"),
    // Two files of one patient and day billing 97140: each is flagged.
    ("error", "session.duplicate", "2026-09-08-rosalind-tibbetts-am", "services[0].code"),
    ("error", "session.duplicate", "2026-09-08-rosalind-tibbetts-pm", "services[0].code"),
    // Medicare Advantage and Medicare: bundled hot packs, 97014 instead of G0283.
    ("warning", "procedure.bundled", "2026-09-04-gordon-pike", "services[1].code"),
    ("error", "procedure.not_payable", "2026-09-16-beatrice-lund", "services[1].code"),
    // The fall listed before the strain it caused.
    ("error", "diagnosis.external_cause_primary", "2026-09-09-marisol-quint", "diagnoses[0]"),
    // Manual therapy by telehealth.
    ("error", "place_of_service.invalid_for_code", "2026-09-14-dennis-hurd", "services[0].code"),
    // Signed after "today", and signed 17 days after the visit.
    ("error", "signature.invalid", "2026-09-28-ines-magalhaes", "signed.date"),
    ("warning", "signature.late", "2026-09-01-ines-magalhaes", "signed.date"),
    // 97530 by a massage therapist whose scope_codes do not list it.
    ("warning", "provider.scope", "2026-09-11-franklin-ober", "services[0].code"),
    // Medicare's plans of care: none, only a later one, certified too long ago, ended.
    ("error", "plan_of_care.missing", "2026-09-09-harold-sprague", "date"),
    ("error", "plan_of_care.missing", "2026-09-14-ruth-pomerleau", "date"),
    ("error", "plan_of_care.expired", "2026-09-08-vivian-nadeau", "date"),
    ("error", "plan_of_care.expired", "2026-09-10-lucien-gagne", "date"),
    // The 10th treatment day (two visits on 2026-09-04 count once).
    ("warning", "progress_note.due", "2026-09-25-oscar-thibodeau", "progress_note"),
    // A state written out, a ZIP that lost its leading zero, a 9-digit phone.
    ("error", "field.invalid", "patients/norman-whitcomb.yaml", "address.state"),
    ("error", "field.invalid", "patients/norman-whitcomb.yaml", "address.zip"),
    ("error", "field.invalid", "patients/norman-whitcomb.yaml", "phone"),
    // A modifier that is not a list, pain that is one number.
    ("error", "field.invalid", "2026-09-10-curtis-lavoie", "services[0].modifiers"),
    ("error", "field.invalid", "2026-09-24-curtis-lavoie", "pain"),
    // 23 + 8 minutes under the CMS rule: a tie for the second unit.
    ("warning", "units.tie", "2026-09-15-agnes-doucette", "services[1].minutes"),
];

/// What the README promises for `fixtures/trial-consent` as of `AS_OF`.
#[rustfmt::skip]
const TRIAL_CONSENT: &[Row] = &[
    // Seen a week before she signed; seen with no consent on file.
    ("error", "consent.missing", "2026-09-03-theresa-goulet", "date"),
    ("error", "consent.missing", "2026-09-09-wendell-marsh", "date"),
];

/// The one finding with `code` on `file`.
fn message<'a>(report: &'a Report, code: &str, file: &str, field: &str) -> &'a str {
    let hits: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.code == code && f.file == file && f.field.as_deref() == Some(field))
        .collect();
    assert_eq!(
        hits.len(),
        1,
        "one {code} on {file} [{field}]:\n{}",
        report.listing()
    );
    &hits[0].message
}

#[test]
fn every_promised_finding_and_nothing_else() {
    let run = validate("trial");
    run.expect_code(1);
    let report = run.report();
    let want = expected(TRIAL);
    assert_eq!(
        found(&report),
        want,
        "findings differ from the README's promises:\n{}",
        report.listing()
    );
    assert_eq!(report.errors, 17, "{}", report.listing());
    assert_eq!(report.warnings, 6, "{}", report.listing());
    // September 2026 falls in FY2026, a built-in edition: no edition notice.
    assert!(report.with_code("icd10.edition_unavailable").is_empty());
}

#[test]
fn look_alikes_stay_clean() {
    let report = validate("trial").report();
    let clean = [
        // 97140 by the physical therapist on the plan without massage.
        "2026-09-02-eleanor-brackett",
        // Exactly the plan's 45 minutes.
        "2026-09-17-walter-cyr",
        // Two visits on one day with no code in common, by one provider or two.
        "2026-09-22-rosalind-tibbetts-am",
        "2026-09-22-rosalind-tibbetts-pm",
        "2026-09-04-oscar-thibodeau-am",
        "2026-09-04-oscar-thibodeau-pm",
        // G0283 to Medicare; exercise by video (place of service 10) from a physical therapist.
        "2026-09-23-beatrice-lund",
        "2026-09-18-gordon-pike",
        "2026-09-21-dennis-hurd",
        // The external cause after the injury.
        "2026-09-23-marisol-quint",
        // Signed on the 14th day.
        "2026-09-15-ines-magalhaes",
        // 97530 by the massage therapist whose scope_codes list it.
        "2026-09-25-franklin-ober",
        // Under a plan that started later; under a plan in force; the progress report itself.
        "2026-09-21-ruth-pomerleau",
        "2026-09-24-oscar-thibodeau",
        "2026-09-29-oscar-thibodeau",
        // 30 minutes of one code under the CMS rule.
        "2026-09-29-agnes-doucette",
        // A clean visit of the patient whose address is wrong.
        "2026-09-16-norman-whitcomb",
    ];
    for stem in clean {
        let file = session(stem);
        assert!(
            fixture("trial").join(&file).is_file(),
            "{file} is missing from the fixture"
        );
        assert!(
            report.in_file(&file).is_empty(),
            "{file} should be clean:\n{}",
            report.listing()
        );
    }
    for patient in ["eleanor-brackett", "oscar-thibodeau", "jolene-fairfield"] {
        let file = format!("patients/{patient}.yaml");
        assert!(
            report.in_file(&file).is_empty(),
            "{file}:\n{}",
            report.listing()
        );
    }
}

#[test]
fn messages_say_what_to_write_and_never_repeat_the_wrong_value() {
    let report = validate("trial").report();
    let patient = "patients/norman-whitcomb.yaml";
    for (field, wrong) in [
        ("address.state", "Maine"),
        ("address.zip", "4101"),
        ("phone", "207555014"),
    ] {
        let text = message(&report, "field.invalid", patient, field);
        let repeats = text
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|word| word.eq_ignore_ascii_case(wrong));
        assert!(!repeats, "{field}: the message repeats {wrong:?}: {text}");
    }
    let modifiers = message(
        &report,
        "field.invalid",
        &session("2026-09-10-curtis-lavoie"),
        "services[0].modifiers",
    );
    assert!(
        modifiers.contains("write a list") && modifiers.contains("modifiers: [GP]"),
        "{modifiers}"
    );
    let pain = message(
        &report,
        "field.invalid",
        &session("2026-09-24-curtis-lavoie"),
        "pain",
    );
    assert!(pain.contains("pain: {before: 7, after: 5}"), "{pain}");
    let not_payable = message(
        &report,
        "procedure.not_payable",
        &session("2026-09-16-beatrice-lund"),
        "services[1].code",
    );
    assert!(not_payable.contains("G0283"), "{not_payable}");
    let tie = message(
        &report,
        "units.tie",
        &session("2026-09-15-agnes-doucette"),
        "services[1].minutes",
    );
    assert!(tie.contains("CMS 8-minute rule"), "{tie}");
    assert!(
        report.with_code("units.zero").is_empty(),
        "{}",
        report.listing()
    );
    for finding in &report.findings {
        for setting in ["cms_8_minute", "substantial_portion", "full_15"] {
            assert!(
                !finding.message.contains(setting),
                "a message names a unit rule by its setting: {finding}"
            );
        }
    }
}

#[test]
fn consent_is_needed_on_or_before_each_visit() {
    let run = validate("trial-consent");
    run.expect_code(1);
    let report = run.report();
    let want = expected(TRIAL_CONSENT);
    assert_eq!(found(&report), want, "{}", report.listing());
    // Clean: seen after she signed, and seen on the day she signed.
    for stem in ["2026-09-17-theresa-goulet", "2026-09-01-paula-ricard"] {
        let file = session(stem);
        assert!(fixture("trial-consent").join(&file).is_file(), "{file}");
        assert!(report.in_file(&file).is_empty(), "{}", report.listing());
    }
}

/// `render claim PATIENT --month MONTH --format json --format pdf`: the run and the data of
/// each claim written.
fn claims_of(patient: &str, out: &Path) -> (Run, Vec<Value>) {
    let run = run_at(
        &fixture("trial"),
        out,
        AS_OF,
        &[
            "render", "claim", patient, "--month", MONTH, "--format", "json", "--format", "pdf",
        ],
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(out.join("claim"))
        .map(|dir| {
            dir.map(|e| e.expect("a folder entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let claims = files
        .iter()
        .map(|p| {
            let text = std::fs::read_to_string(p).expect("read the claim data");
            let doc: Value = serde_json::from_str(&text).expect("claim data is JSON");
            doc["claim"].clone()
        })
        .collect();
    (run, claims)
}

/// Text drawn on every page of a PDF.
fn pdf_text(path: &Path) -> String {
    let doc = crate::util::load_pdf_file(path);
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).expect("the PDF's text")
}

#[test]
fn two_therapists_in_a_month_make_two_claims() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let (run, claims) = claims_of("celeste-arsenault", out.path());
    run.expect_code(0);
    assert_eq!(claims.len(), 2, "two claims:\n{}", run.stdout);
    assert_ne!(claims[0]["id"], claims[1]["id"]);
    let mut seen = Vec::new();
    for claim in &claims {
        let npis: Vec<&str> = claim["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| l["rendering"]["npi"].as_str().expect("an NPI"))
            .collect();
        assert!(
            npis.windows(2).all(|w| w[0] == w[1]),
            "one therapist a claim: {npis:?}"
        );
        let dates: Vec<&str> = claim["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| l["date"].as_str().expect("a date"))
            .collect();
        seen.push((npis[0].to_string(), dates));
    }
    seen.sort();
    assert_eq!(
        seen,
        vec![
            // Priya Natarajan, PT: 97140 and 97110 on the 8th, 97140 on the 29th.
            (
                "1245983170".to_string(),
                vec!["2026-09-08", "2026-09-08", "2026-09-29"]
            ),
            // Tobias Reyes, LMT: massage on the 21st.
            ("1702635487".to_string(), vec!["2026-09-21"]),
        ]
    );
}

#[test]
fn out_of_network_benefits_are_not_assigned() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let (run, claims) = claims_of("jolene-fairfield", out.path());
    run.expect_code(0);
    assert_eq!(claims.len(), 1);
    let claim = &claims[0];
    assert_eq!(claim["billing"]["accept_assignment"], true);
    assert_eq!(claim["assigned"], false, "{claim:#}");
    assert_eq!(claim["release_signed"], true, "{claim:#}");
    // Item 12 says SIGNATURE ON FILE; item 13 stays blank.
    let pdf = out
        .path()
        .join("claim/jolene-fairfield-tidewater-health-2026-09.pdf");
    let text = pdf_text(&pdf);
    assert_eq!(text.matches("SIGNATURE ON FILE").count(), 1, "{text}");

    // The same claim as 837P: CLM07 C (not assigned), CLM08 W.
    let practice = Practice::copy_of("trial");
    let edi_out = tempfile::tempdir().expect("a temporary folder");
    let prepared = run_at(
        &practice.root,
        edi_out.path(),
        AS_OF,
        &[
            "claims",
            "prepare",
            "--month",
            MONTH,
            "--medium",
            "837p",
            "--payer",
            "tidewater-health",
        ],
    );
    prepared.expect_code(0);
    let x12 = crate::util::files_under(edi_out.path())
        .into_iter()
        .find(|f| f.ends_with(".x12"))
        .expect("an 837P file");
    let text = std::fs::read_to_string(edi_out.path().join(x12)).expect("read the 837P");
    let clm: Vec<&str> = text
        .split('~')
        .map(str::trim)
        .find(|seg| seg.starts_with("CLM*"))
        .expect("a CLM segment")
        .split('*')
        .collect();
    assert_eq!(clm[7], "C", "CLM07: {clm:?}");
    assert_eq!(clm[8], "W", "CLM08: {clm:?}");
}

#[test]
fn an_in_network_claim_assigns_the_benefits() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let (run, claims) = claims_of("walter-cyr", out.path());
    run.expect_code(0);
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0]["assigned"], true);
    let text = pdf_text(&out.path().join("claim/walter-cyr-seacoast-ppo-2026-09.pdf"));
    assert_eq!(text.matches("SIGNATURE ON FILE").count(), 2, "{text}");
}

#[test]
fn a_visit_past_the_plans_minutes_bills_the_plans_units() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let (run, claims) = claims_of("walter-cyr", out.path());
    run.expect_code(0);
    let lines: Vec<(String, String, u64, String)> = claims[0]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| {
            (
                l["date"].as_str().expect("date").to_string(),
                l["code"].as_str().expect("code").to_string(),
                l["units"].as_u64().expect("units"),
                l["charge"].as_str().expect("charge").to_string(),
            )
        })
        .collect();
    // 60 minutes of 97124 with a 45-minute maximum: the plan is billed 3 units, not 4.
    assert_eq!(
        lines,
        vec![
            ("2026-09-03".into(), "97124".into(), 3, "108.00".into()),
            ("2026-09-17".into(), "97124".into(), 3, "108.00".into()),
        ]
    );
}

#[test]
fn a_medicare_advantage_payer_can_check_the_medicare_box() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let (run, claims) = claims_of("gordon-pike", out.path());
    run.expect_code(0);
    assert_eq!(claims.len(), 1);
    assert_eq!(claims[0]["payer"]["kind"], "medicare_advantage");
    assert_eq!(claims[0]["payer"]["program"], "medicare", "{:#}", claims[0]);
    // The bundled hot pack stays in the note but never reaches the claim.
    let codes: Vec<(&str, &str)> = claims[0]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| (l["date"].as_str().unwrap(), l["code"].as_str().unwrap()))
        .collect();
    assert!(codes.contains(&("2026-09-04", "97140")), "{codes:?}");
    assert!(!codes.iter().any(|(_, c)| *c == "97010"), "{codes:?}");
}

#[test]
fn the_note_names_the_unit_rule_in_words() {
    let out = tempfile::tempdir().expect("a temporary folder");
    let run = run_at(
        &fixture("trial"),
        out.path(),
        AS_OF,
        &[
            "render",
            "soap",
            "2026-09-15-agnes-doucette",
            "--format",
            "json",
        ],
    );
    run.expect_code(0);
    let text = std::fs::read_to_string(out.path().join("soap_note/2026-09-15-agnes-doucette.json"))
        .expect("the note's data");
    let note: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(note["session"]["unit_rule"], "CMS 8-minute rule");
}
