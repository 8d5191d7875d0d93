//! `armistice tornado`: load → check every variant → simulate the baseline and each parameter
//! at its low and high value on common random numbers → write `tornado.*` and the chart
//! atomically → print the table.

use super::{AppError, CANCEL, Progress, load, opts, output_err, progress_bar, sweep_error};
use crate::cli::TornadoArgs;
use armistice::analysis::stat::Stat;
use armistice::analysis::{self, file_stem};
use armistice::report::{self, analysis_text::show_ci, tornado::TornadoReport};
use std::path::PathBuf;

/// `armistice tornado`.
pub fn tornado(a: &TornadoArgs) -> Result<(), AppError> {
    let s = load(&a.scenario)?;
    if !a.sim.output.quiet {
        s.warnings.iter().for_each(|w| note!("{w}"));
    }
    let st = Stat::parse(&a.stat, &s).map_err(|e| AppError::Input(format!("error: {e}")))?;
    let o = opts(&a.sim, &s, 1_000);
    let params = analysis::tornado_params(&s, a.percentiles_only).map_err(|e| AppError::Input(e.to_string()))?;
    if params.is_empty() {
        return Err(AppError::Input(format!(
            "error: {} has no uncertain parameter: every number is fixed\n  = help: a tornado needs distributions such as war_cost = {{ pert = [0.002, 0.005, 0.010] }}; to vary fixed numbers use `armistice sweep`",
            a.scenario.display()
        )));
    }
    // every variant must load before anything runs
    analysis::check_tornado(&s, &params).map_err(|e| AppError::Input(e.to_string()))?;
    let bar = progress_bar(o.runs * (2 * params.len() as u64 + 1), a.sim.output.quiet, "tornado");
    let started = std::time::Instant::now();
    let result = analysis::tornado(&s, &params, &st, o, &Progress(bar.clone()), &CANCEL);
    bar.finish_and_clear();
    let result = result.map_err(sweep_error)?;
    let out = a.sim.output.out.clone().unwrap_or_else(|| {
        let name = if st == Stat::Agreement {
            "tornado".to_string()
        } else {
            format!("tornado-{}", file_stem(&st.name()))
        };
        PathBuf::from("output").join(&s.meta.id).join(name)
    });
    let r = TornadoReport {
        scenario: &s,
        stat: &st,
        tornado: &result,
        opts: o,
        top: a.top,
    };
    let mut output = report::Output::begin(&out).map_err(output_err)?;
    report::tornado::write(&mut output, &r, a.sim.output.no_charts).map_err(output_err)?;
    output.commit().map_err(output_err)?;
    if !a.sim.output.quiet {
        outln!(
            "{} with every parameter drawn: {} ({} runs, seed {})",
            st.label(&s),
            show_ci(&result.baseline, st.is_probability()),
            o.runs,
            o.seed
        )?;
        outln!("{}", report::tornado::terminal_table(&r))?;
        let n = result.rows.len();
        outln!(
            "{n} parameter{} × 2 cases in {:.1} s; written to {} (tornado.csv ranks them all)",
            if n == 1 { "" } else { "s" },
            started.elapsed().as_secs_f64(),
            out.display()
        )?;
    }
    Ok(())
}
