//! Turns what is wrong with one field of a file into a finding that says what to fix.

use super::field_path::FieldPath;
use super::locate::LineIndex;
use super::suggest::{closest, quoted_list};
use super::typed::{FieldError, Problem};
use crate::findings::Finding;

/// The `field.unknown` finding for the key at `path`, and the known key it probably meant.
pub fn unknown_field<'a>(
    file: &str,
    path: &FieldPath,
    name: &str,
    known: &[&'a str],
    index: &LineIndex,
) -> (Finding, Option<&'a str>) {
    let meant = closest(name, known);
    let message = match meant {
        Some(best) => format!("unknown field `{name}`: did you mean `{best}`?"),
        None if known.is_empty() => format!("unknown field `{name}`: remove it"),
        None => format!(
            "unknown field `{name}`: remove it, or use one of {}",
            quoted_list(known)
        ),
    };
    let field = path.to_string();
    let line = index.line_of(&field);
    let finding = Finding::error("field.unknown", file, message)
        .at(field)
        .on_line(line);
    (finding, meant)
}

/// The `field.missing` finding for the key `name` absent from the mapping at `parent`.
pub fn missing_field(file: &str, parent: &FieldPath, name: &str, index: &LineIndex) -> Finding {
    // A key missing from the whole file has no line of its own; the file starts at line 1.
    let (where_, line) = if parent.is_root() {
        (String::new(), Some(1))
    } else {
        (
            format!(" under `{parent}`"),
            index.line_of(&parent.to_string()),
        )
    };
    Finding::error(
        "field.missing",
        file,
        format!("required field `{name}` is missing{where_}: add it"),
    )
    .at(parent.key(name).to_string())
    .on_line(line)
}

/// The finding for a field the typed read refused; `is_date` says the field holds a date.
pub fn refused_field(file: &str, error: &FieldError, index: &LineIndex, is_date: bool) -> Finding {
    match &error.problem {
        Problem::UnknownField { name, expected } => {
            unknown_field(file, &error.path, name, expected, index).0
        }
        Problem::MissingField { name } => missing_field(file, &error.path, name, index),
        problem => {
            let field = error.path.to_string();
            let line = if error.path.is_root() {
                Some(1)
            } else {
                index.line_of(&field)
            };
            Finding::error(
                "field.invalid",
                file,
                explain_invalid(&error.path, problem, is_date),
            )
            .at(field)
            .on_line(line)
        }
    }
}

/// Says what is wrong with a badly formed value and how to write it.
fn explain_invalid(path: &FieldPath, problem: &Problem, is_date: bool) -> String {
    let subject = if path.is_root() {
        "the file".to_string()
    } else {
        format!("`{path}`")
    };
    match problem {
        Problem::Invalid(detail) if is_date => format!(
            "{subject} is not a valid date ({detail}): write a real calendar date as YYYY-MM-DD"
        ),
        Problem::UnknownVariant { name, expected } => {
            let choices = quoted_list(expected);
            match closest(name, expected) {
                Some(best) => format!(
                    "{subject}: `{name}` is not allowed; did you mean `{best}`? (one of {choices})"
                ),
                None => format!("{subject}: `{name}` is not allowed; use one of {choices}"),
            }
        }
        Problem::WrongType {
            found_mapping: true,
            ..
        } if path.is_root() => "the file does not have the expected fields".to_string(),
        Problem::WrongType { .. } if path.is_root() => {
            "the file must be a mapping of `field: value` lines".to_string()
        }
        other => format!("{subject}: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(path: FieldPath, problem: Problem, is_date: bool) -> Finding {
        let index = LineIndex::new("date: 2026-02-30\nsex: X\n");
        refused_field("p.yaml", &FieldError { path, problem }, &index, is_date)
    }

    #[test]
    fn bad_values_get_advice_and_their_line() {
        let date = refused(
            FieldPath::root().key("date"),
            Problem::Invalid("input is out of range".into()),
            true,
        );
        assert_eq!((date.code, date.line), ("field.invalid", Some(1)));
        assert!(date.message.contains("YYYY-MM-DD"), "{}", date.message);
        let sex = refused(
            FieldPath::root().key("sex"),
            Problem::UnknownVariant {
                name: "X".into(),
                expected: &["F", "M", "U"],
            },
            false,
        );
        assert_eq!(sex.line, Some(2));
        assert!(
            sex.message.contains("use one of `F`, `M`, `U`"),
            "{}",
            sex.message
        );
        let whole = refused(
            FieldPath::root(),
            Problem::WrongType {
                found: "sequence".into(),
                expected: "struct Payer".into(),
                found_mapping: false,
            },
            false,
        );
        assert_eq!(whole.field, None);
        assert_eq!(
            whole.message,
            "the file must be a mapping of `field: value` lines"
        );
    }
}
