//! Remittance records: one file per payment a payer sent (an 835 ERA), written by
//! `import 835` into `remittances/<YYYY-MM>/<payer>-<trace>.yaml`, read back like every record.

use super::common::Money;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One payment and the claims it answers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemittanceRecord {
    /// The `payers/` id the payment came from, when one matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer: Option<String>,
    /// The payer's name as the file gives it.
    pub payer_name: String,
    /// The check or EFT trace number (TRN02).
    pub trace: String,
    /// The payment's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// ACH, CHK, NON (no payment)...
    pub method: String,
    /// The amount paid.
    pub amount: Money,
    /// The file it was imported from (its name) and its SHA-256.
    pub source: SourceFile,
    /// The claims it answers.
    pub claims: Vec<RemittedClaim>,
    /// Provider-level adjustments (PLB): interest, recoupments, withholds.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provider_adjustments: Vec<ProviderAdjustment>,
}

/// The file a remittance came from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    /// File name.
    pub name: String,
    /// Lowercase hex SHA-256 of its bytes.
    pub sha256: String,
}

/// What the payer said of one claim (one CLP).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemittedClaim {
    /// Our claim id (CLP01).
    pub claim_id: String,
    /// Whether the ledger knows the claim.
    pub matched: bool,
    /// The payer's claim number (CLP07).
    pub payer_claim_number: String,
    /// CLP02: 1-3 processed, 4 denied, 22 reversal, 19-21 processed and forwarded.
    pub status: String,
    /// Charged.
    pub billed: Money,
    /// Paid.
    pub paid: Money,
    /// The patient's share.
    pub patient_responsibility: Money,
    /// Claim-level adjustments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<RemittedAdjustment>,
    /// Remark codes of the claim (MOA).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
    /// The service lines.
    #[serde(default)]
    pub lines: Vec<RemittedLine>,
}

/// What the payer said of one service line (one SVC).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemittedLine {
    /// The session and service it answers, when matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session: Option<String>,
    /// The service's index in the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_index: Option<usize>,
    /// Line control number (REF*6R), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub control_number: Option<String>,
    /// Procedure code.
    pub code: String,
    /// Modifiers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifiers: Vec<String>,
    /// Date of service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Charged.
    pub billed: Money,
    /// Paid.
    pub paid: Money,
    /// The payer's allowed amount (AMT*B6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Money>,
    /// Line adjustments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<RemittedAdjustment>,
    /// Remark codes (LQ*HE).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remarks: Vec<String>,
}

/// One adjustment (a CAS triplet).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RemittedAdjustment {
    /// CO, PR, OA, PI or CR.
    pub group: String,
    /// Claim Adjustment Reason Code.
    pub reason: String,
    /// Amount (negative for a reversal).
    pub amount: Money,
}

/// A provider-level adjustment (PLB).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProviderAdjustment {
    /// Reason code, e.g. L6 interest, WO overpayment recovery.
    pub reason: String,
    /// The reference it names, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// Amount (positive reduces the payment).
    pub amount: Money,
}
