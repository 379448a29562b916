//! The summary's estimate of the next visit, priced like the patient's latest: the coverages
//! in force in the order they are billed, the services each is billed and what each allows,
//! priced once by `figures::estimate`, then told in plain words; and, for a patient who pays
//! the practice without a plan billed, the No Surprises Act's Good Faith Estimate.

use super::{CoverageSummary, LimitStatus};
use crate::documents::context::{self, DiagnosisCtx};
use crate::figures::cost::{Share, Sharing};
use crate::figures::estimate::{self, Basis, Limits, Payer, Permit, Plan, Refusal, Visit};
use crate::figures::lines;
use crate::load::PracticeData;
use crate::model::patient::Network;
use crate::model::{Code, Coverage, Money, PayerKind, Service, Session, UnitRule};
use chrono::NaiveDate;
use serde::Serialize;

mod words;

/// The next visit's estimate, all coverages together.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateCtx {
    /// The visit priced, e.g. "your most recent visit, on 2026-11-24".
    pub visit: String,
    /// The services billed to the plans, e.g. "97124 x 2 units, 97110 x 1 unit"; every
    /// service when no plan is billed.
    pub code: String,
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
    /// Those units, e.g. "1 unit of 97110"; empty when there are none.
    pub beyond_plan_basis: String,
    /// The most minutes the plan billed first pays a visit, when it sets a maximum.
    pub max_minutes: Option<u32>,
    /// The practice's fee for the services the plan billed first does not cover.
    pub not_covered: Money,
    /// Those services, e.g. "2 units of 97124"; empty when there are none.
    pub not_covered_basis: String,
    /// What each coverage billed did, in order.
    pub plans: Vec<PlanEstimateCtx>,
    /// What can make a visit cost other than the estimate.
    pub caveats: Vec<String>,
}

/// What one coverage does with the visit.
#[derive(Debug, Clone, Serialize)]
pub struct PlanEstimateCtx {
    /// The payer's name.
    pub payer: String,
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
) -> Priced {
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
    let typical = typical_visit(latest);
    // A visit no plan is billed for is counted in units by CPT's own time rule.
    let rule = rule.unwrap_or(UnitRule::SubstantialPortion);
    let max_minutes = first.and_then(|c| c.benefits.max_minutes_per_visit);
    let split = lines::split_units(rule, &typical.services, max_minutes);
    let fees = match fees_of(data, &typical.services) {
        Ok(fees) => fees,
        Err(code) => {
            priced.no_estimate = format!(
                "We have no fee for {code} on file yet, so we cannot estimate the cost of a visit."
            );
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
            priced.no_estimate = format!(
                "We do not yet know {name}'s allowed amounts for these services, so we cannot estimate the cost of a visit."
            );
            return priced;
        }
    };
    let chained: Vec<&CoverageSummary> = chain.iter().map(|&i| &summaries[i]).collect();
    let plan_parts = words::plan_parts(&cost, &chained, &parts.code());
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
        priced.good_faith = Some(good_faith(data, &typical, &split, &fees, latest));
    }
    let shares = matches!(cost.basis, Basis::InNetwork | Basis::OutOfNetwork);
    priced.estimate = Some(EstimateCtx {
        visit: typical.described,
        code: parts.code(),
        fee: cost.fee,
        allowed: cost.allowed,
        plan_pays: cost.plan_pays,
        patient_pays: cost.patient_pays,
        reimbursed: cost.reimbursed,
        net: cost.net,
        basis: words::basis(&cost, &chained),
        explanation: words::explain(&cost, &chained, &parts, as_of),
        beyond_plan: cost.beyond_plan,
        // A visit priced at the fee as a whole needs no word on the parts of it.
        beyond_plan_basis: if shares {
            units_text(&parts.beyond)
        } else {
            String::new()
        },
        max_minutes,
        not_covered: cost.not_covered,
        not_covered_basis: if shares {
            units_text(&parts.not_covered)
        } else {
            String::new()
        },
        plans: plan_parts,
        caveats: caveats(cost.basis).iter().map(|s| s.to_string()).collect(),
    });
    priced
}

/// What can make a visit cost other than the estimate, printed under an estimate a plan's
/// share decides.
const ESTIMATE_CAVEATS: &[&str] = &[
    "This is an estimate, not a guarantee of payment: the plan decides what it pays when it processes each claim.",
    "Your share changes as your deductible and out-of-pocket maximum are met during the plan year, including by other providers' claims.",
    "Longer or shorter sessions, different services, or a lapsed referral or authorization change the amount.",
    "Allowed amounts can change when the plan updates its fee schedule.",
];

/// What can change a visit priced at the practice's fee.
const FEE_CAVEATS: &[&str] =
    &["Longer or shorter sessions, or different services, change the amount."];

/// What can change a visit a carrier pays.
const CARRIER_CAVEATS: &[&str] = &[
    "This is an estimate of what we bill the carrier, not a guarantee of payment: the carrier decides what it pays when it processes each bill.",
];

/// The caveats that apply to an estimate on `basis`.
fn caveats(basis: Basis) -> &'static [&'static str] {
    match basis {
        Basis::InNetwork | Basis::OutOfNetwork => ESTIMATE_CAVEATS,
        Basis::Carrier => CARRIER_CAVEATS,
        Basis::SelfPay | Basis::Refused(_) => FEE_CAVEATS,
    }
}

/// The visit priced: its services and how it is described.
struct Typical {
    /// Its services.
    services: Vec<Service>,
    /// "your most recent visit, on 2026-11-24".
    described: String,
}

/// A visit like `latest`, else a 60-minute massage (4 units under every rule).
fn typical_visit(latest: Option<&Session>) -> Typical {
    match latest {
        Some(s) => Typical {
            services: s.services.clone(),
            described: format!("your most recent visit, on {}", s.date),
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
            described: "a 60-minute therapeutic massage (no visit recorded yet)".to_string(),
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
            .map(|u| format!("{} x {} unit{}", u.code, u.units, plural(u.units)))
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

/// "" or "s".
fn plural(n: u32) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// "1 unit of 97110 and 2 units of 97124".
fn units_text(list: &[Units]) -> String {
    lines::units_by_code(list.iter().map(|u| (u.code.as_str(), u.units)))
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
        notice: GOOD_FAITH_NOTICE.iter().map(|s| s.to_string()).collect(),
    }
}

/// The notice of the right to a Good Faith Estimate (45 CFR 149.610), after CMS's standard
/// wording, in the practice's voice.
const GOOD_FAITH_NOTICE: &[&str] = &[
    "Because you are paying for your visits yourself rather than through insurance we bill, the law (the No Surprises Act) gives you the right to a Good Faith Estimate of what your care will cost. This is ours: what we expect to charge for a visit like the one above.",
    "You can ask us, and any other provider you choose, for a Good Faith Estimate before you schedule a visit.",
    "If our bill comes to at least $400 more than this estimate, you can dispute it.",
    "Keep a copy of this estimate.",
    "This estimate is not a contract, and you do not have to receive the services it lists.",
    "For questions or more information about your right to a Good Faith Estimate, visit www.cms.gov/nosurprises or call 1-800-985-3059.",
];

/// The share's parts, for the plan that set the price.
pub(super) fn share_parts(share: &Share) -> [(i64, &'static str); 3] {
    [
        (share.copay.cents(), "copay"),
        (share.deductible.cents(), "deductible"),
        (share.coinsurance.cents(), "coinsurance"),
    ]
}
