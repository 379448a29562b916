//! The visit itself: times that add up, no date of service in the future, and a rendering
//! provider licensed on the day.

use crate::findings::Finding;
use crate::load::PracticeData;
use chrono::NaiveDate;

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
    fn a_provider_without_a_recorded_license_is_not_flagged() {
        let findings = check_on(
            "2026-12-31",
            Practice::new().provider("license: ~").session("visit", ""),
        );
        assert_clean(&findings);
    }
}
