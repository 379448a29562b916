//! Claims: a patient's month of visits billed to one payer, as format-free data. The paper
//! form and electronic formats are renderers of it; visits with errors are held off it.

mod assemble;
mod prepare;

pub use assemble::{Billable, claim_id, filing_code, line_control_number, sessions_by_payer};
pub use prepare::{left_out, prepare, resubmission};

use super::{Kind, Prepared, Scope, Subject, screen};
use crate::codes::tax_id::TaxIdType;
use crate::load::PracticeData;
use crate::model::patient::Sex;
use crate::model::payer::Item1;
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

pub use crate::model::Frequency;

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
    /// The patient's `signature_on_file`, as written; items 12 and 13 follow
    /// `release_signed` and `assignment_signed`, which also read the consent dates.
    pub signature_on_file: bool,
    /// The payer pays the practice: the practice accepts assignment and the coverage assigns
    /// benefits to it (item 27 YES, 837P CLM07 A); otherwise the payer pays the patient.
    pub assigned: bool,
    /// The patient's release of information is signed for every visit of the claim:
    /// `signature_on_file`, or `consent.billing` on or before the first visit (item 12,
    /// 837P CLM09).
    pub release_signed: bool,
    /// Benefits are assigned and the assignment is signed for every visit of the claim, as
    /// the release is (item 13, 837P CLM08).
    pub assignment_signed: bool,
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
    /// The name for boxes too narrow for `name` (`claim_form.short_name`).
    pub short_name: Option<String>,
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
    /// The program the claim names (CMS-1500 item 1): the payer's `item_1`, else its kind's.
    pub program: Item1,
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
    /// What it paid and adjusted, when it is the primary and has answered (a secondary claim).
    pub adjudication: Option<Adjudication>,
    /// The other insured's family name.
    pub last_name: String,
    /// The other insured's given name.
    pub first_name: String,
    /// Group number, else member id.
    pub group_or_member: String,
    /// Plan name, else payer name.
    pub plan: String,
}

/// What another payer decided on the claim: its payment and adjustments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adjudication {
    /// Paid by that payer.
    pub paid: Money,
    /// Its claim-level adjustments.
    pub adjustments: Vec<Adjusted>,
    /// The date of its remittance.
    pub date: Option<NaiveDate>,
}

/// One adjustment another payer made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Adjusted {
    /// CO, PR, OA, PI.
    pub group: String,
    /// Reason code.
    pub reason: String,
    /// Amount.
    pub amount: Money,
}

/// What another payer decided on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineAdjudication {
    /// Paid by that payer for the line.
    pub paid: Money,
    /// Its line adjustments.
    pub adjustments: Vec<Adjusted>,
    /// The date of its remittance.
    pub date: Option<NaiveDate>,
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
    /// What the primary payer decided on the line, on a secondary claim.
    pub primary: Option<LineAdjudication>,
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
