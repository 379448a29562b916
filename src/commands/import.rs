//! `claimwright import 835 FILE...`: reads remittances, writes one record per payment into
//! `remittances/`, and a denial file for each claim the payer denied, so `render appeal` and
//! `batch` work on them. Importing a file again changes nothing.

use super::Outcome;
use super::practice::{self, report};
use crate::cli::GlobalArgs;
use crate::findings::Finding;
use crate::load::PracticeData;
use crate::model::denial::{Adjustment, Denial, GroupCode};
use crate::model::remittance::{
    ProviderAdjustment, RemittanceRecord, RemittedAdjustment, RemittedClaim, RemittedLine,
    SourceFile,
};
use crate::model::{Code, Money};
use crate::output::{self, sha256_hex};
use crate::posting;
use crate::x12::remit::{self, Remittance};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Remittance files are a few megabytes at most; a larger file is not one.
const MAX_BYTES: u64 = 256 * 1024 * 1024;

/// Runs `import 835`.
pub fn run(g: &GlobalArgs, files: &[PathBuf], dry_run: bool) -> Result<Outcome> {
    let root = practice::root(g)?;
    let as_of = g.as_of.unwrap_or_else(super::today);
    let _lock = if dry_run {
        None
    } else {
        Some(crate::output::lock_folder(&root, super::LEDGER_LOCK_WAIT)?)
    };
    let (data, _) = crate::load::load(&root);
    let mut refused = false;
    for file in files {
        refused |= import_file(g, &data, file, as_of, dry_run)?;
    }
    Ok(if refused {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}

/// Imports one file; true when it could not be read as an 835.
fn import_file(
    g: &GlobalArgs,
    data: &PracticeData,
    file: &Path,
    as_of: chrono::NaiveDate,
    dry_run: bool,
) -> Result<bool> {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let size = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))?
        .len();
    let bytes = if size > MAX_BYTES {
        Vec::new()
    } else {
        std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?
    };
    let read = match remit::read_835(&bytes) {
        Ok(r) => r,
        Err(e) => {
            report(&[e.finding(&name)]);
            return Ok(true);
        }
    };
    let notes: Vec<Finding> = read.notes.iter().map(|n| n.finding(&name)).collect();
    report(&notes);
    let source = SourceFile {
        name: name.clone(),
        sha256: sha256_hex(&bytes),
    };
    for r in &read.remittances {
        post(g, data, r, &source, as_of, dry_run)?;
    }
    Ok(false)
}

/// Writes the record of one payment and its denials.
fn post(
    g: &GlobalArgs,
    data: &PracticeData,
    r: &Remittance,
    source: &SourceFile,
    as_of: chrono::NaiveDate,
    dry_run: bool,
) -> Result<()> {
    let practice_npi = data.practice().map(|p| p.npi.to_string());
    if let (Some(payee), Some(ours)) = (&r.payee_npi, &practice_npi)
        && payee != ours
    {
        report(&[Finding::warning(
            "remit.other_payee",
            source.name.clone(),
            format!(
                "payment {} is made to NPI {payee}, not to the practice's {ours}: nothing of it was posted; check that the file is this practice's",
                r.trace
            ),
        )]);
        return Ok(());
    }
    let record = to_record(data, r, source);
    let mut warnings = Vec::new();
    for c in record.claims.iter().filter(|c| !c.matched) {
        warnings.push(Finding::warning(
            "remit.unmatched_claim",
            source.name.clone(),
            format!(
                "payment {} answers claim {} (payer number {}), which the ledger does not know (a paper claim is matched by the account number of item 26 and its total charge): match it by hand",
                r.trace, c.claim_id, c.payer_claim_number
            ),
        ));
    }
    for c in &record.claims {
        for a in posting::all_adjustments(c) {
            if crate::codes::carc::lookup(&a.reason).is_none() {
                warnings.push(Finding::warning(
                    "remit.unknown_reason",
                    source.name.clone(),
                    format!(
                        "claim {}: reason {}-{} is not in the tool's table of reason codes{}: look it up on the X12 list",
                        c.claim_id,
                        a.group,
                        a.reason,
                        if c.paid.cents() == 0 { ", so with nothing paid it counts as a denial" } else { "" }
                    ),
                ));
            }
        }
    }
    report(&warnings);
    let month = r.date.unwrap_or(as_of).format("%Y-%m").to_string();
    let stem = format!(
        "{}-{}",
        output::safe_stem(record.payer.as_deref().unwrap_or("payer")),
        output::safe_stem(&r.trace).to_lowercase()
    );
    let rel = format!("remittances/{month}/{stem}.yaml");
    let text = crate::load::yaml::to_text(&record).map_err(anyhow::Error::msg)?;
    let path = data.root.join(&rel);
    // A link or a pipe in the record's place is replaced, unread.
    let current = crate::load::files::read_capped(&path, crate::load::files::REMITTANCE_BYTES);
    if current.ok().as_deref() == Some(text.as_bytes()) {
        if !g.quiet {
            println!("{rel} is imported already: nothing changed");
        }
        return Ok(());
    }
    if dry_run {
        println!(
            "would write {rel} ({} claims, {} paid)",
            record.claims.len(),
            record.amount
        );
    } else {
        super::practice::check_inside(&data.root, &path)?;
        output::write_atomic(&path, text.as_bytes())?;
        if !g.quiet {
            println!("wrote {rel}");
        }
    }
    for c in record.claims.iter().filter(|c| c.matched) {
        write_denial(g, data, &record, c, dry_run)?;
    }
    Ok(())
}

/// The record of one payment: every claim, matched to the ledger where it can be, and every
/// line matched to its session and service.
fn to_record(data: &PracticeData, r: &Remittance, source: &SourceFile) -> RemittanceRecord {
    let payer = data
        .payers
        .values()
        .find(|p| {
            let by_id = r.payer_id.as_deref().is_some_and(|id| {
                p.data
                    .payer_id
                    .as_ref()
                    .is_some_and(|ours| ours.as_str().eq_ignore_ascii_case(id))
            });
            by_id || p.data.name.eq_ignore_ascii_case(r.payer_name.trim())
        })
        .map(|p| p.id.clone());
    RemittanceRecord {
        payer,
        payer_name: r.payer_name.clone(),
        trace: r.trace.clone(),
        date: r.date,
        method: r.method.clone(),
        amount: r.amount,
        source: source.clone(),
        claims: r.claims.iter().map(|c| claim_of(data, c)).collect(),
        provider_adjustments: r
            .provider_adjustments
            .iter()
            .map(|p| ProviderAdjustment {
                reason: p.reason.clone(),
                reference: p.reference.clone(),
                amount: p.amount,
            })
            .collect(),
    }
}

fn adjustments_of(list: &[remit::Adjustment]) -> Vec<RemittedAdjustment> {
    list.iter()
        .map(|a| RemittedAdjustment {
            group: a.group.clone(),
            reason: a.reason.clone(),
            amount: a.amount,
        })
        .collect()
}

/// The paper claim a payment answers by the patient account number printed in item 26 (a
/// payer returns it in CLP01): the one paper claim of that account with the charge the
/// payment names, the latest if several match.
fn paper_claim<'a>(
    data: &'a PracticeData,
    c: &remit::RemitClaim,
) -> Option<&'a crate::load::Record<crate::model::ClaimRecord>> {
    // Item 26 prints without hyphens or spaces; a payer may send it back either way.
    let account: String = c
        .claim_id
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_uppercase();
    let mut found: Vec<_> = data
        .claims
        .values()
        .filter(|r| r.data.medium == crate::model::Medium::Paper)
        .filter(|r| crate::render::cms1500::account_number(&r.data.patient) == account)
        .filter(|r| r.data.total == c.billed)
        .collect();
    found.sort_by(|a, b| {
        (a.data.prepared, &a.data.claim_id).cmp(&(b.data.prepared, &b.data.claim_id))
    });
    found.pop()
}

fn claim_of(data: &PracticeData, c: &remit::RemitClaim) -> RemittedClaim {
    let ledger = data.claim(&c.claim_id).or_else(|| paper_claim(data, c));
    RemittedClaim {
        // A paper claim answered by its account number is recorded under its claim id.
        claim_id: ledger.map_or_else(|| c.claim_id.clone(), |r| r.data.claim_id.to_uppercase()),
        matched: ledger.is_some(),
        payer_claim_number: c.payer_claim_number.clone(),
        status: c.status.clone(),
        billed: c.billed,
        paid: c.paid,
        patient_responsibility: c.patient_responsibility,
        adjustments: adjustments_of(&c.adjustments),
        remarks: c.remarks.clone(),
        lines: c
            .lines
            .iter()
            .map(|l| {
                let matched = ledger.and_then(|rec| {
                    rec.data.lines.iter().find(|ll| match &l.control_number {
                        Some(n) => ll.control_number.eq_ignore_ascii_case(n),
                        None => {
                            ll.code == l.code
                                && l.date.is_none_or(|d| d == ll.date)
                                && ll.charge == l.billed
                                && same_modifiers(&ll.modifiers, &l.modifiers)
                        }
                    })
                });
                RemittedLine {
                    session: matched.map(|m| m.session.clone()),
                    service_index: matched.map(|m| m.service_index),
                    control_number: l.control_number.clone(),
                    code: l.code.clone(),
                    modifiers: l.modifiers.clone(),
                    date: l.date,
                    billed: l.billed,
                    paid: l.paid,
                    allowed: l.allowed,
                    adjustments: adjustments_of(&l.adjustments),
                    remarks: l.remarks.clone(),
                }
            })
            .collect(),
    }
}

fn same_modifiers(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.eq_ignore_ascii_case(y))
}

/// A denial file for a claim the payer denied (in whole or part), in the format a biller
/// writes by hand, unless one exists for the same payer claim number.
fn write_denial(
    g: &GlobalArgs,
    data: &PracticeData,
    record: &RemittanceRecord,
    c: &RemittedClaim,
    dry_run: bool,
) -> Result<()> {
    let denials = posting::denials_of(c);
    let Some(first) = denials.first() else {
        return Ok(());
    };
    let exists = data.denials.values().any(|d| {
        d.data.claim_number == c.payer_claim_number && Some(&d.data.payer) == record.payer.as_ref()
    });
    let Some(ledger) = data.claim(&c.claim_id) else {
        return Ok(());
    };
    if exists {
        return Ok(());
    }
    let Some(date) = record.date else {
        return Ok(());
    };
    let last_name = data
        .patients
        .get(&ledger.data.patient)
        .map(|p| {
            p.data
                .last_name
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_lowercase()
        })
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "patient".into());
    let rel = format!(
        "denials/{last_name}-{}{}-{date}.yaml",
        first.group.to_lowercase(),
        output::safe_stem(&first.reason).to_lowercase()
    );
    let path = data.root.join(&rel);
    if path.exists() {
        return Ok(());
    }
    let mut sessions: Vec<String> = c.lines.iter().filter_map(|l| l.session.clone()).collect();
    if sessions.is_empty() {
        sessions = ledger
            .data
            .lines
            .iter()
            .map(|l| l.session.clone())
            .collect();
    }
    sessions.sort();
    sessions.dedup();
    let denial = Denial {
        id: None,
        claim_number: c.payer_claim_number.clone(),
        patient: ledger.data.patient.clone(),
        payer: ledger.data.payer.clone(),
        date,
        sessions,
        billed: c.billed,
        paid: c.paid,
        adjustments: denial_adjustments(c),
        notes: Some(format!(
            "Imported from the remittance with trace number {} ({}).",
            record.trace, record.source.name
        )),
    };
    let text = crate::load::yaml::to_text(&denial).map_err(anyhow::Error::msg)?;
    if dry_run {
        println!("would write {rel}");
    } else {
        super::practice::check_inside(&data.root, &path)?;
        output::write_atomic(&path, text.as_bytes())?;
        if !g.quiet {
            println!("wrote {rel}");
        }
    }
    Ok(())
}

/// Every adjustment of the claim in the denial format, with the line's code and remarks.
fn denial_adjustments(c: &RemittedClaim) -> Vec<Adjustment> {
    let group = |g: &str| match g.to_ascii_uppercase().as_str() {
        "PR" => GroupCode::PR,
        "OA" => GroupCode::OA,
        "PI" => GroupCode::PI,
        _ => GroupCode::CO,
    };
    let mut out: Vec<Adjustment> = c
        .adjustments
        .iter()
        .map(|a| Adjustment {
            group: group(&a.group),
            reason: Code(a.reason.clone()),
            remarks: c.remarks.iter().map(|r| Code(r.clone())).collect(),
            amount: a.amount,
            service: None,
        })
        .collect();
    for l in &c.lines {
        for a in &l.adjustments {
            out.push(Adjustment {
                group: group(&a.group),
                reason: Code(a.reason.clone()),
                remarks: l.remarks.iter().map(|r| Code(r.clone())).collect(),
                amount: a.amount,
                service: Some(Code(l.code.clone())),
            });
        }
    }
    out.retain(|a| a.amount != Money::ZERO);
    out
}
