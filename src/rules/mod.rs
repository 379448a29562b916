//! Pure checks over the loaded practice, one file per concern; each adds findings and
//! touches neither files nor templates.

pub mod addresses;
pub mod care;
pub mod claims;
pub mod coverage;
pub mod diagnoses;
pub mod identifiers;
pub mod ledger;
pub mod referrals;
pub mod scope;
pub mod services;
pub mod soap;
#[cfg(test)]
mod testkit;
pub mod units;
pub mod visit;

use crate::findings::Finding;
use crate::load::PracticeData;
use chrono::NaiveDate;

/// Runs every rule on every record; `as_of` is the date "today" means.
pub fn check_all(data: &PracticeData, as_of: NaiveDate, findings: &mut Vec<Finding>) {
    identifiers::check(data, findings);
    addresses::check(data, findings);
    diagnoses::check(data, findings);
    services::check(data, findings);
    units::check(data, findings);
    coverage::check(data, as_of, findings);
    referrals::check(data, findings);
    care::check(data, findings);
    visit::check(data, as_of, findings);
    scope::check(data, findings);
    soap::check(data, as_of, findings);
    ledger::check(data, findings);
}
