//! Turns a prepared document into Markdown (Tera), HTML (pulldown-cmark) and PDF (lopdf).

pub mod cms1500;
pub mod html;
pub mod markdown;
pub mod pdf;
pub mod templates;

use crate::documents::Prepared;

/// An output format of a rendered document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Markdown, straight from the template.
    Md,
    /// A standalone HTML page with a print stylesheet.
    Html,
    /// A letter-size PDF.
    Pdf,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }

    /// Parses `md`, `html` or `pdf`.
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "md" | "markdown" => Some(Format::Md),
            "html" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// The stamp printed on documents rendered with `--draft`.
pub const DRAFT_STAMP: &str = "DRAFT - NOT FOR SUBMISSION";

/// Rendered bytes of one document in one format, with any warnings (e.g. transliterations).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The format.
    pub format: Format,
    /// The file content.
    pub bytes: Vec<u8>,
    /// Warnings to show the user.
    pub warnings: Vec<String>,
}

/// Renders `doc` in each of `formats` from the Markdown its template produces.
pub fn render(
    engine: &templates::Engine,
    doc: &Prepared,
    formats: &[Format],
) -> Result<Vec<Rendered>, templates::TemplateError> {
    let draft = doc
        .context
        .pointer("/document/draft")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let markdown = engine.render(doc.kind, &doc.context)?;
    let mut out = Vec::new();
    for &format in formats {
        let rendered = match format {
            Format::Md => Rendered {
                format,
                bytes: if draft {
                    format!("**{DRAFT_STAMP}**\n\n{markdown}\n\n**{DRAFT_STAMP}**\n").into_bytes()
                } else {
                    markdown.clone().into_bytes()
                },
                warnings: vec![],
            },
            Format::Html => Rendered {
                format,
                bytes: html::page(&doc.title, &doc.header, &markdown, draft).into_bytes(),
                warnings: vec![],
            },
            Format::Pdf => {
                let options = pdf::PdfOptions {
                    title: doc.title.clone(),
                    header: doc.header.clone(),
                    footer_left: doc.title.clone(),
                    draft,
                };
                match pdf::markdown_to_pdf(&markdown, &options) {
                    Ok(o) => Rendered {
                        format,
                        bytes: o.bytes,
                        warnings: o.warnings,
                    },
                    Err(e) => {
                        return Err(templates::TemplateError(format!(
                            "the PDF could not be laid out: {e}"
                        )));
                    }
                }
            }
        };
        out.push(rendered);
    }
    Ok(out)
}
