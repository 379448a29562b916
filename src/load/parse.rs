//! Parses one YAML text into a typed record, turning every failure into a located finding.

use super::locate::LineIndex;
use crate::findings::Finding;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// Largest YAML file read; practice files are a few kilobytes, so anything bigger is a mistake.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// Parses `text` as a `T`; on failure returns findings that say what to fix: every unknown
/// and missing field of the file, and the first value of the wrong form.
pub fn parse<T: DeserializeOwned + JsonSchema>(text: &str, file: &str) -> Result<T, Vec<Finding>> {
    if text.trim().is_empty() || text.lines().all(is_comment_or_blank) {
        return Err(vec![Finding::error(
            "file.empty",
            file,
            "the file is empty: fill it in, or delete it",
        )]);
    }
    if let Some(line) = too_deep(text) {
        return Err(vec![Finding::error(
            "yaml.syntax",
            file,
            format!("the YAML nests more than {MAX_DEPTH} levels deep: practice files never need that, so the file is not read"),
        )
        .on_line(Some(line))]);
    }
    match serde_yaml::from_str::<T>(text) {
        Ok(value) => Ok(value),
        Err(err) => {
            let first = classify(text, file, &err);
            if first.code == "yaml.syntax" {
                return Err(vec![first]);
            }
            let Ok(doc) = serde_yaml::from_str::<serde_yaml::Value>(text) else {
                return Err(vec![first]);
            };
            // The whole file is valid YAML, so every key can be checked against the schema,
            // and every badly formed value found by parsing on past each one.
            let schema = schemars::schema_for!(T).to_value();
            let index = LineIndex::new(text);
            let mut all = super::shape::key_findings(&doc, &schema, file, &index);
            for f in super::shape::invalid_values::<T>(doc, &schema, file, &index, first) {
                if !all.iter().any(|a| a.code == f.code && a.field == f.field) {
                    all.push(f);
                }
            }
            Err(all)
        }
    }
}

/// Deepest nesting read; the YAML parser slows down badly on deep flow nesting.
const MAX_DEPTH: usize = 64;

/// The line where flow brackets or indentation first nest past `MAX_DEPTH`, if they do.
fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        // Each block level takes at least one more space of indentation.
        if indent > MAX_DEPTH * 4 {
            return Some(n + 1);
        }
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    depth += 1;
                    if depth > MAX_DEPTH {
                        return Some(n + 1);
                    }
                }
                (None, ']' | '}') => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    None
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#') || t == "---"
}

/// Tells a syntax error from a shape error and builds the finding.
pub(super) fn classify(text: &str, file: &str, err: &serde_yaml::Error) -> Finding {
    // A second, untyped parse only on the error path: if even that fails, it is syntax.
    if let Err(syntax) = serde_yaml::from_str::<serde_yaml::Value>(text) {
        let raw = syntax.to_string();
        let msg = strip_locations(&raw);
        let mut line = syntax.location().map(|l| l.line());
        let mut column = syntax.location().map(|l| l.column());
        let last_line = text.lines().count().max(1);
        // At the end of the file the problem's own position says nothing: the construct
        // that never closed (an open quote, say) starts where the message's last mark is.
        if line.is_some_and(|l| l > last_line)
            && let Some((l, c)) = locations(&raw).last().copied()
        {
            line = Some(l.min(last_line));
            column = Some(c);
        }
        if let Some(key) = raw
            .strip_prefix("duplicate entry with key \"")
            .and_then(|rest| rest.split('"').next())
            && let Some(l) = LineIndex::new(text).duplicate_line(key)
        {
            line = Some(l);
            column = None;
        }
        let msg = match column {
            Some(c) => format!("{msg} (column {c}): fix the YAML syntax"),
            None => format!("{msg}: fix the YAML syntax"),
        };
        return Finding::error("yaml.syntax", file, msg).on_line(line);
    }
    classify_shape(file, err, &LineIndex::new(text), true)
}

/// The finding for an error of shape (unknown, missing or invalid field), with lines from
/// `index`; `use_err_line` is false when the error came from a re-serialized text whose
/// lines are not the file's.
pub(super) fn classify_shape(
    file: &str,
    err: &serde_yaml::Error,
    index: &LineIndex,
    use_err_line: bool,
) -> Finding {
    let err_line = err.location().map(|l| l.line()).filter(|_| use_err_line);
    let full = strip_locations(&err.to_string());
    let (path, detail) = split_path(&full);
    if let Some(rest) = detail.strip_prefix("unknown field `") {
        let (name, expected) = parse_unknown(rest);
        let field = join(path, name);
        let message = match closest(name, &expected) {
            Some(best) => format!("unknown field `{name}`: did you mean `{best}`?"),
            None if expected.is_empty() => format!("unknown field `{name}`: remove it"),
            None => format!(
                "unknown field `{name}`: remove it, or use one of {}",
                expected
                    .iter()
                    .map(|e| format!("`{e}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let line = index.line_of(&field).or(err_line);
        return Finding::error("field.unknown", file, message)
            .at(field)
            .on_line(line);
    }
    if let Some(rest) = detail.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let field = join(path, name);
        let line = if path.is_empty() {
            Some(1)
        } else {
            index.line_of(path).or(err_line)
        };
        let where_ = if path.is_empty() {
            String::new()
        } else {
            format!(" under `{path}`")
        };
        return Finding::error(
            "field.missing",
            file,
            format!("required field `{name}` is missing{where_}: add it"),
        )
        .at(field)
        .on_line(line);
    }
    let line = if path.is_empty() {
        err_line
    } else {
        index.line_of(path).or(err_line)
    };
    Finding::error("field.invalid", file, explain_invalid(path, detail))
        .at(path)
        .on_line(line)
}

/// Rewrites serde's and chrono's wording into advice.
fn explain_invalid(path: &str, detail: &str) -> String {
    let subject = if path.is_empty() {
        "the file".to_string()
    } else {
        format!("`{path}`")
    };
    let is_date_error = [
        "input is out of range",
        "input contains invalid characters",
        "premature end of input",
        "trailing input",
        "input is not enough for unique date",
    ]
    .iter()
    .any(|p| detail.contains(p));
    if is_date_error {
        return format!(
            "{subject} is not a valid date ({detail}): write a real calendar date as YYYY-MM-DD"
        );
    }
    if let Some(rest) = detail.strip_prefix("unknown variant `") {
        let (name, expected) = parse_unknown(rest);
        let choices = expected
            .iter()
            .map(|e| format!("`{e}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return match closest(name, &expected) {
            Some(best) => format!(
                "{subject}: `{name}` is not allowed; did you mean `{best}`? (one of {choices})"
            ),
            None => format!("{subject}: `{name}` is not allowed; use one of {choices}"),
        };
    }
    if detail.starts_with("invalid type: map, expected struct") && path.is_empty() {
        return "the file does not have the expected fields".to_string();
    }
    if detail.starts_with("invalid type") && detail.contains("expected struct") && path.is_empty() {
        return "the file must be a mapping of `field: value` lines".to_string();
    }
    format!("{subject}: {detail}")
}

/// Every "at line L column C" mark in a serde_yaml message, in order.
fn locations(msg: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        let after = &rest[i + " at line ".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let line = after[..digits].parse().unwrap_or(0);
        let mut column = 0;
        if let Some(col) = after[digits..].strip_prefix(" column ") {
            let d = col.bytes().take_while(u8::is_ascii_digit).count();
            column = col[..d].parse().unwrap_or(0);
        }
        out.push((line, column));
        rest = &after[digits..];
    }
    out
}

/// Removes every " at line 3 column 5" from a serde_yaml message: the finding has the line.
fn strip_locations(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let mut tail = &after[digits..];
        if let Some(col) = tail.strip_prefix(" column ") {
            let d = col.bytes().take_while(u8::is_ascii_digit).count();
            tail = &col[d..];
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// Splits the "services[1].units: " path prefix off a serde_yaml message.
fn split_path(msg: &str) -> (&str, &str) {
    if let Some((head, tail)) = msg.split_once(": ") {
        let looks_like_path = !head.is_empty()
            && head
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_.[]-".contains(&b));
        if looks_like_path && !head.starts_with("invalid") && !head.starts_with("unknown") {
            return (head, tail);
        }
    }
    ("", msg)
}

/// From "name`, expected one of `a`, `b`" returns the name and the expected list.
fn parse_unknown(rest: &str) -> (&str, Vec<&str>) {
    let name = rest.split('`').next().unwrap_or(rest);
    let expected = rest
        .split_once("expected")
        .map(|(_, list)| {
            list.split('`')
                .enumerate()
                .filter(|(i, _)| i % 2 == 1)
                .map(|(_, s)| s)
                .collect()
        })
        .unwrap_or_default();
    (name, expected)
}

/// The expected name most like `name`, if any is close enough to be a plausible typo.
pub fn closest<'a>(name: &str, expected: &[&'a str]) -> Option<&'a str> {
    expected
        .iter()
        .map(|e| (strsim::jaro_winkler(name, e), *e))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, e)| e)
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}
