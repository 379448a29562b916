//! The 835 remittance reader (005010X221A1): each payment with its claims, service lines and
//! adjustments as exact amounts, and notes on whatever was read with a problem. It knows
//! nothing of the practice folder: posting what it reads is the caller's business.

mod balance;
mod envelope;
mod read;
#[cfg(test)]
mod tests;

use super::{ReadError, read_decimal};
use crate::codes::carc;
use crate::findings::Finding;
use crate::model::Money;
use chrono::NaiveDate;
use envelope::{Reader, interchanges};
use std::fmt;

/// One payment (one 835 transaction set: BPR/TRN ... its claims).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Remittance {
    /// The transaction set control number (ST02), which names the payment in notes.
    pub transaction: String,
    /// The payer's name (N1*PR).
    pub payer_name: String,
    /// The payer's id: N1*PR's REF*2U, else TRN03 (the originating company).
    pub payer_id: Option<String>,
    /// The payee's NPI (N1*PE with qualifier XX).
    pub payee_npi: Option<String>,
    /// The check or EFT trace number (TRN02).
    pub trace: String,
    /// The payment date (BPR16), else the production date (DTM*405).
    pub date: Option<NaiveDate>,
    /// How the money moves (BPR04): ACH, CHK, NON (no payment), BOP, FWT.
    pub method: String,
    /// The total paid (BPR02).
    pub amount: Money,
    /// The claims the payment answers, in file order.
    pub claims: Vec<RemitClaim>,
    /// Adjustments to the payment that belong to no claim (PLB): interest, recoupments.
    pub provider_adjustments: Vec<ProviderAdjustment>,
}

/// One claim of a payment (loop 2100).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemitClaim {
    /// The claim id the practice sent (CLP01).
    pub claim_id: String,
    /// The claim status (CLP02): 1-3 processed, 4 denied, 22 reversal, 23 not ours...
    pub status: String,
    /// The amount charged (CLP03).
    pub billed: Money,
    /// The amount paid (CLP04).
    pub paid: Money,
    /// The patient's share (CLP05).
    pub patient_responsibility: Money,
    /// The payer's claim control number (CLP07), quoted in appeals and corrected claims.
    pub payer_claim_number: String,
    /// The patient's last and first name (NM1*QC).
    pub patient_name: Option<(String, String)>,
    /// Adjustments to the claim as a whole (claim-level CAS).
    pub adjustments: Vec<Adjustment>,
    /// Remark codes of the claim (MOA and MIA).
    pub remarks: Vec<String>,
    /// The first and last dates of service (DTM*232 and DTM*233).
    pub service_dates: (Option<NaiveDate>, Option<NaiveDate>),
    /// The service lines, in file order.
    pub lines: Vec<RemitLine>,
}

/// One service line of a claim (loop 2110).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RemitLine {
    /// The procedure code paid (SVC01-2).
    pub code: String,
    /// Its modifiers (SVC01-3 to SVC01-6).
    pub modifiers: Vec<String>,
    /// The amount charged (SVC02).
    pub billed: Money,
    /// The amount paid (SVC03).
    pub paid: Money,
    /// The units paid (SVC05); absent means one.
    pub units: Option<Quantity>,
    /// The code billed, when the payer paid another one (SVC06-2).
    pub original_code: Option<String>,
    /// The date of service (DTM*472, else DTM*150).
    pub date: Option<NaiveDate>,
    /// The line control number the practice sent (REF*6R).
    pub control_number: Option<String>,
    /// The allowed amount (AMT*B6).
    pub allowed: Option<Money>,
    /// Adjustments to the line (line-level CAS).
    pub adjustments: Vec<Adjustment>,
    /// Remark codes of the line (LQ*HE).
    pub remarks: Vec<String>,
}

/// One adjustment: a group, a reason and an amount (one triplet of a CAS segment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Adjustment {
    /// Who owes the amount: CO, PR, OA, PI (CR on old files).
    pub group: String,
    /// The Claim Adjustment Reason Code (CARC), e.g. `45`.
    pub reason: String,
    /// The amount taken off (negative when the payer gives some back).
    pub amount: Money,
    /// The units adjusted, when the payer says.
    pub quantity: Option<Quantity>,
}

/// An adjustment to the payment that belongs to no claim (one pair of a PLB segment).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProviderAdjustment {
    /// The reason (PLB03-1): L6 interest, WO overpayment recovery, CS, CT, FB...
    pub reason: String,
    /// The reference that comes with it (PLB03-2), often the claim it recovers from.
    pub reference: Option<String>,
    /// The amount taken off the payment (negative when added to it).
    pub amount: Money,
}

/// A count read from a remittance (units of service, adjusted units), exact to a thousandth.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quantity(pub i64);

impl Quantity {
    /// Parses `1`, `1.00`, `.5`, `-2` (at most three significant decimals).
    pub fn parse(text: &str) -> Option<Quantity> {
        read_decimal(text, 3).map(Quantity)
    }

    /// The count when it is whole: `Some(2)` for `2.00`.
    pub fn whole(self) -> Option<i64> {
        (self.0 % 1000 == 0).then_some(self.0 / 1000)
    }
}

impl fmt::Display for Quantity {
    /// The shortest form: `2`, `1.5`, `0.125`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, fraction) = (abs / 1000, abs % 1000);
        if fraction == 0 {
            return write!(f, "{sign}{whole}");
        }
        let digits = format!("{fraction:03}");
        write!(f, "{sign}{whole}.{}", digits.trim_end_matches('0'))
    }
}

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoteKind {
    /// The file's form: its envelope, delimiters, segment order, or a value that is not an
    /// amount or a date.
    Envelope,
    /// Amounts that do not add up as the implementation guide requires.
    Unbalanced,
}

/// Something read with a problem: a warning to show, never a reason to drop an amount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What the note is about.
    pub kind: NoteKind,
    /// What was found, naming the transaction set, claim id and line; never a patient's name.
    pub message: String,
}

impl Note {
    /// The finding code of the note: `remit.envelope` or `remit.unbalanced`.
    pub fn code(&self) -> &'static str {
        match self.kind {
            NoteKind::Envelope => "remit.envelope",
            NoteKind::Unbalanced => "remit.unbalanced",
        }
    }

    /// The note as a warning about `file`, for a command that reports findings.
    pub fn finding(&self, file: &str) -> Finding {
        // Spelled out, not `self.code()`, so the catalog's check sees the codes emitted here.
        let code = match self.kind {
            NoteKind::Envelope => "remit.envelope",
            NoteKind::Unbalanced => "remit.unbalanced",
        };
        Finding::warning(code, file, self.message.clone())
    }
}

/// What an 835 file holds: its payments and the notes made while reading them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read {
    /// The payments, one per 835 transaction set, in file order.
    pub remittances: Vec<Remittance>,
    /// What was read with a problem, in file order.
    pub notes: Vec<Note>,
}

/// Why a file is not an 835 that can be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RemitError {
    /// The bytes are not X12 text (not text, empty, an unusable ISA, no segment).
    #[error("{0}")]
    NotX12(#[from] ReadError),
    /// The segments do not end with the terminator the ISA declares.
    #[error(
        "the segments do not end with the terminator `{0}` that the ISA declares, so none can be read"
    )]
    Terminator(char),
    /// The file holds no 835 transaction set.
    #[error("the file holds no 835 remittance (ST*835){}", found_sets(.0))]
    NotRemittance(Vec<String>),
    /// The file ends before its first claim.
    #[error("the file ends before its first claim: it was cut short")]
    Truncated,
}

impl RemitError {
    /// The error as a finding about `file`, for a command that reports findings.
    pub fn finding(&self, file: &str) -> Finding {
        Finding::error("remit.unreadable", file, self.to_string())
    }
}

/// ", only ST*837" for the transaction sets a file holds instead of an 835.
fn found_sets(found: &[String]) -> String {
    if found.is_empty() {
        return String::new();
    }
    let sets: Vec<String> = found.iter().map(|id| format!("ST*{id}")).collect();
    format!(", only {}", sets.join(", "))
}

/// True when `a`, made on a claim or line that was paid `paid`, is a denial: something the
/// practice can act on (appeal, correct the claim, bill another payer, fix its enrollment).
///
/// A contractual write-off (CO-45) and the patient's share (PR-1/2/3) are not; nor is an
/// amount the payer gives back (zero or negative). A reason the CARC table does not know is a
/// denial only when nothing was paid.
pub fn is_denial(a: &Adjustment, paid: Money) -> bool {
    carc::is_denial(&a.reason, a.amount.cents(), paid.cents())
}

impl RemitClaim {
    /// The adjustments of the claim and its lines that are denials, each judged against what
    /// its claim or line was paid.
    pub fn denials(&self) -> Vec<&Adjustment> {
        let on_claim = self.adjustments.iter().filter(|a| is_denial(a, self.paid));
        let on_lines = self
            .lines
            .iter()
            .flat_map(|l| l.adjustments.iter().filter(|a| is_denial(a, l.paid)));
        on_claim.chain(on_lines).collect()
    }

    /// True when the payer denied the claim (CLP02 4) or any adjustment of it is a denial.
    pub fn has_denial(&self) -> bool {
        self.status == "4" || !self.denials().is_empty()
    }
}

/// Reads every 835 payment of `bytes`: several interchanges, groups and transaction sets; a
/// bare ST..SE with no envelope; CR/LF after terminators. What is malformed becomes a note.
pub fn read_835(bytes: &[u8]) -> Result<Read, RemitError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotText)?;
    let text = text.trim_start_matches('\u{feff}').trim();
    if text.is_empty() {
        return Err(ReadError::Empty.into());
    }
    let mut reader = Reader::default();
    let mut previous = None;
    for chunk in interchanges(text) {
        previous = Some(reader.interchange(chunk, previous)?);
    }
    reader.finish()
}
