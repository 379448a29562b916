//! The patient statement: for each visit a plan answered, what was billed, what the plan paid
//! and wrote off, the patient's share, what they paid, and the balance due; from the claims
//! ledger, the remittances and the sessions' payments, never from estimates.

use super::context::{self, PatientCtx, PracticeCtx, money_or_empty};
use super::screen::Topic;
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, patient_header};
use crate::load::{PracticeData, Record};
use crate::model::remittance::RemittedClaim;
use crate::model::{ClaimRecord, Frequency, LedgerStatus, Money, Patient, Session};
use crate::posting::{self, Answer, ClaimAnswer};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

mod remitted;

use remitted::{ClaimVisit, PlanFigures, denied_dates, split_by_visit, visits_of};

/// The patient statement kind.
pub const KIND: Kind = Kind {
    name: "statement",
    command: "statement",
    subject: SubjectKind::Patient,
    monthly: false,
    drafts: true,
    template: Some(super::Template {
        file: "statement.md",
        builtin: include_str!("../../../templates/statement.md"),
    }),
    // Every amount comes from the ledger, the remittances and the sessions' `paid`, which
    // what a payer would deny of a visit (billing) or what its note lacks (note) cannot
    // change: those never keep a patient from being told what they owe. A file that cannot
    // be read or names nothing may hide a visit, a payment or an answer, so it refuses.
    refused_by: &[Topic::Record, Topic::Document],
    plan: plan_balances,
    prepare: prepare_subject,
};

/// Every patient who owes something as of `--as-of`, whenever the visits were: a balance
/// from an earlier month is still owed, and the month's batch is when statements go out.
fn plan_balances<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<Subject<'a>> {
    let sources = Sources::new(data);
    data.patients
        .values()
        .filter(|p| {
            let account = account(data, &sources, p, scope.as_of);
            sums_of(&account.visits).balance > Money::ZERO
        })
        .map(Subject::Patient)
        .collect()
}

fn prepare_subject(data: &PracticeData, subject: Subject<'_>, scope: &Scope<'_>) -> Vec<Prepared> {
    match subject {
        Subject::Patient(p) => vec![prepare(data, p, scope.as_of)],
        _ => Vec::new(),
    }
}

/// Context of `statement.md`.
#[derive(Debug, Clone, Serialize)]
pub struct StatementContext {
    /// The practice, which sends the statement.
    pub practice: Option<PracticeCtx>,
    /// The patient, to whom it is sent.
    pub patient: PatientCtx,
    /// The visits each plan answered, a section per plan, in the order of their first visit.
    pub plans: Vec<PlanSection>,
    /// Sums of every answered visit and the balance due.
    pub totals: StatementTotals,
    /// What plans denied on the answered claims, outside the patient's balance.
    pub denials: Vec<DenialNote>,
    /// Visits billed and not answered yet, and payments for visits not billed to a plan.
    pub awaiting: Vec<AwaitingRow>,
}

/// The visits one plan answered, with their sums.
#[derive(Debug, Clone, Serialize)]
pub struct PlanSection {
    /// The plan's name.
    pub payer: String,
    /// Its visits, claim by claim, by date of service.
    pub visits: Vec<VisitRow>,
    /// Their sums.
    pub totals: Sums,
}

/// One visit a plan answered (or the part of a claim its plan did not tie to one visit).
#[derive(Debug, Clone, Serialize)]
pub struct VisitRow {
    /// Date of service; for a claim's remainder, the first and last dates of its visits.
    pub date: String,
    /// Procedure codes billed, e.g. "97124, 97140"; for a claim's remainder, what it is.
    pub services: String,
    /// The plan's name.
    pub payer: String,
    /// Charges on the sent claim; "" for a claim's remainder, billed on its visits' rows.
    #[serde(serialize_with = "money_or_empty")]
    pub billed: Option<Money>,
    /// What the plan paid.
    pub insurance_paid: Money,
    /// What the plan wrote off under its contract.
    pub insurance_adjusted: Money,
    /// The patient's share the plan assigned (deductible, coinsurance, copay).
    pub patient_share: Money,
    /// The practice's fee for the units past the plan's maximum minutes a visit, which the
    /// claim did not bill: the patient's in full.
    pub beyond_plan: Money,
    /// What the patient paid at the visit.
    pub patient_paid: Money,
    /// Share and time past the plan's minutes, less paid.
    pub balance: Money,
}

/// Sums of answered visits.
#[derive(Debug, Clone, Serialize)]
pub struct Sums {
    /// Charges.
    pub billed: Money,
    /// Paid by plans.
    pub insurance_paid: Money,
    /// Written off by plans.
    pub insurance_adjusted: Money,
    /// The patient's shares.
    pub patient_share: Money,
    /// Time past the plans' maximum minutes, at the practice's fee.
    pub beyond_plan: Money,
    /// Paid by the patient at those visits.
    pub patient_paid: Money,
    /// Shares less payments; negative when the patient paid more than their share.
    pub balance: Money,
}

/// Sums of every answered visit, and what they leave due.
#[derive(Debug, Clone, Serialize)]
pub struct StatementTotals {
    /// The sums, as in a plan's section.
    #[serde(flatten)]
    pub sums: Sums,
    /// `due` (the balance is positive), `credit` (negative) or `settled` (zero).
    pub standing: &'static str,
    /// Some visit bills the patient for time past its plan's maximum minutes, so the tables
    /// show that column.
    pub shows_beyond_plan: bool,
    /// The balance when positive, else 0.00.
    pub due: Money,
    /// What the patient paid beyond their shares, when they did.
    pub credit: Option<Money>,
    /// Paid at the visits not answered, which the balance leaves out; None when nothing.
    pub awaiting_paid: Option<Money>,
}

/// What a plan denied of one answered claim.
#[derive(Debug, Clone, Serialize)]
pub struct DenialNote {
    /// The plan's name.
    pub payer: String,
    /// The dates of the visits whose lines it denied; every date of the claim when the
    /// plan denied the claim as a whole or lines it did not tie to a visit.
    pub dates: Vec<NaiveDate>,
    /// The amount denied.
    pub amount: Money,
}

/// A visit without a plan's answer that the statement lists for its charge or payment.
#[derive(Debug, Clone, Serialize)]
pub struct AwaitingRow {
    /// Date of service.
    pub date: NaiveDate,
    /// Procedure codes.
    pub services: String,
    /// Charges on the sent claim; "" for a visit no claim of the ledger billed.
    #[serde(serialize_with = "money_or_empty")]
    pub billed: Option<Money>,
    /// Where it stands, e.g. "sent to Northstar PPO on 2026-12-01, awaiting its answer".
    pub status: String,
    /// What the patient paid at the visit.
    pub patient_paid: Money,
}

/// Prepares the statement of `rec` as of `as_of`.
pub fn prepare(data: &PracticeData, rec: &Record<Patient>, as_of: NaiveDate) -> Prepared {
    let sources = Sources::new(data);
    let account = account(data, &sources, rec, as_of);
    let ctx = StatementContext {
        practice: data.practice().map(PracticeCtx::from),
        patient: PatientCtx::new(rec),
        totals: totals_of(&account.visits, &account.awaiting),
        plans: by_plan(account.visits),
        denials: account.denials,
        awaiting: account.awaiting,
    };
    let title = format!("Statement, {} - {as_of}", rec.data.full_name());
    let mut inputs = vec!["practice.yaml".to_string(), rec.file.clone()];
    inputs.extend(account.files);
    inputs.extend(unreadable_sources(data, &rec.id));
    inputs.sort();
    inputs.dedup();
    // Every session of the patient may carry a payment, and the payers' names are printed.
    let depends = data
        .sessions_of(&rec.id)
        .map(|s| s.file.clone())
        .chain(data.payers.values().map(|p| p.file.clone()));
    Prepared::template(
        Parts {
            kind: &KIND,
            name: format!("{}-{as_of}", rec.id),
            title,
            header: patient_header(&rec.data),
            source: rec.file.clone(),
            inputs,
        },
        as_of,
        &ctx,
    )
    .depending_on(depends)
}

/// Files that did not load and might hold this patient's visits, claims or answers: ledger
/// and remittance files name no patient that can be trusted, so each counts for everyone.
/// Their errors refuse the statement rather than let it leave something out.
fn unreadable_sources(data: &PracticeData, patient: &str) -> Vec<String> {
    data.unreadable
        .iter()
        .filter(|u| match u.folder {
            "claims" | "remittances" => true,
            "sessions" => u.patient.as_deref().is_none_or(|p| p == patient),
            _ => false,
        })
        .map(|u| u.file.clone())
        .collect()
}

/// What the ledger and the remittances say, read once for every statement of a run.
struct Sources<'a> {
    /// Each claim's answer, by upper-case claim id.
    answers: BTreeMap<String, ClaimAnswer>,
    /// Each claim's remitted entries with their files, by upper-case claim id.
    remitted: BTreeMap<String, Vec<(&'a str, &'a RemittedClaim)>>,
}

impl<'a> Sources<'a> {
    /// Reads the answers and indexes the remitted claims by claim id.
    fn new(data: &'a PracticeData) -> Sources<'a> {
        let mut remitted: BTreeMap<String, Vec<(&str, &RemittedClaim)>> = BTreeMap::new();
        for r in data.remittances.values() {
            for c in &r.data.claims {
                remitted
                    .entry(c.claim_id.to_uppercase())
                    .or_default()
                    .push((r.file.as_str(), c));
            }
        }
        Sources {
            answers: posting::answers(data),
            remitted,
        }
    }
}

/// A patient's statement figures and the record files they come from.
struct Account {
    visits: Vec<VisitRow>,
    denials: Vec<DenialNote>,
    awaiting: Vec<AwaitingRow>,
    files: Vec<String>,
}

/// The claims of `patient` that stand with their payers: sent, not a void, and not replaced
/// or voided by a later sent claim (the same claims `ar` counts).
fn standing_claims<'a>(data: &'a PracticeData, patient: &str) -> Vec<&'a Record<ClaimRecord>> {
    let superseded = |id: &str| {
        data.claims
            .values()
            .any(|o| o.data.status == LedgerStatus::Sent && o.data.original.as_deref() == Some(id))
    };
    data.claims
        .values()
        .filter(|r| r.data.patient == patient)
        .filter(|r| r.data.status == LedgerStatus::Sent && r.data.sent.is_some())
        .filter(|r| r.data.frequency != Frequency::Void && !superseded(&r.data.claim_id))
        .collect()
}

/// The statement's figures for `rec`: a row per visit of each standing claim a plan
/// answered (claims in date order), awaiting rows for the rest, and what the patient paid
/// at each visit, counted once.
fn account(
    data: &PracticeData,
    sources: &Sources<'_>,
    rec: &Record<Patient>,
    as_of: NaiveDate,
) -> Account {
    let mut rows: Vec<(String, VisitRow)> = Vec::new();
    let mut awaiting: Vec<(String, AwaitingRow)> = Vec::new();
    let mut denials = Vec::new();
    let mut files: Vec<String> = data
        .claims
        .values()
        .filter(|r| r.data.patient == rec.id)
        .map(|r| r.file.clone())
        .collect();
    let mut claims: Vec<(&ClaimRecord, Vec<ClaimVisit>)> = standing_claims(data, &rec.id)
        .into_iter()
        .map(|r| (&r.data, visits_of(&r.data)))
        .collect();
    claims.sort_by(|a, b| {
        let first = |visits: &[ClaimVisit]| visits.first().map(|v| v.date);
        (first(&a.1), &a.0.claim_id).cmp(&(first(&b.1), &b.0.claim_id))
    });
    for (c, visits) in claims {
        let key = c.claim_id.to_uppercase();
        let payer = payer_name(data, &c.payer);
        let entries = sources.remitted.get(&key).map(Vec::as_slice).unwrap_or(&[]);
        files.extend(entries.iter().map(|(file, _)| file.to_string()));
        let answer = sources.answers.get(&key);
        let Some(answer) = answer.filter(|a| settles(a.answer)) else {
            let status = awaiting_status(&payer, c, answer.map(|a| a.answer));
            awaiting.extend(visits.iter().map(|v| {
                let row = AwaitingRow {
                    date: v.date,
                    services: v.codes.clone(),
                    billed: Some(v.billed),
                    status: status.clone(),
                    patient_paid: Money::ZERO,
                };
                (v.session.clone(), row)
            }));
            continue;
        };
        let remitted: Vec<&RemittedClaim> = entries.iter().map(|(_, e)| *e).collect();
        rows.extend(answered_rows(&visits, &remitted, &payer));
        let denied: i64 = answer.denials.iter().map(|d| d.amount.cents()).sum();
        if denied > 0 {
            denials.push(DenialNote {
                payer: payer.clone(),
                dates: denied_dates(&visits, &remitted),
                amount: Money(denied),
            });
        }
    }
    let unbilled = paid_unbilled(data, rec, as_of, &rows, &awaiting);
    awaiting.extend(unbilled);
    files.extend(credit_payments(data, &mut rows, &mut awaiting));
    awaiting.sort_by_key(|(_, row)| row.date);
    let visits: Vec<VisitRow> = rows.into_iter().map(|(_, row)| row).collect();
    let awaiting: Vec<AwaitingRow> = awaiting.into_iter().map(|(_, row)| row).collect();
    Account {
        visits,
        denials,
        awaiting,
        files,
    }
}

/// Whether an answer settles what the patient owes: the plan decided. Pending, and a
/// payment taken back and not made again, leave the visit awaiting.
fn settles(answer: Answer) -> bool {
    matches!(
        answer,
        Answer::Paid | Answer::PartiallyPaid | Answer::Denied
    )
}

/// Where a billed visit without a settling answer stands.
fn awaiting_status(payer: &str, claim: &ClaimRecord, answer: Option<Answer>) -> String {
    match (answer, claim.sent) {
        (Some(Answer::Reversed), _) => {
            format!("{payer} took its payment back; awaiting its new answer")
        }
        (Some(_), _) => format!("{payer} has not decided yet"),
        (None, Some(sent)) => format!("sent to {payer} on {sent}, awaiting its answer"),
        (None, None) => format!("billed to {payer}, awaiting its answer"),
    }
}

/// The plan's name, else its id.
fn payer_name(data: &PracticeData, id: &str) -> String {
    data.payers
        .get(id)
        .map(|p| p.data.name.clone())
        .unwrap_or_else(|| id.to_string())
}

/// The rows of one answered claim, each with its session id: one per visit, and one for
/// what the plan did not tie to a visit, when anything.
fn answered_rows(
    visits: &[ClaimVisit],
    entries: &[&RemittedClaim],
    payer: &str,
) -> Vec<(String, VisitRow)> {
    let (per_visit, remainder) = split_by_visit(visits, entries);
    let row = |date: String, services: String, billed: Option<Money>, f: PlanFigures| VisitRow {
        date,
        services,
        payer: payer.to_string(),
        billed,
        insurance_paid: Money(f.paid),
        insurance_adjusted: Money(f.written_off),
        patient_share: Money(f.patient_share),
        beyond_plan: Money::ZERO,
        patient_paid: Money::ZERO,
        balance: Money(f.patient_share),
    };
    let mut rows: Vec<(String, VisitRow)> = visits
        .iter()
        .zip(per_visit)
        .map(|(v, f)| {
            let r = row(v.date.to_string(), v.codes.clone(), Some(v.billed), f);
            (v.session.clone(), r)
        })
        .collect();
    if !remainder.is_zero() {
        let first = visits.iter().map(|v| v.date).min();
        let last = visits.iter().map(|v| v.date).max();
        let date = match (first, last) {
            (Some(first), Some(last)) if first != last => format!("{first} to {last}"),
            (Some(first), _) => first.to_string(),
            _ => String::new(),
        };
        let services = "whole claim, not itemized by visit".to_string();
        rows.push((String::new(), row(date, services, None, remainder)));
    }
    rows
}

/// Visits up to `as_of` that the patient paid for and that no standing claim billed, each
/// with its session id.
fn paid_unbilled(
    data: &PracticeData,
    rec: &Record<Patient>,
    as_of: NaiveDate,
    rows: &[(String, VisitRow)],
    awaiting: &[(String, AwaitingRow)],
) -> Vec<(String, AwaitingRow)> {
    let listed =
        |id: &str| rows.iter().any(|(s, _)| s == id) || awaiting.iter().any(|(s, _)| s == id);
    data.sessions_of(&rec.id)
        .filter(|s| s.data.date <= as_of && !listed(&s.id))
        .filter(|s| {
            s.data
                .paid
                .as_ref()
                .is_some_and(|p| p.amount() > Money::ZERO)
        })
        .map(|s| {
            let row = AwaitingRow {
                date: s.data.date,
                services: session_codes(&s.data),
                billed: None,
                status: unbilled_status(data, s),
                patient_paid: Money::ZERO,
            };
            (s.id.clone(), row)
        })
        .collect()
}

/// The codes of a session's services, each once.
fn session_codes(session: &Session) -> String {
    let mut codes: Vec<&str> = Vec::new();
    for svc in &session.services {
        if !codes.contains(&svc.code.as_str()) {
            codes.push(svc.code.as_str());
        }
    }
    codes.join(", ")
}

/// Where a visit no standing claim billed stands: billed outside the ledger, answered by a
/// denial written by hand, or not billed.
fn unbilled_status(data: &PracticeData, session: &Record<Session>) -> String {
    if let Some(date) = session.data.billed {
        return format!("billed to your plan on {date}");
    }
    let denial = data
        .denials
        .values()
        .find(|d| d.data.sessions.iter().any(|s| s == &session.id));
    match denial {
        Some(d) => format!("denied by {}", payer_name(data, &d.data.payer)),
        None => "not billed to a plan".to_string(),
    }
}

/// Puts what the patient paid at each visit, and the practice's fee for its time past the
/// plan's maximum minutes, on the visit's first answered row (the payment, else on its first
/// awaiting row), so a visit on two claims counts them once; returns the files of the
/// sessions used.
fn credit_payments(
    data: &PracticeData,
    rows: &mut [(String, VisitRow)],
    awaiting: &mut [(String, AwaitingRow)],
) -> Vec<String> {
    let mut files = Vec::new();
    let mut done: Vec<String> = Vec::new();
    let sessions: Vec<String> = rows
        .iter()
        .map(|(s, _)| s.clone())
        .chain(awaiting.iter().map(|(s, _)| s.clone()))
        .filter(|s| !s.is_empty())
        .collect();
    for id in sessions {
        if done.contains(&id) {
            continue;
        }
        done.push(id.clone());
        let Some(session) = data.session(&id) else {
            continue;
        };
        files.push(session.file.clone());
        let paid = session
            .data
            .paid
            .as_ref()
            .map_or(Money::ZERO, |p| p.amount());
        if let Some((_, row)) = rows.iter_mut().find(|(s, _)| *s == id) {
            let services = context::services_of(data, &session.data);
            row.beyond_plan = context::beyond_plan(data, &session.data, &services)
                .map_or(Money::ZERO, |b| b.charge);
            row.patient_paid = paid;
            row.balance = Money(row.patient_share.cents() + row.beyond_plan.cents() - paid.cents());
        } else if let Some((_, row)) = awaiting.iter_mut().find(|(s, _)| *s == id) {
            row.patient_paid = paid;
        }
    }
    files
}

/// The sums of the answered rows, the balance due or credit, and what was paid at visits
/// still awaiting an answer.
fn totals_of(visits: &[VisitRow], awaiting: &[AwaitingRow]) -> StatementTotals {
    let sums = sums_of(visits);
    let balance = sums.balance;
    let shows_beyond_plan = visits.iter().any(|v| v.beyond_plan != Money::ZERO);
    let awaiting_paid: i64 = awaiting.iter().map(|a| a.patient_paid.cents()).sum();
    StatementTotals {
        sums,
        standing: match balance.cents() {
            1.. => "due",
            0 => "settled",
            _ => "credit",
        },
        shows_beyond_plan,
        due: Money(balance.cents().max(0)),
        credit: (balance < Money::ZERO).then(|| Money(-balance.cents())),
        awaiting_paid: (awaiting_paid != 0).then_some(Money(awaiting_paid)),
    }
}

/// The sums of some answered rows.
fn sums_of<'a>(visits: impl IntoIterator<Item = &'a VisitRow> + Clone) -> Sums {
    let sum = |f: fn(&VisitRow) -> Option<Money>| {
        Money(
            visits
                .clone()
                .into_iter()
                .filter_map(f)
                .map(Money::cents)
                .sum(),
        )
    };
    Sums {
        billed: sum(|v| v.billed),
        insurance_paid: sum(|v| Some(v.insurance_paid)),
        insurance_adjusted: sum(|v| Some(v.insurance_adjusted)),
        patient_share: sum(|v| Some(v.patient_share)),
        beyond_plan: sum(|v| Some(v.beyond_plan)),
        patient_paid: sum(|v| Some(v.patient_paid)),
        balance: sum(|v| Some(v.balance)),
    }
}

/// The answered rows in sections by plan, each plan where its first row is.
fn by_plan(visits: Vec<VisitRow>) -> Vec<PlanSection> {
    let mut plans: Vec<(String, Vec<VisitRow>)> = Vec::new();
    for row in visits {
        match plans.iter_mut().find(|(payer, _)| *payer == row.payer) {
            Some((_, rows)) => rows.push(row),
            None => plans.push((row.payer.clone(), vec![row])),
        }
    }
    plans
        .into_iter()
        .map(|(payer, visits)| PlanSection {
            payer,
            totals: sums_of(&visits),
            visits,
        })
        .collect()
}

#[cfg(test)]
mod tests {
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
        let rows = answered_rows(&visits, &[&remitted], "Plan");
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
            services: "97124".into(),
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
}
