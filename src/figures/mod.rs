//! Figures computed once in Rust for documents and rules alike: units and charges, visits used
//! and left, the patient's share of an allowed amount and a visit's estimated cost, deadlines
//! and the pain trend. Templates only print them; figures never depend on the rules.

pub mod cost;
pub mod deadlines;
pub mod estimate;
pub mod lines;
pub mod trend;
pub mod units;
pub mod visits;

use chrono::{Datelike, NaiveDate};

/// True when `date` falls in the calendar month of `month` (any day of it).
pub fn in_month(date: NaiveDate, month: NaiveDate) -> bool {
    date.year() == month.year() && date.month() == month.month()
}

/// "2026-11" for any day of November 2026.
pub fn month_label(month: NaiveDate) -> String {
    format!("{:04}-{:02}", month.year(), month.month())
}
