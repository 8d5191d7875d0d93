//! The oracle suite (issue 3): every case of `shared/data/oracles/oracles.json`, with its numbers
//! copied here and its source cited, reproduced by the engine within the oracle's tolerance
//! (`MODEL.md` §7). Scenarios are under `tests/oracles/`; each case sets its numbers on a base
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

fn solve(s: &Scenario) -> FirstRound {
    let f = first_round(s, expected_params(s));
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
