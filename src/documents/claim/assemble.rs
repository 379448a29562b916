//! Builds a claim from the visits that may be billed: who is billed for whom, the lines with
//! their diagnoses, and the totals. No paper or electronic limit applies here.

use super::{
    Adjudication, Adjusted, BillingProvider, Claim, ClaimLine, ClaimPatient, ClaimPayer,
    ClaimReferral, ClaimVisit, Clinician, Employer, Frequency, Insured, LineAdjudication,
    OtherCoverage, Related,
};
use crate::documents::context;
use crate::load::{PracticeData, Record};
use crate::model::patient::{Priority, Relationship, Subscriber};
use crate::model::payer::Item1;
use crate::model::{Coverage, Money, Patient, PayerKind, Session};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

/// The sessions of `patient` in `month`, grouped by the payer they bill, in date order.
/// A visit with no coverage (self-pay) is not claimed.
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

/// A stable claim id: the same patient, payer, month and sequence (1 for the month's first
/// claim to the payer) always give the same id, at most 20 characters (CLM01, item 26).
pub fn claim_id(patient: &str, payer: &str, month: &str, sequence: usize) -> String {
    let key = match sequence {
        1 => format!("{patient}\n{payer}\n{month}"),
        n => format!("{patient}\n{payer}\n{month}\n{n}"),
    };
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest.iter().take(5).map(|b| format!("{b:02X}")).collect();
    format!("CW{}{hex}", month.replace('-', ""))
}

/// A service line's control number (837P REF*6R): built from its session and place in it,
/// so it stays the same across reruns, corrections and splits.
pub fn line_control_number(session: &str, service_index: usize) -> String {
    let digest = Sha256::digest(session.as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02X}")).collect();
    format!("L{hex}{service_index:02}")
}

/// Diagnoses a claim holds (837P HI, CMS-1500 item 21).
const DIAGNOSES_PER_CLAIM: usize = 12;
/// Service lines a claim holds (837P loop 2400).
const LINES_PER_CLAIM: usize = 50;

/// A visit to claim and the services of it that are claimed.
#[derive(Debug, Clone)]
pub struct Billable<'a> {
    /// The session.
    pub session: &'a Record<Session>,
    /// Indexes into its `services` of the lines to claim.
    pub services: Vec<usize>,
}

impl<'a> Billable<'a> {
    /// The lines of `s` that carry units, that its Medicare plan does not bundle, and that
    /// `claimable` lets through; None when no line is left.
    pub fn of(
        data: &PracticeData,
        s: &'a Record<Session>,
        claimable: impl Fn(usize) -> bool,
    ) -> Option<Billable<'a>> {
        let payer = data.payer_of(&s.data).map(|p| &p.data);
        let bundled =
            |code: &str| payer.is_some_and(|p| crate::rules::services::bundled_by(code, p));
        let services: Vec<usize> = context::services_of(data, &s.data)
            .iter()
            .enumerate()
            .filter(|(i, l)| l.units > 0 && !bundled(&l.code) && claimable(*i))
            .map(|(i, _)| i)
            .collect();
        (!services.is_empty()).then_some(Billable {
            session: s,
            services,
        })
    }
}

/// The visits of each claim: a claim names one rendering provider (CMS-1500 item 31, 837P
/// 2310B) and holds one authorization and one referral, at most twelve diagnoses and fifty
/// lines, so a month's visits to one payer may make several. Each provider's visits go
/// together, providers in the order of their first visit, so a month with one provider is
/// grouped (and its claims numbered) as before.
pub fn group_into_claims<'a>(visits: &[Billable<'a>]) -> Vec<Vec<Billable<'a>>> {
    let mut providers: Vec<&str> = Vec::new();
    for v in visits {
        let provider = v.session.data.provider.as_str();
        if !providers.contains(&provider) {
            providers.push(provider);
        }
    }
    providers
        .into_iter()
        .flat_map(|provider| {
            let theirs: Vec<&Billable<'a>> = visits
                .iter()
                .filter(|v| v.session.data.provider == provider)
                .collect();
            split_by_limits(&theirs)
        })
        .collect()
}

/// One provider's visits in claims: a new claim starts, in date order, when a visit's
/// authorization or referral differs or the diagnoses or lines would pass a claim's limits.
fn split_by_limits<'a>(visits: &[&Billable<'a>]) -> Vec<Vec<Billable<'a>>> {
    let mut groups: Vec<Vec<Billable>> = Vec::new();
    let mut current: Vec<Billable> = Vec::new();
    for v in visits {
        let s = v.session;
        let fits = current.is_empty() || {
            let same = |f: fn(&Session) -> Option<&String>| {
                let mine = f(&s.data);
                mine.is_none()
                    || current
                        .iter()
                        .all(|c| f(&c.session.data).is_none_or(|x| Some(x) == mine))
            };
            let mut dx: Vec<String> = current
                .iter()
                .flat_map(|c| c.session.data.diagnoses.iter().map(|d| context::dotted(d)))
                .collect();
            dx.extend(s.data.diagnoses.iter().map(|d| context::dotted(d)));
            dx.sort();
            dx.dedup();
            let lines: usize =
                current.iter().map(|c| c.services.len()).sum::<usize>() + v.services.len();
            same(|x| x.authorization.as_ref())
                && same(|x| x.referral.as_ref())
                && dx.len() <= DIAGNOSES_PER_CLAIM
                && lines <= LINES_PER_CLAIM
        };
        if !fits {
            groups.push(std::mem::take(&mut current));
        }
        current.push((*v).clone());
    }
    if !current.is_empty() {
        groups.push(current);
    }
    groups
}

/// Assembles the claim of `sessions` (one patient, one payer, one month; the month's
/// `sequence`-th claim to that payer).
pub fn assemble(
    data: &PracticeData,
    patient: &Record<Patient>,
    payer: &str,
    month: NaiveDate,
    sequence: usize,
    billable: &[Billable<'_>],
    as_of: NaiveDate,
) -> Claim {
    let sessions: Vec<&Record<Session>> = billable.iter().map(|v| v.session).collect();
    let p = &patient.data;
    let first_date = sessions.first().map(|s| s.data.date).unwrap_or(month);
    let coverage = p.coverage_on(Some(payer), first_date);
    let payer_record = data.payers.get(payer).map(|r| &r.data);
    let kind = payer_record.map(|x| x.kind).unwrap_or(PayerKind::Other);
    let mut visits = Vec::new();
    let mut lines = Vec::new();
    for v in billable {
        let (visit, mut visit_lines) = visit_lines(data, p, v);
        visits.push(visit);
        lines.append(&mut visit_lines);
    }
    let mut diagnoses: Vec<String> = Vec::new();
    for d in visits
        .iter()
        .flat_map(|v| &v.diagnoses)
        .chain(lines.iter().flat_map(|l| &l.diagnoses))
    {
        if !diagnoses.contains(d) {
            diagnoses.push(d.clone());
        }
    }
    let month_text = crate::figures::month_label(month);
    let earliest = sessions.iter().map(|s| s.data.date).min().unwrap_or(month);
    let assigned = data.practice().is_none_or(|x| x.accept_assignment)
        && coverage.is_none_or(Coverage::assigns_benefits);
    let release_signed = billing_signed(p, earliest);
    let referral = sessions
        .iter()
        .find_map(|s| s.data.referral.as_ref())
        .and_then(|id| p.referrals.iter().find(|r| &r.id == id))
        .map(|r| ClaimReferral {
            provider: referrer(r),
            number: r.number.clone(),
        });
    let mut claim = Claim {
        id: claim_id(&patient.id, payer, &month_text, sequence),
        month: month_text,
        frequency: Frequency::Original,
        original_claim_number: None,
        priority: coverage
            .map(|c| c.priority)
            .unwrap_or(crate::model::patient::Priority::Primary),
        claim_filing_code: filing_code(payer_record),
        own_member_id: coverage.is_some_and(|c| c.own_member_id),
        authorization: sessions.iter().find_map(|s| s.data.authorization.clone()),
        referral,
        billing: billing_provider(data),
        payer: ClaimPayer {
            id: payer.to_string(),
            name: payer_record.map(|x| x.name.clone()).unwrap_or_default(),
            payer_id: payer_record.and_then(|x| x.payer_id.as_ref().map(|c| c.to_string())),
            kind,
            program: program(payer_record),
            address: payer_record
                .map(|x| x.claims_address.clone())
                .unwrap_or_else(|| p.address.clone()),
        },
        patient: ClaimPatient {
            id: patient.id.clone(),
            last_name: p.last_name.clone(),
            first_name: p.first_name.clone(),
            dob: p.dob,
            sex: p.sex,
            address: p.address.clone(),
            phone: p.phone.clone(),
        },
        insured: coverage
            .map(|c| insured(p, c, kind))
            .unwrap_or_else(|| self_insured(p)),
        other_coverage: coverage.and_then(|c| other_coverage(data, p, c)),
        related: Related {
            employment: kind == PayerKind::WorkersComp,
            auto: kind == PayerKind::Auto,
            accident_state: coverage
                .filter(|_| kind == PayerKind::Auto)
                .and_then(|c| c.accident_state.clone()),
            carrier_claim_number: coverage
                .filter(|_| matches!(kind, PayerKind::WorkersComp | PayerKind::Auto))
                .and_then(|c| c.claim_number.clone()),
            injury_date: coverage.and_then(|c| c.injury_date),
        },
        signature_on_file: p.signature_on_file,
        assigned,
        release_signed,
        assignment_signed: assigned && release_signed,
        total_charge: Money(lines.iter().map(|l| l.charge.cents()).sum()),
        amount_paid: Money(lines.iter().map(|l| l.paid.cents()).sum()),
        diagnoses,
        visits,
        lines,
        signed: as_of,
    };
    if claim.priority == crate::model::patient::Priority::Secondary {
        add_primary_answers(data, &mut claim);
    }
    claim
}

/// A visit and its billed lines; a line with no unit documents minutes and is not billed.
fn visit_lines(
    data: &PracticeData,
    patient: &Patient,
    v: &Billable<'_>,
) -> (ClaimVisit, Vec<ClaimLine>) {
    let s = v.session;
    let services = context::services_of(data, &s.data);
    let rendering = data.provider_of(&s.data).map(|p| Clinician {
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        credentials: p.credentials.clone(),
        npi: p.npi.to_string(),
        taxonomy: p.taxonomy.as_ref().map(|t| t.to_string()),
    });
    let referral = s
        .data
        .referral
        .as_ref()
        .and_then(|id| patient.referrals.iter().find(|r| &r.id == id))
        .map(referrer);
    let dx_of = |pointers: &[String]| -> Vec<usize> {
        pointers
            .iter()
            .filter_map(|p| crate::rules::services::pointer_index(p))
            .filter(|ix| *ix < s.data.diagnoses.len())
            .collect()
    };
    let billed = || {
        s.data
            .services
            .iter()
            .zip(&services)
            .enumerate()
            .filter(|(i, _)| v.services.contains(i))
    };
    let pointed: Vec<usize> = billed()
        .flat_map(|(_, (svc, _))| dx_of(&svc.diagnosis_pointers))
        .collect();
    let visit = ClaimVisit {
        session: s.id.clone(),
        date: s.data.date,
        diagnoses: s
            .data
            .diagnoses
            .iter()
            .enumerate()
            .filter(|(ix, _)| pointed.contains(ix))
            .map(|(_, c)| context::dotted(c))
            .collect(),
    };
    let mut first = true;
    let lines = billed()
        .map(|(i, (svc, line))| {
            // A session's payment goes with its first billed line, so it is counted once.
            let paid = if std::mem::take(&mut first) {
                s.data.paid.as_ref().map_or(Money::ZERO, |p| p.amount())
            } else {
                Money::ZERO
            };
            ClaimLine {
                session: s.id.clone(),
                service_index: i,
                control_number: line_control_number(&s.id, i),
                date: s.data.date,
                place_of_service: line.place_of_service.clone(),
                code: line.code.clone(),
                modifiers: svc
                    .modifiers
                    .iter()
                    .take(4)
                    .map(|m| m.to_string())
                    .collect(),
                diagnoses: dx_of(&svc.diagnosis_pointers)
                    .into_iter()
                    .map(|ix| context::dotted(&s.data.diagnoses[ix]))
                    .collect(),
                charge: line.charge.unwrap_or(Money::ZERO),
                units: line.units,
                rendering: rendering.clone(),
                authorization: s.data.authorization.clone(),
                referral: referral.clone(),
                paid,
                primary: None,
            }
        })
        .collect();
    (visit, lines)
}

/// On a secondary claim, what the primary payer decided: each line's payment and
/// adjustments, and the claim's, from the remittances that answered those lines.
fn add_primary_answers(data: &PracticeData, claim: &mut Claim) {
    let Some(primary) = claim.other_coverage.as_mut() else {
        return;
    };
    let adjusted = |list: &[crate::model::remittance::RemittedAdjustment]| -> Vec<Adjusted> {
        list.iter()
            .map(|a| Adjusted {
                group: a.group.clone(),
                reason: a.reason.clone(),
                amount: a.amount,
            })
            .collect()
    };
    let mut paid = 0i64;
    let mut adjustments: Vec<Adjusted> = Vec::new();
    let mut seen_claims: Vec<String> = Vec::new();
    let mut date = None;
    for line in &mut claim.lines {
        let Some((remit, answer, l)) = crate::rules::ledger::answered_line(
            data,
            &line.session,
            line.service_index,
            Some(&primary.payer),
        ) else {
            continue;
        };
        paid += l.paid.cents();
        date = date.max(remit.date);
        if !seen_claims.contains(&answer.payer_claim_number) {
            seen_claims.push(answer.payer_claim_number.clone());
            adjustments.extend(adjusted(&answer.adjustments));
        }
        line.primary = Some(LineAdjudication {
            paid: l.paid,
            adjustments: adjusted(&l.adjustments),
            date: remit.date,
        });
    }
    if !seen_claims.is_empty() {
        primary.adjudication = Some(Adjudication {
            paid: Money(paid),
            adjustments,
            date,
        });
    }
}

/// The referring provider of a referral.
fn referrer(r: &crate::model::Referral) -> Clinician {
    let p = &r.referring_provider;
    Clinician {
        first_name: p.first_name.clone(),
        last_name: p.last_name.clone(),
        credentials: p.credentials.clone(),
        npi: p.npi.to_string(),
        taxonomy: None,
    }
}

/// Whether the patient's release and assignment are signed for a visit on `date`: a
/// signature on file, or consent to billing signed on or before it.
fn billing_signed(p: &Patient, date: NaiveDate) -> bool {
    p.signature_on_file
        || p.consent
            .as_ref()
            .and_then(|c| c.billing)
            .is_some_and(|signed| signed <= date)
}

/// The program a claim names (item 1): the payer's `item_1`, else the one its kind implies.
fn program(payer: Option<&crate::model::Payer>) -> Item1 {
    if let Some(item) = payer.and_then(|p| p.item_1) {
        return item;
    }
    match payer.map(|p| p.kind).unwrap_or(PayerKind::Other) {
        PayerKind::Medicare => Item1::Medicare,
        PayerKind::Medicaid => Item1::Medicaid,
        PayerKind::Tricare => Item1::Tricare,
        PayerKind::Commercial | PayerKind::MedicareAdvantage => Item1::Group,
        PayerKind::WorkersComp | PayerKind::Auto | PayerKind::Other => Item1::Other,
    }
}

/// SBR09: the payer's own claim filing indicator, else the one its kind uses.
pub fn filing_code(payer: Option<&crate::model::Payer>) -> String {
    if let Some(code) = payer.and_then(|p| p.claim_filing_code.as_ref()) {
        return code.to_string();
    }
    match payer.map(|p| p.kind).unwrap_or(PayerKind::Other) {
        PayerKind::Commercial => "CI",
        PayerKind::Medicare => "MB",
        PayerKind::MedicareAdvantage => "16",
        PayerKind::Medicaid => "MC",
        PayerKind::WorkersComp => "WC",
        PayerKind::Auto => "AM",
        PayerKind::Tricare => "CH",
        PayerKind::Other => "ZZ",
    }
    .to_string()
}

fn billing_provider(data: &PracticeData) -> BillingProvider {
    match data.practice() {
        Some(p) => BillingProvider {
            name: p.name.clone(),
            short_name: p.claim_form.short_name.clone(),
            address: p.address.clone(),
            phone: p.phone.clone(),
            npi: p.npi.to_string(),
            tax_id: crate::codes::tax_id::digits(&p.tax_id),
            tax_id_type: p.tax_id_type,
            taxonomy: p.taxonomy.to_string(),
            accept_assignment: p.accept_assignment,
        },
        None => BillingProvider {
            name: String::new(),
            short_name: None,
            address: crate::model::Address {
                street: String::new(),
                city: String::new(),
                state: String::new(),
                zip: crate::model::Code(String::new()),
            },
            phone: String::new(),
            npi: String::new(),
            tax_id: String::new(),
            tax_id_type: crate::codes::tax_id::TaxIdType::Ein,
            taxonomy: String::new(),
            accept_assignment: true,
        },
    }
}

/// The insured of `c`: the subscriber, the patient when `self`, and the employer of a
/// workers' compensation claim.
fn insured(patient: &Patient, c: &Coverage, kind: PayerKind) -> Insured {
    let mut out = match &c.subscriber {
        Subscriber::Patient => self_insured(patient),
        Subscriber::Other(s) => Insured {
            relationship: match s.relationship {
                Relationship::Spouse => "spouse",
                Relationship::Child => "child",
                Relationship::Other => "other",
            },
            last_name: s.last_name.clone(),
            first_name: s.first_name.clone(),
            dob: s.dob,
            sex: s.sex,
            address: s.address.clone(),
            member_id: String::new(),
            group_number: None,
            plan_name: None,
            employer: None,
        },
    };
    out.member_id = c.member_id.clone();
    out.group_number = c.group_number.as_ref().map(|g| g.to_string());
    out.plan_name = c.plan_name.clone();
    if kind == PayerKind::WorkersComp {
        // The employer is the insured of a workers' compensation case.
        out.employer = c.employer.as_ref().map(|e| Employer {
            name: e.name.clone(),
            address: e.address.clone(),
            phone: e.phone.clone(),
        });
    }
    out
}

fn self_insured(p: &Patient) -> Insured {
    Insured {
        relationship: "self",
        last_name: p.last_name.clone(),
        first_name: p.first_name.clone(),
        dob: p.dob,
        sex: p.sex,
        address: p.address.clone(),
        member_id: String::new(),
        group_number: None,
        plan_name: None,
        employer: None,
    }
}

/// The other coverage: the secondary when billing the primary, and the primary when billing
/// the secondary.
fn other_coverage(
    data: &PracticeData,
    patient: &Patient,
    billed: &Coverage,
) -> Option<OtherCoverage> {
    let wanted = match billed.priority {
        Priority::Primary => Priority::Secondary,
        Priority::Secondary => Priority::Primary,
    };
    let o = patient
        .coverages
        .iter()
        .find(|c| c.priority == wanted && c.payer != billed.payer)?;
    let who = insured(patient, o, PayerKind::Other);
    let other_payer = data.payers.get(&o.payer).map(|r| &r.data);
    Some(OtherCoverage {
        payer: o.payer.clone(),
        payer_name: other_payer.map(|p| p.name.clone()).unwrap_or_default(),
        payer_id: other_payer.and_then(|p| p.payer_id.as_ref().map(|c| c.to_string())),
        priority: o.priority,
        claim_filing_code: filing_code(other_payer),
        relationship: who.relationship,
        member_id: o.member_id.clone(),
        group_number: o.group_number.as_ref().map(|g| g.to_string()),
        adjudication: None,
        last_name: who.last_name,
        first_name: who.first_name,
        group_or_member: o
            .group_number
            .as_ref()
            .map(|g| g.to_string())
            .unwrap_or_else(|| o.member_id.clone()),
        plan: o
            .plan_name
            .clone()
            .or_else(|| data.payers.get(&o.payer).map(|x| x.data.name.clone()))
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claim_ids_are_pinned() {
        // The id is printed on sent claims and matched against remittances: it must never
        // change for the same patient, payer and month.
        assert_eq!(
            claim_id("jane-doe", "aetna", "2026-11", 1),
            "CW202611A65C890287"
        );
        assert_ne!(
            claim_id("a", "b", "2026-11", 1),
            claim_id("a", "c", "2026-11", 1)
        );
        assert_ne!(
            claim_id("a", "b", "2026-11", 1),
            claim_id("a", "b", "2026-11", 2)
        );
        assert!(claim_id("a", "b", "2026-11", 2).len() <= 20);
        assert_eq!(line_control_number("2026-11-03-jane-doe", 1).len(), 15);
    }
}
