//! Uncertain numbers: every number in a scenario may be a fixed value or a distribution.
//!
//! A [`Dist`] is written in TOML either as a bare number (`0.38`) or as an inline table with a
//! single key naming the family and an array of its parameters
//! (`{ normal = [0.38, 0.05] }`). Each run draws every `Dist` once, from its own random stream
//! (`docs/model.md` §6); a draw outside the parameter's domain is clamped to the domain.

use rand::RngExt;
use rand_distr::{Beta, Distribution, LogNormal, Normal, Triangular};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::units::{Conversion, TimeUnit};

/// A number that may be uncertain. Parameters are stored as written in the scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dist {
    /// A fixed number.
    Fixed(f64),
    /// `{ normal = [mean, sd] }`, `sd > 0`.
    Normal(f64, f64),
    /// `{ uniform = [low, high] }`, `low < high`.
    Uniform(f64, f64),
    /// `{ triangular = [min, mode, max] }`, `min <= mode <= max`, `min < max`.
    Triangular(f64, f64, f64),
    /// `{ beta = [alpha, beta] }`, both `> 0`; values on [0, 1].
    Beta(f64, f64),
    /// `{ lognormal = [mu, sigma] }`: mu and sigma of the logarithm, `sigma > 0`.
    Lognormal(f64, f64),
    /// `{ pert = [min, mode, max] }`: the Beta-PERT distribution (shape 4), `min < max`.
    Pert(f64, f64, f64),
    /// A rate as written with its unit, `{ value = x, per = "month" }` or `{ pert = [..], per =
    /// "year" }`, before the loader converts it to the round length
    /// ([`crate::scenario::units::resolve_rates`]); one left after that is on a key that is not
    /// a rate, an error.
    PerUnit(Box<Dist>, TimeUnit),
    /// A rate stated per another unit than the round: the base is drawn (one word, as always)
    /// and the draw converted to a per-round value (`docs/model.md` §9.5).
    Converted(Box<Dist>, Conversion),
}

impl std::fmt::Display for Dist {
    /// `0.38`, `normal(0.38, 0.05)`, `pert(0.004, 0.008, 0.012)`: how reports show assumptions.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let g = |x: f64| format!("{}", (x * 1e6).round() / 1e6);
        match *self {
            Dist::Fixed(x) => write!(f, "{}", g(x)),
            Dist::Normal(a, b) => write!(f, "normal({}, {})", g(a), g(b)),
            Dist::Uniform(a, b) => write!(f, "uniform({}, {})", g(a), g(b)),
            Dist::Triangular(a, c, b) => write!(f, "triangular({}, {}, {})", g(a), g(c), g(b)),
            Dist::Beta(a, b) => write!(f, "beta({}, {})", g(a), g(b)),
            Dist::Lognormal(a, b) => write!(f, "lognormal({}, {})", g(a), g(b)),
            Dist::Pert(a, c, b) => write!(f, "pert({}, {}, {})", g(a), g(c), g(b)),
            Dist::PerUnit(ref d, u) => write!(f, "{d} per {}", u.word()),
            Dist::Converted(ref d, c) => write!(f, "{d} per {}", c.unit.word()),
        }
    }
}

/// What is wrong with a distribution's parameters ([`Dist::check`]); the text says how to fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DistError {
    /// A fixed number that is infinite or NaN.
    #[error("the number is not finite")]
    NotFinite,
    /// A parameter that is infinite or NaN.
    #[error("parameters must be finite")]
    NonFiniteParameters,
    /// A normal or lognormal spread that is not positive.
    #[error("the standard deviation must be > 0 (use a plain number for a fixed value)")]
    NonPositiveSpread,
    /// A uniform whose low bound is not below its high bound.
    #[error("`low` must be below `high`: write {{ uniform = [low, high] }}")]
    UniformBounds,
    /// A triangular or PERT whose min is not below its max.
    #[error("`min` must be below `max`: write [min, mode, max]")]
    MinAboveMax,
    /// A triangular or PERT mode outside [min, max].
    #[error("the mode must lie between min and max: write [min, mode, max]")]
    ModeOutside,
    /// A beta parameter that is not finite and positive.
    #[error("both beta parameters must be finite and > 0")]
    BetaParameters,
    /// A `per` unit on a key that is not a rate.
    #[error("`per` is allowed only on rates")]
    NotARate,
}

/// The names accepted as distribution families, in the order documentation lists them.
pub const FAMILIES: [&str; 6] = ["normal", "uniform", "triangular", "beta", "lognormal", "pert"];

impl Dist {
    /// The expected value (used by baselines and by `solve`).
    pub fn mean(&self) -> f64 {
        match *self {
            Dist::Fixed(x) => x,
            Dist::Normal(m, _) => m,
            Dist::Uniform(a, b) => 0.5 * (a + b),
            Dist::Triangular(a, c, b) => (a + b + c) / 3.0,
            Dist::Beta(a, b) => a / (a + b),
            Dist::Lognormal(mu, s) => (mu + 0.5 * s * s).exp(),
            Dist::Pert(a, c, b) => (a + 4.0 * c + b) / 6.0,
            Dist::PerUnit(ref d, _) => d.mean(),
            // the per-round rate of the mean: exact for flows, drifts and volatilities (linear);
            // for a discount or a hazard it differs from the mean per-round draw by a Jensen term
            // of order Var·|f''|/2 (negligible for the narrow rate distributions scenarios use)
            Dist::Converted(ref d, c) => c.apply(d.mean()),
        }
    }

    /// The standard deviation (0 for a fixed number).
    pub fn sd(&self) -> f64 {
        match *self {
            Dist::Fixed(_) => 0.0,
            Dist::Normal(_, s) => s,
            Dist::Uniform(a, b) => (b - a) / 12f64.sqrt(),
            Dist::Triangular(a, c, b) => ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0).sqrt(),
            Dist::Beta(a, b) => (a * b / ((a + b).powi(2) * (a + b + 1.0))).sqrt(),
            Dist::Lognormal(mu, s) => ((s * s).exp_m1() * (2.0 * mu + s * s).exp()).sqrt(),
            Dist::Pert(a, c, b) => {
                let m = (a + 4.0 * c + b) / 6.0;
                ((m - a) * (b - m) / 7.0).sqrt()
            }
            Dist::PerUnit(ref d, _) => d.sd(),
            // exact for the linear conversions, first order (delta method) for the others
            Dist::Converted(ref d, c) => c.slope(d.mean()).abs() * d.sd(),
        }
    }

    /// Whether the number is uncertain (anything but `Fixed`).
    pub fn is_uncertain(&self) -> bool {
        match self {
            Dist::Fixed(_) => false,
            Dist::PerUnit(d, _) | Dist::Converted(d, _) => d.is_uncertain(),
            _ => true,
        }
    }

    /// Checks the parameters.
    ///
    /// # Errors
    /// What is wrong and how to fix it ([`DistError`]).
    pub fn check(&self) -> Result<(), DistError> {
        let finite = |xs: &[f64]| xs.iter().all(|x| x.is_finite());
        match *self {
            Dist::Fixed(x) => finite(&[x]).then_some(()).ok_or(DistError::NotFinite),
            Dist::Normal(m, s) | Dist::Lognormal(m, s) => {
                if !finite(&[m, s]) {
                    Err(DistError::NonFiniteParameters)
                } else if s <= 0.0 {
                    Err(DistError::NonPositiveSpread)
                } else {
                    Ok(())
                }
            }
            Dist::Uniform(a, b) => {
                if !finite(&[a, b]) {
                    Err(DistError::NonFiniteParameters)
                } else if a >= b {
                    Err(DistError::UniformBounds)
                } else {
                    Ok(())
                }
            }
            Dist::Triangular(a, c, b) | Dist::Pert(a, c, b) => {
                if !finite(&[a, b, c]) {
                    Err(DistError::NonFiniteParameters)
                } else if a >= b {
                    Err(DistError::MinAboveMax)
                } else if c < a || c > b {
                    Err(DistError::ModeOutside)
                } else {
                    Ok(())
                }
            }
            Dist::Beta(a, b) => {
                if !finite(&[a, b]) || a <= 0.0 || b <= 0.0 {
                    Err(DistError::BetaParameters)
                } else {
                    Ok(())
                }
            }
            Dist::PerUnit(..) => Err(DistError::NotARate),
            Dist::Converted(ref d, _) => d.check(),
        }
    }

    /// Draws one value. The caller clamps to the parameter's domain.
    ///
    /// Panics only if `check` would have failed (the validated `Scenario` guarantees it cannot).
    pub fn sample<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Dist::Fixed(x) => x,
            Dist::Normal(m, s) => Normal::new(m, s).expect("checked").sample(rng),
            Dist::Uniform(a, b) => rng.random_range(a..b),
            Dist::Triangular(a, c, b) => Triangular::new(a, b, c).expect("checked").sample(rng),
            Dist::Beta(a, b) => Beta::new(a, b).expect("checked").sample(rng),
            Dist::Lognormal(mu, s) => LogNormal::new(mu, s).expect("checked").sample(rng),
            Dist::Pert(a, c, b) => {
                // Beta-PERT with shape 4: alpha = 1 + 4 (c-a)/(b-a), beta = 1 + 4 (b-c)/(b-a).
                let al = 1.0 + 4.0 * (c - a) / (b - a);
                let be = 1.0 + 4.0 * (b - c) / (b - a);
                a + (b - a) * Beta::new(al, be).expect("checked").sample(rng)
            }
            Dist::PerUnit(ref d, _) => d.sample(rng),
            Dist::Converted(ref d, c) => c.apply(d.sample(rng)),
        }
    }

    /// Draws one value using exactly one 64-bit word of `rng`, whatever the family (a fixed
    /// number too): the word seeds a private stream the family samples from. Every draw of a run
    /// therefore keeps its place in the run's stream when another parameter is fixed, swept or
    /// given another distribution: this is what makes sweeps and sensitivity analyses use common
    /// random numbers (`armistice sweep`, `armistice tornado`).
    pub fn draw<R: rand::Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        if let Dist::Converted(d, c) = self {
            return c.apply(d.draw(rng));
        }
        let key = rng.next_u64();
        match *self {
            Dist::Fixed(x) => x,
            _ => self.sample(&mut <rand::rngs::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(key)),
        }
    }

    /// The q-quantile (`0 < q < 1`), by bisection on the CDF to 1e-12 of the support's width
    /// (normal and lognormal: to 1e-12 of 40 standard deviations). Used by sensitivity analysis
    /// to fix a parameter at its 10th and 90th percentiles.
    pub fn quantile(&self, q: f64) -> f64 {
        let (mut lo, mut hi) = match *self {
            Dist::Fixed(x) => return x,
            Dist::PerUnit(ref d, _) => return d.quantile(q),
            Dist::Converted(ref d, c) => return c.apply(d.quantile(q)),
            Dist::Normal(m, s) => (m - 20.0 * s, m + 20.0 * s),
            Dist::Lognormal(mu, s) => (0.0, (mu + 20.0 * s).exp()),
            Dist::Uniform(a, b) | Dist::Triangular(a, _, b) | Dist::Pert(a, _, b) => (a, b),
            Dist::Beta(..) => (0.0, 1.0),
        };
        for _ in 0..100 {
            let mid = 0.5 * (lo + hi);
            if self.cdf(mid) < q {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        0.5 * (lo + hi)
    }

    /// Probability mass outside `[lo, hi]`, exact for the families with a closed-form CDF and
    /// estimated from quantiles otherwise. Used by the "more than 1% outside the domain" warning.
    pub fn mass_outside(&self, lo: f64, hi: f64) -> f64 {
        if let Dist::Fixed(v) = *self {
            return f64::from(u8::from(v < lo || v > hi));
        }
        let cdf = |x: f64| self.cdf(x);
        (cdf(lo) + (1.0 - cdf(hi))).clamp(0.0, 1.0)
    }

    fn cdf(&self, x: f64) -> f64 {
        match *self {
            Dist::Fixed(v) => f64::from(u8::from(v <= x)),
            Dist::Normal(m, s) => normal_cdf((x - m) / s),
            Dist::Lognormal(mu, s) => {
                if x <= 0.0 {
                    0.0
                } else {
                    normal_cdf((x.ln() - mu) / s)
                }
            }
            Dist::Uniform(a, b) => ((x - a) / (b - a)).clamp(0.0, 1.0),
            Dist::Triangular(a, c, b) => {
                if x <= a {
                    0.0
                } else if x >= b {
                    1.0
                } else if x <= c {
                    (x - a).powi(2) / ((b - a) * (c - a))
                } else {
                    1.0 - (b - x).powi(2) / ((b - a) * (b - c))
                }
            }
            Dist::Beta(a, b) => beta_cdf(x, a, b),
            Dist::Pert(a, c, b) => {
                let al = 1.0 + 4.0 * (c - a) / (b - a);
                let be = 1.0 + 4.0 * (b - c) / (b - a);
                beta_cdf((x - a) / (b - a), al, be)
            }
            Dist::PerUnit(ref d, _) => d.cdf(x),
            Dist::Converted(ref d, c) => d.cdf(c.invert(x)),
        }
    }
}

/// The Beta(a, b) CDF by Simpson integration of the density (accurate to ~1e-6 for a, b >= 1;
/// used only for domain warnings, never in the simulation).
fn beta_cdf(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let pdf = |t: f64| t.powf(a - 1.0) * (1.0 - t).powf(b - 1.0);
    let simpson = |lo: f64, hi: f64| {
        let n = 2000;
        let h = (hi - lo) / n as f64;
        let inner: f64 = (1..n)
            .map(|i| {
                let t = (lo + i as f64 * h).clamp(1e-12, 1.0 - 1e-12);
                pdf(t) * if i % 2 == 1 { 4.0 } else { 2.0 }
            })
            .sum();
        let ends = pdf(lo.max(1e-12)) + pdf(hi.min(1.0 - 1e-12));
        (ends + inner) * h / 3.0
    };
    (simpson(0.0, x) / simpson(0.0, 1.0)).clamp(0.0, 1.0)
}

/// The standard normal CDF (Abramowitz and Stegun 7.1.26 via erf; absolute error < 1.5e-7).
pub fn normal_cdf(z: f64) -> f64 {
    let x = z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly =
        t * (0.254_829_592 + t * (-0.284_496_736 + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    let erf = 1.0 - poly * (-x * x).exp();
    0.5 * (1.0 + if x >= 0.0 { erf } else { -erf })
}

impl schemars::JsonSchema for Dist {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let per = serde_json::json!({ "type": "string", "enum": super::units::UNITS, "description": "The time unit of a rate (docs/model.md §9.5): the value is per day, week, month (1/12 year), quarter or year (365.25 days) and is converted to the round length. Only on rate keys." });
        let family = |name: &str, n: usize, form: &str| {
            serde_json::json!({
                "type": "object",
                "properties": { name: { "type": "array", "items": { "type": "number" }, "minItems": n, "maxItems": n, "description": form }, "per": per },
                "required": [name],
                "additionalProperties": false
            })
        };
        let any = vec![
            serde_json::json!({ "type": "number" }),
            family("normal", 2, "[mean, sd], sd > 0"),
            family("uniform", 2, "[low, high], low < high"),
            family("triangular", 3, "[min, mode, max], min <= mode <= max, min < max"),
            family("beta", 2, "[alpha, beta], both > 0; values on [0, 1]"),
            family("lognormal", 2, "[mu, sigma] of the logarithm, sigma > 0"),
            family("pert", 3, "[min, mode, max] (Beta-PERT), min <= mode <= max, min < max"),
            serde_json::json!({
                "type": "object",
                "properties": { "value": { "type": "number", "description": "a fixed rate in the unit `per`" }, "per": per },
                "required": ["value", "per"],
                "additionalProperties": false
            }),
        ];
        let mut map = serde_json::Map::new();
        map.insert("description".into(), "A number, or a distribution drawn once per run: { normal = [mean, sd] }, { uniform = [low, high] }, { triangular = [min, mode, max] }, { beta = [alpha, beta] }, { lognormal = [mu, sigma] }, { pert = [min, mode, max] }. Draws outside the parameter's domain are clamped. A rate may add its time unit: { value = 0.02, per = \"month\" }, { pert = [..], per = \"year\" }.".into());
        map.insert("anyOf".into(), any.into());
        schemars::Schema::from(map)
    }
}

impl<'de> Deserialize<'de> for Dist {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DistVisitor)
    }
}

struct DistVisitor;

impl<'de> Visitor<'de> for DistVisitor {
    type Value = Dist;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number or a distribution such as { normal = [mean, sd] }")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dist, E> {
        Ok(Dist::Fixed(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dist, E> {
        Ok(Dist::Fixed(v as f64))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dist, E> {
        Ok(Dist::Fixed(v as f64))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dist, A::Error> {
        // `{ family = [...] }`, or a rate with its unit: `{ value = x, per = "month" }`,
        // `{ family = [...], per = "year" }` (keys in any order)
        let mut family: Option<(String, Vec<f64>)> = None;
        let mut value: Option<f64> = None;
        let mut per: Option<String> = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "per" => per = Some(map.next_value()?),
                "value" => value = Some(map.next_value()?),
                _ if family.is_some() => {
                    return Err(de::Error::custom(
                        "a distribution names exactly one family, e.g. { normal = [0.4, 0.05] }",
                    ));
                }
                _ => family = Some((key, map.next_value()?)),
            }
        }
        let unit = match per {
            None => None,
            Some(w) => Some(TimeUnit::parse(&w).ok_or_else(|| {
                de::Error::custom(format!(
                    "unknown time unit \"{w}\"; write per = one of \"{}\"",
                    super::units::UNITS.join("\", \"")
                ))
            })?),
        };
        let base = match (family, value) {
            (Some(_), Some(_)) => {
                return Err(de::Error::custom(
                    "write either `value = x` or a distribution next to `per`, not both",
                ));
            }
            (None, Some(v)) if unit.is_some() => Dist::Fixed(v),
            (None, Some(_)) => {
                return Err(de::Error::custom(
                    "`value` goes with `per`: write { value = 0.02, per = \"month\" }, or a plain number",
                ));
            }
            (None, None) => {
                return Err(de::Error::custom(
                    "empty distribution: write a number, or e.g. { normal = [mean, sd] }",
                ));
            }
            (Some((family, params)), None) => family_dist::<A::Error>(&family, &params)?,
        };
        Ok(match unit {
            Some(u) => Dist::PerUnit(Box::new(base), u),
            None => base,
        })
    }
}

/// The distribution `{ family = params }`.
fn family_dist<E: de::Error>(family: &str, params: &[f64]) -> Result<Dist, E> {
    let want = |n: usize, form: &str| -> Result<(), E> {
        if params.len() == n {
            Ok(())
        } else {
            Err(de::Error::custom(format!(
                "`{family}` takes {n} numbers, got {}: write {{ {family} = {form} }}",
                params.len()
            )))
        }
    };
    let p = params;
    match family {
        "normal" => want(2, "[mean, sd]").map(|_| Dist::Normal(p[0], p[1])),
        "uniform" => want(2, "[low, high]").map(|_| Dist::Uniform(p[0], p[1])),
        "triangular" => want(3, "[min, mode, max]").map(|_| Dist::Triangular(p[0], p[1], p[2])),
        "beta" => want(2, "[alpha, beta]").map(|_| Dist::Beta(p[0], p[1])),
        "lognormal" => want(2, "[mu, sigma]").map(|_| Dist::Lognormal(p[0], p[1])),
        "pert" => want(3, "[min, mode, max]").map(|_| Dist::Pert(p[0], p[1], p[2])),
        other => Err(de::Error::custom(format!(
            "unknown distribution `{other}`{}; expected one of {}",
            crate::scenario::suggest(other, FAMILIES.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default(),
            FAMILIES.join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::ChaCha8Rng;

    /// Quantiles agree with closed forms: normal (z_0.9 = 1.281552), uniform, triangular
    /// (inverse CDF), and with the CDF for PERT and lognormal.
    #[test]
    fn quantiles_match_closed_forms() {
        assert!((Dist::Normal(1.0, 2.0).quantile(0.9) - (1.0 + 2.0 * 1.281_552)).abs() < 1e-5);
        assert!((Dist::Normal(1.0, 2.0).quantile(0.1) - (1.0 - 2.0 * 1.281_552)).abs() < 1e-5);
        assert!((Dist::Uniform(2.0, 4.0).quantile(0.1) - 2.2).abs() < 1e-9);
        // triangular(0, 1, 2): F(x) = x²/2 below the mode, so the 0.1 quantile is sqrt(0.2)
        assert!((Dist::Triangular(0.0, 1.0, 2.0).quantile(0.1) - 0.2f64.sqrt()).abs() < 1e-9);
        assert!((Dist::Lognormal(0.0, 1.0).quantile(0.9) - 1.281_552f64.exp()).abs() < 1e-4);
        let p = Dist::Pert(0.002, 0.005, 0.010);
        for q in [0.1, 0.5, 0.9] {
            assert!((p.cdf(p.quantile(q)) - q).abs() < 1e-6, "{q}");
        }
        assert_eq!(Dist::Fixed(3.0).quantile(0.1), 3.0);
    }

    /// `draw` uses exactly one word of the stream whatever the family: after drawing any mix of
    /// numbers, the stream is where as many `next_u64` calls would leave it.
    #[test]
    fn draw_uses_one_word_per_number() {
        use rand::Rng;
        let mix = [
            Dist::Fixed(1.0),
            Dist::Normal(0.0, 1.0),
            Dist::Beta(2.0, 5.0),
            Dist::Pert(0.0, 0.3, 1.0),
            Dist::Lognormal(0.0, 0.5),
        ];
        let mut a = ChaCha8Rng::seed_from_u64(9);
        let mut b = ChaCha8Rng::seed_from_u64(9);
        for d in &mix {
            d.draw(&mut a);
            b.next_u64();
        }
        assert_eq!(a.next_u64(), b.next_u64());
    }

    /// Each family's sample mean lies within 4 standard errors of its stated mean.
    #[test]
    fn sample_means_match_within_4_se() {
        let cases = [
            Dist::Fixed(0.3),
            Dist::Normal(0.38, 0.05),
            Dist::Uniform(0.004, 0.012),
            Dist::Triangular(0.88, 0.92, 0.96),
            Dist::Beta(2.0, 5.0),
            Dist::Lognormal(-3.18, 0.53),
            Dist::Pert(0.004, 0.008, 0.016),
        ];
        let n = 50_000;
        for (k, d) in cases.iter().enumerate() {
            let mut rng = ChaCha8Rng::seed_from_u64(11);
            rng.set_stream(k as u64);
            let mean = (0..n).map(|_| d.sample(&mut rng)).sum::<f64>() / n as f64;
            let se = d.sd() / (n as f64).sqrt();
            assert!(
                (mean - d.mean()).abs() <= 4.0 * se + 1e-9,
                "{d:?}: sample mean {mean} vs {} (se {se})",
                d.mean()
            );
        }
    }

    #[test]
    fn impossible_parameters_are_rejected_with_a_fix() {
        assert!(Dist::Normal(0.0, 0.0).check().unwrap_err().to_string().contains("> 0"));
        assert!(Dist::Uniform(2.0, 1.0).check().unwrap_err().to_string().contains("low"));
        assert!(
            Dist::Triangular(0.0, 2.0, 1.0)
                .check()
                .unwrap_err()
                .to_string()
                .contains("mode")
        );
        assert!(Dist::Beta(0.0, 1.0).check().is_err());
        assert!(Dist::Pert(0.0, 0.5, 1.0).check().is_ok());
    }

    #[test]
    fn mass_outside_the_domain_is_measured() {
        // half of a normal centred on 0 lies below 0
        assert!((Dist::Normal(0.0, 1.0).mass_outside(0.0, f64::INFINITY) - 0.5).abs() < 1e-6);
        assert_eq!(Dist::Uniform(0.2, 0.4).mass_outside(0.0, 1.0), 0.0);
        assert!((Dist::Uniform(-0.5, 0.5).mass_outside(0.0, 1.0) - 0.5).abs() < 1e-12);
        assert!(Dist::Beta(2.0, 2.0).mass_outside(0.0, 1.0) < 1e-9);
        assert!((Dist::Beta(2.0, 2.0).mass_outside(0.0, 0.5) - 0.5).abs() < 1e-4);
    }

    #[test]
    fn distributions_parse_from_toml() {
        #[derive(Deserialize)]
        struct T {
            a: Dist,
            b: Dist,
            c: Dist,
        }
        let t: T = toml::from_str("a = 1\nb = 0.5\nc = { pert = [0, 1, 3] }").unwrap();
        assert_eq!(
            (t.a, t.b, t.c),
            (Dist::Fixed(1.0), Dist::Fixed(0.5), Dist::Pert(0.0, 1.0, 3.0))
        );
        let e = toml::from_str::<T>("a = 1\nb = 2\nc = { normall = [0, 1] }")
            .err()
            .unwrap();
        assert!(e.to_string().contains("did you mean `normal`"), "{e}");
        let e = toml::from_str::<T>("a = 1\nb = 2\nc = { normal = [0, 1, 2] }")
            .err()
            .unwrap();
        assert!(e.to_string().contains("takes 2 numbers"), "{e}");
    }
}
