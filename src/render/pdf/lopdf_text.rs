//! Test support, shared with the integration tests: a PDF parsed so that lopdf can read its
//! text. lopdf decodes a Type0 font's text through its ToUnicode map only when the encoding is
//! named Identity-H, and a small subset's glyphs are shown through an embedded one-byte CMap
//! instead (whose ToUnicode map has the one-byte codes). Poppler, pypdf and the viewers read
//! the file as it is.

/// `bytes` parsed, each font shown through an embedded CMap renamed Identity-H in memory.
pub fn readable(bytes: &[u8]) -> lopdf::Document {
    let mut doc = lopdf::Document::load_mem(bytes).expect("the PDF parses");
    for object in doc.objects.values_mut() {
        let Ok(font) = object.as_dict_mut() else {
            continue;
        };
        let type0 = font.get(b"Subtype").and_then(|s| s.as_name()).ok() == Some(b"Type0");
        if type0 && matches!(font.get(b"Encoding"), Ok(lopdf::Object::Reference(_))) {
            font.set("Encoding", lopdf::Object::Name(b"Identity-H".to_vec()));
        }
    }
    doc
}
