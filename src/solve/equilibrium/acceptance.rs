//! Acceptance under the proposers' beliefs (`docs/model.md` §3): each responder's probability of
//! accepting an offer and the expected shock of one that rejects, for uniform and logistic
//! shocks and discrete types; the ratifiers' pass probability; walking out to an outside option.

use super::{ACCEPT_TOL, Stage};

impl Stage<'_> {
    /// `F_j(x)`: probability that j accepts an offer worth `x` above its reservation value.
    #[inline(always)]
    pub fn accept_prob(&self, j: usize, x: f64) -> f64 {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if let Some(t) = self.discrete(j) {
            return t.accept_prob(lo, x);
        }
        if self.logistic {
            return self.accept_prob_logistic(j, x);
        }
        if hi - lo <= 1e-12 {
            f64::from(u8::from(x >= lo - ACCEPT_TOL))
        } else {
            ((x - lo) / (hi - lo)).clamp(0.0, 1.0)
        }
    }

    /// A bound below which j never accepts: `Some((floor, strict))` when `F_j(x) > 0` implies
    /// `x > floor` (strict) or `x ≥ floor`, so that an offer worth no more than that to j cannot
    /// pass; `None` when no such bound is at hand (discrete types).
    #[inline]
    pub(super) fn acceptance_floor(&self, j: usize) -> Option<(f64, bool)> {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if self.discrete(j).is_some() {
            return None;
        }
        if self.logistic && self.scale[j] > 0.0 {
            return Some((lo, false));
        }
        if hi - lo <= 1e-12 {
            Some((lo - ACCEPT_TOL, false))
        } else {
            Some((lo, true))
        }
    }

    /// `(1 - F_j(x)) E[ε_j | ε_j > x]` under the belief.
    #[inline(always)]
    pub(super) fn rejection_gain(&self, j: usize, x: f64) -> f64 {
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        if let Some(t) = self.discrete(j) {
            return t.rejection_gain(lo, x);
        }
        if self.logistic {
            return self.rejection_gain_logistic(j, x);
        }
        if hi - lo <= 1e-12 {
            return 0.0;
        }
        let f = self.accept_prob(j, x);
        (1.0 - f) * 0.5 * (x.max(lo) + hi)
    }

    /// Responder j's discrete private types (`types`), if it has them: a step `F_j` with a jump
    /// of each type's probability at its shock, under the belief that only the types from
    /// `shock_lo_j` up remain (`docs/model.md` §3).
    #[inline]
    pub fn discrete(&self, j: usize) -> Option<&crate::scenario::types::TypePoints> {
        if self.types.is_empty() {
            None
        } else {
            self.types[j].as_ref()
        }
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
    #[inline(always)]
    pub(super) fn acceptance(&self, mask: u32, r: &[f64], start: f64, value: impl Fn(usize) -> f64) -> f64 {
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
    #[inline(always)]
    pub(super) fn ratify_prob(&self, z: usize) -> f64 {
        let ps = self.packages;
        (0..ps.r)
            .map(|j| {
                let p = ps.ratify[z * ps.r + j];
                let m = self.mood_floor[j];
                if m <= 0.0 { p } else { ((p - m) / (1.0 - m)).max(0.0) }
            })
            .product()
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
    pub(super) fn rejection_values(&self, needed: u32, cont: &[f64]) -> Option<Vec<f64>> {
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
}
