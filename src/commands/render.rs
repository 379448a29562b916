//! `claimwright render`: validate, run the document's hooks, then write Markdown, HTML
//! and PDF; a refused document writes nothing.

use super::{Outcome, today};
use crate::cli::{GlobalArgs, RenderWhat};
use crate::documents::{self, Prepared};
use crate::findings::{self, Finding};
use crate::load::{self, PracticeData};
use crate::model::DocumentKind;
use crate::output;
use crate::render::{self, Format, templates::Engine};
use anyhow::{Result, bail};
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// Runs one `render` subcommand.
pub fn run(g: &GlobalArgs, what: &RenderWhat) -> Result<Outcome> {
    let formats = parse_formats(&g.format)?;
    let cwd = std::env::current_dir()?;
    let root = load::find_root(g.practice.as_deref(), &cwd)?;
    let as_of = g.as_of.unwrap_or_else(today);
    let (data, findings) = super::validate::load_and_check(&root, as_of);
    let engine = Engine::new(Some(&root.join("templates")))?;
    let out_dir = g.out.clone().unwrap_or_else(|| PathBuf::from("out"));

    let docs: Vec<Prepared> = match what {
        // Claims print through the CMS-1500 grid, not a template.
        RenderWhat::Claim {
            patient,
            month,
            mode,
            alignment,
        } => {
            return render_claims(
                g,
                &data,
                &findings,
                patient.as_deref(),
                *month,
                *mode,
                *alignment,
                as_of,
                &out_dir,
            );
        }
        RenderWhat::Soap { sessions } => {
            let mut docs = Vec::new();
            for name in sessions {
                let rec = find(&data, &findings, data.sessions.iter(), name, "session")?;
                match documents::soap::prepare(&data, rec, as_of, false) {
                    Some(d) => docs.push(d),
                    None => {
                        return unresolved(&findings, &rec.file, &format!("session {name}"));
                    }
                }
            }
            docs
        }
        RenderWhat::Summary { patient } => {
            let rec = find(&data, &findings, data.patients.values(), patient, "patient")?;
            vec![documents::summary::prepare(&data, rec, as_of, false)]
        }
        RenderWhat::Appeal { denial } => {
            let rec = find(&data, &findings, data.denials.values(), denial, "denial")?;
            match documents::appeal::prepare(&data, rec, as_of, false) {
                Some(d) => vec![d],
                None => return unresolved(&findings, &rec.file, &format!("denial {denial}")),
            }
        }
        RenderWhat::Superbill { patient, month } => {
            let rec = find(&data, &findings, data.patients.values(), patient, "patient")?;
            match documents::superbill::prepare(&data, rec, *month, as_of, false) {
                Some(d) => vec![d],
                None => bail!(
                    "{} has no session in {}: nothing to bill",
                    rec.id,
                    month.format("%Y-%m")
                ),
            }
        }
    };

    let (planned, refused) = screen(&data, &findings, docs, g.draft);

    // Every target is checked before anything is written, so a refused overwrite leaves
    // all files as they were.
    let mut targets = Vec::new();
    for doc in &planned {
        for f in &formats {
            targets.push(target_path(&out_dir, doc, *f));
        }
    }
    output::check_overwrite(&targets, g.force)?;
    for doc in &planned {
        for r in render::render(&engine, doc, &formats)? {
            let path = target_path(&out_dir, doc, r.format);
            emit(&path, &r.bytes, &r.warnings, &doc.name, g.quiet)?;
        }
    }
    Ok(if refused {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}

/// `render claim`: validation first (the month's sessions, timely filing, fees), then one
/// PDF per payer billed, or the alignment test page.
#[allow(clippy::too_many_arguments)]
fn render_claims(
    g: &GlobalArgs,
    data: &PracticeData,
    findings: &[Finding],
    patient: Option<&str>,
    month: Option<chrono::NaiveDate>,
    mode: crate::cli::ClaimMode,
    alignment: bool,
    as_of: chrono::NaiveDate,
    out_dir: &Path,
) -> Result<Outcome> {
    use crate::render::cms1500;
    if g.draft {
        bail!("claims are never rendered as drafts: fix the findings, then render the claim");
    }
    let (x, y) = data
        .practice()
        .map(|p| (p.claim_form.offset_x_inches, p.claim_form.offset_y_inches))
        .unwrap_or((0.0, 0.0));
    let offsets = cms1500::Offsets {
        x_inches: x,
        y_inches: y,
    };
    if alignment {
        let path = out_dir.join("claim").join("alignment.pdf");
        output::check_overwrite(std::slice::from_ref(&path), g.force)?;
        output::write_atomic(&path, &cms1500::alignment_page(offsets))?;
        if !g.quiet {
            println!("wrote {}", path.display());
        }
        return Ok(Outcome::Success);
    }
    let (Some(name), Some(month)) = (patient, month) else {
        bail!("name the patient and --month, or pass --alignment");
    };
    let rec = find(data, findings, data.patients.values(), name, "patient")?;
    let mode = match mode {
        crate::cli::ClaimMode::Overlay => cms1500::Mode::Overlay,
        crate::cli::ClaimMode::Replica => cms1500::Mode::Replica,
    };
    let docs = crate::documents::claim::prepare_with_mode(data, rec, month, as_of, mode);
    if docs.is_empty() {
        bail!(
            "{} has no session in {}: nothing to claim",
            rec.id,
            month.format("%Y-%m")
        );
    }
    // Claims are never drafts, so errors always refuse.
    let (ready, refused) = screen(data, findings, docs, false);
    let suffix = if mode == cms1500::Mode::Replica {
        "-replica"
    } else {
        ""
    };
    let path_of = |doc: &Prepared| {
        out_dir
            .join("claim")
            .join(format!("{}{suffix}.pdf", output::safe_stem(&doc.name)))
    };
    let targets: Vec<PathBuf> = ready.iter().map(path_of).collect();
    output::check_overwrite(&targets, g.force)?;
    for doc in &ready {
        // Shortened values were reported with the claim's findings.
        let (bytes, _notes) = crate::documents::claim::render_pdf(doc)?;
        emit(&path_of(doc), &bytes, &[], &doc.name, g.quiet)?;
    }
    Ok(if refused {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}

/// Prints each document's findings and keeps those that may be written: without errors,
/// or (with `draft`) with them. The flag says whether any was refused.
fn screen(
    data: &PracticeData,
    findings: &[Finding],
    docs: Vec<Prepared>,
    draft: bool,
) -> (Vec<Prepared>, bool) {
    let mut refused = false;
    let mut ready = Vec::new();
    for mut doc in docs {
        let found = findings_for(data, findings, &doc);
        if !found.is_empty() {
            report(&found);
        }
        // Only a document that fails validation is stamped: --draft never marks a clean one.
        if findings::has_errors(&found) && draft {
            if let Some(info) = doc.context.get_mut("document") {
                info["draft"] = serde_json::Value::Bool(true);
            }
        }
        if findings::has_errors(&found) && !draft {
            let hint = if doc.kind == DocumentKind::Claim {
                ""
            } else {
                ", or pass --draft for a stamped draft"
            };
            eprintln!(
                "refused: {} {} was not written (fix the errors above{hint})",
                doc.kind.as_str(),
                doc.name
            );
            refused = true;
        } else {
            ready.push(doc);
        }
    }
    (ready, refused)
}

/// Writes one file and says so; its warnings go to standard error first.
fn emit(path: &Path, bytes: &[u8], warnings: &[String], name: &str, quiet: bool) -> Result<()> {
    for w in warnings {
        eprintln!("warning: {name}: {w}");
    }
    output::write_atomic(path, bytes)?;
    if !quiet {
        println!("wrote {}", path.display());
    }
    Ok(())
}

/// Refuses a document whose record names a patient or payer that did not load, showing
/// that record's findings (the patient's own file errors are reported on that file).
fn unresolved(findings: &[Finding], file: &str, what: &str) -> Result<Outcome> {
    let own: Vec<Finding> = findings
        .iter()
        .filter(|f| {
            f.file == file || f.file.starts_with("patients/") || f.file.starts_with("payers/")
        })
        .filter(|f| f.severity == findings::Severity::Error)
        .cloned()
        .collect();
    report(&own);
    Err(Refusal(format!(
        "{what} names a patient or payer that could not be loaded: fix the errors above"
    ))
    .into())
}

/// A document refused because its own file could not be read (exit 1, not 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// The formats asked for; all three when none is given.
pub fn parse_formats(args: &[String]) -> Result<Vec<Format>> {
    if args.is_empty() {
        return Ok(vec![Format::Md, Format::Html, Format::Pdf]);
    }
    let mut out = Vec::new();
    for a in args {
        for part in a.split(',') {
            match Format::parse(part.trim()) {
                Some(f) if !out.contains(&f) => out.push(f),
                Some(_) => {}
                None => bail!("--format `{part}` is not one of md, html, pdf"),
            }
        }
    }
    Ok(out)
}

/// Where a document's file of format `f` goes: `<out>/<kind>/<name>.<ext>`.
pub fn target_path(out_dir: &Path, doc: &Prepared, f: Format) -> PathBuf {
    out_dir.join(doc.kind.as_str()).join(format!(
        "{}.{}",
        output::safe_stem(&doc.name),
        f.extension()
    ))
}

/// Findings that concern `doc`: those on its input files, practice-wide ones, its own, and
/// what its hooks say.
pub fn findings_for(data: &PracticeData, all: &[Finding], doc: &Prepared) -> Vec<Finding> {
    let mut out: Vec<Finding> = all
        .iter()
        .filter(|f| doc.inputs.iter().any(|i| i == &f.file) || f.file == "codes/")
        .cloned()
        .collect();
    out.extend(doc.findings.iter().cloned());
    if let Some(practice) = data.practice() {
        out.extend(crate::hooks::run_all(
            &data.root,
            &practice.hooks,
            doc.kind,
            &doc.context,
            &doc.source,
        ));
    }
    load::locate_findings(&data.root, &mut out);
    findings::sort(&mut out);
    out.dedup();
    // A claim refuses a missing fee that validation only warns about: keep the error alone.
    let errors: Vec<(&'static str, String, Option<String>)> = out
        .iter()
        .filter(|f| f.severity == findings::Severity::Error)
        .map(|f| (f.code, f.file.clone(), f.field.clone()))
        .collect();
    out.retain(|f| {
        f.severity == findings::Severity::Error
            || !errors
                .iter()
                .any(|(c, file, field)| *c == f.code && *file == f.file && *field == f.field)
    });
    out
}

/// Prints findings to standard error for people.
pub fn report(found: &[Finding]) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = findings::to_text(found, colour);
    eprint!("{text}");
}

/// Finds a record by id or path, or explains which exist. A record whose file did not
/// load is reported with that file's findings, so the user sees what to fix.
fn find<'a, T: 'a>(
    data: &PracticeData,
    findings: &[Finding],
    records: impl Iterator<Item = &'a load::Record<T>> + Clone,
    name: &str,
    what: &str,
) -> Result<&'a load::Record<T>> {
    if let Some(r) = data.resolve_name(records.clone(), name) {
        return Ok(r);
    }
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let broken: Vec<Finding> = findings
        .iter()
        .filter(|f| {
            Path::new(&f.file).file_stem().map(|s| s.to_string_lossy())
                == Some(stem.as_str().into())
        })
        .cloned()
        .collect();
    if findings::has_errors(&broken) {
        report(&broken);
        return Err(Refusal(format!(
            "the {what} `{name}` could not be read: fix the errors above"
        ))
        .into());
    }
    let ids: Vec<&str> = records.map(|r| r.id.as_str()).collect();
    let best = ids
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(s, _)| *s > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!(": did you mean `{k}`?"))
        .unwrap_or_default();
    bail!("no {what} `{name}` in the practice{best}")
}
