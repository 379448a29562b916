//! The 837P professional claim (005010X222A1), a renderer of claims: one interchange holds the
//! claims of one payer. `missing` names what the records lack for it; `write` builds the file
//! and refuses it whole when its own check finds what pyx12 would not.

use crate::codes::tax_id::TaxIdType;
use crate::documents::claim::{Claim, ClaimLine, Clinician, Frequency};
use crate::findings::Finding;
use crate::model::patient::{Priority, Sex};
use crate::model::practice::{Edi, EdiUsage};
use crate::model::{Address, Money};
use crate::x12::{self, Delimiters, Segment};
use chrono::NaiveDateTime;

/// One interchange: the claims of one payer sent in one file.
pub struct Interchange<'a> {
    /// The practice's electronic claims settings.
    pub edi: &'a Edi,
    /// ISA13 (9 digits, zero-padded) and GS06.
    pub control_number: u32,
    /// ISA09/10, GS04/05, BHT04/05: given, never the clock, so the same claims give the same bytes.
    pub created: NaiveDateTime,
    /// The claims, all to one payer.
    pub claims: Vec<&'a Claim>,
}

/// The implementation guide the files follow (GS08, ST03).
pub const GUIDE: &str = "005010X222A1";

/// The largest control number ISA13 holds.
const MAX_CONTROL_NUMBER: u32 = 999_999_999;

/// The one transaction set of a file (ST02, SE02).
const TRANSACTION: &str = "0001";

/// Diagnoses one claim holds (HI).
const MAX_DIAGNOSES: usize = 12;

/// Service lines one claim holds (loop 2400).
const MAX_LINES: usize = 50;

/// Lengths receivers must keep: longer identifiers are refused rather than cut, since a cut
/// id names something else. (segment, element, qualifier in element 01 or any, most characters)
const LENGTHS: &[(&str, usize, Option<&str>, usize)] = &[
    ("CLM", 1, None, 20),
    ("REF", 2, Some("6R"), 30),
    ("REF", 2, None, 50),
    ("NM1", 3, None, 60),
    ("NM1", 4, None, 35),
    ("NM1", 9, None, 80),
    ("N3", 1, None, 55),
    ("N4", 1, None, 30),
    ("SBR", 3, None, 50),
    ("SBR", 4, None, 60),
    ("PER", 2, None, 60),
];

/// The file of the patient a claim is for (record ids are their file stems).
fn patient_file(claim: &Claim) -> String {
    format!("patients/{}.yaml", claim.patient.id)
}

/// An `x12.missing` finding on `field` of `file`.
fn lack(file: &str, field: &str, message: String) -> Finding {
    Finding::error("x12.missing", file, message).at(field)
}

/// Findings (`x12.missing`, error) for what an 837P needs and the records lack, each naming
/// the field and the file; `payer_file` is the file of the claims' payer.
pub fn missing(edi: Option<&Edi>, claims: &[&Claim], payer_file: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    match edi {
        None => out.push(lack(
            "practice.yaml",
            "edi",
            "an 837P file needs the practice's `edi` settings: `sender_id`, `receiver_id` and `receiver_name` from the clearinghouse, and a `contact` with a name and phone".into(),
        )),
        Some(e) => edi_gaps(e, &mut out),
    }
    if let Some(first) = claims.first() {
        billing_gaps(first, &mut out);
        if first
            .payer
            .payer_id
            .as_deref()
            .is_none_or(|p| x12::clean(p).is_empty())
        {
            out.push(lack(
                payer_file,
                "payer_id",
                "an 837P file names the payer by its electronic payer id (2010BB NM109): add `payer_id` from the clearinghouse's payer list".into(),
            ));
        }
        if x12::clean(&first.payer.name).is_empty() {
            out.push(lack(
                payer_file,
                "name",
                "the payer has no name for 2010BB".into(),
            ));
        }
    }
    for claim in claims {
        claim_gaps(claim, &mut out);
    }
    out.sort_by(|a, b| (&a.file, &a.field, &a.message).cmp(&(&b.file, &b.field, &b.message)));
    out.dedup();
    out
}

/// What the practice's `edi` settings lack.
fn edi_gaps(e: &Edi, out: &mut Vec<Finding>) {
    for (field, value, element) in [
        ("edi.sender_id", &e.sender_id, "ISA06"),
        ("edi.receiver_id", &e.receiver_id, "ISA08"),
    ] {
        let length = x12::clean(value).len();
        if length == 0 || length > 15 {
            out.push(lack(
                "practice.yaml",
                field,
                format!("`{field}` must hold 1 to 15 characters ({element}), as the clearinghouse assigned it"),
            ));
        }
    }
    if x12::clean(&e.receiver_name).is_empty() {
        out.push(lack(
            "practice.yaml",
            "edi.receiver_name",
            "`edi.receiver_name` is empty: write the clearinghouse's name (1000B)".into(),
        ));
    }
    if let Some(id) = &e.submitter_id
        && (x12::clean(id).is_empty() || x12::clean(id).len() > 80)
    {
        out.push(lack(
            "practice.yaml",
            "edi.submitter_id",
            "`edi.submitter_id` must hold 1 to 80 characters (1000A NM109), or be left out to use the sender id".into(),
        ));
    }
    for (field, qualifier) in [
        ("edi.sender_qualifier", &e.sender_qualifier),
        ("edi.receiver_qualifier", &e.receiver_qualifier),
    ] {
        if let Some(q) = qualifier
            && x12::clean(q).len() != 2
        {
            out.push(lack(
                "practice.yaml",
                field,
                format!("`{field}` is a 2-character ISA qualifier such as ZZ, 01 or 30"),
            ));
        }
    }
    if x12::clean(&e.contact.name).is_empty() {
        out.push(lack(
            "practice.yaml",
            "edi.contact.name",
            "`edi.contact.name` is empty: name the person the clearinghouse calls (1000A PER)"
                .into(),
        ));
    }
    if phone(&e.contact.phone).is_none() {
        out.push(lack(
            "practice.yaml",
            "edi.contact.phone",
            "`edi.contact.phone` needs a 10-digit US phone number (1000A PER04)".into(),
        ));
    }
}

/// What the billing provider lacks.
fn billing_gaps(claim: &Claim, out: &mut Vec<Finding>) {
    let b = &claim.billing;
    let mut gap = |field: &str, message: &str| {
        out.push(lack("practice.yaml", field, message.to_string()));
    };
    if x12::clean(&b.name).is_empty() {
        gap("name", "the practice has no name for 2010AA");
    }
    if b.npi.is_empty() {
        gap("npi", "the practice has no billing NPI for 2010AA");
    }
    if x12::clean(&b.taxonomy).is_empty() {
        gap("taxonomy", "the practice has no taxonomy for 2000A PRV");
    }
    if x12::digits(&b.tax_id).len() != 9 {
        gap(
            "tax_id",
            "the practice's tax id needs 9 digits for 2010AA REF",
        );
    }
    if x12::clean(&b.address.street).is_empty() || x12::clean(&b.address.city).is_empty() {
        gap(
            "address",
            "the practice's address needs a street and a city for 2010AA",
        );
    }
    if !is_state(&b.address.state) {
        gap(
            "address.state",
            "the practice's address needs a 2-letter state for 2010AA",
        );
    }
    if !is_zip(&b.address.zip.0, &[9]) {
        gap(
            "address.zip",
            "an 837P billing provider's ZIP has 9 digits: write the ZIP+4, e.g. \"04101-3219\"",
        );
    }
}

/// What one claim lacks. Messages name the item, never the value: values are patient data.
fn claim_gaps(claim: &Claim, out: &mut Vec<Finding>) {
    let patient = patient_file(claim);
    for r in claim.lines.iter().filter_map(|l| l.rendering.as_ref()) {
        if r.taxonomy
            .as_deref()
            .is_none_or(|t| x12::clean(t).is_empty())
        {
            out.push(lack(
                "practice.yaml",
                "providers",
                format!(
                    "provider {} {} (NPI {}) needs a `taxonomy` for the 837P rendering provider (PRV), e.g. 225700000X",
                    r.first_name, r.last_name, r.npi
                ),
            ));
        }
    }
    if claim.insured.member_id.is_empty() {
        out.push(lack(
            &patient,
            "coverages",
            format!(
                "claim {}: no coverage in force names a member id for 2010BA",
                claim.id
            ),
        ));
    }
    if claim.related.employment && claim.insured.employer.is_none() {
        out.push(lack(
            &patient,
            "coverages",
            format!(
                "claim {}: a workers' compensation claim names the employer as the insured (2010BA): add the coverage's `employer`",
                claim.id
            ),
        ));
    }
    if claim.related.auto
        && claim
            .related
            .accident_state
            .as_deref()
            .is_none_or(|s| !is_state(s))
    {
        out.push(lack(
            &patient,
            "coverages",
            format!(
                "claim {}: an auto accident claim needs the coverage's `accident_state` (CLM11)",
                claim.id
            ),
        ));
    }
    if claim.frequency != Frequency::Original
        && claim
            .original_claim_number
            .as_deref()
            .is_none_or(|n| x12::clean(n).is_empty())
    {
        out.push(lack(
            &patient,
            "",
            format!(
                "claim {}: a replacement or void needs the payer's number of the claim it replaces (REF*F8)",
                claim.id
            ),
        ));
    }
    if let Some(o) = &claim.other_coverage
        && o.payer_id
            .as_deref()
            .is_none_or(|p| x12::clean(p).is_empty())
    {
        out.push(lack(
            &format!("payers/{}.yaml", o.payer),
            "payer_id",
            "an 837P file names the patient's other payer by its electronic payer id (2330B NM109): add `payer_id`".into(),
        ));
    }
    if claim.lines.is_empty() || claim.diagnoses.is_empty() {
        out.push(lack(
            &patient,
            "",
            format!(
                "claim {}: an 837P claim needs at least one billed line and one diagnosis",
                claim.id
            ),
        ));
    }
}

/// True for a two-letter state code.
fn is_state(state: &str) -> bool {
    state.len() == 2 && state.bytes().all(|b| b.is_ascii_alphabetic())
}

/// True when `zip` is digits and at most a hyphen, with one of the `lengths` in digits.
fn is_zip(zip: &str, lengths: &[usize]) -> bool {
    zip.chars().all(|c| c.is_ascii_digit() || c == '-') && lengths.contains(&x12::digits(zip).len())
}

/// A US phone number as its 10 digits, a leading country code 1 dropped.
fn phone(text: &str) -> Option<String> {
    let digits = x12::digits(text);
    match digits.len() {
        10 => Some(digits),
        11 if digits.starts_with('1') => Some(digits[1..].to_string()),
        _ => None,
    }
}

/// The file's bytes; the self-check's failures (`x12.invalid`, error) refuse the file: never
/// a half file. What `missing` finds refuses it too, as `x12.missing`.
pub fn write(i: &Interchange) -> Result<Vec<u8>, Vec<Finding>> {
    let invalid = |message: String| {
        vec![Finding::error(
            "x12.invalid",
            "practice.yaml",
            format!("the 837P file was not written: {message}"),
        )]
    };
    let Some(first) = i.claims.first() else {
        return Err(invalid("an interchange holds at least one claim".into()));
    };
    if i.claims.iter().any(|c| c.payer.id != first.payer.id) {
        return Err(invalid(
            "an interchange holds the claims of one payer only".into(),
        ));
    }
    if i.control_number == 0 || i.control_number > MAX_CONTROL_NUMBER {
        return Err(invalid(format!(
            "the control number {} is not 1 to {MAX_CONTROL_NUMBER}",
            i.control_number
        )));
    }
    let lacking = missing(
        Some(i.edi),
        &i.claims,
        &format!("payers/{}.yaml", first.payer.id),
    );
    if !lacking.is_empty() {
        return Err(lacking);
    }
    let built = build(i);
    let d = Delimiters::STANDARD;
    // One segment a line: receivers ignore the line break after the terminator, and people
    // can read the file.
    let text: String = built.iter().map(|s| s.write(&d) + "\n").collect();
    let mut defects = check_text(&text);
    defects.extend(compare(&built, &x12::tokenize(&text, &d)));
    if defects.is_empty() {
        return Ok(text.into_bytes());
    }
    Err(defects
        .into_iter()
        .map(|defect| {
            let file = defect
                .claim
                .as_deref()
                .and_then(|id| i.claims.iter().find(|c| x12::clean(&c.id) == id))
                .map_or_else(|| "practice.yaml".to_string(), |c| patient_file(c));
            Finding::error(
                "x12.invalid",
                file,
                format!("the 837P file was not written: {}", defect.message),
            )
        })
        .collect())
}

/// Every segment of the interchange, ISA to IEA.
fn build(i: &Interchange) -> Vec<Segment> {
    let e = i.edi;
    let isa13 = format!("{:09}", i.control_number);
    let gs06 = i.control_number.to_string();
    let day = x12::date(i.created.date());
    let clock = x12::time(i.created.time());
    let sender = x12::clean(&e.sender_id);
    let receiver = x12::clean(&e.receiver_id);
    let qualifier = |q: &Option<String>| q.as_deref().map_or("ZZ".to_string(), x12::clean);
    let mut out = vec![
        Segment::new("ISA").values([
            "00".to_string(),
            " ".repeat(10),
            "00".to_string(),
            " ".repeat(10),
            qualifier(&e.sender_qualifier),
            format!("{sender:<15}"),
            qualifier(&e.receiver_qualifier),
            format!("{receiver:<15}"),
            i.created.format("%y%m%d").to_string(),
            clock.clone(),
            "^".to_string(),
            "00501".to_string(),
            isa13.clone(),
            "0".to_string(),
            match e.usage {
                EdiUsage::Test => "T",
                EdiUsage::Production => "P",
            }
            .to_string(),
            ":".to_string(),
        ]),
        Segment::new("GS").values(["HC", &sender, &receiver, &day, &clock, &gs06, "X", GUIDE]),
    ];
    let mut body = vec![
        Segment::new("ST").values(["837", TRANSACTION, GUIDE]),
        Segment::new("BHT").values(["0019", "00", &isa13, &day, &clock, "CH"]),
    ];
    // The billing provider is the practice, the same on every claim.
    let practice = &i.claims[0].billing;
    let submitter = e.submitter_id.as_deref().map_or(sender.clone(), x12::clean);
    body.push(organization("41", &practice.name, "46", &submitter));
    let mut per = Segment::new("PER").values([
        "IC".to_string(),
        x12::fit(&e.contact.name, 60),
        "TE".to_string(),
        phone(&e.contact.phone).unwrap_or_default(),
    ]);
    if let Some(email) = e.contact.email.as_deref().map(x12::clean)
        && !email.is_empty()
    {
        per = per.values(["EM".to_string(), email]);
    }
    body.push(per);
    body.push(organization("40", &e.receiver_name, "46", &receiver));
    body.push(Segment::new("HL").values(["1", "", "20", "1"]));
    body.push(Segment::new("PRV").values(["BI", "PXC", &x12::clean(&practice.taxonomy)]));
    body.push(organization("85", &practice.name, "XX", &practice.npi));
    body.extend(address(&practice.address));
    body.push(Segment::new("REF").values([
        match practice.tax_id_type {
            TaxIdType::Ein => "EI",
            TaxIdType::Ssn => "SY",
        },
        &x12::digits(&practice.tax_id),
    ]));
    let mut hl = 1;
    for claim in &i.claims {
        claim_segments(claim, &mut hl, &mut body);
    }
    let count = body.len() + 1;
    body.push(Segment::new("SE").values([count.to_string(), TRANSACTION.to_string()]));
    out.append(&mut body);
    out.push(Segment::new("GE").values(["1", &gs06]));
    out.push(Segment::new("IEA").values(["1", &isa13]));
    out
}

/// NM1 of an organization: `NM1*code*2*name*****qualifier*id`.
fn organization(code: &str, name: &str, qualifier: &str, id: &str) -> Segment {
    Segment::new("NM1")
        .values([code, "2", &x12::fit(name, 60)])
        .skip(4)
        .values([qualifier, &x12::clean(id)])
}

/// NM1 of a person: `NM1*code*1*last*first****qualifier*id` (no id when `qualifier` is empty).
fn person(code: &str, last: &str, first: &str, qualifier: &str, id: &str) -> Segment {
    Segment::new("NM1")
        .values([code, "1", &x12::fit(last, 60), &x12::fit(first, 35)])
        .skip(3)
        .values([qualifier, &x12::clean(id)])
}

/// N3 and N4 of an address; the ZIP as its digits.
fn address(a: &Address) -> [Segment; 2] {
    [
        Segment::new("N3").value(x12::fit(&a.street, 55)),
        Segment::new("N4").values([
            x12::fit(&a.city, 30),
            x12::clean(&a.state),
            x12::digits(&a.zip.0),
        ]),
    ]
}

/// DMG: date of birth and sex.
fn demographics(dob: chrono::NaiveDate, sex: Sex) -> Segment {
    Segment::new("DMG").values([
        "D8",
        &x12::date(dob),
        match sex {
            Sex::F => "F",
            Sex::M => "M",
            Sex::U => "U",
        },
    ])
}

/// The individual relationship code of a patient to an insured.
fn relationship_code(relationship: &str) -> &'static str {
    match relationship {
        "self" => "18",
        "spouse" => "01",
        "child" => "19",
        _ => "G8",
    }
}

/// P or S.
fn priority_code(p: Priority) -> &'static str {
    match p {
        Priority::Primary => "P",
        Priority::Secondary => "S",
    }
}

/// A rendering provider: NM1*82 and its PRV.
fn rendering(r: &Clinician) -> [Segment; 2] {
    [
        person("82", &r.last_name, &r.first_name, "XX", &r.npi),
        Segment::new("PRV").values([
            "PE",
            "PXC",
            &r.taxonomy.as_deref().map(x12::clean).unwrap_or_default(),
        ]),
    ]
}

/// Loops 2000B to 2400 of one claim; `hl` is the last HL number used.
fn claim_segments(claim: &Claim, hl: &mut u32, out: &mut Vec<Segment>) {
    let workers_comp = claim.related.employment;
    // The patient is sent as the subscriber when they hold the policy, or hold a member id of
    // their own; a workers' compensation patient is the employer's employee.
    let patient_is_subscriber =
        !workers_comp && (claim.insured.relationship == "self" || claim.own_member_id);
    *hl += 1;
    let subscriber_hl = *hl;
    out.push(Segment::new("HL").values([
        subscriber_hl.to_string(),
        "1".to_string(),
        "22".to_string(),
        if patient_is_subscriber { "0" } else { "1" }.to_string(),
    ]));
    let ins = &claim.insured;
    let group = ins
        .group_number
        .as_deref()
        .map(x12::clean)
        .unwrap_or_default();
    let plan = if group.is_empty() {
        ins.plan_name
            .as_deref()
            .map(|p| x12::fit(p, 60))
            .unwrap_or_default()
    } else {
        String::new()
    };
    out.push(
        Segment::new("SBR")
            .values([
                priority_code(claim.priority),
                if patient_is_subscriber { "18" } else { "" },
                &group,
                &plan,
            ])
            .skip(4)
            .value(x12::clean(&claim.claim_filing_code)),
    );
    let claim_number = claim
        .related
        .carrier_claim_number
        .as_deref()
        .map(x12::clean)
        .filter(|n| !n.is_empty() && (workers_comp || claim.related.auto));
    match (&ins.employer, workers_comp) {
        (Some(employer), true) => {
            out.push(organization("IL", &employer.name, "MI", &ins.member_id));
            out.extend(address(&employer.address));
        }
        _ if claim.own_member_id && patient_is_subscriber => {
            let p = &claim.patient;
            out.push(person(
                "IL",
                &p.last_name,
                &p.first_name,
                "MI",
                &ins.member_id,
            ));
            out.extend(address(&p.address));
            out.push(demographics(p.dob, p.sex));
        }
        _ => {
            out.push(person(
                "IL",
                &ins.last_name,
                &ins.first_name,
                "MI",
                &ins.member_id,
            ));
            out.extend(address(&ins.address));
            out.push(demographics(ins.dob, ins.sex));
        }
    }
    if patient_is_subscriber && let Some(number) = &claim_number {
        out.push(Segment::new("REF").values(["Y4", number]));
    }
    out.push(organization(
        "PR",
        &claim.payer.name,
        "PI",
        claim.payer.payer_id.as_deref().unwrap_or_default(),
    ));
    if !patient_is_subscriber {
        *hl += 1;
        out.push(Segment::new("HL").values([
            hl.to_string(),
            subscriber_hl.to_string(),
            "23".to_string(),
            "0".to_string(),
        ]));
        let pat = if workers_comp {
            "20"
        } else {
            relationship_code(ins.relationship)
        };
        out.push(Segment::new("PAT").value(pat));
        let p = &claim.patient;
        out.push(person("QC", &p.last_name, &p.first_name, "", ""));
        out.extend(address(&p.address));
        out.push(demographics(p.dob, p.sex));
        if let Some(number) = &claim_number {
            out.push(Segment::new("REF").values(["Y4", number]));
        }
    }
    claim_information(claim, out);
}

/// Loop 2300 and what it holds: the claim, its providers, the other coverage and the lines.
fn claim_information(claim: &Claim, out: &mut Vec<Segment>) {
    let place = claim
        .lines
        .first()
        .map(|l| l.place_of_service.clone())
        .unwrap_or_default();
    let total = Money(claim.lines.iter().map(|l| l.charge.cents()).sum());
    let assigned = if claim.signature_on_file { "Y" } else { "N" };
    let mut clm = Segment::new("CLM")
        .values([x12::clean(&claim.id), x12::amount(total)])
        .skip(2)
        .composite([
            x12::clean(&place),
            "B".to_string(),
            match claim.frequency {
                Frequency::Original => "1",
                Frequency::Replacement => "7",
                Frequency::Void => "8",
            }
            .to_string(),
        ])
        .values([
            "Y",
            if claim.billing.accept_assignment {
                "A"
            } else {
                "C"
            },
            assigned,
            if claim.signature_on_file { "Y" } else { "I" },
        ]);
    let r = &claim.related;
    if r.employment {
        clm = clm.skip(1).composite(["EM"]);
    } else if r.auto {
        let state = r
            .accident_state
            .as_deref()
            .map(x12::clean)
            .unwrap_or_default();
        clm = clm.skip(1).composite(["AA", "", "", &state]);
    }
    out.push(clm);
    if let Some(injury) = r.injury_date {
        out.push(Segment::new("DTP").values(["431", "D8", &x12::date(injury)]));
        if r.employment || r.auto {
            out.push(Segment::new("DTP").values(["439", "D8", &x12::date(injury)]));
        }
    }
    if claim.amount_paid.cents() > 0 {
        out.push(Segment::new("AMT").values(["F5", &x12::amount(claim.amount_paid)]));
    }
    // The guide's order of the claim's references: referral, authorization, payer's claim.
    let referral_number = claim
        .referral
        .as_ref()
        .and_then(|r| r.number.as_deref())
        .map(x12::clean)
        .filter(|n| !n.is_empty());
    if let Some(number) = referral_number {
        out.push(Segment::new("REF").values(["9F", &number]));
    }
    if let Some(a) = claim.authorization.as_deref().map(x12::clean)
        && !a.is_empty()
    {
        out.push(Segment::new("REF").values(["G1", &a]));
    }
    if claim.frequency != Frequency::Original
        && let Some(number) = &claim.original_claim_number
    {
        out.push(Segment::new("REF").values(["F8", &x12::clean(number)]));
    }
    let mut hi = Segment::new("HI");
    for (n, d) in claim.diagnoses.iter().enumerate() {
        let qualifier = if n == 0 { "ABK" } else { "ABF" };
        hi = hi.composite([qualifier.to_string(), x12::clean(d).replace('.', "")]);
    }
    out.push(hi);
    if let Some(r) = &claim.referral {
        let p = &r.provider;
        out.push(person("DN", &p.last_name, &p.first_name, "XX", &p.npi));
    }
    let claim_rendering = claim.lines.iter().find_map(|l| l.rendering.as_ref());
    if let Some(r) = claim_rendering {
        out.extend(rendering(r));
    }
    if let Some(o) = &claim.other_coverage {
        out.push(
            Segment::new("SBR")
                .values([
                    priority_code(o.priority),
                    relationship_code(o.relationship),
                    &o.group_number
                        .as_deref()
                        .map(x12::clean)
                        .unwrap_or_default(),
                ])
                .skip(5)
                .value(x12::clean(&o.claim_filing_code)),
        );
        out.push(
            Segment::new("OI")
                .skip(2)
                .value(assigned)
                .skip(2)
                .value(if claim.signature_on_file { "Y" } else { "I" }),
        );
        out.push(person(
            "IL",
            &o.last_name,
            &o.first_name,
            "MI",
            &o.member_id,
        ));
        out.push(organization(
            "PR",
            &o.payer_name,
            "PI",
            o.payer_id.as_deref().unwrap_or_default(),
        ));
    }
    for (n, line) in claim.lines.iter().enumerate() {
        service_line(claim, n + 1, line, &place, claim_rendering, out);
    }
}

/// Loop 2400 of one line, and its 2420A when another provider rendered it.
fn service_line(
    claim: &Claim,
    number: usize,
    line: &ClaimLine,
    claim_place: &str,
    claim_rendering: Option<&Clinician>,
    out: &mut Vec<Segment>,
) {
    out.push(Segment::new("LX").value(number.to_string()));
    let procedure = std::iter::once("HC".to_string())
        .chain(std::iter::once(x12::clean(&line.code)))
        .chain(line.modifiers.iter().map(|m| x12::clean(m)));
    // Pointers are positions in the claim's HI list, counted from 1.
    let pointers: Vec<String> = line
        .diagnoses
        .iter()
        .filter_map(|d| claim.diagnoses.iter().position(|c| c == d))
        .map(|ix| (ix + 1).to_string())
        .collect();
    let place = if line.place_of_service == claim_place {
        String::new()
    } else {
        x12::clean(&line.place_of_service)
    };
    out.push(
        Segment::new("SV1")
            .composite(procedure)
            .values([
                x12::amount(line.charge),
                "UN".to_string(),
                line.units.to_string(),
                place,
            ])
            .skip(1)
            .composite(pointers),
    );
    out.push(Segment::new("DTP").values(["472", "D8", &x12::date(line.date)]));
    out.push(Segment::new("REF").values(["6R", &x12::clean(&line.control_number)]));
    if let Some(r) = &line.rendering
        && claim_rendering.is_none_or(|c| c.npi != r.npi)
    {
        out.extend(rendering(r));
    }
}

/// A defect the self-check found, and the claim (CLM01) it is in, when in one.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Defect {
    claim: Option<String>,
    message: String,
}

/// Built segments against the segments read back from the text: a difference means a value
/// held a delimiter or the writer left a trailing empty element.
fn compare(built: &[Segment], read: &[Segment]) -> Vec<Defect> {
    let trimmed: Vec<Segment> = built.iter().map(Segment::trimmed).collect();
    let at = trimmed
        .iter()
        .zip(read)
        .position(|(a, b)| a != b)
        .or_else(|| (trimmed.len() != read.len()).then(|| trimmed.len().min(read.len())));
    at.map(|n| Defect {
        claim: None,
        message: format!(
            "segment {} ({}) reads back differently than it was built: a value holds a delimiter",
            n + 1,
            trimmed.get(n).map_or("", |s| s.id.as_str())
        ),
    })
    .into_iter()
    .collect()
}

/// What pyx12 does not catch, checked on the file's text: characters, envelope counts, HL
/// levels and child flags, SBR02 against the patient level, claim totals, the billing ZIP,
/// NPI check digits, modifiers, pointers, diagnoses, amounts and lengths.
fn check_text(text: &str) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut defect = |claim: Option<&str>, message: String| {
        out.push(Defect {
            claim: claim.map(str::to_string),
            message,
        });
    };
    if let Some(c) = text
        .chars()
        .find(|c| !(' '..='~').contains(c) && *c != '\n')
    {
        defect(
            None,
            format!("the file holds {c:?}, a character outside printable ASCII"),
        );
    }
    let segments = match x12::read(text.as_bytes()) {
        Ok((d, segments)) if d == Delimiters::STANDARD => segments,
        Ok(_) => {
            defect(
                None,
                "the ISA does not declare `*`, `^`, `:` and `~`".into(),
            );
            return out;
        }
        Err(e) => {
            defect(None, format!("the file cannot be read back: {e}"));
            return out;
        }
    };
    for d in check_envelope(text, &segments)
        .into_iter()
        .chain(check_hierarchy(&segments))
        .chain(check_claims(&segments))
        .chain(check_values(&segments))
    {
        out.push(d);
    }
    out
}

fn plain(message: String) -> Defect {
    Defect {
        claim: None,
        message,
    }
}

/// ISA width, control numbers and counts of the envelope.
fn check_envelope(text: &str, segments: &[Segment]) -> Vec<Defect> {
    let mut out = Vec::new();
    let first_line = text.split('~').next().unwrap_or_default();
    let isa = segments.first().filter(|s| s.id == "ISA");
    if isa.is_none_or(|s| s.elements.len() != 16) || first_line.len() != 105 {
        out.push(plain(
            "the ISA is not 16 fixed-width elements (106 characters with its terminator)".into(),
        ));
    }
    let find = |id: &str| segments.iter().find(|s| s.id == id);
    let count = |id: &str| segments.iter().filter(|s| s.id == id).count().to_string();
    let pairs = [
        (
            "IEA02",
            find("IEA").map(|s| s.get(2)),
            "ISA13",
            isa.map(|s| s.get(13)),
        ),
        (
            "GE02",
            find("GE").map(|s| s.get(2)),
            "GS06",
            find("GS").map(|s| s.get(6)),
        ),
        (
            "SE02",
            find("SE").map(|s| s.get(2)),
            "ST02",
            find("ST").map(|s| s.get(2)),
        ),
        (
            "IEA01",
            find("IEA").map(|s| s.get(1)),
            "the count of GS",
            Some(count("GS").as_str()),
        ),
        (
            "GE01",
            find("GE").map(|s| s.get(1)),
            "the count of ST",
            Some(count("ST").as_str()),
        ),
    ]
    .map(|(a, x, b, y)| (a, x.map(str::to_string), b, y.map(str::to_string)));
    for (a, x, b, y) in pairs {
        if x.is_none() || x != y {
            out.push(plain(format!("{a} does not equal {b}")));
        }
    }
    if isa.is_some_and(|s| s.get(13).len() != 9 || !s.get(13).bytes().all(|b| b.is_ascii_digit())) {
        out.push(plain("ISA13 is not 9 digits".into()));
    }
    let st = segments.iter().position(|s| s.id == "ST");
    let se = segments.iter().position(|s| s.id == "SE");
    match (st, se) {
        (Some(st), Some(se)) if se > st => {
            let counted = se - st + 1;
            if segments[se].get(1) != counted.to_string() {
                out.push(plain(format!(
                    "SE01 says {} segments, but ST to SE holds {counted}",
                    segments[se].get(1)
                )));
            }
        }
        _ => out.push(plain("the file has no ST..SE transaction".into())),
    }
    out
}

/// HL numbering, parent levels, child flags, and SBR02 against the patient level.
fn check_hierarchy(segments: &[Segment]) -> Vec<Defect> {
    let mut out = Vec::new();
    // (HL01, HL02, HL03, HL04, SBR02 of a subscriber level)
    let levels: Vec<(&str, &str, &str, &str, Option<&str>)> = segments
        .iter()
        .enumerate()
        .filter(|(_, s)| s.id == "HL")
        .map(|(n, s)| {
            let sbr = segments
                .get(n + 1)
                .filter(|x| x.id == "SBR")
                .map(|x| x.get(2));
            (s.get(1), s.get(2), s.get(3), s.get(4), sbr)
        })
        .collect();
    for (n, &(id, parent, level, child_flag, sbr02)) in levels.iter().enumerate() {
        if id != (n + 1).to_string() {
            out.push(plain(format!("HL {id} is not numbered {}", n + 1)));
        }
        let parent_level = levels[..n].iter().find(|l| l.0 == parent).map(|l| l.2);
        let wanted = match level {
            "20" => None,
            "22" => Some("20"),
            "23" => Some("22"),
            other => {
                out.push(plain(format!(
                    "HL {id} has level {other}, not 20, 22 or 23"
                )));
                continue;
            }
        };
        if parent_level != wanted || (wanted.is_none() && !parent.is_empty()) {
            out.push(plain(format!(
                "HL {id} (level {level}) has parent {parent:?}, which is not a level {}",
                wanted.unwrap_or("none")
            )));
        }
        let has_child = levels[n + 1..].iter().any(|l| l.1 == id);
        if child_flag != if has_child { "1" } else { "0" } {
            out.push(plain(format!(
                "HL {id} says HL04 {child_flag}, but it {} a child level",
                if has_child { "has" } else { "has no" }
            )));
        }
        if level == "22" {
            let patient_level = levels[n + 1..].iter().any(|l| l.1 == id && l.2 == "23");
            match (sbr02, patient_level) {
                (Some("18"), true) => out.push(plain(format!(
                    "HL {id}: SBR02 says the patient is the subscriber, yet a patient level (2000C) follows"
                ))),
                (Some(rel), false) if rel != "18" => out.push(plain(format!(
                    "HL {id}: SBR02 says the patient is not the subscriber, yet no patient level (2000C) follows"
                ))),
                (None, _) => out.push(plain(format!("HL {id}: no SBR follows the subscriber level"))),
                _ => {}
            }
        }
    }
    out
}

/// Per claim: CLM02 against its lines, HI, modifiers, pointers and line numbers.
fn check_claims(segments: &[Segment]) -> Vec<Defect> {
    struct Open {
        id: String,
        total: Option<Money>,
        lines: Money,
        diagnoses: usize,
        lx: usize,
    }
    fn close(open: Option<Open>, out: &mut Vec<Defect>) {
        let Some(c) = open else { return };
        if c.total != Some(c.lines) {
            out.push(Defect {
                claim: Some(c.id.clone()),
                message: format!(
                    "claim {}: CLM02 is not the sum of its lines' SV102 ({})",
                    c.id,
                    x12::amount(c.lines)
                ),
            });
        }
        if c.lx == 0 || c.lx > MAX_LINES {
            out.push(Defect {
                claim: Some(c.id.clone()),
                message: format!(
                    "claim {}: {} service lines, not 1 to {MAX_LINES}",
                    c.id, c.lx
                ),
            });
        }
    }
    let mut out = Vec::new();
    let mut open: Option<Open> = None;
    for s in segments {
        match s.id.as_str() {
            "HL" | "SE" => close(open.take(), &mut out),
            "CLM" => {
                close(open.take(), &mut out);
                open = Some(Open {
                    id: s.get(1).to_string(),
                    total: Money::parse(s.get(2)),
                    lines: Money::ZERO,
                    diagnoses: 0,
                    lx: 0,
                });
            }
            _ => {}
        }
        let Some(c) = open.as_mut() else { continue };
        let mut defect = |message: String| {
            out.push(Defect {
                claim: Some(c.id.clone()),
                message: format!("claim {}: {message}", c.id),
            });
        };
        match s.id.as_str() {
            "HI" if s.get(1) == "ABK" => {
                c.diagnoses = s.elements.len();
                if c.diagnoses > MAX_DIAGNOSES {
                    defect(format!(
                        "{} diagnoses, more than {MAX_DIAGNOSES}",
                        c.diagnoses
                    ));
                }
                for (n, e) in s.elements.iter().enumerate() {
                    let want = if n == 0 { "ABK" } else { "ABF" };
                    let code = e.component(2);
                    if e.component(1) != want
                        || code.is_empty()
                        || code.contains('.')
                        || e.0.len() != 2
                    {
                        defect(format!(
                            "HI{:02} is not {want} and a code without its dot",
                            n + 1
                        ));
                    }
                }
            }
            "LX" => {
                c.lx += 1;
                if s.get(1) != c.lx.to_string() {
                    defect(format!("LX {} is not numbered {}", s.get(1), c.lx));
                }
            }
            "SV1" => {
                c.lines = Money(c.lines.cents() + Money::parse(s.get(2)).map_or(0, Money::cents));
                let procedure = s.element(1).map_or(0, |e| e.0.len());
                if procedure > 6 {
                    defect(format!(
                        "line {} has {} modifiers, more than 4",
                        c.lx,
                        procedure - 2
                    ));
                }
                let pointers = s.element(7).map(|e| e.0.as_slice()).unwrap_or_default();
                if pointers.is_empty() || pointers.len() > 4 {
                    defect(format!(
                        "line {} has {} diagnosis pointers, not 1 to 4",
                        c.lx,
                        pointers.len()
                    ));
                }
                for p in pointers {
                    if p.parse::<usize>()
                        .is_ok_and(|n| n >= 1 && n <= c.diagnoses.min(MAX_DIAGNOSES))
                    {
                        continue;
                    }
                    defect(format!(
                        "line {} points at {p:?}, not a diagnosis of the claim's HI",
                        c.lx
                    ));
                }
            }
            _ => {}
        }
    }
    close(open, &mut out);
    out
}

/// Billing ZIP, NPIs, amounts and lengths, segment by segment.
fn check_values(segments: &[Segment]) -> Vec<Defect> {
    let mut out = Vec::new();
    let mut claim: Option<String> = None;
    let mut after_billing = false;
    for (n, s) in segments.iter().enumerate() {
        match s.id.as_str() {
            "CLM" => claim = Some(s.get(1).to_string()),
            "HL" => claim = None,
            _ => {}
        }
        let mut defect = |message: String| {
            out.push(Defect {
                claim: claim.clone(),
                message: format!("segment {} ({}): {message}", n + 1, s.id),
            });
        };
        if s.id == "NM1" {
            after_billing = s.get(1) == "85";
            if !s.get(8).is_empty() && s.get(9).is_empty() {
                defect(format!("NM108 {} has no NM109", s.get(8)));
            }
            if s.get(8) == "XX"
                && let Err(e) = crate::codes::npi::check(s.get(9))
            {
                defect(e);
            }
        }
        if s.id == "N4" && after_billing {
            let zip = s.get(3);
            if zip.len() != 9 || !zip.bytes().all(|b| b.is_ascii_digit()) {
                defect("the billing provider's ZIP (N403) is not 9 digits".into());
            }
            after_billing = false;
        }
        let amount = match s.id.as_str() {
            "CLM" | "SV1" | "AMT" => Some(s.get(2)),
            _ => None,
        };
        if let Some(a) = amount
            && Money::parse(a).is_none_or(|m| m.cents() < 0 || x12::amount(m) != a)
        {
            defect(format!(
                "the amount {a:?} is not a minimal amount with at most 2 decimals"
            ));
        }
        for &(id, element, qualifier, max) in LENGTHS {
            if s.id != id || qualifier.is_some_and(|q| s.get(1) != q) {
                continue;
            }
            let length = s.element(element).map_or(0, |e| e.text(':').len());
            if length > max {
                defect(format!(
                    "{id}{element:02} holds {length} characters, more than {max}"
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
