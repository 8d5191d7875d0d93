//! `[[sweep]]`: each `set` parses, resolves and gives valid scenarios; each statistic exists.

use super::*;

/// The first error of scenario text, if it has one.
pub(super) fn validate_only(path: &Path, bytes: &[u8]) -> Option<String> {
    from_bytes(path, bytes).err().map(|e| {
        e.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map_or_else(|| "invalid".to_string(), |d| d.message.clone())
    })
}

/// `[[sweep]]`: each `set` parses and its path resolves in this file; each statistic exists.
pub(super) fn sweeps(ctx: &mut Ctx, raw: &[S<raw::RawSweep>], s: &Scenario) -> Vec<SweepDecl> {
    use crate::scenario::{path, stat::Stat, sweep::Axis};
    let doc = path::parse(&s.source).ok();
    let ids: Vec<&S<String>> = raw.iter().map(|w| &w.get_ref().id).collect();
    check_unique(ctx, &ids, "sweep");
    // with an error elsewhere in the file every sweep value would fail with it again: the values
    // are checked only in a file that is otherwise valid (one unknown actor is one error)
    let valid_so_far = !ctx.diags.iter().any(|d| d.severity == Severity::Error);
    let mut out = vec![];
    for w in raw {
        let w = w.get_ref();
        if w.set.is_empty() || w.set.len() > 2 {
            ctx.err(
                Kind::Incomplete,
                w.id.span(),
                format!(
                    "sweep `{}` sets {} parameters; a sweep has one or two",
                    w.id.get_ref(),
                    w.set.len()
                ),
                "write set = [\"PATH=LO..HI:STEPS\"] or two such strings",
            );
        }
        for x in &w.set {
            match Axis::parse(x.get_ref()) {
                Err(e) => ctx.err(
                    Kind::Syntax,
                    x.span(),
                    e.to_string(),
                    "e.g. \"actor.RU.war_cost=0.002..0.012:6\"",
                ),
                Ok(a) => {
                    if let Some(Err(e)) = doc.as_ref().map(|d| path::get(d, &a.path)) {
                        ctx.err(
                            Kind::UnknownReference,
                            x.span(),
                            format!("cannot sweep `{}`: {e}", a.path),
                            "paths look like actor.RU.war_cost or issue.territory.frontline.drift",
                        );
                        continue;
                    }
                    if !valid_so_far {
                        continue;
                    }
                    // every value must give a valid scenario (checked one parameter at a time)
                    let bad: Vec<(f64, String)> = a
                        .values
                        .iter()
                        .filter_map(|&v| {
                            let text = match crate::scenario::sweep::variant_text(&s.source, &[(a.path.as_str(), v)]) {
                                Ok(t) => t,
                                Err(e) => return Some((v, e.to_string())),
                            };
                            let e = validate_only(&s.path, text.as_bytes())?;
                            Some((v, e))
                        })
                        .collect();
                    if let Some((v, why)) = bad.first() {
                        let all: Vec<String> = bad.iter().map(|(v, _)| v.to_string()).collect();
                        ctx.err(
                            Kind::OutOfRange,
                            x.span(),
                            format!(
                                "sweep `{}`: {} = {v} makes the scenario invalid ({why}); invalid values: {}",
                                w.id.get_ref(),
                                a.path,
                                all.join(", ")
                            ),
                            "choose sweep values inside the key's valid range",
                        );
                    }
                }
            }
        }
        for st in &w.stats {
            if let Err(e) = Stat::parse(st.get_ref(), s) {
                ctx.err(
                    Kind::UnknownReference,
                    st.span(),
                    e.to_string(),
                    "e.g. \"agreement\" or \"payoff:RU\"",
                );
            }
        }
        out.push(SweepDecl {
            id: w.id.get_ref().clone(),
            set: w.set.iter().map(|x| x.get_ref().clone()).collect(),
            stats: w.stats.iter().map(|x| x.get_ref().clone()).collect(),
        });
    }
    out
}
