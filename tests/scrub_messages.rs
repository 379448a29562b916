//! The messages of the scrub fixture's findings: each says what to do, and none repeats a
//! value from the patient's record.

use crate::scrub::scrub_report;
use crate::util::Finding;

#[test]
fn scrub_messages_say_what_to_do() {
    let report = scrub_report();
    let message = |code: &str, file: &str| -> String {
        let found: Vec<&Finding> = report
            .in_file(file)
            .into_iter()
            .filter(|f| f.code == code)
            .collect();
        assert_eq!(found.len(), 1, "{code} in {file}:\n{}", report.listing());
        found[0].message.clone()
    };
    let unknown = message("field.unknown", "sessions/2026-11/park-field-unknown.yaml");
    assert!(unknown.contains("`diagnoses`"), "{unknown}");

    let deleted = message("icd10.deleted", "sessions/2026-11/park-icd10-deleted.yaml");
    assert!(deleted.contains("M54.5"), "{deleted}");
    assert!(deleted.contains("2021-10-01"), "{deleted}");
    assert!(deleted.contains("M54.50"), "{deleted}");

    let header = message(
        "icd10.not_billable",
        "sessions/2026-11/park-icd10-not-billable.yaml",
    );
    assert!(header.contains("M79.10"), "{header}");

    let icd_unknown = message("icd10.unknown", "sessions/2026-11/park-icd10-unknown.yaml");
    assert!(icd_unknown.contains("T85.7XXS"), "{icd_unknown}");

    let reference = message(
        "reference.unknown",
        "sessions/2026-11/park-reference-unknown.yaml",
    );
    assert!(reference.contains("owen-parc"), "{reference}");
    assert!(reference.contains("owen-park"), "{reference}");

    let units = message(
        "units.mismatch",
        "sessions/2026-11/park-units-mismatch.yaml",
    );
    assert!(units.contains("CMS 8-minute rule"), "{units}");
    assert!(!units.contains("cms_8_minute"), "{units}");
    assert!(units.contains("`units` to 3"), "{units}");

    let ncci = message("ncci.modifier_required", "sessions/2026-11/park-ncci.yaml");
    assert!(ncci.contains("97140") && ncci.contains("59"), "{ncci}");

    let gp = message(
        "modifier.required",
        "sessions/2026-11/park-modifier-required.yaml",
    );
    assert!(gp.contains("GP"), "{gp}");

    let medicare = message(
        "provider.not_eligible",
        "sessions/2026-11/brooks-not-eligible.yaml",
    );
    assert!(medicare.contains("225700000X"), "{medicare}");

    let license = message(
        "license.expired",
        "sessions/2026-11/park-license-expired.yaml",
    );
    assert!(license.contains("2026-11-10"), "{license}");

    let vague = message("soap.vague", "sessions/2026-11/park-soap-vague.yaml");
    assert!(vague.contains("relaxation"), "{vague}");

    let npi = message("npi.invalid", "patients/lena-fox.yaml");
    assert!(npi.contains("1616161613"), "{npi}");

    let file = |name: &str| format!("sessions/2026-11/{name}.yaml");
    let massage = message("benefit.not_covered", &file("brooks-not-covered"));
    assert!(massage.contains("does not pay 97124"), "{massage}");
    assert!(massage.contains("bill another coverage the patient has, or bill the patient"));
    let listed = message("benefit.not_covered", &file("lake-code-not-covered"));
    assert!(
        listed.contains("97112 (listed in `not_covered_codes`"),
        "{listed}"
    );
    // 60 minutes of 97124 are 4 units; the plan pays 45 minutes, 3 units.
    let minutes = message("benefit.minutes_exceeded", &file("fox-minutes-exceeded"));
    assert!(minutes.contains(": 3 units of 97124 are billed to the plan, 1 unit of 97124 to the patient at the practice's fee"), "{minutes}");
    let tie = message("units.tie", &file("park-units-tie"));
    assert!(tie.starts_with("the CMS 8-minute rule allows 2 units in all: 2 of 97124, or 1 of 97124 and 1 of 97140; state `units:` on each line to choose"), "{tie}");
    let modifiers = message("field.invalid", &file("park-modifiers-list"));
    assert!(
        modifiers.contains("write a list: `modifiers: [GP]`"),
        "{modifiers}"
    );
    let pain = message("field.invalid", &file("park-pain-scalar"));
    assert!(
        pain.contains("write `pain: {before: 7, after: 5}` (0-10 before and after treatment)"),
        "{pain}"
    );
}

#[test]
fn scrub_address_and_phone_messages_say_the_form_and_never_the_value() {
    let report = scrub_report();
    for (file, wrong, wanted) in [
        (
            "patients/ada-state-name.yaml",
            "Maine",
            "two-letter USPS code such as ME",
        ),
        ("patients/ada-zip-short.yaml", "4101", "in quotes"),
        ("patients/ada-zip-octal.yaml", "2113", "octal"),
        ("patients/ada-phone-short.yaml", "207-555-016", "10 digits"),
        ("patients/ada-subscriber-zip.yaml", "0410", "5 digits"),
        ("payers/harbor-mutual-state.yaml", "false", "USPS code"),
    ] {
        let found = report.in_file(file);
        assert_eq!(found.len(), 1, "{file}:\n{}", report.listing());
        let message = &found[0].message;
        assert!(message.contains(wanted), "{file}: {message}");
        assert!(
            !message.contains(wrong),
            "{file} echoes the value: {message}"
        );
        let digits: String = wrong.chars().filter(char::is_ascii_digit).collect();
        assert!(
            digits.is_empty() || !message.contains(&digits),
            "{file} echoes the value: {message}"
        );
    }
}

#[test]
fn scrub_plan_of_care_messages_say_what_to_do() {
    let report = scrub_report();
    let message = |code: &str, file: &str| -> String {
        let found = report.with_code(code);
        let found: Vec<_> = found.iter().filter(|f| f.file == file).collect();
        assert_eq!(found.len(), 1, "{code} in {file}:\n{}", report.listing());
        found[0].message.clone()
    };
    let missing = message(
        "plan_of_care.missing",
        "sessions/2026-11/vance-plan-missing.yaml",
    );
    assert!(
        missing.contains("cedar-health requires a plan of care"),
        "{missing}"
    );
    assert!(missing.contains("patients/theo-vance.yaml"), "{missing}");
    let expired = message(
        "plan_of_care.expired",
        "sessions/2026-11/cho-plan-expired.yaml",
    );
    assert!(
        expired.contains("poc-2026-08 ended on 2026-10-31"),
        "{expired}"
    );
    assert!(expired.contains("recertified"), "{expired}");
    // The plan's goals and frequency are the patient's record, never repeated.
    for m in [&missing, &expired] {
        assert!(!m.contains("Sit 60") && !m.contains("week"), "{m}");
    }
}
