//! Charts (plotters, embedded DejaVu Sans): one file per chart type, one shared theme and one
//! renderer ([`render`]) writing every chart as PNG and SVG. The run charts read only the
//! [`Summary`]; the analysis charts ([`analysis`]) read plain data.

pub mod analysis;
pub mod compare;
pub mod cumulative;
pub mod frontline;
pub mod heatmap;
pub mod issues;
pub mod marks;
pub mod outcomes;
pub mod packages;
pub mod payoffs;
pub mod phases;
pub mod render;
pub mod survival;
pub mod sweep;
pub mod theme;
pub mod tornado;

use crate::stats::Summary;
use render::ChartError;
use std::path::Path;
use theme::render_both;

/// Writes every chart as PNG and SVG into `dir`; returns the file names written.
///
/// # Errors
/// Drawing or I/O errors.
pub fn write_all(dir: &Path, s: &Summary) -> Result<Vec<String>, ChartError> {
    let mut out = vec![];
    out.extend(render_both(dir, &outcomes::Outcomes, s)?);
    out.extend(render_both(dir, &cumulative::Cumulative, s)?);
    out.extend(render_both(dir, &issues::Issues, s)?);
    out.extend(render_both(dir, &packages::Packages, s)?);
    out.extend(render_both(dir, &payoffs::Payoffs, s)?);
    if !s.frontlines.is_empty() {
        out.extend(render_both(dir, &frontline::Frontline, s)?);
    }
    if s.durability.as_ref().is_some_and(|d| !d.survival.is_empty()) {
        out.extend(render_both(dir, &survival::Survival, s)?);
    }
    if s.ceasefire.is_some() {
        out.extend(render_both(dir, &phases::Phases, s)?);
    }
    Ok(out)
}
