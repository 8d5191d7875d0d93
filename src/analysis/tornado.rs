//! One-at-a-time sensitivity (a tornado): each uncertain parameter fixed at a low and a high
//! value in turn, the others drawn as usual, on common random numbers.

use super::stat::{self, Stat, Value};
use super::{AnalysisError, PointResult, SweepError, Unit, path, simulate_point, simulate_units, variant};
use crate::runner::{Observer, RunOptions};
use crate::scenario::{Dist, Scenario};
use std::sync::atomic::AtomicBool;

/// How a tornado row moves its parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Swing {
    /// From the distribution's 10th to its 90th percentile ([`TORNADO_QUANTILES`]).
    Percentiles,
    /// A probability that an event happens in a run (a red line binds, a body consents) from 0
    /// to 1: the event's own uncertainty, which no percentile of its probability shows.
    NeverAlways,
}

/// One parameter's one-at-a-time sensitivity.
#[derive(Debug, Clone)]
pub struct Sensitivity {
    pub path: String,
    pub dist: Dist,
    pub kind: Swing,
    /// The low and high values the parameter is fixed at (10th and 90th percentiles, or 0 and 1).
    pub low: f64,
    pub high: f64,
    /// The statistic with the parameter fixed at each.
    pub at_low: Value,
    pub at_high: Value,
    /// `at_high − at_low`, with a paired (common-random-number) interval where the statistic
    /// allows it, else an independent one.
    pub swing: Value,
}

/// The quantiles a tornado fixes each parameter at.
pub const TORNADO_QUANTILES: (f64, f64) = (0.1, 0.9);

/// Every uncertain number of `s` as a path and its distribution (see [`path::uncertain`]).
///
/// # Errors
/// [`AnalysisError::Text`]: the scenario text does not parse (cannot happen for a loaded
/// scenario).
pub fn uncertain(s: &Scenario) -> Result<Vec<(String, Dist)>, AnalysisError> {
    let doc = path::parse(&s.source).map_err(|e| AnalysisError::Text(e.to_string()))?;
    Ok(path::uncertain(&doc))
}

/// Every per-run event of `s` that happens with a probability strictly between 0 and 1: each
/// red line's `binding` and each body's `consent`, as paths with their probabilities.
pub fn chance_events(s: &Scenario) -> Vec<(String, Dist)> {
    let open = |d: &Dist| (1e-9..1.0 - 1e-9).contains(&d.mean());
    let mut out = vec![];
    for a in &s.actors {
        for (n, l) in a.red_lines.iter().enumerate() {
            if open(&l.binding) {
                out.push((format!("actor.{}.red_lines.{n}.binding", a.id), l.binding.clone()));
            }
        }
    }
    for b in &s.bodies {
        if open(&b.consent) {
            out.push((format!("body.{}.consent", b.id), b.consent.clone()));
        }
    }
    out
}

/// The values a row of kind `kind` fixes a parameter with distribution `dist` at.
pub fn swing_values(dist: &Dist, kind: Swing) -> (f64, f64) {
    match kind {
        Swing::Percentiles => (dist.quantile(TORNADO_QUANTILES.0), dist.quantile(TORNADO_QUANTILES.1)),
        Swing::NeverAlways => (0.0, 1.0),
    }
}

/// A parameter a tornado varies: its path, its distribution and how it is moved.
#[derive(Debug, Clone)]
pub struct TornadoParam {
    /// A parameter path (`crate::scenario::path`).
    pub path: String,
    pub dist: Dist,
    pub kind: Swing,
}

/// The parameters of a tornado of `s`: every [`uncertain`] number (moved between percentiles)
/// and, unless `percentiles_only`, every [`chance_events`] event (never to always). Empty when
/// every number is fixed.
///
/// # Errors
/// As [`uncertain`].
pub fn tornado_params(s: &Scenario, percentiles_only: bool) -> Result<Vec<TornadoParam>, AnalysisError> {
    let param = |kind| move |(path, dist)| TornadoParam { path, dist, kind };
    let mut params: Vec<TornadoParam> = uncertain(s)?.into_iter().map(param(Swing::Percentiles)).collect();
    if !percentiles_only {
        params.extend(chance_events(s).into_iter().map(param(Swing::NeverAlways)));
    }
    Ok(params)
}

/// Checks that every variant of a tornado loads (each parameter at its low and high value), so
/// nothing runs before all are known to.
///
/// # Errors
/// The first variant that does not load ([`variant`]).
pub fn check_tornado(s: &Scenario, params: &[TornadoParam]) -> Result<(), AnalysisError> {
    for p in params {
        let (lo, hi) = swing_values(&p.dist, p.kind);
        for v in [lo, hi] {
            variant(s, &[(&p.path, v)])?;
        }
    }
    Ok(())
}

/// Sensitivity of `stat` to the parameter at `path`: the scenario simulated with it fixed at
/// its low and at its high value ([`swing_values`]), all else drawn as usual, on common random
/// numbers.
///
/// # Errors
/// A variant that fails validation (as text) or a run error.
#[allow(clippy::too_many_arguments)]
pub fn sensitivity(
    s: &Scenario,
    path: &str,
    dist: &Dist,
    kind: Swing,
    stat: &Stat,
    opts: RunOptions,
    observer: &dyn Observer,
    cancel: &AtomicBool,
) -> Result<Sensitivity, SweepError> {
    let (low, high) = swing_values(dist, kind);
    let lo = variant(s, &[(path, low)])?;
    let hi = variant(s, &[(path, high)])?;
    let a = simulate_point(&lo, opts, std::slice::from_ref(stat), observer, cancel)?;
    let b = simulate_point(&hi, opts, std::slice::from_ref(stat), observer, cancel)?;
    Ok(sensitivity_of(&lo, &hi, path, dist, kind, stat, &a, &b))
}

/// The sensitivity row of the parameter at `path` from its two simulated variants.
#[allow(clippy::too_many_arguments)]
fn sensitivity_of(
    lo: &Scenario,
    hi: &Scenario,
    path: &str,
    dist: &Dist,
    kind: Swing,
    stat: &Stat,
    a: &PointResult,
    b: &PointResult,
) -> Sensitivity {
    let (low, high) = swing_values(dist, kind);
    let (va, vb) = (stat.of(lo, &a.aggregate), stat.of(hi, &b.aggregate));
    let swing = if stat.per_run_supported() {
        stat::paired_difference(&a.per_run[0], &b.per_run[0])
    } else {
        stat::independent_difference(va, vb, stat.is_probability())
    };
    Sensitivity {
        path: path.to_string(),
        dist: dist.clone(),
        kind,
        low,
        high,
        at_low: va,
        at_high: vb,
        swing,
    }
}

/// A tornado: the statistic with every parameter drawn as usual, and each parameter's
/// sensitivity, largest absolute swing first (ties by path).
#[derive(Debug, Clone)]
pub struct Tornado {
    /// The statistic with every parameter drawn as usual.
    pub baseline: Value,
    /// One row per parameter, ranked.
    pub rows: Vec<Sensitivity>,
}

/// The simulations of a tornado, in order: `s` as it is (the baseline, no per-run values),
/// then each parameter of `params` at its low and at its high value (each keeping its runs'
/// values of `stat`). [`tornado`] simulates them in this order; a sharded tornado simulates a
/// shard of each and [`tornado_from`] reads the merged results.
///
/// # Errors
/// A variant that fails validation.
pub fn tornado_units(s: &Scenario, params: &[TornadoParam], stat: &Stat) -> Result<Vec<Unit>, AnalysisError> {
    let mut units = vec![Unit {
        scenario: s.clone(),
        paired: vec![],
    }];
    for p in params {
        let (low, high) = swing_values(&p.dist, p.kind);
        for v in [low, high] {
            units.push(Unit {
                scenario: variant(s, &[(&p.path, v)])?,
                paired: vec![stat.clone()],
            });
        }
    }
    Ok(units)
}

/// The tornado of `params` from the results of its [`tornado_units`], in their order.
pub fn tornado_from(
    s: &Scenario,
    params: &[TornadoParam],
    stat: &Stat,
    units: &[Unit],
    results: &[PointResult],
) -> Tornado {
    let mut rows: Vec<Sensitivity> = params
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (lo, hi) = (2 * k + 1, 2 * k + 2);
            sensitivity_of(
                &units[lo].scenario,
                &units[hi].scenario,
                &p.path,
                &p.dist,
                p.kind,
                stat,
                &results[lo],
                &results[hi],
            )
        })
        .collect();
    rows.sort_by(|x, y| {
        y.swing
            .value
            .abs()
            .partial_cmp(&x.swing.value.abs())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.path.cmp(&y.path))
    });
    Tornado {
        baseline: stat.of(s, &results[0].aggregate),
        rows,
    }
}

/// Simulates `s` as it is (the baseline), then each parameter of `params` at its low and high
/// value ([`sensitivity`]), all with `opts` (common random numbers); `observer` sees
/// `opts.runs × (2 × params + 1)` runs.
///
/// # Errors
/// A variant that fails validation or a run error.
pub fn tornado(
    s: &Scenario,
    params: &[TornadoParam],
    stat: &Stat,
    opts: RunOptions,
    observer: &dyn Observer,
    cancel: &AtomicBool,
) -> Result<Tornado, SweepError> {
    let units = tornado_units(s, params, stat)?;
    let results = simulate_units(&units, opts, observer, cancel)?;
    Ok(tornado_from(s, params, stat, &units, &results))
}
