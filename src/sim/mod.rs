//! The Monte Carlo layer: one run as a pure function of `(&Scenario, seed, run index)`
//! ([`run::simulate`]) and the parallel runner that folds runs into mergeable aggregates
//! ([`runner`]).

pub mod run;
pub mod runner;

pub use run::{Outcome, Response, RoundTrace, RunRecord, first_round_values, simulate, simulate_traced};
pub use runner::{Observer, RunOptions, run_all};
