//! What a claim's remittances say of each of its visits: the lines each payment matched to a
//! visit's session, and what the plan did not tie to one visit (claim-level amounts,
//! unmatched lines), kept apart unless the claim has a single visit.

use crate::codes::carc::{self, Action};
use crate::model::remittance::{RemittedAdjustment, RemittedClaim};
use crate::model::{ClaimRecord, Money};
use crate::posting;
use chrono::NaiveDate;

/// One visit's part of a claim: its date, codes and charges on the claim.
pub(super) struct ClaimVisit {
    /// Session id.
    pub(super) session: String,
    /// Date of service.
    pub(super) date: NaiveDate,
    /// Procedure codes, each once, e.g. "97124, 97140".
    pub(super) codes: String,
    /// Charges of its lines on the claim.
    pub(super) billed: Money,
}

/// The visits of a ledger claim, each once, by date of service.
pub(super) fn visits_of(claim: &ClaimRecord) -> Vec<ClaimVisit> {
    let mut visits: Vec<(ClaimVisit, Vec<&str>)> = Vec::new();
    for line in &claim.lines {
        let at = match visits.iter().position(|(v, _)| v.session == line.session) {
            Some(at) => at,
            None => {
                let visit = ClaimVisit {
                    session: line.session.clone(),
                    date: line.date,
                    codes: String::new(),
                    billed: Money::ZERO,
                };
                visits.push((visit, Vec::new()));
                visits.len() - 1
            }
        };
        let (visit, codes) = &mut visits[at];
        visit.billed = Money(visit.billed.cents() + line.charge.cents());
        // A code split over several lines is one service to the patient.
        if !codes.contains(&line.code.as_str()) {
            codes.push(&line.code);
        }
    }
    let mut visits: Vec<ClaimVisit> = visits
        .into_iter()
        .map(|(mut v, codes)| {
            v.codes = codes.join(", ");
            v
        })
        .collect();
    visits.sort_by_key(|v| v.date);
    visits
}

/// What a plan's answers gave one visit, or the part of a claim no line ties to a visit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct PlanFigures {
    /// Paid by the plan, in cents.
    pub(super) paid: i64,
    /// Written off under contract, in cents.
    pub(super) written_off: i64,
    /// The patient's share, in cents.
    pub(super) patient_share: i64,
}

impl PlanFigures {
    /// Adds `other` to these figures.
    fn add(&mut self, other: PlanFigures) {
        self.paid += other.paid;
        self.written_off += other.written_off;
        self.patient_share += other.patient_share;
    }

    /// Nothing at all.
    pub(super) fn is_zero(&self) -> bool {
        *self == PlanFigures::default()
    }
}

/// A contractual write-off, as `posting::answers` counts it: a CO adjustment whose reason
/// the table says comes off the account. Counting it the same way keeps the statement's
/// adjustments equal to the ledger's.
fn is_write_off(a: &RemittedAdjustment) -> bool {
    a.group.eq_ignore_ascii_case("CO")
        && carc::lookup(&a.reason).is_some_and(|r| r.action == Action::WriteOff)
}

/// The patient's share in an adjustment (group PR).
fn patient_part(a: &RemittedAdjustment) -> i64 {
    if a.group.eq_ignore_ascii_case("PR") {
        a.amount.cents()
    } else {
        0
    }
}

/// Splits what the remittances say of one claim among its visits, by the lines each
/// remittance matched to a visit's session. What no line ties to one visit (claim-level
/// adjustments, the claim's patient share beyond its lines' PR adjustments, unmatched lines)
/// is returned apart; for a claim of one visit it is that visit's. Amounts of a reversal
/// are negative, so every payment nets out.
pub(super) fn split_by_visit(
    visits: &[ClaimVisit],
    entries: &[&RemittedClaim],
) -> (Vec<PlanFigures>, PlanFigures) {
    let mut per_visit = vec![PlanFigures::default(); visits.len()];
    let mut remainder = PlanFigures::default();
    for claim in entries {
        let mut lines_paid = 0;
        let mut lines_share = 0;
        for line in &claim.lines {
            let figures = PlanFigures {
                paid: line.paid.cents(),
                written_off: written_off(&line.adjustments),
                patient_share: line.adjustments.iter().map(patient_part).sum(),
            };
            lines_paid += figures.paid;
            lines_share += figures.patient_share;
            let visit = line
                .session
                .as_deref()
                .and_then(|s| visits.iter().position(|v| v.session == s));
            match visit {
                Some(at) => per_visit[at].add(figures),
                None => remainder.add(figures),
            }
        }
        remainder.add(PlanFigures {
            paid: claim.paid.cents() - lines_paid,
            written_off: written_off(&claim.adjustments),
            patient_share: claim.patient_responsibility.cents() - lines_share,
        });
    }
    if let [only] = per_visit.as_mut_slice() {
        only.add(remainder);
        remainder = PlanFigures::default();
    }
    (per_visit, remainder)
}

/// The contractual write-offs among `adjustments`.
fn written_off(adjustments: &[RemittedAdjustment]) -> i64 {
    adjustments
        .iter()
        .filter(|a| is_write_off(a))
        .map(|a| a.amount.cents())
        .sum()
}

/// The dates of the visits a claim's denials concern: those of the lines that carry one,
/// or every date when a denial is the claim's own or on a line tied to no visit. A
/// reversal's adjustments are not denials.
pub(super) fn denied_dates(visits: &[ClaimVisit], entries: &[&RemittedClaim]) -> Vec<NaiveDate> {
    let all = || {
        let mut dates: Vec<NaiveDate> = visits.iter().map(|v| v.date).collect();
        dates.dedup();
        dates
    };
    let mut dates = Vec::new();
    for claim in entries {
        if claim
            .adjustments
            .iter()
            .any(|a| posting::is_denial(a, claim.paid))
        {
            return all();
        }
        for line in &claim.lines {
            if !line
                .adjustments
                .iter()
                .any(|a| posting::is_denial(a, line.paid))
            {
                continue;
            }
            let visit = line
                .session
                .as_deref()
                .and_then(|s| visits.iter().find(|v| v.session == s));
            match visit {
                Some(v) => dates.push(v.date),
                None => return all(),
            }
        }
    }
    if dates.is_empty() {
        return all();
    }
    dates.sort();
    dates.dedup();
    dates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::remittance::RemittedLine;

    fn visit(session: &str, day: u32) -> ClaimVisit {
        ClaimVisit {
            session: session.into(),
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap_or_default(),
            codes: "97124".into(),
            billed: Money(7600),
        }
    }

    fn adj(group: &str, reason: &str, cents: i64) -> RemittedAdjustment {
        RemittedAdjustment {
            group: group.into(),
            reason: reason.into(),
            amount: Money(cents),
        }
    }

    fn line(
        session: Option<&str>,
        paid: i64,
        adjustments: Vec<RemittedAdjustment>,
    ) -> RemittedLine {
        RemittedLine {
            session: session.map(String::from),
            service_index: session.map(|_| 0),
            control_number: None,
            code: "97124".into(),
            modifiers: vec![],
            date: None,
            billed: Money(7600),
            paid: Money(paid),
            allowed: None,
            adjustments,
            remarks: vec![],
        }
    }

    fn claim(status: &str, paid: i64, patient: i64, lines: Vec<RemittedLine>) -> RemittedClaim {
        RemittedClaim {
            claim_id: "CW1".into(),
            matched: true,
            payer_claim_number: "EV1".into(),
            status: status.into(),
            billed: Money(15200),
            paid: Money(paid),
            patient_responsibility: Money(patient),
            adjustments: vec![],
            remarks: vec![],
            lines,
        }
    }

    fn figures(paid: i64, written_off: i64, patient_share: i64) -> PlanFigures {
        PlanFigures {
            paid,
            written_off,
            patient_share,
        }
    }

    #[test]
    fn matched_lines_give_each_visit_its_own_figures() {
        let visits = [visit("a", 3), visit("b", 10)];
        let remitted = claim(
            "1",
            9200,
            3000,
            vec![
                line(
                    Some("a"),
                    5600,
                    vec![adj("CO", "45", 1000), adj("PR", "3", 1000)],
                ),
                line(
                    Some("b"),
                    3600,
                    vec![adj("CO", "45", 2000), adj("PR", "2", 2000)],
                ),
            ],
        );
        let (per_visit, remainder) = split_by_visit(&visits, &[&remitted]);
        assert_eq!(
            per_visit,
            [figures(5600, 1000, 1000), figures(3600, 2000, 2000)]
        );
        assert!(remainder.is_zero());
    }

    #[test]
    fn what_no_line_ties_to_a_visit_stays_apart_unless_the_claim_has_one_visit() {
        let visits = [visit("a", 3), visit("b", 10)];
        let mut remitted = claim(
            "1",
            12000,
            3200,
            vec![line(None, 6000, vec![]), line(None, 6000, vec![])],
        );
        remitted.adjustments = vec![adj("CO", "45", 0), adj("PR", "1", 3200)];
        let (per_visit, remainder) = split_by_visit(&visits, &[&remitted]);
        assert!(per_visit.iter().all(PlanFigures::is_zero));
        assert_eq!(remainder, figures(12000, 0, 3200));

        let one = [visit("a", 3)];
        let (per_visit, remainder) = split_by_visit(&one, &[&remitted]);
        assert_eq!(per_visit, [figures(12000, 0, 3200)]);
        assert!(remainder.is_zero());
    }

    #[test]
    fn a_reversal_nets_out_and_the_new_payment_counts() {
        let visits = [visit("a", 3)];
        let first = claim(
            "1",
            5600,
            1000,
            vec![line(
                Some("a"),
                5600,
                vec![adj("CO", "45", 1000), adj("PR", "3", 1000)],
            )],
        );
        let back = claim(
            "22",
            -5600,
            -1000,
            vec![line(
                Some("a"),
                -5600,
                vec![adj("CO", "45", -1000), adj("PR", "3", -1000)],
            )],
        );
        let again = claim(
            "1",
            6100,
            500,
            vec![line(
                Some("a"),
                6100,
                vec![adj("CO", "45", 1000), adj("PR", "3", 500)],
            )],
        );
        let (per_visit, _) = split_by_visit(&visits, &[&first, &back, &again]);
        assert_eq!(per_visit, [figures(6100, 1000, 500)]);
    }

    #[test]
    fn a_denial_names_the_visits_of_its_lines_or_else_the_whole_claim() {
        let visits = [visit("a", 3), visit("b", 10)];
        let on_b = claim(
            "1",
            5600,
            0,
            vec![
                line(Some("a"), 5600, vec![adj("CO", "45", 2000)]),
                line(Some("b"), 0, vec![adj("CO", "50", 7600)]),
            ],
        );
        assert_eq!(denied_dates(&visits, &[&on_b]), [visits[1].date]);
        let unmatched = claim("1", 0, 0, vec![line(None, 0, vec![adj("CO", "50", 7600)])]);
        assert_eq!(
            denied_dates(&visits, &[&unmatched]),
            [visits[0].date, visits[1].date]
        );
    }
}
