//! The 835 reader (`x12::remit`) against the public sample remittances in `fixtures/x12/`
//! (totals, statuses, denials, notes), against damaged and foreign files, and a synthesized
//! remittance of 10,000 service lines for the time it takes.

use crate::util::{fixture, project_root};
use claimwright::findings::catalog;
use claimwright::findings::{Finding, Severity};
use claimwright::model::Money;
use claimwright::x12::remit::{NoteKind, Read, RemitError, read_835};
use claimwright::x12::{Delimiters, Segment};
use std::time::Instant;

/// The bytes of `fixtures/x12/<name>`.
fn sample(name: &str) -> Vec<u8> {
    let path = fixture("x12").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `bytes` read as an 835, failing the test on an error.
fn read_ok(bytes: &[u8]) -> Read {
    read_835(bytes).unwrap_or_else(|e| panic!("read as an 835: {e}"))
}

/// Parses an amount written in a table below.
fn money(text: &str) -> Money {
    claimwright::x12::read_amount(text).unwrap_or_else(|| panic!("{text} is an amount"))
}

/// What one sample file holds, from the fixtures' README and the design notes.
struct Expected {
    file: &'static str,
    /// BPR02 of each remittance.
    payments: &'static [&'static str],
    /// CLP02 of each claim, in file order.
    statuses: &'static [&'static str],
    /// Service lines in all.
    lines: usize,
    /// ΣCLP03, ΣCLP04, ΣCLP05.
    billed: &'static str,
    paid: &'static str,
    patient: &'static str,
    /// ΣPLB.
    provider: &'static str,
    /// Whether each claim carries a denial.
    denied: &'static [bool],
    /// A piece of each note's message, in order (all of them `remit.envelope`).
    notes: &'static [&'static str],
}

const SAMPLES: &[Expected] = &[
    Expected {
        file: "835_emedny_ny_medicaid.txt",
        payments: &["45.75"],
        statuses: &["1", "2", "2"],
        lines: 10,
        billed: "102.50",
        paid: "45.75",
        patient: "0",
        provider: "0",
        // Claim 2: CO-29 (timely filing); claim 3: CO-251 on lines paid 0.
        denied: &[false, true, true],
        notes: &[],
    },
    Expected {
        file: "835_uhc_legacy.txt",
        payments: &["349.99"],
        statuses: &["1", "1"],
        lines: 5,
        billed: "1157.52",
        paid: "349.99",
        patient: "220.39",
        provider: "0",
        // CO-45 is the contract write-off, PR-1/PR-2 the patient's share.
        denied: &[false, false],
        notes: &[],
    },
    Expected {
        file: "835_pyx12_mult_loops.txt",
        payments: &["0"],
        statuses: &["4"],
        lines: 3,
        billed: "915.39",
        paid: "0",
        patient: "0",
        provider: "0",
        denied: &[true],
        notes: &[],
    },
    Expected {
        file: "835_bcbsnc_bare_st_no_envelope.txt",
        payments: &["1922.86"],
        statuses: &["1"],
        lines: 3,
        billed: "2100",
        paid: "1922.86",
        patient: "142.54",
        provider: "0",
        denied: &[false],
        notes: &[
            "no ISA envelope",
            "line 3 (59426): the SVC has 10 elements, the guide allows 7",
            "line 3 (59426): SVC02 is empty; counted as 0",
            "line 3 (59426): SVC03 is empty; counted as 0",
            "transaction 1234: SE01 says 33 segments, the set holds 32",
        ],
    },
    Expected {
        file: "835_lfh_tr3_managed_care.835",
        payments: &["945"],
        statuses: &["1", "1"],
        lines: 2,
        billed: "2000",
        paid: "945",
        patient: "900",
        provider: "0",
        // CO-A2 is not in the CARC table, and both claims were paid.
        denied: &[false, false],
        notes: &["transaction 112233: BPR16 `20002316` is not a date"],
    },
    Expected {
        file: "835_lfh_tr3_secondary_payment.835",
        payments: &["1222"],
        statuses: &["2", "2"],
        lines: 2,
        billed: "11075.14",
        paid: "1222",
        patient: "220",
        provider: "0",
        denied: &[false, false],
        notes: &[
            "transaction 1234: 2 composite elements use `>` between components while the ISA declares `:`",
        ],
    },
    Expected {
        file: "835_lfh_tr3_medicare_part_a.835",
        payments: &["150000"],
        statuses: &["1", "1"],
        lines: 0,
        billed: "226366.97",
        paid: "149998.73",
        patient: "0",
        provider: "-1.27",
        denied: &[false, false],
        notes: &[],
    },
    Expected {
        file: "835_lfh_tr3_cob_contractual_adjustment.835",
        payments: &["34"],
        statuses: &["2"],
        lines: 1,
        billed: "541",
        paid: "34",
        patient: "0",
        provider: "0",
        // OA-23 and a negative OA-94 on a line that was paid.
        denied: &[false],
        notes: &[
            "transaction 0001: 1 composite element uses `>` between components while the ISA declares `:`",
        ],
    },
    Expected {
        file: "835_nevada_medicaid_malformed_isa.txt",
        payments: &["0", "0", "1812.27"],
        statuses: &["4", "2", "4"],
        lines: 0,
        billed: "116465.04",
        paid: "0",
        patient: "0",
        provider: "-1812.27",
        // OA-147 and OA-176 are unknown reasons on claims paid nothing; CO-26 is another
        // payer's to pay.
        denied: &[true, true, true],
        notes: &[
            "the ISA is 72 characters long, not the fixed 106",
            "IEA02 `100000301` is not the ISA13 `100000300` it closes",
        ],
    },
];

/// The sum of `amounts`.
fn total(amounts: impl Iterator<Item = Money>) -> Money {
    Money(amounts.map(Money::cents).sum())
}

/// The figures of `read` in the shape of `Expected`, for one comparison per file.
fn figures(read: &Read) -> (Vec<Money>, Vec<String>, usize, [Money; 4], Vec<bool>) {
    let claims: Vec<_> = read.remittances.iter().flat_map(|r| &r.claims).collect();
    (
        read.remittances.iter().map(|r| r.amount).collect(),
        claims.iter().map(|c| c.status.clone()).collect(),
        claims.iter().map(|c| c.lines.len()).sum(),
        [
            total(claims.iter().map(|c| c.billed)),
            total(claims.iter().map(|c| c.paid)),
            total(claims.iter().map(|c| c.patient_responsibility)),
            total(
                read.remittances
                    .iter()
                    .flat_map(|r| &r.provider_adjustments)
                    .map(|p| p.amount),
            ),
        ],
        claims.iter().map(|c| c.has_denial()).collect(),
    )
}

#[test]
fn the_sample_remittances_read_with_their_totals_statuses_denials_and_notes() {
    for want in SAMPLES {
        let read = read_ok(&sample(want.file));
        let (payments, statuses, lines, sums, denied) = figures(&read);
        let file = want.file;
        assert_eq!(
            payments,
            want.payments.iter().map(|p| money(p)).collect::<Vec<_>>(),
            "{file}: BPR02"
        );
        assert_eq!(statuses, want.statuses, "{file}: CLP02");
        assert_eq!(lines, want.lines, "{file}: service lines");
        assert_eq!(
            sums,
            [want.billed, want.paid, want.patient, want.provider].map(money),
            "{file}: ΣCLP03, ΣCLP04, ΣCLP05, ΣPLB"
        );
        assert_eq!(denied, want.denied, "{file}: claims carrying a denial");
        // Every sample balances; what is noted is its form.
        let messages: Vec<&str> = read.notes.iter().map(|n| n.message.as_str()).collect();
        assert_eq!(messages.len(), want.notes.len(), "{file}: {messages:#?}");
        for (note, piece) in read.notes.iter().zip(want.notes) {
            assert_eq!(note.kind, NoteKind::Envelope, "{file}: {}", note.message);
            assert!(
                note.message.contains(piece),
                "{file}: `{}` should say `{piece}`",
                note.message
            );
        }
    }
}

#[test]
fn the_sample_remittances_read_their_headers_lines_and_adjustments() {
    let uhc = read_ok(&sample("835_uhc_legacy.txt"));
    let payment = &uhc.remittances[0];
    assert_eq!(payment.payer_name, "UNITED HEALTHCARE INSURANCE COMPANY");
    assert_eq!(payment.payer_id.as_deref(), Some("87726"));
    assert_eq!(payment.payee_npi.as_deref(), Some("1922164458"));
    assert_eq!(payment.trace, "1234567890");
    assert_eq!(payment.method, "ACH");
    assert_eq!(
        payment.date.map(|d| d.to_string()).as_deref(),
        Some("2021-02-04")
    );
    let claim = &payment.claims[1];
    assert_eq!(claim.claim_id, "001-18604-358");
    assert_eq!(claim.payer_claim_number, "ATL2819897800");
    assert_eq!(
        claim.service_dates,
        (
            chrono::NaiveDate::from_ymd_opt(2020, 12, 18),
            chrono::NaiveDate::from_ymd_opt(2021, 1, 10)
        )
    );
    // ISA16 is `>` here, so `HC>B4154` splits without a note.
    let line = &claim.lines[2];
    assert_eq!(line.code, "B4154");
    assert_eq!(line.units.map(|u| u.to_string()).as_deref(), Some("178"));
    assert_eq!(line.control_number.as_deref(), Some("123456789014"));
    assert_eq!(line.allowed, Some(money("144.18")));
    // One CAS with two triplets is two adjustments.
    let triplets: Vec<(&str, &str, Money)> = line
        .adjustments
        .iter()
        .map(|a| (a.group.as_str(), a.reason.as_str(), a.amount))
        .collect();
    assert_eq!(
        triplets,
        [
            ("PR", "2", money("5.13")),
            ("PR", "1", money("110")),
            ("CO", "45", money("184.32"))
        ]
    );

    // `>` inside SVC while ISA16 says `:`: the code and its modifier still come apart.
    let secondary = read_ok(&sample("835_lfh_tr3_secondary_payment.835"));
    let line = &secondary.remittances[0].claims[1].lines[1];
    assert_eq!(
        (line.code.as_str(), line.modifiers.as_slice()),
        ("66543", &["26".to_string()][..])
    );

    let bcbsnc = read_ok(&sample("835_bcbsnc_bare_st_no_envelope.txt"));
    let claim = &bcbsnc.remittances[0].claims[0];
    assert_eq!(claim.lines[0].original_code.as_deref(), Some("59410"));
    assert_eq!(
        claim.patient_name,
        Some(("Dough".to_string(), "Mary".to_string()))
    );

    let emedny = read_ok(&sample("835_emedny_ny_medicaid.txt"));
    let claim = &emedny.remittances[0].claims[2];
    assert_eq!(claim.lines[3].remarks, ["N206"]);
    let denials: Vec<String> = claim
        .denials()
        .iter()
        .map(|a| format!("{}-{} {}", a.group, a.reason, a.amount))
        .collect();
    assert_eq!(denials, ["CO-251 2.75", "CO-251 20.00"]);

    let medicare = read_ok(&sample("835_lfh_tr3_medicare_part_a.835"));
    let payment = &medicare.remittances[0];
    assert_eq!(payment.claims[1].remarks, ["MA02"]);
    let plb = &payment.provider_adjustments[0];
    assert_eq!(
        (plb.reason.as_str(), plb.reference.as_deref(), plb.amount),
        ("CV", Some("CP"), Money(-127))
    );

    let nevada = read_ok(&sample("835_nevada_medicaid_malformed_isa.txt"));
    let plb_only = &nevada.remittances[2];
    assert!(plb_only.claims.is_empty());
    assert_eq!(plb_only.provider_adjustments.len(), 6);
    assert_eq!(plb_only.method, "CHK");
}

#[test]
fn several_interchanges_in_one_file_keep_their_own_delimiters() {
    // eMedNY declares `:` and one line; UHC declares `>`; pyx12's has CR/LF after each `~`.
    let names = [
        "835_emedny_ny_medicaid.txt",
        "835_uhc_legacy.txt",
        "835_pyx12_mult_loops.txt",
    ];
    let mut joined = Vec::new();
    for name in names {
        joined.extend(sample(name));
        joined.extend(b"\r\n");
    }
    let read = read_ok(&joined);
    assert!(read.notes.is_empty(), "{:#?}", read.notes);
    let amounts: Vec<Money> = read.remittances.iter().map(|r| r.amount).collect();
    assert_eq!(amounts, [money("45.75"), money("349.99"), Money::ZERO]);
    let claims: usize = read.remittances.iter().map(|r| r.claims.len()).sum();
    assert_eq!(claims, 3 + 2 + 1);
    assert_eq!(read.remittances[1].claims[0].lines[0].code, "B4152");
}

#[test]
fn other_line_endings_and_terminators_read_the_same() {
    let original = sample("835_emedny_ny_medicaid.txt");
    let want = figures(&read_ok(&original));
    let text = String::from_utf8(original).unwrap_or_default();
    for variant in [
        text.replace('~', "~\r\n"),
        text.replace('~', "~\n"),
        text.replace('~', "|"),
        text.replace('~', "\n"),
        format!("\u{feff}  {text}\n\n"),
    ] {
        let read = read_ok(variant.as_bytes());
        assert_eq!(figures(&read), want, "{}", &variant[..120]);
        assert!(read.notes.is_empty(), "{:#?}", read.notes);
    }
}

#[test]
fn an_envelope_that_is_off_is_read_with_a_note() {
    for file in [
        "835_bcbsnc_bare_st_no_envelope.txt",
        "835_nevada_medicaid_malformed_isa.txt",
        "835_lfh_tr3_cob_contractual_adjustment.835",
    ] {
        let read = read_ok(&sample(file));
        assert!(!read.notes.is_empty(), "{file}");
        for note in &read.notes {
            assert_eq!(note.code(), "remit.envelope");
            let finding = note.finding("remittances/a.835");
            assert_eq!(
                (finding.code, finding.severity),
                ("remit.envelope", Severity::Warning)
            );
            assert_declared(&finding);
        }
    }
}

#[test]
fn sums_that_do_not_balance_are_noted_with_their_figures() {
    // Claim 1 paid 34.20 instead of 34.25: the payment, the claim and nothing else is off.
    let text = String::from_utf8(sample("835_emedny_ny_medicaid.txt")).unwrap_or_default();
    let changed = text.replacen("*1*34.25*34.25**MC*", "*1*34.25*34.20**MC*", 1);
    assert_ne!(changed, text);
    let read = read_ok(changed.as_bytes());
    assert_eq!(read.remittances[0].claims[0].paid, money("34.20"));
    let messages: Vec<&str> = read.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "transaction 1740: BPR02 45.75 is not ΣCLP04 45.70 − ΣPLB 0.00 = 45.70",
            "transaction 1740, claim PATIENT ACCOUNT NUMBER: CLP03 34.25 − CLP04 34.20 = 0.05, but its adjustments add up to 0.00 (claim 0.00, lines 0.00)",
        ]
    );
    // A line whose paid amount disagrees with its CAS, and a CLP05 that is not the PR total.
    let text = String::from_utf8(sample("835_uhc_legacy.txt")).unwrap_or_default();
    let changed = text
        .replacen("CAS*CO*45*67.5", "CAS*CO*45*67.4", 1)
        .replacen("*115.13*16*", "*115.31*16*", 1);
    let read = read_ok(changed.as_bytes());
    let messages: Vec<&str> = read.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "transaction 000000064, claim 001-18573-358: CLP03 341.28 − CLP04 88.92 = 252.36, but its adjustments add up to 252.26 (claim 0.00, lines 252.26)",
            "transaction 000000064, claim 001-18573-358, line 1 (B4152): SVC02 156.42 − SVC03 88.92 = 67.50, but its adjustments add up to 67.40",
            "transaction 000000064, claim 001-18604-358: CLP05 115.31 is not the sum of its PR adjustments, 115.13",
        ]
    );
    for note in &read.notes {
        assert_eq!(note.kind, NoteKind::Unbalanced);
        let finding = note.finding("remittances/a.835");
        assert_eq!(
            (finding.code, finding.severity),
            ("remit.unbalanced", Severity::Warning)
        );
        assert_eq!(note.code(), "remit.unbalanced");
        assert_declared(&finding);
        // Ids and amounts only: never the patient's name.
        assert!(!note.message.contains("COOL"), "{}", note.message);
    }
}

#[test]
fn a_file_that_is_not_an_835_is_unreadable() {
    let claim_file = std::fs::read(project_root().join("tests/golden/837p/northstar-ppo.x12"))
        .unwrap_or_default();
    let cases: [(&[u8], &str); 6] = [
        (
            &claim_file,
            "the file holds no 835 remittance (ST*835), only ST*837",
        ),
        (b"", "the file is empty"),
        (
            b"\xff\xfe\x00I\x00S\x00A",
            "the file is not text (X12 is plain ASCII)",
        ),
        (
            b"hello world",
            "the file does not start with an X12 segment",
        ),
        (b"ISA*00*", "the ISA segment is too short"),
        (
            b"GS*HP*A*B~GE*0*1~",
            "the file holds no 835 remittance (ST*835)",
        ),
    ];
    for (bytes, message) in cases {
        let error = read_835(bytes).expect_err(message);
        assert!(error.to_string().starts_with(message), "{error}");
        let finding = error.finding("remittances/a.835");
        assert_eq!(
            (finding.code, finding.severity),
            ("remit.unreadable", Severity::Error)
        );
        assert_declared(&finding);
    }
}

/// The catalog declares `finding`'s code with its severity.
fn assert_declared(finding: &Finding) {
    let info =
        catalog::info(finding.code).unwrap_or_else(|| panic!("{} is not declared", finding.code));
    assert_eq!(info.severity, finding.severity, "{}", finding.code);
}

#[test]
fn a_file_cut_short_is_an_error_before_its_first_claim_and_notes_after() {
    let text = String::from_utf8(sample("835_uhc_legacy.txt")).unwrap_or_default();
    let first_claim = text.find("CLP*").unwrap_or_default();
    assert_eq!(
        read_835(&text.as_bytes()[..first_claim]),
        Err(RemitError::Truncated)
    );
    // Cut inside the second claim: the first claim and the payment are kept, with notes.
    let second_claim = text.rfind("CLP*").unwrap_or_default();
    let read = read_ok(&text.as_bytes()[..second_claim + 20]);
    let payment = &read.remittances[0];
    assert_eq!(payment.amount, money("349.99"));
    assert_eq!(payment.claims.len(), 2);
    assert_eq!(payment.claims[0].paid, money("88.92"));
    assert!(
        read.notes.iter().any(|n| n.kind == NoteKind::Envelope
            && n.message.contains("ends without its SE")
            && n.message.contains("cut short")),
        "{:#?}",
        read.notes
    );
    assert!(read.notes.iter().any(|n| n.kind == NoteKind::Unbalanced));
}

#[test]
fn segments_that_do_not_end_with_the_declared_terminator_are_an_error() {
    // The ISA ends with `~`; every other segment ends with a line break instead.
    let text = String::from_utf8(sample("835_emedny_ny_medicaid.txt")).unwrap_or_default();
    let (isa, rest) = text.split_at(106);
    let broken = format!("{isa}{}", rest.replace('~', "\n"));
    let error = read_835(broken.as_bytes()).expect_err("no segment can be read");
    assert_eq!(error, RemitError::Terminator('~'));
    assert_eq!(error.finding("a.835").code, "remit.unreadable");
}

#[test]
fn every_cut_and_every_stray_delimiter_reads_without_a_panic() {
    for want in SAMPLES {
        let bytes = sample(want.file);
        for end in 0..=bytes.len() {
            let _ = read_835(&bytes[..end]);
        }
    }
    let bytes = sample("835_emedny_ny_medicaid.txt");
    for at in 0..bytes.len() {
        for stray in [b'*', b':', b'~', b'>', b'\n', b'.', b'-', b'I', 0xC3] {
            let mut damaged = bytes.clone();
            damaged[at] = stray;
            let _ = read_835(&damaged);
        }
    }
}

#[test]
fn negative_and_bare_decimal_amounts_are_exact_and_bad_ones_are_noted() {
    // The line's CO-45 of 10.00 becomes 11.27 less a CO-94 of −1.27: still 10.00 in all.
    let file = synthesized_835(1, 1).replacen("CAS*CO*45*10~", "CAS*CO*45*11.27**94*-1.27~", 1);
    let read = read_ok(file.as_bytes());
    assert!(read.notes.is_empty(), "{:#?}", read.notes);
    let adjustments = &read.remittances[0].claims[0].lines[0].adjustments;
    assert_eq!(adjustments[0].amount, money("11.27"));
    assert_eq!(
        (adjustments[1].reason.as_str(), adjustments[1].amount),
        ("94", Money(-127))
    );

    let file = synthesized_835(1, 1).replacen("AMT*B6*90~", "AMT*B6*.5~", 1);
    let read = read_ok(file.as_bytes());
    assert_eq!(
        read.remittances[0].claims[0].lines[0].allowed,
        Some(Money(50))
    );

    // An amount that is not one is counted as 0 and said so; the sums then show it too.
    let file = synthesized_835(1, 1).replacen("SVC*HC:97124:GP*100*", "SVC*HC:97124:GP*1O0*", 1);
    let read = read_ok(file.as_bytes());
    assert_eq!(read.remittances[0].claims[0].lines[0].billed, Money::ZERO);
    assert!(
        read.notes[0]
            .message
            .ends_with("SVC02 `1O0` is not an amount; counted as 0")
    );
    assert_eq!(read.notes[0].kind, NoteKind::Envelope);
    assert!(
        read.notes[1..]
            .iter()
            .all(|n| n.kind == NoteKind::Unbalanced)
    );
}

/// A balanced 835 of one payment answering `claims` claims of `lines` lines each, with a
/// fixed-width ISA and a line break after each terminator: each line billed 100.00, paid
/// 70.00 with CO-45 10.00 and PR-2 20.00.
fn synthesized_835(claims: usize, lines: usize) -> String {
    let d = Delimiters::STANDARD;
    let mut segments = vec![
        Segment::new("ISA").values([
            "00",
            "          ",
            "00",
            "          ",
            "ZZ",
            "PAYER          ",
            "ZZ",
            "HARBORST01     ",
            "261215",
            "0900",
            "^",
            "00501",
            "000000001",
            "0",
            "P",
            ":",
        ]),
        Segment::new("GS").values([
            "HP",
            "PAYER",
            "HARBORST01",
            "20261215",
            "0900",
            "1",
            "X",
            "005010X221A1",
        ]),
        Segment::new("ST").values(["835", "0001"]),
    ];
    let paid_cents = 7000 * i64::try_from(claims * lines).unwrap_or_default();
    let paid = claimwright::x12::amount(Money(paid_cents));
    let mut body = vec![
        Segment::new("BPR")
            .values(["I", &paid, "C", "ACH"])
            .skip(11)
            .value("20261215"),
        Segment::new("TRN").values(["1", "EFT0001", "1999999999"]),
        Segment::new("DTM").values(["405", "20261214"]),
        Segment::new("N1").values(["PR", "BAY STATE HEALTH"]),
        Segment::new("REF").values(["2U", "BSH01"]),
        Segment::new("N1").values(["PE", "HARBOR STREET MASSAGE", "XX", "1234567893"]),
        Segment::new("LX").value("1"),
    ];
    let per_line =
        |n: i64| claimwright::x12::amount(Money(n * i64::try_from(lines).unwrap_or_default()));
    for claim in 0..claims {
        body.push(Segment::new("CLP").values([
            format!("C{claim:05}"),
            "1".into(),
            per_line(10_000),
            per_line(7_000),
            per_line(2_000),
            "12".into(),
            format!("PCN{claim:07}"),
        ]));
        body.push(Segment::new("NM1").values(["QC", "1", "DOE", "JANE"]));
        body.push(Segment::new("DTM").values(["232", "20261201"]));
        for line in 0..lines {
            body.push(
                Segment::new("SVC")
                    .composite(["HC", "97124", "GP"])
                    .values(["100", "70", "", "4"]),
            );
            body.push(Segment::new("DTM").values(["472", "20261201"]));
            body.push(Segment::new("CAS").values(["CO", "45", "10"]));
            body.push(Segment::new("CAS").values(["PR", "2", "20"]));
            body.push(Segment::new("REF").values(["6R", &format!("{claim}-{line}")]));
            body.push(Segment::new("AMT").values(["B6", "90"]));
        }
    }
    let count = body.len() + 2;
    segments.extend(body);
    segments.push(Segment::new("SE").values([count.to_string(), "0001".into()]));
    segments.push(Segment::new("GE").values(["1", "1"]));
    segments.push(Segment::new("IEA").values(["1", "000000001"]));
    segments.iter().map(|s| s.write(&d) + "\n").collect()
}

#[test]
fn a_synthesized_remittance_reads_clean() {
    let read = read_ok(synthesized_835(40, 4).as_bytes());
    assert!(read.notes.is_empty(), "{:#?}", read.notes);
    let payment = &read.remittances[0];
    assert_eq!(payment.amount, money("11200"));
    assert_eq!(payment.claims.len(), 40);
    assert_eq!(payment.claims[39].lines.len(), 4);
    assert_eq!(payment.payer_id.as_deref(), Some("BSH01"));
    assert!(payment.claims.iter().all(|c| !c.has_denial()));
}

/// `cargo test --release --test tests remit::reading_10000_lines -- --ignored --nocapture`
#[test]
#[ignore = "a timing, run with --release"]
fn reading_10000_lines() {
    let file = synthesized_835(2_500, 4);
    let started = Instant::now();
    let read = read_ok(file.as_bytes());
    let elapsed = started.elapsed();
    let lines: usize = read.remittances[0]
        .claims
        .iter()
        .map(|c| c.lines.len())
        .sum();
    assert_eq!(lines, 10_000);
    assert!(read.notes.is_empty());
    println!(
        "read an 835 of {} bytes, 2,500 claims and 10,000 lines in {:.1} ms",
        file.len(),
        elapsed.as_secs_f64() * 1000.0
    );
    assert!(elapsed.as_secs_f64() < 1.0, "{elapsed:?}");
}
