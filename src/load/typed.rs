//! Reads a typed record out of a parsed YAML document, so that a failure says as data what
//! went wrong and at which field, with no error text to pick apart.

use super::field_path::{FieldPath, Step};
use super::yaml::{Mapping, Number, Value};
use serde::de::value::{MapAccessDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Unexpected, Visitor};
use std::borrow::Cow;
use std::fmt;

/// What kept a document from being read as a record.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// A key the record does not have.
    UnknownField {
        /// The key as written.
        name: String,
        /// The keys the record has.
        expected: &'static [&'static str],
    },
    /// A required key that is absent.
    MissingField {
        /// The key that should be there.
        name: &'static str,
    },
    /// A word that is not one of the allowed ones.
    UnknownVariant {
        /// The word as written.
        name: String,
        /// The allowed words.
        expected: &'static [&'static str],
    },
    /// A value of the wrong kind, such as a list where a number belongs.
    WrongType {
        /// What was found, in serde's words (`string "ninety"`).
        found: String,
        /// What belongs there.
        expected: String,
        /// Whether what was found is a mapping.
        found_mapping: bool,
    },
    /// Any other bad value, in the words of the type that refused it.
    Invalid(String),
}

impl fmt::Display for Problem {
    /// The wording serde itself uses, so messages read as they always have.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::UnknownField { name, .. } => write!(f, "unknown field `{name}`"),
            Problem::MissingField { name } => write!(f, "missing field `{name}`"),
            Problem::UnknownVariant { name, .. } => write!(f, "unknown variant `{name}`"),
            Problem::WrongType {
                found, expected, ..
            } => write!(
                f,
                "found {found} where {expected} belongs: write {expected}"
            ),
            Problem::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Problem {}

impl de::Error for Problem {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Problem::Invalid(msg.to_string())
    }

    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Problem::WrongType {
            found: found_kind(&unexp),
            expected: expected_words(&exp.to_string()),
            found_mapping: unexp == Unexpected::Map,
        }
    }

    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        Problem::Invalid(format!(
            "found {} where {} belongs",
            found_kind(&unexp),
            expected_words(&exp.to_string())
        ))
    }

    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        Problem::Invalid(format!("invalid length {len}, expected {exp}"))
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Problem::UnknownVariant {
            name: variant.to_string(),
            expected,
        }
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Problem::UnknownField {
            name: field.to_string(),
            expected,
        }
    }

    fn missing_field(field: &'static str) -> Self {
        Problem::MissingField { name: field }
    }

    fn duplicate_field(field: &'static str) -> Self {
        Problem::Invalid(format!("duplicate field `{field}`"))
    }
}

/// What was found, by its kind: text is never shown back, since a field holds whatever the
/// user typed there (a diagnosis in a `pain` value, a note in a number); numbers and the
/// shapes of values are.
fn found_kind(unexp: &Unexpected<'_>) -> String {
    match unexp {
        Unexpected::Str(_) | Unexpected::Bytes(_) => "text".to_string(),
        Unexpected::Char(_) => "a character".to_string(),
        other => other.to_string(),
    }
}

/// serde's names of Rust types in the words a practice reads.
fn expected_words(expected: &str) -> String {
    match expected {
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number (0 or more)".to_string(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".to_string(),
        "f32" | "f64" => "a number".to_string(),
        "a boolean" => "true or false".to_string(),
        "a sequence" => "a list".to_string(),
        other => other.to_string(),
    }
}

/// A problem and the field it was met at.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    /// Where: the value that was refused, or the mapping a key is missing from.
    pub path: FieldPath,
    /// What.
    pub problem: Problem,
}

/// Reads `doc` as a `T`, or says what is wrong at which field.
pub fn deserialize<T: DeserializeOwned>(doc: &Value) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(Node(doc)).map_err(|e| FieldError {
        path: field_path(e.path()),
        problem: e.into_inner(),
    })
}

fn field_path(path: &serde_path_to_error::Path) -> FieldPath {
    let steps = path
        .iter()
        .map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Step::Index(*index),
            serde_path_to_error::Segment::Map { key } => Step::Key(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Step::Key(variant.clone()),
            serde_path_to_error::Segment::Unknown => Step::Key("?".into()),
        })
        .collect();
    FieldPath::from_steps(steps)
}

/// One value of the document, handed to a type's `Deserialize` as serde_yaml would hand it
/// the same text: a scalar asked for as text is its text, whatever it looks like.
#[derive(Clone, Copy)]
struct Node<'a>(&'a Value);

impl<'a> Node<'a> {
    /// The value with any `!tag` taken off: tags mean nothing in a practice file.
    fn untagged(self) -> &'a Value {
        let mut value = self.0;
        while let Value::Tagged(tagged) = value {
            value = &tagged.value;
        }
        value
    }

    fn wrong_type(self, expected: &dyn de::Expected) -> Problem {
        de::Error::invalid_type(unexpected(self.untagged()), expected)
    }
}

/// How serde names a value that was not what a type wanted.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, Some(f)) => Unexpected::Float(f),
            (None, None, None) => Unexpected::Other("number"),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Sequence(_) => Unexpected::Seq,
        Value::Mapping(_) => Unexpected::Map,
        Value::Tagged(_) => Unexpected::Enum,
    }
}

/// A scalar's text; an empty value reads as empty text, as it does from the file itself.
fn scalar_text(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Null => Some(Cow::Borrowed("")),
        Value::Sequence(_) | Value::Mapping(_) | Value::Tagged(_) => None,
    }
}

fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Problem> {
    match (n.as_u64(), n.as_i64(), n.as_f64()) {
        (Some(u), _, _) => visitor.visit_u64(u),
        (None, Some(i), _) => visitor.visit_i64(i),
        (None, None, Some(f)) => visitor.visit_f64(f),
        (None, None, None) => Err(de::Error::invalid_type(
            Unexpected::Other("number"),
            &visitor,
        )),
    }
}

fn visit_items<'de, V: Visitor<'de>>(items: &[Value], visitor: V) -> Result<V::Value, Problem> {
    let mut access = SeqDeserializer::new(items.iter().map(Node));
    let out = visitor.visit_seq(&mut access)?;
    access.end()?;
    Ok(out)
}

fn visit_entries<'de, V: Visitor<'de>>(map: &Mapping, visitor: V) -> Result<V::Value, Problem> {
    let mut access = MapDeserializer::new(map.iter().map(|(k, v)| (Node(k), Node(v))));
    let out = visitor.visit_map(&mut access)?;
    access.end()?;
    Ok(out)
}

impl<'de> IntoDeserializer<'de, Problem> for Node<'_> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// Number types all read the same way: the visitor checks the range.
macro_rules! numbers {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
            match self.untagged() {
                Value::Number(n) => visit_number(n, visitor),
                _ => Err(self.wrong_type(&visitor)),
            }
        }
    )*};
}

/// Text types all read a scalar's text.
macro_rules! texts {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
            match scalar_text(self.untagged()) {
                Some(text) => visitor.visit_str(&text),
                None => Err(self.wrong_type(&visitor)),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for Node<'_> {
    type Error = Problem;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        match self.untagged() {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_str(s),
            Value::Sequence(items) => visit_items(items, visitor),
            Value::Mapping(map) => visit_entries(map, visitor),
            Value::Tagged(_) => Err(self.wrong_type(&visitor)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        match self.untagged() {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.wrong_type(&visitor)),
        }
    }

    numbers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_i128
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64
    }

    texts! {
        deserialize_char deserialize_str deserialize_string deserialize_identifier
        deserialize_bytes deserialize_byte_buf
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        match self.untagged() {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        match self.untagged() {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.wrong_type(&visitor)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Problem> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Problem> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        match self.untagged() {
            Value::Sequence(items) => visit_items(items, visitor),
            // `diagnoses:` with nothing after it is an empty list.
            Value::Null => visit_items(&[], visitor),
            _ => Err(self.wrong_type(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Problem> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Problem> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        match self.untagged() {
            Value::Mapping(map) => visit_entries(map, visitor),
            Value::Null => visit_entries(&Mapping::new(), visitor),
            _ => Err(self.wrong_type(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Problem> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Problem> {
        let value = self.untagged();
        if let Value::Mapping(map) = value
            && map.len() == 1
        {
            let entries = MapDeserializer::new(map.iter().map(|(k, v)| (Node(k), Node(v))));
            return visitor.visit_enum(MapAccessDeserializer::new(entries));
        }
        match scalar_text(value) {
            Some(word) => visitor.visit_enum(word.into_owned().into_deserializer()),
            None => Err(self.wrong_type(&visitor)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Problem> {
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Line {
        code: String,
        minutes: u32,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Timed,
        Untimed,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Visit {
        member_id: String,
        lines: Vec<Line>,
    }

    fn read(text: &str) -> Result<Visit, FieldError> {
        let doc = crate::load::yaml::parse_document(text).expect("valid YAML");
        deserialize(&doc)
    }

    #[test]
    fn unquoted_numbers_read_as_text_where_text_belongs() {
        let visit = read("member_id: 0123\nlines:\n  - {code: 97124, minutes: 30, kind: timed}\n")
            .expect("a visit");
        assert_eq!(visit.member_id, "0123");
        assert_eq!(visit.lines[0].code, "97124");
        assert_eq!(visit.lines[0].kind, Some(Kind::Timed));
    }

    #[test]
    fn each_kind_of_problem_comes_with_its_field() {
        let cases = [
            (
                "member_id: a\nlines: [{code: x, minutes: -1}]\n",
                "lines[0].minutes",
            ),
            ("member_id: a\nlines: [{code: x}]\n", "lines[0]"),
            (
                "member_id: a\nlines: [{code: x, minutes: 1, typo: 2}]\n",
                "lines[0].typo",
            ),
            (
                "member_id: a\nlines: [{code: x, minutes: 1, kind: timd}]\n",
                "lines[0].kind",
            ),
        ];
        let mut problems = Vec::new();
        for (text, path) in cases {
            let err = read(text).expect_err(text);
            assert_eq!(err.path.to_string(), path, "{text}");
            problems.push(err.problem);
        }
        assert!(matches!(problems[0], Problem::Invalid(_)));
        assert_eq!(problems[1], Problem::MissingField { name: "minutes" });
        assert!(matches!(&problems[2], Problem::UnknownField { name, .. } if name == "typo"));
        assert!(
            matches!(&problems[3], Problem::UnknownVariant { name, expected } if name == "timd" && expected.contains(&"timed"))
        );
        let wrong = read("member_id: a\nlines: seven\n").expect_err("a list is needed");
        assert_eq!(
            wrong.problem.to_string(),
            "found text where a list belongs: write a list"
        );
        // Text is never shown back; numbers are named in plain words.
        let wrong = read("member_id: a\nlines: [{code: x, minutes: M54.5 pain, kind: timed}]\n")
            .expect_err("a number is needed");
        let text = wrong.problem.to_string();
        assert!(!text.contains("M54.5"), "{text}");
        assert!(text.contains("a whole number (0 or more)"), "{text}");
    }
}
