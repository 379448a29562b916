//! Tests of Markdown to PDF as a whole, read back with lopdf: pages, fonts, text, furniture,
//! determinism, tables across pages and transliteration warnings.

use std::collections::BTreeSet;

use lopdf::Document;

use super::{PdfError, PdfOptions, PdfOutput, markdown_to_pdf};

fn options() -> PdfOptions {
    PdfOptions {
        title: "Benefit summary · Jane Doe".to_string(),
        header: "Jane Doe · DOB 1980-04-12".to_string(),
        footer_left: "Harbor Massage Therapy".to_string(),
        draft: false,
        draft_findings: Vec::new(),
        language: String::new(),
    }
}

fn render(markdown: &str) -> PdfOutput {
    markdown_to_pdf(markdown, &options()).unwrap_or_else(|e| panic!("{e}"))
}

pub(super) use super::lopdf_text::readable;

/// The text of each page, in page order.
fn page_texts(bytes: &[u8]) -> Vec<String> {
    let doc = readable(bytes);
    let count = doc.get_pages().len() as u32;
    (1..=count)
        .map(|n| doc.extract_text(&[n]).expect("text extracts"))
        .collect()
}

/// The text of every page, joined.
fn all_text(bytes: &[u8]) -> String {
    page_texts(bytes).join("\n")
}

fn base_fonts(bytes: &[u8]) -> BTreeSet<String> {
    let doc = Document::load_mem(bytes).expect("the output parses");
    let mut names = BTreeSet::new();
    for page in doc.get_pages().values() {
        for font in doc.get_page_fonts(*page).expect("fonts").values() {
            let name = font
                .get(b"BaseFont")
                .and_then(|n| n.as_name())
                .expect("base font");
            let name = String::from_utf8_lossy(name);
            // A subset's name starts with its tag, six capitals and a plus sign.
            let untagged = match name.split_once('+') {
                Some((tag, rest)) if tag.len() == 6 => rest,
                _ => &name,
            };
            names.insert(untagged.to_string());
        }
    }
    names
}

#[test]
fn a_document_has_its_text_fonts_and_furniture() {
    let out = render(
        "# Visit summary\n\nPatient seen for **neck pain**, *moderate*, code `97124`.\n\n\
         - first item\n- second item\n\n1. one\n2. two\n\n---\n\nLine one  \nLine two\n",
    );
    assert_eq!(out.pages, 1);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let text = all_text(&out.bytes);
    for expected in [
        "Visit summary",
        "Patient seen for",
        "neck pain",
        "moderate",
        "97124",
        "first item",
        "second item",
        "1.",
        "two",
        "Line one",
        "Line two",
        "Jane Doe · DOB 1980-04-12",
        "Harbor Massage Therapy",
        "Page 1 of 1",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    assert!(!text.contains("DRAFT"));
    let fonts = base_fonts(&out.bytes);
    let expected: BTreeSet<String> = [
        "DejaVuSansMono",
        "DejaVuSans",
        "DejaVuSans-Bold",
        "DejaVuSans-Oblique",
    ]
    .map(String::from)
    .into();
    assert_eq!(fonts, expected);

    let doc = Document::load_mem(&out.bytes).expect("the output parses");
    let info = doc
        .trailer
        .get(b"Info")
        .and_then(|i| i.as_reference())
        .expect("info");
    let title = doc
        .get_dictionary(info)
        .and_then(|d| d.get(b"Title"))
        .expect("title");
    assert_eq!(
        lopdf::decode_text_string(title).expect("text"),
        "Benefit summary · Jane Doe"
    );
}

#[test]
fn raw_html_and_escaped_markup_print_literally() {
    let out = render(
        "<script>alert(1)</script>\n\n\\*\\*not bold\\*\\* a \\| b {{ patient.name }} \
         <img src=x onerror=y>\n\n| A | B |\n|---|---|\n| x \\| y | `{{ z }}` |\n",
    );
    let text = all_text(&out.bytes);
    for expected in [
        "<script>alert(1)</script>",
        "**not bold** a | b {{ patient.name }} <img src=x onerror=y>",
        "x | y",
        "{{ z }}",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    // The escaped stars did not turn anything bold; only the table header is.
    let doc_fonts = base_fonts(&out.bytes);
    assert!(doc_fonts.contains("DejaVuSans-Bold"));
    let without_table = render("\\*\\*not bold\\*\\*");
    assert!(!base_fonts(&without_table.bytes).contains("DejaVuSans-Bold"));
}

#[test]
fn identical_input_gives_identical_bytes() {
    let markdown = "# Title\n\nSome text → more.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
    let mut draft = options();
    draft.draft = true;
    let first = markdown_to_pdf(markdown, &draft).expect("renders");
    let second = markdown_to_pdf(markdown, &draft).expect("renders");
    assert_eq!(
        (&first.bytes, first.pages, &first.warnings),
        (&second.bytes, second.pages, &second.warnings)
    );
    let other = markdown_to_pdf("# Title\n\nSome text.", &draft).expect("renders");
    assert_ne!(first.bytes, other.bytes);
    let raw = String::from_utf8_lossy(&first.bytes);
    assert!(!raw.contains("CreationDate") && !raw.contains("ModDate") && !raw.contains("Producer"));
}

#[test]
fn every_page_is_numbered_and_stamped_when_draft() {
    let markdown = (1..=150)
        .map(|n| format!("Paragraph number {n} of a long appeal letter.\n\n"))
        .collect::<String>();
    let mut draft = options();
    draft.draft = true;
    draft.draft_findings = vec!["signature.missing (sessions/x.yaml, soap)".to_string()];
    let out = markdown_to_pdf(&markdown, &draft).expect("renders");
    assert!(out.pages >= 3, "{} pages", out.pages);
    let pages = page_texts(&out.bytes);
    assert_eq!(pages.len(), out.pages);
    for (index, text) in pages.iter().enumerate() {
        assert!(
            text.contains(&format!("Page {} of {}", index + 1, out.pages)),
            "{text}"
        );
        assert!(text.contains("DRAFT - NOT FOR SUBMISSION"));
        assert!(text.contains("Jane Doe · DOB 1980-04-12"));
        // The findings are listed once, at the top of the first page.
        assert_eq!(
            text.contains("signature.missing (sessions/x.yaml, soap)"),
            index == 0,
            "{text}"
        );
    }
    assert!(pages[0].contains("Rendered despite these findings:"));
    let everything = pages.join("\n");
    for n in 1..=150 {
        assert!(everything.contains(&format!("Paragraph number {n} of")));
    }
}

#[test]
fn a_long_table_breaks_between_rows_and_repeats_its_header() {
    let mut markdown = String::from("| Visit | Date | Description | Charge |\n|---|---|---|--:|\n");
    for n in 0..90 {
        let filler = "soft tissue work on the upper trapezius ".repeat(1 + n % 3);
        markdown.push_str(&format!(
            "| R{n:03} | 2026-02-01 | start{n:03} {filler}end{n:03} | $75.00 |\n"
        ));
    }
    let out = render(&markdown);
    assert!(out.pages >= 3, "{} pages", out.pages);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let pages = page_texts(&out.bytes);
    let page_of = |needle: &str| {
        let hits: Vec<usize> = (0..pages.len())
            .filter(|&p| pages[p].contains(needle))
            .collect();
        assert_eq!(hits.len(), 1, "{needle} found on pages {hits:?}");
        hits[0]
    };
    for n in 0..90 {
        let start = page_of(&format!("start{n:03}"));
        assert_eq!(start, page_of(&format!("end{n:03}")), "row {n} was split");
        assert_eq!(start, page_of(&format!("R{n:03}")), "row {n} was split");
    }
    for text in &pages {
        assert!(
            text.contains("Description") && text.contains("Charge"),
            "no header: {text}"
        );
    }
}

#[test]
fn a_row_taller_than_a_page_continues_with_a_warning() {
    let giant = "word ".repeat(3000);
    let out = render(&format!(
        "| A | B |\n|---|---|\n| x | {giant} |\n| after | row |\n"
    ));
    assert!(out.pages >= 3);
    assert!(
        out.warnings
            .iter()
            .any(|w| w.contains("taller than a page"))
    );
    let text = all_text(&out.bytes);
    assert_eq!(text.matches("word").count(), 3000);
    assert!(text.contains("after"));
}

#[test]
fn names_and_symbols_print_as_written() {
    let names = "Nguyễn Łukasz Zoë Øyvind Şahin Αλέξανδρος Дмитрий Արամ ნინო";
    let out = render(&format!("# {names}\n\n**{names}** *{names}* → ✓ ≠\n"));
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    // The heading wraps; words are compared across line ends.
    let text = all_text(&out.bytes)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(text.matches(names).count(), 3, "{text}");
    assert!(text.contains("→ ✓ ≠"), "{text}");
}

#[test]
fn characters_the_font_lacks_are_transliterated_with_one_warning_each() {
    let out = render("Go 中 next 中 last \u{5E9}alom\n\nAgain 中");
    let text = all_text(&out.bytes);
    assert!(text.contains("Go Zhong next Zhong last shalom"), "{text}");
    assert_eq!(out.warnings.len(), 2, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("U+4E2D") && out.warnings[0].contains("\"Zhong\""));
    assert!(out.warnings[1].contains("U+05E9") && out.warnings[1].contains("right-to-left"));
}

#[test]
fn no_character_is_dropped_silently() {
    let input =
        "Ünïcödé café € “quotes” – — • … ½ µ → ✓ ≠ 中文 😀 e\u{301} \u{200B}x \u{7}bell Ω ∑";
    let mut markdown = String::from(input);
    markdown.push_str("\n\n| ≥ | ☐ |\n|---|---|\n| ≤ | ☑ |\n");
    let mut opts = options();
    opts.header = "Header ← with arrow".to_string();
    let out = markdown_to_pdf(&markdown, &opts).expect("renders");
    let text = all_text(&out.bytes);
    for c in markdown.chars().chain(opts.header.chars()) {
        if c.is_whitespace() || "|-".contains(c) {
            continue;
        }
        let warned = out
            .warnings
            .iter()
            .any(|w| w.contains(&format!("U+{:04X}", u32::from(c))));
        assert!(
            text.contains(c) || warned,
            "{c:?} (U+{:04X}) vanished",
            u32::from(c)
        );
    }
    assert!(text.contains("Ünïcödé café € “quotes” – — • … ½"), "{text}");
}

#[test]
fn long_words_break_without_losing_characters() {
    let word: String = (0..400)
        .map(|n| char::from(b'a' + (n % 26) as u8))
        .collect();
    let out = render(&format!("{word}\n\n| {word} | b |\n|---|---|\n| c | d |\n"));
    let joined: String = all_text(&out.bytes).split_whitespace().collect();
    assert_eq!(joined.matches(&word).count(), 2);
}

#[test]
fn long_header_and_footer_are_shortened_with_a_warning() {
    let mut opts = options();
    opts.header = "Jane Doe ".repeat(40);
    let out = markdown_to_pdf("text", &opts).expect("renders");
    assert!(out.warnings.iter().any(|w| w.contains("header")));
    assert!(all_text(&out.bytes).contains("..."));
}

#[test]
fn empty_input_gives_one_numbered_page() {
    let out = render("");
    assert_eq!(out.pages, 1);
    assert!(all_text(&out.bytes).contains("Page 1 of 1"));
}

#[test]
fn a_table_too_wide_for_the_page_is_an_error() {
    let header = format!("|{}\n|{}\n", " c |".repeat(60), "---|".repeat(60));
    assert_eq!(
        markdown_to_pdf(&header, &options()).err(),
        Some(PdfError::TableTooWide { columns: 60 })
    );
}

#[test]
fn deep_nesting_still_lays_out() {
    let markdown = format!(
        "{}deep\n\n{}",
        "> ".repeat(300),
        "  ".repeat(0) + &nested_list(60)
    );
    let out = render(&markdown);
    let text = all_text(&out.bytes);
    assert!(text.contains("deep") && text.contains("level 59"));
}

fn nested_list(depth: usize) -> String {
    (0..depth)
        .map(|level| format!("{}- level {level}\n", "  ".repeat(level)))
        .collect()
}

#[test]
fn a_runaway_document_is_refused() {
    let markdown = "x\n\n".repeat(150_000);
    assert_eq!(
        markdown_to_pdf(&markdown, &options()).err(),
        Some(PdfError::TooManyPages {
            limit: super::flow::MAX_PAGES
        })
    );
}
