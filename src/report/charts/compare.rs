//! Grouped bars comparing scenarios: one row per category, in up to four columns.

use super::analysis::{
    Axis, Frame, Point, framed, nothing, num, padded, pct_top, shorten, tick_decimals, ticks, unit, width_of,
};
use super::marks::{Mark, series_color, whisker, with_legend};
use super::packages::LINE_WIDTH;
use super::render::{ChartError, DrawError, Plot, draw_err, render};
use super::theme::*;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::Path;

/// One category of a grouped bar chart: its value in each scenario.
#[derive(Debug, Clone)]
pub struct GroupedBar {
    /// The group the category belongs to, e.g. an issue's title ("Territory"); categories of a
    /// group are drawn together under its name, groups in the order they first appear.
    pub group: String,
    /// The category, e.g. an issue's option "T4".
    pub label: String,
    /// One value per scenario, in the order of `names` (the `x` of each point is unused); a
    /// non-finite value is drawn as the words `missing`.
    pub values: Vec<Point>,
    /// The words drawn for a non-finite value ("no value" for `None`).
    pub missing: Option<String>,
}

/// Grouped bars: for each category (e.g. an issue's option "T4"), one bar per scenario side by
/// side with a whisker for its 95% interval; categories grouped by `group` (e.g. the issue
/// title) with the group names shown; legend with `names` (scenario ids) in palette order.
///
/// Drawn as horizontal bars, one row per category (its label on the left, its bars one under
/// the other in the order of `names`), each group under a heading strip with its name; when the
/// rows do not fit one column at a readable size they are set in up to four columns (groups never
/// split), all on the same value scale. `y` is the value axis (drawn horizontally); a `percent`
/// one starts at 0%, any other includes 0.
///
/// # Errors
/// A category without one value per name, an invalid stem, drawing or I/O errors.
pub fn grouped_bars(
    dir: &Path,
    f: &Frame,
    y: &Axis,
    names: &[String],
    bars: &[GroupedBar],
) -> Result<Vec<String>, ChartError> {
    if let Some(b) = bars.iter().find(|b| b.values.len() != names.len()) {
        return Err(ChartError::GroupedValues {
            stem: f.stem.clone(),
            label: b.label.clone(),
            group: b.group.clone(),
            len: b.values.len(),
            names: names.len(),
        });
    }
    render(dir, &f.stem, &Grouped { f, y, names, bars })
}

/// The data of [`grouped_bars`].
struct Grouped<'a> {
    f: &'a Frame,
    y: &'a Axis,
    names: &'a [String],
    bars: &'a [GroupedBar],
}

/// Height of a group heading relative to a category row (at most 40 pixels).
const HEADING: f64 = 0.8;

/// Height of the band holding the value axis' title under the columns, pixels.
const DESC_H: u32 = 44;

/// Splits `sizes` into at most `parts` consecutive runs minimising the largest sum; returns the
/// index where each run starts.
fn partition(sizes: &[f64], parts: usize) -> Vec<usize> {
    let n = sizes.len();
    let parts = parts.clamp(1, n.max(1));
    let sum = |a: usize, b: usize| sizes[a..b].iter().sum::<f64>();
    // best[p][i]: smallest largest sum splitting the first i sizes into p runs; from[p][i]: start
    // of the last run
    let mut best = vec![vec![f64::INFINITY; n + 1]; parts + 1];
    let mut from = vec![vec![0; n + 1]; parts + 1];
    best[0][0] = 0.0;
    for p in 1..=parts {
        for i in 1..=n {
            for s in (p - 1)..i {
                let v = best[p - 1][s].max(sum(s, i));
                if v <= best[p][i] {
                    best[p][i] = v;
                    from[p][i] = s;
                }
            }
        }
    }
    let p = (1..=parts)
        .min_by(|a, b| best[*a][n].total_cmp(&best[*b][n]).then(a.cmp(b)))
        .unwrap_or(1);
    let mut starts = vec![];
    let (mut p, mut i) = (p, n);
    while p > 0 {
        let s = from[p][i];
        starts.push(s);
        i = s;
        p -= 1;
    }
    starts.reverse();
    starts
}

/// The categories by group, groups in order of first appearance, each with its categories in
/// order.
type Groups<'a> = Vec<(&'a str, Vec<&'a GroupedBar>)>;

/// How the groups are set in columns: where each column's groups start, the heights of a heading
/// and of a category row, and the tallest column's height (pixels).
struct Columns {
    starts: Vec<usize>,
    groups: usize,
    head_px: f64,
    row_px: f64,
    total: f64,
}

impl Columns {
    /// As few columns as give every category row enough height for its `m` bars (groups whole),
    /// within `avail` pixels of height.
    fn new(groups: &Groups, avail: f64, m: usize) -> Columns {
        let units: Vec<f64> = groups.iter().map(|(_, v)| HEADING + v.len() as f64).collect();
        let min_row = (11.0 * m as f64 + 10.0).max(30.0);
        let span = |starts: &[usize], c: usize| starts[c]..starts.get(c + 1).copied().unwrap_or(groups.len());
        let column_units = |starts: &[usize]| {
            (0..starts.len())
                .map(|c| units[span(starts, c)].iter().sum::<f64>())
                .fold(0.0, f64::max)
        };
        let max_cols = groups.len().min(4);
        let starts = (1..=max_cols)
            .map(|c| partition(&units, c))
            .find(|s| avail / column_units(s) >= min_row)
            .unwrap_or_else(|| partition(&units, max_cols));
        // row and heading heights (pixels), neither grown past a comfortable size
        let r0 = avail / column_units(&starts);
        let head_px = (r0 * HEADING).min(40.0);
        let row_px = (0..starts.len())
            .map(|c| {
                let (heads, cats) = (
                    span(&starts, c).len() as f64,
                    units[span(&starts, c)].iter().sum::<f64>(),
                );
                let cats = cats - heads * HEADING;
                (avail - heads * head_px) / cats.max(1.0)
            })
            .fold(f64::INFINITY, f64::min)
            .min(24.0 * m as f64 + 26.0);
        let height = |c: usize| {
            let r = span(&starts, c);
            let cats: usize = groups[r.clone()].iter().map(|(_, v)| v.len()).sum();
            r.len() as f64 * head_px + cats as f64 * row_px
        };
        let total = (0..starts.len()).map(height).fold(0.0, f64::max);
        Columns {
            starts,
            groups: groups.len(),
            head_px,
            row_px,
            total,
        }
    }

    /// The groups of column `c`.
    fn span(&self, c: usize) -> std::ops::Range<usize> {
        self.starts[c]..self.starts.get(c + 1).copied().unwrap_or(self.groups)
    }
}

/// Height of the tick-label band under each column, pixels.
const X_AREA: u32 = 44;

/// What every column shares: the value range, the heading size and the category labels' style.
struct ColumnStyle<'s> {
    v0: f64,
    v1: f64,
    head_size: u32,
    label_style: TextStyle<'s>,
}

impl Grouped<'_> {
    /// The categories by group ([`Groups`]).
    fn groups(&self) -> Groups<'_> {
        let mut groups: Groups = vec![];
        for b in self.bars {
            match groups.iter_mut().find(|(g, _)| *g == b.group) {
                Some((_, v)) => v.push(b),
                None => groups.push((&b.group, vec![b])),
            }
        }
        groups
    }

    /// A value in display units as (value, lo, hi), lo ≤ value ≤ hi; `None` if not finite.
    fn shown(&self, p: &Point) -> Option<(f64, f64, f64)> {
        let k = unit(self.y);
        let v = p.value.is_finite().then_some(k * p.value);
        let or = |u: f64| if u.is_finite() { k * u } else { k * p.value };
        v.map(|v| (v, or(p.lo).min(or(p.hi)).min(v), or(p.hi).max(or(p.lo)).max(v)))
    }

    /// The value axis: from 0% on a percentage axis, else including 0.
    fn value_range(&self) -> (f64, f64) {
        let all: Vec<(f64, f64, f64)> = self
            .bars
            .iter()
            .flat_map(|b| b.values.iter().filter_map(|p| self.shown(p)))
            .collect();
        if self.y.percent {
            let top = all.iter().map(|p| p.2).fold(0.0, f64::max);
            (0.0, pct_top(top * 1.02))
        } else {
            let (a, b) = padded(all.iter().flat_map(|p| [p.1, p.2]).chain([0.0]), (0.0, 1.0));
            (if all.iter().all(|p| p.1 >= 0.0) { 0.0 } else { a }, b)
        }
    }

    /// One column: its axis, then each group's heading strip and its categories' bars.
    fn draw_column<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        col: &DrawingArea<DB, Shift>,
        here: &[(&str, Vec<&GroupedBar>)],
        cols: &Columns,
        st: &ColumnStyle,
    ) -> Result<(), DrawError> {
        let (v0, v1, total) = (st.v0, st.v1, cols.total);
        let max_label = col.dim_in_pixel().0 * 2 / 5;
        let labels: Vec<String> = here
            .iter()
            .flat_map(|(_, v)| {
                v.iter()
                    .map(|b| shorten(col, &b.label, &st.label_style, max_label - 30))
            })
            .collect();
        let lay = label_layout(col, &labels, &st.label_style, 60, max_label);
        let axis_w = lay.axis_w + lay.margin_right - 36;
        let nx = ((axis_w / 110) as usize).clamp(3, 10);
        let dx = tick_decimals(&ticks(v0, v1, nx));
        let pct = self.y.percent;
        let mut chart = ChartBuilder::on(col)
            .margin_left(lay.margin_left)
            .margin_right(36)
            .margin_top(12)
            .x_label_area_size(X_AREA)
            .y_label_area_size(lay.y_area)
            .build_cartesian_2d(v0..v1, 0f64..total)
            .map_err(draw_err)?;
        themed_mesh(&mut chart.configure_mesh())
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(nx)
            .x_label_formatter(&|v| num(*v, dx, pct))
            .draw()
            .map_err(draw_err)?;
        let (px, py) = chart.plotting_area().get_pixel_range();
        let strip_left = col.get_base_pixel().0 + lay.margin_left as i32;
        // the pixel row `u` layout pixels below the top of the plot, and the pixel column of a
        // value (clamped to the axis)
        let at = |u: f64| chart.backend_coord(&(v0, total - u)).1;
        let x = |v: f64| chart.backend_coord(&(v.clamp(v0, v1), 0.0)).0;
        let mut u = 0.0;
        let mut labels = labels.into_iter();
        for (g, (name, cats)) in here.iter().enumerate() {
            // heading strip over the label area and the plot
            let (t, b) = (at(u) + if g == 0 { 0 } else { 6 }, at(u + cols.head_px) - 1);
            root.draw(&Rectangle::new(
                [(strip_left, t), (px.end, b)],
                RGBColor(236, 236, 236).filled(),
            ))
            .map_err(draw_err)?;
            let room = (px.end - strip_left - 20).max(0) as u32;
            let head = shorten(col, name, &bold(st.head_size), room);
            root.draw(&Text::new(
                head,
                (strip_left + 10, (t + b) / 2),
                bold(st.head_size).pos(Pos::new(HPos::Left, VPos::Center)),
            ))
            .map_err(draw_err)?;
            u += cols.head_px;
            for bar in cats {
                let cy = (at(u) + at(u + cols.row_px)) / 2;
                let label = labels.next().unwrap_or_default();
                root.draw(&Text::new(
                    label,
                    (px.start - 12, cy),
                    st.label_style.pos(Pos::new(HPos::Right, VPos::Center)),
                ))
                .map_err(draw_err)?;
                self.draw_bars(root, bar, cy, cols.row_px, &x)?;
                u += cols.row_px;
            }
        }
        if v0 < 0.0 {
            let zero = x(0.0);
            root.draw(&PathElement::new(
                vec![(zero, py.start), (zero, py.end)],
                RGBColor(120, 120, 120).stroke_width(2),
            ))
            .map_err(draw_err)?;
        }
        Ok(())
    }

    /// One category's bars (one per name, one under the other around the pixel row `cy`) with
    /// their whiskers, or "no value"; `x` is the pixel column of a value.
    fn draw_bars<DB: DrawingBackend>(
        &self,
        root: &DrawingArea<DB, Shift>,
        bar: &GroupedBar,
        cy: i32,
        row_px: f64,
        x: &impl Fn(f64) -> i32,
    ) -> Result<(), DrawError> {
        let m = self.names.len();
        let zero = x(0.0);
        let thick = ((row_px * 0.8) / m as f64).clamp(3.0, 24.0);
        for (i, p) in bar.values.iter().enumerate() {
            let top = (f64::from(cy) - thick * m as f64 / 2.0 + thick * i as f64).round() as i32;
            let bottom = (f64::from(cy) - thick * m as f64 / 2.0 + thick * (i + 1) as f64).round() as i32;
            let mid = (top + bottom) / 2;
            match self.shown(p) {
                Some((v, lo, hi)) => {
                    let e = x(v);
                    root.draw(&Rectangle::new(
                        [(zero.min(e), top + 1), (zero.max(e).max(zero.min(e) + 1), bottom - 1)],
                        series_color(i).filled(),
                    ))
                    .map_err(draw_err)?;
                    whisker(root, x(lo), x(hi), mid, ((bottom - top) / 3).clamp(2, 6))?;
                }
                None => {
                    let size = (thick as u32 + 4).clamp(10, 16);
                    let grey = RGBColor(110, 110, 110);
                    let style = text(size).color(&grey).pos(Pos::new(HPos::Left, VPos::Center));
                    root.draw(&Text::new(
                        bar.missing.as_deref().unwrap_or("no value"),
                        (zero + 6, mid),
                        style,
                    ))
                    .map_err(draw_err)?;
                }
            }
        }
        Ok(())
    }
}

impl Plot for Grouped<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        let plot = framed(root, self.f)?;
        let m = self.names.len();
        let items: Vec<(Mark, String)> = self
            .names
            .iter()
            .enumerate()
            .map(|(i, s)| (Mark::Box(series_color(i)), s.clone()))
            .collect();
        let plot = with_legend(plot, &items)?;
        if self.bars.is_empty() || m == 0 {
            return nothing(&plot, "No values to show.");
        }
        let groups = self.groups();
        let (v0, v1) = self.value_range();
        let avail = f64::from(plot.dim_in_pixel().1.saturating_sub(12 + X_AREA + DESC_H));
        let cols = Columns::new(&groups, avail, m);
        let (cols_area, rest) = plot.split_vertically(cols.total.ceil() as u32 + 12 + X_AREA);
        // the axis title once, centred under the columns
        let desc_text = shorten(&plot, &self.y.label, &text(24), LINE_WIDTH);
        rest.draw(&Text::new(
            desc_text,
            (rest.dim_in_pixel().0 as i32 / 2, DESC_H as i32 / 2),
            text(24).pos(Pos::new(HPos::Center, VPos::Center)),
        ))
        .map_err(draw_err)?;
        let columns = cols_area.split_evenly((1, cols.starts.len()));
        let label_size = (cols.row_px * 0.55).floor().clamp(12.0, 22.0) as u32;
        // one heading size for all: the largest (down to 17 px) at which every heading fits its
        // strip (the column less the 30 px left margin, 36 px right margin and 20 px padding)
        let room = columns
            .iter()
            .map(|c| c.dim_in_pixel().0)
            .min()
            .unwrap_or(0)
            .saturating_sub(86);
        let head_max = (cols.head_px * 0.75).floor().clamp(12.0, 22.0) as u32;
        let head_size = (head_max.min(17)..=head_max)
            .rev()
            .find(|&size| groups.iter().all(|(g, _)| width_of(&plot, g, &bold(size)) <= room))
            .unwrap_or(head_max.min(17));
        let st = ColumnStyle {
            v0,
            v1,
            head_size,
            label_style: text(label_size),
        };
        for (c, col) in columns.iter().enumerate() {
            self.draw_column(root, col, &groups[cols.span(c)], &cols, &st)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_balances_columns_without_splitting_groups() {
        assert_eq!(partition(&[5.8, 5.8, 5.8, 5.8, 5.8], 2), [0, 3]);
        assert_eq!(partition(&[3.0], 3), [0]);
        assert_eq!(partition(&[1.0, 1.0, 8.0], 2), [0, 2]);
    }
}
