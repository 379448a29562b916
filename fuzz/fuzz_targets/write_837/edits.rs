//! Edits of a claim's fields with arbitrary values: each names a claim and a line by index
//! (taken modulo how many there are) and the field it sets.

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use claimwright::codes::tax_id::TaxIdType;
use claimwright::documents::claim::{
    Adjudication, Adjusted, Claim, ClaimLine, ClaimReferral, Employer, LineAdjudication,
    OtherCoverage,
};
use claimwright::model::patient::{Priority, Sex};
use claimwright::model::payer::Item1;
use claimwright::model::practice::{Edi, EdiUsage};
use claimwright::model::{Address, Code, Frequency, Money, PayerKind};

/// One change to the claims or the `edi` settings.
#[derive(Arbitrary, Debug)]
pub enum Edit {
    /// A text field set, or an optional one cleared (`None` empties a required one).
    Text {
        claim: u8,
        line: u8,
        field: TextField,
        value: Option<String>,
    },
    /// An amount set, in cents.
    Amount {
        claim: u8,
        line: u8,
        field: AmountField,
        cents: i64,
    },
    /// A line's units.
    Units { claim: u8, line: u8, units: u32 },
    /// A date set, as days from the common era.
    Date {
        claim: u8,
        line: u8,
        field: DateField,
        days: i32,
    },
    /// A yes-or-no field.
    Flag { claim: u8, field: Flag, on: bool },
    /// One of a field's few values.
    Choice { claim: u8, field: Choice, pick: u8 },
    /// A line copied to the end of its claim.
    CopyLine { claim: u8, line: u8 },
    /// A line taken off its claim.
    DropLine { claim: u8, line: u8 },
    /// A value added to a list.
    Push {
        claim: u8,
        line: u8,
        list: List,
        value: String,
    },
    /// A list emptied.
    Clear { claim: u8, line: u8, list: List },
    /// An other coverage added (from the insured, with its answer when `answered`) or removed.
    OtherCoverage { claim: u8, on: bool, answered: bool },
    /// A line's answer from the other payer added or removed.
    LineAnswer { claim: u8, line: u8, on: bool },
    /// An `edi` setting set or cleared.
    Edi {
        field: EdiField,
        value: Option<String>,
    },
}

/// The text fields of a claim and its lines.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum TextField {
    Id,
    FilingCode,
    Authorization,
    OriginalClaimNumber,
    BillingName,
    BillingPhone,
    BillingNpi,
    BillingTaxId,
    BillingTaxonomy,
    BillingAddress(AddressField),
    PayerRecordId,
    PayerName,
    PayerId,
    PayerAddress(AddressField),
    PatientId,
    PatientLast,
    PatientFirst,
    PatientPhone,
    PatientAddress(AddressField),
    InsuredLast,
    InsuredFirst,
    InsuredMemberId,
    InsuredGroup,
    InsuredPlan,
    InsuredAddress(AddressField),
    EmployerName,
    AccidentState,
    CarrierClaimNumber,
    ReferralNumber,
    ReferralNpi,
    OtherPayer,
    OtherPayerName,
    OtherPayerId,
    OtherFilingCode,
    OtherMemberId,
    OtherGroup,
    OtherLast,
    OtherFirst,
    LineSession,
    LineControlNumber,
    LinePlace,
    LineCode,
    LineAuthorization,
    RenderingNpi,
    RenderingTaxonomy,
    RenderingLast,
    RenderingFirst,
    LineReferringNpi,
}

/// The parts of an address.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum AddressField {
    Street,
    City,
    State,
    Zip,
}

/// The amounts of a claim and its lines.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum AmountField {
    Total,
    Paid,
    LineCharge,
    LinePaid,
    OtherPaid,
    LineAnswerPaid,
}

/// The dates of a claim and its lines.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum DateField {
    PatientBirth,
    InsuredBirth,
    Injury,
    Signed,
    Line,
    OtherAnswered,
}

/// The yes-or-no fields of a claim.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Flag {
    OwnMemberId,
    SignatureOnFile,
    Assigned,
    ReleaseSigned,
    AssignmentSigned,
    AcceptAssignment,
    Employment,
    Auto,
}

/// The fields of a claim that take one of a few values.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum Choice {
    Frequency,
    Priority,
    PatientSex,
    InsuredSex,
    Relationship,
    PayerKind,
    Program,
    TaxIdType,
}

/// The lists of a claim and its lines.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum List {
    Diagnoses,
    LineDiagnoses,
    LineModifiers,
    OtherAdjustments,
    LineAnswerAdjustments,
}

/// The `edi` settings.
#[derive(Arbitrary, Debug, Clone, Copy)]
pub enum EdiField {
    SenderId,
    ReceiverId,
    ReceiverName,
    SubmitterId,
    SenderQualifier,
    ReceiverQualifier,
    ContactName,
    ContactPhone,
    ContactEmail,
    Usage,
}

/// Where a text goes: a required field, or an optional one.
enum Slot<'c> {
    Plain(&'c mut String),
    Optional(&'c mut Option<String>),
}

/// The item `n` of `items`, counted modulo their number.
fn nth<T>(items: &mut [T], n: u8) -> Option<&mut T> {
    let len = items.len();
    (len > 0).then(|| &mut items[usize::from(n) % len])
}

/// Applies `edit`.
pub fn apply(edit: &Edit, claims: &mut [Claim], edi: &mut Edi) {
    if let Edit::Edi { field, value } = edit {
        edi_text(edi, *field, value.clone());
        return;
    }
    let (Edit::Text { claim, .. }
    | Edit::Amount { claim, .. }
    | Edit::Units { claim, .. }
    | Edit::Date { claim, .. }
    | Edit::Flag { claim, .. }
    | Edit::Choice { claim, .. }
    | Edit::CopyLine { claim, .. }
    | Edit::DropLine { claim, .. }
    | Edit::Push { claim, .. }
    | Edit::Clear { claim, .. }
    | Edit::OtherCoverage { claim, .. }
    | Edit::LineAnswer { claim, .. }) = edit
    else {
        return;
    };
    let Some(c) = nth(claims, *claim) else { return };
    match edit {
        Edit::Text {
            line, field, value, ..
        } => match text(c, *line, *field) {
            Some(Slot::Plain(s)) => *s = value.clone().unwrap_or_default(),
            Some(Slot::Optional(s)) => s.clone_from(value),
            None => {}
        },
        Edit::Amount {
            line, field, cents, ..
        } => amount(c, *line, *field, Money(*cents)),
        Edit::Units { line, units, .. } => {
            if let Some(l) = nth(&mut c.lines, *line) {
                l.units = *units;
            }
        }
        Edit::Date {
            line, field, days, ..
        } => {
            if let Some(d) = NaiveDate::from_num_days_from_ce_opt(*days) {
                date(c, *line, *field, d);
            }
        }
        Edit::Flag { field, on, .. } => flag(c, *field, *on),
        Edit::Choice { field, pick, .. } => choice(c, *field, *pick),
        Edit::CopyLine { line, .. } => {
            if let Some(l) = nth(&mut c.lines, *line).map(|l| l.clone()) {
                c.lines.push(l);
            }
        }
        Edit::DropLine { line, .. } => {
            if !c.lines.is_empty() {
                c.lines.remove(usize::from(*line) % c.lines.len());
            }
        }
        Edit::Push {
            line, list, value, ..
        } => push(c, *line, *list, Some(value.clone())),
        Edit::Clear { line, list, .. } => push(c, *line, *list, None),
        Edit::OtherCoverage { on, answered, .. } => {
            c.other_coverage = on.then(|| other_coverage(c, *answered));
        }
        Edit::LineAnswer { line, on, .. } => {
            if let Some(l) = nth(&mut c.lines, *line) {
                l.primary = on.then(|| LineAdjudication {
                    paid: Money(l.charge.cents() / 2),
                    adjustments: Vec::new(),
                    date: Some(l.date),
                });
            }
        }
        Edit::Edi { .. } => {}
    }
}

/// The slot of a text field, when the claim has it.
fn text(c: &mut Claim, line: u8, field: TextField) -> Option<Slot<'_>> {
    use Slot::{Optional, Plain};
    use TextField as T;
    let slot = match field {
        T::Id => Plain(&mut c.id),
        T::FilingCode => Plain(&mut c.claim_filing_code),
        T::Authorization => Optional(&mut c.authorization),
        T::OriginalClaimNumber => Optional(&mut c.original_claim_number),
        T::BillingName => Plain(&mut c.billing.name),
        T::BillingPhone => Plain(&mut c.billing.phone),
        T::BillingNpi => Plain(&mut c.billing.npi),
        T::BillingTaxId => Plain(&mut c.billing.tax_id),
        T::BillingTaxonomy => Plain(&mut c.billing.taxonomy),
        T::BillingAddress(a) => address(&mut c.billing.address, a),
        T::PayerRecordId => Plain(&mut c.payer.id),
        T::PayerName => Plain(&mut c.payer.name),
        T::PayerId => Optional(&mut c.payer.payer_id),
        T::PayerAddress(a) => address(&mut c.payer.address, a),
        T::PatientId => Plain(&mut c.patient.id),
        T::PatientLast => Plain(&mut c.patient.last_name),
        T::PatientFirst => Plain(&mut c.patient.first_name),
        T::PatientPhone => Optional(&mut c.patient.phone),
        T::PatientAddress(a) => address(&mut c.patient.address, a),
        T::InsuredLast => Plain(&mut c.insured.last_name),
        T::InsuredFirst => Plain(&mut c.insured.first_name),
        T::InsuredMemberId => Plain(&mut c.insured.member_id),
        T::InsuredGroup => Optional(&mut c.insured.group_number),
        T::InsuredPlan => Optional(&mut c.insured.plan_name),
        T::InsuredAddress(a) => address(&mut c.insured.address, a),
        T::EmployerName => {
            let employer = c.insured.employer.get_or_insert_with(|| Employer {
                name: String::new(),
                address: c.insured.address.clone(),
                phone: None,
            });
            Plain(&mut employer.name)
        }
        T::AccidentState => Optional(&mut c.related.accident_state),
        T::CarrierClaimNumber => Optional(&mut c.related.carrier_claim_number),
        T::ReferralNumber | T::ReferralNpi => {
            let rendering = c.lines.iter().find_map(|l| l.rendering.clone())?;
            let referral = c.referral.get_or_insert_with(|| ClaimReferral {
                provider: rendering,
                number: None,
            });
            match field {
                T::ReferralNumber => Optional(&mut referral.number),
                _ => Plain(&mut referral.provider.npi),
            }
        }
        T::OtherPayer => Plain(&mut c.other_coverage.as_mut()?.payer),
        T::OtherPayerName => Plain(&mut c.other_coverage.as_mut()?.payer_name),
        T::OtherPayerId => Optional(&mut c.other_coverage.as_mut()?.payer_id),
        T::OtherFilingCode => Plain(&mut c.other_coverage.as_mut()?.claim_filing_code),
        T::OtherMemberId => Plain(&mut c.other_coverage.as_mut()?.member_id),
        T::OtherGroup => Optional(&mut c.other_coverage.as_mut()?.group_number),
        T::OtherLast => Plain(&mut c.other_coverage.as_mut()?.last_name),
        T::OtherFirst => Plain(&mut c.other_coverage.as_mut()?.first_name),
        _ => return line_text(nth(&mut c.lines, line)?, field),
    };
    Some(slot)
}

/// The slot of a line's text field.
fn line_text(l: &mut ClaimLine, field: TextField) -> Option<Slot<'_>> {
    use Slot::{Optional, Plain};
    use TextField as T;
    let slot = match field {
        T::LineSession => Plain(&mut l.session),
        T::LineControlNumber => Plain(&mut l.control_number),
        T::LinePlace => Plain(&mut l.place_of_service),
        T::LineCode => Plain(&mut l.code),
        T::LineAuthorization => Optional(&mut l.authorization),
        T::RenderingNpi => Plain(&mut l.rendering.as_mut()?.npi),
        T::RenderingTaxonomy => Optional(&mut l.rendering.as_mut()?.taxonomy),
        T::RenderingLast => Plain(&mut l.rendering.as_mut()?.last_name),
        T::RenderingFirst => Plain(&mut l.rendering.as_mut()?.first_name),
        T::LineReferringNpi => {
            let rendering = l.rendering.clone()?;
            Plain(&mut l.referral.get_or_insert(rendering).npi)
        }
        _ => return None,
    };
    Some(slot)
}

fn address(a: &mut Address, field: AddressField) -> Slot<'_> {
    Slot::Plain(match field {
        AddressField::Street => &mut a.street,
        AddressField::City => &mut a.city,
        AddressField::State => &mut a.state,
        AddressField::Zip => {
            let Code(zip) = &mut a.zip;
            zip
        }
    })
}

fn amount(c: &mut Claim, line: u8, field: AmountField, money: Money) {
    match field {
        AmountField::Total => c.total_charge = money,
        AmountField::Paid => c.amount_paid = money,
        AmountField::OtherPaid => {
            if let Some(a) = c
                .other_coverage
                .as_mut()
                .and_then(|o| o.adjudication.as_mut())
            {
                a.paid = money;
            }
        }
        AmountField::LineCharge | AmountField::LinePaid | AmountField::LineAnswerPaid => {
            let Some(l) = nth(&mut c.lines, line) else {
                return;
            };
            match field {
                AmountField::LineCharge => l.charge = money,
                AmountField::LinePaid => l.paid = money,
                _ => {
                    if let Some(p) = l.primary.as_mut() {
                        p.paid = money;
                    }
                }
            }
        }
    }
}

fn date(c: &mut Claim, line: u8, field: DateField, d: NaiveDate) {
    match field {
        DateField::PatientBirth => c.patient.dob = d,
        DateField::InsuredBirth => c.insured.dob = d,
        DateField::Injury => c.related.injury_date = Some(d),
        DateField::Signed => c.signed = d,
        DateField::Line => {
            if let Some(l) = nth(&mut c.lines, line) {
                l.date = d;
            }
        }
        DateField::OtherAnswered => {
            if let Some(a) = c
                .other_coverage
                .as_mut()
                .and_then(|o| o.adjudication.as_mut())
            {
                a.date = Some(d);
            }
        }
    }
}

fn flag(c: &mut Claim, field: Flag, on: bool) {
    match field {
        Flag::OwnMemberId => c.own_member_id = on,
        Flag::SignatureOnFile => c.signature_on_file = on,
        Flag::Assigned => c.assigned = on,
        Flag::ReleaseSigned => c.release_signed = on,
        Flag::AssignmentSigned => c.assignment_signed = on,
        Flag::AcceptAssignment => c.billing.accept_assignment = on,
        Flag::Employment => c.related.employment = on,
        Flag::Auto => c.related.auto = on,
    }
}

/// Relationships of the patient to the insured, as the claim names them.
const RELATIONSHIPS: [&str; 4] = ["self", "spouse", "child", "other"];

fn choice(c: &mut Claim, field: Choice, pick: u8) {
    let n = usize::from(pick);
    let sex = [Sex::F, Sex::M, Sex::U][n % 3];
    let priority = [Priority::Primary, Priority::Secondary][n % 2];
    match field {
        Choice::Frequency => {
            c.frequency = [Frequency::Original, Frequency::Replacement, Frequency::Void][n % 3];
        }
        Choice::Priority => c.priority = priority,
        Choice::PatientSex => c.patient.sex = sex,
        Choice::InsuredSex => c.insured.sex = sex,
        Choice::Relationship => c.insured.relationship = RELATIONSHIPS[n % RELATIONSHIPS.len()],
        Choice::PayerKind => {
            c.payer.kind = [
                PayerKind::Commercial,
                PayerKind::Medicare,
                PayerKind::MedicareAdvantage,
                PayerKind::Medicaid,
                PayerKind::WorkersComp,
                PayerKind::Auto,
            ][n % 6];
        }
        Choice::Program => {
            c.payer.program = [
                Item1::Medicare,
                Item1::Medicaid,
                Item1::Tricare,
                Item1::Champva,
                Item1::Group,
                Item1::Feca,
                Item1::Other,
            ][n % 7];
        }
        Choice::TaxIdType => c.billing.tax_id_type = [TaxIdType::Ein, TaxIdType::Ssn][n % 2],
    }
}

/// Adds `value` to a list, or empties the list when there is none.
fn push(c: &mut Claim, line: u8, list: List, value: Option<String>) {
    let adjusted = |reason: String| Adjusted {
        group: "CO".into(),
        amount: Money(i64::try_from(reason.len()).unwrap_or(0) * 100),
        reason,
    };
    match list {
        List::Diagnoses => edit_list(&mut c.diagnoses, value),
        List::OtherAdjustments => {
            if let Some(a) = c
                .other_coverage
                .as_mut()
                .and_then(|o| o.adjudication.as_mut())
            {
                edit_list(&mut a.adjustments, value.map(adjusted));
            }
        }
        List::LineDiagnoses | List::LineModifiers | List::LineAnswerAdjustments => {
            let Some(l) = nth(&mut c.lines, line) else {
                return;
            };
            match list {
                List::LineDiagnoses => edit_list(&mut l.diagnoses, value),
                List::LineModifiers => edit_list(&mut l.modifiers, value),
                _ => {
                    if let Some(p) = l.primary.as_mut() {
                        edit_list(&mut p.adjustments, value.map(adjusted));
                    }
                }
            }
        }
    }
}

fn edit_list<T>(list: &mut Vec<T>, value: Option<T>) {
    match value {
        Some(v) => list.push(v),
        None => list.clear(),
    }
}

/// A secondary payer's coverage made from the claim's insured, answered or not.
fn other_coverage(c: &Claim, answered: bool) -> OtherCoverage {
    OtherCoverage {
        payer: "other-payer".into(),
        payer_name: "Other Payer".into(),
        payer_id: Some("99999".into()),
        priority: Priority::Primary,
        claim_filing_code: "CI".into(),
        relationship: c.insured.relationship,
        member_id: c.insured.member_id.clone(),
        group_number: c.insured.group_number.clone(),
        adjudication: answered.then(|| Adjudication {
            paid: Money(c.total_charge.cents() / 2),
            adjustments: Vec::new(),
            date: c.lines.first().map(|l| l.date),
        }),
        last_name: c.insured.last_name.clone(),
        first_name: c.insured.first_name.clone(),
        group_or_member: c.insured.member_id.clone(),
        plan: "Other Plan".into(),
    }
}

fn edi_text(edi: &mut Edi, field: EdiField, value: Option<String>) {
    let plain = |s: &mut String| *s = value.clone().unwrap_or_default();
    match field {
        EdiField::SenderId => plain(&mut edi.sender_id),
        EdiField::ReceiverId => plain(&mut edi.receiver_id),
        EdiField::ReceiverName => plain(&mut edi.receiver_name),
        EdiField::SubmitterId => edi.submitter_id.clone_from(&value),
        EdiField::SenderQualifier => edi.sender_qualifier.clone_from(&value),
        EdiField::ReceiverQualifier => edi.receiver_qualifier.clone_from(&value),
        EdiField::ContactName => plain(&mut edi.contact.name),
        EdiField::ContactPhone => plain(&mut edi.contact.phone),
        EdiField::ContactEmail => edi.contact.email.clone_from(&value),
        EdiField::Usage => {
            edi.usage = match value {
                Some(_) => EdiUsage::Production,
                None => EdiUsage::Test,
            };
        }
    }
}
