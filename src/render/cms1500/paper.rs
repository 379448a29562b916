//! Splits a claim onto paper forms: at most six service lines and twelve diagnoses a form,
//! one referring provider and one authorization a form, pointers lettered per form.

use crate::documents::claim::{Claim, ClaimLine, Clinician};
use crate::model::Money;

/// Service lines one form holds (NUCC: never use the shaded half as a seventh line).
pub const LINES_PER_FORM: usize = 6;
/// Diagnoses one form holds (item 21, A-L).
pub const DIAGNOSES_PER_FORM: usize = 12;

/// One printed form of a claim.
#[derive(Debug, Clone)]
pub struct Form<'a> {
    /// 1-based form number within the claim.
    pub number: usize,
    /// Dotted diagnosis codes A-L of this form.
    pub diagnoses: Vec<String>,
    /// Up to six lines, each with its pointer letters into this form's diagnoses.
    pub lines: Vec<(&'a ClaimLine, String)>,
    /// Sum of the lines' charges (item 28).
    pub total_charge: Money,
    /// Paid by the patient toward these services (item 29).
    pub amount_paid: Money,
    /// Prior authorization number (item 23), or empty.
    pub prior_authorization: String,
    /// Referring provider of the form's lines (item 17).
    pub referring: Option<&'a Clinician>,
}

/// Pointer letter of a 0-based diagnosis index.
pub fn letter(index: usize) -> char {
    char::from(b'A' + (index.min(25) as u8))
}

/// Places the claim's lines on forms: a new form starts when six lines are used, when a
/// line's diagnoses would push the form past twelve, or when its authorization or referral
/// differs from the form's.
pub fn split(claim: &Claim) -> Vec<Form<'_>> {
    let mut forms: Vec<Form> = Vec::new();
    let mut current: Option<Form> = None;
    for line in &claim.lines {
        let visit_dx: &[String] = claim
            .visits
            .iter()
            .find(|v| v.session == line.session)
            .map(|v| v.diagnoses.as_slice())
            .unwrap_or(&[]);
        let fits = current.as_ref().is_some_and(|f| fits(f, line, visit_dx));
        if !fits && let Some(done) = current.take() {
            forms.push(done);
        }
        let form = current.get_or_insert_with(|| Form {
            number: forms.len() + 1,
            diagnoses: Vec::new(),
            lines: Vec::new(),
            total_charge: Money::ZERO,
            amount_paid: Money::ZERO,
            prior_authorization: String::new(),
            referring: None,
        });
        place(form, line, visit_dx);
    }
    forms.extend(current);
    forms
}

fn fits(f: &Form<'_>, line: &ClaimLine, visit_dx: &[String]) -> bool {
    let new_dx = visit_dx
        .iter()
        .chain(&line.diagnoses)
        .filter(|d| !f.diagnoses.contains(d))
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    // Items 17 and 23 hold one referrer and one authorization per form.
    let same_authorization = line
        .authorization
        .as_ref()
        .is_none_or(|a| f.prior_authorization.is_empty() || &f.prior_authorization == a);
    let same_referral =
        line.referral.is_none() || f.referring.is_none() || f.referring == line.referral.as_ref();
    f.lines.len() < LINES_PER_FORM
        && f.diagnoses.len() + new_dx <= DIAGNOSES_PER_FORM
        && same_authorization
        && same_referral
}

fn place<'a>(form: &mut Form<'a>, line: &'a ClaimLine, visit_dx: &[String]) {
    // The visit's diagnoses go in first, in its order; then this line's, should one be
    // missing.
    for d in visit_dx.iter().chain(&line.diagnoses) {
        if !form.diagnoses.contains(d) && form.diagnoses.len() < DIAGNOSES_PER_FORM {
            form.diagnoses.push(d.clone());
        }
    }
    let mut letters = String::new();
    for d in line.diagnoses.iter().take(4) {
        let index = match form.diagnoses.iter().position(|x| x == d) {
            Some(i) => i,
            None => {
                form.diagnoses.push(d.clone());
                form.diagnoses.len() - 1
            }
        };
        letters.push(letter(index));
    }
    form.total_charge = Money(form.total_charge.cents() + line.charge.cents());
    form.amount_paid = Money(form.amount_paid.cents() + line.paid.cents());
    if form.prior_authorization.is_empty()
        && let Some(a) = &line.authorization
    {
        form.prior_authorization = a.clone();
    }
    if form.referring.is_none() {
        form.referring = line.referral.as_ref();
    }
    form.lines.push((line, letters));
}
