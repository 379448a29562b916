//! The broken fixture (`fixtures/broken`) and damage made at run time (a folder named like a file,
//! non-UTF-8, NUL and control characters, oversized, alias-bomb, alias-repeated and deeply nested
//! files, a byte-order mark, an integer past 64 bits): the loader survives each file and gives it
//! its own finding, and the other checks still run.

use crate::scrub::is_edition_notice;
use crate::util::{Finding, Practice, example, validate_json};

/// A copy of the broken fixture with the damage git cannot keep added: a folder named like a
/// YAML file, a non-UTF-8 file, NUL and control characters, an oversized file, an alias bomb, a
/// text repeated by an alias and deeply nested files.
fn broken_practice() -> Practice {
    let p = Practice::copy_of("broken");
    std::fs::create_dir_all(p.path("payers/folder.yaml")).expect("create a folder");
    // Latin-1 "è" on line 2.
    p.write(
        "patients/latin1.yaml",
        b"first_name: Rene\nlast_name: Lef\xe8vre\ndob: 1980-01-01\n".as_slice(),
    );
    // A session padded past 256 KiB.
    let mut huge = String::from("patient: june-ames\nprovider: sam-hale\n");
    while huge.len() <= 300 * 1024 {
        huge.push_str("# a comment line that makes the file far larger than any practice file\n");
    }
    p.write("sessions/2026-11/huge.yaml", huge);
    // "Billion laughs": nine levels of nine aliases each.
    let mut bomb = String::from(
        "patient: june-ames\nl0: &l0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n",
    );
    for level in 1..=9 {
        let previous = format!("*l{}", level - 1);
        let items = [previous.as_str(); 9].join(", ");
        bomb.push_str(&format!("l{level}: &l{level} [{items}]\n"));
    }
    bomb.push_str("diagnoses: *l9\n");
    p.write("sessions/2026-11/laughs.yaml", bomb);
    // Flow sequences nested 100,000 deep on line 3 (about 200 KB, under the size limit).
    let depth = 100_000;
    let deep = format!(
        "patient: june-ames\nprovider: sam-hale\ndiagnoses: {}{}\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    p.write("sessions/2026-11/deep.yaml", deep);
    // The same nesting after an apostrophe in a plain word, which opens no quote.
    let deep_quote = format!(
        "patient: june-ames\nprovider: sam-hale\ndiagnoses: [it's, {}{}]\n",
        "[".repeat(depth),
        "]".repeat(depth)
    );
    p.write("sessions/2026-11/deep-quote.yaml", deep_quote);
    p.write("sessions/2026-11/repeats.yaml", repeated_goals());
    // A NUL byte on line 2 (as in a UTF-16 file), a bell character on line 3.
    p.write(
        "patients/nul.yaml",
        b"first_name: Rene\nlast_name: Lef\0vre\ndob: 1980-01-01\n".as_slice(),
    );
    p.write(
        "patients/bell.yaml",
        b"first_name: Rene\nlast_name: Lefevre\ndob: 1980-01-01\x07\n".as_slice(),
    );
    p
}

/// A well-formed session whose goals repeat its long subjective 1,500 times through an
/// alias, on line 16: about 12 KB of text that would read as 300 KB.
fn repeated_goals() -> String {
    let said = "Low back pain 5/10 after lifting at work, worse on sitting; ".repeat(4);
    format!(
        "patient: june-ames\nprovider: sam-hale\ndate: 2026-11-10\ntime_in: \"11:00\"\ntime_out: \"11:45\"\n\
         diagnoses: [M54.50]\nservices:\n  - code: \"97124\"\n    minutes: 40\n    region: lumbar\n\
         soap:\n  subjective: &said {said}\n  objective: Lumbar flexion 55 degrees.\n\
         \x20 assessment: Pain 3/10 after treatment.\n  plan: Weekly for 4 weeks.\n\
         goals: [{}]\nsigned: {{by: sam-hale, date: 2026-11-10}}\n",
        vec!["*said"; 1500].join(", ")
    )
}

/// Where a broken file's finding must point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// This 1-based line.
    Line(usize),
    /// The whole file: no line.
    File,
    /// Not checked: an alias bomb has no single offending line.
    Anywhere,
}

/// (code, file, place) of every finding the broken fixture must produce.
const BROKEN: &[(&str, &str, Place)] = &[
    ("yaml.syntax", "payers/malformed.yaml", Place::Line(5)),
    ("field.invalid", "payers/wrong-type.yaml", Place::Line(5)),
    ("file.unreadable", "payers/folder.yaml", Place::File),
    ("file.empty", "patients/empty.yaml", Place::File),
    ("field.unknown", "patients/unknown-key.yaml", Place::Line(6)),
    ("field.invalid", "patients/wrong-list.yaml", Place::Line(6)),
    ("file.encoding", "patients/latin1.yaml", Place::Line(2)),
    ("file.too_large", "sessions/2026-11/huge.yaml", Place::File),
    (
        "yaml.syntax",
        "sessions/2026-11/laughs.yaml",
        Place::Anywhere,
    ),
    ("yaml.syntax", "sessions/2026-11/deep.yaml", Place::Line(3)),
    (
        "yaml.syntax",
        "sessions/2026-11/deep-quote.yaml",
        Place::Line(3),
    ),
    (
        "yaml.syntax",
        "sessions/2026-11/repeats.yaml",
        Place::Line(16),
    ),
    ("file.encoding", "patients/nul.yaml", Place::Line(2)),
    ("yaml.syntax", "patients/bell.yaml", Place::Line(3)),
    (
        "field.invalid",
        "sessions/2026-11/minutes-text.yaml",
        Place::Line(9),
    ),
    // A well-formed session is still checked by every rule.
    (
        "signature.missing",
        "sessions/2026-11/june-ames-unsigned.yaml",
        Place::Line(11),
    ),
];

#[test]
fn broken_files_each_get_their_own_finding() {
    let p = broken_practice();
    let run = validate_json(&p.root, &[]);
    // A `.yaml` that is a folder cannot be read at all: reported, then exit 2 as the contract
    // says for an unreadable file.
    run.expect_code(2);
    let report = run.report();
    for (code, file, place) in BROKEN {
        let found = report.in_file(file);
        assert_eq!(
            found.len(),
            1,
            "{file} should have exactly one finding:\n{}",
            report.listing()
        );
        assert_eq!(found[0].code, *code, "{}", found[0]);
        assert_eq!(found[0].severity, "error", "{}", found[0]);
        match place {
            Place::Line(line) => assert_eq!(found[0].line, Some(*line), "{}", found[0]),
            Place::File => assert_eq!(found[0].line, None, "{}", found[0]),
            Place::Anywhere => {}
        }
    }
    for f in &report.findings {
        let expected = BROKEN.iter().any(|(_, file, _)| *file == f.file);
        assert!(expected || is_edition_notice(f), "unexpected finding: {f}");
    }
}

#[test]
fn broken_fields_are_named() {
    let p = broken_practice();
    let report = validate_json(&p.root, &[]).report();
    let field = |file: &str| {
        report
            .in_file(file)
            .first()
            .and_then(|f| f.field.clone())
            .unwrap_or_default()
    };
    assert_eq!(field("payers/wrong-type.yaml"), "timely_filing_days");
    assert_eq!(field("patients/unknown-key.yaml"), "email");
    assert_eq!(field("patients/wrong-list.yaml"), "coverages");
    assert_eq!(
        field("sessions/2026-11/minutes-text.yaml"),
        "services[0].minutes"
    );
    let unknown = &report.in_file("patients/unknown-key.yaml")[0].message;
    assert!(unknown.contains("`email`"), "{unknown}");
}

#[test]
fn hidden_and_non_yaml_files_are_ignored() {
    let p = broken_practice();
    // The ignored files exist in the copy...
    for file in [
        "payers/notes.txt",
        "payers/.draft.yaml",
        "sessions/2026-11/.trash/old.yaml",
    ] {
        assert!(p.path(file).is_file(), "{file} is missing from the fixture");
    }
    // ...and the report never mentions them.
    let report = validate_json(&p.root, &[]).report();
    for f in &report.findings {
        assert!(
            !f.file.ends_with(".txt") && !f.file.contains("/."),
            "an ignored file was read: {f}"
        );
    }
}

#[test]
fn broken_practice_file_does_not_stop_the_other_checks() {
    let p = Practice::copy_of("broken");
    let practice = std::fs::read_to_string(p.path("practice.yaml")).expect("read practice.yaml");
    p.write(
        "practice.yaml",
        practice.replace("tax_id_type: ein", "tax_id_type: [ein"),
    );
    let run = validate_json(&p.root, &[]);
    run.expect_code(1);
    let report = run.report();
    let practice = report.in_file("practice.yaml");
    assert_eq!(practice.len(), 1, "{}", report.listing());
    assert_eq!(practice[0].code, "yaml.syntax");
    // Sessions, patients and payers are still read and checked.
    for (code, file, _) in BROKEN.iter().filter(|(_, file, _)| p.path(file).is_file()) {
        let found = report.in_file(file);
        assert!(
            found.iter().any(|f| f.code == *code),
            "{file} should still have {code}:\n{}",
            report.listing()
        );
    }
}

/// The one finding of a payer file written into a copy of the broken fixture.
fn payer_file_finding(name: &str, text: &str) -> Finding {
    let p = Practice::copy_of("broken");
    let file = format!("payers/{name}");
    p.write(&file, text);
    let report = validate_json(&p.root, &[]).report();
    let found = report.in_file(&file);
    assert_eq!(found.len(), 1, "{}", report.listing());
    found[0].clone()
}

#[test]
fn duplicate_key_is_reported_on_the_repeated_key() {
    // The second `name:` (line 3) is the mistake.
    let f = payer_file_finding(
        "duplicate.yaml",
        "name: Seacoast Mutual\nkind: commercial\nname: Seacoast Mutual Health\nunit_rule: cms_8_minute\n",
    );
    assert_eq!(f.code, "yaml.syntax", "{f}");
    assert!(f.message.contains("name"), "{f}");
    assert_eq!(f.line, Some(3), "{f}");
}

#[test]
fn unterminated_quote_is_reported_where_it_opens() {
    // The quote opened on line 4 of this 6-line file is never closed.
    let text = "name: Seacoast Mutual\nkind: commercial\nclaims_address:\n  street: \"PO Box 18\n  city: Kittery\nunit_rule: cms_8_minute\n";
    let f = payer_file_finding("open-quote.yaml", text);
    assert_eq!(f.code, "yaml.syntax", "{f}");
    let lines = text.lines().count();
    assert!(
        f.line.is_some_and(|l| l <= lines),
        "line {:?} of a {lines}-line file: {f}",
        f.line
    );
    assert_eq!(f.line, Some(4), "{f}");
}

#[test]
fn limits_and_bad_characters_say_what_to_do_without_the_text() {
    let p = broken_practice();
    let report = validate_json(&p.root, &[]).report();
    let message = |file: &str| {
        report
            .in_file(file)
            .first()
            .map(|f| f.message.clone())
            .unwrap_or_default()
    };
    let deep = message("sessions/2026-11/deep-quote.yaml");
    assert!(deep.contains("more than 64 levels"), "{deep}");
    let repeats = message("sessions/2026-11/repeats.yaml");
    assert!(
        repeats.contains("aliases expand this file beyond"),
        "{repeats}"
    );
    assert!(!repeats.contains("Low back"), "{repeats}");
    let nul = message("patients/nul.yaml");
    assert!(nul.contains("NUL") && nul.contains("UTF-8"), "{nul}");
    let bell = message("patients/bell.yaml");
    assert!(
        bell.contains("U+0007") && !bell.contains("Lefevre"),
        "{bell}"
    );
}

#[test]
fn a_byte_order_mark_before_the_first_key_changes_nothing() {
    let p = Practice::copy_from(&example("harbor-street"));
    for file in [
        "practice.yaml",
        "patients/robert-lindqvist.yaml",
        "sessions/2026-11/2026-11-02-margaret-walsh.yaml",
    ] {
        let text = std::fs::read(p.path(file)).expect("read the file");
        p.write(file, [b"\xef\xbb\xbf".as_slice(), &text].concat());
    }
    let run = validate_json(&p.root, &[]);
    run.expect_code(0);
    let report = run.report();
    assert!(
        report.findings.iter().all(is_edition_notice),
        "{}",
        report.listing()
    );
}

#[test]
fn an_integer_too_long_for_64_bits_is_a_bad_value_of_its_field() {
    let p = Practice::copy_from(&example("harbor-street"));
    let file = "patients/robert-lindqvist.yaml";
    let text = std::fs::read_to_string(p.path(file)).expect("read the patient");
    p.write(
        file,
        text.replace(
            "visits_used_before: 2",
            "visits_used_before: 99999999999999999999",
        )
        // An identifier of as many digits is text, as it always is.
        .replace(
            "group_number: \"CBMW-2210\"",
            "group_number: 12345678901234567890",
        ),
    );
    let report = validate_json(&p.root, &[]).report();
    let found = report.in_file(file);
    assert_eq!(found.len(), 1, "{}", report.listing());
    assert_eq!(found[0].code, "field.invalid", "{}", found[0]);
    assert_eq!(found[0].line, Some(29), "{}", found[0]);
    assert_eq!(
        found[0].field.as_deref(),
        Some("coverages[0].benefits.visits_used_before"),
        "{}",
        found[0]
    );
}

/// `claimwright ARGS -C ROOT --as-of AS_OF`, stopped after a minute: a reader that opens a
/// named pipe waits forever, and the test must fail rather than hang.
#[cfg(unix)]
fn run_within_a_minute(root: &std::path::Path, args: &[&str]) -> crate::util::Run {
    let output = crate::util::claimwright()
        .args(args)
        .args(["-C", root.to_str().expect("a UTF-8 path")])
        .args(["--as-of", crate::util::AS_OF])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("claimwright ends within a minute");
    crate::util::Run {
        code: output.status.code(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The example practice with a named pipe, a socket or a symbolic link wherever claimwright
/// reads: each is skipped unopened with its `file.skipped` warning, and nothing else changes.
#[cfg(unix)]
#[test]
fn pipes_sockets_and_links_are_skipped_unopened() {
    use std::os::unix::fs::symlink;
    let p = Practice::copy_from(&example("harbor-street"));
    let outside = p.root.parent().expect("a parent folder").join("outside");
    std::fs::create_dir_all(outside.join("month")).expect("create the outside folder");
    std::fs::copy(
        p.path("sessions/2026-11/2026-11-02-margaret-walsh.yaml"),
        outside.join("month/2026-12-01-margaret-walsh.yaml"),
    )
    .expect("copy a session outside");
    std::fs::write(outside.join("summary.md"), "{{ patient.name }}\n").expect("a template");
    std::fs::create_dir_all(p.path("codes")).expect("create codes/");
    std::fs::create_dir_all(p.path("templates")).expect("create templates/");
    let pipes = [
        "sessions/2026-11/pipe.yaml",
        "payers/pipe.yaml",
        "codes/icd10cm_order_2027.txt",
        "templates/soap_note.md",
    ];
    for pipe in pipes {
        let made = std::process::Command::new("mkfifo")
            .arg(p.path(pipe))
            .status()
            .expect("mkfifo runs");
        assert!(made.success(), "mkfifo {pipe}");
    }
    let _socket =
        std::os::unix::net::UnixListener::bind(p.path("patients/socket.yaml")).expect("a socket");
    symlink(outside.join("month"), p.path("sessions/2026-12")).expect("link a month");
    symlink(&outside, p.path("remittances")).expect("link a folder");
    symlink(outside.join("summary.md"), p.path("templates/summary.md")).expect("link a file");
    let run = run_within_a_minute(&p.root, &["validate", "--format", "json"]);
    run.expect_code(0);
    let report = run.report();
    let mut skipped: Vec<&str> = report
        .with_code("file.skipped")
        .iter()
        .map(|f| f.file.as_str())
        .collect();
    skipped.sort();
    let mut expected = pipes.to_vec();
    expected.extend([
        "patients/socket.yaml",
        "remittances",
        "sessions/2026-12",
        "templates/summary.md",
    ]);
    expected.sort();
    assert_eq!(skipped, expected, "{}", report.listing());
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.code == "file.skipped" || is_edition_notice(f)),
        "{}",
        report.listing()
    );
    // A document whose practice template is a pipe renders from the built-in one.
    let out = p.root.parent().expect("a parent folder").join("out");
    let out = out.to_str().expect("a UTF-8 path");
    let render = run_within_a_minute(
        &p.root,
        &[
            "render",
            "soap",
            "2026-11-02-margaret-walsh",
            "--format",
            "md",
            "--out",
            out,
        ],
    );
    render.expect_code(0);
}

/// A file over its folder's limit is refused unread; a remittance record of thousands of
/// lines is not a mistake and is read.
#[test]
fn each_folder_has_a_size_limit_that_fits_its_files() {
    let p = Practice::copy_from(&example("harbor-street"));
    let mut remittance = String::from(
        "payer_name: Northstar Health\ntrace: '0012524965'\ndate: 2026-12-12\nmethod: CHK\namount: '0.00'\nsource:\n  name: era.835\n  sha256: ade03193035938660e2d9479ab2b1d581944937a7b54eb2b8229c956f73ce055\nclaims:\n",
    );
    let mut n = 0;
    while remittance.len() <= 400 * 1024 {
        n += 1;
        remittance.push_str(&format!(
            "- claim_id: X{n:08}\n  matched: false\n  payer_claim_number: '{n:011}'\n  status: '4'\n  billed: '76.00'\n  paid: '0.00'\n  patient_responsibility: '0.00'\n  lines: []\n"
        ));
    }
    let big_remittance = "remittances/2026-12/northstar-0012524965.yaml";
    p.write(big_remittance, &remittance);
    let ledger = "claims/2026-10/cw2026105a2f1187bd.yaml";
    let mut claim = std::fs::read_to_string(p.path(ledger)).expect("read the ledger claim");
    while claim.len() <= 1024 * 1024 {
        claim.push_str("# a comment line that makes the claim far larger than any claim\n");
    }
    p.write(ledger, &claim);
    let report = validate_json(&p.root, &[]).report();
    assert!(
        report.in_file(big_remittance).is_empty(),
        "{}",
        report.listing()
    );
    let found = report.in_file(ledger);
    assert_eq!(found.len(), 1, "{}", report.listing());
    assert_eq!(found[0].code, "file.too_large", "{}", found[0]);
}
