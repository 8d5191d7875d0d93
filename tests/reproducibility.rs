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
