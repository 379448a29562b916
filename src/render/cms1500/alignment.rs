//! The alignment test page: a readable marker in every field, rulers along the top and left
//! edges, a crosshair on each corner of the form's outer frame, a short how-to and the offsets
//! used. Everything on it moves with the offsets, as a claim printed with them would.

use crate::render::pdf::{Color, Font, Page, Stroke, TextStyle};

use super::Offsets;
use super::grid::{COLUMN_PITCH, Field, Grid, LINE_PITCH, baseline_from_top, column_x};
use super::overlay::{DATA_STYLE, print_field};
use super::replica::{FORM_BOTTOM, FORM_TOP, LEFT, RIGHT};

/// The line and column where the page states its offsets: below the form's footer.
const NOTE_LINE: u8 = 65;
const NOTE_COLUMN: u8 = 4;

/// Where the how-to starts and how its lines are set: between the QR area and the carrier
/// block, above the form's title, so that it covers nothing the test needs to show.
const HOWTO_X: f32 = 64.0;
const HOWTO_TOP: f32 = 27.0;
const HOWTO_LEADING: f32 = 7.0;
const HOWTO_STYLE: TextStyle = TextStyle::new(Font::Helvetica, 6.0);

/// The how-to, line by line.
pub(super) const HOWTO: [&str; 5] = [
    "TO ALIGN: 1. Print this page at actual size (no fit to page) on a red CMS-1500.",
    "2. Hold it to the light: each + should sit on a corner of the form's outer frame.",
    "3. Measure how far each + is from its corner, in inches (see the rulers).",
    "4. In practice.yaml set claim_form: offset_x_inches (more moves the print right)",
    "and offset_y_inches (more moves it down), from the values on line 65. Print again.",
];

/// The rulers: where their rules run and how long their ticks are, in points.
const RULER_TOP: f32 = 14.0;
const RULER_LEFT: f32 = 12.0;
const TICK: f32 = 3.0;
const HALF_TICK: f32 = 5.0;
const INCH_TICK: f32 = 7.0;
const RULER_LABEL: TextStyle = TextStyle::new(Font::Helvetica, 5.0);

/// How far each arm of a crosshair reaches from its corner.
const ARM: f32 = 10.0;

const PEN: Stroke = Stroke {
    width: 0.5,
    color: Color::BLACK,
};

/// Draws the whole test page for `grid` on `page`.
pub(super) fn draw(page: &mut Page, grid: &Grid, offsets: Offsets) {
    for field in grid.fields() {
        print_field(page, field, &marker(field), offsets);
    }
    let note = format!(
        "CMS-1500 ALIGNMENT TEST  X OFFSET {:+.2} IN  Y OFFSET {:+.2} IN",
        offsets.x_inches, offsets.y_inches
    );
    let (x, y) = offsets.place(column_x(NOTE_COLUMN), baseline_from_top(NOTE_LINE));
    page.text(x, y, &DATA_STYLE, &note);
    for (i, line) in HOWTO.iter().enumerate() {
        let top = HOWTO_TOP + HOWTO_LEADING * i as f32;
        let (x, y) = offsets.place(HOWTO_X, top);
        page.text(x, y, &HOWTO_STYLE, line);
    }
    rulers(page, offsets);
    for (x, top) in [
        (LEFT, FORM_TOP),
        (RIGHT, FORM_TOP),
        (LEFT, FORM_BOTTOM),
        (RIGHT, FORM_BOTTOM),
    ] {
        rule(page, offsets, (x - ARM, top), (x + ARM, top));
        rule(page, offsets, (x, top - ARM), (x, top + ARM));
    }
}

/// A line between two points given from the top-left corner of the sheet.
fn rule(page: &mut Page, offsets: Offsets, from: (f32, f32), to: (f32, f32)) {
    let (x1, y1) = offsets.place(from.0, from.1);
    let (x2, y2) = offsets.place(to.0, to.1);
    page.line(x1, y1, x2, y2, &PEN);
}

/// A ruler across the top with a tick every column (1/10 in) and down the left with a tick
/// every line (1/6 in), longer at each half inch and inch, the inches numbered.
fn rulers(page: &mut Page, offsets: Offsets) {
    rule(page, offsets, (0.0, RULER_TOP), (612.0, RULER_TOP));
    for column in 0..=85u16 {
        let x = COLUMN_PITCH * f32::from(column);
        let length = tick(column, 10);
        rule(page, offsets, (x, RULER_TOP), (x, RULER_TOP + length));
        if column.is_multiple_of(10) && column > 0 {
            let (lx, ly) = offsets.place(x + 1.5, RULER_TOP + INCH_TICK);
            page.text(lx, ly, &RULER_LABEL, &(column / 10).to_string());
        }
    }
    rule(page, offsets, (RULER_LEFT, 0.0), (RULER_LEFT, 792.0));
    for line in 0..=66u16 {
        let top = LINE_PITCH * f32::from(line);
        let length = tick(line, 6);
        rule(page, offsets, (RULER_LEFT, top), (RULER_LEFT + length, top));
        if line.is_multiple_of(6) && line > 0 {
            let (lx, ly) = offsets.place(RULER_LEFT + 1.0, top + 6.0);
            page.text(lx, ly, &RULER_LABEL, &(line / 6).to_string());
        }
    }
}

/// The length of tick `n` of a ruler with `per_inch` ticks to the inch.
fn tick(n: u16, per_inch: u16) -> f32 {
    if n.is_multiple_of(per_inch) {
        INCH_TICK
    } else if per_inch.is_multiple_of(2) && n.is_multiple_of(per_inch / 2) {
        HALF_TICK
    } else {
        TICK
    }
}

/// A marker that fills `field` exactly: `X` in a check box, the format in a date, else a label
/// that can be read (the item and what it holds, as much as fits) underlined to the field's
/// last column with `_`, so the page shows where each field starts and ends.
pub(super) fn marker(field: &Field) -> String {
    let width = usize::from(field.width);
    if width == 1 {
        return "X".to_string();
    }
    for format in ["MM DD YYYY", "MM DD YY"] {
        if field.description.contains(format) && format.len() == width {
            return format.to_string();
        }
    }
    let item = field.item.to_ascii_uppercase();
    let role = role(field);
    let (described, whole) = described(&item, &field.description, width);
    let with_role = (!role.is_empty()).then(|| format!("{item} {role}"));
    // The whole description reads best, then what the id says (5 ZIP), then part of the
    // description (11 INSUREDS POLICY GROUP), then the item alone.
    let (full, partial) = if whole {
        (described, None)
    } else {
        (None, described)
    };
    let label = [full, with_role, partial, Some(item.clone())]
        .into_iter()
        .flatten()
        .find(|l| l.len() <= width)
        .unwrap_or_else(|| {
            let short = if role.is_empty() { &item } else { &role };
            short.chars().take(width).collect()
        });
    format!("{label:_<width$}")
}

/// What the field id says beyond its item and service line: `5_phone_area` is PHONE AREA.
fn role(field: &Field) -> String {
    let id = field.id.to_ascii_uppercase();
    let rest = id
        .strip_prefix(&field.item.to_ascii_uppercase())
        .unwrap_or(&id);
    let words: Vec<&str> = rest
        .split('_')
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .collect();
    words.join(" ")
}

/// The item followed by as many words of the field's description as fit, if one does, and
/// whether that is the whole description.
fn described(item: &str, description: &str, width: usize) -> (Option<String>, bool) {
    let cleaned: String = description
        .chars()
        .filter(|c| *c != '\'' && *c != '.')
        .map(|c| match c {
            ',' | '(' | ')' => ' ',
            c => c.to_ascii_uppercase(),
        })
        .collect();
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    // "Line 1 charges": the row of the form already says which line.
    if words.first() == Some(&"LINE") {
        words.drain(..words.len().min(2));
    }
    let mut taken = 0;
    let mut length = item.len();
    while let Some(word) = words.get(taken) {
        if length + 1 + word.len() > width {
            break;
        }
        length += 1 + word.len();
        taken += 1;
    }
    let whole = taken == words.len();
    // A label that stops after AND or OR reads as if something fell off.
    while taken > 0 && ["AND", "OR", "OF", "EG"].contains(&words[taken - 1]) {
        taken -= 1;
    }
    if taken == 0 {
        return (None, false);
    }
    let label = std::iter::once(item).chain(words[..taken].iter().copied());
    (Some(label.collect::<Vec<_>>().join(" ")), whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::cms1500::grid::grid;
    use crate::render::pdf::text_width;

    #[test]
    fn markers_fill_their_field_exactly_and_can_be_read() {
        for field in grid().fields() {
            let m = marker(field);
            assert_eq!(m.len(), usize::from(field.width), "{}", field.id);
        }
        let label = |id: &str| grid().get(id).map(marker).unwrap_or_default();
        assert_eq!(label("2"), "2 PATIENTS NAME LAST FIRST__");
        assert_eq!(label("3_dob"), "MM DD YYYY");
        assert_eq!(label("24a_1_from"), "MM DD YY");
        assert_eq!(label("5_phone"), "5 PHONE");
        assert_eq!(label("5_phone_area"), "5__");
        assert_eq!(label("5_zip"), "5 ZIP_____");
        assert_eq!(label("11"), "11 INSUREDS POLICY GROUP_____");
        assert_eq!(
            label("carrier_city_state_zip"),
            "CARRIER CITY STATE ZIP_________"
        );
        assert_eq!(label("21_a"), "21 A___");
        assert_eq!(label("24j_1_npi"), "24J NPI___");
        assert_eq!(label("1_medicare"), "X");
        assert_eq!(label("5_state"), "5_");
        assert_eq!(label("24d_1_mod1"), "MO");
    }

    #[test]
    fn the_howto_stays_clear_of_the_carrier_block() {
        // The carrier block starts in column 44.
        let carrier = column_x(44);
        for line in HOWTO {
            let end = HOWTO_X + text_width(Font::Helvetica, 6.0, line);
            assert!(end < carrier, "{line}: ends at {end}");
        }
        // Its last line ends above the form's title, whose capitals start 59 pt down.
        assert!(HOWTO_TOP + HOWTO_LEADING * (HOWTO.len() - 1) as f32 <= 57.0);
    }
}
