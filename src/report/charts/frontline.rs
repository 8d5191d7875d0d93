//! Where each front stands at the end of the runs: a histogram of the final frontline positions
//! along the path of options, one panel per issue with a frontline, with a key of the path labels.

use super::issues::truncate;
use super::packages::{LINE_WIDTH, first_fitting};
use super::render::{DrawError, draw_err};
use super::theme::*;
use crate::stats::Summary;
use crate::stats::aggregate::FRONTLINE_BIN;
use crate::stats::summary::FrontlineRow;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The frontline chart.
pub struct Frontline;

/// Bars per path step that divide the 0.01 histogram bins evenly.
const BARS_PER_STEP: [usize; 9] = [1, 2, 4, 5, 10, 20, 25, 50, 100];

/// Re-bins a histogram of (position, count) in bins of [`FRONTLINE_BIN`] into about 25 bars over
/// `0..steps` path steps: returns the bar width (in steps) and the count of each bar. Positions
/// outside the path go to the end bars; non-finite positions are dropped.
pub fn rebin(h: &[(f64, u64)], steps: usize) -> (f64, Vec<u64>) {
    let steps = steps.max(1);
    let per_step = BARS_PER_STEP
        .iter()
        .copied()
        .min_by_key(|b| (steps * b).abs_diff(25))
        .unwrap_or(10);
    let bars = steps * per_step;
    let fine_per_bar = (BARS_PER_STEP[BARS_PER_STEP.len() - 1] / per_step) as i64;
    let mut counts = vec![0u64; bars];
    for &(x, c) in h {
        if !x.is_finite() {
            continue;
        }
        let fine = (x / FRONTLINE_BIN).round() as i64;
        let i = fine.div_euclid(fine_per_bar).clamp(0, bars as i64 - 1) as usize;
        counts[i] += c;
    }
    (1.0 / per_step as f64, counts)
}

/// The path of `f` as key text: "id: X0 label → X1 label → …", wrapped at `width` characters.
fn key_lines(s: &Summary, f: &FrontlineRow, width: usize) -> Vec<String> {
    let issue = s.issues.iter().find(|i| i.id == f.issue);
    let parts: Vec<String> = f
        .path
        .iter()
        .map(|id| {
            let label = issue
                .and_then(|i| i.options.iter().find(|o| o.id == *id))
                .map_or(id.as_str(), |o| o.label.as_str());
            if label == id || label.is_empty() {
                id.clone()
            } else {
                format!("{id} {label}")
            }
        })
        .collect();
    let mut lines = vec![];
    let mut line = format!("{} path:", f.issue);
    for (j, p) in parts.iter().enumerate() {
        let p = truncate(p, width.saturating_sub(8));
        let piece = if j == 0 { format!(" {p}") } else { format!(" → {p}") };
        if line.chars().count() + piece.chars().count() > width && j > 0 {
            lines.push(line);
            line = format!("    {}", piece.trim_start());
        } else {
            line += &piece;
        }
    }
    lines.push(truncate(&line, width));
    lines
}

/// The issue title of a frontline row (its id if the issue is unknown).
fn title(s: &Summary, f: &FrontlineRow) -> String {
    s.issues
        .iter()
        .find(|i| i.id == f.issue)
        .map_or(f.issue.clone(), |i| i.title.clone())
}

/// Draws one panel: the histogram of `f` on `area`.
fn panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    f: &FrontlineRow,
    caption: Option<String>,
    x_desc: bool,
) -> Result<(), DrawError> {
    let steps = f.path.len().saturating_sub(1).max(1);
    let (width, counts) = rebin(&f.histogram, steps);
    let total: u64 = counts.iter().sum();
    let shares: Vec<f64> = counts
        .iter()
        .map(|&c| {
            if total == 0 {
                0.0
            } else {
                100.0 * c as f64 / total as f64
            }
        })
        .collect();
    let top = shares.iter().copied().fold(0.0, f64::max);
    let ymax = ((top * 1.12 / 5.0).ceil() * 5.0).clamp(5.0, 100.0);
    let pad = steps as f64 * 0.02;
    let xr = -pad..steps as f64 + pad;
    // at most one y label per 45 pixels of the panel
    let y_labels = (area.dim_in_pixel().1 / 45).max(3) as usize;
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_left(30)
        .margin_right(60)
        .margin_top(10)
        .x_label_area_size(if x_desc { 70 } else { 40 })
        .y_label_area_size(110);
    if let Some(c) = caption {
        builder.caption(c, bold(24));
    }
    let mut chart = builder.build_cartesian_2d(xr, 0f64..ymax).map_err(draw_err)?;
    let path = &f.path;
    themed_mesh(&mut chart.configure_mesh())
        .disable_x_mesh()
        .x_desc(if x_desc {
            "Final position of the front (steps along the path of options)"
        } else {
            ""
        })
        .y_desc("Share of runs (%)")
        .x_labels(steps + 1)
        .y_labels(y_labels.min(if ymax <= 10.0 { ymax as usize + 1 } else { 11 }))
        .x_label_formatter(&|x| {
            let r = x.round();
            if (x - r).abs() < 1e-6 && r >= 0.0 && (r as usize) < path.len() {
                path[r as usize].clone()
            } else {
                String::new()
            }
        })
        .y_label_formatter(&|y| format!("{y:.0}"))
        .x_label_style(text(24))
        .y_label_style(text(22))
        .draw()
        .map_err(draw_err)?;
    if total == 0 {
        let style = text(24).pos(Pos::new(HPos::Center, VPos::Center));
        chart
            .draw_series(std::iter::once(Text::new(
                "No simulated runs: no final positions to show.",
                (steps as f64 / 2.0, ymax / 2.0),
                style,
            )))
            .map_err(draw_err)?;
        return Ok(());
    }
    chart
        .draw_series(shares.iter().enumerate().filter(|(_, y)| **y > 0.0).map(|(i, &y)| {
            let x0 = i as f64 * width;
            let mut r = Rectangle::new([(x0, 0.0), (x0 + width, y.min(ymax))], PALETTE[0].mix(0.85).filled());
            r.set_margin(0, 0, 1, 1);
            r
        }))
        .map_err(draw_err)?;
    // the median, with its value
    if f.median.is_finite() {
        let m = f.median.clamp(0.0, steps as f64);
        chart
            .draw_series(std::iter::once(PathElement::new(
                vec![(m, 0.0), (m, ymax)],
                INK.stroke_width(2),
            )))
            .map_err(draw_err)?;
        let right = m < steps as f64 * 0.75;
        let (dx, h) = if right { (10, HPos::Left) } else { (-10, HPos::Right) };
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((m, ymax))
                    + Text::new(
                        format!("median {:.2}", f.median),
                        (dx, 6),
                        text(22).pos(Pos::new(h, VPos::Top)),
                    ),
            ))
            .map_err(draw_err)?;
    }
    Ok(())
}

impl Chart for Frontline {
    fn name(&self) -> &'static str {
        "frontline"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError> {
        let subs: Vec<String> = match s.frontlines.as_slice() {
            [f] => {
                let route = f.path.join(" → ");
                let t = truncate(&title(s, f), 40);
                let spread = if [f.median, f.p10, f.p90].iter().all(|x| x.is_finite()) && !f.histogram.is_empty() {
                    format!("; median {:.2} path steps, 10–90%: {:.2}–{:.2}", f.median, f.p10, f.p90)
                } else {
                    String::new()
                };
                vec![
                    format!("Share of runs ending with the front of “{t}” at each point of its path {route}{spread}"),
                    format!("Share of runs ending with the front at each point of its path {route}{spread}"),
                    format!("Share of runs ending with the front at each point of its path {route}"),
                ]
            }
            _ => vec![
                "Share of runs ending with each front at each point of its path of options; line: median".to_string(),
            ],
        };
        let sub = first_fitting(root, &subs, &text(24), LINE_WIDTH);
        let plot = frame(root, "Where the front stands at the end", &sub, s)?;
        if s.frontlines.is_empty() {
            plot.draw_text("The scenario has no frontline.", &text(28), (60, 200))
                .map_err(draw_err)?;
            return Ok(());
        }
        let key: Vec<String> = s.frontlines.iter().flat_map(|f| key_lines(s, f, 125)).collect();
        let key_h = (28 * key.len() as u32 + 16).min(plot.dim_in_pixel().1 / 3);
        let (panels, key_area) = plot.split_vertically(plot.dim_in_pixel().1 - key_h);
        let k = s.frontlines.len();
        for (j, (area, f)) in panels.split_evenly((k, 1)).iter().zip(&s.frontlines).enumerate() {
            let caption = (k > 1).then(|| truncate(&title(s, f), 80));
            panel(area, f, caption, j + 1 == k)?;
        }
        for (j, line) in key.iter().enumerate() {
            key_area
                .draw_text(line, &text(18).color(&RGBColor(70, 70, 70)), (40, 6 + 28 * j as i32))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
