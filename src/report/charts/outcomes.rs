//! Outcome probabilities with 95% Wilson intervals (horizontal bars).

use super::render::{DrawError, draw_err};
use super::theme::*;
use crate::report::table::pct;
use crate::stats::Summary;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The outcome chart.
pub struct Outcomes;

fn nice(name: &str) -> &str {
    match name {
        "agreement" => "Agreement",
        "breakdown" => "Talks break down",
        "no-agreement" => "No agreement by horizon",
        other => other,
    }
}

impl Chart for Outcomes {
    fn name(&self) -> &'static str {
        "outcomes"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError> {
        let rounds = if s.horizon == 1 {
            "1 round".to_string()
        } else {
            format!("{} rounds", s.horizon)
        };
        let sub = format!(
            "Share of simulated negotiations ending each way within {rounds}{}; bars show 95% intervals",
            s.of_round()
        );
        let plot = frame(root, "How the negotiation ends", &sub, s)?;
        let n = s.outcomes.len();
        let mut chart = ChartBuilder::on(&plot)
            .margin_left(30)
            .margin_right(60)
            .margin_top(10)
            .x_label_area_size(70)
            .y_label_area_size(330)
            .build_cartesian_2d(0f64..100f64, (0..n.max(1) - 1).into_segmented())
            .map_err(draw_err)?;
        themed_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .x_desc("Probability (%)")
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_style(text(26))
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) if *i < n => nice(s.outcomes[n - 1 - *i].outcome).to_string(),
                _ => String::new(),
            })
            .draw()
            .map_err(draw_err)?;
        for (j, o) in s.outcomes.iter().enumerate() {
            let e = &o.estimate;
            let color = PALETTE[j % PALETTE.len()];
            let i = n - 1 - j;
            let bar = Rectangle::new(
                [(0.0, SegmentValue::Exact(i)), (100.0 * e.p, SegmentValue::Exact(i + 1))],
                color.mix(0.85).filled(),
            );
            chart
                .draw_series(std::iter::once(bar).map(|mut r| {
                    r.set_margin(18, 18, 0, 0);
                    r
                }))
                .map_err(draw_err)?;
            let y = SegmentValue::CenterOf(i);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(100.0 * e.ci_low, y.clone()), (100.0 * e.ci_high, y.clone())],
                    INK.stroke_width(3),
                )))
                .map_err(draw_err)?;
            let label_x = (100.0 * e.ci_high + 1.5).min(88.0);
            chart
                .draw_series(std::iter::once(Text::new(
                    pct(e.p, s.runs),
                    (label_x, y),
                    text(26).pos(Pos::new(HPos::Left, VPos::Center)),
                )))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
