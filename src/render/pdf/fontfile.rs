//! An embedded font as PDF objects: the DejaVu face cut down to the glyphs one document shows
//! (by the `subsetter` crate), written as a CIDFontType2 under a Type0 font, with the widths of
//! its glyphs and a ToUnicode CMap, so that text copied or extracted from the PDF is the text
//! that was set. A subset of at most 256 glyphs (nearly every document) is shown with one byte
//! per glyph through an embedded CMap that maps each byte to the CID of the same number; a
//! larger one with two, through Identity-H. Text is half of a page's content, so one-byte
//! codes make every page shorter to write, compress and hash.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, OnceLock};

use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Chunk, Finish, Name, Rect, Ref, Str};
use sha2::{Digest, Sha256};

use super::dejavu::Face;
use super::fonts::Font;
use super::writer::{Ids, Packed};

/// How many subsets the cache keeps before it starts over; a month's documents share a
/// handful of glyph sets per face, and each subset is some tens of kilobytes.
const CACHE_LIMIT: usize = 128;

/// A document's subset of one face, ready to write: everything but the object numbers, so
/// that documents showing the same glyphs share one (cached) subset and each only writes
/// references and small dictionaries around it.
#[derive(Debug)]
pub(crate) struct Subset {
    /// The font's name with its subset tag, e.g. `KQXHVA+DejaVuSans`.
    base_font: String,
    /// The TrueType program, deflated (or as is, when deflating failed), and its length before.
    program: Packed,
    program_length: i32,
    /// The CID of each glyph shown, indexed by its id in the whole font (0 for glyphs not
    /// shown): an index, since every glyph of every page goes through it.
    cids: Vec<u16>,
    /// Whether every CID fits in one byte, which is then the glyph's code.
    one_byte: bool,
    /// The /W array: runs of consecutive CIDs, each its first CID and the widths of its glyphs.
    widths: Vec<(u16, Vec<u16>)>,
    /// The ToUnicode CMap, deflated or not.
    to_unicode: Packed,
}

impl Subset {
    /// The CID of a glyph of the whole font in this subset; `.notdef` (0) for a glyph the
    /// document never recorded, which cannot happen for recorded text.
    fn cid(&self, glyph: u16) -> u16 {
        self.cids.get(usize::from(glyph)).copied().unwrap_or(0)
    }

    /// Appends the code of a glyph of the whole font: one byte in a subset of at most 256
    /// glyphs, two (big-endian) in a larger one.
    pub(crate) fn push_code(&self, glyph: u16, out: &mut Vec<u8>) {
        let [high, low] = self.cid(glyph).to_be_bytes();
        if !self.one_byte {
            out.push(high);
        }
        out.push(low);
    }

    /// How many bytes the subset's streams add to a document.
    pub(crate) fn stream_len(&self) -> usize {
        self.program.bytes.len() + self.to_unicode.bytes.len()
    }
}

/// Writes `subset` of `face` into `pdf` as a Type0 font, its objects numbered by `ids`;
/// returns the font's object, numbered after the others as it always was. `one_byte` is the
/// document's one-byte CMap, written by [`write_one_byte_cmap`] when a subset needs it.
pub(crate) fn write(
    pdf: &mut Chunk,
    face: &Face,
    subset: &Subset,
    one_byte: Option<Ref>,
    ids: &mut Ids,
) -> Ref {
    let base_font = Name(subset.base_font.as_bytes());
    let program = ids.next();
    subset
        .program
        .write(pdf, program)
        .pair(Name(b"Length1"), subset.program_length);
    let descriptor = ids.next();
    write_descriptor(pdf, face, base_font, descriptor, program);

    let cid_font = ids.next();
    let mut cid = pdf.cid_font(cid_font);
    cid.subtype(CidFontType::Type2)
        .base_font(base_font)
        .system_info(identity())
        .font_descriptor(descriptor);
    let mut widths = cid.widths();
    for (start, run) in &subset.widths {
        widths.consecutive(*start, run.iter().map(|&w| f32::from(w)));
    }
    widths.finish();
    cid.cid_to_gid_map_predefined(Name(b"Identity"));
    cid.finish();

    let to_unicode = ids.next();
    subset.to_unicode.write(pdf, to_unicode);
    let font = ids.next();
    let mut type0 = pdf.type0_font(font);
    type0.base_font(base_font);
    match one_byte.filter(|_| subset.one_byte) {
        Some(cmap) => type0.encoding_cmap(cmap),
        None => type0.encoding_predefined(Name(b"Identity-H")),
    };
    type0.descendant_font(cid_font).to_unicode(to_unicode);
    font
}

/// Whether the subset's glyphs are shown with one byte each, through the one-byte CMap.
pub(crate) fn needs_one_byte_cmap(subset: &Subset) -> bool {
    subset.one_byte
}

/// Writes the one-byte CMap, which every font of a document whose subset has at most 256
/// glyphs shares: each byte is the CID of its own number, as Identity-H is for two bytes.
pub(crate) fn write_one_byte_cmap(pdf: &mut Chunk, ids: &mut Ids) -> Ref {
    static PACKED: OnceLock<Packed> = OnceLock::new();
    let packed = PACKED.get_or_init(|| packed(ONE_BYTE_CMAP.as_bytes().to_vec()));
    let id = ids.next();
    let mut stream = pdf.cmap(id, &packed.bytes);
    stream
        .name(Name(ONE_BYTE_CMAP_NAME.as_bytes()))
        .system_info(identity());
    if packed.deflated {
        stream.filter(pdf_writer::Filter::FlateDecode);
    }
    id
}

/// The name of the one-byte CMap.
const ONE_BYTE_CMAP_NAME: &str = "Identity-OneByte-H";

/// The one-byte CMap's program.
const ONE_BYTE_CMAP: &str = "/CIDInit /ProcSet findresource begin\n\
12 dict begin\n\
begincmap\n\
/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> def\n\
/CMapName /Identity-OneByte-H def\n\
/CMapType 1 def\n\
/WMode 0 def\n\
1 begincodespacerange\n\
<00> <FF>\n\
endcodespacerange\n\
1 begincidrange\n\
<00> <FF> 0\n\
endcidrange\n\
endcmap\n\
CMapName currentdict /CMap defineresource pop\n\
end\n\
end\n";

/// Adobe-Identity-0, the character collection of the CIDs the subsets number their glyphs by.
fn identity() -> SystemInfo<'static> {
    SystemInfo {
        registry: Str(b"Adobe"),
        ordering: Str(b"Identity"),
        supplement: 0,
    }
}

/// The subset of the glyphs `ids` (ascending) of `face`, whose codes the page contents must
/// use; made once per distinct set while the cache holds it. Subsetting and deflating a face
/// takes far longer than laying out a page, and documents of one kind mostly show the same
/// glyphs.
pub(crate) fn subset(face: &Face, ids: &[u16]) -> Arc<Subset> {
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
    let one_byte = cids.iter().all(|&cid| cid <= 0xFF);
    Subset {
        base_font,
        // A face larger than a PDF stream may be (2 GB) could not be written at all.
        program_length: i32::try_from(program.len()).unwrap_or(i32::MAX),
        program: packed(program),
        cids,
        one_byte,
        widths: widths(face, &by_cid),
        to_unicode: packed(to_unicode(&by_cid, one_byte).into_bytes()),
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
fn widths(face: &Face, by_cid: &BTreeMap<u16, (u16, char)>) -> Vec<(u16, Vec<u16>)> {
    let mut runs: Vec<(u16, Vec<u16>)> = Vec::new();
    let mut next = None;
    for (&cid, &(id, _)) in by_cid {
        let width = face.glyph_width(id);
        match runs.last_mut() {
            Some((_, run)) if next == Some(cid) => run.push(width),
            _ => runs.push((cid, vec![width])),
        }
        next = cid.checked_add(1);
    }
    runs
}

/// The ToUnicode CMap: each code (the CID, in one byte or two) to the character it was set
/// for, in UTF-16BE.
fn to_unicode(by_cid: &BTreeMap<u16, (u16, char)>, one_byte: bool) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n",
    );
    cmap.push_str(if one_byte {
        "1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
    } else {
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
    });
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
            let _ = if one_byte {
                writeln!(cmap, "<{cid:02X}> <{hex}>")
            } else {
                writeln!(cmap, "<{cid:04X}> <{hex}>")
            };
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
    cmap
}

/// Writes the font descriptor of a subset named `base_font`, whose program is `program`.
fn write_descriptor(pdf: &mut Chunk, face: &Face, base_font: Name, id: Ref, program: Ref) {
    // Symbolic: the glyphs go beyond the standard Latin set.
    let mut flags = FontFlags::SYMBOLIC;
    flags.set(FontFlags::FIXED_PITCH, face.monospaced);
    flags.set(FontFlags::ITALIC, face.italic_angle != 0.0);
    // The stem width is not in the font; this is the usual estimate from its weight class.
    let stem = 10.0 + 0.244 * (f32::from(face.weight) - 50.0);
    // The metrics are thousandths of an em, far inside the range f32 holds exactly.
    let [left, bottom, right, top] = face.bbox.map(|v| v as f32);
    pdf.font_descriptor(id)
        .name(base_font)
        .flags(flags)
        .bbox(Rect::new(left, bottom, right, top))
        .italic_angle(face.italic_angle)
        .ascent(face.ascender as f32)
        .descent(face.descender as f32)
        .cap_height(face.cap_height as f32)
        .stem_v(stem.round())
        .font_file2(program);
}

/// Deflated bytes, or the bytes as they are when deflating fails. A subset is deflated once
/// and written into every document that shows its glyphs, so it gets the best compression.
fn packed(bytes: Vec<u8>) -> Packed {
    Packed::new(bytes, flate2::Compression::best())
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
            let raw = if program.deflated {
                use std::io::Read;
                let mut out = Vec::new();
                flate2::read::ZlibDecoder::new(&program.bytes[..])
                    .read_to_end(&mut out)
                    .expect("inflates");
                out
            } else {
                program.bytes.clone()
            };
            let parsed = ttf_parser::Face::parse(&raw, 0).expect("the subset parses");
            assert!(usize::from(parsed.number_of_glyphs()) > glyphs.len());
            let codes: Vec<u16> = glyphs.iter().map(|g| subset.cid(*g)).collect();
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
                let cid = subset.cid(*g);
                (cid, (*g, face.char_of(*g).expect("a character")))
            })
            .collect();
        let a = subset.cid(face.glyph('A').expect("A").id);
        let cmap = to_unicode(&by_cid, false);
        assert!(cmap.contains(&format!("<{a:04X}> <0041>")), "{cmap}");
        assert!(cmap.contains("<0000> <FFFF>"), "{cmap}");
        assert!(cmap.contains("> <00E9>"), "{cmap}");
        assert!(cmap.contains("2 beginbfchar"), "{cmap}");
        // A subset of one-byte codes maps single bytes.
        let short = to_unicode(&by_cid, true);
        assert!(short.contains(&format!("\n<{a:02X}> <0041>")), "{short}");
        assert!(short.contains("<00> <FF>"), "{short}");
        // Beyond the BMP a character is written as its surrogate pair.
        let wide = to_unicode(&[(9, (1, '\u{1D400}'))].into_iter().collect(), false);
        assert!(wide.contains("<0009> <D835DC00>"), "{wide}");
    }

    #[test]
    fn small_subsets_show_a_glyph_in_one_byte_and_large_ones_in_two() {
        let face = dejavu::face(Font::Sans).expect("sans");
        let small = make(face, &glyphs_of(face, "Aé"));
        assert!(small.one_byte);
        let a = face.glyph('A').expect("A").id;
        let mut out = Vec::new();
        small.push_code(a, &mut out);
        assert_eq!(out, [u8::try_from(small.cid(a)).expect("one byte")]);

        let many: Vec<u16> = (1..400).collect();
        let large = make(face, &many);
        assert!(!large.one_byte);
        out.clear();
        large.push_code(a, &mut out);
        assert_eq!(out, large.cid(a).to_be_bytes());
        assert!(large.cid(399) > 0xFF);
    }

    #[test]
    fn widths_come_in_runs_of_consecutive_codes() {
        let face = dejavu::face(Font::Sans).expect("sans");
        let by_cid: BTreeMap<u16, (u16, char)> = [(1, (36, 'A')), (2, (37, 'B')), (5, (3, ' '))]
            .into_iter()
            .collect();
        let runs = widths(face, &by_cid);
        let a = face.glyph_width(36);
        let b = face.glyph_width(37);
        let space = face.glyph_width(3);
        assert_eq!(runs, [(1, vec![a, b]), (5, vec![space])]);
    }

    #[test]
    fn tags_are_stable_and_differ_between_glyph_sets() {
        let face = dejavu::face(Font::Sans).expect("sans");
        assert_eq!(tag(face, &[1, 2, 3]), tag(face, &[1, 2, 3]));
        assert_ne!(tag(face, &[1, 2, 3]), tag(face, &[1, 2, 4]));
        assert!(tag(face, &[7]).chars().all(|c| c.is_ascii_uppercase()));
    }
}
