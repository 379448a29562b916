//! CMS-1500 (02/12) paper claims: the print grid, a data-only overlay for pre-printed red forms,
//! a replica that draws the whole form, and an alignment test page for calibrating a printer.
//!
//! # The grid
//!
//! Every field has a line and a column on the 10 characters per inch by 6 lines per inch grid of
//! the US Letter sheet (`templates/cms1500-grid.tsv`, 85 columns by 66 lines, both counted from
//! 1 at the top-left corner of the sheet). Values print in Courier 12 pt, whose characters
//! advance exactly 7.2 pt, one column. A value whose first character is in column `c` (the
//! field's column; for a right-aligned field `column + width - length`) on line `n`, with printer
//! offsets `X` and `Y` in inches, prints at:
//!
//! ```text
//! x        = 7.2 * (c - 1) + 72 * X          left end of the first character, points from the left
//! baseline = 12 * n - 4 + 72 * Y              points from the top edge of the sheet
//! PDF y    = 792 - baseline = 796 - 12 * n - 72 * Y
//! ```
//!
//! Line `n` is the band from 12(n-1) to 12n pt below the top edge; the baseline sits 4 pt above
//! the band's bottom, so Courier capitals (6.7 pt) stand 4 to 10.7 pt above it, clear of the rule
//! under a box. A positive `X` moves the print right and a positive `Y` moves it down, like a
//! printer's left and top margins. In replica mode the offsets move the drawn form with the
//! data, as a printer's drift would.
//!
//! # Values
//!
//! Each form is a map from field id to text, written as NUCC asks (`nucc`: identifiers without
//! hyphens or spaces, names and addresses without punctuation, ZIP codes as digits). Values are
//! trimmed and upper-cased; an empty value prints nothing. Check boxes take `X`. Dates are `MM DD YYYY` with single spaces (items 3,
//! 11a, 12, 14, 15, 16, 18), `MM DD YY` in 24A and 31. Amounts are split into dollars (digits,
//! no commas, right-aligned) and cents (2 digits), except `20_charges`: dollars and cents as one
//! run of digits without the point. Phones are an area code and a 7-digit number without
//! hyphen. Diagnosis codes go without the point; qualifier + ID fields (32b, 33b) without
//! separator.
//!
//! [`render_forms`] refuses what it cannot print exactly (an unknown id, a value wider than its
//! field, a character outside printable ASCII). [`fit_forms`] shortens (USPS abbreviations, then
//! without a parenthetical, then after a whole word: [`Step`]) and transliterates instead, and
//! returns a [`FitNote`] for every value it changed, for the caller to show.

mod alignment;
mod claim_form;
mod grid;
mod nucc;
mod overlay;
pub mod paper;
mod replica;
mod shorten;
mod values;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use crate::render::pdf::{PAGE_HEIGHT, Page, finish};

pub use claim_form::{
    Options, account_number, claim_fields, fit_findings, form_fields, render_claim,
};
pub use grid::{
    Align, BASELINE_RISE, COLUMN_PITCH, COLUMNS, Field, GRID_FILE, GRID_TSV, Grid, GridError,
    LINE_PITCH, LINES, baseline_from_top, column_x, grid,
};
pub use replica::COPY_NOTICE;
pub use shorten::Step;
pub use values::{FitNote, Fitted, fit_forms};

/// The largest printer offset accepted, in inches either way.
pub const MAX_OFFSET_INCHES: f32 = 1.0;

/// How far the printer's output must move to land on the form, in inches: right and down.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Offsets {
    /// Positive moves the print to the right.
    pub x_inches: f32,
    /// Positive moves the print down the sheet.
    pub y_inches: f32,
}

impl Offsets {
    /// No shift.
    pub const ZERO: Offsets = Offsets {
        x_inches: 0.0,
        y_inches: 0.0,
    };

    /// These offsets if finite and within [`MAX_OFFSET_INCHES`].
    fn checked(self) -> Result<Offsets, FormError> {
        let fine = |v: f32| v.is_finite() && v.abs() <= MAX_OFFSET_INCHES;
        if fine(self.x_inches) && fine(self.y_inches) {
            Ok(self)
        } else {
            Err(FormError::Offsets {
                x_inches: self.x_inches,
                y_inches: self.y_inches,
            })
        }
    }

    /// These offsets forced into range: a non-finite value becomes 0.
    fn clamped(self) -> Offsets {
        let clamp = |v: f32| {
            if v.is_finite() {
                v.clamp(-MAX_OFFSET_INCHES, MAX_OFFSET_INCHES)
            } else {
                0.0
            }
        };
        Offsets {
            x_inches: clamp(self.x_inches),
            y_inches: clamp(self.y_inches),
        }
    }

    /// The PDF point (origin bottom-left) of `x` points from the left and `top` points from the
    /// top of the sheet, after the shift.
    fn place(self, x: f32, top: f32) -> (f32, f32) {
        (
            x + 72.0 * self.x_inches,
            PAGE_HEIGHT - top - 72.0 * self.y_inches,
        )
    }
}

/// What goes on the page besides the data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Data only, in black Courier, for printing on a pre-printed red CMS-1500.
    Overlay,
    /// The whole form in dropout red with the data on top, for plain paper: records, previews.
    // Payers scan only original red forms and return copies, so a replica is never for billing.
    Replica,
}

/// Why forms could not be rendered.
#[derive(Debug, thiserror::Error, Clone, PartialEq)]
pub enum FormError {
    /// A map names a field the form does not have.
    #[error("form {form}: `{field}` is not a CMS-1500 field id")]
    UnknownField {
        /// Which form, 1 for the first.
        form: usize,
        /// The id as given.
        field: String,
    },
    /// A value is wider than its field.
    #[error(
        "form {form}: item {item} (`{field}`) holds at most {width} characters, but \"{value}\" has {length}"
    )]
    TooLong {
        /// Which form, 1 for the first.
        form: usize,
        /// The field id.
        field: String,
        /// The NUCC item of the field.
        item: String,
        /// The most characters the field holds.
        width: u8,
        /// Characters in the value, after trimming.
        length: usize,
        /// The value as given.
        value: String,
    },
    /// A value holds a character a claim form cannot carry.
    #[error(
        "form {form}: `{field}` contains {character:?}; a claim form prints only ASCII letters, digits, spaces and punctuation"
    )]
    Unprintable {
        /// Which form, 1 for the first.
        form: usize,
        /// The field id.
        field: String,
        /// The first such character.
        character: char,
    },
    /// The printer offsets are not usable.
    #[error(
        "printer offsets must be within {MAX_OFFSET_INCHES} inch either way, not x {x_inches} in, y {y_inches} in"
    )]
    Offsets {
        /// The horizontal offset given.
        x_inches: f32,
        /// The vertical offset given.
        y_inches: f32,
    },
}

/// Renders one page per form, in order, as a PDF titled `title`; the same input, the same bytes.
// An empty list still gives one page, since a PDF needs one: blank in overlay mode, the empty
// form in replica mode.
pub fn render_forms(
    forms: &[BTreeMap<String, String>],
    mode: Mode,
    offsets: Offsets,
    title: &str,
) -> Result<Vec<u8>, FormError> {
    let offsets = offsets.checked()?;
    let grid = grid::grid();
    let empty = [BTreeMap::new()];
    let forms = if forms.is_empty() { &empty[..] } else { forms };
    let mut pages = Vec::with_capacity(forms.len());
    for (i, form) in forms.iter().enumerate() {
        let values = values::printable_form(grid, i + 1, form)?;
        let mut page = Page::new();
        if mode == Mode::Replica {
            replica::draw_form(&mut page, offsets);
        }
        for (field, text) in &values {
            overlay::print_field(&mut page, field, text, offsets);
        }
        pages.push(page);
    }
    Ok(finish(&pages, title))
}

/// A test page for a red form: a readable marker in every field, rulers, crosshairs on the
/// corners of the form's frame, a how-to, and the offsets used on line 65.
// Offsets beyond MAX_OFFSET_INCHES are clamped (there is no error to return) and the page
// states the value it used.
pub fn alignment_page(offsets: Offsets) -> Vec<u8> {
    let offsets = offsets.clamped();
    let mut page = Page::new();
    alignment::draw(&mut page, grid::grid(), offsets);
    finish(&[page], "CMS-1500 alignment test")
}
