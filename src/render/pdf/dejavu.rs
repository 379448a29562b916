//! The embedded fonts: DejaVu Sans in four styles and DejaVu Sans Mono in two, bundled under
//! `assets/fonts/` with their licence. Each face is read once, on first use, into what layout
//! and the PDF writer share: the glyph and advance width of every character it can show, and
//! the metrics of its font descriptor.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::fonts::Font;
use super::winansi::{self, Substitution};

const SANS: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const SANS_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");
const SANS_OBLIQUE: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Oblique.ttf");
const SANS_BOLD_OBLIQUE: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-BoldOblique.ttf");
const MONO: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansMono.ttf");
const MONO_BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSansMono-Bold.ttf");

/// Characters below this are found by index rather than hashing: Latin, Greek, Cyrillic and
/// Armenian, which is nearly all the text of a document.
const TABLE_END: usize = 0x800;

/// Right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms):
/// DejaVu draws many of their letters, but set left to right and unshaped they would print
/// backwards and, for Arabic, in the wrong letter forms, so they are transliterated instead.
const RIGHT_TO_LEFT: [(u32, u32); 5] = [
    (0x0590, 0x08FF),
    (0xFB1D, 0xFDFF),
    (0xFE70, 0xFEFF),
    (0x10800, 0x10FFF),
    (0x1E800, 0x1EFFF),
];

/// A glyph of a face and its advance width in thousandths of the font size.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Glyph {
    /// Glyph id in the whole font; 0 (`.notdef`) marks a character the face lacks.
    pub id: u16,
    /// Advance width, in thousandths of the font size.
    pub width: u16,
}

/// One DejaVu face, read.
#[derive(Debug)]
pub(crate) struct Face {
    /// The font this face is.
    pub font: Font,
    /// The whole TrueType file.
    pub data: &'static [u8],
    /// Height of the ascender above the baseline, in thousandths of the font size.
    pub ascender: i32,
    /// Depth of the descender, negative, in thousandths.
    pub descender: i32,
    /// Height of the capitals, in thousandths.
    pub cap_height: i32,
    /// The bounding box of all glyphs (left, bottom, right, top), in thousandths.
    pub bbox: [i32; 4],
    /// Slant in degrees counter-clockwise from vertical (negative for oblique faces).
    pub italic_angle: f32,
    /// Weight class, 400 for regular and 700 for bold.
    pub weight: u16,
    /// Every glyph has the same advance.
    pub monospaced: bool,
    /// Characters below `TABLE_END`, by scalar value.
    table: Vec<Glyph>,
    /// Characters from `TABLE_END` on.
    map: HashMap<char, Glyph>,
    /// Advance width of every glyph by id, in thousandths.
    widths: Vec<u16>,
    /// The character each glyph shows, by id ('\0' for none). No two characters of these
    /// faces share a glyph (a test checks it), so this is exactly what text extraction must
    /// give back for a glyph, and pages need not remember what they printed.
    chars: Vec<char>,
}

/// The face of an embedded font, read on first use; `None` for a core font.
pub(crate) fn face(font: Font) -> Option<&'static Face> {
    static FACES: [OnceLock<Face>; 6] = [const { OnceLock::new() }; 6];
    let (index, data) = match font {
        Font::Sans => (0, SANS),
        Font::SansBold => (1, SANS_BOLD),
        Font::SansOblique => (2, SANS_OBLIQUE),
        Font::SansBoldOblique => (3, SANS_BOLD_OBLIQUE),
        Font::Mono => (4, MONO),
        Font::MonoBold => (5, MONO_BOLD),
        _ => return None,
    };
    Some(FACES[index].get_or_init(|| Face::read(font, data)))
}

/// Thousandths of the font size from font units.
fn thousandths(units: i32, units_per_em: i32) -> i32 {
    // Rounded once here, so that layout and the PDF's /W array agree to the unit.
    ((units * 1000) as f32 / units_per_em as f32).round() as i32
}

/// The height of the capitals in font units: from the OS/2 table when it says (DejaVu's is too
/// old a version to), else the top of the "H".
fn cap_height(face: &ttf_parser::Face<'_>) -> i16 {
    face.capital_height()
        .or_else(|| {
            let h = face.glyph_index('H')?;
            Some(face.glyph_bounding_box(h)?.y_max)
        })
        .unwrap_or(face.ascender())
}

impl Face {
    /// Reads a bundled face. The files are part of the program and a unit test reads each
    /// one, so a failure here is a broken build, not bad input.
    fn read(font: Font, data: &'static [u8]) -> Face {
        let parsed = ttf_parser::Face::parse(data, 0).expect("the bundled DejaVu font parses");
        let em = i32::from(parsed.units_per_em());
        let scale = |units: i16| thousandths(i32::from(units), em);
        let widths: Vec<u16> = (0..parsed.number_of_glyphs())
            .map(|id| {
                let advance = parsed
                    .glyph_hor_advance(ttf_parser::GlyphId(id))
                    .unwrap_or(0);
                thousandths(i32::from(advance), em).clamp(0, i32::from(u16::MAX)) as u16
            })
            .collect();
        let mut table = vec![Glyph::default(); TABLE_END];
        let mut map = HashMap::new();
        let mut chars = vec!['\0'; widths.len()];
        let mut add = |code: u32| {
            let Some(c) = char::from_u32(code) else {
                return;
            };
            if c.is_control() || RIGHT_TO_LEFT.iter().any(|(a, b)| (*a..=*b).contains(&code)) {
                return;
            }
            let Some(id) = parsed.glyph_index(c).filter(|id| id.0 != 0) else {
                return;
            };
            let width = widths.get(usize::from(id.0)).copied().unwrap_or(0);
            let glyph = Glyph { id: id.0, width };
            if let Some(slot) = chars.get_mut(usize::from(id.0)) {
                // The lowest character wins, should two ever share a glyph.
                if *slot == '\0' || c < *slot {
                    *slot = c;
                }
            }
            match table.get_mut(code as usize) {
                Some(slot) => *slot = glyph,
                None => {
                    map.insert(c, glyph);
                }
            }
        };
        if let Some(cmap) = parsed.tables().cmap {
            for subtable in cmap.subtables.into_iter().filter(|s| s.is_unicode()) {
                subtable.codepoints(&mut add);
            }
        }
        let rect = parsed.global_bounding_box();
        Face {
            font,
            data,
            ascender: scale(parsed.ascender()),
            descender: scale(parsed.descender()),
            cap_height: scale(cap_height(&parsed)),
            bbox: [rect.x_min, rect.y_min, rect.x_max, rect.y_max].map(scale),
            italic_angle: parsed.italic_angle(),
            weight: parsed.weight().to_number(),
            monospaced: parsed.is_monospaced(),
            table,
            map,
            widths,
            chars,
        }
    }

    /// The character a glyph shows, if any.
    pub(crate) fn char_of(&self, id: u16) -> Option<char> {
        self.chars
            .get(usize::from(id))
            .copied()
            .filter(|c| *c != '\0')
    }

    /// Number of glyphs in the whole face.
    pub(crate) fn glyph_count(&self) -> usize {
        self.widths.len()
    }

    /// The glyph that shows `c`, if this face has one and can set it left to right.
    pub(crate) fn glyph(&self, c: char) -> Option<Glyph> {
        let glyph = match self.table.get(c as usize) {
            Some(glyph) => *glyph,
            None => *self.map.get(&c)?,
        };
        (glyph.id != 0).then_some(glyph)
    }

    /// Advance width of a glyph by id, in thousandths.
    pub(crate) fn glyph_width(&self, id: u16) -> u16 {
        self.widths.get(usize::from(id)).copied().unwrap_or(0)
    }

    /// Walks `text` as it will print: `glyph` is called with each glyph shown and the character
    /// it stands for, and `substituted` once for each character that had to be replaced (by its
    /// transliteration, whose glyphs are shown instead). Tabs and line ends print as spaces.
    pub(crate) fn each_glyph(
        &self,
        text: &str,
        mut glyph: impl FnMut(Glyph, char),
        mut substituted: impl FnMut(Substitution),
    ) {
        for c in text.chars() {
            let c = if matches!(c, '\t' | '\n' | '\r') {
                ' '
            } else {
                c
            };
            if let Some(found) = self.glyph(c) {
                glyph(found, c);
                continue;
            }
            let replacement = winansi::transliterate(c);
            for r in replacement.chars() {
                if let Some(found) = self.glyph(r) {
                    glyph(found, r);
                }
            }
            let right_to_left = RIGHT_TO_LEFT
                .iter()
                .any(|(a, b)| (*a..=*b).contains(&u32::from(c)));
            substituted(Substitution {
                original: c,
                replacement,
                reason: if right_to_left {
                    "belongs to a right-to-left script, which the PDF does not lay out,"
                } else {
                    "has no glyph in the PDF's font (DejaVu Sans)"
                },
            });
        }
    }

    /// The glyph ids of printable ASCII `text`, two bytes each, without its trailing spaces;
    /// None for any other text, which [`Face::each_glyph`] walks. Most text is printable
    /// ASCII, and every face has a glyph for each of its characters.
    pub(crate) fn ascii_codes(&self, text: &str) -> Option<Vec<u8>> {
        let text = text.trim_end_matches(' ');
        if !text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
            return None;
        }
        let mut bytes = Vec::with_capacity(2 * text.len());
        for b in text.bytes() {
            bytes.extend(self.table[usize::from(b)].id.to_be_bytes());
        }
        Some(bytes)
    }

    /// Width of `text` in thousandths of the font size, as [`Face::each_glyph`] prints it.
    pub(crate) fn width(&self, text: &str) -> u32 {
        if text.is_ascii() {
            // Layout measures every word and character; ASCII is looked up directly, with the
            // same outcome: tabs and line ends are spaces, other controls print nothing.
            return text
                .bytes()
                .map(|b| {
                    let b = if matches!(b, b'\t' | b'\n' | b'\r') {
                        b' '
                    } else {
                        b
                    };
                    u32::from(self.table[usize::from(b)].width)
                })
                .sum();
        }
        let mut total = 0u32;
        self.each_glyph(text, |glyph, _| total += u32::from(glyph.width), |_| {});
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EMBEDDED: [Font; 6] = [
        Font::Sans,
        Font::SansBold,
        Font::SansOblique,
        Font::SansBoldOblique,
        Font::Mono,
        Font::MonoBold,
    ];

    #[test]
    fn every_bundled_face_reads_and_shows_printable_ascii() {
        for font in EMBEDDED {
            let face = face(font).expect("an embedded font has a face");
            assert!(
                (700..760).contains(&face.cap_height),
                "{font:?}: {}",
                face.cap_height
            );
            assert!(
                face.descender < 0 && face.ascender > face.cap_height,
                "{font:?}"
            );
            for c in ' '..='~' {
                let glyph = face.glyph(c);
                assert!(glyph.is_some_and(|g| g.width > 0), "{font:?} lacks {c:?}");
            }
        }
        assert!(face(Font::Helvetica).is_none());
        let mono = face(Font::Mono).expect("mono");
        assert!(mono.monospaced);
        assert_eq!(mono.width("iiii"), mono.width("MMMM"));
    }

    #[test]
    fn no_two_characters_share_a_glyph() {
        for font in EMBEDDED {
            let face = face(font).expect("embedded");
            for c in (0..0x30000).filter_map(char::from_u32) {
                if let Some(glyph) = face.glyph(c) {
                    assert_eq!(face.char_of(glyph.id), Some(c), "{font:?}");
                }
            }
        }
    }

    #[test]
    fn names_in_many_scripts_have_glyphs() {
        let sans = face(Font::Sans).expect("sans");
        for name in [
            "Nguyễn",
            "Łukasz",
            "Zoë",
            "Øyvind",
            "Şahin",
            "Αλέξανδρος",
            "Дмитрий",
            "Արամ",
            "ნინო",
        ] {
            for c in name.chars() {
                assert!(sans.glyph(c).is_some(), "{name}: {c:?}");
            }
        }
    }

    #[test]
    fn right_to_left_and_missing_characters_are_substituted() {
        let sans = face(Font::Sans).expect("sans");
        let mut shown = String::new();
        let mut reasons = Vec::new();
        sans.each_glyph(
            "a\u{5E9}中\tb",
            |_, c| shown.push(c),
            |s| reasons.push((s.original, s.reason)),
        );
        assert_eq!(shown, "ashZhong b");
        assert!(reasons[0].1.contains("right-to-left"), "{reasons:?}");
        assert!(reasons[1].1.contains("no glyph"), "{reasons:?}");
    }

    #[test]
    fn widths_are_the_fonts_own_advances() {
        let sans = face(Font::Sans).expect("sans");
        // DejaVu Sans: 'A' advances 1401 units of 2048, the space 651.
        assert_eq!(sans.width("A"), 684);
        assert_eq!(sans.width(" "), 318);
        assert_eq!(sans.width("A A"), 684 * 2 + 318);
        let mut walked = Vec::new();
        sans.each_glyph("Hi there", |g, _| walked.extend(g.id.to_be_bytes()), |_| {});
        assert_eq!(sans.ascii_codes("Hi there  "), Some(walked));
        assert_eq!(sans.ascii_codes("tab\t"), None);
        // The direct ASCII measure agrees with the walk over glyphs.
        for text in ["Hello, world!", "a\tb\nc\u{7}d", "~{}|"] {
            let mut walked = 0;
            sans.each_glyph(text, |g, _| walked += u32::from(g.width), |_| {});
            assert_eq!(sans.width(text), walked, "{text:?}");
        }
    }
}
