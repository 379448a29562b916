//! The SOAP note of one session.

mod header;

pub use header::{CarePlanCtx, InjuryCtx, MeasureCtx, ReferralFromCtx};

use crate::documents::context::{
    self, BeyondPlanCtx, CoverageCtx, DiagnosisCtx, PatientCtx, PlaceCtx, PracticeCtx, ProviderCtx,
    ServiceCtx,
};
use crate::documents::screen::Topic;
use crate::documents::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, patient_header};
use crate::load::{PracticeData, Record};
use crate::model::{Money, Session};
use chrono::NaiveDate;
use serde::Serialize;

/// The SOAP note kind. It is the medical record: only findings about the note itself
/// refuse it, never billing problems.
pub const KIND: Kind = Kind {
    name: "soap_note",
    command: "soap",
    subject: SubjectKind::Session,
    monthly: false,
    drafts: true,
    template: Some(crate::documents::Template {
        file: "soap_note.md",
        builtin: include_str!("../../../templates/soap_note.md"),
    }),
    refused_by: &[Topic::Record, Topic::Note, Topic::Document],
    plan: plan_month,
    prepare: prepare_subject,
};

fn plan_month<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<Subject<'a>> {
    let Some(month) = scope.month else {
        return Vec::new();
    };
    data.sessions
        .iter()
        .filter(|s| crate::figures::in_month(s.data.date, month))
        .map(Subject::Session)
        .collect()
}

fn prepare_subject(data: &PracticeData, subject: Subject<'_>, scope: &Scope<'_>) -> Vec<Prepared> {
    match subject {
        Subject::Session(s) => prepare(data, s, scope.as_of).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Context of `soap_note.md`.
#[derive(Debug, Clone, Serialize)]
pub struct SoapContext {
    /// The practice.
    pub practice: Option<PracticeCtx>,
    /// The patient.
    pub patient: PatientCtx,
    /// The rendering provider.
    pub provider: Option<ProviderCtx>,
    /// The coverage billed.
    pub coverage: Option<CoverageCtx>,
    /// The injury claim the coverage bills under (workers' compensation, auto), when its
    /// coverage records one.
    pub injury: Option<InjuryCtx>,
    /// The plan of care covering the date of service, when there is one.
    pub plan_of_care: Option<CarePlanCtx>,
    /// The visit.
    pub session: VisitCtx,
    /// Diagnoses with pointer letters.
    pub diagnoses: Vec<DiagnosisCtx>,
    /// Service lines with units and charges.
    pub services: Vec<ServiceCtx>,
    /// Totals of the service lines.
    pub totals: TotalsCtx,
    /// Pain before and after.
    pub pain: Option<PainCtx>,
    /// Techniques used at the visit, as written.
    pub techniques: Vec<String>,
    /// Functional measures taken at the visit, in the order written.
    pub measures: Vec<MeasureCtx>,
    /// The four sections.
    pub soap: SectionsCtx,
    /// Goals.
    pub goals: Vec<String>,
    /// Signature, when signed.
    pub signature: Option<SignatureCtx>,
}

/// The visit's facts.
#[derive(Debug, Clone, Serialize)]
pub struct VisitCtx {
    /// Session id.
    pub id: String,
    /// Date of service.
    pub date: NaiveDate,
    /// "09:00".
    pub time_in: String,
    /// "09:55".
    pub time_out: String,
    /// Minutes from time in to time out.
    pub visit_minutes: i64,
    /// Place of service.
    pub place_of_service: PlaceCtx,
    /// Referral id, or empty (the record's id: documents print `referral_from`).
    pub referral: String,
    /// The referral the session names, by its provider and date.
    pub referral_from: Option<ReferralFromCtx>,
    /// Authorization number, or empty.
    pub authorization: String,
    /// Payer's unit rule by its name, e.g. "CMS 8-minute rule", or empty.
    pub unit_rule: String,
}

/// Totals of a session's lines.
#[derive(Debug, Clone, Serialize)]
pub struct TotalsCtx {
    /// Minutes on timed codes.
    pub timed_minutes: u32,
    /// Minutes on all codes.
    pub total_minutes: u32,
    /// Units billed to the plan.
    pub units: u32,
    /// Total charge to the plan.
    pub charge: Money,
    /// What the visit bills the patient past the plan's maximum minutes, when it does.
    pub beyond_plan: Option<BeyondPlanCtx>,
}

/// Pain scores.
#[derive(Debug, Clone, Serialize)]
pub struct PainCtx {
    /// Before, 0-10.
    pub before: u8,
    /// After, 0-10.
    pub after: u8,
    /// Points of relief (before - after; negative when worse).
    pub change: i32,
}

/// The SOAP sections' text.
#[derive(Debug, Clone, Serialize)]
pub struct SectionsCtx {
    /// Subjective.
    pub subjective: String,
    /// Objective.
    pub objective: String,
    /// Assessment.
    pub assessment: String,
    /// Plan.
    pub plan: String,
}

/// Who signed and when.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureCtx {
    /// "Amy Chen".
    pub name: String,
    /// "LMT".
    pub credentials: String,
    /// License text.
    pub license: String,
    /// Date signed.
    pub date: NaiveDate,
}

/// Prepares the SOAP note of `rec`; None when its patient is unknown.
pub fn prepare(data: &PracticeData, rec: &Record<Session>, as_of: NaiveDate) -> Option<Prepared> {
    let s = &rec.data;
    let patient = data.patient_of(s)?;
    let provider = data.provider_of(s);
    let coverage = data.coverage_of(s);
    let payer = data.payer_of(s);
    let services = context::services_of(data, s);
    let timed_minutes = s
        .services
        .iter()
        .filter(|x| crate::codes::procedures::lookup(x.code.as_str()).is_some_and(|p| p.timed))
        .fold(0u32, |acc, x| acc.saturating_add(x.minutes));
    let signer = s.signed.as_ref().and_then(|sig| {
        data.practice()?
            .providers
            .iter()
            .find(|p| p.id == sig.by)
            .map(|p| (p, sig.date))
    });
    let title = format!("SOAP note, {} - {}", patient.data.full_name(), s.date);
    let ctx = SoapContext {
        practice: data.practice().map(PracticeCtx::from),
        patient: PatientCtx::new(patient),
        provider: provider.map(ProviderCtx::from),
        coverage: coverage.map(|c| CoverageCtx::new(data, &patient.data, c)),
        injury: coverage.and_then(|c| header::injury(data, c)),
        plan_of_care: header::plan_of_care(&patient.data, s.date),
        session: VisitCtx {
            id: rec.id.clone(),
            date: s.date,
            time_in: s.time_in.to_string(),
            time_out: s.time_out.to_string(),
            visit_minutes: s.time_in.minutes_until(s.time_out),
            place_of_service: PlaceCtx::new(context::place_of_service_of(data, s)),
            referral: s.referral.clone().unwrap_or_default(),
            referral_from: header::referral(&patient.data, s),
            authorization: s.authorization.clone().unwrap_or_default(),
            unit_rule: payer
                .map(|p| p.data.unit_rule.name().to_string())
                .unwrap_or_default(),
        },
        diagnoses: s
            .diagnoses
            .iter()
            .enumerate()
            .map(|(i, code)| DiagnosisCtx {
                pointer: context::letter(i),
                code: context::dotted(code),
                description: context::icd_description(&data.icd10, code, s.date),
            })
            .collect(),
        totals: TotalsCtx {
            timed_minutes,
            total_minutes: s
                .services
                .iter()
                .fold(0u32, |acc, x| acc.saturating_add(x.minutes)),
            units: services
                .iter()
                .fold(0u32, |acc, x| acc.saturating_add(x.units)),
            charge: context::total_charge(&services),
            beyond_plan: context::beyond_plan(data, s, &services),
        },
        services,
        pain: s.pain.map(|p| PainCtx {
            before: p.before,
            after: p.after,
            change: i32::from(p.before) - i32::from(p.after),
        }),
        techniques: s.techniques.clone(),
        measures: header::measures(s),
        soap: SectionsCtx {
            subjective: s.soap.subjective.clone().unwrap_or_default(),
            objective: s.soap.objective.clone().unwrap_or_default(),
            assessment: s.soap.assessment.clone().unwrap_or_default(),
            plan: s.soap.plan.clone().unwrap_or_default(),
        },
        goals: s.goals.clone(),
        signature: signer.map(|(p, date)| SignatureCtx {
            name: format!("{} {}", p.first_name, p.last_name),
            credentials: p.credentials.clone(),
            license: ProviderCtx::from(p).license,
            date,
        }),
    };
    let mut inputs = vec![
        "practice.yaml".to_string(),
        rec.file.clone(),
        patient.file.clone(),
    ];
    if let Some(p) = payer {
        inputs.push(p.file.clone());
    }
    Some(Prepared::template(
        Parts {
            kind: &KIND,
            name: rec.id.clone(),
            title,
            header: patient_header(&patient.data),
            source: rec.file.clone(),
            inputs,
        },
        as_of,
        &ctx,
    ))
}
