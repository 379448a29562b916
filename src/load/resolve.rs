//! Checks that every id a record names exists: patients, providers, payers, referrals,
//! authorizations and sessions.

use super::PracticeData;
use crate::findings::Finding;
use std::collections::BTreeSet;

/// Adds a `reference.unknown` finding for every id that names nothing.
pub fn check_references(data: &PracticeData, findings: &mut Vec<Finding>) {
    let providers: BTreeSet<&str> = data
        .practice()
        .map(|p| p.providers.iter().map(|p| p.id.as_str()).collect())
        .unwrap_or_default();
    let practice_ok = data.practice.is_some();

    if let Some(practice) = &data.practice {
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

    for patient in data.patients.values() {
        for (i, c) in patient.data.coverages.iter().enumerate() {
            if !data.payers.contains_key(&c.payer) {
                findings.extend(unknown(
                    data,
                    &patient.file,
                    format!("coverages[{i}].payer"),
                    "payer",
                    &c.payer,
                    "payers/",
                    data.payers.keys().map(String::as_str),
                ));
            }
        }
        for (i, a) in patient.data.authorizations.iter().enumerate() {
            if !data.payers.contains_key(&a.payer) {
                findings.extend(unknown(
                    data,
                    &patient.file,
                    format!("authorizations[{i}].payer"),
                    "payer",
                    &a.payer,
                    "payers/",
                    data.payers.keys().map(String::as_str),
                ));
            }
        }
    }

    for s in &data.sessions {
        let session = &s.data;
        if practice_ok && !providers.contains(session.provider.as_str()) {
            findings.extend(unknown(
                data,
                &s.file,
                "provider".into(),
                "provider",
                &session.provider,
                "practice.yaml providers",
                providers.iter().copied(),
            ));
        }
        if let Some(signed) = &session.signed
            && practice_ok
            && !providers.contains(signed.by.as_str())
        {
            findings.extend(unknown(
                data,
                &s.file,
                "signed.by".into(),
                "provider",
                &signed.by,
                "practice.yaml providers",
                providers.iter().copied(),
            ));
        }
        let Some(patient) = data.patients.get(&session.patient) else {
            findings.extend(unknown(
                data,
                &s.file,
                "patient".into(),
                "patient",
                &session.patient,
                "patients/",
                data.patients.keys().map(String::as_str),
            ));
            continue;
        };
        let p = &patient.data;
        if let Some(cov) = &session.coverage
            && !p.coverages.iter().any(|c| &c.payer == cov)
        {
            findings.extend(unknown(
                data,
                &s.file,
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
                &s.file,
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
                &s.file,
                "authorization".into(),
                "authorization",
                a,
                &format!("{}'s authorizations", patient.file),
                p.authorizations.iter().map(|x| x.number.as_str()),
            ));
        }
    }

    for d in data.denials.values() {
        if !data.patients.contains_key(&d.data.patient) {
            findings.extend(unknown(
                data,
                &d.file,
                "patient".into(),
                "patient",
                &d.data.patient,
                "patients/",
                data.patients.keys().map(String::as_str),
            ));
        }
        if !data.payers.contains_key(&d.data.payer) {
            findings.extend(unknown(
                data,
                &d.file,
                "payer".into(),
                "payer",
                &d.data.payer,
                "payers/",
                data.payers.keys().map(String::as_str),
            ));
        }
        for (i, sid) in d.data.sessions.iter().enumerate() {
            if data.session(sid).is_none() {
                findings.extend(unknown(
                    data,
                    &d.file,
                    format!("sessions[{i}]"),
                    "session",
                    sid,
                    "sessions/",
                    data.sessions.iter().map(|s| s.id.as_str()),
                ));
            }
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
    let best = known
        .map(|k| (strsim::jaro_winkler(id, k), k))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k);
    let message = match best {
        Some(k) => format!("no {what} `{id}` in {place}: did you mean `{k}`?"),
        None => format!("no {what} `{id}` in {place}: fix the id or add the {what}"),
    };
    Some(Finding::error("reference.unknown", file, message).at(field))
}
