//! WinAnsiEncoding, the single-byte character set of the PDF core fonts: which characters it
//! holds, their glyph names, and the transliteration of every other character.
//!
//! lopdf's own WinAnsi encoder silently drops characters it cannot encode, so text never reaches
//! it as a `&str`: it is turned into bytes here, and each substitution is reported.

/// Glyph names of WinAnsiEncoding codes 32 to 255 (PDF 32000-1, Annex D); "" marks an unused code.
/// Widths are looked up by these names in the fonts' AFM files, whose own codes follow
/// StandardEncoding and differ from WinAnsi for quotes, accents and everything above 127.
#[rustfmt::skip]
const GLYPH_NAMES: [&str; 224] = [
    // 32..=63
    "space", "exclam", "quotedbl", "numbersign", "dollar", "percent", "ampersand", "quotesingle",
    "parenleft", "parenright", "asterisk", "plus", "comma", "hyphen", "period", "slash",
    "zero", "one", "two", "three", "four", "five", "six", "seven",
    "eight", "nine", "colon", "semicolon", "less", "equal", "greater", "question",
    // 64..=95
    "at", "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O",
    "P", "Q", "R", "S", "T", "U", "V", "W", "X", "Y", "Z",
    "bracketleft", "backslash", "bracketright", "asciicircum", "underscore",
    // 96..=127
    "grave", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z",
    "braceleft", "bar", "braceright", "asciitilde", "",
    // 128..=159
    "Euro", "", "quotesinglbase", "florin", "quotedblbase", "ellipsis", "dagger", "daggerdbl",
    "circumflex", "perthousand", "Scaron", "guilsinglleft", "OE", "", "Zcaron", "",
    "", "quoteleft", "quoteright", "quotedblleft", "quotedblright", "bullet", "endash", "emdash",
    "tilde", "trademark", "scaron", "guilsinglright", "oe", "", "zcaron", "Ydieresis",
    // 160..=191
    "space", "exclamdown", "cent", "sterling", "currency", "yen", "brokenbar", "section",
    "dieresis", "copyright", "ordfeminine", "guillemotleft", "logicalnot", "hyphen", "registered", "macron",
    "degree", "plusminus", "twosuperior", "threesuperior", "acute", "mu", "paragraph", "periodcentered",
    "cedilla", "onesuperior", "ordmasculine", "guillemotright", "onequarter", "onehalf", "threequarters", "questiondown",
    // 192..=223
    "Agrave", "Aacute", "Acircumflex", "Atilde", "Adieresis", "Aring", "AE", "Ccedilla",
    "Egrave", "Eacute", "Ecircumflex", "Edieresis", "Igrave", "Iacute", "Icircumflex", "Idieresis",
    "Eth", "Ntilde", "Ograve", "Oacute", "Ocircumflex", "Otilde", "Odieresis", "multiply",
    "Oslash", "Ugrave", "Uacute", "Ucircumflex", "Udieresis", "Yacute", "Thorn", "germandbls",
    // 224..=255
    "agrave", "aacute", "acircumflex", "atilde", "adieresis", "aring", "ae", "ccedilla",
    "egrave", "eacute", "ecircumflex", "edieresis", "igrave", "iacute", "icircumflex", "idieresis",
    "eth", "ntilde", "ograve", "oacute", "ocircumflex", "otilde", "odieresis", "divide",
    "oslash", "ugrave", "uacute", "ucircumflex", "udieresis", "yacute", "thorn", "ydieresis",
];

/// The characters of codes 128 to 159, the only WinAnsi codes that are not Latin-1.
const HIGH_CODES: [(u8, char); 27] = [
    (0x80, '\u{20AC}'),
    (0x82, '\u{201A}'),
    (0x83, '\u{0192}'),
    (0x84, '\u{201E}'),
    (0x85, '\u{2026}'),
    (0x86, '\u{2020}'),
    (0x87, '\u{2021}'),
    (0x88, '\u{02C6}'),
    (0x89, '\u{2030}'),
    (0x8A, '\u{0160}'),
    (0x8B, '\u{2039}'),
    (0x8C, '\u{0152}'),
    (0x8E, '\u{017D}'),
    (0x91, '\u{2018}'),
    (0x92, '\u{2019}'),
    (0x93, '\u{201C}'),
    (0x94, '\u{201D}'),
    (0x95, '\u{2022}'),
    (0x96, '\u{2013}'),
    (0x97, '\u{2014}'),
    (0x98, '\u{02DC}'),
    (0x99, '\u{2122}'),
    (0x9A, '\u{0161}'),
    (0x9B, '\u{203A}'),
    (0x9C, '\u{0153}'),
    (0x9E, '\u{017E}'),
    (0x9F, '\u{0178}'),
];

/// Replacements chosen over deunicode's where its spelling would change the meaning on a form
/// ("≠" would become "=", "→" a bare "-") or read oddly ("✔" becomes "checkmark").
const OVERRIDES: [(char, &str); 17] = [
    ('\u{2192}', "->"),
    ('\u{2190}', "<-"),
    ('\u{2194}', "<->"),
    ('\u{21D2}', "=>"),
    ('\u{21D0}', "<="),
    ('\u{21D4}', "<=>"),
    ('\u{2191}', "^"),
    ('\u{2193}', "v"),
    ('\u{2260}', "!="),
    ('\u{2713}', "[x]"),
    ('\u{2714}', "[x]"),
    ('\u{2705}', "[x]"),
    ('\u{2611}', "[x]"),
    ('\u{2612}', "[x]"),
    ('\u{2610}', "[ ]"),
    ('\u{2717}', "x"),
    ('\u{2718}', "x"),
];

/// What stands in a PDF string for a character outside WinAnsi when nothing better is known.
const UNKNOWN: &str = "?";

/// The glyph name of a WinAnsi code, or `None` for a control or unused code.
pub(crate) fn glyph_name(code: u8) -> Option<&'static str> {
    let index = usize::from(code).checked_sub(32)?;
    GLYPH_NAMES
        .get(index)
        .copied()
        .filter(|name| !name.is_empty())
}

/// The WinAnsi code of a character, or `None` when the fonts cannot show it.
pub(crate) fn code_of(c: char) -> Option<u8> {
    let scalar = u32::from(c);
    match scalar {
        0x20..=0x7E | 0xA0..=0xFF => u8::try_from(scalar).ok(),
        _ => HIGH_CODES
            .iter()
            .find(|(_, high)| *high == c)
            .map(|(code, _)| *code),
    }
}

/// A character that a font cannot show, and the text printed in its place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Substitution {
    /// The character as it came in.
    pub original: char,
    /// The text printed instead; empty when the character has no printable form.
    pub replacement: String,
    /// Why it was replaced, as the middle of the warning ("cannot be printed in ...").
    pub reason: &'static str,
}

/// Why a character is replaced when it is set in a core font.
const CORE_REASON: &str = "cannot be printed in a PDF core font";

impl Substitution {
    /// The warning shown to the user for this substitution.
    pub fn warning(&self) -> String {
        let shown = if self.original.is_control() {
            String::new()
        } else {
            format!("'{}' ", self.original)
        };
        let code = u32::from(self.original);
        let reason = self.reason;
        if self.replacement.is_empty() {
            format!("character {shown}(U+{code:04X}) {reason} and was left out")
        } else {
            format!(
                "character {shown}(U+{code:04X}) {reason} and was printed as \"{}\"",
                self.replacement
            )
        }
    }
}

/// Text turned into WinAnsi bytes, with every character that had to be replaced.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Encoded {
    /// The bytes to show with a WinAnsi font.
    pub bytes: Vec<u8>,
    /// Each distinct replaced character, in the order first met.
    pub substitutions: Vec<Substitution>,
}

/// Encodes `text` for a WinAnsi font, transliterating whatever the encoding lacks.
pub(crate) fn encode(text: &str) -> Encoded {
    let mut encoded = Encoded {
        bytes: Vec::with_capacity(text.len()),
        substitutions: Vec::new(),
    };
    for c in text.chars() {
        if let Some(code) = code_of(c) {
            encoded.bytes.push(code);
            continue;
        }
        // Tabs and line ends have no glyph; in a single line of text they mean a space.
        if matches!(c, '\t' | '\n' | '\r') {
            encoded.bytes.push(b' ');
            continue;
        }
        let replacement = transliterate(c);
        // deunicode answers in ASCII, but its output goes through the same check so that
        // nothing can reach the PDF unencoded.
        encoded
            .bytes
            .extend(replacement.chars().filter_map(code_of));
        if !encoded.substitutions.iter().any(|s| s.original == c) {
            encoded.substitutions.push(Substitution {
                original: c,
                replacement,
                reason: CORE_REASON,
            });
        }
    }
    encoded
}

/// The WinAnsi text printed for a character the encoding lacks; the embedded fonts, which hold
/// all of WinAnsi, print the same for a character they lack.
pub(crate) fn transliterate(c: char) -> String {
    if let Some((_, text)) = OVERRIDES.iter().find(|(original, _)| *original == c) {
        return (*text).to_string();
    }
    if c.is_control() {
        return String::new();
    }
    match deunicode::deunicode_char(c) {
        Some(text) => {
            // deunicode pads whole words ("Zhong ") for runs of CJK; a lone trailing space
            // would double the spacing of ordinary text.
            let trimmed = text.trim();
            if trimmed.is_empty() && !text.is_empty() {
                // Exotic spaces (thin, zero-width, line separator) still separate words.
                " ".to_string()
            } else if trimmed.chars().all(|t| code_of(t).is_some()) {
                trimmed.to_string()
            } else {
                UNKNOWN.to_string()
            }
        }
        None => UNKNOWN.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_decodes_back_to_its_character_with_lopdf() {
        let decoder = lopdf::Encoding::SimpleEncoding(b"WinAnsiEncoding");
        for code in 32u8..=255 {
            let Some(_) = glyph_name(code) else { continue };
            let decoded = decoder.bytes_to_string(&[code]).unwrap_or_default();
            let c = decoded.chars().next().unwrap_or('\0');
            // lopdf reads the no-break space and the soft hyphen back as their visible forms.
            if code == 0xA0 || code == 0xAD {
                continue;
            }
            assert_eq!(
                code_of(c),
                Some(code),
                "code {code:#x} decoded as {decoded:?}"
            );
        }
    }

    #[test]
    fn latin_text_is_kept_as_is() {
        let encoded = encode("Café résumé – “quoted” €5 • done");
        assert!(encoded.substitutions.is_empty());
        assert_eq!(
            encoded.bytes.len(),
            "Café résumé – “quoted” €5 • done".chars().count()
        );
    }

    #[test]
    fn other_characters_are_transliterated_and_reported_once() {
        let encoded = encode("a → b → c ✓ ≠ 中");
        let text: String = encoded.bytes.iter().map(|&b| char::from(b)).collect();
        assert_eq!(text, "a -> b -> c [x] != Zhong");
        let originals: Vec<char> = encoded.substitutions.iter().map(|s| s.original).collect();
        assert_eq!(originals, vec!['→', '✓', '≠', '中']);
        assert!(encoded.substitutions[0].warning().contains("\"->\""));
    }

    #[test]
    fn invisible_characters_are_reported_not_dropped_silently() {
        let encoded = encode("e\u{301}\u{7}");
        assert_eq!(encoded.bytes, b"e");
        assert_eq!(encoded.substitutions.len(), 2);
        assert!(encoded.substitutions[1].warning().contains("left out"));
    }

    #[test]
    fn line_ends_and_tabs_become_spaces() {
        assert_eq!(encode("a\tb\nc").bytes, b"a b c");
    }
}
