//! Pseudo-arclength continuation of a fixed-point curve `x = G(x, s)` (Allgower and Georg 2003,
//! *Introduction to Numerical Continuation Methods*, ch. 2: predictor along the tangent, Newton
//! corrector on the augmented system). Used to follow the logit equilibrium path through folds,
//! where the branch turns back in the temperature and geometric temperature steps either fail or
//! jump to another branch (`docs/model.md` §3, "arc-length tracing of the branch is the upgrade
//! path"; Turocy 2005 traces the logit correspondence the same way).
//!
//! The curve is `H(x, s) = G(x, s) − x = 0` in `R^(d+1)`; Jacobians are forward differences
//! (`d + 1` evaluations each), so this is for small systems (the equilibrium values have
//! `states × actors` unknowns, at most a few hundred evaluations of `G` per step).

use super::anderson::{Outcome, gauss};

/// Where a continuation ended.
#[derive(Debug, Clone)]
pub struct PathOutcome {
    /// The solution at `s_end` (or the last point reached, a solution at `s` to 1e-9).
    pub x: Vec<f64>,
    /// `s_end`, or where the path stopped.
    pub s: f64,
    pub evals: usize,
    /// Predictor–corrector steps taken.
    pub steps: usize,
    /// How many times the path turned back in `s` (folds passed).
    pub folds: usize,
    pub converged: bool,
    /// Max-norm of `G(x, s_end) − x` at the returned point.
    pub residual: f64,
}

fn max_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// Follows the solution curve from `(x0, s0)` (a solution, or close to one) to `s = s_end <
/// s0`, and solves there to max-norm residual `tol`. `g(x, s, out)` writes `G(x, s)`.
/// Deterministic: the same inputs take the same steps.
pub fn follow(
    x0: &[f64],
    s0: f64,
    s_end: f64,
    tol: f64,
    max_evals: usize,
    g: impl FnMut(&[f64], f64, &mut [f64]),
) -> PathOutcome {
    let d = x0.len();
    let mut c = Curve { g, d, evals: 0 };
    let mut y: Vec<f64> = x0.to_vec();
    y.push(s0);
    let mut hy = vec![0.0; d];
    c.h(&y, &mut hy);
    let mut t_prev = vec![0.0; d + 1];
    t_prev[d] = -1.0; // start towards lower temperatures
    let mut h = 0.05;
    let (mut steps, mut folds) = (0usize, 0usize);
    while c.evals < max_evals {
        let jac = c.jacobian(&y, &hy);
        let Some(t) = tangent(&jac, &t_prev) else {
            break;
        };
        let Some((z, hz)) = c.step(&y, &t, &jac, &mut h, max_evals) else {
            break;
        };
        steps += 1;
        let turned = (t[d] > 0.0) != (t_prev[d] > 0.0) && steps > 1;
        folds += usize::from(turned);
        if z[d] <= s_end {
            let (x, out) = c.land(&y, &z, s_end, tol, max_evals);
            return PathOutcome {
                x,
                s: s_end,
                evals: c.evals,
                steps,
                folds,
                converged: out.converged,
                residual: out.residual,
            };
        }
        y = z;
        hy = hz;
        t_prev = t;
        h = (h * 1.5).min(0.5);
    }
    PathOutcome {
        x: y[..d].to_vec(),
        s: y[d],
        evals: c.evals,
        steps,
        folds,
        converged: false,
        residual: max_norm(&hy),
    }
}

/// The curve `H(y) = G(y[..d], y[d]) − y[..d] = 0` in `R^(d+1)`, counting evaluations of `G`.
struct Curve<G> {
    g: G,
    d: usize,
    evals: usize,
}

impl<G: FnMut(&[f64], f64, &mut [f64])> Curve<G> {
    /// Writes `H(y)` into `out` (`d` values).
    fn h(&mut self, y: &[f64], out: &mut [f64]) {
        let d = self.d;
        (self.g)(&y[..d], y[d], out);
        self.evals += 1;
        for j in 0..d {
            out[j] -= y[j];
        }
    }

    /// Jacobian of H at y (d × (d+1)) by forward differences, given H(y) = hy.
    fn jacobian(&mut self, y: &[f64], hy: &[f64]) -> Vec<Vec<f64>> {
        let d = self.d;
        let mut jac = vec![vec![0.0; d + 1]; d];
        let mut yp = y.to_vec();
        let mut hp = vec![0.0; d];
        for j in 0..=d {
            let step = 1e-7 * (1.0 + y[j].abs());
            yp[j] = y[j] + step;
            self.h(&yp, &mut hp);
            yp[j] = y[j];
            for r in 0..d {
                jac[r][j] = (hp[r] - hy[r]) / step;
            }
        }
        jac
    }

    /// One predictor–corrector step from `y` along the tangent `t`: predicts at step length
    /// `h`, corrects, and halves `h` until the corrected point is near the prediction (no jump
    /// to another branch). The accepted point and H there; `None` when `h` falls below 1e-9 or
    /// the evaluations run out.
    fn step(
        &mut self,
        y: &[f64],
        t: &[f64],
        jac: &[Vec<f64>],
        h: &mut f64,
        max_evals: usize,
    ) -> Option<(Vec<f64>, Vec<f64>)> {
        while *h > 1e-9 && self.evals < max_evals {
            let pred: Vec<f64> = y.iter().zip(t).map(|(a, b)| a + *h * b).collect();
            let (z, hz, ok) = self.correct(jac, t, &pred, *h);
            // accept only a point near the prediction (no jump to another branch)
            let dist = z.iter().zip(&pred).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt();
            if ok && dist < 0.5 * h.max(1e-6) + 1e-7 {
                return Some((z, hz));
            }
            *h *= 0.5;
        }
        None
    }

    /// Corrector: Newton on `[H(z) = 0; t·(z − pred) = 0]` with the Jacobian frozen at the last
    /// point (chord), at most 8 iterations. The point reached, H there, and whether
    /// `|H|∞ < 1e-9`.
    fn correct(&mut self, jac: &[Vec<f64>], t: &[f64], pred: &[f64], h: f64) -> (Vec<f64>, Vec<f64>, bool) {
        let mut z = pred.to_vec();
        let mut hz = vec![0.0; self.d];
        for _ in 0..8 {
            self.h(&z, &mut hz);
            if max_norm(&hz) < 1e-9 {
                return (z, hz, true);
            }
            let mut a: Vec<Vec<f64>> = jac
                .iter()
                .zip(&hz)
                .map(|(row, r)| {
                    let mut row = row.clone();
                    row.push(-r);
                    row
                })
                .collect();
            let mut last = t.to_vec();
            last.push(-(z.iter().zip(pred).zip(t).map(|((a, b), c)| (a - b) * c).sum::<f64>()));
            a.push(last);
            let Some(dz) = gauss(&mut a) else { break };
            z.iter_mut().zip(&dz).for_each(|(a, b)| *a += b);
            if max_norm(&dz) > 10.0 * h.max(1e-3) {
                break; // diverging
            }
        }
        (z, hz, false)
    }

    /// The step from `y` to `z` crossed `s_end`: solves `x = G(x, s_end)` by Newton's method
    /// from the point interpolated on the chord, with the evaluations left (at least `d + 2`).
    fn land(&mut self, y: &[f64], z: &[f64], s_end: f64, tol: f64, max_evals: usize) -> (Vec<f64>, Outcome) {
        let d = self.d;
        let w = (y[d] - s_end) / (y[d] - z[d]);
        let mut x: Vec<f64> = (0..d).map(|j| y[j] + w * (z[j] - y[j])).collect();
        let budget = (max_evals - self.evals.min(max_evals)).max(d + 2);
        let g = &mut self.g;
        let out = super::anderson::newton(&mut x, tol, budget, |x, out| g(x, s_end, out));
        self.evals += out.evals;
        (x, out)
    }
}

/// Unit tangent of the curve: solves `[J; t_prev] t = [0; 1]` and normalises.
fn tangent(jac: &[Vec<f64>], prev: &[f64]) -> Option<Vec<f64>> {
    let mut a: Vec<Vec<f64>> = jac
        .iter()
        .map(|row| {
            let mut r = row.clone();
            r.push(0.0);
            r
        })
        .collect();
    let mut last = prev.to_vec();
    last.push(1.0);
    a.push(last);
    let t = gauss(&mut a)?;
    let norm = t.iter().map(|v| v * v).sum::<f64>().sqrt();
    Some(t.iter().map(|v| v / norm).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `x = G(x, s)` with `G = x − (x³ − x + s)`: the curve `s = x − x³` has folds at
    /// `x = ±1/√3`. Starting on the upper branch at s = 1 and going down to s = −1 needs to pass
    /// the fold at s = 2/(3√3) ≈ 0.385 (the upper branch ends there) and the one at −0.385.
    #[test]
    fn follows_an_s_shaped_curve_through_its_folds() {
        let cubic = |x: &[f64], s: f64, out: &mut [f64]| out[0] = x[0] - (x[0].powi(3) - x[0] + s);
        // a solution of x³ − x + 1 = 0: x ≈ −1.3247 (the only real root at s = 1)
        let mut x0 = vec![-1.3247];
        let o = super::super::anderson::newton(&mut x0, 1e-12, 100, |x, out| cubic(x, 1.0, out));
        assert!(o.converged);
        let out = follow(&x0, 1.0, -1.0, 1e-10, 100_000, cubic);
        assert!(out.converged, "{out:?}");
        // at s = −1 the only real root of x³ − x − 1 is x ≈ 1.3247
        assert!((out.x[0] - 1.324_717_957_244_746).abs() < 1e-8, "{out:?}");
        assert_eq!(out.folds, 2, "{out:?}");
    }

    /// Without folds the continuation lands on the same point as a direct solve.
    #[test]
    fn a_monotone_curve_is_followed_to_the_direct_solution() {
        let lin = |x: &[f64], s: f64, out: &mut [f64]| {
            out[0] = 0.5 * x[0] + s;
            out[1] = 0.25 * x[1] - s * s;
        };
        let out = follow(&[0.0, 0.0], 0.0, -2.0, 1e-12, 10_000, lin);
        assert!(out.converged);
        assert!(
            (out.x[0] + 4.0).abs() < 1e-9 && (out.x[1] + 16.0 / 3.0).abs() < 1e-9,
            "{out:?}"
        );
        assert_eq!(out.folds, 0);
    }
}
