//! Runs the practice's hooks: external programs that read a document's data as JSON on
//! standard input and may refuse it.

use crate::findings::Finding;
use crate::model::practice::Hook;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use wait_timeout::ChildExt;

/// How long a hook may run before it is stopped and the document refused.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Runs every hook of `hooks` listed for `kind` on `data`; each refusal becomes a
/// `hook.refused` finding on `file` (the record the document is made from).
pub fn run_all(
    root: &Path,
    hooks: &[Hook],
    kind: &str,
    data: &impl serde::Serialize,
    file: &str,
) -> Vec<Finding> {
    let wanted: Vec<&Hook> = hooks
        .iter()
        .filter(|h| h.documents.iter().any(|d| d == kind))
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    // Serializing plain document data cannot fail.
    let input = serde_json::to_vec(data).unwrap_or_default();
    wanted
        .into_iter()
        .filter_map(|h| run_one(root, h, &input).err())
        .map(|(hook, reason)| {
            Finding::error(
                "hook.refused",
                file,
                format!("hook `{hook}` refused the {kind}: {reason}"),
            )
        })
        .collect()
}

/// Runs one hook; `Err((hook name, message))` when it refuses.
fn run_one(root: &Path, hook: &Hook, input: &[u8]) -> Result<(), (String, String)> {
    let refuse = |msg: String| Err((hook.name.clone(), msg));
    let Some((program, args)) = hook.command.split_first() else {
        return refuse("its `command` is empty: name the program to run".to_string());
    };
    // A relative path with a folder in it is the practice's own script.
    let program_path = if program.contains('/') && Path::new(program).is_relative() {
        root.join(program)
    } else {
        Path::new(program).to_path_buf()
    };
    let mut child = match Command::new(&program_path)
        .args(args)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(c) => c,
        Err(e) => return refuse(format!("it could not be started ({e}): check `command`")),
    };
    // Feed stdin and drain stdout on their own threads so a hook that reads or writes a
    // lot can never deadlock against us.
    let mut stdin = child.stdin.take();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        if let Some(stdin) = stdin.as_mut() {
            let _ = stdin.write_all(&input);
        }
    });
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(64 * 1024).read_to_end(&mut out);
        }
        out
    });
    let status = match child.wait_timeout(TIMEOUT) {
        Ok(Some(status)) => status,
        Ok(None) => {
            let _ = child.kill();
            let _ = child.wait();
            let _ = writer.join();
            return refuse(format!(
                "it ran longer than {} seconds and was stopped",
                TIMEOUT.as_secs()
            ));
        }
        Err(e) => return refuse(format!("waiting for it failed ({e})")),
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&out);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        refuse(format!("it exited with {status} and gave no reason"))
    } else {
        refuse(lines.join("; "))
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn hook(cmd: &[&str]) -> Hook {
        Hook {
            name: "h".into(),
            command: cmd.iter().map(|s| s.to_string()).collect(),
            documents: vec!["soap_note".to_string()],
        }
    }

    #[test]
    fn accepts_refuses_and_reports_lines() {
        let root = Path::new("/");
        let data = serde_json::json!({"patient": "x"});
        let ok = run_all(root, &[hook(&["true"])], "soap_note", &data, "f");
        assert!(ok.is_empty());
        let refused = run_all(
            root,
            &[hook(&[
                "sh",
                "-c",
                "cat >/dev/null; echo no referral; echo second; exit 3",
            ])],
            "soap_note",
            &data,
            "f",
        );
        assert_eq!(refused.len(), 1);
        assert_eq!(refused[0].code, "hook.refused");
        assert!(refused[0].message.contains("no referral; second"));
        let missing = run_all(root, &[hook(&["/nonexistent/x"])], "soap_note", &data, "f");
        assert!(missing[0].message.contains("could not be started"));
        let other_kind = run_all(root, &[hook(&["false"])], "claim", &data, "f");
        assert!(other_kind.is_empty());
    }

    #[test]
    fn hook_sees_the_json_on_stdin() {
        let data = serde_json::json!({"patient": "jane"});
        let refused = run_all(
            Path::new("/"),
            &[hook(&[
                "sh",
                "-c",
                "grep -q '\"patient\":\"jane\"' && exit 1; exit 0",
            ])],
            "soap_note",
            &data,
            "f",
        );
        assert_eq!(refused.len(), 1);
    }
}
