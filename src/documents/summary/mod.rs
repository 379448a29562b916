//! The patient's written benefit summary: what the plan pays for massage, what is used and
//! left, and what a visit will likely cost, every plan together, in plain language.

mod estimate;

use super::context::{CoverageCtx, PatientCtx, PracticeCtx};
use super::wording::{self, Phrases, Reader, fill};
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, screen};
use crate::figures::cost::left_to_meet;
use crate::figures::visits::{self, VisitCount};
use crate::load::{PracticeData, Record};
use crate::model::patient::{CoinsuranceBase, Priority, Verification, VerificationMethod};
use crate::model::{Coverage, Money, Patient, PayerKind, Session};
use chrono::NaiveDate;
use serde::Serialize;

pub use estimate::{EstimateCtx, GoodFaithCtx, GoodFaithLine, PlanEstimateCtx, ServiceUnits};

/// The benefit summary kind.
pub const KIND: Kind = Kind {
    name: "summary",
    command: "summary",
    subject: SubjectKind::Patient,
    monthly: false,
    drafts: true,
    template: Some(super::Template {
        file: "summary.md",
        builtin: include_str!("../../../templates/summary.md"),
    }),
    refused_by: screen::ALL_TOPICS,
    plan: plan_month,
    prepare: prepare_subject,
};

/// The benefit summary in Spanish, for a patient whose `language` is `es`.
pub const KIND_ES: Kind = Kind {
    template: Some(super::Template {
        file: "summary.es.md",
        builtin: include_str!("../../../templates/summary.es.md"),
    }),
    ..KIND
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
    /// Who reads it: the patient, or a minor's parent or guardian; and in which language.
    pub reader: Reader,
    /// The day it was prepared (`--as-of`), with `prepared_text` and `prepared_long`.
    pub prepared: NaiveDate,
    /// A health plan of the patient shares the cost with them (not only a workers'
    /// compensation or auto carrier): the summary defines the words of cost sharing.
    pub shares_cost: bool,
    /// One entry per coverage, primary first.
    pub coverages: Vec<CoverageSummary>,
    /// What the next visit will likely cost, every coverage in force together; None when
    /// it cannot be told (`no_estimate` says why).
    pub estimate: Option<EstimateCtx>,
    /// Why there is no estimate, in plain words; empty when there is one.
    pub no_estimate: String,
    /// The Good Faith Estimate the No Surprises Act gives a patient who pays the practice
    /// without a plan billed for it (uninsured, no coverage in force, out of network and
    /// not assigned); None otherwise.
    pub good_faith: Option<GoodFaithCtx>,
    /// What to check on every Explanation of Benefits.
    pub eob_checklist: Vec<String>,
}

/// Benefits of one coverage as of the summary's date.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageSummary {
    /// Plan and payer.
    pub coverage: CoverageCtx,
    /// The plan named once, with its rank: "Choice POS II, primary" (the payer's name when
    /// the plan has none).
    pub name: String,
    /// In force on the summary's date.
    pub active: bool,
    /// A workers' compensation or auto carrier: the patient pays nothing, and there is no
    /// deductible, out-of-pocket maximum or plan year to show.
    pub carrier: bool,
    /// "workers' compensation", "auto insurance" or "" for a health plan.
    pub carrier_kind: String,
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
    /// `allowed_less_copay` or `allowed`: what the coinsurance is a share of.
    pub coinsurance_base: String,
    /// A visit with a copay skips the deductible.
    pub copay_waives_deductible: bool,
    /// This plan's part in the visit's estimate; None when it is not billed for the visit
    /// (not in force while another is) or there is no estimate.
    pub estimate: Option<PlanEstimateCtx>,
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
    /// What it is, for the reader: "Referral from Anne Gagnon, MD (NPI 1234567893), October
    /// 27, 2026" (with the payer's number when it gave one, never the record's id), or
    /// "Approval AUTH-55512 from Aetna".
    pub text: String,
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

/// How benefits were verified.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationCtx {
    /// When.
    pub date: NaiveDate,
    /// "phone", "portal" or "eligibility response".
    pub method: String,
    /// The method in the reader's words, e.g. "a phone call".
    pub how: String,
    /// Reference.
    pub reference: String,
    /// Representative.
    pub representative: String,
}

/// Prepares the benefit summary of `rec` as of `as_of`.
pub fn prepare(data: &PracticeData, rec: &Record<Patient>, as_of: NaiveDate) -> Prepared {
    let p = &rec.data;
    let lang = wording::language_of(data, p);
    let phrases = wording::phrases(lang);
    let reader = Reader::of(p, as_of, lang);
    let voice = estimate::Voice {
        p: phrases,
        lang,
        minor: reader.minor,
    };
    let mut inputs = vec!["practice.yaml".to_string(), rec.file.clone()];
    let mut coverages: Vec<&Coverage> = p.coverages.iter().collect();
    coverages.sort_by_key(|c| c.priority != Priority::Primary);
    let sessions: Vec<&Session> = data
        .sessions_of(&rec.id)
        .map(|s| &s.data)
        .filter(|s| s.date <= as_of)
        .collect();
    let mut summaries: Vec<CoverageSummary> = coverages
        .iter()
        .map(|c| {
            if let Some(payer) = data.payers.get(&c.payer) {
                inputs.push(payer.file.clone());
            }
            summarize(data, rec, c, &sessions, as_of, voice)
        })
        .collect();
    let priced = estimate::next_visit(data, &coverages, &summaries, &sessions, as_of, voice);
    for (summary, part) in summaries.iter_mut().zip(priced.plans) {
        summary.estimate = part;
    }
    let title = fill(
        phrases.summary_title,
        &[("date", &wording::date_long(as_of, lang))],
    );
    let ctx = SummaryContext {
        practice: data.practice().map(PracticeCtx::from),
        patient: PatientCtx::new(rec),
        reader,
        prepared: as_of,
        shares_cost: summaries.iter().any(|c| !c.carrier),
        coverages: summaries,
        estimate: priced.estimate,
        no_estimate: priced.no_estimate,
        good_faith: priced.good_faith,
        eob_checklist: phrases
            .eob_checklist
            .iter()
            .map(|s| s.to_string())
            .collect(),
    };
    let mut value = serde_json::to_value(&ctx).unwrap_or(serde_json::Value::Null);
    wording::add_display_fields(&mut value, lang);
    inputs.sort();
    inputs.dedup();
    let sessions = data.sessions_of(&rec.id).map(|s| s.file.clone());
    Prepared::template(
        Parts {
            kind: super::in_language(&KIND, lang),
            name: format!("{}-{as_of}", rec.id),
            title,
            header: wording::page_header(p, lang),
            source: rec.file.clone(),
            inputs,
        },
        as_of,
        &value,
    )
    .depending_on(sessions)
}

/// What `coverage` of the patient `rec` pays, and what of it is used and left, as of `as_of`,
/// from the patient's `sessions` up to that day.
fn summarize(
    data: &PracticeData,
    rec: &Record<Patient>,
    coverage: &Coverage,
    sessions: &[&Session],
    as_of: NaiveDate,
    v: estimate::Voice,
) -> CoverageSummary {
    let p = v.p;
    let benefits = &coverage.benefits;
    let (year_start, visit_count) =
        visits::plan_year_visits(&rec.data, coverage, sessions.iter().copied(), as_of, as_of);
    let kind = data.payers.get(&coverage.payer).map(|p| p.data.kind);
    let carrier_kind = match kind {
        Some(PayerKind::WorkersComp) => p.workers_comp,
        Some(PayerKind::Auto) => p.auto,
        _ => "",
    };
    let ctx = CoverageCtx::new(data, &rec.data, coverage);
    CoverageSummary {
        name: plan_named(&ctx, p),
        coverage: ctx,
        active: coverage.active_on(as_of),
        carrier: !carrier_kind.is_empty(),
        carrier_kind: carrier_kind.to_string(),
        massage_covered: benefits.massage_covered,
        plan_year_start: year_start,
        plan_year_end: benefits.plan_year_end(year_start),
        visits: visit_count,
        max_minutes_per_visit: benefits.max_minutes_per_visit,
        requires_referral: benefits.requires_referral,
        requires_preauth: benefits.requires_preauth,
        referral: referral_status(&rec.data, sessions, as_of, v),
        authorization: authorization_status(data, &rec.data, coverage, sessions, as_of, p),
        deductible: Amounts::new(benefits.deductible, benefits.deductible_met),
        out_of_pocket: Amounts::new(benefits.out_of_pocket_max, benefits.out_of_pocket_met),
        copay: benefits.copay,
        coinsurance: benefits.coinsurance.to_string(),
        coinsurance_base: match benefits.coinsurance_base {
            CoinsuranceBase::AllowedLessCopay => "allowed_less_copay",
            CoinsuranceBase::Allowed => "allowed",
        }
        .to_string(),
        copay_waives_deductible: benefits.copay_waives_deductible,
        estimate: None,
        exclusions: benefits.exclusions.clone(),
        verification: coverage
            .verification
            .as_ref()
            .map(|x| VerificationCtx::new(x, p)),
    }
}

/// "Choice POS II, primary": the plan's name (else the payer's) and its rank.
pub fn plan_named(c: &CoverageCtx, p: &Phrases) -> String {
    let plan = [&c.plan_name, &c.payer_name, &c.payer_id]
        .into_iter()
        .find(|n| !n.is_empty())
        .cloned()
        .unwrap_or_default();
    let priority = if c.priority == "primary" {
        p.primary
    } else {
        p.secondary
    };
    fill(p.plan_named, &[("plan", &plan), ("priority", priority)])
}

/// The patient's latest referral up to `as_of`, with the visits `sessions` used of it.
fn referral_status(
    patient: &Patient,
    sessions: &[&Session],
    as_of: NaiveDate,
    v: estimate::Voice,
) -> Option<LimitStatus> {
    patient
        .referrals
        .iter()
        .filter(|r| r.date <= as_of)
        .max_by_key(|r| r.date)
        .map(|r| LimitStatus {
            id: r.id.clone(),
            text: wording::referral_text(r, v.p, v.lang),
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
    p: &Phrases,
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
            text: fill(
                p.authorization,
                &[("number", &a.number), ("payer", &payer_name)],
            ),
            issued_by: payer_name,
            start: a.start,
            end: Some(a.end),
            current: as_of <= a.end,
            visits: visits::authorization_visits(patient, a, sessions.iter().copied(), as_of),
        })
}

impl VerificationCtx {
    /// How `v` was done, told in `p`'s language.
    fn new(v: &Verification, p: &Phrases) -> Self {
        VerificationCtx {
            how: match v.method {
                VerificationMethod::Phone => p.checked_phone,
                VerificationMethod::Portal => p.checked_portal,
                VerificationMethod::EligibilityResponse => p.checked_eligibility,
            }
            .to_string(),
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
