//! What to use instead of a code that is not billable: the current form of a retired code's
//! published replacements, the codes that filled a dropped code's placeholders, and the near
//! matches of a code no edition lists.

use super::table::{Row, Table, code_of};
use super::{normalize, with_dot};

/// How many near matches an unknown code gets.
pub(super) const MAX_NEAR: usize = 4;

/// Replacements as they stand in the edition checked: a replacement that later became a header
/// gives way to its billable codes, one that is gone is dropped. If none survives, the list as
/// published is kept, since it still tells the biller where to look.
pub(super) fn current_replacements(table: &Table<'_>, published: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for rep in published {
        let Some(code) = normalize(rep) else { continue };
        let Some(row) = table.find(&code).map(Row::parse) else {
            continue;
        };
        if row.billable {
            out.push(with_dot(&code));
        } else {
            out.extend(table.billable_under(&code).map(with_dot));
        }
    }
    out.dedup();
    if out.is_empty() {
        published.to_vec()
    } else {
        out
    }
}

/// New billable codes that fill the placeholder X positions of a removed code
/// (S30.1XXA -> S30.11XA, S30.12XA, S30.13XA), the usual way CMS splits a code.
pub(super) fn placeholder_successors(
    previous: &Table<'_>,
    table: &Table<'_>,
    code: &str,
) -> Vec<String> {
    let fixed_len = code.find('X').unwrap_or(code.len()).max(3);
    table
        .billable_under(&code[..fixed_len])
        .filter(|c| {
            c.len() == code.len()
                && c.bytes()
                    .zip(code.bytes())
                    .all(|(new, old)| new == old || old == b'X')
                && previous.find(c).is_none()
        })
        .map(with_dot)
        .collect()
}

/// Up to four billable codes that look like an unknown code, best first.
///
/// Candidates are the billable codes under the longest prefix of the code that has any (a
/// wrong or missing last characters), plus any billable code one edit away anywhere (a typo in
/// the category). They are ranked by edit distance, then codes of the length typed first, then
/// by preferring the "other" and "unspecified" subdivisions (9, 0, 8) where the code differs,
/// which is what a placeholder typed too early usually meant (T85.7XXS -> T85.79XS).
pub(super) fn near_matches(table: &Table<'_>, code: &str) -> Vec<String> {
    let mut candidates: Vec<&str> = Vec::new();
    for len in (3..code.len()).rev() {
        candidates.extend(table.billable_under(&code[..len]));
        if !candidates.is_empty() {
            break;
        }
    }
    candidates.extend(
        table
            .lines_from(0)
            // The edit test on the code alone rejects almost every line before it is parsed.
            .filter(|line| within_one_edit(code_of(line.as_bytes()), code.as_bytes()))
            .map(Row::parse)
            .filter(|r| r.billable)
            .map(|r| r.code),
    );
    candidates.sort_unstable();
    candidates.dedup();
    let mut ranked: Vec<(usize, bool, u32, &str)> = candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(code, c),
                c.len() != code.len(),
                genericness(code, c),
                c,
            )
        })
        .collect();
    ranked.sort_unstable();
    ranked
        .into_iter()
        .take(MAX_NEAR)
        .map(|(_, _, _, c)| with_dot(c))
        .collect()
}

/// Lower is more generic: the subdivisions ICD-10-CM uses for "other" and "unspecified".
fn genericness(wanted: &str, candidate: &str) -> u32 {
    wanted
        .bytes()
        .zip(candidate.bytes())
        .filter(|(w, c)| w != c)
        .map(|(_, c)| match c {
            b'9' => 0,
            b'0' => 1,
            b'8' => 2,
            _ => 3,
        })
        .sum()
}

/// One substitution, insertion, deletion or swap of neighbours apart (or equal); no allocation,
/// since it runs over every line of an edition.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if long.len() - short.len() > 1 {
        return false;
    }
    let prefix = short.iter().zip(long).take_while(|(x, y)| x == y).count();
    if short.len() == long.len() {
        let rest = prefix + 1;
        let substitution = short.get(rest..) == long.get(rest..);
        let swap = rest < short.len()
            && short[prefix] == long[rest]
            && short[rest] == long[prefix]
            && short.get(rest + 1..) == long.get(rest + 1..);
        prefix == short.len() || substitution || swap
    } else {
        short.get(prefix..) == long.get(prefix + 1..)
    }
}
