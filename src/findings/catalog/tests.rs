//! The catalog's own checks: codes declared once in their form, topics by group, and the
//! fields whose findings are billing rather than broken records.

use super::*;
use std::collections::BTreeSet;

#[test]
fn codes_are_declared_once_as_group_dot_name() {
    let mut seen = BTreeSet::new();
    for c in CODES {
        assert!(seen.insert(c.code), "{} is declared twice", c.code);
        let parts: Vec<&str> = c.code.split('.').collect();
        assert_eq!(parts.len(), 2, "{}", c.code);
        for part in parts {
            assert!(
                !part.is_empty()
                    && part
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
                "{} is not `group.name` in lowercase",
                c.code
            );
        }
        assert!(
            !c.when.is_empty(),
            "{} says nothing of when it fires",
            c.code
        );
    }
}

#[test]
fn info_finds_declared_codes_only() {
    assert_eq!(info("icd10.deleted").map(|c| c.topic), Some(Topic::Billing));
    assert_eq!(
        info("soap.vague").map(|c| c.severity),
        Some(Severity::Warning)
    );
    assert!(info("icd10").is_none());
    assert!(info("no.such_code").is_none());
}

#[test]
fn topics_follow_the_code_groups() {
    let topic_of = |code: &str| info(code).map(|c| c.topic);
    for code in [
        "yaml.syntax",
        "file.empty",
        "field.unknown",
        "codes.invalid",
    ] {
        assert_eq!(topic_of(code), Some(Topic::Record), "{code}");
    }
    assert_eq!(topic_of("icd10.edition_unavailable"), Some(Topic::Record));
    assert_eq!(topic_of("icd10.unknown"), Some(Topic::Billing));
    for code in ["soap.incomplete", "signature.invalid", "time.inconsistent"] {
        assert_eq!(topic_of(code), Some(Topic::Note), "{code}");
    }
    for code in [
        "appeal.late",
        "hook.refused",
        "render.failed",
        "output.modified",
    ] {
        assert_eq!(topic_of(code), Some(Topic::Document), "{code}");
    }
}

#[test]
fn a_wrong_address_or_phone_is_billing() {
    let on =
        |field: &str| topic(&Finding::error("field.invalid", "patients/a.yaml", "m").at(field));
    for field in [
        "address.state",
        "address.zip",
        "phone",
        "claims_address.zip",
        "appeals_address.state",
        "edi.contact.phone",
        "coverages[0].subscriber.address.zip",
        "coverages[1].employer.phone",
        "coverages[0].accident_state",
    ] {
        assert_eq!(on(field), Topic::Billing, "{field}");
    }
    // Other fields stay broken records: a date, a license's state.
    for field in ["dob", "providers[0].license.state", "address", "zip"] {
        assert_eq!(on(field), Topic::Record, "{field}");
    }
}

#[test]
fn an_unknown_billing_reference_of_a_session_is_billing() {
    let on =
        |file: &str, field: &str| topic(&Finding::error("reference.unknown", file, "m").at(field));
    assert_eq!(on("sessions/2026-11/a.yaml", "referral"), Topic::Billing);
    assert_eq!(
        on("sessions/2026-11/a.yaml", "authorization"),
        Topic::Billing
    );
    assert_eq!(on("sessions/2026-11/a.yaml", "coverage"), Topic::Billing);
    // A session naming a patient or provider that does not exist is a broken record.
    assert_eq!(on("sessions/2026-11/a.yaml", "patient"), Topic::Record);
    assert_eq!(on("sessions/2026-11/a.yaml", "provider"), Topic::Record);
    // A patient's authorization naming an unknown payer is too.
    assert_eq!(
        on("patients/a.yaml", "authorizations[0].payer"),
        Topic::Record
    );
    assert_eq!(
        topic(&Finding::error(
            "reference.unknown",
            "sessions/2026-11/a.yaml",
            "m"
        )),
        Topic::Record
    );
    assert_eq!(
        topic(&Finding::error(
            "units.zero",
            "sessions/2026-11/a.yaml",
            "m"
        )),
        Topic::Billing
    );
}
