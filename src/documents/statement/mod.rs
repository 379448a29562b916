//! The patient statement: for each visit a plan answered, what was billed, what the plan paid
//! and wrote off, the patient's share, what they paid, and the balance due; from the claims
//! ledger, the remittances and the sessions' payments, never from estimates.

use super::context::{self, PatientCtx, PracticeCtx, money_or_empty};
use super::screen::Topic;
use super::wording::{self, Phrases, Reader, fill};
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind};
use crate::load::{PracticeData, Record};
use crate::model::patient::Language;
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

/// The statement in Spanish, for a patient whose `language` is `es`.
pub const KIND_ES: Kind = Kind {
    template: Some(super::Template {
        file: "statement.es.md",
        builtin: include_str!("../../../templates/statement.es.md"),
    }),
    ..KIND
};

/// Every patient who owes something as of `--as-of`, whenever the visits were: a balance
/// from an earlier month is still owed, and the month's batch is when statements go out.
fn plan_balances<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<Subject<'a>> {
    let sources = Sources::new(data);
    data.patients
        .values()
        .filter(|p| {
            let p_en = wording::phrases(Language::En);
            let account = account(data, &sources, p, scope.as_of, p_en);
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
    /// Who reads it: the patient, or a minor's parent or guardian; and in which language.
    pub reader: Reader,
    /// The statement's date (`--as-of`), with `prepared_text` and `prepared_long`.
    pub prepared: NaiveDate,
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
    /// The date as a table prints it, "11/03/2026" or "11/03/2026 to 11/24/2026".
    pub date_text: String,
    /// Procedure codes billed, e.g. "97124, 97140"; for a claim's remainder, what it is.
    pub services: String,
    /// The services in words, e.g. "massage, manual therapy".
    pub services_text: String,
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
    /// The services in words.
    pub services_text: String,
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
    let lang = wording::language_of(data, &rec.data);
    let phrases = wording::phrases(lang);
    let sources = Sources::new(data);
    let account = account(data, &sources, rec, as_of, phrases);
    let ctx = StatementContext {
        practice: data.practice().map(PracticeCtx::from),
        patient: PatientCtx::new(rec),
        reader: Reader::of(&rec.data, as_of, lang),
        prepared: as_of,
        totals: totals_of(&account.visits, &account.awaiting),
        plans: by_plan(account.visits),
        denials: account.denials,
        awaiting: account.awaiting,
    };
    let title = fill(
        phrases.statement_title,
        &[
            ("name", &rec.data.full_name()),
            ("date", &wording::date_long(as_of, lang)),
        ],
    );
    let mut value = serde_json::to_value(&ctx).unwrap_or(serde_json::Value::Null);
    wording::add_display_fields(&mut value, lang);
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
            kind: super::in_language(&KIND, lang),
            name: format!("{}-{as_of}", rec.id),
            title,
            header: wording::page_header(&rec.data, lang),
            source: rec.file.clone(),
            inputs,
        },
        as_of,
        &value,
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
    p: &Phrases,
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
            let status = awaiting_status(&payer, c, answer.map(|a| a.answer), p);
            awaiting.extend(visits.iter().map(|v| {
                let row = AwaitingRow {
                    date: v.date,
                    services: v.codes.clone(),
                    services_text: wording::services_text(&v.codes, p),
                    billed: Some(v.billed),
                    status: status.clone(),
                    patient_paid: Money::ZERO,
                };
                (v.session.clone(), row)
            }));
            continue;
        };
        let remitted: Vec<&RemittedClaim> = entries.iter().map(|(_, e)| *e).collect();
        rows.extend(answered_rows(&visits, &remitted, &payer, p));
        let denied: i64 = answer.denials.iter().map(|d| d.amount.cents()).sum();
        if denied > 0 {
            denials.push(DenialNote {
                payer: payer.clone(),
                dates: denied_dates(&visits, &remitted),
                amount: Money(denied),
            });
        }
    }
    let unbilled = paid_unbilled(data, rec, as_of, &rows, &awaiting, p);
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
fn awaiting_status(
    payer: &str,
    claim: &ClaimRecord,
    answer: Option<Answer>,
    p: &Phrases,
) -> String {
    let payer = ("payer", payer);
    match (answer, claim.sent) {
        (Some(Answer::Reversed), _) => fill(p.awaiting_reversed, &[payer]),
        (Some(_), _) => fill(p.awaiting_undecided, &[payer]),
        (None, Some(sent)) => fill(
            p.awaiting_sent,
            &[payer, ("date", &wording::date_short(sent))],
        ),
        (None, None) => fill(p.awaiting_billed, &[payer]),
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
    p: &Phrases,
) -> Vec<(String, VisitRow)> {
    let (per_visit, remainder) = split_by_visit(visits, entries);
    let row =
        |date: (String, String), services: (String, String), billed, f: PlanFigures| VisitRow {
            date: date.0,
            date_text: date.1,
            services: services.0,
            services_text: services.1,
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
            let date = (v.date.to_string(), wording::date_short(v.date));
            let services = (v.codes.clone(), wording::services_text(&v.codes, p));
            let r = row(date, services, Some(v.billed), f);
            (v.session.clone(), r)
        })
        .collect();
    if !remainder.is_zero() {
        let first = visits.iter().map(|v| v.date).min();
        let last = visits.iter().map(|v| v.date).max();
        let date = match (first, last) {
            (Some(first), Some(last)) if first != last => (
                format!("{first} to {last}"),
                fill(
                    p.date_range,
                    &[
                        ("first", &wording::date_short(first)),
                        ("last", &wording::date_short(last)),
                    ],
                ),
            ),
            (Some(first), _) => (first.to_string(), wording::date_short(first)),
            _ => (String::new(), String::new()),
        };
        let services = (
            "whole claim, not itemized by visit".to_string(),
            p.whole_claim.to_string(),
        );
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
    p: &Phrases,
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
            let codes = session_codes(&s.data);
            let row = AwaitingRow {
                date: s.data.date,
                services_text: wording::services_text(&codes, p),
                services: codes,
                billed: None,
                status: unbilled_status(data, s, p),
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
fn unbilled_status(data: &PracticeData, session: &Record<Session>, p: &Phrases) -> String {
    if let Some(date) = session.data.billed {
        return fill(p.unbilled_billed, &[("date", &wording::date_short(date))]);
    }
    let denial = data
        .denials
        .values()
        .find(|d| d.data.sessions.iter().any(|s| s == &session.id));
    match denial {
        Some(d) => fill(
            p.unbilled_denied,
            &[("payer", &payer_name(data, &d.data.payer))],
        ),
        None => p.unbilled_none.to_string(),
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
mod tests;
