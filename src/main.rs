//! The claimwright binary: parse the command line, run the command, map the outcome to an
//! exit code (0 success, 1 refused, 2 could not run).

use clap::Parser;

// Rendering a month allocates many small strings on every thread; mimalloc handles that
// far better than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A practice template renders in a child process of this binary, under limits.
    if std::env::args_os().nth(1).as_deref()
        == Some(std::ffi::OsStr::new(
            claimwright::render::template_worker::WORKER_ARG,
        ))
    {
        return ExitCode::from(claimwright::render::template_worker::serve());
    }
    let cli = claimwright::cli::Cli::parse();
    match claimwright::commands::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            // A closed pipe (e.g. `| head`) is not a failure of the command.
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
