//! The proposer's split of a divisible issue for a responder with discrete private types
//! (`docs/model.md` §3): with a step acceptance probability the best share gives the responder
//! exactly the shock of one of its remaining types (any more buys nothing until the next type),
//! so the proposer compares those shares only. At τ = 0 this is the exact best offer of the
//! screening game (Fearon 1995): concede to the tough type's threshold, or only to the weak
//! type's and risk war with the tough one.

use super::Stage;
use crate::model::package::Split;
use crate::scenario::types::TypePoints;

impl Stage<'_> {
    /// Responder j's best share given the other shares in `y` (`others`: what they and the
    /// responders without noise already take): the share among those meeting exactly one of its
    /// remaining types' shocks (at least 0, at most what is left) that maximises `objective`;
    /// the lowest such share on ties. What is left if even the lowest type cannot be met.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn split_discrete(
        &self,
        d: &Split,
        t: &TypePoints,
        j: usize,
        thr_j: f64,
        base_j: f64,
        others: f64,
        y: &[f64],
        objective: &impl Fn(&[f64]) -> f64,
    ) -> f64 {
        let left = (1.0 - others).max(0.0);
        let mut probe = y.to_vec();
        let mut best = (left, f64::NEG_INFINITY);
        for e in t.candidates(self.shock_lo[j]) {
            let share = d.share_for(j, thr_j + e - base_j).max(0.0);
            if share > left + 1e-12 {
                break;
            }
            probe[j] = share.min(left);
            let v = objective(&probe);
            if v > best.1 {
                best = (probe[j], v);
            }
        }
        best.0
    }
}

/// Most combinations of type thresholds offered as separate candidates for one package and
/// coalition; beyond it the proposer's best split alone is offered ([`Stage::split`]).
const MAX_THRESHOLD_OFFERS: usize = 4096;

impl Stage<'_> {
    /// The candidates `(EU_k, offer)` of package z offered by k to `needed` (`docs/model.md` §3):
    /// when needed responders that share the divisible issue have two or more discrete types
    /// left, one candidate per combination of the types they are conceded to (each such
    /// responder gets exactly the shock of one of its remaining types), so that the logit mixes
    /// over them at τ > 0 as it does over packages, and at τ = 0 the best is played (ties split
    /// evenly). Otherwise, or when another needed responder sharing the issue has a continuous
    /// shock, the single candidate of the proposer's best split.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn push_candidates<T>(
        &self,
        z: usize,
        k: usize,
        needed: u32,
        r: &[f64],
        cont: &[f64],
        has_outside: bool,
        cands: &mut Vec<(f64, T)>,
        wrap: impl Fn(super::Offer) -> T,
    ) {
        let thresholds = self.threshold_splits(z, k, needed, r);
        match thresholds {
            None => {
                if let Some((eu, o)) = self.candidate(z, k, needed, r, cont, has_outside) {
                    cands.push((eu, wrap(o)));
                }
            }
            Some(splits) => {
                let rk = cont[k];
                let dk = if has_outside {
                    self.rejection_values(needed, cont).map_or(cont[k], |v| v[k])
                } else {
                    rk
                };
                for shares in splits {
                    let uk = self.utility(z, k, Some(&shares));
                    if uk <= rk {
                        continue;
                    }
                    let p = self.acceptance(needed, r, self.ratify_prob(z), |j| self.utility(z, j, Some(&shares)));
                    if p > 0.0 {
                        let offer = super::Offer {
                            package: z,
                            prob: 0.0,
                            needed,
                            accept: p,
                            shares: Some(shares),
                            coalition: None,
                        };
                        cands.push((p * uk + (1.0 - p) * dk, wrap(offer)));
                    }
                }
            }
        }
    }

    /// One split per combination of conceded types (see [`Stage::push_candidates`]), or `None`
    /// when the package has no divisible issue, no needed responder sharing it has two or more
    /// discrete types left, another needed responder sharing it has a continuous shock, or there
    /// are more than [`MAX_THRESHOLD_OFFERS`] combinations. Combinations that need more than the
    /// whole good are left out. The rest of the good goes as in [`Stage::split`].
    fn threshold_splits(&self, z: usize, k: usize, needed: u32, thr: &[f64]) -> Option<Vec<Vec<f64>>> {
        if self.types.is_empty() {
            return None;
        }
        let d = self.packages.split.as_ref()?;
        let n = self.n();
        let member = |i: usize| d.members & (1 << i) != 0;
        let resp: Vec<usize> = (0..n).filter(|&j| needed & (1 << j) != 0 && member(j)).collect();
        let spread = |j: usize| self.shock_hi[j] - self.shock_lo[j] > 1e-12;
        let discrete: Vec<usize> = resp
            .iter()
            .copied()
            .filter(|&j| self.discrete(j).is_some() && spread(j))
            .collect();
        let continuous = resp
            .iter()
            .any(|&j| self.discrete(j).is_none() && spread(j) && (!self.logistic || self.scale[j] > 0.0));
        if discrete.is_empty() || continuous {
            return None;
        }
        let base: Vec<f64> = (0..n).map(|i| self.packages.u(z, i)).collect();
        let need = |j: usize, x: f64| d.share_for(j, thr[j] + x - base[j]);
        // the responders conceded their lowest remaining type's shock whatever the combination
        let mut fixed = vec![0.0; n];
        for &j in resp.iter().filter(|j| !discrete.contains(j)) {
            fixed[j] = need(j, self.shock_lo[j]);
        }
        let options: Vec<Vec<f64>> = discrete
            .iter()
            .map(|&j| {
                let t = self.discrete(j).expect("discrete");
                t.candidates(self.shock_lo[j]).map(|e| need(j, e).max(0.0)).collect()
            })
            .collect();
        let combos = options.iter().try_fold(1usize, |a, o| a.checked_mul(o.len()))?;
        if combos > MAX_THRESHOLD_OFFERS {
            return None;
        }
        let mut out = Vec::with_capacity(combos);
        let mut idx = vec![0usize; discrete.len()];
        'combos: loop {
            let mut y = fixed.clone();
            for (a, &j) in discrete.iter().enumerate() {
                y[j] = options[a][idx[a]];
            }
            let given: f64 = resp.iter().map(|&j| y[j]).sum();
            if given <= 1.0 + 1e-12 {
                let rest = (1.0 - given).max(0.0);
                if member(k) {
                    y[k] += rest;
                } else {
                    resp.iter().for_each(|&j| y[j] += rest / resp.len() as f64);
                }
                out.push(y);
            }
            // next combination (odometer)
            for a in 0..idx.len() {
                idx[a] += 1;
                if idx[a] < options[a].len() {
                    continue 'combos;
                }
                idx[a] = 0;
            }
            break;
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    /// The discrete types accept within the same allowance as the simulation's responders.
    #[test]
    fn type_tolerance_is_the_acceptance_tolerance() {
        assert_eq!(crate::scenario::types::TYPE_TOL, super::super::ACCEPT_TOL);
    }
}
