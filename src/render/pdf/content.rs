//! Page content streams encoded straight to bytes: the bytes lopdf's `Content::encode` gives,
//! without a formatting call per number, and with the text of embedded fonts renumbered to
//! the document's subset codes on the way instead of in a copy of the page. Numbers and
//! encoding took a fifth of a month's rendering time before.

use lopdf::content::Operation;
use lopdf::{Object, StringFormat};

use super::fontfile::Subset;

/// The content stream of `operations`; `subset_of` gives the subset of an embedded font by
/// its resource name (None for a core font, whose text is written as it is).
pub(super) fn encode<'a>(
    operations: &[Operation],
    subset_of: impl Fn(&[u8]) -> Option<&'a Subset>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(24 * operations.len());
    let mut subset: Option<&Subset> = None;
    let mut codes = Vec::new();
    for (index, operation) in operations.iter().enumerate() {
        if index > 0 {
            out.push(b'\n');
        }
        match operation.operator.as_str() {
            "Tf" => {
                subset = operation
                    .operands
                    .first()
                    .and_then(|o| o.as_name().ok())
                    .and_then(&subset_of);
            }
            // Inline images have a syntax of their own; the canvas draws none.
            "BI" => {
                let single = lopdf::content::Content {
                    operations: vec![operation.clone()],
                };
                out.extend(single.encode().unwrap_or_default());
                continue;
            }
            _ => {}
        }
        for (position, operand) in operation.operands.iter().enumerate() {
            match (operation.operator.as_str(), position, operand, subset) {
                ("Tj", 0, Object::String(bytes, format), Some(subset)) => {
                    codes.clear();
                    codes.extend_from_slice(bytes);
                    for pair in codes.chunks_exact_mut(2) {
                        let code = subset.code(u16::from_be_bytes([pair[0], pair[1]]));
                        pair.copy_from_slice(&code);
                    }
                    write_string(&mut out, &codes, format);
                }
                _ => write_operand(&mut out, operand),
            }
            out.push(b' ');
        }
        out.extend_from_slice(operation.operator.as_bytes());
    }
    out
}

/// One operand, as lopdf writes it.
fn write_operand(out: &mut Vec<u8>, operand: &Object) {
    match operand {
        Object::Integer(value) => write_integer(out, *value),
        Object::Real(value) => write_real(out, *value),
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, format) => write_string(out, bytes, format),
        // Writing to a Vec cannot fail.
        other => {
            let _ = lopdf::Writer::write_object(out, other);
        }
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
    out.extend_from_slice(&digits[start..]);
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
    let digits_start = out.len();
    write_digits(out, fraction);
    let written = out.len() - digits_start;
    // Leading zeros of the fraction, as in 0.05.
    let zeros = places as usize - written;
    out.splice(digits_start..digits_start, std::iter::repeat_n(b'0', zeros));
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

/// A string, as lopdf writes it: a literal escapes each backslash, carriage return and
/// unbalanced parenthesis; a hexadecimal string is upper-case digits.
fn write_string(out: &mut Vec<u8>, text: &[u8], format: &StringFormat) {
    match format {
        StringFormat::Literal => {
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
        StringFormat::Hexadecimal => {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push(b'<');
            for &byte in text {
                out.extend_from_slice(&[HEX[usize::from(byte >> 4)], HEX[usize::from(byte & 15)]]);
            }
            out.push(b'>');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lopdf::content::Content;

    fn lopdf_bytes(operations: Vec<Operation>) -> Vec<u8> {
        Content { operations }.encode().unwrap()
    }

    fn ours(operations: &[Operation]) -> Vec<u8> {
        encode(operations, |_| None)
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
            let operation = Operation::new("w", vec![Object::Real(value)]);
            let expected = lopdf_bytes(vec![operation.clone()]);
            let got = ours(&[operation]);
            assert_eq!(
                String::from_utf8_lossy(&got),
                String::from_utf8_lossy(&expected),
                "{value:e}"
            );
        }
    }

    #[test]
    fn operands_of_every_kind_match_lopdf() {
        let operations = vec![
            Operation::new("BT", vec![]),
            Operation::new(
                "Tf",
                vec![Object::Name(b"F1 (x)#".to_vec()), Object::Integer(-12)],
            ),
            Operation::new(
                "Tj",
                vec![Object::String(
                    b"a(b)c)d(e\\f\rg".to_vec(),
                    StringFormat::Literal,
                )],
            ),
            Operation::new(
                "Tj",
                vec![Object::String(
                    vec![0, 0xAB, 255],
                    StringFormat::Hexadecimal,
                )],
            ),
            Operation::new(
                "Tj",
                vec![Object::String(b"((".to_vec(), StringFormat::Literal)],
            ),
            Operation::new(
                "x",
                vec![Object::Boolean(true), Object::Null, Object::Real(2.5)],
            ),
            Operation::new("ET", vec![]),
        ];
        assert_eq!(ours(&operations), lopdf_bytes(operations));
    }
}
