//! Coverage on the date of service: active, each billed code covered, visits per plan year,
//! minutes per visit, and whether the provider may bill the payer at all.

use crate::codes::procedures::{self, Benefit};
use crate::figures::lines::{self, Over, Split};
use crate::figures::visits;
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::{Coverage, Patient, PayerKind, Service, Session};
use chrono::NaiveDate;

/// NUCC taxonomy code of a massage therapist.
pub const MASSAGE_THERAPIST_TAXONOMY: &str = "225700000X";

/// Checks each session against the coverage it bills.
pub fn check(data: &PracticeData, as_of: NaiveDate, findings: &mut Vec<Finding>) {
    for rec in &data.sessions {
        let s = &rec.data;
        let Some(patient) = data.patient_of(s) else {
            continue;
        };
        let Some(cov) = data.coverage_of(s) else {
            if s.coverage.is_none() {
                // A self-pay patient still gets notes; only claims need a coverage.
                findings.push(
                    Finding::warning(
                        "coverage.missing",
                        &rec.file,
                        format!(
                            "{} has no coverage, so this visit cannot be claimed: add the coverage to {} if there is one",
                            patient.id, patient.file
                        ),
                    )
                    .at("patient"),
                );
            }
            continue;
        };
        check_in_force(rec, cov, findings);
        check_benefits(data, rec, patient, cov, findings);
        check_visit_limit(data, rec, patient, cov, as_of, findings);
        check_provider(data, rec, cov, findings);
    }
}

/// The coverage is in force on the date of service.
fn check_in_force(rec: &Record<Session>, cov: &Coverage, findings: &mut Vec<Finding>) {
    let s = &rec.data;
    if !cov.active_on(s.date) {
        let until = cov
            .terminates
            .map(|t| format!(" to {t}"))
            .unwrap_or_default();
        findings.push(
            Finding::error(
                "coverage.inactive",
                &rec.file,
                format!(
                    "the {} coverage runs from {}{until}, which does not include the date of service {}: bill another coverage or the patient",
                    cov.payer, cov.effective, s.date
                ),
            )
            .at("date"),
        );
    }
}

/// The plan pays for each billed code, and for a visit this long.
fn check_benefits(
    data: &PracticeData,
    rec: &Record<Session>,
    patient: &Record<Patient>,
    cov: &Coverage,
    findings: &mut Vec<Finding>,
) {
    let b = &cov.benefits;
    for (i, svc) in rec.data.services.iter().enumerate() {
        // A line stated at 0 units documents minutes and bills nothing.
        if svc.units == Some(0) {
            continue;
        }
        let code = svc.code.as_str();
        let listed = b
            .not_covered_codes
            .iter()
            .any(|c| c.as_str().eq_ignore_ascii_case(code));
        let massage = procedures::lookup(code).is_some_and(|p| p.benefit == Benefit::Massage);
        let (what, why) = if listed {
            ("", "listed in `not_covered_codes`")
        } else if massage && !b.massage_covered {
            (" covers no massage, so it", "`massage_covered: false`")
        } else {
            continue;
        };
        findings.push(
            Finding::error(
                "benefit.not_covered",
                &rec.file,
                format!(
                    "the {} plan{what} does not pay {code} ({why} in {}): bill another coverage the patient has, or bill the patient; if the benefit has changed, update {}",
                    cov.payer, patient.file, patient.file
                ),
            )
            .at(format!("services[{i}].code")),
        );
    }
    let Some(max) = b.max_minutes_per_visit else {
        return;
    };
    let Some(payer) = data.payers.get(&cov.payer) else {
        return;
    };
    let services = &rec.data.services;
    let split = lines::split_units(payer.data.unit_rule, services, Some(max));
    if let Some(over) = split.over {
        findings.push(
            Finding::warning(
                "benefit.minutes_exceeded",
                &rec.file,
                minutes_message(services, &split, over),
            )
            .at("services"),
        );
    }
}

/// What a visit past the plan's maximum minutes bills to the plan and to the patient.
fn minutes_message(services: &[Service], split: &Split, over: Over) -> String {
    let by_code = |units: &[u32]| {
        lines::units_by_code(
            services
                .iter()
                .map(|s| s.code.as_str())
                .zip(units.iter().copied()),
        )
    };
    let (plan, patient) = (by_code(&split.plan), by_code(&split.patient));
    let head = format!(
        "the services take {} minutes and the plan pays up to {} a visit",
        over.minutes, over.max_minutes
    );
    if patient.is_empty() {
        return format!(
            "{head}: the units billed ({}) fit within them, so the plan is billed for the whole visit and nothing goes to the patient",
            if plan.is_empty() {
                "none".to_string()
            } else {
                plan
            }
        );
    }
    let (plan, verb) = match split.plan.iter().sum::<u32>() {
        0 => ("no unit".to_string(), "is"),
        1 => (plan, "is"),
        _ => (plan, "are"),
    };
    format!(
        "{head}: {plan} {verb} billed to the plan, {patient} to the patient at the practice's fee; tell the patient before the visit, or keep visits to {} minutes",
        over.max_minutes
    )
}

/// Flags a session whose date takes the plan year's visits past the plan's limit.
///
/// Visits are counted by date (see [`visits::plan_year_visits`]): the records do not say in
/// which order two sessions of one day took place, so when a day crosses the limit, each of its
/// sessions is flagged and the provider decides which one the plan still pays.
fn check_visit_limit(
    data: &PracticeData,
    rec: &Record<Session>,
    patient: &Record<Patient>,
    cov: &Coverage,
    as_of: NaiveDate,
    findings: &mut Vec<Finding>,
) {
    let Some(limit) = cov.benefits.visits_per_year else {
        return;
    };
    let s = &rec.data;
    let sessions = data.sessions_of(&patient.id).map(|r| &r.data);
    let (year_start, count) = visits::plan_year_visits(&patient.data, cov, sessions, s.date, as_of);
    if count.used > limit {
        findings.push(
            Finding::error(
                "benefit.visit_limit",
                &rec.file,
                format!(
                    "this is visit {} of the plan year starting {year_start}, and the plan allows {limit}: ask the payer for more visits or bill the patient",
                    count.used
                ),
            )
            .at("date"),
        );
    }
}

/// Whether the session's provider cannot bill `payer` at all: Original Medicare does not
/// recognize massage therapists.
pub fn provider_excluded(data: &PracticeData, session: &Session, payer: &str) -> bool {
    let Some(payer) = data.payers.get(payer) else {
        return false;
    };
    if payer.data.kind != PayerKind::Medicare {
        return false;
    }
    let taxonomy = data
        .provider_of(session)
        .and_then(|p| p.taxonomy.as_ref())
        .or(data.practice().map(|p| &p.taxonomy));
    taxonomy.is_some_and(|t| t.as_str() == MASSAGE_THERAPIST_TAXONOMY)
}

/// Original Medicare does not recognize massage therapists as providers.
fn check_provider(
    data: &PracticeData,
    rec: &Record<Session>,
    cov: &Coverage,
    findings: &mut Vec<Finding>,
) {
    let Some(payer) = data.payers.get(&cov.payer) else {
        return;
    };
    if provider_excluded(data, &rec.data, &cov.payer) {
        findings.push(
            Finding::error(
                "provider.not_eligible",
                &rec.file,
                format!(
                    "{} is Original Medicare, which does not recognize massage therapists (taxonomy {MASSAGE_THERAPIST_TAXONOMY}) as providers: bill the patient or a supplemental plan; to get a denial for a secondary payer, bill with modifier GY",
                    payer.data.name
                ),
            )
            .at("provider"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    /// The rule as of the end of the test sessions' year.
    fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
        let as_of = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        super::check(data, as_of, findings);
    }

    #[test]
    fn a_covered_session_has_no_finding() {
        assert_clean(&Practice::new().session("visit", "").check(check));
    }

    #[test]
    fn a_date_outside_the_coverage_is_inactive() {
        let findings = Practice::new()
            .coverage("effective: 2026-09-16")
            .session("visit", "")
            .check(check);
        assert_codes(&findings, &[("coverage.inactive", "date")]);
        let findings = Practice::new()
            .coverage("terminates: 2026-09-14")
            .session("visit", "")
            .check(check);
        assert_codes(&findings, &[("coverage.inactive", "date")]);
    }

    #[test]
    fn the_first_and_last_days_of_coverage_are_active() {
        let findings = Practice::new()
            .coverage("{effective: 2026-09-15, terminates: 2026-09-15}")
            .session("visit", "")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn a_patient_without_coverage_has_nothing_to_bill() {
        let findings = Practice::new()
            .patient("coverages: []")
            .session("visit", "")
            .check(check);
        assert_codes(&findings, &[("coverage.missing", "patient")]);
    }

    #[test]
    fn massage_not_covered() {
        let findings = Practice::new()
            .benefits("massage_covered: false")
            .session("visit", "")
            .check(check);
        assert_codes(&findings, &[("benefit.not_covered", "services[0].code")]);
        let message = &only(&findings, "benefit.not_covered").message;
        assert!(message.contains("does not pay 97124"), "{message}");
        assert!(
            message.contains("bill another coverage the patient has, or bill the patient"),
            "{message}"
        );
    }

    #[test]
    fn a_plan_without_massage_still_pays_therapy() {
        let findings = Practice::new()
            .benefits("massage_covered: false")
            .session(
                "visit",
                r#"services:
                     - {code: "97140", minutes: 30, modifiers: [GP]}
                     - {code: "97110", minutes: 15, modifiers: [GP]}"#,
            )
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn massage_documented_at_zero_units_bills_nothing() {
        let findings = Practice::new()
            .benefits("massage_covered: false")
            .session(
                "visit",
                r#"services:
                     - {code: "97140", minutes: 30, modifiers: [GP]}
                     - {code: "97124", minutes: 5, modifiers: [GP], units: 0}"#,
            )
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn codes_the_plan_lists_as_not_covered() {
        let findings = Practice::new()
            .benefits(r#"not_covered_codes: ["97140"]"#)
            .session(
                "visit",
                r#"services:
                     - {code: "97124", minutes: 30, modifiers: [GP]}
                     - {code: "97140", minutes: 15, modifiers: [GP, "59"]}"#,
            )
            .check(check);
        assert_codes(&findings, &[("benefit.not_covered", "services[1].code")]);
        let message = &only(&findings, "benefit.not_covered").message;
        assert!(
            message.contains("does not pay 97140 (listed in `not_covered_codes`"),
            "{message}"
        );
        // Listed codes are refused whatever the massage benefit says, in any case of letters.
        let findings = Practice::new()
            .benefits(r#"{massage_covered: false, not_covered_codes: ["g0283"]}"#)
            .session("visit", r#"services: [{code: "G0283", minutes: 10}]"#)
            .check(check);
        assert_codes(&findings, &[("benefit.not_covered", "services[0].code")]);
    }

    #[test]
    fn the_visit_limit_counts_in_date_order_from_the_visits_used_before() {
        // One visit used before, three allowed: the third session by date is visit 4, even
        // though its file name sorts first.
        let findings = Practice::new()
            .benefits("{visits_per_year: 3, visits_used_before: 1}")
            .session("a-last", "date: 2026-09-20")
            .session("b-first", "date: 2026-09-10")
            .session("c-second", "date: 2026-09-15")
            .check(check);
        assert_eq!(flagged(&findings, "benefit.visit_limit"), ["a-last"]);
        assert_codes(&findings, &[("benefit.visit_limit", "date")]);
        assert!(
            only(&findings, "benefit.visit_limit")
                .message
                .contains("visit 4")
        );
    }

    #[test]
    fn the_visit_limit_starts_again_each_plan_year() {
        let findings = Practice::new()
            .coverage("effective: 2025-01-01")
            .benefits("visits_per_year: 1")
            .session("december", "date: 2025-12-20")
            .session("january", "date: 2026-01-05")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn services_longer_than_the_plan_pays_for() {
        let with_max = |max: &str| {
            Practice::new()
                .benefits(&format!("max_minutes_per_visit: {max}"))
                .session(
                    "visit",
                    r#"services:
                         - {code: "97124", minutes: 30, modifiers: [GP]}
                         - {code: "97140", minutes: 15, modifiers: [GP, "59"]}"#,
                )
                .check(check)
        };
        // 45 minutes are 3 units under the midpoint rule; 30 are 2.
        assert_clean(&with_max("45"));
        let findings = with_max("30");
        assert_codes(&findings, &[("benefit.minutes_exceeded", "services")]);
        let f = only(&findings, "benefit.minutes_exceeded");
        assert_eq!(f.severity, crate::findings::Severity::Warning);
        assert_eq!(
            f.message,
            "the services take 45 minutes and the plan pays up to 30 a visit: 2 units of 97124 are billed to the plan, 1 unit of 97140 to the patient at the practice's fee; tell the patient before the visit, or keep visits to 30 minutes"
        );
        // At 10 minutes the plan pays 1 unit: 10 minutes pass the 8-minute midpoint.
        let findings = with_max("10");
        let message = &only(&findings, "benefit.minutes_exceeded").message;
        assert!(
            message.contains(": 1 unit of 97124 is billed to the plan, 1 unit of 97124 and 1 unit of 97140 to the patient"),
            "{message}"
        );
        // 44 minutes still make 3 units: the whole visit is billed to the plan.
        let findings = with_max("44");
        let message = &only(&findings, "benefit.minutes_exceeded").message;
        assert!(message.contains("nothing goes to the patient"), "{message}");
    }

    #[test]
    fn original_medicare_does_not_take_massage_therapists() {
        let billing_medicare = |provider: &str| {
            Practice::new()
                .original_medicare()
                .coverage("payer: orig")
                .session(
                    "visit",
                    &format!(
                        "{{provider: {provider}, signed: {{by: {provider}, date: 2026-09-15}}}}"
                    ),
                )
                .check(check)
        };
        assert_codes(
            &billing_medicare("amy"),
            &[("provider.not_eligible", "provider")],
        );
        assert_clean(&billing_medicare("pat"));
    }

    #[test]
    fn without_its_own_taxonomy_the_provider_bills_under_the_practices() {
        let findings = Practice::new()
            .original_medicare()
            .coverage("payer: orig")
            .provider("taxonomy: ~")
            .session("visit", "")
            .check(check);
        assert_codes(&findings, &[("provider.not_eligible", "provider")]);
    }

    #[test]
    fn medicare_advantage_may_take_massage_therapists() {
        let findings = Practice::new()
            .coverage("payer: ma")
            .session("visit", "")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn the_visit_limit_counts_only_the_visits_billed_to_the_plan() {
        let findings = Practice::new()
            .secondary_ma()
            .benefits("visits_per_year: 1")
            .session("a-on-ma", "{date: 2026-09-10, coverage: ma}")
            .session("b-on-ppo", "")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn sessions_sharing_the_day_that_passes_the_limit_are_both_flagged() {
        let findings = Practice::new()
            .benefits("visits_per_year: 1")
            .session("morning", "")
            .session("afternoon", "")
            .check(check);
        assert_eq!(
            flagged(&findings, "benefit.visit_limit"),
            ["afternoon", "morning"]
        );
    }
}
