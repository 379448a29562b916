//! Coverage on the date of service: active, massage covered, visits per plan year, minutes
//! per visit, and whether the provider may bill the payer at all.

use crate::findings::Finding;
use crate::load::PracticeData;
use crate::model::PayerKind;
use chrono::NaiveDate;
use std::collections::HashMap;

/// NUCC taxonomy code of a massage therapist.
pub const MASSAGE_THERAPIST_TAXONOMY: &str = "225700000X";

/// Checks each session against the coverage it bills.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    // Visits counted per (patient, payer, plan year), in date order, so only the sessions
    // past the limit are flagged.
    let mut visits: HashMap<(&str, &str, NaiveDate), u32> = HashMap::new();
    for rec in &data.sessions {
        let s = &rec.data;
        let Some(patient) = data.patient_of(s) else {
            continue;
        };
        let Some(cov) = data.coverage_of(s) else {
            if s.coverage.is_none() {
                findings.push(
                    Finding::error(
                        "coverage.missing",
                        &rec.file,
                        format!(
                            "{} has no coverage to bill: add one to {}",
                            patient.id, patient.file
                        ),
                    )
                    .at("patient"),
                );
            }
            continue;
        };
        if !cov.active_on(s.date) {
            let until = cov
                .terminates
                .map(|t| format!(" to {t}"))
                .unwrap_or_default();
            findings.push(
                Finding::error(
                    "coverage.inactive",
                    &rec.file,
                    format!(
                        "the {} coverage runs from {}{until}, which does not include the date of service {}: bill another coverage or the patient",
                        cov.payer, cov.effective, s.date
                    ),
                )
                .at("date"),
            );
        }
        let b = &cov.benefits;
        if !b.massage_covered {
            findings.push(
                Finding::error(
                    "benefit.not_covered",
                    &rec.file,
                    format!(
                        "the {} plan does not cover massage therapy: collect from the patient, or confirm the benefit and update {}",
                        cov.payer, patient.file
                    ),
                )
                .at("services"),
            );
        }
        let year_start = b.plan_year_containing(s.date);
        let count = visits
            .entry((patient.id.as_str(), cov.payer.as_str(), year_start))
            .or_insert_with(|| b.visits_used_before_in(year_start));
        *count += 1;
        if let Some(limit) = b.visits_per_year
            && *count > limit
        {
            findings.push(
                Finding::error(
                    "benefit.visit_limit",
                    &rec.file,
                    format!(
                        "this is visit {} of the plan year starting {year_start}, and the plan allows {limit}: ask the payer for more visits or bill the patient",
                        *count
                    ),
                )
                .at("date"),
            );
        }
        let minutes: u32 = s.services.iter().map(|x| x.minutes).sum();
        if let Some(max) = b.max_minutes_per_visit
            && minutes > max
        {
            findings.push(
                Finding::error(
                    "benefit.minutes_exceeded",
                    &rec.file,
                    format!(
                        "the services add up to {minutes} minutes and the plan pays at most {max} per visit: bill {max} minutes or fewer"
                    ),
                )
                .at("services"),
            );
        }
        if let Some(payer) = data.payers.get(&cov.payer)
            && payer.data.kind == PayerKind::Medicare
        {
            let taxonomy = data
                .provider_of(s)
                .and_then(|p| p.taxonomy.as_ref())
                .or(data.practice().map(|p| &p.taxonomy));
            if taxonomy.is_some_and(|t| t.as_str() == MASSAGE_THERAPIST_TAXONOMY) {
                findings.push(
                    Finding::error(
                        "provider.not_eligible",
                        &rec.file,
                        format!(
                            "{} is Original Medicare, which does not recognize massage therapists (taxonomy {MASSAGE_THERAPIST_TAXONOMY}) as providers: bill the patient or a supplemental plan; to get a denial for a secondary payer, bill with modifier GY",
                            payer.data.name
                        ),
                    )
                    .at("provider"),
                );
            }
        }
    }
}
