//! CLI contracts: the main job writes its files, bad input exits 1 with a located message.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml");

fn armistice() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
}

#[test]
fn run_writes_the_summary_files_and_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ref");
    armistice()
        .args(["run", REFERENCE, "--runs", "200", "--seed", "3", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("P(agreement)")
                .and(predicate::str::contains("most likely package"))
                .and(predicate::str::contains("P(renewed war within 5 years | agreement)")),
        );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let m = &json["manifest"];
    assert_eq!(m["runs"], 200);
    assert_eq!(m["seed"], 3);
    assert_eq!(m["scenario_sha256"].as_str().unwrap().len(), 64);
    assert!(m["wall_time_seconds"].as_f64().unwrap() > 0.0);
    let r = &json["results"];
    let counts: u64 = r["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["count"].as_u64().unwrap())
        .sum();
    assert_eq!(counts, 200, "outcome counts add up to the runs");
    let p: f64 = r["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["p"].as_f64().unwrap())
        .sum();
    assert!((p - 1.0).abs() < 1e-12);
    assert_eq!(r["agreement_within"].as_array().unwrap().len(), 24);
    assert_eq!(r["issues"].as_array().unwrap().len(), 5);
    let csv = std::fs::read_to_string(out.join("summary.csv")).unwrap();
    assert!(csv.starts_with("statistic,key,value,ci_low,ci_high\n"), "{csv}");
    assert!(csv.contains("outcome,agreement,"));
    let packages = std::fs::read_to_string(out.join("packages.csv")).unwrap();
    assert!(
        packages.starts_with("rank,package_id,package,territory,guarantees,nato,army,sanctions,count,"),
        "{packages}"
    );
    for chart in ["outcomes", "agreement-by-round", "agreed-options", "survival"] {
        let png = std::fs::read(out.join("charts").join(format!("{chart}.png"))).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{chart}.png is a PNG");
        let svg = std::fs::read_to_string(out.join("charts").join(format!("{chart}.svg"))).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"), "{chart}.svg");
    }
    // no temporary files are left behind
    let leftovers: Vec<_> = walk(&out)
        .into_iter()
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn a_missing_file_exits_1() {
    armistice()
        .args(["run", "no/such/file.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read the scenario file"));
}

#[test]
fn a_typo_exits_1_with_line_column_and_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let original = std::fs::read_to_string(REFERENCE).unwrap();
    let text: String = {
        let mut done = false;
        original
            .lines()
            .map(|l| {
                if !done && l.starts_with("discount =") {
                    done = true;
                    format!("{}\n", l.replacen("discount", "discont", 1))
                } else {
                    format!("{l}\n")
                }
            })
            .collect()
    };
    std::fs::write(&bad, &text).unwrap();
    let line = text.lines().position(|l| l.starts_with("discont =")).unwrap() + 1;
    armistice().args(["run"]).arg(&bad).assert().code(1).stderr(
        predicate::str::contains(format!("bad.toml:{line}:")).and(predicate::str::contains("did you mean `discount`")),
    );
    // nothing was written for a scenario that did not load
    assert!(!dir.path().join("output").exists());
}

#[test]
fn check_accepts_every_shipped_scenario_and_rejects_a_bad_one() {
    armistice()
        .args(["check", REFERENCE])
        .assert()
        .success()
        .stdout(predicate::str::contains("3360 packages"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, b"[scenario]\nid = \"x\"\n").unwrap();
    armistice()
        .arg("check")
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing field"));
}

#[test]
fn help_shows_an_example() {
    armistice()
        .args(["run", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Example: armistice run"));
}

const TOY: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/classic/two-party-toy.toml");

#[test]
fn a_usage_error_exits_1() {
    armistice()
        .args(["run", TOY, "--runs", "0"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--runs"));
}

#[test]
fn an_unwritable_output_folder_exits_1_and_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"x").unwrap();
    armistice()
        .args(["run", TOY, "--runs", "20", "--out"])
        .arg(blocker.join("sub"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot use the output folder").and(predicate::str::contains("--out")));
}

#[test]
fn a_failed_write_leaves_the_previous_outputs_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    armistice()
        .args(["run", TOY, "--runs", "20", "--seed", "1", "--no-charts", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    let before = std::fs::read(out.join("summary.json")).unwrap();
    // a file where the charts folder should be makes the next run fail before anything moves
    std::fs::write(out.join("charts"), b"in the way").unwrap();
    armistice()
        .args(["run", TOY, "--runs", "20", "--seed", "2", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), before);
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        names.iter().all(|n| !n.starts_with('.')),
        "staging left behind: {names:?}"
    );
}

#[test]
fn a_run_without_charts_removes_old_charts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    armistice()
        .args(["run", TOY, "--runs", "20", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("charts/outcomes.png").exists());
    armistice()
        .args(["run", TOY, "--runs", "20", "--seed", "9", "--no-charts", "-q", "--out"])
        .arg(&out)
        .assert()
        .success();
    assert!(
        !out.join("charts/outcomes.png").exists(),
        "charts of an older run must not sit beside new numbers"
    );
}

/// Every command that loads a scenario shows its warnings (on stderr, so `solve --json` stays
/// JSON): here the old name of `temperature`.
#[test]
fn solve_and_explain_show_the_scenario_warnings() {
    let old = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/invalid/temperature-old-name.toml"
    );
    for args in [vec!["solve", old, "--json"], vec!["explain", old, "--run", "0"]] {
        let out = armistice().args(&args).assert().success();
        let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
        assert!(
            err.contains("`rationality` is now called `temperature`"),
            "{args:?}: {err}"
        );
        if args[0] == "solve" {
            let _: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).expect("stdout is JSON");
        }
    }
}
