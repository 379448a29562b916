//! Renders typed documents: one renderer per output format. Templates go to Markdown (Tera),
//! HTML (pulldown-cmark) and PDF (pdf-writer); claims go to the CMS-1500 form.

pub mod cms1500;
pub mod html;
pub mod markdown;
pub mod month_page;
pub mod pdf;
pub mod template_worker;
pub mod templates;
pub mod x837;

use crate::documents::{Body, Prepared};
use crate::findings::Finding;
use templates::Engine;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Markdown, straight from the template.
    Md,
    /// A standalone HTML page with a print stylesheet.
    Html,
    /// A letter-size PDF.
    Pdf,
    /// The CMS-1500 paper claim, as a PDF.
    Cms1500,
    /// The document's data, exactly what its template sees, as JSON.
    Json,
}

impl Format {
    /// The file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Md => "md",
            Format::Html => "html",
            Format::Pdf | Format::Cms1500 => "pdf",
            Format::Json => "json",
        }
    }

    /// Parses a `--format` word: `md`, `html`, `pdf` or `json`.
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "md" | "markdown" => Some(Format::Md),
            "html" => Some(Format::Html),
            "pdf" => Some(Format::Pdf),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The stamp printed on documents rendered with `--draft`.
pub const DRAFT_STAMP: &str = "DRAFT - NOT FOR SUBMISSION";

/// What the draft notice says before its list of findings.
pub const DRAFT_REASON: &str = "Rendered despite these findings:";

/// The draft notice at the top of a Markdown draft: the stamp and the findings, by code,
/// file and field.
fn draft_notice_md(findings: &[String]) -> String {
    let mut out = format!("**{DRAFT_STAMP}**");
    if !findings.is_empty() {
        out.push_str(&format!("\n\n{DRAFT_REASON}\n"));
        for f in findings {
            out.push_str(&format!("\n- {}", markdown::escape(f)));
        }
    }
    out
}

/// Rendered bytes of one document in one format, with any notes (e.g. transliterations).
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The format.
    pub format: Format,
    /// The file content.
    pub bytes: Vec<u8>,
    /// Notes to show the user.
    pub warnings: Vec<String>,
    /// Lowercase hex SHA-256 of the bytes, when the renderer worked it out as it wrote them.
    pub sha256: Option<String>,
}

impl Rendered {
    /// Lowercase hex SHA-256 of the bytes.
    pub fn sha256_hex(&self) -> String {
        match &self.sha256 {
            Some(hash) => hash.clone(),
            None => crate::output::sha256_hex(&self.bytes),
        }
    }
}

/// Every renderer, with the options of a run.
#[derive(Debug)]
pub struct Renderer<'a> {
    /// The templates.
    pub engine: &'a Engine,
    /// How claims print.
    pub claim_form: cms1500::Options,
}

impl Renderer<'_> {
    /// The formats `doc` is written in: claims in their form (and their data when JSON is
    /// asked for), other documents as asked.
    pub fn formats_for(&self, doc: &Prepared, asked: &[Format]) -> Vec<Format> {
        match doc.body {
            Body::Claim(_) if asked.contains(&Format::Json) => {
                vec![Format::Cms1500, Format::Json]
            }
            Body::Claim(_) => vec![Format::Cms1500],
            Body::Template(_) => asked
                .iter()
                .copied()
                .filter(|f| *f != Format::Cms1500)
                .collect(),
        }
    }

    /// What is known to refuse or mark `doc` before rendering it: a template of the
    /// practice that does not compile, claim values that do not fit the form.
    pub fn check(&self, doc: &Prepared, formats: &[Format]) -> Vec<Finding> {
        match &doc.body {
            Body::Template(_) => self
                .engine
                .broken(doc.kind)
                .map(|e| vec![e.finding()])
                .unwrap_or_default(),
            Body::Claim(claim) if formats.contains(&Format::Cms1500) => {
                cms1500::fit_findings(claim, &doc.source)
            }
            Body::Claim(_) => Vec::new(),
        }
    }

    /// Renders `doc` in each of `formats`: all of them or, on failure, none, with the
    /// `render.failed` finding that says why.
    pub fn render(&self, doc: &Prepared, formats: &[Format]) -> Result<Vec<Rendered>, Finding> {
        let failed = |message: String| {
            Finding::error(
                "render.failed",
                doc.source.clone(),
                format!("the {} could not be rendered: {message}", doc.kind.name),
            )
        };
        match &doc.body {
            Body::Claim(claim) => {
                // The fit notes quote the values they shortened; `check` already reported
                // each one by item, without the value, since values are patient data.
                let (bytes, _notes) = cms1500::render_claim(claim, &self.claim_form, doc.title())
                    .map_err(|e| failed(e.to_string()))?;
                let mut out = vec![Rendered {
                    format: Format::Cms1500,
                    bytes,
                    warnings: Vec::new(),
                    sha256: None,
                }];
                if formats.contains(&Format::Json) {
                    out.push(json(doc));
                }
                Ok(out)
            }
            Body::Template(_) => {
                let needs_text = formats
                    .iter()
                    .any(|f| matches!(f, Format::Md | Format::Html | Format::Pdf));
                let markdown = if needs_text {
                    self.engine
                        .render(doc.kind, &doc.data())
                        .map_err(|e| e.finding())?
                } else {
                    String::new()
                };
                formats
                    .iter()
                    .filter(|f| **f != Format::Cms1500)
                    .map(|&f| match f {
                        Format::Json => Ok(json(doc)),
                        _ => text_format(doc, &markdown, f).map_err(&failed),
                    })
                    .collect()
            }
        }
    }
}

/// The document's data as JSON: what its template sees (a claim's format-free data).
fn json(doc: &Prepared) -> Rendered {
    // Document data is plain values and strings: serializing it cannot fail.
    let mut bytes = serde_json::to_vec_pretty(&doc.data()).unwrap_or_default();
    bytes.push(b'\n');
    Rendered {
        format: Format::Json,
        bytes,
        warnings: Vec::new(),
        sha256: None,
    }
}

/// One text format of a template document, from the Markdown its template produced. A
/// draft is stamped, and its first page lists the findings it was rendered despite.
fn text_format(doc: &Prepared, markdown: &str, format: Format) -> Result<Rendered, String> {
    let draft = doc.info.draft.then(|| {
        doc.info
            .draft_findings
            .iter()
            .map(|f| f.label())
            .collect::<Vec<_>>()
    });
    let mut sha256 = None;
    let (bytes, warnings) = match format {
        Format::Md => (
            match &draft {
                Some(findings) => format!(
                    "{}\n\n{markdown}\n\n**{DRAFT_STAMP}**\n",
                    draft_notice_md(findings)
                )
                .into_bytes(),
                None => markdown.as_bytes().to_vec(),
            },
            Vec::new(),
        ),
        Format::Html => (
            html::page(
                doc.title(),
                &doc.header,
                markdown,
                draft.as_deref(),
                doc.kind.language(),
            )
            .into_bytes(),
            Vec::new(),
        ),
        Format::Json => return Ok(json(doc)),
        Format::Pdf | Format::Cms1500 => {
            let options = pdf::PdfOptions {
                title: doc.title().to_string(),
                header: doc.header.clone(),
                footer_left: doc.title().to_string(),
                draft: draft.is_some(),
                draft_findings: draft.clone().unwrap_or_default(),
                language: doc.kind.language().to_string(),
            };
            let out = pdf::markdown_to_pdf(markdown, &options)
                .map_err(|e| format!("the PDF could not be laid out: {e}"))?;
            sha256 = Some(out.sha256);
            (out.bytes, out.warnings)
        }
    };
    Ok(Rendered {
        format,
        bytes,
        warnings,
        sha256,
    })
}
