//! Cross-table warnings: keys that are accepted but change nothing, and `price_durability`.

use super::*;

/// `price_durability` needs `[durability]`; a `renewed_war_loss` without it is inert, and one far
/// beyond the utility scale is suspicious.
pub(super) fn price_durability_checks(
    ctx: &mut Ctx,
    p: Option<&raw::RawProtocol>,
    raw_actors: &[S<raw::RawActor>],
    actors: &[Actor],
    has_durability: bool,
) {
    let flag = p.and_then(|p| p.price_durability.as_ref());
    let on = flag.is_some_and(|f| *f.get_ref());
    if let Some(f) = flag
        && on
        && !has_durability
    {
        ctx.err(
            Kind::MissingKey,
            f.span(),
            "price_durability = true needs a [durability] model to give each package's probability of renewed war",
            "add a [durability] block (model, shape, baseline), or set price_durability = false",
        );
    }
    for (ra, a) in raw_actors.iter().zip(actors) {
        let Some(l) = &ra.get_ref().renewed_war_loss else {
            continue;
        };
        let loss = a.renewed_war_loss.mean();
        if loss > 2.0 {
            ctx.warn(
                Kind::Suspicious,
                l.span(),
                format!(
                    "the renewed_war_loss of `{}` is more than twice the whole utility scale",
                    a.id
                ),
                "utilities span about 1 from an actor's worst to its best settlement; state the loss on that scale",
            );
        }
        if !on && loss > 0.0 {
            ctx.warn(
                Kind::InertKey,
                l.span(),
                format!(
                    "the renewed_war_loss of `{}` has no effect without price_durability",
                    a.id
                ),
                "set [protocol] price_durability = true to price durability into peace values",
            );
        }
    }
}

/// Warnings for keys of the newer features that are accepted but change nothing.
pub(super) fn inert_keys(
    ctx: &mut Ctx,
    raw: &RawScenario,
    issues: &[Issue],
    protocol: &Protocol,
    meta: &Meta,
    durability: Option<&Durability>,
) {
    if let (Some(d), Some(p)) = (protocol.deadline, raw.protocol.as_ref())
        && d > meta.horizon
        && let Some(span) = p.deadline.as_ref().map(S::span)
    {
        ctx.warn(Kind::Suspicious,
            span,
            format!("deadline = {d} is beyond the horizon of {} rounds", meta.horizon),
            "runs end at the horizon first (no agreement); the deadline still shapes offers by backward induction. Lower it, or raise horizon",
        );
    }
    if let Some(w) = &raw.war
        && matches!(protocol.breakdown, Dist::Fixed(x) if x == 0.0)
        && protocol.deadline.is_none()
        && raw.actor.iter().all(|a| a.get_ref().outside_option.is_none())
    {
        ctx.warn(
            Kind::InertKey,
            w.span(),
            "[war] sets the breakdown values, but talks never break down (breakdown = 0, no deadline)",
            "set [protocol] breakdown (1 = a rejection means war, as in Fearon 1995), or a deadline",
        );
    }
    unshared_divisible(ctx, raw, issues);
    if durability.is_none_or(|d| d.band.is_none()) {
        for (k, issue) in raw.issue.iter().enumerate() {
            for o in &issue.get_ref().options {
                if let Some(w) = &o.get_ref().band_widening {
                    ctx.warn(
                        Kind::InertKey,
                        w.span(),
                        format!(
                            "band_widening on `{}` has no effect without [durability] model = \"band\"",
                            o.get_ref().id.get_ref()
                        ),
                        if issues.get(k).is_some() {
                            "use hazard_ratio with the Weibull model, or switch to the band model"
                        } else {
                            "remove it"
                        },
                    );
                }
            }
        }
    }
}

/// Curvature and salience for a divisible issue that the actor does not share change nothing.
fn unshared_divisible(ctx: &mut Ctx, raw: &RawScenario, issues: &[Issue]) {
    for a in &raw.actor {
        let a = a.get_ref();
        let Some(i) = ctx.actors.iter().position(|x| x == a.id.get_ref()) else {
            continue;
        };
        let shares = |k: usize| issues[k].divisible.as_ref().is_none_or(|m| m.contains(&i));
        for (key, v) in &a.curvature {
            if let Some(k) = ctx.issues.iter().position(|x| x == key)
                && !shares(k)
            {
                ctx.warn(
                    Kind::InertKey,
                    v.span(),
                    format!(
                        "`{}` does not share divisible issue `{key}`; its curvature changes nothing",
                        a.id.get_ref()
                    ),
                    format!("add it to the issue's between/among list, or remove curvature.{key}"),
                );
            }
        }
        for (key, v) in a.salience.get_ref() {
            if let Some(k) = ctx.issues.iter().position(|x| x == key)
                && !shares(k)
                && v.get_ref().mean() > 0.0
            {
                ctx.warn(Kind::InertKey,
                    v.span(),
                    format!(
                        "`{}` gives salience to divisible issue `{key}` but does not share it: that weight is worth nothing to it in any package",
                        a.id.get_ref()
                    ),
                    format!("add it to the issue's between/among list, or set salience.{key} = 0"),
                );
            }
        }
    }
}
