//! Deadlines counted in days from a date: timely filing and appeal windows.

use chrono::{Days, NaiveDate};

/// The last day to act: `from` plus `days`.
pub fn deadline(from: NaiveDate, days: u32) -> NaiveDate {
    from.checked_add_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MAX)
}

/// Days from `as_of` to `deadline`: negative once it has passed, 0 on the day itself.
pub fn days_left(deadline: NaiveDate, as_of: NaiveDate) -> i64 {
    (deadline - as_of).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_arithmetic() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(deadline(d("2026-11-12"), 180), d("2027-05-11"));
        assert_eq!(days_left(d("2027-05-11"), d("2027-05-11")), 0);
        assert_eq!(days_left(d("2027-05-11"), d("2027-05-12")), -1);
    }
}
