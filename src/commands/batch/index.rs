//! The month's `index.html`: the manifest and the claims ledger gathered by patient, for the
//! page renderer.

use super::manifest::{Entry, Manifest, ManifestFinding, Status};
use crate::findings::Finding;
use crate::load::PracticeData;
use crate::model::LedgerStatus;
use crate::render::month_page::{ClaimRow, DocumentRow, MonthPage, PatientSection};
use std::collections::BTreeMap;

/// The page's file name inside the month's folder.
pub const INDEX: &str = "index.html";

/// The kind's name in words.
fn kind_words(kind: &str) -> &str {
    match kind {
        "soap_note" => "SOAP note",
        "summary" => "Benefit summary",
        "appeal" => "Appeal",
        "superbill" => "Superbill",
        "claim" => "Claim",
        "statement" => "Statement",
        other => other,
    }
}

/// The patient a document is about: the one patient file it was made from.
fn patient_of(entry: &Entry) -> Option<&str> {
    let mut patients = entry.inputs.iter().filter_map(|i| {
        i.path
            .strip_prefix("patients/")
            .and_then(|p| p.strip_suffix(".yaml"))
    });
    let first = patients.next()?;
    patients.next().is_none().then_some(first)
}

/// Findings about the whole practice (its code tables) rather than the document's records:
/// every document carries them, so the page shows them once.
fn practice_wide(f: &ManifestFinding) -> bool {
    f.file.starts_with("codes/")
}

fn row(entry: &Entry) -> DocumentRow {
    let lines = |fs: &[ManifestFinding]| fs.iter().map(ManifestFinding::line_text).collect();
    let findings: Vec<ManifestFinding> = entry
        .findings
        .iter()
        .filter(|f| entry.status == Status::Refused || f.severity == "warning")
        .filter(|f| !practice_wide(f))
        .cloned()
        .collect();
    DocumentRow {
        kind: kind_words(&entry.kind).to_string(),
        name: entry.name.clone(),
        files: entry
            .outputs
            .iter()
            .map(|o| {
                let ext = o.path.rsplit('.').next().unwrap_or_default();
                (ext.to_string(), o.path.clone())
            })
            .collect(),
        refused: entry.status == Status::Refused,
        findings: lines(&findings),
        held: entry
            .held
            .iter()
            .map(|h| (h.session.clone(), lines(&h.findings)))
            .collect(),
    }
}

/// The section of patient `id`, made on first use.
fn section<'a>(
    sections: &'a mut BTreeMap<String, PatientSection>,
    data: &PracticeData,
    id: &str,
) -> &'a mut PatientSection {
    sections.entry(id.to_string()).or_insert_with(|| {
        let name = data
            .patients
            .get(id)
            .map_or_else(|| id.to_string(), |p| p.data.full_name());
        PatientSection {
            name,
            id: id.to_string(),
            ..PatientSection::default()
        }
    })
}

/// The page for `manifest`, with the claims of its month from the ledger and the payers'
/// answers.
pub fn page(data: &PracticeData, manifest: &Manifest, unreadable: &[Finding]) -> MonthPage {
    let mut sections: BTreeMap<String, PatientSection> = BTreeMap::new();
    let mut other = Vec::new();
    for entry in &manifest.documents {
        match patient_of(entry) {
            Some(id) => section(&mut sections, data, id).documents.push(row(entry)),
            None => other.push(row(entry)),
        }
    }
    let answers = crate::posting::answers(data);
    for record in data.claims.values() {
        let c = &record.data;
        if c.month != manifest.month {
            continue;
        }
        let status = match answers.get(&c.claim_id.to_uppercase()) {
            Some(a) => a.answer.as_str().to_string(),
            None if c.status == LedgerStatus::Sent => "sent, no answer yet".to_string(),
            None => "prepared, not sent".to_string(),
        };
        let payer = data
            .payers
            .get(&c.payer)
            .map_or_else(|| c.payer.clone(), |p| p.data.name.clone());
        section(&mut sections, data, &c.patient)
            .claims
            .push(ClaimRow {
                id: c.claim_id.clone(),
                payer,
                total: c.total.to_string(),
                status,
            });
    }
    let notices: std::collections::BTreeSet<String> = manifest
        .documents
        .iter()
        .flat_map(|e| &e.findings)
        .filter(|f| practice_wide(f))
        .map(ManifestFinding::line_text)
        .collect();
    let mut patients: Vec<PatientSection> = sections.into_values().collect();
    patients.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    MonthPage {
        practice: data
            .practice
            .as_ref()
            .map_or_else(String::new, |p| p.data.name.clone()),
        month: manifest.month.clone(),
        as_of: manifest.as_of.clone(),
        patients,
        other,
        unreadable: unreadable
            .iter()
            .map(|f| ManifestFinding::from(f).line_text())
            .collect(),
        notices: notices.into_iter().collect(),
    }
}
