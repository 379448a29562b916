//! Plans of care, progress reports and consent: a visit that a payer requiring a plan of care
//! pays needs a plan in force; such a plan needs a progress report every tenth treatment day;
//! and a practice that requires consent needs the patient's treatment consent before a visit.

use crate::codes::npi;
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::patient::PlanOfCare;
use crate::model::{Patient, Session};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// Days a certification holds: a plan certified longer ago than this before the date of
/// service must be recertified (Medicare: at most 90 days).
pub const CERTIFICATION_DAYS: i64 = 90;

/// Treatment days under a plan of care after which a progress report is due (Medicare: at
/// least once every 10 treatment days).
pub const PROGRESS_EVERY: usize = 10;

/// Checks every patient's plans of care and every session's plan, progress report and
/// consent.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    for rec in data.patients.values() {
        check_plans(rec, findings);
    }
    let requires_consent = data.practice().is_some_and(|p| p.requires_consent);
    for rec in &data.sessions {
        let Some(patient) = data.patient_of(&rec.data) else {
            continue;
        };
        if requires_consent {
            check_consent(rec, patient, findings);
        }
        if let Some(payer) = plan_payer(data, &patient.data, &rec.data) {
            check_plan_in_force(data, rec, patient, payer, findings);
        }
    }
}

/// Each plan of care has an id of its own among the patient's, starts no later than it ends,
/// and names its certifier by a valid NPI.
fn check_plans(rec: &Record<Patient>, findings: &mut Vec<Finding>) {
    let mut seen = BTreeSet::new();
    for (i, plan) in rec.data.plans_of_care.iter().enumerate() {
        if !seen.insert(plan.id.as_str()) {
            findings.push(
                Finding::error(
                    "id.duplicate",
                    &rec.file,
                    format!(
                        "two plans of care of {} have the id {}: give each plan an id of its own",
                        rec.id, plan.id
                    ),
                )
                .at(format!("plans_of_care[{i}].id")),
            );
        }
        if plan.start > plan.end {
            findings.push(
                Finding::error(
                    "field.invalid",
                    &rec.file,
                    format!(
                        "plan of care {} ends on {}, before it starts on {}: correct `start` or `end`",
                        plan.id, plan.end, plan.start
                    ),
                )
                .at(format!("plans_of_care[{i}].end")),
            );
        }
        if let Err(msg) = npi::check(plan.certified_by.npi.as_str()) {
            findings.push(
                Finding::error("npi.invalid", &rec.file, msg)
                    .at(format!("plans_of_care[{i}].certified_by.npi")),
            );
        }
    }
}

/// The payer that needs a plan of care for this visit: the payer it bills, else the payer of
/// another coverage in force that day (its secondary claim will need the plan too).
pub fn plan_payer<'a>(data: &'a PracticeData, patient: &Patient, s: &Session) -> Option<&'a str> {
    let requires = |payer: &str| {
        data.payers
            .get(payer)
            .filter(|p| p.data.requires_plan_of_care)
            .map(|p| p.id.as_str())
    };
    if let Some(payer) = data.coverage_of(s).and_then(|c| requires(&c.payer)) {
        return Some(payer);
    }
    patient
        .coverages
        .iter()
        .filter(|c| c.active_on(s.date))
        .find_map(|c| requires(&c.payer))
}

/// What a patient's plans of care say of one date of service.
#[derive(Debug, Clone, Copy)]
pub enum Standing<'a> {
    /// A plan covers the date and was certified within [`CERTIFICATION_DAYS`] of it.
    InForce(&'a PlanOfCare),
    /// Plans cover the date, but the latest certification among them is older than
    /// [`CERTIFICATION_DAYS`].
    Stale(&'a PlanOfCare),
    /// No plan covers the date; this one, the latest to end, ended before it.
    Ended(&'a PlanOfCare),
    /// No plan covers the date and none ended before it.
    None,
}

/// The standing of `patient`'s plans of care on `date`: a plan covers it when
/// `start <= date <= end`, and is in force when also certified no more than
/// [`CERTIFICATION_DAYS`] before it (a certification signed after the visit counts, as a
/// delayed certification does).
pub fn standing(patient: &Patient, date: NaiveDate) -> Standing<'_> {
    let plans = &patient.plans_of_care;
    let latest_covering = plans
        .iter()
        .filter(|p| p.start <= date && date <= p.end)
        .max_by_key(|p| p.certified);
    if let Some(plan) = latest_covering {
        return if (date - plan.certified).num_days() > CERTIFICATION_DAYS {
            Standing::Stale(plan)
        } else {
            Standing::InForce(plan)
        };
    }
    match plans.iter().filter(|p| p.end < date).max_by_key(|p| p.end) {
        Some(plan) => Standing::Ended(plan),
        None => Standing::None,
    }
}

/// The visit has a plan of care in force, and a progress report when one is due.
fn check_plan_in_force(
    data: &PracticeData,
    rec: &Record<Session>,
    patient: &Record<Patient>,
    payer: &str,
    findings: &mut Vec<Finding>,
) {
    let date = rec.data.date;
    let standing = standing(&patient.data, date);
    let message = match standing {
        Standing::InForce(plan) => {
            check_progress(data, rec, patient, plan, findings);
            return;
        }
        Standing::Stale(plan) => format!(
            "{payer} requires a plan of care certified within {CERTIFICATION_DAYS} days, and plan {} was certified on {}, {} days before the date of service {date}: have the plan recertified and add it to `plans_of_care` in {}",
            plan.id,
            plan.certified,
            (date - plan.certified).num_days(),
            patient.file
        ),
        Standing::Ended(plan) => format!(
            "{payer} requires a plan of care in force, and plan {} ended on {}, before the date of service {date}: have the plan recertified and add it to `plans_of_care` in {}",
            plan.id, plan.end, patient.file
        ),
        Standing::None => format!(
            "{payer} requires a plan of care, and no plan of {} covers the date of service {date}: add the certified plan to `plans_of_care` in {}",
            patient.id, patient.file
        ),
    };
    // A plan that ran out needs recertifying; no plan at all needs one certified.
    let code = if matches!(standing, Standing::None) {
        "plan_of_care.missing"
    } else {
        "plan_of_care.expired"
    };
    findings.push(Finding::error(code, &rec.file, message).at("date"));
}

/// Treatment days since the last progress report under `plan`, this visit's day included:
/// the days, within the plan's dates and up to this visit, of the patient's visits for a
/// payer requiring a plan of care, after the last visit whose note is a progress report
/// (or from the plan's start). Zero when this visit's day has a progress report.
pub fn days_since_progress(
    data: &PracticeData,
    patient: &Record<Patient>,
    plan: &PlanOfCare,
    date: NaiveDate,
) -> usize {
    let under_plan = || {
        data.sessions_of(&patient.id)
            .map(|r| &r.data)
            .filter(move |s| plan.start <= s.date && s.date <= date)
    };
    let since = under_plan()
        .filter(|s| s.progress_note)
        .map(|s| s.date)
        .max();
    let days: BTreeSet<NaiveDate> = under_plan()
        .filter(|s| since.is_none_or(|p| s.date > p))
        .filter(|s| plan_payer(data, &patient.data, s).is_some())
        .map(|s| s.date)
        .collect();
    days.len()
}

/// A visit on the tenth treatment day (or later) since the last progress report is due one.
fn check_progress(
    data: &PracticeData,
    rec: &Record<Session>,
    patient: &Record<Patient>,
    plan: &PlanOfCare,
    findings: &mut Vec<Finding>,
) {
    if rec.data.progress_note {
        return;
    }
    let days = days_since_progress(data, patient, plan, rec.data.date);
    if days >= PROGRESS_EVERY {
        findings.push(
            Finding::warning(
                "progress_note.due",
                &rec.file,
                format!(
                    "this is treatment day {days} under plan of care {} without a progress report, and one is due every {PROGRESS_EVERY}: write this visit's note as a progress report on the plan's goals and set `progress_note: true`",
                    plan.id
                ),
            )
            .at("progress_note"),
        );
    }
}

/// The patient signed treatment consent on or before the visit.
fn check_consent(rec: &Record<Session>, patient: &Record<Patient>, findings: &mut Vec<Finding>) {
    let date = rec.data.date;
    let signed = patient.data.consent.as_ref().and_then(|c| c.treatment);
    let message = match signed {
        Some(day) if day <= date => return,
        Some(day) => format!(
            "{} signed consent to treatment on {day}, after this visit on {date}: check the date in {}; a visit before consent is not billed",
            patient.id, patient.file
        ),
        None => format!(
            "the practice requires consent to treatment and {} has none on file: add the date it was signed as `consent: {{treatment: YYYY-MM-DD}}` in {}",
            patient.id, patient.file
        ),
    };
    findings.push(Finding::error("consent.missing", &rec.file, message).at("date"));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    /// The test practice's PPO, requiring plans of care.
    const PPO_WITH_PLANS: &str = "name: Pine PPO\nkind: commercial\nclaims_address: {street: \"PO Box 1\", city: Boston, state: MA, zip: \"02101\"}\nunit_rule: substantial_portion\ntimely_filing_days: 120\nappeal_window_days: 180\nrequires_plan_of_care: true\n";

    /// A plan of care for jane, certified on `certified`, covering `start` to `end`.
    fn plan(id: &str, certified: &str, start: &str, end: &str) -> String {
        format!(
            "{{id: {id}, certified_by: {{first_name: Rosa, last_name: Patel, credentials: MD, npi: \"1131860912\"}}, certified: {certified}, start: {start}, end: {end}, frequency: 2x/week, goals: [Sit 60 minutes]}}"
        )
    }

    /// The test practice with its PPO requiring plans of care and jane's `plans`.
    fn with_plans(plans: &[String]) -> Practice {
        Practice::new()
            .file("payers/ppo.yaml", PPO_WITH_PLANS)
            .patient(&format!("plans_of_care: [{}]", plans.join(", ")))
    }

    fn september() -> String {
        plan("poc-1", "2026-09-01", "2026-09-01", "2026-11-29")
    }

    #[test]
    fn a_visit_under_a_plan_in_force_is_clean() {
        let findings = with_plans(&[september()]).session("visit", "").check(check);
        assert_clean(&findings);
    }

    #[test]
    fn nothing_is_needed_when_no_payer_requires_a_plan() {
        assert_clean(&Practice::new().session("visit", "").check(check));
    }

    #[test]
    fn a_visit_no_plan_covers_is_missing_one() {
        let findings = with_plans(&[]).session("visit", "").check(check);
        assert_codes(&findings, &[("plan_of_care.missing", "date")]);
        let message = &only(&findings, "plan_of_care.missing").message;
        assert!(message.contains("ppo requires a plan of care"), "{message}");
        assert!(message.contains("`plans_of_care`"), "{message}");
        // A plan that starts later does not cover it either: still missing, not expired.
        let later = plan("poc-2", "2026-09-20", "2026-09-20", "2026-12-18");
        let findings = with_plans(&[later]).session("visit", "").check(check);
        assert_codes(&findings, &[("plan_of_care.missing", "date")]);
    }

    #[test]
    fn a_plan_that_ended_before_the_visit_has_expired() {
        let summer = plan("poc-0", "2026-06-01", "2026-06-01", "2026-08-29");
        let findings = with_plans(&[summer]).session("visit", "").check(check);
        assert_codes(&findings, &[("plan_of_care.expired", "date")]);
        let message = &only(&findings, "plan_of_care.expired").message;
        assert!(message.contains("ended on 2026-08-29"), "{message}");
        assert!(message.contains("recertified"), "{message}");
    }

    #[test]
    fn a_certification_holds_90_days() {
        let certified = |day: &str| {
            with_plans(&[plan("poc-1", day, "2026-06-01", "2026-12-31")])
                .session("visit", "")
                .check(check)
        };
        // 2026-06-17 is 90 days before 2026-09-15; 2026-06-16 is 91.
        assert_clean(&certified("2026-06-17"));
        let stale = certified("2026-06-16");
        assert_codes(&stale, &[("plan_of_care.expired", "date")]);
        assert!(
            only(&stale, "plan_of_care.expired")
                .message
                .contains("91 days")
        );
        // A plan certified after the visit covers it (a delayed certification).
        assert_clean(&certified("2026-09-30"));
        // The latest certification among the covering plans counts.
        let findings = with_plans(&[
            plan("old", "2026-03-01", "2026-03-01", "2026-12-31"),
            plan("new", "2026-09-01", "2026-09-01", "2026-12-31"),
        ])
        .session("visit", "")
        .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn a_secondary_payer_that_requires_a_plan_needs_one_too() {
        let findings = Practice::new()
            .secondary_ma()
            .file(
                "payers/ma.yaml",
                "name: Maple Medicare Advantage\nkind: medicare_advantage\nclaims_address: {street: \"PO Box 2\", city: Boston, state: MA, zip: \"02102\"}\nunit_rule: cms_8_minute\ntherapy_modifier: GP\ntimely_filing_days: 365\nappeal_window_days: 60\nrequires_plan_of_care: true\n",
            )
            .session("visit", "")
            .check(check);
        assert_codes(&findings, &[("plan_of_care.missing", "date")]);
        assert!(
            only(&findings, "plan_of_care.missing")
                .message
                .starts_with("ma ")
        );
    }

    /// `n` visits on consecutive days from 2026-09-01, named `v01`, `v02`...; `progress`
    /// lists the visits whose notes are progress reports.
    fn visits(mut p: Practice, n: u32, progress: &[u32]) -> Practice {
        for i in 1..=n {
            let note = if progress.contains(&i) {
                ", progress_note: true"
            } else {
                ""
            };
            p = p.session(
                &format!("v{i:02}"),
                &format!("{{date: 2026-09-{i:02}, referral: ~, authorization: ~{note}}}"),
            );
        }
        p.benefits("{requires_referral: false, requires_preauth: false}")
    }

    #[test]
    fn a_progress_report_is_due_on_the_tenth_treatment_day() {
        let findings = visits(with_plans(&[september()]), 11, &[]).check(check);
        assert_eq!(flagged(&findings, "progress_note.due"), ["v10", "v11"]);
        let due = findings
            .iter()
            .find(|f| f.file.ends_with("v10.yaml"))
            .expect("v10 is flagged");
        assert_eq!(due.field.as_deref(), Some("progress_note"));
        assert!(due.message.contains("treatment day 10"), "{}", due.message);
        assert!(
            due.message.contains("`progress_note: true`"),
            "{}",
            due.message
        );
        // Free text of the plan is never repeated.
        assert!(!due.message.contains("Sit 60") && !due.message.contains("2x/week"));
    }

    #[test]
    fn a_progress_report_starts_the_count_again() {
        // The 10th visit is the report; the 11th to 19th are days 1 to 9 after it.
        let findings = visits(with_plans(&[september()]), 19, &[10]).check(check);
        assert_clean(&findings);
        let findings = visits(with_plans(&[september()]), 20, &[10]).check(check);
        assert_eq!(flagged(&findings, "progress_note.due"), ["v20"]);
    }

    #[test]
    fn a_new_plan_starts_a_new_count() {
        let findings = visits(
            with_plans(&[
                plan("poc-a", "2026-09-01", "2026-09-01", "2026-09-05"),
                plan("poc-b", "2026-09-06", "2026-09-06", "2026-12-31"),
            ]),
            12,
            &[],
        )
        .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn two_visits_on_one_day_are_one_treatment_day() {
        let p = visits(with_plans(&[september()]), 9, &[]).session(
            "v09-afternoon",
            "{date: 2026-09-09, referral: ~, authorization: ~}",
        );
        assert_clean(&p.check(check));
    }

    #[test]
    fn plans_have_their_own_ids_dates_in_order_and_valid_npis() {
        let mut backwards = plan("poc-1", "2026-09-01", "2026-10-01", "2026-09-30");
        backwards = backwards.replace("1131860912", "1131860913");
        let findings = Practice::new()
            .patient(&format!(
                "plans_of_care: [{}, {backwards}]",
                plan("poc-1", "2026-09-01", "2026-09-01", "2026-09-30")
            ))
            .check(check);
        assert_codes(
            &findings,
            &[
                ("id.duplicate", "plans_of_care[1].id"),
                ("field.invalid", "plans_of_care[1].end"),
                ("npi.invalid", "plans_of_care[1].certified_by.npi"),
            ],
        );
        assert!(findings.iter().all(|f| f.file == "patients/jane.yaml"));
    }

    #[test]
    fn a_practice_requiring_consent_needs_it_on_or_before_the_visit() {
        let consent = |treatment: &str| {
            Practice::new()
                .practice("requires_consent: true")
                .patient(&format!(
                    "consent: {{treatment: {treatment}, billing: 2026-09-01}}"
                ))
                .session("visit", "")
                .check(check)
        };
        assert_clean(&consent("2026-09-15"));
        let late = consent("2026-09-16");
        assert_codes(&late, &[("consent.missing", "date")]);
        assert!(
            only(&late, "consent.missing")
                .message
                .contains("on 2026-09-16, after this visit on 2026-09-15")
        );
        let none = Practice::new()
            .practice("requires_consent: true")
            .session("visit", "")
            .check(check);
        assert_codes(&none, &[("consent.missing", "date")]);
        let message = &only(&none, "consent.missing").message;
        assert!(
            message.contains("`consent: {treatment: YYYY-MM-DD}`"),
            "{message}"
        );
        // A billing consent alone is not consent to treatment.
        let billing_only = Practice::new()
            .practice("requires_consent: true")
            .patient("consent: {billing: 2026-09-01}")
            .session("visit", "")
            .check(check);
        assert_codes(&billing_only, &[("consent.missing", "date")]);
    }

    #[test]
    fn consent_is_not_checked_unless_the_practice_requires_it() {
        assert_clean(&Practice::new().session("visit", "").check(check));
    }
}
