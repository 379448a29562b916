//! `claimwright followups`: the biller's worklist, most urgent first.

use super::Outcome;
use super::practice::{self, Loaded};
use crate::cli::GlobalArgs;
use anyhow::{Result, bail};
use std::io::Write;

/// Prints the worklist as text or JSON.
pub fn run(g: &GlobalArgs) -> Result<Outcome> {
    let json = match g.format.as_slice() {
        [] => false,
        [one] if one == "text" => false,
        [one] if one == "json" => true,
        _ => bail!("followups --format takes one of: text, json"),
    };
    let root = practice::root(g)?;
    let as_of = g.as_of.unwrap_or_else(super::today);
    let loaded = Loaded::new(&root, as_of);
    let tasks = crate::posting::worklist::worklist(&loaded.data, &loaded.findings, as_of);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&tasks)?)?;
        return Ok(Outcome::Success);
    }
    if tasks.is_empty() {
        writeln!(out, "nothing to follow up as of {as_of}")?;
        return Ok(Outcome::Success);
    }
    for t in &tasks {
        let when = match t.days_left {
            d if d < 0 => format!("{} ({} days late)", t.due, -d),
            0 => format!("{} (today)", t.due),
            d => format!("{} (in {d} days)", t.due),
        };
        let who = if t.patient.is_empty() {
            String::new()
        } else {
            format!("{}: ", t.patient)
        };
        writeln!(out, "{when}  {who}{}\n    {}", t.what, t.file)?;
    }
    Ok(Outcome::Success)
}
