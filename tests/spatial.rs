//! Spatial issues (`docs/model.md` §1, "Spatial issues"): options and utilities expanded from a
//! scale and positions, checked against the closed forms; the non-additive Euclidean term of a
//! group; the weighted mean and median read from the positions (the published EU figure); the
//! Nash package of a group against a brute-force computation.

use armistice::model::PackageSet;
use armistice::model::params::expected_params;
use armistice::scenario::Scenario;
use armistice::solve::baselines::baselines;
use std::path::Path;

fn load(text: &str) -> Scenario {
    Scenario::from_bytes(Path::new("spatial.toml"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

const HEAD: &str = r#"
[scenario]
id = "spatial"
title = "t"
as_of = 2025-01-01
round_length = "1 month"
horizon = 12
[protocol]
breakdown = 0.0
"#;

/// Two actors on one issue `x` on [0, 100] with `extra` issue keys.
fn one_issue(extra: &str) -> Scenario {
    load(&format!(
        r#"{HEAD}
[[issue]]
id = "x"
scale = [0, 100]
{extra}
[[actor]]
id = "A"
discount = 0.9
salience = {{ x = 1 }}
war_utility = {{ x = 0 }}
position = {{ x = 100 }}
capability = 3
[[actor]]
id = "B"
discount = 0.9
salience = {{ x = 1 }}
war_utility = {{ x = 0 }}
position = {{ x = 80 }}
"#
    ))
}

fn utilities(s: &Scenario, actor: usize, issue: usize) -> Vec<f64> {
    s.actors[actor].utility[issue].iter().map(|d| d.mean()).collect()
}

fn close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len(), "{a:?} vs {b:?}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() < 1e-12, "{a:?} vs {b:?}");
    }
}

#[test]
fn a_grid_gives_evenly_spaced_options_and_linear_loss_utilities() {
    let s = one_issue("grid = 3");
    let ids: Vec<&str> = s.issues[0].options.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["x_0", "x_50", "x_100"]);
    // 1 − |x − p|/100
    close(&utilities(&s, 0, 0), &[0.0, 0.5, 1.0]);
    close(&utilities(&s, 1, 0), &[0.2, 0.7, 0.8]);
}

#[test]
fn quadratic_loss_and_a_step() {
    let s = one_issue("step = 25\nloss = \"quadratic\"");
    let labels: Vec<&str> = s.issues[0].options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["0", "25", "50", "75", "100"]);
    // 1 − ((x − 80)/100)²
    let b: Vec<f64> = [0.0, 25.0, 50.0, 75.0, 100.0]
        .iter()
        .map(|x: &f64| 1.0 - ((x - 80.0) / 100.0).powi(2))
        .collect();
    close(&utilities(&s, 1, 0), &b);
}

#[test]
fn without_a_grid_the_options_are_the_positions() {
    let s = one_issue("");
    let ids: Vec<&str> = s.issues[0].options.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, ["x_80", "x_100"]);
    close(&utilities(&s, 0, 0), &[0.8, 1.0]);
}

#[test]
fn capability_is_the_recognition_weight_unless_one_is_given() {
    let s = one_issue("grid = 3");
    assert_eq!(s.actors[0].recognition.mean(), 3.0);
    assert_eq!(
        s.actors[1].recognition.mean(),
        1.0,
        "no capability: the default recognition"
    );
    assert_eq!(s.spatial.capability, vec![Some(3.0), None]);
}

/// Two grouped dimensions x, y on [0, 100], grid 5 each; A at (0, 0) with saliences 0.5/0.5 and
/// B at (100, 60) with 0.3/0.7.
fn grouped(loss: &str) -> Scenario {
    load(&format!(
        r#"{HEAD}
[[issue]]
id = "x"
scale = [0, 100]
grid = 5
group = "policy"
loss = "{loss}"
[[issue]]
id = "y"
scale = [0, 100]
grid = 5
group = "policy"
loss = "{loss}"
[[actor]]
id = "A"
discount = 0.9
salience = {{ x = 0.5, y = 0.5 }}
war_utility = {{ x = 0, y = 0 }}
position = {{ x = 0, y = 0 }}
[[actor]]
id = "B"
discount = 0.9
salience = {{ x = 0.3, y = 0.7 }}
war_utility = {{ x = 0, y = 0 }}
position = {{ x = 100, y = 60 }}
"#
    ))
}

/// The closed form: `1 − sqrt(Σ_d ŝ_d ((x_d − p_d)/100)²)` with saliences summing to 1.
fn euclid(x: [f64; 2], p: [f64; 2], s: [f64; 2]) -> f64 {
    1.0 - (s[0] * ((x[0] - p[0]) / 100.0).powi(2) + s[1] * ((x[1] - p[1]) / 100.0).powi(2)).sqrt()
}

#[test]
fn a_group_shares_one_euclidean_distance_in_the_package_values() {
    let s = grouped("linear");
    assert_eq!(s.spatial.groups.len(), 1);
    let set = PackageSet::build(&s, &expected_params(&s));
    assert_eq!(set.len(), 25);
    let grid = [0.0, 25.0, 50.0, 75.0, 100.0];
    for z in 0..set.len() {
        let o = set.opts(z);
        let x = [grid[o[0] as usize], grid[o[1] as usize]];
        let ua = euclid(x, [0.0, 0.0], [0.5, 0.5]);
        let ub = euclid(x, [100.0, 60.0], [0.3, 0.7]);
        assert!((set.u(z, 0) - ua).abs() < 1e-12, "A at {x:?}: {} vs {ua}", set.u(z, 0));
        assert!((set.u(z, 1) - ub).abs() < 1e-12, "B at {x:?}: {} vs {ub}", set.u(z, 1));
    }
    // not additive: the far end of x and A's own point on y costs A sqrt(1/2), not 1/2
    let z = (0..set.len()).find(|&z| set.opts(z) == [4, 0]).expect("package");
    assert!((set.u(z, 0) - (1.0 - 0.5f64.sqrt())).abs() < 1e-12);
}

#[test]
fn a_quadratic_group_is_additive() {
    let s = grouped("quadratic");
    assert!(s.spatial.groups.is_empty(), "a quadratic group adds no term");
    let set = PackageSet::build(&s, &expected_params(&s));
    let z = (0..set.len()).find(|&z| set.opts(z) == [4, 0]).expect("package");
    assert!((set.u(z, 0) - 0.5).abs() < 1e-12, "0.5 · (1 − 1) + 0.5 · 1");
}

#[test]
fn the_nash_package_of_a_group_matches_a_brute_force_search() {
    let s = grouped("linear");
    let grid = [0.0, 25.0, 50.0, 75.0, 100.0];
    // disagreement: war utilities 0, no war cost, no breakdown → d = 0 for both
    let mut best = (f64::NEG_INFINITY, [0, 0]);
    for i in 0..5 {
        for j in 0..5 {
            let x = [grid[i], grid[j]];
            let (ua, ub) = (euclid(x, [0.0, 0.0], [0.5, 0.5]), euclid(x, [100.0, 60.0], [0.3, 0.7]));
            if ua > 0.0 && ub > 0.0 && ua * ub > best.0 {
                best = (ua * ub, [i, j]);
            }
        }
    }
    let want = vec![format!("x_{}", grid[best.1[0]]), format!("y_{}", grid[best.1[1]])];
    assert_eq!(baselines(&s).nash, want);
}

#[test]
fn the_weighted_mean_and_median_read_the_positions_eu_emissions() {
    // Bueno de Mesquita (1994) p. 78 / Scholz, Calbert and Smith (2011) Table 1: weighted mean
    // 7.390 and median 7 on the paper's scale 4..10
    let s = Scenario::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/classic/bdm-eu-emissions-spatial.toml"
    )))
    .unwrap_or_else(|e| panic!("{e}"));
    let b = baselines(&s);
    let sp = b.spatial.expect("spatial baselines");
    let (id, mm) = &sp.issues[0];
    assert_eq!(id, "year");
    let (mean, median) = mm.expect("weights");
    assert!((mean - 7.390).abs() < 0.0005, "weighted mean {mean}");
    assert_eq!(median, 7.0);
    // the powers are the capabilities, normalised
    assert!((sp.powers[0] - 0.08 / 1.01).abs() < 1e-12, "{:?}", sp.powers);
}
