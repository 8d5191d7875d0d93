//! The JSON Schema of scenario files (draft-07, for Taplo-based editors), generated from the raw
//! serde structs so it can never drift from what the loader accepts. Field doc comments become
//! the schema's descriptions. `schema/scenario.schema.json` is this output, kept in sync by a test.

use super::raw::RawScenario;
use schemars::generate::SchemaSettings;

/// The schema as pretty-printed JSON with a trailing newline.
pub fn json_schema() -> String {
    let mut schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<RawScenario>();
    schema.insert("title".into(), "armistice scenario".into());
    schema.insert(
        "description".into(),
        "A negotiation scenario for armistice: actors, issues and options, preferences, red lines, war dynamics, events and durability. See docs/scenario-format.md.".into(),
    );
    let mut value = schema.to_value();
    drop_null(&mut value);
    let mut out = serde_json::to_string_pretty(&value).expect("a schema serialises");
    out.push('\n');
    out
}

/// TOML has no null (an optional key is simply left out): removes the `null` alternatives that
/// `Option` fields get, collapsing one-element `anyOf`s.
fn drop_null(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(types)) = map.get_mut("type") {
                types.retain(|t| t != "null");
                if types.len() == 1 {
                    let t = types[0].clone();
                    map.insert("type".into(), t);
                }
            }
            if let Some(Value::Array(any)) = map.get_mut("anyOf") {
                any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
                if any.len() == 1 {
                    let only = any[0].clone();
                    map.remove("anyOf");
                    if let Value::Object(inner) = only {
                        for (k, val) in inner {
                            map.entry(k).or_insert(val);
                        }
                    }
                }
            }
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_null);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null),
        _ => {}
    }
}
