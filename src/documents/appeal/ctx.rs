//! The data `appeal.md` sees. Each field is filled from a record that exists, or left empty:
//! the template prints what is there and never decides what the records say.

use super::argue::Argument;
use super::progress::MeasureChange;
use crate::documents::context::{
    AddressCtx, CoverageCtx, DiagnosisCtx, PatientCtx, PracticeCtx, ProviderCtx,
};
use crate::figures::trend::PainTrend;
use crate::model::Money;
use chrono::NaiveDate;
use serde::Serialize;

/// Context of `appeal.md`.
#[derive(Debug, Clone, Serialize)]
pub struct AppealContext {
    /// The practice (the letter's sender).
    pub practice: Option<PracticeCtx>,
    /// The payer and where appeals go.
    pub payer: PayerCtx,
    /// The patient (the letter names them; their record id stays in the practice).
    pub patient: PatientCtx,
    /// The coverage with this payer.
    pub coverage: Option<CoverageCtx>,
    /// How the coverage's benefits were verified with the payer.
    pub verification: Option<VerificationCtx>,
    /// The provider who signs: the rendering provider of the latest denied session.
    pub provider: Option<ProviderCtx>,
    /// The denial's facts.
    pub denial: DenialCtx,
    /// The letter's title.
    pub title: String,
    /// A one-page request to reprocess (an authorization on file, proof of timely filing):
    /// the clinical record is left out.
    pub brief: bool,
    /// `appeal`, `corrected_claim` (a corrected or new claim, see `resubmission`), or `mixed`.
    pub mode: &'static str,
    /// The denial's reasons as the payer gave them, one per reason code, in remittance order.
    pub reasons: Vec<ReasonCtx>,
    /// One argument per reason family the letter answers.
    pub arguments: Vec<ArgumentCtx>,
    /// One list per reason code answered by a corrected or new claim.
    pub corrections: Vec<CorrectionCtx>,
    /// How to send the claim again, when a reason calls for it.
    pub resubmission: Option<ResubmissionCtx>,
    /// Reason codes the letter does not dispute (patient responsibility, write-off...).
    pub other_reasons: Vec<OtherReasonCtx>,
    /// The referral supporting the services.
    pub referral: Option<ReferralCtx>,
    /// The plan of care in force for the services.
    pub plan_of_care: Option<PlanOfCareCtx>,
    /// The authorization covering the services.
    pub authorization: Option<AuthorizationCtx>,
    /// When the claim was first sent, from the claims ledger or the sessions' `billed`.
    pub first_sent: Option<FirstSentCtx>,
    /// The denied sessions.
    pub sessions: Vec<SessionEvidence>,
    /// Diagnoses of the denied sessions.
    pub diagnoses: Vec<DiagnosisCtx>,
    /// The visits the progress figures span: the denied ones and those before them.
    pub episode: EpisodeCtx,
    /// Pain across the episode.
    pub pain_trend: PainTrend,
    /// First and latest value of each functional measure across the episode.
    pub measures: Vec<MeasureChange>,
    /// The measures followed by pain before treatment: the rows of the progress table.
    pub progress: Vec<MeasureChange>,
    /// The goals of the plan of care, else of the latest visit of the episode that set any.
    pub goals: Vec<String>,
    /// The letter's last request, e.g. "Please reprocess the claim and pay the $234.00 this
    /// letter disputes."
    pub closing: String,
    /// What is enclosed, each from a record that exists, without repeats.
    pub enclosures: Vec<String>,
    /// What the practice must still add: printed on the terminal, never in the letter.
    pub checklist: Vec<ChecklistCtx>,
}

/// The payer, addressed for appeals.
#[derive(Debug, Clone, Serialize)]
pub struct PayerCtx {
    /// Name.
    pub name: String,
    /// The payer's kind, e.g. `medicare_advantage`.
    pub kind: &'static str,
    /// Appeals address (the claims address when none is given).
    pub appeals_address: AddressCtx,
    /// Days allowed to appeal.
    pub appeal_window_days: u32,
    /// What the payer calls a first appeal: `redetermination` (Original Medicare) or
    /// `reconsideration`.
    pub appeal_level: &'static str,
}

/// How benefits were verified.
#[derive(Debug, Clone, Serialize)]
pub struct VerificationCtx {
    /// When.
    pub date: NaiveDate,
    /// "by phone", "on the payer's portal", "by an electronic eligibility response".
    pub method: &'static str,
    /// Call reference or transaction id.
    pub reference: String,
    /// Who confirmed it.
    pub representative: String,
}

/// The denial's facts.
#[derive(Debug, Clone, Serialize)]
pub struct DenialCtx {
    /// Id.
    pub id: String,
    /// The payer's claim number.
    pub claim_number: String,
    /// Date of the EOB or remittance.
    pub date: NaiveDate,
    /// Amount billed.
    pub billed: Money,
    /// Amount paid.
    pub paid: Money,
    /// Billed minus paid.
    pub unpaid: Money,
    /// The adjustments this letter disputes.
    pub disputed: Money,
    /// Dates of service on the claim, e.g. "2026-11-03, 2026-11-06".
    pub dates_of_service: String,
    /// Last day to appeal.
    pub deadline: NaiveDate,
    /// Days from the letter's date to the deadline.
    pub days_left: i64,
    /// The adjustments.
    pub adjustments: Vec<AdjustmentCtx>,
    /// Notes from the EOB, or empty.
    pub notes: String,
}

/// One adjustment with its codes explained.
#[derive(Debug, Clone, Serialize)]
pub struct AdjustmentCtx {
    /// "CO-50".
    pub label: String,
    /// Group code meaning.
    pub group_meaning: String,
    /// Reason meaning.
    pub meaning: String,
    /// Remark codes with meanings, e.g. "N115 (...)".
    pub remarks: Vec<String>,
    /// Amount.
    pub amount: Money,
    /// The line it applies to, or empty.
    pub service: String,
}

/// One reason code of the denial, with every line it was applied to.
#[derive(Debug, Clone, Serialize)]
pub struct ReasonCtx {
    /// "CO-50".
    pub label: String,
    /// What the reason code means, or empty when claimwright does not know it.
    pub meaning: String,
    /// The lines and amounts, e.g. "97124 $152.00; 97110 $40.00".
    pub lines: String,
    /// The sum adjusted under this code.
    pub amount: Money,
    /// Remark codes given with it, each once.
    pub remarks: Vec<RemarkCtx>,
    /// The reason family that answers it, e.g. `medical_necessity`.
    pub family: &'static str,
}

/// A remark code and what it means.
#[derive(Debug, Clone, Serialize)]
pub struct RemarkCtx {
    /// "N115".
    pub code: String,
    /// Its meaning, or empty when claimwright does not know it.
    pub meaning: String,
}

/// What the letter argues for one reason family.
#[derive(Debug, Clone, Serialize)]
pub struct ArgumentCtx {
    /// The reason codes answered, e.g. "CO-151, CO-119".
    pub label: String,
    /// What the first code means.
    pub meaning: String,
    /// The family, e.g. `medical_necessity`.
    pub family: &'static str,
    /// A heading, e.g. "Medical necessity (CO-50)".
    pub heading: String,
    /// The argument's paragraphs, every sentence of fact built from a record.
    pub paragraphs: Vec<String>,
    /// The paragraphs as one text.
    pub argument: String,
    /// What the argument encloses.
    pub enclosures: Vec<String>,
    /// The facts the argument rests on, by family.
    pub facts: Argument,
}

/// What to correct for one reason code.
#[derive(Debug, Clone, Serialize)]
pub struct CorrectionCtx {
    /// "CO-16".
    pub label: String,
    /// What the code means.
    pub meaning: String,
    /// What to check and correct.
    pub items: Vec<String>,
}

/// How the claim goes to the payer again.
#[derive(Debug, Clone, Serialize)]
pub struct ResubmissionCtx {
    /// A new claim (the payer returned the original as unprocessable, MA130) rather than a
    /// replacement of it.
    pub new_claim: bool,
    /// The claim frequency code: 1 for a new claim, 7 for a replacement.
    pub frequency: &'static str,
    /// What to send, in a sentence.
    pub instruction: String,
}

/// A reason code the letter does not dispute.
#[derive(Debug, Clone, Serialize)]
pub struct OtherReasonCtx {
    /// "PR-2".
    pub label: String,
    /// What the code means.
    pub meaning: String,
    /// The sum adjusted under it.
    pub amount: Money,
    /// What the practice does about it (for the worksheet; the letter only names the code).
    pub argument: String,
    /// Always empty: nothing is enclosed for a reason not disputed.
    pub enclosures: Vec<String>,
}

/// The referral as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralCtx {
    /// Id.
    pub id: String,
    /// "Rosa Patel, MD".
    pub provider: String,
    /// NPI.
    pub npi: String,
    /// Date.
    pub date: NaiveDate,
    /// Expiry, when known.
    pub expires: Option<NaiveDate>,
    /// Diagnoses on the referral.
    pub diagnoses: Vec<DiagnosisCtx>,
    /// Frequency ordered, or empty.
    pub frequency: String,
    /// Visits ordered.
    pub visits: Option<u32>,
}

/// The plan of care as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct PlanOfCareCtx {
    /// Id.
    pub id: String,
    /// "Anne Gagnon, MD".
    pub certified_by: String,
    /// The certifier's NPI.
    pub npi: String,
    /// Date certified.
    pub certified: NaiveDate,
    /// First day it covers.
    pub start: NaiveDate,
    /// Last day it covers.
    pub end: NaiveDate,
    /// Frequency and duration, or empty.
    pub frequency: String,
    /// Its goals.
    pub goals: Vec<String>,
    /// Every denied date of service falls within it.
    pub covers_denied_dates: bool,
}

/// The authorization as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct AuthorizationCtx {
    /// Number.
    pub number: String,
    /// First day.
    pub start: NaiveDate,
    /// Last day.
    pub end: NaiveDate,
    /// Visits authorized.
    pub visits: Option<u32>,
    /// Codes authorized, or "all codes".
    pub codes: String,
    /// It is from the denying payer and covers every denied date and code.
    pub covers_denied_services: bool,
}

/// When and how the claim first went to the payer.
#[derive(Debug, Clone, Serialize)]
pub struct FirstSentCtx {
    /// The date sent.
    pub date: NaiveDate,
    /// The ledger's claim id, or empty when the visit was billed outside claimwright.
    pub claim_id: String,
    /// `paper`, `837p`, or `outside` (a session's `billed` date).
    pub medium: &'static str,
    /// The 837P interchange control number (ISA13), nine digits, or empty.
    pub interchange: String,
    /// The payer's filing limit in days.
    pub filing_days: u32,
    /// The earliest denied date of service.
    pub earliest_service: NaiveDate,
    /// The last day to file for that date of service.
    pub filing_deadline: NaiveDate,
    /// Sent on or before the filing deadline.
    pub on_time: bool,
}

/// One denied session as evidence.
#[derive(Debug, Clone, Serialize)]
pub struct SessionEvidence {
    /// Id.
    pub id: String,
    /// Date.
    pub date: NaiveDate,
    /// "97124 x 3 (GP), 97140 x 1 (GP 59)".
    pub services: String,
    /// "97124 30 min (2 units, GP), 97110 8 min (1 unit, GP)".
    pub timed: String,
    /// Minutes of service.
    pub minutes: u32,
    /// Pain before, when recorded.
    pub pain_before: Option<u8>,
    /// Pain after, when recorded.
    pub pain_after: Option<u8>,
    /// The objective findings.
    pub objective: String,
    /// The assessment.
    pub assessment: String,
}

/// The span of visits progress is measured over.
#[derive(Debug, Clone, Serialize)]
pub struct EpisodeCtx {
    /// First visit.
    pub first: Option<NaiveDate>,
    /// Last visit: the latest denied one.
    pub last: Option<NaiveDate>,
    /// Number of visits.
    pub visits: usize,
}

/// One thing the practice must add before sending.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistCtx {
    /// What to add, and why.
    pub item: String,
    /// The practice file to add it to.
    pub file: String,
    /// The field to fill, or empty.
    pub field: String,
}
