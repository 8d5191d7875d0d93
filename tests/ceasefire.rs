//! Ceasefire before settlement (`docs/model.md` §9.1): the frozen-conflict trap, the collapse
//! hazard against its closed form, and a ceasefire nobody signs leaving the runs as they were.

use armistice::model::durability::weibull_scale;
use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::Scenario;
use armistice::sim::simulate;
use armistice::stats::Summary;
use armistice::stats::aggregate::Aggregate;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const FROZEN: &str = include_str!("scenarios/frozen-conflict.toml");
const CEASEFIRE_MARK: &str = "# ── with a ceasefire on the table";

fn scenario(text: &str) -> Scenario {
    Scenario::from_bytes(Path::new("frozen-conflict.toml"), text.as_bytes()).expect("valid test scenario")
}

/// The test scenario without its `[ceasefire]` table.
fn without_ceasefire() -> String {
    FROZEN[..FROZEN.find(CEASEFIRE_MARK).expect("marked")].to_string()
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

/// A ceasefire that freezes the line where one side's gains put it, and stops the war costs,
/// takes away the pressure that made the other side settle: P(settlement within the horizon)
/// falls against the same scenario without a ceasefire on the table, by more than 4 standard
/// errors, and the runs still in a ceasefire at the horizon account for the difference.
#[test]
fn a_ceasefire_that_freezes_gains_lowers_the_chance_of_settlement() {
    let (runs, seed) = (2_000, 11);
    let with = aggregate(&scenario(FROZEN), runs, seed);
    let without = aggregate(&scenario(&without_ceasefire()), runs, seed);
    let (p1, p0) = (
        with.agreements() as f64 / runs as f64,
        without.agreements() as f64 / runs as f64,
    );
    let se = (p1 * (1.0 - p1) / runs as f64 + p0 * (1.0 - p0) / runs as f64).sqrt();
    assert!(
        p0 - p1 > 4.0 * se,
        "settlement {p1} with a ceasefire vs {p0} without (se {se})"
    );
    let c = with.ceasefire.as_ref().expect("ceasefire counts");
    let frozen = c.phase_rounds.last().expect("horizon")[1] as f64 / runs as f64;
    assert!(frozen > 0.5 * (p0 - p1), "{frozen} of runs frozen at the horizon");
    assert!(without.ceasefire.is_none());
}

/// With no settlement possible (each side's red line rules out the other's line), every first
/// ceasefire ends only by collapse or at the horizon: the Kaplan–Meier probability of collapse
/// within t rounds matches the Weibull closed form `1 − exp(−HR (tΔ/λ)^k)` within 4 standard
/// errors at 3, 6, 12 and 24 rounds.
#[test]
fn a_ceasefire_collapses_as_its_hazard_says() {
    let text = without_ceasefire()
        .replace(
            "utility = { line = [0.0, 1.0], status = [0.3, 1.0] }",
            "utility = { line = [0.0, 1.0], status = [0.3, 1.0] }\nred_lines = [{ issue = \"line\", options = [\"L0\"], binding = 1.0 }]",
        )
        .replace(
            "utility = { line = [1.0, 0.0], status = [0.6, 0.0] }",
            "utility = { line = [1.0, 0.0], status = [0.6, 0.0] }\nred_lines = [{ issue = \"line\", options = [\"L1\"], binding = 1.0 }]",
        )
        .replace("horizon = 24", "horizon = 36")
        + "[ceasefire]\nsignatories = [\"A\", \"B\"]\ncollapse = { p_collapse = 0.5, years = 1, shape = 0.7 }\n\
           [[ceasefire.term]]\nid = \"monitoring\"\noptions = [{ id = \"observers\", hazard_ratio = 0.8 }]\n";
    let s = scenario(&text);
    let runs = 4_000;
    let agg = aggregate(&s, runs, 5);
    assert_eq!(agg.agreements(), 0, "no settlement is feasible");
    let summary = Summary::new(&s, &agg, 5);
    let stats = summary.ceasefire.as_ref().expect("ceasefire statistics");
    let first = stats.ceasefire_by(36).expect("estimate").count;
    assert!(first > 3_000, "{first} runs signed a ceasefire");
    let scale = weibull_scale(0.5, 1.0, 0.7);
    for t in [3, 6, 12, 24] {
        let exact = 1.0 - (-0.8 * (t as f64 / 12.0 / scale).powf(0.7)).exp();
        let row = stats.collapse_by(t).expect("estimable");
        let p = row.p.expect("estimate");
        let se = (exact * (1.0 - exact) / first as f64).sqrt();
        assert!((p - exact).abs() < 4.0 * se, "t = {t}: {p} vs {exact} (se {se})");
    }
}

/// A ceasefire that one of its signatories refuses in every run is never signed: the runs are
/// those of the scenario without `[ceasefire]` (outcome, round, package; payoffs to solver
/// precision), and the run records say no ceasefire happened.
#[test]
fn a_ceasefire_nobody_can_sign_leaves_the_runs_as_they_were() {
    let refused = FROZEN.replace(
        "signatories = [\"A\", \"B\"]",
        "signatories = [\"A\", \"B\"]\nrefused = { B = 1.0 }",
    );
    let (with, without) = (scenario(&refused), scenario(&without_ceasefire()));
    for run in 0..200 {
        let (a, b) = (simulate(&with, 9, run), simulate(&without, 9, run));
        assert_eq!(
            (a.outcome, a.round, a.package),
            (b.outcome, b.round, b.package),
            "run {run}"
        );
        for (x, y) in a.payoff.iter().zip(&b.payoff) {
            assert!((x - y).abs() < 1e-8, "run {run}: payoff {x} vs {y}");
        }
        let c = a.ceasefire.expect("recorded");
        assert_eq!((c.first_round, c.signed, c.collapses), (None, 0, 0));
        assert!(b.ceasefire.is_none());
    }
}

/// `--stat ceasefire-within:N` (sweeps, tornado, compare) is the summary's P(ceasefire within N
/// rounds), its per-run indicators add up to the same count, and a scenario without `[ceasefire]`
/// refuses the name.
#[test]
fn the_ceasefire_statistic_matches_the_summary() {
    use armistice::analysis::stat::Stat;
    let s = scenario(FROZEN);
    let (runs, seed) = (300, 4);
    let agg = aggregate(&s, runs, seed);
    let summary = Summary::new(&s, &agg, seed);
    let stats = summary.ceasefire.as_ref().expect("ceasefire statistics");
    for n in [1, 6, 24] {
        let st = Stat::parse(&format!("ceasefire-within:{n}"), &s).expect("valid");
        let v = st.of(&s, &agg);
        let e = stats.ceasefire_by(n).expect("estimate");
        assert!((v.value - e.p).abs() < 1e-12, "n = {n}: {} vs {}", v.value, e.p);
        let per_run: f64 = (0..runs)
            .map(|r| st.per_run(&s, &simulate(&s, seed, r)).expect("per run"))
            .sum();
        assert_eq!(per_run as u64, e.count, "n = {n}");
    }
    let all = Stat::parse("ceasefire", &s).expect("valid").of(&s, &agg);
    assert!((all.value - stats.ceasefire_by(24).expect("estimate").p).abs() < 1e-12);
    assert!(Stat::parse("ceasefire", &scenario(&without_ceasefire())).is_err());
}

/// The first ceasefire's terms are reported with their options' labels as well as their ids.
#[test]
fn ceasefire_terms_carry_their_labels() {
    let text = include_str!("scenarios/ceasefire-toy.toml");
    let s = Scenario::from_bytes(Path::new("ceasefire-toy.toml"), text.as_bytes()).expect("valid");
    let agg = aggregate(&s, 300, 2);
    let stats = Summary::new(&s, &agg, 2).ceasefire.expect("ceasefire statistics");
    assert!(!stats.terms.is_empty(), "some ceasefire was signed");
    for t in &stats.terms {
        let want = match t.terms.as_str() {
            "none" => "No monitoring",
            "observers" => "International observers",
            other => panic!("unexpected terms {other}"),
        };
        assert_eq!(t.label, want);
    }
}
