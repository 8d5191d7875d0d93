//! Discrete private types (`types` of an `[[actor]]`, `docs/model.md` §3): k points of the
//! private acceptance shock ε with their probabilities, as in the two-type screening game of
//! Fearon (1995, §"Private information and incentives to misrepresent").
//!
//! A type with shock ε accepts a package worth x above its reservation value iff
//! `x ≥ ε − ACCEPT_TOL` (the rounding allowance of the simulation, 1e-12). The proposers' belief
//! is the prior truncated from below: after a rejection of margin x only the types with
//! `ε > x + ACCEPT_TOL` remain, so the belief's lower bound `lo` is always one of the points and
//! Bayes' rule on the points is the prior renormalised over `{ε ≥ lo}`.

use serde::Serialize;

/// The allowance below a type's shock at which it still accepts: the simulation's
/// `ACCEPT_TOL` (`src/solve/equilibrium/mod.rs`), repeated here because the scenario layer sits
/// below the solver (a test checks they are equal).
pub const TYPE_TOL: f64 = 1e-12;

/// A discrete distribution of private acceptance shocks: points sorted by shock (distinct),
/// probabilities summing to 1 (points of probability 0 are dropped).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypePoints {
    /// The types' shocks ε, ascending, in utility units.
    pub shock: Vec<f64>,
    /// Their probabilities, each > 0, summing to 1.
    pub p: Vec<f64>,
}

impl TypePoints {
    /// The distribution of `(shock, p)` pairs: sorted, equal shocks merged, zero probabilities
    /// dropped. `None` if no point has a positive probability.
    pub fn new(points: &[(f64, f64)]) -> Option<TypePoints> {
        let mut pts: Vec<(f64, f64)> = points.iter().copied().filter(|&(_, p)| p > 0.0).collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut t = TypePoints {
            shock: vec![],
            p: vec![],
        };
        for (e, p) in pts {
            if t.shock.last() == Some(&e) {
                *t.p.last_mut().expect("a point") += p;
            } else {
                t.shock.push(e);
                t.p.push(p);
            }
        }
        (!t.shock.is_empty()).then_some(t)
    }

    /// The lowest type's shock (the belief's lower bound before anything is learnt).
    pub fn lowest(&self) -> f64 {
        self.shock[0]
    }

    /// The highest type's shock.
    pub fn highest(&self) -> f64 {
        *self.shock.last().expect("a point")
    }

    /// The type at quantile `u` ∈ [0, 1): the first point whose cumulative probability exceeds
    /// `u` (the highest if rounding leaves the total just below `u`). One uniform draw per type,
    /// as for the continuous families.
    pub fn quantile(&self, u: f64) -> f64 {
        let mut c = 0.0;
        for (&e, &p) in self.shock.iter().zip(&self.p) {
            c += p;
            if u < c {
                return e;
            }
        }
        self.highest()
    }

    /// Probability mass of the types still believed possible, `P(ε ≥ lo)`.
    fn mass_from(&self, lo: f64) -> f64 {
        self.shock
            .iter()
            .zip(&self.p)
            .filter(|(e, _)| **e >= lo)
            .map(|(_, p)| p)
            .sum()
    }

    /// `F(x) = P(ε ≤ x + tol | ε ≥ lo)`: the probability that a responder accepts a margin `x`
    /// when the types below `lo` have been ruled out. A step function of `x`.
    #[inline(never)]
    pub fn accept_prob(&self, lo: f64, x: f64) -> f64 {
        let mut acc = 0.0;
        let mut all = 0.0;
        for (&e, &p) in self.shock.iter().zip(&self.p) {
            if e >= lo {
                all += p;
                if x >= e - TYPE_TOL {
                    acc += p;
                }
            }
        }
        if all <= 0.0 {
            f64::from(u8::from(x >= lo - TYPE_TOL))
        } else {
            (acc / all).min(1.0)
        }
    }

    /// `(1 − F(x)) E[ε | ε > x + tol, ε ≥ lo]` under the belief truncated at `lo`: the sum over
    /// the types that reject of their probability times their shock, renormalised.
    #[inline(never)]
    pub fn rejection_gain(&self, lo: f64, x: f64) -> f64 {
        let all = self.mass_from(lo);
        if all <= 0.0 {
            return 0.0;
        }
        let rej: f64 = self
            .shock
            .iter()
            .zip(&self.p)
            .filter(|(e, _)| **e >= lo && x < **e - TYPE_TOL)
            .map(|(e, p)| e * p)
            .sum();
        rej / all
    }

    /// What a rejection of margin `x` teaches: the lowest type that would have rejected it (the
    /// smallest shock above `x + tol`), or `None` if every type would have accepted.
    pub fn lowest_rejecting(&self, x: f64) -> Option<f64> {
        self.shock.iter().copied().find(|&e| x < e - TYPE_TOL)
    }

    /// The shocks of the types still believed possible (`ε ≥ lo`): the only margins a proposer
    /// facing exact best responses needs to consider.
    pub fn candidates(&self, lo: f64) -> impl Iterator<Item = f64> + '_ {
        self.shock.iter().copied().filter(move |&e| e >= lo)
    }

    /// The mean shock.
    pub fn mean(&self) -> f64 {
        self.shock.iter().zip(&self.p).map(|(e, p)| e * p).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two() -> TypePoints {
        // the weak type (shock 0) with 0.7, the tough one (shock 0.1) with 0.3
        TypePoints::new(&[(0.1, 0.3), (0.0, 0.7)]).unwrap()
    }

    #[test]
    fn sorted_and_merged() {
        let t = TypePoints::new(&[(0.2, 0.25), (-0.1, 0.5), (0.2, 0.25), (0.5, 0.0)]).unwrap();
        assert_eq!(t.shock, vec![-0.1, 0.2]);
        assert_eq!(t.p, vec![0.5, 0.5]);
        assert!(TypePoints::new(&[(0.1, 0.0)]).is_none());
    }

    #[test]
    fn acceptance_is_a_step_at_each_type() {
        let t = two();
        assert_eq!(t.accept_prob(0.0, -0.01), 0.0);
        assert_eq!(t.accept_prob(0.0, 0.0), 0.7);
        assert_eq!(t.accept_prob(0.0, -1e-13), 0.7, "within the rounding allowance");
        assert_eq!(t.accept_prob(0.0, 0.05), 0.7);
        assert_eq!(t.accept_prob(0.0, 0.1), 1.0);
        // after the weak type is ruled out (Bayes on the points: only the tough one is left)
        assert_eq!(t.accept_prob(0.1, 0.05), 0.0);
        assert_eq!(t.accept_prob(0.1, 0.1), 1.0);
    }

    #[test]
    fn rejection_gain_is_the_rejecting_types_shock_mass() {
        let t = two();
        assert!((t.rejection_gain(0.0, 0.0) - 0.3 * 0.1).abs() < 1e-15);
        assert!((t.rejection_gain(0.0, -0.5) - t.mean()).abs() < 1e-15);
        assert_eq!(t.rejection_gain(0.0, 0.1), 0.0);
        assert!((t.rejection_gain(0.1, 0.0) - 0.1).abs() < 1e-15);
    }

    #[test]
    fn quantiles_follow_the_cumulative_probabilities() {
        let t = two();
        assert_eq!(t.quantile(0.0), 0.0);
        assert_eq!(t.quantile(0.6999), 0.0);
        assert_eq!(t.quantile(0.7), 0.1);
        assert_eq!(t.quantile(0.9999999), 0.1);
    }

    #[test]
    fn a_rejection_rules_out_the_types_that_would_have_accepted() {
        let t = two();
        assert_eq!(t.lowest_rejecting(0.0), Some(0.1));
        assert_eq!(t.lowest_rejecting(-0.2), Some(0.0));
        assert_eq!(t.lowest_rejecting(0.1), None);
    }
}
