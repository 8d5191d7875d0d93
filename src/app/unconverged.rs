//! Runs with a round played above the solver's tolerance, in the commands that aggregate many
//! simulations (sweep, tornado, compare, batch, backtest): `--strict` makes them an error
//! before anything is written; otherwise a warning line says how many and which.

use super::{AppError, run_error};
use armistice::stats::Aggregate;
use armistice::stats::unconverged::Unconverged;

/// [`check_runs`] of simulations given by their aggregates.
///
/// # Errors
/// As [`check_runs`].
pub fn check<'a>(
    sims: impl IntoIterator<Item = (String, &'a Aggregate)>,
    strict: bool,
    quiet: bool,
) -> Result<(), AppError> {
    check_runs(
        sims.into_iter().map(|(l, a)| (l, &a.unconverged, a.runs)),
        strict,
        quiet,
    )
}

/// Checks the simulations `sims` (a label, its unconverged runs and its run count each, in the
/// order of the outputs):
/// with `strict`, an error naming the first unconverged run of the first simulation that has
/// one; else a warning on stderr (unless `quiet`) with the count and the first few.
///
/// # Errors
/// [`AppError::Input`] (exit 1) under `strict` when some run is unconverged.
pub fn check_runs<'a>(
    sims: impl IntoIterator<Item = (String, &'a Unconverged, u64)>,
    strict: bool,
    quiet: bool,
) -> Result<(), AppError> {
    let flagged: Vec<(String, &Unconverged, u64)> = sims.into_iter().filter(|(_, u, _)| !u.is_empty()).collect();
    let Some((label, first, _)) = flagged.first() else {
        return Ok(());
    };
    if strict {
        return Err(
            match run_error(armistice::runner::strict_runs(first).expect_err("flagged")) {
                AppError::Input(m) => AppError::Input(format!("{m}\n  = note: in {label}")),
                e => e,
            },
        );
    }
    if !quiet {
        let total: u64 = flagged.iter().map(|(_, u, _)| u.count).sum();
        let runs: u64 = flagged.iter().map(|(_, _, r)| r).sum::<u64>();
        let shown: Vec<String> = flagged
            .iter()
            .take(3)
            .map(|(l, u, _)| format!("{l}: runs {}", u.first_runs(armistice::report::unconverged::SHOWN)))
            .collect();
        note!(
            "warning: {total} run(s) in {} simulation(s) had a round whose equilibrium solve stopped above the tolerance ({}{}); each such round was played from the best values the solver reached (of {runs} runs in those simulations). --strict makes this an error; a higher `temperature` or a looser `[protocol] tolerance` usually converges",
            flagged.len(),
            shown.join("; "),
            if flagged.len() > 3 { "; …" } else { "" }
        );
    }
    Ok(())
}
