//! `[protocol]`: the bargaining rules, and the Markov recognition table.

use super::*;

pub(super) fn protocol(
    ctx: &mut Ctx,
    p: Option<&raw::RawProtocol>,
    actors: &[Actor],
    meta: &S<raw::RawMeta>,
) -> Protocol {
    let mut out = Protocol {
        recognition: Recognition::Weighted,
        quota: Quota::Unanimity,
        breakdown: Dist::Fixed(0.0),
        temperature: 0.01,
        anticipation: Anticipation::ExpectedPath,
        private_types: TypeMode::Persistent,
        price_durability: false,
        deadline: None,
        acceptance_noise: NoiseFamily::Uniform,
        solver_tolerance: 1e-10,
        selection: Selection::Traced,
    };
    let Some(p) = p else { return out };
    out.price_durability = p.price_durability.as_ref().is_some_and(|b| *b.get_ref());
    if let Some(r) = &p.recognition {
        out.recognition = recognition(ctx, p, r);
    }
    if let Some(q) = &p.quota {
        out.quota = quota(ctx, q, actors.len());
    }
    if let Some(b) = &p.breakdown {
        out.breakdown = ctx.num(b, Domain::Probability, "breakdown");
    }
    if let Some(t) = temperature_key(ctx, p) {
        let t0 = *t.get_ref();
        if !(t0.is_finite() && t0 >= 0.0) {
            ctx.err(
                Kind::OutOfRange,
                t.span(),
                format!("temperature = {t0} must be >= 0"),
                "a logit temperature in utility units, e.g. 0.01; 0 = exact best response",
            );
        } else if t0 != 0.0 && !(MIN_TEMPERATURE..=MAX_TEMPERATURE).contains(&t0) {
            ctx.err(
                Kind::OutOfRange,
                t.span(),
                format!("temperature = {t0:e} is outside its valid range"),
                format!("use 0 (exact best responses) or a number from {MIN_TEMPERATURE:e} to {MAX_TEMPERATURE}, e.g. 0.01: below {MIN_TEMPERATURE:e} the equilibrium cannot be traced (runs would stop unconverged; near it, some scenarios already do)"),
            );
        } else {
            out.temperature = t0;
        }
    }
    if let Some(a) = &p.anticipation {
        out.anticipation = anticipation(ctx, a);
    }
    if let Some(t) = &p.tolerance {
        out.solver_tolerance = super::tolerance::tolerance(ctx, t).unwrap_or(out.solver_tolerance);
    }
    if let Some(a) = &p.private_types {
        out.private_types = private_types(ctx, a);
    }
    if let Some(a) = &p.selection {
        out.selection = selection(ctx, a);
    }
    if let Some(t) = &p.transition
        && !matches!(out.recognition, Recognition::Markov(..))
    {
        ctx.err(
            Kind::Inconsistent,
            t.span(),
            "`transition` is given but recognition is not \"markov\"",
            "set recognition = \"markov\", or remove transition",
        );
    }
    if let Some(d) = &p.deadline {
        let v = *d.get_ref();
        if v >= 1 {
            out.deadline = Some(v as usize);
        } else {
            ctx.err(
                Kind::OutOfRange,
                d.span(),
                format!("deadline = {v} must be at least 1 round"),
                "the number of rounds after which talks end, e.g. deadline = 10; omit for no deadline",
            );
        }
    }
    if let Some(a) = &p.acceptance_noise {
        out.acceptance_noise = acceptance_noise(ctx, a);
    }
    if let (Some(sel), Some(_)) = (&p.selection, out.deadline) {
        ctx.warn(
            Kind::InertKey,
            sel.span(),
            "`selection` has no effect with a `deadline`: every round's values come from backward induction from the deadline, which has one answer",
            "remove `selection`, or the deadline if the talks have none",
        );
    }
    no_proposer(ctx, actors, meta);
    out
}

/// `recognition = "markov"` with `[protocol.transition]`: rows keyed by the current proposer.
pub(super) fn markov(ctx: &mut Ctx, p: &raw::RawProtocol, span: std::ops::Range<usize>) -> Recognition {
    let Some(t) = &p.transition else {
        ctx.err(
            Kind::MissingKey,
            span,
            "recognition = \"markov\" needs a transition table",
            "add [protocol.transition] with one row per proposer, e.g. A = { B = 1.0 } and B = { A = 1.0 }",
        );
        return Recognition::Weighted;
    };
    type Row = (usize, Vec<(usize, f64)>, std::ops::Range<usize>);
    let mut rows: Vec<Row> = vec![];
    for (from, row) in t.get_ref() {
        let Some(i) = ctx.actors.iter().position(|a| a == from) else {
            ctx.err(
                Kind::UnknownReference,
                row.span(),
                format!("transition row `{from}` is not an actor id"),
                format!("rows are keyed by actor ids: {}", ctx.actors.join(", ")),
            );
            continue;
        };
        let mut entries = vec![];
        for (to, v) in row.get_ref() {
            let x = *v.get_ref();
            match ctx.actors.iter().position(|a| a == to) {
                None => ctx.err(
                    Kind::UnknownReference,
                    v.span(),
                    format!("transition entry `{to}` is not an actor id"),
                    format!("entries are keyed by actor ids: {}", ctx.actors.join(", ")),
                ),
                Some(_) if !(0.0..=1.0).contains(&x) => ctx.err(
                    Kind::OutOfRange,
                    v.span(),
                    format!("transition probability {x} is outside [0, 1]"),
                    "each entry is the probability that this actor proposes next",
                ),
                Some(j) => entries.push((j, x)),
            }
        }
        let total: f64 = entries.iter().map(|e| e.1).sum();
        if (total - 1.0).abs() > 1e-9 {
            ctx.err(
                Kind::Inconsistent,
                row.span(),
                format!("the transition row of `{from}` sums to {total}, not 1"),
                "give the probabilities of who proposes next after this actor; they must sum to 1",
            );
        }
        rows.push((i, entries, row.span()));
    }
    rows.sort_by_key(|r| r.0);
    let order: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let ns = order.len();
    let mut m = vec![0.0; ns * ns];
    for (a, (_, entries, span)) in rows.iter().enumerate() {
        for &(j, x) in entries {
            match order.iter().position(|&o| o == j) {
                Some(b) => m[a * ns + b] = x,
                None if x > 0.0 => ctx.err(
                    Kind::Inconsistent,
                    span.clone(),
                    format!(
                        "the transition row leads to `{}`, which has no row of its own",
                        ctx.actors[j]
                    ),
                    "give every actor that can propose its own row",
                ),
                None => {}
            }
        }
    }
    if order.is_empty() {
        ctx.err(
            Kind::Incomplete,
            t.span(),
            "the transition table is empty",
            "give one row per proposer",
        );
        return Recognition::Weighted;
    }
    Recognition::Markov(order, m)
}

/// `recognition`: a rule name or an order of actor ids.
fn recognition(ctx: &mut Ctx, p: &raw::RawProtocol, r: &S<toml::Value>) -> Recognition {
    match r.get_ref() {
        toml::Value::String(s) if s == "weighted" => Recognition::Weighted,
        toml::Value::String(s) if s == "alternating" => Recognition::Alternating,
        toml::Value::String(s) if s == "markov" => markov(ctx, p, r.span()),
        toml::Value::Array(items) => {
            let mut order = vec![];
            for it in items {
                match it.as_str().and_then(|s| ctx.actors.iter().position(|a| a == s)) {
                    Some(k) => order.push(k),
                    None => ctx.err(
                        Kind::UnknownReference,
                        r.span(),
                        format!("recognition order names `{it}`, which is not an actor id"),
                        format!("list actor ids; known: {}", ctx.actors.join(", ")),
                    ),
                }
            }
            if order.is_empty() {
                ctx.err(
                    Kind::Incomplete,
                    r.span(),
                    "the recognition order is empty",
                    "list actor ids in proposing order, e.g. [\"A\", \"B\"]",
                );
            }
            Recognition::Order(order)
        }
        other => {
            ctx.err(
                Kind::UnknownValue,
                r.span(),
                format!("unknown recognition rule {other}"),
                "use \"weighted\", \"alternating\", \"markov\" (with [protocol.transition]) or a list of actor ids",
            );
            Recognition::Weighted
        }
    }
}

/// `quota`: "unanimity" or a number of votes from 1 to the number of actors.
fn quota(ctx: &mut Ctx, q: &S<toml::Value>, n_actors: usize) -> Quota {
    match q.get_ref() {
        toml::Value::String(s) if s == "unanimity" => Quota::Unanimity,
        toml::Value::Integer(n) if *n >= 1 && (*n as usize) <= n_actors => Quota::Votes(*n as usize),
        other => {
            ctx.err(
                Kind::UnknownValue,
                q.span(),
                format!("invalid quota {other}"),
                format!("use \"unanimity\" or a number of votes from 1 to {}", n_actors),
            );
            Quota::Unanimity
        }
    }
}

/// A key that takes one of a few words: the value of the word written, or, for any other word,
/// an error naming the key with `help` and the first (default) word's value.
fn one_of<T: Copy>(ctx: &mut Ctx, a: &S<String>, key: &str, words: &[(&str, T)], help: &str) -> T {
    match words.iter().find(|(w, _)| w == a.get_ref()) {
        Some(&(_, v)) => v,
        None => {
            ctx.err(
                Kind::UnknownValue,
                a.span(),
                format!("unknown {key} `{}`", a.get_ref()),
                help,
            );
            words[0].1
        }
    }
}

/// `anticipation`: one of its words.
fn anticipation(ctx: &mut Ctx, a: &S<String>) -> Anticipation {
    let words = [
        ("expected-path", Anticipation::ExpectedPath),
        ("none", Anticipation::None),
    ];
    one_of(
        ctx,
        a,
        "anticipation",
        &words,
        "use \"expected-path\" (default) or \"none\"",
    )
}

/// `private_types`: one of its words.
fn private_types(ctx: &mut Ctx, a: &S<String>) -> TypeMode {
    let words = [("persistent", TypeMode::Persistent), ("iid", TypeMode::Iid)];
    let help = "use \"persistent\" (default: one type per run) or \"iid\" (a fresh shock each round)";
    one_of(ctx, a, "private_types", &words, help)
}

/// `selection`: one of its words.
fn selection(ctx: &mut Ctx, a: &S<String>) -> Selection {
    let words = [("traced", Selection::Traced), ("warm", Selection::Warm)];
    let help =
        "use \"traced\" (default: traced again whenever the game changed) or \"warm\" (every later round warm-started)";
    one_of(ctx, a, "selection", &words, help)
}

/// `acceptance_noise`: one of its words.
fn acceptance_noise(ctx: &mut Ctx, a: &S<String>) -> NoiseFamily {
    let words = [("uniform", NoiseFamily::Uniform), ("logistic", NoiseFamily::Logistic)];
    let help = "use \"uniform\" (default: uniform on [-noise, noise]) or \"logistic\" (scale noise)";
    one_of(ctx, a, "acceptance_noise", &words, help)
}

/// At least one actor must be able to propose.
fn no_proposer(ctx: &mut Ctx, actors: &[Actor], meta: &S<raw::RawMeta>) {
    if actors
        .iter()
        .all(|a| matches!(a.recognition, Dist::Fixed(x) if x == 0.0))
        && !actors.is_empty()
    {
        ctx.err(
            Kind::Incomplete,
            meta.span(),
            "no actor can propose: every recognition is 0",
            "give at least one actor recognition > 0",
        );
    }
}

/// The smallest positive logit temperature: the closed-form oracles (Baron–Ferejohn under
/// majority rule) still converge at 1e-7; far below it the tracing path cannot be followed in
/// double precision (1e-8 already fails on the two-party toy, 1e-300 everywhere).
pub const MIN_TEMPERATURE: f64 = 1e-7;

/// The largest logit temperature (offers are then uniformly random long before it).
pub const MAX_TEMPERATURE: f64 = 100.0;

/// The logit temperature: `temperature`, or its old name `rationality` with a warning (both at
/// once is an error).
fn temperature_key<'a>(ctx: &mut Ctx, p: &'a raw::RawProtocol) -> Option<&'a S<f64>> {
    match (&p.temperature, &p.rationality) {
        (Some(t), Some(r)) => {
            ctx.err(
                Kind::Inconsistent,
                r.span(),
                "both `temperature` and its old name `rationality` are given",
                "delete the `rationality` line: `temperature` is the logit temperature",
            );
            Some(t)
        }
        (None, Some(r)) => {
            ctx.warn(
                Kind::Deprecated,
                r.span(),
                "`rationality` is now called `temperature` (it is the logit temperature: a higher value means less rational offers)",
                "rename the key to `temperature`; the value keeps its meaning",
            );
            Some(r)
        }
        (t, None) => t.as_ref(),
    }
}
