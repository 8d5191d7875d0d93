//! The rounds of a scenario with a ceasefire (`docs/model.md` §9.1): a run is at war or under a
//! ceasefire. At war, the proposer may offer a settlement or a ceasefire; under a ceasefire,
//! only a settlement, and every round without one ends with the ceasefire's collapse back to war
//! with the probability its age and terms give. A ceasefire round pays each actor its
//! ceasefire flow `(1 − δ_i) S_i(c) − r_i`: no war cost, the front frozen.

use super::{End, Proposal, Run, draw_proposal, round_word_pos};
use crate::model::PackageSet;
use crate::model::ceasefire::CeasefireParams;
use crate::scenario::Scenario;
use crate::sim::record::Phase as Recorded;
use crate::sim::state::{expire_events, fire_events, recognition, stage};
use crate::solve::Stage;
use crate::solve::ceasefire::{Truce, average, solve_coupled, truce_stage};
use rand::RngExt;
use std::ops::ControlFlow;

/// Where a run stands between rounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Phase {
    War,
    /// Ceasefire package `c`, signed in round `since`.
    Ceasefire {
        c: usize,
        since: usize,
    },
}

/// Global ids of ceasefire offers (in traces): this bit, plus the ceasefire package's index.
pub const CEASEFIRE_ID: u64 = 1 << 63;

/// The settlement talks under each ceasefire package, as the solver sees them.
fn truces(s: &Scenario, cf: &CeasefireParams, p: &crate::model::RunParams) -> Vec<Truce> {
    let years = s.ceasefire.as_ref().map_or(1.0, |c| c.collapse.years);
    (0..cf.packages.len())
        .map(|c| Truce {
            flow: (0..p.n())
                .map(|i| (1.0 - p.discount[i]) * cf.status_quo_value(s, p, c, i) - cf.residual_war_cost[i])
                .collect(),
            hazard: cf.solver_hazard(c, years),
        })
        .collect()
}

/// The war state's offers: the run's settlement packages, then one entry per active ceasefire
/// package (needing its signatories, blocked by the actors that refuse it; its utilities are set by the
/// solve).
fn war_offers(settlements: &PackageSet, cf: &CeasefireParams, active: &[usize]) -> PackageSet {
    let mut set = settlements.clone();
    for &c in active {
        let pkg = &cf.packages[c];
        set.ids.push(CEASEFIRE_ID | c as u64);
        set.options.extend(std::iter::repeat_n(0, set.m));
        set.utility.extend(std::iter::repeat_n(0.0, set.n));
        set.required.push(cf.signatories);
        set.blocked.push(pkg.blocked);
        set.ratify.extend(std::iter::repeat_n(1.0, set.r));
        set.in_scope.push(0);
    }
    set
}

impl Run<'_> {
    /// Plays round `t` of a scenario with a ceasefire (the counterpart of `Run::round`).
    pub(super) fn round_with_ceasefire(&mut self) -> ControlFlow<End> {
        self.rng.set_word_pos(round_word_pos(self.t));
        let events_fired = fire_events(&mut self.st, self.t, &mut self.rng);
        self.shift_power();
        if crate::sim::positions::update(self.s, &mut self.st) {
            // red lines, ratifiers or utilities moved with the war: another game
            self.game_changed();
        }
        let (
            Proposal {
                proposer,
                reservation,
                last_round,
                bid,
                ..
            },
            first,
        ) = self.propose_in_phase()?;
        self.open_round(proposer, &reservation, events_fired);
        if let Some(bid) = bid
            && self.respond(&reservation, &bid)?
        {
            match (self.phase, bid.offer.package.checked_sub(first)) {
                (Phase::War, Some(_)) => self.sign_ceasefire((bid.id & !CEASEFIRE_ID) as usize),
                _ => self.ratify(proposer, bid)?,
            }
        }
        let flow = match self.phase {
            Phase::War => self.fight(last_round),
            Phase::Ceasefire { .. } => self.hold(),
        };
        if flow.is_continue() {
            let now = match self.phase {
                Phase::War => Recorded::War,
                Phase::Ceasefire { .. } => Recorded::Ceasefire,
            };
            let rec = self.rec.ceasefire.as_mut().expect("declared");
            while rec.phases.len() < self.t {
                rec.phases.push(now);
            }
        }
        flow
    }

    /// Solves the round's war and ceasefire games together and draws the proposer's choice in
    /// the game of the run's phase; also returns where the ceasefire offers start among the war
    /// state's offers.
    fn propose_in_phase(&mut self) -> ControlFlow<End, (Proposal, usize)> {
        let s = self.s;
        let cf = self.st.ceasefire.as_ref().expect("declared");
        let p = &self.st.params;
        let (proposer, transition, weights) = recognition(s, p);
        let mut template = stage(s, &self.st, proposer, transition);
        // only the ceasefires no signatory refuses in this run can ever be signed
        let active: Vec<usize> = (0..cf.packages.len())
            .filter(|&c| cf.packages[c].blocked & cf.signatories == 0)
            .collect();
        let all = truces(s, cf, p);
        let truces: Vec<Truce> = active.iter().map(|&c| all[c].clone()).collect();
        let mut offers = war_offers(&self.st.packages, cf, &active);
        let first = self.st.packages.ids.len();
        let (warm_war, warm_truce) = match self.truce_warm.take() {
            Some((w, t)) => (self.warm.is_some().then_some(w), t.into_iter().map(Some).collect()),
            None => (None, vec![]),
        };
        let solved = solve_coupled(&template, &mut offers, first, &truces, &weights, warm_war, warm_truce);
        let work = &solved.work;
        if work.tau > template.tau {
            self.rec.rounds_above_temperature += 1;
            template.tau = work.tau;
        }
        self.rec.solver_evals += work.evals;
        self.rec.ladder_steps += work.ladder_steps;
        self.rec.fallback_solves += usize::from(work.fallback);
        if !work.converged {
            self.rec.unconverged(self.t, work.residual, template.tau);
        }
        let n = p.n();
        let (game, sol): (Stage<'_>, &[f64]) = match self.phase {
            Phase::War => (
                Stage {
                    packages: &offers,
                    ..template.clone()
                },
                &solved.war,
            ),
            Phase::Ceasefire { c, .. } => {
                let k = active
                    .iter()
                    .position(|&a| a == c)
                    .expect("a signed ceasefire is active");
                (
                    truce_stage(&template, &truces[k], &average(&solved.war, &weights, n)),
                    &solved.truce[k],
                )
            }
        };
        let mut proposal = draw_proposal(s, &game, sol, &weights, &mut self.recognizer, &mut self.rng, self.t);
        // what a rejection teaches, measured from the values at the selection tolerance
        let len = solved.war.len();
        if let Some(bid) = proposal.bid.as_mut()
            && solved.selection.len() >= len
        {
            let sel_war = &solved.selection[..len];
            let (reservation, value) = match self.phase {
                Phase::War => {
                    let value = match bid.offer.package.checked_sub(first) {
                        Some(k) => solved
                            .entry_selection
                            .get(k)
                            .cloned()
                            .unwrap_or_else(|| bid.value.clone()),
                        None => bid.value.clone(),
                    };
                    (game.reservation(sel_war, proposal.state), value)
                }
                Phase::Ceasefire { c, .. } => {
                    let k = active
                        .iter()
                        .position(|&a| a == c)
                        .expect("a signed ceasefire is active");
                    let stage = truce_stage(&template, &truces[k], &average(sel_war, &weights, n));
                    let sel = solved.selection.get(len * (k + 1)..len * (k + 2)).unwrap_or(sol);
                    (stage.reservation(sel, proposal.state), bid.value.clone())
                }
            };
            bid.learn = super::margins(&value, &reservation);
        }
        // a ceasefire offer's id names its package among all of the scenario's ceasefires
        if let Some(bid) = proposal.bid.as_mut()
            && let Some(k) = bid.offer.package.checked_sub(first)
            && self.phase == Phase::War
        {
            bid.id = CEASEFIRE_ID | active[k] as u64;
        }
        self.w = Some(sol.to_vec());
        // the next round warm-starts from the selection values (`docs/model.md` §10, rule 3)
        let len = solved.war.len();
        let mut games = solved.selection.chunks(len).map(<[f64]>::to_vec);
        let war = games.next().unwrap_or_default();
        self.warm = Some(war.clone());
        self.truce_warm = Some((war, games.collect()));
        ControlFlow::Continue((proposal, first))
    }

    /// Ceasefire `c` was accepted by its signatories: the run enters it this round (a frontline
    /// it names moves to its line).
    fn sign_ceasefire(&mut self, c: usize) {
        let cf = self.st.ceasefire.as_ref().expect("declared");
        for &(k, at) in &cf.packages[c].freeze_at {
            if let Some(f) = self.st.params.frontlines[k].as_mut() {
                f.position = at;
            }
        }
        let rec = self.rec.ceasefire.as_mut().expect("declared");
        if rec.first_round.is_none() {
            rec.first_round = Some(self.t);
            rec.first_package = Some(c);
        }
        rec.signed += 1;
        self.phase = Phase::Ceasefire { c, since: self.t };
        if let Some(tr) = self.open.as_mut() {
            tr.ceasefire = Some(c);
        }
    }

    /// A round under ceasefire `c`: each actor takes its ceasefire flow; then the ceasefire
    /// collapses with its conditional probability at this age (one uniform of the round's
    /// stream). The front does not move.
    fn hold(&mut self) -> ControlFlow<End> {
        let Phase::Ceasefire { c, since } = self.phase else {
            unreachable!("hold is played under a ceasefire")
        };
        let (s, p) = (self.s, &self.st.params);
        let cf = self.st.ceasefire.as_ref().expect("declared");
        for i in 0..p.n() {
            let g = (1.0 - p.discount[i]) * cf.status_quo_value(s, p, c, i) - cf.residual_war_cost[i];
            self.rec.payoff[i] += self.dpow[i] * g;
        }
        let collapsed = self.rng.random::<f64>() < cf.collapse_probability(c, self.t - since);
        let rec = self.rec.ceasefire.as_mut().expect("declared");
        let first = rec.signed == 1 && !rec.first_collapsed;
        if first {
            rec.first_held += 1;
        }
        if collapsed {
            rec.collapses += 1;
            rec.first_collapsed |= first;
            self.phase = Phase::War;
            if let Some(tr) = self.open.as_mut() {
                tr.collapsed = true;
            }
        }
        self.close_round(None);
        expire_events(&mut self.st);
        for i in 0..self.dpow.len() {
            self.dpow[i] *= self.st.params.discount[i];
        }
        self.t += 1;
        ControlFlow::Continue(())
    }
}
