//! `claimwright init DIR`: writes the built-in example practice to a new folder.

use super::Outcome;
use anyhow::{Context, Result, bail};
use include_dir::{Dir, include_dir};
use std::path::Path;

/// The example practice, embedded at build time.
static EXAMPLE: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/examples/harbor-street");

/// Writes the example practice to `dir`, refusing a folder that already has files in it.
pub fn run(dir: &Path, quiet: bool) -> Result<Outcome> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a folder", dir.display());
        }
        let mut entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        if entries.next().is_some() {
            bail!(
                "{} is not empty: choose a new or empty folder, so nothing is overwritten",
                dir.display()
            );
        }
    }
    write_dir(&EXAMPLE, dir)?;
    if !quiet {
        println!(
            "Wrote the example practice to {}. Next: claimwright validate -C {}",
            dir.display(),
            dir.display()
        );
    }
    Ok(Outcome::Success)
}

/// Writes the folder owner-only: the practice folder is where patients' records will live.
fn write_dir(src: &Dir<'_>, dest: &Path) -> Result<()> {
    crate::output::create_private_dir(dest)?;
    for file in src.files() {
        let target = dest.join(file.path().strip_prefix(src.path()).unwrap_or(file.path()));
        write_private(&target, file.contents())
            .with_context(|| format!("cannot write {}", target.display()))?;
    }
    for sub in src.dirs() {
        let rel = sub.path().strip_prefix(src.path()).unwrap_or(sub.path());
        write_dir(sub, &dest.join(rel))?;
    }
    Ok(())
}

/// Creates `path` readable and writable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(bytes)
}
