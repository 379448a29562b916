//! `claimwright render KIND NAME...`: prepare the documents, screen each (its findings, the
//! renderer's checks, its hooks), then write every format of each document that may be
//! written; a refused document writes nothing.

use super::Outcome;
use super::practice::{self, Loaded, report};
use crate::cli::{ClaimMode, GlobalArgs, RenderArgs};
use crate::documents::{self, Kind, Prepared, Subject, SubjectKind};
use crate::findings::{self, Finding};
use crate::output;
use crate::render::templates::Engine;
use crate::render::{Format, Rendered, Renderer, cms1500};
use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// How long `render` waits for another claimwright writing to the same folder.
const WAIT_FOR_LOCK: std::time::Duration = std::time::Duration::from_secs(3);

/// Runs `render`.
pub fn run(g: &GlobalArgs, args: &RenderArgs) -> Result<Outcome> {
    let Some(kind) = documents::kind(&args.kind) else {
        let words: Vec<&str> = documents::KINDS.iter().map(|k| k.command).collect();
        bail!(
            "`{}` is not a document kind: render one of {}",
            args.kind,
            words.join(", ")
        );
    };
    let out_dir = g.out.clone().unwrap_or_else(|| PathBuf::from("out"));
    let mode = match args.mode {
        ClaimMode::Overlay => cms1500::Mode::Overlay,
        ClaimMode::Replica => cms1500::Mode::Replica,
    };
    if g.draft && !kind.drafts {
        bail!(
            "a {} is never rendered as a draft: fix the findings, then render it",
            kind.name
        );
    }
    if args.alignment && kind.name != documents::claim::KIND.name {
        bail!("--alignment prints the CMS-1500 test page: use it with `render claim`");
    }
    if !args.alignment {
        check_arguments(kind, args)?;
    }
    let root = practice::root(g)?;
    let as_of = g.as_of.unwrap_or_else(super::today);
    let loaded = Loaded::new(&root, as_of);
    if args.alignment {
        return alignment(g, &loaded, &out_dir);
    }
    let formats = parse_formats(&g.format)?;
    let engine = Engine::new(Some(&root.join("templates")))?;
    let renderer = Renderer {
        engine: &engine,
        claim_form: loaded.claim_form(mode),
    };
    let scope = loaded.scope(args.month);
    let mut docs = Vec::new();
    for name in &args.names {
        let Some(subject) = find(&loaded, kind.subject, name)? else {
            return Ok(Outcome::Refused);
        };
        let made = (kind.prepare)(&loaded.data, subject, &scope);
        if made.is_empty() {
            return nothing_made(&loaded, kind, subject, name, args);
        }
        docs.extend(made);
    }
    loaded.report_practice_wide();
    let (planned, mut refused) = screen(&loaded, &renderer, docs, &formats, g.draft);
    let suffix = if mode == cms1500::Mode::Replica {
        "-replica"
    } else {
        ""
    };
    // Every document is rendered before anything is written, and every target is checked
    // first, so a refusal or a refused overwrite leaves all files as they were.
    let mut ready: Vec<(&Prepared, Vec<Rendered>)> = Vec::new();
    for doc in &planned {
        match renderer.render(doc, &renderer.formats_for(doc, &formats)) {
            Ok(files) => ready.push((doc, files)),
            Err(f) => {
                report(std::slice::from_ref(&f));
                refused_line(doc);
                refused = true;
            }
        }
    }
    let path_of = |doc: &Prepared, r: &Rendered| {
        let stem = match r.format {
            Format::Cms1500 => format!("{}{suffix}", output::safe_stem(&doc.name)),
            _ => output::safe_stem(&doc.name),
        };
        out_dir
            .join(doc.kind.name)
            .join(format!("{stem}.{}", r.format.extension()))
    };
    let targets: Vec<PathBuf> = ready
        .iter()
        .flat_map(|(doc, files)| files.iter().map(|r| path_of(doc, r)))
        .collect();
    output::check_overwrite(&targets, g.force)?;
    // All files of all documents land together or not at all.
    let files: Vec<(PathBuf, &[u8])> = ready
        .iter()
        .flat_map(|(doc, files)| files.iter().map(|r| (path_of(doc, r), r.bytes.as_slice())))
        .collect();
    let _lock = if files.is_empty() {
        None
    } else {
        output::create_private_dir(&out_dir)?;
        Some(output::lock_folder(&out_dir, WAIT_FOR_LOCK)?)
    };
    for (doc, files) in &ready {
        for r in files {
            for w in &r.warnings {
                eprintln!("warning: {}: {w}", doc.name);
            }
        }
    }
    output::write_all_atomic(&files)?;
    if !g.quiet {
        for (path, _) in &files {
            println!("wrote {}", path.display());
        }
    }
    Ok(if refused {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}

/// The number of names and the month a kind needs.
fn check_arguments(kind: &Kind, args: &RenderArgs) -> Result<()> {
    let what = kind.subject.as_str();
    match (kind.subject, args.names.len()) {
        (_, 0) => bail!("name the {what} to render: `render {} NAME`", kind.command),
        (SubjectKind::Session, _) | (_, 1) => {}
        _ => bail!("`render {}` takes one {what}", kind.command),
    }
    if kind.monthly && args.month.is_none() {
        bail!("`render {}` needs --month YYYY-MM", kind.command);
    }
    Ok(())
}

/// The CMS-1500 alignment test page.
fn alignment(g: &GlobalArgs, loaded: &Loaded, out_dir: &Path) -> Result<Outcome> {
    let options = loaded.claim_form(cms1500::Mode::Overlay);
    let path = out_dir.join("claim").join("alignment.pdf");
    output::check_overwrite(std::slice::from_ref(&path), g.force)?;
    output::write_atomic(&path, &cms1500::alignment_page(options.offsets))?;
    if !g.quiet {
        println!("wrote {}", path.display());
    }
    Ok(Outcome::Success)
}

/// Explains why a subject made no document: a record it names did not load (refused, with
/// that record's errors), or there is nothing of it to render in the month.
fn nothing_made(
    loaded: &Loaded,
    kind: &Kind,
    subject: Subject<'_>,
    name: &str,
    args: &RenderArgs,
) -> Result<Outcome> {
    let data = &loaded.data;
    let names_missing = match subject {
        Subject::Session(s) => data.patient_of(&s.data).is_none(),
        Subject::Denial(d) => {
            !data.patients.contains_key(&d.data.patient) || !data.payers.contains_key(&d.data.payer)
        }
        Subject::Patient(_) => false,
    };
    if names_missing {
        let own: Vec<Finding> = loaded
            .findings
            .iter()
            .filter(|f| {
                f.file == subject.file()
                    || f.file.starts_with("patients/")
                    || f.file.starts_with("payers/")
            })
            .filter(|f| f.severity == findings::Severity::Error)
            .cloned()
            .collect();
        report(&own);
        eprintln!(
            "refused: {} {name} names a patient or payer that could not be loaded: fix the errors above",
            kind.subject.as_str()
        );
        return Ok(Outcome::Refused);
    }
    let month_text = args
        .month
        .map(|m| m.format("%Y-%m").to_string())
        .unwrap_or_default();
    if let Subject::Patient(p) = subject {
        let files = unreadable_sessions(loaded, &p.id, args.month);
        if !files.is_empty() {
            eprintln!(
                "refused: {} session file(s) of {name} in {month_text} could not be read: fix the errors above, then render again",
                files.len()
            );
            return Ok(Outcome::Refused);
        }
    }
    if let (Subject::Patient(p), Some(month)) = (subject, args.month)
        && kind.name == documents::claim::KIND.name
    {
        let billed = documents::claim::left_out(data, &p.id, month);
        if !billed.is_empty() {
            bail!(
                "the visits of {name} in {month_text} were billed already ({} visits): `claimwright claims list` shows the claims",
                billed.len()
            );
        }
    }
    bail!(
        "{name} has no session in {month_text}: no {} to render",
        kind.name
    )
}

/// Prints each document's findings and keeps those that may be written: without errors,
/// or (with `draft`, for kinds that allow drafts) with them, stamped. The flag says whether
/// any was refused. Visits held off a claim are listed and count as refused.
fn screen(
    loaded: &Loaded,
    renderer: &Renderer<'_>,
    docs: Vec<Prepared>,
    formats: &[Format],
    draft: bool,
) -> (Vec<Prepared>, bool) {
    let mut refused = false;
    let mut ready = Vec::new();
    for mut doc in docs {
        let formats = renderer.formats_for(&doc, formats);
        let (found, held) = loaded.screen_and_report(renderer, &mut doc, &formats);
        refused |= held;
        let errors = findings::has_errors(&found);
        if errors && draft && doc.kind.drafts {
            // Only a document that fails validation is stamped: --draft never marks a clean one.
            doc.info.mark_draft(&found);
            ready.push(doc);
        } else if errors {
            refused_line(&doc);
            refused = true;
        } else {
            ready.push(doc);
        }
    }
    (ready, refused)
}

fn refused_line(doc: &Prepared) {
    let hint = if doc.kind.drafts {
        ", or pass --draft for a stamped draft"
    } else {
        ""
    };
    eprintln!(
        "refused: {} {} was not written (fix the errors above{hint})",
        doc.kind.name, doc.name
    );
}

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
                None => bail!("--format `{part}` is not one of md, html, pdf, json"),
            }
        }
    }
    Ok(out)
}

/// Finds a subject by id or path, or explains which exist. A record whose file did not
/// load is reported with that file's findings, and the command is refused (None).
fn find<'a>(loaded: &'a Loaded, kind: SubjectKind, name: &str) -> Result<Option<Subject<'a>>> {
    let data = &loaded.data;
    let (found, ids): (Option<Subject<'a>>, Vec<&str>) = match kind {
        SubjectKind::Session => (
            data.resolve_name(&data.sessions, name)
                .map(Subject::Session),
            data.sessions.iter().map(|r| r.id.as_str()).collect(),
        ),
        SubjectKind::Patient => (
            data.resolve_name(data.patients.values(), name)
                .map(Subject::Patient),
            data.patients.keys().map(String::as_str).collect(),
        ),
        SubjectKind::Denial => (
            data.resolve_name(data.denials.values(), name)
                .map(Subject::Denial),
            data.denials.keys().map(String::as_str).collect(),
        ),
    };
    if found.is_some() {
        return Ok(found);
    }
    let what = kind.as_str();
    let stem = Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let broken: Vec<Finding> = loaded
        .findings
        .iter()
        .filter(|f| {
            Path::new(&f.file).file_stem().map(|s| s.to_string_lossy())
                == Some(stem.as_str().into())
        })
        .cloned()
        .collect();
    if findings::has_errors(&broken) {
        report(&broken);
        eprintln!("refused: the {what} `{name}` could not be read: fix the errors above");
        return Ok(None);
    }
    let best = ids
        .iter()
        .map(|k| (strsim::jaro_winkler(name, k), *k))
        .filter(|(s, _)| *s > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| format!(": did you mean `{k}`?"))
        .unwrap_or_default();
    bail!("no {what} `{name}` in the practice{best}")
}

/// The patient's session files of the month that did not load, their errors printed: a
/// visit whose file cannot be read must not drop silently off a claim.
fn unreadable_sessions<'a>(
    loaded: &'a Loaded,
    patient: &'a str,
    month: Option<chrono::NaiveDate>,
) -> Vec<&'a str> {
    use chrono::Datelike;
    let month = month.map(|m| (m.year(), m.month()));
    let files: Vec<&str> = loaded
        .data
        .unreadable_sessions_of(patient, month)
        .map(|u| u.file.as_str())
        .collect();
    let found: Vec<Finding> = loaded
        .findings
        .iter()
        .filter(|f| files.contains(&f.file.as_str()) && f.severity == findings::Severity::Error)
        .cloned()
        .collect();
    report(&found);
    files
}
