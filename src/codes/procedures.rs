//! The CPT/HCPCS procedure codes the tool knows: timed or not, therapy status, plain description.
//!
//! The table lives in `data/procedures.tsv` and is compiled in; adding a code means adding a line
//! there. It is parsed once, on first use.

use std::sync::OnceLock;

/// The embedded table; its header comment documents the columns.
const DATA: &str = include_str!("../../data/procedures.tsv");

/// The column header line the table must carry.
const HEADER: &str = "code\tkind\ttherapy\tbenefit\tmedicare\tcontact\tdescription\tnote";

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

/// The benefit a plan pays a code under: `massage_covered: false` refuses only massage codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Benefit {
    /// Massage (97124): the benefit `massage_covered` speaks of.
    Massage,
    /// Physical or manual therapy, modalities, evaluations.
    Therapy,
    /// Chiropractic manipulation.
    Chiropractic,
}

/// Medicare physician fee schedule status, as far as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum MedicareStatus {
    /// A: paid separately.
    A,
    /// B: bundled into other services, never paid separately.
    B,
    /// I: not valid for Medicare; another code is billed instead.
    I,
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
    /// The benefit a plan pays it under.
    pub benefit: Benefit,
    /// Medicare fee schedule status.
    pub medicare: MedicareStatus,
    /// True when the patient must be in the room (never telehealth).
    pub hands_on: bool,
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
        let (code, kind, therapy, benefit, medicare, contact, description, note) = match fields[..]
        {
            [code, kind, therapy, benefit, medicare, contact, description] => (
                code,
                kind,
                therapy,
                benefit,
                medicare,
                contact,
                description,
                "",
            ),
            [
                code,
                kind,
                therapy,
                benefit,
                medicare,
                contact,
                description,
                note,
            ] => (
                code,
                kind,
                therapy,
                benefit,
                medicare,
                contact,
                description,
                note,
            ),
            _ => {
                return Err(format!(
                    "line {n}: expected 7 or 8 tab-separated columns, found {}",
                    fields.len()
                ));
            }
        };
        let benefit = match benefit {
            "massage" => Benefit::Massage,
            "therapy" => Benefit::Therapy,
            "chiropractic" => Benefit::Chiropractic,
            other => {
                return Err(format!(
                    "line {n}: benefit {other:?} is not massage, therapy or chiropractic"
                ));
            }
        };
        let medicare = match medicare {
            "A" => MedicareStatus::A,
            "B" => MedicareStatus::B,
            "I" => MedicareStatus::I,
            other => return Err(format!("line {n}: medicare {other:?} is not A, B or I")),
        };
        let hands_on = match contact {
            "hands_on" => true,
            "remote" => false,
            other => {
                return Err(format!(
                    "line {n}: contact {other:?} is not hands_on or remote"
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
            benefit,
            medicare,
            hands_on,
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
        const H: &str = "code\tkind\ttherapy\tbenefit\tmedicare\tcontact\tdescription\tnote\n";
        let ok = format!("{H}# comment\n\n97124\ttimed\talways\tmassage\tA\thands_on\tMassage\n");
        let ok: &'static str = Box::leak(ok.into_boxed_str());
        assert_eq!(parse(ok).map(|t| t.len()), Ok(1));
        let bad = |row: &'static str| -> String {
            let text: &'static str = Box::leak(format!("{H}{row}\n").into_boxed_str());
            parse(text).expect_err(row)
        };
        let row = |code: &str, kind: &str, therapy: &str, rest: &str| -> &'static str {
            Box::leak(format!("{code}\t{kind}\t{therapy}\t{rest}").into_boxed_str())
        };
        let good = "massage\tA\thands_on\tMassage";
        assert!(bad("97124\ttimed\talways").contains("columns"));
        assert!(bad(row("9712", "timed", "always", good)).contains("not a CPT"));
        assert!(bad(row("97124", "sometimes", "always", good)).contains("kind"));
        assert!(bad(row("97124", "timed", "maybe", good)).contains("therapy"));
        assert!(bad(row("97124", "timed", "always", "spa\tA\thands_on\tM")).contains("benefit"));
        assert!(
            bad(row("97124", "timed", "always", "massage\tX\thands_on\tM")).contains("medicare")
        );
        assert!(bad(row("97124", "timed", "always", "massage\tA\tnear\tM")).contains("contact"));
        assert!(
            bad(row("97124", "timed", "always", "massage\tA\thands_on\t "))
                .contains("no description")
        );
        let twice = "97124\ttimed\talways\tmassage\tA\thands_on\tA\n97124\ttimed\talways\tmassage\tA\thands_on\tB";
        assert!(bad(twice).contains("twice"));
        assert!(parse("97124\ttimed\talways\tmassage\tA\thands_on\tMassage\n").is_err());
        assert!(parse("# only a comment\n").is_err());
    }

    #[test]
    fn benefit_status_and_contact_columns() {
        let massage: Vec<&str> = all()
            .iter()
            .filter(|p| p.benefit == Benefit::Massage)
            .map(|p| p.code)
            .collect();
        assert_eq!(massage, ["97124"]);
        assert_eq!(lookup("97010").map(|p| p.medicare), Some(MedicareStatus::B));
        assert_eq!(lookup("97014").map(|p| p.medicare), Some(MedicareStatus::I));
        assert_eq!(lookup("97124").map(|p| p.medicare), Some(MedicareStatus::A));
        for code in ["97124", "97140", "97530", "97112", "G0283"] {
            assert!(lookup(code).is_some_and(|p| p.hands_on), "{code}");
        }
        for code in ["97110", "97535", "97161"] {
            assert!(lookup(code).is_some_and(|p| !p.hands_on), "{code}");
        }
    }
}
