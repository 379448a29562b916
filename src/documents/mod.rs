//! Each document kind: which records it is made from, and the context its template sees.

pub mod appeal;
pub mod context;
pub mod claim;
pub mod soap;
pub mod summary;
pub mod superbill;

use crate::findings::Finding;
use crate::model::DocumentKind;
use serde::Serialize;

/// A document ready to render: its context, and what it was made from.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The kind of document.
    pub kind: DocumentKind,
    /// Output file stem, built from ids, e.g. `2026-11-03-jane-doe`.
    pub name: String,
    /// Title for the PDF metadata and the HTML page.
    pub title: String,
    /// Header line on every PDF page: the patient's name and date of birth.
    pub header: String,
    /// The template's context, as JSON (also what hooks receive).
    pub context: serde_json::Value,
    /// The record file the document is made from (a session, patient or denial file);
    /// hook refusals are reported on it.
    pub source: String,
    /// Files (relative to the practice) whose findings refuse this document.
    pub inputs: Vec<String>,
    /// Every file the document's content depends on (a superset of `inputs`), for the
    /// batch manifest: a change to any of them re-renders the document.
    pub depends: Vec<String>,
    /// Problems found while preparing (e.g. an appeal past its window).
    pub findings: Vec<Finding>,
}

impl Prepared {
    /// Packs a context; serializing plain data cannot fail, so a failure yields `null`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        kind: DocumentKind,
        name: String,
        title: String,
        header: String,
        context: &impl Serialize,
        source: String,
        inputs: Vec<String>,
    ) -> Self {
        Prepared {
            kind,
            name,
            title,
            header,
            context: serde_json::to_value(context).unwrap_or(serde_json::Value::Null),
            source,
            depends: inputs.clone(),
            inputs,
            findings: Vec::new(),
        }
    }
}

impl Prepared {
    /// Adds files the content depends on without their findings refusing it.
    pub fn depending_on(mut self, files: impl IntoIterator<Item = String>) -> Self {
        self.depends.extend(files);
        self.depends.sort();
        self.depends.dedup();
        self
    }
}

/// "Jane Doe · DOB 1980-04-12", printed at the top of every page.
pub fn patient_header(p: &crate::model::Patient) -> String {
    format!("{} - DOB {}", p.full_name(), p.dob)
}

/// Errors for session files of `patient`'s `month` that did not load: a claim or superbill
/// made without them would silently leave visits out. A file whose patient cannot be read
/// counts when it sits in the month's folder or is named for the month.
pub fn missing_visits(
    data: &crate::load::PracticeData,
    patient: &str,
    month: chrono::NaiveDate,
) -> Vec<Finding> {
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
