//! The statement's rows and totals, from claims answered in made-up ways.

use super::*;
use crate::model::remittance::RemittedAdjustment;

#[test]
fn what_the_plan_did_not_tie_to_a_visit_gets_a_row_of_its_own() {
    let visit = |session: &str, day: u32| ClaimVisit {
        session: session.into(),
        date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default(),
        codes: "97124".into(),
        billed: Money(7600),
    };
    let visits = [visit("a", 3), visit("b", 10)];
    let remitted = RemittedClaim {
        claim_id: "CW1".into(),
        matched: true,
        payer_claim_number: "EV1".into(),
        status: "1".into(),
        billed: Money(15200),
        paid: Money(12000),
        patient_responsibility: Money(3200),
        adjustments: vec![RemittedAdjustment {
            group: "PR".into(),
            reason: "1".into(),
            amount: Money(3200),
        }],
        remarks: vec![],
        lines: vec![],
    };
    let rows = answered_rows(
        &visits,
        &[&remitted],
        "Plan",
        wording::phrases(Language::En),
    );
    let dates: Vec<&str> = rows.iter().map(|(_, r)| r.date.as_str()).collect();
    assert_eq!(
        dates,
        ["2026-11-03", "2026-11-10", "2026-11-03 to 2026-11-10"]
    );
    let last = &rows[2].1;
    assert_eq!(last.billed, None);
    assert_eq!(
        (last.insurance_paid, last.balance),
        (Money(12000), Money(3200))
    );
    assert_eq!(rows[0].1.balance, Money::ZERO);
}

#[test]
fn the_balance_is_due_when_positive_and_a_credit_when_negative() {
    let row = |share: i64, paid: i64| VisitRow {
        date: "2026-11-03".into(),
        date_text: "11/03/2026".into(),
        services: "97124".into(),
        services_text: "massage".into(),
        payer: "Plan".into(),
        billed: Some(Money(7600)),
        insurance_paid: Money(7600 - share),
        insurance_adjusted: Money::ZERO,
        patient_share: Money(share),
        beyond_plan: Money::ZERO,
        patient_paid: Money(paid),
        balance: Money(share - paid),
    };
    let t = totals_of(&[row(2000, 500), row(1000, 0)], &[]);
    assert_eq!(
        (t.sums.balance, t.due, t.credit),
        (Money(2500), Money(2500), None)
    );
    let t = totals_of(&[row(500, 2000)], &[]);
    assert_eq!((t.due, t.credit), (Money::ZERO, Some(Money(1500))));
}
