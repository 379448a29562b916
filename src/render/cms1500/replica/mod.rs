//! The replica: the CMS-1500 (02/12) form itself, boxes, captions and shading in dropout red,
//! drawn so that its boxes fall where the print grid puts the data. Positions are in points from
//! the left and top edges of the sheet, measured from a printed 02/12 form.

mod lower;
mod upper;

use crate::render::pdf::{Color, Font, Page, Paint, Stroke, TextStyle, text_width};

use super::Offsets;
use super::grid::{COLUMN_PITCH, baseline_from_top, column_x};

/// Dropout red, close to the OCR red ink of printed forms.
pub(super) const RED: Color = Color::rgb(0.86, 0.12, 0.16);
/// The pink of the shaded halves.
const SHADE: Color = Color::rgb(0.99, 0.89, 0.9);
/// The faint "NPI" printed inside items 32a and 33a.
const FAINT: Color = Color::rgb(0.96, 0.76, 0.78);

/// The outer left and right rules of the form.
pub(in crate::render::cms1500) const LEFT: f32 = 19.3;
pub(in crate::render::cms1500) const RIGHT: f32 = 589.6;
/// The heavy rule on top of item 1 and the rule under items 31 to 33: with the outer rules,
/// the frame whose corners the alignment page marks.
pub(in crate::render::cms1500) const FORM_TOP: f32 = 96.0;
pub(in crate::render::cms1500) const FORM_BOTTOM: f32 = 756.0;
/// The rule before the insured's column and, further down, before items 28 and 33.
const MID_RIGHT: f32 = 370.8;
/// Thin rules, and the two heavy ones (top of item 1, above item 14).
const THIN: f32 = 0.5;
const HEAVY: f32 = 2.2;
/// Half the cap height of Courier 12 pt, to centre check boxes on the printed X.
const HALF_CAP: f32 = 3.37;

/// The line in the replica's bottom margin that marks it as a copy.
pub const COPY_NOTICE: &str = "COPY - NOT FOR OCR SUBMISSION";

/// Draws the whole form on `page`, shifted by `offsets` like the data.
pub(super) fn draw_form(page: &mut Page, offsets: Offsets) {
    let mut ink = Ink { page, offsets };
    upper::draw(&mut ink);
    lower::draw(&mut ink);
    // Payers scan only original red forms and return anything else unread; the notice is in
    // black, which a scanner keeps, so that a copy sent by mistake says what it is.
    let width = text_width(Font::HelveticaBold, 7.0, COPY_NOTICE);
    let x = (LEFT + RIGHT - width) / 2.0;
    ink.styled(
        x,
        778.0,
        Font::HelveticaBold,
        7.0,
        Color::BLACK,
        COPY_NOTICE,
    );
}

/// A pen on the page that works in points from the top-left corner and applies the offsets.
pub(super) struct Ink<'p> {
    page: &'p mut Page,
    offsets: Offsets,
}

impl Ink<'_> {
    fn stroke(weight: f32) -> Stroke {
        Stroke {
            width: weight,
            color: RED,
        }
    }

    /// A straight rule between two points.
    pub(super) fn rule(&mut self, x1: f32, top1: f32, x2: f32, top2: f32, weight: f32) {
        let (a, b) = self.offsets.place(x1, top1);
        let (c, d) = self.offsets.place(x2, top2);
        self.page.line(a, b, c, d, &Self::stroke(weight));
    }

    /// A thin horizontal rule at `top` from `x1` to `x2`.
    pub(super) fn hline(&mut self, x1: f32, x2: f32, top: f32) {
        self.rule(x1, top, x2, top, THIN);
    }

    /// A thin vertical rule at `x` from `top1` down to `top2`.
    pub(super) fn vline(&mut self, x: f32, top1: f32, top2: f32) {
        self.rule(x, top1, x, top2, THIN);
    }

    /// A dashed horizontal rule, as between the halves of a shaded box.
    pub(super) fn dashed_h(&mut self, x1: f32, x2: f32, top: f32) {
        let mut x = x1;
        while x < x2 {
            self.hline(x, (x + 2.4).min(x2), top);
            x += 4.0;
        }
    }

    /// A dashed vertical rule, as between dollars and cents.
    pub(super) fn dashed_v(&mut self, x: f32, top1: f32, top2: f32) {
        let mut top = top1;
        while top < top2 {
            self.vline(x, top, (top + 2.0).min(top2));
            top += 3.5;
        }
    }

    /// A filled rectangle between two corners.
    pub(super) fn fill(&mut self, x1: f32, top1: f32, x2: f32, top2: f32, color: Color) {
        let (x, y) = self.offsets.place(x1, top2);
        self.page
            .rect(x, y, x2 - x1, top2 - top1, &Paint::Fill(color));
    }

    /// The pink shading of a box part.
    pub(super) fn shade(&mut self, x1: f32, top1: f32, x2: f32, top2: f32) {
        self.fill(x1, top1, x2, top2, SHADE);
    }

    /// An outlined rectangle between two corners.
    pub(super) fn frame(&mut self, x1: f32, top1: f32, x2: f32, top2: f32) {
        self.hline(x1, x2, top1);
        self.hline(x1, x2, top2);
        self.vline(x1, top1, top2);
        self.vline(x2, top1, top2);
    }

    /// The check box of grid cell (`line`, `column`), centred on the X the overlay prints there.
    pub(super) fn check_box(&mut self, line: u8, column: u8) {
        let x = column_x(column) + COLUMN_PITCH / 2.0;
        let top = baseline_from_top(line) - HALF_CAP;
        self.frame(x - 5.0, top - 5.0, x + 5.0, top + 5.0);
    }

    /// Caption text with its baseline `top` points from the top of the sheet.
    pub(super) fn text(&mut self, x: f32, top: f32, size: f32, text: &str) {
        self.styled(x, top, Font::Helvetica, size, RED, text);
    }

    /// Bold caption text.
    pub(super) fn bold(&mut self, x: f32, top: f32, size: f32, text: &str) {
        self.styled(x, top, Font::HelveticaBold, size, RED, text);
    }

    /// Italic caption text.
    pub(super) fn italic(&mut self, x: f32, top: f32, size: f32, text: &str) {
        self.styled(x, top, Font::HelveticaOblique, size, RED, text);
    }

    /// Caption text centred between `x1` and `x2`.
    pub(super) fn centred(&mut self, x1: f32, x2: f32, top: f32, size: f32, text: &str) {
        let width = text_width(Font::Helvetica, size, text);
        self.text((x1 + x2 - width) / 2.0, top, size, text);
    }

    /// Caption text ending at `x`.
    pub(super) fn right(&mut self, x: f32, top: f32, size: f32, text: &str) {
        let width = text_width(Font::Helvetica, size, text);
        self.text(x - width, top, size, text);
    }

    /// Text in any font and colour.
    pub(super) fn styled(
        &mut self,
        x: f32,
        top: f32,
        font: Font,
        size: f32,
        color: Color,
        text: &str,
    ) {
        let (x, y) = self.offsets.place(x, top);
        let style = TextStyle::new(font, size).with_color(color);
        self.page.text(x, y, &style, text);
    }

    /// Bold text running up the page, centred on `x` and on the span `top1` to `top2`, with a
    /// double-headed arrow filling the rest of the span, as in the form's right margin.
    pub(super) fn margin_arrow(&mut self, x: f32, top1: f32, top2: f32, text: &str) {
        let size = 6.5;
        let width = text_width(Font::HelveticaBold, size, text);
        let middle = (top1 + top2) / 2.0;
        let gap = width / 2.0 + 3.0;
        self.rule(x, top1, x, middle - gap, THIN);
        self.rule(x, middle + gap, x, top2, THIN);
        for (tip, back) in [(top1, top1 + 5.0), (top2, top2 - 5.0)] {
            self.rule(x, tip, x - 2.2, back, THIN);
            self.rule(x, tip, x + 2.2, back, THIN);
        }
        // Turned a quarter counter-clockwise the glyphs hang left of their baseline, so the
        // baseline sits half a cap height right of the arrow's line.
        let (bx, by) = self.offsets.place(x + 2.4, middle + width / 2.0);
        let style = TextStyle::new(Font::HelveticaBold, size).with_color(RED);
        self.page.text_rotated(bx, by, 90.0, &style, text);
    }
}
