//! A form's raw values turned into what the grid prints: trimmed, upper case, plain ASCII and
//! within the field's width. Rendering checks strictly; `fit_forms` shortens and transliterates
//! instead, and says so for every value it changed.

use std::collections::BTreeMap;
use std::fmt;

use super::FormError;
use super::grid::{Field, Grid};
use super::shorten::{self, Step};

/// A value that `fit_forms` had to change before it could print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FitNote {
    /// Which form, 1 for the first.
    pub form: usize,
    /// The field id.
    pub field: String,
    /// The NUCC item of the field.
    pub item: String,
    /// The value as given.
    pub original: String,
    /// The value as it prints.
    pub printed: String,
    /// Characters outside printable ASCII were spelled in it (É as E, a line break as a space).
    pub transliterated: bool,
    /// The value was shortened to fit this many characters, the field's width.
    pub truncated_to: Option<u8>,
    /// The rules that shortened it, in the order they were tried.
    pub steps: Vec<Step>,
}

impl FitNote {
    /// How the value was shortened, without the value: "USPS abbreviations, cut after a
    /// whole word".
    pub fn how(&self) -> String {
        let steps: Vec<String> = self.steps.iter().map(Step::to_string).collect();
        steps.join(", ")
    }
}

impl fmt::Display for FitNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let how = match (self.transliterated, self.truncated_to) {
            (true, Some(w)) => format!(
                "spelled in plain ASCII and shortened to {w} characters: {}",
                self.how()
            ),
            (false, Some(w)) => format!(
                "shortened to {w} characters, the width of the box: {}",
                self.how()
            ),
            _ => "spelled in plain ASCII".to_string(),
        };
        write!(
            f,
            "form {}, item {} (`{}`): \"{}\" prints as \"{}\" ({how})",
            self.form, self.item, self.field, self.original, self.printed
        )
    }
}

/// The values of one form that print, in grid order, each checked against its field: trimmed and
/// upper-cased; an unknown id, a character outside printable ASCII or a value wider than its
/// field is an error rather than a silently changed form.
pub(super) fn printable_form<'g>(
    grid: &'g Grid,
    form: usize,
    values: &BTreeMap<String, String>,
) -> Result<Vec<(&'g Field, String)>, FormError> {
    // A form fills a fraction of the grid's fields: each value finds its field, and the
    // values are then put in grid order.
    let mut out = Vec::with_capacity(values.len());
    for (id, raw) in values {
        let Some((place, field)) = grid.position(id) else {
            return Err(FormError::UnknownField {
                form,
                field: id.clone(),
            });
        };
        out.push((place, field, raw));
    }
    out.sort_unstable_by_key(|(place, ..)| *place);
    let mut printable = Vec::with_capacity(out.len());
    for (_, field, raw) in out {
        let text = raw.trim();
        if let Some(character) = text.chars().find(|c| !is_printable(*c)) {
            return Err(FormError::Unprintable {
                form,
                field: field.id.clone(),
                character,
            });
        }
        let length = text.chars().count();
        if length > usize::from(field.width) {
            return Err(FormError::TooLong {
                form,
                field: field.id.clone(),
                item: field.item.clone(),
                width: field.width,
                length,
                value: raw.clone(),
            });
        }
        if !text.is_empty() {
            printable.push((field, text.to_ascii_uppercase()));
        }
    }
    Ok(printable)
}

/// Forms made printable by `fit_forms`, with a note for every value that changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Fitted {
    /// The forms, ready for `render_forms`.
    pub forms: Vec<BTreeMap<String, String>>,
    /// One note per value changed beyond case and surrounding spaces, in form and id order.
    pub notes: Vec<FitNote>,
}

/// Makes every value printable (ASCII, upper case, shortened to width) and notes each change.
// Only an unknown field id is an error: there is no way to fit a value into a missing field.
pub fn fit_forms(forms: &[BTreeMap<String, String>]) -> Result<Fitted, FormError> {
    let grid = super::grid::grid();
    let mut fitted = Vec::with_capacity(forms.len());
    let mut notes = Vec::new();
    for (i, values) in forms.iter().enumerate() {
        let form = i + 1;
        check_ids(grid, form, values)?;
        let mut out = BTreeMap::new();
        for (id, raw) in values {
            let Some(field) = grid.get(id) else {
                continue;
            };
            let (printed, transliterated, steps) = fit_value(raw, field);
            if transliterated || !steps.is_empty() {
                notes.push(FitNote {
                    form,
                    field: id.clone(),
                    item: field.item.clone(),
                    original: raw.clone(),
                    printed: printed.clone(),
                    transliterated,
                    truncated_to: (!steps.is_empty()).then_some(field.width),
                    steps,
                });
            }
            out.insert(id.clone(), printed);
        }
        fitted.push(out);
    }
    Ok(Fitted {
        forms: fitted,
        notes,
    })
}

fn check_ids(grid: &Grid, form: usize, values: &BTreeMap<String, String>) -> Result<(), FormError> {
    match values.keys().find(|id| grid.get(id).is_none()) {
        Some(id) => Err(FormError::UnknownField {
            form,
            field: id.clone(),
        }),
        None => Ok(()),
    }
}

/// Printable ASCII: what Courier on a claim form can show and an OCR reader expects.
fn is_printable(c: char) -> bool {
    (' '..='~').contains(&c)
}

/// The value as it prints in `field`, whether it had to be transliterated, and the rules
/// that shortened it to the field's width.
fn fit_value(raw: &str, field: &Field) -> (String, bool, Vec<Step>) {
    let trimmed = raw.trim();
    // Line breaks and tabs become spaces; anything else outside ASCII is spelled in ASCII.
    let transliterated = trimmed.chars().any(|c| !is_printable(c));
    let upper = if transliterated {
        let spaced: String = trimmed
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        deunicode::deunicode(&spaced).trim().to_ascii_uppercase()
    } else {
        trimmed.to_ascii_uppercase()
    };
    let width = usize::from(field.width);
    let (short, steps) = shorten::shorten(&upper, width, shorten::kind(&field.id));
    let printed = if super::nucc::PLAIN_FIELDS.contains(&field.id.as_str()) {
        super::nucc::without_parentheses(&short)
    } else {
        short
    };
    (printed.trim_end().to_string(), transliterated, steps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::cms1500::grid::grid;

    fn form(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect()
    }

    #[test]
    fn values_are_trimmed_upper_cased_and_in_grid_order() {
        let values = form(&[("33a", "1526018159"), ("2", "  Doe, Jane  "), ("9", " ")]);
        let out = printable_form(grid(), 1, &values).unwrap_or_else(|e| panic!("{e}"));
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|(f, v)| (f.id.as_str(), v.as_str()))
            .collect();
        assert_eq!(got, vec![("2", "DOE, JANE"), ("33a", "1526018159")]);
    }

    #[test]
    fn strict_checks_name_the_form_and_field() {
        let long = form(&[("2", "A VERY LONG PATIENT NAME THAT NEVER ENDS")]);
        let err = printable_form(grid(), 2, &long).expect_err("too long");
        assert!(matches!(
            err,
            FormError::TooLong {
                form: 2,
                width: 28,
                length: 40,
                ..
            }
        ));
        assert!(err.to_string().contains("item 2"), "{err}");
        let accented = form(&[("2", "DOE, JOSÉ")]);
        let err = printable_form(grid(), 1, &accented).expect_err("accent");
        assert_eq!(
            err,
            FormError::Unprintable {
                form: 1,
                field: "2".into(),
                character: 'É'
            }
        );
        let unknown = form(&[("24f_7_dollars", "35")]);
        let err = printable_form(grid(), 3, &unknown).expect_err("unknown");
        assert!(
            matches!(err, FormError::UnknownField { form: 3, .. }),
            "{err}"
        );
    }

    #[test]
    fn fitting_reports_every_change() {
        let forms = vec![form(&[
            ("2", "Doe-Ångström, Jane Elizabeth Marie"),
            ("5_city", "Portland"),
            ("19", "line one\nline two"),
        ])];
        let Fitted {
            forms: fitted,
            notes,
        } = fit_forms(&forms).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(fitted[0]["2"], "DOE-ANGSTROM, JANE ELIZABETH");
        assert_eq!(fitted[0]["5_city"], "PORTLAND");
        assert_eq!(fitted[0]["19"], "LINE ONE LINE TWO");
        // Notes follow the ids' order, in which "19" comes before "2".
        let fields: Vec<&str> = notes.iter().map(|n| n.field.as_str()).collect();
        assert_eq!(fields, ["19", "2"]);
        assert!(notes[0].transliterated && notes[0].truncated_to.is_none());
        assert!(notes[1].transliterated && notes[1].truncated_to == Some(28));
        let text = notes[1].to_string();
        assert!(text.starts_with("form 1, item 2 (`2`)"), "{text}");
        assert!(printable_form(grid(), 1, &fitted[0]).is_ok());
        let bad = vec![form(&[("nope", "x")])];
        assert!(fit_forms(&bad).is_err());
    }
}
