//! Statistics derived from an [`Aggregate`]: what `summary.json`, the CSV files, the terminal table
//! and the charts show. Field names are stable; probabilities are in [0, 1], rounds count from 1
//! (round 1 is the first month of talks when a round is a month), times are in years.

use super::aggregate::{Aggregate, FRONTLINE_BIN, PAYOFF_BIN, fixed_mean, hist_quantile};
use super::wilson;
use crate::model::package::decode;
use crate::scenario::Scenario;
use crate::sim::Outcome;
use serde::Serialize;

/// A proportion with its 95% Wilson interval. Serialised with `p`, `ci_low` and `ci_high` as
/// `null` when `total` is 0 (nothing to estimate), rounded to 6 decimals otherwise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub count: u64,
    pub total: u64,
    pub p: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// Rounds to 6 decimals: more than any Monte Carlo proportion here carries.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

impl Serialize for Estimate {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let v = |x: f64| (self.total > 0).then(|| round6(x));
        let mut st = ser.serialize_struct("Estimate", 5)?;
        st.serialize_field("count", &self.count)?;
        st.serialize_field("total", &self.total)?;
        st.serialize_field("p", &v(self.p))?;
        st.serialize_field("ci_low", &v(self.ci_low))?;
        st.serialize_field("ci_high", &v(self.ci_high))?;
        st.end()
    }
}

impl Estimate {
    /// `k` of `n`, with the Wilson interval.
    pub fn new(k: u64, n: u64) -> Estimate {
        let (lo, hi) = wilson(k, n);
        Estimate {
            count: k,
            total: n,
            p: if n == 0 { 0.0 } else { k as f64 / n as f64 },
            ci_low: lo,
            ci_high: hi,
        }
    }
}

/// One outcome's probability.
#[derive(Debug, Clone, Serialize)]
pub struct OutcomeRow {
    pub outcome: &'static str,
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// Cumulative probability of agreement by the end of a round.
#[derive(Debug, Clone, Serialize)]
pub struct RoundRow {
    pub round: usize,
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// An option's share of agreements.
#[derive(Debug, Clone, Serialize)]
pub struct OptionRow {
    pub id: String,
    pub label: String,
    #[serde(flatten)]
    pub estimate: Estimate,
}

/// Per issue: the distribution of agreed options.
#[derive(Debug, Clone, Serialize)]
pub struct IssueRow {
    pub id: String,
    pub title: String,
    pub modal_option: Option<String>,
    pub options: Vec<OptionRow>,
    /// For a divisible issue: each sharing actor's mean agreed share (empty for ordinal issues).
    pub split: Vec<ShareRow>,
}

/// An actor's mean share of the divisible issue over agreements, with a 95% normal interval.
#[derive(Debug, Clone, Serialize)]
pub struct ShareRow {
    pub actor: String,
    pub mean: f64,
    pub ci_low: f64,
    pub ci_high: f64,
}

/// A frequent package.
#[derive(Debug, Clone, Serialize)]
pub struct PackageRow {
    pub rank: usize,
    pub package_id: u64,
    /// Option ids joined by " · ".
    pub package: String,
    pub options: Vec<String>,
    pub count: u64,
    /// Share of all runs.
    pub share_of_runs: f64,
    /// Share of agreements, with its interval.
    pub share_of_agreements: Estimate,
}

/// Per actor: realised discounted payoffs.
#[derive(Debug, Clone, Serialize)]
pub struct ActorRow {
    pub id: String,
    pub name: String,
    pub payoff_mean: f64,
    pub payoff_p10: f64,
    pub payoff_median: f64,
    pub payoff_p90: f64,
    /// Mean undiscounted war cost paid per run.
    pub war_cost_mean: f64,
    /// Share of agreements this actor proposed.
    pub proposed_agreements: f64,
    /// Payoff histogram: (bin lower edge, count), bins of 0.001 utility units.
    #[serde(skip)]
    pub histogram: Vec<(f64, u64)>,
}

/// Survival of agreements carrying one option of the survival issue.
#[derive(Debug, Clone, Serialize)]
pub struct SurvivalCurve {
    pub option: String,
    pub label: String,
    pub agreements: u64,
    /// (years, share of these agreements still holding), monthly.
    pub points: Vec<(f64, f64)>,
}

/// Durability of agreements.
#[derive(Debug, Clone, Serialize)]
pub struct DurabilityStats {
    /// Years at which renewed war is reported.
    pub years: Vec<f64>,
    /// P(renewed war within each of `years` | agreement).
    pub renewed_war_within: Vec<Estimate>,
    pub survival_issue: Option<String>,
    pub survival: Vec<SurvivalCurve>,
}

/// Frontline position at the end of runs.
#[derive(Debug, Clone, Serialize)]
pub struct FrontlineRow {
    pub issue: String,
    pub path: Vec<String>,
    pub p10: f64,
    pub median: f64,
    pub p90: f64,
    /// (position, count) in bins of 0.01 path steps.
    #[serde(skip)]
    pub histogram: Vec<(f64, u64)>,
}

/// One actor's key assumptions as written in the scenario (distributions shown as such).
#[derive(Debug, Clone, Serialize)]
pub struct AssumptionRow {
    pub id: String,
    pub name: String,
    pub veto: bool,
    pub recognition: String,
    pub discount: String,
    pub war_cost: String,
    pub noise: String,
    pub agreement_bonus: String,
    /// "issue: options (binding p)" per red line.
    pub red_lines: Vec<String>,
    /// The actor's own view of the war, "issue: drift d, breakthrough p/jump" or "event: hazard h".
    pub beliefs: Vec<String>,
    /// Loss if war resumes after a deal (used when `price_durability` is on).
    pub renewed_war_loss: String,
}

/// Runs whose solver used `from <= evaluations < to` equilibrium-map evaluations.
#[derive(Debug, Clone, Serialize)]
pub struct EvalBin {
    pub from: u64,
    pub to: u64,
    pub runs: u64,
}

/// Runs that solved `steps` temperature-ladder steps.
#[derive(Debug, Clone, Serialize)]
pub struct LadderBin {
    pub steps: u64,
    pub runs: u64,
}

/// Solver diagnostics and how often red lines left nothing to agree on.
#[derive(Debug, Clone, Serialize)]
pub struct SolverStats {
    /// Runs in which no package passed every binding red line and consent.
    pub no_acceptable_package: Estimate,
    pub evaluations_per_run: f64,
    /// How many runs needed how many equilibrium-map evaluations (power-of-two bins).
    pub evaluations_histogram: Vec<EvalBin>,
    /// How many runs solved how many temperature-ladder steps (the first round traces the war
    /// game and each ceasefire game solved with it; later rounds trace again after the game
    /// changed, under `selection = "traced"`, or where a warm start failed).
    pub ladder_steps_histogram: Vec<LadderBin>,
    /// Runs in which a warm-started solve failed and a fallback solved the round.
    pub runs_with_fallback: u64,
    /// Runs with a round whose logit path could not be followed down to the scenario's
    /// `temperature`; that round was played at the lowest temperature reached.
    pub runs_above_temperature: u64,
    pub unconverged_solves: u64,
    /// Runs with a round whose solve stopped above the tolerance, played from the best values
    /// reached: exact count and the first runs by index (absent when none).
    #[serde(skip_serializing_if = "super::unconverged::Unconverged::is_empty")]
    pub unconverged: super::unconverged::Unconverged,
    pub feasible_packages_per_run: f64,
    pub runs_without_feasible_package: u64,
}

/// Everything reported about a simulation.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub scenario_id: String,
    pub title: String,
    /// `None` for an undated scenario (JSON `null`).
    pub as_of: Option<String>,
    /// `None` when rounds have no calendar length (JSON `null`).
    pub round_length: Option<String>,
    pub horizon: usize,
    pub runs: u64,
    pub seed: u64,
    /// The proposers' logit temperature (`[protocol] temperature`), utility units.
    pub temperature: f64,
    /// The scenario's `description`, if any.
    pub description: Option<String>,
    /// The scenario's `sources`, as written.
    pub sources: Vec<String>,
    /// Actors' key parameters as written.
    pub assumptions: Vec<AssumptionRow>,
    /// Further assumptions in plain words: the protocol's less common settings (Markov
    /// recognition, a deadline, logistic noise), the war lottery, outside options, curvature,
    /// the band durability model.
    pub further_assumptions: Vec<String>,
    /// Whether peace values are net of the expected loss from renewed war (`price_durability`).
    pub price_durability: bool,
    /// The anticipation rule (`"expected-path"` or `"none"`).
    pub anticipation: crate::scenario::Anticipation,
    /// How later rounds' equilibria were selected (`"traced"` or `"warm"`, `[protocol]
    /// selection` or `--selection`; `docs/model.md` §10, rule 7); `None` (JSON `null`) with a
    /// hard deadline, where backward induction leaves nothing to select.
    pub selection: Option<crate::scenario::Selection>,
    pub outcomes: Vec<OutcomeRow>,
    pub agreement_within: Vec<RoundRow>,
    /// Median round of agreement among agreements (1-based).
    pub median_round_of_agreement: Option<usize>,
    /// Signed packages that a ratifier then rejected (talks resumed), per run.
    pub signed_then_rejected_per_run: f64,
    /// Runs in which at least one signed package was rejected at ratification.
    pub runs_with_a_rejected_ratification: Estimate,
    pub issues: Vec<IssueRow>,
    /// Every agreed package, most frequent first (ties by id).
    pub packages: Vec<PackageRow>,
    pub actors: Vec<ActorRow>,
    pub durability: Option<DurabilityStats>,
    pub frontlines: Vec<FrontlineRow>,
    pub solver: SolverStats,
    /// Nash, Kalai–Smorodinsky and weighted-median baselines on expected parameters.
    pub baselines: crate::solve::baselines::Baselines,
    /// With `[ceasefire]`: ceasefires, collapses and the phase of the runs round by round
    /// (`docs/model.md` §9.1); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ceasefire: Option<super::ceasefire::CeasefireStats>,
    /// The scenario's `[[question]]`s with their probabilities (`docs/model.md` §11); absent
    /// when it declares none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<super::questions::QuestionRow>,
}

impl Summary {
    /// "as of 2025-08-19", or "undated".
    pub fn as_of_note(&self) -> String {
        crate::scenario::as_of_note(self.as_of.as_deref())
    }

    /// " of 1 month" (after "round"), or nothing when rounds have no calendar length.
    pub fn of_round(&self) -> String {
        crate::scenario::of_round(self.round_length.as_deref())
    }

    /// Derives the statistics of `agg` for scenario `s` simulated with `seed`.
    pub fn new(s: &Scenario, agg: &Aggregate, seed: u64) -> Summary {
        let runs = agg.runs;
        Summary {
            scenario_id: s.meta.id.clone(),
            title: s.meta.title.clone(),
            as_of: s.meta.as_of.clone(),
            round_length: s.meta.round_length.clone(),
            horizon: s.meta.horizon,
            runs,
            seed,
            temperature: s.protocol.temperature,
            description: s.meta.description.clone(),
            sources: s.meta.sources.clone(),
            assumptions: assumptions(s),
            further_assumptions: further_assumptions(s),
            price_durability: s.protocol.price_durability,
            anticipation: s.protocol.anticipation,
            selection: s.protocol.selection_in_effect(),
            outcomes: outcomes(agg),
            agreement_within: agreement_within(agg),
            median_round_of_agreement: median_round_of_agreement(agg),
            signed_then_rejected_per_run: round6(agg.ratification_failures as f64 / runs.max(1) as f64),
            runs_with_a_rejected_ratification: Estimate::new(agg.runs_with_ratification_failure, runs),
            issues: issues(s, agg),
            packages: packages(s, agg),
            actors: actors(s, agg),
            durability: durability(s, agg),
            frontlines: frontlines(s, agg),
            baselines: crate::solve::baselines::baselines(s),
            solver: solver(agg),
            ceasefire: agg
                .ceasefire
                .as_ref()
                .map(|c| super::ceasefire::CeasefireStats::new(s, c, runs, agg.agreements())),
            questions: super::questions::rows(s, agg),
        }
    }

    /// P(agreement by the end of round `t`) (1-based; clamped to the horizon).
    pub fn agreement_by(&self, t: usize) -> Option<Estimate> {
        self.agreement_within
            .get(t.clamp(1, self.horizon.max(1)) - 1)
            .map(|r| r.estimate)
    }

    /// P(renewed war within `years` | agreement), if reported.
    pub fn renewed_within(&self, years: f64) -> Option<Estimate> {
        let d = self.durability.as_ref()?;
        d.years
            .iter()
            .position(|y| (*y - years).abs() < 1e-9)
            .map(|j| d.renewed_war_within[j])
    }
}

/// Each outcome's probability, in [`Outcome::ALL`] order.
fn outcomes(agg: &Aggregate) -> Vec<OutcomeRow> {
    Outcome::ALL
        .iter()
        .enumerate()
        .map(|(j, o)| OutcomeRow {
            outcome: o.name(),
            estimate: Estimate::new(agg.outcomes[j], agg.runs),
        })
        .collect()
}

/// P(agreement by the end of each round), rounds from 1.
fn agreement_within(agg: &Aggregate) -> Vec<RoundRow> {
    let mut acc = 0;
    agg.agreement_round
        .iter()
        .enumerate()
        .map(|(t, c)| {
            acc += c;
            RoundRow {
                round: t + 1,
                estimate: Estimate::new(acc, agg.runs),
            }
        })
        .collect()
}

/// The median round of agreement among agreements (1-based); `None` without agreement.
fn median_round_of_agreement(agg: &Aggregate) -> Option<usize> {
    let n_agree = agg.agreements();
    let mut acc = 0;
    let half = n_agree.div_ceil(2).max(1);
    (n_agree > 0)
        .then(|| {
            agg.agreement_round
                .iter()
                .position(|c| {
                    acc += c;
                    acc >= half
                })
                .map(|t| t + 1)
        })
        .flatten()
}

/// Each issue's options as shares of agreements, its modal option and (divisible issues) the
/// mean split.
fn issues(s: &Scenario, agg: &Aggregate) -> Vec<IssueRow> {
    let n_agree = agg.agreements();
    s.issues
        .iter()
        .enumerate()
        .map(|(k, issue)| {
            let counts = &agg.option_counts[k];
            let modal = counts
                .iter()
                .enumerate()
                .max_by_key(|&(j, c)| (*c, std::cmp::Reverse(j)))
                .filter(|(_, c)| **c > 0)
                .map(|(j, _)| issue.options[j].id.clone());
            let split = issue
                .divisible
                .iter()
                .flatten()
                .filter(|_| n_agree > 0)
                .map(|&i| share_row(s, agg, i))
                .collect();
            IssueRow {
                split,
                id: issue.id.clone(),
                title: issue.title.clone(),
                modal_option: if issue.divisible.is_some() { None } else { modal },
                options: issue
                    .options
                    .iter()
                    .zip(counts)
                    .map(|(o, c)| OptionRow {
                        id: o.id.clone(),
                        label: o.label.clone(),
                        estimate: Estimate::new(*c, n_agree),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Actor `i`'s mean share of a divisible issue among agreements, with a normal 95% interval
/// clamped to [0, 1] (there is at least one agreement).
fn share_row(s: &Scenario, agg: &Aggregate, i: usize) -> ShareRow {
    let n_agree = agg.agreements();
    let m = agg.share_sum.get(i).map_or(0.0, |v| *v as f64 / 1e9) / n_agree as f64;
    let sq = agg.share_sq_sum.get(i).map_or(0.0, |v| *v as f64 / 1e9) / n_agree as f64;
    let se = ((sq - m * m).max(0.0) / n_agree as f64).sqrt();
    ShareRow {
        actor: s.actors[i].id.clone(),
        mean: m,
        ci_low: (m - 1.96 * se).max(0.0),
        ci_high: (m + 1.96 * se).min(1.0),
    }
}

/// Every agreed package, most frequent first (ties by id).
fn packages(s: &Scenario, agg: &Aggregate) -> Vec<PackageRow> {
    let (runs, n_agree) = (agg.runs, agg.agreements());
    let mut pk: Vec<(u64, u64)> = agg.packages.iter().map(|(k, v)| (*k, *v)).collect();
    pk.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    pk.iter()
        .enumerate()
        .map(|(rank, &(id, c))| {
            let opts = decode(s, id);
            let names: Vec<String> = opts
                .iter()
                .enumerate()
                .map(|(k, &o)| s.issues[k].options[o].id.clone())
                .collect();
            PackageRow {
                rank: rank + 1,
                package_id: id,
                package: names.join(" · "),
                options: names,
                count: c,
                share_of_runs: round6(c as f64 / runs.max(1) as f64),
                share_of_agreements: Estimate::new(c, n_agree),
            }
        })
        .collect()
}

/// Each actor's payoff distribution, war costs and share of proposed agreements.
fn actors(s: &Scenario, agg: &Aggregate) -> Vec<ActorRow> {
    let (runs, n_agree) = (agg.runs, agg.agreements());
    s.actors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let h = &agg.payoff_hist[i];
            let q = |p| hist_quantile(h, p, PAYOFF_BIN).unwrap_or(0.0);
            ActorRow {
                id: a.id.clone(),
                name: a.name.clone(),
                payoff_mean: round6(fixed_mean(agg.payoff_sum[i], runs)),
                payoff_p10: q(0.1),
                payoff_median: q(0.5),
                payoff_p90: q(0.9),
                war_cost_mean: fixed_mean(agg.war_cost_sum[i], runs),
                proposed_agreements: if n_agree == 0 {
                    0.0
                } else {
                    agg.proposer[i] as f64 / n_agree as f64
                },
                histogram: h.iter().map(|(k, v)| (*k as f64 * PAYOFF_BIN, *v)).collect(),
            }
        })
        .collect()
}

/// P(renewed war) within each reported horizon and the survival curves, when the scenario has
/// a durability model.
fn durability(s: &Scenario, agg: &Aggregate) -> Option<DurabilityStats> {
    s.durability.as_ref()?;
    let g = s.survival_issue();
    let survival = agg
        .durability_hist
        .iter()
        .enumerate()
        .filter(|(_, h)| h.iter().sum::<u64>() > 0)
        .map(|(j, h)| {
            let total: u64 = h.iter().sum();
            let mut failed = 0;
            let mut points = vec![(0.0, 1.0)];
            for (m, c) in h.iter().enumerate().take(h.len() - 1) {
                failed += c;
                points.push((
                    round6((m + 1) as f64 / 12.0),
                    round6(1.0 - failed as f64 / total as f64),
                ));
            }
            let (option, label) = g.map_or(("all".into(), "All agreements".into()), |k| {
                (s.issues[k].options[j].id.clone(), s.issues[k].options[j].label.clone())
            });
            SurvivalCurve {
                option,
                label,
                agreements: total,
                points,
            }
        })
        .collect();
    Some(DurabilityStats {
        years: agg.years.clone(),
        renewed_war_within: agg
            .renewed_within
            .iter()
            .map(|c| Estimate::new(*c, agg.agreements()))
            .collect(),
        survival_issue: g.map(|k| s.issues[k].id.clone()),
        survival,
    })
}

/// The final frontline's distribution for each issue with a frontline.
fn frontlines(s: &Scenario, agg: &Aggregate) -> Vec<FrontlineRow> {
    s.issues
        .iter()
        .enumerate()
        .filter_map(|(k, issue)| {
            let f = issue.frontline.as_ref()?;
            let h = &agg.frontline_hist[k];
            let q = |p| hist_quantile(h, p, FRONTLINE_BIN).unwrap_or(0.0);
            Some(FrontlineRow {
                issue: issue.id.clone(),
                path: f.path.iter().map(|&o| issue.options[o].id.clone()).collect(),
                p10: q(0.1),
                median: q(0.5),
                p90: q(0.9),
                histogram: h.iter().map(|(k, v)| (*k as f64 * FRONTLINE_BIN, *v)).collect(),
            })
        })
        .collect()
}

/// Each actor's inputs as written in the scenario (the report's assumptions table).
fn assumptions(s: &Scenario) -> Vec<AssumptionRow> {
    s.actors
        .iter()
        .map(|a| AssumptionRow {
            id: a.id.clone(),
            name: a.name.clone(),
            veto: a.veto,
            recognition: a.recognition.to_string(),
            discount: a.discount.to_string(),
            war_cost: a.war_cost.to_string(),
            noise: a.noise.to_string(),
            agreement_bonus: a.agreement_bonus.to_string(),
            red_lines: a
                .red_lines
                .iter()
                .map(|l| {
                    let issue = &s.issues[l.issue];
                    let opts: Vec<&str> = l.options.iter().map(|&o| issue.options[o].id.as_str()).collect();
                    format!("{}: {} (binding {})", issue.id, opts.join("/"), l.binding)
                })
                .collect(),
            beliefs: belief_strings(s, &a.beliefs),
            renewed_war_loss: a.renewed_war_loss.to_string(),
        })
        .collect()
}

/// The solver's diagnostics: evaluations, fallbacks, unconverged solves, feasible packages.
fn solver(agg: &Aggregate) -> SolverStats {
    let runs = agg.runs;
    SolverStats {
        no_acceptable_package: Estimate::new(agg.runs_without_feasible_package, runs),
        evaluations_per_run: agg.solver_evals as f64 / runs.max(1) as f64,
        evaluations_histogram: agg
            .evals_hist
            .iter()
            .map(|(&b, &r)| EvalBin {
                from: if b == 0 { 0 } else { 1 << b },
                to: 1 << (b + 1),
                runs: r,
            })
            .collect(),
        ladder_steps_histogram: agg
            .ladder_hist
            .iter()
            .map(|(&k, &r)| LadderBin {
                steps: k as u64,
                runs: r,
            })
            .collect(),
        runs_with_fallback: agg.runs_with_fallback,
        runs_above_temperature: agg.runs_above_temperature,
        unconverged_solves: agg.unconverged_solves,
        unconverged: agg.unconverged.clone(),
        feasible_packages_per_run: agg.feasible_packages as f64 / runs.max(1) as f64,
        runs_without_feasible_package: agg.runs_without_feasible_package,
    }
}

/// One readable line per belief of an actor.
fn belief_strings(s: &Scenario, b: &crate::scenario::Beliefs) -> Vec<String> {
    let mut out = vec![];
    for (k, f) in b.frontline.iter().enumerate() {
        let Some(f) = f else { continue };
        let mut parts = vec![];
        if let Some(d) = &f.drift {
            parts.push(format!("drift {d}"));
        }
        if let Some(p) = &f.breakthrough_probability {
            parts.push(format!("breakthrough probability {p}"));
        }
        if let Some(j) = &f.breakthrough_jump {
            parts.push(format!("breakthrough jump {j}"));
        }
        if let Some(sd) = f.drift_sd {
            parts.push(format!("drift learnt from the war (prior sd {sd})"));
        }
        if let Some(n0) = f.breakthrough_strength {
            parts.push(format!("breakthrough probability learnt (prior strength {n0} rounds)"));
        }
        out.push(format!("{}: {}", s.issues[k].id, parts.join(", ")));
    }
    for (e, h) in b.hazard.iter().enumerate() {
        if let Some(h) = h {
            out.push(format!("{}: hazard {h}", s.events[e].id));
        }
    }
    out
}

/// The assumptions the per-actor table has no column for, one sentence each.
fn further_assumptions(s: &Scenario) -> Vec<String> {
    use crate::scenario::{NoiseFamily, Recognition};
    let id = |i: usize| s.actors[i].id.as_str();
    let mut out = vec![];
    if let Recognition::Markov(order, m) = &s.protocol.recognition {
        out.push(markov_sentence(s, order, m));
    }
    if let Some(d) = s.protocol.deadline {
        out.push(format!("Hard deadline: talks end after {d} rounds without agreement; offers are solved by backward induction from it."));
    }
    if s.protocol.acceptance_noise == NoiseFamily::Logistic {
        out.push("Private acceptance shocks are logistic with scale `noise`.".into());
    }
    for a in &s.actors {
        if let Some(t) = &a.types {
            let pts: Vec<String> = t.shock.iter().zip(&t.p).map(|(e, p)| format!("{e} with {p}")).collect();
            out.push(format!(
                "{}'s private type is discrete: acceptance shock {}.",
                a.id,
                pts.join(", ")
            ));
        }
    }
    for issue in &s.issues {
        if let Some(m) = &issue.divisible {
            let who: Vec<String> = m
                .iter()
                .map(|&i| {
                    let k = s.issues.iter().position(|x| x.id == issue.id).unwrap_or(0);
                    let rho = s.actors[i].curvature[k];
                    if rho == 1.0 {
                        id(i).to_string()
                    } else {
                        format!("{} (curvature {rho})", id(i))
                    }
                })
                .collect();
            out.push(format!(
                "`{}` is a divisible good split among {}.",
                issue.id,
                who.join(", ")
            ));
        }
    }
    for (i, a) in s.actors.iter().enumerate() {
        if let Some(o) = &a.outside_option {
            out.push(format!("{} can walk out to an outside option worth {o}.", id(i)));
        }
    }
    if let Some(w) = &s.war {
        out.push(war_sentence(s, w));
    }
    if let Some(b) = s.durability.as_ref().and_then(|d| d.band.as_ref()) {
        out.push(format!(
            "Durability: the balance of power starts at {} and diffuses with drift {} per year and volatility {} per √year; war resumes when it leaves ({}, {}); checked {} times a year.",
            b.balance, b.drift, b.volatility, b.lower, b.upper, b.steps_per_year
        ));
    }
    out
}

/// The Markov recognition rule in words: who may propose after whom, with what probability.
fn markov_sentence(s: &Scenario, order: &[usize], m: &[f64]) -> String {
    let id = |i: usize| s.actors[i].id.as_str();
    let ns = order.len();
    let rows: Vec<String> = (0..ns)
        .map(|a| {
            let next: Vec<String> = (0..ns)
                .filter(|&b| m[a * ns + b] > 0.0)
                .map(|b| format!("{} {}", id(order[b]), m[a * ns + b]))
                .collect();
            format!("after {}: {}", id(order[a]), next.join(", "))
        })
        .collect();
    format!(
        "Proposers follow a Markov chain ({}); {} proposes first.",
        rows.join("; "),
        id(order[0])
    )
}

/// The war lottery in words: win probabilities, costs and the shift, if any.
fn war_sentence(s: &Scenario, w: &crate::scenario::War) -> String {
    let id = |i: usize| s.actors[i].id.as_str();
    let p = |ps: &[crate::scenario::Dist]| -> String {
        ps.iter()
            .enumerate()
            .filter(|(_, d)| d.mean() > 0.0)
            .map(|(i, d)| format!("{} {d}", id(i)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let costs: Vec<String> = w
        .cost
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} {c}", id(i)))
        .collect();
    let mut line = format!(
        "A breakdown leads to a decisive war: win probabilities {}; costs {}.",
        p(&w.win_probability),
        costs.join(", ")
    );
    if let Some((t, ps)) = &w.shift {
        line += &format!(" From round {t} (0-based) the win probabilities are {}.", p(ps));
    }
    line
}
