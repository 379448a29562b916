//! The claims ledger against the records: which service lines are billed already (sent on a
//! claim, answered by a denial, or billed before the practice used claimwright), ledger
//! records naming what does not exist, and sessions edited after their claim was sent.

use crate::figures::lines;
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::remittance::{RemittanceRecord, RemittedClaim, RemittedLine};
use crate::model::{ClaimRecord, LedgerStatus, Session};

/// Why a service line is not billed again as a new claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Billed {
    /// It went out on this sent claim of the ledger.
    Ledger(String),
    /// A denial names its session: it was evidently sent and answered.
    Denial(String),
    /// The session says it was billed on this date, outside claimwright.
    Outside(chrono::NaiveDate),
}

impl Billed {
    /// How the reason reads in a message.
    pub fn describe(&self) -> String {
        match self {
            Billed::Ledger(id) => format!("sent on claim {id}"),
            Billed::Denial(id) => format!("answered by denial {id}"),
            Billed::Outside(date) => format!("billed on {date} outside claimwright"),
        }
    }
}

/// Whether service `index` of `session` is billed already, and how.
pub fn already_billed(
    data: &PracticeData,
    session: &Record<Session>,
    index: usize,
) -> Option<Billed> {
    if let Some(claim) = data.sent_claim_of(&session.id, index) {
        return Some(Billed::Ledger(claim.data.claim_id.clone()));
    }
    if let Some(date) = session.data.billed {
        return Some(Billed::Outside(date));
    }
    data.denials
        .values()
        .find(|d| d.data.sessions.iter().any(|s| s == &session.id))
        .map(|d| Billed::Denial(d.id.clone()))
}

/// The latest answer of a remittance to service `index` of `session` from `payer` (any payer
/// when None), unless that answer was a reversal: (remittance, claim, line).
pub fn answered_line<'a>(
    data: &'a PracticeData,
    session: &str,
    index: usize,
    payer: Option<&str>,
) -> Option<(&'a RemittanceRecord, &'a RemittedClaim, &'a RemittedLine)> {
    // The latest answer wins: by remittance date and trace, then by place in the file.
    type Answer<'a> = (&'a RemittanceRecord, &'a RemittedClaim, &'a RemittedLine);
    type Order<'a> = (Option<chrono::NaiveDate>, &'a str, usize);
    let mut found: Option<(Order<'a>, Answer<'a>)> = None;
    for r in data.remittances.values().map(|r| &r.data) {
        if payer.is_some_and(|p| r.payer.as_deref() != Some(p)) {
            continue;
        }
        let lines = r
            .claims
            .iter()
            .flat_map(|c| c.lines.iter().map(move |l| (c, l)));
        for (place, (c, l)) in lines.enumerate() {
            if l.session.as_deref() != Some(session) || l.service_index != Some(index) {
                continue;
            }
            let key = (r.date, r.trace.as_str(), place);
            if found.as_ref().is_none_or(|(best, _)| key > *best) {
                found = Some((key, (r, c, l)));
            }
        }
    }
    let (_, (r, c, l)) = found?;
    (c.status != "22").then_some((r, c, l))
}

/// Whether a sent claim to `payer` carries service `index` of `session` (voids aside).
pub fn billed_to(data: &PracticeData, session: &str, index: usize, payer: &str) -> bool {
    data.claims.values().any(|c| {
        c.data.status == LedgerStatus::Sent
            && c.data.payer == payer
            && c.data.frequency != crate::model::Frequency::Void
            && c.data
                .lines
                .iter()
                .any(|l| l.session == session && l.service_index == index)
    })
}

/// Findings about the ledger: records naming a patient, payer or session that does not
/// exist, and sessions whose billed lines changed after their claim was sent.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    for claim in data.claims.values() {
        check_references(data, claim, findings);
    }
    for s in &data.sessions {
        check_changed(data, s, findings);
        check_primary_first(data, s, findings);
    }
}

/// A visit billed to a secondary coverage while the primary in force has not answered it:
/// the secondary pays only after the primary, on the primary's decision.
fn check_primary_first(data: &PracticeData, s: &Record<Session>, findings: &mut Vec<Finding>) {
    let Some(billed) = data.coverage_of(&s.data) else {
        return;
    };
    // An inactive coverage is its own finding (coverage.inactive).
    if s.data.coverage.is_none()
        || billed.priority != crate::model::patient::Priority::Secondary
        || !billed.active_on(s.data.date)
    {
        return;
    }
    let Some(patient) = data.patient_of(&s.data) else {
        return;
    };
    let Some(primary) = patient.data.coverages.iter().find(|c| {
        c.priority == crate::model::patient::Priority::Primary
            && c.payer != billed.payer
            && c.active_on(s.data.date)
    }) else {
        return;
    };
    // A primary that cannot take this provider's claims at all (Original Medicare and a
    // massage therapist) will never answer: the secondary is billed as the first payer.
    if super::coverage::provider_excluded(data, &s.data, &primary.payer) {
        return;
    }
    let answered = (0..s.data.services.len())
        .any(|i| answered_line(data, &s.id, i, Some(&primary.payer)).is_some());
    if !answered {
        findings.push(
            Finding::error(
                "coverage.primary_pending",
                &s.file,
                format!(
                    "this visit bills the secondary coverage, but the primary ({}) has not answered it: bill {} first; once its remittance is imported, `claims prepare` bills the secondary what is left",
                    primary.payer, primary.payer
                ),
            )
            .at("coverage"),
        );
    }
}

fn check_references(data: &PracticeData, claim: &Record<ClaimRecord>, findings: &mut Vec<Finding>) {
    let c = &claim.data;
    let mut unknown = |field: String, what: &str| {
        findings.push(
            Finding::error(
                "reference.unknown",
                &claim.file,
                format!("this claim names a {what} that does not exist: restore the {what}'s file, or correct the ledger record"),
            )
            .at(field),
        );
    };
    if !data.patients.contains_key(&c.patient) {
        unknown("patient".into(), "patient");
    }
    if !data.payers.contains_key(&c.payer) {
        unknown("payer".into(), "payer");
    }
    for (i, line) in c.lines.iter().enumerate() {
        if data.session(&line.session).is_none() {
            unknown(format!("lines[{i}].session"), "session");
        }
    }
}

/// A session whose line went out on a sent claim and now says something else: the payer
/// has the old line, so the fix is a corrected claim.
fn check_changed(data: &PracticeData, s: &Record<Session>, findings: &mut Vec<Finding>) {
    // The units the claim bills the plan: a visit past the plan's minutes bills fewer.
    let max = data
        .coverage_of(&s.data)
        .and_then(|c| c.benefits.max_minutes_per_visit);
    let units = data
        .payer_of(&s.data)
        .map(|p| lines::split_units(p.data.unit_rule, &s.data.services, max).plan);
    for (i, svc) in s.data.services.iter().enumerate() {
        let Some(claim) = data.sent_claim_of(&s.id, i) else {
            continue;
        };
        if claim.data.status != LedgerStatus::Sent {
            continue;
        }
        let Some(sent) = claim
            .data
            .lines
            .iter()
            .find(|l| l.session == s.id && l.service_index == i)
        else {
            continue;
        };
        let now_units = units.as_ref().and_then(|u| u.get(i).copied());
        let modifiers: Vec<String> = svc.modifiers.iter().map(|m| m.to_string()).collect();
        let diagnoses: Vec<String> = svc
            .diagnosis_pointers
            .iter()
            .filter_map(|p| super::services::pointer_index(p))
            .filter_map(|ix| s.data.diagnoses.get(ix))
            .map(|c| dotted(c))
            .collect();
        let npi = data.provider_of(&s.data).map(|p| p.npi.to_string());
        let changed = sent.code != svc.code.as_str()
            || sent.date != s.data.date
            || !same_modifiers(&sent.modifiers, &modifiers)
            || now_units.is_some_and(|u| u != sent.units)
            || (!sent.diagnoses.is_empty() && sent.diagnoses != diagnoses)
            || (sent.rendering_npi.is_some() && sent.rendering_npi != npi);
        if changed {
            findings.push(
                Finding::warning(
                    "claim.changed_after_submission",
                    &s.file,
                    format!(
                        "this service went out on claim {} as it was before: send a corrected claim (`claimwright claims correct {} --payer-claim-number N`), not a new one",
                        claim.data.claim_id, claim.data.claim_id
                    ),
                )
                .at(format!("services[{i}]")),
            );
        }
    }
}

/// A diagnosis code in its dotted form, as claims carry it.
fn dotted(code: &str) -> String {
    crate::codes::icd10::normalize(code)
        .map(|c| crate::codes::icd10::with_dot(&c))
        .unwrap_or_else(|| code.to_string())
}

/// Whether two modifier lists are the same, regardless of case.
fn same_modifiers(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}
