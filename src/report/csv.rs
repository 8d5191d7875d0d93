//! `summary.csv` (one row per statistic) and `packages.csv` (every agreed package, most frequent
//! first).

use crate::stats::Summary;
use serde::Serialize;

/// One row of `summary.csv`.
#[derive(Debug, Serialize)]
pub struct SummaryRow {
    /// What is measured, e.g. `outcome`, `agreement_within_rounds`, `option_share`.
    pub statistic: String,
    /// Which one, e.g. `agreement`, `6`, `territory=T4`.
    pub key: String,
    pub value: f64,
    /// 95% Wilson interval where the value is a proportion.
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
}

fn row(statistic: &str, key: impl Into<String>, value: f64, ci: Option<(f64, f64)>) -> SummaryRow {
    SummaryRow {
        statistic: statistic.into(),
        key: key.into(),
        value,
        ci_low: ci.map(|c| c.0),
        ci_high: ci.map(|c| c.1),
    }
}

/// The rows of `summary.csv`.
pub fn summary_rows(s: &Summary) -> Vec<SummaryRow> {
    let mut rows = vec![row("runs", "", s.runs as f64, None)];
    for o in &s.outcomes {
        rows.push(row(
            "outcome",
            o.outcome,
            o.estimate.p,
            Some((o.estimate.ci_low, o.estimate.ci_high)),
        ));
    }
    for r in &s.agreement_within {
        rows.push(row(
            "agreement_within_rounds",
            r.round.to_string(),
            r.estimate.p,
            Some((r.estimate.ci_low, r.estimate.ci_high)),
        ));
    }
    if let Some(m) = s.median_round_of_agreement {
        rows.push(row("median_round_of_agreement", "", m as f64, None));
    }
    for i in &s.issues {
        for o in &i.options {
            rows.push(row(
                "option_share_of_agreements",
                format!("{}={}", i.id, o.id),
                o.estimate.p,
                Some((o.estimate.ci_low, o.estimate.ci_high)),
            ));
        }
    }
    for a in &s.actors {
        rows.push(row("payoff_mean", &a.id, a.payoff_mean, None));
        rows.push(row("payoff_median", &a.id, a.payoff_median, None));
        rows.push(row("war_cost_paid_mean", &a.id, a.war_cost_mean, None));
    }
    if let Some(d) = &s.durability {
        for (y, e) in d.years.iter().zip(&d.renewed_war_within) {
            rows.push(row(
                "renewed_war_within_years_given_agreement",
                y.to_string(),
                e.p,
                Some((e.ci_low, e.ci_high)),
            ));
        }
    }
    for f in &s.frontlines {
        rows.push(row("frontline_at_end_median", &f.issue, f.median, None));
    }
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
    header.extend(
        [
            "count",
            "share_of_runs",
            "share_of_agreements",
            "ci_low",
            "ci_high",
        ]
        .map(String::from),
    );
    w.write_record(&header)?;
    for p in &s.packages {
        let mut rec = vec![
            p.rank.to_string(),
            p.package_id.to_string(),
            p.package.clone(),
        ];
        rec.extend(p.options.iter().cloned());
        rec.extend([
            p.count.to_string(),
            p.share_of_runs.to_string(),
            p.share_of_agreements.p.to_string(),
            p.share_of_agreements.ci_low.to_string(),
            p.share_of_agreements.ci_high.to_string(),
        ]);
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}
