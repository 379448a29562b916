//! GFM tables on the page: column widths fitted to the content, wrapped cells, rows kept whole
//! across page breaks, and the header row repeated at the top of every page the table reaches.

use super::PdfError;
use super::canvas::{Color, Page, Paint, Stroke, TextStyle};
use super::flow::{BODY_HEIGHT, CODE_FONT, Flow, TEXT_FONT};
use super::fonts::ascent;
use super::markdown::{Align, Inline, Table};
use super::wrap::{Fonts, Line, extent, wrap};

const PAD_X: f32 = 5.0;
const PAD_Y: f32 = 3.5;
/// Font sizes tried in turn until the columns' longest words fit side by side.
const SIZES: [f32; 4] = [10.0, 9.0, 8.0, 7.0];
const HEADER_FILL: Color = Color::rgb(0.9, 0.92, 0.95);
const STRIPE_FILL: Color = Color::rgb(0.97, 0.975, 0.98);
const HEAVY_RULE: Stroke = Stroke {
    width: 0.75,
    color: Color::grey(0.55),
};
const LIGHT_RULE: Stroke = Stroke {
    width: 0.4,
    color: Color::grey(0.82),
};

/// One row wrapped to its column widths.
struct Row {
    cells: Vec<Vec<Line>>,
    lines: usize,
    header: bool,
    striped: bool,
}

/// Where and how the rows of one table are drawn.
struct Grid<'t> {
    left: f32,
    widths: Vec<f32>,
    align: &'t [Align],
    size: f32,
    leading: f32,
    color: Color,
}

impl Grid<'_> {
    fn height(&self, lines: usize) -> f32 {
        lines as f32 * self.leading + 2.0 * PAD_Y
    }

    /// Distance from the top of a row to its first baseline.
    fn baseline(&self) -> f32 {
        PAD_Y + (self.leading + ascent(TEXT_FONT, self.size)) / 2.0
    }
}

/// A table wrapped to its column: the grid, the header row and the body rows.
pub(crate) struct Laid<'t> {
    grid: Grid<'t>,
    head: Row,
    body: Vec<Row>,
}

/// Fits `table`'s columns into `width` points from `left` and wraps every row; None for a
/// table without columns.
pub(crate) fn lay<'t>(
    table: &'t Table,
    left: f32,
    width: f32,
    color: Color,
) -> Result<Option<Laid<'t>>, PdfError> {
    let columns = table
        .rows
        .iter()
        .map(Vec::len)
        .chain([table.header.len()])
        .max()
        .unwrap_or(0);
    if columns == 0 {
        return Ok(None);
    }
    let header: Vec<Vec<Inline>> = table.header.iter().map(|cell| emboldened(cell)).collect();
    let all_rows = || std::iter::once(&header).chain(table.rows.iter());
    let (size, widths) =
        column_widths(all_rows(), columns, width).ok_or(PdfError::TableTooWide { columns })?;
    let grid = Grid {
        left,
        widths,
        align: &table.align,
        size,
        leading: size * 1.3,
        color,
    };
    let head = wrap_row(&grid, &header, true, false);
    let body: Vec<Row> = table
        .rows
        .iter()
        .enumerate()
        .map(|(index, cells)| wrap_row(&grid, cells, false, index % 2 == 1))
        .collect();
    Ok(Some(Laid { grid, head, body }))
}

/// The height the start of `table` needs on a page: its header row with the first body row,
/// or with both rows of a two-row table (the last two rows stay together). What a heading
/// or an introducing paragraph keeps with it.
pub(crate) fn lead(table: &Table, width: f32) -> f32 {
    match lay(table, 0.0, width, Color::grey(0.0)) {
        Ok(Some(laid)) => lead_of(&laid),
        _ => 0.0,
    }
}

/// [`lead`] of a table already laid out.
pub(crate) fn lead_of(laid: &Laid<'_>) -> f32 {
    let rows = if laid.body.len() <= 2 {
        laid.body.len()
    } else {
        1
    };
    let height = |row: &Row| laid.grid.height(row.lines);
    (height(&laid.head) + laid.body.iter().take(rows).map(height).sum::<f32>()).min(BODY_HEIGHT)
}

/// Sets a table laid out by [`lay`]; its last row is kept on one page with the `keep_after`
/// points that follow the table (a totals line).
pub(crate) fn table(flow: &mut Flow<'_>, laid: Laid<'_>, keep_after: f32) -> Result<(), PdfError> {
    let Laid { grid, head, body } = laid;

    // A header taller than a third of a page would crowd out the rows it is repeated for; it is
    // then printed once, as the first row.
    let repeat = grid.height(head.lines) <= BODY_HEIGHT / 3.0;
    let header = if repeat { Some(&head) } else { None };
    let leading_row = if repeat { None } else { Some(&head) };
    let rows: Vec<&Row> = leading_row.into_iter().chain(&body).collect();
    // The header is owed at the start of the table and again after every page break.
    let mut owe_header = repeat;
    for (index, row) in rows.iter().enumerate() {
        if row_fits_page(&grid, row, header) {
            let header_height = header
                .filter(|_| owe_header)
                .map_or(0.0, |h| grid.height(h.lines));
            let with = kept_with(&grid, &rows[index + 1..], keep_after);
            let mut need = header_height + grid.height(row.lines);
            // What must follow on the same page is only asked for while it can fit there.
            if need + with <= BODY_HEIGHT - header.map_or(0.0, |h| grid.height(h.lines)) {
                need += with;
            }
            if !flow.fits(need) {
                flow.new_page()?;
                owe_header = repeat;
            }
            if let Some(head) = header.filter(|_| owe_header) {
                draw_lines(flow, &grid, head, 0, head.lines)?;
                owe_header = false;
            }
            draw_lines(flow, &grid, row, 0, row.lines)?;
        } else {
            split_row(flow, &grid, row, header, &mut owe_header)?;
        }
    }
    if let Some(head) = header.filter(|_| owe_header) {
        draw_lines(flow, &grid, head, 0, head.lines)?;
    }
    Ok(())
}

/// What must sit on the same page below a row, given the rows after it: the last row (a
/// total) never starts a page alone, and the last row keeps `keep_after` below it.
fn kept_with(grid: &Grid<'_>, after: &[&Row], keep_after: f32) -> f32 {
    match after {
        [] => keep_after,
        [last] => grid.height(last.lines) + keep_after,
        _ => 0.0,
    }
}

/// Whether `row` fits on one page below the repeated header.
fn row_fits_page(grid: &Grid<'_>, row: &Row, header: Option<&Row>) -> bool {
    let header_height = header.map_or(0.0, |h| grid.height(h.lines));
    grid.height(row.lines) + header_height <= BODY_HEIGHT
}

/// A row taller than a page cannot stay whole: it continues on the next page, below the
/// repeated header, line by line.
fn split_row(
    flow: &mut Flow<'_>,
    grid: &Grid<'_>,
    row: &Row,
    header: Option<&Row>,
    owe_header: &mut bool,
) -> Result<(), PdfError> {
    flow.warn("a table row taller than a page was continued across pages".to_string());
    let mut from = 0;
    while from < row.lines {
        let header_height = header
            .filter(|_| *owe_header)
            .map_or(0.0, |h| grid.height(h.lines));
        let room = flow.room() - header_height - 2.0 * PAD_Y;
        let mut count = (room / grid.leading).floor().max(0.0) as usize;
        if count == 0 {
            if !flow.is_fresh() {
                flow.new_page()?;
                *owe_header = header.is_some();
                continue;
            }
            // A fresh page always has room for a line; this only guards against looping.
            count = 1;
        }
        if let Some(head) = header.filter(|_| *owe_header) {
            draw_lines(flow, grid, head, 0, head.lines)?;
            *owe_header = false;
        }
        let to = (from + count).min(row.lines);
        draw_lines(flow, grid, row, from, to)?;
        from = to;
        if from < row.lines {
            flow.new_page()?;
            *owe_header = header.is_some();
        }
    }
    Ok(())
}

/// Draws lines `from..to` of every cell of `row` as one band.
fn draw_lines(
    flow: &mut Flow<'_>,
    grid: &Grid<'_>,
    row: &Row,
    from: usize,
    to: usize,
) -> Result<(), PdfError> {
    let height = grid.height(to - from);
    let total: f32 = grid.widths.iter().sum();
    flow.place(height, grid.baseline(), |page: &mut Page, top: f32| {
        let bottom = top - height;
        if row.header {
            page.rect(grid.left, bottom, total, height, &Paint::Fill(HEADER_FILL));
        } else if row.striped {
            page.rect(grid.left, bottom, total, height, &Paint::Fill(STRIPE_FILL));
        }
        let mut x = grid.left;
        for (column, lines) in row.cells.iter().enumerate() {
            let width = grid.widths.get(column).copied().unwrap_or(0.0);
            let align = grid.align.get(column).copied().unwrap_or(Align::Left);
            for (index, line) in lines.iter().enumerate().take(to).skip(from) {
                let baseline = top - grid.baseline() - (index - from) as f32 * grid.leading;
                let start = match align {
                    Align::Left => x + PAD_X,
                    Align::Right => x + width - PAD_X - line.width,
                    Align::Center => x + (width - line.width) / 2.0,
                };
                draw_line(page, start, baseline, line, grid.size, grid.color);
            }
            x += width;
        }
        let rule = if row.header { HEAVY_RULE } else { LIGHT_RULE };
        page.line(grid.left, bottom, grid.left + total, bottom, &rule);
        if row.header {
            page.line(grid.left, top, grid.left + total, top, &HEAVY_RULE);
        }
    })
}

/// Prints one wrapped line with its baseline starting at (`x`, `baseline`).
pub(crate) fn draw_line(
    page: &mut Page,
    x: f32,
    baseline: f32,
    line: &Line,
    size: f32,
    color: Color,
) {
    let mut x = x;
    for piece in &line.pieces {
        let style = TextStyle {
            font: piece.font,
            size,
            color,
        };
        page.text(x, baseline, &style, &piece.text);
        x += piece.width;
    }
}

fn wrap_row(grid: &Grid<'_>, cells: &[Vec<Inline>], header: bool, striped: bool) -> Row {
    let fonts = cell_fonts(grid.size);
    let cells: Vec<Vec<Line>> = grid
        .widths
        .iter()
        .enumerate()
        .map(|(column, width)| match cells.get(column) {
            Some(cell) => wrap(cell, &fonts, width - 2.0 * PAD_X),
            None => Vec::new(),
        })
        .collect();
    let lines = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
    Row {
        cells,
        lines,
        header,
        striped,
    }
}

fn cell_fonts(size: f32) -> Fonts {
    Fonts {
        text: TEXT_FONT,
        code: CODE_FONT,
        size,
    }
}

fn emboldened(cell: &[Inline]) -> Vec<Inline> {
    cell.iter()
        .map(|inline| match inline {
            Inline::Text(text, style) => {
                let mut style = *style;
                style.bold = true;
                Inline::Text(text.clone(), style)
            }
            Inline::Break => Inline::Break,
        })
        .collect()
}

/// Picks a font size and column widths that fill `width`: every column gets at least its
/// longest word where possible, and the rest is shared in proportion to how much more each
/// column would need to set its cells on one line. `None` when not even one character per
/// column fits.
fn column_widths<'r>(
    rows: impl Iterator<Item = &'r Vec<Vec<Inline>>>,
    columns: usize,
    width: f32,
) -> Option<(f32, Vec<f32>)> {
    // Widths grow in proportion to the size, so the cells are measured once, at 1 pt, and
    // scaled for each size tried: the widest line of each column and its longest word.
    let fonts = cell_fonts(1.0);
    let mut widest = vec![0.0f32; columns];
    let mut longest = vec![0.0f32; columns];
    for row in rows {
        for (column, cell) in row.iter().enumerate().take(columns) {
            let cell = extent(cell, &fonts);
            widest[column] = widest[column].max(cell.widest);
            longest[column] = longest[column].max(cell.longest);
        }
    }
    let padded = |widths: &[f32], size: f32| -> Vec<f32> {
        widths.iter().map(|w| w * size + 2.0 * PAD_X).collect()
    };
    let size = SIZES
        .iter()
        .copied()
        .find(|&size| padded(&longest, size).iter().sum::<f32>() <= width)
        .unwrap_or(SIZES[SIZES.len() - 1]);
    let (natural, least) = (padded(&widest, size), padded(&longest, size));
    // The narrowest useful column holds one wide character.
    let floor = 2.0 * PAD_X + size;
    if floor * columns as f32 > width {
        return None;
    }
    let natural: Vec<f32> = natural.iter().map(|w| w.max(floor)).collect();
    let least: Vec<f32> = least.iter().map(|w| w.max(floor)).collect();
    let sum = |v: &[f32]| v.iter().sum::<f32>();
    if sum(&natural) <= width {
        return Some((size, share(&natural, &natural, width)));
    }
    // Columns that need no more than an even share of what is left keep their natural width,
    // so short columns ("Code", "$500") never wrap just because another column is long.
    let mut fixed: Vec<Option<f32>> = vec![None; columns];
    loop {
        let open = fixed.iter().filter(|w| w.is_none()).count();
        let taken: f32 = fixed.iter().flatten().sum();
        let fair = (width - taken) / open.max(1) as f32;
        let mut changed = false;
        for (slot, &want) in fixed.iter_mut().zip(&natural) {
            if slot.is_none() && want <= fair {
                *slot = Some(want);
                changed = true;
            }
        }
        if !changed || open == 0 {
            break;
        }
    }
    let taken: f32 = fixed.iter().flatten().sum();
    let open: Vec<usize> = (0..columns).filter(|&c| fixed[c].is_none()).collect();
    let pick = |v: &[f32]| open.iter().map(|&c| v[c]).collect::<Vec<f32>>();
    let (open_natural, open_least) = (pick(&natural), pick(&least));
    let open_widths = if sum(&open_least) <= width - taken {
        let wish: Vec<f32> = open_natural
            .iter()
            .zip(&open_least)
            .map(|(n, l)| n - l)
            .collect();
        share(&open_least, &wish, width - taken)
    } else {
        // Even the longest words do not fit: every column is cut back towards the floor,
        // the ones with longer words less so, and words are broken between characters.
        let floors = vec![floor; columns];
        let wish: Vec<f32> = least.iter().map(|l| l - floor).collect();
        return Some((size, share(&floors, &wish, width)));
    };
    let mut widths: Vec<f32> = fixed.iter().map(|w| w.unwrap_or(0.0)).collect();
    for (&column, width) in open.iter().zip(open_widths) {
        widths[column] = width;
    }
    Some((size, widths))
}

/// `base` widths, plus what is left of `width` shared in proportion to `wish`.
fn share(base: &[f32], wish: &[f32], width: f32) -> Vec<f32> {
    let left = (width - base.iter().sum::<f32>()).max(0.0);
    let total: f32 = wish.iter().sum();
    base.iter()
        .zip(wish)
        .map(|(b, w)| {
            if total > 0.0 {
                b + left * w / total
            } else {
                b + left / base.len() as f32
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::markdown::Style;

    fn cell(text: &str) -> Vec<Inline> {
        vec![Inline::Text(text.to_string(), Style::default())]
    }

    #[test]
    fn narrow_tables_fill_the_width_in_proportion() {
        let rows = [vec![cell("Code"), cell("A much longer description")]];
        let (size, widths) = column_widths(rows.iter(), 2, 500.0).unwrap_or_default();
        assert_eq!(size, 10.0);
        assert!((widths.iter().sum::<f32>() - 500.0).abs() < 0.01);
        assert!(widths[1] > 2.0 * widths[0]);
    }

    #[test]
    fn wide_tables_keep_each_longest_word_whole() {
        let long = "word ".repeat(60);
        let rows = [vec![cell("Identifier"), cell(&long), cell(&long)]];
        let (_, widths) = column_widths(rows.iter(), 3, 400.0).unwrap_or_default();
        let fonts = cell_fonts(10.0);
        assert!(widths[0] >= extent(&cell("Identifier"), &fonts).longest + 2.0 * PAD_X);
        assert!((widths[1] - widths[2]).abs() < 0.01);
    }

    #[test]
    fn too_many_columns_are_refused() {
        let rows = [vec![cell("x"); 60]];
        assert!(column_widths(rows.iter(), 60, 504.0).is_none());
    }
}
