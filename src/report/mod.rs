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

/// Why the outputs could not be written (nothing was replaced).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot use the output folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("cannot draw a chart: {0}")]
    Chart(String),
}

/// The chart files a run may write, relative to the output folder (removed when a run writes
/// no charts, so old charts never sit beside new numbers).
fn chart_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir.join("charts"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "png" || x == "svg"))
                .collect()
        })
        .unwrap_or_default()
}

/// Writes `summary.json`, `summary.csv`, `packages.csv` and (unless `charts` is false) the
/// charts into `dir`, as one step: everything is first written to a staging folder inside `dir`
/// and moved into place only when all of it succeeded, so a failure leaves the previous outputs
/// untouched. Returns the files written, relative to `dir`.
///
/// # Errors
/// [`OutputError`] naming the folder or file that failed.
pub fn write_all(dir: &Path, manifest: &Manifest, summary: &Summary, charts: bool) -> Result<Vec<String>, OutputError> {
    let folder_err = |source| OutputError::Folder {
        path: dir.display().to_string(),
        source,
    };
    std::fs::create_dir_all(dir).map_err(folder_err)?;
    let staging = dir.join(format!(".staging-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(folder_err)?;
    let result = stage(&staging, manifest, summary, charts).and_then(|files| {
        for f in &files {
            let target = dir.join(f);
            if target.is_dir() {
                return Err(OutputError::Write {
                    path: target.display().to_string(),
                    source: std::io::Error::other("a folder is in the way"),
                });
            }
        }
        if files.iter().any(|f| f.starts_with("charts/")) {
            let charts_dir = dir.join("charts");
            if charts_dir.exists() && !charts_dir.is_dir() {
                return Err(OutputError::Write {
                    path: charts_dir.display().to_string(),
                    source: std::io::Error::other("a file is in the way of the charts folder"),
                });
            }
            std::fs::create_dir_all(&charts_dir).map_err(|source| OutputError::Write {
                path: charts_dir.display().to_string(),
                source,
            })?;
        } else {
            for old in chart_files(dir) {
                let _ = std::fs::remove_file(old);
            }
        }
        for f in &files {
            let target = dir.join(f);
            std::fs::rename(staging.join(f), &target).map_err(|source| OutputError::Write {
                path: target.display().to_string(),
                source,
            })?;
        }
        Ok(files)
    });
    let _ = std::fs::remove_dir_all(&staging);
    result
}

fn stage(staging: &Path, manifest: &Manifest, summary: &Summary, charts: bool) -> Result<Vec<String>, OutputError> {
    let mut written = vec![];
    let mut put = |name: &str, bytes: &[u8]| -> Result<(), OutputError> {
        let p = staging.join(name);
        atomic::write_atomic(&p, bytes).map_err(|source| OutputError::Write {
            path: p.display().to_string(),
            source,
        })?;
        written.push(name.to_string());
        Ok(())
    };
    let csv_err = |e: ::csv::Error| OutputError::Write {
        path: "CSV".into(),
        source: std::io::Error::other(e.to_string()),
    };
    put("summary.json", json::render(manifest, summary).as_bytes())?;
    put("summary.csv", &csv::summary_csv(summary).map_err(csv_err)?)?;
    put("packages.csv", &csv::packages_csv(summary).map_err(csv_err)?)?;
    if charts {
        written.extend(
            charts::write_all(&staging.join("charts"), summary).map_err(|e| OutputError::Chart(format!("{e:#}")))?,
        );
    }
    Ok(written)
}
