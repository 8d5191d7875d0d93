//! The proposer's problem on a large package space (`docs/model.md` §3, "Large package
//! spaces"), without listing every package at every evaluation of the equilibrium map.
//!
//! The full listing ([`Stage::choose_plain`]) weighs every package k values above its
//! continuation `C_k` that every needed responder accepts with positive probability. Acceptance
//! rises with the offer, so that set only shrinks as the reservation values rise: the packages
//! live at reservation values `f` (the *floor*) hold the ones live at any `R ≥ f`. The search
//! keeps, per package set ([`crate::model::live`]), the *live set* at a floor [`LIVE_SLACK`]
//! below the reservation values it was asked at, and answers every later choice at reservation
//! values between the floor and [`LIVE_LOOSE`] above it by weighing the live set alone, in
//! package order: the same candidates in the same order as the full listing, so the same choice
//! to the bit. A live set that has become loose is narrowed by filtering it; one that no longer
//! holds (a reservation value fell below its floor, or the beliefs changed) is found afresh.
//!
//! Finding it walks the issues depth first. Peace values are additive over issues
//! ([`crate::model::package_index`]), so over the packages that share the options of the first
//! `d` issues, actor i's value is at most the sum of those options' terms plus the largest term
//! of every later issue (`ub_i`). A node is skipped when `ub_k ≤ f_k` (k gains nothing from any
//! package below it), when some responder every package needs accepts none of them
//! (`F_j(ub_j − f_j) = 0`), or, jointly, when no choice of the later options gives k more than
//! `f_k` and such a responder j a positive chance: the largest sum j can get among the
//! completions k values above `f_k` is read off the Pareto frontier of (k's, j's) sums of terms
//! over the later issues ([`frontier`], kept with the set). With two parties the walk visits
//! only nodes that hold a live package. In a complete set whose packages all have the same needs
//! and no red line ([`IssueValues::uniform`]), a node whose lower bounds (the smallest term of
//! every later issue) already make every package below it live is taken whole
//! ([`Search::whole`]): at the status quo the walk no longer tests every leaf.
//!
//! When every live package needs the same single responder, with a uniform shock and no
//! ratifier ([`Stage::one_uniform`]: two parties under unanimity), the weighing, the map's row
//! and the live tests are written out for that case, with the general code's operations in its
//! order, so the bits do not change.
//!
//! Measured on `tests/scenarios/big-domain-6x10.toml` (10^6 packages, 20 runs): a run makes
//! about 720 evaluations of a proposer's row; 14 of them, at the top of a tracing ladder where
//! the reservation values are the status quo's and nearly every package is live, weigh 60% of
//! all the packages weighed. Written-out weighing and whole nodes together more than halve the
//! time of a run (1,000 runs on 2 threads, side by side: 392 s before, 172 s after; 149 s with
//! the package set shared between runs, `model::package::PackageCache`).

use std::sync::Arc;

use super::choice::PlainCandidate;
use super::{Choice, Stage};
use crate::model::live::{Frontiers, LiveSet};
use crate::model::package_index::IssueValues;

/// Above this many packages (the former limit of the package space) the proposer's choice is
/// found from the live set; at or below it, by listing every package (or the ranked prefix).
pub const PRUNE_ABOVE: usize = 200_000;

/// How far below the reservation values a live set's floor is put (utility units): the room the
/// values have to fall, between evaluations of the map, before the set must be found again.
const LIVE_SLACK: f64 = 0.01;

/// A live set whose floor is more than this below a reservation value (utility units) is
/// narrowed to a floor [`LIVE_SLACK`] below it before it is used.
const LIVE_LOOSE: f64 = 0.04;

thread_local! {
    /// The candidates of [`Stage::map_pruned`], kept between calls (tens of thousands of them
    /// at every evaluation of the map).
    static CANDIDATES: std::cell::RefCell<Vec<PlainCandidate>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The one responder j every live package needs, and the support `[lo, hi]` of its uniform
/// shock under the current belief ([`Stage::one_uniform`]).
#[derive(Clone, Copy)]
struct OneUniform {
    j: usize,
    lo: f64,
    hi: f64,
}

/// One walk: the stage, the proposer, the floor and what has been found.
struct Search<'a, 'b> {
    st: &'a Stage<'b>,
    iv: &'a IssueValues,
    k: usize,
    floor: &'a [f64],
    /// Responders other than k that every package needs.
    needed: u32,
    /// `smax[d * n + i]`: Σ over issues `d..m` of actor i's largest term.
    smax: Vec<f64>,
    /// `partial[d * n + i]`: actor i's terms of the options fixed at depth d.
    partial: Vec<f64>,
    /// Per responder j every package needs: `(j, fronts)`, `fronts[d]` the Pareto frontier of
    /// (k's, j's) sums of terms over the issues `d..m` ([`frontier`]).
    fronts: Vec<(usize, Arc<Frontiers>)>,
    /// [`Stage::one_uniform`] for the responders every package needs: the leaves that need no
    /// one else are tested by [`Stage::live_one_uniform`].
    one: Option<OneUniform>,
    /// With `one`, in a complete set whose packages all have the same needs and no red line
    /// against them ([`IssueValues::uniform`]): `smin[d * n + i]`, Σ over issues `d..m` of
    /// actor i's smallest term, and the number of packages below a node at each depth, to take
    /// a node whose every package is live whole ([`Search::whole`]).
    whole: Option<(Vec<f64>, Vec<u64>)>,
    live: Vec<u32>,
    /// Nodes of the last issue entered.
    last_nodes: usize,
    /// Nodes taken whole.
    whole_nodes: usize,
}

/// The Pareto frontier of `(a, b)` = (actor k's, actor j's) sums of terms over the issues
/// `d..m`, for every d: `out[d]` sorted by `a` falling and `b` rising, so that among the points
/// with `a` above a threshold (a prefix) the last has the largest `b`. `out[m]` is `[(0, 0)]`.
fn frontier(iv: &IssueValues, k: usize, j: usize) -> Frontiers {
    let m = iv.radix.len();
    let mut out = vec![vec![(0.0, 0.0)]; m + 1];
    for d in (0..m).rev() {
        let mut points: Vec<(f64, f64)> = (0..iv.radix[d])
            .flat_map(|o| {
                let (tk, tj) = (iv.term(k, d, o), iv.term(j, d, o));
                out[d + 1].iter().map(move |&(a, b)| (tk + a, tj + b))
            })
            .collect();
        points.sort_by(|x, y| y.0.total_cmp(&x.0).then(y.1.total_cmp(&x.1)));
        let mut front: Vec<(f64, f64)> = Vec::new();
        for p in points {
            if front.last().is_none_or(|l| p.1 > l.1) {
                front.push(p);
            }
        }
        out[d] = front;
    }
    out
}

impl Stage<'_> {
    /// Whether the proposer's choice is found from the live set: a package set of more than
    /// [`PRUNE_ABOVE`] packages, built from the scenario's issues.
    pub(super) fn prunable(&self) -> bool {
        let ps = self.packages;
        ps.len() > PRUNE_ABOVE && ps.issue_values.as_ref().is_some_and(|iv| iv.packages == ps.len())
    }

    /// [`Stage::choose_plain`] from the live set (see the module docs): the same choice, bit for
    /// bit. Needs `packages.issue_values` matching the set.
    pub(super) fn choose_pruned(&self, k: usize, r: &[f64], rk: f64) -> Choice {
        let live = self.live_set(k, r, rk);
        let mut cands = Vec::new();
        self.weigh_live(&live, k, r, rk, &mut cands);
        self.plain_choice(rk, cands)
    }

    /// The row of state s of the equilibrium map (`Stage::map`) from the live set, without
    /// building the offers: the same arithmetic in the same order as the map over
    /// [`Stage::choose_pruned`]'s choice, so the same bits. `r`, `cont`: the state's reservation
    /// and continuation values (equal: no outside option).
    pub(super) fn map_pruned(&self, s: usize, r: &[f64], cont: &[f64], row: &mut [f64]) {
        let k = self.proposer[s];
        let rk = cont[k];
        let live = self.live_set(k, r, rk);
        CANDIDATES.with_borrow_mut(|cands| {
            cands.clear();
            self.weigh_live(&live, k, r, rk, cands);
            let (pass, total) = self.logit_weights(rk, cands);
            // passing: the round is a round of war, worth the continuation
            row.copy_from_slice(cont);
            row.iter_mut().for_each(|v| *v *= pass);
            if let Some(one) = self.one_uniform(live.needed) {
                self.add_one_uniform(cands, total, one, r, row);
                return;
            }
            let mut f = [0.0; 32];
            for &(wz, (z, needed, accept)) in cands.iter() {
                self.add_offer_values(z, needed, accept, wz / total, r, row, &mut f);
            }
        });
    }

    /// The bits of everything besides the reservation values that decides whether a responder
    /// can accept: the belief supports, the logistic scales, the ratifiers' mood floors, the
    /// shock family and the discrete types.
    fn live_key(&self) -> impl Iterator<Item = u64> + '_ {
        let floats = self
            .shock_lo
            .iter()
            .chain(&self.shock_hi)
            .chain(&self.scale)
            .chain(&self.mood_floor);
        floats.map(|x| x.to_bits()).chain([
            u64::from(self.logistic),
            self.types.as_ptr() as u64,
            self.types.len() as u64,
        ])
    }

    /// A live set of proposer k that holds every package live at `r` (with `rk` in k's place):
    /// a kept one if its floor is below `r` and not too far below, a kept one narrowed, or a new
    /// one found by the walk.
    fn live_set(&self, k: usize, r: &[f64], rk: f64) -> Arc<LiveSet> {
        let ps = self.packages;
        let at = |j: usize| if j == k { rk } else { r[j] };
        let n = ps.n;
        // compared without allocating (a choice is made at every evaluation of the map)
        let found = ps.live.find(|l| {
            l.proposer == k && l.key.iter().copied().eq(self.live_key()) && (0..n).all(|j| at(j) >= l.floor[j])
        });
        if let Some((pos, live)) = &found {
            if (0..n).all(|j| at(j) - live.floor[j] <= LIVE_LOOSE) {
                return Arc::clone(live);
            }
            // narrow it: a floor at least as high keeps a subset
            let floor: Vec<f64> = (0..n).map(|j| live.floor[j].max(at(j) - LIVE_SLACK)).collect();
            let packages = match self.one_uniform(live.needed) {
                Some(one) => self.narrow_one_uniform(&live.packages, k, one, &floor),
                None => live
                    .packages
                    .iter()
                    .copied()
                    .filter(|&z| self.live_at(z as usize, k, &floor))
                    .collect(),
            };
            // a subset of a set whose packages all need the same responders
            let narrowed = Arc::new(LiveSet {
                proposer: k,
                key: self.live_key().collect(),
                floor,
                packages,
                needed: live.needed,
            });
            ps.live.keep(Arc::clone(&narrowed), Some(*pos));
            return narrowed;
        }
        let floor: Vec<f64> = (0..n).map(|j| at(j) - LIVE_SLACK).collect();
        let packages = self.walk(k, &floor);
        let needed = self.common_needed(k, &packages);
        let live = Arc::new(LiveSet {
            proposer: k,
            key: self.live_key().collect(),
            floor,
            packages,
            needed,
        });
        ps.live.keep(Arc::clone(&live), None);
        live
    }

    /// The responders other than k that every package of `packages` needs, if that is the same
    /// set for all of them: read off the set when all its packages have the same needs
    /// ([`IssueValues::uniform`]), else from each package.
    fn common_needed(&self, k: usize, packages: &[u32]) -> Option<u32> {
        let ps = self.packages;
        if let Some(iv) = ps
            .issue_values
            .as_ref()
            .filter(|iv| iv.uniform && iv.packages == ps.len() && !packages.is_empty())
        {
            return Some(iv.always_required & !(1 << k));
        }
        let mut needs = packages.iter().map(|&z| ps.required[z as usize] & !(1 << k));
        let first = needs.next()?;
        needs.all(|m| m == first).then_some(first)
    }

    /// The case [`Stage::weigh_live`] serves without the general machinery: every package
    /// (of a live set, with `needed` its [`LiveSet::needed`]) needs one and the same responder, whose shock is uniform with a support wider than
    /// 1e-12 under the current belief (no discrete types, no logistic shocks), and no ratifier
    /// votes. Two parties under unanimity, the usual large domain, are this case.
    fn one_uniform(&self, needed: Option<u32>) -> Option<OneUniform> {
        let needed = needed?;
        if self.packages.r != 0 || self.logistic || needed.count_ones() != 1 {
            return None;
        }
        let j = needed.trailing_zeros() as usize;
        let (lo, hi) = (self.shock_lo[j], self.shock_hi[j]);
        (self.discrete(j).is_none() && hi - lo > 1e-12).then_some(OneUniform { j, lo, hi })
    }

    /// Proposer k's candidates among the live set `live`, in package order, as
    /// [`Stage::weigh_plain`] makes them: with the arithmetic of [`Stage::accept_prob`] written
    /// out when [`Stage::one_uniform`] holds (a live package is never blocked: the walk and the
    /// narrowing keep only packages no needed actor has a red line against), the general
    /// candidate otherwise. The same candidates to the bit either way.
    fn weigh_live(&self, live: &LiveSet, k: usize, r: &[f64], rk: f64, cands: &mut Vec<PlainCandidate>) {
        let Some(OneUniform { j, lo, hi }) = self.one_uniform(live.needed) else {
            for &z in &live.packages {
                self.weigh_plain(z as usize, k, r, rk, cands);
            }
            return;
        };
        let (u, n) = (&self.packages.utility[..], self.packages.n);
        let (rj, span, needed) = (r[j], hi - lo, 1u32 << j);
        for &z in &live.packages {
            let z = z as usize;
            let uk = u[z * n + k];
            if uk <= rk {
                continue;
            }
            // the ratifiers' pass probability is 1 and `acceptance` multiplies it by F_j
            let p = ((u[z * n + j] - rj - lo) / span).clamp(0.0, 1.0);
            if p > 0.0 {
                cands.push((p * uk + (1.0 - p) * rk, (z, needed, p)));
            }
        }
    }

    /// [`Stage::add_offer_values`] for every kept candidate of [`Stage::weigh_live`] in the case
    /// [`Stage::one_uniform`] (one responder j, whose acceptance probability is the candidate's
    /// own): `row_i += (w_z / total) · (P U_i + (1 − P) R_i [+ (1 − F_j) E[ε_j | ε_j > x_j] for
    /// i = j])`, the same operations in the same order.
    fn add_one_uniform(&self, cands: &[PlainCandidate], total: f64, one: OneUniform, r: &[f64], row: &mut [f64]) {
        let (u, n) = (&self.packages.utility[..], self.packages.n);
        let OneUniform { j, lo, hi } = one;
        for &(wz, (z, _, p)) in cands {
            let prob = wz / total;
            // `rejection_gain(j, x_j)`: its F_j(x_j) is p
            let xj = u[z * n + j] - r[j];
            let gain = (1.0 - p) * 0.5 * (xj.max(lo) + hi);
            for (i, v) in row.iter_mut().enumerate() {
                let mut wi = p * u[z * n + i] + (1.0 - p) * r[i];
                if i == j {
                    wi += gain;
                }
                *v += prob * wi;
            }
        }
    }

    /// The packages of `packages` live for k at `floor` ([`Stage::live_at`]) in the case
    /// [`Stage::one_uniform`].
    fn narrow_one_uniform(&self, packages: &[u32], k: usize, one: OneUniform, floor: &[f64]) -> Vec<u32> {
        packages
            .iter()
            .copied()
            .filter(|&z| self.live_one_uniform(z as usize, k, one, floor))
            .collect()
    }

    /// [`Stage::live_at`] for a package whose only needed responder is `one`'s and against which
    /// neither k nor that responder has a red line, in the case [`Stage::one_uniform`]: its
    /// arithmetic written out.
    #[inline(always)]
    fn live_one_uniform(&self, z: usize, k: usize, one: OneUniform, floor: &[f64]) -> bool {
        let (u, n) = (&self.packages.utility, self.packages.n);
        let OneUniform { j, lo, hi } = one;
        u[z * n + k] > floor[k] && ((u[z * n + j] - floor[j] - lo) / (hi - lo)).clamp(0.0, 1.0) > 0.0
    }

    /// Whether package z is live for proposer k at reservation values `floor`: k values it above
    /// `floor[k]`, no needed responder has a red line against it, and all of them accept it with
    /// positive probability.
    fn live_at(&self, z: usize, k: usize, floor: &[f64]) -> bool {
        let ps = self.packages;
        if ps.blocked[z] & (1 << k) != 0 || ps.u(z, k) <= floor[k] {
            return false;
        }
        let needed = ps.required[z] & !(1 << k);
        needed & ps.blocked[z] == 0 && self.acceptance(needed, floor, self.ratify_prob(z), |j| ps.u(z, j)) > 0.0
    }

    /// Every package live for proposer k at `floor`, in package order, by the walk of the module
    /// docs.
    fn walk(&self, k: usize, floor: &[f64]) -> Vec<u32> {
        self.walk_counted(k, floor).0
    }

    /// [`Stage::walk`], the number of nodes of the last issue it entered (each one the parent of
    /// up to that issue's options: what the bound let through), and the number of nodes taken
    /// whole (every package below them live).
    fn walk_counted(&self, k: usize, floor: &[f64]) -> (Vec<u32>, usize, usize) {
        let ps = self.packages;
        let iv = ps
            .issue_values
            .as_ref()
            .filter(|iv| iv.packages == ps.len())
            .expect("the pruned search needs the set's issue values");
        let (n, m) = (ps.n, ps.m);
        let needed = iv.always_required & !(1 << k);
        let (mut smax, mut smin) = (vec![0.0; (m + 1) * n], vec![0.0; (m + 1) * n]);
        for d in (0..m).rev() {
            for i in 0..n {
                let terms = || (0..iv.radix[d]).map(|o| iv.term(i, d, o));
                smax[d * n + i] = smax[(d + 1) * n + i] + terms().fold(f64::NEG_INFINITY, f64::max);
                smin[d * n + i] = smin[(d + 1) * n + i] + terms().fold(f64::INFINITY, f64::min);
            }
        }
        // the number of packages below a node at depth d
        let mut below = vec![1u64; m + 1];
        for d in (0..m).rev() {
            below[d] = below[d + 1] * iv.radix[d] as u64;
        }
        let one = self.one_uniform(Some(needed));
        let fronts = (0..n)
            .filter(|&j| needed & (1 << j) != 0)
            .map(|j| (j, ps.live.frontiers((k, j), || frontier(iv, k, j))))
            .collect();
        let mut search = Search {
            st: self,
            iv,
            k,
            floor,
            needed,
            smax,
            partial: vec![0.0; (m + 1) * n],
            fronts,
            one,
            whole: (one.is_some() && iv.uniform && iv.complete).then_some((smin, below)),
            live: Vec::new(),
            last_nodes: 0,
            whole_nodes: 0,
        };
        search.visit(0, 0);
        debug_assert!(search.live.windows(2).all(|w| w[0] < w[1]));
        (search.live, search.last_nodes, search.whole_nodes)
    }
}

impl Search<'_, '_> {
    /// Visits the packages whose first `d` options are fixed (`partial` at depth d), `prefix`
    /// their mixed-radix id so far.
    fn visit(&mut self, d: usize, prefix: u64) {
        let (n, m) = (self.iv.bonus.len(), self.iv.radix.len());
        if d == m {
            self.leaf(prefix);
            return;
        }
        if !self.promising(d) {
            return;
        }
        if let Some(below) = self.whole(d) {
            // a complete set: the packages below are the ids `prefix · below ..`, in order
            let first = prefix * below;
            self.live.extend(first as u32..(first + below) as u32);
            self.whole_nodes += 1;
            return;
        }
        let base = prefix * self.iv.radix[d] as u64;
        if d + 1 == m {
            self.last_nodes += 1;
            for o in 0..self.iv.radix[d] {
                self.leaf(base + o as u64);
            }
            return;
        }
        for o in 0..self.iv.radix[d] {
            for i in 0..n {
                self.partial[(d + 1) * n + i] = self.partial[d * n + i] + self.iv.term(i, d, o);
            }
            self.visit(d + 1, base + o as u64);
        }
    }

    /// Whether the packages under the node at depth d may hold a live one.
    fn promising(&self, d: usize) -> bool {
        let n = self.iv.bonus.len();
        let ub = |i: usize| {
            let u = self.partial[d * n + i] + self.smax[d * n + i] + self.iv.bonus[i] + self.iv.excess[i];
            // room for the rounding of sums taken in another order
            u + 1e-12 * (1.0 + u.abs())
        };
        if !(ub(self.k) > self.floor[self.k] && self.st.acceptance(self.needed, self.floor, 1.0, ub) > 0.0) {
            return false;
        }
        // jointly: among the completions k values above its floor, the one best for j
        let (k, iv) = (self.k, self.iv);
        let room = |u: f64| u + 1e-12 * (1.0 + u.abs());
        let fixed = |i: usize| self.partial[d * n + i] + iv.bonus[i] + iv.excess[i];
        self.fronts.iter().all(|(j, fronts)| {
            let front = &fronts[d];
            let above = front.partition_point(|&(a, _)| room(fixed(k) + a) > self.floor[k]);
            above > 0 && {
                let best_j = room(fixed(*j) + front[above - 1].1);
                self.st.accept_prob(*j, best_j - self.floor[*j]) > 0.0
            }
        })
    }

    /// The number of packages below the node at depth d if every one of them is live, by the
    /// lower bound of each actor's value there (the fixed terms, the smallest term of every later
    /// issue and the bonus, less the largest durability price, less room for the rounding of sums
    /// taken in another order), tested as [`Stage::live_one_uniform`] tests a package: the
    /// test is monotone in the values, so it holds for every package below.
    fn whole(&self, d: usize) -> Option<u64> {
        let (one, (smin, below)) = (self.one?, self.whole.as_ref()?);
        let (n, iv) = (self.iv.bonus.len(), self.iv);
        let lb = |i: usize| {
            let u = self.partial[d * n + i] + smin[d * n + i] + iv.bonus[i] - iv.shortfall[i];
            u - 1e-12 * (1.0 + u.abs())
        };
        let (k, j, floor) = (self.k, one.j, self.floor);
        let live = lb(k) > floor[k] && ((lb(j) - floor[j] - one.lo) / (one.hi - one.lo)).clamp(0.0, 1.0) > 0.0;
        live.then_some(below[d])
    }

    /// The package with global id `id`: kept if it is in the set and live.
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
        let live = match self.one {
            Some(one) if ps.required[z] & !(1 << self.k) == self.needed => {
                ps.blocked[z] & (self.needed | 1 << self.k) == 0 && self.st.live_one_uniform(z, self.k, one, self.floor)
            }
            _ => self.st.live_at(z, self.k, self.floor),
        };
        if live {
            self.live.push(z as u32);
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

    /// The shape of random case `case`: 2 to 4 actors, 2 to `1 + issues` issues, 2 to
    /// `1 + options` options per issue.
    fn shape(rng: &mut Rng, case: usize, issues: usize, options: f64) -> (usize, Vec<usize>) {
        let n = 2 + case % 3;
        let m = 2 + (case / 3) % issues;
        (n, (0..m).map(|_| 2 + (rng.next() * options) as usize).collect())
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

    /// The two choices are the same to the bit.
    fn same(full: &Choice, pruned: &Choice, what: &str) {
        assert_eq!(full.pass.to_bits(), pruned.pass.to_bits(), "{what}: pass");
        assert_eq!(full.offers, pruned.offers, "{what}: offers");
    }

    /// On random domains (2 to 4 actors, 2 to 5 issues, with and without dropped packages, uniform
    /// and logistic shocks, τ from 0 to 1, reservation values from the bottom to the top of the
    /// values), the choice from the live set is the full listing's, bit for bit, as the
    /// reservation values rise a little (the kept set is used), rise a lot (it is narrowed), fall
    /// (it is found again) and the beliefs change (another set).
    #[test]
    fn pruned_choice_equals_full_listing() {
        let mut rng = Rng(15);
        let (mut kept, mut found, mut smaller) = (0, 0, 0);
        for case in 0..400 {
            let (n, radix) = shape(&mut rng, case, 4, 6.0);
            let ps = domain(&mut rng, &radix, n, case % 2 == 1);
            let tau = [0.0, 0.001, 0.01, 0.1, 1.0][case % 5];
            let logistic = case % 7 == 3;
            let mut st = stage(&ps, n, tau, 0.02 + 0.1 * rng.next(), logistic);
            let r0: Vec<f64> = (0..n).map(|_| 0.2 + 0.7 * rng.next()).collect();
            let k = case % n;
            for (step, shift) in [0.0, 0.004, 0.03, 0.1, -0.05, -0.2, 0.0].into_iter().enumerate() {
                if step == 6 {
                    // a rejection: the belief about responder (k + 1) moves up
                    let lo = &mut st.shock_lo[(k + 1) % n];
                    *lo = if lo.is_finite() { *lo + 0.01 } else { -0.05 };
                }
                let r: Vec<f64> = r0.iter().map(|x| x + shift).collect();
                let before = ps.live.len();
                let full = st.choose_plain(k, &r, r[k]);
                let pruned = st.choose_pruned(k, &r, r[k]);
                same(
                    &full,
                    &pruned,
                    &format!("case {case} step {step}: n {n} radix {radix:?} tau {tau}"),
                );
                if step == 1 {
                    kept += usize::from(ps.live.len() == before);
                }
                if step == 4 || step == 6 {
                    found += usize::from(ps.live.len() == before + 1);
                }
                let live = ps.live.find(|l| l.proposer == k).expect("a live set is kept").1;
                smaller += usize::from(live.packages.len() < ps.len());
            }
        }
        // the test exercises keeping, finding and pruning, not only the listing
        assert_eq!((kept, found), (400, 800));
        assert!(smaller > 1000, "{smaller}");
    }

    /// Every package of the stage's set live for k at `floor`, by testing each one.
    fn listed_live(st: &Stage<'_>, k: usize, floor: &[f64]) -> Vec<u32> {
        (0..st.packages.len() as u32)
            .filter(|&z| st.live_at(z as usize, k, floor))
            .collect()
    }

    /// The walk finds exactly the packages that are live at its floor: on random domains, with
    /// floors from below every value to above most of them.
    #[test]
    fn the_walk_finds_every_live_package_and_no_other() {
        let mut rng = Rng(44);
        let mut pruned = 0;
        for case in 0..300 {
            let (n, radix) = shape(&mut rng, case, 4, 6.0);
            let ps = domain(&mut rng, &radix, n, case % 2 == 1);
            let st = stage(&ps, n, 0.01, 0.02 + 0.1 * rng.next(), case % 7 == 3);
            let floor: Vec<f64> = (0..n).map(|_| -0.2 + 1.2 * rng.next()).collect();
            let k = case % n;
            let walked = st.walk(k, &floor);
            let listed = listed_live(&st, k, &floor);
            assert_eq!(walked, listed, "case {case}");
            pruned += usize::from(walked.len() < ps.len() / 2);
        }
        assert!(pruned > 100, "{pruned}");
    }

    /// In a complete set where every package has the same needs and no red line against it, the
    /// walk takes a node whole when every package below it is live, and still finds exactly the
    /// live packages: on random two-party domains (one responder) with floors from below every
    /// value to above most of them, and with a durability price lowering the values.
    #[test]
    fn the_walk_takes_whole_nodes_and_finds_every_live_package() {
        let mut rng = Rng(71);
        let (mut whole, mut cases) = (0, 0);
        for case in 0..300 {
            let radix: Vec<usize> = (0..2 + case % 4).map(|_| 2 + (rng.next() * 6.0) as usize).collect();
            let mut ps = domain(&mut rng, &radix, 2, false);
            ps.blocked.iter_mut().for_each(|b| *b = 0);
            if case % 3 == 0 {
                // a durability price: up to 0.05 off each value, bounded by the shortfall
                for u in &mut ps.utility {
                    *u -= 0.05 * rng.next();
                }
                ps.issue_values.as_mut().unwrap().shortfall = vec![0.05; 2];
            }
            ps.issue_values.as_mut().unwrap().uniform = true;
            let st = stage(&ps, 2, 0.01, 0.02 + 0.1 * rng.next(), false);
            let floor: Vec<f64> = (0..2).map(|_| -0.3 + 1.2 * rng.next()).collect();
            let k = case % 2;
            let (walked, _, taken) = st.walk_counted(k, &floor);
            let listed = listed_live(&st, k, &floor);
            assert_eq!(walked, listed, "case {case}: radix {radix:?} floor {floor:?}");
            whole += usize::from(taken > 0);
            cases += usize::from(!listed.is_empty());
        }
        // most cases with a live package take a node whole
        assert!(whole > cases / 2, "{whole} of {cases}");
    }

    /// With two parties the joint bound is tight: the walk enters a node of the last issue only
    /// if some package under it is live (the per-actor bounds alone enter many more). On random
    /// two-party domains with every package kept and none blocked.
    #[test]
    fn with_two_parties_the_walk_enters_only_nodes_holding_a_live_package() {
        let mut rng = Rng(99);
        for case in 0..200 {
            let radix: Vec<usize> = (0..2 + case % 4).map(|_| 2 + (rng.next() * 6.0) as usize).collect();
            let mut ps = domain(&mut rng, &radix, 2, false);
            ps.blocked.iter_mut().for_each(|b| *b = 0);
            let st = stage(&ps, 2, 0.01, 0.02 + 0.1 * rng.next(), false);
            let floor: Vec<f64> = (0..2).map(|_| 0.2 + 0.7 * rng.next()).collect();
            let (live, entered, _) = st.walk_counted(case % 2, &floor);
            let last = *radix.last().unwrap() as u32;
            let mut parents: Vec<u32> = live.iter().map(|z| z / last).collect();
            parents.dedup();
            assert_eq!(entered, parents.len(), "case {case}: radix {radix:?} floor {floor:?}");
        }
    }

    /// The Pareto frontiers of the walk: every sum of terms over the last issues is weakly
    /// below a point of the frontier, and no frontier point is below another.
    #[test]
    fn frontiers_bound_every_completion() {
        let mut rng = Rng(7);
        let ps = domain(&mut rng, &[4, 3, 5], 2, false);
        let iv = ps.issue_values.as_ref().unwrap();
        let fronts = frontier(iv, 0, 1);
        assert_eq!(fronts[3], vec![(0.0, 0.0)]);
        for (d, f) in fronts.iter().enumerate().take(3) {
            assert!(f.windows(2).all(|w| w[0].0 > w[1].0 && w[0].1 < w[1].1), "depth {d}");
            // every completion of issues d..3
            let combos: usize = iv.radix[d..].iter().product();
            for c in 0..combos {
                let (mut rest, mut a, mut b) = (c, 0.0, 0.0);
                for e in (d..3).rev() {
                    let o = rest % iv.radix[e];
                    rest /= iv.radix[e];
                    a += iv.term(0, e, o);
                    b += iv.term(1, e, o);
                }
                assert!(
                    f.iter().any(|&(fa, fb)| fa >= a - 1e-12 && fb >= b - 1e-12),
                    "depth {d}: ({a}, {b}) above the frontier"
                );
            }
        }
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
            let (n, radix) = shape(&mut rng, case, 3, 5.0);
            let m = radix.len();
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

    /// Above [`PRUNE_ABOVE`] packages (8^6 = 262,144 here), [`Stage::choose`] takes the live
    /// set, and both its choice and the equilibrium map are the full listing's to the bit, at
    /// exact best responses and at three temperatures, for every proposer; the live set holds
    /// a part of the set (under half of it with two parties). With two parties the live set is weighed by the written-out
    /// arithmetic of [`Stage::one_uniform`], with three by the general one.
    #[test]
    fn choose_prunes_above_the_limit_and_matches_the_listing() {
        let mut rng = Rng(262_144);
        for n in [2, 3] {
            let mut ps = domain(&mut rng, &[8; 6], n, false);
            if n == 2 {
                // every package needs both and none is blocked: the live sets' needs are read
                // off the set
                ps.blocked.iter_mut().for_each(|b| *b = 0);
                ps.issue_values.as_mut().unwrap().uniform = true;
            }
            assert!(ps.len() > PRUNE_ABOVE);
            // the same packages without their issue values: listed in full
            let mut listed = ps.clone();
            listed.issue_values = None;
            for tau in [0.0, 0.002, 0.05, 2.0] {
                let st = stage(&ps, n, tau, 0.05, false);
                let plain = stage(&listed, n, tau, 0.05, false);
                assert!(st.prunable() && !plain.prunable());
                let r = [0.55, 0.6, 0.45];
                for s in 0..n {
                    let k = st.proposer[s];
                    let full = st.choose_plain(k, &r, r[k]);
                    let chosen = st.choose(s, &r, &r);
                    same(&full, &chosen, &format!("n {n} tau {tau} proposer {k}"));
                    let live = ps.live.find(|l| l.proposer == k).expect("a live set").1;
                    assert!(live.packages.len() < ps.len() / (4 - n), "{}", live.packages.len());
                    assert_eq!(st.one_uniform(live.needed).is_some(), n == 2);
                }
                let w: Vec<f64> = (0..n * n).map(|_| 0.5 + 0.12 * rng.next()).collect();
                let (mut a, mut b) = (vec![0.0; n * n], vec![0.0; n * n]);
                st.map(&w, &mut a);
                plain.map(&w, &mut b);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&a), bits(&b), "n {n} tau {tau}: map");
            }
        }
    }
}
