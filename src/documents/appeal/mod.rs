//! The appeal letter for one denial (or, when the denial calls for it, the worksheet of a
//! corrected or new claim). The letter answers the payer's stated reasons with the argument
//! that fits each, and states only what the records hold; what they lack is a checklist for
//! the practice, printed on the terminal as `appeal.evidence_missing`, never in the letter.

mod answer;
mod argue;
pub mod ctx;
mod evidence;
mod facts;
mod filing;
mod limits;
mod progress;
mod reasons;

pub use argue::Argument;
pub use ctx::AppealContext;
pub use progress::MeasureChange;
/// A measure's value as people write it, shared with the SOAP note.
pub(super) use progress::with_unit as measure_text;
pub use reasons::Family;

use super::context::{CoverageCtx, PatientCtx, PracticeCtx, ProviderCtx};
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, patient_header, screen};
use crate::figures::deadlines;
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::{Denial, Money, Payer, PayerKind, Provider, Session};
use answer::Answer;
use chrono::NaiveDate;
use ctx::{AdjustmentCtx, DenialCtx, PayerCtx};
use evidence::Evidence;
use facts::Facts;

/// The appeal letter kind.
pub const KIND: Kind = Kind {
    name: "appeal",
    command: "appeal",
    subject: SubjectKind::Denial,
    monthly: false,
    drafts: true,
    template: Some(super::Template {
        file: "appeal.md",
        builtin: include_str!("../../../templates/appeal.md"),
    }),
    refused_by: screen::ALL_TOPICS,
    plan: plan_open,
    prepare: prepare_subject,
};

/// Every denial whose appeal window is still open on the run's date.
fn plan_open<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<Subject<'a>> {
    data.denials
        .values()
        .filter(|d| {
            data.payers.get(&d.data.payer).is_some_and(|payer| {
                scope.as_of <= deadlines::deadline(d.data.date, payer.data.appeal_window_days)
            })
        })
        .map(Subject::Denial)
        .collect()
}

fn prepare_subject(data: &PracticeData, subject: Subject<'_>, scope: &Scope<'_>) -> Vec<Prepared> {
    match subject {
        Subject::Denial(d) => prepare(data, d, scope.as_of).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Prepares the appeal for `rec`, with an `appeal.late` error when the window has closed,
/// an `appeal.evidence_missing` warning for each thing the practice must still add, and an
/// `appeal.plan_excludes` warning for each plan term that names a service denied as not
/// covered.
pub fn prepare(data: &PracticeData, rec: &Record<Denial>, as_of: NaiveDate) -> Option<Prepared> {
    let denial = &rec.data;
    let patient = data.patients.get(&denial.patient)?;
    let payer = data.payers.get(&denial.payer)?;
    let deadline = deadlines::deadline(denial.date, payer.data.appeal_window_days);
    let days_left = deadlines::days_left(deadline, as_of);

    let ev = Evidence::gather(data, rec, patient, payer);
    let f = Facts::new(data, &ev, as_of);
    let answer = Answer::to(denial, &f);
    let ctx = AppealContext {
        practice: data.practice().map(PracticeCtx::from),
        payer: PayerCtx {
            name: payer.data.name.clone(),
            kind: payer.data.kind.as_str(),
            appeals_address: payer.data.appeals_address().into(),
            appeal_window_days: payer.data.appeal_window_days,
            appeal_level: appeal_level(&payer.data),
        },
        patient: PatientCtx::new(patient),
        coverage: ev
            .coverage
            .map(|(_, c)| CoverageCtx::new(data, &patient.data, c)),
        verification: f.verification.clone(),
        provider: signing_provider(data, &ev.denied).map(ProviderCtx::from),
        denial: denial_facts(rec, &ev.denied, deadline, days_left),
        title: title(denial, &payer.data, &answer, &f),
        brief: answer.brief,
        mode: answer.mode(),
        reasons: reasons::quoted(denial),
        resubmission: answer.resubmission.clone(),
        referral: f.referral.clone(),
        plan_of_care: f.plan.clone(),
        authorization: f.authorization.clone(),
        first_sent: ev.first_sent.clone(),
        sessions: f.sessions.clone(),
        diagnoses: f.diagnoses.clone(),
        episode: f.episode.clone(),
        pain_trend: f.pain.clone(),
        measures: f.measures.clone(),
        progress: f
            .measures
            .iter()
            .cloned()
            .chain(progress::pain_row(&f.pain))
            .collect(),
        goals: f.goals.clone(),
        closing: closing(denial, &answer, &f),
        enclosures: answer.enclosures.clone(),
        checklist: answer.checklist.clone(),
        arguments: answer.arguments.clone(),
        corrections: answer.corrections.clone(),
        other_reasons: answer.other_reasons.clone(),
    };
    let mut prepared = Prepared::template(
        Parts {
            kind: &KIND,
            name: rec.id.clone(),
            title: format!(
                "Appeal of claim {} for {}",
                denial.claim_number,
                patient.data.full_name()
            ),
            header: patient_header(&patient.data),
            source: rec.file.clone(),
            inputs: letter_inputs(rec, &patient.file, &payer.file, &ev.denied),
        },
        as_of,
        &ctx,
    )
    // The progress figures read every visit of the episode, and the claim's history the
    // ledger and remittances: a change to any of them changes the letter.
    .depending_on(ev.depends());
    if days_left < 0 {
        prepared
            .findings
            .push(window_closed(rec, &payer.data, deadline));
    }
    prepared.findings.extend(checklist_findings(&answer, &ev));
    Some(prepared)
}

/// The warnings that tell the practice what to add before sending, and which plan terms
/// name a service denied as not covered.
fn checklist_findings(answer: &Answer, ev: &Evidence<'_>) -> Vec<Finding> {
    let mut out: Vec<Finding> = answer
        .checklist
        .iter()
        .map(|c| {
            Finding::warning("appeal.evidence_missing", &c.file, c.item.clone())
                .at(c.field.as_str())
        })
        .collect();
    for e in &answer.excluded {
        out.push(
            Finding::warning(
                "appeal.plan_excludes",
                ev.patient_file(),
                format!(
                    "the plan's terms name {}, denied as not covered: the appeal letter does not claim coverage; read the plan's terms before sending it, and bill the patient only if they agreed in advance to pay",
                    e.code
                ),
            )
            .at(e.field.as_str()),
        );
    }
    out
}

/// What the payer calls a first-level appeal.
fn appeal_level(payer: &Payer) -> &'static str {
    match payer.kind {
        PayerKind::Medicare => "redetermination",
        _ => "reconsideration",
    }
}

/// The document's heading.
fn title(denial: &Denial, payer: &Payer, answer: &Answer, f: &Facts<'_>) -> String {
    let claim = &denial.claim_number;
    if answer.mode() == "corrected_claim" {
        return match &answer.resubmission {
            Some(r) if r.new_claim => format!("New claim worksheet: claim {claim}"),
            _ => format!("Corrected claim worksheet: claim {claim}"),
        };
    }
    match f
        .authorization
        .as_ref()
        .filter(|a| answer.brief && a.covers_denied_services)
    {
        Some(a) => format!(
            "Request to reprocess claim {claim} under authorization {}",
            a.number
        ),
        None if answer.brief => format!("Request to reprocess claim {claim}"),
        None => format!("Request for {} of claim {claim}", appeal_level(payer)),
    }
}

/// The letter's last request: reprocess (under the authorization that covers the care, when
/// there is one) and pay what the letter disputes.
fn closing(denial: &Denial, answer: &Answer, f: &Facts<'_>) -> String {
    let under = f
        .authorization
        .as_ref()
        .filter(|a| a.covers_denied_services)
        .filter(|_| {
            answer
                .arguments
                .iter()
                .any(|a| a.family == Family::Authorization.as_str())
        })
        .map(|a| format!(" under authorization {}", a.number))
        .unwrap_or_default();
    format!(
        "Please reprocess the claim{under} and pay the ${} this letter disputes.",
        reasons::disputed_amount(denial)
    )
}

/// The files whose findings refuse the letter: the records it quotes directly.
fn letter_inputs(
    rec: &Record<Denial>,
    patient_file: &str,
    payer_file: &str,
    sessions: &[&Record<Session>],
) -> Vec<String> {
    let mut inputs = vec![
        "practice.yaml".to_string(),
        rec.file.clone(),
        patient_file.to_string(),
        payer_file.to_string(),
    ];
    inputs.extend(sessions.iter().map(|s| s.file.clone()));
    inputs
}

/// The provider who signs: the rendering provider of the latest denied session, else the
/// practice's first provider.
fn signing_provider<'a>(
    data: &'a PracticeData,
    sessions: &[&Record<Session>],
) -> Option<&'a Provider> {
    sessions
        .iter()
        .max_by_key(|s| s.data.date)
        .and_then(|s| data.provider_of(&s.data))
        .or_else(|| data.practice().and_then(|p| p.providers.first()))
}

/// The denial's facts, with `days_left` to `deadline` counted from the letter's date.
fn denial_facts(
    rec: &Record<Denial>,
    sessions: &[&Record<Session>],
    deadline: NaiveDate,
    days_left: i64,
) -> DenialCtx {
    let denial = &rec.data;
    let mut dates: Vec<NaiveDate> = sessions.iter().map(|s| s.data.date).collect();
    dates.sort();
    dates.dedup();
    DenialCtx {
        id: rec.id.clone(),
        claim_number: denial.claim_number.clone(),
        date: denial.date,
        billed: denial.billed,
        paid: denial.paid,
        unpaid: Money(denial.billed.cents() - denial.paid.cents()),
        disputed: reasons::disputed_amount(denial),
        dates_of_service: dates
            .iter()
            .map(NaiveDate::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        deadline,
        days_left,
        adjustments: denial.adjustments.iter().map(AdjustmentCtx::from).collect(),
        notes: denial.notes.clone().unwrap_or_default(),
    }
}

/// The `appeal.late` finding: the letter is still prepared so the practice can see what it
/// would have said, but validation refuses it.
fn window_closed(rec: &Record<Denial>, payer: &Payer, deadline: NaiveDate) -> Finding {
    Finding::error(
        "appeal.late",
        &rec.file,
        format!(
            "the appeal window of {} days from the denial on {} closed on {deadline}: the payer will not hear a late appeal; check the contract for a reopening or reconsideration path",
            payer.appeal_window_days, rec.data.date
        ),
    )
    .at("date")
}
