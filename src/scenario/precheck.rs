//! A first pass over the file that reports *every* structural problem at once, located: TOML
//! syntax errors (with recovery), unknown keys (with "did you mean"), missing required keys,
//! values of the wrong type, unknown distribution families and enum values.
//!
//! It walks the spanned TOML document ([`toml::de::DeTable`]) against the JSON Schema generated
//! from the raw structs ([`super::schema`]), so it accepts exactly what the loader accepts (the
//! schema closes every table; serde itself tolerates unknown keys so that, when they are the only
//! structural problems, the semantic checks can still run in the same pass). serde alone would
//! stop at the first problem; this pass lets an analyst fix a file in one go.

use super::diag::{Diagnostic, DiagnosticKind as Kind};
use super::{dist::FAMILIES, suggest};
use serde_json::Value as J;
use std::ops::Range;
use std::sync::OnceLock;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

fn schema() -> &'static J {
    static SCHEMA: OnceLock<J> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::from_str(&super::schema::json_schema()).expect("the generated schema is JSON"))
}

/// Every syntax and structure problem in `text`, in file order (empty if there is none).
pub fn precheck(text: &str) -> Vec<Diagnostic> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        return syntax(text, &errors);
    }
    if doc.get_ref().is_empty() {
        return vec![Diagnostic::error(
            Kind::Empty,
            None,
            "the scenario file has no keys (only comments or blank lines)",
            "start from an example: `armistice new NAME`, or copy scenarios/classic/two-party-toy.toml",
        )];
    }
    let mut w = Walker {
        diags: ids_and_text(doc.get_ref()),
    };
    w.table(doc.get_ref(), doc.span(), schema(), TOP);
    w.diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    w.diags
}

/// Syntax errors, keeping the first of each run of adjacent lines: a broken line often makes the
/// parser report follow-on errors on the lines after it.
fn syntax(text: &str, errors: &[toml::de::Error]) -> Vec<Diagnostic> {
    let mut last_line = 0usize;
    let mut out = vec![];
    for e in errors {
        let line = e
            .span()
            .map_or(0, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        let adjacent = !out.is_empty() && line <= last_line + 1;
        last_line = line;
        if adjacent {
            continue;
        }
        let msg = e.message().trim();
        let at = e.span().map(|sp| text.get(sp).unwrap_or("").trim()).unwrap_or("");
        let (msg, help) = if msg.contains("comma") || msg.contains("','") {
            (format!("TOML syntax: {msg}"), "a list [ ... ] or an inline table { ... } is not closed, or an inline table runs past the end of its line: check this line and the one above".to_string())
        } else if msg == "duplicate key" && !at.is_empty() {
            // the span is the key, or the name of a table header `[name]`
            let header = e
                .span()
                .is_some_and(|sp| text[..sp.start].trim_end_matches(' ').ends_with('['));
            if header {
                (
                    format!("TOML syntax: the table [{at}] is declared twice"),
                    format!(
                        "a table is written once: move these keys into the first [{at}] block and delete this header (a list of tables, such as the actors, is written [[actor]] for each)"
                    ),
                )
            } else {
                (
                    format!("TOML syntax: the key `{at}` is written twice in the same table"),
                    format!("each key appears once per table: delete one of the two `{at} = …` lines"),
                )
            }
        } else if msg.contains("recursion") || msg.contains("recurse") {
            (
                format!("TOML syntax: {msg}"),
                "lists or inline tables are nested too deeply: no key of a scenario needs more than four levels, e.g. red_lines = [ { options = [\"B2\"] } ]".to_string(),
            )
        } else {
            (
                format!("TOML syntax: {msg}"),
                "fix the syntax: text in \"quotes\", numbers unquoted, lists in [ ], one key = value per line"
                    .to_string(),
            )
        };
        out.push(Diagnostic::error(Kind::Syntax, e.span(), msg, help));
    }
    out
}

/// How the top level of the file is named in messages.
const TOP: &str = "the top level of the file";

struct Walker {
    diags: Vec<Diagnostic>,
}

fn resolve(s: &J) -> &J {
    // schemars wraps a described $ref as { allOf: [ { $ref } ], description }
    if let Some(J::Array(all)) = s.get("allOf")
        && all.len() == 1
    {
        return resolve(&all[0]);
    }
    match s
        .get("$ref")
        .and_then(J::as_str)
        .and_then(|r| r.strip_prefix("#/definitions/"))
    {
        Some(name) => &schema()["definitions"][name],
        None => s,
    }
}

fn kind(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "text",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a number",
        DeValue::Boolean(_) => "true/false",
        DeValue::Datetime(_) => "a date",
        DeValue::Array(_) => "a list",
        DeValue::Table(_) => "a table",
    }
}

fn is_number_schema(s: &J) -> bool {
    s.get("anyOf").and_then(J::as_array).is_some_and(|alts| {
        alts.iter()
            .any(|a| a.get("properties").is_some_and(|p| p.get("normal").is_some()))
    })
}

/// A short phrase for what the schema expects.
fn expected(s: &J) -> String {
    let s = resolve(s);
    if is_number_schema(s) {
        return "a number or a distribution such as { normal = [mean, sd] }".into();
    }
    if let Some(e) = s.get("enum").and_then(J::as_array) {
        return format!(
            "one of {}",
            e.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(", ")
        );
    }
    if let Some(alts) = s.get("anyOf").and_then(J::as_array) {
        return alts.iter().map(expected).collect::<Vec<_>>().join(" or ");
    }
    if let Some(c) = s.get("const") {
        return c.to_string();
    }
    match s.get("type").and_then(J::as_str) {
        Some("number") => "a number".into(),
        Some("integer") => "a whole number".into(),
        Some("string") if s.get("format").is_some_and(|f| f == "date") => "a date such as 2025-08-19 (unquoted)".into(),
        Some("string") => "text in quotes".into(),
        Some("boolean") => "true or false".into(),
        Some("array") => "a list [ ... ]".into(),
        Some("object") => "a table { ... }".into(),
        _ => "a valid value".into(),
    }
}

/// Whether `v` matches `s` (without reporting anything). With `strict`, a table matches only if
/// all its keys are properties of a closed table schema (used to pick an `anyOf` alternative).
fn matches(v: &DeValue, s: &J) -> bool {
    matches_with(v, s, false)
}

fn matches_with(v: &DeValue, s: &J, strict: bool) -> bool {
    let s = resolve(s);
    if let Some(alts) = s.get("anyOf").and_then(J::as_array) {
        return alts.iter().any(|a| matches_with(v, a, true));
    }
    if let Some(e) = s.get("enum").and_then(J::as_array) {
        return matches!(v, DeValue::String(x) if e.iter().any(|y| y.as_str() == Some(x.as_ref())));
    }
    if let Some(c) = s.get("const") {
        return match v {
            DeValue::String(x) => c.as_str() == Some(x.as_ref()),
            _ => false,
        };
    }
    match (s.get("type").and_then(J::as_str), v) {
        (Some("number"), DeValue::Integer(_) | DeValue::Float(_)) => true,
        (Some("integer"), DeValue::Integer(_)) => true,
        (Some("string"), DeValue::Datetime(_)) => s.get("format").is_some_and(|f| f == "date"),
        (Some("string"), DeValue::String(_)) => s.get("format").is_none_or(|f| f != "date"),
        (Some("boolean"), DeValue::Boolean(_)) => true,
        (Some("array"), DeValue::Array(_)) => true,
        (Some("object"), DeValue::Table(t)) => {
            !strict
                || s.get("properties").and_then(J::as_object).is_none_or(|p| {
                    s.get("additionalProperties") != Some(&J::Bool(false))
                        || t.keys().all(|k| p.contains_key(k.get_ref().as_ref()))
                })
        }
        (None, _) => true,
        _ => false,
    }
}

impl Walker {
    fn err(&mut self, kind: Kind, span: Range<usize>, msg: String, help: String) {
        self.diags.push(Diagnostic::error(kind, Some(span), msg, help));
    }

    fn value(&mut self, v: &Spanned<DeValue>, s: &J, path: &str) {
        let s = resolve(s);
        if is_number_schema(s) {
            return self.number(v, path);
        }
        if !matches(v.get_ref(), s) {
            let found = match v.get_ref() {
                DeValue::String(x) => format!("\"{x}\""),
                other => kind(other).to_string(),
            };
            let hint = match (v.get_ref(), s.get("enum").and_then(J::as_array)) {
                (DeValue::String(x), Some(e)) => suggest(x, e.iter().filter_map(J::as_str))
                    .map(|m| format!("did you mean \"{m}\"? "))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let fix = match (v.get_ref(), s.get("type").and_then(J::as_str)) {
                (DeValue::String(x), Some("array")) => format!("put it in a list: [\"{x}\"]. "),
                (DeValue::String(x), Some("number" | "integer")) => format!("write the number without quotes: {x}. "),
                (DeValue::String(_), Some("boolean")) => "write true or false, without quotes. ".to_string(),
                _ => String::new(),
            };
            let about = first_sentence(s);
            let about = if about.is_empty() {
                format!("write {}", expected(s))
            } else {
                about
            };
            self.err(
                Kind::WrongType,
                v.span(),
                format!("`{path}` expects {}, found {found}", expected(s)),
                format!("{hint}{fix}{about}"),
            );
            return;
        }
        match v.get_ref() {
            DeValue::Table(t) => {
                let alt = s
                    .get("anyOf")
                    .and_then(J::as_array)
                    .and_then(|alts| alts.iter().map(resolve).find(|a| matches_with(v.get_ref(), a, true)))
                    .unwrap_or(s);
                self.table(t, v.span(), alt, path);
            }
            DeValue::Array(items) => {
                let alt = s
                    .get("anyOf")
                    .and_then(J::as_array)
                    .and_then(|alts| alts.iter().map(resolve).find(|a| a.get("items").is_some()))
                    .unwrap_or(s);
                if let Some(item) = alt.get("items") {
                    for (j, it) in items.iter().enumerate() {
                        let name = match it.get_ref() {
                            DeValue::Table(t) => t
                                .get("id")
                                .and_then(|id| id.get_ref().as_str().map(|x| format!("{path} \"{x}\""))),
                            _ => None,
                        };
                        self.value(it, item, &name.unwrap_or_else(|| format!("{path} #{}", j + 1)));
                    }
                }
            }
            _ => {}
        }
    }

    fn number(&mut self, v: &Spanned<DeValue>, path: &str) {
        match v.get_ref() {
            DeValue::Integer(_) | DeValue::Float(_) => {}
            DeValue::Table(t) if t.contains_key("per") || t.contains_key("value") => {
                for (kind, span, msg, help) in super::units::precheck_rate(t, v.span(), path) {
                    self.err(kind, span, msg, help);
                }
                // the value itself is checked as a number without its unit
                let mut bare = t.clone();
                bare.remove("per");
                if bare.contains_key("value") {
                    // a non-numeric `value` is reported by `precheck_rate`
                } else if bare.len() == 1 {
                    self.number(&Spanned::new(v.span(), DeValue::Table(bare)), path);
                }
            }
            DeValue::Table(t) if t.len() == 1 => {
                let (k, params) = t.iter().next().expect("one entry");
                let family = k.get_ref().as_ref();
                let Some(n) = FAMILIES
                    .iter()
                    .position(|f| *f == family)
                    .map(|j| [2, 2, 3, 2, 2, 3][j])
                else {
                    let hint = suggest(family, FAMILIES.iter().copied())
                        .map(|m| format!(" (did you mean `{m}`?)"))
                        .unwrap_or_default();
                    return self.err(
                        Kind::UnknownValue,
                        k.span(),
                        format!("unknown distribution `{family}`{hint} in `{path}`"),
                        format!("use one of {}", FAMILIES.join(", ")),
                    );
                };
                let ok = matches!(params.get_ref(), DeValue::Array(a) if a.len() == n && a.iter().all(|x| matches!(x.get_ref(), DeValue::Integer(_) | DeValue::Float(_))));
                if !ok {
                    self.err(
                        Kind::WrongType,
                        params.span(),
                        format!("`{family}` in `{path}` takes a list of {n} numbers"),
                        format!("e.g. {}", example(family)),
                    );
                }
            }
            DeValue::Table(t) => {
                let span = v.span();
                self.err(
                    Kind::WrongType,
                    span,
                    format!(
                        "`{path}` names {} distributions; a distribution names exactly one",
                        t.len()
                    ),
                    "e.g. { normal = [0.4, 0.05] }".into(),
                );
            }
            other => self.err(
                Kind::WrongType,
                v.span(),
                format!("`{path}` expects a number or a distribution, found {}", kind(other)),
                "write a plain number (unquoted), or e.g. { normal = [0.4, 0.05] }".into(),
            ),
        }
    }

    fn table(&mut self, t: &DeTable, span: Range<usize>, s: &J, path: &str) {
        let s = resolve(s);
        let props = s.get("properties").and_then(J::as_object);
        let closed = s.get("additionalProperties") == Some(&J::Bool(false));
        let extra = s.get("additionalProperties").filter(|a| a.is_object());
        let mut suggested: Vec<String> = vec![];
        for (k, v) in t.iter() {
            let key = k.get_ref().as_ref();
            let sub = if path == TOP {
                key.to_string()
            } else {
                format!("{path}.{key}")
            };
            if let Some(p) = props.and_then(|p| p.get(key)) {
                self.value(v, p, &sub);
            } else if let Some(e) = extra {
                self.value(v, e, &sub);
            } else if closed {
                let names: Vec<&str> = props
                    .map(|p| p.keys().map(String::as_str).collect())
                    .unwrap_or_default();
                let near = suggest(key, names.iter().copied());
                suggested.extend(near.map(str::to_string));
                let hint = near.map(|m| format!("did you mean `{m}`? ")).unwrap_or_default();
                self.err(
                    Kind::UnknownKey,
                    k.span(),
                    format!("unknown field `{key}` in {}", place(path)),
                    format!("{hint}valid keys here: {}", names.join(", ")),
                );
            }
        }
        for r in s
            .get("required")
            .and_then(J::as_array)
            .into_iter()
            .flatten()
            .filter_map(J::as_str)
        {
            // a misspelt required key is reported once, as the unknown key with its correction
            if !t.contains_key(r) && !suggested.iter().any(|x| x == r) {
                let what = props.and_then(|p| p.get(r)).map(first_sentence).unwrap_or_default();
                let header = span.start..(span.start + 1).min(span.end.max(span.start + 1));
                self.err(
                    Kind::MissingKey,
                    header,
                    format!("missing field `{r}` in {}", place(path)),
                    format!("{}. {what}", add_hint(props.and_then(|p| p.get(r)), r)),
                );
            }
        }
    }
}

/// "`actor \"RU\"`", or the top level unquoted.
fn place(path: &str) -> String {
    if path == TOP {
        path.to_string()
    } else {
        format!("`{path}`")
    }
}

/// How to add a missing key: a `[table]` for table-valued keys, `key = …` otherwise.
fn add_hint(prop: Option<&J>, key: &str) -> String {
    let is_table = prop
        .map(resolve)
        .is_some_and(|x| x.get("type").is_some_and(|t| t == "object"));
    if is_table {
        format!("add a `[{key}]` table")
    } else {
        format!("add `{key} = …`")
    }
}

fn example(family: &str) -> &'static str {
    match family {
        "normal" => "{ normal = [mean, sd] }",
        "uniform" => "{ uniform = [low, high] }",
        "triangular" => "{ triangular = [min, mode, max] }",
        "beta" => "{ beta = [alpha, beta] }",
        "lognormal" => "{ lognormal = [mu, sigma] }",
        _ => "{ pert = [min, mode, max] }",
    }
}

/// The first sentence of a schema description (for help lines).
fn first_sentence(s: &J) -> String {
    let d = s
        .get("description")
        .and_then(J::as_str)
        .unwrap_or("")
        .replace('\n', " ");
    match d.find(". ") {
        Some(i) => d[..=i].to_string(),
        None => d,
    }
}

/// The longest id, in characters.
pub const MAX_ID_LEN: usize = 64;

/// What is wrong with `id` under the one rule for ids (`None` if it is safe): ASCII letters,
/// digits, `-`, `_` and `.`, starting with a letter or a digit, at most [`MAX_ID_LEN`]
/// characters. So no id can name a path outside its output folder (`..`, `a/b`), look like an
/// option (`-rf`) or put control characters on a terminal or in a file.
pub fn unsafe_id(id: &str) -> Option<String> {
    let n = id.chars().count();
    if n > MAX_ID_LEN {
        return Some(format!("it has {n} characters, more than {MAX_ID_LEN}"));
    }
    let first = id.chars().next()?;
    if !first.is_ascii_alphanumeric() {
        return Some(format!("it starts with {}", shown_char(first)));
    }
    id.chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map(|c| format!("{} is not allowed", shown_char(c)))
}

fn shown_char(c: char) -> String {
    if c.is_control() || c == ' ' {
        format!("the character U+{:04X}", c as u32)
    } else {
        format!("`{c}`")
    }
}

/// `s` for a message: control characters escaped, at most 40 characters (then "…").
pub fn shown(s: &str) -> String {
    let mut out: String = s.chars().take(40).flat_map(char::escape_debug).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Where ids are declared: a top-level array of tables, and the list inside each that holds them
/// (`None`: the tables' own `id`).
type IdPlace = (&'static str, Option<&'static str>);

/// The kinds of id that must be unique among themselves (the same groups as the loader's
/// lookups): `(what, table, nested list)`; actors and bodies share one group. Ids in a nested
/// list (an issue's options) need only be unique within their table.
const ID_GROUPS: &[(&str, &[IdPlace])] = &[
    ("actor or body", &[("actor", None), ("body", None)]),
    ("issue", &[("issue", None)]),
    ("option", &[("issue", Some("options"))]),
    ("ratifier", &[("ratifier", None)]),
    ("event", &[("event", None)]),
];

/// Every id of the file against the id rule, every declared id against the others of its group,
/// and every other text and key for control characters. Found even when other structural
/// problems stop the semantic checks, so a file's unsafe and duplicate ids are reported with
/// its missing keys.
pub fn ids_and_text(doc: &DeTable) -> Vec<Diagnostic> {
    let mut out = vec![];
    text_walk(doc, &mut out);
    for (what, places) in ID_GROUPS {
        let mut seen: Vec<&str> = vec![];
        for (table, nested) in *places {
            let Some(DeValue::Array(items)) = doc.get(*table).map(Spanned::get_ref) else {
                continue;
            };
            let tables = items.iter().filter_map(|t| match t.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            });
            // `None` marks the end of one table's nested list (its ids start a new group)
            let ids: Vec<Option<&Spanned<DeValue>>> = match nested {
                None => tables.filter_map(|t| t.get("id")).map(Some).collect(),
                Some(list) => tables
                    .filter_map(|t| match t.get(*list).map(Spanned::get_ref) {
                        Some(DeValue::Array(opts)) => Some(opts),
                        _ => None,
                    })
                    .flat_map(|opts| {
                        opts.iter()
                            .filter_map(|o| match o.get_ref() {
                                DeValue::Table(o) => o.get("id"),
                                _ => None,
                            })
                            .map(Some)
                            .chain([None])
                    })
                    .collect(),
            };
            for id in ids {
                let Some(id) = id else {
                    seen.clear();
                    continue;
                };
                let Some(x) = id.get_ref().as_str() else { continue };
                if unsafe_id(x).is_some() || x.is_empty() {
                    continue; // reported by the id rule
                }
                if seen.contains(&x) {
                    out.push(Diagnostic::error(
                        Kind::DuplicateId,
                        Some(id.span()),
                        format!("duplicate {what} id `{x}`"),
                        format!("every {what} needs its own id"),
                    ));
                } else {
                    seen.push(x);
                }
            }
        }
    }
    out
}

/// The id rule at every key `id`, control characters in every other string and key.
fn text_walk(t: &DeTable, out: &mut Vec<Diagnostic>) {
    for (k, v) in t.iter() {
        let key = k.get_ref().as_ref();
        if let Some(c) = key.chars().find(|c| c.is_control()) {
            out.push(Diagnostic::error(
                Kind::UnknownValue,
                Some(k.span()),
                format!(
                    "the key `{}` contains a control character (U+{:04X})",
                    shown(key),
                    c as u32
                ),
                "remove it: keys are ids or key names, which never contain control characters",
            ));
        }
        match v.get_ref() {
            DeValue::String(x) if key == "id" => {
                if x.is_empty() {
                    out.push(Diagnostic::error(
                        Kind::InvalidId,
                        Some(v.span()),
                        "empty id",
                        "give it a short id such as \"RU\" or \"territory\"",
                    ));
                } else if let Some(why) = unsafe_id(x) {
                    out.push(Diagnostic::error(
                        Kind::InvalidId,
                        Some(v.span()),
                        format!("id `{}` is not a safe id: {why}", shown(x)),
                        format!(
                            "ids use ASCII letters, digits, `-`, `_` and `.`, start with a letter or a digit and have at most {MAX_ID_LEN} characters, e.g. \"ukraine-2025-08\" or \"T4\" (ids name output folders and appear in every report)"
                        ),
                    ));
                }
            }
            _ => value_walk(v, out),
        }
    }
}

fn value_walk(v: &Spanned<DeValue>, out: &mut Vec<Diagnostic>) {
    match v.get_ref() {
        DeValue::String(x) => {
            if let Some(c) = x.chars().find(|&c| c.is_control() && c != '\n' && c != '\t') {
                out.push(Diagnostic::error(
                    Kind::UnknownValue,
                    Some(v.span()),
                    format!("the text \"{}\" contains a control character (U+{:04X})", shown(x), c as u32),
                    "remove it: text may hold line breaks and tabs, but no other control characters (escapes such as \\u001b or \\e would reach terminals and reports)",
                ));
            }
        }
        DeValue::Array(items) => items.iter().for_each(|it| value_walk(it, out)),
        DeValue::Table(t) => text_walk(t, out),
        _ => {}
    }
}
