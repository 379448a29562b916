//! Reading X12 text into segments: the delimiters come from the ISA by position (element
//! separator at byte 3, repetition 82, component 104, terminator 105), with line breaks after
//! terminators ignored.

use super::{Element, Segment};

/// The four delimiters of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delimiters {
    /// Between elements (ISA byte 3).
    pub element: char,
    /// Between repetitions of an element (ISA11).
    pub repetition: char,
    /// Between components of a composite element (ISA16).
    pub component: char,
    /// After each segment (the byte after ISA16).
    pub segment: char,
}

impl Delimiters {
    /// `*`, `^`, `:` and `~`: what claimwright writes and most files use.
    pub const STANDARD: Delimiters = Delimiters {
        element: '*',
        repetition: '^',
        component: ':',
        segment: '~',
    };

    /// The delimiters an ISA declares: by position in a fixed-width ISA, else by counting
    /// its 16 elements, since some senders trim the padded ones.
    pub fn from_isa(text: &str) -> Option<Delimiters> {
        let bytes = text.as_bytes();
        if !text.starts_with("ISA") || bytes.len() < 4 {
            return None;
        }
        let element = bytes[3];
        let positional = (bytes.len() > 105
            && bytes[103] == element
            && bytes[..104].iter().filter(|b| **b == element).count() == 16)
            .then(|| (bytes[82], bytes[104], bytes[105]));
        let (repetition, component, segment) = positional.or_else(|| {
            // Where the 16th element starts, ISA16 is one byte and the terminator follows.
            let starts: Vec<usize> = bytes
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == element)
                .map(|(i, _)| i + 1)
                .take(16)
                .collect();
            let (&isa11, &isa16) = (starts.get(10)?, starts.get(15)?);
            Some((
                *bytes.get(isa11)?,
                *bytes.get(isa16)?,
                *bytes.get(isa16 + 1)?,
            ))
        })?;
        let all = [element, repetition, component, segment];
        let distinct = (1..all.len()).all(|i| !all[..i].contains(&all[i]));
        let usable = all
            .iter()
            .all(|b| b.is_ascii() && !b.is_ascii_alphanumeric() && *b != b' ');
        (distinct && usable).then(|| Delimiters {
            element: char::from(element),
            repetition: char::from(repetition),
            component: char::from(component),
            segment: char::from(segment),
        })
    }
}

/// Why a file could not be read as X12.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The bytes are not text.
    #[error("the file is not text (X12 is plain ASCII)")]
    NotText,
    /// There is nothing to read.
    #[error("the file is empty")]
    Empty,
    /// The file opens with an ISA whose delimiters cannot be told.
    #[error("the ISA segment is too short or its delimiters cannot be told apart")]
    BadIsa,
    /// The file opens with something other than a segment id.
    #[error("the file does not start with an X12 segment")]
    NotX12,
}

/// The segments of `bytes` and the delimiters they were read with: those of the ISA, or for
/// a bare transaction with no envelope, the standard ones around the element separator found
/// after the first segment id.
pub fn read(bytes: &[u8]) -> Result<(Delimiters, Vec<Segment>), ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ReadError::NotText)?;
    let text = text.trim_start_matches('\u{feff}').trim_start();
    if text.is_empty() {
        return Err(ReadError::Empty);
    }
    let delimiters = if text.starts_with("ISA") {
        Delimiters::from_isa(text).ok_or(ReadError::BadIsa)?
    } else {
        let id_len = text
            .bytes()
            .take_while(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            .count();
        let separator = text[id_len..].chars().next().ok_or(ReadError::NotX12)?;
        if !(2..=3).contains(&id_len) || separator.is_ascii_alphanumeric() {
            return Err(ReadError::NotX12);
        }
        Delimiters {
            element: separator,
            ..Delimiters::STANDARD
        }
    };
    Ok((delimiters, tokenize(text, &delimiters)))
}

/// The segments of `text` split with `d`. Line breaks around segments are ignored; the
/// ISA's elements are never split into components, since ISA11 and ISA16 are delimiters.
pub fn tokenize(text: &str, d: &Delimiters) -> Vec<Segment> {
    text.split(d.segment)
        .map(|s| s.trim_matches(['\r', '\n']))
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut parts = s.split(d.element);
            let id = parts.next().unwrap_or_default().to_string();
            let elements = parts
                .map(|e| {
                    if e.is_empty() {
                        // The same empty element that `Segment::trimmed` keeps in place.
                        Element::default()
                    } else if id == "ISA" {
                        Element::simple(e)
                    } else {
                        Element::composite(e.split(d.component))
                    }
                })
                .collect();
            Segment { id, elements }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISA: &str = "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *261130*0000*^*00501*000000001*0*T*:~";

    #[test]
    fn delimiters_come_from_the_isa() {
        assert_eq!(ISA.len(), 106);
        assert_eq!(Delimiters::from_isa(ISA), Some(Delimiters::STANDARD));
        let other = ISA.replace('*', "|").replace(":~", ">\n");
        assert_eq!(
            Delimiters::from_isa(&other),
            Some(Delimiters {
                element: '|',
                repetition: '^',
                component: '>',
                segment: '\n',
            })
        );
        // A trimmed ISA that is not fixed width is read by counting its elements.
        let trimmed =
            "ISA*00* *00* *ZZ*NVMED *ZZ*99999999*180613*1230*^*00501*100000300*0*P*:~GS*HP~";
        assert_eq!(Delimiters::from_isa(trimmed), Some(Delimiters::STANDARD));
        assert_eq!(Delimiters::from_isa("ISA*00*"), None);
        assert_eq!(Delimiters::from_isa("GS*HC"), None);
    }

    #[test]
    fn written_segments_read_back_the_same() {
        let d = Delimiters::STANDARD;
        let built = [
            Segment::new("ISA").values([
                "00",
                "          ",
                "00",
                "          ",
                "ZZ",
                "SENDER         ",
                "ZZ",
                "RECEIVER       ",
                "261130",
                "0000",
                "^",
                "00501",
                "000000001",
                "0",
                "T",
                ":",
            ]),
            Segment::new("HL").values(["1", "", "20", "1"]),
            Segment::new("SV1")
                .composite(["HC", "97124", "GP"])
                .values(["76", "UN", "2", ""])
                .skip(1)
                .composite(["1", "2"]),
            Segment::new("NM1")
                .values(["IL", "1", "DOE", "JANE"])
                .skip(4)
                .value("")
                .skip(2),
        ];
        let text: String = built.iter().map(|s| s.write(&d) + "\n").collect();
        let (found, read_back) = read(text.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(found, d);
        let expected: Vec<Segment> = built.iter().map(Segment::trimmed).collect();
        assert_eq!(read_back, expected);
        assert_eq!(read_back[0].get(16), ":");
        assert_eq!(read_back[2].component(1, 2), "97124");
        assert_eq!(read_back[2].component(7, 2), "2");
    }

    #[test]
    fn bare_transactions_and_junk() {
        let (d, segments) =
            read(b"ST*835*1234~BPR*I*1.5~\r\nSE*3*1234~").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d, Delimiters::STANDARD);
        let ids: Vec<&str> = segments.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["ST", "BPR", "SE"]);
        assert_eq!(read(b""), Err(ReadError::Empty));
        assert_eq!(read(b"\xff\xfe"), Err(ReadError::NotText));
        assert_eq!(read(b"hello world"), Err(ReadError::NotX12));
        assert_eq!(read(b"ISA*00"), Err(ReadError::BadIsa));
    }
}
