//! Everything that leaves the program: the terminal table, `summary.json`, the CSV files and the
//! charts. Exporters read only the [`Summary`] (and the [`Manifest`]); every file is written
//! atomically.

pub mod atomic;
pub mod charts;
pub mod csv;
pub mod json;
pub mod table;

use crate::stats::Summary;
use serde::Serialize;
use std::path::Path;

/// How a result was produced: enough to reproduce it.
#[derive(Debug, Clone, Serialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    pub scenario_file: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub runs: u64,
    pub threads: usize,
    pub wall_time_seconds: f64,
    /// The command that reproduces the numbers.
    pub command: String,
}

/// Writes `summary.json`, `summary.csv`, `packages.csv` and (unless `charts` is false) the
/// charts into `dir`.
///
/// # Errors
/// I/O errors, with the file that failed.
pub fn write_all(
    dir: &Path,
    manifest: &Manifest,
    summary: &Summary,
    charts: bool,
) -> anyhow::Result<Vec<String>> {
    use anyhow::Context;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the output folder {}", dir.display()))?;
    let mut written = vec![];
    let mut put = |name: &str, bytes: &[u8]| -> anyhow::Result<()> {
        let p = dir.join(name);
        atomic::write_atomic(&p, bytes).with_context(|| format!("cannot write {}", p.display()))?;
        written.push(name.to_string());
        Ok(())
    };
    put("summary.json", json::render(manifest, summary).as_bytes())?;
    put("summary.csv", &csv::summary_csv(summary)?)?;
    put("packages.csv", &csv::packages_csv(summary)?)?;
    if charts {
        written.extend(charts::write_all(&dir.join("charts"), summary)?);
    }
    Ok(written)
}
