//! The proposer's split of a divisible issue among the responders it needs (`docs/model.md` §3):
//! exact for uniform shocks and linear values, by coordinate ascent otherwise.

use super::Stage;

impl Stage<'_> {
    /// The proposer's split of the divisible issue for package z offered to `needed`, given the
    /// responders' thresholds `thr` (reservation values) and what the proposer gets if the offer
    /// fails, `dk` (`docs/model.md` §3). Returns `None` when the needed responders cannot all be given
    /// a positive probability of accepting within the good.
    ///
    /// - A responder without private noise gets exactly the share that meets its threshold at
    ///   the lowest type the proposer still believes possible (its reservation value when there
    ///   is no noise).
    /// - Responders with noise, uniform shocks and linear values (ρ = 1 for them and for the
    ///   proposer): the exact maximiser of `Π_j F_j(x_j) · (S − Σ_j β_j x_j)` over the margins
    ///   `x_j`, with `β_j = w_k/w_j` (one responder: the concession `(S − a)/2` above the
    ///   reservation of `docs/model.md` §3), by the first-order conditions `β_j (x_j − lo_j) = S −
    ///   Σ β x` on the responders not at a bound.
    /// - Otherwise (logistic shocks, curvature): coordinate ascent with a golden-section search
    ///   per responder (shares to about 1e-9); a responder with discrete types gets, in that
    ///   ascent, the best share among those that give exactly one of its remaining types' shock
    ///   (`docs/model.md` §3).
    /// - A proposer with no share of the issue gives the remainder equally to the needed
    ///   responders that share it.
    pub(super) fn split(&self, z: usize, k: usize, needed: u32, thr: &[f64], dk: f64) -> Option<Vec<f64>> {
        let d = self.packages.split.as_ref()?;
        let n = self.n();
        let mut y = vec![0.0; n];
        let member = |i: usize| d.members & (1 << i) != 0;
        let resp: Vec<usize> = (0..n).filter(|&j| needed & (1 << j) != 0 && member(j)).collect();
        let base: Vec<f64> = (0..n).map(|i| self.packages.u(z, i)).collect();
        let noisy = |j: usize| {
            self.shock_hi[j] - self.shock_lo[j] > 1e-12
                && (self.discrete(j).is_some() || !self.logistic || self.scale[j] > 0.0)
        };
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
                && free.iter().all(|&j| self.discrete(j).is_none())
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
                if let Some(t) = self.discrete(j) {
                    // a step F_j: the best share gives exactly some type's shock (or nothing)
                    y[j] = self.split_discrete(d, t, j, thr[j], base[j], others, y, &objective);
                    continue;
                }
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
