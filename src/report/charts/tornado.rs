//! The tornado chart of a one-at-a-time sensitivity analysis.

use super::analysis::{
    Axis, Frame, Point, framed, nothing, num, padded, shorten, sig, tick_decimals, ticks, unit, width_of,
};
use super::marks::{Mark, whisker, with_legend};
use super::render::{ChartError, DrawError, Plot, draw_err, render};
use super::theme::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

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
pub fn tornado(dir: &Path, f: &Frame, z: &Axis, baseline: f64, bars: &[TornadoBar]) -> Result<Vec<String>, ChartError> {
    render(dir, &f.stem, &Tornado { f, z, baseline, bars })
}

/// The 10th-percentile colour of a tornado chart (blue).
const LOW: RGBColor = PALETTE[0];
/// The 90th-percentile colour of a tornado chart (orange).
const HIGH: RGBColor = PALETTE[1];

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

/// Room between a value label and what it labels, pixels.
const GAP: f64 = 10.0;

/// The labels' room on each side: (anchor, pixels needed) right and left of the rows, for
/// [`room_both_sides`]; `w` is the room a label text needs.
type Room = Vec<(f64, f64)>;

/// Where each row's value labels stand and the room they need (`w`).
fn label_room(rows: &[Row], texts: &[(String, String)], w: impl Fn(&str) -> f64) -> (Room, Room) {
    let (mut right, mut left) = (vec![], vec![]);
    for (r, (lt, ht)) in rows.iter().zip(texts) {
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
    (right, left)
}

/// The value axis' range before making room for labels: the rows' extent padded 2% (± 5 points
/// or ± 10% when flat).
fn value_range(rows: &[Row], pct: bool) -> (f64, f64) {
    let lo = rows.iter().map(|r| r.min).fold(f64::INFINITY, f64::min);
    let hi = rows.iter().map(|r| r.max).fold(f64::NEG_INFINITY, f64::max);
    if hi - lo > 1e-12 * hi.abs().max(1.0) {
        let pad = (hi - lo) * 0.02;
        (lo - pad, hi + pad)
    } else if pct {
        (lo - 5.0, hi + 5.0)
    } else {
        padded([lo], (0.0, 1.0))
    }
}

/// How one row's bar is drawn: its centre `cy`, thickness `bar_h`, the baseline's pixel column
/// `bx`, and the value labels' style and size.
struct BarRow<'s> {
    cy: i32,
    bar_h: i32,
    bx: i32,
    value_style: &'s TextStyle<'s>,
    value_size: u32,
}

impl BarRow<'_> {
    /// Draws row `r`'s two parts, their whiskers and the labels `lt` / `ht` of the 10th and 90th
    /// percentile; `px` is the pixel column of a value.
    fn draw<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        r: &Row,
        (lt, ht): (&String, &String),
        px: &impl Fn(f64) -> i32,
    ) -> Result<(), DrawError> {
        let (cy, bar_h, bx) = (self.cy, self.bar_h, self.bx);
        let anchor_l = Pos::new(HPos::Left, VPos::Center);
        let anchor_r = Pos::new(HPos::Right, VPos::Center);
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
                .map_err(draw_err)?;
        }
        for (end, _, t, b, wy) in parts {
            let cap = ((b - t) / 4)
                .clamp(3, 8)
                .min(if wy == cy { 8 } else { (wy - cy).abs() });
            whisker(root, px(end.1), px(end.2), wy, cap)?;
        }
        let gap = GAP as i32;
        if r.stacked() {
            let dy = (bar_h / 4).max((f64::from(self.value_size) * 0.6).ceil() as i32);
            for (t, y) in [(lt, cy - dy), (ht, cy + dy)] {
                let (x, pos) = match r.low_side {
                    Side::Right => (px(r.max) + gap, anchor_l),
                    Side::Left => (px(r.min) - gap, anchor_r),
                };
                root.draw(&Text::new(t.clone(), (x, y), self.value_style.pos(pos)))
                    .map_err(draw_err)?;
            }
        } else {
            for (side, t) in [(r.low_side, lt), (r.high_side, ht)] {
                let (x, pos) = match side {
                    Side::Right => (px(r.max) + gap, anchor_l),
                    Side::Left => (px(r.min) - gap, anchor_r),
                };
                root.draw(&Text::new(t.clone(), (x, cy), self.value_style.pos(pos)))
                    .map_err(draw_err)?;
            }
        }
        Ok(())
    }
}

impl Tornado<'_> {
    /// The legend: the two colours and the baseline with its value (`base`, in display units).
    fn legend(&self, base: f64) -> Vec<(Mark, String)> {
        let base_text = if !self.baseline.is_finite() {
            "–".to_string()
        } else if self.z.percent {
            num(base, 1, true)
        } else {
            sig(base)
        };
        vec![
            (Mark::Box(LOW), "low value (10th percentile, or never)".to_string()),
            (Mark::Box(HIGH), "high value (90th percentile, or always)".to_string()),
            (Mark::Rule, format!("every parameter drawn as usual: {base_text}")),
        ]
    }
}

impl Plot for Tornado<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let plot = framed(root, self.f)?;
        let k = unit(self.z);
        let pct = self.z.percent;
        let base = if self.baseline.is_finite() {
            k * self.baseline
        } else {
            0.0
        };
        let plot = with_legend(plot, &self.legend(base))?;
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
        let w = |s: &str| f64::from(width_of(&plot, s, &value_style)) + GAP + 14.0;
        let (right, left) = label_room(&rows, &texts, w);
        let (lo, hi) = value_range(&rows, pct);
        let (x0, x1) = room_both_sides(lo, hi, f64::from(lay.axis_w.max(1)), &right, &left);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(lay.margin_left)
            .margin_right(lay.margin_right)
            .margin_top(16)
            .x_label_area_size(x_area)
            .y_label_area_size(lay.y_area)
            .build_cartesian_2d(x0..x1, 0f64..n as f64)
            .map_err(draw_err)?;
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
            .map_err(draw_err)?;
        let (_, py) = chart.plotting_area().get_pixel_range();
        let row_px = f64::from(py.end - py.start) / n as f64;
        let bar_h = (row_px * 0.64).clamp(4.0, 56.0).round() as i32;
        let px = |v: f64| chart.backend_coord(&(v, 0.0)).0;
        let bx = px(base);
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
            .map_err(draw_err)?;
            let bar = BarRow {
                cy,
                bar_h,
                bx,
                value_style: &value_style,
                value_size,
            };
            bar.draw(root, r, (lt, ht), &px)?;
        }
        root.draw(&PathElement::new(
            vec![(bx, py.start), (bx, py.end)],
            INK.stroke_width(3),
        ))
        .map_err(draw_err)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn room_both_sides_makes_room_for_labels() {
        // a label of 100 px right of x = 1 on a 1000 px axis spanning 0..1
        let (x0, x1) = room_both_sides(0.0, 1.0, 1000.0, &[(1.0, 100.0)], &[(0.0, 50.0)]);
        let px = |v: f64| (v - x0) / (x1 - x0) * 1000.0;
        assert!(px(1.0) + 100.0 <= 1000.0 + 1e-6);
        assert!(px(0.0) - 50.0 >= -1e-6);
    }
}
