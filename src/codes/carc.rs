//! Denial codes: what each Claim Adjustment Reason Code (CARC) means and what an appeal or a
//! corrected claim should argue, attach and fix; the remark codes (RARC) and group codes with them.
//!
//! The tables live in `data/carc.tsv` and `data/rarc.tsv`, compiled in and parsed once on first
//! use. A CARC's `argument` and `enclosures` are templates for [`fill`]; [`PLACEHOLDERS`] lists
//! the names they may use.

use std::sync::OnceLock;

/// The embedded CARC table; its header comment documents the columns and the template syntax.
const CARC_DATA: &str = include_str!("../../data/carc.tsv");

/// The embedded RARC table.
const RARC_DATA: &str = include_str!("../../data/rarc.tsv");

/// The column header line the CARC table must carry.
const CARC_HEADER: &str = "code\tmeaning\taction\targument\tenclosures\tcorrections\tnote";

/// The column header line the RARC table must carry.
const RARC_HEADER: &str = "code\tmeaning";

/// What each adjustment group code says about who owes the amount; also the prefixes a reason
/// may carry (`CO-50`). CR is obsolete but still turns up on old remittances.
const GROUP_MEANINGS: [(&str, &str); 5] = [
    (
        "CO",
        "Contractual obligation: the provider writes the amount off and may not bill the patient for it",
    ),
    (
        "PR",
        "Patient responsibility: the patient owes the amount (deductible, coinsurance, copay, or a non-covered service the patient is liable for)",
    ),
    (
        "OA",
        "Other adjustment: used when neither the provider's contract nor the patient accounts for the amount",
    ),
    (
        "PI",
        "Payer-initiated reduction: not the patient's to pay, though no contract with the provider is behind it",
    ),
    (
        "CR",
        "Correction and reversal: a group no longer used since the 5010 remittance format",
    ),
];

/// Every placeholder the templates may use, with what the caller fills it with.
///
/// Values are phrases that slot into a sentence, so the examples show the expected shape.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "referral",
        "the order for the care: `the referral from Ana Ruiz, MD, dated 2026-09-30`",
    ),
    ("referral_date", "the date of that order: `2026-09-30`"),
    (
        "diagnoses",
        "the diagnoses with descriptions: `M54.50 (low back pain) and M62.830 (muscle spasm of back)`",
    ),
    (
        "pain_trend",
        "the change over the visits, as a clause: `pain fell from 8/10 to 4/10 over 6 visits`",
    ),
    (
        "authorization",
        "the authorization: `authorization A-55120 for 12 visits from 2026-10-01 to 2026-12-31`",
    ),
    (
        "visits",
        "the visits counted against the limit: `visits 7 to 9 of the 20 the plan allows in 2026`",
    ),
    (
        "units_rule",
        "the payer's rule for timed units: `the CMS 8-minute rule`",
    ),
    (
        "claim_number",
        "the payer's claim control number: `EV7731002`",
    ),
];

/// What a practice does about an adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Write to the payer and ask it to reverse the decision.
    Appeal,
    /// Correct the claim and resubmit it; not an appeal.
    CorrectedClaim,
    /// The amount is the patient's share (deductible, coinsurance, copay).
    BillPatient,
    /// The amount comes off the account (a contractual reduction, a duplicate).
    WriteOff,
    /// Another payer is liable: a primary plan, workers' compensation, liability or no-fault.
    OtherPayer,
    /// A credentialing or enrollment problem to fix before the claim can be paid.
    FixEnrollment,
}

impl Action {
    /// Every action, in the order the data file's header lists them.
    const ALL: [Action; 6] = [
        Action::Appeal,
        Action::CorrectedClaim,
        Action::BillPatient,
        Action::WriteOff,
        Action::OtherPayer,
        Action::FixEnrollment,
    ];

    /// The name used in the data file and in output (`appeal`, `corrected_claim`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Appeal => "appeal",
            Action::CorrectedClaim => "corrected_claim",
            Action::BillPatient => "bill_patient",
            Action::WriteOff => "write_off",
            Action::OtherPayer => "other_payer",
            Action::FixEnrollment => "fix_enrollment",
        }
    }
}

/// One Claim Adjustment Reason Code and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Carc {
    /// The code without its group, e.g. `50` or `B7`.
    pub code: &'static str,
    /// A plain paraphrase in the project's own words.
    pub meaning: &'static str,
    /// What the practice does about it.
    pub action: Action,
    /// Two to four sentences from the practice to the payer; a template for [`fill`].
    pub argument: &'static str,
    /// Documents to attach, each a template for [`fill`]; may be empty.
    pub enclosures: Vec<&'static str>,
    /// What to check and correct before resubmitting; never empty for a corrected claim.
    pub corrections: Vec<&'static str>,
    /// When an appeal can succeed, and what to do instead.
    pub note: &'static str,
}

/// Every known CARC, in table order.
pub fn all() -> &'static [Carc] {
    static TABLE: OnceLock<Vec<Carc>> = OnceLock::new();
    TABLE.get_or_init(|| {
        parse_carcs(CARC_DATA).expect("data/carc.tsv is well-formed (checked by the tests below)")
    })
}

/// The CARC of a reason as remittances and people write it: `50`, `CO-50`, `co50`, `PR 1`, `B7`.
///
/// The group prefix is dropped: the table's guidance is per code, and [`group_meaning`] explains
/// the group.
pub fn lookup(reason: &str) -> Option<&'static Carc> {
    let code = reason_code(reason)?;
    all().iter().find(|c| c.code.eq_ignore_ascii_case(code))
}

/// The plain meaning of a remark code (`N115`, `ma130`), or `None` when the tool does not know it.
pub fn remark(code: &str) -> Option<&'static str> {
    static TABLE: OnceLock<Vec<(&'static str, &'static str)>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        parse_rarcs(RARC_DATA).expect("data/rarc.tsv is well-formed (checked by the tests below)")
    });
    let code = code.trim();
    table
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(code))
        .map(|(_, meaning)| *meaning)
}

/// Who owes an amount under an adjustment group code (`CO`, `PR`, `OA`, `PI`, any letter case).
pub fn group_meaning(group: &str) -> &'static str {
    let group = group.trim();
    GROUP_MEANINGS
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(group))
        .map_or(
            "An adjustment group the tool does not know; remittances use CO, PR, OA and PI",
            |(_, meaning)| meaning,
        )
}

/// Fills `{name}` placeholders in a template from `values`, and leaves out cleanly what it cannot.
///
/// - A placeholder with no value, or an empty one, prints nothing; the spacing and punctuation
///   around it are mended (no doubled spaces, no space before a stop, no empty parentheses).
/// - Text in `[square brackets]` prints only when every placeholder inside it has a value; the
///   brackets never print. Groups may nest.
/// - A brace or bracket of the template never reaches the output, even a stray one.
/// - Values are inserted as they are and not read again, so a value cannot inject a placeholder.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    // A stack of open groups; the outermost is the result, where a missing value simply drops out.
    let mut groups = vec![Group::default()];
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if let Some((name, after)) = placeholder(rest) {
            let value = values
                .iter()
                .find(|(known, _)| *known == name)
                .map(|(_, value)| value.trim())
                .filter(|value| !value.is_empty());
            let group = groups
                .last_mut()
                .expect("the outermost group is never closed");
            match value {
                Some(value) => group.text.push_str(value),
                None => group.missing = true,
            }
            rest = after;
            continue;
        }
        match c {
            '{' | '}' => {}
            '[' => groups.push(Group::default()),
            ']' => close_group(&mut groups),
            _ => groups
                .last_mut()
                .expect("the outermost group is never closed")
                .text
                .push(c),
        }
        rest = &rest[c.len_utf8()..];
    }
    while groups.len() > 1 {
        close_group(&mut groups);
    }
    tidy(&groups[0].text)
}

/// Text gathered inside one `[...]` group of a template.
#[derive(Default)]
struct Group {
    text: String,
    /// Set when a placeholder inside had no value: the group is then left out.
    missing: bool,
}

/// Ends the innermost group, keeping its text only when complete; a `]` that closes nothing is
/// dropped.
fn close_group(groups: &mut Vec<Group>) {
    if groups.len() < 2 {
        return;
    }
    let group = groups.pop().expect("two groups were open");
    if !group.missing {
        let outer = groups.last_mut().expect("one group is still open");
        outer.text.push_str(&group.text);
    }
}

/// When `text` starts with `{name}` (lower-case letters, digits, `_`), the name and what follows.
fn placeholder(text: &str) -> Option<(&str, &str)> {
    let inner = text.strip_prefix('{')?;
    let end = inner.find('}')?;
    let name = &inner[..end];
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    valid.then_some((name, &inner[end + 1..]))
}

/// Mends the spacing and punctuation left where text was left out.
fn tidy(text: &str) -> String {
    fn trim_spaces(out: &mut String) {
        while out.ends_with(' ') {
            out.pop();
        }
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' ' | '\t' => {
                if !out.is_empty() && !out.ends_with([' ', '\n', '(']) {
                    out.push(' ');
                }
            }
            '\n' => {
                trim_spaces(&mut out);
                out.push('\n');
            }
            ',' | ';' | ':' | '.' | '!' | '?' | ')' => {
                trim_spaces(&mut out);
                if c == ')' && out.ends_with('(') {
                    out.pop();
                    trim_spaces(&mut out);
                } else {
                    // A comma right before another mark is the trace of a left-out item.
                    if c != ')' && out.ends_with(',') {
                        out.pop();
                    }
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    out.trim_end().to_string()
}

/// The code part of a reason: trimmed, with a leading group code and its `-` or space removed.
fn reason_code(reason: &str) -> Option<&str> {
    let reason = reason.trim();
    let code = match reason.get(..2) {
        Some(prefix)
            if GROUP_MEANINGS
                .iter()
                .any(|(g, _)| g.eq_ignore_ascii_case(prefix)) =>
        {
            reason[2..].trim_start_matches(['-', ' '])
        }
        _ => reason,
    };
    (!code.is_empty()).then_some(code)
}

/// Parses the CARC table; the error names the line and what is wrong with it.
fn parse_carcs(text: &'static str) -> Result<Vec<Carc>, String> {
    let mut carcs: Vec<Carc> = Vec::new();
    for (n, line) in super::table::data_rows(text, CARC_HEADER)? {
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [
            code,
            meaning,
            action,
            argument,
            enclosures,
            corrections,
            note,
        ] = fields[..]
        else {
            return Err(format!(
                "line {n}: expected 7 tab-separated columns, found {}",
                fields.len()
            ));
        };
        if !is_carc(code) {
            return Err(format!(
                "line {n}: {code:?} is not a CARC (1 to 3 digits, or a capital letter and 1 or 2 digits)"
            ));
        }
        if carcs.iter().any(|c| c.code == code) {
            return Err(format!("line {n}: {code} is listed twice"));
        }
        let Some(action) = Action::ALL.into_iter().find(|a| a.as_str() == action) else {
            return Err(format!("line {n}: {code} has an unknown action {action:?}"));
        };
        for (column, value) in [("meaning", meaning), ("argument", argument), ("note", note)] {
            if value.trim().is_empty() {
                return Err(format!("line {n}: {code} has no {column}"));
            }
        }
        for (column, value) in [
            ("meaning", meaning),
            ("corrections", corrections),
            ("note", note),
        ] {
            plain(value).map_err(|e| format!("line {n}: {code} {column}: {e}"))?;
        }
        for (column, value) in [("argument", argument), ("enclosures", enclosures)] {
            check_template(value).map_err(|e| format!("line {n}: {code} {column}: {e}"))?;
        }
        let enclosures =
            list(enclosures).map_err(|e| format!("line {n}: {code} enclosures: {e}"))?;
        let corrections =
            list(corrections).map_err(|e| format!("line {n}: {code} corrections: {e}"))?;
        if action == Action::CorrectedClaim && corrections.is_empty() {
            return Err(format!(
                "line {n}: {code} asks for a corrected claim but lists no corrections"
            ));
        }
        carcs.push(Carc {
            code,
            meaning: meaning.trim(),
            action,
            argument: argument.trim(),
            enclosures,
            corrections,
            note: note.trim(),
        });
    }
    Ok(carcs)
}

/// Parses the RARC table into (code, meaning) pairs.
fn parse_rarcs(text: &'static str) -> Result<Vec<(&'static str, &'static str)>, String> {
    let mut remarks: Vec<(&'static str, &'static str)> = Vec::new();
    for (n, line) in super::table::data_rows(text, RARC_HEADER)? {
        let fields: Vec<&'static str> = line.split('\t').collect();
        let [code, meaning] = fields[..] else {
            return Err(format!(
                "line {n}: expected 2 tab-separated columns, found {}",
                fields.len()
            ));
        };
        if !is_rarc(code) {
            return Err(format!(
                "line {n}: {code:?} is not a remark code (M, MA or N and 1 to 3 digits)"
            ));
        }
        if remarks.iter().any(|(known, _)| *known == code) {
            return Err(format!("line {n}: {code} is listed twice"));
        }
        if meaning.trim().is_empty() {
            return Err(format!("line {n}: {code} has no meaning"));
        }
        plain(meaning).map_err(|e| format!("line {n}: {code}: {e}"))?;
        remarks.push((code, meaning.trim()));
    }
    Ok(remarks)
}

/// CARCs are 1 to 3 digits, or a capital letter and 1 or 2 digits (B7, P1, W1).
fn is_carc(code: &str) -> bool {
    let digits = |s: &str| (1..=3).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    match code.as_bytes().first() {
        Some(b) if b.is_ascii_uppercase() => code.len() <= 3 && digits(&code[1..]),
        _ => digits(code),
    }
}

/// Remark codes are M, MA or N followed by 1 to 3 digits.
fn is_rarc(code: &str) -> bool {
    let digits = ["MA", "M", "N"]
        .iter()
        .find_map(|prefix| code.strip_prefix(prefix))
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    digits.is_some_and(|d| d.len() <= 3 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Splits a `;`-separated column into trimmed items; an empty column is an empty list.
fn list(column: &'static str) -> Result<Vec<&'static str>, String> {
    if column.trim().is_empty() {
        return Ok(Vec::new());
    }
    let items: Vec<&'static str> = column.split(';').map(str::trim).collect();
    if items.iter().any(|item| item.is_empty()) {
        return Err("an empty item between ';' separators".into());
    }
    Ok(items)
}

/// Plain-text columns are printed as they are, so template marks in them would show.
fn plain(text: &str) -> Result<(), String> {
    match text.find(['{', '}', '[', ']']) {
        Some(i) => Err(format!(
            "{:?} at byte {i} in plain text (only templates use braces and brackets)",
            &text[i..=i]
        )),
        None => Ok(()),
    }
}

/// Checks a template: known placeholders only, brackets paired, no stray braces.
fn check_template(template: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut rest = template;
    while let Some(c) = rest.chars().next() {
        if let Some((name, after)) = placeholder(rest) {
            if !PLACEHOLDERS.iter().any(|(known, _)| *known == name) {
                return Err(format!("unknown placeholder {{{name}}}"));
            }
            rest = after;
            continue;
        }
        match c {
            '{' | '}' => return Err(format!("a stray {c:?}")),
            '[' => depth += 1,
            ']' if depth == 0 => return Err("a ']' that closes nothing".into()),
            ']' => depth -= 1,
            _ => {}
        }
        rest = &rest[c.len_utf8()..];
    }
    if depth > 0 {
        return Err("a '[' that is never closed".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A value for every placeholder, shaped as callers fill them.
    const ALL_VALUES: &[(&str, &str)] = &[
        (
            "referral",
            "the referral from Ana Ruiz, MD, dated 2026-09-30",
        ),
        ("referral_date", "2026-09-30"),
        (
            "diagnoses",
            "M54.50 (low back pain) and M62.830 (muscle spasm of back)",
        ),
        ("pain_trend", "pain fell from 8/10 to 4/10 over 6 visits"),
        ("authorization", "authorization A-55120 for 12 visits"),
        ("visits", "visits 7 to 9 of the 20 the plan allows in 2026"),
        ("units_rule", "the CMS 8-minute rule"),
        ("claim_number", "EV7731002"),
    ];

    /// Sentences end with a stop followed by a space or the end of the text.
    fn sentences(text: &str) -> usize {
        let chars: Vec<char> = text.chars().collect();
        (0..chars.len())
            .filter(|&i| {
                matches!(chars[i], '.' | '!' | '?') && chars.get(i + 1).is_none_or(|c| *c == ' ')
            })
            .count()
    }

    /// Every template of the table: arguments and enclosures.
    fn templates() -> impl Iterator<Item = (&'static str, &'static str)> {
        all().iter().flat_map(|c| {
            std::iter::once((c.code, c.argument)).chain(c.enclosures.iter().map(|e| (c.code, *e)))
        })
    }

    #[test]
    fn embedded_tables_are_well_formed() {
        let carcs = parse_carcs(CARC_DATA).expect("data/carc.tsv parses");
        assert!(carcs.len() >= 35, "{} rows", carcs.len());
        assert_eq!(all().len(), carcs.len());
        let remarks = parse_rarcs(RARC_DATA).expect("data/rarc.tsv parses");
        assert!(remarks.len() >= 30, "{} rows", remarks.len());
    }

    #[test]
    fn design_codes_have_their_actions() {
        use Action::*;
        let expected = [
            ("1", BillPatient),
            ("2", BillPatient),
            ("3", BillPatient),
            ("4", CorrectedClaim),
            ("11", CorrectedClaim),
            ("16", CorrectedClaim),
            ("18", WriteOff),
            ("19", OtherPayer),
            ("20", OtherPayer),
            ("21", OtherPayer),
            ("22", OtherPayer),
            ("27", OtherPayer),
            ("29", Appeal),
            ("45", WriteOff),
            ("50", Appeal),
            ("96", Appeal),
            ("97", CorrectedClaim),
            ("109", OtherPayer),
            ("119", Appeal),
            ("151", Appeal),
            ("167", Appeal),
            ("197", Appeal),
            ("204", Appeal),
            ("236", CorrectedClaim),
            ("B7", FixEnrollment),
        ];
        for (code, action) in expected {
            let carc = lookup(code).unwrap_or_else(|| panic!("{code} is in the table"));
            assert_eq!(carc.action, action, "{code}");
        }
        for carc in all().iter().filter(|c| c.action == CorrectedClaim) {
            assert!(!carc.corrections.is_empty(), "{}", carc.code);
        }
    }

    #[test]
    fn lookup_accepts_the_usual_forms() {
        for reason in ["50", "CO-50", "co50", "CO 50", " co-50 ", "OA-50", "pi50"] {
            assert_eq!(lookup(reason).map(|c| c.code), Some("50"), "{reason:?}");
        }
        for reason in ["B7", "b7", "CO-B7", "co-b7", "COB7"] {
            assert_eq!(lookup(reason).map(|c| c.code), Some("B7"), "{reason:?}");
        }
        assert_eq!(lookup("PR-1").map(|c| c.code), Some("1"));
        assert_eq!(lookup("pr2").map(|c| c.action), Some(Action::BillPatient));
        for unknown in ["", "CO", "CO-", "999", "5O", "CO-50-1", "N115", "É"] {
            assert!(lookup(unknown).is_none(), "{unknown:?}");
        }
    }

    #[test]
    fn remark_codes_of_the_design_notes() {
        for code in [
            "N115", "N130", "N20", "N640", "N435", "N362", "N386", "M15", "M51", "M76", "N290",
            "MA130", "N4", "N479", "N657", "M127", "N522",
        ] {
            assert!(remark(code).is_some(), "{code}");
        }
        assert!(remark("n115").is_some_and(|m| m.contains("Local Coverage Determination")));
        assert!(remark(" N386 ").is_some_and(|m| m.contains("National Coverage Determination")));
        assert!(remark("MA130").is_some_and(|m| m.contains("no appeal rights")));
        assert!(remark("N999").is_none());
        assert!(remark("").is_none());
    }

    #[test]
    fn group_meanings() {
        assert!(group_meaning("CO").contains("may not bill the patient"));
        assert!(group_meaning("pr").starts_with("Patient responsibility"));
        assert!(group_meaning(" OA ").starts_with("Other adjustment"));
        assert!(group_meaning("PI").starts_with("Payer-initiated"));
        assert!(group_meaning("XX").contains("does not know"));
    }

    #[test]
    fn fill_replaces_and_leaves_out_cleanly() {
        let values = [("name", "Jane Doe"), ("blank", "  ")];
        assert_eq!(fill("Dear {name},", &values), "Dear Jane Doe,");
        assert_eq!(fill("Dear {name} {missing},", &values), "Dear Jane Doe,");
        assert_eq!(fill("a {missing} b", &[]), "a b");
        assert_eq!(fill("ends with {blank}.", &values), "ends with.");
        assert_eq!(fill("note ({missing}) here", &[]), "note here");
        assert_eq!(fill("one, {missing}, two", &[]), "one, two");
        assert_eq!(fill("{missing} starts", &[]), "starts");
        // Template braces never print; values print as given and are not read again.
        assert_eq!(fill("{Bad} {x y} {", &[]), "Bad x y");
        assert_eq!(fill("X{EPSU}", &[]), "XEPSU");
        assert_eq!(fill("{a}", &[("a", "{b} [c]"), ("b", "no")]), "{b} [c]");
    }

    #[test]
    fn fill_keeps_a_group_only_when_complete() {
        let t = "Seen. [Ordered in {referral}. ]Improving[: {pain_trend}].";
        assert_eq!(fill(t, &[]), "Seen. Improving.");
        assert_eq!(
            fill(
                t,
                &[
                    ("referral", "the referral of May"),
                    ("pain_trend", "8 to 4")
                ]
            ),
            "Seen. Ordered in the referral of May. Improving: 8 to 4."
        );
        assert_eq!(fill("a[ b[ {x}] c] d", &[]), "a b c d");
        assert_eq!(fill("a[ b {x} c] d", &[]), "a d");
        assert_eq!(fill("a ] b [ c {x}", &[]), "a b");
        assert_eq!(
            fill("Referral[ dated {referral_date}]", ALL_VALUES),
            "Referral dated 2026-09-30"
        );
        assert_eq!(fill("Referral[ dated {referral_date}]", &[]), "Referral");
    }

    #[test]
    fn filled_tables_never_show_template_marks() {
        for (code, template) in templates() {
            for values in [&[][..], ALL_VALUES] {
                let text = fill(template, values);
                assert!(!text.is_empty(), "{code}: {template:?}");
                assert!(
                    !text.contains(['{', '}', '[', ']']) && !text.contains("  "),
                    "{code}: {text:?}"
                );
                assert!(
                    ![" .", " ,", " ;", " :", "()", ",."]
                        .iter()
                        .any(|s| text.contains(s)),
                    "{code}: {text:?}"
                );
            }
        }
        for (code, template) in templates() {
            check_template(template).unwrap_or_else(|e| panic!("{code}: {e}"));
        }
    }

    #[test]
    fn arguments_read_as_letters() {
        for carc in all() {
            let full = fill(carc.argument, ALL_VALUES);
            let bare = fill(carc.argument, &[]);
            assert!((2..=4).contains(&sentences(&full)), "{}: {full}", carc.code);
            assert!(sentences(&bare) >= 2, "{}: {bare}", carc.code);
            assert!(
                full.starts_with(|c: char| c.is_ascii_uppercase()) && full.ends_with('.'),
                "{}: {full}",
                carc.code
            );
            let first_person = ["We ", " we ", "Our ", " our ", " us "];
            assert!(
                first_person.iter().any(|w| full.contains(w)),
                "{}: {full}",
                carc.code
            );
        }
    }

    #[test]
    fn placeholders_are_documented_in_the_table_header() {
        for (name, _) in PLACEHOLDERS {
            let mark = format!("{{{name}}}");
            assert!(
                CARC_DATA
                    .lines()
                    .any(|l| l.starts_with('#') && l.contains(&mark)),
                "{name}"
            );
            assert!(templates().any(|(_, t)| t.contains(&mark)), "{name} unused");
        }
    }

    #[test]
    fn guidance_follows_the_design_notes() {
        let carc = |code: &str| lookup(code).unwrap_or_else(|| panic!("{code}"));
        let joined = |items: &[&str]| items.join("; ");
        let c29 = carc("29");
        assert!(c29.note.contains("only with proof of timely filing"));
        assert!(c29.note.contains("Medicare") && c29.note.contains("cannot be appealed"));
        for code in ["4", "16", "11", "97", "236"] {
            let corrections = joined(&carc(code).corrections);
            assert!(
                corrections.contains("item 22: resubmission code 7"),
                "{code}"
            );
        }
        assert!(carc("16").note.contains("Not an appeal"));
        assert!(carc("4").note.contains("not an appeal"));
        let c4 = joined(&carc("4").corrections);
        assert!(c4.contains("GP") && c4.contains("on every timed therapy line"));
        assert!(joined(&carc("4").corrections).contains("59 or XS on the column-2 code"));
        assert!(joined(&carc("11").corrections).contains("diagnosis pointer"));
        assert!(joined(&carc("16").corrections).contains("MA130"));
        for code in ["97", "236"] {
            assert!(carc(code).note.contains("indicator is 0"), "{code}");
        }
        for code in ["96", "204"] {
            assert!(
                carc(code).note.contains("only on plan-language grounds"),
                "{code}"
            );
        }
        assert!(carc("B7").note.starts_with("Not a clinical appeal"));
        assert!(carc("50").note.contains("180 days") && carc("50").note.contains("120 days"));
        let enclosures = joined(&carc("50").enclosures);
        for document in ["referral", "Plan of care", "SOAP notes", "LCD"] {
            assert!(enclosures.contains(document), "{document}");
        }
    }

    #[test]
    fn meanings_are_paraphrased() {
        // The X12 lists write "claim/service" and "precertification/authorization"; a slash in a
        // meaning is the sign of a copied text.
        for carc in all() {
            assert!(!carc.meaning.contains('/'), "{}", carc.code);
        }
        let remarks = parse_rarcs(RARC_DATA).expect("data/rarc.tsv parses");
        for (code, meaning) in remarks {
            assert!(!meaning.contains('/'), "{code}");
        }
    }

    #[test]
    fn actions_serialize_as_in_the_data() {
        for action in Action::ALL {
            let json = serde_json::to_value(action).expect("an action serializes");
            assert_eq!(json, action.as_str());
        }
        let json = serde_json::to_value(lookup("CO-16")).expect("a CARC serializes");
        assert_eq!(json["action"], "corrected_claim");
        assert_eq!(json["code"], "16");
    }

    #[test]
    fn parse_reports_bad_rows() {
        let carc = |row: &str| -> Result<Vec<Carc>, String> {
            let text: &'static str =
                Box::leak(format!("{CARC_HEADER}\n# comment\n\n{row}\n").into_boxed_str());
            parse_carcs(text)
        };
        let ok =
            "50\tNot necessary\tappeal\tWe appeal. [In {referral}. ]Thanks.\tNotes; Plan\t\tNote";
        assert_eq!(carc(ok).map(|t| t.len()), Ok(1));
        let bad = |row: &str| carc(row).expect_err(row);
        assert!(bad("50\tM\tappeal\tA\t\t").contains("columns"));
        assert!(bad("5000\tM\tappeal\tA\t\t\tN").contains("not a CARC"));
        assert!(bad("BB7\tM\tappeal\tA\t\t\tN").contains("not a CARC"));
        assert!(bad("50\tM\tsue\tA\t\t\tN").contains("unknown action"));
        assert!(bad("50\t \tappeal\tA\t\t\tN").contains("no meaning"));
        assert!(bad("50\tM\tappeal\tA {nope}\t\t\tN").contains("unknown placeholder"));
        assert!(bad("50\tM\tappeal\tA [b\t\t\tN").contains("never closed"));
        assert!(bad("50\tM\tappeal\tA b]\t\t\tN").contains("closes nothing"));
        assert!(bad("50\tM\tappeal\tA {\t\t\tN").contains("stray"));
        assert!(bad("50\tM\tappeal\tA\t\t\tN [x]").contains("plain text"));
        assert!(bad("50\tM\tappeal\tA\tx;;y\t\tN").contains("empty item"));
        assert!(bad("4\tM\tcorrected_claim\tA\t\t\tN").contains("no corrections"));
        assert!(bad(&format!("{ok}\n{ok}")).contains("twice"));
        assert!(parse_carcs("50\tM\tappeal\tA\t\t\tN\n").is_err());
        assert!(parse_carcs("# only a comment\n").is_err());

        let rarc = |row: &str| {
            let text: &'static str = Box::leak(format!("{RARC_HEADER}\n{row}\n").into_boxed_str());
            parse_rarcs(text)
        };
        assert_eq!(rarc("MA130\tUnprocessable").map(|t| t.len()), Ok(1));
        assert!(rarc("X12\tM").is_err_and(|e| e.contains("not a remark code")));
        assert!(rarc("N1234\tM").is_err_and(|e| e.contains("not a remark code")));
        assert!(rarc("N1\t").is_err_and(|e| e.contains("no meaning")));
        assert!(rarc("N1").is_err_and(|e| e.contains("columns")));
        assert!(rarc("N1\tA\nN1\tB").is_err_and(|e| e.contains("twice")));
    }
}
