//! Knows a file kind's shape from its JSON Schema: checks a document's keys against it, so
//! that every unknown and every missing field is reported at once, and puts well-formed
//! stand-ins where values are bad so that reading can go on past them.

use super::advice;
use super::field_path::{FieldPath, Step};
use super::locate::LineIndex;
use super::yaml::{self, Mapping, Value as Yaml};
use crate::findings::Finding;
use serde_json::Value as Json;

/// `field.unknown` and `field.missing` findings for `doc` measured against `schema`.
pub fn key_findings(doc: &Yaml, schema: &Json, file: &str, index: &LineIndex) -> Vec<Finding> {
    let mut out = Vec::new();
    let walk = KeyWalk {
        defs: defs(schema),
        file,
        index,
    };
    walk.visit(doc, schema, &FieldPath::root(), &mut out);
    out
}

/// A schema with no `$defs` refers to nothing.
static NO_DEFS: Json = Json::Null;

fn defs(schema: &Json) -> &Json {
    schema.get("$defs").unwrap_or(&NO_DEFS)
}

/// Follows `$ref` to its definition.
fn resolve<'a>(schema: &'a Json, defs: &'a Json) -> &'a Json {
    match schema
        .get("$ref")
        .and_then(Json::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(name) => defs.get(name).map(|d| resolve(d, defs)).unwrap_or(schema),
        None => schema,
    }
}

/// The first of a schema and its `anyOf`/`oneOf` alternatives (as for an optional value)
/// for which `pick` finds something.
fn find_in_alternatives<'a, R>(
    schema: &'a Json,
    defs: &'a Json,
    pick: &impl Fn(&'a Json) -> Option<R>,
) -> Option<R> {
    let schema = resolve(schema, defs);
    if let Some(found) = pick(schema) {
        return Some(found);
    }
    ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Json::as_array))
        .flatten()
        .find_map(|alt| find_in_alternatives(alt, defs, pick))
}

/// The object schema among the alternatives, if any: the one a mapping is read as.
fn object_schema<'a>(schema: &'a Json, defs: &'a Json) -> Option<&'a Json> {
    find_in_alternatives(schema, defs, &|s: &'a Json| {
        s.get("properties").is_some().then_some(s)
    })
}

/// The array item schema among the alternatives, if any.
fn item_schema<'a>(schema: &'a Json, defs: &'a Json) -> Option<&'a Json> {
    find_in_alternatives(schema, defs, &|s: &'a Json| s.get("items"))
}

/// The schema of the property `name` of an object schema.
fn property<'a>(schema: &'a Json, defs: &'a Json, name: &str) -> Option<&'a Json> {
    object_schema(schema, defs)?.get("properties")?.get(name)
}

/// Walks a document beside its schema, collecting unknown and missing keys.
struct KeyWalk<'a> {
    defs: &'a Json,
    file: &'a str,
    index: &'a LineIndex,
}

impl KeyWalk<'_> {
    fn visit(&self, doc: &Yaml, schema: &Json, path: &FieldPath, out: &mut Vec<Finding>) {
        match doc {
            Yaml::Mapping(map) => self.visit_mapping(map, schema, path, out),
            Yaml::Sequence(items) => {
                let Some(item) = item_schema(schema, self.defs) else {
                    return;
                };
                for (i, value) in items.iter().enumerate() {
                    self.visit(value, item, &path.index(i), out);
                }
            }
            _ => {}
        }
    }

    fn visit_mapping(
        &self,
        map: &Mapping,
        schema: &Json,
        path: &FieldPath,
        out: &mut Vec<Finding>,
    ) {
        let Some(obj) = object_schema(schema, self.defs) else {
            return;
        };
        let Some(props) = obj.get("properties").and_then(Json::as_object) else {
            return;
        };
        let closed = obj.get("additionalProperties") == Some(&Json::Bool(false));
        let known: Vec<&str> = props.keys().map(String::as_str).collect();
        // A misspelt key already says which field it meant; that field is not also
        // reported missing.
        let mut meant: Vec<&str> = Vec::new();
        for (key, value) in map {
            let Some(name) = key.as_str() else {
                continue;
            };
            let field = path.key(name);
            match props.get(name) {
                Some(sub) => self.visit(value, sub, &field, out),
                None if closed => {
                    let (finding, best) =
                        advice::unknown_field(self.file, &field, name, &known, self.index);
                    meant.extend(best);
                    out.push(finding);
                }
                None => {}
            }
        }
        let required = obj
            .get("required")
            .and_then(Json::as_array)
            .map(|r| r.iter().filter_map(Json::as_str).collect::<Vec<_>>())
            .unwrap_or_default();
        for name in required {
            if map.get(name).is_none() && !meant.contains(&name) {
                out.push(advice::missing_field(self.file, path, name, self.index));
            }
        }
    }
}

/// Removes keys the schema does not know, which `key_findings` has reported already.
pub fn prune_unknown(doc: &mut Yaml, schema: &Json) {
    prune(doc, schema, defs(schema));
}

fn prune(doc: &mut Yaml, schema: &Json, defs: &Json) {
    match doc {
        Yaml::Mapping(map) => {
            let Some(props) = object_schema(schema, defs)
                .and_then(|o| o.get("properties"))
                .and_then(Json::as_object)
            else {
                return;
            };
            map.retain(|k, _| k.as_str().is_none_or(|name| props.contains_key(name)));
            for (k, v) in map.iter_mut() {
                if let Some(sub) = k.as_str().and_then(|name| props.get(name)) {
                    prune(v, sub, defs);
                }
            }
        }
        Yaml::Sequence(items) => {
            if let Some(item) = item_schema(schema, defs) {
                for v in items {
                    prune(v, item, defs);
                }
            }
        }
        _ => {}
    }
}

/// The schema of the value at `path`, if the schema describes it.
fn schema_at<'a>(schema: &'a Json, path: &FieldPath) -> Option<&'a Json> {
    let defs = defs(schema);
    let mut at = schema;
    for step in path.steps() {
        at = match step {
            Step::Key(k) => property(at, defs, k)?,
            Step::Index(_) => item_schema(at, defs)?,
        };
    }
    Some(at)
}

/// Whether the schema says the value at `path` is a date.
fn is_date(schema: &Json, path: &FieldPath) -> bool {
    schema_at(schema, path).is_some_and(|at| {
        find_in_alternatives(at, defs(schema), &|s: &Json| {
            (s.get("format").and_then(Json::as_str) == Some("date")).then_some(())
        })
        .is_some()
    })
}

/// What the schema says a value should look like, for advice on a value of the wrong form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form {
    /// A date.
    pub date: bool,
    /// A list.
    pub list: bool,
    /// A mapping's fields: the required ones in the record's order, then the others.
    pub fields: Vec<String>,
    /// How many of `fields` are required.
    pub required: usize,
}

/// The form of the value at `path`; the default when the schema does not describe it.
pub fn form_at(schema: &Json, path: &FieldPath) -> Form {
    let Some(at) = schema_at(schema, path) else {
        return Form::default();
    };
    let defs = defs(schema);
    let mut form = Form {
        date: is_date(schema, path),
        list: item_schema(at, defs).is_some(),
        ..Form::default()
    };
    if let Some(obj) = object_schema(at, defs) {
        let required: Vec<String> = obj
            .get("required")
            .and_then(Json::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Json::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        let optional = obj
            .get("properties")
            .and_then(Json::as_object)
            .into_iter()
            .flat_map(|p| p.keys())
            .filter(|k| !required.contains(k))
            .cloned()
            .collect::<Vec<_>>();
        form.required = required.len();
        form.fields = required.into_iter().chain(optional).collect();
    }
    form
}

/// The text of the value at `path` when it is a single value (not a list or a mapping).
pub fn scalar_at(doc: &Yaml, path: &FieldPath) -> Option<String> {
    let mut node = doc;
    for step in path.steps() {
        node = match step {
            Step::Key(k) => node.as_mapping()?.get(k.as_str())?,
            Step::Index(i) => node.as_sequence()?.get(*i)?,
        };
    }
    match node {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Number(n) => Some(n.to_string()),
        Yaml::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The value at `path`, if the document has one.
fn node_at<'a>(doc: &'a mut Yaml, path: &FieldPath) -> Option<&'a mut Yaml> {
    let mut node = doc;
    for step in path.steps() {
        node = match step {
            Step::Key(k) => node.as_mapping_mut()?.get_mut(k.as_str())?,
            Step::Index(i) => node.as_sequence_mut()?.get_mut(*i)?,
        };
    }
    Some(node)
}

/// Replaces the value at `path` with a well-formed value of its schema type; false when
/// there is no such value, or it cannot be made any better.
pub fn replace_with_stand_in(doc: &mut Yaml, schema: &Json, path: &FieldPath) -> bool {
    // The whole document is never replaced: what it should hold is the file's to say.
    if path.is_root() {
        return false;
    }
    let Some(value) = schema_at(schema, path).and_then(|s| stand_in(s, defs(schema))) else {
        return false;
    };
    match node_at(doc, path) {
        Some(node) if *node != value => {
            *node = value;
            true
        }
        _ => false,
    }
}

/// Adds the required key `name` to the mapping at `parent` with a well-formed stand-in value,
/// so that reading can go on past it; false when that cannot be done.
pub fn fill_missing(doc: &mut Yaml, schema: &Json, parent: &FieldPath, name: &str) -> bool {
    let Some(value) = schema_at(schema, &parent.key(name)).and_then(|s| stand_in(s, defs(schema)))
    else {
        return false;
    };
    match node_at(doc, parent).and_then(Yaml::as_mapping_mut) {
        Some(map) if !map.contains_key(name) => {
            map.insert(Yaml::String(name.to_string()), value);
            true
        }
        _ => false,
    }
}

/// Removes the key at `path`; false when there is none.
pub fn remove_key(doc: &mut Yaml, path: &FieldPath) -> bool {
    let Some((Step::Key(name), parent)) = path.steps().split_last() else {
        return false;
    };
    let parent = FieldPath::from_steps(parent.to_vec());
    node_at(doc, &parent)
        .and_then(Yaml::as_mapping_mut)
        .and_then(|map| map.remove(name.as_str()))
        .is_some()
}

/// A well-formed value for a schema: the first allowed word, a real date, "00:00", 0, an
/// empty list or mapping...
fn stand_in(schema: &Json, defs: &Json) -> Option<Yaml> {
    let schema = resolve(schema, defs);
    if let Some(first) = schema
        .get("enum")
        .and_then(Json::as_array)
        .and_then(|e| e.first())
    {
        return yaml::from_json(first);
    }
    if let Some(c) = schema.get("const") {
        return yaml::from_json(c);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(alts) = schema.get(key).and_then(Json::as_array) {
            return alts.iter().find_map(|a| stand_in(a, defs));
        }
    }
    let ty = match schema.get("type") {
        Some(Json::String(t)) => t.as_str(),
        Some(Json::Array(ts)) => ts
            .iter()
            .filter_map(Json::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ => return None,
    };
    Some(match ty {
        "string" => match schema.get("format").and_then(Json::as_str) {
            Some("date") => Yaml::String("2000-01-01".into()),
            _ if schema.get("pattern").is_some() => Yaml::String("00:00".into()),
            _ => Yaml::String("x".into()),
        },
        "integer" | "number" => Yaml::Number(0.into()),
        "boolean" => Yaml::Bool(false),
        "array" => Yaml::Sequence(Vec::new()),
        "object" => Yaml::Mapping(Mapping::new()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Session;

    #[test]
    fn every_badly_formed_value_is_reported() {
        let text = "patient: a\nprovider: b\ndate: 2026-02-30\ntime_in: \"25:00\"\ntime_out: \"10:00\"\ndiagnoses: [M54.50]\nservices:\n  - code: \"97124\"\n    minutes: thirty\n    typo: 1\n  - code: \"97140\"\n    minutes: 15\n    units: -1\nsoap: {subjective: x, objective: y, assessment: z, plan: p}\n";
        let err = crate::load::parse::parse::<Session>(text, "s.yaml").unwrap_err();
        let mut got: Vec<(String, String, Option<usize>)> = err
            .iter()
            .map(|f| {
                (
                    f.code.to_string(),
                    f.field.clone().unwrap_or_default(),
                    f.line,
                )
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("field.invalid".into(), "date".into(), Some(3)),
                (
                    "field.invalid".into(),
                    "services[0].minutes".into(),
                    Some(9)
                ),
                ("field.invalid".into(), "services[1].units".into(), Some(13)),
                ("field.invalid".into(), "time_in".into(), Some(4)),
                ("field.unknown".into(), "services[0].typo".into(), Some(10)),
            ]
        );
    }

    #[test]
    fn the_form_of_a_value_comes_from_the_schema() {
        let schema = schemars::schema_for!(Session).to_value();
        let at = |p: &FieldPath| form_at(&schema, p);
        let services = FieldPath::root().key("services");
        assert!(at(&services.index(0).key("modifiers")).list);
        assert!(at(&FieldPath::root().key("date")).date);
        let pain = at(&FieldPath::root().key("pain"));
        assert_eq!(
            (pain.fields.clone(), pain.required),
            (vec!["before".to_string(), "after".into()], 2)
        );
        assert!(!pain.list);
        assert_eq!(at(&FieldPath::root().key("nothing")), Form::default());
        let doc: Yaml = serde_yaml::from_str("pain: 5\nservices: [{modifiers: GP}]\n").unwrap();
        assert_eq!(
            scalar_at(&doc, &FieldPath::root().key("pain")),
            Some("5".into())
        );
        assert_eq!(
            scalar_at(&doc, &services.index(0).key("modifiers")),
            Some("GP".into())
        );
        assert_eq!(scalar_at(&doc, &services), None);
    }

    #[test]
    fn every_unknown_and_missing_field_is_reported_once() {
        let text = "patient: a\ndate: 2026-11-03\ntime_in: \"09:00\"\ntime_out: \"10:00\"\ndiagnosis: [M54.50]\nservices:\n  - code: \"97124\"\n    minuts: 30\n  - code: \"97140\"\n    minutes: 15\n    regoin: neck\nsoap: {subjective: x, objective: y, assessment: z, plan: p}\n";
        let doc: Yaml = serde_yaml::from_str(text).unwrap();
        let schema = schemars::schema_for!(Session).to_value();
        let found = key_findings(&doc, &schema, "s.yaml", &LineIndex::new(text));
        let mut got: Vec<(String, String, Option<usize>)> = found
            .iter()
            .map(|f| {
                (
                    f.code.to_string(),
                    f.field.clone().unwrap_or_default(),
                    f.line,
                )
            })
            .collect();
        got.sort();
        assert_eq!(
            got,
            vec![
                ("field.missing".into(), "provider".into(), Some(1)),
                ("field.unknown".into(), "diagnosis".into(), Some(5)),
                ("field.unknown".into(), "services[0].minuts".into(), Some(8)),
                (
                    "field.unknown".into(),
                    "services[1].regoin".into(),
                    Some(11)
                ),
            ]
        );
        assert!(
            found
                .iter()
                .any(|f| f.message.contains("did you mean `diagnoses`"))
        );
        // The misspelt keys' targets are not reported missing as well.
        assert!(
            !found
                .iter()
                .any(|f| f.field.as_deref() == Some("diagnoses"))
        );
    }
}
