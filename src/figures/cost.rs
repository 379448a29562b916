//! The patient's share of a plan's allowed amount: the copay, then the deductible, then the
//! coinsurance on what is left, never more than the allowed amount, and capped by what is left
//! of the out-of-pocket maximum. `estimate.rs` uses it to price a visit.

use crate::model::patient::CoinsuranceBase;
use crate::model::{Benefits, Money, Rate};
use serde::Serialize;

/// A plan's cost-sharing terms as they stand for the visit priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sharing {
    /// Copay per visit.
    pub copay: Money,
    /// Deductible still to meet this plan year.
    pub deductible_left: Money,
    /// Patient's share after the deductible.
    pub coinsurance: Rate,
    /// Out-of-pocket maximum still to reach; None when the plan states none.
    pub out_of_pocket_left: Option<Money>,
    /// The deductible is not applied to a visit with a copay.
    pub copay_waives_deductible: bool,
    /// What the coinsurance is a share of.
    pub coinsurance_base: CoinsuranceBase,
}

impl Sharing {
    /// The terms a coverage's benefits state, with what is met so far.
    pub fn of(b: &Benefits) -> Sharing {
        Sharing {
            copay: b.copay,
            deductible_left: left_to_meet(b.deductible, b.deductible_met),
            coinsurance: b.coinsurance,
            // A plan without an out-of-pocket maximum never stops the patient's share.
            out_of_pocket_left: (b.out_of_pocket_max.cents() > 0)
                .then(|| left_to_meet(b.out_of_pocket_max, b.out_of_pocket_met)),
            copay_waives_deductible: b.copay_waives_deductible,
            coinsurance_base: b.coinsurance_base,
        }
    }
}

/// What is left of `total` once `met` counts toward it; never below zero, since the plan may
/// record more met than the limit (other providers' claims count too).
pub fn left_to_meet(total: Money, met: Money) -> Money {
    Money((total.cents() - met.cents()).max(0))
}

/// Who pays what of one plan's allowed amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Share {
    /// The plan's allowed amount.
    pub allowed: Money,
    /// The copay the patient pays.
    pub copay: Money,
    /// The part of the allowed amount that goes to the deductible.
    pub deductible: Money,
    /// The coinsurance the patient pays.
    pub coinsurance: Money,
    /// The patient's share: copay, deductible and coinsurance, after the cap.
    pub patient: Money,
    /// What the plan pays: the allowed amount less the patient's share.
    pub plan: Money,
    /// True when the out-of-pocket maximum lowered the patient's share.
    pub capped: bool,
}

/// Splits `allowed` between the patient and the plan under `terms`; whole cents, the
/// coinsurance rounded half up.
///
/// The copay comes first (at most the allowed amount), then the deductible out of what the
/// copay leaves (none when `copay_waives_deductible`), then the coinsurance on its base (what
/// the copay and deductible leave, or with `coinsurance_base: allowed` the allowed amount less
/// the deductible), never more than is left. The out-of-pocket maximum left then caps the
/// share, taking the copay, the deductible and the coinsurance in that order.
pub fn share(allowed: Money, terms: &Sharing) -> Share {
    let allowed = allowed.cents().max(0);
    let copay = terms.copay.cents().clamp(0, allowed);
    let deductible = if terms.copay_waives_deductible && copay > 0 {
        0
    } else {
        terms.deductible_left.cents().clamp(0, allowed - copay)
    };
    let rest = allowed - copay - deductible;
    let base = match terms.coinsurance_base {
        CoinsuranceBase::AllowedLessCopay => rest,
        CoinsuranceBase::Allowed => allowed - deductible,
    };
    let bp = i64::from(terms.coinsurance.basis_points().min(10_000));
    let coinsurance = ((base * bp + 5_000) / 10_000).min(rest);
    let mut cap = terms.out_of_pocket_left.map(|m| m.cents().max(0));
    let mut take = |part: i64| match cap.as_mut() {
        Some(left) => {
            let part = part.min(*left);
            *left -= part;
            part
        }
        None => part,
    };
    let (c, d, k) = (take(copay), take(deductible), take(coinsurance));
    let patient = c + d + k;
    Share {
        allowed: Money(allowed),
        copay: Money(c),
        deductible: Money(d),
        coinsurance: Money(k),
        patient: Money(patient),
        plan: Money(allowed - patient),
        capped: patient < copay + deductible + coinsurance,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(copay: i64, ded: i64, bp: u32, oop: Option<i64>) -> Sharing {
        Sharing {
            copay: Money(copay),
            deductible_left: Money(ded),
            coinsurance: Rate(bp),
            out_of_pocket_left: oop.map(Money),
            copay_waives_deductible: false,
            coinsurance_base: CoinsuranceBase::AllowedLessCopay,
        }
    }

    #[test]
    fn a_copay_and_an_unmet_deductible_never_pass_the_allowed_amount() {
        // 93.00 allowed, a 25.00 copay, 150.00 of deductible left: 25.00 + 68.00, not
        // 93.00 + 25.00 = 118.00.
        let s = share(Money(9300), &terms(2500, 15000, 2000, None));
        assert_eq!(
            (s.copay, s.deductible, s.coinsurance),
            (Money(2500), Money(6800), Money(0))
        );
        assert_eq!((s.patient, s.plan), (Money(9300), Money(0)));
        // 50.00 left: 25.00 + 50.00, then 20% of the 18.00 left is 3.60.
        let s = share(Money(9300), &terms(2500, 5000, 2000, None));
        assert_eq!((s.deductible, s.coinsurance), (Money(5000), Money(360)));
        assert_eq!((s.patient, s.plan), (Money(7860), Money(1440)));
    }

    #[test]
    fn the_plan_says_whether_the_copay_skips_the_deductible_and_what_coinsurance_is_of() {
        let mut t = terms(2500, 15000, 2000, None);
        t.copay_waives_deductible = true;
        // 25.00, and 20% of 68.00 is 13.60.
        let s = share(Money(9300), &t);
        assert_eq!(
            (s.deductible, s.coinsurance, s.patient),
            (Money(0), Money(1360), Money(3860))
        );
        t.coinsurance_base = CoinsuranceBase::Allowed;
        // 20% of 93.00 is 18.60.
        let s = share(Money(9300), &t);
        assert_eq!(
            (s.coinsurance, s.patient, s.plan),
            (Money(1860), Money(4360), Money(4940))
        );
    }

    #[test]
    fn the_out_of_pocket_maximum_caps_the_share_copay_first() {
        let s = share(Money(11200), &terms(2500, 15000, 2000, Some(4000)));
        assert_eq!(
            (s.copay, s.deductible, s.coinsurance),
            (Money(2500), Money(1500), Money(0))
        );
        assert_eq!((s.patient, s.plan), (Money(4000), Money(7200)));
        assert!(s.capped);
        let s = share(Money(11200), &terms(2500, 0, 2000, Some(0)));
        assert_eq!((s.patient, s.plan), (Money(0), Money(11200)));
    }

    #[test]
    fn the_share_stays_within_the_allowed_amount_and_the_out_of_pocket_left() {
        // Every combination of a grid of terms, each way of applying the copay and
        // coinsurance: the parts add up, and no figure leaves its bounds.
        let amounts = [0, 1, 999, 2500, 9300, 11200, 40_000];
        let rates = [0, 1, 2000, 3333, 5000, 10_000];
        let oops = [
            None,
            Some(0),
            Some(1),
            Some(3000),
            Some(9300),
            Some(100_000),
        ];
        for allowed in amounts {
            for copay in amounts {
                for ded in amounts {
                    for bp in rates {
                        for oop in oops {
                            for (waives, base) in [
                                (false, CoinsuranceBase::AllowedLessCopay),
                                (true, CoinsuranceBase::AllowedLessCopay),
                                (false, CoinsuranceBase::Allowed),
                                (true, CoinsuranceBase::Allowed),
                            ] {
                                let mut t = terms(copay, ded, bp, oop);
                                t.copay_waives_deductible = waives;
                                t.coinsurance_base = base;
                                let s = share(Money(allowed), &t);
                                let p = s.patient.cents();
                                assert!((0..=allowed).contains(&p), "{s:?} {t:?}");
                                assert!(s.plan.cents() >= 0, "{s:?} {t:?}");
                                assert_eq!(p + s.plan.cents(), allowed);
                                assert_eq!(
                                    p,
                                    s.copay.cents() + s.deductible.cents() + s.coinsurance.cents()
                                );
                                if let Some(o) = oop {
                                    assert!(p <= o, "{s:?} {t:?}");
                                }
                                assert!(s.copay.cents() <= copay && s.deductible.cents() <= ded);
                            }
                        }
                    }
                }
            }
        }
    }
}
