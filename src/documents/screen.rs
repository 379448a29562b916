//! Which findings concern a document and whether they refuse it: looked up through an index
//! built once per run, so screening a document costs its own files, not the whole practice.

use crate::findings::{self, Finding, Severity};
use std::collections::HashMap;

pub use crate::findings::catalog::Topic;

/// Every topic: what refuses the documents that are not medical records.
pub const ALL_TOPICS: &[Topic] = &[Topic::Record, Topic::Note, Topic::Billing, Topic::Document];

/// The run's findings by file, built once; practice-wide findings (`codes/`) apply to all.
#[derive(Debug, Default)]
pub struct Index {
    by_file: HashMap<String, Vec<Finding>>,
    global: Vec<Finding>,
}

impl Index {
    /// Indexes `all` by file.
    pub fn new(all: &[Finding]) -> Index {
        let mut index = Index::default();
        for f in all {
            if f.file == "codes/" {
                index.global.push(f.clone());
            } else {
                index
                    .by_file
                    .entry(f.file.clone())
                    .or_default()
                    .push(f.clone());
            }
        }
        index
    }

    /// The findings on `file`.
    pub fn on(&self, file: &str) -> &[Finding] {
        self.by_file.get(file).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The errors on `file` whose topic is one of `topics`.
    pub fn errors_on<'a>(
        &'a self,
        file: &str,
        topics: &'a [Topic],
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.on(file)
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .filter(move |f| topics.contains(&crate::findings::catalog::topic(f)))
    }
}

/// The findings that concern `doc`: those on its input files whose topic its kind answers
/// to, practice-wide ones, and its own. Sorted; a warning repeated as an error (a fee that
/// validation warns about and a claim refuses) is kept once, as the error.
pub fn findings_for(index: &Index, doc: &super::Prepared) -> Vec<Finding> {
    let topics = doc.kind.refused_by;
    let mut out: Vec<Finding> = doc
        .inputs
        .iter()
        .flat_map(|file| index.on(file))
        .chain(&index.global)
        .filter(|f| topics.contains(&crate::findings::catalog::topic(f)))
        .cloned()
        .collect();
    out.extend(doc.findings.iter().cloned());
    tidy(&mut out);
    out
}

/// Sorts, removes duplicates, and drops a warning that the same place also has as an error.
pub fn tidy(out: &mut Vec<Finding>) {
    findings::sort(out);
    out.dedup();
    let errors: Vec<(&'static str, String, Option<String>)> = out
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.code, f.file.clone(), f.field.clone()))
        .collect();
    if errors.is_empty() {
        return;
    }
    out.retain(|f| {
        f.severity == Severity::Error
            || !errors
                .iter()
                .any(|(c, file, field)| *c == f.code && *file == f.file && *field == f.field)
    });
}
