//! Two scenarios compared statistic by statistic, on the same seed and run indices.

use super::stat::{self, Stat, Value};
use super::{PointResult, Unit, default_stats, simulate_units};
use crate::runner::{Observer, RunError, RunOptions};
use crate::scenario::Scenario;
use crate::stats::Aggregate;
use std::sync::atomic::AtomicBool;

/// One statistic of a comparison.
#[derive(Debug, Clone)]
pub struct CompareRow {
    pub stat: Stat,
    /// The statistic's label in scenario A.
    pub label: String,
    /// The statistic in A and in B, with 95% intervals.
    pub a: Value,
    pub b: Value,
    /// `b − a` with its 95% interval.
    pub diff: Value,
    /// Whether the statistic is a probability (else a mean in utility units).
    pub probability: bool,
    /// Whether the difference's interval is paired over runs (run r of A against run r of B),
    /// else the samples are treated as independent (Newcombe's hybrid score interval).
    pub paired: bool,
}

/// A comparison of scenarios A and B.
pub struct Comparison {
    /// The two simulations' aggregates.
    pub a: Aggregate,
    pub b: Aggregate,
    /// The statistics both define, matched by name: A's [`default_stats`] (paired where the
    /// statistic has per-run values), then the shares of agreements of every option of A's
    /// issues (independent).
    pub rows: Vec<CompareRow>,
}

/// How many actors and issues of A are also in B (by id): with none of either, the two
/// scenarios' runs share no draws.
pub fn shared(sa: &Scenario, sb: &Scenario) -> (usize, usize) {
    let actors = sa.actors.iter().filter(|x| sb.actor_index(&x.id).is_some()).count();
    let issues = sa
        .issues
        .iter()
        .filter(|x| sb.issues.iter().any(|y| y.id == x.id))
        .count();
    (actors, issues)
}

/// The two simulations of a comparison: A then B, each keeping its runs' values of the
/// statistics both define ([`default_stats`] of A, matched by name). [`compare`] simulates them
/// in this order; a sharded comparison simulates a shard of each and [`compare_from`] reads the
/// merged results.
pub fn compare_units(sa: &Scenario, sb: &Scenario) -> [Unit; 2] {
    // the statistics both scenarios define, matched by name
    let stats: Vec<Stat> = default_stats(sa)
        .into_iter()
        .filter(|st| Stat::parse(&st.name(), sb).is_ok())
        .collect();
    [
        Unit {
            scenario: sa.clone(),
            paired: stats.clone(),
        },
        Unit {
            scenario: sb.clone(),
            paired: stats,
        },
    ]
}

/// Simulates A then B with the same `opts` (so run r of each shares its draws where the files
/// agree) and compares every statistic both define; `observer` sees `2 × opts.runs` runs.
///
/// # Errors
/// As the runner: cancellation or a run that did not converge.
pub fn compare(
    sa: &Scenario,
    sb: &Scenario,
    opts: RunOptions,
    observer: &dyn Observer,
    cancel: &AtomicBool,
) -> Result<Comparison, RunError> {
    let units = compare_units(sa, sb);
    let mut results = simulate_units(&units, opts, observer, cancel)?;
    let pb = results.pop().expect("two results");
    let pa = results.pop().expect("two results");
    Ok(compare_from(sa, sb, pa, pb))
}

/// The comparison of A and B from the results of their [`compare_units`].
pub fn compare_from(sa: &Scenario, sb: &Scenario, pa: PointResult, pb: PointResult) -> Comparison {
    let [ua, _] = compare_units(sa, sb);
    let mut stats = ua.paired;
    let n_paired = stats.len();
    for issue in &sa.issues {
        for opt in &issue.options {
            let st = Stat::OptionShare(issue.id.clone(), opt.id.clone());
            if Stat::parse(&st.name(), sb).is_ok() {
                stats.push(st);
            }
        }
    }
    // differences: paired over runs (run r of A and of B) for per-run statistics, independent
    // (Newcombe) for shares of agreements
    let rows = stats
        .into_iter()
        .enumerate()
        .map(|(k, st)| {
            let (va, vb) = (st.of(sa, &pa.aggregate), st.of(sb, &pb.aggregate));
            let paired = k < n_paired && st.per_run_supported();
            let diff = if paired {
                stat::paired_difference(&pa.per_run[k], &pb.per_run[k])
            } else {
                stat::independent_difference(va, vb, st.is_probability())
            };
            CompareRow {
                label: st.label(sa),
                a: va,
                b: vb,
                diff,
                probability: st.is_probability(),
                paired,
                stat: st,
            }
        })
        .collect();
    Comparison {
        a: pa.aggregate,
        b: pb.aggregate,
        rows,
    }
}
