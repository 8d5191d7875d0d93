//! `aggregate.json` and shard files: the exact, mergeable state of a simulation.
//!
//! Every `run` writes `aggregate.json` (all runs); `run --shard K/N` writes only
//! `<job>.shard-K-of-N.json` (its runs r with r mod N = K). Both hold the [`Aggregate`] (integer counts
//! and fixed-point sums), the seed, the run count and the scenario's text, so `armistice merge`
//! needs nothing else and gives byte for byte the aggregate of the unsharded run.

use crate::runner::Shard;
use crate::scenario::Scenario;
use crate::stats::Aggregate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The format tag of these files; `merge` refuses other versions.
pub const FORMAT: &str = "armistice-aggregate/1";

/// What is wrong with the shard files given to `merge`, and how to fix it (each message starts
/// with "error: " and may end with a "  = help: …" line).
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// The file cannot be read.
    #[error("error: cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// The file is not JSON of an [`AggregateFile`].
    #[error(
        "error: {path} is not an armistice aggregate or shard file: {error}\n  = help: pass the *.shard-K-of-N.json files written by `armistice run --shard K/N` (or the folders holding them)"
    )]
    NotAggregate { path: String, error: serde_json::Error },
    /// The file has another format tag than [`FORMAT`].
    #[error(
        "error: {path} has format `{format}`, this armistice reads `{FORMAT}`\n  = help: merge shards written by the same armistice version"
    )]
    Format { path: String, format: String },
    /// A folder cannot be listed.
    #[error("error: cannot read the folder {path}: {source}")]
    Folder { path: String, source: std::io::Error },
    /// A folder holds no shard file.
    #[error(
        "error: {path} holds no shard file (*.shard-K-of-N.json)\n  = help: `armistice run SCENARIO --shard K/N --out {path}` writes them"
    )]
    NoShards { path: String },
    /// A path that does not exist.
    #[error("error: {path} does not exist")]
    NotFound { path: String },
    /// No file at all.
    #[error("error: no shard files to merge")]
    Nothing,
    /// The first file is a whole run's aggregate.
    #[error(
        "error: {path} is a whole run's aggregate, not a shard\n  = help: merge the *.shard-K-of-N.json files of one `run --shard K/N` job"
    )]
    WholeRun { path: String },
    /// Two files of different jobs: `what` is `a` in `first`, `b` in `other`.
    #[error(
        "error: {first} and {other} come from different jobs: {what} {a} vs {b}\n  = help: merge only the shards of one job (same scenario file, --seed, --runs and N)"
    )]
    Differs {
        first: String,
        other: String,
        what: &'static str,
        a: String,
        b: String,
    },
    /// Shard `index` of `count` is given twice.
    #[error("error: shard {index} of {count} is given twice: {first} and {second}\n  = help: pass each shard once")]
    Twice {
        index: u64,
        count: u64,
        first: String,
        second: String,
    },
    /// Shards (their indices, comma-separated) of `count` are missing.
    #[error(
        "error: shard(s) {missing} of {count} are missing\n  = help: run `armistice run {scenario_file} --seed {seed} --runs {runs} --shard K/{count}` for each missing K, then merge again"
    )]
    Missing {
        missing: String,
        count: u64,
        scenario_file: String,
        seed: u64,
        runs: u64,
    },
    /// A shard whose contents do not match its checksum (its counts were edited).
    #[error(
        "error: {path} was changed after it was written: its contents do not match its checksum\n  = help: run that shard again (`armistice run {scenario_file} --seed {seed} --runs {runs} --shard {index}/{count}`), then merge again"
    )]
    Edited {
        path: String,
        scenario_file: String,
        seed: u64,
        runs: u64,
        index: u64,
        count: u64,
    },
    /// A shard without a checksum.
    #[error(
        "error: {path} is a shard without a checksum (written by an older armistice, or the checksum was removed)\n  = help: run that shard again with this version, then merge again"
    )]
    NoChecksum { path: String },
    /// The shards hold `held` runs, the job `runs`.
    #[error(
        "error: the shards hold {held} runs, the job has {runs}\n  = help: a shard file was edited or truncated; run it again"
    )]
    RunCount { held: u64, runs: u64 },
}

/// The contents of `aggregate.json` or of a shard file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AggregateFile {
    pub format: String,
    pub tool_version: String,
    pub scenario_id: String,
    /// The scenario file as given on the command line (for messages).
    pub scenario_file: String,
    /// Hex SHA-256 of the scenario's text.
    pub scenario_sha256: String,
    pub seed: u64,
    /// Runs of the whole job (`0..runs`), not only this shard's.
    pub runs: u64,
    /// `None` for a whole run or a merge.
    pub shard: Option<Shard>,
    /// The scenario's text, so the file can be merged and reported on its own.
    pub scenario_source: String,
    pub aggregate: Aggregate,
    /// Shards only: the hex SHA-256 of the file's JSON without this field (see
    /// [`AggregateFile::checksum_of`]), so `merge` refuses a shard whose counts were edited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<String>,
    /// Shards only: the shard's threads, wall and CPU time (the merged manifest keeps them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<super::job::Timing>,
    /// Shards of `run --per-run` only: the file beside the shard with its runs.csv rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runs_csv: Option<String>,
}

impl AggregateFile {
    /// The file for aggregate `agg` of scenario `s`.
    pub fn new(s: &Scenario, seed: u64, runs: u64, shard: Option<Shard>, agg: Aggregate) -> AggregateFile {
        AggregateFile {
            format: FORMAT.into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            scenario_id: s.meta.id.clone(),
            scenario_file: s.path.display().to_string(),
            scenario_sha256: s.source_hash.clone(),
            seed,
            runs,
            shard,
            scenario_source: s.source.clone(),
            aggregate: agg,
            checksum: None,
            timing: None,
            runs_csv: None,
        }
        .sealed()
    }

    /// A shard with its checksum set (a whole run's file is returned as it is).
    fn sealed(mut self) -> AggregateFile {
        if self.shard.is_some() {
            self.checksum = Some(self.checksum_of());
        }
        self
    }

    /// The hex SHA-256 of the compact JSON of everything but the checksum: the counts, and the
    /// scenario, seed, runs and shard they belong to.
    pub fn checksum_of(&self) -> String {
        use sha2::Digest;
        let bare = AggregateFile {
            checksum: None,
            ..self.clone()
        };
        let json = serde_json::to_vec(&bare).expect("aggregates serialise");
        sha2::Sha256::digest(&json).iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A shard's timing and (with `run --per-run`) the name of its runs.csv rows' file.
    pub fn with_shard_info(mut self, timing: super::job::Timing, runs_csv: Option<String>) -> AggregateFile {
        self.timing = Some(timing);
        self.runs_csv = runs_csv;
        // the checksum covers these too
        self.checksum = None;
        self.sealed()
    }

    /// The job's name: command (`run`, or `run-per-run`), scenario id, scenario hash, seed and
    /// runs; shard files are named after it so two jobs never write the same file.
    pub fn job(&self) -> String {
        let command = if self.runs_csv.is_some() { "run-per-run" } else { "run" };
        super::job::job_name(
            command,
            &self.scenario_id,
            &self.scenario_sha256,
            Some(self.seed),
            Some(self.runs),
        )
    }

    /// The file name of a shard of this job: `<job>.shard-K-of-N.json` (K 0-based).
    pub fn shard_name(&self, shard: Shard) -> String {
        super::job::shard_file_name(&self.job(), shard)
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("aggregates serialise");
        s.push('\n');
        s
    }

    /// Reads one file.
    ///
    /// # Errors
    /// [`ShardError::Read`], [`ShardError::NotAggregate`] or [`ShardError::Format`]: what is
    /// wrong with the file, and how to fix it.
    pub fn read(path: &Path) -> Result<AggregateFile, ShardError> {
        let shown = || path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ShardError::Read { path: shown(), source })?;
        let f: AggregateFile =
            serde_json::from_str(&text).map_err(|error| ShardError::NotAggregate { path: shown(), error })?;
        if f.format != FORMAT {
            return Err(ShardError::Format {
                path: shown(),
                format: f.format,
            });
        }
        if let Some(sh) = f.shard {
            match &f.checksum {
                None => return Err(ShardError::NoChecksum { path: shown() }),
                Some(c) if *c != f.checksum_of() => {
                    return Err(ShardError::Edited {
                        path: shown(),
                        scenario_file: f.scenario_file.clone(),
                        seed: f.seed,
                        runs: f.runs,
                        index: sh.index,
                        count: sh.count,
                    });
                }
                Some(_) => {}
            }
        }
        Ok(f)
    }
}

/// The shard files in folder `p`, sorted by name.
fn shards_in(p: &Path) -> Result<Vec<PathBuf>, ShardError> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(p)
        .map_err(|source| ShardError::Folder {
            path: p.display().to_string(),
            source,
        })?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|f| {
            f.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| (n.starts_with("shard-") || n.contains(".shard-")) && n.ends_with(".json"))
        })
        .collect();
    if found.is_empty() {
        return Err(ShardError::NoShards {
            path: p.display().to_string(),
        });
    }
    found.sort();
    Ok(found)
}

/// The shard files named by `inputs`: files as given, and every `shard-*.json` in folders.
///
/// # Errors
/// A path that does not exist ([`ShardError::NotFound`]), a folder that cannot be read or holds
/// no shard files.
pub fn collect(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, ShardError> {
    let mut out = vec![];
    for p in inputs {
        if p.is_dir() {
            out.extend(shards_in(p)?);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(ShardError::NotFound {
                path: p.display().to_string(),
            });
        }
    }
    Ok(out)
}

/// Checks that every file is a shard of the same job as `first` (scenario text, seed, run count
/// and shard count `count`) and that no shard is given twice; returns the path of each shard
/// index given (`None` where missing).
fn check_jobs<'a>(
    first_path: &Path,
    first: &AggregateFile,
    count: u64,
    files: &'a [(PathBuf, AggregateFile)],
) -> Result<Vec<Option<&'a Path>>, ShardError> {
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for (path, f) in files {
        let differs = |what: &'static str, a: String, b: String| ShardError::Differs {
            first: first_path.display().to_string(),
            other: path.display().to_string(),
            what,
            a,
            b,
        };
        if f.scenario_sha256 != first.scenario_sha256 {
            return Err(differs(
                "scenario text (SHA-256)",
                first.scenario_sha256[..12].into(),
                f.scenario_sha256[..12.min(f.scenario_sha256.len())].into(),
            ));
        }
        if f.seed != first.seed {
            return Err(differs("seed", first.seed.to_string(), f.seed.to_string()));
        }
        if f.runs != first.runs {
            return Err(differs("runs", first.runs.to_string(), f.runs.to_string()));
        }
        if f.runs_csv.is_some() != first.runs_csv.is_some() {
            let per_run = |x: &AggregateFile| {
                if x.runs_csv.is_some() {
                    "--per-run"
                } else {
                    "no --per-run"
                }
            };
            return Err(differs("rows", per_run(first).into(), per_run(f).into()));
        }
        let Some(sh) = f.shard.filter(|s| s.count == count && s.index < count) else {
            return Err(differs(
                "shard count",
                count.to_string(),
                f.shard.map_or("none (a whole run)".into(), |s| s.count.to_string()),
            ));
        };
        if let Some(prev) = seen[sh.index as usize] {
            return Err(ShardError::Twice {
                index: sh.index,
                count,
                first: prev.display().to_string(),
                second: path.display().to_string(),
            });
        }
        seen[sh.index as usize] = Some(path);
    }
    Ok(seen)
}

/// Merges the shards of one job into the whole job's file (`shard = None`), checking that they
/// come from the same scenario text, seed, run count and shard count, and that every shard is
/// there exactly once.
///
/// # Errors
/// Which shard is missing, repeated or from another job, and how to fix it (see [`ShardError`]).
pub fn merge(files: &[(PathBuf, AggregateFile)]) -> Result<AggregateFile, ShardError> {
    let Some((first_path, first)) = files.first() else {
        return Err(ShardError::Nothing);
    };
    let Some(count) = first.shard.map(|s| s.count) else {
        return Err(ShardError::WholeRun {
            path: first_path.display().to_string(),
        });
    };
    let seen = check_jobs(first_path, first, count, files)?;
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(k, _)| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(ShardError::Missing {
            missing: missing.join(", "),
            count,
            scenario_file: first.scenario_file.clone(),
            seed: first.seed,
            runs: first.runs,
        });
    }
    // merge in shard order (the result is order-independent; this keeps it obviously so)
    let mut ordered: Vec<&AggregateFile> = files.iter().map(|(_, f)| f).collect();
    ordered.sort_by_key(|f| f.shard.map(|s| s.index));
    let mut agg = ordered[0].aggregate.clone();
    for f in &ordered[1..] {
        agg = agg.merge(f.aggregate.clone());
    }
    if agg.runs != first.runs {
        return Err(ShardError::RunCount {
            held: agg.runs,
            runs: first.runs,
        });
    }
    Ok(AggregateFile {
        shard: None,
        aggregate: agg,
        checksum: None,
        timing: None,
        runs_csv: None,
        ..first.clone()
    })
}

#[cfg(test)]
mod tests {
    /// A shard's checksum is verified by serialising what was read back, so every float must
    /// survive JSON both ways to the bit: the residual below (an unconverged run's in
    /// `tests/unconverged.rs`) came back one ulp off with serde_json's default parser, and the
    /// merge refused a shard it had just written as "changed after it was written".
    #[test]
    fn floats_survive_json_to_the_bit() {
        for x in [
            3.2219605872185753e-9f64,
            3.929438829874954e-9,
            0.1 + 0.2,
            1e-300,
            123_456.789_012_345_68,
        ] {
            let back: f64 = serde_json::from_str(&serde_json::to_string(&x).unwrap()).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{x:e}");
        }
    }
}
