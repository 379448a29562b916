//! The 835 reader on arbitrary bytes: it reads what it can, notes the rest, or says why the
//! file is no remittance; it never panics. What it read is also walked the way the import
//! walks it (denials, notes and errors as findings).

#![no_main]

use claimwright::x12::remit::read_835;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match read_835(data) {
        Ok(read) => {
            let _ = format!("{read:?}");
            for remittance in &read.remittances {
                for claim in &remittance.claims {
                    let _ = claim.has_denial();
                    for line in &claim.lines {
                        let _ = line.units.map(|u| (u.whole(), u.to_string()));
                    }
                }
            }
            for note in &read.notes {
                let _ = note.finding("remittance.835");
            }
        }
        Err(e) => {
            let _ = e.finding("remittance.835");
        }
    }
});
