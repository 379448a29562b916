//! The bottom of the replica: items 14 to 33 (physician or supplier information), the six
//! service lines with their shaded halves, and the footer.

use crate::render::pdf::Font;

use super::{FAINT, FORM_BOTTOM, Ink, LEFT, MID_RIGHT, RED, RIGHT, column_x};

/// The rule after items 14 and 17 (lines 33-36).
const RULE_15: f32 = 212.0;
/// The rule after items 25 and 31.
const RULE_26: f32 = 176.3;
const CAPTION: f32 = 5.8;
const SMALL: f32 = 5.0;
/// Top of the first service line and the height of one (shaded half + data half).
const SERVICE_TOP: f32 = 528.0;
const SERVICE_HEIGHT: f32 = 24.0;
/// Rules of the data half of a service line: 24A-24H, then the dashed cents rule of 24F.
const SERVICE_RULES: [f32; 16] = [
    38.8, 59.9, 82.2, 102.8, 126.1, 147.0, 169.6, 191.4, 243.5, 269.2, 290.4, 312.1, 334.4,
    MID_RIGHT, 435.0, 463.8,
];
const CENTS_24F: f32 = 416.5;
/// The rules either side of 24I, which run through both halves.
const RULE_24I: f32 = 478.9;
const RULE_24J: f32 = 500.0;

pub(super) fn draw(ink: &mut Ink<'_>) {
    // Shading first, so that no fill covers half a rule.
    shading(ink);
    ink.vline(LEFT, 384.0, FORM_BOTTOM);
    ink.vline(RIGHT, 384.0, FORM_BOTTOM);
    ink.vline(MID_RIGHT, 384.0, 504.0);
    for top in [408.0, 432.0, 456.0, 504.0, 528.0] {
        ink.hline(LEFT, RIGHT, top);
    }
    items_14_to_18(ink);
    items_19_to_23(ink);
    service_headings(ink);
    service_lines(ink);
    items_25_to_30(ink);
    items_31_to_33(ink);
    ink.margin_arrow(594.6, 386.0, 755.0, "PHYSICIAN OR SUPPLIER INFORMATION");
    ink.text(
        21.6,
        766.0,
        7.0,
        "NUCC Instruction Manual available at: www.nucc.org",
    );
    let please = "PLEASE PRINT OR TYPE";
    ink.styled(246.0, 766.0, Font::HelveticaBoldOblique, 7.0, RED, please);
    ink.right(
        RIGHT,
        766.0,
        7.0,
        "APPROVED OMB-0938-1197 FORM 1500 (02-12)",
    );
}

/// The pink halves: 17a, the upper half of every service line, 32b and 33b.
fn shading(ink: &mut Ink<'_>) {
    ink.shade(RULE_15, 408.0, MID_RIGHT, 420.0);
    for n in 0..6u8 {
        let top = SERVICE_TOP + SERVICE_HEIGHT * f32::from(n);
        ink.shade(LEFT, top, RIGHT, top + SERVICE_HEIGHT / 2.0);
    }
    ink.shade(260.0, 744.0, MID_RIGHT, 756.0);
    ink.shade(454.2, 744.0, RIGHT, 756.0);
}

/// MM, DD and YY captions over a date printed as `MM DD YYYY` from `column`, with the two
/// short rules between the sub-boxes.
fn date_captions(ink: &mut Ink<'_>, column: u8, top: f32, rules_to: f32) {
    let x = |c: u8| column_x(c);
    ink.centred(x(column), x(column + 2), top, SMALL, "MM");
    ink.centred(x(column + 3), x(column + 5), top, SMALL, "DD");
    ink.centred(x(column + 6), x(column + 10), top, SMALL, "YY");
    for gap in [column + 2, column + 5] {
        ink.vline(x(gap) + 3.6, top - 4.0, rules_to);
    }
}

fn items_14_to_18(ink: &mut Ink<'_>) {
    ink.vline(RULE_15, 384.0, 432.0);
    ink.text(
        21.6,
        390.0,
        CAPTION,
        "14. DATE OF CURRENT ILLNESS, INJURY, or PREGNANCY (LMP)",
    );
    date_captions(ink, 5, 395.5, 408.0);
    ink.text(107.6, 404.5, CAPTION, "QUAL.");
    ink.text(215.0, 390.0, CAPTION, "15. OTHER DATE");
    ink.text(216.0, 397.0, CAPTION, "QUAL.");
    ink.vline(233.9, 392.0, 402.0);
    ink.vline(259.1, 392.0, 402.0);
    date_captions(ink, 40, 395.5, 402.0);
    ink.text(
        374.0,
        390.0,
        CAPTION,
        "16. DATES PATIENT UNABLE TO WORK IN CURRENT OCCUPATION",
    );
    ink.text(
        374.0,
        414.0,
        CAPTION,
        "18. HOSPITALIZATION DATES RELATED TO CURRENT SERVICES",
    );
    for (line_top, label_top) in [(395.5, 405.0), (419.5, 429.0)] {
        ink.text(384.0, label_top, CAPTION, "FROM");
        ink.text(492.0, label_top, CAPTION, "TO");
        date_captions(ink, 57, line_top, line_top + 12.5);
        date_captions(ink, 71, line_top, line_top + 12.5);
    }

    ink.text(
        21.6,
        414.0,
        CAPTION,
        "17. NAME OF REFERRING PROVIDER OR OTHER SOURCE",
    );
    ink.vline(40.2, 420.0, 432.0);
    ink.dashed_h(RULE_15, MID_RIGHT, 420.0);
    ink.vline(228.6, 408.0, 432.0);
    ink.vline(244.0, 408.0, 432.0);
    ink.text(214.2, 417.0, CAPTION, "17a.");
    ink.text(214.2, 429.0, CAPTION, "17b.");
    ink.text(230.6, 429.0, CAPTION, "NPI");
}

fn items_19_to_23(ink: &mut Ink<'_>) {
    ink.text(
        21.6,
        438.0,
        CAPTION,
        "19. ADDITIONAL CLAIM INFORMATION (Designated by NUCC)",
    );
    ink.text(374.0, 438.0, CAPTION, "20. OUTSIDE LAB?");
    ink.text(490.0, 438.0, CAPTION, "$ CHARGES");
    for (column, label) in [(55u8, "YES"), (60, "NO")] {
        ink.check_box(38, column);
        ink.text(column_x(column) + 10.0, 451.5, CAPTION, label);
    }
    ink.vline(454.2, 444.0, 456.0);
    ink.vline(524.3, 444.0, 456.0);

    ink.text(
        21.6,
        462.0,
        CAPTION,
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY  Relate A-L to service line below (24E)",
    );
    ink.text(292.0, 466.5, SMALL, "ICD Ind.");
    ink.dashed_v(312.5, 457.0, 469.0);
    ink.dashed_v(330.5, 457.0, 469.0);
    let starts = [33.1, 126.5, 220.8, 314.9];
    let rows = [
        (477.5, 479.9, "ABCD"),
        (488.5, 490.9, "EFGH"),
        (500.5, 502.6, "IJKL"),
    ];
    for (caption_top, rule_top, letters) in rows {
        for (start, letter) in starts.iter().zip(letters.chars()) {
            ink.text(start - 11.0, caption_top, CAPTION, &format!("{letter}."));
            ink.vline(*start, rule_top - 6.0, rule_top);
            ink.hline(*start, start + 51.5, rule_top);
        }
    }

    ink.text(374.0, 462.0, CAPTION, "22. RESUBMISSION");
    ink.text(386.0, 467.5, CAPTION, "CODE");
    ink.text(460.0, 467.5, CAPTION, "ORIGINAL REF. NO.");
    ink.vline(454.2, 468.0, 480.0);
    ink.hline(MID_RIGHT, RIGHT, 480.0);
    ink.text(374.0, 486.0, CAPTION, "23. PRIOR AUTHORIZATION NUMBER");
}

fn service_headings(ink: &mut Ink<'_>) {
    for x in [147.0, 170.0, 191.4, 334.4, MID_RIGHT, 435.0, 463.8] {
        ink.vline(x, 504.0, 528.0);
    }
    ink.text(21.6, 510.0, CAPTION, "24. A.");
    ink.text(48.0, 510.0, CAPTION, "DATE(S) OF SERVICE");
    ink.text(38.0, 516.0, CAPTION, "From");
    ink.text(108.0, 516.0, CAPTION, "To");
    for (column, text) in [
        (4u8, "MM"),
        (7, "DD"),
        (10, "YY"),
        (13, "MM"),
        (16, "DD"),
        (19, "YY"),
    ] {
        ink.centred(column_x(column), column_x(column + 2), 523.5, SMALL, text);
    }
    // (left rule, right rule, caption size, caption lines from the top of the headings)
    let columns: [(f32, f32, f32, &[&str]); 10] = [
        (147.0, 170.0, 4.2, &["B.", "PLACE OF", "SERVICE"]),
        (170.0, 191.4, SMALL, &["C.", "", "EMG"]),
        (
            191.4,
            334.4,
            SMALL,
            &["D. PROCEDURES, SERVICES, OR SUPPLIES"],
        ),
        (191.4, 334.4, 4.6, &["", "(Explain Unusual Circumstances)"]),
        (334.4, MID_RIGHT, SMALL, &["E.", "DIAGNOSIS", "POINTER"]),
        (MID_RIGHT, 435.0, SMALL, &["F.", "", "$ CHARGES"]),
        (435.0, 463.8, SMALL, &["G.", "DAYS OR", "UNITS"]),
        (463.8, RULE_24I, 3.6, &["H.", "EPSDT", "Family", "Plan"]),
        (RULE_24I, RULE_24J, 4.6, &["I.", "ID.", "QUAL."]),
        (
            RULE_24J,
            RIGHT,
            SMALL,
            &["J.", "RENDERING", "PROVIDER ID. #"],
        ),
    ];
    for (x1, x2, size, lines) in columns {
        let step = if lines.len() > 3 { 4.6 } else { 6.5 };
        for (i, text) in lines.iter().enumerate() {
            ink.centred(x1, x2, 510.0 + step * i as f32, size, text);
        }
    }
    ink.centred(191.4, 243.5, 523.5, SMALL, "CPT/HCPCS");
    ink.centred(243.5, 334.4, 523.5, SMALL, "MODIFIER");
}

fn service_lines(ink: &mut Ink<'_>) {
    ink.vline(RULE_24I, 504.0, 672.0);
    ink.vline(RULE_24J, 504.0, 672.0);
    for n in 0..6u8 {
        let top = SERVICE_TOP + SERVICE_HEIGHT * f32::from(n);
        let middle = top + SERVICE_HEIGHT / 2.0;
        let bottom = top + SERVICE_HEIGHT;
        ink.hline(LEFT, RIGHT, bottom);
        ink.hline(LEFT, RULE_24I, middle);
        ink.dashed_h(RULE_24J, RIGHT, middle);
        for x in SERVICE_RULES {
            ink.vline(x, middle, bottom);
        }
        ink.dashed_v(CENTS_24F, middle, bottom);
        ink.text(484.0, bottom - 2.5, SMALL, "NPI");
        ink.styled(
            8.0,
            bottom - 2.0,
            Font::Helvetica,
            11.0,
            RED,
            &(n + 1).to_string(),
        );
    }
}

fn items_25_to_30(ink: &mut Ink<'_>) {
    for x in [RULE_26, 281.6, MID_RIGHT, 451.8, 520.9] {
        ink.vline(x, 672.0, 696.0);
    }
    ink.hline(LEFT, RIGHT, 696.0);
    ink.text(21.6, 678.0, CAPTION, "25. FEDERAL TAX I.D. NUMBER");
    ink.text(135.5, 678.0, CAPTION, "SSN");
    ink.text(150.0, 678.0, CAPTION, "EIN");
    ink.check_box(58, 20);
    ink.check_box(58, 22);
    ink.text(179.0, 678.0, CAPTION, "26. PATIENT'S ACCOUNT NO.");
    ink.text(284.5, 678.0, CAPTION, "27. ACCEPT ASSIGNMENT?");
    ink.text(292.0, 683.5, 4.2, "(For govt. claims, see back)");
    for (column, label) in [(41u8, "YES"), (46, "NO")] {
        ink.check_box(58, column);
        ink.text(column_x(column) + 10.0, 693.5, CAPTION, label);
    }
    ink.text(374.0, 678.0, CAPTION, "28. TOTAL CHARGE");
    ink.text(375.5, 692.5, CAPTION, "$");
    ink.dashed_v(432.0, 684.0, 696.0);
    ink.text(455.0, 678.0, CAPTION, "29. AMOUNT PAID");
    ink.text(455.0, 692.5, CAPTION, "$");
    ink.dashed_v(504.0, 684.0, 696.0);
    ink.text(523.5, 678.0, CAPTION, "30. Rsvd for NUCC Use");
}

fn items_31_to_33(ink: &mut Ink<'_>) {
    ink.vline(RULE_26, 696.0, FORM_BOTTOM);
    ink.vline(MID_RIGHT, 696.0, FORM_BOTTOM);
    ink.hline(LEFT, RIGHT, FORM_BOTTOM);
    let thirty_one = [
        "31. SIGNATURE OF PHYSICIAN OR SUPPLIER",
        "      INCLUDING DEGREES OR CREDENTIALS",
        "      (I certify that the statements on the reverse",
        "      apply to this bill and are made a part thereof.)",
    ];
    for (i, line) in thirty_one.iter().enumerate() {
        ink.text(
            21.6,
            702.0 + 6.5 * i as f32,
            if i < 2 { CAPTION } else { 5.3 },
            line,
        );
    }
    ink.text(21.6, 754.5, CAPTION, "SIGNED");
    ink.text(118.0, 754.5, CAPTION, "DATE");
    ink.text(
        179.0,
        702.0,
        CAPTION,
        "32. SERVICE FACILITY LOCATION INFORMATION",
    );
    ink.text(374.0, 702.0, CAPTION, "33. BILLING PROVIDER INFO & PH #");
    // The phone prints on the caption's line, its area code between the parentheses as in
    // items 5 and 7: the same marks at the same distance from the grid's area-code columns.
    let area = column_x(69);
    ink.styled(area - 4.2, 704.5, Font::Helvetica, 11.0, RED, "(");
    ink.styled(area + 22.0, 704.5, Font::Helvetica, 11.0, RED, ")");

    ink.hline(RULE_26, RIGHT, 744.0);
    for (a_left, b_left) in [(RULE_26, 260.0), (MID_RIGHT, 454.2)] {
        ink.vline(b_left, 744.0, 756.0);
        ink.text(a_left + 2.2, 754.5, CAPTION, "a.");
        ink.text(b_left + 2.2, 754.5, CAPTION, "b.");
        ink.styled(a_left + 28.0, 754.5, Font::HelveticaBold, 9.0, FAINT, "NPI");
    }
}
