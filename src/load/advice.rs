//! Turns what is wrong with one field of a file into a finding that says what to fix.

use super::field_path::{FieldPath, Step};
use super::locate::LineIndex;
use super::shape::Form;
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

/// What is known of a refused value besides the error: its form in the record's schema, and
/// its text when it is a single value.
#[derive(Debug, Clone, Default)]
pub struct Hint {
    /// What the value should look like.
    pub form: Form,
    /// The value as written, when it is a single value.
    pub value: Option<String>,
}

/// The finding for a field the typed read refused.
pub fn refused_field(file: &str, error: &FieldError, index: &LineIndex, hint: &Hint) -> Finding {
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
                explain_invalid(&error.path, problem, hint),
            )
            .at(field)
            .on_line(line)
        }
    }
}

/// Says what is wrong with a badly formed value and how to write it.
fn explain_invalid(path: &FieldPath, problem: &Problem, hint: &Hint) -> String {
    let subject = if path.is_root() {
        "the file".to_string()
    } else {
        format!("`{path}`")
    };
    let key = match path.steps().last() {
        Some(Step::Key(k)) => Some(k.as_str()),
        _ => None,
    };
    match problem {
        Problem::WrongType {
            found_mapping: false,
            ..
        } if hint.form.list
            && hint.value.is_some()
            && let Some(key) = key =>
        {
            format!(
                "{subject} is a list, not a single value: {}",
                list_form(key, hint.value.as_deref())
            )
        }
        Problem::WrongType {
            found_mapping: false,
            ..
        } if !hint.form.fields.is_empty()
            && !path.is_root()
            && let Some(key) = key =>
        {
            format!(
                "{subject} holds fields, not a single value: {}",
                fields_form(key, &hint.form)
            )
        }
        Problem::Invalid(detail) if hint.form.date => format!(
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

/// Fields whose items are codes: a value written there may be shown back, since it is a code
/// and never a patient's own words.
const CODE_LISTS: &[&str] = &[
    "modifiers",
    "diagnoses",
    "diagnosis_pointers",
    "pointers",
    "codes",
    "not_covered_codes",
];

/// How to write the list `key`: with the codes written for a list of codes ("write a list:
/// `modifiers: [GP]`"), else its form alone, never the text written.
fn list_form(key: &str, value: Option<&str>) -> String {
    let codes: Vec<&str> = value
        .unwrap_or_default()
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .collect();
    // A code is short, of letters, digits and dots, with a digit or in capitals: "GP",
    // "59", "M54.50"; a word in a code field ("fall") is taken for the patient's own.
    let code_like = |t: &&str| {
        t.len() <= 8
            && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '.')
            && (t.chars().any(|c| c.is_ascii_digit()) || !t.chars().any(|c| c.is_lowercase()))
    };
    if CODE_LISTS.contains(&key) && !codes.is_empty() && codes.iter().all(code_like) {
        format!("write a list: `{key}: [{}]`", codes.join(", "))
    } else {
        format!(
            "write a list: `{key}: [first, second]`, or each item on a line of its own under `{key}:`, starting with `- `"
        )
    }
}

/// Worked examples of a few mappings, with what their numbers mean.
const EXAMPLES: &[(&str, &str, &str)] = &[(
    "pain",
    "{before: 7, after: 5}",
    "0-10 before and after treatment",
)];

/// How to write the mapping `key` with its fields: a worked example where there is one,
/// else the fields by name ("write `signed: {by: ..., date: ...}`").
fn fields_form(key: &str, form: &Form) -> String {
    if let Some((_, example, note)) = EXAMPLES.iter().find(|(k, _, _)| *k == key) {
        return format!("write `{key}: {example}` ({note})");
    }
    let shown = if form.required > 0 {
        &form.fields[..form.required]
    } else {
        &form.fields[..]
    };
    let slots: Vec<String> = shown.iter().map(|f| format!("{f}: ...")).collect();
    let mut text = format!("write `{key}: {{{}}}`", slots.join(", "));
    let others = &form.fields[shown.len()..];
    if !others.is_empty() {
        text.push_str(&format!(
            ", with {} if needed",
            quoted_list(&others.iter().map(String::as_str).collect::<Vec<_>>())
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(path: FieldPath, problem: Problem, is_date: bool) -> Finding {
        let hint = Hint {
            form: Form {
                date: is_date,
                ..Form::default()
            },
            value: None,
        };
        refused_with(path, problem, &hint)
    }

    fn refused_with(path: FieldPath, problem: Problem, hint: &Hint) -> Finding {
        let index = LineIndex::new("date: 2026-02-30\nsex: X\n");
        refused_field("p.yaml", &FieldError { path, problem }, &index, hint)
    }

    fn wrong_type(found: &str, expected: &str) -> Problem {
        Problem::WrongType {
            found: found.into(),
            expected: expected.into(),
            found_mapping: false,
        }
    }

    fn list_of(value: &str) -> Hint {
        Hint {
            form: Form {
                list: true,
                ..Form::default()
            },
            value: Some(value.into()),
        }
    }

    #[test]
    fn a_single_code_where_a_list_belongs_is_shown_as_a_list() {
        let path = FieldPath::root().key("services").index(0).key("modifiers");
        let f = refused_with(
            path.clone(),
            wrong_type("string \"GP\"", "a sequence"),
            &list_of("GP"),
        );
        assert_eq!(
            f.message,
            "`services[0].modifiers` is a list, not a single value: write a list: `modifiers: [GP]`"
        );
        let f = refused_with(path, wrong_type("string", "a sequence"), &list_of("GP, 59"));
        assert!(
            f.message.ends_with("`modifiers: [GP, 59]`"),
            "{}",
            f.message
        );
        let f = refused_with(
            FieldPath::root().key("diagnoses"),
            wrong_type("string", "a sequence"),
            &list_of("M54.50"),
        );
        assert!(
            f.message.ends_with("`diagnoses: [M54.50]`"),
            "{}",
            f.message
        );
    }

    #[test]
    fn other_lists_get_their_form_without_the_text_written() {
        let f = refused_with(
            FieldPath::root().key("goals"),
            wrong_type("string \"Walk to the mailbox\"", "a sequence"),
            &list_of("Walk to the mailbox"),
        );
        assert!(
            f.message.contains("write a list: `goals: [first, second]`"),
            "{}",
            f.message
        );
        assert!(!f.message.contains("mailbox"), "{}", f.message);
        // Words in a code field are not codes: not shown either.
        let f = refused_with(
            FieldPath::root().key("diagnoses"),
            wrong_type("string", "a sequence"),
            &list_of("low back pain since the fall"),
        );
        assert!(!f.message.contains("fall"), "{}", f.message);
    }

    #[test]
    fn a_single_value_where_fields_belong_names_the_fields() {
        let pain = Hint {
            form: Form {
                fields: vec!["before".into(), "after".into()],
                required: 2,
                ..Form::default()
            },
            value: Some("5".into()),
        };
        let f = refused_with(
            FieldPath::root().key("pain"),
            wrong_type("integer `5`", "struct Pain"),
            &pain,
        );
        assert_eq!(
            f.message,
            "`pain` holds fields, not a single value: write `pain: {before: 7, after: 5}` (0-10 before and after treatment)"
        );
        let signed = Hint {
            form: Form {
                fields: vec!["by".into(), "date".into(), "note".into()],
                required: 2,
                ..Form::default()
            },
            value: Some("amy".into()),
        };
        let f = refused_with(
            FieldPath::root().key("signed"),
            wrong_type("string \"amy\"", "struct Signature"),
            &signed,
        );
        assert_eq!(
            f.message,
            "`signed` holds fields, not a single value: write `signed: {by: ..., date: ...}`, with `note` if needed"
        );
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
