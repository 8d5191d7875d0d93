//! `armistice backtest`: load every case of a folder → check each is a back-test case → run them
//! side by side on a common seed → score → write `backtest.*` and the charts atomically → print.

use super::{AppError, CANCEL, Progress, output_err, progress_bar, run_error};
use crate::cli::BacktestArgs;
use armistice::analysis::{self, backtest};
use armistice::report::{self, backtest::BacktestReport};
use armistice::runner::{self, RunOptions, run_all};
use armistice::scenario::Scenario;
use std::path::{Path, PathBuf};

/// Runs per case when `--runs` is not given: a Monte Carlo standard error of at most 1.1
/// percentage points, small beside any question's Brier score.
const DEFAULT_RUNS: u64 = 2_000;
/// The common seed when `--seed` is not given.
const DEFAULT_SEED: u64 = 1;

fn stem(f: &Path) -> String {
    f.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// The cases to run, in file order: every file of the folder, or those `--case` names.
fn select(a: &BacktestArgs) -> Result<Vec<(PathBuf, Scenario)>, AppError> {
    if a.dir.is_file() {
        return Err(AppError::Input(format!(
            "error: {} is a file; backtest runs a folder of cases\n  = help: give its folder, and --case {} to run only this one",
            a.dir.display(),
            stem(&a.dir)
        )));
    }
    let found = analysis::scan_folder(&a.dir)
        .map_err(|e| AppError::Input(format!("error: cannot read the folder {}: {e}", a.dir.display())))?;
    if found.is_empty() {
        return Err(AppError::Input(format!(
            "error: {} holds no .toml case\n  = help: a back-test case is a scenario with [backtest] and [[question]]s with their [question.outcome] (docs/scenario-format.md, \"[[question]]\")",
            a.dir.display()
        )));
    }
    // a case is named by its scenario id or its file name, with or without .toml
    let wanted: Vec<&str> = a.case.iter().map(|c| c.strip_suffix(".toml").unwrap_or(c)).collect();
    let named = |f: &Path, s: &Result<Scenario, _>| {
        wanted.is_empty()
            || wanted
                .iter()
                .any(|c| *c == stem(f) || s.as_ref().is_ok_and(|s: &Scenario| s.meta.id == *c))
    };
    for c in &wanted {
        if !found
            .iter()
            .any(|(f, s)| *c == stem(f) || s.as_ref().is_ok_and(|s| s.meta.id == *c))
        {
            let known: Vec<String> = found.iter().map(|(f, _)| stem(f)).collect();
            return Err(AppError::Input(format!(
                "error: no case `{c}` in {}\n  = help: name a case by its scenario id or file name; the folder holds: {}",
                a.dir.display(),
                known.join(", ")
            )));
        }
    }
    let mut problems: Vec<String> = vec![];
    let mut bad_files = 0;
    let mut cases: Vec<(PathBuf, Scenario)> = vec![];
    for (f, s) in found {
        if !named(&f, &s) {
            continue;
        }
        let before = problems.len();
        match s {
            Err(e) => problems.push(e.to_string()),
            Ok(s) => {
                let p = backtest::case_problems(&s);
                if !p.is_empty() {
                    problems.extend(p.iter().map(|e| format!("error: {e}")));
                } else if let Some((g, _)) = cases.iter().find(|(_, x)| x.meta.id == s.meta.id) {
                    problems.push(format!(
                        "error: {}: scenario id `{}` is also used by {}\n  = help: give each case its own id (the back-test reports cases by id)",
                        f.display(),
                        s.meta.id,
                        g.display()
                    ));
                } else {
                    cases.push((f, s));
                }
            }
        }
        bad_files += usize::from(problems.len() > before);
    }
    if !problems.is_empty() {
        return Err(AppError::Input(format!(
            "{}\nbacktest: {bad_files} file(s) of {} cannot be scored; nothing was run (a score that silently leaves out a case would mislead)",
            problems.join("\n"),
            a.dir.display()
        )));
    }
    Ok(cases)
}

/// `armistice backtest`.
pub fn backtest(a: &BacktestArgs) -> Result<(), AppError> {
    let selected = select(a)?;
    let quiet = a.quiet;
    if !quiet {
        for (_, s) in &selected {
            s.warnings.iter().for_each(|w| note!("{w}"));
        }
    }
    let cases: Vec<Scenario> = selected
        .into_iter()
        .map(|(_, s)| if a.ablate_time { backtest::ablate_time(&s) } else { s })
        .map(|mut s| {
            super::override_selection(&mut s, a.selection);
            s
        })
        .collect();
    let o = RunOptions {
        runs: a.runs.unwrap_or(DEFAULT_RUNS),
        seed: a.seed.unwrap_or(DEFAULT_SEED),
        threads: a.threads.map(|t| t as usize),
        shard: None,
    };
    let name = std::fs::canonicalize(&a.dir)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "cases".into());
    let out = a.out.clone().unwrap_or_else(|| {
        let suffix = if a.ablate_time { "-ablate-time" } else { "" };
        let rule = a.selection.map(|r| format!("-{}", r.word())).unwrap_or_default();
        PathBuf::from("output").join(format!("backtest-{name}{suffix}{rule}"))
    });
    // the output folder is checked (and staged) before any case runs: a folder that cannot be
    // written fails now, not after the simulations
    let mut output = report::Output::begin(&out).map_err(output_err)?;
    let bar = progress_bar(o.runs * cases.len() as u64, quiet, &format!("backtest {name}"));
    let started = std::time::Instant::now();
    let progress = Progress(bar.clone());
    // the cases run side by side in the runner's pool; each one's runs share it
    let results = runner::map_in_pool(o.threads, &cases, |s| {
        let each = RunOptions { threads: None, ..o };
        run_all(s, each, &progress, &CANCEL).map(|agg| backtest::score_case(s, &agg))
    });
    bar.finish_and_clear();
    if CANCEL.load(std::sync::atomic::Ordering::SeqCst) {
        return Err(AppError::Cancelled(armistice::runner::Cancelled));
    }
    let mut done = vec![];
    for (s, r) in cases.iter().zip(results) {
        match r {
            Ok(c) => done.push(c),
            Err(e) => {
                return Err(AppError::Input(format!(
                    "case `{}` ({}): {}",
                    s.meta.id,
                    s.path.display(),
                    run_error(e)
                )));
            }
        }
    }
    super::unconverged::check_runs(
        done.iter()
            .map(|c| (format!("case `{}`", c.case), &c.unconverged, o.runs)),
        a.strict,
        quiet,
    )?;
    let board = backtest::scoreboard(&done);
    let r = BacktestReport {
        dir: &a.dir,
        name: &name,
        cases: &done,
        board: &board,
        opts: o,
        only: &a.case,
        ablated: a.ablate_time,
        selection: a.selection.map(crate::cli::SelectionArg::word),
    };
    report::backtest::write(&mut output, &r, a.no_charts).map_err(output_err)?;
    output.commit().map_err(output_err)?;
    if !quiet {
        outln!("{}", report::backtest::terminal_table(&r))?;
        outln!(
            "{} case(s) × {} runs in {:.1} s; written to {}",
            done.len(),
            o.runs,
            started.elapsed().as_secs_f64(),
            out.display()
        )?;
    }
    Ok(())
}
