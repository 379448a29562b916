//! The data layer: each value in black Courier 12 pt on its grid cells, and the markers of the
//! alignment test page.

use crate::render::pdf::{Font, Page, TextStyle};

use super::Offsets;
use super::grid::{Field, Grid, baseline_from_top, column_x};

/// Courier at 12 pt advances 7.2 pt per character: exactly one grid column.
pub(super) const DATA_STYLE: TextStyle = TextStyle::new(Font::Courier, 12.0);

/// The line and column where the alignment page states its offsets: below the form's footer.
const NOTE_LINE: u8 = 65;
const NOTE_COLUMN: u8 = 4;

/// Prints `text` (already checked to fit) in `field`, aligned as the field says.
pub(super) fn print_field(page: &mut Page, field: &Field, text: &str, offsets: Offsets) {
    let column = field.start_column(text.chars().count());
    let (x, y) = offsets.place(column_x(column), baseline_from_top(field.line));
    page.text(x, y, &DATA_STYLE, text);
}

/// Prints a marker in every field of `grid` and a note of the offsets used.
pub(super) fn print_markers(page: &mut Page, grid: &Grid, offsets: Offsets) {
    for field in grid.fields() {
        print_field(page, field, &marker(field), offsets);
    }
    let note = format!(
        "CMS-1500 ALIGNMENT TEST  X OFFSET {:+.2} IN  Y OFFSET {:+.2} IN",
        offsets.x_inches, offsets.y_inches
    );
    let (x, y) = offsets.place(column_x(NOTE_COLUMN), baseline_from_top(NOTE_LINE));
    page.text(x, y, &DATA_STYLE, &note);
}

/// `X` for a one-character field, else the field id in upper case filled with `*` to the
/// field's width (cut to it if longer), so that the page shows where each field starts and ends.
pub(super) fn marker(field: &Field) -> String {
    let width = usize::from(field.width);
    if width == 1 {
        return "X".to_string();
    }
    let mut text: String = field.id.to_ascii_uppercase().chars().take(width).collect();
    while text.len() < width {
        text.push('*');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::cms1500::grid::grid;

    #[test]
    fn markers_fill_their_field_exactly() {
        for field in grid().fields() {
            let m = marker(field);
            assert_eq!(m.len(), usize::from(field.width), "{}", field.id);
        }
        let g = grid();
        let name = g.get("2").map(marker);
        assert_eq!(name.as_deref(), Some("2***************************"));
        assert_eq!(g.get("24f_1_cents").map(marker).as_deref(), Some("24"));
        assert_eq!(g.get("1_medicare").map(marker).as_deref(), Some("X"));
    }
}
