//! `[[event]]`: shocks, their triggers and effects.

use super::*;

pub(super) fn change(ctx: &mut Ctx, c: &S<raw::RawChange>, dom: Domain, what: &str) -> Option<Change> {
    let r = c.get_ref();
    match (&r.add, &r.set) {
        (Some(a), None) => Some(Change::Add(ctx.num(a, Domain::Any, what))),
        (None, Some(s)) => Some(Change::Set(ctx.num(s, dom, what))),
        _ => {
            ctx.err(
                Kind::MissingKey,
                c.span(),
                format!("`{what}` needs exactly one of `add` or `set`"),
                format!("write {what} = {{ add = 0.004 }} or {what} = {{ set = 0.01 }}"),
            );
            None
        }
    }
}

pub(super) fn event(ctx: &mut Ctx, e: &S<raw::RawEvent>, issues: &[Issue], horizon: usize) -> Event {
    let r = e.get_ref();
    let trigger = trigger(ctx, e, horizon);
    let mut effects = vec![];
    for ef in &r.effects {
        effect(ctx, ef, issues, &mut effects);
    }
    let duration = r.duration.as_ref().map(|d| {
        if *d.get_ref() < 1 {
            ctx.err(
                Kind::OutOfRange,
                d.span(),
                "duration must be >= 1 round",
                "omit it for the rest of the run",
            );
        }
        (*d.get_ref()).max(1) as usize
    });
    Event {
        id: r.id.get_ref().clone(),
        name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        trigger,
        duration,
        repeat: r.repeat,
        effects,
    }
}

/// `hazard` (a per-round probability) or `at_round` (a round from 0), exactly one.
fn trigger(ctx: &mut Ctx, e: &S<raw::RawEvent>, horizon: usize) -> Trigger {
    let r = e.get_ref();
    match (&r.hazard, &r.at_round) {
        (Some(h), None) => Trigger::Hazard(ctx.num(h, Domain::Probability, "hazard")),
        (None, Some(t)) if *t.get_ref() >= 0 => {
            if *t.get_ref() as usize >= horizon {
                ctx.warn(
                    Kind::InertKey,
                    t.span(),
                    format!(
                        "event `{}` is scheduled at round {}, but the horizon ends after round {}: it never fires",
                        r.id.get_ref(),
                        t.get_ref(),
                        horizon.saturating_sub(1)
                    ),
                    "rounds count from 0; schedule it within the horizon or raise `horizon`",
                );
            }
            Trigger::AtRound(*t.get_ref() as usize)
        }
        _ => {
            ctx.err(
                Kind::MissingKey,
                e.span(),
                format!(
                    "event `{}` needs exactly one of `hazard` (per round) or `at_round` (>= 0)",
                    r.id.get_ref()
                ),
                "e.g. hazard = 0.1, or at_round = 6",
            );
            Trigger::AtRound(usize::MAX)
        }
    }
}

/// One `effects` entry: the parameter it changes and how, pushed onto `effects` if valid.
fn effect(ctx: &mut Ctx, ef: &S<raw::RawEffect>, issues: &[Issue], effects: &mut Vec<Effect>) {
    let f = ef.get_ref();
    let actor = f.actor.as_ref().and_then(|a| ctx.actor(a));
    let issue = f.issue.as_ref().and_then(|i| ctx.issue(i));
    let mut add = |target: Target, c: &S<raw::RawChange>, dom: Domain, what: &str, ctx: &mut Ctx| {
        if let Some(change) = change(ctx, c, dom, what) {
            effects.push(Effect { target, change });
        }
    };
    let need_actor = |ctx: &mut Ctx, what: &str| {
        if f.actor.is_none() {
            ctx.err(
                Kind::MissingKey,
                ef.span(),
                format!("a `{what}` effect needs `actor = \"...\"`"),
                "name the actor whose parameter changes",
            );
        }
    };
    let mut any = false;
    for (what, c, dom, mk) in [
        (
            "war_cost",
            &f.war_cost,
            Domain::Any,
            Target::WarCost as fn(usize) -> Target,
        ),
        ("discount", &f.discount, Domain::Discount, Target::Discount),
        ("recognition", &f.recognition, Domain::NonNegative, Target::Recognition),
        ("noise", &f.noise, Domain::NonNegative, Target::Noise),
        (
            "agreement_bonus",
            &f.agreement_bonus,
            Domain::Any,
            Target::AgreementBonus,
        ),
    ] {
        if let Some(c) = c {
            any = true;
            need_actor(ctx, what);
            if let Some(a) = actor {
                add(mk(a), c, dom, what, ctx);
            }
        }
    }
    if let Some(c) = &f.utility {
        any = true;
        match (actor, issue, &f.option) {
            (Some(a), Some(i), Some(o)) => {
                if let Some(o) = ctx.option(i, o) {
                    add(Target::Utility(a, i, o), c, Domain::Any, "utility", ctx);
                }
            }
            _ => ctx.err(
                Kind::MissingKey,
                ef.span(),
                "a `utility` effect needs `actor`, `issue` and `option`",
                "e.g. { actor = \"UA\", issue = \"guarantees\", option = \"G4\", utility = { add = 0.1 } }",
            ),
        }
    }
    if let Some(c) = &f.frontline {
        any = true;
        match issue {
            Some(i) if issues[i].frontline.is_some() => add(Target::Frontline(i), c, Domain::Any, "frontline", ctx),
            Some(i) => ctx.err(
                Kind::Inconsistent,
                c.span(),
                format!("issue `{}` has no frontline to move", issues[i].id),
                "declare frontline = { path = [...] } on the issue, or remove this effect",
            ),
            None => ctx.err(
                Kind::MissingKey,
                ef.span(),
                "a `frontline` effect needs `issue = \"...\"`",
                "name the issue whose frontline moves",
            ),
        }
    }
    if !any {
        ctx.err(
            Kind::Incomplete,
            ef.span(),
            "this effect changes nothing",
            "give one of war_cost, discount, recognition, noise, utility, frontline or agreement_bonus",
        );
    }
}
