//! Exact τ = 0 stationary equilibria of quota games over a divisible good (`docs/model.md` §3,
//! "Exact best responses"): Baron and Ferejohn's (1989) game with heterogeneous discount factors
//! and recognition probabilities, whose stationary equilibrium payoffs are unique (Eraslan 2002),
//! solved directly instead of as the limit of logit equilibria.
//!
//! With i.i.d. recognition (probability `p_s` of proposer state s), one package, a good split
//! among every actor with linear values `w_i x_i`, no private noise, no ratifier and no outside
//! option, a responder's vote costs the share `y_j = max(0, (R_j − u_j)/w_j)`, with `u_j` its
//! value of the package without a share and `R_j = g_j + δ_j (λ b_j + (1 − λ) v_j)` its
//! reservation value, and the proposer buys the cheapest `m` votes beyond the required ones. The
//! equilibrium is a fixed point in the ex-ante values `v` and the probabilities `π_sj` that
//! proposer state s buys responder j's vote:
//!
//! ```text
//! v_i = Σ_s p_s W_s[i],   W_s[k_s] = u_k + w_k (1 − Σ_j π_sj y_j),   W_s[j] = u_j + w_j π_sj y_j
//! ```
//!
//! where `π_sj` = 1 for the votes cheaper than the m-th, 0 for the dearer, and on the tie class
//! of the m-th price any mix with `Σ_j π_sj = seats` (Eraslan's mixing). Which votes tie is read
//! off the logit path's values at its last temperature (prices within [`TIE_CLASS`]), or, when
//! that gives no equilibrium, every vote is put in one tie class; the system
//! (the value equations, equal prices across each tie class, the seats filled) is then solved by
//! Levenberg–Marquardt steps to [`EXACT_TOL`], and the solution is accepted only if it is an
//! equilibrium: mixing probabilities in [0, 1], no vote outside a tie class cheaper than it, every
//! proposer better off proposing than passing. With equal recognition this gives Kawamori's
//! (2005) closed form `v_i ∝ 1/δ_i` (when every actor is bought with some probability); with
//! equal discounts, `1/n` each.

use super::{Selected, Stage};

/// Prices within this of the m-th cheapest (share units) form its tie class: well above the
/// logit path's error at its last temperature (about 1e-5 at τ = 1e-4), well below any real gap
/// between prices.
pub const TIE_CLASS: f64 = 1e-3;

/// Max-norm residual of the exact system (utility units).
pub const EXACT_TOL: f64 = 1e-14;

/// The structure of one proposer state: the votes it buys for sure and its tie class.
struct Buy {
    proposer: usize,
    prob: f64,
    sure: Vec<usize>,
    ties: Vec<usize>,
    seats: usize,
}

impl Stage<'_> {
    /// The exact τ = 0 equilibrium in place of `sel` (the logit path's result) where the game is
    /// one of the class above and the exact system solves; `sel` unchanged otherwise.
    pub(super) fn exact_quota(&self, sel: Selected) -> Selected {
        // the tie classes read off the path's values; else every vote in one tie class (the
        // symmetric games, and Kawamori's equal recognition, where the path can end asymmetric)
        match self
            .exact_values(&sel.w, false)
            .or_else(|| self.exact_values(&sel.w, true))
        {
            Some((w, residual)) => Selected {
                w,
                residual,
                converged: true,
                tau: self.tau,
                ..sel
            },
            None => sel,
        }
    }

    /// The exact values `W` and their residual, or `None` outside the class or when no
    /// equilibrium is found near `guess`.
    fn exact_values(&self, guess: &[f64], all_tied: bool) -> Option<(Vec<f64>, f64)> {
        let (n, ns) = (self.n(), self.states());
        let ps = self.packages;
        let q = self.quota?;
        let d = ps.split.as_ref()?;
        let all = if n == 32 { u32::MAX } else { (1u32 << n) - 1 };
        let plain = self.tau <= 0.0
            && ps.len() == 1
            && ps.blocked[0] == 0
            && (0..ps.r).all(|j| ps.ratify[j] >= 1.0)
            && self.mood_floor.iter().all(|&m| m <= 0.0)
            && d.members == all
            && (0..n).all(|i| d.curvature[i] == 1.0 && d.weight[i] > 0.0)
            && (0..n).all(|i| self.shock_hi[i] - self.shock_lo[i] <= 1e-12 && self.shock_lo[i].is_finite())
            && self.outside.iter().all(Option::is_none)
            && (0..ns).all(|s| (0..ns).all(|t| self.transition[s * ns + t] == self.transition[t]));
        if !plain {
            return None;
        }
        let u: Vec<f64> = (0..n).map(|i| ps.u(0, i)).collect();
        let lam = self.breakdown;
        // R_j + lo_j − u_j = a_j + c_j v_j
        let a: Vec<f64> = (0..n)
            .map(|j| self.flow[j] + self.delta[j] * lam * self.breakdown_value[j] + self.shock_lo[j] - u[j])
            .collect();
        let c: Vec<f64> = (0..n).map(|j| self.delta[j] * (1.0 - lam)).collect();
        let w = &d.weight;
        let price = |v: &[f64], j: usize| ((a[j] + c[j] * v[j]) / w[j]).max(0.0);
        // the structure from the guess
        let v0: Vec<f64> = (0..n)
            .map(|i| (0..ns).map(|s| self.transition[s] * guess[s * n + i]).sum())
            .collect();
        let mut buys = Vec::with_capacity(ns);
        for s in 0..ns {
            let k = self.proposer[s];
            let req = ps.required[0] & !(1 << k);
            let have = (req | (1 << k)).count_ones() as usize;
            let m = q.saturating_sub(have);
            let mut pool: Vec<usize> = (0..n).filter(|&j| j != k && req & (1 << j) == 0).collect();
            if pool.len() < m {
                return None;
            }
            pool.sort_by(|&x, &y| price(&v0, x).total_cmp(&price(&v0, y)).then(x.cmp(&y)));
            let mut sure: Vec<usize> = (0..n).filter(|&j| req & (1 << j) != 0).collect();
            let mut ties = vec![];
            if m > 0 && all_tied {
                ties = pool.clone();
            } else if m > 0 {
                let edge = price(&v0, pool[m - 1]);
                for &j in &pool {
                    let pj = price(&v0, j);
                    if pj < edge - TIE_CLASS {
                        sure.push(j);
                    } else if pj <= edge + TIE_CLASS {
                        ties.push(j);
                    }
                }
            }
            // seats left for the tie class once the cheaper votes are bought
            let seats = m - (sure.len() - req.count_ones() as usize);
            if ties.len() == seats {
                sure.append(&mut ties);
            }
            buys.push(Buy {
                proposer: k,
                prob: self.transition[s],
                sure,
                ties,
                seats: if m > 0 { seats } else { 0 },
            });
        }
        // unknowns: v, then π over each tie class (started at seats/|T|)
        let mut x = v0.clone();
        for b in &buys {
            x.extend(b.ties.iter().map(|_| b.seats as f64 / b.ties.len() as f64));
        }
        let values = |x: &[f64]| -> Vec<f64> {
            let v = &x[..n];
            let mut out = vec![0.0; ns * n];
            let mut at = n;
            for (s, b) in buys.iter().enumerate() {
                let row = &mut out[s * n..(s + 1) * n];
                row.copy_from_slice(&u);
                let mut given = 0.0;
                for &j in &b.sure {
                    let y = price(v, j);
                    row[j] += w[j] * y;
                    given += y;
                }
                for &j in &b.ties {
                    let y = x[at] * price(v, j);
                    at += 1;
                    row[j] += w[j] * y;
                    given += y;
                }
                row[b.proposer] += w[b.proposer] * (1.0 - given);
            }
            out
        };
        let residual = |x: &[f64]| -> Vec<f64> {
            let wv = values(x);
            let mut f: Vec<f64> = (0..n)
                .map(|i| x[i] - (0..ns).map(|s| buys[s].prob * wv[s * n + i]).sum::<f64>())
                .collect();
            let mut at = n;
            for b in &buys {
                if b.ties.is_empty() {
                    continue;
                }
                f.push(x[at..at + b.ties.len()].iter().sum::<f64>() - b.seats as f64);
                for t in b.ties.windows(2) {
                    f.push(price(&x[..n], t[0]) - price(&x[..n], t[1]));
                }
                at += b.ties.len();
            }
            f
        };
        let res = levenberg_marquardt(&mut x, residual, EXACT_TOL)?;
        // an equilibrium? mixing probabilities, prices, proposing over passing
        let v = &x[..n];
        let mut at = n;
        for b in &buys {
            let pi = &x[at..at + b.ties.len()];
            at += b.ties.len();
            if pi.iter().any(|&p| !(-1e-9..=1.0 + 1e-9).contains(&p)) {
                return None;
            }
            let edge = b.ties.first().map(|&j| price(v, j));
            if let Some(e) = edge {
                let k = b.proposer;
                for j in (0..n).filter(|&j| j != k && !b.sure.contains(&j) && !b.ties.contains(&j)) {
                    if price(v, j) < e - 1e-12 {
                        return None;
                    }
                }
                if b.sure
                    .iter()
                    .any(|&j| price(v, j) > e + 1e-12 && ps.required[0] & (1 << j) == 0)
                {
                    return None;
                }
            }
        }
        let wv = values(&x);
        for (s, b) in buys.iter().enumerate() {
            let k = b.proposer;
            if wv[s * n + k] < u[k] + a[k] + c[k] * v[k] - self.shock_lo[k] - 1e-12 {
                return None;
            }
        }
        Some((wv, res))
    }
}

/// Levenberg–Marquardt on `f(x) = 0` with a forward-difference Jacobian (a square or
/// underdetermined consistent system; the damping takes the shortest steps where the Jacobian is
/// singular, as when the mixing probabilities are not unique). Returns the max-norm residual when
/// it falls below `tol`.
fn levenberg_marquardt(x: &mut Vec<f64>, f: impl Fn(&[f64]) -> Vec<f64>, tol: f64) -> Option<f64> {
    let nx = x.len();
    let mut fx = f(x);
    let norm = |v: &[f64]| v.iter().map(|a| a * a).sum::<f64>();
    let mut mu = 1e-6;
    for _ in 0..200 {
        let res = fx.iter().fold(0.0f64, |m, a| m.max(a.abs()));
        if res <= tol {
            return Some(res);
        }
        let nf = fx.len();
        let mut jac = vec![0.0; nf * nx];
        let mut xp = x.clone();
        for j in 0..nx {
            let h = 1e-7 * (1.0 + x[j].abs());
            xp[j] = x[j] + h;
            let fp = f(&xp);
            xp[j] = x[j];
            for r in 0..nf {
                jac[r * nx + j] = (fp[r] - fx[r]) / h;
            }
        }
        // normal equations JᵀJ and Jᵀf
        let mut jtj = vec![0.0; nx * nx];
        let mut jtf = vec![0.0; nx];
        for r in 0..nf {
            let row = &jac[r * nx..(r + 1) * nx];
            for i in 0..nx {
                if row[i] == 0.0 {
                    continue;
                }
                jtf[i] += row[i] * fx[r];
                for j in 0..nx {
                    jtj[i * nx + j] += row[i] * row[j];
                }
            }
        }
        let scale = (0..nx).map(|i| jtj[i * nx + i]).fold(1e-300f64, f64::max);
        let mut improved = false;
        for _ in 0..30 {
            let mut a = jtj.clone();
            for i in 0..nx {
                a[i * nx + i] += mu * scale;
            }
            // a damping too small for a singular JᵀJ: damp more
            let Some(step) = cholesky_solve(&mut a, &jtf, nx) else {
                mu *= 10.0;
                continue;
            };
            let trial: Vec<f64> = x.iter().zip(&step).map(|(xi, s)| xi - s).collect();
            let ft = f(&trial);
            if norm(&ft) < norm(&fx) {
                *x = trial;
                fx = ft;
                mu = (mu / 10.0).max(1e-12);
                improved = true;
                break;
            }
            mu *= 10.0;
        }
        if !improved {
            let res = fx.iter().fold(0.0f64, |m, a| m.max(a.abs()));
            return (res <= tol).then_some(res);
        }
    }
    None
}

/// Solves `A s = b` for a symmetric positive definite `A` (`n × n`, overwritten).
fn cholesky_solve(a: &mut [f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    for j in 0..n {
        let mut d = a[j * n + j];
        for k in 0..j {
            d -= a[j * n + k] * a[j * n + k];
        }
        if d <= 0.0 || !d.is_finite() {
            return None;
        }
        let d = d.sqrt();
        a[j * n + j] = d;
        for i in j + 1..n {
            let mut s = a[i * n + j];
            for k in 0..j {
                s -= a[i * n + k] * a[j * n + k];
            }
            a[i * n + j] = s / d;
        }
    }
    let mut y = b.to_vec();
    for i in 0..n {
        for k in 0..i {
            y[i] -= a[i * n + k] * y[k];
        }
        y[i] /= a[i * n + i];
    }
    for i in (0..n).rev() {
        for k in i + 1..n {
            y[i] -= a[k * n + i] * y[k];
        }
        y[i] /= a[i * n + i];
    }
    Some(y)
}
