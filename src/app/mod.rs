//! The application: one function per command, each reading like its pipeline
//! (load → options → validate → run → export). Errors map to exit codes in [`main`].
//!
//! Everything goes to the terminal through [`out!`], [`outln!`] and [`note!`]: a closed stdout
//! (`armistice … | head`) ends the command quietly with exit 141 instead of a panic, and a
//! closed stderr never stops a command.

/// `print!` that returns `Err(AppError::Closed)` when stdout is a closed pipe (use with `?`).
macro_rules! out {
    ($($t:tt)*) => {
        $crate::app::write_stdout(&format!($($t)*))
    };
}

/// `println!` that returns `Err(AppError::Closed)` when stdout is a closed pipe (use with `?`).
macro_rules! outln {
    ($($t:tt)*) => {
        $crate::app::write_stdout(&format!("{}\n", format_args!($($t)*)))
    };
}

/// `eprintln!` that ignores a closed stderr (messages and warnings are best-effort).
macro_rules! note {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

mod backtest;
mod batch;
mod compare;
mod import;
mod shard;
mod sweep;
mod tornado;
mod unconverged;

use crate::cli::{CheckArgs, Cli, Command, ExplainArgs, MergeArgs, RunArgs, SimArgs};
use armistice::report::shard::AggregateFile;
use armistice::report::{self, Manifest};
use armistice::runner::{Cancelled, Observer, RunError, RunOptions, Shard, StreamError, run_all, run_all_each};
use armistice::scenario::Scenario;
use armistice::stats::Summary;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Set by Ctrl-C; the runner stops at the next run and nothing is written.
static CANCEL: AtomicBool = AtomicBool::new(false);

/// What went wrong, by exit code.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Bad input (exit 1): the message already says where and how to fix it.
    #[error("{0}")]
    Input(String),
    /// A bug or an environment failure (exit 2).
    #[error("internal error: {0:#}")]
    Internal(anyhow::Error),
    /// Ctrl-C (exit 130).
    #[error("{0}")]
    Cancelled(Cancelled),
    /// Stdout was closed by the reader (`armistice … | head`): stop quietly (exit 141, as a
    /// process ended by SIGPIPE reports in a shell).
    #[error("")]
    Closed,
    /// Ctrl-C ended `run --watch` (exit 130; the last run's outputs stay as they were).
    #[error("")]
    Stopped,
}

/// Writes `text` to stdout and flushes it; a closed pipe is [`AppError::Closed`].
pub fn write_stdout(text: &str) -> Result<(), AppError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => AppError::Closed,
            _ => AppError::Internal(anyhow::Error::new(e).context("cannot write to stdout")),
        })
}

/// Runs the parsed command line; returns the process exit code.
pub fn main(cli: Cli) -> i32 {
    let _ = ctrlc::set_handler(|| CANCEL.store(true, Ordering::SeqCst));
    let result = match cli.command {
        Command::Run(a) => run(&a),
        Command::Check(a) => check(&a),
        Command::Merge(a) => shard::merge(&a),
        Command::Explain(a) => explain(&a),
        Command::Solve(a) => solve(&a),
        Command::Sweep(a) => sweep::sweep(&a),
        Command::Tornado(a) => tornado::tornado(&a),
        Command::Compare(a) => compare::compare(&a),
        Command::Batch(a) => batch::batch(&a),
        Command::Backtest(a) => backtest::backtest(&a),
        Command::New { name, force } => new_scenario(&name, force),
        Command::Import(a) => import::import(&a),
        Command::Schema => out!("{}", armistice::scenario::schema::json_schema()),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut script = vec![];
            clap_complete::generate(shell, &mut cmd, "armistice", &mut script);
            out!("{}", String::from_utf8_lossy(&script))
        }
    };
    match result {
        Ok(()) => 0,
        Err(AppError::Closed) => 141,
        Err(AppError::Stopped) => 130,
        Err(e) => {
            note!("{e}");
            match e {
                AppError::Input(_) => 1,
                AppError::Internal(_) => 2,
                AppError::Cancelled(_) | AppError::Stopped => 130,
                AppError::Closed => 141,
            }
        }
    }
}

fn run_error(e: RunError) -> AppError {
    match e {
        RunError::Cancelled(c) => AppError::Cancelled(c),
        e @ RunError::NotConverged { .. } => AppError::Input(e.to_string()),
    }
}

/// The runs, seed and threads of an analysis: the command line's, else the scenario's seed and
/// `default_runs`.
fn opts(sim: &SimArgs, s: &Scenario, default_runs: u64) -> RunOptions {
    RunOptions {
        runs: sim.runs.unwrap_or(default_runs),
        seed: sim.seed.unwrap_or(s.simulation.seed),
        threads: shard::threads(sim.threads),
        shard: None,
    }
}

fn load(path: &std::path::Path) -> Result<Scenario, AppError> {
    armistice::model::check::load(path).map_err(|e| AppError::Input(e.to_string()))
}

struct Progress(ProgressBar);
impl Observer for Progress {
    fn run_done(&self) {
        self.0.inc(1);
    }
}

/// `armistice run` (with `--watch`, again on every save).
pub fn run(a: &RunArgs) -> Result<(), AppError> {
    if !a.watch {
        return run_once(a, None);
    }
    match run_once(a, None) {
        Err(AppError::Closed) => return Err(AppError::Closed),
        Err(e) => note!("{e}"),
        Ok(()) => {}
    }
    watch(a)
}

/// Re-validates and re-runs on every change of the scenario file until Ctrl-C. Watches the
/// parent folder, not the file, so editors that save by writing a new file and renaming it are
/// seen too.
fn watch(a: &RunArgs) -> Result<(), AppError> {
    use notify_debouncer_full::{new_debouncer, notify::RecursiveMode};
    use std::time::Duration;
    let quick = Some(a.sim.runs.unwrap_or(2_000));
    let file = std::fs::canonicalize(&a.scenario)
        .map_err(|e| AppError::Input(format!("cannot watch {}: {e}", a.scenario.display())))?;
    let dir = file
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let (tx, rx) = std::sync::mpsc::channel();
    let mut debouncer =
        new_debouncer(Duration::from_millis(250), None, tx).map_err(|e| AppError::Internal(e.into()))?;
    debouncer
        .watch(&dir, RecursiveMode::NonRecursive)
        .map_err(|e| AppError::Internal(e.into()))?;
    note!("watching {} (Ctrl-C to stop)", a.scenario.display());
    while !CANCEL.load(Ordering::SeqCst) {
        let Ok(result) = rx.recv_timeout(Duration::from_millis(200)) else {
            continue;
        };
        let touched = result
            .map(|evs| {
                evs.iter().any(|ev| {
                    (ev.event.kind.is_modify() || ev.event.kind.is_create())
                        && ev.event.paths.iter().any(|p| same_file(p, &file))
                })
            })
            .unwrap_or(false);
        if touched && file.exists() {
            note!("\n{} changed: re-running", a.scenario.display());
            if let Err(e) = run_once(a, quick) {
                if matches!(e, AppError::Closed) {
                    return Err(e);
                }
                note!("{e}");
            }
        }
    }
    // only Ctrl-C ends the watch: exit 130, as documented
    note!("stopped watching {}", a.scenario.display());
    Err(AppError::Stopped)
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    a == b
        || std::fs::canonicalize(a).is_ok_and(|c| c == b)
        || (a.file_name() == b.file_name()
            && a.parent().and_then(|p| std::fs::canonicalize(p).ok()) == b.parent().map(std::path::Path::to_path_buf))
}

/// Applies `--selection` to the scenario; under a hard deadline it changes nothing, and a
/// warning says so (as `check` does for the key).
fn override_selection(s: &mut Scenario, rule: Option<crate::cli::SelectionArg>) {
    if let Some(rule) = rule {
        s.protocol.selection = rule.into();
        if s.protocol.deadline.is_some() {
            s.warnings.push(format!(
                "warning: --selection {} has no effect on {}: its deadline solves every round by backward induction, which has one answer",
                rule.word(),
                s.path.display()
            ));
        }
    }
}

fn run_once(a: &RunArgs, runs_override: Option<u64>) -> Result<(), AppError> {
    let sharded = shard::resolve(a.shard)?;
    let mut s = load(&a.scenario)?;
    // the outputs name the file, not the path as typed
    s.path = PathBuf::from(shard::shown(&a.scenario));
    if let Some(tol) = a.tolerance {
        s.protocol.solver_tolerance = tol;
    }
    override_selection(&mut s, a.selection);
    if !a.sim.output.quiet {
        s.warnings.iter().for_each(|w| note!("{w}"));
    }
    let opts = RunOptions {
        runs: runs_override.or(a.sim.runs).unwrap_or(s.simulation.runs),
        seed: a.sim.seed.unwrap_or(s.simulation.seed),
        threads: shard::threads(a.sim.threads),
        shard: sharded,
    };
    let bar = progress_bar(opts.own_runs(), a.sim.output.quiet, &s.meta.id);
    if let Some(shard) = sharded {
        return run_shard(a, &s, opts, shard, &bar);
    }
    let out_dir = a
        .sim
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&s.meta.id));
    let mut output = report::Output::begin(&out_dir).map_err(output_err)?;
    let started = Instant::now();
    let agg = if a.per_run {
        run_per_run(&s, opts, &mut output, &bar)?
    } else {
        let agg = run_all(&s, opts, &Progress(bar.clone()), &CANCEL);
        bar.finish_and_clear();
        agg.map_err(run_error)?
    };
    if a.sim.strict {
        armistice::runner::strict(&agg).map_err(run_error)?;
    }
    let wall = started.elapsed().as_secs_f64();
    let manifest = Manifest {
        tool: "armistice".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_file: shard::shown(&a.scenario),
        scenario_sha256: s.source_hash.clone(),
        seed: opts.seed,
        runs: opts.runs,
        threads: opts.threads.unwrap_or_else(armistice::runner::current_threads),
        wall_time_seconds: (wall * 1000.0).round() / 1000.0,
        command: format!(
            "armistice run {} --runs {} --seed {}{}{}",
            shard::shown(&a.scenario),
            opts.runs,
            opts.seed,
            a.tolerance.map(|x| format!(" --tolerance {x:e}")).unwrap_or_default(),
            a.selection
                .map(|r| format!(" --selection {}", r.word()))
                .unwrap_or_default()
        ),
        shards: None,
    };
    let file = AggregateFile::new(&s, opts.seed, opts.runs, None, agg);
    write_outputs(output, &s, &file, &manifest, !a.sim.output.no_charts)?;
    if !a.sim.output.quiet {
        let summary = Summary::new(&s, &file.aggregate, opts.seed);
        out!("{}", report::table::render(&summary, &out_dir.display().to_string()))?;
        outln!(
            "{} runs in {:.1} s ({:.0} runs/s)",
            opts.runs,
            wall,
            opts.runs as f64 / wall.max(1e-9)
        )?;
    }
    Ok(())
}

/// `run --per-run`: simulates the runs, streaming each one's record to the staged `runs.csv`.
fn run_per_run(
    s: &Scenario,
    opts: RunOptions,
    output: &mut report::Output,
    bar: &ProgressBar,
) -> Result<armistice::stats::Aggregate, AppError> {
    let path = output.staged("runs.csv");
    let file = std::fs::File::create(&path)
        .map_err(|e| AppError::Input(format!("error: cannot write {}: {e}", path.display())))?;
    let mut csv =
        report::runs::RunsCsv::new(std::io::BufWriter::new(file), s).map_err(|e| AppError::Internal(e.into()))?;
    let agg = run_all_each(s, opts, &Progress(bar.clone()), &CANCEL, &mut |r| csv.write(s, r));
    bar.finish_and_clear();
    let agg = agg.map_err(|e| match e {
        StreamError::Run(e) => run_error(e),
        StreamError::Sink(e) => AppError::Input(format!("error: cannot write runs.csv: {e}")),
    })?;
    csv.finish()
        .and_then(|mut w| std::io::Write::flush(&mut w))
        .map_err(|e| AppError::Input(format!("error: cannot write runs.csv: {e}")))?;
    output.add("runs.csv");
    Ok(agg)
}

fn output_err(e: report::OutputError) -> AppError {
    match e {
        report::OutputError::Chart(_) => AppError::Internal(e.into()),
        _ => AppError::Input(format!(
            "error: {e}\n  = help: choose a writable folder with --out DIR; nothing was replaced"
        )),
    }
}

fn progress_bar(len: u64, quiet: bool, msg: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(
        Some(len),
        if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        },
    );
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} runs, {per_sec}, ETA {eta}")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(msg.to_string());
    bar
}

/// Stages the summary, tables, charts, report and `aggregate.json` of a whole job, then commits.
fn write_outputs(
    mut output: report::Output,
    s: &Scenario,
    file: &AggregateFile,
    manifest: &Manifest,
    charts: bool,
) -> Result<(), AppError> {
    let summary = Summary::new(s, &file.aggregate, file.seed);
    output.write_summary(manifest, &summary, charts).map_err(output_err)?;
    output
        .put("aggregate.json", file.to_json().as_bytes())
        .map_err(output_err)?;
    output.commit().map_err(output_err)?;
    Ok(())
}

/// `run --shard K/N`: simulate the shard's runs and write `<job>.shard-K-of-N.json` only (with
/// `--per-run`, their runs.csv rows beside it in `<job>.shard-K-of-N.runs.csv`).
fn run_shard(a: &RunArgs, s: &Scenario, opts: RunOptions, shard: Shard, bar: &ProgressBar) -> Result<(), AppError> {
    let dir = shard::shards_dir(a.sim.output.out.as_ref(), &s.meta.id);
    let started = Instant::now();
    let probe = AggregateFile::new(
        s,
        opts.seed,
        opts.runs,
        Some(shard),
        armistice::stats::Aggregate::new(s),
    )
    .with_shard_info(shard::timing(&opts, started), a.per_run.then(String::new));
    let name = probe.shard_name(shard);
    let rows_name = a.per_run.then(|| name.replace(".json", ".runs.csv"));
    let agg = match &rows_name {
        None => {
            let agg = run_all(s, opts, &Progress(bar.clone()), &CANCEL);
            bar.finish_and_clear();
            agg.map_err(run_error)?
        }
        Some(rows) => shard_rows(s, opts, &dir.join(rows), bar)?,
    };
    if a.sim.strict {
        armistice::runner::strict(&agg).map_err(run_error)?;
    }
    let path = dir.join(&name);
    let file = AggregateFile::new(s, opts.seed, opts.runs, Some(shard), agg)
        .with_shard_info(shard::timing(&opts, started), rows_name);
    report::atomic::write_atomic(&path, file.to_json().as_bytes()).map_err(|e| {
        AppError::Input(format!(
            "error: cannot write {}: {e}\n  = help: choose a writable folder with --out DIR",
            path.display()
        ))
    })?;
    if !a.sim.output.quiet {
        outln!(
            "shard {}/{}: {} of {} runs in {:.1} s, written to {}\n  merge all {} shards with: armistice merge {}",
            shard.index,
            shard.count,
            opts.own_runs(),
            opts.runs,
            started.elapsed().as_secs_f64(),
            path.display(),
            shard.count,
            dir.display()
        )?;
    }
    Ok(())
}

/// `run --per-run --shard K/N`: the shard's runs.csv rows (with the header), written atomically
/// to `path`; returns the shard's aggregate.
fn shard_rows(
    s: &Scenario,
    opts: RunOptions,
    path: &std::path::Path,
    bar: &ProgressBar,
) -> Result<armistice::stats::Aggregate, AppError> {
    let tmp = report::atomic::staging_path(path);
    let cannot = |e: &dyn std::fmt::Display| AppError::Input(format!("error: cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| cannot(&e))?;
    }
    let file = std::fs::File::create(&tmp).map_err(|e| cannot(&e))?;
    let result = (|| {
        let mut csv = report::runs::RunsCsv::new(std::io::BufWriter::new(file), s).map_err(|e| cannot(&e))?;
        let agg = run_all_each(s, opts, &Progress(bar.clone()), &CANCEL, &mut |r| csv.write(s, r));
        bar.finish_and_clear();
        let agg = agg.map_err(|e| match e {
            StreamError::Run(e) => run_error(e),
            StreamError::Sink(e) => cannot(&e),
        })?;
        csv.finish()
            .and_then(|mut w| std::io::Write::flush(&mut w))
            .map_err(|e| cannot(&e))?;
        std::fs::rename(&tmp, path).map_err(|e| cannot(&e))?;
        Ok(agg)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// `armistice explain`.
pub fn explain(a: &ExplainArgs) -> Result<(), AppError> {
    let mut s = load(&a.scenario)?;
    if let Some(tol) = a.tolerance {
        s.protocol.solver_tolerance = tol;
    }
    override_selection(&mut s, a.selection);
    s.warnings.iter().for_each(|w| note!("{w}"));
    let seed = a.seed.unwrap_or(s.simulation.seed);
    if a.run >= s.simulation.runs {
        note!(
            "note: run {} is beyond the scenario's {} runs (numbered 0 to {}); it is told as `run --runs {}` would simulate it",
            a.run,
            s.simulation.runs,
            s.simulation.runs - 1,
            a.run + 1
        );
    }
    let (text, rec) = report::explain::explain(&s, seed, a.run);
    out!("{text}")?;
    if let Some(nc) = rec.not_converged {
        note!(
            "warning: the equilibrium solve of round {} (as told above) stopped at residual {:.1e} (temperature {}), above the tolerance {:e}, after every fallback; {} round(s) of this run were played from the best values the solver reached (with --strict, `run` and the analyses fail on this run)",
            nc.round + 1,
            nc.residual,
            nc.tau,
            s.protocol.solver_tolerance,
            rec.unconverged_solves
        );
    }
    Ok(())
}

/// `armistice solve`.
pub fn solve(a: &crate::cli::SolveArgs) -> Result<(), AppError> {
    let mut s = load(&a.scenario)?;
    s.warnings.iter().for_each(|w| note!("{w}"));
    if let Some(tol) = a.tolerance {
        s.protocol.solver_tolerance = tol;
    }
    let view = report::solve::solve_view(&s);
    if a.json {
        let text = serde_json::to_string_pretty(&view).map_err(|e| AppError::Internal(e.into()))?;
        outln!("{text}")?;
    } else {
        out!("{}", report::solve::render(&view))?;
    }
    // the view is printed either way (the best values reached); a residual above the tolerance
    // is an error
    let (above, others): (Vec<&String>, Vec<&String>) =
        view.warnings.iter().partition(|w| w.contains("above the tolerance"));
    others
        .iter()
        .for_each(|w| note!("warning: {}: {w}", a.scenario.display()));
    if let Some(w) = above.first() {
        return Err(AppError::Input(format!(
            "error: {}: the first round's equilibrium was not solved: {w}\n  = note: the values printed above are the best the solver reached (residual {:.1e} at temperature {}); `[protocol] tolerance` (or --tolerance) sets what counts as solved",
            a.scenario.display(),
            view.residual,
            view.temperature
        )));
    }
    Ok(())
}

/// `armistice merge` of `run` shards: the whole run's outputs, with `--per-run` its runs.csv
/// put back in run order.
pub fn merge_runs(a: &MergeArgs, paths: Vec<PathBuf>) -> Result<(), AppError> {
    let files = paths
        .into_iter()
        .map(|p| AggregateFile::read(&p).map(|f| (p, f)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AppError::Input(e.to_string()))?;
    let merged = report::shard::merge(&files).map_err(|e| AppError::Input(e.to_string()))?;
    let s = armistice::model::check::from_bytes(
        std::path::Path::new(&merged.scenario_file),
        merged.scenario_source.as_bytes(),
    )
    .map_err(|e| {
        AppError::Input(format!(
            "{e}\n  = help: the shards carry a scenario this armistice version rejects"
        ))
    })?;
    let job = files[0].1.job();
    let out_dir = a
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("merged-{job}")));
    let mut ordered: Vec<&(PathBuf, AggregateFile)> = files.iter().collect();
    ordered.sort_by_key(|(_, f)| f.shard.map(|x| x.index));
    let timings: Vec<_> = ordered.iter().filter_map(|(_, f)| f.timing).collect();
    let times = (timings.len() == files.len()).then(|| report::ShardTimes::new(&timings));
    let (threads, wall) = times.as_ref().map_or((0, 0.0), report::ShardTimes::totals);
    let manifest = Manifest {
        tool: "armistice".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario_file: merged.scenario_file.clone(),
        scenario_sha256: merged.scenario_sha256.clone(),
        seed: merged.seed,
        runs: merged.runs,
        threads,
        wall_time_seconds: wall,
        command: format!(
            "armistice run {} --runs {} --seed {}",
            merged.scenario_file, merged.runs, merged.seed
        ),
        shards: times,
    };
    let mut output = report::Output::begin(&out_dir).map_err(output_err)?;
    if files[0].1.runs_csv.is_some() {
        let rows: Vec<PathBuf> = ordered
            .iter()
            .map(|(p, f)| {
                p.parent()
                    .unwrap_or(std::path::Path::new("."))
                    .join(f.runs_csv.as_deref().unwrap_or_default())
            })
            .collect();
        interleave_rows(&rows, &output.staged("runs.csv"), merged.runs)?;
        output.add("runs.csv");
    }
    write_outputs(output, &s, &merged, &manifest, !a.output.no_charts)?;
    if !a.output.quiet {
        let summary = Summary::new(&s, &merged.aggregate, merged.seed);
        out!("{}", report::table::render(&summary, &out_dir.display().to_string()))?;
        outln!("merged {} shards: {} runs", files.len(), merged.runs)?;
    }
    Ok(())
}

/// runs.csv from the shards' rows files (in shard order): run r is row r / N of shard r mod N;
/// checks the header and that each row is the run it should be.
fn interleave_rows(rows: &[PathBuf], to: &std::path::Path, runs: u64) -> Result<(), AppError> {
    let bad = |p: &std::path::Path, why: String| {
        AppError::Input(format!(
            "error: {}: {why}\n  = help: the shard's runs.csv rows are missing or were edited; run that shard again",
            p.display()
        ))
    };
    let mut readers = rows
        .iter()
        .map(|p| {
            csv::ReaderBuilder::new()
                .has_headers(true)
                .from_path(p)
                .map_err(|e| bad(p, e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let header = readers[0]
        .byte_headers()
        .map_err(|e| bad(&rows[0], e.to_string()))?
        .clone();
    for (k, r) in readers.iter_mut().enumerate() {
        if *r.byte_headers().map_err(|e| bad(&rows[k], e.to_string()))? != header {
            return Err(bad(&rows[k], "its header differs from the first shard's".into()));
        }
    }
    let file =
        std::fs::File::create(to).map_err(|e| AppError::Input(format!("error: cannot write {}: {e}", to.display())))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(file));
    let werr = |e: csv::Error| AppError::Input(format!("error: cannot write runs.csv: {e}"));
    w.write_byte_record(&header).map_err(werr)?;
    let n = rows.len() as u64;
    let mut rec = csv::ByteRecord::new();
    for run in 0..runs {
        let k = (run % n) as usize;
        let got = readers[k]
            .read_byte_record(&mut rec)
            .map_err(|e| bad(&rows[k], e.to_string()))?;
        if !got || rec.get(0) != Some(run.to_string().as_bytes()) {
            return Err(bad(&rows[k], format!("run {run} is not where it should be")));
        }
        w.write_byte_record(&rec).map_err(werr)?;
    }
    for (k, r) in readers.iter_mut().enumerate() {
        if r.read_byte_record(&mut rec).map_err(|e| bad(&rows[k], e.to_string()))? {
            return Err(bad(&rows[k], "it holds more rows than its runs".into()));
        }
    }
    w.flush()
        .map_err(|e| AppError::Input(format!("error: cannot write runs.csv: {e}")))?;
    Ok(())
}

/// `armistice check`.
pub fn check(a: &CheckArgs) -> Result<(), AppError> {
    let mut errors = 0;
    let mut warnings = 0;
    for f in &a.files {
        match armistice::model::check::load(f) {
            Ok(s) => {
                s.warnings.iter().for_each(|w| note!("{w}"));
                warnings += s.warnings.len();
                let count = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
                outln!(
                    "{}: ok — {}, {}, {}, {}",
                    f.display(),
                    count(s.actors.len(), "actor", "actors"),
                    count(s.issues.len(), "issue", "issues"),
                    count(s.package_space() as usize, "package", "packages"),
                    count(s.warnings.len(), "warning", "warnings")
                )?;
            }
            Err(e) => {
                note!("{e}");
                errors += e.error_count();
                warnings += e.diagnostics.len() - e.error_count();
            }
        }
    }
    if errors > 0 || (a.deny_warnings && warnings > 0) {
        return Err(AppError::Input(format!(
            "check failed: {errors} error(s), {warnings} warning(s)"
        )));
    }
    Ok(())
}

/// The commented template written by `armistice new`.
pub const TEMPLATE: &str = include_str!("../../scenarios/template.toml");

/// `armistice new NAME`.
pub fn new_scenario(name: &std::path::Path, force: bool) -> Result<(), AppError> {
    let path = if name.extension().is_some_and(|x| x == "toml") {
        name.to_path_buf()
    } else {
        name.with_extension("toml")
    };
    if path.exists() && !force {
        return Err(AppError::Input(format!(
            "error: {} already exists\n  = help: choose another name, or add --force to overwrite it",
            path.display()
        )));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "my-scenario".into());
    let id: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), std::path::Path::to_path_buf);
    let schema = schema_path_from(&dir).map_or_else(
        || "# (no schema/ folder found: `armistice schema > scenario.schema.json` makes one)\n".to_string(),
        |p| format!("#:schema {p}\n"),
    );
    let text = format!(
        "{schema}{}",
        TEMPLATE.replace("id = \"template\"", &format!("id = \"{id}\""))
    );
    // the folder must exist: a mistyped path must not silently create a tree of folders
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(AppError::Input(format!(
            "error: the folder {} does not exist\n  = help: create it first (mkdir -p {0}) or give a path in an existing folder, e.g. armistice new scenarios/{}",
            parent.display(),
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "my-talks".into())
        )));
    }
    report::atomic::write_atomic(&path, text.as_bytes())
        .map_err(|e| AppError::Input(format!("error: cannot write {}: {e}", path.display())))?;
    outln!(
        "wrote {}: edit it, then `armistice check {0}` and `armistice run {0}`",
        path.display()
    )?;
    Ok(())
}

/// A relative path from `dir` to the project's `schema/scenario.schema.json`, if one is found in
/// `dir` or one of its ancestors.
fn schema_path_from(dir: &std::path::Path) -> Option<String> {
    let abs = std::fs::canonicalize(dir).ok()?;
    for (up, anc) in abs.ancestors().enumerate() {
        if anc.join("schema/scenario.schema.json").is_file() {
            return Some(format!("{}schema/scenario.schema.json", "../".repeat(up)));
        }
    }
    None
}
