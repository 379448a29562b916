//! How NUCC wants text written on the 1500 form: identifiers without hyphens or spaces, names
//! and addresses without punctuation, ZIP codes as digits, and a city line as `CITY ST ZIP`.
//! Each value is written this way before fitting; fitting only shortens.

/// An identifier (member, group, authorization or account number) without the hyphens and
/// spaces NUCC asks to leave out: `NSH902114473-02` prints as `NSH90211447302`.
pub(super) fn identifier(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '-' && !c.is_whitespace())
        .collect()
}

/// A ZIP code as NUCC asks for it: five or nine digits without the hyphen.
pub(super) fn zip(text: &str) -> String {
    identifier(text)
}

/// A name or address without punctuation: letters, digits and single spaces.
// A hyphen or slash between two letters or digits keeps its meaning (Smith-Jones, 123-45 Main
// St, 1/2) and stays; apostrophes and periods go without a trace (O'Brien as OBRIEN, N. Main as
// N MAIN); `&` becomes AND; any other mark becomes a space (`St, Suite 2` as `ST SUITE 2`).
// Parentheses stay for fitting to see: it leaves out a parenthetical when the box is too small,
// and drops the marks themselves otherwise.
pub(super) fn plain(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let between = || {
            let before = i.checked_sub(1).and_then(|j| chars.get(j));
            let after = chars.get(i + 1);
            before.is_some_and(|b| b.is_alphanumeric())
                && after.is_some_and(|a| a.is_alphanumeric())
        };
        match c {
            c if c.is_alphanumeric() || c == '(' || c == ')' => out.push(c),
            '-' | '/' if between() => out.push(c),
            '\'' | '\u{2019}' | '.' => {}
            '&' => out.push_str(" AND "),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fields of names and addresses, which print without punctuation: the parentheses `plain`
/// keeps for fitting are dropped once the value fits.
pub(super) const PLAIN_FIELDS: &[&str] = &[
    "carrier_name",
    "carrier_address1",
    "carrier_address2",
    "carrier_city_state_zip",
    "2",
    "4",
    "5_street",
    "5_city",
    "7_street",
    "7_city",
    "9",
    "17_name",
    "31_name",
    "31_signature",
    "32_name",
    "32_street",
    "32_city_state_zip",
    "33_name",
    "33_street",
    "33_city_state_zip",
];

/// `text` without its parentheses, their contents kept.
pub(super) fn without_parentheses(text: &str) -> String {
    let spaced: String = text
        .chars()
        .map(|c| if c == '(' || c == ')' { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's name for items 2, 4 and 9: `LAST, FIRST`, the one place NUCC wants commas.
pub(super) fn last_first(last: &str, first: &str) -> String {
    format!("{}, {}", plain(last), plain(first)).to_uppercase()
}

/// The last line of an address in items 32 and 33 and the carrier block: a space, not a
/// comma, between the city and the state, and the ZIP code as digits.
pub(super) fn city_state_zip(city: &str, state: &str, zip_code: &str) -> String {
    [plain(city), state.trim().to_string(), zip(zip_code)]
        .iter()
        .filter(|p| !p.is_empty())
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_lose_hyphens_and_spaces() {
        assert_eq!(identifier("NSH902114473-02"), "NSH90211447302");
        assert_eq!(identifier("PA 8841-207"), "PA8841207");
        assert_eq!(zip("04101-3219"), "041013219");
        assert_eq!(zip("04101"), "04101");
    }

    #[test]
    fn names_and_addresses_lose_their_punctuation() {
        assert_eq!(plain("410 Harbor St, Suite 2"), "410 Harbor St Suite 2");
        assert_eq!(plain("123 N. Main Street, #101"), "123 N Main Street 101");
        assert_eq!(plain("O'Brien"), "OBrien");
        assert_eq!(plain("Smith-Jones"), "Smith-Jones");
        assert_eq!(plain("123-45 Main St - Rear"), "123-45 Main St Rear");
        assert_eq!(plain("12 1/2 Elm St"), "12 1/2 Elm St");
        assert_eq!(plain("Bay & Hill, Inc."), "Bay AND Hill Inc");
        assert_eq!(plain("2 Elm St (rear)"), "2 Elm St (rear)");
        assert_eq!(last_first("O'Brien", "Liam J."), "OBRIEN, LIAM J");
        assert_eq!(
            city_state_zip("Portland", "ME", "04101-3219"),
            "Portland ME 041013219"
        );
    }
}
