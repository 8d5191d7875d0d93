//! The files of `armistice compare` (`compare.csv`, `compare.md`, `compare.html`, the charts)
//! and its terminal table.

use super::analysis_text::{cells, chart_err, csv_bytes, png_links, point, put_html, show_ci, show_diff, table};
use super::charts::analysis as charts;
use super::{Output, OutputError};
use crate::analysis::stat::Stat;
use crate::analysis::{CompareRow, Comparison};
use crate::runner::RunOptions;
use crate::scenario::Scenario;
use std::fmt::Write as _;
use std::path::Path;

/// A comparison of scenarios A and B, as reported.
pub struct CompareReport<'a> {
    /// Scenarios A and B as loaded.
    pub a: &'a Scenario,
    pub b: &'a Scenario,
    /// The files as given on the command line (for the command that reproduces the comparison).
    pub a_file: &'a Path,
    pub b_file: &'a Path,
    /// The simulated comparison ([`crate::analysis::compare()`]).
    pub comparison: &'a Comparison,
    /// The runs and seed of both.
    pub opts: RunOptions,
}

/// Stages `compare.csv` (every statistic both scenarios define), the charts (P(agreement) by
/// round of both, and the shares of agreements of each option; unless `no_charts`),
/// `compare.md` and `compare.html`.
///
/// # Errors
/// [`OutputError`] naming the file that could not be written or the chart that could not be
/// drawn.
pub fn write(output: &mut Output, r: &CompareReport, no_charts: bool) -> Result<(), OutputError> {
    output.put("compare.csv", &compare_csv(r)?)?;
    let files = if no_charts { vec![] } else { compare_charts(output, r)? };
    let (sa, sb, o) = (r.a, r.b, &r.opts);
    let reproduce = format!(
        "armistice compare {} {} --runs {} --seed {}",
        r.a_file.display(),
        r.b_file.display(),
        o.runs,
        o.seed
    );
    // a difference in how later rounds' equilibria are selected is not in the titles
    let rules = match rule_words(r) {
        Some((a, b)) => format!(
            " A selects later rounds' equilibria by the `{a}` rule, B by the `{b}` rule (`selection`, docs/model.md §10, rule 7)."
        ),
        None => String::new(),
    };
    let mut md = format!(
        "# {} vs {}\n\nA: {} ({}). B: {} ({}).{rules} {} runs each, seed {} for both. Differences marked † are paired over runs (run r of A against run r of B; with the same seed they share every draw the two files have in common, so the interval is narrower than for independent samples); the others (shares of agreements) treat the samples as independent (Newcombe's hybrid score interval).\n\nReproduce: `{reproduce}`\n\n| statistic | A | B | B − A (95% interval) |\n|---|---|---|---|\n",
        sa.meta.id,
        sb.meta.id,
        sa.meta.title,
        sa.meta.as_of_text(),
        sb.meta.title,
        sb.meta.as_of_text(),
        o.runs,
        o.seed,
    );
    let rows: Vec<Vec<String>> = r.comparison.rows.iter().map(row_cells).collect();
    for cells in &rows {
        let _ = writeln!(md, "| {} |", cells.join(" | "));
    }
    png_links(&mut md, &files);
    output.put("compare.md", md.as_bytes())?;
    put_html(
        output,
        "compare",
        &format!("{} vs {}", sa.meta.id, sb.meta.id),
        &format!("{} runs each · seed {} for both", o.runs, o.seed),
        &[
            format!(
                "A: {} ({}). B: {} ({}).{rules}",
                sa.meta.title,
                sa.meta.as_of_note(),
                sb.meta.title,
                sb.meta.as_of_note()
            ),
            "Differences marked † are paired over runs: run r of A against run r of B, which share every draw the two files have in common, so the interval is narrower than for independent samples. The others (shares of agreements) treat the samples as independent (Newcombe's hybrid score interval). Intervals are 95%.".to_string(),
        ],
        (&head(r), &rows),
        &files,
        &reproduce,
    )
}

/// The two files' selection rules, when both apply (no deadline) and differ.
fn rule_words(r: &CompareReport) -> Option<(&'static str, &'static str)> {
    match (r.a.protocol.selection_in_effect(), r.b.protocol.selection_in_effect()) {
        (Some(a), Some(b)) if a != b => Some((a.word(), b.word())),
        _ => None,
    }
}

/// The terminal table: every statistic but the options that matter little (under 2% of
/// agreements in both A and B; the files hold them all).
pub fn terminal_table(r: &CompareReport) -> String {
    let mut t = table();
    t.set_header(head(r));
    for row in &r.comparison.rows {
        if !(row.label.starts_with("share of agreements") && row.a.value.max(row.b.value) < 0.02) {
            t.add_row(row_cells(row));
        }
    }
    t.to_string()
}

/// The table's header.
fn head(r: &CompareReport) -> Vec<String> {
    vec![
        "statistic".into(),
        format!("A: {}", r.a.meta.id),
        format!("B: {}", r.b.meta.id),
        "B − A (95% interval)".into(),
    ]
}

/// A row of the tables: the statistic, A and B with intervals, and the difference (marked †
/// when paired over runs).
fn row_cells(r: &CompareRow) -> Vec<String> {
    vec![
        r.label.clone(),
        show_ci(&r.a, r.probability),
        show_ci(&r.b, r.probability),
        format!(
            "{}{}",
            show_diff(&r.diff, r.probability),
            if r.paired { " †" } else { "" }
        ),
    ]
}

/// `compare.csv`: each statistic's label and name, A, B and B − A with 95% bounds.
fn compare_csv(r: &CompareReport) -> Result<Vec<u8>, OutputError> {
    let header = [
        "statistic",
        "name",
        "a",
        "a_lo95",
        "a_hi95",
        "b",
        "b_lo95",
        "b_hi95",
        "b_minus_a",
        "diff_lo95",
        "diff_hi95",
    ]
    .map(String::from)
    .to_vec();
    let rows = r.comparison.rows.iter().map(|row| {
        [row.label.clone(), row.stat.name()]
            .into_iter()
            .chain([&row.a, &row.b, &row.diff].into_iter().flat_map(cells))
            .collect::<Vec<_>>()
    });
    csv_bytes("compare.csv", std::iter::once(header).chain(rows))
}

/// Draws the charts into the staged `charts/`: P(agreement) by round of both scenarios, and
/// (when an option is shared) the shares of agreements of each option.
fn compare_charts(output: &mut Output, r: &CompareReport) -> Result<Vec<String>, OutputError> {
    let dir = output.staged("charts");
    let (sa, sb, o) = (r.a, r.b, &r.opts);
    let cap = format!(
        "armistice · {} vs {} · {} runs each · seed {}{}",
        sa.meta.id,
        sb.meta.id,
        super::charts::theme::group_thousands(o.runs),
        o.seed,
        rule_words(r).map_or(String::new(), |(a, b)| format!(" · selection A {a}, B {b}"))
    );
    let mut files = by_round_chart(&dir, r, cap.clone())?;
    let bars: Vec<charts::GroupedBar> = r
        .comparison
        .rows
        .iter()
        .filter_map(|row| match &row.stat {
            Stat::OptionShare(i, o) => Some(charts::GroupedBar {
                group: sa
                    .issues
                    .iter()
                    .find(|x| &x.id == i)
                    .map_or(i.clone(), |x| x.title.clone()),
                label: o.clone(),
                values: vec![point(0.0, &row.a), point(0.0, &row.b)],
                missing: None,
            }),
            _ => None,
        })
        .collect();
    if !bars.is_empty() {
        let f = charts::Frame {
            stem: "agreed-options".into(),
            title: "What is agreed: the two scenarios".into(),
            subtitle: "Share of agreements carrying each option; whiskers: 95% intervals".into(),
            caption: cap,
        };
        let y = charts::Axis {
            label: "Share of agreements".into(),
            percent: true,
        };
        let names = vec![sa.meta.id.clone(), sb.meta.id.clone()];
        files.extend(charts::grouped_bars(&dir, &f, &y, &names, &bars).map_err(chart_err)?);
    }
    for f in &files {
        output.add(f);
    }
    Ok(files)
}

/// P(agreement by the end of each round) of both scenarios, up to the shorter horizon.
fn by_round_chart(dir: &Path, r: &CompareReport, caption: String) -> Result<Vec<String>, OutputError> {
    let (sa, sb) = (r.a, r.b);
    let horizon = sa.meta.horizon.min(sb.meta.horizon);
    let series: Vec<charts::Series> = [(sa, &r.comparison.a), (sb, &r.comparison.b)]
        .iter()
        .map(|(s, g)| charts::Series {
            name: s.meta.id.clone(),
            points: (1..=horizon)
                .map(|n| point(n as f64, &Stat::AgreementWithin(n).of(s, g)))
                .collect(),
        })
        .collect();
    let f = charts::Frame {
        stem: "agreement-by-round".into(),
        title: "When a deal is signed: the two scenarios".into(),
        subtitle: format!(
            "P(agreement by the end of each round{}); bands: 95% intervals",
            sa.meta.of_round()
        ),
        caption,
    };
    let x = charts::Axis {
        label: "Round".into(),
        percent: false,
    };
    let y = charts::Axis {
        label: "P(agreement by this round)".into(),
        percent: true,
    };
    charts::line_bands(dir, &f, &x, &y, &series).map_err(chart_err)
}
