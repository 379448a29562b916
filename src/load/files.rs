//! Walks the practice folder and reads its files without trusting them: symbolic links are
//! never followed, only regular files are opened (a named pipe would block the reader
//! forever), and no read takes more than its folder's size limit.

use crate::codes::icd10::Icd10;
use crate::findings::Finding;
use std::fs::{File, FileType};
use std::io::Read;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Largest record file (practice, payers, patients, sessions, denials): they are a few
/// kilobytes, so anything bigger is a mistake.
pub const RECORD_BYTES: u64 = 256 * 1024;

/// Largest claim of the ledger: fifty lines take about 15 KB.
pub const CLAIM_BYTES: u64 = 1024 * 1024;

/// Largest remittance record: one payment of 10,000 service lines takes about 3 MB.
pub const REMITTANCE_BYTES: u64 = 16 * 1024 * 1024;

/// Largest code table in `codes/`: CMS's order file is about 20 MB.
pub const CODE_TABLE_BYTES: u64 = 64 * 1024 * 1024;

/// Largest template in `templates/`: the built-in ones take a few kilobytes.
pub const TEMPLATE_BYTES: u64 = 1024 * 1024;

/// The size limit of a practice file, by its folder (`path` relative to the practice).
pub fn limit_for(relative: &str) -> u64 {
    match relative.split('/').next().unwrap_or_default() {
        "claims" => CLAIM_BYTES,
        "remittances" => REMITTANCE_BYTES,
        "codes" => CODE_TABLE_BYTES,
        "templates" => TEMPLATE_BYTES,
        _ => RECORD_BYTES,
    }
}

/// Why a file was not read.
#[derive(Debug)]
pub enum Refusal {
    /// A symbolic link, which is not followed.
    Link,
    /// Not a regular file: a named pipe, a device or a socket.
    Special,
    /// A folder.
    Folder,
    /// Larger than its limit (the size seen, the limit).
    TooLarge(u64, u64),
    /// The system refused.
    Io(std::io::Error),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Link => f.write_str("a symbolic link, which is not followed"),
            Refusal::Special => f.write_str("not a regular file"),
            Refusal::Folder => f.write_str("a folder"),
            Refusal::TooLarge(size, limit) => write!(f, "{size} bytes, over the {limit} allowed"),
            Refusal::Io(e) => write!(f, "{e}"),
        }
    }
}

/// The bytes of the regular file at `path`, at most `limit` of them. Nothing is opened
/// unless the path itself (not a link) names a regular file.
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, Refusal> {
    let meta = std::fs::symlink_metadata(path).map_err(Refusal::Io)?;
    if let Some(refusal) = refusal_for(meta.file_type()) {
        return Err(refusal);
    }
    if meta.len() > limit {
        return Err(Refusal::TooLarge(meta.len(), limit));
    }
    let file = open_no_follow(path)?;
    // The path may have been swapped since it was looked at: check what was opened.
    let meta = file.metadata().map_err(Refusal::Io)?;
    if let Some(refusal) = refusal_for(meta.file_type()) {
        return Err(refusal);
    }
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(Refusal::Io)?;
    if bytes.len() as u64 > limit {
        return Err(Refusal::TooLarge(bytes.len() as u64, limit));
    }
    Ok(bytes)
}

fn refusal_for(kind: FileType) -> Option<Refusal> {
    if kind.is_symlink() {
        Some(Refusal::Link)
    } else if kind.is_dir() {
        Some(Refusal::Folder)
    } else if !kind.is_file() {
        Some(Refusal::Special)
    } else {
        None
    }
}

/// Opens `path` for reading, refusing a final symbolic link, and without waiting on a named
/// pipe that took the file's place since it was looked at.
#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<File, Refusal> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    match rustix::fs::open(path, flags, Mode::empty()) {
        Ok(fd) => Ok(File::from(fd)),
        Err(rustix::io::Errno::LOOP) => Err(Refusal::Link),
        Err(e) => Err(Refusal::Io(e.into())),
    }
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Result<File, Refusal> {
    File::open(path).map_err(Refusal::Io)
}

/// Reads a practice file as text, or says why it cannot be read.
pub fn read_text(root: &Path, path: &Path) -> Result<String, Finding> {
    let file = super::relative(root, path);
    let bytes = read_capped(path, limit_for(&file)).map_err(|refusal| refused(&file, refusal))?;
    decode(&file, bytes)
}

/// The finding for a file that was not read.
pub(super) fn refused(file: &str, refusal: Refusal) -> Finding {
    match refusal {
        Refusal::TooLarge(size, limit) => Finding::error(
            "file.too_large",
            file,
            format!(
                "the file is {size} bytes, more than the {limit} a file of this folder may hold: split it or remove what does not belong"
            ),
        ),
        other => Finding::error("file.unreadable", file, unreadable_message(&other)),
    }
}

/// A file's bytes as text, or the finding that says they are not UTF-8.
pub(super) fn decode(file: &str, bytes: Vec<u8>) -> Result<String, Finding> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        Finding::error(
            "file.encoding",
            file,
            "the file is not UTF-8 text: save it as UTF-8",
        )
        .on_line(Some(line))
    })
}

/// What to do about a file that could not be read at all.
fn unreadable_message(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Folder => {
            "this is a folder, not a file: rename it so it does not end in .yaml".to_string()
        }
        Refusal::Link => {
            "this is a symbolic link, which is not followed: copy the file here instead".to_string()
        }
        Refusal::Special => {
            "this is not a regular file (a named pipe, device or socket): put the file itself here"
                .to_string()
        }
        other => format!("cannot read the file ({other}): check that it exists and is readable"),
    }
}

/// The `file.skipped` finding for a folder entry that is not read, if it is one: a
/// symbolic link named like a file that is read, any symbolic link to a folder, and
/// anything named like a file that is read but is not a regular file or a folder.
fn skipped(root: &Path, path: &Path, kind: FileType, read: bool) -> Option<Finding> {
    let message = if kind.is_symlink() {
        // Looking at the target says whether it is a folder; nothing is opened.
        if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            "a symbolic link to a folder is not followed: move the folder here instead"
        } else if read {
            "symbolic links are not followed: copy the file here instead"
        } else {
            return None;
        }
    } else if read && !kind.is_file() && !kind.is_dir() {
        "this is not a regular file (a named pipe, device or socket), so it is not read: put the file itself here"
    } else {
        return None;
    };
    Some(Finding::warning(
        "file.skipped",
        super::relative(root, path),
        message,
    ))
}

/// The `file.skipped` finding for a top-level folder of the practice that is a symbolic link.
pub fn skipped_folder(root: &Path, name: &str) -> Option<Finding> {
    let path = root.join(name);
    let kind = std::fs::symlink_metadata(&path).ok()?.file_type();
    skipped(root, &path, kind, true)
}

/// The .yaml files under `dir`, sorted, without following links or entering hidden folders.
/// Links, named pipes, devices and sockets are reported as skipped, never opened.
pub fn yaml_files(
    root: &Path,
    dir: &Path,
    recursive: bool,
    findings: &mut Vec<Finding>,
) -> Vec<PathBuf> {
    if std::fs::symlink_metadata(dir).is_err() {
        return Vec::new();
    }
    if let Some(folder) = dir.file_name().and_then(|n| n.to_str())
        && let Some(skip) = skipped_folder(root, folder)
    {
        findings.push(skip);
        return Vec::new();
    }
    let walker = WalkDir::new(dir)
        .follow_links(false)
        .follow_root_links(false)
        .sort_by_file_name()
        .min_depth(1)
        .max_depth(if recursive { 8 } else { 1 });
    let mut files = Vec::new();
    for entry in walker
        .into_iter()
        .filter_entry(|e| !is_hidden(e.file_name()))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let file = e
                    .path()
                    .map(|p| super::relative(root, p))
                    .unwrap_or_default();
                findings.push(Finding::error(
                    "file.unreadable",
                    file,
                    format!("cannot read this folder entry ({e}): check its permissions"),
                ));
                continue;
            }
        };
        let path = entry.path();
        let is_yaml = path.extension().and_then(|e| e.to_str()) == Some("yaml");
        if let Some(skip) = skipped(root, path, entry.file_type(), is_yaml) {
            findings.push(skip);
            continue;
        }
        // Folders named *.yaml are reported by read_text, so they are kept here.
        if is_yaml {
            files.push(path.to_path_buf());
        }
    }
    files
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.'))
}

/// The entries of the top-level folder `name` whose file names `wanted` accepts, sorted,
/// each as a regular file to read or a skipped entry reported in `findings`.
fn folder_files(
    root: &Path,
    name: &str,
    wanted: impl Fn(&str) -> bool,
    findings: &mut Vec<Finding>,
) -> Vec<PathBuf> {
    if let Some(skip) = skipped_folder(root, name) {
        findings.push(skip);
        return Vec::new();
    }
    let Ok(entries) = std::fs::read_dir(root.join(name)) else {
        return Vec::new();
    };
    let mut entries: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(&wanted))
        .collect();
    entries.sort_by_key(|e| e.file_name());
    let mut files = Vec::new();
    for entry in entries {
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        match skipped(root, &entry.path(), kind, true) {
            Some(skip) => findings.push(skip),
            None if kind.is_file() => files.push(entry.path()),
            None => {}
        }
    }
    files
}

/// The practice's templates (`templates/*.md`) that are not read, as `file.skipped`
/// findings: the built-in template of the same name is used instead.
pub fn skipped_templates(root: &Path) -> Vec<Finding> {
    let mut findings = Vec::new();
    folder_files(root, "templates", |n| n.ends_with(".md"), &mut findings);
    for f in &mut findings {
        f.message
            .push_str("; the built-in templates are used instead");
    }
    findings
}

/// The year of a CMS order file name, `icd10cm_order_YYYY.txt`.
fn order_file_year(name: &str) -> Option<u16> {
    name.strip_prefix("icd10cm_order_")
        .and_then(|r| r.strip_suffix(".txt"))
        .and_then(|y| y.parse::<u16>().ok())
}

/// Adds the practice's own ICD-10-CM order files (codes/icd10cm_order_YYYY.txt).
pub fn read_code_files(root: &Path, icd10: &mut Icd10, findings: &mut Vec<Finding>) {
    let wanted = |n: &str| order_file_year(n).is_some();
    for path in folder_files(root, "codes", wanted, findings) {
        let Some(year) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(order_file_year)
        else {
            continue;
        };
        let file = super::relative(root, &path);
        let text = match read_capped(&path, CODE_TABLE_BYTES) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(Refusal::TooLarge(size, limit)) => {
                findings.push(Finding::error(
                    "file.too_large",
                    file,
                    format!("the code table is {size} bytes, more than the {limit} a CMS order file can be: use the CMS file unchanged"),
                ));
                continue;
            }
            Err(refusal) => {
                findings.push(Finding::error(
                    "file.unreadable",
                    file,
                    format!("cannot read the code table ({refusal}): check its permissions"),
                ));
                continue;
            }
        };
        if let Err(e) = icd10.add_order_file(year, &text) {
            findings.push(Finding::error(
                "codes.invalid",
                file,
                format!("{e}: use the CMS icd10cm_order_{year}.txt file unchanged"),
            ));
        }
    }
}
