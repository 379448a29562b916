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

/// The text of a PDF with its whitespace runs made single spaces, so that a name split over
/// two lines of a table cell still reads whole: poppler's when installed, else lopdf's.
fn text_of(path: &Path) -> String {
    let text = match pdftotext(path) {
        Some(run) => {
            assert!(run.success, "pdftotext failed: {}", run.stderr);
            run.stdout
        }
        None => {
            let doc = crate::util::load_pdf_file(path);
            let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
            doc.extract_text(&pages).expect("text extracts")
        }
    };
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Names of patients and therapists in five scripts: Latin (Vietnamese, Polish, Dutch,
/// Norwegian, Turkish), Greek, Cyrillic, Armenian and Georgian.
const NAMES: [(&str, &str); 5] = [
    ("Zoë Łukasz", "Nguyễn-Şahin"),
    ("Αλέξανδρος", "Παπαδόπουλος"),
    ("Дмитрий", "Иванов"),
    ("Արամ", "Պետրոսյան"),
    ("ნინო", "ბერიძე"),
];

#[test]
fn names_in_five_scripts_print_as_written() {
    for (first, last) in NAMES {
        let p = practice_with_patient(first, last);
        // The therapist who signs the note takes the same name, written the other way round.
        let practice = std::fs::read_to_string(p.path("practice.yaml")).expect("practice.yaml");
        let renamed = practice
            .replacen("first_name: Amy\n", &format!("first_name: \"{last}\"\n"), 1)
            .replacen("last_name: Chen\n", &format!("last_name: \"{first}\"\n"), 1);
        assert_ne!(
            renamed, practice,
            "the example therapist's name lines moved"
        );
        p.write("practice.yaml", renamed);
        let out = tempfile::tempdir().expect("a temporary folder");
        let pdf = render_soap_pdf(&p, out.path());
        poppler_reads_cleanly(&pdf);
        let text = text_of(&pdf);
        let patient = format!("{first} {last}");
        let therapist = format!("{last} {first}, LMT");
        assert!(text.contains(&patient), "{patient} missing from {text}");
        assert!(text.contains(&therapist), "{therapist} missing from {text}");
        assert!(!text.contains('?'), "a character was replaced: {text}");
    }
}

#[test]
fn the_font_is_embedded_as_a_subset_and_the_note_stays_small() {
    let p = practice_with_patient("Zoë Łukasz", "Nguyễn-Şahin");
    let out = tempfile::tempdir().expect("a temporary folder");
    let pdf = render_soap_pdf(&p, out.path());
    let bytes = std::fs::read(&pdf).expect("the PDF");
    let doc = lopdf::Document::load_mem(&bytes).expect("the PDF parses");
    assert_eq!(doc.get_pages().len(), 2, "the note is two pages long");
    assert!(
        bytes.len() < 60_000,
        "a two-page SOAP note takes {} bytes, over the 60 KB budget",
        bytes.len()
    );
    let Some(fonts) = tool("pdffonts", &[pdf.as_os_str()]) else {
        return;
    };
    assert!(fonts.success, "pdffonts failed: {}", fonts.stderr);
    // name, type (two words), encoding, emb, sub, uni, object number, generation.
    let rows: Vec<Vec<&str>> = fonts
        .stdout
        .lines()
        .skip(2)
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert!(rows.len() >= 2, "regular and bold: {}", fonts.stdout);
    for row in &rows {
        assert_eq!(row.len(), 9, "{}", fonts.stdout);
        let (name, kind, emb) = (row[0], &row[1..3], &row[4..7]);
        assert!(
            name.len() > 7 && name.as_bytes()[6] == b'+' && name.contains("DejaVuSans"),
            "{name} is not a tagged DejaVu subset"
        );
        assert_eq!(kind, ["CID", "TrueType"], "{}", fonts.stdout);
        assert_eq!(
            emb,
            ["yes", "yes", "yes"],
            "embedded, subset, with ToUnicode: {name}"
        );
    }
}

#[test]
fn the_language_and_title_read_back() {
    let p = practice_with_patient("Zoë", "Nguyễn");
    let out = tempfile::tempdir().expect("a temporary folder");
    let pdf = render_soap_pdf(&p, out.path());
    let title = "SOAP note, Zoë Nguyễn - 2026-11-02";
    let doc = lopdf::Document::load(&pdf).expect("the PDF parses");
    let catalog = doc.catalog().expect("a catalog");
    let lang = catalog.get(b"Lang").expect("/Lang in the catalog");
    assert_eq!(
        lopdf::decode_text_string(lang).expect("a text string"),
        "en-US"
    );
    let shows_title = catalog
        .get(b"ViewerPreferences")
        .and_then(lopdf::Object::as_dict)
        .and_then(|v| v.get(b"DisplayDocTitle"))
        .and_then(lopdf::Object::as_bool);
    assert_eq!(shows_title.ok(), Some(true));
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .expect("an Info dictionary");
    let info_title = info.get(b"Title").expect("/Title in Info");
    assert_eq!(lopdf::decode_text_string(info_title).expect("text"), title);
    let xmp = catalog
        .get(b"Metadata")
        .and_then(lopdf::Object::as_reference)
        .and_then(|id| doc.get_object(id))
        .and_then(lopdf::Object::as_stream)
        .expect("an XMP stream");
    let xmp = String::from_utf8_lossy(&xmp.content);
    assert!(xmp.contains(&format!(">{title}</rdf:li>")), "{xmp}");
    assert!(xmp.contains("<rdf:li>en-US</rdf:li>"), "{xmp}");
    if let Some(info) = tool("pdfinfo", &[pdf.as_os_str()]) {
        assert!(
            info.stdout
                .lines()
                .any(|l| l == format!("Title:           {title}")),
            "{}",
            info.stdout
        );
    }
}

#[test]
fn every_pdf_of_the_example_month_checks_clean() {
    let out = tempfile::tempdir().expect("a temporary folder");
    run_at(
        &example("harbor-street"),
        out.path(),
        AS_OF,
        &["batch", "--month", "2026-11", "-q"],
    )
    .expect_code(0);
    let pdfs: Vec<PathBuf> = crate::util::files_under(out.path())
        .into_iter()
        .filter(|f| f.ends_with(".pdf"))
        .map(|f| out.path().join(f))
        .collect();
    assert!(pdfs.len() > 50, "{} PDFs", pdfs.len());
    for pdf in &pdfs {
        let Some(check) = tool("qpdf", &[OsStr::new("--check"), pdf.as_os_str()]) else {
            break;
        };
        assert!(
            check.success,
            "qpdf --check failed on {}: {}",
            pdf.display(),
            check.stdout
        );
        let said = format!("{}{}", check.stdout, check.stderr).to_lowercase();
        assert!(
            !said.contains("warning") && check.stderr.is_empty(),
            "qpdf warned about {}: {said}",
            pdf.display()
        );
    }
    for pdf in &pdfs {
        poppler_reads_cleanly(pdf);
    }
}
