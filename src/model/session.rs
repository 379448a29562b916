//! `sessions/<YYYY-MM>/<id>.yaml`: one treatment session, its SOAP note and billed services.

use super::common::{ClockTime, Code};
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One visit: what was done, for how long, why, and how it is billed.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Session {
    /// Overrides the file stem as the session's id.
    #[serde(default)]
    pub id: Option<String>,
    /// A patients/ id.
    pub patient: String,
    /// A provider id of practice.yaml.
    pub provider: String,
    /// Date of service.
    pub date: NaiveDate,
    /// Arrival on the table.
    pub time_in: ClockTime,
    /// End of the visit.
    pub time_out: ClockTime,
    /// Place of service; the practice's default otherwise.
    #[serde(default)]
    pub place_of_service: Option<Code>,
    /// Payer id of the coverage billed; the primary coverage otherwise.
    #[serde(default)]
    pub coverage: Option<String>,
    /// Referral id, when the coverage requires one.
    #[serde(default)]
    pub referral: Option<String>,
    /// Authorization number, when the coverage requires one.
    #[serde(default)]
    pub authorization: Option<String>,
    /// ICD-10-CM codes; pointers A, B, ... in this order.
    pub diagnoses: Vec<String>,
    /// Billed services.
    pub services: Vec<Service>,
    /// Pain on a 0-10 scale.
    #[serde(default)]
    pub pain: Option<Pain>,
    /// The note itself.
    pub soap: Soap,
    /// Measurable treatment goals.
    #[serde(default)]
    pub goals: Vec<String>,
    /// Who signed the note, and when.
    #[serde(default)]
    pub signed: Option<Signature>,
    /// What the patient paid at the visit (printed on superbills as proof of payment): an
    /// amount, or `{amount, method, date}`.
    #[serde(default)]
    pub paid: Option<super::Paid>,
    /// This visit's note is a progress report (re-assessment against the plan's goals).
    #[serde(default)]
    pub progress_note: bool,
    /// Techniques used at the visit, in the therapist's words (`[myofascial release, trigger
    /// point release]`); the SOAP note lists them on a line of their own.
    #[serde(default)]
    pub techniques: Vec<String>,
    /// Functional measures taken at the visit (a range of motion, a disability index, a
    /// tolerance); appeals compare the first and latest of each across the visits.
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// The date the visit was billed outside claimwright (before the practice used it): it
    /// is never billed again as a new claim.
    #[serde(default)]
    pub billed: Option<NaiveDate>,
}

/// One billed service line.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Service {
    /// CPT or HCPCS code.
    pub code: Code,
    /// Direct minutes spent on this service.
    pub minutes: u32,
    /// Modifiers, e.g. GP, 59.
    #[serde(default)]
    pub modifiers: Vec<Code>,
    /// Body region treated.
    #[serde(default)]
    pub region: Option<String>,
    /// Letters naming the session's diagnoses (A = first); [A] when absent.
    #[serde(default = "default_pointers")]
    pub diagnosis_pointers: Vec<String>,
    /// Stated units; computed when absent, and must match when given.
    #[serde(default)]
    pub units: Option<u32>,
}

fn default_pointers() -> Vec<String> {
    vec!["A".to_string()]
}

/// Pain before and after treatment.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pain {
    /// Before treatment, 0-10.
    pub before: u8,
    /// After treatment, 0-10.
    pub after: u8,
}

/// One functional measure taken at a visit, e.g. lumbar flexion 45 degrees.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    /// What was measured, e.g. "Lumbar flexion" or "Oswestry disability index"; visits are
    /// compared on the same name and unit.
    pub name: String,
    /// The value measured: a number.
    #[serde(deserialize_with = "finite")]
    pub value: f64,
    /// The unit, e.g. "degrees", "%" or "minutes"; none for a plain score.
    #[serde(default)]
    pub unit: Option<String>,
}

/// A number that is neither infinite nor NaN (YAML writes them `.inf` and `.nan`), since a
/// letter compares values by subtracting them.
fn finite<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let value = f64::deserialize(d)?;
    if value.is_finite() {
        Ok(value)
    } else {
        Err(serde::de::Error::custom(
            "a measure's value must be a finite number",
        ))
    }
}

/// The four sections of a SOAP note.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Soap {
    /// What the patient reports.
    #[serde(default)]
    pub subjective: Option<String>,
    /// What the therapist observed and measured.
    #[serde(default)]
    pub objective: Option<String>,
    /// Response to treatment and progress.
    #[serde(default)]
    pub assessment: Option<String>,
    /// What comes next.
    #[serde(default)]
    pub plan: Option<String>,
}

/// A signature on the note.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Provider id of the signer.
    pub by: String,
    /// Date signed.
    pub date: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_measure_is_a_finite_number_with_an_optional_unit() {
        let m: Measure = serde_yaml::from_str("{name: Lumbar flexion, value: 45}").unwrap();
        assert_eq!(m.value, 45.0);
        assert_eq!(m.unit, None);
        let m: Measure = serde_yaml::from_str("{name: NDI, value: 32.5, unit: '%'}").unwrap();
        assert_eq!(m.value, 32.5);
        for bad in [
            "{name: x, value: .nan}",
            "{name: x, value: .inf}",
            "{name: x, value: ten}",
        ] {
            assert!(serde_yaml::from_str::<Measure>(bad).is_err(), "{bad}");
        }
    }
}
