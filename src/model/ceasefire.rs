//! A run's ceasefire packages (`docs/model.md` §9.1): their drawn terms, who refuses them, the
//! value of living under each, and the hazard of collapse back to war.
//!
//! The collapse model is the durability model's (`docs/model.md` §5) applied to the ceasefire:
//! Weibull proportional hazards with survival `S(t) = exp(−HR_c (t/λ)^k)`, `t` the ceasefire's
//! age in years, `λ` set so a bare ceasefire collapses within `H` years with probability `p`
//! (`λ = H / (−ln(1−p))^(1/k)`), and `HR_c` the product of the hazard ratios of package `c`'s
//! options (Fortna 2003: monitoring, peacekeepers and demilitarised zones lower the hazard).
//! The simulation plays the exact conditional probability of collapse in each round; the
//! stationary solve, which cannot follow a ceasefire's age, uses the constant per-round hazard
//! with the same probability of collapse within `H` years (exact when `k = 1`).

use super::durability::weibull_scale;
use super::params::RunParams;
use super::war::interpolate;
use crate::scenario::Scenario;
use crate::scenario::ceasefire::Ceasefire;
use rand::{Rng, RngExt};

/// One ceasefire package of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct CeasefirePackage {
    /// Product of the options' hazard ratios, > 0.
    pub hazard_ratio: f64,
    /// Per actor: sum of the options' drawn utilities (lump sum, utility units).
    pub utility: Vec<f64>,
    /// Bitmask of the actors that refuse this ceasefire in this run.
    pub blocked: u32,
    /// `(issue, position)`: frontlines frozen at a named line instead of where they stand.
    pub freeze_at: Vec<(usize, f64)>,
}

/// The ceasefire of one run: its drawn parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct CeasefireParams {
    /// Bitmask of the actors whose acceptance every ceasefire needs.
    pub signatories: u32,
    /// Per actor: cost per round while a ceasefire holds.
    pub residual_war_cost: Vec<f64>,
    /// Weibull shape k and scale λ (years) of a bare ceasefire's collapse.
    pub shape: f64,
    pub scale_years: f64,
    /// Length of a round, years.
    pub round_years: f64,
    pub packages: Vec<CeasefirePackage>,
}

impl CeasefireParams {
    /// Draws the run's ceasefire from `rng` (a stream of its own, so no other draw of the run
    /// moves): per actor the residual cost and whether it refuses every ceasefire, the collapse
    /// shape and anchor, then per option its hazard ratio, utilities and refusals.
    pub fn draw<R: Rng + ?Sized>(s: &Scenario, c: &Ceasefire, rng: &mut R) -> CeasefireParams {
        let n = s.actors.len();
        let residual_war_cost: Vec<f64> = c.residual_war_cost.iter().map(|d| d.draw(rng)).collect();
        let refuse_all = mask(c.refused.iter().map(|d| refuses(d, rng)));
        let shape = c.collapse.shape.draw(rng);
        let p = c.collapse.p_collapse.draw(rng).clamp(1e-12, 1.0 - 1e-12);
        let scale_years = weibull_scale(p, c.collapse.years, shape);
        // each option's draws, in file order
        let options: Vec<Vec<(f64, Vec<f64>, u32)>> = c
            .terms
            .iter()
            .map(|t| {
                t.options
                    .iter()
                    .map(|o| {
                        let hr = o.hazard_ratio.draw(rng);
                        let u: Vec<f64> = o.utility.iter().map(|d| d.draw(rng)).collect();
                        let refused = mask(o.refused_by.iter().map(|d| refuses(d, rng)));
                        (hr, u, refused)
                    })
                    .collect()
            })
            .collect();
        let packages = (0..c.packages())
            .map(|pc| {
                let opts = c.decode(pc);
                let mut pkg = CeasefirePackage {
                    hazard_ratio: 1.0,
                    utility: vec![0.0; n],
                    blocked: refuse_all,
                    freeze_at: vec![],
                };
                for (k, &o) in opts.iter().enumerate() {
                    let (hr, u, refused) = &options[k][o];
                    pkg.hazard_ratio *= hr;
                    pkg.utility.iter_mut().zip(u).for_each(|(a, b)| *a += b);
                    pkg.blocked |= refused;
                    pkg.freeze_at.extend(c.terms[k].options[o].freeze_at.iter().copied());
                }
                pkg
            })
            .collect();
        CeasefireParams {
            signatories: mask((0..n).map(|i| c.signatories.contains(&i))),
            residual_war_cost,
            shape,
            scale_years,
            round_years: s
                .meta
                .round_years
                .expect("a [ceasefire] needs round_length (validated)"),
            packages,
        }
    }

    /// `S(t)`: probability that ceasefire `c` still holds `t` years after it started.
    pub fn survival(&self, c: usize, years: f64) -> f64 {
        (-self.packages[c].hazard_ratio * (years / self.scale_years).powf(self.shape)).exp()
    }

    /// Probability that ceasefire `c`, in force for `age` whole rounds, collapses during the
    /// next round: `1 − S((age+1)Δ) / S(age Δ)`.
    pub fn collapse_probability(&self, c: usize, age: usize) -> f64 {
        let (a, b) = (age as f64 * self.round_years, (age + 1) as f64 * self.round_years);
        let hr = self.packages[c].hazard_ratio;
        let cum = |t: f64| hr * (t / self.scale_years).powf(self.shape);
        1.0 - (cum(a) - cum(b)).exp()
    }

    /// The constant per-round collapse hazard the stationary solve uses for ceasefire `c`: the
    /// one with the same probability of collapse within the anchor's horizon `H`,
    /// `1 − S(H)^(Δ/H)` (exactly the Weibull's when `k = 1`).
    pub fn solver_hazard(&self, c: usize, horizon_years: f64) -> f64 {
        1.0 - self.survival(c, horizon_years).powf(self.round_years / horizon_years)
    }

    /// Actor i's value of living under ceasefire `c` for good (lump sum): its war-time utility
    /// with every frontline frozen (where it stands, or at the package's named line) plus the
    /// package's option utilities.
    pub fn status_quo_value(&self, s: &Scenario, p: &RunParams, c: usize, i: usize) -> f64 {
        let pkg = &self.packages[c];
        let issues: f64 = (0..s.issues.len())
            .map(|k| {
                let u = match (&p.frontlines[k], pkg.freeze_at.iter().find(|(fk, _)| *fk == k)) {
                    (Some(f), Some(&(_, at))) => interpolate(&p.utility[i][k], &f.path, at),
                    _ => super::war::issue_war_utility(p, i, k, s.issues[k].war_status_quo),
                };
                p.salience[i][k] * u
            })
            .sum();
        super::war::with_reservation(p, i, issues) + pkg.utility[i]
    }
}

/// Whether a refusal with probability `d` happens in this run: the probability's draw, then one
/// uniform.
fn refuses<R: Rng + ?Sized>(d: &crate::scenario::Dist, rng: &mut R) -> bool {
    let p = d.draw(rng);
    rng.random::<f64>() < p
}

fn mask(bits: impl Iterator<Item = bool>) -> u32 {
    bits.enumerate().fold(0, |m, (i, b)| if b { m | (1 << i) } else { m })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(shape: f64, hr: f64) -> CeasefireParams {
        CeasefireParams {
            signatories: 0b11,
            residual_war_cost: vec![0.0; 2],
            shape,
            scale_years: weibull_scale(0.4, 1.0, shape),
            round_years: 1.0 / 12.0,
            packages: vec![CeasefirePackage {
                hazard_ratio: hr,
                utility: vec![0.0; 2],
                blocked: 0,
                freeze_at: vec![],
            }],
        }
    }

    #[test]
    fn per_round_collapse_probabilities_multiply_to_the_survival_curve() {
        let p = params(0.7, 0.6);
        let mut s = 1.0;
        for age in 0..36 {
            s *= 1.0 - p.collapse_probability(0, age);
            let exact = p.survival(0, (age + 1) as f64 / 12.0);
            assert!((s - exact).abs() < 1e-12, "age {age}: {s} vs {exact}");
        }
        // the anchor: a bare ceasefire collapses within a year with probability 0.4
        assert!((1.0 - params(0.7, 1.0).survival(0, 1.0) - 0.4).abs() < 1e-12);
    }

    #[test]
    fn the_solver_hazard_matches_the_horizon_and_is_exact_for_a_constant_hazard() {
        let p = params(0.7, 0.6);
        let h = p.solver_hazard(0, 1.0);
        assert!(((1.0 - h).powi(12) - p.survival(0, 1.0)).abs() < 1e-12);
        let c = params(1.0, 0.6);
        for age in [0, 5, 30] {
            assert!((c.collapse_probability(0, age) - c.solver_hazard(0, 1.0)).abs() < 1e-12);
        }
    }
}
