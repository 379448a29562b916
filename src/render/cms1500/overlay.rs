//! The data layer: each value in black Courier 12 pt on its grid cells.

use crate::render::pdf::{Font, Page, TextStyle};

use super::Offsets;
use super::grid::{Field, baseline_from_top, column_x};

/// Courier at 12 pt advances 7.2 pt per character: exactly one grid column.
pub(super) const DATA_STYLE: TextStyle = TextStyle::new(Font::Courier, 12.0);

/// Prints `text` (already checked to fit) in `field`, aligned as the field says.
pub(super) fn print_field(page: &mut Page, field: &Field, text: &str, offsets: Offsets) {
    let column = field.start_column(text.chars().count());
    let (x, y) = offsets.place(column_x(column), baseline_from_top(field.line));
    page.text(x, y, &DATA_STYLE, text);
}
