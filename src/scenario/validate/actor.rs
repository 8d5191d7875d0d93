//! `[[actor]]`: preferences, war-time values, costs and red lines.

use super::*;
use std::collections::BTreeMap;

pub(super) fn actor(ctx: &mut Ctx, a: &S<raw::RawActor>, issues: &[Issue]) -> Actor {
    let r = a.get_ref();
    let n = issues.len();
    let salience = salience(ctx, r, n);
    let utility = utilities(ctx, a, issues, &salience);
    let war_utility = war_utilities(ctx, a, issues, &salience);
    if let Some(c) = &r.salience_concentration
        && !(*c.get_ref() > 0.0 && *c.get_ref() <= 1e6)
    {
        ctx.err(
            Kind::OutOfRange,
            c.span(),
            "salience_concentration must be > 0 and at most 1,000,000",
            "a Dirichlet concentration, e.g. 20; omit it for fixed weights",
        );
    }
    let curvature = curvature(ctx, r, issues);
    Actor {
        curvature,
        outside_option: r
            .outside_option
            .as_ref()
            .map(|o| ctx.num(o, Domain::Any, "outside_option")),
        reservation_value: r
            .reservation_value
            .as_ref()
            .map(|o| ctx.num(o, Domain::Any, "reservation_value")),
        breakdown_at_reservation: r.reservation_value.is_some() && r.breakdown_value.is_none(),
        id: r.id.get_ref().clone(),
        name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        veto: r.veto,
        recognition: ctx.opt_num(&r.recognition, Domain::NonNegative, "recognition", 1.0),
        discount: ctx.opt_num(&r.discount, Domain::Discount, "discount", 1.0),
        war_cost: ctx.opt_num(&r.war_cost, Domain::Any, "war_cost", 0.0),
        noise: ctx.opt_num(&r.noise, Domain::NonNegative, "noise", 0.0),
        agreement_bonus: ctx.opt_num(&r.agreement_bonus, Domain::Any, "agreement_bonus", 0.0),
        breakdown_value: ctx.opt_num(&r.breakdown_value, Domain::Any, "breakdown_value", 0.0),
        salience,
        normalise_salience: r.normalise_salience.as_ref().is_none_or(|f| *f.get_ref()),
        salience_concentration: r.salience_concentration.as_ref().map(|c| *c.get_ref()),
        utility,
        war_utility,
        red_lines: r.red_lines.iter().filter_map(|l| red_line(ctx, l)).collect(),
        sources: r.sources.clone(),
        renewed_war_loss: ctx.opt_num(&r.renewed_war_loss, Domain::NonNegative, "renewed_war_loss", 0.0),
        beliefs: Beliefs::default(),
        types: super::types::types(ctx, r),
    }
}

pub(super) fn red_line(ctx: &mut Ctx, l: &S<raw::RawRedLine>) -> Option<RedLine> {
    let r = l.get_ref();
    let issue = ctx.issue(&r.issue)?;
    let options: Vec<usize> = r.options.iter().filter_map(|o| ctx.option(issue, o)).collect();
    if r.options.is_empty() {
        ctx.err(
            Kind::Incomplete,
            l.span(),
            "a red line lists no options",
            "name the options the actor rejects, e.g. options = [\"G5\"]",
        );
    }
    let mut unless = Unless::default();
    if let Some(u) = &r.unless {
        let u = u.get_ref();
        unless.ratified = u.ratified.unwrap_or(false);
        unless.consent = u.consent.iter().filter_map(|p| ctx.party(p)).collect();
        unless.options = u.options.iter().filter_map(|o| ctx.any_option(o)).collect();
    }
    Some(RedLine {
        issue,
        options,
        binding: ctx.opt_num(&r.binding, Domain::Probability, "binding", 1.0),
        unless,
        note: r.note.clone(),
    })
}

/// `salience`: a weight per issue id (the sum is normalised, with a warning if it is not 1).
fn salience(ctx: &mut Ctx, r: &raw::RawActor, n: usize) -> Vec<Dist> {
    let mut salience = vec![Dist::Fixed(0.0); n];
    for (key, v) in r.salience.get_ref() {
        match ctx.issues.iter().position(|i| i == key) {
            Some(k) => salience[k] = ctx.num(v, Domain::NonNegative, "salience"),
            None => unknown_issue_key(ctx, key, v.span(), "salience"),
        }
    }
    let total: f64 = salience.iter().map(Dist::mean).sum();
    if total <= 0.0 && n > 0 {
        ctx.err(
            Kind::Incomplete,
            r.salience.span(),
            format!("actor `{}` has no positive salience", r.id.get_ref()),
            "give each issue the actor cares about a weight, e.g. salience = { territory = 0.6, guarantees = 0.4 }",
        );
    } else if r.normalise_salience.as_ref().is_some_and(|f| !*f.get_ref()) {
        absolute_salience(ctx, r, total);
        if total <= 1.0 + 1e-9 {
            super::optional::absolute_salience_draws(ctx, r, &salience);
        }
    } else if (total - 1.0).abs() > 1e-6
        && salience.iter().all(|d| !d.is_uncertain())
        && r.salience.get_ref().keys().all(|k| ctx.issues.contains(k))
    {
        ctx.warn(
            Kind::Suspicious,
            r.salience.span(),
            format!(
                "saliences of `{}` sum to {}, not 1; they are normalised",
                r.id.get_ref(),
                super::super::number::shortest(total)
            ),
            "make them sum to 1 to silence this warning",
        );
    }
    salience
}

/// `normalise_salience = false`: the saliences are weights on the utility scale, used as written,
/// so they may not sum to more than 1 (the rest is weight on nothing), and a Dirichlet draw
/// around them (which normalises) is refused.
fn absolute_salience(ctx: &mut Ctx, r: &raw::RawActor, total: f64) {
    if total > 1.0 + 1e-9 {
        ctx.err(
            Kind::OutOfRange,
            r.salience.span(),
            format!(
                "saliences of `{}` sum to {}, more than 1, with normalise_salience = false",
                r.id.get_ref(),
                super::super::number::shortest(total)
            ),
            "absolute saliences are weights in [0, 1] whose remainder is weight on nothing: lower them to sum to at most 1, or drop normalise_salience = false to have them normalised",
        );
    }
    if let Some(c) = &r.salience_concentration {
        ctx.err(
            Kind::Incomplete,
            c.span(),
            "salience_concentration draws normalised saliences: it cannot go with normalise_salience = false",
            "remove salience_concentration, or let the saliences be normalised (normalise_salience = true)",
        );
    }
}

/// `utility`: one value per option of each ordinal issue the actor gives salience.
fn utilities(ctx: &mut Ctx, a: &S<raw::RawActor>, issues: &[Issue], salience: &[Dist]) -> Vec<Vec<Dist>> {
    let r = a.get_ref();
    let n = issues.len();
    let mut utility: Vec<Vec<Dist>> = issues.iter().map(|i| vec![Dist::Fixed(0.0); i.options.len()]).collect();
    let mut given = vec![false; n];
    let empty = BTreeMap::new();
    let utility_span = r.utility.as_ref().map_or(a.span(), S::span);
    for (key, v) in r.utility.as_ref().map_or(&empty, S::get_ref) {
        let Some(k) = ctx.issues.iter().position(|i| i == key) else {
            unknown_issue_key(ctx, key, v.span(), "utility");
            continue;
        };
        given[k] = true;
        if issues[k].divisible.is_some() {
            ctx.err(Kind::Inconsistent,
                v.span(),
                format!("`utility.{key}`: issue `{key}` is divisible and takes no utility list"),
                format!(
                    "its value is salience · share^curvature; remove utility.{key} (set curvature = {{ {key} = 0.5 }} for a concave value)"
                ),
            );
            continue;
        }
        let want = issues[k].options.len();
        if v.get_ref().len() != want {
            let ids = issues[k]
                .options
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            ctx.err(
                Kind::Inconsistent,
                v.span(),
                format!(
                    "`utility.{key}` of `{}` has {} values but issue `{key}` has {want} options",
                    r.id.get_ref(),
                    v.get_ref().len()
                ),
                format!("give one utility per option, in order: {ids}"),
            );
            continue;
        }
        utility[k] = v.get_ref().iter().map(|u| ctx.num(u, Domain::Any, "utility")).collect();
    }
    for k in 0..n {
        if !given[k] && salience[k].mean() > 0.0 && issues[k].divisible.is_none() {
            ctx.err(
                Kind::Incomplete,
                utility_span.clone(),
                format!(
                    "actor `{}` gives issue `{}` salience but no utilities",
                    r.id.get_ref(),
                    issues[k].id
                ),
                format!("add utility.{} = [one value per option]", issues[k].id),
            );
        }
    }
    utility
}

/// `war_utility`: the war-time value per issue, required where nothing else gives one.
fn war_utilities(ctx: &mut Ctx, a: &S<raw::RawActor>, issues: &[Issue], salience: &[Dist]) -> Vec<Option<Dist>> {
    let r = a.get_ref();
    let n = issues.len();
    let mut war_utility = vec![None; n];
    for (key, v) in &r.war_utility {
        match ctx.issues.iter().position(|i| i == key) {
            Some(k) => war_utility[k] = Some(ctx.num(v, Domain::Any, "war_utility")),
            None => unknown_issue_key(ctx, key, v.span(), "war_utility"),
        }
    }
    // every actor with the gap is reported, one error naming each of its issues without a value
    // (an issue whose war_status_quo is itself in error is left out: its error says enough)
    let missing: Vec<&str> = issues
        .iter()
        .enumerate()
        .filter(|(k, issue)| {
            issue.frontline.is_none()
                && issue.divisible.is_none()
                && issue.war_status_quo.is_none()
                && war_utility[*k].is_none()
                && salience[*k].mean() > 0.0
                && r.reservation_value.is_none()
                && !ctx.no_war_utility_reported.contains(k)
        })
        .map(|(_, issue)| issue.id.as_str())
        .collect();
    if let Some(first) = missing.first() {
        let list = missing.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ");
        ctx.err(
            Kind::Incomplete,
            a.span(),
            format!(
                "actor `{}` has no value for no agreement: no reservation_value and no war-time utility for issue{} {list}",
                r.id.get_ref(),
                if missing.len() == 1 { "" } else { "s" }
            ),
            format!(
                "without a war, give the actor reservation_value = 0.0 (what no agreement is worth to it); with a war, declare war_status_quo = \"<option>\" on the issue, or war_utility = {{ {first} = 0.5 }} on the actor"
            ),
        );
    }
    war_utility
}

/// `curvature`: the concavity of the value of a share, for divisible issues only.
fn curvature(ctx: &mut Ctx, r: &raw::RawActor, issues: &[Issue]) -> Vec<f64> {
    let n = issues.len();
    let mut curvature = vec![1.0; n];
    for (key, v) in &r.curvature {
        let Some(k) = ctx.issues.iter().position(|i| i == key) else {
            unknown_issue_key(ctx, key, v.span(), "curvature");
            continue;
        };
        let rho = *v.get_ref();
        if issues[k].divisible.is_none() {
            ctx.err(
                Kind::Inconsistent,
                v.span(),
                format!("`curvature.{key}`: issue `{key}` is not divisible"),
                "curvature applies to kind = \"divisible\" issues only; ordinal issues take utilities per option",
            );
        } else if !(rho > 0.0 && rho <= 1.0) {
            ctx.err(
                Kind::OutOfRange,
                v.span(),
                format!("curvature = {rho} is outside (0, 1]"),
                "1 = linear value of a share, below 1 = risk-averse (a share y is worth y^curvature)",
            );
        } else {
            curvature[k] = rho;
        }
    }
    curvature
}
