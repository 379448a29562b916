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
