//! The SOAP note: four sections written, pain on the 0-10 scale, signed by the rendering
//! provider on or after the date of service, and no wording payers read as non-medical.

use crate::findings::Finding;
use crate::load::PracticeData;

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

/// Checks every session's note.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
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
            Some(sig) => {
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
                }
            }
        }
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

    fn note(session: &str) -> Vec<Finding> {
        Practice::new().session("visit", session).check(check)
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
