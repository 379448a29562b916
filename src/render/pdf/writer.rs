//! The writer that turns pages into deterministic PDF bytes: the fonts (core fonts by name,
//! DejaVu fonts as subsets of the glyphs the document shows), the pages, and the catalog with
//! the document's language, title and metadata.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use pdf_writer::writers::ExtGraphicsState;
use pdf_writer::{Chunk, Filter, Finish, Name, Pdf, Rect, Ref, Settings, TextStr};
use sha2::Sha256;

use super::canvas::{PAGE_HEIGHT, PAGE_WIDTH, Page, opacity_name};
use super::content::{self, Op};
use super::fontfile::{self, Subset};
use super::fonts::Font;
use crate::output::DigestHead;

/// The language of every document claimwright prints (its templates and forms are in
/// American English), for screen readers and for search.
pub const LANGUAGE: &str = "en-US";

/// The face whose subsets always hold the glyphs of printable ASCII: the body text's. Its
/// glyphs would otherwise differ from note to note with the words used, each set costing a
/// subsetting of its own; with them, a month's documents share a few subsets (a cache in
/// `fontfile` keeps them) until a name or note brings a character beyond ASCII. They add about
/// 4 KB to a document.
const ASCII_FLOOR: Font = Font::Sans;

/// Room for the document's dictionaries, the cross-reference table and the trailer, beside
/// its streams, so that the buffer seldom grows while the file is written.
const OVERHEAD: usize = 4096;

/// A font of the document: its resource name and, for an embedded font, the subset whose
/// codes its text must use.
struct FontEntry {
    font: Font,
    resource: String,
    subset: Option<Arc<Subset>>,
    /// The font's object, numbered once the file is written.
    id: Option<Ref>,
}

/// The numbers of a document's objects, handed out in order from 1.
pub(super) struct Ids(i32);

impl Ids {
    /// The next unused object number.
    pub(super) fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// A stream's bytes, deflated or, when deflating failed, as they are.
#[derive(Debug)]
pub(super) struct Packed {
    pub(super) bytes: Vec<u8>,
    pub(super) deflated: bool,
}

impl Packed {
    /// `bytes` deflated at `level`; compression is an optimisation only, and an uncompressed
    /// stream is just as valid.
    pub(super) fn new(bytes: Vec<u8>, level: flate2::Compression) -> Packed {
        match deflate(&bytes, level) {
            Some(packed) => Packed {
                bytes: packed,
                deflated: true,
            },
            None => Packed {
                bytes,
                deflated: false,
            },
        }
    }

    /// Starts the stream `id` of these bytes in `pdf`, with its filter.
    pub(super) fn write<'a>(&'a self, pdf: &'a mut Chunk, id: Ref) -> pdf_writer::Stream<'a> {
        let mut stream = pdf.stream(id, &self.bytes);
        if self.deflated {
            stream.filter(Filter::FlateDecode);
        }
        stream
    }
}

/// Writes `pages` as a PDF titled `title`. The same pages always give the same bytes: no dates,
/// no producer, and the file `/ID` is a SHA-256 of the content. An empty list gives one blank
/// page, since a PDF needs at least one.
pub fn finish(pages: &[Page], title: &str) -> Vec<u8> {
    finish_in(pages, title, LANGUAGE)
}

/// `finish` for a document written in `language` (a BCP 47 tag such as `es-US`), which the
/// catalog's `/Lang` and the metadata declare.
pub fn finish_in(pages: &[Page], title: &str, language: &str) -> Vec<u8> {
    finish_hashed(pages, title, language).0
}

/// [`finish_in`], with the lowercase hex SHA-256 of the file, worked out as it is written:
/// the file `/ID` is the hash of everything before the cross-reference table, and the file's
/// hash goes on from there, so the bytes are read once, and the header and fonts, which
/// documents showing the same glyphs share, not at all.
pub fn finish_hashed(pages: &[Page], title: &str, language: &str) -> (Vec<u8>, String) {
    use sha2::Digest;
    let blank = [Page::new()];
    let pages = if pages.is_empty() { &blank[..] } else { pages };

    let mut fonts = choose_fonts(pages);
    let contents: Vec<Packed> = pages
        .iter()
        .map(|page| page_content(page, &fonts))
        .collect();
    let xmp = xmp(title, language);

    let streams = contents.iter().map(|c| c.bytes.len()).sum::<usize>()
        + fonts
            .iter()
            .filter_map(|e| e.subset.as_ref())
            .map(|s| s.stream_len())
            .sum::<usize>();
    let capacity = OVERHEAD + xmp.len() + streams + 512 * pages.len();
    let mut pdf = Pdf::with_settings_and_capacity(Settings { pretty: false }, capacity);
    pdf.set_version(1, 7);
    let mut ids = Ids(0);
    let pages_id = ids.next();
    let head = write_fonts(&mut pdf, &mut fonts, &mut ids);
    let kids: Vec<Ref> = pages
        .iter()
        .zip(&contents)
        .map(|(page, content)| write_page(&mut pdf, page, content, pages_id, &fonts, &mut ids))
        .collect();
    // A document has far fewer pages than an i32 counts.
    let count = i32::try_from(kids.len()).unwrap_or(i32::MAX);
    pdf.pages(pages_id).kids(kids).count(count);

    let metadata_id = ids.next();
    // Left uncompressed, as XMP is meant to be, so that tools that scan files for it find it.
    pdf.metadata(metadata_id, xmp.as_bytes());
    let catalog_id = ids.next();
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(pages_id).lang(TextStr(language));
    catalog.viewer_preferences().display_doc_title(true);
    catalog.metadata(metadata_id);
    catalog.finish();
    // Printable ASCII is written as it is, anything else as UTF-16BE after a byte order mark.
    pdf.document_info(ids.next()).title(TextStr(title));

    // The /ID: a hash of what the file holds (title, fonts, every page), so equal documents
    // get equal ids.
    let (mut hash, read) = match &head {
        Some(head) => (head.hasher(), head.len()),
        None => (Sha256::new(), 0),
    };
    let body = pdf.as_bytes();
    hash.update(&body[read.min(body.len())..]);
    let before_xref = body.len();
    let id = hash.clone().finalize()[..16].to_vec();
    pdf.set_file_id((id.clone(), id));
    // A classic cross-reference table, which starts with object 0, the head of the free list:
    // poppler reports "Invalid XRef entry 0" for a file whose cross-reference lacks it.
    let bytes = pdf.finish();
    hash.update(&bytes[before_xref.min(bytes.len())..]);
    let sha256 = crate::output::lower_hex(&hash.finalize());
    (bytes, sha256)
}

/// The fonts the pages use, each with the subset of the glyphs all pages show in it when it
/// is embedded.
fn choose_fonts(pages: &[Page]) -> Vec<FontEntry> {
    let used: BTreeSet<Font> = pages.iter().flat_map(|p| p.fonts.iter().copied()).collect();
    let mut shown = shown_glyphs(pages, &used);
    used.into_iter()
        .map(|font| {
            let subset = match (font.face(), shown.remove(&font)) {
                (Some(face), Some(ids)) => Some(fontfile::subset(face, &ids)),
                _ => None,
            };
            FontEntry {
                font,
                resource: font.resource_name(),
                subset,
                id: None,
            }
        })
        .collect()
}

/// How many font sections each thread keeps before it starts over.
const SECTION_LIMIT: usize = 64;

/// The objects of a document's fonts, numbered from 2 (the page tree is 1), as they follow
/// the file's header: the same bytes in every document with the same fonts and subsets.
struct FontSection {
    /// Each font and its subset: a subset is the same one when it is the same `Arc`, which
    /// the section keeps alive, so no other subset can take its place.
    fonts: Vec<(Font, Option<Arc<Subset>>)>,
    objects: Chunk,
    /// Each font's object, in the order of `fonts`.
    refs: Vec<Ref>,
    /// The last object number the section uses.
    last: i32,
    /// The hash state after the header and the section, when it embeds a font: tens of
    /// kilobytes that the hash of each file then skips.
    head: Option<Arc<DigestHead>>,
}

impl FontSection {
    fn is_for(&self, fonts: &[FontEntry]) -> bool {
        self.fonts.len() == fonts.len()
            && self.fonts.iter().zip(fonts).all(|((font, subset), entry)| {
                *font == entry.font
                    && match (subset, &entry.subset) {
                        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                        (None, None) => true,
                        _ => false,
                    }
            })
    }
}

/// Writes every font, a core font by name, an embedded font as its subset, after the file's
/// header, from the section a document with the same fonts wrote before when this thread
/// keeps it; returns the hash state after the fonts when one is embedded.
fn write_fonts(pdf: &mut Pdf, fonts: &mut [FontEntry], ids: &mut Ids) -> Option<Arc<DigestHead>> {
    use std::cell::RefCell;
    use std::rc::Rc;
    thread_local! {
        static SECTIONS: RefCell<Vec<Rc<FontSection>>> = const { RefCell::new(Vec::new()) };
    }
    let cached = SECTIONS.with(|cell| cell.borrow().iter().find(|s| s.is_for(fonts)).cloned());
    let section = match cached {
        Some(section) => {
            pdf.extend(&section.objects);
            section
        }
        None => {
            let mut objects = Chunk::with_settings(Settings { pretty: false });
            let mut section_ids = Ids(ids.0);
            let one_byte = fonts
                .iter()
                .filter_map(|e| e.subset.as_deref())
                .any(fontfile::needs_one_byte_cmap)
                .then(|| fontfile::write_one_byte_cmap(&mut objects, &mut section_ids));
            let refs = fonts
                .iter()
                .map(|entry| write_font(&mut objects, entry, one_byte, &mut section_ids))
                .collect();
            pdf.extend(&objects);
            let embeds = fonts.iter().any(|e| e.subset.is_some());
            let section = Rc::new(FontSection {
                fonts: fonts.iter().map(|e| (e.font, e.subset.clone())).collect(),
                objects,
                refs,
                last: section_ids.0,
                head: embeds.then(|| Arc::new(DigestHead::new(pdf.as_bytes()))),
            });
            SECTIONS.with(|cell| {
                let mut sections = cell.borrow_mut();
                if sections.len() >= SECTION_LIMIT {
                    sections.clear();
                }
                sections.push(Rc::clone(&section));
            });
            section
        }
    };
    for (entry, id) in fonts.iter_mut().zip(&section.refs) {
        entry.id = Some(*id);
    }
    ids.0 = section.last;
    section.head.clone()
}

/// Writes one font, a core font by name, an embedded font as its subset (shown through
/// `one_byte`, the document's one-byte CMap, when the subset is small); returns its object.
fn write_font(objects: &mut Chunk, entry: &FontEntry, one_byte: Option<Ref>, ids: &mut Ids) -> Ref {
    match (entry.font.face(), &entry.subset) {
        (Some(face), Some(subset)) => fontfile::write(objects, face, subset, one_byte, ids),
        _ => {
            let id = ids.next();
            objects
                .type1_font(id)
                .base_font(Name(entry.font.base_name().as_bytes()))
                .encoding_predefined(Name(b"WinAnsiEncoding"));
            id
        }
    }
}

/// The glyph ids, ascending, that the pages show in each embedded font of `used`, read from
/// their text operations.
fn shown_glyphs(pages: &[Page], used: &BTreeSet<Font>) -> BTreeMap<Font, Vec<u16>> {
    // One bit per glyph of the face.
    let mut marks: BTreeMap<Font, Vec<u64>> = used
        .iter()
        .filter_map(|&font| {
            let face = font.face()?;
            let mut marks = vec![0u64; face.glyph_count().div_ceil(64)];
            if font == ASCII_FLOOR {
                for glyph in (' '..='~').filter_map(|c| face.glyph(c)) {
                    mark(&mut marks, glyph.id);
                }
            }
            Some((font, marks))
        })
        .collect();
    for page in pages {
        let mut current = None;
        for op in &page.operations {
            match op {
                Op::Font(font, _) => current = Some(*font),
                Op::ShowText(bytes) => {
                    // Core fonts have no marks: their text is WinAnsi, not glyph ids.
                    let Some(marks) = current.and_then(|font| marks.get_mut(&font)) else {
                        continue;
                    };
                    for pair in bytes.chunks_exact(2) {
                        mark(marks, u16::from_be_bytes([pair[0], pair[1]]));
                    }
                }
                _ => {}
            }
        }
    }
    marks
        .into_iter()
        .map(|(font, marks)| {
            let mut ids = Vec::new();
            for (word, mut bits) in (0u32..).zip(marks) {
                while bits != 0 {
                    let id = word * 64 + bits.trailing_zeros();
                    ids.extend(u16::try_from(id).ok());
                    bits &= bits - 1;
                }
            }
            (font, ids)
        })
        .collect()
}

/// Sets the bit of glyph `id`.
fn mark(marks: &mut [u64], id: u16) {
    if let Some(word) = marks.get_mut(usize::from(id / 64)) {
        *word |= 1 << (id % 64);
    }
}

/// The content stream of `page`, its text in the codes of the document's subsets, left
/// uncompressed: a page's content is a few kilobytes beside the tens of kilobytes of its
/// (compressed) fonts, and deflating it took a tenth of a batch's time for a twelfth of a
/// SOAP note's size.
fn page_content(page: &Page, fonts: &[FontEntry]) -> Packed {
    let bytes = content::encode(&page.operations, |font| {
        let entry = fonts.iter().find(|e| e.font == font)?;
        Some((entry.resource.as_str(), entry.subset.as_deref()))
    });
    Packed {
        bytes,
        deflated: false,
    }
}

/// Writes one page, its content and its resources; returns the page's object.
fn write_page(
    pdf: &mut Pdf,
    page: &Page,
    content: &Packed,
    parent: Ref,
    fonts: &[FontEntry],
    ids: &mut Ids,
) -> Ref {
    let content_id = ids.next();
    content.write(pdf, content_id);
    let id = ids.next();
    let mut dict = pdf.page(id);
    dict.parent(parent)
        .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
    let mut resources = dict.resources();
    let mut font_resources = resources.fonts();
    for entry in fonts.iter().filter(|e| page.fonts.contains(&e.font)) {
        if let Some(font) = entry.id {
            font_resources.pair(Name(entry.resource.as_bytes()), font);
        }
    }
    font_resources.finish();
    if !page.opacities.is_empty() {
        let mut states = resources.ext_g_states();
        for &percent in &page.opacities {
            let alpha = f32::from(percent) / 100.0;
            states
                .insert(Name(opacity_name(percent).as_bytes()))
                .start::<ExtGraphicsState>()
                .non_stroking_alpha(alpha)
                .stroking_alpha(alpha);
        }
    }
    resources.finish();
    dict.contents(content_id);
    id
}

/// The XMP metadata packet: the title and language, as the Info dictionary and catalog say.
/// Dates and the producing tool are left out, so that the same inputs give the same bytes.
fn xmp(title: &str, language: &str) -> String {
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
         <dc:format>application/pdf</dc:format>\n\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></dc:title>\n\
         <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>\n\
         </rdf:Description>\n\
         </rdf:RDF>\n\
         </x:xmpmeta>\n\
         <?xpacket end=\"r\"?>",
        xml_text(title)
    )
}

/// `text` escaped for XML, without the characters XML 1.0 cannot hold at all.
fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `bytes` deflated at `level`, or None if deflating failed. Only fonts and the one-byte
/// CMap are deflated, each once and then shared, so a compressor is made for each.
fn deflate(bytes: &[u8], level: flate2::Compression) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder =
        flate2::write::ZlibEncoder::new(Vec::with_capacity(bytes.len() / 2 + 64), level);
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::canvas::{Color, Paint, TextStyle};
    use lopdf::{Dictionary, Document, Object};

    #[test]
    fn the_catalog_has_the_language_and_the_metadata_the_title() {
        let bytes = finish(&[], "Note & <more> for Zoë");
        let doc = Document::load_mem(&bytes).expect("parses");
        let catalog = doc.catalog().expect("catalog");
        let lang = catalog.get(b"Lang").expect("lang");
        assert_eq!(lopdf::decode_text_string(lang).expect("text"), "en-US");
        let metadata = catalog
            .get(b"Metadata")
            .and_then(Object::as_reference)
            .and_then(|id| doc.get_object(id))
            .and_then(Object::as_stream)
            .expect("metadata");
        let xml = String::from_utf8(metadata.content.clone()).expect("UTF-8");
        assert!(
            xml.contains(">Note &amp; &lt;more&gt; for Zoë</rdf:li>"),
            "{xml}"
        );
        assert!(xml.contains("<rdf:li>en-US</rdf:li>"), "{xml}");
        let raw = String::from_utf8_lossy(&bytes);
        assert!(raw.contains("\nxref\n0 "), "a classic table from object 0");
    }

    #[test]
    fn the_title_is_a_text_string() {
        let title_of = |bytes: &[u8]| {
            let doc = Document::load_mem(bytes).expect("parses");
            let info = doc.trailer.get(b"Info").and_then(Object::as_reference);
            let info = info.and_then(|id| doc.get_dictionary(id)).expect("info");
            lopdf::decode_text_string(info.get(b"Title").expect("title")).expect("text")
        };
        let plain = finish(&[], "Note (draft) \\ 1");
        assert!(String::from_utf8_lossy(&plain).contains("/Title(Note (draft) \\\\ 1)"));
        assert_eq!(title_of(&plain), "Note (draft) \\ 1");
        // Beyond printable ASCII, UTF-16BE after its byte order mark, as PDFDocEncoding would
        // read bytes 0x18 to 0x1F and 0x7F as other characters.
        for title in ["Zoë – 𝐀", "tab\there", "odd\u{1f}\u{7f}"] {
            let bytes = finish(&[], title);
            assert!(
                String::from_utf8_lossy(&bytes).contains("/Title<FEFF"),
                "{title}"
            );
            assert_eq!(title_of(&bytes), title);
        }
    }

    #[test]
    fn pages_have_their_own_fonts_and_opacities() {
        let mut first = Page::new();
        first.text(72.0, 700.0, &TextStyle::new(Font::Sans, 10.0), "Zoë");
        first.with_opacity(0.35, |page| {
            page.rect(0.0, 0.0, 10.0, 10.0, &Paint::Fill(Color::grey(0.5)));
        });
        let mut second = Page::new();
        second.text(72.0, 700.0, &TextStyle::new(Font::Helvetica, 10.0), "plain");
        let doc = Document::load_mem(&finish(&[first, second], "t")).expect("parses");
        let pages = doc.get_pages();
        let resources = |number: u32| {
            let page = doc.get_dictionary(pages[&number]).expect("page");
            assert_eq!(
                format!("{:?}", page.get(b"MediaBox").expect("media box")),
                "[0 0 612 792]"
            );
            page.get(b"Resources")
                .and_then(Object::as_dict)
                .expect("resources")
                .clone()
        };
        // The page's only font, read through its reference.
        let only_font = |resources: &Dictionary| {
            let fonts = resources
                .get(b"Font")
                .and_then(Object::as_dict)
                .expect("fonts");
            assert_eq!(fonts.len(), 1);
            let font = fonts.iter().next().and_then(|(_, f)| f.as_reference().ok());
            doc.get_dictionary(font.expect("a reference"))
                .expect("font")
                .clone()
        };
        let one = resources(1);
        let font = only_font(&one);
        assert_eq!(
            font.get(b"Subtype").and_then(Object::as_name).ok(),
            Some(&b"Type0"[..])
        );
        let states = one
            .get(b"ExtGState")
            .and_then(Object::as_dict)
            .expect("states");
        let state = states.get(b"GS35").and_then(Object::as_dict).expect("GS35");
        for key in [&b"ca"[..], b"CA"] {
            let alpha = state.get(key).and_then(Object::as_float).expect("alpha");
            assert!((alpha - 0.35).abs() < 1e-6, "{alpha}");
        }
        let two = resources(2);
        assert!(two.get(b"ExtGState").is_err());
        let font = only_font(&two);
        assert_eq!(
            font.get(b"BaseFont").and_then(Object::as_name).ok(),
            Some(&b"Helvetica"[..])
        );
        assert_eq!(
            font.get(b"Encoding").and_then(Object::as_name).ok(),
            Some(&b"WinAnsiEncoding"[..])
        );
    }

    #[test]
    fn a_small_subset_is_shown_one_byte_a_glyph_through_an_embedded_cmap() {
        let mut page = Page::new();
        page.text(72.0, 700.0, &TextStyle::new(Font::Sans, 10.0), "Zoë (a\\b)");
        page.text(72.0, 680.0, &TextStyle::new(Font::SansBold, 10.0), "Łukasz");
        let bytes = finish(&[page], "t");
        let doc = Document::load_mem(&bytes).expect("parses");
        let type0: Vec<&Dictionary> = doc
            .objects
            .values()
            .filter_map(|o| o.as_dict().ok())
            .filter(|d| d.get(b"Subtype").and_then(Object::as_name).ok() == Some(b"Type0"))
            .collect();
        assert_eq!(type0.len(), 2);
        let encodings: BTreeSet<_> = type0
            .iter()
            .map(|font| {
                font.get(b"Encoding")
                    .and_then(Object::as_reference)
                    .expect("an embedded CMap")
            })
            .collect();
        assert_eq!(encodings.len(), 1, "the fonts share one CMap");
        let cmap = doc
            .get_object(*encodings.first().expect("one"))
            .and_then(Object::as_stream)
            .expect("a stream");
        assert_eq!(
            cmap.dict.get(b"CMapName").and_then(Object::as_name).ok(),
            Some(&b"Identity-OneByte-H"[..])
        );
        let program =
            String::from_utf8(cmap.decompressed_content().expect("inflates")).expect("text");
        assert!(
            program.contains("begincodespacerange\n<00> <FF>\nendcodespacerange"),
            "{program}"
        );
        assert!(
            program.contains("begincidrange\n<00> <FF> 0\nendcidrange"),
            "{program}"
        );
        // The text reads back through the ToUnicode maps, parentheses and backslash included.
        let text = super::super::tests::readable(&bytes)
            .extract_text(&[1])
            .expect("text");
        assert!(text.contains("Zoë (a\\b)"), "{text}");
        assert!(text.contains("Łukasz"), "{text}");
    }

    #[test]
    fn the_hash_given_with_a_file_is_the_hash_of_its_bytes() {
        let page = |text: &str, font: Font| {
            let mut page = Page::new();
            page.text(72.0, 700.0, &TextStyle::new(font, 10.0), text);
            page
        };
        let check = |pages: &[Page], title: &str| {
            let (bytes, hash) = finish_hashed(pages, title, LANGUAGE);
            assert_eq!(hash, crate::output::sha256_hex(&bytes), "{title}");
            bytes
        };
        // The second file with the same glyphs starts from the fonts the first wrote.
        let first = check(&[page("Zoë", Font::Sans)], "one");
        let again = check(&[page("Zoë", Font::Sans), page("Zoë", Font::Sans)], "two");
        check(&[page("plain", Font::Helvetica)], "core fonts only");
        check(&[], "blank");
        // The /ID follows what the file shows.
        let id = |bytes: &[u8]| {
            let doc = Document::load_mem(bytes).expect("parses");
            format!("{:?}", doc.trailer.get(b"ID").expect("an /ID"))
        };
        assert_ne!(id(&first), id(&again));
        assert_eq!(id(&first), id(&check(&[page("Zoë", Font::Sans)], "one")));
    }

    #[test]
    fn xml_text_drops_what_xml_cannot_hold() {
        assert_eq!(xml_text("a\u{7}b\tc\"d"), "ab c&quot;d");
    }
}
