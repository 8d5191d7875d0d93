//! Durability of agreements: Weibull proportional hazards (`docs/model.md` §5).
//!
//! Survival of a bare ceasefire is `S(t) = exp(-(t/λ)^k)`; hazard ratios multiply the hazard,
//! so an agreement with combined ratio `HR` has `S(t) = exp(-HR (t/λ)^k)`. The scale `λ` is set
//! so that a bare ceasefire fails within `H` years with probability `p`:
//! `λ = H / (-ln(1-p))^(1/k)`. Anchors: Fortna (2003, 2008), calibration §7.8.

/// Weibull scale (years) such that `P(T <= years) = p` at shape `k`. `p` in (0,1), `years > 0`,
/// `k > 0`.
pub fn weibull_scale(p: f64, years: f64, k: f64) -> f64 {
    years / (-(1.0 - p).ln()).powf(1.0 / k)
}

/// Samples a time to renewed war, in years, by inversion: `τ = λ (-ln u / HR)^(1/k)` with
/// `u` uniform on (0, 1]. `hr > 0`.
pub fn sample_years(u: f64, scale: f64, shape: f64, hr: f64) -> f64 {
    let u = u.clamp(f64::MIN_POSITIVE, 1.0);
    scale * (-u.ln() / hr).powf(1.0 / shape)
}

/// `P(T <= t)` under the same model.
pub fn cdf(t: f64, scale: f64, shape: f64, hr: f64) -> f64 {
    1.0 - (-hr * (t / scale).powf(shape)).exp()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn scale_reproduces_the_baseline_probability() {
        let s = weibull_scale(0.65, 5.0, 0.7);
        assert!((cdf(5.0, s, 0.7, 1.0) - 0.65).abs() < 1e-12);
    }

    #[test]
    fn sampled_times_match_the_cdf_within_4_se() {
        let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(7);
        let (scale, k, hr) = (weibull_scale(0.65, 5.0, 0.7), 0.7, 0.45);
        let n = 40_000;
        let hits = (0..n)
            .filter(|_| sample_years(rng.random::<f64>(), scale, k, hr) <= 5.0)
            .count();
        let p = cdf(5.0, scale, k, hr);
        let se = (p * (1.0 - p) / n as f64).sqrt();
        assert!(
            (hits as f64 / n as f64 - p).abs() < 4.0 * se,
            "{} vs {p}",
            hits as f64 / n as f64
        );
        // a hazard ratio below 1 lowers the 5-year failure probability
        assert!(p < 0.65);
    }
}
