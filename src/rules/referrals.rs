//! Referrals and pre-authorizations: present when the coverage requires them, in date,
//! within their visit counts (counted in date order), and covering the billed codes.

use crate::findings::Finding;
use crate::load::PracticeData;
use std::collections::HashMap;

/// Checks every session's referral and authorization.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    let mut referral_visits: HashMap<(&str, &str), u32> = HashMap::new();
    let mut auth_visits: HashMap<(&str, &str), u32> = HashMap::new();
    for rec in &data.sessions {
        let s = &rec.data;
        let (Some(patient), Some(cov)) = (data.patient_of(s), data.coverage_of(s)) else {
            continue;
        };
        let b = &cov.benefits;
        let requires_referral = b.requires_referral;
        let requires_preauth = b.requires_preauth;

        if requires_referral {
            match &s.referral {
                None => findings.push(
                    Finding::error(
                        "referral.missing",
                        &rec.file,
                        format!(
                            "the {} coverage requires a referral: add `referral:` naming one of {}'s referrals (or add the referral to {})",
                            cov.payer, patient.id, patient.file
                        ),
                    )
                    .at("referral"),
                ),
                Some(id) => {
                    if let Some(r) = patient.data.referrals.iter().find(|r| &r.id == id) {
                        if s.date < r.date || r.expires.is_some_and(|e| s.date > e) {
                            let range = match r.expires {
                                Some(e) => format!("{} to {e}", r.date),
                                None => format!("from {}", r.date),
                            };
                            findings.push(
                                Finding::error(
                                    "referral.expired",
                                    &rec.file,
                                    format!(
                                        "referral {id} is valid {range}, which does not include the date of service {}: get a new referral and name it here",
                                        s.date
                                    ),
                                )
                                .at("referral"),
                            );
                        }
                        let n = referral_visits
                            .entry((patient.id.as_str(), r.id.as_str()))
                            .or_insert(0);
                        *n += 1;
                        if let Some(limit) = r.visits
                            && *n > limit
                        {
                            findings.push(
                                Finding::error(
                                    "referral.visits_exceeded",
                                    &rec.file,
                                    format!(
                                        "this is visit {} under referral {id}, which allows {limit}: ask the referring provider for a new referral",
                                        *n
                                    ),
                                )
                                .at("referral"),
                            );
                        }
                    }
                }
            }
        }

        if requires_preauth {
            match &s.authorization {
                None => findings.push(
                    Finding::error(
                        "authorization.missing",
                        &rec.file,
                        format!(
                            "the {} coverage requires pre-authorization: add `authorization:` with the authorization number (or record the authorization in {})",
                            cov.payer, patient.file
                        ),
                    )
                    .at("authorization"),
                ),
                Some(number) => {
                    let Some(a) = patient
                        .data
                        .authorizations
                        .iter()
                        .find(|a| &a.number == number)
                    else {
                        continue;
                    };
                    if a.payer != cov.payer {
                        findings.push(
                            Finding::error(
                                "authorization.missing",
                                &rec.file,
                                format!(
                                    "authorization {number} was issued by {}, not by {}, the payer billed: name an authorization from {}",
                                    a.payer, cov.payer, cov.payer
                                ),
                            )
                            .at("authorization"),
                        );
                    }
                    if s.date < a.start || s.date > a.end {
                        findings.push(
                            Finding::error(
                                "authorization.expired",
                                &rec.file,
                                format!(
                                    "authorization {number} covers {} to {}, which does not include the date of service {}: ask the payer to extend it or for a new one",
                                    a.start, a.end, s.date
                                ),
                            )
                            .at("authorization"),
                        );
                    }
                    let n = auth_visits
                        .entry((patient.id.as_str(), a.number.as_str()))
                        .or_insert(0);
                    *n += 1;
                    if let Some(limit) = a.visits
                        && *n > limit
                    {
                        findings.push(
                            Finding::error(
                                "authorization.visits_exceeded",
                                &rec.file,
                                format!(
                                    "this is visit {} under authorization {number}, which allows {limit}: ask the payer for more visits before billing it",
                                    *n
                                ),
                            )
                            .at("authorization"),
                        );
                    }
                    if let Some(codes) = &a.codes {
                        for (i, svc) in s.services.iter().enumerate() {
                            if !codes.contains(&svc.code) {
                                findings.push(
                                    Finding::error(
                                        "authorization.code_not_covered",
                                        &rec.file,
                                        format!(
                                            "authorization {number} covers {} but not {}: ask the payer to add it, or do not bill it",
                                            codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
                                            svc.code
                                        ),
                                    )
                                    .at(format!("services[{i}].code")),
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
