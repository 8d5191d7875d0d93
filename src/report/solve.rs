//! `armistice solve`: the deterministic view of a scenario on its expected parameters (every
//! distribution at its mean, a red line binding and a body consenting iff its probability is at
//! least 1/2, private types at their median 0): the equilibrium values of the first round, each
//! proposer's first offer and its probability of acceptance, and the baselines.

use crate::model::package::label;
use crate::scenario::Scenario;
use crate::sim::run::{expected_params, first_round};
use crate::solve::baselines::{Baselines, SplitBaselines, baselines};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;
use std::fmt::Write;

/// One offer a proposer may make in the first round.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct OfferView {
    /// The package's option ids joined by ` · ` (the divisible issue shows as `<issue>:split`).
    pub package: String,
    /// The split of the divisible issue: `(actor id, share)` for each actor that shares it.
    pub shares: Vec<(String, f64)>,
    /// Probability that the proposer makes this offer.
    pub probability: f64,
    /// Probability that every needed responder accepts it (and every ratifier passes it).
    pub acceptance: f64,
    /// Ids of the responders it needs.
    pub needed: Vec<String>,
}

/// What one proposer does in the first round, and what everyone expects then.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ProposerView {
    pub proposer: String,
    /// Probability that this proposer is recognised in round 0.
    pub probability: f64,
    /// Each actor's expected payoff when this actor proposes, `W_i` (utility units, present
    /// value at round 0).
    pub values: Vec<f64>,
    /// Each actor's reservation value `R_i` in that round.
    pub reservation: Vec<f64>,
    /// Probability of passing.
    pub pass: f64,
    /// Probability that the round ends in agreement: `Σ P(offer) · P(acceptance)`.
    pub agreement: f64,
    /// Every offer, most probable first.
    pub offers: Vec<OfferView>,
    /// Offers left out of `offers`: 0 (every offer is listed; kept for readers of older files,
    /// which listed 10).
    pub more_offers: usize,
    /// Per actor (file order): the probability of being needed by this proposer's offer, the
    /// sum over offers of P(offer) × needed (with a quota: of being in its coalition).
    pub inclusion: Vec<f64>,
}

/// The commitment-problem test of Powell (2006) for a `[war]` with a scheduled shift between two
/// actors (see [`crate::theory::powell::commitment_test`]): per-round war costs are the `[war]`
/// costs, the discount factor is the declining actor's.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CommitmentView {
    /// The rising actor (its win probability grows at the shift).
    pub rising: String,
    pub declining: String,
    /// Round of the shift.
    pub round: usize,
    /// The first actor's win probability before and after (`p0`, `p1` of the test).
    pub p0: f64,
    pub p1: f64,
    pub result: crate::theory::powell::CommitmentTest,
}

/// The deterministic view of a scenario.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SolveView {
    pub scenario: String,
    pub title: String,
    /// Actor ids, in file order (the order of every per-actor vector).
    pub actors: Vec<String>,
    /// Logit temperature the values solve (the scenario's `temperature`, or the lowest
    /// temperature the tracing path reached).
    pub temperature: f64,
    /// Max-norm residual of the solved values.
    pub residual: f64,
    /// The solver's tolerance (`[protocol] tolerance` or `--tolerance`): a residual above it
    /// makes `solve` exit 1.
    pub tolerance: f64,
    /// What went wrong: the temperature not reached, the residual above the tolerance (absent
    /// when nothing did).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// Whether a hard deadline made the solve a backward induction.
    pub backward_induction: bool,
    /// Packages that can pass on the expected parameters.
    pub feasible_packages: usize,
    /// Each actor's ex-ante value at round 0, `Σ_k P(k proposes) W_i^k`.
    pub ex_ante: Vec<f64>,
    pub proposers: Vec<ProposerView>,
    pub baselines: Baselines,
    /// Bueno de Mesquita's expected-utility model per ordinal issue with at least two distinct
    /// ideal options: positions = each actor's ideal option, its index scaled to [0, 1];
    /// capability = `recognition`; salience = the actor's salience of the issue as written
    /// (normalised only if its saliences sum to more than 1); win probabilities pooled over all
    /// pairs (the rule of the Scholz, Calbert and Smith 2011 replication code, which reproduces
    /// the published EU-emissions figures).
    pub bdm: Vec<BdmIssue>,
    pub commitment: Option<CommitmentView>,
    /// Whether the scenario has an ordinal issue with two or more options (else the package
    /// baselines are trivial and the text omits them).
    pub ordinal: bool,
    /// The divisible issue's id, if any.
    pub split_issue: Option<String>,
    /// With `[durability] model = "band"`: its closed forms at the expected parameters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub durability_band: Option<super::solve_extra::BandView>,
    /// The scenario's round length, as written (for the units of the text view).
    #[serde(skip)]
    pub round_length: String,
}

/// Offers per proposer in the text view.
const SHOWN: usize = 5;

/// BDM's model on one ordinal issue.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BdmIssue {
    pub issue: String,
    pub report: crate::theory::bdm::BdmReport,
}

/// Solves `s` on its expected parameters.
pub fn solve_view(s: &Scenario) -> SolveView {
    let e = s.expected();
    let params = expected_params(s);
    let f = first_round(&e, params.clone());
    let n = s.actors.len();
    let ids: Vec<String> = s.actors.iter().map(|a| a.id.clone()).collect();
    let split_issue = s.issues.iter().position(|i| i.divisible.is_some());
    let proposers = (0..f.proposer.len())
        .map(|x| {
            let c = &f.choices[x];
            let mut offers: Vec<OfferView> = c
                .offers
                .iter()
                .map(|o| OfferView {
                    package: label(s, f.packages.ids[o.package]),
                    shares: match (&o.shares, split_issue) {
                        (Some(sh), Some(q)) => s.issues[q]
                            .divisible
                            .iter()
                            .flatten()
                            .map(|&i| (ids[i].clone(), sh[i]))
                            .collect(),
                        _ => vec![],
                    },
                    probability: o.prob,
                    acceptance: o.accept,
                    needed: (0..n)
                        .filter(|j| o.needed & (1 << j) != 0)
                        .map(|j| ids[j].clone())
                        .collect(),
                })
                .collect();
            offers.sort_by(|a, b| b.probability.total_cmp(&a.probability));
            let agreement = c.offers.iter().map(|o| o.prob * o.accept).sum();
            ProposerView {
                proposer: ids[f.proposer[x]].clone(),
                probability: f.weights[x],
                values: f.values[x * n..(x + 1) * n].to_vec(),
                reservation: f.reservation[x].clone(),
                pass: c.pass,
                agreement,
                offers,
                more_offers: 0,
                inclusion: super::solve_extra::inclusion(c, n),
            }
        })
        .collect::<Vec<_>>();
    let ex_ante = (0..n)
        .map(|i| proposers.iter().map(|p| p.probability * p.values[i]).sum())
        .collect();
    SolveView {
        scenario: s.meta.id.clone(),
        title: s.meta.title.clone(),
        actors: ids,
        temperature: f.tau,
        residual: f.residual,
        tolerance: s.protocol.solver_tolerance,
        warnings: super::solve_extra::warnings(s, f.tau, f.residual, f.converged),
        backward_induction: s.protocol.deadline.is_some(),
        feasible_packages: f.packages.len(),
        ex_ante,
        proposers,
        baselines: baselines(s),
        bdm: bdm(&e),
        commitment: commitment(&e, &params),
        ordinal: s.issues.iter().any(|i| i.divisible.is_none() && i.options.len() > 1),
        split_issue: split_issue.map(|q| s.issues[q].id.clone()),
        durability_band: super::solve_extra::band_view(s),
        round_length: s.meta.round_length.clone().unwrap_or_default(),
    }
}

fn bdm(s: &Scenario) -> Vec<BdmIssue> {
    use crate::theory::bdm::{Actor, Issue, WinProbability};
    let mut out = vec![];
    for (k, issue) in s.issues.iter().enumerate() {
        if issue.divisible.is_some() || issue.options.len() < 2 {
            continue;
        }
        let last = (issue.options.len() - 1) as f64;
        let actors: Vec<Actor> = s
            .actors
            .iter()
            .map(|a| {
                let ideal = (0..issue.options.len())
                    .max_by(|&x, &y| {
                        a.utility[k][x]
                            .mean()
                            .total_cmp(&a.utility[k][y].mean())
                            .then(y.cmp(&x))
                    })
                    .unwrap_or(0);
                let total: f64 = a.salience.iter().map(|d| d.mean().max(0.0)).sum();
                // a spatial issue: the position itself and the capability as given
                let spatial = s.spatial.issues.iter().find(|si| si.issue == k);
                let i = s.actors.iter().position(|b| b.id == a.id).unwrap_or(0);
                let position = match spatial.and_then(|si| si.position[i].map(|x| (x - si.low) / si.width())) {
                    Some(x) => x,
                    None => ideal as f64 / last,
                };
                let capability = match spatial.and(s.spatial.capability[i]) {
                    Some(c) => c,
                    None => a.recognition.mean().max(0.0),
                };
                Actor {
                    name: a.id.clone(),
                    position,
                    capability,
                    salience: a.salience[k].mean().max(0.0) / total.max(1.0),
                }
            })
            .collect();
        let distinct = actors.iter().any(|a| a.position != actors[0].position);
        if !distinct || actors.iter().all(|a| a.capability * a.salience == 0.0) {
            continue;
        }
        if let Ok(report) = Issue::new(actors, [0.0, 1.0]).and_then(|i| i.analyse(1.0, 1.0, WinProbability::Pooled)) {
            out.push(BdmIssue {
                issue: issue.id.clone(),
                report: tidy_bdm(report),
            });
        }
    }
    out
}

/// The report's numbers, sums of products of the inputs, with their arithmetic noise removed
/// (`scenario::number::tidy`): `--json` gives 0.5 where the arithmetic left 0.5000000000000001.
fn tidy_bdm(mut r: crate::theory::bdm::BdmReport) -> crate::theory::bdm::BdmReport {
    use crate::scenario::number::tidy;
    let row = |v: &mut Vec<f64>| v.iter_mut().for_each(|x| *x = tidy(*x));
    for x in [&mut r.weighted_mean, &mut r.weighted_median] {
        *x = tidy(*x);
    }
    for v in [&mut r.security_sum, &mut r.risk_acceptance, &mut r.risk_exponent] {
        row(v);
    }
    for m in [
        &mut r.win_probability,
        &mut r.expected_utility,
        &mut r.risk_adjusted_win_probability,
        &mut r.risk_adjusted_expected_utility,
    ] {
        m.iter_mut().for_each(row);
    }
    r
}

fn commitment(s: &Scenario, p: &crate::model::RunParams) -> Option<CommitmentView> {
    let w = p.war.as_ref()?;
    let (round, p1s) = w.shift.as_ref()?;
    if s.actors.len() != 2 {
        return None;
    }
    let (a, b) = if p1s[0] >= w.win[0] { (0, 1) } else { (1, 0) };
    let result = crate::theory::powell::commitment_test(
        p.discount[b],
        w.win[0],
        p1s[0],
        w.cost[0],
        w.cost[1],
        u32::try_from(*round).ok()?,
    )
    .ok()?;
    Some(CommitmentView {
        rising: s.actors[a].id.clone(),
        declining: s.actors[b].id.clone(),
        round: *round,
        p0: w.win[0],
        p1: p1s[0],
        result,
    })
}

fn table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_width(110);
    t.set_header(header);
    t
}

fn f4(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.4}")
    } else {
        format!("{x}")
    }
}

/// Renders the view as text for the terminal: the heading, the equilibrium values, the first
/// offers, the baselines and (if any) the Bueno de Mesquita tables.
pub fn render(v: &SolveView) -> String {
    let mut out = String::new();
    heading(&mut out, v);
    let _ = writeln!(
        out,
        "Equilibrium values (utility units, present value at round 0)\n{}\n",
        values_table(v)
    );
    let _ = writeln!(out, "First offers\n{}\n", offers_table(v));
    let _ = writeln!(out, "Baselines\n{}", baselines_table(v));
    bdm_tables(&mut out, v);
    super::solve_extra::render_band(&mut out, v.durability_band.as_ref(), &v.round_length);
    out
}

/// The scenario line and the paragraph saying how the view was solved.
fn heading(out: &mut String, v: &SolveView) {
    let _ = writeln!(out, "{}: {}", v.scenario, v.title);
    let _ = writeln!(
        out,
        "Deterministic view on expected parameters (means; red lines bind and bodies consent iff their probability is at least 1/2; private types at 0). {}; temperature {}, residual {:.1e}; {} can pass.\n",
        if v.backward_induction {
            "Solved by backward induction from the deadline"
        } else {
            "First round solved by the engine's pinned selection rule"
        },
        v.temperature,
        v.residual,
        if v.feasible_packages == 1 {
            "1 package".to_string()
        } else {
            format!("{} packages", v.feasible_packages)
        }
    );
}

/// Ex-ante, disagreement, and each proposer's values and reservation values, one column per
/// actor.
fn values_table(v: &SolveView) -> Table {
    let mut header = vec!["".to_string()];
    header.extend(v.actors.iter().cloned());
    let mut t = table(header);
    let row = |name: String, xs: &[f64]| {
        let mut r = vec![name];
        r.extend(xs.iter().map(|x| f4(*x)));
        r
    };
    t.add_row(row("ex-ante value".into(), &v.ex_ante));
    t.add_row(row("disagreement value d".into(), &v.baselines.disagreement));
    for p in &v.proposers {
        if p.probability > 0.0 || v.proposers.len() == 1 {
            t.add_row(row(format!("value W if {} proposes", p.proposer), &p.values));
            t.add_row(row(format!("reservation R if {} proposes", p.proposer), &p.reservation));
        }
    }
    t
}

/// Each proposer's first offers: passing, the offers shown, how many more, P(agreement).
fn offers_table(v: &SolveView) -> Table {
    let mut t = table(
        [
            "proposer",
            "P(proposes first)",
            "offer (divisible: shares > 0)",
            "P(offer)",
            "P(accept)",
            "needs",
        ]
        .map(String::from)
        .to_vec(),
    );
    for p in &v.proposers {
        proposer_rows(&mut t, p);
    }
    t
}

/// Offers of the same package and split to different coalitions as one row: the merged offer
/// (probability summed, acceptance averaged by probability) and how many were merged.
fn group_offers(offers: &[OfferView]) -> Vec<(OfferView, usize)> {
    let mut groups: Vec<(OfferView, usize)> = vec![];
    for o in offers {
        match groups
            .iter_mut()
            .find(|(g, _)| g.package == o.package && g.shares == o.shares)
        {
            Some((g, count)) => {
                g.acceptance = (g.acceptance * g.probability + o.acceptance * o.probability)
                    / (g.probability + o.probability).max(f64::MIN_POSITIVE);
                g.probability += o.probability;
                *count += 1;
            }
            None => groups.push((o.clone(), 1)),
        }
    }
    groups
}

/// An offer's name: its package, then the positive shares of a divisible issue.
fn offer_name(o: &OfferView) -> String {
    let shares = o
        .shares
        .iter()
        .filter(|(_, x)| *x > 0.0)
        .map(|(a, x)| format!("{a} {x:.4}"))
        .collect::<Vec<_>>()
        .join(", ");
    if shares.is_empty() {
        o.package.clone()
    } else {
        format!("{} [{shares}]", o.package)
    }
}

/// The rows of one proposer in the first-offers table (its name and probability on the first).
fn proposer_rows(t: &mut Table, p: &ProposerView) {
    let head = |t: &mut Table, offer: String, po: String, pa: String, needs: String, first: bool| {
        t.add_row(vec![
            if first { p.proposer.clone() } else { String::new() },
            if first {
                format!("{:.3}", p.probability)
            } else {
                String::new()
            },
            offer,
            po,
            pa,
            needs,
        ]);
    };
    let mut first = true;
    if p.pass > 0.0 || p.offers.is_empty() {
        head(
            t,
            "(passes)".into(),
            format!("{:.3}", p.pass),
            "—".into(),
            String::new(),
            first,
        );
        first = false;
    }
    let groups = group_offers(&p.offers);
    for (o, count) in groups.iter().take(SHOWN) {
        let needs = if *count > 1 {
            format!("{count} coalitions of {}", o.needed.len())
        } else {
            o.needed.join(", ")
        };
        head(
            t,
            offer_name(o),
            format!("{:.3}", o.probability),
            format!("{:.4}", o.acceptance),
            needs,
            first,
        );
        first = false;
    }
    let more = p.more_offers
        + p.offers
            .len()
            .saturating_sub(groups.iter().take(SHOWN).map(|g| g.1).sum());
    if more > 0 {
        head(
            t,
            format!("… {more} more (--json lists every offer)"),
            String::new(),
            String::new(),
            String::new(),
            false,
        );
    }
    head(
        t,
        "P(agreement this round)".into(),
        String::new(),
        format!("{:.4}", p.agreement.max(0.0)),
        String::new(),
        false,
    );
}

/// The baselines: ordinal solutions, the split of a divisible issue, BDM summaries and the
/// commitment problem, as they apply.
fn baselines_table(v: &SolveView) -> Table {
    let b = &v.baselines;
    let mut t = table(vec!["baseline".into(), "value".into()]);
    let pk = |x: &[String]| {
        if x.is_empty() {
            "none beats disagreement for all".into()
        } else {
            x.join(" · ")
        }
    };
    if v.ordinal {
        t.add_row(vec!["Nash bargaining package".into(), pk(&b.nash)]);
        t.add_row(vec!["Kalai–Smorodinsky package".into(), pk(&b.kalai_smorodinsky)]);
        t.add_row(vec![
            "Pareto set size".into(),
            b.pareto_set_size
                .map_or_else(|| b.pareto_not_computed.clone().unwrap_or_default(), |c| c.to_string()),
        ]);
    }
    if b.split.is_none()
        && let Some(q) = v.split_issue.as_ref()
    {
        t.add_row(vec![
            format!("Nash, Kalai–Smorodinsky on `{q}`"),
            "not computed: more than two actors share it".into(),
        ]);
    }
    if let Some(sp) = &b.split {
        split_rows(&mut t, sp);
    }
    for bd in &v.bdm {
        t.add_row(vec![
            format!("`{}`: weighted mean, median (BDM)", bd.issue),
            format!(
                "{:.3}, {:.3} (0 = first option, 1 = last)",
                bd.report.weighted_mean, bd.report.weighted_median
            ),
        ]);
    }
    if let Some(sp) = &b.spatial {
        for (id, mm) in &sp.issues {
            t.add_row(vec![
                format!("`{id}`: weighted mean, median of the positions"),
                match mm {
                    Some((mean, median)) => format!("{}, {} (scale units)", f4(*mean), f4(*median)),
                    None => "no actor has weight".into(),
                },
            ]);
        }
        t.add_row(vec!["capability-weighted Nash package".into(), pk(&sp.weighted_nash)]);
    }
    if let Some(c) = &v.commitment {
        t.add_row(vec!["commitment problem (Powell 2006)".into(), commitment_text(v, c)]);
    }
    t
}

/// The rows of the two-actor split of a divisible issue: Nash, weighted Nash, Kalai–Smorodinsky
/// and the bargaining range.
fn split_rows(t: &mut Table, sp: &SplitBaselines) {
    let show = |x: &Option<(Vec<String>, f64)>| match x {
        None => "none".to_string(),
        Some((o, th)) if o.is_empty() => format!("{} {:.6}, {} {:.6}", sp.actors[0], th, sp.actors[1], 1.0 - th),
        Some((o, th)) => format!(
            "{} with {} {:.6}, {} {:.6}",
            o.join(" · "),
            sp.actors[0],
            th,
            sp.actors[1],
            1.0 - th
        ),
    };
    t.add_row(vec![format!("Nash solution on `{}`", sp.issue), show(&sp.nash)]);
    t.add_row(vec![
        format!("weighted Nash (powers {:.3}, {:.3})", sp.weights[0], sp.weights[1]),
        show(&sp.weighted_nash),
    ]);
    t.add_row(vec![
        format!("Kalai–Smorodinsky on `{}`", sp.issue),
        show(&sp.kalai_smorodinsky),
    ]);
    t.add_row(vec![
        format!("bargaining range ({}'s share)", sp.actors[0]),
        sp.bargaining_range
            .map_or("empty".into(), |(lo, hi)| format!("{lo:.6} to {hi:.6}")),
    ]);
}

/// The commitment problem's paragraph.
fn commitment_text(v: &SolveView, c: &CommitmentView) -> String {
    format!(
        "{} rises at round {} ({}'s win probability {:.3} → {:.3}). {}'s war value now {:.4} against at most {:.4} it can be promised: war in every equilibrium: {} (threshold on p1 {:.4}). If {} makes every offer, at most {:.4}: war: {} (threshold {:.4}). This is the test for deals that cannot bind the future (Powell's per-period bargaining); the simulation's agreements are binding, so it reaches a deal even where this says war.",
        c.rising,
        c.round,
        s_first(v),
        c.p0,
        c.p1,
        c.declining,
        c.result.declining_war_value,
        c.result.most_promised_any_protocol,
        if c.result.war_in_every_equilibrium { "yes" } else { "no" },
        c.result.p1_threshold_any_protocol,
        c.rising,
        c.result.most_promised_rising_offers,
        if c.result.war_if_rising_makes_all_offers {
            "yes"
        } else {
            "no"
        },
        c.result.p1_threshold_rising_offers
    )
}

/// Bueno de Mesquita's expected utilities of challenging, one table per issue of at most ten
/// actors.
fn bdm_tables(out: &mut String, v: &SolveView) {
    if v.bdm.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nBueno de Mesquita: expected utility of i challenging j in round 1, with risk exponents (Q = T = 1; --json gives every number)"
    );
    for bd in &v.bdm {
        let names = &bd.report.names;
        if names.len() > 10 {
            continue;
        }
        let mut header = vec![format!("`{}`: i \\ j", bd.issue)];
        header.extend(names.iter().cloned());
        let mut t = table(header);
        for (i, row) in bd.report.risk_adjusted_expected_utility.iter().enumerate() {
            let mut r = vec![names[i].clone()];
            r.extend(
                row.iter()
                    .enumerate()
                    .map(|(j, x)| if i == j { "—".into() } else { format!("{x:+.3}") }),
            );
            t.add_row(r);
        }
        let _ = writeln!(out, "{t}");
    }
}

fn s_first(v: &SolveView) -> &str {
    v.actors.first().map_or("", String::as_str)
}
