//! Findings: every problem claimwright reports, with where it is and what to do about it;
//! `catalog` declares every code.

pub mod catalog;

pub use catalog::{CodeInfo, Topic};
use serde::Serialize;
use std::fmt::Write as _;

/// How serious a finding is: an error refuses the document, a warning does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Refuses: the command exits 1 and writes nothing for the document.
    Error,
    /// Reported, but does not refuse.
    Warning,
}

impl Severity {
    /// The lowercase word used in text and JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in one place of the practice folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// The stable code users and scripts match on, e.g. `icd10.deleted`.
    pub code: &'static str,
    /// Path relative to the practice folder, with `/` separators.
    pub file: String,
    /// 1-based line of the offending field, when known.
    pub line: Option<usize>,
    /// Field path such as `services[1].modifiers`, when the finding is about one field.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl Finding {
    /// An error about `file`.
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        // Users and scripts match on codes, so each one is declared and documented first.
        debug_assert!(
            catalog::info(code).is_some(),
            "finding code `{code}` is not declared in src/findings/catalog.rs"
        );
        Finding {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: None,
            field: None,
            message: message.into(),
        }
    }

    /// A warning about `file`.
    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(code, file, message)
        }
    }

    /// Names the field the finding is about; its line is filled in later from the file.
    pub fn at(mut self, field: impl Into<String>) -> Self {
        let field = field.into();
        self.field = if field.is_empty() { None } else { Some(field) };
        self
    }

    /// Sets the line directly, for problems found before the file could be parsed.
    pub fn on_line(mut self, line: Option<usize>) -> Self {
        self.line = line;
        self
    }
}

/// Orders findings by file, then line, then code, so output is stable.
pub fn sort(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        (&a.file, a.line.unwrap_or(0), a.code, &a.field, &a.message).cmp(&(
            &b.file,
            b.line.unwrap_or(0),
            b.code,
            &b.field,
            &b.message,
        ))
    });
}

/// Count of findings with the given severity.
pub fn count(findings: &[Finding], severity: Severity) -> usize {
    findings.iter().filter(|f| f.severity == severity).count()
}

/// True when any finding refuses.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// The JSON report of `validate --format json`, laid out as the contract shows it:
/// `{"errors": N, "warnings": N, "findings": [` then one finding per line.
pub fn to_json(findings: &[Finding]) -> String {
    let mut out = format!(
        "{{\"errors\": {}, \"warnings\": {}, \"findings\": [",
        count(findings, Severity::Error),
        count(findings, Severity::Warning)
    );
    for (i, f) in findings.iter().enumerate() {
        out.push_str(if i == 0 { "\n  " } else { ",\n  " });
        out.push_str(&spaced_json(f));
    }
    out.push_str("]}");
    out
}

/// One value as compact JSON with a space after each `:` and `,`.
fn spaced_json(value: &impl Serialize) -> String {
    struct Spaced;
    impl serde_json::ser::Formatter for Spaced {
        fn begin_object_key<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            first: bool,
        ) -> std::io::Result<()> {
            if first {
                Ok(())
            } else {
                writer.write_all(b", ")
            }
        }
        fn begin_object_value<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
        ) -> std::io::Result<()> {
            writer.write_all(b": ")
        }
        fn begin_array_value<W: ?Sized + std::io::Write>(
            &mut self,
            writer: &mut W,
            first: bool,
        ) -> std::io::Result<()> {
            if first {
                Ok(())
            } else {
                writer.write_all(b", ")
            }
        }
    }
    let mut buf = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, Spaced);
    // Serializing plain strings and numbers into memory cannot fail.
    let _ = value.serialize(&mut ser);
    String::from_utf8(buf).unwrap_or_default()
}

/// Text for people: grouped by file, one `file:line: severity code: message` line each.
pub fn to_text(findings: &[Finding], colour: bool) -> String {
    let (red, yellow, bold, reset) = if colour {
        ("\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut out = String::new();
    let mut last_file: Option<&str> = None;
    for f in findings {
        if last_file != Some(f.file.as_str()) {
            if last_file.is_some() {
                out.push('\n');
            }
            last_file = Some(f.file.as_str());
        }
        let place = match f.line {
            Some(line) => format!("{}:{}", f.file, line),
            None => f.file.clone(),
        };
        let sev_colour = match f.severity {
            Severity::Error => red,
            Severity::Warning => yellow,
        };
        let _ = write!(
            out,
            "{bold}{place}{reset}: {sev_colour}{}{reset} {}: {}",
            f.severity.as_str(),
            f.code,
            f.message
        );
        if let Some(field) = &f.field {
            let _ = write!(out, " [{field}]");
        }
        out.push('\n');
    }
    let errors = count(findings, Severity::Error);
    let warnings = count(findings, Severity::Warning);
    if !findings.is_empty() {
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{} error{}, {} warning{}",
        errors,
        if errors == 1 { "" } else { "s" },
        warnings,
        if warnings == 1 { "" } else { "s" }
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_the_contract_shape() {
        let f = Finding::error("icd10.deleted", "sessions/a.yaml", "use M54.50")
            .at("diagnoses[0]")
            .on_line(Some(12));
        let v: serde_json::Value = serde_json::from_str(&to_json(&[f])).unwrap();
        assert_eq!(v["errors"], 1);
        assert_eq!(v["warnings"], 0);
        assert_eq!(v["findings"][0]["severity"], "error");
        assert_eq!(v["findings"][0]["code"], "icd10.deleted");
        assert_eq!(v["findings"][0]["line"], 12);
        assert_eq!(v["findings"][0]["field"], "diagnoses[0]");
    }

    #[test]
    fn json_reads_like_the_contract() {
        assert_eq!(
            to_json(&[]),
            r#"{"errors": 0, "warnings": 0, "findings": []}"#
        );
        let f = Finding::warning("soap.vague", "a.yaml", "say why").at("soap.plan");
        assert_eq!(
            to_json(&[f]),
            "{\"errors\": 0, \"warnings\": 1, \"findings\": [\n  {\"severity\": \"warning\", \"code\": \"soap.vague\", \"file\": \"a.yaml\", \"line\": null, \"field\": \"soap.plan\", \"message\": \"say why\"}]}"
        );
    }

    #[test]
    fn text_groups_by_file_with_line() {
        let a = Finding::error("field.invalid", "a.yaml", "m").on_line(Some(3));
        let b = Finding::warning("soap.vague", "b.yaml", "n");
        let text = to_text(&[a, b], false);
        assert!(
            text.contains("a.yaml:3: error field.invalid: m\n\nb.yaml: warning soap.vague: n\n")
        );
        assert!(text.ends_with("1 error, 1 warning\n"));
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "not declared")]
    fn an_undeclared_code_is_caught_in_debug_builds() {
        let _ = Finding::warning("no.such_code", "a.yaml", "m");
    }
}
