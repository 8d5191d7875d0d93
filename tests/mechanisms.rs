//! Why talks fail (`docs/model.md` §3–5): divergent beliefs about the war, persistent private types
//! with learning, durability priced in, and the pinned equilibrium selection.

use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::Scenario;
use armistice::sim::{RunRecord, first_round_values, simulate, simulate_traced};
use proptest::prelude::*;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const MUTUAL_OPTIMISM: &str = include_str!("scenarios/mutual-optimism.toml");
const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml");

/// The mutual-optimism scenario with A expecting the line to move `a` path steps per round
/// (negative = its way) and B expecting `b`; `edit` rewrites anything else.
fn optimism(a: &str, b: &str, edit: impl Fn(String) -> String) -> Scenario {
    let text = MUTUAL_OPTIMISM
        .replace(
            "beliefs = { line = { drift = -0.0 } }          # A_BELIEF",
            &format!("beliefs = {{ line = {{ drift = {a} }} }}"),
        )
        .replace(
            "beliefs = { line = { drift = 0.0 } }           # B_BELIEF",
            &format!("beliefs = {{ line = {{ drift = {b} }} }}"),
        );
    let text = edit(text);
    Scenario::from_bytes(Path::new("mutual-optimism.toml"), text.as_bytes()).expect("valid test scenario")
}

fn agreements(s: &Scenario, seed: u64, runs: u64) -> u64 {
    let opts = RunOptions {
        runs,
        seed,
        threads: Some(1),
        shard: None,
    };
    run_all(s, opts, &Silent, &AtomicBool::new(false))
        .expect("runs")
        .agreements()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Widening the gap between the two sides' beliefs about the war (each expecting the line
    /// to move its way) never raises the number of agreements, run for run on common random
    /// numbers, across seeds, war costs and gaps.
    #[test]
    fn wider_belief_gaps_lower_agreement(
        seed in 0u64..1_000_000,
        cost in 0.002f64..0.02,
        g1 in 0.0f64..0.06,
        widen in 0.005f64..0.06,
    ) {
        let with_cost = |t: String| t.replace("war_cost = { uniform = [0.004, 0.012] }", &format!("war_cost = {cost}"));
        let g2 = g1 + widen;
        let narrow = optimism(&format!("{}", -g1 / 2.0), &format!("{}", g1 / 2.0), with_cost);
        let wide = optimism(&format!("{}", -g2 / 2.0), &format!("{}", g2 / 2.0), with_cost);
        let (n, w) = (agreements(&narrow, seed, 150), agreements(&wide, seed, 150));
        prop_assert!(w <= n, "gap {g1:.4}: {n} agreements; gap {g2:.4}: {w}");
    }
}

/// The mechanism is not idle: a wide gap removes most agreements.
#[test]
fn mutual_optimism_closes_the_bargaining_range() {
    let none = agreements(&optimism("0.0", "0.0", |t| t), 7, 400);
    let wide = agreements(&optimism("-0.05", "0.05", |t| t), 7, 400);
    assert!(none > 300 && wide < none / 4, "no gap: {none}/400; gap 0.1: {wide}/400");
}

/// Beliefs equal to the scenario's own dynamics give exactly the model without beliefs, run for
/// run (beliefs come from their own random stream, and equal values change nothing).
#[test]
fn identical_beliefs_equal_the_model_without_beliefs() {
    let drifting = |t: String| {
        t.replace(
            "start = 2.0, drift = 0.0, sd = 0.0",
            "start = 2.0, drift = 0.03, sd = 0.02, breakthrough = { probability = 0.05, jump = 0.2 }",
        )
    };
    let same = optimism("0.03", "0.03", drifting);
    let without = optimism("0.0", "0.0", |t| {
        drifting(t).replace("beliefs = { line = { drift = 0.0 } }", "")
    });
    assert!(
        without.actors.iter().all(|a| a.beliefs.is_empty()),
        "the control has no beliefs"
    );
    assert!(same.actors.iter().all(|a| !a.beliefs.is_empty()));
    let a: Vec<RunRecord> = (0..200).map(|r| simulate(&same, 11, r)).collect();
    let b: Vec<RunRecord> = (0..200).map(|r| simulate(&without, 11, r)).collect();
    assert_eq!(a, b);
    // and a different belief does change the runs
    let other = optimism("-0.02", "0.08", drifting);
    assert!((0..200).any(|r| simulate(&other, 11, r) != a[r as usize]));
}

/// With persistent types, after a responder rejects a package every proposer knows its type
/// is above that offer's margin, so the proposer does not offer it again while its own
/// parameters are unchanged (no events, a still line, A the only proposer) — unless the
/// responder's reservation value has fallen since, which raises the package's margin above what
/// was learnt. That exception is real and common: once B is found tough, A waits more, B's value
/// falls, and the package B rejected is offered again at a higher margin (screening: each
/// rejection raises the learnt bound). The test asserts the precise rule.
#[test]
fn a_rejected_offer_is_repeated_only_after_the_responders_reservation_value_fell() {
    let s = optimism("-0.01", "0.01", |t| {
        t.replace("horizon = 24", "horizon = 36")
            .replacen("recognition = 0.5", "recognition = 1.0", 1)
            .replacen("recognition = 0.5", "recognition = 0.0", 1)
    });
    let (mut rejections, mut repeats) = (0, 0);
    for run in 0..300 {
        let (_, trace) = simulate_traced(&s, 3, run);
        // (proposer, package, responder) → the responder's reservation value when it rejected
        let mut rejected: Vec<((usize, u64, usize), f64)> = vec![];
        for round in &trace {
            let Some(z) = round.offer else { continue };
            for resp in &round.responses {
                let key = (round.proposer, z, resp.actor);
                if let Some((_, r_then)) = rejected.iter().find(|(k, _)| *k == key) {
                    repeats += 1;
                    let r_now = round.reservation[resp.actor];
                    assert!(
                        r_now < *r_then,
                        "run {run} round {}: package {z} offered again to {} although its reservation value did not fall ({r_then} → {r_now})",
                        round.round,
                        resp.actor
                    );
                }
            }
            for resp in round.responses.iter().filter(|r| !r.accepted && !r.red_line) {
                rejected.push(((round.proposer, z, resp.actor), round.reservation[resp.actor]));
                rejections += 1;
            }
        }
    }
    assert!(
        rejections > 100,
        "the test needs rejections to mean anything: {rejections}"
    );
    // measured: 991 repeats after 1,141 rejections, each at a higher margin than the last
    assert!(repeats > 0, "the exception should occur in this scenario");
}

/// A scenario where a guarantee lowers the risk of renewed war: pricing durability in, the
/// guaranteed side (G) asks for more guarantee as its loss from a renewed war rises.
fn guarantees(loss: f64) -> Scenario {
    let text = format!(
        r#"
[scenario]
id = "priced"
title = "Durability priced in"
as_of = 2025-01-01
round_length = "1 month"
horizon = 24

[simulation]
runs = 400
seed = 5

[protocol]
temperature = 0.01
price_durability = true

[[issue]]
id = "line"
options = [{{ id = "L0" }}, {{ id = "L1" }}, {{ id = "L2" }}]
war_status_quo = "L1"

[[issue]]
id = "guarantee"
options = [
  {{ id = "G0", hazard_ratio = 1.0 }},
  {{ id = "G1", hazard_ratio = 0.7 }},
  {{ id = "G2", hazard_ratio = 0.45 }},
  {{ id = "G3", hazard_ratio = 0.25 }},
]
war_status_quo = "G0"

[[actor]]
id = "G"
veto = true
discount = 0.97
war_cost = 0.01
noise = 0.03
salience = {{ line = 0.6, guarantee = 0.4 }}
utility = {{ line = [1.0, 0.5, 0.0], guarantee = [0.0, 0.3, 0.5, 0.6] }}
renewed_war_loss = {loss}

[[actor]]
id = "R"
veto = true
discount = 0.97
war_cost = 0.01
noise = 0.03
salience = {{ line = 0.6, guarantee = 0.4 }}
utility = {{ line = [0.0, 0.5, 1.0], guarantee = [1.0, 0.7, 0.4, 0.0] }}

[durability]
shape = 0.7
baseline = {{ p_renewed_war = 0.6, years = 5 }}
"#
    );
    Scenario::from_bytes(Path::new("priced.toml"), text.as_bytes()).expect("valid test scenario")
}

/// Mean option index of issue k among agreements, and its standard error.
fn mean_option(s: &Scenario, k: usize, seed: u64, runs: u64) -> (f64, f64) {
    let opts = RunOptions {
        runs,
        seed,
        threads: None,
        shard: None,
    };
    let agg = run_all(s, opts, &Silent, &AtomicBool::new(false)).expect("runs");
    let counts = &agg.option_counts[k];
    let n: u64 = counts.iter().sum();
    let mean = counts
        .iter()
        .enumerate()
        .map(|(o, c)| o as f64 * *c as f64)
        .sum::<f64>()
        / n as f64;
    let var = counts
        .iter()
        .enumerate()
        .map(|(o, c)| (o as f64 - mean).powi(2) * *c as f64)
        .sum::<f64>()
        / n as f64;
    (mean, (var / n as f64).sqrt())
}

#[test]
fn pricing_durability_raises_the_guarantee_agreed_as_the_guaranteed_sides_loss_rises() {
    let levels: Vec<(f64, f64)> = [0.0, 0.4, 0.8]
        .iter()
        .map(|&l| mean_option(&guarantees(l), 1, 5, 600))
        .collect();
    for w in levels.windows(2) {
        let ((m0, se0), (m1, se1)) = (w[0], w[1]);
        let se = (se0 * se0 + se1 * se1).sqrt();
        assert!(
            m1 - m0 > 4.0 * se,
            "mean guarantee level {m0:.3} → {m1:.3} (SE of the difference {se:.3}): {levels:?}"
        );
    }
    // without price_durability the loss is inert
    let off = |l: f64| {
        let mut s = guarantees(l);
        s.protocol.price_durability = false;
        mean_option(&s, 1, 5, 300).0
    };
    assert_eq!(off(0.0), off(0.8));
}

/// The selection rule picks one equilibrium per state: on the reference scenario's initial
/// states, solver tolerances 1e-8 and 1e-10 and ladders started from other points all select
/// the same values (within the looser tolerance's error).
#[test]
fn the_selected_equilibrium_does_not_depend_on_tolerance_or_start() {
    use rand::{RngExt, SeedableRng};
    let s = Scenario::load(Path::new(REFERENCE)).unwrap();
    let mut loose = s.clone();
    loose.protocol.solver_tolerance = 1e-8;
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(1);
    let max_diff = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| (x - y).abs()).fold(0.0, f64::max);
    for run in 0..60 {
        let w = first_round_values(&s, 20250819, run, None);
        let w8 = first_round_values(&loose, 20250819, run, None);
        assert!(
            max_diff(&w, &w8) < 1e-6,
            "run {run}: tolerance 1e-8 selects another equilibrium"
        );
        for _ in 0..2 {
            let start: Vec<f64> = w.iter().map(|_| rng.random_range(-1.0..1.0)).collect();
            let from = first_round_values(&s, 20250819, run, Some(start));
            assert!(
                max_diff(&w, &from) < 1e-6,
                "run {run}: another start selects another equilibrium"
            );
        }
    }
}

/// Whole runs too: the reference scenario gives identical aggregates with solver tolerances
/// 1e-8 and 1e-10 (what proposers learn is held on a 1e-6 grid, so solver noise cannot steer
/// which equilibrium a later round selects).
#[test]
fn whole_runs_do_not_depend_on_the_solver_tolerance() {
    let s = Scenario::load(Path::new(REFERENCE)).unwrap();
    let mut loose = s.clone();
    loose.protocol.solver_tolerance = 1e-8;
    let opts = RunOptions {
        runs: 300,
        seed: 20250819,
        threads: None,
        shard: None,
    };
    let a = run_all(&s, opts, &Silent, &AtomicBool::new(false)).unwrap();
    let b = run_all(&loose, opts, &Silent, &AtomicBool::new(false)).unwrap();
    assert_eq!(a.outcomes, b.outcomes);
    assert_eq!(a.agreement_round, b.agreement_round);
    assert_eq!(a.packages, b.packages);
}

/// Two reference runs that, before the selection tolerance (`docs/model.md` §10, rule 3), ended
/// differently at tolerances 1e-8 and 1e-10: in round 0 the joint war-and-ceasefire solve (§9.1)
/// started from traced values that differed by about 1e-9 and reached different joint
/// equilibria (run 360 of seed 1: an agreement in round 3 against a breakdown in round 5). Every
/// selection is now made on values solved to 1e-8 whatever the tolerance, so they cannot; and
/// five runs of the ceasefire test case and one of the daily-rounds reproducer that did too.
#[test]
fn runs_that_once_depended_on_the_solver_tolerance_do_not() {
    let frozen = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/frozen-conflict.toml");
    let daily = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scenarios/unconverged-daily.toml");
    // frozen-conflict: runs 227 and 909 were played from a polish that ran off to another
    // equilibrium (R moved by 0.26) until the polish was kept near the selected values; runs 0,
    // 6 and 11 ended differently before the selection tolerance
    let cases = [
        (REFERENCE, 1, 360),
        (REFERENCE, 3, 298),
        (frozen, 5, 227),
        (frozen, 5, 909),
        (frozen, 5, 0),
        (frozen, 5, 6),
        (frozen, 5, 11),
        // daily rounds: the polish moves the values by ~2e-7, and a rejection's margin measured
        // from the played values crossed the 1e-6 belief grid at one tolerance only
        (daily, 5, 240),
    ];
    for (path, seed, run) in cases {
        let s = Scenario::load(Path::new(path)).unwrap();
        let mut loose = s.clone();
        loose.protocol.solver_tolerance = 1e-8;
        let ((a, ta), (b, tb)) = (simulate_traced(&s, seed, run), simulate_traced(&loose, seed, run));
        assert_eq!(
            (a.outcome, a.round, a.package, a.proposer),
            (b.outcome, b.round, b.package, b.proposer),
            "seed {seed}, run {run}"
        );
        assert_eq!(ta.len(), tb.len());
        for (x, y) in ta.iter().zip(&tb) {
            assert_eq!(x.offer, y.offer, "seed {seed}, run {run}, round {}", x.round);
            // the played values differ by the polish: up to ~1e-6 with daily rounds, and by
            // construction never more than POLISH_MAX_MOVE (1e-4); another equilibrium is far
            // further away (0.04 to 0.26 in the runs above)
            for (r, q) in x.reservation.iter().zip(&y.reservation) {
                assert!(
                    (r - q).abs() < 1e-4,
                    "seed {seed}, run {run}, round {}: {r} vs {q}",
                    x.round
                );
            }
        }
    }
}

/// At temperature 0 the ladder's last positive rung is solved to a fixed 1e-10 (`docs/model.md`
/// §10, rule 3), not to the solver tolerance, so zero-temperature runs do not depend on it either.
/// Runs 5 and 198 of `learning-front.toml` at temperature 0 (seed 1) ended differently at 1e-8
/// and 1e-10 when that rung was solved to the tolerance.
#[test]
fn zero_temperature_runs_do_not_depend_on_the_solver_tolerance() {
    let text = include_str!("scenarios/learning-front.toml").replace("temperature = 0.01", "temperature = 0.0");
    let s = Scenario::from_bytes(Path::new("learning-front.toml"), text.as_bytes()).expect("valid");
    assert_eq!(s.protocol.temperature, 0.0);
    let mut loose = s.clone();
    loose.protocol.solver_tolerance = 1e-8;
    for run in [5, 198] {
        let (a, b) = (simulate(&s, 1, run), simulate(&loose, 1, run));
        assert_eq!(
            (a.outcome, a.round, a.package, a.proposer),
            (b.outcome, b.round, b.package, b.proposer),
            "run {run}"
        );
    }
}

/// Beliefs about event hazards enter the believer's reservation value only: an actor that
/// expects an event raising its own war cost (which in fact never fires) values continued war
/// less, and the other actor's reservation value does not move.
#[test]
fn a_feared_event_lowers_only_the_believers_reservation_value() {
    let event = "\n[[event]]\nid = \"sanctions\"\nhazard = 0.0\nduration = 6\nrepeat = true\neffects = [{ actor = \"A\", war_cost = { add = 0.02 } }]\n";
    let calm = optimism("0.0", "0.0", |t| t + event);
    let fearful = optimism("0.0", "0.0", |t| {
        t.replacen(
            "beliefs = { line = { drift = 0.0 } }",
            "beliefs = { line = { drift = 0.0 }, sanctions = { hazard = 0.3 } }",
            1,
        ) + event
    });
    let r0 = |s: &Scenario| simulate_traced(s, 4, 0).1[0].reservation.clone();
    let (a, b) = (r0(&calm), r0(&fearful));
    assert!(
        b[0] < a[0] - 1e-3,
        "A's reservation value: {} without, {} with the fear",
        a[0],
        b[0]
    );
    // B's changes only through the equilibrium (A now concedes more), never upwards for A
    assert!(b[1] >= a[1] - 1e-12, "B's reservation value fell: {} → {}", a[1], b[1]);
}
