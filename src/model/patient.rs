//! `patients/<id>.yaml`: a patient with coverages, referrals and authorizations.

use super::common::{Address, Code, Money, Rate};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A patient of the practice.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Patient {
    /// Overrides the file stem as the patient's id.
    #[serde(default)]
    pub id: Option<String>,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// F, M or U.
    pub sex: Sex,
    /// Home address.
    pub address: Address,
    /// Phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// A signed release and assignment is on file (items 12 and 13).
    #[serde(default)]
    pub signature_on_file: bool,
    /// Insurance coverages, primary first.
    pub coverages: Vec<Coverage>,
    /// Physician referrals or prescriptions for massage.
    #[serde(default)]
    pub referrals: Vec<Referral>,
    /// Payer pre-authorizations.
    #[serde(default)]
    pub authorizations: Vec<Authorization>,
    /// Plans of care certified by a physician or other practitioner.
    #[serde(default)]
    pub plans_of_care: Vec<PlanOfCare>,
    /// When the patient signed consent to treatment and to billing.
    #[serde(default)]
    pub consent: Option<Consent>,
    /// The language of the patient's summary, statement and superbill: `en` or `es`; the
    /// practice's `locale` decides when absent.
    #[serde(default)]
    pub language: Option<Language>,
}

/// A language the patient-facing documents are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// English.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Language {
    /// `en` or `es`, the code the templates' file names carry.
    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Es => "es",
        }
    }
}

impl Patient {
    /// "Jane Doe".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The coverage with `payer` (or, without one, the primary coverage) that is in force on
    /// `date`; when none is in force, the first such coverage, so rules can say it lapsed.
    pub fn coverage_on(&self, payer: Option<&str>, date: NaiveDate) -> Option<&Coverage> {
        let candidates: Vec<&Coverage> = match payer {
            Some(p) => self.coverages.iter().filter(|c| c.payer == p).collect(),
            None => {
                let primary: Vec<&Coverage> = self
                    .coverages
                    .iter()
                    .filter(|c| c.priority == Priority::Primary)
                    .collect();
                if primary.is_empty() {
                    self.coverages.iter().collect()
                } else {
                    primary
                }
            }
        };
        candidates
            .iter()
            .find(|c| c.active_on(date))
            .or(candidates.first())
            .copied()
    }
}

/// Sex as the claim form records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Sex {
    /// Female.
    F,
    /// Male.
    M,
    /// Unknown or not reported.
    U,
}

/// One insurance coverage of the patient.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    /// A payers/ id.
    pub payer: String,
    /// Primary or secondary.
    pub priority: Priority,
    /// Member id exactly as on the card (item 1a).
    pub member_id: String,
    /// Group number (item 11).
    #[serde(default)]
    pub group_number: Option<Code>,
    /// Plan name (item 11c).
    #[serde(default)]
    pub plan_name: Option<String>,
    /// Who holds the policy.
    pub subscriber: Subscriber,
    /// First day of coverage.
    pub effective: NaiveDate,
    /// Last day of coverage, when known.
    #[serde(default)]
    pub terminates: Option<NaiveDate>,
    /// In or out of the payer's network.
    #[serde(default)]
    pub network: Network,
    /// How and when benefits were confirmed.
    #[serde(default)]
    pub verification: Option<Verification>,
    /// What the plan pays for massage.
    pub benefits: Benefits,
    /// Workers' compensation or auto claim number (item 11b, qualifier Y4).
    #[serde(default)]
    pub claim_number: Option<String>,
    /// Date of injury or accident (item 14), for workers' compensation and auto.
    #[serde(default)]
    pub injury_date: Option<NaiveDate>,
    /// State of an auto accident (item 10b).
    #[serde(default)]
    pub accident_state: Option<String>,
    /// Employer, the insured on a workers' compensation claim (items 4 and 7).
    #[serde(default)]
    pub employer: Option<Employer>,
    /// The patient, though a dependent, has a member id of their own and is sent to the
    /// payer as the subscriber (837P).
    #[serde(default)]
    pub own_member_id: bool,
    /// Benefits are assigned to the practice (item 13, item 27, 837P CLM07/CLM08); true in
    /// network and false out of network when absent.
    #[serde(default)]
    pub assign_benefits: Option<bool>,
}

impl Coverage {
    /// The date `visits_used_before` was counted on: when benefits were verified, else
    /// `as_of`. Without `plan_year_start`, it says which plan year those visits belong to.
    pub fn used_before_anchor(&self, as_of: NaiveDate) -> NaiveDate {
        self.verification.as_ref().map_or(as_of, |v| v.date)
    }

    /// Whether the payer pays the practice: `assign_benefits`, else true in network only.
    pub fn assigns_benefits(&self) -> bool {
        self.assign_benefits.unwrap_or(self.network == Network::In)
    }

    /// True when the coverage is in force on `date`.
    pub fn active_on(&self, date: NaiveDate) -> bool {
        date >= self.effective && self.terminates.is_none_or(|t| date <= t)
    }
}

/// An employer, for workers' compensation claims.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Employer {
    /// Employer name.
    pub name: String,
    /// Employer address.
    pub address: Address,
    /// Employer phone.
    #[serde(default)]
    pub phone: Option<String>,
}

/// Primary or secondary coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Billed first.
    Primary,
    /// Billed after the primary has paid.
    Secondary,
}

/// In or out of network.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    /// The practice is contracted with the payer.
    #[default]
    In,
    /// Not contracted: the patient usually files a superbill.
    Out,
}

/// The policy holder: the patient (`self`) or another person.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Subscriber {
    /// The patient holds the policy; written `self`.
    #[schemars(with = "SelfWord")]
    Patient,
    /// Someone else holds it.
    Other(Box<SubscriberPerson>),
}

/// The word `self`, for the schema.
#[derive(JsonSchema)]
#[allow(dead_code)]
enum SelfWord {
    /// The patient is the subscriber.
    #[serde(rename = "self")]
    Itself,
}

impl<'de> Deserialize<'de> for Subscriber {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Subscriber;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "`self`, or the subscriber's relationship, first_name, last_name, dob, sex and address",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Subscriber, E> {
                if v == "self" {
                    Ok(Subscriber::Patient)
                } else {
                    Err(E::custom(
                        "this is not a subscriber: write `self`, or the subscriber's relationship, first_name, last_name, dob, sex and address",
                    ))
                }
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Subscriber, A::Error> {
                // Deserializing the person from the same map keeps serde_yaml's field path
                // and line in any error inside it.
                SubscriberPerson::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(|p| Subscriber::Other(Box::new(p)))
            }
        }
        d.deserialize_any(V)
    }
}

/// A subscriber who is not the patient.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubscriberPerson {
    /// The patient's relationship to the subscriber.
    pub relationship: Relationship,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// F, M or U.
    pub sex: Sex,
    /// Address.
    pub address: Address,
}

/// Relationship of the patient to the subscriber (item 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Relationship {
    /// Spouse.
    Spouse,
    /// Child.
    Child,
    /// Anyone else.
    Other,
}

/// A record of how benefits were confirmed with the payer.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verification {
    /// When.
    pub date: NaiveDate,
    /// How.
    pub method: VerificationMethod,
    /// Call reference or transaction id.
    pub reference: String,
    /// Who confirmed it at the payer.
    pub representative: String,
}

/// How benefits were confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum VerificationMethod {
    /// A call to the payer.
    Phone,
    /// The payer's web portal.
    Portal,
    /// An electronic eligibility response (271).
    EligibilityResponse,
}

/// What the plan pays for massage and manual therapy.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Benefits {
    /// Whether massage is a covered benefit.
    pub massage_covered: bool,
    /// First day of the plan year; January 1 of the date of service's year when absent.
    #[serde(default)]
    pub plan_year_start: Option<NaiveDate>,
    /// Visits allowed per plan year; no limit when absent.
    #[serde(default)]
    pub visits_per_year: Option<u32>,
    /// Visits used this plan year that are not in sessions/.
    #[serde(default)]
    pub visits_used_before: u32,
    /// Longest visit the plan pays for, in minutes.
    #[serde(default)]
    pub max_minutes_per_visit: Option<u32>,
    /// A physician referral is needed for each session.
    pub requires_referral: bool,
    /// A payer pre-authorization is needed for each session.
    pub requires_preauth: bool,
    /// Copay per visit.
    #[serde(default)]
    pub copay: Money,
    /// Patient's share after the deductible.
    #[serde(default)]
    pub coinsurance: Rate,
    /// Yearly deductible.
    #[serde(default)]
    pub deductible: Money,
    /// Deductible met so far.
    #[serde(default)]
    pub deductible_met: Money,
    /// Yearly out-of-pocket maximum.
    #[serde(default)]
    pub out_of_pocket_max: Money,
    /// Out-of-pocket met so far.
    #[serde(default)]
    pub out_of_pocket_met: Money,
    /// Payer's allowed amount per unit, when known.
    #[serde(default)]
    pub allowed: BTreeMap<Code, Money>,
    /// What the plan excludes, in its own words.
    #[serde(default)]
    pub exclusions: Vec<String>,
    /// Procedure codes the plan does not pay, besides massage when `massage_covered` is false.
    #[serde(default)]
    pub not_covered_codes: Vec<Code>,
    /// A visit with a copay skips the deductible: the patient pays the copay and any
    /// coinsurance only. False when absent: the deductible applies to the visit too.
    #[serde(default)]
    pub copay_waives_deductible: bool,
    /// What the coinsurance is a share of: `allowed_less_copay` (the allowed amount less the
    /// copay and the deductible, the default) or `allowed` (less the deductible only).
    #[serde(default)]
    pub coinsurance_base: CoinsuranceBase,
}

/// What the coinsurance percentage applies to, once the deductible is taken.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CoinsuranceBase {
    /// The allowed amount less the copay and the deductible.
    #[default]
    AllowedLessCopay,
    /// The allowed amount less the deductible, the copay left in.
    Allowed,
}

/// A physician's referral or prescription.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Referral {
    /// Id that sessions name in `referral:`.
    pub id: String,
    /// The referring provider (item 17).
    pub referring_provider: ReferringProvider,
    /// Date of the referral.
    pub date: NaiveDate,
    /// Last day the referral is valid.
    #[serde(default)]
    pub expires: Option<NaiveDate>,
    /// Diagnoses on the referral.
    #[serde(default)]
    pub diagnoses: Vec<String>,
    /// Visits the referral allows.
    #[serde(default)]
    pub visits: Option<u32>,
    /// Frequency ordered, e.g. "2x/week for 4 weeks".
    #[serde(default)]
    pub frequency: Option<String>,
    /// The payer's number for the referral (837P REF*9F), distinct from its id here.
    #[serde(default)]
    pub number: Option<String>,
}

/// The physician or other provider who referred the patient.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferringProvider {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Credentials, e.g. MD.
    pub credentials: String,
    /// NPI (item 17b).
    pub npi: Code,
}

/// A plan of care: the treatment a physician or other practitioner certified, for a period.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanOfCare {
    /// Id of the plan, unique for the patient.
    pub id: String,
    /// Who certified it.
    pub certified_by: Certifier,
    /// Date it was certified (signed).
    pub certified: NaiveDate,
    /// First day of treatment it covers.
    pub start: NaiveDate,
    /// Last day of treatment it covers.
    pub end: NaiveDate,
    /// Frequency and duration, e.g. "2x/week for 6 weeks".
    #[serde(default)]
    pub frequency: Option<String>,
    /// Measurable goals of the plan.
    #[serde(default)]
    pub goals: Vec<String>,
}

/// The physician or practitioner who certified a plan of care.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Certifier {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Credentials, e.g. MD, DO, NP.
    pub credentials: String,
    /// NPI.
    pub npi: Code,
}

/// Dates the patient signed consents.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Consent to treatment.
    #[serde(default)]
    pub treatment: Option<NaiveDate>,
    /// Consent to bill insurance: release of information and assignment (items 12 and 13).
    #[serde(default)]
    pub billing: Option<NaiveDate>,
}

/// A payer's pre-authorization.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Authorization {
    /// Authorization number (item 23); sessions name it in `authorization:`.
    pub number: String,
    /// The payer that issued it.
    pub payer: String,
    /// First day covered.
    pub start: NaiveDate,
    /// Last day covered.
    pub end: NaiveDate,
    /// Visits authorized.
    #[serde(default)]
    pub visits: Option<u32>,
    /// Codes authorized; all codes when absent.
    #[serde(default)]
    pub codes: Option<Vec<Code>>,
}

impl Benefits {
    /// First day of the plan year that contains `date`: the anniversary of `plan_year_start`
    /// on or before `date`, else January 1 of `date`'s year.
    pub fn plan_year_containing(&self, date: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let this_year = self.anniversary(date.year()).unwrap_or(date);
        if this_year <= date {
            this_year
        } else {
            self.anniversary(date.year() - 1).unwrap_or(date)
        }
    }

    /// The last day of the plan year that contains `date`: the day before the next
    /// anniversary, computed the same way as the start so the two always meet.
    pub fn plan_year_end(&self, date: NaiveDate) -> NaiveDate {
        use chrono::Datelike;
        let start = self.plan_year_containing(date);
        let next = self.anniversary(start.year() + 1).unwrap_or(start);
        next.pred_opt().unwrap_or(next)
    }

    /// The plan year's first day in `year`: January 1 without `plan_year_start`, and
    /// February 29 falls back to February 28 in other years.
    fn anniversary(&self, year: i32) -> Option<NaiveDate> {
        use chrono::Datelike;
        let Some(start) = self.plan_year_start else {
            return NaiveDate::from_ymd_opt(year, 1, 1);
        };
        NaiveDate::from_ymd_opt(year, start.month(), start.day())
            .or_else(|| NaiveDate::from_ymd_opt(year, start.month(), 28))
    }

    /// Visits used before the records begin that count in the plan year starting `year_start`.
    /// `visits_used_before` belongs to one plan year: the one `plan_year_start` names, or
    /// without it the one containing `anchor` (see [`Coverage::used_before_anchor`]).
    pub fn visits_used_before_in(&self, year_start: NaiveDate, anchor: NaiveDate) -> u32 {
        let counted_in = match self.plan_year_start {
            Some(start) => self.plan_year_containing(start),
            None => self.plan_year_containing(anchor),
        };
        if counted_in == year_start {
            self.visits_used_before
        } else {
            0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscriber_errors_keep_their_path() {
        let ok: Subscriber = serde_yaml::from_str("self").unwrap();
        assert_eq!(ok, Subscriber::Patient);
        let text = "relationship: spouse\nfirst_name: T\nlast_name: H\ndob: 1979-02-30\nsex: M\naddress: {street: s, city: c, state: ME, zip: \"04101\"}\n";
        let err = serde_yaml::from_str::<Subscriber>(text)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("dob:"), "{err}");
        assert!(err.contains("line 4"), "{err}");
        assert!(serde_yaml::from_str::<Subscriber>("spouse").is_err());
    }
}
