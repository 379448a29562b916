//! The CMS-1500 print grid: where each field prints on the 85-column by 66-line sheet, read once
//! from the layout data file `templates/cms1500-grid.tsv`, which is embedded at build time.

use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The layout data file, as embedded in the binary.
/// The grid file's name, as the batch manifest records it.
pub const GRID_FILE: &str = "cms1500-grid.tsv";

/// The grid data.
pub const GRID_TSV: &str = include_str!("../../../templates/cms1500-grid.tsv");

/// Columns across the sheet: 8.5 in at 10 characters per inch.
pub const COLUMNS: u8 = 85;
/// Lines down the sheet: 11 in at 6 lines per inch.
pub const LINES: u8 = 66;
/// Width of one column in points (1/10 in), which is also the advance of Courier at 12 pt.
pub const COLUMN_PITCH: f32 = 7.2;
/// Height of one line in points (1/6 in).
pub const LINE_PITCH: f32 = 12.0;
/// How far a baseline sits above the bottom of its line's band, in points.
// Courier capitals are 6.7 pt tall at 12 pt, so they fill 4 to 10.7 pt above the band's bottom:
// clear of the rule under a box and of the caption printed at the top of the box. It is also
// where OpenEMR's default 20 pt top margin puts its baselines on this grid.
pub const BASELINE_RISE: f32 = 4.0;

const HEADER: [&str; 7] = [
    "field",
    "line",
    "column",
    "width",
    "align",
    "item",
    "description",
];

/// Which end of its field a value keeps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    /// The first character prints in the field's first column.
    Left,
    /// The last character prints in the field's last column (amounts).
    Right,
}

/// One printable field of the form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// The id the form data uses, e.g. `24f_1_dollars`.
    pub id: String,
    /// Print line, 1 at the top of the sheet.
    pub line: u8,
    /// First column, 1 at the left edge of the sheet.
    pub column: u8,
    /// The most characters the field holds.
    pub width: u8,
    /// Which end of the field the value keeps to.
    pub align: Align,
    /// The NUCC item number, e.g. `24F`, or `carrier`.
    pub item: String,
    /// What goes in the field.
    pub description: String,
}

impl Field {
    /// The column of the field's last character.
    pub fn last_column(&self) -> u8 {
        self.column + self.width - 1
    }

    /// The column where a value of `len` characters starts (`len` at most the width).
    pub fn start_column(&self, len: usize) -> u8 {
        match self.align {
            Align::Left => self.column,
            Align::Right => {
                let len = u8::try_from(len).unwrap_or(u8::MAX).min(self.width);
                self.last_column() + 1 - len
            }
        }
    }
}

/// Every field of the form in file order, with a look-up by id.
#[derive(Clone, Debug)]
pub struct Grid {
    fields: Vec<Field>,
    index: BTreeMap<String, usize>,
}

/// Why the layout data could not be read: the line of the file and what is wrong there.
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
#[error("cms1500-grid.tsv line {line}: {message}")]
pub struct GridError {
    /// Line of the file, from 1.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl Grid {
    /// Reads layout data: `#` comments, one header row, then one tab-separated row per field.
    // Duplicate ids, fields off the sheet and fields that overlap on a line are refused, since
    // each would misprint a form.
    pub fn parse(text: &str) -> Result<Grid, GridError> {
        let mut fields = Vec::new();
        let mut index = BTreeMap::new();
        let mut header_seen = false;
        for (number, raw) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            let fail = |message: String| GridError {
                line: number,
                message,
            };
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = raw.split('\t').collect();
            if !header_seen {
                if cells != HEADER {
                    return Err(fail(format!(
                        "the header must be `{}`",
                        HEADER.join("<tab>")
                    )));
                }
                header_seen = true;
                continue;
            }
            let field = parse_row(&cells).map_err(fail)?;
            if index.insert(field.id.clone(), fields.len()).is_some() {
                return Err(fail(format!("field `{}` is listed twice", field.id)));
            }
            if let Some(other) = fields.iter().find(|f: &&Field| overlaps(f, &field)) {
                return Err(fail(format!(
                    "field `{}` overlaps `{}` on line {}",
                    field.id, other.id, field.line
                )));
            }
            fields.push(field);
        }
        if !header_seen {
            return Err(GridError {
                line: text.lines().count(),
                message: "no header row and no fields".to_string(),
            });
        }
        Ok(Grid { fields, index })
    }

    /// Every field, in file order.
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The field with this id.
    pub fn get(&self, id: &str) -> Option<&Field> {
        self.index.get(id).map(|&i| &self.fields[i])
    }

    /// The field with this id and its place in file order.
    pub(super) fn position(&self, id: &str) -> Option<(usize, &Field)> {
        self.index.get(id).map(|&i| (i, &self.fields[i]))
    }
}

/// The embedded grid, parsed on first use.
pub fn grid() -> &'static Grid {
    static GRID: OnceLock<Grid> = OnceLock::new();
    GRID.get_or_init(|| match Grid::parse(GRID_TSV) {
        Ok(grid) => grid,
        // The file is compiled in and `the_embedded_grid_is_well_formed` parses it, so this
        // can only fire in a build whose tests fail.
        Err(e) => panic!("the embedded CMS-1500 grid is invalid: {e}"),
    })
}

/// Left edge of `column`, in points from the left edge of the sheet.
pub fn column_x(column: u8) -> f32 {
    COLUMN_PITCH * f32::from(column.saturating_sub(1))
}

/// Baseline of `line`, in points from the top edge of the sheet.
pub fn baseline_from_top(line: u8) -> f32 {
    LINE_PITCH * f32::from(line) - BASELINE_RISE
}

fn parse_row(cells: &[&str]) -> Result<Field, String> {
    let [id, line, column, width, align, item, description] = cells else {
        return Err(format!(
            "expected 7 tab-separated cells, found {}",
            cells.len()
        ));
    };
    let valid_id = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid_id {
        return Err(format!(
            "field id `{id}` must be lowercase letters, digits and _"
        ));
    }
    let number = |name: &str, text: &str, max: u8| -> Result<u8, String> {
        match text.parse::<u8>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(format!(
                "{name} of `{id}` must be a number from 1 to {max}, not `{text}`"
            )),
        }
    };
    let line = number("line", line, LINES)?;
    let column = number("column", column, COLUMNS)?;
    let width = number("width", width, COLUMNS)?;
    if u16::from(column) + u16::from(width) - 1 > u16::from(COLUMNS) {
        return Err(format!(
            "`{id}` runs past column {COLUMNS}: column {column}, width {width}"
        ));
    }
    let align = match *align {
        "left" => Align::Left,
        "right" => Align::Right,
        other => {
            return Err(format!(
                "align of `{id}` must be left or right, not `{other}`"
            ));
        }
    };
    if item.is_empty() || description.is_empty() {
        return Err(format!("`{id}` needs an item and a description"));
    }
    Ok(Field {
        id: (*id).to_string(),
        line,
        column,
        width,
        align,
        item: (*item).to_string(),
        description: (*description).to_string(),
    })
}

fn overlaps(a: &Field, b: &Field) -> bool {
    a.line == b.line && a.column <= b.last_column() && b.column <= a.last_column()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ids the claim data fills, in the order the form lists them.
    fn expected_ids() -> Vec<String> {
        let fixed = "carrier_name carrier_address1 carrier_address2 carrier_city_state_zip \
            1_medicare 1_medicaid 1_tricare 1_champva 1_group 1_feca 1_other 1a 2 3_dob 3_sex_m \
            3_sex_f 4 5_street 5_city 5_state 5_zip 5_phone_area 5_phone 6_self 6_spouse 6_child \
            6_other 7_street 7_city 7_state 7_zip 7_phone_area 7_phone 9 9a 9d 10a_yes 10a_no \
            10b_yes 10b_no 10b_state 10c_yes 10c_no 10d 11 11a_dob 11a_sex_m 11a_sex_f 11b_qual \
            11b 11c 11d_yes 11d_no 12_signature 12_date 13_signature 14_date 14_qual 15_qual \
            15_date 16_from 16_to 17_qual 17_name 17a_qual 17a 17b 18_from 18_to 19 20_yes 20_no \
            20_charges 21_ind 21_a 21_b 21_c 21_d 21_e 21_f 21_g 21_h 21_i 21_j 21_k 21_l 22_code \
            22_original 23";
        let mut ids: Vec<String> = fixed.split_whitespace().map(String::from).collect();
        for n in 1..=6 {
            for part in [
                "24_N_shaded",
                "24a_N_from",
                "24a_N_to",
                "24b_N",
                "24c_N",
                "24d_N_code",
                "24d_N_mod1",
                "24d_N_mod2",
                "24d_N_mod3",
                "24d_N_mod4",
                "24e_N",
                "24f_N_dollars",
                "24f_N_cents",
                "24g_N",
                "24h_N",
                "24i_N_qual",
                "24j_N_shaded",
                "24j_N_npi",
            ] {
                ids.push(part.replace('N', &n.to_string()));
            }
        }
        let tail = "25 25_ssn 25_ein 26 27_yes 27_no 28_dollars 28_cents 29_dollars 29_cents \
            31_name 31_signature 31_date 32_name 32_street 32_city_state_zip 32a 32b 33_phone_area \
            33_phone 33_name 33_street 33_city_state_zip 33a 33b";
        ids.extend(tail.split_whitespace().map(String::from));
        ids
    }

    #[test]
    fn the_embedded_grid_is_well_formed() {
        let grid = Grid::parse(GRID_TSV).unwrap_or_else(|e| panic!("{e}"));
        let mut have: Vec<&str> = grid.fields().iter().map(|f| f.id.as_str()).collect();
        let expected = expected_ids();
        let mut want: Vec<&str> = expected.iter().map(String::as_str).collect();
        have.sort_unstable();
        want.sort_unstable();
        assert_eq!(have, want);
    }

    #[test]
    fn every_field_stays_inside_the_form() {
        // The form's outer rules run from column 3.7 to 82.9 and from line 8 to 63; only the
        // carrier block prints above them.
        for f in grid().fields() {
            assert!(f.column >= 4 && f.last_column() <= 81, "{f:?}");
            assert!((4..=63).contains(&f.line), "{f:?}");
            assert!(f.line >= 9 || f.item == "carrier", "{f:?}");
        }
    }

    #[test]
    fn check_boxes_and_service_lines_follow_the_form() {
        let g = grid();
        // Every one-character field but the ICD indicator sits on the lower line of its box.
        let boxes = g
            .fields()
            .iter()
            .filter(|f| f.width == 1 && f.id != "21_ind");
        for f in boxes {
            assert!(f.line % 2 == 0, "{f:?}");
        }
        for n in 1..=6u8 {
            let data = g.get(&format!("24d_{n}_code")).map(|f| f.line);
            let shaded = g.get(&format!("24_{n}_shaded")).map(|f| f.line);
            assert_eq!(data, Some(44 + 2 * n));
            assert_eq!(shaded, Some(43 + 2 * n));
        }
        let cents = g.get("24f_1_cents").map(|f| f.column);
        let dollars = g.get("24f_1_dollars").map(Field::last_column);
        assert_eq!((dollars, cents), (Some(57), Some(59)));
    }

    #[test]
    fn alignment_picks_the_start_column() {
        let g = grid();
        let dollars = g.get("28_dollars").cloned().expect("28_dollars");
        assert_eq!(dollars.start_column(3), 57);
        assert_eq!(dollars.start_column(6), 54);
        let name = g.get("2").cloned().expect("2");
        assert_eq!(name.start_column(5), 4);
    }

    #[test]
    fn grid_to_points() {
        assert_eq!(column_x(1), 0.0);
        assert!((column_x(53) - 374.4).abs() < 1e-3);
        assert_eq!(baseline_from_top(1), 8.0);
        assert_eq!(baseline_from_top(66), 788.0);
    }

    #[test]
    fn bad_layout_data_is_rejected_with_its_line() {
        let head = "# note\nfield\tline\tcolumn\twidth\talign\titem\tdescription\n";
        let cases = [
            (
                "a\t1\t1\t2\tleft\t1\tx\na\t2\t1\t2\tleft\t1\ty\n",
                4,
                "twice",
            ),
            (
                "a\t1\t1\t5\tleft\t1\tx\nb\t1\t3\t2\tleft\t1\ty\n",
                4,
                "overlaps",
            ),
            ("a\t67\t1\t2\tleft\t1\tx\n", 3, "line"),
            ("a\t1\t80\t9\tleft\t1\tx\n", 3, "runs past"),
            ("a\t1\t1\t2\tcentre\t1\tx\n", 3, "align"),
            ("A\t1\t1\t2\tleft\t1\tx\n", 3, "lowercase"),
            ("a\t1\t1\t2\tleft\t1\n", 3, "7 tab-separated"),
        ];
        for (rows, line, words) in cases {
            let err = Grid::parse(&format!("{head}{rows}")).expect_err(rows);
            assert_eq!(err.line, line, "{err}");
            assert!(err.to_string().contains(words), "{err}");
        }
        assert!(Grid::parse("# only comments\n").is_err());
        assert!(Grid::parse("field\tline\n").is_err());
    }
}
