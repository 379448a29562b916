//! The summary's estimate of the next visit, priced like the patient's latest: the coverages
//! in force in the order they are billed, the services each is billed and what each allows,
//! priced once by `figures::estimate`, then told in plain words; and, for a patient who pays
//! the practice without a plan billed, the No Surprises Act's Good Faith Estimate.

use super::{CoverageSummary, LimitStatus};
use crate::documents::context::{self, DiagnosisCtx};
use crate::documents::wording::{self, Phrases, fill};
use crate::figures::cost::{Share, Sharing};
use crate::figures::estimate::{self, Basis, Limits, Payer, Permit, Plan, Refusal, Visit};
use crate::figures::lines;
use crate::load::PracticeData;
use crate::model::patient::Network;
use crate::model::{Code, Coverage, Money, PayerKind, Service, Session, UnitRule};
use chrono::NaiveDate;
use serde::Serialize;

mod words;

pub(super) use words::Voice;

/// The next visit's estimate, all coverages together.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateCtx {
    /// The visit priced, e.g. "your last visit, on November 24, 2026".
    pub visit: String,
    /// The services billed to the plans, e.g. "97124 x 2 units, 97110 x 1 unit"; every
    /// service when no plan is billed.
    pub code: String,
    /// The same services in words, one entry a code.
    pub services: Vec<ServiceUnits>,
    /// The practice's fee for the whole visit.
    pub fee: Money,
    /// The allowed amount the price rests on; 0.00 when every plan refuses the visit, null
    /// when no plan is billed or its allowed amounts are unknown.
    pub allowed: Option<Money>,
    /// What the plans pay in all; null when unknown.
    pub plan_pays: Option<Money>,
    /// What the patient pays the practice.
    pub patient_pays: Money,
    /// Out of network: what the plans pay the patient back; null when unknown or in network.
    pub reimbursed: Option<Money>,
    /// Out of network: the visit's cost to the patient once reimbursed; null otherwise.
    pub net: Option<Money>,
    /// Why this figure, in a few words, e.g. "visit limit reached: practice fee".
    pub basis: String,
    /// How it was reached, in plain sentences.
    pub explanation: Vec<String>,
    /// The practice's fee for the units past the plan's maximum minutes, in `patient_pays`.
    pub beyond_plan: Money,
    /// Those units, e.g. "1 unit of exercise therapy"; empty when there are none.
    pub beyond_plan_basis: String,
    /// The most minutes the plan billed first pays a visit, when it sets a maximum.
    pub max_minutes: Option<u32>,
    /// The practice's fee for the services the plan billed first does not cover.
    pub not_covered: Money,
    /// Those services, e.g. "2 units of massage"; empty when there are none.
    pub not_covered_basis: String,
    /// What each coverage billed did, in order.
    pub plans: Vec<PlanEstimateCtx>,
    /// What can make a visit cost other than the estimate.
    pub caveats: Vec<String>,
}

/// Some units of one service, in words.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceUnits {
    /// CPT/HCPCS code.
    pub code: String,
    /// The service in words, e.g. "massage, 15-minute units".
    pub name: String,
    /// Units.
    pub units: u32,
}

/// What one coverage does with the visit.
#[derive(Debug, Clone, Serialize)]
pub struct PlanEstimateCtx {
    /// The payer's name.
    pub payer: String,
    /// The plan by name and rank, e.g. "Choice POS II, primary".
    pub name: String,
    /// `primary` or `secondary`.
    pub priority: String,
    /// The services billed to it.
    pub code: String,
    /// Its allowed amount; null when unknown, when it refuses the visit, or for a carrier
    /// whose rates are not on file.
    pub allowed: Option<Money>,
    /// The copay of its allowed amount the patient pays; null when it shares no cost.
    pub copay: Option<Money>,
    /// The part of its allowed amount that goes to the deductible; null likewise.
    pub deductible: Option<Money>,
    /// The coinsurance the patient pays; null likewise.
    pub coinsurance: Option<Money>,
    /// What it pays; null when unknown.
    pub plan_pays: Option<Money>,
    /// What is left to the patient after it and the plans before it; null when unknown.
    pub patient_pays: Option<Money>,
    /// Why, in a few words, e.g. "copay and 20% coinsurance" or "visit limit reached".
    pub basis: String,
    /// The out-of-pocket maximum lowered the patient's share.
    pub capped: bool,
}

/// The No Surprises Act's Good Faith Estimate of a visit's charges.
#[derive(Debug, Clone, Serialize)]
pub struct GoodFaithCtx {
    /// Each service expected, at the practice's fee.
    pub lines: Vec<GoodFaithLine>,
    /// Their total.
    pub total: Money,
    /// The diagnoses of the visit priced.
    pub diagnoses: Vec<DiagnosisCtx>,
    /// The notice of the patient's rights, in the practice's voice.
    pub notice: Vec<String>,
}

/// One service of a Good Faith Estimate.
#[derive(Debug, Clone, Serialize)]
pub struct GoodFaithLine {
    /// CPT/HCPCS code.
    pub code: String,
    /// Plain description.
    pub description: String,
    /// The service in words, in the reader's language.
    pub name: String,
    /// Units.
    pub units: u32,
    /// The practice's fee for them.
    pub charge: Money,
}

/// The estimate, why there is none, the Good Faith Estimate, and each coverage's part (in
/// the order of the coverages given).
pub struct Priced {
    /// The estimate.
    pub estimate: Option<EstimateCtx>,
    /// Why there is none.
    pub no_estimate: String,
    /// The Good Faith Estimate, when due.
    pub good_faith: Option<GoodFaithCtx>,
    /// Each coverage's part.
    pub plans: Vec<Option<PlanEstimateCtx>>,
}

/// Prices the patient's next visit on `as_of`, a visit like the latest of `sessions`, under
/// `coverages` (primary first) whose benefits as of that day are `summaries`.
pub fn next_visit(
    data: &PracticeData,
    coverages: &[&Coverage],
    summaries: &[CoverageSummary],
    sessions: &[&Session],
    as_of: NaiveDate,
    v: Voice,
) -> Priced {
    let p = v.p;
    let mut priced = Priced {
        estimate: None,
        no_estimate: String::new(),
        good_faith: None,
        plans: vec![None; coverages.len()],
    };
    // The coverages in force are billed, primary first; with none in force, the primary is
    // shown refusing the visit.
    let mut chain: Vec<usize> = (0..coverages.len())
        .filter(|&i| summaries[i].active)
        .collect();
    if chain.is_empty() && !coverages.is_empty() {
        chain.push(0);
    }
    let first = chain.first().map(|&i| coverages[i]);
    let rule = first
        .and_then(|c| data.payers.get(&c.payer))
        .map(|p| p.data.unit_rule);
    let latest = sessions.iter().max_by_key(|s| s.date).copied();
    let typical = typical_visit(latest, v);
    // A visit no plan is billed for is counted in units by CPT's own time rule.
    let rule = rule.unwrap_or(UnitRule::SubstantialPortion);
    let max_minutes = first.and_then(|c| c.benefits.max_minutes_per_visit);
    let split = lines::split_units(rule, &typical.services, max_minutes);
    let fees = match fees_of(data, &typical.services) {
        Ok(fees) => fees,
        Err(code) => {
            priced.no_estimate = fill(p.no_fee, &[("service", &wording::service_short(&code, p))]);
            return priced;
        }
    };
    let parts = Parts::of(first, &typical.services, &split, &fees);
    let visit = Visit {
        billed: Money(parts.billed.iter().map(|l| l.fee).sum()),
        beyond_plan: Money(parts.beyond.iter().map(|l| l.fee).sum()),
        not_covered: Money(parts.not_covered.iter().map(|l| l.fee).sum()),
        plans: chain
            .iter()
            .map(|&i| plan_of(data, coverages[i], &summaries[i], &parts.billed))
            .collect(),
    };
    let cost = match estimate::price(&visit) {
        Ok(cost) => cost,
        Err(unknown) => {
            let name = words::payer_name(&summaries[chain[unknown.plan]]);
            priced.no_estimate = fill(p.no_allowed, &[("payer", &name)]);
            return priced;
        }
    };
    let chained: Vec<&CoverageSummary> = chain.iter().map(|&i| &summaries[i]).collect();
    let plan_parts = words::plan_parts(&cost, &chained, &parts.code(), v);
    for (&i, part) in chain.iter().zip(&plan_parts) {
        priced.plans[i] = Some(part.clone());
    }
    let self_pay = match first {
        None => true,
        Some(c) => {
            cost.basis == Basis::Refused(Refusal::NotInForce)
                || (c.network == Network::Out && !c.assigns_benefits())
        }
    };
    if self_pay {
        priced.good_faith = Some(good_faith(data, &typical, &split, &fees, latest, p));
    }
    let shares = matches!(cost.basis, Basis::InNetwork | Basis::OutOfNetwork);
    priced.estimate = Some(EstimateCtx {
        visit: typical.described,
        code: parts.code(),
        services: parts
            .billed
            .iter()
            .map(|u| ServiceUnits {
                code: u.code.clone(),
                name: wording::service_name(&u.code, p),
                units: u.units,
            })
            .collect(),
        fee: cost.fee,
        allowed: cost.allowed,
        plan_pays: cost.plan_pays,
        patient_pays: cost.patient_pays,
        reimbursed: cost.reimbursed,
        net: cost.net,
        basis: words::basis(&cost, &chained, p),
        explanation: words::explain(&cost, &chained, &parts, as_of, v),
        beyond_plan: cost.beyond_plan,
        // A visit priced at the fee as a whole needs no word on the parts of it.
        beyond_plan_basis: if shares {
            words::units_text(&parts.beyond, p)
        } else {
            String::new()
        },
        max_minutes,
        not_covered: cost.not_covered,
        not_covered_basis: if shares {
            words::units_text(&parts.not_covered, p)
        } else {
            String::new()
        },
        plans: plan_parts,
        caveats: caveats(cost.basis, p)
            .iter()
            .map(|s| s.to_string())
            .collect(),
    });
    priced
}

/// The caveats that apply to an estimate on `basis`.
fn caveats(basis: Basis, p: &Phrases) -> &'static [&'static str] {
    match basis {
        Basis::InNetwork | Basis::OutOfNetwork => p.caveats_plan,
        Basis::Carrier => p.caveats_carrier,
        Basis::SelfPay | Basis::Refused(_) => p.caveats_fee,
    }
}

/// The visit priced: its services and how it is described.
struct Typical {
    /// Its services.
    services: Vec<Service>,
    /// "your last visit, on November 24, 2026".
    described: String,
}

/// A visit like `latest`, else a 60-minute massage (4 units under every rule).
fn typical_visit(latest: Option<&Session>, v: Voice) -> Typical {
    match latest {
        Some(s) => Typical {
            services: s.services.clone(),
            described: fill(
                if v.minor {
                    v.p.visit_latest_child
                } else {
                    v.p.visit_latest
                },
                &[("date", &wording::date_long(s.date, v.lang))],
            ),
        },
        None => Typical {
            services: vec![Service {
                code: Code("97124".into()),
                minutes: 60,
                modifiers: Vec::new(),
                region: None,
                diagnosis_pointers: Vec::new(),
                units: None,
            }],
            described: v.p.visit_default.to_string(),
        },
    }
}

/// The practice's fee per unit of each service, or the first code it has no fee for.
fn fees_of(data: &PracticeData, services: &[Service]) -> Result<Vec<i64>, String> {
    services
        .iter()
        .map(|s| {
            data.practice()
                .and_then(|p| lines::charge(&p.fees, s.code.as_str(), 1))
                .map(Money::cents)
                .ok_or_else(|| s.code.to_string())
        })
        .collect()
}

/// Some units of one code at the practice's fee.
#[derive(Debug, Clone)]
pub(super) struct Units {
    /// The code.
    code: String,
    /// How many.
    units: u32,
    /// The practice's fee per unit.
    rate: i64,
    /// The fee for them, in cents.
    fee: i64,
}

/// A visit's units by who is billed for them.
pub(super) struct Parts {
    /// Billed to the plans.
    billed: Vec<Units>,
    /// Past the first plan's maximum minutes: the patient's.
    beyond: Vec<Units>,
    /// Of services the first plan does not cover: the patient's.
    not_covered: Vec<Units>,
}

impl Parts {
    /// Sorts the units of `services` (split by the first plan's minutes) for `first`, the
    /// coverage billed first; with none, every unit is billed to nobody but the patient, and
    /// listed as billed. A plan that covers none of the services is billed all of them, to
    /// refuse the visit as a whole.
    fn of(
        first: Option<&Coverage>,
        services: &[Service],
        split: &lines::Split,
        fees: &[i64],
    ) -> Parts {
        let covered = |code: &str| first.is_none_or(|c| estimate::covers(&c.benefits, code));
        let any_covered = services
            .iter()
            .zip(&split.plan)
            .any(|(s, u)| *u > 0 && covered(s.code.as_str()));
        let mut parts = Parts {
            billed: Vec::new(),
            beyond: Vec::new(),
            not_covered: Vec::new(),
        };
        for ((svc, (plan, patient)), &rate) in services
            .iter()
            .zip(split.plan.iter().zip(&split.patient))
            .zip(fees)
        {
            let code = svc.code.as_str();
            if covered(code) || !any_covered {
                add(&mut parts.billed, code, *plan, rate);
                add(&mut parts.beyond, code, *patient, rate);
            } else {
                add(&mut parts.not_covered, code, plan + patient, rate);
            }
        }
        parts
    }

    /// "97124 x 2 units, 97110 x 1 unit": the units billed.
    fn code(&self) -> String {
        self.billed
            .iter()
            .map(|u| {
                let s = if u.units == 1 { "" } else { "s" };
                format!("{} x {} unit{s}", u.code, u.units)
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Adds `units` of `code` at `rate` to `list`, one entry a code.
fn add(list: &mut Vec<Units>, code: &str, units: u32, rate: i64) {
    if units == 0 {
        return;
    }
    let fee = rate * i64::from(units);
    match list.iter_mut().find(|u| u.code == code) {
        Some(u) => {
            u.units += units;
            u.fee += fee;
        }
        None => list.push(Units {
            code: code.to_string(),
            units,
            rate,
            fee,
        }),
    }
}

/// How `coverage` (whose benefits stand as `summary` says) treats the `billed` units.
fn plan_of(
    data: &PracticeData,
    coverage: &Coverage,
    summary: &CoverageSummary,
    billed: &[Units],
) -> Plan {
    let b = &coverage.benefits;
    let permit = |status: &Option<LimitStatus>| match status {
        None => Permit::Missing,
        Some(s) if !s.current => Permit::Expired,
        Some(s) if s.visits.remaining == Some(0) => Permit::UsedUp,
        Some(_) => Permit::Valid,
    };
    let limits = Limits {
        in_force: summary.active,
        covered: billed.iter().any(|u| estimate::covers(b, &u.code)),
        visit_number: summary.visits.used.saturating_add(1),
        visits_allowed: summary.visits.allowed,
        authorization: b.requires_preauth.then(|| permit(&summary.authorization)),
        referral: b.requires_referral.then(|| permit(&summary.referral)),
    };
    let kind = data.payers.get(&coverage.payer).map(|p| p.data.kind);
    let payer = match kind {
        Some(PayerKind::WorkersComp | PayerKind::Auto) => Payer::Carrier,
        _ => Payer::Plan {
            in_network: coverage.network == Network::In,
            sharing: Sharing::of(b),
        },
    };
    // The plan allows the lesser of its rate and the practice's fee, line by line, for the
    // services it covers.
    let allowed: Option<i64> = billed
        .iter()
        .filter(|u| estimate::covers(b, &u.code))
        .map(|u| {
            b.allowed
                .get(u.code.as_str())
                .map(|rate| rate.cents().min(u.rate) * i64::from(u.units))
        })
        .sum();
    Plan {
        payer,
        refusal: estimate::refusal(&limits),
        allowed: allowed.map(Money),
    }
}

/// The Good Faith Estimate of a visit like `typical`, every unit at the practice's fee.
fn good_faith(
    data: &PracticeData,
    typical: &Typical,
    split: &lines::Split,
    fees: &[i64],
    latest: Option<&Session>,
    p: &Phrases,
) -> GoodFaithCtx {
    let mut all: Vec<Units> = Vec::new();
    for ((svc, (plan, patient)), &rate) in typical
        .services
        .iter()
        .zip(split.plan.iter().zip(&split.patient))
        .zip(fees)
    {
        add(&mut all, svc.code.as_str(), plan + patient, rate);
    }
    let lines = all
        .iter()
        .map(|u| GoodFaithLine {
            code: u.code.clone(),
            description: crate::codes::procedures::lookup(&u.code)
                .map(|p| p.description.to_string())
                .unwrap_or_default(),
            name: wording::service_name(&u.code, p),
            units: u.units,
            charge: Money(u.fee),
        })
        .collect();
    let diagnoses = latest
        .map(|s| {
            s.diagnoses
                .iter()
                .enumerate()
                .map(|(i, code)| DiagnosisCtx {
                    pointer: context::letter(i),
                    code: context::dotted(code),
                    description: context::icd_description(&data.icd10, code, s.date),
                })
                .collect()
        })
        .unwrap_or_default();
    GoodFaithCtx {
        lines,
        total: Money(all.iter().map(|u| u.fee).sum()),
        diagnoses,
        notice: p.good_faith.iter().map(|s| s.to_string()).collect(),
    }
}

/// The share's parts, for the plan that set the price.
pub(super) fn share_parts(share: &Share) -> [(i64, &'static str); 3] {
    [
        (share.copay.cents(), "copay"),
        (share.deductible.cents(), "deductible"),
        (share.coinsurance.cents(), "coinsurance"),
    ]
}
