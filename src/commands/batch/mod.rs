//! `claimwright batch`: every document of a month, rendered in parallel, with a manifest
//! that makes reruns incremental.

mod index;
mod job;
mod journal;
pub mod manifest;
mod progress;
mod writer;

use super::Outcome;
use super::practice::{self, Loaded};
use super::render::parse_formats;
use crate::cli::GlobalArgs;
use crate::documents::{KINDS, Kind, Subject};
use crate::findings::{self, Finding};
use crate::load::PracticeData;
use crate::output::{self, sha256_hex};
use crate::render::templates::Engine;
use crate::render::{Format, Renderer, cms1500};
use anyhow::{Context, Result};
use chrono::NaiveDate;
use manifest::{Entry, MANIFEST, Manifest, ManifestFinding, Status};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Runs the batch for `month`.
pub fn run(g: &GlobalArgs, month: NaiveDate, jobs: Option<usize>) -> Result<Outcome> {
    let formats = parse_formats(&g.format)?;
    let root = practice::root(g)?;
    let settings = Settings {
        month,
        as_of: g.as_of.unwrap_or_else(super::today),
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
    /// Formats of the template documents.
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
    /// What each document's entry did in this run, by kind and name.
    pub outcomes: Vec<manifest::Outcome>,
    /// Errors in files that no document could be made from (they did not load).
    pub unrendered: Vec<Finding>,
    /// Documents of an earlier run whose source is gone or superseded, as "kind name":
    /// their files were removed.
    pub retired: Vec<String>,
}

/// How long a batch waits for another one writing to the same folder.
const LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

impl Report {
    /// True when anything was refused, held or could not be read.
    pub fn refused(&self) -> bool {
        !self.unrendered.is_empty()
            || self
                .manifest
                .documents
                .iter()
                .any(|e| e.status == Status::Refused || !e.held.is_empty())
    }
}

/// Loads and validates the practice once, then renders the month's documents in parallel
/// and writes the manifest.
pub fn execute(root: &Path, settings: &Settings) -> Result<Report> {
    let month_text = crate::figures::month_label(settings.month);
    let out_dir = settings.out.join(&month_text);
    let loaded = Loaded::new(root, settings.as_of);
    let engine = Engine::new(Some(&root.join("templates")))?;
    let renderer = Renderer {
        engine: &engine,
        claim_form: loaded.claim_form(cms1500::Mode::Overlay),
    };
    let scope = loaded.scope(Some(settings.month));
    let tasks = plan(&loaded.data, &scope);
    output::create_private_dir(&out_dir)?;
    let _lock = output::lock_folder(&out_dir, LOCK_WAIT)?;
    remove_stale_temporaries(&out_dir);
    // A run killed before its manifest left a journal: what it wrote is ours, not a hand edit.
    let recovered = journal::recover(&out_dir);
    let mut old = manifest::read(&out_dir);
    old.extend(recovered.entries);
    let writer = writer::Writer::start(&out_dir, journal::Journal::open(&out_dir)?)?;
    let job = job::Job {
        loaded: &loaded,
        renderer: &renderer,
        formats: &settings.formats,
        out_dir: &out_dir,
        old: &old,
        written: &recovered.written,
        writer: &writer,
        hashes: &hash_inputs(&loaded.data),
        force: settings.force,
        existing: &existing_outputs(&out_dir),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.unwrap_or(0))
        .build()
        .context("cannot start the worker threads")?;
    let progress = progress::Progress::new(tasks.len() as u64, settings.quiet);
    let results: Vec<(Vec<String>, Vec<Result<Entry>>)> = pool.install(|| {
        tasks
            .par_iter()
            .map(|(kind, subject)| {
                let docs = (kind.prepare)(&loaded.data, *subject, &scope);
                let inputs = docs
                    .iter()
                    .flat_map(|d| d.depends.iter().cloned())
                    .collect();
                let entries = docs.into_iter().map(|doc| job.process(doc)).collect();
                progress.tick();
                (inputs, entries)
            })
            .collect()
    });
    progress.finish();
    writer.finish()?;
    let mut covered: BTreeSet<String> = BTreeSet::new();
    let mut entries = Vec::with_capacity(results.len());
    for (inputs, results) in results {
        covered.extend(inputs);
        for r in results {
            entries.push(r?);
        }
    }
    entries.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
    let retired = retire_leftovers(&out_dir, &old, &recovered.written, &entries);
    let unrendered = unrendered(&loaded, &covered, &month_text);
    let outcomes = entries.iter().map(|e| e.outcome).collect();
    let manifest = Manifest {
        claimwright_version: env!("CARGO_PKG_VERSION").to_string(),
        month: month_text,
        as_of: settings.as_of.to_string(),
        documents: entries,
        unreadable: unrendered.iter().map(ManifestFinding::from).collect(),
    };
    let json = serde_json::to_string_pretty(&manifest)? + "\n";
    let manifest_path = out_dir.join(MANIFEST);
    if std::fs::read(&manifest_path).ok().as_deref() != Some(json.as_bytes()) {
        output::write_atomic(&manifest_path, json.as_bytes())?;
    }
    let index_html =
        crate::render::month_page::render(&index::page(&loaded.data, &manifest, &unrendered));
    let index_path = out_dir.join(index::INDEX);
    if std::fs::read(&index_path).ok().as_deref() != Some(index_html.as_bytes()) {
        output::write_atomic(&index_path, index_html.as_bytes())?;
    }
    journal::remove(&out_dir);
    Ok(Report {
        manifest,
        outcomes,
        unrendered,
        retired,
    })
}

/// Errors of files that failed to load and that no document covers: they made no
/// document, but must not go unseen.
fn unrendered(loaded: &Loaded, covered: &BTreeSet<String>, month: &str) -> Vec<Finding> {
    let data = &loaded.data;
    let loaded_files: BTreeSet<&str> = data
        .sessions
        .iter()
        .map(|s| s.file.as_str())
        .chain(data.patients.values().map(|p| p.file.as_str()))
        .chain(data.payers.values().map(|p| p.file.as_str()))
        .chain(data.denials.values().map(|d| d.file.as_str()))
        .chain(data.practice.iter().map(|p| p.file.as_str()))
        .collect();
    loaded
        .findings
        .iter()
        .filter(|f| f.severity == findings::Severity::Error)
        .filter(|f| !covered.contains(&f.file) && !loaded_files.contains(f.file.as_str()))
        .filter(|f| in_scope(&f.file, month))
        .cloned()
        .collect()
}

/// Whether a file that failed to load concerns this month: sessions of other months do not.
fn in_scope(file: &str, month: &str) -> bool {
    match file.strip_prefix("sessions/") {
        Some(rest) => !rest.contains('/') || rest.starts_with(&format!("{month}/")),
        None => true,
    }
}

/// Every document of the month, as (kind, subject) pairs: each registered kind says which
/// subjects it has in the month. Preparing happens on the worker that renders, so the
/// month's documents never sit in memory all at once.
pub fn plan<'a>(
    data: &'a PracticeData,
    scope: &crate::documents::Scope<'_>,
) -> Vec<(&'static Kind, Subject<'a>)> {
    KINDS
        .iter()
        .flat_map(|kind| {
            (kind.plan)(data, scope)
                .into_iter()
                .map(move |subject| (kind, subject))
        })
        .collect()
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

/// Removes the files of documents an earlier run made that this run did not (their session
/// is gone, or a newer `--as-of` superseded them) and files a document no longer has (a
/// format no longer asked for); a file changed by hand since is left alone. Returns the
/// retired documents as "kind name".
fn retire_leftovers(
    out_dir: &Path,
    old: &HashMap<(String, String), Entry>,
    written: &std::collections::HashSet<(String, String)>,
    entries: &[Entry],
) -> Vec<String> {
    let current: BTreeSet<&str> = entries
        .iter()
        .flat_map(|e| e.outputs.iter().map(|o| o.path.as_str()))
        .collect();
    let names: BTreeSet<(&str, &str)> = entries
        .iter()
        .map(|e| (e.kind.as_str(), e.name.as_str()))
        .collect();
    let remove_if_ours = |path: &str, sha: &str| {
        if current.contains(path) {
            return;
        }
        let full = out_dir.join(path);
        if std::fs::read(&full).is_ok_and(|b| sha256_hex(&b) == sha) {
            let _ = std::fs::remove_file(&full);
        }
    };
    let mut retired = Vec::new();
    let mut old_entries: Vec<&Entry> = old.values().collect();
    old_entries.sort_by(|a, b| (&a.kind, &a.name).cmp(&(&b.kind, &b.name)));
    for e in old_entries {
        e.outputs
            .iter()
            .for_each(|o| remove_if_ours(&o.path, &o.sha256));
        if !names.contains(&(e.kind.as_str(), e.name.as_str())) && !e.outputs.is_empty() {
            retired.push(format!("{} {}", e.kind, e.name));
        }
    }
    written.iter().for_each(|(p, sha)| remove_if_ours(p, sha));
    retired
}

/// Every file under the month's kind folders, as `kind/name`. The writer makes a kind's
/// folder with its first file, so a month without statements has no `statement/` folder.
fn existing_outputs(out_dir: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for kind in KINDS {
        let dir = out_dir.join(kind.name);
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                out.insert(format!("{}/{}", kind.name, e.file_name().to_string_lossy()));
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

/// The table of what was rendered, refused and unchanged, then every refusal and held
/// visit with its errors, and the claim items shortened to fit the form.
fn print_summary(report: &Report, quiet: bool) -> Result<()> {
    let m = &report.manifest;
    let mut out = std::io::stdout().lock();
    if !quiet {
        let mut table: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
        for (e, outcome) in m.documents.iter().zip(&report.outcomes) {
            let row = table.entry(e.kind.as_str()).or_default();
            match outcome {
                manifest::Outcome::Rendered => row[0] += 1,
                manifest::Outcome::Refused => row[1] += 1,
                manifest::Outcome::Unchanged => row[2] += 1,
            }
        }
        let line = |label: &str, row: &[usize; 3]| {
            format!("{label:<12} {:>9} {:>9} {:>10}", row[0], row[1], row[2])
        };
        writeln!(
            out,
            "{:<12} {:>9} {:>9} {:>10}",
            "document", "rendered", "refused", "unchanged"
        )?;
        let mut totals = [0usize; 3];
        for (kind, row) in &table {
            writeln!(out, "{}", line(kind, row))?;
            for i in 0..3 {
                totals[i] += row[i];
            }
        }
        writeln!(out, "{}", line("total", &totals))?;
    }
    if !report.retired.is_empty() {
        writeln!(
            out,
            "\nretired: {} document(s) whose source is gone or superseded; their files were removed",
            report.retired.len()
        )?;
        for r in &report.retired {
            writeln!(out, "  {r}")?;
        }
    }
    if !report.unrendered.is_empty() {
        writeln!(out, "\nnot rendered: these files could not be read")?;
        for f in &report.unrendered {
            writeln!(out, "  {}", ManifestFinding::from(f).line_text())?;
        }
    }
    for e in &m.documents {
        if e.status == Status::Refused {
            writeln!(out, "\nrefused: {} {}", e.kind, e.name)?;
            for f in e.findings.iter().filter(|f| f.severity == "error") {
                writeln!(out, "  {}", f.line_text())?;
            }
        }
        // A claim whose text was shortened to fit the form is written: say which items.
        let shortened = e
            .findings
            .iter()
            .filter(|f| f.code == "claim.value_shortened");
        if e.status != Status::Refused && shortened.clone().next().is_some() {
            writeln!(out, "\nshortened to fit the form: {} {}", e.kind, e.name)?;
            for f in shortened {
                writeln!(out, "  {}", f.line_text())?;
            }
        }
        for h in &e.held {
            writeln!(
                out,
                "\nheld: visit {} is kept off {} {}",
                h.session, e.kind, e.name
            )?;
            for f in &h.findings {
                writeln!(out, "  {}", f.line_text())?;
            }
        }
    }
    Ok(())
}
