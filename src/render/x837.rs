//! The 837P professional claim (005010X222A1), a renderer of claims: one interchange holds the
//! claims of one payer. `missing` names what the records lack for it; `write` builds the file
//! and refuses it whole when its own check finds what pyx12 would not.

mod check;
mod segments;

use crate::documents::claim::{Claim, Frequency};
use crate::findings::Finding;
use crate::model::practice::Edi;
use crate::x12::{self, Delimiters};
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
            "the practice's address needs a two-letter USPS state code for 2010AA",
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

/// True for a USPS state code: any other two letters would send a wrong state.
fn is_state(state: &str) -> bool {
    crate::rules::addresses::is_state(state)
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
    if let Some(c) = i
        .claims
        .iter()
        .find(|c| segments::total_charge(c).is_none())
    {
        return Err(vec![Finding::error(
            "x12.invalid",
            patient_file(c),
            format!(
                "the 837P file was not written: the charges of claim {} add up past any amount: check each line's charge",
                c.id
            ),
        )]);
    }
    let built = segments::build(i);
    let d = Delimiters::STANDARD;
    // One segment a line: receivers ignore the line break after the terminator, and people
    // can read the file.
    let text: String = built.iter().map(|s| s.write(&d) + "\n").collect();
    let mut defects = check::check_text(&text);
    defects.extend(check::compare(&built, &x12::tokenize(&text, &d)));
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

#[cfg(test)]
mod tests;
