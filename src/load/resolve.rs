//! Checks that every id a record names exists: patients, providers, payers, referrals,
//! authorizations and sessions.

use super::suggest::closest_above;
use super::{PracticeData, Record};
use crate::findings::Finding;
use crate::model::{Denial, Patient, Session};
use std::collections::BTreeSet;

/// Least likeness at which an existing id is offered for a mistyped one; ids are short and
/// alike (`owen-park`, `owen-parc`), so this is stricter than for field names.
const ID_LIKENESS: f64 = 0.85;

/// Adds a `reference.unknown` finding for every id that names nothing.
pub fn check_references(data: &PracticeData, findings: &mut Vec<Finding>) {
    check_provider_ids(data, findings);
    for patient in data.patients.values() {
        check_patient(data, patient, findings);
    }
    let providers: Option<BTreeSet<&str>> = data
        .practice()
        .map(|p| p.providers.iter().map(|p| p.id.as_str()).collect());
    for session in &data.sessions {
        check_session(data, session, providers.as_ref(), findings);
    }
    for denial in data.denials.values() {
        check_denial(data, denial, findings);
    }
}

/// Each provider of practice.yaml needs an id of its own for sessions to name.
fn check_provider_ids(data: &PracticeData, findings: &mut Vec<Finding>) {
    let Some(practice) = &data.practice else {
        return;
    };
    let mut seen = BTreeSet::new();
    for (i, p) in practice.data.providers.iter().enumerate() {
        if !seen.insert(p.id.as_str()) {
            findings.push(
                Finding::error(
                    "id.duplicate",
                    &practice.file,
                    format!(
                        "provider id `{}` is used twice: give each provider its own id",
                        p.id
                    ),
                )
                .at(format!("providers[{i}].id")),
            );
        }
    }
}

/// A patient's coverages and authorizations name payers.
fn check_patient(data: &PracticeData, patient: &Record<Patient>, findings: &mut Vec<Finding>) {
    let coverages = patient.data.coverages.iter().map(|c| &c.payer);
    let authorizations = patient.data.authorizations.iter().map(|a| &a.payer);
    for (list, payers) in [
        ("coverages", coverages.collect::<Vec<_>>()),
        ("authorizations", authorizations.collect()),
    ] {
        for (i, payer) in payers.into_iter().enumerate() {
            if !data.payers.contains_key(payer) {
                findings.extend(unknown(
                    data,
                    &patient.file,
                    format!("{list}[{i}].payer"),
                    "payer",
                    payer,
                    "payers/",
                    data.payers.keys().map(String::as_str),
                ));
            }
        }
    }
}

/// A session names its provider, signer and patient. `providers` is None when
/// practice.yaml did not load, so nothing is known of them.
fn check_session(
    data: &PracticeData,
    record: &Record<Session>,
    providers: Option<&BTreeSet<&str>>,
    findings: &mut Vec<Finding>,
) {
    let session = &record.data;
    let file = &record.file;
    if let Some(providers) = providers {
        let named = [
            Some(("provider", &session.provider)),
            session.signed.as_ref().map(|s| ("signed.by", &s.by)),
        ];
        for (field, id) in named.into_iter().flatten() {
            if !providers.contains(id.as_str()) {
                findings.extend(unknown(
                    data,
                    file,
                    field.into(),
                    "provider",
                    id,
                    "practice.yaml providers",
                    providers.iter().copied(),
                ));
            }
        }
    }
    let Some(patient) = data.patients.get(&session.patient) else {
        findings.extend(unknown(
            data,
            file,
            "patient".into(),
            "patient",
            &session.patient,
            "patients/",
            data.patients.keys().map(String::as_str),
        ));
        return;
    };
    check_patient_links(data, file, session, patient, findings);
}

/// The coverage, referral and authorization a session names must be its patient's.
fn check_patient_links(
    data: &PracticeData,
    file: &str,
    session: &Session,
    patient: &Record<Patient>,
    findings: &mut Vec<Finding>,
) {
    let p = &patient.data;
    if let Some(cov) = &session.coverage
        && !p.coverages.iter().any(|c| &c.payer == cov)
    {
        findings.extend(unknown(
            data,
            file,
            "coverage".into(),
            "coverage",
            cov,
            &format!("the payers of {}'s coverages", patient.id),
            p.coverages.iter().map(|c| c.payer.as_str()),
        ));
    }
    if let Some(r) = &session.referral
        && !p.referrals.iter().any(|x| &x.id == r)
    {
        findings.extend(unknown(
            data,
            file,
            "referral".into(),
            "referral",
            r,
            &format!("{}'s referrals", patient.file),
            p.referrals.iter().map(|x| x.id.as_str()),
        ));
    }
    if let Some(a) = &session.authorization
        && !p.authorizations.iter().any(|x| &x.number == a)
    {
        findings.extend(unknown(
            data,
            file,
            "authorization".into(),
            "authorization",
            a,
            &format!("{}'s authorizations", patient.file),
            p.authorizations.iter().map(|x| x.number.as_str()),
        ));
    }
}

/// A denial names its patient, its payer and the sessions it denied.
fn check_denial(data: &PracticeData, denial: &Record<Denial>, findings: &mut Vec<Finding>) {
    let d = &denial.data;
    if !data.patients.contains_key(&d.patient) {
        findings.extend(unknown(
            data,
            &denial.file,
            "patient".into(),
            "patient",
            &d.patient,
            "patients/",
            data.patients.keys().map(String::as_str),
        ));
    }
    if !data.payers.contains_key(&d.payer) {
        findings.extend(unknown(
            data,
            &denial.file,
            "payer".into(),
            "payer",
            &d.payer,
            "payers/",
            data.payers.keys().map(String::as_str),
        ));
    }
    for (i, sid) in d.sessions.iter().enumerate() {
        if data.session(sid).is_none() {
            findings.extend(unknown(
                data,
                &denial.file,
                format!("sessions[{i}]"),
                "session",
                sid,
                "sessions/",
                data.sessions.iter().map(|s| s.id.as_str()),
            ));
        }
    }
}

/// A `reference.unknown` finding, suggesting the closest existing id.
fn unknown<'a>(
    data: &PracticeData,
    file: &str,
    field: String,
    what: &str,
    id: &str,
    place: &str,
    known: impl Iterator<Item = &'a str>,
) -> Option<Finding> {
    // A record whose own file failed to load is reported there; naming it is not a mistake.
    let folder = match what {
        "patient" => "patients",
        "payer" => "payers",
        "session" => "sessions",
        _ => "",
    };
    if data
        .unreadable
        .iter()
        .any(|u| u.folder == folder && u.stem == id)
    {
        return None;
    }
    let best = closest_above(id, known, ID_LIKENESS);
    let message = match best {
        Some(k) => format!("no {what} `{id}` in {place}: did you mean `{k}`?"),
        None => format!("no {what} `{id}` in {place}: fix the id or add the {what}"),
    };
    Some(Finding::error("reference.unknown", file, message).at(field))
}
