//! Rendering documents: snapshots of every kind in Markdown and HTML, PDF structure,
//! refusal, drafts, escaping of user text, overwrite protection and determinism.

use crate::util::{
    AS_OF, Practice, example, files_under, pdf_words as pdf_text, read_text as read, run, run_at,
};
use std::path::Path;

/// Renders `args` for the example practice into `out`, expecting exit 0.
fn render_example(out: &Path, args: &[&str]) {
    let mut full = vec!["render"];
    full.extend_from_slice(args);
    run_at(&example("harbor-street"), out, AS_OF, &full).expect_code(0);
}

#[test]
fn snapshots_of_every_document_kind() {
    let out = tempfile::tempdir().unwrap();
    let o = out.path();
    render_example(o, &["soap", "2026-11-02-margaret-walsh"]);
    render_example(o, &["summary", "margaret-walsh"]);
    render_example(o, &["appeal", "walsh-co50-2026-11-20"]);
    render_example(o, &["appeal", "hartley-co197-2026-11-23"]);
    render_example(o, &["superbill", "nora-pelletier", "--month", "2026-11"]);
    for (name, stem) in [
        ("soap_note", "soap_note/2026-11-02-margaret-walsh"),
        ("summary", "summary/margaret-walsh-2026-11-30"),
        ("appeal_co50", "appeal/walsh-co50-2026-11-20"),
        ("appeal_co197", "appeal/hartley-co197-2026-11-23"),
        ("superbill", "superbill/nora-pelletier-2026-11"),
    ] {
        insta::assert_snapshot!(format!("{name}_md"), read(&o.join(format!("{stem}.md"))));
        insta::assert_snapshot!(
            format!("{name}_html"),
            read(&o.join(format!("{stem}.html")))
        );
        assert!(o.join(format!("{stem}.pdf")).exists());
    }
}

#[test]
fn appeal_past_its_window_is_refused_and_writes_nothing() {
    let root = example("harbor-street");
    let out = tempfile::tempdir().unwrap();
    let r = run_at(
        &root,
        out.path(),
        "2027-04-01",
        &["render", "appeal", "walsh-co50-2026-11-20"],
    );
    r.expect_code(1);
    assert!(r.stderr.contains("appeal.late"), "{}", r.stderr);
    assert!(
        r.stderr.contains("denials/walsh-co50-2026-11-20.yaml"),
        "{}",
        r.stderr
    );
    assert!(files_under(out.path()).is_empty(), "nothing written");
}

/// A copy of the example whose first Walsh session carries markup in its note.
fn practice_with_nasty_note() -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-02-margaret-walsh.yaml";
    let text = read(&p.path(file));
    let start = text.find("  subjective:").expect("a subjective line");
    let end = start
        + text[start..]
            .find("  objective:")
            .expect("an objective line");
    let nasty =
        "  subjective: '<script>alert(1)</script> **bold** # not a heading | pipe {{ braces }}'\n";
    p.write(file, format!("{}{}{}", &text[..start], nasty, &text[end..]));
    p
}

#[test]
fn user_text_is_data_not_markup() {
    let p = practice_with_nasty_note();
    let out = tempfile::tempdir().unwrap();
    run_at(
        &p.root,
        out.path(),
        AS_OF,
        &["render", "soap", "2026-11-02-margaret-walsh"],
    )
    .expect_code(0);
    let html = read(&out.path().join("soap_note/2026-11-02-margaret-walsh.html"));
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; **bold** # not a heading | pipe {{ braces }}"
        ),
        "{html}"
    );
    let md = read(&out.path().join("soap_note/2026-11-02-margaret-walsh.md"));
    assert!(md.contains("\\<script\\>"), "{md}");
    let pdf = std::fs::read(out.path().join("soap_note/2026-11-02-margaret-walsh.pdf")).unwrap();
    let text = pdf_text(&pdf);
    assert!(
        text.contains("<script>alert(1)</script> **bold** # not a heading | pipe {{ braces }}"),
        "{text}"
    );
}

#[test]
fn draft_renders_a_refused_document_with_a_stamp() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-02-margaret-walsh.yaml";
    // An unsigned note fails as a note; a billing error would not stop it at all.
    let text = read(&p.path(file));
    let text: String = text
        .lines()
        .filter(|l| !l.starts_with("signed:"))
        .map(|l| format!("{l}\n"))
        .collect();
    p.write(file, text);
    let out = tempfile::tempdir().unwrap();
    let args = |draft: bool| {
        let mut a = vec![
            "render".to_string(),
            "soap".into(),
            "2026-11-02-margaret-walsh".into(),
            "-C".into(),
            p.root.to_str().unwrap().into(),
            "--as-of".into(),
            AS_OF.into(),
            "--out".into(),
            out.path().to_str().unwrap().into(),
        ];
        if draft {
            a.push("--draft".into());
        }
        a
    };
    let refused = run(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("signature.missing"),
        "{}",
        refused.stderr
    );
    assert!(files_under(out.path()).is_empty());
    run(&args(true).iter().map(String::as_str).collect::<Vec<_>>()).expect_code(0);
    // The finding that made it a draft, by code, file and field, never by its message.
    let finding = "signature.missing (sessions/2026-11/2026-11-02-margaret-walsh.yaml, soap)";
    let html = read(&out.path().join("soap_note/2026-11-02-margaret-walsh.html"));
    assert!(html.contains("DRAFT - NOT FOR SUBMISSION"));
    assert!(html.contains(&format!("<li>{finding}</li>")), "{html}");
    // The stamp is fixed in print, so the browser prints it on every page.
    assert!(
        html.contains("<div class=\"draft-stamp\" aria-hidden=\"true\">"),
        "{html}"
    );
    let md = read(&out.path().join("soap_note/2026-11-02-margaret-walsh.md"));
    assert!(md.starts_with("**DRAFT - NOT FOR SUBMISSION**"), "{md}");
    assert!(md.contains("Rendered despite these findings:"), "{md}");
    let pdf = std::fs::read(out.path().join("soap_note/2026-11-02-margaret-walsh.pdf")).unwrap();
    let doc = crate::util::load_pdf(&pdf);
    for page in 1..=doc.get_pages().len() as u32 {
        let text = doc.extract_text(&[page]).unwrap_or_default();
        assert!(
            text.contains("DRAFT - NOT FOR SUBMISSION"),
            "page {page}: {text}"
        );
        let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(
            joined.contains(finding),
            page == 1,
            "the findings are listed on the first page only: page {page}: {joined}"
        );
    }
}

#[test]
fn pdf_has_pages_fonts_header_and_footer() {
    let out = tempfile::tempdir().unwrap();
    render_example(
        out.path(),
        &["appeal", "walsh-co50-2026-11-20", "--format", "pdf"],
    );
    let bytes = std::fs::read(out.path().join("appeal/walsh-co50-2026-11-20.pdf")).unwrap();
    let doc = crate::util::load_pdf(&bytes);
    let pages = doc.get_pages();
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let mut fonts = std::collections::BTreeSet::new();
    for id in pages.values() {
        for (_, font) in doc.get_page_fonts(*id).unwrap() {
            if let Ok(name) = font.get(b"BaseFont").and_then(|n| n.as_name()) {
                // Embedded subsets are named TAGGED+Font; the tag changes with the glyphs.
                let name = String::from_utf8_lossy(name);
                let font = name.split_once('+').map_or(&*name, |(_, font)| font);
                fonts.insert(font.to_string());
            }
        }
    }
    assert!(fonts.contains("DejaVuSans"), "{fonts:?}");
    assert!(fonts.contains("DejaVuSans-Bold"), "{fonts:?}");
    let n = pages.len();
    for page in 1..=n as u32 {
        let text = doc.extract_text(&[page]).unwrap();
        assert!(
            text.contains("Margaret Walsh - DOB 1953-08-19"),
            "header on page {page}"
        );
        assert!(
            text.contains(&format!("Page {page} of {n}")),
            "footer on page {page}: {text}"
        );
    }
    if let Some(status) = qpdf_check(&out.path().join("appeal/walsh-co50-2026-11-20.pdf")) {
        assert!(status, "qpdf --check failed");
    }
}

/// `qpdf --check` when qpdf is installed (CI installs it); None when it is not.
fn qpdf_check(path: &Path) -> Option<bool> {
    let out = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(path)
        .output()
        .ok()?;
    Some(out.status.success())
}

#[test]
fn same_inputs_give_identical_bytes_and_private_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    render_example(a.path(), &["summary", "ellen-hartley"]);
    render_example(b.path(), &["summary", "ellen-hartley"]);
    for ext in ["md", "html", "pdf"] {
        let rel = format!("summary/ellen-hartley-2026-11-30.{ext}");
        assert_eq!(
            std::fs::read(a.path().join(&rel)).unwrap(),
            std::fs::read(b.path().join(&rel)).unwrap(),
            "{rel} differs between runs"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(a.path().join(&rel))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{rel} is private");
        }
    }
}

#[test]
fn existing_output_needs_force() {
    const SUPERBILL: [&str; 6] = [
        "superbill",
        "nora-pelletier",
        "--month",
        "2026-11",
        "--format",
        "md",
    ];
    let out = tempfile::tempdir().unwrap();
    render_example(out.path(), &SUPERBILL);
    let path = out.path().join("superbill/nora-pelletier-2026-11.md");
    std::fs::write(&path, "edited by hand").unwrap();
    let root = example("harbor-street");
    let r = run_at(
        &root,
        out.path(),
        AS_OF,
        &[&["render"][..], &SUPERBILL[..]].concat(),
    );
    r.expect_code(2);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(read(&path), "edited by hand");
    render_example(out.path(), &[&SUPERBILL[..], &["--force"][..]].concat());
    assert!(read(&path).contains("# Superbill: November 2026"));
}

#[test]
fn practice_templates_override_and_errors_name_file_and_line() {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write(
        "templates/summary.md",
        "Custom summary for {{ patient.name }}\n",
    );
    let out = tempfile::tempdir().unwrap();
    let args = [
        "render",
        "summary",
        "david-nguyen",
        "-C",
        p.root.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--out",
        out.path().to_str().unwrap(),
        "--format",
        "md",
    ];
    run(&args).expect_code(0);
    assert_eq!(
        read(&out.path().join("summary/david-nguyen-2026-11-30.md")),
        "Custom summary for David Nguyen\n"
    );
    p.write("templates/summary.md", "line one\n{{ patient.nme }}\n");
    let r = run(&[&args[..], &["--force"]].concat());
    // A broken template refuses its documents (exit 1); the command itself ran.
    r.expect_code(1);
    assert!(r.stderr.contains("render.failed"), "{}", r.stderr);
    assert!(r.stderr.contains("templates/summary.md:2:"), "{}", r.stderr);
    assert!(
        r.stderr.contains(":2:") || r.stderr.contains("line 2"),
        "{}",
        r.stderr
    );
}

#[test]
fn templates_list_and_export() {
    let r = run(&["templates", "list"]);
    r.expect_code(0);
    for name in ["soap_note.md", "summary.md", "appeal.md", "superbill.md"] {
        assert!(r.stdout.contains(name), "{}", r.stdout);
    }
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("t");
    run(&["templates", "export", target.to_str().unwrap()]).expect_code(0);
    assert!(read(&target.join("soap_note.md")).contains("soap.subjective"));
    run(&["templates", "export", target.to_str().unwrap()]).expect_code(2);
}

#[cfg(unix)]
#[test]
fn hooks_see_the_document_data_and_can_refuse_it() {
    use std::os::unix::fs::PermissionsExt;
    let p = Practice::copy_from(&example("harbor-street"));
    p.write(
        "hooks/policy.sh",
        "#!/bin/sh\nif grep -q '\"last_name\":\"Walsh\"'; then echo 'Walsh needs a signed plan of care on file'; echo 'call the office'; exit 1; fi\nexit 0\n",
    );
    std::fs::set_permissions(
        p.path("hooks/policy.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let practice = read(&p.path("practice.yaml"));
    p.write(
        "practice.yaml",
        format!("{practice}\nhooks:\n  - name: policy\n    command: [\"hooks/policy.sh\"]\n    documents: [soap_note, summary]\n"),
    );
    // validate runs the soap_note hooks on every session.
    let v = crate::util::validate_json(&p.root, &[]);
    v.expect_code(1);
    let report = v.report();
    let refused = report.with_code("hook.refused");
    assert!(!refused.is_empty(), "{}", report.listing());
    assert!(
        refused.iter().all(|f| f.file.contains("margaret-walsh")),
        "{}",
        report.listing()
    );
    assert!(
        refused[0]
            .message
            .contains("Walsh needs a signed plan of care on file; call the office")
    );
    // render runs the hooks of its own kind.
    let out = tempfile::tempdir().unwrap();
    let base = [
        "-C",
        p.root.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--out",
        out.path().to_str().unwrap(),
    ];
    let r = run(&[&["render", "summary", "margaret-walsh"][..], &base[..]].concat());
    r.expect_code(1);
    assert!(r.stderr.contains("hook.refused"), "{}", r.stderr);
    run(&[&["render", "summary", "david-nguyen"][..], &base[..]].concat()).expect_code(0);
    assert!(files_under(out.path()).iter().all(|f| !f.contains("walsh")));
}

#[test]
fn a_relative_hook_runs_under_a_relative_practice_folder() {
    use std::os::unix::fs::PermissionsExt;
    let p = Practice::copy_from(&example("harbor-street"));
    p.write(
        "hooks/refuse.sh",
        "#!/bin/sh\necho 'summaries wait for the office manager'\nexit 1\n",
    );
    std::fs::set_permissions(
        p.path("hooks/refuse.sh"),
        std::fs::Permissions::from_mode(0o755),
    )
    .unwrap();
    let practice = read(&p.path("practice.yaml"));
    p.write(
        "practice.yaml",
        format!("{practice}\nhooks:\n  - name: office\n    command: [\"hooks/refuse.sh\"]\n    documents: [summary]\n"),
    );
    // Run from the folder above the practice, naming it by a relative path: the hook must
    // be found at <practice>/hooks/refuse.sh, not <practice>/<practice>/hooks/refuse.sh.
    let parent = p.root.parent().unwrap();
    let name = p.root.file_name().unwrap().to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let r = crate::util::run_in(
        parent,
        &[
            "render",
            "summary",
            "david-nguyen",
            "-C",
            name,
            "--as-of",
            AS_OF,
            "--out",
            out.path().to_str().unwrap(),
        ],
    );
    r.expect_code(1);
    assert!(
        r.stderr
            .contains("hook `office` refused the summary: summaries wait for the office manager"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("could not be started"), "{}", r.stderr);
    assert!(files_under(out.path()).is_empty());
}

/// The headless browser on this machine, if one is installed.
fn chromium() -> Option<&'static str> {
    ["chromium", "chromium-browser"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

#[test]
fn html_documents_load_in_a_headless_browser_and_run_no_user_script() {
    let Some(browser) = chromium() else {
        println!("chromium not installed: skipped");
        return;
    };
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "sessions/2026-11/2026-11-02-margaret-walsh.yaml";
    let text = read(&p.path(file));
    p.write(
        file,
        text.replacen(
            "subjective: >-",
            "subjective: >-\n    <script>document.title='owned'</script>",
            1,
        ),
    );
    let out = tempfile::tempdir().unwrap();
    run(&[
        "render",
        "soap",
        "2026-11-02-margaret-walsh",
        "-C",
        p.root.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--out",
        out.path().to_str().unwrap(),
        "--format",
        "html",
    ])
    .expect_code(0);
    let html = out.path().join("soap_note/2026-11-02-margaret-walsh.html");
    let profile = tempfile::tempdir().unwrap();
    let dom = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    assert!(dom.contains("Margaret"), "the page loads: {dom}");
    // The note's text shows the script as text; the browser never ran it.
    assert!(!dom.contains("<title>owned</title>"), "{dom}");
    assert!(dom.contains("&lt;script&gt;"), "{dom}");
}
