//! The band model of agreement durability (`docs/model.md` §5).
//!
//! After signing, the balance of power (A's probability of winning a war) follows
//! `p_t = p0 + μ t + σ W_t`, `t` in years, `W` a standard Brownian motion; both sides prefer the
//! deal while `p_t` stays in the band `(L, U)`, and war resumes at the exit time
//! `τ = inf{t : p_t ∉ (L, U)}`. With `w = U − L`, `a = p0 − L` and `θ = 2μ/σ²`, the exit law
//! under continuous monitoring is (Karlin and Taylor 1981, *A Second Course in Stochastic
//! Processes*, ch. 15):
//!
//! - `P(exit at U) = (1 − e^{−θa})/(1 − e^{−θw})` (`a/w` if `μ = 0`);
//! - `E[τ] = (w P(exit at U) − a)/μ` (`a (w − a)/σ²` if `μ = 0`);
//! - `S(t) = P(τ > t)` by the eigenfunction series of Brownian motion with drift killed at both
//!   barriers for large `t`, and by the method of images for small `t`.
//!
//! [`sample_exit`] simulates the same process on a time grid (discrete monitoring) with the
//! Broadie, Glasserman and Kou (1997) continuity correction.

use super::{InputError, check};
use rand::Rng;
use rand_distr::{Distribution, StandardNormal};
use serde::Serialize;
use std::f64::consts::{FRAC_1_SQRT_2, PI};

/// Broadie, Glasserman and Kou's (1997, Math. Finance 7(4)) constant `β = −ζ(1/2)/√(2π)`:
/// monitoring a barrier every `Δt` acts like continuous monitoring of a barrier `β σ √Δt` farther
/// away, so a discretely monitored simulation mimics continuous monitoring when its barriers are
/// moved inward by that much.
pub const BGK_BETA: f64 = 0.582_597_157_939_010_7;

/// Below this `σ² t / w²` the survival function uses the image series, above it the eigenfunction
/// series; both need only a handful of terms there.
const SERIES_SWITCH: f64 = 0.1;

/// Below this `|θ w|` the drift is treated by series expansion in `θ`, avoiding the cancellation
/// of the closed forms as `μ → 0`.
const SMALL_DRIFT: f64 = 0.1;

/// The edge of the band through which the balance of power leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Edge {
    /// `p` fell to `L`: B, grown stronger, now prefers war to the deal.
    Lower,
    /// `p` rose to `U`: A now prefers war to the deal.
    Upper,
}

/// A validated band model: start `p0` strictly inside `(lower, upper)`, drift `μ` per year,
/// volatility `σ > 0` per √year (all in units of win probability).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Band {
    p0: f64,
    lower: f64,
    upper: f64,
    drift_per_year: f64,
    volatility_per_sqrt_year: f64,
}

/// The exit law of a [`Band`] under continuous monitoring.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExitLaw {
    /// `P(exit at U)`.
    pub p_upper: f64,
    /// `P(exit at L) = 1 − P(exit at U)`.
    pub p_lower: f64,
    /// `E[τ]`, years.
    pub expected_years: f64,
}

impl Band {
    /// Validates a band model.
    ///
    /// # Errors
    /// [`InputError`] if a number is not finite, `lower < p0 < upper` fails, or `σ ≤ 0`.
    pub fn new(
        p0: f64,
        lower: f64,
        upper: f64,
        drift_per_year: f64,
        volatility_per_sqrt_year: f64,
    ) -> Result<Self, InputError> {
        check("band edge L", lower, true, "a finite number")?;
        check("band edge U", upper, upper > lower, "U > L")?;
        check("start p0", p0, p0 > lower && p0 < upper, "L < p0 < U")?;
        check("drift μ", drift_per_year, true, "a finite number (per year)")?;
        let sigma = volatility_per_sqrt_year;
        check("volatility σ", sigma, sigma > 0.0, "σ > 0 (per √year)")?;
        Ok(Self {
            p0,
            lower,
            upper,
            drift_per_year,
            volatility_per_sqrt_year,
        })
    }

    fn width(&self) -> f64 {
        self.upper - self.lower
    }

    /// `θ = 2μ/σ²`, per unit of `p`.
    fn theta(&self) -> f64 {
        2.0 * self.drift_per_year / self.volatility_per_sqrt_year.powi(2)
    }

    /// `P(exit at U)`, in [0, 1], stable for every drift (also `μ → 0` and large `|μ|`).
    pub fn p_upper(&self) -> f64 {
        hit_upper(self.p0 - self.lower, self.width(), self.theta())
    }

    /// `P(exit at L)`, computed by reflection rather than as `1 − P(exit at U)` so that it keeps
    /// its relative precision when small.
    pub fn p_lower(&self) -> f64 {
        hit_upper(self.upper - self.p0, self.width(), -self.theta())
    }

    /// `E[τ]`, years: `a (w − a)/σ²` at `μ = 0`, `(w P(exit at U) − a)/μ` otherwise, by series
    /// expansion in `θ` for `|θ w| < 0.1`.
    pub fn expected_years(&self) -> f64 {
        let (a, w, theta) = (self.p0 - self.lower, self.width(), self.theta());
        let var = self.volatility_per_sqrt_year.powi(2);
        if (theta * w).abs() < SMALL_DRIFT {
            // E[τ] = 2a (g(θw) − g(θa)) / (θ σ² g(θa)) with g(y) = y/(1 − e^{−y})
            let diff = (w - a) / 2.0 + theta * (w * w - a * a) / 12.0 - theta.powi(3) * (w.powi(4) - a.powi(4)) / 720.0
                + theta.powi(5) * (w.powi(6) - a.powi(6)) / 30240.0;
            2.0 * a * diff / (var * g(theta * a))
        } else {
            (w * self.p_upper() - a) / self.drift_per_year
        }
    }

    /// The exit law: both exit probabilities and the expected time to war.
    pub fn exit_law(&self) -> ExitLaw {
        ExitLaw {
            p_upper: self.p_upper(),
            p_lower: self.p_lower(),
            expected_years: self.expected_years(),
        }
    }

    /// Survival `S(t) = P(τ > t)` at `years ≥ 0` (1 for `years ≤ 0`), accurate to about `1e-13`:
    /// the eigenfunction series when `σ² t/w² ≥ 0.1`, the method of images below.
    pub fn survival(&self, years: f64) -> f64 {
        if years <= 0.0 {
            return 1.0;
        }
        let rho = self.volatility_per_sqrt_year.powi(2) * years / self.width().powi(2);
        if rho >= SERIES_SWITCH {
            self.survival_eigen(years)
        } else {
            self.survival_images(years)
        }
    }

    /// Eigenfunction expansion: with `k = μ/σ²`, `m_n = nπ/w`,
    /// `S(t) = (2/w) Σ_n sin(m_n a) m_n/(k² + m_n²) [e^{−ka} − (−1)^n e^{k(w−a)}] e^{−(k² + m_n²) σ² t/2}`.
    /// Summed until the terms' bound falls below `1e-17`.
    fn survival_eigen(&self, t: f64) -> f64 {
        let (a, w) = (self.p0 - self.lower, self.width());
        let var = self.volatility_per_sqrt_year.powi(2);
        let k = self.drift_per_year / var;
        let mut sum = 0.0;
        for n in 1..=100_000u32 {
            let m = f64::from(n) * PI / w;
            let decay = -(k * k + m * m) * var * t / 2.0;
            let sign = if n % 2 == 0 { 1.0 } else { -1.0 };
            let (e1, e2) = ((decay - k * a).exp(), (decay + k * (w - a)).exp());
            let coef = m / (k * k + m * m);
            sum += (m * a).sin() * coef * (e1 - sign * e2);
            if coef * (e1 + e2) < 1e-17 && n >= 2 {
                break;
            }
        }
        2.0 / w * sum
    }

    /// Method of images with Girsanov's factor: with `s = σ√t`,
    /// `S(t) = Σ_j e^{2kjw} M(−a − 2jw, w − a − 2jw) − e^{2k(jw − a)} M(a − 2jw, w + a − 2jw)`,
    /// `M(x, y) = Φ((y − μt)/s) − Φ((x − μt)/s)`, summed in `j = 0, ±1, ±2, …` until negligible.
    fn survival_images(&self, t: f64) -> f64 {
        let (a, w, mu) = (self.p0 - self.lower, self.width(), self.drift_per_year);
        let s = self.volatility_per_sqrt_year * t.sqrt();
        let k = mu / self.volatility_per_sqrt_year.powi(2);
        let term = |j: f64| {
            let shift = 2.0 * j * w + mu * t;
            let direct = (2.0 * k * j * w + ln_gauss_mass((-a - shift) / s, (w - a - shift) / s)).exp();
            let image = (2.0 * k * (j * w - a) + ln_gauss_mass((a - shift) / s, (w + a - shift) / s)).exp();
            direct - image
        };
        let mut sum = term(0.0);
        for j in 1..=1000 {
            let (up, down) = (term(f64::from(j)), term(-f64::from(j)));
            sum += up + down;
            if up.abs().max(down.abs()) < 1e-17 {
                break;
            }
        }
        sum
    }
}

/// `P(exit at the upper edge)` from distance `a` above the lower edge, band width `w`, `θ = 2μ/σ²`.
fn hit_upper(a: f64, w: f64, theta: f64) -> f64 {
    if (theta * w).abs() < SMALL_DRIFT {
        a / w * g(theta * w) / g(theta * a)
    } else if theta > 0.0 {
        (-theta * a).exp_m1() / (-theta * w).exp_m1()
    } else {
        (theta * (w - a)).exp() * (theta * a).exp_m1() / (theta * w).exp_m1()
    }
}

/// `g(y) = y/(1 − e^{−y})` for `|y| < 0.1` by its Bernoulli series (error below `1e-16`).
fn g(y: f64) -> f64 {
    let y2 = y * y;
    1.0 + y / 2.0 + y2 / 12.0 - y2 * y2 / 720.0 + y2 * y2 * y2 / 30240.0
}

/// `ln(Φ(hi) − Φ(lo))` for `lo < hi`, keeping relative precision in both tails.
fn ln_gauss_mass(lo: f64, hi: f64) -> f64 {
    // in the upper tail, use the mirror image so that Φ is small rather than close to 1
    let (x, y) = if lo > 0.0 { (-hi, -lo) } else { (lo, hi) };
    let (ln_x, ln_y) = (ln_phi(x), ln_phi(y));
    ln_y + (-(ln_x - ln_y).exp_m1()).ln()
}

/// `ln Φ(z)`, the log of the standard normal distribution function, for every `z`.
fn ln_phi(z: f64) -> f64 {
    if z < 0.0 {
        let x = -z * FRAC_1_SQRT_2;
        (0.5f64).ln() - x * x + erfcx(x).ln()
    } else {
        let x = z * FRAC_1_SQRT_2;
        (-0.5 * (-x * x).exp() * erfcx(x)).ln_1p()
    }
}

/// The scaled complementary error function `e^{x²} erfc(x)` for `x ≥ 0`, relative error below
/// `1e-13`: a positive-term series for `x < 2`, the Laplace continued fraction above.
fn erfcx(x: f64) -> f64 {
    let two_over_sqrt_pi = 2.0 / PI.sqrt();
    if x < 2.0 {
        // erf(x) = (2/√π) e^{−x²} Σ_n (2x²)^n x/(2n+1)!!
        let (mut term, mut sum) = (two_over_sqrt_pi * x, 0.0);
        for n in 1..200 {
            sum += term;
            term *= 2.0 * x * x / f64::from(2 * n + 1);
            if term <= 1e-17 * sum {
                break;
            }
        }
        (x * x).exp() - sum
    } else {
        let mut t = x;
        for k in (1..=60).rev() {
            t = x + f64::from(k) / 2.0 / t;
        }
        two_over_sqrt_pi / 2.0 / t
    }
}

/// Samples the time to war, in years, and the edge crossed, by simulating the balance of power
/// on a grid of step `dt_years` (monitored once per step, as a simulation sees it) with the
/// Broadie–Glasserman–Kou continuity correction: the edges are moved inward by
/// [`BGK_BETA`]` σ √dt` so that exits match continuous monitoring to first order. The time
/// reported is that of the first grid point at or beyond a corrected edge.
///
/// Returns `Ok(None)` if the band still holds after `max_years` (censored).
///
/// # Errors
/// [`InputError`] if `dt_years` is not positive and finite or `max_years` is negative or NaN.
pub fn sample_exit<R: Rng + ?Sized>(
    rng: &mut R,
    band: &Band,
    dt_years: f64,
    max_years: f64,
) -> Result<Option<(f64, Edge)>, InputError> {
    check("time step dt", dt_years, dt_years > 0.0, "0 < dt < ∞ (years)")?;
    check("horizon max_years", max_years, max_years >= 0.0, "≥ 0 (years)")?;
    Ok(simulate_exit(rng, band, dt_years, max_years, BGK_BETA))
}

/// The grid simulation behind [`sample_exit`], edges moved inward by `shift · σ √dt`.
fn simulate_exit<R: Rng + ?Sized>(
    rng: &mut R,
    band: &Band,
    dt: f64,
    max_years: f64,
    shift: f64,
) -> Option<(f64, Edge)> {
    let sd = band.volatility_per_sqrt_year * dt.sqrt();
    let (lo, hi) = (band.lower + shift * sd, band.upper - shift * sd);
    let steps = (max_years / dt + 1e-9).floor() as u64;
    let mut p = band.p0;
    for n in 1..=steps {
        let z: f64 = StandardNormal.sample(rng);
        p += band.drift_per_year * dt + sd * z;
        if p >= hi {
            return Some((n as f64 * dt, Edge::Upper));
        }
        if p <= lo {
            return Some((n as f64 * dt, Edge::Lower));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    /// (id, band, P_upper, P_lower, E_tau, S_1y, S_5y) from oracles.json, DUR-1 and DUR-2
    /// ("BM exit problem (Karlin-Taylor 1981)"), abs_tol 1e-6.
    type Oracle = (&'static str, Band, [f64; 5]);

    fn oracles() -> [Oracle; 2] {
        [
            (
                "DUR-1",
                Band::new(0.5, 0.4, 0.6, 0.0, 0.05).expect("valid band"),
                [0.5, 0.5, 3.9999999999999973, 0.9089994761536336, 0.27237848946989257],
            ),
            (
                "DUR-2",
                Band::new(0.5, 0.3, 0.6, 0.0, 0.05).expect("valid band"),
                [
                    0.6666666666666667,
                    0.33333333333333326,
                    7.999999999999997,
                    0.9544363936199766,
                    0.5556227235411908,
                ],
            ),
        ]
    }

    #[test]
    fn dur_oracles_closed_form() {
        for (id, band, want) in oracles() {
            let got = [
                band.p_upper(),
                band.p_lower(),
                band.expected_years(),
                band.survival(1.0),
                band.survival(5.0),
            ];
            for (k, name) in ["P_upper", "P_lower", "E_tau", "S_1y", "S_5y"].iter().enumerate() {
                assert!(
                    (got[k] - want[k]).abs() < 1e-6,
                    "{id} {name}: {} vs {}",
                    got[k],
                    want[k]
                );
            }
        }
    }

    #[test]
    fn eigen_and_image_series_agree_across_regimes() {
        for mu in [0.0, 0.03, -0.2, 2.0] {
            let band = Band::new(0.45, 0.3, 0.6, mu, 0.05).expect("valid band");
            for t in [0.2, 1.0, 3.6, 5.0, 10.0, 20.0] {
                let (e, i) = (band.survival_eigen(t), band.survival_images(t));
                assert!((e - i).abs() < 1e-12, "mu={mu} t={t}: eigen {e} images {i}");
            }
        }
        // tiny t: survival is 1 to within the Gaussian tail, and the images series says so
        let band = Band::new(0.5, 0.3, 0.6, 0.0, 0.05).expect("valid band");
        assert!((band.survival(1e-6) - 1.0).abs() < 1e-15 && band.survival(0.0) == 1.0);
    }

    #[test]
    fn expected_time_is_the_integral_of_survival_and_continuous_in_the_drift() {
        for mu in [0.0, 0.01, -0.05, 0.3] {
            let band = Band::new(0.5, 0.3, 0.6, mu, 0.05).expect("valid band");
            // Simpson's rule on [0, 200] years
            let (n, h) = (20_000, 0.01);
            let integral: f64 = (0..=n)
                .map(|i| {
                    let weight = if i == 0 || i == n {
                        1.0
                    } else if i % 2 == 1 {
                        4.0
                    } else {
                        2.0
                    };
                    weight * band.survival(f64::from(i) * h)
                })
                .sum::<f64>()
                * h
                / 3.0;
            assert!(
                (integral - band.expected_years()).abs() < 1e-6,
                "mu={mu}: {integral} vs {}",
                band.expected_years()
            );
            assert!((band.p_upper() + band.p_lower() - 1.0).abs() < 1e-14);
        }
        // across the switch to the series (|θ w| = 0.1 at μ = 0.1 σ²/(2w)) and towards μ = 0
        let at = |mu: f64| Band::new(0.5, 0.3, 0.6, mu, 0.05).expect("valid band");
        let edge = 0.1 * 0.05f64.powi(2) / (2.0 * 0.3);
        for mu in [edge, -edge] {
            let (below, above) = (at(mu * (1.0 - 1e-13)), at(mu * (1.0 + 1e-13)));
            assert!((below.expected_years() - above.expected_years()).abs() < 1e-11);
            assert!((below.p_upper() - above.p_upper()).abs() < 1e-13);
            assert!((below.p_lower() - above.p_lower()).abs() < 1e-13);
        }
        assert!((at(1e-300).expected_years() - 8.0).abs() < 1e-12);
        assert!((at(1e-300).p_upper() - 2.0 / 3.0).abs() < 1e-15);
    }

    /// Monte Carlo: 20,000 exits monitored monthly reproduce the continuous-monitoring exit law
    /// within 4 standard errors + 0.01 (`docs/model.md` §7).
    #[test]
    fn corrected_sampler_reproduces_the_dur_oracles() {
        let mut rng = ChaCha8Rng::seed_from_u64(20_260_101);
        for (id, band, want) in oracles() {
            let n = 20_000;
            let exits: Vec<(f64, Edge)> = (0..n)
                .map(|_| {
                    sample_exit(&mut rng, &band, 1.0 / 12.0, 1000.0)
                        .expect("valid step")
                        .expect("exits in time")
                })
                .collect();
            let nf = f64::from(n);
            let share = |pred: &dyn Fn(&(f64, Edge)) -> bool| exits.iter().filter(|e| pred(e)).count() as f64 / nf;
            let binomial_ok = |got: f64, p: f64| (got - p).abs() < 4.0 * (p * (1.0 - p) / nf).sqrt() + 0.01;
            let p_up = share(&|e| e.1 == Edge::Upper);
            assert!(binomial_ok(p_up, want[0]), "{id} P_upper {p_up}");
            let (s1, s5) = (share(&|e| e.0 > 1.0), share(&|e| e.0 > 5.0));
            assert!(binomial_ok(s1, want[3]), "{id} S_1y {s1}");
            assert!(binomial_ok(s5, want[4]), "{id} S_5y {s5}");
            let mean = exits.iter().map(|e| e.0).sum::<f64>() / nf;
            let sd = (exits.iter().map(|e| (e.0 - mean).powi(2)).sum::<f64>() / (nf - 1.0)).sqrt();
            assert!(
                (mean - want[2]).abs() < 4.0 * sd / nf.sqrt() + 0.01,
                "{id} E_tau {mean}"
            );
        }
    }

    #[test]
    fn uncorrected_monitoring_overstates_survival() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for (id, band, want) in oracles() {
            let n = 20_000;
            let survivors = (0..n)
                .filter(|_| simulate_exit(&mut rng, &band, 1.0 / 12.0, 5.0, 0.0).is_none())
                .count();
            let s5 = survivors as f64 / f64::from(n);
            let se = (want[4] * (1.0 - want[4]) / f64::from(n)).sqrt();
            assert!(s5 - want[4] > 4.0 * se, "{id}: uncorrected S_5y {s5} vs {}", want[4]);
        }
    }

    #[test]
    fn bad_bands_and_steps_are_rejected() {
        assert!(Band::new(0.7, 0.4, 0.6, 0.0, 0.05).is_err());
        assert!(Band::new(0.5, 0.6, 0.4, 0.0, 0.05).is_err());
        assert!(Band::new(0.5, 0.4, 0.6, 0.0, 0.0).is_err());
        assert!(Band::new(0.5, 0.4, 0.6, f64::INFINITY, 0.05).is_err());
        let band = Band::new(0.5, 0.4, 0.6, 0.0, 0.05).expect("valid band");
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(sample_exit(&mut rng, &band, 0.0, 10.0).is_err());
        assert!(sample_exit(&mut rng, &band, 0.1, f64::NAN).is_err());
        assert_eq!(sample_exit(&mut rng, &band, 0.1, 0.0), Ok(None));
    }
}
