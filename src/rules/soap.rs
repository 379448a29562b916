//! The SOAP note: four sections written, pain on the 0-10 scale, signed by the rendering
//! provider between the date of service and today (within the practice's days), and no
//! wording payers read as non-medical.

use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::Session;
use crate::model::session::Signature;
use chrono::NaiveDate;

/// Words that make a payer read massage as comfort rather than treatment.
pub const VAGUE_WORDS: &[&str] = &[
    "stress",
    "stressed",
    "stressful",
    "relax",
    "relaxing",
    "relaxation",
    "relaxed",
    "wellness",
    "pamper",
    "pampering",
    "spa",
];

/// Checks every session's note; `as_of` is the date "today" means.
pub fn check(data: &PracticeData, as_of: NaiveDate, findings: &mut Vec<Finding>) {
    let sign_within = data.practice().map(|p| p.sign_within_days);
    for rec in &data.sessions {
        let s = &rec.data;
        let sections = [
            ("subjective", &s.soap.subjective),
            ("objective", &s.soap.objective),
            ("assessment", &s.soap.assessment),
            ("plan", &s.soap.plan),
        ];
        for (name, text) in sections {
            let text = text.as_deref().unwrap_or("");
            if text.trim().is_empty() {
                findings.push(
                    Finding::error(
                        "soap.incomplete",
                        &rec.file,
                        format!("the {name} section is empty: payers deny notes without all four SOAP sections"),
                    )
                    .at(format!("soap.{name}")),
                );
            } else if let Some(word) = vague_word(text) {
                findings.push(
                    Finding::warning(
                        "soap.vague",
                        &rec.file,
                        format!("\"{word}\" reads as comfort care and payers deny it: tie the note to a deficit, a measure and a goal instead"),
                    )
                    .at(format!("soap.{name}")),
                );
            }
        }
        for (i, goal) in s.goals.iter().enumerate() {
            if let Some(word) = vague_word(goal) {
                findings.push(
                    Finding::warning(
                        "soap.vague",
                        &rec.file,
                        format!("\"{word}\" is not a measurable goal: state a function, a number and a date"),
                    )
                    .at(format!("goals[{i}]")),
                );
            }
        }
        if let Some(pain) = s.pain {
            for (name, value) in [("before", pain.before), ("after", pain.after)] {
                if value > 10 {
                    findings.push(
                        Finding::error(
                            "field.invalid",
                            &rec.file,
                            format!("pain {name} is {value}; the scale runs from 0 to 10"),
                        )
                        .at(format!("pain.{name}")),
                    );
                }
            }
        }
        match &s.signed {
            None => findings.push(
                Finding::error(
                    "signature.missing",
                    &rec.file,
                    "the note is not signed: add `signed: {by: <provider id>, date: YYYY-MM-DD}`",
                )
                .at("soap"),
            ),
            Some(sig) => check_signature(rec, sig, as_of, sign_within, findings),
        }
    }
}

/// The rendering provider signs, on a day between the visit and today; a signature more than
/// `sign_within` days after the visit is late.
fn check_signature(
    rec: &Record<Session>,
    sig: &Signature,
    as_of: NaiveDate,
    sign_within: Option<u32>,
    findings: &mut Vec<Finding>,
) {
    let s = &rec.data;
    if sig.by != s.provider {
        findings.push(
            Finding::error(
                "signature.invalid",
                &rec.file,
                format!(
                    "the note is signed by {} but {} rendered the session: the rendering provider signs the note",
                    sig.by, s.provider
                ),
            )
            .at("signed.by"),
        );
    }
    if sig.date < s.date {
        findings.push(
            Finding::error(
                "signature.invalid",
                &rec.file,
                format!(
                    "the note is signed on {}, before the date of service {}: correct the signature date",
                    sig.date, s.date
                ),
            )
            .at("signed.date"),
        );
        return;
    }
    if sig.date > as_of {
        // A visit in the future is `date.future` already; its signature follows its date.
        if s.date <= as_of {
            findings.push(
                Finding::error(
                    "signature.invalid",
                    &rec.file,
                    format!(
                        "the note is signed on {}, after {as_of}: a note cannot be signed on a day still to come, so correct the signature date (or pass --as-of if you meant another day)",
                        sig.date
                    ),
                )
                .at("signed.date"),
            );
        }
        return;
    }
    let days = (sig.date - s.date).num_days();
    if let Some(within) = sign_within
        && days > i64::from(within)
    {
        findings.push(
            Finding::warning(
                "signature.late",
                &rec.file,
                format!(
                    "the note was signed on {}, {days} days after the visit on {}; the practice signs notes within {within} days (`sign_within_days` in practice.yaml): payers doubt notes written long after the visit, so sign notes sooner and mark a late note as a late entry",
                    sig.date, s.date
                ),
            )
            .at("signed.date"),
        );
    }
}

/// The first vague word in `text`, matched as a whole word, ignoring case.
pub fn vague_word(text: &str) -> Option<&'static str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .find_map(|w| {
            VAGUE_WORDS
                .iter()
                .find(|v| w.eq_ignore_ascii_case(v))
                .copied()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::Severity;
    use crate::rules::testkit::*;

    #[test]
    fn vague_words_match_whole_words_only() {
        assert_eq!(vague_word("Reduce stress at work"), Some("stress"));
        assert_eq!(vague_word("Spa day"), Some("spa"));
        assert_eq!(vague_word("muscle spasm, distress"), None);
        assert_eq!(vague_word("for RELAXATION"), Some("relaxation"));
    }

    /// The day the tests call today: well after the default session's date.
    const TODAY: &str = "2026-12-31";

    fn note(session: &str) -> Vec<Finding> {
        signed_by(Practice::new(), TODAY, session)
    }

    fn signed_by(practice: Practice, as_of: &str, session: &str) -> Vec<Finding> {
        practice
            .session("visit", session)
            .check(|data, findings| check(data, date(as_of), findings))
    }

    #[test]
    fn a_complete_signed_note_is_clean() {
        assert_clean(&note(""));
        // Signing after the date of service is fine.
        assert_clean(&note("signed: {by: amy, date: 2026-09-20}"));
    }

    #[test]
    fn each_empty_section_is_incomplete() {
        for section in ["subjective", "objective", "assessment", "plan"] {
            let field = format!("soap.{section}");
            let expected = [("soap.incomplete", field.as_str())];
            assert_codes(&note(&format!("soap: {{{section}: ~}}")), &expected);
            assert_codes(&note(&format!("soap: {{{section}: \"  \"}}")), &expected);
        }
    }

    #[test]
    fn an_unsigned_note() {
        assert_codes(&note("signed: ~"), &[("signature.missing", "soap")]);
    }

    #[test]
    fn the_rendering_provider_signs_the_note() {
        let findings = note("signed: {by: pat, date: 2026-09-15}");
        assert_codes(&findings, &[("signature.invalid", "signed.by")]);
    }

    #[test]
    fn a_note_cannot_be_signed_before_the_visit() {
        let findings = note("signed: {by: amy, date: 2026-09-14}");
        assert_codes(&findings, &[("signature.invalid", "signed.date")]);
    }

    #[test]
    fn a_note_cannot_be_signed_after_today() {
        let signed = "signed: {by: amy, date: 2026-09-20}";
        let findings = signed_by(Practice::new(), "2026-09-19", signed);
        assert_codes(&findings, &[("signature.invalid", "signed.date")]);
        let message = &only(&findings, "signature.invalid").message;
        assert!(
            message.contains("signed on 2026-09-20, after 2026-09-19")
                && message.contains("correct the signature date"),
            "{message}"
        );
        assert_clean(&signed_by(Practice::new(), "2026-09-20", signed));
        // A visit that is itself in the future is reported as such, by the visit's rule.
        let future = "{date: 2026-09-25, signed: {by: amy, date: 2026-09-25}}";
        assert_clean(&signed_by(Practice::new(), "2026-09-19", future));
    }

    #[test]
    fn a_note_signed_after_the_practices_days_is_late() {
        // The visit is on 2026-09-15; the practice signs within 14 days unless it says otherwise.
        assert_clean(&note("signed: {by: amy, date: 2026-09-29}"));
        let findings = note("signed: {by: amy, date: 2026-09-30}");
        assert_codes(&findings, &[("signature.late", "signed.date")]);
        let late = only(&findings, "signature.late");
        assert_eq!(late.severity, Severity::Warning);
        assert!(
            late.message
                .contains("15 days after the visit on 2026-09-15")
                && late.message.contains("within 14 days (`sign_within_days`"),
            "{}",
            late.message
        );
        let strict = || Practice::new().practice("sign_within_days: 2");
        let findings = signed_by(strict(), TODAY, "signed: {by: amy, date: 2026-09-18}");
        assert_codes(&findings, &[("signature.late", "signed.date")]);
        assert_clean(&signed_by(
            strict(),
            TODAY,
            "signed: {by: amy, date: 2026-09-17}",
        ));
    }

    #[test]
    fn comfort_words_are_a_warning() {
        let findings =
            note("soap: {assessment: Client left relaxed; flexion improved to 55 degrees.}");
        assert_codes(&findings, &[("soap.vague", "soap.assessment")]);
        let vague = only(&findings, "soap.vague");
        assert_eq!(vague.severity, Severity::Warning);
        assert!(vague.message.contains("\"relaxed\""), "{}", vague.message);
    }

    #[test]
    fn a_goal_about_stress_is_not_measurable() {
        let findings = note("goals: [Sit 60 minutes by 2026-12-15, Less stress at work]");
        assert_codes(&findings, &[("soap.vague", "goals[1]")]);
    }

    #[test]
    fn pain_runs_from_zero_to_ten() {
        assert_codes(
            &note("pain: {before: 11, after: 3}"),
            &[("field.invalid", "pain.before")],
        );
        assert_codes(
            &note("pain: {before: 10, after: 12}"),
            &[("field.invalid", "pain.after")],
        );
        assert_clean(&note("pain: {before: 10, after: 0}"));
    }
}
