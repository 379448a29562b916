//! Federal tax ID checks (EIN or SSN) for the billing provider, CMS-1500 item 25.
//!
//! The practice file writes the number with its usual hyphens; the claim form wants the nine digits
//! alone, with one of the SSN/EIN boxes marked.

/// Which kind of federal tax ID the practice bills under (the box marked in item 25).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TaxIdType {
    /// Employer Identification Number, written NN-NNNNNNN.
    Ein,
    /// Social Security Number, written NNN-NN-NNNN.
    Ssn,
}

impl TaxIdType {
    /// The written form, with N for a digit.
    pub fn pattern(self) -> &'static str {
        match self {
            TaxIdType::Ein => "NN-NNNNNNN",
            TaxIdType::Ssn => "NNN-NN-NNNN",
        }
    }

    /// The short name used in messages and in the YAML (`ein` / `ssn`).
    pub fn as_str(self) -> &'static str {
        match self {
            TaxIdType::Ein => "ein",
            TaxIdType::Ssn => "ssn",
        }
    }
}

/// Checks `value` against the written form of `kind` and the IRS/SSA sanity rules.
pub fn check(value: &str, kind: TaxIdType) -> Result<(), String> {
    if !check_shape(value, kind) {
        let other = match kind {
            TaxIdType::Ein => TaxIdType::Ssn,
            TaxIdType::Ssn => TaxIdType::Ein,
        };
        // A number in the other kind's form usually means tax_id_type is wrong, not the number.
        let advice = if check_shape(value, other) {
            format!(
                ": it has the form of an {}, so is tax_id_type meant to be {}?",
                other.as_str().to_uppercase(),
                other.as_str()
            )
        } else {
            let digits = digits(value);
            if digits.len() == 9 && value.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                format!(": write it as {}", hyphenate(&digits, kind))
            } else {
                format!(": an {} has 9 digits", kind.as_str().to_uppercase())
            }
        };
        return Err(format!(
            "tax ID \"{value}\" is not in the {} form {}{advice}",
            kind.as_str().to_uppercase(),
            kind.pattern()
        ));
    }
    let digits = digits(value);
    if kind == TaxIdType::Ssn {
        let (area, group, serial) = (&digits[..3], &digits[3..5], &digits[5..]);
        let problem = if area == "000" || area == "666" || area.starts_with('9') {
            Some(format!(
                "its area number {area} is never issued (000, 666 and 900-999 are not SSNs)"
            ))
        } else if group == "00" {
            Some("its group number 00 is never issued".to_string())
        } else if serial == "0000" {
            Some("its serial number 0000 is never issued".to_string())
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(format!(
                "SSN {value} cannot be valid: {problem}; check it against the Social Security card"
            ));
        }
    }
    Ok(())
}

/// A warning when a well-formed tax ID looks like a placeholder (nine identical digits or
/// 123456789): worth a look, but documentation examples use such numbers, so not an error.
pub fn placeholder(value: &str, kind: TaxIdType) -> Option<String> {
    let digits = digits(value);
    let first = *digits.as_bytes().first()?;
    (digits.bytes().all(|b| b == first) || digits == "123456789").then(|| {
        format!(
            "tax ID {value} looks like a placeholder, not a real number: enter the practice's own {}",
            kind.as_str().to_uppercase()
        )
    })
}

/// The nine digits of a tax ID without hyphens, as CMS-1500 item 25 wants them.
pub fn digits(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

/// True when `value` has exactly the written form of `kind`.
fn check_shape(value: &str, kind: TaxIdType) -> bool {
    let pattern = kind.pattern();
    value.len() == pattern.len()
        && value.bytes().zip(pattern.bytes()).all(|(v, p)| match p {
            b'N' => v.is_ascii_digit(),
            _ => v == p,
        })
}

/// Writes nine digits in the form of `kind`.
fn hyphenate(digits: &str, kind: TaxIdType) -> String {
    match kind {
        TaxIdType::Ein => format!("{}-{}", &digits[..2], &digits[2..]),
        TaxIdType::Ssn => format!("{}-{}-{}", &digits[..3], &digits[3..5], &digits[5..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    #[test]
    fn yaml_names() {
        for (name, kind) in [("ein", TaxIdType::Ein), ("ssn", TaxIdType::Ssn)] {
            let de: StrDeserializer<'_, DeError> = name.into_deserializer();
            assert_eq!(TaxIdType::deserialize(de), Ok(kind));
            assert_eq!(kind.as_str(), name);
        }
        let schema = schemars::schema_for!(TaxIdType).as_value().to_string();
        assert!(
            schema.contains("\"ein\"") && schema.contains("\"ssn\""),
            "{schema}"
        );
    }

    #[test]
    fn good_numbers() {
        assert_eq!(check("47-1928356", TaxIdType::Ein), Ok(()));
        assert_eq!(check("04-2103594", TaxIdType::Ein), Ok(()));
        assert_eq!(check("078-05-1120", TaxIdType::Ssn), Ok(()));
        assert_eq!(check("665-12-3456", TaxIdType::Ssn), Ok(()));
    }

    #[test]
    fn wrong_form() {
        let err = check("123456789", TaxIdType::Ein).expect_err("no hyphen");
        assert!(err.contains("write it as 12-3456789"), "{err}");
        let err = check("123-45-6789", TaxIdType::Ein).expect_err("SSN form");
        assert!(err.contains("tax_id_type meant to be ssn"), "{err}");
        let err = check("12-3456789", TaxIdType::Ssn).expect_err("EIN form");
        assert!(err.contains("tax_id_type meant to be ein"), "{err}");
        let err = check("1234567890", TaxIdType::Ssn).expect_err("ten digits");
        assert!(err.contains("an SSN has 9 digits"), "{err}");
        let err = check("12345-6789", TaxIdType::Ssn).expect_err("misplaced hyphen");
        assert!(err.contains("write it as 123-45-6789"), "{err}");
        assert!(check("12-345678", TaxIdType::Ein).is_err());
        assert!(check("12-34567890", TaxIdType::Ein).is_err());
        assert!(check("1a-3456789", TaxIdType::Ein).is_err());
        assert!(check("", TaxIdType::Ssn).is_err());
        assert!(check("٠١-٢٣٤٥٦٧٨", TaxIdType::Ein).is_err());
    }

    #[test]
    fn placeholders() {
        assert!(placeholder("11-1111111", TaxIdType::Ein).is_some());
        assert!(placeholder("00-0000000", TaxIdType::Ein).is_some());
        // The digits 1 to 9 in order are a placeholder in either form, but well-formed.
        assert!(check("12-3456789", TaxIdType::Ein).is_ok());
        assert!(placeholder("12-3456789", TaxIdType::Ein).is_some());
        let warn = placeholder("123-45-6789", TaxIdType::Ssn).expect("123456789");
        assert!(warn.contains("placeholder"), "{warn}");
        assert!(placeholder("47-1928356", TaxIdType::Ein).is_none());
    }

    #[test]
    fn ssn_never_issued_parts() {
        for bad in ["000-12-3456", "666-12-3456", "900-12-3456", "987-65-4321"] {
            let err = check(bad, TaxIdType::Ssn).expect_err(bad);
            assert!(err.contains("area number"), "{err}");
        }
        assert!(
            check("078-00-1120", TaxIdType::Ssn)
                .expect_err("group")
                .contains("group number 00")
        );
        assert!(
            check("078-05-0000", TaxIdType::Ssn)
                .expect_err("serial")
                .contains("serial number 0000")
        );
    }

    #[test]
    fn digits_drop_hyphens() {
        assert_eq!(digits("12-3456789"), "123456789");
        assert_eq!(digits("078-05-1120"), "078051120");
    }
}
