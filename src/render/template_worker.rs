//! Practice templates rendered in a child process under a memory ceiling, killed at the
//! deadline. A practice template is code from the practice folder, and Tera can be stopped
//! neither from outside nor while it builds a value without printing: in a process of its
//! own, a template that loops forever is killed, and one that allocates without end fails
//! there, never in the batch.
//!
//! The child is the claimwright binary started with [`WORKER_ARG`]. It reads the practice's
//! templates once, answers `HELLO`, then renders one request after another. Each thread
//! keeps its own child; a child that was killed or died is replaced on the next request.

use super::templates::{Stop, render_capped, tera_with};
use std::cell::RefCell;
use std::io::{self, BufReader, BufWriter, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

/// The first argument that makes the binary a template worker.
pub const WORKER_ARG: &str = "--claimwright-template-worker";

/// What a worker writes once its templates compiled.
const HELLO: &[u8; 4] = b"CWT1";

/// Memory a worker's data may take; a note renders in a few megabytes.
pub(super) const MEMORY_LIMIT: u64 = 1 << 30;

/// How long a worker may take to start and compile the templates.
const START_TIME: Duration = Duration::from_secs(10);

/// A running worker: its input, and its answers as a reader thread receives them.
struct Worker {
    /// The engine whose templates it holds.
    engine: u64,
    child: Child,
    input: BufWriter<ChildStdin>,
    answers: Receiver<Result<String, Stop>>,
}

impl Drop for Worker {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

thread_local! {
    static WORKER: RefCell<Option<Worker>> = const { RefCell::new(None) };
}

/// Renders the practice template `name` with `context` (JSON) in this thread's worker for
/// engine `engine`, whose practice templates are `sources`. None when no worker could be
/// started (the caller then renders in-process).
pub(super) fn render(
    engine: u64,
    sources: &[(String, String)],
    name: &str,
    context: &[u8],
    deadline: Instant,
) -> Option<Result<String, Stop>> {
    // A binary that cannot serve (a test harness) is not asked again.
    static UNAVAILABLE: AtomicBool = AtomicBool::new(false);
    if UNAVAILABLE.load(Ordering::Relaxed) {
        return None;
    }
    WORKER.with(|cell| {
        let mut slot = cell.borrow_mut();
        if slot.as_ref().is_none_or(|w| w.engine != engine) {
            *slot = None;
            let Some(worker) = start(engine, sources) else {
                UNAVAILABLE.store(true, Ordering::Relaxed);
                return None;
            };
            *slot = Some(worker);
        }
        let worker = slot.as_mut()?;
        let left = deadline.saturating_duration_since(Instant::now());
        let sent = write_request(&mut worker.input, name, context, left);
        let answer = match sent {
            Ok(()) => worker.answers.recv_timeout(left),
            Err(_) => Err(RecvTimeoutError::Disconnected),
        };
        match answer {
            Ok(result) => Some(result),
            Err(RecvTimeoutError::Timeout) => {
                *slot = None;
                Some(Err(Stop::TooSlow))
            }
            Err(RecvTimeoutError::Disconnected) => {
                // The child died mid-render: the memory ceiling is all that stops it there.
                *slot = None;
                Some(Err(Stop::OutOfMemory))
            }
        }
    })
}

/// Starts a worker and waits for its `HELLO`; None when that fails (a binary that is not
/// claimwright, such as a test harness, never answers it).
fn start(engine: u64, sources: &[(String, String)]) -> Option<Worker> {
    let exe = std::env::current_exe().ok()?;
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let (stdin, stdout) = (child.stdin.take()?, child.stdout.take()?);
    let mut worker = Worker {
        engine,
        child,
        input: BufWriter::new(stdin),
        answers: std::sync::mpsc::channel().1,
    };
    write_sources(&mut worker.input, sources).ok()?;
    let (hello_tx, hello_rx) = std::sync::mpsc::channel();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut output = BufReader::new(stdout);
        let mut hello = [0u8; 4];
        let greeted = output.read_exact(&mut hello).is_ok() && &hello == HELLO;
        if hello_tx.send(greeted).is_err() || !greeted {
            return;
        }
        while let Ok(answer) = read_answer(&mut output) {
            if tx.send(answer).is_err() {
                return;
            }
        }
    });
    let greeted = hello_rx.recv_timeout(START_TIME).unwrap_or(false);
    worker.answers = rx;
    greeted.then_some(worker)
}

/// The worker's side: sets its limits, compiles the practice's templates from standard
/// input, then answers requests until its input closes. Returns the exit status.
pub fn serve() -> u8 {
    #[cfg(unix)]
    {
        let limit = rustix::process::Rlimit {
            current: Some(MEMORY_LIMIT),
            maximum: Some(MEMORY_LIMIT),
        };
        if rustix::process::setrlimit(rustix::process::Resource::Data, limit).is_err() {
            return 2;
        }
    }
    // A worker outlives no batch, even one killed without warning.
    #[cfg(target_os = "linux")]
    let _ = rustix::process::set_parent_process_death_signal(Some(rustix::process::Signal::KILL));
    let mut input = BufReader::new(io::stdin().lock());
    let mut output = BufWriter::new(io::stdout().lock());
    let Ok(sources) = read_sources(&mut input) else {
        return 2;
    };
    let Ok(tera) = tera_with(&sources) else {
        return 2;
    };
    if output
        .write_all(HELLO)
        .and_then(|()| output.flush())
        .is_err()
    {
        return 2;
    }
    while let Ok((name, context, left)) = read_request(&mut input) {
        let deadline = Instant::now() + left;
        let result = serde_json::from_slice::<serde_json::Value>(&context)
            .map_err(|e| {
                Stop::Failed(format!(
                    "the document's data did not reach the template ({e})"
                ))
            })
            .and_then(|value| tera::Context::from_serialize(&value).map_err(Stop::Tera))
            .and_then(|ctx| render_capped(&tera, &name, &ctx, deadline));
        if write_answer(&mut output, result).is_err() {
            return 2;
        }
    }
    0
}

fn write_bytes(out: &mut impl Write, bytes: &[u8]) -> io::Result<()> {
    let len = u32::try_from(bytes.len()).map_err(io::Error::other)?;
    out.write_all(&len.to_le_bytes())?;
    out.write_all(bytes)
}

fn read_bytes(input: &mut impl Read) -> io::Result<Vec<u8>> {
    let mut len = [0u8; 4];
    input.read_exact(&mut len)?;
    let mut bytes = vec![0u8; u32::from_le_bytes(len) as usize];
    input.read_exact(&mut bytes)?;
    Ok(bytes)
}

fn read_string(input: &mut impl Read) -> io::Result<String> {
    String::from_utf8(read_bytes(input)?).map_err(io::Error::other)
}

/// Fingerprint of the built-in templates, so that a worker started from a binary replaced
/// since (a reinstall mid-batch) refuses to serve rather than render other built-ins.
fn builtins_fingerprint() -> String {
    use sha2::{Digest, Sha256};
    let mut hash = Sha256::new();
    for (name, content) in super::templates::builtin() {
        hash.update(name.as_bytes());
        hash.update([0]);
        hash.update(content.as_bytes());
        hash.update([0]);
    }
    format!("{}/{:x}", env!("CARGO_PKG_VERSION"), hash.finalize())
}

/// The setup a worker reads first: the built-ins' fingerprint, then the practice templates.
fn write_sources(out: &mut impl Write, sources: &[(String, String)]) -> io::Result<()> {
    write_bytes(out, builtins_fingerprint().as_bytes())?;
    let count = u32::try_from(sources.len()).map_err(io::Error::other)?;
    out.write_all(&count.to_le_bytes())?;
    for (name, source) in sources {
        write_bytes(out, name.as_bytes())?;
        write_bytes(out, source.as_bytes())?;
    }
    out.flush()
}

/// The practice templates of the setup; an error when its built-ins are not this binary's.
fn read_sources(input: &mut impl Read) -> io::Result<Vec<(String, String)>> {
    if read_string(input)? != builtins_fingerprint() {
        return Err(io::Error::other("the built-in templates differ"));
    }
    let mut count = [0u8; 4];
    input.read_exact(&mut count)?;
    (0..u32::from_le_bytes(count))
        .map(|_| Ok((read_string(input)?, read_string(input)?)))
        .collect()
}

fn write_request(
    out: &mut impl Write,
    name: &str,
    context: &[u8],
    left: Duration,
) -> io::Result<()> {
    write_bytes(out, name.as_bytes())?;
    write_bytes(out, context)?;
    let millis = u64::try_from(left.as_millis()).unwrap_or(u64::MAX);
    out.write_all(&millis.to_le_bytes())?;
    out.flush()
}

fn read_request(input: &mut impl Read) -> io::Result<(String, Vec<u8>, Duration)> {
    let name = read_string(input)?;
    let context = read_bytes(input)?;
    let mut millis = [0u8; 8];
    input.read_exact(&mut millis)?;
    Ok((
        name,
        context,
        Duration::from_millis(u64::from_le_bytes(millis)),
    ))
}

fn write_answer(out: &mut impl Write, result: Result<String, Stop>) -> io::Result<()> {
    match result {
        Ok(text) => {
            out.write_all(&[0])?;
            write_bytes(out, text.as_bytes())?;
        }
        Err(stop) => {
            let (code, line, message) = match stop {
                Stop::Tera(e) => (
                    1,
                    super::templates::error_line(&e),
                    super::templates::report(&e),
                ),
                Stop::Reported { line, message } => (1, line, message),
                Stop::TooLarge => (2, None, String::new()),
                Stop::TooSlow => (3, None, String::new()),
                Stop::OutOfMemory => (4, None, String::new()),
                Stop::Failed(why) => (5, None, why),
            };
            out.write_all(&[code])?;
            let line = line.and_then(|l| u32::try_from(l).ok()).unwrap_or(0);
            out.write_all(&line.to_le_bytes())?;
            write_bytes(out, message.as_bytes())?;
        }
    }
    out.flush()
}

fn read_answer(input: &mut impl Read) -> io::Result<Result<String, Stop>> {
    let mut code = [0u8; 1];
    input.read_exact(&mut code)?;
    if code[0] == 0 {
        return Ok(Ok(read_string(input)?));
    }
    let mut line = [0u8; 4];
    input.read_exact(&mut line)?;
    let line = match u32::from_le_bytes(line) {
        0 => None,
        l => Some(l as usize),
    };
    let message = read_string(input)?;
    Ok(Err(match code[0] {
        1 => Stop::Reported { line, message },
        2 => Stop::TooLarge,
        3 => Stop::TooSlow,
        4 => Stop::OutOfMemory,
        _ => Stop::Failed(message),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn setup_requests_and_answers_read_back_as_written() {
        let sources = vec![("soap_note.md".to_string(), "{{ x }} é\n".to_string())];
        let mut wire = Vec::new();
        write_sources(&mut wire, &sources).unwrap();
        write_request(
            &mut wire,
            "soap_note.md",
            b"{\"x\":1}",
            Duration::from_millis(4321),
        )
        .unwrap();
        let mut input = wire.as_slice();
        assert_eq!(read_sources(&mut input).unwrap(), sources);
        let (name, context, left) = read_request(&mut input).unwrap();
        assert_eq!(
            (name.as_str(), context.as_slice(), left),
            (
                "soap_note.md",
                b"{\"x\":1}".as_slice(),
                Duration::from_millis(4321)
            )
        );
        assert!(input.is_empty());

        let mut wire = Vec::new();
        write_answer(&mut wire, Ok("# Note\n".to_string())).unwrap();
        let reported = Stop::Reported {
            line: Some(3),
            message: "unknown variable".to_string(),
        };
        write_answer(&mut wire, Err(reported)).unwrap();
        write_answer(&mut wire, Err(Stop::TooLarge)).unwrap();
        write_answer(&mut wire, Err(Stop::Failed("why".to_string()))).unwrap();
        let mut input = wire.as_slice();
        assert!(matches!(read_answer(&mut input).unwrap(), Ok(t) if t == "# Note\n"));
        assert!(matches!(
            read_answer(&mut input).unwrap(),
            Err(Stop::Reported { line: Some(3), message }) if message == "unknown variable"
        ));
        assert!(matches!(
            read_answer(&mut input).unwrap(),
            Err(Stop::TooLarge)
        ));
        assert!(matches!(read_answer(&mut input).unwrap(), Err(Stop::Failed(w)) if w == "why"));
        assert!(read_answer(&mut input).is_err(), "nothing more was written");
    }

    #[test]
    fn a_worker_of_other_built_ins_refuses_the_setup() {
        let mut wire = Vec::new();
        write_bytes(&mut wire, b"0.0.0/another").unwrap();
        wire.extend_from_slice(&0u32.to_le_bytes());
        assert!(read_sources(&mut wire.as_slice()).is_err());
    }
}
