//! The Monte Carlo layer: one run as a pure function of `(&Scenario, seed, run index)`
//! ([`run::simulate`]) (the parallel runner
//! that folds runs into aggregates is [`crate::runner`]).

mod first;
pub mod positions;
mod record;
pub mod run;
pub mod scheduled;
mod state;

pub use record::{CeasefireRecord, NotConverged, Phase};
pub use run::{
    Outcome, Response, RoundTrace, RunRecord, first_round_values, simulate, simulate_shared, simulate_traced,
};
