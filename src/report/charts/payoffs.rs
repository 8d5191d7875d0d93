//! Realised discounted payoffs per actor: one horizontal box plot each (whiskers 10–90%, box
//! 25–75%, median line, mean point), quantiles read from the payoff histogram.

use super::issues::truncate;
use super::packages::{Bars, LINE_WIDTH, first_fitting, room_for_labels, row_at, segment_of, segments};
use super::render::{DrawError, draw_err};
use super::theme::*;
use crate::stats::Summary;
use crate::stats::aggregate::PAYOFF_BIN;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The payoff chart.
pub struct Payoffs;

/// The `q`-quantile of a histogram of (bin lower edge, count) in bins of `width`, as the middle of
/// the bin holding it (the rule of `summary.json`); `None` if the histogram holds nothing.
pub fn hist_quantile(h: &[(f64, u64)], q: f64, width: f64) -> Option<f64> {
    let mut bins: Vec<(f64, u64)> = h.iter().copied().filter(|(x, c)| x.is_finite() && *c > 0).collect();
    bins.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: u64 = bins.iter().map(|(_, c)| c).sum();
    if total == 0 || !q.is_finite() {
        return None;
    }
    let target = (q.clamp(0.0, 1.0) * total as f64).ceil().max(1.0) as u64;
    let mut acc = 0;
    for (x, c) in &bins {
        acc += c;
        if acc >= target {
            return Some(x + width / 2.0);
        }
    }
    bins.last().map(|(x, _)| x + width / 2.0)
}

/// The five numbers of one box: p10, p25, median, p75, p90.
fn five(h: &[(f64, u64)]) -> Option<[f64; 5]> {
    let q = |p| hist_quantile(h, p, PAYOFF_BIN);
    Some([q(0.1)?, q(0.25)?, q(0.5)?, q(0.75)?, q(0.9)?])
}

/// An actor's name short enough for the axis: a long name loses its parenthesis, then its tail.
fn short_name(name: &str, id: &str) -> String {
    let name = if name.trim().is_empty() { id } else { name };
    let name = match name.split_once(" (") {
        Some((head, _)) if name.chars().count() > 36 && !head.trim().is_empty() => head,
        _ => name,
    };
    truncate(name, 40)
}

/// A padded axis range around the finite `values` (±0.1 around a single value; 0..1 if none).
pub fn padded_range(values: impl IntoIterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    if span < 1e-9 {
        return (lo - 0.1, hi + 0.1);
    }
    let pad = span * 0.05;
    (lo - pad, hi + pad)
}

/// Draws the box plot of the quantiles `q` (10th, 25th, 50th, 75th, 90th percentile) and the
/// `mean` in segment `i`: the box `half` pixels high each side of the centre, inset `margin`.
fn draw_box<DB: DrawingBackend>(
    chart: &mut Bars<DB>,
    i: usize,
    q: &[f64; 5],
    mean: Option<f64>,
    (half, margin): (i32, u32),
) -> Result<(), DrawError> {
    let blue = PALETTE[0];
    let y = SegmentValue::CenterOf(i);
    let [p10, p25, med, p75, p90] = *q;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(p10, y.clone()), (p90, y.clone())],
            INK.stroke_width(2),
        )))
        .map_err(draw_err)?;
    for x in [p10, p90] {
        let cap = half / 2;
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((x, y.clone())) + PathElement::new(vec![(0, -cap), (0, cap)], INK.stroke_width(2)),
            ))
            .map_err(draw_err)?;
    }
    for style in [blue.mix(0.35).filled(), blue.stroke_width(2)] {
        let mut r = Rectangle::new(
            [(p25, SegmentValue::Exact(i)), (p75, SegmentValue::Exact(i + 1))],
            style,
        );
        r.set_margin(margin, margin, 0, 0);
        chart.draw_series(std::iter::once(r)).map_err(draw_err)?;
    }
    chart
        .draw_series(std::iter::once(
            EmptyElement::at((med, y.clone())) + PathElement::new(vec![(0, -half), (0, half)], INK.stroke_width(4)),
        ))
        .map_err(draw_err)?;
    if let Some(m) = mean {
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((m, y.clone()))
                    + Circle::new((0, 0), 8, WHITE.filled())
                    + Circle::new((0, 0), 8, INK.stroke_width(3)),
            ))
            .map_err(draw_err)?;
    }
    Ok(())
}

impl Chart for Payoffs {
    fn name(&self) -> &'static str {
        "payoffs"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError> {
        let subs = [
            "Discounted payoff each actor realises in a run, deal or war (utility units): box 25–75%, whiskers 10–90%, │ median, ○ mean".to_string(),
            "Realised discounted payoff per run (utility units): box 25–75%, whiskers 10–90%, │ median, ○ mean".to_string(),
        ];
        let sub = first_fitting(root, &subs, &text(24), LINE_WIDTH);
        let plot = frame(root, "Who gains", &sub, s)?;
        let rows: Vec<(String, [f64; 5], Option<f64>)> = s
            .actors
            .iter()
            .filter_map(|a| {
                let q = five(&a.histogram)?;
                let mean = Some(a.payoff_mean).filter(|m| m.is_finite());
                Some((short_name(&a.name, &a.id), q, mean))
            })
            .collect();
        if rows.is_empty() {
            plot.draw_text("No simulated runs: there are no payoffs to show.", &text(28), (60, 200))
                .map_err(draw_err)?;
            return Ok(());
        }
        let n = rows.len();
        let label_style = text(24);
        let value_style = text(20).color(&RGBColor(70, 70, 70));
        let names: Vec<&str> = rows.iter().map(|(name, _, _)| name.as_str()).collect();
        let LabelLayout {
            y_area,
            margin_left,
            margin_right,
            axis_w,
        } = label_layout(&plot, &names, &label_style, 120, 600);
        let values: Vec<String> = rows
            .iter()
            .map(|(_, q, mean)| match mean {
                Some(m) => format!("median {:.2} · mean {m:.2}", q[2]),
                None => format!("median {:.2}", q[2]),
            })
            .collect();
        let (lo, hi) = padded_range(
            rows.iter()
                .flat_map(|(_, q, mean)| q.iter().copied().chain(*mean))
                .chain([0.0]),
        );
        let gap = 16;
        let ends: Vec<(f64, u32)> = rows
            .iter()
            .zip(&values)
            .map(|((_, q, mean), v)| {
                let w = plot.estimate_text_size(v, &value_style).map_or(220, |(w, _)| w);
                (q[4].max(mean.unwrap_or(f64::NEG_INFINITY)) - lo, w)
            })
            .collect();
        let hi = lo + room_for_labels(hi - lo, axis_w, gap, &ends, f64::INFINITY);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(margin_left)
            .margin_right(margin_right)
            .margin_top(10)
            .x_label_area_size(70)
            .y_label_area_size(y_area)
            .build_cartesian_2d(lo..hi, (0..segments(n) - 1).into_segmented())
            .map_err(draw_err)?;
        let decimals = (-((hi - lo) / 5.0).log10().floor()).clamp(0.0, 6.0) as usize;
        themed_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .x_desc("Realised discounted payoff (utility units)")
            .x_label_formatter(&|x| {
                let x = if x.abs() < 1e-12 { 0.0 } else { *x };
                format!("{x:.decimals$}")
            })
            .y_label_style(label_style.clone())
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => row_at(*i, n).map_or(String::new(), |j| rows[j].0.clone()),
                _ => String::new(),
            })
            .draw()
            .map_err(draw_err)?;
        // reference line: payoff 0
        if lo < 0.0 && hi > 0.0 {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(segments(n)))],
                    RGBColor(120, 120, 120).stroke_width(2),
                )))
                .map_err(draw_err)?;
        }
        let row_h = chart.plotting_area().dim_in_pixel().1 / segments(n) as u32;
        let box_h = (row_h * 2 / 5).clamp(8, 70);
        let margin = (row_h.saturating_sub(box_h) / 2).max(1);
        let half = box_h as i32 / 2;
        for (j, (_, q, mean)) in rows.iter().enumerate() {
            let i = segment_of(j, n);
            let y = SegmentValue::CenterOf(i);
            draw_box(&mut chart, i, q, *mean, (half, margin))?;
            let (end, _) = ends[j];
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((lo + end, y.clone()))
                        + Text::new(
                            values[j].clone(),
                            (gap as i32, 0),
                            value_style.clone().pos(Pos::new(HPos::Left, VPos::Center)),
                        ),
                ))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
