//! `claimwright codes`: what the tool knows of ICD-10-CM, CPT and HCPCS codes.

use super::Outcome;
use crate::cli::GlobalArgs;
use crate::codes::icd10::{self, Icd10, Icd10Status};
use crate::codes::{ncci, procedures};
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;

/// Prints what is known of each code; refused when a code is unknown everywhere. Inside a
/// practice, the practice's own `codes/` tables count too.
pub fn run(g: &GlobalArgs, codes: &[String], as_of: NaiveDate) -> Result<Outcome> {
    let table = practice_tables(g);
    let mut out = std::io::stdout().lock();
    let mut all_known = true;
    for code in codes {
        let code = code.trim();
        if let Some(p) = procedures::lookup(code) {
            writeln!(out, "{}: procedure code: {}", p.code, p.description)?;
            let billing = if p.timed {
                "timed: units from minutes, 15 minutes a unit"
            } else {
                "untimed: 1 unit per visit"
            };
            writeln!(
                out,
                "  {billing}; CMS therapy code list: {}",
                p.therapy.as_str()
            )?;
            if let Some(note) = p.note {
                writeln!(out, "  note: {note}")?;
            }
            for e in ncci::all()
                .iter()
                .filter(|e| e.is_active() && (e.column1 == p.code || e.column2 == p.code))
            {
                let modifier = if e.modifier_allowed() {
                    format!("59 or XE/XS/XP/XU on {} when distinct", e.column2)
                } else {
                    "no modifier unbundles it".to_string()
                };
                writeln!(
                    out,
                    "  NCCI pair: {} (column 1) with {} (column 2): {modifier}",
                    e.column1, e.column2
                )?;
            }
            continue;
        }
        let check = table.check(code, as_of);
        let known = !matches!(
            check.status,
            Icd10Status::Unknown { .. } | Icd10Status::Malformed { .. }
        );
        all_known &= known;
        let edition = if check.edition_available {
            format!("FY{} edition", check.fiscal_year_used)
        } else {
            format!(
                "FY{} edition (the newest available; {as_of} falls in FY{})",
                check.fiscal_year_used,
                icd10::fiscal_year(as_of)
            )
        };
        writeln!(
            out,
            "{code}: ICD-10-CM, {edition}, as of {as_of}: {}",
            check.status.message()
        )?;
        if matches!(check.status, Icd10Status::Malformed { .. }) {
            continue;
        }
        for (fy, status) in table.describe(code) {
            let word = match status {
                Icd10Status::Billable { .. } => "billable",
                Icd10Status::Header { .. } => "category (not billable)",
                Icd10Status::Deleted { .. } => "no longer valid",
                Icd10Status::Unknown { .. } => "not in the edition",
                Icd10Status::Malformed { .. } => "not a code",
            };
            writeln!(out, "  FY{fy}: {word}")?;
        }
    }
    Ok(if all_known {
        Outcome::Success
    } else {
        Outcome::Refused
    })
}

/// The built-in tables plus the order files of the practice, when run inside one.
fn practice_tables(g: &GlobalArgs) -> Icd10 {
    let cwd = std::env::current_dir().unwrap_or_default();
    match crate::load::find_root(g.practice.as_deref(), &cwd) {
        Ok(root) => {
            let mut table = Icd10::builtin();
            let mut ignored = Vec::new();
            crate::load::read_code_files(&root, &mut table, &mut ignored);
            table
        }
        Err(_) => Icd10::builtin(),
    }
}
