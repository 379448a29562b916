//! The one module that reads YAML into a document: it walks the text's events first, so
//! that nesting and aliases are measured before anything is built, then builds the document
//! tree, and says in the parsers' own words where a text that is not YAML goes wrong.

use serde::de::{self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, Visitor};
use std::collections::HashMap;
use std::fmt;
use yaml_rust2::parser::{Event, Parser};

/// The document tree the rest of the loader works on is the YAML crate's own.
pub use serde_yaml::{Mapping, Number, Value};

/// Deepest nesting of lists and mappings read; practice files need a handful of levels, and
/// the YAML crate that builds the document slows down badly on deep flow nesting.
pub const MAX_DEPTH: usize = 64;

/// How much larger than its text aliases may make a document: this many times the text,
/// plus `EXPANSION_ALLOWANCE` bytes, so that a few repeated values stay fine.
pub const EXPANSION_FACTOR: u64 = 4;

/// See `EXPANSION_FACTOR`.
pub const EXPANSION_ALLOWANCE: u64 = 4096;

/// Why a text is not a YAML document the loader will read.
#[derive(Debug, Clone)]
pub struct YamlError {
    /// What kind of refusal this is.
    pub kind: ErrorKind,
    /// The parser's message, shown as it is (empty for the loader's own limits).
    pub message: String,
    /// 1-based line of the problem, which may lie past the end for a construct left open.
    pub line: Option<usize>,
    /// 1-based column of the problem.
    pub column: Option<usize>,
}

/// The kinds of `YamlError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The event parser found the text not to be YAML.
    Scan,
    /// The document builder refused the text (a repeated key, several documents...).
    Build,
    /// Lists and mappings nest deeper than `MAX_DEPTH`.
    TooDeep,
    /// Aliases would expand the document beyond the given number of bytes.
    Expands(u64),
}

/// Parses `text` as one YAML document, once its events show it is neither nested too deep
/// nor expanded too far by aliases, and that it is YAML at all.
///
/// Walking the events costs half as much again as building the document, so a text that
/// cannot hold either danger is built straight away: with no `*` it has no alias, and with
/// at most `MAX_DEPTH` brackets it cannot nest that deep in flow style, the only nesting
/// that slows the builder down. Its depth is then checked on the document, and the events
/// are walked only when something is wrong, to say what and where as for any other text.
pub fn parse_document(text: &str) -> Result<Value, YamlError> {
    let brackets = text.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    let quick = brackets <= MAX_DEPTH && !text.contains('*');
    if !quick {
        measure(text)?;
    }
    let de = serde_yaml::Deserializer::from_str(text);
    let built = DocumentSeed.deserialize(de).map_err(|e| YamlError {
        kind: ErrorKind::Build,
        message: e.to_string(),
        line: e.location().map(|l| l.line()),
        column: e.location().map(|l| l.column()),
    });
    match built {
        Ok(doc) if quick && depth(&doc) > MAX_DEPTH => {
            measure(text)?;
            // The events nest as the document does, so they have said so already.
            Err(YamlError {
                kind: ErrorKind::TooDeep,
                message: String::new(),
                line: None,
                column: None,
            })
        }
        Err(e) if quick => measure(text).and(Err(e)),
        other => other,
    }
}

/// How deep lists and mappings nest in `doc` (a scalar is 0).
fn depth(doc: &Value) -> usize {
    match doc {
        Value::Sequence(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        Value::Mapping(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        Value::Tagged(tagged) => depth(&tagged.value),
        _ => 0,
    }
}

/// The size of a document with its aliases expanded, most a text may reach.
pub fn expansion_limit(text: &str) -> u64 {
    (text.len() as u64)
        .saturating_mul(EXPANSION_FACTOR)
        .saturating_add(EXPANSION_ALLOWANCE)
}

/// Walks the events of `text`, stopping at the first one that nests past `MAX_DEPTH` or
/// takes the expanded size past `expansion_limit`. A scalar weighs its length (at least 1),
/// a list or mapping 1 plus its contents, an alias what its anchored node weighs.
fn measure(text: &str) -> Result<(), YamlError> {
    let limit = expansion_limit(text);
    let mut parser = Parser::new_from_str(text);
    let mut weights: HashMap<usize, u64> = HashMap::new();
    // Each open list or mapping: its anchor (0 for none) and the total when it opened.
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut total: u64 = 0;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| YamlError {
            // The scanner reads ahead of the events, and stops flow nesting past 255
            // levels itself before the 65th level's event is out.
            kind: if e.info() == "recursion limit exceeded" {
                ErrorKind::TooDeep
            } else {
                ErrorKind::Scan
            },
            message: e.info().to_string(),
            line: Some(e.marker().line()),
            column: Some(e.marker().col() + 1),
        })?;
        let refuse = |kind| YamlError {
            kind,
            message: String::new(),
            line: Some(mark.line()),
            column: None,
        };
        match event {
            Event::StreamEnd => return Ok(()),
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if open.len() == MAX_DEPTH {
                    return Err(refuse(ErrorKind::TooDeep));
                }
                open.push((anchor, total));
                total += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = open.pop()
                    && anchor != 0
                {
                    weights.insert(anchor, total - start);
                }
            }
            Event::Scalar(value, _, anchor, _) => {
                let weight = value.len().max(1) as u64;
                total += weight;
                if anchor != 0 {
                    weights.insert(anchor, weight);
                }
            }
            Event::Alias(anchor) => {
                let weight = weights.get(&anchor).copied().unwrap_or(1);
                total = total.saturating_add(weight);
            }
            _ => {}
        }
        if total > limit {
            return Err(refuse(ErrorKind::Expands(limit)));
        }
    }
}

/// Builds a `Value` as serde_yaml's own does, except that an integer too large for 64 bits
/// is kept as its digits: serde_yaml's `Value` refuses it outright, which would leave the file
/// a syntax error rather than a field with a bad value (or, for an identifier, a good one).
struct DocumentSeed;

impl<'de> DeserializeSeed<'de> for DocumentSeed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(DocumentVisitor)
    }
}

struct DocumentVisitor;

impl<'de> Visitor<'de> for DocumentVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Value, E> {
        Ok(Value::Number(i.into()))
    }

    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Value, E> {
        Ok(Value::Number(u.into()))
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        Ok(Value::String(i.to_string()))
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        Ok(Value::String(u.to_string()))
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        Ok(Value::Number(f.into()))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        DocumentSeed.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = items.next_element_seed(DocumentSeed)? {
            out.push(item);
        }
        Ok(Value::Sequence(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<Value, A::Error> {
        let mut map = Mapping::new();
        while let Some(key) = entries.next_key_seed(DocumentSeed)? {
            if map.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "duplicate entry with key {}",
                    key_text(&key)
                )));
            }
            let value = entries.next_value_seed(DocumentSeed)?;
            map.insert(key, value);
        }
        Ok(Value::Mapping(map))
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use de::VariantAccess;
        let (tag, contents) = data.variant_seed(TagSeed)?;
        let value = contents.newtype_variant_seed(DocumentSeed)?;
        Ok(Value::Tagged(Box::new(serde_yaml::value::TaggedValue {
            tag,
            value,
        })))
    }
}

/// A repeated key as serde_yaml names it.
fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => format!("{s:?}"),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => format!("`{b}`"),
        Value::Null => "null".to_string(),
        _ => "of a list or mapping".to_string(),
    }
}

/// Reads a `!tag` as serde_yaml hands it to a value.
struct TagSeed;

impl<'de> DeserializeSeed<'de> for TagSeed {
    type Value = serde_yaml::value::Tag;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl Visitor<'_> for TagSeed {
    type Value = serde_yaml::value::Tag;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML tag string")
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
        if s.is_empty() {
            return Err(E::custom("empty YAML tag is not allowed"));
        }
        Ok(serde_yaml::value::Tag::new(s))
    }
}

/// The document form of a JSON value, such as a schema's first allowed word.
pub fn from_json(value: &serde_json::Value) -> Option<Value> {
    serde_yaml::to_value(value).ok()
}

/// The YAML text of a record claimwright writes into the practice folder (the ledger).
pub fn to_text<T: serde::Serialize>(record: &T) -> Result<String, String> {
    serde_yaml::to_string(record).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_nesting_stops_at_its_line_whatever_the_quotes() {
        let deep = "[".repeat(100_000);
        for text in [
            format!("a: 1\nb: {deep}\n"),
            format!("a: 1\nb: [it's, {deep}\n"),
            format!("a: 1\nb: [\"x\", '{deep}\n{deep}\n"),
        ] {
            let err = parse_document(&text).expect_err("too deep");
            assert_eq!(err.line, Some(2), "{err:?}");
        }
        let flow = format!("a: [it's, {}\n", "[".repeat(1000));
        assert_eq!(
            parse_document(&flow).map_err(|e| e.kind).err(),
            Some(ErrorKind::TooDeep)
        );
        let block = (0..70)
            .map(|i| format!("{}- \n", " ".repeat(i * 2)))
            .collect::<String>();
        let err = parse_document(&block).expect_err("too deep");
        assert_eq!(err.kind, ErrorKind::TooDeep);
        assert_eq!(err.line, Some(MAX_DEPTH + 1));
        let fine = format!(
            "a: {}{}\n",
            "[".repeat(MAX_DEPTH - 1),
            "]".repeat(MAX_DEPTH - 1)
        );
        assert!(parse_document(&fine).is_ok());
        // Block nesting with no bracket to count is found on the document, then located.
        let block = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect::<String>();
        let err = parse_document(&block).expect_err("too deep");
        assert_eq!(
            (err.kind, err.line),
            (ErrorKind::TooDeep, Some(MAX_DEPTH + 1))
        );
    }

    #[test]
    fn aliases_may_repeat_a_little_but_not_a_lot() {
        let long = "x".repeat(200);
        let few = format!("a: &s {long}\nb: [*s, *s, *s]\n");
        assert!(parse_document(&few).is_ok());
        let many = format!("a: &s {long}\nb: [{}]\n", vec!["*s"; 1500].join(", "));
        let err = parse_document(&many).expect_err("expands too far");
        assert_eq!(err.kind, ErrorKind::Expands(expansion_limit(&many)));
        assert_eq!(err.line, Some(2));
        let mut bomb = String::from("l0: &l0 [a, a, a, a, a, a, a, a, a]\n");
        for level in 1..=9 {
            let items = vec![format!("*l{}", level - 1); 9].join(", ");
            bomb.push_str(&format!("l{level}: &l{level} [{items}]\n"));
        }
        assert!(matches!(
            parse_document(&bomb).map_err(|e| e.kind),
            Err(ErrorKind::Expands(_))
        ));
    }

    #[test]
    fn integers_past_64_bits_keep_their_digits() {
        let doc = parse_document("a: 99999999999999999999\nb: -99999999999999999999\nc: 7\n")
            .expect("a document");
        assert_eq!(doc["a"], Value::String("99999999999999999999".into()));
        assert_eq!(doc["b"], Value::String("-99999999999999999999".into()));
        assert_eq!(doc["c"], Value::Number(7.into()));
        let dup = parse_document("a: 1\nb: 2\na: 3\n").expect_err("a repeated key");
        assert_eq!(dup.kind, ErrorKind::Build);
        assert!(dup.message.contains("duplicate entry"), "{}", dup.message);
        let tagged = parse_document("a: !note x\n").expect("a tagged value");
        assert!(matches!(tagged["a"], Value::Tagged(_)));
    }
}
