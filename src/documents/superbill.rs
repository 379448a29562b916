//! The superbill: an itemized, coded receipt of a patient's month, which the patient sends
//! to an out-of-network plan for reimbursement.

use super::context::{
    self, CoverageCtx, DiagnosisCtx, PatientCtx, PracticeCtx, ProviderCtx, ServiceCtx,
};
use super::wording::{self, Phrases, fill};
use super::{Kind, Parts, Prepared, Scope, Subject, SubjectKind, screen};
use crate::findings::Finding;
use crate::load::{PracticeData, Record};
use crate::model::patient::{Language, Network};
use crate::model::{Money, Patient, Referral, Session};
use chrono::NaiveDate;
use serde::Serialize;

/// The superbill kind.
pub const KIND: Kind = Kind {
    name: "superbill",
    command: "superbill",
    subject: SubjectKind::Patient,
    monthly: true,
    drafts: true,
    template: Some(super::Template {
        file: "superbill.md",
        builtin: include_str!("../../templates/superbill.md"),
    }),
    refused_by: screen::ALL_TOPICS,
    plan: plan_month,
    prepare: prepare_subject,
};

/// The superbill in Spanish, for a patient whose `language` is `es`.
pub const KIND_ES: Kind = Kind {
    template: Some(super::Template {
        file: "superbill.es.md",
        builtin: include_str!("../../templates/superbill.es.md"),
    }),
    ..KIND
};

/// Patients seen in the month with a visit out of network or billed to no plan: a patient
/// whose visits the practice bills in network gets no superbill.
fn plan_month<'a>(data: &'a PracticeData, scope: &Scope<'_>) -> Vec<Subject<'a>> {
    let Some(month) = scope.month else {
        return Vec::new();
    };
    super::patients_seen(data, scope)
        .into_iter()
        .filter(|p| {
            data.sessions_of(&p.id)
                .filter(|s| crate::figures::in_month(s.data.date, month))
                .any(|s| self_billed(data, &s.data))
        })
        .map(Subject::Patient)
        .collect()
}

/// True when the patient pays the practice for `session` and claims it themselves: it is
/// billed to an out-of-network coverage, or to no coverage in force that day (self-pay).
fn self_billed(data: &PracticeData, session: &Session) -> bool {
    data.coverage_of(session)
        .is_none_or(|c| c.network == Network::Out || !c.active_on(session.date))
}

fn prepare_subject(data: &PracticeData, subject: Subject<'_>, scope: &Scope<'_>) -> Vec<Prepared> {
    match (subject, scope.month) {
        (Subject::Patient(p), Some(month)) => {
            prepare(data, p, month, scope.as_of).into_iter().collect()
        }
        _ => Vec::new(),
    }
}

/// Context of `superbill.md`.
#[derive(Debug, Clone, Serialize)]
pub struct SuperbillContext {
    /// The practice.
    pub practice: Option<PracticeCtx>,
    /// Providers who rendered the month's services.
    pub providers: Vec<SuperbillProvider>,
    /// The patient.
    pub patient: PatientCtx,
    /// The coverage the patient claims against.
    pub coverage: Option<CoverageCtx>,
    /// The physicians or practitioners who referred the patient for the visits listed.
    pub referrals: Vec<ReferralCtx>,
    /// "2026-11".
    pub month: String,
    /// The month in words, "November 2026".
    pub month_long: String,
    /// The day it was prepared (`--as-of`), with `prepared_text` and `prepared_long`.
    pub prepared: NaiveDate,
    /// Every diagnosis of the month, lettered for the lines' pointers.
    pub diagnoses: Vec<DiagnosisCtx>,
    /// Every service line of the month, in date order.
    pub lines: Vec<SuperbillLine>,
    /// Each procedure code of the lines once, with its description.
    pub services: Vec<CodeCtx>,
    /// What the patient paid at the visits listed, visit by visit.
    pub payments: Vec<PaymentCtx>,
    /// Totals.
    pub totals: SuperbillTotals,
}

/// A procedure code and what it is.
#[derive(Debug, Clone, Serialize)]
pub struct CodeCtx {
    /// CPT/HCPCS code.
    pub code: String,
    /// Plain description.
    pub description: String,
    /// The service in words, in the patient's language, e.g. "massage, 15-minute units".
    pub name: String,
}

/// A rendering provider, with the license as the patient's language writes it.
#[derive(Debug, Clone, Serialize)]
pub struct SuperbillProvider {
    /// The provider.
    #[serde(flatten)]
    pub provider: ProviderCtx,
    /// "ME MT-4471 (expires 06/30/2027)"; empty without a license.
    pub license_text: String,
}

/// A referral behind the visits.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralCtx {
    /// Name and credentials, e.g. "Karen Ouellette, NP".
    pub provider: String,
    /// The referring provider's NPI.
    pub npi: String,
    /// The day of the referral.
    pub date: NaiveDate,
    /// "Referral from Karen Ouellette, NP (NPI ...), October 29, 2026", with the payer's
    /// number when there is one; never the record's id.
    pub text: String,
}

/// A payment at a visit.
#[derive(Debug, Clone, Serialize)]
pub struct PaymentCtx {
    /// The visit's date.
    pub visit: NaiveDate,
    /// The amount.
    pub amount: Money,
    /// How it was paid, as the record says, or "".
    pub method: String,
    /// The day it was paid: the record's, else the visit's.
    pub date: NaiveDate,
}

/// One line of the superbill.
#[derive(Debug, Clone, Serialize)]
pub struct SuperbillLine {
    /// The service line.
    #[serde(flatten)]
    pub service: ServiceCtx,
    /// Pointers re-lettered to the month's diagnosis list.
    pub month_pointers: String,
    /// Rendering provider's name and credentials.
    pub provider: String,
    /// Rendering provider's NPI.
    pub provider_npi: String,
}

/// Totals of the month.
#[derive(Debug, Clone, Serialize)]
pub struct SuperbillTotals {
    /// Sum of charges.
    pub charged: Money,
    /// Sum paid by the patient.
    pub paid: Money,
    /// Charged minus paid.
    pub balance: Money,
    /// Nothing is due: the payments cover the charges.
    pub paid_in_full: bool,
    /// Visits in the month.
    pub visits: usize,
}

/// Prepares the superbill of `rec` for `month` (any day of it): the visits the patient pays
/// for and claims themselves (all of the month's, with a `superbill.in_network` warning,
/// when the practice bills every one in network); None when the month has no session.
pub fn prepare(
    data: &PracticeData,
    rec: &Record<Patient>,
    month: NaiveDate,
    as_of: NaiveDate,
) -> Option<Prepared> {
    let month_sessions: Vec<&Record<Session>> = data
        .sessions_of(&rec.id)
        .filter(|s| crate::figures::in_month(s.data.date, month))
        .collect();
    let first_of_month = *month_sessions.first()?;
    let own: Vec<&Record<Session>> = month_sessions
        .iter()
        .copied()
        .filter(|s| self_billed(data, &s.data))
        .collect();
    let in_network = own.is_empty();
    let sessions = if in_network { month_sessions } else { own };
    let first = sessions.first().copied().unwrap_or(first_of_month);
    let coverage = data.coverage_of(&first.data);
    let lines = month_lines(data, &sessions);
    let charged: i64 = lines
        .lines
        .iter()
        .filter_map(|l| l.service.charge)
        .map(Money::cents)
        .sum();
    let payments = payments_of(&sessions);
    let paid: i64 = payments.iter().map(|p| p.amount.cents()).sum();
    let month_text = crate::figures::month_label(month);
    let lang = wording::language_of(data, &rec.data);
    let phrases = wording::phrases(lang);
    let title = fill(
        phrases.superbill_title,
        &[
            ("name", &rec.data.full_name()),
            ("month", &wording::month_long(month, lang)),
        ],
    );
    let ctx = SuperbillContext {
        practice: data.practice().map(PracticeCtx::from),
        providers: lines
            .providers
            .into_iter()
            .map(|p| provider_of(data, p, phrases))
            .collect(),
        patient: PatientCtx::new(rec),
        coverage: coverage.map(|c| CoverageCtx::new(data, &rec.data, c)),
        referrals: referrals_of(&rec.data, &sessions, phrases, lang),
        month: month_text.clone(),
        month_long: wording::month_long(month, lang),
        prepared: as_of,
        diagnoses: lines.diagnoses,
        services: codes_of(&lines.lines, phrases),
        lines: lines.lines,
        payments,
        totals: SuperbillTotals {
            charged: Money(charged),
            paid: Money(paid),
            balance: Money(charged - paid),
            paid_in_full: paid >= charged,
            visits: sessions.len(),
        },
    };
    let mut inputs = vec!["practice.yaml".to_string(), rec.file.clone()];
    inputs.extend(sessions.iter().map(|s| s.file.clone()));
    if let Some(p) = data.payer_of(&first.data) {
        inputs.push(p.file.clone());
    }
    let mut value = serde_json::to_value(&ctx).unwrap_or(serde_json::Value::Null);
    wording::add_display_fields(&mut value, lang);
    let mut prepared = Prepared::template(
        Parts {
            kind: super::in_language(&KIND, lang),
            name: format!("{}-{month_text}", rec.id),
            title,
            header: wording::page_header(&rec.data, lang),
            source: rec.file.clone(),
            inputs,
        },
        as_of,
        &value,
    );
    prepared.findings = super::missing_visits(data, &rec.id, month);
    if in_network {
        prepared
            .findings
            .push(billed_in_network(data, rec, &first.data, &month_text));
    }
    Some(prepared)
}

/// The `superbill.in_network` warning: the practice bills the plan for these visits, so a
/// superbill would have the patient claim them a second time.
fn billed_in_network(
    data: &PracticeData,
    rec: &Record<Patient>,
    session: &Session,
    month: &str,
) -> Finding {
    let coverage = data.coverage_of(session);
    let index = coverage.and_then(|c| rec.data.coverages.iter().position(|x| std::ptr::eq(x, c)));
    let payer = coverage.map_or("", |c| c.payer.as_str());
    let finding = Finding::warning(
        "superbill.in_network",
        &rec.file,
        format!(
            "every visit of {month} is billed in network to {payer}: the practice claims them from the plan, so the patient must not send a superbill for them too; a superbill is for out-of-network and self-pay visits (if the practice is out of the plan's network, write `network: out` on the coverage)"
        ),
    );
    match index {
        Some(i) => finding.at(format!("coverages[{i}].network")),
        None => finding,
    }
}

/// The lines of the month's `sessions`, with their diagnoses lettered for the month and the
/// providers who rendered them.
struct MonthLines {
    /// Diagnoses, lettered.
    diagnoses: Vec<DiagnosisCtx>,
    /// Service lines.
    lines: Vec<SuperbillLine>,
    /// Rendering providers, each once.
    providers: Vec<ProviderCtx>,
}

/// Every service line of `sessions`, every unit given.
fn month_lines(data: &PracticeData, sessions: &[&Record<Session>]) -> MonthLines {
    let mut out = MonthLines {
        diagnoses: Vec::new(),
        lines: Vec::new(),
        providers: Vec::new(),
    };
    for s in sessions {
        let mut letters = Vec::new();
        for code in &s.data.diagnoses {
            let dotted = context::dotted(code);
            let index = match out.diagnoses.iter().position(|d| d.code == dotted) {
                Some(i) => i,
                None => {
                    out.diagnoses.push(DiagnosisCtx {
                        pointer: context::letter(out.diagnoses.len()),
                        code: dotted,
                        description: context::icd_description(&data.icd10, code, s.data.date),
                    });
                    out.diagnoses.len() - 1
                }
            };
            letters.push(context::letter(index));
        }
        let provider = data.provider_of(&s.data).map(ProviderCtx::from);
        if let Some(p) = &provider
            && !out.providers.iter().any(|x| x.id == p.id)
        {
            out.providers.push(p.clone());
        }
        for (svc, line) in s
            .data
            .services
            .iter()
            // An itemized statement of services lists every unit given, also those past the
            // plan's maximum minutes: the patient pays them all and claims from the plan.
            .zip(
                context::services_of(data, &s.data)
                    .into_iter()
                    .map(ServiceCtx::whole),
            )
        {
            let month_pointers = svc
                .diagnosis_pointers
                .iter()
                .filter_map(|p| crate::rules::services::pointer_index(p))
                .filter_map(|i| letters.get(i).cloned())
                .collect::<Vec<_>>()
                .join(" ");
            out.lines.push(SuperbillLine {
                service: line,
                month_pointers,
                provider: provider
                    .as_ref()
                    .map(|p| format!("{}, {}", p.name, p.credentials))
                    .unwrap_or_default(),
                provider_npi: provider.as_ref().map(|p| p.npi.clone()).unwrap_or_default(),
            });
        }
    }
    out
}

/// A provider with the license in `p`'s words.
fn provider_of(data: &PracticeData, provider: ProviderCtx, p: &Phrases) -> SuperbillProvider {
    let record = data
        .practice()
        .and_then(|x| x.providers.iter().find(|r| r.id == provider.id));
    SuperbillProvider {
        license_text: record
            .and_then(|r| r.license.as_ref())
            .map(|l| {
                fill(
                    p.license,
                    &[
                        ("state", &l.state),
                        ("number", &l.number),
                        ("date", &wording::date_short(l.expires)),
                    ],
                )
            })
            .unwrap_or_default(),
        provider,
    }
}

/// Each code of `lines` once, in the order they first come.
fn codes_of(lines: &[SuperbillLine], p: &Phrases) -> Vec<CodeCtx> {
    let mut out: Vec<CodeCtx> = Vec::new();
    for l in lines {
        if !out.iter().any(|c| c.code == l.service.code) {
            out.push(CodeCtx {
                code: l.service.code.clone(),
                description: l.service.description.clone(),
                name: wording::service_name(&l.service.code, p),
            });
        }
    }
    out
}

/// What the patient paid at each of `sessions` that records a payment.
fn payments_of(sessions: &[&Record<Session>]) -> Vec<PaymentCtx> {
    sessions
        .iter()
        .filter_map(|s| {
            let paid = s.data.paid.as_ref()?;
            Some(PaymentCtx {
                visit: s.data.date,
                amount: paid.amount(),
                method: paid.method().unwrap_or_default().to_string(),
                date: paid.date().unwrap_or(s.data.date),
            })
        })
        .collect()
}

/// The referrals the visits name, else those in force on their dates, each once.
fn referrals_of(
    patient: &Patient,
    sessions: &[&Record<Session>],
    p: &Phrases,
    lang: Language,
) -> Vec<ReferralCtx> {
    let mut out: Vec<&Referral> = Vec::new();
    for s in sessions {
        let named = s
            .data
            .referral
            .as_deref()
            .and_then(|id| patient.referrals.iter().find(|r| r.id == id));
        let in_force = || {
            patient
                .referrals
                .iter()
                .filter(|r| r.date <= s.data.date && r.expires.is_none_or(|e| s.data.date <= e))
                .max_by_key(|r| r.date)
        };
        if let Some(r) = named.or_else(in_force)
            && !out.iter().any(|x| x.id == r.id)
        {
            out.push(r);
        }
    }
    out.iter()
        .map(|r| {
            let by = &r.referring_provider;
            ReferralCtx {
                provider: format!("{} {}, {}", by.first_name, by.last_name, by.credentials),
                npi: by.npi.to_string(),
                date: r.date,
                text: wording::referral_text(r, p, lang),
            }
        })
        .collect()
}
