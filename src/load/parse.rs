//! Parses one YAML text into a typed record, turning every failure into a located finding:
//! the text is read into a document once, and the record is read from that document.

use super::advice;
use super::locate::LineIndex;
use super::shape;
use super::typed::{self, FieldError, Problem};
use super::yaml::{self, Value as Yaml, YamlError};
use crate::findings::Finding;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// Largest YAML file read; practice files are a few kilobytes, so anything bigger is a mistake.
pub const MAX_FILE_BYTES: u64 = 256 * 1024;

/// Parses `text` as a `T`; on failure returns findings that say what to fix: every unknown,
/// missing and badly formed field of the file.
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
    let doc = yaml::parse_document(text).map_err(|e| vec![syntax_finding(text, file, e)])?;
    match typed::deserialize::<T>(&doc) {
        Ok(value) => Ok(value),
        Err(first) => Err(shape_findings::<T>(doc, first, text, file)),
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

/// The finding for a text that is not YAML. The YAML crate decides that; the line indexer's
/// own parser, which keeps what is wrong apart from where, supplies the words.
fn syntax_finding(text: &str, file: &str, err: YamlError) -> Finding {
    let index = LineIndex::new(text);
    let last_line = text.lines().count().max(1);
    // Past the end of the text the crate's position says nothing: the construct that never
    // closed (an open quote, say) is better shown where it opens.
    let inside = err
        .line
        .filter(|&l| l <= last_line)
        .map(|l| (l, err.column));
    let (message, line, column) = if let Some(problem) = index.syntax_problem() {
        match inside {
            Some((line, column)) => (problem.message.clone(), Some(line), column),
            None => (
                format!("{}; the file ends before it is closed", problem.message),
                Some(problem.line),
                Some(problem.column),
            ),
        }
    } else if let Some((key, line)) = index.first_duplicate() {
        (
            format!("the key `{key}` is given twice in one mapping"),
            Some(line),
            None,
        )
    } else {
        (err.message, inside.map(|(l, _)| l), None)
    };
    let message = match column {
        Some(c) => format!("{message} (column {c}): fix the YAML syntax"),
        None => format!("{message}: fix the YAML syntax"),
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
