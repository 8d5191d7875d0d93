//! War dynamics (`docs/model.md` §2 and §4): the war-time utility of a state and the per-round
//! frontline step (the expected path used for reservation values is in
//! [`super::anticipation`]).

use super::params::RunParams;
use rand::Rng;
use rand::RngExt;
use rand_distr::{Distribution, StandardNormal};

/// Utility of a fractional frontline position for one actor: linear interpolation between the
/// path options either side (`docs/model.md` §4). `opts` are the actor's utilities for the issue.
pub fn interpolate(opts: &[f64], path: &[usize], position: f64) -> f64 {
    let max = (path.len() - 1) as f64;
    let f = position.clamp(0.0, max);
    let lo = (f.floor() as usize).min(path.len() - 1);
    let hi = (lo + 1).min(path.len() - 1);
    let w = f - lo as f64;
    (1.0 - w) * opts[path[lo]] + w * opts[path[hi]]
}

/// `u` (a lump-sum value of the no-agreement state) plus actor i's reservation value, if it has
/// one (`docs/model.md` §2, reservation values): so a round without agreement pays `(1 − δ_i)`
/// times it, and no agreement forever is worth it on top of the war-time situation.
pub fn with_reservation(p: &RunParams, i: usize, u: f64) -> f64 {
    match p.reservation_value[i] {
        Some(r) => u + r,
        None => u,
    }
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

/// Moves every frontline one round of war: `f' = clamp(f + drift + sd·ξ + jump·1{breakthrough})`.
pub fn step_frontlines<R: Rng + ?Sized>(p: &mut RunParams, rng: &mut R) {
    step_frontlines_observed(p, rng, |_, _| {});
}

/// What one round of war did to a frontline, as the actors observe it (`docs/model.md` §9.3):
/// the continuous move `drift + sd·ξ` (path steps, net of any breakthrough jump), whether a
/// breakthrough happened, and whether the line was stopped at an end of its path (the move then
/// is censored: the actors see only that the line reached the end).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrontMove {
    pub continuous: f64,
    pub breakthrough: bool,
    pub clamped: bool,
}

/// [`step_frontlines`], telling `seen(issue, move)` what each frontline did (the same draws).
pub fn step_frontlines_observed<R: Rng + ?Sized>(
    p: &mut RunParams,
    rng: &mut R,
    mut seen: impl FnMut(usize, FrontMove),
) {
    for (k, f) in p.frontlines.iter_mut().enumerate() {
        let Some(f) = f else { continue };
        let xi: f64 = StandardNormal.sample(rng);
        let broke = rng.random::<f64>() < f.breakthrough_probability;
        let jump = if broke { f.breakthrough_jump } else { 0.0 };
        let moved = f.position + f.drift + f.sd * xi + jump;
        f.position = moved.clamp(0.0, f.max_position());
        seen(
            k,
            FrontMove {
                continuous: f.drift + f.sd * xi,
                breakthrough: broke,
                clamped: moved != f.position,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
