//! The Tera engine: built-in templates embedded in the binary, overridden by files of the
//! same name in the practice's `templates/` folder, with Markdown autoescaping. A practice
//! template that does not compile is kept aside with its error, so it refuses only the
//! documents that use it.

use crate::documents::{KINDS, Kind, TRANSLATED};
use crate::findings::Finding;
use crate::load::files::{self, Refusal};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};
use tera::{Context, Kwargs, State, Tera};

/// A template that failed to load or render: the template's file, the line when known, and
/// Tera's message (which carries a snippet).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct TemplateError {
    /// `templates/appeal.md` for a practice file, `built-in template appeal.md` otherwise.
    pub file: String,
    /// 1-based line of the error, when Tera reports one.
    pub line: Option<usize>,
    /// What went wrong, naming the file and line.
    pub message: String,
}

impl TemplateError {
    fn new(file: String, e: &tera::Error) -> Self {
        TemplateError {
            line: error_line(e),
            message: format!("{file}: {}", report(e)),
            file,
        }
    }

    /// The `render.failed` finding that refuses a document using this template.
    pub fn finding(&self) -> Finding {
        let file = if self.file.starts_with("templates/") {
            self.file.clone()
        } else {
            "templates/".to_string()
        };
        Finding::error(
            "render.failed",
            file,
            format!(
                "{}: fix the template, or remove it to use the built-in one",
                self.message
            ),
        )
        .on_line(self.line)
    }
}

/// The built-in templates: file name and content, from the document registry, each kind's
/// translations after the English ones.
pub fn builtin() -> impl Iterator<Item = (&'static str, &'static str)> {
    KINDS
        .iter()
        .chain(TRANSLATED)
        .filter_map(|k| k.template.map(|t| (t.file, t.builtin)))
}

/// Prefix under which built-ins are registered, so a practice file of the same name wins.
const BUILTIN_PREFIX: &str = "builtin/";

/// The loaded templates.
pub struct Engine {
    /// Shared with the thread a practice template renders on, which may outlive its call.
    tera: Arc<Tera>,
    /// Name and text of each practice template in use (they replace the built-ins of the
    /// same name), sent to the worker processes.
    sources: Vec<(String, String)>,
    /// This engine among those of the process, so a worker serves only its own engine.
    id: u64,
    /// Practice templates stopped for time or memory on one document, which refuse the
    /// rest of theirs at once instead of running each to the limit.
    stopped: std::sync::Mutex<BTreeMap<String, TemplateError>>,
    /// Practice templates that did not compile, by file name.
    broken: BTreeMap<String, TemplateError>,
    /// SHA-256 of each template in use, by file name, for the batch manifest.
    hashes: BTreeMap<String, String>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("overridden", &self.overridden().collect::<Vec<_>>())
            .field("broken", &self.broken)
            .finish()
    }
}

impl Engine {
    /// Loads the built-ins and the `.md` files of `practice_templates`, when that folder
    /// exists. Only a built-in that fails (a defect of claimwright) is an error here.
    pub fn new(practice_templates: Option<&Path>) -> Result<Engine, TemplateError> {
        static ENGINES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let mut tera = tera_with(&[])?;
        let hashes = builtin()
            .map(|(name, content)| {
                let hash = crate::output::sha256_hex(content.as_bytes());
                (name.to_string(), hash)
            })
            .collect();
        let mut engine = Engine {
            tera: Arc::default(),
            sources: Vec::new(),
            id: ENGINES.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            stopped: std::sync::Mutex::default(),
            broken: BTreeMap::new(),
            hashes,
        };
        // A linked folder is not followed; the loader reports it as skipped.
        if let Some(dir) = practice_templates
            && std::fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir())
        {
            engine.add_practice_templates(&mut tera, dir);
        }
        engine.tera = Arc::new(tera);
        Ok(engine)
    }

    /// Adds each `.md` file of `dir`; one that cannot be read or compiled is kept aside.
    fn add_practice_templates(&mut self, tera: &mut Tera, dir: &Path) {
        let mut files: Vec<_> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("md"))
                .collect(),
            Err(_) => Vec::new(),
        };
        files.sort();
        for path in files {
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(String::from) else {
                continue;
            };
            let file = format!("templates/{name}");
            let content = match read_template(&path) {
                Ok(c) => c,
                // Links, pipes and the like are skipped unopened, as the loader reports:
                // the built-in template stays in use.
                Err(Refusal::Link | Refusal::Special) => continue,
                Err(e) => {
                    self.broken.insert(
                        name.clone(),
                        TemplateError {
                            message: format!("{file}: {e}"),
                            file,
                            line: None,
                        },
                    );
                    continue;
                }
            };
            self.hashes
                .insert(name.clone(), crate::output::sha256_hex(content.as_bytes()));
            match tera.add_raw_template(&name, &content) {
                Ok(()) => self.sources.push((name, content)),
                Err(e) => {
                    self.broken.insert(name, TemplateError::new(file, &e));
                }
            }
        }
    }

    /// The practice's templates that replace built-ins.
    pub fn overridden(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|(name, _)| name.as_str())
    }

    /// The error of `kind`'s template, when the practice's copy does not compile.
    pub fn broken(&self, kind: &Kind) -> Option<&TemplateError> {
        kind.template.and_then(|t| self.broken.get(t.file))
    }

    /// SHA-256 (hex) of the template that renders `kind`, or "" when it has none.
    pub fn template_hash(&self, kind: &Kind) -> &str {
        kind.template
            .and_then(|t| self.hashes.get(t.file))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// Renders the template of `kind` with `context` to Markdown.
    pub fn render(
        &self,
        kind: &Kind,
        context: &impl serde::Serialize,
    ) -> Result<String, TemplateError> {
        let Some(template) = kind.template else {
            return Err(TemplateError {
                file: String::new(),
                line: None,
                message: format!("{} has no template", kind.name),
            });
        };
        if let Some(broken) = self.broken.get(template.file) {
            return Err(broken.clone());
        }
        let name = template.file;
        if !self.overridden().any(|o| o == name) {
            let file = format!("built-in template {name}");
            let ctx = Context::from_serialize(context)
                .map_err(|e| TemplateError::new(file.clone(), &e))?;
            let deadline = Instant::now() + MAX_RENDER_TIME;
            return render_capped(&self.tera, name, &ctx, deadline).map_err(|s| s.error(file));
        }
        let file = format!("templates/{name}");
        if let Some(stopped) = self.stopped.lock().ok().and_then(|s| s.get(name).cloned()) {
            return Err(stopped);
        }
        let deadline = Instant::now() + MAX_RENDER_TIME;
        let in_worker = serde_json::to_vec(context).ok().and_then(|json| {
            super::template_worker::render(self.id, &self.sources, name, &json, deadline)
        });
        let rendered = match in_worker {
            Some(rendered) => rendered,
            None => {
                let ctx = Context::from_serialize(context)
                    .map_err(|e| TemplateError::new(file.clone(), &e))?;
                self.render_apart(name, ctx, deadline)
            }
        };
        rendered.map_err(|stop| {
            let for_all = matches!(stop, Stop::TooSlow | Stop::OutOfMemory);
            let error = stop.error(file);
            if for_all && let Ok(mut stopped) = self.stopped.lock() {
                stopped.insert(name.to_string(), error.clone());
            }
            error
        })
    }

    /// Renders a practice template on a thread of its own, abandoned at `deadline`, where no
    /// worker process can serve (a test harness): Tera cannot be stopped from outside, and a
    /// loop that prints nothing never meets the writer's own check of the time. An abandoned
    /// render runs on until it ends or the command does; it can write nothing anywhere.
    fn render_apart(&self, name: &str, ctx: Context, deadline: Instant) -> Result<String, Stop> {
        let (tx, rx) = std::sync::mpsc::channel();
        let tera = Arc::clone(&self.tera);
        let owned = name.to_string();
        std::thread::Builder::new()
            .name(format!("template {name}"))
            .spawn(move || {
                let _ = tx.send(render_capped(&tera, &owned, &ctx, deadline));
            })
            .map_err(|e| Stop::Failed(format!("no thread to render it on ({e})")))?;
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => Err(Stop::TooSlow),
            Err(RecvTimeoutError::Disconnected) => Err(Stop::Failed(
                "rendering stopped without a result".to_string(),
            )),
        }
    }
}

/// Most Markdown one document may come to; a note is a few kilobytes.
pub const MAX_OUTPUT_BYTES: usize = 16 * 1024 * 1024;

/// Longest one document may take to render; a note takes milliseconds.
pub const MAX_RENDER_TIME: Duration = Duration::from_secs(5);

/// Why a render stopped short.
pub(super) enum Stop {
    /// Tera's own error.
    Tera(tera::Error),
    /// Tera's error as a worker process reported it: its line and its report.
    Reported {
        line: Option<usize>,
        message: String,
    },
    /// The output passed `MAX_OUTPUT_BYTES`.
    TooLarge,
    /// The render passed `MAX_RENDER_TIME`.
    TooSlow,
    /// The worker process rendering it ran out of memory (or died otherwise).
    OutOfMemory,
    /// Anything else, in words.
    Failed(String),
}

impl Stop {
    /// The error of the template `file` (as `TemplateError::file` names it).
    fn error(self, file: String) -> TemplateError {
        let message = match self {
            Stop::Tera(e) => return TemplateError::new(file, &e),
            Stop::Reported { line, message } => {
                return TemplateError {
                    message: format!("{file}: {message}"),
                    file,
                    line,
                };
            }
            Stop::OutOfMemory => format!(
                "rendering needed more than {} MiB of memory and was stopped: a loop that builds a value without end, or much too much",
                super::template_worker::MEMORY_LIMIT / (1024 * 1024)
            ),
            Stop::TooLarge => format!(
                "the document came to more than {} MiB and was stopped: a loop that prints without end, or much too much",
                MAX_OUTPUT_BYTES / (1024 * 1024)
            ),
            Stop::TooSlow => format!(
                "rendering took longer than {} seconds and was stopped: a loop that never ends, or much too much work",
                MAX_RENDER_TIME.as_secs()
            ),
            Stop::Failed(why) => why,
        };
        TemplateError {
            message: format!("{file}: {message}"),
            file,
            line: None,
        }
    }
}

/// A writer that refuses to grow past `MAX_OUTPUT_BYTES` or to go on past its deadline,
/// which stops Tera at its next write.
struct Capped {
    out: Vec<u8>,
    deadline: Instant,
    stop: Option<Stop>,
    /// Writes so far: the clock is read every `CLOCK_EVERY` writes, since a document is
    /// written in thousands of small pieces and reading the clock for each cost more than
    /// the rest of the check.
    writes: u32,
}

/// How many writes pass between two readings of the clock.
const CLOCK_EVERY: u32 = 64;

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.writes = self.writes.wrapping_add(1);
        if self.out.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.stop = Some(Stop::TooLarge);
        } else if self.writes.is_multiple_of(CLOCK_EVERY) && Instant::now() > self.deadline {
            self.stop = Some(Stop::TooSlow);
        } else {
            self.out.extend_from_slice(buf);
            return Ok(buf.len());
        }
        Err(std::io::Error::other("the document's limits were reached"))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Renders `name` within the output and time limits.
pub(super) fn render_capped(
    tera: &Tera,
    name: &str,
    ctx: &Context,
    deadline: Instant,
) -> Result<String, Stop> {
    let mut out = Capped {
        out: Vec::with_capacity(16 * 1024),
        deadline,
        stop: None,
        writes: 0,
    };
    if let Err(e) = tera.render_to(name, ctx, &mut out) {
        return Err(out.stop.take().unwrap_or(Stop::Tera(e)));
    }
    String::from_utf8(out.out)
        .map_err(|_| Stop::Failed("the document is not UTF-8 text".to_string()))
}

/// The engine's Tera: Markdown escaping, the `oneline` filter, the built-in templates, and
/// the practice's `sources` (name and text) over them.
pub(super) fn tera_with(sources: &[(String, String)]) -> Result<Tera, TemplateError> {
    let mut tera = Tera::new();
    tera.set_fallback_prefixes([BUILTIN_PREFIX])
        .map_err(|e| TemplateError::new("templates/".into(), &e))?;
    tera.autoescape_on([".md"]);
    tera.set_escape_fn(super::markdown::escape_markdown);
    // One line from many: line breaks become spaces, except inside a hyphenated word
    // written across two lines ("re-" / "assessment"), which is joined back as written.
    tera.register_filter("oneline", |s: &str, _: Kwargs, _: &State| {
        let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
        super::markdown::join_broken_words(&joined).into_owned()
    });
    for (name, content) in builtin() {
        tera.add_raw_template(&format!("{BUILTIN_PREFIX}{name}"), content)
            .map_err(|e| TemplateError::new(format!("built-in template {name}"), &e))?;
    }
    for (name, content) in sources {
        tera.add_raw_template(name, content)
            .map_err(|e| TemplateError::new(format!("templates/{name}"), &e))?;
    }
    Ok(tera)
}

/// A practice template's text; a file too large to be a template is refused unread.
fn read_template(path: &Path) -> Result<String, Refusal> {
    let bytes = files::read_capped(path, files::TEMPLATE_BYTES)?;
    String::from_utf8(bytes).map_err(|_| {
        Refusal::Io(std::io::Error::other(
            "the template is not UTF-8 text: save it as UTF-8",
        ))
    })
}

/// The line Tera points at, from its typed report.
pub(super) fn error_line(e: &tera::Error) -> Option<usize> {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = current {
        if let Some(te) = err.downcast_ref::<tera::Error>() {
            match te.kind() {
                tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
                    return Some(r.span().start_line);
                }
                _ => {}
            }
        }
        current = err.source();
    }
    None
}

/// Tera's error with its causes, which carry the line and the snippet.
pub(super) fn report(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    msg
}
