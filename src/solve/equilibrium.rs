//! Stationary equilibrium of the bargaining game at one state (`MODEL.md` §2–3).
//!
//! Recognition is a Markov chain over *recognition states* `s` with proposer `prop[s]` and
//! transition matrix `M` (i.i.d. weighted recognition: every row equals the recognition
//! probabilities; a fixed order: a cycle). The unknowns are `W[s][i]`, actor i's expected payoff
//! in a round whose proposer state is s. Given `W`, the reservation value of actor j in state s is
//!
//! ```text
//! R_j(s) = g_j + δ_j [ λ b_j + (1-λ) Σ_s' M[s][s'] W[s'][j] ]          (MODEL.md §2)
//! ```
//!
//! The proposer k = prop[s] chooses between passing (weight `exp(R_k/τ)`) and each individually
//! rational package z (`U_k(z) > R_k`, `P(z) > 0`) with weight `exp(EU_k(z)/τ) - exp(R_k/τ)`,
//! where `P(z) = Π_{j needed} F_j(U_j(z) - R_j) · Π_r ρ_r(z)` and `EU_k = P U_k + (1-P) R_k`.
//! Each actor's payoff under the choice is
//!
//! ```text
//! W_i = P U_i + (1-P) R_i + 1{i needed} P_{-i} (1 - F_i(x_i)) E[ε_i | ε_i > x_i]   (MODEL.md §3)
//! ```
//!
//! averaged over the choice; `F_j` is the CDF of j's private acceptance shock under the current
//! belief (uniform on `[lo_j, hi_j]`, initially `[-a_j, a_j]`, truncated from below after each
//! rejection), and `ρ_r` a ratifier's pass probability under the current belief about its mood.
//! `P_{-i}` excludes ratification (a rejection ends the proposal before any vote).
//!
//! # Equilibrium selection (pinned; see the `selection_is_pinned` test)
//! Package games have several stationary equilibria, so the rule is fixed:
//! - start values `W = g/(1-δ)` (status quo forever, or `g` when δ = 1);
//! - temperatures `τ_j = τ_0 (τ*/τ_0)^(j/L)` from [`TAU0`] = 16 (proposers mostly pass there
//!   and the map contracts, so the top equilibrium is unique) down to the scenario's `τ*` in
//!   `L = ceil(log2(τ_0/τ*))` geometric steps (to `1e-4` and then exactly 0 when `τ* = 0`);
//! - each rung solved warm-started from the previous one by [`Stage::solve_from`] (Anderson
//!   acceleration, memory 5, 2,000 evaluations; then damped iteration with α = 1/2, 1/5, 1/20),
//!   to a max-norm residual of 1e-8 at intermediate rungs and `tol` (1e-10) at `τ*`;
//! - if the top rung does not solve (steep acceptance makes even `τ_0` non-contracting), the
//!   ladder starts at `2τ_0`, `4τ_0`, ... up to [`TAU0_MAX`] instead;
//! - a rung that fails, or whose values move by more than [`LADDER_MAX_MOVE`] from the
//!   previous rung, is split at the geometric midpoint (down to a ratio of
//!   [`LADDER_MIN_RATIO`]), so the ladder follows the branch closely and jumps only at a fold;
//! - if a rung still fails, the branch is followed from the last solved rung by
//!   pseudo-arclength continuation in `(W, ln τ)` ([`super::continuation`]); if that stops at a
//!   kink before `τ*`, the values at the lowest temperature reached are kept and reported;
//! - later rounds of a run warm-start at `τ*` from the previous round's values, except after a
//!   rejection or a failed vote (beliefs jumped): those rounds are traced along the ladder again;
//! - a round that cannot be solved at all stops the run, and the runner reports its index.
//!
//! This is the logit tracing path (McKelvey and Palfrey 1995; Turocy 2005) followed in discrete
//! steps. The simulation holds what proposers learn on a 1e-6 grid, so the selected equilibria
//! (and whole runs) are the same with tolerances 1e-8 and 1e-10 and any thread count
//! (`tests/mechanisms.rs`, `tests/reproducibility.rs`).

use super::anderson::{self, Outcome, Settings};
use super::continuation;
use crate::model::PackageSet;

/// Everything the equilibrium depends on at one state of one run.
#[derive(Debug, Clone)]
pub struct Stage<'a> {
    pub packages: &'a PackageSet,
    /// Proposer of each recognition state.
    pub proposer: Vec<usize>,
    /// Row-stochastic transition matrix between recognition states, `S × S`.
    pub transition: Vec<f64>,
    /// War flow per round `g_i = (1-δ_i) U_i^war - c_i`.
    pub flow: Vec<f64>,
    /// Discount factors, in (0, 1].
    pub delta: Vec<f64>,
    /// Per-round breakdown probability after a rejection.
    pub breakdown: f64,
    /// Breakdown payoffs `b_i`.
    pub breakdown_value: Vec<f64>,
    /// Belief support of each actor's acceptance shock, `[lo_i, hi_i]`.
    pub shock_lo: Vec<f64>,
    pub shock_hi: Vec<f64>,
    /// Belief lower bound on each persistent ratifier's latent mood (0 initially).
    pub mood_floor: Vec<f64>,
    /// `Some(q)`: q votes including the proposer's; `None`: the required set only.
    pub quota: Option<usize>,
    /// Logit temperature, >= 0.
    pub tau: f64,
    /// Max-norm residual at which the solve at `tau` stops (1e-10 by default).
    pub tol: f64,
    /// `false` (ablation only): solve at `tau` from the start values instead of the ladder
    /// (the ladder is used only where that fails).
    pub traced: bool,
}

/// The selected equilibrium of one round and what it cost.
#[derive(Debug, Clone)]
pub struct Selected {
    /// `W[s * n + i]`.
    pub w: Vec<f64>,
    pub evals: usize,
    /// Temperature-ladder rungs solved, split rungs and continuation steps included (0 when the
    /// warm start converged).
    pub ladder_steps: usize,
    /// Whether the warm start failed and the round was solved again along the ladder.
    pub fallback: bool,
    pub converged: bool,
    pub residual: f64,
    /// The temperature the values solve: the stage's τ, or the lowest temperature the logit path
    /// could be followed to when it cannot reach the stage's τ (a fold or kink it cannot pass).
    pub tau: f64,
}

/// A proposer's choice distribution at one state.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// Probability of passing.
    pub pass: f64,
    /// (package position, probability, needed-responder mask, acceptance probability P(z)).
    pub offers: Vec<(usize, f64, u32, f64)>,
}

/// The solved values and how much work they took.
#[derive(Debug, Clone)]
pub struct Solution {
    /// `W[s * n + i]`.
    pub w: Vec<f64>,
    pub outcome: Outcome,
}

impl Stage<'_> {
    fn n(&self) -> usize {
        self.delta.len()
    }
    fn states(&self) -> usize {
        self.proposer.len()
    }

    /// Reservation values of every actor in recognition state `s`.
    pub fn reservation(&self, w: &[f64], s: usize) -> Vec<f64> {
        let (n, ns) = (self.n(), self.states());
        (0..n)
            .map(|j| {
                let next: f64 = (0..ns).map(|t| self.transition[s * ns + t] * w[t * n + j]).sum();
                self.flow[j]
                    + self.delta[j] * (self.breakdown * self.breakdown_value[j] + (1.0 - self.breakdown) * next)
            })
            .collect()
    }

    /// `F_j(x)`: probability that j accepts an offer worth `x` above its reservation value.
    #[inline]
    pub fn accept_prob(&self, j: usize, x: f64) -> f64 {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if hi - lo <= 1e-12 {
            f64::from(u8::from(x >= lo - 1e-12))
        } else {
            ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
        }
    }

    /// `(1 - F_j(x)) E[ε_j | ε_j > x]` under the belief.
    #[inline]
    fn rejection_gain(&self, j: usize, x: f64) -> f64 {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if hi - lo <= 1e-12 {
            return 0.0;
        }
        let f = self.accept_prob(j, x);
        (1.0 - f) * 0.5 * (x.max(lo) + hi)
    }

    /// Pass probability of every ratifier for package z, under the current beliefs.
    fn ratify_prob(&self, z: usize) -> f64 {
        let ps = self.packages;
        (0..ps.r)
            .map(|j| {
                let p = ps.ratify[z * ps.r + j];
                let m = self.mood_floor[j];
                if m <= 0.0 { p } else { ((p - m) / (1.0 - m)).max(0.0) }
            })
            .product()
    }

    /// Needed responders of z when k proposes (quota extras chosen by acceptance probability).
    fn needed(&self, z: usize, k: usize, r: &[f64]) -> Option<u32> {
        let ps = self.packages;
        let mut needed = ps.required[z] & !(1 << k);
        if let Some(q) = self.quota {
            let have = (ps.required[z] | (1 << k)).count_ones() as usize;
            if have < q {
                let mut extra: Vec<(f64, usize)> = (0..self.n())
                    .filter(|&j| j != k && ps.required[z] & (1 << j) == 0)
                    .map(|j| {
                        (
                            if ps.blocked[z] & (1 << j) != 0 {
                                0.0
                            } else {
                                self.accept_prob(j, ps.u(z, j) - r[j])
                            },
                            j,
                        )
                    })
                    .collect();
                if extra.len() < q - have {
                    return None;
                }
                extra.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
                extra.iter().take(q - have).for_each(|&(_, j)| needed |= 1 << j);
            }
        }
        Some(needed)
    }

    /// The proposer's logit choice in state `s` given reservation values `r`.
    pub fn choice(&self, s: usize, r: &[f64]) -> Choice {
        let k = self.proposer[s];
        let ps = self.packages;
        let rk = r[k];
        let mut cands: Vec<(usize, f64, u32, f64)> = Vec::new();
        for z in 0..ps.len() {
            if ps.blocked[z] & (1 << k) != 0 || ps.u(z, k) <= rk {
                continue;
            }
            let Some(needed) = self.needed(z, k, r) else {
                continue;
            };
            if needed & ps.blocked[z] != 0 {
                continue;
            }
            let mut p = self.ratify_prob(z);
            let mut m = needed;
            while m != 0 && p > 0.0 {
                let j = m.trailing_zeros() as usize;
                m &= m - 1;
                p *= self.accept_prob(j, ps.u(z, j) - r[j]);
            }
            if p > 0.0 {
                cands.push((z, p * ps.u(z, k) + (1.0 - p) * rk, needed, p));
            }
        }
        let mut out = Choice {
            pass: 1.0,
            offers: Vec::with_capacity(cands.len()),
        };
        if cands.is_empty() {
            return out;
        }
        let best = cands.iter().map(|c| c.1).fold(f64::NEG_INFINITY, f64::max);
        if self.tau <= 0.0 {
            let ties: Vec<_> = cands.iter().filter(|c| c.1 >= best - 1e-12).collect();
            let q = 1.0 / ties.len() as f64;
            out.pass = 0.0;
            out.offers = ties.iter().map(|c| (c.0, q, c.2, c.3)).collect();
            return out;
        }
        let pass_w = ((rk - best) / self.tau).exp();
        let mut total = pass_w;
        for c in &cands {
            let wz = ((c.1 - best) / self.tau).exp() - pass_w;
            if wz > 0.0 {
                out.offers.push((c.0, wz, c.2, c.3));
                total += wz;
            }
        }
        out.pass = pass_w / total;
        out.offers.iter_mut().for_each(|o| o.1 /= total);
        out
    }

    /// One application of the equilibrium map: `W' = G(W)`.
    pub fn map(&self, w: &[f64], out: &mut [f64]) {
        let (n, ns) = (self.n(), self.states());
        let ps = self.packages;
        for s in 0..ns {
            let r = self.reservation(w, s);
            let c = self.choice(s, &r);
            let row = &mut out[s * n..(s + 1) * n];
            row.copy_from_slice(&r);
            row.iter_mut().for_each(|v| *v *= c.pass);
            for &(z, q, needed, p) in &c.offers {
                for i in 0..n {
                    let mut wi = p * ps.u(z, i) + (1.0 - p) * r[i];
                    if needed & (1 << i) != 0 {
                        let mut others = 1.0;
                        let mut m = needed & !(1 << i);
                        while m != 0 {
                            let j = m.trailing_zeros() as usize;
                            m &= m - 1;
                            others *= self.accept_prob(j, ps.u(z, j) - r[j]);
                        }
                        wi += others * self.rejection_gain(i, ps.u(z, i) - r[i]);
                    }
                    row[i] += q * wi;
                }
            }
        }
    }

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

    /// Solves at this stage's temperature, warm-started from `w`: Anderson acceleration (memory
    /// 5, 2,000 evaluations); if it fails, in turn: damped iteration `W ← W + α (G(W) − W)` with
    /// α = 1/2 (4,000 evaluations), Newton's method with a line search (20,000), damped
    /// iteration with α = 1/5 and 1/20 (10,000 each), each from Anderson's best point when its
    /// residual is below 1e-6, else from the start. The map has kinks
    /// (uniform acceptance shocks, packages entering the choice set) where Anderson's secant
    /// steps can stall, steep parts (a type learnt to a narrow interval) where only Newton
    /// converges, and oscillating directions where only a small α contracts.
    pub fn solve_from(&self, w: &mut [f64], tol: f64) -> Outcome {
        let start = w.to_vec();
        let out = anderson::solve(
            w,
            Settings {
                memory: 5,
                tol,
                max_evals: 2_000,
            },
            |x, out| self.map(x, out),
        );
        if out.converged {
            return out;
        }
        // from Anderson's best point when it got close (so that a tighter tolerance refines the
        // same equilibrium), else from the start
        let from = if out.residual < 1e-6 { w.to_vec() } else { start };
        let mut evals = out.evals;
        let attempts: [(Option<f64>, usize); 4] = [
            (Some(0.5), 4_000),
            (None, 20_000),
            (Some(0.2), 10_000),
            (Some(0.05), 10_000),
        ];
        let mut last = out;
        for (alpha, max_evals) in attempts {
            w.copy_from_slice(&from);
            last = match alpha {
                Some(a) => anderson::damped(w, a, tol, max_evals, |x, out| self.map(x, out)),
                // steep maps (a responder's type learnt to a narrow interval)
                None => anderson::newton(w, tol, max_evals, |x, out| self.map(x, out)),
            };
            evals += last.evals;
            if last.converged {
                break;
            }
        }
        Outcome { evals, ..last }
    }

    /// Solves from the pinned start values along the pinned temperature ladder.
    pub fn solve_traced(&self) -> Solution {
        self.solve_traced_from(self.start_values())
    }

    /// Like [`Stage::solve_traced`] from other start values (the ladder starts at [`TAU0`],
    /// where the logit equilibrium is unique, so the start should not matter: a test checks it).
    pub fn solve_traced_from(&self, start: Vec<f64>) -> Solution {
        let (sol, _, _) = self.trace_ladder(&temperature_ladder(self.tau), start);
        sol
    }

    /// Follows `ladder` from `start`. On success returns the solution; when a rung fails, also
    /// returns the last converged rung `(W, τ)` to continue from.
    fn trace_ladder(&self, ladder: &[f64], start: Vec<f64>) -> (Solution, Option<(Vec<f64>, f64)>, usize) {
        let mut w = start;
        let mut rungs = 0;
        let mut evals = 0;
        let mut stage = self.clone();
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
            let tol = if todo.is_empty() { self.tol } else { 1e-8 };
            let before = w.clone();
            last = stage.solve_from(&mut w, tol);
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

    /// The pinned selection rule of one round (see the module docs): warm start from `warm` (the
    /// previous round's values) when given; else, or if that fails, the temperature ladder from
    /// the start values; if a rung fails (the branch folds back between two rungs), the branch is
    /// followed from the last converged rung by pseudo-arclength continuation in `(W, ln τ)`
    /// down to the scenario's τ; if the continuation stops before (a kink of the map it cannot
    /// pass), the values at the lowest temperature reached are kept and `Selected::tau` says
    /// which (the caller records it). `converged = false` means every attempt failed: the caller
    /// must fail loudly.
    pub fn solve_selected(&self, warm: Option<Vec<f64>>) -> Selected {
        let mut evals = 0;
        let mut fallback = false;
        // a direct solve at τ*: from the previous round's values, then (ablation only) from the
        // start values
        let cold = (!self.traced).then(|| self.start_values());
        for mut w in warm
            .filter(|w| w.len() == self.states() * self.n())
            .into_iter()
            .chain(cold)
        {
            let out = self.solve_from(&mut w, self.tol);
            evals += out.evals;
            if out.converged {
                return Selected {
                    w,
                    evals,
                    ladder_steps: 0,
                    fallback,
                    converged: true,
                    residual: out.residual,
                    tau: self.tau,
                };
            }
            fallback = true;
        }
        let (sol, restart, mut steps) = self.trace_ladder(&temperature_ladder(self.tau), self.start_values());
        evals += sol.outcome.evals;
        let Some((w0, tau0)) = restart else {
            return Selected {
                w: sol.w,
                evals,
                ladder_steps: steps,
                fallback,
                converged: true,
                residual: sol.outcome.residual,
                tau: self.tau,
            };
        };
        // τ* = 0 is continued to the ladder's last positive rung, then solved exactly there
        let end = self.tau.max(1e-4);
        let mut stage = self.clone();
        let path = continuation::follow(&w0, tau0.ln(), end.ln(), self.tol, 200_000, |x, s, out| {
            stage.tau = s.exp();
            stage.map(x, out);
        });
        evals += path.evals;
        steps += path.steps;
        let (mut w, mut converged, mut residual) = (path.x.clone(), path.converged, path.residual);
        if converged && self.tau <= 0.0 {
            let out = self.solve_from(&mut w, self.tol);
            evals += out.evals;
            (converged, residual) = (out.converged, out.residual);
        }
        let mut tau = self.tau;
        if !converged {
            // the branch cannot be followed down to τ*: keep the equilibrium at the lowest
            // temperature reached along it (recorded), polished to the tolerance there
            let mut reached = self.clone();
            reached.tau = path.s.exp().max(self.tau);
            let (mut x, mut out) = (path.x.clone(), Outcome::default());
            if reached.tau < tau0 {
                out = reached.solve_from(&mut x, self.tol);
                evals += out.evals;
            }
            if !out.converged {
                reached.tau = tau0;
                x = w0.clone();
                out = reached.solve_from(&mut x, self.tol);
                evals += out.evals;
            }
            (w, converged, residual, tau) = (x, out.converged, out.residual, reached.tau);
        }
        Selected {
            w,
            evals,
            ladder_steps: steps,
            fallback: true,
            converged,
            residual,
            tau,
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn one_package(ua: f64, ub: f64) -> PackageSet {
        PackageSet {
            m: 1,
            n: 2,
            ids: vec![0],
            options: vec![0],
            utility: vec![ua, ub],
            required: vec![0b11],
            blocked: vec![0],
            ratify: vec![],
            in_scope: vec![0],
            r: 0,
        }
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
            tau,
            tol: 1e-10,
            traced: true,
        }
    }

    #[test]
    fn selection_is_pinned() {
        assert_eq!((LADDER_MAX_MOVE, LADDER_MIN_RATIO), (0.2, 1.02));
        assert_eq!((TAU0, LADDER_RATIO, TAU0_MAX), (16.0, 2.0, 1024.0));
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
        let c = st.choice(0, &r);
        assert!(c.pass < 1e-20 && (c.offers[0].3 - 1.0).abs() < 1e-15);
    }

    /// A package below a responder's war value is never offered: everyone keeps the war flow.
    #[test]
    fn a_package_worse_than_war_is_never_offered() {
        let ps = one_package(0.6, -0.1);
        let mut st = stage(&ps, 0.01, 0.0);
        st.flow = vec![0.0, 0.0];
        let sol = st.solve_traced();
        assert!(sol.w.iter().all(|w| w.abs() < 1e-9), "{:?}", sol.w);
        assert_eq!(st.choice(0, &st.reservation(&sol.w, 0)).pass, 1.0);
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
        let r = st.reservation(&sol.w, 0);
        let p = st.choice(0, &r).offers[0].3;
        assert!(p > 0.0 && p < 1.0, "{p}");
    }
}
