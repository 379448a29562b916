//! The patient's estimated cost of a session from the plan's allowed amounts: deductible
//! first, then coinsurance, plus the copay, capped by what is left of the out-of-pocket maximum.

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
    /// What the patient pays in all.
    pub patient_total: Money,
    /// What the payer pays.
    pub payer_total: Money,
    /// True when the out-of-pocket maximum lowered the patient's share.
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
    let (patient_total, capped) = match input.out_of_pocket_remaining {
        Some(left) if uncapped > left.cents().max(0) => (left.cents().max(0), true),
        _ => (uncapped, false),
    };
    CostEstimate {
        allowed: Money(allowed),
        deductible_part: Money(deductible_part),
        coinsurance_part: Money(coinsurance_part),
        copay: Money(copay),
        patient_total: Money(patient_total),
        payer_total: Money((allowed - patient_total).max(0)),
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

    proptest! {
        #[test]
        fn shares_never_exceed_what_is_due(allowed in 0i64..100_000, ded in 0i64..200_000,
                                            bp in 0u32..=10_000, copay in 0i64..10_000,
                                            oop in proptest::option::of(0i64..500_000)) {
            let e = estimate(input(allowed, ded, bp, copay, oop));
            prop_assert!(e.deductible_part.cents() <= allowed);
            prop_assert!(e.deductible_part.cents() + e.coinsurance_part.cents() <= allowed);
            prop_assert!(e.payer_total.cents() >= 0);
            prop_assert!(e.payer_total.cents() <= allowed);
            if let Some(o) = oop { prop_assert!(e.patient_total.cents() <= o); }
            if !e.capped {
                prop_assert_eq!(e.patient_total.cents(),
                    e.deductible_part.cents() + e.coinsurance_part.cents() + e.copay.cents());
            }
        }
    }
}
