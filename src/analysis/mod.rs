//! Analysis workflows on top of the Monte Carlo engine: parameter sweeps
//! ([`sweep`](mod@sweep)), one-at-a-time sensitivity ([`tornado`](mod@tornado)), scenario
//! comparison ([`compare`](mod@compare)) and folders of scenarios ([`batch`](mod@batch)). Each
//! computes typed results; `crate::report` writes them and the binary prints them.
//!
//! Every variant of a scenario is the scenario's own text with numbers replaced
//! ([`path::set`]), validated like any file, and simulated with the same seed and run indices.
//! Since each uncertain number takes exactly one word of a run's random stream and each round
//! its own segment (`crate::sim::run`), run r sees the same draws at every point except the
//! parameter changed: differences between points are common-random-number differences, not
//! noise between independent samples.

pub mod backtest;
pub mod batch;
pub mod compare;
pub mod stat;
pub mod sweep;
pub mod tornado;

pub use crate::scenario::path;
pub use crate::scenario::sweep::{Axis, variant_text};
pub use batch::{Batch, BatchFileError, plan_batch, scan_folder};
pub use compare::{CompareRow, Comparison, compare, compare_from, compare_units, shared};
pub use sweep::{SweepPoint, SweepSpec, check_sweep, csv_stats, file_stem, grid, run_sweep, sweep_from};
pub use tornado::{
    Sensitivity, Swing, TORNADO_QUANTILES, Tornado, TornadoParam, chance_events, check_tornado, sensitivity,
    swing_values, tornado, tornado_from, tornado_params, tornado_units, uncertain,
};

use crate::runner::{Observer, RunError, RunOptions, StreamError, run_all, run_all_each};
use crate::scenario::{Scenario, ScenarioError};
use crate::stats::Aggregate;
use stat::Stat;
use std::sync::atomic::AtomicBool;

/// Why an analysis cannot start: an argument or a variant of the scenario is invalid. The text
/// says where and how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// The scenario text does not parse, or a path does not resolve in it (the message of
    /// `crate::scenario::path` or `crate::scenario::sweep`).
    #[error("{0}")]
    Text(String),
    /// The scenario with these values set fails validation (`at` lists them as `path = value`).
    #[error(
        "{error}\n  = note: the file itself is valid; the variant with {at} is not: choose sweep values inside the key's valid range"
    )]
    InvalidVariant { at: String, error: ScenarioError },
    /// A sweep needs one or two axes; it has this many.
    #[error("error: a sweep has one or two parameters, this one has {0}\n  = help: pass --set once or twice")]
    SweepAxes(usize),
    /// Both axes of a two-parameter sweep are this path.
    #[error("error: `{0}` is swept twice\n  = help: a two-parameter sweep needs two different parameters")]
    SweptTwice(String),
    /// A swept path does not name a number or a distribution of the scenario.
    #[error(
        "error: cannot sweep `{path}`: {error}\n  = help: paths look like actor.RU.war_cost or issue.territory.frontline.drift"
    )]
    SweepPath { path: String, error: String },
}

/// Why a sweep, tornado or comparison stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A variant or argument is invalid (the text says where and how to fix it).
    #[error(transparent)]
    Input(#[from] AnalysisError),
    #[error(transparent)]
    Run(#[from] RunError),
}

/// A variant of scenario `base`: its text with each `(path, value)` set.
///
/// # Errors
/// [`AnalysisError::Text`] for a path that does not resolve; [`AnalysisError::InvalidVariant`]
/// with the edited scenario's validation errors (rendered with line and column in the edited
/// text).
pub fn variant(base: &Scenario, sets: &[(&str, f64)]) -> Result<Scenario, AnalysisError> {
    let text = variant_text(&base.source, sets).map_err(|e| AnalysisError::Text(e.to_string()))?;
    let at: Vec<String> = sets.iter().map(|(p, v)| format!("{p} = {v}")).collect();
    // name the edited text, not the file: its lines show the swept value
    let label = std::path::PathBuf::from(format!("{} [sweep variant: {}]", base.path.display(), at.join(", ")));
    Scenario::from_bytes(&label, text.as_bytes()).map_err(|error| AnalysisError::InvalidVariant {
        at: at.join(", "),
        error,
    })
}

/// A simulation's aggregate and, for each statistic asked for, each run's value.
pub struct PointResult {
    pub aggregate: Aggregate,
    /// `per_run[k][r]`: statistic k's value in run r, in run order (statistics conditional on
    /// agreement, see [`Stat::per_run_supported`], get an empty vector).
    pub per_run: Vec<Vec<f64>>,
}

/// One simulation of an analysis: a scenario (or a variant of one) and the statistics whose
/// per-run values it keeps for paired differences.
#[derive(Debug, Clone)]
pub struct Unit {
    pub scenario: Scenario,
    pub paired: Vec<Stat>,
}

/// Simulates each unit in turn with `opts` ([`simulate_point`]); with `opts.shard`, only the
/// shard's runs of each, whose results merge exactly ([`PointResult::interleave`]).
///
/// # Errors
/// As the runner: cancellation or a run that did not converge.
pub fn simulate_units(
    units: &[Unit],
    opts: RunOptions,
    observer: &dyn Observer,
    cancel: &AtomicBool,
) -> Result<Vec<PointResult>, RunError> {
    units
        .iter()
        .map(|u| simulate_point(&u.scenario, opts, &u.paired, observer, cancel))
        .collect()
}

impl PointResult {
    /// The result of all runs from the results of shards `0..N` of them (in shard order, each
    /// simulated with `Shard { index: k, count: N }`): aggregates summed, per-run values put
    /// back in run order (run r is the (r / N)-th value of shard r mod N). Exact: the result is
    /// the unsharded simulation's, bit for bit. `None` if the shards' per-run values do not fit
    /// together (a statistic with values in one shard and not in another).
    pub fn interleave(shards: Vec<PointResult>) -> Option<PointResult> {
        let n = shards.len();
        let stats = shards.first()?.per_run.len();
        if shards.iter().any(|p| p.per_run.len() != stats) {
            return None;
        }
        let mut per_run = vec![];
        for k in 0..stats {
            let total: usize = shards.iter().map(|p| p.per_run[k].len()).sum();
            let mut v = Vec::with_capacity(total);
            for r in 0..total {
                v.push(*shards[r % n].per_run[k].get(r / n)?);
            }
            per_run.push(v);
        }
        let mut it = shards.into_iter();
        let mut aggregate = it.next()?.aggregate;
        for p in it {
            aggregate = aggregate.merge(p.aggregate);
        }
        Some(PointResult { aggregate, per_run })
    }
}

/// Simulates `s` with `opts`, keeping each run's value of every statistic in `paired` that has
/// one (for paired, common-random-number differences).
///
/// # Errors
/// As the runner: cancellation or a run that did not converge.
pub fn simulate_point(
    s: &Scenario,
    opts: RunOptions,
    paired: &[Stat],
    observer: &dyn Observer,
    cancel: &AtomicBool,
) -> Result<PointResult, RunError> {
    if !paired.iter().any(Stat::per_run_supported) {
        return Ok(PointResult {
            aggregate: run_all(s, opts, observer, cancel)?,
            per_run: vec![vec![]; paired.len()],
        });
    }
    let mut per_run: Vec<Vec<f64>> = vec![Vec::with_capacity(opts.own_runs() as usize); paired.len()];
    let agg = run_all_each(s, opts, observer, cancel, &mut |r| {
        for (k, st) in paired.iter().enumerate() {
            if let Some(v) = st.per_run(s, r) {
                per_run[k].push(v);
            }
        }
        Ok(())
    })
    .map_err(|e| match e {
        StreamError::Run(e) => e,
        StreamError::Sink(_) => unreachable!("the sink cannot fail"),
    })?;
    Ok(PointResult {
        aggregate: agg,
        per_run,
    })
}

impl Stat {
    /// Whether [`Stat::per_run`] gives a value (unconditional statistics).
    pub fn per_run_supported(&self) -> bool {
        !matches!(self, Stat::OptionShare(..) | Stat::RenewedWar)
    }
}

/// The statistics a sweep or comparison reports besides those asked for: the outcomes, P(agreement)
/// at each report cutoff, each actor's mean payoff and (with durability) P(renewed war).
pub fn default_stats(s: &Scenario) -> Vec<Stat> {
    let mut v = vec![];
    for n in [6, 12] {
        if n < s.meta.horizon {
            v.push(Stat::AgreementWithin(n));
        }
    }
    v.push(Stat::Agreement);
    v.extend([Stat::Breakdown, Stat::NoAgreement]);
    if s.durability.is_some() {
        v.push(Stat::RenewedWar);
    }
    if s.ceasefire.is_some() {
        for n in [6, 12] {
            if n < s.meta.horizon {
                v.push(Stat::CeasefireWithin(n));
            }
        }
        v.push(Stat::Ceasefire);
    }
    v.extend(s.actors.iter().map(|a| Stat::Payoff(a.id.clone())));
    v
}
