//! `summary.csv` (one row per statistic) and `packages.csv` (every agreed package, most frequent
//! first).

use crate::stats::Summary;
use crate::stats::summary::{Estimate, round6};
use serde::Serialize;

/// One row of `summary.csv`.
#[derive(Debug, Serialize)]
pub struct SummaryRow {
    /// What is measured, e.g. `outcome`, `agreement_within_rounds`, `option_share_of_agreements`,
    /// `mean_share_of_agreements` (an actor's mean share of a divisible issue).
    pub statistic: String,
    /// Which one, e.g. `agreement`, `6`, `territory=T4`.
    pub key: String,
    /// Counts as integers, other values rounded to 6 decimals.
    pub value: String,
    /// 95% Wilson interval where the value is a proportion.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{}", round6(x))
    }
}

fn row(statistic: &str, key: impl Into<String>, value: f64, ci: Option<(f64, f64)>) -> SummaryRow {
    SummaryRow {
        statistic: statistic.into(),
        key: key.into(),
        value: num(value),
        ci_low: ci.map(|c| round6(c.0)),
        ci_high: ci.map(|c| round6(c.1)),
    }
}

/// A proportion row, left out when there is nothing to estimate.
fn est(statistic: &str, key: impl Into<String>, e: &Estimate) -> Option<SummaryRow> {
    (e.total > 0).then(|| row(statistic, key, e.p, Some((e.ci_low, e.ci_high))))
}

/// The rows of `summary.csv`.
pub fn summary_rows(s: &Summary) -> Vec<SummaryRow> {
    let mut rows = vec![row("runs", "", s.runs as f64, None)];
    rows.extend(s.outcomes.iter().filter_map(|o| est("outcome", o.outcome, &o.estimate)));
    rows.extend(
        s.agreement_within
            .iter()
            .filter_map(|r| est("agreement_within_rounds", r.round.to_string(), &r.estimate)),
    );
    if let Some(m) = s.median_round_of_agreement {
        rows.push(row("median_round_of_agreement", "", m as f64, None));
    }
    // with [ceasefire] only: P(ceasefire by t), collapses, phases (docs/model.md §9.1)
    rows.extend(super::ceasefire::summary_rows(s));
    // with [[question]]s only: P(yes) of each (docs/model.md §11)
    rows.extend(
        s.questions
            .iter()
            .filter_map(|q| est("question", q.id.clone(), &q.estimate)),
    );
    rows.extend(est(
        "runs_with_a_rejected_ratification",
        "",
        &s.runs_with_a_rejected_ratification,
    ));
    for i in &s.issues {
        if !i.split.is_empty() {
            // a divisible issue: each actor's mean share, with a 95% normal interval
            rows.extend(i.split.iter().map(|x| {
                row(
                    "mean_share_of_agreements",
                    format!("{}={}", i.id, x.actor),
                    x.mean,
                    Some((x.ci_low, x.ci_high)),
                )
            }));
            continue;
        }
        rows.extend(
            i.options
                .iter()
                .filter_map(|o| est("option_share_of_agreements", format!("{}={}", i.id, o.id), &o.estimate)),
        );
    }
    for a in &s.actors {
        rows.push(row("payoff_mean", &a.id, a.payoff_mean, None));
        rows.push(row("payoff_p10", &a.id, a.payoff_p10, None));
        rows.push(row("payoff_median", &a.id, a.payoff_median, None));
        rows.push(row("payoff_p90", &a.id, a.payoff_p90, None));
        rows.push(row("war_cost_paid_mean", &a.id, a.war_cost_mean, None));
        rows.push(row("share_of_agreements_proposed", &a.id, a.proposed_agreements, None));
    }
    if let Some(d) = &s.durability {
        for (y, e) in d.years.iter().zip(&d.renewed_war_within) {
            rows.extend(est("renewed_war_within_years_given_agreement", y.to_string(), e));
        }
    }
    for f in &s.frontlines {
        rows.push(row("frontline_at_end_p10_path_steps", &f.issue, f.p10, None));
        rows.push(row("frontline_at_end_median_path_steps", &f.issue, f.median, None));
        rows.push(row("frontline_at_end_p90_path_steps", &f.issue, f.p90, None));
    }
    rows.extend(est(
        "runs_with_no_acceptable_package",
        "",
        &s.solver.no_acceptable_package,
    ));
    rows.push(row(
        "solver_evaluations_per_run",
        "",
        s.solver.evaluations_per_run,
        None,
    ));
    rows.push(row(
        "solver_unconverged_solves",
        "",
        s.solver.unconverged_solves as f64,
        None,
    ));
    rows.extend(super::unconverged::csv_rows(&s.solver.unconverged));
    rows
}

/// Serialises `summary.csv`.
///
/// # Errors
/// CSV serialisation errors (none expected for these rows).
pub fn summary_csv(s: &Summary) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(vec![]);
    for r in summary_rows(s) {
        w.serialize(r)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// Serialises `packages.csv`: rank, package id and label, one column per issue, counts and shares.
///
/// # Errors
/// CSV serialisation errors (none expected).
pub fn packages_csv(s: &Summary) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(vec![]);
    let mut header = vec!["rank".to_string(), "package_id".into(), "package".into()];
    header.extend(s.issues.iter().map(|i| i.id.clone()));
    header.extend(["count", "share_of_runs", "share_of_agreements", "ci_low", "ci_high"].map(String::from));
    w.write_record(&header)?;
    for p in &s.packages {
        let mut rec = vec![p.rank.to_string(), p.package_id.to_string(), p.package.clone()];
        rec.extend(p.options.iter().cloned());
        let e = &p.share_of_agreements;
        rec.extend([
            p.count.to_string(),
            round6(p.share_of_runs).to_string(),
            round6(e.p).to_string(),
            round6(e.ci_low).to_string(),
            round6(e.ci_high).to_string(),
        ]);
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
