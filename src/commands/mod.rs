//! One module per subcommand; `run` dispatches and reports how the command ended.

mod ar;
mod batch;
mod bench;
mod claims;
mod codes;
mod followups;
mod import;
mod init;
mod practice;
mod render;
mod schema;
mod templates;
mod validate;

use crate::cli::{Cli, Command};
use anyhow::Result;
use chrono::NaiveDate;
use std::process::ExitCode;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything done.
    Success,
    /// Validation refused (exit 1).
    Refused,
    /// Findings were printed, but a file could not be read at all (exit 2).
    CouldNotRun,
}

impl Outcome {
    /// The process exit code.
    pub fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Success => ExitCode::SUCCESS,
            Outcome::Refused => ExitCode::from(1),
            Outcome::CouldNotRun => ExitCode::from(2),
        }
    }
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<Outcome> {
    let g = &cli.global;
    match &cli.command {
        Command::Init { dir } => init::run(dir, g.quiet),
        Command::Validate { paths } => validate::run(g, paths),
        Command::Render(args) => render::run(g, args),
        Command::Claims { action } => claims::run(g, action.as_ref()),
        Command::Followups => followups::run(g),
        Command::Ar => ar::run(g),
        Command::Import { files, dry_run, .. } => import::run(g, files, *dry_run),
        Command::Batch { month, jobs } => batch::run(g, *month, *jobs),
        Command::Bench {
            sessions,
            keep,
            validate_only,
            jobs,
        } => bench::run(&bench::BenchArgs {
            sessions: *sessions,
            keep: keep.clone(),
            validate_only: *validate_only,
            jobs: *jobs,
        }),
        Command::Templates { action } => templates::run(g, action),
        Command::Schema { kind } => schema::run(*kind),
        Command::Codes { codes } => codes::run(g, codes, g.as_of.unwrap_or_else(today)),
    }
}

/// How long a command that writes the claims ledger waits for another one doing so.
const LEDGER_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Today's date on this machine, used when `--as-of` is absent.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}
