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

use std::fmt;

/// The rule a payer uses to turn minutes of timed codes into units.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Deserialize,
    serde::Serialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum UnitRule {
    /// CMS 8-minute rule: total timed minutes decide the units, shared by largest remainder.
    // serde's snake_case would give "cms8_minute": the digit is not a word boundary to it.
    #[serde(rename = "cms_8_minute")]
    Cms8Minute,
    /// CPT midpoint rule per code: a unit once 8 minutes of a 15-minute unit have passed.
    SubstantialPortion,
    /// One unit per full 15 minutes of each code; leftover minutes earn nothing.
    #[serde(rename = "full_15")]
    Full15,
}

impl UnitRule {
    /// Every rule, in the order the YAML documentation lists them.
    pub const ALL: [UnitRule; 3] = [
        UnitRule::Cms8Minute,
        UnitRule::SubstantialPortion,
        UnitRule::Full15,
    ];

    /// The rule's name as written in a payer's YAML (`unit_rule:`).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitRule::Cms8Minute => "cms_8_minute",
            UnitRule::SubstantialPortion => "substantial_portion",
            UnitRule::Full15 => "full_15",
        }
    }
}

impl fmt::Display for UnitRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

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
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Deserialize;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn timed(code: &str, minutes: u32) -> Line<'_> {
        Line {
            code,
            minutes,
            timed: true,
        }
    }

    fn untimed(code: &str) -> Line<'_> {
        Line {
            code,
            minutes: 10,
            timed: false,
        }
    }

    fn cms(lines: &[Line<'_>]) -> Vec<u32> {
        allocate(UnitRule::Cms8Minute, lines)
    }

    fn cms_total(minutes: u32) -> u32 {
        cms(&[timed("97110", minutes)])[0]
    }

    fn mismatches(rule: UnitRule, lines: &[Line<'_>], stated: &[Option<u32>]) -> Vec<bool> {
        check_stated(rule, lines, stated)
            .iter()
            .map(Option::is_some)
            .collect()
    }

    #[test]
    fn yaml_names_are_exact() {
        for rule in UnitRule::ALL {
            let de: StrDeserializer<'_, DeError> = rule.as_str().into_deserializer();
            assert_eq!(UnitRule::deserialize(de), Ok(rule));
        }
        let de: StrDeserializer<'_, DeError> = "cms8_minute".into_deserializer();
        assert!(UnitRule::deserialize(de).is_err());
        let schema = schemars::schema_for!(UnitRule).as_value().to_string();
        for rule in UnitRule::ALL {
            assert!(schema.contains(&format!("\"{rule}\"")), "{schema}");
        }
        assert!(!schema.contains("cms8_minute") && !schema.contains("full15"));
    }

    #[test]
    fn cms_unit_table() {
        let rows: [(u32, u32, u32); 9] = [
            (0, 0, 7),
            (1, 8, 22),
            (2, 23, 37),
            (3, 38, 52),
            (4, 53, 67),
            (5, 68, 82),
            (6, 83, 97),
            (7, 98, 112),
            (8, 113, 127),
        ];
        for (units, low, high) in rows {
            for minutes in low..=high {
                assert_eq!(cms_total(minutes), units, "{minutes} minutes");
                // The table is about the day's total, whatever the split between two codes.
                let split = cms(&[
                    timed("97110", minutes / 2),
                    timed("97140", minutes - minutes / 2),
                ]);
                assert_eq!(split.iter().sum::<u32>(), units, "{minutes} minutes split");
            }
        }
        assert_eq!(cms_total(128), 9);
        assert_eq!(cms_total(142), 9);
        assert_eq!(cms_total(143), 10);
    }

    #[test]
    fn cms_example_leftovers_nine_and_eight() {
        // 24 min 97112 + 23 min 97110 = 47 min -> 3 units: 97112 x2, 97110 x1.
        let lines = [timed("97112", 24), timed("97110", 23)];
        assert_eq!(cms(&lines), vec![2, 1]);
        assert_eq!(
            mismatches(UnitRule::Cms8Minute, &lines, &[Some(1), Some(2)]),
            vec![true, true]
        );
    }

    #[test]
    fn cms_example_twenty_and_twenty_tie() {
        let lines = [timed("97110", 20), timed("97140", 20)];
        // Default: the tie goes to the earlier line.
        assert_eq!(cms(&lines), vec![2, 1]);
        let ok = |stated: &[Option<u32>]| {
            mismatches(UnitRule::Cms8Minute, &lines, stated) == vec![false, false]
        };
        assert!(ok(&[Some(2), Some(1)]));
        assert!(ok(&[Some(1), Some(2)]));
        assert!(ok(&[Some(1), None]));
        assert!(ok(&[None, Some(2)]));
        assert!(ok(&[None, None]));
        // Never 3 units on one code.
        let wrong = check_stated(UnitRule::Cms8Minute, &lines, &[Some(3), Some(0)]);
        assert_eq!(wrong[0].as_ref().map(|m| m.computed), Some(2));
        assert_eq!(wrong[1].as_ref().map(|m| m.computed), Some(1));
        // Both may not take the one tied unit, nor both leave it.
        let both = check_stated(UnitRule::Cms8Minute, &lines, &[Some(2), Some(2)]);
        assert!(both[0].is_none());
        let m = both[1].as_ref().expect("second claim of one tied unit");
        assert_eq!(m.computed, 1);
        assert!(
            m.explanation
                .contains("but 97110 already takes it as stated, so 1"),
            "{}",
            m.explanation
        );
        let neither = check_stated(UnitRule::Cms8Minute, &lines, &[Some(1), Some(1)]);
        assert!(neither[0].is_none());
        assert_eq!(neither[1].as_ref().map(|m| m.computed), Some(2));
    }

    #[test]
    fn cms_example_thirty_three_and_seven() {
        // 33 min 97110 + 7 min 97140 = 40 min -> 97110 x2, 97140 x1 (leftovers 3 vs 7).
        assert_eq!(cms(&[timed("97110", 33), timed("97140", 7)]), vec![2, 1]);
    }

    #[test]
    fn cms_example_four_codes() {
        // 18 + 13 + 10 + 8 = 49 min -> 3 units; full 1 (97110), R = 2 -> 97140 and 97116.
        let lines = [
            timed("97110", 18),
            timed("97140", 13),
            timed("97116", 10),
            timed("97035", 8),
        ];
        assert_eq!(cms(&lines), vec![1, 1, 1, 0]);
    }

    #[test]
    fn massage_and_manual_therapy_under_each_rule() {
        let lines = [timed("97124", 33), timed("97140", 7)];
        assert_eq!(allocate(UnitRule::Cms8Minute, &lines), vec![2, 1]);
        assert_eq!(allocate(UnitRule::SubstantialPortion, &lines), vec![2, 0]);
        assert_eq!(allocate(UnitRule::Full15, &lines), vec![2, 0]);
    }

    #[test]
    fn contract_example_session() {
        // 97124 38 min + 97140 15 min = 53 min -> 4 units, stated 3 on 97124.
        let lines = [timed("97124", 38), timed("97140", 15)];
        assert_eq!(cms(&lines), vec![3, 1]);
        assert!(check_stated(UnitRule::Cms8Minute, &lines, &[Some(3), None])[0].is_none());
        let wrong = check_stated(UnitRule::Cms8Minute, &lines, &[Some(2), None]);
        let m = wrong[0].as_ref().expect("2 is not 3");
        assert_eq!(m.computed, 3);
        assert_eq!(
            m.explanation,
            "cms_8_minute: 53 timed minutes make 4 units; 97124's 38 minutes earn 2 full unit(s) \
             plus 1 of the 1 remaining unit(s) by largest remainder, so 3"
        );
    }

    #[test]
    fn substantial_portion_per_code() {
        let units = |m| allocate(UnitRule::SubstantialPortion, &[timed("97124", m)])[0];
        assert_eq!(units(7), 0);
        assert_eq!(units(8), 1);
        assert_eq!(units(22), 1);
        assert_eq!(units(23), 2);
        assert_eq!(units(37), 2);
        assert_eq!(units(38), 3);
        // Per code: two 7-minute codes earn nothing, unlike CMS.
        let small = [timed("97124", 7), timed("97140", 7)];
        assert_eq!(allocate(UnitRule::SubstantialPortion, &small), vec![0, 0]);
        assert_eq!(cms(&small), vec![1, 0]);
        let m = check_stated(
            UnitRule::SubstantialPortion,
            &[timed("97124", 33)],
            &[Some(3)],
        );
        let m = m[0].as_ref().expect("33 minutes are 2 units");
        assert_eq!(m.computed, 2);
        assert!(
            m.explanation
                .starts_with("substantial_portion: 97124's 33 minutes")
        );
        assert!(m.explanation.contains("do not reach"));
    }

    #[test]
    fn full_15_per_code() {
        let units = |m| allocate(UnitRule::Full15, &[timed("97124", m)])[0];
        assert_eq!(units(14), 0);
        assert_eq!(units(15), 1);
        assert_eq!(units(29), 1);
        assert_eq!(units(30), 2);
        assert_eq!(units(53), 3);
        let m = check_stated(UnitRule::Full15, &[timed("97124", 53)], &[Some(4)]);
        assert!(m[0].as_ref().is_some_and(
            |m| m.computed == 3 && m.explanation.starts_with("full_15: 97124's 53 minutes")
        ));
    }

    #[test]
    fn untimed_lines_are_one_unit_and_do_not_count() {
        for rule in UnitRule::ALL {
            let lines = [untimed("97010"), timed("97124", 7), untimed("G0283")];
            let units = allocate(rule, &lines);
            assert_eq!(units[0], 1);
            assert_eq!(units[2], 1);
            // 7 timed minutes alone earn nothing; the untimed 20 minutes do not help.
            assert_eq!(units[1], 0, "{rule}");
            let m = check_stated(rule, &lines, &[Some(2), None, Some(1)]);
            assert!(m[0].as_ref().is_some_and(
                |m| m.computed == 1 && m.explanation.contains("97010 is billed per session")
            ));
            assert!(m[2].is_none());
        }
    }

    #[test]
    fn zero_unit_timed_line_is_visible() {
        let units = cms(&[timed("97124", 30), timed("97140", 5)]);
        assert_eq!(units, vec![2, 0]);
        let m = check_stated(
            UnitRule::Cms8Minute,
            &[timed("97124", 30), timed("97140", 5)],
            &[None, Some(1)],
        );
        let m = m[1].as_ref().expect("5 leftover minutes earn nothing here");
        assert_eq!(m.computed, 0);
        assert!(m.explanation.contains("all of them full 15-minute units"));
        let alone = check_stated(UnitRule::Cms8Minute, &[timed("97140", 5)], &[Some(1)]);
        assert!(
            alone[0]
                .as_ref()
                .is_some_and(|m| m.explanation.contains("make 0 units"))
        );
    }

    #[test]
    fn three_way_tie_with_two_slots() {
        // 3 x 10 = 30 min -> 2 units, leftovers all 10: any two of the three.
        let lines = [timed("97110", 10), timed("97112", 10), timed("97140", 10)];
        assert_eq!(cms(&lines), vec![1, 1, 0]);
        let ok = |s: &[Option<u32>]| {
            check_stated(UnitRule::Cms8Minute, &lines, s)
                .iter()
                .all(Option::is_none)
        };
        assert!(ok(&[Some(0), Some(1), Some(1)]));
        assert!(ok(&[Some(1), Some(0), None]));
        assert!(!ok(&[Some(1), Some(1), Some(1)]));
        assert!(!ok(&[Some(0), Some(0), None]));
        let over = check_stated(UnitRule::Cms8Minute, &lines, &[Some(1), Some(1), Some(1)]);
        assert!(over[2].as_ref().is_some_and(|m| {
            m.computed == 0
                && m.explanation
                    .contains("but 97110 and 97112 already take them as stated, so 0")
        }));
        let m = check_stated(UnitRule::Cms8Minute, &lines, &[Some(2), None, None]);
        assert!(
            m[0].as_ref()
                .is_some_and(|m| m.explanation.contains("so 0 or 1"))
        );
    }

    #[test]
    fn tie_below_a_larger_leftover() {
        // 12 + 10 + 10 = 32 min -> 2 units: 97110 surely, then 97112 or 97140.
        let lines = [timed("97110", 12), timed("97112", 10), timed("97140", 10)];
        assert_eq!(cms(&lines), vec![1, 1, 0]);
        let bad = check_stated(UnitRule::Cms8Minute, &lines, &[Some(0), Some(1), Some(1)]);
        assert!(bad[0].is_some());
    }

    #[test]
    fn stated_slice_may_be_short() {
        let lines = [timed("97124", 38), timed("97140", 15)];
        for rule in UnitRule::ALL {
            assert_eq!(check_stated(rule, &lines, &[]), vec![None, None]);
        }
    }

    fn arb_lines() -> impl Strategy<Value = Vec<(u32, bool)>> {
        proptest::collection::vec((0u32..200, proptest::bool::weighted(0.8)), 0..7)
    }

    fn to_lines(raw: &[(u32, bool)]) -> Vec<Line<'static>> {
        raw.iter()
            .map(|&(minutes, timed)| Line {
                code: "97124",
                minutes,
                timed,
            })
            .collect()
    }

    /// Every sharing CMS permits, found by brute force from the rule's own words: each timed line
    /// gets its full units plus 0 or 1, the extras add up to the day's units, only lines with
    /// leftover minutes take one, and no line takes one while a line with more leftover goes without.
    fn cms_permitted(lines: &[Line<'_>]) -> Vec<Vec<u32>> {
        let t: u32 = lines.iter().filter(|l| l.timed).map(|l| l.minutes).sum();
        let full: u32 = lines
            .iter()
            .filter(|l| l.timed)
            .map(|l| l.minutes / 15)
            .sum();
        let remaining = (t + 7) / 15 - full;
        let mut permitted = Vec::new();
        for mask in 0u32..(1 << lines.len()) {
            let takes = |i: usize| lines[i].timed && mask & (1 << i) != 0;
            if (0..lines.len()).filter(|&i| takes(i)).count() as u32 != remaining {
                continue;
            }
            if (0..lines.len()).any(|i| !lines[i].timed && mask & (1 << i) != 0) {
                continue;
            }
            let left = |i: usize| lines[i].minutes % 15;
            let fair = (0..lines.len()).all(|i| {
                !takes(i)
                    || (left(i) > 0
                        && (0..lines.len())
                            .all(|j| takes(j) || !lines[j].timed || left(j) <= left(i)))
            });
            if fair {
                permitted.push(
                    (0..lines.len())
                        .map(|i| match lines[i].timed {
                            false => 1,
                            true => lines[i].minutes / 15 + u32::from(takes(i)),
                        })
                        .collect(),
                );
            }
        }
        permitted
    }

    proptest! {
        #[test]
        fn cms_check_matches_brute_force(
            raw in proptest::collection::vec((0u32..50, proptest::bool::weighted(0.85)), 1..6),
            guesses in proptest::collection::vec(proptest::option::of(0u32..5), 6),
        ) {
            let lines = to_lines(&raw);
            let permitted = cms_permitted(&lines);
            prop_assert!(permitted.contains(&cms(&lines)));
            // Stated figures near the computed ones, so that ties are actually exercised.
            let stated: Vec<Option<u32>> = lines
                .iter()
                .zip(&guesses)
                .map(|(l, g)| g.map(|g| (l.minutes / 15 + g).saturating_sub(2)))
                .collect();
            let consistent = permitted.iter().any(|p| {
                p.iter().zip(&stated).all(|(units, s)| s.is_none_or(|s| s == *units))
            });
            let flagged = check_stated(UnitRule::Cms8Minute, &lines, &stated)
                .iter()
                .any(Option::is_some);
            prop_assert_eq!(flagged, !consistent, "stated {:?}, permitted {:?}", stated, permitted);
        }

        #[test]
        fn cms_total_never_exceeds_the_table(raw in arb_lines()) {
            let lines = to_lines(&raw);
            let t: u32 = lines.iter().filter(|l| l.timed).map(|l| l.minutes).sum();
            let units = cms(&lines);
            let timed_units: u32 = lines.iter().zip(&units).filter(|(l, _)| l.timed).map(|(_, u)| u).sum();
            prop_assert!(timed_units <= (t + 7) / 15);
            // In fact the whole total is always shared out.
            prop_assert_eq!(timed_units, (t + 7) / 15);
        }

        #[test]
        fn cms_line_of_fifteen_minutes_gets_a_unit(raw in arb_lines()) {
            let lines = to_lines(&raw);
            for (line, units) in lines.iter().zip(cms(&lines)) {
                if line.timed {
                    prop_assert!(units >= line.minutes / 15);
                    prop_assert!(units <= line.minutes / 15 + 1);
                }
                if line.minutes >= 15 {
                    prop_assert!(units >= 1);
                }
            }
        }

        #[test]
        fn per_code_rules_are_monotone(a in 0u32..500, b in 0u32..500) {
            let (low, high) = (a.min(b), a.max(b));
            for rule in [UnitRule::SubstantialPortion, UnitRule::Full15] {
                let u = |m| allocate(rule, &[timed("97124", m)])[0];
                prop_assert!(u(low) <= u(high));
            }
        }

        #[test]
        fn every_rule_accepts_its_own_allocation(raw in arb_lines()) {
            let lines = to_lines(&raw);
            for rule in UnitRule::ALL {
                let stated: Vec<Option<u32>> = allocate(rule, &lines).into_iter().map(Some).collect();
                prop_assert!(check_stated(rule, &lines, &stated).iter().all(Option::is_none));
            }
        }

        #[test]
        fn cms_accepts_the_reverse_tie_order(raw in arb_lines()) {
            // Giving tied units to the latest lines instead of the earliest is equally valid.
            let lines = to_lines(&raw);
            let reversed: Vec<Line<'_>> = lines.iter().rev().copied().collect();
            let mut stated: Vec<Option<u32>> = cms(&reversed).into_iter().map(Some).collect();
            stated.reverse();
            prop_assert!(check_stated(UnitRule::Cms8Minute, &lines, &stated).iter().all(Option::is_none));
        }

        #[test]
        fn cms_rejects_any_stated_total_off_by_one(
            raw in proptest::collection::vec((0u32..200, proptest::bool::weighted(0.8)), 1..7),
            pick in 0usize..7,
            up in any::<bool>(),
        ) {
            let lines = to_lines(&raw);
            let i = pick % lines.len();
            let mut stated: Vec<Option<u32>> = cms(&lines).into_iter().map(Some).collect();
            let current = stated[i].unwrap_or(0);
            stated[i] = Some(if up || current == 0 { current + 1 } else { current - 1 });
            prop_assert!(check_stated(UnitRule::Cms8Minute, &lines, &stated).iter().any(Option::is_some));
        }
    }
}
