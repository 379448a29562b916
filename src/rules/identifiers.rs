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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Severity;
    use crate::rules::testkit::*;

    #[test]
    fn valid_identifiers_are_clean() {
        let findings = Practice::new()
            .session("visit", "place_of_service: \"12\"")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn a_wrong_check_digit_in_each_npi() {
        let practice = Practice::new().practice("npi: \"1234567890\"").check(check);
        assert_codes(&practice, &[("npi.invalid", "npi")]);
        assert_eq!(only(&practice, "npi.invalid").file, "practice.yaml");

        let provider = Practice::new().provider("npi: \"1558598798\"").check(check);
        assert_codes(&provider, &[("npi.invalid", "providers[0].npi")]);

        let referral = Practice::new()
            .referral("referring_provider: {npi: \"113186091\"}")
            .check(check);
        assert_codes(
            &referral,
            &[("npi.invalid", "referrals[0].referring_provider.npi")],
        );
        assert_eq!(only(&referral, "npi.invalid").file, "patients/jane.yaml");
    }

    #[test]
    fn a_tax_id_of_the_wrong_form() {
        let findings = Practice::new()
            .practice("tax_id: \"471928356\"")
            .check(check);
        assert_codes(&findings, &[("tax_id.invalid", "tax_id")]);
        let findings = Practice::new()
            .practice("{tax_id: \"47-1928356\", tax_id_type: ssn}")
            .check(check);
        assert_codes(&findings, &[("tax_id.invalid", "tax_id")]);
    }

    #[test]
    fn a_placeholder_tax_id_is_a_warning() {
        let findings = Practice::new()
            .practice("tax_id: \"12-3456789\"")
            .check(check);
        assert_codes(&findings, &[("tax_id.placeholder", "tax_id")]);
        assert_eq!(
            only(&findings, "tax_id.placeholder").severity,
            Severity::Warning
        );
    }

    #[test]
    fn an_unknown_place_of_service() {
        let findings = Practice::new()
            .practice("place_of_service: \"98\"")
            .check(check);
        assert_codes(
            &findings,
            &[("place_of_service.unknown", "place_of_service")],
        );
        assert_eq!(
            only(&findings, "place_of_service.unknown").file,
            "practice.yaml"
        );

        let findings = Practice::new()
            .session("visit", "place_of_service: \"30\"")
            .check(check);
        assert_codes(
            &findings,
            &[("place_of_service.unknown", "place_of_service")],
        );
        assert_eq!(
            only(&findings, "place_of_service.unknown").file,
            "sessions/2026-09/visit.yaml"
        );
    }
}
