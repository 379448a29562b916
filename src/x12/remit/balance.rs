//! The balancing rules of the 835 guide: the payment against its claims and provider
//! adjustments, each claim and line against its adjustments, the patient's share against PR.

use super::{Note, NoteKind, Remittance};
use crate::model::Money;

/// Notes every sum of `remit` that breaks the guide's balancing rules.
pub(super) fn balance(remit: &Remittance, notes: &mut Vec<Note>) {
    let mut unbalanced = |message: String| {
        notes.push(Note {
            kind: NoteKind::Unbalanced,
            message,
        });
    };
    let place = format!("transaction {}", remit.transaction);
    let paid = sum(remit.claims.iter().map(|c| c.paid));
    let provider = sum(remit.provider_adjustments.iter().map(|p| p.amount));
    let expected = minus(paid, provider);
    if remit.amount != expected {
        unbalanced(format!(
            "{place}: BPR02 {} is not ΣCLP04 {paid} − ΣPLB {provider} = {expected}",
            remit.amount
        ));
    }
    for claim in &remit.claims {
        let place = format!("{place}, claim {}", claim.claim_id);
        let on_claim = sum(claim.adjustments.iter().map(|a| a.amount));
        let on_lines = sum(claim
            .lines
            .iter()
            .flat_map(|l| l.adjustments.iter().map(|a| a.amount)));
        let difference = minus(claim.billed, claim.paid);
        let adjusted = sum([on_claim, on_lines].into_iter());
        if difference != adjusted {
            unbalanced(format!(
                "{place}: CLP03 {} − CLP04 {} = {difference}, but its adjustments add up to {adjusted} (claim {on_claim}, lines {on_lines})",
                claim.billed, claim.paid
            ));
        }
        let patient = sum(claim
            .adjustments
            .iter()
            .chain(claim.lines.iter().flat_map(|l| l.adjustments.iter()))
            .filter(|a| a.group == "PR")
            .map(|a| a.amount));
        if claim.patient_responsibility != patient {
            unbalanced(format!(
                "{place}: CLP05 {} is not the sum of its PR adjustments, {patient}",
                claim.patient_responsibility
            ));
        }
        for (n, line) in claim.lines.iter().enumerate() {
            let difference = minus(line.billed, line.paid);
            let adjusted = sum(line.adjustments.iter().map(|a| a.amount));
            if difference != adjusted {
                unbalanced(format!(
                    "{place}, line {} ({}): SVC02 {} − SVC03 {} = {difference}, but its adjustments add up to {adjusted}",
                    n + 1,
                    line.code,
                    line.billed,
                    line.paid
                ));
            }
        }
    }
}

/// The sum of `amounts`, held at the bounds of `i64` rather than overflowing.
pub(super) fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    Money(amounts.fold(0_i64, |total, m| total.saturating_add(m.cents())))
}

/// `a − b`, held at the bounds of `i64` rather than overflowing.
fn minus(a: Money, b: Money) -> Money {
    Money(a.cents().saturating_sub(b.cents()))
}
