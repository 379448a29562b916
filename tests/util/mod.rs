//! Code shared by the integration tests: run the binary, copy fixture folders into
//! temporary folders, and read the JSON report of `validate`.

pub mod reading;

use assert_cmd::Command;
use serde::Deserialize;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Output;
use tempfile::TempDir;

/// The date every test passes as `--as-of`: the fixtures' sessions fall in November 2026.
pub const AS_OF: &str = "2026-11-30";

/// The built `claimwright` binary, ready for arguments.
pub fn claimwright() -> Command {
    let mut cmd = Command::cargo_bin("claimwright").expect("the claimwright binary is built");
    // Findings must not depend on the terminal or the user's environment.
    cmd.env("NO_COLOR", "1");
    cmd
}

/// The project's root folder (where Cargo.toml is).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    project_root().join("tests").join("fixtures").join(name)
}

/// An example practice under `examples/`.
pub fn example(name: &str) -> PathBuf {
    project_root().join("examples").join(name)
}

/// A fixture folder copied into a fresh temporary folder, so a test may change it freely.
pub struct Practice {
    /// Kept so the folder lives as long as the test needs it.
    _tmp: TempDir,
    /// The practice folder (holding practice.yaml).
    pub root: PathBuf,
}

impl Practice {
    /// Copies `tests/fixtures/<name>` into a temporary folder.
    pub fn copy_of(name: &str) -> Practice {
        Practice::copy_from(&fixture(name))
    }

    /// Copies any folder into a temporary folder.
    pub fn copy_from(source: &Path) -> Practice {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path().join("practice");
        copy_dir(source, &root);
        Practice { _tmp: tmp, root }
    }

    /// The absolute path of a practice-relative path.
    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// Writes `bytes` to a practice-relative path, creating folders as needed.
    pub fn write(&self, relative: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create the parent folder");
        }
        std::fs::write(&path, bytes).expect("write the file");
    }
}

/// Copies a folder tree, files and all (hidden ones included).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the destination folder");
    for entry in std::fs::read_dir(from).expect("read the source folder") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        let kind = entry.file_type().expect("the entry's type");
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("read a folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if path.file_name().is_some_and(|n| n == ".claimwright.lock") {
                // The lock a run holds while it writes: a control file, not an output.
                continue;
            } else {
                let rel = path.strip_prefix(base).expect("under the base folder");
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// One finding as `validate --format json` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// `error` or `warning`.
    pub severity: String,
    /// The stable finding code.
    pub code: String,
    /// Practice-relative file.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Field path, when the finding is about one field.
    pub field: Option<String>,
    /// What is wrong and what to do.
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let line = self
            .line
            .map(|l| l.to_string())
            .unwrap_or_else(|| "-".into());
        let field = self.field.as_deref().unwrap_or("-");
        write!(
            f,
            "{} {} {}:{} [{}] {}",
            self.severity, self.code, self.file, line, field, self.message
        )
    }
}

/// The whole JSON report of `validate --format json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    /// Number of error findings.
    pub errors: usize,
    /// Number of warning findings.
    pub warnings: usize,
    /// Every finding, sorted by file and line.
    pub findings: Vec<Finding>,
}

impl Report {
    /// Parses the report from a command's standard output.
    pub fn parse(stdout: &[u8]) -> Report {
        let text = String::from_utf8_lossy(stdout);
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("validate --format json printed no report ({e}):\n{text}"))
    }

    /// The findings about one practice-relative file.
    pub fn in_file(&self, file: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.file == file).collect()
    }

    /// The findings with one code.
    pub fn with_code(&self, code: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.code == code).collect()
    }

    /// Every finding, one per line, for assertion messages.
    pub fn listing(&self) -> String {
        self.findings
            .iter()
            .map(|f| format!("  {f}\n"))
            .collect::<String>()
    }
}

/// The outcome of one run: exit code, standard output and standard error.
pub struct Run {
    /// The process exit code (None when killed by a signal).
    pub code: Option<i32>,
    /// Standard output as text.
    pub stdout: String,
    /// Standard error as text.
    pub stderr: String,
}

impl Run {
    fn from(output: Output) -> Run {
        Run {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Fails the test unless the run ended with `code`, and never with a panic.
    pub fn expect_code(&self, code: i32) -> &Run {
        assert!(
            !self.stderr.contains("panicked"),
            "claimwright panicked:\n{}",
            self.stderr
        );
        assert_eq!(
            self.code,
            Some(code),
            "unexpected exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// The JSON report on standard output.
    pub fn report(&self) -> Report {
        Report::parse(self.stdout.as_bytes())
    }
}

/// Runs claimwright with `args` in the current folder `cwd`.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    let output = claimwright()
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("claimwright runs");
    Run::from(output)
}

/// Runs claimwright with `args` from the project root.
pub fn run(args: &[&str]) -> Run {
    run_in(&project_root(), args)
}

/// `claimwright <args...> -C <root> --as-of <as_of> --out <out>`, from the project root.
pub fn run_at(root: &Path, out: &Path, as_of: &str, args: &[&str]) -> Run {
    let mut full: Vec<&str> = args.to_vec();
    full.extend_from_slice(&[
        "-C",
        root.to_str().expect("a UTF-8 path"),
        "--as-of",
        as_of,
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    run(&full)
}

/// `validate -C <root> --as-of AS_OF --format json <extra...>`.
pub fn validate_json(root: &Path, extra: &[&str]) -> Run {
    let root = root.to_str().expect("a UTF-8 path");
    let mut args = vec!["validate", "-C", root, "--as-of", AS_OF, "--format", "json"];
    args.extend_from_slice(extra);
    run(&args)
}

/// A text file the run wrote, read whole; the test fails naming the path when it cannot be.
pub fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[path = "../../src/render/pdf/lopdf_text.rs"]
mod lopdf_text;

/// A PDF parsed so that lopdf can read its text (see `lopdf_text`).
pub use lopdf_text::readable as load_pdf;

/// `load_pdf` of a file.
pub fn load_pdf_file(path: &Path) -> lopdf::Document {
    load_pdf(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// The text of every page of a PDF with its whitespace collapsed: lines wrap anywhere, so a
/// phrase is searched whole.
pub fn pdf_words(bytes: &[u8]) -> String {
    let doc = load_pdf(bytes);
    let pages: Vec<u32> = (1..=doc.get_pages().len() as u32).collect();
    doc.extract_text(&pages)
        .expect("the PDF's text")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
