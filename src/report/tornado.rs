//! The files of `armistice tornado` (`tornado.csv`, `tornado.md`, `tornado.html`, the chart)
//! and its terminal table.

use super::analysis_text::{
    caption, cells, chart_err, csv_bytes, png_links, point, put_html, show, show_ci, show_diff, table,
};
use super::charts::analysis as charts;
use super::{Output, OutputError};
use crate::analysis::stat::{Stat, Value};
use crate::analysis::{Sensitivity, Swing, Tornado};
use crate::runner::RunOptions;
use crate::scenario::Scenario;
use std::fmt::Write as _;

/// A simulated tornado, as reported.
pub struct TornadoReport<'a> {
    /// The scenario as loaded (its path and title name it in the files).
    pub scenario: &'a Scenario,
    /// The statistic whose sensitivity is shown.
    pub stat: &'a Stat,
    /// The baseline and the ranked rows ([`crate::analysis::tornado()`]).
    pub tornado: &'a Tornado,
    /// The runs and seed of every case.
    pub opts: RunOptions,
    /// How many rows the chart and the terminal table show (at least 1); the files rank all.
    pub top: usize,
}

/// Stages `tornado.csv` (every parameter, ranked), the chart of the `top` largest swings
/// (unless `no_charts`), `tornado.md` and `tornado.html`.
///
/// # Errors
/// [`OutputError`] naming the file that could not be written or the chart that could not be
/// drawn.
pub fn write(output: &mut Output, r: &TornadoReport, no_charts: bool) -> Result<(), OutputError> {
    output.put("tornado.csv", &tornado_csv(r)?)?;
    let files = if no_charts { vec![] } else { tornado_chart(output, r)? };
    let (s, st, o) = (r.scenario, r.stat, &r.opts);
    let prob = st.is_probability();
    let label = st.label(s);
    let baseline = show_ci(&r.tornado.baseline, prob);
    let n = r.tornado.rows.len();
    let mut md = format!(
        "# Sensitivity of {label}: {}\n\n{label} with every parameter drawn as usual: {baseline}. Each of the {n} rows fixes one parameter at a low and a high value in turn, the others drawn as usual: an uncertain number at its 10th and 90th percentile, a red line or consent that happens in some runs at never and always; {} runs per case, seed {}, common random numbers (the swing's interval is paired over runs where the statistic allows it).{}\n\nReproduce: `armistice tornado {} --stat {} --runs {} --seed {}`\n\n| rank | parameter | distribution | low → high | at low | at high | swing (95% interval) |\n|---|---|---|---|---|---|---|\n",
        s.meta.title,
        o.runs,
        o.seed,
        super::analysis_text::selection_note(s),
        s.path.display(),
        st.name(),
        o.runs,
        o.seed
    );
    let html_rows: Vec<Vec<String>> = r
        .tornado
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let cells = vec![
                (i + 1).to_string(),
                describe(s, &row.path),
                row.dist.to_string(),
                range(row),
                show(row.at_low.value, prob),
                show(row.at_high.value, prob),
                show_diff(&row.swing, prob),
            ];
            let mut md_cells = cells.clone();
            md_cells[1] = format!("`{}`", md_cells[1]);
            let _ = writeln!(md, "| {} |", md_cells.join(" | "));
            cells
        })
        .collect();
    png_links(&mut md, &files);
    output.put("tornado.md", md.as_bytes())?;
    let head: Vec<String> = [
        "rank",
        "parameter",
        "distribution",
        "low → high",
        "at low",
        "at high",
        "swing (95% interval)",
    ]
    .map(String::from)
    .to_vec();
    put_html(
        output,
        "tornado",
        &format!("What moves {label}: {}", s.meta.title),
        &super::analysis_text::subtitle(s, o, "case"),
        &[format!(
            "{label} with every parameter drawn as usual: {baseline}. Each of the {n} rows fixes one parameter at a low and a high value in turn, the others drawn as usual, on the same runs (common random numbers): an uncertain number at its 10th and 90th percentile, a red line or consent that happens in some runs at never and always. The swing's 95% interval is paired over runs where the statistic allows it.{}",
            super::analysis_text::selection_note(s)
        )],
        (&head, &html_rows),
        &files,
        &format!(
            "armistice tornado {} --stat {} --runs {} --seed {}",
            s.path.display(),
            st.name(),
            o.runs,
            o.seed
        ),
    )
}

/// The terminal table: the `top` largest swings.
pub fn terminal_table(r: &TornadoReport) -> String {
    let prob = r.stat.is_probability();
    let mut t = table();
    t.set_header(vec![
        "rank".to_string(),
        "parameter (low → high)".into(),
        "at low".into(),
        "at high".into(),
        "swing (95% interval)".into(),
    ]);
    for (i, row) in r.tornado.rows.iter().enumerate().take(r.top.max(1)) {
        t.add_row(vec![
            (i + 1).to_string(),
            format!("{} ({})", describe(r.scenario, &row.path), range(row)),
            show(row.at_low.value, prob),
            show(row.at_high.value, prob),
            show_diff(&row.swing, prob),
        ]);
    }
    t.to_string()
}

/// "0.003 → 0.009", or "never → always".
fn range(r: &Sensitivity) -> String {
    match r.kind {
        Swing::Percentiles => format!("{} → {}", fmt_param(r.low), fmt_param(r.high)),
        Swing::NeverAlways => "never → always".to_string(),
    }
}

/// `tornado.csv`: every parameter, ranked, with both ends and the swing with 95% bounds.
fn tornado_csv(r: &TornadoReport) -> Result<Vec<u8>, OutputError> {
    let header = [
        "rank",
        "parameter",
        "distribution",
        "varied",
        "low",
        "high",
        "stat_at_low",
        "stat_at_low_lo95",
        "stat_at_low_hi95",
        "stat_at_high",
        "stat_at_high_lo95",
        "stat_at_high_hi95",
        "swing",
        "swing_lo95",
        "swing_hi95",
    ]
    .map(String::from)
    .to_vec();
    let f6 = |x: f64| if x.is_nan() { String::new() } else { format!("{x:.6}") };
    let rows = r.tornado.rows.iter().enumerate().map(|(i, row)| {
        [
            (i + 1).to_string(),
            row.path.clone(),
            row.dist.to_string(),
            varied(row.kind).to_string(),
            f6(row.low),
            f6(row.high),
        ]
        .into_iter()
        .chain([&row.at_low, &row.at_high, &row.swing].into_iter().flat_map(cells))
        .collect::<Vec<_>>()
    });
    csv_bytes("tornado.csv", std::iter::once(header).chain(rows))
}

/// Draws the tornado chart of the `top` largest swings into the staged `charts/`.
fn tornado_chart(output: &mut Output, r: &TornadoReport) -> Result<Vec<String>, OutputError> {
    let s = r.scenario;
    let label = r.stat.label(s);
    // no per-end whiskers: the ends share their runs, so their separate intervals overstate
    // the uncertainty of the swing (its paired interval is in the tables)
    let bare = |v: &Value| Value {
        lo: v.value,
        hi: v.value,
        ..*v
    };
    let bars: Vec<charts::TornadoBar> = r
        .tornado
        .rows
        .iter()
        .take(r.top.max(1))
        .map(|row| charts::TornadoBar {
            label: match row.kind {
                Swing::Percentiles => describe(s, &row.path),
                Swing::NeverAlways => format!("{}: never → always", describe(s, &row.path)),
            },
            low: point(row.low, &bare(&row.at_low)),
            high: point(row.high, &bare(&row.at_high)),
            low_param: row.low,
            high_param: row.high,
        })
        .collect();
    let f = charts::Frame {
        stem: "tornado".into(),
        title: format!("What moves {label}"),
        subtitle: "Each parameter at its 10th and 90th percentile (red lines and consents: never and always), the rest as usual, same runs".into(),
        caption: caption(s, &r.opts, "one-at-a-time sensitivity"),
    };
    let z = charts::Axis {
        label,
        percent: r.stat.is_probability(),
    };
    let files =
        charts::tornado(&output.staged("charts"), &f, &z, r.tornado.baseline.value, &bars).map_err(chart_err)?;
    for f in &files {
        output.add(f);
    }
    Ok(files)
}

/// A parameter path with what it is about when the path does not say: a red line's options.
pub fn describe(s: &Scenario, path: &str) -> String {
    let seg: Vec<&str> = path.split('.').collect();
    if let ["actor", a, "red_lines", n, "binding"] = seg.as_slice()
        && let (Some(i), Ok(n)) = (s.actor_index(a), n.parse::<usize>())
        && let Some(l) = s.actors[i].red_lines.get(n)
    {
        let opts: Vec<&str> = l
            .options
            .iter()
            .map(|&o| s.issues[l.issue].options[o].id.as_str())
            .collect();
        return format!("{path} ({})", opts.join(", "));
    }
    path.to_string()
}

/// What a tornado row varies, for the CSV.
fn varied(kind: Swing) -> &'static str {
    match kind {
        Swing::Percentiles => "10th to 90th percentile",
        Swing::NeverAlways => "never to always (binds / consents)",
    }
}

/// A parameter value to 4 decimals, in scientific notation when that would show 0.
fn fmt_param(x: f64) -> String {
    let r = (x * 1e4).round() / 1e4;
    if r == 0.0 && x != 0.0 {
        format!("{x:.2e}")
    } else {
        format!("{r}")
    }
}
