//! Quota games with more coalitions than are listed (`docs/model.md` §3, "Coalitions beyond the
//! listing cap"): the proposer's choice of coalition as a conditional-Poisson distribution,
//! computed with elementary symmetric polynomials instead of listing `C(N, m)` coalitions.
//!
//! For a package z offered by k, every coalition C of m responders from the pool of N eligible
//! ones passes with `P(C) = ρ P_0 Π_{j∈C} F_j` (ratification ρ, the required responders' `P_0`),
//! and `EU_k(C) = R_k + (U_k − R_k) P(C)`. The best coalition takes the m largest `F_j` (the sum
//! of `ln F_j` is additive). Near it, `EU_k(C) − EU_k(C*) ≈ (U_k − R_k) P(C*) (ln P(C) − ln P(C*))`,
//! so the logit weights `exp(EU_k(C)/τ)` over coalitions are, to first order, proportional to
//! `Π_{j∈C} θ_j` with `θ_j = F_j^β`, `β = (U_k − R_k) P(C*)/τ`: a conditional-Poisson
//! distribution (Hájek 1964; Chen, Dempster and Liu 1994). With `e_r` the elementary symmetric
//! polynomials of the pool,
//!
//! ```text
//! P(C) ∝ Π_{j∈C} θ_j,   P(i ∈ C) = θ_i e_{m−1}(θ_{−i}) / e_m(θ),
//! E[Π_{j∈C} F_j] = e_m(θ∘F) / e_m(θ),   E[1{i∈C} Π_{j∈C∖i} F_j] = θ_i e_{m−1}((θ∘F)_{−i}) / e_m(θ)
//! ```
//!
//! each in O(N m) operations. As τ → 0 the distribution concentrates on the best coalition
//! (responders tied at the margin mixed evenly); at τ = 0 it is that limit exactly. The map is
//! continuous in the values (the old rule, the m most likely to accept, jumped when two marginal
//! responders swapped rank).

use super::{MAX_COALITIONS, Offer, Stage, TIE};

/// A proposer's mixed choice of the coalition it offers one package to: m members drawn from
/// `pool` with probability proportional to `Π θ_j` (conditional Poisson). The responders the
/// offer needs whatever the draw are the offer's `needed`.
#[derive(Debug, Clone, PartialEq)]
pub struct Coalitions {
    /// Responders the coalition is drawn from (actor indices, ascending).
    pub pool: Vec<usize>,
    /// Weight `θ_j ≥ 0` of each pool member (same order; scaled so the marginal member's is 1).
    pub theta: Vec<f64>,
    /// Members drawn, `1 ≤ m < pool.len()`.
    pub seats: usize,
    /// `P(j ∈ C)` for each pool member (same order); they sum to `seats`.
    pub inclusion: Vec<f64>,
}

/// The elementary symmetric polynomials `e_0, …, e_m` of `x` (`e_0 = 1`), by the recursion
/// `e_r ← e_r + x_j e_{r−1}` over j: O(len · m).
pub fn elementary(x: &[f64], m: usize) -> Vec<f64> {
    let mut e = vec![0.0; m + 1];
    e[0] = 1.0;
    for (j, &xj) in x.iter().enumerate() {
        for r in (1..=m.min(j + 1)).rev() {
            e[r] += xj * e[r - 1];
        }
    }
    e
}

impl Coalitions {
    /// The distribution with weights `theta` over `pool`; `None` when fewer than `seats` members
    /// have a positive weight.
    pub fn new(pool: Vec<usize>, theta: Vec<f64>, seats: usize) -> Option<Self> {
        let em = elementary(&theta, seats)[seats];
        if em <= 0.0 || !em.is_finite() {
            return None;
        }
        let inclusion = leave_out(&theta, seats - 1)
            .iter()
            .zip(&theta)
            .map(|(e, t)| (t * e / em).clamp(0.0, 1.0))
            .collect();
        Some(Coalitions {
            pool,
            theta,
            seats,
            inclusion,
        })
    }

    /// `E[Π_{j∈C} f_j]` over the drawn coalition C (`f` per pool member).
    pub fn expected_product(&self, f: &[f64]) -> f64 {
        let tf: Vec<f64> = self.theta.iter().zip(f).map(|(t, x)| t * x).collect();
        let m = self.seats;
        elementary(&tf, m)[m] / elementary(&self.theta, m)[m]
    }

    /// Per pool member i, `E[1{i∈C} Π_{j∈C∖i} f_j]`.
    pub fn with_member(&self, f: &[f64]) -> Vec<f64> {
        let tf: Vec<f64> = self.theta.iter().zip(f).map(|(t, x)| t * x).collect();
        let m = self.seats;
        let em = elementary(&self.theta, m)[m];
        leave_out(&tf, m - 1)
            .iter()
            .zip(&self.theta)
            .map(|(e, t)| t * e / em)
            .collect()
    }

    /// Draws a coalition (a bitmask of actors) by sequential conditional-Poisson sampling: pool
    /// member i (in order) joins with probability `θ_i e_{r−1}(θ_{i+1..}) / e_r(θ_{i..})`, r the
    /// seats still open. Consumes exactly one uniform draw of `uniform` per pool member.
    pub fn draw(&self, mut uniform: impl FnMut() -> f64) -> u32 {
        let (n, m) = (self.pool.len(), self.seats);
        // suffix[i][r] = e_r(θ_i, …, θ_{n−1})
        let mut suffix = vec![vec![0.0; m + 1]; n + 1];
        suffix[n][0] = 1.0;
        for i in (0..n).rev() {
            suffix[i][0] = 1.0;
            for r in 1..=m {
                suffix[i][r] = suffix[i + 1][r] + self.theta[i] * suffix[i + 1][r - 1];
            }
        }
        let mut mask = 0u32;
        let mut r = m;
        for i in 0..n {
            let u = uniform();
            if r == 0 {
                continue;
            }
            let p = if suffix[i][r] > 0.0 {
                self.theta[i] * suffix[i + 1][r - 1] / suffix[i][r]
            } else {
                1.0
            };
            if u < p {
                mask |= 1 << self.pool[i];
                r -= 1;
            }
        }
        mask
    }
}

/// For every i, `e_r` of `x` without its i-th element: prefix and suffix polynomials
/// (`e(x_0..x_{i−1})`, `e(x_{i+1}..)`) convolved at degree r, O(len · r) in all and, the terms
/// being non-negative, without cancellation.
fn leave_out(x: &[f64], r: usize) -> Vec<f64> {
    let n = x.len();
    let step = |e: &mut [f64], xj: f64| {
        for s in (1..e.len()).rev() {
            e[s] += xj * e[s - 1];
        }
    };
    // suffix[i] = e_0..e_r of x_i..x_{n−1}
    let mut suffix = vec![vec![0.0; r + 1]; n + 1];
    suffix[n][0] = 1.0;
    for i in (0..n).rev() {
        let mut e = suffix[i + 1].clone();
        step(&mut e, x[i]);
        suffix[i] = e;
    }
    let mut prefix = vec![0.0; r + 1];
    prefix[0] = 1.0;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let after = &suffix[i + 1];
        out.push((0..=r).map(|a| prefix[a] * after[r - a]).sum());
        step(&mut prefix, x[i]);
    }
    out
}

impl Stage<'_> {
    /// Package z offered by k under a quota with more coalitions than [`MAX_COALITIONS`]:
    /// `None` when the coalitions are listed instead (few enough, or a divisible issue, an
    /// outside option or discrete types, which keep the old rule); else the candidate
    /// `(E[EU_k], offer)` (none when it cannot pass or is worth no more than passing), whose
    /// offer carries its coalition distribution (see the module docs). The package enters the
    /// logit with its expected utility to the proposer under that distribution.
    pub(super) fn coalition_offer(&self, z: usize, k: usize, r: &[f64], rk: f64) -> Option<Option<(f64, Offer)>> {
        let ps = self.packages;
        let q = self.quota?;
        if ps.split.is_some() || self.outside.iter().any(Option::is_some) || !self.types.is_empty() {
            return None;
        }
        let have = (ps.required[z] | (1 << k)).count_ones() as usize;
        if have >= q {
            return None;
        }
        let pool: Vec<usize> = (0..self.n())
            .filter(|&j| j != k && ps.required[z] & (1 << j) == 0 && ps.blocked[z] & (1 << j) == 0)
            .collect();
        let m = q - have;
        if pool.len() < m || super::choice::binomial(pool.len(), m) <= MAX_COALITIONS {
            return None;
        }
        let mut needed = ps.required[z] & !(1 << k);
        if needed & ps.blocked[z] != 0 {
            return Some(None);
        }
        let uk = ps.u(z, k);
        if uk <= rk {
            return Some(None);
        }
        let f: Vec<f64> = pool.iter().map(|&j| self.accept_prob(j, ps.u(z, j) - r[j])).collect();
        let mut sorted = f.clone();
        sorted.sort_by(|a, b| b.total_cmp(a));
        let fm = sorted[m - 1];
        let p0 = self.acceptance(needed, r, self.ratify_prob(z), |j| ps.u(z, j));
        let best = p0 * sorted[..m].iter().product::<f64>();
        if fm <= 0.0 || best <= 0.0 {
            return Some(None);
        }
        // utility units per unit of ln P(C) at the best coalition
        let slope = (uk - rk) * best;
        let (pool, theta, seats) = if self.tau <= 0.0 {
            // the limit: the members better than the marginal one are in, those tied with it
            // (within TIE) mixed evenly, the rest out
            let (mut tied, mut seats) = (vec![], m);
            for (&j, &fj) in pool.iter().zip(&f) {
                let d = if fj > 0.0 {
                    slope * (fj.ln() - fm.ln())
                } else {
                    f64::NEG_INFINITY
                };
                if d > TIE {
                    needed |= 1 << j;
                    seats -= 1;
                } else if d >= -TIE {
                    tied.push(j);
                }
            }
            let ones = vec![1.0; tied.len()];
            (tied, ones, seats)
        } else {
            // the exponent matching the log-slope of the logit weight net of passing,
            // exp(EU_k(C)/τ) − exp(R_k/τ) ∝ exp(x P(C)/P(C*)) − 1, at the best coalition:
            // x/(1 − e^−x) with x = (U_k − R_k) P(C*)/τ (≈ 1 at high temperatures, where the
            // weight is proportional to P(C), and → x as τ → 0)
            let x = slope / self.tau;
            let beta = if x < 1e-12 { 1.0 } else { x / -(-x).exp_m1() };
            // ln θ bounded so that products of m weights stay finite
            let cap = 600.0 / m as f64;
            let theta = f
                .iter()
                .map(|&fj| {
                    if fj > 0.0 {
                        (beta * (fj.ln() - fm.ln())).clamp(-cap, cap).exp()
                    } else {
                        0.0
                    }
                })
                .collect();
            (pool, theta, m)
        };
        let (coalition, accept) = if seats == 0 || seats >= pool.len() {
            // one coalition: every tied member, or none
            needed |= pool.iter().fold(0, |a, &j| if seats == 0 { a } else { a | (1 << j) });
            let p = self.acceptance(needed, r, self.ratify_prob(z), |j| ps.u(z, j));
            (None, p)
        } else {
            let Some(c) = Coalitions::new(pool, theta, seats) else {
                return Some(None);
            };
            let fp: Vec<f64> = c.pool.iter().map(|&j| self.accept_prob(j, ps.u(z, j) - r[j])).collect();
            let p = p0 * c.expected_product(&fp);
            (Some(std::sync::Arc::new(c)), p)
        };
        if accept <= 0.0 {
            return Some(None);
        }
        let offer = Offer {
            package: z,
            prob: 0.0,
            needed,
            accept,
            shares: None,
            coalition,
        };
        Some(Some((rk + (uk - rk) * accept, offer)))
    }

    /// Adds to `row` what offer `o`, with a coalition distribution `c`, is worth to each actor
    /// (`docs/model.md` §3), weighted by its probability: `E[P(C)] U_i + (1 − E[P(C)]) R_i`, plus
    /// a needed responder's expected rejection gain, `E[1{i needed} P_{−i}(C)] (1 − F_i) E[ε_i |
    /// ε_i > x_i]`.
    pub(super) fn coalition_values(&self, o: &Offer, c: &Coalitions, r: &[f64], row: &mut [f64]) {
        let ps = self.packages;
        let z = o.package;
        let n = self.n();
        let fp: Vec<f64> = c.pool.iter().map(|&j| self.accept_prob(j, ps.u(z, j) - r[j])).collect();
        let drawn = c.expected_product(&fp);
        let member = c.with_member(&fp);
        let p0 = self.acceptance(o.needed, r, 1.0, |j| ps.u(z, j));
        for i in 0..n {
            let ui = ps.u(z, i);
            let mut wi = o.accept * ui + (1.0 - o.accept) * r[i];
            if o.needed & (1 << i) != 0 {
                let others = self.acceptance(o.needed & !(1 << i), r, 1.0, |j| ps.u(z, j));
                wi += others * drawn * self.rejection_gain(i, ui - r[i]);
            } else if let Some(pos) = c.pool.iter().position(|&j| j == i) {
                wi += p0 * member[pos] * self.rejection_gain(i, ui - r[i]);
            }
            row[i] += o.prob * wi;
        }
    }
}

impl Stage<'_> {
    /// The offer `o` with its coalition drawn (the simulation's proposer, `docs/model.md` §3):
    /// with a coalition distribution, the members drawn join `needed` (one uniform draw of
    /// `uniform` per pool member, [`Coalitions::draw`]) and `accept` becomes that coalition's
    /// `P(z)` under the reservation values `r`; otherwise `o` unchanged, nothing drawn.
    pub fn draw_coalition(&self, mut o: Offer, r: &[f64], uniform: impl FnMut() -> f64) -> Offer {
        if let Some(c) = o.coalition.take() {
            let ps = self.packages;
            o.needed |= c.draw(uniform);
            o.accept = self.acceptance(o.needed, r, self.ratify_prob(o.package), |j| ps.u(o.package, j));
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every m-subset of 0..n as a bitmask.
    fn subsets(n: usize, m: usize) -> Vec<u32> {
        (0u32..(1 << n)).filter(|c| c.count_ones() as usize == m).collect()
    }

    fn brute(theta: &[f64], m: usize, g: impl Fn(u32) -> f64) -> f64 {
        let (mut num, mut den) = (0.0, 0.0);
        for c in subsets(theta.len(), m) {
            let w: f64 = (0..theta.len())
                .filter(|j| c & (1 << j) != 0)
                .map(|j| theta[j])
                .product();
            num += w * g(c);
            den += w;
        }
        num / den
    }

    fn example() -> (Vec<f64>, Vec<f64>) {
        let theta = vec![0.3, 1.7, 1.0, 0.05, 2.5, 0.8, 1.1, 0.0, 4.0, 0.6];
        let f = vec![0.9, 0.2, 0.55, 1.0, 0.7, 0.35, 0.05, 0.8, 0.6, 0.99];
        (theta, f)
    }

    #[test]
    fn elementary_polynomials_match_brute_force() {
        let (theta, _) = example();
        let e = elementary(&theta, 10);
        for (m, em) in e.iter().enumerate() {
            let want: f64 = subsets(10, m)
                .iter()
                .map(|c| (0..10).filter(|j| c & (1 << j) != 0).map(|j| theta[j]).product::<f64>())
                .sum();
            assert!((em - want).abs() <= 1e-12 * want.max(1.0), "e_{m}: {em} vs {want}");
        }
    }

    #[test]
    fn inclusion_and_expectations_match_enumeration() {
        let (theta, f) = example();
        for m in 1..9 {
            let c = Coalitions::new((0..10).collect(), theta.clone(), m).expect("enough weight");
            let total: f64 = c.inclusion.iter().sum();
            assert!((total - m as f64).abs() < 1e-12, "m = {m}: inclusion sums to {total}");
            assert_eq!(c.inclusion[7], 0.0, "a zero weight is never drawn");
            for i in 0..10 {
                let want = brute(&theta, m, |s| f64::from(u8::from(s & (1 << i) != 0)));
                assert!((c.inclusion[i] - want).abs() < 1e-12, "P({i} in C), m = {m}");
            }
            let prod = |s: u32, skip: usize| {
                (0..10)
                    .filter(|&j| j != skip && s & (1 << j) != 0)
                    .map(|j| f[j])
                    .product::<f64>()
            };
            let want = brute(&theta, m, |s| prod(s, usize::MAX));
            assert!((c.expected_product(&f) - want).abs() < 1e-12, "E[P(C)], m = {m}");
            let member = c.with_member(&f);
            for (i, got) in member.iter().enumerate() {
                let want = brute(&theta, m, |s| if s & (1 << i) != 0 { prod(s, i) } else { 0.0 });
                assert!((got - want).abs() < 1e-12, "E[1(i in C) P_-i], i = {i}, m = {m}");
            }
        }
    }

    #[test]
    fn sampler_frequencies_are_within_four_standard_errors() {
        use rand::{RngExt, SeedableRng};
        let (theta, _) = example();
        let m = 4;
        let c = Coalitions::new((0..10).collect(), theta.clone(), m).expect("enough weight");
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(15);
        let draws = 200_000;
        let mut count = std::collections::HashMap::<u32, usize>::new();
        for _ in 0..draws {
            let s = c.draw(|| rng.random::<f64>());
            assert_eq!(s.count_ones() as usize, m);
            *count.entry(s).or_default() += 1;
        }
        // every coalition's frequency against Π θ / e_m
        let em = elementary(&theta, m)[m];
        for s in subsets(10, m) {
            let p: f64 = (0..10).filter(|j| s & (1 << j) != 0).map(|j| theta[j]).product::<f64>() / em;
            let got = *count.get(&s).unwrap_or(&0) as f64 / draws as f64;
            let se = (p * (1.0 - p) / draws as f64).sqrt();
            assert!(
                (got - p).abs() <= 4.0 * se + 1e-12,
                "coalition {s:b}: {got} vs {p} (se {se})"
            );
        }
    }

    /// One package, 17 actors, quota 10: the proposer (actor 0, value 1) needs 9 of 16
    /// responders, C(16, 9) = 11,440 coalitions. Responder j's margin is `margins[j]`, its shock
    /// uniform on ±0.05, so its acceptance probability is `(margin + 0.05)/0.1`.
    fn limit_stage(ps: &crate::model::PackageSet, tau: f64) -> Stage<'_> {
        let n = 17;
        Stage {
            packages: ps,
            proposer: vec![0],
            transition: vec![1.0],
            flow: vec![0.0; n],
            delta: vec![0.9; n],
            breakdown: 0.0,
            breakdown_value: vec![0.0; n],
            shock_lo: vec![-0.05; n],
            shock_hi: vec![0.05; n],
            mood_floor: vec![],
            quota: Some(10),
            outside: vec![None; n],
            logistic: false,
            scale: vec![0.05; n],
            types: &[],
            tau,
            tol: 1e-10,
            traced: true,
        }
    }

    fn limit_package(margins: &[f64]) -> crate::model::PackageSet {
        let mut utility = vec![1.0];
        utility.extend_from_slice(&margins[1..]);
        crate::model::PackageSet::one(utility, 0)
    }

    /// P(j in the coalition) per actor under the offer (1 for those needed whatever the draw).
    fn included(o: &Offer) -> Vec<f64> {
        (0..17)
            .map(|j| {
                if o.needed & (1 << j) != 0 {
                    return 1.0;
                }
                o.coalition.as_ref().map_or(0.0, |c| {
                    c.pool.iter().position(|&i| i == j).map_or(0.0, |p| c.inclusion[p])
                })
            })
            .collect()
    }

    #[test]
    fn the_zero_temperature_limit_is_the_top_m_rule() {
        // distinct acceptance probabilities: the 9 most likely to accept (actors 8..16) for sure
        let margins: Vec<f64> = (0..17).map(|j| -0.04 + 0.005 * j as f64).collect();
        let ps = limit_package(&margins);
        let r = vec![0.0; 17];
        let top: u32 = (8..17).fold(0, |a, j| a | (1 << j));
        let exact = limit_stage(&ps, 0.0)
            .coalition_offer(0, 0, &r, 0.0)
            .expect("beyond the cap")
            .expect("an offer");
        assert_eq!((exact.1.needed, exact.1.coalition.is_none()), (top, true));
        let p_top: f64 = (8..17).map(|j| (margins[j] + 0.05) / 0.1).product();
        assert!((exact.1.accept - p_top).abs() < 1e-15);
        for tau in [1e-3, 1e-5, 1e-7] {
            let (eu, o) = limit_stage(&ps, tau)
                .coalition_offer(0, 0, &r, 0.0)
                .expect("beyond the cap")
                .expect("an offer");
            let gap = included(&o).iter().enumerate().fold(0.0f64, |g, (j, p)| {
                g.max((p - f64::from(u8::from(top & (1 << j) != 0))).abs())
            });
            // the margin is F_8/F_7 = 0.95/0.9: weights (F_7/F_8)^γ with γ ≈ p_top/τ
            let bound = 16.0 * (0.9f64 / 0.95).powf(p_top / tau);
            assert!(
                gap <= bound.max(1e-15),
                "τ = {tau}: inclusion off the top-m rule by {gap}"
            );
            assert!(
                (eu - p_top).abs() <= 2.0 * bound.max(1e-15),
                "τ = {tau}: EU {eu} vs {p_top}"
            );
        }
        // a tie at the margin (actors 7 and 8): mixed evenly in the limit, and at τ = 0
        let mut tied = margins.clone();
        tied[7] = tied[8];
        let ps = limit_package(&tied);
        let (_, o) = limit_stage(&ps, 0.0)
            .coalition_offer(0, 0, &r, 0.0)
            .expect("beyond the cap")
            .expect("an offer");
        let (_, soft) = limit_stage(&ps, 1e-7)
            .coalition_offer(0, 0, &r, 0.0)
            .expect("beyond the cap")
            .expect("an offer");
        for p in [included(&o), included(&soft)] {
            assert!((p[7] - 0.5).abs() < 1e-12 && (p[8] - 0.5).abs() < 1e-12, "{p:?}");
            assert!((p[9..].iter().sum::<f64>() - 8.0).abs() < 1e-12 && p[..7].iter().all(|&x| x < 1e-12));
        }
    }
}
