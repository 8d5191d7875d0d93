//! Command-line definitions (clap) only; [`crate::app`] does the work.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Simulate peace negotiations: Monte Carlo bargaining over TOML scenarios.
#[derive(Debug, Parser)]
#[command(name = "armistice", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate a scenario, print a summary table and write output/<scenario-id>/.
    ///
    /// Example: armistice run scenarios/ukraine-2025-08.toml --runs 5000 --seed 7
    Run(RunArgs),
    /// Validate scenario files without simulating; exit 1 if any has an error.
    ///
    /// Example: armistice check scenarios/*.toml
    Check(CheckArgs),
    /// Write a commented template scenario that passes `check` and runs.
    ///
    /// Example: armistice new scenarios/my-talks   (writes scenarios/my-talks.toml)
    New {
        /// Name or path of the new scenario (".toml" is added if missing).
        name: PathBuf,
        /// Overwrite an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Tell one simulated run round by round in plain language: who proposed which package, who
    /// rejected it and by how much it fell short of their reservation value, what the war and
    /// the events did. Run R is the same run as row R of `run --per-run`'s runs.csv.
    ///
    /// Example: armistice explain scenarios/ukraine-2025-08.toml --run 17
    Explain(ExplainArgs),
    /// Merge the shard files of one `run --shard K/N` job into exactly the unsharded result
    /// (summary, charts, report and aggregate.json).
    ///
    /// Example: armistice merge output/ukraine-2025-08/shards
    Merge(MergeArgs),
    /// Print the JSON Schema of scenario files (for editor completion and validation).
    ///
    /// Example: armistice schema > schema/scenario.schema.json
    Schema,
    /// Print a shell completion script.
    ///
    /// Example: armistice completions bash > ~/.local/share/bash-completion/completions/armistice
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Number of Monte Carlo runs, 1 to 1,000,000,000 (default: the scenario's [simulation] runs).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub runs: Option<u64>,
    /// Master seed (default: the scenario's [simulation] seed).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1024))]
    pub threads: Option<u64>,
    /// Output folder (default: output/<scenario-id>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also write runs.csv: one row per run (outcome, round, package, payoffs, ...), streamed.
    #[arg(long)]
    pub per_run: bool,
    /// Skip the charts (faster; tables and data files only).
    #[arg(long)]
    pub no_charts: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// After the run, re-validate and re-run on every save of the scenario (with --runs, or
    /// 2,000 runs by default), until Ctrl-C.
    #[arg(long, conflicts_with = "shard")]
    pub watch: bool,
    /// Simulate only shard K of N (0-based K): the runs r with r mod N = K of the --runs runs,
    /// and write their mergeable aggregate to shard-K-of-N.json (default folder:
    /// output/<scenario-id>/shards). `armistice merge` then gives exactly the unsharded result.
    /// For Slurm job arrays: --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT.
    #[arg(long, value_name = "K/N", value_parser = parse_shard, conflicts_with = "per_run")]
    pub shard: Option<crate::sim::runner::Shard>,
}

/// Parses `K/N` with `0 <= K < N`.
fn parse_shard(s: &str) -> Result<crate::sim::runner::Shard, String> {
    let (k, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}` is not K/N: write e.g. --shard 0/4 for the first of 4 shards"))?;
    let k: u64 = k
        .trim()
        .parse()
        .map_err(|_| format!("shard index `{k}` is not a whole number"))?;
    let n: u64 = n
        .trim()
        .parse()
        .map_err(|_| format!("shard count `{n}` is not a whole number"))?;
    if n == 0 || k >= n {
        return Err(format!(
            "shard {k}/{n} does not exist: K counts from 0 and must be below N (e.g. 0/{0} … {1}/{0})",
            n.max(1),
            n.max(1) - 1
        ));
    }
    Ok(crate::sim::runner::Shard { index: k, count: n })
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The run index (0-based, as in runs.csv).
    #[arg(long)]
    pub run: u64,
    /// Master seed (default: the scenario's [simulation] seed).
    #[arg(long)]
    pub seed: Option<u64>,
}

/// Arguments of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files, or folders holding shard-K-of-N.json files.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    /// Output folder (default: output/<scenario-id>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Skip the charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Scenario files to validate.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}
