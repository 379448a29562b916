//! `payers/<id>.yaml`: an insurer and its billing policies.

use super::common::{Address, Code};
use crate::rules::units::UnitRule;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// An insurer the practice bills.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Payer {
    /// Overrides the file stem as the payer's id.
    #[serde(default)]
    pub id: Option<String>,
    /// Payer name as printed on claims.
    pub name: String,
    /// Electronic payer id.
    #[serde(default)]
    pub payer_id: Option<Code>,
    /// Kind of coverage; decides CMS-1500 item 1 and several rules.
    pub kind: PayerKind,
    /// Where paper claims go.
    pub claims_address: Address,
    /// Where appeals go; the claims address when absent.
    #[serde(default)]
    pub appeals_address: Option<Address>,
    /// How minutes become units.
    pub unit_rule: UnitRule,
    /// When set, every therapy code must carry this modifier (e.g. GP).
    #[serde(default)]
    pub therapy_modifier: Option<Code>,
    /// Days from the date of service to file a claim.
    pub timely_filing_days: u32,
    /// Days from a denial's date to appeal it.
    pub appeal_window_days: u32,
    /// Days after which an unanswered claim is overdue.
    #[serde(default = "default_follow_up_days")]
    pub follow_up_days: u32,
}

fn default_follow_up_days() -> u32 {
    30
}

impl Payer {
    /// The address appeals are sent to.
    pub fn appeals_address(&self) -> &Address {
        self.appeals_address
            .as_ref()
            .unwrap_or(&self.claims_address)
    }
}

/// Kind of payer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PayerKind {
    /// Employer or individual health plan.
    Commercial,
    /// Original Medicare (fee for service).
    Medicare,
    /// Medicare Advantage (Part C) plan.
    MedicareAdvantage,
    /// State Medicaid.
    Medicaid,
    /// Workers' compensation carrier.
    WorkersComp,
    /// Auto, PIP or no-fault carrier.
    Auto,
    /// TRICARE.
    Tricare,
    /// Anything else.
    Other,
}

impl PayerKind {
    /// The YAML word for the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            PayerKind::Commercial => "commercial",
            PayerKind::Medicare => "medicare",
            PayerKind::MedicareAdvantage => "medicare_advantage",
            PayerKind::Medicaid => "medicaid",
            PayerKind::WorkersComp => "workers_comp",
            PayerKind::Auto => "auto",
            PayerKind::Tricare => "tricare",
            PayerKind::Other => "other",
        }
    }
}
