//! Parameter paths: any number of a scenario file addressed by a dotted path, for sweeps and
//! sensitivity analysis.
//!
//! A path walks the TOML document. Arrays of tables (`[[actor]]`, `[[issue]]`, `[[event]]`,
//! `[[ratifier]]`, `[[body]]`, `[[actor.red_lines]]`) and arrays of inline tables (an issue's
//! `options`) are entered by an element's `id` or by its 0-based position; an actor's per-option
//! `utility` arrays by option id (or position). Examples:
//!
//! - `actor.RU.war_cost`, `actor.UA.red_lines.1.binding`, `actor.RU.utility.territory.T4`
//! - `issue.territory.frontline.drift`, `issue.territory.frontline.breakthrough.probability`
//! - `issue.territory.options.T4.hazard_ratio`, `protocol.breakdown`, `event.<id>.hazard`
//!
//! Edits go through `toml_edit`, so the rest of the file (comments, layout, line numbers of
//! everything above the edit) is kept and diagnostics of an edited scenario point into it.

use super::Dist;
use super::dist::FAMILIES;
use toml_edit::{DocumentMut, Item, Value};

/// Why a parameter path cannot be read or set; the text names what exists instead.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PathError {
    /// The scenario text is not TOML (the loader reports it with line and column).
    #[error(transparent)]
    Parse(#[from] toml_edit::TomlError),
    /// An empty segment: not a dotted path.
    #[error("`{path}` is not a parameter path: write dotted names such as actor.RU.war_cost")]
    NotAPath {
        /// The path as given.
        path: String,
    },
    /// An array segment that names no element (by id, option id or position); the text lists
    /// the names or the valid positions.
    #[error("{0}")]
    NoEntry(String),
    /// A table segment that names no key; the text lists the keys.
    #[error("{0}")]
    NoKey(String),
    /// A segment below something that has no parts (a number, a string, a distribution, ...).
    #[error("{at} is {found}: it has no `{seg}`")]
    NoParts {
        /// Where the walk stood (`the file` or `` `a.b` ``).
        at: String,
        /// What is there, e.g. "a distribution".
        found: &'static str,
        /// The segment asked for.
        seg: String,
    },
    /// A path that ends on something other than a number or a distribution.
    #[error("`{path}` is {found}, not a number or a distribution")]
    NotANumber {
        /// The path as given.
        path: String,
        /// What is there, e.g. "a table".
        found: &'static str,
    },
    /// A fractional value for a field written as a whole number.
    #[error("`{path}` is a whole number; {value} is not")]
    NotWhole {
        /// The path as given.
        path: String,
        /// The value refused.
        value: f64,
    },
}

/// One step of a resolved path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// Parses scenario text for editing.
///
/// # Errors
/// The TOML parse error (the scenario loader reports it with line and column).
pub fn parse(text: &str) -> Result<DocumentMut, PathError> {
    Ok(text.parse::<DocumentMut>()?)
}

fn id_of_table(t: &dyn toml_edit::TableLike) -> Option<&str> {
    t.get("id").and_then(Item::as_str)
}

fn kind(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
        Item::Value(Value::Array(_)) => "an array",
        Item::Value(Value::InlineTable(t)) if as_dist_table(t).is_some() => "a distribution",
        Item::Value(Value::InlineTable(_)) => "an inline table",
        Item::Value(Value::String(_)) => "a string",
        Item::Value(Value::Boolean(_)) => "a boolean",
        Item::Value(Value::Datetime(_)) => "a date",
        Item::Value(_) => "a number",
    }
}

/// The distribution an inline table such as `{ pert = [0.1, 0.2, 0.3] }` writes, if it is one.
fn as_dist_table(t: &toml_edit::InlineTable) -> Option<Dist> {
    // a rate with its unit (`docs/model.md` §9.5): the number in its stated unit
    if t.contains_key("per") {
        let mut bare = t.clone();
        bare.remove("per");
        if bare.len() == 1
            && let Some(v) = bare.get("value")
        {
            return v
                .as_float()
                .or_else(|| v.as_integer().map(|i| i as f64))
                .map(Dist::Fixed);
        }
        return as_dist_table(&bare);
    }
    if t.len() != 1 {
        return None;
    }
    let (k, v) = t.iter().next()?;
    if !FAMILIES.contains(&k) {
        return None;
    }
    let p: Vec<f64> = v
        .as_array()?
        .iter()
        .map(|x| x.as_float().or_else(|| x.as_integer().map(|i| i as f64)))
        .collect::<Option<_>>()?;
    let d = match (k, p.as_slice()) {
        ("normal", [a, b]) => Dist::Normal(*a, *b),
        ("uniform", [a, b]) => Dist::Uniform(*a, *b),
        ("triangular", [a, c, b]) => Dist::Triangular(*a, *c, *b),
        ("beta", [a, b]) => Dist::Beta(*a, *b),
        ("lognormal", [a, b]) => Dist::Lognormal(*a, *b),
        ("pert", [a, c, b]) => Dist::Pert(*a, *c, *b),
        _ => return None,
    };
    d.check().is_ok().then_some(d)
}

/// The number or distribution at an item, if it is one.
fn as_number(item: &Item) -> Option<Dist> {
    match item {
        Item::Value(Value::Float(f)) => Some(Dist::Fixed(*f.value())),
        Item::Value(Value::Integer(i)) => Some(Dist::Fixed(*i.value() as f64)),
        Item::Value(Value::InlineTable(t)) => as_dist_table(t),
        _ => None,
    }
}

/// The option ids of issue `issue` in the document.
fn option_ids(doc: &DocumentMut, issue: &str) -> Option<Vec<String>> {
    let issues = doc.get("issue")?.as_array_of_tables()?;
    let t = issues.iter().find(|t| id_of_table(*t) == Some(issue))?;
    let opts = t.get("options")?.as_array()?;
    opts.iter()
        .map(|o| o.as_inline_table()?.get("id")?.as_str().map(str::to_string))
        .collect()
}

fn list(xs: &[String]) -> String {
    let shown: Vec<String> = xs.iter().take(12).map(|x| format!("`{x}`")).collect();
    let more = if xs.len() > 12 { ", …" } else { "" };
    format!("{}{more}", shown.join(", "))
}

/// The position of entry `seg` among entries named `names` (`None`: unnamed), by name or as a
/// 0-based position; the error lists the names (`kind`: "id" or "option") or the valid positions.
fn entry(at: &str, seg: &str, names: &[Option<String>], kind: &str) -> Result<usize, PathError> {
    let len = names.len();
    names
        .iter()
        .position(|n| n.as_deref() == Some(seg))
        .or_else(|| seg.parse::<usize>().ok().filter(|&n| n < len))
        .ok_or_else(|| {
            PathError::NoEntry({
                let named: Vec<String> = names.iter().flatten().cloned().collect();
                if named.is_empty() {
                    format!(
                        "{at} has {len} entr{}: `{seg}` is not a position 0–{}",
                        if len == 1 { "y" } else { "ies" },
                        len.saturating_sub(1)
                    )
                } else {
                    format!(
                        "{at} has no entry with {kind} `{seg}`; its {kind}s are {}",
                        list(&named)
                    )
                }
            })
        })
}

/// Resolves `path` to concrete steps.
fn resolve(doc: &DocumentMut, path: &str) -> Result<Vec<Step>, PathError> {
    let segs: Vec<&str> = path.split('.').collect();
    if segs.iter().any(|s| s.is_empty()) {
        return Err(PathError::NotAPath { path: path.to_string() });
    }
    let mut steps = vec![];
    let mut cur: &Item = doc.as_item();
    for (i, seg) in segs.iter().enumerate() {
        let walked = segs[..i].join(".");
        let at = if walked.is_empty() {
            "the file".to_string()
        } else {
            format!("`{walked}`")
        };
        let next: (&Item, Step) = match cur {
            Item::ArrayOfTables(aot) => {
                let ids: Vec<Option<String>> = aot.iter().map(|t| id_of_table(t).map(str::to_string)).collect();
                let idx = entry(&at, seg, &ids, "id")?;
                (cur.get(idx).expect("in range"), Step::Index(idx))
            }
            Item::Value(Value::Array(arr)) => {
                let ids: Vec<Option<String>> = arr
                    .iter()
                    .map(|v| v.as_inline_table()?.get("id")?.as_str().map(str::to_string))
                    .collect();
                let options = (i >= 2 && segs[i - 2] == "utility")
                    .then(|| option_ids(doc, segs[i - 1]))
                    .flatten();
                let idx = match options {
                    Some(o) if ids.iter().all(Option::is_none) => {
                        entry(&at, seg, &o.into_iter().map(Some).collect::<Vec<_>>(), "option")?
                    }
                    _ => entry(&at, seg, &ids, "id")?,
                };
                (cur.get(idx).expect("in range"), Step::Index(idx))
            }
            Item::Table(_) | Item::Value(Value::InlineTable(_)) if as_number(cur).is_none() => {
                let t = cur.as_table_like().expect("a table");
                // a key renamed in the format is found under either name
                let key = renamed(seg)
                    .filter(|k| t.get(seg).is_none() && t.get(k).is_some())
                    .unwrap_or(seg);
                match t.get(key) {
                    Some(item) => (item, Step::Key(key.to_string())),
                    None => {
                        let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
                        let hint = crate::scenario::suggest(seg, keys.iter().map(String::as_str))
                            .map(|s| format!(" (did you mean `{s}`?)"))
                            .unwrap_or_default();
                        return Err(PathError::NoKey(format!(
                            "{at} has no `{seg}`{hint}; it has {}{}",
                            list(&keys),
                            if walked.is_empty() {
                                ""
                            } else {
                                " (a key not written in the file takes its default and cannot be swept: write it first)"
                            }
                        )));
                    }
                }
            }
            other => {
                return Err(PathError::NoParts {
                    at,
                    found: kind(other),
                    seg: (*seg).to_string(),
                });
            }
        };
        cur = next.0;
        steps.push(next.1);
    }
    if as_number(cur).is_none() {
        return Err(PathError::NotANumber {
            path: path.to_string(),
            found: kind(cur),
        });
    }
    Ok(steps)
}

/// Keys the format renamed, as (current, old) pairs: a path may use either name for a file
/// that writes the other.
const RENAMED: &[(&str, &str)] = &[("temperature", "rationality")];

/// The other name of a renamed key.
fn renamed(key: &str) -> Option<&'static str> {
    RENAMED
        .iter()
        .find_map(|&(new, old)| (key == new).then_some(old).or((key == old).then_some(new)))
}

/// What `path` holds: a number (as [`Dist::Fixed`]) or a distribution.
///
/// # Errors
/// Which segment of the path does not exist, with the names that do.
pub fn get(doc: &DocumentMut, path: &str) -> Result<Dist, PathError> {
    let steps = resolve(doc, path)?;
    let mut cur = doc.as_item();
    for s in &steps {
        cur = match s {
            Step::Key(k) => cur.get(k.as_str()),
            Step::Index(i) => cur.get(*i),
        }
        .expect("resolved");
    }
    Ok(as_number(cur).expect("resolved to a number"))
}

/// Sets the number or distribution at `path` to the fixed number `value`. A field written as
/// a whole number stays one (`value` must then be whole).
///
/// # Errors
/// As [`get`], and a fractional value for a whole-number field.
pub fn set(doc: &mut DocumentMut, path: &str, value: f64) -> Result<(), PathError> {
    let steps = resolve(doc, path)?;
    let mut cur = doc.as_item_mut();
    for s in &steps {
        cur = match s {
            Step::Key(k) => cur.get_mut(k.as_str()),
            Step::Index(i) => cur.get_mut(*i),
        }
        .expect("resolved");
    }
    let decor = cur.as_value().map(|v| v.decor().clone());
    // a rate with its unit keeps it: the value is set in the stated unit
    if let Item::Value(Value::InlineTable(t)) = cur
        && let Some(per) = t.get("per").cloned()
    {
        let mut rate = toml_edit::InlineTable::new();
        rate.insert("value", Value::from(value));
        rate.insert("per", per);
        let mut new = Value::InlineTable(rate);
        if let Some(d) = decor {
            *new.decor_mut() = d;
        }
        *cur = Item::Value(new);
        return Ok(());
    }
    let mut new = if matches!(cur, Item::Value(Value::Integer(_))) {
        if value.fract() != 0.0 || !value.is_finite() {
            return Err(PathError::NotWhole {
                path: path.to_string(),
                value,
            });
        }
        Value::from(value as i64)
    } else {
        Value::from(value)
    };
    if let Some(d) = decor {
        *new.decor_mut() = d;
    }
    *cur = Item::Value(new);
    Ok(())
}

/// Every distribution in the document (the scenario's uncertain numbers), with its path, in file
/// order.
pub fn uncertain(doc: &DocumentMut) -> Vec<(String, Dist)> {
    fn walk(doc: &DocumentMut, item: &Item, path: &mut Vec<String>, out: &mut Vec<(String, Dist)>) {
        if let Some(d) = as_number(item) {
            if d.is_uncertain() {
                out.push((path.join("."), d));
            }
            return;
        }
        match item {
            Item::ArrayOfTables(aot) => {
                for (i, t) in aot.iter().enumerate() {
                    path.push(id_of_table(t).map_or_else(|| i.to_string(), str::to_string));
                    walk(doc, &Item::Table(t.clone()), path, out);
                    path.pop();
                }
            }
            Item::Value(Value::Array(arr)) => {
                let n = path.len();
                let options = (n >= 2 && path[n - 2] == "utility")
                    .then(|| option_ids(doc, &path[n - 1]))
                    .flatten();
                for (i, v) in arr.iter().enumerate() {
                    let name = v
                        .as_inline_table()
                        .and_then(|t| t.get("id")?.as_str().map(str::to_string))
                        .or_else(|| options.as_ref().and_then(|o| o.get(i).cloned()))
                        .unwrap_or_else(|| i.to_string());
                    path.push(name);
                    walk(doc, &Item::Value(v.clone()), path, out);
                    path.pop();
                }
            }
            _ => {
                if let Some(t) = item.as_table_like() {
                    for (k, v) in t.iter() {
                        path.push(k.to_string());
                        walk(doc, v, path, out);
                        path.pop();
                    }
                }
            }
        }
    }
    let mut out = vec![];
    walk(doc, doc.as_item(), &mut vec![], &mut out);
    out
}

#[cfg(test)]
mod tests {

    /// A path may name a renamed key by either name, whichever the file writes.
    #[test]
    fn a_renamed_key_is_found_under_either_name() {
        for (file, path) in [
            ("[protocol]\nrationality = 0.02\n", "protocol.temperature"),
            ("[protocol]\ntemperature = 0.02\n", "protocol.rationality"),
        ] {
            let mut doc = parse(file).unwrap();
            assert_eq!(get(&doc, path).unwrap(), Dist::Fixed(0.02), "{path} in {file}");
            set(&mut doc, path, 0.05).unwrap();
            assert_eq!(get(&doc, path).unwrap(), Dist::Fixed(0.05));
            assert_eq!(doc.to_string().matches("0.05").count(), 1, "{doc}");
        }
        assert!(get(&parse("[protocol]\nquota = 2\n").unwrap(), "protocol.temperature").is_err());
    }
    use super::*;

    const TEXT: &str = r#"
[protocol]
breakdown = { pert = [0.0, 0.01, 0.03] }   # keep me
[[issue]]
id = "territory"
options = [ { id = "T0" }, { id = "T1", hazard_ratio = { uniform = [1.0, 1.5] } } ]
[issue.frontline]
drift = 0.04
[[actor]]
id = "RU"
war_cost = { pert = [0.002, 0.005, 0.010] }
[actor.utility]
territory = [0.0, { normal = [0.5, 0.1] }]
[[actor.red_lines]]
binding = 0.9
[simulation]
runs = 200
"#;

    /// A rate with its unit is read in its stated unit and set keeping the unit (`docs/model.md`
    /// §9.5), so sweeps and tornadoes vary it in the unit the analyst wrote.
    #[test]
    fn a_rate_with_a_unit_keeps_it() {
        let mut doc = parse("[[actor]]\nid = \"A\"\nwar_cost = { pert = [1, 2, 4], per = \"year\" }  # c\ndiscount = { value = 0.9, per = \"year\" }\n").unwrap();
        assert_eq!(get(&doc, "actor.A.war_cost").unwrap(), Dist::Pert(1.0, 2.0, 4.0));
        assert_eq!(get(&doc, "actor.A.discount").unwrap(), Dist::Fixed(0.9));
        assert_eq!(uncertain(&doc).len(), 1);
        set(&mut doc, "actor.A.war_cost", 3.0).unwrap();
        assert!(
            doc.to_string()
                .contains("war_cost = { value = 3.0, per = \"year\" }  # c"),
            "{doc}"
        );
        assert_eq!(get(&doc, "actor.A.war_cost").unwrap(), Dist::Fixed(3.0));
    }

    #[test]
    fn paths_resolve_by_id_position_and_option() {
        let doc = parse(TEXT).unwrap();
        assert_eq!(get(&doc, "actor.RU.war_cost").unwrap(), Dist::Pert(0.002, 0.005, 0.010));
        assert_eq!(get(&doc, "actor.0.war_cost").unwrap(), Dist::Pert(0.002, 0.005, 0.010));
        assert_eq!(get(&doc, "issue.territory.frontline.drift").unwrap(), Dist::Fixed(0.04));
        assert_eq!(
            get(&doc, "actor.RU.utility.territory.T1").unwrap(),
            Dist::Normal(0.5, 0.1)
        );
        assert_eq!(get(&doc, "actor.RU.red_lines.0.binding").unwrap(), Dist::Fixed(0.9));
        assert_eq!(
            get(&doc, "issue.territory.options.T1.hazard_ratio").unwrap(),
            Dist::Uniform(1.0, 1.5)
        );
    }

    #[test]
    fn wrong_paths_say_what_exists() {
        let doc = parse(TEXT).unwrap();
        let e = get(&doc, "actor.UA.war_cost").unwrap_err().to_string();
        assert!(e.contains("no entry with id `UA`") && e.contains("`RU`"), "{e}");
        let e = get(&doc, "actor.RU.war_cots").unwrap_err().to_string();
        assert!(e.contains("did you mean `war_cost`"), "{e}");
        let e = get(&doc, "actor.RU.utility").unwrap_err().to_string();
        assert!(e.contains("a table, not a number"), "{e}");
        let e = get(&doc, "actor.RU.war_cost.x").unwrap_err().to_string();
        assert!(e.contains("is a distribution"), "{e}");
    }

    #[test]
    fn set_replaces_a_distribution_and_keeps_the_rest() {
        let mut doc = parse(TEXT).unwrap();
        set(&mut doc, "protocol.breakdown", 0.02).unwrap();
        set(&mut doc, "actor.RU.utility.territory.T1", 0.7).unwrap();
        set(&mut doc, "simulation.runs", 300.0).unwrap();
        assert!(set(&mut doc, "simulation.runs", 300.5).is_err());
        let text = doc.to_string();
        assert!(text.contains("breakdown = 0.02   # keep me"), "{text}");
        assert!(text.contains("territory = [0.0, 0.7]"), "{text}");
        assert!(text.contains("runs = 300\n"), "{text}");
    }

    #[test]
    fn uncertain_lists_every_distribution_by_path() {
        let doc = parse(TEXT).unwrap();
        let names: Vec<String> = uncertain(&doc).into_iter().map(|(p, _)| p).collect();
        assert_eq!(
            names,
            [
                "protocol.breakdown",
                "issue.territory.options.T1.hazard_ratio",
                "actor.RU.war_cost",
                "actor.RU.utility.territory.T1"
            ]
        );
    }
}
