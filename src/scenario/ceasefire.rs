//! `[ceasefire]`: a ceasefire agreement that can come before a settlement (`docs/model.md` §9.1).
//!
//! A ceasefire package is one option of every ceasefire term (`[[ceasefire.term]]`; none
//! declared: one bare ceasefire that freezes the front where it stands). While a ceasefire holds,
//! war costs stop (an actor may keep a residual cost), every frontline is frozen (at the current
//! position, or where a term's option puts it), and the ceasefire collapses back to war with a
//! Weibull proportional hazard (as the durability model of `docs/model.md` §5). Settlement talks
//! go on under the ceasefire, with the ceasefire as the status quo.

use super::dist::Dist;
use serde::Serialize;

/// `[ceasefire]`.
#[derive(Debug, Clone, Serialize)]
pub struct Ceasefire {
    /// Actors (indices) whose acceptance every ceasefire needs.
    pub signatories: Vec<usize>,
    /// Per actor: cost per round of a ceasefire in force (violations, mobilisation), utility
    /// units per round, >= 0. Default 0.
    pub residual_war_cost: Vec<Dist>,
    /// Per actor: probability that, in a run, it refuses every ceasefire (a ceasefire-first
    /// sequence is a red line for it), in [0, 1]. Default 0.
    pub refused: Vec<Dist>,
    /// The collapse hazard.
    pub collapse: Collapse,
    /// The terms of a ceasefire; empty: a single bare ceasefire.
    pub terms: Vec<CeasefireTerm>,
}

/// `[ceasefire.collapse]`: Weibull proportional hazards of a return to war, ages in years.
#[derive(Debug, Clone, Serialize)]
pub struct Collapse {
    /// Weibull shape k > 0 (below 1: risk highest just after the ceasefire starts).
    pub shape: Dist,
    /// P(a bare ceasefire collapses within `years`), in (0, 1).
    pub p_collapse: Dist,
    /// Horizon of `p_collapse`, years, > 0.
    pub years: f64,
}

/// `[[ceasefire.term]]`: one dimension of a ceasefire agreement (where the line is frozen,
/// monitoring, sequencing).
#[derive(Debug, Clone, Serialize)]
pub struct CeasefireTerm {
    pub id: String,
    pub label: String,
    pub options: Vec<CeasefireOption>,
}

/// One option of a ceasefire term.
#[derive(Debug, Clone, Serialize)]
pub struct CeasefireOption {
    pub id: String,
    pub label: String,
    pub note: Option<String>,
    /// Multiplies the collapse hazard (below 1: the option makes the ceasefire hold longer), > 0.
    pub hazard_ratio: Dist,
    /// Per actor: value of living under a ceasefire with this option, utility units, lump sum
    /// (the same scale as option utilities; default 0).
    pub utility: Vec<Dist>,
    /// Per actor: probability that it refuses any ceasefire with this option in a run.
    pub refused_by: Vec<Dist>,
    /// `(issue, position)`: where the option freezes an issue's frontline, in path steps.
    pub freeze_at: Vec<(usize, f64)>,
}

impl Ceasefire {
    /// Number of ceasefire packages: the product of the terms' option counts (1 without terms).
    pub fn packages(&self) -> usize {
        self.terms.iter().map(|t| t.options.len()).product()
    }

    /// The option index of every term in ceasefire package `c` (mixed radix, first term most
    /// significant).
    pub fn decode(&self, mut c: usize) -> Vec<usize> {
        let mut out = vec![0; self.terms.len()];
        for (k, t) in self.terms.iter().enumerate().rev() {
            out[k] = c % t.options.len();
            c /= t.options.len();
        }
        out
    }

    /// A ceasefire package's readable name: its option ids joined by ` · ` ("ceasefire" for a
    /// bare ceasefire without terms).
    pub fn label(&self, c: usize) -> String {
        if self.terms.is_empty() {
            return "ceasefire".into();
        }
        self.decode(c)
            .iter()
            .enumerate()
            .map(|(k, &o)| self.terms[k].options[o].id.as_str())
            .collect::<Vec<_>>()
            .join(" · ")
    }
}
