//! The plain data each template sees, built from the loaded practice. Every figure is
//! computed here (or in `figures`), never in a template; the README documents each field.

use crate::codes::icd10::{Icd10, Icd10Status};
use crate::codes::{place_of_service, procedures};
use crate::figures::lines;
use crate::load::{PracticeData, Record};
use crate::model::patient::{Relationship, Subscriber};
use crate::model::{self, Money, Session};
use chrono::NaiveDate;
use serde::Serialize;

/// What every document carries about itself.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentInfo {
    /// `soap_note`, `summary`, `appeal`, `superbill` or `claim`.
    pub kind: &'static str,
    /// The document's title.
    pub title: String,
    /// Rendered despite failing validation: stamped DRAFT - NOT FOR SUBMISSION.
    pub draft: bool,
    /// The date "today" meant when it was rendered (`--as-of`).
    pub as_of: NaiveDate,
    /// What made a draft a draft: each error's code, file and field, never its message,
    /// which may quote the records. Empty unless `draft`.
    pub draft_findings: Vec<DraftFinding>,
}

/// One error a draft was rendered despite, as the stamp lists it.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DraftFinding {
    /// The finding's code, e.g. `signature.missing`.
    pub code: &'static str,
    /// The file, relative to the practice folder.
    pub file: String,
    /// The field path, or empty.
    pub field: String,
}

impl DraftFinding {
    /// "signature.missing (sessions/2026-11/x.yaml, signed)": code, file and field.
    pub fn label(&self) -> String {
        if self.field.is_empty() {
            format!("{} ({})", self.code, self.file)
        } else {
            format!("{} ({}, {})", self.code, self.file, self.field)
        }
    }
}

impl DocumentInfo {
    /// Marks the document a draft rendered despite `findings`: its errors are listed, each
    /// once, by code, file and field.
    pub fn mark_draft(&mut self, findings: &[crate::findings::Finding]) {
        self.draft = true;
        for f in findings
            .iter()
            .filter(|f| f.severity == crate::findings::Severity::Error)
        {
            let item = DraftFinding {
                code: f.code,
                file: f.file.clone(),
                field: f.field.clone().unwrap_or_default(),
            };
            if !self.draft_findings.contains(&item) {
                self.draft_findings.push(item);
            }
        }
    }
}

/// A postal address, with a one-line form.
#[derive(Debug, Clone, Serialize)]
pub struct AddressCtx {
    /// Street and unit.
    pub street: String,
    /// City.
    pub city: String,
    /// State.
    pub state: String,
    /// ZIP.
    pub zip: String,
    /// "12 Elm St, Portland, ME 04102".
    pub one_line: String,
}

impl From<&model::Address> for AddressCtx {
    fn from(a: &model::Address) -> Self {
        AddressCtx {
            street: a.street.clone(),
            city: a.city.clone(),
            state: a.state.clone(),
            zip: a.zip.to_string(),
            one_line: format!("{}, {}, {} {}", a.street, a.city, a.state, a.zip),
        }
    }
}

/// The practice as documents show it.
#[derive(Debug, Clone, Serialize)]
pub struct PracticeCtx {
    /// Name.
    pub name: String,
    /// Address.
    pub address: AddressCtx,
    /// Phone.
    pub phone: String,
    /// Billing NPI.
    pub npi: String,
    /// Tax id as written.
    pub tax_id: String,
    /// `ein` or `ssn`.
    pub tax_id_type: &'static str,
    /// Taxonomy code.
    pub taxonomy: String,
}

impl From<&model::Practice> for PracticeCtx {
    fn from(p: &model::Practice) -> Self {
        PracticeCtx {
            name: p.name.clone(),
            address: (&p.address).into(),
            phone: p.phone.clone(),
            npi: p.npi.to_string(),
            tax_id: p.tax_id.clone(),
            tax_id_type: p.tax_id_type.as_str(),
            taxonomy: p.taxonomy.to_string(),
        }
    }
}

/// A rendering provider.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderCtx {
    /// Id.
    pub id: String,
    /// "Amy Chen".
    pub name: String,
    /// "LMT".
    pub credentials: String,
    /// NPI.
    pub npi: String,
    /// License state, number and expiry, e.g. "ME MT-4471 (expires 2027-06-30)"; empty without one.
    pub license: String,
}

impl From<&model::Provider> for ProviderCtx {
    fn from(p: &model::Provider) -> Self {
        ProviderCtx {
            id: p.id.clone(),
            name: format!("{} {}", p.first_name, p.last_name),
            credentials: p.credentials.clone(),
            npi: p.npi.to_string(),
            license: p
                .license
                .as_ref()
                .map(|l| format!("{} {} (expires {})", l.state, l.number, l.expires))
                .unwrap_or_default(),
        }
    }
}

/// A patient.
#[derive(Debug, Clone, Serialize)]
pub struct PatientCtx {
    /// Id.
    pub id: String,
    /// "Jane Doe".
    pub name: String,
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// F, M or U.
    pub sex: String,
    /// Address.
    pub address: AddressCtx,
    /// Phone, or empty.
    pub phone: String,
}

impl PatientCtx {
    /// From a patient record.
    pub fn new(rec: &Record<model::Patient>) -> Self {
        let p = &rec.data;
        PatientCtx {
            id: rec.id.clone(),
            name: p.full_name(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            dob: p.dob,
            sex: format!("{:?}", p.sex),
            address: (&p.address).into(),
            phone: p.phone.clone().unwrap_or_default(),
        }
    }
}

/// A coverage with its payer.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageCtx {
    /// Payer id.
    pub payer_id: String,
    /// Payer name.
    pub payer_name: String,
    /// Payer kind, e.g. `commercial`.
    pub payer_kind: String,
    /// `primary` or `secondary`.
    pub priority: String,
    /// Member id.
    pub member_id: String,
    /// Group number, or empty.
    pub group_number: String,
    /// Plan name, or empty.
    pub plan_name: String,
    /// The coverage in words, named once: "Choice POS II, primary" (the payer's name when
    /// the coverage has no plan name).
    pub label: String,
    /// `in` or `out`.
    pub network: String,
    /// "self", "spouse", "child" or "other".
    pub relationship: String,
    /// The subscriber's name.
    pub subscriber_name: String,
    /// First day of coverage.
    pub effective: NaiveDate,
    /// Last day of coverage, when known.
    pub terminates: Option<NaiveDate>,
}

impl CoverageCtx {
    /// From a patient's coverage; the payer may be unknown.
    pub fn new(data: &PracticeData, patient: &model::Patient, c: &model::Coverage) -> CoverageCtx {
        let payer = data.payers.get(&c.payer);
        let (relationship, subscriber_name) = match &c.subscriber {
            Subscriber::Patient => ("self".to_string(), patient.full_name()),
            Subscriber::Other(p) => (
                match p.relationship {
                    Relationship::Spouse => "spouse",
                    Relationship::Child => "child",
                    Relationship::Other => "other",
                }
                .to_string(),
                format!("{} {}", p.first_name, p.last_name),
            ),
        };
        let payer_name = payer.map(|p| p.data.name.clone()).unwrap_or_default();
        let priority = match c.priority {
            model::patient::Priority::Primary => "primary",
            model::patient::Priority::Secondary => "secondary",
        };
        let plan_name = c.plan_name.clone().unwrap_or_default();
        let named = if plan_name.trim().is_empty() {
            &payer_name
        } else {
            &plan_name
        };
        let label = if named.trim().is_empty() {
            priority.to_string()
        } else {
            format!("{named}, {priority}")
        };
        CoverageCtx {
            payer_id: c.payer.clone(),
            payer_name,
            payer_kind: payer
                .map(|p| p.data.kind.as_str().to_string())
                .unwrap_or_default(),
            priority: priority.to_string(),
            member_id: c.member_id.clone(),
            group_number: c
                .group_number
                .as_ref()
                .map(|g| g.to_string())
                .unwrap_or_default(),
            plan_name,
            label,
            network: match c.network {
                model::patient::Network::In => "in",
                model::patient::Network::Out => "out",
            }
            .to_string(),
            relationship,
            subscriber_name,
            effective: c.effective,
            terminates: c.terminates,
        }
    }
}

/// A diagnosis with its pointer letter and description.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DiagnosisCtx {
    /// "A".."L".
    pub pointer: String,
    /// Dotted code, e.g. M54.50.
    pub code: String,
    /// Full title from the ICD-10-CM edition of the date, or empty when unknown.
    pub description: String,
}

/// The full ICD-10-CM title of a code on a date, or empty when the code is not valid then.
/// Documents print full titles; only the claim form has room for the short ones alone.
pub fn icd_description(table: &Icd10, code: &str, date: NaiveDate) -> String {
    match table.check(code, date).status {
        Icd10Status::Billable { description, .. } | Icd10Status::Header { description, .. } => {
            table.full_title(code, date).unwrap_or(description)
        }
        _ => String::new(),
    }
}

/// The dotted form of a code when it has ICD-10-CM's shape, else the code as written.
pub fn dotted(code: &str) -> String {
    crate::codes::icd10::normalize(code)
        .map(|c| crate::codes::icd10::with_dot(&c))
        .unwrap_or_else(|| code.to_string())
}

/// Pointer letter of a 0-based diagnosis index.
pub fn letter(index: usize) -> String {
    char::from(b'A' + (index.min(25) as u8)).to_string()
}

/// One billed service line.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceCtx {
    /// Date of service.
    pub date: NaiveDate,
    /// CPT/HCPCS code.
    pub code: String,
    /// Plain description of the code.
    pub description: String,
    /// Modifiers joined by spaces, e.g. "GP 59".
    pub modifiers: String,
    /// Minutes.
    pub minutes: u32,
    /// Units billed to the plan.
    pub units: u32,
    /// Units past the plan's maximum minutes a visit, billed to the patient at the practice's
    /// fee (0 when the plan pays the whole visit).
    pub patient_units: u32,
    /// Region treated, or empty.
    pub region: String,
    /// Pointer letters joined by spaces, e.g. "A B".
    pub pointers: String,
    /// Fee x units; printed "" when the practice has no fee for the code.
    #[serde(serialize_with = "money_or_empty")]
    pub charge: Option<Money>,
    /// Fee x the patient's units; "" without a fee.
    #[serde(serialize_with = "money_or_empty")]
    pub patient_charge: Option<Money>,
    /// Place of service code.
    pub place_of_service: String,
}

impl ServiceCtx {
    /// The line with the patient's units and charge put back with the plan's: every unit
    /// given, as an itemized statement of services lists it.
    pub fn whole(self) -> ServiceCtx {
        let charge = match (self.charge, self.patient_charge) {
            (Some(a), Some(b)) => Some(Money(a.cents() + b.cents())),
            (a, _) => a,
        };
        ServiceCtx {
            units: self.units.saturating_add(self.patient_units),
            patient_units: 0,
            charge,
            patient_charge: self.patient_charge.map(|_| Money::ZERO),
            ..self
        }
    }
}

/// What a visit past its plan's maximum minutes bills to the patient, for documents to show.
#[derive(Debug, Clone, Serialize)]
pub struct BeyondPlanCtx {
    /// The most minutes the plan pays a visit.
    pub max_minutes: u32,
    /// Units billed to the patient.
    pub units: u32,
    /// "1 unit of 97140", the patient's units by code.
    pub lines: String,
    /// Their charge at the practice's fee (lines without a fee count nothing).
    pub charge: Money,
}

/// The part of a visit billed to the patient past the plan's maximum minutes, from its
/// lines ([`services_of`]); None when the plan is billed the whole visit.
pub fn beyond_plan(
    data: &PracticeData,
    session: &Session,
    services: &[ServiceCtx],
) -> Option<BeyondPlanCtx> {
    let max_minutes = data.coverage_of(session)?.benefits.max_minutes_per_visit?;
    let units = services
        .iter()
        .fold(0u32, |a, s| a.saturating_add(s.patient_units));
    (units > 0).then(|| BeyondPlanCtx {
        max_minutes,
        units,
        lines: lines::units_by_code(services.iter().map(|s| (s.code.as_str(), s.patient_units))),
        charge: Money(
            services
                .iter()
                .filter_map(|s| s.patient_charge)
                .map(Money::cents)
                .sum(),
        ),
    })
}

/// The service lines of a session with the units and charges billed to the plan, and those
/// past the plan's maximum minutes a visit, billed to the patient.
pub fn services_of(data: &PracticeData, session: &Session) -> Vec<ServiceCtx> {
    let rule = data.payer_of(session).map(|p| p.data.unit_rule);
    let max = data
        .coverage_of(session)
        .and_then(|c| c.benefits.max_minutes_per_visit);
    let (units, patient) = match rule {
        Some(rule) => {
            let split = lines::split_units(rule, &session.services, max);
            (split.plan, split.patient)
        }
        None => (
            session
                .services
                .iter()
                .map(|s| s.units.unwrap_or(1))
                .collect(),
            vec![0; session.services.len()],
        ),
    };
    let pos = place_of_service_of(data, session);
    let fee = |code: &str, units: u32| {
        data.practice()
            .and_then(|p| lines::charge(&p.fees, code, units))
    };
    session
        .services
        .iter()
        .zip(units)
        .zip(patient)
        .map(|((svc, units), patient_units)| {
            let code = svc.code.as_str();
            ServiceCtx {
                date: session.date,
                code: code.to_string(),
                description: procedures::lookup(code)
                    .map(|p| p.description.to_string())
                    .unwrap_or_default(),
                modifiers: svc
                    .modifiers
                    .iter()
                    .map(|m| m.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                minutes: svc.minutes,
                units,
                patient_units,
                region: svc.region.clone().unwrap_or_default(),
                pointers: svc.diagnosis_pointers.join(" "),
                charge: fee(code, units),
                patient_charge: fee(code, patient_units),
                place_of_service: pos.clone(),
            }
        })
        .collect()
}

/// The session's place of service, else the practice default.
pub fn place_of_service_of(data: &PracticeData, session: &Session) -> String {
    session
        .place_of_service
        .as_ref()
        .or(data.practice().map(|p| &p.place_of_service))
        .map(|c| c.to_string())
        .unwrap_or_else(|| "11".to_string())
}

/// A place of service with its name.
#[derive(Debug, Clone, Serialize)]
pub struct PlaceCtx {
    /// Two-digit code.
    pub code: String,
    /// CMS name, e.g. "Office".
    pub name: String,
}

impl PlaceCtx {
    /// From a code.
    pub fn new(code: String) -> Self {
        let name = place_of_service::lookup(&code).unwrap_or("").to_string();
        PlaceCtx { code, name }
    }
}

/// Sum of charges; lines without a fee are left out.
pub fn total_charge(services: &[ServiceCtx]) -> Money {
    Money(
        services
            .iter()
            .filter_map(|s| s.charge)
            .map(Money::cents)
            .sum(),
    )
}

/// An amount as its decimal text, or "" when there is none.
pub fn money_or_empty<S: serde::Serializer>(m: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
    match m {
        Some(m) => m.serialize(s),
        None => s.serialize_str(""),
    }
}
