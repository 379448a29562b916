//! ICD-10-CM by date of service: is a diagnosis code billable, and if not, what to use instead.
//!
//! The FY2025 and FY2026 tables and the list of retired codes are embedded as sorted TSV text
//! (built by `scripts/icd10cm/regen.sh`). Nothing is parsed at startup: a lookup is a binary
//! search over the byte offsets of the embedded text, so the first check costs microseconds.
//! A practice can add the CMS order file of another fiscal year; it is turned into the same
//! sorted text once, when added.

use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// FY2025 (dates of service 2024-10-01 to 2025-09-30): `code<TAB>billable<TAB>short title`.
const FY2025: &str = include_str!("../../data/icd10cm/fy2025.tsv");
/// FY2026 (dates of service 2025-10-01 to 2026-09-30), same layout.
const FY2026: &str = include_str!("../../data/icd10cm/fy2026.tsv");
/// Codes that stopped being valid since FY2022:
/// `code<TAB>invalid_from<TAB>invalid_by<TAB>dotted replacements, comma separated`.
const DELETED: &str = include_str!("../../data/icd10cm/deleted.tsv");

/// How many near matches an unknown code gets.
const MAX_NEAR: usize = 4;
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

/// Why a CMS order file was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrderFileError {
    /// A line does not follow the CMS fixed-width layout.
    #[error("line {line}: {reason}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong with it.
        reason: String,
    },
    /// The same code is listed twice.
    #[error("line {line}: {code} is already listed on line {first}")]
    Duplicate {
        /// 1-based line number of the second listing.
        line: usize,
        /// 1-based line number of the first listing.
        first: usize,
        /// The code, dotted.
        code: String,
    },
    /// No line holds a code.
    #[error("the order file lists no codes")]
    Empty,
}

/// The ICD-10-CM editions known to the program: the built-in ones plus those a practice adds.
#[derive(Clone)]
pub struct Icd10 {
    /// Fiscal year -> table body (sorted `code<TAB>billable<TAB>title` lines, no header).
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
    /// Fixed-width layout: columns 1-5 order number, 7-13 code without dot padded to 7,
    /// 15 billable flag (1) or header (0), 17-76 short title, 78 on long title; CRLF or LF.
    /// The short title becomes the description.
    ///
    /// A CMS order file is a whole edition, so it replaces a built-in edition of the same
    /// fiscal year rather than being merged into it; a year not built in is added. The newest
    /// edition, imported or not, is the one used for dates past every edition.
    pub fn add_order_file(&mut self, fiscal_year: u16, text: &str) -> Result<(), OrderFileError> {
        let mut rows: Vec<(String, bool, String, usize)> = Vec::new();
        for (index, raw) in text.split('\n').enumerate() {
            let line_no = index + 1;
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            // Files saved by some editors start with a byte-order mark.
            let line = line.strip_prefix('\u{feff}').unwrap_or(line);
            if line.trim().is_empty() {
                continue;
            }
            let (code, billable, title) =
                parse_order_line(line).map_err(|reason| OrderFileError::Line {
                    line: line_no,
                    reason,
                })?;
            rows.push((code, billable, title, line_no));
        }
        if rows.is_empty() {
            return Err(OrderFileError::Empty);
        }
        // Stable sort: of two equal codes the earlier line comes first, for the error below.
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        for pair in rows.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(OrderFileError::Duplicate {
                    line: pair[1].3.max(pair[0].3),
                    first: pair[1].3.min(pair[0].3),
                    code: with_dot(&pair[0].0),
                });
            }
        }
        let mut body = String::with_capacity(rows.len() * 64);
        for (code, billable, title, _) in &rows {
            body.push_str(code);
            body.push_str(if *billable { "\t1\t" } else { "\t0\t" });
            body.push_str(title);
            body.push('\n');
        }
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

    /// Checks a code (dotted or not, any case) against the edition in force on the date of service.
    pub fn check(&self, code: &str, date_of_service: NaiveDate) -> Icd10Check {
        let wanted = fiscal_year(date_of_service);
        let (fiscal_year_used, edition_available) = match self.editions.last_key_value() {
            _ if self.editions.contains_key(&wanted) => (wanted, true),
            Some((&newest, _)) => (newest, false),
            None => (wanted, false),
        };
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

/// Replacements as they stand in the edition checked: a replacement that later became a header
/// gives way to its billable codes, one that is gone is dropped. If none survives, the list as
/// published is kept, since it still tells the biller where to look.
fn current_replacements(table: &Table<'_>, published: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for rep in published {
        let Some(code) = normalize(rep) else { continue };
        let Some(row) = table.find(&code).map(Row::parse) else {
            continue;
        };
        if row.billable {
            out.push(with_dot(&code));
        } else {
            out.extend(table.billable_under(&code).map(with_dot));
        }
    }
    out.dedup();
    if out.is_empty() {
        published.to_vec()
    } else {
        out
    }
}

/// New billable codes that fill the placeholder X positions of a removed code
/// (S30.1XXA -> S30.11XA, S30.12XA, S30.13XA), the usual way CMS splits a code.
fn placeholder_successors(previous: &Table<'_>, table: &Table<'_>, code: &str) -> Vec<String> {
    let fixed_len = code.find('X').unwrap_or(code.len()).max(3);
    table
        .billable_under(&code[..fixed_len])
        .filter(|c| {
            c.len() == code.len()
                && c.bytes()
                    .zip(code.bytes())
                    .all(|(new, old)| new == old || old == b'X')
                && previous.find(c).is_none()
        })
        .map(with_dot)
        .collect()
}

/// Up to four billable codes that look like an unknown code, best first.
///
/// Candidates are the billable codes under the longest prefix of the code that has any (a
/// wrong or missing last characters), plus any billable code one edit away anywhere (a typo in
/// the category). They are ranked by edit distance, then codes of the length typed first, then
/// by preferring the "other" and "unspecified" subdivisions (9, 0, 8) where the code differs,
/// which is what a placeholder typed too early usually meant (T85.7XXS -> T85.79XS).
fn near_matches(table: &Table<'_>, code: &str) -> Vec<String> {
    let mut candidates: Vec<&str> = Vec::new();
    for len in (3..code.len()).rev() {
        candidates.extend(table.billable_under(&code[..len]));
        if !candidates.is_empty() {
            break;
        }
    }
    candidates.extend(
        table
            .lines_from(0)
            // The edit test on the code alone rejects almost every line before it is parsed.
            .filter(|line| within_one_edit(code_of(line.as_bytes()), code.as_bytes()))
            .map(Row::parse)
            .filter(|r| r.billable)
            .map(|r| r.code),
    );
    candidates.sort_unstable();
    candidates.dedup();
    let mut ranked: Vec<(usize, bool, u32, &str)> = candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(code, c),
                c.len() != code.len(),
                genericness(code, c),
                c,
            )
        })
        .collect();
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(MAX_NEAR)
        .map(|(_, _, _, c)| with_dot(c))
        .collect()
}

/// Lower is more generic: the subdivisions ICD-10-CM uses for "other" and "unspecified".
fn genericness(wanted: &str, candidate: &str) -> u32 {
    wanted
        .bytes()
        .zip(candidate.bytes())
        .filter(|(w, c)| w != c)
        .map(|(_, c)| match c {
            b'9' => 0,
            b'0' => 1,
            b'8' => 2,
            _ => 3,
        })
        .sum()
}

/// One substitution, insertion, deletion or swap of neighbours apart (or equal); no allocation,
/// since it runs over every line of an edition.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let rest = prefix + 1;
        let substitution = short.get(rest..) == long.get(rest..);
        let swap = rest < short.len()
            && short[prefix] == long[rest]
            && short[rest] == long[prefix]
            && short.get(rest + 1..) == long.get(rest + 1..);
        prefix == short.len() || substitution || swap
    } else {
        short.get(prefix..) == long.get(prefix + 1..)
    }
}

/// One line of a table: `code<TAB>billable<TAB>title`.
struct Row<'a> {
    code: &'a str,
    billable: bool,
    description: &'a str,
}

impl<'a> Row<'a> {
    /// Tolerant: a short line reads as a header without title rather than failing, because
    /// tables are either embedded (checked by tests) or built by `add_order_file`.
    fn parse(line: &'a str) -> Row<'a> {
        let mut fields = line.splitn(3, '\t');
        Row {
            code: fields.next().unwrap_or(""),
            billable: fields.next() == Some("1"),
            description: fields.next().unwrap_or(""),
        }
    }
}

/// Drops the `#` header line of an embedded table.
fn skip_header(text: &str) -> &str {
    if text.starts_with('#') {
        text.find('\n').map_or("", |nl| &text[nl + 1..])
    } else {
        text
    }
}

/// A table body: lines sorted bytewise by their first field, searched in place.
struct Table<'a> {
    body: &'a str,
}

impl<'a> Table<'a> {
    fn new(text: &'a str) -> Self {
        Table {
            body: skip_header(text),
        }
    }

    /// Byte offset of the first line whose code is not less than `key` (or the body's length).
    ///
    /// `lo` and `hi` always sit at line starts; a probe in between is moved back to the start
    /// of its line. Offsets are found through `\n` bytes, so slices stay on char boundaries
    /// even when a title holds non-ASCII text.
    fn lower_bound(&self, key: &str) -> usize {
        let bytes = self.body.as_bytes();
        let (mut lo, mut hi) = (0, bytes.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let start = bytes[lo..mid]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(lo, |i| lo + i + 1);
            let end = line_end(bytes, start);
            if code_of(&bytes[start..end]) < key.as_bytes() {
                lo = (end + 1).min(bytes.len());
            } else {
                hi = start;
            }
        }
        lo
    }

    /// The line of a code, if listed.
    fn find(&self, code: &str) -> Option<&'a str> {
        self.lines_from(self.lower_bound(code))
            .next()
            .filter(|line| line.split('\t').next() == Some(code))
    }

    /// Lines from a line start to the end of the table.
    fn lines_from(&self, start: usize) -> impl Iterator<Item = &'a str> + use<'a> {
        self.body
            .get(start..)
            .unwrap_or("")
            .split('\n')
            .filter(|line| !line.is_empty())
    }

    /// Billable codes starting with `prefix` (the prefix itself included), in table order.
    fn billable_under<'k>(&self, prefix: &'k str) -> impl Iterator<Item = &'a str> + use<'a, 'k> {
        self.lines_from(self.lower_bound(prefix))
            .map(Row::parse)
            .take_while(move |row| row.code.starts_with(prefix))
            .filter(|row| row.billable)
            .map(|row| row.code)
    }
}

/// Index of the `\n` ending the line that starts at `start`, or the length of the text.
fn line_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| start + i)
}

/// The first field of a line.
fn code_of(line: &[u8]) -> &[u8] {
    line.split(|&b| b == b'\t').next().unwrap_or(line)
}

/// Reads one fixed-width line of a CMS order file into (code, billable, short title).
fn parse_order_line(line: &str) -> Result<(String, bool, String), String> {
    let bytes = line.as_bytes();
    // Columns are 1-based in the CMS layout; byte 0 is column 1.
    let column = |from: usize, to: usize| {
        String::from_utf8_lossy(bytes.get(from..to.min(bytes.len())).unwrap_or(&[])).into_owned()
    };
    if bytes.len() < 17 {
        return Err(format!(
            "too short for the CMS order-file layout ({} characters; a code line has at least 17)",
            bytes.len()
        ));
    }
    let order = column(0, 5);
    if !order.trim().bytes().all(|b| b.is_ascii_digit()) || order.trim().is_empty() {
        return Err(format!(
            "columns 1-5 should hold the order number, found {order:?}"
        ));
    }
    if bytes[5] != b' ' || bytes[13] != b' ' || bytes[15] != b' ' {
        return Err("columns 6, 14 and 16 should be spaces".to_string());
    }
    let raw_code = column(6, 13);
    let code = raw_code.trim_end();
    if normalize(code).as_deref() != Some(code) {
        return Err(format!(
            "columns 7-13 should hold an ICD-10-CM code without dot, found {raw_code:?}"
        ));
    }
    let billable = match bytes[14] {
        b'1' => true,
        b'0' => false,
        other => {
            return Err(format!(
                "column 15 should be 1 (billable) or 0 (header), found {:?}",
                char::from(other)
            ));
        }
    };
    // Tabs would break the TSV body the edition is stored as.
    let title = column(16, 76).replace('\t', " ").trim().to_string();
    if title.is_empty() {
        return Err("columns 17-76 should hold the short title".to_string());
    }
    Ok((code.to_string(), billable, title))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// Every embedded table is a `#` line then strictly increasing, well-shaped rows; the lookup
    /// code relies on it.
    #[test]
    fn embedded_tables_are_well_formed() {
        for (name, text, columns) in [
            ("fy2025", FY2025, 3),
            ("fy2026", FY2026, 3),
            ("deleted", DELETED, 4),
        ] {
            assert!(text.starts_with('#'), "{name}: header line");
            assert!(text.is_ascii(), "{name}: ASCII");
            assert!(!text.contains('\r'), "{name}: LF line ends");
            let mut previous = "";
            for line in skip_header(text).lines() {
                let fields: Vec<&str> = line.split('\t').collect();
                assert_eq!(fields.len(), columns, "{name}: {line}");
                assert_eq!(
                    normalize(fields[0]).as_deref(),
                    Some(fields[0]),
                    "{name}: {line}"
                );
                assert!(
                    previous < fields[0],
                    "{name}: {previous} before {}",
                    fields[0]
                );
                previous = fields[0];
                if columns == 3 {
                    assert!(fields[1] == "0" || fields[1] == "1", "{name}: {line}");
                    assert!(!fields[2].is_empty(), "{name}: {line}");
                } else {
                    let from: NaiveDate = fields[1].parse().expect("invalid_from is a date");
                    let by: NaiveDate = fields[2].parse().expect("invalid_by is a date");
                    assert!(from <= by, "{line}");
                    assert!(
                        from >= date(2021, 10, 1) && by <= date(2025, 10, 1),
                        "{line}"
                    );
                    for rep in fields[3].split(',').filter(|r| !r.is_empty()) {
                        assert_eq!(normalize(rep).map(|r| with_dot(&r)).as_deref(), Some(rep));
                    }
                }
            }
        }
    }

    #[test]
    fn builtin_edition_counts() {
        let icd = Icd10::builtin();
        assert_eq!(icd.fiscal_years(), vec![2025, 2026]);
        assert_eq!(
            icd.edition_counts(2025),
            Some(EditionCounts {
                entries: 97_584,
                billable: 74_260
            })
        );
        assert_eq!(
            icd.edition_counts(2026),
            Some(EditionCounts {
                entries: 98_186,
                billable: 74_719
            })
        );
        assert_eq!(icd.edition_counts(2027), None);
    }

    #[test]
    fn normalize_and_dots() {
        assert_eq!(normalize("M54.50").as_deref(), Some("M5450"));
        assert_eq!(normalize(" m5450 ").as_deref(), Some("M5450"));
        assert_eq!(normalize("s13.4xxa").as_deref(), Some("S134XXA"));
        assert_eq!(normalize("QA0").as_deref(), Some("QA0"));
        assert_eq!(normalize("M54").as_deref(), Some("M54"));
        for bad in [
            "",
            "M5",
            "M54.",
            "M.545",
            "M54..5",
            "M5.45",
            "5M45",
            "M54.50001",
            "M545000X",
            "M54 50",
            "M54-50",
            "Ü545",
        ] {
            assert_eq!(normalize(bad), None, "{bad:?}");
        }
        assert_eq!(with_dot("M5450"), "M54.50");
        assert_eq!(with_dot("T8579XS"), "T85.79XS");
        assert_eq!(with_dot("M54"), "M54");
        assert_eq!(with_dot("M54.50"), "M54.50");
    }

    #[test]
    fn same_answer_with_or_without_dot() {
        let icd = Icd10::builtin();
        let day = date(2026, 3, 2);
        for (a, b) in [
            ("M54.50", "M5450"),
            ("m79.1", "M791"),
            ("T85.7XXS", "t857xxs"),
        ] {
            assert_eq!(icd.check(a, day), icd.check(b, day));
        }
        let check = icd.check("m5450", day);
        assert_eq!(
            check.status,
            Icd10Status::Billable {
                code: "M54.50".into(),
                description: "Low back pain, unspecified".into()
            }
        );
        assert_eq!(check.fiscal_year_used, 2026);
        assert!(check.edition_available);
    }

    #[test]
    fn m54_5_is_deleted_with_its_replacements() {
        let icd = Icd10::builtin();
        let check = icd.check("M54.5", date(2026, 11, 3));
        assert_eq!(check.fiscal_year_used, 2026);
        assert!(!check.edition_available);
        assert_eq!(
            check.status,
            Icd10Status::Deleted {
                code: "M54.5".into(),
                invalid_from: date(2021, 10, 1),
                replacements: strings(&["M54.50", "M54.51", "M54.59"]),
            }
        );
        assert_eq!(
            check.status.message(),
            "M54.5 stopped being valid on 2021-10-01: use M54.50, M54.51 or M54.59"
        );
        let listed = deleted("m545").expect("M54.5 is in the retired list");
        assert_eq!(listed.invalid_from, date(2021, 10, 1));
        assert!(listed.is_exact());
        // Before it was retired the deleted list does not apply: the edition says header.
        assert!(matches!(
            icd.check("M54.5", date(2021, 9, 30)).status,
            Icd10Status::Header { .. }
        ));
    }

    #[test]
    fn bounded_retirement_dates_read_as_a_range() {
        let icd = Icd10::builtin();
        let day = date(2026, 3, 2);
        // Split in FY2025, as the domain brief states: exact.
        assert_eq!(
            icd.check("M51.36", day).status.message(),
            "M51.36 stopped being valid on 2024-10-01: use M51.360, M51.361, M51.362 or M51.369"
        );
        // No registry edition between FY2021 and FY2025 says when C83.39 was split.
        let c83 = deleted("C83.39").expect("C83.39 is retired");
        assert!(!c83.is_exact());
        assert_eq!(
            (c83.invalid_from, c83.invalid_by),
            (date(2021, 10, 1), date(2024, 10, 1))
        );
        assert_eq!(
            icd.check("C83.39", day).status.message(),
            "C83.39 stopped being valid between 2021-10-01 and 2024-10-01: use C83.390 or C83.398"
        );
    }

    #[test]
    fn fy2026_retirements_are_exact() {
        let icd = Icd10::builtin();
        let gone = deleted("B88.0").expect("B88.0 retired on 2025-10-01");
        assert!(gone.is_exact());
        assert_eq!(gone.invalid_from, date(2025, 10, 1));
        // Still billable in FY2025, deleted in FY2026.
        assert!(icd.check("B88.0", date(2025, 9, 30)).status.is_billable());
        assert!(matches!(
            icd.check("B88.0", date(2025, 10, 1)).status,
            Icd10Status::Deleted { .. }
        ));
    }

    #[test]
    fn headers_list_their_billable_children() {
        let icd = Icd10::builtin();
        let day = date(2026, 1, 15);
        let status = icd.check("M79.1", day).status;
        assert_eq!(
            status,
            Icd10Status::Header {
                code: "M79.1".into(),
                description: "Myalgia".into(),
                billable_children: strings(&["M79.10", "M79.11", "M79.12", "M79.18"]),
            }
        );
        assert_eq!(
            status.message(),
            "M79.1 is a category, not a billable code: use M79.10, M79.11, M79.12 or M79.18"
        );
        for header in ["T84.0", "T85.7", "R51", "S13.4", "M25.5"] {
            match icd.check(header, day).status {
                Icd10Status::Header {
                    billable_children, ..
                } => assert!(!billable_children.is_empty(), "{header}"),
                other => panic!("{header}: {other:?}"),
            }
        }
        let t84 = icd.check("T84.0", day).status;
        let Icd10Status::Header {
            billable_children, ..
        } = &t84
        else {
            panic!("T84.0 is a header")
        };
        assert!(billable_children.len() > MAX_LISTED);
        assert!(billable_children.iter().all(|c| c.starts_with("T84.0")));
        assert!(t84.message().ends_with(&format!(
            "or one of {} more",
            billable_children.len() - MAX_LISTED
        )));
    }

    #[test]
    fn unknown_code_gets_near_matches() {
        let icd = Icd10::builtin();
        let status = icd.check("T85.7XXS", date(2026, 2, 1)).status;
        let Icd10Status::Unknown { code, near } = &status else {
            panic!("T85.7XXS should be unknown: {status:?}")
        };
        assert_eq!(code, "T85.7XXS");
        assert_eq!(near.first().map(String::as_str), Some("T85.79XS"));
        assert!(near.len() <= MAX_NEAR);
        assert_eq!(
            status.message(),
            "T85.7XXS is not an ICD-10-CM code; did you mean T85.79XS?"
        );
        // A mistyped category letter finds the code anyway.
        let Icd10Status::Unknown { near, .. } = icd.check("N54.50", date(2026, 2, 1)).status else {
            panic!("N54.50 should be unknown")
        };
        assert!(near.contains(&"M54.50".to_string()), "{near:?}");
    }

    #[test]
    fn malformed_input() {
        let check = Icd10::builtin().check("54.50", date(2026, 2, 1));
        assert_eq!(
            check.status,
            Icd10Status::Malformed {
                input: "54.50".into()
            }
        );
        assert!(
            check
                .status
                .message()
                .starts_with("\"54.50\" is not shaped like")
        );
    }

    #[test]
    fn fiscal_year_boundary() {
        assert_eq!(fiscal_year(date(2026, 9, 30)), 2026);
        assert_eq!(fiscal_year(date(2026, 10, 1)), 2027);
        assert_eq!(fiscal_year(date(2025, 1, 1)), 2025);
        assert_eq!(fiscal_year_start(2027), date(2026, 10, 1));
        let icd = Icd10::builtin();
        let before = icd.check("M54.50", date(2026, 9, 30));
        assert_eq!(
            (before.fiscal_year_used, before.edition_available),
            (2026, true)
        );
        let after = icd.check("M54.50", date(2026, 10, 1));
        assert_eq!(
            (after.fiscal_year_used, after.edition_available),
            (2026, false)
        );
        let fy2025 = icd.check("M54.50", date(2024, 10, 1));
        assert_eq!(
            (fy2025.fiscal_year_used, fy2025.edition_available),
            (2025, true)
        );
    }

    /// Lays out one order-file line the way CMS does.
    fn order_line(n: usize, code: &str, billable: bool, short: &str, long: &str) -> String {
        format!("{n:05} {code:<7} {} {short:<60} {long}", u8::from(billable))
    }

    fn synthetic_fy2027() -> String {
        [
            order_line(1, "M54", false, "Dorsalgia", "Dorsalgia"),
            order_line(2, "M545", false, "Low back pain", "Low back pain"),
            order_line(
                3,
                "M5450",
                true,
                "Low back pain, unspecified",
                "Low back pain, unspecified",
            ),
            order_line(
                4,
                "M5451",
                true,
                "Vertebrogenic low back pain",
                "Vertebrogenic low back pain",
            ),
            order_line(
                5,
                "M5459",
                true,
                "Other low back pain",
                "Other low back pain",
            ),
            order_line(
                6,
                "Z681",
                false,
                "Body mass index [BMI] 19.9 or less, adult",
                "Body mass index",
            ),
            order_line(
                7,
                "Z6810",
                true,
                "BMI 18.5-19.9, adult",
                "Body mass index [BMI] 18.5-19.9, adult",
            ),
            order_line(
                8,
                "Z6811",
                true,
                "BMI less than 18.5, adult",
                "Body mass index [BMI] less than 18.5, adult",
            ),
        ]
        .join("\r\n")
            + "\r\n"
    }

    #[test]
    fn order_file_adds_an_edition() {
        let mut icd = Icd10::builtin();
        icd.add_order_file(2027, &synthetic_fy2027())
            .expect("synthetic order file is valid");
        assert_eq!(icd.fiscal_years(), vec![2025, 2026, 2027]);
        assert_eq!(
            icd.edition_counts(2027),
            Some(EditionCounts {
                entries: 8,
                billable: 5
            })
        );
        let day = date(2026, 10, 1);
        let check = icd.check("Z68.1", day);
        assert_eq!(
            (check.fiscal_year_used, check.edition_available),
            (2027, true)
        );
        assert_eq!(
            check.status,
            Icd10Status::Header {
                code: "Z68.1".into(),
                description: "Body mass index [BMI] 19.9 or less, adult".into(),
                billable_children: strings(&["Z68.10", "Z68.11"]),
            }
        );
        assert!(icd.check("Z68.1", date(2026, 9, 30)).status.is_billable());
        // Still retired, and the edition's own replacements are offered.
        assert!(matches!(
            icd.check("M54.5", day).status,
            Icd10Status::Deleted { .. }
        ));
        // A code the FY2027 file no longer has was deleted when FY2027 began.
        match icd.check("M54.2", day).status {
            Icd10Status::Deleted {
                invalid_from,
                replacements,
                ..
            } => {
                assert_eq!(invalid_from, day);
                assert!(replacements.is_empty());
            }
            other => panic!("M54.2: {other:?}"),
        }
        let described = icd.describe("Z68.1");
        assert_eq!(described.len(), 3);
        assert!(described[1].1.is_billable());
        assert!(matches!(described[2].1, Icd10Status::Header { .. }));
    }

    #[test]
    fn order_file_replaces_a_builtin_year_and_accepts_lf() {
        let mut icd = Icd10::builtin();
        let text = synthetic_fy2027().replace("\r\n", "\n");
        icd.add_order_file(2026, &text).expect("valid");
        assert_eq!(icd.fiscal_years(), vec![2025, 2026]);
        assert_eq!(icd.edition_counts(2026).map(|c| c.entries), Some(8));
    }

    #[test]
    fn order_file_errors_name_the_line() {
        let mut icd = Icd10::builtin();
        let good = synthetic_fy2027();
        let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
        lines[2] = lines[2].replacen(" 1 ", " 7 ", 1);
        let err = icd.add_order_file(2027, &lines.join("\r\n")).unwrap_err();
        assert!(matches!(err, OrderFileError::Line { line: 3, .. }), "{err}");
        assert!(err.to_string().starts_with("line 3: column 15"), "{err}");

        let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
        lines[4] = order_line(5, "M5.450", true, "Bad", "Bad");
        let err = icd.add_order_file(2027, &lines.join("\n")).unwrap_err();
        assert!(err.to_string().starts_with("line 5: columns 7-13"), "{err}");

        let twice = format!(
            "{good}{}\r\n",
            order_line(9, "M5450", true, "Again", "Again")
        );
        let err = icd.add_order_file(2027, &twice).unwrap_err();
        assert_eq!(
            err,
            OrderFileError::Duplicate {
                line: 9,
                first: 3,
                code: "M54.50".into()
            }
        );
        assert_eq!(
            icd.add_order_file(2027, "\r\n\r\n"),
            Err(OrderFileError::Empty)
        );
        let err = icd.add_order_file(2027, "00001 A00").unwrap_err();
        assert!(err.to_string().starts_with("line 1: too short"), "{err}");
        // Nothing half-added after the errors.
        assert_eq!(icd.fiscal_years(), vec![2025, 2026]);
    }

    /// Reads the shared FY2027 table (derived from CMS change lists) as an order file and checks
    /// the import path against its published facts. Skipped where that file is not present.
    #[test]
    fn conformance_fy2027_derived_table() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/icd10cm/icd10cm_fy2027_derived.tsv"
        );
        let Ok(tsv) = std::fs::read_to_string(path) else {
            println!("skipped: {path} not found");
            return;
        };
        let mut order = String::new();
        for (n, line) in skip_header(&tsv).lines().enumerate() {
            let mut f = line.split('\t');
            let (code, billable, short) = (
                f.next().unwrap_or(""),
                f.next() == Some("1"),
                f.next().unwrap_or(""),
            );
            order.push_str(&order_line(n + 1, code, billable, short, short));
            order.push_str("\r\n");
        }
        let mut icd = Icd10::builtin();
        icd.add_order_file(2027, &order)
            .expect("FY2027 table imports");
        assert_eq!(
            icd.edition_counts(2027),
            Some(EditionCounts {
                entries: 98_403,
                billable: 74_879
            })
        );
        let (fy2026, fy2027) = (date(2026, 9, 30), date(2026, 10, 1));
        for code in ["Z68.1", "I42.0", "M72.2"] {
            assert!(
                icd.check(code, fy2026).status.is_billable(),
                "{code} in FY2026"
            );
            assert!(
                matches!(icd.check(code, fy2027).status, Icd10Status::Header { .. }),
                "{code} in FY2027"
            );
        }
        // 21 codes are gone in FY2027, 15 of them billable in FY2026: those read as deleted on
        // 2026-10-01. 15 other billable codes became headers.
        let old = Table::new(FY2026);
        let new = Table::new(icd.editions.get(&2027).map_or("", |b| b.as_ref()));
        let (mut removed, mut became_headers) = (0, 0);
        let removed_entries = old
            .lines_from(0)
            .filter(|l| new.find(Row::parse(l).code).is_none())
            .count();
        assert_eq!(removed_entries, 21);
        for row in old.lines_from(0).map(Row::parse).filter(|r| r.billable) {
            match new.find(row.code).map(Row::parse) {
                Some(r) if r.billable => {}
                Some(_) => became_headers += 1,
                None => {
                    removed += 1;
                    let status = icd.check(row.code, fy2027).status;
                    assert!(
                        matches!(status, Icd10Status::Deleted { invalid_from, .. } if invalid_from == fy2027),
                        "{}: {status:?}",
                        row.code
                    );
                }
            }
        }
        assert_eq!((removed, became_headers), (15, 15));
        let added = new
            .lines_from(0)
            .filter(|l| old.find(Row::parse(l).code).is_none())
            .count();
        assert_eq!(added, 238);
    }
}
