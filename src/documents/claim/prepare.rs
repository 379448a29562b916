//! Preparing claims: the month's visits to each payer not billed yet, less the visits held
//! by their own errors; and replacements and voids of a sent claim.

use super::assemble::{self, Billable};
use super::{KIND, sessions_by_payer};
use crate::documents::{Body, Held, Parts, Prepared, Scope, patient_header, screen};
use crate::findings::{Finding, Severity};
use crate::load::{PracticeData, Record};
use crate::model::patient::Priority;
use crate::model::{ClaimRecord, Frequency, LedgerStatus, Patient, Session};
use crate::rules::ledger::{self, Billed};
use chrono::NaiveDate;

/// The claims of `patient` for `month`, one per payer billed (more when the visits have
/// several rendering providers, authorizations or referrals). Lines billed already are left
/// out; visits with errors are held off; a payer whose visits are all held gets one claim
/// with no line, refused, so the refusal is reported.
pub fn prepare(
    data: &PracticeData,
    patient: &Record<Patient>,
    month: NaiveDate,
    scope: &Scope<'_>,
) -> Vec<Prepared> {
    let mut out = Vec::new();
    let mut groups = sessions_by_payer(data, &patient.id, month);
    groups.extend(secondary_groups(data, patient, &groups));
    for (payer, sessions) in groups {
        let billing_secondary = sessions
            .first()
            .and_then(|s| patient.data.coverage_on(Some(&payer), s.data.date))
            .is_some_and(|c| c.priority == Priority::Secondary)
            && sessions
                .iter()
                .any(|s| data.coverage_of(&s.data).is_some_and(|c| c.payer != payer));
        let (billable, mut held) = sort_visits(data, &sessions, scope, |s, i| {
            if billing_secondary {
                // The secondary is billed what the primary has answered, once.
                let primary = data
                    .coverage_of(&s.data)
                    .map(|c| c.payer.clone())
                    .unwrap_or_default();
                ledger::answered_line(data, &s.id, i, Some(&primary)).is_some()
                    && !ledger::billed_to(data, &s.id, i, &payer)
            } else {
                ledger::already_billed(data, s, i).is_none()
            }
        });
        if billable.is_empty() && held.is_empty() {
            continue;
        }
        let groups = match billable.is_empty() {
            true => vec![Vec::new()],
            false => assemble::group_into_claims(&billable),
        };
        let mut sequence = 0;
        for group in groups {
            sequence = next_free_sequence(data, &patient.id, &payer, month, sequence);
            let claim = Claimed {
                data,
                patient,
                payer: &payer,
                month,
                sequence,
                visits: &group,
            }
            .prepare(scope);
            out.push(with_held(claim, std::mem::take(&mut held)));
        }
    }
    out
}

/// The month's visits billed to a primary coverage whose patient has a secondary coverage
/// in force on their date: the secondary is billed once the primary has answered.
fn secondary_groups<'a>(
    data: &'a PracticeData,
    patient: &Record<Patient>,
    primary_groups: &[(String, Vec<&'a Record<Session>>)],
) -> Vec<(String, Vec<&'a Record<Session>>)> {
    let mut out: Vec<(String, Vec<&Record<Session>>)> = Vec::new();
    for (_, sessions) in primary_groups {
        for s in sessions {
            let billed = data.coverage_of(&s.data);
            if billed.is_none_or(|c| c.priority != Priority::Primary) {
                continue;
            }
            let Some(secondary) = patient
                .data
                .coverages
                .iter()
                .find(|c| c.priority == Priority::Secondary && c.active_on(s.data.date))
            else {
                continue;
            };
            match out.iter_mut().find(|(p, _)| *p == secondary.payer) {
                Some((_, list)) => list.push(s),
                None => out.push((secondary.payer.clone(), vec![s])),
            }
        }
    }
    out
}

/// The visits of `patient`'s `month` left off new claims because they were billed already.
pub fn left_out(data: &PracticeData, patient: &str, month: NaiveDate) -> Vec<(String, Billed)> {
    let mut out = Vec::new();
    for (_, sessions) in sessions_by_payer(data, patient, month) {
        for s in sessions {
            let reasons: Vec<Billed> = (0..s.data.services.len())
                .filter_map(|i| ledger::already_billed(data, s, i))
                .collect();
            if let Some(first) = reasons.into_iter().next() {
                out.push((s.id.clone(), first));
            }
        }
    }
    out
}

/// A replacement (7) or void (8) of the sent claim `original`, from its sessions as they are
/// now, naming the payer's number of the original; None when its patient or sessions are gone.
pub fn resubmission(
    data: &PracticeData,
    original: &Record<ClaimRecord>,
    frequency: Frequency,
    payer_claim_number: &str,
    scope: &Scope<'_>,
) -> Option<Prepared> {
    let o = &original.data;
    let patient = data.patients.get(&o.patient)?;
    let month = NaiveDate::parse_from_str(&format!("{}-01", o.month), "%Y-%m-%d").ok()?;
    let mut sessions: Vec<&Record<Session>> = o
        .lines
        .iter()
        .filter_map(|l| data.session(&l.session))
        .collect();
    sessions.sort_by(|a, b| (a.data.date, &a.id).cmp(&(b.data.date, &b.id)));
    sessions.dedup_by(|a, b| a.id == b.id);
    if sessions.is_empty() {
        return None;
    }
    // Every line of the original's visits is claimed again: the payer holds them all.
    let (billable, held) = sort_visits(data, &sessions, scope, |_, _| true);
    let doc = Claimed {
        data,
        patient,
        payer: &o.payer,
        month,
        sequence: 1,
        visits: &billable,
    }
    .prepare(scope);
    let mut doc = with_held(doc, held);
    let count = data
        .claims
        .values()
        .filter(|c| c.data.replaces.as_deref() == Some(payer_claim_number))
        .filter(|c| c.data.frequency == frequency && c.data.status == LedgerStatus::Sent)
        .count();
    let letter = if frequency == Frequency::Void {
        'V'
    } else {
        'R'
    };
    let id = format!("{}{letter}{}", o.claim_id, count + 1);
    if let Body::Claim(claim) = &mut doc.body {
        claim.id = id.clone();
        claim.frequency = frequency;
        claim.original_claim_number = Some(payer_claim_number.to_string());
        doc.info.title = format!(
            "CMS-1500 claim {id} ({} of {}) for {}, {}",
            if frequency == Frequency::Void {
                "void"
            } else {
                "replacement"
            },
            o.claim_id,
            patient.data.full_name(),
            claim.month
        );
    }
    doc.name = format!("{}-{}", doc.name, id.to_lowercase());
    Some(doc)
}

/// Splits a payer's sessions into the visits to claim and the visits held by their errors;
/// `claimable` says which service lines may go on the claim.
fn sort_visits<'a>(
    data: &PracticeData,
    sessions: &[&'a Record<Session>],
    scope: &Scope<'_>,
    claimable: impl Fn(&Record<Session>, usize) -> bool,
) -> (Vec<Billable<'a>>, Vec<Held>) {
    let mut billable = Vec::new();
    let mut held = Vec::new();
    for s in sessions {
        let Some(visit) = Billable::of(data, s, |i| claimable(s, i)) else {
            continue;
        };
        let mut errors: Vec<Finding> = scope
            .findings
            .errors_on(&s.file, screen::ALL_TOPICS)
            .cloned()
            .collect();
        errors.extend(
            crate::rules::claims::visit_findings(data, s, scope.as_of)
                .into_iter()
                .filter(|f| f.severity == Severity::Error),
        );
        if errors.is_empty() {
            billable.push(visit);
        } else {
            screen::tidy(&mut errors);
            held.push(Held {
                session: s.id.clone(),
                file: s.file.clone(),
                findings: errors,
            });
        }
    }
    (billable, held)
}

/// The next sequence after `after` whose claim id no sent claim of the ledger uses: a sent
/// claim keeps its id, so new visits of the same month go on a claim of their own.
fn next_free_sequence(
    data: &PracticeData,
    patient: &str,
    payer: &str,
    month: NaiveDate,
    after: usize,
) -> usize {
    let month_text = crate::figures::month_label(month);
    (after + 1..)
        .find(|n| {
            let id = assemble::claim_id(patient, payer, &month_text, *n);
            data.claim(&id)
                .is_none_or(|c| c.data.status != LedgerStatus::Sent)
        })
        .unwrap_or(after + 1)
}

/// Lists the held visits on the claim; their files stay among what it depends on, so a
/// fix renders it again.
fn with_held(mut doc: Prepared, held: Vec<Held>) -> Prepared {
    let files: Vec<String> = held.iter().map(|h| h.file.clone()).collect();
    doc.held = held;
    doc.depending_on(files)
}

/// One claim to prepare: its visits and where it stands among the month's claims.
struct Claimed<'a, 'b> {
    data: &'a PracticeData,
    patient: &'a Record<Patient>,
    payer: &'a str,
    month: NaiveDate,
    sequence: usize,
    visits: &'a [Billable<'b>],
}

impl Claimed<'_, '_> {
    /// The claim as a document.
    fn prepare(&self, scope: &Scope<'_>) -> Prepared {
        let data = self.data;
        let claim = assemble::assemble(
            data,
            self.patient,
            self.payer,
            self.month,
            self.sequence,
            self.visits,
            scope.as_of,
        );
        let sessions: Vec<&Record<Session>> = self.visits.iter().map(|v| v.session).collect();
        let mut inputs = vec!["practice.yaml".to_string(), self.patient.file.clone()];
        if let Some(p) = data.payers.get(self.payer) {
            inputs.push(p.file.clone());
        }
        inputs.extend(sessions.iter().map(|s| s.file.clone()));
        let mut depends = Vec::new();
        if let Some(other) = claim
            .other_coverage
            .as_ref()
            .and_then(|o| data.payers.get(&o.payer))
        {
            depends.push(other.file.clone());
        }
        let p = &self.patient;
        let title = format!(
            "CMS-1500 claim {} for {}, {}",
            claim.id,
            p.data.full_name(),
            claim.month
        );
        let mut prepared = Prepared::new(
            Parts {
                kind: &KIND,
                name: match self.sequence {
                    1 => format!("{}-{}-{}", p.id, self.payer, claim.month),
                    n => format!("{}-{}-{}-{n}", p.id, self.payer, claim.month),
                },
                title,
                header: patient_header(&p.data),
                source: p.file.clone(),
                inputs,
            },
            scope.as_of,
            Body::Claim(Box::new(claim)),
        )
        .depending_on(depends);
        prepared.findings = crate::rules::claims::claim_findings(data, p, self.payer, &sessions);
        prepared
            .findings
            .extend(crate::documents::missing_visits(data, &p.id, self.month));
        if sessions.is_empty() {
            prepared.findings.push(Finding::error(
                "claim.incomplete",
                p.file.clone(),
                "the visits of the month not billed yet are all held by their own errors, so there is nothing to claim: fix the visits listed".to_string(),
            ));
        }
        prepared
    }
}
