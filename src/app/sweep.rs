//! `armistice sweep`: load → check every point of every sweep → simulate each on common random
//! numbers → write `sweep.*` and the charts atomically → print the table.

use super::shard::{self, JobInfo, Loader, Mode};
use super::{AppError, Progress, opts, output_err, progress_bar};
use crate::cli::{SimArgs, SweepArgs};
use armistice::analysis::stat::Stat;
use armistice::analysis::{self, Axis, SweepPoint, SweepSpec, Unit, file_stem};
use armistice::report::{self, sweep::SweepReport};
use armistice::runner::RunOptions;
use armistice::scenario::Scenario;
use std::path::{Path, PathBuf};

/// `armistice sweep`.
pub fn sweep(a: &SweepArgs) -> Result<(), AppError> {
    sweep_in(a, Mode::of(a.shard)?)
}

/// `armistice sweep` in `mode`: everything here, one shard (of every point of every sweep), or
/// the finish of a merge.
pub fn sweep_in(a: &SweepArgs, mode: Mode) -> Result<(), AppError> {
    let loader = Loader::new(&mode);
    let s = loader.load(&a.scenario)?;
    if !a.sim.output.quiet {
        s.warnings.iter().for_each(|w| note!("{w}"));
    }
    let specs = sweep_specs(a, &s)?;
    // every point of every sweep must load before anything runs or is written
    let mut checked = vec![];
    for spec in &specs {
        let points = analysis::check_sweep(&s, spec)
            .map_err(|e| AppError::Input(format!("{e}\n  = note: in sweep `{}`", spec.id)))?;
        checked.push(points);
    }
    let o = opts(&a.sim, &s, 2_000);
    let units: Vec<Unit> = checked
        .iter()
        .flatten()
        .map(|(_, v)| Unit {
            scenario: v.clone(),
            paired: vec![],
        })
        .collect();
    let bar = progress_bar(
        shard::own_runs(o, &mode) * units.len() as u64,
        a.sim.output.quiet,
        &match specs.as_slice() {
            [one] => format!("sweep {}", one.id),
            _ => "sweep".into(),
        },
    );
    let started = std::time::Instant::now();
    let args = SweepArgs {
        shard: None,
        sim: a.sim.job_part(),
        ..a.clone()
    };
    let info = JobInfo::uniform("sweep", &s.meta.id, &args, loader.sources(), o);
    let Some(results) = shard::checked_results(&units, o, mode, info, &s.meta.id, &Progress(bar), &a.sim)? else {
        return Ok(());
    };
    let mut results = results.into_iter();
    for (spec, points) in specs.iter().zip(checked) {
        let out = match (&a.sim.output.out, specs.len()) {
            (Some(o), 1) => o.clone(),
            (Some(o), _) => o.join(format!("sweep-{}", spec.id)),
            (None, _) => PathBuf::from("output")
                .join(&s.meta.id)
                .join(format!("sweep-{}", spec.id)),
        };
        let aggregates = results.by_ref().take(points.len()).map(|p| p.aggregate).collect();
        let points = analysis::sweep_from(points, aggregates);
        write_one(&s, spec, &points, o, &a.sim, &out, started)?;
    }
    Ok(())
}

/// Writes one simulated sweep's folder `out` and prints its table.
fn write_one(
    s: &Scenario,
    spec: &SweepSpec,
    points: &[SweepPoint],
    o: RunOptions,
    sim: &SimArgs,
    out: &Path,
    started: std::time::Instant,
) -> Result<(), AppError> {
    let r = SweepReport {
        scenario: s,
        spec,
        points,
        opts: o,
    };
    let mut output = report::Output::begin(out).map_err(output_err)?;
    report::sweep::write(&mut output, &r, sim.output.no_charts).map_err(output_err)?;
    output.commit().map_err(output_err)?;
    if !sim.output.quiet {
        outln!(
            "sweep {} of {} ({} points × {} runs)",
            spec.id,
            s.meta.id,
            points.len(),
            o.runs
        )?;
        outln!("{}", report::sweep::terminal_table(&r))?;
        outln!(
            "written to {} in {:.1} s (sweep.csv holds every statistic)",
            out.display(),
            started.elapsed().as_secs_f64()
        )?;
    }
    Ok(())
}

/// The sweeps to run: `--set` on the command line, else the file's `[[sweep]]`s (those with
/// `--id`'s id, if given).
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
        return Err(no_sweep(a, s));
    }
    decls
        .into_iter()
        .map(|d| {
            let axes = d
                .set
                .iter()
                .map(|x| Axis::parse(x).map_err(|e| AppError::Input(e.to_string())))
                .collect::<Result<Vec<_>, _>>()?;
            let stats = parse_stats(if a.stat.is_empty() { &d.stats } else { &a.stat })?;
            Ok(SweepSpec {
                id: file_stem(&d.id),
                axes,
                stats,
            })
        })
        .collect()
}

/// Nothing to sweep: no `--set`, and no `[[sweep]]` (with `--id`'s id).
fn no_sweep(a: &SweepArgs, s: &Scenario) -> AppError {
    let have: Vec<&str> = s.sweeps.iter().map(|d| d.id.as_str()).collect();
    AppError::Input(match &a.id {
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
    })
}
