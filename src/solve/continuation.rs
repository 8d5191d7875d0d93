//! Pseudo-arclength continuation of a fixed-point curve `x = G(x, s)` (Allgower and Georg 2003,
//! *Introduction to Numerical Continuation Methods*, ch. 2: predictor along the tangent, Newton
//! corrector on the augmented system). Used to follow the logit equilibrium path through folds,
//! where the branch turns back in the temperature and geometric temperature steps either fail or
//! jump to another branch (`MODEL.md` §3, "arc-length tracing of the branch is the upgrade
//! path"; Turocy 2005 traces the logit correspondence the same way).
//!
//! The curve is `H(x, s) = G(x, s) − x = 0` in `R^(d+1)`; Jacobians are forward differences
//! (`d + 1` evaluations each), so this is for small systems (the equilibrium values have
//! `states × actors` unknowns, at most a few hundred evaluations of `G` per step).

use super::anderson::gauss;

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

/// `H` evaluated at a point, counting evaluations.
type Residual<'a> = dyn FnMut(&[f64], &mut [f64], &mut usize) + 'a;

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
    mut g: impl FnMut(&[f64], f64, &mut [f64]),
) -> PathOutcome {
    let d = x0.len();
    let mut evals = 0usize;
    let mut h_of = |y: &[f64], out: &mut [f64], evals: &mut usize| {
        g(&y[..d], y[d], out);
        *evals += 1;
        for j in 0..d {
            out[j] -= y[j];
        }
    };
    // Jacobian of H at y (d × (d+1)), given H(y) = hy.
    let jacobian = |y: &[f64], hy: &[f64], evals: &mut usize, h_of: &mut Residual| {
        let mut jac = vec![vec![0.0; d + 1]; d];
        let mut yp = y.to_vec();
        let mut hp = vec![0.0; d];
        for j in 0..=d {
            let step = 1e-7 * (1.0 + y[j].abs());
            yp[j] = y[j] + step;
            h_of(&yp, &mut hp, evals);
            yp[j] = y[j];
            for r in 0..d {
                jac[r][j] = (hp[r] - hy[r]) / step;
            }
        }
        jac
    };
    // Unit tangent: [J; t_prev] t = [0; 1].
    let tangent = |jac: &[Vec<f64>], prev: &[f64]| -> Option<Vec<f64>> {
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
    };

    let mut y: Vec<f64> = x0.to_vec();
    y.push(s0);
    let mut hy = vec![0.0; d];
    h_of(&y, &mut hy, &mut evals);
    let mut t_prev = vec![0.0; d + 1];
    t_prev[d] = -1.0; // start towards lower temperatures
    let mut h = 0.05;
    let (mut steps, mut folds) = (0usize, 0usize);
    let fail = |y: &[f64], evals: usize, steps: usize, folds: usize, residual: f64| PathOutcome {
        x: y[..d].to_vec(),
        s: y[d],
        evals,
        steps,
        folds,
        converged: false,
        residual,
    };
    while evals < max_evals {
        let jac = jacobian(&y, &hy, &mut evals, &mut h_of);
        let Some(t) = tangent(&jac, &t_prev) else {
            return fail(&y, evals, steps, folds, max_norm(&hy));
        };
        // corrector: Newton on [H(y) = 0; t·(y − y_pred) = 0], Jacobian frozen at y (chord)
        let mut accepted = None;
        while h > 1e-9 && evals < max_evals {
            let pred: Vec<f64> = y.iter().zip(&t).map(|(a, b)| a + h * b).collect();
            let mut z = pred.clone();
            let mut hz = vec![0.0; d];
            let mut ok = false;
            for _ in 0..8 {
                h_of(&z, &mut hz, &mut evals);
                if max_norm(&hz) < 1e-9 {
                    ok = true;
                    break;
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
                let mut last = t.clone();
                last.push(-(z.iter().zip(&pred).zip(&t).map(|((a, b), c)| (a - b) * c).sum::<f64>()));
                a.push(last);
                let Some(dz) = gauss(&mut a) else { break };
                z.iter_mut().zip(&dz).for_each(|(a, b)| *a += b);
                if max_norm(&dz) > 10.0 * h.max(1e-3) {
                    break; // diverging
                }
            }
            // accept only a point near the prediction (no jump to another branch)
            let dist = z.iter().zip(&pred).map(|(a, b)| (a - b) * (a - b)).sum::<f64>().sqrt();
            if ok && dist < 0.5 * h.max(1e-6) + 1e-7 {
                accepted = Some((z, hz));
                break;
            }
            h *= 0.5;
        }
        let Some((z, hz)) = accepted else {
            return fail(&y, evals, steps, folds, max_norm(&hy));
        };
        steps += 1;
        let turned = (t[d] > 0.0) != (t_prev[d] > 0.0) && steps > 1;
        folds += usize::from(turned);
        if z[d] <= s_end {
            // crossed the target: solve at s_end from the point interpolated on the chord
            let w = (y[d] - s_end) / (y[d] - z[d]);
            let mut x: Vec<f64> = (0..d).map(|j| y[j] + w * (z[j] - y[j])).collect();
            let out = super::anderson::newton(&mut x, tol, (max_evals - evals.min(max_evals)).max(d + 2), |x, out| {
                g(x, s_end, out)
            });
            evals += out.evals;
            return PathOutcome {
                x,
                s: s_end,
                evals,
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
    fail(&y, evals, steps, folds, max_norm(&hy))
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
