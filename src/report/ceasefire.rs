//! What the terminal table, `summary.csv` and the report say about ceasefires (`docs/model.md`
//! §9.1), for scenarios that declare `[ceasefire]`; nothing at all otherwise.
//!
//! Words: a *ceasefire* stops the fighting and freezes the front while talks go on; a
//! *settlement* is what the rest of the tool calls an *agreement*, a package signed (and
//! ratified where needed). Every existing statistic keeps its name; these rows only add to it.

use super::csv::SummaryRow;
use super::table::{estimate, pct};
use crate::stats::Summary;
use crate::stats::ceasefire::{CeasefireStats, CollapseRow};
use crate::stats::summary::round6;

/// Rounds at which P(ceasefire within t rounds) is shown: 3, 6, 12 and 24 where the horizon
/// reaches them, and the horizon itself.
pub fn rounds_shown(horizon: usize) -> Vec<usize> {
    let mut out: Vec<usize> = [3, 6, 12, 24].into_iter().filter(|&t| t <= horizon).collect();
    if horizon > 0 && !out.contains(&horizon) {
        out.push(horizon);
    }
    out
}

/// Rounds after a ceasefire's signature at which its collapse is reported: 12, or the horizon
/// when it is shorter.
pub fn collapse_rounds(horizon: usize) -> usize {
    12.min(horizon.max(1))
}

/// "12 rounds" in the round's unit: "12 months" for rounds of "1 month", "6 weeks" for 3 rounds
/// of "2 weeks"; "12 rounds of 10 days" when the length is not "<number> <unit>"; "12 rounds"
/// ("1 round") without a round length.
pub fn span_text(rounds: usize, round_length: Option<&str>) -> String {
    let Some(round_length) = round_length else {
        return rounds_word(rounds);
    };
    let mut parts = round_length.split_whitespace();
    match (parts.next().and_then(|n| n.parse::<f64>().ok()), parts.next()) {
        (Some(n), Some(unit)) if n > 0.0 => {
            let total = n * rounds as f64;
            let unit = unit.trim_end_matches('s');
            format!(
                "{} {unit}{}",
                (total * 100.0).round() / 100.0,
                if (total - 1.0).abs() < 1e-9 { "" } else { "s" }
            )
        }
        _ => format!("{rounds} rounds of {round_length}"),
    }
}

/// "1 round" / "12 rounds".
fn rounds_word(t: usize) -> String {
    if t == 1 {
        "1 round".into()
    } else {
        format!("{t} rounds")
    }
}

/// A Kaplan–Meier row as "18.2% (15.0–21.4%)"; "—" when no ceasefire was signed.
pub fn collapse_text(r: &CollapseRow, runs: u64) -> String {
    match (r.p, r.ci_low, r.ci_high) {
        (Some(p), Some(lo), Some(hi)) => format!(
            "{} ({}–{})",
            pct(p, runs),
            pct(lo, runs).trim_end_matches('%'),
            pct(hi, runs)
        ),
        _ => "— (no ceasefire was signed)".into(),
    }
}

/// Runs whose first ceasefire was signed within the horizon.
pub fn runs_with_a_ceasefire(c: &CeasefireStats) -> u64 {
    c.ceasefire_within.last().map_or(0, |r| r.estimate.count)
}

/// The most likely terms of a first ceasefire, in words ("a bare ceasefire" without terms).
fn terms_text(c: &CeasefireStats, runs: u64) -> Option<String> {
    let t = c.terms.first()?;
    let what = if c.terms.len() == 1 && t.terms == "ceasefire" {
        "a bare ceasefire (no terms declared)".to_string()
    } else {
        t.terms.clone()
    };
    Some(format!("{what}: {} of first ceasefires", estimate(&t.estimate, runs)))
}

/// The ceasefire rows of the terminal table and of the report's section: (statistic, value);
/// `within`: with the rows P(ceasefire within t rounds) (the report shows them beside
/// P(settlement) in a table of their own). Statistic names start in lower case (the report
/// capitalises them).
pub fn rows(s: &Summary, c: &CeasefireStats, within: bool) -> Vec<(String, String)> {
    let runs = s.runs;
    let mut out = vec![];
    for t in rounds_shown(s.horizon).into_iter().filter(|_| within) {
        if let Some(e) = c.ceasefire_by(t) {
            out.push((format!("P(ceasefire within {})", rounds_word(t)), estimate(&e, runs)));
        }
    }
    out.push((
        "median round of the first ceasefire".into(),
        c.median_round_of_ceasefire
            .map_or("—".into(), |m| format!("round {m} (of runs with a ceasefire)")),
    ));
    out.push((
        "most likely ceasefire terms".into(),
        terms_text(c, runs).unwrap_or_else(|| "— (no ceasefire was signed)".into()),
    ));
    let k = collapse_rounds(s.horizon);
    if let Some(r) = c.collapse_by(k) {
        out.push((
            format!("P(ceasefire collapses within {} | ceasefire)", rounds_word(k)),
            format!(
                "{}; Kaplan–Meier, n = {} first ceasefires",
                collapse_text(r, runs),
                runs_with_a_ceasefire(c)
            ),
        ));
    }
    out.push((
        "settlements signed under a ceasefire".into(),
        if c.settled_in_ceasefire.total == 0 {
            "— (no settlement)".into()
        } else {
            format!("{} of settlements", estimate(&c.settled_in_ceasefire, runs))
        },
    ));
    out.push((
        "runs with a ceasefire that reach a settlement".into(),
        estimate(&c.settled_after_ceasefire, runs),
    ));
    out.push((
        "median rounds from ceasefire to settlement".into(),
        c.median_rounds_ceasefire_to_settlement
            .map_or("—".into(), |m| format!("{} (of runs with both)", rounds_word(m))),
    ));
    out.push((
        "ceasefires signed / collapsed per run".into(),
        format!("{:.3} / {:.3}", c.signed_per_run, c.collapses_per_run),
    ));
    out
}

/// The sentence a reader can quote: P(ceasefire) and P(settlement) within the horizon, with
/// intervals, and how often a ceasefire collapses.
pub fn headline(s: &Summary, c: &CeasefireStats) -> String {
    let runs = s.runs;
    let horizon = span_text(s.horizon, s.round_length.as_deref());
    let q = |e: &crate::stats::summary::Estimate| {
        format!(
            "{} (95% interval {}–{})",
            pct(e.p, runs),
            pct(e.ci_low, runs).trim_end_matches('%'),
            pct(e.ci_high, runs)
        )
    };
    let mut out = match (c.ceasefire_within.last(), s.outcomes.first()) {
        (Some(cf), Some(settled)) => format!(
            "Within {horizon}, {} of the simulated negotiations reached a ceasefire and {} a settlement (a deal signed and ratified)",
            q(&cf.estimate),
            q(&settled.estimate)
        ),
        _ => format!("No run was simulated within {horizon}"),
    };
    let k = collapse_rounds(s.horizon);
    if let Some(r) = c.collapse_by(k).filter(|r| r.p.is_some()) {
        out += &format!(
            "; a first ceasefire collapsed back to war within {} with probability {}",
            span_text(k, s.round_length.as_deref()),
            collapse_text(r, runs)
        );
    }
    if c.settled_in_ceasefire.total > 0 {
        out += &format!(
            ", and {} of settlements were signed while a ceasefire held",
            estimate(&c.settled_in_ceasefire, runs)
        );
    }
    out.push('.');
    out
}

/// Rows of the report's table of P(ceasefire) beside P(settlement): (within, ceasefire,
/// settlement).
pub fn within_rows(s: &Summary, c: &CeasefireStats) -> Vec<[String; 3]> {
    rounds_shown(s.horizon)
        .into_iter()
        .filter_map(|t| {
            let cf = c.ceasefire_by(t)?;
            let settled = s.agreement_by(t)?;
            Some([
                format!("{} ({})", rounds_word(t), span_text(t, s.round_length.as_deref())),
                estimate(&cf, s.runs),
                estimate(&settled, s.runs),
            ])
        })
        .collect()
}

/// The ceasefire rows of `summary.csv` (none without `[ceasefire]`): P(ceasefire within t
/// rounds) for every round, the median round of the first ceasefire, each terms' share of first
/// ceasefires, P(collapse within t rounds | ceasefire) for every round it is estimable (with its
/// Greenwood interval), the share of settlements signed under a ceasefire, the share of runs
/// with a ceasefire that reach a settlement, the median rounds from ceasefire to settlement,
/// ceasefires signed and collapsed per run, and the share of runs in each phase at the end of
/// every round (key `<round>=<phase>`).
pub fn summary_rows(s: &Summary) -> Vec<SummaryRow> {
    let Some(c) = &s.ceasefire else { return vec![] };
    let row = |statistic: &str, key: String, value: f64, ci: Option<(f64, f64)>| SummaryRow {
        statistic: statistic.into(),
        key,
        value: num(value),
        ci_low: ci.map(|c| round6(c.0)),
        ci_high: ci.map(|c| round6(c.1)),
    };
    let est = |statistic: &str, key: String, e: &crate::stats::summary::Estimate| {
        (e.total > 0).then(|| row(statistic, key, e.p, Some((e.ci_low, e.ci_high))))
    };
    let mut rows = vec![];
    rows.extend(
        c.ceasefire_within
            .iter()
            .filter_map(|r| est("ceasefire_within_rounds", r.round.to_string(), &r.estimate)),
    );
    if let Some(m) = c.median_round_of_ceasefire {
        rows.push(row("median_round_of_ceasefire", String::new(), m as f64, None));
    }
    rows.extend(c.terms.iter().filter_map(|t| {
        est(
            "ceasefire_terms_share_of_first_ceasefires",
            t.terms.clone(),
            &t.estimate,
        )
    }));
    for r in &c.collapse_within {
        if let (Some(p), Some(lo), Some(hi)) = (r.p, r.ci_low, r.ci_high) {
            rows.push(row(
                "collapse_within_rounds_given_ceasefire",
                r.rounds.to_string(),
                p,
                Some((lo, hi)),
            ));
        }
    }
    rows.extend(est(
        "settled_in_ceasefire_share_of_agreements",
        String::new(),
        &c.settled_in_ceasefire,
    ));
    rows.extend(est(
        "settled_after_ceasefire_share_of_ceasefire_runs",
        String::new(),
        &c.settled_after_ceasefire,
    ));
    if let Some(m) = c.median_rounds_ceasefire_to_settlement {
        rows.push(row(
            "median_rounds_ceasefire_to_settlement",
            String::new(),
            m as f64,
            None,
        ));
    }
    rows.push(row("ceasefires_signed_per_run", String::new(), c.signed_per_run, None));
    rows.push(row(
        "ceasefire_collapses_per_run",
        String::new(),
        c.collapses_per_run,
        None,
    ));
    for p in &c.phases {
        for (phase, v) in [
            ("war", p.war),
            ("ceasefire", p.ceasefire),
            ("settled", p.settled),
            ("ended", p.ended),
        ] {
            rows.push(row("phase_share_of_runs", format!("{}={phase}", p.round), v, None));
        }
    }
    rows
}

/// As `summary.csv` writes numbers: integers without decimals, others rounded to 6 decimals.
fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{}", round6(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rounds_shown_stop_at_the_horizon_and_include_it() {
        assert_eq!(rounds_shown(24), vec![3, 6, 12, 24]);
        assert_eq!(rounds_shown(36), vec![3, 6, 12, 24, 36]);
        assert_eq!(rounds_shown(8), vec![3, 6, 8]);
        assert_eq!(rounds_shown(2), vec![2]);
        assert_eq!(rounds_shown(0), Vec::<usize>::new());
        assert_eq!(collapse_rounds(24), 12);
        assert_eq!(collapse_rounds(5), 5);
    }

    #[test]
    fn spans_are_in_the_round_unit() {
        assert_eq!(span_text(12, Some("1 month")), "12 months");
        assert_eq!(span_text(1, Some("1 month")), "1 month");
        assert_eq!(span_text(3, Some("2 weeks")), "6 weeks");
        assert_eq!(span_text(4, Some("fortnight")), "4 rounds of fortnight");
        assert_eq!(span_text(4, None), "4 rounds");
        assert_eq!(span_text(1, None), "1 round");
    }
}
