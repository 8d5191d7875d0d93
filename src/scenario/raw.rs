//! The scenario file as written: serde structs that mirror the TOML one to one.
//!
//! Every table denies unknown keys, so a misspelt key is an error located at the key. Values that
//! later checks must point at (ids, references, numbers with domains) are wrapped in
//! [`toml::Spanned`] so validation errors carry the line and column of the offending value.
//! Nothing here is interpreted: [`super::validate`] turns a [`RawScenario`] into a
//! [`super::Scenario`].

use super::dist::Dist;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

/// A located value.
pub type S<T> = Spanned<T>;

/// The whole file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub scenario: S<RawMeta>,
    #[serde(default)]
    pub simulation: Option<RawSimulation>,
    #[serde(default)]
    pub protocol: Option<RawProtocol>,
    #[serde(default)]
    pub issue: Vec<S<RawIssue>>,
    #[serde(default)]
    pub actor: Vec<S<RawActor>>,
    #[serde(default)]
    pub body: Vec<S<RawBody>>,
    #[serde(default)]
    pub ratifier: Vec<S<RawRatifier>>,
    #[serde(default)]
    pub event: Vec<S<RawEvent>>,
    #[serde(default)]
    pub durability: Option<S<RawDurability>>,
}

/// `[scenario]`: metadata.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeta {
    pub id: S<String>,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub as_of: S<toml::value::Datetime>,
    pub round_length: S<String>,
    pub horizon: S<i64>,
    #[serde(default)]
    pub sources: Vec<String>,
}

/// `[simulation]`: run count and master seed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    #[serde(default)]
    pub runs: Option<S<i64>>,
    #[serde(default)]
    pub seed: Option<S<i64>>,
}

/// `[protocol]`: who proposes, who must agree, how talks can end.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProtocol {
    #[serde(default)]
    /// `"weighted"`, `"alternating"` or a list of actor ids (interpreted in validation).
    pub recognition: Option<S<toml::Value>>,
    /// `"unanimity"` or an integer number of votes.
    #[serde(default)]
    pub quota: Option<S<toml::Value>>,
    #[serde(default)]
    pub breakdown: Option<S<Dist>>,
    #[serde(default)]
    pub rationality: Option<S<f64>>,
    #[serde(default)]
    pub anticipation: Option<S<String>>,
    #[serde(default)]
    pub private_types: Option<S<String>>,
}

/// One option of an ordinal issue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub id: S<String>,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub consent: Vec<S<String>>,
    #[serde(default)]
    pub hazard_ratio: Option<S<Dist>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `breakthrough = { probability = p, jump = j }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBreakthrough {
    pub probability: S<Dist>,
    pub jump: S<Dist>,
}

/// `frontline = { path = [...], start, drift, sd, breakthrough }` on an ordinal issue.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFrontline {
    pub path: S<Vec<S<String>>>,
    #[serde(default)]
    pub start: Option<S<Dist>>,
    #[serde(default)]
    pub drift: Option<S<Dist>>,
    #[serde(default)]
    pub sd: Option<S<Dist>>,
    #[serde(default)]
    pub breakthrough: Option<RawBreakthrough>,
}

/// `[[issue]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIssue {
    pub id: S<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub kind: Option<S<String>>,
    #[serde(default)]
    pub options: Vec<S<RawOption>>,
    #[serde(default)]
    pub war_status_quo: Option<S<String>>,
    #[serde(default)]
    pub frontline: Option<S<RawFrontline>>,
}

/// `red_lines = [{ issue, options, binding, unless, note }]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRedLine {
    pub issue: S<String>,
    pub options: Vec<S<String>>,
    #[serde(default)]
    pub binding: Option<S<Dist>>,
    #[serde(default)]
    pub unless: Option<S<RawUnless>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `unless = { ratified = true }` or `unless = { consent = ["US"] }` or
/// `unless = { options = ["G4", "G5"] }` (the package also carries one of these options).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUnless {
    #[serde(default)]
    pub ratified: Option<bool>,
    #[serde(default)]
    pub consent: Vec<S<String>>,
    #[serde(default)]
    pub options: Vec<S<String>>,
}

/// `[[actor]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawActor {
    pub id: S<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub veto: bool,
    #[serde(default)]
    pub recognition: Option<S<Dist>>,
    pub discount: S<Dist>,
    #[serde(default)]
    pub war_cost: Option<S<Dist>>,
    #[serde(default)]
    pub noise: Option<S<Dist>>,
    #[serde(default)]
    pub agreement_bonus: Option<S<Dist>>,
    #[serde(default)]
    pub breakdown_value: Option<S<Dist>>,
    pub salience: S<BTreeMap<String, S<Dist>>>,
    #[serde(default)]
    pub salience_concentration: Option<S<f64>>,
    pub utility: S<BTreeMap<String, S<Vec<S<Dist>>>>>,
    #[serde(default)]
    pub war_utility: BTreeMap<String, S<Dist>>,
    #[serde(default)]
    pub red_lines: Vec<S<RawRedLine>>,
    #[serde(default)]
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `[[body]]`: a non-bargaining body that can be named in consent lists.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    pub id: S<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub consent: S<Dist>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `pass = { intercept, effects = { option = effect }, floor, ceiling }` (logit scale).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPass {
    pub intercept: S<Dist>,
    #[serde(default)]
    pub effects: BTreeMap<String, S<Dist>>,
    #[serde(default)]
    pub floor: Option<S<f64>>,
    #[serde(default)]
    pub ceiling: Option<S<f64>>,
}

/// `[[ratifier]]`: a referendum or parliament voting on a signed package.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRatifier {
    pub id: S<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    /// `"all"` or `{ issue = ["option", ...] }` (interpreted in validation).
    pub scope: Option<S<toml::Value>>,
    pub pass: S<RawPass>,
    #[serde(default)]
    pub mood: Option<S<String>>,
    #[serde(default)]
    pub lag: Option<S<i64>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `{ add = x }` or `{ set = x }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChange {
    #[serde(default)]
    pub add: Option<S<Dist>>,
    #[serde(default)]
    pub set: Option<S<Dist>>,
}

/// One effect of an event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEffect {
    #[serde(default)]
    pub actor: Option<S<String>>,
    #[serde(default)]
    pub issue: Option<S<String>>,
    #[serde(default)]
    pub option: Option<S<String>>,
    #[serde(default)]
    pub war_cost: Option<S<RawChange>>,
    #[serde(default)]
    pub discount: Option<S<RawChange>>,
    #[serde(default)]
    pub recognition: Option<S<RawChange>>,
    #[serde(default)]
    pub noise: Option<S<RawChange>>,
    #[serde(default)]
    pub utility: Option<S<RawChange>>,
    #[serde(default)]
    pub frontline: Option<S<RawChange>>,
}

/// `[[event]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEvent {
    pub id: S<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub hazard: Option<S<Dist>>,
    #[serde(default)]
    pub at_round: Option<S<i64>>,
    #[serde(default)]
    pub duration: Option<S<i64>>,
    #[serde(default)]
    pub repeat: bool,
    pub effects: Vec<S<RawEffect>>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `baseline = { p_renewed_war, years }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBaseline {
    pub p_renewed_war: S<Dist>,
    pub years: S<f64>,
}

/// `[durability]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDurability {
    #[serde(default)]
    pub model: Option<S<String>>,
    pub shape: S<Dist>,
    pub baseline: RawBaseline,
    #[serde(default)]
    pub always: BTreeMap<String, S<Dist>>,
    #[serde(default)]
    pub report_years: Vec<S<f64>>,
    #[serde(default)]
    pub group_by: Option<S<String>>,
}
