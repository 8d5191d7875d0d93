//! Runs whose equilibrium cannot be solved to the tolerance (issue 15): the batch completes, each
//! such round is played from the best values the solver reached, the runs are listed by index in
//! `summary.json`, `summary.csv`, the terminal and the report, shards carry them so a merge lists
//! the same runs, and `--strict` restores the old error (exit 1, nothing written). The scenario,
//! `tests/scenarios/unconverged-daily.toml`, has runs 3, 5 and 6 unconverged at seed 1 (7 runs).

use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::Scenario;
use armistice::sim::simulate;
use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn scenario() -> PathBuf {
    Path::new(ROOT).join("tests/scenarios/unconverged-daily.toml")
}

fn armistice() -> Command {
    let mut c = Command::cargo_bin("armistice").unwrap();
    c.current_dir(ROOT);
    c
}

/// `dir` does not exist or is empty (the output folder is created, then nothing is moved in).
fn nothing_in(dir: &Path) -> bool {
    std::fs::read_dir(dir).map_or(true, |mut d| d.next().is_none())
}

fn summary(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).unwrap()).unwrap()
}

/// The listed runs of a summary.json: (run, round, residual).
fn listed(v: &serde_json::Value) -> Vec<(u64, u64, f64)> {
    v["results"]["solver"]["unconverged"]["runs"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|x| {
                    (
                        x["run"].as_u64().unwrap(),
                        x["round"].as_u64().unwrap(),
                        x["residual"].as_f64().unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The library plays every run through and lists exactly the runs that, simulated one by one,
/// have a round above the tolerance, each with a residual above it.
#[test]
fn every_run_is_played_and_exactly_the_unconverged_ones_are_listed() {
    let s = Scenario::load(&scenario()).unwrap();
    let opts = RunOptions {
        runs: 7,
        seed: 1,
        threads: Some(2),
        shard: None,
    };
    let agg = run_all(&s, opts, &Silent, &AtomicBool::new(false)).unwrap();
    assert_eq!(agg.runs, 7);
    let want: Vec<u64> = (0..7).filter(|&r| simulate(&s, 1, r).not_converged.is_some()).collect();
    let got: Vec<u64> = agg.unconverged.runs.iter().map(|x| x.run).collect();
    assert!(!want.is_empty(), "the reproducer no longer has an unconverged run");
    assert_eq!(got, want);
    assert_eq!(agg.unconverged.count, want.len() as u64);
    for x in &agg.unconverged.runs {
        assert!(x.residual > s.protocol.solver_tolerance && x.residual < 1e-6, "{x:?}");
        assert!(x.tau >= s.protocol.temperature, "{x:?}");
        assert!(x.round < s.meta.horizon);
    }
    // an unconverged run is played to its end like any other
    let rec = simulate(&s, 1, got[0]);
    assert!(rec.unconverged_solves >= 1);
    assert!(rec.payoff.iter().all(|p| p.is_finite()));
    assert!(armistice::runner::strict(&agg).is_err());
}

/// `armistice run` completes (exit 0) and lists the runs in summary.json, summary.csv, the
/// terminal and the report; `--strict` exits 1 and writes nothing.
#[test]
fn run_lists_the_unconverged_runs_and_strict_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let a = armistice()
        .arg("run")
        .arg(scenario())
        .args(["--no-charts", "--threads", "2", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&a.get_output().stdout).into_owned();
    let v = summary(&out);
    let runs = listed(&v);
    assert_eq!(runs.iter().map(|x| x.0).collect::<Vec<_>>(), [3, 5, 6], "{v:#}");
    assert_eq!(v["results"]["solver"]["unconverged"]["count"], 3);
    assert!(runs.iter().all(|x| x.2 > 1e-10));
    assert!(
        stdout.contains("warning: 3 of 7 run(s)") && stdout.contains("(runs 3, 5, 6)"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.contains("unconverged_runs,,3,,"), "{csv}");
    assert!(csv.contains("unconverged_run_round,5,") && csv.contains("unconverged_run_residual,6,"));
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("above the solver's tolerance") && md.contains("runs 3, 5, 6"),
        "{md}"
    );

    let strict = dir.path().join("strict");
    let a = armistice()
        .arg("run")
        .arg(scenario())
        .args(["--no-charts", "--strict", "-q", "--out"])
        .arg(&strict)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("run 3 did not converge") && err.contains("3 run(s)"),
        "{err}"
    );
    assert!(nothing_in(&strict), "--strict wrote into {}", strict.display());
}

/// The tolerance is a setting: `--tolerance 1e-8` (above both residuals) accepts the runs, and
/// so does `[protocol] tolerance = 1e-8` in the file; then nothing is listed.
#[test]
fn a_looser_tolerance_accepts_the_runs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("flag");
    armistice()
        .arg("run")
        .arg(scenario())
        .args(["--no-charts", "-q", "--strict", "--tolerance", "1e-8", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(summary(&out)["results"]["solver"].get("unconverged").is_none());
    let text = std::fs::read_to_string(scenario())
        .unwrap()
        .replace("temperature = 0.02", "tolerance = 1e-8\ntemperature = 0.02");
    let s = Scenario::from_bytes(Path::new("tolerance.toml"), text.as_bytes()).unwrap();
    assert_eq!(s.protocol.solver_tolerance, 1e-8);
    assert!(simulate(&s, 1, 5).not_converged.is_none());
    assert!(simulate(&s, 1, 6).not_converged.is_none());
}

/// Shards carry the unconverged runs: a merge of 3 shards lists exactly the runs of the
/// unsharded job.
#[test]
fn a_merge_of_shards_lists_the_same_runs() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    armistice()
        .arg("run")
        .arg(scenario())
        .args(["--no-charts", "-q", "--out"])
        .arg(&whole)
        .assert()
        .success();
    let shards = dir.path().join("shards");
    for k in 0..3 {
        armistice()
            .arg("run")
            .arg(scenario())
            .args(["-q", "--shard", &format!("{k}/3"), "--out"])
            .arg(&shards)
            .assert()
            .success();
    }
    let merged = dir.path().join("merged");
    armistice()
        .arg("merge")
        .arg(&shards)
        .args(["--no-charts", "-q", "--out"])
        .arg(&merged)
        .assert()
        .success();
    let (a, b) = (summary(&whole), summary(&merged));
    assert_eq!(listed(&a), listed(&b));
    assert_eq!(a["results"], b["results"]);
    assert_eq!(
        std::fs::read(whole.join("summary.csv")).unwrap(),
        std::fs::read(merged.join("summary.csv")).unwrap()
    );
}

/// An analysis (here a compare of the scenario with itself) completes with a warning naming the
/// runs, and fails under `--strict`.
#[test]
fn analyses_warn_and_strict_fails() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cmp");
    let a = armistice()
        .arg("compare")
        .arg(scenario())
        .arg(scenario())
        .args(["--runs", "7", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("warning: 6 run(s) in 2 simulation(s)") && err.contains("runs 3, 5, 6"),
        "{err}"
    );
    let strict = dir.path().join("strict");
    armistice()
        .arg("compare")
        .arg(scenario())
        .arg(scenario())
        .args(["--runs", "7", "--no-charts", "--strict", "-q", "--out"])
        .arg(&strict)
        .assert()
        .code(1);
    assert!(nothing_in(&strict));
}
