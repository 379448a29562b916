//! ICD-10-CM codes of sessions and referrals, checked against the edition in force on the
//! date of service; at most one warning when no edition covers a date; no external-cause code
//! in first place.

use super::services::pointer_index;
use crate::codes::icd10::{self, Icd10, Icd10Status};
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::Session;
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
        check_external_cause_first(rec, findings);
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

/// True for an ICD-10-CM external-cause code (chapter 20, V00-Y99): how, where and by what an
/// injury happened, which only ever follows the injury it explains.
pub fn is_external_cause(code: &str) -> bool {
    let mut chars = code.trim().chars();
    matches!(
        chars.next(),
        Some('V' | 'W' | 'X' | 'Y' | 'v' | 'w' | 'x' | 'y')
    ) && chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// No external-cause code stands first: not in `diagnoses` (item 21 A, the claim's primary
/// diagnosis), nor as the first pointer of a line (that line's primary diagnosis).
fn check_external_cause_first(rec: &Record<Session>, findings: &mut Vec<Finding>) {
    let s = &rec.data;
    let fix = "list the injury or condition treated first and the external-cause code after it";
    if let Some(first) = s.diagnoses.first()
        && is_external_cause(first)
    {
        findings.push(
            Finding::error(
                "diagnosis.external_cause_primary",
                &rec.file,
                format!(
                    "{first} is an external-cause code (V00-Y99), which payers never take as the primary diagnosis: {fix} in `diagnoses`, and point each line at the condition first"
                ),
            )
            .at("diagnoses[0]"),
        );
    }
    for (i, svc) in s.services.iter().enumerate() {
        let Some(pointer) = svc.diagnosis_pointers.first() else {
            continue;
        };
        // A first diagnosis that is an external cause was reported above, once for all lines.
        let Some(index) = pointer_index(pointer).filter(|&ix| ix > 0) else {
            continue;
        };
        if let Some(code) = s.diagnoses.get(index)
            && is_external_cause(code)
        {
            findings.push(
                Finding::error(
                    "diagnosis.external_cause_primary",
                    &rec.file,
                    format!(
                        "the line's first pointer `{pointer}` names {code}, an external-cause code (V00-Y99), which is never a line's primary diagnosis: {fix} in `diagnosis_pointers`"
                    ),
                )
                .at(format!("services[{i}].diagnosis_pointers[0]")),
            );
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Severity;
    use crate::rules::testkit::*;

    fn diagnosed(codes: &str) -> Vec<Finding> {
        Practice::new()
            .session("visit", &format!("diagnoses: [{codes}]"))
            .check(check)
    }

    #[test]
    fn a_billable_code_is_clean_with_or_without_its_dot() {
        assert_clean(&diagnosed("M54.50"));
        assert_clean(&diagnosed("M5450"));
        assert_clean(&diagnosed("M54.50, M62.830"));
    }

    #[test]
    fn a_deleted_code_names_its_replacements() {
        let findings = diagnosed("M62.830, M54.5");
        assert_codes(&findings, &[("icd10.deleted", "diagnoses[1]")]);
        let message = &only(&findings, "icd10.deleted").message;
        assert!(message.contains("M54.50, M54.51 or M54.59"), "{message}");
    }

    #[test]
    fn a_category_is_not_billable() {
        let findings = diagnosed("M79.1");
        assert_codes(&findings, &[("icd10.not_billable", "diagnoses[0]")]);
        let message = &only(&findings, "icd10.not_billable").message;
        assert!(message.contains("M79.10"), "{message}");
    }

    #[test]
    fn an_unknown_code_gets_a_suggestion() {
        let findings = diagnosed("T85.7XXS");
        assert_codes(&findings, &[("icd10.unknown", "diagnoses[0]")]);
        let message = &only(&findings, "icd10.unknown").message;
        assert!(message.contains("did you mean T85.79XS?"), "{message}");
    }

    #[test]
    fn a_malformed_code_is_unknown() {
        assert_codes(
            &diagnosed("\"54.50\""),
            &[("icd10.unknown", "diagnoses[0]")],
        );
    }

    #[test]
    fn a_session_needs_a_diagnosis() {
        assert_codes(&diagnosed(""), &[("field.missing", "diagnoses")]);
    }

    #[test]
    fn a_claim_holds_twelve_diagnoses() {
        let twelve = "M54.50, M62.830, M54.2, M54.6, M54.12, M25.511, M25.512, M62.81, G44.52, \
                      M79.18, S13.4XXA, M54.16";
        assert_clean(&diagnosed(twelve));
        let findings = diagnosed(&format!("{twelve}, M54.17"));
        assert_codes(&findings, &[("diagnosis.too_many", "diagnoses[12]")]);
    }

    #[test]
    fn external_cause_codes_are_chapter_20() {
        for code in ["V43.52XD", "W01.0XXA", "X50.0XXA", "Y93.C2", "w19.xxxa"] {
            assert!(is_external_cause(code), "{code}");
        }
        for code in [
            "M54.50", "S13.4XXA", "T84.84XA", "Z47.1", "U07.1", "V", "Wrist", "",
        ] {
            assert!(!is_external_cause(code), "{code}");
        }
    }

    #[test]
    fn an_external_cause_code_is_never_first() {
        // A whiplash from a car crash: the sprain first, then how it happened.
        let findings = diagnosed("V43.52XD, S13.4XXD");
        assert_codes(
            &findings,
            &[("diagnosis.external_cause_primary", "diagnoses[0]")],
        );
        let message = &only(&findings, "diagnosis.external_cause_primary").message;
        assert!(
            message.contains("V43.52XD is an external-cause code")
                && message.contains("list the injury or condition treated first"),
            "{message}"
        );
        assert_clean(&diagnosed("S13.4XXD, V43.52XD"));
    }

    #[test]
    fn a_line_does_not_point_at_an_external_cause_first() {
        let line = |pointers: &str| {
            Practice::new()
                .session(
                    "visit",
                    &format!(
                        r#"diagnoses: [S13.4XXD, V43.52XD, M54.2]
                           services: [{{code: "97124", minutes: 30, modifiers: [GP], diagnosis_pointers: [{pointers}]}}]"#
                    ),
                )
                .check(check)
        };
        let findings = line("B, A");
        assert_codes(
            &findings,
            &[(
                "diagnosis.external_cause_primary",
                "services[0].diagnosis_pointers[0]",
            )],
        );
        let message = &only(&findings, "diagnosis.external_cause_primary").message;
        assert!(message.contains("`B` names V43.52XD"), "{message}");
        assert_clean(&line("A, B"));
        assert_clean(&line("C, B"));
        // A pointer naming nothing is the pointer rule's to report.
        assert_clean(&line("L"));
    }

    #[test]
    fn referral_diagnoses_are_checked_too() {
        let findings = Practice::new()
            .referral("diagnoses: [M54.50, M54.5]")
            .check(check);
        assert_codes(&findings, &[("icd10.deleted", "referrals[0].diagnoses[1]")]);
        assert_eq!(only(&findings, "icd10.deleted").file, "patients/jane.yaml");
    }

    #[test]
    fn a_missing_edition_is_reported_once_for_the_whole_practice() {
        let findings = Practice::new()
            .session("first", "date: 2026-10-01")
            .session("second", "date: 2026-11-03")
            .session("third", "{date: 2026-11-10, diagnoses: [M54.50, M62.830]}")
            .session("fourth", "date: 2026-12-01")
            .check(check);
        assert_codes(&findings, &[("icd10.edition_unavailable", "")]);
        let warning = only(&findings, "icd10.edition_unavailable");
        assert_eq!(warning.severity, Severity::Warning);
        assert_eq!(warning.file, "codes/");
        assert!(
            warning.message.contains("codes/icd10cm_order_2027.txt"),
            "{}",
            warning.message
        );
    }

    #[test]
    fn no_edition_warning_for_dates_the_built_in_tables_cover() {
        let findings = Practice::new()
            .session("mid-september", "date: 2026-09-15")
            .session("last-day-of-fy2026", "date: 2026-09-30")
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn an_edition_added_under_codes_covers_its_year() {
        let findings = Practice::new()
            .file(
                "codes/icd10cm_order_2027.txt",
                &format!(
                    "00001 M5450   1 {:<60} Low back pain, unspecified\n",
                    "Low back pain, unspecified"
                ),
            )
            .session("visit", "date: 2026-11-03")
            .check(check);
        assert_clean(&findings);
    }
}
