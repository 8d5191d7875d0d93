//! `armistice compare`: load both → simulate each with the same seed → write `compare.*` and
//! the charts atomically → print the table.

use super::shard::{self, JobInfo, Loader, Mode};
use super::{AppError, Progress, opts, output_err, progress_bar};
use crate::cli::CompareArgs;
use armistice::analysis;
use armistice::report::{self, compare::CompareReport};
use armistice::scenario::Scenario;
use std::path::PathBuf;

/// `armistice compare`.
pub fn compare(a: &CompareArgs) -> Result<(), AppError> {
    compare_in(a, Mode::of(a.shard)?)
}

/// `armistice compare` in `mode`: everything here, one shard (of both scenarios' runs), or the
/// finish of a merge.
pub fn compare_in(a: &CompareArgs, mode: Mode) -> Result<(), AppError> {
    let loader = Loader::new(&mode);
    let sa = loader.load(&a.a)?;
    let sb = loader.load(&a.b)?;
    if !a.sim.output.quiet {
        sa.warnings.iter().chain(&sb.warnings).for_each(|w| note!("{w}"));
    }
    notes(&sa, &sb);
    let o = opts(&a.sim, &sa, sa.simulation.runs);
    if !a.sim.output.quiet && a.sim.seed.is_none() && sb.simulation.seed != o.seed {
        note!(
            "note: both scenarios run with seed {} (A's; B's own is {}), so run r of each shares its draws where the files agree",
            o.seed,
            sb.simulation.seed
        );
    }
    let bar = progress_bar(2 * shard::own_runs(o, &mode), a.sim.output.quiet, "compare");
    let started = std::time::Instant::now();
    let units = analysis::compare_units(&sa, &sb);
    let args = CompareArgs {
        shard: None,
        sim: a.sim.job_part(),
        ..a.clone()
    };
    let info = JobInfo::uniform("compare", &sa.meta.id, &args, loader.sources(), o);
    let Some(results) = shard::checked_results(&units, o, mode, info, &sa.meta.id, &Progress(bar), &a.sim)? else {
        return Ok(());
    };
    let [pa, pb]: [_; 2] = results
        .try_into()
        .map_err(|_| AppError::Input("error: a comparison has two simulations".into()))?;
    let comparison = analysis::compare_from(&sa, &sb, pa, pb);
    let out = a
        .sim
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("compare-{}-vs-{}", sa.meta.id, sb.meta.id)));
    // the outputs name the files, not the paths as typed
    let (a_file, b_file) = (shard::shown(&a.a), shard::shown(&a.b));
    let r = CompareReport {
        a: &sa,
        b: &sb,
        a_file: std::path::Path::new(&a_file),
        b_file: std::path::Path::new(&b_file),
        comparison: &comparison,
        opts: o,
    };
    let mut output = report::Output::begin(&out).map_err(output_err)?;
    report::compare::write(&mut output, &r, a.sim.output.no_charts).map_err(output_err)?;
    output.commit().map_err(output_err)?;
    if !a.sim.output.quiet {
        outln!("{}", report::compare::terminal_table(&r))?;
        outln!("† paired over runs (same seed); other intervals treat A and B as independent")?;
        outln!(
            "{} runs each in {:.1} s; written to {}",
            o.runs,
            started.elapsed().as_secs_f64(),
            out.display()
        )?;
    }
    Ok(())
}

/// Notes on what the comparison can show: nothing but zeros (the same scenario twice), or
/// paired intervals no narrower than independent ones (nothing shared).
fn notes(sa: &Scenario, sb: &Scenario) {
    if sa.meta.id == sb.meta.id && sa.source_hash == sb.source_hash {
        note!("note: A and B are the same scenario: every paired difference (†) is exactly 0");
    }
    let (shared_actors, shared_issues) = analysis::shared(sa, sb);
    if shared_actors == 0 || shared_issues == 0 {
        note!(
            "note: A and B share {shared_actors} actor(s) and {shared_issues} issue(s): only the outcome probabilities compare; their runs share no draws, so paired intervals are no narrower than independent ones"
        );
    }
}
