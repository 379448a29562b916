//! The superbill: an itemized, coded receipt of a patient's month, which the patient sends
//! to an out-of-network plan for reimbursement.

use super::context::{
    self, CoverageCtx, DiagnosisCtx, PatientCtx, PracticeCtx, ProviderCtx, ServiceCtx,
};
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, patient_header, screen};
use crate::load::{PracticeData, Record};
use crate::model::patient::Network;
use crate::model::{Money, Patient};
use chrono::NaiveDate;
use serde::Serialize;

/// The superbill kind.
pub const KIND: Kind = Kind {
    name: "superbill",
    command: "superbill",
    subject: SubjectKind::Patient,
    monthly: true,
    drafts: true,
    template: Some(super::Template {
        file: "superbill.md",
        builtin: include_str!("../../templates/superbill.md"),
    }),
    refused_by: screen::ALL_TOPICS,
    plan: plan_month,
    prepare: prepare_subject,
};

/// Patients seen in the month with a visit billed to an out-of-network coverage.
fn plan_month<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<Subject<'a>> {
    let Some(month) = scope.month else {
        return Vec::new();
    };
    super::patients_seen(data, scope)
        .into_iter()
        .filter(|p| {
            data.sessions_of(&p.id)
                .filter(|s| crate::figures::in_month(s.data.date, month))
                .filter_map(|s| data.coverage_of(&s.data))
                .any(|c| c.network == Network::Out)
        })
        .map(Subject::Patient)
        .collect()
}

fn prepare_subject(data: &PracticeData, subject: Subject<'_>, scope: &Scope<'_>) -> Vec<Prepared> {
    match (subject, scope.month) {
        (Subject::Patient(p), Some(month)) => {
            prepare(data, p, month, scope.as_of).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// Context of `superbill.md`.
#[derive(Debug, Clone, Serialize)]
pub struct SuperbillContext {
    /// The practice.
    pub practice: Option<PracticeCtx>,
    /// Providers who rendered the month's services.
    pub providers: Vec<ProviderCtx>,
    /// The patient.
    pub patient: PatientCtx,
    /// The coverage the patient claims against.
    pub coverage: Option<CoverageCtx>,
    /// "2026-11".
    pub month: String,
    /// Every diagnosis of the month, lettered for the lines' pointers.
    pub diagnoses: Vec<DiagnosisCtx>,
    /// Every service line of the month, in date order.
    pub lines: Vec<SuperbillLine>,
    /// Totals.
    pub totals: SuperbillTotals,
}

/// One line of the superbill.
#[derive(Debug, Clone, Serialize)]
pub struct SuperbillLine {
    /// The service line.
    #[serde(flatten)]
    pub service: ServiceCtx,
    /// Pointers re-lettered to the month's diagnosis list.
    pub month_pointers: String,
    /// Rendering provider's name and credentials.
    pub provider: String,
    /// Rendering provider's NPI.
    pub provider_npi: String,
}

/// Totals of the month.
#[derive(Debug, Clone, Serialize)]
pub struct SuperbillTotals {
    /// Sum of charges.
    pub charged: Money,
    /// Sum paid by the patient.
    pub paid: Money,
    /// Charged minus paid.
    pub balance: Money,
    /// Paid in full.
    pub paid_in_full: bool,
    /// Visits in the month.
    pub visits: usize,
}

/// Prepares the superbill of `rec` for `month` (any day of it); None when the month has no session.
pub fn prepare(
    data: &PracticeData,
    rec: &Record<Patient>,
    month: NaiveDate,
    as_of: NaiveDate,
) -> Option<Prepared> {
    let sessions: Vec<&Record<crate::model::Session>> = data
        .sessions_of(&rec.id)
        .filter(|s| crate::figures::in_month(s.data.date, month))
        .collect();
    let first = sessions.first()?;
    let coverage = data.coverage_of(&first.data);
    let mut diagnoses: Vec<DiagnosisCtx> = Vec::new();
    let mut lines = Vec::new();
    let mut providers: Vec<ProviderCtx> = Vec::new();
    let mut charged = 0i64;
    let mut paid = 0i64;
    for s in &sessions {
        let mut letters = Vec::new();
        for code in &s.data.diagnoses {
            let dotted = context::dotted(code);
            let index = match diagnoses.iter().position(|d| d.code == dotted) {
                Some(i) => i,
                None => {
                    diagnoses.push(DiagnosisCtx {
                        pointer: context::letter(diagnoses.len()),
                        code: dotted,
                        description: context::icd_description(&data.icd10, code, s.data.date),
                    });
                    diagnoses.len() - 1
                }
            };
            letters.push(context::letter(index));
        }
        let provider = data.provider_of(&s.data).map(ProviderCtx::from);
        if let Some(p) = &provider
            && !providers.iter().any(|x| x.id == p.id)
        {
            providers.push(p.clone());
        }
        for (svc, line) in s
            .data
            .services
            .iter()
            // An itemized statement of services lists every unit given, also those past the
            // plan's maximum minutes: the patient pays them all and claims from the plan.
            .zip(
                context::services_of(data, &s.data)
                    .into_iter()
                    .map(ServiceCtx::whole),
            )
        {
            charged += line.charge.map(Money::cents).unwrap_or(0);
            let month_pointers = svc
                .diagnosis_pointers
                .iter()
                .filter_map(|p| crate::rules::services::pointer_index(p))
                .filter_map(|i| letters.get(i).cloned())
                .collect::<Vec<_>>()
                .join(" ");
            lines.push(SuperbillLine {
                service: line,
                month_pointers,
                provider: provider
                    .as_ref()
                    .map(|p| format!("{}, {}", p.name, p.credentials))
                    .unwrap_or_default(),
                provider_npi: provider.as_ref().map(|p| p.npi.clone()).unwrap_or_default(),
            });
        }
        paid += s.data.paid.as_ref().map_or(0, |p| p.amount().cents());
    }
    let month_text = crate::figures::month_label(month);
    let title = format!("Superbill, {} - {month_text}", rec.data.full_name());
    let ctx = SuperbillContext {
        practice: data.practice().map(PracticeCtx::from),
        providers,
        patient: PatientCtx::new(rec),
        coverage: coverage.map(|c| CoverageCtx::new(data, &rec.data, c)),
        month: month_text.clone(),
        diagnoses,
        lines,
        totals: SuperbillTotals {
            charged: Money(charged),
            paid: Money(paid),
            balance: Money(charged - paid),
            paid_in_full: paid >= charged,
            visits: sessions.len(),
        },
    };
    let mut inputs = vec!["practice.yaml".to_string(), rec.file.clone()];
    inputs.extend(sessions.iter().map(|s| s.file.clone()));
    if let Some(p) = data.payer_of(&first.data) {
        inputs.push(p.file.clone());
    }
    let mut prepared = Prepared::template(
        Parts {
            kind: &KIND,
            name: format!("{}-{month_text}", rec.id),
            title,
            header: patient_header(&rec.data),
            source: rec.file.clone(),
            inputs,
        },
        as_of,
        &ctx,
    );
    prepared.findings = super::missing_visits(data, &rec.id, month);
    Some(prepared)
}
