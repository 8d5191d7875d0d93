//! Cumulative probability of agreement by round, with its 95% interval band.

use super::render::{DrawError, draw_err};
use super::theme::*;
use crate::stats::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The cumulative-agreement chart.
pub struct Cumulative;

impl Chart for Cumulative {
    fn name(&self) -> &'static str {
        "agreement-by-round"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError> {
        let sub = format!(
            "Share of runs with a deal signed (and ratified where needed) by the end of each round{}; band: 95% interval",
            s.of_round()
        );
        let plot = frame(root, "When a deal is signed", &sub, s)?;
        let top = s
            .agreement_within
            .iter()
            .map(|r| r.estimate.ci_high)
            .fold(0.0, f64::max);
        let ymax = ((top * 100.0 / 10.0).ceil() * 10.0).clamp(10.0, 100.0);
        let horizon = s.horizon.max(1) as f64;
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(30)
            .margin_right(60)
            .margin_top(10)
            .x_label_area_size(70)
            .y_label_area_size(110)
            .build_cartesian_2d(0f64..horizon, 0f64..ymax)
            .map_err(draw_err)?;
        themed_mesh(&mut chart.configure_mesh())
            .x_desc(match &s.round_length {
                Some(l) => format!("Round (1 round = {l})"),
                None => "Round".to_string(),
            })
            .y_desc("Probability of agreement by this round, %")
            .y_label_style(text(22))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(draw_err)?;
        let mut upper: Vec<(f64, f64)> = vec![(0.0, 0.0)];
        let mut lower: Vec<(f64, f64)> = vec![(0.0, 0.0)];
        let mut line: Vec<(f64, f64)> = vec![(0.0, 0.0)];
        for r in &s.agreement_within {
            let x = r.round as f64;
            upper.push((x, 100.0 * r.estimate.ci_high));
            lower.push((x, 100.0 * r.estimate.ci_low));
            line.push((x, 100.0 * r.estimate.p));
        }
        let band: Vec<(f64, f64)> = upper.iter().copied().chain(lower.iter().rev().copied()).collect();
        chart
            .draw_series(std::iter::once(Polygon::new(band, PALETTE[0].mix(0.25).filled())))
            .map_err(draw_err)?;
        chart
            .draw_series(LineSeries::new(line.iter().copied(), PALETTE[0].stroke_width(4)))
            .map_err(draw_err)?;
        chart
            .draw_series(
                line.iter()
                    .skip(1)
                    .map(|&(x, y)| Circle::new((x, y), 5, PALETTE[0].filled())),
            )
            .map_err(draw_err)?;
        Ok(())
    }
}
