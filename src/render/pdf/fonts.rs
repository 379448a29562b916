//! The fonts of the PDFs: the core fonts, with their true glyph widths read once from Adobe's AFM
//! files (shipped by the `pdf-core-14-font-afms` crate) and indexed by WinAnsi code, and the
//! embedded DejaVu fonts, measured from their own tables (see `dejavu`).

use std::collections::HashMap;
use std::sync::OnceLock;

use super::{dejavu, winansi};

/// A font text is set in: a PDF core font, which every reader has and which holds WinAnsi
/// only, or a DejaVu font, subset into each PDF that uses it, which holds most scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Font {
    /// Helvetica, the body font.
    Helvetica,
    /// Helvetica Bold.
    HelveticaBold,
    /// Helvetica Oblique (italic).
    HelveticaOblique,
    /// Helvetica Bold Oblique.
    HelveticaBoldOblique,
    /// Times Roman.
    TimesRoman,
    /// Times Bold.
    TimesBold,
    /// Times Italic.
    TimesItalic,
    /// Times Bold Italic.
    TimesBoldItalic,
    /// Courier, fixed pitch.
    Courier,
    /// Courier Bold.
    CourierBold,
    /// Courier Oblique.
    CourierOblique,
    /// Courier Bold Oblique.
    CourierBoldOblique,
    /// DejaVu Sans, embedded.
    Sans,
    /// DejaVu Sans Bold, embedded.
    SansBold,
    /// DejaVu Sans Oblique, embedded.
    SansOblique,
    /// DejaVu Sans Bold Oblique, embedded.
    SansBoldOblique,
    /// DejaVu Sans Mono, embedded; it also stands in for its oblique.
    Mono,
    /// DejaVu Sans Mono Bold, embedded; it also stands in for its bold oblique.
    MonoBold,
}

impl Font {
    /// Every font, in the order of their resource names.
    pub const ALL: [Font; 18] = [
        Font::Helvetica,
        Font::HelveticaBold,
        Font::HelveticaOblique,
        Font::HelveticaBoldOblique,
        Font::TimesRoman,
        Font::TimesBold,
        Font::TimesItalic,
        Font::TimesBoldItalic,
        Font::Courier,
        Font::CourierBold,
        Font::CourierOblique,
        Font::CourierBoldOblique,
        Font::Sans,
        Font::SansBold,
        Font::SansOblique,
        Font::SansBoldOblique,
        Font::Mono,
        Font::MonoBold,
    ];

    /// The PostScript name written as the font's `/BaseFont`.
    pub fn base_name(self) -> &'static str {
        match self {
            Font::Helvetica => "Helvetica",
            Font::HelveticaBold => "Helvetica-Bold",
            Font::HelveticaOblique => "Helvetica-Oblique",
            Font::HelveticaBoldOblique => "Helvetica-BoldOblique",
            Font::TimesRoman => "Times-Roman",
            Font::TimesBold => "Times-Bold",
            Font::TimesItalic => "Times-Italic",
            Font::TimesBoldItalic => "Times-BoldItalic",
            Font::Courier => "Courier",
            Font::CourierBold => "Courier-Bold",
            Font::CourierOblique => "Courier-Oblique",
            Font::CourierBoldOblique => "Courier-BoldOblique",
            Font::Sans => "DejaVuSans",
            Font::SansBold => "DejaVuSans-Bold",
            Font::SansOblique => "DejaVuSans-Oblique",
            Font::SansBoldOblique => "DejaVuSans-BoldOblique",
            Font::Mono => "DejaVuSansMono",
            Font::MonoBold => "DejaVuSansMono-Bold",
        }
    }

    /// Whether the font is embedded in the PDF (a DejaVu font) rather than a core font.
    pub fn is_embedded(self) -> bool {
        use Font::*;
        matches!(
            self,
            Sans | SansBold | SansOblique | SansBoldOblique | Mono | MonoBold
        )
    }

    /// The DejaVu face of an embedded font.
    pub(crate) fn face(self) -> Option<&'static dejavu::Face> {
        dejavu::face(self)
    }

    /// The font of the same family with the given weight and slant.
    pub fn styled(self, bold: bool, italic: bool) -> Font {
        use Font::*;
        let family = match self {
            Helvetica | HelveticaBold | HelveticaOblique | HelveticaBoldOblique => [
                Helvetica,
                HelveticaBold,
                HelveticaOblique,
                HelveticaBoldOblique,
            ],
            TimesRoman | TimesBold | TimesItalic | TimesBoldItalic => {
                [TimesRoman, TimesBold, TimesItalic, TimesBoldItalic]
            }
            Courier | CourierBold | CourierOblique | CourierBoldOblique => {
                [Courier, CourierBold, CourierOblique, CourierBoldOblique]
            }
            Sans | SansBold | SansOblique | SansBoldOblique => {
                [Sans, SansBold, SansOblique, SansBoldOblique]
            }
            Mono | MonoBold => [Mono, MonoBold, Mono, MonoBold],
        };
        family[usize::from(bold) + 2 * usize::from(italic)]
    }

    /// The name under which pages refer to the font in their resources, stable per font.
    pub(crate) fn resource_name(self) -> String {
        let index = Font::ALL.iter().position(|f| *f == self).unwrap_or(0);
        format!("F{}", index + 1)
    }

    /// The AFM file of a core font; none for an embedded one.
    fn afm(self) -> Option<&'static str> {
        use pdf_core_14_font_afms as afm;
        Some(match self {
            Font::Helvetica => afm::HELVETICA,
            Font::HelveticaBold => afm::HELVETICA_BOLD,
            Font::HelveticaOblique => afm::HELVETICA_OBLIQUE,
            Font::HelveticaBoldOblique => afm::HELVETICA_BOLD_OBLIQUE,
            Font::TimesRoman => afm::TIMES_ROMAN,
            Font::TimesBold => afm::TIMES_BOLD,
            Font::TimesItalic => afm::TIMES_ITALIC,
            Font::TimesBoldItalic => afm::TIMES_BOLD_ITALIC,
            Font::Courier => afm::COURIER,
            Font::CourierBold => afm::COURIER_BOLD,
            Font::CourierOblique => afm::COURIER_OBLIQUE,
            Font::CourierBoldOblique => afm::COURIER_BOLD_OBLIQUE,
            Font::Sans
            | Font::SansBold
            | Font::SansOblique
            | Font::SansBoldOblique
            | Font::Mono
            | Font::MonoBold => return None,
        })
    }

    /// The metrics of a core font (Helvetica's for an embedded font, which has its own).
    fn metrics(self) -> &'static Metrics {
        static METRICS: OnceLock<Vec<Metrics>> = OnceLock::new();
        let all = METRICS.get_or_init(|| {
            Font::ALL
                .iter()
                .map_while(|f| f.afm())
                .map(Metrics::parse)
                .collect()
        });
        let index = Font::ALL.iter().position(|f| *f == self).unwrap_or(0);
        all.get(index).unwrap_or(&all[0])
    }
}

/// What layout needs of one font, in thousandths of the font size.
#[derive(Debug)]
struct Metrics {
    /// Advance width of each WinAnsi code; 0 for codes without a glyph.
    widths: [u16; 256],
    /// Height of the tallest letters above the baseline.
    ascender: i32,
    /// Depth of descenders below the baseline, negative.
    descender: i32,
}

impl Metrics {
    /// Reads the `C ... ; WX ... ; N ... ;` lines and the ascender and descender of an AFM file.
    fn parse(afm: &str) -> Metrics {
        let mut by_name: HashMap<&str, u16> = HashMap::new();
        let mut ascender = 718;
        let mut descender = -207;
        for line in afm.lines() {
            if let Some(value) = line.strip_prefix("Ascender ") {
                ascender = value.trim().parse().unwrap_or(ascender);
            } else if let Some(value) = line.strip_prefix("Descender ") {
                descender = value.trim().parse().unwrap_or(descender);
            } else if line.starts_with("C ") {
                let mut width = None;
                let mut name = None;
                for field in line.split(';') {
                    let field = field.trim();
                    if let Some(value) = field.strip_prefix("WX ") {
                        width = value.trim().parse::<u16>().ok();
                    } else if let Some(value) = field.strip_prefix("N ") {
                        name = Some(value.trim());
                    }
                }
                if let (Some(width), Some(name)) = (width, name) {
                    by_name.insert(name, width);
                }
            }
        }
        let mut widths = [0u16; 256];
        for (code, slot) in (0u8..=255).zip(widths.iter_mut()) {
            if let Some(name) = winansi::glyph_name(code) {
                *slot = by_name.get(name).copied().unwrap_or(0);
            }
        }
        Metrics {
            widths,
            ascender,
            descender,
        }
    }
}

/// Width in points of `text` set in `font` at `size`, as it will be printed: characters the
/// font cannot show are measured as their transliteration. Fonts are not kerned here, nor when
/// printed, so widths add up.
pub fn text_width(font: Font, size: f32, text: &str) -> f32 {
    if let Some(face) = font.face() {
        return face.width(text) as f32 * size / 1000.0;
    }
    let widths = &font.metrics().widths;
    let thousandths: u32 = if text.is_ascii() {
        text.bytes()
            .map(|b| u32::from(widths[usize::from(b)]))
            .sum()
    } else {
        winansi::encode(text)
            .bytes
            .iter()
            .map(|&b| u32::from(widths[usize::from(b)]))
            .sum()
    };
    thousandths as f32 * size / 1000.0
}

/// Width in points of the glyph of one WinAnsi code.
pub(crate) fn code_width(font: Font, size: f32, code: u8) -> f32 {
    f32::from(font.metrics().widths[usize::from(code)]) * size / 1000.0
}

/// Height in points of the font's capitals above the baseline at `size`, which layout centres
/// in a line. (A core font's AFM `Ascender` is its cap height; DejaVu's ascender also makes room
/// for accents on capitals, and would sink every line.)
pub fn ascent(font: Font, size: f32) -> f32 {
    let thousandths = match font.face() {
        Some(face) => face.cap_height,
        None => font.metrics().ascender,
    };
    thousandths as f32 * size / 1000.0
}

/// Depth in points of the font's descender below the baseline at `size`, as a positive number.
pub fn descent(font: Font, size: f32) -> f32 {
    let thousandths = match font.face() {
        Some(face) => face.descender,
        None => font.metrics().descender,
    };
    -(thousandths as f32) * size / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_winansi_glyph_has_a_width_in_every_font() {
        for font in Font::ALL {
            if font.is_embedded() {
                continue;
            }
            for code in 32u8..=255 {
                if winansi::glyph_name(code).is_some() {
                    assert!(
                        code_width(font, 1000.0, code) > 0.0,
                        "{} lacks code {code:#x}",
                        font.base_name()
                    );
                }
            }
        }
    }

    #[test]
    fn widths_match_adobe_metrics() {
        // Values from Helvetica.afm and Times-Roman.afm, not from the table under test.
        assert_eq!(text_width(Font::Helvetica, 1000.0, "A"), 667.0);
        assert_eq!(text_width(Font::Helvetica, 10.0, "Hello"), 22.78);
        assert_eq!(text_width(Font::HelveticaBold, 1000.0, "'"), 238.0);
        assert_eq!(text_width(Font::TimesRoman, 1000.0, "é"), 444.0);
        assert_eq!(text_width(Font::Courier, 12.0, "any text"), 8.0 * 7.2);
        assert_eq!(text_width(Font::Helvetica, 1000.0, "•"), 350.0);
    }

    #[test]
    fn transliterated_text_is_measured_as_printed() {
        let arrow = text_width(Font::Helvetica, 10.0, "→");
        assert_eq!(arrow, text_width(Font::Helvetica, 10.0, "->"));
    }

    #[test]
    fn styles_stay_in_their_family() {
        assert_eq!(Font::TimesRoman.styled(true, true), Font::TimesBoldItalic);
        assert_eq!(Font::HelveticaBold.styled(false, false), Font::Helvetica);
        assert_eq!(Font::CourierOblique.styled(true, false), Font::CourierBold);
        assert!(ascent(Font::Helvetica, 10.0) > descent(Font::Helvetica, 10.0));
    }
}
