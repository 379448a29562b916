//! The top of the replica: title, QR area, PICA marks, the carrier margin and items 1 to 13
//! (patient and insured information), from the top of the sheet down to the heavy rule at
//! line 32.

use crate::render::pdf::{Font, text_width};

use super::{FORM_TOP, HEAVY, Ink, LEFT, MID_RIGHT, RED, RIGHT};

/// The rule between the patient's and the middle column (items 2-10d).
const MID_LEFT: f32 = 226.2;
/// Caption sizes: item captions, small print.
const CAPTION: f32 = 5.8;
const SMALL: f32 = 5.0;

pub(super) fn draw(ink: &mut Ink<'_>) {
    heading(ink);
    frame(ink);
    items_1_to_4(ink);
    items_5_to_8(ink);
    items_9_to_11(ink);
    items_12_and_13(ink);
}

fn heading(ink: &mut Ink<'_>) {
    qr_area(ink, 21.2, 17.8);
    ink.bold(21.6, 66.5, 10.5, "HEALTH INSURANCE CLAIM FORM");
    ink.text(
        21.6,
        77.5,
        5.5,
        "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
    );
    // PICA marks: three small boxes at each end of line 8.
    for (x, label_x) in [(19.8, 44.0), (568.2, 549.0)] {
        ink.frame(x, 86.0, x + 21.4, 96.0);
        ink.vline(x + 7.1, 86.0, 96.0);
        ink.vline(x + 14.3, 86.0, 96.0);
        ink.text(label_x, 94.0, 5.5, "PICA");
    }
    ink.margin_arrow(594.6, 20.0, 95.0, "CARRIER");
    ink.margin_arrow(594.6, 98.0, 382.0, "PATIENT AND INSURED INFORMATION");
}

/// A square of 21 by 21 modules where the printed form has its QR code: the three finder
/// squares and a fixed pattern. It is furniture only and encodes nothing.
fn qr_area(ink: &mut Ink<'_>, x: f32, top: f32) {
    const MODULES: usize = 21;
    const SIZE: f32 = 1.7;
    let finder = |r: usize, c: usize| -> Option<bool> {
        let corners = [(0, 0), (0, MODULES - 7), (MODULES - 7, 0)];
        corners.iter().find_map(|&(r0, c0)| {
            let (dr, dc) = (r.checked_sub(r0)?, c.checked_sub(c0)?);
            if dr > 6 || dc > 6 {
                return None;
            }
            let ring = dr == 0 || dr == 6 || dc == 0 || dc == 6;
            let core = (2..=4).contains(&dr) && (2..=4).contains(&dc);
            Some(ring || core)
        })
    };
    // The quiet strip around each finder square stays light.
    let edge = |i: usize| !(8..MODULES - 8).contains(&i);
    let near_finder = |r: usize, c: usize| edge(r) && edge(c) && !(r >= 8 && c >= 8);
    for r in 0..MODULES {
        for c in 0..MODULES {
            let dark = match finder(r, c) {
                Some(dark) => dark,
                None if near_finder(r, c) => false,
                None => (r * 7 + c * 11 + r * c) % 5 < 2,
            };
            if dark {
                let (mx, mt) = (x + SIZE * c as f32, top + SIZE * r as f32);
                ink.fill(mx, mt, mx + SIZE, mt + SIZE, RED);
            }
        }
    }
}

/// The outer rules and the long rules of lines 8 to 32.
fn frame(ink: &mut Ink<'_>) {
    ink.rule(LEFT, FORM_TOP, RIGHT, FORM_TOP, HEAVY);
    ink.vline(LEFT, FORM_TOP, 384.0);
    ink.vline(RIGHT, FORM_TOP, 384.0);
    ink.vline(MID_RIGHT, 96.0, 384.0);
    ink.vline(MID_LEFT, 120.0, 336.0);
    for top in [120.0, 144.0, 168.0, 216.0, 312.0, 336.0] {
        ink.hline(LEFT, RIGHT, top);
    }
    // Item 8 and item 10 span several rows of the outer columns without rules of their own.
    for top in [192.0, 240.0, 264.0, 288.0] {
        ink.hline(LEFT, MID_LEFT, top);
        ink.hline(MID_RIGHT, RIGHT, top);
    }
}

/// The box of the sub-fields MM, DD and YY(YY) of a date printed as `MM DD YYYY` from `column`.
fn date_captions(ink: &mut Ink<'_>, column: u8, top: f32, four_digit_year: bool) {
    let x = |c: u8| super::column_x(c);
    let year_end = if four_digit_year { 10 } else { 8 };
    ink.centred(x(column), x(column + 2), top, SMALL, "MM");
    ink.centred(x(column + 3), x(column + 5), top, SMALL, "DD");
    ink.centred(x(column + 6), x(column + year_end), top, SMALL, "YY");
    for gap in [column + 2, column + 5] {
        let mid = x(gap) + 3.6;
        ink.vline(mid, top - 4.0, top + 3.0);
    }
}

fn items_1_to_4(ink: &mut Ink<'_>) {
    let boxes: [(u8, f32, &str, &str); 7] = [
        (4, 21.6, "1. MEDICARE", "(Medicare#)"),
        (11, 83.5, "MEDICAID", "(Medicaid#)"),
        (18, 135.0, "TRICARE", "(ID#/DoD#)"),
        (27, 199.0, "CHAMPVA", "(Member ID#)"),
        (34, 248.5, "GROUP", "(ID#)"),
        (42, 305.5, "FECA", "(ID#)"),
        (48, 348.0, "OTHER", "(ID#)"),
    ];
    for (column, caption_x, caption, note) in boxes {
        ink.check_box(10, column);
        ink.text(caption_x, 102.0, CAPTION, caption);
        let note_x = super::column_x(column) + 11.0;
        ink.italic(note_x, 115.5, SMALL, note);
    }
    ink.text(248.5, 107.5, CAPTION, "HEALTH PLAN");
    ink.text(305.5, 107.5, CAPTION, "BLK LUNG");
    ink.text(374.0, 102.0, CAPTION, "1a. INSURED'S I.D. NUMBER");
    ink.text(505.0, 102.0, CAPTION, "(For Program in Item 1)");

    ink.text(
        21.6,
        126.0,
        CAPTION,
        "2. PATIENT'S NAME (Last Name, First Name, Middle Initial)",
    );
    ink.text(229.5, 126.0, CAPTION, "3. PATIENT'S BIRTH DATE");
    ink.text(333.0, 126.0, CAPTION, "SEX");
    date_captions(ink, 34, 131.5, true);
    ink.check_box(12, 45);
    ink.check_box(12, 50);
    ink.text(310.3, 141.0, SMALL, "M");
    ink.text(346.5, 141.0, SMALL, "F");
    ink.text(
        374.0,
        126.0,
        CAPTION,
        "4. INSURED'S NAME (Last Name, First Name, Middle Initial)",
    );
}

fn items_5_to_8(ink: &mut Ink<'_>) {
    ink.text(21.6, 150.0, CAPTION, "5. PATIENT'S ADDRESS (No., Street)");
    ink.text(229.5, 150.0, CAPTION, "6. PATIENT RELATIONSHIP TO INSURED");
    for (column, label) in [(36, "Self"), (41, "Spouse"), (45, "Child"), (50, "Other")] {
        ink.check_box(14, column);
        let box_left = super::column_x(column) - 1.4;
        ink.right(box_left - 1.5, 164.5, CAPTION, label);
    }
    ink.text(374.0, 150.0, CAPTION, "7. INSURED'S ADDRESS (No., Street)");

    for (left, state_rule) in [(LEFT, 199.6), (MID_RIGHT, 542.2)] {
        ink.text(left + 2.3, 174.0, CAPTION, "CITY");
        ink.text(state_rule + 2.5, 174.0, CAPTION, "STATE");
        ink.vline(state_rule, 168.0, 192.0);
    }
    ink.text(229.5, 174.0, CAPTION, "8. RESERVED FOR NUCC USE");

    for (left, phone_rule, area_column) in [(LEFT, 113.2, 18u8), (MID_RIGHT, 463.8, 68)] {
        ink.text(left + 2.3, 198.0, CAPTION, "ZIP CODE");
        ink.text(
            phone_rule + 2.5,
            198.0,
            CAPTION,
            "TELEPHONE (Include Area Code)",
        );
        ink.vline(phone_rule, 192.0, 216.0);
        let area = super::column_x(area_column);
        ink.styled(area - 4.2, 212.5, Font::Helvetica, 11.0, RED, "(");
        ink.styled(area + 22.0, 212.5, Font::Helvetica, 11.0, RED, ")");
    }
}

fn yes_no(ink: &mut Ink<'_>, line: u8, yes_column: u8, no_column: u8) {
    let top = super::baseline_from_top(line) - 0.5;
    ink.check_box(line, yes_column);
    ink.check_box(line, no_column);
    ink.text(super::column_x(yes_column) + 10.0, top, CAPTION, "YES");
    ink.text(super::column_x(no_column) + 10.0, top, CAPTION, "NO");
}

fn items_9_to_11(ink: &mut Ink<'_>) {
    let left = [
        (
            222.0,
            "9. OTHER INSURED'S NAME (Last Name, First Name, Middle Initial)",
        ),
        (246.0, "a. OTHER INSURED'S POLICY OR GROUP NUMBER"),
        (270.0, "b. RESERVED FOR NUCC USE"),
        (294.0, "c. RESERVED FOR NUCC USE"),
        (318.0, "d. INSURANCE PLAN NAME OR PROGRAM NAME"),
    ];
    for (top, caption) in left {
        ink.text(21.6, top, CAPTION, caption);
    }
    let middle = [
        (222.0, "10. IS PATIENT'S CONDITION RELATED TO:"),
        (246.0, "a. EMPLOYMENT? (Current or Previous)"),
        (270.0, "b. AUTO ACCIDENT?"),
        (294.0, "c. OTHER ACCIDENT?"),
        (318.0, "10d. CLAIM CODES (Designated by NUCC)"),
    ];
    for (top, caption) in middle {
        ink.text(229.5, top, CAPTION, caption);
    }
    for line in [22, 24, 26] {
        yes_no(ink, line, 38, 44);
    }
    ink.text(322.0, 270.0, CAPTION, "PLACE (State)");
    ink.vline(335.5, 277.0, 287.0);
    ink.hline(335.5, 357.0, 287.0);
    ink.vline(357.0, 281.0, 287.0);

    let right = [
        (222.0, "11. INSURED'S POLICY GROUP OR FECA NUMBER"),
        (246.0, "a. INSURED'S DATE OF BIRTH"),
        (270.0, "b. OTHER CLAIM ID (Designated by NUCC)"),
        (294.0, "c. INSURANCE PLAN NAME OR PROGRAM NAME"),
        (318.0, "d. IS THERE ANOTHER HEALTH BENEFIT PLAN?"),
    ];
    for (top, caption) in right {
        ink.text(374.0, top, CAPTION, caption);
    }
    date_captions(ink, 56, 251.5, true);
    ink.text(533.0, 246.0, CAPTION, "SEX");
    ink.check_box(22, 71);
    ink.check_box(22, 78);
    ink.text(493.5, 261.0, CAPTION, "M");
    ink.text(545.0, 261.0, CAPTION, "F");
    ink.vline(388.9, 276.0, 288.0);
    yes_no(ink, 28, 55, 60);
    let note = "If yes, complete items 9, 9a, and 9d.";
    ink.styled(448.0, 331.5, Font::HelveticaBoldOblique, CAPTION, RED, note);
}

fn items_12_and_13(ink: &mut Ink<'_>) {
    let notice = "READ BACK OF FORM BEFORE COMPLETING & SIGNING THIS FORM.";
    let width = text_width(Font::HelveticaBold, 6.3, notice);
    ink.bold((LEFT + MID_RIGHT - width) / 2.0, 342.0, 6.3, notice);
    let twelve = [
        "12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize the release of any medical or other information necessary",
        "      to process this claim. I also request payment of government benefits either to myself or to the party who accepts assignment",
        "      below.",
    ];
    let thirteen = [
        "13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE  I authorize",
        "      payment of medical benefits to the undersigned physician or supplier for",
        "      services described below.",
    ];
    for (i, (a, b)) in twelve.iter().zip(thirteen).enumerate() {
        let step = 7.0 * i as f32;
        ink.text(21.6, 349.5 + step, 5.3, a);
        ink.text(374.0, 344.0 + step, 5.3, b);
    }
    ink.text(21.6, 379.5, CAPTION, "SIGNED");
    ink.hline(55.9, 235.9, 380.3);
    ink.text(243.0, 379.5, CAPTION, "DATE");
    ink.hline(271.9, MID_RIGHT, 380.3);
    ink.text(374.0, 379.5, CAPTION, "SIGNED");
    ink.hline(412.1, RIGHT, 380.3);
    ink.rule(LEFT, 384.0, RIGHT, 384.0, HEAVY);
}
