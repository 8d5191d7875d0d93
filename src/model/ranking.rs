//! Each actor's packages in order of its peace value (`docs/model.md` §10, "Listing only the
//! packages that can be chosen").
//!
//! At every evaluation of the equilibrium map a proposer k weighs only the packages it values
//! above its reservation value `R_k` and that every responder it needs could accept, i.e. whose
//! value to responder j is above `R_j` plus the lowest acceptance shock j may still have. Each
//! such condition holds on a *prefix* of that actor's ranking (values in decreasing order:
//! floating-point subtraction is monotone), so the packages that can be chosen lie in the
//! shortest of those prefixes, found by binary search. The proposer's problem
//! (`solve::equilibrium::choice`) lists that prefix, in package order, instead of the whole set,
//! and weighs each package exactly as the full listing does: the choice is the same to the bit.

/// Largest package set that is ranked (beyond it the proposer's problem is searched by issue,
/// `solve::equilibrium::prune`, and a ranking would only cost time and memory).
pub const MAX_RANKED: usize = 200_000;

/// Every actor's packages, its highest value first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    /// Number of packages ranked: the first `packages` of the set. Entries appended to a copy
    /// of the set later (the war state's ceasefire offers, whose values the solver sets) are
    /// not ranked and are always listed.
    pub packages: usize,
    /// `order[i * packages + rank]`: a package's position in the set, actor i's highest value
    /// first (ties by position).
    pub order: Vec<u32>,
    /// `value[i * packages + rank]`: actor i's value of that package, `U_i(order[..])`.
    pub value: Vec<f64>,
    /// Bitmask of the actors whose acceptance every ranked package needs.
    pub always_required: u32,
}

impl Ranking {
    /// Ranks the packages of a set with `n` actors, values `utility[z * n + i]` and required
    /// responders `required[z]`.
    pub fn new(utility: &[f64], required: &[u32], n: usize) -> Ranking {
        let len = required.len();
        let mut order = Vec::with_capacity(n * len);
        let mut value = Vec::with_capacity(n * len);
        for i in 0..n {
            let mut idx: Vec<u32> = (0..len as u32).collect();
            idx.sort_by(|&a, &b| {
                let (ua, ub) = (utility[a as usize * n + i], utility[b as usize * n + i]);
                ub.total_cmp(&ua).then(a.cmp(&b))
            });
            value.extend(idx.iter().map(|&z| utility[z as usize * n + i]));
            order.extend(idx);
        }
        Ranking {
            packages: len,
            order,
            value,
            always_required: required.iter().fold(u32::MAX, |m, &r| m & r) & mask(n),
        }
    }

    /// How many of actor i's highest-valued packages satisfy `keep`, which must hold for every
    /// value above one it holds for (a threshold test): the length of the prefix of i's order.
    pub fn prefix(&self, i: usize, keep: impl Fn(f64) -> bool) -> usize {
        let row = &self.value[i * self.packages..(i + 1) * self.packages];
        row.partition_point(|&u| keep(u))
    }

    /// Positions of actor i's `len` highest-valued packages.
    pub fn top(&self, i: usize, len: usize) -> &[u32] {
        &self.order[i * self.packages..i * self.packages + len]
    }
}

/// Bitmask of the first `n` actors.
fn mask(n: usize) -> u32 {
    if n >= 32 { u32::MAX } else { (1u32 << n) - 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_the_packages_above_a_threshold() {
        // 5 packages, 2 actors
        let u = [0.3, 0.9, 0.7, 0.1, 0.3, 0.5, 0.5, 0.5, 0.9, 0.2];
        let required = [0b11, 0b01, 0b11, 0b11, 0b01];
        let r = Ranking::new(&u, &required, 2);
        assert_eq!(r.top(0, 5), &[4, 1, 3, 0, 2]);
        assert_eq!(r.top(1, 5), &[0, 2, 3, 4, 1]);
        assert_eq!(r.always_required, 0b01);
        for t in [-1.0, 0.1, 0.2, 0.3, 0.45, 0.5, 0.9, 1.0] {
            for i in 0..2 {
                let len = r.prefix(i, |v| v > t);
                let mut got: Vec<u32> = r.top(i, len).to_vec();
                got.sort_unstable();
                let want: Vec<u32> = (0..5).filter(|&z| u[z as usize * 2 + i] > t).collect();
                assert_eq!(got, want, "actor {i}, threshold {t}");
            }
        }
    }
}
