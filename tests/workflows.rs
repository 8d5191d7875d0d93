//! The analysis workflows (issue 6): sweeps reproduce separately run scenarios exactly, merged
//! shards equal the unsharded run byte for byte, `explain --run R` tells run R of `runs.csv`, and
//! a tornado ranks a known dominant parameter first.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

const TOY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/classic/two-party-toy.toml");
const DOMINANT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/tornado-dominant.toml");

fn armistice() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
}

fn read_csv(p: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_path(p).unwrap();
    let h: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|rec| h.iter().cloned().zip(rec.unwrap().iter().map(String::from)).collect())
        .collect()
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// A sweep's points are the scenario files one would write by hand, run separately: same
/// counts, exactly (common random numbers make the sweep and the separate runs the same runs).
#[test]
fn a_sweep_reproduces_the_separately_run_scenarios_at_its_points() {
    let dir = tempfile::tempdir().unwrap();
    let sweep = dir.path().join("sweep");
    armistice()
        .args([
            "sweep",
            TOY,
            "--set",
            "actor.B.war_cost=0.004..0.02:3",
            "--stat",
            "payoff:B",
            "--runs",
            "300",
            "--seed",
            "11",
            "--no-charts",
            "--out",
        ])
        .arg(&sweep)
        .assert()
        .success();
    let rows = read_csv(&sweep.join("sweep.csv"));
    assert_eq!(rows.len(), 3);
    let text = std::fs::read_to_string(TOY).unwrap();
    // B's war cost is the only `war_cost = 0.01` line of the file
    assert_eq!(text.matches("war_cost = 0.01\n").count(), 1);
    let mut payoffs = vec![];
    for row in &rows {
        let v = &row["actor.B.war_cost"];
        let file = dir.path().join(format!("b-{v}.toml"));
        std::fs::write(&file, text.replace("war_cost = 0.01\n", &format!("war_cost = {v}\n"))).unwrap();
        let out = dir.path().join(format!("run-{v}"));
        armistice()
            .args(["run"])
            .arg(&file)
            .args(["--runs", "300", "--seed", "11", "--no-charts", "-q", "--out"])
            .arg(&out)
            .assert()
            .success();
        let agg = &json(&out.join("aggregate.json"))["aggregate"];
        let (k, n) = (agg["outcomes"][0].as_u64().unwrap(), agg["runs"].as_u64().unwrap());
        assert_eq!(
            row["agreement"],
            format!("{:.6}", k as f64 / n as f64),
            "at war_cost {v}"
        );
        let s = json(&out.join("summary.json"));
        let pay = s["results"]["actors"][1]["payoff_mean"].as_f64().unwrap();
        let swept: f64 = row["payoff:B"].parse().unwrap();
        assert!((pay - swept).abs() < 1e-6, "payoff of B at {v}: {pay} vs {swept}");
        payoffs.push(swept);
    }
    // and the parameter matters here, so the test could fail: a costlier war is worse for B
    assert!(payoffs[2] < payoffs[0] - 0.01, "{payoffs:?}");
}

/// A 2-D sweep declared in the file runs without --set and writes one row per grid point.
#[test]
fn a_sweep_declared_in_the_scenario_file_runs_on_its_grid() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("declared.toml");
    let text = std::fs::read_to_string(TOY).unwrap()
        + "\n[[sweep]]\nid = \"costs\"\nset = [\"actor.B.war_cost=0.005,0.02\", \"actor.A.discount=0.95..0.99:3\"]\nstats = [\"agreement\", \"breakdown\"]\n";
    std::fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    armistice()
        .arg("sweep")
        .arg(&file)
        .args(["--runs", "100", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("sweep costs"));
    let rows = read_csv(&out.join("sweep.csv"));
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[1]["actor.B.war_cost"], "0.02");
    assert_eq!(rows[2]["actor.A.discount"], "0.97");
    for f in ["agreement.png", "agreement.svg", "breakdown.png"] {
        assert!(out.join("charts").join(f).is_file(), "{f}");
    }
    // the page holds both heatmaps inline and the table
    let html = std::fs::read_to_string(out.join("sweep.html")).unwrap();
    assert_eq!(html.matches("<svg").count(), 2);
    assert!(html.contains("<td>0.97</td>"));
}

/// Bad sweep input: a path that does not exist names what does, exit 1, nothing written.
#[test]
fn a_sweep_over_a_missing_parameter_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    armistice()
        .args(["sweep", TOY, "--set", "actor.C.war_cost=0.1..0.2:3", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no entry with id `C`").and(predicate::str::contains("`A`, `B`")));
    assert!(!out.exists());
    armistice()
        .args(["sweep", TOY, "--set", "actor.A.discount=0.5..1.5:3"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("[sweep variant: actor.A.discount = 1.5]:")
                .and(predicate::str::contains("the file itself is valid")),
        );
}

/// The file of shard K of N in `dir` (named `<job>.shard-K-of-N.json`).
fn shard_file(dir: &Path, k: u64, n: u64) -> std::path::PathBuf {
    let suffix = format!(".shard-{k}-of-{n}.json");
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(&suffix))
        .unwrap_or_else(|| panic!("no shard {k} of {n} in {}", dir.display()))
}

/// `run --shard K/N` for every K, merged, is byte for byte the unsharded run's aggregate (and
/// the same summary, but for the manifest's timing).
#[test]
fn merged_shards_equal_the_unsharded_run_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let shards = dir.path().join("shards");
    let merged = dir.path().join("merged");
    let common = ["--runs", "601", "--seed", "4"];
    armistice()
        .args(["run", TOY])
        .args(common)
        .args(["--no-charts", "-q", "--out"])
        .arg(&whole)
        .assert()
        .success();
    for k in 0..3 {
        armistice()
            .args(["run", TOY])
            .args(common)
            .args(["-q", "--shard", &format!("{k}/3"), "--out"])
            .arg(&shards)
            .assert()
            .success();
    }
    // a missing shard is refused, naming it
    armistice()
        .args(["merge"])
        .arg(shard_file(&shards, 0, 3))
        .arg(shard_file(&shards, 2, 3))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("shard(s) 1 of 3 are missing"));
    armistice()
        .args(["merge"])
        .arg(&shards)
        .args(["--no-charts", "-q", "--out"])
        .arg(&merged)
        .assert()
        .success();
    let a = std::fs::read(whole.join("aggregate.json")).unwrap();
    let b = std::fs::read(merged.join("aggregate.json")).unwrap();
    assert!(
        a == b,
        "aggregate.json differs between the unsharded run and the merged shards"
    );
    let (mut x, mut y) = (json(&whole.join("summary.json")), json(&merged.join("summary.json")));
    x.as_object_mut().unwrap().remove("manifest");
    y.as_object_mut().unwrap().remove("manifest");
    assert_eq!(x, y);
    // the shards really split the runs
    let s0 = json(&shard_file(&shards, 0, 3));
    assert_eq!(s0["aggregate"]["runs"], 201);
}

/// Shards of different jobs are not merged.
#[test]
fn shards_of_different_seeds_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (k, seed) in [(0, "1"), (1, "2")] {
        armistice()
            .args([
                "run",
                TOY,
                "--runs",
                "50",
                "--seed",
                seed,
                "-q",
                "--shard",
                &format!("{k}/2"),
                "--out",
            ])
            .arg(dir.path())
            .assert()
            .success();
    }
    armistice()
        .args(["merge"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("different jobs: seed 1 vs 2"));
}

/// `explain --run R` tells the same run as row R of runs.csv: outcome, round, package, proposer.
#[test]
fn explain_agrees_with_the_runs_csv_record() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    armistice()
        .args([
            "run",
            TOY,
            "--runs",
            "60",
            "--seed",
            "9",
            "--per-run",
            "--no-charts",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let rows = read_csv(&out.join("runs.csv"));
    let mut kinds = std::collections::BTreeSet::new();
    for r in (0..60).step_by(6) {
        let row = &rows[r];
        let text = String::from_utf8(
            armistice()
                .args(["explain", TOY, "--seed", "9", "--run", &r.to_string()])
                .assert()
                .success()
                .get_output()
                .stdout
                .clone(),
        )
        .unwrap();
        let last = text
            .lines()
            .find(|l| l.starts_with("Outcome:"))
            .expect("an outcome line");
        let expected = match row["outcome"].as_str() {
            "agreement" => format!(
                "Outcome: agreement in round {} on {}, proposed by {}.",
                row["round"], row["package"], row["proposer"]
            ),
            "breakdown" => format!("Outcome: breakdown in round {}: talks ended for good.", row["round"]),
            _ => "Outcome: no agreement within the 24 rounds observed.".to_string(),
        };
        assert_eq!(last, expected, "run {r}");
        kinds.insert(row["outcome"].clone());
        // the story has one paragraph per round played up to the end
        let rounds = text.matches("\nRound ").count();
        if let Ok(t) = row["round"].parse::<usize>() {
            assert!(
                rounds >= 1 && rounds <= t,
                "run {r}: {rounds} rounds told, ended in round {t}"
            );
        }
    }
    assert!(kinds.contains("agreement"), "{kinds:?}");
}

/// In a scenario where one uncertain parameter decides whether any package is feasible, the
/// tornado ranks it first, with the sign and size its construction implies.
#[test]
fn tornado_ranks_the_dominant_parameter_first() {
    let dir = tempfile::tempdir().unwrap();
    let out: PathBuf = dir.path().join("t");
    armistice()
        .args(["tornado", DOMINANT, "--runs", "300", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows = read_csv(&out.join("tornado.csv"));
    // three uncertain numbers, and A's two red lines switched never → always (B's binds always)
    assert_eq!(rows.len(), 5);
    let percentile: Vec<_> = rows.iter().filter(|r| r["varied"].starts_with("10th")).collect();
    assert_eq!(percentile.len(), 3);
    assert_eq!(percentile[0]["parameter"], "actor.A.red_lines.1.binding");
    assert_eq!(percentile[0]["low"], "0.100000");
    let swing: f64 = percentile[0]["swing"].parse().unwrap();
    let hi: f64 = percentile[0]["swing_hi95"].parse().unwrap();
    // P(agreement) ≈ (1 − binding) × P(agreement | feasible): from p10 = 0.1 to p90 = 0.9 it
    // falls by about 0.8 × P(agreement | feasible), which is near 1 in this toy
    assert!(swing < -0.6 && hi < 0.0, "swing {swing}");
    for r in &percentile[1..] {
        let s: f64 = r["swing"].parse().unwrap();
        assert!(s.abs() < swing.abs() / 4.0, "{}: {s}", r["parameter"]);
    }
    // switched never → always, the same line takes agreement from certain to impossible
    assert_eq!(rows[0]["parameter"], "actor.A.red_lines.1.binding");
    assert!(rows[0]["varied"].starts_with("never"));
    assert_eq!(
        (rows[0]["stat_at_low"].as_str(), rows[0]["stat_at_high"].as_str()),
        ("1.000000", "0.000000")
    );
    assert!(out.join("charts/tornado.png").is_file());
    let html = std::fs::read_to_string(out.join("tornado.html")).unwrap();
    assert!(html.contains("<svg") && html.contains("actor.A.red_lines.1.binding (R2)"));
    // --percentiles-only leaves out the never → always rows
    let only = dir.path().join("p");
    armistice()
        .args([
            "tornado",
            DOMINANT,
            "--runs",
            "50",
            "--percentiles-only",
            "--no-charts",
            "-q",
            "--out",
        ])
        .arg(&only)
        .assert()
        .success();
    assert_eq!(read_csv(&only.join("tornado.csv")).len(), 3);
}

/// `compare` writes the table of differences; the same scenario twice differs by exactly 0.
#[test]
fn compare_of_a_scenario_with_itself_differs_by_zero() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c");
    armistice()
        .args(["compare", TOY, TOY, "--runs", "200", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("the same scenario"));
    let rows = read_csv(&out.join("compare.csv"));
    assert!(rows.len() > 6);
    for r in &rows {
        if !r["b_minus_a"].is_empty() {
            assert_eq!(r["b_minus_a"], "0.000000", "{}", r["statistic"]);
        }
    }
}

/// `batch` runs every scenario of a folder, writes an index linking each report, and reports a
/// broken file without losing the others (exit 1).
#[test]
fn batch_runs_a_folder_and_indexes_it() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("in");
    std::fs::create_dir(&src).unwrap();
    std::fs::copy(TOY, src.join("toy.toml")).unwrap();
    std::fs::copy(DOMINANT, src.join("dominant.toml")).unwrap();
    let out = dir.path().join("out");
    armistice()
        .args(["batch"])
        .arg(&src)
        .args(["--runs", "100", "--no-charts", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    for id in ["two-party-toy", "tornado-dominant"] {
        assert!(index.contains(&format!("href=\"{id}/report.html\"")), "{id}");
        assert!(out.join(id).join("report.html").is_file());
    }
    std::fs::write(src.join("broken.toml"), "[scenario]\nid = 3\n").unwrap();
    armistice()
        .args(["batch"])
        .arg(&src)
        .args(["--runs", "50", "--no-charts", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1 of 3 scenario(s) failed"));
    assert!(out.join("two-party-toy/report.html").is_file());
    assert!(
        std::fs::read_to_string(out.join("index.md"))
            .unwrap()
            .contains("broken.toml")
    );
}

/// A sweep gives byte-identical files with 1 and 2 threads (each point is the engine's
/// thread-independent aggregate).
#[test]
fn a_sweep_is_identical_with_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut csvs = vec![];
    for threads in ["1", "2"] {
        let out = dir.path().join(threads);
        armistice()
            .args([
                "sweep",
                DOMINANT,
                "--set",
                "actor.A.red_lines.1.binding=0.2,0.8",
                "--runs",
                "150",
                "--no-charts",
                "-q",
                "--threads",
                threads,
                "--out",
            ])
            .arg(&out)
            .assert()
            .success();
        csvs.push(std::fs::read(out.join("sweep.csv")).unwrap());
    }
    assert!(csvs[0] == csvs[1]);
}
