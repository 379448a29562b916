//! Every finding code, declared once, with the topic that decides which documents it refuses.

use super::Finding;

/// What a finding is about; decides which documents it refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    /// The file cannot be read, is badly formed, or names a record that does not exist.
    Record,
    /// The SOAP note itself.
    Note,
    /// What a payer would deny.
    Billing,
    /// Raised while preparing or rendering one document; refuses that document.
    Document,
}

/// The topic of one finding.
pub fn topic(f: &Finding) -> Topic {
    let billing_reference = f.code == "reference.unknown"
        && f.field.as_deref().is_some_and(|p| {
            ["referral", "authorization", "coverage"].iter().any(|x| {
                p == *x || p.starts_with(&format!("{x}.")) || p.starts_with(&format!("{x}["))
            })
        });
    if billing_reference {
        return Topic::Billing;
    }
    match f.code {
        "yaml.syntax"
        | "field.missing"
        | "field.invalid"
        | "field.unknown"
        | "file.empty"
        | "file.encoding"
        | "file.skipped"
        | "file.too_large"
        | "file.unreadable"
        | "id.duplicate"
        | "reference.unknown"
        | "codes.invalid"
        | "icd10.edition_unavailable" => Topic::Record,
        "soap.incomplete" | "soap.vague" | "signature.missing" | "signature.invalid"
        | "time.inconsistent" | "date.future" => Topic::Note,
        "appeal.late" | "hook.refused" | "render.failed" | "output.modified" => Topic::Document,
        _ => Topic::Billing,
    }
}
