//! NPI check digits, tax id form and place-of-service codes wherever they appear.

use crate::codes::{npi, place_of_service, tax_id};
use crate::findings::Finding;
use crate::load::PracticeData;

/// Checks every NPI, the tax id and every place-of-service code.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    if let Some(rec) = &data.practice {
        let p = &rec.data;
        npi_finding(&rec.file, "npi", p.npi.as_str(), findings);
        if let Err(msg) = tax_id::check(&p.tax_id, p.tax_id_type) {
            findings.push(Finding::error("tax_id.invalid", &rec.file, msg).at("tax_id"));
        } else if let Some(msg) = tax_id::placeholder(&p.tax_id, p.tax_id_type) {
            findings.push(Finding::warning("tax_id.placeholder", &rec.file, msg).at("tax_id"));
        }
        pos_finding(
            &rec.file,
            "place_of_service",
            p.place_of_service.as_str(),
            findings,
        );
        for (i, prov) in p.providers.iter().enumerate() {
            npi_finding(
                &rec.file,
                &format!("providers[{i}].npi"),
                prov.npi.as_str(),
                findings,
            );
        }
    }
    for rec in data.patients.values() {
        for (i, r) in rec.data.referrals.iter().enumerate() {
            npi_finding(
                &rec.file,
                &format!("referrals[{i}].referring_provider.npi"),
                r.referring_provider.npi.as_str(),
                findings,
            );
        }
    }
    for rec in &data.sessions {
        if let Some(pos) = &rec.data.place_of_service {
            pos_finding(&rec.file, "place_of_service", pos.as_str(), findings);
        }
    }
}

fn npi_finding(file: &str, field: &str, value: &str, findings: &mut Vec<Finding>) {
    if let Err(msg) = npi::check(value) {
        findings.push(Finding::error("npi.invalid", file, msg).at(field));
    }
}

fn pos_finding(file: &str, field: &str, value: &str, findings: &mut Vec<Finding>) {
    if place_of_service::lookup(value).is_none() {
        findings.push(
            Finding::error(
                "place_of_service.unknown",
                file,
                format!("`{value}` is not a CMS place-of-service code: use a two-digit code such as \"11\" (office) or \"12\" (home)"),
            )
            .at(field),
        );
    }
}
