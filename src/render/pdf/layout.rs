//! Markdown blocks set on pages: headings, wrapped paragraphs with bold and italic runs, lists,
//! quotes, code, raw HTML as literal text, rules and tables, in DejaVu Sans 10 pt on US Letter.

use super::canvas::{self, Color, Paint, Stroke, TextStyle};
use super::flow::{CODE_FONT, CONTENT_LEFT, CONTENT_WIDTH, Flow, Marker, TEXT_FONT};
use super::fonts::{Font, ascent};
use super::keep::{self, MIN_LINES, Wrapped};
use super::markdown::{self, Block, Inline, Style};
use super::table::{self, draw_line};
use super::wrap::{Fonts, Line, wrap, wrap_preformatted};
use super::{PdfError, PdfOptions, PdfOutput};

const BODY_SIZE: f32 = 10.0;
/// Height of a line of body text.
pub(crate) const BODY_LEADING: f32 = 14.0;
const PARAGRAPH_GAP: f32 = 8.0;
/// Space after text in a tight list item, between items.
const ITEM_GAP: f32 = 3.0;
const CODE_SIZE: f32 = 9.0;
/// Height of a line of code.
pub(crate) const CODE_LEADING: f32 = 12.0;
/// Padding of a code block, above and below its lines together.
pub(crate) const CODE_PAD: f32 = 6.0;
/// Indentation of a quote.
pub(crate) const QUOTE_INDENT: f32 = 14.0;
/// Indentation of a list item's text, at least.
pub(crate) const LIST_INDENT: f32 = 18.0;
/// Nested lists and quotes stop indenting once the column would get narrower than this.
const MIN_COLUMN: f32 = 160.0;

const TEXT_COLOR: Color = Color::rgb(0.1, 0.1, 0.12);
const HEADING_COLOR: Color = Color::rgb(0.08, 0.2, 0.36);
const QUOTE_COLOR: Color = Color::grey(0.32);
const MARKER_COLOR: Color = Color::grey(0.35);
const RULE_COLOR: Color = Color::grey(0.75);
const CODE_FILL: Color = Color::grey(0.95);

/// Renders Markdown to a paginated PDF; see [`PdfOptions`] for the page furniture.
pub fn markdown_to_pdf(markdown: &str, options: &PdfOptions) -> Result<PdfOutput, PdfError> {
    let mut blocks = markdown::parse(markdown);
    if options.draft {
        blocks.insert(0, draft_notice(&options.draft_findings));
    }
    let mut flow = Flow::new(options)?;
    let column = Column {
        left: CONTENT_LEFT,
        width: CONTENT_WIDTH,
        color: TEXT_COLOR,
        depth: 0,
    };
    set_blocks(&mut flow, &blocks, column)?;
    let (pages, mut warnings) = flow.finish();
    for warning in canvas::transliteration_warnings(&pages) {
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    let (bytes, sha256) = super::writer::finish_hashed(&pages, &options.title, options.language());
    Ok(PdfOutput {
        bytes,
        sha256,
        pages: pages.len(),
        warnings,
    })
}

/// The notice at the top of a draft's first page: the stamp, and the findings it was
/// rendered despite, by code, file and field, set apart as a quote.
fn draft_notice(findings: &[String]) -> Block {
    let plain = |text: &str| Inline::Text(text.to_string(), Style::default());
    let bold = Style {
        bold: true,
        ..Style::default()
    };
    let mut blocks = vec![Block::Paragraph(vec![Inline::Text(
        crate::render::DRAFT_STAMP.to_string(),
        bold,
    )])];
    if !findings.is_empty() {
        blocks.push(Block::Text(vec![plain(crate::render::DRAFT_REASON)]));
        blocks.push(Block::List {
            start: None,
            items: findings
                .iter()
                .map(|f| vec![Block::Text(vec![plain(f)])])
                .collect(),
        });
    }
    Block::Quote(blocks)
}

/// The column a block is set in: its left edge, width, text colour and list nesting.
#[derive(Clone, Copy, Debug)]
struct Column {
    left: f32,
    width: f32,
    color: Color,
    depth: usize,
}

impl Column {
    /// The column indented by `by` points, unless that would make it too narrow to read.
    fn indented(self, by: f32) -> Column {
        let by = by.min((self.width - MIN_COLUMN).max(0.0));
        Column {
            left: self.left + by,
            width: self.width - by,
            ..self
        }
    }
}

fn set_blocks(flow: &mut Flow<'_>, blocks: &[Block], column: Column) -> Result<(), PdfError> {
    // Each block is wrapped once, one block ahead: what the block before it keeps is
    // measured on the lines that are then set.
    let mut next = blocks.first().map(|block| wrap_block(block, column));
    for (index, block) in blocks.iter().enumerate() {
        let wrapped = next.take().unwrap_or(Wrapped::Later);
        next = blocks.get(index + 1).map(|block| wrap_block(block, column));
        let kept = keep::kept(block, blocks.get(index + 1), next.as_ref(), column.width);
        // The gap between the two blocks is part of what must fit.
        let keep = if kept > 0.0 {
            kept + PARAGRAPH_GAP
        } else {
            0.0
        };
        set_block(flow, block, wrapped, column, keep)?;
    }
    Ok(())
}

/// Wraps a paragraph or lays out a table for the column, as [`set_block`] would.
fn wrap_block(block: &Block, column: Column) -> Wrapped<'_> {
    match block {
        Block::Paragraph(inline) | Block::Text(inline) => {
            Wrapped::Text(wrap(inline, &body_fonts(), column.width))
        }
        Block::Table(content) => {
            Wrapped::Table(table::lay(content, column.left, column.width, column.color))
        }
        _ => Wrapped::Later,
    }
}

/// Sets one block, `wrapped` by [`wrap_block`]; `keep` points of what follows it must fit
/// below its end on its page.
fn set_block(
    flow: &mut Flow<'_>,
    block: &Block,
    wrapped: Wrapped<'_>,
    column: Column,
    keep: f32,
) -> Result<(), PdfError> {
    let body = |whole| Keep { after: keep, whole };
    let lines = |wrapped: Wrapped<'_>, inline: &[Inline]| match wrapped {
        Wrapped::Text(lines) => lines,
        _ => wrap(inline, &body_fonts(), column.width),
    };
    match block {
        Block::Heading(level, inline) => heading(flow, *level, inline, column, keep),
        Block::Paragraph(inline) => {
            let keep = body(keep::is_whole(inline));
            let lines = lines(wrapped, inline);
            text(flow, &lines, column, body_fonts(), BODY_LEADING, keep)?;
            flow.space(PARAGRAPH_GAP);
            Ok(())
        }
        Block::Text(inline) => {
            let keep = body(keep::is_whole(inline));
            let lines = lines(wrapped, inline);
            text(flow, &lines, column, body_fonts(), BODY_LEADING, keep)?;
            flow.space(ITEM_GAP);
            Ok(())
        }
        Block::Literal(lines) => {
            let mut inline = Vec::new();
            for (index, line) in lines.iter().enumerate() {
                if index > 0 {
                    inline.push(Inline::Break);
                }
                inline.push(Inline::Text(line.clone(), Style::default()));
            }
            text(
                flow,
                &wrap(&inline, &body_fonts(), column.width),
                column,
                body_fonts(),
                BODY_LEADING,
                body(false),
            )?;
            flow.space(PARAGRAPH_GAP);
            Ok(())
        }
        Block::Code(lines) => code(flow, lines, column),
        Block::Quote(blocks) => {
            flow.push_bar(column.left + 1.5);
            let inner = Column {
                color: QUOTE_COLOR,
                ..column.indented(QUOTE_INDENT)
            };
            let result = set_blocks(flow, blocks, inner);
            flow.pop_bar();
            flow.space(PARAGRAPH_GAP);
            result
        }
        Block::List { start, items } => list(flow, *start, items, column),
        Block::Table(content) => {
            let laid = match wrapped {
                Wrapped::Table(laid) => laid,
                _ => table::lay(content, column.left, column.width, column.color),
            };
            if let Some(laid) = laid? {
                table::table(flow, laid, keep)?;
            }
            flow.space(PARAGRAPH_GAP + 2.0);
            Ok(())
        }
        Block::Rule => {
            flow.space(4.0);
            flow.place(10.0, 0.0, |page, top| {
                let y = top - 5.0;
                let stroke = Stroke {
                    width: 0.75,
                    color: RULE_COLOR,
                };
                page.line(column.left, y, column.left + column.width, y, &stroke);
            })?;
            flow.space(PARAGRAPH_GAP);
            Ok(())
        }
    }
}

/// The fonts of body text.
pub(crate) fn body_fonts() -> Fonts {
    Fonts {
        text: TEXT_FONT,
        code: CODE_FONT,
        size: BODY_SIZE,
    }
}

/// Distance from the top of a line band to its baseline: the capitals sit in the middle.
fn baseline_in(leading: f32, font: Font, size: f32) -> f32 {
    (leading + ascent(font, size)) / 2.0
}

/// What a run of text keeps together across a page break.
#[derive(Clone, Copy, Debug, Default)]
struct Keep {
    /// Points of what follows that must fit below the last line on its page.
    after: f32,
    /// Never split: a block of hand-broken lines such as a signature.
    whole: bool,
}

/// Places `lines`, wrapped to the column in `fonts`, line by line. A break across pages
/// leaves at least two lines on each side (no orphan at the foot of a page, no widow at the
/// top of the next), and the last lines stay with the `keep.after` points that follow them.
fn text(
    flow: &mut Flow<'_>,
    lines: &[Line],
    column: Column,
    fonts: Fonts,
    leading: f32,
    keep: Keep,
) -> Result<(), PdfError> {
    let baseline = baseline_in(leading, fonts.text, fonts.size);
    let mut from = 0;
    while from < lines.len() {
        let rest = lines.len() - from;
        let room = flow.room();
        // Lines that fit below the cursor; a hair of slack absorbs rounding.
        let fit = ((room + 0.01) / leading).floor().max(0.0) as usize;
        let here = if rest as f32 * leading + keep.after <= room + 0.01 {
            rest
        } else if keep.whole {
            0
        } else {
            fit.min(rest.saturating_sub(MIN_LINES))
        };
        let count = if here >= rest || (here >= MIN_LINES && !keep.whole) {
            here
        } else if flow.is_fresh() {
            // Even a whole page cannot keep these together: set what fits, at least a line.
            fit.clamp(1, rest)
        } else {
            flow.new_page()?;
            continue;
        };
        for line in &lines[from..from + count] {
            flow.place(leading, baseline, |page, top| {
                draw_line(
                    page,
                    column.left,
                    top - baseline,
                    line,
                    fonts.size,
                    column.color,
                );
            })?;
        }
        from += count;
        if from < lines.len() {
            flow.new_page()?;
        }
    }
    Ok(())
}

/// Sets a heading; `keep` points of what it heads stay on its page.
fn heading(
    flow: &mut Flow<'_>,
    level: u8,
    inline: &[Inline],
    column: Column,
    keep: f32,
) -> Result<(), PdfError> {
    let (size, before, after) = match level {
        1 => (17.0, 16.0, 8.0),
        2 => (13.5, 14.0, 6.0),
        3 => (11.5, 12.0, 4.0),
        _ => (10.5, 10.0, 3.0),
    };
    let leading = size * 1.25;
    let fonts = Fonts {
        text: TEXT_FONT.styled(true, false),
        code: CODE_FONT.styled(true, false),
        size,
    };
    let emboldened: Vec<Inline> = inline
        .iter()
        .map(|i| match i {
            Inline::Text(text, style) => Inline::Text(
                text.clone(),
                Style {
                    bold: true,
                    ..*style
                },
            ),
            Inline::Break => Inline::Break,
        })
        .collect();
    let wrapped = wrap(&emboldened, &fonts, column.width);
    let lines = wrapped.len().max(1);
    flow.space(before);
    // A heading never ends a page: the start of what it heads comes with it.
    let rule = if level <= 2 { 3.0 } else { 0.0 };
    let height = lines as f32 * leading + rule + after;
    let follows = if keep > 0.0 {
        keep
    } else {
        MIN_LINES as f32 * BODY_LEADING
    };
    if height + follows <= super::flow::BODY_HEIGHT {
        flow.ensure(height + follows)?;
    }
    let color = Column {
        color: HEADING_COLOR,
        ..column
    };
    let whole = Keep {
        after: 0.0,
        whole: true,
    };
    text(flow, &wrapped, color, fonts, leading, whole)?;
    if level <= 2 {
        let stroke = if level == 1 {
            Stroke {
                width: 1.0,
                color: HEADING_COLOR,
            }
        } else {
            Stroke {
                width: 0.5,
                color: RULE_COLOR,
            }
        };
        flow.place(3.0, 0.0, |page, top| {
            let y = top - 1.5;
            page.line(column.left, y, column.left + column.width, y, &stroke);
        })?;
    }
    flow.space(after);
    Ok(())
}

fn code(flow: &mut Flow<'_>, lines: &[String], column: Column) -> Result<(), PdfError> {
    let font = CODE_FONT;
    let inner = column.width - 2.0 * CODE_PAD;
    let baseline = baseline_in(CODE_LEADING, font, CODE_SIZE);
    let style = TextStyle::new(font, CODE_SIZE).with_color(column.color);
    let fill = |height: f32| {
        move |page: &mut canvas::Page, top: f32| {
            page.rect(
                column.left,
                top - height,
                column.width,
                height,
                &Paint::Fill(CODE_FILL),
            );
        }
    };
    flow.space(2.0);
    // The top padding never stays behind without a line of code under it.
    flow.ensure(CODE_PAD / 2.0 + CODE_LEADING)?;
    flow.place(CODE_PAD / 2.0, 0.0, fill(CODE_PAD / 2.0))?;
    for line in lines {
        // Tabs would print as a single space; code means them as indentation.
        let line = line.replace('\t', "    ");
        for piece in wrap_preformatted(&line, font, CODE_SIZE, inner) {
            flow.place(CODE_LEADING, CODE_PAD / 2.0 + baseline, |page, top| {
                fill(CODE_LEADING)(page, top);
                page.text(column.left + CODE_PAD, top - baseline, &style, &piece);
            })?;
        }
    }
    flow.place(CODE_PAD / 2.0, 0.0, fill(CODE_PAD / 2.0))?;
    flow.space(PARAGRAPH_GAP);
    Ok(())
}

fn list(
    flow: &mut Flow<'_>,
    start: Option<u64>,
    items: &[Vec<Block>],
    column: Column,
) -> Result<(), PdfError> {
    let marker_style = TextStyle::new(TEXT_FONT, BODY_SIZE).with_color(MARKER_COLOR);
    let markers: Vec<String> = (0..items.len())
        .map(|index| match start {
            Some(first) => format!("{}.", first.saturating_add(index as u64)),
            None => bullet(column.depth).to_string(),
        })
        .collect();
    // Long numbers push the text right rather than run into it.
    let widest = markers
        .iter()
        .map(|m| super::fonts::text_width(marker_style.font, marker_style.size, m))
        .fold(0.0, f32::max);
    let indent = LIST_INDENT.max(widest + 6.0);
    let inner = Column {
        depth: column.depth + 1,
        ..column.indented(indent)
    };
    let baseline = baseline_in(BODY_LEADING, TEXT_FONT, BODY_SIZE);
    for (item, marker) in items.iter().zip(markers) {
        flow.set_marker(Marker {
            text: marker,
            right: inner.left - 5.0,
            style: marker_style,
        });
        if item.is_empty() {
            flow.place(BODY_LEADING, baseline, |_, _| {})?;
        } else {
            set_blocks(flow, item, inner)?;
        }
        flow.space(ITEM_GAP);
    }
    // A nested list ends inside an item of its parent, where items sit close together.
    flow.space(if column.depth == 0 {
        PARAGRAPH_GAP
    } else {
        ITEM_GAP
    });
    Ok(())
}

/// The bullet of a list nested `depth` lists deep.
fn bullet(depth: usize) -> &'static str {
    ["\u{2022}", "\u{2013}", "\u{00B7}"][depth % 3]
}
