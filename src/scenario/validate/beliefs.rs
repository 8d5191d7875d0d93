//! An actor's `beliefs`: subjective frontline and hazard parameters.

use super::*;
use std::collections::BTreeMap;

/// Resolves an actor's `beliefs` (after the issues and events are known): each key names a
/// frontline issue (`drift`, `breakthrough`) or a hazard event (`hazard`).
pub(super) fn beliefs(
    ctx: &mut Ctx,
    r: &BTreeMap<String, S<raw::RawBelief>>,
    issues: &[Issue],
    events: &[Event],
    actor: usize,
) -> Beliefs {
    let mut out = Beliefs {
        frontline: vec![None; issues.len()],
        hazard: vec![None; events.len()],
    };
    for (key, v) in r {
        let issue = issues.iter().position(|i| &i.id == key);
        let event = events.iter().position(|e| &e.id == key);
        match (issue, event) {
            (Some(_), Some(_)) => ctx.err(
                Kind::Inconsistent,
                v.span(),
                format!("`{key}` is both an issue id and an event id, so this belief is ambiguous"),
                "rename the issue or the event",
            ),
            (Some(k), None) => out.frontline[k] = issue_belief(ctx, key, v, &issues[k]),
            (None, Some(e)) => {
                if let Some(h) = event_belief(ctx, key, v, &events[e], actor) {
                    out.hazard[e] = Some(h);
                }
            }
            (None, None) => unknown_belief(ctx, key, v, issues, events),
        }
    }
    out
}

/// A belief about frontline issue `issue` (`drift`, `breakthrough`); `None` if it cannot hold one.
fn issue_belief(ctx: &mut Ctx, key: &str, v: &S<raw::RawBelief>, issue: &Issue) -> Option<FrontlineBelief> {
    let b = v.get_ref();
    if issue.frontline.is_none() {
        ctx.err(
            Kind::Inconsistent,
            v.span(),
            format!("issue `{key}` has no frontline, so there is no war path to hold beliefs about"),
            "give the issue a frontline = { path = [...] }, or remove this belief",
        );
        return None;
    }
    if let Some(h) = &b.hazard {
        ctx.err(
            Kind::Inconsistent,
            h.span(),
            format!("`hazard` belongs to beliefs about events; `{key}` is an issue"),
            "give `drift` and/or `breakthrough` for a frontline issue",
        );
    }
    let bt = b.breakthrough.as_ref();
    if b.drift.is_none()
        && b.drift_sd.is_none()
        && bt.is_none_or(|b| b.probability.is_none() && b.jump.is_none() && b.strength.is_none())
    {
        ctx.warn(
            Kind::InertKey,
            v.span(),
            format!("the belief about `{key}` states nothing, so it changes nothing"),
            "give drift = ... and/or breakthrough = { probability = ..., jump = ... }, or remove it",
        );
    }
    let no_jump = issue
        .frontline
        .as_ref()
        .is_some_and(|f| matches!(f.breakthrough_jump, Dist::Fixed(j) if j == 0.0));
    if let Some(p) = bt.and_then(|b| b.probability.as_ref())
        && no_jump
        && bt.is_some_and(|b| b.jump.is_none())
    {
        ctx.warn(
            Kind::InertKey,
            p.span(),
            format!("issue `{key}` has no breakthroughs (jump 0), so a belief about their probability changes nothing"),
            "give the jump the actor expects too: breakthrough = { probability = ..., jump = ... }",
        );
    }
    let (drift_sd, breakthrough_strength) = learning_priors(ctx, key, b, issue);
    Some(FrontlineBelief {
        drift_sd,
        breakthrough_strength,
        drift: b.drift.as_ref().map(|d| ctx.num(d, Domain::Any, "drift")),
        breakthrough_probability: bt
            .and_then(|b| b.probability.as_ref())
            .map(|d| ctx.num(d, Domain::Probability, "breakthrough probability")),
        breakthrough_jump: bt
            .and_then(|b| b.jump.as_ref())
            .map(|d| ctx.num(d, Domain::Any, "breakthrough jump")),
    })
}

/// The priors that make a frontline belief learnt from the war (`docs/model.md` §9.3): the drift
/// belief's prior sd (`drift_sd`, >= 0; 0 = fixed, as without it) and the breakthrough
/// belief's prior strength (`breakthrough.strength`, > 0 pseudo-rounds).
fn learning_priors(ctx: &mut Ctx, key: &str, b: &raw::RawBelief, issue: &Issue) -> (Option<f64>, Option<f64>) {
    let drift_sd = b.drift_sd.as_ref().and_then(|v| {
        let x = *v.get_ref();
        if !((0.0..=1000.0).contains(&x)) {
            ctx.err(
                Kind::OutOfRange,
                v.span(),
                format!("drift_sd of the belief about `{key}` must be from 0 to 1000, not {x}"),
                "the prior standard deviation of the drift, in path steps per round, e.g. drift_sd = 0.05 (0 or no key: the belief is held fixed)",
            );
        }
        (x.is_finite() && x > 0.0).then_some(x)
    });
    let strength = b
        .breakthrough
        .as_ref()
        .and_then(|bt| bt.strength.as_ref())
        .and_then(|v| {
            let x = *v.get_ref();
            if !(x > 0.0 && x <= 1e6) {
                ctx.err(
                Kind::OutOfRange,
                v.span(),
                format!("the breakthrough strength of the belief about `{key}` must be > 0 and at most 1,000,000, not {x}"),
                "the prior's weight in pseudo-rounds of war, e.g. strength = 20; leave it out to hold the belief fixed",
            );
                return None;
            }
            Some(x)
        });
    if let (Some(v), Some(f)) = (&b.drift_sd, &issue.frontline)
        && matches!(f.sd, Dist::Fixed(sd) if sd == 0.0)
        && drift_sd.is_some()
    {
        ctx.warn(
            Kind::InertKey,
            v.span(),
            format!("the front of `{key}` moves without noise (sd 0), so one round of war reveals its drift exactly"),
            "that is what drift_sd does here; give the frontline an sd > 0 for gradual learning",
        );
    }
    (drift_sd, strength)
}

/// A belief about event `event`'s hazard (`None` if it has none to hold).
fn event_belief(ctx: &mut Ctx, key: &str, v: &S<raw::RawBelief>, event: &Event, actor: usize) -> Option<Dist> {
    let b = v.get_ref();
    if !matches!(event.trigger, Trigger::Hazard(_)) {
        ctx.err(
            Kind::Inconsistent,
            v.span(),
            format!("event `{key}` is scheduled at a fixed round, so it has no hazard to hold beliefs about"),
            "beliefs can only change the hazard of events declared with `hazard = ...`",
        );
        return None;
    }
    if b.drift.is_some() || b.drift_sd.is_some() || b.breakthrough.is_some() {
        ctx.err(
            Kind::Inconsistent,
            v.span(),
            format!("`{key}` is an event: only its `hazard` can be believed differently"),
            format!("write {key} = {{ hazard = 0.05 }}"),
        );
        return None;
    }
    let matters = event.effects.iter().any(|ef| match ef.target {
        Target::WarCost(i) => i == actor,
        Target::Frontline(_) => matches!(ef.change, Change::Add(_)),
        _ => false,
    });
    if !matters {
        ctx.warn(Kind::InertKey,
            v.span(),
            format!(
                "event `{key}` changes neither this actor's war cost nor a frontline, so a belief about its hazard changes nothing"
            ),
            "reservation values anticipate events through war costs and frontline moves only; remove the belief or give it to the actor whose war cost the event changes",
        );
    }
    match &b.hazard {
        Some(h) => Some(ctx.num(h, Domain::Probability, "hazard")),
        None => {
            ctx.err(
                Kind::MissingKey,
                v.span(),
                format!("the belief about event `{key}` gives no `hazard`"),
                format!("write {key} = {{ hazard = 0.05 }} (per-round probability)"),
            );
            None
        }
    }
}

/// A belief key that is neither an issue nor an event id.
fn unknown_belief(ctx: &mut Ctx, key: &str, v: &S<raw::RawBelief>, issues: &[Issue], events: &[Event]) {
    let frontline_ids: Vec<&str> = issues
        .iter()
        .filter(|i| i.frontline.is_some())
        .map(|i| i.id.as_str())
        .collect();
    let hazard_ids: Vec<&str> = events
        .iter()
        .filter(|e| matches!(e.trigger, Trigger::Hazard(_)))
        .map(|e| e.id.as_str())
        .collect();
    let known: Vec<&str> = frontline_ids.iter().chain(&hazard_ids).copied().collect();
    let hint = suggest(key, known.iter().copied())
        .map(|s| format!("did you mean `{s}`? "))
        .unwrap_or_default();
    ctx.err(
        Kind::UnknownReference,
        v.span(),
        format!("`beliefs` names `{key}`, which is neither an issue nor an event id"),
        if known.is_empty() {
            "beliefs need an issue with a frontline or an event with a hazard".to_string()
        } else {
            format!("{hint}frontline issues and hazard events: {}", known.join(", "))
        },
    );
}

/// Resolves each actor's `beliefs` (see [`beliefs`]), warning when they are empty or inert.
pub(super) fn attach_beliefs(
    ctx: &mut Ctx,
    actors: &mut [Actor],
    raw_actors: &[S<raw::RawActor>],
    issues: &[Issue],
    events: &[Event],
    anticipation: Anticipation,
) {
    for (a, ra) in actors.iter_mut().zip(raw_actors) {
        if let Some(b) = &ra.get_ref().beliefs {
            a.beliefs = beliefs(ctx, b.get_ref(), issues, events, actor_index(ctx, &a.id));
            if b.get_ref().is_empty() {
                ctx.warn(
                    Kind::InertKey,
                    b.span(),
                    format!("the beliefs of `{}` are empty and change nothing", a.id),
                    "give { issue id = { drift = ... } } or { event id = { hazard = ... } }, or remove the key",
                );
            } else if !a.beliefs.is_empty() && anticipation == Anticipation::None {
                ctx.warn(
                    Kind::InertKey,
                    b.span(),
                    format!("the beliefs of `{}` have no effect with anticipation = \"none\"", a.id),
                    "set [protocol] anticipation = \"expected-path\" so that actors look ahead along the war path",
                );
            }
        }
    }
}
