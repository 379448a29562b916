//! ICD-10-CM by date of service: is a diagnosis code billable, and if not, what to use instead.
//! The FY2025 and FY2026 editions and the retired codes are embedded as sorted text (built by
//! `scripts/icd10cm/regen.sh`); a practice can add another fiscal year's CMS order file.

mod order_file;
mod retired;
mod suggest;
mod table;
#[cfg(test)]
mod tests;

pub use order_file::OrderFileError;
pub use retired::{DeletedCode, deleted};

use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use suggest::{current_replacements, near_matches, placeholder_successors};
use table::{Row, Table, skip_header};

/// FY2025 (dates of service 2024-10-01 to 2025-09-30): `code<TAB>billable<TAB>short title`.
const FY2025: &str = include_str!("../../../data/icd10cm/fy2025.tsv");
/// FY2026 (dates of service 2025-10-01 to 2026-09-30), same layout.
const FY2026: &str = include_str!("../../../data/icd10cm/fy2026.tsv");

/// How many replacement codes a message names before summarising the rest.
const MAX_LISTED: usize = 8;

/// Strips one dot, trims and uppercases a code; `None` when it is not shaped like ICD-10-CM.
///
/// The shape is `^[A-Z][0-9A-Z][0-9A-Z](\.[0-9A-Z]{1,4})?$`: the second character may be a
/// letter since the April 2026 update (QA0). The dot is optional but, if present, must follow
/// the third character, as it does in print.
pub fn normalize(code: &str) -> Option<String> {
    let trimmed = code.trim();
    let mut out = String::with_capacity(7);
    let mut dot_at = None;
    for ch in trimmed.chars() {
        if ch == '.' {
            if dot_at.is_some() {
                return None;
            }
            dot_at = Some(out.len());
        } else if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_uppercase());
        } else {
            return None;
        }
    }
    if dot_at.is_some_and(|at| at != 3 || out.len() == 3) {
        return None;
    }
    let first_is_letter = out.bytes().next().is_some_and(|b| b.is_ascii_uppercase());
    ((3..=7).contains(&out.len()) && first_is_letter).then_some(out)
}

/// Inserts the dot after the third character: `"M5450"` -> `"M54.50"`.
pub fn with_dot(code: &str) -> String {
    match (code.get(..3), code.get(3..)) {
        (Some(head), Some(tail)) if !tail.is_empty() && !code.contains('.') => {
            format!("{head}.{tail}")
        }
        _ => code.to_string(),
    }
}

/// Federal fiscal year of a date; it starts on October 1, so 2026-10-01 is in FY2027.
pub fn fiscal_year(date: NaiveDate) -> u16 {
    let year = if date.month() >= 10 {
        date.year() + 1
    } else {
        date.year()
    };
    u16::try_from(year).unwrap_or(if year < 0 { 0 } else { u16::MAX })
}

/// First day of a fiscal year, the day its edition comes into force.
pub fn fiscal_year_start(fiscal_year: u16) -> NaiveDate {
    NaiveDate::from_ymd_opt(i32::from(fiscal_year) - 1, 10, 1).unwrap_or(NaiveDate::MIN)
}

/// What an edition says about a code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Icd10Status {
    /// Valid on a claim.
    Billable {
        /// The code, dotted.
        code: String,
        /// Its short title.
        description: String,
    },
    /// A category or subcategory: needs more characters before it can be billed.
    Header {
        /// The code, dotted.
        code: String,
        /// Its title.
        description: String,
        /// Every billable code below it, dotted, in table order.
        billable_children: Vec<String>,
    },
    /// Was valid once and stopped being valid on or before the date of service.
    Deleted {
        /// The code, dotted.
        code: String,
        /// The day it stopped being valid, or the earliest day it may have when the built-in
        /// list only bounds it (see [`DeletedCode::is_exact`]; `message` then names both ends).
        invalid_from: NaiveDate,
        /// Dotted billable codes to use instead in the edition checked (may be empty).
        replacements: Vec<String>,
    },
    /// Well-formed but not in the edition.
    Unknown {
        /// The code, dotted.
        code: String,
        /// Up to four dotted billable codes that look like it, best first.
        near: Vec<String>,
    },
    /// Not shaped like an ICD-10-CM code at all.
    Malformed {
        /// What was given, unchanged.
        input: String,
    },
}

impl Icd10Status {
    /// One sentence that says what is wrong and what to do, ready to show a biller.
    pub fn message(&self) -> String {
        match self {
            Icd10Status::Billable { code, description } => {
                format!("{code} ({description}) is a billable ICD-10-CM code")
            }
            Icd10Status::Header {
                code,
                billable_children,
                ..
            } if billable_children.is_empty() => {
                format!("{code} is a category, not a billable code: use a more specific code")
            }
            Icd10Status::Header {
                code,
                billable_children,
                ..
            } => format!(
                "{code} is a category, not a billable code: use {}",
                or_list(billable_children)
            ),
            Icd10Status::Deleted {
                code,
                invalid_from,
                replacements,
            } => {
                // A date the data only bound is given as a range rather than a false day.
                let when = match deleted(code)
                    .filter(|d| d.invalid_from == *invalid_from && !d.is_exact())
                {
                    Some(d) => format!("between {} and {}", d.invalid_from, d.invalid_by),
                    None => format!("on {invalid_from}"),
                };
                if replacements.is_empty() {
                    format!(
                        "{code} stopped being valid {when}: choose a current code from the ICD-10-CM tabular list"
                    )
                } else {
                    format!(
                        "{code} stopped being valid {when}: use {}",
                        or_list(replacements)
                    )
                }
            }
            Icd10Status::Unknown { code, near } => match near.first() {
                Some(best) => format!("{code} is not an ICD-10-CM code; did you mean {best}?"),
                None => format!(
                    "{code} is not an ICD-10-CM code: check it against the ICD-10-CM tabular list"
                ),
            },
            Icd10Status::Malformed { input } => format!(
                "\"{input}\" is not shaped like an ICD-10-CM code: a letter, then 2 to 6 letters or digits, with an optional dot after the third (e.g. M54.50)"
            ),
        }
    }

    /// True only for [`Icd10Status::Billable`].
    pub fn is_billable(&self) -> bool {
        matches!(self, Icd10Status::Billable { .. })
    }
}

/// "A", "A or B", "A, B or C"; past eight codes, "A, ..., H or one of N more".
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        _ if items.len() > MAX_LISTED => format!(
            "{} or one of {} more",
            items[..MAX_LISTED].join(", "),
            items.len() - MAX_LISTED
        ),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// The answer to [`Icd10::check`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Icd10Check {
    /// The fiscal year of the edition the code was checked against.
    pub fiscal_year_used: u16,
    /// False when no edition covers the date's fiscal year and the newest one was used instead.
    pub edition_available: bool,
    /// What that edition says.
    pub status: Icd10Status,
}

/// Size of one edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EditionCounts {
    /// Codes listed, headers included.
    pub entries: usize,
    /// Codes valid on a claim.
    pub billable: usize,
}

/// The ICD-10-CM editions known to the program: the built-in ones plus those a practice adds.
#[derive(Clone)]
pub struct Icd10 {
    /// Fiscal year -> table body (sorted `code<TAB>billable<TAB>short<TAB>full title` lines, no
    /// header).
    editions: BTreeMap<u16, Cow<'static, str>>,
}

impl fmt::Debug for Icd10 {
    // The tables are megabytes of text: show which years are loaded, not their content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Icd10")
            .field("fiscal_years", &self.fiscal_years())
            .finish()
    }
}

impl Icd10 {
    /// The editions embedded in the program (FY2025 and FY2026); costs nothing to build.
    pub fn builtin() -> Self {
        let mut editions = BTreeMap::new();
        editions.insert(2025, Cow::Borrowed(skip_header(FY2025)));
        editions.insert(2026, Cow::Borrowed(skip_header(FY2026)));
        Icd10 { editions }
    }

    /// Adds an edition from a CMS order file (`icd10cm_order_YYYY.txt`); errors name the line.
    ///
    /// A CMS order file is a whole edition, so it replaces a built-in edition of the same
    /// fiscal year rather than being merged into it; a year not built in is added. The newest
    /// edition, imported or not, is the one used for dates past every edition.
    pub fn add_order_file(&mut self, fiscal_year: u16, text: &str) -> Result<(), OrderFileError> {
        let body = order_file::edition_body(text)?;
        self.editions.insert(fiscal_year, Cow::Owned(body));
        Ok(())
    }

    /// Fiscal years that have an edition, oldest first.
    pub fn fiscal_years(&self) -> Vec<u16> {
        self.editions.keys().copied().collect()
    }

    /// Number of codes and billable codes in one edition (a full scan: for reports, not loops).
    pub fn edition_counts(&self, fiscal_year: u16) -> Option<EditionCounts> {
        let table = Table::new(self.editions.get(&fiscal_year)?);
        let mut counts = EditionCounts {
            entries: 0,
            billable: 0,
        };
        for line in table.lines_from(0) {
            counts.entries += 1;
            counts.billable += usize::from(Row::parse(line).billable);
        }
        Some(counts)
    }

    /// The fiscal year of the edition used for a date of service, and whether it is that
    /// date's own edition (else the newest one held).
    fn edition_for(&self, date_of_service: NaiveDate) -> (u16, bool) {
        let wanted = fiscal_year(date_of_service);
        match self.editions.last_key_value() {
            _ if self.editions.contains_key(&wanted) => (wanted, true),
            Some((&newest, _)) => (newest, false),
            None => (wanted, false),
        }
    }

    /// The full (long) title of a code in the edition used for the date of service, as
    /// documents print it; None when the edition does not list the code. Claim forms use the
    /// short title of [`Icd10Status`].
    pub fn full_title(&self, code: &str, date_of_service: NaiveDate) -> Option<String> {
        let code = normalize(code)?;
        let (fy, _) = self.edition_for(date_of_service);
        let table = Table::new(self.editions.get(&fy)?);
        table
            .find(&code)
            .map(|line| Row::parse(line).full_title().to_string())
    }

    /// Checks a code (dotted or not, any case) against the edition in force on the date of service.
    pub fn check(&self, code: &str, date_of_service: NaiveDate) -> Icd10Check {
        let (fiscal_year_used, edition_available) = self.edition_for(date_of_service);
        let status = match normalize(code) {
            Some(norm) => self.status_in(fiscal_year_used, &norm, date_of_service),
            None => Icd10Status::Malformed {
                input: code.to_string(),
            },
        };
        Icd10Check {
            fiscal_year_used,
            edition_available,
            status,
        }
    }

    /// What each edition says of a code, oldest first, as of the first day of its fiscal year.
    pub fn describe(&self, code: &str) -> Vec<(u16, Icd10Status)> {
        let norm = normalize(code);
        self.editions
            .keys()
            .map(|&fy| {
                let status = match &norm {
                    Some(norm) => self.status_in(fy, norm, fiscal_year_start(fy)),
                    None => Icd10Status::Malformed {
                        input: code.to_string(),
                    },
                };
                (fy, status)
            })
            .collect()
    }

    /// Status of a normalized code in one edition for a date of service.
    fn status_in(&self, fy: u16, code: &str, date: NaiveDate) -> Icd10Status {
        let table = Table::new(self.editions.get(&fy).map_or("", |b| b.as_ref()));
        let row = table.find(code).map(Row::parse);
        if let Some(row) = row.as_ref().filter(|r| r.billable) {
            return Icd10Status::Billable {
                code: with_dot(code),
                description: row.description.to_string(),
            };
        }
        if let Some(gone) = deleted(code).filter(|d| d.invalid_from <= date) {
            return Icd10Status::Deleted {
                code: gone.code,
                replacements: current_replacements(&table, &gone.replacements),
                invalid_from: gone.invalid_from,
            };
        }
        if let Some(row) = row {
            return Icd10Status::Header {
                code: with_dot(code),
                description: row.description.to_string(),
                billable_children: table
                    .billable_under(code)
                    .filter(|c| *c != code)
                    .map(with_dot)
                    .collect(),
            };
        }
        if let Some(status) = self.dropped_since_previous_year(fy, &table, code, date) {
            return status;
        }
        Icd10Status::Unknown {
            code: with_dot(code),
            near: near_matches(&table, code),
        }
    }

    /// A code billable in the previous year's edition and absent from this one was deleted on
    /// this year's first day. The built-in list only covers the built-in years; this keeps an
    /// imported edition (say FY2027) from calling a code it dropped "not an ICD-10-CM code".
    fn dropped_since_previous_year(
        &self,
        fy: u16,
        table: &Table<'_>,
        code: &str,
        date: NaiveDate,
    ) -> Option<Icd10Status> {
        let previous = Table::new(self.editions.get(&fy.checked_sub(1)?)?);
        let invalid_from = fiscal_year_start(fy);
        if date < invalid_from || !previous.find(code).map(Row::parse)?.billable {
            return None;
        }
        Some(Icd10Status::Deleted {
            code: with_dot(code),
            invalid_from,
            replacements: placeholder_successors(&previous, table, code),
        })
    }
}
