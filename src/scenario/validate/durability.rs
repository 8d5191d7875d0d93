//! `[durability]`: the Weibull and band models of renewed war after an agreement.

use super::*;

pub(super) fn durability(ctx: &mut Ctx, d: &S<raw::RawDurability>) -> Durability {
    let r = d.get_ref();
    let band_model = match r.model.as_ref().map(|m| m.get_ref().as_str()) {
        None | Some("weibull") => false,
        Some("band") => true,
        Some(other) => {
            ctx.err(
                Kind::UnknownValue,
                r.model.as_ref().expect("given").span(),
                format!("unknown durability model `{other}`"),
                "use model = \"weibull\" (proportional hazards) or model = \"band\" (a diffusing balance of power)",
            );
            false
        }
    };
    model_keys(ctx, d, band_model);
    let band = band_model.then(|| band_spec(ctx, d));
    let (p, years) = baseline(ctx, d);
    let report_years = report_years(ctx, r);
    Durability {
        band,
        shape: r
            .shape
            .as_ref()
            .map_or(Dist::Fixed(1.0), |v| ctx.num(v, Domain::Positive, "shape")),
        p_baseline: p,
        baseline_years: years,
        always: r
            .always
            .iter()
            .map(|(k, v)| (k.clone(), ctx.num(v, Domain::Positive, "hazard ratio")))
            .collect(),
        report_years,
        group_by: r.group_by.as_ref().and_then(|g| ctx.issue(g)),
    }
}

/// The keys each model needs, and the keys that belong to the other model.
fn model_keys(ctx: &mut Ctx, d: &S<raw::RawDurability>, band_model: bool) {
    let r = d.get_ref();
    type Unwanted<'a> = Vec<(&'a str, Option<std::ops::Range<usize>>)>;
    let (model, wanted, unwanted): (&str, Vec<(&str, bool)>, Unwanted) = if band_model {
        (
            "band",
            vec![
                ("balance", r.balance.is_some()),
                ("lower", r.lower.is_some()),
                ("upper", r.upper.is_some()),
                ("volatility", r.volatility.is_some()),
            ],
            vec![
                ("shape", r.shape.as_ref().map(S::span)),
                ("baseline", r.baseline.as_ref().map(|b| b.years.span())),
                ("always", r.always.values().next().map(S::span)),
            ],
        )
    } else {
        (
            "weibull",
            vec![("shape", r.shape.is_some()), ("baseline", r.baseline.is_some())],
            vec![
                ("balance", r.balance.as_ref().map(S::span)),
                ("lower", r.lower.as_ref().map(S::span)),
                ("upper", r.upper.as_ref().map(S::span)),
                ("drift", r.drift.as_ref().map(S::span)),
                ("volatility", r.volatility.as_ref().map(S::span)),
                ("steps_per_year", r.steps_per_year.as_ref().map(S::span)),
                ("years", r.years.as_ref().map(S::span)),
            ],
        )
    };
    for (key, given) in wanted {
        if !given {
            let example = match key {
                "balance" => "balance = 0.5 (the balance of power at signature)",
                "lower" => "lower = 0.4 (the balance at which one side comes to prefer war)",
                "upper" => "upper = 0.6 (the balance at which the other side comes to prefer war)",
                "volatility" => "volatility = 0.05 (per square-root year)",
                "shape" => "shape = 0.7 (the Weibull shape; below 1, risk is highest early)",
                _ => "baseline = { p_renewed_war = 0.65, years = 5 }",
            };
            ctx.err(
                Kind::MissingKey,
                d.span(),
                format!("the {model} durability model needs `{key}`"),
                format!("add {example}; see [durability] in docs/scenario-format.md"),
            );
        }
    }
    for (key, span) in unwanted {
        if let Some(span) = span {
            ctx.err(
                Kind::Inconsistent,
                span,
                format!("`{key}` does not belong to the {model} durability model"),
                "remove it, or change `model`",
            );
        }
    }
}

/// The band model's parameters: `balance` inside `lower`..`upper`, and `steps_per_year`.
fn band_spec(ctx: &mut Ctx, d: &S<raw::RawDurability>) -> BandSpec {
    let r = d.get_ref();
    let balance = ctx.opt_num(&r.balance, Domain::Any, "balance", 0.5);
    let lower = ctx.opt_num(&r.lower, Domain::Any, "lower", 0.0);
    let upper = ctx.opt_num(&r.upper, Domain::Any, "upper", 1.0);
    if !(lower.mean() < balance.mean() && balance.mean() < upper.mean()) {
        ctx.err(
            Kind::Inconsistent,
            d.span(),
            format!(
                "the band needs lower < balance < upper (means {:.4}, {:.4}, {:.4})",
                lower.mean(),
                balance.mean(),
                upper.mean()
            ),
            "the balance at signature must lie inside the band in which both sides prefer the deal",
        );
    }
    let q = |d: &Dist, p: f64| d.quantile(p);
    if lower.mean() < balance.mean()
        && balance.mean() < upper.mean()
        && (q(&lower, 0.999) >= q(&balance, 0.001) || q(&upper, 0.001) <= q(&balance, 0.999))
    {
        ctx.warn(
            Kind::Suspicious,
            d.span(),
            "some draws put the balance outside the band (lower ≥ balance or upper ≤ balance)",
            "narrow the distributions; in such runs an agreement counts as failing at once (renewed war at 0 years)",
        );
    }
    let steps = r.steps_per_year.as_ref().map_or(12, |v| *v.get_ref());
    if !(1..=365).contains(&steps) {
        let span = r.steps_per_year.as_ref().map_or(d.span(), S::span);
        ctx.err(
            Kind::OutOfRange,
            span,
            format!("steps_per_year = {steps} is outside 1 to 365"),
            "how often the balance is checked per year, e.g. 12 (monthly)",
        );
    }
    BandSpec {
        balance,
        lower,
        upper,
        drift: ctx.opt_num(&r.drift, Domain::Any, "drift", 0.0),
        volatility: ctx.opt_num(&r.volatility, Domain::Positive, "volatility", 1.0),
        steps_per_year: steps.clamp(1, 365) as u32,
    }
}

/// The longest horizon in years (`baseline.years`, `report_years`, a ceasefire's `years`).
pub(super) const MAX_YEARS: f64 = 1000.0;

/// The Weibull baseline: `p_renewed_war` within `years` (`(0.5, 5)` when not given).
fn baseline(ctx: &mut Ctx, d: &S<raw::RawDurability>) -> (Dist, f64) {
    let r = d.get_ref();
    let p = match &r.baseline {
        Some(b) => ctx.num(&b.p_renewed_war, Domain::Probability, "p_renewed_war"),
        None => Dist::Fixed(0.5),
    };
    if let Some(b) = &r.baseline
        && let Dist::Fixed(x) = p
        && (x <= 0.0 || x >= 1.0)
    {
        ctx.err(
            Kind::OutOfRange,
            b.p_renewed_war.span(),
            "p_renewed_war must be strictly between 0 and 1",
            "the probability that a bare ceasefire fails within `years`, e.g. 0.65",
        );
    }
    let (years, years_span) = match (&r.baseline, &r.years) {
        (Some(b), _) => (*b.years.get_ref(), b.years.span()),
        (None, Some(y)) => (*y.get_ref(), y.span()),
        (None, None) => (5.0, d.span()),
    };
    if !(years > 0.0 && years <= MAX_YEARS) {
        ctx.err(
            Kind::OutOfRange,
            years_span,
            format!("years must be > 0 and at most {MAX_YEARS}"),
            "e.g. years = 5",
        );
    }
    (p, years)
}

/// `report_years`: positive horizons, `[1, 2, 5, 10]` when none is given.
fn report_years(ctx: &mut Ctx, r: &raw::RawDurability) -> Vec<f64> {
    let mut report_years = vec![];
    for y in &r.report_years {
        if *y.get_ref() > 0.0 && *y.get_ref() <= MAX_YEARS {
            report_years.push(*y.get_ref());
        } else {
            ctx.err(
                Kind::OutOfRange,
                y.span(),
                format!("report years must be > 0 and at most {MAX_YEARS}"),
                "e.g. report_years = [1, 2, 5, 10]",
            );
        }
    }
    if report_years.is_empty() {
        report_years = vec![1.0, 2.0, 5.0, 10.0];
    }
    report_years
}
