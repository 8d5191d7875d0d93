//! Survival of agreements by the option of the survival issue (the guarantees, usually):
//! the share of agreements not yet followed by renewed war, against years since signature.

use super::render::{DrawError, draw_err};
use super::theme::*;
use crate::stats::Summary;
use crate::stats::summary::{DurabilityStats, SurvivalCurve};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The survival chart.
pub struct Survival;

/// Curves with fewer agreements than this are left out (too noisy to read).
pub const MIN_AGREEMENTS: u64 = 30;

/// At most this many curves are drawn (one per colour of the palette that reads on white).
pub const MAX_CURVES: usize = 6;

/// The issue whose options the curves follow, quoted (or "all agreements").
fn issue_name(s: &Summary, d: &DurabilityStats) -> String {
    d.survival_issue
        .as_deref()
        .and_then(|id| s.issues.iter().find(|i| i.id == id))
        .map_or("all agreements".to_string(), |i| {
            format!("“{}”", super::issues::truncate(&i.title, 40))
        })
}

/// A curve's name in the legend: its option and label (the ungrouped curve by its label alone,
/// "All agreements").
fn curve_name(c: &SurvivalCurve) -> String {
    if c.option == "all" {
        super::issues::truncate(&c.label, 40)
    } else {
        format!("{} {}", c.option, super::issues::truncate(&c.label, 40))
    }
}

/// The pointwise 95% Wilson band around a curve of `pts` (years, % holding) of `agreements`
/// agreements, as a polygon (no censoring: the share holding is a binomial proportion).
fn wilson_band(pts: &[(f64, f64)], agreements: u64) -> Vec<(f64, f64)> {
    let ci: Vec<(f64, f64, f64)> = pts
        .iter()
        .map(|&(x, y)| {
            let k = (y / 100.0 * agreements as f64).round() as u64;
            let (lo, hi) = crate::stats::wilson(k, agreements);
            (x, 100.0 * lo, 100.0 * hi)
        })
        .collect();
    ci.iter()
        .map(|p| (p.0, p.2))
        .chain(ci.iter().rev().map(|p| (p.0, p.1)))
        .collect()
}

/// Sorts the curves' end labels by height and spreads them at least 4.5 points apart.
fn spread(ends: &mut [(f64, String, RGBColor)]) {
    ends.sort_by(|a, b| a.0.total_cmp(&b.0));
    let gap = 4.5;
    for j in 1..ends.len() {
        if ends[j].0 < ends[j - 1].0 + gap {
            ends[j].0 = ends[j - 1].0 + gap;
        }
    }
}

impl Chart for Survival {
    fn name(&self) -> &'static str {
        "survival"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError> {
        let Some(d) = &s.durability else {
            return Ok(());
        };
        let issue = issue_name(s, d);
        // at most MAX_CURVES curves, the options with the most agreements; the rest are named
        let mut ranked: Vec<_> = d.survival.iter().collect();
        ranked.sort_by_key(|c| std::cmp::Reverse(c.agreements));
        let keep: Vec<&str> = ranked
            .iter()
            .filter(|c| c.agreements >= MIN_AGREEMENTS)
            .take(MAX_CURVES)
            .map(|c| c.option.as_str())
            .collect();
        let hidden: Vec<String> = d
            .survival
            .iter()
            .filter(|c| !keep.contains(&c.option.as_str()))
            .map(|c| format!("{} (n = {})", c.option, c.agreements))
            .collect();
        let sub = format!(
            "Share of agreements with no renewed major war, by the agreed option of {issue}; bands: 95% intervals"
        );
        let plot = frame(root, "How long a deal holds", &sub, s)?;
        let years = d.years.iter().copied().fold(5.0, f64::max).min(40.0);
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(30)
            .margin_right(90)
            .margin_top(10)
            .x_label_area_size(70)
            .y_label_area_size(110)
            .build_cartesian_2d(0f64..years, 0f64..100f64)
            .map_err(draw_err)?;
        themed_mesh(&mut chart.configure_mesh())
            .x_desc("Years since signature")
            .y_desc("Agreements still holding (%)")
            .y_label_style(text(22))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(draw_err)?;
        let mut ends: Vec<(f64, String, RGBColor)> = vec![];
        let shown: Vec<_> = d
            .survival
            .iter()
            .filter(|c| keep.contains(&c.option.as_str()))
            .collect();
        for (j, c) in shown.iter().enumerate() {
            let color = PALETTE[j % PALETTE.len()];
            let pts: Vec<(f64, f64)> = c
                .points
                .iter()
                .filter(|(x, _)| *x <= years)
                .map(|&(x, y)| (x, 100.0 * y))
                .collect();
            let label = format!("{} (n = {})", curve_name(c), group_thousands(c.agreements));
            ends.push((pts.last().map_or(100.0, |p| p.1), c.option.clone(), color));
            let band = wilson_band(&pts, c.agreements);
            chart
                .draw_series(std::iter::once(Polygon::new(band, color.mix(0.15).filled())))
                .map_err(draw_err)?;
            chart
                .draw_series(LineSeries::new(pts, color.stroke_width(4)))
                .map_err(draw_err)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x - 6, y), (x + 18, y)], color.stroke_width(4)));
        }
        // direct labels at the curves' ends (readable in grayscale), spread so they never overlap
        spread(&mut ends);
        for (y, option, color) in &ends {
            let (px, py) = chart.backend_coord(&(years, y.min(100.0)));
            root.draw(&Text::new(option.clone(), (px + 10, py - 11), bold(22).color(color)))
                .map_err(draw_err)?;
        }
        if !hidden.is_empty() {
            let note = format!(
                "Not shown (fewer than {MIN_AGREEMENTS} agreements, or beyond the {MAX_CURVES} most agreed): {}",
                super::issues::truncate(&hidden.join(", "), 90)
            );
            let style = text(20).color(&RGBColor(90, 90, 90));
            chart
                .draw_series(std::iter::once(Text::new(note, (years * 0.02, 4.0), style)))
                .map_err(draw_err)?;
        }
        if !shown.is_empty() {
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperRight)
                .background_style(WHITE.mix(0.9))
                .border_style(GRID)
                .label_font(text(22))
                .margin(14)
                .draw()
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
