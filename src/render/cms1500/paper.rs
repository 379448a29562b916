//! Splits a claim onto paper forms: at most six service lines and twelve diagnoses a form,
//! one referring provider, one rendering provider and one authorization a form, pointers
//! lettered per form.

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
    /// Paid by the patient and other payers toward these services (item 29).
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
/// line's diagnoses would push the form past twelve, or when its authorization, referral or
/// rendering provider differs from the form's.
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
    // Item 31 names the form's one rendering provider, whom every 24J must name too. A claim
    // holds one provider's visits; a replacement of a claim sent with several keeps them all.
    let same_rendering = f.lines.first().is_none_or(|(first, _)| {
        first.rendering.as_ref().map(|r| &r.npi) == line.rendering.as_ref().map(|r| &r.npi)
    });
    f.lines.len() < LINES_PER_FORM
        && f.diagnoses.len() + new_dx <= DIAGNOSES_PER_FORM
        && same_authorization
        && same_referral
        && same_rendering
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
    // Item 29: what the patient and other payers paid (the primary, on a secondary claim).
    let other_payer = line.primary.as_ref().map(|a| a.paid.cents()).unwrap_or(0);
    form.amount_paid = Money(form.amount_paid.cents() + line.paid.cents() + other_payer);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::claim::{
        BillingProvider, ClaimPatient, ClaimPayer, ClaimVisit, Frequency, Insured, Related,
    };
    use crate::model::{Address, Code, PayerKind, patient::Sex};

    fn address() -> Address {
        Address {
            street: "1 Main St".into(),
            city: "Portland".into(),
            state: "ME".into(),
            zip: Code("04101".into()),
        }
    }

    /// A claim of one line per (date, diagnoses) pair, each its own visit.
    fn claim(lines: &[(&str, &[&str])]) -> Claim {
        let dob = chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap();
        let mut c = Claim {
            id: "CW202611TEST".into(),
            month: "2026-11".into(),
            frequency: Frequency::Original,
            original_claim_number: None,
            priority: crate::model::patient::Priority::Primary,
            claim_filing_code: "CI".into(),
            own_member_id: false,
            authorization: None,
            referral: None,
            billing: BillingProvider {
                name: "P".into(),
                short_name: None,
                address: address(),
                phone: "2075550143".into(),
                npi: "1234567893".into(),
                tax_id: "123456789".into(),
                tax_id_type: crate::codes::tax_id::TaxIdType::Ein,
                taxonomy: "225700000X".into(),
                accept_assignment: true,
            },
            payer: ClaimPayer {
                id: "aetna".into(),
                name: "Aetna".into(),
                payer_id: None,
                kind: PayerKind::Commercial,
                program: crate::model::payer::Item1::Group,
                address: address(),
            },
            patient: ClaimPatient {
                id: "jane-doe".into(),
                last_name: "Doe".into(),
                first_name: "Jane".into(),
                dob,
                sex: Sex::F,
                address: address(),
                phone: None,
            },
            insured: Insured {
                relationship: "self",
                last_name: "Doe".into(),
                first_name: "Jane".into(),
                dob,
                sex: Sex::F,
                address: address(),
                member_id: "W1".into(),
                group_number: None,
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
            diagnoses: Vec::new(),
            visits: Vec::new(),
            lines: Vec::new(),
            total_charge: Money::ZERO,
            amount_paid: Money::ZERO,
            signed: dob,
        };
        for (i, (date, dx)) in lines.iter().enumerate() {
            let session = format!("s{i}");
            let dx: Vec<String> = dx.iter().map(|d| d.to_string()).collect();
            c.visits.push(ClaimVisit {
                session: session.clone(),
                date: date.parse().unwrap(),
                diagnoses: dx.clone(),
            });
            c.lines.push(ClaimLine {
                session,
                service_index: 0,
                control_number: format!("L{i}"),
                date: date.parse().unwrap(),
                place_of_service: "11".into(),
                code: "97124".into(),
                modifiers: vec![],
                diagnoses: dx,
                charge: Money(3800),
                units: 1,
                rendering: None,
                authorization: None,
                referral: None,
                paid: Money::ZERO,
                primary: None,
            });
        }
        c
    }

    #[test]
    fn nine_lines_make_two_forms_with_own_totals_and_pointers() {
        let dates: Vec<(String, &[&str])> = (1..=9)
            .map(|d| {
                let dx: &[&str] = if d <= 6 {
                    &["M54.50", "M62.830"]
                } else {
                    &["M54.2"]
                };
                (format!("2026-11-{d:02}"), dx)
            })
            .collect();
        let pairs: Vec<(&str, &[&str])> = dates.iter().map(|(d, x)| (d.as_str(), *x)).collect();
        let c = claim(&pairs);
        let forms = split(&c);
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].lines.len(), 6);
        assert_eq!(forms[1].lines.len(), 3);
        assert_eq!(forms[0].total_charge, Money(6 * 3800));
        assert_eq!(forms[1].total_charge, Money(3 * 3800));
        assert_eq!(forms[0].lines[0].1, "AB");
        // M54.2 is the first diagnosis of the second form, so it is A there.
        assert_eq!(forms[1].diagnoses, vec!["M54.2".to_string()]);
        assert_eq!(forms[1].lines[0].1, "A");
        assert_eq!(forms[1].number, 2);
    }

    #[test]
    fn thirteenth_diagnosis_starts_a_new_form() {
        let codes: Vec<String> = (0..13).map(|i| format!("M79.{i}")).collect();
        let groups: Vec<Vec<&str>> = codes
            .chunks(3)
            .map(|c| c.iter().map(String::as_str).collect())
            .collect();
        let pairs: Vec<(&str, &[&str])> = groups.iter().map(|g| ("2026-11-02", &g[..])).collect();
        let c = claim(&pairs);
        let forms = split(&c);
        assert!(
            forms
                .iter()
                .all(|f| f.diagnoses.len() <= DIAGNOSES_PER_FORM)
        );
        assert_eq!(forms.len(), 2);
    }

    #[test]
    fn item_21_keeps_the_visits_order() {
        let dx: &[&str] = &["M54.50"];
        let mut c = claim(&[("2026-11-02", dx)]);
        c.visits[0].diagnoses = vec!["M79.18".into(), "M54.2".into(), "M54.50".into()];
        let forms = split(&c);
        assert_eq!(forms[0].diagnoses, vec!["M79.18", "M54.2", "M54.50"]);
        assert_eq!(forms[0].lines[0].1, "C");
    }

    #[test]
    fn a_new_authorization_starts_a_new_form() {
        let dx: &[&str] = &["M54.50"];
        let mut c = claim(&[("2026-11-02", dx), ("2026-11-20", dx)]);
        c.lines[0].authorization = Some("AUTH-1".into());
        c.lines[1].authorization = Some("AUTH-2".into());
        let forms = split(&c);
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].prior_authorization, "AUTH-1");
        assert_eq!(forms[1].prior_authorization, "AUTH-2");
    }

    #[test]
    fn another_rendering_provider_starts_a_new_form() {
        let dx: &[&str] = &["M54.50"];
        let mut c = claim(&[("2026-11-02", dx), ("2026-11-09", dx), ("2026-11-20", dx)]);
        let therapist = |npi: &str| Clinician {
            first_name: "Amy".into(),
            last_name: "Chen".into(),
            credentials: "LMT".into(),
            npi: npi.into(),
            taxonomy: None,
        };
        c.lines[0].rendering = Some(therapist("1908301660"));
        c.lines[1].rendering = Some(therapist("1908301660"));
        c.lines[2].rendering = Some(therapist("1810970800"));
        let forms = split(&c);
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].lines.len(), 2);
        assert_eq!(forms[1].lines.len(), 1);
    }

    #[test]
    fn a_state_too_long_for_its_box_refuses_rather_than_print_another() {
        let dx: &[&str] = &["M54.50"];
        let mut c = claim(&[("2026-11-02", dx)]);
        c.patient.address.state = "Maine".into();
        let found = super::super::claim_form::fit_findings(&c, "patients/jane-doe.yaml");
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].code, "claim.value_too_long");
        assert!(found[0].message.contains("item 5"), "{}", found[0].message);
    }
}
