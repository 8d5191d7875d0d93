//! The GENIUS XML format (Lin, Kraus, Baarslag, Tykhonov, Hindriks and Jonker 2014, "GENIUS: an
//! integrated environment for supporting the design of generic automated negotiators",
//! Computational Intelligence 30(1)), as shipped with the automated-negotiation competitions
//! (ANAC) and read by `negmas`.
//!
//! A domain file (`<negotiation_template>` or `<utility_space>`) lists the issues under an
//! `<objective>`: `<issue index="1" name="..." type="discrete">` with its
//! `<item index="1" value="..."/>`s. A profile (`<utility_space>`) repeats the issues with an
//! `evaluation` on each item, a `<weight index="k" value="w"/>` per issue, and optionally
//! `<reservation value="r"/>` and `<discount_factor value="d"/>`. The utility of an outcome ω is
//! additive: `U(ω) = Σ_k w_k · e_k(ω_k) / max_j e_k(j)` (GENIUS's discrete evaluator divides
//! each evaluation by the issue's largest), with the weights summing to 1.
//!
//! Only discrete issues are read (integer and real issues are reported, located).

use super::{FileProblems, ImportError, make_id, num, quote, read_text, unique};
use crate::scenario::diag::{Diagnostic, DiagnosticKind as Kind};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// A negotiation domain: its issues and their values, in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct Domain {
    /// The objective's `name`, or the file's stem.
    pub name: String,
    pub issues: Vec<Issue>,
}

/// One discrete issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub name: String,
    pub values: Vec<String>,
}

/// One party's utility profile, aligned with the [`Domain`]'s issues and values.
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    /// The file's stem.
    pub name: String,
    pub path: PathBuf,
    /// Per issue: its weight as written.
    pub weights: Vec<f64>,
    /// Per issue, per value: the evaluation as written (>= 0).
    pub evaluations: Vec<Vec<f64>>,
    /// `<reservation value>`: the utility of no agreement, if given.
    pub reservation: Option<f64>,
    /// `<discount_factor value>`, if given.
    pub discount: Option<f64>,
}

impl Profile {
    /// `e_k(o) / max_j e_k(j)` (0 when every evaluation of the issue is 0).
    pub fn value(&self, k: usize, o: usize) -> f64 {
        let max = self.evaluations[k].iter().copied().fold(0.0, f64::max);
        if max > 0.0 { self.evaluations[k][o] / max } else { 0.0 }
    }

    /// The weights normalised to sum to 1 (as the scenario's saliences are).
    pub fn normalised_weights(&self) -> Vec<f64> {
        let t: f64 = self.weights.iter().sum();
        self.weights.iter().map(|w| if t > 0.0 { w / t } else { 0.0 }).collect()
    }

    /// `U(ω) = Σ_k w_k e_k(ω_k)/max e_k`, weights normalised.
    pub fn utility(&self, outcome: &[usize]) -> f64 {
        let w = self.normalised_weights();
        outcome.iter().enumerate().map(|(k, &o)| w[k] * self.value(k, o)).sum()
    }
}

/// An item: its value, its evaluation with where it was written, and the item's span.
type Item = (String, Option<(f64, Range<usize>)>, Range<usize>);

/// A parsed issue with where it was written.
struct RawIssue {
    name: String,
    index: Option<String>,
    span: Range<usize>,
    /// `(value, evaluation, span of the item)`.
    items: Vec<Item>,
}

struct Parsed {
    objective: String,
    root: Range<usize>,
    issues: Vec<RawIssue>,
    /// `(index, value, span)`.
    weights: Vec<(String, f64, Range<usize>)>,
    reservation: Option<f64>,
    discount: Option<f64>,
}

struct Sink {
    diags: Vec<Diagnostic>,
}

impl Sink {
    fn err(&mut self, kind: Kind, span: Range<usize>, msg: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::error(kind, Some(span), msg, help));
    }
}

fn number(sink: &mut Sink, node: roxmltree::Node, attr: &str, what: &str) -> Option<f64> {
    let a = node.attribute_node(attr)?;
    match a.value().trim().parse::<f64>() {
        Ok(x) if x.is_finite() => Some(x),
        _ => {
            sink.err(
                Kind::WrongType,
                a.range_value(),
                format!("{what} `{}` is not a number", a.value()),
                format!("write the {what} as a decimal number, e.g. {attr}=\"0.5\""),
            );
            None
        }
    }
}

/// Parses one GENIUS file; `profile` asks for evaluations and weights.
fn parse(path: &Path, text: &str, profile: bool) -> Result<Parsed, ImportError> {
    let doc = roxmltree::Document::parse(text).map_err(|e| {
        let p = e.pos();
        let at = super::offset_of(text, p.row, p.col);
        ImportError::one(
            path,
            text,
            Diagnostic::error(
                Kind::Syntax,
                Some(at..(at + 1).min(text.len()).max(at)),
                format!("not well-formed XML: {e}"),
                "a GENIUS file is XML: check that every tag is closed and every attribute quoted",
            ),
        )
    })?;
    let mut sink = Sink { diags: vec![] };
    let root = doc.root_element();
    let Some(objective) = root.descendants().find(|n| n.has_tag_name("objective")) else {
        return Err(ImportError::one(
            path,
            text,
            Diagnostic::error(
                Kind::Incomplete,
                Some(root.range()),
                format!("<{}> has no <objective>", root.tag_name().name()),
                "a GENIUS domain or profile lists its issues in <utility_space><objective>...</objective></utility_space>",
            ),
        ));
    };
    let mut issues = vec![];
    for issue in objective.descendants().filter(|n| n.has_tag_name("issue")) {
        let name = match issue.attribute("name") {
            Some(n) => n.to_string(),
            None => {
                sink.err(
                    Kind::MissingKey,
                    issue.range(),
                    "<issue> without a name",
                    "give each issue a name=\"...\" attribute",
                );
                continue;
            }
        };
        let mut unsupported = false;
        for attr in ["type", "etype", "vtype"] {
            if let Some(a) = issue.attribute_node(attr)
                && !matches!(a.value(), "discrete" | "")
                && !unsupported
            {
                unsupported = true;
                sink.err(
                    Kind::UnknownValue,
                    a.range_value(),
                    format!("issue `{name}` is {}: only discrete issues can be imported", a.value()),
                    "list the issue's values as a discrete issue (<issue type=\"discrete\"> with <item value=\"...\"/>s)",
                );
            }
        }
        let mut items = vec![];
        for item in issue.children().filter(|n| n.has_tag_name("item")) {
            let Some(value) = item.attribute("value") else {
                sink.err(
                    Kind::MissingKey,
                    item.range(),
                    format!("an <item> of issue `{name}` has no value"),
                    "give each item a value=\"...\" attribute",
                );
                continue;
            };
            if items.iter().any(|i: &Item| i.0 == value) {
                sink.err(
                    Kind::DuplicateId,
                    item.range(),
                    format!("value `{value}` appears twice in issue `{name}`"),
                    "list each value of an issue once (with one evaluation): remove or rename this <item>",
                );
                continue;
            }
            let eval = if profile {
                match item.attribute_node("evaluation") {
                    None => {
                        sink.err(
                            Kind::MissingKey,
                            item.range(),
                            format!("value `{value}` of issue `{name}` has no evaluation"),
                            "a profile gives every item an evaluation=\"...\" (>= 0; divided by the issue's largest)",
                        );
                        None
                    }
                    Some(a) => match number(&mut sink, item, "evaluation", "evaluation") {
                        Some(x) if x >= 0.0 => Some((x, a.range_value())),
                        Some(x) => {
                            sink.err(
                                Kind::OutOfRange,
                                a.range_value(),
                                format!("evaluation {x} of value `{value}` is negative"),
                                "evaluations are >= 0 (GENIUS divides them by the issue's largest)",
                            );
                            None
                        }
                        None => None,
                    },
                }
            } else {
                None
            };
            items.push((value.to_string(), eval, item.range()));
        }
        if items.is_empty() && !unsupported {
            sink.err(
                Kind::Incomplete,
                issue.range(),
                format!("issue `{name}` has no <item>s"),
                "list the issue's values: <item index=\"1\" value=\"...\"/>",
            );
        }
        issues.push(RawIssue {
            name,
            index: issue.attribute("index").map(str::to_string),
            span: issue.range(),
            items,
        });
    }
    if issues.is_empty() {
        sink.err(
            Kind::Incomplete,
            objective.range(),
            "the <objective> has no <issue>",
            "list the issues: <issue index=\"1\" name=\"...\" type=\"discrete\"> with its <item>s",
        );
    }
    let mut weights = vec![];
    for w in objective.children().filter(|n| n.has_tag_name("weight")) {
        let index = w.attribute("index").unwrap_or("").to_string();
        if let Some(x) = number(&mut sink, w, "value", "weight") {
            if x < 0.0 {
                sink.err(
                    Kind::OutOfRange,
                    w.range(),
                    format!("weight {x} is negative"),
                    "issue weights are >= 0 and sum to 1",
                );
            }
            weights.push((index, x, w.range()));
        }
    }
    let single = |tag: &str, sink: &mut Sink| {
        root.descendants()
            .find(|n| n.has_tag_name(tag))
            .and_then(|n| number(sink, n, "value", tag))
    };
    let reservation = single("reservation", &mut sink);
    let discount = single("discount_factor", &mut sink);
    if let Some(d) = discount
        && !(0.0 < d && d <= 1.0)
    {
        let n = root
            .descendants()
            .find(|n| n.has_tag_name("discount_factor"))
            .expect("found");
        sink.err(
            Kind::OutOfRange,
            n.range(),
            format!("discount factor {d} is not in (0, 1]"),
            "a GENIUS discount factor is in (0, 1] (1 = no discounting)",
        );
    }
    if !sink.diags.is_empty() {
        return Err(ImportError {
            files: vec![FileProblems {
                path: path.to_path_buf(),
                text: text.to_string(),
                diagnostics: sink.diags,
            }],
        });
    }
    Ok(Parsed {
        objective: objective.attribute("name").unwrap_or("").to_string(),
        root: root.range(),
        issues,
        weights,
        reservation,
        discount,
    })
}

/// The domain a parsed file lists: its objective's name (else the file's stem) and its issues
/// with their values in file order.
fn domain_of(x: &Parsed, path: &Path) -> Domain {
    Domain {
        name: if x.objective.is_empty() {
            stem(path)
        } else {
            x.objective.clone()
        },
        issues: x
            .issues
            .iter()
            .map(|i| Issue {
                name: i.name.clone(),
                values: i.items.iter().map(|v| v.0.clone()).collect(),
            })
            .collect(),
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "party".into())
}

/// Reads a domain (from `domain`, or from the first profile when `None`) and two profiles.
pub fn read(domain: Option<&Path>, profiles: &[PathBuf]) -> Result<(Domain, Vec<Profile>), ImportError> {
    let mut problems = vec![];
    let mut texts = vec![];
    let mut parsed = vec![];
    for (k, p) in profiles.iter().enumerate() {
        let text = read_text(p)?;
        match parse(p, &text, true) {
            Ok(x) => parsed.push(Some(x)),
            Err(e) => {
                problems.extend(e.files);
                parsed.push(None);
            }
        }
        texts.push(text);
        let _ = k;
    }
    let dom = match domain {
        Some(d) => {
            let text = read_text(d)?;
            match parse(d, &text, false) {
                Ok(x) => Some(domain_of(&x, d)),
                Err(e) => {
                    problems.extend(e.files);
                    None
                }
            }
        }
        None => parsed
            .first()
            .and_then(|p| p.as_ref())
            .map(|x| domain_of(x, &profiles[0])),
    };
    if !problems.is_empty() {
        return Err(ImportError { files: problems });
    }
    let dom = dom.expect("no problems");
    let mut out = vec![];
    for (k, x) in parsed.into_iter().enumerate() {
        let x = x.expect("no problems");
        let (path, text) = (&profiles[k], &texts[k]);
        let mut sink = Sink { diags: vec![] };
        let mut weights = vec![0.0; dom.issues.len()];
        let mut evals = vec![vec![0.0; 0]; dom.issues.len()];
        let mut seen = vec![false; dom.issues.len()];
        for ri in &x.issues {
            let Some(k) = dom.issues.iter().position(|i| i.name == ri.name) else {
                sink.err(
                    Kind::UnknownReference,
                    ri.span.clone(),
                    format!("the domain has no issue `{}`", ri.name),
                    format!(
                        "the domain's issues are {}",
                        dom.issues
                            .iter()
                            .map(|i| i.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                continue;
            };
            seen[k] = true;
            let mut e = vec![f64::NAN; dom.issues[k].values.len()];
            for (v, ev, span) in &ri.items {
                match dom.issues[k].values.iter().position(|x| x == v) {
                    Some(o) => e[o] = ev.as_ref().map_or(0.0, |p| p.0),
                    None => sink.err(
                        Kind::UnknownReference,
                        span.clone(),
                        format!("issue `{}` of the domain has no value `{v}`", ri.name),
                        format!("its values are {}", dom.issues[k].values.join(", ")),
                    ),
                }
            }
            for (o, x) in e.iter().enumerate() {
                if x.is_nan() {
                    sink.err(
                        Kind::Incomplete,
                        ri.span.clone(),
                        format!(
                            "issue `{}` gives no evaluation for value `{}`",
                            ri.name, dom.issues[k].values[o]
                        ),
                        "give every value of the domain an <item value=\"...\" evaluation=\"...\"/>",
                    );
                }
            }
            evals[k] = e;
            // the weight with the issue's index
            match x.weights.iter().find(|w| Some(&w.0) == ri.index.as_ref()) {
                Some(w) => weights[k] = w.1,
                None => sink.err(
                    Kind::MissingKey,
                    ri.span.clone(),
                    format!(
                        "issue `{}` has no <weight index=\"{}\">",
                        ri.name,
                        ri.index.as_deref().unwrap_or("?")
                    ),
                    "give each issue a weight in the <objective>: <weight index=\"k\" value=\"w\"/>",
                ),
            }
        }
        if sink.diags.is_empty() && weights.iter().all(|&w| w == 0.0) {
            // every issue weighs 0: the party values every outcome alike
            let at = x.weights.first().map_or(x.root.clone(), |w| w.2.clone());
            sink.err(
                Kind::OutOfRange,
                at,
                "every issue's weight is 0: the profile values every outcome alike",
                "give the issues the party cares about positive weights (GENIUS weights are >= 0 and sum to 1)",
            );
        }
        for (k, s) in seen.iter().enumerate() {
            if !s {
                sink.err(
                    Kind::Incomplete,
                    x.root.clone(),
                    format!(
                        "the profile does not evaluate issue `{}` of the domain",
                        dom.issues[k].name
                    ),
                    "give the issue with an evaluation on each value and a weight",
                );
            }
        }
        if !sink.diags.is_empty() {
            problems.push(FileProblems {
                path: path.clone(),
                text: text.clone(),
                diagnostics: sink.diags,
            });
            continue;
        }
        out.push(Profile {
            name: stem(path),
            path: path.clone(),
            weights,
            evaluations: evals,
            reservation: x.reservation,
            discount: x.discount,
        });
    }
    if !problems.is_empty() {
        return Err(ImportError { files: problems });
    }
    Ok((dom, out))
}

/// Reads the files and writes the scenario (see [`to_scenario`]).
pub fn import(domain: Option<&Path>, profiles: &[PathBuf]) -> Result<String, ImportError> {
    let (dom, profs) = read(domain, profiles)?;
    let sources: Vec<String> = domain
        .into_iter()
        .map(Path::to_path_buf)
        .chain(profiles.iter().cloned())
        .map(|p| p.display().to_string())
        .collect();
    Ok(to_scenario(&dom, &profs, &sources))
}

/// The scenario text: one ordinal issue per GENIUS issue (options in the domain's order), one
/// actor per profile with its weights as saliences and `e/max e` as utilities, its reservation
/// value and its discount factor.
pub fn to_scenario(dom: &Domain, profs: &[Profile], sources: &[String]) -> String {
    let mut t = String::new();
    let id = make_id(&dom.name).to_lowercase();
    t.push_str(&format!(
        "# Imported by `armistice import genius` from {}.\n",
        sources.join(", ")
    ));
    t.push_str(
        "#\n# GENIUS utilities are additive: U(ω) = Σ_k w_k · e_k(ω_k) / max e_k. Here each issue's weight w_k\n\
         # is the actor's `salience` and e/max e its `utility` list (in option order). The profile's\n\
         # reservation value is the actor's `reservation_value` (what no agreement is worth to it).\n\
         # The rest is this tool's bargaining model (docs/model.md): check the protocol below.\n\n",
    );
    t.push_str("[scenario]\n");
    t.push_str(&format!("id = {}\n", quote(&id)));
    t.push_str(&format!(
        "title = {}\n",
        quote(&format!("{} (imported from GENIUS)", dom.name))
    ));
    // no as_of, no round_length: a GENIUS domain has no date and its rounds no calendar length
    t.push_str("horizon = 100                 # rounds observed (one offer and its answer each)\n");
    t.push_str(&format!(
        "sources = [{}]\n\n",
        sources.iter().map(|s| quote(s)).collect::<Vec<_>>().join(", ")
    ));
    t.push_str("[protocol]\n");
    t.push_str("recognition = \"alternating\"    # the parties take turns proposing (Rubinstein)\n");
    t.push_str("quota = \"unanimity\"            # both must accept\n");
    if profs.iter().any(|p| !p.discount.is_some_and(|d| d < 1.0)) {
        // without discounting, only the session's deadline makes waiting costly
        t.push_str(
            "deadline = 100                # a GENIUS session ends at its deadline, each party then getting its\n\
             #                               reservation value; a party without a discount factor waits for it\n",
        );
    }
    t.push('\n');
    // issues and options
    let issue_ids = unique(dom.issues.iter().map(|i| make_id(&i.name)).collect());
    for (k, issue) in dom.issues.iter().enumerate() {
        t.push_str("[[issue]]\n");
        t.push_str(&format!("id = {}\n", quote(&issue_ids[k])));
        if issue_ids[k] != issue.name {
            t.push_str(&format!("title = {}\n", quote(&issue.name)));
        }
        let opt_ids = unique(issue.values.iter().map(|v| make_id(v)).collect());
        t.push_str("options = [\n");
        for (o, v) in issue.values.iter().enumerate() {
            if opt_ids[o] == *v {
                t.push_str(&format!("  {{ id = {} }},\n", quote(&opt_ids[o])));
            } else {
                t.push_str(&format!("  {{ id = {}, label = {} }},\n", quote(&opt_ids[o]), quote(v)));
            }
        }
        t.push_str("]\n\n");
    }
    let actor_ids = unique(profs.iter().map(|p| make_id(&p.name)).collect());
    for (a, p) in profs.iter().enumerate() {
        t.push_str("[[actor]]\n");
        t.push_str(&format!("id = {}\n", quote(&actor_ids[a])));
        if actor_ids[a] != p.name {
            t.push_str(&format!("name = {}\n", quote(&p.name)));
        }
        t.push_str(&format!("note = {}\n", quote(&format!("profile {}", p.path.display()))));
        match p.discount {
            Some(d) if d < 1.0 => t.push_str(&format!(
                "# GENIUS discount factor {}: utility × d^t over the whole session (t from 0 to 1), here per\n# round over the 100-round horizon: d^(1/100)\ndiscount = {}\n",
                num(d),
                num(d.powf(0.01))
            )),
            _ => t.push_str("# no discount factor below 1 in the profile: discount 1 (the default), the deadline counts\n"),
        }
        if let Some(r) = p.reservation {
            t.push_str(&format!("reservation_value = {}\n", num(r)));
        }
        let sal: Vec<String> = dom
            .issues
            .iter()
            .enumerate()
            .map(|(k, _)| format!("{} = {}", issue_ids[k], num(p.weights[k])))
            .collect();
        t.push_str(&format!("salience = {{ {} }}\n", sal.join(", ")));
        for (k, issue) in dom.issues.iter().enumerate() {
            let vals: Vec<String> = (0..issue.values.len()).map(|o| num(p.value(k, o))).collect();
            t.push_str(&format!("utility.{} = [{}]\n", issue_ids[k], vals.join(", ")));
        }
        t.push('\n');
    }
    t
}
