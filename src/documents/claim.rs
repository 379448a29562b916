//! CMS-1500 claims: a patient's month of sessions billed to one coverage, split into forms
//! of at most six service lines and twelve diagnoses, each form with its own totals.

use crate::figures::deadlines;
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::patient::{Priority, Relationship, Subscriber};
use crate::model::{Coverage, Money, Patient, PayerKind, Session};
use super::context;
use chrono::NaiveDate;
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Service lines one form holds (NUCC: never use the shaded half as a seventh line).
pub const LINES_PER_FORM: usize = 6;
/// Diagnoses one form holds (item 21, A-L).
pub const DIAGNOSES_PER_FORM: usize = 12;

/// One claim: a patient, a coverage, a month; printed as one or more forms.
#[derive(Debug, Clone, Serialize)]
pub struct Claim {
    /// Stable id built from patient, payer and month.
    pub claim_id: String,
    /// Patient id.
    pub patient: String,
    /// Payer id.
    pub payer: String,
    /// "2026-11".
    pub month: String,
    /// The forms, in date order of their lines.
    pub forms: Vec<ClaimForm>,
    /// Files the claim is made from.
    #[serde(skip)]
    pub inputs: Vec<String>,
}

/// One printed form.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimForm {
    /// 1-based form number within the claim.
    pub number: usize,
    /// Dotted diagnosis codes A-L of this form.
    pub diagnoses: Vec<String>,
    /// Up to six lines.
    pub lines: Vec<ClaimLine>,
    /// Sum of the lines' charges (item 28).
    pub total_charge: Money,
    /// Paid by the patient toward these services (item 29).
    pub amount_paid: Money,
    /// Prior authorization number (item 23), or empty.
    pub prior_authorization: String,
    /// Referring provider: (name, NPI), when a session of the form names a referral.
    pub referring: Option<(String, String)>,
}

/// One service line (item 24).
#[derive(Debug, Clone, Serialize)]
pub struct ClaimLine {
    /// Date of service.
    pub date: NaiveDate,
    /// Place of service.
    pub place_of_service: String,
    /// CPT/HCPCS code.
    pub code: String,
    /// Up to four modifiers.
    pub modifiers: Vec<String>,
    /// Pointer letters into this form's diagnoses.
    pub pointers: String,
    /// Fee x units.
    pub charge: Money,
    /// Units.
    pub units: u32,
    /// Rendering provider NPI.
    pub rendering_npi: String,
    /// Session id, for tracing.
    pub session: String,
}

/// A line before it is placed on a form: its diagnoses still as codes.
struct PendingLine {
    line: ClaimLine,
    diagnoses: Vec<String>,
    /// The session's diagnoses that its billed lines point to, in the session's order, so
    /// item 21 keeps the session's primary diagnosis first.
    session_diagnoses: Vec<String>,
    paid: Money,
    authorization: Option<String>,
    referral: Option<(String, String)>,
}

/// Findings that refuse a claim beyond validation: late filing and codes without a fee.
pub fn claim_findings(
    data: &PracticeData,
    sessions: &[&Record<Session>],
    as_of: NaiveDate,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for s in sessions {
        if let Some(payer) = data.payer_of(&s.data) {
            let deadline = deadlines::deadline(s.data.date, payer.data.timely_filing_days);
            if as_of > deadline {
                out.push(
                    Finding::error(
                        "filing.late",
                        &s.file,
                        format!(
                            "{} allows {} days to file, so the claim for {} had to be filed by {deadline}: the payer will deny it (CO-29) unless you can prove it was filed in time",
                            payer.data.name, payer.data.timely_filing_days, s.data.date
                        ),
                    )
                    .at("date"),
                );
            }
        }
        if let Some(practice) = data.practice() {
            for (i, svc) in s.data.services.iter().enumerate() {
                if !practice.fees.contains_key(svc.code.as_str()) {
                    out.push(
                        Finding::error(
                            "fee.missing",
                            &s.file,
                            format!(
                                "practice.yaml has no fee for {}, so it cannot be claimed: add it under `fees`",
                                svc.code
                            ),
                        )
                        .at(format!("services[{i}].code")),
                    );
                }
            }
        }
    }
    out
}

/// Warnings for workers' compensation and auto claims missing what their items need: the
/// employer (items 4 and 7), the carrier's claim number (11b) and the accident state (10b).
fn casualty_findings(
    c: &Coverage,
    index: usize,
    kind: PayerKind,
    patient_file: &str,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut warn = |field: &str, message: &str| {
        out.push(
            Finding::warning("claim.incomplete", patient_file, message.to_string())
                .at(format!("coverages[{index}].{field}")),
        );
    };
    match kind {
        PayerKind::WorkersComp => {
            if c.employer.is_none() {
                warn(
                    "employer",
                    "a workers' compensation claim names the employer as the insured (items 4 and 7): add `employer` to the coverage",
                );
            }
            if c.claim_number.is_none() {
                warn(
                    "claim_number",
                    "a workers' compensation claim carries the carrier's claim number (item 11b): add `claim_number` to the coverage",
                );
            }
        }
        PayerKind::Auto => {
            if c.accident_state.is_none() {
                warn(
                    "accident_state",
                    "an auto claim gives the state of the accident (item 10b): add `accident_state` to the coverage",
                );
            }
            if c.claim_number.is_none() {
                warn(
                    "claim_number",
                    "an auto claim carries the carrier's claim number (item 11b): add `claim_number` to the coverage",
                );
            }
        }
        _ => {}
    }
    out
}

/// The sessions of `patient` in `month`, grouped by the payer they bill, in date order.
pub fn sessions_by_payer<'a>(
    data: &'a PracticeData,
    patient: &str,
    month: NaiveDate,
) -> Vec<(String, Vec<&'a Record<Session>>)> {
    let mut groups: Vec<(String, Vec<&Record<Session>>)> = Vec::new();
    for s in data.sessions_of(patient) {
        if !crate::figures::in_month(s.data.date, month) {
            continue;
        }
        // A visit with no coverage (self-pay) is not claimed.
        let Some(payer) = data.coverage_of(&s.data).map(|c| c.payer.clone()) else {
            continue;
        };
        match groups.iter_mut().find(|(p, _)| *p == payer) {
            Some((_, list)) => list.push(s),
            None => groups.push((payer, vec![s])),
        }
    }
    groups
}

/// Assembles the claim of `sessions` (one patient, one payer, one month).
pub fn assemble(
    data: &PracticeData,
    patient: &Record<Patient>,
    payer: &str,
    month: NaiveDate,
    sessions: &[&Record<Session>],
) -> Claim {
    let mut pending = Vec::new();
    for s in sessions {
        let services = context::services_of(data, &s.data);
        let npi = data
            .provider_of(&s.data)
            .map(|p| p.npi.to_string())
            .unwrap_or_default();
        let referral = s
            .data
            .referral
            .as_ref()
            .and_then(|id| patient.data.referrals.iter().find(|r| &r.id == id))
            .map(|r| {
                let p = &r.referring_provider;
                (
                    format!("{} {} {}", p.first_name, p.last_name, p.credentials),
                    p.npi.to_string(),
                )
            });
        let pointed: Vec<usize> = s
            .data
            .services
            .iter()
            .zip(&services)
            .filter(|(_, l)| l.units > 0)
            .flat_map(|(svc, _)| {
                svc.diagnosis_pointers
                    .iter()
                    .filter_map(|p| crate::rules::services::pointer_index(p))
            })
            .collect();
        let session_diagnoses: Vec<String> = s
            .data
            .diagnoses
            .iter()
            .enumerate()
            .filter(|(ix, _)| pointed.contains(ix))
            .map(|(_, c)| context::dotted(c))
            .collect();
        for (i, (svc, line)) in s.data.services.iter().zip(services).enumerate() {
            // A line with no unit documents minutes; it is not billed.
            if line.units == 0 {
                continue;
            }
            let diagnoses: Vec<String> = svc
                .diagnosis_pointers
                .iter()
                .filter_map(|p| crate::rules::services::pointer_index(p))
                .filter_map(|ix| s.data.diagnoses.get(ix))
                .map(|c| context::dotted(c))
                .collect();
            pending.push(PendingLine {
                session_diagnoses: session_diagnoses.clone(),
                line: ClaimLine {
                    date: s.data.date,
                    place_of_service: line.place_of_service.clone(),
                    code: line.code.clone(),
                    modifiers: svc
                        .modifiers
                        .iter()
                        .take(4)
                        .map(|m| m.to_string())
                        .collect(),
                    pointers: String::new(),
                    charge: Money::parse(&line.charge).unwrap_or(Money::ZERO),
                    units: line.units,
                    rendering_npi: npi.clone(),
                    session: s.id.clone(),
                },
                diagnoses,
                // A session's payment goes with its first line, so it is counted once.
                paid: if i == 0 {
                    s.data.paid.unwrap_or(Money::ZERO)
                } else {
                    Money::ZERO
                },
                authorization: s.data.authorization.clone(),
                referral: referral.clone(),
            });
        }
    }
    let forms = split_into_forms(pending);
    let month_text = crate::figures::month_label(month);
    let mut inputs = vec!["practice.yaml".to_string(), patient.file.clone()];
    if let Some(p) = data.payers.get(payer) {
        inputs.push(p.file.clone());
    }
    inputs.extend(sessions.iter().map(|s| s.file.clone()));
    Claim {
        claim_id: claim_id(&patient.id, payer, &month_text),
        patient: patient.id.clone(),
        payer: payer.to_string(),
        month: month_text,
        forms,
        inputs,
    }
}

/// A stable claim id: the same patient, payer and month always give the same id.
pub fn claim_id(patient: &str, payer: &str, month: &str) -> String {
    let digest = Sha256::digest(format!("{patient}\n{payer}\n{month}").as_bytes());
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02X}")).collect();
    format!("CW{}{hex}", month.replace('-', ""))
}

/// Places lines on forms: a new form starts when six lines are used or a line's
/// diagnoses would push the form past twelve; pointers are lettered per form.
fn split_into_forms(lines: Vec<PendingLine>) -> Vec<ClaimForm> {
    let mut forms: Vec<ClaimForm> = Vec::new();
    let mut current: Option<ClaimForm> = None;
    for p in lines {
        let fits = current.as_ref().is_some_and(|f| {
            let new_dx = p
                .session_diagnoses
                .iter()
                .chain(&p.diagnoses)
                .filter(|d| !f.diagnoses.contains(d))
                .collect::<std::collections::BTreeSet<_>>()
                .len();
            // Items 17 and 23 hold one referrer and one authorization per form, so a line
            // under another one starts a new form.
            let same_authorization = p
                .authorization
                .as_ref()
                .is_none_or(|a| f.prior_authorization.is_empty() || &f.prior_authorization == a);
            let same_referral =
                p.referral.is_none() || f.referring.is_none() || f.referring == p.referral;
            f.lines.len() < LINES_PER_FORM
                && f.diagnoses.len() + new_dx <= DIAGNOSES_PER_FORM
                && same_authorization
                && same_referral
        });
        if !fits && let Some(done) = current.take() {
            forms.push(done);
        }
        let form = current.get_or_insert_with(|| ClaimForm {
            number: forms.len() + 1,
            diagnoses: Vec::new(),
            lines: Vec::new(),
            total_charge: Money::ZERO,
            amount_paid: Money::ZERO,
            prior_authorization: String::new(),
            referring: None,
        });
        // The session's diagnoses go in first, in its order; then this line's, should one be
        // missing (a pointer to a diagnosis no billed line of the session shares).
        for d in p.session_diagnoses.iter().chain(&p.diagnoses) {
            if !form.diagnoses.contains(d) && form.diagnoses.len() < DIAGNOSES_PER_FORM {
                form.diagnoses.push(d.clone());
            }
        }
        let mut letters = String::new();
        for d in p.diagnoses.iter().take(4) {
            let index = match form.diagnoses.iter().position(|x| x == d) {
                Some(i) => i,
                None => {
                    form.diagnoses.push(d.clone());
                    form.diagnoses.len() - 1
                }
            };
            letters.push_str(&context::letter(index));
        }
        let mut line = p.line;
        line.pointers = letters;
        form.total_charge = Money(form.total_charge.cents() + line.charge.cents());
        form.amount_paid = Money(form.amount_paid.cents() + p.paid.cents());
        if form.prior_authorization.is_empty()
            && let Some(a) = p.authorization
        {
            form.prior_authorization = a;
        }
        if form.referring.is_none() {
            form.referring = p.referral;
        }
        form.lines.push(line);
    }
    forms.extend(current);
    forms
}

/// The other coverage printed in items 9-9d: the secondary when billing the primary, and
/// the primary when billing the secondary.
pub fn other_coverage<'a>(patient: &'a Patient, billed: &Coverage) -> Option<&'a Coverage> {
    let wanted = match billed.priority {
        Priority::Primary => Priority::Secondary,
        Priority::Secondary => Priority::Primary,
    };
    patient
        .coverages
        .iter()
        .find(|c| c.priority == wanted && c.payer != billed.payer)
}

/// The subscriber's name, date of birth, sex and address: the patient when `self`.
pub fn insured(
    patient: &Patient,
    c: &Coverage,
) -> (
    String,
    String,
    NaiveDate,
    crate::model::patient::Sex,
    crate::model::Address,
) {
    match &c.subscriber {
        Subscriber::Patient => (
            patient.last_name.clone(),
            patient.first_name.clone(),
            patient.dob,
            patient.sex,
            patient.address.clone(),
        ),
        Subscriber::Other(s) => (
            s.last_name.clone(),
            s.first_name.clone(),
            s.dob,
            s.sex,
            s.address.clone(),
        ),
    }
}

/// Item 6: the patient's relationship to the insured.
pub fn relationship(c: &Coverage, kind: PayerKind) -> &'static str {
    if kind == PayerKind::WorkersComp {
        return "other";
    }
    match &c.subscriber {
        Subscriber::Patient => "self",
        Subscriber::Other(s) => match s.relationship {
            Relationship::Spouse => "spouse",
            Relationship::Child => "child",
            Relationship::Other => "other",
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pending(date: &str, code: &str, dx: &[&str]) -> PendingLine {
        PendingLine {
            line: ClaimLine {
                date: date.parse().unwrap(),
                place_of_service: "11".into(),
                code: code.into(),
                modifiers: vec![],
                pointers: String::new(),
                charge: Money(3800),
                units: 1,
                rendering_npi: "1234567893".into(),
                session: date.into(),
            },
            diagnoses: dx.iter().map(|s| s.to_string()).collect(),
            session_diagnoses: dx.iter().map(|s| s.to_string()).collect(),
            paid: Money::ZERO,
            authorization: None,
            referral: None,
        }
    }

    #[test]
    fn nine_lines_make_two_forms_with_own_totals_and_pointers() {
        let lines: Vec<PendingLine> = (1..=9)
            .map(|d| {
                let dx: &[&str] = if d <= 6 {
                    &["M54.50", "M62.830"]
                } else {
                    &["M54.2"]
                };
                pending(&format!("2026-11-{d:02}"), "97124", dx)
            })
            .collect();
        let forms = split_into_forms(lines);
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].lines.len(), 6);
        assert_eq!(forms[1].lines.len(), 3);
        assert_eq!(forms[0].total_charge, Money(6 * 3800));
        assert_eq!(forms[1].total_charge, Money(3 * 3800));
        assert_eq!(forms[0].lines[0].pointers, "AB");
        // M54.2 is the first diagnosis of the second form, so it is A there.
        assert_eq!(forms[1].diagnoses, vec!["M54.2".to_string()]);
        assert_eq!(forms[1].lines[0].pointers, "A");
        assert_eq!(forms[1].number, 2);
    }

    #[test]
    fn thirteenth_diagnosis_starts_a_new_form() {
        let codes: Vec<String> = (0..13).map(|i| format!("M79.{i}")).collect();
        let lines: Vec<PendingLine> = codes
            .chunks(3)
            .map(|c| {
                let dx: Vec<&str> = c.iter().map(String::as_str).collect();
                pending("2026-11-02", "97124", &dx)
            })
            .collect();
        let forms = split_into_forms(lines);
        assert!(
            forms
                .iter()
                .all(|f| f.diagnoses.len() <= DIAGNOSES_PER_FORM)
        );
        assert_eq!(forms.len(), 2);
    }

    #[test]
    fn item_21_keeps_the_sessions_order() {
        let mut line = pending("2026-11-02", "G0283", &["M54.50"]);
        line.session_diagnoses = vec!["M79.18".into(), "M54.2".into(), "M54.50".into()];
        let forms = split_into_forms(vec![line]);
        assert_eq!(forms[0].diagnoses, vec!["M79.18", "M54.2", "M54.50"]);
        assert_eq!(forms[0].lines[0].pointers, "C");
    }

    #[test]
    fn a_new_authorization_starts_a_new_form() {
        let mut a = pending("2026-11-02", "97124", &["M54.50"]);
        a.authorization = Some("AUTH-1".into());
        let mut b = pending("2026-11-20", "97124", &["M54.50"]);
        b.authorization = Some("AUTH-2".into());
        let forms = split_into_forms(vec![a, b]);
        assert_eq!(forms.len(), 2);
        assert_eq!(forms[0].prior_authorization, "AUTH-1");
        assert_eq!(forms[1].prior_authorization, "AUTH-2");
    }

    #[test]
    fn account_numbers_fit_and_stay_distinct() {
        assert_eq!(account_number("jane-doe"), "JANE-DOE");
        let a = account_number("robert-lindqvist");
        let b = account_number("robert-lindqvist-jr");
        assert_eq!(a.len(), ACCOUNT_WIDTH);
        assert_ne!(a, b);
        assert!(a.starts_with("ROBERT-L"));
    }

    #[test]
    fn claim_ids_are_stable() {
        assert_eq!(claim_id("a", "b", "2026-11"), claim_id("a", "b", "2026-11"));
        assert_ne!(claim_id("a", "b", "2026-11"), claim_id("a", "c", "2026-11"));
        assert!(claim_id("a", "b", "2026-11").starts_with("CW202611"));
    }
}

/// The data a claim's template-free render and its hooks see.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimContext {
    /// About the document.
    pub document: crate::documents::context::DocumentInfo,
    /// The claim.
    pub claim: Claim,
    /// `overlay` or `replica`.
    pub mode: &'static str,
    /// Printer offsets in inches (x, y).
    pub offsets: (f32, f32),
    /// Each form's printed fields, by CMS-1500 field id.
    pub fields: Vec<BTreeMap<String, String>>,
}

use std::collections::BTreeMap;

/// The claims of `patient` for `month`, one per payer billed, ready to render.
pub fn prepare_all(
    data: &PracticeData,
    patient: &Record<Patient>,
    month: NaiveDate,
    as_of: NaiveDate,
) -> Vec<super::Prepared> {
    prepare_with_mode(
        data,
        patient,
        month,
        as_of,
        crate::render::cms1500::Mode::Overlay,
    )
}

/// As `prepare_all`, printing in `mode`.
pub fn prepare_with_mode(
    data: &PracticeData,
    patient: &Record<Patient>,
    month: NaiveDate,
    as_of: NaiveDate,
    mode: crate::render::cms1500::Mode,
) -> Vec<super::Prepared> {
    let mut out = Vec::new();
    for (payer, sessions) in sessions_by_payer(data, &patient.id, month) {
        let claim = assemble(data, patient, &payer, month, &sessions);
        let fields = claim
            .forms
            .iter()
            .map(|f| form_fields(data, patient, &payer, f, as_of))
            .collect();
        let offsets = data
            .practice()
            .map(|p| (p.claim_form.offset_x_inches, p.claim_form.offset_y_inches))
            .unwrap_or((0.0, 0.0));
        let ctx = ClaimContext {
            document: crate::documents::context::DocumentInfo {
                kind: "claim",
                title: format!(
                    "CMS-1500 claim {} for {}, {}",
                    claim.claim_id,
                    patient.data.full_name(),
                    claim.month
                ),
                draft: false,
                as_of,
            },
            mode: match mode {
                crate::render::cms1500::Mode::Overlay => "overlay",
                crate::render::cms1500::Mode::Replica => "replica",
            },
            offsets,
            fields,
            claim,
        };
        let mut depends = ctx.claim.inputs.clone();
        if let Some(other) = data
            .coverage_of(&sessions[0].data)
            .and_then(|c| other_coverage(&patient.data, c))
            .and_then(|c| data.payers.get(&c.payer))
        {
            depends.push(other.file.clone());
        }
        let mut prepared = super::Prepared::new(
            crate::model::DocumentKind::Claim,
            format!("{}-{}-{}", patient.id, payer, ctx.claim.month),
            ctx.document.title.clone(),
            super::patient_header(&patient.data),
            &ctx,
            patient.file.clone(),
            ctx.claim.inputs.clone(),
        )
        .depending_on(depends);
        let owned: Vec<&Record<Session>> = sessions.to_vec();
        prepared.findings = claim_findings(data, &owned, as_of);
        if let Some(cov) = data.coverage_of(&sessions[0].data) {
            let kind = data
                .payers
                .get(&cov.payer)
                .map(|p| p.data.kind)
                .unwrap_or(PayerKind::Other);
            let index = patient
                .data
                .coverages
                .iter()
                .position(|x| std::ptr::eq(x, cov))
                .unwrap_or(0);
            prepared
                .findings
                .extend(casualty_findings(cov, index, kind, &patient.file));
        }
        if let Some(fields) = prepared
            .context
            .get("fields")
            .and_then(|f| serde_json::from_value::<Vec<BTreeMap<String, String>>>(f.clone()).ok())
        {
            prepared
                .findings
                .extend(fit_findings(&fields, &patient.file));
        }
        prepared
            .findings
            .extend(super::missing_visits(data, &patient.id, month));
        out.push(prepared);
    }
    out
}

/// Renders a prepared claim's forms to a PDF, with a note for every value that had to be
/// shortened or transliterated to fit its box.
pub fn render_pdf(doc: &super::Prepared) -> anyhow::Result<(Vec<u8>, Vec<String>)> {
    let ctx = &doc.context;
    let fields: Vec<BTreeMap<String, String>> =
        serde_json::from_value(ctx.get("fields").cloned().unwrap_or_default())?;
    let mode = match ctx.get("mode").and_then(|m| m.as_str()) {
        Some("replica") => crate::render::cms1500::Mode::Replica,
        _ => crate::render::cms1500::Mode::Overlay,
    };
    let offsets = ctx
        .get("offsets")
        .and_then(|o| serde_json::from_value::<(f32, f32)>(o.clone()).ok())
        .unwrap_or((0.0, 0.0));
    let fitted = crate::render::cms1500::fit_forms(&fields)?;
    let notes = fitted.notes.iter().map(|n| n.to_string()).collect();
    let bytes = crate::render::cms1500::render_forms(
        &fitted.forms,
        mode,
        crate::render::cms1500::Offsets {
            x_inches: offsets.0,
            y_inches: offsets.1,
        },
        &doc.title,
    )?;
    Ok((bytes, notes))
}

/// Width of item 26, the patient's account number.
const ACCOUNT_WIDTH: usize = 14;

/// Item 26: the patient id in upper case; an id too long for the box keeps its start and
/// ends in a short hash of the whole id, so two long ids never print the same number.
fn account_number(id: &str) -> String {
    let upper = id.to_uppercase();
    if upper.len() <= ACCOUNT_WIDTH {
        return upper;
    }
    let digest = Sha256::digest(id.as_bytes());
    let hash: String = digest.iter().take(3).map(|b| format!("{b:02X}")).collect();
    let hash = &hash[..5];
    // Ids are ASCII (lowercase letters, digits, '-'), so byte slicing is safe.
    let keep = ACCOUNT_WIDTH - hash.len() - 1;
    format!("{}-{hash}", &upper[..keep])
}

/// Fields holding identifiers: cutting one would print a different, wrong id.
const IDENTIFIER_FIELDS: &[&str] = &[
    "1a", "9a", "11", "11b", "17b", "23", "25", "26", "32a", "33a",
];

/// Findings for values that do not fit their boxes: an identifier refuses the claim, other
/// text is shortened with a warning. Messages name the item, never the value, since values
/// are patient data.
fn fit_findings(fields: &[BTreeMap<String, String>], patient_file: &str) -> Vec<Finding> {
    let Ok(fitted) = crate::render::cms1500::fit_forms(fields) else {
        return Vec::new();
    };
    fitted
        .notes
        .iter()
        .filter_map(|n| {
            let width = n.truncated_to?;
            let identifier = IDENTIFIER_FIELDS.contains(&n.field.as_str())
                || n.field.starts_with("21_")
                || n.field.ends_with("_npi");
            Some(if identifier {
                Finding::error(
                    "claim.value_too_long",
                    patient_file,
                    format!(
                        "form {}, item {}: the value is longer than the {width} characters the box holds, and cutting an identifier would print a wrong one: check the value",
                        n.form, n.item
                    ),
                )
            } else {
                Finding::warning(
                    "claim.value_shortened",
                    patient_file,
                    format!(
                        "form {}, item {}: shortened to the {width} characters the box holds",
                        n.form, n.item
                    ),
                )
            })
        })
        .collect()
}

fn mmddyyyy(d: NaiveDate) -> String {
    d.format("%m %d %Y").to_string()
}

fn mmddyy(d: NaiveDate) -> String {
    d.format("%m %d %y").to_string()
}

/// Upper-case "LAST, FIRST" as items 2, 4 and 9 want it.
fn name_last_first(last: &str, first: &str) -> String {
    format!("{}, {}", last, first).to_uppercase()
}

fn money_parts(m: Money) -> (String, String) {
    let cents = m.cents().max(0);
    ((cents / 100).to_string(), format!("{:02}", cents % 100))
}

/// Splits "207-555-0143" into ("207", "5550143"): the form has boxes for the area code
/// and seven digits, with no room for a hyphen.
fn phone_parts(phone: &str) -> (String, String) {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 => (digits[..3].to_string(), digits[3..].to_string()),
        11 if digits.starts_with('1') => (digits[1..4].to_string(), digits[4..].to_string()),
        _ => (String::new(), String::new()),
    }
}

/// Every printed field of one form, by field id of the CMS-1500 grid.
pub fn form_fields(
    data: &PracticeData,
    patient: &Record<Patient>,
    payer_id: &str,
    form: &ClaimForm,
    as_of: NaiveDate,
) -> BTreeMap<String, String> {
    let mut f: BTreeMap<String, String> = BTreeMap::new();
    let mut set = |k: &str, v: String| {
        if !v.is_empty() {
            f.insert(k.to_string(), v);
        }
    };
    let p = &patient.data;
    let payer = data.payers.get(payer_id).map(|r| &r.data);
    let first_date = form.lines.first().map(|l| l.date).unwrap_or(as_of);
    let coverage = p.coverage_on(Some(payer_id), first_date);
    let kind = payer.map(|x| x.kind).unwrap_or(PayerKind::Other);

    if let Some(payer) = payer {
        let a = &payer.claims_address;
        set("carrier_name", payer.name.clone());
        set("carrier_address1", a.street.clone());
        set(
            "carrier_city_state_zip",
            format!("{}, {} {}", a.city, a.state, a.zip),
        );
    }
    let box1 = match kind {
        PayerKind::Medicare => "1_medicare",
        PayerKind::Medicaid => "1_medicaid",
        PayerKind::Tricare => "1_tricare",
        PayerKind::Commercial | PayerKind::MedicareAdvantage => "1_group",
        PayerKind::WorkersComp | PayerKind::Auto | PayerKind::Other => "1_other",
    };
    set(box1, "X".into());
    if let Some(c) = coverage {
        set("1a", c.member_id.clone());
    }
    set("2", name_last_first(&p.last_name, &p.first_name));
    set("3_dob", mmddyyyy(p.dob));
    match p.sex {
        crate::model::patient::Sex::M => set("3_sex_m", "X".into()),
        crate::model::patient::Sex::F => set("3_sex_f", "X".into()),
        crate::model::patient::Sex::U => {}
    }
    set("5_street", p.address.street.clone());
    set("5_city", p.address.city.clone());
    set("5_state", p.address.state.clone());
    set("5_zip", p.address.zip.to_string());
    if let Some(phone) = &p.phone {
        let (area, rest) = phone_parts(phone);
        set("5_phone_area", area);
        set("5_phone", rest);
    }
    if let Some(c) = coverage {
        let employer = c
            .employer
            .as_ref()
            .filter(|_| kind == PayerKind::WorkersComp);
        let (last, first, dob, sex, addr) = insured(p, c);
        match employer {
            Some(e) => {
                set("4", e.name.to_uppercase());
                set("7_street", e.address.street.clone());
                set("7_city", e.address.city.clone());
                set("7_state", e.address.state.clone());
                set("7_zip", e.address.zip.to_string());
                if let Some(phone) = &e.phone {
                    let (area, rest) = phone_parts(phone);
                    set("7_phone_area", area);
                    set("7_phone", rest);
                }
            }
            None => {
                set("4", name_last_first(&last, &first));
                set("7_street", addr.street.clone());
                set("7_city", addr.city.clone());
                set("7_state", addr.state.clone());
                set("7_zip", addr.zip.to_string());
            }
        }
        set(&format!("6_{}", relationship(c, kind)), "X".into());
        if !matches!(c.subscriber, Subscriber::Patient) && employer.is_none() {
            set("11a_dob", mmddyyyy(dob));
            match sex {
                crate::model::patient::Sex::M => set("11a_sex_m", "X".into()),
                crate::model::patient::Sex::F => set("11a_sex_f", "X".into()),
                crate::model::patient::Sex::U => {}
            }
        }
        let group = c
            .group_number
            .as_ref()
            .map(|g| g.to_string())
            .unwrap_or_default();
        if kind == PayerKind::Medicare && group.is_empty() {
            set("11", "NONE".into());
        } else {
            set("11", group);
        }
        set("11c", c.plan_name.clone().unwrap_or_default());
        let other = other_coverage(p, c);
        match other {
            Some(o) => {
                set("11d_yes", "X".into());
                let (olast, ofirst, ..) = insured(p, o);
                set("9", name_last_first(&olast, &ofirst));
                set(
                    "9a",
                    o.group_number
                        .as_ref()
                        .map(|g| g.to_string())
                        .unwrap_or_else(|| o.member_id.clone()),
                );
                let oname = o
                    .plan_name
                    .clone()
                    .or_else(|| data.payers.get(&o.payer).map(|x| x.data.name.clone()))
                    .unwrap_or_default();
                set("9d", oname);
            }
            None => set("11d_no", "X".into()),
        }
        let employment = kind == PayerKind::WorkersComp;
        let auto = kind == PayerKind::Auto;
        set(if employment { "10a_yes" } else { "10a_no" }, "X".into());
        set(if auto { "10b_yes" } else { "10b_no" }, "X".into());
        if auto {
            set("10b_state", c.accident_state.clone().unwrap_or_default());
        }
        set("10c_no", "X".into());
        if (employment || auto)
            && let Some(claim) = &c.claim_number
        {
            set("11b_qual", "Y4".into());
            set("11b", claim.clone());
        }
        if let Some(injury) = c.injury_date {
            set("14_date", mmddyyyy(injury));
            set("14_qual", "431".into());
        }
    }
    if p.signature_on_file {
        set("12_signature", "SIGNATURE ON FILE".into());
        set("13_signature", "SIGNATURE ON FILE".into());
    }
    if let Some((name, npi)) = &form.referring {
        set("17_qual", "DN".into());
        set("17_name", name.to_uppercase());
        set("17b", npi.clone());
    }
    set("21_ind", "0".into());
    for (i, d) in form.diagnoses.iter().enumerate() {
        let letter = context::letter(i).to_lowercase();
        set(&format!("21_{letter}"), d.replace('.', ""));
    }
    set("23", form.prior_authorization.clone());
    for (i, line) in form.lines.iter().enumerate() {
        let n = i + 1;
        set(&format!("24a_{n}_from"), mmddyy(line.date));
        set(&format!("24a_{n}_to"), mmddyy(line.date));
        set(&format!("24b_{n}"), line.place_of_service.clone());
        set(&format!("24d_{n}_code"), line.code.clone());
        for (m_i, m) in line.modifiers.iter().enumerate() {
            set(&format!("24d_{n}_mod{}", m_i + 1), m.clone());
        }
        set(&format!("24e_{n}"), line.pointers.clone());
        let (dollars, cents) = money_parts(line.charge);
        set(&format!("24f_{n}_dollars"), dollars);
        set(&format!("24f_{n}_cents"), cents);
        set(&format!("24g_{n}"), line.units.to_string());
        set(&format!("24j_{n}_npi"), line.rendering_npi.clone());
    }
    if let Some(practice) = data.practice() {
        set("25", crate::codes::tax_id::digits(&practice.tax_id));
        set(
            match practice.tax_id_type {
                crate::codes::tax_id::TaxIdType::Ein => "25_ein",
                crate::codes::tax_id::TaxIdType::Ssn => "25_ssn",
            },
            "X".into(),
        );
        set(
            if practice.accept_assignment {
                "27_yes"
            } else {
                "27_no"
            },
            "X".into(),
        );
        let signer = form
            .lines
            .first()
            .and_then(|l| data.session(&l.session))
            .and_then(|s| data.provider_of(&s.data));
        if let Some(prov) = signer {
            set(
                "31_signature",
                format!(
                    "{} {} {}",
                    prov.first_name, prov.last_name, prov.credentials
                )
                .to_uppercase(),
            );
        }
        set("31_date", mmddyy(as_of));
        // Item 32: where the services were rendered; the practice's own office unless every
        // line of the form was rendered at the patient's home or by telehealth.
        let away = form
            .lines
            .iter()
            .all(|l| matches!(l.place_of_service.as_str(), "02" | "10" | "12"));
        if !away {
            set("32_name", practice.name.to_uppercase());
            set("32_street", practice.address.street.clone());
            set(
                "32_city_state_zip",
                format!(
                    "{}, {} {}",
                    practice.address.city, practice.address.state, practice.address.zip
                ),
            );
            set("32a", practice.npi.to_string());
        }
        set("33_name", practice.name.to_uppercase());
        set("33_street", practice.address.street.clone());
        set(
            "33_city_state_zip",
            format!(
                "{}, {} {}",
                practice.address.city, practice.address.state, practice.address.zip
            ),
        );
        let (area, rest) = phone_parts(&practice.phone);
        set("33_phone_area", area);
        set("33_phone", rest);
        set("33a", practice.npi.to_string());
        set("33b", format!("ZZ{}", practice.taxonomy));
    }
    set("26", account_number(&patient.id));
    let (dollars, cents) = money_parts(form.total_charge);
    set("28_dollars", dollars);
    set("28_cents", cents);
    if form.amount_paid.cents() > 0 {
        let (dollars, cents) = money_parts(form.amount_paid);
        set("29_dollars", dollars);
        set("29_cents", cents);
    }
    f
}
