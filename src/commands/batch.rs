//! `claimwright batch`: every document of a month, rendered in parallel, with a manifest
//! that makes reruns incremental.

use super::render::{findings_for, parse_formats};
use super::{Outcome, today};
use crate::cli::GlobalArgs;
use crate::documents::{self, Prepared};
use crate::findings::{self, Finding};
use crate::load::{self, PracticeData};
use crate::model::DocumentKind;
use crate::model::patient::Network;
use crate::output;
use crate::output::sha256_hex;
use crate::render::templates::Engine;
use crate::render::{self, Format};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

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

/// One document in the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Document kind.
    pub kind: String,
    /// Name (file stem).
    pub name: String,
    /// `rendered` (its files are current) or `refused`.
    pub status: String,
    /// What this run did: `rendered`, `unchanged` or `refused` (not kept in the file, so a
    /// rerun that changes nothing leaves the manifest untouched).
    #[serde(skip)]
    pub outcome: String,
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

/// Runs the batch for `month`.
pub fn run(g: &GlobalArgs, month: NaiveDate, jobs: Option<usize>) -> Result<Outcome> {
    let formats = parse_formats(&g.format)?;
    let cwd = std::env::current_dir()?;
    let root = load::find_root(g.practice.as_deref(), &cwd)?;
    let as_of = g.as_of.unwrap_or_else(today);
    let settings = Settings {
        month,
        as_of,
        out: g.out.clone().unwrap_or_else(|| PathBuf::from("out")),
        formats,
        jobs,
        force: g.force,
        quiet: g.quiet,
    };
    let report = execute(&root, &settings)?;
    print_summary(&report, g.quiet)?;
    Ok(if report.refused() {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}

/// What a batch is asked to do.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Any day of the month.
    pub month: NaiveDate,
    /// The date "today" means.
    pub as_of: NaiveDate,
    /// Output root; the month's folder goes under it.
    pub out: PathBuf,
    /// Formats of the text documents.
    pub formats: Vec<Format>,
    /// Worker threads; one per core when None.
    pub jobs: Option<usize>,
    /// Overwrite files changed by hand.
    pub force: bool,
    /// No progress output.
    pub quiet: bool,
}

/// What a batch did.
#[derive(Debug, Clone)]
pub struct Report {
    /// The manifest written.
    pub manifest: Manifest,
    /// Errors in files that no document could be made from (they did not load).
    pub unrendered: Vec<Finding>,
}

impl Report {
    /// True when anything was refused or could not be read.
    pub fn refused(&self) -> bool {
        !self.unrendered.is_empty()
            || self
                .manifest
                .documents
                .iter()
                .any(|e| e.status == "refused")
    }
}

/// Loads and validates the practice once, then renders the month's documents in parallel
/// and writes the manifest.
pub fn execute(root: &Path, settings: &Settings) -> Result<Report> {
    let month = settings.month;
    let month_text = crate::figures::month_label(month);
    let out_dir = settings.out.join(&month_text);
    let (data, all_findings) = super::validate::load_and_check(root, settings.as_of);
    let engine = Engine::new(Some(&root.join("templates")))?;
    let tasks = plan(&data, month, settings.as_of);
    output::create_private_dir(&out_dir)?;
    remove_stale_temporaries(&out_dir);
    let existing = existing_outputs(&out_dir);
    let old = read_manifest(&out_dir);
    let hashes = hash_inputs(&data);

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let progress = Progress::new(tasks.len() as u64, settings.quiet);
    let ctx = Job {
        data: &data,
        findings: &all_findings,
        engine: &engine,
        formats: &settings.formats,
        out_dir: &out_dir,
        old: &old,
        hashes: &hashes,
        force: settings.force,
        existing: &existing,
    };
    let results: Vec<(Vec<String>, Vec<Result<Entry>>)> = pool.install(|| {
        tasks
            .par_iter()
            .map(|task| {
                let docs = task.prepare(&data, month, settings.as_of);
                let inputs = docs.iter().flat_map(|d| d.inputs.iter().cloned()).collect();
                let entries = docs.iter().map(|doc| ctx.process(doc)).collect();
                progress.tick();
                (inputs, entries)
            })
            .collect()
    });
    progress.finish();
    let mut covered: BTreeSet<String> = BTreeSet::new();
    let results: Vec<Result<Entry>> = results
        .into_iter()
        .flat_map(|(inputs, entries)| {
            covered.extend(inputs);
            entries
        })
        .collect();
    let mut entries = Vec::with_capacity(results.len());
    for r in results {
        entries.push(r?);
    }
    entries.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));

    // Files that failed to load make no document, but their errors must not go unseen.
    let loaded: BTreeSet<&str> = data
        .sessions
        .iter()
        .map(|s| s.file.as_str())
        .chain(data.patients.values().map(|p| p.file.as_str()))
        .chain(data.payers.values().map(|p| p.file.as_str()))
        .chain(data.denials.values().map(|d| d.file.as_str()))
        .chain(data.practice.iter().map(|p| p.file.as_str()))
        .collect();
    let unrendered: Vec<Finding> = all_findings
        .iter()
        .filter(|f| f.severity == crate::findings::Severity::Error)
        .filter(|f| !covered.contains(&f.file) && !loaded.contains(f.file.as_str()))
        .filter(|f| in_scope(&f.file, &month_text))
        .cloned()
        .collect();

    let manifest = Manifest {
        claimwright_version: env!("CARGO_PKG_VERSION").to_string(),
        month: month_text,
        as_of: settings.as_of.to_string(),
        documents: entries,
        unreadable: unrendered.iter().map(ManifestFinding::from).collect(),
    };
    let json = serde_json::to_string_pretty(&manifest)? + "\n";
    let manifest_path = out_dir.join(MANIFEST);
    let current = std::fs::read(&manifest_path).ok();
    if current.as_deref() != Some(json.as_bytes()) {
        output::write_atomic(&manifest_path, json.as_bytes())?;
    }
    Ok(Report {
        manifest,
        unrendered,
    })
}

/// Whether a file that failed to load concerns this month: sessions of other months do not.
fn in_scope(file: &str, month: &str) -> bool {
    match file.strip_prefix("sessions/") {
        Some(rest) => !rest.contains('/') || rest.starts_with(&format!("{month}/")),
        None => true,
    }
}

/// One unit of batch work, prepared on the worker that renders it so that the month's
/// contexts never sit in memory all at once.
#[derive(Debug, Clone, Copy)]
pub enum Task<'a> {
    /// The SOAP note of a session.
    Soap(&'a load::Record<crate::model::Session>),
    /// The claims of a patient (one per payer billed).
    Claims(&'a load::Record<crate::model::Patient>),
    /// A patient's benefit summary.
    Summary(&'a load::Record<crate::model::Patient>),
    /// An out-of-network patient's superbill.
    Superbill(&'a load::Record<crate::model::Patient>),
    /// The appeal of a denial whose window is open.
    Appeal(&'a load::Record<crate::model::Denial>),
}

impl Task<'_> {
    /// The documents of this task, ready to render.
    pub fn prepare(
        &self,
        data: &PracticeData,
        month: NaiveDate,
        as_of: NaiveDate,
    ) -> Vec<Prepared> {
        match *self {
            Task::Soap(s) => documents::soap::prepare(data, s, as_of, false)
                .into_iter()
                .collect(),
            Task::Claims(p) => documents::claim::prepare_all(data, p, month, as_of),
            Task::Summary(p) => vec![documents::summary::prepare(data, p, as_of, false)],
            Task::Superbill(p) => documents::superbill::prepare(data, p, month, as_of, false)
                .into_iter()
                .collect(),
            Task::Appeal(d) => documents::appeal::prepare(data, d, as_of, false)
                .into_iter()
                .collect(),
        }
    }
}

/// Every document of the month: a SOAP note per session, a claim per patient and coverage,
/// a benefit summary per patient seen, an appeal per denial still open, a superbill per
/// out-of-network patient seen.
pub fn plan(data: &PracticeData, month: NaiveDate, as_of: NaiveDate) -> Vec<Task<'_>> {
    let in_month = |d: NaiveDate| crate::figures::in_month(d, month);
    let mut tasks = Vec::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for s in data.sessions.iter().filter(|s| in_month(s.data.date)) {
        seen.insert(s.data.patient.as_str());
        tasks.push(Task::Soap(s));
    }
    for id in &seen {
        let Some(patient) = data.patients.get(*id) else {
            continue;
        };
        tasks.push(Task::Claims(patient));
        tasks.push(Task::Summary(patient));
        let out_of_network = data
            .sessions_of(id)
            .filter(|s| in_month(s.data.date))
            .filter_map(|s| data.coverage_of(&s.data))
            .any(|c| c.network == Network::Out);
        if out_of_network {
            tasks.push(Task::Superbill(patient));
        }
    }
    for denial in data.denials.values() {
        let Some(payer) = data.payers.get(&denial.data.payer) else {
            continue;
        };
        let deadline =
            crate::figures::deadlines::deadline(denial.data.date, payer.data.appeal_window_days);
        if as_of <= deadline {
            tasks.push(Task::Appeal(denial));
        }
    }
    tasks
}

/// SHA-256 of every file the practice loaded, as computed when it was read.
fn hash_inputs(data: &PracticeData) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut add = |file: &str, sha: &str| {
        out.insert(file.to_string(), sha.to_string());
    };
    data.practice.iter().for_each(|r| add(&r.file, &r.sha256));
    data.payers.values().for_each(|r| add(&r.file, &r.sha256));
    data.patients.values().for_each(|r| add(&r.file, &r.sha256));
    data.denials.values().for_each(|r| add(&r.file, &r.sha256));
    data.sessions.iter().for_each(|r| add(&r.file, &r.sha256));
    out
}

/// What every job shares.
struct Job<'a> {
    data: &'a PracticeData,
    findings: &'a [Finding],
    engine: &'a Engine,
    formats: &'a [Format],
    out_dir: &'a Path,
    old: &'a HashMap<(String, String), Entry>,
    hashes: &'a HashMap<String, String>,
    force: bool,
    existing: &'a BTreeSet<String>,
}

impl Job<'_> {
    /// Validates, renders and writes one document; never fails for a refusal.
    fn process(&self, doc: &Prepared) -> Result<Entry> {
        let kind = doc.kind.as_str().to_string();
        let found = findings_for(self.data, self.findings, doc);
        let inputs: Vec<FileHash> = doc
            .depends
            .iter()
            .map(|f| FileHash {
                path: f.clone(),
                sha256: self.hashes.get(f).cloned().unwrap_or_default(),
            })
            .collect();
        let template = FileHash {
            path: crate::render::templates::template_name(doc.kind).to_string(),
            sha256: self.engine.template_hash(doc.kind).to_string(),
        };
        let formats: Vec<Format> = if doc.kind == DocumentKind::Claim {
            vec![Format::Pdf]
        } else {
            self.formats.to_vec()
        };
        let data_sha256 = sha256_hex(
            format!(
                "{}\n{:?}\n{}",
                serde_json::to_string(&doc.context).unwrap_or_default(),
                formats,
                template.sha256
            )
            .as_bytes(),
        );
        let mut entry = Entry {
            kind,
            name: doc.name.clone(),
            status: String::new(),
            outcome: String::new(),
            inputs,
            template,
            data_sha256,
            claimwright_version: env!("CARGO_PKG_VERSION").to_string(),
            outputs: Vec::new(),
            findings: found.iter().map(ManifestFinding::from).collect(),
        };
        if findings::has_errors(&found) {
            entry.status = "refused".into();
            entry.outcome = "refused".into();
            self.retire(doc);
            return Ok(entry);
        }
        let key = (entry.kind.clone(), entry.name.clone());
        if let Some(prev) = self.old.get(&key)
            && prev.status != "refused"
            && prev.data_sha256 == entry.data_sha256
            && prev.claimwright_version == entry.claimwright_version
            && prev.outputs.iter().all(|o| {
                std::fs::read(self.out_dir.join(&o.path)).is_ok_and(|b| sha256_hex(&b) == o.sha256)
            })
        {
            entry.outputs = prev.outputs.clone();
            entry.status = "rendered".into();
            entry.outcome = "unchanged".into();
            return Ok(entry);
        }
        let rendered = match render_document(self.engine, doc, &formats) {
            Ok(r) => r,
            Err(e) => {
                entry.status = "refused".into();
                entry.outcome = "refused".into();
                self.retire(doc);
                entry.findings.push(ManifestFinding::from(&Finding::error(
                    "render.failed",
                    doc.source.clone(),
                    e.to_string(),
                )));
                return Ok(entry);
            }
        };
        let mut wrote_any = false;
        for (format, bytes) in rendered {
            let rel = format!(
                "{}/{}.{}",
                doc.kind.as_str(),
                output::safe_stem(&doc.name),
                format.extension()
            );
            let path = self.out_dir.join(&rel);
            let sha = sha256_hex(&bytes);
            // The folder listing taken at the start spares a lookup per new file.
            let existing = if self.existing.contains(&rel) {
                std::fs::read(&path).ok()
            } else {
                None
            };
            match existing {
                // Identical bytes already there (a rerun after a kill): keep the file.
                Some(existing) if sha256_hex(&existing) == sha => {}
                Some(existing) => {
                    let ours = self
                        .old
                        .get(&key)
                        .and_then(|prev| prev.outputs.iter().find(|o| o.path == rel))
                        .is_some_and(|o| o.sha256 == sha256_hex(&existing));
                    if !ours && !self.force {
                        entry.status = "refused".into();
                        entry.outcome = "refused".into();
                        entry.findings.push(ManifestFinding::from(&Finding::error(
                            "output.modified",
                            rel.clone(),
                            "the file was changed since claimwright wrote it: move your edits elsewhere, or pass --force to overwrite".to_string(),
                        )));
                        return Ok(entry);
                    }
                    output::write_atomic(&path, &bytes)?;
                    wrote_any = true;
                }
                None => {
                    output::write_atomic(&path, &bytes)?;
                    wrote_any = true;
                }
            }
            entry.outputs.push(FileHash {
                path: rel,
                sha256: sha,
            });
        }
        entry.status = "rendered".into();
        entry.outcome = if wrote_any { "rendered" } else { "unchanged" }.into();
        Ok(entry)
    }
}

impl Job<'_> {
    /// Removes the files an earlier run wrote for a document now refused, so nothing stale
    /// looks current; a file changed by hand since is left alone.
    fn retire(&self, doc: &Prepared) {
        let key = (doc.kind.as_str().to_string(), doc.name.clone());
        let Some(prev) = self.old.get(&key) else {
            return;
        };
        for o in &prev.outputs {
            let path = self.out_dir.join(&o.path);
            if std::fs::read(&path).is_ok_and(|b| sha256_hex(&b) == o.sha256) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// The bytes of `doc` in each format (claims: their CMS-1500 PDF).
pub fn render_document(
    engine: &Engine,
    doc: &Prepared,
    formats: &[Format],
) -> Result<Vec<(Format, Vec<u8>)>> {
    if doc.kind == DocumentKind::Claim {
        let (bytes, _notes) = documents::claim::render_pdf(doc)?;
        return Ok(vec![(Format::Pdf, bytes)]);
    }
    Ok(render::render(engine, doc, formats)?
        .into_iter()
        .map(|r| (r.format, r.bytes))
        .collect())
}

fn read_manifest(out_dir: &Path) -> HashMap<(String, String), Entry> {
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

/// Every file under the month's kind folders, as `kind/name`, created as needed.
fn existing_outputs(out_dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for kind in [
        DocumentKind::SoapNote,
        DocumentKind::Summary,
        DocumentKind::Appeal,
        DocumentKind::Superbill,
        DocumentKind::Claim,
    ] {
        let dir = out_dir.join(kind.as_str());
        let _ = output::create_private_dir(&dir);
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                out.insert(format!(
                    "{}/{}",
                    kind.as_str(),
                    e.file_name().to_string_lossy()
                ));
            }
        }
    }
    out
}

/// Temporary files left by a run that was killed mid-write.
fn remove_stale_temporaries(dir: &Path) {
    for entry in walkdir::WalkDir::new(dir)
        .max_depth(3)
        .into_iter()
        .filter_map(|e| e.ok())
    {
        let name = entry.file_name().to_string_lossy();
        if name.starts_with(".claimwright-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Progress: a bar on a terminal, a plain count line every tenth of the way otherwise
/// (never names: document names carry patient ids), nothing when quiet.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    plain: bool,
    total: u64,
    done: std::sync::atomic::AtomicU64,
}

impl Progress {
    fn new(total: u64, quiet: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        let bar = (!quiet && terminal).then(|| {
            let bar = indicatif::ProgressBar::new(total);
            if let Ok(style) =
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} tasks {elapsed}")
            {
                bar.set_style(style);
            }
            bar
        });
        Progress {
            bar,
            plain: !quiet && !terminal,
            total,
            done: std::sync::atomic::AtomicU64::new(0),
        }
    }

    fn tick(&self) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if let Some(bar) = &self.bar {
            bar.inc(1);
        } else if self.plain {
            let step = (self.total / 10).max(1);
            if done % step == 0 || done == self.total {
                eprintln!("{done}/{} tasks done", self.total);
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn print_summary(report: &Report, quiet: bool) -> Result<()> {
    let m = &report.manifest;
    let mut out = std::io::stdout().lock();
    let mut table: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    for e in &m.documents {
        let row = table.entry(e.kind.as_str()).or_default();
        match e.outcome.as_str() {
            "rendered" => row[0] += 1,
            "refused" => row[1] += 1,
            _ => row[2] += 1,
        }
    }
    if !quiet {
        writeln!(
            out,
            "{:<12} {:>9} {:>9} {:>10}",
            "document", "rendered", "refused", "unchanged"
        )?;
        let mut totals = [0usize; 3];
        for (kind, row) in &table {
            writeln!(
                out,
                "{:<12} {:>9} {:>9} {:>10}",
                kind, row[0], row[1], row[2]
            )?;
            for i in 0..3 {
                totals[i] += row[i];
            }
        }
        writeln!(
            out,
            "{:<12} {:>9} {:>9} {:>10}",
            "total", totals[0], totals[1], totals[2]
        )?;
    }
    if !report.unrendered.is_empty() {
        writeln!(out, "\nnot rendered: these files could not be read")?;
        for f in &report.unrendered {
            let place = match f.line {
                Some(l) => format!("{}:{l}", f.file),
                None => f.file.clone(),
            };
            writeln!(out, "  {place}: error {}: {}", f.code, f.message)?;
        }
    }
    for e in m.documents.iter().filter(|e| e.status == "refused") {
        writeln!(out, "\nrefused: {} {}", e.kind, e.name)?;
        for f in e.findings.iter().filter(|f| f.severity == "error") {
            let place = match f.line {
                Some(l) => format!("{}:{l}", f.file),
                None => f.file.clone(),
            };
            writeln!(out, "  {place}: error {}: {}", f.code, f.message)?;
        }
    }
    Ok(())
}
