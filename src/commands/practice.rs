//! The practice as the document commands see it: found, loaded, checked and indexed once,
//! then each document screened in explicit steps (its findings, the renderer's checks, its
//! hooks, the lines of what they found).

use crate::cli::GlobalArgs;
use crate::documents::screen::{self, Index};
use crate::documents::{Prepared, Scope};
use crate::findings::Finding;
use crate::load::{self, PracticeData};
use crate::render::{Format, Renderer, cms1500};
use anyhow::Result;
use chrono::NaiveDate;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The practice folder named by `-C`, or found from the current folder, as an absolute path
/// so that every path joined to it (hooks, templates) means the same from any folder.
pub fn root(g: &GlobalArgs) -> Result<PathBuf> {
    let cwd = std::env::current_dir()?;
    let root = load::find_root(g.practice.as_deref(), &cwd)?;
    Ok(root.canonicalize().unwrap_or(root))
}

/// Loads the practice and runs every rule. Hooks are not run here: `validate` runs the
/// `soap_note` hooks on every session, and each render runs its own document's hooks.
pub fn load_and_check(root: &Path, as_of: NaiveDate) -> (PracticeData, Vec<Finding>) {
    let (data, mut findings) = load::load(root);
    crate::rules::check_all(&data, as_of, &mut findings);
    findings.extend(crate::documents::check_hook_kinds(&data));
    load::locate_findings(root, &mut findings);
    crate::findings::sort(&mut findings);
    (data, findings)
}

/// A loaded and checked practice.
#[derive(Debug)]
pub struct Loaded {
    /// The date "today" means.
    pub as_of: NaiveDate,
    /// The records.
    pub data: PracticeData,
    /// Every finding of the load and the rules, sorted and located.
    pub findings: Vec<Finding>,
    /// The same findings by file.
    pub index: Index,
}

impl Loaded {
    /// Loads `root` and runs every rule.
    pub fn new(root: &Path, as_of: NaiveDate) -> Loaded {
        let (data, findings) = load_and_check(root, as_of);
        let index = Index::new(&findings);
        Loaded {
            as_of,
            data,
            findings,
            index,
        }
    }

    /// The scope documents are prepared in.
    pub fn scope(&self, month: Option<NaiveDate>) -> Scope<'_> {
        Scope {
            as_of: self.as_of,
            month,
            findings: &self.index,
        }
    }

    /// How the practice prints its claims in `mode`.
    pub fn claim_form(&self, mode: cms1500::Mode) -> cms1500::Options {
        let (x, y) = self
            .data
            .practice()
            .map(|p| (p.claim_form.offset_x_inches, p.claim_form.offset_y_inches))
            .unwrap_or((0.0, 0.0));
        cms1500::Options {
            mode,
            offsets: cms1500::Offsets {
                x_inches: x,
                y_inches: y,
            },
        }
    }

    /// Every finding about `doc`: those of its files its kind answers to, what the renderer
    /// knows before rendering, and what the practice's hooks say; located and sorted.
    pub fn screen(
        &self,
        renderer: &Renderer<'_>,
        doc: &Prepared,
        formats: &[Format],
    ) -> Vec<Finding> {
        let mut found = screen::findings_for(&self.index, doc);
        found.extend(renderer.check(doc, formats));
        if let Some(practice) = self.data.practice() {
            found.extend(crate::hooks::run_all(
                &self.data.root,
                &practice.hooks,
                doc.kind.name,
                &doc.data(),
                &doc.source,
            ));
        }
        load::locate_findings(&self.data.root, &mut found);
        screen::tidy(&mut found);
        found
    }

    /// Screens `doc` and prints its findings and the visits held off it (their lines
    /// located); returns the findings and whether a visit is held.
    pub fn screen_and_report(
        &self,
        renderer: &Renderer<'_>,
        doc: &mut Prepared,
        formats: &[Format],
    ) -> (Vec<Finding>, bool) {
        let found = self.screen(renderer, doc, formats);
        // Practice-wide findings were printed once, before the documents.
        let own: Vec<Finding> = found
            .iter()
            .filter(|f| f.file != "codes/")
            .cloned()
            .collect();
        if !own.is_empty() {
            report(&own);
        }
        self.held(doc);
        for h in &doc.held {
            report(&h.findings);
            eprintln!(
                "held: visit {} is kept off {} {} until the errors above are fixed",
                h.session, doc.kind.name, doc.name
            );
        }
        (found, !doc.held.is_empty())
    }

    /// Prints the practice-wide findings (an ICD-10-CM edition missing...) once.
    pub fn report_practice_wide(&self) {
        let global: Vec<Finding> = self
            .findings
            .iter()
            .filter(|f| f.file == "codes/")
            .cloned()
            .collect();
        if !global.is_empty() {
            report(&global);
        }
    }

    /// The held visits of `doc`, their findings located.
    pub fn held(&self, doc: &mut Prepared) {
        for h in &mut doc.held {
            load::locate_findings(&self.data.root, &mut h.findings);
        }
    }
}

/// Prints findings to standard error for people.
pub fn report(found: &[Finding]) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = crate::findings::to_text(found, colour);
    eprint!("{text}");
}

/// Refuses to write `path` when a folder between the practice folder `root` and it is a
/// symbolic link: the practice's records are written only inside the practice folder, never
/// through a link to somewhere else.
pub fn check_inside(root: &Path, path: &Path) -> Result<()> {
    let Ok(rel) = path.strip_prefix(root) else {
        anyhow::bail!("{} is not inside the practice folder", path.display());
    };
    let mut at = root.to_path_buf();
    let folders: Vec<_> = rel
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    for part in folders {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!(
                "{} is a symbolic link: claimwright writes the practice's records only inside the practice folder; replace the link with a folder of the same name",
                at.strip_prefix(root).unwrap_or(&at).display()
            );
        }
    }
    Ok(())
}
