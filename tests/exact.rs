//! Exact τ = 0 stationary equilibria of quota games over a divisible good (`docs/model.md` §3,
//! "Exact best responses"): the repro files of issue 15 in `tests/scenarios/`, checked against
//! their closed forms.

use armistice::scenario::Scenario;
use armistice::sim::run::{FirstRound, expected_params, first_round};
use std::path::Path;

fn solve(file: &str) -> FirstRound {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios").join(file);
    let s = Scenario::load(&path).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    let f = first_round(&s, expected_params(&s));
    assert!(f.converged, "{file}: not converged, residual {}", f.residual);
    assert_eq!(f.tau, 0.0, "{file}: solved at temperature {} instead of 0", f.tau);
    f
}

fn n(f: &FirstRound) -> usize {
    f.values.len() / f.proposer.len()
}

/// Ex-ante values `v_i = Σ_s p_s W_s,i`.
fn ex_ante(f: &FirstRound) -> Vec<f64> {
    (0..n(f))
        .map(|i| {
            (0..f.proposer.len())
                .map(|s| f.weights[s] * f.values[s * n(f) + i])
                .sum()
        })
        .collect()
}

fn close(what: &str, got: f64, want: f64, tol: f64) {
    let err = (got - want).abs();
    assert!(
        err <= tol,
        "{what}: expected {want}, got {got} (error {err:e} > {tol:e})"
    );
}

#[test]
fn majority_with_unequal_discounts_is_exact_at_temperature_zero() {
    // Kawamori (2005): equal recognition, v_i = c/δ_i with c = 1/Σ 1/δ_j (Eraslan 2002: unique)
    let f = solve("majority-hetero-discounts.toml");
    let d = [0.92, 0.86, 0.97];
    let c = 1.0 / d.iter().map(|x| 1.0 / x).sum::<f64>();
    let v = ex_ante(&f);
    for i in 0..3 {
        close(&format!("v[{i}]"), v[i], c / d[i], 1e-12);
        // every vote costs c: the proposer keeps 1 − c
        close(&format!("proposer {i} keeps"), f.values[i * 3 + i], 1.0 - c, 1e-12);
    }
    assert!(f.residual <= 1e-12, "residual {}", f.residual);
}

#[test]
fn nine_player_baron_ferejohn_is_exact() {
    // Baron and Ferejohn (1989): 1/9 each; proposer 1 − 4δ/9, partner δ/9, inclusion 1/2
    let f = solve("bf-n9-q5-d0.99.toml");
    for v in ex_ante(&f) {
        close("v", v, 1.0 / 9.0, 1e-13);
    }
    for s in 0..9 {
        close("proposer keeps", f.values[s * 9 + s], 1.0 - 4.0 * 0.99 / 9.0, 1e-13);
    }
}
