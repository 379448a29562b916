//! The appeal letter for one denial (or, when the denial calls for it, the list of what to
//! correct before resubmitting), with the evidence assembled from the records.

use super::context::{
    self, AddressCtx, CoverageCtx, DiagnosisCtx, PatientCtx, PracticeCtx, ProviderCtx,
};
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, patient_header, screen};
use crate::codes::carc::{self, Action};
use crate::figures::deadlines;
use crate::figures::trend::{self, PainPoint, PainTrend};
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::{Denial, Money};
use chrono::NaiveDate;
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
        builtin: include_str!("../../templates/appeal.md"),
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
    pub billed: String,
    /// Amount paid.
    pub paid: String,
    /// Billed minus paid.
    pub unpaid: String,
    /// The adjustments this letter appeals (reason codes answered by an appeal).
    pub disputed: String,
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
    pub amount: String,
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
    let d = &rec.data;
    let patient = data.patients.get(&d.patient)?;
    let payer = data.payers.get(&d.payer)?;
    let deadline = deadlines::deadline(d.date, payer.data.appeal_window_days);
    let days_left = deadlines::days_left(deadline, as_of);

    let sessions: Vec<&Record<crate::model::Session>> = d
        .sessions
        .iter()
        .filter_map(|id| data.session(id))
        .collect();
    let latest = sessions.iter().max_by_key(|s| s.data.date);
    let provider = latest
        .and_then(|s| data.provider_of(&s.data))
        .or_else(|| data.practice().and_then(|p| p.providers.first()));

    // Diagnoses of the denied sessions, in first-seen order.
    let mut diagnoses: Vec<DiagnosisCtx> = Vec::new();
    for s in &sessions {
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

    let referral = sessions
        .iter()
        .find_map(|s| s.data.referral.as_ref())
        .and_then(|id| patient.data.referrals.iter().find(|r| &r.id == id))
        .or_else(|| {
            patient
                .data
                .referrals
                .iter()
                .filter(|r| r.date <= d.date)
                .max_by_key(|r| r.date)
        })
        .map(|r| ReferralCtx {
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
        });
    let authorization = sessions
        .iter()
        .find_map(|s| s.data.authorization.as_ref())
        .and_then(|n| patient.data.authorizations.iter().find(|a| &a.number == n))
        .or_else(|| {
            patient
                .data
                .authorizations
                .iter()
                .filter(|a| a.payer == d.payer && a.start <= d.date)
                .max_by_key(|a| a.start)
        })
        .map(|a| AuthorizationCtx {
            number: a.number.clone(),
            start: a.start,
            end: a.end,
            visits: a.visits,
            codes: a
                .codes
                .as_ref()
                .map(|c| c.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))
                .unwrap_or_else(|| "all codes".to_string()),
        });

    let pain_trend = trend::pain_trend(
        data.sessions_of(&d.patient)
            .filter(|s| s.data.date <= d.date)
            .filter_map(|s| {
                s.data.pain.map(|p| PainPoint {
                    date: s.data.date,
                    before: p.before,
                    after: p.after,
                })
            })
            .collect(),
    );
    let goals = data
        .sessions_of(&d.patient)
        .rfind(|s| s.data.date <= d.date && !s.data.goals.is_empty())
        .map(|s| s.data.goals.clone())
        .unwrap_or_default();

    let evidence: Vec<SessionEvidence> = sessions
        .iter()
        .map(|s| {
            let services = context::services_of(data, &s.data);
            SessionEvidence {
                id: s.id.clone(),
                date: s.data.date,
                services: services
                    .iter()
                    .map(|x| {
                        if x.modifiers.is_empty() {
                            format!("{} x {}", x.code, x.units)
                        } else {
                            format!("{} x {} ({})", x.code, x.units, x.modifiers)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
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
        })
        .collect();

    let service_date = sessions.iter().map(|s| s.data.date).max().unwrap_or(d.date);
    let coverage = patient.data.coverage_on(Some(&d.payer), service_date);
    let values = fill_values(
        data,
        referral.as_ref(),
        authorization.as_ref(),
        &diagnoses,
        &pain_trend,
        coverage,
        payer,
        d,
    );
    let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let mut arguments = Vec::new();
    let mut corrections = Vec::new();
    let mut other_reasons = Vec::new();
    let mut enclosures: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for adj in &d.adjustments {
        let label = format!("{}-{}", adj.group.as_str(), adj.reason);
        if seen.contains(&label) {
            continue;
        }
        seen.push(label.clone());
        let Some(c) = carc::lookup(adj.reason.as_str()) else {
            other_reasons.push(ArgumentCtx {
                label,
                meaning: "a reason code claimwright has no guidance for".to_string(),
                argument: "Look the code up on the remittance and answer it directly.".to_string(),
                enclosures: vec![],
            });
            continue;
        };
        let filled: Vec<String> = c
            .enclosures
            .iter()
            .map(|e| carc::fill(e, &values))
            .collect();
        match c.action {
            Action::Appeal => {
                for e in &filled {
                    if !enclosures.contains(e) {
                        enclosures.push(e.clone());
                    }
                }
                arguments.push(ArgumentCtx {
                    label,
                    meaning: c.meaning.to_string(),
                    argument: carc::fill(c.argument, &values),
                    enclosures: filled,
                });
            }
            Action::CorrectedClaim => corrections.push(CorrectionCtx {
                label,
                meaning: c.meaning.to_string(),
                items: c
                    .corrections
                    .iter()
                    .map(|x| carc::fill(x, &values))
                    .collect(),
            }),
            _ => other_reasons.push(ArgumentCtx {
                label,
                meaning: c.meaning.to_string(),
                argument: carc::fill(c.argument, &values),
                enclosures: filled,
            }),
        }
    }
    if !arguments.is_empty() {
        let eob = "Copy of the Explanation of Benefits or remittance advice".to_string();
        if !enclosures.contains(&eob) {
            enclosures.push(eob);
        }
    }
    let mode = match (arguments.is_empty(), corrections.is_empty()) {
        (false, true) => "appeal",
        (true, false) => "corrected_claim",
        (false, false) => "mixed",
        (true, true) => "appeal",
    };

    let unpaid = Money(d.billed.cents() - d.paid.cents());
    let mut dates: Vec<NaiveDate> = sessions.iter().map(|s| s.data.date).collect();
    dates.sort();
    dates.dedup();
    let title = format!(
        "Appeal of claim {} for {}",
        d.claim_number,
        patient.data.full_name()
    );
    let ctx = AppealContext {
        practice: data.practice().map(PracticeCtx::from),
        payer: PayerCtx {
            name: payer.data.name.clone(),
            appeals_address: payer.data.appeals_address().into(),
            appeal_window_days: payer.data.appeal_window_days,
        },
        patient: PatientCtx::new(patient),
        coverage: coverage.map(|c| CoverageCtx::new(data, &patient.data, c)),
        provider: provider.map(ProviderCtx::from),
        denial: DenialCtx {
            id: rec.id.clone(),
            claim_number: d.claim_number.clone(),
            date: d.date,
            billed: d.billed.to_string(),
            paid: d.paid.to_string(),
            unpaid: unpaid.to_string(),
            disputed: Money(
                d.adjustments
                    .iter()
                    .filter(|a| {
                        carc::lookup(a.reason.as_str()).is_some_and(|c| c.action == Action::Appeal)
                    })
                    .map(|a| a.amount.cents())
                    .sum(),
            )
            .to_string(),
            dates_of_service: dates
                .iter()
                .map(NaiveDate::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            deadline,
            days_left,
            adjustments: d
                .adjustments
                .iter()
                .map(|a| AdjustmentCtx {
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
                    amount: a.amount.to_string(),
                    service: a
                        .service
                        .as_ref()
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                })
                .collect(),
            notes: d.notes.clone().unwrap_or_default(),
        },
        mode,
        arguments,
        corrections,
        other_reasons,
        referral,
        authorization,
        sessions: evidence,
        diagnoses,
        pain_trend,
        goals,
        enclosures,
    };
    let mut inputs = vec![
        "practice.yaml".to_string(),
        rec.file.clone(),
        patient.file.clone(),
        payer.file.clone(),
    ];
    inputs.extend(sessions.iter().map(|s| s.file.clone()));
    let history = data
        .sessions_of(&d.patient)
        .filter(|s| s.data.date <= d.date)
        .map(|s| s.file.clone());
    let mut prepared = Prepared::template(
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
    )
    .depending_on(history);
    if days_left < 0 {
        prepared.findings.push(
            Finding::error(
                "appeal.late",
                &rec.file,
                format!(
                    "the appeal window of {} days from the denial on {} closed on {deadline}: the payer will not hear a late appeal; check the contract for a reopening or reconsideration path",
                    payer.data.appeal_window_days, d.date
                ),
            )
            .at("date"),
        );
    }
    Some(prepared)
}

/// Values for the placeholders of the reason-code texts.
#[allow(clippy::too_many_arguments)]
fn fill_values(
    data: &PracticeData,
    referral: Option<&ReferralCtx>,
    authorization: Option<&AuthorizationCtx>,
    diagnoses: &[DiagnosisCtx],
    trend: &PainTrend,
    coverage: Option<&crate::model::Coverage>,
    payer: &Record<crate::model::Payer>,
    d: &Denial,
) -> Vec<(&'static str, String)> {
    let mut v = Vec::new();
    if let Some(r) = referral {
        let dx = r
            .diagnoses
            .iter()
            .map(|x| x.code.clone())
            .collect::<Vec<_>>()
            .join(", ");
        let mut text = format!(
            "the referral from {} (NPI {}) dated {}",
            r.provider, r.npi, r.date
        );
        if !dx.is_empty() {
            text.push_str(&format!(" for {dx}"));
        }
        if !r.frequency.is_empty() {
            text.push_str(&format!(", ordering {}", r.frequency));
        }
        v.push(("referral", text));
        v.push(("referral_date", r.date.to_string()));
    }
    if !diagnoses.is_empty() {
        v.push((
            "diagnoses",
            diagnoses
                .iter()
                .map(|x| {
                    if x.description.is_empty() {
                        x.code.clone()
                    } else {
                        format!("{} ({})", x.code, x.description)
                    }
                })
                .collect::<Vec<_>>()
                .join("; "),
        ));
    }
    if trend.first_before.is_some() {
        v.push(("pain_trend", trend.phrase.clone()));
    }
    if let Some(a) = authorization {
        let visits = a
            .visits
            .map(|n| format!(" for {n} visits"))
            .unwrap_or_default();
        v.push((
            "authorization",
            format!(
                "authorization {} valid {} to {}{visits}",
                a.number, a.start, a.end
            ),
        ));
    }
    if let Some(c) = coverage {
        let b = &c.benefits;
        let dates = d
            .sessions
            .iter()
            .filter_map(|id| data.session(id))
            .map(|s| s.data.date)
            .max()
            .unwrap_or(d.date);
        let (_, count) = crate::figures::visits::plan_year(
            b,
            dates,
            c.used_before_anchor(dates),
            data.sessions_of(&d.patient)
                .filter(|s| {
                    data.coverage_of(&s.data)
                        .is_some_and(|x| x.payer == c.payer)
                })
                .map(|s| s.data.date),
        );
        let text = match count.allowed {
            Some(a) => format!(
                "{} of the {a} visits the plan allows this plan year",
                count.used
            ),
            None => format!(
                "{} visits this plan year, with no visit limit in the plan",
                count.used
            ),
        };
        v.push(("visits", text));
    }
    v.push(("claim_number", d.claim_number.clone()));
    v.push((
        "units_rule",
        match payer.data.unit_rule {
            crate::rules::units::UnitRule::Cms8Minute => "the CMS 8-minute rule",
            crate::rules::units::UnitRule::SubstantialPortion => {
                "the CPT midpoint rule applied to each code"
            }
            crate::rules::units::UnitRule::Full15 => "a unit per full 15 minutes of each code",
        }
        .to_string(),
    ));
    v
}
