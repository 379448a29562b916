//! The words of the patient-facing documents (benefit summary, statement, superbill): the
//! language each patient reads, who a document is addressed to, services in words, US dates
//! and amounts, and one table of phrases per language.

mod en;
mod es;
mod phrases;
mod shown;

use crate::codes::procedures;
use crate::load::PracticeData;
use crate::model::patient::{Language, Referral, Subscriber};
use crate::model::{Coverage, Patient};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

pub use phrases::{Phrases, fill};
pub use shown::{add_display_fields, date_long, date_short, money, month_long};

/// The language of `patient`'s documents: theirs, else the practice's locale's.
pub fn language_of(data: &PracticeData, patient: &Patient) -> Language {
    patient.language.unwrap_or_else(|| {
        data.practice()
            .map_or(Language::En, |p| p.locale.language())
    })
}

/// The phrases of `lang`.
pub fn phrases(lang: Language) -> &'static Phrases {
    match lang {
        Language::En => &en::PHRASES,
        Language::Es => &es::PHRASES,
    }
}

/// Who reads a patient's document: the patient, or for a minor covered as someone else's
/// dependant, that subscriber as parent or guardian.
#[derive(Debug, Clone, Serialize)]
pub struct Reader {
    /// `en` or `es`: the language the document is written in.
    pub language: &'static str,
    /// The patient is under 18 on the document's date and a parent or guardian reads it.
    pub minor: bool,
    /// The parent's or guardian's name (the subscriber of the patient's first coverage held
    /// by someone else); empty for an adult.
    pub guardian: String,
    /// The name the document is addressed to: the guardian's, else the patient's.
    pub name: String,
}

impl Reader {
    /// The reader of `patient`'s documents dated `as_of`, in `lang`.
    pub fn of(patient: &Patient, as_of: NaiveDate, lang: Language) -> Reader {
        let guardian = (age_on(patient.dob, as_of) < 18)
            .then(|| guardian_of(&patient.coverages))
            .flatten();
        Reader {
            language: lang.code(),
            minor: guardian.is_some(),
            name: guardian.clone().unwrap_or_else(|| patient.full_name()),
            guardian: guardian.unwrap_or_default(),
        }
    }
}

/// The line atop every page of `patient`'s document: name and date of birth, in `lang`.
pub fn page_header(patient: &Patient, lang: Language) -> String {
    fill(
        phrases(lang).page_header,
        &[
            ("name", &patient.full_name()),
            ("dob", &date_short(patient.dob)),
        ],
    )
}

/// The subscriber of the first coverage (primary first) the patient holds as a dependant.
fn guardian_of(coverages: &[Coverage]) -> Option<String> {
    let mut sorted: Vec<&Coverage> = coverages.iter().collect();
    sorted.sort_by_key(|c| c.priority != crate::model::patient::Priority::Primary);
    sorted.iter().find_map(|c| match &c.subscriber {
        Subscriber::Other(s) => Some(format!("{} {}", s.first_name, s.last_name)),
        Subscriber::Patient => None,
    })
}

/// Whole years from `dob` to `on`.
fn age_on(dob: NaiveDate, on: NaiveDate) -> i32 {
    let had_birthday = (on.month(), on.day()) >= (dob.month(), dob.day());
    on.year() - dob.year() - i32::from(!had_birthday)
}

/// A service code in words: "massage, 15-minute units" for 97124; the procedure table's
/// description for a code the phrase table does not name, else the code.
pub fn service_name(code: &str, p: &Phrases) -> String {
    let proc = procedures::lookup(code);
    let base = p
        .services
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, name)| name.to_string())
        .or_else(|| proc.map(|x| x.description.to_string()))
        .unwrap_or_else(|| code.to_string());
    if proc.is_some_and(|x| x.timed) {
        format!("{base}{}", p.timed)
    } else {
        base
    }
}

/// A service code in words without its unit, e.g. "massage".
pub fn service_short(code: &str, p: &Phrases) -> String {
    p.services
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(code))
        .map(|(_, name)| name.to_string())
        .or_else(|| procedures::lookup(code).map(|x| x.description.to_string()))
        .unwrap_or_else(|| code.to_string())
}

/// "2 units of massage".
pub fn units_of(n: u32, code: &str, p: &Phrases) -> String {
    let unit = if n == 1 { p.unit } else { p.units };
    fill(
        p.units_of,
        &[
            ("n", &n.to_string()),
            ("unit", unit),
            ("service", &service_short(code, p)),
        ],
    )
}

/// "a", "a and b", "a, b and c".
pub fn and_list(items: &[String], p: &Phrases) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}{}{last}", rest.join(", "), p.and),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Codes in words, each once, e.g. "massage, manual therapy".
pub fn services_text(codes: &str, p: &Phrases) -> String {
    codes
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| service_short(c, p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Referral from Anne Gagnon, MD (NPI 1234567893), October 27, 2026", with the number the
/// payer gave it when there is one: never the record's id.
pub fn referral_text(r: &Referral, p: &Phrases, lang: Language) -> String {
    let by = &r.referring_provider;
    let name = format!("{} {}, {}", by.first_name, by.last_name, by.credentials);
    let npi = by.npi.to_string();
    let date = date_long(r.date, lang);
    let mut values = vec![("by", name.as_str()), ("npi", &npi), ("date", &date)];
    match r.number.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => {
            values.push(("number", n));
            fill(p.referral_numbered, &values)
        }
        None => fill(p.referral, &values),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_read_in_words_in_both_languages() {
        assert_eq!(
            service_name("97124", phrases(Language::En)),
            "massage, 15-minute units"
        );
        assert_eq!(
            service_name("97140", phrases(Language::Es)),
            "terapia manual, unidades de 15 minutos"
        );
        assert_eq!(
            units_of(1, "97110", phrases(Language::En)),
            "1 unit of exercise therapy"
        );
        assert_eq!(
            services_text("97124, 97140", phrases(Language::En)),
            "massage, manual therapy"
        );
    }

    #[test]
    fn a_minor_is_one_under_eighteen() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
        assert_eq!(age_on(day(2010, 5, 14), day(2026, 11, 30)), 16);
        assert_eq!(age_on(day(2008, 11, 30), day(2026, 11, 30)), 18);
        assert_eq!(age_on(day(2008, 12, 1), day(2026, 11, 30)), 17);
    }
}
