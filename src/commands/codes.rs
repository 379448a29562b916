//! `claimwright codes`: what the tool knows of ICD-10-CM, CPT and HCPCS codes.

use super::Outcome;
use crate::codes::{icd10, procedures};
use anyhow::Result;
use chrono::NaiveDate;
use std::io::Write;

/// Prints one paragraph per code; refused when a code is unknown everywhere.
pub fn run(codes: &[String], as_of: NaiveDate) -> Result<Outcome> {
    let table = icd10::Icd10::builtin();
    let mut out = std::io::stdout().lock();
    let mut all_known = true;
    for code in codes {
        if let Some(p) = procedures::lookup(code.trim()) {
            writeln!(out, "{}: procedure code, {}", p.code, p.description)?;
            writeln!(
                out,
                "  {}; therapy modifier: {:?}{}",
                if p.timed {
                    "timed (units per 15 minutes)"
                } else {
                    "untimed (1 unit per visit)"
                },
                p.therapy,
                p.note.map(|n| format!("; {n}")).unwrap_or_default()
            )?;
            continue;
        }
        let check = table.check(code, as_of);
        let known = !matches!(
            check.status,
            icd10::Icd10Status::Unknown { .. } | icd10::Icd10Status::Malformed { .. }
        );
        all_known &= known;
        writeln!(
            out,
            "{code}: ICD-10-CM FY{}{}: {}",
            check.fiscal_year_used,
            if check.edition_available {
                ""
            } else {
                " (newest edition available)"
            },
            check.status.message()
        )?;
    }
    Ok(if all_known {
        Outcome::Success
    } else {
        Outcome::Refused
    })
}
