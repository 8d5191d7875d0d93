//! Positions that depend on the state of the war (`docs/model.md` §9.2): red lines that dissolve
//! and return with the war (one uniform per line and run), ratifier intercepts that move with the
//! rounds of war, and `when` lists that change nothing when they give the base values.

use armistice::scenario::Scenario;
use armistice::sim::run::drawn_params;
use armistice::sim::{Outcome, RunRecord, simulate, simulate_traced};
use std::path::Path;

const DISSOLVING: &str = include_str!("scenarios/dissolving-red-line.toml");
const TOY: &str = include_str!("../scenarios/classic/two-party-toy.toml");

fn load(text: &str) -> Scenario {
    Scenario::from_bytes(Path::new("t.toml"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

/// The test scenario's red line with another `binding`/`when`, and `extra` appended to the file.
fn dissolving(line: &str, extra: &str) -> Scenario {
    let old = r#"{ issue = "land", options = ["L2", "L3"], binding = 1.0, when = [{ front = "land", beyond = "L2", binding = 0.0 }] },"#;
    assert!(DISSOLVING.contains(old));
    let text = DISSOLVING.replace(
        old,
        &format!(r#"{{ issue = "land", options = ["L2", "L3"], {line} }},"#),
    );
    load(&format!("{text}\n{extra}"))
}

/// Round of agreement of each run (`None`: no agreement).
fn agreement_rounds(s: &Scenario, seed: u64, runs: u64) -> Vec<Option<usize>> {
    (0..runs)
        .map(|r| {
            let rec = simulate(s, seed, r);
            (rec.outcome == Outcome::Agreement).then(|| rec.round.expect("round"))
        })
        .collect()
}

/// The front moves half a step per round with no noise, so it reaches L2 (place 2 on the path)
/// at the start of round 4: A's red line against L2 and L3 (binding 1 until then, 0 from then)
/// dissolves in round 4 of every run still going, and in no other round; the responses before
/// it show the line, none after.
#[test]
fn the_red_line_dissolves_in_the_round_the_front_reaches_it() {
    let s = load(DISSOLVING);
    let mut went_on = 0;
    for run in 0..60 {
        let (_, trace) = simulate_traced(&s, 5, run);
        for tr in &trace {
            let expect: Vec<(usize, usize, bool)> = if tr.round == 4 { vec![(0, 0, false)] } else { vec![] };
            let got: Vec<(usize, usize, bool)> = tr
                .red_lines_changed
                .iter()
                .map(|c| (c.actor, c.line, c.binds))
                .collect();
            assert_eq!(got, expect, "run {run} round {}", tr.round);
            for r in &tr.responses {
                if tr.round >= 4 {
                    assert!(!r.red_line, "run {run} round {}: the line has dissolved", tr.round);
                }
            }
        }
        went_on += usize::from(trace.len() > 4);
    }
    assert!(went_on > 30, "most runs reach round 4: {went_on}");
}

/// P(agreement by round t) rises once the front has crossed: the per-round hazard of agreement in
/// rounds 4+ is far above the one in rounds 0–3 (more than 4 standard errors), while without the
/// `when` list (the line binds for the whole run) nothing is agreed after round 3. Before the
/// crossing both scenarios play the same game with the same draws: identical agreements.
#[test]
fn agreement_becomes_likely_after_the_front_crosses() {
    let runs = 1500;
    let with = agreement_rounds(&load(DISSOLVING), 11, runs);
    let without = agreement_rounds(&dissolving("binding = 1.0", ""), 11, runs);
    let early = |v: &[Option<usize>]| v.iter().filter(|r| r.is_some_and(|t| t < 4)).count();
    assert_eq!(early(&with), early(&without), "the same game before the crossing");
    for (a, b) in with.iter().zip(&without) {
        if b.is_some() || a.is_some_and(|t| t < 4) {
            assert_eq!(a, b);
        }
    }
    // hazards per run-round at risk
    let hazard = |v: &[Option<usize>], from: usize, to: usize| {
        let (mut at_risk, mut agreed) = (0.0, 0.0);
        for r in v {
            for t in from..to {
                match r {
                    Some(x) if *x < t => break,
                    Some(x) if *x == t => {
                        at_risk += 1.0;
                        agreed += 1.0;
                    }
                    _ => at_risk += 1.0,
                }
            }
        }
        let h: f64 = agreed / at_risk;
        (h, (h * (1.0 - h) / at_risk).sqrt())
    };
    let (before, se_b) = hazard(&with, 0, 4);
    let (after, se_a) = hazard(&with, 4, 12);
    eprintln!("hazard of agreement per round: rounds 0-3 {before:.4} ± {se_b:.4}, rounds 4-11 {after:.4} ± {se_a:.4}");
    assert!(
        after - before > 4.0 * (se_a * se_a + se_b * se_b).sqrt() && after > 0.2,
        "hazard before {before:.4} ± {se_b:.4}, after {after:.4} ± {se_a:.4}"
    );
    let later_without = without.iter().filter(|r| r.is_some_and(|t| t >= 4)).count();
    let by_horizon = with.iter().filter(|r| r.is_some()).count();
    assert_eq!(later_without, 0, "the line never dissolves without its `when`");
    assert!(by_horizon as f64 > 0.8 * runs as f64, "{by_horizon} of {runs}");
}

/// Common random numbers: the line keeps its one uniform u (the parameter draw's word) and binds
/// in round t iff u < p_t, with p_t = 0.9 (round 0), 0.05 while the event is active (rounds
/// 1–3), 0.6 after 3 rounds of war, 0.2 after 6 (first match). The trace's changes rebuild
/// exactly that sequence in every run: a line with u between 0.05 and 0.6 dissolves in round 1 and
/// returns in round 4; one with u between 0.2 and 0.6 dissolves again in round 6.
#[test]
fn a_red_line_flips_exactly_when_its_probability_crosses_its_uniform() {
    let s = dissolving(
        r#"binding = 0.9, when = [{ event = "dip", binding = 0.05 }, { rounds_of_war = 6, binding = 0.2 }, { rounds_of_war = 3, binding = 0.6 }]"#,
        "[[event]]\nid = \"dip\"\nat_round = 1\nduration = 3\neffects = [{ actor = \"B\", war_cost = { add = 0.0 } }]\n",
    );
    let p = |t: usize| match t {
        0 => 0.9,
        1..=3 => 0.05,
        4 | 5 => 0.6,
        _ => 0.2,
    };
    let (mut returned, mut dissolved_twice) = (0, 0);
    for run in 0..300 {
        let u = drawn_params(&s, 7, run).red_line_draws[0][0].1;
        let (_, trace) = simulate_traced(&s, 7, run);
        let mut binds = u < 0.9;
        let mut flips = vec![];
        for tr in &trace {
            for c in &tr.red_lines_changed {
                assert_ne!(c.binds, binds, "run {run} round {}: a change must flip", tr.round);
                binds = c.binds;
                flips.push((tr.round, c.binds));
            }
            assert_eq!(binds, u < p(tr.round), "run {run} round {} u {u}", tr.round);
        }
        returned += usize::from(flips.starts_with(&[(1, false), (4, true)]));
        dissolved_twice += usize::from(flips == [(1, false), (4, true), (6, false)]);
    }
    eprintln!("runs where the line dissolved and returned: {returned}; dissolved again: {dissolved_twice}");
    assert!(returned > 10 && dissolved_twice > 5, "{returned} {dissolved_twice}");
}

/// The toy with `when` lists that always give the drawn values (a red line's own probability, a
/// utility's own value, a ratifier's own intercept) against the same toy without them: identical
/// records and traces, run by run.
#[test]
fn neutral_conditions_change_nothing() {
    let line =
        r#"{ issue = "border", options = ["B2"], binding = 0.8, note = "Never concede B's maximal claim [J]" },"#;
    let neutral_line = r#"{ issue = "border", options = ["B2"], binding = 0.8, when = [{ rounds_of_war = 1, binding = 0.8 }, { front = "border", beyond = "B2", binding = 0.8 }] },"#;
    let ratifier = "\n[[ratifier]]\nid = \"P\"\nmood = \"iid\"\npass = { intercept = 1.0, effects = { B2 = -1.0 }";
    assert!(TOY.contains(line));
    let base = format!("{TOY}{ratifier} }}\n");
    let neutral = format!(
        "{}{ratifier}, when = [{{ rounds_of_war = 2, intercept = 1.0 }}] }}\n",
        TOY.replace(line, neutral_line).replace(
            "red_lines = [",
            "utility_when = [{ option = \"R1\", when = [{ rounds_of_war = 2, utility = 0.6 }] }]\nred_lines = [",
        )
    );
    let (a, b) = (load(&base), load(&neutral));
    assert!(a.positions.is_empty() && !b.positions.is_empty());
    assert_eq!(b.positions.red_lines.len(), 1);
    assert_eq!(b.positions.utilities.len(), 1);
    assert_eq!(b.positions.ratifiers.len(), 1);
    let recs = |s: &Scenario| -> Vec<RunRecord> { (0..300).map(|r| simulate(s, 9, r)).collect() };
    let (ra, rb) = (recs(&a), recs(&b));
    assert_eq!(ra, rb);
    assert!(ra.iter().any(|r| r.outcome == Outcome::Agreement));
    for run in 0..40 {
        assert_eq!(simulate_traced(&a, 9, run), simulate_traced(&b, 9, run));
    }
}

/// Logistic function.
fn logistic(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// Two actors who both want X1 and nothing from the war sign X1 in every round; a ratifier votes
/// on it with intercept −1 before 3 rounds of war and +1 after, and effect β = 0.5 for X1.
fn ratified_scenario(mood: &str) -> Scenario {
    load(&format!(
        r#"
[scenario]
id = "r"
title = "r"
as_of = 2025-01-01
round_length = "1 month"
horizon = 8

[protocol]
breakdown = 0.0
temperature = 0.01

[[issue]]
id = "x"
war_status_quo = "X0"
options = [{{ id = "X0" }}, {{ id = "X1" }}]

[[actor]]
id = "A"
veto = true
discount = 0.9
war_cost = 0.05
salience = {{ x = 1.0 }}
utility = {{ x = [0.0, 1.0] }}

[[actor]]
id = "B"
veto = true
discount = 0.9
war_cost = 0.05
salience = {{ x = 1.0 }}
utility = {{ x = [0.0, 1.0] }}

[[ratifier]]
id = "R"
mood = "{mood}"
pass = {{ intercept = -1.0, effects = {{ X1 = 0.5 }}, when = [{{ rounds_of_war = 3, intercept = 1.0 }}] }}
"#
    ))
}

/// With a fresh mood per vote, a vote after t rounds of war passes with probability
/// Λ(α_t + β): Λ(−0.5) in rounds 0–2 and Λ(1.5) from round 3 on (each within 4 standard errors).
/// With one persistent mood m per run, the run agrees in round 0 iff m < Λ(−0.5) and otherwise
/// (every failed vote is followed by a round of war) in round 3 iff m < Λ(1.5): the share agreed
/// by round 3 is Λ(1.5).
#[test]
fn a_ratifier_intercept_that_moves_with_the_war_moves_its_pass_rate() {
    let s = ratified_scenario("iid");
    let (mut votes, mut passes) = ([0.0f64; 2], [0.0f64; 2]);
    for run in 0..3000 {
        let (_, trace) = simulate_traced(&s, 3, run);
        for tr in &trace {
            if let Some(passed) = tr.ratified {
                let k = usize::from(tr.round >= 3);
                votes[k] += 1.0;
                passes[k] += f64::from(u8::from(passed));
            }
        }
    }
    for (k, alpha) in [-1.0, 1.0].into_iter().enumerate() {
        let p = logistic(alpha + 0.5);
        let rate = passes[k] / votes[k];
        let se = (p * (1.0 - p) / votes[k]).sqrt();
        eprintln!(
            "votes after {} rounds of war: pass rate {rate:.4} (n {}) vs Λ(α + β) = {p:.4}",
            if k == 0 { "0-2" } else { "3+" },
            votes[k]
        );
        assert!(
            (rate - p).abs() < 4.0 * se,
            "votes {k}: {rate:.4} vs Λ = {p:.4} (se {se:.4}, n {})",
            votes[k]
        );
    }
    assert!(votes[1] > 300.0, "{votes:?}");

    let s = ratified_scenario("persistent");
    let n = 3000;
    let rounds = agreement_rounds(&s, 4, n);
    let share = |f: &dyn Fn(usize) -> bool| rounds.iter().filter(|r| r.is_some_and(f)).count() as f64 / n as f64;
    for (got, p) in [
        (share(&|t| t == 0), logistic(-0.5)),
        (share(&|t| t <= 3), logistic(1.5)),
    ] {
        let se = (p * (1.0 - p) / n as f64).sqrt();
        eprintln!("persistent mood: {got:.4} vs {p:.4} (se {se:.4})");
        assert!((got - p).abs() < 4.0 * se, "{got:.4} vs {p:.4} (se {se:.4})");
    }
    assert_eq!(
        share(&|t| (1..3).contains(&t)),
        0.0,
        "a persistent mood does not change before the intercept does"
    );
}

/// `explain` tells the round a red line dissolved (run 1 of the test scenario goes on past
/// round 4, when the front reaches L2), and a scenario without `when` lists never mentions it.
#[test]
fn explain_says_when_a_red_line_dissolves() {
    let (text, _) = armistice::report::explain::explain(&load(DISSOLVING), 3, 1);
    assert!(
        text.contains("Round 5 of 12\n  Position: A's red line against L2, L3 dissolved"),
        "{text}"
    );
    let (text, _) = armistice::report::explain::explain(&dissolving("binding = 1.0", ""), 3, 1);
    assert!(!text.contains("Position:"), "{text}");
}

/// `check`'s "agreement is impossible" warning counts a red line as always binding only if its
/// `when` conditions also give 1: a line against every option that dissolves once the front
/// reaches L2 leaves agreement possible.
#[test]
fn a_red_line_that_can_dissolve_does_not_make_agreement_impossible() {
    use armistice::model::check::impossible_agreement;
    let all = r#"options = ["L0", "L1", "L2", "L3"]"#;
    let s = |line: &str| {
        let text = DISSOLVING.replace(r#"options = ["L2", "L3"]"#, all);
        let text = text.replace(
            r#"binding = 1.0, when = [{ front = "land", beyond = "L2", binding = 0.0 }]"#,
            line,
        );
        load(&text)
    };
    assert!(impossible_agreement(&s("binding = 1.0")).is_some());
    assert!(impossible_agreement(&s(r#"binding = 1.0, when = [{ rounds_of_war = 2, binding = 1.0 }]"#)).is_some());
    assert!(
        impossible_agreement(&s(
            r#"binding = 1.0, when = [{ front = "land", beyond = "L2", binding = 0.0 }]"#
        ))
        .is_none()
    );
}
