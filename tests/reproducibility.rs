//! Same seed, same numbers, whatever the thread count; another seed, other numbers.

use assert_cmd::Command;
use std::path::Path;

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml");

fn run(out: &Path, threads: &str, seed: &str) {
    Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
        .args([
            "run",
            REFERENCE,
            "--runs",
            "400",
            "--no-charts",
            "--quiet",
            "--threads",
            threads,
            "--seed",
            seed,
            "--out",
        ])
        .arg(out)
        .assert()
        .success();
}

fn results(out: &Path) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    serde_json::to_string_pretty(&v["results"]).unwrap()
}

#[test]
fn one_and_two_threads_write_byte_identical_aggregates() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        dir.path().join("t1"),
        dir.path().join("t2"),
        dir.path().join("other-seed"),
    );
    run(&a, "1", "42");
    run(&b, "2", "42");
    run(&c, "2", "43");
    for f in ["summary.csv", "packages.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    assert_eq!(
        results(&a),
        results(&b),
        "summary.json results differ between 1 and 2 threads"
    );
    assert_ne!(
        std::fs::read(a.join("summary.csv")).unwrap(),
        std::fs::read(c.join("summary.csv")).unwrap(),
        "another seed must give other numbers"
    );
}

#[test]
fn per_run_records_are_identical_across_threads_and_match_the_aggregates() {
    let dir = tempfile::tempdir().unwrap();
    let go = |name: &str, threads: &str, per_run: bool| {
        let out = dir.path().join(name);
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("armistice"));
        cmd.args([
            "run",
            REFERENCE,
            "--runs",
            "300",
            "--no-charts",
            "--quiet",
            "--seed",
            "5",
            "--threads",
            threads,
            "--out",
        ])
        .arg(&out);
        if per_run {
            cmd.arg("--per-run");
        }
        cmd.assert().success();
        out
    };
    let (a, b, plain) = (go("a", "1", true), go("b", "2", true), go("plain", "2", false));
    let runs = std::fs::read(a.join("runs.csv")).unwrap();
    assert_eq!(
        runs,
        std::fs::read(b.join("runs.csv")).unwrap(),
        "runs.csv differs between 1 and 2 threads"
    );
    assert_eq!(
        results(&a),
        results(&plain),
        "streaming the runs must not change the aggregates"
    );
    let text = String::from_utf8(runs).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 300);
    assert!(
        rows.iter().enumerate().all(|(r, l)| l.starts_with(&format!("{r},"))),
        "rows are in run order"
    );
    let agreements = rows.iter().filter(|l| l.split(',').nth(1) == Some("agreement")).count();
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(a.join("summary.json")).unwrap()).unwrap();
    assert_eq!(
        v["results"]["outcomes"][0]["count"].as_u64().unwrap() as usize,
        agreements
    );
    // a later run without --per-run removes the stale runs.csv
    Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
        .args(["run", REFERENCE, "--runs", "50", "--no-charts", "--quiet", "--out"])
        .arg(&a)
        .assert()
        .success();
    assert!(!a.join("runs.csv").exists());
}
