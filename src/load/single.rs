//! One record file loaded from its bytes, as the folder walk loads it but without the disk:
//! the size limit, the encoding, the parse, the id and the lines of the findings. It exists so
//! that the loader can be fuzzed one file at a time.

use super::files::{self, Refusal};
use super::locate::LineIndex;
use super::parse;
use crate::findings::Finding;
use crate::model::{ClaimRecord, Denial, Patient, Payer, Practice, RemittanceRecord, Session};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// The kind of a record file: which folder it is read from, and so which record it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `practice.yaml`.
    Practice,
    /// A file of `payers/`.
    Payer,
    /// A file of `patients/`.
    Patient,
    /// A file of `sessions/`.
    Session,
    /// A file of `denials/`.
    Denial,
    /// A file of the claims ledger, `claims/`.
    Claim,
    /// A file of `remittances/`.
    Remittance,
}

impl FileKind {
    /// Every kind, in the order the folder walk reads them.
    pub const ALL: [FileKind; 7] = [
        FileKind::Practice,
        FileKind::Payer,
        FileKind::Patient,
        FileKind::Session,
        FileKind::Denial,
        FileKind::Claim,
        FileKind::Remittance,
    ];

    /// A path of a file of this kind, relative to the practice folder.
    pub fn file(self) -> &'static str {
        match self {
            FileKind::Practice => "practice.yaml",
            FileKind::Payer => "payers/payer.yaml",
            FileKind::Patient => "patients/patient.yaml",
            FileKind::Session => "sessions/2026-11/session.yaml",
            FileKind::Denial => "denials/denial.yaml",
            FileKind::Claim => "claims/2026-11/claim.yaml",
            FileKind::Remittance => "remittances/2026-11/remittance.yaml",
        }
    }
}

/// The findings of loading `bytes` as the file `kind.file()`: none when the record loads.
/// Findings that name a field carry its line, as `locate_findings` gives them.
pub fn load_bytes(kind: FileKind, bytes: &[u8]) -> Vec<Finding> {
    let file = kind.file();
    let limit = files::limit_for(file);
    if bytes.len() as u64 > limit {
        return vec![files::refused(
            file,
            Refusal::TooLarge(bytes.len() as u64, limit),
        )];
    }
    let text = match files::decode(file, bytes.to_vec()) {
        Ok(text) => text,
        Err(finding) => return vec![finding],
    };
    let mut findings = match kind {
        FileKind::Practice => load::<Practice>(&text, file, |_| None),
        FileKind::Payer => load::<Payer>(&text, file, |p| p.id.clone()),
        FileKind::Patient => load::<Patient>(&text, file, |p| p.id.clone()),
        FileKind::Session => load::<Session>(&text, file, |s| s.id.clone()),
        FileKind::Denial => load::<Denial>(&text, file, |d| d.id.clone()),
        FileKind::Claim => load::<ClaimRecord>(&text, file, |_| None),
        FileKind::Remittance => load::<RemittanceRecord>(&text, file, |_| None),
    };
    if findings
        .iter()
        .any(|f| f.line.is_none() && f.field.is_some())
    {
        let index = LineIndex::new(&text);
        for f in findings.iter_mut().filter(|f| f.line.is_none()) {
            f.line = f.field.as_deref().and_then(|field| index.line_of(field));
        }
    }
    findings
}

/// Parses `text` as a `T` and checks the id the record gives itself.
fn load<T: DeserializeOwned + JsonSchema>(
    text: &str,
    file: &str,
    explicit_id: fn(&T) -> Option<String>,
) -> Vec<Finding> {
    match parse::parse::<T>(text, file) {
        Ok(record) => explicit_id(&record)
            .and_then(|id| super::invalid_id(file, &id))
            .into_iter()
            .collect(),
        Err(findings) => findings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_reports_what_its_folder_would() {
        for kind in FileKind::ALL {
            let codes: Vec<&str> = load_bytes(kind, b"\xff\xfe")
                .into_iter()
                .map(|f| f.code)
                .collect();
            assert_eq!(codes, ["file.encoding"], "{kind:?}");
            assert_eq!(load_bytes(kind, b"# nothing\n")[0].code, "file.empty");
        }
        let payer = include_str!("../../examples/harbor-street/payers/northstar-ppo.yaml");
        assert!(load_bytes(FileKind::Payer, payer.as_bytes()).is_empty());
        let bad_id = format!("id: Not An Id\n{payer}");
        let findings = load_bytes(FileKind::Payer, bad_id.as_bytes());
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].field.as_deref(), Some("id"));
    }

    #[test]
    fn findings_carry_their_lines() {
        let findings = load_bytes(FileKind::Payer, b"name: Aetna\nkind: nonsense\n");
        assert!(!findings.is_empty());
        let kind = findings
            .iter()
            .find(|f| f.field.as_deref() == Some("kind"))
            .expect("a finding on kind");
        assert_eq!(kind.line, Some(2));
    }

    #[test]
    fn an_oversized_file_is_refused_unread() {
        let big = vec![b'#'; files::RECORD_BYTES as usize + 1];
        assert_eq!(
            load_bytes(FileKind::Session, &big)[0].code,
            "file.too_large"
        );
    }
}
