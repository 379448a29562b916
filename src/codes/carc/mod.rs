//! Denial codes: what each Claim Adjustment Reason Code (CARC) means and what an appeal or a
//! corrected claim should argue, attach and fix; the remark codes (RARC) and group codes with them.
//! The tables (`data/carc.tsv`, `data/rarc.tsv`) are compiled in and parsed once on first use.

mod parse;
mod template;
#[cfg(test)]
mod tests;

pub use template::fill;

use parse::{CARC_DATA, RARC_DATA, parse_carcs, parse_rarcs};
use std::sync::OnceLock;

/// What each adjustment group code says about who owes the amount; also the prefixes a reason
/// may carry (`CO-50`). CR is obsolete but still turns up on old remittances.
const GROUP_MEANINGS: [(&str, &str); 5] = [
    (
        "CO",
        "Contractual obligation: the provider writes the amount off and may not bill the patient for it",
    ),
    (
        "PR",
        "Patient responsibility: the patient owes the amount (deductible, coinsurance, copay, or a non-covered service the patient is liable for)",
    ),
    (
        "OA",
        "Other adjustment: used when neither the provider's contract nor the patient accounts for the amount",
    ),
    (
        "PI",
        "Payer-initiated reduction: not the patient's to pay, though no contract with the provider is behind it",
    ),
    (
        "CR",
        "Correction and reversal: a group no longer used since the 5010 remittance format",
    ),
];

/// Every placeholder the templates may use, with what the caller fills it with.
///
/// Values are phrases that slot into a sentence, so the examples show the expected shape.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "referral",
        "the order for the care: `the referral from Ana Ruiz, MD, dated 2026-09-30`",
    ),
    ("referral_date", "the date of that order: `2026-09-30`"),
    (
        "diagnoses",
        "the diagnoses with descriptions: `M54.50 (low back pain) and M62.830 (muscle spasm of back)`",
    ),
    (
        "pain_trend",
        "the change over the visits, as a clause: `pain fell from 8/10 to 4/10 over 6 visits`",
    ),
    (
        "authorization",
        "the authorization: `authorization A-55120 for 12 visits from 2026-10-01 to 2026-12-31`",
    ),
    (
        "visits",
        "the visits counted against the limit: `visits 7 to 9 of the 20 the plan allows in 2026`",
    ),
    (
        "units_rule",
        "the payer's rule for timed units: `the CMS 8-minute rule`",
    ),
    (
        "claim_number",
        "the payer's claim control number: `EV7731002`",
    ),
];

/// What a practice does about an adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Write to the payer and ask it to reverse the decision.
    Appeal,
    /// Correct the claim and resubmit it; not an appeal.
    CorrectedClaim,
    /// The amount is the patient's share (deductible, coinsurance, copay).
    BillPatient,
    /// The amount comes off the account (a contractual reduction, a duplicate).
    WriteOff,
    /// Another payer is liable: a primary plan, workers' compensation, liability or no-fault.
    OtherPayer,
    /// A credentialing or enrollment problem to fix before the claim can be paid.
    FixEnrollment,
}

impl Action {
    /// Every action, in the order the data file's header lists them.
    const ALL: [Action; 6] = [
        Action::Appeal,
        Action::CorrectedClaim,
        Action::BillPatient,
        Action::WriteOff,
        Action::OtherPayer,
        Action::FixEnrollment,
    ];

    /// The name used in the data file and in output (`appeal`, `corrected_claim`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Appeal => "appeal",
            Action::CorrectedClaim => "corrected_claim",
            Action::BillPatient => "bill_patient",
            Action::WriteOff => "write_off",
            Action::OtherPayer => "other_payer",
            Action::FixEnrollment => "fix_enrollment",
        }
    }
}

/// One Claim Adjustment Reason Code and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Carc {
    /// The code without its group, e.g. `50` or `B7`.
    pub code: &'static str,
    /// A plain paraphrase in the project's own words.
    pub meaning: &'static str,
    /// What the practice does about it.
    pub action: Action,
    /// Two to four sentences from the practice to the payer; a template for [`fill`].
    pub argument: &'static str,
    /// Documents to attach, each a template for [`fill`]; may be empty.
    pub enclosures: Vec<&'static str>,
    /// What to check and correct before resubmitting; never empty for a corrected claim.
    pub corrections: Vec<&'static str>,
    /// When an appeal can succeed, and what to do instead.
    pub note: &'static str,
}

/// Every known CARC, in table order.
pub fn all() -> &'static [Carc] {
    static TABLE: OnceLock<Vec<Carc>> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse_carcs(CARC_DATA).expect("data/carc.tsv is well-formed (checked by the tests)")
    })
}

/// The CARC of a reason as remittances and people write it: `50`, `CO-50`, `co50`, `PR 1`, `B7`.
///
/// The group prefix is dropped: the table's guidance is per code, and [`group_meaning`] explains
/// the group.
pub fn lookup(reason: &str) -> Option<&'static Carc> {
    let code = reason_code(reason)?;
    all().iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// Whether an adjustment of `amount_cents`, made on a claim or line that was paid
/// `paid_cents`, is a denial: something the practice can act on (appeal, correct the claim,
/// bill another payer, fix its enrollment). A contractual write-off (CO-45) and the patient's
/// share (PR-1/2/3) are not; nor is an amount the payer gives back (zero or negative). A reason
/// the table does not know is a denial only when nothing was paid, since money is at stake.
pub fn is_denial(reason: &str, amount_cents: i64, paid_cents: i64) -> bool {
    if amount_cents <= 0 {
        return false;
    }
    match lookup(reason) {
        Some(known) => !matches!(known.action, Action::BillPatient | Action::WriteOff),
        None => paid_cents <= 0,
    }
}

/// The plain meaning of a remark code (`N115`, `ma130`), or `None` when the tool does not know it.
pub fn remark(code: &str) -> Option<&'static str> {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        parse_rarcs(RARC_DATA).expect("data/rarc.tsv is well-formed (checked by the tests)")
    });
    let code = code.trim();
    table
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(code))
        .map(|(_, meaning)| *meaning)
}

/// Who owes an amount under an adjustment group code (`CO`, `PR`, `OA`, `PI`, any letter case).
pub fn group_meaning(group: &str) -> &'static str {
    let group = group.trim();
    GROUP_MEANINGS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(group))
        .map_or(
            "An adjustment group the tool does not know; remittances use CO, PR, OA and PI",
            |(_, meaning)| meaning,
        )
}

/// The code part of a reason: trimmed, with a leading group code and its `-` or space removed.
fn reason_code(reason: &str) -> Option<&str> {
    let reason = reason.trim();
    let code = match reason.get(..2) {
        Some(prefix)
            if GROUP_MEANINGS
                .iter()
                .any(|(g, _)| g.eq_ignore_ascii_case(prefix)) =>
        {
            reason[2..].trim_start_matches(['-', ' '])
        }
        _ => reason,
    };
    (!code.is_empty()).then_some(code)
}
