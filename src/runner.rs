//! The parallel runner: the only place that owns threads (rayon).
//!
//! - [`run_all`] and [`run_all_each`] simulate the runs of one scenario in parallel, in a pool of
//!   [`RunOptions::threads`] workers (or the current pool when `None`).
//! - [`in_pool`] and [`map_in_pool`] run work of the caller's (a batch of scenarios) in a pool of
//!   a given size; the runs it starts with `threads: None` share that pool rather than building
//!   their own.
//! - [`current_threads`] is the size of the pool a run started here would use.
//!
//! Runs are folded into per-thread [`Aggregate`]s that are merged at the end; since aggregates are
//! integer counts, the result is identical for any thread count and any scheduling. Memory is
//! bounded by the aggregate's size, not by the number of runs.

use crate::model::package::PackageCache;
use crate::scenario::Scenario;
use crate::sim::{RunRecord, simulate_shared};
use crate::stats::Aggregate;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// What to run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// Runs of the whole job: run indices `0..runs`.
    pub runs: u64,
    pub seed: u64,
    /// Worker threads; `None` = all cores.
    pub threads: Option<usize>,
    /// Simulate only this shard's runs (`None` = all of them).
    pub shard: Option<Shard>,
}

/// Shard `index` of `count`: the runs r with `r % count == index` (`armistice run --shard K/N`).
/// Aggregates are exact integer sums, so the shards' aggregates merge into exactly the
/// unsharded result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    /// 0-based, below `count`.
    pub index: u64,
    /// Number of shards, >= 1.
    pub count: u64,
}

impl RunOptions {
    /// How many runs this job simulates (all runs, or its shard's).
    pub fn own_runs(&self) -> u64 {
        match self.shard {
            None => self.runs,
            Some(Shard { index, count }) => self.runs.saturating_sub(index).div_ceil(count),
        }
    }

    /// The run index of this job's i-th run.
    fn run_index(&self, i: u64) -> u64 {
        match self.shard {
            None => i,
            Some(Shard { index, count }) => index + i * count,
        }
    }
}

/// Attached to a run to watch progress (progress bars, logs); the core never prints.
pub trait Observer: Sync {
    /// Called after every finished run, from worker threads.
    fn run_done(&self) {}
}

/// An observer that does nothing.
pub struct Silent;
impl Observer for Silent {}

/// The run was cancelled (Ctrl-C) before it finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the simulation was cancelled before it finished; no outputs were written")]
pub struct Cancelled;

/// Why a batch of runs stopped without a result.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Cancelled(#[from] Cancelled),
    /// With `--strict` ([`strict`]): a run had a round whose equilibrium solve stopped above the
    /// tolerance after every fallback (without `--strict` it is played from the best values
    /// reached, and listed).
    #[error(
        "error: run {run} did not converge: the equilibrium solve of round {shown} (`explain` counts rounds from 1; summary.json's `round` {round} counts from 0) stopped at residual {residual:.1e}, above the tolerance, after every fallback ({count} run(s) in all); --strict: no outputs were written\n  = help: `armistice explain SCENARIO --run {run}` (with the same --seed) tells that run round by round; without --strict the round is played from the best values reached and the run is listed in summary.json; a higher `temperature` (noisier offers), a looser `[protocol] tolerance` or fewer near-identical packages usually converges",
        shown = .round + 1
    )]
    NotConverged {
        /// Index of the run (with the seed, it identifies the run exactly): the first by index.
        run: u64,
        /// 0-based round whose solve failed.
        round: usize,
        /// Max-norm residual of the equilibrium map at the best point reached (utility units).
        residual: f64,
        /// Unconverged runs in all.
        count: u64,
    },
}

/// `--strict`: an error naming the first unconverged run of `agg` (by index), if any.
///
/// # Errors
/// [`RunError::NotConverged`] when some run had a round above the tolerance.
pub fn strict(agg: &Aggregate) -> Result<(), RunError> {
    strict_runs(&agg.unconverged)
}

/// [`strict`] on the unconverged runs `u` of an aggregate.
///
/// # Errors
/// [`RunError::NotConverged`] naming the first of them.
pub fn strict_runs(u: &crate::stats::unconverged::Unconverged) -> Result<(), RunError> {
    match u.runs.first() {
        Some(x) => Err(RunError::NotConverged {
            run: x.run,
            round: x.round,
            residual: x.residual,
            count: u.count,
        }),
        None => Ok(()),
    }
}

/// Simulates runs `0..opts.runs` of `s` (or the shard's runs among them) and returns their
/// aggregate.
///
/// A run with a round above the solver's tolerance is played on and listed in the aggregate
/// (`Aggregate::unconverged`); [`strict`] turns that into an error.
///
/// # Errors
/// [`RunError::Cancelled`] if `cancel` was set while running.
pub fn run_all(
    s: &Scenario,
    opts: RunOptions,
    observer: &dyn Observer,
    cancel: &AtomicBool,
) -> Result<Aggregate, RunError> {
    // runs with the same package inputs share one package set
    let cache = PackageCache::default();
    let work = || {
        (0..opts.own_runs())
            .into_par_iter()
            .try_fold(
                || Aggregate::new(s),
                |mut agg, i| {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(RunError::Cancelled(Cancelled));
                    }
                    let rec = simulate_shared(s, opts.seed, opts.run_index(i), &cache);
                    agg.add(s, &rec);
                    observer.run_done();
                    Ok(agg)
                },
            )
            .try_reduce(|| Aggregate::new(s), |a, b| Ok(a.merge(b)))
    };
    // try_fold/try_reduce stop every worker at its next run once `cancel` is set
    let agg = match opts.threads {
        Some(t) => rayon::ThreadPoolBuilder::new()
            .num_threads(t.max(1))
            .build()
            .map_or_else(|_| work(), |pool| pool.install(work)),
        None => work(),
    }?;
    if agg.runs != opts.own_runs() {
        return Err(RunError::Cancelled(Cancelled));
    }
    Ok(agg)
}

/// Runs simulated per chunk, each held in memory while it is streamed: memory stays flat.
pub const STREAM_CHUNK: u64 = 2_048;

/// Why a streamed run stopped.
#[derive(Debug, thiserror::Error)]
pub enum StreamError {
    #[error(transparent)]
    Run(#[from] RunError),
    /// The per-run sink failed (e.g. a disk write).
    #[error("cannot write the per-run records: {0}")]
    Sink(std::io::Error),
}

/// Like [`run_all`], and also hands every run's record to `each`, in run order (runs are
/// simulated in parallel chunks of [`STREAM_CHUNK`], then passed on in order), so a per-run file
/// is identical for any thread count and memory does not grow with the number of runs.
///
/// # Errors
/// [`StreamError`] on cancellation or when `each` fails.
pub fn run_all_each(
    s: &Scenario,
    opts: RunOptions,
    observer: &dyn Observer,
    cancel: &AtomicBool,
    each: &mut dyn FnMut(&RunRecord) -> std::io::Result<()>,
) -> Result<Aggregate, StreamError> {
    let pool = opts
        .threads
        .and_then(|t| rayon::ThreadPoolBuilder::new().num_threads(t.max(1)).build().ok());
    let mut agg = Aggregate::new(s);
    let mut start = 0;
    let own = opts.own_runs();
    let cache = PackageCache::default();
    while start < own {
        let end = (start + STREAM_CHUNK).min(own);
        let chunk = || -> Result<Vec<RunRecord>, RunError> {
            (start..end)
                .into_par_iter()
                .map(|i| {
                    if cancel.load(Ordering::Relaxed) {
                        return Err(RunError::Cancelled(Cancelled));
                    }
                    let rec = simulate_shared(s, opts.seed, opts.run_index(i), &cache);
                    observer.run_done();
                    Ok(rec)
                })
                .collect()
        };
        let records = match &pool {
            Some(p) => p.install(chunk),
            None => chunk(),
        }?;
        for rec in &records {
            each(rec).map_err(StreamError::Sink)?;
            agg.add(s, rec);
        }
        start = end;
    }
    Ok(agg)
}

/// Runs `f` in a pool of `threads` workers: all cores (the global pool) when `None` or when the
/// pool cannot be built. Runs that `f` starts with `threads: None`, and [`current_threads`],
/// use that pool.
pub fn in_pool<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> T {
    match threads.and_then(|t| rayon::ThreadPoolBuilder::new().num_threads(t).build().ok()) {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// `f` of every item, computed in parallel in a pool of `threads` workers ([`in_pool`]);
/// results in item order. Used by `armistice batch` to run a folder's scenarios side by side,
/// each scenario's runs sharing the same pool.
pub fn map_in_pool<T: Sync, R: Send>(threads: Option<usize>, items: &[T], f: impl Fn(&T) -> R + Sync + Send) -> Vec<R> {
    in_pool(threads, || items.par_iter().map(f).collect())
}

/// The number of worker threads of the current pool (all cores outside [`in_pool`]): what a run
/// with `threads: None` uses, for manifests.
pub fn current_threads() -> usize {
    rayon::current_num_threads()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `--strict` names the first unconverged run by index, its round and residual, and the count.
    #[test]
    fn strict_names_the_first_unconverged_run() {
        let s = Scenario::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/classic/two-party-toy.toml"
        )))
        .unwrap();
        let mut agg = Aggregate::new(&s);
        assert_eq!(strict(&agg), Ok(()));
        for (run, round) in [(40, 1), (17, 3)] {
            let mut rec = crate::sim::simulate(&s, 1, run);
            rec.not_converged = Some(crate::sim::NotConverged {
                round,
                residual: 2.5e-4,
                tau: 0.05,
            });
            agg.add(&s, &rec);
        }
        let err = strict(&agg).unwrap_err();
        assert_eq!(
            err,
            RunError::NotConverged {
                run: 17,
                round: 3,
                residual: 2.5e-4,
                count: 2
            }
        );
        let msg = err.to_string();
        assert!(
            msg.contains("run 17")
                && msg.contains("round 4 (`explain` counts rounds from 1; summary.json's `round` 3")
                && msg.contains("2.5e-4"),
            "{msg}"
        );
    }
}
