//! The history of retired ICD-10-CM codes: when each stopped being valid and what CMS published
//! to use instead, from the built-in list of codes retired since FY2022.

use super::table::Table;
use super::{normalize, with_dot};
use chrono::NaiveDate;

/// Codes that stopped being valid since FY2022:
/// `code<TAB>invalid_from<TAB>invalid_by<TAB>dotted replacements, comma separated`.
pub(super) const DELETED: &str = include_str!("../../../data/icd10cm/deleted.tsv");

/// A code that stopped being valid, from the built-in list of retired codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletedCode {
    /// The code, dotted.
    pub code: String,
    /// The day it stopped being valid, or the earliest day it may have when `is_exact` is false.
    pub invalid_from: NaiveDate,
    /// The first day of the first edition known to lack it as a billable code.
    pub invalid_by: NaiveDate,
    /// Dotted codes to use instead, as of the edition that retired it.
    pub replacements: Vec<String>,
}

impl DeletedCode {
    /// True when the retirement date is known to the day rather than bounded.
    ///
    /// No package registry carries the FY2022-FY2024 editions, so some retirements in that
    /// window are only known to lie between `invalid_from` and `invalid_by`.
    pub fn is_exact(&self) -> bool {
        self.invalid_from == self.invalid_by
    }
}

/// Looks a code up in the built-in list of codes retired since FY2022 (with or without dot).
pub fn deleted(code: &str) -> Option<DeletedCode> {
    let code = normalize(code)?;
    let line = Table::new(DELETED).find(&code)?;
    let mut fields = line.split('\t');
    let (_, from, by, reps) = (
        fields.next()?,
        fields.next()?,
        fields.next()?,
        fields.next(),
    );
    Some(DeletedCode {
        code: with_dot(&code),
        invalid_from: from.parse().ok()?,
        invalid_by: by.parse().ok()?,
        replacements: reps
            .unwrap_or("")
            .split(',')
            .filter(|r| !r.is_empty())
            .map(str::to_string)
            .collect(),
    })
}
