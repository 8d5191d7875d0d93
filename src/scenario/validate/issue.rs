//! `[[issue]]`: ordinal issues with their options and frontline, and divisible issues.

use super::*;

pub(super) fn issue(ctx: &mut Ctx, k: usize, i: &S<raw::RawIssue>) -> Issue {
    let r = i.get_ref();
    let divisible_kind = match r.kind.as_ref().map(|k| k.get_ref().as_str()) {
        None | Some("ordinal") => false,
        Some("divisible") => true,
        Some(other) => {
            let kind = r.kind.as_ref().expect("given");
            ctx.err(
                Kind::UnknownValue,
                kind.span(),
                format!("unknown issue kind `{other}`"),
                "use kind = \"ordinal\" (a list of options) or kind = \"divisible\" (a good split between actors)",
            );
            false
        }
    };
    if divisible_kind || r.between.is_some() || r.among.is_some() {
        return divisible_issue(ctx, i, divisible_kind);
    }
    if r.options.is_empty() {
        ctx.err(
            Kind::Incomplete,
            i.span(),
            format!("issue `{}` has no options", r.id.get_ref()),
            "list its options: options = [{ id = \"X0\", label = \"...\" }, ...]",
        );
    }
    let options = r
        .options
        .iter()
        .map(|o| {
            let o = o.get_ref();
            IssueOption {
                id: o.id.get_ref().clone(),
                label: o.label.clone().unwrap_or_else(|| o.id.get_ref().clone()),
                consent: o.consent.iter().filter_map(|p| ctx.party(p)).collect(),
                hazard_ratio: o
                    .hazard_ratio
                    .as_ref()
                    .map(|h| ctx.num(h, Domain::Positive, "hazard_ratio")),
                band_widening: o
                    .band_widening
                    .as_ref()
                    .map(|h| ctx.num(h, Domain::NonNegative, "band_widening")),
            }
        })
        .collect();
    let war_status_quo = r.war_status_quo.as_ref().and_then(|w| ctx.option(k, w));
    if r.war_status_quo.is_some() && war_status_quo.is_none() {
        ctx.no_war_utility_reported.push(k);
    }
    let frontline = r.frontline.as_ref().map(|f| frontline(ctx, k, f));
    Issue {
        id: r.id.get_ref().clone(),
        title: r.title.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        options,
        war_status_quo,
        frontline,
        divisible: None,
    }
}

/// A divisible issue: `between` (two actors) or `among` (two or more), no options.
pub(super) fn divisible_issue(ctx: &mut Ctx, i: &S<raw::RawIssue>, kind_given: bool) -> Issue {
    let r = i.get_ref();
    let id = r.id.get_ref();
    if !kind_given {
        ctx.err(
            Kind::Inconsistent,
            i.span(),
            format!("issue `{id}` lists who splits it but is not divisible"),
            "add kind = \"divisible\", or remove between/among",
        );
    }
    let members = members(ctx, i);
    let mut seen = vec![];
    for m in &members {
        if seen.contains(m) {
            ctx.err(
                Kind::DuplicateId,
                i.span(),
                format!("divisible issue `{id}` lists actor `{}` twice", ctx.actors[*m]),
                "list each actor once",
            );
        }
        seen.push(*m);
    }
    let extra: Vec<(&str, std::ops::Range<usize>)> = [
        r.options.first().map(|o| ("options", o.span())),
        r.war_status_quo.as_ref().map(|w| ("war_status_quo", w.span())),
        r.frontline.as_ref().map(|f| ("frontline", f.span())),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (key, span) in extra {
        ctx.err(Kind::Inconsistent,
            span,
            format!("a divisible issue takes no `{key}`"),
            "a divisible issue is a good of size 1 split among its actors; its war-time value is 0 unless an actor's war_utility says otherwise",
        );
    }
    Issue {
        id: id.clone(),
        title: r.title.clone().unwrap_or_else(|| id.clone()),
        options: vec![IssueOption {
            id: format!("{id}:split"),
            label: format!("split of {id}"),
            consent: vec![],
            hazard_ratio: None,
            band_widening: None,
        }],
        war_status_quo: None,
        frontline: None,
        divisible: Some(members),
    }
}

pub(super) fn frontline(ctx: &mut Ctx, k: usize, f: &S<raw::RawFrontline>) -> Frontline {
    let r = f.get_ref();
    let path: Vec<usize> = r.path.get_ref().iter().filter_map(|o| ctx.option(k, o)).collect();
    if r.path.get_ref().len() < 2 {
        ctx.err(
            Kind::Incomplete,
            r.path.span(),
            "a frontline path needs at least two options",
            "list the options that are lines on the ground, in the order the war moves, e.g. [\"T2\", \"T4\"]",
        );
    }
    let (bp, bj) = match &r.breakthrough {
        Some(b) => (
            ctx.num(&b.probability, Domain::Probability, "breakthrough.probability"),
            ctx.num(&b.jump, Domain::Any, "breakthrough.jump"),
        ),
        None => (Dist::Fixed(0.0), Dist::Fixed(0.0)),
    };
    let start = ctx.opt_num(&r.start, Domain::Any, "frontline.start", 0.0);
    let max = (path.len().max(1) - 1) as f64;
    if let Some(s) = &r.start
        && let Dist::Fixed(x) = s.get_ref()
        && !(0.0..=max).contains(x)
    {
        ctx.err(
            Kind::OutOfRange,
            s.span(),
            format!("frontline start {x} is off the path (0 to {max})"),
            "positions are in path steps: 0 = first path option, 1 = second, 0.5 = halfway",
        );
    }
    Frontline {
        path,
        start,
        drift: ctx.opt_num(&r.drift, Domain::Any, "frontline.drift", 0.0),
        sd: ctx.opt_num(&r.sd, Domain::NonNegative, "frontline.sd", 0.0),
        breakthrough_probability: bp,
        breakthrough_jump: bj,
    }
}

/// The engine handles at most one divisible issue.
pub(super) fn at_most_one_divisible(ctx: &mut Ctx, raw_issues: &[S<raw::RawIssue>], issues: &[Issue]) {
    let divisible: Vec<usize> = (0..issues.len()).filter(|&k| issues[k].divisible.is_some()).collect();
    if divisible.len() > 1 {
        ctx.err(
            Kind::Limit,
            raw_issues[divisible[1]].span(),
            format!("{} divisible issues: the engine handles at most one", divisible.len()),
            "merge the divisible goods into one (they are valued linearly in salience), or make the others ordinal",
        );
    }
}

/// Who splits a divisible issue: `between` (exactly two actors) or `among` (two or more).
fn members(ctx: &mut Ctx, i: &S<raw::RawIssue>) -> Vec<usize> {
    let r = i.get_ref();
    let id = r.id.get_ref();
    match (&r.between, &r.among) {
        (Some(b), None) => {
            if b.get_ref().len() != 2 {
                ctx.err(
                    Kind::Inconsistent,
                    b.span(),
                    format!("`between` lists {} actors; it takes exactly two", b.get_ref().len()),
                    "use between = [\"A\", \"B\"], or among = [...] for more",
                );
            }
            b.get_ref().iter().filter_map(|a| ctx.actor(a)).collect()
        }
        (None, Some(a)) => {
            if a.get_ref().len() < 2 {
                ctx.err(
                    Kind::Incomplete,
                    a.span(),
                    "`among` needs at least two actors",
                    "list the actor ids that split the good, e.g. among = [\"A\", \"B\", \"C\"]",
                );
            }
            a.get_ref().iter().filter_map(|x| ctx.actor(x)).collect()
        }
        (Some(b), Some(_)) => {
            ctx.err(
                Kind::Inconsistent,
                b.span(),
                format!("issue `{id}` gives both `between` and `among`"),
                "keep one: between = [two ids] or among = [ids]",
            );
            vec![]
        }
        (None, None) => {
            ctx.err(
                Kind::MissingKey,
                i.span(),
                format!("divisible issue `{id}` does not say who splits it"),
                "add between = [\"A\", \"B\"] or among = [\"A\", \"B\", \"C\"]",
            );
            vec![]
        }
    }
}
