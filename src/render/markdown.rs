//! Escaping user text for Markdown, so a note containing `**`, `#`, `|`, `<script>` or `{{`
//! prints literally instead of becoming markup.

use std::borrow::Cow;
use std::io::Write;

/// Tera's escape function for `.md` templates: backslash-escapes every character that
/// Markdown could read as markup, and keeps line starts from opening a block.
pub fn escape_markdown(input: &str, out: &mut dyn Write) -> std::io::Result<()> {
    if is_plain(input) {
        return out.write_all(input.as_bytes());
    }
    out.write_all(escape_marked(input).as_bytes())
}

/// Whether `input` reads the same escaped: it starts with a letter, so opens no block, and
/// holds only letters, digits, spaces and marks that mean nothing inside a line, with no
/// hyphen before a space that a folded line could have split a word at. Most values are.
fn is_plain(input: &str) -> bool {
    let bytes = input.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes
            .iter()
            .all(|&c| c.is_ascii_alphanumeric() || b" ,.:;/()'\"%$@!?-=+#{}".contains(&c))
        && !input.contains("- ")
}

/// Words that follow a hyphen left open on purpose: "pre- and post-treatment", "upper- to
/// lower-back".
const AFTER_OPEN_HYPHEN: &[&str] = &["and", "or", "nor", "to", "through", "versus", "vs"];

/// Whether a line break (or the space YAML folds it into) after `before`, a word ending in
/// a hyphen, falls inside one hyphenated word written across two lines, so that the word
/// is joined back as written, hyphen kept, rather than printed "re- assessment".
pub fn breaks_inside_word(before: &str, after: &str) -> bool {
    let mut tail = before.chars().rev();
    if tail.next() != Some('-') || !tail.next().is_some_and(char::is_alphabetic) {
        return false;
    }
    let word: String = after
        .trim_start()
        .chars()
        .take_while(|c| c.is_alphabetic())
        .collect();
    word.chars().next().is_some_and(char::is_lowercase)
        && !AFTER_OPEN_HYPHEN.contains(&word.to_lowercase().as_str())
}

/// `text` with each hyphenated word a line break split (folded by YAML into "re-
/// assessment") joined back ("re-assessment"); other spaces and line breaks stay.
pub fn join_broken_words(text: &str) -> Cow<'_, str> {
    if !text.contains("- ") && !text.contains("-\t") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(['-']) {
        let (head, tail) = rest.split_at(at + 1);
        out.push_str(head);
        let gap = tail.len() - tail.trim_start_matches([' ', '\t']).len();
        if gap > 0 && breaks_inside_word(&out, tail) {
            rest = &tail[gap..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The escaped form of `input`, with words a folded line split joined back.
pub fn escape(input: &str) -> String {
    if is_plain(input) {
        return input.to_string();
    }
    escape_marked(input)
}

/// [`escape`], character by character.
fn escape_marked(input: &str) -> String {
    let input = join_broken_words(input);
    let mut s = String::with_capacity(input.len() + 8);
    let mut line_start = true;
    // Carriage returns are dropped before anything looks ahead, so that one between a
    // marker and its space cannot hide the space.
    let mut chars = input.chars().filter(|&c| c != '\r').peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            // A backslash before the newline is a hard line break in CommonMark.
            s.push_str("\\\n");
            line_start = true;
            continue;
        }
        if line_start {
            if c == ' ' || c == '\t' {
                // Leading indentation would start a code block: drop it.
                continue;
            }
            line_start = false;
            let next = chars.peek().copied();
            let ends_marker = next.is_none_or(is_marker_space);
            // Block markers only count when a space (or the end) follows them, or when they
            // repeat into a rule or an underline.
            let opens_block = match c {
                '>' => true,
                '#' => ends_marker || next == Some('#'),
                '-' | '+' | '*' | '=' | '_' => ends_marker || next == Some(c),
                _ => false,
            };
            if opens_block {
                s.push('\\');
                s.push(c);
                continue;
            }
            if c.is_ascii_digit() {
                // "1. " or "1) " at a line start opens an ordered list.
                s.push(c);
                while let Some(&d) = chars.peek() {
                    if d.is_ascii_digit() {
                        s.push(d);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if let Some(&p) = chars.peek()
                    && (p == '.' || p == ')')
                {
                    chars.next();
                    if chars.peek().copied().is_none_or(is_marker_space) {
                        s.push('\\');
                    }
                    s.push(p);
                }
                continue;
            }
        }
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' => {
                s.push('\\');
                s.push(c);
            }
            '&' => s.push_str("\\&"),
            _ => s.push(c),
        }
    }
    s
}

/// Whether `c` after a block marker at a line start makes it one. CommonMark names a space
/// or a tab; pulldown-cmark also takes a vertical tab or a form feed there.
fn is_marker_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{b}' | '\u{c}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_escaped_as_the_full_escape_would() {
        let alphabet: Vec<char> = "aZ09 ,.:;/()'\"%$@!?-=+#{}\n\t*_[]<>|~&\\`é1."
            .chars()
            .collect();
        let mut state = 0x853C_49E6_748F_EA9Bu64;
        let mut plain = 0;
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 12) as usize;
            let text: String = (0..len)
                .map(|i| alphabet[((state >> (5 * i + 4)) % alphabet.len() as u64) as usize])
                .collect();
            plain += usize::from(is_plain(&text));
            assert_eq!(escape(&text), escape_marked(&text), "{text:?}");
        }
        assert!(plain > 100, "{plain}");
    }

    #[test]
    fn markup_is_escaped() {
        assert_eq!(escape("**bold** | x"), "\\*\\*bold\\*\\* \\| x");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(escape("# heading"), "\\# heading");
        assert_eq!(escape("1. item"), "1\\. item");
        assert_eq!(escape("234.00"), "234.00");
        assert_eq!(escape("-3.00"), "-3.00");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("---"), "\\---");
        assert_eq!(escape("{{ x }}"), "{{ x }}");
        assert_eq!(escape("a\nb"), "a\\\nb");
        assert_eq!(escape("8/10, ROM 40 degrees."), "8/10, ROM 40 degrees.");
    }

    #[test]
    fn a_word_hyphenated_across_lines_is_joined_back() {
        assert_eq!(
            join_broken_words("progress re- assessment on 2026-11-23"),
            "progress re-assessment on 2026-11-23"
        );
        assert_eq!(join_broken_words("hip-  dominant"), "hip-dominant");
        // Hyphens left open on purpose, numbers, dashes and line breaks as written stay.
        for kept in [
            "pre- and post-treatment",
            "upper- to lower-back",
            "2- to 3-minute holds",
            "pain - worse",
            "left- Right",
            "re-\nassessment",
            "ends with re-",
        ] {
            assert_eq!(join_broken_words(kept), kept);
        }
        assert_eq!(
            escape("neuromuscular re- education"),
            "neuromuscular re-education"
        );
    }

    #[test]
    fn markers_before_a_vertical_tab_or_form_feed_are_escaped() {
        for marker in ["#", "-", "+", "*", ">", "1.", "1)", "=", "_"] {
            for space in ['\u{b}', '\u{c}'] {
                let md = escape(&format!("x\n{marker}{space}tab"));
                for event in pulldown_cmark::Parser::new(&md) {
                    use pulldown_cmark::{Event, Tag, TagEnd};
                    assert!(
                        matches!(
                            event,
                            Event::Text(_)
                                | Event::HardBreak
                                | Event::Start(Tag::Paragraph)
                                | Event::End(TagEnd::Paragraph)
                        ),
                        "{marker:?} {space:?}: {event:?} from {md:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_carriage_return_cannot_hide_the_space_after_a_marker() {
        assert_eq!(escape("#\r\r a"), "\\# a");
        assert_eq!(escape("x\n-\r y\r\n1.\r z"), "x\\\n\\- y\\\n1\\. z");
    }

    #[test]
    fn escaped_text_reads_back_literally() {
        let nasty = "**x** <b>y</b> | # {{ z }} [l](u) ![i](x) `c` _i_ ~s~ &amp; &#35; \\ #5";
        let md = escape(nasty);
        let parser = pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES);
        let text: String = parser
            .filter_map(|e| match e {
                pulldown_cmark::Event::Text(t) => Some(t.to_string()),
                _ => None,
            })
            .collect();
        assert_eq!(text, nasty);
    }
}
