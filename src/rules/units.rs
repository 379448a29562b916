//! Billed units against the payer's unit rule: `units.mismatch` when a stated figure is not one
//! the rule permits, `units.zero` when a timed code earns no unit and is left looking billed,
//! `units.tie` when a tie under the CMS rule, left open, leaves a code without a unit.

use crate::figures::{lines, units};
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::Session;
/// The payer's unit rule, which these findings apply.
pub use crate::model::UnitRule;

/// Checks the units of every session billed to a known payer.
pub fn check(data: &PracticeData, findings: &mut Vec<Finding>) {
    for rec in &data.sessions {
        if let Some(payer) = data.payer_of(&rec.data) {
            check_session(rec, payer.data.unit_rule, findings);
        }
    }
}

/// Checks the units of one session's codes under `rule`, the rule of the payer billed.
fn check_session(rec: &Record<Session>, rule: UnitRule, findings: &mut Vec<Finding>) {
    let groups = lines::group_by_code(&rec.data.services);
    let unit_lines = lines::unit_lines(&groups);
    let stated: Vec<Option<u32>> = groups.iter().map(|g| g.stated).collect();
    let computed = units::allocate_stated(rule, &unit_lines, &stated);
    let mismatches = units::check_stated(rule, &unit_lines, &stated);
    // A code the default sharing of an open tie leaves with no unit could as well have had
    // one: the provider chooses, so that is a warning naming the choices, not `units.zero`.
    let tie = units::unsettled_tie(rule, &unit_lines, &stated)
        .filter(|t| t.tied.iter().any(|&k| computed[k] == 0));
    if let Some(tie) = &tie {
        let k = tie.tied.iter().copied().find(|&k| computed[k] == 0);
        let i = k.map_or(groups[tie.tied[0]].lines[0], |k| groups[k].lines[0]);
        findings.push(
            Finding::warning("units.tie", &rec.file, tie_message(rule, tie, &unit_lines))
                .at(format!("services[{i}].minutes")),
        );
    }
    for (k, g) in groups.iter().enumerate() {
        // A finding about a code goes on its first line.
        let i = g.lines[0];
        let tied = tie.as_ref().is_some_and(|t| t.tied.contains(&k));
        // A timed line the rule gives no unit may stay, with `units: 0`, to document minutes
        // that count toward the day's total (CMS: several short services, one unit); left
        // without units it looks billed, so it is refused.
        if g.timed && computed[k] == 0 && g.stated.is_none() && !g.partly_stated && !tied {
            findings.push(
                Finding::error(
                    "units.zero",
                    &rec.file,
                    format!(
                        "{} for {} minutes earns no unit under the {}: state `units: 0` to document the minutes without billing them, or correct the minutes",
                        g.code, g.minutes, rule
                    ),
                )
                .at(format!("services[{i}].minutes")),
            );
            continue;
        }
        if g.partly_stated {
            // Lines without units take what the stated lines leave of the code's total.
            if g.stated_sum > computed[k] {
                findings.push(
                    Finding::error(
                        "units.mismatch",
                        &rec.file,
                        format!(
                            "{} units stated on the lines of {}, but its {} minutes give {} under the {}: correct `units` (state them on every line of the code, or on none)",
                            g.stated_sum, g.code, g.minutes, computed[k], rule
                        ),
                    )
                    .at(format!("services[{i}].units")),
                );
            }
            continue;
        }
        if let Some(Some(m)) = mismatches.get(k) {
            findings.push(
                Finding::error(
                    "units.mismatch",
                    &rec.file,
                    format!(
                        "{} units stated for {}, but the payer's rule gives {}: {}. Correct `units` to {} (or remove it to use the computed figure)",
                        g.stated.unwrap_or(0),
                        g.code,
                        m.computed,
                        m.explanation,
                        m.computed
                    ),
                )
                .at(format!("services[{i}].units")),
            );
        }
    }
}

/// "the CMS 8-minute rule allows 2 units in all: 2 of 97124, or 1 of 97124 and 1 of 97140;
/// state `units:` on each line to choose".
fn tie_message(rule: UnitRule, tie: &units::Tie, lines: &[units::Line<'_>]) -> String {
    let sharing = |option: &Vec<u32>| {
        let parts: Vec<String> = lines
            .iter()
            .zip(option)
            .filter(|(l, u)| l.timed && **u > 0)
            .map(|(l, u)| format!("{u} of {}", l.code))
            .collect();
        match parts.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            Some((last, _)) => last.clone(),
            None => "none".to_string(),
        }
    };
    let options: Vec<String> = tie.options.iter().map(sharing).collect();
    let more = if tie.more {
        ", or another sharing of the tied units"
    } else {
        ""
    };
    format!(
        "the {rule} allows {} unit{} in all: {}{more}; state `units:` on each line to choose (the claim bills {} until then)",
        tie.total_units,
        if tie.total_units == 1 { "" } else { "s" },
        options.join(", or "),
        options.first().map_or("none", String::as_str)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn stated_units_must_match_the_payers_rule() {
        // substantial_portion: 30 minutes are 2 full units, no leftover.
        let findings =
            on_ppo(r#"services: [{code: "97124", minutes: 30, modifiers: [GP], units: 3}]"#);
        assert_codes(&findings, &[("units.mismatch", "services[0].units")]);
        let message = &only(&findings, "units.mismatch").message;
        assert!(message.contains("the payer's rule gives 2"), "{message}");
        assert!(message.contains("Correct `units` to 2"), "{message}");
        assert_clean(&on_ppo(
            r#"services: [{code: "97124", minutes: 30, modifiers: [GP], units: 2}]"#,
        ));
    }

    #[test]
    fn units_follow_the_billed_payers_rule() {
        // 10 + 10 minutes: 1 + 1 units per code under substantial_portion, but 20 timed minutes
        // make 1 unit in all under cms_8_minute, which the first tied line takes.
        let session = r#"services:
                           - {code: "97124", minutes: 10, modifiers: [GP], units: 1}
                           - {code: "97140", minutes: 10, modifiers: [GP, "59"], units: 1}"#;
        assert_clean(&on_ppo(session));
        assert_codes(&on_ma(session), &[("units.mismatch", "services[1].units")]);
    }

    #[test]
    fn a_timed_code_too_short_for_a_unit_is_reported_on_its_minutes() {
        let findings = on_ppo(r#"services: [{code: "97124", minutes: 5, modifiers: [GP]}]"#);
        assert_codes(&findings, &[("units.zero", "services[0].minutes")]);
    }

    #[test]
    fn short_services_under_cms_document_minutes_with_units_zero() {
        // 7 + 7 = 14 timed minutes: one unit, for one of the two services.
        let lines = r#"services:
                         - {code: "97124", minutes: 7, modifiers: [GP], units: 1}
                         - {code: "97140", minutes: 7, modifiers: [GP, "59"], UNITS}"#;
        assert_clean(&on_ma(&lines.replace("UNITS", "units: 0")));
        let unstated = on_ma(&lines.replace(", UNITS", ""));
        assert_codes(&unstated, &[("units.zero", "services[1].minutes")]);
    }

    #[test]
    fn an_open_tie_names_the_choices_instead_of_a_code_without_a_unit() {
        // 23 + 8 = 31 minutes: 2 units, and the leftovers (8 and 8) tie for the second.
        let lines = r#"services:
                         - {code: "97124", minutes: 23, modifiers: [GP], UNITS1}
                         - {code: "97140", minutes: 8, modifiers: [GP, "59"], UNITS2}"#;
        let open = on_ma(&lines.replace(", UNITS1", "").replace(", UNITS2", ""));
        assert_codes(&open, &[("units.tie", "services[1].minutes")]);
        let tie = only(&open, "units.tie");
        assert_eq!(tie.severity, crate::findings::Severity::Warning);
        assert_eq!(
            tie.message,
            "the CMS 8-minute rule allows 2 units in all: 2 of 97124, or 1 of 97124 and 1 of 97140; state `units:` on each line to choose (the claim bills 2 of 97124 until then)"
        );
        // Either choice, once stated, is clean; so is stating one line and leaving the other.
        for (one, two) in [
            ("units: 2", "units: 0"),
            ("units: 1", "units: 1"),
            ("units: 1", ""),
        ] {
            let session = lines.replace("UNITS1", one).replace("UNITS2", two);
            assert_clean(&on_ma(&session.replace(", }", "}")));
        }
        // The per-code rule has no tie: 8 minutes of 97140 are a unit of their own.
        assert_clean(&on_ppo(
            &lines.replace(", UNITS1", "").replace(", UNITS2", ""),
        ));
    }

    #[test]
    fn a_tie_every_code_gets_a_unit_of_is_left_to_the_default() {
        // 20 + 20 minutes: 3 units, 2 + 1 or 1 + 2; both codes are billed either way.
        let findings = on_ma(
            r#"services:
                 - {code: "97124", minutes: 20, modifiers: [GP]}
                 - {code: "97140", minutes: 20, modifiers: [GP, "59"]}"#,
        );
        assert_clean(&findings);
    }

    #[test]
    fn messages_name_the_rule_in_words() {
        let findings = on_ppo(r#"services: [{code: "97124", minutes: 5, modifiers: [GP]}]"#);
        let message = &only(&findings, "units.zero").message;
        assert!(message.contains("the per-code midpoint rule"), "{message}");
        assert!(!message.contains("substantial_portion"), "{message}");
    }

    #[test]
    fn a_code_split_over_lines_is_checked_on_its_total() {
        let findings = on_ppo(
            r#"services:
                 - {code: "97124", minutes: 20, modifiers: [GP], units: 5}
                 - {code: "97124", minutes: 20, modifiers: [GP]}"#,
        );
        assert_codes(&findings, &[("units.mismatch", "services[0].units")]);
        assert_clean(&on_ppo(
            r#"services:
                 - {code: "97124", minutes: 20, modifiers: [GP], units: 1}
                 - {code: "97124", minutes: 20, modifiers: [GP]}"#,
        ));
    }
}
