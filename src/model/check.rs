//! What the model makes of a valid scenario, checked before any run: warnings that need the
//! package space (`docs/model.md` §1), which the scenario layer cannot build.
//!
//! [`load`] and [`from_bytes`] are [`Scenario::load`] and [`Scenario::from_bytes`] with these
//! warnings added; the command-line tool loads every scenario through them.

use super::params::BindingRedLine;
use super::{PackageSet, RunParams};
use crate::scenario::{Diagnostic, DiagnosticKind, Dist, Scenario, ScenarioError, diag};
use rand::SeedableRng;
use rand::rngs::ChaCha8Rng;
use std::path::Path;

/// Loads and validates a scenario file, then adds the model's warnings to
/// [`Scenario::warnings`].
///
/// # Errors
/// The [`ScenarioError`] of [`Scenario::load`].
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    Scenario::load(path).map(with_warnings)
}

/// [`Scenario::from_bytes`] with the model's warnings added.
///
/// # Errors
/// The [`ScenarioError`] of [`Scenario::from_bytes`].
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario, ScenarioError> {
    Scenario::from_bytes(path, bytes).map(with_warnings)
}

fn with_warnings(mut s: Scenario) -> Scenario {
    if let Some(d) = impossible_agreement(&s) {
        let text = diag::render(&s.path, &s.source, &d);
        s.warnings.push(text);
    }
    s
}

/// A warning when the red lines that always bind (binding = 1) and the consents that are never
/// given (consent = 0) leave no package that could pass: agreement is then impossible in every run.
pub fn impossible_agreement(s: &Scenario) -> Option<Diagnostic> {
    let certain = |d: &Dist| matches!(d, Dist::Fixed(x) if *x >= 1.0);
    // a line with `when` conditions binds always only if every condition's value is 1 too
    let always = |i: usize, k: usize, d: &Dist| {
        certain(d)
            && s.positions
                .red_lines
                .iter()
                .filter(|(a, l, _)| (*a, *l) == (i, k))
                .all(|(_, _, when)| when.iter().all(|c| c.value >= 1.0))
    };
    let mut p = RunParams::draw(s, &mut ChaCha8Rng::seed_from_u64(0));
    p.red_lines = s
        .actors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            a.red_lines
                .iter()
                .enumerate()
                .filter(|(k, l)| always(i, *k, &l.binding))
                .map(|(_, l)| BindingRedLine::of(s, l))
                .collect()
        })
        .collect();
    p.body_consents = s
        .bodies
        .iter()
        .map(|b| !matches!(b.consent, Dist::Fixed(x) if x <= 0.0))
        .collect();
    if !PackageSet::build(s, &p).is_empty() {
        return None;
    }
    let lines: Vec<String> = s
        .actors
        .iter()
        .enumerate()
        .flat_map(|(i, a)| {
            let always = &always;
            a.red_lines
                .iter()
                .enumerate()
                .filter(move |(k, l)| always(i, *k, &l.binding))
                .map(move |(_, l)| {
                    let issue = &s.issues[l.issue];
                    let opts: Vec<&str> = l.options.iter().map(|&o| issue.options[o].id.as_str()).collect();
                    format!("{} rejects {} {}", a.id, issue.id, opts.join("/"))
                })
        })
        .collect();
    Some(Diagnostic::warning(
        DiagnosticKind::Infeasible,
        None,
        "agreement is impossible: no package passes the red lines that always bind (binding = 1) and the consents that are never given",
        format!(
            "lower a binding probability or allow another option; always-binding lines: {}",
            if lines.is_empty() {
                "none (a body never consents)".into()
            } else {
                lines.join("; ")
            }
        ),
    ))
}
