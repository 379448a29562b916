//! The Tera engine: built-in templates embedded in the binary, overridden by files of the
//! same name in the practice's `templates/` folder, with Markdown autoescaping.

use crate::model::DocumentKind;
use std::path::Path;
use tera::{Context, Kwargs, State, Tera};

/// A template that failed to load or render; the message names the file and line.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct TemplateError(pub String);

/// Built-in templates: (file name, content).
pub const BUILTIN: &[(&str, &str)] = &[
    ("soap_note.md", include_str!("../../templates/soap_note.md")),
    ("summary.md", include_str!("../../templates/summary.md")),
    ("appeal.md", include_str!("../../templates/appeal.md")),
    ("superbill.md", include_str!("../../templates/superbill.md")),
];

/// Prefix under which built-ins are registered, so a practice file of the same name wins.
const BUILTIN_PREFIX: &str = "builtin/";

/// The template file that renders `kind`.
pub fn template_name(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::SoapNote => "soap_note.md",
        DocumentKind::Summary => "summary.md",
        DocumentKind::Appeal => "appeal.md",
        DocumentKind::Superbill => "superbill.md",
        DocumentKind::Claim => "cms1500-grid.tsv",
    }
}

/// The loaded templates.
pub struct Engine {
    tera: Tera,
    overridden: Vec<String>,
    /// SHA-256 of each template in use, by file name, for the batch manifest.
    hashes: std::collections::BTreeMap<String, String>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("overridden", &self.overridden)
            .finish()
    }
}

impl Engine {
    /// Loads the built-ins and the `.md` files of `practice_templates`, when that folder exists.
    pub fn new(practice_templates: Option<&Path>) -> Result<Engine, TemplateError> {
        let mut tera = Tera::new();
        tera.set_fallback_prefixes([BUILTIN_PREFIX])
            .map_err(|e| TemplateError(e.to_string()))?;
        tera.autoescape_on([".md"]);
        tera.set_escape_fn(super::markdown::escape_markdown);
        tera.register_filter("oneline", |s: &str, _: Kwargs, _: &State| {
            s.split_whitespace().collect::<Vec<_>>().join(" ")
        });
        let mut hashes = std::collections::BTreeMap::new();
        // A claim has no template; its layout is the grid data file.
        hashes.insert(
            "cms1500-grid.tsv".to_string(),
            crate::output::sha256_hex(super::cms1500::GRID_TSV.as_bytes()),
        );
        for (name, content) in BUILTIN {
            hashes.insert(
                name.to_string(),
                crate::output::sha256_hex(content.as_bytes()),
            );
            tera.add_raw_template(&format!("{BUILTIN_PREFIX}{name}"), content)
                .map_err(|e| TemplateError(format!("built-in template {name}: {}", report(&e))))?;
        }
        let mut overridden = Vec::new();
        if let Some(dir) = practice_templates
            && dir.is_dir()
        {
            let mut files: Vec<_> = std::fs::read_dir(dir)
                .map_err(|e| TemplateError(format!("cannot read {}: {e}", dir.display())))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("md"))
                .collect();
            files.sort();
            for path in files {
                let Some(name) = path.file_name().and_then(|n| n.to_str()).map(String::from) else {
                    continue;
                };
                let content = std::fs::read_to_string(&path)
                    .map_err(|e| TemplateError(format!("cannot read templates/{name}: {e}")))?;
                tera.add_raw_template(&name, &content)
                    .map_err(|e| TemplateError(format!("templates/{name}: {}", report(&e))))?;
                hashes.insert(name.clone(), crate::output::sha256_hex(content.as_bytes()));
                overridden.push(name);
            }
        }
        Ok(Engine {
            tera,
            overridden,
            hashes,
        })
    }

    /// The practice's templates that replace built-ins.
    pub fn overridden(&self) -> &[String] {
        &self.overridden
    }

    /// SHA-256 (hex) of the template that renders `kind`, or "" when it has none.
    pub fn template_hash(&self, kind: DocumentKind) -> &str {
        self.hashes
            .get(template_name(kind))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Renders the template of `kind` with `context` (a JSON object) to Markdown.
    pub fn render(
        &self,
        kind: DocumentKind,
        context: &serde_json::Value,
    ) -> Result<String, TemplateError> {
        let name = template_name(kind);
        let where_ = if self.overridden.iter().any(|o| o == name) {
            format!("templates/{name}")
        } else {
            format!("built-in template {name}")
        };
        let ctx = Context::from_serialize(context)
            .map_err(|e| TemplateError(format!("{where_}: {}", report(&e))))?;
        self.tera
            .render(name, &ctx)
            .map_err(|e| TemplateError(format!("{where_}: {}", report(&e))))
    }
}

/// Tera's error with its causes, which carry the line and the snippet.
fn report(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
