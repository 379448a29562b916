//! Reading the segments of one 835 transaction set (ST..SE) into a payment with its claims,
//! lines and adjustments, noting every value that is missing or malformed.

use super::balance::{balance, sum};
use super::{
    Adjustment, Note, NoteKind, ProviderAdjustment, Quantity, RemitClaim, RemitLine, Remittance,
};
use crate::model::Money;
use crate::x12::{Segment, read_amount, read_date};
use chrono::NaiveDate;

/// Which party loop of the header (1000A, 1000B) a REF belongs to.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Party {
    None,
    Payer,
    Payee,
}

/// One 835 transaction set being read.
pub(super) struct Transaction {
    pub(super) remit: Remittance,
    claim: Option<RemitClaim>,
    line: Option<RemitLine>,
    party: Party,
    /// Segments from ST, counted for SE01.
    pub(super) segments: usize,
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
    pub(super) fn new(control: String, component: char) -> Transaction {
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

    pub(super) fn note(&mut self, kind: NoteKind, message: String) {
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
    pub(super) fn segment(&mut self, seg: &Segment) {
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
    pub(super) fn finish(mut self) -> (Remittance, Vec<Note>) {
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

/// `text` trimmed, when anything is left.
fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}
