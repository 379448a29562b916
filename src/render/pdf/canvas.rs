//! A low-level drawing surface of US Letter pages (text, lines, rectangles in points) and the
//! writer that turns those pages into deterministic PDF bytes.

use std::collections::BTreeSet;

use lopdf::content::{Content, Operation};
use lopdf::xref::XrefType;
use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
use sha2::{Digest, Sha256};

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

    fn operands(self) -> Vec<Object> {
        vec![real(self.r), real(self.g), real(self.b)]
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
    operations: Vec<Operation>,
    fonts: BTreeSet<Font>,
    /// Opacities in use, in percent, each a graphics state in the page resources.
    opacities: BTreeSet<u8>,
    substitutions: Vec<Substitution>,
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
        self.op("m", vec![real(x1), real(y1)]);
        self.op("l", vec![real(x2), real(y2)]);
        self.op("S", vec![]);
    }

    /// Draws a rectangle whose bottom-left corner is (`x`, `y`).
    pub fn rect(&mut self, x: f32, y: f32, width: f32, height: f32, paint: &Paint) {
        let operator = match paint {
            Paint::Stroke(stroke) => {
                self.set_stroke(stroke);
                "S"
            }
            Paint::Fill(color) => {
                self.op("rg", color.operands());
                "f"
            }
            Paint::FillStroke(color, stroke) => {
                self.op("rg", color.operands());
                self.set_stroke(stroke);
                "B"
            }
        };
        self.op("re", vec![real(x), real(y), real(width), real(height)]);
        self.op(operator, vec![]);
    }

    /// Draws whatever `draw` draws at `opacity` (0 transparent, 1 opaque), so that marks
    /// printed over content, such as a draft stamp, leave it readable.
    pub fn with_opacity(&mut self, opacity: f32, draw: impl FnOnce(&mut Page)) {
        let percent = (opacity.clamp(0.0, 1.0) * 100.0).round() as u8;
        self.opacities.insert(percent);
        self.op("q", vec![]);
        self.op("gs", vec![Object::Name(opacity_name(percent).into_bytes())]);
        draw(self);
        self.op("Q", vec![]);
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
        let encoded = winansi::encode(text);
        for substitution in encoded.substitutions {
            if !self
                .substitutions
                .iter()
                .any(|s| s.original == substitution.original)
            {
                self.substitutions.push(substitution);
            }
        }
        if encoded.bytes.iter().all(|&b| b == b' ') {
            return;
        }
        // A trailing space has no ink but would still be written; leave it out of the stream.
        let mut bytes = encoded.bytes;
        while bytes.last() == Some(&b' ') {
            bytes.pop();
        }
        debug_assert!(bytes.iter().all(|&b| code_width(style.font, 1.0, b) > 0.0));
        self.fonts.insert(style.font);
        self.op("BT", vec![]);
        self.op(
            "Tf",
            vec![
                Object::Name(style.font.resource_name().into_bytes()),
                real(style.size),
            ],
        );
        self.op("rg", style.color.operands());
        let [a, b, c, d, x, y] = matrix;
        // The turn needs finer steps than positions do: 0.71 for cos 45° would also scale.
        let turn = [a, b, c, d].map(|v| Object::Real((v * 10_000.0).round() / 10_000.0));
        let mut operands = turn.to_vec();
        operands.extend([real(x), real(y)]);
        self.op("Tm", operands);
        self.op("Tj", vec![Object::String(bytes, StringFormat::Literal)]);
        self.op("ET", vec![]);
    }

    fn set_stroke(&mut self, stroke: &Stroke) {
        self.op("w", vec![real(stroke.width)]);
        self.op("RG", stroke.color.operands());
    }

    fn op(&mut self, operator: &str, operands: Vec<Object>) {
        self.operations.push(Operation::new(operator, operands));
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

/// Writes `pages` as a PDF titled `title`. The same pages always give the same bytes: no dates,
/// no producer, and the file `/ID` is a SHA-256 of the content. An empty list gives one blank
/// page, since a PDF needs at least one.
pub fn finish(pages: &[Page], title: &str) -> Vec<u8> {
    let blank = [Page::new()];
    let pages = if pages.is_empty() { &blank[..] } else { pages };

    let mut doc = Document::with_version("1.7");
    // lopdf's cross-reference stream leaves out object 0, the head of the free list, and
    // poppler then reports "Invalid XRef entry 0" (seen once the title passed 128 characters,
    // for a patient with a long name); the classic table lopdf writes starts with that entry.
    doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
    let pages_id = doc.new_object_id();

    let used: BTreeSet<Font> = pages.iter().flat_map(|p| p.fonts.iter().copied()).collect();
    let font_ids: Vec<(Font, lopdf::ObjectId)> = used
        .iter()
        .map(|&font| {
            let mut dict = Dictionary::new();
            dict.set("Type", Object::Name(b"Font".to_vec()));
            dict.set("Subtype", Object::Name(b"Type1".to_vec()));
            dict.set(
                "BaseFont",
                Object::Name(font.base_name().as_bytes().to_vec()),
            );
            dict.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
            (font, doc.add_object(dict))
        })
        .collect();

    let mut kids = Vec::with_capacity(pages.len());
    for page in pages {
        let content = Content {
            operations: page.operations.clone(),
        };
        // Encoding fails only on a write error, and writes go to a Vec.
        let bytes = content.encode().unwrap_or_default();
        let stream = compressed_stream(bytes);
        let content_id = doc.add_object(stream);

        let mut fonts = Dictionary::new();
        for (font, id) in &font_ids {
            if page.fonts.contains(font) {
                fonts.set(font.resource_name(), Object::Reference(*id));
            }
        }
        let mut resources = Dictionary::new();
        resources.set("Font", Object::Dictionary(fonts));
        if !page.opacities.is_empty() {
            let mut states = Dictionary::new();
            for &percent in &page.opacities {
                let alpha = Object::Real(f32::from(percent) / 100.0);
                let mut state = Dictionary::new();
                state.set("Type", Object::Name(b"ExtGState".to_vec()));
                state.set("ca", alpha.clone());
                state.set("CA", alpha);
                states.set(opacity_name(percent), Object::Dictionary(state));
            }
            resources.set("ExtGState", Object::Dictionary(states));
        }

        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Parent", Object::Reference(pages_id));
        dict.set(
            "MediaBox",
            Object::Array(vec![
                Object::Integer(0),
                Object::Integer(0),
                real(PAGE_WIDTH),
                real(PAGE_HEIGHT),
            ]),
        );
        dict.set("Resources", Object::Dictionary(resources));
        dict.set("Contents", Object::Reference(content_id));
        kids.push(Object::Reference(doc.add_object(dict)));
    }

    let mut pages_dict = Dictionary::new();
    pages_dict.set("Type", Object::Name(b"Pages".to_vec()));
    pages_dict.set("Count", Object::Integer(kids.len() as i64));
    pages_dict.set("Kids", Object::Array(kids));
    doc.objects.insert(pages_id, Object::Dictionary(pages_dict));

    let mut viewer = Dictionary::new();
    viewer.set("DisplayDocTitle", Object::Boolean(true));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    catalog.set("ViewerPreferences", Object::Dictionary(viewer));
    let catalog_id = doc.add_object(catalog);

    let mut info = Dictionary::new();
    info.set("Title", lopdf::text_string(title));
    let info_id = doc.add_object(info);

    doc.trailer.set("Root", Object::Reference(catalog_id));
    doc.trailer.set("Info", Object::Reference(info_id));

    // The /ID is a hash of the file written without it, so equal content gives an equal /ID.
    let digest = Sha256::digest(save(&mut doc));
    let id = Object::String(digest[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    save(&mut doc)
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail; an error here could only come from the allocator,
    // which aborts instead of returning.
    if doc.save_to(&mut bytes).is_err() {
        bytes.clear();
    }
    bytes
}

/// The resource name of the graphics state with the given opacity.
fn opacity_name(percent: u8) -> String {
    format!("GS{percent}")
}

/// A PDF number rounded to hundredths of a point, which keeps the streams short and stable.
fn real(value: f32) -> Object {
    let rounded = (value * 100.0).round() / 100.0;
    if rounded == rounded.trunc() && rounded.abs() < 1.0e6 {
        Object::Integer(rounded as i64)
    } else {
        Object::Real(rounded)
    }
}

/// A content stream compressed with the fastest deflate level: page content is small and
/// repetitive, so the fast level loses little size and saves most of the time.
fn compressed_stream(bytes: Vec<u8>) -> Stream {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    match encoder.write_all(&bytes).and_then(|_| encoder.finish()) {
        Ok(packed) => {
            let mut dict = Dictionary::new();
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
            Stream::new(dict, packed)
        }
        // Compression is an optimisation only; an uncompressed stream is just as valid.
        Err(_) => Stream::new(Dictionary::new(), bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
