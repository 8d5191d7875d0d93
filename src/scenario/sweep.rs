//! The `[[sweep]]` vocabulary: a swept parameter ([`Axis`]) and the scenario text of one point
//! of a sweep ([`variant_text`]). The sweeps themselves run in `crate::analysis`.

use super::path::{self, PathError};

/// The accepted forms of a sweep, quoted by every [`AxisError`].
const FORM: &str = "write PATH=LO..HI:STEPS (e.g. actor.RU.war_cost=0.002..0.012:6) or PATH=V1,V2,...";

/// What is wrong with a sweep's text ([`Axis::parse`]); the text quotes the accepted forms.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AxisError {
    /// No `=` between the path and the values.
    #[error("`{text}` is not a sweep: {FORM}")]
    NotASweep {
        /// The sweep as written.
        text: String,
    },
    /// A value (or bound) that is not a finite number.
    #[error("`{value}` in `{text}` is not a number: {FORM}")]
    NotANumber {
        /// The offending value as written.
        value: String,
        /// The sweep as written.
        text: String,
    },
    /// A range `LO..HI` without `:STEPS`.
    #[error("`{text}` has no STEPS: {FORM}")]
    NoSteps {
        /// The sweep as written.
        text: String,
    },
    /// A `:STEPS` form whose range is not `LO..HI`.
    #[error("`{spec}` is not LO..HI:STEPS: {FORM}")]
    NotARange {
        /// The part after `=`.
        spec: String,
    },
    /// STEPS that is not a whole number from 2 to 101.
    #[error("STEPS in `{text}` must be a whole number from 2 to 101")]
    Steps {
        /// The sweep as written.
        text: String,
    },
    /// LO not below HI; the text gives the swapped form.
    #[error("in `{text}` LO must be below HI: write {path}={hi}..{lo}:{steps}")]
    Order {
        /// The sweep as written.
        text: String,
        /// The parameter path.
        path: String,
        /// The low bound as written (parsed).
        lo: f64,
        /// The high bound as written (parsed).
        hi: f64,
        /// The number of steps.
        steps: usize,
    },
    /// No values at all.
    #[error("`{text}` gives no values: {FORM}")]
    NoValues {
        /// The sweep as written.
        text: String,
    },
}

/// Why the text of a sweep variant cannot be made ([`variant_text`]).
#[derive(Debug, Clone, thiserror::Error)]
pub enum VariantError {
    /// The scenario text does not parse.
    #[error(transparent)]
    Parse(PathError),
    /// A path that does not resolve, or a fraction for a whole-number field.
    #[error("error: {0}")]
    Set(PathError),
}

/// One swept parameter: a path and the values it takes.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// A parameter path ([`path`](super::path)), e.g. `actor.RU.war_cost`.
    pub path: String,
    /// The values it takes, in the parameter's own units, in order (at least one).
    pub values: Vec<f64>,
}

impl Axis {
    /// Parses `PATH=LO..HI:STEPS` (STEPS evenly spaced values from LO to HI, both included) or
    /// `PATH=V1,V2,...`.
    ///
    /// # Errors
    /// What is wrong with the text and the accepted forms.
    pub fn parse(text: &str) -> Result<Axis, AxisError> {
        let (path, spec) = text
            .split_once('=')
            .ok_or_else(|| AxisError::NotASweep { text: text.to_string() })?;
        let path = path.trim().to_string();
        let num = |x: &str| {
            x.trim()
                .replace('_', "")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| AxisError::NotANumber {
                    value: x.to_string(),
                    text: text.to_string(),
                })
        };
        if spec.contains("..") && !spec.contains(':') {
            return Err(AxisError::NoSteps { text: text.to_string() });
        }
        let values = if let Some((range, steps)) = spec.split_once(':') {
            let (lo, hi) = range
                .split_once("..")
                .ok_or_else(|| AxisError::NotARange { spec: spec.to_string() })?;
            let (lo, hi) = (num(lo)?, num(hi)?);
            let steps: usize = steps
                .trim()
                .parse()
                .ok()
                .filter(|n| (2..=101).contains(n))
                .ok_or_else(|| AxisError::Steps { text: text.to_string() })?;
            if lo >= hi {
                return Err(AxisError::Order {
                    text: text.to_string(),
                    path,
                    lo,
                    hi,
                    steps,
                });
            }
            (0..steps)
                .map(|i| {
                    let x = lo + (hi - lo) * i as f64 / (steps - 1) as f64;
                    (x * 1e12).round() / 1e12
                })
                .collect()
        } else {
            spec.split(',').map(num).collect::<Result<Vec<_>, _>>()?
        };
        if values.is_empty() {
            return Err(AxisError::NoValues { text: text.to_string() });
        }
        Ok(Axis { path, values })
    }
}

/// Scenario text with each `(path, value)` set and its `[[sweep]]`s removed (a variant is one
/// point; its own sweeps would only be checked again).
///
/// # Errors
/// A path that does not resolve, or a whole-number field given a fraction.
pub fn variant_text(source: &str, sets: &[(&str, f64)]) -> Result<String, VariantError> {
    let mut doc = path::parse(source).map_err(VariantError::Parse)?;
    for (p, v) in sets {
        path::set(&mut doc, p, *v).map_err(VariantError::Set)?;
    }
    doc.remove("sweep");
    Ok(doc.to_string())
}
