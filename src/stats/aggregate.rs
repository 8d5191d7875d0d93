//! The mergeable per-run accumulator.

use crate::scenario::Scenario;
use crate::sim::{Outcome, RunRecord};
use std::collections::BTreeMap;

/// Fixed-point scale for sums of real numbers (1e-9 utility units).
const FIXED: f64 = 1e9;
/// Histogram resolution of payoffs (utility units).
pub const PAYOFF_BIN: f64 = 1e-3;
/// Histogram resolution of frontline positions (path steps).
pub const FRONTLINE_BIN: f64 = 1e-2;
/// Durability histogram: bins of one month, up to this many years (later times go in the last bin).
pub const DURABILITY_YEARS: usize = 40;

fn fixed(x: f64) -> i128 {
    (x * FIXED).round() as i128
}

/// Counts and fixed-point sums over runs; see the module docs of [`crate::stats`]. Serialised
/// as is into `aggregate.json` and shard files, so `armistice merge` is exact.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Aggregate {
    pub runs: u64,
    /// Indexed as [`Outcome::ALL`].
    pub outcomes: [u64; 3],
    /// Agreements signed in each round (0-based), length = horizon.
    pub agreement_round: Vec<u64>,
    /// Breakdowns in each round.
    pub breakdown_round: Vec<u64>,
    /// Agreements carrying each option, `[issue][option]`.
    pub option_counts: Vec<Vec<u64>>,
    /// Agreements per global package id.
    pub packages: BTreeMap<u64, u64>,
    /// Agreements per proposer.
    pub proposer: Vec<u64>,
    /// Per actor: payoff histogram in bins of [`PAYOFF_BIN`] (bin index → count).
    pub payoff_hist: Vec<BTreeMap<i64, u64>>,
    /// Per actor: Σ payoff in 1e-9 units.
    pub payoff_sum: Vec<i128>,
    /// Per actor: Σ war costs paid in 1e-9 units.
    pub war_cost_sum: Vec<i128>,
    /// Per issue with a frontline: final position histogram in bins of [`FRONTLINE_BIN`].
    pub frontline_hist: Vec<BTreeMap<i64, u64>>,
    /// Per option of the survival issue: monthly histogram of years to renewed war
    /// (`DURABILITY_YEARS * 12 + 1` bins, the last one open-ended).
    pub durability_hist: Vec<Vec<u64>>,
    /// Agreements whose renewed war comes within each of `years` (exact, not binned).
    pub renewed_within: Vec<u64>,
    /// The years of `renewed_within`.
    pub years: Vec<f64>,
    pub solver_evals: u64,
    pub unconverged_solves: u64,
    /// Runs by equilibrium-map evaluations, in power-of-two bins: key b counts runs with
    /// `2^b <= evals < 2^(b+1)` (b = 0 also holds runs with 0 or 1).
    pub evals_hist: BTreeMap<i64, u64>,
    /// Runs by temperature-ladder steps solved.
    pub ladder_hist: BTreeMap<i64, u64>,
    /// Runs in which at least one round needed a fallback solve.
    pub runs_with_fallback: u64,
    /// Runs with a round solved above the scenario's temperature (the logit path stopped).
    #[serde(alias = "runs_above_rationality")]
    pub runs_above_temperature: u64,
    /// Signed packages rejected at ratification, over all runs.
    pub ratification_failures: u64,
    /// Runs with at least one such rejection.
    pub runs_with_ratification_failure: u64,
    pub feasible_packages: u64,
    /// Runs in which no package could pass at all.
    pub runs_without_feasible_package: u64,
    /// Per actor: Σ of its agreed share of the divisible issue over agreements, in 1e-9 units.
    #[serde(default)]
    pub share_sum: Vec<i128>,
    /// Per actor: Σ of its squared agreed share, in 1e-9 units.
    #[serde(default)]
    pub share_sq_sum: Vec<i128>,
    /// With `[ceasefire]`: ceasefire counts (absent from the file otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ceasefire: Option<super::ceasefire::CeasefireAggregate>,
    /// Runs with a round played above the solver's tolerance (absent from the file when none).
    #[serde(default, skip_serializing_if = "super::unconverged::Unconverged::is_empty")]
    pub unconverged: super::unconverged::Unconverged,
}

impl Aggregate {
    /// An empty aggregate shaped for scenario `s`.
    pub fn new(s: &Scenario) -> Aggregate {
        let n = s.actors.len();
        let survival_opts = s.survival_issue().map_or(1, |k| s.issues[k].options.len());
        let mut years: Vec<f64> = s
            .durability
            .as_ref()
            .map(|d| d.report_years.clone())
            .unwrap_or_default();
        if let Some(d) = &s.durability
            && !years.contains(&d.baseline_years)
        {
            years.push(d.baseline_years);
        }
        Aggregate {
            runs: 0,
            outcomes: [0; 3],
            agreement_round: vec![0; s.meta.horizon],
            breakdown_round: vec![0; s.meta.horizon],
            option_counts: s.issues.iter().map(|i| vec![0; i.options.len()]).collect(),
            packages: BTreeMap::new(),
            proposer: vec![0; n],
            payoff_hist: vec![BTreeMap::new(); n],
            payoff_sum: vec![0; n],
            war_cost_sum: vec![0; n],
            frontline_hist: vec![BTreeMap::new(); s.issues.len()],
            durability_hist: vec![vec![0; DURABILITY_YEARS * 12 + 1]; survival_opts],
            renewed_within: vec![0; years.len()],
            years,
            solver_evals: 0,
            unconverged_solves: 0,
            evals_hist: BTreeMap::new(),
            ladder_hist: BTreeMap::new(),
            runs_with_fallback: 0,
            runs_above_temperature: 0,
            ratification_failures: 0,
            runs_with_ratification_failure: 0,
            feasible_packages: 0,
            runs_without_feasible_package: 0,
            share_sum: vec![0; n],
            share_sq_sum: vec![0; n],
            ceasefire: super::ceasefire::CeasefireAggregate::new(s),
            unconverged: Default::default(),
        }
    }

    /// Adds one run.
    pub fn add(&mut self, s: &Scenario, r: &RunRecord) {
        self.runs += 1;
        self.outcomes[Outcome::ALL
            .iter()
            .position(|o| *o == r.outcome)
            .expect("known outcome")] += 1;
        match (r.outcome, r.round) {
            (Outcome::Agreement, Some(t)) => self.agreement_round[t] += 1,
            (Outcome::Breakdown, Some(t)) => self.breakdown_round[t] += 1,
            _ => {}
        }
        if let Some(x) = &r.shares {
            for (i, y) in x.iter().enumerate() {
                self.share_sum[i] += fixed(*y);
                self.share_sq_sum[i] += fixed(y * y);
            }
        }
        if let Some(id) = r.package {
            *self.packages.entry(id).or_default() += 1;
            let opts = crate::model::package::decode(s, id);
            for (k, &o) in opts.iter().enumerate() {
                self.option_counts[k][o] += 1;
            }
            if let Some(years) = r.years_to_renewed_war {
                let g = s.survival_issue().map_or(0, |k| opts[k]);
                let bin = ((years * 12.0).floor().max(0.0) as usize).min(DURABILITY_YEARS * 12);
                self.durability_hist[g][bin] += 1;
                for (c, y) in self.renewed_within.iter_mut().zip(&self.years) {
                    *c += u64::from(years <= *y);
                }
            }
        }
        if let Some(k) = r.proposer {
            self.proposer[k] += 1;
        }
        for (i, &p) in r.payoff.iter().enumerate() {
            *self.payoff_hist[i].entry((p / PAYOFF_BIN).floor() as i64).or_default() += 1;
            self.payoff_sum[i] += fixed(p);
            self.war_cost_sum[i] += fixed(r.war_cost_paid[i]);
        }
        for (k, f) in r.frontlines.iter().enumerate() {
            if let Some(f) = f {
                *self.frontline_hist[k]
                    .entry((f / FRONTLINE_BIN).floor() as i64)
                    .or_default() += 1;
            }
        }
        self.solver_evals += r.solver_evals as u64;
        self.unconverged_solves += r.unconverged_solves as u64;
        self.unconverged.add(r);
        *self
            .evals_hist
            .entry(i64::from(r.solver_evals.max(1).ilog2()))
            .or_default() += 1;
        *self.ladder_hist.entry(r.ladder_steps as i64).or_default() += 1;
        self.runs_with_fallback += u64::from(r.fallback_solves > 0);
        self.runs_above_temperature += u64::from(r.rounds_above_temperature > 0);
        self.ratification_failures += r.ratification_failures as u64;
        self.runs_with_ratification_failure += u64::from(r.ratification_failures > 0);
        self.feasible_packages += r.feasible_packages as u64;
        self.runs_without_feasible_package += u64::from(r.feasible_packages == 0);
        if let Some(c) = self.ceasefire.as_mut() {
            c.add(r);
        }
    }

    /// Merges another aggregate of the same scenario into this one (exact, order-independent).
    pub fn merge(mut self, o: Aggregate) -> Aggregate {
        fn add_vec(a: &mut [u64], b: &[u64]) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        fn add_map(a: &mut BTreeMap<i64, u64>, b: &BTreeMap<i64, u64>) {
            b.iter().for_each(|(k, v)| *a.entry(*k).or_default() += v);
        }
        self.runs += o.runs;
        add_vec(&mut self.outcomes, &o.outcomes);
        add_vec(&mut self.agreement_round, &o.agreement_round);
        add_vec(&mut self.breakdown_round, &o.breakdown_round);
        self.option_counts
            .iter_mut()
            .zip(&o.option_counts)
            .for_each(|(a, b)| add_vec(a, b));
        o.packages
            .iter()
            .for_each(|(k, v)| *self.packages.entry(*k).or_default() += v);
        add_vec(&mut self.proposer, &o.proposer);
        self.payoff_hist
            .iter_mut()
            .zip(&o.payoff_hist)
            .for_each(|(a, b)| add_map(a, b));
        self.payoff_sum.iter_mut().zip(&o.payoff_sum).for_each(|(a, b)| *a += b);
        self.share_sum.iter_mut().zip(&o.share_sum).for_each(|(a, b)| *a += b);
        self.share_sq_sum
            .iter_mut()
            .zip(&o.share_sq_sum)
            .for_each(|(a, b)| *a += b);
        self.war_cost_sum
            .iter_mut()
            .zip(&o.war_cost_sum)
            .for_each(|(a, b)| *a += b);
        self.frontline_hist
            .iter_mut()
            .zip(&o.frontline_hist)
            .for_each(|(a, b)| add_map(a, b));
        self.durability_hist
            .iter_mut()
            .zip(&o.durability_hist)
            .for_each(|(a, b)| add_vec(a, b));
        add_vec(&mut self.renewed_within, &o.renewed_within);
        self.solver_evals += o.solver_evals;
        self.unconverged_solves += o.unconverged_solves;
        self.unconverged.merge(&o.unconverged);
        add_map(&mut self.evals_hist, &o.evals_hist);
        add_map(&mut self.ladder_hist, &o.ladder_hist);
        self.runs_with_fallback += o.runs_with_fallback;
        self.runs_above_temperature += o.runs_above_temperature;
        self.ratification_failures += o.ratification_failures;
        self.runs_with_ratification_failure += o.runs_with_ratification_failure;
        self.feasible_packages += o.feasible_packages;
        self.runs_without_feasible_package += o.runs_without_feasible_package;
        if let (Some(a), Some(b)) = (self.ceasefire.as_mut(), o.ceasefire.as_ref()) {
            a.merge(b);
        }
        self
    }

    /// Agreements in total.
    pub fn agreements(&self) -> u64 {
        self.outcomes[0]
    }
}

/// The q-quantile of a histogram with bins of `width` (bin lower edge + half a bin).
pub fn hist_quantile(h: &BTreeMap<i64, u64>, q: f64, width: f64) -> Option<f64> {
    let total: u64 = h.values().sum();
    if total == 0 {
        return None;
    }
    let target = (q * total as f64).ceil().max(1.0) as u64;
    let mut acc = 0;
    for (k, v) in h {
        acc += v;
        if acc >= target {
            return Some(round6((*k as f64 + 0.5) * width));
        }
    }
    h.keys().last().map(|k| round6((*k as f64 + 0.5) * width))
}

fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// Mean from a fixed-point sum.
pub fn fixed_mean(sum: i128, n: u64) -> f64 {
    if n == 0 { 0.0 } else { sum as f64 / FIXED / n as f64 }
}
