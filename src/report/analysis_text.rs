//! The formatting the analysis reports (sweep, tornado, compare, batch) share: values with
//! their intervals, tables, captions, CSV bytes and HTML pages.

use super::charts::analysis as charts;
use super::{Output, OutputError, document};
use crate::analysis::stat::Value;
use crate::runner::RunOptions;
use crate::scenario::Scenario;
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use std::fmt::Write as _;

/// A chart's error, as an [`OutputError::Chart`].
pub(crate) fn chart_err(e: crate::report::charts::render::ChartError) -> OutputError {
    OutputError::Chart(e)
}

/// A CSV file's bytes from its records (header first); `name` names it in errors.
pub(crate) fn csv_bytes(name: &str, records: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, OutputError> {
    let err = |source: std::io::Error| OutputError::Write {
        path: name.to_string(),
        source,
    };
    let mut w = ::csv::Writer::from_writer(vec![]);
    for r in records {
        w.write_record(&r).map_err(|e| err(e.into()))?;
    }
    w.into_inner().map_err(|e| err(e.into_error()))
}

/// "42.1%" for probabilities, "0.512" otherwise; "—" for NaN.
pub fn show(v: f64, probability: bool) -> String {
    if v.is_nan() {
        "—".into()
    } else if probability {
        format!("{:.1}%", 100.0 * v)
    } else {
        format!("{v:.3}")
    }
}

/// "42.1% (41.4–42.8%)".
pub fn show_ci(v: &Value, probability: bool) -> String {
    if v.value.is_nan() {
        return "— (nothing to estimate)".into();
    }
    format!(
        "{} ({}–{})",
        show(v.value, probability),
        show(v.lo, probability).trim_end_matches('%'),
        show(v.hi, probability)
    )
}

/// "+1.2 pp (−0.3 to +2.7)" for probabilities, "+0.012 (…)" otherwise.
pub fn show_diff(v: &Value, probability: bool) -> String {
    if v.value.is_nan() {
        return "—".into();
    }
    let f = |x: f64| {
        let t = if probability {
            format!("{:+.1}", 100.0 * x)
        } else {
            format!("{x:+.3}")
        };
        // "−0.0" and "+0.0" read as 0
        if t.trim_start_matches(['+', '-']).chars().all(|c| c == '0' || c == '.') {
            t.trim_start_matches(['+', '-']).to_string()
        } else {
            t.replace('-', "−")
        }
    };
    let unit = if probability { " pp" } else { "" };
    format!("{}{unit} ({} to {})", f(v.value), f(v.lo), f(v.hi))
}

/// An empty terminal table in the analyses' style (120 columns at most).
pub(crate) fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120);
    t
}

/// A sentence (with a leading space) when later rounds' equilibria are warm-started, so that an
/// analysis says it; empty under the default rule or a deadline.
pub(crate) fn selection_note(s: &Scenario) -> &'static str {
    if s.protocol.selection_in_effect() == Some(crate::scenario::Selection::Warm) {
        " Later rounds' equilibria are warm-started from the round before (`selection = \"warm\"`, docs/model.md §10, rule 7)."
    } else {
        ""
    }
}

/// An analysis page's subtitle: "Scenario ID (as of DATE) · N runs per UNIT · seed S".
pub(crate) fn subtitle(s: &Scenario, o: &RunOptions, unit: &str) -> String {
    format!(
        "Scenario {} ({}) · {} runs per {unit} · seed {}",
        s.meta.id,
        s.meta.as_of_note(),
        o.runs,
        o.seed
    )
}

/// A chart's caption: "armistice · scenario ID (as of DATE) · WHAT · N runs each · seed S".
pub(crate) fn caption(s: &Scenario, o: &RunOptions, what: &str) -> String {
    format!(
        "armistice · scenario {} ({}) · {} · {} runs each · seed {}{}",
        s.meta.id,
        s.meta.as_of_note(),
        what,
        super::charts::theme::group_thousands(o.runs),
        o.seed,
        if selection_note(s).is_empty() {
            ""
        } else {
            " · selection warm"
        }
    )
}

/// Stages `<stem>.html`: the page of an analysis with its table and the staged SVG charts
/// inline (single file, embedded font, no network), beside its Markdown twin.
#[allow(clippy::too_many_arguments)]
pub(crate) fn put_html(
    output: &mut Output,
    stem: &str,
    title: &str,
    meta: &str,
    paragraphs: &[String],
    table: (&[String], &[Vec<String>]),
    chart_files: &[String],
    reproduce: &str,
) -> Result<(), OutputError> {
    let svgs = staged_svgs(output, chart_files)?;
    let html = document::analysis_html(title, meta, paragraphs, table, &svgs, reproduce);
    output.put(&format!("{stem}.html"), html.as_bytes())
}

/// The staged SVG charts among `chart_files`, each as (file, SVG text), to set inline in a page.
///
/// # Errors
/// [`OutputError::Write`] naming a chart that cannot be read back.
pub(crate) fn staged_svgs(output: &Output, chart_files: &[String]) -> Result<Vec<(String, String)>, OutputError> {
    chart_files
        .iter()
        .filter(|f| f.ends_with(".svg"))
        .map(|f| {
            let p = output.staged(f);
            std::fs::read_to_string(&p)
                .map(|svg| (f.clone(), svg))
                .map_err(|source| OutputError::Write {
                    path: p.display().to_string(),
                    source,
                })
        })
        .collect()
}

/// Appends a Markdown image link for every PNG chart.
pub(crate) fn png_links(md: &mut String, files: &[String]) {
    for f in files.iter().filter(|f| f.ends_with(".png")) {
        let _ = write!(md, "\n![{f}]({f})\n");
    }
}

/// A value's CSV cells: value, lower and upper 95% bound, 6 decimals ("" when undefined).
pub(crate) fn cells(v: &Value) -> [String; 3] {
    [v.value, v.lo, v.hi].map(|y| if y.is_nan() { String::new() } else { format!("{y:.6}") })
}

/// A chart point from a statistic.
pub(crate) fn point(x: f64, v: &Value) -> charts::Point {
    charts::Point {
        x,
        value: v.value,
        lo: v.lo,
        hi: v.hi,
    }
}

/// "share of …" → "Share of …" (titles); "P(…)" unchanged.
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}
