//! `payers/<id>.yaml`: an insurer and its billing policies.

use super::common::{Address, Code};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::fmt;

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
    /// 837P SBR09 claim filing indicator, when the payer wants another than its kind's.
    #[serde(default)]
    pub claim_filing_code: Option<Code>,
    /// Visits need a plan of care in force (certified within 90 days, dates covered).
    #[serde(default)]
    pub requires_plan_of_care: bool,
    /// CMS-1500 item 1 box, when the payer wants another than its kind's.
    #[serde(default)]
    pub item_1: Option<Item1>,
}

/// The program box checked in CMS-1500 item 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Item1 {
    /// Medicare.
    Medicare,
    /// Medicaid.
    Medicaid,
    /// TRICARE.
    Tricare,
    /// CHAMPVA.
    Champva,
    /// Group health plan.
    Group,
    /// FECA black lung.
    Feca,
    /// Other.
    Other,
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

/// The rule a payer uses to turn minutes of timed codes into units.
///
/// The arithmetic of each rule lives with the figures (`figures::units`); the payer only names
/// the rule it follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitRule {
    /// CMS 8-minute rule: total timed minutes decide the units, shared by largest remainder.
    // serde's snake_case would give "cms8_minute": the digit is not a word boundary to it.
    #[serde(rename = "cms_8_minute")]
    Cms8Minute,
    /// CPT midpoint rule per code: a unit once 8 minutes of a 15-minute unit have passed.
    SubstantialPortion,
    /// One unit per full 15 minutes of each code; leftover minutes earn nothing.
    #[serde(rename = "full_15")]
    Full15,
}

impl UnitRule {
    /// Every rule, in the order the YAML documentation lists them.
    pub const ALL: [UnitRule; 3] = [
        UnitRule::Cms8Minute,
        UnitRule::SubstantialPortion,
        UnitRule::Full15,
    ];

    /// The rule's name as written in a payer's YAML (`unit_rule:`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitRule::Cms8Minute => "cms_8_minute",
            UnitRule::SubstantialPortion => "substantial_portion",
            UnitRule::Full15 => "full_15",
        }
    }

    /// The rule's name in words, as messages and documents show it ("CMS 8-minute rule").
    pub fn name(self) -> &'static str {
        match self {
            UnitRule::Cms8Minute => "CMS 8-minute rule",
            UnitRule::SubstantialPortion => "per-code midpoint rule",
            UnitRule::Full15 => "full 15-minute units rule",
        }
    }
}

/// Prints the rule's name in words: what people read is never the YAML word.
impl fmt::Display for UnitRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    #[test]
    fn yaml_names_are_exact() {
        for rule in UnitRule::ALL {
            let de: StrDeserializer<'_, DeError> = rule.as_str().into_deserializer();
            assert_eq!(UnitRule::deserialize(de), Ok(rule));
        }
        let de: StrDeserializer<'_, DeError> = "cms8_minute".into_deserializer();
        assert!(UnitRule::deserialize(de).is_err());
        let schema = schemars::schema_for!(UnitRule).as_value().to_string();
        for rule in UnitRule::ALL {
            assert!(
                schema.contains(&format!("\"{}\"", rule.as_str())),
                "{schema}"
            );
        }
        assert!(!schema.contains("cms8_minute") && !schema.contains("full15"));
    }

    #[test]
    fn rules_are_shown_by_their_names() {
        assert_eq!(UnitRule::Cms8Minute.to_string(), "CMS 8-minute rule");
        assert_eq!(
            UnitRule::SubstantialPortion.to_string(),
            "per-code midpoint rule"
        );
        assert_eq!(UnitRule::Full15.to_string(), "full 15-minute units rule");
        for rule in UnitRule::ALL {
            assert!(!rule.name().contains('_'), "{}", rule.name());
        }
    }
}
