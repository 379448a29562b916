//! `claimwright validate`: load the practice, run every rule, print the findings.

use super::{Outcome, today};
use crate::cli::GlobalArgs;
use crate::findings::{self, Finding};
use crate::load;
use anyhow::{Result, bail};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Runs validate; refused when any error is found in the reported files.
pub fn run(g: &GlobalArgs, paths: &[PathBuf]) -> Result<Outcome> {
    let format = match g.format.as_slice() {
        [] => "text",
        [one] if one == "text" || one == "json" => one.as_str(),
        _ => bail!("validate --format takes one of: text, json"),
    };
    let cwd = std::env::current_dir()?;
    let root = super::practice::root(g)?;
    let as_of = g.as_of.unwrap_or_else(today);
    let mut findings = check_practice(&root, as_of);
    if !paths.is_empty() {
        let wanted = wanted_files(&root, &cwd, paths)?;
        findings.retain(|f| {
            wanted.iter().any(|(w, is_dir)| {
                if *is_dir {
                    w.is_empty() || f.file.starts_with(&format!("{w}/"))
                } else {
                    w == &f.file
                }
            })
        });
    }
    let mut stdout = std::io::stdout().lock();
    if format == "json" {
        writeln!(stdout, "{}", findings::to_json(&findings))?;
    } else {
        let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        write!(stdout, "{}", findings::to_text(&findings, colour))?;
    }
    // A file that could not be read at all is an I/O failure (exit 2), once reported.
    if findings.iter().any(|f| f.code == "file.unreadable") {
        return Ok(Outcome::CouldNotRun);
    }
    Ok(if findings::has_errors(&findings) {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}

/// Loads the practice and runs every rule; findings come back sorted and located.
pub fn check_practice(root: &Path, as_of: chrono::NaiveDate) -> Vec<Finding> {
    let (data, mut findings) = super::practice::load_and_check(root, as_of);
    findings.extend(soap_hooks(&data, as_of));
    load::locate_findings(root, &mut findings);
    findings::sort(&mut findings);
    findings
}

/// Runs the practice's `soap_note` hooks on every session's SOAP note data, several at once:
/// each run has its own time limit, and a slow hook must not make `validate` wait for each
/// session in turn.
fn soap_hooks(data: &load::PracticeData, as_of: chrono::NaiveDate) -> Vec<Finding> {
    let Some(practice) = data.practice() else {
        return Vec::new();
    };
    let kind = &crate::documents::soap::KIND;
    if !practice
        .hooks
        .iter()
        .any(|h| h.documents.iter().any(|d| d == kind.name))
    {
        return Vec::new();
    }
    let run = || {
        data.sessions
            .par_iter()
            .filter_map(|s| crate::documents::soap::prepare(data, s, as_of))
            .flat_map_iter(|doc| {
                crate::hooks::run_all(
                    &data.root,
                    &practice.hooks,
                    kind.name,
                    &doc.data(),
                    &doc.source,
                )
            })
            .collect()
    };
    match rayon::ThreadPoolBuilder::new()
        .num_threads(crate::hooks::parallel_runs())
        .build()
    {
        Ok(pool) => pool.install(run),
        // Without threads of its own, the shared pool still runs hooks side by side.
        Err(_) => run(),
    }
}

/// The practice-relative names of the files and folders given on the command line, each
/// with whether it is a folder (whose files are all reported).
fn wanted_files(root: &Path, cwd: &Path, paths: &[PathBuf]) -> Result<Vec<(String, bool)>> {
    let root = root.canonicalize()?;
    let mut out = Vec::new();
    for p in paths {
        let abs = if p.is_absolute() {
            p.clone()
        } else {
            cwd.join(p)
        };
        let Ok(abs) = abs.canonicalize() else {
            bail!("{} does not exist", p.display());
        };
        match abs.strip_prefix(&root) {
            Ok(rel) => out.push((load::relative(Path::new(""), rel), abs.is_dir())),
            Err(_) => bail!(
                "{} is not inside the practice folder {}",
                p.display(),
                root.display()
            ),
        }
    }
    Ok(out)
}
