//! `claimwright claims`: the claims ledger in the practice folder. `prepare` writes the
//! month's new claims (CMS-1500 or 837P) and their ledger records; `sent` freezes them;
//! `correct` and `void` resubmit a sent claim; `list` shows where every claim stands.

mod prepare;

use super::Outcome;
use super::practice::{self, Loaded};
use crate::cli::{ClaimsAction, GlobalArgs, MediumArg};
use crate::load::Record;
use crate::model::{ClaimRecord, LedgerStatus, Medium};
use crate::output;
use anyhow::{Result, bail};
use chrono::NaiveDate;
use serde::Serialize;
use std::io::Write;
use std::path::Path;

/// Runs a `claims` subcommand.
pub fn run(g: &GlobalArgs, action: Option<&ClaimsAction>) -> Result<Outcome> {
    let root = practice::root(g)?;
    let as_of = g.as_of.unwrap_or_else(super::today);
    // Every action but the listing writes the ledger: one writer at a time.
    let _lock = match action {
        None | Some(ClaimsAction::List) => None,
        Some(_) => Some(output::lock_folder(&root, super::LEDGER_LOCK_WAIT)?),
    };
    match action {
        None | Some(ClaimsAction::List) => list(g, &root, as_of),
        Some(ClaimsAction::Prepare {
            month,
            payer,
            medium,
        }) => prepare::prepare(
            g,
            &root,
            &prepare::Request {
                as_of,
                month: *month,
                payer: payer.as_deref(),
                medium: medium_of(*medium),
            },
        ),
        Some(ClaimsAction::Sent { claims, file, date }) => sent(
            g,
            &root,
            claims,
            file.as_deref(),
            date.unwrap_or(as_of),
            as_of,
        ),
        Some(ClaimsAction::Correct {
            claim,
            payer_claim_number,
            medium,
        }) => prepare::resubmit(
            g,
            &root,
            as_of,
            claim,
            payer_claim_number,
            crate::model::Frequency::Replacement,
            medium.map(medium_of),
        ),
        Some(ClaimsAction::Void {
            claim,
            payer_claim_number,
            medium,
        }) => prepare::resubmit(
            g,
            &root,
            as_of,
            claim,
            payer_claim_number,
            crate::model::Frequency::Void,
            medium.map(medium_of),
        ),
    }
}

fn medium_of(m: MediumArg) -> Medium {
    match m {
        MediumArg::Paper => Medium::Paper,
        MediumArg::X837p => Medium::X837p,
    }
}

/// Where a ledger record of `id` for `month` lives in the practice folder.
pub fn record_path(root: &Path, month: &str, id: &str) -> std::path::PathBuf {
    root.join("claims")
        .join(month)
        .join(format!("{}.yaml", output::safe_stem(id)))
}

/// Writes a ledger record, unless the file already says exactly that.
pub fn write_record(root: &Path, record: &ClaimRecord) -> Result<bool> {
    let text = crate::load::yaml::to_text(record).map_err(anyhow::Error::msg)?;
    let path = record_path(root, &record.month, &record.claim_id);
    // The ledger is the practice's folder: a link or a pipe in the way is replaced, unread.
    let current = crate::load::files::read_capped(&path, crate::load::files::CLAIM_BYTES);
    if current.ok().as_deref() == Some(text.as_bytes()) {
        return Ok(false);
    }
    crate::commands::practice::check_inside(root, &path)?;
    output::write_atomic(&path, text.as_bytes())?;
    Ok(true)
}

/// One line of `claims list`.
#[derive(Debug, Serialize)]
struct Row<'a> {
    id: &'a str,
    patient: &'a str,
    payer: &'a str,
    month: &'a str,
    medium: Medium,
    frequency: &'static str,
    status: LedgerStatus,
    sent: Option<NaiveDate>,
    /// Days since it was sent (or prepared, when not sent).
    age_days: i64,
    total: crate::model::Money,
    /// Sent longer ago than the payer's `follow_up_days` with no answer.
    overdue: bool,
    /// What the payer's remittances say: paid, partially paid, denied, reversed, pending.
    answer: Option<crate::posting::Answer>,
    /// Paid by the payer, in all.
    paid: Option<crate::model::Money>,
    /// `replaced` or `voided` when a sent replacement or void names it.
    superseded: Option<&'static str>,
}

/// `claims list`: every claim of the ledger, oldest month first.
fn list(g: &GlobalArgs, root: &Path, as_of: NaiveDate) -> Result<Outcome> {
    let json = match g.format.as_slice() {
        [] => false,
        [one] if one == "text" => false,
        [one] if one == "json" => true,
        _ => bail!("claims list --format takes one of: text, json"),
    };
    let loaded = Loaded::new(root, as_of);
    let data = &loaded.data;
    let answers = crate::posting::answers(data);
    let mut records: Vec<&Record<ClaimRecord>> = data.claims.values().collect();
    records
        .sort_by(|a, b| (&a.data.month, &a.data.claim_id).cmp(&(&b.data.month, &b.data.claim_id)));
    let rows: Vec<Row> = records
        .iter()
        .map(|r| {
            let c = &r.data;
            let since = c.sent.unwrap_or(c.prepared);
            let age_days = (as_of - since).num_days();
            let follow_up = data
                .payers
                .get(&c.payer)
                .map(|p| i64::from(p.data.follow_up_days))
                .unwrap_or(30);
            let answer = answers.get(&c.claim_id.to_uppercase());
            // A sent replacement or void supersedes the claim it names.
            let superseded = data
                .claims
                .values()
                .filter(|o| o.data.status == LedgerStatus::Sent)
                .filter(|o| o.data.original.as_deref() == Some(c.claim_id.as_str()))
                .map(|o| o.data.frequency)
                .max_by_key(|f| *f == crate::model::Frequency::Void);
            Row {
                answer: answer.map(|a| a.answer),
                paid: answer.map(|a| a.paid),
                id: &c.claim_id,
                patient: &c.patient,
                payer: &c.payer,
                month: &c.month,
                medium: c.medium,
                frequency: c.frequency.code(),
                status: c.status,
                sent: c.sent,
                age_days,
                total: c.total,
                overdue: c.status == LedgerStatus::Sent
                    && answer.is_none()
                    && superseded.is_none()
                    && c.frequency != crate::model::Frequency::Void
                    && age_days > follow_up,
                superseded: superseded.map(|f| match f {
                    crate::model::Frequency::Void => "voided",
                    _ => "replaced",
                }),
            }
        })
        .collect();
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(Outcome::Success);
    }
    writeln!(
        out,
        "{:<20} {:<20} {:<22} {:<6} {:<4} {:<14} {:<10} {:>5} {:>10}",
        "claim", "patient", "payer", "medium", "freq", "status", "sent", "age", "total"
    )?;
    for r in &rows {
        writeln!(
            out,
            "{:<20} {:<20} {:<22} {:<6} {:<4} {:<14} {:<10} {:>5} {:>10}{}",
            r.id,
            r.patient,
            r.payer,
            match r.medium {
                Medium::Paper => "paper",
                Medium::X837p => "837p",
            },
            r.frequency,
            match (r.superseded, r.answer, r.status) {
                (Some(s), _, _) => s,
                (None, Some(a), _) => a.as_str(),
                (None, None, LedgerStatus::Prepared) => "prepared",
                (None, None, LedgerStatus::Sent) => "sent",
            },
            r.sent.map(|d| d.to_string()).unwrap_or_default(),
            r.age_days,
            r.total.to_string(),
            if r.overdue { "  overdue" } else { "" }
        )?;
    }
    if rows.is_empty() && !g.quiet {
        writeln!(
            out,
            "no claims yet: `claimwright claims prepare --month YYYY-MM`"
        )?;
    }
    Ok(Outcome::Success)
}

/// `claims sent`: freezes the named claims (or those of an output file) as sent on `date`.
fn sent(
    g: &GlobalArgs,
    root: &Path,
    ids: &[String],
    file: Option<&Path>,
    date: NaiveDate,
    as_of: NaiveDate,
) -> Result<Outcome> {
    let (data, findings) = crate::load::load(root);
    let ledger_errors: Vec<_> = findings
        .iter()
        .filter(|f| f.file.starts_with("claims/"))
        .filter(|f| f.severity == crate::findings::Severity::Error)
        .cloned()
        .collect();
    if !ledger_errors.is_empty() {
        practice::report(&ledger_errors);
        eprintln!("refused: the ledger has errors: fix them before marking claims sent");
        return Ok(Outcome::Refused);
    }
    let mut chosen: Vec<&Record<ClaimRecord>> = Vec::new();
    for id in ids {
        match data.claim(id) {
            Some(r) => chosen.push(r),
            None => bail!("no claim `{id}` in the ledger: `claimwright claims list` shows them"),
        }
    }
    if let Some(file) = file {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let of_file: Vec<&Record<ClaimRecord>> = data
            .claims
            .values()
            .filter(|r| {
                r.data.output.as_ref().is_some_and(|o| {
                    Path::new(&o.path).file_name().map(|n| n.to_string_lossy())
                        == Some(name.as_str().into())
                })
            })
            .collect();
        if of_file.is_empty() {
            bail!("no claim of the ledger was written to {name}");
        }
        chosen.extend(of_file);
    }
    if chosen.is_empty() {
        bail!("name the claims sent, or pass --file with the file that was sent");
    }
    if date > as_of {
        bail!("the date sent, {date}, is after --as-of {as_of}: give the day the claims went out");
    }
    // An 837P file goes out whole: every claim of its interchange is sent with the one named.
    let interchanges: Vec<u32> = chosen.iter().filter_map(|r| r.data.interchange).collect();
    chosen.extend(data.claims.values().filter(|r| {
        r.data
            .interchange
            .is_some_and(|n| interchanges.contains(&n))
    }));
    chosen.sort_by_key(|r| r.id.clone());
    chosen.dedup_by_key(|r| r.id.clone());
    for r in chosen {
        if r.data.status == LedgerStatus::Sent {
            if !g.quiet {
                println!(
                    "{} was already sent on {}",
                    r.data.claim_id,
                    r.data.sent.map(|d| d.to_string()).unwrap_or_default()
                );
            }
            continue;
        }
        let mut record = r.data.clone();
        record.status = LedgerStatus::Sent;
        record.sent = Some(date);
        write_record(root, &record)?;
        if !g.quiet {
            println!("sent {} on {date}", r.data.claim_id);
        }
    }
    Ok(Outcome::Success)
}
