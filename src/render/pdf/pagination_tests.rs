//! Tests of what stays together across page breaks, read back page by page with lopdf: each
//! case is set after a filler of every length from half a page to a page and a half, so that
//! every possible break point inside it is tried.

use super::{PdfOptions, markdown_to_pdf};

/// The lines of each page's text, without the header and footer.
fn pages(markdown: &str) -> Vec<Vec<String>> {
    let options = PdfOptions {
        title: "t".to_string(),
        header: "Running header".to_string(),
        footer_left: "Running footer".to_string(),
        draft: false,
        draft_findings: Vec::new(),
        language: String::new(),
    };
    let out = markdown_to_pdf(markdown, &options).unwrap_or_else(|e| panic!("{e}"));
    let doc = super::tests::readable(&out.bytes);
    (1..=doc.get_pages().len() as u32)
        .map(|n| {
            doc.extract_text(&[n])
                .expect("text extracts")
                .lines()
                .map(str::trim)
                .filter(|l| {
                    !l.is_empty()
                        && *l != "Running header"
                        && !l.starts_with("Running footer")
                        && !l.starts_with("Page ")
                })
                .map(str::to_string)
                .collect()
        })
        .collect()
}

/// A filler paragraph of `lines` lines, one hand-broken line each.
fn filler(lines: usize) -> String {
    (0..lines)
        .map(|n| format!("Filler line {n}."))
        .collect::<Vec<_>>()
        .join("  \n")
}

/// Runs `check` on the pages of `case` set after fillers of 20 to 70 lines.
fn after_every_filler(case: &str, check: impl Fn(&[Vec<String>], usize)) {
    for lines in 20..70 {
        // The filler is split from the case by a rule, so nothing keeps them together.
        let markdown = format!("{}\n\n---\n\n{case}", filler(lines));
        check(&pages(&markdown), lines);
    }
}

/// The page holding the first line that contains `needle`.
fn page_of(pages: &[Vec<String>], needle: &str) -> usize {
    pages
        .iter()
        .position(|p| p.iter().any(|l| l.contains(needle)))
        .unwrap_or_else(|| panic!("{needle} is on no page: {pages:?}"))
}

#[test]
fn a_paragraph_leaves_no_single_line_at_either_side_of_a_break() {
    let words: Vec<String> = (0..120).map(|n| format!("p{n:03}")).collect();
    let case = format!("{}\n\nAfter.\n", words.join(" "));
    after_every_filler(&case, |pages, filler| {
        let mut split = 0;
        for page in pages {
            let count = page.iter().filter(|l| l.starts_with('p')).count();
            assert!(
                count == 0 || count >= 2,
                "after {filler} filler lines, a page has {count} line of the paragraph: {pages:?}"
            );
            split += usize::from(count > 0);
        }
        assert!(split >= 1);
    });
}

#[test]
fn a_heading_never_ends_a_page() {
    let table = (0..6)
        .map(|n| format!("| row {n} | value {n} |"))
        .collect::<Vec<_>>()
        .join("\n");
    for next in [
        format!("| Name | Value |\n|---|---|\n{table}\n"),
        "One short paragraph of one line.\n".to_string(),
        format!("{}\n", "word ".repeat(90)),
        "- first item\n- second item\n".to_string(),
    ] {
        let case = format!("### The heading\n\n{next}");
        after_every_filler(&case, |pages, filler| {
            let at = page_of(pages, "The heading");
            let page = &pages[at];
            let last = page.last().map(String::as_str);
            assert_ne!(
                last,
                Some("The heading"),
                "after {filler} lines the heading ends page {}: {pages:?}",
                at + 1
            );
            // What follows it starts on the same page: a table with its header and a row.
            if next.starts_with('|') {
                assert!(page.iter().any(|l| l == "row 0"), "{pages:?}");
                assert!(page.iter().any(|l| l == "Name"), "{pages:?}");
            }
        });
    }
}

#[test]
fn a_table_repeats_its_header_once_a_page_and_never_alone() {
    let rows = (0..70)
        .map(|n| format!("| row {n:02} | value {n:02} |"))
        .collect::<Vec<_>>()
        .join("\n");
    let case = format!(
        "| Name | Value |\n|---|---|\n{rows}\n| **Total** | 70 |\n\nTotals: 70 rows in all.\n"
    );
    after_every_filler(&case, |pages, filler| {
        for (n, page) in pages.iter().enumerate() {
            let headers = page.iter().filter(|l| *l == "Name").count();
            let rows = page.iter().filter(|l| l.starts_with("row ")).count();
            let total = page.iter().any(|l| l == "Total");
            if rows > 0 || total {
                assert_eq!(headers, 1, "after {filler} lines, page {}: {page:?}", n + 1);
            } else {
                assert_eq!(
                    headers,
                    0,
                    "after {filler} lines, a header alone on page {}: {page:?}",
                    n + 1
                );
            }
        }
        // The total row keeps the row before it, and the line of totals keeps the total row.
        let total = page_of(pages, "Total");
        assert_eq!(
            page_of(pages, "row 69"),
            total,
            "after {filler} lines: {pages:?}"
        );
        assert_eq!(
            page_of(pages, "Totals: 70 rows"),
            total,
            "after {filler} lines: {pages:?}"
        );
    });
}

#[test]
fn a_signature_block_stays_whole_with_the_closing() {
    let closing = "word ".repeat(40);
    let case = format!(
        "{closing}closing.\n\nSincerely,\\\nSignature: ____ Date: ____\\\nAmy Chen, LMT\\\nHarbor Street Massage Therapy\n"
    );
    after_every_filler(&case, |pages, filler| {
        let signed = page_of(pages, "Sincerely,");
        for line in ["Signature:", "Amy Chen", "Harbor Street Massage Therapy"] {
            assert_eq!(
                page_of(pages, line),
                signed,
                "after {filler} lines: {pages:?}"
            );
        }
        assert_eq!(
            page_of(pages, "closing."),
            signed,
            "after {filler} lines: {pages:?}"
        );
    });
}

#[test]
fn a_list_stays_with_the_line_that_introduces_it() {
    let items = (0..4)
        .map(|n| format!("- item {n}: {}", "word ".repeat(12)))
        .collect::<Vec<_>>()
        .join("\n");
    let case = format!("Your decision on this claim:\n\n{items}\n");
    after_every_filler(&case, |pages, filler| {
        assert_eq!(
            page_of(pages, "Your decision"),
            page_of(pages, "item 0"),
            "after {filler} lines: {pages:?}"
        );
    });
}
