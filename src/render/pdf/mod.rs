//! PDF output: a canvas of US Letter pages, a writer that turns them into a file, and a
//! Markdown layout on top of them for the documents. The documents are set in DejaVu Sans,
//! subset into each file, so that names print in the scripts people write them in; the
//! CMS-1500 form, which is ASCII by rule, keeps the PDF core fonts.

/// Pages and drawing primitives.
pub mod canvas;
mod content;
mod dejavu;
mod flow;
mod fontfile;
/// The fonts and their glyph widths.
pub mod fonts;
mod keep;
mod layout;
mod markdown;
mod table;
mod winansi;
mod wrap;
/// The PDF writer.
pub mod writer;

#[cfg(test)]
mod lopdf_text;
#[cfg(test)]
mod pagination_tests;
#[cfg(test)]
mod tests;

pub use canvas::{
    Color, PAGE_HEIGHT, PAGE_WIDTH, Page, Paint, Stroke, TextStyle, transliteration_warnings,
};
pub use fonts::{Font, ascent, descent, text_width};
pub use layout::markdown_to_pdf;
pub use writer::finish;

/// What a Markdown document needs besides its text to become a PDF.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PdfOptions {
    /// The document title, written as the PDF `/Title` and in its XMP metadata.
    pub title: String,
    /// Printed at the top of every page, e.g. "Jane Doe · DOB 1980-04-12"; empty for none.
    pub header: String,
    /// Printed at the bottom left of every page, beside "Page N of M"; empty for none.
    pub footer_left: String,
    /// Stamps "DRAFT - NOT FOR SUBMISSION" across every page.
    pub draft: bool,
    /// The findings a draft was rendered despite, listed on its first page.
    pub draft_findings: Vec<String>,
    /// The document's language as a BCP 47 tag (`es-US`); empty for `writer::LANGUAGE`.
    pub language: String,
}

impl PdfOptions {
    /// The language the PDF declares.
    pub fn language(&self) -> &str {
        if self.language.is_empty() {
            writer::LANGUAGE
        } else {
            &self.language
        }
    }
}

/// A rendered PDF.
#[derive(Clone, Debug)]
pub struct PdfOutput {
    /// The file's bytes, identical for identical input.
    pub bytes: Vec<u8>,
    /// Lowercase hex SHA-256 of `bytes`.
    pub sha256: String,
    /// Number of pages.
    pub pages: usize,
    /// Everything the reader should know was changed: transliterated characters, shortened
    /// header or footer, table rows continued across pages.
    pub warnings: Vec<String>,
}

/// Why a document could not be laid out.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum PdfError {
    /// The document would run past the page limit.
    #[error("the document would need more than {limit} pages")]
    TooManyPages {
        /// The most pages a document may have.
        limit: usize,
    },
    /// A table has more columns than fit side by side on a page.
    #[error("a table has {columns} columns, more than fit across a page")]
    TableTooWide {
        /// Number of columns of the table.
        columns: usize,
    },
}
