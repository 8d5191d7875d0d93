//! `armistice compare`: load both → simulate each with the same seed → write `compare.*` and
//! the charts atomically → print the table.

use super::{AppError, CANCEL, Progress, load, opts, output_err, progress_bar, run_error};
use crate::cli::CompareArgs;
use armistice::analysis;
use armistice::report::{self, compare::CompareReport};
use armistice::scenario::Scenario;
use std::path::PathBuf;

/// `armistice compare`.
pub fn compare(a: &CompareArgs) -> Result<(), AppError> {
    let sa = load(&a.a)?;
    let sb = load(&a.b)?;
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
    let bar = progress_bar(2 * o.runs, a.sim.output.quiet, "compare");
    let started = std::time::Instant::now();
    let comparison = analysis::compare(&sa, &sb, o, &Progress(bar.clone()), &CANCEL);
    bar.finish_and_clear();
    let comparison = comparison.map_err(run_error)?;
    let out = a
        .sim
        .output
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("compare-{}-vs-{}", sa.meta.id, sb.meta.id)));
    let r = CompareReport {
        a: &sa,
        b: &sb,
        a_file: &a.a,
        b_file: &a.b,
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
