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
    /// Sweep one or two parameters on common random numbers: a CSV of every point, line charts
    /// with 95% bands (one parameter) or heatmaps (two). Without --set, runs the scenario's
    /// [[sweep]]s.
    ///
    /// Example: armistice sweep scenarios/ukraine-2025-08.toml --set actor.RU.war_cost=0.002..0.012:6
    Sweep(SweepArgs),
    /// One-at-a-time sensitivity: each uncertain parameter fixed at its 10th and 90th percentile,
    /// and each red line or consent that may or may not happen switched from never to always
    /// (the others drawn as usual, common random numbers); a tornado chart of the largest swings.
    ///
    /// Example: armistice tornado scenarios/ukraine-2025-08.toml --runs 1000
    Tornado(TornadoArgs),
    /// Compare two scenarios: each headline statistic, the difference B − A with a 95% interval,
    /// and overlay charts.
    ///
    /// Example: armistice compare scenarios/ukraine-2025-08.toml scenarios/ukraine-2025-12.toml
    Compare(CompareArgs),
    /// Run every scenario of a folder (in parallel) and write an index report linking each.
    ///
    /// Example: armistice batch scenarios/classic
    Batch(BatchArgs),
    /// Score the tool against what happened: run every back-test case of a folder (scenarios
    /// with [[question]]s, their outcomes and the markets' prices on the same date) with a
    /// common seed; write backtest.csv, .json, .md, .html, a reliability diagram and each
    /// question's forecast against its market, with Brier and log scores and bootstrap intervals.
    ///
    /// Example: armistice backtest scenarios/backtest --runs 2000
    Backtest(BacktestArgs),
    /// Tell one simulated run round by round in plain language: who proposed which package, who
    /// rejected it and by how much it fell short of their reservation value, what the war and
    /// the events did. Run R is the same run as row R of `run --per-run`'s runs.csv.
    ///
    /// Example: armistice explain scenarios/ukraine-2025-08.toml --run 17
    Explain(ExplainArgs),
    /// The deterministic view on expected parameters: the first round's equilibrium values and
    /// reservation values, each proposer's first offer and its probability of acceptance, and
    /// the baselines (Nash, Kalai–Smorodinsky, Pareto set, bargaining range, Bueno de
    /// Mesquita, Powell's commitment test). No simulation.
    ///
    /// Example: armistice solve scenarios/classic/rubinstein.toml --json
    Solve(SolveArgs),
    /// Merge the shard files of one `--shard K/N` job (run, sweep, tornado, compare, batch) into
    /// exactly the unsharded outputs.
    ///
    /// Example: armistice merge output/ukraine-2025-08/shards
    Merge(MergeArgs),
    /// Write a commented scenario from a negotiation described in another tool's format: a GENIUS
    /// domain and its two utility profiles (XML), or a positions/salience/capability table (CSV).
    ///
    /// Example: armistice import genius buyer.xml seller.xml --domain car-domain.xml --out car.toml
    ///
    /// Example: armistice import table positions.csv --out council.toml
    Import(ImportArgs),
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
#[derive(Debug, Clone, Args, serde::Serialize, serde::Deserialize)]
pub struct RunArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Runs default: the scenario's [simulation] runs; outputs default to output/<scenario-id>.
    #[command(flatten)]
    pub sim: SimArgs,
    /// Also write runs.csv: one row per run (outcome, round, package, payoffs, ...), streamed.
    #[arg(long)]
    pub per_run: bool,
    /// After the run, re-validate and re-run on every save of the scenario (with --runs, or
    /// 2,000 runs by default), until Ctrl-C.
    #[arg(long, conflicts_with = "shard")]
    pub watch: bool,
    /// The equilibrium solver's tolerance (max-norm residual, utility units, 1e-15 to 1e-3),
    /// overriding the scenario's `[protocol] tolerance` (default 1e-10). Equilibria are selected
    /// at 1e-8 (or this, if looser) and then refined to it, so at 1e-8 or below it never changes
    /// which equilibrium a round selects. Not with --shard: set it in the file, so that every
    /// shard of the job uses it.
    #[arg(long, value_parser = parse_tolerance, conflicts_with = "shard")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// How a later round's equilibrium is selected, overriding the scenario's `[protocol]
    /// selection`: `traced` (default: traced again along the temperature ladder whenever the
    /// game changed) or `warm` (every later round warm-started from the previous round's values;
    /// fewer solver evaluations, and a round's equilibrium can depend on the run's history).
    /// Not with --shard: set it in the file, so that every shard of the job uses it.
    #[arg(long, value_enum, conflicts_with = "shard")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub selection: Option<SelectionArg>,
    /// Simulate only shard K of N (0-based K): the runs r with r mod N = K of the --runs runs,
    /// and write their mergeable aggregate to <job>.shard-K-of-N.json, named by the job
    /// (default folder: output/<scenario-id>/shards); with --per-run, their runs.csv rows
    /// beside it. `armistice merge` then gives exactly the unsharded result. `--shard auto`
    /// reads a Slurm job array's task (any --array range and step) and the CPUs per task.
    #[arg(long, value_name = "K/N|auto", value_parser = parse_shard)]
    pub shard: Option<ShardSpec>,
}

/// Why a `--shard K/N` value is invalid (clap prints it after "invalid value … for '--shard
/// <K/N>'").
#[derive(Debug, thiserror::Error)]
pub enum ShardArgError {
    #[error(
        "`{0}` is not K/N or auto: write e.g. --shard 0/4 for the first of 4 shards, or --shard auto in a Slurm job array"
    )]
    NotKn(String),
    #[error("shard index `{0}` is not a whole number")]
    Index(String),
    #[error("shard count `{0}` is not a whole number")]
    Count(String),
    #[error("the shard count N must be at least 1: write e.g. --shard 0/4")]
    ZeroCount,
    #[error("shard {k}/{n} does not exist: K counts from 0 and must be below N (e.g. 0/{n} … {last}/{n})", last = n - 1)]
    NoSuchShard { k: u64, n: u64 },
}

/// `--shard`: a shard given as K/N, or `auto` (read from Slurm's job array variables when the
/// command starts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ShardSpec {
    Fixed(armistice::runner::Shard),
    Auto,
}

/// Parses `auto` or `K/N` with `0 <= K < N`.
fn parse_shard(s: &str) -> Result<ShardSpec, ShardArgError> {
    if s.trim() == "auto" {
        return Ok(ShardSpec::Auto);
    }
    parse_kn(s).map(ShardSpec::Fixed)
}

/// Parses `K/N` with `0 <= K < N`.
fn parse_kn(s: &str) -> Result<armistice::runner::Shard, ShardArgError> {
    let (k, n) = s.split_once('/').ok_or_else(|| ShardArgError::NotKn(s.to_string()))?;
    let k: u64 = k.trim().parse().map_err(|_| ShardArgError::Index(k.to_string()))?;
    let n: u64 = n.trim().parse().map_err(|_| ShardArgError::Count(n.to_string()))?;
    if n == 0 {
        return Err(ShardArgError::ZeroCount);
    }
    if k >= n {
        return Err(ShardArgError::NoSuchShard { k, n });
    }
    Ok(armistice::runner::Shard { index: k, count: n })
}

/// A whole number in `lo..=hi`, or a message that says what the option takes (clap prints it
/// after "invalid value … for '--option'"): a negative number is read as a value, not as an
/// unknown option.
fn whole_number(s: &str, lo: u64, hi: u64, what: &str) -> Result<u64, String> {
    let n: Option<u64> = s.trim().replace('_', "").parse().ok();
    match n {
        Some(n) if (lo..=hi).contains(&n) => Ok(n),
        _ => Err(format!("{what} is a whole number from {lo} to {hi}")),
    }
}

fn parse_runs(s: &str) -> Result<u64, String> {
    whole_number(s, 1, 1_000_000_000, "the number of runs")
}

fn parse_seed(s: &str) -> Result<u64, String> {
    whole_number(s, 0, u64::MAX, "the seed")
}

fn parse_threads(s: &str) -> Result<u64, String> {
    whole_number(s, 1, 1024, "the number of threads")
}

fn parse_run_index(s: &str) -> Result<u64, String> {
    whole_number(
        s,
        0,
        u64::MAX,
        "the run index (counted from 0, as the rows of runs.csv)",
    )
}

/// Options shared by the commands that run many simulations.
#[derive(Debug, Clone, Args, serde::Serialize, serde::Deserialize)]
pub struct SimArgs {
    /// Monte Carlo runs per simulation, 1 to 1,000,000,000 (default: the scenario's [simulation]
    /// runs; sweep: 2,000 per point; tornado: 1,000 per case).
    #[arg(long, allow_negative_numbers = true, value_parser = parse_runs)]
    pub runs: Option<u64>,
    /// Master seed (default: the scenario's [simulation] seed).
    #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: Option<u64>,
    /// Fail (exit 1, nothing written) when a run has a round whose equilibrium solve stops above
    /// the tolerance, instead of playing that round from the best values reached and listing
    /// the run in summary.json.
    #[arg(long)]
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub strict: bool,
    #[command(flatten)]
    pub output: OutputArgs,
}

impl SimArgs {
    /// The options that define a sharded job (runs and seed), without those that only say how
    /// this process runs or writes (threads, output): what a shard file records of them.
    pub fn job_part(&self) -> SimArgs {
        SimArgs {
            threads: None,
            strict: false,
            output: OutputArgs::default(),
            ..self.clone()
        }
    }
}

/// Where and how much to write.
#[derive(Debug, Clone, Default, Args, serde::Serialize, serde::Deserialize)]
pub struct OutputArgs {
    /// Output folder (default: output/<scenario-id> for run and merge; …/sweep-<id>, …/tornado
    /// for sweep and tornado; output/compare-<A>-vs-<B>; output/batch-<folder>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Skip the charts (faster; tables and data files only).
    #[arg(long)]
    pub no_charts: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `sweep`.
#[derive(Debug, Clone, Args, serde::Serialize, serde::Deserialize)]
pub struct SweepArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// A swept parameter: PATH=LO..HI:STEPS or PATH=V1,V2,... (once or twice). PATH addresses
    /// any number of the file: actor.RU.war_cost, issue.territory.frontline.drift,
    /// actor.UA.utility.territory.T4, actor.UA.red_lines.1.binding, protocol.breakdown, ...
    #[arg(long = "set", value_name = "PATH=LO..HI:STEPS")]
    pub set: Vec<String>,
    /// Statistics to chart (repeatable; the CSV has them all): agreement, agreement-within:N,
    /// breakdown, no-agreement, option:ISSUE.OPTION, payoff:ACTOR, renewed-war. Default: agreement.
    #[arg(long = "stat")]
    pub stat: Vec<String>,
    /// Run only the scenario's [[sweep]] with this id.
    #[arg(long, conflicts_with = "set")]
    pub id: Option<String>,
    /// Simulate only shard K of N (the runs r with r mod N = K of every simulation) and write
    /// <job>.shard-K-of-N.json (default folder: output/<scenario-id>/shards); `armistice
    /// merge` then writes exactly the unsharded outputs. `auto`: a Slurm job array's task.
    #[arg(long, value_name = "K/N|auto", value_parser = parse_shard)]
    pub shard: Option<ShardSpec>,
    /// Runs per point default 2,000; outputs default to output/<scenario-id>/sweep-<id>.
    #[command(flatten)]
    pub sim: SimArgs,
}

/// Arguments of `tornado`.
#[derive(Debug, Clone, Args, serde::Serialize, serde::Deserialize)]
pub struct TornadoArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The statistic (see `sweep --stat`). Default: agreement (within the horizon).
    #[arg(long, default_value = "agreement")]
    pub stat: String,
    /// Parameters shown in the chart, largest swing first (the CSV has all).
    #[arg(long, default_value_t = 15)]
    pub top: usize,
    /// Only the percentile rows: leave out the rows that switch each uncertain red line and
    /// body consent from never to always.
    #[arg(long)]
    pub percentiles_only: bool,
    /// Simulate only shard K of N (the runs r with r mod N = K of every simulation) and write
    /// <job>.shard-K-of-N.json (default folder: output/<scenario-id>/shards); `armistice
    /// merge` then writes exactly the unsharded outputs. `auto`: a Slurm job array's task.
    #[arg(long, value_name = "K/N|auto", value_parser = parse_shard)]
    pub shard: Option<ShardSpec>,
    /// Runs per case default 1,000 (two cases per uncertain parameter plus the baseline);
    /// outputs default to output/<scenario-id>/tornado.
    #[command(flatten)]
    pub sim: SimArgs,
}

/// Arguments of `compare`.
#[derive(Debug, Clone, Args, serde::Serialize, serde::Deserialize)]
pub struct CompareArgs {
    /// Scenario A (the reference).
    pub a: PathBuf,
    /// Scenario B (differences are B − A).
    pub b: PathBuf,
    /// Simulate only shard K of N (the runs r with r mod N = K of every simulation) and write
    /// <job>.shard-K-of-N.json (default folder: output/<scenario-id>/shards); `armistice
    /// merge` then writes exactly the unsharded outputs. `auto`: a Slurm job array's task.
    #[arg(long, value_name = "K/N|auto", value_parser = parse_shard)]
    pub shard: Option<ShardSpec>,
    /// Runs per scenario default: A's [simulation] runs; both use the same seed (A's by
    /// default); outputs default to output/compare-<A id>-vs-<B id>.
    #[command(flatten)]
    pub sim: SimArgs,
}

/// Arguments of `batch`.
#[derive(Debug, Clone, Args, serde::Serialize, serde::Deserialize)]
pub struct BatchArgs {
    /// A folder of scenario files (*.toml, not recursive).
    pub dir: PathBuf,
    /// Simulate only shard K of N (the runs r with r mod N = K of every simulation) and write
    /// <job>.shard-K-of-N.json (default folder: output/<scenario-id>/shards); `armistice
    /// merge` then writes exactly the unsharded outputs. `auto`: a Slurm job array's task.
    #[arg(long, value_name = "K/N|auto", value_parser = parse_shard)]
    pub shard: Option<ShardSpec>,
    /// Runs per scenario default: each file's own; seed default: each file's own; outputs
    /// default to output/batch-<folder name>/<scenario-id>, with index.md and index.html.
    #[command(flatten)]
    pub sim: SimArgs,
}

/// Arguments of `backtest`.
#[derive(Debug, Args)]
pub struct BacktestArgs {
    /// A folder of back-test cases (*.toml, not recursive): scenarios with a [backtest] table
    /// and [[question]]s that each record their [question.outcome].
    pub dir: PathBuf,
    /// Only this case (its scenario id or file name without .toml); repeatable.
    #[arg(long = "case", value_name = "ID")]
    pub case: Vec<String>,
    /// Score the model with the negotiation-in-time mechanisms switched off (no ceasefires,
    /// positions fixed, no learning, no scheduled events; a deal is a settlement): the model of
    /// the tool's first version, on the same cases. Outputs default to …-ablate-time.
    #[arg(long)]
    pub ablate_time: bool,
    /// Monte Carlo runs per case, 1 to 1,000,000,000 (default 2,000: a standard error of at most
    /// 1.1 percentage points on each P(yes)).
    #[arg(long, allow_negative_numbers = true, value_parser = parse_runs)]
    pub runs: Option<u64>,
    /// Master seed, the same for every case (default 1; each file's own [simulation] seed is not
    /// used, so the cases share one seed).
    #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Worker threads (default: all cores). Results do not depend on it.
    #[arg(long, allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: Option<u64>,
    /// Output folder (default: output/backtest-<folder name>, or …-ablate-time), checked before
    /// anything runs.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Skip the charts (tables and data files only).
    #[arg(long)]
    pub no_charts: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Fail (exit 1, nothing written) when a run of a case has a round whose equilibrium solve
    /// stops above the tolerance, instead of playing it from the best values reached and
    /// listing it.
    #[arg(long)]
    pub strict: bool,
    /// Select every case's later-round equilibria by this rule instead of the case's own
    /// `[protocol] selection` (see `run --selection`), to score the two rules side by side.
    /// Outputs default to …-warm or …-traced.
    #[arg(long, value_enum)]
    pub selection: Option<SelectionArg>,
}

/// `--selection`: the equilibrium-selection rule of later rounds (`docs/model.md` §10, rule 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SelectionArg {
    /// Traced again along the temperature ladder whenever the game changed (the default).
    Traced,
    /// Every later round warm-started from the previous round's values.
    Warm,
}

impl SelectionArg {
    /// The rule's word, as in the scenario key.
    pub fn word(self) -> &'static str {
        armistice::scenario::Selection::from(self).word()
    }
}

impl From<SelectionArg> for armistice::scenario::Selection {
    fn from(rule: SelectionArg) -> Self {
        match rule {
            SelectionArg::Traced => Self::Traced,
            SelectionArg::Warm => Self::Warm,
        }
    }
}

/// Arguments of `explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// The run index (0-based, as in runs.csv).
    #[arg(long, allow_negative_numbers = true, value_parser = parse_run_index)]
    pub run: u64,
    /// Master seed (default: the scenario's [simulation] seed).
    #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// The solver's tolerance, as given to `run --tolerance` (the run told is then row R of
    /// that run's runs.csv).
    #[arg(long, value_parser = parse_tolerance)]
    pub tolerance: Option<f64>,
    /// The equilibrium-selection rule, as given to `run --selection` (the run told is then row
    /// R of that run's runs.csv).
    #[arg(long, value_enum)]
    pub selection: Option<SelectionArg>,
}

/// Arguments of `solve`.
#[derive(Debug, Args)]
pub struct SolveArgs {
    /// The scenario file (TOML).
    pub scenario: PathBuf,
    /// Print JSON (every number, full precision) instead of tables.
    #[arg(long)]
    pub json: bool,
    /// The equilibrium solver's tolerance (max-norm residual, utility units, 1e-15 to 1e-3),
    /// overriding the scenario's `[protocol] tolerance` (default 1e-10).
    #[arg(long, value_parser = parse_tolerance)]
    pub tolerance: Option<f64>,
}

/// `--tolerance`: a number from 1e-15 to 1e-3.
fn parse_tolerance(v: &str) -> Result<f64, String> {
    let x: f64 = v
        .trim()
        .parse()
        .map_err(|_| format!("`{v}` is not a number: write e.g. --tolerance 1e-9"))?;
    if (1e-15..=1e-3).contains(&x) {
        Ok(x)
    } else {
        Err(format!(
            "{v} is out of range: the tolerance is a max-norm residual from 1e-15 to 1e-3 (default 1e-10)"
        ))
    }
}

/// Arguments of `merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Shard files, or folders holding them (*.shard-K-of-N.json), all of one job. Without
    /// --out, the outputs go to output/merged-<job>.
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,
    #[command(flatten)]
    pub output: OutputArgs,
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

/// `armistice import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub format: ImportFormat,
    /// Write the scenario to this file (refused if it exists, unless --force); default: print it.
    #[arg(long, short, global = true)]
    pub out: Option<PathBuf>,
    /// Overwrite the --out file if it exists.
    #[arg(long, global = true)]
    pub force: bool,
}

/// The formats `armistice import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportFormat {
    /// Two utility profiles of the GENIUS negotiation platform (XML), with their domain file
    /// (or the issues as listed in the first profile).
    Genius {
        /// The two profiles (`<utility_space>` with weights, evaluations, reservation value and
        /// discount factor); each becomes an actor named after its file.
        #[arg(num_args = 2, required = true)]
        profiles: Vec<PathBuf>,
        /// The domain file (`<negotiation_template>` listing the issues and their values).
        #[arg(long)]
        domain: Option<PathBuf>,
    },
    /// A CSV table with the columns actor, issue, position, salience, capability (one row per
    /// actor and issue): each issue becomes a spatial issue.
    Table {
        /// The CSV file.
        file: PathBuf,
    },
}
