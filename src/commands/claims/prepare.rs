//! `claims prepare`, `correct` and `void`: screens each claim as `render` does, writes the
//! CMS-1500 PDFs or one 837P file per payer, and the ledger records as `prepared`. A rerun
//! over unchanged records writes the same bytes and touches no file.

use super::write_record;
use crate::cli::GlobalArgs;
use crate::commands::Outcome;
use crate::commands::practice::{Loaded, report};
use crate::documents::claim::{self, Claim};
use crate::documents::{Body, Prepared};
use crate::findings;
use crate::model::ledger::OutputFile;
use crate::model::{ClaimRecord, Frequency, LedgerLine, LedgerStatus, Medium};
use crate::output::{self, sha256_hex};
use crate::render::templates::Engine;
use crate::render::{Format, Renderer, cms1500, x837};
use anyhow::{Result, bail};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What `claims prepare` is asked for.
pub struct Request<'a> {
    /// The date "today" means.
    pub as_of: NaiveDate,
    /// Any day of the month.
    pub month: NaiveDate,
    /// Only this payer.
    pub payer: Option<&'a str>,
    /// How the claims go out.
    pub medium: Medium,
}

/// A claim that passed screening, ready to write.
struct Ready {
    doc: Prepared,
}

impl Ready {
    fn claim(&self) -> &Claim {
        match &self.doc.body {
            Body::Claim(c) => c,
            // Only claims are prepared here.
            Body::Template(_) => unreachable!("claims prepare prepares claims only"),
        }
    }
}

/// `claims prepare`.
pub fn prepare(g: &GlobalArgs, root: &Path, req: &Request<'_>) -> Result<Outcome> {
    let loaded = Loaded::new(root, req.as_of);
    let data = &loaded.data;
    if let Some(p) = req.payer
        && !data.payers.contains_key(p)
    {
        bail!("no payer `{p}` in the practice");
    }
    let engine = Engine::new(None)?;
    let renderer = Renderer {
        engine: &engine,
        claim_form: loaded.claim_form(cms1500::Mode::Overlay),
    };
    let scope = loaded.scope(Some(req.month));
    let mut docs = Vec::new();
    for patient in crate::documents::patients_seen(data, &scope) {
        for (session, why) in claim::left_out(data, &patient.id, req.month) {
            if !g.quiet {
                eprintln!("left out: visit {session} was {}", why.describe());
            }
        }
        docs.extend(claim::prepare(data, patient, req.month, &scope));
    }
    docs.retain(|d| match &d.body {
        Body::Claim(c) => req.payer.is_none_or(|p| c.payer.id == p),
        Body::Template(_) => false,
    });
    let (ready, mut refused) = screen(&loaded, &renderer, docs, req.medium);
    let out_dir = g.out.clone().unwrap_or_else(|| PathBuf::from("out"));
    let written = match req.medium {
        Medium::Paper => write_paper(g, &loaded, &renderer, &out_dir, &ready)?,
        Medium::X837p => {
            let (records, failed) = write_x837(g, &loaded, &out_dir, &ready)?;
            refused |= failed;
            records
        }
    };
    let month = crate::figures::month_label(req.month);
    for record in &written {
        write_record(root, record)?;
    }
    retire_stale(g, &loaded, &month, req, &written)?;
    Ok(if refused {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}

/// Screens each claim as `render` does; held visits are reported and count as refused.
fn screen(
    loaded: &Loaded,
    renderer: &Renderer<'_>,
    docs: Vec<Prepared>,
    medium: Medium,
) -> (Vec<Ready>, bool) {
    // The paper form's limits (boxes too short for a value) matter only on paper.
    let formats: &[Format] = match medium {
        Medium::Paper => &[Format::Cms1500],
        Medium::X837p => &[],
    };
    loaded.report_practice_wide();
    let mut ready = Vec::new();
    let mut refused = false;
    for mut doc in docs {
        let (found, held) = loaded.screen_and_report(renderer, &mut doc, formats);
        refused |= held;
        if findings::has_errors(&found) {
            eprintln!(
                "refused: claim {} was not prepared (fix the errors above)",
                doc.name
            );
            refused = true;
        } else {
            ready.push(Ready { doc });
        }
    }
    (ready, refused)
}

/// The ledger record of `claim`, kept as `existing` says where it was prepared before.
fn record_of(
    claim: &Claim,
    medium: Medium,
    prepared: NaiveDate,
    output: OutputFile,
    interchange: Option<u32>,
) -> ClaimRecord {
    ClaimRecord {
        claim_id: claim.id.clone(),
        patient: claim.patient.id.clone(),
        payer: claim.payer.id.clone(),
        coverage: claim.priority,
        month: claim.month.clone(),
        medium,
        frequency: claim.frequency,
        replaces: claim.original_claim_number.clone(),
        original: None,
        lines: claim
            .lines
            .iter()
            .map(|l| LedgerLine {
                session: l.session.clone(),
                service_index: l.service_index,
                code: l.code.clone(),
                modifiers: l.modifiers.clone(),
                units: l.units,
                charge: l.charge,
                date: l.date,
                control_number: l.control_number.clone(),
                diagnoses: l.diagnoses.clone(),
                rendering_npi: l.rendering.as_ref().map(|r| r.npi.clone()),
            })
            .collect(),
        total: claim.total_charge,
        status: LedgerStatus::Prepared,
        prepared,
        sent: None,
        output: Some(output),
        interchange,
    }
}

/// The date a claim was first prepared: kept from its record, so reruns write the same bytes.
fn prepared_on(loaded: &Loaded, id: &str) -> NaiveDate {
    loaded
        .data
        .claim(id)
        .filter(|r| r.data.status == LedgerStatus::Prepared)
        .map(|r| r.data.prepared)
        .unwrap_or(loaded.as_of)
}

/// Writes `bytes` to `out_dir/rel` unless the file already holds them.
fn write_output(g: &GlobalArgs, out_dir: &Path, rel: &str, bytes: &[u8]) -> Result<OutputFile> {
    let path = out_dir.join(rel);
    let sha = sha256_hex(bytes);
    let same = std::fs::read(&path).is_ok_and(|b| sha256_hex(&b) == sha);
    if !same {
        output::write_atomic(&path, bytes)?;
        if !g.quiet {
            println!("wrote {}", path.display());
        }
    }
    Ok(OutputFile {
        path: rel.to_string(),
        sha256: sha,
    })
}

/// One CMS-1500 PDF per claim.
fn write_paper(
    g: &GlobalArgs,
    loaded: &Loaded,
    renderer: &Renderer<'_>,
    out_dir: &Path,
    ready: &[Ready],
) -> Result<Vec<ClaimRecord>> {
    let mut records = Vec::new();
    for r in ready {
        let mut doc = r.doc.clone();
        let prepared = prepared_on(loaded, &r.claim().id);
        if let Body::Claim(c) = &mut doc.body {
            c.signed = prepared;
        }
        let files = match renderer.render(&doc, &[Format::Cms1500]) {
            Ok(files) => files,
            Err(f) => {
                report(&[f]);
                continue;
            }
        };
        for file in files {
            let rel = format!("claim/{}.pdf", output::safe_stem(&doc.name));
            let out = write_output(g, out_dir, &rel, &file.bytes)?;
            records.push(record_of(r.claim(), Medium::Paper, prepared, out, None));
        }
    }
    Ok(records)
}

/// One 837P interchange per payer. The flag says whether a payer's file was refused.
fn write_x837(
    g: &GlobalArgs,
    loaded: &Loaded,
    out_dir: &Path,
    ready: &[Ready],
) -> Result<(Vec<ClaimRecord>, bool)> {
    let data = &loaded.data;
    let mut by_payer: BTreeMap<&str, Vec<&Ready>> = BTreeMap::new();
    for r in ready {
        by_payer.entry(&r.claim().payer.id).or_default().push(r);
    }
    let mut next_number = data
        .claims
        .values()
        .filter_map(|c| c.data.interchange)
        .max()
        .unwrap_or(0);
    let mut records = Vec::new();
    let mut refused = false;
    let edi = data.practice().and_then(|p| p.edi.as_ref());
    for (payer, group) in by_payer {
        let claims: Vec<&Claim> = group.iter().map(|r| r.claim()).collect();
        let payer_file = data
            .payers
            .get(payer)
            .map(|p| p.file.clone())
            .unwrap_or_default();
        let mut missing = x837::missing(edi, &claims, &payer_file);
        crate::load::locate_findings(&data.root, &mut missing);
        let Some(edi) = edi.filter(|_| missing.is_empty()) else {
            report(&missing);
            eprintln!("refused: no 837P for {payer} (add what is missing above)");
            refused = true;
            continue;
        };
        // A prepared interchange none of whose claims went out keeps its number and date; a
        // sent one is never written again, so new claims take the next number.
        let sent_numbers: Vec<u32> = data
            .claims
            .values()
            .filter(|r| r.data.status == LedgerStatus::Sent)
            .filter_map(|r| r.data.interchange)
            .collect();
        let earlier = claims.iter().find_map(|c| {
            data.claim(&c.id)
                .filter(|r| r.data.status == LedgerStatus::Prepared)
                .and_then(|r| r.data.interchange.map(|n| (n, r.data.prepared)))
                .filter(|(n, _)| !sent_numbers.contains(n))
        });
        let (number, prepared) = match earlier {
            Some(found) => found,
            None => {
                next_number += 1;
                (next_number, loaded.as_of)
            }
        };
        let created = prepared.and_hms_opt(0, 0, 0).unwrap_or_default();
        let interchange = x837::Interchange {
            edi,
            control_number: number,
            created,
            claims: claims.clone(),
        };
        let bytes = match x837::write(&interchange) {
            Ok(b) => b,
            Err(failures) => {
                report(&failures);
                eprintln!(
                    "refused: the 837P for {payer} failed its own check, so it was not written"
                );
                refused = true;
                continue;
            }
        };
        let month = &claims[0].month;
        let rel = format!("837p/{payer}-{month}-{number:09}.x12");
        let out = write_output(g, out_dir, &rel, &bytes)?;
        for c in claims {
            records.push(record_of(
                c,
                Medium::X837p,
                prepared,
                out.clone(),
                Some(number),
            ));
        }
    }
    Ok((records, refused))
}

/// Removes prepared (never sent) records of this month and payer that this run did not
/// make again: their visits moved to another claim or were held, and a stale record must
/// never be sent.
fn retire_stale(
    g: &GlobalArgs,
    loaded: &Loaded,
    month: &str,
    req: &Request<'_>,
    written: &[ClaimRecord],
) -> Result<()> {
    for r in loaded.data.claims.values() {
        let c = &r.data;
        let in_scope = c.month == month
            && c.status == LedgerStatus::Prepared
            && c.frequency == Frequency::Original
            && req.payer.is_none_or(|p| p == c.payer);
        if in_scope && !written.iter().any(|w| w.claim_id == c.claim_id) {
            let path = loaded.data.root.join(&r.file);
            std::fs::remove_file(&path)?;
            if !g.quiet {
                println!(
                    "removed {}: its visits are no longer claimed this way",
                    r.file
                );
            }
        }
    }
    Ok(())
}

/// `claims correct` / `claims void`: a replacement or void of a sent claim.
pub fn resubmit(
    g: &GlobalArgs,
    root: &Path,
    as_of: NaiveDate,
    id: &str,
    payer_claim_number: &str,
    frequency: Frequency,
    medium: Option<Medium>,
) -> Result<Outcome> {
    let loaded = Loaded::new(root, as_of);
    let data = &loaded.data;
    let Some(original) = data.claim(id) else {
        bail!("no claim `{id}` in the ledger: `claimwright claims list` shows them");
    };
    if original.data.status != LedgerStatus::Sent {
        bail!("claim {id} was never sent: prepare it again instead of correcting it");
    }
    let scope = loaded.scope(None);
    let Some(doc) = claim::resubmission(data, original, frequency, payer_claim_number, &scope)
    else {
        bail!("claim {id} names a patient or sessions that no longer exist");
    };
    let engine = Engine::new(None)?;
    let renderer = Renderer {
        engine: &engine,
        claim_form: loaded.claim_form(cms1500::Mode::Overlay),
    };
    let medium = medium.unwrap_or(original.data.medium);
    let (ready, refused) = screen(&loaded, &renderer, vec![doc], medium);
    if ready.is_empty() {
        return Ok(Outcome::Refused);
    }
    if ready.iter().any(|r| !r.doc.held.is_empty()) {
        // The payer replaces the whole claim: a replacement missing a visit would take
        // that visit's payment back.
        eprintln!(
            "refused: a replacement or void carries every visit of the original: fix the held visits first"
        );
        return Ok(Outcome::Refused);
    }
    let out_dir = g.out.clone().unwrap_or_else(|| PathBuf::from("out"));
    let records = match medium {
        Medium::Paper => write_paper(g, &loaded, &renderer, &out_dir, &ready)?,
        Medium::X837p => write_x837(g, &loaded, &out_dir, &ready)?.0,
    };
    if records.is_empty() {
        return Ok(Outcome::Refused);
    }
    for r in &records {
        let mut r = r.clone();
        r.original = Some(original.data.claim_id.clone());
        write_record(root, &r)?;
        if !g.quiet {
            println!(
                "prepared {} ({} of {id}): mark it sent once it goes out",
                r.claim_id,
                match frequency {
                    Frequency::Void => "void",
                    _ => "replacement",
                }
            );
        }
    }
    Ok(if refused {
        Outcome::Refused
    } else {
        Outcome::Success
    })
}
