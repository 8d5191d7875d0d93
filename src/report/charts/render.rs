//! The one chart renderer: draws a chart on an SVG and a PNG backend of [`SIZE`] with the
//! embedded font, and writes `<dir>/<stem>.svg` and `<dir>/<stem>.png` atomically. Both the run
//! charts (through [`render_both`](super::theme::render_both)) and the analysis charts use it.

use super::theme::{SIZE, register_fonts};
use crate::report::atomic::{staging_path, write_atomic};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// A drawing error of the plotting backend, kept as its text (the backends' error types differ).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DrawError(pub String);

/// Maps any drawing error to a [`DrawError`] holding its text.
pub fn draw_err<E: std::fmt::Display>(e: E) -> DrawError {
    DrawError(e.to_string())
}

/// Why a chart could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The file stem is empty, `.`/`..` or holds a path separator.
    #[error("chart stem {0:?} is not a plain file name")]
    Stem(String),
    /// Drawing chart `chart` failed with `error`.
    #[error("chart {chart}: {error}")]
    Draw { chart: String, error: DrawError },
    /// A heatmap's values hold `rows` rows for `ys` y values.
    #[error("heatmap {stem}: {rows} rows of values for {ys} y values")]
    HeatmapRows { stem: String, rows: usize, ys: usize },
    /// Row `row` of a heatmap holds `len` values for `xs` x values.
    #[error("heatmap {stem}: row {row} holds {len} values for {xs} x values")]
    HeatmapRow {
        stem: String,
        row: usize,
        len: usize,
        xs: usize,
    },
    /// A category of a grouped bar chart holds `len` values for `names` names.
    #[error("grouped bars {stem}: category {label:?} of {group:?} holds {len} values for {names} names")]
    GroupedValues {
        stem: String,
        label: String,
        group: String,
        len: usize,
        names: usize,
    },
    /// Creating the folder or writing a file failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// A chart with everything it needs, drawable on any backend.
pub trait Plot {
    /// Draws the chart on `root` (of size [`SIZE`]).
    ///
    /// # Errors
    /// Drawing errors.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError>;
}

/// Draws `plot` on `root` and presents it; errors name the chart `stem`.
fn draw_on<DB: DrawingBackend, P: Plot>(root: &DrawingArea<DB, Shift>, stem: &str, plot: &P) -> Result<(), ChartError> {
    let named = |error| ChartError::Draw {
        chart: stem.to_string(),
        error,
    };
    plot.draw(root).map_err(named)?;
    root.present().map_err(|e| named(draw_err(e)))
}

/// Renders `plot` to `<dir>/<stem>.png` and `<dir>/<stem>.svg`, each written atomically (the SVG
/// naming the embedded DejaVu Sans first); returns `["charts/<stem>.png", "charts/<stem>.svg"]`.
///
/// # Errors
/// [`ChartError::Stem`] for a stem that is not a plain file name, [`ChartError::Draw`],
/// [`ChartError::Io`].
pub fn render<P: Plot>(dir: &Path, stem: &str, plot: &P) -> Result<Vec<String>, ChartError> {
    if stem.is_empty() || stem == "." || stem == ".." || stem.contains(['/', '\\']) {
        return Err(ChartError::Stem(stem.to_string()));
    }
    register_fonts();
    std::fs::create_dir_all(dir)?;
    let mut svg = String::new();
    draw_on(&SVGBackend::with_string(&mut svg, SIZE).into_drawing_area(), stem, plot)?;
    // name the embedded face first, so viewers with DejaVu Sans render the SVG as the PNG
    let svg = svg.replace("font-family=\"sans-serif\"", "font-family=\"DejaVu Sans, sans-serif\"");
    write_atomic(&dir.join(format!("{stem}.svg")), svg.as_bytes())?;
    let png = dir.join(format!("{stem}.png"));
    let staging = staging_path(&png);
    draw_on(&BitMapBackend::new(&staging, SIZE).into_drawing_area(), stem, plot)?;
    std::fs::rename(&staging, &png)?;
    Ok(vec![format!("charts/{stem}.png"), format!("charts/{stem}.svg")])
}
