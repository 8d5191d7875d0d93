//! Mergeable aggregates of many runs and the statistics derived from them (`docs/model.md` §6).
//!
//! Everything in an [`Aggregate`] is an integer count or a fixed-point integer sum, so merging in
//! any order gives bit-identical results: `--threads 1` and `--threads 8` (or shards merged later)
//! write the same numbers. Memory is bounded by the scenario (horizon, package space, histogram
//! ranges), never by the number of runs.

pub mod aggregate;
pub mod ceasefire;
pub mod questions;
pub mod summary;
pub mod unconverged;
pub mod wilson;

pub use aggregate::Aggregate;
pub use summary::Summary;
pub use wilson::wilson;
