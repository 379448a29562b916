//! Page content streams: the operators the canvas draws with, kept as a compact enum, and
//! their encoding straight to bytes. The bytes are those lopdf's `Content::encode` gives for
//! the same operators (a text object's first matrix that only places written as the `Td` it
//! equals), without an allocation per operand or a formatting call per number,
//! and with the text of embedded fonts renumbered to the document's subset codes on the way
//! instead of in a copy of the page.

use super::canvas::Color;
use super::fontfile::Subset;
use super::fonts::Font;

/// One content-stream operator with its operands, as the canvas draws it. Numbers are kept
/// as drawn; `encode` rounds them, so that the rounding lives in one place.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Op {
    /// `BT`: begins a text object.
    BeginText,
    /// `ET`: ends a text object.
    EndText,
    /// `Tf`: font and size in points.
    Font(Font, f32),
    /// `rg`: fill colour.
    Fill(Color),
    /// `RG`: stroke colour.
    StrokeColor(Color),
    /// `w`: line width in points.
    LineWidth(f32),
    /// `Tm`: text matrix; the first four numbers turn, the last two place.
    TextMatrix([f32; 6]),
    /// `Tj`: WinAnsi bytes in a core font, big-endian glyph ids in an embedded one.
    ShowText(Vec<u8>),
    /// `m`: starts a path.
    MoveTo(f32, f32),
    /// `l`: a straight segment of the path.
    LineTo(f32, f32),
    /// `S`: strokes the path.
    Stroke,
    /// `re`: a rectangle path: x, y, width, height.
    Rect([f32; 4]),
    /// `f`: fills the path.
    FillPath,
    /// `B`: fills, then strokes the path.
    FillStroke,
    /// `q`: saves the graphics state.
    Save,
    /// `Q`: restores the graphics state saved last.
    Restore,
    /// `gs`: the graphics state of an opacity, in percent (see `canvas::opacity_name`).
    GraphicsState(u8),
}

/// The content stream of `ops`. `font_of` gives a font's resource name and, for an embedded
/// font, its subset, whose codes the font's text is renumbered to; for a font it does not
/// know, the font's own resource name is written and its text as it is.
pub(super) fn encode<'a>(
    ops: &[Op],
    font_of: impl Fn(Font) -> Option<(&'a str, Option<&'a Subset>)>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 * ops.len());
    let mut subset: Option<&Subset> = None;
    let mut codes = Vec::new();
    // Whether the text matrix is still the identity `BT` sets, so that a matrix that only
    // places can be written as the shorter `Td` from there.
    let mut fresh_text = false;
    for (index, op) in ops.iter().enumerate() {
        if index > 0 {
            out.push(b'\n');
        }
        let operator: &[u8] = match op {
            Op::BeginText => {
                fresh_text = true;
                b"BT"
            }
            Op::EndText => b"ET",
            Op::Font(font, size) => {
                let known = font_of(*font);
                subset = known.and_then(|(_, subset)| subset);
                match known {
                    Some((resource, _)) => write_name(&mut out, resource.as_bytes()),
                    None => write_name(&mut out, font.resource_name().as_bytes()),
                }
                out.push(b' ');
                write_number(&mut out, *size);
                out.push(b' ');
                b"Tf"
            }
            Op::Fill(color) => {
                write_color(&mut out, *color);
                b"rg"
            }
            Op::StrokeColor(color) => {
                write_color(&mut out, *color);
                b"RG"
            }
            Op::LineWidth(width) => {
                write_numbers(&mut out, &[*width]);
                b"w"
            }
            Op::TextMatrix([1.0, 0.0, 0.0, 1.0, x, y]) if fresh_text => {
                fresh_text = false;
                write_numbers(&mut out, &[*x, *y]);
                b"Td"
            }
            Op::TextMatrix([a, b, c, d, x, y]) => {
                fresh_text = false;
                // The turn needs finer steps than positions do: 0.71 for cos 45° would also
                // scale. Its numbers are written as reals even when whole.
                for v in [a, b, c, d] {
                    write_real(&mut out, (v * 10_000.0).round() / 10_000.0);
                    out.push(b' ');
                }
                write_numbers(&mut out, &[*x, *y]);
                b"Tm"
            }
            Op::ShowText(bytes) => {
                match subset {
                    Some(subset) => {
                        codes.clear();
                        for pair in bytes.chunks_exact(2) {
                            subset.push_code(u16::from_be_bytes([pair[0], pair[1]]), &mut codes);
                        }
                        write_literal(&mut out, &codes);
                    }
                    None => write_literal(&mut out, bytes),
                }
                out.push(b' ');
                b"Tj"
            }
            Op::MoveTo(x, y) => {
                write_numbers(&mut out, &[*x, *y]);
                b"m"
            }
            Op::LineTo(x, y) => {
                write_numbers(&mut out, &[*x, *y]);
                b"l"
            }
            Op::Stroke => b"S",
            Op::Rect(rect) => {
                write_numbers(&mut out, rect);
                b"re"
            }
            Op::FillPath => b"f",
            Op::FillStroke => b"B",
            Op::Save => b"q",
            Op::Restore => b"Q",
            Op::GraphicsState(percent) => {
                out.extend_from_slice(b"/GS");
                write_digits(&mut out, u64::from(*percent));
                out.push(b' ');
                b"gs"
            }
        };
        out.extend_from_slice(operator);
    }
    out
}

fn write_color(out: &mut Vec<u8>, color: Color) {
    write_numbers(out, &[color.r, color.g, color.b]);
}

/// Each of `values` as `write_number` writes it, followed by a space.
fn write_numbers(out: &mut Vec<u8>, values: &[f32]) {
    for &value in values {
        write_number(out, value);
        out.push(b' ');
    }
}

/// A number rounded to hundredths of a point, which keeps the streams short and stable: a
/// whole one as an integer, any other as a real.
fn write_number(out: &mut Vec<u8>, value: f32) {
    let hundredths = (value * 100.0).round();
    // Below 2^16 points (a page is under 2^10) the hundredths are exact in an f32, and the
    // float nearest them over 100 is spelled by its hundredths, as `write_real` would.
    if hundredths.abs() < 6_553_600.0 {
        let hundredths = hundredths as i64;
        if hundredths < 0 {
            out.push(b'-');
        }
        let magnitude = hundredths.unsigned_abs();
        write_digits(out, magnitude / 100);
        let fraction = magnitude % 100;
        if fraction != 0 {
            out.push(b'.');
            out.push(b'0' + (fraction / 10) as u8);
            if !fraction.is_multiple_of(10) {
                out.push(b'0' + (fraction % 10) as u8);
            }
        }
        return;
    }
    let rounded = hundredths / 100.0;
    if rounded == rounded.trunc() && rounded.abs() < 1.0e6 {
        write_integer(out, rounded as i64);
    } else {
        write_real(out, rounded);
    }
}

fn write_integer(out: &mut Vec<u8>, value: i64) {
    if value < 0 {
        out.push(b'-');
    }
    write_digits(out, value.unsigned_abs());
}

fn write_digits(out: &mut Vec<u8>, mut value: u64) {
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    // Byte by byte: a copy of a few bytes costs more as a call than as pushes.
    for &digit in &digits[start..] {
        out.push(digit);
    }
}

/// A real as lopdf writes it: Rust's shortest round-trip digits, never an exponent, and `.0`
/// after a whole number. Numbers the canvas writes are rounded to hundredths (or to
/// ten-thousandths, for the sine and cosine of a turn): their digits are worked out exactly
/// from that decimal, and anything else goes through the formatter.
fn write_real(out: &mut Vec<u8>, value: f32) {
    let Some((scaled, places)) = decimal(value) else {
        let text = value.to_string();
        out.extend_from_slice(text.as_bytes());
        if value.is_finite() && !text.contains('.') {
            out.extend_from_slice(b".0");
        }
        return;
    };
    if value.is_sign_negative() {
        out.push(b'-');
    }
    let unit = 10u64.pow(places);
    write_digits(out, scaled / unit);
    out.push(b'.');
    let mut fraction = scaled % unit;
    if fraction == 0 {
        out.push(b'0');
        return;
    }
    let mut places = places;
    while fraction % 10 == 0 {
        fraction /= 10;
        places -= 1;
    }
    // Leading zeros of the fraction, as in 0.05.
    let mut shown = 1;
    while fraction >= 10u64.pow(shown) {
        shown += 1;
    }
    for _ in shown..places {
        out.push(b'0');
    }
    write_digits(out, fraction);
}

/// `value` as a whole number of hundredths (or ten-thousandths) and the places, when it is
/// the float nearest that decimal and floats are finer there than the decimal's step: then
/// no other decimal as short reads back as `value`, so the decimal is the shortest
/// round-trip spelling the formatter would give.
fn decimal(value: f32) -> Option<(u64, u32)> {
    // Below 2^16 a float's step is at most 2^-8, under half a hundredth; below 2^9 it is at
    // most 2^-15, under half a ten-thousandth. Both scaled values stay below 2^24, so they
    // are exact in an f32.
    for (places, limit) in [(2u32, 65_536.0f32), (4, 512.0)] {
        if value.is_nan() || value.abs() >= limit {
            continue;
        }
        let unit = 10f64.powi(places as i32);
        let scaled = (f64::from(value) * unit).round();
        if (scaled as f32) / (unit as f32) == value {
            return Some((scaled.abs() as u64, places));
        }
    }
    None
}

/// A name, with the bytes PDF names cannot hold as `#XX`.
fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.push(b'/');
    for &byte in name {
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&byte) || !(33..=126).contains(&byte) {
            out.extend_from_slice(&[
                b'#',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 15)],
            ]);
        } else {
            out.push(byte);
        }
    }
}

/// A literal string, as lopdf writes it: each backslash, carriage return and unbalanced
/// parenthesis escaped.
fn write_literal(out: &mut Vec<u8>, text: &[u8]) {
    let mut escaped = Vec::new();
    let mut open = Vec::new();
    for (index, &byte) in text.iter().enumerate() {
        match byte {
            b'(' => open.push(index),
            b')' => {
                let unbalanced = open.pop().is_none();
                if unbalanced {
                    escaped.push(index);
                }
            }
            b'\\' | b'\r' => escaped.push(index),
            _ => {}
        }
    }
    escaped.append(&mut open);
    out.push(b'(');
    if escaped.is_empty() {
        out.extend_from_slice(text);
    } else {
        for (index, &byte) in text.iter().enumerate() {
            if escaped.contains(&index) {
                out.push(b'\\');
                out.push(if byte == b'\r' { b'r' } else { byte });
            } else {
                out.push(byte);
            }
        }
    }
    out.push(b')');
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::{Content, Operation};
    use lopdf::{Object, StringFormat};

    fn lopdf_bytes(operations: Vec<Operation>) -> Vec<u8> {
        Content { operations }.encode().unwrap()
    }

    /// A number as the canvas made it an lopdf operand before it drew `Op`s.
    fn lopdf_real(value: f32) -> Object {
        let rounded = (value * 100.0).round() / 100.0;
        if rounded == rounded.trunc() && rounded.abs() < 1.0e6 {
            Object::Integer(rounded as i64)
        } else {
            Object::Real(rounded)
        }
    }

    /// `op` as the lopdf operation the canvas drew before it drew `Op`s.
    fn lopdf_operation(op: &Op) -> Operation {
        let reals = |values: &[f32]| values.iter().map(|&v| lopdf_real(v)).collect();
        let color = |c: &Color| reals(&[c.r, c.g, c.b]);
        let (operator, operands) = match op {
            Op::BeginText => ("BT", vec![]),
            Op::EndText => ("ET", vec![]),
            Op::Font(font, size) => (
                "Tf",
                vec![
                    Object::Name(font.resource_name().into_bytes()),
                    lopdf_real(*size),
                ],
            ),
            Op::Fill(c) => ("rg", color(c)),
            Op::StrokeColor(c) => ("RG", color(c)),
            Op::LineWidth(w) => ("w", reals(&[*w])),
            Op::TextMatrix([a, b, c, d, x, y]) => {
                let mut operands: Vec<Object> = [a, b, c, d]
                    .map(|v| Object::Real((v * 10_000.0).round() / 10_000.0))
                    .to_vec();
                operands.extend([lopdf_real(*x), lopdf_real(*y)]);
                ("Tm", operands)
            }
            Op::ShowText(bytes) => (
                "Tj",
                vec![Object::String(bytes.clone(), StringFormat::Literal)],
            ),
            Op::MoveTo(x, y) => ("m", reals(&[*x, *y])),
            Op::LineTo(x, y) => ("l", reals(&[*x, *y])),
            Op::Stroke => ("S", vec![]),
            Op::Rect(rect) => ("re", reals(rect)),
            Op::FillPath => ("f", vec![]),
            Op::FillStroke => ("B", vec![]),
            Op::Save => ("q", vec![]),
            Op::Restore => ("Q", vec![]),
            Op::GraphicsState(p) => ("gs", vec![Object::Name(format!("GS{p}").into_bytes())]),
        };
        Operation::new(operator, operands)
    }

    /// `ops` as lopdf operations, with the first matrix of a text object that only places
    /// (the text matrix is the identity after `BT`) written as the `Td` it equals.
    fn lopdf_operations(ops: &[Op]) -> Vec<Operation> {
        let mut fresh = false;
        ops.iter()
            .map(|op| match op {
                Op::TextMatrix([a, b, c, d, x, y])
                    if fresh && [*a, *b, *c, *d] == [1.0, 0.0, 0.0, 1.0] =>
                {
                    fresh = false;
                    Operation::new("Td", vec![lopdf_real(*x), lopdf_real(*y)])
                }
                other => {
                    match other {
                        Op::BeginText => fresh = true,
                        Op::TextMatrix(_) => fresh = false,
                        _ => {}
                    }
                    lopdf_operation(other)
                }
            })
            .collect()
    }

    fn assert_same_as_lopdf(ops: &[Op]) {
        let expected = lopdf_bytes(lopdf_operations(ops));
        let got = encode(ops, |_| None);
        assert_eq!(
            String::from_utf8_lossy(&got),
            String::from_utf8_lossy(&expected)
        );
    }

    #[test]
    fn reals_are_spelled_as_lopdf_spells_them() {
        let mut values: Vec<f32> = vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            0.05,
            0.1,
            0.07,
            612.0,
            791.99,
            65_535.99,
            65_536.0,
            1.0e-7,
            3.0e9,
            0.333_333_3,
            0.7072,
            -0.7072,
            0.0001,
            511.9999,
            12_345.67,
        ];
        // Every hundredth up to 2^16 in strides, and every ten-thousandth of a turn.
        values.extend((0..6_553_600).step_by(97).map(|n| n as f32 / 100.0));
        values.extend((-10_000..=10_000).map(|n| n as f32 / 10_000.0));
        values.extend((0..5_120_000).step_by(1_013).map(|n| n as f32 / 10_000.0));
        // Floats of no particular decimal.
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..50_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            values.push(f32::from_bits(state as u32) % 100_000.0);
        }
        for value in values.into_iter().filter(|v| v.is_finite()) {
            let expected = lopdf_bytes(vec![Operation::new("w", vec![Object::Real(value)])]);
            let mut got = Vec::new();
            write_real(&mut got, value);
            got.extend_from_slice(b" w");
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&expected),
                "{value:e}"
            );
        }
    }

    #[test]
    fn every_operator_is_encoded_as_lopdf_encodes_it() {
        let grey = Color::grey(0.5);
        let (sin, cos) = 45f32.to_radians().sin_cos();
        assert_same_as_lopdf(&[
            Op::Save,
            Op::GraphicsState(30),
            Op::BeginText,
            Op::Font(Font::Helvetica, 10.0),
            Op::Font(Font::Sans, 8.333),
            Op::Fill(Color::rgb(0.8, 0.1, 0.1)),
            Op::TextMatrix([1.0, 0.0, -0.0, 1.0, 72.0, 700.004]),
            Op::TextMatrix([cos, sin, -sin, cos, -12.345, 2.0e6]),
            Op::TextMatrix([1.0, 0.0, 0.0, 1.0, 1.0, 2.0]),
            Op::EndText,
            Op::BeginText,
            Op::TextMatrix([cos, sin, -sin, cos, 3.0, 4.0]),
            Op::TextMatrix([1.0, 0.0, 0.0, 1.0, 5.0, 6.0]),
            Op::EndText,
            Op::BeginText,
            Op::Fill(grey),
            Op::TextMatrix([1.0, 0.0, 0.0, 1.0, 7.5, 8.25]),
            Op::ShowText(b"a(b)c)d(e\\f\rg".to_vec()),
            Op::ShowText(b"((".to_vec()),
            Op::ShowText(vec![0, 0xAB, 255]),
            Op::EndText,
            Op::Restore,
            Op::LineWidth(0.25),
            Op::StrokeColor(grey),
            Op::MoveTo(-0.001, 1.0e7),
            Op::LineTo(540.5, f32::NAN),
            Op::Stroke,
            Op::Rect([72.0, 500.0, 100.125, -50.0]),
            Op::FillPath,
            Op::Rect([0.0; 4]),
            Op::FillStroke,
        ]);
    }

    #[test]
    fn numbers_of_no_particular_decimal_are_encoded_as_lopdf_encodes_them() {
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            f32::from_bits(state as u32) % 2_000.0
        };
        let ops: Vec<Op> = (0..5_000)
            .map(|_| match (next().abs() as u32) % 4 {
                0 => Op::TextMatrix([(); 6].map(|()| next() / 1_000.0)),
                1 => Op::Rect([(); 4].map(|()| next())),
                2 => Op::Fill(Color::rgb(next() / 2_000.0, next(), next())),
                _ => Op::Font(Font::Courier, next()),
            })
            .collect();
        assert_same_as_lopdf(&ops);
    }

    #[test]
    fn a_font_is_written_by_the_resource_name_it_is_given() {
        let ops = [Op::Font(Font::Sans, 9.0), Op::ShowText(vec![0, 1])];
        let got = encode(&ops, |_| Some(("F7", None)));
        assert_eq!(got, b"/F7 9 Tf\n(\x00\x01) Tj");
    }
}
