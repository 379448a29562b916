//! Visits allowed, used and left: per plan year, per referral, per authorization. Each limit
//! has one definition of the visits it counts, shared by the rules and the documents.

use crate::model::{Authorization, Benefits, Coverage, Patient, Referral, Session};
use chrono::NaiveDate;
use serde::Serialize;

/// A count of visits against a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct VisitCount {
    /// Visits allowed; None when there is no limit.
    pub allowed: Option<u32>,
    /// Visits used (records plus any counted before them).
    pub used: u32,
    /// Visits left; None when there is no limit.
    pub remaining: Option<u32>,
}

impl VisitCount {
    /// Counts `used` against `allowed`.
    pub fn new(allowed: Option<u32>, used: u32) -> Self {
        VisitCount {
            allowed,
            used,
            remaining: allowed.map(|a| a.saturating_sub(used)),
        }
    }
}

/// Visits counted against `coverage`'s yearly limit in the plan year that contains `on`.
///
/// A visit counts when it is one of `sessions` (the patient's, in any order) billed to the
/// coverage's payer, in that plan year, on or before `on`; to those are added the visits used
/// before the records, when they belong to that plan year. `as_of` is the day the figure is
/// worked out on: without a verification date it dates `visits_used_before`.
pub fn plan_year_visits<'s>(
    patient: &Patient,
    coverage: &Coverage,
    sessions: impl IntoIterator<Item = &'s Session>,
    on: NaiveDate,
    as_of: NaiveDate,
) -> (NaiveDate, VisitCount) {
    let billed_here = sessions
        .into_iter()
        .filter(|s| billed_payer(patient, s) == Some(coverage.payer.as_str()))
        .map(|s| s.date);
    plan_year(
        &coverage.benefits,
        on,
        coverage.used_before_anchor(as_of),
        billed_here,
    )
}

/// Visits counted against `referral`: the `sessions` (the patient's) that name it, on or before
/// `on`, whichever coverage they bill, since the referral is the physician's order, not the plan's.
pub fn referral_visits<'s>(
    referral: &Referral,
    sessions: impl IntoIterator<Item = &'s Session>,
    on: NaiveDate,
) -> VisitCount {
    let used = sessions
        .into_iter()
        .filter(|s| s.date <= on && s.referral.as_deref() == Some(referral.id.as_str()))
        .count();
    VisitCount::new(referral.visits, saturating_u32(used))
}

/// Visits counted against `authorization`: the `sessions` (the patient's) that name it and bill
/// the payer that issued it, on or before `on`; that payer sees no other claim.
pub fn authorization_visits<'s>(
    patient: &Patient,
    authorization: &Authorization,
    sessions: impl IntoIterator<Item = &'s Session>,
    on: NaiveDate,
) -> VisitCount {
    let used = sessions
        .into_iter()
        .filter(|s| {
            s.date <= on
                && s.authorization.as_deref() == Some(authorization.number.as_str())
                && billed_payer(patient, s) == Some(authorization.payer.as_str())
        })
        .count();
    VisitCount::new(authorization.visits, saturating_u32(used))
}

/// The payer a session of `patient` bills: the coverage it names, else the primary one.
fn billed_payer<'p>(patient: &'p Patient, session: &Session) -> Option<&'p str> {
    patient
        .coverage_on(session.coverage.as_deref(), session.date)
        .map(|c| c.payer.as_str())
}

/// A count of records as a visit count; no practice comes near u32::MAX visits.
fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The arithmetic under [`plan_year_visits`], from dates already chosen: visits of the plan
/// year containing `as_of` are those used before the records (counted in the plan year of
/// `anchor` when the plan names no start) plus the `session_dates` in that plan year up to
/// `as_of`. Count from records with [`plan_year_visits`], which decides which sessions count.
pub fn plan_year(
    benefits: &Benefits,
    as_of: NaiveDate,
    anchor: NaiveDate,
    session_dates: impl IntoIterator<Item = NaiveDate>,
) -> (NaiveDate, VisitCount) {
    let start = benefits.plan_year_containing(as_of);
    let recorded = session_dates
        .into_iter()
        .filter(|d| *d >= start && *d <= as_of)
        .count();
    let used = benefits
        .visits_used_before_in(start, anchor)
        .saturating_add(saturating_u32(recorded));
    (start, VisitCount::new(benefits.visits_per_year, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn benefits(start: Option<&str>, per_year: Option<u32>, before: u32) -> Benefits {
        let yaml = format!(
            "massage_covered: true\nrequires_referral: false\nrequires_preauth: false\nvisits_used_before: {before}\n{}{}",
            start
                .map(|s| format!("plan_year_start: {s}\n"))
                .unwrap_or_default(),
            per_year
                .map(|v| format!("visits_per_year: {v}\n"))
                .unwrap_or_default()
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    #[test]
    fn counts_this_plan_year_only() {
        let b = benefits(Some("2026-01-01"), Some(12), 3);
        let dates = [
            d("2025-12-30"),
            d("2026-11-03"),
            d("2026-11-10"),
            d("2026-12-01"),
        ];
        let (start, c) = plan_year(&b, d("2026-11-30"), d("2026-11-30"), dates);
        assert_eq!(start, d("2026-01-01"));
        assert_eq!(
            c,
            VisitCount {
                allowed: Some(12),
                used: 5,
                remaining: Some(7)
            }
        );
    }

    #[test]
    fn used_before_belongs_to_the_named_plan_year() {
        let b = benefits(Some("2025-07-01"), Some(10), 4);
        let (start, c) = plan_year(&b, d("2026-08-01"), d("2026-08-01"), []);
        assert_eq!(start, d("2026-07-01"));
        assert_eq!(c.used, 0);
        let (_, c) = plan_year(&b, d("2026-03-01"), d("2026-03-01"), []);
        assert_eq!(c.used, 4);
    }

    #[test]
    fn a_leap_day_plan_year_ends_where_the_next_begins() {
        let b = benefits(Some("2024-02-29"), None, 0);
        let date = d("2028-02-28");
        let start = b.plan_year_containing(date);
        let end = b.plan_year_end(date);
        assert_eq!(start, d("2027-02-28"));
        assert_eq!(end, d("2028-02-28"));
        assert!(start <= date && date <= end);
        assert_eq!(b.plan_year_containing(d("2028-02-29")), d("2028-02-29"));
    }

    #[test]
    fn without_a_plan_year_start_used_visits_stay_in_the_year_they_were_counted() {
        let b = benefits(None, Some(2), 1);
        // Counted (verified) in 2026: January 2027 starts from zero.
        let (_, c) = plan_year(
            &b,
            d("2027-01-31"),
            d("2026-10-28"),
            [d("2027-01-05"), d("2027-01-12")],
        );
        assert_eq!(c.used, 2);
        assert_eq!(c.remaining, Some(0));
        let (_, c) = plan_year(&b, d("2026-11-30"), d("2026-10-28"), [d("2026-11-05")]);
        assert_eq!(c.used, 2);
    }

    #[test]
    fn no_limit_means_no_remaining() {
        let b = benefits(None, None, 0);
        let (_, c) = plan_year(&b, d("2026-11-30"), d("2026-11-30"), [d("2026-11-01")]);
        assert_eq!(c.remaining, None);
        assert_eq!(c.used, 1);
        assert_eq!(b.plan_year_end(d("2026-11-30")), d("2026-12-31"));
    }

    /// Jane: `ppo` primary (plan years from July 1, 10 visits, 4 used before the records,
    /// verified 2025-09-01) and `ma` secondary (calendar years, no limit); referrals `ref-a`
    /// (3 visits) and `ref-b`; authorization `AUTH-1` from ppo (2 visits).
    const JANE: &str = r#"
first_name: Jane
last_name: Doe
dob: 1980-04-12
sex: F
address: {street: "12 Elm St", city: Portland, state: ME, zip: "04102"}
coverages:
  - payer: ppo
    priority: primary
    member_id: W1
    subscriber: self
    effective: 2024-01-01
    verification: {date: 2025-09-01, method: phone, reference: R-1, representative: Lou}
    benefits:
      massage_covered: true
      plan_year_start: 2025-07-01
      visits_per_year: 10
      visits_used_before: 4
      requires_referral: true
      requires_preauth: true
  - payer: ma
    priority: secondary
    member_id: M1
    subscriber: self
    effective: 2024-01-01
    benefits:
      massage_covered: true
      requires_referral: false
      requires_preauth: false
referrals:
  - id: ref-a
    referring_provider: {first_name: Rosa, last_name: Patel, credentials: MD, npi: "1131860912"}
    date: 2025-06-01
    visits: 3
  - id: ref-b
    referring_provider: {first_name: Rosa, last_name: Patel, credentials: MD, npi: "1131860912"}
    date: 2025-06-01
authorizations:
  - number: AUTH-1
    payer: ppo
    start: 2025-06-01
    end: 2026-12-31
    visits: 2
"#;

    fn jane() -> Patient {
        serde_yaml::from_str(JANE).unwrap()
    }

    /// A session of Jane's on `date`, with `extra` YAML fields (coverage, referral, ...).
    fn session(date: &str, extra: &str) -> Session {
        let yaml = format!(
            "patient: jane\nprovider: amy\ndate: {date}\ntime_in: \"09:00\"\ntime_out: \"10:00\"\ndiagnoses: [M54.50]\nservices: []\nsoap: {{}}\n{extra}"
        );
        serde_yaml::from_str(&yaml).unwrap()
    }

    fn coverage<'p>(patient: &'p Patient, payer: &str) -> &'p Coverage {
        patient.coverages.iter().find(|c| c.payer == payer).unwrap()
    }

    /// Jane's sessions: one in the plan year before, the first and last days of the plan year
    /// 2025-07-01 to 2026-06-30, a visit billed to ma, and one in the next plan year.
    fn sessions() -> Vec<Session> {
        vec![
            session("2025-06-30", ""),
            session("2025-07-01", ""),
            session("2025-09-10", "coverage: ppo"),
            session("2025-09-10", "coverage: ma"),
            session("2025-12-01", ""),
            session("2026-06-30", ""),
            session("2026-07-01", ""),
        ]
    }

    #[test]
    fn plan_year_visits_count_the_plan_years_sessions_billed_to_the_coverage() {
        let p = jane();
        let ppo = coverage(&p, "ppo");
        let all = sessions();
        let used_on = |on: &str| {
            let (start, count) = plan_year_visits(&p, ppo, &all, d(on), d("2026-07-15"));
            (start, count.used, count.remaining)
        };
        // 4 used before the records, then 2025-07-01 and the ppo visit of 2025-09-10; the ma
        // visit that day bills another coverage.
        assert_eq!(used_on("2025-09-10"), (d("2025-07-01"), 6, Some(4)));
        // On or before the date: the day before leaves 2025-09-10 out.
        assert_eq!(used_on("2025-09-09"), (d("2025-07-01"), 5, Some(5)));
        // The plan year's last day counts all four of its sessions.
        assert_eq!(used_on("2026-06-30"), (d("2025-07-01"), 8, Some(2)));
        // The next plan year starts from its own sessions; the visits used before stay behind.
        assert_eq!(used_on("2026-07-01"), (d("2026-07-01"), 1, Some(9)));
        // The plan year before the records: only its own session, nothing used before.
        assert_eq!(used_on("2025-06-30"), (d("2024-07-01"), 1, Some(9)));
    }

    #[test]
    fn plan_year_visits_of_another_coverage_count_only_its_sessions() {
        let p = jane();
        let all = sessions();
        let (start, count) = plan_year_visits(
            &p,
            coverage(&p, "ma"),
            &all,
            d("2025-12-31"),
            d("2025-12-31"),
        );
        assert_eq!(start, d("2025-01-01"));
        assert_eq!(count, VisitCount::new(None, 1));
    }

    #[test]
    fn two_sessions_on_one_day_both_count_on_that_day() {
        let p = jane();
        let all = [session("2025-08-01", ""), session("2025-08-01", "")];
        let (_, count) = plan_year_visits(
            &p,
            coverage(&p, "ppo"),
            &all,
            d("2025-08-01"),
            d("2025-08-01"),
        );
        assert_eq!(count.used, 6);
    }

    #[test]
    fn visits_used_before_without_a_plan_year_start_follow_the_verification_date() {
        let mut p = jane();
        p.coverages[0].benefits.plan_year_start = None;
        let ppo = &p.coverages[0];
        let all = [session("2025-10-01", ""), session("2026-01-05", "")];
        // Verified 2025-09-01: the 4 visits belong to calendar 2025, whatever `as_of` is.
        let (_, count) = plan_year_visits(&p, ppo, &all, d("2025-12-31"), d("2026-02-01"));
        assert_eq!(count.used, 5);
        let (_, count) = plan_year_visits(&p, ppo, &all, d("2026-01-31"), d("2026-02-01"));
        assert_eq!(count.used, 1);
        // Without a verification, they belong to the plan year of `as_of`.
        p.coverages[0].verification = None;
        let ppo = &p.coverages[0];
        let (_, count) = plan_year_visits(&p, ppo, &all, d("2026-01-31"), d("2026-02-01"));
        assert_eq!(count.used, 5);
    }

    #[test]
    fn referral_visits_are_the_sessions_naming_it_on_any_coverage() {
        let p = jane();
        let all = [
            session("2025-07-01", "referral: ref-a"),
            session("2025-07-08", "referral: ref-b"),
            session("2025-07-15", ""),
            session("2025-07-22", "coverage: ma\nreferral: ref-a"),
            session("2025-07-29", "referral: ref-a"),
        ];
        let ref_a = &p.referrals[0];
        assert_eq!(
            referral_visits(ref_a, &all, d("2025-07-22")),
            VisitCount {
                allowed: Some(3),
                used: 2,
                remaining: Some(1)
            }
        );
        assert_eq!(referral_visits(ref_a, &all, d("2025-07-29")).used, 3);
        assert_eq!(referral_visits(ref_a, &all, d("2025-06-30")).used, 0);
        let ref_b = referral_visits(&p.referrals[1], &all, d("2025-12-31"));
        assert_eq!(ref_b, VisitCount::new(None, 1));
        assert_eq!(ref_b.remaining, None);
    }

    #[test]
    fn authorization_visits_are_the_sessions_naming_it_billed_to_its_payer() {
        let p = jane();
        let auth = &p.authorizations[0];
        let all = [
            session("2025-07-01", "authorization: AUTH-1"),
            session("2025-07-08", "coverage: ma\nauthorization: AUTH-1"),
            session("2025-07-15", ""),
            session("2025-07-22", "coverage: ppo\nauthorization: AUTH-1"),
            session("2025-07-29", "authorization: AUTH-1"),
        ];
        assert_eq!(
            authorization_visits(&p, auth, &all, d("2025-07-08")).used,
            1
        );
        let count = authorization_visits(&p, auth, &all, d("2025-07-29"));
        assert_eq!(count.used, 3);
        assert_eq!(count.remaining, Some(0));
    }
}
