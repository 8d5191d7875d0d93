//! Charts of the analysis commands (parameter sweeps, sensitivity, scenario comparison): a line
//! chart with 95% bands, a heatmap, a tornado chart and grouped bars, in the shared theme.
//!
//! Unlike the report's charts these read plain data, not a [`Summary`](crate::stats::Summary):
//! each function takes the texts around the chart ([`Frame`]), its axes ([`Axis`]) and its
//! numbers, writes `<dir>/<stem>.png` and `<dir>/<stem>.svg` (each atomically, the SVG naming the
//! embedded DejaVu Sans first) and returns `["charts/<stem>.png", "charts/<stem>.svg"]`.
//!
//! Probabilities are given on [0, 1] and shown as percentages when their [`Axis`] says
//! `percent`; every other statistic is shown in its own units. Non-finite numbers are never
//! drawn as data (see each function).

use super::issues::{ordinal_color, truncate};
use super::packages::LINE_WIDTH;
use super::theme::*;
use crate::report::atomic::{staging_path, write_atomic};
use plotters::coord::Shift;
use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// A statistic at one x with its 95% interval. Probabilities are on [0, 1] (shown as %), other
/// statistics in their own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Where the statistic was measured: a parameter value (a sweep) or a round (a cumulative
    /// curve), in the units of the x axis (on [0, 1] if that axis is `percent`).
    pub x: f64,
    /// The statistic (its point estimate).
    pub value: f64,
    /// Lower end of its 95% interval, in the units of `value`.
    pub lo: f64,
    /// Upper end of its 95% interval, in the units of `value`.
    pub hi: f64,
}

/// One line of a line chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Name shown in the legend (e.g. a scenario id).
    pub name: String,
    /// The points, in any order (drawn sorted by `x`); points with a non-finite `x` or `value`
    /// are left out, a non-finite `lo` / `hi` is taken as `value`.
    pub points: Vec<Point>,
}

/// Texts around a chart.
#[derive(Debug, Clone)]
pub struct Frame {
    /// File stem: the chart is written to `<dir>/<stem>.png` and `<dir>/<stem>.svg` (a plain
    /// file name, no path separators).
    pub stem: String,
    /// Title (bold, 38 px; a longer one is set smaller, then shortened with an ellipsis).
    pub title: String,
    /// One line under the title (24 px; fitted to the width likewise).
    pub subtitle: String,
    /// The line under the chart, "armistice · scenario ID · N runs · seed S" (20 px).
    pub caption: String,
}

/// `percent`: values are probabilities, shown as % on the axis/labels.
#[derive(Debug, Clone)]
pub struct Axis {
    /// Axis title, e.g. "Probability of agreement within 2 years".
    pub label: String,
    /// The values on this axis are probabilities on [0, 1], shown as percentages.
    pub percent: bool,
}

/// Line chart: one line per series with markers at the points and a translucent 95% band
/// (lo..hi); legend naming the series when there are 2+. Used for 1-D sweeps (x = parameter
/// value) and for overlaying two scenarios' cumulative P(agreement) by round (x = round).
///
/// Series take the palette's colours in order (yellow, too light for a line, skipped) and one
/// marker shape each (circle, square, triangle, diamond), so they also read in grayscale; a series
/// of a single point shows its interval as a whisker. A `percent` y axis starts at 0%.
///
/// # Errors
/// An invalid stem, drawing or I/O errors.
pub fn line_bands(dir: &Path, f: &Frame, x: &Axis, y: &Axis, series: &[Series]) -> anyhow::Result<Vec<String>> {
    render(dir, &f.stem, &Lines { f, x, y, series })
}

/// Heatmap of a 2-D sweep: `values[iy][ix]` at (`xs[ix]`, `ys[iy]`); every cell annotated with
/// its value (e.g. "42%"), in ink or white, whichever contrasts more with the cell; a colour-scale
/// legend right of the map, titled with `z.label`; axis ticks at the cell centres labelled with
/// `xs` / `ys` (as % on a `percent` axis; some skipped where they would touch). NaN cells are
/// drawn grey and labelled "–" (with a "no value" key under the scale).
///
/// `values` holds `ys.len()` rows of `xs.len()` values each (in the units of `z`, on [0, 1] if
/// `z.percent`); the first row is drawn at the bottom (ys increase upwards), the first column at
/// the left. The colour scale is viridis (dark purple = lowest, yellow = highest) over the finite
/// values' range; any non-finite value counts as NaN. Cell labels have whole percentages unless
/// the values span less than 10 points or some lie within 1 point of 0% or 100%.
///
/// # Errors
/// `values` not of that shape, an invalid stem, drawing or I/O errors.
#[allow(clippy::too_many_arguments)]
pub fn heatmap(
    dir: &Path,
    f: &Frame,
    x: &Axis,
    y: &Axis,
    xs: &[f64],
    ys: &[f64],
    values: &[Vec<f64>],
    z: &Axis,
) -> anyhow::Result<Vec<String>> {
    anyhow::ensure!(
        values.len() == ys.len(),
        "heatmap {}: {} rows of values for {} y values",
        f.stem,
        values.len(),
        ys.len()
    );
    if let Some((iy, row)) = values.iter().enumerate().find(|(_, r)| r.len() != xs.len()) {
        anyhow::bail!(
            "heatmap {}: row {iy} holds {} values for {} x values",
            f.stem,
            row.len(),
            xs.len()
        );
    }
    render(
        dir,
        &f.stem,
        &Heat {
            f,
            x,
            y,
            xs,
            ys,
            values,
            z,
        },
    )
}

/// One parameter of a tornado chart.
#[derive(Debug, Clone)]
pub struct TornadoBar {
    /// The parameter, e.g. "actor.RU.war_cost".
    pub label: String,
    /// The statistic with the parameter fixed at its low value (10th percentile, or 0 for an
    /// event switched never → always), with its 95% interval
    /// (`x` unused).
    pub low: Point,
    /// The statistic with the parameter fixed at its high value (90th percentile, or 1), with its
    /// 95% interval
    /// (`x` unused).
    pub high: Point,
    /// The parameter's low value (shown next to the `low` end of the bar).
    pub low_param: f64,
    /// The parameter's high value (shown next to the `high` end of the bar).
    pub high_param: f64,
}

/// Tornado chart: one horizontal bar per parameter (given already sorted, largest swing first;
/// the first is drawn at the top), spanning `low.value..high.value` around a vertical line at
/// `baseline` (the statistic with every parameter drawn as usual). The part of a bar from the
/// baseline to the 10th-percentile end is in one colour, to the 90th-percentile end in another,
/// with a legend "low value (10th percentile, or never)" / "high value (90th percentile, or always)" (and the baseline's
/// value); each end is labelled with the parameter value (e.g. "0.003"), placed beyond everything
/// drawn in its row, so that labels never overlap bars, each other or the axis (the axis is
/// widened to make room); thin whiskers show each end's 95% interval. Parameter labels stand on
/// the left, in a label area as wide as the longest (up to half the chart's width, beyond which a
/// label is shortened with an ellipsis), so labels like "actor.UA.red_lines.2.binding" are never cut.
///
/// The 10th-percentile part is blue, the 90th-percentile part orange. When both ends lie on the
/// same side of the baseline, the bar is split lengthwise (10th percentile above, 90th below) so
/// that both parts show in full, and both labels stand beyond the bar's outer end, in the same
/// order. A non-finite value is drawn at the baseline; `baseline` and the values are in the units
/// of `z` (on [0, 1] if `percent`).
///
/// # Errors
/// An invalid stem, drawing or I/O errors.
pub fn tornado(dir: &Path, f: &Frame, z: &Axis, baseline: f64, bars: &[TornadoBar]) -> anyhow::Result<Vec<String>> {
    render(dir, &f.stem, &Tornado { f, z, baseline, bars })
}

/// One category of a grouped bar chart: its value in each scenario.
#[derive(Debug, Clone)]
pub struct GroupedBar {
    /// The group the category belongs to, e.g. an issue's title ("Territory"); categories of a
    /// group are drawn together under its name, groups in the order they first appear.
    pub group: String,
    /// The category, e.g. an issue's option "T4".
    pub label: String,
    /// One value per scenario, in the order of `names` (the `x` of each point is unused); a
    /// non-finite value is drawn as the words "no value".
    pub values: Vec<Point>,
}

/// Grouped bars: for each category (e.g. an issue's option "T4"), one bar per scenario side by
/// side with a whisker for its 95% interval; categories grouped by `group` (e.g. the issue
/// title) with the group names shown; legend with `names` (scenario ids) in palette order.
///
/// Drawn as horizontal bars, one row per category (its label on the left, its bars one under
/// the other in the order of `names`), each group under a heading strip with its name; when the
/// rows do not fit one column at a readable size they are set in up to four columns (groups never
/// split), all on the same value scale. `y` is the value axis (drawn horizontally); a `percent`
/// one starts at 0%, any other includes 0.
///
/// # Errors
/// A category without one value per name, an invalid stem, drawing or I/O errors.
pub fn grouped_bars(
    dir: &Path,
    f: &Frame,
    y: &Axis,
    names: &[String],
    bars: &[GroupedBar],
) -> anyhow::Result<Vec<String>> {
    if let Some(b) = bars.iter().find(|b| b.values.len() != names.len()) {
        anyhow::bail!(
            "grouped bars {}: category {:?} of {:?} holds {} values for {} names",
            f.stem,
            b.label,
            b.group,
            b.values.len(),
            names.len()
        );
    }
    render(dir, &f.stem, &Grouped { f, y, names, bars })
}

// ---------------------------------------------------------------------------------------------
// rendering

/// A chart drawn from plain data, on any backend (the generic counterpart of [`Chart`]).
trait Plot {
    /// Draws the chart on `root` (of size [`SIZE`]).
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String>;
}

/// Renders `plot` to `<dir>/<stem>.png` and `<dir>/<stem>.svg`, each written atomically, as
/// [`render_both`] does; returns `["charts/<stem>.png", "charts/<stem>.svg"]`.
fn render<P: Plot>(dir: &Path, stem: &str, plot: &P) -> anyhow::Result<Vec<String>> {
    anyhow::ensure!(
        !stem.is_empty() && stem != "." && stem != ".." && !stem.contains(['/', '\\']),
        "chart stem {stem:?} is not a plain file name"
    );
    register_fonts();
    std::fs::create_dir_all(dir)?;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        plot.draw(&root).map_err(|e| anyhow::anyhow!("chart {stem}: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("chart {stem}: {e}"))?;
    }
    // name the embedded face first, so viewers with DejaVu Sans render the SVG as the PNG
    let svg = svg.replace("font-family=\"sans-serif\"", "font-family=\"DejaVu Sans, sans-serif\"");
    write_atomic(&dir.join(format!("{stem}.svg")), svg.as_bytes())?;
    let png = dir.join(format!("{stem}.png"));
    let staging = staging_path(&png);
    {
        let root = BitMapBackend::new(&staging, SIZE).into_drawing_area();
        plot.draw(&root).map_err(|e| anyhow::anyhow!("chart {stem}: {e}"))?;
        root.present().map_err(|e| anyhow::anyhow!("chart {stem}: {e}"))?;
    }
    std::fs::rename(&staging, &png)?;
    Ok(vec![format!("charts/{stem}.png"), format!("charts/{stem}.svg")])
}

/// Splits the area into (title band, plot, caption band) and draws the frame's texts, as
/// [`frame`] does with a caption given as text; each text is fitted to the chart's width.
fn framed<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, f: &Frame) -> Result<DrawingArea<DB, Shift>, String> {
    root.fill(&WHITE).map_err(e2s)?;
    let (top, rest) = root.split_vertically(110);
    let (plot, bottom) = rest.split_vertically(SIZE.1 - 110 - 50);
    let (title, size) = fit(root, &f.title, bold, 38, 28, LINE_WIDTH);
    top.draw_text(&title, &bold(size), (40, 22)).map_err(e2s)?;
    let sub_style = |s| text(s).color(&RGBColor(90, 90, 90));
    let (sub, size) = fit(root, &f.subtitle, sub_style, 24, 18, LINE_WIDTH);
    top.draw_text(&sub, &sub_style(size), (40, 72)).map_err(e2s)?;
    let cap_style = |s| text(s).color(&RGBColor(110, 110, 110));
    let (cap, size) = fit(root, &f.caption, cap_style, 20, 16, LINE_WIDTH);
    bottom.draw_text(&cap, &cap_style(size), (40, 14)).map_err(e2s)?;
    Ok(plot)
}

/// A message in place of a chart with nothing to show.
fn nothing<DB: DrawingBackend>(plot: &DrawingArea<DB, Shift>, message: &str) -> Result<(), String> {
    plot.draw_text(message, &text(28), (60, 200)).map_err(e2s)
}

// ---------------------------------------------------------------------------------------------
// text and numbers

/// Width in pixels of `s` in `style` (0 if it cannot be measured).
fn width_of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle) -> u32 {
    area.estimate_text_size(s, style).map_or(0, |(w, _)| w)
}

/// `s` and the largest size in `min..=max` (in steps of 2 px) at which `style(size)` sets it
/// within `max_w` pixels; if none does, `s` shortened with an ellipsis at the smallest size.
fn fit<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: impl Fn(u32) -> TextStyle<'a>,
    max: u32,
    min: u32,
    max_w: u32,
) -> (String, u32) {
    let mut size = max;
    while size > min {
        if width_of(area, s, &style(size)) <= max_w {
            return (s.to_string(), size);
        }
        size = size.saturating_sub(2).max(min);
    }
    (shorten(area, s, &style(min), max_w), min)
}

/// `s`, shortened with an ellipsis if needed to fit `max_w` pixels in `style`.
fn shorten<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle, max_w: u32) -> String {
    if width_of(area, s, style) <= max_w {
        return s.to_string();
    }
    // the longest prefix that fits (binary search on the number of characters)
    let (mut lo, mut hi) = (0, s.chars().count());
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if width_of(area, &truncate(s, mid), style) <= max_w {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    if lo == 0 { String::new() } else { truncate(s, lo) }
}

/// `s` broken at spaces into lines of at most `max_w` pixels in `style` (a word longer than
/// that is shortened).
fn wrap<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle, max_w: u32) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || width_of(area, &candidate, style) <= max_w {
            line = candidate;
        } else {
            lines.push(shorten(area, &line, style, max_w));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(shorten(area, &line, style, max_w));
    }
    lines
}

/// The factor from data to display units: 100 for a `percent` axis, else 1.
fn unit(a: &Axis) -> f64 {
    if a.percent { 100.0 } else { 1.0 }
}

/// `v` with up to 3 significant digits, trailing zeros dropped: 0.003, 0.0125, 12.5, 1500;
/// scientific notation below 1e-4 and from 1e7; "–" if not finite.
fn sig(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-4..1e7).contains(&a) {
        return format!("{v:.2e}");
    }
    let d = (2 - a.log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.d$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `v` (in display units) with `d` decimals, a "%" appended if `percent`; never "-0".
fn num(v: f64, d: usize, percent: bool) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let mut s = format!("{v:.d$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s.remove(0);
    }
    if percent { s + "%" } else { s }
}

/// The tick values plotters draws on an axis `lo..hi` asked for at most `n` labels.
fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    RangedCoordf64::from(lo..hi).key_points(BoldPoints(n))
}

/// Decimals needed to print evenly spaced `ticks` exactly (0 for one tick).
fn tick_decimals(ticks: &[f64]) -> usize {
    let step = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(f64::INFINITY, f64::min);
    if !step.is_finite() || step <= 0.0 {
        return 0;
    }
    (-step.log10() - 1e-6).ceil().clamp(0.0, 8.0) as usize
}

/// Labels of the given values (in data units) for a category axis: as few decimals as print all
/// exactly (up to 4), else as make them distinct (2 to 6); "%" and ×100 if `percent`.
fn value_labels(vs: &[f64], percent: bool) -> Vec<String> {
    let k = if percent { 100.0 } else { 1.0 };
    let shown: Vec<f64> = vs.iter().map(|v| v * k).collect();
    let finite: Vec<f64> = shown.iter().copied().filter(|v| v.is_finite()).collect();
    let exact = |d: usize| {
        let p = 10f64.powi(d as i32);
        finite
            .iter()
            .all(|v| ((v * p).round() / p - v).abs() <= 1e-9 * v.abs().max(1.0))
    };
    let distinct = |d: usize| {
        let mut s: Vec<String> = finite.iter().map(|v| num(*v, d, false)).collect();
        s.sort();
        s.dedup();
        s.len() == {
            let mut f = finite.clone();
            f.sort_by(f64::total_cmp);
            f.dedup();
            f.len()
        }
    };
    let d = (0..=4)
        .find(|&d| exact(d))
        .or_else(|| (2..=6).find(|&d| distinct(d)))
        .unwrap_or(6);
    shown.iter().map(|v| num(*v, d, percent)).collect()
}

/// A "nice" number at least `x` (1, 2, 2.5, 5 or 10 times a power of ten); 1 for `x <= 0`.
fn nice_up(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|v| *v >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// The top of a percentage axis starting at 0 showing values up to `top` (percent): the next
/// multiple of 10 above 10%, a "nice" number below; at most 100, 10 if nothing is positive.
fn pct_top(top: f64) -> f64 {
    if !top.is_finite() || top <= 0.0 {
        10.0
    } else if top > 10.0 {
        ((top / 10.0).ceil() * 10.0).min(100.0)
    } else {
        nice_up(top)
    }
}

/// A padded range around the finite `values` (5% each side; a single value ± 10% of itself or
/// ± 0.1), or `fallback` if there are none.
fn padded(values: impl IntoIterator<Item = f64>, fallback: (f64, f64)) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return fallback;
    }
    let span = hi - lo;
    if span <= 1e-12 * lo.abs().max(1.0) {
        let pad = (lo.abs() * 0.1).max(0.1);
        return (lo - pad, hi + pad);
    }
    (lo - span * 0.05, hi + span * 0.05)
}

// ---------------------------------------------------------------------------------------------
// colours, marks and the legend

/// The colour of series (or scenario) `i`: the palette in order, yellow (too light on white)
/// skipped.
fn series_color(i: usize) -> RGBColor {
    const ORDER: [usize; 7] = [0, 1, 2, 3, 4, 5, 7];
    PALETTE[ORDER[i % ORDER.len()]]
}

/// WCAG relative luminance of a colour.
fn luminance(c: RGBColor) -> f64 {
    let lin = |u: u8| {
        let c = f64::from(u) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// INK or WHITE, whichever contrasts more with `c`.
fn ink_on(c: RGBColor) -> RGBColor {
    let l = luminance(c);
    let on_white = 1.05 / (l + 0.05);
    let on_ink = (l + 0.05) / (luminance(INK) + 0.05);
    if on_ink >= on_white { INK } else { WHITE }
}

/// Viridis at `t` in [0, 1] (dark purple to yellow), from the theme's ordinal scale.
fn viridis(t: f64) -> RGBColor {
    const STEPS: usize = 1000;
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    ordinal_color((t * STEPS as f64).round() as usize, STEPS + 1)
}

/// Grey of the cells with no value.
const MISSING: RGBColor = RGBColor(200, 200, 200);

/// The 10th-percentile colour of a tornado chart (blue).
const LOW: RGBColor = PALETTE[0];
/// The 90th-percentile colour of a tornado chart (orange).
const HIGH: RGBColor = PALETTE[1];

/// Draws marker `shape` (0 circle, 1 square, 2 triangle, 3 diamond, then again) of radius `r`
/// centred at the pixel `(x, y)` of `area`.
fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    shape: usize,
    r: i32,
    color: RGBColor,
) -> Result<(), String> {
    let style = color.filled();
    match shape % 4 {
        0 => area.draw(&Circle::new((x, y), r, style)),
        1 => {
            let s = r * 85 / 100;
            area.draw(&Rectangle::new([(x - s, y - s), (x + s, y + s)], style))
        }
        2 => {
            let h = r * 6 / 5;
            area.draw(&Polygon::new(
                vec![(x, y - h), (x + h, y + h * 4 / 5), (x - h, y + h * 4 / 5)],
                style,
            ))
        }
        _ => {
            let h = r * 6 / 5;
            area.draw(&Polygon::new(
                vec![(x, y - h), (x + h, y), (x, y + h), (x - h, y)],
                style,
            ))
        }
    }
    .map_err(e2s)
}

/// What a legend item shows before its text.
#[derive(Clone, Copy)]
enum Mark {
    /// A line with a marker of the given shape (a series of a line chart).
    Line(RGBColor, usize),
    /// A filled box (bars).
    Box(RGBColor),
    /// A short vertical rule (a reference line).
    Rule,
}

/// Legend text size, pixels.
const LEGEND_TEXT: u32 = 22;
/// Legend line height, pixels.
const LEGEND_LINE: u32 = 34;

/// Lays the legend items out left to right from x = 40, wrapping within the chart's width: the
/// (x, line) of each item's mark.
fn legend_layout<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, items: &[(Mark, String)]) -> Vec<(i32, i32)> {
    let (mut x, mut line) = (40, 0);
    let right = 40 + LINE_WIDTH as i32;
    items
        .iter()
        .map(|(_, label)| {
            let w = 46 + width_of(area, label, &text(LEGEND_TEXT)) as i32;
            if x > 40 && x + w > right {
                x = 40;
                line += 1;
            }
            let at = (x, line);
            x += w + 40;
            at
        })
        .collect()
}

/// Splits a legend band off the top of `plot`, draws `items` in it and returns the rest.
fn with_legend<DB: DrawingBackend>(
    plot: DrawingArea<DB, Shift>,
    items: &[(Mark, String)],
) -> Result<DrawingArea<DB, Shift>, String> {
    if items.is_empty() {
        return Ok(plot);
    }
    let at = legend_layout(&plot, items);
    let lines = at.iter().map(|(_, l)| l + 1).max().unwrap_or(1) as u32;
    let (band, rest) = plot.split_vertically(LEGEND_LINE * lines + 8);
    let style = text(LEGEND_TEXT).pos(Pos::new(HPos::Left, VPos::Center));
    for ((mark, label), (x, line)) in items.iter().zip(at) {
        let y = (LEGEND_LINE as i32) * line + LEGEND_LINE as i32 / 2 + 2;
        match *mark {
            Mark::Line(c, shape) => {
                band.draw(&PathElement::new(vec![(x, y), (x + 36, y)], c.stroke_width(4)))
                    .map_err(e2s)?;
                marker(&band, (x + 18, y), shape, 7, c)?;
            }
            Mark::Box(c) => {
                band.draw(&Rectangle::new([(x + 4, y - 11), (x + 32, y + 11)], c.filled()))
                    .map_err(e2s)?;
            }
            Mark::Rule => {
                band.draw(&PathElement::new(
                    vec![(x + 18, y - 14), (x + 18, y + 14)],
                    INK.stroke_width(3),
                ))
                .map_err(e2s)?;
            }
        }
        band.draw(&Text::new(label.clone(), (x + 46, y), style.clone()))
            .map_err(e2s)?;
    }
    Ok(rest)
}

/// A horizontal whisker from pixel `x0` to `x1` at height `y`, with end caps of half-height `cap`.
fn whisker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x0: i32,
    x1: i32,
    y: i32,
    cap: i32,
) -> Result<(), String> {
    let style = INK.stroke_width(2);
    area.draw(&PathElement::new(vec![(x0, y), (x1, y)], style))
        .map_err(e2s)?;
    for x in [x0, x1] {
        area.draw(&PathElement::new(vec![(x, y - cap), (x, y + cap)], style))
            .map_err(e2s)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// line chart

/// The data of [`line_bands`].
struct Lines<'a> {
    f: &'a Frame,
    x: &'a Axis,
    y: &'a Axis,
    series: &'a [Series],
}

/// A point in display units: (x, value, lo, hi).
type Shown = (f64, f64, f64, f64);

impl Plot for Lines<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = framed(root, self.f)?;
        let (kx, ky) = (unit(self.x), unit(self.y));
        let data: Vec<Vec<Shown>> = self
            .series
            .iter()
            .map(|s| {
                let mut pts: Vec<Shown> = s
                    .points
                    .iter()
                    .filter(|p| p.x.is_finite() && p.value.is_finite())
                    .map(|p| {
                        let or = |v: f64| if v.is_finite() { v } else { p.value };
                        let (lo, hi) = (or(p.lo), or(p.hi));
                        (kx * p.x, ky * p.value, ky * lo.min(hi), ky * hi.max(lo))
                    })
                    .collect();
                pts.sort_by(|a, b| a.0.total_cmp(&b.0));
                pts
            })
            .collect();
        if data.iter().all(Vec::is_empty) {
            return nothing(&plot, "No finite values to show.");
        }
        let plot = if self.series.len() >= 2 {
            let items: Vec<(Mark, String)> = self
                .series
                .iter()
                .enumerate()
                .map(|(i, s)| (Mark::Line(series_color(i), i), s.name.clone()))
                .collect();
            with_legend(plot, &items)?
        } else {
            plot
        };
        let all = || data.iter().flatten();
        let (x0, x1) = {
            let (a, b) = all().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| (a.min(p.0), b.max(p.0)));
            if b > a {
                // a little room for the end markers
                (a - (b - a) * 0.03, b + (b - a) * 0.03)
            } else {
                // a single x in the middle of a range half its size either side
                let pad = if a == 0.0 { 1.0 } else { a.abs() / 2.0 };
                (a - pad, a + pad)
            }
        };
        let (y0, y1) = if self.y.percent {
            let top = all().map(|p| p.3.max(p.1)).fold(0.0, f64::max);
            (0.0, pct_top(top * 1.02))
        } else {
            padded(all().flat_map(|p| [p.1, p.2, p.3]), (0.0, 1.0))
        };
        let (nx, ny) = (10, 8);
        let dx = tick_decimals(&ticks(x0, x1, nx));
        let dy = tick_decimals(&ticks(y0, y1, ny));
        let y_ticks: Vec<String> = ticks(y0, y1, ny).iter().map(|v| num(*v, dy, self.y.percent)).collect();
        let y_area = (widest(&plot, &y_ticks, &text(22)) + 70).max(110);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(30)
            .margin_right(60)
            .margin_top(16)
            .x_label_area_size(80)
            .y_label_area_size(y_area)
            .build_cartesian_2d(x0..x1, y0..y1)
            .map_err(e2s)?;
        let (xp, yp) = (self.x.percent, self.y.percent);
        themed_mesh(&mut chart.configure_mesh())
            .x_desc(self.x.label.as_str())
            .y_desc(self.y.label.as_str())
            .y_label_style(text(22))
            .x_labels(nx)
            .y_labels(ny)
            .x_label_formatter(&|v| num(*v, dx, xp))
            .y_label_formatter(&|v| num(*v, dy, yp))
            .draw()
            .map_err(e2s)?;
        for (i, pts) in data.iter().enumerate() {
            let c = series_color(i);
            if pts.len() >= 2 {
                let band: Vec<(f64, f64)> = pts
                    .iter()
                    .map(|p| (p.0, p.3))
                    .chain(pts.iter().rev().map(|p| (p.0, p.2)))
                    .collect();
                chart
                    .draw_series(std::iter::once(Polygon::new(band, c.mix(0.18).filled())))
                    .map_err(e2s)?;
            }
        }
        for (i, pts) in data.iter().enumerate() {
            let c = series_color(i);
            if pts.len() >= 2 {
                chart
                    .draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.1)), c.stroke_width(4)))
                    .map_err(e2s)?;
            } else if let Some(p) = pts.first() {
                // a single point: its interval as a vertical whisker
                let (x, lo) = chart.backend_coord(&(p.0, p.2));
                let (_, hi) = chart.backend_coord(&(p.0, p.3));
                root.draw(&PathElement::new(vec![(x, lo), (x, hi)], c.stroke_width(3)))
                    .map_err(e2s)?;
                for y in [lo, hi] {
                    root.draw(&PathElement::new(vec![(x - 10, y), (x + 10, y)], c.stroke_width(3)))
                        .map_err(e2s)?;
                }
            }
        }
        for (i, pts) in data.iter().enumerate() {
            for p in pts {
                let at = chart.backend_coord(&(p.0, p.1));
                marker(root, at, i, 8, WHITE)?;
                marker(root, at, i, 6, series_color(i))?;
            }
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// heatmap

/// The data of [`heatmap`].
struct Heat<'a> {
    f: &'a Frame,
    x: &'a Axis,
    y: &'a Axis,
    xs: &'a [f64],
    ys: &'a [f64],
    values: &'a [Vec<f64>],
    z: &'a Axis,
}

/// Width of the colour-scale column right of a heatmap, pixels.
const SCALE_W: u32 = 250;

impl Plot for Heat<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = framed(root, self.f)?;
        let (nx, ny) = (self.xs.len(), self.ys.len());
        if nx == 0 || ny == 0 {
            return nothing(&plot, "No values to show.");
        }
        let kz = unit(self.z);
        let cell = |ix: usize, iy: usize| Some(kz * self.values[iy][ix]).filter(|v| v.is_finite());
        let finite: Vec<f64> = (0..ny)
            .flat_map(|iy| (0..nx).filter_map(move |ix| cell(ix, iy)))
            .collect();
        let any_missing = finite.len() < nx * ny;
        let (vmin, vmax) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        // the colour scale spans the values; a single value sits in the middle of a small scale
        let (z0, z1) = if finite.is_empty() {
            if self.z.percent { (0.0, 100.0) } else { (0.0, 1.0) }
        } else if vmax - vmin > 1e-12 * vmax.abs().max(1.0) {
            (vmin, vmax)
        } else if self.z.percent {
            ((vmin - 5.0).max(0.0), (vmax + 5.0).min(100.0).max(vmin + 5.0))
        } else {
            padded([vmin], (0.0, 1.0))
        };
        let t = |v: f64| (v - z0) / (z1 - z0);
        // cell labels: whole percentages unless that hides a difference or a value near 0 or 1
        let decimals = if self.z.percent {
            let near_edge = finite
                .iter()
                .any(|v| (*v > 0.0 && *v < 1.0) || (*v > 99.0 && *v < 100.0));
            usize::from(vmax - vmin < 10.0 || near_edge)
        } else {
            let span = vmax - vmin;
            if span > 0.0 {
                (-(span / 20.0).log10()).ceil().clamp(0.0, 4.0) as usize
            } else {
                2
            }
        };
        let label = |v: Option<f64>| match v {
            None => "–".to_string(),
            Some(v) if self.z.percent => num(v, decimals, true),
            Some(v) if vmax - vmin > 0.0 => num(v, decimals, false),
            Some(v) => sig(v),
        };
        let (heat, scale) = plot.split_horizontally(plot.dim_in_pixel().0 - SCALE_W);
        let xl = value_labels(self.xs, self.x.percent);
        let yl = value_labels(self.ys, self.y.percent);
        let tick_style = text(22);
        let y_area = (widest(&plot, &yl, &tick_style) + 70).max(110);
        let mut chart = ChartBuilder::on(&heat)
            .margin_left(30)
            .margin_right(20)
            .margin_top(16)
            .x_label_area_size(80)
            .y_label_area_size(y_area)
            .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
            .map_err(e2s)?;
        themed_mesh(&mut chart.configure_mesh())
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc(self.x.label.as_str())
            .y_desc(self.y.label.as_str())
            .draw()
            .map_err(e2s)?;
        let (px, py) = chart.plotting_area().get_pixel_range();
        let cell_w = (px.end - px.start) as f64 / nx as f64;
        let cell_h = (py.end - py.start) as f64 / ny as f64;
        // tick labels at the cell centres, every `stride`-th if they would touch
        let xw = widest(&plot, &xl, &tick_style) as f64;
        let x_stride = ((xw + 24.0) / cell_w).ceil().max(1.0) as usize;
        let y_stride = (30.0 / cell_h).ceil().max(1.0) as usize;
        for (ix, l) in xl.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(ix as f64 + 0.5, 0.0));
            root.draw(&PathElement::new(vec![(x, y), (x, y + 8)], INK.stroke_width(1)))
                .map_err(e2s)?;
            if ix % x_stride == 0 {
                let style = tick_style.pos(Pos::new(HPos::Center, VPos::Top));
                root.draw(&Text::new(l.clone(), (x, y + 12), style)).map_err(e2s)?;
            }
        }
        for (iy, l) in yl.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(0.0, iy as f64 + 0.5));
            root.draw(&PathElement::new(vec![(x - 8, y), (x, y)], INK.stroke_width(1)))
                .map_err(e2s)?;
            if iy % y_stride == 0 {
                let style = tick_style.pos(Pos::new(HPos::Right, VPos::Center));
                root.draw(&Text::new(l.clone(), (x - 12, y), style)).map_err(e2s)?;
            }
        }
        // the cells, with the largest annotation size that fits every cell
        let labels: Vec<String> = (0..ny)
            .flat_map(|iy| (0..nx).map(move |ix| (ix, iy)))
            .map(|(ix, iy)| label(cell(ix, iy)))
            .collect();
        let mut size = 26;
        while size > 12
            && (f64::from(widest(&plot, &labels, &bold(size))) > cell_w - 10.0 || f64::from(size) * 1.2 > cell_h - 4.0)
        {
            size -= 1;
        }
        for iy in 0..ny {
            for ix in 0..nx {
                let v = cell(ix, iy);
                let color = v.map_or(MISSING, |v| viridis(t(v)));
                let (x0, y0) = chart.backend_coord(&(ix as f64, iy as f64 + 1.0));
                let (x1, y1) = chart.backend_coord(&(ix as f64 + 1.0, iy as f64));
                root.draw(&Rectangle::new([(x0 + 1, y0 + 1), (x1 - 1, y1 - 1)], color.filled()))
                    .map_err(e2s)?;
                let ink = ink_on(color);
                let style = bold(size).color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(
                    labels[iy * nx + ix].clone(),
                    ((x0 + x1) / 2, (y0 + y1) / 2),
                    style,
                ))
                .map_err(e2s)?;
            }
        }
        // the colour scale: its title wrapped above a vertical bar, ticks to the right
        let (sx, _) = scale.get_pixel_range();
        let left = sx.start + 24;
        let title_style = text(22);
        let mut title = wrap(&plot, &self.z.label, &title_style, SCALE_W - 56);
        if title.len() > 3 {
            title.truncate(3);
            title[2] = shorten(&plot, &format!("{} …", title[2]), &title_style, SCALE_W - 56);
        }
        let mut y = py.start;
        for line in &title {
            root.draw(&Text::new(line.clone(), (left, y), title_style.clone()))
                .map_err(e2s)?;
            y += 28;
        }
        let bar_top = y + 16;
        let bar_bottom = py.end - if any_missing { 56 } else { 0 };
        let bar_w = 30;
        let h = (bar_bottom - bar_top).max(1);
        for k in 0..h {
            let c = viridis(1.0 - f64::from(k) / f64::from(h - 1).max(1.0));
            root.draw(&Rectangle::new(
                [(left, bar_top + k), (left + bar_w, bar_top + k + 1)],
                c.filled(),
            ))
            .map_err(e2s)?;
        }
        root.draw(&Rectangle::new(
            [(left, bar_top), (left + bar_w, bar_bottom)],
            INK.stroke_width(1),
        ))
        .map_err(e2s)?;
        let zt = ticks(z0, z1, 6);
        let dz = tick_decimals(&zt);
        for v in zt {
            let y = bar_bottom - ((t(v) * f64::from(h)).round() as i32);
            root.draw(&PathElement::new(
                vec![(left + bar_w, y), (left + bar_w + 8, y)],
                INK.stroke_width(1),
            ))
            .map_err(e2s)?;
            let style = text(20).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(num(v, dz, self.z.percent), (left + bar_w + 12, y), style))
                .map_err(e2s)?;
        }
        if any_missing {
            let y = py.end - 22;
            root.draw(&Rectangle::new(
                [(left, y - 15), (left + bar_w, y + 15)],
                MISSING.filled(),
            ))
            .map_err(e2s)?;
            let style = text(20).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new("– no value", (left + bar_w + 12, y), style))
                .map_err(e2s)?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// tornado

/// The data of [`tornado`].
struct Tornado<'a> {
    f: &'a Frame,
    z: &'a Axis,
    baseline: f64,
    bars: &'a [TornadoBar],
}

/// Which side of the bar a label stands on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Left of the bar's leftmost extent, right-aligned.
    Left,
    /// Right of the bar's rightmost extent, left-aligned.
    Right,
}

/// One tornado row in display units: each end's (value, lo, hi), the sides of the 10th- and
/// 90th-percentile labels, and the row's extent (both ends, intervals and the baseline).
struct Row {
    /// The 10th-percentile end: (value, lo, hi), lo ≤ value ≤ hi.
    low: (f64, f64, f64),
    /// The 90th-percentile end: (value, lo, hi), lo ≤ value ≤ hi.
    high: (f64, f64, f64),
    /// Where the 10th-percentile label stands.
    low_side: Side,
    /// Where the 90th-percentile label stands.
    high_side: Side,
    /// The leftmost point drawn in the row.
    min: f64,
    /// The rightmost point drawn in the row.
    max: f64,
}

impl Row {
    /// The row of `b` in display units (`k` = 100 for percentages), around the baseline `base`.
    fn new(b: &TornadoBar, k: f64, base: f64) -> Row {
        let end = |p: &Point| {
            let v = if p.value.is_finite() { k * p.value } else { base };
            let or = |u: f64| if u.is_finite() { k * u } else { v };
            let (lo, hi) = (or(p.lo), or(p.hi));
            (v, lo.min(hi).min(v), hi.max(lo).max(v))
        };
        let (low, high) = (end(&b.low), end(&b.high));
        // an end at the baseline takes the side away from the other end (10th percentile left
        // when both are there)
        let side = |v: f64, other: f64, first: bool| {
            if v > base || (v == base && (other < base || (other == base && !first))) {
                Side::Right
            } else {
                Side::Left
            }
        };
        let low_side = side(low.0, high.0, true);
        let high_side = side(high.0, low.0, false);
        let xs = [low.0, low.1, low.2, high.0, high.1, high.2, base];
        Row {
            low,
            high,
            low_side,
            high_side,
            min: xs.iter().copied().fold(f64::INFINITY, f64::min),
            max: xs.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }

    /// Both ends on the same side of the baseline (the bar is then split lengthwise).
    fn stacked(&self) -> bool {
        self.low_side == self.high_side
    }
}

/// The smallest axis range containing `lo..hi` in which every label fits between its anchor and
/// the plot's edge: `right` holds (anchor, pixels needed right of it), `left` (anchor, pixels
/// needed left of it), on an axis `w` pixels wide.
fn room_both_sides(lo: f64, hi: f64, w: f64, right: &[(f64, f64)], left: &[(f64, f64)]) -> (f64, f64) {
    let mut k = (hi - lo) / w;
    let (mut x0, mut x1) = (lo, hi);
    for _ in 0..200 {
        x1 = right.iter().map(|(a, px)| a + px * k).fold(hi, f64::max);
        x0 = left.iter().map(|(a, px)| a - px * k).fold(lo, f64::min);
        let next = (x1 - x0) / w;
        if (next - k).abs() <= 1e-12 * k.abs() {
            break;
        }
        k = next;
    }
    (x0, x1)
}

impl Plot for Tornado<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = framed(root, self.f)?;
        let k = unit(self.z);
        let pct = self.z.percent;
        let base = if self.baseline.is_finite() {
            k * self.baseline
        } else {
            0.0
        };
        let base_text = if !self.baseline.is_finite() {
            "–".to_string()
        } else if pct {
            num(base, 1, true)
        } else {
            sig(base)
        };
        let items = vec![
            (Mark::Box(LOW), "low value (10th percentile, or never)".to_string()),
            (Mark::Box(HIGH), "high value (90th percentile, or always)".to_string()),
            (Mark::Rule, format!("every parameter drawn as usual: {base_text}")),
        ];
        let plot = with_legend(plot, &items)?;
        if self.bars.is_empty() {
            return nothing(&plot, "No parameters to show.");
        }
        let n = self.bars.len();
        let rows: Vec<Row> = self.bars.iter().map(|b| Row::new(b, k, base)).collect();
        let x_area = 80;
        let row_h = f64::from(plot.dim_in_pixel().1.saturating_sub(16 + x_area)) / n as f64;
        let any_stacked = rows.iter().any(Row::stacked);
        let value_size = if any_stacked {
            ((row_h - 4.0) / 2.3).floor()
        } else {
            (row_h * 0.6).floor()
        }
        .clamp(11.0, 20.0) as u32;
        let label_size = (row_h * 0.6).floor().clamp(11.0, 22.0) as u32;
        let value_style = text(value_size);
        let label_style = text(label_size);
        let max_label = plot.dim_in_pixel().0 / 2;
        let labels: Vec<String> = self
            .bars
            .iter()
            .map(|b| shorten(&plot, &b.label, &label_style, max_label - 30))
            .collect();
        let lay = label_layout(&plot, &labels, &label_style, 120, max_label);
        let texts: Vec<(String, String)> = self
            .bars
            .iter()
            .map(|b| (sig(b.low_param), sig(b.high_param)))
            .collect();
        let gap = 10.0;
        let w = |s: &str| f64::from(width_of(&plot, s, &value_style)) + gap + 14.0;
        let (mut right, mut left) = (vec![], vec![]);
        for (r, (lt, ht)) in rows.iter().zip(&texts) {
            if r.stacked() {
                let need = w(lt).max(w(ht));
                match r.low_side {
                    Side::Right => right.push((r.max, need)),
                    Side::Left => left.push((r.min, need)),
                }
            } else {
                for (side, t) in [(r.low_side, lt), (r.high_side, ht)] {
                    match side {
                        Side::Right => right.push((r.max, w(t))),
                        Side::Left => left.push((r.min, w(t))),
                    }
                }
            }
        }
        let lo = rows.iter().map(|r| r.min).fold(f64::INFINITY, f64::min);
        let hi = rows.iter().map(|r| r.max).fold(f64::NEG_INFINITY, f64::max);
        let (lo, hi) = if hi - lo > 1e-12 * hi.abs().max(1.0) {
            let pad = (hi - lo) * 0.02;
            (lo - pad, hi + pad)
        } else if pct {
            (lo - 5.0, hi + 5.0)
        } else {
            padded([lo], (0.0, 1.0))
        };
        let (x0, x1) = room_both_sides(lo, hi, f64::from(lay.axis_w.max(1)), &right, &left);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(lay.margin_left)
            .margin_right(lay.margin_right)
            .margin_top(16)
            .x_label_area_size(x_area)
            .y_label_area_size(lay.y_area)
            .build_cartesian_2d(x0..x1, 0f64..n as f64)
            .map_err(e2s)?;
        let nx = 10;
        let dx = tick_decimals(&ticks(x0, x1, nx));
        // on a percentage axis, no ticks beyond 0% and 100% (the axis may reach past them to
        // make room for labels)
        let in_range = |v: f64| !pct || (-1e-9..=100.0 + 1e-9).contains(&v);
        themed_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(nx)
            .x_desc(self.z.label.as_str())
            .x_label_formatter(&|v| if in_range(*v) { num(*v, dx, pct) } else { String::new() })
            .draw()
            .map_err(e2s)?;
        let (_, py) = chart.plotting_area().get_pixel_range();
        let row_px = f64::from(py.end - py.start) / n as f64;
        let bar_h = (row_px * 0.64).clamp(4.0, 56.0).round() as i32;
        let px = |v: f64| chart.backend_coord(&(v, 0.0)).0;
        let bx = px(base);
        let anchor_l = Pos::new(HPos::Left, VPos::Center);
        let anchor_r = Pos::new(HPos::Right, VPos::Center);
        for (j, (r, (lt, ht))) in rows.iter().zip(&texts).enumerate() {
            let cy = chart.backend_coord(&(x0, n as f64 - j as f64 - 0.5)).1;
            root.draw(&Text::new(
                labels[j].clone(),
                (
                    lay.margin_left as i32 + lay.y_area as i32 - 14 + plot.get_base_pixel().0,
                    cy,
                ),
                label_style.pos(anchor_r),
            ))
            .map_err(e2s)?;
            let (top, bottom) = (cy - bar_h / 2, cy - bar_h / 2 + bar_h);
            // (end, colour, bar top, bar bottom, whisker height)
            let parts = if r.stacked() {
                [
                    (r.low, LOW, top, cy, (top + cy) / 2),
                    (r.high, HIGH, cy, bottom, (cy + bottom) / 2),
                ]
            } else {
                // whiskers that would overlap are drawn a little apart
                let apart = r.low.1.max(r.high.1) <= r.low.2.min(r.high.2);
                let d = if apart { (bar_h / 6).max(3) } else { 0 };
                [(r.low, LOW, top, bottom, cy - d), (r.high, HIGH, top, bottom, cy + d)]
            };
            for (end, color, t, b, _) in parts {
                let (a, e) = (bx.min(px(end.0)), bx.max(px(end.0)));
                root.draw(&Rectangle::new([(a, t), (e.max(a + 1), b)], color.filled()))
                    .map_err(e2s)?;
            }
            for (end, _, t, b, wy) in parts {
                let cap = ((b - t) / 4)
                    .clamp(3, 8)
                    .min(if wy == cy { 8 } else { (wy - cy).abs() });
                whisker(root, px(end.1), px(end.2), wy, cap)?;
            }
            let gap = gap as i32;
            if r.stacked() {
                let dy = (bar_h / 4).max((f64::from(value_size) * 0.6).ceil() as i32);
                for (t, y) in [(lt, cy - dy), (ht, cy + dy)] {
                    let (x, pos) = match r.low_side {
                        Side::Right => (px(r.max) + gap, anchor_l),
                        Side::Left => (px(r.min) - gap, anchor_r),
                    };
                    root.draw(&Text::new(t.clone(), (x, y), value_style.pos(pos)))
                        .map_err(e2s)?;
                }
            } else {
                for (side, t) in [(r.low_side, lt), (r.high_side, ht)] {
                    let (x, pos) = match side {
                        Side::Right => (px(r.max) + gap, anchor_l),
                        Side::Left => (px(r.min) - gap, anchor_r),
                    };
                    root.draw(&Text::new(t.clone(), (x, cy), value_style.pos(pos)))
                        .map_err(e2s)?;
                }
            }
        }
        root.draw(&PathElement::new(
            vec![(bx, py.start), (bx, py.end)],
            INK.stroke_width(3),
        ))
        .map_err(e2s)?;
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// grouped bars

/// The data of [`grouped_bars`].
struct Grouped<'a> {
    f: &'a Frame,
    y: &'a Axis,
    names: &'a [String],
    bars: &'a [GroupedBar],
}

/// Height of a group heading relative to a category row (at most 40 pixels).
const HEADING: f64 = 0.8;

/// Height of the band holding the value axis' title under the columns, pixels.
const DESC_H: u32 = 44;

/// Splits `sizes` into at most `parts` consecutive runs minimising the largest sum; returns the
/// index where each run starts.
fn partition(sizes: &[f64], parts: usize) -> Vec<usize> {
    let n = sizes.len();
    let parts = parts.clamp(1, n.max(1));
    let sum = |a: usize, b: usize| sizes[a..b].iter().sum::<f64>();
    // best[p][i]: smallest largest sum splitting the first i sizes into p runs; from[p][i]: start
    // of the last run
    let mut best = vec![vec![f64::INFINITY; n + 1]; parts + 1];
    let mut from = vec![vec![0; n + 1]; parts + 1];
    best[0][0] = 0.0;
    for p in 1..=parts {
        for i in 1..=n {
            for s in (p - 1)..i {
                let v = best[p - 1][s].max(sum(s, i));
                if v <= best[p][i] {
                    best[p][i] = v;
                    from[p][i] = s;
                }
            }
        }
    }
    let p = (1..=parts)
        .min_by(|a, b| best[*a][n].total_cmp(&best[*b][n]).then(a.cmp(b)))
        .unwrap_or(1);
    let mut starts = vec![];
    let (mut p, mut i) = (p, n);
    while p > 0 {
        let s = from[p][i];
        starts.push(s);
        i = s;
        p -= 1;
    }
    starts.reverse();
    starts
}

impl Plot for Grouped<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), String> {
        let plot = framed(root, self.f)?;
        let m = self.names.len();
        let items: Vec<(Mark, String)> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, s)| (Mark::Box(series_color(i)), s.clone()))
            .collect();
        let plot = with_legend(plot, &items)?;
        if self.bars.is_empty() || m == 0 {
            return nothing(&plot, "No values to show.");
        }
        // groups in order of first appearance, each with its categories in order
        let mut groups: Vec<(&str, Vec<&GroupedBar>)> = vec![];
        for b in self.bars {
            match groups.iter_mut().find(|(g, _)| *g == b.group) {
                Some((_, v)) => v.push(b),
                None => groups.push((&b.group, vec![b])),
            }
        }
        let k = unit(self.y);
        let shown = |p: &Point| {
            let v = p.value.is_finite().then_some(k * p.value);
            let or = |u: f64| if u.is_finite() { k * u } else { k * p.value };
            v.map(|v| (v, or(p.lo).min(or(p.hi)).min(v), or(p.hi).max(or(p.lo)).max(v)))
        };
        let all: Vec<(f64, f64, f64)> = self
            .bars
            .iter()
            .flat_map(|b| b.values.iter().filter_map(shown))
            .collect();
        let (v0, v1) = if self.y.percent {
            let top = all.iter().map(|p| p.2).fold(0.0, f64::max);
            (0.0, pct_top(top * 1.02))
        } else {
            let (a, b) = padded(all.iter().flat_map(|p| [p.1, p.2]).chain([0.0]), (0.0, 1.0));
            (if all.iter().all(|p| p.1 >= 0.0) { 0.0 } else { a }, b)
        };
        // columns: as few as give every category row enough height for its bars; groups whole
        let x_area = 44;
        let avail = f64::from(plot.dim_in_pixel().1.saturating_sub(12 + x_area + DESC_H));
        let units: Vec<f64> = groups.iter().map(|(_, v)| HEADING + v.len() as f64).collect();
        let min_row = (11.0 * m as f64 + 10.0).max(30.0);
        let span = |starts: &[usize], c: usize| starts[c]..starts.get(c + 1).copied().unwrap_or(groups.len());
        let column_units = |starts: &[usize]| {
            (0..starts.len())
                .map(|c| units[span(starts, c)].iter().sum::<f64>())
                .fold(0.0, f64::max)
        };
        let max_cols = groups.len().min(4);
        let starts = (1..=max_cols)
            .map(|c| partition(&units, c))
            .find(|s| avail / column_units(s) >= min_row)
            .unwrap_or_else(|| partition(&units, max_cols));
        // row and heading heights (pixels), neither grown past a comfortable size
        let r0 = avail / column_units(&starts);
        let head_px = (r0 * HEADING).min(40.0);
        let row_px = (0..starts.len())
            .map(|c| {
                let (heads, cats) = (
                    span(&starts, c).len() as f64,
                    units[span(&starts, c)].iter().sum::<f64>(),
                );
                let cats = cats - heads * HEADING;
                (avail - heads * head_px) / cats.max(1.0)
            })
            .fold(f64::INFINITY, f64::min)
            .min(24.0 * m as f64 + 26.0);
        let height = |c: usize| {
            let r = span(&starts, c);
            let cats: usize = groups[r.clone()].iter().map(|(_, v)| v.len()).sum();
            r.len() as f64 * head_px + cats as f64 * row_px
        };
        let total = (0..starts.len()).map(height).fold(0.0, f64::max);
        let (cols_area, rest) = plot.split_vertically(total.ceil() as u32 + 12 + x_area);
        // the axis title once, centred under the columns
        let desc_text = shorten(&plot, &self.y.label, &text(24), LINE_WIDTH);
        rest.draw(&Text::new(
            desc_text,
            (rest.dim_in_pixel().0 as i32 / 2, DESC_H as i32 / 2),
            text(24).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(e2s)?;
        let columns = cols_area.split_evenly((1, starts.len()));
        let label_size = (row_px * 0.55).floor().clamp(12.0, 22.0) as u32;
        // one heading size for all: the largest (down to 17 px) at which every heading fits its
        // strip (the column less the 30 px left margin, 36 px right margin and 20 px padding)
        let room = columns
            .iter()
            .map(|c| c.dim_in_pixel().0)
            .min()
            .unwrap_or(0)
            .saturating_sub(86);
        let head_max = (head_px * 0.75).floor().clamp(12.0, 22.0) as u32;
        let head_size = (head_max.min(17)..=head_max)
            .rev()
            .find(|&size| groups.iter().all(|(g, _)| width_of(&plot, g, &bold(size)) <= room))
            .unwrap_or(head_max.min(17));
        let label_style = text(label_size);
        for (c, col) in columns.iter().enumerate() {
            let here = &groups[span(&starts, c)];
            let labels: Vec<String> = here
                .iter()
                .flat_map(|(_, v)| v.iter().map(|b| b.label.clone()))
                .collect();
            let max_label = col.dim_in_pixel().0 * 2 / 5;
            let labels: Vec<String> = labels
                .iter()
                .map(|l| shorten(col, l, &label_style, max_label - 30))
                .collect();
            let lay = label_layout(col, &labels, &label_style, 60, max_label);
            let axis_w = lay.axis_w + lay.margin_right - 36;
            let nx = ((axis_w / 110) as usize).clamp(3, 10);
            let dx = tick_decimals(&ticks(v0, v1, nx));
            let pct = self.y.percent;
            let mut chart = ChartBuilder::on(col)
                .margin_left(lay.margin_left)
                .margin_right(36)
                .margin_top(12)
                .x_label_area_size(x_area)
                .y_label_area_size(lay.y_area)
                .build_cartesian_2d(v0..v1, 0f64..total)
                .map_err(e2s)?;
            themed_mesh(&mut chart.configure_mesh())
                .disable_y_mesh()
                .y_labels(0)
                .x_labels(nx)
                .x_label_formatter(&|v| num(*v, dx, pct))
                .draw()
                .map_err(e2s)?;
            let (px, _) = chart.plotting_area().get_pixel_range();
            let strip_left = col.get_base_pixel().0 + lay.margin_left as i32;
            // the pixel row `u` layout pixels below the top of the plot, and the pixel column of a
            // value (clamped to the axis)
            let at = |u: f64| chart.backend_coord(&(v0, total - u)).1;
            let x = |v: f64| chart.backend_coord(&(v.clamp(v0, v1), 0.0)).0;
            let zero = x(0.0);
            let thick = ((row_px * 0.8) / m as f64).clamp(3.0, 24.0);
            let mut u = 0.0;
            let mut labels = labels.into_iter();
            for (g, (name, cats)) in here.iter().enumerate() {
                // heading strip over the label area and the plot
                let (t, b) = (at(u) + if g == 0 { 0 } else { 6 }, at(u + head_px) - 1);
                root.draw(&Rectangle::new(
                    [(strip_left, t), (px.end, b)],
                    RGBColor(236, 236, 236).filled(),
                ))
                .map_err(e2s)?;
                let room = (px.end - strip_left - 20).max(0) as u32;
                let head = shorten(col, name, &bold(head_size), room);
                root.draw(&Text::new(
                    head,
                    (strip_left + 10, (t + b) / 2),
                    bold(head_size).pos(Pos::new(HPos::Left, VPos::Center)),
                ))
                .map_err(e2s)?;
                u += head_px;
                for bar in cats {
                    let cy = (at(u) + at(u + row_px)) / 2;
                    let label = labels.next().unwrap_or_default();
                    root.draw(&Text::new(
                        label,
                        (px.start - 12, cy),
                        label_style.pos(Pos::new(HPos::Right, VPos::Center)),
                    ))
                    .map_err(e2s)?;
                    for (i, p) in bar.values.iter().enumerate() {
                        let top = (f64::from(cy) - thick * m as f64 / 2.0 + thick * i as f64).round() as i32;
                        let bottom = (f64::from(cy) - thick * m as f64 / 2.0 + thick * (i + 1) as f64).round() as i32;
                        let mid = (top + bottom) / 2;
                        match shown(p) {
                            Some((v, lo, hi)) => {
                                let e = x(v);
                                root.draw(&Rectangle::new(
                                    [(zero.min(e), top + 1), (zero.max(e).max(zero.min(e) + 1), bottom - 1)],
                                    series_color(i).filled(),
                                ))
                                .map_err(e2s)?;
                                whisker(root, x(lo), x(hi), mid, ((bottom - top) / 3).clamp(2, 6))?;
                            }
                            None => {
                                let size = (thick as u32 + 4).clamp(10, 16);
                                let grey = RGBColor(110, 110, 110);
                                let style = text(size).color(&grey).pos(Pos::new(HPos::Left, VPos::Center));
                                root.draw(&Text::new("no value", (zero + 6, mid), style)).map_err(e2s)?;
                            }
                        }
                    }
                    u += row_px;
                }
            }
            if v0 < 0.0 {
                let (_, py) = chart.plotting_area().get_pixel_range();
                root.draw(&PathElement::new(
                    vec![(zero, py.start), (zero, py.end)],
                    RGBColor(120, 120, 120).stroke_width(2),
                ))
                .map_err(e2s)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(stem: &str) -> Frame {
        Frame {
            stem: stem.into(),
            title: "How the war cost moves the odds of a deal".into(),
            subtitle: "P(agreement within 2 years) against actor.RU.war_cost; bands: 95% intervals".into(),
            caption: "armistice · scenario ru-ua-2025 · 2,000 runs · seed 42".into(),
        }
    }

    fn pct(label: &str) -> Axis {
        Axis {
            label: label.into(),
            percent: true,
        }
    }

    fn plain(label: &str) -> Axis {
        Axis {
            label: label.into(),
            percent: false,
        }
    }

    /// A probability `p` with a ±`w` interval, clamped to [0, 1].
    fn point(x: f64, p: f64, w: f64) -> Point {
        Point {
            x,
            value: p,
            lo: (p - w).max(0.0),
            hi: (p + w).min(1.0),
        }
    }

    fn sweep() -> Vec<Series> {
        let xs = [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007];
        vec![
            Series {
                name: "ru-ua-2025".into(),
                points: xs
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| point(x, 0.2 + 0.09 * i as f64, 0.03))
                    .collect(),
            },
            Series {
                name: "ru-ua-2025-guarantees".into(),
                points: xs
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| point(x, 0.3 + 0.1 * i as f64, 0.025))
                    .collect(),
            },
        ]
    }

    fn grid() -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let xs: Vec<f64> = vec![0.5, 1.0, 1.5, 2.0, 2.5];
        let ys: Vec<f64> = vec![0.1, 0.2, 0.3, 0.4, 0.5];
        let values = ys
            .iter()
            .map(|y| xs.iter().map(|x| (0.1 + 0.25 * x * y + 0.3 * y).min(1.0)).collect())
            .collect();
        (xs, ys, values)
    }

    fn tornado_bars(n: usize) -> Vec<TornadoBar> {
        let names = [
            "actor.UA.red_lines.2.binding",
            "actor.RU.war_cost",
            "actor.UA.war_cost",
            "actor.RU.discount",
            "actor.US.leverage.sanctions_relief",
            "issue.territory.salience.RU",
            "actor.EU.capability",
            "actor.UA.reservation_utility",
            "event.front_collapse.probability",
            "actor.RU.beliefs.UA.resolve",
            "issue.guarantees.salience.UA",
            "ratification.UA.threshold",
        ];
        (0..n)
            .map(|i| {
                let swing = 0.3 / (1.0 + i as f64);
                let (lo, hi) = if i % 3 == 1 {
                    (0.45 + swing, 0.45 - swing)
                } else {
                    (0.45 - swing, 0.45 + swing * 0.7)
                };
                TornadoBar {
                    label: names[i % names.len()].into(),
                    low: point(0.0, lo, 0.02),
                    high: point(0.0, hi, 0.02),
                    low_param: 0.001 * (1 + i) as f64,
                    high_param: 0.0125 * (1 + i) as f64,
                }
            })
            .collect()
    }

    fn issues() -> (Vec<String>, Vec<GroupedBar>) {
        let groups = [
            "Territory",
            "Security guarantees for Ukraine",
            "Sanctions relief",
            "Military neutrality",
            "Reparations and frozen assets",
        ];
        let mut bars = vec![];
        for (g, title) in groups.iter().enumerate() {
            for o in 0..5 {
                let a = (0.05 + 0.07 * ((g + 2 * o) % 6) as f64).min(1.0);
                let b = (a * 1.3 + 0.02).min(1.0);
                bars.push(GroupedBar {
                    group: (*title).into(),
                    label: format!("{}{}", &title[..1], o + 1),
                    values: vec![point(0.0, a, 0.03), point(0.0, b, 0.035)],
                });
            }
        }
        (vec!["ru-ua-2025".into(), "ru-ua-2025-guarantees".into()], bars)
    }

    fn written(dir: &Path, stem: &str, out: &[String]) {
        assert_eq!(out, [format!("charts/{stem}.png"), format!("charts/{stem}.svg")]);
        for ext in ["png", "svg"] {
            let len = std::fs::metadata(dir.join(format!("{stem}.{ext}"))).map_or(0, |m| m.len());
            assert!(len > 0, "{stem}.{ext} is missing or empty");
        }
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        assert!(
            !svg.contains("font-family=\"sans-serif\""),
            "the SVG names DejaVu Sans first"
        );
    }

    #[test]
    fn line_bands_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let x = plain("actor.RU.war_cost (utility per round)");
        let y = pct("Probability of agreement within 2 years");
        let out = line_bands(dir.path(), &frame("sweep"), &x, &y, &sweep()).unwrap();
        written(dir.path(), "sweep", &out);
        // a single series of a single point
        let one = [Series {
            name: "only".into(),
            points: vec![point(3.0, 0.5, 0.1)],
        }];
        let out = line_bands(dir.path(), &frame("one"), &x, &y, &one).unwrap();
        written(dir.path(), "one", &out);
    }

    #[test]
    fn heatmap_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let (xs, ys, mut values) = grid();
        values[2][3] = f64::NAN;
        let out = heatmap(
            dir.path(),
            &frame("grid"),
            &plain("actor.RU.war_cost"),
            &plain("actor.UA.discount"),
            &xs,
            &ys,
            &values,
            &pct("P(agreement)"),
        )
        .unwrap();
        written(dir.path(), "grid", &out);
    }

    #[test]
    fn heatmap_rejects_ragged_values() {
        let dir = tempfile::tempdir().unwrap();
        let (xs, ys, mut values) = grid();
        values[1].pop();
        let a = plain("a");
        assert!(heatmap(dir.path(), &frame("bad"), &a, &a, &xs, &ys, &values, &a).is_err());
        assert!(heatmap(dir.path(), &frame("bad"), &a, &a, &xs, &ys[1..], &values, &a).is_err());
    }

    #[test]
    fn tornado_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let out = tornado(
            dir.path(),
            &frame("tornado"),
            &pct("P(agreement within 2 years)"),
            0.45,
            &tornado_bars(12),
        )
        .unwrap();
        written(dir.path(), "tornado", &out);
    }

    #[test]
    fn grouped_bars_write_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let (names, bars) = issues();
        let out = grouped_bars(
            dir.path(),
            &frame("compare"),
            &pct("Share of agreements"),
            &names,
            &bars,
        )
        .unwrap();
        written(dir.path(), "compare", &out);
        let mut bad = bars.clone();
        bad[3].values.pop();
        assert!(grouped_bars(dir.path(), &frame("bad"), &pct("x"), &names, &bad).is_err());
    }

    #[test]
    fn degenerate_inputs_still_render() {
        let dir = tempfile::tempdir().unwrap();
        let (p, a) = (pct("P(agreement)"), plain("x"));
        let nan = Point {
            x: f64::NAN,
            value: f64::NAN,
            lo: f64::NAN,
            hi: f64::NAN,
        };
        let cases: Vec<(&str, anyhow::Result<Vec<String>>)> = vec![
            ("lines-none", line_bands(dir.path(), &frame("lines-none"), &a, &p, &[])),
            (
                "lines-nan",
                line_bands(
                    dir.path(),
                    &frame("lines-nan"),
                    &a,
                    &p,
                    &[Series {
                        name: "a".into(),
                        points: vec![nan],
                    }],
                ),
            ),
            (
                "lines-equal",
                line_bands(
                    dir.path(),
                    &frame("lines-equal"),
                    &a,
                    &a,
                    &[Series {
                        name: "a".into(),
                        points: (0..5).map(|i| point(f64::from(i), 0.5, 0.0)).collect(),
                    }],
                ),
            ),
            (
                "heat-empty",
                heatmap(dir.path(), &frame("heat-empty"), &a, &a, &[], &[], &[], &p),
            ),
            (
                "heat-nan",
                heatmap(
                    dir.path(),
                    &frame("heat-nan"),
                    &a,
                    &a,
                    &[1.0, 2.0],
                    &[1.0],
                    &[vec![f64::NAN, f64::INFINITY]],
                    &p,
                ),
            ),
            (
                "tornado-none",
                tornado(dir.path(), &frame("tornado-none"), &p, 0.5, &[]),
            ),
            (
                "tornado-flat",
                tornado(
                    dir.path(),
                    &frame("tornado-flat"),
                    &p,
                    f64::NAN,
                    &[TornadoBar {
                        label: "actor.RU.war_cost".into(),
                        low: nan,
                        high: point(0.0, 0.5, 0.0),
                        low_param: f64::NAN,
                        high_param: 2e-6,
                    }],
                ),
            ),
            (
                "grouped-none",
                grouped_bars(dir.path(), &frame("grouped-none"), &p, &[], &[]),
            ),
        ];
        for (stem, out) in cases {
            written(dir.path(), stem, &out.unwrap());
        }
    }

    #[test]
    fn stems_must_be_plain_file_names() {
        let dir = tempfile::tempdir().unwrap();
        for stem in ["", "..", "a/b"] {
            let y = pct("p");
            assert!(line_bands(dir.path(), &frame(stem), &y, &y, &sweep()).is_err());
        }
    }

    #[test]
    fn numbers_print_as_intended() {
        assert_eq!(sig(0.003), "0.003");
        assert_eq!(sig(0.0125), "0.0125");
        assert_eq!(sig(12.345), "12.3");
        assert_eq!(sig(1500.0), "1500");
        assert_eq!(sig(-0.5), "-0.5");
        assert_eq!(sig(0.0), "0");
        assert_eq!(sig(f64::NAN), "–");
        assert_eq!(num(-0.0001, 1, true), "0.0%");
        assert_eq!(
            value_labels(&[0.001, 0.002, 0.0035], false),
            ["0.0010", "0.0020", "0.0035"]
        );
        assert_eq!(value_labels(&[0.1, 0.25], true), ["10%", "25%"]);
        assert_eq!(value_labels(&[0.1, 0.125], true), ["10.0%", "12.5%"]);
        assert_eq!(value_labels(&[1.0, 2.0], false), ["1", "2"]);
        assert_eq!(tick_decimals(&[0.0, 0.5, 1.0]), 1);
        assert_eq!(tick_decimals(&[0.0, 20.0, 40.0]), 0);
        assert_eq!(nice_up(42.0), 50.0);
        assert_eq!(nice_up(2.1), 2.5);
    }

    #[test]
    fn partition_balances_columns_without_splitting_groups() {
        assert_eq!(partition(&[5.8, 5.8, 5.8, 5.8, 5.8], 2), [0, 3]);
        assert_eq!(partition(&[3.0], 3), [0]);
        assert_eq!(partition(&[1.0, 1.0, 8.0], 2), [0, 2]);
    }

    #[test]
    fn room_both_sides_makes_room_for_labels() {
        // a label of 100 px right of x = 1 on a 1000 px axis spanning 0..1
        let (x0, x1) = room_both_sides(0.0, 1.0, 1000.0, &[(1.0, 100.0)], &[(0.0, 50.0)]);
        let px = |v: f64| (v - x0) / (x1 - x0) * 1000.0;
        assert!(px(1.0) + 100.0 <= 1000.0 + 1e-6);
        assert!(px(0.0) - 50.0 >= -1e-6);
    }
}
