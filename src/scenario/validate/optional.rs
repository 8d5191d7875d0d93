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

/// The largest value a salience can be drawn at (saliences are clamped at 0 from below only):
/// the top of a bounded family's support, infinity for the normal and lognormal.
fn salience_upper_bound(d: &Dist) -> f64 {
    match d {
        Dist::Fixed(x) => *x,
        Dist::Uniform(_, b) | Dist::Triangular(_, _, b) | Dist::Pert(_, _, b) => *b,
        Dist::Beta(..) => 1.0,
        Dist::Normal(..) | Dist::Lognormal(..) | Dist::PerUnit(..) | Dist::Converted(..) => f64::INFINITY,
    }
}

/// `normalise_salience = false` with uncertain saliences: the draws are used as drawn, so every
/// draw must keep the sum at most 1, that is the sum of the tops of the distributions' supports
/// (the check of the plain numbers' sum, for draws). An unbounded family is refused at its entry.
pub(super) fn absolute_salience_draws(ctx: &mut Ctx, r: &raw::RawActor, salience: &[Dist]) {
    if !salience.iter().any(Dist::is_uncertain) {
        return;
    }
    let id = r.id.get_ref();
    let help = "absolute saliences are used as drawn and must sum to at most 1 in every run: give bounded distributions (uniform, triangular, pert, beta) whose largest values sum to at most 1, e.g. { uniform = [0.4, 0.6] }, or drop normalise_salience = false to have the draws normalised";
    let mut unbounded = false;
    for (key, v) in r.salience.get_ref() {
        let Some(k) = ctx.issues.iter().position(|i| i == key) else {
            continue;
        };
        if salience_upper_bound(&salience[k]).is_infinite() {
            unbounded = true;
            ctx.err(
                Kind::OutOfRange,
                v.span(),
                format!(
                    "salience of `{id}` on `{key}` is {}, unbounded above: with normalise_salience = false its draws can make the saliences sum to more than 1",
                    salience[k]
                ),
                help,
            );
        }
    }
    let top: f64 = salience.iter().map(salience_upper_bound).sum();
    if !unbounded && top > 1.0 + 1e-9 {
        ctx.err(
            Kind::OutOfRange,
            r.salience.span(),
            format!(
                "saliences of `{id}` can sum to {} (the largest values of their distributions), more than 1, with normalise_salience = false",
                super::super::number::shortest(top)
            ),
            help,
        );
    }
}
