//! The proposer's problem (`docs/model.md` §3): which coalitions a package can be offered to, what
//! each offer is worth, and the logit choice among them against passing.

use super::{Choice, MAX_COALITIONS, Offer, Stage, TIE};

/// A candidate of the plain proposer's problem: `(EU_k, (package, needed responders, P(z)))`.
pub(super) type PlainCandidate = (f64, (usize, u32, f64));

impl Stage<'_> {
    /// The coalitions of responders package z can be offered to when k proposes: the required
    /// responders, plus under a quota every way of adding enough further actors for `q` votes
    /// including the proposer's (at most [`MAX_COALITIONS`]; beyond that the most likely to
    /// accept). Empty when too few actors remain.
    pub(super) fn coalitions(&self, z: usize, k: usize, r: &[f64]) -> Vec<u32> {
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

    /// Actor i's peace value of package z with the split `shares` (`docs/model.md` §1):
    /// `U_i(z) = Σ_k w_ik v_ik(o_k) + w_id φ_i(x_id) + B_i`.
    #[inline]
    pub fn utility(&self, z: usize, i: usize, shares: Option<&[f64]>) -> f64 {
        let base = self.packages.u(z, i);
        match (shares, &self.packages.split) {
            (Some(x), Some(d)) => base + d.value(i, x[i]),
            _ => base,
        }
    }

    /// The proposer's logit choice in state `s` given the values `w` (`docs/model.md` §3).
    pub fn choice(&self, s: usize, w: &[f64]) -> Choice {
        self.choose(s, &self.reservation(w, s), &self.continuation(w, s))
    }

    /// The choice given the reservation values `r` and continuation values `cont` of state `s`
    /// (equal unless an outside option binds). Passing is worth the proposer's continuation.
    pub(super) fn choose(&self, s: usize, r: &[f64], cont: &[f64]) -> Choice {
        let k = self.proposer[s];
        let has_outside = self.outside.iter().any(Option::is_some);
        if !has_outside && self.packages.split.is_none() && self.quota.is_none() {
            if self.prunable() {
                return self.choose_pruned(k, r, cont[k]);
            }
            return self.choose_plain(k, r, cont[k]);
        }
        let ps = self.packages;
        let rk = cont[k];
        let mut cands: Vec<(f64, Offer)> = Vec::new();
        for z in 0..ps.len() {
            if ps.blocked[z] & (1 << k) != 0 {
                continue;
            }
            if ps.split.is_none() && ps.u(z, k) <= rk {
                continue;
            }
            // beyond the listing cap, a distribution over coalitions (`coalition.rs`)
            if let Some(soft) = self.coalition_offer(z, k, r, rk) {
                cands.extend(soft);
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
                if needed & ps.blocked[z] == 0 {
                    // one candidate, or one per conceded type with discrete types (`discrete.rs`)
                    self.push_candidates(z, k, needed, r, cont, has_outside, &mut cands, |o| o);
                }
            }
        }
        self.logit(rk, cands, |o, prob| Offer { prob, ..o })
    }

    /// The common case of [`Stage::choose`] (ordinal packages, required responders only, no
    /// outside option): candidates as light tuples, offers built only for those kept. `rk`: the
    /// proposer k's continuation value.
    #[inline]
    pub(super) fn choose_plain(&self, k: usize, r: &[f64], rk: f64) -> Choice {
        let mut cands: Vec<PlainCandidate> = Vec::new();
        // the packages that can be chosen, in package order (`model::ranking`), else every one
        match self.choosable(k, r, rk) {
            Some(live) => live.into_iter().for_each(|z| self.weigh_plain(z, k, r, rk, &mut cands)),
            None => (0..self.packages.len()).for_each(|z| self.weigh_plain(z, k, r, rk, &mut cands)),
        }
        self.plain_choice(rk, cands)
    }

    /// The logit choice among plain candidates ([`Stage::weigh_plain`]), as offers.
    pub(super) fn plain_choice(&self, rk: f64, cands: Vec<PlainCandidate>) -> Choice {
        self.logit(rk, cands, |(package, needed, accept), prob| Offer {
            package,
            prob,
            needed,
            accept,
            shares: None,
            coalition: None,
        })
    }

    /// Package z as a candidate `(EU_k, (z, needed, P(z)))` of [`Stage::choose_plain`], pushed
    /// to `cands` if k values it above `rk` and it can pass.
    #[inline]
    pub(super) fn weigh_plain(&self, z: usize, k: usize, r: &[f64], rk: f64, cands: &mut Vec<PlainCandidate>) {
        let ps = self.packages;
        if ps.blocked[z] & (1 << k) != 0 || ps.u(z, k) <= rk {
            return;
        }
        let needed = ps.required[z] & !(1 << k);
        if needed & ps.blocked[z] != 0 {
            return;
        }
        let p = self.acceptance(needed, r, self.ratify_prob(z), |j| ps.u(z, j));
        if p > 0.0 {
            cands.push((p * ps.u(z, k) + (1.0 - p) * rk, (z, needed, p)));
        }
    }

    /// The packages proposer k can choose, in package order, when they are few enough that
    /// listing them beats listing the set: the shortest prefix of an actor's ranking
    /// (`model::ranking`) that holds every package k values above `rk` and every responder in
    /// [`Ranking::always_required`] could accept, plus the unranked entries. A superset of the
    /// packages [`Stage::choose_plain`] keeps, so its choice is the same to the bit. `None`: list
    /// every package.
    ///
    /// [`Ranking::always_required`]: crate::model::ranking::Ranking::always_required
    pub(super) fn choosable(&self, k: usize, r: &[f64], rk: f64) -> Option<Vec<usize>> {
        let ps = self.packages;
        let rank = ps.ranking.as_ref().filter(|rank| rank.packages <= ps.len())?;
        let mut shortest = (rank.prefix(k, |u| u > rk), k);
        let mut m = rank.always_required & !(1 << k);
        while m != 0 {
            let j = m.trailing_zeros() as usize;
            m &= m - 1;
            let len = match self.acceptance_floor(j) {
                Some((floor, strict)) if strict => rank.prefix(j, |u| u - r[j] > floor),
                Some((floor, _)) => rank.prefix(j, |u| u - r[j] >= floor),
                None => continue,
            };
            if len < shortest.0 {
                shortest = (len, j);
            }
        }
        // sorting a long prefix costs more than listing the set
        if shortest.0 > rank.packages / 2 {
            return None;
        }
        let mut live: Vec<usize> = rank.top(shortest.1, shortest.0).iter().map(|&z| z as usize).collect();
        live.sort_unstable();
        live.extend(rank.packages..ps.len());
        Some(live)
    }

    /// Package z offered by k to the coalition `needed`, as a candidate `(EU_k, offer)` of the
    /// general choice: with the proposer's split of the divisible issue, and what k gets if the
    /// offer fails (its continuation, or the walk-out values when a responder may walk out).
    /// `None` when no split gives every needed responder a chance, the offer is worth no more
    /// than passing, or it cannot pass.
    pub(super) fn candidate(
        &self,
        z: usize,
        k: usize,
        needed: u32,
        r: &[f64],
        cont: &[f64],
        has_outside: bool,
    ) -> Option<(f64, Offer)> {
        let ps = self.packages;
        let rk = cont[k];
        let dk = if has_outside {
            self.rejection_values(needed, cont).map_or(cont[k], |v| v[k])
        } else {
            rk
        };
        let shares = if ps.split.is_some() {
            Some(self.split(z, k, needed, r, dk)?)
        } else {
            None
        };
        let uk = self.utility(z, k, shares.as_deref());
        if uk <= rk {
            return None;
        }
        let p = self.acceptance(needed, r, self.ratify_prob(z), |j| {
            self.utility(z, j, shares.as_deref())
        });
        (p > 0.0).then(|| {
            let offer = Offer {
                package: z,
                prob: 0.0,
                needed,
                accept: p,
                shares,
                coalition: None,
            };
            (p * uk + (1.0 - p) * dk, offer)
        })
    }

    /// The logit choice (`docs/model.md` §3) among candidates `(EU, candidate)` against passing
    /// (worth `rk`): weights `exp(EU/τ) − exp(rk/τ)` and `exp(rk/τ)`; at τ = 0 the best, ties
    /// (within [`TIE`]) split evenly. `offer` turns a kept candidate and its probability into an
    /// [`Offer`].
    pub(super) fn logit<T>(&self, rk: f64, mut cands: Vec<(f64, T)>, offer: impl Fn(T, f64) -> Offer) -> Choice {
        let (pass, total) = self.logit_weights(rk, &mut cands);
        Choice {
            pass,
            offers: cands.into_iter().map(|(w, c)| offer(c, w / total)).collect(),
        }
    }

    /// [`Stage::logit`] in place: keeps the candidates that are offered, each with its weight in
    /// place of its `EU`, and returns the probability of passing and the total weight (an
    /// offer's probability is its weight over the total).
    pub(super) fn logit_weights<T>(&self, rk: f64, cands: &mut Vec<(f64, T)>) -> (f64, f64) {
        if cands.is_empty() {
            return (1.0, 1.0);
        }
        let best = cands.iter().map(|c| c.0).fold(f64::NEG_INFINITY, f64::max);
        if self.tau <= 0.0 {
            cands.retain_mut(|c| {
                let tie = c.0 >= best - TIE;
                c.0 = 1.0;
                tie
            });
            return (0.0, cands.len() as f64);
        }
        let pass_w = ((rk - best) / self.tau).exp();
        let mut total = pass_w;
        cands.retain_mut(|c| {
            let wz = ((c.0 - best) / self.tau).exp() - pass_w;
            c.0 = wz;
            if wz > 0.0 {
                total += wz;
            }
            wz > 0.0
        });
        (pass_w / total, total)
    }
}

/// `C(n, k)`, saturating.
pub(super) fn binomial(n: usize, k: usize) -> usize {
    (0..k).fold(1usize, |acc, i| acc.saturating_mul(n - i) / (i + 1))
}
