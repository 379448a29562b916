//! CO-151 and CO-119, frequency and limits: the minutes behind each unit, the frequency
//! ordered, and each denied date's place among the plan year's visits.

use super::argue::{Argument, Parts};
use super::ctx::ChecklistCtx;
use super::facts::{Facts, and_list, capitalized};
use crate::figures::visits;
use chrono::NaiveDate;

/// CO-151 / CO-119: the minutes behind the units, the frequency ordered, and the visits
/// counted in the plan year.
pub(super) fn frequency(f: &Facts<'_>, reasons: &[&str]) -> Parts {
    let payer = &f.ev.payer.data;
    let mut paragraphs = Vec::new();
    let mut checklist = Vec::new();
    let units_rule = reasons.contains(&"151").then(|| payer.unit_rule.name());
    if let Some(rule) = units_rule {
        let each: Vec<String> = f
            .sessions
            .iter()
            .map(|s| format!("on {}, {}", s.date, s.timed))
            .collect();
        paragraphs.push(format!(
            "The units billed follow the {rule} from the minutes the notes record: {}.",
            each.join("; ")
        ));
    }
    let ordered = f.ordered_frequency();
    match (&ordered, f.episode.first, f.episode.last) {
        (Some((freq, by)), Some(a), Some(b)) => paragraphs.push(format!(
            "{} ordered {freq}; the patient was seen {} times from {a} to {b}.",
            capitalized(by),
            f.episode.visits
        )),
        (Some((freq, by)), _, _) => paragraphs.push(format!(
            "{} ordered {freq}.",
            capitalized(by)
        )),
        (None, _, _) => checklist.push(f.in_patient_file(
            "plans_of_care",
            "add the referral or plan of care with the frequency ordered (`frequency`): the letter cannot show the visits were ordered".to_string(),
        )),
    }
    let (numbers, allowed) = if reasons.contains(&"119") {
        plan_year_paragraph(f, &mut paragraphs, &mut checklist)
    } else {
        (Vec::new(), None)
    };
    let progress = f.progress_sentences();
    if !progress.is_empty() {
        paragraphs.push(format!(
            "The care was still producing change: {}",
            progress.join(" ")
        ));
    }
    let facts = Argument::Frequency {
        units_rule,
        ordered: ordered.map(|(freq, _)| freq),
        plan_year_visits: numbers,
        allowed,
        support: f.support(),
    };
    (
        facts,
        "Frequency and limits",
        paragraphs,
        f.clinical_enclosures(),
        checklist,
        false,
    )
}

/// The denied dates' places among the plan year's visits, stated when they are within the
/// plan's limit; otherwise the practice is told the count supports the payer.
fn plan_year_paragraph(
    f: &Facts<'_>,
    paragraphs: &mut Vec<String>,
    checklist: &mut Vec<ChecklistCtx>,
) -> (Vec<u32>, Option<u32>) {
    let Some((_, coverage)) = f.ev.coverage else {
        return (Vec::new(), None);
    };
    let patient = &f.ev.patient.data;
    let mut year_start: Option<NaiveDate> = None;
    let numbers: Vec<u32> = f
        .ev
        .dates
        .iter()
        .map(|d| {
            let sessions = f.data.sessions_of(&f.ev.patient.id).map(|s| &s.data);
            let (start, count) = visits::plan_year_visits(patient, coverage, sessions, *d, f.as_of);
            year_start.get_or_insert(start);
            count.used
        })
        .collect();
    let allowed = coverage.benefits.visits_per_year;
    let texts: Vec<String> = numbers.iter().map(u32::to_string).collect();
    match (allowed, year_start) {
        (Some(limit), Some(start)) if numbers.iter().all(|n| *n <= limit) => {
            let before = coverage.benefits.visits_used_before;
            let before = if before > 0 {
                format!(", counting the {before} visits used before our records")
            } else {
                String::new()
            };
            paragraphs.push(format!(
                "Our records count the denied dates as visit{} {} of the {limit} the plan allows in the plan year from {start}{before}. We ask you to recount the visits charged to this plan year.",
                if texts.len() == 1 { "" } else { "s" },
                and_list(&texts)
            ));
        }
        (Some(limit), _) => checklist.push(f.in_patient_file(
            &f.coverage_field("benefits.visits_used_before"),
            format!(
                "the records count the denied dates as visits {} of the {limit} the plan allows a year: the letter does not dispute the count; correct `visits_used_before` or the sessions if the count is wrong",
                and_list(&texts)
            ),
        )),
        (None, _) => checklist.push(f.in_patient_file(
            &f.coverage_field("benefits.visits_per_year"),
            "the plan on file sets no visit limit (`visits_per_year`): add the limit the payer applied, or the letter cannot compare the visits with it".to_string(),
        )),
    }
    (numbers, allowed)
}
