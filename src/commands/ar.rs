//! `claimwright ar`: what payers owe on sent claims by age, and what patients owe.

use super::Outcome;
use super::practice::{self, Loaded};
use crate::cli::GlobalArgs;
use crate::posting::receivables::{self, BUCKETS};
use anyhow::{Result, bail};
use std::io::Write;

/// Prints the receivables as text or JSON.
pub fn run(g: &GlobalArgs) -> Result<Outcome> {
    let json = match g.format.as_slice() {
        [] => false,
        [one] if one == "text" => false,
        [one] if one == "json" => true,
        _ => bail!("ar --format takes one of: text, json"),
    };
    let root = practice::root(g)?;
    let as_of = g.as_of.unwrap_or_else(super::today);
    let loaded = Loaded::new(&root, as_of);
    let ar = receivables::receivables(&loaded.data, as_of);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&ar)?)?;
        return Ok(Outcome::Success);
    }
    writeln!(
        out,
        "owed by payers as of {as_of}, by days since the claim was sent"
    )?;
    write!(out, "{:<24}", "payer")?;
    for b in BUCKETS {
        write!(out, " {b:>10}")?;
    }
    writeln!(out, " {:>11}", "total")?;
    for p in &ar.payers {
        write!(out, "{:<24}", p.payer)?;
        for m in &p.buckets {
            write!(out, " {:>10}", m.to_string())?;
        }
        writeln!(out, " {:>11}", p.total.to_string())?;
    }
    writeln!(
        out,
        "\nowed by patients (their share on answered claims, less paid at the visits)"
    )?;
    writeln!(
        out,
        "{:<24} {:>14} {:>10} {:>10}",
        "patient", "responsibility", "paid", "balance"
    )?;
    for p in &ar.patients {
        writeln!(
            out,
            "{:<24} {:>14} {:>10} {:>10}",
            p.patient,
            p.responsibility.to_string(),
            p.paid.to_string(),
            p.balance.to_string()
        )?;
    }
    Ok(Outcome::Success)
}
