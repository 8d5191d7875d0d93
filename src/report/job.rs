//! Shard files of the analyses (`sweep`, `tornado`, `compare`, `batch` with `--shard K/N`):
//! every simulation of the analysis (a [`Unit`](crate::analysis::Unit)) run for the shard's
//! runs r ≡ K (mod N) only, with its exact aggregate and the per-run values its paired
//! differences need. `armistice merge` sums the aggregates, puts the per-run values back in run
//! order ([`PointResult::interleave`]) and finishes the analysis from the scenario texts and
//! settings the file carries: byte for byte the unsharded command's outputs.
//!
//! Splitting the runs of every simulation (rather than whole simulations) gives every shard the
//! same number of runs whatever the number of points, parameters or scenarios. The runs of unit
//! u are dealt out turned by u ([`unit_shard`]): a run that is costly to solve (a few runs take
//! a large share of a job's time, and on common random numbers run r is costly in most variants)
//! then falls to a different shard in each unit instead of always to the same one.
//!
//! A shard file is named by its job ([`JobShard::file_name`]): the command, the scenario id, a
//! hash of everything that determines the results (command, settings, scenario texts), the seed
//! and the runs, so two jobs never write the same file and `merge` refuses a mix.

use crate::analysis::PointResult;
use crate::runner::Shard;
use crate::stats::Aggregate;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The format tag of analysis shard files; `merge` refuses other versions.
pub const JOB_FORMAT: &str = "armistice-job/1";

/// How long a shard took and with how many threads (kept by `merge` in the merged manifest).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Timing {
    pub threads: usize,
    pub wall_seconds: f64,
    /// CPU time of the process (user + system), all threads.
    pub cpu_seconds: f64,
}

/// A scenario file's text, with its name as shown in the outputs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub file: String,
    pub text: String,
}

/// One unit's shard: the aggregate of the shard's runs and, per paired statistic, each of those
/// runs' values as `f64` bits (exact through JSON); or why the unit failed (`batch` lists a
/// failed scenario without losing the others).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitShard {
    pub aggregate: Option<Aggregate>,
    pub per_run: Vec<Vec<u64>>,
    pub error: Option<String>,
}

impl UnitShard {
    /// A simulated unit.
    pub fn done(p: PointResult) -> UnitShard {
        UnitShard {
            aggregate: Some(p.aggregate),
            per_run: p
                .per_run
                .iter()
                .map(|v| v.iter().map(|x| x.to_bits()).collect())
                .collect(),
            error: None,
        }
    }

    /// A unit that failed with this message.
    pub fn failed(error: String) -> UnitShard {
        UnitShard {
            aggregate: None,
            per_run: vec![],
            error: Some(error),
        }
    }

    fn result(self) -> Result<PointResult, String> {
        match (self.aggregate, self.error) {
            (_, Some(e)) => Err(e),
            (Some(aggregate), None) => Ok(PointResult {
                aggregate,
                per_run: self
                    .per_run
                    .into_iter()
                    .map(|v| v.into_iter().map(f64::from_bits).collect())
                    .collect(),
            }),
            (None, None) => Err("error: the shard holds no result for this simulation".into()),
        }
    }
}

/// A shard file of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JobShard {
    pub format: String,
    pub tool_version: String,
    /// `sweep`, `tornado`, `compare` or `batch`.
    pub command: String,
    /// The job's name: `<command>-<scenario id>-<hash>-seed<S>-runs<R>` (see [`job_name`]).
    pub job: String,
    pub shard: Shard,
    /// The command's settings, as the application needs them to finish the analysis.
    pub args: serde_json::Value,
    /// The scenario files' texts.
    pub sources: Vec<Source>,
    /// Every unit of the analysis, in order.
    pub units: Vec<UnitShard>,
    pub timing: Timing,
    /// Hex SHA-256 of the file's compact JSON without this field: `merge` refuses an edited
    /// shard.
    #[serde(default)]
    pub checksum: Option<String>,
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The name of a job: its command, scenario id, the first 12 hex digits of `hash`, and the seed
/// and runs when they are the job's (`None`: each file's own, as in `batch`).
pub fn job_name(command: &str, id: &str, hash: &str, seed: Option<u64>, runs: Option<u64>) -> String {
    let mut name = format!("{command}-{id}-{}", &hash[..12.min(hash.len())]);
    if let Some(s) = seed {
        name.push_str(&format!("-seed{s}"));
    }
    if let Some(r) = runs {
        name.push_str(&format!("-runs{r}"));
    }
    name
}

/// The file name of shard `shard` of job `job`: `<job>.shard-K-of-N.json`.
pub fn shard_file_name(job: &str, shard: Shard) -> String {
    format!("{job}.shard-{}-of-{}.json", shard.index, shard.count)
}

/// The runs shard `shard` simulates of unit `u`: those with (r + u) mod N = K, i.e. the runner's
/// shard `(K − u) mod N` of N.
pub fn unit_shard(shard: Shard, u: usize) -> Shard {
    let n = shard.count;
    Shard {
        index: (shard.index + n - (u as u64 % n)) % n,
        count: n,
    }
}

/// Why analysis shards cannot be merged; each message says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum JobError {
    #[error("error: cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error(
        "error: {path} is not an armistice shard file: {error}\n  = help: pass the *.shard-K-of-N.json files written by `armistice sweep|tornado|compare|batch … --shard K/N`"
    )]
    NotShard { path: String, error: serde_json::Error },
    #[error(
        "error: {path} has format `{format}`, this armistice reads `{JOB_FORMAT}`\n  = help: merge shards written by the same armistice version"
    )]
    Format { path: String, format: String },
    #[error(
        "error: {path} was changed after it was written: its contents do not match its checksum\n  = help: run shard {index}/{count} of the job again, then merge again"
    )]
    Edited { path: String, index: u64, count: u64 },
    #[error(
        "error: {first} and {other} come from different jobs: {a} vs {b}\n  = help: merge only the shards of one job (their file names start with the job's name)"
    )]
    Mix {
        first: String,
        other: String,
        a: String,
        b: String,
    },
    #[error("error: shard {index} of {count} is given twice: {first} and {second}\n  = help: pass each shard once")]
    Twice {
        index: u64,
        count: u64,
        first: String,
        second: String,
    },
    #[error(
        "error: shard(s) {missing} of {count} of job {job} are missing\n  = help: run the job's command with --shard K/{count} for each missing K (or resubmit those array tasks), then merge again"
    )]
    Missing { missing: String, count: u64, job: String },
    #[error(
        "error: the shards of job {job} do not fit together (simulation {unit}: its runs or per-run values)\n  = help: a shard file was edited or truncated; run it again"
    )]
    Inconsistent { job: String, unit: usize },
}

impl JobShard {
    /// A sealed shard file (its checksum set).
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        command: &str,
        job: String,
        shard: Shard,
        args: serde_json::Value,
        sources: Vec<Source>,
        units: Vec<UnitShard>,
        timing: Timing,
    ) -> JobShard {
        let mut f = JobShard {
            format: JOB_FORMAT.into(),
            tool_version: env!("CARGO_PKG_VERSION").into(),
            command: command.into(),
            job,
            shard,
            args,
            sources,
            units,
            timing,
            checksum: None,
        };
        f.checksum = Some(f.checksum_of());
        f
    }

    /// The hex SHA-256 of the compact JSON of everything but the checksum.
    pub fn checksum_of(&self) -> String {
        let bare = JobShard {
            checksum: None,
            ..self.clone()
        };
        sha256_hex(&serde_json::to_vec(&bare).expect("shards serialise"))
    }

    /// `<job>.shard-K-of-N.json`.
    pub fn file_name(&self) -> String {
        shard_file_name(&self.job, self.shard)
    }

    /// Compact JSON with a final newline (per-run values make these files large).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string(self).expect("shards serialise");
        s.push('\n');
        s
    }

    /// Reads one shard file and checks its format and checksum.
    ///
    /// # Errors
    /// What is wrong with the file ([`JobError`]).
    pub fn read(path: &Path) -> Result<JobShard, JobError> {
        let shown = || path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| JobError::Read { path: shown(), source })?;
        let f: JobShard = serde_json::from_str(&text).map_err(|error| JobError::NotShard { path: shown(), error })?;
        if f.format != JOB_FORMAT {
            return Err(JobError::Format {
                path: shown(),
                format: f.format,
            });
        }
        if f.checksum.as_deref() != Some(f.checksum_of().as_str()) {
            return Err(JobError::Edited {
                path: shown(),
                index: f.shard.index,
                count: f.shard.count,
            });
        }
        Ok(f)
    }
}

/// The shards of one job merged: the command's settings and scenario texts, each unit's result
/// of all runs (or its error), and each shard's timing in shard order.
pub struct MergedJob {
    pub command: String,
    pub job: String,
    pub args: serde_json::Value,
    pub sources: Vec<Source>,
    pub units: Vec<Result<PointResult, String>>,
    pub timings: Vec<Timing>,
}

/// Merges the shards of one job: all of the same job (name, settings, texts and shard count),
/// each shard exactly once.
///
/// # Errors
/// A mix of jobs, a shard given twice or missing, or shards that do not fit together.
pub fn merge_jobs(files: Vec<(PathBuf, JobShard)>) -> Result<MergedJob, JobError> {
    let Some((first_path, first)) = files.first() else {
        return Err(JobError::Missing {
            missing: "all".into(),
            count: 0,
            job: "?".into(),
        });
    };
    let count = first.shard.count;
    let mut seen: Vec<Option<&Path>> = vec![None; count as usize];
    for (path, f) in &files {
        let mix = |a: String, b: String| JobError::Mix {
            first: first_path.display().to_string(),
            other: path.display().to_string(),
            a,
            b,
        };
        if f.job != first.job || f.command != first.command {
            return Err(mix(format!("job {}", first.job), format!("job {}", f.job)));
        }
        if f.args != first.args || f.sources != first.sources || f.units.len() != first.units.len() {
            return Err(mix(
                "one job's settings".into(),
                "other settings under the same name".into(),
            ));
        }
        if f.shard.count != count {
            return Err(mix(format!("{count} shards"), format!("{} shards", f.shard.count)));
        }
        let k = f.shard.index as usize;
        if let Some(prev) = seen[k] {
            return Err(JobError::Twice {
                index: f.shard.index,
                count,
                first: prev.display().to_string(),
                second: path.display().to_string(),
            });
        }
        seen[k] = Some(path);
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_none())
        .map(|(k, _)| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(JobError::Missing {
            missing: missing.join(", "),
            count,
            job: first.job.clone(),
        });
    }
    let (command, job, args, sources) = (
        first.command.clone(),
        first.job.clone(),
        first.args.clone(),
        first.sources.clone(),
    );
    let mut files: Vec<JobShard> = files.into_iter().map(|(_, f)| f).collect();
    files.sort_by_key(|f| f.shard.index);
    let timings = files.iter().map(|f| f.timing).collect();
    let n_units = files[0].units.len();
    let mut per_unit: Vec<Vec<UnitShard>> = (0..n_units).map(|_| Vec::with_capacity(files.len())).collect();
    for f in files {
        for (u, x) in f.units.into_iter().enumerate() {
            per_unit[u].push(x);
        }
    }
    let mut out = vec![];
    for (u, mut shards) in per_unit.into_iter().enumerate() {
        // file K holds unit u's runner shard (K − u) mod N: put them in runner-shard order
        let n = shards.len().max(1);
        shards.rotate_left(u % n);
        match shards.into_iter().map(UnitShard::result).collect::<Result<Vec<_>, _>>() {
            Err(e) => out.push(Err(e)),
            Ok(results) => out.push(Ok(PointResult::interleave(results).ok_or_else(|| {
                JobError::Inconsistent {
                    job: job.clone(),
                    unit: u,
                }
            })?)),
        }
    }
    Ok(MergedJob {
        command,
        job,
        args,
        sources,
        units: out,
        timings,
    })
}
