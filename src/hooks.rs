//! Runs the practice's hooks: external programs that read a document's data as JSON on
//! standard input and may refuse it.

use crate::findings::Finding;
use crate::model::practice::Hook;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

/// How long a hook may run before it is stopped and the document refused.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// Most output read from a hook: its reasons, not a document.
const MAX_OUTPUT: usize = 64 * 1024;

/// Runs every hook of `hooks` listed for `kind` on `data`; each refusal becomes a
/// `hook.refused` finding on `file` (the record the document is made from).
pub fn run_all(
    root: &Path,
    hooks: &[Hook],
    kind: &str,
    data: &impl serde::Serialize,
    file: &str,
) -> Vec<Finding> {
    run_all_within(root, hooks, kind, data, file, TIMEOUT)
}

/// How many hook runs `validate` keeps going at once: they mostly wait, on programs of
/// their own, so several per core.
pub fn parallel_runs() -> usize {
    4 * std::thread::available_parallelism().map_or(1, usize::from)
}

fn run_all_within(
    root: &Path,
    hooks: &[Hook],
    kind: &str,
    data: &impl serde::Serialize,
    file: &str,
    limit: Duration,
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
        .filter_map(|h| run_one(root, h, &input, limit).err())
        .map(|(hook, reason)| {
            Finding::error(
                "hook.refused",
                file,
                format!("hook `{hook}` refused the {kind}: {reason}"),
            )
        })
        .collect()
}

/// Runs one hook for at most `limit`; `Err((hook name, message))` when it refuses.
fn run_one(
    root: &Path,
    hook: &Hook,
    input: &[u8],
    limit: Duration,
) -> Result<(), (String, String)> {
    let refuse = |msg: String| Err((hook.name.clone(), msg));
    let deadline = Instant::now() + limit;
    let Some((program, args)) = hook.command.split_first() else {
        return refuse("its `command` is empty: name the program to run".to_string());
    };
    // A relative path with a folder in it is the practice's own script.
    let program_path = if program.contains('/') && Path::new(program).is_relative() {
        root.join(program)
    } else {
        Path::new(program).to_path_buf()
    };
    let mut command = Command::new(&program_path);
    command
        .args(args)
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    // A group of its own, so that whatever it starts is stopped with it.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    #[cfg(unix)]
    stop_on_interrupt();
    #[cfg(unix)]
    let started = Running::spawn(&mut command);
    #[cfg(not(unix))]
    let started = command.spawn().map(|child| (child, ()));
    let (mut child, _running) = match started {
        Ok(c) => c,
        Err(e) => return refuse(format!("it could not be started ({e}): check `command`")),
    };
    // Stdin is fed and stdout drained on threads of their own, never joined: a program the
    // hook left running may hold either pipe open long after the hook is gone.
    if let Some(mut stdin) = child.stdin.take() {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let output = child.stdout.take().map(drain);
    let status = match child.wait_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok(Some(status)) => status,
        Ok(None) => {
            stop(&mut child);
            let _ = child.wait();
            return refuse(format!(
                "it ran longer than {} seconds and was stopped",
                limit.as_secs()
            ));
        }
        Err(e) => {
            stop(&mut child);
            return refuse(format!("waiting for it failed ({e})"));
        }
    };
    // What it left running is no part of its answer.
    stop(&mut child);
    if status.success() {
        return Ok(());
    }
    let out = output.map(|o| gather(&o, deadline)).unwrap_or_default();
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

/// Reads `pipe` on a thread of its own, handing over what it reads as it comes.
fn drain(mut pipe: impl Read + Send + 'static) -> Receiver<Vec<u8>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut total = 0;
        let mut buf = [0u8; 8192];
        while total < MAX_OUTPUT {
            match pipe.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    total += n;
                    if tx.send(buf[..n].to_vec()).is_err() {
                        break;
                    }
                }
            }
        }
    });
    rx
}

/// What `drain` read until the pipe closed or `deadline` passed.
fn gather(output: &Receiver<Vec<u8>>, deadline: Instant) -> Vec<u8> {
    let mut out = Vec::new();
    while let Ok(chunk) = output.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        out.extend(chunk);
    }
    out.truncate(MAX_OUTPUT);
    out
}

/// Process groups of the hooks running now. Ctrl-C reaches only the terminal's foreground
/// group, and each hook runs in a group of its own, so they are stopped here by hand.
#[cfg(unix)]
static RUNNING: std::sync::Mutex<std::collections::BTreeSet<i32>> =
    std::sync::Mutex::new(std::collections::BTreeSet::new());

/// A hook's process group, listed in `RUNNING` while the hook runs.
#[cfg(unix)]
struct Running(i32);

#[cfg(unix)]
impl Running {
    /// Starts the hook and lists its group in one step under the lock, so that Ctrl-C stops
    /// every hook started before it and none can start after it.
    fn spawn(command: &mut Command) -> std::io::Result<(Child, Running)> {
        let mut running = RUNNING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let child = command.spawn()?;
        // `process_group(0)` made the hook the leader of a group with its own id.
        let group = i32::try_from(child.id()).unwrap_or(0);
        running.insert(group);
        Ok((child, Running(group)))
    }
}

#[cfg(unix)]
impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(mut running) = RUNNING.lock() {
            running.remove(&self.0);
        }
    }
}

/// On Ctrl-C, termination or hangup, stops every running hook's group, then exits with 130
/// as an interrupted program does; installed when the first hook starts.
#[cfg(unix)]
fn stop_on_interrupt() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // ctrlc runs this on a thread of its own, not in the signal handler, so it may lock.
        // The lock is held until the process exits: a worker thread that goes on to its
        // next hook waits for it instead of starting a hook nobody will stop.
        let _ = ctrlc::set_handler(|| {
            let running = RUNNING
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            for &group in running.iter() {
                if let Some(pid) = rustix::process::Pid::from_raw(group) {
                    let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
                }
            }
            std::process::exit(130);
        });
    });
}

/// Stops the hook and every process of its group.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    if let Some(group) = i32::try_from(child.id())
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    {
        let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
    }
    let _ = child.kill();
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

    /// Whether process `pid` has ended (gone, or a zombie left to be reaped).
    fn ended(pid: &str) -> bool {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).map_or(true, |stat| {
            stat.rsplit(") ").next().is_some_and(|s| s.starts_with('Z'))
        })
    }

    #[test]
    fn a_child_left_holding_the_output_neither_delays_nor_outlives_the_hook() {
        let dir = tempfile::tempdir().unwrap();
        let data = serde_json::json!({});
        let started = Instant::now();
        let refused = run_all_within(
            dir.path(),
            &[hook(&[
                "sh",
                "-c",
                "sleep 60 & echo $! > child.pid; echo no referral; exit 1",
            ])],
            "soap_note",
            &data,
            "f",
            Duration::from_secs(3),
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(refused.len(), 1);
        assert!(
            refused[0].message.contains("no referral"),
            "{}",
            refused[0].message
        );
        let pid = std::fs::read_to_string(dir.path().join("child.pid")).unwrap();
        let pid = pid.trim();
        let gone_by = Instant::now() + Duration::from_secs(5);
        while !ended(pid) && Instant::now() < gone_by {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(ended(pid), "the hook's child {pid} still runs");
    }

    #[test]
    fn a_hook_past_its_time_is_stopped_with_its_children() {
        let dir = tempfile::tempdir().unwrap();
        let data = serde_json::json!({});
        let started = Instant::now();
        let refused = run_all_within(
            dir.path(),
            &[hook(&[
                "sh",
                "-c",
                "sleep 60 & echo $! > child.pid; sleep 60",
            ])],
            "soap_note",
            &data,
            "f",
            Duration::from_secs(1),
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "{:?}",
            started.elapsed()
        );
        assert!(
            refused[0].message.contains("ran longer than 1 seconds"),
            "{}",
            refused[0].message
        );
        let pid = std::fs::read_to_string(dir.path().join("child.pid")).unwrap();
        let pid = pid.trim();
        let gone_by = Instant::now() + Duration::from_secs(5);
        while !ended(pid) && Instant::now() < gone_by {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(ended(pid), "the hook's child {pid} still runs");
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
