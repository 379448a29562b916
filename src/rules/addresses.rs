//! Postal addresses and phone numbers wherever the records hold them: a state must be a USPS
//! code, a ZIP 5 or 9 digits, a phone 10 digits. The files load all the same; the claims and
//! letters that would print them are held. Messages name the field and the form wanted, never
//! the value: a patient's address and phone are protected health information.

use crate::findings::Finding;
use crate::load::PracticeData;
use crate::model::Address;
use crate::model::patient::Subscriber;

/// The USPS codes of the states, DC, the territories (PR, VI, GU, AS, MP) and military mail
/// (AA, AE, AP): what a claim's state may hold.
const USPS_STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY", "DC", "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP",
];

/// True for a USPS state code, in either case (claims print it in upper case).
pub fn is_state(code: &str) -> bool {
    code.len() == 2 && USPS_STATES.contains(&code.to_ascii_uppercase().as_str())
}

/// True for a 5-digit ZIP or a ZIP+4 written `04101-3219` or `041013219`.
pub fn is_zip(zip: &str) -> bool {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    match (zip.len(), zip.split_once('-')) {
        (5 | 9, None) => digits(zip),
        (10, Some((five, four))) => five.len() == 5 && digits(five) && digits(four),
        _ => false,
    }
}

/// The 10 digits of a US phone number written with any of ` -().+/`, a leading country
/// code 1 dropped; None when it is not one.
pub fn phone_digits(phone: &str) -> Option<String> {
    if !phone
        .chars()
        .all(|c| c.is_ascii_digit() || " -().+/".contains(c))
    {
        return None;
    }
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 => Some(digits),
        11 if digits.starts_with('1') => Some(digits[1..].to_string()),
        _ => None,
    }
}

/// Checks every address and phone of the practice, the payers and the patients.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    if let Some(rec) = &data.practice {
        let p = &rec.data;
        let mut on = Place::new(&rec.file, findings);
        on.address("address", &p.address);
        on.phone("phone", &p.phone, false);
        if let Some(edi) = &p.edi {
            on.phone("edi.contact.phone", &edi.contact.phone, false);
        }
    }
    for rec in data.payers.values() {
        let p = &rec.data;
        let mut on = Place::new(&rec.file, findings);
        on.address("claims_address", &p.claims_address);
        if let Some(a) = &p.appeals_address {
            on.address("appeals_address", a);
        }
    }
    for rec in data.patients.values() {
        let p = &rec.data;
        let mut on = Place::new(&rec.file, findings);
        on.address("address", &p.address);
        if let Some(phone) = &p.phone {
            on.phone("phone", phone, true);
        }
        for (i, c) in p.coverages.iter().enumerate() {
            if let Subscriber::Other(s) = &c.subscriber {
                on.address(&format!("coverages[{i}].subscriber.address"), &s.address);
            }
            if let Some(e) = &c.employer {
                on.address(&format!("coverages[{i}].employer.address"), &e.address);
                if let Some(phone) = &e.phone {
                    on.phone(&format!("coverages[{i}].employer.phone"), phone, true);
                }
            }
            if let Some(state) = &c.accident_state {
                on.state(&format!("coverages[{i}].accident_state"), state);
            }
        }
    }
}

/// One file's findings being added.
struct Place<'a> {
    file: &'a str,
    findings: &'a mut Vec<Finding>,
}

impl<'a> Place<'a> {
    fn new(file: &'a str, findings: &'a mut Vec<Finding>) -> Self {
        Place { file, findings }
    }

    fn invalid(&mut self, field: &str, message: String) {
        self.findings
            .push(Finding::error("field.invalid", self.file, message).at(field));
    }

    /// The state and ZIP of the address at `field`.
    fn address(&mut self, field: &str, a: &Address) {
        self.state(&format!("{field}.state"), &a.state);
        if !is_zip(a.zip.as_str()) {
            let field = format!("{field}.zip");
            self.invalid(
                &field,
                format!(
                    "`{field}` must be a ZIP code of 5 digits, or 9 with the ZIP+4, written in quotes such as \"12345\" or \"12345-6789\": unquoted, YAML drops a leading zero and reads 0o... as an octal number"
                ),
            );
        }
    }

    fn state(&mut self, field: &str, state: &str) {
        if !is_state(state) {
            self.invalid(
                field,
                format!(
                    "`{field}` must be a two-letter USPS code such as ME (a state, DC, PR, VI, GU, AS, MP, or AA, AE, AP for military mail): write the code, not the name"
                ),
            );
        }
    }

    /// A phone; `optional` ones may be left out.
    fn phone(&mut self, field: &str, phone: &str, optional: bool) {
        if phone_digits(phone).is_none() {
            let leave_out = if optional {
                ", or leave the field out"
            } else {
                ""
            };
            self.invalid(
                field,
                format!(
                    "`{field}` must be a US phone number of 10 digits, area code first, such as \"(207) 555-0143\"{leave_out}"
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    #[test]
    fn the_forms_accepted() {
        for s in [
            "ME", "me", "DC", "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP", "WY",
        ] {
            assert!(is_state(s), "{s}");
        }
        for s in ["Maine", "false", "", "M", "XX", "MEX", "ON", " ME"] {
            assert!(!is_state(s), "{s}");
        }
        for z in ["04101", "04101-3219", "041013219"] {
            assert!(is_zip(z), "{z}");
        }
        for z in [
            "4101",
            "2113",
            "ABC",
            "04101-",
            "0410-13219",
            "04101 3219",
            "0410132",
            "",
        ] {
            assert!(!is_zip(z), "{z}");
        }
        assert_eq!(phone_digits("207-555-0143").as_deref(), Some("2075550143"));
        assert_eq!(
            phone_digits("+1 (207) 555.0143").as_deref(),
            Some("2075550143")
        );
        for p in [
            "207-555-014",
            "555-0143",
            "2075550143 ext 4",
            "n/a",
            "",
            "22075550143",
        ] {
            assert!(phone_digits(p).is_none(), "{p}");
        }
    }

    #[test]
    fn valid_addresses_and_phones_are_clean() {
        let findings = Practice::new()
            .patient("{phone: \"(207) 555-0199\", address: {zip: \"04102-1234\"}}")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn each_address_and_phone_is_checked_where_it_is() {
        let practice = Practice::new()
            .practice("{address: {state: Maine}, phone: \"555-0100\"}")
            .check(check);
        assert_codes(
            &practice,
            &[
                ("field.invalid", "address.state"),
                ("field.invalid", "phone"),
            ],
        );
        assert!(practice.iter().all(|f| f.file == "practice.yaml"));

        let payer = Practice::new()
            .file(
                "payers/ppo.yaml",
                "name: Pine PPO\nkind: commercial\nclaims_address: {street: \"PO Box 1\", city: Boston, state: MA, zip: \"2101\"}\nappeals_address: {street: \"PO Box 9\", city: Boston, state: Mass, zip: \"02101\"}\nunit_rule: substantial_portion\ntimely_filing_days: 120\nappeal_window_days: 180\n",
            )
            .check(check);
        assert_codes(
            &payer,
            &[
                ("field.invalid", "claims_address.zip"),
                ("field.invalid", "appeals_address.state"),
            ],
        );

        let patient = Practice::new()
            .patient("{phone: \"207-555-014\", address: {zip: 0o4101}}")
            .coverage(
                "{subscriber: {relationship: spouse, first_name: Tom, last_name: Doe, dob: 1979-02-03, sex: M, address: {street: s, city: c, state: \"false\", zip: \"04102\"}}, \
                 employer: {name: Acme, address: {street: s, city: c, state: ME, zip: ABC}, phone: \"12-34\"}, accident_state: Maine}",
            )
            .check(check);
        assert_codes(
            &patient,
            &[
                ("field.invalid", "phone"),
                ("field.invalid", "address.zip"),
                ("field.invalid", "coverages[0].subscriber.address.state"),
                ("field.invalid", "coverages[0].employer.address.zip"),
                ("field.invalid", "coverages[0].employer.phone"),
                ("field.invalid", "coverages[0].accident_state"),
            ],
        );
    }

    #[test]
    fn messages_name_the_field_and_the_form_never_the_value() {
        let messages = |phone: &str, state: &str, zip: &str| -> Vec<(String, String)> {
            let findings = Practice::new()
                .patient(&format!(
                    "{{phone: \"{phone}\", address: {{state: {state}, zip: \"{zip}\"}}}}"
                ))
                .check(check);
            let mut out: Vec<(String, String)> = findings
                .iter()
                .map(|f| (f.field.clone().unwrap_or_default(), f.message.clone()))
                .collect();
            out.sort();
            out
        };
        let found = messages("207-555-019", "Maine", "4101");
        assert_eq!(found.len(), 3);
        // Other wrong values, the same words: the message never holds the value.
        assert_eq!(found, messages("(603) 12", "Vermont", "ABC"));
        for (_, message) in &found {
            for value in ["Maine", "4101", "207-555-019"] {
                assert!(!message.contains(value), "{message}");
            }
        }
        let message = |field: &str| {
            found
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, m)| m.clone())
                .unwrap_or_default()
        };
        assert!(message("address.state").contains("two-letter USPS code such as ME"));
        assert!(message("address.zip").contains("in quotes"));
        assert!(message("address.zip").contains("5 digits"));
        assert!(message("phone").contains("10 digits"));
        assert!(message("phone").contains("leave the field out"));
    }

    #[test]
    fn the_edi_contact_phone_is_checked() {
        let findings = Practice::new()
            .practice("{edi: {sender_id: S, receiver_id: R, receiver_name: C, contact: {name: A, phone: \"207\"}}}")
            .check(check);
        assert_codes(&findings, &[("field.invalid", "edi.contact.phone")]);
    }
}
