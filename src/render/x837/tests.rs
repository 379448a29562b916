//! The 837P writer on hand-made claims: the segments each kind of claim gets, what `missing`
//! names, and a bad interchange for every defect the self-check claims to catch.

use super::*;
use crate::codes::tax_id::TaxIdType;
use crate::documents::claim::{
    BillingProvider, ClaimLine, ClaimPatient, ClaimPayer, ClaimReferral, ClaimVisit, Clinician,
    Employer, Insured, OtherCoverage, Related,
};
use crate::model::patient::{Priority, Sex};
use crate::model::practice::{EdiContact, EdiUsage};
use crate::model::{Address, Code, Money, PayerKind};
use crate::x12::Segment;
use chrono::NaiveDate;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap_or_default()
}

fn address(street: &str, zip: &str) -> Address {
    Address {
        street: street.into(),
        city: "Portland".into(),
        state: "ME".into(),
        zip: Code(zip.into()),
    }
}

fn edi() -> Edi {
    Edi {
        sender_id: "SENDER01".into(),
        receiver_id: "CLEARING".into(),
        receiver_name: "Clearing House".into(),
        submitter_id: None,
        sender_qualifier: None,
        receiver_qualifier: None,
        contact: EdiContact {
            name: "Amy Chen".into(),
            phone: "207-555-0143".into(),
            email: None,
        },
        usage: EdiUsage::Test,
    }
}

fn therapist(npi: &str, last: &str) -> Clinician {
    Clinician {
        first_name: "Amy".into(),
        last_name: last.into(),
        credentials: "LMT".into(),
        npi: npi.into(),
        taxonomy: Some("225700000X".into()),
    }
}

fn line(n: usize, date: &str, code: &str, diagnoses: &[&str], cents: i64) -> ClaimLine {
    ClaimLine {
        session: format!("s{n}"),
        service_index: 0,
        control_number: format!("L{n}"),
        date: day(date),
        place_of_service: "11".into(),
        code: code.into(),
        modifiers: vec!["GP".into()],
        diagnoses: diagnoses.iter().map(|d| d.to_string()).collect(),
        charge: Money(cents),
        units: 2,
        rendering: Some(therapist("1908301660", "Chen")),
        authorization: None,
        referral: None,
        paid: Money::ZERO,
        primary: None,
    }
}

/// Jane Doe, her own subscriber, two lines to Aetna.
fn claim() -> Claim {
    let dob = day("1980-01-02");
    let lines = vec![
        line(1, "2026-11-02", "97124", &["M54.50", "M62.830"], 7600),
        line(2, "2026-11-09", "97140", &["M54.50"], 4250),
    ];
    Claim {
        id: "CW202611TEST".into(),
        month: "2026-11".into(),
        frequency: Frequency::Original,
        priority: Priority::Primary,
        claim_filing_code: "CI".into(),
        own_member_id: false,
        authorization: Some("AUTH-1".into()),
        referral: None,
        original_claim_number: None,
        billing: BillingProvider {
            name: "Harbor Street Massage".into(),
            short_name: None,
            address: address("410 Harbor St", "04101-3219"),
            phone: "207-555-0143".into(),
            npi: "1234567893".into(),
            tax_id: "010827463".into(),
            tax_id_type: TaxIdType::Ein,
            taxonomy: "225700000X".into(),
            accept_assignment: true,
        },
        payer: ClaimPayer {
            id: "aetna".into(),
            name: "Aetna".into(),
            payer_id: Some("60054".into()),
            kind: PayerKind::Commercial,
            program: crate::model::payer::Item1::Group,
            address: address("PO Box 1", "04101"),
        },
        patient: ClaimPatient {
            id: "jane-doe".into(),
            last_name: "Doe".into(),
            first_name: "Jane".into(),
            dob,
            sex: Sex::F,
            address: address("1 Main St", "04101"),
            phone: None,
        },
        insured: Insured {
            relationship: "self",
            last_name: "Doe".into(),
            first_name: "Jane".into(),
            dob,
            sex: Sex::F,
            address: address("1 Main St", "04101"),
            member_id: "W123".into(),
            group_number: Some("G-1".into()),
            plan_name: None,
            employer: None,
        },
        other_coverage: None,
        related: Related {
            employment: false,
            auto: false,
            accident_state: None,
            carrier_claim_number: None,
            injury_date: None,
        },
        signature_on_file: true,
        assigned: true,
        release_signed: true,
        assignment_signed: true,
        diagnoses: vec!["M54.50".into(), "M62.830".into()],
        visits: vec![ClaimVisit {
            session: "s1".into(),
            date: day("2026-11-02"),
            diagnoses: vec!["M54.50".into(), "M62.830".into()],
        }],
        lines,
        total_charge: Money(11850),
        amount_paid: Money::ZERO,
        signed: day("2026-11-30"),
    }
}

/// The same patient as a spouse dependent, so a 2000C follows her subscriber.
fn dependent() -> Claim {
    let mut c = claim();
    c.insured.relationship = "spouse";
    c.insured.first_name = "John".into();
    c.insured.sex = Sex::M;
    c
}

fn interchange<'a>(edi: &'a Edi, claims: Vec<&'a Claim>) -> Interchange<'a> {
    Interchange {
        edi,
        control_number: 7,
        created: day("2026-11-30").and_hms_opt(9, 5, 0).unwrap_or_default(),
        claims,
    }
}

/// The file's lines, or the findings that refused it.
fn written(claims: &[&Claim]) -> Vec<String> {
    let e = edi();
    let bytes = write(&interchange(&e, claims.to_vec())).unwrap_or_else(|found| {
        panic!("{found:#?}");
    });
    String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::to_string)
        .collect()
}

fn has(lines: &[String], segment: &str) -> bool {
    lines.iter().any(|l| l == segment)
}

#[test]
fn a_claim_writes_every_loop_in_order() {
    let c = claim();
    let lines = written(&[&c]);
    assert_eq!(lines[0].len(), 106, "{}", lines[0]);
    assert!(lines[0].ends_with("*261130*0905*^*00501*000000007*0*T*:~"));
    let want = [
        "GS*HC*SENDER01*CLEARING*20261130*0905*7*X*005010X222A1~",
        "ST*837*0001*005010X222A1~",
        "BHT*0019*00*000000007*20261130*0905*CH~",
        "NM1*41*2*HARBOR STREET MASSAGE*****46*SENDER01~",
        "PER*IC*AMY CHEN*TE*2075550143~",
        "NM1*40*2*CLEARING HOUSE*****46*CLEARING~",
        "HL*1**20*1~",
        "PRV*BI*PXC*225700000X~",
        "NM1*85*2*HARBOR STREET MASSAGE*****XX*1234567893~",
        "N3*410 HARBOR ST~",
        "N4*PORTLAND*ME*041013219~",
        "REF*EI*010827463~",
        "HL*2*1*22*0~",
        "SBR*P*18*G-1******CI~",
        "NM1*IL*1*DOE*JANE****MI*W123~",
        "N3*1 MAIN ST~",
        "N4*PORTLAND*ME*04101~",
        "DMG*D8*19800102*F~",
        "NM1*PR*2*AETNA*****PI*60054~",
        "CLM*CW202611TEST*118.5***11:B:1*Y*A*Y*Y~",
        "REF*G1*AUTH-1~",
        "HI*ABK:M5450*ABF:M62830~",
        "NM1*82*1*CHEN*AMY****XX*1908301660~",
        "PRV*PE*PXC*225700000X~",
        "LX*1~",
        "SV1*HC:97124:GP*76*UN*2***1:2~",
        "DTP*472*D8*20261102~",
        "REF*6R*L1~",
        "LX*2~",
        "SV1*HC:97140:GP*42.5*UN*2***1~",
        "DTP*472*D8*20261109~",
        "REF*6R*L2~",
        "SE*32*0001~",
        "GE*1*7~",
        "IEA*1*000000007~",
    ];
    assert_eq!(lines[1..], want);
}

/// Medicare as the other coverage, Jane its insured under `member_id`.
fn medicare(member_id: &str) -> OtherCoverage {
    OtherCoverage {
        payer: "medicare".into(),
        payer_name: "Medicare".into(),
        payer_id: Some("04111".into()),
        priority: Priority::Secondary,
        claim_filing_code: "MB".into(),
        relationship: "self",
        adjudication: None,
        member_id: member_id.into(),
        group_number: None,
        last_name: "Doe".into(),
        first_name: "Jane".into(),
        group_or_member: member_id.into(),
        plan: "Medicare".into(),
    }
}

/// A spouse: the subscriber has a child level with the patient.
#[test]
fn a_spouse_is_the_patient_under_her_subscriber() {
    let lines = written(&[&dependent()]);
    assert!(has(&lines, "HL*2*1*22*1~") && has(&lines, "HL*3*2*23*0~"));
    assert!(has(&lines, "SBR*P**G-1******CI~") && has(&lines, "PAT*01~"));
    assert!(has(&lines, "NM1*IL*1*DOE*JOHN****MI*W123~"));
    assert!(has(&lines, "NM1*QC*1*DOE*JANE~"));
}

#[test]
fn a_child_with_a_member_id_of_her_own_is_sent_as_the_subscriber() {
    let mut own = dependent();
    own.insured.relationship = "child";
    own.own_member_id = true;
    let lines = written(&[&own]);
    assert!(has(&lines, "SBR*P*18*G-1******CI~") && has(&lines, "HL*2*1*22*0~"));
    assert!(has(&lines, "NM1*IL*1*DOE*JANE****MI*W123~"));
    assert!(!lines.iter().any(|l| l.starts_with("PAT*")));
}

/// Workers' compensation: the employer is the insured, the patient its employee.
#[test]
fn workers_compensation_insures_the_employer() {
    let mut wc = claim();
    wc.related.employment = true;
    wc.related.injury_date = Some(day("2026-09-15"));
    wc.related.carrier_claim_number = Some("WC-9".into());
    wc.claim_filing_code = "WC".into();
    wc.insured.employer = Some(Employer {
        name: "Casco Freight".into(),
        address: address("200 Commercial St", "04101"),
        phone: None,
    });
    let lines = written(&[&wc]);
    assert!(has(&lines, "NM1*IL*2*CASCO FREIGHT*****MI*W123~"));
    assert!(has(&lines, "SBR*P**G-1******WC~") && has(&lines, "PAT*20~"));
    assert!(has(&lines, "REF*Y4*WC-9~"));
    assert!(has(&lines, "CLM*CW202611TEST*118.5***11:B:1*Y*A*Y*Y**EM~"));
    assert!(has(&lines, "DTP*431*D8*20260915~") && has(&lines, "DTP*439*D8*20260915~"));
    let dmg = lines.iter().filter(|l| l.starts_with("DMG*")).count();
    assert_eq!(dmg, 1, "only the patient has demographics");
}

/// Auto, the patient the subscriber: the carrier's claim number stays in 2010BA.
#[test]
fn an_auto_claim_names_the_state_and_the_carriers_claim_number() {
    let mut auto = claim();
    auto.related.auto = true;
    auto.related.accident_state = Some("NH".into());
    auto.related.carrier_claim_number = Some("AU-1".into());
    auto.related.injury_date = Some(day("2026-10-20"));
    let lines = written(&[&auto]);
    assert!(has(
        &lines,
        "CLM*CW202611TEST*118.5***11:B:1*Y*A*Y*Y**AA:::NH~"
    ));
    let y4 = lines.iter().position(|l| l == "REF*Y4*AU-1~");
    let payer = lines.iter().position(|l| l.starts_with("NM1*PR*"));
    assert!(y4 < payer, "REF*Y4 is in 2010BA, before the payer");
}

/// Paid at the visit, another place and provider on one line, a referral with a number,
/// a replacement, no signature on file and no assignment.
#[test]
fn a_replacement_paid_at_the_visit_gets_its_amounts_references_and_providers() {
    let mut other = claim();
    other.amount_paid = Money(2500);
    other.lines[1].place_of_service = "12".into();
    other.lines[1].rendering = Some(therapist("1810970800", "Bell"));
    other.referral = Some(ClaimReferral {
        provider: therapist("1798250597", "Okafor"),
        number: Some("R-77".into()),
    });
    other.frequency = Frequency::Replacement;
    other.original_claim_number = Some("PAYER-1".into());
    other.signature_on_file = false;
    other.assigned = false;
    other.release_signed = false;
    other.assignment_signed = false;
    let lines = written(&[&other]);
    let order: Vec<&str> = lines
        .iter()
        .filter(|l| l.starts_with("AMT*") || l.starts_with("REF*") && !l.starts_with("REF*6R"))
        .map(String::as_str)
        .collect();
    assert_eq!(
        order,
        [
            "REF*EI*010827463~",
            "AMT*F5*25~",
            "REF*9F*R-77~",
            "REF*G1*AUTH-1~",
            "REF*F8*PAYER-1~"
        ]
    );
    assert!(has(&lines, "CLM*CW202611TEST*118.5***11:B:7*Y*C*W*I~"));
    assert!(has(&lines, "NM1*DN*1*OKAFOR*AMY****XX*1798250597~"));
    assert!(has(&lines, "SV1*HC:97140:GP*42.5*UN*2*12**1~"));
    let second = lines.iter().position(|l| l == "LX*2~").unwrap_or_default();
    assert_eq!(lines[second + 4], "NM1*82*1*BELL*AMY****XX*1810970800~");
}

#[test]
fn another_coverage_gets_loops_2320_2330a_and_2330b() {
    let mut primary = claim();
    primary.other_coverage = Some(medicare("1EG4TE5MK73"));
    let lines = written(&[&primary]);
    let at = lines.iter().position(|l| l == "SBR*S*18*******MB~");
    assert!(at.is_some(), "{lines:#?}");
    let at = at.unwrap_or_default();
    assert_eq!(
        lines[at + 1..at + 4],
        [
            "OI***Y***Y~",
            "NM1*IL*1*DOE*JANE****MI*1EG4TE5MK73~",
            "NM1*PR*2*MEDICARE*****PI*04111~"
        ]
    );
}

/// Two claims in one transaction: a subscriber level each, HL numbers running on.
#[test]
fn two_claims_number_their_levels_on() {
    let mut primary = claim();
    primary.other_coverage = Some(medicare("1EG4TE5MK73"));
    let lines = written(&[&dependent(), &primary]);
    assert!(has(&lines, "HL*4*1*22*0~"));
    assert_eq!(lines.iter().filter(|l| l.starts_with("CLM*")).count(), 2);
}

#[test]
fn missing_names_each_gap_with_its_file_and_field() {
    let mut e = edi();
    e.sender_id = String::new();
    e.receiver_id = "A-VERY-LONG-RECEIVER-ID".into();
    e.contact.phone = "555-0143".into();
    e.sender_qualifier = Some("Z".into());
    let mut c = claim();
    c.billing.address.zip = Code("04101".into());
    c.billing.taxonomy = String::new();
    c.payer.payer_id = None;
    c.lines[0].rendering = Some(Clinician {
        taxonomy: None,
        ..therapist("1908301660", "Chen")
    });
    c.related.employment = true;
    c.frequency = Frequency::Void;
    c.other_coverage = Some(OtherCoverage {
        payer_id: None,
        ..medicare("M")
    });
    let mut auto = claim();
    auto.related.auto = true;
    let found = missing(Some(&e), &[&c, &auto], "payers/aetna.yaml");
    let places: Vec<(&str, &str)> = found
        .iter()
        .map(|f| (f.file.as_str(), f.field.as_deref().unwrap_or("")))
        .collect();
    assert_eq!(
        places,
        [
            ("patients/jane-doe.yaml", ""),
            ("patients/jane-doe.yaml", "coverages"),
            ("patients/jane-doe.yaml", "coverages"),
            ("payers/aetna.yaml", "payer_id"),
            ("payers/medicare.yaml", "payer_id"),
            ("practice.yaml", "address.zip"),
            ("practice.yaml", "edi.contact.phone"),
            ("practice.yaml", "edi.receiver_id"),
            ("practice.yaml", "edi.sender_id"),
            ("practice.yaml", "edi.sender_qualifier"),
            ("practice.yaml", "providers"),
            ("practice.yaml", "taxonomy"),
        ],
        "{found:#?}"
    );
    assert!(found.iter().all(|f| f.code == "x12.missing"));
    let text: String = found.iter().map(|f| f.message.clone() + "\n").collect();
    for part in [
        "employer",
        "accident_state",
        "REF*F8",
        "ZIP+4",
        "NPI 1908301660",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    // No settings at all is one finding on `edi`.
    let none = missing(None, &[&claim()], "payers/aetna.yaml");
    assert_eq!(none.len(), 1);
    assert_eq!(none[0].field.as_deref(), Some("edi"));
    assert!(missing(Some(&edi()), &[&claim()], "payers/aetna.yaml").is_empty());
}

/// The good file of a dependent's claim, as text.
fn good_text() -> String {
    written(&[&dependent()]).concat()
}

/// Each defect the self-check claims to catch: what it is, a part of the good file, what that
/// part becomes, and what the defect found must say.
const DEFECTS: &[(&str, &str, &str, &str)] = &[
    (
        "an HL parent of the wrong level",
        "HL*3*2*23*0~",
        "HL*3*1*23*0~",
        "which is not a level 22",
    ),
    (
        "HL04 0 with a child",
        "HL*2*1*22*1~",
        "HL*2*1*22*0~",
        "HL04 0, but it has a child",
    ),
    (
        "SBR02 18 with a 2000C",
        "SBR*P**G-1",
        "SBR*P*18*G-1",
        "yet a patient level",
    ),
    (
        "HL numbers out of order",
        "HL*3*2*23*0~",
        "HL*4*2*23*0~",
        "is not numbered 3",
    ),
    (
        "CLM02 not the sum of SV102",
        "*118.5***",
        "*120***",
        "not the sum of its lines",
    ),
    (
        "a 5-digit billing ZIP",
        "N4*PORTLAND*ME*041013219~",
        "N4*PORTLAND*ME*04101~",
        "ZIP (N403) is not 9 digits",
    ),
    (
        "a hyphenated billing ZIP",
        "N4*PORTLAND*ME*041013219~",
        "N4*PORTLAND*ME*04101-3219~",
        "ZIP (N403) is not 9 digits",
    ),
    (
        "an NPI check digit",
        "XX*1908301660~",
        "XX*1908301661~",
        "check digit",
    ),
    (
        "a fifth modifier",
        "SV1*HC:97124:GP*",
        "SV1*HC:97124:GP:59:XS:KX:GO*",
        "5 modifiers",
    ),
    (
        "a fifth pointer",
        "***1:2~",
        "***1:2:1:2:1~",
        "5 diagnosis pointers",
    ),
    (
        "a pointer past the diagnoses",
        "***1~",
        "***3~",
        "not a diagnosis of the claim's HI",
    ),
    ("a pointer letter", "***1~", "***A~", "points at \"A\""),
    (
        "a 13th diagnosis",
        "ABF:M62830~",
        "ABF:M62830*ABF:A1*ABF:A2*ABF:A3*ABF:A4*ABF:A5*ABF:A6*ABF:A7*ABF:A8*ABF:A9*ABF:B1*ABF:B2~",
        "13 diagnoses, more than 12",
    ),
    (
        "a dotted diagnosis",
        "ABK:M5450",
        "ABK:M54.50",
        "a code without its dot",
    ),
    (
        "a wrong segment count",
        "SE*38*0001~",
        "SE*37*0001~",
        "SE01 says 37",
    ),
    (
        "GE02 not GS06",
        "GE*1*7~",
        "GE*1*8~",
        "GE02 does not equal GS06",
    ),
    (
        "IEA02 not ISA13",
        "IEA*1*000000007~",
        "IEA*1*000000008~",
        "IEA02 does not equal ISA13",
    ),
    (
        "an ISA06 not padded to 15",
        "SENDER01       *",
        "SENDER01*",
        "fixed-width",
    ),
    (
        "a trailing component separator",
        "SV1*HC:97124:GP*",
        "SV1*HC:97124:GP:*",
        "a trailing delimiter",
    ),
    (
        "a trailing element separator",
        "REF*6R*L1~",
        "REF*6R*L1*~",
        "a trailing delimiter",
    ),
    (
        "a repetition separator inside a name",
        "NM1*QC*1*DOE*JANE~",
        "NM1*QC*1*DO^E*JANE~",
        "repetition separator",
    ),
    (
        "a letter outside ASCII",
        "NM1*QC*1*DOE*JANE~",
        "NM1*QC*1*DOÉ*JANE~",
        "outside printable ASCII",
    ),
    (
        "an amount with three decimals",
        "SV1*HC:97124:GP*76*",
        "SV1*HC:97124:GP*76.001*",
        "not a minimal amount",
    ),
    (
        "an over-long claim id",
        "CLM*CW202611TEST*",
        "CLM*CW202611TESTTOOLONG1234*",
        "CLM01 holds 23 characters",
    ),
    (
        "an NM108 without NM109",
        "NM1*PR*2*AETNA*****PI*60054~",
        "NM1*PR*2*AETNA*****PI~",
        "NM108 PI has no NM109",
    ),
    (
        "LX out of order",
        "LX*2~",
        "LX*3~",
        "LX 3 is not numbered 2",
    ),
];

#[test]
fn the_self_check_catches_each_defect() {
    let good = good_text();
    assert_eq!(check::check_text(&good), Vec::new());
    for (what, from, to, expected) in DEFECTS {
        assert!(good.contains(from), "{what}: the good file has no {from:?}");
        let bad = good.replacen(from, to, 1);
        let defects = check::check_text(&bad);
        assert!(
            defects.iter().any(|d| d.message.contains(expected)),
            "{what}: no defect says {expected:?}; found {defects:#?}"
        );
    }
}

#[test]
fn a_delimiter_inside_a_value_is_caught_on_reading_back() {
    let built = vec![
        Segment::new("NM1").values(["QC", "1", "DOE*SMITH", "JANE"]),
        Segment::new("N3").value("1 MAIN ST"),
    ];
    let text: String = built
        .iter()
        .map(|s| s.write(&Delimiters::STANDARD))
        .collect();
    let defects = check::compare(&built, &x12::tokenize(&text, &Delimiters::STANDARD));
    assert_eq!(defects.len(), 1);
    assert!(defects[0].message.starts_with("segment 1 (NM1)"));
    let clean = vec![Segment::new("N3").value("1 MAIN ST")];
    let text = clean[0].write(&Delimiters::STANDARD);
    assert!(check::compare(&clean, &x12::tokenize(&text, &Delimiters::STANDARD)).is_empty());
}

#[test]
fn write_refuses_what_fails_the_check_and_names_the_patient() {
    let e = edi();
    let mut c = claim();
    c.lines[0].rendering = Some(therapist("1908301661", "Chen"));
    let found = write(&interchange(&e, vec![&c])).expect_err("a bad NPI is refused");
    assert!(
        found.iter().all(|f| f.code == "x12.invalid"
            && f.file == "patients/jane-doe.yaml"
            && f.message.starts_with("the 837P file was not written: ")),
        "{found:#?}"
    );
    assert!(found.iter().any(|f| f.message.contains("check digit")));
    // Lines that do not add up to the claim's total, more than 4 pointers.
    let mut c = claim();
    c.lines[0].diagnoses = ["M54.50", "M62.830", "M54.50", "M62.830", "M54.50"]
        .map(String::from)
        .to_vec();
    let found = write(&interchange(&e, vec![&c])).expect_err("5 pointers are refused");
    assert!(
        found
            .iter()
            .any(|f| f.message.contains("5 diagnosis pointers"))
    );
    // Names and addresses are cleaned, not refused.
    let mut c = claim();
    c.patient.last_name = "Núñez*Ríos".into();
    c.insured.last_name = "Núñez:Ríos~".into();
    let lines = written(&[&c]);
    assert!(has(&lines, "NM1*IL*1*NUNEZ RIOS*JANE****MI*W123~"));
    // Interchange-wide problems.
    let other_payer = {
        let mut x = claim();
        x.payer.id = "cigna".into();
        x
    };
    let one = claim();
    let found = write(&interchange(&e, vec![&one, &other_payer])).expect_err("two payers");
    assert!(found[0].message.contains("one payer"));
    assert!(write(&interchange(&e, Vec::new())).is_err());
    let mut zero = interchange(&e, vec![&one]);
    zero.control_number = 0;
    assert!(write(&zero).is_err());
    zero.control_number = 1_000_000_000;
    assert!(write(&zero).is_err());
}

#[test]
fn the_same_claims_give_the_same_bytes() {
    let e = edi();
    let c = claim();
    let a = write(&interchange(&e, vec![&c]));
    let b = write(&interchange(&e, vec![&c]));
    assert!(a.is_ok() && a == b);
}
