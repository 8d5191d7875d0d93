//! Where the runs stand, round by round (`docs/model.md` §9.1): a stacked area of the share of
//! runs at war, under a ceasefire, settled or ended at the end of each round. Drawn only for
//! scenarios that declare `[ceasefire]`.
//!
//! The bands stack settled at the bottom, then ceasefire, war and ended at the top: peace grows
//! from below, breakdown from above, and a ceasefire sits between war and settlement, the two
//! states it leads to. Each band is named inside itself where it is thick enough and in a
//! legend beside the plot (never over the data) with its share at the horizon.

use super::render::{DrawError, draw_err};
use super::theme::*;
use crate::report::table::pct;
use crate::stats::Summary;
use crate::stats::ceasefire::PhaseRow;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The phase chart.
pub struct Phases;

/// Grey of the "ended" band (talks broke down for good).
pub const ENDED: RGBColor = RGBColor(170, 170, 170);

/// A band: name, colour, text colour inside the band, its share in a row.
pub type Band = (&'static str, RGBColor, RGBColor, fn(&PhaseRow) -> f64);

/// The bands from the bottom up.
pub const BANDS: [Band; 4] = [
    ("Settled", PALETTE[0], WHITE, |r| r.settled),
    ("Ceasefire", PALETTE[1], INK, |r| r.ceasefire),
    ("War", PALETTE[5], WHITE, |r| r.war),
    ("Ended", ENDED, INK, |r| r.ended),
];

/// Width in pixels of the legend beside the plot.
const LEGEND_W: u32 = 300;

/// The stacked shares in %, one row per point from round 0 (all runs at war) to the horizon:
/// `(round, [bottom of band 0, top of band 0 = bottom of band 1, …, top of band 3])`.
pub fn stacked(rows: &[PhaseRow]) -> Vec<(f64, [f64; 5])> {
    let start = PhaseRow {
        round: 0,
        war: 1.0,
        ceasefire: 0.0,
        settled: 0.0,
        ended: 0.0,
    };
    std::iter::once(&start)
        .chain(rows)
        .map(|r| {
            let mut edges = [0.0; 5];
            for (j, band) in BANDS.iter().enumerate() {
                edges[j + 1] = edges[j] + 100.0 * (band.3)(r).clamp(0.0, 1.0);
            }
            (r.round as f64, edges)
        })
        .collect()
}

/// Where band `j` has the most room for its name: over every window of `2 half + 1`
/// consecutive points, the band surely covers the rectangle between the highest bottom and the
/// lowest top of its points (the edges are straight between points). Returns the window's first
/// and last point, the rectangle's middle (in %) and its height; the first of the highest.
fn label_spot(pts: &[(f64, [f64; 5])], j: usize, half: usize) -> Option<(usize, usize, f64, f64)> {
    let n = pts.len();
    if n == 0 {
        return None;
    }
    let span = (2 * half).min(n - 1);
    (0..n - span)
        .map(|lo| {
            let w = &pts[lo..=lo + span];
            let bottom = w.iter().map(|p| p.1[j]).fold(f64::NEG_INFINITY, f64::max);
            let top = w.iter().map(|p| p.1[j + 1]).fold(f64::INFINITY, f64::min);
            (lo, lo + span, f64::midpoint(bottom, top), top - bottom)
        })
        .max_by(|a, b| a.3.total_cmp(&b.3).then(b.0.cmp(&a.0)))
}

impl Chart for Phases {
    fn name(&self) -> &'static str {
        "phases"
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>, s: &Summary) -> Result<(), DrawError> {
        let sub = format!(
            "Share of runs at war, under a ceasefire, settled (deal signed and ratified) or ended (talks broke down) at the end of each round{}",
            s.of_round()
        );
        let plot = frame(root, "Where the runs stand, round by round", &sub, s)?;
        let rows: &[PhaseRow] = s.ceasefire.as_ref().map_or(&[], |c| c.phases.as_slice());
        if rows.is_empty() || s.runs == 0 {
            let why = if s.ceasefire.is_none() {
                "The scenario declares no ceasefire: every run is at war until it settles or ends."
            } else {
                "No run was simulated."
            };
            plot.draw_text(why, &text(26), (40, 40)).map_err(draw_err)?;
            return Ok(());
        }
        let (area, legend) = plot.split_horizontally(SIZE.0 - LEGEND_W);
        let horizon = s.horizon.max(1) as f64;
        let mut chart = ChartBuilder::on(&area)
            .margin_left(30)
            .margin_right(30)
            .margin_top(10)
            .x_label_area_size(70)
            .y_label_area_size(110)
            .build_cartesian_2d(0f64..horizon, 0f64..100f64)
            .map_err(draw_err)?;
        themed_mesh(&mut chart.configure_mesh())
            .x_desc(match &s.round_length {
                Some(l) => format!("Round (1 round = {l}); 0 = start of talks, all at war"),
                None => "Round; 0 = start of talks, all at war".to_string(),
            })
            .y_desc("Share of runs (%)")
            .y_label_style(text(22))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()
            .map_err(draw_err)?;
        let pts = stacked(rows);
        for (j, band) in BANDS.iter().enumerate() {
            let poly: Vec<(f64, f64)> = pts
                .iter()
                .map(|p| (p.0, p.1[j + 1]))
                .chain(pts.iter().rev().map(|p| (p.0, p.1[j])))
                .collect();
            chart
                .draw_series(std::iter::once(Polygon::new(poly, band.1.filled())))
                .map_err(draw_err)?;
        }
        // white seams between the bands, so they separate in grayscale print too
        for j in 1..BANDS.len() {
            let seam: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.1[j])).collect();
            chart
                .draw_series(LineSeries::new(seam, WHITE.stroke_width(2)))
                .map_err(draw_err)?;
        }
        // each band named inside itself where it has room (drawn on the root: backend_coord is
        // in the root's pixels)
        let px_per_round = f64::from(area.dim_in_pixel().0.saturating_sub(170)) / horizon;
        let style = bold(24);
        for (j, band) in BANDS.iter().enumerate() {
            let w = f64::from(widest(&area, &[band.0], &style));
            let half = ((w / 2.0 + 12.0) / px_per_round.max(1.0)).ceil() as usize;
            let Some((lo, hi, mid, room)) = label_spot(&pts, j, half) else {
                continue;
            };
            if room < 6.0 {
                continue;
            }
            let (px, py) = chart.backend_coord(&(f64::midpoint(pts[lo].0, pts[hi].0), mid));
            root.draw(&Text::new(
                band.0,
                (px, py),
                style.color(&band.2).pos(Pos::new(HPos::Center, VPos::Center)),
            ))
            .map_err(draw_err)?;
        }
        // the legend: top to bottom as the bands stack, with each share at the horizon
        let last = rows.last().expect("not empty");
        legend
            .draw_text(&format!("End of round {}", last.round), &bold(24), (10, 30))
            .map_err(draw_err)?;
        for (k, band) in BANDS.iter().rev().enumerate() {
            let y = 80 + 56 * k as i32;
            legend
                .draw(&Rectangle::new([(10, y), (50, y + 32)], band.1.filled()))
                .map_err(draw_err)?;
            legend
                .draw(&Rectangle::new([(10, y), (50, y + 32)], INK.stroke_width(1)))
                .map_err(draw_err)?;
            legend
                .draw_text(
                    &format!("{} {}", band.0, pct((band.3)(last), s.runs)),
                    &text(24),
                    (64, y + 4),
                )
                .map_err(draw_err)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(round: usize, war: f64, ceasefire: f64, settled: f64, ended: f64) -> PhaseRow {
        PhaseRow {
            round,
            war,
            ceasefire,
            settled,
            ended,
        }
    }

    #[test]
    fn the_bands_stack_from_all_at_war_to_every_round() {
        let pts = stacked(&[row(1, 0.5, 0.3, 0.2, 0.0), row(2, 0.2, 0.3, 0.4, 0.1)]);
        assert_eq!(pts.len(), 3);
        assert_eq!(pts[0], (0.0, [0.0, 0.0, 0.0, 100.0, 100.0]));
        let e = pts[2].1;
        let want = [0.0, 40.0, 70.0, 90.0, 100.0];
        for (a, b) in e.iter().zip(want) {
            assert!((a - b).abs() < 1e-9, "{e:?}");
        }
    }

    #[test]
    fn a_label_goes_where_its_band_is_thickest() {
        let pts = stacked(&[
            row(1, 0.9, 0.1, 0.0, 0.0),
            row(2, 0.5, 0.5, 0.0, 0.0),
            row(3, 0.8, 0.2, 0.0, 0.0),
        ]);
        // the ceasefire band (j = 1) covers 0–10, 0–50, 0–20 in rounds 1–3 (settled is empty)
        assert_eq!(label_spot(&pts, 1, 0), Some((2, 2, 25.0, 50.0)));
        // over three points the rectangle it surely covers is 0–10: at rounds 0–2 it is 0–0
        assert_eq!(label_spot(&pts, 1, 1), Some((1, 3, 5.0, 10.0)));
        // a window wider than the chart takes every point
        assert_eq!(label_spot(&pts, 1, 5), Some((0, 3, 0.0, 0.0)));
    }
}
