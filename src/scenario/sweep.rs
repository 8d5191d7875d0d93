//! The `[[sweep]]` vocabulary: a swept parameter ([`Axis`]) and the scenario text of one point
//! of a sweep ([`variant_text`]). The sweeps themselves run in `crate::analysis`.

use super::path;

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
    pub fn parse(text: &str) -> Result<Axis, String> {
        let form = "write PATH=LO..HI:STEPS (e.g. actor.RU.war_cost=0.002..0.012:6) or PATH=V1,V2,...";
        let (path, spec) = text
            .split_once('=')
            .ok_or_else(|| format!("`{text}` is not a sweep: {form}"))?;
        let path = path.trim().to_string();
        let num = |x: &str| {
            x.trim()
                .replace('_', "")
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("`{x}` in `{text}` is not a number: {form}"))
        };
        if spec.contains("..") && !spec.contains(':') {
            return Err(format!("`{text}` has no STEPS: {form}"));
        }
        let values = if let Some((range, steps)) = spec.split_once(':') {
            let (lo, hi) = range
                .split_once("..")
                .ok_or_else(|| format!("`{spec}` is not LO..HI:STEPS: {form}"))?;
            let (lo, hi) = (num(lo)?, num(hi)?);
            let steps: usize = steps
                .trim()
                .parse()
                .ok()
                .filter(|n| (2..=101).contains(n))
                .ok_or_else(|| format!("STEPS in `{text}` must be a whole number from 2 to 101"))?;
            if lo >= hi {
                return Err(format!(
                    "in `{text}` LO must be below HI: write {path}={hi}..{lo}:{steps}"
                ));
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
            return Err(format!("`{text}` gives no values: {form}"));
        }
        Ok(Axis { path, values })
    }
}

/// Scenario text with each `(path, value)` set and its `[[sweep]]`s removed (a variant is one
/// point; its own sweeps would only be checked again).
///
/// # Errors
/// A path that does not resolve, or a whole-number field given a fraction.
pub fn variant_text(source: &str, sets: &[(&str, f64)]) -> Result<String, String> {
    let mut doc = path::parse(source)?;
    for (p, v) in sets {
        path::set(&mut doc, p, *v).map_err(|e| format!("error: {e}"))?;
    }
    doc.remove("sweep");
    Ok(doc.to_string())
}
