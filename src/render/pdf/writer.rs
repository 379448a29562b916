//! The writer that turns pages into deterministic PDF bytes: the fonts (core fonts by name,
//! DejaVu fonts as subsets of the glyphs the document shows), the pages, and the catalog with
//! the document's language, title and metadata.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use lopdf::xref::XrefType;
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};
use sha2::{Digest, Sha256};

use super::canvas::{PAGE_HEIGHT, PAGE_WIDTH, Page, opacity_name, real};
use super::content;
use super::fontfile::{self, Subset};
use super::fonts::Font;

/// The language of every document claimwright prints (its templates and forms are in
/// American English), for screen readers and for search.
pub const LANGUAGE: &str = "en-US";

/// The face whose subsets always hold the glyphs of printable ASCII: the body text's. Its
/// glyphs would otherwise differ from note to note with the words used, each set costing a
/// subsetting of its own; with them, a month's documents share a few subsets (a cache in
/// `fontfile` keeps them) until a name or note brings a character beyond ASCII. They add about
/// 4 KB to a document.
const ASCII_FLOOR: Font = Font::Sans;

/// A font of the document: its resource name, its object and, for an embedded font, the
/// subset whose codes its text must use.
struct FontEntry {
    font: Font,
    resource: String,
    id: ObjectId,
    subset: Option<Arc<Subset>>,
    /// The font's name in the file, with its subset tag.
    name: String,
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
    let blank = [Page::new()];
    let pages = if pages.is_empty() { &blank[..] } else { pages };

    let mut doc = Document::with_version("1.7");
    // lopdf's cross-reference stream leaves out object 0, the head of the free list, and
    // poppler then reports "Invalid XRef entry 0" (seen once the title passed 128 characters,
    // for a patient with a long name); the classic table lopdf writes starts with that entry.
    doc.reference_table.cross_reference_type = XrefType::CrossReferenceTable;
    let pages_id = doc.new_object_id();

    let fonts = add_fonts(&mut doc, pages);
    // The /ID is a hash of what the file shows: the title, the fonts by name (a subset's name
    // is a hash of its glyphs) and every page's content. Equal content gives an equal /ID
    // without writing the file twice.
    let mut hash = Sha256::new();
    hash.update(title);
    // English documents keep the /ID they had before the language was a parameter.
    if language != LANGUAGE {
        hash.update([0]);
        hash.update(language);
    }
    for entry in &fonts {
        hash.update([0]);
        hash.update(&entry.resource);
        hash.update(&entry.name);
    }
    let kids: Vec<Object> = pages
        .iter()
        .map(|page| Object::Reference(add_page(&mut doc, page, pages_id, &fonts, &mut hash)))
        .collect();
    let mut pages_dict = Dictionary::new();
    pages_dict.set("Type", name("Pages"));
    pages_dict.set("Count", Object::Integer(kids.len() as i64));
    pages_dict.set("Kids", Object::Array(kids));
    doc.objects.insert(pages_id, Object::Dictionary(pages_dict));

    let catalog_id = add_catalog(&mut doc, pages_id, title, language);
    let mut info = Dictionary::new();
    info.set("Title", lopdf::text_string(title));
    let info_id = doc.add_object(info);
    doc.trailer.set("Root", Object::Reference(catalog_id));
    doc.trailer.set("Info", Object::Reference(info_id));
    let id = Object::String(hash.finalize()[..16].to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    save(&mut doc)
}

/// Adds every font the pages use: a core font by name, an embedded font as the subset of the
/// glyphs all pages show in it.
fn add_fonts(doc: &mut Document, pages: &[Page]) -> Vec<FontEntry> {
    let used: BTreeSet<Font> = pages.iter().flat_map(|p| p.fonts.iter().copied()).collect();
    let mut shown = shown_glyphs(pages, &used);
    used.into_iter()
        .map(|font| {
            let (id, subset) = match (font.face(), shown.remove(&font)) {
                (Some(face), Some(ids)) => {
                    let (id, subset) = fontfile::embed(doc, face, &ids);
                    (id, Some(subset))
                }
                _ => {
                    let mut dict = Dictionary::new();
                    dict.set("Type", name("Font"));
                    dict.set("Subtype", name("Type1"));
                    dict.set("BaseFont", name(font.base_name()));
                    dict.set("Encoding", name("WinAnsiEncoding"));
                    (doc.add_object(dict), None)
                }
            };
            let name = subset
                .as_ref()
                .map_or(font.base_name(), |s| s.name())
                .to_string();
            FontEntry {
                font,
                resource: font.resource_name(),
                id,
                subset,
                name,
            }
        })
        .collect()
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
    let resources: Vec<(String, Font)> = marks.keys().map(|f| (f.resource_name(), *f)).collect();
    for page in pages {
        let mut current = None;
        for operation in &page.operations {
            match (operation.operator.as_str(), operation.operands.first()) {
                ("Tf", Some(Object::Name(resource))) => {
                    current = resources
                        .iter()
                        .find(|(name, _)| name.as_bytes() == resource.as_slice())
                        .map(|(_, font)| *font);
                }
                ("Tj", Some(Object::String(bytes, _))) => {
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

/// Adds one page, its content and its resources, and hashes the content into `hash`; returns
/// the page's object.
fn add_page(
    doc: &mut Document,
    page: &Page,
    parent: ObjectId,
    fonts: &[FontEntry],
    hash: &mut Sha256,
) -> ObjectId {
    let bytes = content::encode(&page.operations, |resource| {
        fonts
            .iter()
            .find(|e| e.resource.as_bytes() == resource)
            .and_then(|e| e.subset.as_deref())
    });
    let stream = compressed_stream(bytes);
    hash.update([1]);
    hash.update(&stream.content);
    let content_id = doc.add_object(stream);

    let mut font_resources = Dictionary::new();
    for entry in fonts.iter().filter(|e| page.fonts.contains(&e.font)) {
        font_resources.set(entry.resource.as_str(), Object::Reference(entry.id));
    }
    let mut resources = Dictionary::new();
    resources.set("Font", Object::Dictionary(font_resources));
    if !page.opacities.is_empty() {
        let mut states = Dictionary::new();
        for &percent in &page.opacities {
            let alpha = Object::Real(f32::from(percent) / 100.0);
            let mut state = Dictionary::new();
            state.set("Type", name("ExtGState"));
            state.set("ca", alpha.clone());
            state.set("CA", alpha);
            states.set(opacity_name(percent), Object::Dictionary(state));
        }
        resources.set("ExtGState", Object::Dictionary(states));
    }

    let mut dict = Dictionary::new();
    dict.set("Type", name("Page"));
    dict.set("Parent", Object::Reference(parent));
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
    doc.add_object(dict)
}

/// Adds the catalog: the pages, the language, the title shown in the window, the metadata.
fn add_catalog(doc: &mut Document, pages_id: ObjectId, title: &str, language: &str) -> ObjectId {
    let mut metadata = Dictionary::new();
    metadata.set("Type", name("Metadata"));
    metadata.set("Subtype", name("XML"));
    // Left uncompressed, as XMP is meant to be, so that tools that scan files for it find it.
    let metadata_id = doc.add_object(Stream::new(metadata, xmp(title, language).into_bytes()));

    let mut viewer = Dictionary::new();
    viewer.set("DisplayDocTitle", Object::Boolean(true));
    let mut catalog = Dictionary::new();
    catalog.set("Type", name("Catalog"));
    catalog.set("Pages", Object::Reference(pages_id));
    catalog.set("Lang", lopdf::text_string(language));
    catalog.set("ViewerPreferences", Object::Dictionary(viewer));
    catalog.set("Metadata", Object::Reference(metadata_id));
    doc.add_object(catalog)
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

fn save(doc: &mut Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    // Writing into a Vec cannot fail; an error here could only come from the allocator,
    // which aborts instead of returning.
    if doc.save_to(&mut bytes).is_err() {
        bytes.clear();
    }
    bytes
}

fn name(text: &str) -> Object {
    Object::Name(text.as_bytes().to_vec())
}

/// `bytes` deflated at `level`, or None if deflating failed. Each thread keeps a compressor
/// per level and resets it between streams: making one allocates and clears a few hundred
/// kilobytes of tables, which cost more than compressing a page.
pub(super) fn deflate(bytes: &[u8], level: flate2::Compression) -> Option<Vec<u8>> {
    use flate2::{Compress, FlushCompress, Status};
    use std::cell::RefCell;
    thread_local! {
        static COMPRESSORS: RefCell<Vec<(u32, Compress)>> = const { RefCell::new(Vec::new()) };
    }
    COMPRESSORS.with(|cell| {
        let mut compressors = cell.borrow_mut();
        let index = match compressors.iter().position(|(l, _)| *l == level.level()) {
            Some(index) => index,
            None => {
                compressors.push((level.level(), Compress::new(level, true)));
                compressors.len() - 1
            }
        };
        let compress = &mut compressors[index].1;
        // A stream cut short by an error left the compressor mid-stream.
        compress.reset();
        let mut out = Vec::with_capacity(bytes.len() / 2 + 64);
        loop {
            let consumed = usize::try_from(compress.total_in()).ok()?;
            let status = compress
                .compress_vec(bytes.get(consumed..)?, &mut out, FlushCompress::Finish)
                .ok()?;
            if status == Status::StreamEnd {
                return Some(out);
            }
            out.reserve(out.capacity().max(64));
        }
    })
}

/// A content stream, compressed at the fastest level: page content is small and repetitive, so
/// the fast level loses little size and saves most of the time.
fn compressed_stream(bytes: Vec<u8>) -> Stream {
    match deflate(&bytes, flate2::Compression::fast()) {
        Some(packed) => {
            let mut dict = Dictionary::new();
            dict.set("Filter", name("FlateDecode"));
            Stream::new(dict, packed)
        }
        // Compression is an optimisation only; an uncompressed stream is just as valid.
        None => Stream::new(Dictionary::new(), bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn xml_text_drops_what_xml_cannot_hold() {
        assert_eq!(xml_text("a\u{7}b\tc\"d"), "ab c&quot;d");
    }
}
