//! Colours, marker shapes, the legend and whiskers of the analysis charts.

use super::analysis::width_of;
use super::issues::ordinal_color;
use super::packages::LINE_WIDTH;
use super::render::{DrawError, draw_err};
use super::theme::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The colour of series (or scenario) `i`: the palette in order, yellow (too light on white)
/// skipped.
pub(super) fn series_color(i: usize) -> RGBColor {
    const ORDER: [usize; 7] = [0, 1, 2, 3, 4, 5, 7];
    PALETTE[ORDER[i % ORDER.len()]]
}

/// WCAG relative luminance of a colour.
pub(super) fn luminance(c: RGBColor) -> f64 {
    let lin = |u: u8| {
        let c = f64::from(u) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// INK or WHITE, whichever contrasts more with `c`.
pub(super) fn ink_on(c: RGBColor) -> RGBColor {
    let l = luminance(c);
    let on_white = 1.05 / (l + 0.05);
    let on_ink = (l + 0.05) / (luminance(INK) + 0.05);
    if on_ink >= on_white { INK } else { WHITE }
}

/// Viridis at `t` in [0, 1] (dark purple to yellow), from the theme's ordinal scale.
pub(super) fn viridis(t: f64) -> RGBColor {
    const STEPS: usize = 1000;
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    ordinal_color((t * STEPS as f64).round() as usize, STEPS + 1)
}

/// Draws marker `shape` (0 circle, 1 square, 2 triangle, 3 diamond, then again) of radius `r`
/// centred at the pixel `(x, y)` of `area`.
pub(super) fn marker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    (x, y): (i32, i32),
    shape: usize,
    r: i32,
    color: RGBColor,
) -> Result<(), DrawError> {
    let style = color.filled();
    match shape % 4 {
        0 => area.draw(&Circle::new((x, y), r, style)),
        1 => {
            let s = r * 85 / 100;
            area.draw(&Rectangle::new([(x - s, y - s), (x + s, y + s)], style))
        }
        2 => {
            let h = r * 6 / 5;
            area.draw(&Polygon::new(
                vec![(x, y - h), (x + h, y + h * 4 / 5), (x - h, y + h * 4 / 5)],
                style,
            ))
        }
        _ => {
            let h = r * 6 / 5;
            area.draw(&Polygon::new(
                vec![(x, y - h), (x + h, y), (x, y + h), (x - h, y)],
                style,
            ))
        }
    }
    .map_err(draw_err)
}

/// What a legend item shows before its text.
#[derive(Clone, Copy)]
pub(super) enum Mark {
    /// A line with a marker of the given shape (a series of a line chart).
    Line(RGBColor, usize),
    /// A filled box (bars).
    Box(RGBColor),
    /// A short vertical rule (a reference line).
    Rule,
}

/// Legend text size, pixels.
pub(super) const LEGEND_TEXT: u32 = 22;
/// Legend line height, pixels.
pub(super) const LEGEND_LINE: u32 = 34;

/// Lays the legend items out left to right from x = 40, wrapping within the chart's width: the
/// (x, line) of each item's mark.
pub(super) fn legend_layout<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[(Mark, String)],
) -> Vec<(i32, i32)> {
    let (mut x, mut line) = (40, 0);
    let right = 40 + LINE_WIDTH as i32;
    items
        .iter()
        .map(|(_, label)| {
            let w = 46 + width_of(area, label, &text(LEGEND_TEXT)) as i32;
            if x > 40 && x + w > right {
                x = 40;
                line += 1;
            }
            let at = (x, line);
            x += w + 40;
            at
        })
        .collect()
}

/// Splits a legend band off the top of `plot`, draws `items` in it and returns the rest.
pub(super) fn with_legend<DB: DrawingBackend>(
    plot: DrawingArea<DB, Shift>,
    items: &[(Mark, String)],
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    if items.is_empty() {
        return Ok(plot);
    }
    let at = legend_layout(&plot, items);
    let lines = at.iter().map(|(_, l)| l + 1).max().unwrap_or(1) as u32;
    let (band, rest) = plot.split_vertically(LEGEND_LINE * lines + 8);
    let style = text(LEGEND_TEXT).pos(Pos::new(HPos::Left, VPos::Center));
    for ((mark, label), (x, line)) in items.iter().zip(at) {
        let y = (LEGEND_LINE as i32) * line + LEGEND_LINE as i32 / 2 + 2;
        match *mark {
            Mark::Line(c, shape) => {
                band.draw(&PathElement::new(vec![(x, y), (x + 36, y)], c.stroke_width(4)))
                    .map_err(draw_err)?;
                marker(&band, (x + 18, y), shape, 7, c)?;
            }
            Mark::Box(c) => {
                band.draw(&Rectangle::new([(x + 4, y - 11), (x + 32, y + 11)], c.filled()))
                    .map_err(draw_err)?;
            }
            Mark::Rule => {
                band.draw(&PathElement::new(
                    vec![(x + 18, y - 14), (x + 18, y + 14)],
                    INK.stroke_width(3),
                ))
                .map_err(draw_err)?;
            }
        }
        band.draw(&Text::new(label.clone(), (x + 46, y), style.clone()))
            .map_err(draw_err)?;
    }
    Ok(rest)
}

/// A horizontal whisker from pixel `x0` to `x1` at height `y`, with end caps of half-height `cap`.
pub(super) fn whisker<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    x0: i32,
    x1: i32,
    y: i32,
    cap: i32,
) -> Result<(), DrawError> {
    let style = INK.stroke_width(2);
    area.draw(&PathElement::new(vec![(x0, y), (x1, y)], style))
        .map_err(draw_err)?;
    for x in [x0, x1] {
        area.draw(&PathElement::new(vec![(x, y - cap), (x, y + cap)], style))
            .map_err(draw_err)?;
    }
    Ok(())
}
