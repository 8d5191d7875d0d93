//! Bringing your own negotiation (issue 18): reservation values (the value of no agreement) in
//! the solver, the simulation and every baseline; outside options in the baselines' disagreement
//! point; option ids scoped by their issue.

// packages are enumerated by option index, parallel over issues
#![allow(clippy::needless_range_loop)]

use armistice::scenario::Scenario;
use armistice::scenario::stat::Stat;
use armistice::sim::run::{expected_params, first_round};
use armistice::solve::baselines::baselines;
use std::path::Path;

const DOMAIN: &str = "tests/scenarios/byo-reservation.toml";

fn load(path: &str) -> Scenario {
    Scenario::load(Path::new(path)).unwrap_or_else(|e| panic!("{path}: {e:?}"))
}

fn from_text(text: &str) -> Result<Scenario, armistice::scenario::ScenarioError> {
    Scenario::from_bytes(Path::new("byo.toml"), text.as_bytes())
}

/// Utilities of the domain file, copied here: per actor, saliences and per-issue option values.
const SAL: [[f64; 4]; 2] = [[0.4, 0.2, 0.3, 0.1], [0.5, 0.2, 0.2, 0.1]];
const UTIL: [[&[f64]; 4]; 2] = [
    [&[1.0, 0.7, 0.4, 0.0], &[0.2, 0.6, 1.0], &[0.0, 0.6, 1.0], &[0.0, 1.0]],
    [&[0.0, 0.45, 0.8, 1.0], &[1.0, 0.5, 0.0], &[1.0, 0.5, 0.0], &[1.0, 0.3]],
];
const IDS: [&[&str]; 4] = [
    &["p1", "p2", "p3", "p4"],
    &["slow", "normal", "fast"],
    &["none", "1y", "2y"],
    &["none", "training"],
];

/// Every package of the domain with both actors' values, by brute force.
#[allow(clippy::needless_range_loop)] // four nested issue indices read best as indices
fn packages() -> Vec<(Vec<&'static str>, [f64; 2])> {
    let mut out = vec![];
    for a in 0..4 {
        for b in 0..3 {
            for c in 0..3 {
                for d in 0..2 {
                    let o = [a, b, c, d];
                    let u = |i: usize| (0..4).map(|k| SAL[i][k] * UTIL[i][k][o[k]]).sum::<f64>();
                    out.push((vec![IDS[0][a], IDS[1][b], IDS[2][c], IDS[3][d]], [u(0), u(1)]));
                }
            }
        }
    }
    out
}

/// The Nash package by brute force: the maximum of `Π (u_i − d_i)` over packages with `u_i ≥ d_i`.
fn brute_nash(d: [f64; 2]) -> Vec<&'static str> {
    packages()
        .into_iter()
        .filter(|(_, u)| u[0] >= d[0] && u[1] >= d[1])
        .max_by(|x, y| ((x.1[0] - d[0]) * (x.1[1] - d[1])).total_cmp(&((y.1[0] - d[0]) * (y.1[1] - d[1]))))
        .map(|p| p.0)
        .expect("some package beats disagreement")
}

/// The Kalai–Smorodinsky package by brute force: the maximum of `min_i (u_i − d_i)/(I_i − d_i)`.
fn brute_ks(d: [f64; 2]) -> Vec<&'static str> {
    let ir: Vec<_> = packages()
        .into_iter()
        .filter(|(_, u)| u[0] >= d[0] && u[1] >= d[1])
        .collect();
    let ideal = [0, 1].map(|i| ir.iter().map(|p| p.1[i]).fold(f64::MIN, f64::max));
    let r = |u: [f64; 2]| ((u[0] - d[0]) / (ideal[0] - d[0])).min((u[1] - d[1]) / (ideal[1] - d[1]));
    ir.into_iter()
        .max_by(|x, y| r(x.1).total_cmp(&r(y.1)))
        .map(|p| p.0)
        .expect("some package beats disagreement")
}

#[test]
fn the_baselines_disagree_at_the_reservation_values() {
    let s = load(DOMAIN);
    let b = baselines(&s);
    // no war, no war cost: the value of never agreeing is the reservation value, exactly
    assert_eq!(b.disagreement, vec![0.5, 0.2]);
    let rv = [0.5, 0.2];
    assert_eq!(b.nash, brute_nash(rv));
    assert_eq!(b.kalai_smorodinsky, brute_ks(rv));
    // the reservation values matter: with a disagreement point of 0 both answers differ
    assert_ne!(brute_nash(rv), brute_nash([0.0, 0.0]));
    assert_ne!(brute_ks(rv), brute_ks([0.0, 0.0]));
}

#[test]
fn an_outside_option_raises_the_baselines_disagreement_point() {
    // seller: reservation value 0.2, outside option 0.5; buyer: no reservation value (its value of
    // no agreement is 0), outside option 0.2
    let text = std::fs::read_to_string(DOMAIN)
        .unwrap()
        .replace(
            "reservation_value = 0.2",
            "reservation_value = 0.2\noutside_option = 0.5",
        )
        .replace("reservation_value = 0.5\n", "outside_option = 0.2\nwar_utility = {}\n");
    let s = from_text(&text.replace(
        "war_utility = {}\n",
        "war_utility = { price = 0.0, delivery = 0.0, warranty = 0.0, extras = 0.0 }\n",
    ))
    .unwrap_or_else(|e| panic!("{e:?}"));
    let b = baselines(&s);
    assert_eq!(b.disagreement, vec![0.2, 0.5]);
    assert_eq!(b.nash, brute_nash([0.2, 0.5]));
    assert_eq!(b.kalai_smorodinsky, brute_ks([0.2, 0.5]));
    assert_ne!(brute_nash([0.2, 0.5]), brute_nash([0.0, 0.0]));
}

/// The toy of the oracle suite with outside options of 0.5 for both actors: the disagreement
/// point is 0.5, not the 0 it was when outside options were ignored.
#[test]
fn outside_options_enter_the_disagreement_point_of_a_war_scenario() {
    let text = std::fs::read_to_string("scenarios/classic/two-party-toy.toml")
        .unwrap()
        .replace("veto = true\n", "veto = true\noutside_option = 0.5\n");
    let s = from_text(&text).unwrap_or_else(|e| panic!("{e:?}"));
    let plain =
        baselines(&from_text(&std::fs::read_to_string("scenarios/classic/two-party-toy.toml").unwrap()).unwrap());
    let b = baselines(&s);
    for i in 0..2 {
        assert!(
            plain.disagreement[i] < 0.5,
            "the war is worth less than 0.5 to actor {i}"
        );
        assert_eq!(b.disagreement[i], 0.5);
    }
}

#[test]
fn the_solver_never_values_no_deal_below_the_reservation_value() {
    let s = load(DOMAIN);
    let f = first_round(&s, expected_params(&s));
    assert!(f.converged);
    let rv = [0.5, 0.2];
    for r in &f.reservation {
        for i in 0..2 {
            assert!(r[i] >= rv[i] - 1e-12, "reservation value {} below {}", r[i], rv[i]);
        }
    }
}

/// Rubinstein (1982) with disagreement point `r`: shifting payoffs by `r` gives the textbook game
/// over the surplus `1 − r_A − r_B` with effective discounts `δ_i (1 − λ)` (Binmore, Rubinstein and
/// Wolinsky 1986), so the first proposer gets `r_A + (1 − δ_B')/(1 − δ_A' δ_B') · (1 − r_A − r_B)`.
#[test]
fn rv_rub_the_rubinstein_split_of_the_surplus_above_the_reservation_values() {
    for (ra, rb, da, db, l) in [
        (0.2, 0.1, 0.9, 0.8, 0.0),
        (0.3, 0.25, 0.95, 0.9, 0.1),
        (0.0, 0.4, 0.9, 0.9, 0.05),
    ] {
        let text = format!(
            "[scenario]\nid = \"rv-rub\"\ntitle = \"t\"\nas_of = 2025-01-01\nround_length = \"1 month\"\nhorizon = 40\n\
             [protocol]\nrecognition = \"alternating\"\ntemperature = 0.0\nbreakdown = {l}\n\
             [[issue]]\nid = \"pie\"\nkind = \"divisible\"\nbetween = [\"A\", \"B\"]\n\
             [[actor]]\nid = \"A\"\ndiscount = {da}\nreservation_value = {ra}\nsalience = {{ pie = 1.0 }}\n\
             [[actor]]\nid = \"B\"\ndiscount = {db}\nreservation_value = {rb}\nsalience = {{ pie = 1.0 }}\n"
        );
        let mut s = from_text(&text).unwrap_or_else(|e| panic!("{e:?}"));
        s.protocol.solver_tolerance = 1e-12;
        let f = first_round(&s, expected_params(&s));
        assert!(f.converged);
        let (ea, eb) = (da * (1.0 - l), db * (1.0 - l));
        let x1 = ra + (1.0 - eb) / (1.0 - ea * eb) * (1.0 - ra - rb);
        let shares = f.choices[0].offers[0].shares.as_ref().expect("a split");
        assert!(
            (shares[0] - x1).abs() < 1e-9,
            "RV-RUB {ra} {rb} {da} {db} {l}: A's share {} want {x1}",
            shares[0]
        );
        assert!(
            (f.values[0] - x1).abs() < 1e-9,
            "RV-RUB: A's value {} want {x1}",
            f.values[0]
        );
        // B, responding, is held to its reservation value of the game: more than r_B
        assert!(f.reservation[0][1] > rb);
    }
}

/// A run in which no package is acceptable to both pays each actor exactly its reservation value
/// (flows up to the horizon plus the value of continuing): never agreeing is worth `r`.
#[test]
fn a_run_without_agreement_pays_the_reservation_value() {
    let text = std::fs::read_to_string(DOMAIN)
        .unwrap()
        .replace("reservation_value = 0.5", "reservation_value = 0.95")
        .replace("reservation_value = 0.2", "reservation_value = 0.9");
    let s = from_text(&text).unwrap();
    for run in 0..20 {
        let r = armistice::sim::run::simulate(&s, 1, run);
        assert_eq!(r.round, None, "no agreement");
        assert!((r.payoff[0] - 0.95).abs() < 1e-9, "{:?}", r.payoff);
        assert!((r.payoff[1] - 0.9).abs() < 1e-9, "{:?}", r.payoff);
    }
}

// ── Option ids scoped by their issue ───────────────────────────────────────────────────────────

#[test]
fn options_of_different_issues_may_share_an_id_and_are_named_by_issue() {
    let s = load(DOMAIN);
    let warranty = 2;
    let extras = 3;
    assert_eq!(s.issues[warranty].options[0].id, "none");
    assert_eq!(s.issues[extras].options[0].id, "none");
    // red_lines = [{ issue = "warranty", options = ["warranty.none"] }]
    assert_eq!(s.actors[0].red_lines[0].options, vec![0]);
    assert_eq!(s.actors[0].red_lines[0].issue, warranty);
    // unless = { options = ["extras.none"] }
    assert_eq!(s.actors[1].red_lines[0].unless.options, vec![(extras, 0)]);
    // outputs name an option by its bare id when it is unique, else with its issue
    assert_eq!(s.option_name(extras, 0), "extras.none");
    assert_eq!(s.option_name(extras, 1), "training");
}

#[test]
fn an_ambiguous_bare_option_id_is_a_located_error_with_the_candidates() {
    let text = std::fs::read_to_string(DOMAIN)
        .unwrap()
        .replace("[\"extras.none\"]", "[\"none\"]");
    let e = from_text(&text).unwrap_err();
    assert_eq!(e.diagnostics.len(), 1, "{e:?}");
    let d = &e.diagnostics[0];
    assert!(
        d.message.contains("`none` is ambiguous") && d.message.contains("`warranty.none` or `extras.none`"),
        "{}",
        d.message
    );
    let at = text.find("[\"none\"]").unwrap() + 1;
    assert_eq!(d.span.clone().unwrap().start, at);
}

#[test]
fn stat_names_take_scoped_and_unique_bare_option_ids() {
    let s = load(DOMAIN);
    let name = |t: &str| Stat::parse(t, &s).map(|x| x.name()).map_err(|e| e.to_string());
    assert_eq!(name("option:extras.none").unwrap(), "option:extras.none");
    assert_eq!(name("option:training").unwrap(), "option:extras.training");
    assert_eq!(name("option:fast").unwrap(), "option:delivery.fast");
    let e = name("option:none").unwrap_err();
    assert!(e.contains("option:warranty.none or option:extras.none"), "{e}");
}

/// `a.b.c` can be option `b.c` of issue `a` or option `c` of issue `a.b`: the loader refuses the
/// pair (no reference could tell them apart) and names both.
#[test]
fn two_options_with_the_same_scoped_form_are_refused() {
    let text = std::fs::read_to_string(DOMAIN)
        .unwrap()
        .replace(
            "id = \"delivery\"\noptions = [{ id = \"slow\" }",
            "id = \"a.b\"\noptions = [{ id = \"c\" }",
        )
        .replace(
            "id = \"extras\"\noptions = [{ id = \"none\" }",
            "id = \"a\"\noptions = [{ id = \"b.c\" }",
        )
        .replace("delivery = ", "\"a.b\" = ")
        .replace("extras = ", "a = ")
        .replace("\"extras.none\"", "\"a.training\"");
    let e = from_text(&text).unwrap_err();
    assert!(
        e.diagnostics.iter().any(|d| d.message.contains("are both `a.b.c`")),
        "{e:?}"
    );
}

// ── Numbers as people read them ────────────────────────────────────────────────────────────────

/// A number with 15 or more significant digits that ends in a run of 0s or 9s and one more
/// digit: arithmetic noise around a short decimal (0.5000000000000001, 1.9999999999999998).
fn noisy(json: &str) -> Vec<String> {
    let mut out = vec![];
    for tok in json.split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-')) {
        if let Some((_, frac)) = tok.split_once('.')
            && frac.len() >= 14
            && (frac[..frac.len() - 1].ends_with("000000000") || frac[..frac.len() - 1].ends_with("999999999"))
        {
            out.push(tok.to_string());
        }
    }
    out
}

#[test]
fn bdm_numbers_and_weighted_means_carry_no_arithmetic_noise() {
    for file in [
        "scenarios/ukraine-2025-08.toml",
        "scenarios/classic/bdm-eu-emissions.toml",
        DOMAIN,
    ] {
        let v = armistice::report::solve::solve_view(&load(file));
        let json = serde_json::to_string(&(&v.bdm, &v.baselines.weighted_mean)).unwrap();
        assert!(noisy(&json).is_empty(), "{file}: {:?}", noisy(&json));
        assert!(
            json.contains("0.5") || json.contains("2.0"),
            "{file}: the test sees numbers"
        );
    }
    assert_eq!(
        noisy("[0.5000000000000001, 1.9999999999999998, 0.6147272785428062]").len(),
        2
    );
}

#[test]
fn check_says_what_the_saliences_sum_to() {
    let text = std::fs::read_to_string(DOMAIN).unwrap().replace(
        "salience = { price = 0.5, delivery = 0.2, warranty = 0.2, extras = 0.1 }",
        "salience = { price = 0.5, delivery = 0.2, warranty = 0.2, extras = 0.0999 }",
    );
    let s = from_text(&text).unwrap();
    assert!(
        s.warnings.iter().any(|w| w.contains("sum to 0.9999, not 1")),
        "{:?}",
        s.warnings
    );
}
