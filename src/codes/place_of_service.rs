//! The CMS place-of-service (POS) code set: the two-digit setting of a service, CMS-1500 item 24B.
//!
//! CMS maintains the set and adds a code now and then (27 in 2023, 66 in 2024); numbers not
//! listed here are unassigned and invalid on a claim.

/// Every assigned POS code with a short name, in code order.
pub const CODES: &[(&str, &str)] = &[
    ("01", "Pharmacy"),
    ("02", "Telehealth provided other than in the patient's home"),
    ("03", "School"),
    ("04", "Homeless shelter"),
    ("05", "Indian Health Service free-standing facility"),
    ("06", "Indian Health Service provider-based facility"),
    ("07", "Tribal 638 free-standing facility"),
    ("08", "Tribal 638 provider-based facility"),
    ("09", "Prison or correctional facility"),
    ("10", "Telehealth provided in the patient's home"),
    ("11", "Office"),
    ("12", "Home"),
    ("13", "Assisted living facility"),
    ("14", "Group home"),
    ("15", "Mobile unit"),
    ("16", "Temporary lodging"),
    ("17", "Walk-in retail health clinic"),
    ("18", "Place of employment or worksite"),
    ("19", "Off-campus outpatient hospital"),
    ("20", "Urgent care facility"),
    ("21", "Inpatient hospital"),
    ("22", "On-campus outpatient hospital"),
    ("23", "Emergency room, hospital"),
    ("24", "Ambulatory surgical center"),
    ("25", "Birthing center"),
    ("26", "Military treatment facility"),
    ("27", "Outreach site or street"),
    ("31", "Skilled nursing facility"),
    ("32", "Nursing facility"),
    ("33", "Custodial care facility"),
    ("34", "Hospice"),
    ("41", "Ambulance, land"),
    ("42", "Ambulance, air or water"),
    ("49", "Independent clinic"),
    ("50", "Federally qualified health center"),
    ("51", "Inpatient psychiatric facility"),
    ("52", "Psychiatric facility, partial hospitalization"),
    ("53", "Community mental health center"),
    (
        "54",
        "Intermediate care facility for individuals with intellectual disabilities",
    ),
    ("55", "Residential substance abuse treatment facility"),
    ("56", "Psychiatric residential treatment center"),
    ("57", "Non-residential substance abuse treatment facility"),
    ("58", "Non-residential opioid treatment facility"),
    ("60", "Mass immunization center"),
    ("61", "Comprehensive inpatient rehabilitation facility"),
    ("62", "Comprehensive outpatient rehabilitation facility"),
    ("65", "End-stage renal disease treatment facility"),
    (
        "66",
        "Programs of All-Inclusive Care for the Elderly (PACE) center",
    ),
    ("71", "Public health clinic"),
    ("72", "Rural health clinic"),
    ("81", "Independent laboratory"),
    ("99", "Other place of service"),
];

/// The short name of an assigned POS code, or `None` when the code is not assigned.
pub fn lookup(code: &str) -> Option<&'static str> {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed() {
        for pair in CODES.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (code, name) in CODES {
            assert!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()),
                "{code}"
            );
            assert!(!name.is_empty());
        }
    }

    #[test]
    fn common_settings() {
        assert_eq!(lookup("11"), Some("Office"));
        assert_eq!(lookup("12"), Some("Home"));
        assert!(lookup("02").is_some_and(|n| n.contains("other than")));
        assert!(lookup("10").is_some_and(|n| n.contains("in the patient's home")));
        assert_eq!(lookup("19"), Some("Off-campus outpatient hospital"));
        assert_eq!(lookup("22"), Some("On-campus outpatient hospital"));
        assert_eq!(lookup("49"), Some("Independent clinic"));
        assert_eq!(lookup("99"), Some("Other place of service"));
    }

    #[test]
    fn unassigned_and_malformed() {
        for code in [
            "00", "28", "30", "40", "59", "64", "98", "1", "011", "", "1a", " 11",
        ] {
            assert_eq!(lookup(code), None, "{code:?}");
        }
    }
}
