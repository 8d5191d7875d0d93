//! Learning from the battlefield (`docs/model.md` §9.3): the posterior the simulation carries
//! equals the conjugate closed form; opposed priors that converge make the hazard of agreement
//! rise with time (Slantchev 2003; Smith and Stam 2004); without a prior the model is exactly
//! today's.

use armistice::model::learning::normal_posterior;
use armistice::scenario::Scenario;
use armistice::sim::{Outcome, RunRecord, simulate, simulate_traced};
use std::path::Path;

const LEARNING_FRONT: &str = include_str!("scenarios/learning-front.toml");
const REFERENCE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml");

fn scenario(text: &str) -> Scenario {
    Scenario::from_bytes(Path::new("learning-front.toml"), text.as_bytes()).expect("valid test scenario")
}

/// Agreements and runs at risk in rounds `[from, to)`: the hazard's numerator and denominator.
fn at_risk(recs: &[RunRecord], horizon: usize, from: usize, to: usize) -> (f64, f64) {
    let (mut agreed, mut risk) = (0.0, 0.0);
    for r in recs {
        let last = if r.outcome == Outcome::NoAgreement {
            horizon - 1
        } else {
            r.round.expect("an ending round")
        };
        for t in from..to.min(last + 1) {
            risk += 1.0;
            if t == last && r.outcome == Outcome::Agreement {
                agreed += 1.0;
            }
        }
    }
    (agreed, risk)
}

/// The belief each learning actor holds after each round is the normal posterior of its prior
/// given the moves of the line so far (no breakthroughs in this scenario; the line stays inside
/// its path in these rounds, so no move is censored), to 1e-12.
#[test]
fn the_carried_posterior_is_the_closed_form() {
    let s = scenario(LEARNING_FRONT);
    let (rec, trace) = simulate_traced(&s, 11, 3);
    assert!(trace.len() >= 5, "run 3 lasts {} rounds", trace.len());
    let priors = [(-0.1, 0.1), (0.1, 0.1)];
    let (mut pos, mut sum, mut n) = (2.0, 0.0, 0);
    for tr in &trace {
        let now = tr.frontlines[0].expect("a frontline");
        if now != pos {
            assert!(now > 0.0 && now < 4.0, "the line reached an end");
            sum += now - pos;
            n += 1;
            pos = now;
        }
        assert_eq!(tr.posterior_drift.len(), 2);
        for &(i, k, m, sd) in &tr.posterior_drift {
            let (em, ev) = normal_posterior(priors[i].0, priors[i].1, 0.15, n, sum);
            assert_eq!(k, 0);
            assert!(
                (m - em).abs() < 1e-12 && (sd - ev.sqrt()).abs() < 1e-12,
                "round {}",
                tr.round
            );
        }
    }
    assert!(n >= 4 && rec.outcome == Outcome::Agreement);
}

/// The principle of convergence: two sides each optimistic about the line's drift, learning
/// from its moves, agree with a per-round probability that rises with time. The hazard in
/// rounds 16–30 exceeds the one in rounds 1–5 by more than 4 standard errors; without learning
/// (the same priors held fixed) they never agree.
#[test]
fn the_hazard_of_agreement_rises_as_beliefs_converge() {
    let s = scenario(LEARNING_FRONT);
    let horizon = s.meta.horizon;
    let recs: Vec<RunRecord> = (0..800).map(|r| simulate(&s, 11, r)).collect();
    let hazard = |from, to| {
        let (a, n) = at_risk(&recs, horizon, from, to);
        let h: f64 = a / n;
        (h, (h * (1.0 - h) / n).sqrt())
    };
    let (early, se_e) = hazard(0, 5);
    let (late, se_l) = hazard(15, horizon);
    let se = (se_e * se_e + se_l * se_l).sqrt();
    assert!(
        late - early > 4.0 * se,
        "hazard rounds 1–5: {early:.4} ± {se_e:.4}; rounds 16–30: {late:.4} ± {se_l:.4}"
    );
    let fixed = scenario(&LEARNING_FRONT.replace(", drift_sd = 0.1", ""));
    let agreed = (0..200)
        .filter(|&r| simulate(&fixed, 11, r).outcome == Outcome::Agreement)
        .count();
    assert_eq!(agreed, 0, "the fixed opposed priors leave no bargaining range");
}

/// A prior sd of 0 (and no breakthrough strength) is no learning at all: the reference scenario
/// gives the same records, run for run, with and without the key; and the learning scenario with
/// drift_sd = 0 equals the one without it (where learning would change every run).
#[test]
fn a_zero_prior_sd_is_todays_model() {
    // the reference scenario without its learning keys, then with a prior sd of 0
    let text = std::fs::read_to_string(REFERENCE).expect("the reference scenario");
    let mut fixed = text.clone();
    for key in [
        ", drift_sd = 0.015",
        ", drift_sd = 0.010",
        ", strength = 20",
        ", strength = 33",
    ] {
        assert!(fixed.contains(key), "{key}");
        fixed = fixed.replace(key, "");
    }
    let text = fixed;
    let old = "territory = { drift = 0.083, breakthrough";
    assert!(text.contains(old));
    let neutral = text.replace(old, "territory = { drift = 0.083, drift_sd = 0.0, breakthrough");
    let (a, b) = (scenario(&text), scenario(&neutral));
    for r in 0..200 {
        assert_eq!(simulate(&a, 19, r), simulate(&b, 19, r), "run {r}");
    }
    let zero = scenario(&LEARNING_FRONT.replace("drift_sd = 0.1", "drift_sd = 0.0"));
    let none = scenario(&LEARNING_FRONT.replace(", drift_sd = 0.1", ""));
    let learning = scenario(LEARNING_FRONT);
    let mut differ = 0;
    for r in 0..100 {
        let z = simulate(&zero, 11, r);
        assert_eq!(z, simulate(&none, 11, r), "run {r}");
        differ += usize::from(z != simulate(&learning, 11, r));
    }
    assert!(differ > 50, "learning changed only {differ} of 100 runs");
}
