//! The 837P writer on the example practice's November claims, edited with arbitrary values
//! (names, ids, codes, amounts, units, dates, flags, lines, diagnoses, other coverage, the
//! practice's `edi` settings). `write` must answer with a file, or with findings that say why
//! not; never panic. A file it writes must pass a reading of its own, independent of the
//! writer's self-check, and the same claims must give the same bytes.

#![no_main]

mod edits;
mod reread;

use arbitrary::Arbitrary;
use chrono::{NaiveDate, NaiveDateTime};
use claimwright::documents::claim::{self, Claim};
use claimwright::documents::screen::{self, Index};
use claimwright::documents::{Body, Scope};
use claimwright::findings;
use claimwright::model::practice::Edi;
use claimwright::render::x837::{Interchange, write};
use edits::Edit;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

#[derive(Arbitrary, Debug)]
struct Input {
    /// Which payer's claims the interchange holds.
    payer: u8,
    /// Which of that payer's claims, in order (repeats allowed, four at most); none means the
    /// first.
    claims: Vec<u8>,
    control_number: u32,
    /// Days from the common era and seconds into the day of ISA09/10.
    created: (i32, u32),
    edits: Vec<Edit>,
}

/// The example practice's `edi` settings and its month's claims, grouped by payer.
struct Example {
    edi: Edi,
    by_payer: Vec<Vec<Claim>>,
}

fn example() -> &'static Example {
    static EXAMPLE: OnceLock<Example> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/harbor-street");
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).expect("a date");
        let (data, mut found) = claimwright::load::load(std::path::Path::new(root));
        claimwright::rules::check_all(&data, day(11, 30), &mut found);
        findings::sort(&mut found);
        let index = Index::new(&found);
        let scope = Scope {
            as_of: day(11, 30),
            month: Some(day(11, 1)),
            findings: &index,
        };
        let mut by_payer: Vec<Vec<Claim>> = Vec::new();
        for patient in data.patients.values() {
            for prepared in claim::prepare(&data, patient, day(11, 1), &scope) {
                let refused = findings::has_errors(&screen::findings_for(&index, &prepared));
                let Body::Claim(c) = prepared.body else {
                    continue;
                };
                if refused || c.lines.is_empty() {
                    continue;
                }
                match by_payer.iter_mut().find(|g| g[0].payer.id == c.payer.id) {
                    Some(group) => group.push(*c),
                    None => by_payer.push(vec![*c]),
                }
            }
        }
        assert!(!by_payer.is_empty(), "the example month has claims");
        let edi = data
            .practice()
            .and_then(|p| p.edi.clone())
            .expect("edi settings");
        Example { edi, by_payer }
    })
}

fuzz_target!(|input: Input| {
    let example = example();
    let group = &example.by_payer[usize::from(input.payer) % example.by_payer.len()];
    let picks = if input.claims.is_empty() {
        vec![0]
    } else {
        input.claims
    };
    let mut claims: Vec<Claim> = picks
        .iter()
        .take(4)
        .map(|&n| group[usize::from(n) % group.len()].clone())
        .collect();
    let mut edi = example.edi.clone();
    for edit in &input.edits {
        edits::apply(edit, &mut claims, &mut edi);
    }
    let created = NaiveDate::from_num_days_from_ce_opt(input.created.0)
        .zip(chrono::NaiveTime::from_num_seconds_from_midnight_opt(
            input.created.1 % 86_400,
            0,
        ))
        .map_or(NaiveDateTime::default(), |(d, t)| d.and_time(t));
    let interchange = Interchange {
        edi: &edi,
        control_number: input.control_number,
        created,
        claims: claims.iter().collect(),
    };
    let first = write(&interchange);
    assert_eq!(
        first,
        write(&interchange),
        "the same claims give the same answer"
    );
    match first {
        Ok(bytes) => {
            if let Err(problem) = reread::check(&bytes, &interchange.claims) {
                panic!(
                    "the writer's self-check let through a file that {problem}:\n{}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
        Err(found) => {
            assert!(!found.is_empty(), "a refusal says why");
            for f in &found {
                assert!(
                    matches!(f.code, "x12.invalid" | "x12.missing")
                        && f.severity == findings::Severity::Error,
                    "{f:?}"
                );
            }
        }
    }
});
