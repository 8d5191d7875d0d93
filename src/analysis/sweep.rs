//! Parameter sweeps: one or two parameters over a grid, every point simulated on common random
//! numbers.

use super::stat::{Stat, Value};
use super::{AnalysisError, Axis, default_stats, path, variant};
use crate::runner::{Observer, RunError, RunOptions, run_all};
use crate::scenario::Scenario;
use crate::stats::Aggregate;
use std::sync::atomic::AtomicBool;

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
pub fn check_sweep(s: &Scenario, spec: &SweepSpec) -> Result<Vec<(Vec<f64>, Scenario)>, AnalysisError> {
    if spec.axes.is_empty() || spec.axes.len() > 2 {
        return Err(AnalysisError::SweepAxes(spec.axes.len()));
    }
    let doc = path::parse(&s.source).map_err(|e| AnalysisError::Text(e.to_string()))?;
    if let [x, y] = spec.axes.as_slice()
        && x.path == y.path
    {
        return Err(AnalysisError::SweptTwice(x.path.clone()));
    }
    for a in &spec.axes {
        path::get(&doc, &a.path).map_err(|e| AnalysisError::SweepPath {
            path: a.path.clone(),
            error: e.to_string(),
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

/// The statistics a sweep's CSV holds: the [`default_stats`] and those charted, in that order.
pub fn csv_stats(s: &Scenario, charted: &[Stat]) -> Vec<Stat> {
    let mut v = default_stats(s);
    for st in charted {
        if !v.contains(st) {
            v.push(st.clone());
        }
    }
    v
}

/// A name made safe for a file or folder: every character but ASCII letters, digits, `-`, `_`
/// and `.` becomes `-`.
pub fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// One simulated point of a sweep.
pub struct SweepPoint {
    /// The swept parameters' values, one per axis.
    pub at: Vec<f64>,
    /// The variant simulated.
    pub scenario: Scenario,
    pub aggregate: Aggregate,
}

impl SweepPoint {
    /// Statistic `st` at this point, with its 95% interval.
    pub fn stat(&self, st: &Stat) -> Value {
        st.of(&self.scenario, &self.aggregate)
    }
}

/// Simulates every checked point ([`check_sweep`]) with `opts`, in order: the same seed and run
/// indices at every point (common random numbers).
///
/// # Errors
/// As the runner: cancellation or a run that did not converge.
pub fn run_sweep(
    checked: Vec<(Vec<f64>, Scenario)>,
    opts: RunOptions,
    observer: &dyn Observer,
    cancel: &AtomicBool,
) -> Result<Vec<SweepPoint>, RunError> {
    let aggregates = checked
        .iter()
        .map(|(_, scenario)| run_all(scenario, opts, observer, cancel))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(sweep_from(checked, aggregates))
}

/// The sweep's points from each checked point's aggregate, in order (a sharded sweep merges
/// each point's shards first).
pub fn sweep_from(checked: Vec<(Vec<f64>, Scenario)>, aggregates: Vec<Aggregate>) -> Vec<SweepPoint> {
    checked
        .into_iter()
        .zip(aggregates)
        .map(|((at, scenario), aggregate)| SweepPoint {
            at,
            scenario,
            aggregate,
        })
        .collect()
}
