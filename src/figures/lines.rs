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
/// share what the computed total leaves, on the first of them.
pub fn line_units(rule: UnitRule, services: &[Service]) -> Vec<u32> {
    let groups = group_by_code(services);
    let computed = units::allocate(rule, &unit_lines(&groups));
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
    fn charges_are_fee_times_units() {
        let mut fees = BTreeMap::new();
        fees.insert(Code("97124".into()), Money(3500));
        assert_eq!(charge(&fees, "97124", 3), Some(Money(10500)));
        assert_eq!(charge(&fees, "97140", 3), None);
    }
}
