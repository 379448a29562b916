//! National Provider Identifier (NPI) checks: shape, first digit and Luhn check digit.
//!
//! An NPI is 10 digits starting with 1 or 2. Its last digit is a Luhn check digit computed as if
//! the card-issuer prefix 80840 (80 = health, 840 = USA) stood in front of it, which is why a
//! plain Luhn check over the 10 digits alone gives the wrong answer.

/// The issuer prefix CMS places in front of an NPI for its Luhn check.
const PREFIX: &str = "80840";

/// Checks that `npi` is a well-formed NPI; the error says what is wrong and what to do.
pub fn check(npi: &str) -> Result<(), String> {
    if npi.is_empty() {
        return Err("the NPI is empty: enter the 10-digit National Provider Identifier".into());
    }
    if !npi.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "NPI \"{npi}\" contains characters other than digits: write the 10 digits without \
             spaces, dashes or letters"
        ));
    }
    if npi.len() != 10 {
        return Err(format!(
            "NPI {npi} has {} digits, but an NPI has exactly 10: copy it again from the NPPES NPI \
             registry",
            npi.len()
        ));
    }
    if !npi.starts_with(['1', '2']) {
        return Err(format!(
            "NPI {npi} starts with {}, but every NPI starts with 1 or 2: check that this is not \
             another number (a tax ID, a license or a payer's provider number)",
            &npi[..1]
        ));
    }
    if !luhn_sum(PREFIX.bytes().chain(npi.bytes())).is_multiple_of(10) {
        return Err(format!(
            "NPI {npi} fails its check digit, so a digit is mistyped or two are swapped: copy it \
             again from the NPPES NPI registry"
        ));
    }
    Ok(())
}

/// Completes nine digits (starting with 1 or 2) into a valid NPI, for building test data.
pub fn with_check_digit(first9: &str) -> Option<String> {
    if first9.len() != 9
        || !first9.bytes().all(|b| b.is_ascii_digit())
        || !first9.starts_with(['1', '2'])
    {
        return None;
    }
    // Appending a 0 and taking the sum shows how far it is from a multiple of ten.
    let sum = luhn_sum(PREFIX.bytes().chain(first9.bytes()).chain(*b"0"));
    let digit = (10 - sum % 10) % 10;
    Some(format!("{first9}{digit}"))
}

/// Luhn sum of ASCII digits: from the right, every second digit is doubled and its digits added.
fn luhn_sum(digits: impl DoubleEndedIterator<Item = u8>) -> u32 {
    digits
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = d * 2;
                doubled / 10 + doubled % 10
            } else {
                d
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_good_numbers() {
        for npi in [
            "1234567893",
            "1558598797",
            // The examples of the practice folder documentation.
            "1526018159",
            "1908301660",
            "1131860912",
        ] {
            assert_eq!(check(npi), Ok(()), "{npi}");
        }
    }

    #[test]
    fn worked_example_sum_includes_the_prefix() {
        // 123456789 sums to 43 alone and 67 with the prefix (43 + 24), so its check digit is 3.
        assert_eq!(luhn_sum("1234567890".bytes()), 43);
        assert_eq!(luhn_sum(PREFIX.bytes().chain("1234567890".bytes())), 67);
    }

    #[test]
    fn completes_check_digits() {
        assert_eq!(with_check_digit("123456789").as_deref(), Some("1234567893"));
        assert_eq!(with_check_digit("155859879").as_deref(), Some("1558598797"));
        assert_eq!(with_check_digit("12345678"), None);
        assert_eq!(with_check_digit("12345678a"), None);
        assert_eq!(with_check_digit("323456789"), None);
        for first9 in ["100000000", "199999999", "200000001", "152601815"] {
            let npi = with_check_digit(first9).expect("nine digits starting with 1 or 2");
            assert_eq!(check(&npi), Ok(()), "{npi}");
        }
    }

    #[test]
    fn wrong_check_digit() {
        let err = check("1234567890").expect_err("check digit should be 3");
        assert!(err.contains("check digit"), "{err}");
        assert!(check("1558598798").is_err());
        // Two swapped digits.
        assert!(check("1325467893").is_err());
    }

    #[test]
    fn wrong_shape() {
        let err = check("123456789").expect_err("nine digits");
        assert!(err.contains("has 9 digits"), "{err}");
        assert!(check("12345678933").is_err());
        let err = check("1234-56789").expect_err("dash");
        assert!(err.contains("other than digits"), "{err}");
        assert!(check(" 1234567893").is_err());
        assert!(check("１２３４５６７８９３").is_err());
        assert!(check("").expect_err("empty").contains("empty"));
        let err = check("3234567893").expect_err("starts with 3");
        assert!(err.contains("starts with 3"), "{err}");
    }
}
