//! Analysis workflows on top of the Monte Carlo engine: parameter sweeps, one-at-a-time
//! sensitivity (tornado) and scenario comparison.
//!
//! Every variant of a scenario is the scenario's own text with numbers replaced
//! ([`path::set`]), validated like any file, and simulated with the same seed and run indices.
//! Since each uncertain number takes exactly one word of a run's random stream and each round
//! its own segment (`crate::sim::run`), run r sees the same draws at every point except the
//! parameter changed: differences between points are common-random-number differences, not
//! noise between independent samples.

pub mod stat;

pub use crate::scenario::path;
pub use crate::scenario::sweep::{Axis, variant_text};

use crate::runner::{Observer, RunError, RunOptions, StreamError, run_all, run_all_each};
use crate::scenario::{Dist, Scenario};
use crate::stats::Aggregate;
use stat::{Stat, Value};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// A variant of scenario `base`: its text with each `(path, value)` set.
///
/// # Errors
/// A path that does not resolve, or the edited scenario's validation errors (rendered with
/// line and column in the edited text).
pub fn variant(base: &Scenario, sets: &[(&str, f64)]) -> Result<Scenario, String> {
    let text = variant_text(&base.source, sets).map_err(|e| e.to_string())?;
    let at: Vec<String> = sets.iter().map(|(p, v)| format!("{p} = {v}")).collect();
    // name the edited text, not the file: its lines show the swept value
    let label = std::path::PathBuf::from(format!("{} [sweep variant: {}]", base.path.display(), at.join(", ")));
    Scenario::from_bytes(&label, text.as_bytes()).map_err(|e| {
        format!(
            "{e}\n  = note: the file itself is valid; the variant with {} is not: choose sweep values inside the key's valid range",
            at.join(", ")
        )
    })
}

/// A simulation's aggregate and, for each statistic asked for, each run's value.
pub struct PointResult {
    pub aggregate: Aggregate,
    /// `per_run[k][r]`: statistic k's value in run r, in run order (statistics conditional on
    /// agreement, see [`Stat::per_run_supported`], get an empty vector).
    pub per_run: Vec<Vec<f64>>,
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
    v.extend(s.actors.iter().map(|a| Stat::Payoff(a.id.clone())));
    v
}

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
/// The scenario text does not parse (cannot happen for a loaded scenario).
pub fn uncertain(s: &Scenario) -> Result<Vec<(String, Dist)>, String> {
    Ok(path::uncertain(&path::parse(&s.source).map_err(|e| e.to_string())?))
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
    let lo = variant(s, &[(path, low)]).map_err(SweepError::Input)?;
    let hi = variant(s, &[(path, high)]).map_err(SweepError::Input)?;
    let a = simulate_point(&lo, opts, std::slice::from_ref(stat), observer, cancel)?;
    let b = simulate_point(&hi, opts, std::slice::from_ref(stat), observer, cancel)?;
    let (va, vb) = (stat.of(&lo, &a.aggregate), stat.of(&hi, &b.aggregate));
    let swing = if stat.per_run_supported() {
        stat::paired_difference(&a.per_run[0], &b.per_run[0])
    } else {
        stat::independent_difference(va, vb, stat.is_probability())
    };
    Ok(Sensitivity {
        path: path.to_string(),
        dist: dist.clone(),
        kind,
        low,
        high,
        at_low: va,
        at_high: vb,
        swing,
    })
}

/// Why a sweep, tornado or comparison stopped.
#[derive(Debug, thiserror::Error)]
pub enum SweepError {
    /// A variant or argument is invalid (the text says where and how to fix it).
    #[error("{0}")]
    Input(String),
    #[error(transparent)]
    Run(#[from] RunError),
}

/// A sweep read from the scenario file's `[[sweep]]` or the command line.
#[derive(Debug, Clone)]
pub struct SweepSpec {
    /// Folder name under the output folder.
    pub id: String,
    /// One or two parameters; the first varies fastest in [`grid`].
    pub axes: Vec<Axis>,
    /// The statistics charted (the CSV holds [`default_stats`] too).
    pub stats: Vec<Stat>,
}

/// Checks a sweep against the scenario: one or two different axes, each path resolving to a
/// number or a distribution, and every variant valid (so nothing runs before every point is known
/// to load). Returns each grid point with its variant, in [`grid`] order.
///
/// # Errors
/// The first problem found.
pub fn check_sweep(s: &Scenario, spec: &SweepSpec) -> Result<Vec<(Vec<f64>, Scenario)>, String> {
    if spec.axes.is_empty() || spec.axes.len() > 2 {
        return Err(format!(
            "error: a sweep has one or two parameters, this one has {}\n  = help: pass --set once or twice",
            spec.axes.len()
        ));
    }
    let doc = path::parse(&s.source).map_err(|e| e.to_string())?;
    if let [x, y] = spec.axes.as_slice()
        && x.path == y.path
    {
        return Err(format!(
            "error: `{}` is swept twice\n  = help: a two-parameter sweep needs two different parameters",
            x.path
        ));
    }
    for a in &spec.axes {
        path::get(&doc, &a.path).map_err(|e| {
            format!("error: cannot sweep `{}`: {e}\n  = help: paths look like actor.RU.war_cost or issue.territory.frontline.drift", a.path)
        })?;
    }
    grid(&spec.axes)
        .into_iter()
        .map(|p| {
            let sets: Vec<(&str, f64)> = spec
                .axes
                .iter()
                .map(|a| a.path.as_str())
                .zip(p.iter().copied())
                .collect();
            let v = variant(s, &sets)?;
            Ok((p, v))
        })
        .collect()
}

/// The points of a 1-D or 2-D sweep: the first axis varies fastest.
pub fn grid(axes: &[Axis]) -> Vec<Vec<f64>> {
    match axes {
        [x] => x.values.iter().map(|v| vec![*v]).collect(),
        [x, y] => y
            .values
            .iter()
            .flat_map(|b| x.values.iter().map(move |a| vec![*a, *b]))
            .collect(),
        _ => vec![],
    }
}

/// Loads every `*.toml` of `dir` (not recursive), sorted by name: the valid scenarios and, for
/// the others, the rendered errors.
pub fn scan_folder(dir: &Path) -> std::io::Result<Vec<(std::path::PathBuf, Result<Scenario, String>)>> {
    let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|f| {
            let s = crate::model::check::load(&f).map_err(|e| e.to_string());
            (f, s)
        })
        .collect())
}
