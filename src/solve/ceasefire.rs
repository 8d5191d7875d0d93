//! The equilibrium of a war with a ceasefire on the table (`docs/model.md` §9.1).
//!
//! A ceasefire `c` is a state of its own: settlement talks go on (the same packages, the same
//! recognition, beliefs and temperature), but each actor's flow per round is
//! `g_i^c = (1 − δ_i) S_i(c) − r_i` (its status-quo value under the ceasefire, `S_i(c)`, and its
//! residual cost `r_i`), and a round without settlement ends in a collapse back to war with
//! probability `h_c`. That is the stationary game of `docs/model.md` §2 with breakdown
//! probability `h_c` and breakdown value `V̄^war`, the value of being at war at the start of a
//! round. In the war state, ceasefire `c` is one more offer on the table, worth to actor `i`
//! what entering it is worth: `E_i(c) = g_i^c + δ_i [h_c V̄_i^war + (1 − h_c) Σ_s' M_ss' W_i^c(s')]`,
//! averaged over recognition states by their stationary weights.
//!
//! The war values and the ceasefire values depend on each other. The solve: the war game without
//! ceasefires by the pinned selection rule (the starting point), then a fixed point in the war
//! values `W^war = G(W^war)`, where `G` solves every ceasefire game for the war values it is
//! given (each warm-started from its last solution), prices each ceasefire offer, and solves the
//! war game with those offers (warm-started from `W^war`). `G` is iterated with Anderson
//! acceleration to a max-norm residual of [`OUTER_TOL`].

use super::anderson::{self, Settings};
use super::equilibrium::{Selected, Stage};
use crate::model::PackageSet;

/// Max-norm residual (utility units) of the outer fixed point in the war values: ten times the
/// inner solves' default tolerance, which bounds how exactly `G` itself is known.
pub const OUTER_TOL: f64 = 1e-9;

/// Evaluations of the outer map allowed.
const OUTER_EVALS: usize = 200;

/// One ceasefire package as the settlement talks under it see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Truce {
    /// Per actor: flow per round under the ceasefire, `(1 − δ_i) S_i(c) − r_i`.
    pub flow: Vec<f64>,
    /// Per-round probability of collapse back to war, in [0, 1].
    pub hazard: f64,
}

/// The solved war-and-ceasefire game of one round.
#[derive(Debug, Clone)]
pub struct Coupled {
    /// War values `W^war[s * n + i]` (the war game with the ceasefire offers).
    pub war: Vec<f64>,
    /// Per ceasefire package: its values `W^c[s * n + i]`.
    pub truce: Vec<Vec<f64>>,
    /// Per ceasefire package: each actor's value of entering it, `E_i(c)`.
    pub entry: Vec<Vec<f64>>,
    /// The work, summed over every inner solve; `tau` is the highest temperature any reached.
    pub work: Selected,
}

/// The settlement game under ceasefire `truce`, given the war value `war_value` (per actor).
pub fn truce_stage<'a>(template: &Stage<'a>, truce: &Truce, war_value: &[f64]) -> Stage<'a> {
    Stage {
        flow: truce.flow.clone(),
        breakdown: truce.hazard,
        breakdown_value: war_value.to_vec(),
        ..template.clone()
    }
}

/// Per actor: `Σ_s weight_s w[s * n + i]`.
pub fn average(w: &[f64], weights: &[f64], n: usize) -> Vec<f64> {
    let ns = w.len() / n;
    (0..n)
        .map(|i| {
            (0..ns)
                .map(|s| w[s * n + i] * weights.get(s).copied().unwrap_or(1.0 / ns as f64))
                .sum()
        })
        .collect()
}

fn add_work(total: &mut Selected, sel: &Selected) {
    total.evals += sel.evals;
    total.ladder_steps += sel.ladder_steps;
    total.fallback |= sel.fallback;
    total.converged &= sel.converged;
    total.residual = total.residual.max(sel.residual);
    total.tau = total.tau.max(sel.tau);
}

/// Solves the round's war-and-ceasefire game (module docs).
///
/// `template` is the war game without ceasefires (the run's settlement packages); `war_set` is
/// the same packages followed by one entry per ceasefire package (from index `first`), whose
/// utilities this function sets to `E_i(c)`; `weights` are the recognition states' stationary
/// weights. `warm`: the previous round's war values and ceasefire values, or `None` to start
/// from the pinned selection rule.
pub fn solve_coupled(
    template: &Stage<'_>,
    war_set: &mut PackageSet,
    first: usize,
    truces: &[Truce],
    weights: &[f64],
    warm: Option<(Vec<f64>, Vec<Vec<f64>>)>,
) -> Coupled {
    let n = template.delta.len();
    let mut work = Selected {
        w: vec![],
        evals: 0,
        ladder_steps: 0,
        fallback: false,
        converged: true,
        residual: 0.0,
        tau: template.tau,
    };
    let (mut w, mut truce_w): (Vec<f64>, Vec<Option<Vec<f64>>>) = match warm {
        Some((w, t)) if t.len() == truces.len() => (w, t.into_iter().map(Some).collect()),
        _ => {
            let sel = template.solve_selected(None);
            add_work(&mut work, &sel);
            (sel.w, vec![None; truces.len()])
        }
    };
    let mut entry = vec![vec![0.0; n]; truces.len()];
    if !work.converged {
        return Coupled {
            war: w,
            truce: truce_w.into_iter().map(Option::unwrap_or_default).collect(),
            entry,
            work,
        };
    }
    let mut g = |x: &[f64], out: &mut [f64]| {
        let war_value = average(x, weights, n);
        for (c, truce) in truces.iter().enumerate() {
            let stage = truce_stage(template, truce, &war_value);
            let sel = stage.solve_selected(truce_w[c].take());
            add_work(&mut work, &sel);
            let ns = stage.proposer.len();
            let mut e = vec![0.0; n];
            for s in 0..ns {
                let cont = stage.continuation(&sel.w, s);
                let ws = weights.get(s).copied().unwrap_or(1.0 / ns as f64);
                e.iter_mut().zip(&cont).for_each(|(a, b)| *a += ws * b);
            }
            for (i, v) in e.iter().enumerate() {
                war_set.utility[(first + c) * n + i] = *v;
            }
            entry[c] = e;
            truce_w[c] = Some(sel.w);
        }
        let war = Stage {
            packages: &*war_set,
            ..template.clone()
        };
        let sel = war.solve_selected(Some(x.to_vec()));
        add_work(&mut work, &sel);
        out.copy_from_slice(&sel.w);
    };
    let outer = anderson::solve(
        &mut w,
        Settings {
            memory: 3,
            tol: OUTER_TOL.max(template.tol),
            max_evals: OUTER_EVALS,
        },
        &mut g,
    );
    // the ceasefire values and offers of the last evaluation belong to `w` (G(best iterate))
    let mut last = vec![0.0; w.len()];
    g(&w, &mut last);
    work.converged &= outer.converged;
    work.residual = work.residual.max(outer.residual);
    work.w.clone_from(&last);
    Coupled {
        war: last,
        truce: truce_w.into_iter().map(Option::unwrap_or_default).collect(),
        entry,
        work,
    }
}
