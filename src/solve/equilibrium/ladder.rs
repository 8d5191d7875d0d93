//! Equilibrium selection (see the parent module's docs): solving at one temperature with
//! fallbacks, the pinned temperature ladder, and the selection rule of one round with its
//! continuation past folds.

use super::super::anderson::{self, Outcome, Settings};
use super::super::continuation;
use super::{Selected, Solution, Stage};

impl Stage<'_> {
    /// Start values: every actor lives with the war forever, `W = g/(1-δ)` (g when δ = 1).
    pub fn start_values(&self) -> Vec<f64> {
        let n = self.n();
        (0..self.states() * n)
            .map(|x| {
                let i = x % n;
                if self.delta[i] < 1.0 {
                    self.flow[i] / (1.0 - self.delta[i])
                } else {
                    self.flow[i]
                }
            })
            .collect()
    }

    /// Solves at this stage's temperature, warm-started from `w` ([`solve_from`]).
    pub fn solve_from(&self, w: &mut [f64], tol: f64) -> Outcome {
        solve_from(self, w, tol)
    }

    /// Solves from the pinned start values along the pinned temperature ladder.
    pub fn solve_traced(&self) -> Solution {
        self.solve_traced_from(self.start_values())
    }

    /// Like [`Stage::solve_traced`] from other start values (the ladder starts at [`TAU0`],
    /// where the logit equilibrium is unique, so the start should not matter: a test checks it).
    /// The values are polished to the stage's tolerance (as in [`polish`], without its guard).
    pub fn solve_traced_from(&self, start: Vec<f64>) -> Solution {
        let (mut sol, _, _) = trace_ladder(self, &temperature_ladder(self.tau), start);
        if sol.outcome.converged && sol.outcome.residual >= self.tol {
            let out = solve_from(self, &mut sol.w, self.tol);
            sol.outcome = Outcome {
                evals: sol.outcome.evals + out.evals,
                ..out
            };
        }
        sol
    }

    /// The pinned selection rule of one round (see the module docs): warm start from `warm` (the
    /// previous round's values) when given; else, or if that fails, [`select_traced`].
    /// `converged = false` means every attempt failed: the caller must fail loudly.
    ///
    /// Memoised: a stage solved before from the same warm start is answered from
    /// [`super::memo`] (the same [`Selected`], bit for bit).
    pub fn solve_selected(&self, warm: Option<Vec<f64>>) -> Selected {
        let key = super::memo::key(self, warm.as_deref());
        if let Some(hit) = super::memo::get(key) {
            return hit;
        }
        let sel = self.solve_fresh(warm);
        super::memo::put(key, &sel);
        sel
    }

    /// [`Stage::solve_selected`] without the memo: τ = 0 in a divide-the-dollar quota game, the
    /// exact equilibrium near the path's end (`eraslan.rs`); the path's result otherwise.
    pub(super) fn solve_fresh(&self, warm: Option<Vec<f64>>) -> Selected {
        let selected = select(self, warm, self.traced);
        if self.tau <= 0.0 && self.quota.is_some() {
            return self.exact_quota(selected);
        }
        selected
    }
}

/// Solves `problem` at its temperature, warm-started from `w`: Anderson acceleration (memory
/// 5, 2,000 evaluations); if it fails, in turn: damped iteration `W ← W + α (Φ(W) − W)` with
/// α = 1/2 (4,000 evaluations), Newton's method with a line search (20,000), damped iteration
/// with α = 1/5 and 1/20 (10,000 each), each from Anderson's best point when its residual is
/// below 1e-6, else from the start; when none converges, `w` holds the values with the lowest
/// residual any of them reached. The map has kinks (uniform acceptance shocks, packages
/// entering the choice set) where Anderson's secant steps can stall, steep parts (a type learnt
/// to a narrow interval) where only Newton converges, and oscillating directions where only a
/// small α contracts.
pub fn solve_from(problem: &Stage<'_>, w: &mut [f64], tol: f64) -> Outcome {
    let start = w.to_vec();
    let out = anderson::solve(
        w,
        Settings {
            memory: 5,
            tol,
            max_evals: 2_000,
        },
        |x, out| problem.map(x, out),
    );
    if out.converged {
        return out;
    }
    // from Anderson's best point when it got close (so that a tighter tolerance refines the
    // same equilibrium), else from the start
    let from = if out.residual < 1e-6 { w.to_vec() } else { start };
    let mut evals = out.evals;
    // the values with the lowest residual over every attempt: what a failed solve returns
    let mut best = (out.residual, w.to_vec());
    let attempts: [(Option<f64>, usize); 4] = [
        (Some(0.5), 4_000),
        (None, 20_000),
        (Some(0.2), 10_000),
        (Some(0.05), 10_000),
    ];
    for (alpha, max_evals) in attempts {
        w.copy_from_slice(&from);
        let last = match alpha {
            Some(a) => anderson::damped(w, a, tol, max_evals, |x, out| problem.map(x, out)),
            // steep maps (a responder's type learnt to a narrow interval)
            None => anderson::newton(w, tol, max_evals, |x, out| problem.map(x, out)),
        };
        evals += last.evals;
        if last.converged {
            return Outcome { evals, ..last };
        }
        if last.residual < best.0 {
            best = (last.residual, w.to_vec());
        }
    }
    w.copy_from_slice(&best.1);
    Outcome {
        evals,
        residual: best.0,
        converged: false,
    }
}

/// The pinned selection rule (parent module docs, `docs/model.md` §10 rules 1–8): a direct solve
/// at τ* from `warm` when given (`W[s * n + i]`, states × actors long; another length is ignored)
/// and, when `traced` is false (an ablation), from the start values; else, or if that fails,
/// [`select_traced`]; every solve to [`selection_tol`], then [`polish`]ed to `problem.tol`.
/// `fallback` in the result says a warm or cold start failed; `selected = false` that no
/// equilibrium was reached even at the selection tolerance, `converged = false` that the played
/// values `w` are above `problem.tol` (the caller lists the run, rule 8).
pub fn select(problem: &Stage<'_>, warm: Option<Vec<f64>>, traced: bool) -> Selected {
    let mut selected = select_unpolished(problem, warm, traced);
    polish(problem, &mut selected);
    selected
}

/// Rule 3's last step: `selected` (solved to [`selection_tol`] at `selected.tau`) polished to
/// the solver tolerance from there, its selection values kept in `w_selection`. When the polish
/// cannot reach the tolerance, the values with the lower residual are played and the solve
/// counts as unconverged (rule 8).
pub fn polish(problem: &Stage<'_>, selected: &mut Selected) {
    selected.w_selection.clone_from(&selected.w);
    selected.selected = selected.converged;
    if !selected.converged || selected.residual < problem.tol {
        return;
    }
    let mut at = problem.clone();
    at.tau = selected.tau;
    let mut w = selected.w.clone();
    let out = solve_from(&at, &mut w, problem.tol);
    selected.evals += out.evals;
    // the polish refines the selected equilibrium, it never replaces it: values that moved away
    // (from a point near a fold, where the residual is small but no equilibrium is close) are not
    // played
    let near = max_move(&w, &selected.w) <= POLISH_MAX_MOVE;
    selected.converged = out.converged && near;
    if near && (out.converged || out.residual < selected.residual) {
        selected.w = w;
        selected.residual = out.residual;
    }
}

/// Max-norm distance between two value vectors.
pub(super) fn max_move(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
}

/// [`select`] before the polish: every solve at the selection tolerance ([`selection_tol`]).
fn select_unpolished(problem: &Stage<'_>, warm: Option<Vec<f64>>, traced: bool) -> Selected {
    let mut evals = 0;
    let mut fallback = false;
    let len = problem.start_values().len();
    let cold = (!traced).then(|| problem.start_values());
    for mut w in warm.filter(|w| w.len() == len).into_iter().chain(cold) {
        let out = solve_from(problem, &mut w, selection_tol(problem.tol));
        evals += out.evals;
        if out.converged {
            return Selected {
                w,
                w_selection: vec![],
                next_warm: None,
                evals,
                ladder_steps: 0,
                fallback,
                selected: true,
                converged: true,
                residual: out.residual,
                tau: problem.tau,
            };
        }
        fallback = true;
    }
    let mut selected = select_traced(problem);
    selected.evals += evals;
    selected.fallback |= fallback;
    selected
}

/// Rules 1–6 of the selection rule: the temperature ladder from the start values; if a rung
/// fails (the branch folds back between two rungs), the branch is followed from the last
/// converged rung by pseudo-arclength continuation in `(W, ln τ)` down to the problem's τ; if
/// the continuation stops before (a kink of the map it cannot pass), the values at the lowest
/// temperature reached are kept and `Selected::tau` says which (the caller records it).
pub fn select_traced(problem: &Stage<'_>) -> Selected {
    let (sol, restart, steps) = trace_ladder(problem, &temperature_ladder(problem.tau), problem.start_values());
    let Some((w0, tau0)) = restart else {
        return Selected {
            w: sol.w,
            w_selection: vec![],
            next_warm: None,
            evals: sol.outcome.evals,
            ladder_steps: steps,
            fallback: false,
            selected: true,
            converged: true,
            residual: sol.outcome.residual,
            tau: problem.tau,
        };
    };
    let mut selected = follow_branch(problem, w0, tau0);
    selected.evals += sol.outcome.evals;
    selected.ladder_steps += steps;
    selected
}

/// Follows `ladder` from `start`. On success returns the solution; when a rung fails, also
/// returns the last converged rung `(W, τ)` to continue from.
fn trace_ladder(problem: &Stage<'_>, ladder: &[f64], start: Vec<f64>) -> (Solution, Option<(Vec<f64>, f64)>, usize) {
    let mut w = start;
    let mut rungs = 0;
    let mut evals = 0;
    let mut stage = problem.clone();
    let mut last = Outcome {
        evals: 0,
        residual: 0.0,
        converged: true,
    };
    let mut good: Option<(Vec<f64>, f64)> = None;
    // rungs still to solve, the next one last; a step whose values move by more than
    // LADDER_MAX_MOVE is split at its geometric midpoint (down to a ratio of LADDER_MIN_RATIO)
    let mut todo: Vec<f64> = ladder.iter().rev().copied().collect();
    while let Some(t) = todo.pop() {
        stage.tau = t;
        // every rung at the selection tolerance (the target's values are polished afterwards,
        // [`polish`]), except the last positive rung before an exact best response, whose ties
        // must be resolved from values accurate to well under [`TIE`]: a fixed 1e-10, so that
        // this selection too is the same at any solver tolerance
        let tol = if todo == [0.0] {
            TIE_RUNG_TOL
        } else {
            selection_tol(problem.tol)
        };
        let before = w.clone();
        last = solve_from(&stage, &mut w, tol);
        evals += last.evals;
        rungs += 1;
        if good.is_none() && !last.converged && (TAU0..TAU0_MAX).contains(&t) {
            // even the top rung has kinks steep enough to stall: start higher up
            todo.push(t);
            todo.push(2.0 * t);
            w.clone_from(&before);
            continue;
        }
        if let Some((wg, tg)) = &good {
            let moved = w.iter().zip(wg).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
            let splittable = t > 0.0 && tg / t > LADDER_MIN_RATIO;
            if (!last.converged || moved > LADDER_MAX_MOVE) && splittable {
                todo.push(t);
                todo.push((tg * t).sqrt());
                w.clone_from(wg);
                continue;
            }
        }
        if !last.converged {
            let restart = good.unwrap_or((before, t));
            return (
                Solution {
                    w,
                    outcome: Outcome { evals, ..last },
                },
                Some(restart),
                rungs,
            );
        }
        good = Some((w.clone(), t));
    }
    (
        Solution {
            w,
            outcome: Outcome { evals, ..last },
        },
        None,
        rungs,
    )
}

/// Follows the branch from the last converged rung `(w0, tau0)` by pseudo-arclength
/// continuation down to the problem's τ (τ* = 0: to the ladder's last positive rung, then
/// solved exactly there); if it stops before, keeps the values at the lowest temperature
/// reached ([`keep_lowest`]). Counts only this step's evaluations and steps.
fn follow_branch(problem: &Stage<'_>, w0: Vec<f64>, tau0: f64) -> Selected {
    let end = problem.tau.max(1e-4);
    let mut stage = problem.clone();
    let path = continuation::follow(
        &w0,
        tau0.ln(),
        end.ln(),
        selection_tol(problem.tol),
        200_000,
        |x, s, out| {
            stage.tau = s.exp();
            stage.map(x, out);
        },
    );
    let mut evals = path.evals;
    let (mut w, mut converged, mut residual) = (path.x.clone(), path.converged, path.residual);
    if converged && problem.tau <= 0.0 {
        let out = solve_from(problem, &mut w, selection_tol(problem.tol));
        evals += out.evals;
        (converged, residual) = (out.converged, out.residual);
    }
    let mut tau = problem.tau;
    if !converged {
        let (x, out, reached) = keep_lowest(problem, &path, w0, tau0);
        evals += out.evals;
        (w, converged, residual, tau) = (x, out.converged, out.residual, reached);
    }
    Selected {
        w,
        w_selection: vec![],
        next_warm: None,
        evals,
        ladder_steps: path.steps,
        fallback: true,
        selected: converged,
        converged,
        residual,
        tau,
    }
}

/// The branch cannot be followed down to τ*: the equilibrium at the lowest temperature
/// reached along it, polished to the tolerance there, or else the last converged rung
/// `(w0, tau0)`. Returns the values, the last solve (its evaluations those of every solve
/// made here) and the temperature they solve.
fn keep_lowest(
    problem: &Stage<'_>,
    path: &continuation::PathOutcome,
    w0: Vec<f64>,
    tau0: f64,
) -> (Vec<f64>, Outcome, f64) {
    let mut reached = problem.clone();
    reached.tau = path.s.exp().max(problem.tau);
    let (mut x, mut out) = (path.x.clone(), Outcome::default());
    let mut evals = 0;
    if reached.tau < tau0 {
        out = solve_from(&reached, &mut x, selection_tol(problem.tol));
        evals += out.evals;
    }
    if !out.converged {
        // neither solves: the one with the lower residual is played
        let lower = (reached.tau < tau0).then(|| (x.clone(), out.residual, reached.tau));
        reached.tau = tau0;
        x = w0;
        out = solve_from(&reached, &mut x, selection_tol(problem.tol));
        evals += out.evals;
        if let Some((lx, lr, lt)) = lower.filter(|l| !out.converged && l.1 < out.residual) {
            (x, out.residual) = (lx, lr);
            reached.tau = lt;
        }
    }
    (x, Outcome { evals, ..out }, reached.tau)
}

/// Max-norm residual to which every solve of the selection rule is made (rule 3): every rung,
/// warm start, continuation and fallback decides on values solved to this, whatever solver
/// tolerance below it is asked for ([`selection_tol`]); the selected values are then polished to
/// the solver tolerance ([`polish`]). So a selection cannot depend on a solver tolerance of 1e-8
/// or less (utility units).
pub const SELECTION_TOL: f64 = 1e-8;

/// The tolerance every solve of the selection rule is made to: [`SELECTION_TOL`], or the solver
/// tolerance `tol` where that is looser (a tolerance above 1e-8 asks for less precision and gets
/// it, selection included).
pub fn selection_tol(tol: f64) -> f64 {
    SELECTION_TOL.max(tol)
}

/// The tolerance of the last positive rung before `τ* = 0` (rule 3; max-norm residual, utility
/// units): ties at τ = 0 are resolved within [`TIE`] = 1e-9, so the values they are read from
/// must be accurate to well under it; fixed, so that the selection does not depend on the solver
/// tolerance.
pub const TIE_RUNG_TOL: f64 = 1e-10;

/// Largest max-norm distance the polish may move the selected values (utility units): a
/// polish that goes further has left the selected equilibrium (near a fold, a point can have a
/// residual under [`SELECTION_TOL`] with no equilibrium close by), so its values are not played
/// and the round counts as unconverged (rule 8). 10^4 times the selection tolerance: the distance
/// a residual of 1e-8 implies where the map contracts at a rate of 0.9999 (daily rounds).
pub const POLISH_MAX_MOVE: f64 = 1e-4;

/// Largest max-norm change of the values between two solved rungs of the ladder; a larger move
/// splits the step (utility units).
pub const LADDER_MAX_MOVE: f64 = 0.2;

/// Smallest ratio between two rungs that is still split.
pub const LADDER_MIN_RATIO: f64 = 1.02;

/// Top of the ladder (utility units): high enough that proposers mostly pass and the map
/// contracts, so the equilibrium there does not depend on the start values.
pub const TAU0: f64 = 16.0;

/// Largest ratio between two rungs of the pinned ladder (before splitting).
pub const LADDER_RATIO: f64 = 2.0;

/// When the top rung does not solve, the ladder starts at 2, 4, ... times `TAU0`, up to this.
pub const TAU0_MAX: f64 = 1024.0;

/// The pinned temperature ladder from [`TAU0`] to `target` (see the module docs).
pub fn temperature_ladder(target: f64) -> Vec<f64> {
    if target >= TAU0 {
        return vec![target];
    }
    let end = if target > 0.0 { target } else { 1e-4 };
    let steps = ((TAU0 / end).ln() / LADDER_RATIO.ln()).ceil().max(1.0) as usize;
    let mut v: Vec<f64> = (0..=steps)
        .map(|j| TAU0 * (end / TAU0).powf(j as f64 / steps as f64))
        .collect();
    *v.last_mut().expect("non-empty") = end;
    if target <= 0.0 {
        v.push(0.0);
    }
    v
}
