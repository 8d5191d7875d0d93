//! Quota games with more coalitions than the engine lists (`docs/model.md` §3, "Coalitions beyond
//! the listing cap"): the proposer mixes over coalitions by a conditional-Poisson distribution,
//! so the equilibrium map is continuous and the logit path reaches the scenario's temperature.
//! Files in `tests/scenarios/` (synthetic, each with its rule in its header).

use armistice::scenario::Scenario;
use armistice::sim::run::{FirstRound, expected_params, first_round};
use std::path::Path;

fn solve(file: &str) -> (Scenario, FirstRound) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios").join(file);
    let s = Scenario::load(&path).unwrap_or_else(|e| panic!("{file}: {e:?}"));
    let f = first_round(&s, expected_params(&s));
    (s, f)
}

/// Reaches the file's temperature and solves there to the solver's tolerance (1e-10).
fn solved(file: &str, f: &FirstRound, tau: f64) {
    assert_eq!(f.tau, tau, "{file}: the path stopped at temperature {}", f.tau);
    assert!(f.converged && f.residual <= 1e-10, "{file}: residual {}", f.residual);
}

/// Per proposer state, P(actor j is in the coalition): the offers' probabilities times, for a
/// drawn member, its inclusion probability.
fn inclusion(f: &FirstRound, s: usize, n: usize) -> Vec<f64> {
    (0..n)
        .map(|j| {
            f.choices[s].offers.iter().fold(0.0, |a, o| {
                if o.needed & (1 << j) != 0 {
                    return a + o.prob;
                }
                let c = o.coalition.as_ref();
                let p = c.and_then(|c| c.pool.iter().position(|&i| i == j).map(|x| c.inclusion[x]));
                a + o.prob * p.unwrap_or(0.0)
            })
        })
        .collect()
}

#[test]
fn twenty_six_actors_solve_to_the_target_temperature() {
    // C(25, 13) = 5,200,300 coalitions per package and proposer
    let (_, f) = solve("spatial-26-majority.toml");
    solved("spatial-26-majority.toml", &f, 0.01);
    let n = 26;
    for s in 0..f.proposer.len() {
        // every offer needs 13 responders: inclusion sums to 13 × P(offer)
        let p = inclusion(&f, s, n);
        let offered = 1.0 - f.choices[s].pass;
        let total: f64 = p.iter().sum();
        assert!(
            (total - 13.0 * offered).abs() < 1e-9,
            "state {s}: {total} vs {}",
            13.0 * offered
        );
        assert!(f.choices[s].offers.iter().all(|o| o.coalition.is_some()));
    }
}

#[test]
fn a_symmetric_quota_game_beyond_the_cap_has_a_symmetric_equilibrium() {
    // 17 actors on a circle, quota 10: C(16, 9) = 11,440 coalitions per proposer. The game is
    // invariant under turning the circle, so every ex-ante value is the same, and a proposer's
    // responders at distance d on either side are in its coalition equally often. (The old rule,
    // the 9 most likely to accept with ties by actor order, breaks the tie at distance 5 one way.)
    let (_, f) = solve("cyclic-17-majority.toml");
    solved("cyclic-17-majority.toml", &f, 0.01);
    let n = 17;
    let v: Vec<f64> = (0..n)
        .map(|i| (0..n).map(|s| f.weights[s] * f.values[s * n + i]).sum())
        .collect();
    for (i, vi) in v.iter().enumerate() {
        assert!((vi - v[0]).abs() < 1e-9, "v[{i}] = {vi}, v[0] = {}", v[0]);
    }
    for s in 0..n {
        let k = f.proposer[s];
        let p = inclusion(&f, s, n);
        for d in 1..=8 {
            let (a, b) = ((k + d) % n, (k + n - d) % n);
            assert!(
                (p[a] - p[b]).abs() < 1e-9,
                "proposer {k}, distance {d}: {} vs {}",
                p[a],
                p[b]
            );
        }
        let total: f64 = p.iter().sum();
        let offered = 1.0 - f.choices[s].pass;
        assert!((total - 9.0 * offered).abs() < 1e-9);
    }
}
