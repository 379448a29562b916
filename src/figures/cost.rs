//! The patient's estimated cost of a session from the plan's allowed amounts: deductible
//! first, then coinsurance, plus the copay, capped by what is left of the out-of-pocket maximum;
//! plus, at the practice's fee, the units past the minutes the plan pays a visit.

use crate::model::{Money, Rate};
use serde::Serialize;

/// What the estimate starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostInput {
    /// The payer's allowed amount for the whole session.
    pub allowed: Money,
    /// Deductible still to meet this plan year.
    pub deductible_remaining: Money,
    /// Patient's share after the deductible.
    pub coinsurance: Rate,
    /// Copay per visit.
    pub copay: Money,
    /// Out-of-pocket maximum still to reach; None when the plan states none.
    pub out_of_pocket_remaining: Option<Money>,
    /// The practice's fee for the units past the plan's maximum minutes a visit: the
    /// patient's in full, outside the deductible, coinsurance and out-of-pocket maximum,
    /// since the plan does not pay for that time at all.
    pub beyond_plan: Money,
}

/// An estimate of who pays what for one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CostEstimate {
    /// The payer's allowed amount.
    pub allowed: Money,
    /// Part of the allowed amount that goes to the deductible.
    pub deductible_part: Money,
    /// Coinsurance on what is left after the deductible.
    pub coinsurance_part: Money,
    /// The copay.
    pub copay: Money,
    /// The practice's fee for the units past the plan's maximum minutes.
    pub beyond_plan: Money,
    /// What the patient pays in all, `beyond_plan` included.
    pub patient_total: Money,
    /// What the payer pays.
    pub payer_total: Money,
    /// True when the out-of-pocket maximum lowered the patient's share of the allowed amount.
    pub capped: bool,
}

/// Computes the estimate; amounts are whole cents, coinsurance rounded half up.
pub fn estimate(input: CostInput) -> CostEstimate {
    let allowed = input.allowed.cents().max(0);
    let deductible_part = allowed.min(input.deductible_remaining.cents().max(0));
    let after_deductible = allowed - deductible_part;
    let bp = i64::from(input.coinsurance.basis_points());
    let coinsurance_part = (after_deductible * bp + 5_000) / 10_000;
    let copay = input.copay.cents().max(0);
    let uncapped = deductible_part + coinsurance_part + copay;
    let (share, capped) = match input.out_of_pocket_remaining {
        Some(left) if uncapped > left.cents().max(0) => (left.cents().max(0), true),
        _ => (uncapped, false),
    };
    let beyond_plan = input.beyond_plan.cents().max(0);
    CostEstimate {
        allowed: Money(allowed),
        deductible_part: Money(deductible_part),
        coinsurance_part: Money(coinsurance_part),
        copay: Money(copay),
        beyond_plan: Money(beyond_plan),
        patient_total: Money(share + beyond_plan),
        payer_total: Money((allowed - share).max(0)),
        capped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn input(allowed: i64, ded: i64, bp: u32, copay: i64, oop: Option<i64>) -> CostInput {
        CostInput {
            allowed: Money(allowed),
            deductible_remaining: Money(ded),
            coinsurance: Rate(bp),
            copay: Money(copay),
            out_of_pocket_remaining: oop.map(Money),
            beyond_plan: Money::ZERO,
        }
    }

    #[test]
    fn deductible_then_coinsurance_then_copay() {
        // 4 units at 28.00 = 112.00 allowed; 150.00 deductible left: all 112.00 to it.
        let e = estimate(input(11200, 15000, 2000, 2500, None));
        assert_eq!(e.deductible_part, Money(11200));
        assert_eq!(e.coinsurance_part, Money(0));
        assert_eq!(e.patient_total, Money(13700));
        assert_eq!(e.payer_total, Money(0));
        // 50.00 deductible left: 62.00 remains, 20% is 12.40.
        let e = estimate(input(11200, 5000, 2000, 2500, None));
        assert_eq!(e.coinsurance_part, Money(1240));
        assert_eq!(e.patient_total, Money(8740));
        assert_eq!(e.payer_total, Money(2460));
    }

    #[test]
    fn out_of_pocket_cap() {
        let e = estimate(input(11200, 15000, 2000, 2500, Some(4000)));
        assert_eq!(e.patient_total, Money(4000));
        assert!(e.capped);
    }

    #[test]
    fn time_past_the_plans_minutes_is_the_patients_in_full() {
        // 3 units allowed at 28.00; a fourth unit past the plan's minutes at the fee, 41.00.
        let mut i = input(8400, 0, 2000, 2500, Some(2000));
        i.beyond_plan = Money(4100);
        let e = estimate(i);
        // 20% of 84.00 is 16.80, plus the 25.00 copay: 41.80, capped at the 20.00 left.
        assert!(e.capped);
        assert_eq!(e.beyond_plan, Money(4100));
        assert_eq!(e.patient_total, Money(6100));
        assert_eq!(e.payer_total, Money(6400));
    }

    proptest! {
        #[test]
        fn shares_never_exceed_what_is_due(allowed in 0i64..100_000, ded in 0i64..200_000,
                                            bp in 0u32..=10_000, copay in 0i64..10_000,
                                            oop in proptest::option::of(0i64..500_000),
                                            beyond in 0i64..50_000) {
            let mut i = input(allowed, ded, bp, copay, oop);
            i.beyond_plan = Money(beyond);
            let e = estimate(i);
            prop_assert!(e.deductible_part.cents() <= allowed);
            prop_assert!(e.deductible_part.cents() + e.coinsurance_part.cents() <= allowed);
            prop_assert!(e.payer_total.cents() >= 0);
            prop_assert!(e.payer_total.cents() <= allowed);
            let share = e.patient_total.cents() - beyond;
            prop_assert_eq!(e.beyond_plan.cents(), beyond);
            if let Some(o) = oop { prop_assert!(share <= o); }
            if !e.capped {
                prop_assert_eq!(share,
                    e.deductible_part.cents() + e.coinsurance_part.cents() + e.copay.cents());
            }
        }
    }
}
