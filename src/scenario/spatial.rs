//! Spatial issues (`docs/model.md` §1 (spatial issues)): an issue declared as a scale with each actor's
//! position, salience and capability, the standard input of policy forecasting (Bueno de
//! Mesquita 1994; the spatial model of politics, Enelow and Hinich 1984).
//!
//! The loader expands a spatial issue into the ordinary machinery before validation
//! ([`expand`]): its options become points of the scale and each actor's utility list is computed
//! from the distance to its position, so everything downstream (the solver, the baselines, the
//! simulation) sees an ordinal issue. What expansion cannot express is kept in [`Spatial`]: the
//! positions and capabilities (read by the weighted mean and median), and the groups of issues
//! that share one Euclidean distance, whose utility is not a sum over the issues (the
//! non-additive term of [`Group::value`], added by the package space).
//!
//! With W the width of the scale and d the distance from the actor's position p to the point x:
//! - `loss = "linear"`: `v(x) = 1 − |x − p| / W` (the city-block utility of Enelow and Hinich 1984,
//!   ch. 2, and of Bueno de Mesquita's model, where utility falls linearly with distance);
//! - `loss = "quadratic"`: `v(x) = 1 − ((x − p) / W)²` (the quadratic utility of the spatial
//!   theory of voting, Enelow and Hinich 1984, eq. 2.3).
//!
//! A group g of issues (dimensions d) with linear loss gives actor i, instead of the additive
//! terms `Σ_d w_id v_id(x_d)`, the salience-weighted Euclidean term
//! `W_ig (1 − sqrt(Σ_d (w_id / W_ig) ((x_d − p_id) / W_d)²))`, `W_ig = Σ_d w_id` (the weighted
//! Euclidean distance of Enelow and Hinich 1984, ch. 3, with a diagonal salience matrix). With
//! quadratic loss the squared weighted distance is additive over the dimensions, so a quadratic
//! group is the same as separate issues.

use super::diag::{Diagnostic, DiagnosticKind as Kind};
use super::dist::Dist;
use super::raw::{RawScenario, S};
use serde::Serialize;
use std::collections::BTreeMap;

/// Most options a spatial issue may have.
pub const MAX_POINTS: usize = 201;

/// How utility falls with distance on a spatial issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Loss {
    /// `1 − |x − p| / W`.
    Linear,
    /// `1 − ((x − p) / W)²`.
    Quadratic,
}

impl Loss {
    /// The utility of point `x` to an actor at `p` on a scale of width `w`.
    pub fn value(self, x: f64, p: f64, w: f64) -> f64 {
        let d = (x - p) / w;
        match self {
            Loss::Linear => 1.0 - d.abs(),
            Loss::Quadratic => 1.0 - d * d,
        }
    }
}

/// One spatial issue of a validated scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpatialIssue {
    /// Index of the issue.
    pub issue: usize,
    /// The scale `[low, high]`, scale units.
    pub low: f64,
    pub high: f64,
    pub loss: Loss,
    /// The options' points, increasing, scale units (option `o` is `points[o]`).
    pub points: Vec<f64>,
    /// Per actor: its position, if it has one on this issue.
    pub position: Vec<Option<f64>>,
    /// The group it belongs to, if any.
    pub group: Option<String>,
}

impl SpatialIssue {
    /// `high − low`.
    pub fn width(&self) -> f64 {
        self.high - self.low
    }
}

/// Issues sharing one salience-weighted Euclidean distance (linear loss, two or more issues).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    pub id: String,
    /// Indices of the issues (dimensions), in file order.
    pub issues: Vec<usize>,
    /// Per dimension: the options' points.
    pub points: Vec<Vec<f64>>,
    /// Per dimension: the scale's width.
    pub width: Vec<f64>,
    /// Per actor, per dimension: the position (the low end where the actor has none: it then
    /// has no salience there, so the dimension does not count).
    pub position: Vec<Vec<f64>>,
}

impl Group {
    /// Actor i's term for the options `opts` (indexed by issue), with its drawn saliences `w`
    /// (indexed by issue): `W (1 − sqrt(Σ_d (w_d / W) δ_d²))` = `W − sqrt(W Σ_d w_d δ_d²)`,
    /// `δ_d = (x_d − p_d) / width_d`, `W = Σ_d w_d`.
    pub fn value(&self, i: usize, opts: impl Fn(usize) -> usize, w: &[f64]) -> f64 {
        let mut total = 0.0;
        let mut sq = 0.0;
        for (d, &k) in self.issues.iter().enumerate() {
            let delta = (self.points[d][opts(k)] - self.position[i][d]) / self.width[d];
            total += w[k];
            sq += w[k] * delta * delta;
        }
        if total <= 0.0 {
            return 0.0;
        }
        total - (total * sq).sqrt()
    }
}

/// What the expansion keeps about the spatial issues.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Spatial {
    pub issues: Vec<SpatialIssue>,
    /// Groups with a non-additive (Euclidean) term.
    pub groups: Vec<Group>,
    /// Per actor: its `capability`, if given.
    pub capability: Vec<Option<f64>>,
}

impl Spatial {
    /// Whether the scenario has no spatial issue.
    pub fn is_empty(&self) -> bool {
        self.issues.is_empty()
    }

    /// Whether issue `k` belongs to a Euclidean group (its additive utility does not count).
    pub fn grouped(&self, k: usize) -> bool {
        self.groups.iter().any(|g| g.issues.contains(&k))
    }
}

/// A number as an option id fragment: `35`, `2p5`, `m10` (ids allow letters, digits, `-`, `_`).
fn id_part(x: f64) -> String {
    fmt(x).replace('-', "m").replace('.', "p")
}

/// A point of a scale as written: the shortest decimal (at most 6 places).
pub fn fmt(x: f64) -> String {
    let r = (x * 1e6).round() / 1e6;
    let r = if r == 0.0 { 0.0 } else { r };
    format!("{r}")
}

fn err(d: &mut Vec<Diagnostic>, kind: Kind, span: std::ops::Range<usize>, msg: String, help: &str) {
    d.push(Diagnostic::error(kind, Some(span), msg, help));
}

/// Expands the spatial issues of `raw` in place (options and utilities) and returns what the
/// expansion keeps, with the problems found, each located. Scenarios without a `scale` are left
/// untouched.
pub fn expand(raw: &mut RawScenario) -> (Spatial, Vec<Diagnostic>) {
    let mut diags = vec![];
    let mut out = Spatial {
        capability: raw
            .actor
            .iter()
            .map(|a| a.get_ref().capability.as_ref().map(|c| *c.get_ref()))
            .collect(),
        ..Spatial::default()
    };
    let issue_ids: Vec<String> = raw.issue.iter().map(|i| i.get_ref().id.get_ref().clone()).collect();
    let spatial_ids: Vec<&str> = raw
        .issue
        .iter()
        .filter(|i| i.get_ref().scale.is_some())
        .map(|i| i.get_ref().id.get_ref().as_str())
        .collect();
    // keys that only make sense on a spatial issue, and positions on other issues
    for i in &raw.issue {
        let r = i.get_ref();
        if r.scale.is_some() {
            continue;
        }
        for (key, span) in [
            ("grid", r.grid.as_ref().map(S::span)),
            ("step", r.step.as_ref().map(S::span)),
            ("loss", r.loss.as_ref().map(S::span)),
            ("group", r.group.as_ref().map(S::span)),
        ] {
            if let Some(span) = span {
                err(
                    &mut diags,
                    Kind::Inconsistent,
                    span,
                    format!("`{key}` on issue `{}`, which has no `scale`", r.id.get_ref()),
                    "`grid`, `step`, `loss` and `group` belong to a spatial issue: add scale = [low, high] (and no options), or remove the key",
                );
            }
        }
    }
    for a in &raw.actor {
        let a = a.get_ref();
        for (k, p) in &a.position {
            if !spatial_ids.contains(&k.as_str()) {
                let msg = if issue_ids.contains(k) {
                    format!(
                        "actor `{}` has a position on issue `{k}`, which has no `scale`",
                        a.id.get_ref()
                    )
                } else {
                    format!("actor `{}` has a position on an unknown issue `{k}`", a.id.get_ref())
                };
                let list = if spatial_ids.is_empty() {
                    "none".to_string()
                } else {
                    spatial_ids.join(", ")
                };
                err(
                    &mut diags,
                    Kind::UnknownReference,
                    p.span(),
                    msg,
                    &format!(
                        "positions are given on spatial issues (with scale = [low, high]); spatial issues here: {list}"
                    ),
                );
            }
        }
        if let Some(c) = &a.capability
            && !(c.get_ref().is_finite() && *c.get_ref() >= 0.0)
        {
            err(
                &mut diags,
                Kind::OutOfRange,
                c.span(),
                format!(
                    "capability {} of actor `{}` is not a number >= 0",
                    c.get_ref(),
                    a.id.get_ref()
                ),
                "capability is a share of power or resources: 0 or more, in any unit common to all actors",
            );
        }
    }
    if spatial_ids.is_empty() {
        return (out, diags);
    }
    let n = raw.actor.len();
    for k in 0..raw.issue.len() {
        let Some(si) = expand_issue(raw, k, &mut diags) else {
            continue;
        };
        out.issues.push(si);
    }
    // capability is the recognition weight unless one is given
    for a in &mut raw.actor {
        let a = a.get_mut();
        if a.recognition.is_none()
            && let Some(c) = &a.capability
        {
            a.recognition = Some(S::new(c.span(), Dist::Fixed(*c.get_ref())));
        }
    }
    // groups
    let mut names: Vec<String> = vec![];
    for si in &out.issues {
        if let Some(g) = &si.group
            && !names.contains(g)
        {
            names.push(g.clone());
        }
    }
    for g in names {
        let members: Vec<&SpatialIssue> = out.issues.iter().filter(|s| s.group.as_deref() == Some(&g)).collect();
        let loss = members[0].loss;
        if let Some(bad) = members.iter().find(|s| s.loss != loss) {
            let span = raw.issue[bad.issue].get_ref().group.as_ref().expect("grouped").span();
            err(
                &mut diags,
                Kind::Inconsistent,
                span,
                format!(
                    "issue `{}` has loss \"{}\" but the first issue of group `{g}` has \"{}\"",
                    issue_ids[bad.issue],
                    loss_word(bad.loss),
                    loss_word(loss)
                ),
                "every issue of a group shares one distance: give them the same `loss`",
            );
            continue;
        }
        if loss == Loss::Quadratic || members.len() < 2 {
            continue; // additive: the expanded utilities are exact
        }
        out.groups.push(Group {
            id: g.clone(),
            issues: members.iter().map(|s| s.issue).collect(),
            points: members.iter().map(|s| s.points.clone()).collect(),
            width: members.iter().map(|s| s.width()).collect(),
            position: (0..n)
                .map(|i| members.iter().map(|s| s.position[i].unwrap_or(s.low)).collect())
                .collect(),
        });
    }
    (out, diags)
}

fn loss_word(l: Loss) -> &'static str {
    match l {
        Loss::Linear => "linear",
        Loss::Quadratic => "quadratic",
    }
}

/// Expands issue `k` if it is spatial.
fn expand_issue(raw: &mut RawScenario, k: usize, diags: &mut Vec<Diagnostic>) -> Option<SpatialIssue> {
    let issue = raw.issue[k].get_ref();
    let scale = issue.scale.as_ref()?;
    let id = issue.id.get_ref().clone();
    let ids = scale.get_ref();
    if ids.len() != 2 {
        err(
            diags,
            Kind::WrongType,
            scale.span(),
            format!("scale of issue `{id}` has {} numbers, not 2", ids.len()),
            "write the scale's two ends: scale = [0, 100]",
        );
        return None;
    }
    let (low, high) = (*ids[0].get_ref(), *ids[1].get_ref());
    if !(low.is_finite() && high.is_finite() && low < high) {
        err(
            diags,
            Kind::OutOfRange,
            scale.span(),
            format!("scale of issue `{id}` is [{low}, {high}]: its low end must be below its high end"),
            "write scale = [low, high] with finite numbers, low < high, e.g. [0, 100]",
        );
        return None;
    }
    for (key, bad) in [
        ("options", issue.options.first().map(S::span)),
        ("kind", issue.kind.as_ref().map(S::span)),
        ("between", issue.between.as_ref().map(S::span)),
        ("among", issue.among.as_ref().map(S::span)),
        ("frontline", issue.frontline.as_ref().map(S::span)),
    ] {
        if let Some(span) = bad {
            err(
                diags,
                Kind::Inconsistent,
                span,
                format!("issue `{id}` has a scale and `{key}`"),
                "a spatial issue's options are points of its scale (set by `grid`, `step` or the positions): remove the key, or the scale",
            );
            return None;
        }
    }
    let loss = match issue.loss.as_ref().map(|l| l.get_ref().as_str()) {
        None | Some("linear") => Loss::Linear,
        Some("quadratic") => Loss::Quadratic,
        Some(other) => {
            err(
                diags,
                Kind::UnknownValue,
                issue.loss.as_ref().expect("given").span(),
                format!("unknown loss `{other}`"),
                "use loss = \"linear\" (1 − |x − p|/W) or loss = \"quadratic\" (1 − ((x − p)/W)²)",
            );
            Loss::Linear
        }
    };
    let width = high - low;
    // positions of the actors with a salience entry for the issue
    let n = raw.actor.len();
    let mut position = vec![None; n];
    let mut ok = true;
    for (i, a) in raw.actor.iter().enumerate() {
        let a = a.get_ref();
        let p = a.position.get(&id);
        let salient = a.salience.get_ref().contains_key(&id);
        if let Some(u) = a.utility.as_ref().and_then(|u| u.get_ref().get(&id)) {
            err(
                diags,
                Kind::Inconsistent,
                u.span(),
                format!(
                    "actor `{}` gives utilities for the spatial issue `{id}`",
                    a.id.get_ref()
                ),
                "a spatial issue's utilities come from the distance to the actor's position: give position = { ... } instead",
            );
            ok = false;
        }
        match p {
            Some(p) => {
                let x = *p.get_ref();
                if !(x.is_finite() && low <= x && x <= high) {
                    err(
                        diags,
                        Kind::OutOfRange,
                        p.span(),
                        format!(
                            "position {x} of actor `{}` on issue `{id}` is outside its scale [{}, {}]",
                            a.id.get_ref(),
                            fmt(low),
                            fmt(high)
                        ),
                        "give a position on the issue's scale, or widen the scale",
                    );
                    ok = false;
                } else {
                    position[i] = Some(x);
                }
            }
            None if salient => {
                let s = a.salience.get_ref().get(&id).expect("salient");
                err(
                    diags,
                    Kind::MissingKey,
                    s.span(),
                    format!(
                        "actor `{}` has a salience on the spatial issue `{id}` but no position on it",
                        a.id.get_ref()
                    ),
                    &format!(
                        "add position = {{ {id} = ... }} to the actor (a point of the scale [{}, {}])",
                        fmt(low),
                        fmt(high)
                    ),
                );
                ok = false;
            }
            None => {}
        }
    }
    // the options' points
    let points: Vec<f64> = match (&issue.grid, &issue.step) {
        (Some(_), Some(st)) => {
            err(
                diags,
                Kind::Inconsistent,
                st.span(),
                format!("issue `{id}` has both `grid` and `step`"),
                "give one: grid = 21 (points, ends included) or step = 5 (scale units)",
            );
            return None;
        }
        (Some(g), None) => {
            let m = *g.get_ref();
            if !(2..=MAX_POINTS as i64).contains(&m) {
                err(
                    diags,
                    Kind::OutOfRange,
                    g.span(),
                    format!("grid = {m} on issue `{id}`: a grid has 2 to {MAX_POINTS} points"),
                    "give the number of evenly spaced options, ends included, e.g. grid = 21 for every 5 on [0, 100]",
                );
                return None;
            }
            let m = m as usize;
            (0..m).map(|j| low + width * j as f64 / (m - 1) as f64).collect()
        }
        (None, Some(st)) => {
            let step = *st.get_ref();
            let count = width / step;
            if !(step.is_finite() && step > 0.0)
                || count > (MAX_POINTS - 1) as f64 + 1e-9
                || (count - count.round()).abs() > 1e-9 * count.max(1.0)
            {
                err(
                    diags,
                    Kind::OutOfRange,
                    st.span(),
                    format!(
                        "step = {step} on issue `{id}` does not divide its scale's width {} into at most {} steps",
                        fmt(width),
                        MAX_POINTS - 1
                    ),
                    "give a step > 0 that divides high − low exactly, e.g. step = 5 on [0, 100], or use grid = N",
                );
                return None;
            }
            let m = count.round() as usize + 1;
            (0..m).map(|j| low + width * j as f64 / (m - 1) as f64).collect()
        }
        (None, None) => {
            let mut v: Vec<f64> = position.iter().flatten().copied().collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            if v.is_empty() && ok {
                err(
                    diags,
                    Kind::Incomplete,
                    scale.span(),
                    format!("spatial issue `{id}` has no `grid`, no `step` and no actor with a position on it"),
                    "give the options with grid = N or step = x, or give actors a position on it",
                );
            }
            v
        }
    };
    if !ok || points.is_empty() {
        return None;
    }
    let group = issue.group.as_ref().map(|g| g.get_ref().clone());
    // expand: options, then each positioned actor's utility list
    let span = scale.span();
    let options: Vec<S<super::raw::RawOption>> = points
        .iter()
        .map(|&x| {
            S::new(
                span.clone(),
                super::raw::RawOption {
                    id: S::new(span.clone(), format!("{id}_{}", id_part(x))),
                    label: Some(fmt(x)),
                    consent: vec![],
                    hazard_ratio: None,
                    band_widening: None,
                    note: None,
                },
            )
        })
        .collect();
    raw.issue[k].get_mut().options = options;
    for (i, a) in raw.actor.iter_mut().enumerate() {
        let Some(p) = position[i] else { continue };
        let a = a.get_mut();
        let pspan = a.position.get(&id).expect("positioned").span();
        let list: Vec<S<Dist>> = points
            .iter()
            .map(|&x| S::new(pspan.clone(), Dist::Fixed(loss.value(x, p, width))))
            .collect();
        let table = a.utility.get_or_insert_with(|| S::new(pspan.clone(), BTreeMap::new()));
        table.get_mut().insert(id.clone(), S::new(pspan.clone(), list));
    }
    Some(SpatialIssue {
        issue: k,
        low,
        high,
        loss,
        points,
        position,
        group,
    })
}

/// The salience × capability weighted mean and median of the actors' positions on a spatial
/// issue (Bueno de Mesquita 1994; Achen 2006): `Σ c s p / Σ c s`, and the position at which the
/// cumulative weight first reaches half (the weighted median, the Condorcet winner of votes
/// weighted by c s). `None` when no actor has weight.
pub fn weighted_mean_median(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let total: f64 = points.iter().map(|p| p.1).sum();
    if total <= 0.0 {
        return None;
    }
    let mean = points.iter().map(|p| p.0 * p.1).sum::<f64>() / total;
    let mut sorted: Vec<(f64, f64)> = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut acc = 0.0;
    let mut median = sorted[0].0;
    for (x, w) in sorted {
        acc += w;
        if acc >= total / 2.0 {
            median = x;
            break;
        }
    }
    Some((mean, median))
}

/// Actor i's value of a package with the scenario's groups: the additive terms `w_k v_k(o_k)` of
/// the issues outside every group (`additive(k)`) plus each group's Euclidean term. `opts(k)` is
/// the package's option on issue k, `w` the actor's saliences by issue.
pub fn package_value(
    groups: &[Group],
    i: usize,
    m: usize,
    opts: impl Fn(usize) -> usize + Copy,
    w: &[f64],
    additive: impl Fn(usize, usize) -> f64,
) -> f64 {
    let mut u = 0.0;
    for (k, wk) in w.iter().enumerate().take(m) {
        if !groups.iter().any(|g| g.issues.contains(&k)) {
            u += wk * additive(k, opts(k));
        }
    }
    u + groups.iter().map(|g| g.value(i, opts, w)).sum::<f64>()
}
