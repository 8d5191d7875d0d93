//! `[scenario]` (the metadata) and `[simulation]` (runs and seed).

use super::*;

pub(super) fn meta(ctx: &mut Ctx, m: &S<raw::RawMeta>) -> Meta {
    let r = m.get_ref();
    let id = r.id.get_ref().clone();
    // the id rule (a safe folder name) is checked with every other id: precheck::ids_and_text
    let round_years = r.round_length.as_ref().map(|len| {
        parse_round_length(len.get_ref()).unwrap_or_else(|| {
            ctx.err(
                Kind::Syntax,
                len.span(),
                format!("cannot read round_length `{}`", len.get_ref()),
                "write a count and a unit: \"1 month\", \"2 weeks\", \"1 year\", \"3 days\"",
            );
            1.0 / 12.0
        })
    });
    if let Some(as_of) = &r.as_of {
        let date = as_of.get_ref();
        if date.date.is_none() || date.time.is_some() {
            ctx.err(
                Kind::Syntax,
                as_of.span(),
                format!("as_of = {date} is not a date"),
                "write a TOML date without quotes, e.g. as_of = 2025-08-19",
            );
        }
    }
    let horizon = *r.horizon.get_ref();
    if !(1..=10_000).contains(&horizon) {
        ctx.err(
            Kind::OutOfRange,
            r.horizon.span(),
            format!("horizon = {horizon} rounds is outside 1..=10000"),
            "the horizon is the number of rounds observed, e.g. 24",
        );
    }
    Meta {
        id,
        title: r.title.clone(),
        description: r.description.clone(),
        as_of: r.as_of.as_ref().map(|d| d.get_ref().to_string()),
        round_length: r.round_length.as_ref().map(|l| l.get_ref().clone()),
        round_years,
        horizon: horizon.clamp(1, 10_000) as usize,
        sources: r.sources.clone(),
    }
}

/// "1 month" → 1/12 years; accepts day(s), week(s), month(s), quarter(s), year(s).
pub fn parse_round_length(s: &str) -> Option<f64> {
    let mut parts = s.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    let unit = parts.next()?.trim_end_matches('s');
    if parts.next().is_some() || !(n > 0.0 && n.is_finite()) {
        return None;
    }
    let years = match unit {
        "day" => 1.0 / 365.25,
        "week" => 7.0 / 365.25,
        "month" => 1.0 / 12.0,
        "quarter" => 0.25,
        "year" => 1.0,
        _ => return None,
    };
    Some(n * years)
}

pub(super) fn simulation(ctx: &mut Ctx, s: Option<&raw::RawSimulation>) -> Simulation {
    let mut runs = 20_000u64;
    let mut seed = 1u64;
    if let Some(s) = s {
        if let Some(r) = &s.runs {
            if !(1..=1_000_000_000).contains(r.get_ref()) {
                ctx.err(
                    Kind::OutOfRange,
                    r.span(),
                    "runs must be between 1 and 1,000,000,000",
                    "e.g. runs = 20_000",
                );
            } else {
                runs = *r.get_ref() as u64;
            }
        }
        if let Some(r) = &s.seed {
            if *r.get_ref() < 0 {
                ctx.err(
                    Kind::OutOfRange,
                    r.span(),
                    "seed must be a non-negative integer",
                    "e.g. seed = 20250819",
                );
            } else {
                seed = *r.get_ref() as u64;
            }
        }
    }
    Simulation { runs, seed }
}
