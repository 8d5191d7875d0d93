//! Everything that leaves the program: the terminal table, `summary.json`, the CSV files and the
//! charts. Exporters read only the [`Summary`] (and the [`Manifest`]); every file is written
//! atomically.

pub mod analysis_text;
pub mod atomic;
pub mod backtest;
pub mod batch;
pub mod ceasefire;
pub mod charts;
pub mod compare;
pub mod csv;
pub mod document;
pub mod explain;
pub mod job;
pub mod json;
pub mod runs;
pub mod shard;
pub mod solve;
pub mod solve_extra;
pub mod sweep;
pub mod table;
pub mod tornado;
pub mod unconverged;

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
    /// A merge of shards only (`armistice merge`): each shard's timing. `threads` is then the
    /// shards' threads summed and `wall_time_seconds` the longest shard's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shards: Option<ShardTimes>,
}

/// The timing of the shards a result was merged from.
#[derive(Debug, Clone, Serialize)]
pub struct ShardTimes {
    pub count: usize,
    /// CPU time of every shard's process (user + system), summed.
    pub cpu_time_seconds: f64,
    /// Each shard's wall time, in shard order.
    pub wall_time_seconds: Vec<f64>,
    /// Each shard's threads, in shard order.
    pub threads: Vec<usize>,
}

impl ShardTimes {
    /// From the shards' timings, in shard order.
    pub fn new(timings: &[job::Timing]) -> ShardTimes {
        let r3 = |x: f64| (x * 1000.0).round() / 1000.0;
        ShardTimes {
            count: timings.len(),
            cpu_time_seconds: r3(timings.iter().map(|t| t.cpu_seconds).sum()),
            wall_time_seconds: timings.iter().map(|t| r3(t.wall_seconds)).collect(),
            threads: timings.iter().map(|t| t.threads).collect(),
        }
    }

    /// The shards' threads summed and the longest wall time, for the manifest's own fields.
    pub fn totals(&self) -> (usize, f64) {
        (
            self.threads.iter().sum(),
            self.wall_time_seconds.iter().copied().fold(0.0, f64::max),
        )
    }
}

/// Why the outputs could not be written (nothing was replaced).
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("cannot use the output folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    #[error("cannot write {path}: {source}")]
    Write { path: String, source: std::io::Error },
    #[error("cannot draw a chart: {0}")]
    Chart(charts::render::ChartError),
}

/// Files from an earlier run that a new run removes when it does not write them itself, so old
/// files never sit beside new numbers: every chart, and `runs.csv`.
fn stale_files(dir: &Path, written: &[String]) -> Vec<std::path::PathBuf> {
    let mut out: Vec<std::path::PathBuf> = std::fs::read_dir(dir.join("charts"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "png" || x == "svg"))
                .collect()
        })
        .unwrap_or_default();
    out.push(dir.join("runs.csv"));
    out.retain(|p| p.is_file() && !written.iter().any(|w| dir.join(w) == *p));
    out
}

/// An output folder being written: files go to a private staging folder inside it and are moved
/// into place only by [`Output::commit`], so a failure (or Ctrl-C) leaves the previous outputs
/// untouched. Dropping an uncommitted `Output` removes the staging folder; a run killed
/// outright (SIGKILL) leaves it, and the next [`Output::begin`] on the folder removes it.
pub struct Output {
    dir: std::path::PathBuf,
    staging: std::path::PathBuf,
    files: Vec<String>,
}

impl Output {
    /// Creates `dir` (if needed) and a fresh staging folder inside it.
    ///
    /// # Errors
    /// [`OutputError::Folder`] when the folder cannot be created or written.
    pub fn begin(dir: &Path) -> Result<Output, OutputError> {
        let folder_err = |source| OutputError::Folder {
            path: dir.display().to_string(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(folder_err)?;
        // staging folders of killed runs (no destructor ran) go now, so none accumulate
        atomic::remove_stale(dir);
        let staging = dir.join(format!(".staging-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&staging);
        std::fs::create_dir_all(&staging).map_err(folder_err)?;
        Ok(Output {
            dir: dir.to_path_buf(),
            staging,
            files: vec![],
        })
    }

    /// Where a file named `name` (relative to the output folder) is staged.
    pub fn staged(&self, name: &str) -> std::path::PathBuf {
        self.staging.join(name)
    }

    /// Records a file the caller wrote at [`Output::staged`]`(name)`.
    pub fn add(&mut self, name: &str) {
        self.files.push(name.to_string());
    }

    /// Stages a file `name` (relative to the output folder) with these bytes.
    ///
    /// # Errors
    /// [`OutputError::Write`] naming the file.
    pub fn put(&mut self, name: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let p = self.staged(name);
        atomic::write_atomic(&p, bytes).map_err(|source| OutputError::Write {
            path: p.display().to_string(),
            source,
        })?;
        self.add(name);
        Ok(())
    }

    /// Stages `summary.json`, `summary.csv`, `packages.csv`, the report and (if `charts`) the charts.
    ///
    /// # Errors
    /// [`OutputError`] naming what failed.
    pub fn write_summary(&mut self, manifest: &Manifest, summary: &Summary, charts: bool) -> Result<(), OutputError> {
        let csv_err = |e: ::csv::Error| OutputError::Write {
            path: "CSV".into(),
            source: std::io::Error::other(e.to_string()),
        };
        self.put("summary.json", json::render(manifest, summary).as_bytes())?;
        self.put("summary.csv", &csv::summary_csv(summary).map_err(csv_err)?)?;
        self.put("packages.csv", &csv::packages_csv(summary).map_err(csv_err)?)?;
        let mut stems: Vec<&str> = vec![];
        let mut svgs: Vec<(&str, String)> = vec![];
        if charts {
            let names = charts::write_all(&self.staging.join("charts"), summary).map_err(OutputError::Chart)?;
            for (stem, _) in document::CHARTS {
                if names.iter().any(|n| n == &format!("charts/{stem}.svg")) {
                    stems.push(stem);
                    let p = self.staged(&format!("charts/{stem}.svg"));
                    let svg = std::fs::read_to_string(&p).map_err(|source| OutputError::Write {
                        path: p.display().to_string(),
                        source,
                    })?;
                    svgs.push((stem, svg));
                }
            }
            self.files.extend(names);
        }
        self.put("report.md", document::markdown(summary, manifest, &stems).as_bytes())?;
        self.put("report.html", document::html(summary, manifest, &svgs).as_bytes())?;
        Ok(())
    }

    /// Moves every staged file into place and removes stale files of earlier runs; returns the
    /// files written, relative to the output folder.
    ///
    /// # Errors
    /// [`OutputError::Write`] when something is in the way (checked before anything moves).
    pub fn commit(self) -> Result<Vec<String>, OutputError> {
        let dir = &self.dir;
        for f in &self.files {
            let target = dir.join(f);
            if target.is_dir() {
                return Err(OutputError::Write {
                    path: target.display().to_string(),
                    source: std::io::Error::other("a folder is in the way"),
                });
            }
            if let Some(parent) = target.parent()
                && parent.exists()
                && !parent.is_dir()
            {
                return Err(OutputError::Write {
                    path: parent.display().to_string(),
                    source: std::io::Error::other("a file is in the way of this folder"),
                });
            }
        }
        for old in stale_files(dir, &self.files) {
            let _ = std::fs::remove_file(old);
        }
        for f in &self.files {
            let target = dir.join(f);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|source| OutputError::Write {
                    path: parent.display().to_string(),
                    source,
                })?;
            }
            std::fs::rename(self.staging.join(f), &target).map_err(|source| OutputError::Write {
                path: target.display().to_string(),
                source,
            })?;
        }
        Ok(self.files.clone())
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

/// Writes `summary.json`, `summary.csv`, `packages.csv` and (unless `charts` is false) the
/// charts into `dir` as one step (see [`Output`]). Returns the files written, relative to `dir`.
///
/// # Errors
/// [`OutputError`] naming the folder or file that failed.
pub fn write_all(dir: &Path, manifest: &Manifest, summary: &Summary, charts: bool) -> Result<Vec<String>, OutputError> {
    let mut out = Output::begin(dir)?;
    out.write_summary(manifest, summary, charts)?;
    out.commit()
}
