//! # armistice
//!
//! Monte Carlo simulation of peace negotiations under a stochastic bargaining model
//! (Rubinstein 1982; Baron and Ferejohn 1989; Fearon 1995; Powell 2006), specified in
//! `docs/model.md` and implemented here as a library behind the `armistice` command-line tool.
//!
//! The pipeline flows one way: a TOML scenario is parsed and validated into a
//! [`scenario::Scenario`]; [`runner::run_all`] plays runs in parallel (each a pure function
//! of the scenario, the seed and the run index, see [`sim::simulate`]) and folds them into a
//! mergeable [`stats::Aggregate`]; [`stats::Summary`] derives the reported statistics, which the
//! exporters in [`report`] write as tables, CSV, JSON, charts and an HTML report.
//!
//! # Example
//!
//! ```
//! use armistice::scenario::Scenario;
//! use armistice::runner::{run_all, RunOptions, Silent};
//! use armistice::stats::Summary;
//! use std::sync::atomic::AtomicBool;
//!
//! let path = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/classic/two-party-toy.toml"));
//! let scenario = Scenario::load(path).expect("the toy scenario is valid");
//! let opts = RunOptions { runs: 200, seed: 7, threads: Some(1), shard: None };
//! let aggregate = run_all(&scenario, opts, &Silent, &AtomicBool::new(false)).expect("not cancelled");
//! let summary = Summary::new(&scenario, &aggregate, opts.seed);
//!
//! // outcome probabilities add up to one, and each comes with a 95% Wilson interval
//! let total: f64 = summary.outcomes.iter().map(|o| o.estimate.p).sum();
//! assert!((total - 1.0).abs() < 1e-12);
//! let agreement = &summary.outcomes[0].estimate;
//! assert!(agreement.ci_low <= agreement.p && agreement.p <= agreement.ci_high);
//! ```
// The layers, lowest first. A module imports only from the layers before it (and itself);
// `tests/layering.rs` reads every `crate::` path outside comments and fails on an upward one.
//
//   theory    closed forms of bargaining and conflict theory (no crate imports)
//   scenario  the TOML format: parsing, validation, diagnostics, parameter paths, statistic names
//   model     per-run parameters, the package space, war, anticipation, durability
//   solve     the equilibrium of one round (logit tracing, Anderson) and the baselines
//   sim       one run as a pure function of (scenario, seed, run index)
//   stats     the mergeable aggregate of runs and the summary derived from it
//   runner    the only owner of threads: runs in parallel, folded into aggregates
//   analysis  sweeps, sensitivity and comparison on common random numbers
//   report    tables, CSV, JSON, charts and the HTML/Markdown report
//
// The command-line application (argument parsing, progress, files, exit codes) is the binary's,
// in `src/main.rs`, `src/cli.rs` and `src/app/`; this library never prints.
pub mod analysis;
pub mod model;
pub mod report;
pub mod runner;
pub mod scenario;
pub mod sim;
pub mod solve;
pub mod stats;
/// Closed-form results of bargaining and conflict theory, tested against the oracle numbers.
pub mod theory;
