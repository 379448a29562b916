//! Dates and amounts as US readers write them: "November 3, 2026" in a sentence, 11/03/2026
//! in a table, $4,900.00 for money; and the display fields that carry them beside the
//! machine values of a document's data.

use crate::model::Money;
use crate::model::patient::Language;
use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

/// English month names, January first.
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Spanish month names, which Spanish writes in lower case.
const MONTHS_ES: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// The month's name in `lang`.
fn month_name(d: NaiveDate, lang: Language) -> &'static str {
    let i = d.month0() as usize % 12;
    match lang {
        Language::En => MONTHS_EN[i],
        Language::Es => MONTHS_ES[i],
    }
}

/// "November 3, 2026", or "3 de noviembre de 2026" in Spanish: a date in a sentence.
pub fn date_long(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::En => format!("{} {}, {}", month_name(d, lang), d.day(), d.year()),
        Language::Es => format!("{} de {} de {}", d.day(), month_name(d, lang), d.year()),
    }
}

/// "11/03/2026": a date in a table. US payers read dates month first, so Spanish documents
/// keep this form too.
pub fn date_short(d: NaiveDate) -> String {
    d.format("%m/%d/%Y").to_string()
}

/// "November 2026", or "noviembre de 2026".
pub fn month_long(d: NaiveDate, lang: Language) -> String {
    match lang {
        Language::En => format!("{} {}", month_name(d, lang), d.year()),
        Language::Es => format!("{} de {}", month_name(d, lang), d.year()),
    }
}

/// "$4,900.00", "-$1.20": dollars with thousands separators, as US Spanish writes them too.
pub fn money(m: Money) -> String {
    let cents = m.cents().unsigned_abs();
    let dollars = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in dollars.chars().enumerate() {
        if i > 0 && (dollars.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if m.cents() < 0 { "-" } else { "" };
    format!("{sign}${grouped}.{:02}", cents % 100)
}

/// A date as the data writes it (`2026-11-03`), if `s` is one.
fn as_date(s: &str) -> Option<NaiveDate> {
    (s.len() == 10)
        .then(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .flatten()
}

/// An amount as the data writes it (`4900.00`, `-1.20`), if `s` is one.
fn as_money(s: &str) -> Option<Money> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, cents) = digits.split_once('.')?;
    let shaped = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && cents.len() == 2
        && cents.bytes().all(|b| b.is_ascii_digit());
    shaped.then(|| Money::parse(s)).flatten()
}

/// Adds display fields beside every date and amount of a document's data, at any depth:
/// for a date `x`, `x_text` (11/03/2026) and `x_long` (November 3, 2026); for a list of
/// dates, lists of both; for an amount, `x_text` ($4,900.00). The machine values stay as
/// they are, and a field the data already has is never replaced.
pub fn add_display_fields(value: &mut Value, lang: Language) {
    match value {
        Value::Object(map) => {
            let mut added = Map::new();
            for (key, v) in map.iter_mut() {
                add_display_fields(v, lang);
                for (name, shown) in display_of(key, v, lang) {
                    added.insert(name, shown);
                }
            }
            for (name, shown) in added {
                map.entry(name).or_insert(shown);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| add_display_fields(v, lang)),
        _ => {}
    }
}

/// The display fields of the field `key` holding `v`.
fn display_of(key: &str, v: &Value, lang: Language) -> Vec<(String, Value)> {
    let text = format!("{key}_text");
    let long = format!("{key}_long");
    match v {
        Value::String(s) => {
            if let Some(d) = as_date(s) {
                vec![
                    (text, Value::String(date_short(d))),
                    (long, Value::String(date_long(d, lang))),
                ]
            } else if let Some(m) = as_money(s) {
                vec![(text, Value::String(money(m)))]
            } else {
                Vec::new()
            }
        }
        Value::Array(items) if !items.is_empty() => {
            let dates: Option<Vec<NaiveDate>> =
                items.iter().map(|i| i.as_str().and_then(as_date)).collect();
            match dates {
                Some(dates) => vec![
                    (
                        text,
                        Value::from(dates.iter().map(|d| date_short(*d)).collect::<Vec<_>>()),
                    ),
                    (
                        long,
                        Value::from(
                            dates
                                .iter()
                                .map(|d| date_long(*d, lang))
                                .collect::<Vec<_>>(),
                        ),
                    ),
                ],
                None => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn dates_read_the_us_way_in_both_languages() {
        assert_eq!(
            date_long(day(2026, 11, 3), Language::En),
            "November 3, 2026"
        );
        assert_eq!(
            date_long(day(2026, 11, 3), Language::Es),
            "3 de noviembre de 2026"
        );
        assert_eq!(date_short(day(2026, 1, 9)), "01/09/2026");
        assert_eq!(
            month_long(day(2026, 11, 1), Language::Es),
            "noviembre de 2026"
        );
    }

    #[test]
    fn amounts_carry_thousands_separators() {
        assert_eq!(money(Money(490000)), "$4,900.00");
        assert_eq!(money(Money(123456789)), "$1,234,567.89");
        assert_eq!(money(Money(-120)), "-$1.20");
        assert_eq!(money(Money(5)), "$0.05");
        assert_eq!(money(Money(100000)), "$1,000.00");
    }

    #[test]
    fn display_fields_sit_beside_the_machine_values() {
        let mut v = serde_json::json!({
            "date": "2026-11-03",
            "billed": "4900.00",
            "code": "97124",
            "dates": ["2026-11-03", "2026-11-10"],
            "rows": [{"paid": "-1.20", "paid_text": "kept"}],
            "icd": "M54.50"
        });
        add_display_fields(&mut v, Language::En);
        assert_eq!(v["date"], "2026-11-03");
        assert_eq!(v["date_text"], "11/03/2026");
        assert_eq!(v["date_long"], "November 3, 2026");
        assert_eq!(v["billed_text"], "$4,900.00");
        assert_eq!(v["dates_long"][1], "November 10, 2026");
        assert_eq!(v["rows"][0]["paid_text"], "kept");
        assert!(v.get("code_text").is_none() && v.get("icd_text").is_none());
    }
}
