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
//!   to a max-norm residual of 1e-8 at intermediate rungs and `tol` (1e-10) at `τ*` (and at
//!   the last positive rung when `τ* = 0`, so that exact best responses see ties, within
//!   [`TIE`], as ties);
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
    /// Each actor's outside option as a responder, if any (Shaked and Sutton 1984).
    pub outside: Vec<Option<f64>>,
    /// Logistic acceptance shocks (scale `scale_j`, truncated below at `shock_lo_j`) instead of
    /// uniform ones on `[shock_lo_j, shock_hi_j]`.
    pub logistic: bool,
    /// Scale of each actor's logistic shock (its `noise`); unused for uniform shocks.
    pub scale: Vec<f64>,
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

/// One offer in a proposer's choice distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct Offer {
    /// Position of the package in the [`PackageSet`].
    pub package: usize,
    /// Probability that the proposer makes this offer.
    pub prob: f64,
    /// Bitmask of the responders whose acceptance it needs (with a quota, the coalition).
    pub needed: u32,
    /// Probability `P(z)` that every needed responder accepts and every ratifier passes it.
    pub accept: f64,
    /// The split of the divisible issue (a share per actor, summing to 1 over its actors), if
    /// the scenario has one.
    pub shares: Option<Vec<f64>>,
}

/// A proposer's choice distribution at one state.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    /// Probability of passing.
    pub pass: f64,
    pub offers: Vec<Offer>,
}

/// The solved values and how much work they took.
#[derive(Debug, Clone)]
pub struct Solution {
    /// `W[s * n + i]`.
    pub w: Vec<f64>,
    pub outcome: Outcome,
}

/// With exact best responses (τ = 0), offers whose expected utility is within this of the best
/// (utility units) are ties and split evenly: well above the solver's 1e-10 residual, so that
/// iterates that differ by solver noise choose alike (a tolerance of 1e-12 made the symmetric
/// Baron–Ferejohn game take 46,000 map evaluations instead of a few hundred), and far below any
/// difference that matters.
pub const TIE: f64 = 1e-9;

/// A responder accepts an offer whose margin over its reservation value is at least its shock
/// minus this (utility units): an offer that meets the reservation value exactly, as a proposer
/// without noise to fear makes it, is accepted whatever the floating-point rounding. The same
/// rule in the solver's acceptance probability and in the simulation.
pub const ACCEPT_TOL: f64 = 1e-12;

/// Largest number of coalitions enumerated per package under a quota; beyond it the proposer
/// takes the responders most likely to accept (ties by actor order).
pub const MAX_COALITIONS: usize = 4096;

impl Stage<'_> {
    fn n(&self) -> usize {
        self.delta.len()
    }
    fn states(&self) -> usize {
        self.proposer.len()
    }

    /// Continuation values of every actor in recognition state `s` (its reservation value when
    /// it has no outside option).
    pub fn continuation(&self, w: &[f64], s: usize) -> Vec<f64> {
        let (n, ns) = (self.n(), self.states());
        (0..n)
            .map(|j| {
                let next: f64 = (0..ns).map(|t| self.transition[s * ns + t] * w[t * n + j]).sum();
                self.flow[j]
                    + self.delta[j] * (self.breakdown * self.breakdown_value[j] + (1.0 - self.breakdown) * next)
            })
            .collect()
    }

    /// Reservation values of every actor in recognition state `s`:
    /// `R_j = max(o_j, g_j + δ_j [λ b_j + (1−λ) Σ M W_j])` (`MODEL.md` §2; the outside option
    /// `o_j` of Shaked and Sutton 1984 where the actor has one).
    pub fn reservation(&self, w: &[f64], s: usize) -> Vec<f64> {
        self.reservation_from(self.continuation(w, s))
    }

    /// Reservation values from the continuation values of the same state.
    fn reservation_from(&self, mut r: Vec<f64>) -> Vec<f64> {
        for (j, o) in self.outside.iter().enumerate() {
            if let Some(o) = o {
                r[j] = r[j].max(*o);
            }
        }
        r
    }

    /// `F_j(x)`: probability that j accepts an offer worth `x` above its reservation value.
    #[inline]
    pub fn accept_prob(&self, j: usize, x: f64) -> f64 {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if self.logistic {
            return self.accept_prob_logistic(j, x);
        }
        if hi - lo <= 1e-12 {
            f64::from(u8::from(x >= lo - ACCEPT_TOL))
        } else {
            ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
        }
    }

    /// `(1 - F_j(x)) E[ε_j | ε_j > x]` under the belief.
    #[inline]
    fn rejection_gain(&self, j: usize, x: f64) -> f64 {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if self.logistic {
            return self.rejection_gain_logistic(j, x);
        }
        if hi - lo <= 1e-12 {
            return 0.0;
        }
        let f = self.accept_prob(j, x);
        (1.0 - f) * 0.5 * (x.max(lo) + hi)
    }

    /// [`Stage::accept_prob`] for logistic shocks, kept out of line so that the uniform case,
    /// the solver's hot path, stays small enough to inline.
    #[inline(never)]
    fn accept_prob_logistic(&self, j: usize, x: f64) -> f64 {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if self.logistic && self.scale[j] > 0.0 {
            if x < lo {
                return 0.0;
            }
            let a = self.scale[j];
            let l = |v: f64| {
                if v == f64::NEG_INFINITY {
                    0.0
                } else {
                    1.0 / (1.0 + (-v / a).exp())
                }
            };
            let (lx, llo) = (l(x), l(lo));
            return ((lx - llo) / (1.0 - llo)).clamp(0.0, 1.0);
        }
        if hi - lo <= 1e-12 {
            f64::from(u8::from(x >= lo - ACCEPT_TOL))
        } else {
            ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
        }
    }

    /// [`Stage::rejection_gain`] for logistic shocks (out of line, as above).
    #[inline(never)]
    fn rejection_gain_logistic(&self, j: usize, x: f64) -> f64 {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if self.logistic && self.scale[j] > 0.0 {
            // logistic with scale a truncated below at lo: ∫_x^∞ (1 − L) = a·ln(1 + e^{−x/a})
            let a = self.scale[j];
            let softplus = |v: f64| if v > 30.0 { v } else { v.exp().ln_1p() };
            let tail = |v: f64| (1.0 - 1.0 / (1.0 + (-v / a).exp())) * v + a * softplus(-v / a);
            let (from, norm) = if lo == f64::NEG_INFINITY {
                (x, 1.0)
            } else {
                (x.max(lo), 1.0 - 1.0 / (1.0 + (-lo / a).exp()))
            };
            return tail(from) / norm.max(1e-300);
        }
        if hi - lo <= 1e-12 {
            return 0.0;
        }
        let f = self.accept_prob(j, x);
        (1.0 - f) * 0.5 * (x.max(lo) + hi)
    }

    /// `start · Π_{j in mask} F_j(value(j) − r_j)`: the probability that every responder in
    /// `mask` accepts an offer worth `value(j)` to j (`start`: the ratifiers' pass probability,
    /// or 1), stopping early at 0.
    #[inline]
    fn acceptance(&self, mask: u32, r: &[f64], start: f64, value: impl Fn(usize) -> f64) -> f64 {
        let mut p = start;
        let mut m = mask;
        while m != 0 && p > 0.0 {
            let j = m.trailing_zeros() as usize;
            m &= m - 1;
            p *= self.accept_prob(j, value(j) - r[j]);
        }
        p
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

    /// The coalitions of responders package z can be offered to when k proposes: the required
    /// responders, plus under a quota every way of adding enough further actors for `q` votes
    /// including the proposer's (at most [`MAX_COALITIONS`]; beyond that the most likely to
    /// accept). Empty when too few actors remain.
    fn coalitions(&self, z: usize, k: usize, r: &[f64]) -> Vec<u32> {
        let ps = self.packages;
        let needed = ps.required[z] & !(1 << k);
        let Some(q) = self.quota else {
            return vec![needed];
        };
        let have = (ps.required[z] | (1 << k)).count_ones() as usize;
        if have >= q {
            return vec![needed];
        }
        let pool: Vec<usize> = (0..self.n())
            .filter(|&j| j != k && ps.required[z] & (1 << j) == 0 && ps.blocked[z] & (1 << j) == 0)
            .collect();
        let m = q - have;
        if pool.len() < m {
            return vec![];
        }
        if binomial(pool.len(), m) > MAX_COALITIONS {
            let mut extra: Vec<(f64, usize)> = pool
                .iter()
                .map(|&j| (self.accept_prob(j, ps.u(z, j) - r[j]), j))
                .collect();
            extra.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            return vec![extra.iter().take(m).fold(needed, |acc, &(_, j)| acc | (1 << j))];
        }
        // every m-subset of the pool, in lexicographic order of positions (Gosper's hack)
        let mut out = vec![];
        let mut c: u64 = (1u64 << m) - 1;
        while c < (1u64 << pool.len()) {
            let mask = (0..pool.len())
                .filter(|&b| c & (1 << b) != 0)
                .fold(needed, |acc, b| acc | (1 << pool[b]));
            out.push(mask);
            let t = c & c.wrapping_neg();
            let rr = c + t;
            c = (((rr ^ c) >> 2) / t) | rr;
        }
        out
    }

    /// Actor i's peace value of package z with the split `shares` (`MODEL.md` §1):
    /// `U_i(z) = Σ_k w_ik v_ik(o_k) + w_id φ_i(x_id) + B_i`.
    #[inline]
    pub fn utility(&self, z: usize, i: usize, shares: Option<&[f64]>) -> f64 {
        let base = self.packages.u(z, i);
        match (shares, &self.packages.split) {
            (Some(x), Some(d)) => base + d.value(i, x[i]),
            _ => base,
        }
    }

    /// Probability that responder j, having rejected, walks out to its outside option rather
    /// than wait for the continuation `cont_j`: 1 if the option beats waiting, 0 if not (exact
    /// best response, τ = 0); smoothed by the proposers' logit temperature τ otherwise,
    /// `1/(1 + exp(−(o_j − cont_j)/τ))`, so that the equilibrium map stays continuous where the
    /// two are equal (the tracing path cannot cross a jump). 0 without an outside option.
    pub fn opt_out_prob(&self, j: usize, cont_j: f64) -> f64 {
        let Some(o) = self.outside[j] else { return 0.0 };
        if self.tau <= 0.0 {
            f64::from(u8::from(o > cont_j))
        } else {
            1.0 / (1.0 + (-(o - cont_j) / self.tau).exp())
        }
    }

    /// What each actor gets if an offer to `needed` is rejected: its continuation value, or, if
    /// a needed responder walks out ([`Stage::opt_out_prob`]), every actor's outside option (its
    /// breakdown value if it has none). `None` when no needed responder can walk out. Exact
    /// with one responder.
    fn rejection_values(&self, needed: u32, cont: &[f64]) -> Option<Vec<f64>> {
        if self.outside.iter().all(Option::is_none) {
            return None;
        }
        let stay: f64 = (0..self.n())
            .filter(|&j| needed & (1 << j) != 0)
            .map(|j| 1.0 - self.opt_out_prob(j, cont[j]))
            .product();
        (stay < 1.0).then(|| {
            (0..self.n())
                .map(|i| {
                    let o = self.outside[i].unwrap_or(self.breakdown_value[i]);
                    (1.0 - stay) * o + stay * cont[i]
                })
                .collect()
        })
    }

    /// The proposer's split of the divisible issue for package z offered to `needed`, given the
    /// responders' thresholds `thr` (reservation values) and what the proposer gets if the offer
    /// fails, `dk` (`MODEL.md` §3). Returns `None` when the needed responders cannot all be given
    /// a positive probability of accepting within the good.
    ///
    /// - A responder without private noise gets exactly the share that meets its threshold at
    ///   the lowest type the proposer still believes possible (its reservation value when there
    ///   is no noise).
    /// - Responders with noise, uniform shocks and linear values (ρ = 1 for them and for the
    ///   proposer): the exact maximiser of `Π_j F_j(x_j) · (S − Σ_j β_j x_j)` over the margins
    ///   `x_j`, with `β_j = w_k/w_j` (one responder: the concession `(S − a)/2` above the
    ///   reservation of `MODEL.md` §3), by the first-order conditions `β_j (x_j − lo_j) = S −
    ///   Σ β x` on the responders not at a bound.
    /// - Otherwise (logistic shocks, curvature): coordinate ascent with a golden-section search
    ///   per responder (shares to about 1e-9).
    /// - A proposer with no share of the issue gives the remainder equally to the needed
    ///   responders that share it.
    fn split(&self, z: usize, k: usize, needed: u32, thr: &[f64], dk: f64) -> Option<Vec<f64>> {
        let d = self.packages.split.as_ref()?;
        let n = self.n();
        let mut y = vec![0.0; n];
        let member = |i: usize| d.members & (1 << i) != 0;
        let resp: Vec<usize> = (0..n).filter(|&j| needed & (1 << j) != 0 && member(j)).collect();
        let base: Vec<f64> = (0..n).map(|i| self.packages.u(z, i)).collect();
        let noisy = |j: usize| self.shock_hi[j] - self.shock_lo[j] > 1e-12 && (!self.logistic || self.scale[j] > 0.0);
        // the share that gives responder j margin x over its threshold
        let need = |j: usize, x: f64| d.share_for(j, thr[j] + x - base[j]);
        let mut free = vec![];
        let mut used = 0.0;
        for &j in &resp {
            if noisy(j) {
                free.push(j);
                y[j] = need(j, self.shock_lo[j]).max(0.0);
            } else {
                y[j] = need(j, self.shock_lo[j]);
            }
            used += y[j];
        }
        if used > 1.0 + 1e-12 || !used.is_finite() {
            return None;
        }
        let k_member = member(k);
        if !free.is_empty() {
            let linear = !self.logistic
                && (!k_member || d.curvature[k] == 1.0)
                && free.iter().all(|&j| d.curvature[j] == 1.0 && d.weight[j] > 0.0);
            let fixed_used: f64 = resp.iter().filter(|j| !free.contains(j)).map(|&j| y[j]).sum();
            let mut solved = false;
            if linear && k_member {
                solved = self.split_uniform_linear(d, k, &free, &base, thr, dk, fixed_used, &mut y);
            }
            if !solved {
                self.split_search(d, z, k, needed, &free, thr, dk, fixed_used, &mut y);
            }
        }
        let given: f64 = resp.iter().map(|&j| y[j]).sum();
        if given > 1.0 + 1e-12 {
            return None;
        }
        let rest = (1.0 - given).max(0.0);
        if k_member {
            y[k] += rest;
        } else if !resp.is_empty() {
            resp.iter().for_each(|&j| y[j] += rest / resp.len() as f64);
        } else {
            // nobody needed shares the good: the proposer, indifferent, splits it equally
            let m = d.members.count_ones() as f64;
            (0..n).filter(|&i| member(i)).for_each(|i| y[i] = 1.0 / m);
        }
        Some(y)
    }

    /// The exact split for uniform shocks and linear values (see [`Stage::split`]); false when
    /// the solution would need more than the whole good (the caller then searches).
    #[allow(clippy::too_many_arguments)]
    fn split_uniform_linear(
        &self,
        d: &crate::model::package::Split,
        k: usize,
        free: &[usize],
        base: &[f64],
        thr: &[f64],
        dk: f64,
        fixed_used: f64,
        y: &mut [f64],
    ) -> bool {
        let wk = d.weight[k];
        let beta: Vec<f64> = free.iter().map(|&j| wk / d.weight[j]).collect();
        // margins: x_j in [lb_j, hi_j], lb_j = max(lo_j, margin at share 0)
        let lb: Vec<f64> = free.iter().map(|&j| self.shock_lo[j].max(base[j] - thr[j])).collect();
        let hi: Vec<f64> = free.iter().map(|&j| self.shock_hi[j]).collect();
        // S: the proposer's gain over dk when every free responder has margin 0
        let zero_cost: f64 = free.iter().map(|&j| (thr[j] - base[j]) / d.weight[j]).sum();
        let s = base[k] + wk * (1.0 - fixed_used - zero_cost) - dk;
        let mut x: Vec<Option<f64>> = vec![None; free.len()];
        for _ in 0..=free.len() {
            let fixed_cost: f64 = x.iter().zip(&beta).filter_map(|(v, b)| v.map(|v| b * v)).sum();
            let nfree = x.iter().filter(|v| v.is_none()).count();
            let lo_cost: f64 = (0..free.len())
                .filter(|&i| x[i].is_none())
                .map(|i| beta[i] * self.shock_lo[free[i]])
                .sum();
            let m = (s - fixed_cost - lo_cost) / (nfree as f64 + 1.0);
            let mut changed = false;
            for i in 0..free.len() {
                if x[i].is_some() {
                    continue;
                }
                let xi = self.shock_lo[free[i]] + m / beta[i];
                if xi >= hi[i] {
                    x[i] = Some(hi[i]);
                    changed = true;
                } else if xi <= lb[i] {
                    x[i] = Some(lb[i]);
                    changed = true;
                }
            }
            if !changed {
                for i in 0..free.len() {
                    if x[i].is_none() {
                        x[i] = Some(self.shock_lo[free[i]] + m / beta[i]);
                    }
                }
                break;
            }
        }
        let mut total = fixed_used;
        for (i, &j) in free.iter().enumerate() {
            let xi = x[i].unwrap_or(lb[i]).max(lb[i]);
            y[j] = ((thr[j] + xi - base[j]) / d.weight[j]).max(0.0);
            total += y[j];
        }
        total <= 1.0 + 1e-12
    }

    /// Coordinate ascent over the free responders' shares with a golden-section search each
    /// (see [`Stage::split`]).
    #[allow(clippy::too_many_arguments)]
    fn split_search(
        &self,
        d: &crate::model::package::Split,
        z: usize,
        k: usize,
        needed: u32,
        free: &[usize],
        thr: &[f64],
        dk: f64,
        fixed_used: f64,
        y: &mut [f64],
    ) {
        let n = self.n();
        let base: Vec<f64> = (0..n).map(|i| self.packages.u(z, i)).collect();
        let k_member = d.members & (1 << k) != 0;
        let objective = |y: &[f64]| -> f64 {
            let given: f64 = free.iter().map(|&j| y[j]).sum::<f64>() + fixed_used;
            if given > 1.0 + 1e-12 {
                return f64::NEG_INFINITY;
            }
            let uk = base[k] + if k_member { d.value(k, 1.0 - given) } else { 0.0 };
            let mut p = 1.0;
            let mut m = needed;
            while m != 0 {
                let j = m.trailing_zeros() as usize;
                m &= m - 1;
                let uj = base[j] + d.value(j, y[j]);
                p *= self.accept_prob(j, uj - thr[j]);
            }
            p * (uk - dk)
        };
        for _ in 0..4 {
            for &j in free {
                let others: f64 = free.iter().filter(|&&i| i != j).map(|&i| y[i]).sum::<f64>() + fixed_used;
                let lo = d.share_for(j, thr[j] + self.shock_lo[j] - base[j]).clamp(0.0, 1.0);
                let hi = d
                    .share_for(j, thr[j] + self.shock_hi[j] - base[j])
                    .min((1.0 - others).max(0.0));
                if hi <= lo {
                    y[j] = hi.max(0.0);
                    continue;
                }
                let mut probe = y.to_vec();
                let mut f = |v: f64| {
                    probe[j] = v;
                    objective(&probe)
                };
                y[j] = golden_max(&mut f, lo, hi);
            }
        }
    }

    /// The proposer's logit choice in state `s` given the values `w` (`MODEL.md` §3).
    pub fn choice(&self, s: usize, w: &[f64]) -> Choice {
        self.choose(s, &self.reservation(w, s), &self.continuation(w, s))
    }

    /// The choice given the reservation values `r` and continuation values `cont` of state `s`
    /// (equal unless an outside option binds). Passing is worth the proposer's continuation.
    fn choose(&self, s: usize, r: &[f64], cont: &[f64]) -> Choice {
        let k = self.proposer[s];
        let ps = self.packages;
        let rk = cont[k];
        let has_outside = self.outside.iter().any(Option::is_some);
        if !has_outside && ps.split.is_none() && self.quota.is_none() {
            // the common case (ordinal packages, required responders only): light tuples
            let mut cands: Vec<(f64, (usize, u32, f64))> = Vec::new();
            for z in 0..ps.len() {
                if ps.blocked[z] & (1 << k) != 0 || ps.u(z, k) <= rk {
                    continue;
                }
                let needed = ps.required[z] & !(1 << k);
                if needed & ps.blocked[z] != 0 {
                    continue;
                }
                let p = self.acceptance(needed, r, self.ratify_prob(z), |j| ps.u(z, j));
                if p > 0.0 {
                    cands.push((p * ps.u(z, k) + (1.0 - p) * rk, (z, needed, p)));
                }
            }
            return self.logit(rk, cands, |(package, needed, accept), prob| Offer {
                package,
                prob,
                needed,
                accept,
                shares: None,
            });
        }
        let mut cands: Vec<(Offer, f64)> = Vec::new();
        for z in 0..ps.len() {
            if ps.blocked[z] & (1 << k) != 0 {
                continue;
            }
            if ps.split.is_none() && ps.u(z, k) <= rk {
                continue;
            }
            // without a quota the one coalition is the required set (no allocation on the hot path)
            let single;
            let many;
            let coalitions: &[u32] = if self.quota.is_none() {
                single = [ps.required[z] & !(1 << k)];
                &single
            } else {
                many = self.coalitions(z, k, r);
                &many
            };
            for &needed in coalitions {
                if needed & ps.blocked[z] != 0 {
                    continue;
                }
                let dk = if has_outside {
                    self.rejection_values(needed, cont).map_or(cont[k], |v| v[k])
                } else {
                    rk
                };
                let shares = if ps.split.is_some() {
                    match self.split(z, k, needed, r, dk) {
                        Some(x) => Some(x),
                        None => continue,
                    }
                } else {
                    None
                };
                let uk = self.utility(z, k, shares.as_deref());
                if uk <= rk {
                    continue;
                }
                let p = self.acceptance(needed, r, self.ratify_prob(z), |j| {
                    self.utility(z, j, shares.as_deref())
                });
                if p > 0.0 {
                    let eu = p * uk + (1.0 - p) * dk;
                    cands.push((
                        Offer {
                            package: z,
                            prob: 0.0,
                            needed,
                            accept: p,
                            shares,
                        },
                        eu,
                    ));
                }
            }
        }
        let cands: Vec<(f64, Offer)> = cands.into_iter().map(|(o, eu)| (eu, o)).collect();
        self.logit(rk, cands, |o, prob| Offer { prob, ..o })
    }

    /// The logit choice (`MODEL.md` §3) among candidates `(EU, candidate)` against passing
    /// (worth `rk`): weights `exp(EU/τ) − exp(rk/τ)` and `exp(rk/τ)`; at τ = 0 the best, ties
    /// (within [`TIE`]) split evenly. `offer` turns a kept candidate and its probability into an
    /// [`Offer`].
    fn logit<T>(&self, rk: f64, cands: Vec<(f64, T)>, offer: impl Fn(T, f64) -> Offer) -> Choice {
        let mut out = Choice {
            pass: 1.0,
            offers: Vec::with_capacity(cands.len()),
        };
        if cands.is_empty() {
            return out;
        }
        let best = cands.iter().map(|c| c.0).fold(f64::NEG_INFINITY, f64::max);
        if self.tau <= 0.0 {
            let ties: Vec<_> = cands.into_iter().filter(|c| c.0 >= best - TIE).collect();
            let q = 1.0 / ties.len() as f64;
            out.pass = 0.0;
            out.offers = ties.into_iter().map(|(_, c)| offer(c, q)).collect();
            return out;
        }
        let pass_w = ((rk - best) / self.tau).exp();
        let mut total = pass_w;
        for (eu, c) in cands {
            let wz = ((eu - best) / self.tau).exp() - pass_w;
            if wz > 0.0 {
                total += wz;
                out.offers.push(offer(c, wz));
            }
        }
        out.pass = pass_w / total;
        out.offers.iter_mut().for_each(|o| o.prob /= total);
        out
    }

    /// One application of the equilibrium map: `W' = G(W)`.
    pub fn map(&self, w: &[f64], out: &mut [f64]) {
        let (n, ns) = (self.n(), self.states());
        let plain = self.packages.split.is_none() && self.outside.iter().all(Option::is_none);
        for s in 0..ns {
            let cont = self.continuation(w, s);
            let r = self.reservation_from(cont.clone());
            let c = self.choose(s, &r, &cont);
            let row = &mut out[s * n..(s + 1) * n];
            // passing: the round is a round of war, worth the continuation
            row.copy_from_slice(&cont);
            row.iter_mut().for_each(|v| *v *= c.pass);
            if plain {
                // no divisible issue, no outside option: values straight from the package set
                let ps = self.packages;
                for o in &c.offers {
                    let (z, p) = (o.package, o.accept);
                    for i in 0..n {
                        let mut wi = p * ps.u(z, i) + (1.0 - p) * r[i];
                        if o.needed & (1 << i) != 0 {
                            let others = self.acceptance(o.needed & !(1 << i), &r, 1.0, |j| ps.u(z, j));
                            wi += others * self.rejection_gain(i, ps.u(z, i) - r[i]);
                        }
                        row[i] += o.prob * wi;
                    }
                }
                continue;
            }
            for o in &c.offers {
                let x = o.shares.as_deref();
                let fail = self.rejection_values(o.needed, &cont);
                for i in 0..n {
                    let di = fail.as_ref().map_or(cont[i], |f| f[i]);
                    let ui = self.utility(o.package, i, x);
                    let mut wi = o.accept * ui + (1.0 - o.accept) * di;
                    if o.needed & (1 << i) != 0 {
                        let others = self.acceptance(o.needed & !(1 << i), &r, 1.0, |j| self.utility(o.package, j, x));
                        wi += others * self.rejection_gain(i, ui - r[i]);
                    }
                    row[i] += o.prob * wi;
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
            // the target rung, and the last positive rung before an exact best response (whose
            // ties must be resolved from values accurate to well under [`TIE`]), get the final
            // tolerance
            let tol = if todo.is_empty() || todo == [0.0] {
                self.tol
            } else {
                1e-8
            };
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

/// `C(n, k)`, saturating.
fn binomial(n: usize, k: usize) -> usize {
    (0..k).fold(1usize, |acc, i| acc.saturating_mul(n - i) / (i + 1))
}

/// Maximiser of a unimodal `f` on `[lo, hi]` by golden-section search (to a width of 1e-12,
/// relative), checking both ends.
pub fn golden_max(f: &mut impl FnMut(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let g = 0.5 * (5f64.sqrt() - 1.0);
    let (mut a, mut b) = (lo, hi);
    let mut c = b - g * (b - a);
    let mut d = a + g * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    while (b - a) > 1e-12 * (1.0 + a.abs().max(b.abs())) {
        if fc >= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - g * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + g * (b - a);
            fd = f(d);
        }
    }
    let mid = 0.5 * (a + b);
    [(lo, f(lo)), (hi, f(hi)), (mid, f(mid))]
        .into_iter()
        .fold(
            (mid, f64::NEG_INFINITY),
            |best, (x, v)| if v > best.1 { (x, v) } else { best },
        )
        .0
}

/// Values by backward induction from a hard deadline (Ståhl 1972; `MODEL.md` §2): with
/// `rounds_left` rounds to go (1 = this is the last), `W_t = G(W_{t+1})`, where in the last round
/// a rejection ends the talks with the breakdown values (`λ = 1`).
pub fn backward_induction(stage: &Stage<'_>, rounds_left: usize) -> Vec<f64> {
    let size = stage.proposer.len() * stage.delta.len();
    let mut last = stage.clone();
    last.breakdown = 1.0;
    let mut w = vec![0.0; size];
    let mut out = vec![0.0; size];
    last.map(&w, &mut out);
    std::mem::swap(&mut w, &mut out);
    for _ in 1..rounds_left.max(1) {
        stage.map(&w, &mut out);
        std::mem::swap(&mut w, &mut out);
    }
    w
}

/// The stage a round with `rounds_left` rounds to a hard deadline is played with, and the values
/// its reservation values and choices look ahead to (`W_{t+1}`): in the last round
/// (`rounds_left` = 1) a rejection ends the talks (`λ = 1`, no values ahead); before it, the
/// values by [`backward_induction`] with one round fewer.
pub fn deadline_round<'a>(stage: &Stage<'a>, rounds_left: usize) -> (Stage<'a>, Vec<f64>) {
    let size = stage.proposer.len() * stage.delta.len();
    if rounds_left <= 1 {
        let mut last = stage.clone();
        last.breakdown = 1.0;
        (last, vec![0.0; size])
    } else {
        (stage.clone(), backward_induction(stage, rounds_left - 1))
    }
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
            split: None,
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
            outside: vec![None, None],
            logistic: false,
            scale: vec![noise, noise],
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
}
