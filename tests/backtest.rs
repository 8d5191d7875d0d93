//! Questions and the back-test (`docs/model.md` §11): the case library runs and its outputs are
//! stable, the scores in the files are the scores of their own columns, every thread count gives
//! the same bytes, bad folders are refused with nothing written, a question's probability is the
//! statistic it names, and `--ablate-time` changes only what it says it changes.

use armistice::analysis::backtest::{ablate_time, brier, log_score};
use armistice::analysis::stat::Stat;
use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::Scenario;
use armistice::stats::{Aggregate, Summary};
use std::path::Path;
use std::sync::atomic::AtomicBool;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"));
    c.current_dir(ROOT);
    c
}

fn load(rel: &str) -> Scenario {
    armistice::model::check::load(&Path::new(ROOT).join(rel)).expect("valid scenario")
}

fn aggregate(s: &Scenario, runs: u64, seed: u64) -> Aggregate {
    let opts = RunOptions {
        runs,
        seed,
        threads: None,
        shard: None,
    };
    run_all(s, opts, &Silent, &AtomicBool::new(false)).expect("runs")
}

/// The CSV's rows as maps from column name to cell.
fn rows(csv: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    r.records()
        .map(|x| head.iter().cloned().zip(x.unwrap().iter().map(String::from)).collect())
        .collect()
}

#[test]
fn the_case_library_runs_and_its_outputs_are_stable() {
    let out = tempfile::tempdir().unwrap();
    bin()
        .args([
            "backtest",
            "scenarios/backtest",
            "--runs",
            "40",
            "--seed",
            "3",
            "--quiet",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.path().join("backtest.csv")).unwrap();
    let md = std::fs::read_to_string(out.path().join("backtest.md")).unwrap();
    insta::assert_snapshot!("backtest_csv", csv);
    insta::assert_snapshot!("backtest_md", md);
    // the library keeps the promises: at least 12 cases, at least half of the questions
    // came true, one negotiation at several dates
    let rows = rows(&csv);
    let cases: std::collections::BTreeSet<&str> = rows.iter().map(|r| r["case"].as_str()).collect();
    assert!(cases.len() >= 12, "{cases:?}");
    let yes = rows.iter().filter(|r| r["outcome"] == "yes").count();
    assert!(2 * yes >= rows.len(), "{yes} of {}", rows.len());
    assert!(cases.iter().filter(|c| c.starts_with("ukraine-2025")).count() >= 3);
    // every score in the file is the score of its own columns
    let mut sum = 0.0;
    for r in &rows {
        let p: f64 = r["tool_p"].parse().unwrap();
        let yes = r["outcome"] == "yes";
        let tb: f64 = r["tool_brier"].parse().unwrap();
        let tl: f64 = r["tool_log"].parse().unwrap();
        assert!((tb - brier(p, yes)).abs() < 2e-6, "{r:?}");
        assert!((tl - log_score(p, yes)).abs() < 2e-6, "{r:?}");
        if !r["market_p"].is_empty() {
            let m: f64 = r["market_p"].parse().unwrap();
            let mb: f64 = r["market_brier"].parse().unwrap();
            assert!((mb - (m - f64::from(u8::from(yes))).powi(2)).abs() < 2e-6, "{r:?}");
        }
        sum += tb;
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.path().join("backtest.json")).unwrap()).unwrap();
    let mean = json["scores"]["tool_brier"]["mean"].as_f64().unwrap();
    assert!((mean - sum / rows.len() as f64).abs() < 1e-5, "{mean}");
    let (lo, hi) = (
        json["scores"]["tool_brier"]["lo"].as_f64().unwrap(),
        json["scores"]["tool_brier"]["hi"].as_f64().unwrap(),
    );
    assert!(lo < mean && mean < hi, "{lo} {mean} {hi}");
}

#[test]
fn a_subset_gives_the_same_bytes_at_any_thread_count_and_draws_its_charts() {
    let run = |threads: &str| {
        let out = tempfile::tempdir().unwrap();
        bin()
            .args([
                "backtest",
                "scenarios/backtest",
                "--case",
                "colombia-2016",
                "--case",
                "karabakh-2020.toml",
                "--runs",
                "60",
                "--threads",
                threads,
                "--quiet",
                "--out",
            ])
            .arg(out.path())
            .assert()
            .success();
        out
    };
    let (a, b) = (run("1"), run("2"));
    for f in ["backtest.csv", "backtest.json", "backtest.md"] {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f}"
        );
    }
    let csv = std::fs::read_to_string(a.path().join("backtest.csv")).unwrap();
    assert_eq!(rows(&csv).len(), 2);
    for f in [
        "charts/reliability.png",
        "charts/reliability.svg",
        "charts/forecasts.png",
        "backtest.html",
    ] {
        assert!(std::fs::metadata(a.path().join(f)).unwrap().len() > 1000, "{f}");
    }
    let html = std::fs::read_to_string(a.path().join("backtest.html")).unwrap();
    assert!(html.contains("written after the fact") || html.contains("Written after the fact"));
    assert!(html.contains("<svg"));
}

#[test]
fn a_folder_with_a_file_that_is_not_a_case_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        Path::new(ROOT).join("scenarios/backtest/karabakh-2020.toml"),
        dir.path().join("karabakh-2020.toml"),
    )
    .unwrap();
    std::fs::copy(
        Path::new(ROOT).join("scenarios/classic/two-party-toy.toml"),
        dir.path().join("toy.toml"),
    )
    .unwrap();
    let out = dir.path().join("out");
    let a = bin()
        .arg("backtest")
        .arg(dir.path())
        .args(["--runs", "10", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("toy.toml: not a back-test case: it has no [backtest] table"),
        "{err}"
    );
    assert!(err.contains("it asks no [[question]]"), "{err}");
    assert!(err.contains("nothing was run"), "{err}");
    assert!(!out.exists());
    // an unknown --case names the cases the folder holds
    let a = bin()
        .arg("backtest")
        .arg(dir.path())
        .args(["--case", "karabah-2020", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(
        err.contains("no case `karabah-2020`") && err.contains("karabakh-2020, toy"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn an_unwritable_output_folder_fails_before_anything_runs() {
    // 10^9 runs per case would take days: the command must fail on the folder first
    let a = bin()
        .args([
            "backtest",
            "scenarios/backtest",
            "--runs",
            "1000000000",
            "--quiet",
            "--out",
            "/proc/armistice-no",
        ])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&a.get_output().stderr).to_string();
    assert!(err.contains("cannot use the output folder /proc/armistice-no"), "{err}");
}

#[test]
fn the_reference_scenarios_are_a_prefix_of_their_cases() {
    // the two Ukraine cases are the shipped reference files with questions appended, so a
    // change to a reference scenario must be carried into its case
    for id in ["ukraine-2025-08", "ukraine-2025-12"] {
        let reference = std::fs::read(Path::new(ROOT).join(format!("scenarios/{id}.toml"))).unwrap();
        let case = std::fs::read(Path::new(ROOT).join(format!("scenarios/backtest/{id}.toml"))).unwrap();
        assert!(
            case.starts_with(&reference),
            "scenarios/backtest/{id}.toml must begin with scenarios/{id}.toml byte for byte"
        );
    }
}

#[test]
fn a_question_is_the_statistic_it_names() {
    // a settlement question is P(agreement within N rounds), also in a scenario with [ceasefire]
    let s = load("scenarios/backtest/karabakh-2020.toml");
    assert!(s.ceasefire.is_some());
    let a = aggregate(&s, 300, 5);
    let sum = Summary::new(&s, &a, 5);
    assert_eq!(sum.questions.len(), s.questions.len());
    for (q, row) in s.questions.iter().zip(&sum.questions) {
        assert_eq!(q.event, armistice::scenario::question::QuestionEvent::Settlement);
        assert_eq!(row.estimate, sum.agreement_by(q.rounds).unwrap(), "{}", q.id);
    }
    // without [ceasefire], a ceasefire-or-settlement is a settlement
    let s = load("scenarios/classic/two-party-toy.toml");
    let a = aggregate(&s, 300, 5);
    for n in [1, 2, 6] {
        assert_eq!(
            Stat::DealWithin(n).of(&s, &a).value,
            Stat::AgreementWithin(n).of(&s, &a).value
        );
    }
}

#[test]
fn a_ceasefire_or_settlement_comes_no_later_than_either() {
    let s = load("tests/scenarios/ceasefire-toy.toml");
    let a = aggregate(&s, 400, 9);
    let mut any_ceasefire = false;
    for n in [1, 3, s.meta.horizon] {
        let deal = Stat::DealWithin(n).of(&s, &a).value;
        let cf = Stat::CeasefireWithin(n).of(&s, &a).value;
        let settled = Stat::AgreementWithin(n).of(&s, &a).value;
        any_ceasefire |= cf > 0.0;
        assert!(deal >= cf.max(settled) - 1e-12, "{n}: {deal} {cf} {settled}");
        assert!(deal <= cf + settled + 1e-12, "{n}: {deal} {cf} {settled}");
    }
    assert!(
        any_ceasefire,
        "the toy must sign ceasefires for this test to mean anything"
    );
    // the per-run values (paired differences) add up to the aggregate's count
    let opts = RunOptions {
        runs: 400,
        seed: 9,
        threads: None,
        shard: None,
    };
    let n = 3;
    let mut yes = 0.0;
    armistice::runner::run_all_each(&s, opts, &Silent, &AtomicBool::new(false), &mut |r| {
        yes += Stat::DealWithin(n).per_run(&s, r).unwrap();
        Ok(())
    })
    .unwrap();
    assert_eq!(yes / 400.0, Stat::DealWithin(n).of(&s, &a).value);
}

#[test]
fn ablating_time_changes_nothing_in_a_scenario_without_it_and_removes_it_where_it_is() {
    let toy = load("scenarios/classic/two-party-toy.toml");
    assert_eq!(aggregate(&ablate_time(&toy), 300, 2), aggregate(&toy, 300, 2));
    let frozen = load("tests/scenarios/frozen-conflict.toml");
    let ablated = ablate_time(&frozen);
    assert!(frozen.ceasefire.is_some() && ablated.ceasefire.is_none());
    let (a, b) = (aggregate(&frozen, 300, 2), aggregate(&ablated, 300, 2));
    assert!(a.ceasefire.is_some() && b.ceasefire.is_none());
    assert_ne!(a.agreement_round, b.agreement_round);
    // every question of an ablated case asks about a settlement
    let case = ablate_time(&load("scenarios/backtest/minsk-2015.toml"));
    assert!(
        case.questions
            .iter()
            .all(|q| q.event == armistice::scenario::question::QuestionEvent::Settlement)
    );
}
