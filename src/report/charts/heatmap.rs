//! The heatmap of a 2-D sweep, with its colour scale.

use super::analysis::{
    Axis, Frame, framed, nothing, num, padded, shorten, sig, tick_decimals, ticks, unit, value_labels, wrap,
};
use super::marks::{ink_on, viridis};
use super::render::{ChartError, DrawError, Plot, draw_err, render};
use super::theme::*;
use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
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

/// The values of a heatmap in display units and how they are coloured and labelled.
struct Scale {
    /// Some cell has no value.
    any_missing: bool,
    /// The smallest and largest finite values.
    vmin: f64,
    vmax: f64,
    /// The colour scale's range.
    z0: f64,
    z1: f64,
    /// Decimals of the cell labels.
    decimals: usize,
}

impl Scale {
    /// The scale of `heat`'s values (at least one cell).
    fn new(heat: &Heat) -> Scale {
        let (nx, ny) = (heat.xs.len(), heat.ys.len());
        let finite: Vec<f64> = (0..ny)
            .flat_map(|iy| (0..nx).filter_map(move |ix| heat.cell(ix, iy)))
            .collect();
        let any_missing = finite.len() < nx * ny;
        let (vmin, vmax) = finite
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(*v), b.max(*v)));
        let percent = heat.z.percent;
        // the colour scale spans the values; a single value sits in the middle of a small scale
        let (z0, z1) = if finite.is_empty() {
            if percent { (0.0, 100.0) } else { (0.0, 1.0) }
        } else if vmax - vmin > 1e-12 * vmax.abs().max(1.0) {
            (vmin, vmax)
        } else if percent {
            ((vmin - 5.0).max(0.0), (vmax + 5.0).min(100.0).max(vmin + 5.0))
        } else {
            padded([vmin], (0.0, 1.0))
        };
        // cell labels: whole percentages unless that hides a difference or a value near 0 or 1
        let decimals = if percent {
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
        Scale {
            any_missing,
            vmin,
            vmax,
            z0,
            z1,
            decimals,
        }
    }

    /// Where `v` lies on the colour scale (0 at `z0`, 1 at `z1`).
    fn t(&self, v: f64) -> f64 {
        (v - self.z0) / (self.z1 - self.z0)
    }

    /// The label of a cell's value ("–" for none).
    fn label(&self, v: Option<f64>, percent: bool) -> String {
        match v {
            None => "–".to_string(),
            Some(v) if percent => num(v, self.decimals, true),
            Some(v) if self.vmax - self.vmin > 0.0 => num(v, self.decimals, false),
            Some(v) => sig(v),
        }
    }
}

/// The heatmap's cartesian chart: cell `(ix, iy)` spans `ix..ix+1` × `iy..iy+1`.
type Cells<'a, DB> = ChartContext<'a, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

impl Heat<'_> {
    /// The value of cell `(ix, iy)` in display units, if finite.
    fn cell(&self, ix: usize, iy: usize) -> Option<f64> {
        Some(unit(self.z) * self.values[iy][ix]).filter(|v| v.is_finite())
    }

    /// Tick marks at the cell centres, labelled with `xl` / `yl` (every `stride`-th label where
    /// they would touch).
    fn centre_ticks<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        chart: &Cells<DB>,
        (xl, yl): (&[String], &[String]),
        (x_stride, y_stride): (usize, usize),
    ) -> Result<(), DrawError> {
        let tick_style = text(22);
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
        Ok(())
    }

    /// The cells, coloured and annotated with the largest label size that fits every cell.
    fn cells<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        plot: &DrawingArea<DB, Shift>,
        chart: &Cells<DB>,
        sc: &Scale,
        (cell_w, cell_h): (f64, f64),
    ) -> Result<(), DrawError> {
        let (nx, ny) = (self.xs.len(), self.ys.len());
        let labels: Vec<String> = (0..ny)
            .flat_map(|iy| (0..nx).map(move |ix| (ix, iy)))
            .map(|(ix, iy)| sc.label(self.cell(ix, iy), self.z.percent))
            .collect();
        let mut size = 26;
        while size > 12
            && (f64::from(widest(plot, &labels, &bold(size))) > cell_w - 10.0 || f64::from(size) * 1.2 > cell_h - 4.0)
        {
            size -= 1;
        }
        for iy in 0..ny {
            for ix in 0..nx {
                let v = self.cell(ix, iy);
                let color = v.map_or(MISSING, |v| viridis(sc.t(v)));
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
        Ok(())
    }

    /// The colour scale in the column from pixel `left`, between the pixel rows `py`: its title
    /// wrapped above a vertical bar, ticks to the right, and a "no value" key if some cell has
    /// none.
    fn colour_scale<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        plot: &DrawingArea<DB, Shift>,
        left: i32,
        py: std::ops::Range<i32>,
        sc: &Scale,
    ) -> Result<(), DrawError> {
        let title_style = text(22);
        let mut title = wrap(plot, &self.z.label, &title_style, SCALE_W - 56);
        if title.len() > 3 {
            title.truncate(3);
            title[2] = shorten(plot, &format!("{} …", title[2]), &title_style, SCALE_W - 56);
        }
        let mut y = py.start;
        for line in &title {
            root.draw(&Text::new(line.clone(), (left, y), title_style.clone()))
                .map_err(draw_err)?;
            y += 28;
        }
        let bar_top = y + 16;
        let bar_bottom = py.end - if sc.any_missing { 56 } else { 0 };
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
        let zt = ticks(sc.z0, sc.z1, 6);
        let dz = tick_decimals(&zt);
        for v in zt {
            let y = bar_bottom - ((sc.t(v) * f64::from(h)).round() as i32);
            root.draw(&PathElement::new(
                vec![(left + bar_w, y), (left + bar_w + 8, y)],
                INK.stroke_width(1),
            ))
            .map_err(draw_err)?;
            let style = text(20).pos(Pos::new(HPos::Left, VPos::Center));
            root.draw(&Text::new(num(v, dz, self.z.percent), (left + bar_w + 12, y), style))
                .map_err(draw_err)?;
        }
        if sc.any_missing {
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

impl Plot for Heat<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let plot = framed(root, self.f)?;
        let (nx, ny) = (self.xs.len(), self.ys.len());
        if nx == 0 || ny == 0 {
            return nothing(&plot, "No values to show.");
        }
        let sc = Scale::new(self);
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
        self.centre_ticks(root, &chart, (&xl, &yl), (x_stride, y_stride))?;
        self.cells(root, &plot, &chart, &sc, (cell_w, cell_h))?;
        let (sx, _) = scale.get_pixel_range();
        self.colour_scale(root, &plot, sx.start + 24, py, &sc)
    }
}
