//! What the SOAP note's header says beyond the visit itself: the claim of a workers'
//! compensation or auto injury, the referral and the plan of care behind the visit, each in
//! words from its record (never a record id), and the measures the visit took.

use crate::load::PracticeData;
use crate::model::patient::{Coverage, PlanOfCare, Referral};
use crate::model::payer::PayerKind;
use crate::model::{Patient, Session};
use crate::rules::care::{self, Standing};
use chrono::NaiveDate;
use serde::Serialize;

/// The injury claim a workers' compensation or auto coverage bills under.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct InjuryCtx {
    /// "Workers' compensation claim", "Auto claim", or "Claim" for another payer kind.
    pub label: &'static str,
    /// The carrier's claim number, or empty.
    pub claim_number: String,
    /// The employer's name, or empty.
    pub employer: String,
    /// Date of injury or accident, when recorded.
    pub injury_date: Option<NaiveDate>,
}

/// The referral behind the visit, as the note names it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ReferralFromCtx {
    /// "Anne Gagnon, MD".
    pub provider: String,
    /// The referring provider's NPI.
    pub npi: String,
    /// Date of the referral.
    pub date: NaiveDate,
    /// The payer's number for the referral, or empty.
    pub number: String,
}

/// The plan of care that covers the visit's date.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct CarePlanCtx {
    /// "Anne Gagnon, MD".
    pub certified_by: String,
    /// The certifier's NPI.
    pub npi: String,
    /// Date certified.
    pub certified: NaiveDate,
    /// First day it covers.
    pub start: NaiveDate,
    /// Last day it covers.
    pub end: NaiveDate,
    /// Frequency and duration, or empty.
    pub frequency: String,
}

/// One measure the visit took.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MeasureCtx {
    /// What was measured, as written.
    pub name: String,
    /// The value with its unit, e.g. "45 degrees" or "42%".
    pub value: String,
}

/// The claim of an injury, when the coverage records any of its claim number, employer or
/// date of injury.
pub(super) fn injury(data: &PracticeData, coverage: &Coverage) -> Option<InjuryCtx> {
    let employer = coverage
        .employer
        .as_ref()
        .map(|e| e.name.clone())
        .unwrap_or_default();
    let claim_number = coverage.claim_number.clone().unwrap_or_default();
    if employer.is_empty() && claim_number.is_empty() && coverage.injury_date.is_none() {
        return None;
    }
    let label = match data.payers.get(&coverage.payer).map(|p| p.data.kind) {
        Some(PayerKind::WorkersComp) => "Workers' compensation claim",
        Some(PayerKind::Auto) => "Auto claim",
        _ => "Claim",
    };
    Some(InjuryCtx {
        label,
        claim_number,
        employer,
        injury_date: coverage.injury_date,
    })
}

/// The referral the session names, from the patient's referrals; None when it names none or
/// one the patient does not have.
pub(super) fn referral(patient: &Patient, session: &Session) -> Option<ReferralFromCtx> {
    let id = session.referral.as_deref()?;
    let r: &Referral = patient.referrals.iter().find(|r| r.id == id)?;
    let p = &r.referring_provider;
    Some(ReferralFromCtx {
        provider: person(&p.first_name, &p.last_name, &p.credentials),
        npi: p.npi.to_string(),
        date: r.date,
        number: r.number.clone().unwrap_or_default(),
    })
}

/// The plan of care covering the date of service, as the plan-of-care rules find it: in force,
/// or covering the date with a certification the rules report as stale.
pub(super) fn plan_of_care(patient: &Patient, date: NaiveDate) -> Option<CarePlanCtx> {
    let plan: &PlanOfCare = match care::standing(patient, date) {
        Standing::InForce(plan) | Standing::Stale(plan) => plan,
        Standing::Ended(_) | Standing::None => return None,
    };
    let c = &plan.certified_by;
    Some(CarePlanCtx {
        certified_by: person(&c.first_name, &c.last_name, &c.credentials),
        npi: c.npi.to_string(),
        certified: plan.certified,
        start: plan.start,
        end: plan.end,
        frequency: plan.frequency.clone().unwrap_or_default(),
    })
}

/// The visit's measures in the order written.
pub(super) fn measures(session: &Session) -> Vec<MeasureCtx> {
    session
        .measures
        .iter()
        .map(|m| MeasureCtx {
            name: m.name.trim().to_string(),
            value: crate::documents::appeal::measure_text(
                m.value,
                m.unit.as_deref().map(str::trim).unwrap_or(""),
            ),
        })
        .collect()
}

/// "Anne Gagnon, MD"; without credentials, the name alone.
fn person(first: &str, last: &str, credentials: &str) -> String {
    if credentials.trim().is_empty() {
        format!("{first} {last}")
    } else {
        format!("{first} {last}, {credentials}")
    }
}
