//! Referrals and pre-authorizations: present when the coverage requires them, in date,
//! within their visit counts (counted by date), and covering the billed codes.

use crate::figures::visits;
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::{Authorization, Coverage, Patient, Session};

/// Checks every session's referral and authorization.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    for rec in &data.sessions {
        let (Some(patient), Some(cov)) = (data.patient_of(&rec.data), data.coverage_of(&rec.data))
        else {
            continue;
        };
        if cov.benefits.requires_referral {
            check_referral(data, rec, patient, cov, findings);
        }
        if cov.benefits.requires_preauth {
            check_authorization(data, rec, patient, cov, findings);
        }
    }
}

/// The session names one of the patient's referrals, valid on its date and with visits left.
fn check_referral(
    data: &PracticeData,
    rec: &Record<Session>,
    patient: &Record<Patient>,
    cov: &Coverage,
    findings: &mut Vec<Finding>,
) {
    let s = &rec.data;
    let Some(id) = &s.referral else {
        findings.push(
            Finding::error(
                "referral.missing",
                &rec.file,
                format!(
                    "the {} coverage requires a referral: add `referral:` naming one of {}'s referrals (or add the referral to {})",
                    cov.payer, patient.id, patient.file
                ),
            )
            .at("referral"),
        );
        return;
    };
    // An id the patient does not have is reported as an unknown reference.
    let Some(r) = patient.data.referrals.iter().find(|r| &r.id == id) else {
        return;
    };
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
    // Counted by date (see `visits::referral_visits`): when one day crosses the limit, each of
    // its sessions is flagged, since the records do not order them within the day.
    let count = visits::referral_visits(r, sessions_of(data, patient), s.date);
    if let Some(limit) = r.visits
        && count.used > limit
    {
        findings.push(
            Finding::error(
                "referral.visits_exceeded",
                &rec.file,
                format!(
                    "this is visit {} under referral {id}, which allows {limit}: ask the referring provider for a new referral",
                    count.used
                ),
            )
            .at("referral"),
        );
    }
}

/// The session names an authorization of the payer billed, valid on its date, with visits
/// left, and covering the billed codes.
fn check_authorization(
    data: &PracticeData,
    rec: &Record<Session>,
    patient: &Record<Patient>,
    cov: &Coverage,
    findings: &mut Vec<Finding>,
) {
    let s = &rec.data;
    let Some(number) = &s.authorization else {
        findings.push(
            Finding::error(
                "authorization.missing",
                &rec.file,
                format!(
                    "the {} coverage requires pre-authorization: add `authorization:` with the authorization number (or record the authorization in {})",
                    cov.payer, patient.file
                ),
            )
            .at("authorization"),
        );
        return;
    };
    let Some(a) = patient
        .data
        .authorizations
        .iter()
        .find(|a| &a.number == number)
    else {
        return;
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
    // A claim to another payer does not use this payer's authorized visits.
    if a.payer == cov.payer {
        check_authorized_visits(data, rec, patient, a, findings);
    }
    check_authorized_codes(rec, a, findings);
}

/// The visits under the authorization, up to this session's date, are within those authorized.
fn check_authorized_visits(
    data: &PracticeData,
    rec: &Record<Session>,
    patient: &Record<Patient>,
    a: &Authorization,
    findings: &mut Vec<Finding>,
) {
    let Some(limit) = a.visits else {
        return;
    };
    let count =
        visits::authorization_visits(&patient.data, a, sessions_of(data, patient), rec.data.date);
    if count.used > limit {
        findings.push(
            Finding::error(
                "authorization.visits_exceeded",
                &rec.file,
                format!(
                    "this is visit {} under authorization {}, which allows {limit}: ask the payer for more visits before billing it",
                    count.used, a.number
                ),
            )
            .at("authorization"),
        );
    }
}

/// Every billed code is one the authorization lists, when it lists any.
fn check_authorized_codes(rec: &Record<Session>, a: &Authorization, findings: &mut Vec<Finding>) {
    let Some(codes) = &a.codes else {
        return;
    };
    for (i, svc) in rec.data.services.iter().enumerate() {
        if !codes.contains(&svc.code) {
            findings.push(
                Finding::error(
                    "authorization.code_not_covered",
                    &rec.file,
                    format!(
                        "authorization {} covers {} but not {}: ask the payer to add it, or do not bill it",
                        a.number,
                        codes.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
                        svc.code
                    ),
                )
                .at(format!("services[{i}].code")),
            );
        }
    }
}

/// The patient's sessions, as the visit counts read them.
fn sessions_of<'a>(
    data: &'a PracticeData,
    patient: &Record<Patient>,
) -> impl Iterator<Item = &'a Session> {
    data.sessions_of(&patient.id).map(|r| &r.data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn a_session_with_its_referral_and_authorization_is_clean() {
        assert_clean(&Practice::new().session("visit", "").check(check));
    }

    #[test]
    fn nothing_is_needed_when_the_coverage_requires_nothing() {
        let findings = Practice::new()
            .benefits("{requires_referral: false, requires_preauth: false}")
            .session("visit", "{referral: ~, authorization: ~}")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn a_required_referral_is_missing() {
        let findings = Practice::new().session("visit", "referral: ~").check(check);
        assert_codes(&findings, &[("referral.missing", "referral")]);
    }

    #[test]
    fn a_referral_is_valid_from_its_date_to_its_expiry() {
        let with_referral = |dates: &str| {
            Practice::new()
                .referral(dates)
                .session("visit", "")
                .check(check)
        };
        let expired = [("referral.expired", "referral")];
        assert_codes(&with_referral("date: 2026-09-16"), &expired);
        assert_codes(&with_referral("expires: 2026-09-14"), &expired);
        assert_clean(&with_referral("{date: 2026-09-15, expires: 2026-09-15}"));
        assert_clean(&with_referral("expires: ~"));
    }

    #[test]
    fn only_the_sessions_past_the_referrals_visits_are_flagged_in_date_order() {
        let findings = Practice::new()
            .referral("visits: 2")
            .session("a-last", "date: 2026-09-20")
            .session("b-first", "date: 2026-09-10")
            .session("c-second", "date: 2026-09-15")
            .check(check);
        assert_eq!(flagged(&findings, "referral.visits_exceeded"), ["a-last"]);
        assert_codes(&findings, &[("referral.visits_exceeded", "referral")]);
    }

    #[test]
    fn a_required_authorization_is_missing() {
        let findings = Practice::new()
            .session("visit", "authorization: ~")
            .check(check);
        assert_codes(&findings, &[("authorization.missing", "authorization")]);
    }

    #[test]
    fn an_authorization_from_another_payer_does_not_count() {
        let findings = Practice::new()
            .authorization("payer: ma")
            .session("visit", "")
            .check(check);
        assert_codes(&findings, &[("authorization.missing", "authorization")]);
        let message = &only(&findings, "authorization.missing").message;
        assert!(message.contains("issued by ma, not by ppo"), "{message}");
    }

    #[test]
    fn an_authorization_covers_its_dates_only() {
        let with_authorization = |dates: &str| {
            Practice::new()
                .authorization(dates)
                .session("visit", "")
                .check(check)
        };
        let expired = [("authorization.expired", "authorization")];
        assert_codes(&with_authorization("start: 2026-09-16"), &expired);
        assert_codes(&with_authorization("end: 2026-09-14"), &expired);
        assert_clean(&with_authorization("{start: 2026-09-15, end: 2026-09-15}"));
    }

    #[test]
    fn only_the_sessions_past_the_authorized_visits_are_flagged_in_date_order() {
        let findings = Practice::new()
            .authorization("visits: 1")
            .session("a-second", "date: 2026-09-20")
            .session("b-first", "date: 2026-09-10")
            .check(check);
        assert_eq!(
            flagged(&findings, "authorization.visits_exceeded"),
            ["a-second"]
        );
        assert_codes(
            &findings,
            &[("authorization.visits_exceeded", "authorization")],
        );
    }

    #[test]
    fn a_code_the_authorization_does_not_list() {
        let two_codes = r#"services:
                             - {code: "97124", minutes: 30, modifiers: [GP]}
                             - {code: "97140", minutes: 15, modifiers: [GP, "59"]}"#;
        let findings = Practice::new()
            .authorization(r#"codes: ["97124"]"#)
            .session("visit", two_codes)
            .check(check);
        assert_codes(
            &findings,
            &[("authorization.code_not_covered", "services[1].code")],
        );
        let findings = Practice::new()
            .authorization("codes: ~")
            .session("visit", two_codes)
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn a_visit_naming_the_referral_uses_it_whichever_plan_it_bills() {
        // The first visit bills ma, which needs no referral, but still names ref-1.
        let findings = Practice::new()
            .secondary_ma()
            .referral("visits: 1")
            .session("a-on-ma", "{date: 2026-09-10, coverage: ma}")
            .session("b-on-ppo", "")
            .check(check);
        assert_eq!(flagged(&findings, "referral.visits_exceeded"), ["b-on-ppo"]);
        assert!(
            only(&findings, "referral.visits_exceeded")
                .message
                .contains("visit 2")
        );
        // A visit naming no referral does not use it.
        let findings = Practice::new()
            .secondary_ma()
            .referral("visits: 1")
            .session("a-on-ma", "{date: 2026-09-10, coverage: ma, referral: ~}")
            .session("b-on-ppo", "")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn only_visits_billed_to_its_payer_use_an_authorization() {
        let findings = Practice::new()
            .secondary_ma()
            .authorization("visits: 1")
            .session("a-on-ma", "{date: 2026-09-10, coverage: ma}")
            .session("b-on-ppo", "")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn sessions_sharing_the_day_past_the_referrals_visits_are_both_flagged() {
        // The records do not say which of the two came first.
        let findings = Practice::new()
            .referral("visits: 1")
            .session("morning", "")
            .session("afternoon", "")
            .check(check);
        assert_eq!(
            flagged(&findings, "referral.visits_exceeded"),
            ["afternoon", "morning"]
        );
    }
}
