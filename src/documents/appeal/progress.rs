//! Functional progress across an episode of care: the first and latest value of each measure
//! the visits record, so a reviewer sees function, not pain alone.

use crate::figures::trend::PainTrend;
use chrono::NaiveDate;
use serde::Serialize;

/// One measure as a visit recorded it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reading<'a> {
    /// Date of the visit.
    pub(super) date: NaiveDate,
    /// The measure's name as written.
    pub(super) name: &'a str,
    /// The value.
    pub(super) value: f64,
    /// The unit, if any.
    pub(super) unit: Option<&'a str>,
}

/// How one measure moved between the first and the latest visit that recorded it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MeasureChange {
    /// The measure's name, as the first visit wrote it.
    pub name: String,
    /// The unit, or empty.
    pub unit: String,
    /// Date of the first reading.
    pub first_date: NaiveDate,
    /// The first reading with its unit, e.g. "45 degrees" or "42%".
    pub first: String,
    /// Date of the latest reading; none when the measure was recorded once.
    pub latest_date: Option<NaiveDate>,
    /// The latest reading with its unit, or empty.
    pub latest: String,
    /// Latest minus first with its sign and unit, e.g. "+15 degrees"; empty when recorded once.
    pub change: String,
    /// The comparison as a clause, the name as written: "Lumbar flexion rose from 45 degrees on
    /// 2026-11-02 to 60 degrees on 2026-11-19".
    pub phrase: String,
}

/// The first and latest reading of each measure, in the order measures first appear.
///
/// Readings are the same measure when their names match ignoring case and surrounding spaces
/// and their units match the same way: a value in degrees is never compared with one in
/// percent. On one date the reading listed last counts.
pub(super) fn changes(mut readings: Vec<Reading<'_>>) -> Vec<MeasureChange> {
    // A stable sort keeps each visit's own order, so "listed last" holds within a date.
    readings.sort_by_key(|r| r.date);
    let mut groups: Vec<(String, String, Vec<&Reading<'_>>)> = Vec::new();
    for r in &readings {
        let name = key(r.name);
        let unit = key(r.unit.unwrap_or(""));
        match groups.iter_mut().find(|(n, u, _)| *n == name && *u == unit) {
            Some((_, _, list)) => list.push(r),
            None => groups.push((name, unit, vec![r])),
        }
    }
    groups
        .into_iter()
        .filter_map(|(_, _, list)| change_of(&list))
        .collect()
}

/// The comparison for the readings of one measure, in date order.
fn change_of(list: &[&Reading<'_>]) -> Option<MeasureChange> {
    let first = *list.first()?;
    let last = *list.last()?;
    let unit = first.unit.map(str::trim).unwrap_or("").to_string();
    let name = first.name.trim().to_string();
    let first_text = with_unit(first.value, &unit);
    if last.date == first.date {
        return Some(MeasureChange {
            phrase: format!("{} was {first_text} on {}", name, first.date),
            name,
            unit,
            first_date: first.date,
            first: first_text,
            latest_date: None,
            latest: String::new(),
            change: String::new(),
        });
    }
    let latest_text = with_unit(last.value, &unit);
    let delta = last.value - first.value;
    let sign = if delta > 0.0 { "+" } else { "" };
    let verb = if delta > 0.0 {
        "rose"
    } else if delta < 0.0 {
        "fell"
    } else {
        "held"
    };
    let phrase = if delta == 0.0 {
        format!(
            "{} held at {first_text} from {} to {}",
            name, first.date, last.date
        )
    } else {
        format!(
            "{} {verb} from {first_text} on {} to {latest_text} on {}",
            name, first.date, last.date
        )
    };
    Some(MeasureChange {
        change: format!("{sign}{}", with_unit(delta, &unit)),
        phrase,
        name,
        unit,
        first_date: first.date,
        first: first_text,
        latest_date: Some(last.date),
        latest: latest_text,
    })
}

/// The pain trend as a row beside the measures: the score before treatment at the first and
/// the latest visit that recorded one.
pub(super) fn pain_row(trend: &PainTrend) -> Option<MeasureChange> {
    let first = trend.points.first()?;
    let last = trend.points.last()?;
    let recorded_once = trend.points.len() == 1;
    let delta = i32::from(last.before) - i32::from(first.before);
    Some(MeasureChange {
        name: "Pain before treatment (0-10)".to_string(),
        unit: "/10".to_string(),
        first_date: first.date,
        first: format!("{}/10", first.before),
        latest_date: (!recorded_once).then_some(last.date),
        latest: if recorded_once {
            String::new()
        } else {
            format!("{}/10", last.before)
        },
        change: if recorded_once {
            String::new()
        } else if delta > 0 {
            format!("+{delta}")
        } else {
            delta.to_string()
        },
        phrase: trend.phrase.clone(),
    })
}

/// The form two names or units are compared in.
fn key(text: &str) -> String {
    text.trim().to_lowercase()
}

/// "45 degrees", "42%", "7": the value with its unit; a percent sign sits on the number.
pub(in crate::documents) fn with_unit(value: f64, unit: &str) -> String {
    let number = number(value);
    match unit {
        "" => number,
        "%" => format!("{number}%"),
        _ => format!("{number} {unit}"),
    }
}

/// A value as people write it: no trailing zeros, at most two decimals ("45", "2.5").
pub(super) fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn r<'a>(date: &str, name: &'a str, value: f64, unit: Option<&'a str>) -> Reading<'a> {
        Reading {
            date: d(date),
            name,
            value,
            unit,
        }
    }

    #[test]
    fn first_and_latest_of_each_measure_with_dates() {
        let out = changes(vec![
            r("2026-11-19", "Lumbar flexion", 60.0, Some("degrees")),
            r("2026-11-02", "Lumbar flexion", 45.0, Some("degrees")),
            r("2026-11-02", "Oswestry", 42.0, Some("%")),
            r("2026-11-09", "lumbar flexion ", 55.0, Some("Degrees")),
            r("2026-11-19", "Oswestry", 30.0, Some("%")),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].name, "Lumbar flexion");
        assert_eq!(out[0].first, "45 degrees");
        assert_eq!(out[0].latest, "60 degrees");
        assert_eq!(out[0].change, "+15 degrees");
        assert_eq!(
            out[0].phrase,
            "Lumbar flexion rose from 45 degrees on 2026-11-02 to 60 degrees on 2026-11-19"
        );
        assert_eq!(out[1].change, "-12%");
        assert_eq!(
            out[1].phrase,
            "Oswestry fell from 42% on 2026-11-02 to 30% on 2026-11-19"
        );
    }

    #[test]
    fn different_units_are_different_measures_and_one_reading_is_a_baseline() {
        let out = changes(vec![
            r("2026-11-02", "Sitting tolerance", 10.0, Some("minutes")),
            r("2026-11-05", "Sitting tolerance", 2.0, Some("hours")),
        ]);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].latest_date, None);
        assert_eq!(out[0].change, "");
        assert_eq!(
            out[0].phrase,
            "Sitting tolerance was 10 minutes on 2026-11-02"
        );
    }

    #[test]
    fn numbers_print_as_written_and_a_held_value_says_so() {
        assert_eq!(number(45.0), "45");
        assert_eq!(number(2.50), "2.5");
        assert_eq!(number(-0.001), "0");
        let out = changes(vec![
            r("2026-11-02", "NDI score", 20.0, None),
            r("2026-11-05", "NDI score", 20.0, None),
        ]);
        assert_eq!(out[0].change, "0");
        assert_eq!(
            out[0].phrase,
            "NDI score held at 20 from 2026-11-02 to 2026-11-05"
        );
    }
}
