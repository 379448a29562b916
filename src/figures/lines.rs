//! Units and charges of a session's service lines under the payer's unit rule.

use super::units::{self, Line};
use crate::codes::procedures;
use crate::model::{Code, Money, Service, UnitRule};
use std::collections::BTreeMap;

/// A session's lines grouped by code, since CPT counts one code's minutes for the day together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeGroup<'a> {
    /// The procedure code.
    pub code: &'a str,
    /// Indexes of the service lines billing this code, in order.
    pub lines: Vec<usize>,
    /// Total minutes of those lines.
    pub minutes: u32,
    /// Sum of stated units, when every line states them.
    pub stated: Option<u32>,
    /// Sum of the units stated on the lines that state them.
    pub stated_sum: u32,
    /// Some lines state units and some do not.
    pub partly_stated: bool,
    /// Billed per 15 minutes.
    pub timed: bool,
}

/// Groups known procedure codes of `services` (unknown codes are left out: no rule applies).
pub fn group_by_code(services: &[Service]) -> Vec<CodeGroup<'_>> {
    let mut groups: Vec<CodeGroup<'_>> = Vec::new();
    for (i, svc) in services.iter().enumerate() {
        let code = svc.code.as_str();
        let Some(proc_) = procedures::lookup(code) else {
            continue;
        };
        match groups.iter_mut().find(|g| g.code == code) {
            Some(g) => {
                g.lines.push(i);
                g.minutes = g.minutes.saturating_add(svc.minutes);
                g.partly_stated |= g.stated.is_some() != svc.units.is_some();
                g.stated = g.stated.zip(svc.units).map(|(a, b)| a.saturating_add(b));
                g.stated_sum = g.stated_sum.saturating_add(svc.units.unwrap_or(0));
            }
            None => groups.push(CodeGroup {
                code,
                lines: vec![i],
                minutes: svc.minutes,
                stated: svc.units,
                stated_sum: svc.units.unwrap_or(0),
                partly_stated: false,
                timed: proc_.timed,
            }),
        }
    }
    groups
}

/// The rule's input lines for `groups`.
pub fn unit_lines<'a>(groups: &'a [CodeGroup<'a>]) -> Vec<Line<'a>> {
    groups
        .iter()
        .map(|g| Line {
            code: g.code,
            minutes: g.minutes,
            timed: g.timed,
        })
        .collect()
}

/// Units billed on each service line: the stated figure where given (validation has checked
/// it), else the computed one. When a code spans several lines, lines without stated units
/// share what the computed total leaves, on the first of them. Under CMS, a unit a tied code
/// gives up by its stated units goes to a tied code that states none.
pub fn line_units(rule: UnitRule, services: &[Service]) -> Vec<u32> {
    let groups = group_by_code(services);
    let stated: Vec<Option<u32>> = groups.iter().map(|g| g.stated).collect();
    let computed = units::allocate_stated(rule, &unit_lines(&groups), &stated);
    let mut out = vec![0u32; services.len()];
    for (g, total) in groups.iter().zip(computed) {
        let stated_sum: u32 = g.lines.iter().filter_map(|&i| services[i].units).sum();
        let left = total.saturating_sub(stated_sum);
        let open: Vec<usize> = g
            .lines
            .iter()
            .copied()
            .filter(|&i| services[i].units.is_none())
            .collect();
        for &i in &g.lines {
            if let Some(u) = services[i].units {
                out[i] = u;
            }
        }
        for (i, u) in open.iter().zip(share(left, &open, services)) {
            out[*i] = u;
        }
    }
    // Unknown codes carry their stated units, or one.
    for (i, svc) in services.iter().enumerate() {
        if procedures::lookup(svc.code.as_str()).is_none() {
            out[i] = svc.units.unwrap_or(1);
        }
    }
    out
}

/// A visit's units split between the plan and the patient, line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// Units billed to the plan.
    pub plan: Vec<u32>,
    /// Units past the plan's maximum minutes a visit, billed to the patient at the practice's
    /// fee; all zero when the plan pays the whole visit.
    pub patient: Vec<u32>,
    /// How the visit runs past the plan's maximum, when it does.
    pub over: Option<Over>,
}

/// A visit longer than its plan pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Over {
    /// Minutes of all the visit's services.
    pub minutes: u32,
    /// The most minutes the plan pays a visit.
    pub max_minutes: u32,
    /// Timed units the plan is billed at most: those its maximum minutes make under the
    /// payer's rule, after the minutes of once-a-visit services.
    pub plan_units: u32,
}

/// The units of each service line, split between the plan and the patient when the visit
/// runs past `max_minutes`, the most the plan pays a visit.
///
/// The plan is billed the timed units its maximum makes under `rule`, as if its minutes were
/// one code's. Services billed once a visit stay billed to the plan, and their minutes count
/// first toward the maximum. The timed units past that figure are taken off the visit's lines
/// from the last line up, and left to the patient: the plan is billed what came first.
pub fn split_units(rule: UnitRule, services: &[Service], max_minutes: Option<u32>) -> Split {
    let mut plan = line_units(rule, services);
    let mut patient = vec![0u32; services.len()];
    let minutes = services
        .iter()
        .fold(0u32, |a, s| a.saturating_add(s.minutes));
    let over = max_minutes.filter(|max| minutes > *max).map(|max_minutes| {
        let untimed = services
            .iter()
            .filter(|s| !is_timed(s))
            .fold(0u32, |a, s| a.saturating_add(s.minutes));
        Over {
            minutes,
            max_minutes,
            plan_units: units::units_of_minutes(rule, max_minutes.saturating_sub(untimed)),
        }
    });
    if let Some(over) = over {
        let timed: u32 = services
            .iter()
            .zip(&plan)
            .filter(|(s, _)| is_timed(s))
            .fold(0u32, |a, (_, u)| a.saturating_add(*u));
        let mut excess = timed.saturating_sub(over.plan_units);
        for (i, svc) in services.iter().enumerate().rev() {
            if excess == 0 {
                break;
            }
            if is_timed(svc) {
                let take = plan[i].min(excess);
                plan[i] -= take;
                patient[i] = take;
                excess -= take;
            }
        }
    }
    Split {
        plan,
        patient,
        over,
    }
}

/// "2 units of 97124 and 1 unit of 97140": the units of each code, in the order the codes
/// first come, leaving out codes with none.
pub fn units_by_code<'a>(lines: impl IntoIterator<Item = (&'a str, u32)>) -> String {
    let mut codes: Vec<(&str, u32)> = Vec::new();
    for (code, u) in lines {
        if u == 0 {
            continue;
        }
        match codes.iter_mut().find(|(c, _)| *c == code) {
            Some((_, total)) => *total = total.saturating_add(u),
            None => codes.push((code, u)),
        }
    }
    let parts: Vec<String> = codes
        .iter()
        .map(|(c, u)| format!("{u} unit{} of {c}", if *u == 1 { "" } else { "s" }))
        .collect();
    match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

/// Whether a service is a known code billed per 15 minutes.
fn is_timed(svc: &Service) -> bool {
    procedures::lookup(svc.code.as_str()).is_some_and(|p| p.timed)
}

/// Shares `units` among the lines `open` of one code as their minutes earn them: full
/// 15-minute units first, then one each by largest leftover (ties to the earlier line), so
/// each line keeps the units its own time supports.
fn share(units: u32, open: &[usize], services: &[Service]) -> Vec<u32> {
    let mut out: Vec<u32> = open.iter().map(|&i| services[i].minutes / 15).collect();
    let mut left = units;
    for u in out.iter_mut() {
        let take = (*u).min(left);
        *u = take;
        left -= take;
    }
    let mut order: Vec<usize> = (0..open.len()).collect();
    order.sort_by_key(|&k| std::cmp::Reverse(services[open[k]].minutes % 15));
    let mut k = 0;
    while left > 0 && !order.is_empty() {
        out[order[k % order.len()]] += 1;
        left -= 1;
        k += 1;
    }
    out
}

/// Charge of one line: the practice's fee per unit times units; None without a fee.
pub fn charge(fees: &BTreeMap<Code, Money>, code: &str, units: u32) -> Option<Money> {
    fees.get(code)
        .map(|fee| Money(fee.cents() * i64::from(units)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(code: &str, minutes: u32, units: Option<u32>) -> Service {
        Service {
            code: Code(code.into()),
            minutes,
            modifiers: vec![],
            region: None,
            diagnosis_pointers: vec!["A".into()],
            units,
        }
    }

    #[test]
    fn computed_and_stated_units() {
        let s = [svc("97124", 38, None), svc("97140", 15, None)];
        assert_eq!(line_units(UnitRule::Cms8Minute, &s), vec![3, 1]);
        let s = [svc("97124", 33, None), svc("97140", 7, None)];
        assert_eq!(line_units(UnitRule::Cms8Minute, &s), vec![2, 1]);
        assert_eq!(line_units(UnitRule::SubstantialPortion, &s), vec![2, 0]);
        // A tie stated the other way round is kept.
        let s = [svc("97124", 20, Some(1)), svc("97140", 20, Some(2))];
        assert_eq!(line_units(UnitRule::Cms8Minute, &s), vec![1, 2]);
    }

    #[test]
    fn repeated_code_shares_its_units() {
        // 40 minutes make 3 units; each 20-minute line earns 1 full unit and the third goes to
        // the first of the tied leftovers.
        let s = [svc("97124", 20, None), svc("97124", 20, None)];
        assert_eq!(line_units(UnitRule::SubstantialPortion, &s), vec![2, 1]);
        let s = [svc("97124", 20, Some(1)), svc("97124", 20, None)];
        assert_eq!(line_units(UnitRule::SubstantialPortion, &s), vec![1, 2]);
    }

    #[test]
    fn a_unit_one_tied_code_gives_up_goes_to_the_other() {
        let s = [svc("97124", 23, None), svc("97140", 8, None)];
        assert_eq!(line_units(UnitRule::Cms8Minute, &s), vec![2, 0]);
        let s = [svc("97124", 23, Some(1)), svc("97140", 8, None)];
        assert_eq!(line_units(UnitRule::Cms8Minute, &s), vec![1, 1]);
    }

    #[test]
    fn a_visit_within_the_plans_minutes_is_all_the_plans() {
        let s = [svc("97124", 30, None), svc("97140", 15, None)];
        for max in [None, Some(45), Some(90)] {
            let split = split_units(UnitRule::Cms8Minute, &s, max);
            assert_eq!(split.plan, vec![2, 1]);
            assert_eq!(split.patient, vec![0, 0]);
            assert_eq!(split.over, None);
        }
    }

    #[test]
    fn units_past_the_plans_minutes_come_off_the_last_lines() {
        // 45 + 15 = 60 minutes make 4 units; the plan pays 45 minutes, 3 units.
        let s = [svc("97124", 45, None), svc("97140", 15, None)];
        let split = split_units(UnitRule::Cms8Minute, &s, Some(45));
        assert_eq!(split.plan, vec![3, 0]);
        assert_eq!(split.patient, vec![0, 1]);
        assert_eq!(
            split.over,
            Some(Over {
                minutes: 60,
                max_minutes: 45,
                plan_units: 3
            })
        );
        // Two units past the maximum take the last line's unit, then one of the line before.
        let split = split_units(UnitRule::Cms8Minute, &s, Some(30));
        assert_eq!((split.plan, split.patient), (vec![2, 0], vec![1, 1]));
        // A visit over the maximum whose units still fit leaves nothing to the patient.
        let s = [svc("97124", 52, None)];
        let split = split_units(UnitRule::Cms8Minute, &s, Some(45));
        assert_eq!((split.plan, split.patient), (vec![3], vec![0]));
        assert!(split.over.is_some());
    }

    #[test]
    fn once_a_visit_services_stay_billed_and_use_minutes_first() {
        // 97010 (hot packs) is billed once a visit; its 10 minutes leave 50 of the plan's 60.
        let s = [svc("97010", 10, None), svc("97124", 60, None)];
        let split = split_units(UnitRule::SubstantialPortion, &s, Some(60));
        assert_eq!(split.plan, vec![1, 3]);
        assert_eq!(split.patient, vec![0, 1]);
        let split = split_units(UnitRule::Full15, &s, Some(5));
        assert_eq!((split.plan, split.patient), (vec![1, 0], vec![0, 4]));
    }

    proptest::proptest! {
        #[test]
        fn the_split_keeps_every_unit_and_trims_from_the_end(
            raw in proptest::collection::vec((0usize..4, 0u32..70), 0..6),
            max in proptest::option::of(0u32..200),
            rule in 0usize..3,
        ) {
            const CODES: [&str; 4] = ["97124", "97140", "97010", "97110"];
            let rule = UnitRule::ALL[rule];
            let s: Vec<Service> = raw.iter().map(|&(c, m)| svc(CODES[c], m, None)).collect();
            let whole = line_units(rule, &s);
            let split = split_units(rule, &s, max);
            let minutes: u32 = s.iter().map(|x| x.minutes).sum();
            for i in 0..s.len() {
                proptest::prop_assert_eq!(split.plan[i] + split.patient[i], whole[i]);
                if !is_timed(&s[i]) {
                    proptest::prop_assert_eq!(split.patient[i], 0);
                }
                // Once a line gives the patient a unit, every later timed line gave all.
                if split.patient[i] > 0 {
                    for (later, plan) in s.iter().zip(&split.plan).skip(i + 1) {
                        if is_timed(later) {
                            proptest::prop_assert_eq!(*plan, 0);
                        }
                    }
                }
            }
            match (max, split.over) {
                (Some(max), Some(over)) => {
                    proptest::prop_assert!(minutes > max);
                    let timed_plan: u32 = s.iter().zip(&split.plan)
                        .filter(|(x, _)| is_timed(x)).map(|(_, u)| u).sum();
                    let timed_whole: u32 = s.iter().zip(&whole)
                        .filter(|(x, _)| is_timed(x)).map(|(_, u)| u).sum();
                    proptest::prop_assert_eq!(timed_plan, timed_whole.min(over.plan_units));
                }
                (_, None) => {
                    proptest::prop_assert!(max.is_none_or(|max| minutes <= max));
                    proptest::prop_assert_eq!(&split.plan, &whole);
                }
                (None, Some(_)) => proptest::prop_assert!(false, "over without a maximum"),
            }
        }
    }

    #[test]
    fn units_are_named_by_code_in_the_order_codes_come() {
        let named = |v: &[(&str, u32)]| units_by_code(v.iter().copied());
        assert_eq!(named(&[]), "");
        assert_eq!(named(&[("97124", 0)]), "");
        assert_eq!(named(&[("97124", 1)]), "1 unit of 97124");
        assert_eq!(
            named(&[("97140", 1), ("97124", 2), ("97140", 1), ("97110", 0)]),
            "2 units of 97140 and 2 units of 97124"
        );
        assert_eq!(
            named(&[("97124", 1), ("97140", 1), ("97110", 3)]),
            "1 unit of 97124, 1 unit of 97140 and 3 units of 97110"
        );
    }

    #[test]
    fn charges_are_fee_times_units() {
        let mut fees = BTreeMap::new();
        fees.insert(Code("97124".into()), Money(3500));
        assert_eq!(charge(&fees, "97124", 3), Some(Money(10500)));
        assert_eq!(charge(&fees, "97140", 3), None);
    }
}
