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
    for (key, v) in r {
        let b = v.get_ref();
        let issue = issues.iter().position(|i| &i.id == key);
        let event = events.iter().position(|e| &e.id == key);
        match (issue, event) {
            (Some(_), Some(_)) => ctx.err(
                v.span(),
                format!("`{key}` is both an issue id and an event id, so this belief is ambiguous"),
                "rename the issue or the event",
            ),
            (Some(k), None) => {
                if issues[k].frontline.is_none() {
                    ctx.err(
                        v.span(),
                        format!("issue `{key}` has no frontline, so there is no war path to hold beliefs about"),
                        "give the issue a frontline = { path = [...] }, or remove this belief",
                    );
                    continue;
                }
                if let Some(h) = &b.hazard {
                    ctx.err(
                        h.span(),
                        format!("`hazard` belongs to beliefs about events; `{key}` is an issue"),
                        "give `drift` and/or `breakthrough` for a frontline issue",
                    );
                }
                let bt = b.breakthrough.as_ref();
                if b.drift.is_none() && bt.is_none_or(|b| b.probability.is_none() && b.jump.is_none()) {
                    ctx.warn(
                        v.span(),
                        format!("the belief about `{key}` states nothing, so it changes nothing"),
                        "give drift = ... and/or breakthrough = { probability = ..., jump = ... }, or remove it",
                    );
                }
                let no_jump = issues[k]
                    .frontline
                    .as_ref()
                    .is_some_and(|f| matches!(f.breakthrough_jump, Dist::Fixed(j) if j == 0.0));
                if let Some(p) = bt.and_then(|b| b.probability.as_ref())
                    && no_jump
                    && bt.is_some_and(|b| b.jump.is_none())
                {
                    ctx.warn(
                        p.span(),
                        format!("issue `{key}` has no breakthroughs (jump 0), so a belief about their probability changes nothing"),
                        "give the jump the actor expects too: breakthrough = { probability = ..., jump = ... }",
                    );
                }
                out.frontline[k] = Some(FrontlineBelief {
                    drift: b.drift.as_ref().map(|d| ctx.num(d, Domain::Any, "drift")),
                    breakthrough_probability: bt
                        .and_then(|b| b.probability.as_ref())
                        .map(|d| ctx.num(d, Domain::Probability, "breakthrough probability")),
                    breakthrough_jump: bt
                        .and_then(|b| b.jump.as_ref())
                        .map(|d| ctx.num(d, Domain::Any, "breakthrough jump")),
                });
            }
            (None, Some(e)) => {
                if !matches!(events[e].trigger, Trigger::Hazard(_)) {
                    ctx.err(
                        v.span(),
                        format!(
                            "event `{key}` is scheduled at a fixed round, so it has no hazard to hold beliefs about"
                        ),
                        "beliefs can only change the hazard of events declared with `hazard = ...`",
                    );
                    continue;
                }
                if b.drift.is_some() || b.breakthrough.is_some() {
                    ctx.err(
                        v.span(),
                        format!("`{key}` is an event: only its `hazard` can be believed differently"),
                        format!("write {key} = {{ hazard = 0.05 }}"),
                    );
                    continue;
                }
                let matters = events[e].effects.iter().any(|ef| match ef.target {
                    Target::WarCost(i) => i == actor,
                    Target::Frontline(_) => matches!(ef.change, Change::Add(_)),
                    _ => false,
                });
                if !matters {
                    ctx.warn(
                        v.span(),
                        format!(
                            "event `{key}` changes neither this actor's war cost nor a frontline, so a belief about its hazard changes nothing"
                        ),
                        "reservation values anticipate events through war costs and frontline moves only; remove the belief or give it to the actor whose war cost the event changes",
                    );
                }
                match &b.hazard {
                    Some(h) => out.hazard[e] = Some(ctx.num(h, Domain::Probability, "hazard")),
                    None => ctx.err(
                        v.span(),
                        format!("the belief about event `{key}` gives no `hazard`"),
                        format!("write {key} = {{ hazard = 0.05 }} (per-round probability)"),
                    ),
                }
            }
            (None, None) => {
                let known: Vec<&str> = frontline_ids.iter().chain(&hazard_ids).copied().collect();
                let hint = suggest(key, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                ctx.err(
                    v.span(),
                    format!("`beliefs` names `{key}`, which is neither an issue nor an event id"),
                    if known.is_empty() {
                        "beliefs need an issue with a frontline or an event with a hazard".to_string()
                    } else {
                        format!("{hint}frontline issues and hazard events: {}", known.join(", "))
                    },
                );
            }
        }
    }
    out
}
