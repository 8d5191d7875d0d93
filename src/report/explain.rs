//! `armistice explain`: one run told round by round in plain language.
//!
//! The story is built from [`simulate_traced`], which replays exactly the run `armistice run`
//! simulates with the same seed and index (the record it returns is the one `runs.csv` holds).

use crate::model::package::{decode, label};
use crate::model::params::RunParams;
use crate::scenario::Scenario;
use crate::sim::run::{CEASEFIRE_ID, drawn_params, simulate_traced};
use crate::sim::{Outcome, Response, RoundTrace, RunRecord};
use std::fmt::Write;

fn actor(s: &Scenario, i: usize) -> String {
    s.actors[i].id.clone()
}

fn num(x: f64) -> String {
    format!("{x:.3}")
}

fn signed(x: f64) -> String {
    format!("{x:+.3}")
}

/// The options of package `id` with their labels: "T4 (UA leaves rest of Donetsk, de facto), …".
fn package_long(s: &Scenario, id: u64) -> String {
    decode(s, id)
        .iter()
        .enumerate()
        .map(|(k, &o)| {
            let opt = &s.issues[k].options[o];
            if opt.label.is_empty() {
                opt.id.clone()
            } else {
                format!("{} {}", opt.id, opt.label)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The ceasefire package of an offer's global id, if the offer is a ceasefire (`docs/model.md`
/// §9.1: ceasefire offers carry the id `CEASEFIRE_ID | c`).
pub fn ceasefire_of(id: u64) -> Option<usize> {
    (id & CEASEFIRE_ID != 0).then(|| usize::try_from(id & !CEASEFIRE_ID).unwrap_or(usize::MAX))
}

/// An offer's short name: the package label, or "ceasefire (…)" with the ceasefire's terms.
pub fn offer_label(s: &Scenario, id: u64) -> String {
    match ceasefire_of(id) {
        Some(c) => match &s.ceasefire {
            Some(cf) if c < cf.packages() => format!("ceasefire ({})", cf.label(c)),
            _ => format!("ceasefire package {c}"),
        },
        None => label(s, id),
    }
}

/// A ceasefire package's terms with their labels: "monitoring = observers (International
/// observers); …".
fn ceasefire_terms(s: &Scenario, c: usize) -> String {
    let Some(cf) = s.ceasefire.as_ref().filter(|cf| c < cf.packages()) else {
        return format!("ceasefire package {c}");
    };
    if cf.terms.is_empty() {
        return "no terms beyond the ceasefire itself".into();
    }
    cf.decode(c)
        .iter()
        .enumerate()
        .map(|(k, &o)| {
            let term = &cf.terms[k];
            let opt = &term.options[o];
            if opt.label.is_empty() || opt.label == opt.id {
                format!("{} = {}", term.id, opt.id)
            } else {
                format!("{} = {} ({})", term.id, opt.id, opt.label)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// " on terms monitoring = observers (International observers)"; empty for a bare ceasefire.
fn terms_note(s: &Scenario, c: usize) -> String {
    if s.ceasefire.as_ref().is_some_and(|cf| cf.terms.is_empty()) {
        String::new()
    } else {
        format!(" on terms {}", ceasefire_terms(s, c))
    }
}

/// What a ceasefire round costs: nothing, or the residual cost the scenario declares.
fn ceasefire_costs(s: &Scenario) -> &'static str {
    let residual = s.ceasefire.as_ref().is_some_and(|cf| {
        cf.residual_war_cost
            .iter()
            .any(|d| !matches!(d, crate::scenario::dist::Dist::Fixed(x) if *x == 0.0))
    });
    if residual {
        "war costs fall to the ceasefire's residual cost"
    } else {
        "no war costs are paid"
    }
}

/// The frontlines where they stand, in words (empty without a frontline).
fn fronts_now(s: &Scenario, fronts: &[Option<f64>]) -> String {
    fronts
        .iter()
        .enumerate()
        .filter_map(|(k, x)| x.map(|x| format!("the {} front at {}", s.issues[k].id, position(s, k, x))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A frontline position in words: "0.140 path steps (T2 → T4, 14% of the way)".
fn position(s: &Scenario, k: usize, x: f64) -> String {
    let Some(f) = &s.issues[k].frontline else {
        return num(x);
    };
    let opts = &s.issues[k].options;
    let i = (x.floor() as usize).min(f.path.len().saturating_sub(1));
    let frac = x - i as f64;
    if frac < 1e-9 || i + 1 >= f.path.len() {
        return format!("{} path steps (at {})", num(x), opts[f.path[i]].id);
    }
    format!(
        "{} path steps ({} → {}, {:.0}% of the way)",
        num(x),
        opts[f.path[i]].id,
        opts[f.path[i + 1]].id,
        100.0 * frac
    )
}

/// What run `run` drew that decides its course: each actor's war cost, discount factor and the
/// red lines that bind in this run, and the frontlines' dynamics.
fn drawn(s: &Scenario, p: &RunParams, out: &mut String) {
    let _ = writeln!(out, "What this run drew");
    for (i, a) in s.actors.iter().enumerate() {
        let lines: Vec<String> = p.red_lines[i]
            .iter()
            .map(|l| {
                let opts: Vec<&str> = l
                    .mask
                    .iter()
                    .enumerate()
                    .filter(|(_, m)| **m)
                    .map(|(o, _)| s.issues[l.issue].options[o].id.as_str())
                    .collect();
                let u = &l.unless;
                let mut waived = vec![];
                if u.ratified {
                    waived.push("ratified".to_string());
                }
                if !u.options.is_empty() {
                    let with: Vec<String> = u.options.iter().map(|&(k, o)| s.option_name(k, o)).collect();
                    waived.push(format!("with {}", with.join(" or ")));
                }
                if !u.consent.is_empty() {
                    waived.push("with the listed parties' consent".to_string());
                }
                if waived.is_empty() {
                    opts.join(", ")
                } else {
                    format!("{} (unless {})", opts.join(", "), waived.join(", "))
                }
            })
            .collect();
        let _ = writeln!(
            out,
            "  {} ({}): war cost {}/round, discount factor {}, private type {}{}",
            a.id,
            a.name,
            num(p.war_cost[i]),
            num(p.discount[i]),
            signed(p.types[i]),
            if lines.is_empty() {
                String::from("; no red line binds")
            } else {
                format!("; red lines that bind: {}", lines.join("; "))
            }
        );
    }
    for (k, f) in p.frontlines.iter().enumerate() {
        if let Some(f) = f {
            let _ = writeln!(
                out,
                "  {} front: starts at {}; drift {} path steps/round, breakthrough probability {}/round",
                s.issues[k].id,
                position(s, k, f.position),
                num(f.drift),
                num(f.breakthrough_probability)
            );
        }
    }
}

/// The ratifiers that vote on package `z`: "the Ukrainian referendum (UA-referendum)".
fn ratifiers_of(s: &Scenario, z: u64) -> String {
    let opts = decode(s, z);
    let names: Vec<String> = s
        .ratifiers
        .iter()
        .filter(|r| r.scope.as_ref().is_none_or(|sc| sc.iter().any(|&(k, o)| opts[k] == o)))
        .map(|r| format!("{} ({})", r.name, r.id))
        .collect();
    if names.is_empty() {
        "ratification".into()
    } else {
        names.join(" and ")
    }
}

/// Whether a round had nothing to tell but the war: no event, no offer.
fn quiet(tr: &RoundTrace) -> bool {
    tr.events_fired.is_empty()
        && tr.offer.is_none()
        && tr.red_lines_changed.is_empty()
        && tr.ceasefire.is_none()
        && !tr.collapsed
}

/// The ceasefire in force at the start of each round of `trace` (signed in an earlier round and
/// not yet collapsed).
fn ceasefire_in_force(trace: &[RoundTrace]) -> Vec<Option<usize>> {
    let mut now = None;
    trace
        .iter()
        .map(|tr| {
            let at_start = now;
            if tr.ceasefire.is_some() {
                now = tr.ceasefire;
            }
            if tr.collapsed {
                now = None;
            }
            at_start
        })
        .collect()
}

/// Several quiet rounds in one paragraph: who passed, where the front went.
fn quiet_story(
    s: &Scenario,
    params: &RunParams,
    run: &[&RoundTrace],
    before: &[Option<f64>],
    under: Option<usize>,
    out: &mut String,
) {
    let (first, last) = (run[0], run[run.len() - 1]);
    let mut who: Vec<(usize, usize)> = vec![];
    for tr in run {
        match who.iter_mut().find(|(k, _)| *k == tr.proposer) {
            Some(w) => w.1 += 1,
            None => who.push((tr.proposer, 1)),
        }
    }
    let who: Vec<String> = who
        .iter()
        .map(|(k, n)| {
            format!(
                "{} {}",
                actor(s, *k),
                if *n == 1 {
                    "once".to_string()
                } else {
                    format!("{n} times")
                }
            )
        })
        .collect();
    if let Some(c) = under {
        let _ = writeln!(
            out,
            "
Rounds {}–{} of {}, under the ceasefire{}: no offer was made. Recognised to propose: {}; each time the proposer expected no settlement the others would accept to be worth more to it than another round under the ceasefire. Ceasefire rounds: {}, the front stayed frozen.",
            first.round + 1,
            last.round + 1,
            s.meta.horizon,
            terms_note(s, c),
            who.join(", "),
            ceasefire_costs(s)
        );
        foresight_line(s, params, first.round, true, out);
        return;
    }
    let _ = writeln!(
        out,
        "
Rounds {}–{} of {}: no offer was made. Recognised to propose: {}; each time the proposer expected no package the others would accept to be worth more to it than another round of war.",
        first.round + 1,
        last.round + 1,
        s.meta.horizon,
        who.join(", ")
    );
    foresight_line(s, params, first.round, true, out);
    for (k, (a, b)) in before.iter().zip(&last.frontlines).enumerate() {
        if let (Some(a), Some(b)) = (a, b) {
            let _ = writeln!(
                out,
                "  War: the {} front went from {} to {}.",
                s.issues[k].id,
                num(*a),
                position(s, k, *b)
            );
        }
    }
}

/// One round; `next_round` is the 1-based round told next (if any); `ends_talks` marks the
/// round after which talks broke down (no war step follows it).
#[allow(clippy::too_many_arguments)] // the round, its context and the ceasefire in force
fn round_story(
    s: &Scenario,
    params: &RunParams,
    tr: &RoundTrace,
    before: &[Option<f64>],
    next_round: Option<usize>,
    ends_talks: bool,
    under: Option<usize>,
    out: &mut String,
) {
    let _ = writeln!(out, "\nRound {} of {}", tr.round + 1, s.meta.horizon);
    if let Some(c) = under {
        let _ = writeln!(
            out,
            "  A ceasefire round: the ceasefire{} holds, so {} and the front stays frozen; talks on a settlement go on.",
            terms_note(s, c),
            ceasefire_costs(s)
        );
    }
    events_story(s, tr, out);
    foresight_line(s, params, tr.round, false, out);
    match tr.offer {
        None => {
            let _ = writeln!(
                out,
                "  {} was recognised to propose and made no offer: it expected no package the others would accept to be worth more to it than another round {}.",
                actor(s, tr.proposer),
                if under.is_some() {
                    "under the ceasefire"
                } else {
                    "of war"
                }
            );
        }
        Some(z) if ceasefire_of(z).is_some() => {
            let c = ceasefire_of(z).unwrap_or(0);
            let _ = writeln!(
                out,
                "  {} proposed a ceasefire{}: the fighting stops and the front freezes while talks on a settlement go on.",
                actor(s, tr.proposer),
                terms_note(s, c)
            );
            for r in &tr.responses {
                let _ = writeln!(out, "{}", response_line(s, tr, r));
            }
            if tr.ceasefire.is_some() {
                let fronts = fronts_now(s, &tr.frontlines);
                let _ = writeln!(
                    out,
                    "  Ceasefire signed{}. From this round on, while it holds, {} and the front is frozen{}.",
                    terms_note(s, c),
                    ceasefire_costs(s),
                    if fronts.is_empty() {
                        String::new()
                    } else {
                        format!(" ({fronts})")
                    }
                );
            }
        }
        Some(z) => {
            offer_line(s, tr, z, out);
            for r in &tr.responses {
                let _ = writeln!(out, "{}", response_line(s, tr, r));
            }
            ratification_story(s, tr, next_round, out);
        }
    }
    if tr.collapsed {
        let _ = writeln!(
            out,
            "  The ceasefire collapsed at the end of the round: the war resumes next round."
        );
    }
    // no war step while a ceasefire holds (signed before or in this round)
    if under.is_none() && tr.ceasefire.is_none() {
        war_story(s, tr, before, ends_talks, out);
    }
}

/// Whether round `t` (0-based) was solved by backward induction toward a scheduled change
/// (`docs/model.md` §9.4), and toward which events. Assumes every scheduled event before round t
/// fired in its round (true unless a ratification lag skipped it); a change whose projected
/// state has other recognition states is solved stationarily, which this does not check.
fn foresight_line(s: &Scenario, p: &RunParams, t: usize, stretch: bool, out: &mut String) {
    let fired: Vec<bool> = p.events.iter().map(|e| e.at_round.is_some_and(|at| at <= t)).collect();
    let Some(&a) = crate::sim::scheduled::changes_ahead(s, &p.events, &fired, t).first() else {
        return;
    };
    let names: Vec<String> = (0..s.events.len())
        .filter(|&e| p.events[e].hazard.is_none() && p.events[e].at_round == Some(a))
        .map(|e| format!("{} ({})", s.events[e].name, s.events[e].id))
        .collect();
    let ahead = if stretch {
        "Rounds before it are solved".to_string()
    } else {
        format!(
            "This round is solved ({} round{} ahead)",
            a - t,
            if a - t == 1 { "" } else { "s" }
        )
    };
    let _ = writeln!(
        out,
        "  Foreseen: {} in round {}. {ahead} by backward induction from the game after it, so offers and answers already count with it.",
        names.join(", "),
        a + 1,
    );
}

/// The events that began this round, and how long their effects last.
fn events_story(s: &Scenario, tr: &RoundTrace, out: &mut String) {
    for &e in &tr.events_fired {
        let ev = &s.events[e];
        let lasts = match ev.duration {
            Some(1) => " Its effects last this round.".to_string(),
            Some(d) => format!(" Its effects last {d} rounds."),
            None => " Its effects last for the rest of the run.".to_string(),
        };
        let _ = writeln!(out, "  Event: {} ({}) began.{lasts}", ev.name, ev.id);
    }
    for c in &tr.red_lines_changed {
        let l = &s.actors[c.actor].red_lines[c.line];
        let opts: Vec<&str> = l
            .options
            .iter()
            .map(|&o| s.issues[l.issue].options[o].id.as_str())
            .collect();
        let _ = writeln!(
            out,
            "  Position: {}'s red line against {} {} as the war moved.",
            actor(s, c.actor),
            opts.join(", "),
            if c.binds {
                "returned (it binds again)"
            } else {
                "dissolved (it no longer binds)"
            }
        );
    }
}

/// The proposer's offer of package `z` (and the split of any divisible issue).
fn offer_line(s: &Scenario, tr: &RoundTrace, z: u64, out: &mut String) {
    let k = tr.proposer;
    let split = split_text(s, tr.shares.as_deref());
    if s.issues.iter().all(|i| i.divisible.is_some()) {
        let _ = writeln!(out, "  {} proposed {split}.", actor(s, k));
    } else {
        let with = if split.is_empty() {
            String::new()
        } else {
            format!(", with {split}")
        };
        let _ = writeln!(
            out,
            "  {} proposed {}: {}{with}.",
            actor(s, k),
            label(s, z),
            package_long(s, z)
        );
    }
}

/// One responder's answer: accepted or rejected, and why, against its reservation value.
fn response_line(s: &Scenario, tr: &RoundTrace, r: &Response) -> String {
    let who = actor(s, r.actor);
    let reserve = tr.reservation[r.actor];
    let worth = reserve + r.margin;
    if r.red_line && tr.offer.and_then(ceasefire_of).is_some() {
        format!("  {who} rejected it: in this run it refuses a ceasefire on these terms.")
    } else if r.red_line {
        format!(
            "  {who} rejected it: it crosses one of its red lines (worth {} against a reservation value of {}).",
            num(worth),
            num(reserve)
        )
    } else if r.accepted {
        format!(
            "  {who} accepted: worth {} to it, {} above its reservation value of {} (its private type {}).",
            num(worth),
            num(r.margin),
            num(reserve),
            signed(r.shock)
        )
    } else if r.margin < 0.0 {
        format!(
            "  {who} rejected it: worth {} to it, {} short of its reservation value of {} (its private type {}).",
            num(worth),
            num(-r.margin),
            num(reserve),
            signed(r.shock)
        )
    } else {
        format!(
            "  {who} rejected it: worth {} to it, {} above its reservation value of {}, but its private type {} asked for more.",
            num(worth),
            num(r.margin),
            num(reserve),
            signed(r.shock)
        )
    }
}

/// Whether the offer was signed, and how ratification went.
fn ratification_story(s: &Scenario, tr: &RoundTrace, next_round: Option<usize>, out: &mut String) {
    match tr.ratified {
        Some(true) => {
            let voters = ratifiers_of(s, tr.offer.unwrap_or(0));
            let _ = writeln!(out, "  Signed, then put to {voters}, which approved it.");
        }
        Some(false) => {
            let voters = ratifiers_of(s, tr.offer.unwrap_or(0));
            let _ = writeln!(
                out,
                "  Signed, then put to {voters}, which rejected it; talks resume{}.",
                next_round.map_or(String::new(), |r| format!(
                    " in round {r}, after the implementation lag"
                ))
            );
        }
        None if tr.responses.iter().all(|r| r.accepted) => {
            let _ = writeln!(out, "  Signed.");
        }
        None => {}
    }
}

/// The war step: how each front moved from `before` (none after a signed package or the end of
/// talks).
fn war_story(s: &Scenario, tr: &RoundTrace, before: &[Option<f64>], ends_talks: bool, out: &mut String) {
    for (k, (a, b)) in before.iter().zip(&tr.frontlines).enumerate() {
        // a signed package ends the round before the war step (ratified or not)
        let signed = tr.offer.is_some() && tr.responses.iter().all(|r| r.accepted);
        if let (Some(a), Some(b)) = (a, b)
            && !signed
            && !ends_talks
        {
            let verb = if (b - a).abs() < 5e-4 { "held at" } else { "moved to" };
            let _ = writeln!(
                out,
                "  War: the {} front {verb} {} (from {}).",
                s.issues[k].id,
                position(s, k, *b),
                num(*a)
            );
        }
    }
}

/// The priors of the drift beliefs learnt in the run of `tr` (`docs/model.md` §9.3).
fn prior_drift(s: &Scenario, p: &RunParams, tr: &RoundTrace) -> Vec<(usize, usize, f64, f64)> {
    tr.posterior_drift
        .iter()
        .filter_map(|&(i, k, _, _)| {
            let sd = s.actors[i].beliefs.frontline.get(k)?.as_ref()?.drift_sd?;
            let (m0, _, _) = p.beliefs[i].frontline.get(k).copied().flatten()?;
            Some((i, k, m0, sd))
        })
        .collect()
}

/// What the actors learnt of the drift of each front since it was last told (`told`): a line for
/// each belief that moved.
fn learning_story(s: &Scenario, tr: &RoundTrace, told: &mut [(usize, usize, f64, f64)], out: &mut String) {
    for &(i, k, m, sd) in &tr.posterior_drift {
        let Some(t) = told.iter_mut().find(|t| t.0 == i && t.1 == k) else {
            continue;
        };
        if (t.2 - m).abs() >= 5e-4 {
            let _ = writeln!(
                out,
                "  Learning: {} now expects the {} front to drift {} steps a round (was {}; posterior sd {}).",
                actor(s, i),
                s.issues[k].id,
                signed(m),
                signed(t.2),
                num(sd)
            );
            *t = (i, k, m, sd);
        }
    }
}

/// The last line: the run's outcome as `runs.csv` records it.
pub fn outcome_line(s: &Scenario, rec: &RunRecord) -> String {
    match (rec.outcome, rec.round, rec.package) {
        (Outcome::Agreement, Some(t), Some(z)) => format!(
            "Outcome: agreement in round {} on {}, proposed by {}{}.",
            t + 1,
            label(s, z),
            rec.proposer.map_or("?".into(), |k| s.actors[k].id.clone()),
            if rec.ceasefire.as_ref().is_some_and(|c| c.settled_in_ceasefire) {
                ", signed while a ceasefire held"
            } else {
                ""
            }
        ),
        (Outcome::Breakdown, Some(t), _) => {
            format!("Outcome: breakdown in round {}: talks ended for good.", t + 1)
        }
        _ => format!("Outcome: no agreement within the {} rounds observed.", s.meta.horizon),
    }
}

/// The story of run `run` of `s` with master seed `seed`, and its record.
pub fn explain(s: &Scenario, seed: u64, run: u64) -> (String, RunRecord) {
    let (rec, trace) = simulate_traced(s, seed, run);
    let params = drawn_params(s, seed, run);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run {run} of scenario {} (seed {seed}): {}\n",
        s.meta.id,
        outcome_line(s, &rec)
            .trim_start_matches("Outcome: ")
            .trim_end_matches('.')
    );
    drawn(s, &params, &mut out);
    if s.protocol.selection_in_effect() == Some(crate::scenario::Selection::Warm) {
        let _ = writeln!(
            out,
            "\nEach later round's equilibrium is warm-started from the round before (selection = \"warm\"), so it can depend on the run's history (docs/model.md §10, rule 7)."
        );
    }
    let _ = writeln!(
        out,
        "\nHow to read it. A package's worth to an actor is on a 0–1 scale (1 = everything it wants, weighted by how much each issue matters to it). Its reservation value is what it expects from saying no: more rounds of war and talks. A responder accepts when the offer's worth exceeds its reservation value by at least its private type, a hidden toughness drawn once per run (negative: it accepts a little less than its reservation value). Red lines listed together with `;` are separate lines, options joined by `,` belong to one line. The front's position is counted in steps along its path of options (e.g. T2 → T4 → T6: 0.5 = halfway from T2 to T4)."
    );
    let mut before: Vec<Option<f64>> = params
        .frontlines
        .iter()
        .map(|f| f.as_ref().map(|f| f.position))
        .collect();
    let under = ceasefire_in_force(&trace);
    // the learnt drift beliefs last told (`docs/model.md` §9.3)
    let mut drift: Vec<(usize, usize, f64, f64)> =
        trace.first().map(|t| prior_drift(s, &params, t)).unwrap_or_default();
    let mut i = 0;
    while i < trace.len() {
        // consecutive quiet rounds are told together (a ceasefire is signed or collapses only in
        // a round that is not quiet, so the rounds of a group are all at war or all under it)
        let mut j = i;
        while j < trace.len() && quiet(&trace[j]) && !(rec.outcome == Outcome::Breakdown && j + 1 == trace.len()) {
            j += 1;
        }
        if j - i >= 2 {
            let run: Vec<&RoundTrace> = trace[i..j].iter().collect();
            quiet_story(s, &params, &run, &before, under[i], &mut out);
            learning_story(s, &trace[j - 1], &mut drift, &mut out);
            before.clone_from(&trace[j - 1].frontlines);
            i = j;
            continue;
        }
        let next = trace.get(i + 1).map(|t| t.round + 1);
        let ends_talks = rec.outcome == Outcome::Breakdown && i + 1 == trace.len();
        round_story(s, &params, &trace[i], &before, next, ends_talks, under[i], &mut out);
        learning_story(s, &trace[i], &mut drift, &mut out);
        before.clone_from(&trace[i].frontlines);
        i += 1;
    }
    if rec.outcome == Outcome::Breakdown {
        let last = trace.last();
        let opted_out: Vec<String> = last
            .map(|tr| {
                tr.responses
                    .iter()
                    .filter(|r| !r.accepted && s.actors[r.actor].outside_option.is_some())
                    .filter(|r| {
                        let o = params.outside_option[r.actor].unwrap_or(f64::NEG_INFINITY);
                        o > tr.reservation[r.actor] - 1e-12 && tr.offer.is_some()
                    })
                    .map(|r| actor(s, r.actor))
                    .collect()
            })
            .unwrap_or_default();
        let deadline = s
            .protocol
            .deadline
            .is_some_and(|d| rec.round.is_some_and(|t| t + 1 >= d));
        let why = if !opted_out.is_empty() {
            format!(
                "{} walked out to its outside option, which beat waiting; talks ended at once and each actor got its own outside option (its breakdown value if it has none).",
                opted_out.join(", ")
            )
        } else if deadline {
            format!(
                "The deadline of {} rounds was reached without a deal; talks ended.",
                s.protocol.deadline.unwrap_or(0)
            )
        } else {
            "Talks broke down for good after this round without a deal (each such round ends them with the run's breakdown probability).".to_string()
        };
        let war = if s.war.is_some() && opted_out.is_empty() {
            " The breakdown value is the war lottery of [war]: each side's chance of winning times what winning gives it, minus its cost of war."
        } else {
            ""
        };
        let _ = writeln!(out, "  {why}{war}");
    }
    let _ = writeln!(out, "\n{}", outcome_line(s, &rec));
    if let Some(c) = &rec.ceasefire {
        let first = match (c.first_round, c.first_package) {
            (Some(t), Some(pc)) => format!(
                "; the first was signed in round {}{}{}",
                t + 1,
                terms_note(s, pc),
                if c.first_collapsed {
                    format!(" and held {} round(s) before it collapsed", c.first_held)
                } else {
                    String::new()
                }
            ),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "Ceasefires in this run: {} signed, {} collapsed back to war{first}.",
            c.signed, c.collapses
        );
    }
    let pay: Vec<String> = s
        .actors
        .iter()
        .zip(&rec.payoff)
        .map(|(a, p)| format!("{} {}", a.id, num(*p)))
        .collect();
    let _ = writeln!(
        out,
        "Realised payoffs (discounted sum of each round's value, minus war costs; below 0 when the war cost more than the outcome was worth): {}.",
        pay.join(", ")
    );
    if let Some(y) = rec.years_to_renewed_war {
        let _ = writeln!(
            out,
            "In this run the agreement holds {y:.1} years before war resumes (durability model)."
        );
    }
    (out, rec)
}

/// "a split of pie: A 0.700, B 0.300" for an offer's shares (empty without a divisible issue).
fn split_text(s: &Scenario, shares: Option<&[f64]>) -> String {
    let Some(x) = shares else { return String::new() };
    s.issues
        .iter()
        .filter_map(|i| {
            let members = i.divisible.as_ref()?;
            let parts: Vec<String> = members
                .iter()
                .map(|&a| format!("{} {:.3}", s.actors[a].id, x[a]))
                .collect();
            Some(format!("a split of {}: {}", i.id, parts.join(", ")))
        })
        .collect::<Vec<_>>()
        .join("; ")
}
