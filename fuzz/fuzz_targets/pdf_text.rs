//! The PDF text writer on arbitrary Markdown: it must not panic, and what it writes must
//! parse back with lopdf with the pages it says it has. Refusing a document too long or a
//! table too wide is an answer, not a failure.
//!
//! An input is the Markdown itself, or a head of up to five lines (title, header, footer,
//! `draft` for the draft stamp, and a finding the draft lists), a line `%%%`, and the Markdown.

#![no_main]

use claimwright::render::pdf::{PdfOptions, markdown_to_pdf};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let (head, markdown) = text.split_once("\n%%%\n").unwrap_or(("", text));
    let mut head = head.lines();
    let mut next = || head.next().unwrap_or_default().to_string();
    let options = PdfOptions {
        title: next(),
        header: next(),
        footer_left: next(),
        draft: next() == "draft",
        draft_findings: vec![next()],
        language: String::new(),
    };
    let Ok(out) = markdown_to_pdf(markdown, &options) else {
        return;
    };
    let doc = match lopdf::Document::load_mem(&out.bytes) {
        Ok(doc) => doc,
        Err(e) => panic!("the PDF does not parse back: {e}"),
    };
    assert_eq!(doc.get_pages().len(), out.pages, "page count");
});
