//! The visit itself: times that add up, no date of service in the future, a rendering
//! provider licensed on the day, and no code billed twice for one patient on one day.

use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::Session;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Minutes in a day: no service can run longer.
const MINUTES_PER_DAY: u32 = 24 * 60;

/// Checks times, dates and licenses of every session.
pub fn check(data: &PracticeData, as_of: NaiveDate, findings: &mut Vec<Finding>) {
    for rec in &data.sessions {
        let s = &rec.data;
        for (i, svc) in s.services.iter().enumerate() {
            if svc.minutes > MINUTES_PER_DAY {
                findings.push(
                    Finding::error(
                        "field.invalid",
                        &rec.file,
                        format!(
                            "{} minutes is longer than a day: write the service's minutes",
                            svc.minutes
                        ),
                    )
                    .at(format!("services[{i}].minutes")),
                );
            }
        }
        let visit = s.time_in.minutes_until(s.time_out);
        if visit <= 0 {
            findings.push(
                Finding::error(
                    "time.inconsistent",
                    &rec.file,
                    format!(
                        "time_out {} is not after time_in {}: correct the times (24-hour clock)",
                        s.time_out, s.time_in
                    ),
                )
                .at("time_out"),
            );
        } else {
            let minutes: i64 = s.services.iter().map(|x| i64::from(x.minutes)).sum();
            if minutes > visit {
                findings.push(
                    Finding::error(
                        "time.inconsistent",
                        &rec.file,
                        format!(
                            "the services add up to {minutes} minutes but the visit ran {visit} minutes ({} to {}): correct the minutes or the times",
                            s.time_in, s.time_out
                        ),
                    )
                    .at("services"),
                );
            }
        }
        if s.date > as_of {
            findings.push(
                Finding::error(
                    "date.future",
                    &rec.file,
                    format!(
                        "the date of service {} is after {as_of}: correct the date, or pass --as-of if you meant another day",
                        s.date
                    ),
                )
                .at("date"),
            );
        }
        if let Some(provider) = data.provider_of(s)
            && let Some(license) = &provider.license
            && license.expires < s.date
        {
            findings.push(
                Finding::error(
                    "license.expired",
                    &rec.file,
                    format!(
                        "{}'s {} license {} expired on {}, before the date of service {}: record the renewed license in practice.yaml",
                        provider.display_name(),
                        license.state,
                        license.number,
                        license.expires,
                        s.date
                    ),
                )
                .at("provider"),
            );
        }
    }
    check_duplicates(data, findings);
}

/// Two sessions of one patient on one date that bill a code in common are one visit entered
/// twice, or two visits whose lines a payer denies as duplicates (CARC 18): each session is
/// told of the other.
fn check_duplicates(data: &PracticeData, findings: &mut Vec<Finding>) {
    let mut by_day: BTreeMap<(&str, NaiveDate), Vec<&Record<Session>>> = BTreeMap::new();
    for rec in &data.sessions {
        by_day
            .entry((rec.data.patient.as_str(), rec.data.date))
            .or_default()
            .push(rec);
    }
    for day in by_day.values().filter(|day| day.len() > 1) {
        for rec in day {
            for other in day.iter().filter(|o| o.file != rec.file) {
                if let Some((i, code)) = first_code_in_common(&rec.data, &other.data) {
                    findings.push(
                        Finding::error(
                            "session.duplicate",
                            &rec.file,
                            format!(
                                "session {} ({}) also bills {code} for this patient on {}: a payer pays a code once a day and denies the other as a duplicate; delete the file entered twice, or put both visits' services in one session",
                                other.id,
                                other.file,
                                rec.data.date
                            ),
                        )
                        .at(format!("services[{i}].code")),
                    );
                }
            }
        }
    }
}

/// The first service of `a` (its index and code) whose code `b` bills too.
fn first_code_in_common<'a>(a: &'a Session, b: &Session) -> Option<(usize, &'a str)> {
    a.services.iter().enumerate().find_map(|(i, svc)| {
        b.services
            .iter()
            .any(|o| o.code.as_str().eq_ignore_ascii_case(svc.code.as_str()))
            .then_some((i, svc.code.as_str()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testkit::*;

    fn check_on(as_of: &str, practice: Practice) -> Vec<Finding> {
        practice.check(|data, findings| check(data, date(as_of), findings))
    }

    fn visit(session: &str) -> Vec<Finding> {
        check_on("2026-12-31", Practice::new().session("visit", session))
    }

    #[test]
    fn a_past_visit_whose_times_add_up_is_clean() {
        assert_clean(&visit(""));
        // Services may fill the whole visit.
        assert_clean(&visit(r#"{time_in: "09:00", time_out: "09:30"}"#));
    }

    #[test]
    fn time_out_must_follow_time_in() {
        let inconsistent = [("time.inconsistent", "time_out")];
        assert_codes(
            &visit(r#"{time_in: "10:00", time_out: "09:00"}"#),
            &inconsistent,
        );
        assert_codes(
            &visit(r#"{time_in: "09:00", time_out: "09:00"}"#),
            &inconsistent,
        );
    }

    #[test]
    fn services_cannot_last_longer_than_the_visit() {
        let findings = visit(r#"{time_in: "09:00", time_out: "09:29"}"#);
        assert_codes(&findings, &[("time.inconsistent", "services")]);
        let message = &only(&findings, "time.inconsistent").message;
        assert!(
            message.contains("30 minutes but the visit ran 29"),
            "{message}"
        );
    }

    #[test]
    fn a_date_of_service_after_as_of_is_in_the_future() {
        let practice = || Practice::new().session("visit", "date: 2026-09-15");
        assert_codes(
            &check_on("2026-09-14", practice()),
            &[("date.future", "date")],
        );
        assert_clean(&check_on("2026-09-15", practice()));
    }

    #[test]
    fn the_provider_must_be_licensed_on_the_date_of_service() {
        let licensed_until = |expires: &str| {
            check_on(
                "2026-12-31",
                Practice::new()
                    .provider(&format!("license: {{expires: {expires}}}"))
                    .session("visit", ""),
            )
        };
        assert_codes(
            &licensed_until("2026-09-14"),
            &[("license.expired", "provider")],
        );
        assert_clean(&licensed_until("2026-09-15"));
    }

    #[test]
    fn two_sessions_of_one_day_billing_one_code_are_duplicates() {
        let findings = check_on(
            "2026-12-31",
            Practice::new()
                .session("morning", "")
                .session("copy", r#"{time_in: "14:00", time_out: "15:00"}"#),
        );
        assert_codes(
            &findings,
            &[
                ("session.duplicate", "services[0].code"),
                ("session.duplicate", "services[0].code"),
            ],
        );
        assert_eq!(flagged(&findings, "session.duplicate"), ["copy", "morning"]);
        let on_morning = findings
            .iter()
            .find(|f| f.file.ends_with("morning.yaml"))
            .expect("a finding on the morning session");
        assert!(
            on_morning
                .message
                .contains("session copy (sessions/2026-09/copy.yaml) also bills 97124")
                && on_morning.message.contains("on 2026-09-15")
                && on_morning.message.contains("delete the file entered twice"),
            "{}",
            on_morning.message
        );
    }

    #[test]
    fn the_finding_names_the_first_line_in_common() {
        let findings = check_on(
            "2026-12-31",
            Practice::new()
                .session(
                    "both",
                    r#"services:
                         - {code: "97124", minutes: 30, modifiers: [GP]}
                         - {code: "97140", minutes: 15, modifiers: [GP, XS]}"#,
                )
                .session(
                    "manual",
                    r#"services: [{code: "97140", minutes: 15, modifiers: [GP]}]"#,
                ),
        );
        assert_codes(
            &findings,
            &[
                ("session.duplicate", "services[1].code"),
                ("session.duplicate", "services[0].code"),
            ],
        );
    }

    #[test]
    fn other_days_other_patients_and_other_codes_are_no_duplicates() {
        let clean = check_on(
            "2026-12-31",
            Practice::new()
                .session("first", "")
                .session("next-day", "date: 2026-09-16")
                .session(
                    "afternoon",
                    r#"services: [{code: "97140", minutes: 15, modifiers: [GP]}]"#,
                ),
        );
        assert_clean(&clean);
        let (_dir, data) = Practice::new()
            .file(
                "patients/john.yaml",
                "first_name: John\nlast_name: Doe\ndob: 1979-01-02\nsex: M\naddress: {street: \"12 Elm St\", city: Portland, state: ME, zip: \"04102\"}\nsignature_on_file: true\ncoverages: []\n",
            )
            .session("jane", "")
            .session("john", "{patient: john, referral: ~, authorization: ~}")
            .load();
        let mut findings = Vec::new();
        check(&data, date("2026-12-31"), &mut findings);
        assert_clean(&findings);
    }

    #[test]
    fn a_provider_without_a_recorded_license_is_not_flagged() {
        let findings = check_on(
            "2026-12-31",
            Practice::new().provider("license: ~").session("visit", ""),
        );
        assert_clean(&findings);
    }
}
