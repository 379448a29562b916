//! Rules that only a claim applies: a visit past the payer's filing window or with a code the
//! practice has no fee for is held off its claim; workers' compensation and auto claims
//! missing what their items need are warned about.

use crate::figures::deadlines;
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::{Coverage, Patient, PayerKind, Session};

/// Errors that hold one visit off its claim: late filing, and codes without a fee.
pub fn visit_findings(
    data: &PracticeData,
    s: &Record<Session>,
    as_of: chrono::NaiveDate,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(payer) = data.payer_of(&s.data) {
        let deadline = deadlines::deadline(s.data.date, payer.data.timely_filing_days);
        if as_of > deadline {
            out.push(
                Finding::error(
                    "filing.late",
                    &s.file,
                    format!(
                        "{} allows {} days to file, so the claim for {} had to be filed by {deadline}: the payer will deny it (CO-29) unless you can prove it was filed in time",
                        payer.data.name, payer.data.timely_filing_days, s.data.date
                    ),
                )
                .at("date"),
            );
        }
    }
    if let Some(practice) = data.practice() {
        for (i, svc) in s.data.services.iter().enumerate() {
            if !practice.fees.contains_key(svc.code.as_str()) {
                out.push(
                    Finding::error(
                        "fee.missing",
                        &s.file,
                        format!(
                            "practice.yaml has no fee for {}, so it cannot be claimed: add it under `fees`",
                            svc.code
                        ),
                    )
                    .at(format!("services[{i}].code")),
                );
            }
        }
    }
    out
}

/// Warnings about the claim of `patient` to `payer` as a whole.
pub fn claim_findings(
    data: &PracticeData,
    patient: &Record<Patient>,
    payer: &str,
    sessions: &[&Record<Session>],
) -> Vec<Finding> {
    let Some(first) = sessions.first() else {
        return Vec::new();
    };
    let Some(cov) = patient.data.coverage_on(Some(payer), first.data.date) else {
        return Vec::new();
    };
    let kind = data
        .payers
        .get(&cov.payer)
        .map(|p| p.data.kind)
        .unwrap_or(PayerKind::Other);
    let index = patient
        .data
        .coverages
        .iter()
        .position(|x| std::ptr::eq(x, cov))
        .unwrap_or(0);
    casualty_findings(cov, index, kind, &patient.file)
}

/// Warnings for workers' compensation and auto claims missing what their items need: the
/// employer (items 4 and 7), the carrier's claim number (11b) and the accident state (10b).
fn casualty_findings(
    c: &Coverage,
    index: usize,
    kind: PayerKind,
    patient_file: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut warn = |field: &str, message: &str| {
        out.push(
            Finding::warning("claim.incomplete", patient_file, message.to_string())
                .at(format!("coverages[{index}].{field}")),
        );
    };
    match kind {
        PayerKind::WorkersComp => {
            if c.employer.is_none() {
                warn(
                    "employer",
                    "a workers' compensation claim names the employer as the insured (items 4 and 7): add `employer` to the coverage",
                );
            }
            if c.claim_number.is_none() {
                warn(
                    "claim_number",
                    "a workers' compensation claim carries the carrier's claim number (item 11b): add `claim_number` to the coverage",
                );
            }
        }
        PayerKind::Auto => {
            if c.accident_state.is_none() {
                warn(
                    "accident_state",
                    "an auto claim gives the state of the accident (item 10b): add `accident_state` to the coverage",
                );
            }
            if c.claim_number.is_none() {
                warn(
                    "claim_number",
                    "an auto claim carries the carrier's claim number (item 11b): add `claim_number` to the coverage",
                );
            }
        }
        _ => {}
    }
    out
}
