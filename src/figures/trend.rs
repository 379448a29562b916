//! The pain trend across a patient's sessions, for appeals and progress statements.

use chrono::NaiveDate;
use serde::Serialize;

/// Pain recorded at one session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PainPoint {
    /// Date of service.
    pub date: NaiveDate,
    /// Pain before treatment, 0-10.
    pub before: u8,
    /// Pain after treatment, 0-10.
    pub after: u8,
}

/// How pain moved from the first recorded session to the last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PainTrend {
    /// Every session with a pain score, in date order.
    pub points: Vec<PainPoint>,
    /// Pain before the first session.
    pub first_before: Option<u8>,
    /// Pain before the last session: where the patient now starts a visit.
    pub last_before: Option<u8>,
    /// Points the pre-treatment score fell between the first and the last session.
    pub improvement: i32,
    /// One plain sentence describing the trend.
    pub summary: String,
    /// The same as a phrase to set inside a sentence, e.g. "pain fell from 8/10 to 4/10 over 6 visits".
    pub phrase: String,
}

/// The trend of `points` (sorted here by date).
pub fn pain_trend(mut points: Vec<PainPoint>) -> PainTrend {
    points.sort_by_key(|p| p.date);
    let (first, last) = match (points.first(), points.last()) {
        (Some(f), Some(l)) => (*f, *l),
        _ => {
            return PainTrend {
                points,
                first_before: None,
                last_before: None,
                improvement: 0,
                summary: "No pain scores were recorded.".to_string(),
                phrase: String::new(),
            };
        }
    };
    let improvement = i32::from(first.before) - i32::from(last.before);
    let relief: Vec<i32> = points
        .iter()
        .map(|p| i32::from(p.before) - i32::from(p.after))
        .collect();
    let mean_relief = relief.iter().sum::<i32>() as f64 / relief.len() as f64;
    let summary = if points.len() == 1 {
        format!(
            "At the visit on {}, pain went from {}/10 before treatment to {}/10 after.",
            first.date, first.before, first.after
        )
    } else {
        let direction = match improvement {
            i if i > 0 => format!("fell from {}/10 to {}/10", first.before, last.before),
            0 => format!("held at {}/10", first.before),
            _ => format!("rose from {}/10 to {}/10", first.before, last.before),
        };
        let relief = if mean_relief > 0.0 {
            format!("each treatment lowered pain by {mean_relief:.1} points on average")
        } else if mean_relief < 0.0 {
            format!(
                "pain after treatment was {:.1} points higher on average",
                -mean_relief
            )
        } else {
            "treatment did not change pain on average".to_string()
        };
        format!(
            "Over {} visits from {} to {}, pain at the start of a visit {direction}; {relief}.",
            points.len(),
            first.date,
            last.date
        )
    };
    let phrase = if points.len() == 1 {
        format!(
            "pain went from {}/10 to {}/10 with treatment on {}",
            first.before, first.after, first.date
        )
    } else {
        match improvement {
            i if i > 0 => format!(
                "pain fell from {}/10 to {}/10 over {} visits",
                first.before,
                last.before,
                points.len()
            ),
            0 if mean_relief > 0.0 => format!(
                "pain held at {}/10 over {} visits while each treatment relieved it",
                first.before,
                points.len()
            ),
            0 => format!(
                "pain held at {}/10 over {} visits",
                first.before,
                points.len()
            ),
            _ => format!(
                "pain rose from {}/10 to {}/10 over {} visits",
                first.before,
                last.before,
                points.len()
            ),
        }
    };
    PainTrend {
        phrase,
        first_before: Some(first.before),
        last_before: Some(last.before),
        improvement,
        summary,
        points,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(date: &str, before: u8, after: u8) -> PainPoint {
        PainPoint {
            date: date.parse().unwrap(),
            before,
            after,
        }
    }

    #[test]
    fn trend_from_first_to_last() {
        let t = pain_trend(vec![
            p("2026-11-10", 6, 4),
            p("2026-11-03", 8, 5),
            p("2026-11-17", 4, 2),
        ]);
        assert_eq!(t.first_before, Some(8));
        assert_eq!(t.last_before, Some(4));
        assert_eq!(t.improvement, 4);
        assert!(
            t.summary.contains("fell from 8/10 to 4/10"),
            "{}",
            t.summary
        );
        assert!(t.summary.contains("2.3 points"), "{}", t.summary);
    }

    #[test]
    fn no_relief_is_never_described_as_relief() {
        let t = pain_trend(vec![p("2026-11-03", 5, 5), p("2026-11-10", 5, 6)]);
        assert!(!t.phrase.contains("relieved"), "{}", t.phrase);
        assert!(t.summary.contains("higher on average"), "{}", t.summary);
        assert!(!t.summary.contains("lowered"), "{}", t.summary);
    }

    #[test]
    fn empty_and_single() {
        assert_eq!(pain_trend(vec![]).first_before, None);
        assert!(
            pain_trend(vec![p("2026-11-03", 7, 3)])
                .summary
                .contains("7/10")
        );
    }
}
