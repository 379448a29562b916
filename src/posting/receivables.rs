//! Accounts receivable: what payers still owe on sent claims, by age from the date sent, and
//! what each patient owes after the remittances' patient shares and the payments the sessions
//! record. Pure.

use crate::load::PracticeData;
use crate::model::{Frequency, LedgerStatus, Money};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// Age buckets, in days from the date sent: 0-30, 31-60, 61-90, 91-120, over 120.
pub const BUCKETS: [&str; 5] = ["0-30", "31-60", "61-90", "91-120", "over 120"];

/// What one payer owes, by age.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PayerBalance {
    /// Payer id.
    pub payer: String,
    /// Owed in each bucket of `BUCKETS`.
    pub buckets: [Money; 5],
    /// Owed in all.
    pub total: Money,
}

/// What one patient owes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PatientBalance {
    /// Patient id.
    pub patient: String,
    /// The patient's share the payers assigned (deductible, coinsurance, copay).
    pub responsibility: Money,
    /// Paid at the visits of those claims.
    pub paid: Money,
    /// Responsibility less paid.
    pub balance: Money,
}

/// Receivables as of a date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Receivables {
    /// By payer, in id order.
    pub payers: Vec<PayerBalance>,
    /// By patient, in id order, those with something owed or paid.
    pub patients: Vec<PatientBalance>,
}

/// The bucket of a claim sent `days` ago.
pub fn bucket(days: i64) -> usize {
    match days {
        ..=30 => 0,
        31..=60 => 1,
        61..=90 => 2,
        91..=120 => 3,
        _ => 4,
    }
}

/// What payers and patients owe as of `as_of`.
pub fn receivables(data: &PracticeData, as_of: NaiveDate) -> Receivables {
    let answers = super::answers(data);
    let mut payers: BTreeMap<String, PayerBalance> = BTreeMap::new();
    let mut patients: BTreeMap<String, PatientBalance> = BTreeMap::new();
    for r in data.claims.values() {
        let c = &r.data;
        let Some(sent) = c.sent.filter(|_| c.status == LedgerStatus::Sent) else {
            continue;
        };
        let superseded = data.claims.values().any(|o| {
            o.data.status == LedgerStatus::Sent
                && o.data.original.as_deref() == Some(c.claim_id.as_str())
        });
        if superseded || c.frequency == Frequency::Void {
            continue;
        }
        let answer = answers.get(&c.claim_id.to_uppercase());
        let owed = match answer {
            None => c.total.cents(),
            // Denied amounts stay owed until they are appealed, corrected or written off.
            Some(a) => a.denials.iter().map(|d| d.amount.cents()).sum(),
        };
        if owed > 0 {
            let p = payers
                .entry(c.payer.clone())
                .or_insert_with(|| PayerBalance {
                    payer: c.payer.clone(),
                    ..PayerBalance::default()
                });
            let b = bucket((as_of - sent).num_days());
            p.buckets[b] = Money(p.buckets[b].cents() + owed);
            p.total = Money(p.total.cents() + owed);
        }
        if let Some(a) = answer {
            let paid_at_visits: i64 = sessions_of(c)
                .filter_map(|id| data.session(id))
                .filter_map(|s| s.data.paid.as_ref().map(|p| p.amount()))
                .map(Money::cents)
                .sum();
            let p = patients
                .entry(c.patient.clone())
                .or_insert_with(|| PatientBalance {
                    patient: c.patient.clone(),
                    ..PatientBalance::default()
                });
            p.responsibility = Money(p.responsibility.cents() + a.patient_responsibility.cents());
            p.paid = Money(p.paid.cents() + paid_at_visits);
            p.balance = Money(p.responsibility.cents() - p.paid.cents());
        }
    }
    Receivables {
        payers: payers.into_values().collect(),
        patients: patients.into_values().collect(),
    }
}

/// The sessions of a ledger claim, each once.
fn sessions_of(c: &crate::model::ClaimRecord) -> impl Iterator<Item = &String> {
    let mut seen: Vec<&String> = Vec::new();
    for l in &c.lines {
        if !seen.contains(&&l.session) {
            seen.push(&l.session);
        }
    }
    seen.into_iter()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_split_at_30_60_90_and_120_days() {
        assert_eq!(bucket(0), 0);
        assert_eq!(bucket(30), 0);
        assert_eq!(bucket(31), 1);
        assert_eq!(bucket(60), 1);
        assert_eq!(bucket(61), 2);
        assert_eq!(bucket(90), 2);
        assert_eq!(bucket(91), 3);
        assert_eq!(bucket(120), 3);
        assert_eq!(bucket(121), 4);
    }
}
