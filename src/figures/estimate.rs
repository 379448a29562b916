//! What a visit will likely cost the patient, every coverage together: the one place that
//! prices a visit. Each plan the visit would be billed to, in order, either refuses it (a
//! visit limit reached, an authorization or referral lapsed or used up, a service not covered,
//! a coverage not in force), or pays its share of its allowed amount (`cost.rs`); a secondary
//! plan pays toward what the plans before it left the patient, up to what it would pay alone.
//! A workers' compensation or auto carrier leaves the patient nothing to pay. A visit no plan
//! pays is priced at the practice's fee.

use super::cost::{self, Share, Sharing};
use crate::codes::procedures::{self, Benefit};
use crate::model::{Benefits, Money};
use serde::Serialize;

/// True when the plan pays for `code`: not listed in its `not_covered_codes`, and not massage
/// when it covers no massage.
pub fn covers(benefits: &Benefits, code: &str) -> bool {
    let listed = benefits
        .not_covered_codes
        .iter()
        .any(|c| c.as_str().eq_ignore_ascii_case(code));
    let massage = procedures::lookup(code).is_some_and(|p| p.benefit == Benefit::Massage);
    !listed && (!massage || benefits.massage_covered)
}

/// Why a plan would not pay a visit at all (documents say it in words from their phrase
/// tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// The coverage is not in force on the day.
    NotInForce,
    /// The plan covers none of the visit's services.
    NotCovered,
    /// The plan year's visits are used up.
    VisitLimit,
    /// The plan requires an authorization and none was issued.
    AuthorizationMissing,
    /// The authorization ended.
    AuthorizationExpired,
    /// The authorization's visits are used up.
    AuthorizationUsedUp,
    /// The plan requires a referral and there is none.
    ReferralMissing,
    /// The referral ended.
    ReferralExpired,
    /// The referral's visits are used up.
    ReferralUsedUp,
}

/// Where a referral or an authorization a plan requires stands for the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permit {
    /// None was issued.
    Missing,
    /// The latest ended before the visit.
    Expired,
    /// Its visits are used up.
    UsedUp,
    /// In force, with visits left.
    Valid,
}

/// What a plan's limits say of the visit priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The coverage is in force on the day.
    pub in_force: bool,
    /// The plan covers at least one of the visit's services.
    pub covered: bool,
    /// The visit's number in the plan year (the visits used, plus this one).
    pub visit_number: u32,
    /// Visits the plan pays a year; None for no limit.
    pub visits_allowed: Option<u32>,
    /// The authorization, when the plan requires one.
    pub authorization: Option<Permit>,
    /// The referral, when the plan requires one.
    pub referral: Option<Permit>,
}

/// The first reason, if any, the plan would not pay the visit.
pub fn refusal(limits: &Limits) -> Option<Refusal> {
    if !limits.in_force {
        return Some(Refusal::NotInForce);
    }
    if !limits.covered {
        return Some(Refusal::NotCovered);
    }
    if limits
        .visits_allowed
        .is_some_and(|allowed| limits.visit_number > allowed)
    {
        return Some(Refusal::VisitLimit);
    }
    let permit = |p: Option<Permit>, refusals: [Refusal; 3]| match p {
        Some(Permit::Missing) => Some(refusals[0]),
        Some(Permit::Expired) => Some(refusals[1]),
        Some(Permit::UsedUp) => Some(refusals[2]),
        Some(Permit::Valid) | None => None,
    };
    permit(
        limits.authorization,
        [
            Refusal::AuthorizationMissing,
            Refusal::AuthorizationExpired,
            Refusal::AuthorizationUsedUp,
        ],
    )
    .or_else(|| {
        permit(
            limits.referral,
            [
                Refusal::ReferralMissing,
                Refusal::ReferralExpired,
                Refusal::ReferralUsedUp,
            ],
        )
    })
}

/// How a coverage pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    /// A health plan that shares the cost with the patient.
    Plan {
        /// The practice is in the plan's network.
        in_network: bool,
        /// Copay, deductible, coinsurance and out-of-pocket maximum.
        sharing: Sharing,
    },
    /// A workers' compensation or auto carrier: the patient is never billed.
    Carrier,
}

/// One coverage the visit would be billed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// How it pays.
    pub payer: Payer,
    /// Why it would not pay the visit, if it would not.
    pub refusal: Option<Refusal>,
    /// Its allowed amount for the services billed to it (the lesser of its rates and the
    /// practice's fees, line by line); None when its rates are unknown.
    pub allowed: Option<Money>,
}

/// The visit to price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The practice's fee for the services billed to the plans.
    pub billed: Money,
    /// The practice's fee for the units past the plan's maximum minutes a visit: the
    /// patient's, since the plan is not billed for them.
    pub beyond_plan: Money,
    /// The practice's fee for the services the plan does not cover: the patient's.
    pub not_covered: Money,
    /// The coverages, in the order they are billed; none for a patient who pays.
    pub plans: Vec<Plan>,
}

/// What one coverage does with the visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Step {
    /// Its allowed amount; None when unknown or when it refuses the visit.
    pub allowed: Option<Money>,
    /// Its cost sharing of that amount, when it shares the cost.
    pub share: Option<Share>,
    /// What it pays; None when unknown.
    pub pays: Option<Money>,
    /// What of the billed services is still the patient's after it; None when unknown.
    pub left: Option<Money>,
    /// Why it pays nothing, when it refuses the visit.
    pub refusal: Option<Refusal>,
}

/// Why the visit costs what it does, in a word or two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// No coverage: the practice's fee.
    SelfPay,
    /// Every plan refuses the visit: the practice's fee.
    Refused(Refusal),
    /// A carrier pays; the patient nothing.
    Carrier,
    /// An in-network plan set the price.
    InNetwork,
    /// An out-of-network plan: the practice's fee, some of it paid back.
    OutOfNetwork,
}

/// What the visit will likely cost the patient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisitCost {
    /// The practice's fee for the whole visit.
    pub fee: Money,
    /// The allowed amount the price rests on; zero when every plan refuses the visit, None
    /// for a patient who pays or a plan whose rates are unknown.
    pub allowed: Option<Money>,
    /// What the plans pay in all; None when unknown.
    pub plan_pays: Option<Money>,
    /// What the patient pays the practice.
    pub patient_pays: Money,
    /// Out of network: what the plans pay the patient back; None when unknown or in network.
    pub reimbursed: Option<Money>,
    /// Out of network: the patient's cost once reimbursed; None when unknown or in network.
    pub net: Option<Money>,
    /// The practice's fee for the units past the plan's maximum minutes, in `patient_pays`.
    pub beyond_plan: Money,
    /// The practice's fee for the services the plan does not cover, in `patient_pays`.
    pub not_covered: Money,
    /// Why.
    pub basis: Basis,
    /// What each coverage did, in order.
    pub steps: Vec<Step>,
    /// The coverage whose allowed amount set the price, if one did.
    pub priced_by: Option<usize>,
}

/// An in-network plan's rates are unknown, so its patient's share cannot be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unknown {
    /// Its place in [`Visit::plans`].
    pub plan: usize,
}

/// Prices `visit`: see the module's description.
pub fn price(visit: &Visit) -> Result<VisitCost, Unknown> {
    let billed = visit.billed.cents().max(0);
    let beyond_plan = visit.beyond_plan.cents().max(0);
    let not_covered = visit.not_covered.cents().max(0);
    let fee = billed + beyond_plan + not_covered;
    let mut chain = Chain {
        billed,
        left: Some(billed),
        priced_by: None,
        steps: Vec::new(),
    };
    for (i, plan) in visit.plans.iter().enumerate() {
        if plan.payer == Payer::Carrier {
            // The injured worker or driver is never billed, whatever the carrier pays.
            let pays = match plan.refusal {
                Some(_) => Some(0),
                None => plan.allowed.map(|a| a.cents().clamp(0, billed)),
            };
            chain.steps.push(Step {
                allowed: plan.allowed.map(|a| Money(a.cents().clamp(0, billed))),
                share: None,
                pays: pays.map(Money),
                left: Some(Money::ZERO),
                refusal: plan.refusal,
            });
            let allowed = chain.steps[i].allowed;
            return Ok(VisitCost {
                fee: Money(fee),
                allowed,
                plan_pays: chain.plan_pays().map(Money),
                patient_pays: Money::ZERO,
                reimbursed: None,
                net: None,
                beyond_plan: Money::ZERO,
                not_covered: Money::ZERO,
                basis: Basis::Carrier,
                steps: chain.steps,
                priced_by: Some(i),
            });
        }
        chain.bill(i, plan)?;
    }
    let plan_pays = chain.plan_pays();
    let first_refusal = chain.steps.iter().find_map(|s| s.refusal);
    let (basis, allowed, patient_pays, reimbursed) = match chain.priced_by {
        None if visit.plans.is_empty() => (Basis::SelfPay, None, fee, None),
        None => (
            Basis::Refused(first_refusal.unwrap_or(Refusal::NotCovered)),
            Some(Money::ZERO),
            fee,
            None,
        ),
        Some((i, true)) => (
            Basis::InNetwork,
            chain.steps[i].allowed,
            chain.left.unwrap_or(0) + beyond_plan + not_covered,
            None,
        ),
        Some((i, false)) => (Basis::OutOfNetwork, chain.steps[i].allowed, fee, plan_pays),
    };
    Ok(VisitCost {
        fee: Money(fee),
        allowed,
        plan_pays: plan_pays.map(Money),
        patient_pays: Money(patient_pays),
        reimbursed: reimbursed.map(Money),
        net: reimbursed.map(|r| Money(fee - r)),
        beyond_plan: Money(beyond_plan),
        not_covered: Money(not_covered),
        basis,
        steps: chain.steps,
        priced_by: chain.priced_by.map(|(i, _)| i),
    })
}

/// The plans billed so far and what they left the patient.
struct Chain {
    /// The practice's fee for the services billed to the plans, in cents.
    billed: i64,
    /// What of it is still the patient's; None once a plan's payment is unknown.
    left: Option<i64>,
    /// The plan that set the price and whether it is in network.
    priced_by: Option<(usize, bool)>,
    /// What each plan did.
    steps: Vec<Step>,
}

impl Chain {
    /// Bills the `i`th plan: it refuses, or pays its share of its allowed amount (the first
    /// to pay sets the price), or toward what the plans before it left, up to its own share.
    fn bill(&mut self, i: usize, plan: &Plan) -> Result<(), Unknown> {
        let Payer::Plan {
            in_network,
            sharing,
        } = plan.payer
        else {
            return Ok(());
        };
        let mut step = Step {
            allowed: None,
            share: None,
            pays: Some(Money::ZERO),
            left: self.left.map(Money),
            refusal: plan.refusal,
        };
        if plan.refusal.is_some() {
            self.steps.push(step);
            return Ok(());
        }
        let Some(allowed) = plan.allowed.map(|a| a.cents().clamp(0, self.billed)) else {
            // In network, the plan that sets the price must be known: its share is the
            // patient's. Out of network the patient pays the fee whatever it pays back, and
            // a later plan's payment is left out (the figure is then at most what is shown).
            match self.priced_by {
                None if in_network => return Err(Unknown { plan: i }),
                None => {
                    self.priced_by = Some((i, false));
                    self.left = None;
                    step.left = None;
                }
                Some(_) => {}
            }
            step.pays = None;
            self.steps.push(step);
            return Ok(());
        };
        let share = cost::share(Money(allowed), &sharing);
        let pays = match (self.priced_by, self.left) {
            // In network the patient owes only the share; out of network, the fee less
            // what the plan pays back.
            (None, _) => {
                self.priced_by = Some((i, in_network));
                self.left = Some(if in_network {
                    share.patient.cents()
                } else {
                    self.billed - share.plan.cents()
                });
                Some(share.plan.cents())
            }
            (Some(_), Some(left)) => {
                let pays = share.plan.cents().min(left);
                self.left = Some(left - pays);
                Some(pays)
            }
            (Some(_), None) => None,
        };
        step.allowed = Some(Money(allowed));
        step.share = Some(share);
        step.pays = pays.map(Money);
        step.left = self.left.map(Money);
        self.steps.push(step);
        Ok(())
    }

    /// What the plans pay in all; None when one's payment is unknown.
    fn plan_pays(&self) -> Option<i64> {
        self.steps.iter().map(|s| s.pays.map(Money::cents)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Rate;
    use crate::model::patient::CoinsuranceBase;
    use proptest::prelude::*;

    fn sharing(copay: i64, ded: i64, bp: u32, oop: Option<i64>) -> Sharing {
        Sharing {
            copay: Money(copay),
            deductible_left: Money(ded),
            coinsurance: Rate(bp),
            out_of_pocket_left: oop.map(Money),
            copay_waives_deductible: false,
            coinsurance_base: CoinsuranceBase::AllowedLessCopay,
        }
    }

    fn in_network(allowed: i64, terms: Sharing) -> Plan {
        Plan {
            payer: Payer::Plan {
                in_network: true,
                sharing: terms,
            },
            refusal: None,
            allowed: Some(Money(allowed)),
        }
    }

    fn visit(billed: i64, plans: Vec<Plan>) -> Visit {
        Visit {
            billed: Money(billed),
            beyond_plan: Money::ZERO,
            not_covered: Money::ZERO,
            plans,
        }
    }

    /// Limits of a plan of 20 visits a year, with nothing else in the way.
    fn twenty_a_year(visit_number: u32) -> Limits {
        Limits {
            in_force: true,
            covered: true,
            visit_number,
            visits_allowed: Some(20),
            authorization: None,
            referral: None,
        }
    }

    #[test]
    fn the_first_reason_a_plan_refuses_is_named() {
        assert_eq!(refusal(&twenty_a_year(20)), None);
        assert_eq!(refusal(&twenty_a_year(21)), Some(Refusal::VisitLimit));
        let mut l = twenty_a_year(3);
        l.authorization = Some(Permit::Expired);
        l.referral = Some(Permit::UsedUp);
        assert_eq!(refusal(&l), Some(Refusal::AuthorizationExpired));
        l.authorization = Some(Permit::Valid);
        assert_eq!(refusal(&l), Some(Refusal::ReferralUsedUp));
        l.covered = false;
        assert_eq!(refusal(&l), Some(Refusal::NotCovered));
        l.in_force = false;
        assert_eq!(refusal(&l), Some(Refusal::NotInForce));
    }

    #[test]
    fn a_secondary_pays_toward_what_the_primary_leaves_up_to_its_own_share() {
        // Primary: 125.40 allowed, 30.00 copay, 20% of the 95.40 left is 19.08: 49.08 left.
        // Secondary: 115.00 allowed, 20.00 copay: alone it would pay 95.00, so all 49.08.
        let v = visit(
            15200,
            vec![
                in_network(12540, sharing(3000, 0, 2000, None)),
                in_network(11500, sharing(2000, 0, 0, None)),
            ],
        );
        let c = price(&v).unwrap();
        assert_eq!(c.steps[0].pays, Some(Money(7632)));
        assert_eq!(c.steps[1].pays, Some(Money(4908)));
        assert_eq!(
            (c.patient_pays, c.plan_pays),
            (Money(0), Some(Money(12540)))
        );
        // A secondary that would pay less alone pays only that: 30.00 allowed, 25.00 copay.
        let v = visit(
            15200,
            vec![
                in_network(12540, sharing(3000, 0, 2000, None)),
                in_network(3000, sharing(2500, 0, 0, None)),
            ],
        );
        let c = price(&v).unwrap();
        assert_eq!(c.steps[1].pays, Some(Money(500)));
        assert_eq!(c.patient_pays, Money(4408));
        assert_eq!(c.basis, Basis::InNetwork);
    }

    #[test]
    fn a_refused_visit_is_the_practices_fee_and_a_carrier_leaves_nothing() {
        let mut plan = in_network(9300, sharing(2500, 0, 2000, None));
        plan.refusal = Some(Refusal::VisitLimit);
        let mut v = visit(15200, vec![plan]);
        v.beyond_plan = Money(3800);
        let c = price(&v).unwrap();
        assert_eq!(
            (c.patient_pays, c.plan_pays),
            (Money(19000), Some(Money(0)))
        );
        assert_eq!(c.basis, Basis::Refused(Refusal::VisitLimit));
        assert_eq!(c.allowed, Some(Money::ZERO));
        let carrier = Plan {
            payer: Payer::Carrier,
            refusal: None,
            allowed: Some(Money(10900)),
        };
        let c = price(&visit(15200, vec![carrier])).unwrap();
        assert_eq!(
            (c.patient_pays, c.plan_pays),
            (Money(0), Some(Money(10900)))
        );
        assert_eq!(c.basis, Basis::Carrier);
        let self_pay = price(&visit(15200, Vec::new())).unwrap();
        assert_eq!(
            (self_pay.patient_pays, self_pay.basis),
            (Money(15200), Basis::SelfPay)
        );
    }

    #[test]
    fn out_of_network_is_the_fee_less_what_the_plan_pays_back() {
        let oon = |allowed: Option<i64>| Plan {
            payer: Payer::Plan {
                in_network: false,
                sharing: sharing(0, 0, 4000, None),
            },
            refusal: None,
            allowed: allowed.map(Money),
        };
        // 100.00 recognized, 40% coinsurance: 60.00 back on a 152.00 fee.
        let c = price(&visit(15200, vec![oon(Some(10000))])).unwrap();
        assert_eq!(c.patient_pays, Money(15200));
        assert_eq!(
            (c.reimbursed, c.net),
            (Some(Money(6000)), Some(Money(9200)))
        );
        let c = price(&visit(15200, vec![oon(None)])).unwrap();
        assert_eq!(
            (c.patient_pays, c.reimbursed, c.net),
            (Money(15200), None, None)
        );
        // In network, unknown rates leave the share unknown.
        let mut plan = in_network(0, sharing(0, 0, 0, None));
        plan.allowed = None;
        assert_eq!(price(&visit(15200, vec![plan])), Err(Unknown { plan: 0 }));
    }

    proptest! {
        #[test]
        fn in_network_the_share_keeps_within_its_bounds(
            rate in 0i64..6_000, units in 1i64..8, fee_rate in 0i64..8_000,
            copay in 0i64..6_000, ded in 0i64..200_000, bp in 0u32..=10_000,
            oop in proptest::option::of(0i64..50_000), beyond in 0i64..10_000,
            waives in any::<bool>(), on_allowed in any::<bool>(),
        ) {
            let billed = fee_rate * units;
            // The plan allows the lesser of its rate and the practice's fee.
            let allowed = (rate * units).min(billed);
            let mut terms = sharing(copay, ded, bp, oop);
            terms.copay_waives_deductible = waives;
            if on_allowed {
                terms.coinsurance_base = CoinsuranceBase::Allowed;
            }
            let mut v = visit(billed, vec![in_network(allowed, terms)]);
            v.beyond_plan = Money(beyond);
            let c = price(&v).unwrap();
            let share = c.patient_pays.cents() - beyond;
            prop_assert!(share >= 0);
            prop_assert!(share <= allowed);
            prop_assert!(c.plan_pays.is_some_and(|p| p.cents() >= 0));
            prop_assert_eq!(share + c.plan_pays.map_or(0, Money::cents), allowed);
            if let Some(o) = oop {
                prop_assert!(share <= o);
            }
        }

        #[test]
        fn past_the_visit_limit_a_visit_never_costs_less(
            rate in 0i64..6_000, fee_rate in 0i64..8_000, units in 1i64..8,
            copay in 0i64..6_000, ded in 0i64..200_000, bp in 0u32..=10_000,
            oop in proptest::option::of(0i64..50_000), beyond in 0i64..10_000,
        ) {
            let billed = fee_rate * units;
            let allowed = (rate * units).min(billed);
            let mut last = 0i64;
            for n in 1..=30 {
                let mut plan = in_network(allowed, sharing(copay, ded, bp, oop));
                plan.refusal = refusal(&twenty_a_year(n));
                let mut v = visit(billed, vec![plan]);
                v.beyond_plan = Money(beyond);
                let c = price(&v).unwrap();
                prop_assert!(c.patient_pays.cents() >= last, "visit {} costs less", n);
                prop_assert!(c.patient_pays.cents() >= 0);
                if n > 20 {
                    prop_assert_eq!(c.patient_pays.cents(), billed + beyond);
                }
                last = c.patient_pays.cents();
            }
        }

        #[test]
        fn two_plans_never_leave_the_patient_more_than_one(
            a1 in 0i64..20_000, a2 in 0i64..20_000, c1 in 0i64..5_000, c2 in 0i64..5_000,
            d1 in 0i64..30_000, d2 in 0i64..30_000, b1 in 0u32..=10_000, b2 in 0u32..=10_000,
        ) {
            let billed = 20_000;
            let one = price(&visit(billed, vec![in_network(a1, sharing(c1, d1, b1, None))]))
                .unwrap();
            let two = price(&visit(billed, vec![
                in_network(a1, sharing(c1, d1, b1, None)),
                in_network(a2, sharing(c2, d2, b2, None)),
            ])).unwrap();
            prop_assert!(two.patient_pays <= one.patient_pays);
            prop_assert!(two.patient_pays.cents() >= 0);
            prop_assert!(two.steps[1].pays.is_some_and(|p| p.cents() >= 0));
            prop_assert!(two.plan_pays.is_some_and(|p| p.cents() <= a1));
        }
    }
}
