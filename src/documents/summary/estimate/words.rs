//! The estimate in words: a short phrase for why each figure is what it is, and the plain
//! sentences that tell the patient how it was reached. Every amount comes from the priced
//! visit; nothing here computes one.

use super::{Parts, PlanEstimateCtx, share_parts};
use crate::documents::summary::CoverageSummary;
use crate::figures::cost::Share;
use crate::figures::estimate::{Basis, Refusal, Step, VisitCost};
use crate::model::Money;
use chrono::NaiveDate;

/// The payer's name, else its id.
pub(super) fn payer_name(c: &CoverageSummary) -> String {
    if c.coverage.payer_name.is_empty() {
        c.coverage.payer_id.clone()
    } else {
        c.coverage.payer_name.clone()
    }
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Why a plan's share is what it is: "copay only", "copay and deductible", "deductible and
/// 20% coinsurance", "out-of-pocket maximum reached: the plan pays in full".
fn share_phrase(share: &Share, rate: &str) -> String {
    if share.capped && share.patient == Money::ZERO {
        return "out-of-pocket maximum reached: the plan pays in full".to_string();
    }
    let names: Vec<String> = share_parts(share)
        .iter()
        .filter(|(cents, _)| *cents > 0)
        .map(|(_, name)| match *name {
            "coinsurance" => format!("{rate} coinsurance"),
            other => other.to_string(),
        })
        .collect();
    let text = match names.as_slice() {
        [] => "the plan pays in full".to_string(),
        [only] if only == "copay" && !share.capped => "copay only".to_string(),
        _ => and_list(&names),
    };
    if share.capped {
        format!("{text}, up to the out-of-pocket maximum")
    } else {
        text
    }
}

/// Each coverage's part of the estimate, in the order billed; `code` is the services billed.
pub(super) fn plan_parts(
    cost: &VisitCost,
    chained: &[&CoverageSummary],
    code: &str,
) -> Vec<PlanEstimateCtx> {
    let extra = cost.beyond_plan.cents() + cost.not_covered.cents();
    let shared = |i: usize| {
        cost.steps[i]
            .share
            .filter(|_| cost.priced_by == Some(i) && chained[i].coverage.network == "in")
    };
    cost.steps
        .iter()
        .zip(chained)
        .enumerate()
        .map(|(i, (step, c))| PlanEstimateCtx {
            payer: payer_name(c),
            priority: c.coverage.priority.clone(),
            code: code.to_string(),
            allowed: step.allowed,
            // Only the plan that set the price charges its copay, deductible and
            // coinsurance; a later plan's are only a bound on what it pays.
            copay: shared(i).map(|s| s.copay),
            deductible: shared(i).map(|s| s.deductible),
            coinsurance: shared(i).map(|s| s.coinsurance),
            plan_pays: step.pays,
            patient_pays: step.left.map(|l| Money(l.cents() + extra)),
            basis: step_phrase(cost, i, step, c),
            capped: step.share.is_some_and(|s| s.capped),
        })
        .collect()
}

/// Why the `i`th coverage, `c`, did what `step` says.
fn step_phrase(cost: &VisitCost, i: usize, step: &Step, c: &CoverageSummary) -> String {
    if let Some(r) = step.refusal {
        return if c.carrier {
            format!("{}: you are not billed", r.phrase())
        } else {
            r.phrase().to_string()
        };
    }
    if c.carrier {
        return "the carrier pays".to_string();
    }
    let in_network = c.coverage.network == "in";
    match (cost.priced_by == Some(i), step.share, step.pays) {
        (true, Some(share), _) if in_network => share_phrase(&share, &c.coinsurance),
        (true, _, Some(_)) => "out of network: pays you back".to_string(),
        (true, _, None) => "out of network: what it pays back is unknown".to_string(),
        (false, _, Some(_)) => "pays toward what the plan before it leaves".to_string(),
        (false, _, None) => "what it pays is unknown".to_string(),
    }
}

/// Why the visit costs what it does, e.g. "visit limit reached: practice fee".
pub(super) fn basis(cost: &VisitCost, chained: &[&CoverageSummary]) -> String {
    match cost.basis {
        Basis::SelfPay => "no insurance: practice fee".to_string(),
        Basis::Refused(r) => format!("{}: practice fee", r.phrase()),
        Basis::Carrier => {
            let kind = cost
                .priced_by
                .and_then(|i| chained.get(i))
                .map_or("carrier", |c| c.carrier_kind.as_str());
            format!("{kind}: the carrier is billed")
        }
        Basis::OutOfNetwork => match cost.reimbursed {
            Some(r) if r > Money::ZERO => {
                "out of network: practice fee, part paid back by the plan".to_string()
            }
            Some(_) => "out of network: practice fee, none paid back".to_string(),
            None => "out of network: practice fee".to_string(),
        },
        Basis::InNetwork => {
            let Some(i) = cost.priced_by else {
                return "in network".to_string();
            };
            let mut parts = Vec::new();
            if let Some(r) = cost.steps[..i].iter().find_map(|s| s.refusal) {
                parts.push(format!("primary: {}", r.phrase()));
            }
            let share = cost.steps[i]
                .share
                .map_or(String::new(), |s| share_phrase(&s, &chained[i].coinsurance));
            parts.push(format!("in network: {share}"));
            if cost.steps[i + 1..]
                .iter()
                .any(|s| s.pays.is_some_and(|p| p > Money::ZERO))
            {
                parts.push("the secondary pays toward your share".to_string());
            }
            if cost.steps[i + 1..].iter().any(|s| s.pays.is_none()) {
                parts.push("the secondary's payment unknown".to_string());
            }
            if cost.beyond_plan > Money::ZERO {
                parts.push("time past the plan's minutes at the practice fee".to_string());
            }
            if cost.not_covered > Money::ZERO {
                parts.push("services not covered at the practice fee".to_string());
            }
            parts.join("; ")
        }
    }
}

/// How the estimate was reached, in plain sentences.
pub(super) fn explain(
    cost: &VisitCost,
    chained: &[&CoverageSummary],
    parts: &Parts,
    as_of: NaiveDate,
) -> Vec<String> {
    let fee = cost.fee;
    let mut out = Vec::new();
    if cost.basis == Basis::SelfPay {
        out.push(format!(
            "We have no insurance coverage on file for you, so you pay our fee for the visit, ${fee}."
        ));
        return out;
    }
    if cost.basis == Basis::Carrier {
        let Some(c) = cost.priced_by.and_then(|i| chained.get(i)) else {
            return out;
        };
        out.push(format!(
            "This is a {} claim: we bill {} directly, and you pay nothing for the visit.",
            c.carrier_kind,
            payer_name(c)
        ));
        if let Some(r) = cost.priced_by.and_then(|i| cost.steps[i].refusal) {
            out.push(refusal_sentence(r, c, parts, as_of));
        }
        return out;
    }
    for (i, (step, c)) in cost.steps.iter().zip(chained).enumerate() {
        if let Some(r) = step.refusal {
            out.push(refusal_sentence(r, c, parts, as_of));
        } else if cost.priced_by == Some(i) {
            out.extend(pricing_sentences(cost, step, c));
        } else {
            out.push(later_sentence(step, c));
        }
    }
    if matches!(cost.basis, Basis::Refused(_)) {
        out.push(format!("You would pay our fee for the visit, ${fee}."));
    }
    if cost.not_covered > Money::ZERO
        && let Some(c) = chained.first()
    {
        out.push(format!(
            "{} does not cover {}: you pay our fee for it, ${}.",
            payer_name(c),
            super::units_text(&parts.not_covered),
            cost.not_covered
        ));
    }
    out
}

/// What the plan that set the price does: in network, its allowed amount and the share; out
/// of network, the fee and what it pays back.
fn pricing_sentences(cost: &VisitCost, step: &Step, c: &CoverageSummary) -> Vec<String> {
    let name = payer_name(c);
    if c.coverage.network != "in" {
        let mut out = vec![format!(
            "We are out of {name}'s network: you pay our fee of ${} at the visit and send the plan a superbill.",
            cost.fee
        )];
        match (cost.reimbursed, cost.net, step.allowed) {
            (Some(r), Some(net), Some(a)) => out.push(format!(
                "By its out-of-network benefits it allows ${a} and would pay you back about ${r}, so the visit would cost you ${net}."
            )),
            _ => out.push(
                "We do not know what it pays back out of network: ask the plan what it allows for these services out of network."
                    .to_string(),
            ),
        }
        return out;
    }
    let (Some(share), Some(a)) = (step.share, step.allowed) else {
        return Vec::new();
    };
    let mut paid: Vec<String> = Vec::new();
    if share.copay > Money::ZERO {
        paid.push(format!("the ${} copay", share.copay));
    }
    if share.deductible > Money::ZERO {
        paid.push(format!("${} toward your deductible", share.deductible));
    }
    if share.coinsurance > Money::ZERO {
        paid.push(format!(
            "${} coinsurance ({})",
            share.coinsurance, c.coinsurance
        ));
    }
    let you = if paid.is_empty() {
        "nothing".to_string()
    } else {
        and_list(&paid)
    };
    let mut out = vec![format!(
        "{name} allows ${a} for the visit: you pay {you}, and it pays ${}.",
        share.plan
    )];
    if share.capped {
        out.push(format!(
            "Your share stops at the ${} left to your out-of-pocket maximum.",
            c.out_of_pocket.remaining
        ));
    }
    out
}

/// What a plan billed after the one that set the price pays.
fn later_sentence(step: &Step, c: &CoverageSummary) -> String {
    let name = payer_name(c);
    match (step.pays, step.left, step.share) {
        (Some(p), Some(left), Some(share)) => format!(
            "{name} pays ${p} toward the ${} left to you, up to the ${} it would pay for the visit alone.",
            Money(left.cents() + p.cents()),
            share.plan
        ),
        _ => format!(
            "We do not know {name}'s allowed amounts for these services, so the estimate leaves out what it pays."
        ),
    }
}

/// Why `c`'s plan would not pay the visit, in plain words.
fn refusal_sentence(r: Refusal, c: &CoverageSummary, parts: &Parts, as_of: NaiveDate) -> String {
    let name = payer_name(c);
    let renew = "so it would not pay for another visit unless it authorizes more";
    match r {
        Refusal::NotInForce => format!(
            "Your {name} coverage is not in force on {as_of} (its dates: {} to {}), so it would not pay for a visit that day.",
            c.coverage.effective,
            c.coverage
                .terminates
                .map_or("no end date".to_string(), |t| t.to_string())
        ),
        Refusal::NotCovered => {
            let codes: Vec<String> = parts.billed.iter().map(|u| u.code.clone()).collect();
            format!(
                "{name} does not cover {}, so it would not pay for the visit.",
                and_list(&codes)
            )
        }
        Refusal::VisitLimit => format!(
            "{name} pays for {} visits a plan year, and {} of this plan year's ({} to {}) are used, so it would not pay for another visit before {}.",
            c.visits.allowed.unwrap_or(0),
            c.visits.used,
            c.plan_year_start,
            c.plan_year_end,
            c.plan_year_end.succ_opt().unwrap_or(c.plan_year_end)
        ),
        Refusal::AuthorizationMissing => format!(
            "{name} pays only for visits it authorizes in advance, and it has not authorized any."
        ),
        Refusal::AuthorizationExpired => {
            let (id, end) = c
                .authorization
                .as_ref()
                .map_or((String::new(), None), |a| (a.id.clone(), a.end));
            let end = end.map_or(String::new(), |e| format!(" ended on {e}"));
            format!("{name}'s authorization {id}{end}, {renew}.")
        }
        Refusal::AuthorizationUsedUp => {
            let (id, n) = c.authorization.as_ref().map_or((String::new(), 0), |a| {
                (a.id.clone(), a.visits.allowed.unwrap_or(0))
            });
            format!("The {n} visits {name} authorized ({id}) are used, {renew}.")
        }
        Refusal::ReferralMissing => format!(
            "{name} pays only for visits your physician refers you for, and we have no referral on file."
        ),
        Refusal::ReferralExpired => {
            let (by, end) = c
                .referral
                .as_ref()
                .map_or((String::new(), None), |r| (r.issued_by.clone(), r.end));
            let end = end.map_or(String::new(), |e| format!(" ended on {e}"));
            format!(
                "Your referral from {by}{end}, so {name} would not pay for another visit until your physician renews it."
            )
        }
        Refusal::ReferralUsedUp => {
            let (by, n) = c.referral.as_ref().map_or((String::new(), 0), |r| {
                (r.issued_by.clone(), r.visits.allowed.unwrap_or(0))
            });
            format!(
                "The {n} visits of your referral from {by} are used, so {name} would not pay for another visit until your physician renews it."
            )
        }
    }
}
