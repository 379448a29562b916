//! Values as X12 writes them (upper-case ASCII text free of delimiters, amounts in their
//! shortest form, CCYYMMDD dates, HHMM times) and the numbers and dates a reader takes back.

use crate::model::Money;
use chrono::{NaiveDate, NaiveTime};

/// Characters that delimit something in the files claimwright writes.
const DELIMITERS: [char; 4] = ['*', ':', '^', '~'];

/// `text` as an X12 value: spelled in ASCII (the CMS-1500's transliteration), upper case,
/// delimiters and line breaks turned into spaces, runs of spaces made one, trimmed.
pub fn clean(text: &str) -> String {
    // Control characters become spaces before transliteration, so a line break never
    // glues two words together.
    let spaced: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let ascii = deunicode::deunicode(&spaced);
    let mut out = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        let c = if DELIMITERS.contains(&c) || !(' '..='~').contains(&c) {
            ' '
        } else {
            c.to_ascii_uppercase()
        };
        if c != ' ' || !out.ends_with(' ') {
            out.push(c);
        }
    }
    out.trim().to_string()
}

/// `text` cleaned and cut to at most `max` characters, for names and addresses whose end a
/// receiver may drop; identifiers are never cut (the self-check refuses one too long).
pub fn fit(text: &str, max: usize) -> String {
    let cleaned = clean(text);
    // Cleaned text is ASCII, so a byte count is a character count.
    cleaned[..cleaned.len().min(max)].trim_end().to_string()
}

/// Only the digits of `text`: phones, ZIP codes, tax ids.
pub fn digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// An amount in its shortest form: `76`, `42.5`, `42.55`, `-3.5`.
pub fn amount(m: Money) -> String {
    let cents = m.cents();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    let (whole, frac) = (abs / 100, abs % 100);
    match frac {
        0 => format!("{sign}{whole}"),
        f if f % 10 == 0 => format!("{sign}{whole}.{}", f / 10),
        f => format!("{sign}{whole}.{f:02}"),
    }
}

/// A decimal number as X12 writes it (`-1.27`, `.5`, `76`, `1.000`) in units of
/// 10^-`places`: `None` when it is not a number or has more significant decimals than that.
pub fn read_decimal(text: &str, places: u32) -> Option<i64> {
    let text = text.trim();
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    // Trailing zeros carry nothing, so `1.000` is as exact as `1`; the cap keeps every sum of
    // amounts far from overflowing.
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    if whole.len() > 12 || fraction.len() > places as usize {
        return None;
    }
    let scale = 10_i64.pow(places);
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: i64 = format!("{fraction:0<width$}", width = places as usize)
        .parse()
        .unwrap_or(0);
    let value = whole * scale + fraction;
    Some(if negative { -value } else { value })
}

/// An amount as X12 writes it (`-1.27`, `.5`, `76`, `42.50`): `None` when it is not one.
pub fn read_amount(text: &str) -> Option<Money> {
    read_decimal(text, 2).map(Money)
}

/// A CCYYMMDD date: `None` when it is not eight digits naming a real day.
pub fn read_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(text, "%Y%m%d").ok()
}

/// A date as CCYYMMDD.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// A time as HHMM.
pub fn time(t: NaiveTime) -> String {
    t.format("%H%M").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_upper_case_ascii_without_delimiters() {
        assert_eq!(clean("Doe-Ångström"), "DOE-ANGSTROM");
        assert_eq!(clean("  O'Brien  "), "O'BRIEN");
        assert_eq!(
            clean("Workers' comp: Casco*Freight^Lines~Inc"),
            "WORKERS' COMP CASCO FREIGHT LINES INC"
        );
        assert_eq!(clean("line one\r\nline two"), "LINE ONE LINE TWO");
        assert_eq!(clean("José Núñez"), "JOSE NUNEZ");
        assert_eq!(clean("北京"), "BEI JING");
        assert_eq!(clean("a@b.org"), "A@B.ORG");
        assert_eq!(clean(""), "");
        assert!(clean("\u{1F600} smile").is_ascii());
    }

    #[test]
    fn fitting_cuts_at_the_cap_without_a_trailing_space() {
        assert_eq!(fit("Harbor Street Massage", 14), "HARBOR STREET");
        assert_eq!(fit("Harbor", 35), "HARBOR");
        assert_eq!(fit("Ståhl", 3), "STA");
    }

    #[test]
    fn amounts_are_minimal() {
        assert_eq!(amount(Money(7600)), "76");
        assert_eq!(amount(Money(4250)), "42.5");
        assert_eq!(amount(Money(4255)), "42.55");
        assert_eq!(amount(Money(5)), "0.05");
        assert_eq!(amount(Money(0)), "0");
        assert_eq!(amount(Money(-350)), "-3.5");
        // Every minimal amount reads back as the same money.
        for cents in [-12345, -1, 0, 1, 10, 99, 100, 101, 110, 123456] {
            assert_eq!(Money::parse(&amount(Money(cents))), Some(Money(cents)));
        }
    }

    #[test]
    fn amounts_read_back_exactly() {
        assert_eq!(read_amount("-1.27"), Some(Money(-127)));
        assert_eq!(read_amount(".5"), Some(Money(50)));
        assert_eq!(read_amount("-.5"), Some(Money(-50)));
        assert_eq!(read_amount("76"), Some(Money(7600)));
        assert_eq!(read_amount("0042.50"), Some(Money(4250)));
        assert_eq!(read_amount("1922.860"), Some(Money(192286)));
        assert_eq!(read_amount("5."), Some(Money(500)));
        assert_eq!(read_amount("-0"), Some(Money(0)));
        for bad in [
            "",
            "-",
            ".",
            "-.",
            "1.005",
            "1.2.3",
            "+5",
            "1e3",
            "12,50",
            "abc",
            "- 5",
            "1234567890123",
        ] {
            assert_eq!(read_amount(bad), None, "{bad:?}");
        }
        assert_eq!(read_decimal("1.5", 3), Some(1500));
        assert_eq!(read_decimal("0.125", 3), Some(125));
        assert_eq!(read_decimal("0.1255", 3), None);
    }

    #[test]
    fn dates_read_back_only_when_real() {
        assert_eq!(read_date("20260229"), None);
        assert_eq!(read_date("20002316"), None);
        assert_eq!(read_date("+2026011"), None);
        assert_eq!(read_date("2026-1-01"), None);
        assert_eq!(read_date("20280229"), NaiveDate::from_ymd_opt(2028, 2, 29));
    }

    #[test]
    fn dates_and_times() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 3).unwrap_or_default();
        assert_eq!(date(d), "20261103");
        let t = NaiveTime::from_hms_opt(9, 5, 0).unwrap_or_default();
        assert_eq!(time(t), "0905");
        assert_eq!(digits("04101-3219"), "041013219");
    }
}
