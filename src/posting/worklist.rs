//! The biller's worklist: what needs doing, most urgent first — overdue claims, visits near
//! their filing deadline or held by errors, open denials with their appeal deadline, referrals,
//! authorizations and plan limits running out, remittance claims nobody matched. Pure.

use crate::figures::{deadlines, visits};
use crate::findings::Finding;
use crate::load::PracticeData;
use crate::model::LedgerStatus;
use chrono::NaiveDate;
use serde::Serialize;

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Task {
    /// By when; tasks past it come first.
    pub due: NaiveDate,
    /// Days from the run's date to `due` (negative: overdue).
    pub days_left: i64,
    /// The patient's id, when the task is about one.
    pub patient: String,
    /// What to do, in a sentence.
    pub what: String,
    /// The file it comes from.
    pub file: String,
}

/// Days of notice for a filing deadline.
const FILING_NOTICE_DAYS: i64 = 30;
/// Days of notice for a referral or authorization that ends.
const ENDING_NOTICE_DAYS: i64 = 14;
/// Visits left at which a limit is worth a word.
const VISITS_NOTICE: u32 = 2;

/// The worklist as of `as_of`, most urgent first. `findings` are the run's, for held visits.
pub fn worklist(data: &PracticeData, findings: &[Finding], as_of: NaiveDate) -> Vec<Task> {
    let answers = super::answers(data);
    let mut out = Vec::new();
    overdue_claims(data, &answers, as_of, &mut out);
    unbilled_visits(data, findings, as_of, &mut out);
    unreadable_visits(data, findings, as_of, &mut out);
    open_denials(data, &answers, as_of, &mut out);
    limits(data, as_of, &mut out);
    unmatched(data, as_of, &mut out);
    out.sort_by(|a, b| (a.due, &a.patient, &a.what).cmp(&(b.due, &b.patient, &b.what)));
    out
}

/// A payer as sentences name it: by its name, or by its id when its file did not load.
fn payer_name(data: &PracticeData, id: &str) -> String {
    data.payers
        .get(id)
        .map_or_else(|| id.to_string(), |p| p.data.name.clone())
}

fn task(due: NaiveDate, as_of: NaiveDate, patient: &str, what: String, file: &str) -> Task {
    Task {
        due,
        days_left: deadlines::days_left(due, as_of),
        patient: patient.to_string(),
        what,
        file: file.to_string(),
    }
}

/// Sent claims with no answer after the payer's `follow_up_days`.
fn overdue_claims(
    data: &PracticeData,
    answers: &std::collections::BTreeMap<String, super::ClaimAnswer>,
    as_of: NaiveDate,
    out: &mut Vec<Task>,
) {
    for r in data.claims.values() {
        let c = &r.data;
        let Some(sent) = c.sent.filter(|_| c.status == LedgerStatus::Sent) else {
            continue;
        };
        if answers.contains_key(&c.claim_id.to_uppercase())
            || c.frequency == crate::model::Frequency::Void
        {
            continue;
        }
        let superseded = data.claims.values().any(|o| {
            o.data.status == LedgerStatus::Sent
                && o.data.original.as_deref() == Some(c.claim_id.as_str())
        });
        let follow_up = data
            .payers
            .get(&c.payer)
            .map(|p| p.data.follow_up_days)
            .unwrap_or(30);
        let due = deadlines::deadline(sent, follow_up);
        if !superseded && due <= as_of {
            out.push(task(
                due,
                as_of,
                &c.patient,
                format!(
                    "claim {} to {} was sent on {sent} and has no answer: call the payer or check the claim's status",
                    c.claim_id,
                    payer_name(data, &c.payer)
                ),
                &r.file,
            ));
        }
    }
}

/// Visits not billed yet: within 30 days of their filing deadline, or held by their errors.
fn unbilled_visits(
    data: &PracticeData,
    findings: &[Finding],
    as_of: NaiveDate,
    out: &mut Vec<Task>,
) {
    for s in &data.sessions {
        let Some(payer) = data.payer_of(&s.data) else {
            continue;
        };
        let billed = (0..s.data.services.len())
            .any(|i| crate::rules::ledger::already_billed(data, s, i).is_some());
        if billed {
            continue;
        }
        let due = deadlines::deadline(s.data.date, payer.data.timely_filing_days);
        let errors: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.file == s.file && f.severity == crate::findings::Severity::Error)
            .collect();
        if !errors.is_empty() {
            let codes: Vec<&str> = errors.iter().map(|f| f.code).collect();
            out.push(task(
                due,
                as_of,
                &s.data.patient,
                format!(
                    "visit {} is held off its claim by {}: fix it and bill it before the filing deadline",
                    s.id,
                    codes.join(", ")
                ),
                &s.file,
            ));
        } else if deadlines::days_left(due, as_of) <= FILING_NOTICE_DAYS {
            out.push(task(
                due,
                as_of,
                &s.data.patient,
                format!(
                    "visit {} is not billed yet: bill it before {}'s filing deadline",
                    s.id, payer.data.name
                ),
                &s.file,
            ));
        }
    }
}

/// Session files that could not be read: their visits can be neither documented nor billed
/// until they are fixed, due by the filing deadline their date and payer give when known.
fn unreadable_visits(
    data: &PracticeData,
    findings: &[Finding],
    as_of: NaiveDate,
    out: &mut Vec<Task>,
) {
    for u in data.unreadable.iter().filter(|u| u.folder == "sessions") {
        let patient = u.patient.clone().or_else(|| {
            data.patients
                .keys()
                .filter(|id| u.named_for(id))
                .max_by_key(|id| id.len())
                .cloned()
        });
        let filing_days = patient
            .as_deref()
            .and_then(|p| data.patients.get(p))
            .and_then(|p| p.data.coverage_on(None, u.date().unwrap_or(as_of)))
            .and_then(|c| data.payers.get(&c.payer))
            .map(|p| p.data.timely_filing_days);
        let due = match (u.date(), filing_days) {
            (Some(date), Some(days)) => deadlines::deadline(date, days),
            _ => as_of,
        };
        let mut codes: Vec<&str> = findings
            .iter()
            .filter(|f| f.file == u.file && f.severity == crate::findings::Severity::Error)
            .map(|f| f.code)
            .collect();
        codes.dedup();
        out.push(task(
            due,
            as_of,
            patient.as_deref().unwrap_or(""),
            format!(
                "session file {} could not be read ({}): fix it so its visit can be documented and billed",
                u.stem,
                codes.join(", ")
            ),
            &u.file,
        ));
    }
}

/// Denials not answered by a later payment, with their appeal deadline.
fn open_denials(
    data: &PracticeData,
    answers: &std::collections::BTreeMap<String, super::ClaimAnswer>,
    as_of: NaiveDate,
    out: &mut Vec<Task>,
) {
    for d in data.denials.values() {
        let Some(payer) = data.payers.get(&d.data.payer) else {
            continue;
        };
        // A claim the payer has since paid needs no appeal.
        let paid_since = answers.values().any(|a| {
            a.payer_claim_number == d.data.claim_number
                && a.answer == super::Answer::Paid
                && a.answered.is_some_and(|when| when > d.data.date)
        });
        if paid_since {
            continue;
        }
        let due = deadlines::deadline(d.data.date, payer.data.appeal_window_days);
        let what = if due < as_of {
            format!(
                "denial {} (claim {}): the appeal window closed (appeal.late); look for a reopening path",
                d.id, d.data.claim_number
            )
        } else {
            format!(
                "denial {} (claim {}): appeal or correct it (`claimwright render appeal {}`)",
                d.id, d.data.claim_number, d.id
            )
        };
        out.push(task(due, as_of, &d.data.patient, what, &d.file));
    }
}

/// Referrals and authorizations ending within 14 days or with two visits or fewer left, and
/// plan-year visit limits with two or fewer left.
fn limits(data: &PracticeData, as_of: NaiveDate, out: &mut Vec<Task>) {
    for p in data.patients.values() {
        let sessions: Vec<&crate::model::Session> =
            data.sessions_of(&p.id).map(|s| &s.data).collect();
        for r in &p.data.referrals {
            let count = visits::referral_visits(r, sessions.iter().copied(), as_of);
            let ends = r.expires.filter(|e| *e >= as_of);
            note_limit(
                out,
                as_of,
                &p.id,
                &p.file,
                &format!("referral {}", r.id),
                ends,
                &count,
            );
        }
        for a in &p.data.authorizations {
            let count = visits::authorization_visits(&p.data, a, sessions.iter().copied(), as_of);
            let ends = Some(a.end).filter(|e| *e >= as_of);
            note_limit(
                out,
                as_of,
                &p.id,
                &p.file,
                &format!("authorization {}", a.number),
                ends,
                &count,
            );
        }
        for c in p.data.coverages.iter().filter(|c| c.active_on(as_of)) {
            let (_, count) =
                visits::plan_year_visits(&p.data, c, sessions.iter().copied(), as_of, as_of);
            if count.remaining.is_some_and(|r| r <= VISITS_NOTICE) {
                out.push(task(
                    as_of,
                    as_of,
                    &p.id,
                    format!(
                        "the {} plan has {} visit(s) left this plan year: tell the patient, or ask the payer for more",
                        payer_name(data, &c.payer),
                        count.remaining.unwrap_or(0)
                    ),
                    &p.file,
                ));
            }
        }
    }
}

fn note_limit(
    out: &mut Vec<Task>,
    as_of: NaiveDate,
    patient: &str,
    file: &str,
    what: &str,
    ends: Option<NaiveDate>,
    count: &visits::VisitCount,
) {
    let ending = ends.filter(|e| deadlines::days_left(*e, as_of) <= ENDING_NOTICE_DAYS);
    let few = count.remaining.filter(|r| *r <= VISITS_NOTICE);
    if ending.is_none() && few.is_none() {
        return;
    }
    // Only limits still in force are worth a word: an ended one is the rules' business.
    if ends.is_none() && few.is_none() {
        return;
    }
    let mut parts = Vec::new();
    if let Some(e) = ending {
        parts.push(format!("ends on {e}"));
    }
    if let Some(r) = few {
        parts.push(format!("has {r} visit(s) left"));
    }
    out.push(task(
        ending.unwrap_or(as_of),
        as_of,
        patient,
        format!(
            "{what} {}: ask for a renewal if care goes on",
            parts.join(" and ")
        ),
        file,
    ));
}

/// Remittance claims the ledger does not know.
fn unmatched(data: &PracticeData, as_of: NaiveDate, out: &mut Vec<Task>) {
    for r in data.remittances.values() {
        for c in r.data.claims.iter().filter(|c| !c.matched) {
            out.push(task(
                r.data.date.unwrap_or(as_of),
                as_of,
                "",
                format!(
                    "remittance {} answers claim {} (payer number {}), which the ledger does not know: match it by hand",
                    r.data.trace, c.claim_id, c.payer_claim_number
                ),
                &r.file,
            ));
        }
    }
}
