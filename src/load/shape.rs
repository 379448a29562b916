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
