//! Loading one practice file from arbitrary bytes: the first byte picks the kind of file
//! (practice, payer, patient, session, denial, claim ledger record, remittance record), the
//! rest is the file. Loading must never panic; libFuzzer's -timeout catches a slow load.

#![no_main]

use claimwright::load::{FileKind, load_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, bytes)) = data.split_first() else {
        return;
    };
    let kind = FileKind::ALL[usize::from(first) % FileKind::ALL.len()];
    let lines = line_count(bytes);
    for finding in load_bytes(kind, bytes) {
        // A finding is about the file it was loaded as, and its line is one of the file's.
        assert_eq!(finding.file, kind.file(), "{finding:?}");
        if let Some(line) = finding.line {
            assert!(
                (1..=lines).contains(&line),
                "line {line} of {lines}: {finding:?}"
            );
        }
    }
});

/// Lines as YAML counts them: LF, CR LF and a lone CR each end one.
fn line_count(bytes: &[u8]) -> usize {
    let breaks = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
        .count();
    breaks + 1
}
