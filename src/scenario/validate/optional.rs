//! The `[scenario]` and `[[actor]]` keys a negotiation without a war or a calendar may leave out
//! (`as_of`, `round_length`, `discount`), and what then needs them: each use is a located error
//! naming the missing key. Times and rates written in calendar units are checked where they are
//! converted (`super::super::units`).

use super::*;

/// Sections that speak in calendar time need `round_length` (and the dated ones `as_of`):
/// `[durability]` (times in years), `[ceasefire]` (its collapse hazard is per year), each
/// `[[question]]` (deadlines and market prices are dated) and `[backtest]`.
pub(super) fn calendar_sections(ctx: &mut Ctx, raw: &RawScenario) {
    let meta = raw.scenario.get_ref();
    let (dated, timed) = (meta.as_of.is_some(), meta.round_length.is_some());
    let mut need = |span: std::ops::Range<usize>, what: &str, date_too: bool| {
        if !timed {
            ctx.diags
                .push(super::super::units::no_round_length(span.clone(), what, ""));
        }
        if date_too && !dated {
            ctx.diags.push(super::super::units::no_as_of(span, what, ""));
        }
    };
    if let Some(d) = &raw.durability {
        need(d.span(), "[durability] states times in years", false);
    }
    if let Some(c) = &raw.ceasefire {
        need(c.span(), "[ceasefire] has a collapse hazard per year", false);
    }
    for q in &raw.question {
        need(
            q.span(),
            "a [[question]] is asked at a date (its deadline and market prices count from as_of)",
            true,
        );
    }
    if let Some(b) = &raw.backtest {
        need(b.span(), "[backtest] is written at a date", true);
    }
}

/// An actor without `discount` has δ = 1 (no discounting). Then, unless something else makes
/// waiting costly (a `deadline`, a `breakdown` probability, or its own war cost per round),
/// agreeing later is worth exactly as much as agreeing now, never agreeing is never worse than a
/// deal, and a reservation value never enters its choices (its flow `(1 − δ)·r` is 0): an error
/// at the actor, not a silent default.
pub(super) fn default_discount(ctx: &mut Ctx, raw: &[S<raw::RawActor>], actors: &[Actor], protocol: &Protocol) {
    let protocol_cost = protocol.deadline.is_some() || protocol.breakdown.mean() > 0.0;
    for (r, a) in raw.iter().zip(actors) {
        if r.get_ref().discount.is_some() || protocol_cost || a.war_cost.mean() > 0.0 {
            continue;
        }
        ctx.err(
            Kind::MissingKey,
            r.span(),
            format!(
                "actor `{}` has no discount (so δ = 1) and nothing makes waiting costly: without a deadline, a breakdown probability or a war cost, a deal later is worth as much to it as a deal now",
                a.id
            ),
            "give discount = 0.95 (per round), or add to [protocol] a deadline = 20 (rounds) or a breakdown = 0.05 (probability per round)",
        );
    }
}
