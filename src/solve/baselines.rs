//! Baselines computed on the expected parameters (every distribution replaced by its mean),
//! reported beside the simulation (`docs/model.md` §6):
//!
//! - the **Nash bargaining package** (Nash 1950): the package maximising `Π_i (U_i(z) − d_i)` over
//!   the packages every actor prefers to its disagreement value `d_i`, here the value of never
//!   agreeing: `d_i = g_i + δ_i [λ b_i + (1 − λ) d_i]`, i.e. `(g_i + δ_i λ b_i)/(1 − δ_i (1 − λ))`
//!   with the war flow `g_i = (1 − δ_i) U_i^war − c_i` (`U^war` at the starting state; without
//!   breakdown, `U_i^war − c_i/(1 − δ_i)`, living with the war forever);
//! - the **Kalai–Smorodinsky package** (Kalai and Smorodinsky 1975): among the same packages, the
//!   one maximising `min_i (U_i − d_i)/(max_z U_i − d_i)`;
//! - the **Pareto set size**: packages no other package dominates (at least as good for every
//!   actor, better for one); with two actors by one sort and sweep, exact at any size; with more,
//!   exact where the pairwise comparisons stay within [`PARETO_BUDGET`], else "not computed";
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
    /// Packages in the Pareto set; `null` when not computed (then `pareto_not_computed` says why).
    pub pareto_set_size: Option<usize>,
    /// Why the Pareto set size was not computed (absent when it was).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pareto_not_computed: Option<String>,
    /// Per issue: the weighted mean position of the actors' ideal options (0 = first option).
    pub weighted_mean: Vec<f64>,
    /// Per issue: the option id at the weighted median of the ideal options.
    pub weighted_median: Vec<String>,
    /// With a divisible issue split between two actors: the Nash, weighted Nash and
    /// Kalai–Smorodinsky splits and the bargaining range.
    pub split: Option<SplitBaselines>,
    /// With spatial issues (`docs/model.md` §1 (spatial issues)): their weighted mean and median read from the
    /// positions, and the capability-weighted Nash package. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spatial: Option<SpatialBaselines>,
}

/// Baselines of a scenario with spatial issues.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SpatialBaselines {
    /// Per spatial issue: `(issue id, weighted mean, weighted median)`, scale units, the weights
    /// capability × salience (capability: the actor's `capability`, else its recognition weight)
    /// over the actors with a position (Bueno de Mesquita 1994); `None` if no actor has weight.
    pub issues: Vec<(String, Option<(f64, f64)>)>,
    /// The asymmetric Nash package with powers ∝ capability, maximising `Σ_i c_i ln(U_i − d_i)`
    /// over the packages every actor prefers to `d_i`: the limit of random-proposer bargaining
    /// with recognition probabilities ∝ c_i as breakdown becomes rare (Britz, Herings and
    /// Predtetchinski 2010, JET 145). Empty if no package beats disagreement for all.
    pub weighted_nash: Vec<String>,
    /// The powers, normalised to sum to 1.
    pub powers: Vec<f64>,
}

/// Baselines on a divisible issue split between two actors (`between`), over every ordinal
/// package and every split `θ` (the first actor's share): actor i's value is
/// `U_i(z) + w_i φ_i(share)`, with the disagreement values of [`Baselines::disagreement`].
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SplitBaselines {
    /// The divisible issue's id.
    pub issue: String,
    /// The two actors' ids (the first gets θ).
    pub actors: [String; 2],
    /// The Nash bargaining solution (Nash 1950): package option ids (ordinal issues) and θ.
    pub nash: Option<(Vec<String>, f64)>,
    /// The asymmetric Nash solution with powers ∝ 1/(ℓ + r_i), `r_i = −ln δ_i`, `ℓ = −ln(1 − λ)`:
    /// the limit of alternating offers as rounds get short (Binmore, Rubinstein and Wolinsky
    /// 1986); `None` if every power is 0 or infinite (no discounting, no breakdown).
    pub weighted_nash: Option<(Vec<String>, f64)>,
    /// The powers of the weighted Nash solution, normalised to sum to 1.
    pub weights: [f64; 2],
    /// The Kalai–Smorodinsky solution (Kalai and Smorodinsky 1975).
    pub kalai_smorodinsky: Option<(Vec<String>, f64)>,
    /// The bargaining range on θ for the Nash package: the shares both prefer to disagreement
    /// (Fearon 1995); `None` if empty.
    pub bargaining_range: Option<(f64, f64)>,
}

fn mean(d: &Dist) -> f64 {
    d.mean()
}

/// Actor i's expected utility of option o on issue k.
fn util(s: &Scenario, i: usize, k: usize, o: usize) -> f64 {
    mean(&s.actors[i].utility[k][o])
}

/// Computes the baselines of `s` on expected parameters.
pub fn baselines(s: &Scenario) -> Baselines {
    let sal = saliences(s);
    let expected = crate::model::params::expected_params(s);
    let disagreement = disagreement_values(s, &sal, &expected);
    let n = s.actors.len();
    let values = Values {
        n,
        v: package_values(s, &sal),
    };
    let ir: Vec<usize> = (0..values.len())
        .filter(|&z| (0..n).all(|i| values.get(z, i) > disagreement[i]))
        .collect();
    let name = |z: usize| {
        crate::model::package::decode(s, z as u64)
            .iter()
            .enumerate()
            .map(|(k, &o)| s.issues[k].options[o].id.clone())
            .collect::<Vec<_>>()
    };
    let nash = nash_package(&values, &disagreement, &ir).map(name).unwrap_or_default();
    let ks = kalai_smorodinsky_package(&values, &disagreement, &ir)
        .map(name)
        .unwrap_or_default();
    let (pareto_set_size, pareto_not_computed) = match pareto_set_size(&values) {
        Ok(count) => (Some(count), None),
        Err(why) => (None, Some(why)),
    };
    let (weighted_mean, weighted_median) = weighted_ideals(s, &sal);
    let split = split_baselines(s, &sal, &disagreement, &expected);
    let spatial = spatial_baselines(s, &sal, &values, &disagreement, &ir, &name);
    Baselines {
        spatial,
        split,
        disagreement,
        nash,
        kalai_smorodinsky: ks,
        pareto_set_size,
        pareto_not_computed,
        weighted_mean,
        weighted_median,
    }
}

/// Per actor and issue: the expected saliences, clamped at 0 and normalised to sum to 1 (as they
/// are, for an actor with `normalise_salience = false`).
fn saliences(s: &Scenario) -> Vec<Vec<f64>> {
    s.actors
        .iter()
        .map(|a| {
            let w: Vec<f64> = a.salience.iter().map(|d| mean(d).max(0.0)).collect();
            let t: f64 = w.iter().sum();
            if !a.normalise_salience {
                return w; // absolute saliences, as the engine draws them
            }
            w.iter().map(|x| if t > 0.0 { x / t } else { 0.0 }).collect()
        })
        .collect()
}

/// The disagreement values `d_i` (see the module docs), on the expected parameters `expected`.
fn disagreement_values(s: &Scenario, sal: &[Vec<f64>], expected: &crate::model::RunParams) -> Vec<f64> {
    let m = s.issues.len();
    let lambda = expected.breakdown;
    (0..s.actors.len())
        .map(|i| {
            let a = &s.actors[i];
            let war: f64 = (0..m)
                .map(|k| {
                    let issue = &s.issues[k];
                    let u = if let Some(f) = &issue.frontline {
                        let opts: Vec<f64> = (0..issue.options.len()).map(|o| util(s, i, k, o)).collect();
                        interpolate(&opts, &f.path, mean(&f.start))
                    } else if let Some(w) = &a.war_utility[k] {
                        mean(w)
                    } else {
                        issue.war_status_quo.map_or(0.0, |o| util(s, i, k, o))
                    };
                    sal[i][k] * u
                })
                .sum();
            let delta = mean(&a.discount).clamp(1e-9, 1.0);
            let cost = mean(&a.war_cost);
            let g = (1.0 - delta) * war - cost;
            let l = lambda;
            let b = expected.breakdown_value[i];
            let d = match expected.reservation_value[i] {
                None if delta * (1.0 - l) < 1.0 => {
                    // d = g + δ[λ b + (1 − λ) d]: the value of never agreeing
                    (g + delta * l * b) / (1.0 - delta * (1.0 - l))
                }
                None => war - cost,
                // the same with the flow (1 − δ) r of the reservation value r, written as r plus
                // the rest so that d = r exactly when nothing else is at stake
                Some(r) if delta * (1.0 - l) < 1.0 => r + (g + delta * l * (b - r)) / (1.0 - delta * (1.0 - l)),
                Some(r) => war + r - cost,
            };
            // an actor that can walk out to its outside option never takes less
            match expected.outside_option[i] {
                Some(o) => d.max(o),
                None => d,
            }
        })
        .collect()
}

/// Every package's value to every actor, `v[z * n + i]` (package z, actor i).
struct Values {
    n: usize,
    v: Vec<f64>,
}

impl Values {
    fn len(&self) -> usize {
        self.v.len() / self.n.max(1)
    }

    #[inline]
    fn get(&self, z: usize, i: usize) -> f64 {
        self.v[z * self.n + i]
    }

    fn row(&self, z: usize) -> &[f64] {
        &self.v[z * self.n..(z + 1) * self.n]
    }
}

/// Actor i's expected value of package z, `v[z * n + i]`, for every package of the scenario's
/// space: the per-issue terms `sal · util` summed in issue order, plus the bonus. Packages are
/// visited in id order by counting up their options (no decoding, one flat table).
fn package_values(s: &Scenario, sal: &[Vec<f64>]) -> Vec<f64> {
    let (n, m) = (s.actors.len(), s.issues.len());
    let groups = &s.spatial.groups;
    if !groups.is_empty() {
        // spatial groups: a group's issues share one distance, so values are not a sum of terms
        let mut out = Vec::with_capacity(s.package_space() as usize * n);
        for z in 0..s.package_space() {
            let opts = crate::model::package::decode(s, z as u64);
            for i in 0..n {
                let u = crate::scenario::spatial::package_value(
                    groups,
                    i,
                    m,
                    |k| opts[k],
                    &sal[i],
                    |k, o| util(s, i, k, o),
                );
                out.push(u + mean(&s.actors[i].agreement_bonus));
            }
        }
        return out;
    }
    let term: Vec<Vec<Vec<f64>>> = (0..n)
        .map(|i| {
            (0..m)
                .map(|k| {
                    (0..s.issues[k].options.len())
                        .map(|o| sal[i][k] * util(s, i, k, o))
                        .collect()
                })
                .collect()
        })
        .collect();
    let bonus: Vec<f64> = s.actors.iter().map(|a| mean(&a.agreement_bonus)).collect();
    let space = s.package_space() as usize;
    let mut out = Vec::with_capacity(space * n);
    let mut opts = vec![0usize; m];
    for z in 0..space {
        if z > 0 {
            for k in (0..m).rev() {
                opts[k] += 1;
                if opts[k] < s.issues[k].options.len() {
                    break;
                }
                opts[k] = 0;
            }
        }
        for i in 0..n {
            out.push((0..m).map(|k| term[i][k][opts[k]]).sum::<f64>() + bonus[i]);
        }
    }
    out
}

/// The Nash bargaining package among `ir` (ties to the lower id).
fn nash_package(values: &Values, d: &[f64], ir: &[usize]) -> Option<usize> {
    let n = d.len();
    ir.iter().copied().max_by(|&a, &b| {
        let p = |z: usize| (0..n).map(|i| (values.get(z, i) - d[i]).ln()).sum::<f64>();
        p(a).total_cmp(&p(b)).then(b.cmp(&a))
    })
}

/// The Kalai–Smorodinsky package among `ir` (ties to the lower id).
fn kalai_smorodinsky_package(values: &Values, d: &[f64], ir: &[usize]) -> Option<usize> {
    let n = d.len();
    let best: Vec<f64> = (0..n)
        .map(|i| ir.iter().map(|&z| values.get(z, i)).fold(f64::NEG_INFINITY, f64::max))
        .collect();
    ir.iter().copied().max_by(|&a, &b| {
        let r = |z: usize| {
            (0..n)
                .map(|i| (values.get(z, i) - d[i]) / (best[i] - d[i]).max(1e-12))
                .fold(f64::INFINITY, f64::min)
        };
        r(a).total_cmp(&r(b)).then(b.cmp(&a))
    })
}

/// Most comparisons of two packages the Pareto count may make with more than two actors above
/// 20,000 packages (about a second's work); beyond it the count is not computed.
pub const PARETO_BUDGET: u64 = 200_000_000;

/// The number of packages no other package dominates (at least as good for every actor, better
/// for one; equal packages do not dominate each other), or why it was not computed. Two actors:
/// sort by the first actor's value and sweep, exact at any size. More: every package against the
/// undominated ones met so far in order of decreasing total value (a dominating package's total
/// is at least as high), within [`PARETO_BUDGET`] comparisons.
fn pareto_set_size(values: &Values) -> Result<usize, String> {
    let (space, n) = (values.len(), values.n);
    if space == 0 {
        return Ok(0);
    }
    if n == 1 {
        let top = (0..space).map(|z| values.get(z, 0)).fold(f64::NEG_INFINITY, f64::max);
        return Ok((0..space).filter(|&z| values.get(z, 0) == top).count());
    }
    if n == 2 {
        return Ok(pareto_two(values));
    }
    let dominates = |y: &[f64], x: &[f64]| y.iter().zip(x).all(|(a, b)| a >= b) && y.iter().zip(x).any(|(a, b)| a > b);
    let total = |z: usize| values.row(z).iter().sum::<f64>();
    let mut order: Vec<(f64, usize)> = (0..space).map(|z| (total(z), z)).collect();
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut front: Vec<usize> = vec![];
    let mut work: u64 = 0;
    let mut count = 0;
    let mut g = 0;
    while g < order.len() {
        // a group of equal totals: compared with the front before it and with each other
        let mut h = g;
        while h < order.len() && order[h].0 == order[g].0 {
            h += 1;
        }
        work += ((h - g) * (front.len() + h - g)) as u64;
        if work > PARETO_BUDGET && space > 20_000 {
            return Err(format!(
                "not computed: {space} packages and {n} actors need more than {PARETO_BUDGET} comparisons"
            ));
        }
        let group: Vec<usize> = order[g..h].iter().map(|x| x.1).collect();
        let kept: Vec<usize> = group
            .iter()
            .copied()
            .filter(|&z| {
                let x = values.row(z);
                !front.iter().any(|&y| dominates(values.row(y), x))
                    && !group.iter().any(|&y| y != z && dominates(values.row(y), x))
            })
            .collect();
        count += kept.len();
        front.extend(kept);
        g = h;
    }
    Ok(count)
}

/// The two-actor Pareto count: packages in decreasing order of the first actor's value (then the
/// second's); a package is undominated iff it has the highest second value among those with
/// its first value, and that value beats every second value of the packages with a higher first.
fn pareto_two(values: &Values) -> usize {
    let space = values.len();
    let mut order: Vec<(f64, f64)> = (0..space).map(|z| (values.get(z, 0), values.get(z, 1))).collect();
    order.sort_unstable_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    let mut best_before = f64::NEG_INFINITY;
    let mut count = 0;
    let mut g = 0;
    while g < space {
        let top = order[g].1;
        let mut h = g;
        while h < space && order[h].0 == order[g].0 {
            h += 1;
        }
        if top > best_before {
            count += order[g..h].iter().filter(|x| x.1 == top).count();
        }
        best_before = best_before.max(top);
        g = h;
    }
    count
}

/// The baselines of the spatial issues (see [`SpatialBaselines`]); `None` without any.
fn spatial_baselines(
    s: &Scenario,
    sal: &[Vec<f64>],
    values: &Values,
    d: &[f64],
    ir: &[usize],
    name: &impl Fn(usize) -> Vec<String>,
) -> Option<SpatialBaselines> {
    if s.spatial.is_empty() {
        return None;
    }
    let capability: Vec<f64> = (0..s.actors.len())
        .map(|i| {
            s.spatial.capability[i]
                .unwrap_or_else(|| mean(&s.actors[i].recognition))
                .max(0.0)
        })
        .collect();
    let issues = s
        .spatial
        .issues
        .iter()
        .map(|si| {
            let pts: Vec<(f64, f64)> = si
                .position
                .iter()
                .enumerate()
                .filter_map(|(i, p)| p.map(|x| (x, capability[i] * sal[i][si.issue])))
                .collect();
            (
                s.issues[si.issue].id.clone(),
                crate::scenario::spatial::weighted_mean_median(&pts),
            )
        })
        .collect();
    let total: f64 = capability.iter().sum();
    let powers: Vec<f64> = capability
        .iter()
        .map(|c| if total > 0.0 { c / total } else { 0.0 })
        .collect();
    let weighted_nash = ir
        .iter()
        .copied()
        .map(|z| {
            let v: f64 = (0..d.len()).map(|i| powers[i] * (values.get(z, i) - d[i]).ln()).sum();
            (z, v)
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(z, _)| name(z))
        .unwrap_or_default();
    Some(SpatialBaselines {
        issues,
        weighted_nash,
        powers,
    })
}

/// Per issue: the salience × capability weighted mean position and the option id at the weighted
/// median of the actors' ideal options.
fn weighted_ideals(s: &Scenario, sal: &[Vec<f64>]) -> (Vec<f64>, Vec<String>) {
    let n = s.actors.len();
    let capability: Vec<f64> = s.actors.iter().map(|a| mean(&a.recognition).max(0.0)).collect();
    let mut weighted_mean = vec![];
    let mut weighted_median = vec![];
    for k in 0..s.issues.len() {
        let mut pts: Vec<(usize, f64)> = (0..n)
            .map(|i| {
                let ideal = (0..s.issues[k].options.len())
                    .max_by(|&a, &b| util(s, i, k, a).total_cmp(&util(s, i, k, b)).then(b.cmp(&a)))
                    .unwrap_or(0);
                (ideal, sal[i][k] * capability[i])
            })
            .collect();
        let total: f64 = pts.iter().map(|p| p.1).sum();
        // a sum: without its arithmetic noise, so that it reads 1, not 0.9999999999999998
        weighted_mean.push(if total > 0.0 {
            crate::scenario::number::tidy(pts.iter().map(|(o, w)| *o as f64 * w).sum::<f64>() / total)
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
    (weighted_mean, weighted_median)
}

/// A divisible issue `q` split between actors `a` (who gets θ) and `b`, with every ordinal
/// package beside it, on expected parameters.
struct SplitGame<'a> {
    s: &'a Scenario,
    sal: &'a [Vec<f64>],
    /// Disagreement values per actor.
    d: &'a [f64],
    q: usize,
    a: usize,
    b: usize,
}

impl SplitGame<'_> {
    /// Both actors' values of the package `opts` with θ = `theta`.
    fn value(&self, opts: &[usize], theta: f64) -> (f64, f64) {
        let (s, sal, q) = (self.s, self.sal, self.q);
        let base = |i: usize| -> f64 {
            if !s.spatial.groups.is_empty() {
                let u = crate::scenario::spatial::package_value(
                    &s.spatial.groups,
                    i,
                    s.issues.len(),
                    |k| opts[k],
                    &sal[i],
                    |k, o| s.actors[i].utility[k][o].mean(),
                );
                return u + s.actors[i].agreement_bonus.mean();
            }
            (0..s.issues.len())
                .map(|k| sal[i][k] * s.actors[i].utility[k][opts[k]].mean())
                .sum::<f64>()
                + s.actors[i].agreement_bonus.mean()
        };
        let phi = |i: usize, y: f64| sal[i][q] * y.max(0.0).powf(s.actors[i].curvature[q]);
        (
            base(self.a) + phi(self.a, theta),
            base(self.b) + phi(self.b, 1.0 - theta),
        )
    }

    /// The option ids of the ordinal issues of `opts`.
    fn name(&self, opts: &[usize]) -> Vec<String> {
        (0..self.s.issues.len())
            .filter(|&k| k != self.q)
            .map(|k| self.s.issues[k].options[opts[k]].id.clone())
            .collect()
    }

    /// The shares θ both prefer to disagreement (see [`range`]).
    fn range(&self, opts: &[usize]) -> Option<(f64, f64)> {
        range(
            opts,
            &|o: &[usize], t: f64| self.value(o, t),
            self.d[self.a],
            self.d[self.b],
        )
    }

    /// Every package of the scenario's space, decoded.
    fn packages(&self) -> impl Iterator<Item = Vec<usize>> + '_ {
        (0..self.s.package_space() as usize).map(|z| crate::model::package::decode(self.s, z as u64))
    }

    /// The (asymmetric) Nash solution with power `alpha` for the first actor: package and θ.
    fn nash(&self, alpha: f64) -> Option<(Vec<String>, f64)> {
        let (a, b, d) = (self.a, self.b, self.d);
        let mut best: Option<(f64, Vec<usize>, f64)> = None;
        for opts in self.packages() {
            let mut f = |t: f64| {
                let (ua, ub) = self.value(&opts, t);
                if ua > d[a] && ub > d[b] {
                    alpha * (ua - d[a]).ln() + (1.0 - alpha) * (ub - d[b]).ln()
                } else {
                    f64::NEG_INFINITY
                }
            };
            // the feasible θ form an interval: search inside it
            let Some((lo, hi)) = self.range(&opts) else {
                continue;
            };
            let t = self
                .linear_nash(&opts, alpha, lo, hi)
                .unwrap_or_else(|| crate::solve::equilibrium::golden_max(&mut f, lo, hi));
            let v = f(t);
            if v.is_finite() && best.as_ref().is_none_or(|bst| v > bst.0) {
                best = Some((v, opts, t));
            }
        }
        best.map(|(_, o, t)| (self.name(&o), t))
    }

    /// The (asymmetric) Nash split of package `opts` in closed form when both actors value the
    /// issue linearly (`curvature` 1, salience `w_a`, `w_b` > 0): with `A = U_a(0) − d_a` and
    /// `B = U_b(0) − d_b` (θ = 0 gives b the whole issue), the first-order condition of
    /// `α ln(A + w_a θ) + (1 − α) ln(B − w_b θ)` gives `θ = α B / w_b − (1 − α) A / w_a`, within
    /// `[lo, hi]` (the objective is concave). Exact to rounding, where a golden-section search
    /// stops near 1e-8. `None` otherwise.
    fn linear_nash(&self, opts: &[usize], alpha: f64, lo: f64, hi: f64) -> Option<f64> {
        let (s, q, a, b) = (self.s, self.q, self.a, self.b);
        let (wa, wb) = (self.sal[a][q], self.sal[b][q]);
        if s.actors[a].curvature[q] != 1.0 || s.actors[b].curvature[q] != 1.0 || wa <= 0.0 || wb <= 0.0 {
            return None;
        }
        let (ua, ub) = self.value(opts, 0.0);
        let (ea, eb) = (ua - self.d[a], ub - self.d[b]);
        Some((alpha * eb / wb - (1.0 - alpha) * ea / wa).clamp(lo, hi))
    }

    /// The Kalai–Smorodinsky solution: ideal points over every package and split, then per
    /// package the θ with equal ratios, and the package with the highest.
    fn kalai_smorodinsky(&self) -> Option<(Vec<String>, f64)> {
        let (a, b, d) = (self.a, self.b, self.d);
        let mut ideal = [f64::NEG_INFINITY; 2];
        for opts in self.packages() {
            if let Some((lo, hi)) = self.range(&opts) {
                ideal[0] = ideal[0].max(self.value(&opts, hi).0);
                ideal[1] = ideal[1].max(self.value(&opts, lo).1);
            }
        }
        let mut ks: Option<(f64, Vec<usize>, f64)> = None;
        for opts in self.packages() {
            let Some((lo, hi)) = self.range(&opts) else {
                continue;
            };
            let ratio = |t: f64| {
                let (ua, ub) = self.value(&opts, t);
                ((ua - d[a]) / (ideal[0] - d[a]), (ub - d[b]) / (ideal[1] - d[b]))
            };
            // A's ratio rises and B's falls in θ: bisect for equal ratios
            let (mut x, mut y) = (lo, hi);
            for _ in 0..200 {
                let mid = 0.5 * (x + y);
                let (ra, rb) = ratio(mid);
                if ra < rb { x = mid } else { y = mid }
            }
            let t = 0.5 * (x + y);
            let v = ratio(t).0.min(ratio(t).1);
            if ks.as_ref().is_none_or(|k| v > k.0) {
                ks = Some((v, opts, t));
            }
        }
        ks.map(|(_, o, t)| (self.name(&o), t))
    }
}

/// The divisible-issue baselines (see [`SplitBaselines`]); `None` unless the scenario has a
/// divisible issue split between exactly two actors.
fn split_baselines(s: &Scenario, sal: &[Vec<f64>], d: &[f64], p: &crate::model::RunParams) -> Option<SplitBaselines> {
    let q = s.issues.iter().position(|i| i.divisible.is_some())?;
    let members = s.issues[q].divisible.as_ref()?;
    let [a, b] = members[..] else { return None };
    let game = SplitGame { s, sal, d, q, a, b };
    // weighted Nash: powers ∝ 1/(ℓ + r_i)
    let l = -(1.0 - p.breakdown).max(1e-300).ln();
    let rate = |i: usize| l - p.discount[i].max(1e-300).ln();
    let (ra, rb) = (rate(a), rate(b));
    let weights = if ra > 0.0 && rb > 0.0 {
        [rb / (ra + rb), ra / (ra + rb)]
    } else {
        [0.5, 0.5]
    };
    let nash = game.nash(0.5);
    let weighted_nash = (ra > 0.0 && rb > 0.0).then(|| game.nash(weights[0])).flatten();
    let bargaining_range = game
        .packages()
        .find(|o| nash.as_ref().is_some_and(|n| game.name(o) == n.0))
        .and_then(|o| game.range(&o));
    Some(SplitBaselines {
        issue: s.issues[q].id.clone(),
        actors: [s.actors[a].id.clone(), s.actors[b].id.clone()],
        nash,
        weighted_nash,
        weights,
        kalai_smorodinsky: game.kalai_smorodinsky(),
        bargaining_range,
    })
}

/// The shares θ of the first actor for which both prefer the package to disagreement (values
/// at least `da`, `db`), an interval since A's value rises and B's falls in θ.
fn range(opts: &[usize], value: &impl Fn(&[usize], f64) -> (f64, f64), da: f64, db: f64) -> Option<(f64, f64)> {
    let bisect = |good_at_one: bool, ok: &dyn Fn(f64) -> bool| {
        let (mut x, mut y) = (0.0f64, 1.0f64);
        for _ in 0..200 {
            let mid = 0.5 * (x + y);
            if ok(mid) == good_at_one { y = mid } else { x = mid }
        }
        if good_at_one { y } else { x }
    };
    let a_ok = |t: f64| value(opts, t).0 >= da;
    let b_ok = |t: f64| value(opts, t).1 >= db;
    let lo = if a_ok(0.0) {
        0.0
    } else if a_ok(1.0) {
        bisect(true, &a_ok)
    } else {
        return None;
    };
    let hi = if b_ok(1.0) {
        1.0
    } else if b_ok(0.0) {
        bisect(false, &b_ok)
    } else {
        return None;
    };
    (lo <= hi).then_some((lo, hi))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The count by definition: every package against every other.
    fn brute(v: &Values) -> usize {
        let n = v.n;
        (0..v.len())
            .filter(|&z| {
                !(0..v.len()).any(|y| {
                    y != z && (0..n).all(|i| v.get(y, i) >= v.get(z, i)) && (0..n).any(|i| v.get(y, i) > v.get(z, i))
                })
            })
            .count()
    }

    /// On random domains of 1 to 3,000 packages and 2 to 4 actors, values on a coarse grid (so
    /// that equal values and equal packages occur) or continuous, the Pareto count (sweep for two
    /// actors, sorted comparison for more) equals the count by definition.
    #[test]
    fn pareto_count_equals_brute_force_on_random_domains() {
        let mut state: u64 = 15;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..120 {
            let n = 2 + case % 3;
            let len = 1 + (next() * [20.0, 300.0, 3000.0][case % 3]) as usize;
            let coarse = case % 2 == 0;
            let v = Values {
                n,
                v: (0..len * n)
                    .map(|_| if coarse { (next() * 6.0).floor() / 5.0 } else { next() })
                    .collect(),
            };
            assert_eq!(
                pareto_set_size(&v),
                Ok(brute(&v)),
                "case {case}: {n} actors, {len} packages"
            );
        }
    }

    /// With more than two actors and a space too large to compare within the budget, the count
    /// says why it is missing instead of giving a number.
    #[test]
    fn pareto_count_not_computed_beyond_the_budget() {
        // 3 actors on a plane where no package dominates another: every comparison is made
        let len = 30_000;
        let v = Values {
            n: 3,
            v: (0..len)
                .flat_map(|z| {
                    let x = z as f64 / len as f64;
                    [x, 1.0 - x, 0.5]
                })
                .collect(),
        };
        let got = pareto_set_size(&v);
        assert!(got.as_ref().is_err_and(|e| e.starts_with("not computed")), "{got:?}");
    }
}
