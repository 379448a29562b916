//! The catalog of finding codes: every code claimwright emits, declared once with its topic,
//! its usual severity and when it fires. The topic decides which documents a finding refuses.

use super::{Finding, Severity};
use Severity::{Error, Warning};
use Topic::{Billing, Document, Note, Record};

/// What a finding is about; decides which documents it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// The file cannot be read or is badly formed, or names a record that does not exist.
    Record,
    /// The SOAP note itself: its sections, wording, signature, times and date.
    Note,
    /// What a payer would deny: codes, units, modifiers, coverage, referrals, identifiers.
    Billing,
    /// Raised while preparing or writing one document, and refusing that document alone.
    Document,
}

/// One declared finding code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The stable code, e.g. `icd10.deleted`.
    pub code: &'static str,
    /// What the finding is about.
    pub topic: Topic,
    /// The usual severity; `when` says "error or warning" for a code that can be either.
    pub severity: Severity,
    /// When the code fires, in a few words.
    pub when: &'static str,
}

const fn code(
    code: &'static str,
    topic: Topic,
    severity: Severity,
    when: &'static str,
) -> CodeInfo {
    CodeInfo {
        code,
        topic,
        severity,
        when,
    }
}

/// Every finding code claimwright emits, in the order the README's table lists them.
pub const CODES: &[CodeInfo] = &[
    // Reading the folder.
    code(
        "yaml.syntax",
        Record,
        Error,
        "the file is not valid YAML: a syntax error, a repeated key, a control character, nesting deeper than 64 levels or aliases that expand it past 4 times its size",
    ),
    code("file.empty", Record, Error, "the file is empty"),
    code(
        "file.encoding",
        Record,
        Error,
        "the file is not UTF-8 text, or holds a NUL byte",
    ),
    code(
        "file.too_large",
        Record,
        Error,
        "the file is over its folder's size limit (256 KiB for a record)",
    ),
    code(
        "file.unreadable",
        Record,
        Error,
        "a `.yaml` name is a folder, or a file or folder entry cannot be read",
    ),
    code(
        "file.skipped",
        Record,
        Warning,
        "a file claimwright reads, or a folder, is a symbolic link (not followed) or not a regular file (a named pipe, device or socket: never opened)",
    ),
    code(
        "field.missing",
        Record,
        Error,
        "a required field is absent, or a session lists no diagnosis or no service",
    ),
    code(
        "field.invalid",
        Record,
        Error,
        "a field has the wrong form or an impossible value (a date, an id, pain over 10, minutes longer than a day, a state that is no USPS code, a ZIP of other than 5 or 9 digits, a phone of other than 10)",
    ),
    code(
        "field.unknown",
        Record,
        Error,
        "a field the record does not have (the message names the closest known one)",
    ),
    code(
        "reference.unknown",
        Record,
        Error,
        "an id names no patient, provider, payer, coverage, referral or authorization",
    ),
    code(
        "id.duplicate",
        Record,
        Error,
        "two records, or two providers, share an id",
    ),
    code(
        "codes.invalid",
        Record,
        Error,
        "a file in `codes/` is not a CMS ICD-10-CM order file",
    ),
    code(
        "icd10.edition_unavailable",
        Record,
        Warning,
        "no ICD-10-CM table covers a date of service, so codes were checked against the newest (reported once)",
    ),
    // Codes.
    code(
        "icd10.unknown",
        Billing,
        Error,
        "a diagnosis is not an ICD-10-CM code",
    ),
    code(
        "icd10.deleted",
        Billing,
        Error,
        "a diagnosis was no longer valid on the date of service",
    ),
    code(
        "icd10.not_billable",
        Billing,
        Error,
        "a diagnosis is a category, not a billable code",
    ),
    code(
        "diagnosis.pointer_invalid",
        Billing,
        Error,
        "a line points at no diagnosis, at one the session does not list, at one twice, or at more than 4",
    ),
    code(
        "diagnosis.too_many",
        Billing,
        Error,
        "a session lists more than the 12 diagnoses a claim holds",
    ),
    code(
        "diagnosis.external_cause_primary",
        Billing,
        Error,
        "an external-cause code (V00-Y99) is the first diagnosis, or the first a line points at",
    ),
    code(
        "procedure.unknown",
        Billing,
        Error,
        "a service code is not a procedure code claimwright knows",
    ),
    code(
        "procedure.not_payable",
        Billing,
        Error,
        "a code not valid for Medicare (status I, e.g. 97014, which Medicare pays as G0283) billed to a Medicare or Medicare Advantage plan",
    ),
    code(
        "procedure.bundled",
        Billing,
        Warning,
        "a code Medicare bundles (status B, e.g. 97010) billed to a Medicare or Medicare Advantage plan, which pays nothing for it",
    ),
    // Service lines.
    code(
        "units.mismatch",
        Billing,
        Error,
        "stated units differ from what the payer's unit rule gives the minutes",
    ),
    code(
        "units.zero",
        Billing,
        Error,
        "a timed line earns no unit and does not say `units: 0`",
    ),
    code(
        "units.tie",
        Billing,
        Warning,
        "under the CMS 8-minute rule, codes tie for the day's last unit and the one the claim leaves without a unit could as well have it: state `units:` on each line to choose",
    ),
    code(
        "ncci.modifier_required",
        Billing,
        Error,
        "an NCCI pair is billed without 59, XE, XS, XP or XU on the column-2 code",
    ),
    code(
        "ncci.bundled",
        Billing,
        Error,
        "an NCCI pair that no modifier can unbundle is billed on one day",
    ),
    code(
        "modifier.required",
        Billing,
        Error,
        "a timed therapy code lacks the payer's therapy modifier",
    ),
    code(
        "modifier.conflict",
        Billing,
        Error,
        "modifiers on one line exclude each other",
    ),
    code(
        "modifier.unknown",
        Billing,
        Warning,
        "a modifier claimwright does not know",
    ),
    code(
        "fee.missing",
        Billing,
        Warning,
        "the practice has no fee for a billed code: error or warning, a warning when validating and an error on a claim",
    ),
    // Identifiers.
    code(
        "npi.invalid",
        Billing,
        Error,
        "an NPI is not 10 digits or fails its check digit",
    ),
    code(
        "tax_id.invalid",
        Billing,
        Error,
        "the tax id does not have the form of its type (EIN or SSN)",
    ),
    code(
        "tax_id.placeholder",
        Billing,
        Warning,
        "the tax id looks like a placeholder (one digit repeated, or 123456789)",
    ),
    code(
        "place_of_service.unknown",
        Billing,
        Error,
        "a place of service is not a CMS place-of-service code",
    ),
    code(
        "place_of_service.invalid_for_code",
        Billing,
        Error,
        "a hands-on code is billed with a telehealth place of service (02 or 10)",
    ),
    // Referrals and authorizations.
    code(
        "referral.missing",
        Billing,
        Error,
        "the coverage requires a referral and the session names none",
    ),
    code(
        "referral.expired",
        Billing,
        Error,
        "the date of service is outside the referral's dates",
    ),
    code(
        "referral.visits_exceeded",
        Billing,
        Error,
        "the session is past the referral's visits, counted in date order",
    ),
    code(
        "authorization.missing",
        Billing,
        Error,
        "the coverage requires pre-authorization and the session names none, or names one from another payer",
    ),
    code(
        "authorization.expired",
        Billing,
        Error,
        "the date of service is outside the authorization's dates",
    ),
    code(
        "authorization.visits_exceeded",
        Billing,
        Error,
        "the session is past the authorization's visits, counted in date order",
    ),
    code(
        "authorization.code_not_covered",
        Billing,
        Error,
        "a billed code is not among the codes the authorization covers",
    ),
    // Coverage and benefits.
    code(
        "coverage.inactive",
        Billing,
        Error,
        "the date of service is outside the coverage's dates",
    ),
    code(
        "coverage.primary_pending",
        Billing,
        Error,
        "a visit bills a secondary coverage before the primary in force has answered it",
    ),
    code(
        "coverage.missing",
        Billing,
        Warning,
        "the patient has no coverage: notes render, no claim is made",
    ),
    code(
        "benefit.not_covered",
        Billing,
        Error,
        "a billed code the plan does not pay: massage (97124) when `massage_covered` is false, or a code of `not_covered_codes`",
    ),
    code(
        "benefit.visit_limit",
        Billing,
        Error,
        "the session is past the plan year's visits (counting `visits_used_before`)",
    ),
    code(
        "benefit.minutes_exceeded",
        Billing,
        Warning,
        "the services take more minutes than the plan pays a visit: the plan is billed the units of its maximum, the rest go to the patient at the practice's fee",
    ),
    code(
        "license.expired",
        Billing,
        Error,
        "the rendering provider's license had expired on the date of service",
    ),
    code(
        "provider.not_eligible",
        Billing,
        Error,
        "a massage therapist (taxonomy 225700000X) bills Original Medicare",
    ),
    // Plans of care and consent.
    code(
        "plan_of_care.missing",
        Billing,
        Error,
        "the payer requires a plan of care and no plan of the patient covers the date of service",
    ),
    code(
        "plan_of_care.expired",
        Billing,
        Error,
        "the payer requires a plan of care and the patient's plan ended before the date of service, or was certified more than 90 days before it",
    ),
    code(
        "progress_note.due",
        Billing,
        Warning,
        "a visit under a plan of care is the 10th treatment day or later since the last progress report, and its note is not one",
    ),
    code(
        "consent.missing",
        Billing,
        Error,
        "the practice requires consent to treatment and the patient has none on file, or signed it after the visit",
    ),
    code(
        "provider.scope",
        Billing,
        Warning,
        "a code outside what the rendering provider's taxonomy usually bills, and not among the provider's `scope_codes`",
    ),
    code(
        "session.duplicate",
        Billing,
        Error,
        "two sessions of one patient on one date bill a code in common (reported on each)",
    ),
    // The visit and the note.
    code(
        "time.inconsistent",
        Note,
        Error,
        "time_out is not after time_in, or the services run longer than the visit",
    ),
    code(
        "date.future",
        Note,
        Error,
        "the date of service is after `--as-of`",
    ),
    code("soap.incomplete", Note, Error, "a SOAP section is empty"),
    code(
        "soap.vague",
        Note,
        Warning,
        "wording payers reject as comfort care (stress, relaxation, wellness, pampering, spa)",
    ),
    code("signature.missing", Note, Error, "the note is not signed"),
    code(
        "signature.invalid",
        Note,
        Error,
        "the note is signed by someone other than the rendering provider, before the date of service, or after `--as-of`",
    ),
    code(
        "signature.late",
        Note,
        Warning,
        "the note was signed more days after the visit than the practice's `sign_within_days`",
    ),
    // Preparing documents.
    code(
        "filing.late",
        Billing,
        Error,
        "a claim's date of service is past the payer's timely-filing window",
    ),
    code(
        "claim.changed_after_submission",
        Billing,
        Warning,
        "a session's service line went out on a sent claim and has changed since: send a corrected claim",
    ),
    code(
        "claim.incomplete",
        Billing,
        Error,
        "error or warning: a session file of the claim's or superbill's month could not be read (error), or a workers' compensation or auto coverage lacks its employer, claim number or accident state (warning)",
    ),
    code(
        "claim.value_too_long",
        Billing,
        Error,
        "an identifier does not fit its CMS-1500 box",
    ),
    code(
        "claim.value_shortened",
        Billing,
        Warning,
        "other text was shortened to fit its CMS-1500 box",
    ),
    code(
        "x12.missing",
        Billing,
        Error,
        "an 837P file needs a value the records lack: the practice's `edi` settings, a 9-digit billing ZIP, a payer's `payer_id`, a provider's `taxonomy`",
    ),
    code(
        "x12.invalid",
        Billing,
        Error,
        "an 837P file fails its own check (HL levels, totals, NPIs, modifiers, pointers, counts) and is not written",
    ),
    // Reading 835 remittances.
    code(
        "remit.unreadable",
        Record,
        Error,
        "a file is not an 835 that can be read: not X12 text, no ST*835, segments that do not end with the ISA's terminator, or cut short before its first claim",
    ),
    code(
        "remit.envelope",
        Billing,
        Warning,
        "an 835 is read despite a defect of form: no or a malformed envelope, control numbers or counts that disagree, `>` inside composites while ISA16 says otherwise, a file cut short, a value that is not an amount or a date",
    ),
    code(
        "remit.unbalanced",
        Billing,
        Warning,
        "an 835's amounts do not add up: BPR02 against the claims paid and PLB, a claim's or line's charge less payment against its adjustments, CLP05 against the PR adjustments",
    ),
    code(
        "remit.unmatched_claim",
        Billing,
        Warning,
        "an imported 835 answers a claim the ledger does not know (kept in the remittance record, unmatched)",
    ),
    code(
        "remit.unknown_reason",
        Billing,
        Warning,
        "an imported 835 adjusts with a reason code the tool's table does not know; with nothing paid it counts as a denial",
    ),
    code(
        "remit.other_payee",
        Billing,
        Warning,
        "an imported 835 pays another provider's NPI than the practice's: nothing of that payment is posted",
    ),
    code(
        "appeal.late",
        Document,
        Error,
        "the payer's appeal window for the denial has closed",
    ),
    // A superbill of visits the practice bills in network: the patient must not claim them.
    code(
        "superbill.in_network",
        Document,
        Warning,
        "a superbill for visits billed in network: the plan is claimed directly",
    ),
    code(
        "appeal.evidence_missing",
        Document,
        Warning,
        "an appeal's argument needs a record the practice does not hold (a referral or plan of care, measures, an authorization, the claim's first sending): the letter leaves the claim out and names what to add",
    ),
    code(
        "appeal.plan_excludes",
        Document,
        Warning,
        "a service denied as not covered is named by the plan's exclusions or uncovered codes on file: the letter does not claim coverage",
    ),
    code(
        "hook.refused",
        Document,
        Error,
        "a practice hook refused the document, could not start or ran past 10 seconds",
    ),
    code(
        "render.failed",
        Document,
        Error,
        "the batch could not lay a document out (a template error, or a document past 16 MiB or 5 seconds)",
    ),
    code(
        "output.modified",
        Document,
        Error,
        "the batch finds a file changed by hand since it wrote it (pass `--force`)",
    ),
];

/// Fields of a session whose unknown id a payer would deny, not a broken record.
const BILLING_REFERENCES: &[&str] = &["referral", "authorization", "coverage"];

/// The declared entry of `code`, or `None` when the code is not declared.
pub fn info(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

/// Whether `field` is an address's state or ZIP, a phone, or an accident's state: a wrong
/// one is what a payer would deny, and leaves the medical record alone.
fn is_postal_or_phone(field: &str) -> bool {
    let mut parts = field.rsplit('.');
    let last = parts.next().unwrap_or_default();
    let parent = parts.next().unwrap_or_default();
    matches!(last, "phone" | "accident_state")
        || (matches!(last, "state" | "zip") && parent.ends_with("address"))
}

/// The topic of one finding: the code's, except `reference.unknown` on a session's
/// `referral`, `authorization` or `coverage` field, and `field.invalid` on an address's state
/// or ZIP or on a phone, which are Billing.
pub fn topic(f: &Finding) -> Topic {
    if f.code == "reference.unknown"
        && f.file.starts_with("sessions/")
        && f.field
            .as_deref()
            .is_some_and(|field| BILLING_REFERENCES.contains(&field))
    {
        return Topic::Billing;
    }
    if f.code == "field.invalid" && f.field.as_deref().is_some_and(is_postal_or_phone) {
        return Topic::Billing;
    }
    // An undeclared code refuses every document: the safe side when in doubt.
    info(f.code).map_or(Topic::Record, |c| c.topic)
}

#[cfg(test)]
mod tests;
