//! The oracle suite: the closed-form results of bargaining theory listed in `docs/model.md` §7,
//! each with its numbers copied here and its paper cited, reproduced by the engine within the tolerance
//! the case states. Scenarios are under `tests/oracles/`; each case sets its numbers on a base
//! file with the same parameter paths that `armistice sweep --set` uses.

use armistice::analysis::variant;
use armistice::scenario::Scenario;
use armistice::sim::run::{FirstRound, expected_params, first_round};
use std::path::Path;

fn base(file: &str) -> Scenario {
    Scenario::load(&Path::new("tests/oracles").join(file)).unwrap_or_else(|e| panic!("{file}: {e:?}"))
}

fn with(file: &str, sets: &[(&str, f64)]) -> Scenario {
    variant(&base(file), sets).unwrap_or_else(|e| panic!("{file} {sets:?}: {e}"))
}

/// The first round on expected parameters, solved to the tightest residual the engine allows
/// (1e-12, max norm) when best responses are exact, so that closed forms can be checked at their
/// 1e-12 tolerance (`first_round` then polishes the values by Newton steps).
fn solve(s: &Scenario) -> FirstRound {
    let mut s = s.clone();
    if s.protocol.temperature == 0.0 {
        s.protocol.solver_tolerance = 1e-12;
    }
    let f = first_round(&s, expected_params(&s));
    assert!(f.converged, "not converged: residual {}", f.residual);
    f
}

/// Actor i's value when recognition state `state` proposes.
fn w(f: &FirstRound, state: usize, i: usize) -> f64 {
    let n = f.values.len() / f.proposer.len();
    f.values[state * n + i]
}

fn close(id: &str, what: &str, got: f64, want: f64, tol: f64) {
    let err = (got - want).abs();
    println!("{id:<28} {what:<22} expected {want:<22} got {got:<22} error {err:.2e}");
    assert!(
        err <= tol,
        "{id} {what}: expected {want}, got {got} (error {err:e} > {tol:e})"
    );
}

// ── Rubinstein (1982); Binmore, Rubinstein and Wolinsky (1986) ─────────────────────────────────

/// `(id, [(path, value)], x1 when A proposes first)`: player 1's share in the immediate agreement.
fn rubinstein_case(id: &str, sets: &[(&str, f64)], x1: f64) {
    let s = with("rubinstein.toml", sets);
    let f = solve(&s);
    close(id, "x1_first_proposer", w(&f, 0, 0), x1, 1e-9);
    // the agreement is immediate: A's offer is accepted for sure and the split is what W says
    let o = &f.choices[0].offers;
    assert_eq!(o.len(), 1, "{id}: one offer");
    assert!((o[0].accept - 1.0).abs() < 1e-12, "{id}: accepted for sure");
    let shares = o[0].shares.as_ref().expect("a split");
    close(id, "A's share of the pie", shares[0], x1, 1e-9);
}

#[test]
fn rub_1() {
    // Rubinstein 1982; BRW 1986: d1 = d2 = 0.9
    rubinstein_case("RUB-1", &[], 0.5263157894736843);
}

#[test]
fn rub_2() {
    // Rubinstein 1982; BRW 1986: d1 = 0.9, d2 = 0.8
    rubinstein_case(
        "RUB-2",
        &[("actor.A.discount", 0.9), ("actor.B.discount", 0.8)],
        0.7142857142857143,
    );
}

#[test]
fn rub_4_brw() {
    // Rubinstein 1982; BRW 1986: d = 1, lam = 0.1, b = (0.2, 0.1), received one round later
    rubinstein_case(
        "RUB-4-BRW",
        &[
            ("actor.A.discount", 1.0),
            ("actor.B.discount", 1.0),
            ("protocol.breakdown", 0.1),
            ("actor.A.breakdown_value", 0.2),
            ("actor.B.breakdown_value", 0.1),
        ],
        0.568421052631579,
    );
}

#[test]
fn rub_5_brw_disc() {
    // Rubinstein 1982; BRW 1986: d = (0.95, 0.9), lam = 0.05, b = (0.3, 0.2)
    rubinstein_case(
        "RUB-5-BRW+disc",
        &[
            ("actor.A.discount", 0.95),
            ("actor.B.discount", 0.9),
            ("protocol.breakdown", 0.05),
            ("actor.A.breakdown_value", 0.3),
            ("actor.B.breakdown_value", 0.2),
        ],
        0.6488970386994359,
    );
}

#[test]
fn rub_6_warcost() {
    // Rubinstein 1982; BRW 1986: d = 0.95, war flows g = (-0.01, -0.02), i.e. war costs
    rubinstein_case(
        "RUB-6-warcost",
        &[
            ("actor.A.discount", 0.95),
            ("actor.B.discount", 0.95),
            ("actor.A.war_cost", 0.01),
            ("actor.B.war_cost", 0.02),
        ],
        0.6205128205128214,
    );
}

#[test]
fn rub_7_insideopt() {
    // Rubinstein 1982; BRW 1986: d = 0.9, g = (0.03, 0.01): inside options, negative war costs
    rubinstein_case(
        "RUB-7-insideopt",
        &[("actor.A.war_cost", -0.03), ("actor.B.war_cost", -0.01)],
        0.6157894736842107,
    );
}

#[test]
fn rub_8_fixed_costs() {
    // Rubinstein 1982, fixed costs c1 = 0.01 < c2 = 0.02 with no discounting: A takes all
    rubinstein_case(
        "RUB-8-fixedcost-c1<c2",
        &[
            ("actor.A.discount", 1.0),
            ("actor.B.discount", 1.0),
            ("actor.A.war_cost", 0.01),
            ("actor.B.war_cost", 0.02),
        ],
        1.0,
    );
}

/// NASHLIM: `δ_i = exp(−r_i Δ)`, `λ = ℓΔ`; the Δ → 0 limit is the asymmetric Nash bargaining
/// solution with powers ∝ 1/(ℓ + r_i) (BRW 1986).
fn nashlim(id: &str, delta: f64, l: f64, b: (f64, f64), x1: f64) {
    let (r1, r2) = (0.05, 0.1);
    rubinstein_case(
        id,
        &[
            ("actor.A.discount", (-r1 * delta).exp()),
            ("actor.B.discount", (-r2 * delta).exp()),
            ("protocol.breakdown", l * delta),
            ("actor.A.breakdown_value", b.0),
            ("actor.B.breakdown_value", b.1),
        ],
        x1,
    );
}

#[test]
fn nashlim_d1() {
    // BRW 1986 limit: r = (0.05, 0.1), Δ = 1
    nashlim("NASHLIM-D1", 1.0, 0.0, (0.0, 0.0), 0.6831875905144053);
}

#[test]
fn nashlim_d01() {
    // BRW 1986 limit: r = (0.05, 0.1), Δ = 0.1
    nashlim("NASHLIM-D0.1", 0.1, 0.0, (0.0, 0.0), 0.6683319375087189);
}

#[test]
fn nashlim_d001() {
    // BRW 1986 limit: r = (0.05, 0.1), Δ = 0.01
    nashlim("NASHLIM-D0.01", 0.01, 0.0, (0.0, 0.0), 0.6668333194374856);
}

#[test]
fn nashlim_brw() {
    // derived; BRW 1986: r = (0.05, 0.1), breakdown rate 0.2, b = (0.3, 0.1), Δ = 0.001
    nashlim("NASHLIM-BRW", 0.001, 0.2, (0.3, 0.1), 0.6182268626203713);
}

// ── Outside options: Shaked and Sutton (1984); Binmore, Shaked and Sutton (1989) ───────────────

#[test]
fn rub_10_outside_option_binds() {
    // Shaked-Sutton 1984; BSS 1989: d = 0.9, o = (0, 0.6): B gets exactly its outside option
    rubinstein_like("outside-option.toml", "RUB-10-outside", &[], 0.4);
}

#[test]
fn rub_11_outside_option_does_not_bind() {
    // outside option principle: o2 = 0.3 < what B gets by waiting, so Rubinstein's split stands
    rubinstein_like(
        "outside-option.toml",
        "RUB-11-outside-nonbinding",
        &[("actor.B.outside_option", 0.3)],
        0.5263157894736842,
    );
}

fn rubinstein_like(file: &str, id: &str, sets: &[(&str, f64)], x1: f64) {
    let s = with(file, sets);
    let f = solve(&s);
    close(id, "x1", w(&f, 0, 0), x1, 1e-9);
    let shares = f.choices[0].offers[0].shares.as_ref().expect("a split");
    close(id, "A's share", shares[0], x1, 1e-9);
}

// ── Ståhl (1972): a hard deadline, solved by backward induction ─────────────────────────────────

fn stahl(id: &str, t: f64, x1: f64) {
    let s = with("stahl.toml", &[("protocol.deadline", t)]);
    let f = solve(&s);
    close(id, "x1", w(&f, 0, 0), x1, 1e-12);
    // A's first offer is that split, accepted at once, and every run plays it
    let o = &f.choices[0].offers;
    close(
        id,
        "A's offered share",
        o[0].shares.as_ref().expect("split")[0],
        x1,
        1e-12,
    );
    for r in simulate_all(&s, 10) {
        assert_eq!(
            (r.outcome, r.round),
            (armistice::sim::Outcome::Agreement, Some(0)),
            "{id}"
        );
        close(id, "simulated share", r.shares.as_ref().expect("split")[0], x1, 1e-12);
    }
}

#[test]
fn stahl_t1() {
    // Stahl 1972: d = 0.9, T = 1
    stahl("STAHL-T1", 1.0, 1.0);
}

#[test]
fn stahl_t2() {
    // Stahl 1972: d = 0.9, T = 2
    stahl("STAHL-T2", 2.0, 0.09999999999999998);
}

#[test]
fn stahl_t3() {
    // Stahl 1972: d = 0.9, T = 3
    stahl("STAHL-T3", 3.0, 0.9100000000000001);
}

#[test]
fn stahl_t10() {
    // Stahl 1972: d = 0.9, T = 10 (the oracle gives 9 decimals: 0.342800821 = (1 − 0.9^10)/1.9, from (1 − (−δ)^T)/(1 + δ))
    stahl("STAHL-T10", 10.0, 0.342800821);
}

// ── Random proposers, unanimity ──────────────────────────────────────────────────────────────────

/// Ex-ante values `v_i = Σ_s π_s W_s,i`.
fn ex_ante(f: &FirstRound) -> Vec<f64> {
    let n = f.values.len() / f.proposer.len();
    (0..n)
        .map(|i| (0..f.proposer.len()).map(|s| f.weights[s] * w(f, s, i)).sum())
        .collect()
}

#[test]
fn rub_random_proposer() {
    // v_i ∝ p_i/(1 − d_i): p = (0.5, 0.5), d = (0.9, 0.8)
    let id = "RUB-RANDOM-PROPOSER";
    let f = solve(&base("random-proposer.toml"));
    let v = ex_ante(&f);
    close(id, "v[A]", v[0], 0.6666666666666666, 1e-9);
    close(id, "v[B]", v[1], 0.3333333333333333, 1e-9);
    close(id, "A_proposes_keeps", w(&f, 0, 0), 0.7333333333333334, 1e-9);
    close(id, "B_proposes_gives_A", w(&f, 1, 0), 0.6, 1e-9);
}

// ── Baron and Ferejohn (1989), symmetric ─────────────────────────────────────────────────────────

/// Symmetric Baron–Ferejohn: proposer's share, a coalition partner's share, an excluded player's
/// share, the probability that a given other player is in the coalition, the ex-ante value.
fn bf_symmetric(id: &str, n: usize, q: usize, delta: f64, want: [f64; 5]) {
    let ids = ["A", "B", "C", "D", "E", "F", "G"];
    let mut sets: Vec<(String, f64)> = vec![("protocol.quota".into(), q as f64)];
    sets.extend(ids[..n].iter().map(|a| (format!("actor.{a}.discount"), delta)));
    let sets: Vec<(&str, f64)> = sets.iter().map(|(p, v)| (p.as_str(), *v)).collect();
    let f = solve(&with(&format!("baron-ferejohn-{n}.toml"), &sets));
    for s in 0..n {
        let c = &f.choices[s];
        close(id, "proposer", w(&f, s, s), want[0], 1e-12);
        for o in &c.offers {
            let x = o.shares.as_ref().expect("a split");
            for j in (0..n).filter(|&j| j != s) {
                let expect = if o.needed & (1 << j) != 0 { want[1] } else { want[2] };
                close(id, "partner or excluded", x[j], expect, 1e-12);
            }
        }
        for j in (0..n).filter(|&j| j != s) {
            let p: f64 = c
                .offers
                .iter()
                .filter(|o| o.needed & (1 << j) != 0)
                .map(|o| o.prob)
                .sum();
            close(id, "P_included", p, want[3], 1e-12);
        }
    }
    for v in ex_ante(&f) {
        close(id, "ex_ante", v, want[4], 1e-12);
    }
}

#[test]
fn bf_n3_q2() {
    // Baron-Ferejohn 1989: n = 3, q = 2, δ = 0.9, p = 1/n
    bf_symmetric("BF-n3-q2-d0.9", 3, 2, 0.9, [0.7, 0.3, 0.0, 0.5, 0.3333333333333333]);
}

#[test]
fn bf_n5_q3() {
    // Baron-Ferejohn 1989: n = 5, q = 3, δ = 0.8
    bf_symmetric("BF-n5-q3-d0.8", 5, 3, 0.8, [0.6799999999999999, 0.16, 0.0, 0.5, 0.2]);
}

#[test]
fn bf_n5_q5() {
    // Baron-Ferejohn 1989: n = 5, q = 5 (unanimity), δ = 0.8
    bf_symmetric("BF-n5-q5-d0.8", 5, 5, 0.8, [0.36, 0.16, 0.0, 1.0, 0.2]);
}

#[test]
fn bf_n7_q4() {
    // Baron-Ferejohn 1989: n = 7, q = 4, δ = 1
    bf_symmetric(
        "BF-n7-q4-d1.0",
        7,
        4,
        1.0,
        [0.5714285714285714, 0.14285714285714285, 0.0, 0.5, 0.14285714285714285],
    );
}

#[test]
fn bf_n2_q2() {
    // Baron-Ferejohn 1989: n = 2, q = 2, δ = 0.9
    bf_symmetric("BF-n2-q2-d0.9", 2, 2, 0.9, [0.55, 0.45, 0.0, 1.0, 0.5]);
}

// ── Baron–Ferejohn with unequal recognition and discounts (Eraslan 2002) ────────────────────────

/// Ex-ante values `v` (unique, Eraslan 2002) and each proposer's payoff; coalition choices are
/// not unique and are not tested. `tau`: the logit temperature (majority rule needs mixed
/// coalition choices, reached as its τ → 0 limit: tolerance 1e-5, `docs/model.md` §7).
#[allow(clippy::too_many_arguments)]
fn bf_general(id: &str, p: &[f64], d: &[f64], q: usize, tau: f64, v: &[f64], proposer: &[f64], tol: f64) {
    let ids = ["A", "B", "C", "D", "E"];
    let n = p.len();
    let mut sets: Vec<(String, f64)> = vec![
        ("protocol.quota".into(), q as f64),
        ("protocol.temperature".into(), tau),
    ];
    for i in 0..n {
        sets.push((format!("actor.{}.recognition", ids[i]), p[i]));
        sets.push((format!("actor.{}.discount", ids[i]), d[i]));
    }
    let sets: Vec<(&str, f64)> = sets.iter().map(|(p, v)| (p.as_str(), *v)).collect();
    let f = solve(&with(&format!("baron-ferejohn-{n}.toml"), &sets));
    let got = ex_ante(&f);
    for i in 0..n {
        close(id, &format!("v[{}]", ids[i]), got[i], v[i], tol);
        close(
            id,
            &format!("proposer_payoff[{}]", ids[i]),
            w(&f, i, i),
            proposer[i],
            tol,
        );
    }
}

#[test]
fn bf_unan_hetero() {
    // derived (unanimity); Britz et al 2010 limit: p = (0.5, 0.3, 0.2), d = (0.9, 0.8, 0.95), q = 3
    bf_general(
        "BF-unan-hetero",
        &[0.5, 0.3, 0.2],
        &[0.9, 0.8, 0.95],
        3,
        0.0,
        &[0.47619047619047633, 0.1428571428571429, 0.3809523809523807],
        &[0.523809523809524, 0.20952380952380967, 0.45714285714285696],
        1e-12,
    );
}

#[test]
fn bf_unan_commond() {
    // derived (unanimity): p = (0.5, 0.3, 0.2), d = 0.9, q = 3
    bf_general(
        "BF-unan-commond",
        &[0.5, 0.3, 0.2],
        &[0.9; 3],
        3,
        0.0,
        &[0.5, 0.3, 0.2],
        &[0.55, 0.37, 0.2799999999999999],
        1e-12,
    );
}

#[test]
fn bf_maj_n3_big() {
    // derived regimes; Eraslan 2002 uniqueness: p = (0.5, 0.3, 0.2), d = 0.9, q = 2
    bf_general(
        "BF-maj-n3-big",
        &[0.5, 0.3, 0.2],
        &[0.9; 3],
        2,
        1e-7,
        &[0.3548387096774194, 0.3225806451612903, 0.3225806451612903],
        &[0.7096774193548387; 3],
        1e-5,
    );
}

#[test]
fn bf_maj_n3_big_exact() {
    // the same game at τ = 0, solved exactly (Eraslan 2002; docs/model.md §3)
    bf_general(
        "BF-maj-n3-big-exact",
        &[0.5, 0.3, 0.2],
        &[0.9; 3],
        2,
        0.0,
        &[0.3548387096774194, 0.3225806451612903, 0.3225806451612903],
        &[0.7096774193548387; 3],
        1e-12,
    );
}

#[test]
fn bf_maj_n5_big_exact() {
    // the same game at τ = 0, solved exactly (Eraslan 2002; docs/model.md §3)
    bf_general(
        "BF-maj-n5-big-exact",
        &[0.4, 0.15, 0.15, 0.15, 0.15],
        &[0.95; 5],
        3,
        0.0,
        &[
            0.2592592592592593,
            0.18518518518518517,
            0.18518518518518517,
            0.18518518518518517,
            0.18518518518518517,
        ],
        &[0.6481481481481481; 5],
        1e-12,
    );
}

#[test]
fn bf_maj_n5_big() {
    // derived regimes; Eraslan 2002 uniqueness: p = (0.4, 0.15 × 4), d = 0.95, q = 3
    bf_general(
        "BF-maj-n5-big.4",
        &[0.4, 0.15, 0.15, 0.15, 0.15],
        &[0.95; 5],
        3,
        // the mixing here is among symmetric players (exact ties), so τ need not be tiny; at
        // 1e-6 and below the logit map is too steep for the solver (residual 0.13 at τ = 6.7e-6)
        1e-5,
        &[
            0.2592592592592593,
            0.18518518518518517,
            0.18518518518518517,
            0.18518518518518517,
            0.18518518518518517,
        ],
        &[0.6481481481481481; 5],
        1e-5,
    );
}

#[test]
fn bf_maj_n3_tied() {
    // derived regimes; Eraslan 2002 uniqueness: p = (0.4, 0.35, 0.25), d = 0.9, q = 2
    bf_general(
        "BF-maj-n3-tied",
        &[0.4, 0.35, 0.25],
        &[0.9; 3],
        2,
        1e-7,
        &[0.3333333333333333; 3],
        &[0.7; 3],
        1e-5,
    );
}

// ── Fearon (1995): bargaining range and the risk–return trade-off ───────────────────────────────

/// FEARON-1..4: A's optimal demand, the probability of war and A's expected utility.
fn fearon(id: &str, p: f64, ca: f64, cb: (f64, f64), want: [f64; 3]) {
    let s = with(
        "fearon.toml",
        &[
            ("war.win_probability.A", p),
            ("war.win_probability.B", 1.0 - p),
            ("war.cost.A", ca),
            ("war.cost.B", 0.5 * (cb.0 + cb.1)),
            ("actor.B.noise", 0.5 * (cb.1 - cb.0)),
        ],
    );
    let f = solve(&s);
    let o = &f.choices[0].offers;
    assert_eq!(o.len(), 1, "{id}: one offer");
    close(id, "offer_x_A", o[0].shares.as_ref().expect("split")[0], want[0], 1e-12);
    close(id, "P_war", 1.0 - o[0].accept, want[1], 1e-12);
    close(id, "EU_A", w(&f, 0, 0), want[2], 1e-12);
}

#[test]
fn fearon_1() {
    // Fearon 1995 risk-return (uniform case derived): p = 0.6, cA = 0.1, cB ~ U[0, 0.3]
    fearon(
        "FEARON-1",
        0.6,
        0.1,
        (0.0, 0.3),
        [0.7, 0.3333333333333333, 0.6333333333333333],
    );
}

#[test]
fn fearon_2_no_war() {
    // Fearon 1995: p = 0.6, cA = 0.3, cB ~ U[0, 0.3]: A concedes enough that B always accepts
    fearon("FEARON-2-nowar", 0.6, 0.3, (0.0, 0.3), [0.6, 0.0, 0.6]);
}

#[test]
fn fearon_3() {
    // Fearon 1995: p = 0.5, cA = 0.05, cB ~ U[0.05, 0.25]
    fearon("FEARON-3", 0.5, 0.05, (0.05, 0.25), [0.6, 0.25, 0.5625]);
}

#[test]
fn fearon_4() {
    // Fearon 1995: p = 0.4, cA = 0, cB ~ U[0, 0.2]
    fearon("FEARON-4", 0.4, 0.0, (0.0, 0.2), [0.5, 0.5, 0.45]);
}

#[test]
fn fearon_range() {
    // Fearon 1995: p = 0.6, cA = 0.1, cB = 0.15 (no private information): the bargaining range
    // is [p − cA, p + cB] = [0.5, 0.75]; a take-it-or-leave-it proposer gets its end of it
    let id = "FEARON-RANGE";
    let a = solve(&with("fearon.toml", &[("actor.B.noise", 0.0)]));
    close(id, "A_proposes", w(&a, 0, 0), 0.75, 1e-12);
    let mut b = with("fearon.toml", &[("actor.B.noise", 0.0)]);
    b.protocol.recognition = armistice::scenario::Recognition::Order(vec![1]);
    let b = solve(&b);
    close(id, "B_proposes (A's share)", w(&b, 0, 0), 0.5, 1e-12);
    // the range itself: the breakdown values are the war lottery's
    let p = expected_params(&base("fearon.toml"));
    close(id, "range low (A's war value)", p.breakdown_value[0], 0.5, 1e-12);
    close(
        id,
        "range high (1 − B's war value)",
        1.0 - p.breakdown_value[1],
        0.75,
        1e-12,
    );
}

// ── Fearon (1995): two types, screening (discrete private types) ────────────────────────────────

/// `fearon-types.toml` with A's win probability `p`, A's cost `ca` and B's types as `(cost,
/// probability)` pairs: B's `[war]` cost is the highest (the weakest type's), each type's shock
/// the cost it does not have, `c_max − c`.
fn fearon_types_scenario(p: f64, ca: f64, types: &[(f64, f64)]) -> Scenario {
    let c_max = types.iter().map(|t| t.0).fold(f64::NEG_INFINITY, f64::max);
    let mut s = with(
        "fearon-types.toml",
        &[
            ("war.win_probability.A", p),
            ("war.win_probability.B", 1.0 - p),
            ("war.cost.A", ca),
            ("war.cost.B", c_max),
        ],
    );
    let pts: Vec<(f64, f64)> = types.iter().map(|&(c, q)| (c_max - c, q)).collect();
    s.actors[1].types = armistice::scenario::types::TypePoints::new(&pts);
    s
}

/// The closed form of the screening game with k types (Fearon 1995, §"Private information and
/// incentives to misrepresent", with discrete costs): B of cost c accepts A's share x iff
/// `1 − x ≥ 1 − p − c`, i.e. `x ≤ p + c`. A's best demand is `p + c_m` for one of the types m:
/// every type at least as costly as m accepts, the others fight, so
/// `EU_A(m) = P(c ≥ c_m) (p + c_m) + P(c < c_m) (p − c_A)`, maximised over m. Returns A's demand,
/// P(war) and A's expected utility. With two types (tough c_L with probability q, weak c_H) A
/// screens (demands p + c_H, war with probability q) iff `q < (c_H − c_L) / (c_H + c_A)`, and
/// otherwise concedes the tough type's reservation (p + c_L, no war).
fn fearon_types_closed(p: f64, ca: f64, types: &[(f64, f64)]) -> [f64; 3] {
    let mut best = [f64::NAN, f64::NAN, f64::NEG_INFINITY];
    for &(cm, _) in types {
        let accept: f64 = types.iter().filter(|t| t.0 >= cm).map(|t| t.1).sum();
        let eu = accept * (p + cm) + (1.0 - accept) * (p - ca);
        if eu > best[2] {
            best = [p + cm, 1.0 - accept, eu];
        }
    }
    best
}

/// FEARON-TYPES-*: the engine's first offer, P(war) and A's value against the closed form (and
/// against the numbers written in each case, so that the closed form is checked too).
fn fearon_types(id: &str, p: f64, ca: f64, types: &[(f64, f64)], want: [f64; 3]) {
    let closed = fearon_types_closed(p, ca, types);
    for (a, b) in closed.iter().zip(&want) {
        assert!((a - b).abs() < 1e-12, "{id}: closed form {closed:?}, written {want:?}");
    }
    let f = solve(&fearon_types_scenario(p, ca, types));
    let o = &f.choices[0].offers;
    assert_eq!(o.len(), 1, "{id}: one offer");
    close(id, "offer_x_A", o[0].shares.as_ref().expect("split")[0], want[0], 1e-12);
    close(id, "P_war", 1.0 - o[0].accept, want[1], 1e-12);
    close(id, "EU_A", w(&f, 0, 0), want[2], 1e-12);
}

#[test]
fn fearon_types_1_screens() {
    // p = 0.5, cA = 0.1, tough c_L = 0.05 (q = 0.2), weak c_H = 0.3: switch at q = 0.625;
    // screening: 0.8·0.8 + 0.2·0.4 = 0.72 > 0.55
    fearon_types("FEARON-TYPES-1", 0.5, 0.1, &[(0.05, 0.2), (0.3, 0.8)], [0.8, 0.2, 0.72]);
}

#[test]
fn fearon_types_2_pools() {
    // q = 0.7 > 0.625: A concedes the tough type's reservation, no war (screening: 0.52)
    fearon_types(
        "FEARON-TYPES-2",
        0.5,
        0.1,
        &[(0.05, 0.7), (0.3, 0.3)],
        [0.55, 0.0, 0.55],
    );
}

#[test]
fn fearon_types_3_just_below_switch() {
    // q = 0.6: screening 0.4·0.8 + 0.6·0.4 = 0.56 against 0.55
    fearon_types("FEARON-TYPES-3", 0.5, 0.1, &[(0.05, 0.6), (0.3, 0.4)], [0.8, 0.6, 0.56]);
}

#[test]
fn fearon_types_4_just_above_switch() {
    // q = 0.65: screening 0.35·0.8 + 0.65·0.4 = 0.54 against 0.55
    fearon_types(
        "FEARON-TYPES-4",
        0.5,
        0.1,
        &[(0.05, 0.65), (0.3, 0.35)],
        [0.55, 0.0, 0.55],
    );
}

#[test]
fn fearon_types_5_three_types() {
    // p = 0.4, cA = 0.05, costs 0.0 (0.25), 0.1 (0.25), 0.3 (0.5): demands 0.4, 0.5, 0.7 are
    // worth 0.4, 0.75·0.5 + 0.25·0.35 = 0.4625 and 0.5·0.7 + 0.5·0.35 = 0.525: A demands 0.7
    fearon_types(
        "FEARON-TYPES-5",
        0.4,
        0.05,
        &[(0.0, 0.25), (0.1, 0.25), (0.3, 0.5)],
        [0.7, 0.5, 0.525],
    );
}

#[test]
fn fearon_types_6_one_type_is_complete_information() {
    // one type of cost 0.15: the bargaining range's top, A demands p + c_B = 0.75, no war
    fearon_types("FEARON-TYPES-6", 0.6, 0.1, &[(0.15, 1.0)], [0.75, 0.0, 0.75]);
}

#[test]
fn fearon_types_1_simulated() {
    // FEARON-TYPES-1 played out: the tough type (q = 0.2) rejects and fights, the weak accepts
    // A's demand of 0.8; A's mean payoff 0.72 (oracle values)
    let mut s = fearon_types_scenario(0.5, 0.1, &[(0.05, 0.2), (0.3, 0.8)]);
    // a fresh type per response (one draw of the same two points) fights as often
    s.protocol.private_types = armistice::scenario::TypeMode::Iid;
    let iid: Vec<f64> = simulate_all(&s, 20_000)
        .iter()
        .map(|r| f64::from(u8::from(r.outcome == armistice::sim::Outcome::Breakdown)))
        .collect();
    within_4se("FEARON-TYPES-1 (simulated, iid)", "P_war", &iid, 0.2);
    s.protocol.private_types = armistice::scenario::TypeMode::Persistent;
    let recs = simulate_all(&s, 20_000);
    let war: Vec<f64> = recs
        .iter()
        .map(|r| f64::from(u8::from(r.outcome == armistice::sim::Outcome::Breakdown)))
        .collect();
    within_4se("FEARON-TYPES-1 (simulated)", "P_war", &war, 0.2);
    let eu: Vec<f64> = recs.iter().map(|r| r.payoff[0]).collect();
    within_4se("FEARON-TYPES-1 (simulated)", "EU_A", &eu, 0.72);
    for r in recs.iter().filter(|r| r.outcome == armistice::sim::Outcome::Agreement) {
        let x = r.shares.as_ref().expect("split")[0];
        assert!((x - 0.8).abs() < 1e-12, "agreed share {x}");
    }
}

#[test]
fn fearon_types_logit_mixes_over_thresholds() {
    // FEARON-TYPES-1 at temperature τ = 0.05: A's offers to each type's threshold are separate
    // candidates of the logit (`docs/model.md` §3): screening (EU 0.72), conceding to the tough
    // type (EU 0.55), passing (A's war value 0.4), with weights exp(EU/τ) − exp(0.4/τ) and
    // exp(0.4/τ)
    let mut s = fearon_types_scenario(0.5, 0.1, &[(0.05, 0.2), (0.3, 0.8)]);
    s.protocol.temperature = 0.05;
    let f = solve(&s);
    let tau = 0.05;
    let (pass, screen, pool) = ((0.4f64 / tau).exp(), (0.72f64 / tau).exp(), (0.55f64 / tau).exp());
    let total = pass + (screen - pass) + (pool - pass);
    let c = &f.choices[0];
    assert_eq!(c.offers.len(), 2, "one offer per threshold");
    let by_share = |x: f64| {
        c.offers
            .iter()
            .find(|o| (o.shares.as_ref().expect("split")[0] - x).abs() < 1e-12)
            .unwrap_or_else(|| panic!("no offer of {x}"))
    };
    close(
        "FEARON-TYPES-LOGIT",
        "P(screen)",
        by_share(0.8).prob,
        (screen - pass) / total,
        1e-12,
    );
    close(
        "FEARON-TYPES-LOGIT",
        "P(concede)",
        by_share(0.55).prob,
        (pool - pass) / total,
        1e-12,
    );
    close("FEARON-TYPES-LOGIT", "P(pass)", c.pass, pass / total, 1e-12);
}

/// FEARON-TYPES-ROUNDS: `screening-types.toml` (A always proposes, flows `g = (1 − δ)d`, B weak
/// with shock 0 or tough with shock h with probability q) with B's types set. The engine's
/// stationary equilibrium at fixed beliefs (`docs/model.md` §3: learning is not anticipated) has
/// closed forms: screening (offer only the weak type's threshold) gives B
/// `y_s = d_B + q h δ/(1 − δ)` and A `W_A = ((1 − q)(1 − y_s) + q g_A) / (1 − q δ)`, and is the
/// equilibrium iff `q (1 − y_s − R_A) ≤ h` with `R_A = g_A + δ W_A`; pooling (the tough type's
/// threshold) gives B `y_p = d_B + h/(1 − δ)`, A `1 − y_p`, and is the equilibrium iff
/// `q ((1 − δ)(1 − y_p) + h − g_A) ≥ h`. Once a rejection has revealed the tough type, A offers
/// `y_p` and B accepts.
fn screening_rounds(h: f64, q: f64) -> Scenario {
    let mut s = base("screening-types.toml");
    s.actors[1].types = armistice::scenario::types::TypePoints::new(&[(0.0, 1.0 - q), (h, q)]);
    s
}

#[test]
fn fearon_types_rounds_first_offer() {
    let (d, da, db) = (0.9, 0.35, 0.25);
    let (ga, h) = ((1.0 - d) * da, 0.02);
    // q = 0.2: only screening is an equilibrium
    let q = 0.2;
    let ys = db + q * h * d / (1.0 - d);
    let wa = ((1.0 - q) * (1.0 - ys) + q * ga) / (1.0 - q * d);
    let yp = db + h / (1.0 - d);
    assert!(q * (1.0 - ys - (ga + d * wa)) <= h && q * ((1.0 - d) * (1.0 - yp) + h - ga) < h);
    let f = solve(&screening_rounds(h, q));
    let o = &f.choices[0].offers;
    assert_eq!(o.len(), 1);
    close(
        "FEARON-TYPES-ROUNDS q=0.2",
        "y_B",
        o[0].shares.as_ref().expect("split")[1],
        ys,
        1e-9,
    );
    close("FEARON-TYPES-ROUNDS q=0.2", "P", o[0].accept, 1.0 - q, 1e-12);
    close("FEARON-TYPES-ROUNDS q=0.2", "W_A", w(&f, 0, 0), wa, 1e-9);
    close("FEARON-TYPES-ROUNDS q=0.2", "W_B", w(&f, 0, 1), ys + q * h, 1e-9);
    // q = 0.7: only pooling is
    let q = 0.7;
    let ys = db + q * h * d / (1.0 - d);
    let wa = ((1.0 - q) * (1.0 - ys) + q * ga) / (1.0 - q * d);
    assert!(q * (1.0 - ys - (ga + d * wa)) > h && q * ((1.0 - d) * (1.0 - yp) + h - ga) >= h);
    let f = solve(&screening_rounds(h, q));
    let o = &f.choices[0].offers;
    assert_eq!(o.len(), 1);
    close(
        "FEARON-TYPES-ROUNDS q=0.7",
        "y_B",
        o[0].shares.as_ref().expect("split")[1],
        yp,
        1e-9,
    );
    close("FEARON-TYPES-ROUNDS q=0.7", "P", o[0].accept, 1.0, 1e-12);
    close("FEARON-TYPES-ROUNDS q=0.7", "W_A", w(&f, 0, 0), 1.0 - yp, 1e-9);
}

#[test]
fn fearon_types_rounds_simulated() {
    // q = 0.2 played out: the weak type (0.8) takes y_s = 0.286 in round 0; the tough one
    // rejects, is known to be tough, and takes y_p = 0.45 in round 1 (Bayes on two points)
    let s = screening_rounds(0.02, 0.2);
    let recs = simulate_all(&s, 4_000);
    let mut first = vec![];
    for r in &recs {
        assert_eq!(r.outcome, armistice::sim::Outcome::Agreement);
        let round = r.round.expect("agreed");
        let y = r.shares.as_ref().expect("split")[1];
        let want = if round == 0 { 0.286 } else { 0.45 };
        assert!(round <= 1, "run {} agreed in round {round}", r.run);
        assert!((y - want).abs() < 1e-9, "run {} round {round}: B's share {y}", r.run);
        first.push(f64::from(u8::from(round == 0)));
    }
    within_4se("FEARON-TYPES-ROUNDS (simulated)", "P(round 0)", &first, 0.8);
}

// ── Stationary screening with i.i.d. shocks ──────────────────────────────────────────────────────

#[test]
fn noisy_1() {
    // derived (stationary screening, iid shocks): δ = 0.95, dA = 0.35, dB = 0.25, a = 0.05
    let id = "NOISY-1";
    let f = solve(&base("noisy.toml"));
    let o = &f.choices[0].offers[0];
    close(id, "P", o.accept, 0.36381814038252863, 1e-6);
    close(id, "y", o.shares.as_ref().expect("split")[1], 0.3621272713460812, 1e-6);
    close(id, "VA", w(&f, 0, 0), 0.6147272785428062, 1e-6);
    close(id, "VB", w(&f, 0, 1), 0.38236363927139827, 1e-6);
    close(id, "rounds", 1.0 / o.accept, 2.7486260002004625, 1e-6);
}

// ── Monte Carlo: the simulation plays the solved strategies (fixed seeds, 4 standard errors) ────

fn simulate_all(s: &Scenario, runs: u64) -> Vec<armistice::sim::RunRecord> {
    use rayon::prelude::*;
    (0..runs)
        .into_par_iter()
        .map(|r| armistice::sim::run::simulate(s, s.simulation.seed, r))
        .collect()
}

/// Mean and standard error of `xs`.
fn mean_se(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, (var / n).sqrt())
}

fn within_4se(id: &str, what: &str, xs: &[f64], want: f64) {
    let (m, se) = mean_se(xs);
    println!("{id:<28} {what:<22} expected {want:<22} simulated {m:.6} ± {se:.6} (SE)");
    assert!(
        (m - want).abs() <= 4.0 * se,
        "{id} {what}: simulated {m} ± {se} (SE), expected {want}: more than 4 SE apart"
    );
    // the test can fail: the standard error is small against the quantity
    assert!(
        se < 0.05 * want.abs().max(0.01),
        "{id} {what}: SE {se} too large to test"
    );
}

#[test]
fn fearon_1_simulated() {
    // FEARON-1 played out: war in a third of the runs, A's mean payoff 0.6333 (oracle values)
    let s = base("fearon.toml");
    let recs = simulate_all(&s, 20_000);
    let war: Vec<f64> = recs
        .iter()
        .map(|r| f64::from(u8::from(r.outcome == armistice::sim::Outcome::Breakdown)))
        .collect();
    within_4se("FEARON-1 (simulated)", "P_war", &war, 0.3333333333333333);
    let eu: Vec<f64> = recs.iter().map(|r| r.payoff[0]).collect();
    within_4se("FEARON-1 (simulated)", "EU_A", &eu, 0.6333333333333333);
    // every agreement is on A's demand of 0.7
    for r in recs.iter().filter(|r| r.outcome == armistice::sim::Outcome::Agreement) {
        let x = r.shares.as_ref().expect("split")[0];
        assert!((x - 0.7).abs() < 1e-12, "agreed share {x}");
    }
}

#[test]
fn noisy_1_simulated() {
    // NOISY-1 played out: expected rounds to agreement 1/P = 2.7486, A's value 0.6147
    let s = base("noisy.toml");
    let recs = simulate_all(&s, 20_000);
    assert!(recs.iter().all(|r| r.outcome == armistice::sim::Outcome::Agreement));
    let rounds: Vec<f64> = recs.iter().map(|r| r.round.expect("agreed") as f64 + 1.0).collect();
    within_4se("NOISY-1 (simulated)", "rounds", &rounds, 2.7486260002004625);
    let va: Vec<f64> = recs.iter().map(|r| r.payoff[0]).collect();
    within_4se("NOISY-1 (simulated)", "VA", &va, 0.6147272785428062);
    // (B's realised payoff leaves out the value of its shocks, which VB counts: not compared)
}

#[test]
fn rub_1_simulated() {
    // RUB-1 played out: every run agrees at once on A's first offer
    let s = base("rubinstein.toml");
    for r in simulate_all(&s, 50) {
        assert_eq!(r.outcome, armistice::sim::Outcome::Agreement);
        assert_eq!(r.round, Some(0));
        let x = r.shares.as_ref().expect("split")[0];
        assert!((x - 0.5263157894736843).abs() < 1e-9, "{x}");
    }
}

// ── Durability: the band model (DUR-*), simulated with monthly monitoring ───────────────────────

/// Survival at 1 and 5 years of the simulated agreements against the closed forms (continuous
/// monitoring), within 4 SE + 0.01 (`docs/model.md` §7: discrete monitoring leaves a bias).
fn band_case(id: &str, lower: f64, s1: f64, s5: f64) {
    let s = with("band.toml", &[("durability.lower", lower)]);
    let recs = simulate_all(&s, 20_000);
    for (years, want) in [(1.0, s1), (5.0, s5)] {
        let alive: Vec<f64> = recs
            .iter()
            .map(|r| f64::from(u8::from(r.years_to_renewed_war.expect("an agreement") > years)))
            .collect();
        let (m, se) = mean_se(&alive);
        println!("{id:<28} S({years}y) expected {want:.6} simulated {m:.6} ± {se:.6} (SE)");
        assert!((m - want).abs() <= 4.0 * se + 0.01, "{id} S({years}): {m} vs {want}");
    }
    // the engine prices the same closed form into peace values (price_durability)
    let p = expected_params(&s);
    let d = p.durability.as_ref().expect("durability");
    close(
        id,
        "P(renewed war ≤ 5y), closed form",
        d.p_renewed_war(&[0], 5.0),
        1.0 - s5,
        1e-6,
    );
}

#[test]
fn dur_1_simulated() {
    // BM exit problem (Karlin-Taylor 1981): p0 = 0.5, L = 0.4, U = 0.6, mu = 0, sigma = 0.05
    band_case("DUR-1", 0.4, 0.9089994761536336, 0.27237848946989257);
}

#[test]
fn dur_2_simulated() {
    // BM exit problem (Karlin-Taylor 1981): p0 = 0.5, L = 0.3, U = 0.6, mu = 0, sigma = 0.05
    band_case("DUR-2", 0.3, 0.9544363936199766, 0.5556227235411908);
}

// ── Baselines on a divisible issue: Nash and Kalai–Smorodinsky (NBS-*) ──────────────────────────

/// `d`: disagreement values set through inside options; `frontier`: B's curvature (1 = lin).
fn nbs_case(id: &str, curvature: f64, d: [f64; 2], nbs_a: f64, ks_a: f64) {
    let s = with(
        "nash.toml",
        &[
            ("actor.B.curvature.pie", curvature),
            ("actor.A.war_cost", -0.1 * d[0]),
            ("actor.B.war_cost", -0.1 * d[1]),
        ],
    );
    let b = armistice::solve::baselines::baselines(&s);
    close(id, "d[A]", b.disagreement[0], d[0], 1e-12);
    close(id, "d[B]", b.disagreement[1], d[1], 1e-12);
    let sp = b.split.expect("split baselines");
    // u_A = θ on both frontiers
    close(id, "NBS u_A", sp.nash.expect("nash").1, nbs_a, 1e-7);
    close(id, "KS u_A", sp.kalai_smorodinsky.expect("ks").1, ks_a, 1e-7);
}

#[test]
fn nbs_lin_baseline() {
    // Nash 1950; Kalai-Smorodinsky 1975: u1 + u2 = 1, d = (0.2, 0.1)
    nbs_case("NBS-lin", 1.0, [0.2, 0.1], 0.5499999918421484, 0.55);
}

#[test]
fn nbs_sqrt_baseline() {
    // Nash 1950; Kalai-Smorodinsky 1975: u2 = √(1 − u1), d = (0, 0)
    nbs_case("NBS-sqrt", 0.5, [0.0, 0.0], 0.6666666674956334, 0.6180339887498919);
}

#[test]
fn nbs_sqrt_d_baseline() {
    // Nash 1950; Kalai-Smorodinsky 1975: u2 = √(1 − u1), d = (0.2, 0.1)
    nbs_case("NBS-sqrt-d", 0.5, [0.2, 0.1], 0.6966129452408714, 0.670971082597055);
}

#[test]
fn fearon_range_baselines() {
    // FEARON-RANGE: the bargaining range [0.5, 0.75] and the Nash midpoint 0.625 (Fearon 1995)
    let s = with("fearon.toml", &[("actor.B.noise", 0.0)]);
    let sp = armistice::solve::baselines::baselines(&s).split.expect("split");
    let (lo, hi) = sp.bargaining_range.expect("range");
    close("FEARON-RANGE", "range low", lo, 0.5, 1e-9);
    close("FEARON-RANGE", "range high", hi, 0.75, 1e-9);
    close("FEARON-RANGE", "NBS_midpoint", sp.nash.expect("nash").1, 0.625, 1e-7);
}

#[test]
fn nashlim_weighted_nash_baseline() {
    // NASHLIM-BRW limit: the weighted Nash baseline at Δ = 0.001 approaches 0.6181818 (BRW 1986;
    // the baseline uses per-round rates, so it differs from the limit by O(Δ))
    let (r1, r2, l, delta) = (0.05f64, 0.1f64, 0.2, 0.001);
    let s = with(
        "rubinstein.toml",
        &[
            ("actor.A.discount", (-r1 * delta).exp()),
            ("actor.B.discount", (-r2 * delta).exp()),
            ("protocol.breakdown", l * delta),
            ("actor.A.breakdown_value", 0.3),
            ("actor.B.breakdown_value", 0.1),
        ],
    );
    let sp = armistice::solve::baselines::baselines(&s).split.expect("split");
    close(
        "NASHLIM-BRW",
        "weighted Nash (limit)",
        sp.weighted_nash.expect("wn").1,
        0.6181818181818182,
        1e-4,
    );
}

// ── Powell (2006): the commitment problem, from a scenario ──────────────────────────────────────

fn powell_case(id: &str, p1: f64, war_any: bool, war_rising: bool) {
    let s = with(
        "powell.toml",
        &[
            ("war.shift.win_probability.A", p1),
            ("war.shift.win_probability.B", 1.0 - p1),
        ],
    );
    let v = armistice::report::solve::solve_view(&s);
    let c = v.commitment.expect("a commitment test");
    assert_eq!(c.rising, "A");
    assert_eq!(c.result.war_in_every_equilibrium, war_any, "{id}");
    assert_eq!(c.result.war_if_rising_makes_all_offers, war_rising, "{id}");
    close(
        id,
        "p1_threshold_any_protocol",
        c.result.p1_threshold_any_protocol,
        0.5499999999999999,
        1e-12,
    );
    close(
        id,
        "p1_threshold_A_offers",
        c.result.p1_threshold_rising_offers,
        0.45,
        1e-12,
    );
}

#[test]
fn powell_1() {
    // Powell 2006 (one-shot shift, normalized costs; derived): δ = 0.9, p0 = 0.4, p1 = 0.7, k = 0.05
    powell_case("POWELL-1", 0.7, true, true);
}

#[test]
fn powell_2() {
    // Powell 2006: p1 = 0.5
    powell_case("POWELL-2", 0.5, false, true);
}

#[test]
fn powell_3() {
    // Powell 2006: p1 = 0.44
    powell_case("POWELL-3", 0.44, false, false);
}

// ── Bueno de Mesquita (1994): the EU-emissions example from the classic scenario ────────────────

#[test]
fn bdm_eu_emissions_from_the_classic_scenario() {
    // Bueno de Mesquita 1994, p. 78 (Scholz, Calbert & Smith 2011, Table 1): weighted mean
    // 500.3/67.7 = 7.38996 and median 7 on the 4..10 scale; Belgium's round-1 EU of challenging
    // each state (Q = T = 1), published to ±0.01
    let s = Scenario::load(Path::new("scenarios/classic/bdm-eu-emissions.toml")).expect("loads");
    let v = armistice::report::solve::solve_view(&s);
    let r = &v.bdm.iter().find(|b| b.issue == "year").expect("year").report;
    let scale = |x: f64| 4.0 + 6.0 * x;
    close(
        "BDM emissions",
        "weighted mean",
        scale(r.weighted_mean),
        500.3 / 67.7,
        1e-9,
    );
    close("BDM emissions", "weighted median", scale(r.weighted_median), 7.0, 1e-12);
    let be = r.names.iter().position(|n| n == "BE").expect("Belgium");
    let published = [
        ("NL", -0.473),
        ("DE", -0.473),
        ("LU", 0.606),
        ("FR", -0.115),
        ("IT", -0.115),
        ("UK", -0.655),
        ("DK", -0.832),
        ("IE", 0.0),
        ("GR", 0.0),
    ];
    for (state, eu) in published {
        let j = r.names.iter().position(|n| n == state).expect("state");
        close(
            "BDM emissions",
            &format!("EU(BE → {state})"),
            r.risk_adjusted_expected_utility[be][j],
            eu,
            0.01,
        );
    }
}

// ── Markov recognition: the chain reproduces both special cases ─────────────────────────────────

fn markov(file: &str, rows: &str) -> Scenario {
    let text = std::fs::read_to_string(Path::new("tests/oracles").join(file)).expect("reads");
    let text = text.replace(
        "recognition = \"alternating\"   # A proposes in round 0, B in round 1, ...",
        &format!("recognition = \"markov\"\ntransition = {rows}"),
    );
    let text = text.replace(
        "recognition = \"weighted\"",
        &format!("recognition = \"markov\"\ntransition = {rows}"),
    );
    assert!(text.contains("markov"), "{file}: recognition line not found");
    Scenario::from_bytes(Path::new(file), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn markov_cycle_is_rubinstein() {
    // RUB-2 with the alternation written as a Markov chain A → B → A
    let s = markov("rubinstein.toml", "{ A = { B = 1.0 }, B = { A = 1.0 } }");
    let s = variant(&s, &[("actor.A.discount", 0.9), ("actor.B.discount", 0.8)]).expect("variant");
    let f = solve(&s);
    close(
        "RUB-2 (Markov)",
        "x1_first_proposer",
        w(&f, 0, 0),
        0.7142857142857143,
        1e-9,
    );
    for r in simulate_all(&s, 20) {
        assert_eq!((r.outcome, r.round), (armistice::sim::Outcome::Agreement, Some(0)));
    }
}

#[test]
fn markov_with_equal_rows_is_random_proposers() {
    // RUB-RANDOM-PROPOSER with i.i.d. recognition written as a chain whose rows are (1/2, 1/2)
    let s = markov(
        "random-proposer.toml",
        "{ A = { A = 0.5, B = 0.5 }, B = { A = 0.5, B = 0.5 } }",
    );
    let f = solve(&s);
    close(
        "RUB-RANDOM-PROPOSER (Markov)",
        "A_proposes_keeps",
        w(&f, 0, 0),
        0.7333333333333334,
        1e-9,
    );
    close(
        "RUB-RANDOM-PROPOSER (Markov)",
        "B_proposes_gives_A",
        w(&f, 1, 0),
        0.6,
        1e-9,
    );
    // round 0 is proposed by the first actor with a row, and agreement is immediate
    let recs = simulate_all(&s, 400);
    assert!(recs.iter().all(|r| r.round == Some(0) && r.proposer == Some(0)));
}

#[test]
fn markov_chain_drives_the_simulated_proposers() {
    // with private noise offers fail, so later rounds show the chain: A → B → A → ...
    let s = markov("rubinstein.toml", "{ A = { B = 1.0 }, B = { A = 1.0 } }");
    let text = s
        .source
        .replace("id = \"B\"\ndiscount = 0.9", "id = \"B\"\ndiscount = 0.9\nnoise = 0.1");
    let s = Scenario::from_bytes(Path::new("markov-noisy.toml"), text.as_bytes()).expect("loads");
    let recs = simulate_all(&s, 400);
    let late: Vec<_> = recs.iter().filter(|r| r.round.is_some_and(|t| t > 0)).collect();
    assert!(late.len() > 20, "some agreements come later: {}", late.len());
    for r in late {
        assert_eq!(
            r.proposer,
            Some(r.round.expect("round") % 2),
            "proposer follows A → B → A"
        );
    }
}

// ── Logistic acceptance noise: the solver's P(accept) is what the simulation plays ──────────────

/// Fearon's one offer (`tests/oracles/fearon.toml`) with B's private shock logistic of scale 0.1
/// instead of uniform, and `protocol` added to its `[protocol]`.
fn logistic_fearon(protocol: &str) -> Scenario {
    let text = std::fs::read_to_string("tests/oracles/fearon.toml").expect("reads");
    let text = text
        .replace(
            "temperature = 0.0",
            &format!("temperature = 0.0\nacceptance_noise = \"logistic\"\n{protocol}"),
        )
        .replace("noise = 0.15 ", "noise = 0.1 ");
    Scenario::from_bytes(Path::new("fearon-logistic.toml"), text.as_bytes()).expect("loads")
}

/// 1 for each of 20,000 runs that agreed, 0 for the others.
fn accepted(s: &Scenario) -> Vec<f64> {
    simulate_all(s, 20_000)
        .iter()
        .map(|r| f64::from(u8::from(r.outcome == armistice::sim::Outcome::Agreement)))
        .collect()
}

#[test]
fn logistic_noise_solved_acceptance_matches_simulation() {
    // Fearon's one offer with B's private shock logistic (scale 0.1) instead of uniform: the
    // offer maximises A's expected utility (checked against a grid of splits), and 20,000 runs
    // accept it as often as the solver says, within 4 SE
    let s = logistic_fearon("");
    let f = solve(&s);
    let o = &f.choices[0].offers[0];
    let x = o.shares.as_ref().expect("split")[0];
    // A's expected utility of demanding y: L((1 − y) − R_B) y + (1 − L) (p − cA), L logistic
    let (rb, da, a) = (0.25, 0.5, 0.1);
    let eu = |y: f64| {
        let l = 1.0 / (1.0 + (-((1.0 - y) - rb) / a).exp());
        l * y + (1.0 - l) * da
    };
    let best_grid = (0..=10_000)
        .map(|i| eu(i as f64 / 10_000.0))
        .fold(f64::NEG_INFINITY, f64::max);
    close("logistic Fearon", "A's expected utility", w(&f, 0, 0), best_grid, 1e-7);
    close("logistic Fearon", "EU at the offered demand", eu(x), w(&f, 0, 0), 1e-9);
    within_4se("logistic Fearon (simulated)", "P(accept)", &accepted(&s), o.accept);
}

/// The same with i.i.d. shocks (`private_types = "iid"`): each response draws a fresh logistic
/// shock, as the solver assumes (it drew a uniform one once, so the simulated acceptance rate
/// missed the solved one).
#[test]
fn iid_logistic_noise_solved_acceptance_matches_simulation() {
    let s = logistic_fearon("private_types = \"iid\"");
    let accept = solve(&s).choices[0].offers[0].accept;
    within_4se(
        "logistic Fearon, i.i.d. shocks (simulated)",
        "P(accept)",
        &accepted(&s),
        accept,
    );
}
