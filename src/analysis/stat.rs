//! The statistics sweeps, sensitivity analyses and comparisons report, each with a 95% interval.

use crate::scenario::Scenario;
pub use crate::scenario::stat::{STAT_HELP, Stat};
use crate::sim::{Outcome, RunRecord};
use crate::stats::Aggregate;
use crate::stats::aggregate::{PAYOFF_BIN, fixed_mean};
use crate::stats::summary::Estimate;

/// A value with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Value {
    /// The estimate (a probability on [0, 1], or a mean in utility units); NaN when there is
    /// nothing to estimate (e.g. a share of agreements with no agreement).
    pub value: f64,
    /// Lower and upper bounds of the 95% interval, same units.
    pub lo: f64,
    pub hi: f64,
    /// Standard error (for differences).
    pub se: f64,
}

impl Stat {
    /// The statistic of aggregate `a` of scenario `s`, with its 95% interval (Wilson for
    /// probabilities, normal for means, from the payoff histogram's variance).
    pub fn of(&self, s: &Scenario, a: &Aggregate) -> Value {
        let prop = |k: u64, n: u64| {
            let e = Estimate::new(k, n);
            let p = if n > 0 { k as f64 / n as f64 } else { f64::NAN };
            Value {
                value: p,
                lo: if n > 0 { e.ci_low } else { f64::NAN },
                hi: if n > 0 { e.ci_high } else { f64::NAN },
                se: if n > 0 {
                    (p * (1.0 - p) / n as f64).sqrt()
                } else {
                    f64::NAN
                },
            }
        };
        match self {
            Stat::Agreement => prop(a.agreements(), a.runs),
            Stat::AgreementWithin(n) => prop(a.agreement_round.iter().take(*n).sum(), a.runs),
            Stat::Breakdown => prop(a.outcomes[1], a.runs),
            Stat::NoAgreement => prop(a.outcomes[2], a.runs),
            Stat::OptionShare(i, o) => {
                let k = s.issues.iter().position(|x| &x.id == i).expect("checked");
                let j = s.issues[k].options.iter().position(|x| &x.id == o).expect("checked");
                prop(a.option_counts[k][j], a.agreements())
            }
            Stat::RenewedWar => {
                let d = s.durability.as_ref().expect("checked");
                let y = a.years.iter().position(|y| *y == d.baseline_years).unwrap_or(0);
                prop(a.renewed_within.get(y).copied().unwrap_or(0), a.agreements())
            }
            Stat::Ceasefire | Stat::CeasefireWithin(_) => {
                let n = if let Stat::CeasefireWithin(n) = self {
                    *n
                } else {
                    s.meta.horizon
                };
                let first = a.ceasefire.as_ref().map_or(0, |c| c.first_round.iter().take(n).sum());
                prop(first, a.runs)
            }
            Stat::DealWithin(n) => prop(crate::stats::ceasefire::deals_within(a, *n), a.runs),
            Stat::Payoff(actor) => {
                let i = s.actor_index(actor).expect("checked");
                let n = a.runs;
                let mean = fixed_mean(a.payoff_sum[i], n);
                let var = a.payoff_hist[i]
                    .iter()
                    .map(|(b, c)| {
                        let x = (*b as f64 + 0.5) * PAYOFF_BIN;
                        *c as f64 * (x - mean).powi(2)
                    })
                    .sum::<f64>()
                    / (n.max(2) - 1) as f64;
                let se = (var / n.max(1) as f64).sqrt();
                Value {
                    value: mean,
                    lo: mean - 1.96 * se,
                    hi: mean + 1.96 * se,
                    se,
                }
            }
        }
    }

    /// One run's contribution for paired (common-random-number) differences: the indicator or
    /// payoff of an unconditional statistic; `None` for statistics conditional on agreement.
    pub fn per_run(&self, s: &Scenario, r: &RunRecord) -> Option<f64> {
        let agreed = r.outcome == Outcome::Agreement;
        match self {
            Stat::Agreement => Some(f64::from(u8::from(agreed))),
            Stat::AgreementWithin(n) => Some(f64::from(u8::from(agreed && r.round.is_some_and(|t| t < *n)))),
            Stat::Breakdown => Some(f64::from(u8::from(r.outcome == Outcome::Breakdown))),
            Stat::NoAgreement => Some(f64::from(u8::from(r.outcome == Outcome::NoAgreement))),
            Stat::Payoff(a) => Some(r.payoff[s.actor_index(a).expect("checked")]),
            Stat::Ceasefire | Stat::CeasefireWithin(_) => {
                let n = if let Stat::CeasefireWithin(n) = self {
                    *n
                } else {
                    s.meta.horizon
                };
                let first = r.ceasefire.as_ref().and_then(|c| c.first_round);
                Some(f64::from(u8::from(first.is_some_and(|t| t < n))))
            }
            Stat::DealWithin(n) => Some(f64::from(u8::from(
                crate::stats::ceasefire::first_deal_round(r).is_some_and(|t| t < *n),
            ))),
            Stat::OptionShare(..) | Stat::RenewedWar => None,
        }
    }
}

/// The mean difference `b − a` of paired per-run values with its 95% interval.
pub fn paired_difference(a: &[f64], b: &[f64]) -> Value {
    let n = a.len().min(b.len());
    if n < 2 {
        return Value {
            value: f64::NAN,
            lo: f64::NAN,
            hi: f64::NAN,
            se: f64::NAN,
        };
    }
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| y - x).collect();
    let mean = d.iter().sum::<f64>() / n as f64;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let se = (var / n as f64).sqrt();
    Value {
        value: mean,
        lo: mean - 1.96 * se,
        hi: mean + 1.96 * se,
        se,
    }
}

/// The difference `b − a` of two independent estimates with its 95% interval: Newcombe's
/// hybrid score interval for proportions (Newcombe 1998, method 10, from the two Wilson
/// intervals), the normal interval otherwise.
pub fn independent_difference(a: Value, b: Value, probability: bool) -> Value {
    let d = b.value - a.value;
    let se = (a.se.powi(2) + b.se.powi(2)).sqrt();
    if probability {
        let lo = d - ((b.value - b.lo).powi(2) + (a.hi - a.value).powi(2)).sqrt();
        let hi = d + ((b.hi - b.value).powi(2) + (a.value - a.lo).powi(2)).sqrt();
        Value { value: d, lo, hi, se }
    } else {
        Value {
            value: d,
            lo: d - 1.96 * se,
            hi: d + 1.96 * se,
            se,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Newcombe (1998), Table II, example (a): 56/70 vs 48/80 → difference 0.2, interval
    /// 0.0524 to 0.3339 (method 10).
    #[test]
    fn newcombe_hybrid_interval_matches_the_paper() {
        let v = |k: u64, n: u64| {
            let e = Estimate::new(k, n);
            Value {
                value: k as f64 / n as f64,
                lo: e.ci_low,
                hi: e.ci_high,
                se: 0.0,
            }
        };
        let d = independent_difference(v(48, 80), v(56, 70), true);
        assert!((d.value - 0.2).abs() < 1e-12);
        assert!((d.lo - 0.0524).abs() < 6e-4, "{}", d.lo);
        assert!((d.hi - 0.3339).abs() < 6e-4, "{}", d.hi);
    }

    #[test]
    fn paired_difference_of_identical_runs_is_exactly_zero() {
        let a = [1.0, 0.0, 1.0, 1.0];
        let d = paired_difference(&a, &a);
        assert_eq!((d.value, d.se), (0.0, 0.0));
        let d = paired_difference(&[0.0, 0.0, 1.0, 0.0], &[1.0, 0.0, 1.0, 1.0]);
        assert!((d.value - 0.5).abs() < 1e-12 && d.se > 0.0);
    }
}
