//! Visits allowed, used and left: per plan year, per referral, per authorization.

use crate::model::Benefits;
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

/// Visits of the plan year containing `as_of`: those used before the records (counted in
/// the plan year of `anchor` when the plan names no start) plus the recorded
/// `session_dates` in that plan year up to `as_of`.
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
        .count() as u32;
    let used = benefits.visits_used_before_in(start, anchor) + recorded;
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
}
