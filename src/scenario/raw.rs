//! The scenario file as written: serde structs that mirror the TOML one to one.
//!
//! Every table denies unknown keys, so a misspelt key is an error located at the key. Values that
//! later checks must point at (ids, references, numbers with domains) are wrapped in
//! [`toml::Spanned`] so validation errors carry the line and column of the offending value.
//! Nothing here is interpreted: [`super::validate`] turns a [`RawScenario`] into a
//! [`super::Scenario`].

use super::dist::Dist;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

/// A value with its byte range in the file ([`toml::Spanned`], with a JSON Schema that is the
/// inner value's, so the schema describes the file as written).
/// `transition`: rows keyed by the current proposer, entries by the next.
pub type TransitionTable = BTreeMap<String, S<BTreeMap<String, S<f64>>>>;
/// `utility`: one list of values per issue id.
pub type UtilityTable = BTreeMap<String, S<Vec<S<Dist>>>>;

#[derive(Debug, Clone, PartialEq)]
pub struct S<T>(toml::Spanned<T>);

impl<T> S<T> {
    /// A value at `span`.
    pub fn new(span: Range<usize>, value: T) -> Self {
        S(toml::Spanned::new(span, value))
    }
    /// Byte range of the value in the file.
    pub fn span(&self) -> Range<usize> {
        self.0.span()
    }
    /// The value.
    pub fn get_ref(&self) -> &T {
        self.0.get_ref()
    }
    /// The value, to convert in place (rates with a unit, `units::resolve_rates`).
    pub fn get_mut(&mut self) -> &mut T {
        self.0.get_mut()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for S<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        toml::Spanned::<T>::deserialize(d).map(S)
    }
}

impl<T: JsonSchema> JsonSchema for S<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }
    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

fn date_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "format": "date", "description": "A TOML date, unquoted: as_of = 2025-08-19" })
}

fn recognition_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Who proposes each round: \"weighted\" (i.i.d., probability proportional to each actor's recognition; Baron–Ferejohn), \"alternating\" (a fixed cycle through the actors with recognition > 0, in file order; Rubinstein), \"markov\" (who proposes next depends on who proposed now, by [protocol.transition]), or a list of actor ids giving the cycle. Default \"weighted\".",
        "anyOf": [ { "enum": ["weighted", "alternating", "markov"] }, { "type": "array", "items": { "type": "string" }, "minItems": 1 } ]
    })
}

fn quota_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Acceptances a package needs: \"unanimity\" (every actor) or a number of votes including the proposer's (veto actors and consent lists are always needed). Default \"unanimity\".",
        "anyOf": [ { "const": "unanimity" }, { "type": "integer", "minimum": 1 } ]
    })
}

fn scope_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "description": "Which signed packages the ratifier votes on: \"all\", or a table issue id → list of option ids (in scope if the package carries any listed option). Default \"all\".",
        "anyOf": [ { "const": "all" }, { "type": "object", "additionalProperties": { "type": "array", "items": { "type": "string" } } } ]
    })
}

/// The whole scenario file: `[scenario]` (required), `[simulation]`, `[protocol]`, `[[issue]]`
/// (at least 1), `[[actor]]` (at least 2), `[[body]]`, `[[ratifier]]`, `[[event]]`, `[durability]`,
/// `[[sweep]]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawScenario {
    /// `[scenario]`: id, title, date and the clock of the simulation (`round_length`, `horizon`).
    /// Required.
    pub scenario: S<RawMeta>,
    /// `[simulation]`: number of Monte Carlo runs and master seed (`--runs` / `--seed` override).
    /// Default: 20000 runs, seed 1.
    #[serde(default)]
    pub simulation: Option<RawSimulation>,
    /// `[protocol]`: who proposes, whose acceptance a deal needs, breakdown and decision rules.
    /// Default: every key at its own default.
    #[serde(default)]
    pub protocol: Option<RawProtocol>,
    /// `[[issue]]`: the dimensions of a settlement, each a finite ordered list of options.
    /// At least 1 required (packages in all: at most 1 GiB of them per simulation thread).
    #[serde(default)]
    pub issue: Vec<S<RawIssue>>,
    /// `[[actor]]`: the parties that bargain (propose, accept or reject, pay the cost of war).
    /// 2 to 32 required.
    #[serde(default)]
    pub actor: Vec<S<RawActor>>,
    /// `[[body]]`: non-bargaining bodies whose consent some options need (named in `consent`
    /// lists). Default: none.
    #[serde(default)]
    pub body: Vec<S<RawBody>>,
    /// `[[ratifier]]`: referendums or parliaments voting on signed packages (at most 32).
    /// Default: none (no ratification).
    #[serde(default)]
    pub ratifier: Vec<S<RawRatifier>>,
    /// `[[event]]`: shocks during the war that change parameters or move a frontline.
    /// Default: none.
    #[serde(default)]
    pub event: Vec<S<RawEvent>>,
    /// `[durability]`: Weibull model of the time from signature to renewed war, in years.
    /// Default: absent (agreements are counted, no time to renewed war is sampled).
    #[serde(default)]
    pub durability: Option<S<RawDurability>>,
    /// `[war]`: the decisive-war lottery that a breakdown leads to (Fearon 1995): each actor's
    /// `breakdown_value` becomes `Σ_k p_k U_i(k's ideal package) − cost_i`. Default: none.
    #[serde(default)]
    pub war: Option<S<RawWar>>,
    /// `[ceasefire]`: a ceasefire agreement that may come before a settlement, with its own terms,
    /// signatories and collapse hazard (`docs/model.md` §9.1). Default: none (only settlements).
    #[serde(default)]
    pub ceasefire: Option<S<RawCeasefire>>,
    /// `[[sweep]]`: parameter sweeps that `armistice sweep SCENARIO` runs (without `--set`).
    /// Default: none.
    #[serde(default)]
    pub sweep: Vec<S<RawSweep>>,
    /// `[[question]]`: yes/no questions the scenario answers (P(event by a deadline)), with what
    /// happened and market prices in back-test cases. Default: none.
    #[serde(default)]
    pub question: Vec<S<RawQuestion>>,
    /// `[backtest]`: how a back-test case was written (date, what kept the outcome out).
    /// Default: none (required by `armistice backtest`).
    #[serde(default)]
    pub backtest: Option<S<RawBacktest>>,
}

/// `[[question]]`: a yes/no question: does `event` happen by the deadline (`by` or `within`)?
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawQuestion {
    /// Unique among the questions; ASCII letters, digits, `-` and `_`, at most 64. Required.
    pub id: S<String>,
    /// The question in words, e.g. "Ceasefire agreed by 31 January 2025". Required.
    pub text: S<String>,
    /// `"settlement"` (a package agreed and ratified), `"ceasefire"` (a ceasefire signed; needs
    /// `[ceasefire]`) or `"ceasefire-or-settlement"` (whichever comes first). Required.
    pub event: S<String>,
    /// The deadline as a TOML date after `as_of` (the rounds that start before it count:
    /// ⌈(by − as_of)/round_length⌉, 1 to the horizon). Give `by` or `within`.
    #[serde(default)]
    #[schemars(schema_with = "date_schema")]
    pub by: Option<S<toml::value::Datetime>>,
    /// The deadline as a number of rounds from `as_of`, 1 to the horizon. Give `by` or `within`.
    #[serde(default)]
    pub within: Option<S<i64>>,
    /// `[question.outcome]`: what happened (back-test cases). Default: none.
    #[serde(default)]
    pub outcome: Option<S<RawQuestionOutcome>>,
    /// `[[question.market]]`: market or expert-crowd probabilities on the scenario's date; the
    /// first is the one the tool is compared with. Default: none.
    #[serde(default)]
    pub market: Vec<S<RawMarket>>,
}

/// `[question.outcome]`: what happened.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawQuestionOutcome {
    /// Whether the event happened by the deadline. Required.
    pub answer: S<bool>,
    /// When it happened: a TOML date after `as_of`; required when `answer = true`.
    #[serde(default)]
    #[schemars(schema_with = "date_schema")]
    pub date: Option<S<toml::value::Datetime>>,
    /// A record of the outcome (may be dated after `as_of`). Required.
    pub source: S<String>,
}

/// `[[question.market]]`: a prediction market's or an expert crowd's probability of yes.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawMarket {
    /// Who priced it, e.g. "Polymarket", "Metaculus". Required.
    pub name: S<String>,
    /// Probability of yes, in [0, 1]. Required.
    pub p: S<f64>,
    /// The day of the price, a TOML date on or before the deadline (a warning when more than 7
    /// days from `as_of`). Required.
    #[schemars(schema_with = "date_schema")]
    pub date: S<toml::value::Datetime>,
    /// Where the price was read. Required.
    pub source: S<String>,
    /// Why this price where it is not the obvious one (a date more than 7 days from `as_of`, a
    /// market worded differently); shown in the back-test report. Default: none.
    #[serde(default)]
    pub note: Option<String>,
}

/// `[backtest]`: how a back-test case was written.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawBacktest {
    /// The day the case file was written, a TOML date. Required.
    #[schemars(schema_with = "date_schema")]
    pub written: S<toml::value::Datetime>,
    /// What was done to keep the outcome out of the case (which numbers were fixed before the
    /// first run, what changed after and why). Required.
    pub blinding: S<String>,
}

/// `[[sweep]]` (optional): a one- or two-parameter sweep declared with the scenario, run by
/// `armistice sweep SCENARIO` on common random numbers.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawSweep {
    /// Name of the sweep; its outputs go to output/<scenario-id>/sweep-<id>. Required.
    pub id: S<String>,
    /// One or two parameters, each `"PATH=LO..HI:STEPS"` (STEPS evenly spaced values, 2 to 101)
    /// or `"PATH=V1,V2,..."`; PATH addresses any number of this file, e.g. `actor.RU.war_cost`,
    /// `issue.territory.frontline.drift`, `actor.UA.utility.territory.T4`. Required.
    pub set: Vec<S<String>>,
    /// Statistics charted: `agreement`, `agreement-within:N`, `breakdown`, `no-agreement`,
    /// `option:ISSUE.OPTION`, `payoff:ACTOR`, `renewed-war`. Default: ["agreement"].
    #[serde(default)]
    pub stats: Vec<S<String>>,
}

/// `[scenario]` (required): what the scenario is, its date, and the clock of the simulation.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawMeta {
    /// Short name of the scenario (default output folder `output/<id>`): non-empty; letters,
    /// digits, `-`, `_`, `.` only. Required.
    pub id: S<String>,
    /// One-line title printed on tables and charts; any text. Required.
    pub title: String,
    /// Longer description for readers (a `"""` string may span lines); any text. Default: none.
    #[serde(default)]
    pub description: Option<String>,
    /// The date whose state of play the scenario describes, a TOML date written unquoted
    /// (`as_of = 2025-08-19`); printed on reports. Default: none, an *undated* scenario (reports
    /// say "undated"); then no key may be a date (a dated event or deadline, `[[question]]`s,
    /// `[backtest]`).
    #[serde(default)]
    #[schemars(schema_with = "date_schema")]
    pub as_of: Option<S<toml::value::Datetime>>,
    /// Calendar length of one round, `"<count> <unit>"`: count > 0 (may be fractional), unit `day`,
    /// `week`, `month`, `quarter` or `year` (plural allowed), e.g. `"1 month"`. Converts the rates
    /// written with `per` and the times written as durations or dates (`docs/model.md` §9.5);
    /// plain numbers are per round and are not rescaled. Default: none; outputs then count
    /// rounds, and nothing may be stated in calendar time (`per`, a duration or a date,
    /// `[durability]`, `[ceasefire]`, `[[question]]`s).
    #[serde(default)]
    pub round_length: Option<S<String>>,
    /// Rounds observed, an integer in [1, 10000]; a run still at war after it ends as "no
    /// agreement". An observation window, not a deadline the actors know about. Or a duration
    /// in quotes, `"2 years"`, converted to the nearest whole number of rounds. Required.
    #[schemars(schema_with = "crate::scenario::units::rounds_schema")]
    pub horizon: S<i64>,
    /// The sources the scenario rests on, e.g. `"S1 Author, title, date"` (cited as `[S1]`);
    /// ignored by the engine. Default: [].
    #[serde(default)]
    pub sources: Vec<String>,
}

/// `[simulation]` (optional): default run count and master seed; the command line (`--runs`,
/// `--seed`) overrides both.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawSimulation {
    /// Number of Monte Carlo runs, an integer in [1, 1000000000] (`_` separators allowed:
    /// `20_000`). Default: 20000.
    #[serde(default)]
    pub runs: Option<S<i64>>,
    /// Master seed, an integer >= 0; the same file, seed and run count give bit-identical results
    /// on any machine and thread count. Default: 1.
    #[serde(default)]
    pub seed: Option<S<i64>>,
}

/// `[protocol]` (optional): who proposes, whose acceptance a deal needs, how talks can end and how
/// actors decide.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawProtocol {
    /// Proposer rule: `"weighted"` (drawn each round in proportion to actor `recognition`),
    /// `"alternating"` (cycle through actors with recognition > 0, in file order), `"markov"`
    /// (by the matrix `transition`) or a non-empty
    /// list of actor ids giving the cycle (ids may repeat). Default: "weighted".
    #[serde(default)]
    #[schemars(schema_with = "recognition_schema")]
    pub recognition: Option<S<toml::Value>>,
    /// Acceptances a package needs, counting the proposer's: `"unanimity"` or an integer number of
    /// votes in [1, number of actors]; `veto` actors and actors in the package's `consent` lists
    /// are always needed. Default: "unanimity".
    #[serde(default)]
    #[schemars(schema_with = "quota_schema")]
    pub quota: Option<S<toml::Value>>,
    /// Probability per round, in each round ending without agreement, that talks end for good
    /// (each actor then gets its `breakdown_value`); in [0, 1]; a number or a distribution.
    /// Default: 0.
    #[serde(default)]
    pub breakdown: Option<S<Dist>>,
    /// Logit temperature τ of proposers, in utility units; >= 0. Higher means noisier, less
    /// rational offers; 0 = the exact best offer; typical 0.01–0.05 (`docs/model.md` §3). A plain
    /// number, not a distribution. Default: 0.01.
    #[serde(default)]
    #[schemars(extend("minimum" = 0, "default" = 0.01))]
    pub temperature: Option<S<f64>>,
    /// The old name of `temperature` (a misleading one: a higher value meant less rational).
    /// Still read, with a warning; write `temperature`.
    #[serde(default)]
    #[schemars(extend("deprecated" = true, "minimum" = 0))]
    pub rationality: Option<S<f64>>,
    /// How actors value continued war on an issue with a frontline: `"expected-path"` (discounted
    /// utility along the frontline's expected path) or `"none"` (the current line, as if frozen).
    /// Default: "expected-path".
    #[serde(default)]
    #[schemars(extend("enum" = ["none", "expected-path"]))]
    pub anticipation: Option<S<String>>,
    /// Private acceptance shocks (half-width `noise`): `"persistent"` (drawn once per run;
    /// proposers learn from rejections) or `"iid"` (fresh at every response, nothing is learned).
    /// Default: "persistent".
    #[serde(default)]
    #[schemars(extend("enum" = ["persistent", "iid"]))]
    pub private_types: Option<S<String>>,
    /// Whether each actor values a package net of its expected loss from renewed war,
    /// `U_i(z) − P(renewed war within the durability baseline's years | z) · renewed_war_loss_i`
    /// (the commitment problem: Walter 1997, Powell 2006); true or false; needs `[durability]`.
    /// Default: false.
    #[serde(default)]
    pub price_durability: Option<S<bool>>,
    /// Under `recognition = "markov"`: the probability that each actor proposes next, given who
    /// proposed this round, `{ A = { A = 0.2, B = 0.8 }, B = { A = 1.0 } }` (rows keyed by the
    /// current proposer; each row's values in [0, 1] summing to 1; an actor without a row never
    /// proposes). The first actor with a row (in file order) proposes in round 0. Default: none.
    #[serde(default)]
    pub transition: Option<S<TransitionTable>>,
    /// Hard deadline in rounds, an integer >= 1: talks end after this many rounds without
    /// agreement (each actor then gets its `breakdown_value`, one round later); the game is solved
    /// by backward induction from the deadline (Ståhl 1972). Or a duration in quotes (`"6
    /// months"`, to the nearest round, at least 1) or a TOML date on or after `as_of` (the rounds
    /// that start before it are played). Default: none (no deadline).
    #[schemars(schema_with = "crate::scenario::units::round_or_date_schema")]
    #[serde(default)]
    pub deadline: Option<S<i64>>,
    /// Family of the private acceptance shocks of scale `noise`: `"uniform"` on [−a, a] or
    /// `"logistic"` with scale a. Default: "uniform".
    #[serde(default)]
    #[schemars(extend("enum" = ["uniform", "logistic"]))]
    pub acceptance_noise: Option<S<String>>,
    /// The equilibrium solver's tolerance: the largest max-norm residual |G(W) − W| of the
    /// equilibrium map at which a round's values count as solved, in utility units; from 1e-15
    /// to 1e-3 (`docs/model.md` §3). A round that cannot reach it is played from the best values
    /// reached and its run is listed (`--strict` makes it an error). Default: 1e-10.
    #[serde(default)]
    #[schemars(extend("minimum" = 1e-15, "maximum" = 1e-3, "default" = 1e-10))]
    pub tolerance: Option<S<f64>>,
    /// How a later round's equilibrium is selected (`docs/model.md` §10, rule 7): `"traced"`
    /// (traced again along the temperature ladder whenever the game changed: a belief moved, a
    /// vote failed, the war lottery shifted; the equilibrium is then a function of the round's
    /// game alone) or `"warm"` (every later round warm-started from the previous round's values:
    /// fewer solver evaluations, but the equilibrium can depend on the run's history).
    /// Default: "traced".
    #[serde(default)]
    #[schemars(extend("enum" = ["traced", "warm"]))]
    pub selection: Option<S<String>>,
}

/// One option of an ordinal issue (an entry of `options`, or an `[[issue.options]]` block).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawOption {
    /// The option's id: non-empty and unique within its issue; named elsewhere as `issue.option`,
    /// or bare where no other issue has the id. Required.
    pub id: S<String>,
    /// Description shown in reports; any text. Default: the `id`.
    #[serde(default)]
    pub label: Option<String>,
    /// `[[actor]]` or `[[body]]` ids whose acceptance is required whenever this option is in the
    /// package (a body that refuses in a run rules the option out for that run). Default: [].
    #[serde(default)]
    pub consent: Vec<S<String>>,
    /// Multiplier of the hazard of renewed war for agreements containing this option (< 1 = peace
    /// lasts longer); > 0; a number or a distribution. Used only with `[durability]`. Default: 1.
    #[serde(default)]
    pub hazard_ratio: Option<S<Dist>>,
    /// Band durability model: how far this option widens the band at each edge (guarantees,
    /// peacekeepers), in units of the balance; >= 0; a number or a distribution. Default: 0.
    #[serde(default)]
    pub band_widening: Option<S<Dist>>,
    /// Source or comment; ignored by the engine. Default: none.
    #[serde(default)]
    pub note: Option<String>,
}

/// `breakthrough = { probability, jump }`: an occasional large move of a frontline.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawBreakthrough {
    /// Probability per round of war of a breakthrough; in [0, 1]; a number or a distribution.
    /// Required.
    pub probability: S<Dist>,
    /// Extra movement in a breakthrough round, in path steps (negative = towards the first path
    /// option); any finite number; a number or a distribution. Required.
    pub jump: S<Dist>,
}

/// `frontline = { path = [...], start, drift, sd, breakthrough }` on an ordinal issue: the
/// war-time situation as a line moving along some of the issue's options (replaces
/// `war_status_quo` and `war_utility` for the issue).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawFrontline {
    /// Option ids of this issue that are lines on the ground, in the direction a positive drift
    /// moves the line (position 0 = first, 1 = second, ...); at least 2. Required.
    pub path: S<Vec<S<String>>>,
    /// Position at round 0, in path steps, in [0, number of path options − 1] (draws are clamped
    /// onto the path); a number or a distribution. Default: 0.
    #[serde(default)]
    pub start: Option<S<Dist>>,
    /// Expected movement per round of war, in path steps per round (positive = towards the last
    /// path option); any finite number; a number or a distribution. Default: 0.
    #[serde(default)]
    pub drift: Option<S<Dist>>,
    /// Standard deviation of the round-to-round movement, in path steps per round; >= 0; a
    /// number or a distribution. Default: 0.
    #[serde(default)]
    pub sd: Option<S<Dist>>,
    /// An occasional large move, `{ probability, jump }` (both keys required if given).
    /// Default: none (no breakthroughs).
    #[serde(default)]
    pub breakthrough: Option<RawBreakthrough>,
}

/// `[[issue]]` (at least one): one dimension of a settlement, with a finite ordered list of options.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawIssue {
    /// The issue's id: non-empty, unique among issues; the key in `salience`, `utility`,
    /// `war_utility` and `scope`. Required.
    pub id: S<String>,
    /// Name shown in reports; any text. Default: the `id`.
    #[serde(default)]
    pub title: Option<String>,
    /// The kind of issue: `"ordinal"` (a finite ordered list of options) or `"divisible"` (a good
    /// of size 1 split among actors, e.g. a fund or a share of contested land; give `between` or
    /// `among` and no `options`). At most one divisible issue per scenario. Default: "ordinal".
    #[serde(default)]
    #[schemars(extend("enum" = ["ordinal", "divisible"]))]
    pub kind: Option<S<String>>,
    /// For a divisible issue: the two actor ids that split it (the first gets share θ, the
    /// second 1 − θ). Default: none.
    #[serde(default)]
    pub between: Option<S<Vec<S<String>>>>,
    /// For a divisible issue: the actor ids (2 or more) that split it. Default: none.
    #[serde(default)]
    pub among: Option<S<Vec<S<String>>>>,
    /// The options, in order (the order of every `utility` list); non-empty, ids unique within
    /// the issue. Required.
    #[serde(default)]
    pub options: Vec<S<RawOption>>,
    /// Option id (of this issue) that each side lives with while the war goes on; sets war-time
    /// utilities unless an actor's `war_utility` or a `frontline` overrides. Default: none.
    #[serde(default)]
    pub war_status_quo: Option<S<String>>,
    /// Makes the war-time situation a line moving along some options, `{ path, start, drift, sd,
    /// breakthrough }`. Default: none (no frontline).
    #[serde(default)]
    pub frontline: Option<S<RawFrontline>>,
    /// Makes the issue spatial: a scale `[low, high]` (low < high, finite, in the scale's own
    /// units, e.g. `[0, 100]`) on which each actor has a `position`; its options are points of
    /// the scale (`grid`, `step`, or the actors' positions) and each actor's utilities come from
    /// the distance to its position (`loss`); give no `options` and no `utility` for it
    /// (`docs/model.md` §1 (spatial issues)). Default: none (an ordinal issue with listed options).
    #[serde(default)]
    pub scale: Option<S<Vec<S<f64>>>>,
    /// Spatial issue: the number of evenly spaced options from low to high, ends included; an
    /// integer in [2, 201]. Give at most one of `grid`, `step`. Default: the distinct positions of
    /// the actors, in increasing order.
    #[serde(default)]
    pub grid: Option<S<i64>>,
    /// Spatial issue: the spacing of the options from low to high, in scale units; > 0 and
    /// dividing `high − low` into at most 200 steps. Give at most one of `grid`, `step`.
    /// Default: the distinct positions of the actors.
    #[serde(default)]
    pub step: Option<S<f64>>,
    /// Spatial issue: how utility falls with distance d from the actor's position, W the scale's
    /// width: `"linear"` (1 − |d|/W) or `"quadratic"` (1 − (d/W)²). Default: "linear".
    #[serde(default)]
    #[schemars(extend("enum" = ["linear", "quadratic"]))]
    pub loss: Option<S<String>>,
    /// Spatial issue: the name of a group of spatial issues that share one salience-weighted
    /// Euclidean distance (a policy space of several dimensions); every issue of a group needs
    /// the same `loss`. Default: none (the issue's distance is its own).
    #[serde(default)]
    pub group: Option<S<String>>,
}

/// `red_lines = [{ issue, options, binding, unless, note }]`: options of one issue the actor
/// rejects outright in runs where the red line binds.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawRedLine {
    /// The `[[issue]]` id the red line is about. Required.
    pub issue: S<String>,
    /// Option ids of that issue the actor rejects (and never proposes); non-empty. Required.
    pub options: Vec<S<String>>,
    /// Probability per run that the red line holds (drawn once per run; 0.9 = binds in 90% of
    /// runs); in [0, 1]; a number or a distribution. Default: 1.
    #[serde(default)]
    pub binding: Option<S<Dist>>,
    /// Condition waiving the red line for a package, `{ ratified, consent, options }` (any one
    /// given key waives; `{}` never waives). Default: none (never waived).
    #[serde(default)]
    pub unless: Option<S<RawUnless>>,
    /// Binding probabilities that depend on the state of the war, `[{ front, beyond,
    /// rounds_of_war, event, binding }]`: the first condition that holds sets the binding
    /// probability of the round (`docs/model.md` §9.2). Default: [] (binds or not for the whole run).
    #[serde(default)]
    pub when: Vec<S<super::positions::RawCondition>>,
    /// Source or comment; ignored by the engine. Default: none.
    #[serde(default)]
    pub note: Option<String>,
}

/// `unless = { ratified = true }` or `unless = { consent = ["US"] }` or
/// `unless = { options = ["G4", "G5"] }`: the red line is waived for a package meeting any one
/// of the given conditions.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawUnless {
    /// `true`: waived when the package is in the `scope` of at least one `[[ratifier]]` (the vote
    /// decides). Default: false.
    #[serde(default)]
    pub ratified: Option<bool>,
    /// `[[actor]]` or `[[body]]` ids: waived when every listed party's consent is required for the
    /// package. Default: [].
    #[serde(default)]
    pub consent: Vec<S<String>>,
    /// Option ids of any issue: waived when the package contains any of them. Default: [].
    #[serde(default)]
    pub options: Vec<S<String>>,
}

/// One point of an actor's discrete `types`: a private acceptance shock and its probability.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawType {
    /// The type's acceptance shock ε, in utility units: it accepts a package worth x above its
    /// reservation value iff x >= ε; -100 to 100. Required.
    #[schemars(extend("minimum" = -100, "maximum" = 100))]
    pub shock: S<f64>,
    /// The type's probability, in [0, 1]; the points' probabilities sum to 1. Required.
    #[schemars(extend("minimum" = 0, "maximum" = 1))]
    pub p: S<f64>,
}

/// `[[actor]]` (2 to 32): a party that bargains. Utilities, war costs, bonuses and breakdown
/// values share one scale per actor (by convention 1 = ideal, 0 = worst on each issue).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawActor {
    /// The actor's id: non-empty, unique among actors and bodies. Required.
    pub id: S<String>,
    /// Name shown in reports; any text. Default: the `id`.
    #[serde(default)]
    pub name: Option<String>,
    /// Whether the actor's acceptance is always required (matters only with an integer `quota`).
    /// Default: false.
    #[serde(default)]
    pub veto: bool,
    /// Relative weight of being chosen as proposer under `recognition = "weighted"` (under
    /// `"alternating"` only 0 vs > 0 matters); >= 0; a number or a distribution. Default: 1.
    #[serde(default)]
    pub recognition: Option<S<Dist>>,
    /// Discount factor δ per round (patience): a payoff one round later is worth δ times as much;
    /// in (0, 1] (1 = no discounting); a number or a distribution. Default: 1, allowed only where
    /// waiting costs something else (a `deadline`, a `breakdown` probability or a positive
    /// `war_cost`); otherwise an error.
    #[serde(default)]
    pub discount: Option<S<Dist>>,
    /// Utility lost per round of war, in utility units per round, on top of the war-time
    /// situation (negative = gains from fighting); any finite number; a number or a distribution.
    /// Default: 0.
    #[serde(default)]
    pub war_cost: Option<S<Dist>>,
    /// Half-width a of the private acceptance shock, uniform on [−a, a], in utility units; >= 0
    /// (0 = fully predictable); a number or a distribution. Default: 0.
    #[serde(default)]
    pub noise: Option<S<Dist>>,
    /// A discrete distribution of the actor's private types instead of `noise`: a list of k >= 1
    /// points `[{ shock = 0.0, p = 0.7 }, { shock = 0.1, p = 0.3 }]`, each the acceptance shock ε
    /// of one type (the margin above its reservation value it needs to accept, in utility units,
    /// -100 to 100) and its probability (in [0, 1], summing to 1). Not with `noise`. Default:
    /// none.
    #[serde(default)]
    pub types: Option<S<Vec<S<RawType>>>>,
    /// Utility from any signed agreement, added to every package's value (not while fighting), in
    /// utility units (lump sum); any finite number; a number or a distribution. Default: 0.
    #[serde(default)]
    pub agreement_bonus: Option<S<Dist>>,
    /// Utility received once, one round later, if talks break down for good (see `breakdown`), in
    /// utility units (lump sum); any finite number; a number or a distribution. Default: 0.
    #[serde(default)]
    pub breakdown_value: Option<S<Dist>>,
    /// Weight of each issue, `{ issue id = weight }` (an issue left out weighs 0); each >= 0 with
    /// a positive total, normalised to sum to 1 per run (unless `normalise_salience = false`); each
    /// a number or a distribution. Required.
    pub salience: S<BTreeMap<String, S<Dist>>>,
    /// Whether the saliences are relative weights, normalised to sum to 1 per run (`true`), or
    /// absolute weights on the utility scale (`false`): each in [0, 1], summing to at most 1, used
    /// as written, the remainder `1 − Σ salience` a weight on nothing (no package gives it any
    /// value), as in the spatial model's salience (`docs/model.md` §1). Not with
    /// `salience_concentration`. Default: true.
    #[serde(default)]
    pub normalise_salience: Option<S<bool>>,
    /// If set, saliences are drawn per run from a Dirichlet centred on the normalised weights with
    /// this concentration (higher = closer; 20 ≈ sd 0.1 around 0.5); > 0; a plain number, not a
    /// distribution. Default: none (fixed weights).
    #[serde(default)]
    pub salience_concentration: Option<S<f64>>,
    /// Utility of each option, `{ issue id = [one value per option, in option order] }`, in
    /// utility units; any finite number (convention [0, 1], 1 = ideal); each a number or a
    /// distribution. Required for every ordinal issue with positive salience (a divisible issue
    /// takes none). Default: {}.
    #[serde(default)]
    pub utility: Option<S<UtilityTable>>,
    /// Own war-time utility per issue, `{ issue id = value }`, in utility units, overriding the
    /// issue's `war_status_quo` (ignored on frontline issues); any finite number; a number or a
    /// distribution. Default: {}.
    #[serde(default)]
    pub war_utility: BTreeMap<String, S<Dist>>,
    /// Red lines, `[{ issue, options, binding, unless, note }]`: options the actor rejects
    /// outright. Default: [].
    #[serde(default)]
    pub red_lines: Vec<S<RawRedLine>>,
    /// Option utilities that depend on the state of the war, `[{ option, when = [{ front,
    /// beyond, rounds_of_war, event, utility }] }]` (`docs/model.md` §9.2). Default: [].
    #[serde(default)]
    pub utility_when: Vec<S<super::positions::RawUtilityWhen>>,
    /// Loss the actor suffers if war resumes after a deal, in utility units (lump sum); >= 0; a
    /// number or a distribution. Subtracted from peace values, weighted by the package's
    /// probability of renewed war, when `[protocol] price_durability = true`. Default: 0.
    #[serde(default)]
    pub renewed_war_loss: Option<S<Dist>>,
    /// Curvature ρ of the actor's value of a divisible issue, `{ issue id = ρ }`: a share y is
    /// worth `salience · y^ρ`; in (0, 1] (1 = linear, < 1 = risk-averse, `docs/model.md` §1). A plain
    /// number. Default: 1 for every divisible issue.
    #[serde(default)]
    pub curvature: BTreeMap<String, S<f64>>,
    /// Value the actor gets by opting out of the talks when it rejects an offer (Shaked and
    /// Sutton 1984): as a responder it accepts nothing worth less; if it rejects and this beats
    /// waiting, talks end at once and every actor gets its own `outside_option` (or its
    /// `breakdown_value` if it has none). Utility units, lump sum; any finite number; a number or
    /// a distribution. Default: none (no outside option).
    #[serde(default)]
    pub outside_option: Option<S<Dist>>,
    /// The actor's reservation value: what no agreement is worth to it, in utility units, lump
    /// sum, on the scale of its package values (the disagreement point of Nash 1950; the
    /// "reservation value" of GENIUS domains). Each round without agreement pays `(1 − δ) ·
    /// reservation_value` on top of the war flow, talks that end for good pay it (unless
    /// `breakdown_value` or `[war]` says otherwise), so no agreement forever is worth exactly
    /// this; the baselines' disagreement point is it (`docs/model.md` §2). With it the actor needs
    /// no war-time utilities. Any finite number; a number or a distribution. Default: none.
    #[serde(default)]
    pub reservation_value: Option<S<Dist>>,
    /// The actor's own view of the war, used for its reservation value only (the simulated war
    /// follows the scenario): a table `{ issue id = { drift, breakthrough }, event id = { hazard
    /// } }` such as `{ territory = { drift = 0.06 } }`. Default: none (the scenario's dynamics).
    #[serde(default)]
    pub beliefs: Option<S<BTreeMap<String, S<RawBelief>>>>,
    /// Sources for this actor's numbers (e.g. `"S1"`); ignored by the engine. Default: [].
    #[serde(default)]
    pub sources: Vec<String>,
    /// Comment; ignored by the engine. Default: none.
    #[serde(default)]
    pub note: Option<String>,
    /// The actor's ideal point on each spatial issue, `{ issue id = position }`, in the issue's
    /// scale units, within its `scale`; required for every spatial issue the actor gives a
    /// `salience` (`docs/model.md` §1 (spatial issues)). Default: {}.
    #[serde(default)]
    pub position: BTreeMap<String, S<f64>>,
    /// Capability (power, resources) in the spatial model of Bueno de Mesquita (1994), any unit
    /// common to all actors; >= 0. Weights the actor in the weighted mean and median of each
    /// spatial issue (by capability × salience) and, unless `recognition` is given, is the
    /// actor's recognition weight (proposal power). Default: none (the recognition weight).
    #[serde(default)]
    pub capability: Option<S<f64>>,
}

/// One entry of an actor's `beliefs`, keyed by an issue id (an issue with a `frontline`: give
/// `drift` and/or `breakthrough`) or by an event id (an event with a `hazard`: give `hazard`).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawBelief {
    /// For a frontline issue: the movement per round of war the actor expects, in path steps per
    /// round (positive = towards the last path option); any finite number; a number or a
    /// distribution. Default: the scenario's draw.
    #[serde(default)]
    pub drift: Option<S<Dist>>,
    /// For a frontline issue: the prior standard deviation of the actor's drift belief, in path
    /// steps per round; >= 0; a plain number. With it the actor learns the drift from the moves
    /// it sees in each round of war (a normal prior centred on `drift`, updated by conjugate
    /// rules, `docs/model.md` §9.3). Default: none (0: the belief is held fixed).
    #[serde(default)]
    pub drift_sd: Option<S<f64>>,
    /// For a frontline issue: the breakthroughs the actor expects, `{ probability, jump, strength }`
    /// (each optional). Default: the scenario's.
    #[serde(default)]
    pub breakthrough: Option<RawBreakthroughBelief>,
    /// For an event: the per-round probability the actor expects it to fire; in [0, 1]; a number
    /// or a distribution. Default: the event's own hazard.
    #[serde(default)]
    pub hazard: Option<S<Dist>>,
}

/// `breakthrough = { probability, jump }` in a frontline belief; a missing key keeps the
/// scenario's draw.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawBreakthroughBelief {
    /// Probability per round of war of a breakthrough; in [0, 1]; a number or a distribution.
    /// Default: the scenario's draw.
    #[serde(default)]
    pub probability: Option<S<Dist>>,
    /// Extra movement in a breakthrough round, in path steps; any finite number; a number or a
    /// distribution. Default: the scenario's draw.
    #[serde(default)]
    pub jump: Option<S<Dist>>,
    /// Prior strength of the probability belief, in pseudo-rounds of war n0 (a Beta(p·n0,
    /// (1−p)·n0) prior); > 0; a plain number. With it the actor learns the breakthrough
    /// probability from the rounds of war it sees (`docs/model.md` §9.3). Default: none (the
    /// belief is held fixed).
    #[serde(default)]
    pub strength: Option<S<f64>>,
}

/// `[[body]]`: a non-bargaining body (e.g. an alliance) whose consent some options need; named in
/// option `consent` lists and in `unless.consent`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawBody {
    /// The body's id: non-empty, unique among actors and bodies. Required.
    pub id: S<String>,
    /// Name for readers; any text. Default: the `id`.
    #[serde(default)]
    pub name: Option<String>,
    /// Probability per run that the body consents (decided once per run; if not, every package
    /// with an option naming it is impossible); in [0, 1]; a number or a distribution. Required.
    pub consent: S<Dist>,
    /// Source or comment; ignored by the engine. Default: none.
    #[serde(default)]
    pub note: Option<String>,
}

/// `pass = { intercept, effects = { option = effect }, floor, ceiling }`: pass probability
/// clamp(logistic(intercept + effects of the package's options), floor, ceiling), on the logit
/// (log-odds) scale.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawPass {
    /// Log-odds of passing for a package whose options have no effect, in logits (ln(p / (1 −
    /// p)) of a poll); any finite number; a number or a distribution. Required.
    pub intercept: S<Dist>,
    /// Shift of the log-odds when the package contains the option, `{ option id = effect }` (any
    /// issue), in logits; any finite number; each a number or a distribution. Default: {}.
    #[serde(default)]
    pub effects: BTreeMap<String, S<Dist>>,
    /// Lowest pass probability, in [0, 1] with floor <= ceiling; a plain number, not a
    /// distribution. Default: 0.
    #[serde(default)]
    pub floor: Option<S<f64>>,
    /// Highest pass probability, in [0, 1] with floor <= ceiling; a plain number, not a
    /// distribution. Default: 1.
    #[serde(default)]
    pub ceiling: Option<S<f64>>,
    /// Intercepts that depend on the state of the war, `[{ front, beyond, rounds_of_war, event,
    /// intercept }]`: the first condition that holds sets the intercept of the round
    /// (`docs/model.md` §9.2). Default: [] (the drawn intercept throughout).
    #[serde(default)]
    pub when: Vec<S<super::positions::RawCondition>>,
}

/// `[[ratifier]]` (at most 32): a referendum or parliament voting on a signed package; it does not
/// bargain and has no war payoff.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawRatifier {
    /// The ratifier's id: non-empty, unique among ratifiers. Required.
    pub id: S<String>,
    /// Name for readers; any text. Default: the `id`.
    #[serde(default)]
    pub name: Option<String>,
    /// Packages that go to the vote: `"all"`, or `{ issue id = [option ids] }` (packages carrying
    /// at least one listed option; each value must be a list, even for one option).
    /// Default: "all".
    #[serde(default)]
    #[schemars(schema_with = "scope_schema")]
    pub scope: Option<S<toml::Value>>,
    /// The pass probability model, `{ intercept, effects, floor, ceiling }` on the logit scale.
    /// Required.
    pub pass: S<RawPass>,
    /// `"persistent"`: one public mood per run (uniform on [0, 1]; votes are consistent and failed
    /// votes are learned from), or `"iid"`: a fresh draw at every vote. Default: "persistent".
    #[serde(default)]
    #[schemars(extend("enum" = ["persistent", "iid"]))]
    pub mood: Option<S<String>>,
    /// Rounds between signature and the vote, an integer >= 0; in this version it matters only
    /// after a failed vote (talks resume after the lag). Or a duration in quotes (`"2 months"`),
    /// to the nearest round. Default: 0.
    #[schemars(schema_with = "crate::scenario::units::rounds_schema")]
    #[serde(default)]
    pub lag: Option<S<i64>>,
    /// Source or comment; ignored by the engine. Default: none.
    #[serde(default)]
    pub note: Option<String>,
}

/// A change of one parameter by an event: `{ add = x }` or `{ set = x }`, exactly one of the two,
/// in the target parameter's unit.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawChange {
    /// Amount added to the parameter while the event is active, in the target's unit; any finite
    /// number; a number or a distribution. Exactly one of `add`, `set`.
    #[serde(default)]
    pub add: Option<S<Dist>>,
    /// Value replacing the parameter while the event is active, in the target's unit; in the
    /// target's domain; a number or a distribution. Exactly one of `add`, `set`.
    #[serde(default)]
    pub set: Option<S<Dist>>,
}

/// One effect of an event: a target (`actor`, and for some changes `issue` and `option`) and one
/// or more changes `{ add | set }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawEffect {
    /// The `[[actor]]` id whose parameter changes; required for `war_cost`, `discount`,
    /// `recognition`, `noise` and `utility` changes. Default: none.
    #[serde(default)]
    pub actor: Option<S<String>>,
    /// The `[[issue]]` id concerned; required for `utility` and `frontline` changes (the issue
    /// must have a frontline for the latter). Default: none.
    #[serde(default)]
    pub issue: Option<S<String>>,
    /// Option id of `issue` whose utility changes; required for `utility` changes. Default: none.
    #[serde(default)]
    pub option: Option<S<String>>,
    /// Change of the actor's `war_cost`, in utility units per round; `set` any finite number; a
    /// number or a distribution. Default: none.
    #[serde(default)]
    pub war_cost: Option<S<RawChange>>,
    /// Change of the actor's `discount` (per round); `set` in (0, 1], result clamped to (0, 1]; a
    /// number or a distribution. Default: none.
    #[serde(default)]
    pub discount: Option<S<RawChange>>,
    /// Change of the actor's `recognition` (relative weight); `set` >= 0, result clamped to >= 0;
    /// a number or a distribution. Default: none.
    #[serde(default)]
    pub recognition: Option<S<RawChange>>,
    /// Change of the actor's `noise`, in utility units; `set` >= 0, result clamped to >= 0; a
    /// number or a distribution (a persistent type drawn at the start stays). Default: none.
    #[serde(default)]
    pub noise: Option<S<RawChange>>,
    /// Change of the actor's utility for `option`, in utility units; `set` any finite number; a
    /// number or a distribution. Default: none.
    #[serde(default)]
    pub utility: Option<S<RawChange>>,
    /// One move of the issue's frontline when the event fires, in path steps (negative = towards
    /// the first path option; clamped to the path; not undone). Use `add`; a number or a
    /// distribution. Default: none.
    #[serde(default)]
    pub frontline: Option<S<RawChange>>,
    /// Change of the actor's `agreement_bonus` (the `B_i` added to every package's value), in
    /// utility units; `set` any finite number; a number or a distribution. Scheduled (`at_round`)
    /// with `anticipation = "expected-path"`, the rounds before it are solved by backward
    /// induction (a deal before a deadline). Default: none.
    #[serde(default)]
    pub agreement_bonus: Option<S<RawChange>>,
}

/// `[[event]]`: a named shock during the war that fires with a per-round hazard or at a fixed
/// round and changes parameters for some rounds, or moves a frontline.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawEvent {
    /// The event's id: non-empty, unique among events. Required.
    pub id: S<String>,
    /// Name for readers; any text. Default: the `id`.
    #[serde(default)]
    pub name: Option<String>,
    /// Probability per round that the event fires at the start of a round (while not active);
    /// in [0, 1]; a number or a distribution; or per a stated unit, `{ value = 0.2, per = "year"
    /// }` (a rate, `docs/model.md` §9.5). Exactly one of `hazard`, `at_round`.
    #[serde(default)]
    pub hazard: Option<S<Dist>>,
    /// Round index at whose start the event fires (rounds count from 0; at or beyond `horizon`
    /// it never fires); an integer >= 0, or a duration from `as_of` in quotes (`"3 months"`, to
    /// the nearest round), or a TOML date on or after `as_of` (the first round that starts on or
    /// after it). Exactly one of `hazard`, `at_round`. With `anticipation = "expected-path"` the
    /// actors foresee it (docs/model.md §9.4).
    #[schemars(schema_with = "crate::scenario::units::round_or_date_schema")]
    #[serde(default)]
    pub at_round: Option<S<i64>>,
    /// How many rounds the parameter changes last (the firing round and the next duration − 1),
    /// an integer >= 1, or a duration in quotes (`"6 months"`, to the nearest round, at least 1).
    /// Default: the rest of the run.
    #[schemars(schema_with = "crate::scenario::units::rounds_schema")]
    #[serde(default)]
    pub duration: Option<S<i64>>,
    /// For `hazard` events: whether the event can fire again once its effects have expired
    /// (needs a `duration`); ignored for `at_round` events. Default: false.
    #[serde(default)]
    pub repeat: bool,
    /// What the event changes: a list of `{ actor, issue, option, <parameter> = { add | set } }`
    /// tables. Required.
    pub effects: Vec<S<RawEffect>>,
    /// Source or comment; ignored by the engine. Default: none.
    #[serde(default)]
    pub note: Option<String>,
}

/// `baseline = { p_renewed_war, years }`: the bare-ceasefire anchor of the durability model.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawBaseline {
    /// Probability that a bare ceasefire (no hazard ratios) fails within `years`; strictly in
    /// (0, 1) (a plain 0 or 1 is an error); a number or a distribution. Required.
    pub p_renewed_war: S<Dist>,
    /// The horizon of `p_renewed_war`, in years; > 0; a plain number, not a distribution (also
    /// added to the reported years). Required.
    pub years: S<f64>,
}

/// `[durability]` (optional): a model of the time from signature to renewed war, in years:
/// Weibull proportional hazards (empirical), or the band model (theoretical).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawDurability {
    /// The durability model: `"weibull"` (proportional hazards; keys `shape`, `baseline`,
    /// `always`) or `"band"` (a diffusing balance of power leaving a band; keys `balance`,
    /// `lower`, `upper`, `drift`, `volatility`, `steps_per_year`, `years`). Default: "weibull".
    #[serde(default)]
    #[schemars(extend("enum" = ["weibull", "band"]))]
    pub model: Option<S<String>>,
    /// Weibull shape k, dimensionless (< 1: risk highest just after signature; 1: constant; > 1:
    /// rising); > 0; a number or a distribution. Required for `"weibull"`.
    #[serde(default)]
    pub shape: Option<S<Dist>>,
    /// The bare-ceasefire anchor, `{ p_renewed_war, years }` (both keys required). Required for
    /// `"weibull"`.
    #[serde(default)]
    pub baseline: Option<RawBaseline>,
    /// Band model: the balance of power at signature (e.g. one side's probability of winning a
    /// renewed war), strictly between `lower` and `upper`; a number or a distribution. Required
    /// for `"band"`.
    #[serde(default)]
    pub balance: Option<S<Dist>>,
    /// Band model: the balance below which one side prefers war to the deal (war resumes when the
    /// balance reaches it); a number or a distribution. Required for `"band"`.
    #[serde(default)]
    pub lower: Option<S<Dist>>,
    /// Band model: the balance above which the other side prefers war; above `lower`; a number
    /// or a distribution. Required for `"band"`.
    #[serde(default)]
    pub upper: Option<S<Dist>>,
    /// Band model: drift μ of the balance, per year; any finite number; a number or a
    /// distribution. Default: 0.
    #[serde(default)]
    pub drift: Option<S<Dist>>,
    /// Band model: volatility σ of the balance, per square-root year; > 0; a number or a
    /// distribution. Required for `"band"`.
    #[serde(default)]
    pub volatility: Option<S<Dist>>,
    /// Band model: how often the balance is checked, per year (discrete monitoring, with the
    /// Broadie–Glasserman–Kou continuity correction); an integer from 1 to 365. Default: 12.
    #[serde(default)]
    pub steps_per_year: Option<S<i64>>,
    /// Band model: the horizon in years of the headline probability of renewed war (and of
    /// `price_durability`); > 0. Default: 5.
    #[serde(default)]
    pub years: Option<S<f64>>,
    /// Hazard ratios applied to every agreement, `{ free label = multiplier of the hazard }`;
    /// each > 0; each a number or a distribution; the ratios multiply. Default: {}.
    #[serde(default)]
    pub always: BTreeMap<String, S<Dist>>,
    /// Years after signature at which the probability of renewed war is reported, in years;
    /// each > 0. Default: [1, 2, 5, 10].
    #[serde(default)]
    pub report_years: Vec<S<f64>>,
    /// The `[[issue]]` id whose options split the survival curves in reports. Default: the issue
    /// with the most options carrying a `hazard_ratio` (the first on a tie).
    #[serde(default)]
    pub group_by: Option<S<String>>,
}

/// `[war]`: the decisive-war lottery of a breakdown (`docs/model.md` §4, "Breakdown"): actor k wins
/// with probability `p_k` and imposes its ideal package (its best option on every ordinal issue,
/// all of a divisible issue it shares in); each actor pays its lump-sum `cost`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawWar {
    /// `{ actor id = probability of winning }`; each in [0, 1], summing to at most 1 (the rest is
    /// a stalemate worth nothing); with two actors one may be left out (it wins with the rest).
    /// Each a number or a distribution. Required.
    pub win_probability: S<BTreeMap<String, S<Dist>>>,
    /// `{ actor id = lump-sum cost of the war }` in utility units; >= 0; each a number or a
    /// distribution. Default: 0 for every actor.
    #[serde(default)]
    pub cost: BTreeMap<String, S<Dist>>,
    /// A scheduled power shift, `{ round, win_probability }`: from that round on the lottery
    /// uses the new win probabilities (Powell 2006). Default: none.
    #[serde(default)]
    pub shift: Option<S<RawShift>>,
}

/// `shift = { round = 3, win_probability = { A = 0.7 } }` under `[war]`.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawShift {
    /// First round (0-based) with the new balance of power; an integer >= 1. Required.
    pub round: S<i64>,
    /// Win probabilities from that round on, as in `[war] win_probability`. Required.
    pub win_probability: S<BTreeMap<String, S<Dist>>>,
}

/// `[ceasefire]` (optional, `docs/model.md` §9.1): a ceasefire agreement that may come before a
/// settlement. While it holds, war costs stop (up to a residual), the front is frozen, and it
/// collapses back to war with a Weibull proportional hazard; settlement talks go on under it.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawCeasefire {
    /// Actor ids whose acceptance every ceasefire needs. Default: every `veto` actor, or every
    /// actor under `quota = "unanimity"`.
    #[serde(default)]
    pub signatories: Option<S<Vec<S<String>>>>,
    /// `{ actor id = cost per round while a ceasefire holds }` (violations, mobilisation), in
    /// utility units per round like `war_cost`; >= 0; a number or a distribution. Default: 0.
    #[serde(default)]
    pub residual_war_cost: BTreeMap<String, S<Dist>>,
    /// `{ actor id = probability }`: in a run, with this probability the actor refuses every
    /// ceasefire (it wants a settlement first); in [0, 1]; a number or a distribution. Default: 0.
    #[serde(default)]
    pub refused: BTreeMap<String, S<Dist>>,
    /// `[ceasefire.collapse]`: the hazard of a return to war. Required.
    pub collapse: S<RawCollapse>,
    /// `[[ceasefire.term]]`: the terms a ceasefire is made of (where the line is frozen,
    /// monitoring, ...). Default: none (one bare ceasefire, frozen at the current front).
    #[serde(default)]
    pub term: Vec<S<RawCeasefireTerm>>,
}

/// `[ceasefire.collapse]`: Weibull proportional hazards of a ceasefire's collapse (time in years).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawCollapse {
    /// Probability that a bare ceasefire (no hazard ratios) collapses within `years`; strictly in
    /// (0, 1); a number or a distribution. Required.
    pub p_collapse: S<Dist>,
    /// The horizon of `p_collapse`, in years; > 0. Required.
    pub years: S<f64>,
    /// Weibull shape k, dimensionless (< 1: risk highest just after the ceasefire starts; 1:
    /// constant); > 0; a number or a distribution. Default: 1.
    #[serde(default)]
    pub shape: Option<S<Dist>>,
}

/// `[[ceasefire.term]]`: one dimension of a ceasefire agreement.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawCeasefireTerm {
    /// The term's id; unique among the terms. Required.
    pub id: S<String>,
    /// Description shown in reports. Default: the `id`.
    #[serde(default)]
    pub label: Option<String>,
    /// The options, at least one. Required.
    pub options: S<Vec<S<RawCeasefireOption>>>,
}

/// One option of a ceasefire term.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawCeasefireOption {
    /// The option's id; unique within its term. Required.
    pub id: S<String>,
    /// Description shown in reports. Default: the `id`.
    #[serde(default)]
    pub label: Option<String>,
    /// Multiplier of the collapse hazard (< 1: the ceasefire holds longer); > 0; a number or a
    /// distribution. Default: 1.
    #[serde(default)]
    pub hazard_ratio: Option<S<Dist>>,
    /// `{ actor id = value }`: each actor's value of living under a ceasefire with this option,
    /// in utility units on the scale of option utilities; any finite number; a number or a
    /// distribution. Default: 0.
    #[serde(default)]
    pub utility: BTreeMap<String, S<Dist>>,
    /// `{ actor id = probability }`: in a run, with this probability the actor refuses every
    /// ceasefire with this option; in [0, 1]; a number or a distribution. Default: 0.
    #[serde(default)]
    pub refused_by: BTreeMap<String, S<Dist>>,
    /// `{ issue id = option id }`: the ceasefire freezes that issue's frontline at this path
    /// option instead of the current position (a withdrawal to a line). Default: the front stays
    /// where it is.
    #[serde(default)]
    pub freeze_at: BTreeMap<String, S<String>>,
    /// Source or comment; ignored by the engine. Default: none.
    #[serde(default)]
    pub note: Option<String>,
}
