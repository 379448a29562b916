//! `practice.yaml`: the practice, its providers, its fee schedule and its hooks.

use super::common::{Address, Code, Money};
use crate::codes::tax_id::TaxIdType;
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The practice: billing provider of every claim.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Practice {
    /// Practice name as printed on claims and letters.
    pub name: String,
    /// EIN (NN-NNNNNNN) or SSN (NNN-NN-NNNN); CMS-1500 item 25.
    pub tax_id: String,
    /// Which kind of number `tax_id` is.
    pub tax_id_type: TaxIdType,
    /// Billing provider NPI (item 33a).
    pub npi: Code,
    /// Billing provider taxonomy, e.g. 225700000X (massage therapist).
    pub taxonomy: Code,
    /// Practice address (item 33; no PO box).
    pub address: Address,
    /// Practice phone.
    pub phone: String,
    /// Default place-of-service code for sessions.
    #[serde(default = "default_place_of_service")]
    pub place_of_service: Code,
    /// Whether the practice accepts assignment (item 27).
    #[serde(default = "default_true")]
    pub accept_assignment: bool,
    /// The practice's charge per unit for each procedure code (item 24F).
    #[serde(default)]
    pub fees: BTreeMap<Code, Money>,
    /// The therapists who render services.
    pub providers: Vec<Provider>,
    /// External programs that may refuse a document before it is written.
    #[serde(default)]
    pub hooks: Vec<Hook>,
    /// Printer offsets for CMS-1500 overlay printing.
    #[serde(default)]
    pub claim_form: ClaimFormSettings,
    /// Electronic claims (837P): who sends and who receives; needed by `--medium 837p`.
    #[serde(default)]
    pub edi: Option<Edi>,
    /// Days after the visit within which its note should be signed.
    #[serde(default = "default_sign_within_days")]
    pub sign_within_days: u32,
    /// Visits need the patient's treatment consent on file (`consent.treatment`).
    #[serde(default)]
    pub requires_consent: bool,
    /// How patient-facing documents write dates and amounts, and their language when the
    /// patient names none: `en-US` (the default) or `es-US`.
    #[serde(default)]
    pub locale: Locale,
}

/// The practice's locale: US dates and amounts, in English or Spanish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
pub enum Locale {
    /// English, United States.
    #[default]
    #[serde(rename = "en-US")]
    EnUs,
    /// Spanish, United States.
    #[serde(rename = "es-US")]
    EsUs,
}

impl Locale {
    /// The language of the locale.
    pub fn language(self) -> super::patient::Language {
        match self {
            Locale::EnUs => super::patient::Language::En,
            Locale::EsUs => super::patient::Language::Es,
        }
    }
}

fn default_sign_within_days() -> u32 {
    14
}

/// The practice's electronic claims settings: its ids with the clearinghouse that receives
/// its 837P files, and who to call about them.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Edi {
    /// The practice's id as sender (ISA06, GS02), given by the clearinghouse.
    pub sender_id: String,
    /// The clearinghouse's id as receiver (ISA08, GS03, 1000B).
    pub receiver_id: String,
    /// The clearinghouse's name (1000B).
    pub receiver_name: String,
    /// The submitter id (1000A); the sender id when absent.
    #[serde(default)]
    pub submitter_id: Option<String>,
    /// ISA05 qualifier of the sender id; ZZ (mutually defined) when absent.
    #[serde(default)]
    pub sender_qualifier: Option<String>,
    /// ISA07 qualifier of the receiver id; ZZ when absent.
    #[serde(default)]
    pub receiver_qualifier: Option<String>,
    /// Who the clearinghouse calls about a file (1000A PER).
    pub contact: EdiContact,
    /// `test` files are marked T in ISA15 and never processed for payment.
    #[serde(default)]
    pub usage: EdiUsage,
}

/// The person the clearinghouse contacts.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EdiContact {
    /// Name.
    pub name: String,
    /// Phone.
    pub phone: String,
    /// Email.
    #[serde(default)]
    pub email: Option<String>,
}

/// Whether files are tests or real claims (ISA15).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EdiUsage {
    /// T: a test file.
    #[default]
    Test,
    /// P: production.
    Production,
}

/// Printer alignment for the pre-printed red CMS-1500 form.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimFormSettings {
    /// Shift right (positive) or left, in inches.
    #[serde(default)]
    pub offset_x_inches: f32,
    /// Shift down (positive) or up, in inches.
    #[serde(default)]
    pub offset_y_inches: f32,
    /// The practice's name as items 32 and 33 print it when the full name is longer than
    /// their boxes (26 and 29 characters), e.g. `Harbor Street Massage`.
    #[serde(default)]
    pub short_name: Option<String>,
}

fn default_place_of_service() -> Code {
    Code("11".to_string())
}

fn default_true() -> bool {
    true
}

/// A rendering provider.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// Id that sessions use in `provider:` and `signed.by`.
    pub id: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Credentials printed after the name, e.g. LMT.
    pub credentials: String,
    /// Rendering provider NPI (item 24J).
    pub npi: Code,
    /// Provider taxonomy code.
    #[serde(default)]
    pub taxonomy: Option<Code>,
    /// State license.
    #[serde(default)]
    pub license: Option<License>,
    /// Codes the provider's state licence allows beyond what the taxonomy covers.
    #[serde(default)]
    pub scope_codes: Vec<Code>,
}

impl Provider {
    /// "Amy Chen, LMT".
    pub fn display_name(&self) -> String {
        format!(
            "{} {}, {}",
            self.first_name, self.last_name, self.credentials
        )
    }
}

/// A state professional license.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct License {
    /// Issuing state.
    pub state: String,
    /// License number.
    pub number: String,
    /// Last day the license is valid.
    pub expires: NaiveDate,
}

/// A program run before a document of the listed kinds is written.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Hook {
    /// Name shown in findings.
    pub name: String,
    /// Program and arguments; a relative program path is resolved from the practice folder.
    pub command: Vec<String>,
    /// Document kinds the hook checks: soap_note, summary, appeal, superbill, claim.
    pub documents: Vec<String>,
}
