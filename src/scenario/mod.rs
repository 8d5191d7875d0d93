//! Scenario files: parsing, validation and the validated [`Scenario`] type.
//!
//! Loading is two steps (the ripgrep habit): [`raw`] mirrors the TOML with serde and rejects
//! unknown keys; [`validate`] resolves every id to an index, checks every value against its
//! domain, and produces a [`Scenario`] that cannot hold invalid data. Everything downstream takes
//! `&Scenario`. Errors are [`Diagnostic`]s located by line and column in the file.

pub mod ceasefire;
pub mod diag;
pub mod dist;
pub mod import;
pub mod number;
pub mod option_ref;
pub mod path;
pub mod positions;
pub mod precheck;
pub mod question;
pub mod raw;
pub mod schema;
pub mod spatial;
pub mod stat;
pub mod sweep;
pub mod types;
pub mod units;
mod validate;

pub use diag::{Diagnostic, DiagnosticKind, ScenarioError, Severity};
pub use dist::Dist;

use serde::Serialize;
use std::path::{Path, PathBuf};

/// A validated scenario. Indices refer to `issues`, `actors`, `bodies` by position.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    pub meta: Meta,
    pub simulation: Simulation,
    pub protocol: Protocol,
    pub issues: Vec<Issue>,
    pub actors: Vec<Actor>,
    pub bodies: Vec<Body>,
    pub ratifiers: Vec<Ratifier>,
    pub events: Vec<Event>,
    pub durability: Option<Durability>,
    /// `[ceasefire]`, if declared (`docs/model.md` §9.1).
    pub ceasefire: Option<ceasefire::Ceasefire>,
    /// `[war]`, if declared.
    pub war: Option<War>,
    /// Red lines, ratifier intercepts and utilities that depend on the state of the war
    /// (`docs/model.md` §9.2); empty when the scenario declares none.
    #[serde(skip_serializing_if = "positions::PositionRules::is_empty")]
    pub positions: positions::PositionRules,
    /// `[[question]]`s: yes/no questions the scenario answers (`docs/model.md` §11); empty when
    /// it declares none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<question::Question>,
    /// Spatial issues: their scales, the actors' positions and capabilities, and the groups
    /// sharing one Euclidean distance (`docs/model.md` §1 (spatial issues)); empty when the scenario has none.
    #[serde(skip_serializing_if = "spatial::Spatial::is_empty")]
    pub spatial: spatial::Spatial,
    /// `[backtest]`: how a back-test case was written, if declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backtest: Option<question::BacktestInfo>,
    /// Hex SHA-256 of the file's bytes (recorded in the manifest).
    pub source_hash: String,
    /// The file the scenario was loaded from.
    #[serde(skip)]
    pub path: PathBuf,
    /// The `[[sweep]]`s declared in the file, checked (paths resolve, statistics exist).
    pub sweeps: Vec<SweepDecl>,
    /// The file's text as read (sweeps edit it; shard files carry it so `merge` needs nothing else).
    #[serde(skip)]
    pub source: String,
    /// Rendered warnings found while validating (the scenario still loads).
    #[serde(skip)]
    pub warnings: Vec<String>,
}

/// `[scenario]`.
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// The date the scenario describes (ISO 8601, as written); `None`: an undated scenario
    /// (nothing in it is a date; reports say "undated").
    pub as_of: Option<String>,
    /// As written, e.g. "1 month"; `None`: rounds have no calendar length (nothing in the
    /// scenario is stated in calendar time; outputs count rounds).
    pub round_length: Option<String>,
    /// The round length in years (used to convert durability times); `None` without
    /// `round_length` (validation then refuses everything that needs it).
    pub round_years: Option<f64>,
    /// Rounds observed; a run still at war after this many rounds ends as no agreement.
    pub horizon: usize,
    pub sources: Vec<String>,
}

/// `[simulation]`.
#[derive(Debug, Clone, Serialize)]
pub struct Simulation {
    /// Default number of Monte Carlo runs.
    pub runs: u64,
    /// Master seed.
    pub seed: u64,
}

/// How the proposer is chosen each round (`docs/model.md` §2, step 1).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Recognition {
    /// i.i.d. each round with probabilities proportional to `actor.recognition` (Baron–Ferejohn).
    Weighted,
    /// A fixed cycle through the actors with positive recognition, in file order (Rubinstein).
    Alternating,
    /// A fixed cycle through the listed actors.
    Order(Vec<usize>),
    /// A Markov chain: `(proposers in file order, row-stochastic matrix between them)`; round 0's
    /// proposer is the first listed.
    Markov(Vec<usize>, Vec<f64>),
}

/// Family of the private acceptance shocks (`docs/model.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoiseFamily {
    /// Uniform on `[−a, a]`.
    Uniform,
    /// Logistic with scale `a`.
    Logistic,
}

/// How many acceptances a package needs besides the veto and consent actors.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Quota {
    Unanimity,
    /// `q` votes including the proposer's.
    Votes(usize),
}

/// How actors see the future war state when computing reservation values (`docs/model.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Anticipation {
    None,
    ExpectedPath,
}

/// Whether a responder's private acceptance shock is drawn once per run or every round.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TypeMode {
    Persistent,
    Iid,
}

/// `[protocol]`.
#[derive(Debug, Clone, Serialize)]
pub struct Protocol {
    pub recognition: Recognition,
    pub quota: Quota,
    /// Per-round probability that talks end for good after a round without agreement, in [0, 1].
    pub breakdown: Dist,
    /// Logit temperature of proposers, in utility units, >= 0 (0 = exact best response).
    pub temperature: f64,
    pub anticipation: Anticipation,
    pub private_types: TypeMode,
    /// Whether peace values are net of the expected loss from renewed war (`docs/model.md` §5,
    /// "durability priced in"); needs `[durability]`.
    pub price_durability: bool,
    /// Hard deadline in rounds (talks end after it; solved by backward induction).
    pub deadline: Option<usize>,
    pub acceptance_noise: NoiseFamily,
    /// Max-norm residual at which the equilibrium solve stops at the scenario's temperature;
    /// valid range [1e-12, 1e-8]. Not a scenario key: 1e-10 (`docs/model.md` §3); results must not
    /// depend on it within that range (a test checks 1e-8 against 1e-10).
    pub solver_tolerance: f64,
    /// How each round's equilibrium is selected: `[protocol] selection` (`"traced"`, the default,
    /// or `"warm"`); [`Selection::Cold`] is not a scenario key, it exists for ablation studies.
    pub selection: Selection,
}

/// Equilibrium selection rule (`docs/model.md` §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Selection {
    /// The pinned logit tracing path (`solve::equilibrium` module docs): round 0 along the
    /// temperature ladder; a later round warm-starts from the previous round's values unless the
    /// game changed (a belief moved, a vote failed, the war lottery shifted, a red line, ratifier
    /// or utility moved with the war), when it is traced again (`docs/model.md` §10, rule 7). The
    /// selected equilibrium is then a function of the round's game alone.
    Traced,
    /// The design spec's rule, without our exception: every later round warm-starts at the
    /// scenario's temperature from the previous round's values, whatever changed; the ladder
    /// only in round 0 and where a warm start fails (`docs/model.md` §10, rule 7). Fewer solver
    /// evaluations where beliefs move every round; the selected equilibrium can depend on the
    /// run's history (the branch it was on).
    Warm,
    /// Ablation: solve directly at the scenario's temperature from the start values (the ladder
    /// only where that fails), warm-started in later rounds; reaches other equilibria in a share
    /// of runs.
    Cold,
}

impl Protocol {
    /// The selection rule that applies: `None` with a hard deadline, where every round is solved
    /// by backward induction and there is nothing to select (`docs/model.md` §10).
    pub fn selection_in_effect(&self) -> Option<Selection> {
        self.deadline.is_none().then_some(self.selection)
    }
}

impl Selection {
    /// The rule's word, as in `[protocol] selection` (`"cold"` exists for ablations only).
    pub fn word(self) -> &'static str {
        match self {
            Self::Traced => "traced",
            Self::Warm => "warm",
            Self::Cold => "cold",
        }
    }
}

/// A party whose consent an option can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Party {
    Actor(usize),
    Body(usize),
}

/// One option of an ordinal issue.
#[derive(Debug, Clone, Serialize)]
pub struct IssueOption {
    pub id: String,
    pub label: String,
    /// Parties whose acceptance is needed whenever this option is in the package.
    pub consent: Vec<Party>,
    /// Multiplies the durability hazard of an agreement carrying this option (> 0).
    pub hazard_ratio: Option<Dist>,
    /// Band durability model: widening of the band at each edge (>= 0).
    pub band_widening: Option<Dist>,
}

/// A frontline: a real position along `path` (indices of options), moved each round of war by
/// `f' = clamp(f + drift + sd·ξ + jump·1{breakthrough})` (`docs/model.md` §4).
#[derive(Debug, Clone, Serialize)]
pub struct Frontline {
    pub path: Vec<usize>,
    /// Position at round 0, in path steps from the first path option.
    pub start: Dist,
    /// Expected movement per round, in path steps.
    pub drift: Dist,
    /// Standard deviation of the movement per round, >= 0.
    pub sd: Dist,
    /// Per-round probability of a breakthrough, in [0, 1].
    pub breakthrough_probability: Dist,
    /// Extra movement in a breakthrough round, in path steps.
    pub breakthrough_jump: Dist,
}

/// `[[issue]]`: ordinal, or divisible (`divisible` is set).
#[derive(Debug, Clone, Serialize)]
pub struct Issue {
    pub id: String,
    pub title: String,
    /// The options of an ordinal issue. A divisible issue has one placeholder option (id
    /// `"<issue id>:split"`, utility 0) so that it takes part in the package space as one
    /// coordinate; its value comes from the split.
    pub options: Vec<IssueOption>,
    /// The option each side lives with while fighting, if declared.
    pub war_status_quo: Option<usize>,
    pub frontline: Option<Frontline>,
    /// For a divisible issue: the actors (indices, at least 2) that split it.
    pub divisible: Option<Vec<usize>>,
}

/// `[war]`: the decisive-war lottery of a breakdown, and a scheduled power shift.
#[derive(Debug, Clone, Serialize)]
pub struct War {
    /// Per actor: probability of winning (0 for actors not listed).
    pub win_probability: Vec<Dist>,
    /// Per actor: lump-sum cost of the war, >= 0.
    pub cost: Vec<Dist>,
    /// `(round, win probabilities from that round on)`.
    pub shift: Option<(usize, Vec<Dist>)>,
}

/// When a red line is waived.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Unless {
    /// Waived when the package goes to a ratifier.
    pub ratified: bool,
    /// Waived when all these parties' acceptance is needed for the package.
    pub consent: Vec<Party>,
    /// Waived when the package carries any of these (issue, option) pairs.
    pub options: Vec<(usize, usize)>,
}

/// A red line: the actor rejects (and never proposes) packages whose option on `issue` is one of
/// `options`, unless a condition holds. Binds in a run with probability `binding`.
#[derive(Debug, Clone, Serialize)]
pub struct RedLine {
    pub issue: usize,
    pub options: Vec<usize>,
    pub binding: Dist,
    pub unless: Unless,
    pub note: Option<String>,
}

/// `[[actor]]`. Vectors indexed by issue are as long as `Scenario::issues`.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub veto: bool,
    /// Weight of being recognised as proposer, >= 0.
    pub recognition: Dist,
    /// Per-round discount factor, in (0, 1].
    pub discount: Dist,
    /// Utility lost per round of war, on the utility scale (negative = inside option).
    pub war_cost: Dist,
    /// Half-width of the uniform private acceptance shock, >= 0.
    pub noise: Dist,
    /// Utility from any signed agreement.
    pub agreement_bonus: Dist,
    /// Lump-sum payoff if talks break down.
    pub breakdown_value: Dist,
    /// Salience per issue, >= 0 (normalised per run to sum 1 unless `normalise_salience` is
    /// false).
    pub salience: Vec<Dist>,
    /// Whether the saliences are normalised to sum to 1 in every run (default); `false`: they are
    /// absolute weights, used as drawn, summing to at most 1 (`docs/model.md` §1).
    pub normalise_salience: bool,
    /// Dirichlet concentration around the saliences, if set.
    pub salience_concentration: Option<f64>,
    /// Utility per issue per option, on [0, 1].
    pub utility: Vec<Vec<Dist>>,
    /// Per-issue war-time utility overriding the issue's `war_status_quo`.
    pub war_utility: Vec<Option<Dist>>,
    pub red_lines: Vec<RedLine>,
    pub sources: Vec<String>,
    /// Loss from a renewed war after a deal, in utility units (lump sum), >= 0; priced into peace
    /// values with `price_durability`.
    pub renewed_war_loss: Dist,
    /// The actor's own view of the war, used for its reservation value only.
    pub beliefs: Beliefs,
    /// Curvature ρ per issue of its value of a divisible issue, in (0, 1] (1 elsewhere).
    pub curvature: Vec<f64>,
    /// Value of opting out as a responder (Shaked and Sutton 1984), if any.
    pub outside_option: Option<Dist>,
    /// The value of no agreement, lump sum (`docs/model.md` §2, reservation values), if given.
    pub reservation_value: Option<Dist>,
    /// Whether a breakdown pays the drawn reservation value (`reservation_value` given, neither
    /// `breakdown_value` nor `[war]`).
    pub breakdown_at_reservation: bool,
    /// Discrete private types replacing the `noise` family for this actor (`docs/model.md` §3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub types: Option<types::TypePoints>,
}

/// An actor's own expectations about the war (`docs/model.md` §4, "beliefs about the war"): they
/// replace the scenario's dynamics in that actor's reservation value only; the simulated war
/// follows the scenario. `None` = the actor shares the scenario's value (the same draw).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Beliefs {
    /// Per issue (as long as `Scenario::issues`); only frontline issues can carry one.
    pub frontline: Vec<Option<FrontlineBelief>>,
    /// Per event (as long as `Scenario::events`): the per-round hazard the actor expects.
    pub hazard: Vec<Option<Dist>>,
}

/// An actor's own view of one frontline's movement.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FrontlineBelief {
    /// Expected movement per round of war, in path steps per round.
    pub drift: Option<Dist>,
    /// Probability of a breakthrough per round, in [0, 1].
    pub breakthrough_probability: Option<Dist>,
    /// Movement in a breakthrough round, in path steps.
    pub breakthrough_jump: Option<Dist>,
    /// Prior sd of the drift belief (path steps per round, > 0): the actor learns the drift
    /// (`docs/model.md` §9.3). `None`: the belief is fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift_sd: Option<f64>,
    /// Prior strength n0 (pseudo-rounds, > 0) of the breakthrough-probability belief: the actor
    /// learns it (`docs/model.md` §9.3). `None`: the belief is fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakthrough_strength: Option<f64>,
}

impl Beliefs {
    /// Whether the actor holds any view of its own.
    pub fn is_empty(&self) -> bool {
        self.frontline.iter().all(Option::is_none) && self.hazard.iter().all(Option::is_none)
    }
}

/// `[[body]]`: a non-bargaining body named in consent lists.
#[derive(Debug, Clone, Serialize)]
pub struct Body {
    pub id: String,
    pub name: String,
    /// Probability that it consents, drawn once per run.
    pub consent: Dist,
}

/// `[[ratifier]]`: votes on a signed package in its scope; pass probability
/// `clamp(logistic(intercept + Σ effects of the package's options), floor, ceiling)`.
#[derive(Debug, Clone, Serialize)]
pub struct Ratifier {
    pub id: String,
    pub name: String,
    /// `None` = every package; else per issue, which options put a package in scope
    /// (a package is in scope if any listed option is in it).
    pub scope: Option<Vec<(usize, usize)>>,
    pub intercept: Dist,
    pub effects: Vec<(usize, usize, Dist)>,
    pub floor: f64,
    pub ceiling: f64,
    /// One latent threshold per run (true) or a fresh one per vote.
    pub persistent: bool,
    /// Rounds between signature and the vote.
    pub lag: usize,
}

/// What an event changes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    WarCost(usize),
    Discount(usize),
    Recognition(usize),
    Noise(usize),
    /// (actor, issue, option)
    Utility(usize, usize, usize),
    /// Moves the frontline of an issue (once, when the event fires).
    Frontline(usize),
    /// An actor's agreement bonus `B_i` (part of every package's value).
    AgreementBonus(usize),
}

/// `{ add = x }` or `{ set = x }`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Change {
    Add(Dist),
    Set(Dist),
}

/// One effect of an event.
#[derive(Debug, Clone, Serialize)]
pub struct Effect {
    pub target: Target,
    pub change: Change,
}

/// When an event fires.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    /// Per-round probability, in [0, 1].
    Hazard(Dist),
    /// At the start of this round (0-based).
    AtRound(usize),
}

/// `[[event]]`.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    pub id: String,
    pub name: String,
    pub trigger: Trigger,
    /// Rounds the effects last; `None` = the rest of the run.
    pub duration: Option<usize>,
    /// Whether a hazard event can fire again after its effects expire.
    pub repeat: bool,
    pub effects: Vec<Effect>,
}

/// A `[[sweep]]` as written: its id, its `PATH=...` strings and its statistics' names (parse
/// them with [`sweep::Axis::parse`] and [`stat::Stat::parse`]).
#[derive(Debug, Clone, Serialize)]
pub struct SweepDecl {
    pub id: String,
    pub set: Vec<String>,
    pub stats: Vec<String>,
}

/// `[durability]`: Weibull proportional hazards (`docs/model.md` §5).
#[derive(Debug, Clone, Serialize)]
pub struct Durability {
    /// Weibull shape k > 0 (k < 1: risk front-loaded).
    pub shape: Dist,
    /// P(renewed war within `baseline_years`) for a bare ceasefire, in (0, 1).
    pub p_baseline: Dist,
    pub baseline_years: f64,
    /// Named hazard ratios applied to every agreement.
    pub always: Vec<(String, Dist)>,
    /// Years at which survival is reported.
    pub report_years: Vec<f64>,
    /// The issue whose options split the survival curves.
    pub group_by: Option<usize>,
    /// The band model, when `model = "band"` (then `shape`, `p_baseline` are unused and
    /// `baseline_years` is the band's `years`).
    pub band: Option<BandSpec>,
}

/// `[durability] model = "band"` (`docs/model.md` §5): the balance of power diffuses after signature,
/// `p_t = balance + drift·t + volatility·W_t` (t in years), and war resumes when it leaves
/// `(lower, upper)`, each edge moved out by the package's `band_widening`s.
#[derive(Debug, Clone, Serialize)]
pub struct BandSpec {
    pub balance: Dist,
    pub lower: Dist,
    pub upper: Dist,
    /// Per year.
    pub drift: Dist,
    /// Per square-root year, > 0.
    pub volatility: Dist,
    /// Monitoring steps per year (1 to 365).
    pub steps_per_year: u32,
}

impl Meta {
    /// `as_of`, or "undated".
    pub fn as_of_text(&self) -> &str {
        self.as_of.as_deref().unwrap_or(UNDATED)
    }

    /// "as of 2025-08-19", or "undated".
    pub fn as_of_note(&self) -> String {
        as_of_note(self.as_of.as_deref())
    }

    /// " of 1 month" (after "round"), or nothing when rounds have no calendar length.
    pub fn of_round(&self) -> String {
        of_round(self.round_length.as_deref())
    }
}

/// What reports print for the date of a scenario without `as_of`.
pub const UNDATED: &str = "undated";

/// "as of 2025-08-19", or "undated" without a date.
pub fn as_of_note(as_of: Option<&str>) -> String {
    as_of.map_or_else(|| UNDATED.to_string(), |d| format!("as of {d}"))
}

/// " of 1 month", to follow "round" or "rounds"; empty without a round length.
pub fn of_round(round_length: Option<&str>) -> String {
    round_length.map_or_else(String::new, |l| format!(" of {l}"))
}

impl Scenario {
    /// Loads and validates a scenario file.
    ///
    /// # Errors
    /// A [`ScenarioError`] with every problem found, each located by line and column.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let bytes = std::fs::read(path).map_err(|e| ScenarioError::io(path, &e))?;
        Scenario::from_bytes(path, &bytes)
    }

    /// Parses and validates scenario text; `path` is used in messages only.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario, ScenarioError> {
        validate::from_bytes(path, bytes)
    }

    /// Index of the actor with this id.
    pub fn actor_index(&self, id: &str) -> Option<usize> {
        self.actors.iter().position(|a| a.id == id)
    }

    /// Number of packages (product of the options per ordinal issue).
    pub fn package_space(&self) -> u128 {
        self.issues.iter().map(|i| i.options.len() as u128).product()
    }

    /// The default guarantee-like issue for survival curves: `durability.group_by`, else the
    /// issue with the most options carrying hazard ratios.
    pub fn survival_issue(&self) -> Option<usize> {
        if let Some(d) = &self.durability
            && d.group_by.is_some()
        {
            return d.group_by;
        }
        self.issues
            .iter()
            .enumerate()
            .map(|(k, i)| (i.options.iter().filter(|o| o.hazard_ratio.is_some()).count(), k))
            .filter(|(n, _)| *n > 0)
            .max_by_key(|&(n, k)| (n, std::cmp::Reverse(k)))
            .map(|(_, k)| k)
    }
}

/// The candidate closest to `word` by edit distance, if close enough to be a likely typo and not
/// ambiguous: among equally close candidates the one sharing the longest prefix wins (`USA` →
/// `US`, not `UA`); a tie there too (`B9` among `B0`, `B1`, `B2`) suggests nothing.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let w = word.to_lowercase();
    let prefix = |c: &str| {
        w.chars()
            .zip(c.to_lowercase().chars())
            .take_while(|(a, b)| a == b)
            .count()
    };
    let mut close: Vec<(usize, usize, &str)> = candidates
        .into_iter()
        .map(|c| (edit_distance(&w, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .map(|(d, c)| (d, prefix(c), c))
        .collect();
    close.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    match close.as_slice() {
        [] => None,
        [only] => Some(only.2),
        [a, b, ..] if (a.0, a.1) == (b.0, b.1) && a.2 != b.2 => None,
        [a, ..] => Some(a.2),
    }
}

/// Levenshtein distance between two strings (by chars).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

impl Scenario {
    /// The scenario on expected parameters (`armistice solve`, the baselines): every
    /// distribution replaced by its mean; a red line binds, and a body consents, iff its
    /// probability is at least 1/2; saliences are fixed at their weights.
    pub fn expected(&self) -> Scenario {
        fn m(d: &mut Dist) {
            *d = Dist::Fixed(d.mean());
        }
        fn coin(d: &mut Dist) {
            *d = Dist::Fixed(if d.mean() >= 0.5 { 1.0 } else { 0.0 });
        }
        let mut s = self.clone();
        m(&mut s.protocol.breakdown);
        for issue in &mut s.issues {
            issue
                .options
                .iter_mut()
                .filter_map(|o| o.hazard_ratio.as_mut())
                .for_each(m);
            issue
                .options
                .iter_mut()
                .filter_map(|o| o.band_widening.as_mut())
                .for_each(m);
            if let Some(f) = &mut issue.frontline {
                for d in [
                    &mut f.start,
                    &mut f.drift,
                    &mut f.sd,
                    &mut f.breakthrough_probability,
                    &mut f.breakthrough_jump,
                ] {
                    m(d);
                }
            }
        }
        for a in &mut s.actors {
            for d in [
                &mut a.recognition,
                &mut a.discount,
                &mut a.war_cost,
                &mut a.noise,
                &mut a.agreement_bonus,
                &mut a.breakdown_value,
                &mut a.renewed_war_loss,
            ] {
                m(d);
            }
            a.salience.iter_mut().for_each(m);
            a.salience_concentration = None;
            a.utility.iter_mut().flatten().for_each(m);
            a.war_utility.iter_mut().flatten().for_each(m);
            a.outside_option.iter_mut().for_each(m);
            a.reservation_value.iter_mut().for_each(m);
            a.red_lines.iter_mut().for_each(|l| coin(&mut l.binding));
            for b in a.beliefs.frontline.iter_mut().flatten() {
                for d in [&mut b.drift, &mut b.breakthrough_probability, &mut b.breakthrough_jump] {
                    d.iter_mut().for_each(m);
                }
            }
            a.beliefs.hazard.iter_mut().flatten().for_each(m);
        }
        s.bodies.iter_mut().for_each(|b| coin(&mut b.consent));
        for r in &mut s.ratifiers {
            m(&mut r.intercept);
            r.effects.iter_mut().for_each(|e| m(&mut e.2));
        }
        for e in &mut s.events {
            if let Trigger::Hazard(h) = &mut e.trigger {
                m(h);
            }
            for ef in &mut e.effects {
                match &mut ef.change {
                    Change::Add(d) | Change::Set(d) => m(d),
                }
            }
        }
        if let Some(d) = &mut s.durability {
            if let Some(b) = &mut d.band {
                for x in [
                    &mut b.balance,
                    &mut b.lower,
                    &mut b.upper,
                    &mut b.drift,
                    &mut b.volatility,
                ] {
                    m(x);
                }
            }
            m(&mut d.shape);
            m(&mut d.p_baseline);
            d.always.iter_mut().for_each(|a| m(&mut a.1));
        }
        if let Some(w) = &mut s.war {
            w.win_probability.iter_mut().for_each(m);
            w.cost.iter_mut().for_each(m);
            if let Some((_, p)) = &mut w.shift {
                p.iter_mut().for_each(m);
            }
        }
        s
    }
}
