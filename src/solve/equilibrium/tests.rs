//! Unit tests of the equilibrium solver.

use super::*;

fn one_package(ua: f64, ub: f64) -> PackageSet {
    PackageSet::one(vec![ua, ub], 0b11)
}

fn stage(ps: &PackageSet, tau: f64, noise: f64) -> Stage<'_> {
    Stage {
        packages: ps,
        proposer: vec![0, 1],
        transition: vec![0.5, 0.5, 0.5, 0.5],
        flow: vec![0.0, 0.0],
        delta: vec![0.9, 0.9],
        breakdown: 0.0,
        breakdown_value: vec![0.0, 0.0],
        shock_lo: vec![-noise, -noise],
        shock_hi: vec![noise, noise],
        mood_floor: vec![],
        quota: None,
        outside: vec![None, None],
        logistic: false,
        scale: vec![noise, noise],
        types: &[],
        tau,
        tol: 1e-10,
        traced: true,
    }
}

#[test]
fn selection_is_pinned() {
    assert_eq!((LADDER_MAX_MOVE, LADDER_MIN_RATIO), (0.2, 1.02));
    assert_eq!((TAU0, LADDER_RATIO, TAU0_MAX), (16.0, 2.0, 1024.0));
    assert_eq!((TIE, MAX_COALITIONS), (1e-9, 4096));
    assert_eq!((SELECTION_TOL, POLISH_MAX_MOVE, TIE_RUNG_TOL), (1e-8, 1e-4, 1e-10));
    let l = temperature_ladder(0.02);
    assert_eq!(l.len(), 11);
    assert_eq!(l[0], 16.0);
    assert_eq!(*l.last().unwrap(), 0.02);
    assert!(
        l.windows(2)
            .all(|w| (w[1] / w[0] - (0.02f64 / 16.0).powf(1.0 / 10.0)).abs() < 1e-12)
    );
    let l0 = temperature_ladder(0.0);
    assert_eq!(*l0.last().unwrap(), 0.0);
    assert_eq!(l0[l0.len() - 2], 1e-4);
    assert_eq!(temperature_ladder(20.0), vec![20.0]);
}

/// With one package worth 0.6 to both, no noise, no war flow and δ = 0.9, the package is
/// offered and accepted at once: W = 0.6 and R = δ·W = 0.54 (logit weight of passing
/// e^{-0.06/τ} is negligible at τ = 0.001).
#[test]
fn immediate_agreement_on_the_only_package() {
    let ps = one_package(0.6, 0.6);
    let st = stage(&ps, 0.001, 0.0);
    let sol = st.solve_traced();
    assert!(sol.outcome.converged, "{:?}", sol.outcome);
    for w in &sol.w {
        assert!((w - 0.6).abs() < 1e-9, "{:?}", sol.w);
    }
    let r = st.reservation(&sol.w, 0);
    assert!((r[1] - 0.54).abs() < 1e-9);
    let c = st.choice(0, &sol.w);
    assert!(c.pass < 1e-20 && (c.offers[0].accept - 1.0).abs() < 1e-15);
}

/// A package below a responder's war value is never offered: everyone keeps the war flow.
#[test]
fn a_package_worse_than_war_is_never_offered() {
    let ps = one_package(0.6, -0.1);
    let mut st = stage(&ps, 0.01, 0.0);
    st.flow = vec![0.0, 0.0];
    let sol = st.solve_traced();
    assert!(sol.w.iter().all(|w| w.abs() < 1e-9), "{:?}", sol.w);
    assert_eq!(st.choice(0, &sol.w).pass, 1.0);
}

/// With uniform noise the fixed point satisfies its own equation to the stated tolerance and
/// the acceptance probability lies strictly inside (0, 1).
#[test]
fn noisy_fixed_point_is_a_fixed_point() {
    let ps = one_package(0.6, 0.5);
    let st = stage(&ps, 0.02, 0.1);
    let sol = st.solve_traced();
    let mut gw = vec![0.0; 4];
    st.map(&sol.w, &mut gw);
    assert!(sol.w.iter().zip(&gw).all(|(a, b)| (a - b).abs() < 1e-9));
    let p = st.choice(0, &sol.w).offers[0].accept;
    assert!(p > 0.0 && p < 1.0, "{p}");
}

#[test]
fn memo_key_sees_every_input() {
    let ps = one_package(0.6, 0.4);
    let base = stage(&ps, 0.02, 0.05);
    let k = |s: &Stage<'_>, w: Option<&[f64]>| memo::key(s, w).expect("small stages are memoised");
    assert_eq!(k(&base, None), k(&base.clone(), None));
    let mut other = ps.clone();
    other.utility[1] = 0.4 + 1e-15;
    let changed: Vec<Stage<'_>> = vec![
        Stage {
            tau: 0.021,
            ..base.clone()
        },
        Stage {
            tol: 1e-9,
            ..base.clone()
        },
        Stage {
            breakdown: 1e-12,
            ..base.clone()
        },
        Stage {
            flow: vec![0.0, -0.0],
            ..base.clone()
        },
        Stage {
            delta: vec![0.9, 0.91],
            ..base.clone()
        },
        Stage {
            shock_lo: vec![-0.05, -0.04],
            ..base.clone()
        },
        Stage {
            outside: vec![None, Some(0.0)],
            ..base.clone()
        },
        Stage {
            quota: Some(2),
            ..base.clone()
        },
        Stage {
            logistic: true,
            ..base.clone()
        },
        Stage {
            traced: false,
            ..base.clone()
        },
        Stage {
            proposer: vec![1, 0],
            ..base.clone()
        },
        Stage {
            packages: &other,
            ..base.clone()
        },
    ];
    let mut keys: Vec<u128> = changed.iter().map(|s| k(s, None)).collect();
    keys.push(k(&base, None));
    keys.push(k(&base, Some(&[0.0; 4])));
    let n = keys.len();
    keys.sort_unstable();
    keys.dedup();
    assert_eq!(keys.len(), n, "every changed input gives another key");
}

#[test]
fn a_memoised_solve_is_the_fresh_solve() {
    // a stage no other test solves (its key is its own), solved twice: the second answer comes
    // from the memo and equals the first bit for bit, and the fresh solve agrees
    let ps = one_package(0.613_579, 0.386_421);
    let st = stage(&ps, 0.037, 0.05);
    let first = st.solve_selected(None);
    let second = st.solve_selected(None);
    let fresh = st.solve_fresh(None);
    for other in [&second, &fresh] {
        assert_eq!(first.w, other.w);
        assert_eq!(
            (first.evals, first.ladder_steps, first.converged),
            (other.evals, other.ladder_steps, other.converged)
        );
    }
    assert!(memo::entries() >= 1);
}

/// Rule 3: every decision of the selection rule is made on values solved to [`SELECTION_TOL`],
/// then the selected values are polished to the solver tolerance. So the selection values are
/// the same bits at any solver tolerance, and only the played values (`w`) get more accurate.
#[test]
fn the_selection_never_sees_the_solver_tolerance() {
    let ps = PackageSet::several(vec![vec![0.7, 0.4], vec![0.5, 0.6], vec![0.3, 0.8]], 0b11);
    let solved = |tol: f64, warm: Option<Vec<f64>>| {
        let mut st = stage(&ps, 0.02, 0.05);
        st.delta = vec![0.995, 0.99];
        st.tol = tol;
        select(&st, warm, true)
    };
    let residual = |w: &[f64]| {
        let mut st = stage(&ps, 0.02, 0.05);
        st.delta = vec![0.995, 0.99];
        let mut out = vec![0.0; w.len()];
        st.map(w, &mut out);
        w.iter().zip(&out).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()))
    };
    let (a, b) = (solved(1e-10, None), solved(1e-13, None));
    assert!(a.converged && b.converged);
    assert_eq!(
        a.w_selection, b.w_selection,
        "the traced selection depends on the tolerance"
    );
    assert!(a.ladder_steps > 0);
    assert!(residual(&a.w_selection) < SELECTION_TOL);
    assert!(
        residual(&a.w) < 1e-10 && residual(&b.w) < 1e-13,
        "{} {}",
        residual(&a.w),
        residual(&b.w)
    );
    // a warm start from the selection values: the same again
    let start: Vec<f64> = a.w_selection.iter().map(|x| x + 1e-3).collect();
    let (c, d) = (solved(1e-10, Some(start.clone())), solved(1e-13, Some(start)));
    assert_eq!(c.w_selection, d.w_selection);
    assert_eq!(c.ladder_steps, 0);
}
