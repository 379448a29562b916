//! Checks a YAML document's keys against its file kind's JSON Schema, so that every unknown
//! and every missing field is reported at once, not only the first one serde meets.

use super::locate::LineIndex;
use crate::findings::Finding;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

/// `field.unknown` and `field.missing` findings for `doc` measured against `schema`.
pub fn key_findings(doc: &Yaml, schema: &Json, file: &str, index: &LineIndex) -> Vec<Finding> {
    let mut out = Vec::new();
    let defs = schema.get("$defs").cloned().unwrap_or(Json::Null);
    walk(doc, schema, &defs, "", file, index, &mut out);
    out
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

/// The object schema among `anyOf`/`oneOf` alternatives that fits a mapping, if any.
fn object_schema<'a>(schema: &'a Json, defs: &'a Json) -> Option<&'a Json> {
    let schema = resolve(schema, defs);
    if schema.get("properties").is_some() {
        return Some(schema);
    }
    ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Json::as_array))
        .flatten()
        .find_map(|alt| object_schema(alt, defs))
}

/// The array item schema, looking through `anyOf`/`oneOf` (as for an optional list).
fn item_schema<'a>(schema: &'a Json, defs: &'a Json) -> Option<&'a Json> {
    let schema = resolve(schema, defs);
    if let Some(items) = schema.get("items") {
        return Some(items);
    }
    ["anyOf", "oneOf"]
        .iter()
        .filter_map(|k| schema.get(*k).and_then(Json::as_array))
        .flatten()
        .find_map(|alt| item_schema(alt, defs))
}

fn walk(
    doc: &Yaml,
    schema: &Json,
    defs: &Json,
    path: &str,
    file: &str,
    index: &LineIndex,
    out: &mut Vec<Finding>,
) {
    match doc {
        Yaml::Mapping(map) => {
            let Some(obj) = object_schema(schema, defs) else {
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
                let field = join(path, name);
                match props.get(name) {
                    Some(sub) => walk(value, sub, defs, &field, file, index, out),
                    None if closed => {
                        let message = match super::parse::closest(name, &known) {
                            Some(best) => {
                                meant.push(best);
                                format!("unknown field `{name}`: did you mean `{best}`?")
                            }
                            None => format!(
                                "unknown field `{name}`: remove it, or use one of {}",
                                known
                                    .iter()
                                    .map(|k| format!("`{k}`"))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        };
                        out.push(
                            Finding::error("field.unknown", file, message)
                                .at(&field)
                                .on_line(index.line_of(&field)),
                        );
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
                    let where_ = if path.is_empty() {
                        String::new()
                    } else {
                        format!(" under `{path}`")
                    };
                    let line = if path.is_empty() {
                        Some(1)
                    } else {
                        index.line_of(path)
                    };
                    out.push(
                        Finding::error(
                            "field.missing",
                            file,
                            format!("required field `{name}` is missing{where_}: add it"),
                        )
                        .at(join(path, name))
                        .on_line(line),
                    );
                }
            }
        }
        Yaml::Sequence(items) => {
            let Some(item) = item_schema(schema, defs) else {
                return;
            };
            for (i, value) in items.iter().enumerate() {
                walk(value, item, defs, &format!("{path}[{i}]"), file, index, out);
            }
        }
        _ => {}
    }
}

/// Most values replaced while looking for further badly formed ones in one file.
const MAX_INVALID: usize = 20;

/// Every `field.invalid` finding of a file, starting from `first`: each bad value is
/// replaced by a well-formed stand-in of its schema type, unknown keys are dropped, and the
/// document is parsed again, until it parses or something other than a bad value stops it.
pub fn invalid_values<T: serde::de::DeserializeOwned>(
    mut doc: Yaml,
    schema: &Json,
    file: &str,
    index: &LineIndex,
    first: Finding,
) -> Vec<Finding> {
    let defs = schema.get("$defs").cloned().unwrap_or(Json::Null);
    prune_unknown(&mut doc, schema, &defs);
    let mut out = Vec::new();
    let mut current = first;
    for _ in 0..MAX_INVALID {
        let is_invalid = current.code == "field.invalid";
        let path = current.field.clone();
        out.push(current);
        let Some(path) = path.filter(|_| is_invalid) else {
            break;
        };
        if !replace_with_stand_in(&mut doc, schema, &defs, &path) {
            break;
        }
        let Ok(text) = serde_yaml::to_string(&doc) else {
            break;
        };
        match serde_yaml::from_str::<T>(&text) {
            Ok(_) => break,
            Err(e) => {
                current = super::parse::classify_shape(file, &e, index, false);
                // Missing fields were reported by the key walk.
                if current.code != "field.invalid" {
                    break;
                }
            }
        }
    }
    out
}

/// Removes keys the schema does not know, which `key_findings` has reported already.
fn prune_unknown(doc: &mut Yaml, schema: &Json, defs: &Json) {
    match doc {
        Yaml::Mapping(map) => {
            let Some(obj) = object_schema(schema, defs) else {
                return;
            };
            let Some(props) = obj.get("properties").and_then(Json::as_object) else {
                return;
            };
            map.retain(|k, _| k.as_str().is_none_or(|name| props.contains_key(name)));
            for (k, v) in map.iter_mut() {
                if let Some(sub) = k.as_str().and_then(|name| props.get(name)) {
                    prune_unknown(v, sub, defs);
                }
            }
        }
        Yaml::Sequence(items) => {
            if let Some(item) = item_schema(schema, defs) {
                for v in items {
                    prune_unknown(v, item, defs);
                }
            }
        }
        _ => {}
    }
}

/// One step of a field path: a key or a list index.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// "services[1].units" as steps.
fn steps(path: &str) -> Option<Vec<Step<'_>>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').unwrap_or((part, ""));
        if !key.is_empty() {
            out.push(Step::Key(key));
        }
        for idx in rest.split('[').filter(|s| !s.is_empty()) {
            out.push(Step::Index(idx.trim_end_matches(']').parse().ok()?));
        }
    }
    Some(out)
}

/// Replaces the value at `path` with a well-formed value of its schema type.
fn replace_with_stand_in(doc: &mut Yaml, schema: &Json, defs: &Json, path: &str) -> bool {
    let Some(steps) = steps(path) else {
        return false;
    };
    let mut node = doc;
    let mut sch = schema;
    for step in steps {
        match step {
            Step::Key(k) => {
                let Some(sub) = object_schema(sch, defs)
                    .and_then(|o| o.get("properties"))
                    .and_then(|p| p.get(k))
                else {
                    return false;
                };
                sch = sub;
                let Some(next) = node.as_mapping_mut().and_then(|m| m.get_mut(k)) else {
                    return false;
                };
                node = next;
            }
            Step::Index(i) => {
                let Some(sub) = item_schema(sch, defs) else {
                    return false;
                };
                sch = sub;
                let Some(next) = node.as_sequence_mut().and_then(|s| s.get_mut(i)) else {
                    return false;
                };
                node = next;
            }
        }
    }
    match stand_in(sch, defs) {
        Some(v) if v != *node => {
            *node = v;
            true
        }
        _ => false,
    }
}

/// A well-formed value for a leaf schema: the first enum value, a real date, "00:00", 0...
fn stand_in(schema: &Json, defs: &Json) -> Option<Yaml> {
    let schema = resolve(schema, defs);
    if let Some(first) = schema
        .get("enum")
        .and_then(Json::as_array)
        .and_then(|e| e.first())
    {
        return serde_yaml::to_value(first).ok();
    }
    if let Some(c) = schema.get("const") {
        return serde_yaml::to_value(c).ok();
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
        _ => return None,
    })
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
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
