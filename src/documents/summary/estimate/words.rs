//! The estimate in words: a short phrase for why each figure is what it is, and the plain
//! sentences that tell the reader how it was reached, in the reader's language from its
//! table of phrases. Every amount comes from the priced visit; nothing here computes one.

use super::{Parts, PlanEstimateCtx, Units, share_parts};
use crate::documents::summary::CoverageSummary;
use crate::documents::wording::{self, Phrases, and_list, fill, money};
use crate::figures::cost::Share;
use crate::figures::estimate::{Basis, Refusal, Step, VisitCost};
use crate::model::Money;
use crate::model::patient::Language;
use chrono::NaiveDate;

/// How the summary speaks: its language's phrases, and whether it speaks to a minor's parent.
#[derive(Debug, Clone, Copy)]
pub(in crate::documents::summary) struct Voice {
    /// The phrases of the reader's language.
    pub(in crate::documents::summary) p: &'static Phrases,
    /// The language, for dates.
    pub(in crate::documents::summary) lang: Language,
    /// The reader is a minor's parent or guardian.
    pub(in crate::documents::summary) minor: bool,
}

impl Voice {
    /// A date in a sentence.
    fn date(&self, d: NaiveDate) -> String {
        wording::date_long(d, self.lang)
    }

    /// "your doctor" or "your child's doctor".
    fn doctor(&self) -> &'static str {
        if self.minor {
            self.p.your_childs_doctor
        } else {
            self.p.your_doctor
        }
    }
}

/// The payer's name, else its id.
pub(super) fn payer_name(c: &CoverageSummary) -> String {
    if c.coverage.payer_name.is_empty() {
        c.coverage.payer_id.clone()
    } else {
        c.coverage.payer_name.clone()
    }
}

/// A refusal in a few words.
pub(super) fn refusal_phrase(r: Refusal, p: &Phrases) -> &'static str {
    match r {
        Refusal::NotInForce => p.refused_not_in_force,
        Refusal::NotCovered => p.refused_not_covered,
        Refusal::VisitLimit => p.refused_visit_limit,
        Refusal::AuthorizationMissing => p.refused_authorization_missing,
        Refusal::AuthorizationExpired => p.refused_authorization_expired,
        Refusal::AuthorizationUsedUp => p.refused_authorization_used_up,
        Refusal::ReferralMissing => p.refused_referral_missing,
        Refusal::ReferralExpired => p.refused_referral_expired,
        Refusal::ReferralUsedUp => p.refused_referral_used_up,
    }
}

/// "1 unit of exercise therapy and 2 units of massage".
pub(super) fn units_text(list: &[Units], p: &Phrases) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|u| wording::units_of(u.units, &u.code, p))
        .collect();
    and_list(&items, p)
}

/// Why a plan's share is what it is: "copay only", "copay and deductible", "deductible and
/// 20% coinsurance", "out-of-pocket maximum reached: the plan pays it all".
fn share_phrase(share: &Share, rate: &str, p: &Phrases) -> String {
    if share.capped && share.patient == Money::ZERO {
        return p.share_all_paid.to_string();
    }
    let names: Vec<String> = share_parts(share)
        .iter()
        .filter(|(cents, _)| *cents > 0)
        .map(|(_, name)| match *name {
            "coinsurance" => fill(p.coinsurance, &[("rate", rate)]),
            "copay" => p.copay.to_string(),
            _ => p.deductible.to_string(),
        })
        .collect();
    let text = match names.as_slice() {
        [] => p.share_none.to_string(),
        [only] if only == p.copay && !share.capped => p.share_copay_only.to_string(),
        _ => and_list(&names, p),
    };
    if share.capped {
        fill(p.share_capped, &[("share", &text)])
    } else {
        text
    }
}

/// Each coverage's part of the estimate, in the order billed; `code` is the services billed.
pub(super) fn plan_parts(
    cost: &VisitCost,
    chained: &[&CoverageSummary],
    code: &str,
    v: Voice,
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
            name: c.name.clone(),
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
            basis: step_phrase(cost, i, step, c, v.p),
            capped: step.share.is_some_and(|s| s.capped),
        })
        .collect()
}

/// Why the `i`th coverage, `c`, did what `step` says.
fn step_phrase(
    cost: &VisitCost,
    i: usize,
    step: &Step,
    c: &CoverageSummary,
    p: &Phrases,
) -> String {
    if let Some(r) = step.refusal {
        return if c.carrier {
            fill(p.step_carrier_refused, &[("refusal", refusal_phrase(r, p))])
        } else {
            refusal_phrase(r, p).to_string()
        };
    }
    if c.carrier {
        return p.step_carrier.to_string();
    }
    let in_network = c.coverage.network == "in";
    match (cost.priced_by == Some(i), step.share, step.pays) {
        (true, Some(share), _) if in_network => share_phrase(&share, &c.coinsurance, p),
        (true, _, Some(_)) => p.step_out_pays.to_string(),
        (true, _, None) => p.step_out_unknown.to_string(),
        (false, _, Some(_)) => p.step_later_pays.to_string(),
        (false, _, None) => p.step_later_unknown.to_string(),
    }
}

/// Why the visit costs what it does, e.g. "visit limit reached: our fee".
pub(super) fn basis(cost: &VisitCost, chained: &[&CoverageSummary], p: &Phrases) -> String {
    match cost.basis {
        Basis::SelfPay => p.basis_self_pay.to_string(),
        Basis::Refused(r) => fill(p.basis_refused, &[("refusal", refusal_phrase(r, p))]),
        Basis::Carrier => {
            let kind = cost
                .priced_by
                .and_then(|i| chained.get(i))
                .map_or("", |c| c.carrier_kind.as_str());
            fill(p.basis_carrier, &[("kind", kind)])
        }
        Basis::OutOfNetwork => match cost.reimbursed {
            Some(r) if r > Money::ZERO => p.basis_out_back.to_string(),
            Some(_) => p.basis_out_none.to_string(),
            None => p.basis_out.to_string(),
        },
        Basis::InNetwork => {
            let Some(i) = cost.priced_by else {
                return p.basis_in.to_string();
            };
            let mut parts = Vec::new();
            if let Some(r) = cost.steps[..i].iter().find_map(|s| s.refusal) {
                parts.push(fill(
                    p.basis_primary_refused,
                    &[("refusal", refusal_phrase(r, p))],
                ));
            }
            let share = cost.steps[i].share.map_or(String::new(), |s| {
                share_phrase(&s, &chained[i].coinsurance, p)
            });
            parts.push(fill(p.basis_in_share, &[("share", &share)]));
            if cost.steps[i + 1..]
                .iter()
                .any(|s| s.pays.is_some_and(|x| x > Money::ZERO))
            {
                parts.push(p.basis_second_pays.to_string());
            }
            if cost.steps[i + 1..].iter().any(|s| s.pays.is_none()) {
                parts.push(p.basis_second_unknown.to_string());
            }
            if cost.beyond_plan > Money::ZERO {
                parts.push(p.basis_beyond.to_string());
            }
            if cost.not_covered > Money::ZERO {
                parts.push(p.basis_not_covered.to_string());
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
    v: Voice,
) -> Vec<String> {
    let p = v.p;
    let fee = money(cost.fee);
    let mut out = Vec::new();
    if cost.basis == Basis::SelfPay {
        let whom = if v.minor { p.whom_child } else { p.whom_you };
        out.push(fill(p.ex_self_pay, &[("whom", whom), ("fee", &fee)]));
        return out;
    }
    if cost.basis == Basis::Carrier {
        let Some(c) = cost.priced_by.and_then(|i| chained.get(i)) else {
            return out;
        };
        out.push(fill(
            p.ex_carrier,
            &[("kind", &c.carrier_kind), ("payer", &payer_name(c))],
        ));
        if let Some(r) = cost.priced_by.and_then(|i| cost.steps[i].refusal) {
            out.push(refusal_sentence(r, c, parts, as_of, v));
        }
        return out;
    }
    for (i, (step, c)) in cost.steps.iter().zip(chained).enumerate() {
        if let Some(r) = step.refusal {
            out.push(refusal_sentence(r, c, parts, as_of, v));
        } else if cost.priced_by == Some(i) {
            out.extend(pricing_sentences(cost, step, c, p));
        } else {
            out.push(later_sentence(step, c, p));
        }
    }
    if matches!(cost.basis, Basis::Refused(_)) {
        out.push(fill(p.ex_refused_fee, &[("fee", &fee)]));
    }
    if cost.not_covered > Money::ZERO
        && let Some(c) = chained.first()
    {
        out.push(fill(
            p.ex_not_covered,
            &[
                ("payer", &payer_name(c)),
                ("services", &units_text(&parts.not_covered, p)),
                ("fee", &money(cost.not_covered)),
            ],
        ));
    }
    out
}

/// What the plan that set the price does: in network, its allowed amount and the share; out
/// of network, the fee and what it pays back.
fn pricing_sentences(
    cost: &VisitCost,
    step: &Step,
    c: &CoverageSummary,
    p: &Phrases,
) -> Vec<String> {
    let name = payer_name(c);
    if c.coverage.network != "in" {
        let mut out = vec![fill(
            p.ex_out,
            &[("payer", &name), ("fee", &money(cost.fee))],
        )];
        match (cost.reimbursed, cost.net, step.allowed) {
            (Some(r), Some(net), Some(a)) => out.push(fill(
                p.ex_out_back,
                &[
                    ("allowed", &money(a)),
                    ("back", &money(r)),
                    ("net", &money(net)),
                ],
            )),
            _ => out.push(p.ex_out_unknown.to_string()),
        }
        return out;
    }
    let (Some(share), Some(a)) = (step.share, step.allowed) else {
        return Vec::new();
    };
    let mut paid: Vec<String> = Vec::new();
    if share.copay > Money::ZERO {
        paid.push(fill(p.you_copay, &[("amount", &money(share.copay))]));
    }
    if share.deductible > Money::ZERO {
        paid.push(fill(
            p.you_deductible,
            &[("amount", &money(share.deductible))],
        ));
    }
    if share.coinsurance > Money::ZERO {
        paid.push(fill(
            p.you_coinsurance,
            &[
                ("amount", &money(share.coinsurance)),
                ("rate", &c.coinsurance),
            ],
        ));
    }
    let you = if paid.is_empty() {
        p.you_nothing.to_string()
    } else {
        and_list(&paid, p)
    };
    let mut out = vec![fill(
        p.ex_in,
        &[
            ("payer", &name),
            ("allowed", &money(a)),
            ("you", &you),
            ("plan", &money(share.plan)),
        ],
    )];
    if share.capped {
        out.push(fill(
            p.ex_capped,
            &[("left", &money(c.out_of_pocket.remaining))],
        ));
    }
    out
}

/// What a plan billed after the one that set the price pays.
fn later_sentence(step: &Step, c: &CoverageSummary, p: &Phrases) -> String {
    let name = payer_name(c);
    match (step.pays, step.left, step.share) {
        (Some(pays), Some(left), Some(share)) => fill(
            p.ex_later_pays,
            &[
                ("payer", &name),
                ("pays", &money(pays)),
                ("left", &money(Money(left.cents() + pays.cents()))),
                ("alone", &money(share.plan)),
            ],
        ),
        _ => fill(p.ex_later_unknown, &[("payer", &name)]),
    }
}

/// Why `c`'s plan would not pay the visit, in plain words.
fn refusal_sentence(
    r: Refusal,
    c: &CoverageSummary,
    parts: &Parts,
    as_of: NaiveDate,
    v: Voice,
) -> String {
    let p = v.p;
    let name = payer_name(c);
    let payer = ("payer", name.as_str());
    let doctor = ("doctor", v.doctor());
    let date_of = |d: Option<NaiveDate>| d.map_or(String::new(), |d| v.date(d));
    match r {
        Refusal::NotInForce => {
            let end = c
                .coverage
                .terminates
                .map_or(p.no_end.to_string(), |t| v.date(t));
            fill(
                p.ex_not_in_force,
                &[
                    payer,
                    ("date", &v.date(as_of)),
                    ("start", &v.date(c.coverage.effective)),
                    ("end", &end),
                ],
            )
        }
        Refusal::NotCovered => {
            let names: Vec<String> = parts
                .billed
                .iter()
                .map(|u| wording::service_short(&u.code, p))
                .collect();
            fill(
                p.ex_not_covered_all,
                &[payer, ("services", &and_list(&names, p))],
            )
        }
        Refusal::VisitLimit => fill(
            p.ex_visit_limit,
            &[
                payer,
                ("allowed", &c.visits.allowed.unwrap_or(0).to_string()),
                ("used", &c.visits.used.to_string()),
                ("start", &v.date(c.plan_year_start)),
                ("end", &v.date(c.plan_year_end)),
                (
                    "next",
                    &v.date(c.plan_year_end.succ_opt().unwrap_or(c.plan_year_end)),
                ),
            ],
        ),
        Refusal::AuthorizationMissing => fill(p.ex_authorization_missing, &[payer]),
        Refusal::AuthorizationExpired => {
            let a = c.authorization.as_ref();
            fill(
                p.ex_authorization_expired,
                &[
                    payer,
                    ("number", a.map_or("", |a| a.id.as_str())),
                    ("end", &date_of(a.and_then(|a| a.end))),
                ],
            )
        }
        Refusal::AuthorizationUsedUp => {
            let a = c.authorization.as_ref();
            fill(
                p.ex_authorization_used_up,
                &[
                    payer,
                    ("number", a.map_or("", |a| a.id.as_str())),
                    (
                        "n",
                        &a.and_then(|a| a.visits.allowed).unwrap_or(0).to_string(),
                    ),
                ],
            )
        }
        Refusal::ReferralMissing => fill(p.ex_referral_missing, &[payer, doctor]),
        Refusal::ReferralExpired => {
            let r = c.referral.as_ref();
            fill(
                p.ex_referral_expired,
                &[
                    payer,
                    doctor,
                    ("by", r.map_or("", |r| r.issued_by.as_str())),
                    ("end", &date_of(r.and_then(|r| r.end))),
                ],
            )
        }
        Refusal::ReferralUsedUp => {
            let r = c.referral.as_ref();
            fill(
                p.ex_referral_used_up,
                &[
                    payer,
                    doctor,
                    ("by", r.map_or("", |r| r.issued_by.as_str())),
                    (
                        "n",
                        &r.and_then(|r| r.visits.allowed).unwrap_or(0).to_string(),
                    ),
                ],
            )
        }
    }
}
