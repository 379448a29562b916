//! CO-29, timely filing: when the claim first went out and its reference, against the payer's
//! filing limit, from the claims ledger or the sessions' `billed` dates.

use super::argue::{Argument, Parts};
use super::ctx::{ChecklistCtx, FirstSentCtx};
use super::facts::Facts;

/// CO-29: the date the claim first went out and its reference, against the filing limit.
pub(super) fn timely_filing(f: &Facts<'_>) -> Parts {
    let first = f.ev.first_sent.clone();
    let mut checklist = Vec::new();
    let mut paragraphs = Vec::new();
    let mut enclosures = Vec::new();
    let mut proven = false;
    match &first {
        Some(s) if s.on_time => {
            let how = match s.medium {
                "837p" if !s.interchange.is_empty() => format!(
                    " as an electronic claim (our claim {}, interchange control number {})",
                    s.claim_id, s.interchange
                ),
                "837p" => format!(" as an electronic claim (our claim {})", s.claim_id),
                "paper" => format!(" on paper (our claim {}, item 26)", s.claim_id),
                _ => String::new(),
            };
            let verb = if s.medium == "outside" {
                "first billed these visits"
            } else {
                "first sent this claim"
            };
            paragraphs.push(format!(
                "We {verb} on {}{how}, within your {}-day filing limit: the earliest date of service, {}, could be filed until {}.",
                s.date, s.filing_days, s.earliest_service, s.filing_deadline
            ));
            paragraphs.push(
                "We ask you to reverse the timely-filing denial and process the claim.".to_string(),
            );
            proven = true;
            if !s.claim_id.is_empty() {
                enclosures.push(format!(
                    "Copy of claim {} as sent on {}",
                    s.claim_id, s.date
                ));
            }
            checklist.push(acceptance_item(f, s));
        }
        Some(s) => {
            paragraphs
                .push("We ask you to review the timely-filing denial of this claim.".to_string());
            checklist.push(f.in_session_file(
                "billed",
                format!(
                    "the records show the claim first sent on {}, after the filing limit ended on {}: an appeal needs proof of an earlier submission or of a delay the payer caused",
                    s.date, s.filing_deadline
                ),
            ));
        }
        None => {
            paragraphs
                .push("We ask you to review the timely-filing denial of this claim.".to_string());
            checklist.push(f.in_session_file(
                "billed",
                "nothing on file says when the claim first went out: mark it sent in the ledger (`claimwright claims sent`) or add the date it was billed (`billed`) to the sessions, with its acceptance reference".to_string(),
            ));
        }
    }
    (
        Argument::TimelyFiling { first_sent: first },
        "Timely filing",
        paragraphs,
        enclosures,
        checklist,
        proven,
    )
}

/// The proof of acceptance the ledger does not hold: the clearinghouse's report for an 837P,
/// proof of mailing for paper.
fn acceptance_item(f: &Facts<'_>, s: &FirstSentCtx) -> ChecklistCtx {
    let item = match s.medium {
        "837p" if !s.interchange.is_empty() => format!(
            "attach the clearinghouse's acceptance report (999 or 277CA) for interchange {}: the ledger holds its number, not the report",
            s.interchange
        ),
        "837p" => "the ledger holds no interchange number for the claim: attach the clearinghouse's acceptance report (999 or 277CA)".to_string(),
        "paper" => "a paper claim has no acceptance reference in the ledger: attach proof of mailing or the payer's acknowledgment of receipt".to_string(),
        _ => format!(
            "the visits were billed on {} outside claimwright: attach that claim's acceptance report or proof of mailing",
            s.date
        ),
    };
    match f.ev.other_files.first().filter(|_| !s.claim_id.is_empty()) {
        Some(file) => ChecklistCtx {
            item,
            file: file.clone(),
            field: String::new(),
        },
        None => f.in_session_file("billed", item),
    }
}
