//! The most frequent agreed packages with 95% Wilson intervals (horizontal bars), the Nash
//! bargaining package tagged when it is among them.

use super::issues::truncate;
use super::render::{DrawError, draw_err};
use super::theme::*;
use crate::report::table::pct;
use crate::stats::Summary;
use crate::stats::summary::PackageRow;
use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The top-packages chart.
pub struct Packages;

/// Packages shown at most.
pub const TOP: usize = 10;

/// Widest text line under the title and in the plot (pixels): the chart width less the margins.
pub const LINE_WIDTH: u32 = SIZE.0 - 80;

/// The first of `candidates` whose width in `style` is at most `max` pixels (the last one if none
/// fits, the empty string if there are none).
pub fn first_fitting<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    candidates: &[String],
    style: &TextStyle,
    max: u32,
) -> String {
    candidates
        .iter()
        .find(|c| area.estimate_text_size(c, style).is_ok_and(|(w, _)| w <= max))
        .or(candidates.last())
        .cloned()
        .unwrap_or_default()
}

/// The smallest `r ≥ lo` such that a label of `label_w` pixels, drawn `gap` pixels right of the
/// value `x` on an axis `0..r` of `w` pixels, stays inside the axis; `cap` bounds the answer.
pub fn room_for_labels(lo: f64, w: u32, gap: u32, values: &[(f64, u32)], cap: f64) -> f64 {
    let w = f64::from(w.max(1));
    let mut r = lo;
    for &(x, label_w) in values {
        if !x.is_finite() || x <= 0.0 {
            continue;
        }
        let free = (w - f64::from(gap) - f64::from(label_w)).max(w / 3.0);
        r = r.max(x * w / free);
    }
    r.min(cap)
}

/// Segments of a category axis showing `n` rows: `n`, or 3 for a single row (drawn in the middle,
/// so that the axis never spans zero width).
pub fn segments(n: usize) -> usize {
    if n <= 1 { 3 } else { n }
}

/// The segment of row `j` of `n` (row 0 at the top).
pub fn segment_of(j: usize, n: usize) -> usize {
    if n <= 1 { 1 } else { n - 1 - j }
}

/// The row drawn in segment `i` of a chart of `n` rows, if any.
pub fn row_at(i: usize, n: usize) -> Option<usize> {
    if n <= 1 {
        (n == 1 && i == 1).then_some(0)
    } else {
        (i < n).then(|| n - 1 - i)
    }
}

/// Top and bottom margin of a bar in a row of a `height`-pixel axis of `n` rows: at least `min`,
/// and the bar at most `max_bar` pixels thick.
pub fn bar_margin(height: u32, n: usize, min: u32, max_bar: u32) -> u32 {
    let row = height / segments(n) as u32;
    (row.saturating_sub(max_bar) / 2).max(min)
}

/// Rounds a positive percentage axis maximum up to a multiple of 2 (of 5 above 20, of 10 above 50).
fn nice_pct(x: f64) -> f64 {
    let step = if x > 50.0 {
        10.0
    } else if x > 20.0 {
        5.0
    } else {
        2.0
    };
    ((x / step).ceil() * step).clamp(step, 100.0)
}

/// "1st", "2nd", "3rd", "4th", … "11th", "12th", "13th", "21st".
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Room between a bar's whisker and its label, and between the value and the "Nash" tag (pixels).
const GAP: u32 = 12;
const TAG_GAP: u32 = 12;

/// The packages chart: values on a linear axis, one segment per package.
pub(super) type Bars<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, SegmentedCoord<RangedCoordusize>>>;

/// The subtitles to choose from (longest first): the agreements counted, how many packages are
/// shown, and where the Nash bargaining package stands.
fn subtitles(s: &Summary, agreements: u64, shown: usize, nash_shown: bool) -> Vec<String> {
    let nash = &s.baselines.nash;
    let head = format!(
        "Share of the {} agreements ending in each package, top {} of {} agreed, with 95% intervals",
        group_thousands(agreements),
        shown,
        group_thousands(s.packages.len() as u64)
    );
    let nash_pkg = nash.join(" · ");
    if agreements == 0 || shown == 0 {
        vec!["Share of agreements ending in each package of options".into()]
    } else if nash.is_empty() {
        vec![
            format!("{head}; no Nash bargaining package (no deal beats war for every actor)"),
            format!("{head}; no Nash bargaining package"),
        ]
    } else if nash_shown {
        vec![
            format!("{head}; the Nash bargaining package is among them"),
            format!("{head}; the Nash package is among them"),
        ]
    } else {
        vec![
            format!("{head}; the Nash bargaining package {nash_pkg} is not among them"),
            format!("{head}; the Nash bargaining package is not among them"),
            format!("{head}; the Nash package is not among them"),
        ]
    }
}

/// Splits a band for `note` (if any) off the bottom of `plot`, draws the note, returns the rest.
fn with_note<DB: DrawingBackend>(
    plot: DrawingArea<DB, Shift>,
    note: Option<&str>,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    match note {
        Some(note) => {
            let (bars, band) = plot.split_vertically(plot.dim_in_pixel().1.saturating_sub(36));
            band.draw_text(note, &text(20).color(&RGBColor(90, 90, 90)), (40, 4))
                .map_err(draw_err)?;
            Ok(bars)
        }
        None => Ok(plot),
    }
}

/// A bar's label: its value text and width, the whole label's width (with the tag), and whether
/// it is the Nash package (tagged).
struct BarLabel<'a> {
    value: &'a String,
    value_w: i32,
    w: i32,
    nash: bool,
}

impl BarLabel<'_> {
    /// Draws the label of the bar in segment `i` whose whisker spans the pixel columns `lo..hi`
    /// of an axis `axis_w` pixels wide: right of the whisker, or, if it has no room there, left
    /// of the whisker over the bar, on a white ground.
    fn draw<DB: DrawingBackend>(
        &self,
        chart: &mut Bars<DB>,
        (lo, hi): (i32, i32),
        axis_w: i32,
        i: usize,
    ) -> Result<(), DrawError> {
        let (value, value_w, w) = (self.value, self.value_w, self.w);
        let value_style = text(22);
        let tag_style = bold(22);
        let y = SegmentValue::CenterOf(i);
        let right = hi + GAP as i32;
        let (left, ground) = if right + w <= axis_w {
            (right, false)
        } else {
            ((lo - GAP as i32 - w).max(0), true)
        };
        let at = (0.0, y.clone());
        if ground {
            let h = 16;
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(at.clone())
                        + Rectangle::new([(left - 6, -h), (left + w + 6, h)], WHITE.mix(0.9).filled()),
                ))
                .map_err(draw_err)?;
        }
        let anchor = Pos::new(HPos::Left, VPos::Center);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(at.clone()) + Text::new(value.clone(), (left, 0), value_style.clone().pos(anchor)),
            ))
            .map_err(draw_err)?;
        if self.nash {
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(at)
                        + Text::new(
                            "Nash",
                            (left + value_w + TAG_GAP as i32, 0),
                            tag_style.clone().pos(anchor),
                        ),
                ))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}

impl Chart for Packages {
    fn name(&self) -> &'static str {
        "packages"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError> {
        let agreements = s.outcomes.first().map_or(0, |o| o.estimate.count);
        let top: Vec<&PackageRow> = s
            .packages
            .iter()
            .filter(|p| p.share_of_agreements.total > 0 && p.share_of_agreements.p.is_finite())
            .take(TOP)
            .collect();
        let nash = &s.baselines.nash;
        let is_nash = |p: &PackageRow| !nash.is_empty() && p.options == *nash;
        let nash_row = s.packages.iter().find(|p| is_nash(p));
        let nash_shown = top.iter().any(|p| is_nash(p));
        let nash_pkg = nash.join(" · ");
        let subs = subtitles(s, agreements, top.len(), nash_shown);
        let sub = first_fitting(root, &subs, &text(24), LINE_WIDTH);
        let plot = frame(root, "The most likely deals", &sub, s)?;
        if agreements == 0 || top.is_empty() {
            plot.draw_text(
                "No run reached an agreement: there are no packages to rank.",
                &text(28),
                (60, 200),
            )
            .map_err(draw_err)?;
            return Ok(());
        }
        let note = (!nash.is_empty() && !nash_shown).then(|| match nash_row {
            Some(p) => format!(
                "Nash bargaining package {}: {} of agreements ({} most frequent)",
                nash_pkg,
                pct(p.share_of_agreements.p, s.runs),
                ordinal(p.rank)
            ),
            None => format!("Nash bargaining package {nash_pkg}: never agreed in these runs"),
        });
        let plot = with_note(plot, note.as_deref())?;
        let n = top.len();
        let label_style = text(22);
        let value_style = text(22);
        let tag_style = bold(22);
        let labels: Vec<String> = top.iter().map(|p| truncate(&p.package, 60)).collect();
        let LabelLayout {
            y_area,
            margin_left,
            margin_right,
            axis_w,
        } = label_layout(&plot, &labels, &label_style, 160, 760);
        let tag_w = plot.estimate_text_size("Nash", &tag_style).map_or(60, |(w, _)| w);
        // per bar: its value text, and the width of the label (value, and the tag if any)
        let values: Vec<(String, u32, u32)> = top
            .iter()
            .map(|p| {
                let v = pct(p.share_of_agreements.p, s.runs);
                let vw = plot.estimate_text_size(&v, &value_style).map_or(80, |(w, _)| w);
                let w = vw + if is_nash(p) { TAG_GAP + tag_w } else { 0 };
                (v, vw, w)
            })
            .collect();
        let ends: Vec<(f64, u32)> = top
            .iter()
            .zip(&values)
            .map(|(p, v)| {
                let e = &p.share_of_agreements;
                (100.0 * e.ci_high.max(e.p), v.2)
            })
            .collect();
        let data_max = ends.iter().map(|(x, _)| *x).fold(0.0, f64::max);
        let xmax = nice_pct(room_for_labels(data_max * 1.05, axis_w, GAP, &ends, 100.0));
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(margin_left)
            .margin_right(margin_right)
            .margin_top(10)
            .x_label_area_size(70)
            .y_label_area_size(y_area)
            .build_cartesian_2d(0f64..xmax, (0..segments(n) - 1).into_segmented())
            .map_err(draw_err)?;
        themed_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .x_desc("Share of agreements (%)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_style(label_style.clone())
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => row_at(*i, n).map_or(String::new(), |j| labels[j].clone()),
                _ => String::new(),
            })
            .draw()
            .map_err(draw_err)?;
        let margin = bar_margin(chart.plotting_area().dim_in_pixel().1, n, 8, 90);
        let px = |x: f64| (f64::from(axis_w) * (x / xmax).clamp(0.0, 1.0)).round() as i32;
        for (j, p) in top.iter().enumerate() {
            let e = &p.share_of_agreements;
            let i = segment_of(j, n);
            let color = if is_nash(p) { PALETTE[1] } else { PALETTE[0] };
            let clip = |x: f64| if x.is_finite() { x.clamp(0.0, xmax) } else { 0.0 };
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (clip(100.0 * e.p), SegmentValue::Exact(i + 1)),
                ],
                color.mix(0.85).filled(),
            );
            bar.set_margin(margin, margin, 0, 0);
            chart.draw_series(std::iter::once(bar)).map_err(draw_err)?;
            let y = SegmentValue::CenterOf(i);
            let (lo, hi) = (clip(100.0 * e.ci_low), clip(100.0 * e.ci_high.max(e.p)));
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(lo, y.clone()), (hi, y.clone())],
                    INK.stroke_width(3),
                )))
                .map_err(draw_err)?;
            let label = BarLabel {
                value: &values[j].0,
                value_w: values[j].1 as i32,
                w: values[j].2 as i32,
                nash: is_nash(p),
            };
            label.draw(&mut chart, (px(lo), px(hi)), axis_w as i32, i)?;
        }
        Ok(())
    }
}
