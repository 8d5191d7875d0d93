//! Discrete private types (`types`, `docs/model.md` §3) beyond the oracles of
//! `tests/oracles.rs`: a discrete responder beside a continuous one on the same divisible issue,
//! and the run-level guarantees (same seed, same runs at any thread count).

use armistice::scenario::Scenario;
use armistice::sim::run::{expected_params, first_round};
use std::path::Path;

/// A proposes a split of a pie among A, B and C once; a rejection ends the talks (every
/// breakdown value 0, so every reservation value is 0). B's shock is 0.1 or 0.3 with probability
/// 1/2 each; C's is uniform on [−0.5, 0.5].
const MIXED: &str = r#"
[scenario]
id = "mixed-types"
title = "A discrete and a uniform responder"
as_of = 2025-01-01
round_length = "1 month"
horizon = 1

[simulation]
runs = 4_000
seed = 11

[protocol]
recognition = ["A"]
breakdown = 1.0
temperature = 0.0

[[issue]]
id = "pie"
kind = "divisible"
among = ["A", "B", "C"]

[[actor]]
id = "A"
discount = 1.0
salience = { pie = 1.0 }

[[actor]]
id = "B"
discount = 1.0
salience = { pie = 1.0 }
types = [{ shock = 0.1, p = 0.5 }, { shock = 0.3, p = 0.5 }]

[[actor]]
id = "C"
discount = 1.0
noise = 0.5
salience = { pie = 1.0 }
"#;

fn mixed() -> Scenario {
    Scenario::from_bytes(Path::new("mixed-types.toml"), MIXED.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn discrete_beside_uniform_responder() {
    // A maximises F_B(y_B) F_C(y_C) (1 − y_B − y_C): with y_B = 0.3 (both of B's types accept)
    // the best y_C maximises (y_C + 0.5)(0.7 − y_C), y_C = 0.1, worth 0.36; with y_B = 0.1 (only
    // B's first type) 0.5 (y_C + 0.5)(0.9 − y_C) is at most 0.245 (y_C = 0.2)
    let s = mixed();
    let f = first_round(&s, expected_params(&s));
    assert!(f.converged);
    let o = &f.choices[0].offers;
    assert_eq!(o.len(), 1);
    let y = o[0].shares.as_ref().expect("split");
    assert!((y[1] - 0.3).abs() < 1e-12, "B's share {}", y[1]);
    assert!((y[2] - 0.1).abs() < 1e-6, "C's share {}", y[2]);
    assert!((o[0].accept - 0.6).abs() < 1e-6, "P {}", o[0].accept);
}

#[test]
fn same_seed_same_runs_at_any_thread_count() {
    use rayon::prelude::*;
    let s = mixed();
    let one: Vec<_> = (0..500).map(|r| armistice::sim::run::simulate(&s, 11, r)).collect();
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let two: Vec<_> = pool.install(|| {
        (0..500)
            .into_par_iter()
            .map(|r| armistice::sim::run::simulate(&s, 11, r))
            .collect()
    });
    for (a, b) in one.iter().zip(&two) {
        assert_eq!(a.outcome, b.outcome);
        assert_eq!(a.payoff, b.payoff);
        assert_eq!(a.shares, b.shares);
    }
    // y_B = 0.3 meets both of B's types, so war comes from C alone, with probability
    // 1 − F_C(0.1) = 0.4 (4 standard errors)
    let war = one
        .iter()
        .filter(|r| r.outcome == armistice::sim::Outcome::Breakdown)
        .count();
    let (p, n) = (0.4, one.len() as f64);
    let se = (p * (1.0 - p) / n).sqrt();
    assert!(
        ((war as f64 / n) - p).abs() <= 4.0 * se,
        "P(war) {} vs {p}",
        war as f64 / n
    );
}
