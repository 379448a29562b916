//! `claimwright templates list|export`: the built-in templates, to read or to customize.

use super::Outcome;
use crate::cli::{GlobalArgs, TemplatesAction};
use crate::render::templates::builtin;
use anyhow::{Context, Result, bail};
use std::io::Write;

/// Lists or exports the built-in templates.
pub fn run(g: &GlobalArgs, action: &TemplatesAction) -> Result<Outcome> {
    match action {
        TemplatesAction::List => {
            let cwd = std::env::current_dir()?;
            let overrides: Vec<String> = crate::load::find_root(g.practice.as_deref(), &cwd)
                .ok()
                .map(|root| root.join("templates"))
                .and_then(|dir| std::fs::read_dir(dir).ok())
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok())
                        .map(|e| e.file_name().to_string_lossy().into_owned())
                        .collect()
                })
                .unwrap_or_default();
            let mut out = std::io::stdout().lock();
            for (name, _) in builtin() {
                let note = if overrides.iter().any(|o| o == name) {
                    "  (overridden by the practice's templates/)"
                } else {
                    ""
                };
                writeln!(out, "{name}{note}")?;
            }
        }
        TemplatesAction::Export { dir } => {
            let targets: Vec<_> = builtin().map(|(n, _)| dir.join(n)).collect();
            if !g.force {
                let exist: Vec<_> = targets.iter().filter(|p| p.exists()).collect();
                if !exist.is_empty() {
                    bail!(
                        "{} already exists: pass --force to overwrite",
                        exist[0].display()
                    );
                }
            }
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            for ((_, content), path) in builtin().zip(&targets) {
                std::fs::write(path, content)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                if !g.quiet {
                    println!("wrote {}", path.display());
                }
            }
        }
    }
    Ok(Outcome::Success)
}
