//! Parses one YAML text into a typed record, turning every failure into a located finding:
//! the text is read into a document once, and the record is read from that document.

use super::advice;
use super::locate::LineIndex;
use super::shape;
use super::typed::{self, FieldError, Problem};
use super::yaml::{
    self, EXPANSION_ALLOWANCE, EXPANSION_FACTOR, ErrorKind, MAX_DEPTH, Value as Yaml, YamlError,
};
use crate::findings::Finding;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// Parses `text` as a `T`; on failure returns findings that say what to fix: every unknown,
/// missing and badly formed field of the file.
pub fn parse<T: DeserializeOwned + JsonSchema>(text: &str, file: &str) -> Result<T, Vec<Finding>> {
    // A byte-order mark before the first key is how some editors save UTF-8; it is no key.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() || text.lines().all(is_comment_or_blank) {
        return Err(vec![Finding::error(
            "file.empty",
            file,
            "the file is empty: fill it in, or delete it",
        )]);
    }
    if let Some(finding) = control_character(text, file) {
        return Err(vec![finding]);
    }
    let doc = yaml::parse_document(text).map_err(|e| vec![syntax_finding(text, file, e)])?;
    match typed::deserialize::<T>(&doc) {
        Ok(value) => Ok(value),
        Err(first) => Err(shape_findings::<T>(doc, first, text, file)),
    }
}

/// Whether YAML allows `c` in a text: tab, line breaks and the printable characters.
fn is_yaml_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
        || c >= '\u{10000}'
}

/// The finding for the first character YAML does not allow, on its own line: a NUL byte says
/// the file is not text at all (often UTF-16), any other control character is a YAML error.
fn control_character(text: &str, file: &str) -> Option<Finding> {
    let (at, c) = text.char_indices().find(|&(_, c)| !is_yaml_printable(c))?;
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |n| n + 1);
    let column = before[line_start..].chars().count() + 1;
    let finding = if c == '\0' {
        Finding::error(
            "file.encoding",
            file,
            format!(
                "line {line} holds a NUL byte, so the file is not UTF-8 text (perhaps UTF-16): save it as UTF-8"
            ),
        )
    } else {
        Finding::error(
            "yaml.syntax",
            file,
            format!(
                "the control character U+{:04X} is not allowed in YAML (column {column}): delete it",
                u32::from(c)
            ),
        )
    };
    Some(finding.on_line(Some(line)))
}

fn is_comment_or_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#') || t == "---"
}

/// The finding for a text that is not YAML, or that nests or expands past the loader's
/// limits.
fn syntax_finding(text: &str, file: &str, err: YamlError) -> Finding {
    let (message, line) = match err.kind {
        ErrorKind::TooDeep => (
            format!(
                "lists and mappings nest more than {MAX_DEPTH} levels deep here, which no practice file needs, so the file is not read: nest them less"
            ),
            err.line,
        ),
        ErrorKind::Expands(limit) => (
            format!(
                "aliases expand this file beyond {limit} bytes ({EXPANSION_FACTOR} times its size, plus {EXPANSION_ALLOWANCE}) by here, so the file is not read: write out what is repeated, or repeat it less"
            ),
            err.line,
        ),
        ErrorKind::Scan => {
            // A flow mapping or list left open is found where the text has ended, which the
            // scanner places on a line past the last: the problem is at the end of the file.
            let last_line = text.lines().count().max(1);
            let place = match (err.line, err.column) {
                (Some(line), _) if line > last_line => " (at the end of the file)".to_string(),
                (_, Some(column)) => format!(" (column {column})"),
                _ => String::new(),
            };
            (
                format!("{}{place}: fix the YAML syntax", err.message),
                err.line.map(|l| l.min(last_line)),
            )
        }
        ErrorKind::Build => {
            let last_line = text.lines().count().max(1);
            match LineIndex::new(text).first_duplicate() {
                Some((key, line)) => (
                    format!("the key `{key}` is given twice in one mapping: fix the YAML syntax"),
                    Some(line),
                ),
                None => (
                    format!("{}: fix the YAML syntax", err.message),
                    err.line.filter(|&l| l <= last_line),
                ),
            }
        }
    };
    Finding::error("yaml.syntax", file, message).on_line(line)
}

/// Most bad values reported from one file.
const MAX_INVALID: usize = 20;

/// Most times one file's document is patched and read again.
const MAX_REREADS: usize = 100;

/// Every shape finding of a document the record could not be read from, `first` being the
/// first refusal. Unknown and missing keys come from the schema; each refused value is
/// reported, patched with a well-formed stand-in, and the document read again, so that the
/// values after it are checked too.
fn shape_findings<T: DeserializeOwned + JsonSchema>(
    mut doc: Yaml,
    first: FieldError,
    text: &str,
    file: &str,
) -> Vec<Finding> {
    let schema = schemars::schema_for!(T).to_value();
    let index = LineIndex::new(text);
    let mut all = shape::key_findings(&doc, &schema, file, &index);
    let refused = |doc: &Yaml, error: &FieldError| {
        let hint = advice::Hint {
            form: shape::form_at(&schema, &error.path),
            value: shape::scalar_at(doc, &error.path),
        };
        advice::refused_field(file, error, &index, &hint)
    };
    add_new(&mut all, refused(&doc, &first));
    shape::prune_unknown(&mut doc, &schema);
    let mut invalid = 0;
    for _ in 0..MAX_REREADS {
        let Err(error) = typed::deserialize::<T>(&doc) else {
            break;
        };
        let patched = match &error.problem {
            // The key walk has reported what is missing, leaving out what a misspelt key
            // meant and what lies under a value already reported.
            Problem::MissingField { name } => {
                shape::fill_missing(&mut doc, &schema, &error.path, name)
            }
            Problem::UnknownField { .. } => {
                add_new(&mut all, refused(&doc, &error));
                shape::remove_key(&mut doc, &error.path)
            }
            _ => {
                invalid += 1;
                add_new(&mut all, refused(&doc, &error));
                invalid < MAX_INVALID
                    && shape::replace_with_stand_in(&mut doc, &schema, &error.path)
            }
        };
        if !patched {
            break;
        }
    }
    all
}

/// Adds `finding` unless one of the same code is already about the same field.
fn add_new(all: &mut Vec<Finding>, finding: Finding) {
    if !all
        .iter()
        .any(|a| a.code == finding.code && a.field == finding.field)
    {
        all.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Payer;

    #[test]
    fn a_flow_mapping_left_open_is_reported_on_the_last_line() {
        for text in [
            "name: Aetna\nclaims_address: {street: \"PO Box 1\", city: Portland",
            "name: Aetna\nclaims_address: {street: \"PO Box 1\", city: Portland\n",
            "name: Aetna\nclaims_address: [1, 2\n\n",
        ] {
            let findings = parse::<Payer>(text, "payers/aetna.yaml").expect_err("not YAML");
            let lines = text.lines().count();
            assert_eq!(findings.len(), 1, "{findings:?}");
            let f = &findings[0];
            assert_eq!(f.code, "yaml.syntax");
            assert!(f.line.is_some_and(|l| l <= lines), "{text:?}: {f:?}");
            assert!(f.message.contains("at the end of the file"), "{f:?}");
        }
    }
}
