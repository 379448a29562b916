//! What stays together across a page break: the start of each block (its lead), and what a
//! block keeps on its page with the block after it. A heading keeps the start of what it
//! heads; a paragraph keeps a list or table it introduces and a signature or address block
//! after it; a table keeps its last row with the line of totals under it.

use super::PdfError;
use super::layout::{BODY_LEADING, CODE_LEADING, CODE_PAD, LIST_INDENT, QUOTE_INDENT, body_fonts};
use super::markdown::{Block, Inline};
use super::table::{self, Laid};
use super::wrap::{Line, line_count};

/// A block wrapped to the column it is set in, once, ahead of setting it: what the block
/// before it keeps is measured on the same lines that are then set.
pub(crate) enum Wrapped<'b> {
    /// The lines of a paragraph or of tight list text.
    Text(Vec<Line>),
    /// A table laid out, or why it cannot be.
    Table(Result<Option<Laid<'b>>, PdfError>),
    /// Any other block, wrapped only when it is set.
    Later,
}

/// Lines a paragraph may leave at the foot of a page or carry to the next: fewer would leave
/// an orphan or a widow.
pub(crate) const MIN_LINES: usize = 2;

/// Whether a paragraph is a block of short lines broken by hand (an address, a signature
/// block): it is never split across pages.
pub(crate) fn is_whole(inline: &[Inline]) -> bool {
    inline.iter().any(|i| matches!(i, Inline::Break))
}

/// The lines a paragraph must keep together at its start: all of them when it cannot be
/// split leaving two lines on each side, else two.
fn lead_lines(lines: usize, whole: bool) -> usize {
    if whole || lines < 2 * MIN_LINES {
        lines
    } else {
        MIN_LINES
    }
}

/// The height the start of `block` needs on the page it starts on, in a column `width`
/// points wide; `wrapped` is the block already wrapped to that width, if it is.
pub(crate) fn lead(block: &Block, wrapped: Option<&Wrapped<'_>>, width: f32) -> f32 {
    match block {
        Block::Heading(..) => 3.0 * BODY_LEADING,
        Block::Paragraph(inline) | Block::Text(inline) => {
            let lines = match wrapped {
                Some(Wrapped::Text(lines)) => lines.len(),
                _ => line_count(inline, &body_fonts(), width),
            };
            lead_lines(lines, is_whole(inline)) as f32 * BODY_LEADING
        }
        Block::Literal(lines) => lines.len() as f32 * BODY_LEADING,
        Block::Code(lines) => {
            CODE_PAD / 2.0 + lines.len().clamp(1, MIN_LINES) as f32 * CODE_LEADING
        }
        Block::Quote(blocks) => blocks
            .first()
            .map_or(0.0, |b| lead(b, None, width - QUOTE_INDENT)),
        Block::List { items, .. } => items
            .first()
            .and_then(|item| item.first())
            .map_or(BODY_LEADING, |b| lead(b, None, width - LIST_INDENT)),
        Block::Table(content) => match wrapped {
            Some(Wrapped::Table(Ok(Some(laid)))) => table::lead_of(laid),
            Some(Wrapped::Table(_)) => 0.0,
            _ => table::lead(content, width),
        },
        Block::Rule => 0.0,
    }
}

/// The height of `next` that `block` keeps on its own page below its end, in a column
/// `width` points wide: a heading keeps the start of what it heads, a paragraph the list or
/// table it introduces and a hand-broken block (a signature) after it, a table the line of
/// totals under it. `wrapped` is `next` already wrapped to `width`, if it is.
pub(crate) fn kept(
    block: &Block,
    next: Option<&Block>,
    wrapped: Option<&Wrapped<'_>>,
    width: f32,
) -> f32 {
    let Some(next) = next else {
        return 0.0;
    };
    match (block, next) {
        (Block::Heading(..), _) => lead(next, wrapped, width),
        (Block::Paragraph(_) | Block::Text(_), Block::List { .. } | Block::Table(_)) => {
            lead(next, wrapped, width)
        }
        (Block::Paragraph(_), Block::Paragraph(inline)) if is_whole(inline) => {
            let lines = match wrapped {
                Some(Wrapped::Text(lines)) => lines.len(),
                _ => line_count(inline, &body_fonts(), width),
            };
            lines as f32 * BODY_LEADING
        }
        (Block::Table(_), Block::Paragraph(_)) => lead(next, wrapped, width),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::markdown::parse;

    #[test]
    fn short_paragraphs_stay_whole_and_long_ones_keep_two_lines() {
        assert_eq!(lead_lines(1, false), 1);
        assert_eq!(lead_lines(3, false), 3);
        assert_eq!(lead_lines(4, false), 2);
        assert_eq!(lead_lines(9, true), 9);
    }

    #[test]
    fn headings_keep_the_start_of_what_they_head() {
        let blocks = parse("## Visits\n\n| A | B |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |\n");
        let with_table = kept(&blocks[0], blocks.get(1), None, 500.0);
        // The header row and one body row, each taller than a line of text.
        assert!(with_table > BODY_LEADING, "{with_table}");
        let blocks = parse("Closing.\n\nSincerely,\\\nSignature\\\nAmy Chen\n\nAfter.\n");
        assert_eq!(
            kept(&blocks[0], blocks.get(1), None, 500.0),
            3.0 * BODY_LEADING
        );
        assert_eq!(kept(&blocks[1], blocks.get(2), None, 500.0), 0.0);
    }
}
