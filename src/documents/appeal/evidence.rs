//! The records behind an appeal: the denied sessions and the episode of care they close, the
//! referral, plan of care and authorization that cover them, the coverage, and the claim's
//! history in the ledger. Gathered once; the arguments and the context read them from here.

use super::ctx::{
    AuthorizationCtx, EpisodeCtx, FirstSentCtx, PlanOfCareCtx, ReferralCtx, SessionEvidence,
    VerificationCtx,
};
use super::progress::{self, MeasureChange, Reading};
use crate::documents::context::{self, DiagnosisCtx, ServiceCtx};
use crate::figures::deadlines;
use crate::figures::trend::{self, PainPoint, PainTrend};
use crate::load::{PracticeData, Record};
use crate::model::patient::{PlanOfCare, VerificationMethod};
use crate::model::{
    Authorization, Coverage, Denial, LedgerStatus, Medium, Patient, Payer, Referral, Session,
};
use chrono::NaiveDate;

/// Everything the letter may cite, each piece present only when a record holds it.
pub(super) struct Evidence<'a> {
    /// The patient.
    pub(super) patient: &'a Record<Patient>,
    /// The denying payer.
    pub(super) payer: &'a Record<Payer>,
    /// The denial's file.
    pub(super) denial_file: String,
    /// The denied sessions on file, in date order.
    pub(super) denied: Vec<&'a Record<Session>>,
    /// Their distinct dates, in order.
    pub(super) dates: Vec<NaiveDate>,
    /// The denied sessions and the patient's earlier ones of the same course of care.
    pub(super) episode: Vec<&'a Record<Session>>,
    /// The coverage with the denying payer on the last date of service, and its index.
    pub(super) coverage: Option<(usize, &'a Coverage)>,
    /// The referral supporting the care.
    pub(super) referral: Option<&'a Referral>,
    /// The plan of care for the care.
    pub(super) plan_of_care: Option<&'a PlanOfCare>,
    /// The authorization for the care.
    pub(super) authorization: Option<&'a Authorization>,
    /// When the claim first went out.
    pub(super) first_sent: Option<FirstSentCtx>,
    /// The ledger and remittance files read.
    pub(super) other_files: Vec<String>,
    /// The remittance of the denial: its date and trace number.
    pub(super) remittance: Option<(Option<NaiveDate>, String)>,
}

impl<'a> Evidence<'a> {
    /// The evidence for the denial `rec`, whose patient and payer are given.
    pub(super) fn gather(
        data: &'a PracticeData,
        rec: &Record<Denial>,
        patient: &'a Record<Patient>,
        payer: &'a Record<Payer>,
    ) -> Evidence<'a> {
        let denial = &rec.data;
        let mut denied: Vec<&Record<Session>> = denial
            .sessions
            .iter()
            .filter_map(|id| data.session(id))
            .collect();
        denied.sort_by_key(|s| s.data.date);
        let mut dates: Vec<NaiveDate> = denied.iter().map(|s| s.data.date).collect();
        dates.dedup();
        let last = dates.last().copied().unwrap_or(denial.date);
        let p = &patient.data;
        let coverage = p.coverage_on(Some(&denial.payer), last).and_then(|c| {
            let index = p.coverages.iter().position(|x| std::ptr::eq(x, c))?;
            Some((index, c))
        });
        let referral = supporting_referral(p, &denied, last);
        let plan_of_care = plan_in_force(p, &dates);
        let authorization = covering_authorization(p, denial, &denied, last);
        let episode = episode(data, denial, &dates, plan_of_care, referral);
        let (first_sent, mut other_files) = first_sent(data, &denied, &dates, &payer.data);
        let remittance = remittance_of(data, denial).map(|(file, date, trace)| {
            other_files.push(file);
            (date, trace)
        });
        Evidence {
            patient,
            payer,
            denial_file: rec.file.clone(),
            denied,
            dates,
            episode,
            coverage,
            referral,
            plan_of_care,
            authorization,
            first_sent,
            other_files,
            remittance,
        }
    }

    /// The patient's file, where referrals, plans and authorizations are added.
    pub(super) fn patient_file(&self) -> &str {
        &self.patient.file
    }

    /// The procedure codes of the denied sessions, each once, in order.
    pub(super) fn codes(&self) -> Vec<&'a str> {
        let mut codes: Vec<&str> = Vec::new();
        for s in &self.denied {
            for svc in &s.data.services {
                if !codes.contains(&svc.code.as_str()) {
                    codes.push(svc.code.as_str());
                }
            }
        }
        codes
    }

    /// Whether the authorization is the denying payer's and covers every denied date and code.
    pub(super) fn authorization_covers(&self) -> bool {
        self.authorization.is_some_and(|a| {
            a.payer == self.payer.id
                && covers(a.start, a.end, &self.dates)
                && a.codes.as_ref().is_none_or(|codes| {
                    self.codes()
                        .iter()
                        .all(|c| codes.iter().any(|x| x.as_str() == *c))
                })
        })
    }

    /// Whether the plan of care covers every denied date.
    pub(super) fn plan_covers(&self) -> bool {
        self.plan_of_care
            .is_some_and(|p| covers(p.start, p.end, &self.dates))
    }

    /// The referral as the letter cites it; its diagnoses are described as of its date.
    pub(super) fn referral_ctx(&self, data: &PracticeData) -> Option<ReferralCtx> {
        let r = self.referral?;
        let who = &r.referring_provider;
        Some(ReferralCtx {
            id: r.id.clone(),
            provider: format!("{} {}, {}", who.first_name, who.last_name, who.credentials),
            npi: who.npi.to_string(),
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
        })
    }

    /// The plan of care as the letter cites it.
    pub(super) fn plan_ctx(&self) -> Option<PlanOfCareCtx> {
        let p = self.plan_of_care?;
        let who = &p.certified_by;
        Some(PlanOfCareCtx {
            id: p.id.clone(),
            certified_by: format!("{} {}, {}", who.first_name, who.last_name, who.credentials),
            npi: who.npi.to_string(),
            certified: p.certified,
            start: p.start,
            end: p.end,
            frequency: p.frequency.clone().unwrap_or_default(),
            goals: p.goals.clone(),
            covers_denied_dates: self.plan_covers(),
        })
    }

    /// The authorization as the letter cites it.
    pub(super) fn authorization_ctx(&self) -> Option<AuthorizationCtx> {
        let a = self.authorization?;
        Some(AuthorizationCtx {
            number: a.number.clone(),
            start: a.start,
            end: a.end,
            visits: a.visits,
            codes: a
                .codes
                .as_ref()
                .map(|c| c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))
                .unwrap_or_else(|| "all codes".to_string()),
            covers_denied_services: self.authorization_covers(),
        })
    }

    /// How the coverage's benefits were verified, when the file says.
    pub(super) fn verification_ctx(&self) -> Option<VerificationCtx> {
        let v = self.coverage?.1.verification.as_ref()?;
        Some(VerificationCtx {
            date: v.date,
            method: match v.method {
                VerificationMethod::Phone => "by phone",
                VerificationMethod::Portal => "on the payer's portal",
                VerificationMethod::EligibilityResponse => "by an electronic eligibility response",
            },
            reference: v.reference.clone(),
            representative: v.representative.clone(),
        })
    }

    /// Diagnoses of the denied sessions without repeats, in first-seen order.
    pub(super) fn diagnoses(&self, data: &PracticeData) -> Vec<DiagnosisCtx> {
        let mut diagnoses: Vec<DiagnosisCtx> = Vec::new();
        for s in &self.denied {
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

    /// The denied sessions as the letter lists them.
    pub(super) fn sessions(&self, data: &PracticeData) -> Vec<SessionEvidence> {
        self.denied
            .iter()
            .map(|s| session_evidence(data, s))
            .collect()
    }

    /// The span of the episode.
    pub(super) fn episode_ctx(&self) -> EpisodeCtx {
        EpisodeCtx {
            first: self.episode.first().map(|s| s.data.date),
            last: self.episode.last().map(|s| s.data.date),
            visits: self.episode.len(),
        }
    }

    /// Pain across the episode.
    pub(super) fn pain_trend(&self) -> PainTrend {
        trend::pain_trend(
            self.episode
                .iter()
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

    /// The first and latest value of each measure across the episode.
    pub(super) fn measures(&self) -> Vec<MeasureChange> {
        progress::changes(
            self.episode
                .iter()
                .flat_map(|s| {
                    s.data.measures.iter().map(|m| Reading {
                        date: s.data.date,
                        name: &m.name,
                        value: m.value,
                        unit: m.unit.as_deref(),
                    })
                })
                .collect(),
        )
    }

    /// The plan of care's goals, else those of the latest visit of the episode that set any.
    pub(super) fn goals(&self) -> Vec<String> {
        if let Some(p) = self.plan_of_care.filter(|p| !p.goals.is_empty()) {
            return p.goals.clone();
        }
        self.episode
            .iter()
            .rfind(|s| !s.data.goals.is_empty())
            .map(|s| s.data.goals.clone())
            .unwrap_or_default()
    }

    /// Every file the letter's content depends on besides the ones that refuse it.
    pub(super) fn depends(&self) -> Vec<String> {
        let mut files: Vec<String> = self.episode.iter().map(|s| s.file.clone()).collect();
        files.extend(self.other_files.iter().cloned());
        files
    }
}

/// True when every date lies within `start..=end`.
fn covers(start: NaiveDate, end: NaiveDate, dates: &[NaiveDate]) -> bool {
    !dates.is_empty() && dates.iter().all(|d| start <= *d && *d <= end)
}

/// The referral a denied session names, else the patient's latest one dated by the last
/// date of service.
fn supporting_referral<'a>(
    patient: &'a Patient,
    sessions: &[&Record<Session>],
    last: NaiveDate,
) -> Option<&'a Referral> {
    sessions
        .iter()
        .find_map(|s| s.data.referral.as_ref())
        .and_then(|id| patient.referrals.iter().find(|r| &r.id == id))
        .or_else(|| {
            patient
                .referrals
                .iter()
                .filter(|r| r.date <= last)
                .max_by_key(|r| r.date)
        })
}

/// The plan of care that covers every denied date, else the latest that started by the last
/// one (cited with its own dates, so the reviewer sees what it covers).
fn plan_in_force<'a>(patient: &'a Patient, dates: &[NaiveDate]) -> Option<&'a PlanOfCare> {
    let last = *dates.last()?;
    patient
        .plans_of_care
        .iter()
        .filter(|p| p.start <= last)
        .max_by_key(|p| (covers(p.start, p.end, dates), p.start))
}

/// The authorization a denied session names, else the latest one from the denying payer that
/// started by the last date of service.
fn covering_authorization<'a>(
    patient: &'a Patient,
    denial: &Denial,
    sessions: &[&Record<Session>],
    last: NaiveDate,
) -> Option<&'a Authorization> {
    sessions
        .iter()
        .find_map(|s| s.data.authorization.as_ref())
        .and_then(|n| patient.authorizations.iter().find(|a| &a.number == n))
        .or_else(|| {
            patient
                .authorizations
                .iter()
                .filter(|a| a.payer == denial.payer && a.start <= last)
                .max_by_key(|a| a.start)
        })
}

/// The denied sessions and the patient's sessions before them, from the start of the plan of
/// care (else the referral's date): the course of care a reviewer judges. Without either, every
/// earlier session counts.
fn episode<'a>(
    data: &'a PracticeData,
    denial: &Denial,
    dates: &[NaiveDate],
    plan: Option<&PlanOfCare>,
    referral: Option<&Referral>,
) -> Vec<&'a Record<Session>> {
    let (Some(first), Some(last)) = (dates.first(), dates.last()) else {
        return Vec::new();
    };
    let from = plan
        .map(|p| p.start)
        .or(referral.map(|r| r.date))
        .map(|d| d.min(*first));
    let mut sessions: Vec<&Record<Session>> = data
        .sessions_of(&denial.patient)
        .filter(|s| s.data.date <= *last && from.is_none_or(|f| s.data.date >= f))
        .collect();
    sessions.sort_by_key(|s| s.data.date);
    sessions
}

/// When the claim first went out: the earliest sent claim in the ledger carrying a denied
/// session, else the earliest `billed` date of those sessions (billed outside claimwright);
/// with the ledger files read.
fn first_sent(
    data: &PracticeData,
    denied: &[&Record<Session>],
    dates: &[NaiveDate],
    payer: &Payer,
) -> (Option<FirstSentCtx>, Vec<String>) {
    let earliest = dates.first().copied();
    let carries = |c: &crate::model::ClaimRecord| {
        c.lines
            .iter()
            .any(|l| denied.iter().any(|s| s.id == l.session))
    };
    let sent = data
        .claims
        .values()
        .filter(|c| c.data.status == LedgerStatus::Sent && carries(&c.data))
        .filter_map(|c| c.data.sent.map(|d| (d, c)))
        .min_by_key(|(d, c)| (*d, c.id.clone()));
    let window = |date: NaiveDate, earliest: NaiveDate| {
        let deadline = deadlines::deadline(earliest, payer.timely_filing_days);
        (deadline, date <= deadline)
    };
    if let (Some((date, rec)), Some(earliest)) = (sent, earliest) {
        let (deadline, on_time) = window(date, earliest);
        let ctx = FirstSentCtx {
            date,
            claim_id: rec.data.claim_id.clone(),
            medium: match rec.data.medium {
                Medium::Paper => "paper",
                Medium::X837p => "837p",
            },
            interchange: rec
                .data
                .interchange
                .map(|n| format!("{n:09}"))
                .unwrap_or_default(),
            filing_days: payer.timely_filing_days,
            earliest_service: earliest,
            filing_deadline: deadline,
            on_time,
        };
        return (Some(ctx), vec![rec.file.clone()]);
    }
    let billed = denied.iter().filter_map(|s| s.data.billed).min();
    let ctx = billed.zip(earliest).map(|(date, earliest)| {
        let (deadline, on_time) = window(date, earliest);
        FirstSentCtx {
            date,
            claim_id: String::new(),
            medium: "outside",
            interchange: String::new(),
            filing_days: payer.timely_filing_days,
            earliest_service: earliest,
            filing_deadline: deadline,
            on_time,
        }
    });
    (ctx, Vec::new())
}

/// The imported remittance that answered the denied claim: its file, date and trace number.
fn remittance_of(
    data: &PracticeData,
    denial: &Denial,
) -> Option<(String, Option<NaiveDate>, String)> {
    data.remittances
        .values()
        .filter(|r| {
            r.data
                .claims
                .iter()
                .any(|c| c.payer_claim_number == denial.claim_number)
        })
        .min_by_key(|r| (r.data.date != Some(denial.date), r.data.date))
        .map(|r| (r.file.clone(), r.data.date, r.data.trace.clone()))
}

/// One denied session with what it billed and what the notes document.
fn session_evidence(data: &PracticeData, s: &Record<Session>) -> SessionEvidence {
    let services = context::services_of(data, &s.data);
    SessionEvidence {
        id: s.id.clone(),
        date: s.data.date,
        services: services_line(&services),
        timed: timed_line(&services),
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

/// "97124 30 min (2 units, GP), 97110 8 min (1 unit)": minutes, the units they earned and
/// the modifiers billed.
fn timed_line(services: &[ServiceCtx]) -> String {
    services
        .iter()
        .map(|x| {
            let units = if x.units == 1 { "unit" } else { "units" };
            let modifiers = if x.modifiers.is_empty() {
                String::new()
            } else {
                format!(", {}", x.modifiers)
            };
            format!(
                "{} {} min ({} {units}{modifiers})",
                x.code, x.minutes, x.units
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}
