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
    add_ranges(&mut value);
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

/// Keys on the utility scale: at most 100 in magnitude (`validate::domain::MAX_UTILITY`), and
/// whether they are also >= 0.
const UTILITY_KEYS: &[(&str, bool)] = &[
    ("outside_option", false),
    ("war_cost", false),
    ("noise", true),
    ("agreement_bonus", false),
    ("breakdown_value", false),
    ("renewed_war_loss", true),
    ("utility", false),
    ("war_utility", false),
    ("residual_war_cost", true),
    ("cost", true),
];

/// The valid ranges `check` enforces beyond the raw types: every number of a distribution at
/// most 1000 in magnitude, the utility-scale keys at most 100, the temperature 0 or 1e-4 to 100.
fn add_ranges(v: &mut serde_json::Value) {
    use serde_json::{Value, json};
    let Some(defs) = v.get_mut("definitions").and_then(Value::as_object_mut) else {
        return;
    };
    if let Some(number) = defs.get_mut("Number") {
        if let Some(Value::Object(plain)) = number.get_mut("anyOf").and_then(|a| a.get_mut(0)) {
            plain.insert("minimum".into(), json!(-1000.0));
            plain.insert("maximum".into(), json!(1000.0));
        }
        if let Some(n) = number.as_object_mut() {
            n.insert(
                "description".into(),
                json!("A plain number or a distribution. Valid range (docs/scenario-format.md, Domains): every number that is not a probability or a discount is at most 1000 in magnitude, at most 100 on the utility scale; keys that must be > 0 are at least 1e-6; 99.8% of a distribution's draws must lie in the range."),
            );
        }
    }
    for def in defs.values_mut() {
        let Some(props) = def.get_mut("properties").and_then(Value::as_object_mut) else {
            continue;
        };
        for (name, prop) in props.iter_mut() {
            let Some(p) = prop.as_object_mut() else { continue };
            let extra = if let Some((_, non_negative)) = UTILITY_KEYS.iter().find(|(k, _)| k == name) {
                if *non_negative {
                    " Valid range: 0 to 100 (the utility scale)."
                } else {
                    " Valid range: -100 to 100 (the utility scale)."
                }
            } else if name == "temperature" || name == "rationality" {
                p.insert("maximum".into(), json!(100.0));
                " Valid range: 0, or 1e-7 to 100."
            } else {
                continue;
            };
            let text = p.get("description").and_then(Value::as_str).unwrap_or("").to_string();
            p.insert("description".into(), json!(format!("{text}{extra}")));
        }
    }
}
