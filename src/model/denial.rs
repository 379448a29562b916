//! `denials/<id>.yaml`: a denied claim as read off an EOB or remittance.

use super::common::{Code, Money};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A denial to appeal or correct.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Denial {
    /// Overrides the file stem as the denial's id.
    #[serde(default)]
    pub id: Option<String>,
    /// The payer's claim control number.
    pub claim_number: String,
    /// A patients/ id.
    pub patient: String,
    /// A payers/ id.
    pub payer: String,
    /// Date on the EOB or remittance.
    pub date: NaiveDate,
    /// Session ids on the denied claim.
    #[serde(default)]
    pub sessions: Vec<String>,
    /// Amount billed.
    pub billed: Money,
    /// Amount paid.
    pub paid: Money,
    /// The adjustments the payer made.
    pub adjustments: Vec<Adjustment>,
    /// Free text from the EOB or a call.
    #[serde(default)]
    pub notes: Option<String>,
}

/// One claim adjustment (group code + reason code).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Who owes the amount.
    pub group: GroupCode,
    /// Claim Adjustment Reason Code.
    pub reason: Code,
    /// Remittance Advice Remark Codes.
    #[serde(default)]
    pub remarks: Vec<Code>,
    /// Amount adjusted.
    pub amount: Money,
    /// The procedure code the adjustment applies to.
    #[serde(default)]
    pub service: Option<Code>,
}

/// Claim adjustment group code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum GroupCode {
    /// Contractual obligation.
    CO,
    /// Patient responsibility.
    PR,
    /// Other adjustment.
    OA,
    /// Payer-initiated reduction.
    PI,
}

impl GroupCode {
    /// The two letters.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupCode::CO => "CO",
            GroupCode::PR => "PR",
            GroupCode::OA => "OA",
            GroupCode::PI => "PI",
        }
    }
}
