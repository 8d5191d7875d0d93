//! `armistice tornado`: load → check every variant → simulate the baseline and each parameter
//! at its low and high value on common random numbers → write `tornado.*` and the chart
//! atomically → print the table. With `--shard K/N`, the shard's runs of every case go to a
//! shard file instead; `merge` finishes the tornado from the shards ([`tornado_in`]).

use super::shard::{self, JobInfo, Loader, Mode};
use super::{AppError, Progress, opts, output_err, progress_bar};
use crate::cli::TornadoArgs;
use armistice::analysis::stat::Stat;
use armistice::analysis::{self, file_stem};
use armistice::report::{self, analysis_text::show_ci, tornado::TornadoReport};
use std::path::PathBuf;

/// `armistice tornado`.
pub fn tornado(a: &TornadoArgs) -> Result<(), AppError> {
    tornado_in(a, Mode::of(a.shard)?)
}

/// `armistice tornado` in `mode`: everything here, one shard, or the finish of a merge.
pub fn tornado_in(a: &TornadoArgs, mode: Mode) -> Result<(), AppError> {
    let loader = Loader::new(&mode);
    let s = loader.load(&a.scenario)?;
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
    let units = analysis::tornado_units(&s, &params, &st).map_err(|e| AppError::Input(e.to_string()))?;
    let own = shard::own_runs(o, &mode);
    let bar = progress_bar(own * units.len() as u64, a.sim.output.quiet, "tornado");
    let started = std::time::Instant::now();
    let args = TornadoArgs {
        shard: None,
        sim: a.sim.job_part(),
        ..a.clone()
    };
    let info = JobInfo::uniform("tornado", &s.meta.id, &args, loader.sources(), o);
    let Some(results) = shard::checked_results(&units, o, mode, info, &s.meta.id, &Progress(bar), &a.sim)? else {
        return Ok(());
    };
    let result = analysis::tornado_from(&s, &params, &st, &units, &results);
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
