//! The batch journal: a line appended as each file and each document lands, so that the
//! manifest plus the journal always describe what is on disk, even after a kill between the
//! two. The journal is folded into the manifest when a run starts and when it ends.

use super::manifest::{Entry, FileHash};
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

/// The journal's file name inside the month's folder.
pub const JOURNAL: &str = ".manifest.journal";

/// One line of the journal.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    /// A file is about to be moved into place with this content: written before the move,
    /// so a kill between the two leaves a file the journal vouches for.
    Writing(FileHash),
    /// A document is finished: its entry as the manifest will hold it.
    Done(Box<Entry>),
}

/// What a journal left by an earlier run says.
#[derive(Debug, Default)]
pub struct Recovered {
    /// Entries of documents that run finished, by kind and name.
    pub entries: HashMap<(String, String), Entry>,
    /// Contents (path, SHA-256) that run wrote or was about to write.
    pub written: HashSet<(String, String)>,
}

/// Reads the journal in `out_dir`; a line cut short by a kill is ignored.
pub fn recover(out_dir: &Path) -> Recovered {
    let mut out = Recovered::default();
    let Ok(text) = std::fs::read_to_string(out_dir.join(JOURNAL)) else {
        return out;
    };
    for line in text.lines() {
        match serde_json::from_str::<Line>(line) {
            Ok(Line::Writing(f)) => {
                out.written.insert((f.path, f.sha256));
            }
            Ok(Line::Done(entry)) => {
                for o in &entry.outputs {
                    out.written.insert((o.path.clone(), o.sha256.clone()));
                }
                out.entries
                    .insert((entry.kind.clone(), entry.name.clone()), *entry);
            }
            Err(_) => {}
        }
    }
    out
}

/// The journal being appended to by this run's writer.
pub struct Journal {
    file: std::fs::File,
}

impl Journal {
    /// Opens (or creates) the journal in `out_dir` for appending.
    pub fn open(out_dir: &Path) -> Result<Journal> {
        let path = out_dir.join(JOURNAL);
        let mut options = std::fs::OpenOptions::new();
        options.create(true).append(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        Ok(Journal { file })
    }

    /// Appends `lines` in one write, so that a kill leaves at most the last line cut short.
    pub fn append(&self, lines: &[Line]) -> Result<()> {
        if lines.is_empty() {
            return Ok(());
        }
        let mut text = Vec::with_capacity(256 * lines.len());
        for line in lines {
            serde_json::to_writer(&mut text, line)?;
            text.push(b'\n');
        }
        (&self.file)
            .write_all(&text)
            .context("cannot append to the batch journal")
    }
}

/// Removes the journal once the manifest holds everything it said.
pub fn remove(out_dir: &Path) {
    let _ = std::fs::remove_file(out_dir.join(JOURNAL));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::commands::batch::manifest::{Outcome, Status};

    fn entry(name: &str, sha: &str) -> Entry {
        Entry {
            kind: "soap_note".into(),
            name: name.into(),
            status: Status::Rendered,
            outcome: Outcome::Rendered,
            inputs: vec![],
            template: FileHash {
                path: "t".into(),
                sha256: "x".into(),
            },
            data_sha256: "d".into(),
            claimwright_version: "0".into(),
            outputs: vec![FileHash {
                path: format!("soap_note/{name}.md"),
                sha256: sha.into(),
            }],
            findings: vec![],
            held: vec![],
        }
    }

    #[test]
    fn lines_round_trip_and_a_cut_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(dir.path()).unwrap();
        let writing = Line::Writing(FileHash {
            path: "soap_note/a.md".into(),
            sha256: "aaa".into(),
        });
        j.append(&[writing, Line::Done(Box::new(entry("b", "bbb")))])
            .unwrap();
        drop(j);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join(JOURNAL))
            .unwrap();
        f.write_all(b"{\"done\":{\"kind\":\"soap").unwrap();
        let r = recover(dir.path());
        assert!(r.written.contains(&("soap_note/a.md".into(), "aaa".into())));
        assert!(r.written.contains(&("soap_note/b.md".into(), "bbb".into())));
        assert_eq!(r.entries.len(), 1);
        assert!(r.entries.contains_key(&("soap_note".into(), "b".into())));
        remove(dir.path());
        assert!(recover(dir.path()).entries.is_empty());
    }
}
