//! A low-level drawing surface of US Letter pages: text, lines, rectangles in points. Text in
//! a core font is kept as WinAnsi bytes, text in an embedded font as glyph ids; `writer` turns
//! the pages into a file.

use std::collections::BTreeSet;

use super::content::Op;
use super::dejavu::Face;
use super::fonts::{Font, code_width};
use super::winansi::{self, Substitution};

/// Width of a US Letter page in points.
pub const PAGE_WIDTH: f32 = 612.0;
/// Height of a US Letter page in points.
pub const PAGE_HEIGHT: f32 = 792.0;

/// An RGB colour with components from 0 to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Color {
    /// Red, 0 to 1.
    pub r: f32,
    /// Green, 0 to 1.
    pub g: f32,
    /// Blue, 0 to 1.
    pub b: f32,
}

impl Color {
    /// Black.
    pub const BLACK: Color = Color::grey(0.0);
    /// White.
    pub const WHITE: Color = Color::grey(1.0);

    /// A colour from three components between 0 and 1.
    pub const fn rgb(r: f32, g: f32, b: f32) -> Color {
        Color { r, g, b }
    }

    /// A neutral grey: 0 is black, 1 is white.
    pub const fn grey(level: f32) -> Color {
        Color::rgb(level, level, level)
    }
}

/// How a run of text is set: font, size in points, colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TextStyle {
    /// One of the core fonts.
    pub font: Font,
    /// Size in points.
    pub size: f32,
    /// Fill colour of the glyphs.
    pub color: Color,
}

impl TextStyle {
    /// Black text in `font` at `size`.
    pub const fn new(font: Font, size: f32) -> TextStyle {
        TextStyle {
            font,
            size,
            color: Color::BLACK,
        }
    }

    /// The same style in another colour.
    pub const fn with_color(self, color: Color) -> TextStyle {
        TextStyle { color, ..self }
    }
}

/// A line's width in points and its colour.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    /// Line width in points.
    pub width: f32,
    /// Line colour.
    pub color: Color,
}

/// How a rectangle is painted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Paint {
    /// Outline only.
    Stroke(Stroke),
    /// Filled, no outline.
    Fill(Color),
    /// Filled, then outlined.
    FillStroke(Color, Stroke),
}

/// One US Letter page being drawn. Coordinates are in points from the bottom-left corner, y
/// upward, as in PDF itself; text is placed by the left end of its baseline.
#[derive(Clone, Debug, Default)]
pub struct Page {
    pub(super) operations: Vec<Op>,
    pub(super) fonts: BTreeSet<Font>,
    /// Opacities in use, in percent, each a graphics state in the page resources.
    pub(super) opacities: BTreeSet<u8>,
    substitutions: Vec<Substitution>,
    state: State,
}

/// What the page's graphics state holds after its operations so far (None: not set yet).
/// An operator that would set what is already set is left out: a page of text then sets its
/// font and colour once per change rather than once per word, which keeps the content
/// stream, and the work of writing and compressing it, about a third smaller. Font and size
/// persist across text objects, since they belong to the graphics state, not to `BT`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct State {
    font: Option<(Font, f32)>,
    fill: Option<Color>,
    line_width: Option<f32>,
    stroke: Option<Color>,
}

impl Page {
    /// An empty page.
    pub fn new() -> Page {
        Page::default()
    }

    /// Draws `text` with its baseline starting at (`x`, `y`).
    pub fn text(&mut self, x: f32, y: f32, style: &TextStyle, text: &str) {
        self.show_text([1.0, 0.0, 0.0, 1.0, x, y], style, text);
    }

    /// Draws `text` turned `degrees` counter-clockwise about the start of its baseline.
    pub fn text_rotated(&mut self, x: f32, y: f32, degrees: f32, style: &TextStyle, text: &str) {
        let (sin, cos) = degrees.to_radians().sin_cos();
        self.show_text([cos, sin, -sin, cos, x, y], style, text);
    }

    /// Draws a straight line from (`x1`, `y1`) to (`x2`, `y2`).
    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, stroke: &Stroke) {
        self.set_stroke(stroke);
        self.operations.push(Op::MoveTo(x1, y1));
        self.operations.push(Op::LineTo(x2, y2));
        self.operations.push(Op::Stroke);
    }

    /// Draws a rectangle whose bottom-left corner is (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, paint: &Paint) {
        let paint = match paint {
            Paint::Stroke(stroke) => {
                self.set_stroke(stroke);
                Op::Stroke
            }
            Paint::Fill(color) => {
                self.set_fill(*color);
                Op::FillPath
            }
            Paint::FillStroke(color, stroke) => {
                self.set_fill(*color);
                self.set_stroke(stroke);
                Op::FillStroke
            }
        };
        self.operations.push(Op::Rect([x, y, width, height]));
        self.operations.push(paint);
    }

    /// Draws whatever `draw` draws at `opacity` (0 transparent, 1 opaque), so that marks
    /// printed over content, such as a draft stamp, leave it readable.
    pub fn with_opacity(&mut self, opacity: f32, draw: impl FnOnce(&mut Page)) {
        let percent = (opacity.clamp(0.0, 1.0) * 100.0).round() as u8;
        self.opacities.insert(percent);
        self.operations.push(Op::Save);
        self.operations.push(Op::GraphicsState(percent));
        let saved = self.state;
        draw(self);
        self.operations.push(Op::Restore);
        // `Q` restores the graphics state as it was at `q`.
        self.state = saved;
    }

    /// The fonts this page uses so far.
    pub fn fonts(&self) -> impl Iterator<Item = Font> + '_ {
        self.fonts.iter().copied()
    }

    /// One warning for each distinct character on this page that had to be transliterated.
    pub fn warnings(&self) -> Vec<String> {
        self.substitutions
            .iter()
            .map(Substitution::warning)
            .collect()
    }

    fn show_text(&mut self, matrix: [f32; 6], style: &TextStyle, text: &str) {
        let shown = match style.font.face() {
            Some(face) => self.embedded_codes(face, text),
            None => self.core_codes(style.font, text),
        };
        let Some(bytes) = shown else {
            return;
        };
        self.fonts.insert(style.font);
        self.operations.push(Op::BeginText);
        if self.state.font != Some((style.font, style.size)) {
            self.state.font = Some((style.font, style.size));
            self.operations.push(Op::Font(style.font, style.size));
        }
        self.set_fill(style.color);
        self.operations.push(Op::TextMatrix(matrix));
        self.operations.push(Op::ShowText(bytes));
        self.operations.push(Op::EndText);
    }

    /// The WinAnsi bytes of `text` in a core font; None when nothing would show.
    fn core_codes(&mut self, font: Font, text: &str) -> Option<Vec<u8>> {
        let encoded = winansi::encode(text);
        for substitution in encoded.substitutions {
            self.note(substitution);
        }
        // A trailing space has no ink but would still be written; leave it out of the stream.
        let mut bytes = encoded.bytes;
        while bytes.last() == Some(&b' ') {
            bytes.pop();
        }
        debug_assert!(bytes.iter().all(|&b| code_width(font, 1.0, b) > 0.0));
        (!bytes.is_empty()).then_some(bytes)
    }

    /// The glyph ids of `text` in an embedded face, two bytes each; None when nothing would
    /// show. They are ids of the whole font until the writer knows the document's subset and
    /// renumbers them.
    fn embedded_codes(&mut self, face: &Face, text: &str) -> Option<Vec<u8>> {
        if let Some(bytes) = face.ascii_codes(text) {
            return (!bytes.is_empty()).then_some(bytes);
        }
        let mut bytes = Vec::with_capacity(2 * text.len());
        // The bytes up to the last glyph that is not a space: trailing spaces have no ink.
        let mut inked = 0;
        let mut substitutions = Vec::new();
        face.each_glyph(
            text,
            |glyph, c| {
                bytes.extend(glyph.id.to_be_bytes());
                if c != ' ' {
                    inked = bytes.len();
                }
            },
            |s| substitutions.push(s),
        );
        for substitution in substitutions {
            self.note(substitution);
        }
        bytes.truncate(inked);
        (!bytes.is_empty()).then_some(bytes)
    }

    /// Remembers a substitution, once per character.
    fn note(&mut self, substitution: Substitution) {
        if !self
            .substitutions
            .iter()
            .any(|s| s.original == substitution.original)
        {
            self.substitutions.push(substitution);
        }
    }

    fn set_stroke(&mut self, stroke: &Stroke) {
        if self.state.line_width != Some(stroke.width) {
            self.state.line_width = Some(stroke.width);
            self.operations.push(Op::LineWidth(stroke.width));
        }
        if self.state.stroke != Some(stroke.color) {
            self.state.stroke = Some(stroke.color);
            self.operations.push(Op::StrokeColor(stroke.color));
        }
    }

    fn set_fill(&mut self, color: Color) {
        if self.state.fill != Some(color) {
            self.state.fill = Some(color);
            self.operations.push(Op::Fill(color));
        }
    }
}

/// One warning for each distinct transliterated character across `pages`, in page order.
pub fn transliteration_warnings(pages: &[Page]) -> Vec<String> {
    let mut seen: Vec<char> = Vec::new();
    let mut warnings = Vec::new();
    for substitution in pages.iter().flat_map(|page| &page.substitutions) {
        if !seen.contains(&substitution.original) {
            seen.push(substitution.original);
            warnings.push(substitution.warning());
        }
    }
    warnings
}

/// The resource name of the graphics state with the given opacity.
pub(super) fn opacity_name(percent: u8) -> String {
    format!("GS{percent}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::writer::finish;
    use lopdf::Document;

    #[test]
    fn a_font_and_colour_are_set_once_until_they_change() {
        let mut page = Page::new();
        let body = TextStyle::new(Font::Helvetica, 10.0);
        let grey = body.with_color(Color::grey(0.5));
        page.text(72.0, 700.0, &body, "one");
        page.text(72.0, 690.0, &body, "two");
        page.text(72.0, 680.0, &grey, "three");
        page.with_opacity(0.5, |p| {
            p.text(72.0, 670.0, &TextStyle::new(Font::Courier, 12.0), "four")
        });
        // After `Q` the state is Helvetica and grey again, as it was at `q`.
        page.text(72.0, 660.0, &grey, "five");
        page.text(72.0, 650.0, &body, "six");
        fn count(page: &Page, wanted: fn(&Op) -> bool) -> usize {
            page.operations.iter().filter(|&o| wanted(o)).count()
        }
        assert_eq!(count(&page, |o| matches!(o, Op::ShowText(_))), 6);
        assert_eq!(count(&page, |o| matches!(o, Op::Font(..))), 2);
        // Black, grey, black inside the group, black for the last line.
        assert_eq!(count(&page, |o| matches!(o, Op::Fill(_))), 4);
        let stroke = Stroke {
            width: 0.5,
            color: Color::grey(0.5),
        };
        page.line(0.0, 0.0, 10.0, 0.0, &stroke);
        page.line(0.0, 5.0, 10.0, 5.0, &stroke);
        let widths = count(&page, |o| matches!(o, Op::LineWidth(_)));
        let colours = count(&page, |o| matches!(o, Op::StrokeColor(_)));
        assert_eq!((widths, colours), (1, 1));
        let text = super::super::tests::readable(&finish(&[page], "state"))
            .extract_text(&[1])
            .expect("text");
        for word in ["one", "two", "three", "four", "five", "six"] {
            assert!(text.contains(word), "{word} in {text}");
        }
    }

    fn sample() -> Vec<Page> {
        let mut page = Page::new();
        let style = TextStyle::new(Font::Helvetica, 12.0);
        page.text(72.0, 700.0, &style, "Hello (world) \\ café");
        page.text(
            72.0,
            680.0,
            &style.with_color(Color::rgb(0.8, 0.1, 0.1)),
            "→ done ✓",
        );
        page.text_rotated(
            100.0,
            100.0,
            45.0,
            &TextStyle::new(Font::TimesBold, 30.0),
            "Stamp",
        );
        page.line(
            72.0,
            670.0,
            540.0,
            670.0,
            &Stroke {
                width: 0.5,
                color: Color::grey(0.5),
            },
        );
        page.rect(
            72.0,
            500.0,
            100.0,
            50.0,
            &Paint::FillStroke(
                Color::grey(0.9),
                Stroke {
                    width: 1.0,
                    color: Color::BLACK,
                },
            ),
        );
        page.with_opacity(0.3, |page| {
            page.text(
                300.0,
                300.0,
                &TextStyle::new(Font::Helvetica, 40.0),
                "faint",
            );
        });
        let mut second = Page::new();
        second.text(
            72.0,
            700.0,
            &TextStyle::new(Font::CourierBold, 9.0),
            "page two →",
        );
        vec![page, second]
    }

    #[test]
    fn pages_round_trip_through_lopdf() {
        let bytes = finish(&sample(), "Sample – title");
        let doc = Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 2);
        let text = doc.extract_text(&[1]).unwrap();
        assert!(text.contains("Hello (world) \\ café"), "{text}");
        assert!(text.contains("-> done [x]"), "{text}");
        let page_one = doc.get_pages()[&1];
        let fonts: Vec<Vec<u8>> = doc
            .get_page_fonts(page_one)
            .unwrap()
            .values()
            .map(|f| f.get(b"BaseFont").unwrap().as_name().unwrap().to_vec())
            .collect();
        assert_eq!(fonts, vec![b"Helvetica".to_vec(), b"Times-Bold".to_vec()]);
        let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        let title = doc.get_dictionary(info).unwrap().get(b"Title").unwrap();
        assert_eq!(lopdf::decode_text_string(title).unwrap(), "Sample – title");
    }

    #[test]
    fn output_is_deterministic_and_free_of_dates() {
        let first = finish(&sample(), "t");
        assert_eq!(first, finish(&sample(), "t"));
        assert_ne!(first, finish(&sample(), "u"));
        let text = String::from_utf8_lossy(&first);
        assert!(!text.contains("CreationDate") && !text.contains("Producer"));
        let doc = Document::load_mem(&first).unwrap();
        assert!(doc.trailer.get(b"ID").is_ok());
    }

    #[test]
    fn transliterations_are_warned_once_per_character() {
        let pages = sample();
        let all = transliteration_warnings(&pages);
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all[0].contains("U+2192") && all[0].contains("\"->\""));
        assert!(all[1].contains("U+2713"));
    }

    #[test]
    fn no_pages_still_make_a_valid_pdf() {
        let doc = Document::load_mem(&finish(&[], "")).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
    }
}
