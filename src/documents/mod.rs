//! Typed documents: which records each kind is made from, the data it carries, and the
//! registry of kinds that the batch, `render`, the templates and the hooks all read.

pub mod appeal;
pub mod claim;
pub mod context;
pub mod screen;
pub mod soap;
pub mod statement;
pub mod summary;
pub mod superbill;
pub mod wording;

use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::{Denial, Patient, Session};
use chrono::NaiveDate;
use context::DocumentInfo;
use serde::Serialize;
use std::fmt;

/// Every document kind claimwright makes. Adding a kind is adding its module, its template
/// and one line here.
pub static KINDS: &[Kind] = &[
    soap::KIND,
    summary::KIND,
    appeal::KIND,
    superbill::KIND,
    statement::KIND,
    claim::KIND,
];

/// The patient-facing kinds again, each with its template in another language (file names
/// `<kind>.<language>.md`): the same documents, written for a patient who reads that language.
pub static TRANSLATED: &[Kind] = &[summary::KIND_ES, statement::KIND_ES, superbill::KIND_ES];

/// `kind` with its template in `lang`: itself for English or a kind with no translation.
pub fn in_language(kind: &'static Kind, lang: crate::model::patient::Language) -> &'static Kind {
    let Some(file) = kind.template.map(|t| t.file) else {
        return kind;
    };
    let wanted = file.replace(".md", &format!(".{}.md", lang.code()));
    TRANSLATED
        .iter()
        .find(|k| k.template.is_some_and(|t| t.file == wanted))
        .unwrap_or(kind)
}

/// The kind named `name` (`soap_note`) or by its `render` word (`soap`).
pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name || k.command == name)
}

/// The record type a document kind is made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    /// One session (`render soap SESSION...`).
    Session,
    /// One patient (`render summary PATIENT`).
    Patient,
    /// One denial (`render appeal DENIAL`).
    Denial,
}

impl SubjectKind {
    /// The word used in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Session => "session",
            SubjectKind::Patient => "patient",
            SubjectKind::Denial => "denial",
        }
    }
}

/// The record one document is made from.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    /// A session.
    Session(&'a Record<Session>),
    /// A patient.
    Patient(&'a Record<Patient>),
    /// A denial.
    Denial(&'a Record<Denial>),
}

impl Subject<'_> {
    /// The file the subject was read from.
    pub fn file(&self) -> &str {
        match self {
            Subject::Session(r) => &r.file,
            Subject::Patient(r) => &r.file,
            Subject::Denial(r) => &r.file,
        }
    }
}

/// What every preparation of a run shares: the date "today" means, the month asked for,
/// and the run's findings (a claim holds the visits that carry errors).
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    /// `--as-of`.
    pub as_of: NaiveDate,
    /// Any day of the month asked for, for monthly kinds.
    pub month: Option<NaiveDate>,
    /// The run's findings, by file.
    pub findings: &'a screen::Index,
}

/// A built-in template: its file name and content.
#[derive(Debug, Clone, Copy)]
pub struct Template {
    /// File name, which a practice's `templates/` file of the same name overrides.
    pub file: &'static str,
    /// The built-in text.
    pub builtin: &'static str,
}

/// One kind of document and how it is made.
pub struct Kind {
    /// The name in hooks, output folders and the manifest, e.g. `soap_note`.
    pub name: &'static str,
    /// The word after `render`, e.g. `soap`.
    pub command: &'static str,
    /// What one document is made from.
    pub subject: SubjectKind,
    /// Made for a month (`--month`).
    pub monthly: bool,
    /// May be rendered as a stamped draft with `--draft`.
    pub drafts: bool,
    /// Its Markdown template; None for kinds printed without one (claims).
    pub template: Option<Template>,
    /// The topics of the findings that refuse it (see `screen`).
    pub refused_by: &'static [screen::Topic],
    /// The subjects of a month's batch.
    pub plan: for<'a> fn(&'a PracticeData, &Scope<'_>) -> Vec<Subject<'a>>,
    /// The documents of one subject (a claim per payer billed, else at most one).
    pub prepare: fn(&PracticeData, Subject<'_>, &Scope<'_>) -> Vec<Prepared>,
}

impl Kind {
    /// The language its template is written in, as a BCP 47 tag for HTML `lang` and PDF
    /// `/Lang`: a translated template's file is named `<kind>.<language>.md`.
    pub fn language(&self) -> &'static str {
        match self.template.map(|t| t.file) {
            Some(file) if file.ends_with(".es.md") => "es-US",
            _ => "en-US",
        }
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        self.name == other.name
    }
}

impl Eq for Kind {}

impl fmt::Debug for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

/// What a document carries: the data of a template, or a claim for the claim renderers.
#[derive(Debug, Clone)]
pub enum Body {
    /// The context of the kind's Markdown template, without `document`.
    Template(serde_json::Value),
    /// A claim, free of any paper or electronic format.
    Claim(Box<claim::Claim>),
}

/// A visit kept off a claim by its own errors; the rest of the month is claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// Session id.
    pub session: String,
    /// Its file.
    pub file: String,
    /// The errors that hold it.
    pub findings: Vec<Finding>,
}

/// A document ready to render.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The kind of document.
    pub kind: &'static Kind,
    /// About the document: kind, title, draft, as-of. Templates and hooks see it as `document`.
    pub info: DocumentInfo,
    /// Output file stem, built from ids, e.g. `2026-11-03-jane-doe`.
    pub name: String,
    /// Header line on every PDF page: the patient's name and date of birth.
    pub header: String,
    /// The document's data.
    pub body: Body,
    /// The record file the document is made from; hook refusals are reported on it.
    pub source: String,
    /// Files (relative to the practice) whose findings refuse this document.
    pub inputs: Vec<String>,
    /// Every file the document's content depends on (a superset of `inputs`), for the
    /// batch manifest: a change to any of them re-renders the document.
    pub depends: Vec<String>,
    /// Problems found while preparing (e.g. an appeal past its window).
    pub findings: Vec<Finding>,
    /// Visits held off a claim.
    pub held: Vec<Held>,
}

/// The fields every preparation names.
pub struct Parts {
    /// The kind.
    pub kind: &'static Kind,
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// Page header.
    pub header: String,
    /// Source record file.
    pub source: String,
    /// Files whose findings refuse it.
    pub inputs: Vec<String>,
}

impl Prepared {
    /// A document with a template context.
    pub fn template(parts: Parts, as_of: NaiveDate, context: &impl Serialize) -> Self {
        // Serializing plain data cannot fail; a failure would yield `null`, which the
        // template then reports as missing fields.
        let value = serde_json::to_value(context).unwrap_or(serde_json::Value::Null);
        Prepared::new(parts, as_of, Body::Template(value))
    }

    /// A document with any body.
    pub fn new(parts: Parts, as_of: NaiveDate, body: Body) -> Self {
        let mut depends = parts.inputs.clone();
        depends.sort();
        depends.dedup();
        Prepared {
            kind: parts.kind,
            info: DocumentInfo {
                kind: parts.kind.name,
                title: parts.title,
                draft: false,
                as_of,
                draft_findings: Vec::new(),
            },
            name: parts.name,
            header: parts.header,
            body,
            source: parts.source,
            inputs: parts.inputs,
            depends,
            findings: Vec::new(),
            held: Vec::new(),
        }
    }

    /// Adds files the content depends on without their findings refusing it.
    pub fn depending_on(mut self, files: impl IntoIterator<Item = String>) -> Self {
        self.depends.extend(files);
        self.depends.sort();
        self.depends.dedup();
        self
    }

    /// The title.
    pub fn title(&self) -> &str {
        &self.info.title
    }

    /// The document's full data, as templates and hooks see it: `document` beside the body.
    pub fn data(&self) -> Data<'_> {
        Data { doc: self }
    }
}

/// The serializable view of a document's data.
#[derive(Debug, Clone, Copy)]
pub struct Data<'a> {
    doc: &'a Prepared,
}

impl Serialize for Data<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct WithBody<'a> {
            document: &'a DocumentInfo,
            #[serde(flatten)]
            body: &'a serde_json::Value,
        }
        #[derive(Serialize)]
        struct WithClaim<'a> {
            document: &'a DocumentInfo,
            claim: &'a claim::Claim,
        }
        match &self.doc.body {
            Body::Template(v) => WithBody {
                document: &self.doc.info,
                body: v,
            }
            .serialize(s),
            Body::Claim(c) => WithClaim {
                document: &self.doc.info,
                claim: c,
            }
            .serialize(s),
        }
    }
}

impl Data<'_> {
    /// Feeds the data to `hash`: the same data always gives the same bytes, and different
    /// data different ones. A template's body is walked as it is, each string after its
    /// length, with no escaping as JSON needs; a claim is written as JSON.
    pub fn hash_into(&self, hash: &mut sha2::Sha256) {
        // Hashing cannot fail, and serializing plain document data cannot either; should it,
        // the hash covers what was written, which still differs from any complete document's.
        // One update for the whole: the hash's per-call cost outweighs copying, and JSON is
        // written in many small pieces.
        let mut bytes = Vec::with_capacity(8 * 1024);
        match &self.doc.body {
            Body::Template(body) => {
                let _ = serde_json::to_writer(&mut bytes, &self.doc.info);
                encode_value(&mut bytes, body);
            }
            Body::Claim(_) => {
                let _ = serde_json::to_writer(&mut bytes, self);
            }
        }
        sha2::Digest::update(hash, &bytes);
    }
}

/// Writes `value` to `out` for hashing, each node after a tag of its kind, each string and
/// list after its length, so that no two values give the same bytes.
fn encode_value(out: &mut Vec<u8>, value: &serde_json::Value) {
    use serde_json::Value;
    let text = |out: &mut Vec<u8>, text: &str| {
        out.extend_from_slice(&(text.len() as u64).to_le_bytes());
        out.extend_from_slice(text.as_bytes());
    };
    match value {
        Value::Null => out.push(0),
        Value::Bool(b) => out.extend_from_slice(&[1, u8::from(*b)]),
        Value::Number(n) => {
            out.push(2);
            text(out, &n.to_string());
        }
        Value::String(s) => {
            out.push(3);
            text(out, s);
        }
        Value::Array(items) => {
            out.push(4);
            out.extend_from_slice(&(items.len() as u64).to_le_bytes());
            for item in items {
                encode_value(out, item);
            }
        }
        Value::Object(map) => {
            out.push(5);
            out.extend_from_slice(&(map.len() as u64).to_le_bytes());
            for (key, item) in map {
                text(out, key);
                encode_value(out, item);
            }
        }
    }
}

/// "Jane Doe - DOB 1980-04-12", printed at the top of every page.
pub fn patient_header(p: &Patient) -> String {
    format!("{} - DOB {}", p.full_name(), p.dob)
}

/// Errors for session files of `patient`'s `month` that did not load: a claim or superbill
/// made without them would silently leave visits out. A file whose patient cannot be read
/// counts when it sits in the month's folder or is named for the month.
pub fn missing_visits(data: &PracticeData, patient: &str, month: NaiveDate) -> Vec<Finding> {
    let month_text = month.format("%Y-%m").to_string();
    data.unreadable
        .iter()
        .filter(|u| u.folder == "sessions")
        .filter(|u| {
            u.file.starts_with(&format!("sessions/{month_text}/"))
                || u.stem.starts_with(&month_text)
        })
        .filter(|u| u.patient.as_deref().is_none_or(|p| p == patient))
        .map(|u| {
            Finding::error(
                "claim.incomplete",
                &u.file,
                format!(
                    "this session of {month_text} could not be read, so the document would leave the visit out: fix the file first"
                ),
            )
        })
        .collect()
}

/// The patients seen in the scope's month, each once, in id order.
pub fn patients_seen<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<&'a Record<Patient>> {
    let Some(month) = scope.month else {
        return Vec::new();
    };
    let seen: std::collections::BTreeSet<&str> = data
        .sessions
        .iter()
        .filter(|s| crate::figures::in_month(s.data.date, month))
        .map(|s| s.data.patient.as_str())
        .collect();
    seen.into_iter()
        .filter_map(|id| data.patients.get(id))
        .collect()
}

/// Findings for hook entries naming a document kind that does not exist.
pub fn check_hook_kinds(data: &PracticeData) -> Vec<Finding> {
    let Some(practice) = &data.practice else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, hook) in practice.data.hooks.iter().enumerate() {
        for (j, name) in hook.documents.iter().enumerate() {
            if kind(name).is_none_or(|k| k.name != name) {
                let names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
                out.push(
                    Finding::error(
                        "field.invalid",
                        &practice.file,
                        format!(
                            "hook documents are named {}: use one of them",
                            names.join(", ")
                        ),
                    )
                    .at(format!("hooks[{i}].documents[{j}]")),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::encode_value;
    use serde_json::{Value, json};

    fn digest(value: &Value) -> Vec<u8> {
        let mut bytes = Vec::new();
        encode_value(&mut bytes, value);
        bytes
    }

    #[test]
    fn values_that_differ_encode_apart_and_equal_ones_alike() {
        let values = [
            json!(null),
            json!(""),
            json!(false),
            json!(0),
            json!("0"),
            json!(0.5),
            json!(["ab"]),
            json!(["a", "b"]),
            json!([["a"], "b"]),
            json!([]),
            json!({}),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!({"a": {"b": null}}),
            json!({"a": null, "b": null}),
            json!([{"a": null}, null]),
        ];
        for (i, a) in values.iter().enumerate() {
            assert_eq!(digest(a), digest(&a.clone()), "{a}");
            for b in &values[i + 1..] {
                assert_ne!(digest(a), digest(b), "{a} and {b}");
            }
        }
    }
}
