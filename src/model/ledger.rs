//! The claims ledger: one file per claim the practice prepared or sent
//! (`claims/<YYYY-MM>/<claim-id>.yaml`), so that nothing sent is ever billed again as new.

use super::common::Money;
use super::patient::Priority;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One claim in the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    /// The claim id (837P CLM01), at most 20 characters; the file is named for it in lower case.
    pub claim_id: String,
    /// A `patients/` id.
    pub patient: String,
    /// A `payers/` id.
    pub payer: String,
    /// The patient's coverage with that payer: primary or secondary.
    pub coverage: Priority,
    /// The month of service, YYYY-MM.
    pub month: String,
    /// How it is sent.
    pub medium: Medium,
    /// 1 original, 7 replacement, 8 void.
    pub frequency: Frequency,
    /// The payer's claim number of the claim a replacement or void replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaces: Option<String>,
    /// Our id of the claim a replacement or void replaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<String>,
    /// The service lines.
    pub lines: Vec<LedgerLine>,
    /// Sum of the lines' charges.
    pub total: Money,
    /// Prepared (may still change) or sent (frozen).
    pub status: LedgerStatus,
    /// The date it was prepared; its files carry this date, never the clock's.
    pub prepared: NaiveDate,
    /// The date it was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent: Option<NaiveDate>,
    /// The file it was written to, relative to the output folder, and its SHA-256.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<OutputFile>,
    /// The interchange control number (ISA13) of the 837P file it went out in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interchange: Option<u32>,
}

/// One service line of a ledger claim.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LedgerLine {
    /// A `sessions/` id.
    pub session: String,
    /// 0-based index of the service in the session's `services`.
    pub service_index: usize,
    /// CPT/HCPCS code.
    pub code: String,
    /// Modifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<String>,
    /// Units.
    pub units: u32,
    /// Charge.
    pub charge: Money,
    /// Date of service.
    pub date: NaiveDate,
    /// Line control number (837P REF*6R).
    pub control_number: String,
    /// The diagnoses the line points to, dotted, in pointer order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnoses: Vec<String>,
    /// The rendering provider's NPI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rendering_npi: Option<String>,
}

/// How a claim is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Medium {
    /// A printed CMS-1500.
    Paper,
    /// An electronic 837P file.
    #[serde(rename = "837p")]
    X837p,
}

/// A claim's frequency code (CMS-1500 item 22, 837P CLM05-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Frequency {
    /// 1: an original claim.
    #[serde(rename = "1")]
    Original,
    /// 7: replaces a claim the payer has.
    #[serde(rename = "7")]
    Replacement,
    /// 8: voids a claim the payer has.
    #[serde(rename = "8")]
    Void,
}

impl Frequency {
    /// The code as printed: 1, 7 or 8.
    pub fn code(self) -> &'static str {
        match self {
            Frequency::Original => "1",
            Frequency::Replacement => "7",
            Frequency::Void => "8",
        }
    }
}

/// Where a claim stands in the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LedgerStatus {
    /// Written, not yet sent: a rerun may rewrite it.
    Prepared,
    /// Sent to the payer: frozen.
    Sent,
}

/// An output file and its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutputFile {
    /// Path.
    pub path: String,
    /// Lowercase hex SHA-256.
    pub sha256: String,
}
