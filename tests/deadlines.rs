//! Deadlines and scheduled events, anticipated (`docs/model.md` §9.4): the deadline effect in the
//! simulation (Fershtman and Seidmann 1993; Ma and Manove 1993; Roth, Murnighan and Schoumaker
//! 1988), the closed forms of what the expected path anticipates, and neutrality.

use armistice::model::anticipation::{
    Ahead, EventState, Move, expected_path, expected_path_scheduled, war_flow, war_flow_ahead,
};
use armistice::model::war::interpolate;
use armistice::scenario::Scenario;
use armistice::sim::run::drawn_params;
use armistice::sim::{Outcome, RunRecord, simulate, simulate_traced};
use std::path::Path;

const EXPIRING: &str = include_str!("scenarios/expiring-bonus.toml");
/// The round at whose start the bonus lapses in `expiring-bonus.toml`.
const LAPSE: usize = 8;

fn from_text(text: &str) -> Scenario {
    let dir = std::env::temp_dir().join(format!("armistice-deadlines-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{hash:016x}.toml"));
    std::fs::write(&path, text).unwrap();
    Scenario::load(&path).unwrap()
}

/// `expiring-bonus.toml` with its text edited: each `(from, to)` replaced exactly once.
fn expiring(edits: &[(&str, &str)]) -> Scenario {
    let mut text = EXPIRING.to_string();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        text = text.replace(from, to);
    }
    from_text(&text)
}

/// The scenario's event, as text (to remove or replace it).
fn event_text() -> &'static str {
    let at = EXPIRING.find("[[event]]").unwrap();
    &EXPIRING[at..]
}

/// Agreements per round and runs still at the table at the start of each round.
fn hazard_counts(s: &Scenario, runs: u64, seed: u64) -> (Vec<f64>, Vec<f64>) {
    let h = s.meta.horizon;
    let (mut deals, mut at_risk) = (vec![0.0; h], vec![0.0; h]);
    for r in 0..runs {
        let rec = simulate(s, seed, r);
        let end = match rec.outcome {
            Outcome::NoAgreement => h,
            _ => rec.round.expect("a round") + 1,
        };
        for n in at_risk.iter_mut().take(end.min(h)) {
            *n += 1.0;
        }
        if rec.outcome == Outcome::Agreement {
            deals[rec.round.unwrap()] += 1.0;
        }
    }
    (deals, at_risk)
}

/// The pooled hazard of agreement over `rounds` and its binomial standard error.
fn hazard(counts: &(Vec<f64>, Vec<f64>), rounds: std::ops::Range<usize>) -> (f64, f64) {
    let k: f64 = counts.0[rounds.clone()].iter().sum();
    let n: f64 = counts.1[rounds].iter().sum();
    let p = k / n;
    (p, (p * (1.0 - p) / n).sqrt())
}

/// The deadline effect: with a large bonus that lapses at round d (a mediator's dated offer),
/// actors who foresee the lapse (backward induction from the state after it) bunch their deals
/// in rounds d−2..d−1: the hazard there is above the hazard in rounds 0..d−4 and after d, by
/// more than 4 standard errors (0.40, 0.13, 0.04). Without anticipation the same lapse comes as a
/// surprise and there is no spike (the hazard in d−2..d−1 is not above the hazard before by 4
/// standard errors; it is 0.09 against 0.11).
#[test]
fn an_expiring_bonus_bunches_deals_just_before_the_deadline() {
    let d = LAPSE;
    let s = expiring(&[]);
    let c = hazard_counts(&s, 2000, 11);
    let (spike, se_s) = hazard(&c, d - 2..d);
    let (early, se_e) = hazard(&c, 0..d - 3);
    let (after, se_a) = hazard(&c, d..s.meta.horizon);
    let z_early = (spike - early) / (se_s.powi(2) + se_e.powi(2)).sqrt();
    let z_after = (spike - after) / (se_s.powi(2) + se_a.powi(2)).sqrt();
    assert!(
        z_early > 4.0 && z_after > 4.0,
        "spike {spike:.3} ± {se_s:.3}, early {early:.3} ± {se_e:.3}, after {after:.3} ± {se_a:.3}"
    );
    // the actors foresee it only through the mechanism
    let none = expiring(&[(r#"anticipation = "expected-path""#, r#"anticipation = "none""#)]);
    let c = hazard_counts(&none, 2000, 11);
    let (spike, se_s) = hazard(&c, d - 2..d);
    let (early, se_e) = hazard(&c, 0..d - 3);
    let z = (spike - early) / (se_s.powi(2) + se_e.powi(2)).sqrt();
    assert!(
        z < 4.0,
        "no anticipation: spike {spike:.3} ± {se_s:.3}, early {early:.3} ± {se_e:.3}"
    );
}

fn records(s: &Scenario, runs: u64) -> Vec<RunRecord> {
    (0..runs).map(|r| simulate(s, 5, r)).collect()
}

/// Neutral = identical: a scheduled event that changes nothing (`add = 0`) gives byte-identical
/// run records to the scenario without it; and with `anticipation = "none"` a scheduled change is
/// not foreseen: every run that ends before it is identical to the one without the event (with
/// `"expected-path"` they differ, so the comparison can fail).
#[test]
fn a_neutral_or_unanticipated_scheduled_event_changes_nothing() {
    let without = expiring(&[(event_text(), "")]);
    let neutral = expiring(&[
        (
            "agreement_bonus = { set = 0.0 } },\n  { actor = \"B\"",
            "agreement_bonus = { add = 0.0 } },\n  { actor = \"B\"",
        ),
        (
            "{ actor = \"B\", agreement_bonus = { set = 0.0 } }",
            "{ actor = \"B\", agreement_bonus = { add = 0.0 } }",
        ),
    ]);
    assert_eq!(records(&without, 300), records(&neutral, 300));
    let early = |recs: Vec<RunRecord>| -> Vec<RunRecord> {
        recs.into_iter()
            .filter(|r| r.round.is_some_and(|t| t < LAPSE))
            .collect()
    };
    let off = [(r#"anticipation = "expected-path""#, r#"anticipation = "none""#)];
    let mut off_without = off.to_vec();
    off_without.push((event_text(), ""));
    let (a, b) = (
        early(records(&expiring(&off), 300)),
        early(records(&expiring(&off_without), 300)),
    );
    assert!(a.len() > 100);
    assert_eq!(a, b);
    let (a, b) = (early(records(&expiring(&[]), 300)), early(records(&without, 300)));
    assert_ne!(a, b, "anticipated, the lapse changes the rounds before it");
}

/// Backward induction toward a scheduled event that changes nothing (it sets the bonus to the
/// value it has) gives the stationary values: the same outcomes in every run, payoffs within the
/// solver's tolerance; only the solver's work differs.
#[test]
fn backward_induction_toward_no_change_is_the_stationary_solution() {
    let without = expiring(&[(event_text(), "")]);
    let same = expiring(&[
        (
            "agreement_bonus = { set = 0.0 } },\n  { actor = \"B\"",
            "agreement_bonus = { set = 0.3 } },\n  { actor = \"B\"",
        ),
        (
            "{ actor = \"B\", agreement_bonus = { set = 0.0 } }",
            "{ actor = \"B\", agreement_bonus = { set = 0.3 } }",
        ),
    ]);
    let mut more_work = 0;
    for (a, b) in records(&without, 300).iter().zip(&records(&same, 300)) {
        assert_eq!((a.outcome, a.round, a.package), (b.outcome, b.round, b.package));
        for (x, y) in a.payoff.iter().zip(&b.payoff) {
            assert!((x - y).abs() < 1e-8, "{x} vs {y}");
        }
        more_work += usize::from(b.solver_evals > a.solver_evals);
    }
    assert!(
        more_work > 0,
        "the rounds before the event are solved by backward induction"
    );
}

/// A scheduled war-cost change Δ for D rounds, k rounds ahead, lowers the war flow by
/// `(1 − δ) · Δ δ^k (1 − δ^D)/(1 − δ) = Δ δ^k (1 − δ^D)` (`δ^k Δ` without a duration), and
/// only inside the look-ahead window.
#[test]
fn a_scheduled_war_cost_enters_the_war_flow_discounted_to_its_round() {
    for (duration, expect) in [("duration = 3\n", 3), ("", 0)] {
        let s = expiring(&[(
            event_text(),
            &format!(
                "[[event]]\nid = \"tariff\"\nat_round = 5\n{duration}effects = [{{ actor = \"A\", war_cost = {{ add = 0.02 }} }}]\n"
            ),
        )]);
        let p = drawn_params(&s, 1, 0);
        let ev = EventState {
            active: &[None],
            fired: &[false],
        };
        let d: f64 = 0.97;
        for now in [0usize, 2, 4] {
            let k = (5 - now) as i32;
            let ahead = Ahead { now, until: 16 };
            let spell = if expect > 0 { 1.0 - d.powi(expect) } else { 1.0 };
            let drop = war_flow(&s, &p, &p, ev, 0) - war_flow_ahead(&s, &p, &p, ev, ahead, 0);
            assert!((drop - 0.02 * d.powi(k) * spell).abs() < 1e-12, "{now}: {drop}");
            // B's cost does not change; an event at or beyond `until` is not looked ahead to
            assert_eq!(war_flow(&s, &p, &p, ev, 1), war_flow_ahead(&s, &p, &p, ev, ahead, 1));
            let short = Ahead { now, until: 5 };
            assert_eq!(war_flow(&s, &p, &p, ev, 0), war_flow_ahead(&s, &p, &p, ev, short, 0));
        }
        // once fired it is no longer ahead
        let fired = EventState {
            active: &[None],
            fired: &[true],
        };
        assert_eq!(
            war_flow(&s, &p, &p, fired, 0),
            war_flow_ahead(&s, &p, &p, fired, Ahead { now: 0, until: 16 }, 0)
        );
    }
}

/// A scheduled move of the line shifts the expected path from its round on: brute force over the
/// path `f_t = clamp(f_0 + v t) (+ Δ from round k on, or = x from round k on)`.
#[test]
fn a_scheduled_frontline_move_shifts_the_expected_path_from_its_round() {
    let u = [0.0, 0.3, 0.5, 1.0];
    let path = [0, 1, 2, 3];
    let (d, v, f0, k) = (0.9f64, 0.05, 0.4, 4usize);
    for (set, value) in [(false, 0.8), (false, -0.3), (true, 2.5)] {
        let brute: f64 = (0..20_000)
            .map(|t: usize| {
                let mut pos = (f0 + v * t as f64).clamp(0.0, 3.0);
                if t >= k {
                    let at_k = (f0 + v * k as f64).clamp(0.0, 3.0);
                    let moved = if set { value } else { at_k + value };
                    pos = (moved + v * (t - k) as f64).clamp(0.0, 3.0);
                }
                (1.0 - d) * d.powi(t as i32) * interpolate(&u, &path, pos)
            })
            .sum();
        let m = Move { round: k, set, value };
        let got = expected_path_scheduled(&u, &path, f0, v, &[], &[m], d);
        assert!((got - brute).abs() < 1e-10, "{set} {value}: {got} vs {brute}");
    }
    // without scheduled moves it is the expected path, to the bit
    assert_eq!(
        expected_path_scheduled(&u, &path, f0, v, &[(0.1, 0.5)], &[], d),
        expected_path(&u, &path, f0, v, &[(0.1, 0.5)], d)
    );
}

#[test]
fn the_test_scenario_loads_from_its_file() {
    let s = Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/expiring-bonus.toml")).unwrap();
    assert_eq!(s.events.len(), 1);
}

/// With a hard deadline after the lapse, the values after the lapse come from backward induction
/// over the rounds to the deadline (Ståhl 1972) and the rounds before the lapse are solved back
/// from them: the spike before the lapse remains (4 standard errors), and every run solves.
#[test]
fn the_spike_remains_with_a_hard_deadline_after_the_lapse() {
    let d = LAPSE;
    let s = expiring(&[("private_types = \"iid\"\n", "private_types = \"iid\"\ndeadline = 14\n")]);
    assert_eq!(s.protocol.deadline, Some(14));
    let c = hazard_counts(&s, 2000, 11);
    let (spike, se_s) = hazard(&c, d - 2..d);
    let (early, se_e) = hazard(&c, 0..d - 3);
    let z = (spike - early) / (se_s.powi(2) + se_e.powi(2)).sqrt();
    assert!(z > 4.0, "spike {spike:.3} ± {se_s:.3}, early {early:.3} ± {se_e:.3}");
    assert!((0..200).all(|r| simulate(&s, 11, r).not_converged.is_none()));
}

/// A round before the lapse solves the game after it warm-started from the previous round's
/// solution of that same game (`Selected::next_warm`; `docs/model.md` §9.4), so it costs a few
/// evaluations plus the `2(a − t − 1)` steps back to the round (played values and selection
/// values), not a fresh solve: in every round of the first 40 runs that took no ladder rung,
/// at most 6 more than the steps. (Warm-started from the round's own stepped-back values, as
/// before 2026-12-07, these rounds took about 30.)
#[test]
fn rounds_before_a_scheduled_change_warm_start_the_game_after_it() {
    let s = from_text(EXPIRING);
    let mut checked = 0;
    for run in 0..40 {
        let (_, trace) = simulate_traced(&s, 1, run);
        for t in trace
            .iter()
            .filter(|t| t.round >= 1 && t.round < LAPSE && t.ladder_steps == 0)
        {
            let steps = 2 * (LAPSE - t.round - 1);
            assert!(
                t.solver_evals <= steps + 6,
                "run {run}, round {}: {} evaluations for {steps} steps",
                t.round,
                t.solver_evals
            );
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} rounds checked");
}
