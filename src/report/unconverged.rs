//! How every output names the runs with a round played above the solver's tolerance
//! (`crate::stats::unconverged`): a warning line for terminals and documents, rows for
//! `summary.csv`.

use super::csv::SummaryRow;
use crate::stats::unconverged::Unconverged;

/// How many run indices a warning line names.
pub const SHOWN: usize = 5;

/// The warning line (without a trailing newline), `None` when every run converged.
pub fn warning(u: &Unconverged, runs: u64) -> Option<String> {
    (!u.is_empty()).then(|| {
        format!(
            "warning: {} of {runs} run(s) had a round whose equilibrium solve stopped above the tolerance (runs {}); each such round was played from the best values the solver reached (listed in summary.json under results.solver.unconverged). `armistice explain SCENARIO --run R` tells one; --strict makes this an error; a higher `temperature` or a looser `[protocol] tolerance` usually converges",
            u.count,
            u.first_runs(SHOWN)
        )
    })
}

/// A short form for tables of many simulations: `"2 (runs 3, 17)"`, empty when none.
pub fn short(u: &Unconverged) -> String {
    if u.is_empty() {
        String::new()
    } else {
        format!("{} (runs {})", u.count, u.first_runs(SHOWN))
    }
}

/// `summary.csv` rows: `unconverged_runs` (the exact count), then per listed run
/// `unconverged_run_residual` and `unconverged_run_round` keyed by the run index. None when
/// every run converged.
pub fn csv_rows(u: &Unconverged) -> Vec<SummaryRow> {
    if u.is_empty() {
        return vec![];
    }
    let row = |statistic: &str, key: String, value: String| SummaryRow {
        statistic: statistic.into(),
        key,
        value,
        ci_low: None,
        ci_high: None,
    };
    let mut rows = vec![row("unconverged_runs", String::new(), u.count.to_string())];
    for x in &u.runs {
        rows.push(row("unconverged_run_round", x.run.to_string(), x.round.to_string()));
        rows.push(row(
            "unconverged_run_residual",
            x.run.to_string(),
            format!("{:e}", x.residual),
        ));
    }
    rows
}
