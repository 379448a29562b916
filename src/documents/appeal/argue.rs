//! From a denial and its records to what the letter argues: one typed argument per family of
//! reasons, its paragraphs built sentence by sentence from the fields that exist, what it
//! encloses, and what the practice must still add when the records lack it.

use super::ctx::{ArgumentCtx, ChecklistCtx, FirstSentCtx};
use super::facts::{Facts, Support, and_list};
use super::reasons::{Family, code_of, label};
use crate::codes::procedures::{self, Benefit};
use crate::figures::visits;
use crate::model::{Adjustment, Coverage};
use serde::Serialize;

/// The facts one argument rests on, one variant per family of reasons.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "family", rename_all = "snake_case")]
pub enum Argument {
    /// CO-50: the records of a treated condition, who ordered the care, and its progress.
    MedicalNecessity {
        /// The clinical support on file.
        support: Support,
    },
    /// CO-197 / CO-15: the authorization on file, or a request for one.
    Authorization {
        /// The authorization number on file, if any.
        number: Option<String>,
        /// It covers every denied date and code.
        covers: bool,
        /// The place of each denied visit among those the authorization counts, when every
        /// denied visit names it.
        visit_numbers: Vec<u32>,
        /// Benefits verification is on file.
        verified: bool,
        /// The clinical support on file.
        support: Support,
    },
    /// CO-29: when the claim was first sent.
    TimelyFiling {
        /// The first sending, from the ledger or the sessions' `billed`.
        first_sent: Option<FirstSentCtx>,
    },
    /// CO-16 / MA130: information missing; the claim is sent again, not appealed.
    MissingInformation {
        /// A new claim rather than a replacement (MA130).
        new_claim: bool,
    },
    /// PR-96 / CO-96 / CO-204: what the plan on file says of the services.
    NonCovered {
        /// Field paths of the plan's terms that name a denied service.
        excluded_by: Vec<String>,
        /// The plan on file covers massage.
        massage_covered: bool,
        /// Benefits verification is on file.
        verified: bool,
        /// The clinical support on file.
        support: Support,
    },
    /// CO-151 / CO-119: the units, the frequency ordered and the visits counted.
    Frequency {
        /// The payer's unit rule, when units are disputed (CO-151).
        units_rule: Option<&'static str>,
        /// The frequency ordered, if any.
        ordered: Option<String>,
        /// Each denied date's place among the plan year's visits, when the benefit maximum
        /// is disputed (CO-119).
        plan_year_visits: Vec<u32>,
        /// Visits the plan allows a year.
        allowed: Option<u32>,
        /// The clinical support on file.
        support: Support,
    },
    /// Any other reason appealed: a request for review against the records.
    Other {
        /// The clinical support on file.
        support: Support,
    },
}

/// One argument with its text and what it needs.
pub(super) struct Built {
    /// The argument as the context carries it.
    pub(super) ctx: ArgumentCtx,
    /// What the practice must still add for it.
    pub(super) checklist: Vec<ChecklistCtx>,
    /// It needs no clinical record (an authorization on file, proof of timely filing).
    pub(super) administrative: bool,
}

/// A plan term that names a denied service: its field path and the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Excluded {
    /// Field path in the patient file, e.g. `coverages[0].benefits.exclusions[1]`.
    pub(super) field: String,
    /// The denied code it names.
    pub(super) code: String,
}

/// The argument for one disputed family, whose adjustments are `adjs`.
pub(super) fn argue(family: Family, adjs: &[&Adjustment], f: &Facts<'_>) -> Built {
    let mut labels: Vec<String> = Vec::new();
    for a in adjs {
        let l = label(a);
        if !labels.contains(&l) {
            labels.push(l);
        }
    }
    let reasons: Vec<&str> = adjs.iter().map(|a| code_of(a)).collect();
    let (facts, heading, paragraphs, enclosures, checklist, administrative) = match family {
        Family::MedicalNecessity => medical_necessity(f),
        Family::Authorization => authorization(f),
        Family::TimelyFiling => super::filing::timely_filing(f),
        Family::NonCovered => non_covered(f, adjs),
        Family::Frequency => super::limits::frequency(f, &reasons),
        _ => other(f, &labels),
    };
    let meaning = adjs
        .first()
        .and_then(|a| crate::codes::carc::lookup(a.reason.as_str()))
        .map(|c| c.meaning.to_string())
        .unwrap_or_default();
    let label = labels.join(", ");
    Built {
        ctx: ArgumentCtx {
            heading: format!("{heading} ({label})"),
            label,
            meaning,
            family: family.as_str(),
            argument: paragraphs.join("\n\n"),
            paragraphs,
            enclosures,
            facts,
        },
        checklist,
        administrative,
    }
}

/// What one family's builder returns: the facts, a heading, the paragraphs, the enclosures,
/// the checklist, and whether the clinical record may be left out.
pub(super) type Parts = (
    Argument,
    &'static str,
    Vec<String>,
    Vec<String>,
    Vec<ChecklistCtx>,
    bool,
);

/// CO-50: what was treated, who ordered it, and the progress measured.
fn medical_necessity(f: &Facts<'_>) -> Parts {
    let mut first = vec!["We ask you to reverse this decision.".to_string()];
    first.extend(f.diagnoses_sentence());
    first.extend(f.order_sentences());
    let mut paragraphs = vec![first.join(" ")];
    let progress = f.progress_sentences();
    if !progress.is_empty() {
        let lead = if f.measures.is_empty() {
            "The notes record the patient's pain at each visit."
        } else {
            "The notes measure the patient's function, not pain alone."
        };
        paragraphs.push(format!("{lead} {}", progress.join(" ")));
    }
    if !f.goals.is_empty() {
        paragraphs.push("The treatment works toward the goals listed below.".to_string());
    }
    let mut checklist = order_checklist(f, true);
    if f.measures.is_empty() {
        checklist.push(f.in_session_file(
            "measures",
            "record functional measures in the sessions (`measures`: name, value and unit, such as a range of motion in degrees, a disability index in percent or a tolerance in minutes): without them the letter shows pain alone".to_string(),
        ));
    }
    if f.goals.is_empty() {
        checklist.push(f.in_patient_file(
            "plans_of_care",
            "add the measurable goals of the care (`goals` of the plan of care or of the sessions): the letter names none".to_string(),
        ));
    }
    let facts = Argument::MedicalNecessity {
        support: f.support(),
    };
    (
        facts,
        "Medical necessity",
        paragraphs,
        f.clinical_enclosures(),
        checklist,
        false,
    )
}

/// What to add when no referral or plan of care orders the care; with `plan_expected`, a
/// missing or lapsed plan of care too.
pub(super) fn order_checklist(f: &Facts<'_>, plan_expected: bool) -> Vec<ChecklistCtx> {
    let mut out = Vec::new();
    match (&f.referral, &f.plan) {
        (None, None) => out.push(f.in_patient_file(
            "plans_of_care",
            "add the referral or plan of care that ordered this care (`referrals` or `plans_of_care`): without one the letter cannot say who ordered it".to_string(),
        )),
        (Some(_), None) if plan_expected => out.push(f.in_patient_file(
            "plans_of_care",
            "add the plan of care for this care (`plans_of_care`: certifier, date certified, dates covered, frequency and goals): reviewers of medical necessity look for one".to_string(),
        )),
        (_, Some(p)) if plan_expected && !p.covers_denied_dates => out.push(f.in_patient_file(
            "plans_of_care",
            format!(
                "the plan of care `{}` does not cover every denied date: add the plan or recertification in force on {}",
                p.id,
                f.dates_text()
            ),
        )),
        _ => {}
    }
    out
}

/// CO-197 / CO-15: with an authorization on file that covers the care, a request to
/// reprocess under it; without one, a request for a retroactive authorization.
fn authorization(f: &Facts<'_>) -> Parts {
    let covers = f.ev.authorization_covers();
    let mut checklist = Vec::new();
    let mut paragraphs = Vec::new();
    let mut enclosures = Vec::new();
    let mut numbers = Vec::new();
    let verified = match &f.verification {
        Some(v) => Some(format!(
            "The patient's benefits were verified with you {} on {} (reference {}, {}).",
            v.method, v.date, v.reference, v.representative
        )),
        None => {
            checklist.push(f.in_patient_file(
                &f.coverage_field("verification"),
                "add how the coverage was verified with the payer (`verification`: date, method, reference, representative): the letter cannot say".to_string(),
            ));
            None
        }
    };
    match f.authorization.as_ref().filter(|_| covers) {
        Some(a) => {
            let visits = a
                .visits
                .map(|n| format!(" for {n} visits"))
                .unwrap_or_default();
            let mut text = vec![format!(
                "Authorization {} covers this care: it runs from {} to {}{visits} and covers {}.",
                a.number, a.start, a.end, a.codes
            )];
            numbers = authorization_visit_numbers(f);
            let place = if numbers.len() == f.ev.dates.len() && !numbers.is_empty() {
                let n: Vec<String> = numbers.iter().map(u32::to_string).collect();
                let of = a.visits.map(|v| format!(" of the {v}")).unwrap_or_default();
                format!(
                    ", as visit{} {}{of} it allows",
                    if n.len() == 1 { "" } else { "s" },
                    and_list(&n)
                )
            } else {
                String::new()
            };
            text.push(format!(
                "The denied dates of service, {}, fall within it{place}, and each code billed is one it authorizes.",
                f.dates_text()
            ));
            text.extend(verified);
            paragraphs.push(text.join(" "));
            enclosures.push(format!(
                "Authorization {} ({} to {})",
                a.number, a.start, a.end
            ));
        }
        None => {
            let mut first = vec![
                "We ask you to review this denial and, if no authorization is on file for these dates, to grant one retroactively.".to_string(),
            ];
            first.extend(f.diagnoses_sentence());
            first.extend(f.order_sentences());
            first.extend(verified);
            paragraphs.push(first.join(" "));
            enclosures.extend(f.clinical_enclosures());
            checklist.push(f.in_patient_file(
                "authorizations",
                format!(
                    "no authorization from `{}` covers {} and the codes billed: add it (`authorizations`), or attach proof it was requested (date, reference number)",
                    f.ev.payer.id,
                    f.dates_text()
                ),
            ));
        }
    }
    let facts = Argument::Authorization {
        number: f.authorization.as_ref().map(|a| a.number.clone()),
        covers,
        visit_numbers: numbers,
        verified: f.verification.is_some(),
        support: f.support(),
    };
    (
        facts,
        "Authorization",
        paragraphs,
        enclosures,
        checklist,
        covers,
    )
}

/// Each denied date's place among the visits the authorization counts, when every denied
/// session names it (otherwise the count would leave them out).
fn authorization_visit_numbers(f: &Facts<'_>) -> Vec<u32> {
    let Some(auth) = f.ev.authorization else {
        return Vec::new();
    };
    if !f
        .ev
        .denied
        .iter()
        .all(|s| s.data.authorization.as_deref() == Some(auth.number.as_str()))
    {
        return Vec::new();
    }
    let patient = &f.ev.patient.data;
    f.ev.dates
        .iter()
        .map(|d| {
            let sessions = f.data.sessions_of(&f.ev.patient.id).map(|s| &s.data);
            visits::authorization_visits(patient, auth, sessions, *d).used
        })
        .collect()
}

/// PR-96 / CO-96 / CO-204: the plan's coverage on file, unless its terms name the service.
fn non_covered(f: &Facts<'_>, adjs: &[&Adjustment]) -> Parts {
    let coverage = f.ev.coverage.map(|(_, c)| c);
    let codes = service_codes(adjs, f);
    let excluded = coverage.map(|c| excluded(f, c, &codes)).unwrap_or_default();
    let massage_covered = coverage.is_some_and(|c| c.benefits.massage_covered);
    let mut checklist = Vec::new();
    let mut first = Vec::new();
    if excluded.is_empty() && massage_covered {
        let plan = coverage
            .and_then(|c| c.plan_name.as_ref())
            .map(|n| format!(", {n},"))
            .unwrap_or_default();
        first.push(format!(
            "The patient's plan{plan} covers massage therapy, and we ask you to reprocess the claim under that benefit."
        ));
        match &f.verification {
            Some(v) => first.push(format!(
                "The benefits were verified with you {} on {} (reference {}, {}).",
                v.method, v.date, v.reference, v.representative
            )),
            None => checklist.push(f.in_patient_file(
                &f.coverage_field("verification"),
                "add how the benefits were verified with the payer (`verification`): the letter cannot say".to_string(),
            )),
        }
    } else {
        // The plan's own terms name the service: the letter asks for a review and claims no
        // coverage; the practice is warned apart.
        first.push(format!(
            "We ask you to review the denial of {} against the records below.",
            and_list(&codes)
        ));
    }
    first.extend(f.diagnoses_sentence());
    first.extend(f.order_sentences());
    checklist.extend(order_checklist(f, false));
    let facts = Argument::NonCovered {
        excluded_by: excluded.iter().map(|e| e.field.clone()).collect(),
        massage_covered,
        verified: f.verification.is_some(),
        support: f.support(),
    };
    (
        facts,
        "Coverage",
        vec![first.join(" ")],
        f.clinical_enclosures(),
        checklist,
        false,
    )
}

/// The codes of the lines denied under `adjs`, each once, else of every denied session.
pub(super) fn service_codes(adjs: &[&Adjustment], f: &Facts<'_>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for a in adjs {
        if let Some(code) = &a.service
            && !codes.iter().any(|c| c == code.as_str())
        {
            codes.push(code.to_string());
        }
    }
    if codes.is_empty() {
        codes = f.ev.codes().iter().map(|c| c.to_string()).collect();
    }
    codes
}

/// The plan's terms that name a denied code: an exclusion whose text holds the code, or the
/// word "massage" for a code paid under the massage benefit; a code in `not_covered_codes`;
/// a massage code when `massage_covered` is false.
pub(super) fn excluded(f: &Facts<'_>, coverage: &Coverage, codes: &[String]) -> Vec<Excluded> {
    let b = &coverage.benefits;
    let mut out = Vec::new();
    for code in codes {
        let code = code.as_str();
        let massage = procedures::lookup(code).is_some_and(|p| p.benefit == Benefit::Massage);
        for (i, text) in b.exclusions.iter().enumerate() {
            let text = text.to_lowercase();
            if text.contains(&code.to_lowercase()) || (massage && text.contains("massage")) {
                out.push(Excluded {
                    field: f.coverage_field(&format!("benefits.exclusions[{i}]")),
                    code: code.to_string(),
                });
            }
        }
        if let Some(i) = b.not_covered_codes.iter().position(|c| c.as_str() == code) {
            out.push(Excluded {
                field: f.coverage_field(&format!("benefits.not_covered_codes[{i}]")),
                code: code.to_string(),
            });
        }
        if massage && !b.massage_covered {
            out.push(Excluded {
                field: f.coverage_field("benefits.massage_covered"),
                code: code.to_string(),
            });
        }
    }
    out
}

/// Any other reason appealed: a request for review, with the record.
fn other(f: &Facts<'_>, labels: &[String]) -> Parts {
    let mut first = vec![format!(
        "We ask you to review the denial under {} against the records below.",
        and_list(labels)
    )];
    first.extend(f.diagnoses_sentence());
    first.extend(f.order_sentences());
    let mut paragraphs = vec![first.join(" ")];
    let progress = f.progress_sentences();
    if !progress.is_empty() {
        paragraphs.push(progress.join(" "));
    }
    (
        Argument::Other {
            support: f.support(),
        },
        "Review",
        paragraphs,
        f.clinical_enclosures(),
        order_checklist(f, false),
        false,
    )
}
