//! The appeal letter for one denial (or, when the denial calls for it, the list of what to
//! correct before resubmitting), with the evidence assembled from the records.

mod evidence;
mod reasons;

use super::context::{AddressCtx, CoverageCtx, DiagnosisCtx, PatientCtx, PracticeCtx, ProviderCtx};
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, patient_header, screen};
use crate::codes::carc;
use crate::figures::deadlines;
use crate::figures::trend::PainTrend;
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::{Adjustment, Denial, Money, Patient, Payer, Provider, Session};
use chrono::NaiveDate;
use evidence::Evidence;
use reasons::Answers;
use serde::Serialize;

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

/// Context of `appeal.md`.
#[derive(Debug, Clone, Serialize)]
pub struct AppealContext {
    /// The practice (the letter's sender).
    pub practice: Option<PracticeCtx>,
    /// The payer and where appeals go.
    pub payer: PayerCtx,
    /// The patient.
    pub patient: PatientCtx,
    /// The coverage with this payer.
    pub coverage: Option<CoverageCtx>,
    /// The provider who signs: the rendering provider of the latest denied session.
    pub provider: Option<ProviderCtx>,
    /// The denial's facts.
    pub denial: DenialCtx,
    /// `appeal`, `corrected_claim`, or `mixed` when some reasons call for each.
    pub mode: &'static str,
    /// One argument per reason code answered by an appeal.
    pub arguments: Vec<ArgumentCtx>,
    /// One list per reason code answered by a corrected claim.
    pub corrections: Vec<CorrectionCtx>,
    /// Reason codes that are neither (patient responsibility, write-off...), with what to do.
    pub other_reasons: Vec<ArgumentCtx>,
    /// The referral supporting the services.
    pub referral: Option<ReferralCtx>,
    /// The authorization covering the services.
    pub authorization: Option<AuthorizationCtx>,
    /// The denied sessions.
    pub sessions: Vec<SessionEvidence>,
    /// Diagnoses of the denied sessions.
    pub diagnoses: Vec<DiagnosisCtx>,
    /// Pain across the patient's sessions up to the denial.
    pub pain_trend: PainTrend,
    /// Goals of the latest session up to the denial.
    pub goals: Vec<String>,
    /// Every document to enclose, without repeats.
    pub enclosures: Vec<String>,
}

/// The payer, addressed for appeals.
#[derive(Debug, Clone, Serialize)]
pub struct PayerCtx {
    /// Name.
    pub name: String,
    /// Appeals address (the claims address when none is given).
    pub appeals_address: AddressCtx,
    /// Days allowed to appeal.
    pub appeal_window_days: u32,
}

/// The denial's facts.
#[derive(Debug, Clone, Serialize)]
pub struct DenialCtx {
    /// Id.
    pub id: String,
    /// The payer's claim number.
    pub claim_number: String,
    /// Date of the EOB or remittance.
    pub date: NaiveDate,
    /// Amount billed.
    pub billed: Money,
    /// Amount paid.
    pub paid: Money,
    /// Billed minus paid.
    pub unpaid: Money,
    /// The adjustments this letter appeals (reason codes answered by an appeal).
    pub disputed: Money,
    /// Dates of service on the claim, e.g. "2026-11-03, 2026-11-06".
    pub dates_of_service: String,
    /// Last day to appeal.
    pub deadline: NaiveDate,
    /// Days from the letter's date to the deadline.
    pub days_left: i64,
    /// The adjustments.
    pub adjustments: Vec<AdjustmentCtx>,
    /// Notes from the EOB, or empty.
    pub notes: String,
}

/// One adjustment with its codes explained.
#[derive(Debug, Clone, Serialize)]
pub struct AdjustmentCtx {
    /// "CO-50".
    pub label: String,
    /// Group code meaning.
    pub group_meaning: String,
    /// Reason meaning.
    pub meaning: String,
    /// Remark codes with meanings, e.g. "N115 (...)".
    pub remarks: Vec<String>,
    /// Amount.
    pub amount: Money,
    /// The line it applies to, or empty.
    pub service: String,
}

/// What the letter argues against one reason code.
#[derive(Debug, Clone, Serialize)]
pub struct ArgumentCtx {
    /// "CO-50".
    pub label: String,
    /// What the code means.
    pub meaning: String,
    /// The argument, filled in from the records.
    pub argument: String,
    /// What to enclose for it.
    pub enclosures: Vec<String>,
}

/// What to correct for one reason code.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionCtx {
    /// "CO-16".
    pub label: String,
    /// What the code means.
    pub meaning: String,
    /// What to check and correct.
    pub items: Vec<String>,
}

/// The referral as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralCtx {
    /// Id.
    pub id: String,
    /// "Rosa Patel, MD".
    pub provider: String,
    /// NPI.
    pub npi: String,
    /// Date.
    pub date: NaiveDate,
    /// Expiry, when known.
    pub expires: Option<NaiveDate>,
    /// Diagnoses on the referral.
    pub diagnoses: Vec<DiagnosisCtx>,
    /// Frequency ordered, or empty.
    pub frequency: String,
    /// Visits ordered.
    pub visits: Option<u32>,
}

/// The authorization as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorizationCtx {
    /// Number.
    pub number: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Visits authorized.
    pub visits: Option<u32>,
    /// Codes authorized, or "all codes".
    pub codes: String,
}

/// One denied session as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct SessionEvidence {
    /// Id.
    pub id: String,
    /// Date.
    pub date: NaiveDate,
    /// "97124 x 3 (GP), 97140 x 1 (GP 59)".
    pub services: String,
    /// Minutes of service.
    pub minutes: u32,
    /// Pain before, when recorded.
    pub pain_before: Option<u8>,
    /// Pain after, when recorded.
    pub pain_after: Option<u8>,
    /// The objective findings.
    pub objective: String,
    /// The assessment.
    pub assessment: String,
}

/// Prepares the appeal for `rec`; an `appeal.late` finding when the window has closed.
pub fn prepare(data: &PracticeData, rec: &Record<Denial>, as_of: NaiveDate) -> Option<Prepared> {
    let denial = &rec.data;
    let patient = data.patients.get(&denial.patient)?;
    let payer = data.payers.get(&denial.payer)?;
    let deadline = deadlines::deadline(denial.date, payer.data.appeal_window_days);
    let days_left = deadlines::days_left(deadline, as_of);

    let sessions = evidence::denied_sessions(data, denial);
    let evidence = Evidence::gather(data, &patient.data, denial, &sessions);
    let service_date = evidence::last_service_date(&sessions, denial);
    let coverage = patient.data.coverage_on(Some(&denial.payer), service_date);
    let values = reasons::fill_values(data, &evidence, coverage, service_date, &payer.data, denial);
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let answers = Answers::to(denial, &values);

    let ctx = AppealContext {
        practice: data.practice().map(PracticeCtx::from),
        payer: PayerCtx {
            name: payer.data.name.clone(),
            appeals_address: payer.data.appeals_address().into(),
            appeal_window_days: payer.data.appeal_window_days,
        },
        patient: PatientCtx::new(patient),
        coverage: coverage.map(|c| CoverageCtx::new(data, &patient.data, c)),
        provider: signing_provider(data, &sessions).map(ProviderCtx::from),
        denial: denial_facts(rec, &sessions, deadline, days_left),
        mode: answers.mode(),
        arguments: answers.arguments,
        corrections: answers.corrections,
        other_reasons: answers.other_reasons,
        referral: evidence.referral,
        authorization: evidence.authorization,
        sessions: evidence.sessions,
        diagnoses: evidence.diagnoses,
        pain_trend: evidence.pain_trend,
        goals: evidence.goals,
        enclosures: answers.enclosures,
    };
    // The pain trend and goals read every earlier session, so a change to any of them changes
    // the letter.
    let history = data
        .sessions_of(&denial.patient)
        .filter(|s| s.data.date <= denial.date)
        .map(|s| s.file.clone());
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
            inputs: letter_inputs(rec, patient, payer, &sessions),
        },
        as_of,
        &ctx,
    )
    .depending_on(history);
    if days_left < 0 {
        prepared
            .findings
            .push(window_closed(rec, &payer.data, deadline));
    }
    Some(prepared)
}

/// The files whose findings refuse the letter: the records it quotes directly.
fn letter_inputs(
    rec: &Record<Denial>,
    patient: &Record<Patient>,
    payer: &Record<Payer>,
    sessions: &[&Record<Session>],
) -> Vec<String> {
    let mut inputs = vec![
        "practice.yaml".to_string(),
        rec.file.clone(),
        patient.file.clone(),
        payer.file.clone(),
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
    DenialCtx {
        id: rec.id.clone(),
        claim_number: denial.claim_number.clone(),
        date: denial.date,
        billed: denial.billed,
        paid: denial.paid,
        unpaid: Money(denial.billed.cents() - denial.paid.cents()),
        disputed: reasons::disputed_amount(denial),
        dates_of_service: dates_of_service(sessions),
        deadline,
        days_left,
        adjustments: denial.adjustments.iter().map(AdjustmentCtx::from).collect(),
        notes: denial.notes.clone().unwrap_or_default(),
    }
}

/// The distinct dates of `sessions` in order, e.g. "2026-11-03, 2026-11-06".
fn dates_of_service(sessions: &[&Record<Session>]) -> String {
    let mut dates: Vec<NaiveDate> = sessions.iter().map(|s| s.data.date).collect();
    dates.sort();
    dates.dedup();
    dates
        .iter()
        .map(NaiveDate::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl From<&Adjustment> for AdjustmentCtx {
    fn from(a: &Adjustment) -> Self {
        AdjustmentCtx {
            label: format!("{}-{}", a.group.as_str(), a.reason),
            group_meaning: carc::group_meaning(a.group.as_str()).to_string(),
            meaning: carc::lookup(a.reason.as_str())
                .map(|c| c.meaning.to_string())
                .unwrap_or_default(),
            remarks: a
                .remarks
                .iter()
                .map(|r| match carc::remark(r.as_str()) {
                    Some(m) => format!("{r} ({m})"),
                    None => r.to_string(),
                })
                .collect(),
            amount: a.amount,
            service: a
                .service
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        }
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
