//! Ceasefire statistics (`docs/model.md` §9.1): the mergeable counts a run adds, and what
//! `summary.json`, the terminal table, the report and the phase chart show.
//!
//! Rounds count from 1 in the statistics (round 1 is the first round of talks). The probability
//! that a ceasefire collapses within `t` rounds is a Kaplan–Meier estimate over every run's first
//! ceasefire (Kaplan and Meier 1958), censored when a settlement ends it or the horizon is
//! reached, with Greenwood's variance (Greenwood 1926) for its 95% interval.

use super::summary::{Estimate, RoundRow, round6};
use crate::scenario::Scenario;
use crate::sim::{Outcome, Phase, RunRecord};
use serde::Serialize;

/// Counts over runs; merged by adding.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct CeasefireAggregate {
    /// Runs whose first ceasefire was signed in each round (0-based), length = horizon.
    pub first_round: Vec<u64>,
    /// First ceasefires per ceasefire package.
    pub first_package: Vec<u64>,
    /// Runs in each phase at the end of each round, `phase_rounds[t][j]` with `j` in
    /// [`Phase::ALL`] order (war, ceasefire, settled, ended).
    pub phase_rounds: Vec<[u64; 4]>,
    /// First ceasefires that collapsed in their a-th round (a = 0 is the round of signature).
    pub collapsed_at: Vec<u64>,
    /// First ceasefires last seen holding after a full rounds (a settlement or the horizon ended
    /// the observation).
    pub censored_at: Vec<u64>,
    /// Settlements signed while a ceasefire held.
    pub settled_in_ceasefire: u64,
    /// Runs with a ceasefire and a settlement: rounds from the first ceasefire's signature to the
    /// settlement's, `to_settlement[d]`.
    pub to_settlement: Vec<u64>,
    /// Ceasefires signed and ceasefires collapsed, over all runs.
    pub signed: u64,
    pub collapses: u64,
    /// Runs whose first ceasefire or settlement, whichever came first, was in each round
    /// (0-based), length = horizon (`deal-within:N`, questions on `ceasefire-or-settlement`).
    #[serde(default)]
    pub first_deal_round: Vec<u64>,
}

impl CeasefireAggregate {
    /// Empty counts for scenario `s`, `None` when it has no `[ceasefire]`.
    pub fn new(s: &Scenario) -> Option<CeasefireAggregate> {
        let c = s.ceasefire.as_ref()?;
        let h = s.meta.horizon;
        Some(CeasefireAggregate {
            first_round: vec![0; h],
            first_package: vec![0; c.packages()],
            phase_rounds: vec![[0; 4]; h],
            collapsed_at: vec![0; h + 1],
            censored_at: vec![0; h + 1],
            settled_in_ceasefire: 0,
            to_settlement: vec![0; h + 1],
            signed: 0,
            collapses: 0,
            first_deal_round: vec![0; h],
        })
    }

    /// Adds one run.
    pub fn add(&mut self, r: &RunRecord) {
        let Some(c) = &r.ceasefire else { return };
        let h = self.first_round.len();
        if let Some(t) = first_deal_round(r) {
            self.first_deal_round[t.min(h - 1)] += 1;
        }
        for t in 0..h {
            let phase = phase_at(r, c.phases.as_slice(), t);
            let j = Phase::ALL.iter().position(|p| *p == phase).expect("known phase");
            self.phase_rounds[t][j] += 1;
        }
        self.signed += c.signed as u64;
        self.collapses += c.collapses as u64;
        self.settled_in_ceasefire += u64::from(c.settled_in_ceasefire);
        if let (Some(t0), Some(pkg)) = (c.first_round, c.first_package) {
            self.first_round[t0.min(h - 1)] += 1;
            self.first_package[pkg] += 1;
            let a = c.first_held.min(h);
            if c.first_collapsed {
                self.collapsed_at[a.saturating_sub(1)] += 1;
            } else {
                self.censored_at[a] += 1;
            }
            if let (Outcome::Agreement, Some(t1)) = (r.outcome, r.round) {
                self.to_settlement[(t1.saturating_sub(t0)).min(h)] += 1;
            }
        }
    }

    /// Merges another aggregate of the same scenario (exact, order-independent).
    pub fn merge(&mut self, o: &CeasefireAggregate) {
        fn add(a: &mut [u64], b: &[u64]) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        add(&mut self.first_round, &o.first_round);
        add(&mut self.first_package, &o.first_package);
        for (a, b) in self.phase_rounds.iter_mut().zip(&o.phase_rounds) {
            add(a, b);
        }
        add(&mut self.collapsed_at, &o.collapsed_at);
        add(&mut self.censored_at, &o.censored_at);
        add(&mut self.to_settlement, &o.to_settlement);
        add(&mut self.first_deal_round, &o.first_deal_round);
        self.settled_in_ceasefire += o.settled_in_ceasefire;
        self.signed += o.signed;
        self.collapses += o.collapses;
    }
}

/// The round (0-based) of a run's first ceasefire or settlement, whichever came first.
pub fn first_deal_round(r: &RunRecord) -> Option<usize> {
    let settled = match (r.outcome, r.round) {
        (Outcome::Agreement, Some(t)) => Some(t),
        _ => None,
    };
    let cease = r.ceasefire.as_ref().and_then(|c| c.first_round);
    match (settled, cease) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Runs with a ceasefire or a settlement within the first `n` rounds of aggregate `a` (without
/// `[ceasefire]`, the agreements within `n` rounds).
pub fn deals_within(a: &super::Aggregate, n: usize) -> u64 {
    match &a.ceasefire {
        Some(c) => c.first_deal_round.iter().take(n).sum(),
        None => a.agreement_round.iter().take(n).sum(),
    }
}

/// A run's phase at the end of round `t` (0-based): as recorded while it was at war or under a
/// ceasefire, then settled or ended from the round its outcome came.
pub fn phase_at(r: &RunRecord, phases: &[Phase], t: usize) -> Phase {
    match (r.outcome, r.round) {
        (Outcome::Agreement, Some(end)) if t >= end => return Phase::Settled,
        (Outcome::Breakdown, Some(end)) if t >= end => return Phase::Ended,
        _ => {}
    }
    phases.get(t).or(phases.last()).copied().unwrap_or(Phase::War)
}

/// The share of runs in each phase at the end of a round.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseRow {
    /// 1-based.
    pub round: usize,
    pub war: f64,
    pub ceasefire: f64,
    pub settled: f64,
    pub ended: f64,
}

/// `P(collapse within t rounds | ceasefire)`: Kaplan–Meier with a Greenwood 95% interval.
#[derive(Debug, Clone, Serialize)]
pub struct CollapseRow {
    /// Rounds since the ceasefire was signed (its round of signature counts as round 1).
    pub rounds: usize,
    pub p: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    /// First ceasefires still observed at the start of this round.
    pub at_risk: u64,
}

/// A ceasefire package's share of first ceasefires.
#[derive(Debug, Clone, Serialize)]
pub struct TermsRow {
    /// The options' ids, one per term, joined by ` · ` ("ceasefire" without terms).
    pub terms: String,
    /// The options' labels, joined by `; `.
    pub label: String,
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// What is reported about ceasefires (`summary.json` → `ceasefire`).
#[derive(Debug, Clone, Serialize)]
pub struct CeasefireStats {
    /// P(a ceasefire was signed by the end of round t), cumulative, first ceasefires.
    pub ceasefire_within: Vec<RoundRow>,
    /// Median round (1-based) of the first ceasefire, among runs with one.
    pub median_round_of_ceasefire: Option<usize>,
    /// P(the first ceasefire collapsed within t rounds | a ceasefire was signed).
    pub collapse_within: Vec<CollapseRow>,
    /// The first ceasefire's terms, most frequent first.
    pub terms: Vec<TermsRow>,
    /// Share of runs in each phase, round by round.
    pub phases: Vec<PhaseRow>,
    /// Settlements signed under a ceasefire, of all settlements.
    pub settled_in_ceasefire: Estimate,
    /// Among runs with a ceasefire and then a settlement: median rounds from the first
    /// ceasefire's signature to the settlement's.
    pub median_rounds_ceasefire_to_settlement: Option<usize>,
    /// Runs with a ceasefire that ended in a settlement, of runs with a ceasefire.
    pub settled_after_ceasefire: Estimate,
    /// Ceasefires signed and collapsed per run.
    pub signed_per_run: f64,
    pub collapses_per_run: f64,
}

impl CeasefireStats {
    /// The statistics of `agg` (`settlements`: agreements in all runs).
    pub fn new(s: &Scenario, agg: &CeasefireAggregate, runs: u64, settlements: u64) -> CeasefireStats {
        let c = s.ceasefire.as_ref().expect("declared");
        let with: u64 = agg.first_round.iter().sum();
        let mut acc = 0;
        let ceasefire_within = agg
            .first_round
            .iter()
            .enumerate()
            .map(|(t, k)| {
                acc += k;
                RoundRow {
                    round: t + 1,
                    estimate: Estimate::new(acc, runs),
                }
            })
            .collect();
        let mut terms: Vec<TermsRow> = agg
            .first_package
            .iter()
            .enumerate()
            .filter(|(_, k)| **k > 0)
            .map(|(pc, k)| TermsRow {
                terms: c.label(pc),
                label: c
                    .decode(pc)
                    .iter()
                    .enumerate()
                    .map(|(t, &o)| c.terms[t].options[o].label.as_str())
                    .collect::<Vec<_>>()
                    .join("; "),
                estimate: Estimate::new(*k, with),
            })
            .collect();
        terms.sort_by(|a, b| b.estimate.count.cmp(&a.estimate.count).then(a.terms.cmp(&b.terms)));
        let total = runs.max(1) as f64;
        let phases = agg
            .phase_rounds
            .iter()
            .enumerate()
            .map(|(t, k)| PhaseRow {
                round: t + 1,
                war: round6(k[0] as f64 / total),
                ceasefire: round6(k[1] as f64 / total),
                settled: round6(k[2] as f64 / total),
                ended: round6(k[3] as f64 / total),
            })
            .collect();
        let settled_after: u64 = agg.to_settlement.iter().sum();
        CeasefireStats {
            ceasefire_within,
            median_round_of_ceasefire: median(&agg.first_round).map(|t| t + 1),
            collapse_within: kaplan_meier(&agg.collapsed_at, &agg.censored_at),
            terms,
            phases,
            settled_in_ceasefire: Estimate::new(agg.settled_in_ceasefire, settlements),
            median_rounds_ceasefire_to_settlement: median(&agg.to_settlement),
            settled_after_ceasefire: Estimate::new(settled_after, with),
            signed_per_run: round6(agg.signed as f64 / total),
            collapses_per_run: round6(agg.collapses as f64 / total),
        }
    }

    /// P(ceasefire by the end of round `t`) (1-based; clamped to the horizon).
    pub fn ceasefire_by(&self, t: usize) -> Option<Estimate> {
        let h = self.ceasefire_within.len();
        (h > 0).then(|| self.ceasefire_within[t.clamp(1, h) - 1].estimate)
    }

    /// P(collapse within `t` rounds | ceasefire), if estimable.
    pub fn collapse_by(&self, t: usize) -> Option<&CollapseRow> {
        let h = self.collapse_within.len();
        (h > 0).then(|| &self.collapse_within[t.clamp(1, h) - 1])
    }
}

/// The median index of a histogram (the lowest index holding half the mass), `None` if empty.
fn median(h: &[u64]) -> Option<usize> {
    let n: u64 = h.iter().sum();
    if n == 0 {
        return None;
    }
    let half = n.div_ceil(2);
    let mut acc = 0;
    h.iter().position(|k| {
        acc += k;
        acc >= half
    })
}

/// Kaplan–Meier failure probabilities `1 − Ŝ(t)` for t = 1..len, with Greenwood's variance.
/// `collapsed[a]`: failures in round a (0-based age); `censored[a]`: last seen after a rounds.
fn kaplan_meier(collapsed: &[u64], censored: &[u64]) -> Vec<CollapseRow> {
    let total: u64 = collapsed.iter().sum::<u64>() + censored.iter().sum::<u64>();
    let mut at_risk = total - censored[0];
    let (mut surv, mut green) = (1.0_f64, 0.0_f64);
    (0..collapsed.len() - 1)
        .map(|a| {
            let n = at_risk;
            let d = collapsed[a];
            if n > 0 {
                surv *= 1.0 - d as f64 / n as f64;
                if n > d {
                    green += d as f64 / (n as f64 * (n - d) as f64);
                }
            }
            at_risk = at_risk.saturating_sub(d + censored[a + 1]);
            let se = surv * green.sqrt();
            let p = 1.0 - surv;
            CollapseRow {
                rounds: a + 1,
                p: (total > 0).then(|| round6(p)),
                ci_low: (total > 0).then(|| round6((p - 1.96 * se).max(0.0))),
                ci_high: (total > 0).then(|| round6((p + 1.96 * se).min(1.0))),
                at_risk: n,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaplan_meier_without_censoring_is_the_empirical_cdf() {
        // 10 ceasefires: 2 collapse in their first round, 3 in their third, 5 never (seen 4 rounds)
        let collapsed = [2, 0, 3, 0, 0];
        let censored = [0, 0, 0, 0, 5];
        let km = kaplan_meier(&collapsed, &censored);
        let p: Vec<f64> = km.iter().map(|r| r.p.unwrap()).collect();
        assert_eq!(p, vec![0.2, 0.2, 0.5, 0.5]);
        assert_eq!(km[2].at_risk, 8);
    }

    #[test]
    fn kaplan_meier_with_censoring_matches_a_hand_computation() {
        // 6 at risk: 1 fails in round 1; 1 censored after 1 round; 2 fail in round 2 (4 at risk);
        // 2 censored after 2 rounds. S(1) = 5/6, S(2) = 5/6 · 2/4 = 5/12.
        let collapsed = [1, 2, 0];
        let censored = [0, 1, 2];
        let km = kaplan_meier(&collapsed, &censored);
        assert!((km[0].p.unwrap() - round6(1.0 / 6.0)).abs() < 1e-12);
        assert!((km[1].p.unwrap() - round6(7.0 / 12.0)).abs() < 1e-12);
        assert_eq!(km[1].at_risk, 4);
        // Greenwood: Var = S² Σ d/(n(n−d)) = (5/12)² (1/30 + 2/8)
        let se = 5.0 / 12.0 * (1.0_f64 / 30.0 + 2.0 / 8.0).sqrt();
        assert!((km[1].ci_low.unwrap() - round6(7.0 / 12.0 - 1.96 * se)).abs() < 1e-6);
        // the upper bound is cut at 1
        assert_eq!(km[1].ci_high, Some(1.0));
    }
}
