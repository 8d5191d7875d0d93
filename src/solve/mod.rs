//! The solver: stationary equilibrium values and the proposer's problem (`docs/model.md` §3).

pub mod anderson;
pub mod baselines;
pub mod ceasefire;
pub mod continuation;
pub mod equilibrium;

pub use equilibrium::{Choice, Solution, Stage};
