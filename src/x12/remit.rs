//! The 835 remittance reader (005010X221A1): each payment with its claims, service lines and
//! adjustments as exact amounts, and notes on whatever was read with a problem. It knows
//! nothing of the practice folder: posting what it reads is the caller's business.

use super::{Delimiters, ReadError, Segment, read_amount, read_date, read_decimal, tokenize};
use crate::codes::carc;
use crate::findings::Finding;
use crate::model::Money;
use chrono::NaiveDate;
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
    let mut previous: Option<Delimiters> = None;
    for chunk in interchanges(text) {
        previous = Some(reader.interchange(chunk, previous)?);
    }
    reader.finish()
}

/// `text` cut where each ISA after the first begins, so each interchange is read with the
/// delimiters its own ISA declares.
fn interchanges(text: &str) -> Vec<&str> {
    let mut chunks = Vec::new();
    let mut rest = text;
    loop {
        // A bare transaction set is assumed to end its segments with `~`, as `x12::read` does.
        let terminator = Delimiters::from_isa(rest).map_or('~', |d| d.segment);
        let next = rest
            .match_indices("ISA")
            .map(|(at, _)| at)
            .filter(|&at| at > 0)
            .find(|&at| {
                let before = &rest[..at];
                let bare = before.trim_end_matches(['\r', '\n', ' ', '\t']);
                bare.ends_with(terminator) || before[bare.len()..].contains(terminator)
            });
        match next {
            Some(at) => {
                chunks.push(&rest[..at]);
                rest = &rest[at..];
            }
            None => {
                chunks.push(rest);
                return chunks;
            }
        }
    }
}

/// The state of reading a whole file.
#[derive(Default)]
struct Reader {
    /// The payments read so far.
    remittances: Vec<Remittance>,
    /// The notes made so far.
    notes: Vec<Note>,
    /// The ids of transaction sets that are not 835s (ST01).
    other_sets: Vec<String>,
    /// True when some 835 ended before its SE.
    cut_short: bool,
    /// The terminator declared by an interchange whose text holds an ST*835 that did not
    /// read as a segment of its own.
    hidden_transaction: Option<char>,
}

/// What ends a transaction set.
enum End<'a> {
    /// Its SE.
    Se(&'a Segment),
    /// Another envelope segment (GS, GE, IEA, ST), named by its id.
    Segment(&'a str),
    /// The end of the interchange, with the id of the last segment read.
    File(&'a str),
}

/// A functional group (GS..GE) being read.
struct Group {
    /// GS06.
    control: String,
    /// The transaction sets seen in it.
    sets: usize,
}

impl Reader {
    fn note(&mut self, kind: NoteKind, message: String) {
        self.notes.push(Note { kind, message });
    }

    /// Reads one interchange (or the bare transaction sets of a file without one) and returns
    /// the delimiters it was read with.
    fn interchange(
        &mut self,
        chunk: &str,
        previous: Option<Delimiters>,
    ) -> Result<Delimiters, RemitError> {
        let (delimiters, segments) = if chunk.starts_with("ISA") {
            let delimiters = match (Delimiters::from_isa(chunk), previous) {
                (Some(d), _) => d,
                (None, Some(d)) => {
                    self.note(
                        NoteKind::Envelope,
                        "an ISA's delimiters cannot be told apart: its interchange was read with those of the one before".into(),
                    );
                    d
                }
                (None, None) => return Err(ReadError::BadIsa.into()),
            };
            let isa_length = chunk.find(delimiters.segment).unwrap_or(chunk.len());
            if isa_length != 105 {
                self.note(
                    NoteKind::Envelope,
                    format!(
                        "the ISA is {} characters long, not the fixed 106: its delimiters were found by counting its elements",
                        isa_length + 1
                    ),
                );
            }
            (delimiters, tokenize(chunk, &delimiters))
        } else {
            // Only the first chunk can lack an ISA: `interchanges` cuts where one begins.
            let read = super::read(chunk.as_bytes())?;
            self.note(
                NoteKind::Envelope,
                "the file has no ISA envelope: its transaction sets were read with the standard delimiters".into(),
            );
            read
        };
        self.segments(&segments, &delimiters);
        if !segments.iter().any(|s| s.id.trim() == "ST")
            && chunk.contains(&format!("ST{}835", delimiters.element))
        {
            self.hidden_transaction = Some(delimiters.segment);
        }
        Ok(delimiters)
    }

    /// Reads the segments of one interchange, checking its envelope as it goes.
    fn segments(&mut self, segments: &[Segment], d: &Delimiters) {
        let mut isa: Option<String> = None;
        let mut groups = 0;
        let mut group: Option<Group> = None;
        let mut open: Option<Transaction> = None;
        let mut skipping: Option<String> = None;
        let mut strays = 0;
        for seg in segments {
            // Whitespace after a terminator is not part of the next segment's id.
            match seg.id.trim() {
                "ISA" => isa = Some(seg.get(13).trim().to_string()),
                "IEA" => {
                    self.close(open.take(), End::Segment("IEA"));
                    let control = seg.get(2).trim();
                    match isa.take() {
                        Some(isa13) if isa13 != control => self.note(
                            NoteKind::Envelope,
                            format!("IEA02 `{control}` is not the ISA13 `{isa13}` it closes"),
                        ),
                        Some(_) => {}
                        None => self.note(NoteKind::Envelope, "an IEA closes no ISA".into()),
                    }
                    if seg.get(1).trim() != groups.to_string() {
                        self.note(
                            NoteKind::Envelope,
                            format!(
                                "IEA01 says {} functional groups, the interchange holds {groups}",
                                seg.get(1).trim()
                            ),
                        );
                    }
                }
                "GS" => {
                    self.close(open.take(), End::Segment("GS"));
                    groups += 1;
                    group = Some(Group {
                        control: seg.get(6).trim().to_string(),
                        sets: 0,
                    });
                }
                "GE" => {
                    self.close(open.take(), End::Segment("GE"));
                    let control = seg.get(2).trim();
                    match group.take() {
                        Some(g) => {
                            if g.control != control {
                                self.note(
                                    NoteKind::Envelope,
                                    format!(
                                        "GE02 `{control}` is not the GS06 `{}` it closes",
                                        g.control
                                    ),
                                );
                            }
                            if seg.get(1).trim() != g.sets.to_string() {
                                self.note(
                                    NoteKind::Envelope,
                                    format!(
                                        "GE01 says {} transaction sets, the group holds {}",
                                        seg.get(1).trim(),
                                        g.sets
                                    ),
                                );
                            }
                        }
                        None => self.note(NoteKind::Envelope, "a GE closes no GS".into()),
                    }
                }
                "ST" => {
                    self.close(open.take(), End::Segment("ST"));
                    if let Some(g) = group.as_mut() {
                        g.sets += 1;
                    }
                    skipping = None;
                    let control = seg.get(2).trim().to_string();
                    if seg.get(1).trim() == "835" {
                        open = Some(Transaction::new(control, d.component));
                    } else {
                        let id = seg.get(1).trim().to_string();
                        self.note(
                            NoteKind::Envelope,
                            format!(
                                "transaction set {control} is an ST*{id}, not an 835: not read"
                            ),
                        );
                        self.other_sets.push(id);
                        skipping = Some(control);
                    }
                }
                "SE" => {
                    if open.is_some() {
                        self.close(open.take(), End::Se(seg));
                    } else if skipping.take().is_none() {
                        self.note(NoteKind::Envelope, "an SE closes no ST".into());
                    }
                }
                _ => match open.as_mut() {
                    Some(t) => t.segment(seg),
                    None if skipping.is_some() => {}
                    None => strays += 1,
                },
            }
        }
        if strays > 0 {
            self.note(
                NoteKind::Envelope,
                format!("{strays} segments stand outside any transaction set and were not read"),
            );
        }
        if open.is_some() {
            // The interchange ends inside a transaction set: its GE and IEA are missing too,
            // and one note says so.
            let last = segments.last().map_or("", |s| s.id.as_str());
            self.close(open, End::File(last));
        } else {
            if group.is_some() {
                self.note(NoteKind::Envelope, "a GS has no GE".into());
            }
            if isa.is_some() {
                self.note(NoteKind::Envelope, "the ISA has no IEA".into());
            }
        }
    }

    /// Ends a transaction set: at its SE, which is checked, or where something else ends it.
    fn close(&mut self, open: Option<Transaction>, end: End) {
        let Some(mut t) = open else {
            return;
        };
        let control = t.remit.transaction.clone();
        match end {
            End::Se(se) => {
                t.segments += 1;
                let (count, se02) = (se.get(1).trim(), se.get(2).trim());
                if se02 != control {
                    t.note(
                        NoteKind::Envelope,
                        format!("SE02 `{se02}` is not the ST02 `{control}` it closes"),
                    );
                }
                if count != t.segments.to_string() {
                    let held = t.segments;
                    t.note(
                        NoteKind::Envelope,
                        format!(
                            "transaction {control}: SE01 says {count} segments, the set holds {held}"
                        ),
                    );
                }
            }
            End::Segment(id) => t.note(
                NoteKind::Envelope,
                format!("transaction {control} has no SE: the next {id} ends it"),
            ),
            End::File(last) => {
                self.cut_short = true;
                t.note(
                    NoteKind::Envelope,
                    format!(
                        "transaction {control} ends without its SE (the last segment read is a {last}): the file may be cut short, so its amounts may be incomplete"
                    ),
                );
            }
        }
        let (remit, notes) = t.finish();
        self.remittances.push(remit);
        self.notes.extend(notes);
    }

    /// What the whole file holds, or why it holds no payment.
    fn finish(self) -> Result<Read, RemitError> {
        if self.remittances.is_empty() {
            if self.other_sets.is_empty()
                && let Some(terminator) = self.hidden_transaction
            {
                return Err(RemitError::Terminator(terminator));
            }
            return Err(RemitError::NotRemittance(self.other_sets));
        }
        let nothing_read = self
            .remittances
            .iter()
            .all(|r| r.claims.is_empty() && r.provider_adjustments.is_empty());
        if nothing_read && self.cut_short {
            return Err(RemitError::Truncated);
        }
        Ok(Read {
            remittances: self.remittances,
            notes: self.notes,
        })
    }
}

/// Which party loop of the header (1000A, 1000B) a REF belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Party {
    None,
    Payer,
    Payee,
}

/// One 835 transaction set being read.
struct Transaction {
    remit: Remittance,
    claim: Option<RemitClaim>,
    line: Option<RemitLine>,
    party: Party,
    /// Segments from ST, counted for SE01.
    segments: usize,
    /// The component separator the ISA declares.
    component: char,
    /// Composite elements split on `>` because the declared separator was not in them.
    split_on_angle: usize,
    saw_bpr: bool,
    payment_date: Option<NaiveDate>,
    production_date: Option<NaiveDate>,
    payer_ref: Option<String>,
    originator: Option<String>,
    notes: Vec<Note>,
}

/// The second separator tried inside composites: some senders use it whatever ISA16 says.
const OTHER_COMPONENT: char = '>';

impl Transaction {
    fn new(control: String, component: char) -> Transaction {
        Transaction {
            remit: Remittance {
                transaction: control,
                ..Remittance::default()
            },
            claim: None,
            line: None,
            party: Party::None,
            segments: 1,
            component,
            split_on_angle: 0,
            saw_bpr: false,
            payment_date: None,
            production_date: None,
            payer_ref: None,
            originator: None,
            notes: Vec::new(),
        }
    }

    fn note(&mut self, kind: NoteKind, message: String) {
        self.notes.push(Note { kind, message });
    }

    /// Where the reader is, for notes: the transaction, claim id and line.
    fn place(&self) -> String {
        let mut place = format!("transaction {}", self.remit.transaction);
        if let Some(claim) = &self.claim {
            place.push_str(&format!(", claim {}", claim.claim_id));
            if let Some(line) = &self.line {
                place.push_str(&format!(", line {} ({})", claim.lines.len() + 1, line.code));
            }
        }
        place
    }

    /// Element `n` of `seg` as an amount; an empty element counts as 0, noted when `required`.
    fn amount(&mut self, seg: &Segment, n: usize, required: bool) -> Money {
        let text = seg.get(n).trim();
        if text.is_empty() {
            if required {
                let message = format!("{}: {}{n:02} is empty; counted as 0", self.place(), seg.id);
                self.note(NoteKind::Envelope, message);
            }
            return Money::ZERO;
        }
        read_amount(text).unwrap_or_else(|| {
            let message = format!(
                "{}: {}{n:02} `{text}` is not an amount; counted as 0",
                self.place(),
                seg.id
            );
            self.note(NoteKind::Envelope, message);
            Money::ZERO
        })
    }

    /// Element `n` of `seg` as a quantity, when there is one.
    fn quantity(&mut self, seg: &Segment, n: usize) -> Option<Quantity> {
        let text = seg.get(n).trim();
        if text.is_empty() {
            return None;
        }
        let quantity = Quantity::parse(text);
        if quantity.is_none() {
            let message = format!(
                "{}: {}{n:02} `{text}` is not a quantity; left out",
                self.place(),
                seg.id
            );
            self.note(NoteKind::Envelope, message);
        }
        quantity
    }

    /// Element `n` of `seg` as a CCYYMMDD date, when there is one.
    fn date(&mut self, seg: &Segment, n: usize) -> Option<NaiveDate> {
        let text = seg.get(n).trim();
        if text.is_empty() {
            return None;
        }
        let date = read_date(text);
        if date.is_none() {
            let message = format!(
                "{}: {}{n:02} `{text}` is not a date; left out",
                self.place(),
                seg.id
            );
            self.note(NoteKind::Envelope, message);
        }
        date
    }

    /// The components of composite element `n`: split on the declared separator, or on `>`
    /// when the declared one is not in the element and `>` is.
    fn composite<'s>(&mut self, seg: &'s Segment, n: usize) -> Vec<&'s str> {
        let Some(element) = seg.element(n) else {
            return Vec::new();
        };
        let components: Vec<&str> = element.0.iter().map(String::as_str).collect();
        match components[..] {
            [single] if self.component != OTHER_COMPONENT && single.contains(OTHER_COMPONENT) => {
                self.split_on_angle += 1;
                single.split(OTHER_COMPONENT).collect()
            }
            _ => components,
        }
    }

    fn close_line(&mut self) {
        if let (Some(line), Some(claim)) = (self.line.take(), self.claim.as_mut()) {
            claim.lines.push(line);
        }
    }

    fn close_claim(&mut self) {
        self.close_line();
        if let Some(claim) = self.claim.take() {
            self.remit.claims.push(claim);
        }
    }

    /// Reads one segment between ST and SE.
    fn segment(&mut self, seg: &Segment) {
        self.segments += 1;
        match seg.id.trim() {
            "BPR" => self.bpr(seg),
            "TRN" if self.claim.is_none() && self.remit.trace.is_empty() => {
                self.remit.trace = seg.get(2).trim().to_string();
                self.originator = non_empty(seg.get(3));
            }
            "DTM" => self.dtm(seg),
            "N1" => self.n1(seg),
            "REF" => self.reference(seg),
            "LX" => {
                // A header number starts a new group of claims.
                self.close_claim();
                self.party = Party::None;
            }
            "CLP" => self.clp(seg),
            "CAS" => self.cas(seg),
            "NM1" if seg.get(1).trim() == "QC" && self.line.is_none() => {
                if let Some(claim) = self.claim.as_mut() {
                    let last = seg.get(3).trim();
                    claim.patient_name = (!last.is_empty())
                        .then(|| (last.to_string(), seg.get(4).trim().to_string()));
                }
            }
            "MOA" => self.claim_remarks(seg, &[3, 4, 5, 6, 7]),
            "MIA" => self.claim_remarks(seg, &[5, 20, 21, 22, 23]),
            "SVC" => self.svc(seg),
            "AMT" if seg.get(1).trim() == "B6" && self.line.is_some() => {
                let allowed = self.amount(seg, 2, true);
                if let Some(line) = self.line.as_mut() {
                    line.allowed = Some(allowed);
                }
            }
            "LQ" if seg.get(1).trim() == "HE" => {
                if let (Some(line), Some(code)) = (self.line.as_mut(), non_empty(seg.get(2))) {
                    line.remarks.push(code);
                }
            }
            "PLB" => self.plb(seg),
            _ => {}
        }
    }

    fn bpr(&mut self, seg: &Segment) {
        if self.saw_bpr {
            let message = format!("{}: a second BPR was not read", self.place());
            self.note(NoteKind::Envelope, message);
            return;
        }
        self.saw_bpr = true;
        self.remit.amount = self.amount(seg, 2, true);
        self.remit.method = seg.get(4).trim().to_string();
        self.payment_date = self.date(seg, 16);
    }

    fn dtm(&mut self, seg: &Segment) {
        let qualifier = seg.get(1).trim();
        let wanted = match (self.claim.is_some(), self.line.is_some()) {
            (_, true) => ["472", "150"].contains(&qualifier),
            (true, false) => ["232", "233"].contains(&qualifier),
            (false, _) => qualifier == "405",
        };
        if !wanted {
            return;
        }
        let date = self.date(seg, 2);
        match (qualifier, self.claim.as_mut(), self.line.as_mut()) {
            ("472", _, Some(line)) => line.date = date.or(line.date),
            ("150", _, Some(line)) => line.date = line.date.or(date),
            ("232", Some(claim), None) => claim.service_dates.0 = date,
            ("233", Some(claim), None) => claim.service_dates.1 = date,
            ("405", None, _) => self.production_date = date,
            _ => {}
        }
    }

    fn n1(&mut self, seg: &Segment) {
        self.party = match seg.get(1).trim() {
            "PR" => {
                self.remit.payer_name = seg.get(2).trim().to_string();
                Party::Payer
            }
            "PE" => {
                if seg.get(3).trim() == "XX" {
                    self.remit.payee_npi = non_empty(seg.get(4));
                }
                Party::Payee
            }
            _ => Party::None,
        };
    }

    fn reference(&mut self, seg: &Segment) {
        let qualifier = seg.get(1).trim();
        if let Some(line) = self.line.as_mut() {
            if qualifier == "6R" {
                line.control_number = non_empty(seg.get(2));
            }
        } else if self.claim.is_none() && self.party == Party::Payer && qualifier == "2U" {
            self.payer_ref = non_empty(seg.get(2));
        }
    }

    fn clp(&mut self, seg: &Segment) {
        self.close_claim();
        self.party = Party::None;
        self.claim = Some(RemitClaim {
            claim_id: seg.get(1).trim().to_string(),
            status: seg.get(2).trim().to_string(),
            payer_claim_number: seg.get(7).trim().to_string(),
            ..RemitClaim::default()
        });
        let billed = self.amount(seg, 3, true);
        let paid = self.amount(seg, 4, true);
        let patient_responsibility = self.amount(seg, 5, false);
        if let Some(claim) = self.claim.as_mut() {
            claim.billed = billed;
            claim.paid = paid;
            claim.patient_responsibility = patient_responsibility;
        }
    }

    fn cas(&mut self, seg: &Segment) {
        let group = seg.get(1).trim().to_string();
        let mut adjustments = Vec::new();
        // Up to six reason, amount, quantity triplets follow the group.
        for first in (2..=17).step_by(3) {
            let (reason, amount) = (seg.get(first).trim(), seg.get(first + 1).trim());
            if reason.is_empty() && amount.is_empty() && seg.get(first + 2).trim().is_empty() {
                continue;
            }
            if reason.is_empty() {
                let message = format!(
                    "{}: CAS{:02} holds no reason for the amount that follows",
                    self.place(),
                    first
                );
                self.note(NoteKind::Envelope, message);
            }
            adjustments.push(Adjustment {
                group: group.clone(),
                reason: reason.to_string(),
                amount: self.amount(seg, first + 1, true),
                quantity: self.quantity(seg, first + 2),
            });
        }
        match (self.claim.as_mut(), self.line.as_mut()) {
            (_, Some(line)) => line.adjustments.extend(adjustments),
            (Some(claim), None) => claim.adjustments.extend(adjustments),
            (None, _) => {
                let total = sum(adjustments.iter().map(|a| a.amount));
                let message = format!(
                    "{}: a CAS of {total} stands before any claim and was not read",
                    self.place()
                );
                self.note(NoteKind::Envelope, message);
            }
        }
    }

    fn claim_remarks(&mut self, seg: &Segment, elements: &[usize]) {
        if let Some(claim) = self.claim.as_mut() {
            claim
                .remarks
                .extend(elements.iter().filter_map(|&n| non_empty(seg.get(n))));
        }
    }

    fn svc(&mut self, seg: &Segment) {
        self.close_line();
        if self.claim.is_none() {
            let message = format!(
                "{}: an SVC charging {} stands before any claim and was not read",
                self.place(),
                seg.get(2).trim()
            );
            self.note(NoteKind::Envelope, message);
            return;
        }
        let procedure = self.composite(seg, 1);
        // A code sent without its qualifier (`97124` for `HC:97124`) is still the code.
        let code = match procedure[..] {
            [only] => only,
            _ => procedure.get(1).copied().unwrap_or_default(),
        };
        let original = self.composite(seg, 6);
        let original_code = match original[..] {
            [] => None,
            [only] => non_empty(only),
            _ => original.get(1).and_then(|c| non_empty(c)),
        };
        self.line = Some(RemitLine {
            code: code.trim().to_string(),
            modifiers: procedure
                .iter()
                .skip(2)
                .take(4)
                .filter_map(|m| non_empty(m))
                .collect(),
            original_code,
            ..RemitLine::default()
        });
        if seg.elements.len() > 7 {
            let message = format!(
                "{}: the SVC has {} elements, the guide allows 7; its amounts were read where the guide puts them",
                self.place(),
                seg.elements.len()
            );
            self.note(NoteKind::Envelope, message);
        }
        let billed = self.amount(seg, 2, true);
        let paid = self.amount(seg, 3, true);
        let units = self.quantity(seg, 5);
        if let Some(line) = self.line.as_mut() {
            line.billed = billed;
            line.paid = paid;
            line.units = units;
        }
    }

    fn plb(&mut self, seg: &Segment) {
        self.close_claim();
        // Up to six reason:reference, amount pairs follow the provider and the fiscal date.
        for first in (3..=13).step_by(2) {
            let reason = self.composite(seg, first);
            let amount = seg.get(first + 1).trim();
            let reason_code = reason.first().map_or("", |r| r.trim());
            if reason_code.is_empty() && amount.is_empty() {
                continue;
            }
            if reason_code.is_empty() {
                let message = format!(
                    "{}: PLB{first:02} holds no reason for the amount that follows",
                    self.place()
                );
                self.note(NoteKind::Envelope, message);
            }
            let adjustment = ProviderAdjustment {
                reason: reason_code.to_string(),
                reference: reason.get(1).and_then(|r| non_empty(r)),
                amount: self.amount(seg, first + 1, true),
            };
            self.remit.provider_adjustments.push(adjustment);
        }
    }

    /// The payment as read, with notes on its envelope and on every sum that does not add up.
    fn finish(mut self) -> (Remittance, Vec<Note>) {
        self.close_claim();
        if !self.saw_bpr {
            let message = format!("{}: there is no BPR; the payment counts as 0", self.place());
            self.note(NoteKind::Envelope, message);
        }
        if self.split_on_angle > 0 {
            let (count, uses) = match self.split_on_angle {
                1 => ("1 composite element".to_string(), "uses"),
                n => (format!("{n} composite elements"), "use"),
            };
            let message = format!(
                "transaction {}: {count} {uses} `>` between components while the ISA declares `{}`; read with `>`",
                self.remit.transaction, self.component
            );
            self.note(NoteKind::Envelope, message);
        }
        self.remit.date = self.payment_date.or(self.production_date);
        self.remit.payer_id = self.payer_ref.take().or(self.originator.take());
        let mut notes = self.notes;
        balance(&self.remit, &mut notes);
        (self.remit, notes)
    }
}

/// Notes every sum of `remit` that breaks the guide's balancing rules.
fn balance(remit: &Remittance, notes: &mut Vec<Note>) {
    let mut unbalanced = |message: String| {
        notes.push(Note {
            kind: NoteKind::Unbalanced,
            message,
        });
    };
    let place = format!("transaction {}", remit.transaction);
    let paid = sum(remit.claims.iter().map(|c| c.paid));
    let provider = sum(remit.provider_adjustments.iter().map(|p| p.amount));
    let expected = minus(paid, provider);
    if remit.amount != expected {
        unbalanced(format!(
            "{place}: BPR02 {} is not ΣCLP04 {paid} − ΣPLB {provider} = {expected}",
            remit.amount
        ));
    }
    for claim in &remit.claims {
        let place = format!("{place}, claim {}", claim.claim_id);
        let on_claim = sum(claim.adjustments.iter().map(|a| a.amount));
        let on_lines = sum(claim
            .lines
            .iter()
            .flat_map(|l| l.adjustments.iter().map(|a| a.amount)));
        let difference = minus(claim.billed, claim.paid);
        let adjusted = sum([on_claim, on_lines].into_iter());
        if difference != adjusted {
            unbalanced(format!(
                "{place}: CLP03 {} − CLP04 {} = {difference}, but its adjustments add up to {adjusted} (claim {on_claim}, lines {on_lines})",
                claim.billed, claim.paid
            ));
        }
        let patient = sum(claim
            .adjustments
            .iter()
            .chain(claim.lines.iter().flat_map(|l| l.adjustments.iter()))
            .filter(|a| a.group == "PR")
            .map(|a| a.amount));
        if claim.patient_responsibility != patient {
            unbalanced(format!(
                "{place}: CLP05 {} is not the sum of its PR adjustments, {patient}",
                claim.patient_responsibility
            ));
        }
        for (n, line) in claim.lines.iter().enumerate() {
            let difference = minus(line.billed, line.paid);
            let adjusted = sum(line.adjustments.iter().map(|a| a.amount));
            if difference != adjusted {
                unbalanced(format!(
                    "{place}, line {} ({}): SVC02 {} − SVC03 {} = {difference}, but its adjustments add up to {adjusted}",
                    n + 1,
                    line.code,
                    line.billed,
                    line.paid
                ));
            }
        }
    }
}

/// The sum of `amounts`, held at the bounds of `i64` rather than overflowing.
fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    Money(amounts.fold(0_i64, |total, m| total.saturating_add(m.cents())))
}

/// `a − b`, held at the bounds of `i64` rather than overflowing.
fn minus(a: Money, b: Money) -> Money {
    Money(a.cents().saturating_sub(b.cents()))
}

/// `text` trimmed, when anything is left.
fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adjustment(group: &str, reason: &str, cents: i64) -> Adjustment {
        Adjustment {
            group: group.into(),
            reason: reason.into(),
            amount: Money(cents),
            quantity: None,
        }
    }

    #[test]
    fn denials_are_what_the_practice_can_act_on() {
        let paid = Money(5000);
        let nothing = Money::ZERO;
        // The contract write-off and the patient's share are never denials.
        for (group, reason) in [("CO", "45"), ("PR", "1"), ("PR", "2"), ("PR", "3")] {
            assert!(
                !is_denial(&adjustment(group, reason, 1000), nothing),
                "{group}-{reason}"
            );
        }
        // Appeal (29), corrected claim (16), another payer (26).
        for reason in ["29", "16", "26"] {
            assert!(
                is_denial(&adjustment("CO", reason, 1000), paid),
                "CO-{reason}"
            );
        }
        // A reason the table does not know is a denial only when nothing was paid.
        assert!(is_denial(&adjustment("OA", "A7", 1000), nothing));
        assert!(!is_denial(&adjustment("CO", "A2", 1000), paid));
        // What the payer gives back is not taken away.
        assert!(!is_denial(&adjustment("OA", "94", -900), nothing));
        assert!(!is_denial(&adjustment("CO", "29", -1000), nothing));
    }

    #[test]
    fn quantities_are_exact() {
        let q = |text: &str| Quantity::parse(text).map(|q| q.to_string());
        assert_eq!(q("1.00").as_deref(), Some("1"));
        assert_eq!(q(".5").as_deref(), Some("0.5"));
        assert_eq!(q("-2.125").as_deref(), Some("-2.125"));
        assert_eq!(q("1.2345"), None);
        assert_eq!(Quantity::parse("234").and_then(Quantity::whole), Some(234));
        assert_eq!(Quantity::parse("1.5").and_then(Quantity::whole), None);
    }

    #[test]
    fn interchanges_are_cut_only_where_an_isa_starts_a_segment() {
        let isa = "ISA*00*          *00*          *ZZ*PAYER          *ZZ*PRACTICE       *261215*0900*^*00501*000000001*0*P*:~";
        let other = isa.replace(":~", ">!");
        let text = format!("{isa}NM1*QC*1*MONALISA*ISA~IEA*0*000000001~\r\n{other}GS*HP!IEA*0*1!");
        let chunks = interchanges(&text);
        assert_eq!(chunks.len(), 2);
        assert!(chunks[0].ends_with("IEA*0*000000001~\r\n"));
        assert!(chunks[1].starts_with("ISA") && chunks[1].ends_with("IEA*0*1!"));
        assert_eq!(interchanges("ST*835*1~SE*1*1~"), ["ST*835*1~SE*1*1~"]);
    }

    #[test]
    fn whitespace_after_terminators_is_not_part_of_a_segment() {
        let text = "ST*835*1~ \n\tBPR*I*10*C*CHK~  TRN*1*T1*1999~ CLP*A*1*10*10~  SE*5*1~";
        let read = read_835(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        let payment = &read.remittances[0];
        assert_eq!(
            (payment.amount, payment.trace.as_str()),
            (Money(1000), "T1")
        );
        assert_eq!(payment.claims[0].paid, Money(1000));
        let kinds: Vec<NoteKind> = read.notes.iter().map(|n| n.kind).collect();
        assert_eq!(kinds, [NoteKind::Envelope], "only the missing envelope");
    }

    #[test]
    fn note_codes_name_their_kind() {
        for kind in [NoteKind::Envelope, NoteKind::Unbalanced] {
            let note = Note {
                kind,
                message: String::new(),
            };
            assert_eq!(note.finding("a.835").code, note.code());
        }
    }
}
