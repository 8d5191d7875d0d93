//! Package spaces beyond the former limit of 200,000 packages (`docs/model.md` §1, §3, §6): a
//! two-party domain of 10^6 packages loads, and its baselines agree with a brute-force
//! computation over every package; the Pareto count is exact on a 188,160-package domain; the
//! Nash split of a linear pie is exact; and the first-round equilibrium of the 10^6 domain
//! (release builds only: a few seconds there, minutes in a debug build) solves.

use armistice::scenario::Scenario;
use armistice::solve::baselines::baselines;
use std::path::Path;

const BIG: &str = include_str!("scenarios/big-domain-6x10.toml");
const PIE: &str = include_str!("scenarios/nbs-pie-only.toml");

fn scenario(name: &str, text: &str) -> Scenario {
    Scenario::from_bytes(Path::new(name), text.as_bytes()).expect("valid test scenario")
}

/// Every package's expected value to every actor, by brute force from the scenario: saliences
/// at their means normalised to sum to 1, utilities at their means, plus the agreement bonus;
/// packages by id (first issue most significant).
fn values(s: &Scenario) -> Vec<Vec<f64>> {
    let n = s.actors.len();
    let sal: Vec<Vec<f64>> = s
        .actors
        .iter()
        .map(|a| {
            let w: Vec<f64> = a.salience.iter().map(|d| d.mean().max(0.0)).collect();
            let t: f64 = w.iter().sum();
            w.iter().map(|x| x / t).collect()
        })
        .collect();
    let radix: Vec<usize> = s.issues.iter().map(|i| i.options.len()).collect();
    let space: usize = radix.iter().product();
    (0..space)
        .map(|id| {
            let mut opts = vec![0; radix.len()];
            let mut rest = id;
            for k in (0..radix.len()).rev() {
                opts[k] = rest % radix[k];
                rest /= radix[k];
            }
            (0..n)
                .map(|i| {
                    let a = &s.actors[i];
                    (0..radix.len())
                        .map(|k| sal[i][k] * a.utility[k][opts[k]].mean())
                        .sum::<f64>()
                        + a.agreement_bonus.mean()
                })
                .collect()
        })
        .collect()
}

fn name(s: &Scenario, id: usize) -> Vec<String> {
    armistice::model::package::decode(s, id as u64)
        .iter()
        .enumerate()
        .map(|(k, &o)| s.issues[k].options[o].id.clone())
        .collect()
}

/// The Pareto count by brute force: a package counts unless another is at least as good for
/// every actor and better for one. A package that dominates z is at least as good for the first
/// actor, so z is held against those packages only, nearest in the first actor's value first (so
/// that the search for a dominating package ends early).
fn pareto_brute(v: &[Vec<f64>]) -> usize {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[b][0].total_cmp(&v[a][0]));
    let mut count = 0;
    let mut end = 0;
    for p in 0..order.len() {
        let z = order[p];
        // order[..end]: every package at least as good as z for the first actor
        end = end.max(p + 1);
        while end < order.len() && v[order[end]][0] >= v[z][0] {
            end += 1;
        }
        let dominated = order[..end].iter().rev().any(|&y| {
            y != z && v[y].iter().zip(&v[z]).all(|(a, b)| a >= b) && v[y].iter().zip(&v[z]).any(|(a, b)| a > b)
        });
        count += usize::from(!dominated);
    }
    count
}

/// 10^6 packages: `check` accepts the file (the former limit refused it), and the Nash and
/// Kalai–Smorodinsky packages and the Pareto count equal a brute-force computation over every
/// package with the baselines' disagreement values.
#[test]
fn million_package_baselines_match_brute_force() {
    let s = scenario("big-domain-6x10.toml", BIG);
    assert_eq!(s.package_space(), 1_000_000);
    let b = baselines(&s);
    let d = &b.disagreement;
    let v = values(&s);
    let ir: Vec<usize> = (0..v.len()).filter(|&z| (0..2).all(|i| v[z][i] > d[i])).collect();
    assert!(ir.len() > 100_000, "{}", ir.len());
    // Nash: the largest product of gains, the lowest id among ties
    let mut nash = ir[0];
    let gain = |z: usize| (v[z][0] - d[0]) * (v[z][1] - d[1]);
    for &z in &ir {
        if gain(z) > gain(nash) * (1.0 + 1e-15) {
            nash = z;
        }
    }
    // the product is not near a tie, so the log-sum and the product pick the same package
    let second = ir
        .iter()
        .filter(|&&z| z != nash)
        .map(|&z| gain(z))
        .fold(f64::NEG_INFINITY, f64::max);
    assert!(
        second < gain(nash) * (1.0 - 1e-9),
        "near tie: {second} vs {}",
        gain(nash)
    );
    assert_eq!(b.nash, name(&s, nash));
    // Kalai–Smorodinsky: the largest smaller ratio of gain to the ideal gain
    let ideal: Vec<f64> = (0..2)
        .map(|i| ir.iter().map(|&z| v[z][i]).fold(f64::NEG_INFINITY, f64::max))
        .collect();
    let ratio = |z: usize| ((v[z][0] - d[0]) / (ideal[0] - d[0])).min((v[z][1] - d[1]) / (ideal[1] - d[1]));
    let ks = ir
        .iter()
        .copied()
        .max_by(|&a, &b| ratio(a).total_cmp(&ratio(b)).then(b.cmp(&a)))
        .expect("some package");
    assert_eq!(b.kalai_smorodinsky, name(&s, ks));
    assert_eq!(b.pareto_set_size, Some(pareto_brute(&v)));
    assert_eq!(b.pareto_not_computed, None);
}

/// A two-party domain of 7 issues with 7, 7, 8, 8, 5, 3 and 4 options (188,160 packages, where
/// the count used to print as 0): A values option o of an issue with r options at o/(r − 1) and
/// B at 1 − o/(r − 1), with saliences 7, 6, 5, 4, 3, 2, 1 (A) and 1, 2, ..., 7 (B); the Pareto
/// count equals the brute force.
#[test]
fn pareto_count_is_exact_at_188160_packages() {
    let radix = [7, 7, 8, 8, 5, 3, 4];
    let mut t = String::from(
        "[scenario]\nid = \"pareto-188160\"\ntitle = \"t\"\nas_of = 2025-01-01\nround_length = \"1 month\"\nhorizon = 4\n\n",
    );
    for (k, r) in radix.iter().enumerate() {
        let opts: Vec<String> = (0..*r).map(|o| format!("{{ id = \"i{k}o{o}\" }}")).collect();
        t += &format!(
            "[[issue]]\nid = \"i{k}\"\nwar_status_quo = \"i{k}o0\"\noptions = [{}]\n\n",
            opts.join(", ")
        );
    }
    for (a, rev) in [("A", false), ("B", true)] {
        let sal: Vec<String> = (0..7)
            .map(|k| format!("i{k} = {:?}", (if rev { k + 1 } else { 7 - k }) as f64))
            .collect();
        let util: Vec<String> = radix
            .iter()
            .enumerate()
            .map(|(k, &r)| {
                let u: Vec<String> = (0..r)
                    .map(|o| {
                        let x = o as f64 / (r - 1) as f64;
                        format!("{:?}", if rev { 1.0 - x } else { x })
                    })
                    .collect();
                format!("i{k} = [{}]", u.join(", "))
            })
            .collect();
        t += &format!(
            "[[actor]]\nid = \"{a}\"\nveto = true\ndiscount = 0.95\nwar_cost = 0.01\nsalience = {{ {} }}\nutility = {{ {} }}\n\n",
            sal.join(", "),
            util.join(", ")
        );
    }
    let s = scenario("pareto-188160.toml", &t);
    assert_eq!(s.package_space(), 188_160);
    let b = baselines(&s);
    let want = pareto_brute(&values(&s));
    assert!(want > 1, "{want}");
    assert_eq!(b.pareto_set_size, Some(want));
}

/// The Nash split of a linear pie with disagreement values (0.3, 0) is θ = 0.3 + (1 − 0.3)/2 =
/// 0.65 exactly (to 1e-12; a golden-section search stopped near 1e-8), and so is the weighted
/// split with equal discounting.
#[test]
fn nash_split_of_a_linear_pie_is_exact() {
    let s = scenario("nbs-pie-only.toml", PIE);
    let b = baselines(&s);
    assert!((b.disagreement[0] - 0.3).abs() < 1e-12, "{:?}", b.disagreement);
    let sp = b.split.expect("a divisible issue between two actors");
    let (_, theta) = sp.nash.expect("a Nash split");
    assert!((theta - 0.65).abs() < 1e-12, "{theta}");
    let (_, weighted) = sp.weighted_nash.expect("a weighted Nash split");
    assert!((weighted - 0.65).abs() < 1e-12, "{weighted}");
}

/// The first-round equilibrium of the 10^6 domain solves (the proposers' choices by the pruned
/// search) to the solver's tolerance.
#[test]
#[cfg_attr(debug_assertions, ignore = "minutes in a debug build: run with --release")]
fn million_package_domain_solves() {
    let s = scenario("big-domain-6x10.toml", BIG);
    let v = armistice::report::solve::solve_view(&s);
    assert_eq!(v.feasible_packages, 1_000_000);
    assert!(v.residual < 1e-9, "{}", v.residual);
}

/// Changing a package set's values in place forgets the live sets found for the old values
/// (a stale set could hold the wrong packages): `refresh_utility` clears the cache.
#[test]
fn refreshing_the_values_forgets_the_live_sets() {
    use armistice::model::live::LiveSet;
    use std::sync::Arc;
    let s = scenario("nbs-pie-only.toml", PIE);
    let p = armistice::model::params::expected_params(&s);
    let mut ps = armistice::model::PackageSet::build(&s, &p);
    ps.live.keep(
        Arc::new(LiveSet {
            proposer: 0,
            key: vec![],
            floor: vec![0.0; ps.n],
            packages: vec![0],
            needed: None,
        }),
        None,
    );
    assert_eq!(ps.live.len(), 1);
    ps.refresh_utility(&p);
    assert!(ps.live.is_empty());
}
