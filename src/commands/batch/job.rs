//! One document's turn in a batch: screened, rendered unless its files are current, then
//! handed to the writer; and the files of a refused document retired.

use super::manifest::{self, Entry, FileHash, HeldVisit, ManifestFinding, Status};
use super::practice::Loaded;
use super::writer::{Landing, Pending, Writer};
use crate::documents::Prepared;
use crate::findings::{self, Finding};
use crate::output::{self, sha256_hex};
use crate::render::{Format, Renderer, cms1500};
use anyhow::Result;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// What every job shares.
pub(super) struct Job<'a> {
    pub loaded: &'a Loaded,
    pub renderer: &'a Renderer<'a>,
    pub formats: &'a [Format],
    pub out_dir: &'a Path,
    pub old: &'a HashMap<(String, String), Entry>,
    pub written: &'a HashSet<(String, String)>,
    pub writer: &'a Writer,
    pub hashes: &'a HashMap<String, String>,
    pub force: bool,
    pub existing: &'a BTreeSet<String>,
}

impl Job<'_> {
    /// Screens, renders and writes one document; never fails for a refusal.
    pub fn process(&self, mut doc: Prepared) -> Result<Entry> {
        let formats = self.renderer.formats_for(&doc, self.formats);
        let found = self.loaded.screen(self.renderer, &doc, &formats);
        self.loaded.held(&mut doc);
        let mut entry = self.entry(&doc, &formats, &found);
        if findings::has_errors(&found) {
            return self.refused(&doc, entry);
        }
        if let Some(prev) = self.current(&entry) {
            entry.outputs = prev.outputs.clone();
            return Ok(entry);
        }
        let rendered = match self.renderer.render(&doc, &formats) {
            Ok(r) => r,
            Err(failure) => {
                entry.findings.push(ManifestFinding::from(&failure));
                return self.refused(&doc, entry);
            }
        };
        let (entry, files) = self.compare(&doc, rendered, entry);
        if entry.outcome != manifest::Outcome::Unchanged {
            self.writer.send(Landing {
                files,
                done: Some(entry.clone()),
            })?;
        }
        Ok(entry)
    }

    /// Refuses `doc`: retires what an earlier run wrote for it and journals the refusal.
    fn refused(&self, doc: &Prepared, mut entry: Entry) -> Result<Entry> {
        entry.refuse();
        self.retire(doc);
        self.writer.send(Landing {
            files: Vec::new(),
            done: Some(entry.clone()),
        })?;
        Ok(entry)
    }

    /// The entry of `doc` before anything is written.
    fn entry(&self, doc: &Prepared, formats: &[Format], found: &[Finding]) -> Entry {
        let inputs: Vec<FileHash> = doc
            .depends
            .iter()
            .map(|f| FileHash {
                path: f.clone(),
                sha256: self.hashes.get(f).cloned().unwrap_or_default(),
            })
            .collect();
        let template = FileHash {
            path: doc
                .kind
                .template
                .map(|t| t.file)
                .unwrap_or(cms1500::GRID_FILE)
                .to_string(),
            sha256: match doc.kind.template {
                Some(_) => self.renderer.engine.template_hash(doc.kind).to_string(),
                None => sha256_hex(cms1500::GRID_TSV.as_bytes()),
            },
        };
        let data_sha256 = {
            use sha2::Digest;
            let mut hash = sha2::Sha256::new();
            doc.data().hash_into(&mut hash);
            hash.update(format!("\n{formats:?}\n{}", template.sha256));
            output::lower_hex(&hash.finalize())
        };
        Entry {
            kind: doc.kind.name.to_string(),
            name: doc.name.clone(),
            status: Status::Rendered,
            outcome: manifest::Outcome::Unchanged,
            inputs,
            template,
            data_sha256,
            claimwright_version: env!("CARGO_PKG_VERSION").to_string(),
            outputs: Vec::new(),
            findings: found.iter().map(ManifestFinding::from).collect(),
            held: doc
                .held
                .iter()
                .map(|h| HeldVisit {
                    session: h.session.clone(),
                    findings: h.findings.iter().map(ManifestFinding::from).collect(),
                })
                .collect(),
        }
    }

    /// The previous entry, when it rendered the same data and its files are untouched.
    fn current(&self, entry: &Entry) -> Option<&Entry> {
        let prev = self.old.get(&(entry.kind.clone(), entry.name.clone()))?;
        let same = prev.status == Status::Rendered
            && prev.data_sha256 == entry.data_sha256
            && prev.claimwright_version == entry.claimwright_version
            && prev.outputs.iter().all(|o| {
                std::fs::read(self.out_dir.join(&o.path)).is_ok_and(|b| sha256_hex(&b) == o.sha256)
            });
        same.then_some(prev)
    }

    /// The rendered files that differ from what is on disk, to be written, refusing to
    /// overwrite one changed by hand (the files before it are still written).
    fn compare(
        &self,
        doc: &Prepared,
        rendered: Vec<crate::render::Rendered>,
        mut entry: Entry,
    ) -> (Entry, Vec<Pending>) {
        let key = (entry.kind.clone(), entry.name.clone());
        let mut files = Vec::new();
        for r in rendered {
            let rel = format!(
                "{}/{}.{}",
                doc.kind.name,
                output::safe_stem(&doc.name),
                r.format.extension()
            );
            let sha = r.sha256_hex();
            // The folder listing taken at the start spares a lookup per new file.
            let existing = if self.existing.contains(&rel) {
                std::fs::read(self.out_dir.join(&rel)).ok()
            } else {
                None
            };
            let differs = match existing {
                // Identical bytes already there (a rerun after a kill): keep the file.
                Some(existing) if sha256_hex(&existing) == sha => false,
                Some(existing) => {
                    let ours = self
                        .old
                        .get(&key)
                        .and_then(|prev| prev.outputs.iter().find(|o| o.path == rel))
                        .is_some_and(|o| o.sha256 == sha256_hex(&existing))
                        || self.written.contains(&(rel.clone(), sha256_hex(&existing)));
                    if !ours && !self.force {
                        entry.refuse();
                        entry.findings.push(ManifestFinding::from(&Finding::error(
                            "output.modified",
                            rel.clone(),
                            "the file was changed since claimwright wrote it: move your edits elsewhere, or pass --force to overwrite".to_string(),
                        )));
                        return (entry, files);
                    }
                    true
                }
                None => true,
            };
            if differs {
                files.push(Pending {
                    rel: rel.clone(),
                    sha256: sha.clone(),
                    bytes: r.bytes,
                });
            }
            entry.outputs.push(FileHash {
                path: rel,
                sha256: sha,
            });
        }
        entry.outcome = if files.is_empty() {
            manifest::Outcome::Unchanged
        } else {
            manifest::Outcome::Rendered
        };
        (entry, files)
    }

    /// Removes the files an earlier run wrote for a document now refused, so nothing stale
    /// looks current; a file changed by hand since is left alone.
    fn retire(&self, doc: &Prepared) {
        let key = (doc.kind.name.to_string(), doc.name.clone());
        let Some(prev) = self.old.get(&key) else {
            return;
        };
        for o in &prev.outputs {
            let path = self.out_dir.join(&o.path);
            if std::fs::read(&path).is_ok_and(|b| sha256_hex(&b) == o.sha256) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}
