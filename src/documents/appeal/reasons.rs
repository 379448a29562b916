//! What the letter answers to each reason code on the remittance: the values filled into the
//! code's guidance, then an argument, a list of corrections or a note, and what to enclose.

use super::evidence::Evidence;
use super::{ArgumentCtx, AuthorizationCtx, CorrectionCtx, ReferralCtx};
use crate::codes::carc::{self, Action, Carc};
use crate::documents::context::DiagnosisCtx;
use crate::figures::visits;
use crate::load::PracticeData;
use crate::model::{Coverage, Denial, Money, Payer};
use chrono::NaiveDate;

/// The enclosure every appeal carries: reviewers need the remittance they are asked to undo.
const EOB_ENCLOSURE: &str = "Copy of the Explanation of Benefits or remittance advice";

/// Values for the placeholders of the reason-code texts, named as `data/carc.tsv` names them;
/// a value the records cannot give is left out, so its bracketed text drops from the letter.
pub(super) fn fill_values(
    data: &PracticeData,
    evidence: &Evidence,
    coverage: Option<&Coverage>,
    service_date: NaiveDate,
    payer: &Payer,
    denial: &Denial,
) -> Vec<(&'static str, String)> {
    let mut values = Vec::new();
    if let Some(r) = &evidence.referral {
        values.push(("referral", referral_phrase(r)));
        values.push(("referral_date", r.date.to_string()));
    }
    if !evidence.diagnoses.is_empty() {
        values.push(("diagnoses", diagnoses_phrase(&evidence.diagnoses)));
    }
    if evidence.pain_trend.first_before.is_some() {
        values.push(("pain_trend", evidence.pain_trend.phrase.clone()));
    }
    if let Some(a) = &evidence.authorization {
        values.push(("authorization", authorization_phrase(a)));
    }
    if let Some(c) = coverage {
        values.push(("visits", visits_phrase(data, c, denial, service_date)));
    }
    values.push(("claim_number", denial.claim_number.clone()));
    values.push(("units_rule", format!("the {}", payer.unit_rule.name())));
    values
}

/// "the referral from Anne Gagnon, MD (NPI ...) dated 2026-10-20 for M54.50, ordering ...".
fn referral_phrase(r: &ReferralCtx) -> String {
    let codes = r
        .diagnoses
        .iter()
        .map(|x| x.code.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let mut text = format!(
        "the referral from {} (NPI {}) dated {}",
        r.provider, r.npi, r.date
    );
    if !codes.is_empty() {
        text.push_str(&format!(" for {codes}"));
    }
    if !r.frequency.is_empty() {
        text.push_str(&format!(", ordering {}", r.frequency));
    }
    text
}

/// "M54.50 (Low back pain, unspecified); M62.830 (Muscle spasm of back)".
fn diagnoses_phrase(diagnoses: &[DiagnosisCtx]) -> String {
    diagnoses
        .iter()
        .map(|x| {
            if x.description.is_empty() {
                x.code.clone()
            } else {
                format!("{} ({})", x.code, x.description)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "authorization NS-PA-8841207 valid 2026-10-29 to 2026-12-31 for 8 visits".
fn authorization_phrase(a: &AuthorizationCtx) -> String {
    let visits = a
        .visits
        .map(|n| format!(" for {n} visits"))
        .unwrap_or_default();
    format!(
        "authorization {} valid {} to {}{visits}",
        a.number, a.start, a.end
    )
}

/// Visits used in the plan year of the last denied service, against the plan's limit; every
/// session billed to this payer counts, since the payer counts them all.
fn visits_phrase(
    data: &PracticeData,
    coverage: &Coverage,
    denial: &Denial,
    service_date: NaiveDate,
) -> String {
    let (_, count) = visits::plan_year(
        &coverage.benefits,
        service_date,
        coverage.used_before_anchor(service_date),
        data.sessions_of(&denial.patient)
            .filter(|s| {
                data.coverage_of(&s.data)
                    .is_some_and(|x| x.payer == coverage.payer)
            })
            .map(|s| s.data.date),
    );
    match count.allowed {
        Some(allowed) => format!(
            "{} of the {allowed} visits the plan allows this plan year",
            count.used
        ),
        None => format!(
            "{} visits this plan year, with no visit limit in the plan",
            count.used
        ),
    }
}

/// The sum of the adjustments whose reason code is answered by an appeal.
pub(super) fn disputed_amount(denial: &Denial) -> Money {
    Money(
        denial
            .adjustments
            .iter()
            .filter(|a| carc::lookup(a.reason.as_str()).is_some_and(|c| c.action == Action::Appeal))
            .map(|a| a.amount.cents())
            .sum(),
    )
}

/// The answer to every distinct reason code of a denial, sorted by what it calls for.
#[derive(Default)]
pub(super) struct Answers {
    /// One argument per reason code answered by an appeal.
    pub(super) arguments: Vec<ArgumentCtx>,
    /// One list per reason code answered by a corrected claim.
    pub(super) corrections: Vec<CorrectionCtx>,
    /// Reason codes answered by neither, with what to do.
    pub(super) other_reasons: Vec<ArgumentCtx>,
    /// What the arguments call to enclose, and the remittance itself, without repeats.
    pub(super) enclosures: Vec<String>,
}

impl Answers {
    /// Answers each reason code of `denial` once, in remittance order, filling the guidance
    /// with `values`.
    pub(super) fn to(denial: &Denial, values: &[(&str, &str)]) -> Answers {
        let mut answers = Answers::default();
        let mut answered: Vec<String> = Vec::new();
        for adj in &denial.adjustments {
            let label = format!("{}-{}", adj.group.as_str(), adj.reason);
            if answered.contains(&label) {
                continue;
            }
            answered.push(label.clone());
            match carc::lookup(adj.reason.as_str()) {
                Some(code) => answers.answer(label, code, values),
                None => answers.other_reasons.push(unknown_reason(label)),
            }
        }
        if !answers.arguments.is_empty() {
            answers.enclose(EOB_ENCLOSURE.to_string());
        }
        answers
    }

    /// Files the answer to one known reason code under what its action calls for.
    fn answer(&mut self, label: String, code: &Carc, values: &[(&str, &str)]) {
        let enclosures: Vec<String> = code
            .enclosures
            .iter()
            .map(|e| carc::fill(e, values))
            .collect();
        match code.action {
            Action::Appeal => {
                for e in &enclosures {
                    self.enclose(e.clone());
                }
                self.arguments.push(ArgumentCtx {
                    label,
                    meaning: code.meaning.to_string(),
                    argument: carc::fill(code.argument, values),
                    enclosures,
                });
            }
            Action::CorrectedClaim => self.corrections.push(CorrectionCtx {
                label,
                meaning: code.meaning.to_string(),
                items: code
                    .corrections
                    .iter()
                    .map(|x| carc::fill(x, values))
                    .collect(),
            }),
            _ => self.other_reasons.push(ArgumentCtx {
                label,
                meaning: code.meaning.to_string(),
                argument: carc::fill(code.argument, values),
                enclosures,
            }),
        }
    }

    /// Adds an enclosure unless it is already listed.
    fn enclose(&mut self, enclosure: String) {
        if !self.enclosures.contains(&enclosure) {
            self.enclosures.push(enclosure);
        }
    }

    /// `appeal`, `corrected_claim`, or `mixed`; a denial with neither is still written up as
    /// an appeal, whose template then lists only the other reasons.
    pub(super) fn mode(&self) -> &'static str {
        match (self.arguments.is_empty(), self.corrections.is_empty()) {
            (true, false) => "corrected_claim",
            (false, false) => "mixed",
            (false, true) | (true, true) => "appeal",
        }
    }
}

/// The answer to a reason code the table lacks.
fn unknown_reason(label: String) -> ArgumentCtx {
    ArgumentCtx {
        label,
        meaning: "a reason code claimwright has no guidance for".to_string(),
        argument: "Look the code up on the remittance and answer it directly.".to_string(),
        enclosures: vec![],
    }
}
