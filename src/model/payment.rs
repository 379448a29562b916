//! What a patient paid at a visit: an amount alone (`paid: 40.00`) or with how and when it
//! was paid (`paid: {amount: 40.00, method: card, date: 2026-11-03}`).

use super::common::Money;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::de::{self, Deserializer, IntoDeserializer};
use serde::{Deserialize, Serialize};

/// A payment at a visit, written as an amount or as `{amount, method, date}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Paid {
    /// The amount alone, e.g. `40.00`.
    Amount(Money),
    /// The amount with how and when it was paid.
    Detailed(Payment),
}

/// A payment with its method and date.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payment {
    /// The amount paid.
    pub amount: Money,
    /// How it was paid, in the practice's words, e.g. `card`, `cash`, `check 1042`, `HSA card`.
    #[serde(default)]
    pub method: Option<String>,
    /// The day it was paid; the visit's date when absent.
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

impl Paid {
    /// The amount paid.
    pub fn amount(&self) -> Money {
        match self {
            Paid::Amount(m) => *m,
            Paid::Detailed(p) => p.amount,
        }
    }

    /// How it was paid, when the record says.
    pub fn method(&self) -> Option<&str> {
        match self {
            Paid::Amount(_) => None,
            Paid::Detailed(p) => p.method.as_deref(),
        }
    }

    /// The day it was paid, when the record says.
    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Paid::Amount(_) => None,
            Paid::Detailed(p) => p.date,
        }
    }
}

impl<'de> Deserialize<'de> for Paid {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Paid;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an amount, e.g. 40.00, or {amount, method, date}")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Paid, E> {
                Money::deserialize(v.into_deserializer()).map(Paid::Amount)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Paid, E> {
                Money::deserialize(v.into_deserializer()).map(Paid::Amount)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Paid, E> {
                Money::deserialize(v.into_deserializer()).map(Paid::Amount)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Paid, E> {
                Money::deserialize(v.into_deserializer()).map(Paid::Amount)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Paid, A::Error> {
                // Reading the payment from the same map keeps serde_yaml's field path and
                // line in any error inside it.
                Payment::deserialize(de::value::MapAccessDeserializer::new(map)).map(Paid::Detailed)
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_amount_and_a_detailed_payment_both_read() {
        let plain: Paid = serde_yaml::from_str("40.00").unwrap();
        assert_eq!(plain, Paid::Amount(Money(4000)));
        assert_eq!(plain.method(), None);
        let whole: Paid = serde_yaml::from_str("40").unwrap();
        assert_eq!(whole.amount(), Money(4000));
        let detailed: Paid =
            serde_yaml::from_str("{amount: 62.50, method: card, date: 2026-11-04}").unwrap();
        assert_eq!(detailed.amount(), Money(6250));
        assert_eq!(detailed.method(), Some("card"));
        assert_eq!(detailed.date(), NaiveDate::from_ymd_opt(2026, 11, 4));
    }

    #[test]
    fn a_bad_payment_says_what_to_write() {
        let err = serde_yaml::from_str::<Paid>("forty")
            .unwrap_err()
            .to_string();
        assert!(err.contains("not an amount"), "{err}");
        let err = serde_yaml::from_str::<Paid>("{amount: 40, how: card}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("how"), "{err}");
        let err = serde_yaml::from_str::<Paid>("{method: card}")
            .unwrap_err()
            .to_string();
        assert!(err.contains("amount"), "{err}");
    }
}
