//! Charts of the analysis commands (parameter sweeps, sensitivity, scenario comparison): a line
//! chart with 95% bands ([`line_bands`], in `sweep.rs`), a heatmap ([`heatmap`], `heatmap.rs`), a
//! tornado chart ([`tornado`], `tornado.rs`) and grouped bars ([`grouped_bars`], `compare.rs`),
//! in the shared theme, written by the one chart renderer ([`render`](super::render::render)).
//! This module holds what they share: the data types, the frame, and the text and number
//! helpers (the colours, markers and legend are in `marks.rs`).
//!
//! Unlike the report's charts these read plain data, not a [`Summary`](crate::stats::Summary):
//! each function takes the texts around the chart ([`Frame`]), its axes ([`Axis`]) and its
//! numbers, writes `<dir>/<stem>.png` and `<dir>/<stem>.svg` (each atomically, the SVG naming the
//! embedded DejaVu Sans first) and returns `["charts/<stem>.png", "charts/<stem>.svg"]`.
//!
//! Probabilities are given on [0, 1] and shown as percentages when their [`Axis`] says
//! `percent`; every other statistic is shown in its own units. Non-finite numbers are never
//! drawn as data (see each function).

use super::issues::truncate;
use super::packages::LINE_WIDTH;
use super::render::{DrawError, draw_err};
use super::theme::*;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

pub use super::compare::{GroupedBar, grouped_bars};
pub use super::heatmap::heatmap;
pub use super::render::ChartError;
pub use super::sweep::{Series, line_bands};
pub use super::tornado::{TornadoBar, tornado};

/// A statistic at one x with its 95% interval. Probabilities are on [0, 1] (shown as %), other
/// statistics in their own units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Where the statistic was measured: a parameter value (a sweep) or a round (a cumulative
    /// curve), in the units of the x axis (on [0, 1] if that axis is `percent`).
    pub x: f64,
    /// The statistic (its point estimate).
    pub value: f64,
    /// Lower end of its 95% interval, in the units of `value`.
    pub lo: f64,
    /// Upper end of its 95% interval, in the units of `value`.
    pub hi: f64,
}

/// Texts around a chart.
#[derive(Debug, Clone)]
pub struct Frame {
    /// File stem: the chart is written to `<dir>/<stem>.png` and `<dir>/<stem>.svg` (a plain
    /// file name, no path separators).
    pub stem: String,
    /// Title (bold, 38 px; a longer one is set smaller, then shortened with an ellipsis).
    pub title: String,
    /// One line under the title (24 px; fitted to the width likewise).
    pub subtitle: String,
    /// The line under the chart, "armistice · scenario ID · N runs · seed S" (20 px).
    pub caption: String,
}

/// `percent`: values are probabilities, shown as % on the axis/labels.
#[derive(Debug, Clone)]
pub struct Axis {
    /// Axis title, e.g. "Probability of agreement within 2 years".
    pub label: String,
    /// The values on this axis are probabilities on [0, 1], shown as percentages.
    pub percent: bool,
}

/// Splits the area into (title band, plot, caption band) and draws the frame's texts, as
/// [`frame`] does with a caption given as text; each text is fitted to the chart's width.
pub(super) fn framed<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    f: &Frame,
) -> Result<DrawingArea<DB, Shift>, DrawError> {
    root.fill(&WHITE).map_err(draw_err)?;
    let (top, rest) = root.split_vertically(110);
    let (plot, bottom) = rest.split_vertically(SIZE.1 - 110 - 50);
    let (title, size) = fit(root, &f.title, bold, 38, 28, LINE_WIDTH);
    top.draw_text(&title, &bold(size), (40, 22)).map_err(draw_err)?;
    let sub_style = |s| text(s).color(&RGBColor(90, 90, 90));
    let (sub, size) = fit(root, &f.subtitle, sub_style, 24, 18, LINE_WIDTH);
    top.draw_text(&sub, &sub_style(size), (40, 72)).map_err(draw_err)?;
    let cap_style = |s| text(s).color(&RGBColor(110, 110, 110));
    let (cap, size) = fit(root, &f.caption, cap_style, 20, 16, LINE_WIDTH);
    bottom.draw_text(&cap, &cap_style(size), (40, 14)).map_err(draw_err)?;
    Ok(plot)
}

/// A message in place of a chart with nothing to show.
pub(super) fn nothing<DB: DrawingBackend>(plot: &DrawingArea<DB, Shift>, message: &str) -> Result<(), DrawError> {
    plot.draw_text(message, &text(28), (60, 200)).map_err(draw_err)
}

// ---------------------------------------------------------------------------------------------
// text and numbers

/// Width in pixels of `s` in `style` (0 if it cannot be measured).
pub(super) fn width_of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, s: &str, style: &TextStyle) -> u32 {
    area.estimate_text_size(s, style).map_or(0, |(w, _)| w)
}

/// `s` and the largest size in `min..=max` (in steps of 2 px) at which `style(size)` sets it
/// within `max_w` pixels; if none does, `s` shortened with an ellipsis at the smallest size.
pub(super) fn fit<'a, DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: impl Fn(u32) -> TextStyle<'a>,
    max: u32,
    min: u32,
    max_w: u32,
) -> (String, u32) {
    let mut size = max;
    while size > min {
        if width_of(area, s, &style(size)) <= max_w {
            return (s.to_string(), size);
        }
        size = size.saturating_sub(2).max(min);
    }
    (shorten(area, s, &style(min), max_w), min)
}

/// `s`, shortened with an ellipsis if needed to fit `max_w` pixels in `style`.
pub(super) fn shorten<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    max_w: u32,
) -> String {
    if width_of(area, s, style) <= max_w {
        return s.to_string();
    }
    // the longest prefix that fits (binary search on the number of characters)
    let (mut lo, mut hi) = (0, s.chars().count());
    while lo + 1 < hi {
        let mid = (lo + hi) / 2;
        if width_of(area, &truncate(s, mid), style) <= max_w {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    if lo == 0 { String::new() } else { truncate(s, lo) }
}

/// `s` broken at spaces into lines of at most `max_w` pixels in `style` (a word longer than
/// that is shortened).
pub(super) fn wrap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    s: &str,
    style: &TextStyle,
    max_w: u32,
) -> Vec<String> {
    let mut lines: Vec<String> = vec![];
    let mut line = String::new();
    for word in s.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if line.is_empty() || width_of(area, &candidate, style) <= max_w {
            line = candidate;
        } else {
            lines.push(shorten(area, &line, style, max_w));
            line = word.to_string();
        }
    }
    if !line.is_empty() {
        lines.push(shorten(area, &line, style, max_w));
    }
    lines
}

/// The factor from data to display units: 100 for a `percent` axis, else 1.
pub(super) fn unit(a: &Axis) -> f64 {
    if a.percent { 100.0 } else { 1.0 }
}

/// `v` with up to 3 significant digits, trailing zeros dropped: 0.003, 0.0125, 12.5, 1500;
/// scientific notation below 1e-4 and from 1e7; "–" if not finite.
pub(super) fn sig(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if !(1e-4..1e7).contains(&a) {
        return format!("{v:.2e}");
    }
    let d = (2 - a.log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.d$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// `v` (in display units) with `d` decimals, a "%" appended if `percent`; never "-0".
pub(super) fn num(v: f64, d: usize, percent: bool) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let mut s = format!("{v:.d$}");
    if s.starts_with('-') && s[1..].chars().all(|c| c == '0' || c == '.') {
        s.remove(0);
    }
    if percent { s + "%" } else { s }
}

/// The tick values plotters draws on an axis `lo..hi` asked for at most `n` labels.
pub(super) fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    RangedCoordf64::from(lo..hi).key_points(BoldPoints(n))
}

/// Decimals needed to print evenly spaced `ticks` exactly (0 for one tick).
pub(super) fn tick_decimals(ticks: &[f64]) -> usize {
    let step = ticks
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(f64::INFINITY, f64::min);
    if !step.is_finite() || step <= 0.0 {
        return 0;
    }
    (-step.log10() - 1e-6).ceil().clamp(0.0, 8.0) as usize
}

/// Labels of the given values (in data units) for a category axis: as few decimals as print all
/// exactly (up to 4), else as make them distinct (2 to 6); "%" and ×100 if `percent`.
pub(super) fn value_labels(vs: &[f64], percent: bool) -> Vec<String> {
    let k = if percent { 100.0 } else { 1.0 };
    let shown: Vec<f64> = vs.iter().map(|v| v * k).collect();
    let finite: Vec<f64> = shown.iter().copied().filter(|v| v.is_finite()).collect();
    let exact = |d: usize| {
        let p = 10f64.powi(d as i32);
        finite
            .iter()
            .all(|v| ((v * p).round() / p - v).abs() <= 1e-9 * v.abs().max(1.0))
    };
    let distinct = |d: usize| {
        let mut s: Vec<String> = finite.iter().map(|v| num(*v, d, false)).collect();
        s.sort();
        s.dedup();
        s.len() == {
            let mut f = finite.clone();
            f.sort_by(f64::total_cmp);
            f.dedup();
            f.len()
        }
    };
    let d = (0..=4)
        .find(|&d| exact(d))
        .or_else(|| (2..=6).find(|&d| distinct(d)))
        .unwrap_or(6);
    shown.iter().map(|v| num(*v, d, percent)).collect()
}

/// A "nice" number at least `x` (1, 2, 2.5, 5 or 10 times a power of ten); 1 for `x <= 0`.
pub(super) fn nice_up(x: f64) -> f64 {
    if !x.is_finite() || x <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|v| *v >= x * (1.0 - 1e-12))
        .unwrap_or(10.0 * p)
}

/// The top of a percentage axis starting at 0 showing values up to `top` (percent): the next
/// multiple of 10 above 10%, a "nice" number below; at most 100, 10 if nothing is positive.
pub(super) fn pct_top(top: f64) -> f64 {
    if !top.is_finite() || top <= 0.0 {
        10.0
    } else if top > 10.0 {
        ((top / 10.0).ceil() * 10.0).min(100.0)
    } else {
        nice_up(top)
    }
}

/// A padded range around the finite `values` (5% each side; a single value ± 10% of itself or
/// ± 0.1), or `fallback` if there are none.
pub(super) fn padded(values: impl IntoIterator<Item = f64>, fallback: (f64, f64)) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    if !lo.is_finite() {
        return fallback;
    }
    let span = hi - lo;
    if span <= 1e-12 * lo.abs().max(1.0) {
        let pad = (lo.abs() * 0.1).max(0.1);
        return (lo - pad, hi + pad);
    }
    (lo - span * 0.05, hi + span * 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn frame(stem: &str) -> Frame {
        Frame {
            stem: stem.into(),
            title: "How the war cost moves the odds of a deal".into(),
            subtitle: "P(agreement within 2 years) against actor.RU.war_cost; bands: 95% intervals".into(),
            caption: "armistice · scenario ru-ua-2025 · 2,000 runs · seed 42".into(),
        }
    }

    fn pct(label: &str) -> Axis {
        Axis {
            label: label.into(),
            percent: true,
        }
    }

    fn plain(label: &str) -> Axis {
        Axis {
            label: label.into(),
            percent: false,
        }
    }

    /// A probability `p` with a ±`w` interval, clamped to [0, 1].
    fn point(x: f64, p: f64, w: f64) -> Point {
        Point {
            x,
            value: p,
            lo: (p - w).max(0.0),
            hi: (p + w).min(1.0),
        }
    }

    fn sweep() -> Vec<Series> {
        let xs = [0.001, 0.002, 0.003, 0.004, 0.005, 0.006, 0.007];
        vec![
            Series {
                name: "ru-ua-2025".into(),
                points: xs
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| point(x, 0.2 + 0.09 * i as f64, 0.03))
                    .collect(),
            },
            Series {
                name: "ru-ua-2025-guarantees".into(),
                points: xs
                    .iter()
                    .enumerate()
                    .map(|(i, &x)| point(x, 0.3 + 0.1 * i as f64, 0.025))
                    .collect(),
            },
        ]
    }

    fn grid() -> (Vec<f64>, Vec<f64>, Vec<Vec<f64>>) {
        let xs: Vec<f64> = vec![0.5, 1.0, 1.5, 2.0, 2.5];
        let ys: Vec<f64> = vec![0.1, 0.2, 0.3, 0.4, 0.5];
        let values = ys
            .iter()
            .map(|y| xs.iter().map(|x| (0.1 + 0.25 * x * y + 0.3 * y).min(1.0)).collect())
            .collect();
        (xs, ys, values)
    }

    fn tornado_bars(n: usize) -> Vec<TornadoBar> {
        let names = [
            "actor.UA.red_lines.2.binding",
            "actor.RU.war_cost",
            "actor.UA.war_cost",
            "actor.RU.discount",
            "actor.US.leverage.sanctions_relief",
            "issue.territory.salience.RU",
            "actor.EU.capability",
            "actor.UA.reservation_utility",
            "event.front_collapse.probability",
            "actor.RU.beliefs.UA.resolve",
            "issue.guarantees.salience.UA",
            "ratification.UA.threshold",
        ];
        (0..n)
            .map(|i| {
                let swing = 0.3 / (1.0 + i as f64);
                let (lo, hi) = if i % 3 == 1 {
                    (0.45 + swing, 0.45 - swing)
                } else {
                    (0.45 - swing, 0.45 + swing * 0.7)
                };
                TornadoBar {
                    label: names[i % names.len()].into(),
                    low: point(0.0, lo, 0.02),
                    high: point(0.0, hi, 0.02),
                    low_param: 0.001 * (1 + i) as f64,
                    high_param: 0.0125 * (1 + i) as f64,
                }
            })
            .collect()
    }

    fn issues() -> (Vec<String>, Vec<GroupedBar>) {
        let groups = [
            "Territory",
            "Security guarantees for Ukraine",
            "Sanctions relief",
            "Military neutrality",
            "Reparations and frozen assets",
        ];
        let mut bars = vec![];
        for (g, title) in groups.iter().enumerate() {
            for o in 0..5 {
                let a = (0.05 + 0.07 * ((g + 2 * o) % 6) as f64).min(1.0);
                let b = (a * 1.3 + 0.02).min(1.0);
                bars.push(GroupedBar {
                    group: (*title).into(),
                    label: format!("{}{}", &title[..1], o + 1),
                    values: vec![point(0.0, a, 0.03), point(0.0, b, 0.035)],
                    missing: None,
                });
            }
        }
        (vec!["ru-ua-2025".into(), "ru-ua-2025-guarantees".into()], bars)
    }

    fn written(dir: &Path, stem: &str, out: &[String]) {
        assert_eq!(out, [format!("charts/{stem}.png"), format!("charts/{stem}.svg")]);
        for ext in ["png", "svg"] {
            let len = std::fs::metadata(dir.join(format!("{stem}.{ext}"))).map_or(0, |m| m.len());
            assert!(len > 0, "{stem}.{ext} is missing or empty");
        }
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        assert!(
            !svg.contains("font-family=\"sans-serif\""),
            "the SVG names DejaVu Sans first"
        );
    }

    #[test]
    fn line_bands_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let x = plain("actor.RU.war_cost (utility per round)");
        let y = pct("Probability of agreement within 2 years");
        let out = line_bands(dir.path(), &frame("sweep"), &x, &y, &sweep()).unwrap();
        written(dir.path(), "sweep", &out);
        // a single series of a single point
        let one = [Series {
            name: "only".into(),
            points: vec![point(3.0, 0.5, 0.1)],
        }];
        let out = line_bands(dir.path(), &frame("one"), &x, &y, &one).unwrap();
        written(dir.path(), "one", &out);
    }

    #[test]
    fn heatmap_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let (xs, ys, mut values) = grid();
        values[2][3] = f64::NAN;
        let out = heatmap(
            dir.path(),
            &frame("grid"),
            &plain("actor.RU.war_cost"),
            &plain("actor.UA.discount"),
            &xs,
            &ys,
            &values,
            &pct("P(agreement)"),
        )
        .unwrap();
        written(dir.path(), "grid", &out);
    }

    #[test]
    fn heatmap_rejects_ragged_values() {
        let dir = tempfile::tempdir().unwrap();
        let (xs, ys, mut values) = grid();
        values[1].pop();
        let a = plain("a");
        assert!(heatmap(dir.path(), &frame("bad"), &a, &a, &xs, &ys, &values, &a).is_err());
        assert!(heatmap(dir.path(), &frame("bad"), &a, &a, &xs, &ys[1..], &values, &a).is_err());
    }

    #[test]
    fn tornado_writes_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let out = tornado(
            dir.path(),
            &frame("tornado"),
            &pct("P(agreement within 2 years)"),
            0.45,
            &tornado_bars(12),
        )
        .unwrap();
        written(dir.path(), "tornado", &out);
    }

    #[test]
    fn grouped_bars_write_png_and_svg() {
        let dir = tempfile::tempdir().unwrap();
        let (names, bars) = issues();
        let out = grouped_bars(
            dir.path(),
            &frame("compare"),
            &pct("Share of agreements"),
            &names,
            &bars,
        )
        .unwrap();
        written(dir.path(), "compare", &out);
        let mut bad = bars.clone();
        bad[3].values.pop();
        assert!(grouped_bars(dir.path(), &frame("bad"), &pct("x"), &names, &bad).is_err());
    }

    #[test]
    fn degenerate_inputs_still_render() {
        let dir = tempfile::tempdir().unwrap();
        let (p, a) = (pct("P(agreement)"), plain("x"));
        let nan = Point {
            x: f64::NAN,
            value: f64::NAN,
            lo: f64::NAN,
            hi: f64::NAN,
        };
        let cases: Vec<(&str, Result<Vec<String>, ChartError>)> = vec![
            ("lines-none", line_bands(dir.path(), &frame("lines-none"), &a, &p, &[])),
            (
                "lines-nan",
                line_bands(
                    dir.path(),
                    &frame("lines-nan"),
                    &a,
                    &p,
                    &[Series {
                        name: "a".into(),
                        points: vec![nan],
                    }],
                ),
            ),
            (
                "lines-equal",
                line_bands(
                    dir.path(),
                    &frame("lines-equal"),
                    &a,
                    &a,
                    &[Series {
                        name: "a".into(),
                        points: (0..5).map(|i| point(f64::from(i), 0.5, 0.0)).collect(),
                    }],
                ),
            ),
            (
                "heat-empty",
                heatmap(dir.path(), &frame("heat-empty"), &a, &a, &[], &[], &[], &p),
            ),
            (
                "heat-nan",
                heatmap(
                    dir.path(),
                    &frame("heat-nan"),
                    &a,
                    &a,
                    &[1.0, 2.0],
                    &[1.0],
                    &[vec![f64::NAN, f64::INFINITY]],
                    &p,
                ),
            ),
            (
                "tornado-none",
                tornado(dir.path(), &frame("tornado-none"), &p, 0.5, &[]),
            ),
            (
                "tornado-flat",
                tornado(
                    dir.path(),
                    &frame("tornado-flat"),
                    &p,
                    f64::NAN,
                    &[TornadoBar {
                        label: "actor.RU.war_cost".into(),
                        low: nan,
                        high: point(0.0, 0.5, 0.0),
                        low_param: f64::NAN,
                        high_param: 2e-6,
                    }],
                ),
            ),
            (
                "grouped-none",
                grouped_bars(dir.path(), &frame("grouped-none"), &p, &[], &[]),
            ),
        ];
        for (stem, out) in cases {
            written(dir.path(), stem, &out.unwrap());
        }
    }

    #[test]
    fn stems_must_be_plain_file_names() {
        let dir = tempfile::tempdir().unwrap();
        for stem in ["", "..", "a/b"] {
            let y = pct("p");
            assert!(line_bands(dir.path(), &frame(stem), &y, &y, &sweep()).is_err());
        }
    }

    #[test]
    fn numbers_print_as_intended() {
        assert_eq!(sig(0.003), "0.003");
        assert_eq!(sig(0.0125), "0.0125");
        assert_eq!(sig(12.345), "12.3");
        assert_eq!(sig(1500.0), "1500");
        assert_eq!(sig(-0.5), "-0.5");
        assert_eq!(sig(0.0), "0");
        assert_eq!(sig(f64::NAN), "–");
        assert_eq!(num(-0.0001, 1, true), "0.0%");
        assert_eq!(
            value_labels(&[0.001, 0.002, 0.0035], false),
            ["0.0010", "0.0020", "0.0035"]
        );
        assert_eq!(value_labels(&[0.1, 0.25], true), ["10%", "25%"]);
        assert_eq!(value_labels(&[0.1, 0.125], true), ["10.0%", "12.5%"]);
        assert_eq!(value_labels(&[1.0, 2.0], false), ["1", "2"]);
        assert_eq!(tick_decimals(&[0.0, 0.5, 1.0]), 1);
        assert_eq!(tick_decimals(&[0.0, 20.0, 40.0]), 0);
        assert_eq!(nice_up(42.0), 50.0);
        assert_eq!(nice_up(2.1), 2.5);
    }
}
