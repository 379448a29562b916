//! The payer's stated reasons, read off the denial: each adjustment's reason code sorted into
//! the family of argument that answers it, and the reasons quoted in words.

use super::ctx::{AdjustmentCtx, ReasonCtx, RemarkCtx};
use crate::codes::carc::{self, Action};
use crate::model::{Adjustment, Denial, Money};

/// The kinds of denial that call for different answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// CO-50: not medically necessary.
    MedicalNecessity,
    /// CO-197 / CO-15: no authorization on file, or a wrong one.
    Authorization,
    /// CO-29: filed after the deadline.
    TimelyFiling,
    /// CO-16, or any reason with remark MA130: information missing; the claim is sent again.
    MissingInformation,
    /// PR-96 / CO-96 / CO-204: not covered by the plan.
    NonCovered,
    /// CO-151 / CO-119: too many services, or the benefit's maximum reached.
    Frequency,
    /// Another reason the table says to appeal, or one it does not know.
    OtherAppeal,
    /// Another reason the table answers with a corrected claim.
    OtherCorrection,
    /// A reason not disputed: the patient's share, a write-off, another payer, enrollment.
    NotDisputed,
}

impl Family {
    /// The family of one adjustment. MA130 (unprocessable, send a new claim) decides over
    /// the reason code it comes with.
    pub fn of(adj: &Adjustment) -> Family {
        if adj
            .remarks
            .iter()
            .any(|r| r.as_str().eq_ignore_ascii_case("MA130"))
        {
            return Family::MissingInformation;
        }
        match code_of(adj) {
            "50" => Family::MedicalNecessity,
            "197" | "15" => Family::Authorization,
            "29" => Family::TimelyFiling,
            "16" => Family::MissingInformation,
            "96" | "204" => Family::NonCovered,
            "151" | "119" => Family::Frequency,
            code => match carc::lookup(code).map(|c| c.action) {
                None | Some(Action::Appeal) => Family::OtherAppeal,
                Some(Action::CorrectedClaim) => Family::OtherCorrection,
                Some(_) => Family::NotDisputed,
            },
        }
    }

    /// The name in the letter's data, e.g. `medical_necessity`.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::MedicalNecessity => "medical_necessity",
            Family::Authorization => "authorization",
            Family::TimelyFiling => "timely_filing",
            Family::MissingInformation => "missing_information",
            Family::NonCovered => "non_covered",
            Family::Frequency => "frequency",
            Family::OtherAppeal => "other",
            Family::OtherCorrection => "corrected_claim",
            Family::NotDisputed => "not_disputed",
        }
    }

    /// Whether the letter disputes it: every family but corrections, new claims and the
    /// reasons not disputed.
    pub fn disputed(self) -> bool {
        !matches!(
            self,
            Family::MissingInformation | Family::OtherCorrection | Family::NotDisputed
        )
    }
}

/// The reason code as the table writes it (`050` is `50`), or as given when the table does not
/// know it.
pub fn code_of(adj: &Adjustment) -> &str {
    let reason = adj.reason.as_str();
    carc::lookup(reason).map_or(reason, |c| c.code)
}

/// "CO-50".
pub fn label(adj: &Adjustment) -> String {
    format!("{}-{}", adj.group.as_str(), adj.reason)
}

/// The reason codes of `denial`, one per label in remittance order, with their lines, sums
/// and remarks in words.
pub fn quoted(denial: &Denial) -> Vec<ReasonCtx> {
    let mut reasons: Vec<ReasonCtx> = Vec::new();
    for adj in &denial.adjustments {
        let label = label(adj);
        let line = match &adj.service {
            Some(code) => format!("{code} ${}", adj.amount),
            None => format!("${}", adj.amount),
        };
        let index = match reasons.iter().position(|r| r.label == label) {
            Some(i) => i,
            None => {
                reasons.push(ReasonCtx {
                    meaning: carc::lookup(adj.reason.as_str())
                        .map(|c| c.meaning.to_string())
                        .unwrap_or_default(),
                    family: Family::of(adj).as_str(),
                    label,
                    lines: String::new(),
                    amount: Money(0),
                    remarks: Vec::new(),
                });
                reasons.len() - 1
            }
        };
        let reason = &mut reasons[index];
        if !reason.lines.is_empty() {
            reason.lines.push_str("; ");
        }
        reason.lines.push_str(&line);
        reason.amount = Money(reason.amount.cents() + adj.amount.cents());
        for r in &adj.remarks {
            if !reason.remarks.iter().any(|x| x.code == r.as_str()) {
                reason.remarks.push(RemarkCtx {
                    code: r.to_string(),
                    meaning: carc::remark(r.as_str()).unwrap_or_default().to_string(),
                });
            }
        }
    }
    reasons
}

/// The sum of the adjustments the letter disputes.
pub fn disputed_amount(denial: &Denial) -> Money {
    Money(
        denial
            .adjustments
            .iter()
            .filter(|a| Family::of(a).disputed())
            .map(|a| a.amount.cents())
            .sum(),
    )
}

impl From<&Adjustment> for AdjustmentCtx {
    fn from(a: &Adjustment) -> Self {
        AdjustmentCtx {
            label: label(a),
            group_meaning: carc::group_meaning(a.group.as_str()).to_string(),
            meaning: carc::lookup(a.reason.as_str())
                .map(|c| c.meaning.to_string())
                .unwrap_or_default(),
            remarks: a
                .remarks
                .iter()
                .map(|r| match carc::remark(r.as_str()) {
                    Some(m) => format!("{r} ({m})"),
                    None => r.to_string(),
                })
                .collect(),
            amount: a.amount,
            service: a
                .service
                .as_ref()
                .map(|s| s.to_string())
                .unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn adj(yaml: &str) -> Adjustment {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn families_follow_the_reason_and_ma130_decides() {
        let of = |y: &str| Family::of(&adj(y));
        assert_eq!(
            of("{group: CO, reason: '50', amount: 1}"),
            Family::MedicalNecessity
        );
        assert_eq!(
            of("{group: CO, reason: '15', amount: 1}"),
            Family::Authorization
        );
        assert_eq!(
            of("{group: PR, reason: '96', amount: 1}"),
            Family::NonCovered
        );
        assert_eq!(
            of("{group: CO, reason: '119', amount: 1}"),
            Family::Frequency
        );
        assert_eq!(
            of("{group: CO, reason: '16', remarks: [M76], amount: 1}"),
            Family::MissingInformation
        );
        assert_eq!(
            of("{group: CO, reason: '252', remarks: [MA130], amount: 1}"),
            Family::MissingInformation
        );
        assert_eq!(
            of("{group: PR, reason: '2', amount: 1}"),
            Family::NotDisputed
        );
        assert_eq!(
            of("{group: CO, reason: '4', amount: 1}"),
            Family::OtherCorrection
        );
        assert_eq!(
            of("{group: CO, reason: '288', amount: 1}"),
            Family::OtherAppeal
        );
        assert_eq!(
            of("{group: CO, reason: 'Z9', amount: 1}"),
            Family::OtherAppeal
        );
    }

    #[test]
    fn reasons_are_quoted_once_with_every_line() {
        let denial: Denial = serde_yaml::from_str(
            "claim_number: X1\npatient: p\npayer: q\ndate: 2026-11-20\nbilled: 100\npaid: 0\nadjustments:\n  - {group: CO, reason: '50', remarks: [N115], amount: 60, service: '97124'}\n  - {group: CO, reason: '50', remarks: [N115], amount: 40, service: '97140'}\n",
        )
        .unwrap();
        let reasons = quoted(&denial);
        assert_eq!(reasons.len(), 1);
        assert_eq!(reasons[0].lines, "97124 $60.00; 97140 $40.00");
        assert_eq!(reasons[0].amount, Money(10000));
        assert_eq!(reasons[0].remarks.len(), 1);
        assert!(reasons[0].remarks[0].meaning.contains("Local Coverage"));
        assert_eq!(disputed_amount(&denial), Money(10000));
    }
}
