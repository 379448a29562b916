//! CMS order files (`icd10cm_order_YYYY.txt`): reads the fixed-width layout into the sorted
//! table text an edition is stored as, refusing a bad file with the line that is wrong.

use super::{normalize, with_dot};

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

/// Reads a whole order file into a sorted edition body (`code<TAB>billable<TAB>title` lines).
///
/// Fixed-width layout: columns 1-5 order number, 7-13 code without dot padded to 7,
/// 15 billable flag (1) or header (0), 17-76 short title, 78 on long title; CRLF or LF.
/// The short title becomes the description, the long one the full title.
pub(super) fn edition_body(text: &str) -> Result<String, OrderFileError> {
    let mut rows: Vec<(String, bool, (String, String), usize)> = Vec::new();
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
    for (code, billable, (short, long), _) in &rows {
        body.push_str(code);
        body.push_str(if *billable { "\t1\t" } else { "\t0\t" });
        body.push_str(short);
        body.push('\t');
        if long != short {
            body.push_str(long);
        }
        body.push('\n');
    }
    Ok(body)
}

/// Reads one fixed-width line of a CMS order file into (code, billable, (short title, long
/// title)); the long title is the short one when the line has none.
fn parse_order_line(line: &str) -> Result<(String, bool, (String, String)), String> {
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
    let long = column(77, bytes.len())
        .replace('\t', " ")
        .trim()
        .to_string();
    let long = if long.is_empty() { title.clone() } else { long };
    Ok((code.to_string(), billable, (title, long)))
}
