//! The visit itself: times that add up, no date of service in the future, and a rendering
//! provider licensed on the day.

use crate::findings::Finding;
use crate::load::PracticeData;
use chrono::NaiveDate;

/// Checks times, dates and licenses of every session.
pub fn check(data: &PracticeData, as_of: NaiveDate, findings: &mut Vec<Finding>) {
    for rec in &data.sessions {
        let s = &rec.data;
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
