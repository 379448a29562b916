//! The monthly batch: the expected files and a manifest that matches them, refusals that do
//! not stop the rest, incremental reruns, safe names, and recovery from a killed run.

use crate::util::{AS_OF, Practice, example, files_under, run, run_at};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::time::SystemTime;

fn batch(root: &Path, out: &Path, extra: &[&str]) -> crate::util::Run {
    let mut args = vec!["batch", "--month", "2026-11"];
    args.extend_from_slice(extra);
    run_at(root, out, AS_OF, &args)
}

fn manifest(out: &Path) -> Value {
    let text = std::fs::read_to_string(out.join("2026-11/manifest.json")).expect("a manifest");
    serde_json::from_str(&text).expect("manifest is JSON")
}

fn sha256(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn mtimes(dir: &Path) -> Vec<(String, SystemTime)> {
    files_under(dir)
        .into_iter()
        .map(|f| {
            let t = std::fs::metadata(dir.join(&f)).unwrap().modified().unwrap();
            (f, t)
        })
        .collect()
}

#[test]
fn example_month_writes_every_document_and_a_matching_manifest() {
    let out = tempfile::tempdir().unwrap();
    let r = batch(&example("harbor-street"), out.path(), &[]);
    r.expect_code(0);
    assert!(r.stdout.contains("soap_note"), "{}", r.stdout);
    // Nobody owes a balance in November, so there is no statement and no folder for them.
    assert!(!out.path().join("2026-11/statement").exists());
    let files = files_under(&out.path().join("2026-11"));
    let count = |prefix: &str, ext: &str| {
        files
            .iter()
            .filter(|f| f.starts_with(prefix) && f.ends_with(ext))
            .count()
    };
    // 37 sessions, 7 patients seen (one by both therapists, so 8 claims), 1 out-of-network
    // patient, 2 open denials.
    assert_eq!(count("soap_note/", ".pdf"), 37);
    assert_eq!(count("soap_note/", ".md"), 37);
    assert_eq!(count("soap_note/", ".html"), 37);
    assert_eq!(count("summary/", ".pdf"), 7);
    assert_eq!(count("claim/", ".pdf"), 8);
    assert_eq!(count("claim/", ".md"), 0, "claims are PDF only");
    assert_eq!(count("superbill/", ".pdf"), 1);
    assert_eq!(count("appeal/", ".pdf"), 2);
    assert!(files.contains(&"manifest.json".to_string()));
    assert!(files.contains(&"index.html".to_string()));
    let m = manifest(out.path());
    let docs = m["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 37 + 7 + 8 + 1 + 2);
    let mut listed = 0;
    for d in docs {
        assert_eq!(d["status"], "rendered", "{d}");
        assert!(!d["inputs"].as_array().unwrap().is_empty());
        assert_eq!(d["template"]["sha256"].as_str().unwrap().len(), 64, "{d}");
        for o in d["outputs"].as_array().unwrap() {
            let path = out.path().join("2026-11").join(o["path"].as_str().unwrap());
            assert_eq!(sha256(&path), o["sha256"].as_str().unwrap(), "{path:?}");
            listed += 1;
        }
        for i in d["inputs"].as_array().unwrap() {
            let path = example("harbor-street").join(i["path"].as_str().unwrap());
            assert_eq!(sha256(&path), i["sha256"].as_str().unwrap(), "{path:?}");
        }
    }
    assert_eq!(
        listed,
        files.len() - 2,
        "every file but the manifest and the month's page is listed"
    );
}

#[test]
fn rerun_rewrites_nothing_and_an_edit_rerenders_only_its_documents() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    batch(&p.root, out.path(), &[]).expect_code(0);
    let month = out.path().join("2026-11");
    let before = mtimes(&month);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = batch(&p.root, out.path(), &[]);
    r.expect_code(0);
    assert_eq!(
        mtimes(&month),
        before,
        "a rerun with unchanged inputs rewrites nothing"
    );
    assert!(
        r.stdout
            .contains("total                0         0         55"),
        "{}",
        r.stdout
    );

    let file = "sessions/2026-11/2026-11-09-margaret-walsh.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    let edited = text.replacen(
        "  objective: >-\n",
        "  objective: >-\n    Re-measured today.\n",
        1,
    );
    assert_ne!(text, edited, "fixture shape changed");
    p.write(file, edited);
    batch(&p.root, out.path(), &[]).expect_code(0);
    let after = mtimes(&month);
    let changed: Vec<&String> = after
        .iter()
        .zip(&before)
        .filter(|(a, b)| a.1 != b.1)
        .map(|(a, _)| &a.0)
        .collect();
    assert_eq!(
        changed,
        vec![
            "manifest.json",
            "soap_note/2026-11-09-margaret-walsh.html",
            "soap_note/2026-11-09-margaret-walsh.md",
            "soap_note/2026-11-09-margaret-walsh.pdf",
        ],
        "only the edited session's note (and the manifest) change"
    );
}

#[test]
fn a_billing_error_holds_the_visit_not_its_note_and_broken_files_are_listed() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-09-margaret-walsh.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    p.write(
        file,
        text.replace("diagnoses: [M54.50", "diagnoses: [M54.5"),
    );
    p.write(
        "sessions/2026-11/2026-11-30-broken.yaml",
        "patient: [unclosed\n",
    );
    let out = tempfile::tempdir().unwrap();
    let r = batch(&p.root, out.path(), &[]);
    r.expect_code(1);
    assert!(
        r.stdout
            .contains("held: visit 2026-11-09-margaret-walsh is kept off claim margaret-walsh-"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("icd10.deleted"), "{}", r.stdout);
    assert!(
        r.stdout.contains("sessions/2026-11/2026-11-30-broken.yaml"),
        "{}",
        r.stdout
    );
    let files = files_under(&out.path().join("2026-11"));
    // The note is the medical record: a billing error never stops it.
    for ext in ["md", "html", "pdf"] {
        assert!(
            files.contains(&format!("soap_note/2026-11-09-margaret-walsh.{ext}")),
            "{files:?}"
        );
    }
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with("soap_note/") && f.ends_with(".pdf"))
            .count(),
        37
    );
    let m = manifest(out.path());
    let docs = m["documents"].as_array().unwrap();
    let note = docs
        .iter()
        .find(|d| d["kind"] == "soap_note" && d["name"] == "2026-11-09-margaret-walsh")
        .unwrap();
    assert_eq!(note["status"], "rendered");
    // The claim is written with the month's other visits and lists the held one.
    let claim = docs
        .iter()
        .find(|d| d["kind"] == "claim" && d["name"].as_str().unwrap().starts_with("margaret-walsh"))
        .unwrap();
    assert_eq!(claim["status"], "rendered", "{claim}");
    assert_eq!(claim["held"][0]["session"], "2026-11-09-margaret-walsh");
    assert_eq!(claim["held"][0]["findings"][0]["code"], "icd10.deleted");
}

#[test]
fn ids_cannot_write_outside_the_output_folder() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-02-margaret-walsh.yaml";
    let text = std::fs::read_to_string(p.path(file)).unwrap();
    p.write(file, format!("id: ../../x\n{text}"));
    let out = tempfile::tempdir().unwrap();
    let nested = out.path().join("a/b");
    let r = batch(&p.root, &nested, &[]);
    r.expect_code(1);
    assert!(r.stdout.contains("field.invalid"), "{}", r.stdout);
    assert!(!out.path().join("x").exists());
    assert!(!out.path().join("a/x").exists());
    for f in files_under(out.path()) {
        assert!(
            f.starts_with("a/b/2026-11/"),
            "{f} is outside the output folder"
        );
    }
}

#[test]
fn a_killed_batch_leaves_no_partial_file_and_a_rerun_completes_it() {
    let dir = tempfile::tempdir().unwrap();
    let practice = dir.path().join("practice");
    claimwright::synthetic::write_practice(&practice, 400).unwrap();
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("claimwright"))
        .args([
            "batch", "--month", "2026-11", "--as-of", AS_OF, "-q", "-j", "1",
        ])
        .arg("-C")
        .arg(&practice)
        .arg("--out")
        .arg(&out)
        .spawn()
        .unwrap();
    // Let it write some files, then kill it without warning.
    let month = out.join("2026-11");
    let start = std::time::Instant::now();
    while start.elapsed() < std::time::Duration::from_secs(20) {
        if month.join("soap_note").exists() && files_under(&month.join("soap_note")).len() > 30 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    for f in files_under(&month) {
        let name = f.rsplit('/').next().unwrap();
        if name.starts_with('.') {
            continue;
        }
        let bytes = std::fs::read(month.join(&f)).unwrap();
        if f.ends_with(".pdf") {
            assert!(
                lopdf::Document::load_mem(&bytes).is_ok(),
                "{f} is a partial PDF"
            );
        } else if f.ends_with(".html") {
            assert!(bytes.ends_with(b"</html>\n"), "{f} is a partial page");
        }
    }
    let r = run(&[
        "batch",
        "--month",
        "2026-11",
        "--as-of",
        AS_OF,
        "-C",
        practice.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    r.expect_code(0);
    let files = files_under(&month);
    assert!(
        !files.iter().any(|f| f.contains(".claimwright-")),
        "temporary files cleaned"
    );
    assert_eq!(
        files
            .iter()
            .filter(|f| f.starts_with("soap_note/") && f.ends_with(".pdf"))
            .count(),
        400
    );
    let m = manifest(&out);
    for d in m["documents"].as_array().unwrap() {
        for o in d["outputs"].as_array().unwrap() {
            assert_eq!(
                sha256(&month.join(o["path"].as_str().unwrap())),
                o["sha256"].as_str().unwrap()
            );
        }
    }
}

#[test]
fn a_refused_document_loses_its_old_files_and_renders_again_once_fixed() {
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().unwrap();
    batch(&p.root, out.path(), &["-q"]).expect_code(0);
    let file = "sessions/2026-11/2026-11-09-margaret-walsh.yaml";
    let good = std::fs::read_to_string(p.path(file)).unwrap();
    let signed = good
        .lines()
        .find(|l| l.starts_with("signed:"))
        .unwrap()
        .to_string();
    p.write(file, good.replace(&signed, ""));
    batch(&p.root, out.path(), &["-q"]).expect_code(1);
    let note = out
        .path()
        .join("2026-11/soap_note/2026-11-09-margaret-walsh.pdf");
    assert!(!note.exists(), "a refused note's old file is removed");
    p.write(file, &good);
    batch(&p.root, out.path(), &["-q"]).expect_code(0);
    assert!(note.exists(), "the fixed note renders again");
}

#[test]
fn a_broken_appeal_template_refuses_only_the_appeals() {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write(
        "templates/appeal.md",
        "# Appeal\n\n{% if denial.claim_number %}\nClaim {{ denial.claim_number }}\n",
    );
    let out = tempfile::tempdir().unwrap();
    let r = batch(&p.root, out.path(), &["--format", "md"]);
    r.expect_code(1);
    let m = manifest(out.path());
    let docs = m["documents"].as_array().unwrap();
    let (appeals, others): (Vec<&Value>, Vec<&Value>) =
        docs.iter().partition(|d| d["kind"] == "appeal");
    assert_eq!(appeals.len(), 2);
    for a in &appeals {
        assert_eq!(a["status"], "refused", "{a}");
        let failed = a["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["code"] == "render.failed")
            .unwrap_or_else(|| panic!("{a}"));
        assert_eq!(failed["file"], "templates/appeal.md");
        assert!(failed["line"].as_u64().is_some(), "{failed}");
    }
    // Every note, claim and summary of the month renders.
    for kind in ["soap_note", "claim", "summary"] {
        let of_kind: Vec<&&Value> = others.iter().filter(|d| d["kind"] == kind).collect();
        assert!(!of_kind.is_empty(), "{kind}");
        assert!(
            of_kind.iter().all(|d| d["status"] == "rendered"),
            "{kind}: {of_kind:?}"
        );
    }
    assert!(r.stdout.contains("templates/appeal.md:"), "{}", r.stdout);
    let files = files_under(&out.path().join("2026-11"));
    assert!(!files.iter().any(|f| f.starts_with("appeal/")), "{files:?}");
    assert_eq!(
        files.iter().filter(|f| f.starts_with("soap_note/")).count(),
        37
    );
}

#[test]
fn four_workers_write_the_bytes_one_worker_writes() {
    let dir = tempfile::tempdir().unwrap();
    let practice = dir.path().join("practice");
    claimwright::synthetic::write_practice(&practice, 120).unwrap();
    let month_of = |jobs: &str| {
        let out = dir.path().join(format!("out-{jobs}"));
        run_at(
            &practice,
            &out,
            AS_OF,
            &["batch", "--month", "2026-11", "-q", "-j", jobs],
        )
        .expect_code(0);
        let month = out.join("2026-11");
        files_under(&month)
            .into_iter()
            .map(|f| {
                let bytes = std::fs::read(month.join(&f)).unwrap();
                (f, bytes)
            })
            .collect::<Vec<_>>()
    };
    let one = month_of("1");
    let four = month_of("4");
    assert!(one.len() > 360, "{}", one.len());
    assert_eq!(one.len(), four.len());
    for ((a, x), (b, y)) in one.iter().zip(&four) {
        assert_eq!(a, b);
        assert!(x == y, "{a} differs between one and four workers");
    }
    assert!(
        !one.iter()
            .any(|(f, _)| f.contains(".claimwright-") || f.contains("journal"))
    );
}

#[test]
fn a_file_that_cannot_be_written_stops_the_batch_and_a_rerun_completes_it() {
    let out = tempfile::tempdir().unwrap();
    let month = out.path().join("2026-11");
    // A folder where a note's PDF goes: moving the finished file there fails.
    let blocker = month.join("soap_note/2026-11-03-david-nguyen.pdf");
    std::fs::create_dir_all(blocker.join("inside")).unwrap();
    let r = batch(&example("harbor-street"), out.path(), &["-q"]);
    assert_ne!(r.code, Some(0), "{}", r.stdout);
    assert!(
        r.stderr.contains("cannot move the finished file"),
        "{}",
        r.stderr
    );
    assert!(!month.join("manifest.json").exists());
    let files = files_under(&month);
    assert!(
        !files
            .iter()
            .any(|f| f.contains(".claimwright-") && f.ends_with(".tmp")),
        "{files:?}"
    );
    std::fs::remove_dir_all(&blocker).unwrap();
    batch(&example("harbor-street"), out.path(), &["-q"]).expect_code(0);
    assert!(blocker.is_file());
    assert!(!month.join(".manifest.journal").exists());
    let m = manifest(out.path());
    for d in m["documents"].as_array().unwrap() {
        for o in d["outputs"].as_array().unwrap() {
            assert_eq!(
                sha256(&month.join(o["path"].as_str().unwrap())),
                o["sha256"].as_str().unwrap()
            );
        }
    }
}

#[test]
fn a_practice_template_lists_a_records_fields_in_the_same_order_every_run() {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write(
        "templates/soap_note.md",
        "{% for key, value in document %}{{ key }} {% endfor %}\n",
    );
    let listing = || {
        let out = tempfile::tempdir().unwrap();
        batch(&p.root, out.path(), &["--format", "md", "-q"]);
        let note = out
            .path()
            .join("2026-11/soap_note/2026-11-02-margaret-walsh.md");
        std::fs::read_to_string(note).unwrap()
    };
    // A map's fields in a fixed order (by name), never the order of a hash table's seed.
    let first = listing();
    assert_eq!(first.trim(), r"as\_of draft draft\_findings kind title");
    assert_eq!(listing(), first);
}
