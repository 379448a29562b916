//! The patient's written benefit summary: what the plan pays for massage, what is used and
//! left, and what a session will likely cost, in plain language.

use super::context::{CoverageCtx, PatientCtx, PracticeCtx};
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, patient_header, screen};
use crate::figures::cost::{self, CostEstimate, CostInput};
use crate::figures::lines;
use crate::figures::visits::{self, VisitCount};
use crate::load::{PracticeData, Record};
use crate::model::patient::{Priority, Verification, VerificationMethod};
use crate::model::{Code, Coverage, Money, Patient, Service, Session, UnitRule};
use chrono::NaiveDate;
use serde::Serialize;

/// The benefit summary kind.
pub const KIND: Kind = Kind {
    name: "summary",
    command: "summary",
    subject: SubjectKind::Patient,
    monthly: false,
    drafts: true,
    template: Some(super::Template {
        file: "summary.md",
        builtin: include_str!("../../templates/summary.md"),
    }),
    refused_by: screen::ALL_TOPICS,
    plan: plan_month,
    prepare: prepare_subject,
};

fn plan_month<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<Subject<'a>> {
    super::patients_seen(data, scope)
        .into_iter()
        .map(Subject::Patient)
        .collect()
}

fn prepare_subject(data: &PracticeData, subject: Subject<'_>, scope: &Scope<'_>) -> Vec<Prepared> {
    match subject {
        Subject::Patient(p) => vec![prepare(data, p, scope.as_of)],
        _ => Vec::new(),
    }
}

/// Context of `summary.md`.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryContext {
    /// The practice.
    pub practice: Option<PracticeCtx>,
    /// The patient.
    pub patient: PatientCtx,
    /// One entry per coverage, primary first.
    pub coverages: Vec<CoverageSummary>,
    /// What to check on every Explanation of Benefits.
    pub eob_checklist: Vec<String>,
}

/// Benefits of one coverage as of the summary's date.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageSummary {
    /// Plan and payer.
    pub coverage: CoverageCtx,
    /// In force on the summary's date.
    pub active: bool,
    /// Massage is a covered benefit.
    pub massage_covered: bool,
    /// First day of the plan year.
    pub plan_year_start: NaiveDate,
    /// Last day of the plan year.
    pub plan_year_end: NaiveDate,
    /// Visits this plan year.
    pub visits: VisitCount,
    /// Longest visit paid, in minutes; None for no limit.
    pub max_minutes_per_visit: Option<u32>,
    /// Referral needed.
    pub requires_referral: bool,
    /// Pre-authorization needed.
    pub requires_preauth: bool,
    /// The referral in force, if any.
    pub referral: Option<LimitStatus>,
    /// The authorization in force, if any.
    pub authorization: Option<LimitStatus>,
    /// Deductible, met, and left.
    pub deductible: Amounts,
    /// Out-of-pocket maximum, met, and left.
    pub out_of_pocket: Amounts,
    /// Copay per visit.
    pub copay: Money,
    /// Coinsurance, e.g. "20%".
    pub coinsurance: String,
    /// Estimated cost of a typical session, when the allowed amounts are known.
    pub estimate: Option<EstimateCtx>,
    /// Plan exclusions in the plan's words.
    pub exclusions: Vec<String>,
    /// How benefits were verified.
    pub verification: Option<VerificationCtx>,
}

/// A referral or authorization and how much of it is left.
#[derive(Debug, Clone, Serialize)]
pub struct LimitStatus {
    /// Referral id or authorization number.
    pub id: String,
    /// Who issued it (referring provider or payer).
    pub issued_by: String,
    /// First day valid.
    pub start: NaiveDate,
    /// Last day valid, when known.
    pub end: Option<NaiveDate>,
    /// Valid on the summary's date.
    pub current: bool,
    /// Visits allowed, used (sessions naming it up to the summary's date) and left.
    pub visits: VisitCount,
}

/// An amount with how much is met and left.
#[derive(Debug, Clone, Serialize)]
pub struct Amounts {
    /// The plan states the amount (a zero is printed as "none stated").
    pub stated: bool,
    /// The yearly amount.
    pub total: Money,
    /// Met so far.
    pub met: Money,
    /// Left to meet.
    pub remaining: Money,
}

impl Amounts {
    fn new(total: Money, met: Money) -> Self {
        Amounts {
            stated: total.cents() > 0,
            total,
            met,
            remaining: left_to_meet(total, met),
        }
    }
}

/// What is left of `total` once `met` counts toward it; never below zero, since the plan may
/// record more met than the limit (other providers' claims count too).
fn left_to_meet(total: Money, met: Money) -> Money {
    Money((total.cents() - met.cents()).max(0))
}

/// The estimate as printed.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateCtx {
    /// The session it prices, e.g. "97124 x 3 units, 97140 x 1 unit".
    pub basis: String,
    /// Where the basis comes from.
    pub basis_source: String,
    /// The units past the plan's maximum minutes a visit, billed to the patient at the
    /// practice's fee, e.g. "1 unit of 97124"; empty when the plan pays the whole visit.
    pub beyond_plan_basis: String,
    /// The figures.
    pub figures: CostEstimate,
    /// What can change it.
    pub caveats: Vec<String>,
}

/// How benefits were verified.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationCtx {
    /// When.
    pub date: NaiveDate,
    /// "phone", "portal" or "eligibility response".
    pub method: String,
    /// Reference.
    pub reference: String,
    /// Representative.
    pub representative: String,
}

/// The checklist printed for patients.
pub const EOB_CHECKLIST: &[&str] = &[
    "The dates of service match the visits you had.",
    "The procedure codes and units match the receipt from your visit.",
    "The amount applied to your deductible, coinsurance and copay matches this summary.",
    "Any amount marked as not covered or denied: call us before paying it, since many denials can be corrected or appealed.",
    "The provider's name and the plan's member id are right.",
];

/// Prepares the benefit summary of `rec` as of `as_of`.
pub fn prepare(data: &PracticeData, rec: &Record<Patient>, as_of: NaiveDate) -> Prepared {
    let p = &rec.data;
    let mut inputs = vec!["practice.yaml".to_string(), rec.file.clone()];
    let mut coverages: Vec<&Coverage> = p.coverages.iter().collect();
    coverages.sort_by_key(|c| c.priority != Priority::Primary);
    let summaries = coverages
        .into_iter()
        .map(|c| {
            if let Some(payer) = data.payers.get(&c.payer) {
                inputs.push(payer.file.clone());
            }
            summarize(data, rec, c, as_of)
        })
        .collect();
    let title = format!("Your massage therapy benefits, as of {as_of}");
    let ctx = SummaryContext {
        practice: data.practice().map(PracticeCtx::from),
        patient: PatientCtx::new(rec),
        coverages: summaries,
        eob_checklist: EOB_CHECKLIST.iter().map(|s| s.to_string()).collect(),
    };
    inputs.sort();
    inputs.dedup();
    let sessions = data.sessions_of(&rec.id).map(|s| s.file.clone());
    Prepared::template(
        Parts {
            kind: &KIND,
            name: format!("{}-{as_of}", rec.id),
            title,
            header: patient_header(p),
            source: rec.file.clone(),
            inputs,
        },
        as_of,
        &ctx,
    )
    .depending_on(sessions)
}

/// What `coverage` of the patient `rec` pays, and what of it is used and left, as of `as_of`.
fn summarize(
    data: &PracticeData,
    rec: &Record<Patient>,
    coverage: &Coverage,
    as_of: NaiveDate,
) -> CoverageSummary {
    let benefits = &coverage.benefits;
    let sessions: Vec<&Session> = data
        .sessions_of(&rec.id)
        .map(|s| &s.data)
        .filter(|s| s.date <= as_of)
        .collect();
    let (year_start, visit_count) =
        visits::plan_year_visits(&rec.data, coverage, sessions.iter().copied(), as_of, as_of);
    CoverageSummary {
        coverage: CoverageCtx::new(data, &rec.data, coverage),
        active: coverage.active_on(as_of),
        massage_covered: benefits.massage_covered,
        plan_year_start: year_start,
        plan_year_end: benefits.plan_year_end(year_start),
        visits: visit_count,
        max_minutes_per_visit: benefits.max_minutes_per_visit,
        requires_referral: benefits.requires_referral,
        requires_preauth: benefits.requires_preauth,
        referral: referral_status(&rec.data, &sessions, as_of),
        authorization: authorization_status(data, &rec.data, coverage, &sessions, as_of),
        deductible: Amounts::new(benefits.deductible, benefits.deductible_met),
        out_of_pocket: Amounts::new(benefits.out_of_pocket_max, benefits.out_of_pocket_met),
        copay: benefits.copay,
        coinsurance: benefits.coinsurance.to_string(),
        estimate: session_estimate(data, coverage, &sessions),
        exclusions: benefits.exclusions.clone(),
        verification: coverage.verification.as_ref().map(VerificationCtx::from),
    }
}

/// The patient's latest referral up to `as_of`, with the visits `sessions` used of it.
fn referral_status(
    patient: &Patient,
    sessions: &[&Session],
    as_of: NaiveDate,
) -> Option<LimitStatus> {
    patient
        .referrals
        .iter()
        .filter(|r| r.date <= as_of)
        .max_by_key(|r| r.date)
        .map(|r| LimitStatus {
            id: r.id.clone(),
            issued_by: format!(
                "{} {}, {}",
                r.referring_provider.first_name,
                r.referring_provider.last_name,
                r.referring_provider.credentials
            ),
            start: r.date,
            end: r.expires,
            current: r.expires.is_none_or(|e| as_of <= e),
            visits: visits::referral_visits(r, sessions.iter().copied(), as_of),
        })
}

/// The latest authorization from the payer of `coverage` that started by `as_of`, with the
/// visits `sessions` used of it.
fn authorization_status(
    data: &PracticeData,
    patient: &Patient,
    coverage: &Coverage,
    sessions: &[&Session],
    as_of: NaiveDate,
) -> Option<LimitStatus> {
    let payer_name = data
        .payers
        .get(&coverage.payer)
        .map(|p| p.data.name.clone())
        .unwrap_or_else(|| coverage.payer.clone());
    patient
        .authorizations
        .iter()
        .filter(|a| a.payer == coverage.payer && a.start <= as_of)
        .max_by_key(|a| a.start)
        .map(|a| LimitStatus {
            id: a.number.clone(),
            issued_by: payer_name,
            start: a.start,
            end: Some(a.end),
            current: as_of <= a.end,
            visits: visits::authorization_visits(patient, a, sessions.iter().copied(), as_of),
        })
}

/// What the patient can expect to pay under `coverage` for a visit like the latest of
/// `sessions`; None when the plan's allowed amount of a code billed is unknown.
fn session_estimate(
    data: &PracticeData,
    coverage: &Coverage,
    sessions: &[&Session],
) -> Option<EstimateCtx> {
    let benefits = &coverage.benefits;
    // The visit to price is the patient's latest, whichever plan it was billed to, with its
    // units counted by this plan's own rule.
    let rule = data.payers.get(&coverage.payer).map(|p| p.data.unit_rule);
    let (services, rule, basis_source) = typical_session(rule, sessions)?;
    // The plan is billed the units of its maximum minutes; the rest are the patient's.
    let split = lines::split_units(rule, &services, benefits.max_minutes_per_visit);
    let mut basis_lines: Vec<(&Code, u32)> = Vec::new();
    // A code the plan is billed nothing for (its units are the patient's) is not its basis.
    for (svc, u) in services.iter().zip(&split.plan).filter(|(_, u)| **u > 0) {
        match basis_lines.iter_mut().find(|(c, _)| **c == svc.code) {
            Some((_, total)) => *total += u,
            None => basis_lines.push((&svc.code, *u)),
        }
    }
    let mut allowed = 0i64;
    for (code, units) in &basis_lines {
        allowed += benefits.allowed.get(code.as_str())?.cents() * i64::from(*units);
    }
    let fees = &data.practice()?.fees;
    let mut beyond_plan = 0i64;
    for (svc, &u) in services.iter().zip(&split.patient).filter(|(_, u)| **u > 0) {
        beyond_plan += lines::charge(fees, svc.code.as_str(), u)?.cents();
    }
    let figures = cost::estimate(CostInput {
        allowed: Money(allowed),
        deductible_remaining: left_to_meet(benefits.deductible, benefits.deductible_met),
        coinsurance: benefits.coinsurance,
        copay: benefits.copay,
        // A plan without an out-of-pocket maximum never stops the patient's share.
        out_of_pocket_remaining: (benefits.out_of_pocket_max.cents() > 0)
            .then(|| left_to_meet(benefits.out_of_pocket_max, benefits.out_of_pocket_met)),
        beyond_plan: Money(beyond_plan),
    });
    Some(EstimateCtx {
        basis: basis_lines
            .iter()
            .map(|(code, u)| format!("{code} x {u} unit{}", if *u == 1 { "" } else { "s" }))
            .collect::<Vec<_>>()
            .join(", "),
        basis_source,
        beyond_plan_basis: lines::units_by_code(
            services
                .iter()
                .map(|s| s.code.as_str())
                .zip(split.patient.iter().copied()),
        ),
        figures,
        caveats: ESTIMATE_CAVEATS.iter().map(|s| s.to_string()).collect(),
    })
}

/// What can make a visit cost other than the estimate, printed under every estimate.
const ESTIMATE_CAVEATS: &[&str] = &[
    "This is an estimate, not a guarantee of payment: the plan decides what it pays when it processes each claim.",
    "Your share changes as your deductible and out-of-pocket maximum are met during the plan year, including by other providers' claims.",
    "Longer or shorter sessions, different services, or a lapsed referral or authorization change the amount.",
    "Allowed amounts can change when the plan updates its fee schedule.",
];

impl From<&Verification> for VerificationCtx {
    fn from(v: &Verification) -> Self {
        VerificationCtx {
            date: v.date,
            method: match v.method {
                VerificationMethod::Phone => "phone",
                VerificationMethod::Portal => "portal",
                VerificationMethod::EligibilityResponse => "eligibility response",
            }
            .to_string(),
            reference: v.reference.clone(),
            representative: v.representative.clone(),
        }
    }
}

/// The services of the session to price and the rule to count its units by: the latest
/// recorded visit under the plan's rule, else a 60-minute massage (4 units under every rule).
fn typical_session(
    rule: Option<UnitRule>,
    sessions: &[&Session],
) -> Option<(Vec<Service>, UnitRule, String)> {
    let Some(last) = sessions.iter().max_by_key(|s| s.date) else {
        let massage = Service {
            code: Code("97124".into()),
            minutes: 60,
            modifiers: Vec::new(),
            region: None,
            diagnosis_pointers: Vec::new(),
            units: None,
        };
        return Some((
            vec![massage],
            rule.unwrap_or(UnitRule::Cms8Minute),
            "a 60-minute therapeutic massage (no visit recorded yet)".to_string(),
        ));
    };
    Some((
        last.services.clone(),
        rule?,
        format!("your most recent visit, on {}", last.date),
    ))
}
