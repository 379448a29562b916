//! Markdown to a tree of printable blocks, driven by pulldown-cmark events. Raw HTML becomes
//! literal text here, so no tag is ever interpreted further down.

use pulldown_cmark::{Alignment, Event, Options, Parser, Tag, TagEnd};

/// Deeper nesting of quotes and lists is flattened, so that layout (which recurses over blocks)
/// keeps a bounded stack and lines keep a readable width.
const MAX_DEPTH: usize = 24;

/// How a run of text is set.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Style {
    /// Inside `**strong**`.
    pub bold: bool,
    /// Inside `*emphasis*`.
    pub italic: bool,
    /// A `code span`, set in the fixed-pitch font.
    pub code: bool,
}

/// A piece of running text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Inline {
    /// Text in one style.
    Text(String, Style),
    /// A hard line break.
    Break,
}

/// Horizontal alignment of a table column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Align {
    /// Flush left, the default.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// A GFM table: header cells, body rows of cells, one alignment per column.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Table {
    /// Alignment of each column.
    pub align: Vec<Align>,
    /// The header row.
    pub header: Vec<Vec<Inline>>,
    /// The body rows.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A block of the document.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    /// A heading of level 1 to 6.
    Heading(u8, Vec<Inline>),
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// Text directly inside a tight list item: set like a paragraph, with less space after.
    Text(Vec<Inline>),
    /// A fenced or indented code block, line by line.
    Code(Vec<String>),
    /// A block of raw HTML, printed line by line as it was written.
    Literal(Vec<String>),
    /// A block quote.
    Quote(Vec<Block>),
    /// A bullet list (`start` is `None`) or a numbered list; each item is a list of blocks.
    List {
        /// Number of the first item of a numbered list.
        start: Option<u64>,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// A table.
    Table(Table),
    /// A horizontal rule.
    Rule,
}

/// Parses Markdown (with GFM tables and task lists) into blocks.
pub(crate) fn parse(markdown: &str) -> Vec<Block> {
    let options = Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS;
    let mut builder = Builder::default();
    for event in Parser::new_ext(markdown, options) {
        builder.event(event);
    }
    builder.finish()
}

/// An open container while events stream in.
enum Frame {
    Quote(Vec<Block>),
    List(Option<u64>, Vec<Vec<Block>>),
    Item(Vec<Block>),
    Table(Table, Vec<Vec<Inline>>),
}

/// Folds the event stream into blocks, one open container per frame.
#[derive(Default)]
struct Builder {
    root: Vec<Block>,
    stack: Vec<Frame>,
    inline: Vec<Inline>,
    bold: usize,
    italic: usize,
    /// Destination of each open link and the byte offset of its text in the pending text.
    links: Vec<(String, usize)>,
    code: Option<String>,
    html: Option<String>,
    /// Quotes, lists and items opened beyond `MAX_DEPTH`, which get no frame of their own.
    flattened: Vec<bool>,
    /// A soft line break waits here for the text after it.
    soft_break: bool,
}

impl Builder {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.push_str(&text);
                } else {
                    self.text(&text, false);
                }
            }
            Event::Code(text) => self.text(&text, true),
            Event::Html(text) | Event::InlineHtml(text) => {
                if let Some(html) = &mut self.html {
                    html.push_str(&text);
                } else {
                    self.text(&text, false);
                }
            }
            // A soft break after "re-" may split one word; the text after it decides, so
            // the space is held back until that text arrives.
            Event::SoftBreak => self.soft_break = true,
            Event::HardBreak => self.inline.push(Inline::Break),
            Event::Rule => {
                self.flush();
                self.push_block(Block::Rule);
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }, false),
            Event::FootnoteReference(label) => self.text(&format!("[^{label}]"), false),
            Event::InlineMath(text) | Event::DisplayMath(text) => self.text(&text, true),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph | Tag::Heading { .. } => self.flush(),
            Tag::BlockQuote(_) => {
                self.flush();
                self.open(Frame::Quote(Vec::new()));
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.code = Some(String::new());
            }
            Tag::HtmlBlock => {
                self.flush();
                self.html = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                self.open(Frame::List(start, Vec::new()));
            }
            Tag::Item => {
                if self.stack.len() >= MAX_DEPTH {
                    // Without a frame the item's marker would vanish; keep it as text.
                    self.flush();
                    self.text("- ", false);
                }
                self.open(Frame::Item(Vec::new()));
            }
            Tag::Table(align) => {
                self.flush();
                let align = align
                    .iter()
                    .map(|a| match a {
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                        Alignment::Left | Alignment::None => Align::Left,
                    })
                    .collect();
                self.stack.push(Frame::Table(
                    Table {
                        align,
                        ..Table::default()
                    },
                    Vec::new(),
                ));
            }
            Tag::TableCell => self.inline.clear(),
            Tag::Emphasis => self.italic += 1,
            Tag::Strong => self.bold += 1,
            Tag::Link { dest_url, .. } => {
                let from = self.joined_text().len();
                self.links.push((dest_url.to_string(), from));
            }
            Tag::Image { .. } => self.text("[image: ", false),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        // A break held back inside a block is never owed to the next block.
        if !matches!(
            tag,
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Link | TagEnd::Strikethrough
        ) {
            self.soft_break = false;
        }
        match tag {
            TagEnd::Paragraph => {
                let inline = std::mem::take(&mut self.inline);
                if has_content(&inline) {
                    self.push_block(Block::Paragraph(inline));
                }
            }
            TagEnd::Heading(level) => {
                let inline = std::mem::take(&mut self.inline);
                self.push_block(Block::Heading(level as u8, inline));
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                if let Some(Frame::Quote(blocks)) = self.close() {
                    self.push_block(Block::Quote(blocks));
                }
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                self.push_block(Block::Code(lines(&code)));
            }
            TagEnd::HtmlBlock => {
                let html = self.html.take().unwrap_or_default();
                self.push_block(Block::Literal(lines(&html)));
            }
            TagEnd::List(_) => {
                self.flush();
                if let Some(Frame::List(start, items)) = self.close() {
                    self.push_block(Block::List { start, items });
                }
            }
            TagEnd::Item => {
                self.flush();
                if let Some(Frame::Item(blocks)) = self.close() {
                    if let Some(Frame::List(_, items)) = self.stack.last_mut() {
                        items.push(blocks);
                    } else {
                        self.push_blocks(blocks);
                    }
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(Frame::Table(_, row)) = self.stack.last_mut() {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some(Frame::Table(table, row)) = self.stack.last_mut() {
                    table.header = std::mem::take(row);
                }
            }
            TagEnd::TableRow => {
                if let Some(Frame::Table(table, row)) = self.stack.last_mut() {
                    table.rows.push(std::mem::take(row));
                }
            }
            TagEnd::Table => {
                if let Some(Frame::Table(table, _)) = self.stack.pop() {
                    self.push_block(Block::Table(table));
                }
            }
            TagEnd::Emphasis => self.italic = self.italic.saturating_sub(1),
            TagEnd::Strong => self.bold = self.bold.saturating_sub(1),
            TagEnd::Link => self.end_link(),
            TagEnd::Image => self.text("]", false),
            _ => {}
        }
    }

    /// Paper cannot be clicked: a link's destination is printed after its text unless the
    /// text already says it.
    fn end_link(&mut self) {
        let Some((dest, from)) = self.links.pop() else {
            return;
        };
        let joined = self.joined_text();
        let shown = joined.get(from..).unwrap_or_default();
        let bare = dest.strip_prefix("mailto:").unwrap_or(&dest);
        if !dest.is_empty() && !dest.starts_with('#') && shown.trim() != bare {
            self.text(&format!(" ({bare})"), false);
        }
    }

    /// The pending inline text as one string; runs of the same style merge, so offsets into
    /// this string are the stable way to find where a link's text began.
    fn joined_text(&self) -> String {
        self.inline
            .iter()
            .filter_map(|inline| match inline {
                Inline::Text(text, _) => Some(text.as_str()),
                Inline::Break => None,
            })
            .collect()
    }

    fn text(&mut self, text: &str, code: bool) {
        if std::mem::take(&mut self.soft_break) {
            let before = self.joined_text();
            if !crate::render::markdown::breaks_inside_word(&before, text) {
                self.text(" ", false);
            }
        }
        let style = Style {
            bold: self.bold > 0,
            italic: self.italic > 0,
            code,
        };
        match self.inline.last_mut() {
            Some(Inline::Text(last, last_style)) if *last_style == style => last.push_str(text),
            _ => self.inline.push(Inline::Text(text.to_string(), style)),
        }
    }

    /// Turns text met outside any paragraph (tight list items) into a block of its own.
    fn flush(&mut self) {
        let inline = std::mem::take(&mut self.inline);
        if has_content(&inline) {
            self.push_block(Block::Text(inline));
        }
    }

    fn open(&mut self, frame: Frame) {
        if self.stack.len() >= MAX_DEPTH {
            self.flattened.push(true);
        } else {
            self.flattened.push(false);
            self.stack.push(frame);
        }
    }

    fn close(&mut self) -> Option<Frame> {
        if self.flattened.pop().unwrap_or(false) {
            None
        } else {
            self.stack.pop()
        }
    }

    fn push_blocks(&mut self, blocks: Vec<Block>) {
        for block in blocks {
            self.push_block(block);
        }
    }

    fn push_block(&mut self, block: Block) {
        match self.stack.last_mut() {
            None => self.root.push(block),
            Some(Frame::Quote(blocks) | Frame::Item(blocks)) => blocks.push(block),
            Some(Frame::List(_, items)) => match items.last_mut() {
                Some(item) => item.push(block),
                None => items.push(vec![block]),
            },
            // Cells hold inline content only; anything else would be a parser surprise, and
            // is kept after the table rather than lost.
            Some(Frame::Table(..)) => self.root.push(block),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush();
        // The parser closes every tag it opens, but an unbalanced stream must still lose nothing.
        while let Some(frame) = self.stack.pop() {
            let block = match frame {
                Frame::Quote(blocks) | Frame::Item(blocks) => Block::Quote(blocks),
                Frame::List(start, items) => Block::List { start, items },
                Frame::Table(table, _) => Block::Table(table),
            };
            self.push_block(block);
        }
        self.root
    }
}

fn has_content(inline: &[Inline]) -> bool {
    inline.iter().any(|i| match i {
        Inline::Text(text, _) => !text.trim().is_empty(),
        Inline::Break => false,
    })
}

/// The lines of a code or HTML block, without the final line end.
fn lines(text: &str) -> Vec<String> {
    text.trim_end_matches(['\n', '\r'])
        .lines()
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(text: &str) -> Inline {
        Inline::Text(text.to_string(), Style::default())
    }

    #[test]
    fn a_word_broken_at_a_line_end_is_joined_back() {
        let blocks = parse("progress re-\nassessment, pre-\nand post-test\non 2026-11-23");
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![plain(
                "progress re-assessment, pre- and post-test on 2026-11-23"
            )])]
        );
    }

    #[test]
    fn raw_html_stays_text() {
        let blocks = parse("<script>alert(1)</script>\n\nHi <b>there</b>\n");
        assert_eq!(
            blocks[0],
            Block::Literal(vec!["<script>alert(1)</script>".into()])
        );
        assert_eq!(blocks[1], Block::Paragraph(vec![plain("Hi <b>there</b>")]));
    }

    #[test]
    fn escaped_markup_is_literal() {
        let blocks = parse("\\*\\*not bold\\*\\* {{ name }} \\| pipe");
        assert_eq!(
            blocks,
            vec![Block::Paragraph(vec![plain(
                "**not bold** {{ name }} | pipe"
            )])]
        );
    }

    #[test]
    fn emphasis_and_links() {
        let blocks = parse("a **b *c*** [site](https://x.org) <https://y.org>");
        let Block::Paragraph(inline) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        let bold_italic = Style {
            bold: true,
            italic: true,
            code: false,
        };
        assert!(inline.contains(&Inline::Text("c".into(), bold_italic)));
        assert_eq!(
            inline.last(),
            Some(&plain(" site (https://x.org) https://y.org"))
        );
    }

    #[test]
    fn lists_nest_and_keep_tightness() {
        let blocks = parse("3. one\n4. two\n   - inner\n");
        let Block::List { start, items } = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(*start, Some(3));
        assert_eq!(items[0], vec![Block::Text(vec![plain("one")])]);
        assert!(matches!(items[1][1], Block::List { start: None, .. }));
    }

    #[test]
    fn tables_keep_header_rows_and_alignment() {
        let blocks = parse("| A | B |\n|---|--:|\n| 1 | 2 |\n| 3 |\n");
        let Block::Table(table) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(table.align, vec![Align::Left, Align::Right]);
        assert_eq!(table.header, vec![vec![plain("A")], vec![plain("B")]]);
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0][1], vec![plain("2")]);
    }

    #[test]
    fn deep_nesting_is_flattened_without_losing_text() {
        let markdown = format!("{}deep", "> ".repeat(200));
        let blocks = parse(&markdown);
        let mut depth = 0;
        let mut block = &blocks[0];
        while let Block::Quote(inner) = block {
            depth += 1;
            block = &inner[0];
        }
        assert_eq!(depth, MAX_DEPTH);
        assert_eq!(*block, Block::Paragraph(vec![plain("deep")]));
    }
}
