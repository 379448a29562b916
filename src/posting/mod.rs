//! Posting: what the remittances say of each claim of the ledger — paid, partially paid,
//! denied, reversed or pending — with the amounts paid, the patient's share, and the
//! adjustments the practice can act on. Pure: records in, answers out.

pub mod receivables;
pub mod worklist;

use crate::codes::carc::{self, Action};
use crate::load::PracticeData;
use crate::model::Money;
use crate::model::remittance::{RemittanceRecord, RemittedAdjustment, RemittedClaim};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a claim stands after the payer's answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Processed and paid (possibly all to the patient's share).
    Paid,
    /// Processed: something paid, something denied.
    PartiallyPaid,
    /// Nothing paid and an adjustment the practice can act on.
    Denied,
    /// The payer took back its payment (CLP02 22) and has not paid again.
    Reversed,
    /// The payer has the claim but has not decided.
    Pending,
}

impl Answer {
    /// The word shown in lists.
    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Paid => "paid",
            Answer::PartiallyPaid => "partially paid",
            Answer::Denied => "denied",
            Answer::Reversed => "reversed",
            Answer::Pending => "pending",
        }
    }
}

/// Everything the remittances say of one claim, summed over every payment that names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimAnswer {
    /// Where the claim stands.
    pub answer: Answer,
    /// Paid in all (reversals subtract).
    pub paid: Money,
    /// The patient's share in all.
    pub patient_responsibility: Money,
    /// Written off under contract (CO-45 and the like).
    pub written_off: Money,
    /// The adjustments the practice can act on (appeal, correct, bill another payer).
    pub denials: Vec<RemittedAdjustment>,
    /// The payer's claim number, from its latest answer.
    pub payer_claim_number: String,
    /// The date of the latest payment that answered it.
    pub answered: Option<NaiveDate>,
}

/// Whether an adjustment is a denial: one the practice can act on (the CARC table decides).
pub fn is_denial(a: &RemittedAdjustment, paid: Money) -> bool {
    carc::is_denial(&a.reason, a.amount.cents(), paid.cents())
}

/// The denials of a remitted claim: its own adjustments judged against what the claim was
/// paid, its lines' against what each line was paid.
pub fn denials_of(c: &RemittedClaim) -> Vec<&RemittedAdjustment> {
    let own = c.adjustments.iter().filter(|a| is_denial(a, c.paid));
    let lines = c
        .lines
        .iter()
        .flat_map(|l| l.adjustments.iter().filter(|a| is_denial(a, l.paid)));
    own.chain(lines).collect()
}

/// Every adjustment of a remitted claim, its own and its lines'.
pub fn all_adjustments(c: &RemittedClaim) -> impl Iterator<Item = &RemittedAdjustment> {
    c.adjustments
        .iter()
        .chain(c.lines.iter().flat_map(|l| l.adjustments.iter()))
}

/// The answer of every claim any remittance names, by claim id (upper case, as in CLP01).
pub fn answers(data: &PracticeData) -> BTreeMap<String, ClaimAnswer> {
    let mut remittances: Vec<&RemittanceRecord> =
        data.remittances.values().map(|r| &r.data).collect();
    remittances.sort_by(|a, b| (a.date, &a.trace).cmp(&(b.date, &b.trace)));
    let mut by_claim: BTreeMap<String, Vec<(&RemittanceRecord, &RemittedClaim)>> = BTreeMap::new();
    for r in remittances {
        for c in &r.claims {
            by_claim
                .entry(c.claim_id.to_uppercase())
                .or_default()
                .push((r, c));
        }
    }
    by_claim
        .into_iter()
        .map(|(id, entries)| (id, answer_of(&entries)))
        .collect()
}

/// Folds a claim's answers in date order: amounts add up (a reversal's are negative), the
/// latest status decides.
fn answer_of(entries: &[(&RemittanceRecord, &RemittedClaim)]) -> ClaimAnswer {
    let mut paid = 0i64;
    let mut patient = 0i64;
    let mut written_off = 0i64;
    let mut denials: Vec<RemittedAdjustment> = Vec::new();
    for (_, c) in entries {
        paid += c.paid.cents();
        patient += c.patient_responsibility.cents();
        let reversal = c.status == "22";
        for a in all_adjustments(c) {
            let is_write_off = a.group.eq_ignore_ascii_case("CO")
                && carc::lookup(&a.reason).is_some_and(|r| r.action == Action::WriteOff);
            if is_write_off {
                written_off += a.amount.cents();
            }
            if reversal {
                // A reversal takes back what the earlier answer said, denials included.
                denials.retain(|d| !(d.group == a.group && d.reason == a.reason));
            }
        }
        if !reversal {
            denials.extend(denials_of(c).into_iter().cloned());
        }
    }
    let (last_remit, last) = entries[entries.len() - 1];
    let answer = match last.status.as_str() {
        "22" => Answer::Reversed,
        "4" => Answer::Denied,
        "1" | "2" | "3" | "19" | "20" | "21" => {
            if denials.is_empty() {
                Answer::Paid
            } else if paid > 0 {
                Answer::PartiallyPaid
            } else {
                Answer::Denied
            }
        }
        _ => Answer::Pending,
    };
    ClaimAnswer {
        answer,
        paid: Money(paid),
        patient_responsibility: Money(patient),
        written_off: Money(written_off),
        denials,
        payer_claim_number: last.payer_claim_number.clone(),
        answered: last_remit.date,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adj(group: &str, reason: &str, cents: i64) -> RemittedAdjustment {
        RemittedAdjustment {
            group: group.into(),
            reason: reason.into(),
            amount: Money(cents),
        }
    }

    #[test]
    fn write_offs_and_the_patients_share_are_not_denials() {
        assert!(!is_denial(&adj("CO", "45", 1000), Money(5000)));
        assert!(!is_denial(&adj("PR", "1", 1000), Money(0)));
        assert!(!is_denial(&adj("PR", "2", 1000), Money(0)));
        assert!(!is_denial(&adj("PR", "3", 2500), Money(5000)));
        assert!(is_denial(&adj("CO", "50", 15000), Money(0)));
        assert!(is_denial(&adj("CO", "197", 15000), Money(0)));
        assert!(is_denial(&adj("CO", "29", 1000), Money(0)));
    }

    #[test]
    fn an_unknown_reason_is_a_denial_only_when_nothing_was_paid() {
        assert!(is_denial(&adj("CO", "ZZ9", 1000), Money(0)));
        assert!(!is_denial(&adj("CO", "ZZ9", 1000), Money(500)));
    }

    fn claim(status: &str, paid: i64, adjustments: Vec<RemittedAdjustment>) -> RemittedClaim {
        RemittedClaim {
            claim_id: "CW1".into(),
            matched: true,
            payer_claim_number: format!("P{status}"),
            status: status.into(),
            billed: Money(15000),
            paid: Money(paid),
            patient_responsibility: Money(0),
            adjustments,
            remarks: vec![],
            lines: vec![],
        }
    }

    fn remit(date: u32) -> RemittanceRecord {
        RemittanceRecord {
            payer: None,
            payer_name: "P".into(),
            trace: format!("T{date}"),
            date: NaiveDate::from_ymd_opt(2026, 12, date),
            method: "ACH".into(),
            amount: Money(0),
            source: crate::model::remittance::SourceFile {
                name: "f".into(),
                sha256: String::new(),
            },
            claims: vec![],
            provider_adjustments: vec![],
        }
    }

    #[test]
    fn a_reversal_then_a_new_payment_ends_paid_with_the_amounts_netted() {
        let (r1, r2, r3) = (remit(1), remit(8), remit(9));
        let first = claim("1", 9000, vec![adj("CO", "45", 6000)]);
        let back = claim("22", -9000, vec![adj("CO", "45", -6000)]);
        let again = claim("1", 9500, vec![adj("CO", "45", 5500)]);
        let a = answer_of(&[(&r1, &first), (&r2, &back)]);
        assert_eq!(a.answer, Answer::Reversed);
        assert_eq!(a.paid, Money(0));
        let a = answer_of(&[(&r1, &first), (&r2, &back), (&r3, &again)]);
        assert_eq!(a.answer, Answer::Paid);
        assert_eq!(a.paid, Money(9500));
        assert_eq!(a.written_off, Money(5500));
    }

    #[test]
    fn denied_and_partly_paid_claims() {
        let r = remit(1);
        let denied = claim("1", 0, vec![adj("CO", "197", 15000)]);
        assert_eq!(answer_of(&[(&r, &denied)]).answer, Answer::Denied);
        let partly = claim("1", 7600, vec![adj("CO", "50", 7400)]);
        let a = answer_of(&[(&r, &partly)]);
        assert_eq!(a.answer, Answer::PartiallyPaid);
        assert_eq!(a.denials.len(), 1);
        let status4 = claim("4", 0, vec![adj("CO", "16", 15000)]);
        assert_eq!(answer_of(&[(&r, &status4)]).answer, Answer::Denied);
    }
}
