//! An embedded font as PDF objects: the DejaVu face cut down to the glyphs one document shows
//! (by the `subsetter` crate), written as a CIDFontType2 under a Type0 font with Identity-H
//! encoding, with the widths of its glyphs and a ToUnicode CMap, so that text copied or
//! extracted from the PDF is the text that was set.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use lopdf::{Dictionary, Document, Object, ObjectId, Stream};
use sha2::{Digest, Sha256};

use super::dejavu::Face;
use super::fonts::Font;
use super::writer::deflate;

/// How many subsets the cache keeps before it starts over; a month's documents share a
/// handful of glyph sets per face, and each subset is some tens of kilobytes.
const CACHE_LIMIT: usize = 128;

/// A document's subset of one face, ready to write: everything but the object numbers, so
/// that documents showing the same glyphs share one (cached) subset.
#[derive(Debug)]
pub(crate) struct Subset {
    /// The font's name with its subset tag, e.g. `KQXHVA+DejaVuSans`.
    base_font: String,
    /// The TrueType program, deflated (or as is, when deflating failed), and its length before.
    program: (Vec<u8>, bool),
    program_length: usize,
    /// The CID of each glyph shown, indexed by its id in the whole font (0 for glyphs not
    /// shown): an index, since every glyph of every page goes through it.
    cids: Vec<u16>,
    /// The /W array: the width of every CID shown.
    widths: Vec<Object>,
    /// The ToUnicode CMap, deflated or not.
    to_unicode: (Vec<u8>, bool),
}

impl Subset {
    /// The font's name with its subset tag, which differs between different glyph sets.
    pub(crate) fn name(&self) -> &str {
        &self.base_font
    }

    /// The two-byte code of a glyph of the whole font in this subset; `.notdef` (0) for a
    /// glyph the document never recorded, which cannot happen for recorded text.
    pub(crate) fn code(&self, glyph: u16) -> [u8; 2] {
        self.cids
            .get(usize::from(glyph))
            .copied()
            .unwrap_or(0)
            .to_be_bytes()
    }
}

/// Adds the glyphs `ids` (ascending) of `face` to `doc` as a Type0 font; returns the font's
/// object and the subset, whose codes the page contents must use.
pub(crate) fn embed(doc: &mut Document, face: &Face, ids: &[u16]) -> (ObjectId, Arc<Subset>) {
    let subset = cached(face, ids);
    let program = stream(
        &subset.program,
        [("Length1", Object::Integer(subset.program_length as i64))],
    );
    let program_id = doc.add_object(program);
    let descriptor = doc.add_object(descriptor(face, &subset.base_font, program_id));

    let mut cid_font = Dictionary::new();
    cid_font.set("Type", name("Font"));
    cid_font.set("Subtype", name("CIDFontType2"));
    cid_font.set("BaseFont", name(&subset.base_font));
    let mut system = Dictionary::new();
    system.set("Registry", Object::string_literal("Adobe"));
    system.set("Ordering", Object::string_literal("Identity"));
    system.set("Supplement", Object::Integer(0));
    cid_font.set("CIDSystemInfo", Object::Dictionary(system));
    cid_font.set("FontDescriptor", Object::Reference(descriptor));
    cid_font.set("W", Object::Array(subset.widths.clone()));
    cid_font.set("CIDToGIDMap", name("Identity"));
    let cid_font = doc.add_object(cid_font);

    let to_unicode = doc.add_object(stream(&subset.to_unicode, []));
    let mut font = Dictionary::new();
    font.set("Type", name("Font"));
    font.set("Subtype", name("Type0"));
    font.set("BaseFont", name(&subset.base_font));
    font.set("Encoding", name("Identity-H"));
    font.set(
        "DescendantFonts",
        Object::Array(vec![Object::Reference(cid_font)]),
    );
    font.set("ToUnicode", Object::Reference(to_unicode));
    (doc.add_object(font), subset)
}

/// The subset of `glyphs` of `face`, made once per distinct set while the cache holds it.
/// Subsetting and deflating a face takes far longer than laying out a page, and documents of
/// one kind mostly show the same glyphs.
fn cached(face: &Face, ids: &[u16]) -> Arc<Subset> {
    type Key = (Font, Vec<u16>);
    static CACHE: OnceLock<Mutex<HashMap<Key, Arc<Subset>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Mutex::default);
    let key: Key = (face.font, ids.to_vec());
    // A poisoned lock only means another thread panicked mid-insert; the map is still whole.
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(subset) = lock().get(&key) {
        return Arc::clone(subset);
    }
    let subset = Arc::new(make(face, ids));
    let mut map = lock();
    if map.len() >= CACHE_LIMIT {
        map.clear();
    }
    map.insert(key, Arc::clone(&subset));
    subset
}

fn make(face: &Face, ids: &[u16]) -> Subset {
    let remapper = subsetter::GlyphRemapper::new_from_glyphs_sorted(ids);
    let mut cids = vec![0u16; face.glyph_count()];
    let (program, base_font) = match subsetter::subset(face.data, 0, &remapper) {
        Ok(program) => {
            for &id in ids {
                if let Some(slot) = cids.get_mut(usize::from(id)) {
                    *slot = remapper.get(id).unwrap_or(0);
                }
            }
            let tagged = format!("{}+{}", tag(face, ids), face.font.base_name());
            (program, tagged)
        }
        // The bundled faces subset cleanly (a test checks every one); should one ever fail,
        // the whole face is embedded, where each glyph's CID is its own id, and bears no tag.
        Err(_) => {
            for &id in ids {
                if let Some(slot) = cids.get_mut(usize::from(id)) {
                    *slot = id;
                }
            }
            (face.data.to_vec(), face.font.base_name().to_string())
        }
    };
    let by_cid: BTreeMap<u16, (u16, char)> = ids
        .iter()
        .filter_map(|&id| {
            let cid = *cids.get(usize::from(id)).filter(|cid| **cid != 0)?;
            Some((cid, (id, face.char_of(id)?)))
        })
        .collect();
    Subset {
        base_font,
        program_length: program.len(),
        program: packed(program),
        cids,
        widths: widths(face, &by_cid),
        to_unicode: packed(to_unicode(&by_cid).into_bytes()),
    }
}

/// A subset's tag: six capitals that differ between subsets of different glyphs, taken from a
/// hash of them so that the same document always gets the same name.
fn tag(face: &Face, ids: &[u16]) -> String {
    let mut hash = Sha256::new();
    hash.update(face.font.base_name());
    for id in ids {
        hash.update(id.to_be_bytes());
    }
    hash.finalize()
        .iter()
        .take(6)
        .map(|b| char::from(b'A' + b % 26))
        .collect()
}

/// The /W array: runs of consecutive CIDs, each with the widths of its glyphs.
fn widths(face: &Face, by_cid: &BTreeMap<u16, (u16, char)>) -> Vec<Object> {
    let mut array = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut start = 0u16;
    let mut next = None;
    for (&cid, &(id, _)) in by_cid {
        if next != Some(cid) && !run.is_empty() {
            array.push(Object::Integer(i64::from(start)));
            array.push(Object::Array(std::mem::take(&mut run)));
        }
        if run.is_empty() {
            start = cid;
        }
        run.push(Object::Integer(i64::from(face.glyph_width(id))));
        next = cid.checked_add(1);
    }
    if !run.is_empty() {
        array.push(Object::Integer(i64::from(start)));
        array.push(Object::Array(run));
    }
    array
}

/// The ToUnicode CMap: each CID to the character it was set for, in UTF-16BE.
fn to_unicode(by_cid: &BTreeMap<u16, (u16, char)>) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let entries: Vec<(u16, char)> = by_cid.iter().map(|(cid, (_, c))| (*cid, *c)).collect();
    // A bfchar section may hold at most 100 entries.
    for chunk in entries.chunks(100) {
        let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
        for (cid, c) in chunk {
            let mut units = [0u16; 2];
            let hex: String = c
                .encode_utf16(&mut units)
                .iter()
                .map(|u| format!("{u:04X}"))
                .collect();
            let _ = writeln!(cmap, "<{cid:04X}> <{hex}>");
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// The font descriptor of a subset.
fn descriptor(face: &Face, base_font: &str, program: ObjectId) -> Dictionary {
    // Symbolic (4): the glyphs go beyond the standard Latin set; fixed pitch (1); italic (64).
    let flags = 4 | i64::from(face.monospaced) | if face.italic_angle != 0.0 { 64 } else { 0 };
    // The stem width is not in the font; this is the usual estimate from its weight class.
    let stem = 10.0 + 0.244 * (f32::from(face.weight) - 50.0);
    let mut dict = Dictionary::new();
    dict.set("Type", name("FontDescriptor"));
    dict.set("FontName", name(base_font));
    dict.set("Flags", Object::Integer(flags));
    dict.set(
        "FontBBox",
        Object::Array(
            face.bbox
                .iter()
                .map(|v| Object::Integer(i64::from(*v)))
                .collect(),
        ),
    );
    dict.set("ItalicAngle", Object::Real(face.italic_angle));
    dict.set("Ascent", Object::Integer(i64::from(face.ascender)));
    dict.set("Descent", Object::Integer(i64::from(face.descender)));
    dict.set("CapHeight", Object::Integer(i64::from(face.cap_height)));
    dict.set("StemV", Object::Integer(stem.round() as i64));
    dict.set("FontFile2", Object::Reference(program));
    dict
}

/// Deflated bytes, or the bytes as they are when deflating fails. A subset is deflated once
/// and written into every document that shows its glyphs, so it gets the best compression.
fn packed(bytes: Vec<u8>) -> (Vec<u8>, bool) {
    match deflate(&bytes, flate2::Compression::best()) {
        Some(packed) => (packed, true),
        None => (bytes, false),
    }
}

/// A stream of `content` (deflated or not) with further entries in its dictionary.
fn stream<const N: usize>(content: &(Vec<u8>, bool), entries: [(&str, Object); N]) -> Stream {
    let mut dict = Dictionary::new();
    if content.1 {
        dict.set("Filter", name("FlateDecode"));
    }
    for (key, value) in entries {
        dict.set(key, value);
    }
    Stream::new(dict, content.0.clone())
}

fn name(text: &str) -> Object {
    Object::Name(text.as_bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::dejavu;

    fn glyphs_of(face: &Face, text: &str) -> Vec<u16> {
        let mut ids = Vec::new();
        face.each_glyph(text, |g, _| ids.push(g.id), |_| {});
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    #[test]
    fn every_face_subsets_and_the_subset_parses() {
        for font in Font::ALL.into_iter().filter(|f| f.is_embedded()) {
            let face = dejavu::face(font).expect("embedded");
            let glyphs = glyphs_of(
                face,
                "Nguyễn Łukasz Zoë Øyvind Şahin Дмитрий ნინო 97124 → ✓",
            );
            let subset = make(face, &glyphs);
            assert!(
                subset.base_font.len() == 7 + font.base_name().len(),
                "{font:?}"
            );
            assert!(
                subset.program_length < 40_000,
                "{font:?}: {}",
                subset.program_length
            );
            let program = &subset.program;
            let raw = if program.1 {
                use std::io::Read;
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(&program.0[..])
                    .read_to_end(&mut out)
                    .expect("inflates");
                out
            } else {
                program.0.clone()
            };
            let parsed = ttf_parser::Face::parse(&raw, 0).expect("the subset parses");
            assert!(usize::from(parsed.number_of_glyphs()) > glyphs.len());
            let codes: Vec<u16> = glyphs
                .iter()
                .map(|g| u16::from_be_bytes(subset.code(*g)))
                .collect();
            assert!(codes.iter().all(|&c| c != 0), "{codes:?}");
        }
    }

    #[test]
    fn the_cmap_maps_codes_back_to_their_characters() {
        let face = dejavu::face(Font::Sans).expect("sans");
        let glyphs = glyphs_of(face, "Aé");
        let subset = make(face, &glyphs);
        let by_cid = glyphs
            .iter()
            .map(|g| {
                let cid = u16::from_be_bytes(subset.code(*g));
                (cid, (*g, face.char_of(*g).expect("a character")))
            })
            .collect();
        let cmap = to_unicode(&by_cid);
        let a = u16::from_be_bytes(subset.code(face.glyph('A').expect("A").id));
        assert!(cmap.contains(&format!("<{a:04X}> <0041>")), "{cmap}");
        assert!(cmap.contains("> <00E9>"), "{cmap}");
        assert!(cmap.contains("2 beginbfchar"), "{cmap}");
        // Beyond the BMP a character is written as its surrogate pair.
        let wide = to_unicode(&[(9, (1, '\u{1D400}'))].into_iter().collect());
        assert!(wide.contains("<0009> <D835DC00>"), "{wide}");
    }

    #[test]
    fn widths_come_in_runs_of_consecutive_codes() {
        let face = dejavu::face(Font::Sans).expect("sans");
        let by_cid: BTreeMap<u16, (u16, char)> = [(1, (36, 'A')), (2, (37, 'B')), (5, (3, ' '))]
            .into_iter()
            .collect();
        let array = widths(face, &by_cid);
        assert_eq!(array.len(), 4);
        assert_eq!(array[0], Object::Integer(1));
        assert_eq!(array[2], Object::Integer(5));
    }

    #[test]
    fn tags_are_stable_and_differ_between_glyph_sets() {
        let face = dejavu::face(Font::Sans).expect("sans");
        assert_eq!(tag(face, &[1, 2, 3]), tag(face, &[1, 2, 3]));
        assert_ne!(tag(face, &[1, 2, 3]), tag(face, &[1, 2, 4]));
        assert!(tag(face, &[7]).chars().all(|c| c.is_ascii_uppercase()));
    }
}
