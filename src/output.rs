//! Writing documents: safe file names, no overwrite without `--force`, atomic writes
//! (temporary file + rename) with owner-only permissions, since documents hold PHI.

use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A file name stem made only of `[a-z0-9._-]`, never starting with a dot, so an id such as
/// `../../x` cannot leave the output folder.
pub fn safe_stem(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while s.contains("..") {
        s = s.replace("..", "-");
    }
    let s = s.trim_start_matches(['.', '-']).to_string();
    let s: String = s.chars().take(120).collect();
    if s.is_empty() {
        "document".to_string()
    } else {
        s
    }
}

/// Files that exist already among `paths`, which must not be overwritten without `--force`.
pub fn existing(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths.iter().filter(|p| p.exists()).cloned().collect()
}

/// Refuses when any of `paths` exists and `force` is off.
pub fn check_overwrite(paths: &[PathBuf], force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    let exist = existing(paths);
    if exist.is_empty() {
        return Ok(());
    }
    let list = exist
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    bail!(
        "{list} already exist{}: pass --force to overwrite",
        if exist.len() == 1 { "s" } else { "" }
    )
}

/// Writes `bytes` to `path` atomically: a temporary file beside the target, owner-only
/// (0600) from its creation, then renamed over the target, so a killed run leaves the old
/// file or none. The temporary file sits in the target's own folder because a rename within
/// one folder does not take the lock that renames across folders share for the whole file
/// system, which parallel writers would queue on. There is no fsync: it would cost a disk
/// flush per document in a month's batch, and a rerun after a power loss re-renders
/// whatever the manifest cannot vouch for.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    create_private_dir(folder_of(path))?;
    replace_file(path, bytes)
}

/// Writes `bytes` to `path` atomically, as `write_atomic` does, into a folder known to exist
/// and to be private already, sparing a look at the folder per file.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = folder_of(path);
    // tempfile creates the file with mode 0600 on Unix, so it is private from the start.
    let mut tmp = tempfile::Builder::new()
        .prefix(".claimwright-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot move the finished file to {}", path.display()))?;
    Ok(())
}

/// The folder `path` is in; the current one for a bare name.
fn folder_of(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Writes every file or none: all contents go to temporary files first, and only when every
/// one is complete are they moved into place, so a full disk or a failed write leaves all
/// targets as they were.
pub fn write_all_atomic(files: &[(PathBuf, &[u8])]) -> Result<()> {
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        create_private_dir(dir)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".claimwright-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
        tmp.write_all(bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        staged.push((tmp, path));
    }
    // A folder in a file's place would stop its move after others had landed.
    if let Some((_, path)) = staged.iter().find(|(_, p)| p.is_dir()) {
        bail!("cannot write {}: a folder has that name", path.display());
    }
    for (tmp, path) in staged {
        tmp.persist(path)
            .map_err(|e| e.error)
            .with_context(|| format!("cannot move the finished file to {}", path.display()))?;
    }
    Ok(())
}

/// Creates `dir` (and parents) readable by the owner only; a folder that already exists is
/// tightened to owner-only, since what claimwright writes into it is health information.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if let Ok(meta) = std::fs::metadata(dir)
        && meta.is_dir()
    {
        return tighten(dir, &meta);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .with_context(|| format!("cannot create {}", dir.display()))
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))
    }
}

/// Takes group and other permissions off an existing folder.
fn tighten(dir: &Path, meta: &std::fs::Metadata) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode & 0o700))
                .with_context(|| format!("cannot make {} private to its owner", dir.display()))?;
        }
    }
    #[cfg(not(unix))]
    let _ = (dir, meta);
    Ok(())
}

/// The lock file claimwright holds in a folder while it writes there.
pub const LOCK_FILE: &str = ".claimwright.lock";

/// An exclusive lock on a folder: held until dropped (or the process ends, however it ends).
#[derive(Debug)]
pub struct FolderLock {
    _file: std::fs::File,
}

/// Locks the existing folder `dir` against other claimwright runs, waiting up to `wait` for
/// one that holds it.
pub fn lock_folder(dir: &Path, wait: std::time::Duration) -> Result<FolderLock> {
    let path = dir.join(LOCK_FILE);
    let mut options = std::fs::OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    let start = std::time::Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(FolderLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) if start.elapsed() < wait => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "another claimwright is writing to {}: wait for it to finish, then run again",
                dir.display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()));
            }
        }
    }
}

/// Lowercase hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    lower_hex(&Sha256::digest(bytes))
}

/// The SHA-256 state after a run of first bytes that many files share (a PDF's header and
/// embedded fonts), so that each file's hash only reads what follows them.
#[derive(Clone, Debug)]
pub struct DigestHead {
    len: usize,
    state: sha2::Sha256,
}

impl DigestHead {
    /// The state after `prefix`.
    pub fn new(prefix: &[u8]) -> DigestHead {
        use sha2::Digest;
        DigestHead {
            len: prefix.len(),
            state: sha2::Sha256::new_with_prefix(prefix),
        }
    }

    /// How many bytes the state has read.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the state has read nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// A hasher that has read the head, to be given what follows it.
    pub fn hasher(&self) -> sha2::Sha256 {
        self.state.clone()
    }
}

/// Lowercase hex of a digest.
pub fn lower_hex(digest: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(2 * digest.len());
    for &b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_after_a_shared_head_is_the_hash_of_the_whole_file() {
        use sha2::Digest;
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        // Heads shorter and longer than a SHA-256 block.
        for head_len in [0, 1, 63, 64, 65, 1000] {
            let file: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 251) as u8).collect();
            let head = DigestHead::new(&file[..head_len]);
            assert_eq!(head.len(), head_len);
            let rest = head.hasher().chain_update(&file[head_len..]).finalize();
            assert_eq!(lower_hex(&rest), sha256_hex(&file));
        }
    }

    #[test]
    fn stems_cannot_escape() {
        assert_eq!(safe_stem("../../x"), "x");
        assert_eq!(safe_stem("2026-11-03-jane-doe"), "2026-11-03-jane-doe");
        assert_eq!(safe_stem("a/b\\c"), "a-b-c");
        assert_eq!(safe_stem(".hidden"), "hidden");
        assert_eq!(safe_stem(""), "document");
        assert!(!safe_stem("..").contains(".."));
    }

    #[test]
    fn atomic_write_is_private_and_refuses_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/doc.md");
        write_atomic(&path, b"one").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(check_overwrite(std::slice::from_ref(&path), false).is_err());
        assert!(check_overwrite(std::slice::from_ref(&path), true).is_ok());
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[cfg(unix)]
    #[test]
    fn existing_folders_are_tightened() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let open = dir.path().join("open");
        std::fs::create_dir(&open).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o755)).unwrap();
        create_private_dir(&open).unwrap();
        let mode = std::fs::metadata(&open).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }

    #[test]
    fn a_second_lock_waits_then_refuses() {
        let dir = tempfile::tempdir().unwrap();
        let first = lock_folder(dir.path(), std::time::Duration::ZERO).unwrap();
        let err = lock_folder(dir.path(), std::time::Duration::from_millis(120)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("another claimwright is writing to"),
            "{err}"
        );
        drop(first);
        assert!(lock_folder(dir.path(), std::time::Duration::ZERO).is_ok());
    }
}
