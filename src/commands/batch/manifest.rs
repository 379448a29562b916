//! The batch manifest: what each document of a month was made from and what was written, so
//! that a rerun re-renders only what changed and never overwrites a file edited by hand.

use crate::findings::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The manifest's file name inside the month's folder.
pub const MANIFEST: &str = "manifest.json";

/// The manifest: what each document was made from and what was written.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// claimwright version that wrote it.
    pub claimwright_version: String,
    /// The month.
    pub month: String,
    /// The `--as-of` date of the run.
    pub as_of: String,
    /// One entry per document, sorted by kind and name.
    pub documents: Vec<Entry>,
    /// Errors of files that could not be read, so no document was made from them.
    #[serde(default)]
    pub unreadable: Vec<ManifestFinding>,
}

/// Whether a document's files are current.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Its files are written and current.
    Rendered,
    /// Refused: nothing of it is on disk.
    Refused,
}

/// What one run did to a document; shown in the summary, not kept in the file, so a rerun
/// that changes nothing leaves the manifest untouched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Outcome {
    /// Written (or rewritten) by this run.
    Rendered,
    /// Already current.
    #[default]
    Unchanged,
    /// Refused by this run.
    Refused,
}

/// One document in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Document kind.
    pub kind: String,
    /// Name (file stem).
    pub name: String,
    /// Whether its files are current.
    pub status: Status,
    /// What this run did.
    #[serde(skip)]
    pub outcome: Outcome,
    /// Input files and their SHA-256.
    pub inputs: Vec<FileHash>,
    /// Template file and its SHA-256.
    pub template: FileHash,
    /// SHA-256 of the document's full data: equal data, equal document.
    pub data_sha256: String,
    /// claimwright version that rendered it.
    pub claimwright_version: String,
    /// Output files (relative to the month folder) and their SHA-256.
    pub outputs: Vec<FileHash>,
    /// Findings about the document (errors for refused ones, warnings otherwise).
    pub findings: Vec<ManifestFinding>,
    /// Visits held off a claim, with the errors that hold them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub held: Vec<HeldVisit>,
}

impl Entry {
    /// Marks the entry refused by this run.
    pub fn refuse(&mut self) {
        self.status = Status::Refused;
        self.outcome = Outcome::Refused;
    }
}

/// A visit held off a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeldVisit {
    /// Session id.
    pub session: String,
    /// The errors that hold it.
    pub findings: Vec<ManifestFinding>,
}

/// A path and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileHash {
    /// Path.
    pub path: String,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}

/// A finding as the manifest keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestFinding {
    /// Severity.
    pub severity: String,
    /// Code.
    pub code: String,
    /// File.
    pub file: String,
    /// Line.
    pub line: Option<usize>,
    /// Field.
    pub field: Option<String>,
    /// Message.
    pub message: String,
}

impl From<&Finding> for ManifestFinding {
    fn from(f: &Finding) -> Self {
        ManifestFinding {
            severity: f.severity.as_str().to_string(),
            code: f.code.to_string(),
            file: f.file.clone(),
            line: f.line,
            field: f.field.clone(),
            message: f.message.clone(),
        }
    }
}

impl ManifestFinding {
    /// "file:line: error code: message", as the summary prints it.
    pub fn line_text(&self) -> String {
        let place = match self.line {
            Some(l) => format!("{}:{l}", self.file),
            None => self.file.clone(),
        };
        format!("{place}: {} {}: {}", self.severity, self.code, self.message)
    }
}

/// The entries of the manifest in `out_dir`, by kind and name; none when it is absent or
/// unreadable (everything is then rendered anew).
pub fn read(out_dir: &Path) -> HashMap<(String, String), Entry> {
    std::fs::read(out_dir.join(MANIFEST))
        .ok()
        .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
        .map(|m| {
            m.documents
                .into_iter()
                .map(|e| ((e.kind.clone(), e.name.clone()), e))
                .collect()
        })
        .unwrap_or_default()
}
