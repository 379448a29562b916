//! Nothing lost under kills and races: killed batches followed by an edit rerun to the same
//! bytes as a clean run, two writers on one folder, documents whose source is gone, and
//! `render` writing every format of a document or none.

use crate::util::{AS_OF, Practice, example, files_under, run, run_at};
use std::fs::File;
use std::path::Path;
use std::time::{Duration, Instant};

fn batch(root: &Path, out: &Path, extra: &[&str]) -> crate::util::Run {
    let mut args = vec!["batch", "--month", "2026-11"];
    args.extend_from_slice(extra);
    run_at(root, out, AS_OF, &args)
}

/// Every file under `dir` with its bytes.
fn contents(dir: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// A small deterministic generator, seeded from the clock and printed, so a failure can be
/// replayed by setting `CLAIMWRIGHT_KILL_SEED`.
fn seed() -> u64 {
    let seed = std::env::var("CLAIMWRIGHT_KILL_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(7, |d| d.as_nanos() as u64)
        });
    println!("kill seed {seed}");
    seed
}

fn next(state: &mut u64) -> u64 {
    // xorshift64: enough to spread the kill points.
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Starts a batch and kills it (SIGKILL) once `after` files of the month are on disk.
fn kill_after(practice: &Path, out: &Path, after: usize) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("claimwright"))
        .args(["batch", "--month", "2026-11", "--as-of", AS_OF, "-q"])
        .arg("-C")
        .arg(practice)
        .arg("--out")
        .arg(out)
        .spawn()
        .unwrap();
    let month = out.join("2026-11");
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(60) {
        if month.is_dir() && files_under(&month).len() >= after {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let _ = child.kill();
    child.wait().unwrap();
}

#[test]
fn killed_batches_then_an_edit_rerun_to_the_bytes_of_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let practice = dir.path().join("practice");
    claimwright::synthetic::write_practice(&practice, 600).unwrap();
    let out = dir.path().join("out");
    let mut state = seed() | 1;
    // Three kills at random points of the run (about 1,800 files when complete).
    for _ in 0..3 {
        let after = 20 + (next(&mut state) % 1500) as usize;
        kill_after(&practice, &out, after);
    }
    // Edit records whose documents the killed runs had written: every session's note
    // changes, and so does a patient's summary.
    let sessions = practice.join("sessions/2026-11");
    for entry in std::fs::read_dir(&sessions).unwrap().take(300) {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let edited = text.replacen("subjective: \"", "subjective: \"Edited after the kill. ", 1);
        assert_ne!(text, edited, "{path:?} has a subjective line");
        std::fs::write(&path, edited).unwrap();
    }
    let r = run_at(
        &practice,
        &out,
        AS_OF,
        &["batch", "--month", "2026-11", "-q"],
    );
    r.expect_code(0);
    assert!(!r.stdout.contains("output.modified"), "{}", r.stdout);
    let clean = dir.path().join("clean");
    run_at(
        &practice,
        &clean,
        AS_OF,
        &["batch", "--month", "2026-11", "-q"],
    )
    .expect_code(0);
    let (ours, theirs) = (
        contents(&out.join("2026-11")),
        contents(&clean.join("2026-11")),
    );
    assert_eq!(ours.len(), theirs.len());
    for ((a, x), (b, y)) in ours.iter().zip(&theirs) {
        assert_eq!(a, b);
        assert!(x == y, "{a} differs from a clean run");
    }
    assert!(!out.join("2026-11/.manifest.journal").exists());
}

#[test]
fn a_second_writer_on_the_same_folder_waits_then_exits_2() {
    let out = tempfile::tempdir().unwrap();
    let month = out.path().join("2026-11");
    std::fs::create_dir_all(&month).unwrap();
    let lock = File::create(month.join(".claimwright.lock")).unwrap();
    lock.lock().unwrap();
    let r = batch(&example("harbor-street"), out.path(), &["-q"]);
    r.expect_code(2);
    assert!(
        r.stderr.contains("another claimwright is writing to"),
        "{}",
        r.stderr
    );
    assert_eq!(files_under(&month), Vec::<String>::new(), "nothing written");
    drop(lock);
    batch(&example("harbor-street"), out.path(), &["-q"]).expect_code(0);
}

#[test]
fn ledger_writers_take_turns() {
    let p = Practice::copy_from(&example("harbor-street"));
    let lock = File::create(p.path(".claimwright.lock")).unwrap();
    lock.lock().unwrap();
    let before = files_under(&p.path("claims"));
    let r = run(&[
        "claims",
        "prepare",
        "--month",
        "2026-11",
        "-C",
        p.root.to_str().unwrap(),
        "--as-of",
        AS_OF,
    ]);
    r.expect_code(2);
    assert!(r.stderr.contains("another claimwright is writing to"));
    assert_eq!(files_under(&p.path("claims")), before);
    // Listing does not write, so it does not wait.
    run(&["claims", "-C", p.root.to_str().unwrap(), "--as-of", AS_OF]).expect_code(0);
}

#[test]
fn documents_whose_source_is_gone_or_superseded_are_retired() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    batch(&p.root, out.path(), &["-q"]).expect_code(0);
    let month = out.path().join("2026-11");
    let note = "soap_note/2026-11-03-david-nguyen";
    assert!(month.join(format!("{note}.pdf")).exists());
    std::fs::remove_file(p.path("sessions/2026-11/2026-11-03-david-nguyen.yaml")).unwrap();
    let r = batch(&p.root, out.path(), &[]);
    r.expect_code(0);
    assert!(
        r.stdout
            .contains("retired: 1 document(s) whose source is gone or superseded"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("soap_note 2026-11-03-david-nguyen"));
    let left: Vec<String> = files_under(&month)
        .into_iter()
        .filter(|f| f.starts_with(note))
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let manifest = std::fs::read_to_string(month.join("manifest.json")).unwrap();
    assert!(!manifest.contains("2026-11-03-david-nguyen\""));
    // A later --as-of supersedes the summaries made as of the earlier date.
    let summaries = |m: &Path| -> Vec<String> {
        files_under(m)
            .into_iter()
            .filter(|f| f.starts_with("summary/"))
            .collect()
    };
    assert!(summaries(&month).iter().all(|f| f.contains(AS_OF)));
    run_at(
        &p.root,
        out.path(),
        "2026-12-01",
        &["batch", "--month", "2026-11", "-q"],
    );
    let now = summaries(&month);
    assert!(!now.is_empty());
    assert!(now.iter().all(|f| f.contains("2026-12-01")), "{now:?}");
}

#[test]
fn render_writes_every_format_of_a_document_or_none() {
    let out = tempfile::tempdir().unwrap();
    let pdf = out.path().join("soap_note/2026-11-03-david-nguyen.pdf");
    // A folder where the PDF must go: the PDF cannot land, so neither may the others.
    std::fs::create_dir_all(&pdf).unwrap();
    let r = run_at(
        &example("harbor-street"),
        out.path(),
        AS_OF,
        &["render", "soap", "2026-11-03-david-nguyen", "--force"],
    );
    r.expect_code(2);
    assert!(r.stderr.contains("a folder has that name"), "{}", r.stderr);
    assert_eq!(files_under(out.path()), Vec::<String>::new());
}
