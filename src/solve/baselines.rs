//! Baselines computed on the expected parameters (every distribution replaced by its mean),
//! reported beside the simulation (`MODEL.md` §6):
//!
//! - the **Nash bargaining package** (Nash 1950): the package maximising `Π_i (U_i(z) − d_i)` over
//!   the packages every actor prefers to its disagreement value `d_i`, here the value of living
//!   with the war forever, `d_i = U_i^war − c_i/(1 − δ_i)` (`U^war` at the starting state);
//! - the **Kalai–Smorodinsky package** (Kalai and Smorodinsky 1975): among the same packages, the
//!   one maximising `min_i (U_i − d_i)/(max_z U_i − d_i)`;
//! - the **Pareto set size**: packages not weakly dominated for every actor;
//! - per ordinal issue, the **salience × capability weighted mean and median** of the actors'
//!   ideal options (Bueno de Mesquita 1994; Achen 2006), capability = recognition weight.
//!
//! Red lines are ignored here: the baselines show where a deal "should" land by the numbers,
//! which is the comparison analysts want against the simulated outcome.

// saliences, utilities and capabilities are indexed in parallel by actor and issue
#![allow(clippy::needless_range_loop)]

use crate::model::war::interpolate;
use crate::scenario::{Dist, Scenario};
use serde::Serialize;

/// The baselines of one scenario.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Baselines {
    /// Disagreement values `d_i` per actor (utility units).
    pub disagreement: Vec<f64>,
    /// Option ids of the Nash bargaining package, one per issue (empty if no package beats war
    /// for every actor).
    pub nash: Vec<String>,
    /// Option ids of the Kalai–Smorodinsky package.
    pub kalai_smorodinsky: Vec<String>,
    /// Packages in the Pareto set.
    pub pareto_set_size: usize,
    /// Per issue: the weighted mean position of the actors' ideal options (0 = first option).
    pub weighted_mean: Vec<f64>,
    /// Per issue: the option id at the weighted median of the ideal options.
    pub weighted_median: Vec<String>,
}

fn mean(d: &Dist) -> f64 {
    d.mean()
}

/// Computes the baselines of `s` on expected parameters.
pub fn baselines(s: &Scenario) -> Baselines {
    let n = s.actors.len();
    let m = s.issues.len();
    let sal: Vec<Vec<f64>> = s
        .actors
        .iter()
        .map(|a| {
            let w: Vec<f64> = a.salience.iter().map(|d| mean(d).max(0.0)).collect();
            let t: f64 = w.iter().sum();
            w.iter().map(|x| if t > 0.0 { x / t } else { 0.0 }).collect()
        })
        .collect();
    let util = |i: usize, k: usize, o: usize| mean(&s.actors[i].utility[k][o]);
    let disagreement: Vec<f64> = (0..n)
        .map(|i| {
            let a = &s.actors[i];
            let war: f64 = (0..m)
                .map(|k| {
                    let issue = &s.issues[k];
                    let u = if let Some(f) = &issue.frontline {
                        let opts: Vec<f64> = (0..issue.options.len()).map(|o| util(i, k, o)).collect();
                        interpolate(&opts, &f.path, mean(&f.start))
                    } else if let Some(w) = &a.war_utility[k] {
                        mean(w)
                    } else {
                        issue.war_status_quo.map_or(0.0, |o| util(i, k, o))
                    };
                    sal[i][k] * u
                })
                .sum();
            let delta = mean(&a.discount).clamp(1e-9, 1.0);
            let cost = mean(&a.war_cost);
            if delta < 1.0 {
                war - cost / (1.0 - delta)
            } else {
                war - cost
            }
        })
        .collect();
    let space = s.package_space() as usize;
    let decode = |mut id: usize| {
        let mut out = vec![0; m];
        for k in (0..m).rev() {
            let r = s.issues[k].options.len();
            out[k] = id % r;
            id /= r;
        }
        out
    };
    let value = |i: usize, opts: &[usize]| -> f64 {
        (0..m).map(|k| sal[i][k] * util(i, k, opts[k])).sum::<f64>() + mean(&s.actors[i].agreement_bonus)
    };
    let values: Vec<Vec<f64>> = (0..space)
        .map(|z| (0..n).map(|i| value(i, &decode(z))).collect())
        .collect();
    let ir: Vec<usize> = (0..space)
        .filter(|&z| (0..n).all(|i| values[z][i] > disagreement[i]))
        .collect();
    let name = |z: usize| {
        decode(z)
            .iter()
            .enumerate()
            .map(|(k, &o)| s.issues[k].options[o].id.clone())
            .collect::<Vec<_>>()
    };
    let nash = ir
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let p = |z: usize| (0..n).map(|i| (values[z][i] - disagreement[i]).ln()).sum::<f64>();
            p(a).total_cmp(&p(b)).then(b.cmp(&a))
        })
        .map(name)
        .unwrap_or_default();
    let best: Vec<f64> = (0..n)
        .map(|i| ir.iter().map(|&z| values[z][i]).fold(f64::NEG_INFINITY, f64::max))
        .collect();
    let ks = ir
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let r = |z: usize| {
                (0..n)
                    .map(|i| (values[z][i] - disagreement[i]) / (best[i] - disagreement[i]).max(1e-12))
                    .fold(f64::INFINITY, f64::min)
            };
            r(a).total_cmp(&r(b)).then(b.cmp(&a))
        })
        .map(name)
        .unwrap_or_default();
    let pareto_set_size = if space <= 20_000 {
        (0..space)
            .filter(|&z| {
                !(0..space).any(|y| {
                    y != z
                        && (0..n).all(|i| values[y][i] >= values[z][i])
                        && (0..n).any(|i| values[y][i] > values[z][i])
                })
            })
            .count()
    } else {
        0
    };
    let capability: Vec<f64> = s.actors.iter().map(|a| mean(&a.recognition).max(0.0)).collect();
    let mut weighted_mean = vec![];
    let mut weighted_median = vec![];
    for k in 0..m {
        let mut pts: Vec<(usize, f64)> = (0..n)
            .map(|i| {
                let ideal = (0..s.issues[k].options.len())
                    .max_by(|&a, &b| util(i, k, a).total_cmp(&util(i, k, b)).then(b.cmp(&a)))
                    .unwrap_or(0);
                (ideal, sal[i][k] * capability[i])
            })
            .collect();
        let total: f64 = pts.iter().map(|p| p.1).sum();
        weighted_mean.push(if total > 0.0 {
            pts.iter().map(|(o, w)| *o as f64 * w).sum::<f64>() / total
        } else {
            0.0
        });
        pts.sort_by_key(|p| p.0);
        let mut acc = 0.0;
        let med = pts.iter().find(|(_, w)| {
            acc += w;
            acc >= total / 2.0
        });
        weighted_median.push(s.issues[k].options[med.map_or(0, |p| p.0)].id.clone());
    }
    Baselines {
        disagreement,
        nash,
        kalai_smorodinsky: ks,
        pareto_set_size,
        weighted_mean,
        weighted_median,
    }
}
