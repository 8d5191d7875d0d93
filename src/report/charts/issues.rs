//! Per-issue distribution of the agreed options (stacked horizontal bars, options in their
//! ordinal order), with a key of the option labels below.

use super::packages::{bar_margin, row_at, segment_of, segments};
use super::render::{DrawError, draw_err};
use super::theme::*;
use crate::stats::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The agreed-options chart.
pub struct Issues;

/// Viridis (van der Walt and Smith 2015): sequential, colour-blind-safe, monotone in grayscale.
const VIRIDIS: [(u8, u8, u8); 9] = [
    (68, 1, 84),
    (71, 44, 122),
    (59, 81, 139),
    (44, 113, 142),
    (33, 144, 141),
    (39, 173, 129),
    (92, 200, 99),
    (170, 220, 50),
    (253, 231, 37),
];

/// The sequential colour of option `j` of `n` (first option dark, last light).
pub fn ordinal_color(j: usize, n: usize) -> RGBColor {
    let t = if n <= 1 { 0.0 } else { j as f64 / (n - 1) as f64 } * (VIRIDIS.len() - 1) as f64;
    let (i, f) = (
        (t.floor() as usize).min(VIRIDIS.len() - 2),
        t - t.floor().min((VIRIDIS.len() - 2) as f64),
    );
    let (a, b) = (VIRIDIS[i], VIRIDIS[i + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + f * (f64::from(y) - f64::from(x))).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The key under the bars: per issue, the id and label of every option in some agreement,
/// wrapped at `width` characters (continuation lines indented).
pub fn key_lines(s: &Summary, width: usize) -> Vec<String> {
    let mut lines = vec![];
    for issue in &s.issues {
        if !issue.split.is_empty() {
            lines.push(truncate(
                &format!(
                    "{}: a divisible good; the bar shows each actor's mean share of it in agreements",
                    issue.id
                ),
                width,
            ));
            continue;
        }
        let parts: Vec<String> = issue
            .options
            .iter()
            .filter(|o| o.estimate.count > 0)
            .map(|o| {
                if o.label == o.id {
                    o.id.clone()
                } else {
                    format!("{} {}", o.id, o.label)
                }
            })
            .collect();
        let mut line = format!("{}:", issue.id);
        for (j, p) in parts.iter().enumerate() {
            let p = truncate(p, width.saturating_sub(8));
            let piece = if j == 0 { format!(" {p}") } else { format!(" · {p}") };
            if line.chars().count() + piece.chars().count() > width {
                lines.push(line);
                line = format!("    {}", piece.trim_start_matches(" · ").trim_start());
            } else {
                line += &piece;
            }
        }
        lines.push(truncate(&line, width));
    }
    lines
}

/// Truncates `s` to at most `max` chars, marking the cut with an ellipsis.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!(
            "{}…",
            s.chars().take(max.saturating_sub(1)).collect::<String>().trim_end()
        )
    }
}

/// The glyph of the weighted-median marker in the key (DejaVu Sans has it).
pub const MARKER: &str = "▼";

/// Pixels above each bar left free for the marker.
const MARKER_ROOM: u32 = 16;

/// Per issue: where the salience × capability weighted-median option sits on the bar, in percent
/// of agreements (the middle of its segment, or its place between the others if never agreed);
/// `None` when there is no baseline for the issue.
pub fn median_positions(s: &Summary) -> Vec<Option<f64>> {
    s.issues
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            if !issue.split.is_empty() {
                return None;
            }
            let id = s.baselines.weighted_median.get(k)?;
            let j = issue.options.iter().position(|o| o.id == *id)?;
            let share = |o: &crate::stats::summary::OptionRow| {
                let w = 100.0 * o.estimate.p;
                if w.is_finite() && w > 0.0 { w } else { 0.0 }
            };
            let before: f64 = issue.options[..j].iter().map(share).sum();
            let x = before + share(&issue.options[j]) / 2.0;
            x.is_finite().then_some(x.clamp(0.0, 100.0))
        })
        .collect()
}

impl Chart for Issues {
    fn name(&self) -> &'static str {
        "agreed-options"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError> {
        let agreements = s.outcomes.first().map_or(0, |o| o.estimate.count);
        let sub = format!(
            "Share of the {} simulated agreements carrying each option, per issue (options in their listed order)",
            group_thousands(agreements)
        );
        let plot = frame(root, "What a deal contains", &sub, s)?;
        if agreements == 0 {
            plot.draw_text(
                "No run reached an agreement: there is no distribution of terms to show.",
                &text(28),
                (60, 200),
            )
            .map_err(draw_err)?;
            return Ok(());
        }
        let m = s.issues.len();
        let mut key = key_lines(s, 125);
        let medians = median_positions(s);
        if medians.iter().any(Option::is_some) {
            key.push(format!("{MARKER} salience × capability weighted median of the actors' ideal options (a baseline on expected parameters)"));
        }
        let key_h = (28 * key.len() as u32 + 16).min(plot.dim_in_pixel().1 / 2);
        let (bars, key_area) = plot.split_vertically(plot.dim_in_pixel().1 - key_h);
        let mut chart = ChartBuilder::on(&bars)
            .margin_left(30)
            .margin_right(60)
            .margin_top(10)
            .x_label_area_size(60)
            .y_label_area_size(500)
            .build_cartesian_2d(0f64..100f64, (0..segments(m) - 1).into_segmented())
            .map_err(draw_err)?;
        themed_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .x_desc("Share of agreements (%)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_style(text(22))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => row_at(*i, m).map_or(String::new(), |k| truncate(&s.issues[k].title, 40)),
                _ => String::new(),
            })
            .draw()
            .map_err(draw_err)?;
        // a lone bar is kept from growing too thick
        let extra = bar_margin(chart.plotting_area().dim_in_pixel().1, m, 8, 90) - 8;
        for (k, issue) in s.issues.iter().enumerate() {
            let row = segment_of(k, m);
            let mut x0 = 0.0;
            // a divisible issue: one segment per sharing actor, its mean share
            let segments: Vec<(String, f64)> = if issue.split.is_empty() {
                issue
                    .options
                    .iter()
                    .map(|o| (o.id.clone(), 100.0 * o.estimate.p))
                    .collect()
            } else {
                issue.split.iter().map(|x| (x.actor.clone(), 100.0 * x.mean)).collect()
            };
            let n = segments.len();
            for (j, (id, w)) in segments.iter().enumerate() {
                let w = *w;
                if !w.is_finite() || w <= 0.0 {
                    continue;
                }
                let color = ordinal_color(j, n);
                let mut r = Rectangle::new(
                    [(x0, SegmentValue::Exact(row)), (x0 + w, SegmentValue::Exact(row + 1))],
                    color.filled(),
                );
                r.set_margin(MARKER_ROOM + extra, 8 + extra, 0, 0);
                chart.draw_series(std::iter::once(r)).map_err(draw_err)?;
                let light = (j as f64) / (n.max(2) - 1) as f64 > 0.6;
                let ink = if light { INK } else { WHITE };
                let label = if w >= 12.0 {
                    format!("{id} {w:.0}%")
                } else if w >= 4.0 {
                    id.clone()
                } else {
                    String::new()
                };
                if !label.is_empty() {
                    let style = text(21).color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                    chart
                        .draw_series(std::iter::once(Text::new(
                            label,
                            (x0 + w / 2.0, SegmentValue::CenterOf(row)),
                            style,
                        )))
                        .map_err(draw_err)?;
                }
                x0 += w;
            }
            if let Some(x) = medians.get(k).copied().flatten() {
                let (h, top) = (MARKER_ROOM as i32 - 2, extra as i32);
                let triangle = EmptyElement::at((x, SegmentValue::Exact(row + 1)))
                    + Polygon::new(vec![(-h / 2 - 1, top), (h / 2 + 1, top), (0, top + h)], INK.filled());
                chart.draw_series(std::iter::once(triangle)).map_err(draw_err)?;
            }
        }
        for (k, line) in key.iter().enumerate() {
            key_area
                .draw_text(line, &text(18).color(&RGBColor(70, 70, 70)), (40, 6 + 28 * k as i32))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
