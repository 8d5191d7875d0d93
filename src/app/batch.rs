//! `armistice batch`: load every scenario of a folder → run the valid ones side by side in the
//! runner's pool, each writing the outputs of `armistice run` → write the index → print it.

use super::shard::{self, JobInfo, Mode};
use super::{AppError, CANCEL, Progress, opts, progress_bar, run_error, write_outputs};
use crate::cli::{BatchArgs, SimArgs};
use armistice::analysis;
use armistice::report::job::{JobShard, Source, UnitShard};
use armistice::report::shard::AggregateFile;
use armistice::report::{self, Manifest, batch::BatchIndex};
use armistice::runner::{self, RunOptions, run_all};
use armistice::scenario::Scenario;
use armistice::stats::Summary;
use std::path::{Path, PathBuf};

/// `armistice batch`.
pub fn batch(a: &BatchArgs) -> Result<(), AppError> {
    batch_in(a, Mode::of(a.shard)?)
}

/// `armistice batch` in `mode`: everything here, one shard (of every scenario's runs), or the
/// finish of a merge (the folder's files as the shards carry them).
pub fn batch_in(a: &BatchArgs, mode: Mode) -> Result<(), AppError> {
    let (found, name) = match &mode {
        Mode::Merged(m) => {
            let found = m
                .sources
                .iter()
                .map(|x| {
                    let f = PathBuf::from(&x.file);
                    let s = armistice::model::check::from_bytes(&f, x.text.as_bytes());
                    (f, s)
                })
                .collect::<Vec<_>>();
            let name = m
                .args
                .get(1)
                .and_then(|n| n.as_str())
                .unwrap_or("scenarios")
                .to_string();
            (found, name)
        }
        _ => {
            let found = analysis::scan_folder(&a.dir)
                .map_err(|e| AppError::Input(format!("error: cannot read the folder {}: {e}", a.dir.display())))?;
            let name = std::fs::canonicalize(&a.dir)
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "scenarios".into());
            (found, name)
        }
    };
    if found.is_empty() {
        return Err(AppError::Input(format!(
            "error: {} holds no .toml scenario\n  = help: `armistice new {}/my-scenario` writes one",
            a.dir.display(),
            a.dir.display()
        )));
    }
    let out = a
        .sim
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("batch-{name}")));
    // the texts of every file, valid or not, for a shard file
    let sources: Vec<Source> = found
        .iter()
        .map(|(f, s)| Source {
            file: f.display().to_string(),
            text: match s {
                Ok(s) => s.source.clone(),
                Err(_) => std::fs::read(f)
                    .map(|b| String::from_utf8_lossy(&b).into_owned())
                    .unwrap_or_default(),
            },
        })
        .collect();
    let plan = analysis::plan_batch(found);
    let mut failed: Vec<(PathBuf, String)> = plan.rejected.iter().map(|(f, e)| (f.clone(), e.to_string())).collect();
    let total: u64 = plan
        .runnable
        .iter()
        .map(|(_, s)| shard::own_runs(opts(&a.sim, s, s.simulation.runs), &mode))
        .sum();
    let bar = progress_bar(total, a.sim.output.quiet, &format!("batch {name}"));
    let started = std::time::Instant::now();
    let progress = Progress(bar.clone());
    let threads = shard::threads(a.sim.threads);
    let results: Vec<Result<Summary, AppError>> = match mode {
        Mode::Local => {
            // the runner's pool runs the scenarios side by side; each one's runs share it
            runner::map_in_pool(threads, &plan.runnable, |(f, s)| {
                let agg = simulate(s, &a.sim, None, &progress)?;
                write_one(f, s, &a.sim, &out, agg, None)
            })
        }
        Mode::Shard(k) => {
            // scenario u's runs dealt out turned by u (job::unit_shard), so costly runs spread
            let numbered: Vec<(usize, &Scenario)> = plan.runnable.iter().map(|(_, s)| s).enumerate().collect();
            let units = runner::map_in_pool(threads, &numbered, |(u, s)| {
                match simulate(s, &a.sim, Some(armistice::report::job::unit_shard(k, *u)), &progress) {
                    Ok(agg) => Ok(UnitShard::done(analysis::PointResult {
                        aggregate: agg,
                        per_run: vec![],
                    })),
                    Err(AppError::Input(e)) => Ok(UnitShard::failed(e)),
                    Err(e) => Err(e),
                }
            });
            bar.finish_and_clear();
            let units = units.into_iter().collect::<Result<Vec<_>, _>>()?;
            let o = RunOptions {
                runs: 0,
                seed: 0,
                threads,
                shard: Some(k),
            };
            let info = JobInfo {
                command: "batch",
                id: &name,
                args: serde_json::json!([
                    BatchArgs {
                        shard: None,
                        sim: a.sim.job_part(),
                        ..a.clone()
                    },
                    name
                ]),
                sources,
                seed: a.sim.seed,
                runs: a.sim.runs,
            };
            let f = JobShard::new(
                "batch",
                info.name(),
                k,
                info.args,
                info.sources,
                units,
                shard::timing(&o, started),
            );
            let dir = shard::shards_dir(a.sim.output.out.as_ref(), &format!("batch-{name}"));
            return shard::write_shard(&dir, &f, a.sim.output.quiet);
        }
        Mode::Merged(m) => {
            let times = report::ShardTimes::new(&m.timings);
            if m.units.len() != plan.runnable.len() {
                return Err(AppError::Input(format!(
                    "error: the shards of job {} hold {} scenarios, the folder {}",
                    m.job,
                    m.units.len(),
                    plan.runnable.len()
                )));
            }
            plan.runnable
                .iter()
                .zip(m.units)
                .map(|((f, s), r)| {
                    let p = r.map_err(AppError::Input)?;
                    let runs = a.sim.runs.unwrap_or(s.simulation.runs);
                    if p.aggregate.runs != runs {
                        return Err(AppError::Input(format!(
                            "error: the shards hold {} runs of {}, the job {runs}",
                            p.aggregate.runs,
                            f.display()
                        )));
                    }
                    write_one(f, s, &a.sim, &out, p.aggregate, Some(&times))
                })
                .collect()
        }
    };
    bar.finish_and_clear();
    if CANCEL.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(AppError::Cancelled(armistice::runner::Cancelled));
    }
    let mut done = vec![];
    for ((f, s), r) in plan.runnable.iter().zip(&results) {
        match r {
            Ok(sum) => done.push((s, sum)),
            Err(e) => failed.push((f.clone(), e.to_string())),
        }
    }
    let idx = BatchIndex {
        name: &name,
        dir: &a.dir,
        out: &out,
        files: plan.files(),
        done,
        failed: &failed,
    };
    report::batch::write_index(&idx).map_err(|e| AppError::Input(format!("error: {e}")))?;
    finish(&idx, a.sim.output.quiet, started)
}

/// Prints the index (unless `quiet`), then every failure; an error if any file failed.
fn finish(idx: &BatchIndex, quiet: bool, started: std::time::Instant) -> Result<(), AppError> {
    if !quiet {
        outln!("{}", report::batch::terminal_table(idx))?;
        outln!(
            "{} of {} scenario file(s) run in {:.1} s; index: {}",
            idx.done.len(),
            idx.files,
            started.elapsed().as_secs_f64(),
            idx.out.join("index.html").display()
        )?;
    }
    if !idx.failed.is_empty() {
        for (_, e) in idx.failed {
            note!("{e}");
        }
        return Err(AppError::Input(format!(
            "batch: {} of {} scenario(s) failed (listed in the index); the others were written",
            idx.failed.len(),
            idx.files
        )));
    }
    Ok(())
}

/// Simulates one scenario of the batch (or its shard's runs) in the current pool.
fn simulate(
    s: &Scenario,
    sim: &SimArgs,
    shard: Option<armistice::runner::Shard>,
    progress: &Progress,
) -> Result<armistice::stats::Aggregate, AppError> {
    // the batch's pool runs the scenarios; each uses it too (no pool of its own)
    let o = RunOptions {
        threads: None,
        shard,
        ..opts(sim, s, s.simulation.runs)
    };
    let agg = run_all(s, o, progress, &CANCEL).map_err(run_error)?;
    if sim.strict {
        // --strict: this scenario fails (listed as broken), the others are kept
        runner::strict(&agg).map_err(run_error)?;
    }
    Ok(agg)
}

/// Writes one scenario's outputs of `armistice run` to `out/<id>`; returns its summary.
/// `times`: the shards' timing, in a merge.
fn write_one(
    f: &Path,
    s: &Scenario,
    sim: &SimArgs,
    out: &Path,
    agg: armistice::stats::Aggregate,
    times: Option<&report::ShardTimes>,
) -> Result<Summary, AppError> {
    let o = opts(sim, s, s.simulation.runs);
    let (threads, wall) = times.map_or((runner::current_threads(), 0.0), report::ShardTimes::totals);
    let manifest = Manifest {
        tool: "armistice".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_file: shard::shown(f),
        scenario_sha256: s.source_hash.clone(),
        seed: o.seed,
        runs: o.runs,
        threads,
        wall_time_seconds: wall,
        command: format!("armistice run {} --runs {} --seed {}", shard::shown(f), o.runs, o.seed),
        shards: times.cloned(),
    };
    if !sim.output.quiet
        && let Some(w) = report::unconverged::warning(&agg.unconverged, agg.runs)
    {
        note!("{}: {w}", s.meta.id);
    }
    let file = AggregateFile::new(s, o.seed, o.runs, None, agg);
    let output = report::Output::begin(&out.join(&s.meta.id)).map_err(|e| AppError::Input(e.to_string()))?;
    write_outputs(output, s, &file, &manifest, !sim.output.no_charts)?;
    Ok(Summary::new(s, &file.aggregate, o.seed))
}
