//! Word wrapping of styled text into lines of a given width, measured with the fonts' true
//! widths. A word longer than a whole line is broken between characters.

use std::borrow::Cow;

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

/// One run of a word in one font, measured once. It borrows its text from the inline text
/// unless the run continues across two inline pieces in the same font (`a**b**` in code).
struct Segment<'a> {
    text: Cow<'a, str>,
    font: Font,
    width: f32,
}

/// What the tokens of running text are handed to, in order: a word is the text between
/// breakable spaces and may change font midway (`**bold**ly`).
trait Tokens {
    fn word(&mut self, segments: &[Segment<'_>]);
    fn space(&mut self, font: Font);
    fn line_break(&mut self);
}

/// Breaks `inline` into lines no wider than `width` points.
pub(crate) fn wrap(inline: &[Inline], fonts: &Fonts, width: f32) -> Vec<Line> {
    let mut builder = LineBuilder::new(Lines::default(), fonts.size, width);
    tokens(inline, fonts, &mut builder);
    builder.finish();
    builder.sink.lines
}

/// How many lines [`wrap`] would break `inline` into, without building them.
pub(crate) fn line_count(inline: &[Inline], fonts: &Fonts, width: f32) -> usize {
    let mut builder = LineBuilder::new(Count, fonts.size, width);
    tokens(inline, fonts, &mut builder);
    builder.finish();
    builder.lines
}

/// The widest line of `inline` with no limit on width, and its widest word: what a table
/// column would need to set it on one line, and the least it can be without breaking a word.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Extent {
    /// Width of the widest line when only hard breaks end lines.
    pub widest: f32,
    /// Width of the widest word.
    pub longest: f32,
}

/// The [`Extent`] of `inline`, from one pass over its words.
pub(crate) fn extent(inline: &[Inline], fonts: &Fonts) -> Extent {
    let mut measure = Measure {
        builder: LineBuilder::new(Widest(0.0), fonts.size, f32::INFINITY),
        longest: 0.0,
    };
    tokens(inline, fonts, &mut measure);
    measure.builder.finish();
    Extent {
        widest: measure.builder.sink.0,
        longest: measure.longest,
    }
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

/// Hands the words, spaces and breaks of `inline` to `to`. A word's runs are measured once
/// each, when the word is complete; a run that continues into the next inline piece in the
/// same font is one run, measured as a whole, so that widths add up as they are printed.
fn tokens<'a>(inline: &'a [Inline], fonts: &Fonts, to: &mut impl Tokens) {
    let mut word: Vec<Segment<'a>> = Vec::new();
    for item in inline {
        match item {
            Inline::Break => {
                flush_word(&mut word, fonts.size, to);
                to.line_break();
            }
            Inline::Text(text, style) => {
                let font = fonts.font(*style);
                let mut start = 0;
                // Spaces are ASCII, so a byte index of one is always a character boundary.
                for (index, byte) in text.bytes().enumerate() {
                    // Only ordinary spaces break; a no-break space stays inside its word.
                    if matches!(byte, b' ' | b'\t' | b'\n' | b'\r') {
                        extend_word(&mut word, &text[start..index], font);
                        flush_word(&mut word, fonts.size, to);
                        to.space(font);
                        start = index + 1;
                    }
                }
                extend_word(&mut word, &text[start..], font);
            }
        }
    }
    flush_word(&mut word, fonts.size, to);
}

/// Adds a run of word characters in `font` to the word being read.
fn extend_word<'a>(word: &mut Vec<Segment<'a>>, run: &'a str, font: Font) {
    if run.is_empty() {
        return;
    }
    match word.last_mut() {
        Some(segment) if segment.font == font => segment.text.to_mut().push_str(run),
        _ => word.push(Segment {
            text: Cow::Borrowed(run),
            font,
            width: 0.0,
        }),
    }
}

fn flush_word(word: &mut Vec<Segment<'_>>, size: f32, to: &mut impl Tokens) {
    if word.is_empty() {
        return;
    }
    for segment in word.iter_mut() {
        segment.width = text_width(segment.font, size, &segment.text);
    }
    to.word(word);
    word.clear();
}

/// Where finished lines go: kept, counted or only measured.
trait Sink {
    fn piece(&mut self, text: &str, font: Font, width: f32);
    fn end_line(&mut self, width: f32);
}

/// Keeps the lines with their pieces.
#[derive(Default)]
struct Lines {
    lines: Vec<Line>,
    pieces: Vec<Piece>,
}

impl Sink for Lines {
    fn piece(&mut self, text: &str, font: Font, width: f32) {
        match self.pieces.last_mut() {
            Some(piece) if piece.font == font => {
                piece.text.push_str(text);
                piece.width += width;
            }
            _ => self.pieces.push(Piece {
                text: text.to_string(),
                font,
                width,
            }),
        }
    }

    fn end_line(&mut self, width: f32) {
        self.lines.push(Line {
            pieces: std::mem::take(&mut self.pieces),
            width,
        });
    }
}

/// Only the builder's count of lines is wanted.
struct Count;

impl Sink for Count {
    fn piece(&mut self, _: &str, _: Font, _: f32) {}
    fn end_line(&mut self, _: f32) {}
}

/// The width of the widest line.
struct Widest(f32);

impl Sink for Widest {
    fn piece(&mut self, _: &str, _: Font, _: f32) {}
    fn end_line(&mut self, width: f32) {
        self.0 = self.0.max(width);
    }
}

/// Lines and words measured together for [`extent`].
struct Measure {
    builder: LineBuilder<Widest>,
    longest: f32,
}

impl Tokens for Measure {
    fn word(&mut self, segments: &[Segment<'_>]) {
        let width: f32 = segments.iter().map(|s| s.width).sum();
        self.longest = self.longest.max(width);
        self.builder.word(segments);
    }

    fn space(&mut self, font: Font) {
        self.builder.space(font);
    }

    fn line_break(&mut self) {
        self.builder.line_break();
    }
}

struct LineBuilder<S> {
    sink: S,
    /// Lines ended so far.
    lines: usize,
    /// Width of the current line so far: the sum of what was pushed onto it, in order.
    current: f32,
    /// Nothing has been pushed onto the current line.
    empty: bool,
    pending_space: Option<Font>,
    /// The last space measured, since a paragraph's spaces are mostly in one font.
    space: Option<(Font, f32)>,
    size: f32,
    width: f32,
}

impl<S: Sink> LineBuilder<S> {
    fn new(sink: S, size: f32, width: f32) -> LineBuilder<S> {
        LineBuilder {
            sink,
            lines: 0,
            current: 0.0,
            empty: true,
            pending_space: None,
            space: None,
            size,
            width: width.max(1.0) + SLACK,
        }
    }

    /// Ends the last line; text without any still makes one, empty.
    fn finish(&mut self) {
        if !self.empty || self.lines == 0 {
            self.end_line();
        }
    }

    fn space_width(&mut self, font: Font) -> f32 {
        match self.space {
            Some((measured, width)) if measured == font => width,
            _ => {
                let width = text_width(font, self.size, " ");
                self.space = Some((font, width));
                width
            }
        }
    }

    fn push(&mut self, text: &str, font: Font, width: f32) {
        self.sink.piece(text, font, width);
        self.current += width;
        self.empty = false;
    }

    fn push_word(&mut self, segments: &[Segment<'_>]) {
        for segment in segments {
            self.push(&segment.text, segment.font, segment.width);
        }
    }

    fn end_line(&mut self) {
        self.sink.end_line(self.current);
        self.lines += 1;
        self.current = 0.0;
        self.empty = true;
        self.pending_space = None;
    }
}

impl<S: Sink> Tokens for LineBuilder<S> {
    fn word(&mut self, segments: &[Segment<'_>]) {
        let word_width: f32 = segments.iter().map(|s| s.width).sum();
        let space = match self.pending_space.take() {
            Some(font) if !self.empty => Some(font),
            _ => None,
        };
        let space_width = space.map_or(0.0, |font| self.space_width(font));
        if self.current + space_width + word_width <= self.width {
            if let Some(font) = space {
                self.push(" ", font, space_width);
            }
            self.push_word(segments);
            return;
        }
        if !self.empty {
            self.end_line();
        }
        if word_width <= self.width {
            self.push_word(segments);
            return;
        }
        // Longer than a line: fill each line character by character.
        for segment in segments {
            for c in segment.text.chars() {
                let w = char_width(segment.font, self.size, c);
                if self.current + w > self.width && !self.empty {
                    self.end_line();
                }
                let mut buffer = [0u8; 4];
                self.push(c.encode_utf8(&mut buffer), segment.font, w);
            }
        }
    }

    fn space(&mut self, font: Font) {
        if self.pending_space.is_none() {
            self.pending_space = Some(font);
        }
    }

    fn line_break(&mut self) {
        self.end_line();
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
    fn counts_and_extents_agree_with_the_lines() {
        let bold = Style {
            bold: true,
            ..Style::default()
        };
        let code = Style {
            code: true,
            ..Style::default()
        };
        // Runs continue across pieces in the same font and change font midway.
        let inline = vec![
            Inline::Text("a caf\u{e9} ".into(), Style::default()),
            Inline::Text("bo".into(), bold),
            Inline::Text("ld".into(), bold),
            Inline::Text("ly x".into(), Style::default()),
            Inline::Text("y\tcode".into(), code),
            Inline::Break,
            Inline::Text(format!("{} end", "w".repeat(40)), Style::default()),
        ];
        for width in [20.0, 60.0, 200.0, 1000.0] {
            let lines = wrap(&inline, &FONTS, width);
            assert_eq!(line_count(&inline, &FONTS, width), lines.len(), "{width}");
        }
        let unbounded = wrap(&inline, &FONTS, f32::INFINITY);
        let extent = extent(&inline, &FONTS);
        assert_eq!(unbounded.len(), 2);
        assert_eq!(extent.widest, unbounded[0].width.max(unbounded[1].width));
        assert_eq!(
            extent.longest,
            text_width(Font::Helvetica, 10.0, &"w".repeat(40))
        );
        // The bold run was measured whole, as it is printed.
        let piece = &unbounded[0].pieces[1];
        assert_eq!(piece.text, "bold");
        assert_eq!(piece.width, text_width(Font::HelveticaBold, 10.0, "bold"));
    }

    #[test]
    fn preformatted_lines_keep_their_spaces() {
        let lines = wrap_preformatted("    indented  code", Font::Courier, 10.0, 60.0);
        // Courier is 6 pt a character at 10 pt: ten to a line.
        assert_eq!(lines, vec!["    indent", "ed  code"]);
    }
}
