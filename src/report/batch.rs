//! The index of `armistice batch` (`index.md`, `index.html`) and its terminal table; each
//! scenario's own outputs are those of `armistice run`.

use super::analysis_text::table;
use super::{OutputError, atomic, document::esc};
use crate::scenario::Scenario;
use crate::stats::Summary;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A batch's results, as indexed.
pub struct BatchIndex<'a> {
    /// The batch's name (its folder's).
    pub name: &'a str,
    /// The folder of scenarios, as given.
    pub dir: &'a Path,
    /// The output folder: `index.*` and one folder per scenario id.
    pub out: &'a Path,
    /// How many scenario files the folder holds.
    pub files: usize,
    /// The scenarios run and written, in file order, with their summaries.
    pub done: Vec<(&'a Scenario, &'a Summary)>,
    /// The files that failed (not loaded, a duplicate id, or their run or outputs failed),
    /// with the rendered error.
    pub failed: &'a [(PathBuf, String)],
}

/// P(agreement) with its interval, and the most likely package with its share of agreements.
fn headline(sum: &Summary) -> (String, String) {
    let agree = super::table::estimate(&sum.outcomes[0].estimate, sum.runs);
    let modal = sum.packages.first().map_or("—".into(), |k| {
        format!("{} ({:.1}% of agreements)", k.package, 100.0 * k.share_of_agreements.p)
    });
    (agree, modal)
}

/// Writes `index.md` and `index.html` into the output folder (each atomically): a row per
/// scenario linking its report, then the failures with their messages.
///
/// # Errors
/// [`OutputError::Write`] naming the file that could not be written.
pub fn write_index(idx: &BatchIndex) -> Result<(), OutputError> {
    let mut md = format!(
        "# Batch: {}\n\n{} scenario(s) from `{}`; each folder holds the full outputs of `armistice run`.\n\n| scenario | title | as of | runs | P(agreement within horizon) | most likely package | report |\n|---|---|---|---|---|---|---|\n",
        idx.name,
        idx.files,
        idx.dir.display()
    );
    let mut html_rows = String::new();
    for (s, sum) in &idx.done {
        let (agree, modal) = headline(sum);
        let link = format!("{}/report.html", s.meta.id);
        let _ = writeln!(
            md,
            "| `{}` | {} | {} | {} | {agree} | {modal} | [report]({}/report.md) |",
            s.meta.id,
            s.meta.title,
            s.meta.as_of_text(),
            sum.runs,
            s.meta.id
        );
        let _ = writeln!(
            html_rows,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&link),
            esc(&s.meta.id),
            esc(&s.meta.title),
            esc(s.meta.as_of_text()),
            sum.runs,
            esc(&agree),
            esc(&modal)
        );
    }
    for (f, e) in idx.failed {
        let _ = writeln!(md, "| `{}` | **failed**: see below | | | | | |", f.display());
        let _ = writeln!(
            html_rows,
            "<tr class=\"failed\"><td>{}</td><td colspan=\"5\"><pre>{}</pre></td></tr>",
            esc(&f.display().to_string()),
            esc(e)
        );
    }
    if !idx.failed.is_empty() {
        let _ = writeln!(md, "\n## Failed\n");
        for (f, e) in idx.failed {
            let _ = writeln!(md, "### {}\n\n```\n{e}\n```\n", f.display());
        }
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>armistice batch: {}</title><style>body{{font-family:'DejaVu Sans',sans-serif;max-width:1100px;margin:2em auto;color:#212121}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}}tr.failed td{{background:#fdecea}}pre{{white-space:pre-wrap;margin:0}}</style></head><body>\n<h1>Batch: {}</h1>\n<p>{} scenario(s) from <code>{}</code>; each link opens the full report of <code>armistice run</code>.</p>\n<table><thead><tr><th>scenario</th><th>title</th><th>as of</th><th>runs</th><th>P(agreement within horizon)</th><th>most likely package</th></tr></thead><tbody>\n{}</tbody></table>\n</body></html>\n",
        esc(idx.name),
        esc(idx.name),
        idx.files,
        esc(&idx.dir.display().to_string()),
        html_rows
    );
    for (file, bytes) in [("index.md", md.as_bytes()), ("index.html", html.as_bytes())] {
        let path = idx.out.join(file);
        atomic::write_atomic(&path, bytes).map_err(|source| OutputError::Write {
            path: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

/// The terminal table: a row per scenario (P(agreement), the most likely package, the path of
/// its report), then one per failed file.
pub fn terminal_table(idx: &BatchIndex) -> String {
    let mut t = table();
    t.set_header(vec![
        "scenario",
        "P(agreement) (95% interval)",
        "most likely package",
        "report",
    ]);
    for (s, sum) in &idx.done {
        let (agree, modal) = headline(sum);
        let link = format!("{}/report.html", s.meta.id);
        t.add_row(vec![
            s.meta.id.clone(),
            agree,
            modal,
            format!("{}", idx.out.join(&link).display()),
        ]);
    }
    for (f, _) in idx.failed {
        t.add_row(vec![
            f.display().to_string(),
            "failed: see the message below".into(),
            String::new(),
            String::new(),
        ]);
    }
    t.to_string()
}
