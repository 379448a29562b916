//! Reads a practice folder: finds it, walks it, parses each file on its own, resolves ids.

mod advice;
mod field_path;
pub mod files;
pub mod locate;
pub mod parse;
mod resolve;
pub mod shape;
mod single;
mod suggest;
mod typed;
pub mod yaml;

use crate::codes::icd10::Icd10;
use crate::findings::Finding;
use crate::model::common::is_valid_id;
use crate::model::{
    ClaimRecord, Denial, LedgerStatus, Patient, Payer, Practice, RemittanceRecord, Session,
};
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

pub use files::{read_code_files, read_text};
#[doc(hidden)]
pub use single::{FileKind, load_bytes};

/// A parsed record with its id and the file it came from.
#[derive(Debug, Clone)]
pub struct Record<T> {
    /// The record's id: its `id:` field, else its file stem.
    pub id: String,
    /// Path relative to the practice folder, `/`-separated.
    pub file: String,
    /// The parsed content.
    pub data: T,
    /// SHA-256 (hex) of the file's bytes, for the batch manifest.
    pub sha256: String,
}

/// Everything read from a practice folder; records that failed to parse are absent.
#[derive(Debug)]
pub struct PracticeData {
    /// The practice folder.
    pub root: PathBuf,
    /// practice.yaml, when it parsed.
    pub practice: Option<Record<Practice>>,
    /// Payers by id.
    pub payers: BTreeMap<String, Record<Payer>>,
    /// Patients by id.
    pub patients: BTreeMap<String, Record<Patient>>,
    /// Sessions in date order (then id).
    pub sessions: Vec<Record<Session>>,
    /// Denials by id.
    pub denials: BTreeMap<String, Record<Denial>>,
    /// The claims ledger by file stem: the claim id in lower case.
    pub claims: BTreeMap<String, Record<ClaimRecord>>,
    /// Remittances by file stem (`<payer>-<trace>`).
    pub remittances: BTreeMap<String, Record<RemittanceRecord>>,
    /// ICD-10-CM editions: built in, plus the practice's codes/ files.
    pub icd10: Icd10,
    /// Record files that could not be read or parsed (their findings say why).
    pub unreadable: Vec<Unreadable>,
    session_index: HashMap<String, usize>,
    by_patient: HashMap<String, Vec<usize>>,
    /// (session id, service index) of every line of a sent claim, with that claim's id.
    sent_lines: HashMap<(String, usize), String>,
}

impl PracticeData {
    /// The session with this id.
    pub fn session(&self, id: &str) -> Option<&Record<Session>> {
        self.session_index.get(id).map(|&i| &self.sessions[i])
    }

    /// A patient's sessions, in date order.
    pub fn sessions_of<'a>(
        &'a self,
        patient: &str,
    ) -> impl DoubleEndedIterator<Item = &'a Record<Session>> + 'a {
        self.by_patient
            .get(patient)
            .map(Vec::as_slice)
            .unwrap_or(&[])
            .iter()
            .map(|&i| &self.sessions[i])
    }

    /// Session files that did not load but belong to `patient` by their `patient:` line, or,
    /// when that line could not be read, by their name (`YYYY-MM-DD-<patient>[-...]`); with
    /// `month`, only those of that month by the date their name starts with.
    pub fn unreadable_sessions_of<'a>(
        &'a self,
        patient: &'a str,
        month: Option<(i32, u32)>,
    ) -> impl Iterator<Item = &'a Unreadable> + 'a {
        self.unreadable.iter().filter(move |u| {
            if u.folder != "sessions" {
                return false;
            }
            let owner = match &u.patient {
                Some(p) => p == patient,
                None => u.named_for(patient),
            };
            let in_month = match (month, u.date()) {
                (None, _) => true,
                (Some((y, m)), Some(d)) => d.year() == y && d.month() == m,
                // Without a date in its name the file may be of any month: name it anyway.
                (Some(_), None) => true,
            };
            owner && in_month
        })
    }

    /// The practice record (practice.yaml parsed).
    pub fn practice(&self) -> Option<&Practice> {
        self.practice.as_ref().map(|r| &r.data)
    }

    /// Finds a record by id or by a path to its file.
    pub fn resolve_name<'a, T>(
        &self,
        records: impl IntoIterator<Item = &'a Record<T>>,
        name: &str,
    ) -> Option<&'a Record<T>>
    where
        T: 'a,
    {
        let as_path = Path::new(name);
        let relative = self.relative_name(as_path);
        records
            .into_iter()
            .find(|r| r.id == name || Some(r.file.as_str()) == relative.as_deref())
    }

    fn relative_name(&self, path: &Path) -> Option<String> {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            std::env::current_dir().ok()?.join(path)
        };
        let absolute = absolute.canonicalize().ok()?;
        let root = self.root.canonicalize().ok()?;
        absolute.strip_prefix(&root).ok().map(slash_path)
    }
}

/// A record file that did not load.
#[derive(Debug, Clone)]
pub struct Unreadable {
    /// `payers`, `patients`, `sessions` or `denials`.
    pub folder: &'static str,
    /// Path relative to the practice folder.
    pub file: String,
    /// File stem (the record's id, unless the file set another).
    pub stem: String,
    /// For a session: the patient its `patient:` line names, when one can be read.
    pub patient: Option<String>,
}

impl Unreadable {
    /// The date a session file's name starts with (`YYYY-MM-DD-...`).
    pub fn date(&self) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(self.stem.get(..10)?, "%Y-%m-%d").ok()
    }

    /// Whether a session file's name is `YYYY-MM-DD-<patient>`, with or without a `-suffix`.
    pub fn named_for(&self, patient: &str) -> bool {
        self.stem.get(11..).is_some_and(|rest| {
            rest == patient
                || rest
                    .strip_prefix(patient)
                    .is_some_and(|tail| tail.starts_with('-'))
        })
    }
}

/// Why a practice folder could not be found.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    /// The named folder has no practice.yaml.
    #[error(
        "{0} has no practice.yaml: pass the practice folder with --practice, or run `claimwright init DIR`"
    )]
    NotAPractice(PathBuf),
    /// No practice.yaml here or above.
    #[error(
        "no practice.yaml in {0} or any parent folder: pass --practice DIR, or run `claimwright init DIR`"
    )]
    NotFound(PathBuf),
}

/// Finds the practice folder as cargo finds Cargo.toml: the given folder, else the nearest
/// folder at or above `cwd` holding practice.yaml.
pub fn find_root(explicit: Option<&Path>, cwd: &Path) -> Result<PathBuf, FindError> {
    if let Some(dir) = explicit {
        return if dir.join("practice.yaml").exists() {
            Ok(dir.to_path_buf())
        } else {
            Err(FindError::NotAPractice(dir.to_path_buf()))
        };
    }
    cwd.ancestors()
        .find(|d| d.join("practice.yaml").exists())
        .map(Path::to_path_buf)
        .ok_or_else(|| FindError::NotFound(cwd.to_path_buf()))
}

/// Reads the whole practice folder. Findings cover every file that could not be read,
/// parsed or resolved; the rest is returned.
pub fn load(root: &Path) -> (PracticeData, Vec<Finding>) {
    let mut findings = Vec::new();
    let practice = read_record::<Practice>(root, &root.join("practice.yaml"), &mut findings);

    let mut unreadable = Vec::new();
    let payers = read_kind::<Payer>(root, "payers", false, &mut findings, &mut unreadable, |p| {
        p.id.clone()
    });
    let patients = read_kind::<Patient>(
        root,
        "patients",
        false,
        &mut findings,
        &mut unreadable,
        |p| p.id.clone(),
    );
    let sessions = read_kind::<Session>(
        root,
        "sessions",
        true,
        &mut findings,
        &mut unreadable,
        |s| s.id.clone(),
    );
    let denials = read_kind::<Denial>(
        root,
        "denials",
        false,
        &mut findings,
        &mut unreadable,
        |d| d.id.clone(),
    );

    let mut sessions: Vec<Record<Session>> = sessions.into_values().collect();
    sessions.sort_by(|a, b| (a.data.date, &a.id).cmp(&(b.data.date, &b.id)));
    let session_index = sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.clone(), i))
        .collect();

    let mut by_patient: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, s) in sessions.iter().enumerate() {
        by_patient
            .entry(s.data.patient.clone())
            .or_default()
            .push(i);
    }

    let claims =
        read_kind::<ClaimRecord>(root, "claims", true, &mut findings, &mut unreadable, |_| {
            None
        });
    let sent_lines = sent_lines(&claims);
    let remittances = read_kind::<RemittanceRecord>(
        root,
        "remittances",
        true,
        &mut findings,
        &mut unreadable,
        |_| None,
    );

    let mut icd10 = Icd10::builtin();
    read_code_files(root, &mut icd10, &mut findings);
    findings.extend(files::skipped_templates(root));

    let data = PracticeData {
        root: root.to_path_buf(),
        practice,
        payers,
        patients,
        sessions,
        denials,
        icd10,
        unreadable,
        claims,
        remittances,
        session_index,
        by_patient,
        sent_lines,
    };
    resolve::check_references(&data, &mut findings);
    (data, findings)
}

/// Every line of a sent claim, by session and service, naming the claim. A void takes its
/// lines back: a voided visit may be billed again.
fn sent_lines(claims: &BTreeMap<String, Record<ClaimRecord>>) -> HashMap<(String, usize), String> {
    let mut out = HashMap::new();
    let mut sent: Vec<&Record<ClaimRecord>> = claims
        .values()
        .filter(|c| c.data.status == LedgerStatus::Sent)
        .collect();
    sent.sort_by_key(|c| (c.data.sent, c.data.prepared));
    for c in sent {
        for l in &c.data.lines {
            let key = (l.session.clone(), l.service_index);
            if c.data.frequency == crate::model::Frequency::Void {
                out.remove(&key);
            } else {
                out.insert(key, c.id.clone());
            }
        }
    }
    out
}

fn read_record<T: DeserializeOwned + JsonSchema>(
    root: &Path,
    path: &Path,
    findings: &mut Vec<Finding>,
) -> Option<Record<T>> {
    match parse_record(root, path) {
        Ok(r) => Some(r),
        Err(f) => {
            findings.extend(f);
            None
        }
    }
}

/// Reads and parses one file into a record named by its file stem.
fn parse_record<T: DeserializeOwned + JsonSchema>(
    root: &Path,
    path: &Path,
) -> Result<Record<T>, Vec<Finding>> {
    let file = relative(root, path);
    let text = read_text(root, path).map_err(|f| vec![f])?;
    let data = parse::parse::<T>(&text, &file)?;
    Ok(Record {
        id: stem(path),
        file,
        data,
        sha256: crate::output::sha256_hex(text.as_bytes()),
    })
}

fn read_kind<T: DeserializeOwned + JsonSchema + Send>(
    root: &Path,
    folder: &'static str,
    recursive: bool,
    findings: &mut Vec<Finding>,
    unreadable: &mut Vec<Unreadable>,
    explicit_id: impl Fn(&T) -> Option<String>,
) -> BTreeMap<String, Record<T>> {
    use rayon::prelude::*;
    let paths = files::yaml_files(root, &root.join(folder), recursive, findings);
    // Each file parses on its own, so they parse in parallel; the results keep path order.
    let parsed: Vec<Result<Record<T>, Vec<Finding>>> = paths
        .par_iter()
        .map(|path| parse_record::<T>(root, path))
        .collect();
    let mut out: BTreeMap<String, Record<T>> = BTreeMap::new();
    for (path, result) in paths.iter().zip(parsed) {
        let mut record = match result {
            Ok(r) => r,
            Err(f) => {
                findings.extend(f);
                unreadable.push(Unreadable {
                    folder,
                    file: relative(root, path),
                    stem: stem(path),
                    patient: patient_line(path),
                });
                continue;
            }
        };
        if let Some(id) = explicit_id(&record.data) {
            record.id = id;
        }
        if let Some(finding) = invalid_id(&record.file, &record.id) {
            findings.push(finding);
            continue;
        }
        if let Some(first) = out.get(&record.id) {
            findings.push(
                Finding::error(
                    "id.duplicate",
                    &record.file,
                    format!(
                        "id `{}` is already used by {}: give one of them another id",
                        record.id, first.file
                    ),
                )
                .at("id"),
            );
            continue;
        }
        out.insert(record.id.clone(), record);
    }
    out
}

/// The finding for a record id that is not lowercase letters, digits and `-`.
fn invalid_id(file: &str, id: &str) -> Option<Finding> {
    (!is_valid_id(id)).then(|| {
        Finding::error(
            "field.invalid",
            file,
            format!(
                "id `{id}` may hold only lowercase letters, digits and `-`: rename the file or set `id:`"
            ),
        )
        .at("id")
    })
}

/// The value of a `patient:` line at the top level of a file that did not parse, so a
/// claim can tell that one of its patient's visits is missing.
fn patient_line(path: &Path) -> Option<String> {
    let text = files::read_capped(path, files::RECORD_BYTES).ok()?;
    let text = String::from_utf8_lossy(&text);
    text.lines().find_map(|l| {
        l.strip_prefix("patient:")
            .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    })
}

/// `path` relative to `root`, with `/` separators.
pub fn relative(root: &Path, path: &Path) -> String {
    slash_path(path.strip_prefix(root).unwrap_or(path))
}

fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Fills in the line of every finding that names a field but no line, reading each file
/// once; only files with findings are read again, so a clean practice costs nothing here.
pub fn locate_findings(root: &Path, findings: &mut [Finding]) {
    let mut indexes: HashMap<String, Option<locate::LineIndex>> = HashMap::new();
    for f in findings.iter_mut() {
        if f.line.is_some() {
            continue;
        }
        let Some(field) = f.field.as_deref() else {
            continue;
        };
        let index = indexes.entry(f.file.clone()).or_insert_with(|| {
            files::read_capped(&root.join(&f.file), files::limit_for(&f.file))
                .ok()
                .and_then(|bytes| String::from_utf8(bytes).ok())
                .map(|t| locate::LineIndex::new(&t))
        });
        if let Some(index) = index {
            f.line = index.line_of(field);
        }
    }
}

impl PracticeData {
    /// The ledger record of claim `id` (CLM01, in any case).
    pub fn claim(&self, id: &str) -> Option<&Record<ClaimRecord>> {
        self.claims.get(&id.to_lowercase())
    }

    /// The sent claim that billed service `index` of `session`, if any.
    pub fn sent_claim_of(&self, session: &str, index: usize) -> Option<&Record<ClaimRecord>> {
        self.sent_lines
            .get(&(session.to_string(), index))
            .and_then(|id| self.claims.get(id))
    }

    /// The patient a session is for.
    pub fn patient_of(&self, session: &Session) -> Option<&Record<Patient>> {
        self.patients.get(&session.patient)
    }

    /// The coverage a session bills: the one it names, else the patient's primary; among
    /// several (a renewed policy), the one in force on the date of service.
    pub fn coverage_of<'a>(&'a self, session: &Session) -> Option<&'a crate::model::Coverage> {
        let patient = &self.patient_of(session)?.data;
        match &session.coverage {
            Some(payer) => patient.coverage_on(Some(payer), session.date),
            None => patient.coverage_on(None, session.date),
        }
    }

    /// The payer a session bills.
    pub fn payer_of(&self, session: &Session) -> Option<&Record<Payer>> {
        self.payers.get(&self.coverage_of(session)?.payer)
    }

    /// The provider who rendered a session.
    pub fn provider_of(&self, session: &Session) -> Option<&crate::model::Provider> {
        self.practice()?
            .providers
            .iter()
            .find(|p| p.id == session.provider)
    }
}
