//! `[[body]]` (consenting bodies) and `[[ratifier]]` (ratification votes).

use super::*;

pub(super) fn body(ctx: &mut Ctx, b: &S<raw::RawBody>) -> Body {
    let r = b.get_ref();
    Body {
        id: r.id.get_ref().clone(),
        name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        consent: ctx.num(&r.consent, Domain::Probability, "consent"),
    }
}

pub(super) fn ratifier(ctx: &mut Ctx, rt: &S<raw::RawRatifier>) -> Ratifier {
    let r = rt.get_ref();
    let scope = scope(ctx, r);
    let p = r.pass.get_ref();
    let effects = p
        .effects
        .iter()
        .filter_map(|(key, v)| {
            let id = S::new(v.span(), key.clone());
            let (i, o) = ctx.any_option(&id)?;
            Some((i, o, ctx.num(v, Domain::Any, "pass effect")))
        })
        .collect();
    let floor = p.floor.as_ref().map_or(0.0, |f| *f.get_ref());
    let ceiling = p.ceiling.as_ref().map_or(1.0, |f| *f.get_ref());
    if !(0.0..=1.0).contains(&floor) || !(0.0..=1.0).contains(&ceiling) || floor > ceiling {
        ctx.err(
            Kind::OutOfRange,
            r.pass.span(),
            format!("pass floor {floor} and ceiling {ceiling} must satisfy 0 <= floor <= ceiling <= 1"),
            "e.g. floor = 0.05, ceiling = 0.95",
        );
    }
    let persistent = match r.mood.as_ref().map(|m| m.get_ref().as_str()) {
        None | Some("persistent") => true,
        Some("iid") => false,
        Some(other) => {
            ctx.err(
                Kind::UnknownValue,
                r.mood.as_ref().unwrap().span(),
                format!("unknown mood `{other}`"),
                "use \"persistent\" (one public mood per run) or \"iid\"",
            );
            true
        }
    };
    let lag = r.lag.as_ref().map_or(0, |l| {
        if *l.get_ref() < 0 {
            ctx.err(
                Kind::OutOfRange,
                l.span(),
                "lag must be >= 0 rounds",
                "rounds between signature and the vote, e.g. 2",
            );
        }
        (*l.get_ref()).max(0) as usize
    });
    Ratifier {
        id: r.id.get_ref().clone(),
        name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        scope,
        intercept: ctx.num(&p.intercept, Domain::Any, "intercept"),
        effects,
        floor,
        ceiling,
        persistent,
        lag,
    }
}

/// `scope`: "all" (`None`) or the options, per issue, that the vote is about.
fn scope(ctx: &mut Ctx, r: &raw::RawRatifier) -> Option<Vec<(usize, usize)>> {
    match &r.scope {
        None => None,
        Some(v) => match v.get_ref() {
            toml::Value::String(s) if s == "all" => None,
            toml::Value::Table(t) => {
                let mut pairs = vec![];
                for (key, opts) in t {
                    let Some(k) = ctx.issues.iter().position(|i| i == key) else {
                        unknown_issue_key(ctx, key, v.span(), "scope");
                        continue;
                    };
                    let Some(list) = opts.as_array() else {
                        ctx.err(
                            Kind::UnknownValue,
                            v.span(),
                            format!("scope of issue `{key}` must be a list of option ids, not {opts}"),
                            format!(
                                "write scope = {{ {key} = [\"{}\"] }}",
                                ctx.options[k].first().cloned().unwrap_or_default()
                            ),
                        );
                        continue;
                    };
                    for o in list {
                        match o.as_str().and_then(|s| ctx.options[k].iter().position(|x| x == s)) {
                            Some(j) => pairs.push((k, j)),
                            None => ctx.err(
                                Kind::UnknownReference,
                                v.span(),
                                format!("scope lists `{o}`, not an option of issue `{key}`"),
                                format!("its options are {}", ctx.options[k].join(", ")),
                            ),
                        }
                    }
                }
                Some(pairs)
            }
            other => {
                ctx.err(
                    Kind::UnknownValue,
                    v.span(),
                    format!("invalid scope {other}"),
                    "use \"all\" or { issue = [\"option\", ...] }",
                );
                None
            }
        },
    }
}
