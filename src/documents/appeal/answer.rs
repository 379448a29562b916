//! The answer to a whole denial: its adjustments sorted by family, an argument for each family
//! the letter disputes, the corrected or new claim for the rest, and the letter's enclosures
//! and the practice's checklist without repeats.

use super::argue::{self, Excluded};
use super::ctx::{ArgumentCtx, ChecklistCtx, CorrectionCtx, OtherReasonCtx, ResubmissionCtx};
use super::facts::Facts;
use super::reasons::{Family, label};
use crate::codes::carc;
use crate::model::{Adjustment, Denial, Money};

/// Everything the letter answers, and what the practice must still do.
#[derive(Default)]
pub(super) struct Answer {
    /// One argument per disputed family, in remittance order.
    pub(super) arguments: Vec<ArgumentCtx>,
    /// What to correct, per reason code answered by a corrected or new claim.
    pub(super) corrections: Vec<CorrectionCtx>,
    /// How to send the claim again.
    pub(super) resubmission: Option<ResubmissionCtx>,
    /// The reasons not disputed.
    pub(super) other_reasons: Vec<OtherReasonCtx>,
    /// What the letter encloses.
    pub(super) enclosures: Vec<String>,
    /// What the practice must still add.
    pub(super) checklist: Vec<ChecklistCtx>,
    /// Plan terms that name a service denied as not covered.
    pub(super) excluded: Vec<Excluded>,
    /// Every argument is administrative: the letter is a one-page request to reprocess.
    pub(super) brief: bool,
}

impl Answer {
    /// The answer to `denial` from its records.
    pub(super) fn to(denial: &Denial, f: &Facts<'_>) -> Answer {
        let mut families: Vec<(Family, Vec<&Adjustment>)> = Vec::new();
        for adj in &denial.adjustments {
            let family = Family::of(adj);
            match families.iter_mut().find(|(x, _)| *x == family) {
                Some((_, list)) => list.push(adj),
                None => families.push((family, vec![adj])),
            }
        }
        let mut answer = Answer::default();
        let mut administrative = true;
        for (family, adjs) in &families {
            match family {
                Family::MissingInformation => answer.missing_information(adjs, denial),
                Family::OtherCorrection => answer.correct(adjs),
                Family::NotDisputed => answer.not_disputed(adjs),
                _ => {
                    let built = argue::argue(*family, adjs, f);
                    administrative &= built.administrative;
                    for e in &built.ctx.enclosures {
                        answer.enclose(e.clone());
                    }
                    if let (Family::NonCovered, Some((_, coverage))) = (family, f.ev.coverage) {
                        let codes = argue::service_codes(adjs, f);
                        answer.excluded.extend(argue::excluded(f, coverage, &codes));
                    }
                    for item in built.checklist {
                        answer.add(item);
                    }
                    answer.arguments.push(built.ctx);
                }
            }
        }
        if answer.resubmission.is_none() && !answer.corrections.is_empty() {
            answer.resubmission = Some(replacement(denial));
        }
        if !answer.arguments.is_empty() {
            answer.enclose(remittance_enclosure(denial, f));
            if f.ev.denied.is_empty() {
                // Without the visits the letter can cite no date, note, diagnosis or progress.
                answer.add(ChecklistCtx {
                    item: "the denial names no session on file: add the denied visits' session ids (`sessions`) so the letter can cite their dates and notes".to_string(),
                    file: f.ev.denial_file.clone(),
                    field: "sessions".to_string(),
                });
            }
        }
        answer.brief = administrative && !answer.arguments.is_empty();
        answer
    }

    /// `appeal`, `corrected_claim` or `mixed`; a denial with neither is still written up as
    /// an appeal, which then lists only the reasons not disputed.
    pub(super) fn mode(&self) -> &'static str {
        match (self.arguments.is_empty(), self.corrections.is_empty()) {
            (true, false) => "corrected_claim",
            (false, false) => "mixed",
            (false, true) | (true, true) => "appeal",
        }
    }

    /// CO-16 / MA130: what to fix, by remark code, and whether a new claim replaces nothing.
    fn missing_information(&mut self, adjs: &[&Adjustment], denial: &Denial) {
        let new_claim = adjs.iter().any(|a| {
            a.remarks
                .iter()
                .any(|r| r.as_str().eq_ignore_ascii_case("MA130"))
        });
        let mut labels: Vec<String> = Vec::new();
        for a in adjs {
            let l = label(a);
            if labels.contains(&l) {
                continue;
            }
            let mut items: Vec<String> = Vec::new();
            for r in adjs
                .iter()
                .filter(|x| label(x) == l)
                .flat_map(|x| &x.remarks)
            {
                let item = match carc::remark(r.as_str()) {
                    Some(m) if r.as_str().eq_ignore_ascii_case("MA130") => {
                        format!("{r}: {m}; check every field of the claim")
                    }
                    Some(m) => format!("{r}: {m}"),
                    None => format!("{r}: the field this remark code names"),
                };
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            if items.is_empty() {
                items.push(
                    "the field the payer's remittance names (it gave no remark code: call the payer or check its portal)"
                        .to_string(),
                );
            }
            self.corrections.push(CorrectionCtx {
                meaning: carc::lookup(a.reason.as_str())
                    .map(|c| c.meaning.to_string())
                    .unwrap_or_default(),
                label: l.clone(),
                items,
            });
            labels.push(l);
        }
        self.resubmission = Some(if new_claim {
            ResubmissionCtx {
                new_claim: true,
                frequency: "1",
                instruction: format!(
                    "Send a new claim (frequency code 1, item 22 left blank) with the information corrected, not a replacement: the payer returned claim {} as unprocessable (MA130), so it holds no claim to replace and the denial carries no appeal rights.",
                    denial.claim_number
                ),
            }
        } else {
            replacement(denial)
        });
    }

    /// A reason the table answers with a corrected claim: its corrections, as the table
    /// lists them.
    fn correct(&mut self, adjs: &[&Adjustment]) {
        for a in adjs {
            let l = label(a);
            if self.corrections.iter().any(|c| c.label == l) {
                continue;
            }
            let Some(code) = carc::lookup(a.reason.as_str()) else {
                continue;
            };
            self.corrections.push(CorrectionCtx {
                label: l,
                meaning: code.meaning.to_string(),
                items: code.corrections.iter().map(|c| c.to_string()).collect(),
            });
        }
    }

    /// Reasons not disputed: named with their sums, and what the practice does about them.
    fn not_disputed(&mut self, adjs: &[&Adjustment]) {
        for a in adjs {
            let l = label(a);
            if let Some(o) = self.other_reasons.iter_mut().find(|o| o.label == l) {
                o.amount = Money(o.amount.cents() + a.amount.cents());
                continue;
            }
            let code = carc::lookup(a.reason.as_str());
            self.other_reasons.push(OtherReasonCtx {
                label: l,
                meaning: code.map(|c| c.meaning.to_string()).unwrap_or_default(),
                amount: a.amount,
                argument: code.map(|c| c.note.to_string()).unwrap_or_default(),
                enclosures: Vec::new(),
            });
        }
    }

    /// Adds an enclosure unless it is already listed.
    fn enclose(&mut self, enclosure: String) {
        if !self.enclosures.contains(&enclosure) {
            self.enclosures.push(enclosure);
        }
    }

    /// Adds a checklist item unless the same one is listed.
    fn add(&mut self, item: ChecklistCtx) {
        if !self
            .checklist
            .iter()
            .any(|x| x.item == item.item && x.file == item.file)
        {
            self.checklist.push(item);
        }
    }
}

/// A corrected claim that replaces the one the payer has.
fn replacement(denial: &Denial) -> ResubmissionCtx {
    ResubmissionCtx {
        new_claim: false,
        frequency: "7",
        instruction: format!(
            "Send a corrected claim that replaces claim {}: frequency code 7 (CMS-1500 item 22, resubmission code 7) with the payer's original claim number {}.",
            denial.claim_number, denial.claim_number
        ),
    }
}

/// The remittance the letter answers: the imported 835 when there is one, else the EOB the
/// denial was read from.
fn remittance_enclosure(denial: &Denial, f: &Facts<'_>) -> String {
    match &f.ev.remittance {
        Some((Some(date), trace)) => format!(
            "Remittance advice of {date} (trace {trace}) for claim {}",
            denial.claim_number
        ),
        Some((None, trace)) => format!(
            "Remittance advice (trace {trace}) for claim {}",
            denial.claim_number
        ),
        None => format!(
            "Explanation of benefits of {} for claim {}",
            denial.date, denial.claim_number
        ),
    }
}
