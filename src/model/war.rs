//! War dynamics (`MODEL.md` §2 and §4): the war-time utility of a state, its expected-path
//! version used for reservation values, and the per-round frontline step.

use super::params::{FrontlineState, RunParams};
use rand::Rng;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Utility of a fractional frontline position for one actor: linear interpolation between the
/// path options either side (`MODEL.md` §4). `opts` are the actor's utilities for the issue.
pub fn interpolate(opts: &[f64], path: &[usize], position: f64) -> f64 {
    let max = (path.len() - 1) as f64;
    let f = position.clamp(0.0, max);
    let lo = (f.floor() as usize).min(path.len() - 1);
    let hi = (lo + 1).min(path.len() - 1);
    let w = f - lo as f64;
    (1.0 - w) * opts[path[lo]] + w * opts[path[hi]]
}

/// Actor i's utility on `issue` during war at the current state (no anticipation).
pub fn issue_war_utility(p: &RunParams, i: usize, issue: usize, status_quo: Option<usize>) -> f64 {
    if let Some(f) = &p.frontlines[issue] {
        return interpolate(&p.utility[i][issue], &f.path, f.position);
    }
    if let Some(w) = p.war_utility[i][issue] {
        return w;
    }
    status_quo.map_or(0.0, |o| p.utility[i][issue][o])
}

/// `(1-δ) Σ_t δ^t u(E[f_t])` along the expected path `E[f_t] = clamp(f + t·v)`: the
/// expected-path war utility of a frontline issue (`MODEL.md` §3, anticipation).
///
/// Exact for the clamped linear path; the tail after the line reaches a bound is summed in
/// closed form. `delta` in (0, 1]; with δ = 1 the current position is used.
pub fn expected_path_utility(opts: &[f64], f: &FrontlineState, delta: f64) -> f64 {
    let v = f.velocity();
    let here = interpolate(opts, &f.path, f.position);
    if v == 0.0 || delta >= 1.0 {
        return here;
    }
    let max = f.max_position();
    let mut sum = 0.0;
    let mut dt = 1.0; // δ^t
    let mut pos = f.position;
    for _ in 0..100_000 {
        let at_bound = (v > 0.0 && pos >= max) || (v < 0.0 && pos <= 0.0);
        let u = interpolate(opts, &f.path, pos);
        if at_bound || dt < 1e-14 {
            return sum + dt * u;
        }
        sum += (1.0 - delta) * dt * u;
        dt *= delta;
        pos = (pos + v).clamp(0.0, max);
    }
    sum + dt * interpolate(opts, &f.path, pos)
}

/// Moves every frontline one round of war: `f' = clamp(f + drift + sd·ξ + jump·1{breakthrough})`.
pub fn step_frontlines<R: Rng + ?Sized>(p: &mut RunParams, rng: &mut R) {
    for f in p.frontlines.iter_mut().flatten() {
        let xi: f64 = StandardNormal.sample(rng);
        let jump = if rng.random::<f64>() < f.breakthrough_probability {
            f.breakthrough_jump
        } else {
            0.0
        };
        f.position = (f.position + f.drift + f.sd * xi + jump).clamp(0.0, f.max_position());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(pos: f64, drift: f64) -> FrontlineState {
        FrontlineState {
            path: vec![1, 3, 5],
            position: pos,
            drift,
            sd: 0.0,
            breakthrough_probability: 0.0,
            breakthrough_jump: 0.0,
        }
    }

    #[test]
    fn interpolation_is_linear_between_path_options() {
        let u = [9.0, 0.2, 9.0, 0.6, 9.0, 1.0];
        let path = [1, 3, 5];
        assert!((interpolate(&u, &path, 0.0) - 0.2).abs() < 1e-15);
        assert!((interpolate(&u, &path, 0.25) - 0.3).abs() < 1e-15);
        assert!((interpolate(&u, &path, 1.0) - 0.6).abs() < 1e-15);
        assert!((interpolate(&u, &path, 1.5) - 0.8).abs() < 1e-15);
        assert!((interpolate(&u, &path, 2.0) - 1.0).abs() < 1e-15);
        // off-path positions are clamped to the ends
        assert!((interpolate(&u, &path, 7.0) - 1.0).abs() < 1e-15);
        assert!((interpolate(&u, &path, -1.0) - 0.2).abs() < 1e-15);
    }

    #[test]
    fn expected_path_matches_a_brute_force_sum() {
        let u = [0.0, 0.0, 0.0, 0.5, 0.0, 1.0];
        let f = line(0.3, 0.07);
        let d: f64 = 0.95;
        let brute: f64 = (0..20_000)
            .map(|t| (1.0 - d) * d.powi(t) * interpolate(&u, &f.path, (0.3 + 0.07 * t as f64).min(2.0)))
            .sum();
        assert!((expected_path_utility(&u, &f, d) - brute).abs() < 1e-10);
    }

    #[test]
    fn a_still_frontline_is_its_current_utility() {
        let u = [0.0, 0.2, 0.0, 0.6, 0.0, 1.0];
        assert!((expected_path_utility(&u, &line(0.5, 0.0), 0.9) - 0.4).abs() < 1e-15);
    }
}
