//! Value types shared by several YAML file kinds: addresses, money, rates, codes, times.

use schemars::JsonSchema;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A postal address.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    /// Street and unit, e.g. "410 Harbor St, Suite 2".
    pub street: String,
    /// City.
    pub city: String,
    /// Two-letter state code.
    pub state: String,
    /// ZIP or ZIP+4; quote it so leading zeros survive.
    pub zip: Code,
}

/// An exact amount of money in cents; YAML writes it as dollars with at most two decimals.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(pub i64);

impl Money {
    /// Zero dollars.
    pub const ZERO: Money = Money(0);

    /// Whole cents.
    pub fn cents(self) -> i64 {
        self.0
    }

    /// Parses "35", "35.5", "35.50" (at most two decimals, optional leading '-').
    pub fn parse(text: &str) -> Option<Money> {
        let text = text.trim();
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, frac) = match digits.split_once('.') {
            Some((w, f)) => (w, f),
            None => (digits, ""),
        };
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || whole.len() > 12
        {
            return None;
        }
        let whole: i64 = whole.parse().ok()?;
        let frac_cents: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().ok()? * 10,
            _ => frac.parse().ok()?,
        };
        let cents = whole * 100 + frac_cents;
        Some(Money(if negative { -cents } else { cents }))
    }
}

impl fmt::Display for Money {
    /// "1234.50": plain dollars and cents, no symbol or separators.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount in dollars with at most two decimals, e.g. 35.00")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
                i64::try_from(v)
                    .ok()
                    .and_then(|v| v.checked_mul(100))
                    .map(Money)
                    .ok_or_else(|| E::custom("amount too large"))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
                v.checked_mul(100)
                    .map(Money)
                    .ok_or_else(|| E::custom("amount too large"))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
                // Display of f64 is the shortest text that reads back as the same number,
                // so 28.10 arrives as "28.1" and the cents are exact.
                self.visit_str(&v.to_string())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse(v).ok_or_else(|| {
                    // The text is not shown back: it may be anything the user typed.
                    E::custom(
                        "this is not an amount: write dollars with at most two decimals, e.g. 35.00",
                    )
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Money {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Money".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "number",
            "multipleOf": 0.01,
            "description": "Dollars with at most two decimals"
        })
    }
}

/// A share between 0 and 1 (coinsurance), kept exactly in basis points (1/100 of a percent).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rate(pub u32);

impl Rate {
    /// Basis points: 0.20 is 2000.
    pub fn basis_points(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Rate {
    /// "20%" or "12.5%".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let whole = self.0 / 100;
        let frac = self.0 % 100;
        if frac == 0 {
            write!(f, "{whole}%")
        } else if frac.is_multiple_of(10) {
            write!(f, "{whole}.{}%", frac / 10)
        } else {
            write!(f, "{whole}.{frac:02}%")
        }
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Rate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Rate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a share between 0 and 1, e.g. 0.20 for 20%")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Rate, E> {
                match v {
                    0 => Ok(Rate(0)),
                    1 => Ok(Rate(10_000)),
                    _ => Err(E::custom(format!(
                        "{v} is not a share between 0 and 1: write 20% as 0.20"
                    ))),
                }
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Rate, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom("a share cannot be negative"))
                    .and_then(|v| self.visit_u64(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Rate, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Rate, E> {
                let bad = || {
                    E::custom(
                        "this is not a share between 0 and 1 with at most 4 decimals: write 20% as 0.20",
                    )
                };
                let (whole, frac) = v.trim().split_once('.').unwrap_or((v.trim(), ""));
                if frac.len() > 4
                    || !frac.bytes().all(|b| b.is_ascii_digit())
                    || !(whole == "0" || whole == "1" || whole.is_empty())
                {
                    return Err(bad());
                }
                let frac_bp: u32 = format!("{frac:0<4}").parse().map_err(|_| bad())?;
                let bp = if whole == "1" {
                    10_000 + frac_bp
                } else {
                    frac_bp
                };
                if bp > 10_000 {
                    return Err(bad());
                }
                Ok(Rate(bp))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Rate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Rate".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "number", "minimum": 0, "maximum": 1})
    }
}

/// A code or identifier kept as text (CPT, ZIP, NPI...); an unquoted number is accepted too.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Code(pub String);

impl Code {
    /// The text of the code.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Code {
    fn from(s: &str) -> Self {
        Code(s.to_string())
    }
}

impl std::borrow::Borrow<str> for Code {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Code;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a code as a quoted string, e.g. \"97124\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Code, E> {
                Ok(Code(v.trim().to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Code, E> {
                Ok(Code(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Code, E> {
                Ok(Code(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for Code {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Code".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string"})
    }
}

/// A time of day written `HH:MM` (24 h).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClockTime(pub chrono::NaiveTime);

impl ClockTime {
    /// Minutes from `self` until `later` (negative when `later` is earlier).
    pub fn minutes_until(self, later: ClockTime) -> i64 {
        (later.0 - self.0).num_minutes()
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%H:%M"))
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = ClockTime;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a time as \"HH:MM\" (24 h)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<ClockTime, E> {
                chrono::NaiveTime::parse_from_str(v.trim(), "%H:%M")
                    .map(ClockTime)
                    .map_err(|_| {
                        E::custom(
                            "this is not a time: write \"HH:MM\" on a 24-hour clock, e.g. \"14:30\"",
                        )
                    })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<ClockTime, E> {
                Err(E::custom(format!(
                    "{v} is not a time: quote it as \"HH:MM\", e.g. \"09:00\""
                )))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for ClockTime {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ClockTime".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"})
    }
}

/// True when `id` is a valid record id: lowercase letters, digits and `-`, not empty.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_exact() {
        let m: Money = serde_yaml::from_str("28.10").unwrap();
        assert_eq!(m, Money(2810));
        let m: Money = serde_yaml::from_str("35").unwrap();
        assert_eq!(m.to_string(), "35.00");
        assert!(serde_yaml::from_str::<Money>("1.005").is_err());
        assert!(serde_yaml::from_str::<Money>("abc").is_err());
        assert_eq!(Money::parse("-3.5"), Some(Money(-350)));
    }

    #[test]
    fn rate_reads_shares() {
        let r: Rate = serde_yaml::from_str("0.20").unwrap();
        assert_eq!(r, Rate(2000));
        assert_eq!(r.to_string(), "20%");
        assert_eq!(Rate(1250).to_string(), "12.5%");
        assert!(serde_yaml::from_str::<Rate>("20").is_err());
        assert!(serde_yaml::from_str::<Rate>("1.5").is_err());
    }

    #[test]
    fn codes_accept_numbers() {
        let c: Code = serde_yaml::from_str("97124").unwrap();
        assert_eq!(c.as_str(), "97124");
    }

    #[test]
    fn times_are_hh_mm() {
        let t: ClockTime = serde_yaml::from_str("\"09:05\"").unwrap();
        assert_eq!(t.to_string(), "09:05");
        assert!(serde_yaml::from_str::<ClockTime>("\"25:00\"").is_err());
        let later: ClockTime = serde_yaml::from_str("\"10:00\"").unwrap();
        assert_eq!(t.minutes_until(later), 55);
    }

    #[test]
    fn ids() {
        assert!(is_valid_id("2026-11-03-jane-doe"));
        assert!(!is_valid_id("Jane"));
        assert!(!is_valid_id("../x"));
    }
}
