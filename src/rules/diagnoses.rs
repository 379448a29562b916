//! ICD-10-CM codes of sessions and referrals, checked against the edition in force on the
//! date of service; at most one warning when no edition covers a date.

use crate::codes::icd10::{self, Icd10, Icd10Status};
use crate::findings::Finding;
use crate::load::PracticeData;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// Most diagnoses a CMS-1500 holds (item 21, A-L).
pub const MAX_DIAGNOSES: usize = 12;

/// Checks every diagnosis code of every session and referral.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    let mut missing_years = BTreeSet::new();
    for rec in &data.sessions {
        let s = &rec.data;
        if s.diagnoses.is_empty() {
            findings.push(
                Finding::error(
                    "field.missing",
                    &rec.file,
                    "the session has no diagnosis: list at least one ICD-10-CM code under `diagnoses`",
                )
                .at("diagnoses"),
            );
        }
        if s.diagnoses.len() > MAX_DIAGNOSES {
            findings.push(
                Finding::error(
                    "diagnosis.too_many",
                    &rec.file,
                    format!(
                        "{} diagnoses listed; a claim holds at most {MAX_DIAGNOSES} (A-L): keep the ones the services treat",
                        s.diagnoses.len()
                    ),
                )
                .at(format!("diagnoses[{MAX_DIAGNOSES}]")),
            );
        }
        for (i, code) in s.diagnoses.iter().enumerate() {
            check_code(
                &data.icd10,
                code,
                s.date,
                &rec.file,
                &format!("diagnoses[{i}]"),
                &mut missing_years,
                findings,
            );
        }
    }
    for rec in data.patients.values() {
        for (r_i, r) in rec.data.referrals.iter().enumerate() {
            for (i, code) in r.diagnoses.iter().enumerate() {
                check_code(
                    &data.icd10,
                    code,
                    r.date,
                    &rec.file,
                    &format!("referrals[{r_i}].diagnoses[{i}]"),
                    &mut missing_years,
                    findings,
                );
            }
        }
    }
    if !missing_years.is_empty() {
        let newest = data.icd10.fiscal_years().into_iter().max().unwrap_or(0);
        let files: Vec<String> = missing_years
            .iter()
            .map(|y| format!("codes/icd10cm_order_{y}.txt"))
            .collect();
        findings.push(Finding::warning(
            "icd10.edition_unavailable",
            "codes/",
            format!(
                "no ICD-10-CM table covers dates of service in fiscal year {}: codes were checked against FY{newest}; add the CMS order file {} to the practice",
                missing_years
                    .iter()
                    .map(u16::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
                files.join(" and ")
            ),
        ));
    }
}

fn check_code(
    table: &Icd10,
    code: &str,
    date: NaiveDate,
    file: &str,
    field: &str,
    missing_years: &mut BTreeSet<u16>,
    findings: &mut Vec<Finding>,
) {
    let result = table.check(code, date);
    if !result.edition_available {
        missing_years.insert(icd10::fiscal_year(date));
    }
    let code_name = match &result.status {
        Icd10Status::Billable { .. } => return,
        Icd10Status::Header { .. } => "icd10.not_billable",
        Icd10Status::Deleted { .. } => "icd10.deleted",
        Icd10Status::Unknown { .. } | Icd10Status::Malformed { .. } => "icd10.unknown",
    };
    findings.push(Finding::error(code_name, file, result.status.message()).at(field));
}
