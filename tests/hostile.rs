//! Practice programs and settings that misbehave: hooks that take their time, templates that
//! never end or print without end, and more worker threads than a machine can hold. Each is
//! stopped at its limit with a finding, and the run goes on.

use crate::util::{Practice, example, validate_json};

/// The example practice with a `soap_note` hook running `script` (a shell script).
fn with_soap_hook(script: &str) -> Practice {
    let p = Practice::copy_from(&example("harbor-street"));
    p.write("hooks/check.sh", script);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(p.path("hooks/check.sh"), mode).expect("make the hook runnable");
    }
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
