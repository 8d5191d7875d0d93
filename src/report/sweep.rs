//! The files of `armistice sweep` (`sweep.csv`, `sweep.md`, `sweep.html`, the charts) and its
//! terminal table.

use super::analysis_text::*;
use super::charts::analysis as charts;
use super::{Output, OutputError};
use crate::analysis::stat::Stat;
use crate::analysis::{SweepPoint, SweepSpec, csv_stats, file_stem};
use crate::runner::RunOptions;
use crate::scenario::Scenario;
use std::fmt::Write as _;

/// A simulated sweep, as reported.
pub struct SweepReport<'a> {
    /// The scenario swept (its file, as given).
    pub scenario: &'a Scenario,
    /// The sweep: its id, axes and charted statistics.
    pub spec: &'a SweepSpec,
    /// Every point, in grid order.
    pub points: &'a [SweepPoint],
    /// The runs and seed of every point.
    pub opts: RunOptions,
}

/// Stages `sweep.csv` (every [`csv_stats`] statistic at every point), the charts (a line chart
/// with 95% bands per charted statistic for one axis, a heatmap for two; unless `no_charts`),
/// `sweep.md` and `sweep.html`.
///
/// # Errors
/// [`OutputError`] naming the file that could not be written or the chart that could not be
/// drawn.
pub fn write(output: &mut Output, r: &SweepReport, no_charts: bool) -> Result<(), OutputError> {
    output.put("sweep.csv", &sweep_csv(r)?)?;
    let chart_files = if no_charts { vec![] } else { sweep_charts(output, r)? };
    let (head, rows) = table_rows(r);
    let reproduce = reproduce(r);
    let (s, spec, o) = (r.scenario, r.spec, &r.opts);
    let mut md = format!(
        "# Sweep `{}` of {}\n\n{} runs per point, seed {}, common random numbers: run r draws the same numbers at every point except the swept parameter(s).{}\n\nReproduce: `{reproduce}`\n\n",
        spec.id,
        s.meta.title,
        o.runs,
        o.seed,
        super::analysis_text::selection_note(s),
    );
    let _ = writeln!(
        md,
        "| {} |\n|{}|",
        head.join(" | "),
        head.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for row in &rows {
        let _ = writeln!(md, "| {} |", row.join(" | "));
    }
    png_links(&mut md, &chart_files);
    output.put("sweep.md", md.as_bytes())?;
    put_html(
        output,
        "sweep",
        &format!("Sweep {} of {}", spec.id, s.meta.title),
        &super::analysis_text::subtitle(s, o, "point"),
        &[format!(
            "Every point is simulated on the same runs (common random numbers): run r draws the same numbers at every point except the swept parameter(s), so differences between points are the parameter's effect, not sampling noise. Intervals are 95%.{}",
            super::analysis_text::selection_note(s)
        )],
        (&head, &rows),
        &chart_files,
        &reproduce,
    )
}

/// The terminal table: the charted statistics at every point, with 95% intervals.
pub fn terminal_table(r: &SweepReport) -> String {
    let (head, rows) = table_rows(r);
    let mut t = table();
    t.set_header(head);
    for row in rows {
        t.add_row(row);
    }
    t.to_string()
}

/// The command that reproduces the sweep.
fn reproduce(r: &SweepReport) -> String {
    format!(
        "armistice sweep {} {}--runs {} --seed {}",
        r.scenario.path.display(),
        r.spec
            .axes
            .iter()
            .map(|x| format!(
                "--set {}={} ",
                x.path,
                x.values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")
            ))
            .collect::<String>(),
        r.opts.runs,
        r.opts.seed
    )
}

/// The report's table: the swept values and each charted statistic with its interval, one row
/// per point.
fn table_rows(r: &SweepReport) -> (Vec<String>, Vec<Vec<String>>) {
    let mut head: Vec<String> = r.spec.axes.iter().map(|a| a.path.clone()).collect();
    head.extend(r.spec.stats.iter().map(|st| st.label(r.scenario)));
    let rows = r
        .points
        .iter()
        .map(|p| {
            let mut row: Vec<String> = p.at.iter().map(|x| format!("{x}")).collect();
            row.extend(r.spec.stats.iter().map(|st| show_ci(&p.stat(st), st.is_probability())));
            row
        })
        .collect();
    (head, rows)
}

/// `sweep.csv`: one row per point, the swept values, runs, seed, then each statistic with its
/// 95% bounds.
fn sweep_csv(r: &SweepReport) -> Result<Vec<u8>, OutputError> {
    let all = csv_stats(r.scenario, &r.spec.stats);
    let mut header: Vec<String> = r.spec.axes.iter().map(|a| a.path.clone()).collect();
    header.extend(["runs", "seed"].map(String::from));
    for st in &all {
        let n = st.name();
        header.extend([n.clone(), format!("{n} lo95"), format!("{n} hi95")]);
    }
    let rows = r.points.iter().map(|p| {
        let mut row: Vec<String> = p.at.iter().map(|x| format!("{x}")).collect();
        row.extend([r.opts.runs.to_string(), r.opts.seed.to_string()]);
        for st in &all {
            row.extend(cells(&p.stat(st)));
        }
        row
    });
    csv_bytes("sweep.csv", std::iter::once(header).chain(rows))
}

/// Draws one chart per charted statistic into the staged `charts/`; returns the files.
fn sweep_charts(output: &mut Output, r: &SweepReport) -> Result<Vec<String>, OutputError> {
    let dir = output.staged("charts");
    let mut files = vec![];
    for st in &r.spec.stats {
        files.extend(match r.spec.axes.as_slice() {
            [x] => line_chart(&dir, r, st, x),
            [x, y] => heatmap(&dir, r, st, x, y),
            _ => unreachable!("checked: one or two axes"),
        }?);
    }
    for f in &files {
        output.add(f);
    }
    Ok(files)
}

/// A one-parameter sweep's line chart of `st`, with its 95% band.
fn line_chart(
    dir: &std::path::Path,
    r: &SweepReport,
    st: &Stat,
    x: &crate::analysis::Axis,
) -> Result<Vec<String>, OutputError> {
    let s = r.scenario;
    let label = st.label(s);
    let series = charts::Series {
        name: label.clone(),
        points: x
            .values
            .iter()
            .zip(r.points)
            .map(|(xv, p)| point(*xv, &p.stat(st)))
            .collect(),
    };
    let f = charts::Frame {
        stem: file_stem(&st.name()),
        title: format!("{} as {} varies", capitalised(&label), x.path),
        subtitle: "Each point simulated on the same runs (common random numbers); band: 95% interval".into(),
        caption: caption(s, &r.opts, &format!("sweep of {}", x.path)),
    };
    let xaxis = charts::Axis {
        label: x.path.clone(),
        percent: false,
    };
    let yaxis = charts::Axis {
        label,
        percent: st.is_probability(),
    };
    charts::line_bands(dir, &f, &xaxis, &yaxis, &[series]).map_err(chart_err)
}

/// A two-parameter sweep's heatmap of `st` (first axis across, second up).
fn heatmap(
    dir: &std::path::Path,
    r: &SweepReport,
    st: &Stat,
    x: &crate::analysis::Axis,
    y: &crate::analysis::Axis,
) -> Result<Vec<String>, OutputError> {
    let s = r.scenario;
    let label = st.label(s);
    let values: Vec<Vec<f64>> = (0..y.values.len())
        .map(|iy| {
            (0..x.values.len())
                .map(|ix| r.points[iy * x.values.len() + ix].stat(st).value)
                .collect()
        })
        .collect();
    let f = charts::Frame {
        stem: file_stem(&st.name()),
        title: capitalised(&label),
        subtitle: format!("By {} and {}; every cell simulated on the same runs", x.path, y.path),
        caption: caption(s, &r.opts, &format!("sweep of {} × {}", x.path, y.path)),
    };
    let axis = |a: &crate::analysis::Axis| charts::Axis {
        label: a.path.clone(),
        percent: false,
    };
    let zaxis = charts::Axis {
        label,
        percent: st.is_probability(),
    };
    charts::heatmap(dir, &f, &axis(x), &axis(y), &x.values, &y.values, &values, &zaxis).map_err(chart_err)
}
