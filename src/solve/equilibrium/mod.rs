//! Stationary equilibrium of the bargaining game at one state (`docs/model.md` §2–3).
//!
//! Recognition is a Markov chain over *recognition states* `s` with proposer `prop[s]` and
//! transition matrix `M` (i.i.d. weighted recognition: every row equals the recognition
//! probabilities; a fixed order: a cycle). The unknowns are `W[s][i]`, actor i's expected payoff
//! in a round whose proposer state is s. Given `W`, the reservation value of actor j in state s is
//!
//! ```text
//! R_j(s) = g_j + δ_j [ λ b_j + (1-λ) Σ_s' M[s][s'] W[s'][j] ]          (docs/model.md §2)
//! ```
//!
//! The proposer k = prop[s] chooses between passing (weight `exp(R_k/τ)`) and each individually
//! rational package z (`U_k(z) > R_k`, `P(z) > 0`) with weight `exp(EU_k(z)/τ) - exp(R_k/τ)`,
//! where `P(z) = Π_{j needed} F_j(U_j(z) - R_j) · Π_r ρ_r(z)` and `EU_k = P U_k + (1-P) R_k`.
//! Each actor's payoff under the choice is
//!
//! ```text
//! W_i = P U_i + (1-P) R_i + 1{i needed} P_{-i} (1 - F_i(x_i)) E[ε_i | ε_i > x_i]   (docs/model.md §3)
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
//!   acceleration, memory 5, 2,000 evaluations; then damped iteration with α = 1/2, Newton's
//!   method, α = 1/5 and 1/20), to the selection tolerance [`SELECTION_TOL`] (1e-8), `τ*`
//!   included, and then the selected values polished to `tol` (1e-10) from there ([`polish`]);
//!   every choice of the rule, and the next round's warm start ([`Selected::w_selection`]),
//!   uses the values at the selection tolerance, so none depends on `tol` (the last positive
//!   rung when `τ* = 0` is solved to `tol`, so that exact best responses see ties, within
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
//! - a stage solved before from the same warm start (the same bits in every input) is answered
//!   from [`memo`] instead of being solved again: deterministic scenarios solve once per batch.
//!
//! This is the logit tracing path (McKelvey and Palfrey 1995; Turocy 2005) followed in discrete
//! steps. Selections are made at the selection tolerance and the simulation holds what proposers
//! learn on a 1e-6 grid, so the selected equilibria (and whole runs) are the same with tolerances
//! 1e-8 and 1e-10 and any thread count (`tests/mechanisms.rs`, `tests/reproducibility.rs`;
//! `docs/model.md` §10).

mod acceptance;
mod choice;
mod coalition;
mod deadline;
mod discrete;
mod eraslan;
mod ladder;
pub mod memo;
mod prune;
mod split;
#[cfg(test)]
mod tests;

pub use coalition::{Coalitions, elementary};
pub use deadline::{backward_induction, deadline_round};
pub use ladder::{
    LADDER_MAX_MOVE, LADDER_MIN_RATIO, LADDER_RATIO, POLISH_MAX_MOVE, SELECTION_TOL, TAU0, TAU0_MAX, TIE_RUNG_TOL,
    polish, select, selection_tol, temperature_ladder,
};
pub use prune::PRUNE_ABOVE;
pub use split::golden_max;

use super::anderson::Outcome;
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
    /// Per actor, its discrete private types, which replace the family above for it (belief:
    /// the points from `shock_lo_j` up); empty when no actor has any (`docs/model.md` §3).
    pub types: &'a [Option<crate::scenario::types::TypePoints>],
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
    /// `W[s * n + i]`, to the solver tolerance: the values the round is played from.
    pub w: Vec<f64>,
    /// The same equilibrium at the selection tolerance [`SELECTION_TOL`], before it was polished
    /// to the solver tolerance: what every choice of the selection rule saw, and the warm start
    /// of the next round, so that no selection depends on the solver tolerance.
    pub w_selection: Vec<f64>,
    /// The next round's warm start where it is not `w_selection`: for a round solved by
    /// backward induction from a scheduled change, the selection values of the game after it
    /// (`crate::sim::scheduled`).
    pub next_warm: Option<Vec<f64>>,
    pub evals: usize,
    /// Temperature-ladder rungs solved, split rungs and continuation steps included (0 when the
    /// warm start converged).
    pub ladder_steps: usize,
    /// Whether the warm start failed and the round was solved again along the ladder.
    pub fallback: bool,
    /// Whether the selection itself converged, to [`SELECTION_TOL`]: what the fallbacks of a
    /// caller decide on, so that they cannot depend on the solver tolerance.
    pub selected: bool,
    /// Whether the played values `w` reached the solver tolerance (the selection converged and
    /// was polished).
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
    /// Beyond [`MAX_COALITIONS`]: the proposer's mixed choice of the further members it needs
    /// (`needed` then holds only those needed whatever the draw, and `accept` is the expected
    /// `P(z)`); `None` when the coalition is `needed` itself.
    pub coalition: Option<std::sync::Arc<Coalitions>>,
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

impl Stage<'_> {
    /// Adds to `row` (one value per actor, utility units) `prob` times each actor's payoff `W_i`
    /// (`docs/model.md` §3) from package z offered to the responders in the bitmask `needed`,
    /// which all accept it with probability `accept`, at reservation values `r`; for a package set
    /// without a divisible issue or outside options. `f`: scratch for the responders' acceptance
    /// probabilities.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    fn add_offer_values(
        &self,
        z: usize,
        needed: u32,
        accept: f64,
        prob: f64,
        r: &[f64],
        row: &mut [f64],
        f: &mut [f64; 32],
    ) {
        let ps = self.packages;
        let p = accept;
        let mut m = needed;
        while m != 0 {
            let j = m.trailing_zeros() as usize;
            m &= m - 1;
            f[j] = self.accept_prob(j, ps.u(z, j) - r[j]);
        }
        for (i, v) in row.iter_mut().enumerate() {
            let mut wi = p * ps.u(z, i) + (1.0 - p) * r[i];
            if needed & (1 << i) != 0 {
                // the others' acceptance, multiplied in `acceptance`'s order
                let mut others = 1.0;
                let mut m = needed & !(1 << i);
                while m != 0 && others > 0.0 {
                    let j = m.trailing_zeros() as usize;
                    m &= m - 1;
                    others *= f[j];
                }
                wi += others * self.rejection_gain(i, ps.u(z, i) - r[i]);
            }
            *v += prob * wi;
        }
    }
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
/// mixes over coalitions by a conditional-Poisson distribution (`coalition.rs`), or, with a
/// divisible issue, an outside option or discrete types, takes the responders most likely to
/// accept (ties by actor order).
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
        let mut out = vec![0.0; self.n()];
        self.continuation_into(w, s, &mut out);
        out
    }

    /// [`Stage::continuation`] written to `out` (length n), without allocating.
    fn continuation_into(&self, w: &[f64], s: usize, out: &mut [f64]) {
        let (n, ns) = (self.n(), self.states());
        for (j, o) in out.iter_mut().enumerate() {
            let next: f64 = (0..ns).map(|t| self.transition[s * ns + t] * w[t * n + j]).sum();
            *o = self.flow[j]
                + self.delta[j] * (self.breakdown * self.breakdown_value[j] + (1.0 - self.breakdown) * next);
        }
    }

    /// Reservation values of every actor in recognition state `s`:
    /// `R_j = max(o_j, g_j + δ_j [λ b_j + (1−λ) Σ M W_j])` (`docs/model.md` §2; the outside option
    /// `o_j` of Shaked and Sutton 1984 where the actor has one).
    pub fn reservation(&self, w: &[f64], s: usize) -> Vec<f64> {
        self.reservation_from(self.continuation(w, s))
    }

    /// Reservation values from the continuation values of the same state.
    pub(super) fn reservation_from(&self, mut r: Vec<f64>) -> Vec<f64> {
        for (j, o) in self.outside.iter().enumerate() {
            if let Some(o) = o {
                r[j] = r[j].max(*o);
            }
        }
        r
    }

    /// One application of the equilibrium map: `W' = G(W)`.
    pub fn map(&self, w: &[f64], out: &mut [f64]) {
        let (n, ns) = (self.n(), self.states());
        let plain = self.packages.split.is_none() && self.outside.iter().all(Option::is_none);
        // per-state buffers on the stack (at most 32 actors: responders are bitmasks)
        let (mut cont_buf, mut r_buf) = ([0.0; 32], [0.0; 32]);
        for s in 0..ns {
            let cont = &mut cont_buf[..n];
            self.continuation_into(w, s, cont);
            let r = &mut r_buf[..n];
            r.copy_from_slice(cont);
            for (rj, o) in r.iter_mut().zip(&self.outside) {
                if let Some(o) = o {
                    *rj = rj.max(*o);
                }
            }
            let (cont, r) = (&*cont, &*r);
            let row = &mut out[s * n..(s + 1) * n];
            if plain && self.quota.is_none() && self.prunable() {
                self.map_pruned(s, r, cont, row);
                continue;
            }
            let c = self.choose(s, r, cont);
            // passing: the round is a round of war, worth the continuation
            row.copy_from_slice(cont);
            row.iter_mut().for_each(|v| *v *= c.pass);
            if plain {
                // no divisible issue, no outside option: values straight from the package set
                // each needed responder's acceptance probability, once per offer
                let mut f = [0.0; 32];
                for o in &c.offers {
                    if let Some(cd) = &o.coalition {
                        self.coalition_values(o, cd, r, row);
                        continue;
                    }
                    self.add_offer_values(o.package, o.needed, o.accept, o.prob, r, row, &mut f);
                }
                continue;
            }
            for o in &c.offers {
                let x = o.shares.as_deref();
                let fail = self.rejection_values(o.needed, cont);
                for i in 0..n {
                    let di = fail.as_ref().map_or(cont[i], |f| f[i]);
                    let ui = self.utility(o.package, i, x);
                    let mut wi = o.accept * ui + (1.0 - o.accept) * di;
                    if o.needed & (1 << i) != 0 {
                        let others = self.acceptance(o.needed & !(1 << i), r, 1.0, |j| self.utility(o.package, j, x));
                        wi += others * self.rejection_gain(i, ui - r[i]);
                    }
                    row[i] += o.prob * wi;
                }
            }
        }
    }
}
