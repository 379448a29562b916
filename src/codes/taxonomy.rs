//! Provider taxonomy codes (NUCC) and the procedure codes each kind of provider usually bills.
//!
//! The table lives in `data/taxonomy_scope.tsv` and is compiled in; its header comment documents
//! the columns and where the scopes come from. It is parsed once, on first use.

use std::sync::OnceLock;

/// The embedded table.
const DATA: &str = include_str!("../../data/taxonomy_scope.tsv");

/// The column header line the table must carry.
const HEADER: &str = "taxonomy\tlabel\tcodes";

/// The procedure codes one kind of provider may bill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    /// The taxonomy code, or a prefix ending in `*` that covers its subspecialties.
    pub taxonomy: &'static str,
    /// What the provider is, e.g. `massage therapist`.
    pub label: &'static str,
    /// The codes allowed, as written: single codes and `A-B` ranges.
    allowed: Vec<Allowed>,
}

/// One entry of a scope's code list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Allowed {
    /// One code.
    Code(&'static str),
    /// Every code from the first to the second, both included.
    Range(&'static str, &'static str),
}

impl Scope {
    /// True when a provider of this scope may bill `code` (letters in any case).
    pub fn allows(&self, code: &str) -> bool {
        let code = code.to_ascii_uppercase();
        self.allowed.iter().any(|a| match a {
            Allowed::Code(c) => *c == code,
            // Range ends share their length and first character (checked when parsed), so
            // comparing text compares the numbers.
            Allowed::Range(from, to) => {
                code.len() == from.len()
                    && code.as_bytes()[0] == from.as_bytes()[0]
                    && *from <= code.as_str()
                    && code.as_str() <= *to
            }
        })
    }

    /// True when `taxonomy` is this row's code, or falls under its prefix.
    fn covers(&self, taxonomy: &str) -> bool {
        match self.taxonomy.strip_suffix('*') {
            Some(prefix) => taxonomy.len() == 10 && taxonomy.starts_with(prefix),
            None => taxonomy == self.taxonomy,
        }
    }

    /// Every single code and range end the row names, for the table's tests.
    #[cfg(test)]
    fn named_codes(&self) -> Vec<&'static str> {
        self.allowed
            .iter()
            .flat_map(|a| match a {
                Allowed::Code(c) => vec![*c],
                Allowed::Range(from, to) => vec![*from, *to],
            })
            .collect()
    }
}

/// Every row of the table, in table order.
pub fn all() -> &'static [Scope] {
    static TABLE: OnceLock<Vec<Scope>> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse(DATA).expect("data/taxonomy_scope.tsv is well-formed (checked by the tests below)")
    })
}

/// The scope of a taxonomy code (letters in any case): its own row, else the row of the
/// longest prefix covering it; `None` when the table does not know the taxonomy.
pub fn scope_of(taxonomy: &str) -> Option<&'static Scope> {
    let taxonomy = taxonomy.trim().to_ascii_uppercase();
    let rows = all().iter().filter(|s| s.covers(&taxonomy));
    rows.max_by_key(|s| {
        // An exact code outranks every prefix; a longer prefix outranks a shorter one.
        if s.taxonomy.ends_with('*') {
            s.taxonomy.len()
        } else {
            usize::MAX
        }
    })
}

/// Parses the table text; the error names the line and what is wrong with it.
fn parse(text: &'static str) -> Result<Vec<Scope>, String> {
    let mut scopes: Vec<Scope> = Vec::new();
    for (n, line) in super::table::data_rows(text, HEADER)? {
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [taxonomy, label, codes] = fields[..] else {
            return Err(format!(
                "line {n}: expected 3 tab-separated columns, found {}",
                fields.len()
            ));
        };
        if !is_taxonomy(taxonomy) {
            return Err(format!(
                "line {n}: {taxonomy:?} is not a taxonomy code (10 capital letters and digits ending in X) or a prefix ending in *"
            ));
        }
        if scopes.iter().any(|s| s.taxonomy == taxonomy) {
            return Err(format!("line {n}: {taxonomy} is listed twice"));
        }
        if label.trim().is_empty() {
            return Err(format!("line {n}: {taxonomy} has no label"));
        }
        let allowed = codes
            .split_whitespace()
            .map(|item| allowed(item).map_err(|e| format!("line {n}: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        if allowed.is_empty() {
            return Err(format!("line {n}: {taxonomy} allows no code"));
        }
        scopes.push(Scope {
            taxonomy,
            label: label.trim(),
            allowed,
        });
    }
    Ok(scopes)
}

/// One item of the codes column: a code or a range of codes of one shape.
fn allowed(item: &'static str) -> Result<Allowed, String> {
    let Some((from, to)) = item.split_once('-') else {
        return is_code(item)
            .then_some(Allowed::Code(item))
            .ok_or_else(|| format!("{item:?} is not a CPT or HCPCS code"));
    };
    if !is_code(from) || !is_code(to) {
        return Err(format!("{item:?} is not a range of two CPT or HCPCS codes"));
    }
    if from.as_bytes()[0] != to.as_bytes()[0] || from >= to {
        return Err(format!(
            "{item:?} is not a range: its ends must start alike and rise"
        ));
    }
    Ok(Allowed::Range(from, to))
}

/// A NUCC taxonomy code (10 capital letters or digits, ending in X), or a prefix of one
/// followed by `*`.
fn is_taxonomy(text: &str) -> bool {
    let alnum = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase())
    };
    match text.strip_suffix('*') {
        Some(prefix) => (1..10).contains(&prefix.len()) && alnum(prefix),
        None => text.len() == 10 && text.ends_with('X') && alnum(text),
    }
}

/// CPT codes are five digits; HCPCS Level II codes a capital letter then four digits.
fn is_code(code: &str) -> bool {
    let bytes = code.as_bytes();
    bytes.len() == 5
        && (bytes[0].is_ascii_digit() || bytes[0].is_ascii_uppercase())
        && bytes[1..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::procedures;

    fn leaked(text: String) -> &'static str {
        Box::leak(text.into_boxed_str())
    }

    #[test]
    fn embedded_table_is_well_formed_and_names_known_codes() {
        let table = parse(DATA).expect("data/taxonomy_scope.tsv parses");
        assert!(table.len() >= 7, "{} rows", table.len());
        for scope in &table {
            for code in scope.named_codes() {
                assert!(
                    procedures::lookup(code).is_some(),
                    "{}: {code} is not in data/procedures.tsv",
                    scope.taxonomy
                );
            }
        }
    }

    #[test]
    fn every_known_procedure_is_billable_by_someone() {
        for p in procedures::all() {
            assert!(
                all().iter().any(|s| s.allows(p.code)),
                "{} is in no scope",
                p.code
            );
        }
    }

    #[test]
    fn a_massage_therapist_bills_massage_and_manual_therapy_only() {
        let lmt = scope_of("225700000X").expect("massage therapists are listed");
        assert_eq!(lmt.label, "massage therapist");
        assert!(lmt.allows("97124") && lmt.allows("97140"));
        for code in [
            "97530", "97110", "97535", "97112", "97010", "97035", "G0283",
        ] {
            assert!(!lmt.allows(code), "{code}");
        }
    }

    #[test]
    fn physical_therapists_and_their_subspecialties() {
        for taxonomy in ["225100000X", "2251X0800X", "2251s0007x"] {
            let pt = scope_of(taxonomy).unwrap_or_else(|| panic!("{taxonomy}"));
            assert_eq!(pt.label, "physical therapist", "{taxonomy}");
            for code in [
                "97110", "97530", "97161", "97010", "97035", "g0283", "20560",
            ] {
                assert!(pt.allows(code), "{taxonomy} {code}");
            }
            assert!(!pt.allows("98940"), "{taxonomy}");
        }
        // The assistant's own code is not a PT subspecialty, and evaluates nothing.
        let pta = scope_of("225200000X").expect("PT assistants are listed");
        assert!(pta.allows("97110") && !pta.allows("97161"));
    }

    #[test]
    fn other_listed_providers() {
        let ot = scope_of("225X00000X").expect("occupational therapists");
        assert!(ot.allows("97535") && !ot.allows("97161") && !ot.allows("98940"));
        let dc = scope_of("111N00000X").expect("chiropractors");
        assert!(dc.allows("98941") && dc.allows("97140") && dc.allows("97012"));
        assert!(scope_of("111NR0400X").is_some_and(|s| s.label == "chiropractor"));
        let at = scope_of("2255A2300X").expect("athletic trainers");
        assert!(at.allows("97110") && !at.allows("97162"));
    }

    #[test]
    fn an_unknown_taxonomy_has_no_scope() {
        for taxonomy in ["207Q00000X", "2255R0406X", "", "2251", "225100000"] {
            assert!(scope_of(taxonomy).is_none(), "{taxonomy:?}");
        }
    }

    #[test]
    fn ranges_include_their_ends_only_within_their_shape() {
        let scope = Scope {
            taxonomy: "225100000X",
            label: "test",
            allowed: vec![Allowed::Range("97010", "97039"), Allowed::Code("G0283")],
        };
        for code in ["97010", "97024", "97039", "g0283"] {
            assert!(scope.allows(code), "{code}");
        }
        for code in ["97009", "97040", "9702", "970100", "G0284", ""] {
            assert!(!scope.allows(code), "{code}");
        }
    }

    #[test]
    fn parse_reports_bad_rows() {
        const H: &str = "# a comment\ntaxonomy\tlabel\tcodes\n";
        let bad = |row: &str| -> String { parse(leaked(format!("{H}{row}\n"))).expect_err(row) };
        assert_eq!(
            parse(leaked(format!("{H}225700000X\tmassage\t97124 97140\n"))).map(|t| t.len()),
            Ok(1)
        );
        assert!(bad("225700000X\tmassage").contains("columns"));
        assert!(bad("22570000X\tmassage\t97124").contains("not a taxonomy"));
        assert!(bad("225700000Y\tmassage\t97124").contains("not a taxonomy"));
        assert!(bad("2251**\tpt\t97124").contains("not a taxonomy"));
        assert!(bad("225700000X\t \t97124").contains("no label"));
        assert!(bad("225700000X\tmassage\t ").contains("no code"));
        assert!(bad("225700000X\tmassage\t9712").contains("not a CPT"));
        assert!(bad("225700000X\tmassage\t97124-971").contains("range of two"));
        assert!(bad("225700000X\tmassage\t97140-97124").contains("rise"));
        assert!(bad("225700000X\tmassage\t97124-G0283").contains("start alike"));
        assert!(bad("225700000X\tmassage\t97124\n225700000X\tagain\t97140").contains("twice"));
        assert!(parse("225700000X\tmassage\t97124\n").is_err());
    }
}
