//! The record behind an appeal: the denied sessions and their diagnoses, the referral and
//! authorization that cover them, and the patient's pain trend and goals up to the denial.

use super::{AuthorizationCtx, ReferralCtx, SessionEvidence};
use crate::documents::context::{self, DiagnosisCtx, ServiceCtx};
use crate::figures::trend::{self, PainPoint, PainTrend};
use crate::load::{PracticeData, Record};
use crate::model::{Authorization, Denial, Patient, Referral, Session};
use chrono::NaiveDate;

/// Everything the letter cites from the records, gathered once for the context and for the
/// placeholder values of the reason-code texts.
pub(super) struct Evidence {
    /// The referral supporting the services.
    pub(super) referral: Option<ReferralCtx>,
    /// The authorization covering the services.
    pub(super) authorization: Option<AuthorizationCtx>,
    /// Diagnoses of the denied sessions, in first-seen order.
    pub(super) diagnoses: Vec<DiagnosisCtx>,
    /// The denied sessions as evidence.
    pub(super) sessions: Vec<SessionEvidence>,
    /// Pain across the patient's sessions up to the denial.
    pub(super) pain_trend: PainTrend,
    /// Goals of the latest session up to the denial that set any.
    pub(super) goals: Vec<String>,
}

impl Evidence {
    /// The evidence for `denial` of `patient`, whose denied sessions are `sessions`.
    pub(super) fn gather(
        data: &PracticeData,
        patient: &Patient,
        denial: &Denial,
        sessions: &[&Record<Session>],
    ) -> Evidence {
        Evidence {
            referral: supporting_referral(patient, denial, sessions)
                .map(|r| referral_evidence(data, r)),
            authorization: covering_authorization(patient, denial, sessions)
                .map(authorization_evidence),
            diagnoses: diagnoses_of(data, sessions),
            sessions: sessions.iter().map(|s| session_evidence(data, s)).collect(),
            pain_trend: pain_trend_until(data, denial),
            goals: latest_goals(data, denial),
        }
    }
}

/// The denied sessions that exist in the practice, in the denial's order.
pub(super) fn denied_sessions<'a>(
    data: &'a PracticeData,
    denial: &Denial,
) -> Vec<&'a Record<Session>> {
    denial
        .sessions
        .iter()
        .filter_map(|id| data.session(id))
        .collect()
}

/// The date of the latest denied session; the denial's own date when none is on file.
pub(super) fn last_service_date(sessions: &[&Record<Session>], denial: &Denial) -> NaiveDate {
    sessions
        .iter()
        .map(|s| s.data.date)
        .max()
        .unwrap_or(denial.date)
}

/// Diagnoses of `sessions` without repeats; pointer letters follow first appearance.
fn diagnoses_of(data: &PracticeData, sessions: &[&Record<Session>]) -> Vec<DiagnosisCtx> {
    let mut diagnoses: Vec<DiagnosisCtx> = Vec::new();
    for s in sessions {
        for code in &s.data.diagnoses {
            let dotted = context::dotted(code);
            if !diagnoses.iter().any(|x| x.code == dotted) {
                diagnoses.push(DiagnosisCtx {
                    pointer: context::letter(diagnoses.len()),
                    code: dotted,
                    description: context::icd_description(&data.icd10, code, s.data.date),
                });
            }
        }
    }
    diagnoses
}

/// The referral a denied session names, else the patient's latest one up to the denial.
fn supporting_referral<'a>(
    patient: &'a Patient,
    denial: &Denial,
    sessions: &[&Record<Session>],
) -> Option<&'a Referral> {
    sessions
        .iter()
        .find_map(|s| s.data.referral.as_ref())
        .and_then(|id| patient.referrals.iter().find(|r| &r.id == id))
        .or_else(|| {
            patient
                .referrals
                .iter()
                .filter(|r| r.date <= denial.date)
                .max_by_key(|r| r.date)
        })
}

/// A referral as the letter cites it; its diagnoses are described as of the referral's date.
fn referral_evidence(data: &PracticeData, r: &Referral) -> ReferralCtx {
    ReferralCtx {
        id: r.id.clone(),
        provider: format!(
            "{} {}, {}",
            r.referring_provider.first_name,
            r.referring_provider.last_name,
            r.referring_provider.credentials
        ),
        npi: r.referring_provider.npi.to_string(),
        date: r.date,
        expires: r.expires,
        diagnoses: r
            .diagnoses
            .iter()
            .enumerate()
            .map(|(i, c)| DiagnosisCtx {
                pointer: context::letter(i),
                code: context::dotted(c),
                description: context::icd_description(&data.icd10, c, r.date),
            })
            .collect(),
        frequency: r.frequency.clone().unwrap_or_default(),
        visits: r.visits,
    }
}

/// The authorization a denied session names, else the latest one from the denying payer that
/// started by the denial.
fn covering_authorization<'a>(
    patient: &'a Patient,
    denial: &Denial,
    sessions: &[&Record<Session>],
) -> Option<&'a Authorization> {
    sessions
        .iter()
        .find_map(|s| s.data.authorization.as_ref())
        .and_then(|n| patient.authorizations.iter().find(|a| &a.number == n))
        .or_else(|| {
            patient
                .authorizations
                .iter()
                .filter(|a| a.payer == denial.payer && a.start <= denial.date)
                .max_by_key(|a| a.start)
        })
}

/// An authorization as the letter cites it.
fn authorization_evidence(a: &Authorization) -> AuthorizationCtx {
    AuthorizationCtx {
        number: a.number.clone(),
        start: a.start,
        end: a.end,
        visits: a.visits,
        codes: a
            .codes
            .as_ref()
            .map(|c| c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))
            .unwrap_or_else(|| "all codes".to_string()),
    }
}

/// One denied session with what it billed and what the notes document.
fn session_evidence(data: &PracticeData, s: &Record<Session>) -> SessionEvidence {
    SessionEvidence {
        id: s.id.clone(),
        date: s.data.date,
        services: services_line(&context::services_of(data, &s.data)),
        minutes: s
            .data
            .services
            .iter()
            .fold(0u32, |acc, x| acc.saturating_add(x.minutes)),
        pain_before: s.data.pain.map(|p| p.before),
        pain_after: s.data.pain.map(|p| p.after),
        objective: s.data.soap.objective.clone().unwrap_or_default(),
        assessment: s.data.soap.assessment.clone().unwrap_or_default(),
    }
}

/// "97124 x 3 (GP), 97140 x 1 (GP 59)": codes with units, and modifiers when there are any.
fn services_line(services: &[ServiceCtx]) -> String {
    services
        .iter()
        .map(|x| {
            if x.modifiers.is_empty() {
                format!("{} x {}", x.code, x.units)
            } else {
                format!("{} x {} ({})", x.code, x.units, x.modifiers)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The pain trend over every session of the patient up to the denial, not only the denied
/// ones: the reviewer judges necessity by the course of care.
fn pain_trend_until(data: &PracticeData, denial: &Denial) -> PainTrend {
    trend::pain_trend(
        data.sessions_of(&denial.patient)
            .filter(|s| s.data.date <= denial.date)
            .filter_map(|s| {
                s.data.pain.map(|p| PainPoint {
                    date: s.data.date,
                    before: p.before,
                    after: p.after,
                })
            })
            .collect(),
    )
}

/// The goals of the latest session up to the denial that records any.
fn latest_goals(data: &PracticeData, denial: &Denial) -> Vec<String> {
    data.sessions_of(&denial.patient)
        .rfind(|s| s.data.date <= denial.date && !s.data.goals.is_empty())
        .map(|s| s.data.goals.clone())
        .unwrap_or_default()
}
