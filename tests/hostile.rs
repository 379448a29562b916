//! Practice programs and settings that misbehave: hooks that take their time, templates that
//! never end or print without end, and more worker threads than a machine can hold. Each is
//! stopped at its limit with a finding, and the run goes on.

use crate::util::{AS_OF, Practice, example, validate_json};

/// The example practice with a `soap_note` hook running `script` (a shell script).
#[cfg(unix)]
fn with_soap_hook(script: &str) -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write("hooks/check.sh", script);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::Permissions::from_mode(0o755);
    std::fs::set_permissions(p.path("hooks/check.sh"), mode).expect("make the hook runnable");
    let practice = std::fs::read_to_string(p.path("practice.yaml")).expect("read practice.yaml");
    assert!(!practice.contains("hooks:"), "{practice}");
    p.write(
        "practice.yaml",
        format!(
            "{practice}hooks:\n  - name: check\n    command: [\"hooks/check.sh\"]\n    documents: [soap_note]\n"
        ),
    );
    p
}

#[cfg(unix)]
#[test]
fn validate_runs_the_hooks_of_its_sessions_side_by_side() {
    // Each run notes its start and its end; runs one after another would alternate.
    let p = with_soap_hook(
        "#!/bin/sh\ncat >/dev/null\necho start >> hook.log\nsleep 0.3\necho end >> hook.log\n",
    );
    validate_json(&p.root, &[]).expect_code(0);
    let log = std::fs::read_to_string(p.path("hook.log")).expect("the hooks ran");
    // Every session of the example, November's and the October visit.
    assert_eq!(log.matches("start").count(), 38, "{log}");
    assert!(log.contains("start\nstart\n"), "{log}");
}

/// `claimwright ARGS` on `p` with `--as-of` and `--out`, stopped after two minutes so that a
/// render that never ends fails the test instead of hanging it.
fn run_bounded(p: &Practice, out: &std::path::Path, args: &[&str]) -> crate::util::Run {
    let output = crate::util::claimwright()
        .args(args)
        .args(["-C", p.root.to_str().expect("a UTF-8 path")])
        .args([
            "--as-of",
            AS_OF,
            "--out",
            out.to_str().expect("a UTF-8 path"),
        ])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .expect("claimwright ends within two minutes");
    crate::util::Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The SOAP note of 2026-11-02 rendered with `template` as the practice's `soap_note.md`.
fn render_note_with(template: &str) -> crate::util::Run {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write("templates/soap_note.md", template);
    let out = tempfile::tempdir().expect("a temporary folder");
    let args = [
        "render",
        "soap",
        "2026-11-02-margaret-walsh",
        "--format",
        "md",
    ];
    run_bounded(&p, out.path(), &args)
}

/// A billion turns of a loop that prints nothing.
const ENDLESS: &str = "{% for a in range(end=100000) %}{% for b in range(end=100000) %}{% endfor %}{% endfor %}done\n";

/// Ten billion lines of forty characters.
const FLOOD: &str = "{% for a in range(end=100000) %}{% for b in range(end=100000) %}0123456789012345678901234567890123456789\n{% endfor %}{% endfor %}";

#[test]
fn a_template_that_never_ends_is_stopped_at_its_time_limit() {
    let run = render_note_with(ENDLESS);
    run.expect_code(1);
    // The findings of `render` go to standard error.
    assert!(
        run.stderr
            .contains("templates/soap_note.md: error render.failed")
            && run.stderr.contains("longer than 5 seconds"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_template_that_prints_without_end_is_stopped_at_its_size_limit() {
    let run = render_note_with(FLOOD);
    run.expect_code(1);
    // The findings of `render` go to standard error.
    assert!(
        run.stderr
            .contains("templates/soap_note.md: error render.failed")
            && run.stderr.contains("more than 16 MiB"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_batch_goes_on_past_a_template_that_never_ends() {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write("templates/appeal.md", ENDLESS);
    let out = tempfile::tempdir().expect("a temporary folder");
    let run = run_bounded(
        &p,
        out.path(),
        &["batch", "--month", "2026-11", "--format", "md", "-q"],
    );
    run.expect_code(1);
    assert!(run.stdout.contains("refused: appeal"), "{}", run.stdout);
    assert!(!run.stdout.contains("refused: soap_note"), "{}", run.stdout);
}

/// A string doubled forty times: a terabyte, built without printing a byte.
const HOARD: &str = "{% set_global s = \"0123456789abcdef\" %}{% for i in range(end=40) %}{% set_global s = s ~ s %}{% endfor %}done\n";

/// The example's November batch with `template` as the practice's `soap_note.md` and `args`
/// after `batch --month 2026-11 -q`; the output folder comes back with the run.
fn batch_with_note_template(
    template: &str,
    args: &[&str],
) -> (crate::util::Run, tempfile::TempDir) {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write("templates/soap_note.md", template);
    let out = tempfile::tempdir().expect("a temporary folder");
    let mut all = vec!["batch", "--month", "2026-11", "-q"];
    all.extend_from_slice(args);
    (run_bounded(&p, out.path(), &all), out)
}

#[test]
fn a_template_that_hoards_memory_refuses_its_documents_and_nothing_else() {
    let (run, out) = batch_with_note_template(HOARD, &[]);
    run.expect_code(1);
    assert_eq!(
        run.stdout.matches("refused: soap_note").count(),
        37,
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("render.failed: templates/soap_note.md: rendering needed more than"),
        "{}",
        run.stdout
    );
    let month = out.path().join("2026-11");
    for kind in ["claim", "summary", "appeal", "superbill"] {
        let written = std::fs::read_dir(month.join(kind)).map_or(0, |d| d.count());
        assert!(written > 0, "no {kind} was written");
    }
}

#[test]
fn a_template_stopped_at_its_time_limit_refuses_its_other_documents_at_once() {
    let started = std::time::Instant::now();
    let (run, _out) = batch_with_note_template(ENDLESS, &["--format", "md", "-j", "1"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout.matches("longer than 5 seconds").count(),
        37,
        "{}",
        run.stdout
    );
    // One note ran to the limit; the other 36 did not wait 5 seconds each.
    assert!(
        started.elapsed() < std::time::Duration::from_secs(60),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn jobs_past_the_machine_are_cut_to_its_maximum() {
    let help = crate::util::run(&["batch", "--help"]);
    help.expect_code(0);
    assert!(
        help.stdout.contains("at most four times the cores"),
        "{}",
        help.stdout
    );
    let p = Practice::copy_from(&example("harbor-street"));
    let out = tempfile::tempdir().expect("a temporary folder");
    let run = run_bounded(
        &p,
        out.path(),
        &[
            "batch", "--month", "2026-11", "--format", "md", "-q", "-j", "1000000",
        ],
    );
    run.expect_code(0);
}

#[test]
fn findings_never_repeat_what_the_patient_record_says() {
    // Values that are the patient's own words, written where numbers, times and fields go: no
    // finding may show them back, on the terminal or in the batch manifest.
    const MARKER: &str = "Dx-M54.50-worse";
    let p = Practice::copy_from(&example("harbor-street"));
    let edits = [
        (
            "sessions/2026-11/2026-11-03-david-nguyen.yaml",
            "pain: {before: 6, after: 4}",
            "pain: {before: \"Dx-M54.50-worse\", after: 4}",
        ),
        (
            "sessions/2026-11/2026-11-06-david-nguyen.yaml",
            "minutes: 30",
            "minutes: Dx-M54.50-worse",
        ),
        (
            "sessions/2026-11/2026-11-10-david-nguyen.yaml",
            "time_in: \"",
            "time_in: \"Dx-M54.50-worse ",
        ),
        (
            "patients/david-nguyen.yaml",
            "network: in",
            "network: in, Dx-M54.50-worse and more",
        ),
    ];
    for (file, from, to) in edits {
        let text = std::fs::read_to_string(p.path(file)).unwrap();
        assert!(text.contains(from), "{file} has {from}");
        p.write(file, text.replacen(from, to, 1));
    }
    let r = validate_json(&p.root, &[]);
    r.expect_code(1);
    assert!(!r.stdout.contains(MARKER), "{}", r.stdout);
    assert!(!r.stderr.contains(MARKER), "{}", r.stderr);
    let report = r.report();
    for (file, _, _) in edits {
        assert!(
            report
                .in_file(file)
                .iter()
                .any(|f| f.code == "field.invalid"),
            "{file}:\n{}",
            report.listing()
        );
    }
    let out = tempfile::tempdir().unwrap();
    let b = crate::util::run_at(&p.root, out.path(), AS_OF, &["batch", "--month", "2026-11"]);
    assert!(!b.stdout.contains(MARKER) && !b.stderr.contains(MARKER));
    let manifest = std::fs::read_to_string(out.path().join("2026-11/manifest.json")).unwrap();
    assert!(!manifest.contains(MARKER));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_the_running_hooks_and_what_they_started() {
    use std::time::{Duration, Instant};
    // Each hook starts a child that would outlive it, then waits.
    let p = with_soap_hook(
        "#!/bin/sh\ncat >/dev/null\nsleep 60 &\necho $! >> children\necho $$ >> hooks\nsleep 60\n",
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("claimwright"))
        .args(["validate", "-C", p.root.to_str().unwrap(), "--as-of", AS_OF])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("claimwright starts");
    let started_by = Instant::now() + Duration::from_secs(60);
    while !p.path("hooks").exists() && Instant::now() < started_by {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(p.path("hooks").exists(), "no hook started");
    std::thread::sleep(Duration::from_millis(300));
    let interrupt = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(interrupt.success());
    let stopped_by = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(Instant::now() < stopped_by, "claimwright ignored Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130));
    // Every hook and every child a hook started are gone.
    let gone_by = Instant::now() + Duration::from_secs(5);
    let pids = |file: &str| -> Vec<String> {
        std::fs::read_to_string(p.path(file))
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from)
            .collect()
    };
    let alive = |pid: &String| {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .is_ok_and(|stat| !stat.rsplit(") ").next().is_some_and(|s| s.starts_with('Z')))
    };
    loop {
        let left: Vec<String> = pids("hooks")
            .into_iter()
            .chain(pids("children"))
            .filter(|pid| alive(pid))
            .collect();
        if left.is_empty() {
            break;
        }
        assert!(
            Instant::now() < gone_by,
            "still running after Ctrl-C: {left:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
