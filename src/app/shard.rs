//! Scaling out: `--shard K/N|auto` for every workload and `armistice merge`.
//!
//! A command runs in one of three [`Mode`]s: everything here, one shard of every simulation
//! (written to a shard file named by the job), or the finish of a merge (the results read from
//! the shards). The command's own code does the rest the same way in all three, so a merge
//! writes exactly the unsharded outputs.

use super::{AppError, CANCEL, Progress, run_error};
use crate::cli::{MergeArgs, ShardSpec, SimArgs};
use armistice::analysis::{PointResult, Unit, simulate_point, simulate_units};
use armistice::report::job::{self, JobShard, MergedJob, Source, Timing, UnitShard};
use armistice::runner::{RunOptions, Shard};
use armistice::scenario::Scenario;
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How a command gets its simulations' results.
pub enum Mode {
    /// Simulate every run here.
    Local,
    /// Simulate this shard's runs of every simulation and write a shard file.
    Shard(Shard),
    /// Finish a merge: the results of all runs, from the shards.
    Merged(MergedJob),
}

impl Mode {
    /// The mode of `--shard` (none: everything here).
    ///
    /// # Errors
    /// `--shard auto` outside a Slurm job array, or with a task that is not in the array.
    pub fn of(spec: Option<ShardSpec>) -> Result<Mode, AppError> {
        Ok(match resolve(spec)? {
            Some(s) => Mode::Shard(s),
            None => Mode::Local,
        })
    }

    /// The shard simulated here, if any.
    pub fn shard(&self) -> Option<Shard> {
        match self {
            Mode::Shard(s) => Some(*s),
            _ => None,
        }
    }

    fn sources(&self) -> Option<Vec<Source>> {
        match self {
            Mode::Merged(m) => Some(m.sources.clone()),
            _ => None,
        }
    }
}

/// `--shard K/N` as given, or `auto` read from Slurm's job array variables.
///
/// # Errors
/// `auto` outside a job array, or a task id outside the array's range.
pub fn resolve(spec: Option<ShardSpec>) -> Result<Option<Shard>, AppError> {
    match spec {
        None => Ok(None),
        Some(ShardSpec::Fixed(s)) => Ok(Some(s)),
        Some(ShardSpec::Auto) => slurm_shard(&|k| std::env::var(k).ok()).map(Some),
    }
}

/// The shard of a Slurm array task: task ids `MIN, MIN+STEP, …` (COUNT of them) are shards
/// `0, 1, …, COUNT−1`, so `--array=0-3`, `--array=1-4` and `--array=0-6:2` all work.
///
/// # Errors
/// A missing or malformed variable (not in a job array), or a task outside the range.
pub fn slurm_shard(env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, AppError> {
    let var = |k: &str| -> Result<u64, AppError> {
        let v = env(k).ok_or_else(|| {
            AppError::Input(format!(
                "error: --shard auto needs a Slurm job array, and {k} is not set\n  = help: submit with `sbatch --array=0-3 …` (any range and step), or give the shard yourself: --shard K/N"
            ))
        })?;
        v.trim()
            .parse()
            .map_err(|_| AppError::Input(format!("error: --shard auto: {k}={v} is not a whole number")))
    };
    let id = var("SLURM_ARRAY_TASK_ID")?;
    let min = var("SLURM_ARRAY_TASK_MIN")?;
    let count = var("SLURM_ARRAY_TASK_COUNT")?;
    let step = if env("SLURM_ARRAY_TASK_STEP").is_some() {
        var("SLURM_ARRAY_TASK_STEP")?.max(1)
    } else {
        1
    };
    let off = id.checked_sub(min).filter(|d| d % step == 0).map(|d| d / step);
    match off {
        Some(index) if index < count && count > 0 => Ok(Shard { index, count }),
        _ => Err(AppError::Input(format!(
            "error: --shard auto: task {id} is not one of the array's {count} tasks {min}, {}, … (step {step})\n  = help: use an evenly spaced array (--array=A-B or A-B:STEP, no lists), or give --shard K/N yourself",
            min + step
        ))),
    }
}

/// The worker threads: `--threads`, else inside a Slurm job the CPUs it was given
/// (`SLURM_CPUS_PER_TASK`, else `SLURM_CPUS_ON_NODE`), else all cores. Without CPU pinning, a
/// 1-CPU task would otherwise start a thread per core of the node.
pub fn threads(cli: Option<u64>) -> Option<usize> {
    cli.map(|t| t as usize)
        .or_else(|| slurm_threads(&|k| std::env::var(k).ok()))
}

fn slurm_threads(env: &dyn Fn(&str) -> Option<String>) -> Option<usize> {
    env("SLURM_JOB_ID")?;
    ["SLURM_CPUS_PER_TASK", "SLURM_CPUS_ON_NODE"]
        .iter()
        .find_map(|k| env(k).and_then(|v| v.trim().parse::<usize>().ok()).filter(|n| *n >= 1))
}

/// CPU time of this process so far (user + system, all threads), in seconds; 0 where the
/// system does not say (Linux: /proc/self/stat, in clock ticks of 1/100 s).
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // fields after the command name (which may hold spaces, so split after its closing paren)
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name
    let ticks = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// The runs this process simulates of each simulation: all, or its shard's.
pub fn own_runs(o: RunOptions, mode: &Mode) -> u64 {
    RunOptions {
        shard: mode.shard(),
        ..o
    }
    .own_runs()
}

/// This shard's timing.
pub fn timing(opts: &RunOptions, started: Instant) -> Timing {
    Timing {
        threads: opts.threads.unwrap_or_else(armistice::runner::current_threads),
        wall_seconds: started.elapsed().as_secs_f64(),
        cpu_seconds: cpu_seconds(),
    }
}

/// The name a scenario file has in the outputs: its file name, so they do not depend on how
/// its path was typed (`../x.toml`, `/abs/x.toml` and `x.toml` give the same bytes).
pub fn shown(path: &Path) -> String {
    path.file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// Loads the scenarios of a command: from disk, or in a merge from the texts the shards carry;
/// remembers each text (for the shard file) and names each scenario by its file name
/// ([`shown`]).
pub struct Loader {
    merged: Option<Vec<Source>>,
    loaded: RefCell<Vec<Source>>,
}

impl Loader {
    pub fn new(mode: &Mode) -> Loader {
        Loader {
            merged: mode.sources(),
            loaded: RefCell::new(vec![]),
        }
    }

    /// The scenario at `path`.
    ///
    /// # Errors
    /// The scenario's errors, or a merge whose shards do not carry this file.
    pub fn load(&self, path: &Path) -> Result<Scenario, AppError> {
        let key = path.display().to_string();
        let mut s = match &self.merged {
            None => super::load(path)?,
            Some(sources) => {
                let src = sources
                    .iter()
                    .find(|x| x.file == key)
                    .ok_or_else(|| AppError::Input(format!("error: the shards carry no scenario file {key}")))?;
                armistice::model::check::from_bytes(path, src.text.as_bytes())
                    .map_err(|e| AppError::Input(e.to_string()))?
            }
        };
        self.loaded.borrow_mut().push(Source {
            file: key,
            text: s.source.clone(),
        });
        s.path = PathBuf::from(shown(path));
        Ok(s)
    }

    /// Every text loaded, in order.
    pub fn sources(&self) -> Vec<Source> {
        self.loaded.borrow().clone()
    }
}

/// What a shard file says about its job, besides the results.
pub struct JobInfo<'a> {
    pub command: &'a str,
    /// The (first) scenario's id, for the job's name.
    pub id: &'a str,
    /// The command's arguments without shard, threads and output options.
    pub args: serde_json::Value,
    pub sources: Vec<Source>,
    /// The job's seed and runs where they are the same for every simulation.
    pub seed: Option<u64>,
    pub runs: Option<u64>,
}

impl<'a> JobInfo<'a> {
    /// A job whose simulations all share `opts`' seed and runs (sweep, tornado, compare), with
    /// `args` the command's arguments less the shard, threads and output options.
    pub fn uniform(
        command: &'a str,
        id: &'a str,
        args: &impl serde::Serialize,
        sources: Vec<Source>,
        opts: RunOptions,
    ) -> Self {
        JobInfo {
            command,
            id,
            args: serde_json::to_value(args).expect("arguments serialise"),
            sources,
            seed: Some(opts.seed),
            runs: Some(opts.runs),
        }
    }
}

impl JobInfo<'_> {
    /// `<command>-<id>-<hash>-seed<S>-runs<R>`: the hash covers the command, its arguments and
    /// every scenario text.
    pub fn name(&self) -> String {
        let bytes = serde_json::to_vec(&(self.command, &self.args, &self.sources)).expect("serialisable");
        job::job_name(self.command, self.id, &job::sha256_hex(&bytes), self.seed, self.runs)
    }
}

/// The default folder of shard files: `output/<id>/shards`.
pub fn shards_dir(out: Option<&PathBuf>, id: &str) -> PathBuf {
    out.cloned()
        .unwrap_or_else(|| PathBuf::from("output").join(id).join("shards"))
}

/// Writes one shard file atomically and says how to merge.
///
/// # Errors
/// The file cannot be written.
pub fn write_shard(dir: &Path, f: &JobShard, quiet: bool) -> Result<(), AppError> {
    let path = dir.join(f.file_name());
    armistice::report::atomic::write_atomic(&path, f.to_json().as_bytes()).map_err(|e| {
        AppError::Input(format!(
            "error: cannot write {}: {e}\n  = help: choose a writable folder with --out DIR",
            path.display()
        ))
    })?;
    if !quiet {
        outln!(
            "{} shard {}/{} in {:.1} s ({:.1} s CPU), written to {}\n  merge all {} shards with: armistice merge {}",
            f.command,
            f.shard.index,
            f.shard.count,
            f.timing.wall_seconds,
            f.timing.cpu_seconds,
            path.display(),
            f.shard.count,
            dir.display()
        )?;
    }
    Ok(())
}

/// The results of `units` in `mode`: simulated here (all runs), simulated for one shard and
/// written to a shard file in `dir` (`None`: the command stops there), or the merged results
/// (checked to hold `opts.runs` runs each).
///
/// # Errors
/// A run error, a shard file that cannot be written, or merged results of the wrong size.
#[allow(clippy::too_many_arguments)]
/// The simulations of a sweep, tornado or compare job ([`results`], with its shard folder under
/// `--out` or `output/ID/shards`), then its unconverged runs checked (`--strict` makes one an
/// error). `None` when this process only wrote its shard.
pub fn checked_results(
    units: &[Unit],
    opts: RunOptions,
    mode: Mode,
    info: JobInfo,
    id: &str,
    progress: &Progress,
    sim: &SimArgs,
) -> Result<Option<Vec<PointResult>>, AppError> {
    let dir = shards_dir(sim.output.out.as_ref(), id);
    let Some(results) = results(units, opts, mode, info, &dir, progress, sim.output.quiet)? else {
        return Ok(None);
    };
    super::unconverged::check(
        units
            .iter()
            .zip(&results)
            .map(|(u, r)| (u.scenario.path.display().to_string(), &r.aggregate)),
        sim.strict,
        sim.output.quiet,
    )?;
    Ok(Some(results))
}

pub fn results(
    units: &[Unit],
    opts: RunOptions,
    mode: Mode,
    info: JobInfo,
    dir: &Path,
    progress: &Progress,
    quiet: bool,
) -> Result<Option<Vec<PointResult>>, AppError> {
    match mode {
        Mode::Local => {
            let r = simulate_units(units, opts, progress, &CANCEL);
            progress.0.finish_and_clear();
            Ok(Some(r.map_err(run_error)?))
        }
        Mode::Shard(shard) => {
            let started = Instant::now();
            let o = RunOptions {
                shard: Some(shard),
                ..opts
            };
            // unit u's runs dealt out turned by u (job::unit_shard), so costly runs spread
            let r = units
                .iter()
                .enumerate()
                .map(|(u, x)| {
                    let o = RunOptions {
                        shard: Some(job::unit_shard(shard, u)),
                        ..opts
                    };
                    simulate_point(&x.scenario, o, &x.paired, progress, &CANCEL)
                })
                .collect::<Result<Vec<_>, _>>();
            progress.0.finish_and_clear();
            let r = r.map_err(run_error)?;
            let name = info.name();
            let f = JobShard::new(
                info.command,
                name,
                shard,
                info.args,
                info.sources,
                r.into_iter().map(UnitShard::done).collect(),
                timing(&o, started),
            );
            write_shard(dir, &f, quiet)?;
            Ok(None)
        }
        Mode::Merged(m) => {
            progress.0.finish_and_clear();
            let mut out = vec![];
            for (k, r) in m.units.into_iter().enumerate() {
                let p = r.map_err(AppError::Input)?;
                if p.aggregate.runs != opts.runs {
                    return Err(AppError::Input(format!(
                        "error: the shards of job {} hold {} runs of simulation {k}, the job has {}\n  = help: a shard file was edited or truncated; run it again",
                        m.job, p.aggregate.runs, opts.runs
                    )));
                }
                out.push(p);
            }
            if out.len() != units.len() {
                return Err(AppError::Input(format!(
                    "error: the shards of job {} hold {} simulations, the job has {}",
                    m.job,
                    out.len(),
                    units.len()
                )));
            }
            Ok(Some(out))
        }
    }
}

/// The format tag of a shard file, read without the rest.
fn format_of(path: &Path) -> Result<String, AppError> {
    #[derive(serde::Deserialize)]
    struct Tag {
        format: String,
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| AppError::Input(format!("error: cannot read {}: {e}", path.display())))?;
    serde_json::from_str::<Tag>(&text).map(|t| t.format).map_err(|e| {
        AppError::Input(format!(
            "error: {} is not an armistice shard file: {e}\n  = help: pass the *.shard-K-of-N.json files written with --shard K/N (or the folders holding them)",
            path.display()
        ))
    })
}

/// `armistice merge`: the shards of a `run` job, or of an analysis job.
pub fn merge(a: &MergeArgs) -> Result<(), AppError> {
    let paths = armistice::report::shard::collect(&a.inputs).map_err(|e| AppError::Input(e.to_string()))?;
    let mut analysis = vec![];
    let mut runs = vec![];
    for p in paths {
        if format_of(&p)? == job::JOB_FORMAT {
            analysis.push(p);
        } else {
            runs.push(p);
        }
    }
    match (runs.first(), analysis.first()) {
        (Some(r), Some(x)) => Err(AppError::Input(format!(
            "error: {} and {} come from different jobs: a run and an analysis\n  = help: merge only the shards of one job (their file names start with the job's name)",
            r.display(),
            x.display()
        ))),
        (_, None) => super::merge_runs(a, runs),
        (None, Some(_)) => {
            let files = analysis
                .into_iter()
                .map(|p| JobShard::read(&p).map(|f| (p, f)))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| AppError::Input(e.to_string()))?;
            let count = files.len();
            let m = job::merge_jobs(files).map_err(|e| AppError::Input(e.to_string()))?;
            merge_analysis(a, m, count)
        }
    }
}

/// Finishes an analysis from its merged shards: the command's own code with its arguments, its
/// outputs where `--out` says (default `output/merged-<job>`).
fn merge_analysis(a: &MergeArgs, m: MergedJob, count: usize) -> Result<(), AppError> {
    let mut output = a.output.clone();
    let out = output
        .out
        .get_or_insert_with(|| PathBuf::from("output").join(format!("merged-{}", m.job)))
        .clone();
    let bad_args = |e: serde_json::Error| {
        AppError::Input(format!(
            "error: the shards' arguments do not parse ({e})\n  = help: merge with the armistice version that wrote them"
        ))
    };
    let (job, quiet) = (m.job.clone(), a.output.quiet);
    // an analysis's outputs have no manifest: the shards' timing is told here
    let walls: Vec<f64> = m.timings.iter().map(|t| t.wall_seconds).collect();
    let cpu: f64 = m.timings.iter().map(|t| t.cpu_seconds).sum();
    let (lo, hi) = walls
        .iter()
        .fold((f64::INFINITY, 0.0_f64), |(lo, hi), w| (lo.min(*w), hi.max(*w)));
    match m.command.as_str() {
        "sweep" => {
            let mut x: crate::cli::SweepArgs = serde_json::from_value(m.args.clone()).map_err(bad_args)?;
            x.sim.output = output;
            super::sweep::sweep_in(&x, Mode::Merged(m))?;
        }
        "tornado" => {
            let mut x: crate::cli::TornadoArgs = serde_json::from_value(m.args.clone()).map_err(bad_args)?;
            x.sim.output = output;
            super::tornado::tornado_in(&x, Mode::Merged(m))?;
        }
        "compare" => {
            let mut x: crate::cli::CompareArgs = serde_json::from_value(m.args.clone()).map_err(bad_args)?;
            x.sim.output = output;
            super::compare::compare_in(&x, Mode::Merged(m))?;
        }
        "batch" => {
            // a batch's arguments are [BatchArgs, folder name]
            let mut x: crate::cli::BatchArgs =
                serde_json::from_value(m.args.get(0).cloned().unwrap_or_default()).map_err(bad_args)?;
            x.sim.output = output;
            return super::batch::batch_in(&x, Mode::Merged(m));
        }
        other => {
            return Err(AppError::Input(format!(
                "error: the shards are of an unknown command `{other}`\n  = help: merge with the armistice version that wrote them"
            )));
        }
    }
    if !quiet {
        outln!(
            "merged {count} shards of {job} into {}: each shard took {lo:.1}–{hi:.1} s, {cpu:.1} s CPU in all",
            out.display()
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let v: Vec<(String, String)> = vars.iter().map(|(k, x)| (k.to_string(), x.to_string())).collect();
        move |k| v.iter().find(|(n, _)| n == k).map(|(_, x)| x.clone())
    }

    fn task(id: u64, min: u64, step: u64, count: u64) -> Result<Shard, AppError> {
        let (id, min, step, count) = (id.to_string(), min.to_string(), step.to_string(), count.to_string());
        slurm_shard(&env(&[
            ("SLURM_ARRAY_TASK_ID", &id),
            ("SLURM_ARRAY_TASK_MIN", &min),
            ("SLURM_ARRAY_TASK_STEP", &step),
            ("SLURM_ARRAY_TASK_COUNT", &count),
        ]))
    }

    /// Arrays from 0, from 1 and with a step map their tasks onto shards 0..N.
    #[test]
    fn any_array_range_and_step_maps_onto_every_shard_once() {
        let s = |index, count| Shard { index, count };
        // --array=0-3
        assert_eq!(
            (0..4).map(|i| task(i, 0, 1, 4).unwrap()).collect::<Vec<_>>(),
            (0..4).map(|k| s(k, 4)).collect::<Vec<_>>()
        );
        // --array=1-4
        assert_eq!(
            (1..5).map(|i| task(i, 1, 1, 4).unwrap()).collect::<Vec<_>>(),
            (0..4).map(|k| s(k, 4)).collect::<Vec<_>>()
        );
        // --array=0-6:2 (tasks 0, 2, 4, 6)
        assert_eq!(
            [0, 2, 4, 6]
                .iter()
                .map(|i| task(*i, 0, 2, 4).unwrap())
                .collect::<Vec<_>>(),
            (0..4).map(|k| s(k, 4)).collect::<Vec<_>>()
        );
        // --array=5-17:4 (tasks 5, 9, 13, 17)
        assert_eq!(task(17, 5, 4, 4).unwrap(), s(3, 4));
        // a task off the grid or beyond it
        assert!(task(3, 0, 2, 4).is_err());
        assert!(task(8, 0, 2, 4).is_err());
        // no step variable: step 1
        let e = env(&[
            ("SLURM_ARRAY_TASK_ID", "2"),
            ("SLURM_ARRAY_TASK_MIN", "1"),
            ("SLURM_ARRAY_TASK_COUNT", "3"),
        ]);
        assert_eq!(slurm_shard(&e).unwrap(), s(1, 3));
    }

    /// Outside a job array, `--shard auto` says what it needs.
    #[test]
    fn auto_outside_a_job_array_is_a_clear_error() {
        let Err(AppError::Input(msg)) = slurm_shard(&env(&[])) else {
            panic!("not an input error")
        };
        assert!(
            msg.contains("SLURM_ARRAY_TASK_ID") && msg.contains("--shard K/N"),
            "{msg}"
        );
    }

    /// Inside a Slurm job, the threads are the CPUs it was given; outside, all cores.
    #[test]
    fn threads_follow_the_cpus_slurm_gave() {
        assert_eq!(slurm_threads(&env(&[])), None);
        assert_eq!(
            slurm_threads(&env(&[("SLURM_JOB_ID", "7"), ("SLURM_CPUS_PER_TASK", "3")])),
            Some(3)
        );
        assert_eq!(
            slurm_threads(&env(&[("SLURM_JOB_ID", "7"), ("SLURM_CPUS_ON_NODE", "1")])),
            Some(1)
        );
        assert_eq!(slurm_threads(&env(&[("SLURM_JOB_ID", "7")])), None);
    }
}
