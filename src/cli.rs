//! Command-line definitions (clap); no behaviour lives here.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  claimwright init my-practice                 write an example practice folder
  claimwright validate -C my-practice          check every file of the practice
  claimwright validate sessions/2026-11/2026-11-03-jane-doe.yaml --format json
  claimwright codes M54.5 M54.50 97124         what the tool knows of these codes
  claimwright schema session > session.schema.json

Exit codes: 0 success, 1 refused (validation found an error), 2 the command could not run.";

/// Validate and render the insurance paperwork of a massage and manual therapy practice.
#[derive(Debug, Parser)]
#[command(name = "claimwright", version, about, after_help = EXAMPLES)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options accepted before or after the subcommand.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The practice folder (default: the current folder or the nearest parent with practice.yaml).
    #[arg(short = 'C', long, global = true, value_name = "DIR")]
    pub practice: Option<PathBuf>,
    /// The date "today" means for every date rule (default: today).
    #[arg(long, global = true, value_name = "YYYY-MM-DD")]
    pub as_of: Option<NaiveDate>,
    /// validate: text | json. render, batch: md | html | pdf | json (repeat for several).
    #[arg(long, global = true, value_name = "FORMAT")]
    pub format: Vec<String>,
    /// Output folder for rendered documents (default: out/).
    #[arg(long, global = true, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Overwrite existing output files.
    #[arg(long, global = true)]
    pub force: bool,
    /// Render documents that fail validation, stamped DRAFT - NOT FOR SUBMISSION.
    #[arg(long, global = true)]
    pub draft: bool,
    /// Print nothing but findings.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a complete example practice folder to DIR (DIR must be empty or absent).
    Init {
        /// Folder to create.
        dir: PathBuf,
    },
    /// Check the practice (or only the named files) and print findings.
    Validate {
        /// Files to report on (default: the whole practice).
        paths: Vec<PathBuf>,
    },
    /// Render documents (validated first; nothing is written for a refused document).
    Render(RenderArgs),
    /// Read a payer's remittance files (835 ERA): post the payments, write denial files.
    Import {
        /// The file format: 835.
        #[arg(value_parser = ["835"])]
        format: String,
        /// The files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Say what would be written, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Accounts receivable: what payers owe by age since sent, and patient balances.
    Ar,
    /// The worklist: overdue claims, filing and appeal deadlines, limits running out; most urgent first.
    Followups,
    /// The claims ledger: prepare the month's claims, mark them sent, correct or void them, list them.
    Claims {
        /// What to do; `list` when absent.
        #[command(subcommand)]
        action: Option<ClaimsAction>,
    },
    /// Every document of a month, rendered in parallel, with a manifest; reruns are incremental.
    Batch {
        /// The month, YYYY-MM.
        #[arg(long, value_parser = parse_month)]
        month: chrono::NaiveDate,
        /// Worker threads (default: one per core; at most four times the cores, and a
        /// larger number is cut to that).
        #[arg(long, short = 'j', value_parser = parse_jobs)]
        jobs: Option<usize>,
    },
    /// Benchmark: generate a synthetic practice and time validation and the month's batch.
    Bench {
        /// The synthetic sessions to generate.
        #[command(flatten)]
        sessions: BenchSessions,
        /// Keep the practice and output in DIR.
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
        /// Time validation only.
        #[arg(long)]
        validate_only: bool,
        /// Worker threads for the batch (at most four times the cores, and a larger number
        /// is cut to that).
        #[arg(long, short = 'j', value_parser = parse_jobs)]
        jobs: Option<usize>,
    },
    /// The built-in templates: list them, or export them to customize.
    Templates {
        /// list or export.
        #[command(subcommand)]
        action: TemplatesAction,
    },
    /// Print the JSON Schema of a YAML file kind, for editors.
    Schema {
        /// The file kind; all kinds when absent.
        kind: Option<SchemaKind>,
    },
    /// Show what claimwright knows of ICD-10-CM, CPT or HCPCS codes.
    Codes {
        /// Codes to look up, with or without the dot.
        #[arg(required = true)]
        codes: Vec<String>,
    },
}

/// The synthetic sessions `bench` generates: how many, and whether each carries a warning.
#[derive(Debug, Clone, Copy, Args)]
pub struct BenchSessions {
    /// Sessions to generate.
    #[arg(long = "sessions", value_name = "N", default_value_t = 1000)]
    pub count: usize,
    /// Give every session exactly one warning (a comfort word in its SOAP assessment) and no
    /// error; the practice is otherwise the same, file for file.
    #[arg(long)]
    pub warnings: bool,
}

/// How a claim is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MediumArg {
    /// A printed CMS-1500 (PDF).
    Paper,
    /// An electronic 837P file, one per payer.
    #[value(name = "837p")]
    X837p,
}

/// The ledger's subcommands.
#[derive(Debug, Subcommand)]
pub enum ClaimsAction {
    /// Every claim with its status, medium, sent date, age and total.
    List,
    /// Claims of the month's visits not billed yet, written to the ledger as `prepared`.
    Prepare {
        /// The month, YYYY-MM.
        #[arg(long, value_parser = parse_month)]
        month: chrono::NaiveDate,
        /// Only this payer.
        #[arg(long)]
        payer: Option<String>,
        /// paper (CMS-1500 PDF) or 837p (one file per payer).
        #[arg(long, value_enum, default_value_t = MediumArg::Paper)]
        medium: MediumArg,
    },
    /// Marks claims sent: their lines are never billed again as new claims.
    Sent {
        /// Claim ids.
        claims: Vec<String>,
        /// Every claim written to this output file (an 837P interchange or a claim PDF).
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        /// The date sent; --as-of when absent.
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: Option<chrono::NaiveDate>,
    },
    /// A replacement (frequency 7) of a sent claim, from its sessions as they are now.
    Correct {
        /// The claim id.
        claim: String,
        /// The payer's number for the claim (from its remittance or claim status).
        #[arg(long, value_name = "N")]
        payer_claim_number: String,
        /// paper or 837p; the original's medium when absent.
        #[arg(long, value_enum)]
        medium: Option<MediumArg>,
    },
    /// A void (frequency 8) of a sent claim.
    Void {
        /// The claim id.
        claim: String,
        /// The payer's number for the claim.
        #[arg(long, value_name = "N")]
        payer_claim_number: String,
        /// paper or 837p; the original's medium when absent.
        #[arg(long, value_enum)]
        medium: Option<MediumArg>,
    },
}

/// What `render` makes: a document kind and the records it is made from.
#[derive(Debug, Args)]
#[command(after_help = RENDER_EXAMPLES)]
pub struct RenderArgs {
    /// The document kind: soap, summary, appeal, superbill, claim or statement.
    pub kind: String,
    /// The records by id or path: one or more sessions for soap; a patient for summary, statement,
    /// superbill and claim; a denial for appeal.
    pub names: Vec<String>,
    /// The month, for superbill and claim (YYYY-MM).
    #[arg(long, value_parser = parse_month)]
    pub month: Option<chrono::NaiveDate>,
    /// Claims: data only for a pre-printed red form (overlay), or the whole form drawn (replica).
    #[arg(long, value_enum, default_value_t = ClaimMode::Overlay)]
    pub mode: ClaimMode,
    /// Claims: print the alignment test page for calibrating the printer instead.
    #[arg(long)]
    pub alignment: bool,
}

const RENDER_EXAMPLES: &str = "\
Examples:
  claimwright render soap 2026-11-03-jane-doe 2026-11-06-jane-doe
  claimwright render summary jane-doe
  claimwright render appeal walsh-co50-2026-11-20
  claimwright render superbill jane-doe --month 2026-11
  claimwright render claim jane-doe --month 2026-11 --mode replica
  claimwright render claim --alignment
  claimwright render statement nora-pelletier --as-of 2026-12-31";

/// How a claim is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClaimMode {
    /// Data only, for pre-printed red CMS-1500 forms.
    Overlay,
    /// The form's boxes and labels drawn with the data, for records and review.
    Replica,
}

/// Parses YYYY-MM into the first day of that month.
pub fn parse_month(text: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a month: write YYYY-MM, e.g. 2026-11"))
}

/// Most worker threads `--jobs` gives: four per core. More only contend for the cores, and
/// each takes memory for its stack; a mistyped `-j 100000` would exhaust the machine.
pub fn max_jobs() -> usize {
    4 * std::thread::available_parallelism().map_or(1, usize::from)
}

/// Parses `--jobs`, cutting a number past `max_jobs` down to it.
pub fn parse_jobs(text: &str) -> Result<usize, String> {
    let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        return Err(format!("`{text}` is not a number of threads"));
    }
    // All digits, so a number too large for `usize` is only too large.
    Ok(text.parse::<usize>().unwrap_or(usize::MAX).min(max_jobs()))
}

/// What `templates` does.
#[derive(Debug, Subcommand)]
pub enum TemplatesAction {
    /// List the built-in templates and any the practice overrides.
    List,
    /// Write the built-in templates to DIR, to edit and put in the practice's templates/.
    Export {
        /// Folder to write to.
        dir: PathBuf,
    },
}

/// The YAML file kinds with a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// practice.yaml
    Practice,
    /// payers/<id>.yaml
    Payer,
    /// patients/<id>.yaml
    Patient,
    /// sessions/<YYYY-MM>/<id>.yaml
    Session,
    /// denials/<id>.yaml
    Denial,
    /// claims/<YYYY-MM>/<claim-id>.yaml, the claims ledger.
    Claim,
    /// remittances/<YYYY-MM>/<payer>-<trace>.yaml, one payment.
    Remittance,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jobs_past_the_machine_are_cut_to_its_maximum() {
        assert_eq!(parse_jobs("1"), Ok(1));
        assert_eq!(parse_jobs(&max_jobs().to_string()), Ok(max_jobs()));
        assert_eq!(parse_jobs("100000"), Ok(max_jobs().min(100_000)));
        assert_eq!(parse_jobs("99999999999999999999999"), Ok(max_jobs()));
        assert!(parse_jobs("-3").is_err() && parse_jobs("").is_err());
    }
}
