//! How a session's minutes become billed units, under the unit rule a payer follows.
//!
//! Three rules exist in practice:
//! - `cms_8_minute`: the CMS "8-minute rule" (Pub 100-04, ch. 5, §20.2). The day's timed minutes
//!   are added up first, and the units that total earns are then shared out among the codes.
//! - `substantial_portion`: CPT's midpoint rule, applied to each code on its own: a unit is earned
//!   once 8 of its 15 minutes have passed.
//! - `full_15`: each code earns a unit only per full 15 minutes.
//!
//! Untimed (service-based) codes are billed as one unit per session under every rule, and their
//! minutes never count toward the timed total.

use crate::model::UnitRule;

/// One billed code of a session: its code, its minutes, and whether it is billed by time.
///
/// Each line should carry one code's whole time for the day: CPT and CMS count the minutes of a
/// code together, so a caller holding the same code on two lines merges them first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// The CPT/HCPCS code, used only to name the line in explanations.
    pub code: &'a str,
    /// Direct one-on-one minutes spent on this code.
    pub minutes: u32,
    /// True for codes billed per 15 minutes; false for once-per-session codes.
    pub timed: bool,
}

/// Why a stated unit count is not one the payer's rule allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The units the rule gives this line (under CMS ties, the figure the other lines leave it).
    pub computed: u32,
    /// One sentence, starting with the rule's name, saying how the computed figure comes about.
    pub explanation: String,
}

/// Minutes in one unit of a timed code.
const UNIT_MINUTES: u32 = 15;
/// Minutes past the last full unit from which the midpoint rule counts another unit (7.5 rounded up).
const MIDPOINT: u32 = 8;

/// Units of each line under `rule`, in the order of `lines`.
///
/// Untimed lines always get 1. A timed line may get 0 (for instance 7 minutes alone under CMS,
/// or any line under 15 minutes under `full_15`); callers report that, since a code with no unit
/// cannot be billed. Under CMS, a tie between equal leftovers goes to the earlier line: CMS lets
/// the provider choose, and [`check_stated`] accepts either choice.
pub fn allocate(rule: UnitRule, lines: &[Line<'_>]) -> Vec<u32> {
    match rule {
        UnitRule::Cms8Minute => CmsPlan::new(lines).default_allocation(lines),
        UnitRule::SubstantialPortion | UnitRule::Full15 => lines
            .iter()
            .map(|line| per_code_units(rule, *line))
            .collect(),
    }
}

/// Units of each line under `rule`, following the figures the provider stated where the rule
/// leaves a choice.
///
/// Under CMS, lines whose leftovers tie share the tied units as stated: a line stating the
/// extra unit takes it, a line stating only its full units leaves it, and the tied units left
/// go to the lines that state nothing, earlier lines first. So a line left unstated gets the
/// unit another line gave up. Stated figures change nothing else ([`check_stated`] reports the
/// wrong ones), and the per-code rules leave no choice.
pub fn allocate_stated(rule: UnitRule, lines: &[Line<'_>], stated: &[Option<u32>]) -> Vec<u32> {
    match rule {
        UnitRule::Cms8Minute => {
            CmsPlan::new(lines).stated_allocation(lines, &|i| stated.get(i).copied().flatten())
        }
        UnitRule::SubstantialPortion | UnitRule::Full15 => allocate(rule, lines),
    }
}

/// Units one timed code earns for `minutes` under `rule`: what a plan paying at most that many
/// minutes a visit pays for.
pub fn units_of_minutes(rule: UnitRule, minutes: u32) -> u32 {
    let line = Line {
        code: "",
        minutes,
        timed: true,
    };
    allocate(rule, &[line])[0]
}

/// Lines that tie under the CMS rule for the day's last unit(s), with the sharings it allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tie {
    /// The units the day's timed minutes make.
    pub total_units: u32,
    /// Indexes of the tied lines, in line order.
    pub tied: Vec<usize>,
    /// Units of every line in each sharing the rule allows, the default (earlier lines take
    /// the tied units) first; at most [`TIE_OPTIONS`] of them.
    pub options: Vec<Vec<u32>>,
    /// More sharings exist than `options` lists.
    pub more: bool,
}

/// Most sharings a [`Tie`] lists.
pub const TIE_OPTIONS: usize = 6;

/// The tie the provider has left open: under CMS, lines tie for the day's last unit(s) and
/// none of them states its units, so the default sharing decided. None under the per-code
/// rules, without a tie, or once a tied line states its figure.
pub fn unsettled_tie(rule: UnitRule, lines: &[Line<'_>], stated: &[Option<u32>]) -> Option<Tie> {
    if rule != UnitRule::Cms8Minute {
        return None;
    }
    let plan = CmsPlan::new(lines);
    if plan.tied.is_empty()
        || plan
            .tied
            .iter()
            .any(|&i| stated.get(i).copied().flatten().is_some())
    {
        return None;
    }
    let base = plan.default_allocation(lines);
    let (picks, more) = combinations(plan.tied.len(), plan.tie_slots, TIE_OPTIONS);
    let options = picks
        .iter()
        .map(|pick| {
            let mut units = base.clone();
            for (k, &i) in plan.tied.iter().enumerate() {
                units[i] = lines[i].minutes / UNIT_MINUTES + u32::from(pick.contains(&k));
            }
            units
        })
        .collect();
    Some(Tie {
        total_units: u32::try_from(plan.total_units).unwrap_or(u32::MAX),
        tied: plan.tied.clone(),
        options,
        more,
    })
}

/// The first `limit` ways to choose `k` of `n` items, in lexicographic order, and whether
/// there are more.
fn combinations(n: usize, k: usize, limit: usize) -> (Vec<Vec<usize>>, bool) {
    let mut out = Vec::new();
    if k > n {
        return (out, false);
    }
    let mut pick: Vec<usize> = (0..k).collect();
    loop {
        if out.len() == limit {
            return (out, true);
        }
        out.push(pick.clone());
        // The rightmost index that can still move right, and everything after it reset.
        let Some(j) = (0..k).rev().find(|&j| pick[j] < n - k + j) else {
            return (out, false);
        };
        pick[j] += 1;
        for m in j + 1..k {
            pick[m] = pick[m - 1] + 1;
        }
    }
}

/// Checks units stated by the provider against what `rule` permits, line by line.
///
/// `stated[i]` belongs to `lines[i]`; `None` (or a missing entry) means "not stated, use the
/// computed figure". The result has one entry per line, `Some` where the stated figure is not
/// one the rule permits. Under CMS, lines whose leftovers tie may take the remaining units in
/// any order (20 + 20 minutes may be billed 2 + 1 or 1 + 2), so a line is wrong only when no
/// permitted sharing gives its figure together with the figures stated on the other lines.
pub fn check_stated(
    rule: UnitRule,
    lines: &[Line<'_>],
    stated: &[Option<u32>],
) -> Vec<Option<Mismatch>> {
    let stated_at = |i: usize| stated.get(i).copied().flatten();
    match rule {
        UnitRule::Cms8Minute => CmsPlan::new(lines).check(lines, &stated_at),
        UnitRule::SubstantialPortion | UnitRule::Full15 => lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let computed = per_code_units(rule, *line);
                match stated_at(i) {
                    Some(units) if units != computed => Some(Mismatch {
                        computed,
                        explanation: per_code_explanation(rule, *line),
                    }),
                    _ => None,
                }
            })
            .collect(),
    }
}

/// Units of one line under a per-code rule (`substantial_portion` or `full_15`).
fn per_code_units(rule: UnitRule, line: Line<'_>) -> u32 {
    if !line.timed {
        return 1;
    }
    let full = line.minutes / UNIT_MINUTES;
    let leftover = line.minutes % UNIT_MINUTES;
    match rule {
        UnitRule::SubstantialPortion if leftover >= MIDPOINT => full + 1,
        _ => full,
    }
}

/// Why an untimed line is one unit, whatever the rule.
fn untimed_explanation(rule: UnitRule, line: Line<'_>) -> String {
    format!(
        "{rule}: {} is billed per session, not per 15 minutes, so it is always 1 unit",
        line.code
    )
}

/// One sentence on how a per-code rule reaches the line's units.
fn per_code_explanation(rule: UnitRule, line: Line<'_>) -> String {
    if !line.timed {
        return untimed_explanation(rule, line);
    }
    let full = line.minutes / UNIT_MINUTES;
    let leftover = line.minutes % UNIT_MINUTES;
    let units = per_code_units(rule, line);
    match rule {
        UnitRule::SubstantialPortion => {
            let verdict = if leftover >= MIDPOINT {
                "reach"
            } else {
                "do not reach"
            };
            format!(
                "{rule}: {}'s {} minutes make {full} full unit(s) and {leftover} leftover \
                 minute(s), which {verdict} the {MIDPOINT}-minute midpoint of another unit, so {units}",
                line.code, line.minutes
            )
        }
        _ => format!(
            "{rule}: {}'s {} minutes hold {full} full 15-minute unit(s) and leftover minutes \
             earn nothing, so {units}",
            line.code, line.minutes
        ),
    }
}

/// How one timed line fares when CMS shares out the units left after full units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Extra {
    /// Its leftover is among the largest: it takes one remaining unit.
    Takes,
    /// Its leftover is too small (or no unit remains): no extra unit.
    Misses,
    /// Its leftover ties for the last remaining unit(s): the provider chooses.
    Tied,
}

/// The CMS sharing for one session: totals, and where the cut between leftovers falls.
struct CmsPlan {
    /// Sum of the timed minutes (u64: many large lines must not overflow).
    total_minutes: u64,
    /// Units the total earns: floor((T + 7) / 15).
    total_units: u64,
    /// Units left after every line took its full units; each goes to one line.
    remaining: u32,
    /// Leftover minutes of the last line to take a remaining unit (0 when none remains).
    cut: u32,
    /// How many of the lines tied at `cut` take a remaining unit.
    tie_slots: usize,
    /// Indices of the lines tied at `cut`, in line order, when they outnumber `tie_slots`.
    tied: Vec<usize>,
}

impl CmsPlan {
    /// Works out the totals and the cut for these lines.
    fn new(lines: &[Line<'_>]) -> Self {
        let total_minutes: u64 = lines
            .iter()
            .filter(|line| line.timed)
            .map(|line| u64::from(line.minutes))
            .sum();
        let total_units = (total_minutes + u64::from(MIDPOINT - 1)) / u64::from(UNIT_MINUTES);
        let full_units: u64 = lines
            .iter()
            .filter(|line| line.timed)
            .map(|line| u64::from(line.minutes / UNIT_MINUTES))
            .sum();
        // Never more than the number of lines with leftovers (each holds at most 14 minutes), so it
        // fits in u32 whenever the line count does; saturate rather than trust that blindly.
        let remaining = u32::try_from(total_units - full_units).unwrap_or(u32::MAX);

        let mut leftovers: Vec<u32> = lines
            .iter()
            .filter(|line| line.timed)
            .map(|line| line.minutes % UNIT_MINUTES)
            .collect();
        leftovers.sort_unstable_by(|a, b| b.cmp(a));
        let cut = match remaining {
            0 => 0,
            r => leftovers.get(r as usize - 1).copied().unwrap_or(0).max(1),
        };
        let above = leftovers
            .iter()
            .filter(|&&l| remaining > 0 && l > cut)
            .count();
        let tie_slots = (remaining as usize).saturating_sub(above);
        let tied: Vec<usize> = lines
            .iter()
            .enumerate()
            .filter(|(_, line)| line.timed && remaining > 0 && line.minutes % UNIT_MINUTES == cut)
            .map(|(i, _)| i)
            .collect();
        // When every tied line takes a unit there is no choice to offer.
        let tied = if tied.len() > tie_slots {
            tied
        } else {
            Vec::new()
        };
        CmsPlan {
            total_minutes,
            total_units,
            remaining,
            cut,
            tie_slots,
            tied,
        }
    }

    /// Whether the line takes, misses or ties for one of the remaining units.
    fn extra(&self, line: Line<'_>) -> Extra {
        let leftover = line.minutes % UNIT_MINUTES;
        if self.remaining == 0 || leftover < self.cut {
            Extra::Misses
        } else if leftover > self.cut || self.tied.is_empty() {
            Extra::Takes
        } else {
            Extra::Tied
        }
    }

    /// The sharing that gives ties to the earlier lines.
    fn default_allocation(&self, lines: &[Line<'_>]) -> Vec<u32> {
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                if !line.timed {
                    return 1;
                }
                let full = line.minutes / UNIT_MINUTES;
                match self.extra(*line) {
                    Extra::Takes => full + 1,
                    Extra::Misses => full,
                    Extra::Tied => {
                        let rank = self.tied.iter().position(|&t| t == i).unwrap_or(usize::MAX);
                        if rank < self.tie_slots {
                            full + 1
                        } else {
                            full
                        }
                    }
                }
            })
            .collect()
    }

    /// The sharing of [`allocate_stated`] under CMS.
    fn stated_allocation(
        &self,
        lines: &[Line<'_>],
        stated_at: &dyn Fn(usize) -> Option<u32>,
    ) -> Vec<u32> {
        let mut out = self.default_allocation(lines);
        let full = |i: usize| lines[i].minutes / UNIT_MINUTES;
        let claims = |i: &usize| stated_at(*i) == Some(full(*i) + 1);
        let open = |i: &usize| stated_at(*i).is_none();
        // Claimers first, then the silent, then any other: a line stating only its full
        // units gets a tied unit only when no other line can take it.
        let order = self
            .tied
            .iter()
            .filter(|i| claims(i))
            .chain(self.tied.iter().filter(|i| open(i)))
            .chain(self.tied.iter().filter(|i| !claims(i) && !open(i)));
        for (k, &i) in order.enumerate() {
            out[i] = full(i) + u32::from(k < self.tie_slots);
        }
        out
    }

    /// The mismatches of [`check_stated`] under CMS.
    fn check(
        &self,
        lines: &[Line<'_>],
        stated_at: &dyn Fn(usize) -> Option<u32>,
    ) -> Vec<Option<Mismatch>> {
        let computed = self.default_allocation(lines);
        let mut result: Vec<Option<Mismatch>> = vec![None; lines.len()];

        // Lines stated within their own permitted figures, split by whether they claim a tied unit.
        let mut claim = Vec::new();
        let mut decline = Vec::new();
        for (i, line) in lines.iter().enumerate() {
            let Some(units) = stated_at(i) else { continue };
            let full = line.minutes / UNIT_MINUTES;
            let permitted = match (line.timed, self.extra(*line)) {
                (false, _) => units == 1,
                (true, Extra::Tied) => {
                    if units == full + 1 {
                        claim.push(i);
                    } else if units == full {
                        decline.push(i);
                    }
                    units == full || units == full + 1
                }
                (true, _) => units == computed[i],
            };
            if !permitted {
                result[i] = Some(Mismatch {
                    computed: computed[i],
                    explanation: self.explain(lines, i),
                });
            }
        }

        // Each figure is possible alone; together they may claim more tied units than exist, or
        // leave some unbilled. Earlier lines keep their claim, as in the default sharing.
        let declinable = self.tied.len().saturating_sub(self.tie_slots);
        for &i in claim.iter().skip(self.tie_slots) {
            let full = lines[i].minutes / UNIT_MINUTES;
            let takers = codes_of(lines, claim.iter().take(self.tie_slots));
            result[i] = Some(Mismatch {
                computed: full,
                explanation: self.explain_tie(
                    lines,
                    i,
                    &if self.tie_slots == 1 {
                        format!("but {takers} already takes it as stated, so {full}")
                    } else {
                        format!("but {takers} already take them as stated, so {full}")
                    },
                ),
            });
        }
        for &i in decline.iter().skip(declinable) {
            let full = lines[i].minutes / UNIT_MINUTES;
            let decliners = codes_of(lines, decline.iter().take(declinable));
            result[i] = Some(Mismatch {
                computed: full + 1,
                explanation: self.explain_tie(
                    lines,
                    i,
                    &format!(
                        "but {decliners} {} stated without one, so one falls to this line: {}",
                        if declinable == 1 { "is" } else { "are" },
                        full + 1
                    ),
                ),
            });
        }
        result
    }

    /// One sentence on how line `i`'s units come about in the default sharing.
    fn explain(&self, lines: &[Line<'_>], i: usize) -> String {
        let rule = UnitRule::Cms8Minute;
        let line = lines[i];
        if !line.timed {
            return untimed_explanation(rule, line);
        }
        let full = line.minutes / UNIT_MINUTES;
        let leftover = line.minutes % UNIT_MINUTES;
        let (t, u, r) = (self.total_minutes, self.total_units, self.remaining);
        if u == 0 {
            return format!(
                "{rule}: {t} timed minutes make 0 units ({MIDPOINT} are needed for one), so {} \
                 gets 0",
                line.code
            );
        }
        match self.extra(line) {
            Extra::Misses if r == 0 => format!(
                "{rule}: {t} timed minutes make {u} units, all of them full 15-minute units; \
                 {}'s {} minutes earn {full} full unit(s), so {full}",
                line.code, line.minutes
            ),
            Extra::Misses if leftover == 0 => format!(
                "{rule}: {t} timed minutes make {u} units; {}'s {} minutes earn exactly {full} \
                 full unit(s) and leave no minutes to compete for the {r} remaining unit(s), so \
                 {full}",
                line.code, line.minutes
            ),
            Extra::Misses => format!(
                "{rule}: {t} timed minutes make {u} units; {}'s {} minutes earn {full} full \
                 unit(s), and its {leftover} leftover minute(s) are fewer than those of the \
                 lines taking the {r} remaining unit(s), so {full}",
                line.code, line.minutes
            ),
            Extra::Takes => format!(
                "{rule}: {t} timed minutes make {u} units; {}'s {} minutes earn {full} full \
                 unit(s) plus 1 of the {r} remaining unit(s) by largest remainder, so {}",
                line.code,
                line.minutes,
                full + 1
            ),
            Extra::Tied => self.explain_tie(lines, i, &format!("so {full} or {}", full + 1)),
        }
    }

    /// A sentence about a line tied for the last remaining unit(s), ending with `ending`.
    fn explain_tie(&self, lines: &[Line<'_>], i: usize, ending: &str) -> String {
        let line = lines[i];
        let others = codes_of(lines, self.tied.iter().filter(|&&j| j != i));
        format!(
            "{}: {} timed minutes make {} units; {}'s {} minutes earn {} full unit(s) and its {} \
             leftover minute(s) tie with {} for {} of the {} remaining unit(s), {ending}",
            UnitRule::Cms8Minute,
            self.total_minutes,
            self.total_units,
            line.code,
            line.minutes,
            line.minutes / UNIT_MINUTES,
            self.cut,
            others,
            self.tie_slots,
            self.remaining,
        )
    }
}

/// The codes of the given lines, joined for a sentence ("97110", "97110 and 97112", ...).
fn codes_of<'i>(lines: &[Line<'_>], indices: impl Iterator<Item = &'i usize>) -> String {
    let codes: Vec<&str> = indices.map(|&j| lines[j].code).collect();
    match codes.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => (*last).to_string(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
