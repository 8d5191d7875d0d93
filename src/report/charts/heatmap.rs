//! The heatmap of a 2-D sweep, with its colour scale.

use super::analysis::{Axis, Frame, framed, nothing, num, padded, shorten, sig, tick_decimals, ticks, unit, value_labels, wrap};
use super::marks::{ink_on, viridis};
use super::render::{ChartError, DrawError, Plot, draw_err, render};
use super::theme::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// Heatmap of a 2-D sweep: `values[iy][ix]` at (`xs[ix]`, `ys[iy]`); every cell annotated with
/// its value (e.g. "42%"), in ink or white, whichever contrasts more with the cell; a colour-scale
/// legend right of the map, titled with `z.label`; axis ticks at the cell centres labelled with
/// `xs` / `ys` (as % on a `percent` axis; some skipped where they would touch). NaN cells are
/// drawn grey and labelled "–" (with a "no value" key under the scale).
///
/// `values` holds `ys.len()` rows of `xs.len()` values each (in the units of `z`, on [0, 1] if
/// `z.percent`); the first row is drawn at the bottom (ys increase upwards), the first column at
/// the left. The colour scale is viridis (dark purple = lowest, yellow = highest) over the finite
/// values' range; any non-finite value counts as NaN. Cell labels have whole percentages unless
/// the values span less than 10 points or some lie within 1 point of 0% or 100%.
///
/// # Errors
/// `values` not of that shape, an invalid stem, drawing or I/O errors.
#[allow(clippy::too_many_arguments)]
pub fn heatmap(
    dir: &Path,
    f: &Frame,
    x: &Axis,
    y: &Axis,
    xs: &[f64],
    ys: &[f64],
    values: &[Vec<f64>],
    z: &Axis,
) -> Result<Vec<String>, ChartError> {
    if values.len() != ys.len() {
        return Err(ChartError::HeatmapRows {
            stem: f.stem.clone(),
            rows: values.len(),
            ys: ys.len(),
        });
    }
    if let Some((iy, row)) = values.iter().enumerate().find(|(_, r)| r.len() != xs.len()) {
        return Err(ChartError::HeatmapRow {
            stem: f.stem.clone(),
            row: iy,
            len: row.len(),
            xs: xs.len(),
        });
    }
    render(
        dir,
        &f.stem,
        &Heat {
            f,
            x,
            y,
            xs,
            ys,
            values,
            z,
        },
    )
}

/// Grey of the cells with no value.
const MISSING: RGBColor = RGBColor(200, 200, 200);

/// The data of [`heatmap`].
struct Heat<'a> {
    f: &'a Frame,
    x: &'a Axis,
    y: &'a Axis,
    xs: &'a [f64],
    ys: &'a [f64],
    values: &'a [Vec<f64>],
    z: &'a Axis,
}

/// Width of the colour-scale column right of a heatmap, pixels.
const SCALE_W: u32 = 250;

impl Plot for Heat<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let plot = framed(root, self.f)?;
        let (nx, ny) = (self.xs.len(), self.ys.len());
        if nx == 0 || ny == 0 {
            return nothing(&plot, "No values to show.");
        }
        let kz = unit(self.z);
        let cell = |ix: usize, iy: usize| Some(kz * self.values[iy][ix]).filter(|v| v.is_finite());
        let finite: Vec<f64> = (0..ny)
            .flat_map(|iy| (0..nx).filter_map(move |ix| cell(ix, iy)))
            .collect();
        let any_missing = finite.len() < nx * ny;
        let (vmin, vmax) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        // the colour scale spans the values; a single value sits in the middle of a small scale
        let (z0, z1) = if finite.is_empty() {
            if self.z.percent { (0.0, 100.0) } else { (0.0, 1.0) }
        } else if vmax - vmin > 1e-12 * vmax.abs().max(1.0) {
            (vmin, vmax)
        } else if self.z.percent {
            ((vmin - 5.0).max(0.0), (vmax + 5.0).min(100.0).max(vmin + 5.0))
        } else {
            padded([vmin], (0.0, 1.0))
        };
        let t = |v: f64| (v - z0) / (z1 - z0);
        // cell labels: whole percentages unless that hides a difference or a value near 0 or 1
        let decimals = if self.z.percent {
            let near_edge = finite
                .iter()
                .any(|v| (*v > 0.0 && *v < 1.0) || (*v > 99.0 && *v < 100.0));
            usize::from(vmax - vmin < 10.0 || near_edge)
        } else {
            let span = vmax - vmin;
            if span > 0.0 {
                (-(span / 20.0).log10()).ceil().clamp(0.0, 4.0) as usize
            } else {
                2
            }
        };
        let label = |v: Option<f64>| match v {
            None => "–".to_string(),
            Some(v) if self.z.percent => num(v, decimals, true),
            Some(v) if vmax - vmin > 0.0 => num(v, decimals, false),
            Some(v) => sig(v),
        };
        let (heat, scale) = plot.split_horizontally(plot.dim_in_pixel().0 - SCALE_W);
        let xl = value_labels(self.xs, self.x.percent);
        let yl = value_labels(self.ys, self.y.percent);
        let tick_style = text(22);
        let y_area = (widest(&plot, &yl, &tick_style) + 70).max(110);
        let mut chart = ChartBuilder::on(&heat)
            .margin_left(30)
            .margin_right(20)
            .margin_top(16)
            .x_label_area_size(80)
            .y_label_area_size(y_area)
            .build_cartesian_2d(0f64..nx as f64, 0f64..ny as f64)
            .map_err(draw_err)?;
        themed_mesh(&mut chart.configure_mesh())
            .disable_mesh()
            .x_labels(0)
            .y_labels(0)
            .x_desc(self.x.label.as_str())
            .y_desc(self.y.label.as_str())
            .draw()
            .map_err(draw_err)?;
        let (px, py) = chart.plotting_area().get_pixel_range();
        let cell_w = (px.end - px.start) as f64 / nx as f64;
        let cell_h = (py.end - py.start) as f64 / ny as f64;
        // tick labels at the cell centres, every `stride`-th if they would touch
        let xw = widest(&plot, &xl, &tick_style) as f64;
        let x_stride = ((xw + 24.0) / cell_w).ceil().max(1.0) as usize;
        let y_stride = (30.0 / cell_h).ceil().max(1.0) as usize;
        for (ix, l) in xl.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(ix as f64 + 0.5, 0.0));
            root.draw(&PathElement::new(vec![(x, y), (x, y + 8)], INK.stroke_width(1)))
                .map_err(draw_err)?;
            if ix % x_stride == 0 {
                let style = tick_style.pos(Pos::new(HPos::Center, VPos::Top));
                root.draw(&Text::new(l.clone(), (x, y + 12), style)).map_err(draw_err)?;
            }
        }
        for (iy, l) in yl.iter().enumerate() {
            let (x, y) = chart.backend_coord(&(0.0, iy as f64 + 0.5));
            root.draw(&PathElement::new(vec![(x - 8, y), (x, y)], INK.stroke_width(1)))
                .map_err(draw_err)?;
            if iy % y_stride == 0 {
                let style = tick_style.pos(Pos::new(HPos::Right, VPos::Center));
                root.draw(&Text::new(l.clone(), (x - 12, y), style)).map_err(draw_err)?;
            }
        }
        // the cells, with the largest annotation size that fits every cell
        let labels: Vec<String> = (0..ny)
            .flat_map(|iy| (0..nx).map(move |ix| (ix, iy)))
            .map(|(ix, iy)| label(cell(ix, iy)))
            .collect();
        let mut size = 26;
        while size > 12
            && (f64::from(widest(&plot, &labels, &bold(size))) > cell_w - 10.0 || f64::from(size) * 1.2 > cell_h - 4.0)
        {
            size -= 1;
        }
        for iy in 0..ny {
            for ix in 0..nx {
                let v = cell(ix, iy);
                let color = v.map_or(MISSING, |v| viridis(t(v)));
                let (x0, y0) = chart.backend_coord(&(ix as f64, iy as f64 + 1.0));
                let (x1, y1) = chart.backend_coord(&(ix as f64 + 1.0, iy as f64));
                root.draw(&Rectangle::new([(x0 + 1, y0 + 1), (x1 - 1, y1 - 1)], color.filled()))
                    .map_err(draw_err)?;
                let ink = ink_on(color);
                let style = bold(size).color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(
                    labels[iy * nx + ix].clone(),
                    ((x0 + x1) / 2, (y0 + y1) / 2),
                    style,
                ))
                .map_err(draw_err)?;
            }
        }
        // the colour scale: its title wrapped above a vertical bar, ticks to the right
        let (sx, _) = scale.get_pixel_range();
        let left = sx.start + 24;
        let title_style = text(22);
        let mut title = wrap(&plot, &self.z.label, &title_style, SCALE_W - 56);
        if title.len() > 3 {
            title.truncate(3);
            title[2] = shorten(&plot, &format!("{} …", title[2]), &title_style, SCALE_W - 56);
        }
        let mut y = py.start;
        for line in &title {
            root.draw(&Text::new(line.clone(), (left, y), title_style.clone()))
                .map_err(draw_err)?;
            y += 28;
        }
        let bar_top = y + 16;
        let bar_bottom = py.end - if any_missing { 56 } else { 0 };
        let bar_w = 30;
        let h = (bar_bottom - bar_top).max(1);
        for k in 0..h {
            let c = viridis(1.0 - f64::from(k) / f64::from(h - 1).max(1.0));
            root.draw(&Rectangle::new(
                [(left, bar_top + k), (left + bar_w, bar_top + k + 1)],
                c.filled(),
            ))
            .map_err(draw_err)?;
        }
        root.draw(&Rectangle::new(
            [(left, bar_top), (left + bar_w, bar_bottom)],
            INK.stroke_width(1),
        ))
        .map_err(draw_err)?;
        let zt = ticks(z0, z1, 6);
        let dz = tick_decimals(&zt);
        for v in zt {
            let y = bar_bottom - ((t(v) * f64::from(h)).round() as i32);
            root.draw(&PathElement::new(
                vec![(left + bar_w, y), (left + bar_w + 8, y)],
                INK.stroke_width(1),
            ))
            .map_err(draw_err)?;
            let style = text(20).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(num(v, dz, self.z.percent), (left + bar_w + 12, y), style))
                .map_err(draw_err)?;
        }
        if any_missing {
            let y = py.end - 22;
            root.draw(&Rectangle::new(
                [(left, y - 15), (left + bar_w, y + 15)],
                MISSING.filled(),
            ))
            .map_err(draw_err)?;
            let style = text(20).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new("– no value", (left + bar_w + 12, y), style))
                .map_err(draw_err)?;
        }
        Ok(())
    }
}
