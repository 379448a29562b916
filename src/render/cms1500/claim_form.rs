//! Maps a claim onto CMS-1500 fields, form by form, following the NUCC instructions; values
//! that do not fit their boxes are findings (an identifier refuses, other text is shortened).

use super::nucc::{self, identifier, last_first, plain};
use super::paper::{self, Form};
use super::values::Fitted;
use super::{Mode, Offsets};
use crate::codes::tax_id::TaxIdType;
use crate::documents::claim::Claim;
use crate::findings::Finding;
use crate::model::patient::Sex;
use crate::model::payer::Item1;
use crate::model::{Money, PayerKind};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

/// How claims print: on a red form or as a replica, and the printer's offsets.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Overlay or replica.
    pub mode: Mode,
    /// Printer offsets.
    pub offsets: Offsets,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Overlay,
            offsets: Offsets::default(),
        }
    }
}

/// The claim's forms as field maps.
pub fn claim_fields(claim: &Claim) -> Vec<BTreeMap<String, String>> {
    paper::split(claim)
        .iter()
        .map(|f| form_fields(claim, f))
        .collect()
}

/// Renders a claim's forms to a PDF, with a note for every value that had to be shortened
/// or transliterated to fit its box.
pub fn render_claim(
    claim: &Claim,
    options: &Options,
    title: &str,
) -> Result<(Vec<u8>, Vec<String>), super::FormError> {
    let fitted = fit_claim(claim)?;
    let notes = fitted.notes.iter().map(|n| n.to_string()).collect();
    let bytes = super::render_forms(&fitted.forms, options.mode, options.offsets, title)?;
    Ok((bytes, notes))
}

/// The claim's forms fitted to their boxes. A claim is checked for what fitting changes, then
/// printed, on one thread: the last fit of each thread is kept with the values it fitted and
/// reused when the same values come again.
fn fit_claim(claim: &Claim) -> Result<Rc<Fitted>, super::FormError> {
    type Last = Option<(Vec<BTreeMap<String, String>>, Rc<Fitted>)>;
    thread_local! {
        static LAST: RefCell<Last> = const { RefCell::new(None) };
    }
    let fields = claim_fields(claim);
    let reused = LAST.with(|last| match &*last.borrow() {
        Some((values, fitted)) if *values == fields => Some(Rc::clone(fitted)),
        _ => None,
    });
    if let Some(fitted) = reused {
        return Ok(fitted);
    }
    let fitted = Rc::new(super::fit_forms(&fields)?);
    LAST.with(|last| *last.borrow_mut() = Some((fields, Rc::clone(&fitted))));
    Ok(fitted)
}

/// Width of item 26, the patient's account number: the grid's, which stops a column short of
/// the rule before item 27.
const ACCOUNT_WIDTH: usize = 13;

/// Item 26: the patient id in upper case without its hyphens; an id too long for the box
/// keeps its start and ends in a short hash of the whole id, so two long ids never print the
/// same number.
pub fn account_number(id: &str) -> String {
    let compact = identifier(&id.to_uppercase());
    if compact.chars().count() <= ACCOUNT_WIDTH {
        return compact;
    }
    let digest = Sha256::digest(id.as_bytes());
    let hash: String = digest.iter().take(3).map(|b| format!("{b:02X}")).collect();
    let hash = &hash[..5];
    let start: String = compact.chars().take(ACCOUNT_WIDTH - hash.len()).collect();
    format!("{start}{hash}")
}

/// Fields holding identifiers: cutting one would print a different, wrong id.
const IDENTIFIER_FIELDS: &[&str] = &[
    "1a", "9a", "11", "11b", "17b", "23", "25", "26", "32a", "33a",
];

/// Fields holding a state or a ZIP: cut to fit, one would name another place ("Maine" would
/// print MA, Massachusetts), so they refuse as identifiers do.
const PLACE_FIELDS: &[&str] = &["5_state", "5_zip", "7_state", "7_zip", "10b_state"];

/// Findings for values that do not fit their boxes: an identifier refuses the claim, other
/// text is shortened with a warning. Messages name the item, never the value, since values
/// are patient data.
pub fn fit_findings(claim: &Claim, patient_file: &str) -> Vec<Finding> {
    let Ok(fitted) = fit_claim(claim) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    // Every form of a claim repeats the patient's and the practice's items, so one warning
    // names all the forms where the same text was shortened the same way.
    let mut shortened: Vec<(String, String, Vec<usize>)> = Vec::new();
    for n in &fitted.notes {
        let Some(width) = n.truncated_to else {
            continue;
        };
        let exact = IDENTIFIER_FIELDS.contains(&n.field.as_str())
            || PLACE_FIELDS.contains(&n.field.as_str())
            || n.field.starts_with("21_")
            || n.field.ends_with("_npi");
        // The practice's own items come from practice.yaml, the carrier block from the
        // payer's file, the rest from the patient's.
        let practice_item = ["25", "31", "32", "33"]
            .iter()
            .any(|p| n.item.starts_with(p))
            || n.field.ends_with("_npi");
        let file = if practice_item {
            "practice.yaml".to_string()
        } else if n.item == "carrier" {
            format!("payers/{}.yaml", claim.payer.id)
        } else {
            patient_file.to_string()
        };
        if exact {
            found.push(Finding::error(
                "claim.value_too_long",
                file,
                format!(
                    "form {}, item {}: the value is longer than the {width} characters the box holds, and cutting an identifier would print a wrong one: check the value",
                    n.form, n.item
                ),
            ));
            continue;
        }
        let what = format!(
            "item {}: the {} was shortened to the {width} characters the box holds ({})",
            n.item,
            what(&n.field),
            n.how()
        );
        match shortened
            .iter_mut()
            .find(|(f, w, _)| *f == file && *w == what)
        {
            Some((_, _, forms)) => forms.push(n.form),
            None => shortened.push((file, what, vec![n.form])),
        }
    }
    found.extend(shortened.into_iter().map(|(file, what, forms)| {
        Finding::warning(
            "claim.value_shortened",
            file,
            format!("{}, {what}", forms_named(&forms)),
        )
    }));
    found
}

/// "form 1", "forms 1 and 2", "forms 1, 2 and 3".
fn forms_named(forms: &[usize]) -> String {
    let numbers: Vec<String> = forms.iter().map(usize::to_string).collect();
    match numbers.as_slice() {
        [one] => format!("form {one}"),
        [rest @ .., last] => format!("forms {} and {last}", rest.join(", ")),
        [] => String::new(),
    }
}

fn mmddyyyy(d: NaiveDate) -> String {
    d.format("%m %d %Y").to_string()
}

fn mmddyy(d: NaiveDate) -> String {
    d.format("%m %d %y").to_string()
}

/// What a field holds, in lower case for a message: "billing provider street address".
fn what(field: &str) -> String {
    let description = super::grid::grid()
        .get(field)
        .map(|f| f.description.as_str())
        .unwrap_or("value");
    // Descriptions go on after a comma with the format ("Patient's name, LAST, FIRST, MI").
    let head = description.split(',').next().unwrap_or(description);
    let mut chars = head.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "value".to_string(),
    }
}

fn money_parts(m: Money) -> (String, String) {
    let cents = m.cents().max(0);
    ((cents / 100).to_string(), format!("{:02}", cents % 100))
}

/// Splits "207-555-0143" into ("207", "5550143"): the form has boxes for the area code
/// and seven digits, with no room for a hyphen.
fn phone_parts(phone: &str) -> (String, String) {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 => (digits[..3].to_string(), digits[3..].to_string()),
        11 if digits.starts_with('1') => (digits[1..4].to_string(), digits[4..].to_string()),
        _ => (String::new(), String::new()),
    }
}

/// The field map being filled; empty values print nothing and are left out.
struct Fields(BTreeMap<String, String>);

impl Fields {
    fn set(&mut self, k: &str, v: impl Into<String>) {
        let v = v.into();
        if !v.is_empty() {
            self.0.insert(k.to_string(), v);
        }
    }

    fn check(&mut self, k: &str, yes: bool) {
        if yes {
            self.set(k, "X");
        }
    }

    fn sex(&mut self, prefix: &str, sex: Sex) {
        match sex {
            Sex::M => self.set(&format!("{prefix}_m"), "X"),
            Sex::F => self.set(&format!("{prefix}_f"), "X"),
            Sex::U => {}
        }
    }

    fn phone(&mut self, prefix: &str, phone: &str) {
        let (area, rest) = phone_parts(phone);
        self.set(&format!("{prefix}_area"), area);
        self.set(prefix, rest);
    }

    fn money(&mut self, prefix: &str, m: Money) {
        let (dollars, cents) = money_parts(m);
        self.set(&format!("{prefix}_dollars"), dollars);
        self.set(&format!("{prefix}_cents"), cents);
    }

    /// Items 5 and 7: street and city without punctuation, the ZIP code as digits.
    fn address(&mut self, prefix: &str, a: &crate::model::Address) {
        self.set(&format!("{prefix}_street"), plain(&a.street));
        self.set(&format!("{prefix}_city"), plain(&a.city));
        self.set(&format!("{prefix}_state"), a.state.clone());
        self.set(&format!("{prefix}_zip"), nucc::zip(&a.zip.to_string()));
    }
}

/// Every printed field of one form, by field id of the CMS-1500 grid.
pub fn form_fields(claim: &Claim, form: &Form<'_>) -> BTreeMap<String, String> {
    let mut f = Fields(BTreeMap::new());
    carrier_and_patient(&mut f, claim);
    insured_items(&mut f, claim);
    // Item 12 authorizes the release of information; item 13 assigns the benefits to the
    // practice, so it stays blank when the payer pays the patient.
    if claim.release_signed {
        f.set("12_signature", "SIGNATURE ON FILE");
    }
    if claim.assignment_signed {
        f.set("13_signature", "SIGNATURE ON FILE");
    }
    if let Some(r) = form.referring {
        f.set("17_qual", "DN");
        f.set(
            "17_name",
            plain(&format!(
                "{} {} {}",
                r.first_name, r.last_name, r.credentials
            )),
        );
        f.set("17b", r.npi.clone());
    }
    if claim.frequency != crate::model::Frequency::Original {
        // Item 22: the resubmission code and the payer's number of the claim it replaces.
        f.set("22_code", claim.frequency.code());
        f.set(
            "22_original",
            claim.original_claim_number.clone().unwrap_or_default(),
        );
    }
    f.set("21_ind", "0");
    for (i, d) in form.diagnoses.iter().enumerate() {
        let letter = paper::letter(i).to_ascii_lowercase();
        f.set(&format!("21_{letter}"), d.replace('.', ""));
    }
    f.set("23", identifier(&form.prior_authorization));
    service_lines(&mut f, form);
    provider_items(&mut f, claim, form);
    f.set("26", account_number(&claim.patient.id));
    f.money("28", form.total_charge);
    if form.amount_paid.cents() > 0 {
        f.money("29", form.amount_paid);
    }
    f.0
}

/// The carrier block and items 1-3, 5.
fn carrier_and_patient(f: &mut Fields, claim: &Claim) {
    let payer = &claim.payer;
    if !payer.name.is_empty() {
        let a = &payer.address;
        f.set("carrier_name", plain(&payer.name));
        f.set("carrier_address1", plain(&a.street));
        f.set(
            "carrier_city_state_zip",
            nucc::city_state_zip(&a.city, &a.state, &a.zip.to_string()),
        );
    }
    let box1 = match payer.program {
        Item1::Medicare => "1_medicare",
        Item1::Medicaid => "1_medicaid",
        Item1::Tricare => "1_tricare",
        Item1::Champva => "1_champva",
        Item1::Group => "1_group",
        Item1::Feca => "1_feca",
        Item1::Other => "1_other",
    };
    f.set(box1, "X");
    f.set("1a", identifier(&claim.insured.member_id));
    let p = &claim.patient;
    f.set("2", last_first(&p.last_name, &p.first_name));
    f.set("3_dob", mmddyyyy(p.dob));
    f.sex("3_sex", p.sex);
    f.address("5", &p.address);
    if let Some(phone) = &p.phone {
        f.phone("5_phone", phone);
    }
}

/// Items 4, 6, 7, 9-11 and 14: the insured, the other coverage, and what the condition
/// relates to.
fn insured_items(f: &mut Fields, claim: &Claim) {
    let ins = &claim.insured;
    let kind = claim.payer.kind;
    if ins.member_id.is_empty() {
        // No coverage was in force: the claim names nobody insured.
        return;
    }
    match &ins.employer {
        Some(e) => {
            f.set("4", plain(&e.name));
            f.address("7", &e.address);
            if let Some(phone) = &e.phone {
                f.phone("7_phone", phone);
            }
        }
        None => {
            f.set("4", last_first(&ins.last_name, &ins.first_name));
            f.address("7", &ins.address);
        }
    }
    // A workers' compensation patient is "other" to the employer who is insured.
    let relationship = if kind == PayerKind::WorkersComp {
        "other"
    } else {
        ins.relationship
    };
    f.set(&format!("6_{relationship}"), "X");
    if ins.relationship != "self" && ins.employer.is_none() {
        f.set("11a_dob", mmddyyyy(ins.dob));
        f.sex("11a_sex", ins.sex);
    }
    let group = identifier(ins.group_number.as_deref().unwrap_or_default());
    if kind == PayerKind::Medicare && group.is_empty() {
        f.set("11", "NONE");
    } else {
        f.set("11", group);
    }
    f.set("11c", ins.plan_name.clone().unwrap_or_default());
    match &claim.other_coverage {
        Some(o) => {
            f.set("11d_yes", "X");
            f.set("9", last_first(&o.last_name, &o.first_name));
            f.set("9a", identifier(&o.group_or_member));
            f.set("9d", o.plan.clone());
        }
        None => f.set("11d_no", "X"),
    }
    let r = &claim.related;
    f.set(if r.employment { "10a_yes" } else { "10a_no" }, "X");
    f.set(if r.auto { "10b_yes" } else { "10b_no" }, "X");
    if r.auto {
        f.set("10b_state", r.accident_state.clone().unwrap_or_default());
    }
    f.set("10c_no", "X");
    if let Some(number) = &r.carrier_claim_number {
        f.set("11b_qual", "Y4");
        f.set("11b", number.clone());
    }
    if let Some(injury) = r.injury_date {
        f.set("14_date", mmddyyyy(injury));
        f.set("14_qual", "431");
    }
}

/// Item 24, one row per line.
fn service_lines(f: &mut Fields, form: &Form<'_>) {
    for (i, (line, pointers)) in form.lines.iter().enumerate() {
        let n = i + 1;
        f.set(&format!("24a_{n}_from"), mmddyy(line.date));
        f.set(&format!("24a_{n}_to"), mmddyy(line.date));
        f.set(&format!("24b_{n}"), line.place_of_service.clone());
        f.set(&format!("24d_{n}_code"), line.code.clone());
        for (m_i, m) in line.modifiers.iter().enumerate() {
            f.set(&format!("24d_{n}_mod{}", m_i + 1), m.clone());
        }
        f.set(&format!("24e_{n}"), pointers.clone());
        f.money(&format!("24f_{n}"), line.charge);
        f.set(&format!("24g_{n}"), line.units.to_string());
        if let Some(r) = &line.rendering {
            f.set(&format!("24j_{n}_npi"), r.npi.clone());
        }
    }
}

/// Items 25, 27 and 31-33: the billing provider and where the services were rendered.
fn provider_items(f: &mut Fields, claim: &Claim, form: &Form<'_>) {
    let b = &claim.billing;
    if b.npi.is_empty() && b.name.is_empty() {
        return;
    }
    f.set("25", b.tax_id.clone());
    f.check("25_ein", b.tax_id_type == TaxIdType::Ein);
    f.check("25_ssn", b.tax_id_type == TaxIdType::Ssn);
    f.set(if claim.assigned { "27_yes" } else { "27_no" }, "X");
    if let Some(r) = form.lines.first().and_then(|(l, _)| l.rendering.as_ref()) {
        let name = plain(&format!("{} {}", r.first_name, r.last_name));
        let signed = plain(&format!("{name} {}", r.credentials));
        let width = super::grid()
            .get("31_signature")
            .map_or(usize::MAX, |g| usize::from(g.width));
        // The box holds two lines (as the IHS layout prints it): a name with credentials too
        // long for one keeps the name whole above and the credentials below.
        if signed.chars().count() <= width || r.credentials.trim().is_empty() {
            f.set("31_signature", signed);
        } else {
            f.set("31_name", name);
            f.set("31_signature", plain(&r.credentials));
        }
    }
    f.set("31_date", mmddyy(claim.signed));
    let a = &b.address;
    let city_state_zip = nucc::city_state_zip(&a.city, &a.state, &a.zip.to_string());
    // Item 32: where the services were rendered; the practice's own office unless every
    // line of the form was rendered at the patient's home or by telehealth.
    let away = form
        .lines
        .iter()
        .all(|(l, _)| matches!(l.place_of_service.as_str(), "02" | "10" | "12"));
    // A name too long for its box prints as the practice's short name when it has one.
    let name_for = |id: &str| {
        let full = plain(&b.name);
        let width = super::grid()
            .get(id)
            .map_or(usize::MAX, |g| usize::from(g.width));
        match &b.short_name {
            Some(short) if full.chars().count() > width => plain(short),
            _ => full,
        }
    };
    if !away {
        f.set("32_name", name_for("32_name"));
        f.set("32_street", plain(&a.street));
        f.set("32_city_state_zip", city_state_zip.clone());
        f.set("32a", b.npi.clone());
    }
    f.set("33_name", name_for("33_name"));
    f.set("33_street", plain(&a.street));
    f.set("33_city_state_zip", city_state_zip);
    f.phone("33_phone", &b.phone);
    f.set("33a", b.npi.clone());
    f.set("33b", format!("ZZ{}", b.taxonomy));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_numbers_fit_and_stay_distinct() {
        assert_eq!(account_number("jane-doe"), "JANEDOE");
        let a = account_number("robert-lindqvist");
        let b = account_number("robert-lindqvist-jr");
        assert_eq!(a.len(), ACCOUNT_WIDTH);
        assert_ne!(a, b);
        assert!(a.starts_with("ROBERTLI"), "{a}");
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()), "{a}");
    }

    #[test]
    fn phones_split_into_area_and_number() {
        assert_eq!(
            phone_parts("207-555-0143"),
            ("207".into(), "5550143".into())
        );
        assert_eq!(
            phone_parts("1 (207) 555-0143"),
            ("207".into(), "5550143".into())
        );
        assert_eq!(phone_parts("555-0143"), (String::new(), String::new()));
    }
}
