//! The 837P's segments, loop by loop, from a claim: envelope, submitter and receiver, billing
//! provider, then per claim the subscriber, patient, claim, providers, other coverage and lines.

use super::{GUIDE, Interchange, TRANSACTION, phone};
use crate::codes::tax_id::TaxIdType;
use crate::documents::claim::{Claim, ClaimLine, Clinician, Frequency, OtherCoverage};
use crate::model::patient::{Priority, Sex};
use crate::model::practice::EdiUsage;
use crate::model::{Address, Money};
use crate::x12::{self, Segment};

/// Every segment of the interchange, ISA to IEA.
pub(super) fn build(i: &Interchange) -> Vec<Segment> {
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
    // The claim's place of service is its first line's; lines elsewhere say their own.
    let place = claim
        .lines
        .first()
        .map(|l| l.place_of_service.clone())
        .unwrap_or_default();
    out.push(claim_segment(claim, &place));
    claim_dates_and_amounts(claim, out);
    claim_references(claim, out);
    out.push(diagnoses(claim));
    if let Some(r) = &claim.referral {
        let p = &r.provider;
        out.push(person("DN", &p.last_name, &p.first_name, "XX", &p.npi));
    }
    let claim_rendering = claim.lines.iter().find_map(|l| l.rendering.as_ref());
    if let Some(r) = claim_rendering {
        out.extend(rendering(r));
    }
    if let Some(o) = &claim.other_coverage {
        out.extend(other_coverage(claim, o));
    }
    for (n, line) in claim.lines.iter().enumerate() {
        service_line(claim, n + 1, line, &place, claim_rendering, out);
    }
}

/// The benefits assignment certification (CLM08, OI03): Y when benefits are assigned to the
/// practice and the assignment is signed, N when they are assigned without it, W (not
/// applicable) when the payer pays the patient.
fn benefits_assigned(claim: &Claim) -> &'static str {
    match (claim.assigned, claim.assignment_signed) {
        (true, true) => "Y",
        (true, false) => "N",
        (false, _) => "W",
    }
}

/// The patient's release of information (CLM09, OI06): Y when it is signed, else I.
fn release_of_information(claim: &Claim) -> &'static str {
    if claim.release_signed { "Y" } else { "I" }
}

/// The sum of a claim's line charges (CLM02), unless it is past what an amount can hold.
pub(super) fn total_charge(claim: &Claim) -> Option<Money> {
    claim
        .lines
        .iter()
        .try_fold(0i64, |sum, l| sum.checked_add(l.charge.cents()))
        .map(Money)
}

/// CLM: the claim's id, total, place and frequency, assignment and signatures, and what the
/// services were related to (employment, an auto accident).
fn claim_segment(claim: &Claim, place: &str) -> Segment {
    // `write` refuses a claim whose charges add up past any amount before it builds one.
    let total = total_charge(claim).unwrap_or(Money::ZERO);
    let clm = Segment::new("CLM")
        .values([x12::clean(&claim.id), x12::amount(total)])
        .skip(2)
        .composite([
            x12::clean(place),
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
            if claim.assigned { "A" } else { "C" },
            benefits_assigned(claim),
            release_of_information(claim),
        ]);
    let r = &claim.related;
    if r.employment {
        clm.skip(1).composite(["EM"])
    } else if r.auto {
        let state = r
            .accident_state
            .as_deref()
            .map(x12::clean)
            .unwrap_or_default();
        clm.skip(1).composite(["AA", "", "", &state])
    } else {
        clm
    }
}

/// The claim's DTPs (injury, and accident for work and auto) and AMT of what the patient paid.
fn claim_dates_and_amounts(claim: &Claim, out: &mut Vec<Segment>) {
    let r = &claim.related;
    if let Some(injury) = r.injury_date {
        out.push(Segment::new("DTP").values(["431", "D8", &x12::date(injury)]));
        if r.employment || r.auto {
            out.push(Segment::new("DTP").values(["439", "D8", &x12::date(injury)]));
        }
    }
    if claim.amount_paid.cents() > 0 {
        out.push(Segment::new("AMT").values(["F5", &x12::amount(claim.amount_paid)]));
    }
}

/// The claim's REFs in the guide's order: referral, authorization, payer's claim number.
fn claim_references(claim: &Claim, out: &mut Vec<Segment>) {
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
}

/// HI: the principal diagnosis (ABK), then the others (ABF), each without its dot.
fn diagnoses(claim: &Claim) -> Segment {
    let mut hi = Segment::new("HI");
    for (n, d) in claim.diagnoses.iter().enumerate() {
        let qualifier = if n == 0 { "ABK" } else { "ABF" };
        hi = hi.composite([qualifier.to_string(), x12::clean(d).replace('.', "")]);
    }
    hi
}

/// Loops 2320, 2330A and 2330B of the other coverage: its SBR and OI, its insured, its payer.
fn other_coverage(claim: &Claim, o: &OtherCoverage) -> Vec<Segment> {
    let mut out = vec![
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
    ];
    // The primary's decision, when it has answered: its claim-level adjustments and payment.
    if let Some(a) = &o.adjudication {
        out.extend(adjustment_segments(&a.adjustments));
        out.push(Segment::new("AMT").values(["D", &x12::amount(a.paid)]));
    }
    out.push(
        Segment::new("OI")
            .skip(2)
            .value(benefits_assigned(claim))
            .skip(2)
            .value(release_of_information(claim)),
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
    out
}

/// CAS segments: one per adjustment group, at most six reasons each.
fn adjustment_segments(list: &[crate::documents::claim::Adjusted]) -> Vec<Segment> {
    let mut groups: Vec<(&str, Vec<&crate::documents::claim::Adjusted>)> = Vec::new();
    for a in list.iter().filter(|a| a.amount.cents() != 0) {
        match groups
            .iter_mut()
            .find(|(g, _)| g.eq_ignore_ascii_case(&a.group))
        {
            Some((_, v)) => v.push(a),
            None => groups.push((&a.group, vec![a])),
        }
    }
    let mut out = Vec::new();
    for (group, items) in groups {
        for chunk in items.chunks(6) {
            let mut cas = Segment::new("CAS").value(x12::clean(group));
            for (n, a) in chunk.iter().enumerate() {
                if n > 0 {
                    cas = cas.skip(1);
                }
                cas = cas.values([x12::clean(&a.reason), x12::amount(a.amount)]);
            }
            out.push(cas);
        }
    }
    out
}

/// Loop 2430: what the primary decided on this line, on a secondary claim.
fn line_adjudication(claim: &Claim, line: &ClaimLine, out: &mut Vec<Segment>) {
    let (Some(a), Some(o)) = (&line.primary, &claim.other_coverage) else {
        return;
    };
    let procedure = std::iter::once("HC".to_string())
        .chain(std::iter::once(x12::clean(&line.code)))
        .chain(line.modifiers.iter().map(|m| x12::clean(m)));
    out.push(
        Segment::new("SVD")
            .values([
                x12::clean(o.payer_id.as_deref().unwrap_or_default()),
                x12::amount(a.paid),
            ])
            .composite(procedure)
            .skip(1)
            .value(line.units.to_string()),
    );
    out.extend(adjustment_segments(&a.adjustments));
    if let Some(date) = a.date {
        out.push(Segment::new("DTP").values(["573", "D8", &x12::date(date)]));
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
    line_adjudication(claim, line, out);
}
