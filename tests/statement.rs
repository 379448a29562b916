//! The patient statement of a practice whose November claim a remittance answered (matched and
//! unmatched lines, a denial), with visit payments and December visits not answered: the
//! Markdown's snapshot, its balance against `ar`, the batch's plan, what refuses it.

use crate::util::{Practice, example, run_at};
use chrono::{Datelike, NaiveDate};
use claimwright::model::remittance::{
    RemittanceRecord, RemittedAdjustment, RemittedClaim, RemittedLine, SourceFile,
};
use claimwright::model::{ClaimRecord, LedgerLine, Money};
use serde_json::Value;
use std::path::Path;

const NOVEMBER_CLAIM: &str = "out/837p/northstar-ppo-2026-11-000000001.x12";
const DECEMBER_CLAIM: &str = "out/837p/northstar-ppo-2026-12-000000002.x12";
const REMITTANCE: &str = "remittances/2026-12/northstar-ppo-tr500.yaml";

fn cw(p: &Practice, as_of: &str, args: &[&str]) -> crate::util::Run {
    run_at(&p.root, &p.path("out"), as_of, args)
}

/// Adds `paid: AMOUNT` to a session of the practice.
fn pay(p: &Practice, session: &str, amount: &str) {
    let text = std::fs::read_to_string(p.path(session)).unwrap();
    p.write(session, format!("{text}paid: {amount}\n"));
}

/// A copy of Nora's visit of 2026-11-24 (signed the next day) on another date, signed on
/// it, and paid `amount` at the visit.
fn december_visit(p: &Practice, day: u32, amount: &str) {
    let text =
        std::fs::read_to_string(p.path("sessions/2026-11/2026-11-24-nora-pelletier.yaml")).unwrap();
    let date = format!("2026-12-{day:02}");
    p.write(
        &format!("sessions/2026-12/{date}-nora-pelletier.yaml"),
        format!(
            "{}paid: {amount}\n",
            text.replace("2026-11-24", &date)
                .replace("2026-11-25", &date)
        ),
    );
}

/// Nora's visits of November with payments at two of them, sent on one 837P claim; a
/// December visit sent on another; a later December visit paid and not billed.
pub(crate) fn practice_with_claims_sent() -> Practice {
    claims_sent_with(|_| {})
}

/// [`practice_with_claims_sent`], with `edit` made to the practice before any claim.
fn claims_sent_with(edit: impl Fn(&Practice)) -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    edit(&p);
    pay(
        &p,
        "sessions/2026-11/2026-11-03-nora-pelletier.yaml",
        "20.00",
    );
    pay(
        &p,
        "sessions/2026-11/2026-11-17-nora-pelletier.yaml",
        "20.00",
    );
    for (month, as_of, file, sent) in [
        ("2026-11", "2026-11-30", NOVEMBER_CLAIM, "2026-12-01"),
        ("2026-12", "2026-12-02", DECEMBER_CLAIM, "2026-12-03"),
    ] {
        if month == "2026-12" {
            december_visit(&p, 1, "25.00");
        }
        let prepare = [
            "claims",
            "prepare",
            "--month",
            month,
            "--medium",
            "837p",
            "--payer",
            "northstar-ppo",
        ];
        cw(&p, as_of, &prepare).expect_code(0);
        let file = p.path(file);
        assert!(file.exists(), "{}", file.display());
        cw(
            &p,
            sent,
            &["claims", "sent", "--file", file.to_str().unwrap()],
        )
        .expect_code(0);
    }
    december_visit(&p, 8, "30.00");
    p
}

/// Nora's November claim from the ledger.
fn november_claim(p: &Practice) -> ClaimRecord {
    let (data, _) = claimwright::load::load(&p.root);
    data.claims
        .values()
        .map(|r| r.data.clone())
        .find(|c| c.patient == "nora-pelletier" && c.month == "2026-11")
        .unwrap()
}

fn adj(group: &str, reason: &str, dollars: &str) -> RemittedAdjustment {
    RemittedAdjustment {
        group: group.into(),
        reason: reason.into(),
        amount: Money::parse(dollars).unwrap(),
    }
}

/// How the plan answers each line of the November claim, by day of service and code: the
/// contract's write-off and coinsurance on the 3rd, the deductible on the 10th, 97140 denied
/// for medical necessity on the 17th; the 24th as on the 3rd, but its lines not matched.
fn answer_line(l: &LedgerLine) -> (Money, Vec<RemittedAdjustment>) {
    let usual = |code: &str| match code {
        "97124" => (
            "48.00",
            vec![adj("CO", "45", "16.00"), adj("PR", "2", "12.00")],
        ),
        _ => (
            "27.20",
            vec![adj("CO", "45", "8.00"), adj("PR", "2", "6.80")],
        ),
    };
    let (paid, adjustments) = match (l.date.day(), l.code.as_str()) {
        (10, "97124") => ("0", vec![adj("CO", "45", "16.00"), adj("PR", "1", "60.00")]),
        (10, _) => ("0", vec![adj("CO", "45", "8.00"), adj("PR", "1", "34.00")]),
        (17, "97140") => ("0", vec![adj("CO", "50", "42.00")]),
        (_, code) => usual(code),
    };
    (Money::parse(paid).unwrap(), adjustments)
}

/// Writes the plan's answer to the November claim as `import 835` would record it.
pub(crate) fn remit_november(p: &Practice) {
    let claim = november_claim(p);
    let mut lines = Vec::new();
    for l in &claim.lines {
        let (paid, adjustments) = answer_line(l);
        // The payer's lines for the 24th came back without a control number or a match.
        let matched = l.date.day() != 24;
        lines.push(RemittedLine {
            session: matched.then(|| l.session.clone()),
            service_index: matched.then_some(l.service_index),
            control_number: matched.then(|| l.control_number.clone()),
            code: l.code.clone(),
            modifiers: l.modifiers.clone(),
            date: Some(l.date),
            billed: l.charge,
            paid,
            allowed: None,
            adjustments,
            remarks: vec![],
        });
    }
    let cents = |f: &dyn Fn(&RemittedLine) -> i64| Money(lines.iter().map(f).sum());
    let paid = cents(&|l| l.paid.cents());
    let patient = cents(&|l| {
        l.adjustments
            .iter()
            .filter(|a| a.group == "PR")
            .map(|a| a.amount.cents())
            .sum()
    });
    let record = RemittanceRecord {
        payer: Some("northstar-ppo".into()),
        payer_name: "NORTHSTAR HEALTH PLANS PPO".into(),
        trace: "TR500".into(),
        date: NaiveDate::from_ymd_opt(2026, 12, 15),
        method: "ACH".into(),
        amount: paid,
        source: SourceFile {
            name: "era-2026-12-15.835".into(),
            sha256: "0".repeat(64),
        },
        claims: vec![RemittedClaim {
            claim_id: claim.claim_id.clone(),
            matched: true,
            payer_claim_number: "EV5001".into(),
            status: "1".into(),
            billed: claim.total,
            paid,
            patient_responsibility: patient,
            adjustments: vec![],
            remarks: vec![],
            lines,
        }],
        provider_adjustments: vec![],
    };
    p.write(
        REMITTANCE,
        claimwright::load::yaml::to_text(&record).unwrap(),
    );
}

/// Renders Nora's statement as of 2026-12-31, in Markdown.
pub(crate) fn render(p: &Practice, out: &Path) -> crate::util::Run {
    run_at(
        &p.root,
        out,
        "2026-12-31",
        &["render", "statement", "nora-pelletier", "--format", "md"],
    )
}

#[test]
fn the_statement_shows_each_answered_visit_and_the_balance_due() {
    let p = practice_with_claims_sent();
    remit_november(&p);
    // The records are sound: `validate` finds nothing wrong with the remittance.
    let v = crate::util::validate_json(&p.root, &[]);
    assert!(v.report().in_file(REMITTANCE).is_empty(), "{}", v.stdout);

    let out = tempfile::tempdir().unwrap();
    render(&p, out.path()).expect_code(0);
    let md =
        std::fs::read_to_string(out.path().join("statement/nora-pelletier-2026-12-31.md")).unwrap();
    insta::assert_snapshot!("statement_md", md);
    assert!(md.contains("**Balance due: $103.60**"), "{md}");

    // The balance is the one `ar` reports for the patient.
    let ar = cw(&p, "2026-12-31", &["ar", "--format", "json"]);
    let ar: Value = serde_json::from_str(&ar.stdout).unwrap();
    let nora = ar["patients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["patient"] == "nora-pelletier")
        .unwrap();
    assert_eq!(nora["balance"], "103.60");
}

#[test]
fn the_batch_makes_a_statement_for_each_patient_with_a_balance() {
    let p = practice_with_claims_sent();
    let out = tempfile::tempdir().unwrap();
    let batch = ["batch", "--month", "2026-12", "--format", "md"];
    // Nothing answered yet: nobody owes anything, so no statement.
    run_at(&p.root, out.path(), "2026-12-31", &batch);
    let dir = out.path().join("2026-12/statement");
    let listed = |dir: &Path| -> Vec<String> {
        std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    assert!(listed(&dir).is_empty(), "{:?}", listed(&dir));
    // Once the plan has answered, Nora owes her share and gets one, whatever the month.
    remit_november(&p);
    run_at(&p.root, out.path(), "2026-12-31", &batch);
    assert_eq!(listed(&dir), ["nora-pelletier-2026-12-31.md"]);
}

#[test]
fn billing_findings_do_not_refuse_a_statement_but_unreadable_records_do() {
    let p = practice_with_claims_sent();
    remit_november(&p);
    // A units error on a billed visit is the claim's business: the statement still renders.
    let session = "sessions/2026-11/2026-11-10-nora-pelletier.yaml";
    let text = std::fs::read_to_string(p.path(session)).unwrap();
    p.write(session, text.replacen("units: 2", "units: 3", 1));
    let v = crate::util::validate_json(&p.root, &[]);
    assert!(
        !v.report().with_code("units.mismatch").is_empty(),
        "{}",
        v.stdout
    );
    let out = tempfile::tempdir().unwrap();
    render(&p, out.path()).expect_code(0);
    // A remittance that cannot be read might hold any patient's answer: it refuses.
    p.write("remittances/2026-12/northstar-ppo-tr501.yaml", "payer: [\n");
    let out = tempfile::tempdir().unwrap();
    let r = render(&p, out.path());
    r.expect_code(1);
    assert!(
        r.stderr.contains("northstar-ppo-tr501.yaml"),
        "{}",
        r.stderr
    );
    assert!(!out.path().join("statement").exists());
}

#[test]
fn time_past_the_plans_minutes_is_on_the_patients_balance() {
    // At 30 minutes a visit Nora's plan pays 2 units under the midpoint rule: each November
    // visit's 97140 unit is hers, at the practice's 42.00, and never went on the claim.
    let p = claims_sent_with(|p| {
        let file = "patients/nora-pelletier.yaml";
        let text = std::fs::read_to_string(p.path(file)).unwrap();
        assert!(text.contains("max_minutes_per_visit: 60"), "{text}");
        p.write(
            file,
            text.replace("max_minutes_per_visit: 60", "max_minutes_per_visit: 30"),
        );
    });
    let claim = november_claim(&p);
    assert!(claim.lines.iter().all(|l| l.code == "97124"), "{claim:?}");
    remit_november(&p);
    let out = tempfile::tempdir().unwrap();
    render(&p, out.path()).expect_code(0);
    let md =
        std::fs::read_to_string(out.path().join("statement/nora-pelletier-2026-12-31.md")).unwrap();
    assert!(md.contains("| Extra time |"), "{md}");
    // The shares of the 97124 lines (12.00, 60.00, 12.00 and the 24th's 12.00 not tied to
    // it), plus 4 x 42.00 past the plan's minutes, less the 40.00 paid at two visits.
    assert!(md.contains("**Balance due: $224.00**"), "{md}");
    assert!(
        md.contains(
            "| 11/03/2026 | massage | $76.00 | $48.00 | $16.00 | $12.00 | $42.00 | $20.00 | $34.00 |"
        ),
        "{md}"
    );
}
