//! The records as the letter cites them, and the sentences every argument shares: each built
//! from a field that exists, and absent when the field is.

use super::ctx::{
    AuthorizationCtx, ChecklistCtx, EpisodeCtx, PlanOfCareCtx, ReferralCtx, SessionEvidence,
    VerificationCtx,
};
use super::evidence::Evidence;
use super::progress::MeasureChange;
use crate::documents::context::DiagnosisCtx;
use crate::figures::trend::PainTrend;
use crate::load::PracticeData;
use chrono::NaiveDate;
use serde::Serialize;

/// The records of one denial in the form the letter prints them, computed once.
pub(super) struct Facts<'a> {
    /// The records themselves.
    pub(super) ev: &'a Evidence<'a>,
    /// The practice's data.
    pub(super) data: &'a PracticeData,
    /// The letter's date (`--as-of`).
    pub(super) as_of: NaiveDate,
    /// "Margaret Walsh".
    pub(super) patient_name: String,
    /// The referral.
    pub(super) referral: Option<ReferralCtx>,
    /// The plan of care.
    pub(super) plan: Option<PlanOfCareCtx>,
    /// The authorization.
    pub(super) authorization: Option<AuthorizationCtx>,
    /// How benefits were verified.
    pub(super) verification: Option<VerificationCtx>,
    /// Diagnoses of the denied sessions.
    pub(super) diagnoses: Vec<DiagnosisCtx>,
    /// The denied sessions.
    pub(super) sessions: Vec<SessionEvidence>,
    /// The span of the episode.
    pub(super) episode: EpisodeCtx,
    /// Pain across the episode.
    pub(super) pain: PainTrend,
    /// Measures across the episode.
    pub(super) measures: Vec<MeasureChange>,
    /// The goals.
    pub(super) goals: Vec<String>,
}

impl<'a> Facts<'a> {
    /// The facts of `ev`.
    pub(super) fn new(data: &'a PracticeData, ev: &'a Evidence<'a>, as_of: NaiveDate) -> Facts<'a> {
        Facts {
            ev,
            data,
            as_of,
            patient_name: ev.patient.data.full_name(),
            referral: ev.referral_ctx(data),
            plan: ev.plan_ctx(),
            authorization: ev.authorization_ctx(),
            verification: ev.verification_ctx(),
            diagnoses: ev.diagnoses(data),
            sessions: ev.sessions(data),
            episode: ev.episode_ctx(),
            pain: ev.pain_trend(),
            measures: ev.measures(),
            goals: ev.goals(),
        }
    }

    /// What clinical support the records hold, as counts and flags.
    pub(super) fn support(&self) -> Support {
        Support {
            referral: self.referral.is_some(),
            plan_of_care: self.plan.is_some(),
            plan_covers_denied_dates: self.plan.as_ref().is_some_and(|p| p.covers_denied_dates),
            diagnoses: self.diagnoses.len(),
            measures: self.measures.len(),
            pain_scores: self.pain.points.len(),
            goals: self.goals.len(),
        }
    }

    /// "The denied visits treated M54.50 (Low back pain, unspecified) and M62.830 (...)."
    pub(super) fn diagnoses_sentence(&self) -> Option<String> {
        if self.diagnoses.is_empty() {
            return None;
        }
        let each: Vec<String> = self
            .diagnoses
            .iter()
            .map(|d| {
                if d.description.is_empty() {
                    d.code.clone()
                } else {
                    format!("{} ({})", d.code, d.description)
                }
            })
            .collect();
        Some(format!("The denied visits treated {}.", and_list(&each)))
    }

    /// Who ordered the care: the referral, and the plan of care with the dates it covers.
    /// Nothing is said of an order the records do not hold.
    pub(super) fn order_sentences(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(r) = &self.referral {
            let mut s = format!(
                "{} (NPI {}) referred {} for this care on {}",
                r.provider, r.npi, self.patient_name, r.date
            );
            if !r.frequency.is_empty() {
                s.push_str(&format!(", ordering {}", r.frequency));
            }
            if let Some(v) = r.visits {
                s.push_str(&format!(" ({v} visits)"));
            }
            s.push('.');
            out.push(s);
        }
        if let Some(p) = &self.plan {
            let frequency = if p.frequency.is_empty() {
                String::new()
            } else {
                format!(", at {}", p.frequency)
            };
            out.push(if p.covers_denied_dates {
                format!(
                    "The denied visits fall within the plan of care that {} (NPI {}) certified on {} for {} to {}{frequency}.",
                    p.certified_by, p.npi, p.certified, p.start, p.end
                )
            } else {
                format!(
                    "The plan of care that {} (NPI {}) certified on {} covers {} to {}{frequency}.",
                    p.certified_by, p.npi, p.certified, p.start, p.end
                )
            });
        }
        out
    }

    /// One sentence per functional measure and one for pain, across the episode.
    pub(super) fn progress_sentences(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .measures
            .iter()
            .map(|m| format!("{}.", capitalized(&m.phrase)))
            .collect();
        if !self.pain.phrase.is_empty() {
            out.push(format!("{}.", capitalized(&self.pain.phrase)));
        }
        out
    }

    /// The frequency ordered: by the plan of care, else by the referral.
    pub(super) fn ordered_frequency(&self) -> Option<(String, String)> {
        if let Some(p) = self.plan.as_ref().filter(|p| !p.frequency.is_empty()) {
            return Some((
                p.frequency.clone(),
                format!("the plan of care {} certified", p.certified_by),
            ));
        }
        self.referral
            .as_ref()
            .filter(|r| !r.frequency.is_empty())
            .map(|r| {
                (
                    r.frequency.clone(),
                    format!("the referral from {}", r.provider),
                )
            })
    }

    /// The distinct denied dates, e.g. "2026-11-04 and 2026-11-06".
    pub(super) fn dates_text(&self) -> String {
        let dates: Vec<String> = self.ev.dates.iter().map(NaiveDate::to_string).collect();
        and_list(&dates)
    }

    /// The enclosures of the clinical record: the notes, the referral, the plan of care.
    pub(super) fn clinical_enclosures(&self) -> Vec<String> {
        let mut out = Vec::new();
        let e = &self.episode;
        match (e.first, e.last) {
            (Some(first), Some(last)) if e.visits > self.sessions.len() => out.push(format!(
                "SOAP notes of the {} visits from {first} to {last}, the denied ones included",
                e.visits
            )),
            _ if !self.sessions.is_empty() => {
                out.push(format!("SOAP notes of {}", self.dates_text()));
            }
            _ => {}
        }
        if let Some(r) = &self.referral {
            out.push(format!("Referral from {} dated {}", r.provider, r.date));
        }
        if let Some(p) = &self.plan {
            out.push(format!(
                "Plan of care certified by {} on {} ({} to {})",
                p.certified_by, p.certified, p.start, p.end
            ));
        }
        out
    }

    /// A checklist item about the patient's file.
    pub(super) fn in_patient_file(&self, field: &str, item: String) -> ChecklistCtx {
        ChecklistCtx {
            item,
            file: self.ev.patient_file().to_string(),
            field: field.to_string(),
        }
    }

    /// A checklist item about the first denied session's file, or the patient's without one.
    pub(super) fn in_session_file(&self, field: &str, item: String) -> ChecklistCtx {
        match self.ev.denied.first() {
            Some(s) => ChecklistCtx {
                item,
                file: s.file.clone(),
                field: field.to_string(),
            },
            None => self.in_patient_file("", item),
        }
    }

    /// The field path of the coverage, e.g. `coverages[0]`, or `coverages` without one.
    pub(super) fn coverage_field(&self, rest: &str) -> String {
        match self.ev.coverage {
            Some((i, _)) => format!("coverages[{i}].{rest}"),
            None => "coverages".to_string(),
        }
    }
}

/// What clinical support the records hold for an argument.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Support {
    /// A referral is on file.
    pub referral: bool,
    /// A plan of care is on file.
    pub plan_of_care: bool,
    /// It covers every denied date.
    pub plan_covers_denied_dates: bool,
    /// Diagnoses treated.
    pub diagnoses: usize,
    /// Functional measures compared.
    pub measures: usize,
    /// Visits with a pain score.
    pub pain_scores: usize,
    /// Measurable goals.
    pub goals: usize,
}

/// "a", "a and b", "a, b and c".
pub(super) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The text with its first letter in capitals.
pub(super) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
