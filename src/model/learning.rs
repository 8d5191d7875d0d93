//! Learning from the battlefield (`docs/model.md` §9.3): actors whose beliefs about a frontline
//! carry a prior (`drift_sd`, `breakthrough.strength`) update them by conjugate rules from each
//! round of war they observe (DeGroot 1970, ch. 9), and use the posterior means for their
//! reservation values (through [`super::anticipation`], which reads `RunParams::beliefs`).
//!
//! - Drift: prior `N(m0, s0²)`; each observed round reveals the continuous move
//!   `Δx = drift + σξ` (path steps; net of any breakthrough jump, σ the run's per-round sd,
//!   known). After n observed rounds with sum `S`, `1/s_n² = 1/s0² + n/σ²` and
//!   `m_n = s_n² (m0/s0² + S/σ²)`. A round in which the line was stopped at an end of its path
//!   is censored (the actors see only that it reached the end): it is not observed, so n counts
//!   only the uncensored rounds. (The exact posterior after a censored round is not normal; the
//!   line then sits at the end it moves to, where the expected path hardly depends on the drift.)
//! - Breakthrough probability: prior `Beta(p0·n0, (1−p0)·n0)`; after n rounds of war with k
//!   breakthroughs, `Beta(p0·n0 + k, (1−p0)·n0 + n − k)`, mean `(p0·n0 + k)/(n0 + n)`. Every round
//!   of war counts, censored or not (a breakthrough is seen even at the end of the path).
//!
//! Observations are the simulated war's own moves: learning draws nothing. Rounds without war
//! (a ceasefire, an implementation lag) are simply not passed to [`Learning::observe`].

use super::params::RunParams;
use super::war::FrontMove;
use crate::scenario::Scenario;

/// Posterior `(mean, variance)` of a normal mean with prior `N(m0, s0²)` after `n` observations
/// summing to `sum`, each with known sd `sigma` (DeGroot 1970, §9.5). `s0 > 0`; with `sigma = 0`
/// one observation reveals the mean exactly (the limit σ → 0).
pub fn normal_posterior(m0: f64, s0: f64, sigma: f64, n: usize, sum: f64) -> (f64, f64) {
    if n == 0 {
        return (m0, s0 * s0);
    }
    if sigma == 0.0 {
        return (sum / n as f64, 0.0);
    }
    let (p0, pl) = (1.0 / (s0 * s0), 1.0 / (sigma * sigma));
    let var = 1.0 / (p0 + n as f64 * pl);
    (var * (m0 * p0 + sum * pl), var)
}

/// Posterior `(a, b)` of a Beta(a, b) prior on a per-round probability after `n` rounds with `k`
/// successes (DeGroot 1970, §9.2): `(a + k, b + n − k)`.
pub fn beta_posterior(a: f64, b: f64, n: usize, k: usize) -> (f64, f64) {
    (a + k as f64, b + (n - k) as f64)
}

/// One actor's learnt belief about one frontline.
#[derive(Debug, Clone, PartialEq)]
struct Track {
    actor: usize,
    issue: usize,
    /// `(m0, s0)`, when the drift is learnt.
    drift_prior: Option<(f64, f64)>,
    /// `(a, b)`, when the breakthrough probability is learnt.
    beta_prior: Option<(f64, f64)>,
}

/// What every learning actor has seen of one frontline (all see the same war).
#[derive(Debug, Clone, Default, PartialEq)]
struct Seen {
    /// Uncensored rounds and the sum of their continuous moves.
    moves: usize,
    sum: f64,
    /// Rounds of war and breakthroughs among them.
    rounds: usize,
    breakthroughs: usize,
}

/// The learning state of a run: the priors of every learnt belief and what has been observed.
/// Empty (and inert) when no actor states a prior.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Learning {
    tracks: Vec<Track>,
    /// Per issue (as long as the scenario's issues when any track exists).
    seen: Vec<Seen>,
}

impl Learning {
    /// The priors of run `p`: centred on each actor's drawn belief (the scenario's own draw
    /// where it states no value), with the scenario's `drift_sd` and `breakthrough.strength`.
    pub fn new(s: &Scenario, p: &RunParams) -> Learning {
        let mut tracks = vec![];
        for (i, a) in s.actors.iter().enumerate() {
            for (k, b) in a.beliefs.frontline.iter().enumerate() {
                let Some(b) = b else { continue };
                let Some(&Some((drift, prob, _))) = p.beliefs[i].frontline.get(k) else {
                    continue;
                };
                let drift_prior = b.drift_sd.map(|sd| (drift, sd));
                let beta_prior = b.breakthrough_strength.map(|n0| (prob * n0, (1.0 - prob) * n0));
                if drift_prior.is_some() || beta_prior.is_some() {
                    tracks.push(Track {
                        actor: i,
                        issue: k,
                        drift_prior,
                        beta_prior,
                    });
                }
            }
        }
        let seen = if tracks.is_empty() {
            vec![]
        } else {
            vec![Seen::default(); s.issues.len()]
        };
        Learning { tracks, seen }
    }

    /// Whether any actor learns.
    pub fn is_active(&self) -> bool {
        !self.tracks.is_empty()
    }

    /// One round of war moved frontline `issue` by `mv`: every actor learning about it updates,
    /// and its posterior means replace its beliefs in `p`. Returns whether a belief changed.
    pub fn observe(&mut self, p: &mut RunParams, issue: usize, mv: FrontMove) -> bool {
        if !self.tracks.iter().any(|t| t.issue == issue) {
            return false;
        }
        let seen = &mut self.seen[issue];
        seen.rounds += 1;
        seen.breakthroughs += usize::from(mv.breakthrough);
        if !mv.clamped {
            seen.moves += 1;
            seen.sum += mv.continuous;
        }
        let sigma = p.frontlines[issue].as_ref().map_or(0.0, |f| f.sd);
        let mut changed = false;
        for t in self.tracks.iter().filter(|t| t.issue == issue) {
            let Some(Some(belief)) = p.beliefs[t.actor].frontline.get_mut(issue) else {
                continue;
            };
            let before = *belief;
            if let (Some((m0, s0)), false) = (t.drift_prior, mv.clamped) {
                belief.0 = normal_posterior(m0, s0, sigma, seen.moves, seen.sum).0;
            }
            if let Some((a, b)) = t.beta_prior {
                let (a, b) = beta_posterior(a, b, seen.rounds, seen.breakthroughs);
                belief.1 = a / (a + b);
            }
            changed |= *belief != before;
        }
        changed
    }

    /// Every learnt drift belief now: `(actor, issue, posterior mean, posterior sd)`.
    pub fn drift_posteriors(&self, p: &RunParams) -> Vec<(usize, usize, f64, f64)> {
        self.tracks
            .iter()
            .filter_map(|t| {
                let (m0, s0) = t.drift_prior?;
                let sigma = p.frontlines[t.issue].as_ref().map_or(0.0, |f| f.sd);
                let seen = &self.seen[t.issue];
                let (m, v) = normal_posterior(m0, s0, sigma, seen.moves, seen.sum);
                Some((t.actor, t.issue, m, v.sqrt()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sequential normal update, one observation at a time (prior → posterior → prior ...),
    /// equals the closed form, and the closed form is the textbook one written out.
    #[test]
    fn normal_posterior_matches_the_closed_form() {
        let (m0, s0, sigma) = (0.083, 0.05, 0.12);
        let xs = [0.02, -0.15, 0.31, 0.0, 0.07, -0.04];
        let (mut m, mut v) = (m0, s0 * s0);
        for (t, x) in xs.iter().enumerate() {
            // one-observation update with the previous posterior as the prior
            let vn = 1.0 / (1.0 / v + 1.0 / (sigma * sigma));
            m = vn * (m / v + x / (sigma * sigma));
            v = vn;
            let n = t + 1;
            let sum: f64 = xs[..n].iter().sum();
            let (cm, cv) = normal_posterior(m0, s0, sigma, n, sum);
            // 1/s² = 1/s0² + n/σ², m = s² (m0/s0² + Σx/σ²), written out
            let ev = 1.0 / (1.0 / 0.0025 + n as f64 / 0.0144);
            let em = ev * (0.083 / 0.0025 + sum / 0.0144);
            assert!((cv - ev).abs() < 1e-12 && (cm - em).abs() < 1e-12, "n = {n}");
            assert!((cv - v).abs() < 1e-12 && (cm - m).abs() < 1e-12, "n = {n}");
        }
        // no data: the prior; no noise: the observed mean
        assert_eq!(normal_posterior(m0, s0, sigma, 0, 0.0), (m0, s0 * s0));
        assert_eq!(normal_posterior(m0, s0, 0.0, 2, 0.3), (0.15, 0.0));
        // many observations: the sample mean, variance σ²/n
        let (m, v) = normal_posterior(m0, s0, sigma, 1_000_000, 0.01 * 1_000_000.0);
        assert!((m - 0.01).abs() < 1e-6 && (v * 1e6 / (sigma * sigma) - 1.0).abs() < 1e-5);
    }

    #[test]
    fn beta_posterior_counts_successes_and_failures() {
        // prior p = 0.1 with strength 20: Beta(2, 18); 30 rounds, 9 breakthroughs
        let (a, b) = beta_posterior(0.1 * 20.0, 0.9 * 20.0, 30, 9);
        assert!((a - 11.0).abs() < 1e-12 && (b - 39.0).abs() < 1e-12);
        assert!((a / (a + b) - 11.0 / 50.0).abs() < 1e-12);
        // posterior variance ab/((a+b)²(a+b+1))
        let var = a * b / ((a + b).powi(2) * (a + b + 1.0));
        assert!((var - 11.0 * 39.0 / (2500.0 * 51.0)).abs() < 1e-12);
    }
}
