//! Anderson acceleration for fixed points `x = G(x)` (Walker and Ni 2011, "Anderson
//! acceleration for fixed-point iterations", SIAM J. Numer. Anal. 49(4), type II), with a damped
//! fallback when a step diverges. Used for the stationary equilibrium values (`docs/model.md` §3).

// Per-actor arrays are indexed in parallel (payoffs, discounts, costs): index loops read best.
#![allow(clippy::needless_range_loop)]

use std::collections::VecDeque;

/// Settings of the accelerated iteration.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// Number of past differences kept (docs/model.md §5).
    pub memory: usize,
    /// Max-norm residual `|G(x) - x|` at which the iteration stops.
    pub tol: f64,
    /// Evaluations of `G` allowed.
    pub max_evals: usize,
}

/// Result of a fixed-point solve.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Outcome {
    /// Evaluations of `G` used.
    pub evals: usize,
    /// Final max-norm residual.
    pub residual: f64,
    pub converged: bool,
}

fn max_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// Solves `x = G(x)` in place from the start value in `x`. `g(x, out)` writes `G(x)` to `out`.
/// When it stops without converging, `x` holds `G` of the iterate with the smallest residual
/// (and `residual` is that residual), so a fallback can continue from the best point reached.
pub fn solve(x: &mut [f64], settings: Settings, mut g: impl FnMut(&[f64], &mut [f64])) -> Outcome {
    let d = x.len();
    let mut gx = vec![0.0; d];
    g(x, &mut gx);
    let mut evals = 1;
    let mut f: Vec<f64> = gx.iter().zip(x.iter()).map(|(a, b)| a - b).collect();
    // the last `memory` differences of iterates and of residuals, oldest first; a dropped pair's
    // vectors are reused for the next one, so an iteration allocates nothing
    let mut dxs: VecDeque<Vec<f64>> = VecDeque::with_capacity(settings.memory + 1);
    let mut dfs: VecDeque<Vec<f64>> = VecDeque::with_capacity(settings.memory + 1);
    let mut spare: Vec<Vec<f64>> = vec![];
    let mut x_new = vec![0.0; d];
    let mut g_new = vec![0.0; d];
    let mut f_new = vec![0.0; d];
    let mut ls = LeastSquares::default();
    let mut best = (f64::INFINITY, gx.clone());
    loop {
        let res = max_norm(&f);
        if res < best.0 {
            best.0 = res;
            best.1.copy_from_slice(&gx);
        }
        if res < settings.tol || evals >= settings.max_evals {
            // converged: G(x); stopped: G of the iterate with the smallest residual
            x.copy_from_slice(if res < settings.tol { &gx } else { &best.1 });
            return Outcome {
                evals,
                residual: res.min(best.0),
                converged: res < settings.tol,
            };
        }
        // candidate step
        if dfs.is_empty() {
            x_new.copy_from_slice(&gx);
        } else {
            let gamma = ls.solve(dfs.make_contiguous(), &f);
            let dxs = dxs.make_contiguous();
            let dfs = dfs.as_slices().0;
            for j in 0..d {
                let corr: f64 = gamma
                    .iter()
                    .enumerate()
                    .map(|(c, gm)| gm * (dxs[c][j] + dfs[c][j]))
                    .sum();
                x_new[j] = gx[j] - corr;
            }
        }
        g(&x_new, &mut g_new);
        evals += 1;
        difference(&mut f_new, &g_new, &x_new);
        if !f_new.iter().all(|v| v.is_finite()) || max_norm(&f_new) > 10.0 * res {
            // diverging: forget the history and take a damped plain step instead
            spare.extend(dxs.drain(..));
            spare.extend(dfs.drain(..));
            for j in 0..d {
                x_new[j] = x[j] + 0.5 * f[j];
            }
            g(&x_new, &mut g_new);
            evals += 1;
            difference(&mut f_new, &g_new, &x_new);
        } else {
            let mut dx = spare.pop().unwrap_or_else(|| vec![0.0; d]);
            difference(&mut dx, &x_new, x);
            let mut df = spare.pop().unwrap_or_else(|| vec![0.0; d]);
            difference(&mut df, &f_new, &f);
            dxs.push_back(dx);
            dfs.push_back(df);
            if dxs.len() > settings.memory {
                spare.extend(dxs.pop_front());
                spare.extend(dfs.pop_front());
            }
        }
        x.copy_from_slice(&x_new);
        gx.copy_from_slice(&g_new);
        std::mem::swap(&mut f, &mut f_new);
    }
}

/// `out = a − b`, element by element.
fn difference(out: &mut [f64], a: &[f64], b: &[f64]) {
    for ((o, x), y) in out.iter_mut().zip(a).zip(b) {
        *o = x - y;
    }
}

/// Newton iterations without halving the lowest residual after which [`newton`] gives up. Every
/// converged Newton solve in 1,000 runs of each of `ukraine-2025-08`, `ukraine-2025-12` and
/// `tests/scenarios/unconverged-daily.toml` (seed 3, 6,714 solves) halved its residual at least
/// every 300 iterations; the failed ones (2,571) ran to the 20,000-evaluation budget, most
/// without ever halving it (`docs/model.md` §10).
pub const NEWTON_STALL: usize = 400;

/// Solves `x = G(x)` in place by Newton's method on `F(x) = G(x) − x`, with a forward-difference
/// Jacobian (`x.len() + 1` evaluations per iteration, so only for small systems) and a
/// backtracking line search on `max|F|`; when no step along the Newton direction lowers the
/// residual, a damped plain step `x + F(x)/2` is taken instead. Converges to fixed points that
/// plain and accelerated iteration cannot reach (those where `G` expands), from nearby starts.
/// Stops at `max_evals` evaluations, or after [`NEWTON_STALL`] iterations that do not halve the
/// lowest residual reached (`converged = false`, `x` at the last iterate).
pub fn newton(x: &mut [f64], tol: f64, max_evals: usize, mut g: impl FnMut(&[f64], &mut [f64])) -> Outcome {
    let d = x.len();
    let mut gx = vec![0.0; d];
    let mut gp = vec![0.0; d];
    let mut xp = vec![0.0; d];
    let mut jac = vec![vec![0.0; d + 1]; d];
    g(x, &mut gx);
    let mut evals = 1;
    let mut f: Vec<f64> = gx.iter().zip(x.iter()).map(|(a, b)| a - b).collect();
    // the lowest residual so far and the iteration that last halved it
    let (mut best, mut halved) = (f64::INFINITY, 0usize);
    for iteration in 0.. {
        let res = max_norm(&f);
        if res < 0.5 * best {
            (best, halved) = (res, iteration);
        }
        let stalled = iteration - halved > NEWTON_STALL;
        if res < tol || evals + d + 1 > max_evals || !res.is_finite() || stalled {
            return Outcome {
                evals,
                residual: res,
                converged: res < tol,
            };
        }
        for j in 0..d {
            let h = 1e-7 * (1.0 + x[j].abs());
            xp.copy_from_slice(x);
            xp[j] += h;
            g(&xp, &mut gp);
            evals += 1;
            for r in 0..d {
                jac[r][j] = (gp[r] - gx[r]) / h - f64::from(u8::from(r == j));
            }
        }
        for r in 0..d {
            jac[r][d] = -f[r];
        }
        let step = gauss(&mut jac);
        let mut accepted = false;
        if let Some(dx) = step {
            let mut t = 1.0;
            while t > 1e-3 && evals < max_evals {
                for j in 0..d {
                    xp[j] = x[j] + t * dx[j];
                }
                g(&xp, &mut gp);
                evals += 1;
                let fp: Vec<f64> = gp.iter().zip(&xp).map(|(a, b)| a - b).collect();
                if max_norm(&fp) < (1.0 - 1e-4 * t) * res {
                    x.copy_from_slice(&xp);
                    gx.copy_from_slice(&gp);
                    f = fp;
                    accepted = true;
                    break;
                }
                t *= 0.5;
            }
        }
        if !accepted {
            for j in 0..d {
                x[j] += 0.5 * f[j];
            }
            g(x, &mut gx);
            evals += 1;
            f = gx.iter().zip(x.iter()).map(|(a, b)| a - b).collect();
        }
    }
    unreachable!("the iterations are unbounded")
}

/// Solves `x = G(x)` in place by damped iteration `x ← x + α (G(x) − x)`, `α` in (0, 1].
pub fn damped(x: &mut [f64], alpha: f64, tol: f64, max_evals: usize, mut g: impl FnMut(&[f64], &mut [f64])) -> Outcome {
    let mut gx = vec![0.0; x.len()];
    let mut evals = 0;
    loop {
        g(x, &mut gx);
        evals += 1;
        let res = x.iter().zip(&gx).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        if res < tol || evals >= max_evals || !res.is_finite() {
            if res < tol {
                x.copy_from_slice(&gx);
            }
            return Outcome {
                evals,
                residual: res,
                converged: res < tol,
            };
        }
        for (a, b) in x.iter_mut().zip(&gx) {
            *a += alpha * (b - *a);
        }
    }
}

/// Solves the `d × (d+1)` augmented system in place by Gaussian elimination with partial
/// pivoting; `None` when it is singular.
pub(crate) fn gauss(a: &mut [Vec<f64>]) -> Option<Vec<f64>> {
    let d = a.len();
    for col in 0..d {
        let piv = (col..d).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        a.swap(col, piv);
        let p = a[col][col];
        if p.abs() < 1e-14 {
            return None;
        }
        for r in 0..d {
            if r != col {
                let k = a[r][col] / p;
                if k != 0.0 {
                    for c in col..=d {
                        a[r][c] -= k * a[col][c];
                    }
                }
            }
        }
    }
    let x: Vec<f64> = (0..d).map(|r| a[r][d] / a[r][r]).collect();
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Scratch for [`LeastSquares::solve`], kept across the iterations of one solve.
#[derive(Default)]
struct LeastSquares {
    a: Vec<Vec<f64>>,
    gamma: Vec<f64>,
}

impl LeastSquares {
    /// `argmin_γ |f - Σ γ_c df_c|₂` by regularised normal equations (m <= memory, tiny).
    fn solve(&mut self, dfs: &[Vec<f64>], f: &[f64]) -> &[f64] {
        let m = dfs.len();
        let a = &mut self.a;
        a.resize_with(m, Vec::new);
        for row in a.iter_mut() {
            row.clear();
            row.resize(m + 1, 0.0);
        }
        for r in 0..m {
            for c in 0..m {
                a[r][c] = dfs[r].iter().zip(&dfs[c]).map(|(x, y)| x * y).sum();
            }
            a[r][m] = dfs[r].iter().zip(f).map(|(x, y)| x * y).sum();
        }
        let scale = (0..m).map(|r| a[r][r]).fold(0.0, f64::max).max(1e-300);
        for (r, row) in a.iter_mut().enumerate() {
            row[r] += 1e-10 * scale;
        }
        self.gamma.clear();
        // Gaussian elimination with partial pivoting
        for col in 0..m {
            let piv = (col..m)
                .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
                .unwrap_or(col);
            a.swap(col, piv);
            let p = a[col][col];
            if p.abs() < 1e-300 {
                self.gamma.resize(m, 0.0);
                return &self.gamma;
            }
            for r in 0..m {
                if r != col {
                    let k = a[r][col] / p;
                    for c in col..=m {
                        a[r][c] -= k * a[col][c];
                    }
                }
            }
        }
        self.gamma.extend((0..m).map(|r| a[r][m] / a[r][r]));
        &self.gamma
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `G(x) = 4 − 3x` (fixed point 1, slope −3): plain iteration diverges, damped iteration with
    /// α = 1/2 cycles (its factor is 1 − 4α = −1), α = 1/5 contracts; Newton lands in one step.
    #[test]
    fn damped_iteration_needs_a_small_step_where_the_map_expands_and_newton_does_not() {
        let g = |x: &[f64], out: &mut [f64]| out[0] = 4.0 - 3.0 * x[0];
        let mut x = vec![0.0];
        assert!(!damped(&mut x, 0.5, 1e-12, 1_000, g).converged);
        let mut x = vec![0.0];
        let out = damped(&mut x, 0.2, 1e-12, 1_000, g);
        assert!(out.converged && (x[0] - 1.0).abs() < 1e-11, "{out:?} {x:?}");
        let mut x = vec![0.0];
        let out = newton(&mut x, 1e-12, 100, g);
        assert!(
            out.converged && (x[0] - 1.0).abs() < 1e-11 && out.evals <= 6,
            "{out:?} {x:?}"
        );
    }

    /// Newton solves a steep nonlinear system from nearby: a logistic response with slope 25 at
    /// the fixed point (0.5, 0.5), like an acceptance probability once a type is learnt to a
    /// narrow interval.
    #[test]
    fn newton_solves_a_steep_nonlinear_system() {
        let g = |x: &[f64], out: &mut [f64]| {
            out[0] = 1.0 / (1.0 + (-100.0 * (x[1] - 0.5)).exp());
            out[1] = 0.5 + 0.1 * (x[0] - 0.5);
        };
        let mut x = vec![0.4, 0.45];
        let out = newton(&mut x, 1e-12, 2_000, g);
        let mut gx = vec![0.0; 2];
        g(&x, &mut gx);
        assert!(out.converged, "{out:?}");
        assert!(x.iter().zip(&gx).all(|(a, b)| (a - b).abs() < 1e-11));
    }

    /// `G(x) = x + 1` has no fixed point: the residual stays 1, so Newton stops after
    /// [`NEWTON_STALL`] iterations without halving it, long before its evaluation budget.
    #[test]
    fn newton_gives_up_when_the_residual_stops_halving() {
        let g = |x: &[f64], out: &mut [f64]| {
            for (o, a) in out.iter_mut().zip(x) {
                *o = a + 1.0;
            }
        };
        let mut x = vec![0.0; 3];
        let out = newton(&mut x, 1e-10, 1_000_000, g);
        assert!(!out.converged);
        // per iteration: a Jacobian (d evaluations), a line search (up to 10) or the damped step
        assert!(out.evals <= (NEWTON_STALL + 2) * (3 + 11), "{out:?}");
        assert!(out.evals > NEWTON_STALL * 3, "{out:?}");
    }

    #[test]
    fn solves_a_slow_linear_contraction_faster_than_plain_iteration() {
        // x = 0.99 A x + b, rate 0.99: plain iteration needs thousands of steps
        let b = [1.0, -2.0, 0.5];
        let g = |x: &[f64], out: &mut [f64]| {
            out[0] = 0.99 * (0.5 * x[0] + 0.5 * x[1]) + b[0];
            out[1] = 0.99 * (0.2 * x[0] + 0.8 * x[2]) + b[1];
            out[2] = 0.99 * x[2] + b[2];
        };
        let mut x = vec![0.0; 3];
        let out = solve(
            &mut x,
            Settings {
                memory: 5,
                tol: 1e-10,
                max_evals: 500,
            },
            g,
        );
        assert!(out.converged, "{out:?}");
        assert!(out.evals < 100, "{out:?}");
        let mut gx = vec![0.0; 3];
        g(&x, &mut gx);
        assert!(x.iter().zip(&gx).all(|(a, b)| (a - b).abs() < 1e-9));
    }
}
