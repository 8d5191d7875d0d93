//! The two rules for selecting a later round's equilibrium (`docs/model.md` §10, rule 7):
//! `selection = "traced"` (the default) traces a round along the temperature ladder again
//! whenever the game changed (a belief moved, a vote failed, the war lottery shifted);
//! `selection = "warm"` warm-starts every later round from the previous round's values.

use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::{Scenario, Selection};
use armistice::sim::{Outcome, RunRecord, simulate, simulate_traced};
use std::path::Path;
use std::sync::atomic::AtomicBool;

const LEARNING_FRONT: &str = include_str!("scenarios/learning-front.toml");
const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml");

/// `learning-front.toml` with `selection = "warm"`, written to `dir`.
fn warm_copy(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("learning-front-warm.toml");
    let text = LEARNING_FRONT.replace("[protocol]\n", "[protocol]\nselection = \"warm\"\n");
    assert!(text.contains("selection = \"warm\""));
    std::fs::write(&path, text).unwrap();
    path
}

/// The SVG charts of a `charts/` folder.
fn svg_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "svg"))
        .collect()
}

fn with_rule(text: &str, selection: Selection) -> Scenario {
    let mut s = Scenario::from_bytes(Path::new("learning-front.toml"), text.as_bytes()).expect("valid test scenario");
    s.protocol.selection = selection;
    s
}

/// Under "warm" only round 0 climbs the ladder: every later round of a run whose warm starts all
/// converged takes no rung. Under "traced" the same runs climb it again in the rounds after a
/// belief moved (beliefs about the line's drift move with the line here, `docs/model.md` §9.3).
#[test]
fn the_warm_rule_climbs_the_ladder_in_round_zero_only() {
    let (mut warm_checked, mut traced_again) = (0, 0);
    for (rule, runs) in [(Selection::Warm, 0..30), (Selection::Traced, 0..30)] {
        let s = with_rule(LEARNING_FRONT, rule);
        for run in runs {
            let (rec, trace) = simulate_traced(&s, 11, run);
            assert!(trace[0].ladder_steps > 0, "round 0 of run {run} is traced");
            let later: usize = trace[1..].iter().map(|t| t.ladder_steps).sum();
            // each round's work adds up to the run's
            assert_eq!(trace.iter().map(|t| t.ladder_steps).sum::<usize>(), rec.ladder_steps);
            assert_eq!(trace.iter().map(|t| t.solver_evals).sum::<usize>(), rec.solver_evals);
            match rule {
                Selection::Warm if rec.fallback_solves == 0 && trace.len() > 1 => {
                    assert_eq!(later, 0, "run {run}: a later round climbed the ladder");
                    warm_checked += 1;
                }
                Selection::Traced => traced_again += usize::from(later > 0),
                _ => {}
            }
        }
    }
    assert!(warm_checked >= 20, "only {warm_checked} of 30 runs checked");
    assert!(
        traced_again >= 20,
        "only {traced_again} of 30 runs traced a later round again"
    );
}

/// Where nothing changes the game (the same scenario with its drift beliefs held fixed: the
/// opposed priors then never agree, so every run lasts the whole horizon), the two rules are one:
/// the same records, bit for bit.
#[test]
fn the_rules_agree_while_the_game_never_changes() {
    let fixed = LEARNING_FRONT.replace(", drift_sd = 0.1", "");
    let traced = with_rule(&fixed, Selection::Traced);
    let warm = with_rule(&fixed, Selection::Warm);
    for run in 0..12 {
        let a: RunRecord = simulate(&traced, 5, run);
        let b: RunRecord = simulate(&warm, 5, run);
        assert!(a.round.is_none() && a.ladder_steps > 0);
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "run {run}");
    }
}

/// On the reference case, where rejections teach proposers about the responders' types every
/// few rounds, the warm rule spends fewer solver evaluations, and its results are the same
/// bytes at any thread count.
#[test]
fn the_warm_rule_is_cheaper_and_reproducible_on_the_reference() {
    let mut s = Scenario::load(Path::new(REFERENCE)).expect("the reference scenario loads");
    let agg = |s: &Scenario, threads| {
        let opts = RunOptions {
            runs: 60,
            seed: 3,
            threads: Some(threads),
            shard: None,
        };
        run_all(s, opts, &Silent, &AtomicBool::new(false)).expect("runs")
    };
    let traced = agg(&s, 2);
    s.protocol.selection = Selection::Warm;
    let (one, three) = (agg(&s, 1), agg(&s, 3));
    assert_eq!(
        serde_json::to_string(&one).unwrap(),
        serde_json::to_string(&three).unwrap()
    );
    assert!(
        (one.solver_evals as f64) < 0.8 * traced.solver_evals as f64,
        "warm {} against traced {} evaluations",
        one.solver_evals,
        traced.solver_evals
    );
}

/// `run --selection warm` is the scenario with `selection = "warm"` in its `[protocol]`: the same
/// aggregate counts, bit for bit; `summary.json` says which rule selected the equilibria, the
/// report says so under the warm rule, and the manifest's command carries the override.
#[test]
fn the_command_line_override_is_the_scenario_key() {
    let dir = tempfile::tempdir().unwrap();
    let original = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/learning-front.toml");
    let keyed = warm_copy(dir.path());
    let run = |file: &Path, extra: &[&str], out: &str| {
        assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
            .arg("run")
            .arg(file)
            .args(["--runs", "40", "--seed", "2", "--quiet", "--no-charts", "--out"])
            .arg(dir.path().join(out))
            .args(extra)
            .assert()
            .success();
        let read = |f: &str| -> serde_json::Value {
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(out).join(f)).unwrap()).unwrap()
        };
        // the counts, not the file around them (which embeds the scenario's text)
        let counts = serde_json::to_string(&read("aggregate.json")["aggregate"]).unwrap();
        let report = std::fs::read_to_string(dir.path().join(out).join("report.md")).unwrap();
        let told = report.contains("| Equilibrium selection in later rounds | warm-started");
        (counts, read("summary.json"), told)
    };
    let (flag, flag_summary, flag_told) = run(Path::new(original), &["--selection", "warm"], "flag");
    let (key, key_summary, key_told) = run(&keyed, &[], "key");
    let (traced, traced_summary, traced_told) = run(Path::new(original), &[], "traced");
    // the report says so under the warm rule only
    assert!(flag_told && key_told && !traced_told);
    assert!(flag == key, "the flag and the key give other counts");
    assert!(flag != traced, "the rules differ on this scenario");
    assert_eq!(flag_summary["results"]["selection"], "warm");
    assert_eq!(key_summary["results"]["selection"], "warm");
    assert_eq!(traced_summary["results"]["selection"], "traced");
    let command = flag_summary["manifest"]["command"].as_str().unwrap();
    assert!(command.ends_with("--selection warm"), "{command}");
}

/// `backtest --selection warm` runs every case under the warm rule and says so: in the command
/// that reproduces it, in `backtest.json` and in the report's first lines; without it the JSON
/// says each case used its own rule (`null`).
#[test]
fn a_backtest_can_be_scored_under_the_warm_rule() {
    let dir = tempfile::tempdir().unwrap();
    let cases = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/backtest");
    let run = |extra: &[&str], out: &str| {
        assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
            .args([
                "backtest",
                cases,
                "--case",
                "gaza-2025-01",
                "--runs",
                "50",
                "--quiet",
                "--no-charts",
            ])
            .args(extra)
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success();
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.path().join(out).join("backtest.json")).unwrap())
                .unwrap();
        let md = std::fs::read_to_string(dir.path().join(out).join("backtest.md")).unwrap();
        (json, md)
    };
    let (warm, md) = run(&["--selection", "warm"], "warm");
    assert_eq!(warm["selection"], "warm");
    assert!(warm["command"].as_str().unwrap().ends_with("--selection warm"));
    assert!(md.lines().take(4).any(|l| l.contains("--selection warm")), "{md}");
    let (own, md) = run(&[], "own");
    assert!(own["selection"].is_null());
    assert!(!md.contains("--selection"));
}

/// `explain --selection warm` tells run R as `run --selection warm` played it: the first run of
/// the reference whose outcome or ending round differs between the rules is told with the warm
/// rule's ending, and the story says the rule was warm.
#[test]
fn explain_tells_the_run_the_warm_rule_played() {
    let traced = Scenario::load(Path::new(REFERENCE)).expect("the reference scenario loads");
    let mut warm = traced.clone();
    warm.protocol.selection = Selection::Warm;
    let seed = traced.simulation.seed;
    let (r, w) = (0..300)
        .find_map(|r| {
            let (a, b) = (simulate(&traced, seed, r), simulate(&warm, seed, r));
            (a.outcome != b.outcome || a.round != b.round).then_some((r, b))
        })
        .expect("a run that the rules end differently");
    let explain = |extra: &[&str]| {
        let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
            .args(["explain", REFERENCE, "--run", &r.to_string()])
            .args(extra)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let (told_warm, told_traced) = (explain(&["--selection", "warm"]), explain(&[]));
    let expected = armistice::report::explain::outcome_line(&warm, &w);
    let ending = expected.trim_start_matches("Outcome: ").trim_end_matches('.');
    assert!(told_warm.lines().next().unwrap().ends_with(ending), "{told_warm}");
    assert!(!told_traced.lines().next().unwrap().ends_with(ending));
    assert!(told_warm.contains("selection = \"warm\"") && !told_traced.contains("selection = \"warm\""));
}

/// A back-test case whose own file selects warm is named as such in `backtest.md`'s first lines,
/// and `backtest.csv` gives each question's rule (none under a deadline); `--selection` names the
/// cases a deadline exempts.
#[test]
fn a_case_that_selects_warm_in_its_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let cases = dir.path().join("cases");
    std::fs::create_dir(&cases).unwrap();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/backtest");
    // the first case selects warm in its file; the second has a hard deadline (nothing to select)
    for (id, key) in [
        ("gaza-2025-01", "selection = \"warm\""),
        ("gaza-2025-04", "deadline = 10"),
    ] {
        let text = std::fs::read_to_string(Path::new(src).join(format!("{id}.toml"))).unwrap();
        let text = text.replacen("[protocol]\n", &format!("[protocol]\n{key}\n"), 1);
        assert!(text.contains(key));
        std::fs::write(cases.join(format!("{id}.toml")), text).unwrap();
    }
    let backtest = |extra: &[&str], out: &str| {
        let out = dir.path().join(out);
        assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
            .arg("backtest")
            .arg(&cases)
            .args(["--runs", "20", "--quiet", "--no-charts", "--out"])
            .arg(&out)
            .args(extra)
            .assert()
            .success();
        out
    };
    let out = backtest(&[], "out");
    let md = std::fs::read_to_string(out.join("backtest.md")).unwrap();
    let head: String = md.lines().take(4).collect();
    assert!(
        head.contains("(selection = \"warm\" in the file) in gaza-2025-01"),
        "{head}"
    );
    assert!(!head.contains("gaza-2025-04"));
    let csv = std::fs::read_to_string(out.join("backtest.csv")).unwrap();
    let rules: Vec<(&str, &str)> = csv
        .lines()
        .skip(1)
        .map(|l| (l.split(',').next().unwrap(), l.rsplit(',').next().unwrap()))
        .collect();
    assert_eq!(rules, [("gaza-2025-01", "warm"), ("gaza-2025-04", "")]);
    // the override names the case it cannot apply to
    let out = backtest(&["--selection", "warm"], "override");
    let md = std::fs::read_to_string(out.join("backtest.md")).unwrap();
    let head: String = md.lines().take(4).collect();
    assert!(
        head.contains("warm-started except in gaza-2025-04 (a deadline: backward induction) (--selection warm)"),
        "{head}"
    );
}

/// With a hard deadline every round is solved by backward induction, so there is no rule to
/// report: `results.selection` is `null` and the two rules give the same records.
#[test]
fn a_deadline_leaves_nothing_to_select() {
    let toy = include_str!("../scenarios/classic/two-party-toy.toml");
    let text = toy.replace("[protocol]\n", "[protocol]\nselection = \"warm\"\ndeadline = 5\n");
    let warm = Scenario::from_bytes(Path::new("toy.toml"), text.as_bytes()).expect("loads, with a warning");
    assert_eq!(warm.warnings.len(), 1, "{:?}", warm.warnings);
    let mut traced = warm.clone();
    traced.protocol.selection = Selection::Traced;
    for run in 0..20 {
        let (a, b) = (simulate(&traced, 4, run), simulate(&warm, 4, run));
        assert_eq!(format!("{a:?}"), format!("{b:?}"), "run {run}");
    }
    let opts = RunOptions {
        runs: 20,
        seed: 4,
        threads: Some(1),
        shard: None,
    };
    let agg = run_all(&warm, opts, &Silent, &AtomicBool::new(false)).expect("runs");
    let summary = armistice::stats::Summary::new(&warm, &agg, 4);
    assert!(summary.selection.is_none());
    // the command-line override warns too, naming the file
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("toy-deadline.toml");
    std::fs::write(&file, toy.replace("[protocol]\n", "[protocol]\ndeadline = 5\n")).unwrap();
    let out = assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
        .arg("run")
        .arg(&file)
        .args(["--runs", "10", "--no-charts", "--selection", "warm", "--out"])
        .arg(dir.path().join("out"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--selection warm has no effect on toy-deadline.toml"),
        "{err}"
    );
}

/// `compare` of a scenario with its warm copy says how the two select equilibria (their titles
/// are the same), in `compare.md` and `compare.html`; not when a deadline makes both moot.
#[test]
fn compare_names_the_rules_when_they_differ() {
    let dir = tempfile::tempdir().unwrap();
    let traced = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/learning-front.toml");
    let warm = warm_copy(dir.path());
    let compare = |a: &Path, b: &Path, runs: &str, out: &Path| {
        assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
            .arg("compare")
            .arg(a)
            .arg(b)
            .args(["--runs", runs, "--quiet", "--no-charts", "--out"])
            .arg(out)
            .assert()
            .success();
    };
    let out = dir.path().join("out");
    compare(Path::new(traced), &warm, "60", &out);
    let md = std::fs::read_to_string(out.join("compare.md")).unwrap();
    assert!(
        md.contains("A selects later rounds' equilibria by the `traced` rule, B by the `warm` rule"),
        "{md}"
    );
    let html = std::fs::read_to_string(out.join("compare.html")).unwrap();
    assert!(html.contains("by the `warm` rule") || html.contains("by the <code>warm</code> rule"));
    // under a deadline neither rule applies, so none is named
    let with_deadline = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text.replace("[protocol]\n", "[protocol]\ndeadline = 8\n")).unwrap();
        path
    };
    let a = with_deadline("a.toml", LEARNING_FRONT);
    let b = with_deadline("b.toml", &std::fs::read_to_string(&warm).unwrap());
    let out = dir.path().join("deadline");
    compare(&a, &b, "20", &out);
    let md = std::fs::read_to_string(out.join("compare.md")).unwrap();
    assert!(!md.contains("selects later rounds' equilibria"), "{md}");
}

/// A sweep of a scenario that selects warm says so in `sweep.md`, `sweep.html` and its charts'
/// captions; the same sweep of the traced original says nothing about it.
#[test]
fn a_sweep_says_when_equilibria_are_warm_started() {
    let dir = tempfile::tempdir().unwrap();
    let traced = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/learning-front.toml"
    ));
    let warm = warm_copy(dir.path());
    let note = "Later rounds' equilibria are warm-started from the round before";
    for (file, out, told) in [(warm.as_path(), "warm", true), (traced, "traced", false)] {
        assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
            .arg("sweep")
            .arg(file)
            .args([
                "--set",
                "actor.A.war_cost=0.004..0.008:2",
                "--runs",
                "20",
                "--quiet",
                "--out",
            ])
            .arg(dir.path().join(out))
            .assert()
            .success();
        for f in ["sweep.md", "sweep.html"] {
            let text = std::fs::read_to_string(dir.path().join(out).join(f)).unwrap();
            assert_eq!(text.contains(note), told, "{out}/{f}");
        }
        // and the charts' caption lines
        let svgs = svg_files(&dir.path().join(out).join("charts"));
        assert!(!svgs.is_empty());
        for svg in svgs {
            let text = std::fs::read_to_string(&svg).unwrap();
            assert_eq!(text.contains("· selection warm"), told, "{}", svg.display());
        }
    }
}

/// Every chart of a warm run says so in its caption line, so that a chart pasted into a report
/// carries it; a traced run's charts do not.
#[test]
fn a_warm_runs_charts_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let original = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/learning-front.toml");
    for (rule, told) in [("warm", true), ("traced", false)] {
        let out = dir.path().join(rule);
        assert_cmd::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
            .args(["run", original, "--runs", "20", "--quiet", "--selection", rule, "--out"])
            .arg(&out)
            .assert()
            .success();
        let svgs = svg_files(&out.join("charts"));
        assert!(svgs.len() >= 3);
        for svg in svgs {
            let text = std::fs::read_to_string(&svg).unwrap();
            assert_eq!(text.contains("· selection warm"), told, "{}", svg.display());
        }
    }
}

/// A run still at war at the horizon is credited with the value of carrying on, its last round's
/// equilibrium values (`docs/model.md` §2), whatever that round taught. Where the two rules select
/// the same last-round equilibrium (the same reservation values), the credit, and so the payoff,
/// is the same under both to the solver's accuracy. (Until 2026-12-07 a rejection that taught
/// the proposer something dropped the values under the traced rule, and a run whose last round
/// ended that way was credited nothing: its payoff differed from the warm rule's by the whole
/// continuation.)
#[test]
fn a_run_at_war_at_the_horizon_is_credited_under_either_rule() {
    let text = include_str!("scenarios/mutual-optimism.toml").replace("horizon = 24", "horizon = 3");
    let rule = |selection| {
        let mut s = Scenario::from_bytes(Path::new("mutual-optimism.toml"), text.as_bytes()).expect("valid");
        s.protocol.selection = selection;
        s
    };
    let (traced, warm) = (rule(Selection::Traced), rule(Selection::Warm));
    let mut checked = 0;
    for run in 0..400 {
        let ((t, tt), (w, wt)) = (simulate_traced(&traced, 7, run), simulate_traced(&warm, 7, run));
        let (last_t, last_w) = (tt.last().expect("a round"), wt.last().expect("a round"));
        let same_equilibrium = last_t
            .reservation
            .iter()
            .zip(&last_w.reservation)
            .all(|(a, b)| (a - b).abs() < 1e-7);
        // a last round whose offer was rejected (the traced rule's game changed)
        let rejected = last_t.responses.iter().any(|r| !r.accepted);
        if t.outcome != Outcome::NoAgreement || w.outcome != Outcome::NoAgreement || !same_equilibrium || !rejected {
            continue;
        }
        checked += 1;
        for (a, b) in t.payoff.iter().zip(&w.payoff) {
            assert!((a - b).abs() < 1e-6, "run {run}: payoff {a} traced, {b} warm");
        }
    }
    assert!(
        checked >= 20,
        "only {checked} of 400 runs end at war after a rejection with one equilibrium"
    );
}
