//! The embedded CARC and RARC tables and their parsing: every row is checked (code shapes,
//! actions, templates, plain text), and an error names the line and what is wrong with it.

use super::template::check_template;
use super::{Action, Carc};
use crate::codes::table::data_rows;

/// The embedded CARC table; its header comment documents the columns and the template syntax.
pub(super) const CARC_DATA: &str = include_str!("../../../data/carc.tsv");

/// The embedded RARC table.
pub(super) const RARC_DATA: &str = include_str!("../../../data/rarc.tsv");

/// The column header line the CARC table must carry.
pub(super) const CARC_HEADER: &str =
    "code\tmeaning\taction\targument\tenclosures\tcorrections\tnote";

/// The column header line the RARC table must carry.
pub(super) const RARC_HEADER: &str = "code\tmeaning";

/// Parses the CARC table; the error names the line and what is wrong with it.
pub(super) fn parse_carcs(text: &'static str) -> Result<Vec<Carc>, String> {
    let mut carcs: Vec<Carc> = Vec::new();
    for (n, line) in data_rows(text, CARC_HEADER)? {
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [
            code,
            meaning,
            action,
            argument,
            enclosures,
            corrections,
            note,
        ] = fields[..]
        else {
            return Err(format!(
                "line {n}: expected 7 tab-separated columns, found {}",
                fields.len()
            ));
        };
        if !is_carc(code) {
            return Err(format!(
                "line {n}: {code:?} is not a CARC (1 to 3 digits, or a capital letter and 1 or 2 digits)"
            ));
        }
        if carcs.iter().any(|c| c.code == code) {
            return Err(format!("line {n}: {code} is listed twice"));
        }
        let Some(action) = Action::ALL.into_iter().find(|a| a.as_str() == action) else {
            return Err(format!("line {n}: {code} has an unknown action {action:?}"));
        };
        for (column, value) in [("meaning", meaning), ("argument", argument), ("note", note)] {
            if value.trim().is_empty() {
                return Err(format!("line {n}: {code} has no {column}"));
            }
        }
        for (column, value) in [
            ("meaning", meaning),
            ("corrections", corrections),
            ("note", note),
        ] {
            plain(value).map_err(|e| format!("line {n}: {code} {column}: {e}"))?;
        }
        for (column, value) in [("argument", argument), ("enclosures", enclosures)] {
            check_template(value).map_err(|e| format!("line {n}: {code} {column}: {e}"))?;
        }
        let enclosures =
            list(enclosures).map_err(|e| format!("line {n}: {code} enclosures: {e}"))?;
        let corrections =
            list(corrections).map_err(|e| format!("line {n}: {code} corrections: {e}"))?;
        if action == Action::CorrectedClaim && corrections.is_empty() {
            return Err(format!(
                "line {n}: {code} asks for a corrected claim but lists no corrections"
            ));
        }
        carcs.push(Carc {
            code,
            meaning: meaning.trim(),
            action,
            argument: argument.trim(),
            enclosures,
            corrections,
            note: note.trim(),
        });
    }
    Ok(carcs)
}

/// Parses the RARC table into (code, meaning) pairs.
pub(super) fn parse_rarcs(text: &'static str) -> Result<Vec<(&'static str, &'static str)>, String> {
    let mut remarks: Vec<(&'static str, &'static str)> = Vec::new();
    for (n, line) in data_rows(text, RARC_HEADER)? {
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [code, meaning] = fields[..] else {
            return Err(format!(
                "line {n}: expected 2 tab-separated columns, found {}",
                fields.len()
            ));
        };
        if !is_rarc(code) {
            return Err(format!(
                "line {n}: {code:?} is not a remark code (M, MA or N and 1 to 3 digits)"
            ));
        }
        if remarks.iter().any(|(known, _)| *known == code) {
            return Err(format!("line {n}: {code} is listed twice"));
        }
        if meaning.trim().is_empty() {
            return Err(format!("line {n}: {code} has no meaning"));
        }
        plain(meaning).map_err(|e| format!("line {n}: {code}: {e}"))?;
        remarks.push((code, meaning.trim()));
    }
    Ok(remarks)
}

/// CARCs are 1 to 3 digits, or a capital letter and 1 or 2 digits (B7, P1, W1).
fn is_carc(code: &str) -> bool {
    let digits = |s: &str| (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    match code.as_bytes().first() {
        Some(b) if b.is_ascii_uppercase() => code.len() <= 3 && digits(&code[1..]),
        _ => digits(code),
    }
}

/// Remark codes are M, MA or N followed by 1 to 3 digits.
fn is_rarc(code: &str) -> bool {
    let digits = ["MA", "M", "N"]
        .iter()
        .find_map(|prefix| code.strip_prefix(prefix))
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    digits.is_some_and(|d| d.len() <= 3 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Splits a `;`-separated column into trimmed items; an empty column is an empty list.
fn list(column: &'static str) -> Result<Vec<&'static str>, String> {
    if column.trim().is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<&'static str> = column.split(';').map(str::trim).collect();
    if items.iter().any(|item| item.is_empty()) {
        return Err("an empty item between ';' separators".into());
    }
    Ok(items)
}

/// Plain-text columns are printed as they are, so template marks in them would show.
fn plain(text: &str) -> Result<(), String> {
    match text.find(['{', '}', '[', ']']) {
        Some(i) => Err(format!(
            "{:?} at byte {i} in plain text (only templates use braces and brackets)",
            &text[i..=i]
        )),
        None => Ok(()),
    }
}
