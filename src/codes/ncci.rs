//! NCCI procedure-to-procedure (PTP) edits: code pairs that are not paid together on one day.
//!
//! When both codes of an edit are billed, only the column 1 code pays, unless the edit's modifier
//! indicator is 1 and a distinct-procedure modifier (59 or XE/XS/XP/XU) is on the column 2 code.
//! The pairs live in `data/ncci_ptp.tsv`, compiled in; adding a pair means adding a line there.

use std::sync::OnceLock;

/// The embedded table; its header comment documents the columns and how sure each pair is.
const DATA: &str = include_str!("../../data/ncci_ptp.tsv");

/// The column header line the table must carry.
const HEADER: &str = "column1\tcolumn2\tmodifier_indicator\tnote";

/// One PTP edit between two procedure codes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PtpEdit {
    /// The code that pays when both are billed.
    pub column1: &'static str,
    /// The code denied with it, and the one that carries the modifier when one is allowed.
    pub column2: &'static str,
    /// 0: no modifier bypasses the edit; 1: a distinct-procedure modifier may; 9: not in force.
    pub modifier_indicator: u8,
    /// Where the pair comes from and how sure it is.
    pub note: &'static str,
}

impl PtpEdit {
    /// True when the edit is in force (indicator 0 or 1).
    pub fn is_active(&self) -> bool {
        self.modifier_indicator != 9
    }

    /// True when a distinct-procedure modifier on the column 2 code lets both be paid.
    pub fn modifier_allowed(&self) -> bool {
        self.modifier_indicator == 1
    }
}

/// Every edit of the table, in table order, including those with indicator 9.
pub fn all() -> &'static [PtpEdit] {
    static TABLE: OnceLock<Vec<PtpEdit>> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse(DATA).expect("data/ncci_ptp.tsv is well-formed (checked by the tests below)")
    })
}

/// The edit in force between two codes, whichever order they are given in.
///
/// Edits with indicator 9 are not returned: they no longer restrict anything.
pub fn edit_between(a: &str, b: &str) -> Option<&'static PtpEdit> {
    let is = |code: &str, other: &str| code.eq_ignore_ascii_case(other);
    all().iter().find(|e| {
        e.is_active()
            && ((is(e.column1, a) && is(e.column2, b)) || (is(e.column1, b) && is(e.column2, a)))
    })
}

/// Parses the table text; the error names the line and what is wrong with it.
fn parse(text: &'static str) -> Result<Vec<PtpEdit>, String> {
    let mut edits: Vec<PtpEdit> = Vec::new();
    for (n, line) in super::table::data_rows(text, HEADER)? {
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [column1, column2, indicator, note] = fields[..] else {
            return Err(format!(
                "line {n}: expected 4 tab-separated columns, found {}",
                fields.len()
            ));
        };
        for code in [column1, column2] {
            let bytes = code.as_bytes();
            let shaped = bytes.len() == 5
                && (bytes[0].is_ascii_digit() || bytes[0].is_ascii_uppercase())
                && bytes[1..].iter().all(u8::is_ascii_digit);
            if !shaped {
                return Err(format!("line {n}: {code:?} is not a CPT or HCPCS code"));
            }
        }
        if column1 == column2 {
            return Err(format!("line {n}: {column1} is paired with itself"));
        }
        let modifier_indicator = match indicator {
            "0" => 0,
            "1" => 1,
            "9" => 9,
            other => {
                return Err(format!(
                    "line {n}: modifier indicator {other:?} is not 0, 1 or 9"
                ));
            }
        };
        // One pair, one edit: a second row for the same codes (either order) would be ambiguous.
        let same_pair = |e: &PtpEdit| {
            (e.column1 == column1 && e.column2 == column2)
                || (e.column1 == column2 && e.column2 == column1)
        };
        if edits.iter().any(same_pair) {
            return Err(format!(
                "line {n}: the pair {column1}/{column2} is listed twice"
            ));
        }
        if note.trim().is_empty() {
            return Err(format!(
                "line {n}: the pair {column1}/{column2} has no note"
            ));
        }
        edits.push(PtpEdit {
            column1,
            column2,
            modifier_indicator,
            note: note.trim(),
        });
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::super::procedures;
    use super::*;

    #[test]
    fn embedded_table_is_well_formed() {
        let table = parse(DATA).expect("data/ncci_ptp.tsv parses");
        assert!(!table.is_empty());
        assert_eq!(all().len(), table.len());
    }

    #[test]
    fn every_code_is_a_known_procedure() {
        for edit in all() {
            for code in [edit.column1, edit.column2] {
                assert!(
                    procedures::lookup(code).is_some(),
                    "{code} is not in procedures.tsv"
                );
            }
        }
    }

    #[test]
    fn massage_with_manual_therapy() {
        let edit = edit_between("97140", "97124").expect("the pair has an edit");
        assert_eq!(edit, edit_between("97124", "97140").expect("either order"));
        assert_eq!((edit.column1, edit.column2), ("97124", "97140"));
        assert_eq!(edit.modifier_indicator, 1);
        assert!(edit.modifier_allowed() && edit.is_active());
        assert!(edit.note.contains("[unverified]"));
    }

    #[test]
    fn pairs_from_the_design_notes() {
        let col2 = |a, b| edit_between(a, b).map(|e| e.column2);
        assert_eq!(col2("97530", "97140"), Some("97140"));
        assert_eq!(col2("97140", "97012"), Some("97140"));
        assert_eq!(col2("97116", "97530"), Some("97116"));
        for eval in ["97161", "97162", "97163"] {
            assert_eq!(col2(eval, "97140"), Some("97140"));
        }
        assert_eq!(col2("97164", "97530"), Some("97530"));
        assert_eq!(col2("97150", "97164"), Some("97150"));
        for cmt in ["98940", "98941", "98942"] {
            for therapy in ["97112", "97124", "97140"] {
                assert_eq!(col2(therapy, cmt), Some(therapy), "{cmt}/{therapy}");
            }
        }
    }

    #[test]
    fn unrelated_codes_have_no_edit() {
        assert!(edit_between("97124", "97110").is_none());
        assert!(edit_between("97124", "97124").is_none());
        assert!(edit_between("97124", "").is_none());
    }

    #[test]
    fn indicator_nine_is_not_in_force() {
        let text = "column1\tcolumn2\tmodifier_indicator\tnote\n97530\t97116\t9\tdeleted\n";
        let table = parse(text).expect("parses");
        assert!(!table[0].is_active());
        assert!(!table[0].modifier_allowed());
    }

    #[test]
    fn parse_reports_bad_rows() {
        let bad = |row: &'static str| -> String {
            let text: &'static str = Box::leak(
                format!("column1\tcolumn2\tmodifier_indicator\tnote\n{row}\n").into_boxed_str(),
            );
            parse(text).expect_err(row)
        };
        assert!(bad("97124\t97140\t1").contains("columns"));
        assert!(bad("97124\t9714\t1\tx").contains("not a CPT"));
        assert!(bad("97124\t97124\t1\tx").contains("itself"));
        assert!(bad("97124\t97140\t2\tx").contains("indicator"));
        assert!(bad("97124\t97140\t1\t").contains("no note"));
        assert!(bad("97124\t97140\t1\tx\n97140\t97124\t0\ty").contains("twice"));
        assert!(parse("97124\t97140\t1\tx\n").is_err());
    }
}
