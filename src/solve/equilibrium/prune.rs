//! The proposer's problem on a large package space (`docs/model.md` §3), without listing every
//! package at every evaluation of the equilibrium map.
//!
//! Peace values are additive over issues ([`crate::model::package_index`]), so over the packages
//! that share the options of the first `d` issues, actor i's value is at most the sum of those
//! options' terms plus the largest term of every later issue (`ub_i`). An offer of such a package
//! by k gains `P(z)·(U_k(z) − R_k)` over passing, where `P(z)` is at most
//! `Π_j F_j(ub_j − R_j)` over the responders every package needs (`F_j` rises with the offer).
//! A depth-first walk over the issues skips every set of packages whose bound on `EU_k` is
//!
//! - at most `R_k`: no package in it is a candidate of the full listing either;
//! - with τ = 0, below the best `EU_k` found so far less [`TIE`]: none of them is a tie for the best;
//! - with τ > 0, at most the best found less `c·τ`, `c = ln N + 38` for N packages: each has a logit
//!   weight below `e^{−c}`, and all of them together less than `2^{−54}` of the total, which is at
//!   least 1/2 (the best's weight plus passing's). They change the choice by less than rounding.
//!
//! A first walk in k's order of preference, stopped after [`DIVE_LEAVES`] packages, finds a good
//! `EU_k` to prune against; the full walk then goes in package order (the set's memory in order),
//! so the candidates come in the full listing's order and are weighed as by it, and the
//! choice is the listing's to rounding (`tests` below: equal to 1e-12 on random domains). It is
//! not bit-identical (a sum over fewer terms rounds differently), so [`Stage::choose`] takes it
//! only above [`PRUNE_ABOVE`] packages, the limit of the full listing before this search existed:
//! every scenario that could be run before gives the same numbers as before.

use super::{Choice, Offer, Stage, TIE};
use crate::model::package_index::IssueValues;

/// Above this many packages (the former limit of the package space) the proposer's choice is
/// found by the pruned search; at or below it, by listing every package.
pub const PRUNE_ABOVE: usize = 200_000;

/// Packages the first walk (in the proposer's order of preference) looks at.
const DIVE_LEAVES: usize = 256;

/// One search: the stage, the proposer, the values and what has been found.
struct Search<'a, 'b> {
    st: &'a Stage<'b>,
    iv: &'a IssueValues,
    k: usize,
    r: &'a [f64],
    rk: f64,
    /// Responders other than k that every package needs.
    needed: u32,
    /// Per issue: its options, k's best first.
    order: Vec<Vec<usize>>,
    /// `smax[d * n + i]`: Σ over issues `d..m` of actor i's largest term.
    smax: Vec<f64>,
    /// `partial[d * n + i]`: actor i's terms of the options fixed at depth d.
    partial: Vec<f64>,
    /// How far below the best `EU_k` found a set may be and still hold a candidate that counts.
    cut: f64,
    best: f64,
    cands: Vec<(f64, (usize, u32, f64))>,
    /// In the first walk: the packages it may still look at (options in k's order of
    /// preference); `None` in the full walk (options in id order).
    dive: Option<usize>,
}

impl Stage<'_> {
    /// Whether the proposer's choice is found by the pruned search: a package set of more than
    /// [`PRUNE_ABOVE`] packages, built from the scenario's issues.
    pub(super) fn prunable(&self) -> bool {
        let ps = self.packages;
        ps.len() > PRUNE_ABOVE && ps.issue_values.as_ref().is_some_and(|iv| iv.packages == ps.len())
    }

    /// [`Stage::choose_plain`] by the pruned search (see the module docs): the same choice to
    /// rounding, with the offers whose probability is below `e^{−c}` left out. Needs
    /// `packages.issue_values` matching the set.
    pub(super) fn choose_pruned(&self, k: usize, r: &[f64], rk: f64) -> Choice {
        let ps = self.packages;
        let iv = ps
            .issue_values
            .as_ref()
            .filter(|iv| iv.packages == ps.len())
            .expect("the pruned search needs the set's issue values");
        let (n, m) = (ps.n, ps.m);
        let order: Vec<Vec<usize>> = (0..m)
            .map(|d| {
                let mut o: Vec<usize> = (0..iv.radix[d]).collect();
                o.sort_by(|&a, &b| iv.term(k, d, b).total_cmp(&iv.term(k, d, a)).then(a.cmp(&b)));
                o
            })
            .collect();
        let mut smax = vec![0.0; (m + 1) * n];
        for d in (0..m).rev() {
            for i in 0..n {
                let top = (0..iv.radix[d])
                    .map(|o| iv.term(i, d, o))
                    .fold(f64::NEG_INFINITY, f64::max);
                smax[d * n + i] = smax[(d + 1) * n + i] + top;
            }
        }
        let cut = if self.tau > 0.0 {
            self.tau * ((ps.len().max(1) as f64).ln() + 38.0)
        } else {
            TIE
        };
        let mut search = Search {
            st: self,
            iv,
            k,
            r,
            rk,
            needed: iv.always_required & !(1 << k),
            order,
            smax,
            partial: vec![0.0; (m + 1) * n],
            cut,
            best: f64::NEG_INFINITY,
            cands: Vec::new(),
            dive: Some(DIVE_LEAVES),
        };
        // a good best to prune against, then every package that counts, in package order
        search.visit(0, 0);
        search.cands.clear();
        search.dive = None;
        search.visit(0, 0);
        let cands = search.cands;
        debug_assert!(cands.windows(2).all(|w| w[0].1.0 < w[1].1.0));
        self.logit(rk, cands, |(package, needed, accept), prob| Offer {
            package,
            prob,
            needed,
            accept,
            shares: None,
            coalition: None,
        })
    }
}

impl Search<'_, '_> {
    /// Visits the packages whose first `d` options are fixed (`partial` at depth d), `prefix`
    /// their mixed-radix id so far.
    fn visit(&mut self, d: usize, prefix: u64) {
        let (n, m) = (self.iv.bonus.len(), self.iv.radix.len());
        if d == m {
            if let Some(left) = &mut self.dive {
                if *left == 0 {
                    return;
                }
                *left -= 1;
            }
            self.leaf(prefix);
            return;
        }
        if self.dive == Some(0) || !self.promising(d) {
            return;
        }
        let base = prefix * self.iv.radix[d] as u64;
        if d + 1 == m && self.dive.is_none() {
            for o in 0..self.iv.radix[d] {
                self.leaf(base + o as u64);
            }
            return;
        }
        for x in 0..self.order[d].len() {
            let o = if self.dive.is_some() { self.order[d][x] } else { x };
            for i in 0..n {
                self.partial[(d + 1) * n + i] = self.partial[d * n + i] + self.iv.term(i, d, o);
            }
            self.visit(d + 1, base + o as u64);
        }
    }

    /// Whether the packages under the node at depth d may hold a candidate that counts.
    fn promising(&self, d: usize) -> bool {
        let n = self.iv.bonus.len();
        let ub = |i: usize| {
            let u = self.partial[d * n + i] + self.smax[d * n + i] + self.iv.bonus[i] + self.iv.excess[i];
            // room for the rounding of sums taken in another order
            u + 1e-12 * (1.0 + u.abs())
        };
        let gain = ub(self.k) - self.rk;
        if gain <= 0.0 {
            return false;
        }
        let p = self.st.acceptance(self.needed, self.r, 1.0, ub);
        p > 0.0 && self.rk + p * gain + 1e-12 * (1.0 + self.rk.abs()) >= self.best - self.cut
    }

    /// The package with global id `id`: a candidate as in [`Stage::choose_plain`] if it is in the
    /// set.
    fn leaf(&mut self, id: u64) {
        let ps = self.st.packages;
        let z = if self.iv.complete {
            id as usize
        } else {
            match ps.ids.binary_search(&id) {
                Ok(z) => z,
                Err(_) => return,
            }
        };
        let k = self.k;
        let rk = self.rk;
        if ps.blocked[z] & (1 << k) != 0 || ps.u(z, k) <= rk {
            return;
        }
        let needed = ps.required[z] & !(1 << k);
        if needed & ps.blocked[z] != 0 {
            return;
        }
        let p = self
            .st
            .acceptance(needed, self.r, self.st.ratify_prob(z), |j| ps.u(z, j));
        if p > 0.0 {
            let eu = p * ps.u(z, k) + (1.0 - p) * rk;
            self.best = self.best.max(eu);
            self.cands.push((eu, (z, needed, p)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::PackageSet;
    use crate::model::ranking::Ranking;

    /// A deterministic generator (SplitMix64) for the random domains.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// A random domain: `radix` options per issue, `n` actors with random per-issue terms, every
    /// package kept, or a random fifth of them dropped (as red lines drop them), `required`
    /// everyone, a random package blocked for actor 0 now and then.
    fn domain(rng: &mut Rng, radix: &[usize], n: usize, drop: bool) -> PackageSet {
        let m = radix.len();
        let all = (1u32 << n) - 1;
        let space: usize = radix.iter().product();
        let mut iv = IssueValues::new(radix.to_vec(), n, all, 0, !drop);
        for v in iv.value.iter_mut() {
            *v = rng.next() / m as f64;
        }
        for b in iv.bonus.iter_mut() {
            *b = 0.1 * rng.next();
        }
        let mut ps = PackageSet::empty(m, n);
        for id in 0..space {
            if drop && rng.next() < 0.2 {
                continue;
            }
            let mut rest = id;
            let mut opts = vec![0usize; m];
            for k in (0..m).rev() {
                opts[k] = rest % radix[k];
                rest /= radix[k];
            }
            ps.ids.push(id as u64);
            ps.options.extend(opts.iter().map(|&o| o as u16));
            for i in 0..n {
                let u: f64 = (0..m).map(|k| iv.term(i, k, opts[k])).sum();
                ps.utility.push(u + iv.bonus[i]);
            }
            ps.required.push(all);
            ps.blocked.push(if rng.next() < 0.05 { 1 } else { 0 });
            ps.in_scope.push(0);
        }
        iv.packages = ps.len();
        ps.issue_values = Some(iv);
        ps
    }

    fn stage(ps: &PackageSet, n: usize, tau: f64, noise: f64, logistic: bool) -> Stage<'_> {
        Stage {
            packages: ps,
            proposer: (0..n).collect(),
            transition: vec![1.0 / n as f64; n * n],
            flow: vec![0.0; n],
            delta: vec![0.95; n],
            breakdown: 0.0,
            breakdown_value: vec![0.0; n],
            shock_lo: vec![if logistic { f64::NEG_INFINITY } else { -noise }; n],
            shock_hi: vec![if logistic { f64::INFINITY } else { noise }; n],
            mood_floor: vec![],
            quota: None,
            outside: vec![None; n],
            logistic,
            scale: vec![noise; n],
            types: &[],
            tau,
            tol: 1e-10,
            traced: true,
        }
    }

    /// The two choices agree: passing and every offer's probability to `tol`, every offer of the
    /// listing that the search leaves out below `e^{-c}`, the rest the same packages in the same
    /// order with the same acceptance.
    fn same(full: &Choice, pruned: &Choice, tol: f64, what: &str) {
        assert!(
            (full.pass - pruned.pass).abs() <= tol,
            "{what}: pass {} vs {}",
            full.pass,
            pruned.pass
        );
        let mut it = pruned.offers.iter().peekable();
        for o in &full.offers {
            match it.peek() {
                Some(p) if p.package == o.package => {
                    assert_eq!((p.needed, p.accept), (o.needed, o.accept), "{what}");
                    assert!((p.prob - o.prob).abs() <= tol, "{what}: {} vs {}", p.prob, o.prob);
                    it.next();
                }
                _ => assert!(o.prob < 1e-15, "{what}: left out an offer of probability {}", o.prob),
            }
        }
        assert!(it.next().is_none(), "{what}: an offer the listing does not make");
    }

    /// On random domains (2 to 4 actors, 2 to 5 issues, with and without dropped packages, uniform
    /// and logistic shocks, τ from 0 to 1, reservation values from the bottom to the top of the
    /// values), the pruned search gives the full listing's choice to rounding.
    #[test]
    fn pruned_choice_equals_full_listing() {
        let mut rng = Rng(15);
        let mut pruned_some = 0;
        for case in 0..400 {
            let n = 2 + case % 3;
            let m = 2 + (case / 3) % 4;
            let radix: Vec<usize> = (0..m).map(|_| 2 + (rng.next() * 6.0) as usize).collect();
            let ps = domain(&mut rng, &radix, n, case % 2 == 1);
            let tau = [0.0, 0.001, 0.01, 0.1, 1.0][case % 5];
            let logistic = case % 7 == 3;
            let st = stage(&ps, n, tau, 0.02 + 0.1 * rng.next(), logistic);
            let r: Vec<f64> = (0..n).map(|_| 0.2 + 0.7 * rng.next()).collect();
            let k = case % n;
            let full = st.choose_plain(k, &r, r[k]);
            let pruned = st.choose_pruned(k, &r, r[k]);
            same(
                &full,
                &pruned,
                1e-12,
                &format!("case {case}: n {n} radix {radix:?} tau {tau}"),
            );
            pruned_some += usize::from(pruned.offers.len() < full.offers.len());
        }
        // the test exercises the pruning, not only the listing
        assert!(pruned_some > 20, "{pruned_some}");
    }

    /// Listing only the shortest ranked prefix (`model::ranking`, [`Stage::choosable`]) gives
    /// the full listing's choice and equilibrium map to the bit: on random domains with dropped
    /// and blocked packages, a responder not needed by every package, uniform, degenerate (no
    /// noise) and logistic shocks, τ from 0 to 1, reservation values from the bottom to the top
    /// of the values, and unranked entries appended (as the war state's ceasefire offers are).
    #[test]
    fn listing_the_ranked_prefix_is_the_full_listing() {
        let mut rng = Rng(2026);
        let mut shorter = 0;
        for case in 0..300 {
            let n = 2 + case % 3;
            let m = 2 + (case / 3) % 3;
            let radix: Vec<usize> = (0..m).map(|_| 2 + (rng.next() * 5.0) as usize).collect();
            let mut plain = domain(&mut rng, &radix, n, case % 2 == 1);
            // the last actor is not needed by about a third of the packages
            for req in plain.required.iter_mut() {
                if rng.next() < 0.3 {
                    *req &= !(1 << (n - 1));
                }
            }
            plain.issue_values = None;
            let mut ranked = plain.clone();
            ranked.ranking = Some(Ranking::new(&ranked.utility, &ranked.required, n));
            if case % 4 == 0 {
                for set in [&mut plain, &mut ranked] {
                    set.ids.push(u64::MAX - 1);
                    set.options.extend(std::iter::repeat_n(0, m));
                    set.required.push((1 << n) - 1);
                    set.blocked.push(0);
                    set.in_scope.push(0);
                }
                let u: Vec<f64> = (0..n).map(|_| rng.next()).collect();
                plain.utility.extend(&u);
                ranked.utility.extend(&u);
            }
            let tau = [0.0, 0.001, 0.01, 0.1, 1.0][case % 5];
            let logistic = case % 7 == 3;
            let noise = if case % 5 == 2 { 0.0 } else { 0.02 + 0.1 * rng.next() };
            let (a, b) = (
                stage(&plain, n, tau, noise, logistic),
                stage(&ranked, n, tau, noise, logistic),
            );
            let r: Vec<f64> = (0..n).map(|_| 0.2 + 0.8 * rng.next()).collect();
            for k in 0..n {
                let (full, listed) = (a.choose_plain(k, &r, r[k]), b.choose_plain(k, &r, r[k]));
                assert_eq!(full.pass.to_bits(), listed.pass.to_bits(), "case {case}");
                assert_eq!(full.offers, listed.offers, "case {case}");
                shorter += usize::from(b.choosable(k, &r, r[k]).is_some());
            }
            let w: Vec<f64> = (0..n * n).map(|_| 0.3 + 0.5 * rng.next()).collect();
            let (mut ga, mut gb) = (vec![0.0; n * n], vec![0.0; n * n]);
            a.map(&w, &mut ga);
            b.map(&w, &mut gb);
            assert_eq!(ga, gb, "case {case}");
        }
        // the test exercises the short listing, not only the fallback to the full one
        assert!(shorter > 200, "{shorter}");
    }

    /// Above [`PRUNE_ABOVE`] packages (8^6 = 262,144 here), [`Stage::choose`] takes the pruned
    /// search, and its choice is the full listing's to rounding, at exact best responses and at
    /// three temperatures, for both proposers (at τ = 0.002 with offers left out).
    #[test]
    fn choose_prunes_above_the_limit_and_matches_the_listing() {
        let mut rng = Rng(262_144);
        let ps = domain(&mut rng, &[8; 6], 2, false);
        assert!(ps.len() > PRUNE_ABOVE);
        for tau in [0.0, 0.002, 0.05, 2.0] {
            let st = stage(&ps, 2, tau, 0.05, false);
            assert!(st.prunable());
            let r = [0.55, 0.6];
            for s in 0..2 {
                let k = st.proposer[s];
                let full = st.choose_plain(k, &r, r[k]);
                let chosen = st.choose(s, &r, &r);
                same(&full, &chosen, 1e-12, &format!("tau {tau} proposer {k}"));
                // c·τ = 0.1 utility units: the pruning bites
                if tau == 0.002 {
                    assert!(chosen.offers.len() < full.offers.len(), "tau {tau}: nothing pruned");
                }
            }
        }
    }
}
