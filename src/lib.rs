//! # armistice
//!
//! Monte Carlo simulation of peace negotiations under a stochastic bargaining model
//! (Rubinstein 1982; Baron and Ferejohn 1989; Fearon 1995; Powell 2006), specified in
//! `MODEL.md` and implemented here as a library behind the `armistice` command-line tool.
//!
//! The pipeline flows one way: a TOML scenario is parsed and validated into a
//! [`scenario::Scenario`]; [`sim::runner::run_all`] plays runs in parallel (each a pure function
//! of the scenario, the seed and the run index, see [`sim::simulate`]) and folds them into a
//! mergeable [`stats::Aggregate`]; [`stats::Summary`] derives the reported statistics, which the
//! exporters in [`report`] write as tables, CSV, JSON, charts and an HTML report.
//!
//! # Example
//!
//! ```
//! use armistice::scenario::Scenario;
//! use armistice::sim::runner::{run_all, RunOptions, Silent};
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
pub mod analysis;
pub mod app;
pub mod cli;
pub mod model;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod solve;
pub mod stats;
/// Closed-form results of bargaining and conflict theory, tested against the oracle numbers.
pub mod theory;
