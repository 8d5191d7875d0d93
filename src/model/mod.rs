//! The bargaining model's pure parts: per-run parameter draws, the package space with utilities,
//! red lines and consent, war dynamics and durability (`docs/model.md` §1, §4, §5, §6).

pub mod anticipation;
pub mod ceasefire;
pub mod check;
pub mod durability;
pub mod learning;
pub mod live;
pub mod package;
pub mod package_index;
pub mod params;
pub mod ranking;
pub mod war;

pub use package::PackageSet;
pub use params::RunParams;
