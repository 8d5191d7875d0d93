//! `types` of an `[[actor]]`: a discrete distribution of private types (`docs/model.md` §3).

use super::*;
use crate::scenario::types::TypePoints;

/// How far the probabilities of `types` may sum from 1 (rounding in decimal fractions).
const SUM_TOL: f64 = 1e-9;

/// The actor's discrete types, checked: at least one point, each shock finite and within the
/// utility scale, each probability in [0, 1], the probabilities summing to 1, and no `noise`
/// beside them. `None` when the actor has none (or they are invalid: the errors are reported).
pub(super) fn types(ctx: &mut Ctx, r: &raw::RawActor) -> Option<TypePoints> {
    let t = r.types.as_ref()?;
    let id = r.id.get_ref();
    if let Some(n) = &r.noise {
        ctx.err(
            Kind::Inconsistent,
            n.span(),
            format!("actor `{id}` has both `noise` and `types`"),
            "give either `noise` (a uniform or logistic shock of that scale) or `types` (a discrete distribution of shocks), not both",
        );
    }
    let points = t.get_ref();
    if points.is_empty() {
        ctx.err(
            Kind::Incomplete,
            t.span(),
            format!("the `types` of `{id}` list no type"),
            "give at least one type, e.g. types = [{ shock = 0.0, p = 0.7 }, { shock = 0.1, p = 0.3 }]",
        );
        return None;
    }
    let mut ok = true;
    let mut pairs = vec![];
    for pt in points {
        let (e, p) = (*pt.get_ref().shock.get_ref(), *pt.get_ref().p.get_ref());
        if !e.is_finite() || e.abs() > domain::MAX_UTILITY {
            ok = false;
            ctx.err(
                Kind::OutOfRange,
                pt.get_ref().shock.span(),
                format!("type shock {e} is outside the utility scale [-100, 100]"),
                "a type's shock is the margin above its reservation value it needs to accept, in utility units",
            );
        }
        if !(0.0..=1.0).contains(&p) {
            ok = false;
            ctx.err(
                Kind::OutOfRange,
                pt.get_ref().p.span(),
                format!("type probability {p} is outside [0, 1]"),
                "each `p` is the probability of that type",
            );
        }
        pairs.push((e, p));
    }
    let total: f64 = pairs.iter().map(|x| x.1).sum();
    if ok && (total - 1.0).abs() > SUM_TOL {
        ok = false;
        ctx.err(
            Kind::Inconsistent,
            t.span(),
            format!(
                "the type probabilities of `{id}` sum to {}, not 1",
                crate::scenario::number::shortest(total)
            ),
            "make the `p` of its types sum to 1",
        );
    }
    if !ok {
        return None;
    }
    TypePoints::new(&pairs)
}

/// An event cannot change the `noise` of an actor with discrete `types` (its types do not scale).
pub(super) fn noise_events(ctx: &mut Ctx, raw: &RawScenario, actors: &[Actor]) {
    for e in &raw.event {
        for ef in &e.get_ref().effects {
            let f = ef.get_ref();
            let (Some(n), Some(a)) = (&f.noise, &f.actor) else {
                continue;
            };
            let id = a.get_ref();
            if actors.iter().any(|x| &x.id == id && x.types.is_some()) {
                ctx.err(
                    Kind::Inconsistent,
                    n.span(),
                    format!("actor `{id}` has discrete `types`: an event cannot change its `noise`"),
                    "remove the `noise` effect, or give the actor a `noise` scale instead of `types`",
                );
            }
        }
    }
}
