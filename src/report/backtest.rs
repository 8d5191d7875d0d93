//! The files of `armistice backtest` (`backtest.csv`, `backtest.json`, `backtest.md`,
//! `backtest.html`, the reliability diagram and the forecasts-against-markets chart) and its
//! terminal table (`docs/model.md` §11).

use super::analysis_text::{chart_err, csv_bytes, staged_svgs, table};
use super::charts::analysis as charts;
use super::document::{css, esc, html_table};
use super::{Output, OutputError};
use crate::analysis::backtest::{
    BOOTSTRAP_RESAMPLES, CaseResult, Interval, LOG_CLIP, QuestionScore, RELIABILITY_BIN, ReliabilityBin, Scoreboard,
};
use crate::runner::RunOptions;
use crate::scenario::question::{Market, QuestionEvent};
use std::fmt::Write as _;
use std::path::Path;

/// A back-test, as reported.
pub struct BacktestReport<'a> {
    /// The folder of cases as given, and its name.
    pub dir: &'a Path,
    pub name: &'a str,
    /// The cases' results in file order.
    pub cases: &'a [CaseResult],
    pub board: &'a Scoreboard,
    /// Runs and seed, common to every case.
    pub opts: RunOptions,
    /// The `--case` filter, if any (case ids).
    pub only: &'a [String],
    /// Whether the negotiation-in-time mechanisms were switched off (`--ablate-time`).
    pub ablated: bool,
    /// `--selection`: the equilibrium-selection rule every case was run with (`"traced"` or
    /// `"warm"`, `docs/model.md` §10, rule 7); `None`: each case's own.
    pub selection: Option<&'static str>,
}

impl BacktestReport<'_> {
    /// The command that reproduces the back-test.
    pub fn reproduce(&self) -> String {
        let mut c = format!(
            "armistice backtest {} --runs {} --seed {}",
            self.dir.display(),
            self.opts.runs,
            self.opts.seed
        );
        for id in self.only {
            let _ = write!(c, " --case {id}");
        }
        if self.ablated {
            c += " --ablate-time";
        }
        if let Some(rule) = self.selection {
            let _ = write!(c, " --selection {rule}");
        }
        c
    }

    fn model(&self) -> String {
        let model = if self.ablated {
            "the model with the negotiation in time switched off (--ablate-time: no ceasefires, fixed positions, no learning, no scheduled events; a deal is a settlement)"
        } else {
            "the full model"
        };
        // cases with a hard deadline are solved by backward induction: no rule applies to them
        let moot: Vec<&str> = self
            .cases
            .iter()
            .filter(|c| c.selection.is_none())
            .map(|c| c.case.as_str())
            .collect();
        let except = if moot.is_empty() {
            String::new()
        } else {
            format!(" except in {} (a deadline: backward induction)", moot.join(", "))
        };
        match self.selection {
            Some("warm") => format!("{model}, every later round's equilibrium warm-started{except} (--selection warm)"),
            Some(rule) => {
                format!("{model}, later rounds' equilibria selected by the `{rule}` rule{except} (--selection {rule})")
            }
            None => {
                // a case whose own file departs from the default rule is named
                let warm: Vec<&str> = self
                    .cases
                    .iter()
                    .filter(|c| c.selection == Some(crate::scenario::Selection::Warm))
                    .map(|c| c.case.as_str())
                    .collect();
                if warm.is_empty() {
                    model.to_string()
                } else {
                    format!(
                        "{model}; later rounds' equilibria warm-started (selection = \"warm\" in the file) in {}",
                        warm.join(", ")
                    )
                }
            }
        }
    }
}

fn pct(p: f64) -> String {
    format!("{:.1}%", 100.0 * p)
}

fn num3(x: f64) -> String {
    if x.is_nan() {
        "—".into()
    } else {
        format!("{x:.3}").replace('-', "−")
    }
}

/// "0.214 (0.150–0.281)".
fn show(iv: &Interval) -> String {
    if iv.mean.is_nan() {
        return "—".into();
    }
    if iv.lo.is_nan() {
        return format!("{} (too few cases for an interval)", num3(iv.mean));
    }
    format!("{} ({} to {})", num3(iv.mean), num3(iv.lo), num3(iv.hi))
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The tool's P(yes) with its Monte Carlo interval.
fn tool_p(q: &QuestionScore) -> String {
    format!(
        "{} ({:.1}–{})",
        pct(q.tool.p),
        100.0 * q.tool.ci_low,
        pct(q.tool.ci_high)
    )
}

/// A market's price and day; a day more than a week from `as_of` says how far.
fn market_text(m: &Market) -> String {
    let gap = match m.days_from_as_of {
        d if d < -7 => format!(", {} days before as_of", -d),
        d if d > 7 => format!(", {d} days after as_of"),
        _ => String::new(),
    };
    format!("{} {} ({}{gap})", m.name, pct(m.p), m.date)
}

fn market_p(q: &QuestionScore) -> String {
    q.market.as_ref().map_or("no market".into(), market_text)
}

fn outcome(q: &QuestionScore) -> String {
    match (&q.outcome_date, q.outcome) {
        (Some(d), true) => format!("yes ({d})"),
        _ => yes_no(q.outcome).into(),
    }
}

/// The rows of the scores table: forecaster, questions, mean Brier, mean log score.
fn score_rows(b: &Scoreboard) -> Vec<Vec<String>> {
    let mut rows = vec![
        vec![
            "armistice, every question".into(),
            b.questions.to_string(),
            show(&b.tool_brier),
            show(&b.tool_log),
        ],
        vec![
            "always 50% (reference)".into(),
            b.questions.to_string(),
            num3(b.coin_brier),
            num3(0.5f64.ln()),
        ],
        vec![
            format!(
                "always the library's base rate, {} (hindsight)",
                pct(b.yes as f64 / b.questions.max(1) as f64)
            ),
            b.questions.to_string(),
            show(&b.base_rate_brier),
            show(&b.base_rate_log),
        ],
    ];
    if let Some(s) = &b.shared {
        rows.push(vec![
            "armistice, questions with a market".into(),
            s.questions.to_string(),
            show(&s.tool_brier),
            show(&s.tool_log),
        ]);
        rows.push(vec![
            "markets, the same questions".into(),
            s.questions.to_string(),
            show(&s.market_brier),
            show(&s.market_log),
        ]);
        rows.push(vec![
            "armistice − markets (paired)".into(),
            s.questions.to_string(),
            show(&s.brier_difference),
            show(&s.log_difference),
        ]);
    }
    rows
}

const SCORE_HEAD: [&str; 4] = [
    "Forecaster",
    "Questions",
    "Mean Brier score (95% interval)",
    "Mean log score (95% interval)",
];

const QUESTION_HEAD: [&str; 8] = [
    "Case",
    "Question",
    "Deadline",
    "armistice P(yes)",
    "Market",
    "Outcome",
    "Brier (armistice)",
    "Brier (market)",
];

fn question_rows(cases: &[CaseResult]) -> Vec<Vec<String>> {
    cases
        .iter()
        .flat_map(|c| &c.questions)
        .map(|q| {
            vec![
                q.case.clone(),
                q.text.clone(),
                q.deadline.clone(),
                tool_p(q),
                market_p(q),
                outcome(q),
                num3(q.tool_brier),
                q.market_brier.map_or("—".into(), num3),
            ]
        })
        .collect()
}

const RELIABILITY_HEAD: [&str; 5] = [
    "Forecasts in",
    "Questions",
    "Mean forecast",
    "Came true",
    "95% interval",
];

fn reliability_rows(bins: &[ReliabilityBin]) -> Vec<Vec<String>> {
    bins.iter()
        .map(|b| {
            vec![
                format!("{:.0}–{:.0}%", 100.0 * b.lo, 100.0 * b.hi),
                b.count.to_string(),
                pct(b.mean_forecast),
                format!("{} of {}", b.observed.count, b.observed.total),
                format!("{}–{}", pct(b.observed.ci_low), pct(b.observed.ci_high)),
            ]
        })
        .collect()
}

/// The paragraphs that say what the scores can and cannot show.
fn caveats(r: &BacktestReport) -> Vec<String> {
    let b = r.board;
    let mut v = vec![format!(
        "{} case(s), {} question(s), {} of which came true. Scores on a library this small have wide intervals: read the intervals, not the means, and do not rank forecasters whose intervals overlap. Intervals are 95% percentile intervals of a bootstrap over cases ({} resamples): the questions of one case, and cases of one negotiation at several dates, are not independent.",
        b.cases, b.questions, b.yes, BOOTSTRAP_RESAMPLES
    )];
    if b.after_the_fact.is_empty() {
        v.push("Every case was written before its questions resolved.".into());
    } else {
        v.push(format!(
            "Written after the fact: {} of {} case(s) ({}). Their authors knew the outcome; each case says in its [backtest] blinding note what was done to keep it out, but a back-test of cases written in hindsight flatters any model, and only cases written before the event can test it cleanly.",
            b.after_the_fact.len(),
            b.cases,
            b.after_the_fact.join(", ")
        ));
    }
    v.push("Where a question lists several markets or crowds, the first listed is the one compared (each case says why in its notes); the others are listed under Cases.".into());
    if !b.no_market.is_empty() {
        v.push(format!(
            "Questions with no market or expert-crowd price on the case's date (scored for the tool only): {}.",
            b.no_market.join(", ")
        ));
    }
    v.push(format!(
        "Brier score: (p − outcome)², lower is better, 0.25 for a constant 50%. Log score: ln p if the event happened, ln(1 − p) if not, higher is better, with p clipped to [{LOG_CLIP}, {}] so that one confident miss costs ln {LOG_CLIP} ≈ −{:.1} and not −∞. The tool's P(yes) is a Monte Carlo estimate with its 95% Wilson interval; the markets' prices are read from the sources cited in each case. The reliability table bins forecasts in steps of {:.0} percentage points.",
        1.0 - LOG_CLIP,
        -LOG_CLIP.ln(),
        100.0 * RELIABILITY_BIN
    ));
    v
}

fn md_table(head: &[&str], rows: &[Vec<String>]) -> String {
    let cell = |s: &str| s.replace('|', "\\|").replace('\n', " ");
    let mut o = format!("| {} |\n|{}|\n", head.join(" | "), vec!["---"; head.len()].join("|"));
    for r in rows {
        let _ = writeln!(o, "| {} |", r.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | "));
    }
    o
}

/// `backtest.csv`: one row per question.
fn csv(r: &BacktestReport) -> Result<Vec<u8>, OutputError> {
    let f6 = |x: f64| format!("{:.6}", x);
    let head = [
        "case",
        "question",
        "event",
        "deadline_date",
        "deadline_rounds",
        "as_of",
        "tool_p",
        "tool_ci_low",
        "tool_ci_high",
        "market",
        "market_p",
        "market_date",
        "outcome",
        "outcome_date",
        "tool_brier",
        "tool_log",
        "market_brier",
        "market_log",
        "written_after_the_fact",
        "selection",
    ];
    let mut rows = vec![head.iter().map(|s| (*s).to_string()).collect::<Vec<_>>()];
    for c in r.cases {
        for q in &c.questions {
            rows.push(vec![
                q.case.clone(),
                q.question.clone(),
                q.event_word().into(),
                q.by.clone().unwrap_or_default(),
                q.rounds.to_string(),
                c.as_of.clone(),
                f6(q.tool.p),
                f6(q.tool.ci_low),
                f6(q.tool.ci_high),
                q.market.as_ref().map_or(String::new(), |m| m.name.clone()),
                q.market.as_ref().map_or(String::new(), |m| f6(m.p)),
                q.market.as_ref().map_or(String::new(), |m| m.date.clone()),
                yes_no(q.outcome).into(),
                q.outcome_date.clone().unwrap_or_default(),
                f6(q.tool_brier),
                f6(q.tool_log),
                q.market_brier.map_or(String::new(), f6),
                q.market_log.map_or(String::new(), f6),
                c.written_after_the_fact.to_string(),
                c.selection.map_or("", crate::scenario::Selection::word).into(),
            ]);
        }
    }
    csv_bytes("backtest.csv", rows)
}

/// The charts: the reliability diagram and each question's forecast against its market.
fn chart_files(output: &mut Output, r: &BacktestReport) -> Result<Vec<String>, OutputError> {
    let dir = output.staged("charts");
    std::fs::create_dir_all(&dir).map_err(|source| OutputError::Write {
        path: dir.display().to_string(),
        source,
    })?;
    let b = r.board;
    let cap = format!(
        "armistice backtest · {} · {} case(s), {} question(s) · {} runs each · seed {}",
        r.name,
        b.cases,
        b.questions,
        super::charts::theme::group_thousands(r.opts.runs),
        r.opts.seed
    );
    let bins = |name: &str, v: &[ReliabilityBin]| charts::Series {
        name: name.into(),
        points: v
            .iter()
            .map(|x| charts::Point {
                x: x.mean_forecast,
                value: x.observed.p,
                lo: x.observed.ci_low,
                hi: x.observed.ci_high,
            })
            .collect(),
    };
    // armistice first and the markets second, as in the forecasts chart's colours
    let mut series = vec![bins("armistice", &b.tool_reliability)];
    if !b.market_reliability.is_empty() {
        series.push(bins("markets", &b.market_reliability));
    }
    series.push(charts::Series {
        name: "perfectly calibrated".into(),
        points: [0.0, 1.0]
            .iter()
            .map(|&x| charts::Point {
                x,
                value: x,
                lo: x,
                hi: x,
            })
            .collect(),
    });
    let f = charts::Frame {
        stem: "reliability".into(),
        title: "Reliability: how often what was forecast came true".into(),
        subtitle: format!(
            "Forecasts binned by {:.0} points: mean forecast against the share that came true (counts in the report's table); bands: 95% intervals",
            100.0 * RELIABILITY_BIN
        ),
        caption: cap.clone(),
    };
    let x = charts::Axis {
        label: "Forecast probability of yes".into(),
        percent: true,
    };
    let y = charts::Axis {
        label: "Share that came true".into(),
        percent: true,
    };
    let mut files = charts::line_bands(&dir, &f, &x, &y, &series).map_err(chart_err)?;
    let bars: Vec<charts::GroupedBar> = r
        .cases
        .iter()
        .flat_map(|c| &c.questions)
        .map(|q| charts::GroupedBar {
            group: q.case.clone(),
            // what happened first, so that a shortened label still says it
            label: format!(
                "{} · {} {}",
                if q.outcome { "YES" } else { "no" },
                match q.event {
                    QuestionEvent::Settlement => "settlement",
                    QuestionEvent::Ceasefire => "ceasefire",
                    QuestionEvent::CeasefireOrSettlement => "either",
                },
                q.by.as_ref()
                    .map_or_else(|| format!("in {} rounds", q.rounds), |d| format!("by {d}"))
            ),
            values: vec![
                charts::Point {
                    x: 0.0,
                    value: q.tool.p,
                    lo: q.tool.ci_low,
                    hi: q.tool.ci_high,
                },
                q.market.as_ref().map_or(
                    charts::Point {
                        x: 0.0,
                        value: f64::NAN,
                        lo: f64::NAN,
                        hi: f64::NAN,
                    },
                    |m| charts::Point {
                        x: 0.0,
                        value: m.p,
                        lo: m.p,
                        hi: m.p,
                    },
                ),
            ],
            missing: Some("no market".into()),
        })
        .collect();
    let f = charts::Frame {
        stem: "forecasts".into(),
        title: "Each question: armistice against the market".into(),
        subtitle: "P(yes) on the case's date; each row: what happened (YES or no), the event (either = ceasefire or settlement) and the deadline".into(),
        caption: cap,
    };
    let y = charts::Axis {
        label: "Probability of yes".into(),
        percent: true,
    };
    let names = vec!["armistice".to_string(), "market".to_string()];
    files.extend(charts::grouped_bars(&dir, &f, &y, &names, &bars).map_err(chart_err)?);
    for f in &files {
        output.add(f);
    }
    Ok(files)
}

/// Stages every file of the back-test.
///
/// # Errors
/// [`OutputError`] naming the file that could not be written or the chart that could not be
/// drawn.
pub fn write(output: &mut Output, r: &BacktestReport, no_charts: bool) -> Result<(), OutputError> {
    output.put("backtest.csv", &csv(r)?)?;
    let json = serde_json::json!({
        "tool": "armistice",
        "version": env!("CARGO_PKG_VERSION"),
        "command": r.reproduce(),
        "folder": r.dir.display().to_string(),
        "model": if r.ablated { "ablate-time" } else { "full" },
        "selection": r.selection,
        "runs": r.opts.runs,
        "seed": r.opts.seed,
        "scores": r.board,
        "cases": r.cases,
    });
    let mut text = serde_json::to_string_pretty(&json).expect("plain data");
    text.push('\n');
    output.put("backtest.json", text.as_bytes())?;
    let files = if no_charts { vec![] } else { chart_files(output, r)? };
    output.put("backtest.md", markdown(r, &files).as_bytes())?;
    let svgs = staged_svgs(output, &files)?;
    output.put("backtest.html", html(r, &svgs).as_bytes())
}

fn title(r: &BacktestReport) -> String {
    format!("Back-test: {}", r.name)
}

fn meta_line(r: &BacktestReport) -> String {
    format!(
        "{} case(s) from {} · {} runs per case · seed {} (common) · {}",
        r.board.cases,
        r.dir.display(),
        r.opts.runs,
        r.opts.seed,
        r.model()
    )
}

/// `backtest.md`.
fn markdown(r: &BacktestReport, files: &[String]) -> String {
    let mut o = format!("# {}\n\n{}\n\n", title(r), meta_line(r));
    for p in caveats(r) {
        let _ = write!(o, "{p}\n\n");
    }
    o += "## Scores\n\n";
    o += &md_table(&SCORE_HEAD, &score_rows(r.board));
    o += "\n## Questions\n\n";
    o += &md_table(&QUESTION_HEAD, &question_rows(r.cases));
    o += "\n## Reliability\n\n### armistice\n\n";
    o += &md_table(&RELIABILITY_HEAD, &reliability_rows(&r.board.tool_reliability));
    if !r.board.market_reliability.is_empty() {
        o += "\n### Markets\n\n";
        o += &md_table(&RELIABILITY_HEAD, &reliability_rows(&r.board.market_reliability));
    }
    for f in files.iter().filter(|f| f.ends_with(".png")) {
        let _ = write!(o, "\n![{f}]({f})\n");
    }
    o += "\n## Cases\n\n";
    for c in r.cases {
        let _ = write!(
            o,
            "### {} — {}\n\nAs of {} · file `{}` · written {}{}\n\n{}\n\n",
            c.case,
            c.title,
            c.as_of,
            c.file.display(),
            c.written,
            if c.written_after_the_fact {
                " (after the fact)"
            } else {
                ""
            },
            c.blinding.trim()
        );
        for q in &c.questions {
            let _ = writeln!(o, "- Outcome of `{}`: {}", q.question, q.outcome_source);
            for m in q.market.iter().chain(&q.other_markets) {
                let _ = writeln!(o, "- {}: {}", market_text(m), m.source);
                if let Some(n) = &m.note {
                    let _ = writeln!(o, "  - Note: {n}");
                }
            }
        }
        o += "\n";
    }
    let _ = writeln!(o, "Reproduce: `{}`", r.reproduce());
    o
}

/// `backtest.html`: the same, single file, charts inline.
fn html(r: &BacktestReport, svgs: &[(String, String)]) -> String {
    let mut o = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n<style>\n{}\n</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n",
        esc(&title(r)),
        css(),
        esc(&title(r)),
        esc(&meta_line(r))
    );
    for p in caveats(r) {
        let _ = writeln!(o, "<p>{}</p>", esc(&p));
    }
    o += "<h2>Scores</h2>\n";
    o += &html_table(&SCORE_HEAD, score_rows(r.board).into_iter());
    o += "<h2>Questions</h2>\n";
    o += &html_table(&QUESTION_HEAD, question_rows(r.cases).into_iter());
    o += "<h2>Reliability</h2>\n<h3>armistice</h3>\n";
    o += &html_table(
        &RELIABILITY_HEAD,
        reliability_rows(&r.board.tool_reliability).into_iter(),
    );
    if !r.board.market_reliability.is_empty() {
        o += "<h3>Markets</h3>\n";
        o += &html_table(
            &RELIABILITY_HEAD,
            reliability_rows(&r.board.market_reliability).into_iter(),
        );
    }
    for (n, (f, svg)) in svgs.iter().enumerate() {
        let svg = svg
            .trim_start_matches("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
            .trim();
        let _ = writeln!(
            o,
            "<figure>{svg}<figcaption>Figure {} · {} (vector; a PNG beside it for print)</figcaption></figure>",
            n + 1,
            esc(f)
        );
    }
    o += "<h2>Cases</h2>\n";
    for c in r.cases {
        let _ = writeln!(
            o,
            "<h3>{} — {}</h3>\n<p class=\"meta\">As of {} · file <code>{}</code> · written {}{}</p>\n<p>{}</p>\n<ul>",
            esc(&c.case),
            esc(&c.title),
            esc(&c.as_of),
            esc(&c.file.display().to_string()),
            esc(&c.written),
            if c.written_after_the_fact {
                " (after the fact)"
            } else {
                ""
            },
            esc(c.blinding.trim())
        );
        for q in &c.questions {
            let _ = writeln!(
                o,
                "<li>Outcome of <code>{}</code>: {}</li>",
                esc(&q.question),
                esc(&q.outcome_source)
            );
            for m in q.market.iter().chain(&q.other_markets) {
                let note = m.note.as_ref().map_or(String::new(), |n| format!(" Note: {}", esc(n)));
                let _ = writeln!(o, "<li>{}: {}{note}</li>", esc(&market_text(m)), esc(&m.source));
            }
        }
        o += "</ul>\n";
    }
    let _ = writeln!(
        o,
        "<p class=\"meta\">Reproduce: <code>{}</code></p>\n</body>\n</html>",
        esc(&r.reproduce())
    );
    o
}

/// The terminal table: each question, then the scores.
pub fn terminal_table(r: &BacktestReport) -> String {
    let mut t = table();
    t.set_header(vec![
        "case / question",
        "deadline",
        "armistice P(yes)",
        "market",
        "outcome",
    ]);
    for c in r.cases {
        for q in &c.questions {
            t.add_row(vec![
                format!("{} / {}", q.case, q.question),
                q.deadline.clone(),
                tool_p(q),
                market_p(q),
                outcome(q),
            ]);
        }
    }
    let mut s = table();
    s.set_header(SCORE_HEAD.to_vec());
    for row in score_rows(r.board) {
        s.add_row(row);
    }
    let mut o = format!("{t}\n{s}\n");
    for p in caveats(r) {
        let _ = writeln!(o, "{p}");
    }
    o
}
