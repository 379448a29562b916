//! `claimwright bench`: generates a synthetic practice of N sessions and measures validating
//! it and rendering its month, with documents per second and peak memory.

use super::Outcome;
use super::batch::{self, Settings};
use crate::render::Format;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Options of the benchmark.
#[derive(Debug, Clone)]
pub struct BenchArgs {
    /// Sessions to generate.
    pub sessions: usize,
    /// Keep the generated practice and output here instead of a temporary folder.
    pub keep: Option<PathBuf>,
    /// Measure validation only.
    pub validate_only: bool,
    /// Worker threads for the batch.
    pub jobs: Option<usize>,
}

/// Runs the benchmark and prints one table row per measurement.
pub fn run(args: &BenchArgs) -> Result<Outcome> {
    let tmp = tempfile::tempdir().context("cannot create a temporary folder")?;
    let base = args
        .keep
        .clone()
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let practice = base.join("practice");
    if practice.exists() {
        std::fs::remove_dir_all(&practice)
            .with_context(|| format!("cannot clear {}", practice.display()))?;
    }
    let start = Instant::now();
    crate::synthetic::write_practice(&practice, args.sessions)
        .with_context(|| format!("cannot write {}", practice.display()))?;
    let generated = start.elapsed();
    settle_disk();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "sessions: {}  (generated in {:.2} s)",
        args.sessions,
        generated.as_secs_f64()
    )?;

    let start = Instant::now();
    let findings = super::validate::check_practice(&practice, as_of);
    let validate = start.elapsed().as_secs_f64();
    let errors = crate::findings::count(&findings, crate::findings::Severity::Error);
    writeln!(
        out,
        "validate: {validate:.2} s, {:.0} sessions/s, {errors} errors",
        args.sessions as f64 / validate.max(1e-9)
    )?;
    if !args.validate_only {
        let settings = Settings {
            month: as_of,
            as_of,
            out: base.join("out"),
            formats: vec![Format::Md, Format::Html, Format::Pdf],
            jobs: args.jobs,
            force: true,
            quiet: true,
        };
        let _ = std::fs::remove_dir_all(&settings.out);
        settle_disk();
        let start = Instant::now();
        let report = batch::execute(&practice, &settings)?;
        let seconds = start.elapsed().as_secs_f64();
        let docs = report.manifest.documents.len();
        let files: usize = report
            .manifest
            .documents
            .iter()
            .map(|d| d.outputs.len())
            .sum();
        writeln!(
            out,
            "batch: {seconds:.2} s for {docs} documents ({files} files), {:.0} documents/s, {:.0} files/s",
            docs as f64 / seconds.max(1e-9),
            files as f64 / seconds.max(1e-9)
        )?;
    }
    if let Some(kb) = peak_rss_kb() {
        writeln!(out, "peak RSS: {:.0} MB", kb as f64 / 1024.0)?;
    }
    Ok(Outcome::Success)
}

/// Flushes dirty pages (best effort, through the system's `sync`), so that writing the
/// generated practice back to disk does not slow the measured run.
fn settle_disk() {
    let _ = std::process::Command::new("sync").status();
}

/// The process's peak resident memory (Linux), in kilobytes.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}
