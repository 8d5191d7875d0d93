//! # armistice
//!
//! Monte Carlo simulation of peace negotiations under a stochastic bargaining model.
pub mod app;
pub mod cli;
pub mod model;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod solve;
pub mod stats;
