//! Word wrapping of styled text into lines of a given width, measured with the fonts' true
//! widths. A word longer than a whole line is broken between characters.

use super::fonts::{Font, text_width};
use super::markdown::{Inline, Style};

/// Slack in width comparisons, so that text measured to fit exactly is not broken by the
/// rounding of the sums that produced its column width.
const SLACK: f32 = 0.01;

/// Text in one font within a line.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Piece {
    /// The text, spaces included.
    pub text: String,
    /// Its font.
    pub font: Font,
    /// Its width in points.
    pub width: f32,
}

/// One wrapped line.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Line {
    /// The pieces from left to right.
    pub pieces: Vec<Piece>,
    /// Total width in points, without trailing space.
    pub width: f32,
}

/// The fonts used for the styles of running text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fonts {
    /// Font of ordinary text; bold and italic come from its family.
    pub text: Font,
    /// Font of code spans.
    pub code: Font,
    /// Size in points.
    pub size: f32,
}

impl Fonts {
    fn font(&self, style: Style) -> Font {
        let base = if style.code { self.code } else { self.text };
        base.styled(style.bold, style.italic)
    }
}

/// A word is the text between breakable spaces; it may change font midway (`**bold**ly`).
enum Token {
    Word(Vec<(String, Font)>),
    Space(Font),
    Break,
}

/// Breaks `inline` into lines no wider than `width` points.
pub(crate) fn wrap(inline: &[Inline], fonts: &Fonts, width: f32) -> Vec<Line> {
    let mut builder = LineBuilder {
        lines: Vec::new(),
        current: Line::default(),
        pending_space: None,
        size: fonts.size,
        width: width.max(1.0) + SLACK,
    };
    for token in tokens(inline, fonts) {
        match token {
            Token::Space(font) => {
                if builder.pending_space.is_none() {
                    builder.pending_space = Some(font);
                }
            }
            Token::Break => builder.end_line(),
            Token::Word(segments) => builder.word(segments),
        }
    }
    if !builder.current.pieces.is_empty() || builder.lines.is_empty() {
        builder.end_line();
    }
    builder.lines
}

/// Breaks one line of preformatted text into lines no wider than `width`, keeping every space.
pub(crate) fn wrap_preformatted(text: &str, font: Font, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut current_width = 0.0;
    for c in text.chars() {
        let w = char_width(font, size, c);
        if current_width + w > width + SLACK && !current.is_empty() {
            lines.push(std::mem::take(&mut current));
            current_width = 0.0;
        }
        current.push(c);
        current_width += w;
    }
    lines.push(current);
    lines
}

/// Width of the widest word of `inline`: the least a column can be without breaking a word.
pub(crate) fn longest_word(inline: &[Inline], fonts: &Fonts) -> f32 {
    tokens(inline, fonts)
        .iter()
        .map(|token| match token {
            Token::Word(segments) => segments
                .iter()
                .map(|(text, font)| text_width(*font, fonts.size, text))
                .sum(),
            Token::Space(_) | Token::Break => 0.0,
        })
        .fold(0.0, f32::max)
}

fn tokens(inline: &[Inline], fonts: &Fonts) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word: Vec<(String, Font)> = Vec::new();
    for item in inline {
        match item {
            Inline::Break => {
                flush_word(&mut word, &mut tokens);
                tokens.push(Token::Break);
            }
            Inline::Text(text, style) => {
                let font = fonts.font(*style);
                for c in text.chars() {
                    // Only ordinary spaces break; a no-break space stays inside its word.
                    if matches!(c, ' ' | '\t' | '\n' | '\r') {
                        flush_word(&mut word, &mut tokens);
                        tokens.push(Token::Space(font));
                    } else {
                        match word.last_mut() {
                            Some((segment, segment_font)) if *segment_font == font => {
                                segment.push(c)
                            }
                            _ => word.push((c.to_string(), font)),
                        }
                    }
                }
            }
        }
    }
    flush_word(&mut word, &mut tokens);
    tokens
}

fn flush_word(word: &mut Vec<(String, Font)>, tokens: &mut Vec<Token>) {
    if !word.is_empty() {
        tokens.push(Token::Word(std::mem::take(word)));
    }
}

struct LineBuilder {
    lines: Vec<Line>,
    current: Line,
    pending_space: Option<Font>,
    size: f32,
    width: f32,
}

impl LineBuilder {
    fn word(&mut self, segments: Vec<(String, Font)>) {
        let word_width: f32 = segments
            .iter()
            .map(|(text, font)| text_width(*font, self.size, text))
            .sum();
        let space = match self.pending_space.take() {
            Some(font) if !self.current.pieces.is_empty() => Some(font),
            _ => None,
        };
        let space_width = space.map_or(0.0, |font| text_width(font, self.size, " "));
        if self.current.width + space_width + word_width <= self.width {
            if let Some(font) = space {
                self.push(" ", font, space_width);
            }
            for (text, font) in segments {
                let w = text_width(font, self.size, &text);
                self.push(&text, font, w);
            }
            return;
        }
        if !self.current.pieces.is_empty() {
            self.end_line();
        }
        if word_width <= self.width {
            for (text, font) in segments {
                let w = text_width(font, self.size, &text);
                self.push(&text, font, w);
            }
            return;
        }
        // Longer than a line: fill each line character by character.
        for (text, font) in segments {
            for c in text.chars() {
                let w = char_width(font, self.size, c);
                if self.current.width + w > self.width && !self.current.pieces.is_empty() {
                    self.end_line();
                }
                let mut buffer = [0u8; 4];
                self.push(c.encode_utf8(&mut buffer), font, w);
            }
        }
    }

    fn push(&mut self, text: &str, font: Font, width: f32) {
        match self.current.pieces.last_mut() {
            Some(piece) if piece.font == font => {
                piece.text.push_str(text);
                piece.width += width;
            }
            _ => self.current.pieces.push(Piece {
                text: text.to_string(),
                font,
                width,
            }),
        }
        self.current.width += width;
    }

    fn end_line(&mut self) {
        self.lines.push(std::mem::take(&mut self.current));
        self.pending_space = None;
    }
}

fn char_width(font: Font, size: f32, c: char) -> f32 {
    let mut buffer = [0u8; 4];
    text_width(font, size, c.encode_utf8(&mut buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FONTS: Fonts = Fonts {
        text: Font::Helvetica,
        code: Font::Courier,
        size: 10.0,
    };

    fn text(s: &str) -> Vec<Inline> {
        vec![Inline::Text(s.to_string(), Style::default())]
    }

    fn joined(line: &Line) -> String {
        line.pieces.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn words_wrap_within_the_width() {
        let lines = wrap(
            &text("the quick brown fox jumps over the lazy dog"),
            &FONTS,
            80.0,
        );
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(line.width <= 80.0, "{line:?}");
            assert!(!joined(line).starts_with(' ') && !joined(line).ends_with(' '));
        }
        let all: Vec<String> = lines.iter().map(joined).collect();
        assert_eq!(all.join(" "), "the quick brown fox jumps over the lazy dog");
    }

    #[test]
    fn long_words_are_broken_without_losing_characters() {
        let word = "x".repeat(200);
        let lines = wrap(&text(&word), &FONTS, 50.0);
        assert!(lines.len() > 5);
        assert!(lines.iter().all(|l| l.width <= 50.0));
        assert_eq!(lines.iter().map(joined).collect::<String>(), word);
    }

    #[test]
    fn styles_change_fonts_inside_a_word() {
        let bold = Style {
            bold: true,
            ..Style::default()
        };
        let inline = vec![
            Inline::Text("bold".into(), bold),
            Inline::Text("ly said".into(), Style::default()),
        ];
        let lines = wrap(&inline, &FONTS, 500.0);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].pieces[0].font, Font::HelveticaBold);
        assert_eq!(lines[0].pieces[1].text, "ly said");
    }

    #[test]
    fn hard_breaks_start_new_lines() {
        let inline = vec![
            Inline::Text("one".into(), Style::default()),
            Inline::Break,
            Inline::Text("two".into(), Style::default()),
        ];
        let lines = wrap(&inline, &FONTS, 500.0);
        assert_eq!(
            lines.iter().map(joined).collect::<Vec<_>>(),
            vec!["one", "two"]
        );
    }

    #[test]
    fn preformatted_lines_keep_their_spaces() {
        let lines = wrap_preformatted("    indented  code", Font::Courier, 10.0, 60.0);
        // Courier is 6 pt a character at 10 pt: ten to a line.
        assert_eq!(lines, vec!["    indent", "ed  code"]);
    }
}
