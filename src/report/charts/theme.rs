//! The shared visual theme: embedded font, Okabe–Ito palette, sizes, caption, and the
//! PNG + SVG rendering of one chart.

use super::render::{ChartError, DrawError, Plot, draw_err, render};
use crate::stats::Summary;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::Ranged;
use plotters::prelude::*;
use std::path::Path;
use std::sync::Once;

/// Chart size in pixels (PNG at 200 dpi prints 7.5 × 4.5 inches).
pub const SIZE: (u32, u32) = (1500, 900);
/// The font family every chart uses (DejaVu Sans, embedded in the binary).
pub const FONT: &str = "sans-serif";

/// Okabe and Ito (2008) colour-blind-safe palette, in an order that also separates in grayscale.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(230, 159, 0),   // orange
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(240, 228, 66),  // yellow
    RGBColor(0, 0, 0),       // black
];

/// Text colour and the light grid colour.
pub const INK: RGBColor = RGBColor(33, 33, 33);
pub const GRID: RGBColor = RGBColor(225, 225, 225);

/// Registers the embedded DejaVu Sans under [`FONT`] (once per process).
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, dejavu::sans::regular());
        let _ = plotters::style::register_font(FONT, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// A text style of `size` px in the theme's font and ink.
pub fn text(size: u32) -> TextStyle<'static> {
    (FONT, size).into_font().color(&INK)
}

/// Bold text.
pub fn bold(size: u32) -> TextStyle<'static> {
    (FONT, size, FontStyle::Bold).into_font().color(&INK)
}

/// The caption line under every chart: scenario id, runs and seed, and the selection rule when
/// later rounds' equilibria were warm-started (a chart pasted into a report says so).
pub fn caption_text(s: &Summary) -> String {
    format!(
        "armistice · scenario {} ({}) · {} runs · seed {}{}",
        s.scenario_id,
        s.as_of_note(),
        group_thousands(s.runs),
        s.seed,
        if s.selection == Some(crate::scenario::Selection::Warm) {
            " · selection warm"
        } else {
            ""
        }
    )
}

/// 20000 → "20,000".
pub fn group_thousands(n: u64) -> String {
    let d = n.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Splits the area into (title band, plot, caption band) and draws the title and caption.
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    title: &str,
    subtitle: &str,
    s: &Summary,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    root.fill(&WHITE).map_err(draw_err)?;
    let (top, rest) = root.split_vertically(110);
    let (plot, bottom) = rest.split_vertically(SIZE.1 - 110 - 50);
    top.draw_text(title, &bold(38), (40, 22)).map_err(draw_err)?;
    top.draw_text(subtitle, &text(24).color(&RGBColor(90, 90, 90)), (40, 72))
        .map_err(draw_err)?;
    bottom
        .draw_text(&caption_text(s), &text(20).color(&RGBColor(110, 110, 110)), (40, 14))
        .map_err(draw_err)?;
    Ok(plot)
}

/// One chart of a run's report: a name (the file stem) and a drawing routine for any backend.
pub trait Chart {
    /// File stem, e.g. `outcomes`.
    fn name(&self) -> &'static str;
    /// Draws the chart for `s` on `root` (of size [`SIZE`]).
    ///
    /// # Errors
    /// Drawing errors.
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError>;
}

/// A run chart bound to the summary it draws.
struct OfSummary<'a, C>(&'a C, &'a Summary);

impl<C: Chart> Plot for OfSummary<'_, C> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        self.0.draw(root, self.1)
    }
}

/// Renders `chart` to `<dir>/<name>.png` and `<dir>/<name>.svg`, each written atomically (see
/// [`render`]).
///
/// # Errors
/// Drawing or I/O errors.
pub fn render_both<C: Chart>(dir: &Path, chart: &C, s: &Summary) -> Result<Vec<String>, ChartError> {
    render(dir, chart.name(), &OfSummary(chart, s))
}

/// The width in pixels of the widest of `labels` in `style` (0 when there are none), for sizing
/// a label area so long labels are never cut.
pub fn widest<DB: DrawingBackend, S: AsRef<str>>(
    area: &DrawingArea<DB, Shift>,
    labels: &[S],
    style: &TextStyle,
) -> u32 {
    labels
        .iter()
        .filter_map(|l| area.estimate_text_size(l.as_ref(), style).ok())
        .map(|(w, _)| w)
        .max()
        .unwrap_or(0)
}

/// Horizontal layout of a chart with category labels on the left, in pixels: the label area (the
/// widest label plus 30, within `min..=max`), the plot margins (30 left, 60 right) and the width
/// left for the value axis.
pub struct LabelLayout {
    pub y_area: u32,
    pub margin_left: u32,
    pub margin_right: u32,
    pub axis_w: u32,
}

/// [`LabelLayout`] of `area` for these labels in this style.
pub fn label_layout<DB: DrawingBackend, S: AsRef<str>>(
    area: &DrawingArea<DB, Shift>,
    labels: &[S],
    style: &TextStyle,
    min: u32,
    max: u32,
) -> LabelLayout {
    let y_area = (widest(area, labels, style) + 30).clamp(min, max);
    let (margin_left, margin_right) = (30, 60);
    LabelLayout {
        y_area,
        margin_left,
        margin_right,
        axis_w: area
            .dim_in_pixel()
            .0
            .saturating_sub(y_area + margin_left + margin_right),
    }
}

/// The theme's axes: no minor grid, a light major grid, axis labels at 22 px and axis titles at
/// 24 px. Charts add their own descriptions, formatters and label styles after it.
pub fn themed_mesh<'a, 'b, 'm, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB> {
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .x_label_style(text(22))
        .axis_desc_style(text(24))
}
