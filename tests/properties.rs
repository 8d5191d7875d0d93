//! Invariants that hold across parameters (issue 3), checked by proptest on generated scenarios:
//!
//! 1. choice probabilities sum to 1 (passing plus every offer), acceptance probabilities lie in
//!    [0, 1], and so do the outcome shares of simulated runs;
//! 2. in two-actor divisible bargaining, a higher own war cost or a lower own discount factor never
//!    raises one's share or value;
//! 3. when a divisible issue can compensate (linear values, interior split), the agreed ordinal
//!    option maximises the sum of the actors' valuations in units of the divisible good;
//! 4. adding a red line never raises the probability of agreement.

use armistice::scenario::Scenario;
use armistice::sim::Outcome;
use armistice::sim::run::{FirstRound, expected_params, first_round, simulate};
use proptest::prelude::*;
use std::path::Path;

/// The `[scenario]` table of every generated file.
const HEADER: &str = r#"
[scenario]
id = "prop"
title = "generated"
as_of = 2025-01-01
round_length = "1 month"
horizon = 8
"#;

fn load(text: &str) -> Scenario {
    Scenario::from_bytes(Path::new("generated.toml"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn solve(s: &Scenario) -> FirstRound {
    let f = first_round(s, expected_params(s));
    assert!(f.converged, "residual {}", f.residual);
    f
}

/// Two actors, two ordinal issues of three options, optional noise; weighted recognition.
fn ordinal(u: &[f64; 12], noise: f64, tau: f64, delta: f64, red_line: Option<usize>) -> String {
    let list = |x: &[f64]| x.iter().map(|v| format!("{v:.4}")).collect::<Vec<_>>().join(", ");
    let red = red_line.map_or(String::new(), |o| {
        format!("red_lines = [{{ issue = \"x\", options = [\"X{o}\"] }}]\n")
    });
    format!(
        r#"{HEADER}
[simulation]
runs = 40
seed = 3

[protocol]
temperature = {tau}

[[issue]]
id = "x"
war_status_quo = "X0"
options = [{{ id = "X0" }}, {{ id = "X1" }}, {{ id = "X2" }}]

[[issue]]
id = "y"
war_status_quo = "Y0"
options = [{{ id = "Y0" }}, {{ id = "Y1" }}, {{ id = "Y2" }}]

[[actor]]
id = "A"
discount = {delta}
war_cost = 0.01
noise = {noise}
salience = {{ x = 0.5, y = 0.5 }}
utility = {{ x = [{}], y = [{}] }}

[[actor]]
id = "B"
discount = {delta}
war_cost = 0.01
noise = {noise}
salience = {{ x = 0.5, y = 0.5 }}
utility = {{ x = [{}], y = [{}] }}
{red}"#,
        list(&u[0..3]),
        list(&u[3..6]),
        list(&u[6..9]),
        list(&u[9..12]),
    )
}

/// Two actors over a pie, with an optional ordinal issue valued `v` (A's three, then B's three)
/// at salience `so` beside the pie.
#[allow(clippy::too_many_arguments)]
fn divisible(da: f64, db: f64, ca: f64, cb: f64, noise_b: f64, so: f64, v: &[f64; 6]) -> String {
    let ord = if so > 0.0 {
        "\n[[issue]]\nid = \"x\"\nwar_status_quo = \"X0\"\noptions = [{ id = \"X0\" }, { id = \"X1\" }, { id = \"X2\" }]\n"
            .to_string()
    } else {
        String::new()
    };
    let (sa, ua, ub) = if so > 0.0 {
        (
            format!("{{ pie = {:.4}, x = {so:.4} }}", 1.0 - so),
            format!("utility = {{ x = [{:.4}, {:.4}, {:.4}] }}", v[0], v[1], v[2]),
            format!("utility = {{ x = [{:.4}, {:.4}, {:.4}] }}", v[3], v[4], v[5]),
        )
    } else {
        ("{ pie = 1.0 }".to_string(), String::new(), String::new())
    };
    format!(
        r#"{HEADER}
[protocol]
recognition = "alternating"
temperature = 0.0

[[issue]]
id = "pie"
kind = "divisible"
between = ["A", "B"]
{ord}
[[actor]]
id = "A"
discount = {da}
war_cost = {ca}
salience = {sa}
{ua}

[[actor]]
id = "B"
discount = {db}
war_cost = {cb}
noise = {noise_b}
salience = {sa}
{ub}
"#
    )
}

fn w(f: &FirstRound, state: usize, i: usize) -> f64 {
    let n = f.values.len() / f.proposer.len();
    f.values[state * n + i]
}

/// A's share in A's first offer and A's value when A and when B proposes.
fn a_outcome(s: &Scenario) -> (f64, f64, f64) {
    let f = solve(s);
    let share = f.choices[0]
        .offers
        .iter()
        .map(|o| o.prob * o.shares.as_ref().expect("split")[0])
        .sum::<f64>();
    (share, w(&f, 0, 0), w(&f, 1, 0))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// 1. Passing and every offer's probability sum to 1; P(accept) in [0, 1]; the simulated
    ///    outcomes are a partition of the runs.
    #[test]
    fn probabilities_sum_to_one(
        u in prop::array::uniform12(0.0f64..1.0),
        noise in 0.0f64..0.1,
        tau in prop_oneof![Just(0.0), 0.001f64..0.05],
        delta in 0.8f64..0.99,
    ) {
        let s = load(&ordinal(&u, noise, tau, delta, None));
        let f = solve(&s);
        for c in &f.choices {
            let total = c.pass + c.offers.iter().map(|o| o.prob).sum::<f64>();
            prop_assert!((total - 1.0).abs() < 1e-9, "choice probabilities sum to {total}");
            for o in &c.offers {
                prop_assert!((0.0..=1.0).contains(&o.accept) && o.prob >= 0.0);
            }
        }
        let weights: f64 = f.weights.iter().sum();
        prop_assert!((weights - 1.0).abs() < 1e-12);
        let runs: Vec<_> = (0..20).map(|r| simulate(&s, 1, r)).collect();
        let counted = Outcome::ALL
            .iter()
            .map(|o| runs.iter().filter(|r| r.outcome == *o).count())
            .sum::<usize>();
        prop_assert_eq!(counted, runs.len());
    }

    /// 2. A higher own war cost, or a lower own discount factor, never raises one's share of the
    ///    pie or one's value (alternating offers; B may have private noise).
    #[test]
    fn costlier_or_less_patient_never_gains(
        da in 0.6f64..0.98,
        db in 0.6f64..0.98,
        ca in 0.0f64..0.03,
        cb in 0.0f64..0.03,
        noise_b in prop_oneof![Just(0.0), 0.01f64..0.1],
        dc in 0.001f64..0.02,
        dd in 0.005f64..0.1,
    ) {
        let v = [0.0; 6];
        let base = a_outcome(&load(&divisible(da, db, ca, cb, noise_b, 0.0, &v)));
        let costlier = a_outcome(&load(&divisible(da, db, ca + dc, cb, noise_b, 0.0, &v)));
        let impatient = a_outcome(&load(&divisible(da - dd, db, ca, cb, noise_b, 0.0, &v)));
        for (what, changed) in [("war cost", costlier), ("discount", impatient)] {
            prop_assert!(changed.0 <= base.0 + 1e-9, "{what}: A's share {} > {}", changed.0, base.0);
            prop_assert!(changed.1 <= base.1 + 1e-9, "{what}: A's value {} > {}", changed.1, base.1);
            prop_assert!(changed.2 <= base.2 + 1e-9, "{what}: A's value when B proposes {} > {}", changed.2, base.2);
        }
    }

    /// 3. With a divisible issue that can compensate (linear values, interior split, no noise),
    ///    the agreed ordinal option maximises Σ_i s_i v_i(o) / w_i: the valuations in units of
    ///    the divisible good (transferable utility).
    #[test]
    fn agreed_options_maximise_the_sum_of_valuations(
        v in prop::array::uniform6(0.0f64..1.0),
        so in 0.05f64..0.3,
        da in 0.8f64..0.95,
        db in 0.8f64..0.95,
    ) {
        let s = load(&divisible(da, db, 0.0, 0.0, 0.0, so, &v));
        let f = solve(&s);
        let wp = 1.0 - so;
        let surplus = |o: usize| so * v[o] / wp + so * v[3 + o] / wp;
        let best = (0..3).map(surplus).fold(f64::NEG_INFINITY, f64::max);
        for c in &f.choices {
            for o in &c.offers {
                let x = o.shares.as_ref().expect("split");
                prop_assume!(x[0] > 1e-9 && x[1] > 1e-9);
                let opt = armistice::model::package::decode(&s, f.packages.ids[o.package])[1];
                prop_assert!(surplus(opt) >= best - 1e-9, "option X{opt}: {} < best {best}", surplus(opt));
            }
        }
    }

    /// 4. Adding a red line (binding in every run) never raises the probability of agreement:
    ///    the same runs (same seed, no private noise, exact best responses) agree no more often.
    #[test]
    fn a_red_line_never_raises_agreement(
        u in prop::array::uniform12(0.0f64..1.0),
        delta in 0.8f64..0.99,
        option in 0usize..3,
    ) {
        let without = load(&ordinal(&u, 0.0, 0.0, delta, None));
        let with = load(&ordinal(&u, 0.0, 0.0, delta, Some(option)));
        let agreed = |s: &Scenario| (0..40).filter(|&r| simulate(s, 5, r).outcome == Outcome::Agreement).count();
        let (a, b) = (agreed(&without), agreed(&with));
        prop_assert!(b <= a, "agreements rose from {a} to {b} with a red line on X{option}");
    }
}
