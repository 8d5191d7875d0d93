//! Rates and times carry their unit (`docs/model.md` §9.5): a scenario may state a rate per day,
//! week, month, quarter or year, and a duration or a date instead of a count of rounds; the loader
//! converts both to the scenario's `round_length`, so everything downstream sees per-round numbers
//! exactly as before.
//!
//! **Rates.** Any rate key takes `per = "<unit>"` next to its value:
//! `war_cost = { value = 0.02, per = "month" }` or `war_cost = { pert = [0.1, 0.2, 0.3], per =
//! "year" }`. With `r = Δ/u` (the round length over the stated unit, both in years):
//!
//! | kind ([`RateKind`]) | keys | per round |
//! |---|---|---|
//! | flow | `war_cost`, an event's `war_cost` change, frontline and belief `drift` | `x·r` |
//! | volatility | frontline `sd` | `σ·√r` |
//! | discount | `discount`, an event's `discount = { set }` | `δ^r` |
//! | hazard | event `hazard`, `breakthrough.probability` (and beliefs'), `protocol.breakdown` | `1 − (1 − h)^r` |
//!
//! The conversion is applied to each *drawn* value ([`Conversion::apply`]): a distribution keeps
//! its single random word per run, so runs keep common random numbers whatever the unit. When
//! `r = 1` (the unit is the round length) the number is left exactly as written.
//!
//! **Times.** `horizon`, `protocol.deadline`, an event's `at_round` and `duration` and a
//! ratifier's `lag` may be a duration in quotes (`"6 months"`) and, for `at_round` and `deadline`,
//! a TOML date (`2025-11-27`): see [`rewrite_times`] for the rounding rules.

use super::diag::{Diagnostic, DiagnosticKind as Kind};
use super::dist::Dist;
use super::raw::{RawChange, RawScenario, S};
use super::suggest;
use serde::Serialize;
use std::ops::Range;
use toml::de::{DeTable, DeValue};

/// A unit of time a rate or a duration is stated in. A month is 1/12 year, a quarter 1/4 year, a
/// week 7 days, a year 365.25 days (the Julian year), the same constants as `round_length`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeUnit {
    /// One day, 1/365.25 year.
    Day,
    /// Seven days.
    Week,
    /// 1/12 year (30.4375 days).
    Month,
    /// 1/4 year.
    Quarter,
    /// 365.25 days.
    Year,
}

/// The unit words accepted by `per`, in the order documentation lists them.
pub const UNITS: [&str; 5] = ["day", "week", "month", "quarter", "year"];

impl TimeUnit {
    /// The unit named by `word` (singular, as in `per = "month"`).
    pub fn parse(word: &str) -> Option<TimeUnit> {
        Some(match word {
            "day" => TimeUnit::Day,
            "week" => TimeUnit::Week,
            "month" => TimeUnit::Month,
            "quarter" => TimeUnit::Quarter,
            "year" => TimeUnit::Year,
            _ => return None,
        })
    }

    /// The unit's word.
    pub fn word(self) -> &'static str {
        UNITS[self as usize]
    }

    /// Length in years, computed exactly as `round_length` is, so that `per = "month"` at
    /// `round_length = "1 month"` gives a ratio of exactly 1.
    pub fn years(self) -> f64 {
        match self {
            TimeUnit::Day => 1.0 / 365.25,
            TimeUnit::Week => 7.0 / 365.25,
            TimeUnit::Month => 1.0 / 12.0,
            TimeUnit::Quarter => 0.25,
            TimeUnit::Year => 1.0,
        }
    }
}

/// How a rate scales with the length of the period it is stated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RateKind {
    /// A flow or a drift, additive over time: `x·r`.
    Flow,
    /// The standard deviation of a random walk's step: `σ·√r`.
    Volatility,
    /// A discount factor, multiplicative over time: `δ^r`.
    Discount,
    /// A probability per period of a constant-hazard event: `1 − (1 − h)^r`.
    Hazard,
}

/// The conversion of a rate stated per `unit` to a rate per round, `ratio = round length / unit`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Conversion {
    /// How the rate scales.
    pub kind: RateKind,
    /// The unit the scenario states it in.
    pub unit: TimeUnit,
    /// Round length over the unit, `Δ/u > 0`.
    pub ratio: f64,
}

impl Conversion {
    /// The per-round value of a drawn rate `x`. A hazard or a discount outside [0, 1] is clamped
    /// into it first (its domain), so that the power is defined.
    pub fn apply(&self, x: f64) -> f64 {
        let r = self.ratio;
        match self.kind {
            RateKind::Flow => x * r,
            RateKind::Volatility => x * r.sqrt(),
            RateKind::Discount => x.clamp(0.0, 1.0).powf(r),
            RateKind::Hazard => 1.0 - (1.0 - x.clamp(0.0, 1.0)).powf(r),
        }
    }

    /// The stated-unit value whose per-round value is `y` (the conversions are increasing, so a
    /// converted distribution's CDF is the base CDF at the inverse). Outside the image of a
    /// bounded kind: ∓∞.
    pub fn invert(&self, y: f64) -> f64 {
        let r = self.ratio;
        match self.kind {
            RateKind::Flow => y / r,
            RateKind::Volatility => y / r.sqrt(),
            RateKind::Discount | RateKind::Hazard if y < 0.0 => f64::NEG_INFINITY,
            RateKind::Discount | RateKind::Hazard if y > 1.0 => f64::INFINITY,
            RateKind::Discount => y.powf(1.0 / r),
            RateKind::Hazard => 1.0 - (1.0 - y).powf(1.0 / r),
        }
    }

    /// The derivative of [`Conversion::apply`] at `x` (for the delta-method standard deviation).
    pub fn slope(&self, x: f64) -> f64 {
        let r = self.ratio;
        match self.kind {
            RateKind::Flow => r,
            RateKind::Volatility => r.sqrt(),
            RateKind::Discount => r * x.clamp(0.0, 1.0).powf(r - 1.0),
            RateKind::Hazard => r * (1.0 - x.clamp(0.0, 1.0)).powf(r - 1.0),
        }
    }
}

/// The rate keys of a scenario and how each converts; used by docs and by errors.
pub const RATE_KEYS: &str = "war_cost, discount, frontline drift and sd, breakthrough probability, event hazard, \
an event's war_cost or discount change, protocol breakdown, and an actor's beliefs (drift, hazard, breakthrough probability)";

/// Converts every rate written with `per` to the round length of `raw`; returns the problems
/// found (an out-of-domain rate, a `per` on a discount `add`). A rate `Dist::PerUnit` left after
/// this pass sits on a key that is not a rate: validation reports it where the key is read.
pub fn resolve_rates(raw: &mut RawScenario) -> Vec<Diagnostic> {
    let mut diags = vec![];
    // no round_length: a rate with `per` is an error naming it ([`convert_slot`])
    let delta = match &raw.scenario.get_ref().round_length {
        None => None,
        Some(len) => match round_years(len.get_ref()) {
            Some(d) => Some(d),
            None => return diags, // reported by the metadata check
        },
    };
    let mut go = |slot: &mut S<Dist>, kind: RateKind, what: &str| {
        if let Some(d) = convert_slot(slot, kind, delta, what) {
            diags.push(d);
        }
    };
    let opt =
        |slot: &mut Option<S<Dist>>, kind: RateKind, what: &str, go: &mut dyn FnMut(&mut S<Dist>, RateKind, &str)| {
            if let Some(s) = slot {
                go(s, kind, what);
            }
        };
    if let Some(p) = &mut raw.protocol {
        opt(&mut p.breakdown, RateKind::Hazard, "breakdown", &mut go);
    }
    for issue in &mut raw.issue {
        let Some(f) = issue.get_mut().frontline.as_mut() else {
            continue;
        };
        let f = f.get_mut();
        opt(&mut f.drift, RateKind::Flow, "drift", &mut go);
        opt(&mut f.sd, RateKind::Volatility, "sd", &mut go);
        if let Some(b) = &mut f.breakthrough {
            go(&mut b.probability, RateKind::Hazard, "breakthrough probability");
        }
    }
    for actor in &mut raw.actor {
        let a = actor.get_mut();
        opt(&mut a.discount, RateKind::Discount, "discount", &mut go);
        opt(&mut a.war_cost, RateKind::Flow, "war_cost", &mut go);
        if let Some(beliefs) = &mut a.beliefs {
            for b in beliefs.get_mut().values_mut() {
                let b = b.get_mut();
                opt(&mut b.drift, RateKind::Flow, "belief drift", &mut go);
                opt(&mut b.hazard, RateKind::Hazard, "belief hazard", &mut go);
                if let Some(bt) = &mut b.breakthrough {
                    opt(
                        &mut bt.probability,
                        RateKind::Hazard,
                        "belief breakthrough probability",
                        &mut go,
                    );
                }
            }
        }
    }
    for event in &mut raw.event {
        let e = event.get_mut();
        opt(&mut e.hazard, RateKind::Hazard, "hazard", &mut go);
        for effect in &mut e.effects {
            let ef = effect.get_mut();
            if let Some(c) = change(&mut ef.war_cost) {
                opt(&mut c.add, RateKind::Flow, "war_cost add", &mut go);
                opt(&mut c.set, RateKind::Flow, "war_cost set", &mut go);
            }
            if let Some(c) = change(&mut ef.discount) {
                opt(&mut c.set, RateKind::Discount, "discount set", &mut go);
            }
        }
    }
    diags
}

fn change(c: &mut Option<S<RawChange>>) -> Option<&mut RawChange> {
    c.as_mut().map(S::get_mut)
}

/// Converts one slot if it carries a unit; an error if its stated value is outside the kind's
/// domain (the conversion would hide it by clamping).
fn convert_slot(slot: &mut S<Dist>, kind: RateKind, delta: Option<f64>, what: &str) -> Option<Diagnostic> {
    let Dist::PerUnit(base, unit) = slot.get_ref() else {
        return None;
    };
    let (base, unit) = ((**base).clone(), *unit);
    let Some(delta) = delta else {
        *slot = S::new(slot.span(), base); // reported once, here
        return Some(no_round_length(
            slot.span(),
            &format!("`{what}` is a rate per {}", unit.word()),
            ", or write the rate per round without `per`",
        ));
    };
    if let Dist::Fixed(x) = base {
        let bad = match kind {
            RateKind::Hazard if !(0.0..=1.0).contains(&x) => Some("a probability per period in [0, 1]"),
            RateKind::Discount if !(x > 0.0 && x <= 1.0) => Some("a discount factor per period in (0, 1]"),
            RateKind::Volatility if x < 0.0 => Some("a standard deviation >= 0"),
            _ => None,
        };
        if let Some(want) = bad {
            // a value inside the domain in its place, so that the error is reported once
            let safe = if kind == RateKind::Discount { 1.0 } else { 0.0 };
            *slot = S::new(slot.span(), Dist::Fixed(safe));
            return Some(Diagnostic::error(
                Kind::OutOfRange,
                Some(slot.span()),
                format!("`{what}` = {x} per {} is outside its domain", unit.word()),
                format!(
                    "a rate per {} must be {want}; it is converted to the round length after it is checked",
                    unit.word()
                ),
            ));
        }
    }
    let conv = Conversion {
        kind,
        unit,
        ratio: delta / unit.years(),
    };
    let converted = if conv.ratio == 1.0 {
        base
    } else {
        match base {
            Dist::Fixed(x) => Dist::Fixed(conv.apply(x)),
            other => Dist::Converted(Box::new(other), conv),
        }
    };
    *slot = S::new(slot.span(), converted);
    None
}

/// The located error for something stated in calendar time (`what`: "`war_cost` is a rate per
/// month") in a scenario without `round_length`; `or` is the other fix, if any (", or ...").
pub(crate) fn no_round_length(span: Range<usize>, what: &str, or: &str) -> Diagnostic {
    Diagnostic::error(
        Kind::MissingKey,
        Some(span),
        format!("{what}, but the scenario has no round_length"),
        format!("add round_length = \"1 month\" (the calendar length of one round) to [scenario]{or}"),
    )
}

/// The located error for a date in a scenario without `as_of` (`what`: "`deadline` is a date");
/// `or` is the other fix, if any (", or ...").
pub(crate) fn no_as_of(span: Range<usize>, what: &str, or: &str) -> Diagnostic {
    Diagnostic::error(
        Kind::MissingKey,
        Some(span),
        format!("{what}, but the scenario is undated (no as_of)"),
        format!("add as_of = 2025-08-19 (the date the scenario describes) to [scenario]{or}"),
    )
}

/// The located error for a `per` on a key that is not a rate (validation calls it on a
/// `Dist::PerUnit` left after [`resolve_rates`]).
pub(crate) fn not_a_rate(span: Range<usize>, what: &str) -> Diagnostic {
    Diagnostic::error(
        Kind::WrongType,
        Some(span),
        format!("`{what}` is not a rate: it takes no `per`"),
        format!("write the value without `per` (a plain number or {{ family = [...] }}); `per` applies to {RATE_KEYS}"),
    )
}

/// The precheck of a number written as a table with a `per` key: `{ value = x, per = "unit" }`
/// or `{ <family> = [...], per = "unit" }`. Returns the problems as (kind, span, message, help).
pub(crate) fn precheck_rate(t: &DeTable, span: Range<usize>, path: &str) -> Vec<(Kind, Range<usize>, String, String)> {
    let mut out = vec![];
    if !t.contains_key("per") {
        out.push((
            Kind::WrongType,
            span.clone(),
            format!("`{path}` has a `value` but no `per`"),
            "`value` goes with a unit: write { value = 0.02, per = \"month\" }, or a plain number for a rate per round"
                .into(),
        ));
        return out;
    }
    for (k, v) in t.iter() {
        if k.get_ref().as_ref() != "per" {
            continue;
        }
        match v.get_ref() {
            DeValue::String(s) if TimeUnit::parse(s).is_some() => {}
            DeValue::String(s) => {
                let hint = suggest(s.trim_end_matches('s'), UNITS.iter().copied())
                    .map(|m| format!("did you mean \"{m}\"? "))
                    .unwrap_or_default();
                out.push((
                    Kind::UnknownValue,
                    v.span(),
                    format!("unknown time unit \"{s}\" in `{path}`"),
                    format!("{hint}write per = one of \"{}\"", UNITS.join("\", \"")),
                ));
            }
            _ => out.push((
                Kind::WrongType,
                v.span(),
                format!("`per` in `{path}` expects a unit in quotes"),
                format!("write per = one of \"{}\"", UNITS.join("\", \"")),
            )),
        }
    }
    let rest: Vec<_> = t.iter().filter(|(k, _)| k.get_ref().as_ref() != "per").collect();
    if rest.len() != 1 {
        out.push((
            Kind::WrongType,
            span,
            format!("`{path}` with `per` needs exactly one value: `value = x` or one distribution"),
            "e.g. { value = 0.02, per = \"month\" } or { pert = [0.1, 0.2, 0.4], per = \"year\" }".into(),
        ));
    } else if rest[0].0.get_ref().as_ref() == "value"
        && !matches!(rest[0].1.get_ref(), DeValue::Integer(_) | DeValue::Float(_))
    {
        out.push((
            Kind::WrongType,
            rest[0].1.span(),
            format!("`value` in `{path}` expects a number"),
            "write the number unquoted, e.g. { value = 0.02, per = \"month\" }".into(),
        ));
    }
    out
}

/// The JSON schema of a count of rounds that may also be written as a duration (`"6 months"`).
pub(crate) fn rounds_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({ "anyOf": [
        { "type": "integer" },
        { "type": "string", "pattern": "^\\s*[0-9]+(\\.[0-9]+)?\\s+(day|week|month|quarter|year)s?\\s*$",
          "description": "a duration converted to rounds: \"6 months\", \"3 weeks\", \"1 year\"" }
    ] })
}

/// The JSON schema of a round index that may also be a duration from `as_of` or a TOML date.
pub(crate) fn round_or_date_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let mut s = rounds_schema(g);
    if let Some(serde_json::Value::Array(alts)) = s.get_mut("anyOf") {
        alts.push(serde_json::json!({ "type": "string", "format": "date",
            "description": "a TOML date, unquoted, on or after as_of: 2025-11-27" }));
    }
    s
}

/// The keys that hold a count of rounds, where each may be written (table path, key, whether a
/// date is allowed, whether the count is a duration that must be at least 1).
const TIME_KEYS: [(&str, &str, bool, bool); 5] = [
    ("scenario", "horizon", false, true),
    ("protocol", "deadline", true, true),
    ("event", "at_round", true, false),
    ("event", "duration", false, true),
    ("ratifier", "lag", false, false),
];

/// Rewrites the times written as durations or dates into whole rounds, in place and padded with
/// spaces to the same length so that every byte offset (and so every diagnostic's location) is
/// unchanged. Returns the text to parse and the problems found (each replaced value is then `1`).
///
/// Rules, with `Δ` the round length in days (a month = 30.4375 days):
/// - a duration `"n unit"` becomes `round(n·u/Δ)` rounds (to the nearest, halves away from zero),
///   at least 1 for `horizon`, `deadline` and `duration`;
/// - a date `D` (for `at_round` and `deadline`) becomes `⌈(D − as_of)/Δ⌉`: the first round that
///   starts on or after `D` (an event dated `D` fires at its start; a deadline `D` lets every round
///   that starts before `D` be played). A date before `as_of` is an error.
pub fn rewrite_times(text: &str) -> (String, Vec<Diagnostic>) {
    let mut diags = vec![];
    let Ok(doc) = DeTable::parse(text) else {
        return (text.to_string(), diags); // precheck reports the syntax
    };
    let top = doc.get_ref();
    let meta = top.get("scenario").and_then(|m| match m.get_ref() {
        DeValue::Table(t) => Some(t),
        _ => None,
    });
    let delta_years = meta
        .and_then(|m| m.get("round_length"))
        .and_then(|v| v.get_ref().as_str())
        .and_then(round_years);
    let as_of = meta.and_then(|m| m.get("as_of")).and_then(|v| match v.get_ref() {
        DeValue::Datetime(d) => d
            .date
            .map(|d| days_from_civil(i64::from(d.year), d.month.into(), d.day.into())),
        _ => None,
    });
    let has_round_length = meta.is_some_and(|m| m.contains_key("round_length"));
    let has_as_of = meta.is_some_and(|m| m.contains_key("as_of"));
    let mut edits: Vec<(Range<usize>, i64)> = vec![];
    for (table, key, date_ok, at_least_one) in TIME_KEYS {
        let Some(t) = top.get(table) else { continue };
        let tables: Vec<&DeTable> = match t.get_ref() {
            DeValue::Table(t) => vec![t],
            DeValue::Array(a) => a
                .iter()
                .filter_map(|x| match x.get_ref() {
                    DeValue::Table(t) => Some(t),
                    _ => None,
                })
                .collect(),
            _ => vec![],
        };
        for t in tables {
            let Some(v) = t.get(key) else { continue };
            let span = v.span();
            let rounds = match v.get_ref() {
                DeValue::String(s) => {
                    let Some(delta) = delta_years else {
                        if !has_round_length && parse_duration(s).is_some() {
                            diags.push(no_round_length(
                                span.clone(),
                                &format!("`{key}` = \"{s}\" is a duration"),
                                ", or give a number of rounds",
                            ));
                            edits.push((span, 1));
                        }
                        continue;
                    };
                    match parse_duration(s) {
                        Some(years) => {
                            let n = (years / delta).round() as i64;
                            Ok(if at_least_one { n.max(1) } else { n })
                        }
                        None => Err((
                            format!("cannot read `{key}` = \"{s}\" as a duration"),
                            format!(
                                "write a count of rounds (a whole number), or a count and a unit in quotes: \"6 months\", \"3 weeks\"{}",
                                if date_ok { ", or a date such as 2025-11-27" } else { "" }
                            ),
                        )),
                    }
                }
                DeValue::Datetime(d) if date_ok => {
                    let (Some(delta), Some(start)) = (delta_years, as_of) else {
                        let what = format!("`{key}` = {d} is a date");
                        if !has_as_of {
                            diags.push(no_as_of(
                                span.clone(),
                                &what,
                                ", or count rounds instead of giving a date",
                            ));
                        } else if !has_round_length {
                            diags.push(no_round_length(span.clone(), &what, ", or give a number of rounds"));
                        } else {
                            continue; // an unreadable as_of or round_length: reported by the metadata check
                        }
                        edits.push((span, 1));
                        continue;
                    };
                    match (d.date, d.time) {
                        (Some(date), None) => {
                            let days =
                                days_from_civil(i64::from(date.year), date.month.into(), date.day.into()) - start;
                            if days < 0 {
                                Err((
                                    format!("`{key}` = {d} is before the scenario's as_of date"),
                                    "a date counts rounds from as_of: give a date on or after it, or a number of rounds".into(),
                                ))
                            } else {
                                let x = days as f64 / (delta * 365.25);
                                Ok((x - 1e-9).ceil().max(0.0) as i64)
                            }
                        }
                        _ => Err((
                            format!("`{key}` = {d} is not a date"),
                            "write a TOML date without a time, e.g. 2025-11-27".into(),
                        )),
                    }
                }
                _ => continue, // integers stay; other types are reported by the precheck
            };
            match rounds {
                Ok(n) if n.to_string().len() <= span.len() => edits.push((span, n)),
                Ok(n) => diags.push(Diagnostic::error(
                    Kind::OutOfRange,
                    Some(span),
                    format!("`{key}` comes to {n} rounds, too many"),
                    "write the number of rounds directly",
                )),
                Err((msg, help)) => {
                    diags.push(Diagnostic::error(Kind::WrongType, Some(span.clone()), msg, help));
                    edits.push((span, 1));
                }
            }
        }
    }
    let mut out = text.to_string();
    for (span, n) in edits {
        let w = span.len();
        out.replace_range(span, &format!("{n:<w$}"));
    }
    (out, diags)
}

/// `"6 months"` → 0.5 years: a non-negative count and a unit word (singular or plural).
pub fn parse_duration(s: &str) -> Option<f64> {
    let mut parts = s.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    let unit = TimeUnit::parse(parts.next()?.trim_end_matches('s'))?;
    (parts.next().is_none() && n >= 0.0 && n.is_finite()).then(|| n * unit.years())
}

/// The round length in years, read exactly as the metadata check reads `round_length`.
fn round_years(s: &str) -> Option<f64> {
    parse_duration(s).filter(|&y| y > 0.0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(kind: RateKind, unit: TimeUnit, round: f64) -> Conversion {
        Conversion {
            kind,
            unit,
            ratio: round / unit.years(),
        }
    }

    /// Each conversion against its closed form: a yearly cost of 0.12 is 0.01 a month; a yearly
    /// discount of 0.9 is 0.9^(1/12) a month; a yearly hazard of 0.2 leaves 0.8^(1/12) survival a
    /// month; a monthly sd of 0.3 is 0.3·√(7/30.4375) a week; twelve monthly rounds of a converted
    /// hazard compound back to the yearly one.
    #[test]
    fn conversions_match_closed_forms() {
        let month = 1.0 / 12.0;
        let week = 7.0 / 365.25;
        assert!((conv(RateKind::Flow, TimeUnit::Year, month).apply(0.12) - 0.01).abs() < 1e-15);
        assert!((conv(RateKind::Flow, TimeUnit::Day, week).apply(0.5) - 3.5).abs() < 1e-12);
        assert!((conv(RateKind::Discount, TimeUnit::Year, month).apply(0.9) - 0.9f64.powf(1.0 / 12.0)).abs() < 1e-15);
        let h = conv(RateKind::Hazard, TimeUnit::Year, month).apply(0.2);
        assert!((h - (1.0 - 0.8f64.powf(1.0 / 12.0))).abs() < 1e-15);
        assert!(
            ((1.0 - h).powi(12) - 0.8).abs() < 1e-12,
            "12 monthly survivals make the yearly one"
        );
        let s = conv(RateKind::Volatility, TimeUnit::Month, week).apply(0.3);
        assert!((s - 0.3 * (7.0 / 30.4375f64).sqrt()).abs() < 1e-12);
        // 4 weekly variances (plus the rest of the month) add up to the monthly one
        assert!((s * s * 30.4375 / 7.0 - 0.09).abs() < 1e-12);
        // the ratio is exactly 1 when the unit is the round length
        for (u, round) in [(TimeUnit::Month, month), (TimeUnit::Week, week), (TimeUnit::Year, 1.0)] {
            assert_eq!(round / u.years(), 1.0);
        }
    }

    /// `invert` undoes `apply`, and `slope` is its derivative (central difference).
    #[test]
    fn inverse_and_slope_are_consistent() {
        for kind in [
            RateKind::Flow,
            RateKind::Volatility,
            RateKind::Discount,
            RateKind::Hazard,
        ] {
            let c = conv(kind, TimeUnit::Year, 7.0 / 365.25);
            for x in [0.05, 0.3, 0.9] {
                assert!((c.invert(c.apply(x)) - x).abs() < 1e-12, "{kind:?} {x}");
                let num = (c.apply(x + 1e-6) - c.apply(x - 1e-6)) / 2e-6;
                assert!(
                    (num - c.slope(x)).abs() < 1e-6 * c.slope(x).abs().max(1.0),
                    "{kind:?} {x}"
                );
            }
        }
    }

    #[test]
    fn durations_and_dates_are_read() {
        assert_eq!(parse_duration("6 months"), Some(0.5));
        assert_eq!(parse_duration("1 year"), Some(1.0));
        assert_eq!(parse_duration("3 weeks"), Some(3.0 * (7.0 / 365.25)));
        assert_eq!(parse_duration("6 moons"), None);
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2025, 11, 27) - days_from_civil(2025, 8, 19), 100);
        assert_eq!(days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28), 2);
    }

    /// Durations and dates become whole rounds in place, keeping every byte offset.
    #[test]
    fn times_are_rewritten_in_place() {
        let text = "[scenario]\nround_length = \"1 month\"\nas_of = 2025-08-19\nhorizon = \"2 years\"\n\
                    [[event]]\nat_round = 2025-11-27\nduration = \"3 weeks\"\n[[event]]\nat_round = 2025-08-19\n";
        let (out, diags) = rewrite_times(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(out.len(), text.len());
        let t: toml::Table = toml::from_str(&out).unwrap();
        assert_eq!(t["scenario"]["horizon"].as_integer(), Some(24));
        // 100 days / 30.4375 = 3.29 → round 4 is the first to start on or after the date
        assert_eq!(t["event"][0]["at_round"].as_integer(), Some(4));
        // 21 / 30.4375 = 0.69 → 1 round
        assert_eq!(t["event"][0]["duration"].as_integer(), Some(1));
        assert_eq!(t["event"][1]["at_round"].as_integer(), Some(0));
        let (_, diags) = rewrite_times(&text.replace("at_round = 2025-11-27", "at_round = 2025-01-27"));
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].message.contains("before the scenario's as_of"),
            "{:?}",
            diags[0]
        );
    }
}
