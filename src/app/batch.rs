//! `armistice batch`: load every scenario of a folder → run the valid ones side by side in the
//! runner's pool, each writing the outputs of `armistice run` → write the index → print it.

use super::{AppError, CANCEL, Progress, opts, progress_bar, run_error, write_outputs};
use crate::cli::{BatchArgs, SimArgs};
use armistice::analysis;
use armistice::report::shard::AggregateFile;
use armistice::report::{self, Manifest, batch::BatchIndex};
use armistice::runner::{self, RunOptions, run_all};
use armistice::scenario::Scenario;
use armistice::stats::Summary;
use std::path::{Path, PathBuf};

/// `armistice batch`.
pub fn batch(a: &BatchArgs) -> Result<(), AppError> {
    let found = analysis::scan_folder(&a.dir)
        .map_err(|e| AppError::Input(format!("error: cannot read the folder {}: {e}", a.dir.display())))?;
    if found.is_empty() {
        return Err(AppError::Input(format!(
            "error: {} holds no .toml scenario\n  = help: `armistice new {}/my-scenario` writes one",
            a.dir.display(),
            a.dir.display()
        )));
    }
    let name = std::fs::canonicalize(&a.dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "scenarios".into());
    let out = a
        .sim
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("batch-{name}")));
    let plan = analysis::plan_batch(found);
    let mut failed: Vec<(PathBuf, String)> = plan.rejected.iter().map(|(f, e)| (f.clone(), e.to_string())).collect();
    let total: u64 = plan
        .runnable
        .iter()
        .map(|(_, s)| a.sim.runs.unwrap_or(s.simulation.runs))
        .sum();
    let bar = progress_bar(total, a.sim.output.quiet, &format!("batch {name}"));
    let started = std::time::Instant::now();
    let progress = Progress(bar.clone());
    // the runner's pool runs the scenarios side by side; each one's runs share it
    let results = runner::map_in_pool(a.sim.threads.map(|t| t as usize), &plan.runnable, |(f, s)| {
        run_one(f, s, &a.sim, &out, &progress)
    });
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

/// Runs one scenario of the batch in the current pool and writes its outputs of `armistice
/// run` to `out/<id>`; returns its summary.
fn run_one(f: &Path, s: &Scenario, sim: &SimArgs, out: &Path, progress: &Progress) -> Result<Summary, AppError> {
    // the batch's pool runs the scenarios; each uses it too (no pool of its own)
    let o = RunOptions {
        threads: None,
        ..opts(sim, s, s.simulation.runs)
    };
    let agg = run_all(s, o, progress, &CANCEL).map_err(run_error)?;
    let manifest = Manifest {
        tool: "armistice".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_file: f.display().to_string(),
        scenario_sha256: s.source_hash.clone(),
        seed: o.seed,
        runs: o.runs,
        threads: o.threads.unwrap_or_else(runner::current_threads),
        wall_time_seconds: 0.0,
        command: format!("armistice run {} --runs {} --seed {}", f.display(), o.runs, o.seed),
    };
    let file = AggregateFile::new(s, o.seed, o.runs, None, agg);
    let output = report::Output::begin(&out.join(&s.meta.id)).map_err(|e| AppError::Input(e.to_string()))?;
    write_outputs(output, s, &file, &manifest, !sim.output.no_charts)?;
    Ok(Summary::new(s, &file.aggregate, o.seed))
}
