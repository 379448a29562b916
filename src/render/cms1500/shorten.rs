//! Shortening a value to its box by rules that keep it readable, each tried only while the
//! value is still too long: the USPS abbreviations (street suffixes and unit designators in a
//! street line, common words of a city name), then leaving out a parenthetical, then cutting
//! after the last whole word that fits.

use std::fmt;

/// One rule applied to make a value fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    /// Words were abbreviated as USPS Publication 28 does (Street as ST, Suite as STE).
    Abbreviated,
    /// A parenthetical was left out.
    ParentheticalDropped,
    /// The value was cut after its last whole word that fits.
    CutAtWord,
    /// The value was cut inside a word: no word boundary kept half the box.
    CutInWord,
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Step::Abbreviated => "USPS abbreviations",
            Step::ParentheticalDropped => "a parenthetical left out",
            Step::CutAtWord => "cut after a whole word",
            Step::CutInWord => "cut inside a word",
        })
    }
}

/// Which rules a field's values take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A street line: suffix and unit abbreviations.
    Street,
    /// A city alone: city-word abbreviations.
    City,
    /// `CITY ST ZIP`: only the city is shortened, the state and ZIP never.
    CityLine,
    /// Anything else: a parenthetical, then a cut.
    Text,
}

/// The kind of the field with this grid id.
pub(super) fn kind(id: &str) -> Kind {
    if id.ends_with("_street") || id.starts_with("carrier_address") {
        Kind::Street
    } else if id.ends_with("_city_state_zip") {
        Kind::CityLine
    } else if id.ends_with("_city") {
        Kind::City
    } else {
        Kind::Text
    }
}

/// USPS street suffixes (Publication 28, appendix C1), the common ones.
const SUFFIXES: &[(&str, &str)] = &[
    ("ALLEY", "ALY"),
    ("AVENUE", "AVE"),
    ("BOULEVARD", "BLVD"),
    ("CENTER", "CTR"),
    ("CIRCLE", "CIR"),
    ("COURT", "CT"),
    ("COVE", "CV"),
    ("CROSSING", "XING"),
    ("DRIVE", "DR"),
    ("EXPRESSWAY", "EXPY"),
    ("EXTENSION", "EXT"),
    ("FREEWAY", "FWY"),
    ("HEIGHTS", "HTS"),
    ("HIGHWAY", "HWY"),
    ("JUNCTION", "JCT"),
    ("LANE", "LN"),
    ("MOUNTAIN", "MTN"),
    ("PARKWAY", "PKWY"),
    ("PLACE", "PL"),
    ("PLAZA", "PLZ"),
    ("POINT", "PT"),
    ("ROAD", "RD"),
    ("ROUTE", "RTE"),
    ("SQUARE", "SQ"),
    ("STREET", "ST"),
    ("TERRACE", "TER"),
    ("TRAIL", "TRL"),
    ("TURNPIKE", "TPKE"),
];

/// USPS secondary unit designators (Publication 28, appendix C2).
const UNITS: &[(&str, &str)] = &[
    ("APARTMENT", "APT"),
    ("BASEMENT", "BSMT"),
    ("BUILDING", "BLDG"),
    ("DEPARTMENT", "DEPT"),
    ("FLOOR", "FL"),
    ("OFFICE", "OFC"),
    ("PENTHOUSE", "PH"),
    ("ROOM", "RM"),
    ("SUITE", "STE"),
    ("TRAILER", "TRLR"),
];

/// Words of city names that USPS abbreviates in its approved short city names.
const CITY_WORDS: &[(&str, &str)] = &[
    ("BEACH", "BCH"),
    ("CENTER", "CTR"),
    ("EAST", "E"),
    ("FALLS", "FLS"),
    ("FORT", "FT"),
    ("HEIGHTS", "HTS"),
    ("ISLAND", "IS"),
    ("JUNCTION", "JCT"),
    ("LAKE", "LK"),
    ("MOUNT", "MT"),
    ("NORTH", "N"),
    ("PORT", "PT"),
    ("SAINT", "ST"),
    ("SOUTH", "S"),
    ("SPRINGS", "SPGS"),
    ("VILLAGE", "VLG"),
    ("WEST", "W"),
];

fn lookup(table: &[(&str, &'static str)], word: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(long, _)| *long == word)
        .map(|(_, short)| *short)
}

/// `text` (upper-case ASCII) within `width` characters, and the rules it took; none when it fit.
pub(super) fn shorten(text: &str, width: usize, kind: Kind) -> (String, Vec<Step>) {
    if text.len() <= width {
        return (text.to_string(), Vec::new());
    }
    if kind == Kind::CityLine
        && let Some((city, tail)) = split_city_line(text)
        && tail.len() + 2 <= width
    {
        let (city, steps) = shorten(city, width - tail.len() - 1, Kind::City);
        return (format!("{city} {tail}"), steps);
    }
    let mut steps = Vec::new();
    let mut value = words(text).join(" ");
    let abbreviated = match kind {
        Kind::Street => abbreviate_street(&value),
        Kind::City | Kind::CityLine if value.contains(' ') => abbreviate(&value, CITY_WORDS),
        _ => value.clone(),
    };
    if abbreviated != value {
        value = abbreviated;
        steps.push(Step::Abbreviated);
    }
    if value.len() > width && value.contains('(') {
        value = drop_parentheticals(&value);
        steps.push(Step::ParentheticalDropped);
    }
    if value.len() > width {
        let (cut, step) = cut(&value, width);
        value = cut;
        steps.push(step);
    }
    (value, steps)
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

/// The city and `ST ZIP` of a city line, when it has all three.
fn split_city_line(text: &str) -> Option<(&str, &str)> {
    let mut spaces = text.rmatch_indices(' ').map(|(i, _)| i);
    let _zip = spaces.next()?;
    let state = spaces.next()?;
    let (city, tail) = (text[..state].trim(), &text[state + 1..]);
    (!city.is_empty()).then_some((city, tail))
}

fn abbreviate(text: &str, table: &[(&str, &'static str)]) -> String {
    words(text)
        .iter()
        .map(|w| lookup(table, w).unwrap_or(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Suffixes and unit designators abbreviated; a suffix word followed by another suffix is the
/// street's name (COURT STREET is COURT ST), so it stays whole.
fn abbreviate_street(text: &str) -> String {
    let words = words(text);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let next_is_suffix = words
                .get(i + 1)
                .is_some_and(|n| lookup(SUFFIXES, n).is_some());
            match lookup(UNITS, w) {
                Some(short) => short,
                None if next_is_suffix => w,
                None => lookup(SUFFIXES, w).unwrap_or(w),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` without its parenthetical parts; an unclosed `(` leaves out the rest.
fn drop_parentheticals(text: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    words(&out).join(" ")
}

/// `text` cut to `width`: after the last whole word that fits when that keeps at least half
/// the box, else at the width. The cut never leaves an open `(` or a trailing mark.
fn cut(text: &str, width: usize) -> (String, Step) {
    let bytes = text.as_bytes();
    // Text is ASCII here, so a byte index is a character index.
    let at_word = (1..=width.min(bytes.len()))
        .rev()
        .find(|&i| bytes.get(i).is_none_or(|b| *b == b' '));
    let (end, step) = match at_word {
        Some(end) if end * 2 >= width => (end, Step::CutAtWord),
        _ => (width.min(bytes.len()), Step::CutInWord),
    };
    let mut out = text[..end].trim_end().to_string();
    let open = out.matches('(').count();
    if open > out.matches(')').count()
        && let Some(i) = out.rfind('(')
    {
        out.truncate(i);
    }
    let tidy = out.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != ')');
    (tidy.to_string(), step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streets_take_usps_abbreviations_first() {
        let (s, steps) = shorten("410 HARBOR STREET SUITE 2 REAR BUILDING", 29, Kind::Street);
        assert_eq!(s, "410 HARBOR ST STE 2 REAR BLDG");
        assert_eq!(steps, [Step::Abbreviated]);
        let (s, _) = shorten("1 COURT STREET APARTMENT 4 NORTH WING", 24, Kind::Street);
        assert_eq!(s, "1 COURT ST APT 4 NORTH");
        // What fits is left alone.
        assert_eq!(
            shorten("12 AVENUE ROAD", 20, Kind::Street).0,
            "12 AVENUE ROAD"
        );
    }

    #[test]
    fn then_a_parenthetical_goes_then_a_cut_after_a_word() {
        let (s, steps) = shorten("HARBOR STREET MASSAGE (MAIN OFFICE)", 26, Kind::Text);
        assert_eq!(s, "HARBOR STREET MASSAGE");
        assert_eq!(steps, [Step::ParentheticalDropped]);
        let (s, steps) = shorten("HARBOR STREET MASSAGE THERAPY", 26, Kind::Text);
        assert_eq!(s, "HARBOR STREET MASSAGE");
        assert_eq!(steps, [Step::CutAtWord]);
        let (s, steps) = shorten("WOLFESCHLEGELSTEINHAUSEN, HUBERT", 28, Kind::Text);
        assert_eq!(s, "WOLFESCHLEGELSTEINHAUSEN");
        assert_eq!(steps, [Step::CutAtWord]);
        let (s, steps) = shorten("AB CDEFGHIJKLMNOPQRSTUVWXYZ", 10, Kind::Text);
        assert_eq!(s, "AB CDEFGHI");
        assert_eq!(steps, [Step::CutInWord]);
    }

    #[test]
    fn a_cut_never_leaves_an_open_parenthesis() {
        let (s, _) = shorten("NORTHSTAR SELECT PPO (GROUP 12", 24, Kind::Text);
        assert_eq!(s, "NORTHSTAR SELECT PPO");
        let (s, _) = cut("NORTHSTAR (SELECT PPO", 16);
        assert_eq!(s, "NORTHSTAR");
        let (s, _) = cut("HARTLEY, ELLEN MARIE", 10);
        assert_eq!(s, "HARTLEY");
    }

    #[test]
    fn a_city_line_keeps_its_state_and_zip() {
        let (s, steps) = shorten("SOUTH PORTLAND ME 041063219", 26, Kind::CityLine);
        assert_eq!(s, "S PORTLAND ME 041063219");
        assert_eq!(steps, [Step::Abbreviated]);
        let (s, steps) = shorten("CAPE ELIZABETH HEIGHTS ME 041073219", 26, Kind::CityLine);
        assert_eq!(s, "CAPE ELIZABET ME 041073219");
        assert_eq!(steps, [Step::Abbreviated, Step::CutInWord]);
        assert_eq!(kind("33_city_state_zip"), Kind::CityLine);
        assert_eq!(kind("5_city"), Kind::City);
        assert_eq!(kind("32_street"), Kind::Street);
        assert_eq!(kind("2"), Kind::Text);
    }
}
