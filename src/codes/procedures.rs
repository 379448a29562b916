//! The CPT/HCPCS procedure codes the tool knows: timed or not, therapy status, plain description.
//!
//! The table lives in `data/procedures.tsv` and is compiled in; adding a code means adding a line
//! there. It is parsed once, on first use.

use std::sync::OnceLock;

/// The embedded table; its header comment documents the columns.
const DATA: &str = include_str!("../../data/procedures.tsv");

/// The column header line the table must carry.
const HEADER: &str = "code\tkind\ttherapy\tdescription\tnote";

/// Where a code stands on the CMS therapy code list (whether GP/GO/GN is needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TherapyStatus {
    /// Always a therapy service: Medicare wants GP, GO or GN whoever performs it.
    Always,
    /// A therapy service only when done under a therapy plan of care.
    Sometimes,
    /// Not on the therapy code list.
    No,
}

impl TherapyStatus {
    /// The name used in the data file and in output (`always`, `sometimes`, `no`).
    pub fn as_str(self) -> &'static str {
        match self {
            TherapyStatus::Always => "always",
            TherapyStatus::Sometimes => "sometimes",
            TherapyStatus::No => "no",
        }
    }
}

/// One procedure code and what the tool knows of it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Procedure {
    /// The CPT or HCPCS code, e.g. `97124` or `G0283`.
    pub code: &'static str,
    /// True when billed per 15 minutes; false when billed once per session or service.
    pub timed: bool,
    /// Status on the CMS therapy code list.
    pub therapy: TherapyStatus,
    /// A plain one-line description in the project's own words.
    pub description: &'static str,
    /// A billing note (Medicare status, the code to use instead, ...), when there is one.
    pub note: Option<&'static str>,
}

/// Every known procedure, in table order.
pub fn all() -> &'static [Procedure] {
    static TABLE: OnceLock<Vec<Procedure>> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse(DATA).expect("data/procedures.tsv is well-formed (checked by the tests below)")
    })
}

/// The procedure with this code (letters in any case), or `None` when the tool does not know it.
pub fn lookup(code: &str) -> Option<&'static Procedure> {
    all().iter().find(|p| p.code.eq_ignore_ascii_case(code))
}

/// Parses the table text; the error names the line and what is wrong with it.
fn parse(text: &'static str) -> Result<Vec<Procedure>, String> {
    let mut procedures: Vec<Procedure> = Vec::new();
    for (n, line) in super::table::data_rows(text, HEADER)? {
        let fields: Vec<&'static str> = line.split('\t').collect();
        let (code, kind, therapy, description, note) = match fields[..] {
            [code, kind, therapy, description] => (code, kind, therapy, description, ""),
            [code, kind, therapy, description, note] => (code, kind, therapy, description, note),
            _ => {
                return Err(format!(
                    "line {n}: expected 4 or 5 tab-separated columns, found {}",
                    fields.len()
                ));
            }
        };
        if !is_code(code) {
            return Err(format!(
                "line {n}: {code:?} is not a CPT or HCPCS code (5 characters: 5 digits, or a letter and 4 digits)"
            ));
        }
        if procedures.iter().any(|p| p.code == code) {
            return Err(format!("line {n}: {code} is listed twice"));
        }
        let timed = match kind {
            "timed" => true,
            "untimed" => false,
            other => return Err(format!("line {n}: kind {other:?} is not timed or untimed")),
        };
        let statuses = [
            TherapyStatus::Always,
            TherapyStatus::Sometimes,
            TherapyStatus::No,
        ];
        let Some(therapy) = statuses.into_iter().find(|s| s.as_str() == therapy) else {
            return Err(format!(
                "line {n}: therapy {therapy:?} is not always, sometimes or no"
            ));
        };
        if description.trim().is_empty() {
            return Err(format!("line {n}: {code} has no description"));
        }
        let note = note.trim();
        procedures.push(Procedure {
            code,
            timed,
            therapy,
            description: description.trim(),
            note: (!note.is_empty()).then_some(note),
        });
    }
    Ok(procedures)
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

    #[test]
    fn embedded_table_is_well_formed() {
        let table = parse(DATA).expect("data/procedures.tsv parses");
        assert!(table.len() >= 40, "{} rows", table.len());
        assert_eq!(all().len(), table.len());
    }

    #[test]
    fn design_table_codes() {
        // code, timed, therapy status as the design notes give them.
        let expected = [
            ("97124", true, TherapyStatus::Always),
            ("97140", true, TherapyStatus::Always),
            ("97110", true, TherapyStatus::Always),
            ("97112", true, TherapyStatus::Always),
            ("97530", true, TherapyStatus::Always),
            ("97010", false, TherapyStatus::Always),
            ("97012", false, TherapyStatus::Always),
            ("97014", false, TherapyStatus::Always),
            ("97016", false, TherapyStatus::Always),
            ("97018", false, TherapyStatus::Always),
            ("97026", false, TherapyStatus::Always),
            ("97035", true, TherapyStatus::Always),
            ("G0283", false, TherapyStatus::Always),
        ];
        for (code, timed, therapy) in expected {
            let p = lookup(code).unwrap_or_else(|| panic!("{code} is in the table"));
            assert_eq!((p.timed, p.therapy), (timed, therapy), "{code}");
        }
    }

    #[test]
    fn neighbours_are_known() {
        for code in [
            "97022", "97024", "97028", "97032", "97033", "97034", "97036", "97039", "97113",
            "97116", "97150", "97161", "97162", "97163", "97164", "97535", "97750", "98940",
            "98941", "98942", "S8990",
        ] {
            assert!(lookup(code).is_some(), "{code}");
        }
        assert!(lookup("98940").is_some_and(|p| p.therapy == TherapyStatus::No));
        assert!(lookup("20560").is_some_and(|p| p.therapy == TherapyStatus::Sometimes));
        assert_eq!(TherapyStatus::Sometimes.as_str(), "sometimes");
    }

    #[test]
    fn notes_carry_medicare_status() {
        assert!(
            lookup("97014")
                .and_then(|p| p.note)
                .is_some_and(|n| n.contains("G0283"))
        );
        assert!(
            lookup("97010")
                .and_then(|p| p.note)
                .is_some_and(|n| n.contains("status B"))
        );
        assert_eq!(lookup("97035").map(|p| p.note), Some(None));
    }

    #[test]
    fn lookup_ignores_letter_case_only() {
        assert_eq!(lookup("g0283").map(|p| p.code), Some("G0283"));
        assert_eq!(lookup("s8990").map(|p| p.code), Some("S8990"));
        assert!(lookup(" 97124").is_none());
        assert!(lookup("99999").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn parse_reports_bad_rows() {
        let ok =
            "code\tkind\ttherapy\tdescription\tnote\n# comment\n\n97124\ttimed\talways\tMassage\n";
        assert_eq!(parse(ok).map(|t| t.len()), Ok(1));
        let bad = |row: &'static str| -> String {
            let text: &'static str = Box::leak(
                format!("code\tkind\ttherapy\tdescription\tnote\n{row}\n").into_boxed_str(),
            );
            parse(text).expect_err(row)
        };
        assert!(bad("97124\ttimed\talways").contains("columns"));
        assert!(bad("9712\ttimed\talways\tMassage").contains("not a CPT"));
        assert!(bad("97124\tsometimes\talways\tMassage").contains("kind"));
        assert!(bad("97124\ttimed\tmaybe\tMassage").contains("therapy"));
        assert!(bad("97124\ttimed\talways\t ").contains("no description"));
        assert!(bad("97124\ttimed\talways\tA\n97124\ttimed\talways\tB").contains("twice"));
        assert!(parse("97124\ttimed\talways\tMassage\n").is_err());
        assert!(parse("# only a comment\n").is_err());
    }
}
