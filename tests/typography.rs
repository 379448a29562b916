//! How a SOAP note's PDF breaks across pages, read back page by page with lopdf: a note whose
//! history grows a line at a time, so that every heading and paragraph of the note in turn
//! meets the foot of a page.

use crate::util::{AS_OF, Practice, example, run_at};

const SESSION: &str = "2026-11-02-margaret-walsh";
const FILE: &str = "sessions/2026-11/2026-11-02-margaret-walsh.yaml";
const HEADINGS: [&str; 8] = [
    "Diagnoses",
    "Services",
    "Subjective",
    "Objective",
    "Assessment",
    "Plan",
    "Goals",
    "Signature",
];

/// The note's YAML with `sentences` sentences of history and a long objective whose words
/// are numbered (`o001`...), so that its lines can be counted on each page.
fn note_with(original: &str, sentences: usize) -> String {
    let start = original.find("  subjective:").expect("a subjective line");
    let end = start
        + original[start..]
            .find("  assessment:")
            .expect("an assessment line");
    let history = "The patient reports the same ache on waking. ".repeat(sentences);
    let objective: Vec<String> = (1..=110).map(|n| format!("o{n:03}")).collect();
    format!(
        "{}  subjective: >-\n    Low back pain. {history}\n  objective: >-\n    {}\n{}",
        &original[..start],
        objective.join(" "),
        &original[end..]
    )
}

/// The body lines of each page: without the running header, the footer and the page number.
fn body_lines(pdf: &std::path::Path) -> Vec<Vec<String>> {
    let doc = crate::util::load_pdf_file(pdf);
    (1..=doc.get_pages().len() as u32)
        .map(|n| {
            doc.extract_text(&[n])
                .unwrap()
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty()
                        && !l.starts_with("Margaret Walsh - DOB")
                        && !l.starts_with("SOAP note, Margaret Walsh")
                        && !l.starts_with("Page ")
                })
                .map(str::to_string)
                .collect()
        })
        .collect()
}

fn page_of(pages: &[Vec<String>], needle: &str) -> usize {
    pages
        .iter()
        .position(|p| p.iter().any(|l| l.contains(needle)))
        .unwrap_or_else(|| panic!("{needle} is on no page: {pages:?}"))
}

#[test]
fn a_growing_note_never_ends_a_page_on_a_heading_or_a_lone_line() {
    let p = Practice::copy_from(&example("harbor-street"));
    let original = std::fs::read_to_string(p.path(FILE)).unwrap();
    let mut breaks_in_objective = 0;
    for sentences in (0..96).step_by(3) {
        p.write(FILE, note_with(&original, sentences));
        let out = tempfile::tempdir().unwrap();
        run_at(
            &p.root,
            out.path(),
            AS_OF,
            &["render", "soap", SESSION, "--format", "pdf"],
        )
        .expect_code(0);
        let pages = body_lines(&out.path().join(format!("soap_note/{SESSION}.pdf")));
        let case = format!("with {sentences} sentences of history");
        for (n, page) in pages.iter().enumerate().take(pages.len() - 1) {
            let last = page.last().map(String::as_str).unwrap_or("");
            assert!(
                !HEADINGS.contains(&last),
                "{case}, page {} ends on the heading {last}: {pages:?}",
                n + 1
            );
        }
        let mut pages_with_objective = 0;
        for (n, page) in pages.iter().enumerate() {
            let lines = page
                .iter()
                .filter(|l| l.starts_with("o0") || l.starts_with("o1"))
                .count();
            assert!(
                lines == 0 || lines >= 2,
                "{case}, page {} has a single line of the objective: {pages:?}",
                n + 1
            );
            pages_with_objective += usize::from(lines > 0);
        }
        breaks_in_objective += usize::from(pages_with_objective > 1);
        // The services' total minutes stay with the table, the signature with its heading.
        assert_eq!(
            page_of(&pages, "Timed minutes:"),
            page_of(&pages, "97110"),
            "{case}: {pages:?}"
        );
        assert_eq!(
            page_of(&pages, "Signed electronically"),
            page_of(&pages, "Signature"),
            "{case}: {pages:?}"
        );
    }
    // The sweep did move a page break through the objective.
    assert!(breaks_in_objective >= 2, "{breaks_in_objective}");
}
