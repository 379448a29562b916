//! Tests of rendered forms read back with lopdf: where values land on the grid, what offsets
//! do, what each mode draws, the alignment page, determinism and the errors.

use std::collections::BTreeMap;

use lopdf::content::{Content, Operation};
use lopdf::{Document, Object};

use super::*;

/// A run of text as the content stream places it.
#[derive(Clone, Debug, PartialEq)]
struct Run {
    x: f32,
    y: f32,
    font: String,
    size: f32,
    fill: [f32; 3],
    text: String,
}

/// What a page's content stream shows: its text runs and its path operators.
#[derive(Debug, Default)]
struct PageContent {
    runs: Vec<Run>,
    paths: Vec<String>,
}

impl PageContent {
    fn courier(&self) -> Vec<&Run> {
        self.runs.iter().filter(|r| r.font == "Courier").collect()
    }

    fn find(&self, text: &str) -> Option<&Run> {
        self.runs.iter().find(|r| r.text == text)
    }
}

fn read_pages(bytes: &[u8]) -> Vec<PageContent> {
    let doc = Document::load_mem(bytes).expect("the PDF parses");
    doc.get_pages()
        .values()
        .map(|&id| {
            let fonts: BTreeMap<Vec<u8>, String> = doc
                .get_page_fonts(id)
                .expect("fonts")
                .into_iter()
                .map(|(name, dict)| {
                    let base = dict.get(b"BaseFont").and_then(Object::as_name);
                    let base = base.expect("base font");
                    (name, String::from_utf8_lossy(base).into_owned())
                })
                .collect();
            let content = Content::decode(&doc.get_page_content(id)).expect("content decodes");
            walk(&content.operations, &fonts)
        })
        .collect()
}

fn number(op: &Operation, i: usize) -> f32 {
    op.operands[i].as_float().expect("a number operand")
}

/// Follows the text state through the operators: `Tf` sets font and size, `Tm` sets the text
/// matrix, `Td` moves the line start, `rg` sets the fill colour, `Tj` shows a string at the
/// current point. Everything that builds or paints a path is listed as drawing.
fn walk(operations: &[Operation], fonts: &BTreeMap<Vec<u8>, String>) -> PageContent {
    let mut page = PageContent::default();
    let (mut font, mut size, mut fill) = (String::new(), 0.0, [0.0; 3]);
    let (mut x, mut y) = (0.0, 0.0);
    for op in operations {
        match op.operator.as_str() {
            "BT" => (x, y) = (0.0, 0.0),
            "Tf" => {
                let name = op.operands[0].as_name().expect("font name");
                font = fonts.get(name).cloned().unwrap_or_default();
                size = number(op, 1);
            }
            "Tm" => (x, y) = (number(op, 4), number(op, 5)),
            "Td" => (x, y) = (x + number(op, 0), y + number(op, 1)),
            "rg" => fill = [number(op, 0), number(op, 1), number(op, 2)],
            "Tj" => {
                let Object::String(bytes, _) = &op.operands[0] else {
                    panic!("Tj without a string: {op:?}");
                };
                page.runs.push(Run {
                    x,
                    y,
                    font: font.clone(),
                    size,
                    fill,
                    text: bytes.iter().map(|&b| char::from(b)).collect(),
                });
            }
            "m" | "l" | "c" | "v" | "y" | "h" | "re" | "S" | "s" | "f" | "F" | "f*" | "B"
            | "B*" | "b" | "b*" => page.paths.push(op.operator.clone()),
            _ => {}
        }
    }
    page
}

fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

/// A massage therapy claim with one service line.
fn sample() -> BTreeMap<String, String> {
    form(&[
        ("carrier_name", "Aetna"),
        ("carrier_address1", "PO Box 981106"),
        ("carrier_city_state_zip", "El Paso, TX 79998"),
        ("1_group", "X"),
        ("1a", "W123456789"),
        ("2", "Doe, Jane"),
        ("3_dob", "04 12 1980"),
        ("3_sex_f", "X"),
        ("4", "Doe, Jane"),
        ("5_street", "12 Elm St"),
        ("5_city", "Portland"),
        ("5_state", "ME"),
        ("5_zip", "04101"),
        ("5_phone_area", "207"),
        ("5_phone", "5550199"),
        ("6_self", "X"),
        ("10a_no", "X"),
        ("10b_no", "X"),
        ("10c_no", "X"),
        ("12_signature", "Signature on file"),
        ("21_ind", "0"),
        ("21_a", "M5412"),
        ("24a_1_from", "11 03 26"),
        ("24a_1_to", "11 03 26"),
        ("24b_1", "11"),
        ("24d_1_code", "97124"),
        ("24d_1_mod1", "GP"),
        ("24e_1", "A"),
        ("24f_1_dollars", "35"),
        ("24f_1_cents", "00"),
        ("24g_1", "1"),
        ("24j_1_npi", "1234567893"),
        ("25", "123456789"),
        ("25_ein", "X"),
        ("27_yes", "X"),
        ("28_dollars", "105"),
        ("28_cents", "00"),
        ("33_name", "Harbor Street Massage Therapy"),
        ("33a", "1526018159"),
    ])
}

fn render(forms: &[BTreeMap<String, String>], mode: Mode, offsets: Offsets) -> Vec<u8> {
    render_forms(forms, mode, offsets, "Claim").unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 0.011
}

#[test]
fn values_land_on_their_grid_cells() {
    let pages = read_pages(&render(&[sample()], Mode::Overlay, Offsets::ZERO));
    assert_eq!(pages.len(), 1);
    // (text, x, PDF y): x = 7.2 (column - 1), y = 796 - 12 line.
    let expected = [
        ("W123456789", 374.4, 676.0), // 1a: line 10, column 53
        ("DOE, JANE", 21.6, 652.0),   // 2: line 12, column 4 (and 4 at column 53)
        ("M5412", 36.0, 316.0),       // 21A: line 40, column 6
        ("97124", 194.4, 244.0),      // 24D: line 46, column 28
        ("35", 396.0, 244.0),         // 24F dollars end in column 57
        ("105", 403.2, 100.0),        // 28 dollars end in column 59, line 58
        ("1526018159", 381.6, 40.0),  // 33a: line 63, column 54
        ("04 12 1980", 237.6, 652.0), // 3: MM at 34, DD at 37, YYYY at 40
    ];
    for (text, x, y) in expected {
        let run = pages[0]
            .find(text)
            .unwrap_or_else(|| panic!("{text} is printed"));
        assert!(close(run.x, x) && close(run.y, y), "{text}: {run:?}");
    }
    // The same through the grid's own numbers, for every value of the sample.
    let g = grid();
    for (id, value) in sample() {
        let field = g.get(&id).expect("a grid field");
        let text = value.to_ascii_uppercase();
        let x = 7.2 * f32::from(field.start_column(text.len()) - 1);
        let y = 796.0 - 12.0 * f32::from(field.line);
        let hit = pages[0]
            .runs
            .iter()
            .any(|r| r.text == text && close(r.x, x) && close(r.y, y));
        assert!(hit, "{id} at ({x}, {y})");
    }
}

#[test]
fn overlay_is_black_courier_without_drawing() {
    let pages = read_pages(&render(&[sample()], Mode::Overlay, Offsets::ZERO));
    let page = &pages[0];
    assert!(page.paths.is_empty(), "{:?}", page.paths);
    assert_eq!(page.runs.len(), sample().len());
    for run in &page.runs {
        assert_eq!((run.font.as_str(), run.size), ("Courier", 12.0), "{run:?}");
        assert_eq!(run.fill, [0.0; 3], "{run:?}");
        assert_eq!(run.text, run.text.to_ascii_uppercase());
    }
}

#[test]
fn offsets_shift_everything() {
    let shift = Offsets {
        x_inches: 0.25,
        y_inches: -0.1,
    };
    for mode in [Mode::Overlay, Mode::Replica] {
        let base = read_pages(&render(&[sample()], mode, Offsets::ZERO));
        let moved = read_pages(&render(&[sample()], mode, shift));
        assert_eq!(base[0].runs.len(), moved[0].runs.len());
        for (a, b) in base[0].runs.iter().zip(&moved[0].runs) {
            // Right by 0.25 in and up by 0.1 in: a negative y offset moves the print up.
            assert!(
                close(b.x - a.x, 18.0) && close(b.y - a.y, 7.2),
                "{a:?} {b:?}"
            );
        }
    }
    let marks = read_pages(&alignment_page(shift));
    let plain = read_pages(&alignment_page(Offsets::ZERO));
    for (a, b) in plain[0].runs.iter().zip(&marks[0].runs) {
        if a.text == b.text {
            assert!(
                close(b.x - a.x, 18.0) && close(b.y - a.y, 7.2),
                "{a:?} {b:?}"
            );
        }
    }
}

#[test]
fn replica_draws_the_form_under_the_same_data() {
    let overlay = read_pages(&render(&[sample()], Mode::Overlay, Offsets::ZERO));
    let replica = read_pages(&render(&[sample()], Mode::Replica, Offsets::ZERO));
    let page = &replica[0];
    assert!(page.paths.iter().any(|p| p == "re"), "shading and squares");
    assert!(page.paths.iter().filter(|p| *p == "l").count() > 300);
    assert_eq!(
        page.courier(),
        overlay[0].courier(),
        "the data is the overlay's"
    );
    for text in [
        "HEALTH INSURANCE CLAIM FORM",
        "APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12",
        "CARRIER",
        "1a. INSURED'S I.D. NUMBER",
        "24. A.",
        "33. BILLING PROVIDER INFO & PH #",
        "APPROVED OMB-0938-1197 FORM 1500 (02-12)",
    ] {
        let run = page.find(text).unwrap_or_else(|| panic!("{text}"));
        assert!(
            run.fill[0] > 0.8 && run.fill[1] < 0.2,
            "{text} is red: {run:?}"
        );
    }
    assert_eq!(page.runs.iter().filter(|r| r.text == "PICA").count(), 2);
    for n in 1..=6 {
        assert!(page.find(&n.to_string()).is_some(), "service line {n}");
    }
    for item in (1..=33).filter(|n| ![8, 30].contains(n)) {
        let prefix = format!("{item}.");
        assert!(
            page.runs.iter().any(|r| r.text.starts_with(&prefix)),
            "item {item} has a caption"
        );
    }
}

#[test]
fn alignment_page_marks_every_field() {
    let pages = read_pages(&alignment_page(Offsets::ZERO));
    let page = &pages[0];
    let g = grid();
    // A marker in every field and the note of the offsets, in Courier; the rest is Helvetica.
    assert_eq!(page.courier().len(), g.fields().len() + 1);
    for field in g.fields() {
        let y = 796.0 - 12.0 * f32::from(field.line);
        let x = 7.2 * f32::from(field.column - 1);
        let hit = page
            .courier()
            .iter()
            .any(|r| close(r.x, x) && close(r.y, y));
        assert!(hit, "{} is marked", field.id);
    }
    assert!(page.find("X").is_some());
    // Rulers and crosshairs are strokes: a tick per column and per line, four crosses.
    let strokes = page.paths.iter().filter(|p| *p == "l").count();
    assert_eq!(strokes, 2 + 86 + 67 + 8, "{strokes}");
    for inch in ["1", "8", "10"] {
        assert!(page.find(inch).is_some(), "ruler mark {inch}");
    }
    assert!(page.runs.iter().any(|r| r.text.contains("offset_x_inches")));
    let note = |pages: &[PageContent]| {
        pages[0]
            .courier()
            .iter()
            .find(|r| r.text.contains("OFFSET"))
            .map(|r| r.text.clone())
            .unwrap_or_default()
    };
    let text = note(&pages);
    assert!(
        text.contains("X OFFSET +0.00 IN  Y OFFSET +0.00 IN"),
        "{text}"
    );
    let wild = read_pages(&alignment_page(Offsets {
        x_inches: f32::NAN,
        y_inches: 3.0,
    }));
    let text = note(&wild);
    assert!(
        text.contains("X OFFSET +0.00 IN  Y OFFSET +1.00 IN"),
        "{text}"
    );
}

#[test]
fn one_page_per_form_and_same_bytes_every_time() {
    let mut second = sample();
    second.insert("24d_1_code".into(), "97140".into());
    let forms = [sample(), second];
    for mode in [Mode::Overlay, Mode::Replica] {
        let bytes = render(&forms, mode, Offsets::ZERO);
        assert_eq!(bytes, render(&forms, mode, Offsets::ZERO));
        let pages = read_pages(&bytes);
        assert_eq!(pages.len(), 2);
        assert!(pages[0].find("97124").is_some() && pages[1].find("97140").is_some());
    }
    assert_eq!(alignment_page(Offsets::ZERO), alignment_page(Offsets::ZERO));
    let blank = read_pages(&render(&[], Mode::Replica, Offsets::ZERO));
    assert_eq!(blank.len(), 1);
    assert!(blank[0].courier().is_empty() && !blank[0].paths.is_empty());
}

#[test]
fn bad_forms_are_refused_with_the_reason() {
    let mut unknown = sample();
    unknown.insert("24f_7_dollars".into(), "35".into());
    let err = render_forms(&[sample(), unknown], Mode::Overlay, Offsets::ZERO, "t");
    assert_eq!(
        err,
        Err(FormError::UnknownField {
            form: 2,
            field: "24f_7_dollars".into()
        })
    );
    let mut long = sample();
    long.insert("24f_1_dollars".into(), "123456".into());
    let err = render_forms(&[long], Mode::Replica, Offsets::ZERO, "t").expect_err("too long");
    assert!(err.to_string().contains("item 24F"), "{err}");
    let far = Offsets {
        x_inches: 1.5,
        y_inches: 0.0,
    };
    let err = render_forms(&[sample()], Mode::Overlay, far, "t").expect_err("offsets");
    assert!(matches!(err, FormError::Offsets { .. }), "{err}");
}

#[test]
fn fitted_forms_render() {
    let mut raw = sample();
    raw.insert(
        "2".into(),
        "Łukasiewicz-Brzęczyszczykiewicz, Grzegorz".into(),
    );
    let Fitted {
        forms: fitted,
        notes,
    } = fit_forms(&[raw]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(notes.len(), 1);
    let pages = read_pages(&render(&fitted, Mode::Overlay, Offsets::ZERO));
    let name = &notes[0].printed;
    assert_eq!(name, "LUKASIEWICZ-BRZECZYSZCZYKIEW");
    assert!(pages[0].find(name).is_some(), "{name}");
}
