//! The line chart of a sweep (and of two scenarios' cumulative agreement): lines with markers
//! and translucent 95% bands.

use super::analysis::{Axis, Frame, Point, framed, nothing, num, padded, pct_top, tick_decimals, ticks, unit};
use super::marks::{Mark, marker, series_color, with_legend};
use super::render::{ChartError, DrawError, Plot, draw_err, render};
use super::theme::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::Path;

/// One line of a line chart.
#[derive(Debug, Clone)]
pub struct Series {
    /// Name shown in the legend (e.g. a scenario id).
    pub name: String,
    /// The points, in any order (drawn sorted by `x`); points with a non-finite `x` or `value`
    /// are left out, a non-finite `lo` / `hi` is taken as `value`.
    pub points: Vec<Point>,
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
pub fn line_bands(dir: &Path, f: &Frame, x: &Axis, y: &Axis, series: &[Series]) -> Result<Vec<String>, ChartError> {
    render(dir, &f.stem, &Lines { f, x, y, series })
}

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
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
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
            .map_err(draw_err)?;
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
            .map_err(draw_err)?;
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
                    .map_err(draw_err)?;
            }
        }
        for (i, pts) in data.iter().enumerate() {
            let c = series_color(i);
            if pts.len() >= 2 {
                chart
                    .draw_series(LineSeries::new(pts.iter().map(|p| (p.0, p.1)), c.stroke_width(4)))
                    .map_err(draw_err)?;
            } else if let Some(p) = pts.first() {
                // a single point: its interval as a vertical whisker
                let (x, lo) = chart.backend_coord(&(p.0, p.2));
                let (_, hi) = chart.backend_coord(&(p.0, p.3));
                root.draw(&PathElement::new(vec![(x, lo), (x, hi)], c.stroke_width(3)))
                    .map_err(draw_err)?;
                for y in [lo, hi] {
                    root.draw(&PathElement::new(vec![(x - 10, y), (x + 10, y)], c.stroke_width(3)))
                        .map_err(draw_err)?;
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
