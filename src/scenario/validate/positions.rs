//! State-dependent positions (`docs/model.md` §9.2): the `when` lists of red lines and ratifiers
//! and the actors' `utility_when`.

use super::*;
use crate::scenario::positions::{Condition, PositionRules, RawCondition};

/// The value key a target's conditions set.
#[derive(Clone, Copy, PartialEq)]
enum Value {
    Binding,
    Intercept,
    Utility,
}

impl Value {
    fn key(self) -> &'static str {
        match self {
            Value::Binding => "binding",
            Value::Intercept => "intercept",
            Value::Utility => "utility",
        }
    }
    fn target(self) -> &'static str {
        match self {
            Value::Binding => "a red line's `when`",
            Value::Intercept => "a ratifier's `pass.when`",
            Value::Utility => "`utility_when`",
        }
    }
}

/// Every `when` list of the scenario, checked (empty when none is declared).
pub(super) fn position_rules(ctx: &mut Ctx, raw: &RawScenario, issues: &[Issue], events: &[Event]) -> PositionRules {
    let mut rules = PositionRules::default();
    for (i, a) in raw.actor.iter().enumerate() {
        for (l, line) in a.get_ref().red_lines.iter().enumerate() {
            let when = &line.get_ref().when;
            if !when.is_empty() {
                let c = conditions(ctx, when, Value::Binding, issues, events);
                rules.red_lines.push((i, l, c));
            }
        }
        for u in &a.get_ref().utility_when {
            let u = u.get_ref();
            let Some((k, o)) = ctx.any_option(&u.option) else {
                continue;
            };
            if issues[k].divisible.is_some() {
                ctx.err(
                    Kind::Inconsistent,
                    u.option.span(),
                    format!(
                        "`{}` belongs to a divisible issue, which has no option utilities",
                        u.option.get_ref()
                    ),
                    "utility_when names an option of an ordinal issue",
                );
                continue;
            }
            if u.when.is_empty() {
                ctx.err(
                    Kind::Incomplete,
                    u.option.span(),
                    format!("utility_when for `{}` has an empty `when` list", u.option.get_ref()),
                    "give at least one condition, e.g. when = [{ rounds_of_war = 12, utility = 0.4 }], or remove the entry",
                );
            }
            let c = conditions(ctx, &u.when, Value::Utility, issues, events);
            rules.utilities.push((i, k, o, c));
        }
    }
    for (j, r) in raw.ratifier.iter().enumerate() {
        let when = &r.get_ref().pass.get_ref().when;
        if !when.is_empty() {
            let c = conditions(ctx, when, Value::Intercept, issues, events);
            rules.ratifiers.push((j, c));
        }
    }
    rules
}

fn conditions(
    ctx: &mut Ctx,
    when: &[S<RawCondition>],
    want: Value,
    issues: &[Issue],
    events: &[Event],
) -> Vec<Condition> {
    when.iter()
        .filter_map(|c| condition(ctx, c, want, issues, events))
        .collect()
}

fn condition(ctx: &mut Ctx, c: &S<RawCondition>, want: Value, issues: &[Issue], events: &[Event]) -> Option<Condition> {
    let r = c.get_ref();
    let mut ok = true;
    // the value: exactly the target's key
    for (v, given) in [
        (Value::Binding, r.binding.as_ref()),
        (Value::Intercept, r.intercept.as_ref()),
        (Value::Utility, r.utility.as_ref()),
    ] {
        if let Some(x) = given
            && v != want
        {
            ctx.err(
                Kind::Inconsistent,
                x.span(),
                format!(
                    "`{}` in {}: this condition sets `{}`",
                    v.key(),
                    want.target(),
                    want.key()
                ),
                format!(
                    "write {} = ... (the value the target takes while the condition holds)",
                    want.key()
                ),
            );
            ok = false;
        }
    }
    let value = match want {
        Value::Binding => r.binding.as_ref(),
        Value::Intercept => r.intercept.as_ref(),
        Value::Utility => r.utility.as_ref(),
    };
    let value = match value {
        Some(x) => {
            let v = *x.get_ref();
            let bad = !v.is_finite() || (want == Value::Binding && !(0.0..=1.0).contains(&v));
            if bad {
                let domain = if want == Value::Binding {
                    "a probability in [0, 1]"
                } else {
                    "a finite number"
                };
                ctx.err(
                    Kind::OutOfRange,
                    x.span(),
                    format!("`{}` = {v} is outside its domain", want.key()),
                    format!("use {domain}"),
                );
                ok = false;
            }
            v
        }
        None if !ok => 0.0,
        None => {
            ctx.err(
                Kind::MissingKey,
                c.span(),
                format!("a condition in {} gives no `{}`", want.target(), want.key()),
                format!(
                    "add {} = ..., the value while the condition holds, e.g. {{ rounds_of_war = 12, {} = {} }}",
                    want.key(),
                    want.key(),
                    if want == Value::Binding { "0.3" } else { "0.5" }
                ),
            );
            ok = false;
            0.0
        }
    };
    // the facts
    if r.front.is_none() && r.beyond.is_none() && r.rounds_of_war.is_none() && r.event.is_none() {
        ctx.err(
            Kind::Incomplete,
            c.span(),
            "a condition names no fact about the war",
            "give `front` with `beyond`, `rounds_of_war` or `event` (all given must hold)",
        );
        ok = false;
    }
    let front = match (&r.front, &r.beyond) {
        (None, None) => None,
        (Some(f), None) => {
            ctx.err(
                Kind::MissingKey,
                f.span(),
                "`front` without `beyond`",
                "add beyond = \"<option id on the front's path>\": the condition holds once the front has reached it",
            );
            ok = false;
            None
        }
        (None, Some(b)) => {
            ctx.err(
                Kind::MissingKey,
                b.span(),
                "`beyond` without `front`",
                "add front = \"<issue id with a frontline>\"",
            );
            ok = false;
            None
        }
        (Some(f), Some(b)) => {
            let place = ctx.issue(f).and_then(|k| match &issues[k].frontline {
                None => {
                    ctx.err(
                        Kind::Inconsistent,
                        f.span(),
                        format!("issue `{}` has no frontline", f.get_ref()),
                        "a front condition looks at an issue with `frontline = { path = [...], ... }`",
                    );
                    None
                }
                Some(fl) => {
                    let o = ctx.option(k, b)?;
                    match fl.path.iter().position(|&p| p == o) {
                        Some(place) => Some((k, place)),
                        None => {
                            let path: Vec<&str> = fl.path.iter().map(|&p| issues[k].options[p].id.as_str()).collect();
                            ctx.err(
                                Kind::Inconsistent,
                                b.span(),
                                format!("`{}` is not on the frontline's path of `{}`", b.get_ref(), f.get_ref()),
                                format!("name an option on the path: {}", path.join(", ")),
                            );
                            None
                        }
                    }
                }
            });
            ok &= place.is_some();
            place
        }
    };
    let rounds_of_war = r.rounds_of_war.as_ref().and_then(|n| {
        let v = *n.get_ref();
        if v < 1 {
            ctx.err(
                Kind::OutOfRange,
                n.span(),
                format!("rounds_of_war = {v} must be at least 1"),
                "the number of rounds of war after which the condition holds (a condition that always holds is the base value)",
            );
            ok = false;
            return None;
        }
        Some(v as usize)
    });
    let event = r.event.as_ref().and_then(|e| {
        let found = events.iter().position(|x| &x.id == e.get_ref());
        if found.is_none() {
            let ids: Vec<&str> = events.iter().map(|x| x.id.as_str()).collect();
            let hint = suggest(e.get_ref(), ids.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let known = if ids.is_empty() {
                "this scenario declares none".to_string()
            } else {
                format!("known: {}", ids.join(", "))
            };
            ctx.err(
                Kind::UnknownReference,
                e.span(),
                format!("unknown event `{}`{hint}", e.get_ref()),
                format!("events are declared with [[event]] id = \"...\"; {known}"),
            );
            ok = false;
        }
        found
    });
    ok.then_some(Condition {
        front,
        rounds_of_war,
        event,
        value,
    })
}
