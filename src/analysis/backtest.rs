//! The back-test (`armistice backtest DIR`, `docs/model.md` §11): score the tool's probabilities
//! of a folder of cases against what happened, and against the markets of the same dates.
//!
//! **Scores** (lower Brier is better, higher log score is better), for a forecast `p` of a yes/no
//! question with outcome `o ∈ {0, 1}`:
//! - Brier score `(p − o)²` (Brier 1950), on [0, 1]; 0.25 is what a constant 50% scores.
//! - Log score `o·ln p + (1 − o)·ln(1 − p)` (Good 1952), on (−∞, 0], with `p` first clipped to
//!   [[`LOG_CLIP`], 1 − [`LOG_CLIP`]] so a confident miss costs ln 0.01 ≈ −4.6, not −∞ (a Monte
//!   Carlo estimate of 0 runs out of 2,000 is not a claim of impossibility).
//!
//! **Intervals.** Questions of one case share its scenario, and cases of one negotiation at several
//! dates share much of theirs, so scores are not independent draws. Intervals of mean scores are
//! percentile intervals of a cluster bootstrap over cases (Davison and Hinkley 1997, §3.8; Field
//! and Welsh 2007): resample whole cases with replacement, [`BOOTSTRAP_RESAMPLES`] times, with a
//! fixed seed. The tool-minus-market difference is bootstrapped the same way, paired: each
//! resample takes both forecasts of the questions it draws.
//!
//! **Reliability** (Murphy and Winkler 1977): forecasts binned by probability (five bins of
//! width 0.2), each bin's mean forecast against the observed frequency with its Wilson interval.

use crate::runner::{RunError, RunOptions, run_all};
use crate::scenario::question::{Market, QuestionEvent};
use crate::scenario::{Scenario, Trigger};
use crate::stats::summary::Estimate;
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

/// Probabilities are clipped to [LOG_CLIP, 1 − LOG_CLIP] before the log score.
pub const LOG_CLIP: f64 = 0.01;
/// Bootstrap resamples for every interval of the scoreboard.
pub const BOOTSTRAP_RESAMPLES: usize = 10_000;
/// The bootstrap's seed (fixed: the same cases give the same intervals).
pub const BOOTSTRAP_SEED: u64 = 20_250_101;
/// Fewer cases (with a value) than this give no interval: a bootstrap over two or three cases
/// has too few distinct resamples to mean anything.
pub const MIN_CASES_FOR_INTERVAL: usize = 5;
/// Width of a reliability bin.
pub const RELIABILITY_BIN: f64 = 0.2;

/// Brier score of forecast `p` for outcome `yes`: `(p − o)²`.
pub fn brier(p: f64, yes: bool) -> f64 {
    (p - f64::from(u8::from(yes))).powi(2)
}

/// Log score of forecast `p` for outcome `yes`, `p` clipped to [LOG_CLIP, 1 − LOG_CLIP].
pub fn log_score(p: f64, yes: bool) -> f64 {
    let p = p.clamp(LOG_CLIP, 1.0 - LOG_CLIP);
    if yes { p.ln() } else { (1.0 - p).ln() }
}

/// Why a file of the folder is not a back-test case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseError {
    #[error(
        "{file}: not a back-test case: it has no [backtest] table\n  = help: add [backtest] with written = <the date you wrote it> and blinding = \"what kept the outcome out\""
    )]
    NoBacktest { file: String },
    #[error(
        "{file}: not a back-test case: it asks no [[question]]\n  = help: add a [[question]] with event, by (or within) and a [question.outcome]"
    )]
    NoQuestion { file: String },
    #[error(
        "{file}: question `{id}` has no [question.outcome]\n  = help: a back-test case records what happened: [question.outcome] answer = true/false, date, source"
    )]
    NoOutcome { file: String, id: String },
}

/// The problems that keep scenario `s` from being scored as a back-test case.
pub fn case_problems(s: &Scenario) -> Vec<CaseError> {
    let file = s.path.display().to_string();
    let mut v = vec![];
    if s.backtest.is_none() {
        v.push(CaseError::NoBacktest { file: file.clone() });
    }
    if s.questions.is_empty() {
        v.push(CaseError::NoQuestion { file: file.clone() });
    }
    for q in s.questions.iter().filter(|q| q.outcome.is_none()) {
        v.push(CaseError::NoOutcome {
            file: file.clone(),
            id: q.id.clone(),
        });
    }
    v
}

/// Scenario `s` with the mechanisms of the negotiation in time switched off (`docs/model.md`
/// §9): no ceasefire (every deal is a settlement, and every question asks about a settlement),
/// positions that do not depend on the war, beliefs that do not learn, no events scheduled at a
/// round and no agreement-bonus effects, and no anticipation of them. This is the model of the
/// tool's first version, on the same file; `backtest --ablate-time` scores it side by side.
pub fn ablate_time(s: &Scenario) -> Scenario {
    let mut a = s.clone();
    a.ceasefire = None;
    a.positions = Default::default();
    for q in &mut a.questions {
        q.event = QuestionEvent::Settlement;
    }
    let keep: Vec<bool> = a
        .events
        .iter()
        .map(|e| !matches!(e.trigger, Trigger::AtRound(_)))
        .collect();
    let mut k = keep.iter();
    a.events.retain(|_| *k.next().expect("one flag per event"));
    for e in &mut a.events {
        e.effects
            .retain(|f| !matches!(f.target, crate::scenario::Target::AgreementBonus(_)));
    }
    for actor in &mut a.actors {
        let mut k = keep.iter();
        actor
            .beliefs
            .hazard
            .retain(|_| *k.next().expect("one belief per event"));
        for b in actor.beliefs.frontline.iter_mut().flatten() {
            b.drift_sd = None;
            b.breakthrough_strength = None;
        }
    }
    a
}

/// One question of one case, scored.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionScore {
    /// The case's scenario id.
    pub case: String,
    pub question: String,
    pub text: String,
    pub event: QuestionEvent,
    /// The deadline in words ("by 2025-12-31 (5 rounds)").
    pub deadline: String,
    /// The deadline as a date, when written as one, and in rounds from `as_of`.
    pub by: Option<String>,
    pub rounds: usize,
    /// The tool's P(yes) with its 95% Monte Carlo interval.
    pub tool: Estimate,
    /// The market compared with (the first listed), if any.
    pub market: Option<Market>,
    /// Further markets listed for the question (reported, not scored).
    pub other_markets: Vec<Market>,
    /// What happened.
    pub outcome: bool,
    pub outcome_date: Option<String>,
    pub outcome_source: String,
    pub tool_brier: f64,
    pub tool_log: f64,
    pub market_brier: Option<f64>,
    pub market_log: Option<f64>,
}

impl QuestionScore {
    /// The event as written in the scenario.
    pub fn event_word(&self) -> &'static str {
        self.event.word()
    }
}

/// One case's result.
#[derive(Debug, Clone, Serialize)]
pub struct CaseResult {
    pub case: String,
    pub title: String,
    pub file: PathBuf,
    /// Hex SHA-256 of the case file.
    pub scenario_sha256: String,
    pub as_of: String,
    /// When the case file was written, and whether that was after its questions resolved.
    pub written: String,
    pub written_after_the_fact: bool,
    pub blinding: String,
    pub questions: Vec<QuestionScore>,
    /// The rule that selected later rounds' equilibria (`[protocol] selection` or
    /// `backtest --selection`; `docs/model.md` §10, rule 7); `None` with a hard deadline.
    pub selection: Option<crate::scenario::Selection>,
    /// Runs with a round played above the solver's tolerance (absent when none).
    #[serde(skip_serializing_if = "crate::stats::unconverged::Unconverged::is_empty")]
    pub unconverged: crate::stats::unconverged::Unconverged,
}

/// Days since 1970-01-01 of an ISO date `YYYY-MM-DD`.
fn day_number(iso: &str) -> Option<i64> {
    let mut it = iso.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, d) = (it.next()??, it.next()??, it.next()??);
    Some(crate::scenario::units::days_from_civil(y, m, d))
}

/// Simulates case `s` (all runs of `opts`) and scores its questions.
///
/// # Errors
/// As the runner: cancellation or a run that did not converge.
pub fn run_case(s: &Scenario, opts: RunOptions, cancel: &AtomicBool) -> Result<CaseResult, RunError> {
    let agg = run_all(s, opts, &crate::runner::Silent, cancel)?;
    Ok(score_case(s, &agg))
}

/// Scores the questions of case `s` on aggregate `agg`.
pub fn score_case(s: &Scenario, agg: &crate::stats::Aggregate) -> CaseResult {
    let questions: Vec<QuestionScore> = s
        .questions
        .iter()
        .filter_map(|q| {
            let o = q.outcome.as_ref()?;
            let tool = Estimate::new(crate::stats::questions::yes_count(agg, q), agg.runs);
            let market = q.markets.first().cloned();
            Some(QuestionScore {
                case: s.meta.id.clone(),
                question: q.id.clone(),
                text: q.text.clone(),
                event: q.event,
                deadline: q.deadline(),
                by: q.by.clone(),
                rounds: q.rounds,
                tool,
                market_brier: market.as_ref().map(|m| brier(m.p, o.answer)),
                market_log: market.as_ref().map(|m| log_score(m.p, o.answer)),
                market,
                other_markets: q.markets.iter().skip(1).cloned().collect(),
                outcome: o.answer,
                outcome_date: o.date.clone(),
                outcome_source: o.source.clone(),
                tool_brier: brier(tool.p, o.answer),
                tool_log: log_score(tool.p, o.answer),
            })
        })
        .collect();
    let (written, blinding) = s.backtest.as_ref().map_or((String::new(), String::new()), |b| {
        (b.written.clone(), b.blinding.clone())
    });
    // resolved: the outcome's date if it happened, else the deadline's date (if written as one)
    let resolved = s
        .questions
        .iter()
        .filter_map(|q| {
            let o = q.outcome.as_ref()?;
            if o.answer { o.date.clone() } else { q.by.clone() }
        })
        .filter_map(|d| day_number(&d))
        .min();
    let written_after_the_fact = match (day_number(&written), resolved) {
        (Some(w), Some(r)) => w >= r,
        // a deadline in rounds only: the resolution date is not on file; say after the fact
        _ => true,
    };
    CaseResult {
        case: s.meta.id.clone(),
        title: s.meta.title.clone(),
        file: s.path.clone(),
        scenario_sha256: s.source_hash.clone(),
        as_of: s.meta.as_of_text().to_string(),
        written,
        written_after_the_fact,
        blinding,
        questions,
        selection: s.protocol.selection_in_effect(),
        unconverged: agg.unconverged.clone(),
    }
}

/// A mean with its 95% bootstrap interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interval {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// The mean of every value in `clusters` with a percentile interval from resampling whole
/// clusters with replacement (`resamples` times, seeded): each resample's statistic is the mean
/// of the values it holds. Empty clusters count in the draw but add no values.
pub fn cluster_bootstrap(clusters: &[Vec<f64>], resamples: usize, seed: u64) -> Interval {
    let total: f64 = clusters.iter().flatten().sum();
    let n: usize = clusters.iter().map(Vec::len).sum();
    let mean = if n > 0 { total / n as f64 } else { f64::NAN };
    if n == 0 || clusters.len() < 2 || resamples == 0 {
        return Interval {
            mean,
            lo: mean,
            hi: mean,
        };
    }
    let sums: Vec<(f64, usize)> = clusters.iter().map(|c| (c.iter().sum(), c.len())).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut stats: Vec<f64> = Vec::with_capacity(resamples);
    for _ in 0..resamples {
        let (mut s, mut k) = (0.0, 0usize);
        for _ in 0..clusters.len() {
            let (cs, cn) = sums[rng.random_range(0..clusters.len())];
            s += cs;
            k += cn;
        }
        if k > 0 {
            stats.push(s / k as f64);
        }
    }
    stats.sort_by(f64::total_cmp);
    Interval {
        mean,
        lo: percentile(&stats, 0.025),
        hi: percentile(&stats, 0.975),
    }
}

/// The `q` quantile of sorted `v` (linear interpolation between order statistics, the
/// "type 7" rule of Hyndman and Fan 1996).
fn percentile(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * q;
    let (i, f) = (h.floor() as usize, h - h.floor());
    v[i] + (v[(i + 1).min(v.len() - 1)] - v[i]) * f
}

/// One bin of a reliability diagram.
#[derive(Debug, Clone, Serialize)]
pub struct ReliabilityBin {
    /// The bin's forecast range [lo, hi) (the last bin includes 1).
    pub lo: f64,
    pub hi: f64,
    /// Questions whose forecast fell in the bin.
    pub count: u64,
    /// Mean forecast of those questions.
    pub mean_forecast: f64,
    /// The share that came true, with its 95% Wilson interval.
    pub observed: Estimate,
}

/// Reliability bins of `(forecast, outcome)` pairs; bins with no forecast are left out.
pub fn reliability(pairs: &[(f64, bool)]) -> Vec<ReliabilityBin> {
    let bins = (1.0 / RELIABILITY_BIN).round() as usize;
    (0..bins)
        .filter_map(|b| {
            // edges rounded so they print as 0.6, not 0.6000000000000001
            let edge = |k: usize| (k as f64 * RELIABILITY_BIN * 1e9).round() / 1e9;
            let (lo, hi) = (edge(b), edge(b + 1));
            let inside: Vec<&(f64, bool)> = pairs
                .iter()
                .filter(|(p, _)| *p >= lo && (*p < hi || (b + 1 == bins && *p <= 1.0)))
                .collect();
            (!inside.is_empty()).then(|| ReliabilityBin {
                lo,
                hi,
                count: inside.len() as u64,
                mean_forecast: inside.iter().map(|(p, _)| p).sum::<f64>() / inside.len() as f64,
                observed: Estimate::new(inside.iter().filter(|(_, y)| *y).count() as u64, inside.len() as u64),
            })
        })
        .collect()
}

/// Tool and market on the questions both answered.
#[derive(Debug, Clone, Serialize)]
pub struct Shared {
    /// Questions with a market price.
    pub questions: usize,
    /// Cases they belong to.
    pub cases: usize,
    pub tool_brier: Interval,
    pub market_brier: Interval,
    /// Tool minus market (negative: the tool scored better), paired.
    pub brier_difference: Interval,
    pub tool_log: Interval,
    pub market_log: Interval,
    /// Tool minus market (positive: the tool scored better), paired.
    pub log_difference: Interval,
}

/// The whole back-test's scores.
#[derive(Debug, Clone, Serialize)]
pub struct Scoreboard {
    pub cases: usize,
    pub questions: usize,
    /// Questions that came true.
    pub yes: usize,
    /// Mean scores of the tool over every question.
    pub tool_brier: Interval,
    pub tool_log: Interval,
    /// The same for a forecaster that always says 50% (a reference point).
    pub coin_brier: f64,
    /// The same for a forecaster that always says the library's base rate of yes (in hindsight).
    pub base_rate_brier: Interval,
    pub base_rate_log: Interval,
    /// Tool and market on the questions both answered; `None` if no question has a market.
    pub shared: Option<Shared>,
    /// `case/question` of the questions without a market.
    pub no_market: Vec<String>,
    /// Cases written after their questions resolved.
    pub after_the_fact: Vec<String>,
    /// Reliability of the tool over every question, and of the markets on theirs.
    pub tool_reliability: Vec<ReliabilityBin>,
    pub market_reliability: Vec<ReliabilityBin>,
}

/// Scores cases (in the order given).
pub fn scoreboard(cases: &[CaseResult]) -> Scoreboard {
    let per_case = |f: &dyn Fn(&QuestionScore) -> Option<f64>| -> Vec<Vec<f64>> {
        cases
            .iter()
            .map(|c| c.questions.iter().filter_map(f).collect())
            .collect()
    };
    let boot = |v: Vec<Vec<f64>>| {
        let iv = cluster_bootstrap(&v, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED);
        if v.iter().filter(|c| !c.is_empty()).count() < MIN_CASES_FOR_INTERVAL {
            Interval {
                mean: iv.mean,
                lo: f64::NAN,
                hi: f64::NAN,
            }
        } else {
            iv
        }
    };
    let all: Vec<&QuestionScore> = cases.iter().flat_map(|c| &c.questions).collect();
    let yes = all.iter().filter(|q| q.outcome).count();
    let base = yes as f64 / all.len().max(1) as f64;
    let with_market = |q: &QuestionScore| q.market.is_some();
    let shared_n = all.iter().filter(|q| with_market(q)).count();
    let shared = (shared_n > 0).then(|| Shared {
        questions: shared_n,
        cases: cases.iter().filter(|c| c.questions.iter().any(with_market)).count(),
        tool_brier: boot(per_case(&|q| with_market(q).then_some(q.tool_brier))),
        market_brier: boot(per_case(&|q| q.market_brier)),
        brier_difference: boot(per_case(&|q| q.market_brier.map(|m| q.tool_brier - m))),
        tool_log: boot(per_case(&|q| with_market(q).then_some(q.tool_log))),
        market_log: boot(per_case(&|q| q.market_log)),
        log_difference: boot(per_case(&|q| q.market_log.map(|m| q.tool_log - m))),
    });
    Scoreboard {
        cases: cases.len(),
        questions: all.len(),
        yes,
        tool_brier: boot(per_case(&|q| Some(q.tool_brier))),
        tool_log: boot(per_case(&|q| Some(q.tool_log))),
        coin_brier: 0.25,
        base_rate_brier: boot(per_case(&|q| Some(brier(base, q.outcome)))),
        base_rate_log: boot(per_case(&|q| Some(log_score(base, q.outcome)))),
        shared,
        no_market: all
            .iter()
            .filter(|q| q.market.is_none())
            .map(|q| format!("{}/{}", q.case, q.question))
            .collect(),
        after_the_fact: cases
            .iter()
            .filter(|c| c.written_after_the_fact)
            .map(|c| c.case.clone())
            .collect(),
        tool_reliability: reliability(&all.iter().map(|q| (q.tool.p, q.outcome)).collect::<Vec<_>>()),
        market_reliability: reliability(
            &all.iter()
                .filter_map(|q| q.market.as_ref().map(|m| (m.p, q.outcome)))
                .collect::<Vec<_>>(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_match_a_hand_computation() {
        // Brier: (0.7 − 1)² = 0.09; (0.7 − 0)² = 0.49; log: ln 0.7, ln 0.3
        assert!((brier(0.7, true) - 0.09).abs() < 1e-15);
        assert!((brier(0.7, false) - 0.49).abs() < 1e-15);
        assert!((log_score(0.7, true) - 0.7f64.ln()).abs() < 1e-15);
        assert!((log_score(0.7, false) - 0.3f64.ln()).abs() < 1e-15);
        // clipped: a forecast of 0 that came true scores ln 0.01, one of 1 that did not, ln 0.01
        assert!((log_score(0.0, true) - 0.01f64.ln()).abs() < 1e-15);
        assert!((log_score(1.0, false) - 0.01f64.ln()).abs() < 1e-15);
        assert_eq!(brier(0.5, true), 0.25);
        assert_eq!(brier(0.5, false), 0.25);
    }

    #[test]
    fn bootstrap_of_two_clusters_is_exact() {
        // clusters of means 0 and 1 (one value each): a resample of two draws has mean 0, 0.5
        // or 1 with probabilities 1/4, 1/2, 1/4, so the 2.5% and 97.5% percentiles are 0 and 1
        let iv = cluster_bootstrap(&[vec![0.0], vec![1.0]], 10_000, 7);
        assert_eq!(iv.mean, 0.5);
        assert_eq!((iv.lo, iv.hi), (0.0, 1.0));
        // a constant difference has a degenerate interval
        let iv = cluster_bootstrap(&[vec![0.2, 0.2], vec![0.2], vec![0.2]], 1000, 7);
        assert!((iv.lo - 0.2).abs() < 1e-12 && (iv.hi - 0.2).abs() < 1e-12);
    }

    #[test]
    fn bootstrap_interval_matches_the_normal_one_on_many_clusters() {
        // 400 singleton clusters alternating 0/1 (mean 0.5, sd 0.5006): the percentile interval
        // should be close to 0.5 ± 1.96·0.5/√400 = 0.5 ± 0.049
        let v: Vec<Vec<f64>> = (0..400).map(|i| vec![f64::from(i % 2)]).collect();
        let iv = cluster_bootstrap(&v, 10_000, 11);
        let half = 1.96 * 0.5 / 20.0;
        assert!((iv.hi - iv.lo - 2.0 * half).abs() < 0.01, "{iv:?}");
        assert!((iv.lo - (0.5 - half)).abs() < 0.01, "{iv:?}");
    }

    #[test]
    fn reliability_bins_forecasts() {
        let pairs = [(0.1, false), (0.15, true), (0.9, true), (1.0, true), (0.5, false)];
        let bins = reliability(&pairs);
        assert_eq!(bins.len(), 3);
        assert_eq!((bins[0].count, bins[0].observed.count), (2, 1));
        assert!((bins[0].mean_forecast - 0.125).abs() < 1e-12);
        assert_eq!((bins[1].lo, bins[1].count), (0.4, 1));
        assert_eq!((bins[2].count, bins[2].observed.count), (2, 2));
    }
}
