//! The PDF files themselves, read back by the tools people open them with: poppler's
//! `pdfinfo` and `pdftotext`, and `qpdf --check`. Each tool's check is skipped with a printed
//! notice when the tool is not installed.

use crate::util::{AS_OF, Practice, example, run_at};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The SOAP note every test here renders: Margaret Walsh's first visit of the month.
const SESSION: &str = "2026-11-02-margaret-walsh";
const PATIENT_FILE: &str = "patients/margaret-walsh.yaml";

/// A copy of the example practice with Margaret Walsh renamed.
fn practice_with_patient(first: &str, last: &str) -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    let text = std::fs::read_to_string(p.path(PATIENT_FILE)).expect("the patient file");
    let renamed = text
        .replace(
            "first_name: Margaret\n",
            &format!("first_name: \"{first}\"\n"),
        )
        .replace("last_name: Walsh\n", &format!("last_name: \"{last}\"\n"));
    assert_ne!(renamed, text, "the example patient's name lines moved");
    p.write(PATIENT_FILE, renamed);
    p
}

/// Renders the SOAP note of `p` as a PDF and returns its path under `out`.
fn render_soap_pdf(p: &Practice, out: &Path) -> PathBuf {
    run_at(
        &p.root,
        out,
        AS_OF,
        &["render", "soap", SESSION, "--format", "pdf"],
    )
    .expect_code(0);
    out.join(format!("soap_note/{SESSION}.pdf"))
}

/// What a command-line tool printed.
struct ToolRun {
    stdout: String,
    stderr: String,
    success: bool,
}

/// Runs `program` with `args`, or returns None (after a notice) when it is not installed.
fn tool(program: &str, args: &[&OsStr]) -> Option<ToolRun> {
    match Command::new(program).args(args).output() {
        Ok(out) => Some(ToolRun {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            success: out.status.success(),
        }),
        Err(_) => {
            eprintln!("notice: {program} is not installed; its check of the PDF is skipped");
            None
        }
    }
}

/// `pdftotext` of the whole file, when poppler is installed.
fn pdftotext(path: &Path) -> Option<ToolRun> {
    tool("pdftotext", &[path.as_os_str(), OsStr::new("-")])
}

/// Asserts that poppler reads `path` without a word on standard error.
fn poppler_reads_cleanly(path: &Path) {
    for run in [
        ("pdfinfo", tool("pdfinfo", &[path.as_os_str()])),
        ("pdftotext", pdftotext(path)),
    ] {
        if let (name, Some(run)) = run {
            assert!(
                run.success,
                "{name} failed on {}: {}",
                path.display(),
                run.stderr
            );
            assert_eq!(run.stderr, "", "{name} complained about {}", path.display());
        }
    }
}

#[test]
fn a_very_long_patient_name_gives_a_pdf_poppler_reads_without_complaint() {
    let first = "Maximiliana-Anastasia-Konstantina-Bartholomea".repeat(2);
    let last = "Vanderbilt-Montgomery-Fitzwilliam-Ashworth".repeat(2);
    assert!(first.len() + last.len() > 100);
    let p = practice_with_patient(&first, &last);
    let out = tempfile::tempdir().expect("a temporary folder");
    let pdf = render_soap_pdf(&p, out.path());
    poppler_reads_cleanly(&pdf);
}
