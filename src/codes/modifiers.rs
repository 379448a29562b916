//! Procedure modifiers a therapy practice meets: plain meanings, and combinations that conflict.

/// Every known modifier with a short plain meaning.
pub const MODIFIERS: &[(&str, &str)] = &[
    (
        "GP",
        "delivered under an outpatient physical therapy plan of care",
    ),
    (
        "GO",
        "delivered under an outpatient occupational therapy plan of care",
    ),
    (
        "GN",
        "delivered under an outpatient speech-language pathology plan of care",
    ),
    (
        "CQ",
        "physical therapy furnished in whole or in part by a physical therapist assistant",
    ),
    (
        "CO",
        "occupational therapy furnished in whole or in part by an occupational therapy assistant",
    ),
    (
        "59",
        "distinct procedural service: separate from another service billed the same day",
    ),
    (
        "XE",
        "distinct service in a separate encounter on the same day",
    ),
    (
        "XS",
        "distinct service on a separate structure or body region",
    ),
    ("XP", "distinct service by a separate practitioner"),
    (
        "XU",
        "unusual service that does not overlap the main service",
    ),
    (
        "KX",
        "above the annual therapy threshold, and medically necessary as documented",
    ),
    (
        "GA",
        "a signed advance beneficiary notice (ABN) is on file; denial expected",
    ),
    (
        "GX",
        "a voluntary notice of liability was given for a service never covered",
    ),
    ("GY", "excluded by statute or not a benefit of the plan"),
    (
        "GZ",
        "expected to be denied as not reasonable and necessary; no ABN on file",
    ),
    (
        "AT",
        "chiropractic manipulation as active or corrective treatment",
    ),
    (
        "25",
        "significant, separately identifiable evaluation and management on the day of a procedure",
    ),
    ("50", "bilateral procedure"),
    ("51", "multiple procedures in one session"),
    ("52", "reduced service"),
    ("76", "repeat procedure by the same practitioner"),
    ("77", "repeat procedure by another practitioner"),
    ("93", "telehealth service over audio only"),
    ("95", "telehealth service over real-time audio and video"),
    (
        "GT",
        "telehealth over interactive audio and video (older modifier, few payers still use it)",
    ),
    ("RT", "right side of the body"),
    ("LT", "left side of the body"),
];

/// The distinct-procedural-service modifiers that may bypass an NCCI edit.
pub const DISTINCT_PROCEDURAL: &[&str] = &["59", "XE", "XS", "XP", "XU"];

/// The therapy plan-of-care modifiers (physical, occupational, speech-language).
pub const THERAPY_PLAN: &[&str] = &["GP", "GO", "GN"];

/// The liability modifiers, of which a line carries at most one.
const LIABILITY: &[&str] = &["GA", "GY", "GZ"];

/// A claim line (CMS-1500 item 24D, 837P) has room for this many modifiers.
const MAX_PER_LINE: usize = 4;

/// The plain meaning of a modifier (letters in any case), or `None` when it is not known.
pub fn lookup(modifier: &str) -> Option<&'static str> {
    MODIFIERS
        .iter()
        .find(|(m, _)| m.eq_ignore_ascii_case(modifier))
        .map(|(_, meaning)| *meaning)
}

/// One message per conflict among the modifiers of one claim line billing `code`.
///
/// The code matters for two rules: 51 never goes on a physical medicine code (97001-97755),
/// and 59 never goes on an evaluation and management code (99202-99499).
pub fn conflicts(code: &str, modifiers: &[&str]) -> Vec<String> {
    let mods: Vec<String> = modifiers.iter().map(|m| m.to_ascii_uppercase()).collect();
    let has = |m: &str| mods.iter().any(|x| x == m);
    let present = |set: &[&str]| -> Vec<&str> {
        let mut found: Vec<&str> = Vec::new();
        for m in &mods {
            if set.contains(&m.as_str()) && !found.contains(&m.as_str()) {
                found.push(m);
            }
        }
        found
    };
    let mut messages = Vec::new();

    let x_modifiers: Vec<&str> = present(&DISTINCT_PROCEDURAL[1..]);
    if has("59") && !x_modifiers.is_empty() {
        messages.push(format!(
            "59 and {} are on one line: keep only {}, which says more precisely why the service \
             is distinct",
            x_modifiers.join(" and "),
            x_modifiers.join(" or ")
        ));
    }
    let liability = present(LIABILITY);
    if liability.len() > 1 {
        messages.push(format!(
            "{} are on one line but exclude each other (GA: a signed ABN is on file; GY: not a \
             benefit; GZ: no ABN was signed): keep the one that applies",
            liability.join(" and ")
        ));
    }
    if has("GA") && has("KX") {
        messages.push(
            "GA and KX are on one line but exclude each other: KX attests the service is medically \
             necessary, GA expects it to be denied as not necessary; keep one"
                .to_string(),
        );
    }
    let plans = present(THERAPY_PLAN);
    if plans.len() > 1 {
        messages.push(format!(
            "{} are on one line, but a service belongs to one plan of care (physical, \
             occupational or speech-language therapy): keep one",
            plans.join(" and ")
        ));
    }
    // An assistant modifier names the discipline too, so it must agree with the plan modifier.
    for (assistant, plan) in [("CQ", "GP"), ("CO", "GO")] {
        let others: Vec<&str> = plans.iter().copied().filter(|p| *p != plan).collect();
        if has(assistant) && !others.is_empty() {
            messages.push(format!(
                "{assistant} goes with {plan}, not {}: {assistant} means {}",
                others.join(" or "),
                lookup(assistant).unwrap_or_default()
            ));
        }
    }
    if has("CQ") && has("CO") {
        messages.push(
            "CQ and CO are on one line: a service is either physical or occupational therapy; keep one"
                .to_string(),
        );
    }
    let number = five_digit_number(code);
    if has("51") && number.is_some_and(|n| (97001..=97755).contains(&n)) {
        messages.push(format!(
            "51 (multiple procedures) does not go on {code}: CPT exempts the physical medicine \
             codes 97001-97755 from it; remove it"
        ));
    }
    if has("59") && number.is_some_and(|n| (99202..=99499).contains(&n)) {
        messages.push(format!(
            "59 does not go on the evaluation and management code {code}: use 25 when the visit \
             is separate from a procedure the same day"
        ));
    }
    if mods.len() > MAX_PER_LINE {
        messages.push(format!(
            "{} modifiers are on one line, but a claim line holds at most {MAX_PER_LINE}: keep \
             those that affect payment (therapy, distinct-service, liability) and drop the rest",
            mods.len()
        ));
    }
    messages
}

/// The value of a five-digit CPT code, or `None` for HCPCS Level II and malformed codes.
fn five_digit_number(code: &str) -> Option<u32> {
    if code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit()) {
        code.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_well_formed() {
        for (i, (code, meaning)) in MODIFIERS.iter().enumerate() {
            assert_eq!(code.len(), 2, "{code}");
            assert!(
                code.bytes()
                    .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
            );
            assert!(!meaning.is_empty());
            assert!(
                MODIFIERS[..i].iter().all(|(other, _)| other != code),
                "{code} twice"
            );
        }
        for m in DISTINCT_PROCEDURAL
            .iter()
            .chain(THERAPY_PLAN)
            .chain(LIABILITY)
        {
            assert!(lookup(m).is_some(), "{m}");
        }
    }

    #[test]
    fn lookup_meanings() {
        assert!(lookup("GP").is_some_and(|m| m.contains("physical therapy")));
        assert_eq!(lookup("gp"), lookup("GP"));
        assert!(lookup("XS").is_some_and(|m| m.contains("separate structure")));
        assert!(lookup("ZZ").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn clean_lines() {
        assert!(conflicts("97140", &["GP", "59"]).is_empty());
        assert!(conflicts("97140", &["GP", "XS", "KX"]).is_empty());
        assert!(conflicts("97110", &["GP", "CQ", "KX"]).is_empty());
        assert!(conflicts("97124", &["GY"]).is_empty());
        assert!(conflicts("97124", &[]).is_empty());
        assert!(conflicts("20560", &["51"]).is_empty());
    }

    #[test]
    fn fifty_nine_with_x() {
        let found = conflicts("97140", &["GP", "59", "XS"]);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("59 and XS"), "{}", found[0]);
        let found = conflicts("97140", &["59", "xe", "XU"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("XE and XU"), "{}", found[0]);
    }

    #[test]
    fn liability_modifiers() {
        assert_eq!(conflicts("97124", &["GA", "GZ"]).len(), 1);
        assert_eq!(conflicts("97124", &["GA", "GY", "GZ"]).len(), 1);
        let found = conflicts("97110", &["GP", "GA", "KX"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("GA and KX"));
        // GA twice is not two liability modifiers.
        assert!(conflicts("97124", &["GA", "GA"]).is_empty());
    }

    #[test]
    fn therapy_plans_and_assistants() {
        let found = conflicts("97110", &["GP", "GO"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("GP and GO"));
        let found = conflicts("97110", &["GO", "CQ"]);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].starts_with("CQ goes with GP, not GO"),
            "{}",
            found[0]
        );
        assert_eq!(conflicts("97110", &["GP", "CQ", "CO"]).len(), 2);
    }

    #[test]
    fn code_dependent_rules() {
        let found = conflicts("97124", &["GP", "51"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("97001-97755"));
        assert!(conflicts("97001", &["51"]).len() == 1);
        assert!(conflicts("97755", &["51"]).len() == 1);
        assert!(conflicts("97756", &["51"]).is_empty());
        assert!(conflicts("G0283", &["51"]).is_empty());
        let found = conflicts("99213", &["59"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].contains("use 25"));
        assert!(conflicts("99213", &["25"]).is_empty());
    }

    #[test]
    fn too_many_modifiers() {
        assert!(conflicts("97140", &["GP", "XS", "KX", "RT"]).is_empty());
        let found = conflicts("97140", &["GP", "XS", "KX", "RT", "76"]);
        assert_eq!(found.len(), 1);
        assert!(found[0].starts_with("5 modifiers"));
    }
}
