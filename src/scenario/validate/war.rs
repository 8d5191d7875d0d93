//! `[war]`: the decisive-war lottery of a breakdown.

use super::*;
use std::collections::BTreeMap;

/// `[war]`: the decisive-war lottery of a breakdown.
pub(super) fn war(ctx: &mut Ctx, w: &S<raw::RawWar>, raw_actors: &[S<raw::RawActor>]) -> War {
    let r = w.get_ref();
    let n = ctx.actors.len();
    for a in raw_actors {
        if let Some(b) = &a.get_ref().breakdown_value {
            ctx.err(
                Kind::Inconsistent,
                b.span(),
                format!(
                    "`{}` sets breakdown_value, but [war] makes the breakdown value the war lottery",
                    a.get_ref().id.get_ref()
                ),
                "remove breakdown_value (the lottery sets it), or remove [war]",
            );
        }
    }
    let win_probability = win_probabilities(ctx, &r.win_probability);
    let mut cost = vec![Dist::Fixed(0.0); n];
    for (id, v) in &r.cost {
        match ctx.actors.iter().position(|a| a == id) {
            Some(i) => cost[i] = ctx.num(v, Domain::NonNegative, "cost"),
            None => ctx.err(
                Kind::UnknownReference,
                v.span(),
                format!("[war] cost names unknown actor `{id}`"),
                format!("keys are actor ids: {}", ctx.actors.join(", ")),
            ),
        }
    }
    let shift = r.shift.as_ref().and_then(|sh| {
        let round = *sh.get_ref().round.get_ref();
        if round < 1 {
            ctx.err(
                Kind::OutOfRange,
                sh.get_ref().round.span(),
                format!("shift round = {round} must be at least 1"),
                "the first round (0-based) with the new balance of power",
            );
            return None;
        }
        Some((round as usize, win_probabilities(ctx, &sh.get_ref().win_probability)))
    });
    War {
        win_probability,
        cost,
        shift,
    }
}

/// `win_probability`: per actor id, summing to at most 1; with two actors, one may be left out
/// (it is 1 minus the other's, if that is certain).
fn win_probabilities(ctx: &mut Ctx, t: &S<BTreeMap<String, S<Dist>>>) -> Vec<Dist> {
    let n = ctx.actors.len();
    let mut p: Vec<Option<Dist>> = vec![None; n];
    for (id, v) in t.get_ref() {
        match ctx.actors.iter().position(|a| a == id) {
            Some(i) => p[i] = Some(ctx.num(v, Domain::Probability, "win_probability")),
            None => ctx.err(
                Kind::UnknownReference,
                v.span(),
                format!("win_probability names unknown actor `{id}`"),
                format!("keys are actor ids: {}", ctx.actors.join(", ")),
            ),
        }
    }
    let total: f64 = p.iter().flatten().map(Dist::mean).sum();
    if total > 1.0 + 1e-9 {
        ctx.err(
            Kind::OutOfRange,
            t.span(),
            format!(
                "win probabilities sum to {}, more than 1",
                super::super::number::shortest(total)
            ),
            "each is the probability that this actor wins the war; the rest (if any) is a stalemate",
        );
    }
    let missing: Vec<usize> = (0..n).filter(|&i| p[i].is_none()).collect();
    if n == 2 && missing.len() == 1 {
        let fixed = p.iter().flatten().all(|d| !d.is_uncertain());
        let other = 1 - missing[0];
        p[missing[0]] = Some(if fixed {
            Dist::Fixed(1.0 - p[other].as_ref().map_or(0.0, Dist::mean))
        } else {
            ctx.err(
                Kind::MissingKey,
                t.span(),
                "an uncertain win probability needs the other side's given too",
                "give both actors' win probabilities (they may be uncertain)",
            );
            Dist::Fixed(0.0)
        });
    }
    p.into_iter().map(|d| d.unwrap_or(Dist::Fixed(0.0))).collect()
}
