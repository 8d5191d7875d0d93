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
//! The war values and the ceasefire values depend on each other, so they are solved as one fixed
//! point `X = H(X)` in `X = (W^war, W^1, …, W^C)`: `H` prices each ceasefire offer from the
//! current `X`, then applies the equilibrium map of §3 to the war game (with those offers) and to
//! each ceasefire's game (with breakdown value `V̄^war` from the current `X`). Start: the war game
//! without ceasefires by the pinned selection rule (§10), then each ceasefire's game by the same
//! rule given those war values; later rounds warm-start from the previous round's solution. The
//! joint map is solved like a single game's (Anderson acceleration, memory 5; then damped
//! iteration with α = 1/2, Newton's method, α = 1/5 and 1/20), from the games' values at the
//! selection tolerance to the selection tolerance, and then polished to the stage's tolerance
//! (`docs/model.md` §10, rule 3), so that the joint equilibrium reached does not depend on the
//! solver tolerance. When
//! a warm start fails, the whole solve starts again along the ladder; when that fails too, the
//! games are solved in turn, once each ([`solve_in_turn`]): the war values that price a
//! ceasefire's collapse are then those of the war without ceasefires (counted as a fallback).

use super::anderson::{self, Outcome, Settings};
use super::equilibrium::{POLISH_MAX_MOVE, Selected, Stage, selection_tol};
use crate::model::PackageSet;

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
    /// The joint solution `(W^war, W^1, …, W^C)` at the selection tolerance, before it was
    /// polished to the solver tolerance: the next round's warm start
    /// ([`crate::solve::equilibrium::SELECTION_TOL`]).
    pub selection: Vec<f64>,
    /// Per ceasefire package: its values `W^c[s * n + i]`.
    pub truce: Vec<Vec<f64>>,
    /// Per ceasefire package: each actor's value of entering it, `E_i(c)`.
    pub entry: Vec<Vec<f64>>,
    /// The same from the values at the selection tolerance: what a rejected ceasefire offer
    /// teaches is measured from them, so that learning does not depend on the solver tolerance.
    pub entry_selection: Vec<Vec<f64>>,
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
    total.selected &= sel.selected;
    total.converged &= sel.converged;
    total.residual = total.residual.max(sel.residual);
    total.tau = total.tau.max(sel.tau);
}

/// The joint map `H` (module docs): `x` holds `W^war` then each `W^c`, each `ns · n` long.
fn joint_map(
    template: &Stage<'_>,
    war_set: &mut PackageSet,
    first: usize,
    truces: &[Truce],
    weights: &[f64],
    x: &[f64],
    out: &mut [f64],
) {
    let n = template.delta.len();
    let len = template.proposer.len() * n;
    let war_value = average(&x[..len], weights, n);
    for (c, truce) in truces.iter().enumerate() {
        let stage = truce_stage(template, truce, &war_value);
        let w = &x[len * (c + 1)..len * (c + 2)];
        let e = entry_value(&stage, w, weights);
        war_set.utility[(first + c) * n..(first + c + 1) * n].copy_from_slice(&e);
        stage.map(w, &mut out[len * (c + 1)..len * (c + 2)]);
    }
    let war = Stage {
        packages: &*war_set,
        ..template.clone()
    };
    war.map(&x[..len], &mut out[..len]);
}

/// Each actor's value of entering the ceasefire whose game is `stage`, given its values `w`:
/// its continuation value averaged over recognition states by `weights`.
fn entry_value(stage: &Stage<'_>, w: &[f64], weights: &[f64]) -> Vec<f64> {
    let n = stage.delta.len();
    let ns = stage.proposer.len();
    let mut e = vec![0.0; n];
    for s in 0..ns {
        let cont = stage.continuation(w, s);
        let ws = weights.get(s).copied().unwrap_or(1.0 / ns as f64);
        e.iter_mut().zip(&cont).for_each(|(a, b)| *a += ws * b);
    }
    e
}

/// Solves the round's war-and-ceasefire game (module docs).
///
/// `template` is the war game without ceasefires (the run's settlement packages); `war_set` is
/// the same packages followed by one entry per ceasefire package (from index `first`), whose
/// utilities this function sets to `E_i(c)`; `weights` are the recognition states' stationary
/// weights. `warm_war`: the previous round's war values at the selection tolerance (`None`:
/// trace the war game along the pinned ladder again); `warm_truce`: each ceasefire game's
/// previous values, used as they are when the war values are warm, else as the warm start of
/// that game's selection rule (`Stage::solve_selected`). The joint fixed point is found at the
/// selection tolerance from those values, then polished to the solver tolerance
/// (`docs/model.md` §10, rule 3). With no ceasefire that can be signed, the war game alone.
pub fn solve_coupled(
    template: &Stage<'_>,
    war_set: &mut PackageSet,
    first: usize,
    truces: &[Truce],
    weights: &[f64],
    warm_war: Option<Vec<f64>>,
    warm_truce: Vec<Option<Vec<f64>>>,
) -> Coupled {
    if truces.is_empty() {
        // no ceasefire can be signed: the war game alone, solved exactly as without `[ceasefire]`
        let work = template.solve_selected(warm_war);
        return Coupled {
            war: work.w.clone(),
            selection: work.w_selection.clone(),
            truce: vec![],
            entry: vec![],
            entry_selection: vec![],
            work,
        };
    }
    let warm = warm_war.is_some() || warm_truce.iter().any(Option::is_some);
    let solved = solve_joint(template, war_set, first, truces, weights, warm_war, warm_truce);
    // the fallbacks decide on the selection, never on the polish (`docs/model.md` §10, rule 3)
    if solved.work.selected {
        return solved;
    }
    // a warm start that fails: every game along the pinned ladder again
    let again = if warm {
        let mut again = solve_joint(template, war_set, first, truces, weights, None, vec![]);
        again.work.evals += solved.work.evals;
        again.work.ladder_steps += solved.work.ladder_steps;
        again.work.fallback = true;
        again
    } else {
        solved
    };
    if again.work.selected {
        return again;
    }
    // the joint fixed point cannot be reached: one pass of the games in turn (module docs)
    let mut seq = solve_in_turn(template, war_set, first, truces, weights);
    seq.work.evals += again.work.evals;
    seq.work.ladder_steps += again.work.ladder_steps;
    seq
}

/// The last resort when the joint fixed point cannot be reached: the war game without
/// ceasefires, each ceasefire's game given its war values, then the war game with the ceasefire
/// offers priced from them, each by the pinned selection rule. Every game is solved; the
/// coupling is one pass short of the fixed point (the war value that prices a ceasefire's
/// collapse is the value without ceasefires). Counted as a fallback solve.
fn solve_in_turn(
    template: &Stage<'_>,
    war_set: &mut PackageSet,
    first: usize,
    truces: &[Truce],
    weights: &[f64],
) -> Coupled {
    let n = template.delta.len();
    let mut work = Selected {
        w: vec![],
        w_selection: vec![],
        next_warm: None,
        evals: 0,
        ladder_steps: 0,
        fallback: true,
        selected: true,
        converged: true,
        residual: 0.0,
        tau: template.tau,
    };
    let sel = template.solve_selected(None);
    add_work(&mut work, &sel);
    // games built from selection values, so that they do not depend on the solver tolerance
    let war_value = average(&sel.w_selection, weights, n);
    let mut truce = vec![];
    let mut truce_selection = vec![];
    let mut entry = vec![];
    for (c, t) in truces.iter().enumerate() {
        let stage = truce_stage(template, t, &war_value);
        let solved = stage.solve_selected(None);
        add_work(&mut work, &solved);
        let e = entry_value(&stage, &solved.w_selection, weights);
        war_set.utility[(first + c) * n..(first + c + 1) * n].copy_from_slice(&e);
        entry.push(e);
        truce.push(solved.w);
        truce_selection.push(solved.w_selection);
    }
    let war = Stage {
        packages: &*war_set,
        ..template.clone()
    };
    let solved = war.solve_selected(Some(sel.w_selection));
    add_work(&mut work, &solved);
    work.w.clone_from(&solved.w);
    let solved_w = solved.w;
    let selection = solved
        .w_selection
        .into_iter()
        .chain(truce_selection.into_iter().flatten())
        .collect();
    Coupled {
        war: solved_w,
        selection,
        truce,
        entry_selection: entry.clone(),
        entry,
        work,
    }
}

fn solve_joint(
    template: &Stage<'_>,
    war_set: &mut PackageSet,
    first: usize,
    truces: &[Truce],
    weights: &[f64],
    warm_war: Option<Vec<f64>>,
    warm_truce: Vec<Option<Vec<f64>>>,
) -> Coupled {
    let n = template.delta.len();
    let len = template.proposer.len() * n;
    let mut work = Selected {
        w: vec![],
        w_selection: vec![],
        next_warm: None,
        evals: 0,
        ladder_steps: 0,
        fallback: false,
        selected: true,
        converged: true,
        residual: 0.0,
        tau: template.tau,
    };
    let warm_truce: Vec<Option<Vec<f64>>> = if warm_truce.len() == truces.len() {
        warm_truce
    } else {
        vec![None; truces.len()]
    };
    let mut x: Vec<f64> = match warm_war {
        Some(w) if w.len() == len && warm_truce.iter().all(|t| t.as_ref().is_some_and(|t| t.len() == len)) => w
            .into_iter()
            .chain(warm_truce.into_iter().flatten().flatten())
            .collect(),
        warm => {
            // the pinned selection rule: the war without ceasefires (traced again unless warm),
            // then each ceasefire's game given those war values
            let sel = template.solve_selected(warm);
            add_work(&mut work, &sel);
            let war_value = average(&sel.w_selection, weights, n);
            let mut x = sel.w_selection;
            for (truce, prev) in truces.iter().zip(warm_truce) {
                let t = truce_stage(template, truce, &war_value).solve_selected(prev);
                add_work(&mut work, &t);
                x.extend(t.w_selection);
            }
            x
        }
    };
    let mut stage = template.clone();
    stage.tau = work.tau;
    let tol = template.tol;
    let mut h = |x: &[f64], out: &mut [f64]| joint_map(&stage, war_set, first, truces, weights, x, out);
    // the selection at the selection tolerance, then the polish to the solver tolerance from
    // there (`docs/model.md` §10, rule 3)
    let out = solve_joint_at(&mut x, selection_tol(tol), &mut h, &mut work);
    work.selected &= out.converged;
    let selection = x.clone();
    if out.converged && out.residual >= tol {
        let polished = solve_joint_at(&mut x, tol, &mut h, &mut work);
        // the polish refines the selected equilibrium, it never replaces it (`polish`)
        let near = x.iter().zip(&selection).all(|(a, b)| (a - b).abs() <= POLISH_MAX_MOVE);
        let played = if near && (polished.converged || polished.residual < out.residual) {
            polished.residual
        } else {
            x.copy_from_slice(&selection);
            out.residual
        };
        work.converged &= polished.converged && near;
        work.residual = work.residual.max(played);
    } else {
        work.converged &= out.converged;
        work.residual = work.residual.max(out.residual);
    }
    // the offers' values at the solution
    let mut last = vec![0.0; x.len()];
    h(&x, &mut last);
    work.evals += 1;
    let truce = x[len..].chunks(len).map(<[f64]>::to_vec).collect();
    let entries = |x: &[f64]| {
        let war_value = average(&x[..len], weights, n);
        truces
            .iter()
            .enumerate()
            .map(|(c, t)| {
                entry_value(
                    &truce_stage(template, t, &war_value),
                    &x[len * (c + 1)..len * (c + 2)],
                    weights,
                )
            })
            .collect()
    };
    let (entry, entry_selection) = (entries(&x), entries(&selection));
    x.truncate(len);
    work.w.clone_from(&x);
    Coupled {
        war: x,
        selection,
        truce,
        entry,
        entry_selection,
        work,
    }
}

/// Solves the joint map `h` in place from `x` to max-norm residual `tol`: Anderson acceleration
/// (memory 5, 2,000 evaluations), then in turn damped iteration with α = 1/2, Newton's method,
/// α = 1/5 and α = 1/20 from Anderson's best point when its residual is below 1e-6, else from
/// `x`. Adds its evaluations to `work` and marks a fallback there.
fn solve_joint_at(x: &mut [f64], tol: f64, h: &mut impl FnMut(&[f64], &mut [f64]), work: &mut Selected) -> Outcome {
    let start = x.to_vec();
    let mut out = anderson::solve(
        x,
        Settings {
            memory: 5,
            tol,
            max_evals: 2_000,
        },
        &mut *h,
    );
    let mut evals = out.evals;
    if !out.converged {
        work.fallback = true;
        let from = if out.residual < 1e-6 { x.to_vec() } else { start };
        for alpha in [Some(0.5), None, Some(0.2), Some(0.05)] {
            x.copy_from_slice(&from);
            out = match alpha {
                Some(a) => anderson::damped(x, a, tol, 4_000, &mut *h),
                None => anderson::newton(x, tol, 20_000, &mut *h),
            };
            evals += out.evals;
            if out.converged {
                break;
            }
        }
    }
    work.evals += evals;
    out
}
