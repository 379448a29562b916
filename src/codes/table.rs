//! The tab-separated code tables embedded in the binary: comment and blank lines skipped,
//! a header row checked, each data row numbered for error messages.

/// The data rows of `text` with their 1-based line numbers, after checking that the first
/// non-comment row is `header`; the error names the line.
pub fn data_rows(
    text: &'static str,
    header: &str,
) -> Result<impl Iterator<Item = (usize, &'static str)>, String> {
    let mut rows = text
        .lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'));
    match rows.next() {
        Some((_, found)) if found.trim_end_matches('\t') == header => Ok(rows),
        Some((n, found)) => Err(format!(
            "line {n}: expected the header {header:?}, found {found:?}"
        )),
        None => Err("the table is empty".into()),
    }
}
