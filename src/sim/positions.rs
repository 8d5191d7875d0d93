//! Positions that depend on the state of the war (`docs/model.md` §9.2), during a run.
//!
//! At the start of every round (after the round's events fired) each state-dependent target is
//! re-evaluated against the war's state: the frontlines' positions, the rounds of war fought and
//! the active events. Common random numbers: a red line keeps the one uniform `u` it drew with the
//! run's parameters (the word that decides the Bernoulli of a line without conditions) and binds
//! in round t iff `u < p_t(state)`, so it dissolves when `p_t` falls to `u` or below and returns
//! when `p_t` rises above `u` again. A persistent ratifier keeps its one mood `m`; with a
//! state-dependent intercept `α_t` it passes package z iff `m < Λ(α_t + Σ_k β_k(z))` (clamped to
//! its floor and ceiling). An option's utility takes its condition's value in place of the drawn
//! one (active events still apply on top). When anything changes, the run's package set is
//! rebuilt and the round's equilibrium is traced again; the actors do not anticipate later
//! changes (the solve of each round treats the current positions as lasting).

use super::state::{State, apply_active, frontlines};
use crate::model::PackageSet;
use crate::model::params::BindingRedLine;
use crate::scenario::Scenario;
use crate::scenario::positions::{WarState, value};
use serde::Serialize;

/// A red line that started or stopped binding at the start of a round.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LineChange {
    pub actor: usize,
    /// Index of the red line in the actor's `red_lines`, in file order.
    pub line: usize,
    /// `true`: the line binds again (returns); `false`: it dissolved.
    pub binds: bool,
}

/// The state-dependent positions of a run in progress (present only when the scenario declares
/// some, so a scenario without them runs exactly as before).
#[derive(Debug, Clone)]
pub(super) struct Positions {
    /// Rounds of war fought so far.
    rounds_of_war: usize,
    /// Per actor, per red line in file order: whether it binds now.
    binds: Vec<Vec<bool>>,
    /// The drawn intercept of each ratifier with conditions (in the order of the rules).
    base_intercept: Vec<f64>,
    /// The drawn utility of each option with conditions (in the order of the rules).
    base_utility: Vec<f64>,
    /// The red lines that changed at the start of the current round.
    pub(super) changes: Vec<LineChange>,
}

/// Attaches the positions to a fresh state and sets them for the state before round 0 (the
/// frontlines at their start, no war fought, no event active). Nothing without rules.
pub(super) fn start(s: &Scenario, st: &mut State) {
    if s.positions.is_empty() {
        return;
    }
    let r = &s.positions;
    st.positions = Some(Positions {
        rounds_of_war: 0,
        binds: st
            .params
            .red_line_draws
            .iter()
            .map(|d| d.iter().map(|&(b, u)| u < b).collect())
            .collect(),
        base_intercept: r
            .ratifiers
            .iter()
            .map(|&(j, _)| st.params.ratifiers[j].intercept)
            .collect(),
        base_utility: r
            .utilities
            .iter()
            .map(|&(i, k, o, _)| st.base.utility[i][k][o])
            .collect(),
        changes: vec![],
    });
    update(s, st);
    if let Some(p) = st.positions.as_mut() {
        // what binds at the start is the run's draw, not a change
        p.changes.clear();
    }
}

/// Counts a round of war fought.
pub(super) fn war_round(st: &mut State) {
    if let Some(p) = st.positions.as_mut() {
        p.rounds_of_war += 1;
    }
}

/// The red lines that changed at the start of the current round.
pub(super) fn changes(st: &State) -> Vec<LineChange> {
    st.positions.as_ref().map(|p| p.changes.clone()).unwrap_or_default()
}

/// Re-evaluates every state-dependent target at the current state; returns whether the game
/// changed (the package set or a peace value), so the round's equilibrium must be traced again.
pub(super) fn update(s: &Scenario, st: &mut State) -> bool {
    let Some(mut pos) = st.positions.take() else {
        return false;
    };
    pos.changes.clear();
    let front = frontlines(&st.params);
    let active: Vec<bool> = st.active.iter().map(Option::is_some).collect();
    let w = WarState {
        front: &front,
        rounds_of_war: pos.rounds_of_war,
        active: &active,
    };
    let r = &s.positions;
    let mut lines_changed = false;
    for (i, l, when) in &r.red_lines {
        let (b, u) = st.params.red_line_draws[*i][*l];
        let binds = u < value(when, b, &w);
        if binds != pos.binds[*i][*l] {
            pos.binds[*i][*l] = binds;
            pos.changes.push(LineChange {
                actor: *i,
                line: *l,
                binds,
            });
            lines_changed = true;
        }
    }
    if lines_changed {
        for (i, a) in s.actors.iter().enumerate() {
            let lines: Vec<BindingRedLine> = a
                .red_lines
                .iter()
                .zip(&pos.binds[i])
                .filter(|(_, b)| **b)
                .map(|(l, _)| BindingRedLine::of(s, l))
                .collect();
            st.base.red_lines[i].clone_from(&lines);
            st.params.red_lines[i] = lines;
        }
    }
    let mut ratifiers_changed = false;
    for ((j, when), base) in r.ratifiers.iter().zip(&pos.base_intercept) {
        let a = value(when, *base, &w);
        if a != st.params.ratifiers[*j].intercept {
            st.params.ratifiers[*j].intercept = a;
            st.base.ratifiers[*j].intercept = a;
            ratifiers_changed = true;
        }
    }
    let mut utility_changed = false;
    for ((i, k, o, when), base) in r.utilities.iter().zip(&pos.base_utility) {
        let v = value(when, *base, &w);
        if v != st.base.utility[*i][*k][*o] {
            st.base.utility[*i][*k][*o] = v;
            utility_changed = true;
        }
    }
    st.positions = Some(pos);
    if utility_changed {
        // the effective utilities: the new base plus the active events' effects
        apply_active(st);
    }
    if lines_changed || ratifiers_changed {
        st.packages = std::sync::Arc::new(PackageSet::build(s, &st.params));
    }
    lines_changed || ratifiers_changed || utility_changed
}
