//! `claimwright bench`: generates a synthetic practice of N sessions and measures validating
//! it and rendering its month, with documents per second and peak memory.

// What a warning per session costs, in CPU seconds (user + sys) of the month's batch:
//
//   cargo build --release
//   cw=target/release/claimwright
//   $cw bench --sessions 15000 --validate-only --keep /tmp/cw-plain
//   $cw bench --sessions 15000 --validate-only --keep /tmp/cw-warned --warnings
//   for run in 1 2 3; do for d in /tmp/cw-plain /tmp/cw-warned; do
//     rm -rf /dev/shm/cw-out
//     /usr/bin/time -v $cw batch -C $d/practice --month 2026-11 --as-of 2026-11-30 \
//       --out /dev/shm/cw-out -q
//   done; done
//
// `bench --validate-only --keep` leaves the practice behind without rendering it; `batch` on
// that folder is the stage `bench` times (load, validate, render every document), alone in its
// process, so /usr/bin/time's user and system seconds are its own. The output folder is
// removed before each run because a rerun is incremental, and is on a RAM disk so that file
// creation on disk, the same for both practices, does not blur the system time. Compare the
// medians; the two practices differ only in the one `soap.vague` warning of each session.

use super::Outcome;
use super::batch::{self, Settings};
use crate::cli::BenchSessions;
use crate::findings::{Severity, count};
use crate::render::Format;
use crate::synthetic::SessionWarnings;
use anyhow::{Context, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// Options of the benchmark.
#[derive(Debug, Clone)]
pub struct BenchArgs {
    /// The synthetic sessions to generate: how many, and whether each carries a warning.
    pub sessions: BenchSessions,
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
    let warnings = if args.sessions.warnings {
        SessionWarnings::OnePerSession
    } else {
        SessionWarnings::Absent
    };
    let start = Instant::now();
    crate::synthetic::write_practice_with(&practice, args.sessions.count, warnings)
        .with_context(|| format!("cannot write {}", practice.display()))?;
    let generated = start.elapsed();
    settle_disk();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap_or_default();
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "sessions: {}{}  (generated in {:.2} s)",
        args.sessions.count,
        if args.sessions.warnings {
            ", one warning each"
        } else {
            ""
        },
        generated.as_secs_f64()
    )?;

    let start = Instant::now();
    let findings = super::validate::check_practice(&practice, as_of);
    let validate = start.elapsed().as_secs_f64();
    let errors = count(&findings, Severity::Error);
    let warned = count(&findings, Severity::Warning);
    writeln!(
        out,
        "validate: {validate:.2} s, {:.0} sessions/s, {errors} errors, {warned} warnings",
        args.sessions.count as f64 / validate.max(1e-9)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// (kind, name) of every document the month of a synthetic practice makes.
    fn month_documents(warnings: SessionWarnings) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        crate::synthetic::write_practice_with(dir.path(), 40, warnings).unwrap();
        let as_of = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let loaded = super::super::practice::Loaded::new(dir.path(), as_of);
        let scope = loaded.scope(Some(as_of));
        let mut names: Vec<String> = batch::plan(&loaded.data, &scope)
            .iter()
            .flat_map(|(kind, subject)| (kind.prepare)(&loaded.data, *subject, &scope))
            .map(|doc| format!("{:?} {}", doc.kind, doc.name))
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_warning_per_session_makes_the_same_documents() {
        let plain = month_documents(SessionWarnings::Absent);
        assert!(plain.len() > 40, "{plain:?}");
        assert_eq!(month_documents(SessionWarnings::OnePerSession), plain);
    }
}
