//! Claims: a patient's month of visits billed to one payer, as format-free data. The paper
//! form and electronic formats are renderers of it; visits with errors are held off it.

mod assemble;

pub use assemble::{claim_id, filing_code, line_control_number, sessions_by_payer};

use super::{Kind, Parts, Prepared, Scope, Subject, screen};
use crate::codes::tax_id::TaxIdType;
use crate::load::PracticeData;
use crate::model::patient::Sex;
use crate::model::{Address, Money, PayerKind};
use chrono::NaiveDate;
use serde::Serialize;

/// The claim kind.
pub const KIND: Kind = Kind {
    name: "claim",
    command: "claim",
    subject: super::SubjectKind::Patient,
    monthly: true,
    drafts: false,
    template: None,
    refused_by: screen::ALL_TOPICS,
    plan: plan_month,
    prepare: prepare_subject,
};

/// A claim's frequency code (CMS-1500 item 22, 837P CLM05-3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// One claim: a patient, a payer, a month.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// Stable id built from patient, payer and month (at most 20 characters).
    pub id: String,
    /// "2026-11".
    pub month: String,
    /// Original, replacement or void.
    pub frequency: Frequency,
    /// Whether the payer billed is the patient's primary or secondary coverage.
    pub priority: crate::model::patient::Priority,
    /// The claim filing indicator (837P SBR09): the payer's own, else its kind's.
    pub claim_filing_code: String,
    /// A dependent with a member id of their own, sent as the subscriber.
    pub own_member_id: bool,
    /// The prior authorization of the claim's visits (one per claim).
    pub authorization: Option<String>,
    /// The referral of the claim's visits (one per claim).
    pub referral: Option<ClaimReferral>,
    /// The payer's number of the claim a replacement or void refers to.
    pub original_claim_number: Option<String>,
    /// The practice, billing under its NPI and tax id.
    pub billing: BillingProvider,
    /// Who is billed.
    pub payer: ClaimPayer,
    /// The patient.
    pub patient: ClaimPatient,
    /// The insured (subscriber, or the employer of a workers' compensation claim).
    pub insured: Insured,
    /// The patient's other coverage, when there is one.
    pub other_coverage: Option<OtherCoverage>,
    /// Whether the condition relates to employment or an accident.
    pub related: Related,
    /// The patient's signature is on file (release of information and assignment).
    pub signature_on_file: bool,
    /// Every diagnosis of the claim, dotted, in first-use order.
    pub diagnoses: Vec<String>,
    /// The visits on the claim, in date order.
    pub visits: Vec<ClaimVisit>,
    /// The service lines, in date order.
    pub lines: Vec<ClaimLine>,
    /// Sum of the lines' charges.
    pub total_charge: Money,
    /// Paid by the patient toward these services.
    pub amount_paid: Money,
    /// The date the claim is signed (the run's `--as-of`).
    pub signed: NaiveDate,
}

/// The billing provider.
#[derive(Debug, Clone, Serialize)]
pub struct BillingProvider {
    /// Practice name.
    pub name: String,
    /// Address.
    pub address: Address,
    /// Phone as written.
    pub phone: String,
    /// Billing NPI.
    pub npi: String,
    /// Tax id, digits only.
    pub tax_id: String,
    /// EIN or SSN.
    pub tax_id_type: TaxIdType,
    /// Taxonomy code.
    pub taxonomy: String,
    /// Accepts assignment.
    pub accept_assignment: bool,
}

/// The payer billed.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimPayer {
    /// Payer id in the practice folder.
    pub id: String,
    /// Name.
    pub name: String,
    /// Electronic payer id, when known.
    pub payer_id: Option<String>,
    /// Kind.
    pub kind: PayerKind,
    /// Claims address.
    pub address: Address,
}

/// The patient.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimPatient {
    /// Patient id in the practice folder.
    pub id: String,
    /// Family name.
    pub last_name: String,
    /// Given name.
    pub first_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// Sex.
    pub sex: Sex,
    /// Address.
    pub address: Address,
    /// Phone, when known.
    pub phone: Option<String>,
}

/// The insured of the coverage billed.
#[derive(Debug, Clone, Serialize)]
pub struct Insured {
    /// The patient's relationship to the insured: self, spouse, child or other.
    pub relationship: &'static str,
    /// Family name.
    pub last_name: String,
    /// Given name.
    pub first_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// Sex.
    pub sex: Sex,
    /// Address.
    pub address: Address,
    /// Member id.
    pub member_id: String,
    /// Group number.
    pub group_number: Option<String>,
    /// Plan name.
    pub plan_name: Option<String>,
    /// The employer, who is the insured of a workers' compensation claim.
    pub employer: Option<Employer>,
}

/// An employer.
#[derive(Debug, Clone, Serialize)]
pub struct Employer {
    /// Name.
    pub name: String,
    /// Address.
    pub address: Address,
    /// Phone, when known.
    pub phone: Option<String>,
}

/// A referral: who referred, and the payer's number for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClaimReferral {
    /// The referring provider.
    pub provider: Clinician,
    /// The payer's referral number, when it issued one.
    pub number: Option<String>,
}

/// The other coverage (secondary when billing the primary, and the reverse).
#[derive(Debug, Clone, Serialize)]
pub struct OtherCoverage {
    /// Payer id in the practice folder.
    pub payer: String,
    /// The other payer's name.
    pub payer_name: String,
    /// The other payer's electronic id, when known.
    pub payer_id: Option<String>,
    /// Primary or secondary.
    pub priority: crate::model::patient::Priority,
    /// Its claim filing indicator (SBR09).
    pub claim_filing_code: String,
    /// The patient's relationship to its insured: self, spouse, child or other.
    pub relationship: &'static str,
    /// Its member id.
    pub member_id: String,
    /// Its group number.
    pub group_number: Option<String>,
    /// The other insured's family name.
    pub last_name: String,
    /// The other insured's given name.
    pub first_name: String,
    /// Group number, else member id.
    pub group_or_member: String,
    /// Plan name, else payer name.
    pub plan: String,
}

/// Employment and accident facts.
#[derive(Debug, Clone, Serialize)]
pub struct Related {
    /// The condition relates to employment (workers' compensation).
    pub employment: bool,
    /// The condition relates to an auto accident.
    pub auto: bool,
    /// State of the accident.
    pub accident_state: Option<String>,
    /// The carrier's claim number of a workers' compensation or auto case.
    pub carrier_claim_number: Option<String>,
    /// Date of injury.
    pub injury_date: Option<NaiveDate>,
}

/// A visit on the claim.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimVisit {
    /// Session id.
    pub session: String,
    /// Date of service.
    pub date: NaiveDate,
    /// The session's diagnoses that its billed lines point to, in the session's order, so
    /// the primary diagnosis stays first.
    pub diagnoses: Vec<String>,
}

/// A rendering provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clinician {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Credentials, e.g. LMT or MD.
    pub credentials: String,
    /// NPI.
    pub npi: String,
    /// Taxonomy code, when known (a rendering provider's).
    pub taxonomy: Option<String>,
}

/// One service line.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimLine {
    /// Session id.
    pub session: String,
    /// 0-based index of the service in the session's `services`.
    pub service_index: usize,
    /// The line's control number (837P REF*6R), by which a remittance names it.
    pub control_number: String,
    /// Date of service.
    pub date: NaiveDate,
    /// Place of service.
    pub place_of_service: String,
    /// CPT/HCPCS code.
    pub code: String,
    /// Up to four modifiers.
    pub modifiers: Vec<String>,
    /// The line's diagnoses, dotted, in pointer order (at most four).
    pub diagnoses: Vec<String>,
    /// Fee x units.
    pub charge: Money,
    /// Units.
    pub units: u32,
    /// Rendering provider, when known.
    pub rendering: Option<Clinician>,
    /// Prior authorization number.
    pub authorization: Option<String>,
    /// Referring provider.
    pub referral: Option<Clinician>,
    /// Paid by the patient at the visit (on the visit's first line, so counted once).
    pub paid: Money,
}

fn plan_month<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<Subject<'a>> {
    super::patients_seen(data, scope)
        .into_iter()
        .map(Subject::Patient)
        .collect()
}

fn prepare_subject(data: &PracticeData, subject: Subject<'_>, scope: &Scope<'_>) -> Vec<Prepared> {
    match (subject, scope.month) {
        (Subject::Patient(p), Some(month)) => prepare(data, p, month, scope),
        _ => Vec::new(),
    }
}

/// The claims of `patient` for `month`, one per payer billed. Visits with errors are held
/// off their claim; a claim whose visits are all held keeps no line and is refused.
pub fn prepare(
    data: &PracticeData,
    patient: &crate::load::Record<crate::model::Patient>,
    month: NaiveDate,
    scope: &Scope<'_>,
) -> Vec<Prepared> {
    let mut out = Vec::new();
    for (payer, sessions) in sessions_by_payer(data, &patient.id, month) {
        let mut held = Vec::new();
        let mut billed = Vec::new();
        for s in sessions {
            let mut errors: Vec<crate::findings::Finding> = scope
                .findings
                .errors_on(&s.file, screen::ALL_TOPICS)
                .cloned()
                .collect();
            errors.extend(
                crate::rules::claims::visit_findings(data, s, scope.as_of)
                    .into_iter()
                    .filter(|f| f.severity == crate::findings::Severity::Error),
            );
            if errors.is_empty() {
                billed.push(s);
            } else {
                screen::tidy(&mut errors);
                held.push(super::Held {
                    session: s.id.clone(),
                    file: s.file.clone(),
                    findings: errors,
                });
            }
        }
        for (i, group) in claim_groups(data, &billed).into_iter().enumerate() {
            let held = if i == 0 {
                std::mem::take(&mut held)
            } else {
                Vec::new()
            };
            out.push(prepare_one(
                data,
                patient,
                &payer,
                month,
                i + 1,
                &group,
                held,
                scope,
            ));
        }
    }
    out
}

/// The visits of each claim; one empty claim when every visit is held, so the month's
/// refusal has a document to name.
fn claim_groups<'a>(
    data: &PracticeData,
    billed: &[&'a crate::load::Record<crate::model::Session>],
) -> Vec<Vec<&'a crate::load::Record<crate::model::Session>>> {
    if billed.is_empty() {
        return vec![Vec::new()];
    }
    assemble::group_into_claims(data, billed)
}

/// One claim of the month's visits to `payer`.
#[allow(clippy::too_many_arguments)]
fn prepare_one(
    data: &PracticeData,
    patient: &crate::load::Record<crate::model::Patient>,
    payer: &str,
    month: NaiveDate,
    sequence: usize,
    billed: &[&crate::load::Record<crate::model::Session>],
    held: Vec<super::Held>,
    scope: &Scope<'_>,
) -> Prepared {
    let claim = assemble::assemble(data, patient, payer, month, sequence, billed, scope.as_of);
    let mut inputs = vec!["practice.yaml".to_string(), patient.file.clone()];
    if let Some(p) = data.payers.get(payer) {
        inputs.push(p.file.clone());
    }
    inputs.extend(billed.iter().map(|s| s.file.clone()));
    let mut depends: Vec<String> = held.iter().map(|h| h.file.clone()).collect();
    if let Some(other) = claim
        .other_coverage
        .as_ref()
        .and_then(|o| data.payers.get(&o.payer))
    {
        depends.push(other.file.clone());
    }
    let title = format!(
        "CMS-1500 claim {} for {}, {}",
        claim.id,
        patient.data.full_name(),
        claim.month
    );
    let mut prepared = Prepared::new(
        Parts {
            kind: &KIND,
            name: match sequence {
                1 => format!("{}-{}-{}", patient.id, payer, claim.month),
                n => format!("{}-{}-{}-{n}", patient.id, payer, claim.month),
            },
            title,
            header: super::patient_header(&patient.data),
            source: patient.file.clone(),
            inputs,
        },
        scope.as_of,
        super::Body::Claim(Box::new(claim)),
    )
    .depending_on(depends);
    prepared.findings = crate::rules::claims::claim_findings(data, patient, payer, billed);
    prepared
        .findings
        .extend(super::missing_visits(data, &patient.id, month));
    if billed.is_empty() {
        prepared.findings.push(crate::findings::Finding::error(
            "claim.incomplete",
            patient.file.clone(),
            "every visit of the month is held by its own errors, so there is nothing to claim: fix the visits listed".to_string(),
        ));
    }
    prepared.held = held;
    prepared
}
