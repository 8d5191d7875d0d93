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
    #[arg(long)]
    pub watch: bool,
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
