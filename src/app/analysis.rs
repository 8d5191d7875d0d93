//! The analysis commands: `sweep`, `tornado`, `compare`, `batch`. Each reads like its pipeline
//! (load → check every variant → simulate on common random numbers → export atomically).

use super::{AppError, CANCEL, Progress, load, output_err, progress_bar, run_error, write_outputs};
use crate::cli::{BatchArgs, CompareArgs, SimArgs, SweepArgs, TornadoArgs};
use armistice::analysis::stat::{self, Stat, Value};
use armistice::analysis::{self, Axis, SweepError, SweepSpec, Swing};
use armistice::report::charts::analysis as charts;
use armistice::report::shard::AggregateFile;
use armistice::report::{self, Manifest};
use armistice::runner::{RunOptions, run_all};
use armistice::scenario::{Dist, Scenario};
use armistice::stats::{Aggregate, Summary};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn sweep_error(e: SweepError) -> AppError {
    match e {
        SweepError::Input(m) => AppError::Input(m),
        SweepError::Run(e) => run_error(e),
    }
}

fn opts(sim: &SimArgs, s: &Scenario, default_runs: u64) -> RunOptions {
    RunOptions {
        runs: sim.runs.unwrap_or(default_runs),
        seed: sim.seed.unwrap_or(s.simulation.seed),
        threads: sim.threads.map(|t| t as usize),
        shard: None,
    }
}

/// Runs `f` in a pool of `threads` workers (all cores when `None`).
fn in_pool<T: Send>(threads: Option<usize>, f: impl FnOnce() -> T + Send) -> T {
    match threads.and_then(|t| rayon::ThreadPoolBuilder::new().num_threads(t).build().ok()) {
        Some(p) => p.install(f),
        None => f(),
    }
}

/// "42.1%" for probabilities, "0.512" otherwise.
fn show(v: f64, probability: bool) -> String {
    if v.is_nan() {
        "—".into()
    } else if probability {
        format!("{:.1}%", 100.0 * v)
    } else {
        format!("{v:.3}")
    }
}

/// "42.1% (41.4–42.8%)".
fn show_ci(v: &Value, probability: bool) -> String {
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
fn show_diff(v: &Value, probability: bool) -> String {
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

fn table() -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(120);
    t
}

fn caption(s: &Scenario, o: &RunOptions, what: &str) -> String {
    format!(
        "armistice · scenario {} (as of {}) · {} · {} runs each · seed {}",
        s.meta.id,
        s.meta.as_of,
        what,
        armistice::report::charts::theme::group_thousands(o.runs),
        o.seed
    )
}

/// Stages `<stem>.html`: the page of an analysis with its table and the staged SVG charts
/// inline (single file, embedded font, no network), beside its Markdown twin.
#[allow(clippy::too_many_arguments)]
fn put_html(
    output: &mut report::Output,
    stem: &str,
    title: &str,
    meta: &str,
    paragraphs: &[String],
    table: (&[String], &[Vec<String>]),
    chart_files: &[String],
    reproduce: &str,
) -> Result<(), AppError> {
    let mut svgs = vec![];
    for f in chart_files.iter().filter(|f| f.ends_with(".svg")) {
        let p = output.staged(f);
        let svg = std::fs::read_to_string(&p).map_err(|e| AppError::Internal(e.into()))?;
        svgs.push((f.clone(), svg));
    }
    let html = report::document::analysis_html(title, meta, paragraphs, table, &svgs, reproduce);
    output.put(&format!("{stem}.html"), html.as_bytes()).map_err(output_err)
}

/// A value's CSV cells: value, lower and upper 95% bound, 6 decimals ("" when undefined).
fn cells(v: &Value) -> [String; 3] {
    [v.value, v.lo, v.hi].map(|y| if y.is_nan() { String::new() } else { format!("{y:.6}") })
}

/// A chart point from a statistic.
fn point(x: f64, v: &Value) -> charts::Point {
    charts::Point {
        x,
        value: v.value,
        lo: v.lo,
        hi: v.hi,
    }
}

/// "share of …" → "Share of …" (titles); "P(…)" unchanged.
fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn file_stem(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

// ───────────────────────────────────────── sweep ─────────────────────────────────────────────

/// `armistice sweep`.
pub fn sweep(a: &SweepArgs) -> Result<(), AppError> {
    let s = load(&a.scenario)?;
    if !a.sim.output.quiet {
        s.warnings.iter().for_each(|w| eprintln!("{w}"));
    }
    let specs = sweep_specs(a, &s)?;
    // every point of every sweep must load before anything runs or is written
    for spec in &specs {
        analysis::check_sweep(&s, spec)
            .map_err(|e| AppError::Input(format!("{e}\n  = note: in sweep `{}`", spec.id)))?;
    }
    for spec in &specs {
        let out = match (&a.sim.output.out, specs.len()) {
            (Some(o), 1) => o.clone(),
            (Some(o), _) => o.join(format!("sweep-{}", spec.id)),
            (None, _) => PathBuf::from("output")
                .join(&s.meta.id)
                .join(format!("sweep-{}", spec.id)),
        };
        run_sweep(&s, spec, &a.sim, &out)?;
    }
    Ok(())
}

/// The sweeps to run: `--set` on the command line, else the file's `[[sweep]]`s.
fn sweep_specs(a: &SweepArgs, s: &Scenario) -> Result<Vec<SweepSpec>, AppError> {
    let parse_stats = |names: &[String]| -> Result<Vec<Stat>, AppError> {
        if names.is_empty() {
            return Ok(vec![Stat::Agreement]);
        }
        names
            .iter()
            .map(|n| Stat::parse(n, s).map_err(|e| AppError::Input(format!("error: {e}"))))
            .collect()
    };
    if !a.set.is_empty() {
        let axes = a
            .set
            .iter()
            .map(|x| Axis::parse(x).map_err(|e| AppError::Input(format!("error: --set {e}"))))
            .collect::<Result<Vec<_>, _>>()?;
        let id = axes.iter().map(|x| x.path.as_str()).collect::<Vec<_>>().join("+");
        return Ok(vec![SweepSpec {
            id: file_stem(&id),
            axes,
            stats: parse_stats(&a.stat)?,
        }]);
    }
    let decls: Vec<_> = s
        .sweeps
        .iter()
        .filter(|d| a.id.as_ref().is_none_or(|id| &d.id == id))
        .collect();
    if decls.is_empty() {
        let have: Vec<&str> = s.sweeps.iter().map(|d| d.id.as_str()).collect();
        return Err(AppError::Input(match &a.id {
            Some(id) => format!(
                "error: {} declares no [[sweep]] with id `{id}`; it declares: {}",
                a.scenario.display(),
                if have.is_empty() {
                    "none".into()
                } else {
                    have.join(", ")
                }
            ),
            None => format!(
                "error: nothing to sweep: give --set PATH=LO..HI:STEPS, or declare a [[sweep]] in {}\n  = help: e.g. armistice sweep {0} --set actor.{}.war_cost=0.002..0.012:6",
                a.scenario.display(),
                s.actors.first().map_or("ID", |x| x.id.as_str())
            ),
        }));
    }
    decls
        .into_iter()
        .map(|d| {
            let axes = d
                .set
                .iter()
                .map(|x| Axis::parse(x).map_err(AppError::Input))
                .collect::<Result<Vec<_>, _>>()?;
            let stats = if a.stat.is_empty() {
                parse_stats(&d.stats)?
            } else {
                parse_stats(&a.stat)?
            };
            Ok(SweepSpec {
                id: file_stem(&d.id),
                axes,
                stats,
            })
        })
        .collect()
}

/// The statistics a sweep's CSV holds: the defaults and those charted.
fn csv_stats(s: &Scenario, charted: &[Stat]) -> Vec<Stat> {
    let mut v = analysis::default_stats(s);
    for st in charted {
        if !v.contains(st) {
            v.push(st.clone());
        }
    }
    v
}

fn run_sweep(s: &Scenario, spec: &SweepSpec, sim: &SimArgs, out: &Path) -> Result<(), AppError> {
    let checked = analysis::check_sweep(s, spec).map_err(AppError::Input)?;
    let o = opts(sim, s, 2_000);
    let bar = progress_bar(
        o.runs * checked.len() as u64,
        sim.output.quiet,
        &format!("sweep {}", spec.id),
    );
    let started = std::time::Instant::now();
    let mut points: Vec<Vec<f64>> = vec![];
    let mut results: Vec<(Scenario, Aggregate)> = vec![];
    for (p, v) in checked {
        let agg = run_all(&v, o, &Progress(bar.clone()), &CANCEL).map_err(run_error)?;
        points.push(p);
        results.push((v, agg));
    }
    bar.finish_and_clear();
    let all = csv_stats(s, &spec.stats);
    // CSV: one row per point
    let mut w = csv::Writer::from_writer(vec![]);
    let mut header: Vec<String> = spec.axes.iter().map(|a| a.path.clone()).collect();
    header.extend(["runs", "seed"].map(String::from));
    for st in &all {
        let n = st.name();
        header.extend([n.clone(), format!("{n} lo95"), format!("{n} hi95")]);
    }
    let csv_err = |e: csv::Error| AppError::Internal(e.into());
    w.write_record(&header).map_err(csv_err)?;
    for (p, (v, agg)) in points.iter().zip(&results) {
        let mut row: Vec<String> = p.iter().map(|x| format!("{x}")).collect();
        row.extend([o.runs.to_string(), o.seed.to_string()]);
        for st in &all {
            row.extend(cells(&st.of(v, agg)));
        }
        w.write_record(&row).map_err(csv_err)?;
    }
    let csv_bytes = w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let mut output = report::Output::begin(out).map_err(output_err)?;
    output.put("sweep.csv", &csv_bytes).map_err(output_err)?;
    let mut chart_files = vec![];
    if !sim.output.no_charts {
        let dir = output.staged("charts");
        for st in &spec.stats {
            let label = st.label(s);
            let yaxis = charts::Axis {
                label: label.clone(),
                percent: st.is_probability(),
            };
            let files = match spec.axes.as_slice() {
                [x] => {
                    let series = charts::Series {
                        name: label.clone(),
                        points: x
                            .values
                            .iter()
                            .zip(&results)
                            .map(|(xv, (v, agg))| point(*xv, &st.of(v, agg)))
                            .collect(),
                    };
                    let f = charts::Frame {
                        stem: file_stem(&st.name()),
                        title: format!("{} as {} varies", capitalised(&label), x.path),
                        subtitle: "Each point simulated on the same runs (common random numbers); band: 95% interval"
                            .into(),
                        caption: caption(s, &o, &format!("sweep of {}", x.path)),
                    };
                    charts::line_bands(
                        &dir,
                        &f,
                        &charts::Axis {
                            label: x.path.clone(),
                            percent: false,
                        },
                        &yaxis,
                        &[series],
                    )
                }
                [x, y] => {
                    let values: Vec<Vec<f64>> = (0..y.values.len())
                        .map(|iy| {
                            (0..x.values.len())
                                .map(|ix| {
                                    let (v, agg) = &results[iy * x.values.len() + ix];
                                    st.of(v, agg).value
                                })
                                .collect()
                        })
                        .collect();
                    let f = charts::Frame {
                        stem: file_stem(&st.name()),
                        title: capitalised(&label),
                        subtitle: format!("By {} and {}; every cell simulated on the same runs", x.path, y.path),
                        caption: caption(s, &o, &format!("sweep of {} × {}", x.path, y.path)),
                    };
                    charts::heatmap(
                        &dir,
                        &f,
                        &charts::Axis {
                            label: x.path.clone(),
                            percent: false,
                        },
                        &charts::Axis {
                            label: y.path.clone(),
                            percent: false,
                        },
                        &x.values,
                        &y.values,
                        &values,
                        &yaxis,
                    )
                }
                _ => unreachable!("checked: one or two axes"),
            }
            .map_err(|e| AppError::Internal(e.into()))?;
            chart_files.extend(files);
        }
        for f in &chart_files {
            output.add(f);
        }
    }
    // the report: the table of charted statistics at every point, and the command
    let mut md = format!(
        "# Sweep `{}` of {}\n\n{} runs per point, seed {}, common random numbers: run r draws the same numbers at every point except the swept parameter(s).\n\nReproduce: `armistice sweep {} {}--runs {} --seed {}`\n\n",
        spec.id,
        s.meta.title,
        o.runs,
        o.seed,
        s.path.display(),
        spec.axes
            .iter()
            .map(|x| format!(
                "--set {}={} ",
                x.path,
                x.values.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(",")
            ))
            .collect::<String>(),
        o.runs,
        o.seed
    );
    let mut t = table();
    let mut head: Vec<String> = spec.axes.iter().map(|a| a.path.clone()).collect();
    head.extend(spec.stats.iter().map(|st| st.label(s)));
    t.set_header(head.clone());
    let _ = writeln!(
        md,
        "| {} |\n|{}|",
        head.join(" | "),
        head.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    let mut rows = vec![];
    for (p, (v, agg)) in points.iter().zip(&results) {
        let mut row: Vec<String> = p.iter().map(|x| format!("{x}")).collect();
        row.extend(spec.stats.iter().map(|st| show_ci(&st.of(v, agg), st.is_probability())));
        let _ = writeln!(md, "| {} |", row.join(" | "));
        t.add_row(row.clone());
        rows.push(row);
    }
    for f in chart_files.iter().filter(|f| f.ends_with(".png")) {
        let _ = write!(md, "\n![{f}]({f})\n");
    }
    output.put("sweep.md", md.as_bytes()).map_err(output_err)?;
    let reproduce = md
        .lines()
        .find_map(|l| l.strip_prefix("Reproduce: `"))
        .map(|l| l.trim_end_matches('`').to_string())
        .unwrap_or_default();
    put_html(
        &mut output,
        "sweep",
        &format!("Sweep {} of {}", spec.id, s.meta.title),
        &format!("Scenario {} (as of {}) · {} runs per point · seed {}", s.meta.id, s.meta.as_of, o.runs, o.seed),
        &["Every point is simulated on the same runs (common random numbers): run r draws the same numbers at every point except the swept parameter(s), so differences between points are the parameter's effect, not sampling noise. Intervals are 95%.".to_string()],
        (&head, &rows),
        &chart_files,
        &reproduce,
    )?;
    output.commit().map_err(output_err)?;
    if !sim.output.quiet {
        println!(
            "sweep {} of {} ({} points × {} runs)",
            spec.id,
            s.meta.id,
            points.len(),
            o.runs
        );
        println!("{t}");
        println!(
            "written to {} in {:.1} s (sweep.csv holds every statistic)",
            out.display(),
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

// ──────────────────────────────────────── tornado ────────────────────────────────────────────

/// `armistice tornado`.
pub fn tornado(a: &TornadoArgs) -> Result<(), AppError> {
    let s = load(&a.scenario)?;
    if !a.sim.output.quiet {
        s.warnings.iter().for_each(|w| eprintln!("{w}"));
    }
    let st = Stat::parse(&a.stat, &s).map_err(|e| AppError::Input(format!("error: {e}")))?;
    let o = opts(&a.sim, &s, 1_000);
    let mut params: Vec<(String, Dist, Swing)> = analysis::uncertain(&s)
        .map_err(AppError::Input)?
        .into_iter()
        .map(|(p, d)| (p, d, Swing::Percentiles))
        .collect();
    if !a.percentiles_only {
        params.extend(
            analysis::chance_events(&s)
                .into_iter()
                .map(|(p, d)| (p, d, Swing::NeverAlways)),
        );
    }
    if params.is_empty() {
        return Err(AppError::Input(format!(
            "error: {} has no uncertain parameter: every number is fixed\n  = help: a tornado needs distributions such as war_cost = {{ pert = [0.002, 0.005, 0.010] }}; to vary fixed numbers use `armistice sweep`",
            a.scenario.display()
        )));
    }
    // every variant must load before anything runs
    for (p, d, kind) in &params {
        let (lo, hi) = analysis::swing_values(d, *kind);
        for v in [lo, hi] {
            analysis::variant(&s, &[(p, v)]).map_err(AppError::Input)?;
        }
    }
    let bar = progress_bar(o.runs * (2 * params.len() as u64 + 1), a.sim.output.quiet, "tornado");
    let started = std::time::Instant::now();
    let progress = Progress(bar.clone());
    let base = analysis::simulate_point(&s, o, &[], &progress, &CANCEL).map_err(run_error)?;
    let rows = params
        .iter()
        .map(|(p, d, kind)| analysis::sensitivity(&s, p, d, *kind, &st, o, &progress, &CANCEL))
        .collect::<Result<Vec<_>, _>>()
        .map_err(sweep_error)?;
    bar.finish_and_clear();
    let baseline = st.of(&s, &base.aggregate);
    let mut rows = rows;
    rows.sort_by(|x, y| {
        y.swing
            .value
            .abs()
            .partial_cmp(&x.swing.value.abs())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.path.cmp(&y.path))
    });
    let prob = st.is_probability();
    let label = st.label(&s);
    let mut w = csv::Writer::from_writer(vec![]);
    let csv_err = |e: csv::Error| AppError::Internal(e.into());
    w.write_record([
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
    ])
    .map_err(csv_err)?;
    let f6 = |x: f64| if x.is_nan() { String::new() } else { format!("{x:.6}") };
    for (i, r) in rows.iter().enumerate() {
        let record = [
            (i + 1).to_string(),
            r.path.clone(),
            r.dist.to_string(),
            varied(r.kind).to_string(),
            f6(r.low),
            f6(r.high),
        ]
        .into_iter()
        .chain([&r.at_low, &r.at_high, &r.swing].into_iter().flat_map(cells))
        .collect::<Vec<_>>();
        w.write_record(&record).map_err(csv_err)?;
    }
    let csv_bytes = w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let out = a.sim.output.out.clone().unwrap_or_else(|| {
        let name = if st == Stat::Agreement {
            "tornado".to_string()
        } else {
            format!("tornado-{}", file_stem(&st.name()))
        };
        PathBuf::from("output").join(&s.meta.id).join(name)
    });
    let mut output = report::Output::begin(&out).map_err(output_err)?;
    output.put("tornado.csv", &csv_bytes).map_err(output_err)?;
    let mut files = vec![];
    if !a.sim.output.no_charts {
        let bars: Vec<charts::TornadoBar> = rows
            .iter()
            .take(a.top.max(1))
            .map(|r| charts::TornadoBar {
                label: match r.kind {
                    Swing::Percentiles => describe(&s, &r.path),
                    Swing::NeverAlways => format!("{}: never → always", describe(&s, &r.path)),
                },
                // no per-end whiskers: the ends share their runs, so their separate intervals
                // overstate the uncertainty of the swing (its paired interval is in the tables)
                low: point(
                    r.low,
                    &Value {
                        lo: r.at_low.value,
                        hi: r.at_low.value,
                        ..r.at_low
                    },
                ),
                high: point(
                    r.high,
                    &Value {
                        lo: r.at_high.value,
                        hi: r.at_high.value,
                        ..r.at_high
                    },
                ),
                low_param: r.low,
                high_param: r.high,
            })
            .collect();
        let f = charts::Frame {
            stem: "tornado".into(),
            title: format!("What moves {label}"),
            subtitle: "Each parameter at its 10th and 90th percentile (red lines and consents: never and always), the rest as usual, same runs".into(),
            caption: caption(&s, &o, "one-at-a-time sensitivity"),
        };
        files = charts::tornado(
            &output.staged("charts"),
            &f,
            &charts::Axis {
                label: label.clone(),
                percent: prob,
            },
            baseline.value,
            &bars,
        )
        .map_err(|e| AppError::Internal(e.into()))?;
        for f in &files {
            output.add(f);
        }
    }
    let mut t = table();
    t.set_header(vec![
        "rank".to_string(),
        "parameter (low → high)".into(),
        "at low".into(),
        "at high".into(),
        "swing (95% interval)".into(),
    ]);
    let mut md = format!(
        "# Sensitivity of {label}: {}\n\n{label} with every parameter drawn as usual: {}. Each of the {} rows fixes one parameter at a low and a high value in turn, the others drawn as usual: an uncertain number at its 10th and 90th percentile, a red line or consent that happens in some runs at never and always; {} runs per case, seed {}, common random numbers (the swing's interval is paired over runs where the statistic allows it).\n\nReproduce: `armistice tornado {} --stat {} --runs {} --seed {}`\n\n| rank | parameter | distribution | low → high | at low | at high | swing (95% interval) |\n|---|---|---|---|---|---|---|\n",
        s.meta.title,
        show_ci(&baseline, prob),
        rows.len(),
        o.runs,
        o.seed,
        s.path.display(),
        st.name(),
        o.runs,
        o.seed
    );
    let mut html_rows = vec![];
    for (i, r) in rows.iter().enumerate() {
        let range = match r.kind {
            Swing::Percentiles => format!("{} → {}", fmt_param(r.low), fmt_param(r.high)),
            Swing::NeverAlways => "never → always".to_string(),
        };
        html_rows.push(vec![
            (i + 1).to_string(),
            describe(&s, &r.path),
            r.dist.to_string(),
            range.clone(),
            show(r.at_low.value, prob),
            show(r.at_high.value, prob),
            show_diff(&r.swing, prob),
        ]);
        let _ = writeln!(
            md,
            "| {} | `{}` | {} | {range} | {} | {} | {} |",
            i + 1,
            describe(&s, &r.path),
            r.dist,
            show(r.at_low.value, prob),
            show(r.at_high.value, prob),
            show_diff(&r.swing, prob)
        );
        if i < a.top.max(1) {
            t.add_row(vec![
                (i + 1).to_string(),
                format!("{} ({range})", describe(&s, &r.path)),
                show(r.at_low.value, prob),
                show(r.at_high.value, prob),
                show_diff(&r.swing, prob),
            ]);
        }
    }
    for f in files.iter().filter(|f| f.ends_with(".png")) {
        let _ = write!(md, "\n![{f}]({f})\n");
    }
    output.put("tornado.md", md.as_bytes()).map_err(output_err)?;
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
        &mut output,
        "tornado",
        &format!("What moves {label}: {}", s.meta.title),
        &format!(
            "Scenario {} (as of {}) · {} runs per case · seed {}",
            s.meta.id, s.meta.as_of, o.runs, o.seed
        ),
        &[format!(
            "{label} with every parameter drawn as usual: {}. Each of the {} rows fixes one parameter at a low and a high value in turn, the others drawn as usual, on the same runs (common random numbers): an uncertain number at its 10th and 90th percentile, a red line or consent that happens in some runs at never and always. The swing's 95% interval is paired over runs where the statistic allows it.",
            show_ci(&baseline, prob),
            rows.len()
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
    )?;
    output.commit().map_err(output_err)?;
    if !a.sim.output.quiet {
        println!(
            "{label} with every parameter drawn: {} ({} runs, seed {})",
            show_ci(&baseline, prob),
            o.runs,
            o.seed
        );
        println!("{t}");
        println!(
            "{} parameter{} × 2 cases in {:.1} s; written to {} (tornado.csv ranks them all)",
            rows.len(),
            if rows.len() == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(())
}

/// A parameter path with what it is about when the path does not say: a red line's options.
fn describe(s: &Scenario, path: &str) -> String {
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

fn fmt_param(x: f64) -> String {
    let r = (x * 1e4).round() / 1e4;
    if r == 0.0 && x != 0.0 {
        format!("{x:.2e}")
    } else {
        format!("{r}")
    }
}

// ──────────────────────────────────────── compare ────────────────────────────────────────────

/// One row of a comparison.
struct Row {
    label: String,
    a: Value,
    b: Value,
    diff: Value,
    probability: bool,
    /// Whether the difference's interval is paired over runs.
    paired: bool,
}

/// `armistice compare`.
pub fn compare(a: &CompareArgs) -> Result<(), AppError> {
    let sa = load(&a.a)?;
    let sb = load(&a.b)?;
    if !a.sim.output.quiet {
        sa.warnings.iter().chain(&sb.warnings).for_each(|w| eprintln!("{w}"));
    }
    if sa.meta.id == sb.meta.id && sa.source_hash == sb.source_hash {
        eprintln!("note: A and B are the same scenario: every paired difference (†) is exactly 0");
    }
    let shared_actors = sa.actors.iter().filter(|x| sb.actor_index(&x.id).is_some()).count();
    let shared_issues = sa
        .issues
        .iter()
        .filter(|x| sb.issues.iter().any(|y| y.id == x.id))
        .count();
    if shared_actors == 0 || shared_issues == 0 {
        eprintln!(
            "note: A and B share {shared_actors} actor(s) and {shared_issues} issue(s): only the outcome probabilities compare; their runs share no draws, so paired intervals are no narrower than independent ones"
        );
    }
    let o = opts(&a.sim, &sa, sa.simulation.runs);
    if !a.sim.output.quiet && a.sim.seed.is_none() && sb.simulation.seed != o.seed {
        eprintln!(
            "note: both scenarios run with seed {} (A's; B's own is {}), so run r of each shares its draws where the files agree",
            o.seed, sb.simulation.seed
        );
    }
    let bar = progress_bar(2 * o.runs, a.sim.output.quiet, "compare");
    let started = std::time::Instant::now();
    // the statistics both scenarios define, matched by name
    let mut stats: Vec<Stat> = analysis::default_stats(&sa)
        .into_iter()
        .filter(|st| Stat::parse(&st.name(), &sb).is_ok())
        .collect();
    let pa = analysis::simulate_point(&sa, o, &stats, &Progress(bar.clone()), &CANCEL).map_err(run_error)?;
    let pb = analysis::simulate_point(&sb, o, &stats, &Progress(bar.clone()), &CANCEL).map_err(run_error)?;
    bar.finish_and_clear();
    let (ga, gb) = (&pa.aggregate, &pb.aggregate);
    let n_paired = stats.len();
    for issue in &sa.issues {
        for opt in &issue.options {
            let st = Stat::OptionShare(issue.id.clone(), opt.id.clone());
            if Stat::parse(&st.name(), &sb).is_ok() {
                stats.push(st);
            }
        }
    }
    // differences: paired over runs (run r of A and of B) for per-run statistics, independent
    // (Newcombe) for shares of agreements
    let rows: Vec<Row> = stats
        .iter()
        .enumerate()
        .map(|(k, st)| {
            let (va, vb) = (st.of(&sa, ga), st.of(&sb, gb));
            let diff = if k < n_paired && st.per_run_supported() {
                stat::paired_difference(&pa.per_run[k], &pb.per_run[k])
            } else {
                stat::independent_difference(va, vb, st.is_probability())
            };
            Row {
                label: st.label(&sa),
                a: va,
                b: vb,
                diff,
                probability: st.is_probability(),
                paired: k < n_paired && st.per_run_supported(),
            }
        })
        .collect();
    let out = a
        .sim
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("compare-{}-vs-{}", sa.meta.id, sb.meta.id)));
    let mut w = csv::Writer::from_writer(vec![]);
    let csv_err = |e: csv::Error| AppError::Internal(e.into());
    w.write_record([
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
    ])
    .map_err(csv_err)?;
    for (st, r) in stats.iter().zip(&rows) {
        let record = [r.label.clone(), st.name()]
            .into_iter()
            .chain([&r.a, &r.b, &r.diff].into_iter().flat_map(cells))
            .collect::<Vec<_>>();
        w.write_record(&record).map_err(csv_err)?;
    }
    let csv_bytes = w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    let mut output = report::Output::begin(&out).map_err(output_err)?;
    output.put("compare.csv", &csv_bytes).map_err(output_err)?;
    let mut files = vec![];
    if !a.sim.output.no_charts {
        let dir = output.staged("charts");
        let names = vec![sa.meta.id.clone(), sb.meta.id.clone()];
        let horizon = sa.meta.horizon.min(sb.meta.horizon);
        let series: Vec<charts::Series> = [(&sa, ga), (&sb, gb)]
            .iter()
            .map(|(s, g)| charts::Series {
                name: s.meta.id.clone(),
                points: (1..=horizon)
                    .map(|n| point(n as f64, &Stat::AgreementWithin(n).of(s, g)))
                    .collect(),
            })
            .collect();
        let cap = format!(
            "armistice · {} vs {} · {} runs each · seed {}",
            sa.meta.id,
            sb.meta.id,
            armistice::report::charts::theme::group_thousands(o.runs),
            o.seed
        );
        files.extend(
            charts::line_bands(
                &dir,
                &charts::Frame {
                    stem: "agreement-by-round".into(),
                    title: "When a deal is signed: the two scenarios".into(),
                    subtitle: format!(
                        "P(agreement by the end of each round of {}); bands: 95% intervals",
                        sa.meta.round_length
                    ),
                    caption: cap.clone(),
                },
                &charts::Axis {
                    label: "Round".into(),
                    percent: false,
                },
                &charts::Axis {
                    label: "P(agreement by this round)".into(),
                    percent: true,
                },
                &series,
            )
            .map_err(|e| AppError::Internal(e.into()))?,
        );
        let bars: Vec<charts::GroupedBar> = stats
            .iter()
            .zip(&rows)
            .filter_map(|(st, r)| match st {
                Stat::OptionShare(i, o) => Some(charts::GroupedBar {
                    group: sa
                        .issues
                        .iter()
                        .find(|x| &x.id == i)
                        .map_or(i.clone(), |x| x.title.clone()),
                    label: o.clone(),
                    values: vec![point(0.0, &r.a), point(0.0, &r.b)],
                }),
                _ => None,
            })
            .collect();
        if !bars.is_empty() {
            files.extend(
                charts::grouped_bars(
                    &dir,
                    &charts::Frame {
                        stem: "agreed-options".into(),
                        title: "What is agreed: the two scenarios".into(),
                        subtitle: "Share of agreements carrying each option; whiskers: 95% intervals".into(),
                        caption: cap,
                    },
                    &charts::Axis {
                        label: "Share of agreements".into(),
                        percent: true,
                    },
                    &names,
                    &bars,
                )
                .map_err(|e| AppError::Internal(e.into()))?,
            );
        }
        for f in &files {
            output.add(f);
        }
    }
    let mut t = table();
    t.set_header(vec![
        "statistic".to_string(),
        format!("A: {}", sa.meta.id),
        format!("B: {}", sb.meta.id),
        "B − A (95% interval)".into(),
    ]);
    let mut md = format!(
        "# {} vs {}\n\nA: {} ({}). B: {} ({}). {} runs each, seed {} for both. Differences marked † are paired over runs (run r of A against run r of B; with the same seed they share every draw the two files have in common, so the interval is narrower than for independent samples); the others (shares of agreements) treat the samples as independent (Newcombe's hybrid score interval).\n\nReproduce: `armistice compare {} {} --runs {} --seed {}`\n\n| statistic | A | B | B − A (95% interval) |\n|---|---|---|---|\n",
        sa.meta.id,
        sb.meta.id,
        sa.meta.title,
        sa.meta.as_of,
        sb.meta.title,
        sb.meta.as_of,
        o.runs,
        o.seed,
        a.a.display(),
        a.b.display(),
        o.runs,
        o.seed
    );
    let mut html_rows = vec![];
    for r in &rows {
        let cells = [
            r.label.clone(),
            show_ci(&r.a, r.probability),
            show_ci(&r.b, r.probability),
            format!(
                "{}{}",
                show_diff(&r.diff, r.probability),
                if r.paired { " †" } else { "" }
            ),
        ];
        let _ = writeln!(md, "| {} |", cells.join(" | "));
        html_rows.push(cells.to_vec());
        // the terminal shows options that matter (≥ 2% of agreements in A or B); the files all
        if !(r.label.starts_with("share of agreements") && r.a.value.max(r.b.value) < 0.02) {
            t.add_row(cells.to_vec());
        }
    }
    for f in files.iter().filter(|f| f.ends_with(".png")) {
        let _ = write!(md, "\n![{f}]({f})\n");
    }
    output.put("compare.md", md.as_bytes()).map_err(output_err)?;
    let head: Vec<String> = vec![
        "statistic".into(),
        format!("A: {}", sa.meta.id),
        format!("B: {}", sb.meta.id),
        "B − A (95% interval)".into(),
    ];
    put_html(
        &mut output,
        "compare",
        &format!("{} vs {}", sa.meta.id, sb.meta.id),
        &format!("{} runs each · seed {} for both", o.runs, o.seed),
        &[
            format!("A: {} (as of {}). B: {} (as of {}).", sa.meta.title, sa.meta.as_of, sb.meta.title, sb.meta.as_of),
            "Differences marked † are paired over runs: run r of A against run r of B, which share every draw the two files have in common, so the interval is narrower than for independent samples. The others (shares of agreements) treat the samples as independent (Newcombe's hybrid score interval). Intervals are 95%.".to_string(),
        ],
        (&head, &html_rows),
        &files,
        &format!("armistice compare {} {} --runs {} --seed {}", a.a.display(), a.b.display(), o.runs, o.seed),
    )?;
    output.commit().map_err(output_err)?;
    if !a.sim.output.quiet {
        println!("{t}");
        println!("† paired over runs (same seed); other intervals treat A and B as independent");
        println!(
            "{} runs each in {:.1} s; written to {}",
            o.runs,
            started.elapsed().as_secs_f64(),
            out.display()
        );
    }
    Ok(())
}

// ───────────────────────────────────────── batch ─────────────────────────────────────────────

/// `armistice batch`.
pub fn batch(a: &BatchArgs) -> Result<(), AppError> {
    let found = analysis::scan_folder(&a.dir)
        .map_err(|e| AppError::Input(format!("error: cannot read the folder {}: {e}", a.dir.display())))?;
    if found.is_empty() {
        return Err(AppError::Input(format!(
            "error: {} holds no .toml scenario\n  = help: `armistice new {}/my-scenario` writes one",
            a.dir.display(),
            a.dir.display()
        )));
    }
    let name = std::fs::canonicalize(&a.dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "scenarios".into());
    let out = a
        .sim
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("batch-{name}")));
    let mut ids: Vec<&str> = vec![];
    let mut errors = vec![];
    let mut valid = vec![];
    for (f, s) in &found {
        match s {
            Ok(s) if ids.contains(&s.meta.id.as_str()) => errors.push((
                f.clone(),
                format!(
                    "error: {}: scenario id `{}` is used by another file of the folder\n  = help: give each scenario its own id (outputs go to a folder named after it)",
                    f.display(),
                    s.meta.id
                ),
            )),
            Ok(s) => {
                ids.push(&s.meta.id);
                valid.push((f.clone(), s));
            }
            Err(e) => errors.push((f.clone(), e.clone())),
        }
    }
    let total: u64 = valid.iter().map(|(_, s)| a.sim.runs.unwrap_or(s.simulation.runs)).sum();
    let bar = progress_bar(total, a.sim.output.quiet, &format!("batch {name}"));
    let started = std::time::Instant::now();
    let progress = Progress(bar.clone());
    let results: Vec<(PathBuf, &Scenario, Result<Summary, String>)> =
        in_pool(a.sim.threads.map(|t| t as usize), || {
            valid
                .par_iter()
                .map(|(f, s)| {
                    // the batch's pool runs the scenarios; each uses it too (no pool of its own)
                    let o = RunOptions {
                        threads: None,
                        ..opts(&a.sim, s, s.simulation.runs)
                    };
                    let r = run_all(s, o, &progress, &CANCEL)
                        .map_err(|e| e.to_string())
                        .and_then(|agg| {
                            let dir = out.join(&s.meta.id);
                            let manifest = Manifest {
                                tool: "armistice".into(),
                                version: env!("CARGO_PKG_VERSION").into(),
                                scenario_file: f.display().to_string(),
                                scenario_sha256: s.source_hash.clone(),
                                seed: o.seed,
                                runs: o.runs,
                                threads: o.threads.unwrap_or_else(rayon::current_num_threads),
                                wall_time_seconds: 0.0,
                                command: format!("armistice run {} --runs {} --seed {}", f.display(), o.runs, o.seed),
                            };
                            let file = AggregateFile::new(s, o.seed, o.runs, None, agg);
                            let output = report::Output::begin(&dir).map_err(|e| e.to_string())?;
                            write_outputs(output, s, &file, &manifest, !a.sim.output.no_charts)
                                .map_err(|e| e.to_string())?;
                            Ok(Summary::new(s, &file.aggregate, o.seed))
                        });
                    (f.clone(), *s, r)
                })
                .collect()
        });
    bar.finish_and_clear();
    if CANCEL.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(AppError::Cancelled(armistice::runner::Cancelled));
    }
    // the index
    let mut t = table();
    t.set_header(vec![
        "scenario",
        "P(agreement) (95% interval)",
        "most likely package",
        "report",
    ]);
    let mut md = format!(
        "# Batch: {}\n\n{} scenario(s) from `{}`; each folder holds the full outputs of `armistice run`.\n\n| scenario | title | as of | runs | P(agreement within horizon) | most likely package | report |\n|---|---|---|---|---|---|---|\n",
        name,
        found.len(),
        a.dir.display()
    );
    let mut html_rows = String::new();
    let esc = report::document::esc;
    for (f, s, r) in &results {
        match r {
            Ok(sum) => {
                let p = &sum.outcomes[0].estimate;
                let agree = armistice::report::table::estimate(p, sum.runs);
                let modal = sum.packages.first().map_or("—".into(), |k| {
                    format!("{} ({:.1}% of agreements)", k.package, 100.0 * k.share_of_agreements.p)
                });
                let link = format!("{}/report.html", s.meta.id);
                let _ = writeln!(
                    md,
                    "| `{}` | {} | {} | {} | {agree} | {modal} | [report]({}/report.md) |",
                    s.meta.id, s.meta.title, s.meta.as_of, sum.runs, s.meta.id
                );
                let _ = writeln!(
                    html_rows,
                    "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&link),
                    esc(&s.meta.id),
                    esc(&s.meta.title),
                    esc(&s.meta.as_of),
                    sum.runs,
                    esc(&agree),
                    esc(&modal)
                );
                t.add_row(vec![
                    s.meta.id.clone(),
                    agree,
                    modal,
                    format!("{}", out.join(&link).display()),
                ]);
            }
            Err(e) => {
                errors.push((f.clone(), e.clone()));
            }
        }
    }
    for (f, e) in &errors {
        t.add_row(vec![
            f.display().to_string(),
            "failed: see the message below".into(),
            String::new(),
            String::new(),
        ]);
        let _ = writeln!(md, "| `{}` | **failed**: see below | | | | | |", f.display());
        let _ = writeln!(
            html_rows,
            "<tr class=\"failed\"><td>{}</td><td colspan=\"5\"><pre>{}</pre></td></tr>",
            esc(&f.display().to_string()),
            esc(e)
        );
    }
    if !errors.is_empty() {
        let _ = writeln!(md, "\n## Failed\n");
        for (f, e) in &errors {
            let _ = writeln!(md, "### {}\n\n```\n{e}\n```\n", f.display());
        }
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>armistice batch: {}</title><style>body{{font-family:'DejaVu Sans',sans-serif;max-width:1100px;margin:2em auto;color:#212121}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}}tr.failed td{{background:#fdecea}}pre{{white-space:pre-wrap;margin:0}}</style></head><body>\n<h1>Batch: {}</h1>\n<p>{} scenario(s) from <code>{}</code>; each link opens the full report of <code>armistice run</code>.</p>\n<table><thead><tr><th>scenario</th><th>title</th><th>as of</th><th>runs</th><th>P(agreement within horizon)</th><th>most likely package</th></tr></thead><tbody>\n{}</tbody></table>\n</body></html>\n",
        esc(&name),
        esc(&name),
        found.len(),
        esc(&a.dir.display().to_string()),
        html_rows
    );
    for (file, bytes) in [("index.md", md.as_bytes()), ("index.html", html.as_bytes())] {
        report::atomic::write_atomic(&out.join(file), bytes)
            .map_err(|e| AppError::Input(format!("error: cannot write {}: {e}", out.join(file).display())))?;
    }
    if !a.sim.output.quiet {
        println!("{t}");
        println!(
            "{} of {} scenario file(s) run in {:.1} s; index: {}",
            results.iter().filter(|(_, _, r)| r.is_ok()).count(),
            found.len(),
            started.elapsed().as_secs_f64(),
            out.join("index.html").display()
        );
    }
    if !errors.is_empty() {
        for (_, e) in &errors {
            eprintln!("{e}");
        }
        return Err(AppError::Input(format!(
            "batch: {} of {} scenario(s) failed (listed in the index); the others were written",
            errors.len(),
            found.len()
        )));
    }
    Ok(())
}
