//! `[ceasefire]`: terms, signatories and collapse hazard of a ceasefire (`docs/model.md` §9.1).

use super::*;
use crate::scenario::ceasefire::{Ceasefire, CeasefireOption, CeasefireTerm, Collapse};

/// Validates `[ceasefire]` against the scenario's actors, issues and protocol.
pub(super) fn ceasefire(
    ctx: &mut Ctx,
    c: &S<raw::RawCeasefire>,
    issues: &[Issue],
    actors: &[Actor],
    protocol: &Protocol,
) -> Ceasefire {
    let r = c.get_ref();
    if let Some(k) = issues.iter().position(|i| i.divisible.is_some()) {
        ctx.err(
            Kind::Inconsistent,
            c.span(),
            format!("[ceasefire] cannot be combined with the divisible issue `{}`", issues[k].id),
            "a ceasefire is offered in place of a package, without a split: remove [ceasefire] or make the issue ordinal",
        );
    }
    if protocol.deadline.is_some() {
        ctx.err(
            Kind::Inconsistent,
            c.span(),
            "[ceasefire] cannot be combined with a hard deadline ([protocol] deadline)",
            "remove one of them: a hard deadline is solved by backward induction, which the ceasefire game does not have yet",
        );
    }
    let signatories = match &r.signatories {
        Some(list) => {
            let ids: Vec<usize> = list.get_ref().iter().filter_map(|a| ctx.actor(a)).collect();
            if list.get_ref().is_empty() {
                ctx.err(
                    Kind::Incomplete,
                    list.span(),
                    "[ceasefire] signatories is empty",
                    "list the actors whose acceptance a ceasefire needs, e.g. signatories = [\"RU\", \"UA\"]",
                );
            }
            let mut seen = vec![false; actors.len()];
            for (a, i) in list.get_ref().iter().zip(&ids) {
                if std::mem::replace(&mut seen[*i], true) {
                    ctx.err(
                        Kind::DuplicateId,
                        a.span(),
                        format!("actor `{}` is listed twice in [ceasefire] signatories", a.get_ref()),
                        "list each signatory once",
                    );
                }
            }
            ids
        }
        None => {
            let all = matches!(protocol.quota, Quota::Unanimity);
            let ids: Vec<usize> = (0..actors.len()).filter(|&i| all || actors[i].veto).collect();
            if ids.is_empty() {
                ctx.err(
                    Kind::MissingKey,
                    c.span(),
                    "[ceasefire] needs signatories: no actor has a veto",
                    "add signatories = [\"A\", \"B\"] (the actors whose acceptance a ceasefire needs)",
                );
            }
            ids
        }
    };
    let residual_war_cost = per_actor(ctx, &r.residual_war_cost, Domain::NonNegative, "residual_war_cost", 0.0);
    let refused = per_actor(ctx, &r.refused, Domain::Probability, "refused", 0.0);
    let collapse = collapse(ctx, &r.collapse);
    let ids: Vec<&S<String>> = r.term.iter().map(|t| &t.get_ref().id).collect();
    check_unique(ctx, &ids, "ceasefire term");
    let terms = r.term.iter().map(|t| term(ctx, t, issues)).collect();
    Ceasefire {
        signatories,
        residual_war_cost,
        refused,
        collapse,
        terms,
    }
}

/// A table keyed by actor id: one value per actor, `default` for the actors it leaves out.
fn per_actor(ctx: &mut Ctx, t: &BTreeMap<String, S<Dist>>, dom: Domain, what: &str, default: f64) -> Vec<Dist> {
    let mut out = vec![Dist::Fixed(default); ctx.actors.len()];
    for (id, v) in t {
        match ctx.actors.iter().position(|a| a == id) {
            Some(i) => out[i] = ctx.num(v, dom, what),
            None => {
                let hint = suggest(id, ctx.actors.iter().map(String::as_str))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                ctx.err(
                    Kind::UnknownReference,
                    v.span(),
                    format!("{what} names unknown actor `{id}`{hint}"),
                    format!("keys are actor ids: {}", ctx.actors.join(", ")),
                );
            }
        }
    }
    out
}

/// `[ceasefire.collapse]`.
fn collapse(ctx: &mut Ctx, c: &S<raw::RawCollapse>) -> Collapse {
    let r = c.get_ref();
    let p_collapse = ctx.num(&r.p_collapse, Domain::Probability, "p_collapse");
    // a probability of exactly 0 or 1 passes the domain check but leaves no Weibull scale (a
    // value outside [0, 1] was reported by it already)
    if let Dist::Fixed(p) = *r.p_collapse.get_ref()
        && (p == 0.0 || p == 1.0)
    {
        ctx.err(
            Kind::OutOfRange,
            r.p_collapse.span(),
            format!("p_collapse = {p} must be strictly between 0 and 1"),
            "the probability that a bare ceasefire collapses within `years`, e.g. p_collapse = 0.4",
        );
    }
    let years = *r.years.get_ref();
    if !(years > 0.0 && years <= super::durability::MAX_YEARS) {
        ctx.err(
            Kind::OutOfRange,
            r.years.span(),
            format!(
                "years = {years} must be a positive number, at most {}",
                super::durability::MAX_YEARS
            ),
            "the horizon of p_collapse in years, e.g. years = 1",
        );
    }
    Collapse {
        shape: r
            .shape
            .as_ref()
            .map_or(Dist::Fixed(1.0), |v| ctx.num(v, Domain::Positive, "shape")),
        p_collapse,
        years,
    }
}

/// `[[ceasefire.term]]`.
fn term(ctx: &mut Ctx, t: &S<raw::RawCeasefireTerm>, issues: &[Issue]) -> CeasefireTerm {
    let r = t.get_ref();
    if r.options.get_ref().is_empty() {
        ctx.err(
            Kind::Incomplete,
            r.options.span(),
            format!("ceasefire term `{}` has no options", r.id.get_ref()),
            "give it at least one option, e.g. options = [{ id = \"none\" }, { id = \"observers\" }]",
        );
    }
    let ids: Vec<&S<String>> = r.options.get_ref().iter().map(|o| &o.get_ref().id).collect();
    check_unique(ctx, &ids, "ceasefire option");
    CeasefireTerm {
        id: r.id.get_ref().clone(),
        label: r.label.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        options: r.options.get_ref().iter().map(|o| option(ctx, o, issues)).collect(),
    }
}

fn option(ctx: &mut Ctx, o: &S<raw::RawCeasefireOption>, issues: &[Issue]) -> CeasefireOption {
    let r = o.get_ref();
    let mut freeze_at = vec![];
    for (issue, opt) in &r.freeze_at {
        let Some(k) = ctx.issues.iter().position(|i| i == issue) else {
            ctx.err(
                Kind::UnknownReference,
                opt.span(),
                format!("freeze_at names unknown issue `{issue}`"),
                format!(
                    "keys are ids of issues with a frontline; issues: {}",
                    ctx.issues.join(", ")
                ),
            );
            continue;
        };
        let Some(f) = &issues[k].frontline else {
            ctx.err(
                Kind::Inconsistent,
                opt.span(),
                format!("freeze_at names issue `{issue}`, which has no frontline"),
                "a ceasefire freezes a frontline: name an issue with [issue.frontline]",
            );
            continue;
        };
        let Some(o) = ctx.option(k, opt) else { continue };
        match f.path.iter().position(|&p| p == o) {
            Some(pos) => freeze_at.push((k, pos as f64)),
            None => ctx.err(
                Kind::Inconsistent,
                opt.span(),
                format!("option `{}` is not on the frontline path of `{issue}`", opt.get_ref()),
                "freeze_at names a line on the ground: one of the options in the frontline's path",
            ),
        }
    }
    CeasefireOption {
        id: r.id.get_ref().clone(),
        label: r.label.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        note: r.note.clone(),
        hazard_ratio: r
            .hazard_ratio
            .as_ref()
            .map_or(Dist::Fixed(1.0), |v| ctx.num(v, Domain::Positive, "hazard_ratio")),
        utility: per_actor(ctx, &r.utility, Domain::Any, "utility", 0.0),
        refused_by: per_actor(ctx, &r.refused_by, Domain::Probability, "refused_by", 0.0),
        freeze_at,
    }
}
