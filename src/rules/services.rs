//! Service lines: known codes, what Medicare pays, hands-on codes not given by telehealth,
//! modifiers, NCCI pairs, diagnosis pointers and fees (units are checked in `units`).

use crate::codes::procedures::{self, MedicareStatus, Procedure, TherapyStatus};
use crate::codes::{modifiers, ncci, place_of_service};
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::{Payer, PayerKind, Session};

/// Places of service that say the patient was not in the room (CMS telehealth codes).
pub const TELEHEALTH_PLACES: &[&str] = &["02", "10"];

/// Codes not valid for Medicare (status I) that Medicare pays under another code: the code,
/// the code to bill instead, and what Medicare calls the service.
const MEDICARE_CODE_FOR: &[(&str, &str, &str)] =
    &[("97014", "G0283", "unattended electrical stimulation")];

/// Most diagnosis pointers one service line can carry (item 24E).
pub const MAX_POINTERS: usize = 4;

/// Checks every service line of every session.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    for rec in &data.sessions {
        check_session(data, rec, findings);
    }
}

fn check_session(data: &PracticeData, rec: &Record<Session>, findings: &mut Vec<Finding>) {
    let s = &rec.data;
    let payer = data.payer_of(s).map(|p| &p.data);
    let fees = data.practice().map(|p| &p.fees);
    // A line has no place of its own: the session's, else the practice's default.
    let place = s
        .place_of_service
        .as_ref()
        .or(data.practice().map(|p| &p.place_of_service))
        .map(|c| (c.as_str(), s.place_of_service.is_some()));
    if s.services.is_empty() {
        findings.push(
            Finding::error(
                "field.missing",
                &rec.file,
                "the session bills no service: list at least one under `services`",
            )
            .at("services"),
        );
    }
    for (i, svc) in s.services.iter().enumerate() {
        let field = format!("services[{i}]");
        let code = svc.code.as_str();
        match procedures::lookup(code) {
            None => findings.push(
                Finding::error(
                    "procedure.unknown",
                    &rec.file,
                    format!("`{code}` is not a procedure code claimwright knows: check the CPT/HCPCS code (massage is 97124, manual therapy 97140); `claimwright codes` lists what is known"),
                )
                .at(format!("{field}.code")),
            ),
            Some(p) => {
                if let Some(required) = payer.and_then(|p| p.therapy_modifier.as_ref())
                    && p.therapy == TherapyStatus::Always
                    // The contract asks the modifier of timed therapy codes; CMS edits untimed
                    // always-therapy codes too, which payers set up per plan.
                    && p.timed
                    && !svc
                        .modifiers
                        .iter()
                        .any(|m| m.as_str().eq_ignore_ascii_case(required.as_str()))
                {
                    findings.push(
                        Finding::error(
                            "modifier.required",
                            &rec.file,
                            format!("{code} is a therapy code and this payer requires modifier {required} on it: add {required} to `modifiers`"),
                        )
                        .at(format!("{field}.modifiers")),
                    );
                }
                if let Some(payer) = payer {
                    check_medicare(rec, i, p, payer, findings);
                }
                if let Some((place, own)) = place {
                    check_place(rec, i, p, place, own, findings);
                }
            }
        }
        let mods: Vec<&str> = svc.modifiers.iter().map(|m| m.as_str()).collect();
        for msg in modifiers::conflicts(code, &mods) {
            findings.push(
                Finding::error("modifier.conflict", &rec.file, msg)
                    .at(format!("{field}.modifiers")),
            );
        }
        for (m_i, m) in mods.iter().enumerate() {
            if modifiers::lookup(m).is_none() {
                findings.push(
                    Finding::warning(
                        "modifier.unknown",
                        &rec.file,
                        format!("`{m}` is not a modifier claimwright knows: check it against the payer's rules"),
                    )
                    .at(format!("{field}.modifiers[{m_i}]")),
                );
            }
        }
        check_pointers(rec, i, findings);
        if let Some(fees) = fees
            && !fees.contains_key(code)
            && procedures::lookup(code).is_some()
        {
            findings.push(
                Finding::warning(
                    "fee.missing",
                    &rec.file,
                    format!("practice.yaml has no fee for {code}, so it cannot be claimed: add it under `fees`"),
                )
                .at(format!("{field}.code")),
            );
        }
    }
    check_ncci(rec, findings);
}

/// Whether `payer` is a Medicare or Medicare Advantage plan that bundles `code` (status B):
/// such a line pays nothing and may not be billed to the patient, so no claim carries it.
pub fn bundled_by(code: &str, payer: &Payer) -> bool {
    matches!(
        payer.kind,
        PayerKind::Medicare | PayerKind::MedicareAdvantage
    ) && procedures::lookup(code).is_some_and(|p| p.medicare == MedicareStatus::B)
}

/// What a Medicare or Medicare Advantage plan does with the code: status I is not valid (another
/// code is billed instead), status B is bundled and never paid.
fn check_medicare(
    rec: &Record<Session>,
    i: usize,
    p: &Procedure,
    payer: &Payer,
    findings: &mut Vec<Finding>,
) {
    if !matches!(
        payer.kind,
        PayerKind::Medicare | PayerKind::MedicareAdvantage
    ) {
        return;
    }
    let (code, name) = (p.code, &payer.name);
    let field = format!("services[{i}].code");
    match p.medicare {
        MedicareStatus::A => {}
        MedicareStatus::I => {
            let message = match MEDICARE_CODE_FOR.iter().find(|(c, ..)| *c == code) {
                Some((_, instead, service)) => format!(
                    "{code} is not valid for Medicare: bill {instead} to {name} (Medicare plans pay {service} only as {instead})"
                ),
                None => format!(
                    "{code} is not valid for Medicare, so {name} will not pay it: take the line off this visit's claim, or bill the code Medicare lists for the service"
                ),
            };
            findings.push(Finding::error("procedure.not_payable", &rec.file, message).at(field));
        }
        MedicareStatus::B => findings.push(
            Finding::warning(
                "procedure.bundled",
                &rec.file,
                format!(
                    "Medicare bundles {code} into the other services of the visit (status B): {name} pays nothing for it and the patient cannot be billed for it, so it stays in the note and is left off the claim; nothing to change unless the visit should bill another service"
                ),
            )
            .at(field),
        ),
    }
}

/// A hands-on code needs the patient in the room, which a telehealth place of service denies.
fn check_place(
    rec: &Record<Session>,
    i: usize,
    p: &Procedure,
    place: &str,
    own: bool,
    findings: &mut Vec<Finding>,
) {
    if !p.hands_on || !TELEHEALTH_PLACES.contains(&place) {
        return;
    }
    let setting = place_of_service::lookup(place).unwrap_or("telehealth");
    let whose = if own {
        "the session's `place_of_service`"
    } else {
        "the practice's default `place_of_service`"
    };
    findings.push(
        Finding::error(
            "place_of_service.invalid_for_code",
            &rec.file,
            format!(
                "{} is hands-on and cannot be given by telehealth, but {whose} is {place} ({setting}): set the session's `place_of_service` to where the patient was treated (11 office, 12 home), or bill only what was given remotely",
                p.code
            ),
        )
        .at(format!("services[{i}].code")),
    );
}

fn check_pointers(rec: &Record<Session>, i: usize, findings: &mut Vec<Finding>) {
    let s = &rec.data;
    let svc = &s.services[i];
    let field = format!("services[{i}].diagnosis_pointers");
    if svc.diagnosis_pointers.is_empty() {
        findings.push(
            Finding::error(
                "diagnosis.pointer_invalid",
                &rec.file,
                "the line points at no diagnosis: give at least one letter, A for the first diagnosis",
            )
            .at(&field),
        );
    }
    if svc.diagnosis_pointers.len() > MAX_POINTERS {
        findings.push(
            Finding::error(
                "diagnosis.pointer_invalid",
                &rec.file,
                format!(
                    "{} pointers on one line; a claim line holds at most {MAX_POINTERS}: keep the most relevant first",
                    svc.diagnosis_pointers.len()
                ),
            )
            .at(&field),
        );
    }
    let mut seen = Vec::new();
    for (p_i, p) in svc.diagnosis_pointers.iter().enumerate() {
        let index = pointer_index(p);
        let valid = index.is_some_and(|ix| ix < s.diagnoses.len());
        if !valid {
            let last = (b'A' + s.diagnoses.len().clamp(1, 12) as u8 - 1) as char;
            findings.push(
                Finding::error(
                    "diagnosis.pointer_invalid",
                    &rec.file,
                    format!(
                        "pointer `{p}` names no diagnosis of this session: use a letter from A to {last} ({} diagnoses listed)",
                        s.diagnoses.len()
                    ),
                )
                .at(format!("{field}[{p_i}]")),
            );
        } else if seen.contains(&index) {
            findings.push(
                Finding::error(
                    "diagnosis.pointer_invalid",
                    &rec.file,
                    format!("pointer `{p}` is listed twice: list each diagnosis once"),
                )
                .at(format!("{field}[{p_i}]")),
            );
        }
        seen.push(index);
    }
}

/// The 0-based diagnosis index of a pointer letter A-L.
pub fn pointer_index(pointer: &str) -> Option<usize> {
    let p = pointer.trim();
    let mut chars = p.chars();
    let c = chars.next()?.to_ascii_uppercase();
    if chars.next().is_some() || !('A'..='L').contains(&c) {
        return None;
    }
    Some(c as usize - 'A' as usize)
}

fn check_ncci(rec: &Record<Session>, findings: &mut Vec<Finding>) {
    let services = &rec.data.services;
    for (a_i, a) in services.iter().enumerate() {
        for (b_i, b) in services.iter().enumerate().skip(a_i + 1) {
            if a.code == b.code {
                continue;
            }
            let Some(edit) = ncci::edit_between(a.code.as_str(), b.code.as_str()) else {
                continue;
            };
            let (col2_i, col2) = if edit.column2 == b.code.as_str() {
                (b_i, b)
            } else {
                (a_i, a)
            };
            match edit.modifier_indicator {
                0 => findings.push(
                    Finding::error(
                        "ncci.bundled",
                        &rec.file,
                        format!(
                            "NCCI never pays {} with {} on the same day, whatever the modifier: bill only {}",
                            edit.column2, edit.column1, edit.column1
                        ),
                    )
                    .at(format!("services[{col2_i}].code")),
                ),
                1 => {
                    let has_distinct = col2
                        .modifiers
                        .iter()
                        .any(|m| {
                            modifiers::DISTINCT_PROCEDURAL
                                .iter()
                                .any(|d| d.eq_ignore_ascii_case(m.as_str()))
                        });
                    if !has_distinct {
                        findings.push(
                            Finding::error(
                                "ncci.modifier_required",
                                &rec.file,
                                format!(
                                    "NCCI bundles {} into {}: when they were done on separate regions or in separate 15-minute blocks (documented), add 59 or XS/XU to {}; otherwise bill only {}",
                                    edit.column2, edit.column1, edit.column2, edit.column1
                                ),
                            )
                            .at(format!("services[{col2_i}].modifiers")),
                        );
                    }
                }
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Severity;
    use crate::rules::testkit::*;

    fn on_ma(services: &str) -> Vec<Finding> {
        Practice::new()
            .coverage("payer: ma")
            .session("visit", services)
            .check(check)
    }

    fn on_ppo(session: &str) -> Vec<Finding> {
        Practice::new().session("visit", session).check(check)
    }

    #[test]
    fn a_clean_session_has_no_finding() {
        assert_clean(&on_ppo(""));
        assert_clean(&on_ma(""));
    }

    #[test]
    fn an_unknown_code_is_reported_on_its_code() {
        let findings = on_ppo(r#"services: [{code: "97999", minutes: 30}]"#);
        assert_codes(&findings, &[("procedure.unknown", "services[0].code")]);
    }

    #[test]
    fn no_service_at_all_is_a_missing_field() {
        assert_codes(&on_ppo("services: []"), &[("field.missing", "services")]);
    }

    #[test]
    fn the_payers_therapy_modifier_is_required() {
        let findings = on_ma(r#"services: [{code: "97124", minutes: 30}]"#);
        assert_codes(&findings, &[("modifier.required", "services[0].modifiers")]);
        assert!(only(&findings, "modifier.required").message.contains("GP"));
        let findings = on_ma(r#"services: [{code: "97124", minutes: 30, modifiers: [KX]}]"#);
        assert_codes(&findings, &[("modifier.required", "services[0].modifiers")]);
        assert_clean(&on_ma(
            r#"services: [{code: "97124", minutes: 30, modifiers: [GP]}]"#,
        ));
    }

    #[test]
    fn a_payer_without_therapy_modifier_requires_none() {
        assert_clean(&on_ppo(r#"services: [{code: "97124", minutes: 30}]"#));
    }

    #[test]
    fn fifty_nine_and_an_x_modifier_conflict() {
        let findings =
            on_ppo(r#"services: [{code: "97124", minutes: 30, modifiers: [GP, "59", XS]}]"#);
        assert_codes(&findings, &[("modifier.conflict", "services[0].modifiers")]);
    }

    #[test]
    fn an_unknown_modifier_is_a_warning() {
        let findings = on_ppo(r#"services: [{code: "97124", minutes: 30, modifiers: [GP, QQ]}]"#);
        assert_codes(
            &findings,
            &[("modifier.unknown", "services[0].modifiers[1]")],
        );
        assert_eq!(
            only(&findings, "modifier.unknown").severity,
            Severity::Warning
        );
    }

    #[test]
    fn massage_with_manual_therapy_needs_a_distinct_modifier_on_manual_therapy() {
        let pair = |modifiers: &str| {
            on_ppo(&format!(
                r#"services:
                     - {{code: "97124", minutes: 30, modifiers: [GP]}}
                     - {{code: "97140", minutes: 15, modifiers: [GP{modifiers}]}}"#
            ))
        };
        assert_codes(
            &pair(""),
            &[("ncci.modifier_required", "services[1].modifiers")],
        );
        assert_clean(&pair(r#", "59""#));
        assert_clean(&pair(", XS"));
    }

    #[test]
    fn the_ncci_finding_goes_on_manual_therapy_whatever_the_line_order() {
        let findings = on_ppo(
            r#"services:
                 - {code: "97140", minutes: 15, modifiers: [GP]}
                 - {code: "97124", minutes: 30, modifiers: [GP, "59"]}"#,
        );
        assert_codes(
            &findings,
            &[("ncci.modifier_required", "services[0].modifiers")],
        );
    }

    #[test]
    fn the_therapy_modifier_is_asked_of_timed_codes_only() {
        let findings = on_ma(r#"services: [{code: "G0283", minutes: 15}]"#);
        assert!(
            !findings.iter().any(|f| f.code == "modifier.required"),
            "{findings:?}"
        );
    }

    #[test]
    fn a_pointer_past_the_diagnoses_is_invalid() {
        let findings = on_ppo(
            r#"diagnoses: [M54.50, M62.830]
               services: [{code: "97124", minutes: 30, modifiers: [GP], diagnosis_pointers: [A, C]}]"#,
        );
        assert_codes(
            &findings,
            &[(
                "diagnosis.pointer_invalid",
                "services[0].diagnosis_pointers[1]",
            )],
        );
        assert_clean(&on_ppo(
            r#"diagnoses: [M54.50, M62.830]
               services: [{code: "97124", minutes: 30, modifiers: [GP], diagnosis_pointers: [A, B]}]"#,
        ));
    }

    #[test]
    fn a_line_holds_at_most_four_pointers() {
        let findings = on_ppo(
            r#"diagnoses: [M54.50, M62.830, M54.2, M54.6, M25.511]
               services: [{code: "97124", minutes: 30, modifiers: [GP], diagnosis_pointers: [A, B, C, D, E]}]"#,
        );
        assert_codes(
            &findings,
            &[(
                "diagnosis.pointer_invalid",
                "services[0].diagnosis_pointers",
            )],
        );
    }

    #[test]
    fn a_pointer_listed_twice_or_none_at_all_is_invalid() {
        let findings = on_ppo(
            r#"diagnoses: [M54.50, M62.830]
               services: [{code: "97124", minutes: 30, modifiers: [GP], diagnosis_pointers: [A, B, A]}]"#,
        );
        assert_codes(
            &findings,
            &[(
                "diagnosis.pointer_invalid",
                "services[0].diagnosis_pointers[2]",
            )],
        );
        let findings = on_ppo(
            r#"services: [{code: "97124", minutes: 30, modifiers: [GP], diagnosis_pointers: []}]"#,
        );
        assert_codes(
            &findings,
            &[(
                "diagnosis.pointer_invalid",
                "services[0].diagnosis_pointers",
            )],
        );
    }

    #[test]
    fn a_code_without_a_fee_is_a_warning() {
        let findings = Practice::new()
            .practice(r#"fees: {"97124": ~}"#)
            .session("visit", "")
            .check(check);
        assert_codes(&findings, &[("fee.missing", "services[0].code")]);
        assert_eq!(only(&findings, "fee.missing").severity, Severity::Warning);
    }

    #[test]
    fn unattended_electrical_stimulation_is_not_payable_by_medicare_plans() {
        let estim = r#"services: [{code: "97014", minutes: 15, modifiers: [GP]}]"#;
        let findings = Practice::new()
            .practice(r#"fees: {"97014": 20.00}"#)
            .coverage("payer: ma")
            .session("visit", estim)
            .check(check);
        assert_codes(&findings, &[("procedure.not_payable", "services[0].code")]);
        let message = &only(&findings, "procedure.not_payable").message;
        assert!(
            message.contains("bill G0283 to Maple Medicare Advantage")
                && message
                    .contains("Medicare plans pay unattended electrical stimulation only as G0283"),
            "{message}"
        );
        let findings = Practice::new()
            .practice(r#"fees: {"97014": 20.00}"#)
            .session("visit", estim)
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn a_code_medicare_never_pays_is_not_payable_by_original_medicare_either() {
        let findings = Practice::new()
            .original_medicare()
            .practice(r#"fees: {"S8990": 30.00}"#)
            .coverage("payer: orig")
            .session(
                "visit",
                r#"services: [{code: "S8990", minutes: 15, modifiers: [GP]}]"#,
            )
            .check(check);
        assert_codes(&findings, &[("procedure.not_payable", "services[0].code")]);
        let message = &only(&findings, "procedure.not_payable").message;
        assert!(
            message.contains("S8990 is not valid for Medicare, so Medicare Part B will not pay it"),
            "{message}"
        );
    }

    #[test]
    fn a_code_medicare_bundles_is_a_warning_on_medicare_plans_only() {
        let packs = r#"services:
                         - {code: "97124", minutes: 30, modifiers: [GP]}
                         - {code: "97010", minutes: 10, modifiers: [GP]}"#;
        let findings = Practice::new()
            .practice(r#"fees: {"97010": 10.00}"#)
            .coverage("payer: ma")
            .session("visit", packs)
            .check(check);
        assert_codes(&findings, &[("procedure.bundled", "services[1].code")]);
        let bundled = only(&findings, "procedure.bundled");
        assert_eq!(bundled.severity, Severity::Warning);
        assert!(
            bundled
                .message
                .contains("Maple Medicare Advantage pays nothing for it")
                && bundled.message.contains("is left off the claim"),
            "{}",
            bundled.message
        );
        let findings = Practice::new()
            .practice(r#"fees: {"97010": 10.00}"#)
            .session("visit", packs)
            .check(check);
        assert_clean(&findings);
    }

    #[test]
    fn hands_on_codes_are_not_given_by_telehealth() {
        let at = |practice: &str, session: &str| {
            Practice::new()
                .practice(&format!(
                    r#"{{fees: {{"97110": 30.00}}, place_of_service: "{practice}"}}"#
                ))
                .session("visit", session)
                .check(check)
        };
        let lines = r#"services:
                         - {code: "97110", minutes: 15, modifiers: [GP]}
                         - {code: "97124", minutes: 30, modifiers: [GP]}"#;
        let findings = at("11", r#"place_of_service: "10""#);
        assert_codes(
            &findings,
            &[("place_of_service.invalid_for_code", "services[0].code")],
        );
        let message = &only(&findings, "place_of_service.invalid_for_code").message;
        assert!(
            message.contains("97124 is hands-on")
                && message.contains("the session's `place_of_service` is 10")
                && message.contains("11 office, 12 home"),
            "{message}"
        );
        // Exercise may be coached by video; massage may not, whoever set the place.
        let findings = at("02", lines);
        assert_codes(
            &findings,
            &[("place_of_service.invalid_for_code", "services[1].code")],
        );
        let message = &only(&findings, "place_of_service.invalid_for_code").message;
        assert!(
            message.contains("practice's default `place_of_service` is 02"),
            "{message}"
        );
        assert_clean(&at("11", lines));
        assert_clean(&at("02", &format!("place_of_service: \"12\"\n{lines}")));
    }

    #[test]
    fn a_lowercase_therapy_modifier_counts_as_the_modifier() {
        assert_clean(&on_ma(
            r#"services: [{code: "97124", minutes: 30, modifiers: [gp]}]"#,
        ));
    }

    #[test]
    fn a_lowercase_distinct_modifier_satisfies_ncci() {
        assert_clean(&on_ppo(
            r#"services:
                 - {code: "97124", minutes: 30, modifiers: [GP]}
                 - {code: "97140", minutes: 15, modifiers: [GP, xs]}"#,
        ));
    }

    #[test]
    fn pointer_letters() {
        assert_eq!(pointer_index("A"), Some(0));
        assert_eq!(pointer_index(" l "), Some(11));
        assert_eq!(pointer_index("M"), None);
        assert_eq!(pointer_index("AB"), None);
        assert_eq!(pointer_index(""), None);
    }
}
