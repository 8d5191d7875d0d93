//! One simulated negotiation (`docs/model.md` §2 timing, §4 war and events, §5 durability).
//!
//! Run r with master seed S draws everything from `ChaCha8Rng::seed_from_u64(S)` with stream r,
//! so its result does not depend on which thread runs it or on the other runs. The stream is cut
//! into segments: the parameters first (each uncertain number uses exactly one word, see
//! [`crate::scenario::Dist::draw`]), then one segment per round. Changing one parameter's value
//! or distribution therefore leaves every other draw of the run where it was: sweep points and
//! sensitivity cases compare the same runs (common random numbers).

// Per-actor arrays are indexed in parallel (payoffs, discounts, costs): index loops read best.
#![allow(clippy::needless_range_loop)]

pub use super::first::{FirstRound, drawn_params, first_round, first_round_values};
pub use super::record::{Outcome, Response, RoundTrace, RunRecord};
use super::state::{
    State, durability, expire_events, fire_events, frontlines, initial_state, ratification_lag, ratified, recognition,
    stage, war_utility_now,
};
use crate::model::package::PackageCache;
use crate::model::params::RunParams;
pub use crate::model::params::expected_params;
use crate::model::war::{step_frontlines, step_frontlines_observed};
use crate::scenario::{Recognition, Scenario, Selection, TypeMode};
use crate::solve::Stage;
use crate::solve::equilibrium::{Offer, Selected, deadline_round};
use rand::RngExt;
use rand::rngs::ChaCha8Rng;
use std::ops::ControlFlow;

mod truce;
pub use truce::CEASEFIRE_ID;

/// Resolution of what proposers learn from a rejection (utility units): far above the solver's
/// tolerance, far below any margin that matters.
const BELIEF_GRID: f64 = 1e-6;

/// Where round t's draws start in the run's stream (in 32-bit words): segment 0 holds the run's
/// parameters, segment t + 1 round t. A segment is 2^36 words, far more than a round uses.
fn round_word_pos(t: usize) -> u128 {
    (t as u128 + 1) << 36
}

/// Simulates run `run` of scenario `s` with master seed `seed`.
pub fn simulate(s: &Scenario, seed: u64, run: u64) -> RunRecord {
    simulate_inner(s, seed, run, None, None)
}

/// [`simulate`] for a run of a batch: its package set comes from `cache`, shared with the
/// batch's other runs whose package inputs are the same (the record is the same bytes).
pub fn simulate_shared(s: &Scenario, seed: u64, run: u64, cache: &PackageCache) -> RunRecord {
    simulate_inner(s, seed, run, None, Some(cache))
}

/// Like [`simulate`], and also returns the run's history round by round (identical record).
pub fn simulate_traced(s: &Scenario, seed: u64, run: u64) -> (RunRecord, Vec<RoundTrace>) {
    let mut trace = vec![];
    let rec = simulate_inner(s, seed, run, Some(&mut trace), None);
    (rec, trace)
}

fn simulate_inner(
    s: &Scenario,
    seed: u64,
    run: u64,
    trace: Option<&mut Vec<RoundTrace>>,
    cache: Option<&PackageCache>,
) -> RunRecord {
    let mut r = Run::start(s, seed, run, trace, cache);
    // a scenario with a ceasefire plays its rounds in two states (docs/model.md §9.1)
    let round = if s.ceasefire.is_some() {
        Run::round_with_ceasefire
    } else {
        Run::round
    };
    while r.t < s.meta.horizon {
        if let ControlFlow::Break(end) = round(&mut r) {
            return r.finish(end);
        }
    }
    r.finish(End::Horizon)
}

/// How a run ends. Every ending goes through [`Run::finish`], which completes the record.
enum End {
    /// The offer was accepted by every needed responder and passed by the ratifiers.
    Agreement(Deal),
    /// A responder that rejected walked out: everyone takes its outside option (its breakdown
    /// value if it has none), at once.
    WalkOut,
    /// Talks broke down after a round of war (probability λ): the breakdown values, a round on.
    Breakdown,
    /// The deadline's last round ended without agreement: a breakdown for sure.
    Deadline,
    /// The horizon was reached at war: the war's continuation value under the last solved
    /// equilibrium is added.
    Horizon,
}

/// A signed and ratified offer.
struct Deal {
    proposer: usize,
    /// Position of the package in the run's [`PackageSet`].
    package: usize,
    /// Every actor's value of the offer, utility units.
    value: Vec<f64>,
    shares: Option<Vec<f64>>,
}

/// What the proposer of a round does, and what the responders need to answer it.
struct Proposal {
    proposer: usize,
    /// The recognition state drawn.
    state: usize,
    /// Every actor's reservation value this round, utility units.
    reservation: Vec<f64>,
    /// Whether this is the last round before a hard deadline (a rejection then ends the talks).
    last_round: bool,
    /// `None` when the proposer passed.
    bid: Option<Bid>,
}

/// An offer on the table.
struct Bid {
    offer: Offer,
    /// Global id of the offered package (for the trace).
    id: u64,
    /// Bitmask of the actors with a binding red line against it.
    blocked: u32,
    /// Every actor's value of the offer (with its split of the divisible issue), utility units.
    value: Vec<f64>,
    /// Per actor: probability of walking out to its outside option after rejecting.
    walk_out: Vec<f64>,
    /// Per actor: the offer's margin over its reservation value measured from the equilibrium
    /// values at the selection tolerance (`docs/model.md` §10, rule 3): what a rejection teaches
    /// the proposers, so that it cannot depend on the solver tolerance. (`value − reservation`
    /// where the round has no selection values, as under a deadline.)
    learn: Vec<f64>,
}

/// Which recognition state proposes next: a draw from the weights (weighted recognition), a step
/// of the Markov chain (from state 0 first), or the next in the cycle (a fixed order).
#[derive(Default)]
struct Recognizer {
    cycle_pos: usize,
    markov_state: Option<usize>,
}

impl Recognizer {
    /// The proposing state of this round; draws one word for weighted recognition and for every
    /// Markov step after the first, none otherwise.
    #[inline]
    fn next(&mut self, s: &Scenario, stage: &Stage<'_>, weights: &[f64], rng: &mut ChaCha8Rng) -> usize {
        let state = match &s.protocol.recognition {
            Recognition::Weighted => pick(weights, rng.random::<f64>()),
            Recognition::Markov(..) => {
                let ns = stage.proposer.len();
                let next = match self.markov_state {
                    None => 0,
                    Some(prev) => pick(&stage.transition[prev * ns..(prev + 1) * ns], rng.random::<f64>()),
                };
                self.markov_state = Some(next);
                next
            }
            _ => self.cycle_pos % stage.proposer.len(),
        };
        self.cycle_pos += 1;
        state
    }
}

/// One run in progress (`docs/model.md` §2): its state, its random stream, what it has recorded so
/// far. A round is [`Run::propose`], then (if an offer is made) [`Run::respond`] and (if every
/// needed responder accepts) [`Run::ratify`], then (unless it ended) [`Run::fight`]; each returns
/// `ControlFlow::Break` with the way the run ended, and [`Run::finish`] completes the record.
struct Run<'a> {
    s: &'a Scenario,
    st: State,
    rng: ChaCha8Rng,
    rec: RunRecord,
    trace: Option<&'a mut Vec<RoundTrace>>,
    /// The current round's trace while tracing, until [`Run::close_round`] files it.
    open: Option<RoundTrace>,
    /// Per actor: the discount factor of the current round, `Π δ_i` over the rounds played.
    dpow: Vec<f64>,
    /// The last round's equilibrium values, to the solver tolerance: the continuation value at
    /// the horizon.
    w: Option<Vec<f64>>,
    /// The next round's warm start: the last round's values at the selection tolerance
    /// (`None`: trace the next round along the ladder again, `game_changed`).
    warm: Option<Vec<f64>>,
    recognizer: Recognizer,
    /// Current round, 0-based.
    t: usize,
    /// War or ceasefire (always war without `[ceasefire]`).
    phase: truce::Phase,
    /// With `[ceasefire]`: the last solved war and ceasefire values at the selection tolerance
    /// (the next round's warm start while `warm` is kept).
    truce_warm: Option<(Vec<f64>, Vec<Vec<f64>>)>,
    /// While tracing: the run's solver evaluations and ladder rungs when the last round's trace
    /// opened (each round's trace records its own).
    work_traced: (usize, usize),
}

impl<'a> Run<'a> {
    /// The run's draws and its state before round 0.
    fn start(
        s: &'a Scenario,
        seed: u64,
        run: u64,
        trace: Option<&'a mut Vec<RoundTrace>>,
        cache: Option<&PackageCache>,
    ) -> Self {
        let (st, rng) = initial_state(s, seed, run, cache);
        let n = st.params.n();
        let rec = RunRecord {
            run,
            outcome: Outcome::NoAgreement,
            round: None,
            proposer: None,
            package: None,
            shares: None,
            frontlines: vec![],
            payoff: vec![0.0; n],
            war_cost_paid: vec![0.0; n],
            years_to_renewed_war: None,
            solver_evals: 0,
            ladder_steps: 0,
            fallback_solves: 0,
            unconverged_solves: 0,
            rounds_above_temperature: 0,
            not_converged: None,
            feasible_packages: st.packages.len(),
            ratification_failures: 0,
            ceasefire: s.ceasefire.as_ref().map(|_| Default::default()),
        };
        Run {
            s,
            st,
            rng,
            rec,
            trace,
            open: None,
            dpow: vec![1.0; n],
            w: None,
            warm: None,
            recognizer: Recognizer::default(),
            t: 0,
            phase: truce::Phase::War,
            truce_warm: None,
            work_traced: (0, 0),
        }
    }

    /// Plays round `t`; `Break` with the way the run ended, else on to the next round (or, after
    /// a failed vote, to the round the talks resume in).
    #[inline]
    fn round(&mut self) -> ControlFlow<End> {
        // each round draws from its own segment of the run's stream: what one round consumes
        // never shifts the next round's draws (common random numbers across sweep points)
        self.rng.set_word_pos(round_word_pos(self.t));
        let events_fired = fire_events(&mut self.st, self.t, &mut self.rng);
        self.shift_power();
        if super::positions::update(self.s, &mut self.st) {
            // red lines, ratifiers or utilities moved with the war: another game
            self.game_changed();
        }
        let Proposal {
            proposer,
            reservation,
            last_round,
            bid,
            ..
        } = self.propose()?;
        self.open_round(proposer, &reservation, events_fired);
        if let Some(bid) = bid
            && self.respond(&reservation, &bid)?
        {
            self.ratify(proposer, bid)?;
        }
        self.fight(last_round)
    }

    /// The scheduled power shift, if due this round: the war lottery changes from this round on
    /// (and the equilibrium is traced again).
    #[inline]
    fn shift_power(&mut self) {
        if let Some((at, _)) = self.st.params.war.as_ref().and_then(|w| w.shift.as_ref())
            && *at == self.t
        {
            let b = self.st.params.war_lottery(self.s, self.t);
            self.st.params.breakdown_value.clone_from(&b);
            self.st.base.breakdown_value = b;
            self.game_changed();
        }
    }

    /// Solves the round's equilibrium, recognises a proposer and draws its choice (`docs/model.md`
    /// §2–3); a round whose solve stops above the tolerance is played from the best values reached.
    #[inline]
    fn propose(&mut self) -> ControlFlow<End, Proposal> {
        let s = self.s;
        let (proposer, transition, weights) = recognition(s, &self.st.params);
        let mut stage = stage(s, &self.st, proposer, transition);
        let solved = solve_round(s, &self.st, &mut stage, self.t, self.warm.take());
        if solved.tau > stage.tau {
            // the logit path stopped above the scenario's temperature: play at the one reached
            self.rec.rounds_above_temperature += 1;
            stage.tau = solved.tau;
        }
        self.rec.solver_evals += solved.evals;
        self.rec.ladder_steps += solved.ladder_steps;
        self.rec.fallback_solves += usize::from(solved.fallback);
        if !solved.converged {
            // played from the best values reached; the record lists the round
            self.rec.unconverged(self.t, solved.residual, stage.tau);
        }
        let sol = solved.w;
        let mut proposal = draw_proposal(s, &stage, &sol, &weights, &mut self.recognizer, &mut self.rng, self.t);
        if let Some(bid) = proposal.bid.as_mut()
            && !solved.w_selection.is_empty()
        {
            bid.learn = margins(&bid.value, &stage.reservation(&solved.w_selection, proposal.state));
        }
        // the next round's warm start, at the selection tolerance (under the pinned rule,
        // dropped if the game changes: see `game_changed`)
        self.warm = Some(match solved.next_warm {
            Some(w) => w,
            None if solved.w_selection.is_empty() => sol.clone(),
            None => solved.w_selection,
        });
        self.w = Some(sol);
        ControlFlow::Continue(proposal)
    }

    /// The needed responders answer the offer, in actor order (all are asked). A responder that
    /// rejects may walk out to its outside option (Shaked and Sutton 1984), and every proposer
    /// learns that its type is above the margin it was offered. `Continue(true)` when all accept;
    /// `Break(WalkOut)` when one walks out.
    #[inline]
    fn respond(&mut self, reservation: &[f64], bid: &Bid) -> ControlFlow<End, bool> {
        let needed = bid.offer.needed;
        let mut all = true;
        let mut opted_out = false;
        for j in (0..self.st.params.n()).filter(|j| needed & (1 << j) != 0) {
            let eps = self.shock(j);
            let x = bid.value[j] - reservation[j];
            let red_line = bid.blocked & (1 << j) != 0;
            let ok = !red_line && x >= eps - crate::solve::equilibrium::ACCEPT_TOL;
            if let Some(tr) = self.open.as_mut() {
                tr.responses.push(Response {
                    actor: j,
                    margin: x,
                    shock: eps,
                    accepted: ok,
                    red_line,
                });
            }
            if !ok {
                all = false;
                // it opts out when its outside option beats waiting (Shaked and Sutton 1984)
                let p_out = bid.walk_out[j];
                opted_out |= p_out >= 1.0 || (p_out > 0.0 && self.rng.random::<f64>() < p_out);
                self.learn(j, bid.learn[j]);
            }
        }
        if let Some(tr) = self.open.as_mut() {
            tr.offer = Some(bid.id);
            tr.shares.clone_from(&bid.offer.shares);
        }
        if opted_out {
            self.close_round(None);
            return ControlFlow::Break(End::WalkOut);
        }
        ControlFlow::Continue(all)
    }

    /// Responder j's private shock this round: its persistent type, or a fresh draw of the
    /// scenario's noise family (uniform or logistic, as the solver assumes).
    #[inline]
    fn shock(&mut self, j: usize) -> f64 {
        match self.s.protocol.private_types {
            TypeMode::Persistent => self.st.params.types[j],
            TypeMode::Iid => {
                let u = self.rng.random::<f64>();
                self.st.params.shock_at(self.s.protocol.acceptance_noise, j, u)
            }
        }
    }

    /// After responder j rejected a margin `x`, every proposer knows `ε_j > x` (Fearon 1995;
    /// Powell 2004). `x` is measured from the values at the selection tolerance ([`Bid::learn`]),
    /// so it does not depend on the solver tolerance (it can differ from the played margin by the
    /// polish, about 1e-9 on the reference). The bound is kept on a grid of [`BELIEF_GRID`]
    /// (rounded down); when it moves, the next round is traced along the ladder again.
    #[inline]
    fn learn(&mut self, j: usize, x: f64) {
        if let Some(t) = self.st.params.type_points(j) {
            // discrete types: Bayes on the points leaves exactly the types that reject x
            if let Some(lo) = t.lowest_rejecting(x)
                && self.s.protocol.private_types == TypeMode::Persistent
                && lo > self.st.shock_lo[j]
            {
                self.st.shock_lo[j] = lo;
                self.game_changed();
            }
            return;
        }
        let learnt = (x / BELIEF_GRID).floor() * BELIEF_GRID;
        if self.s.protocol.private_types == TypeMode::Persistent
            && learnt > self.st.shock_lo[j]
            && learnt < self.st.shock_hi[j]
        {
            self.st.shock_lo[j] = learnt;
            self.game_changed();
        }
    }

    /// The signed offer goes to the ratifiers in scope, who vote after their implementation lag;
    /// the lag passes in ceasefire (war-time utility, no war costs, the line does not move).
    /// `Break(Agreement)` when it passes. When it fails the talks resume after the lag
    /// (`Break(Horizon)` if that is beyond the horizon), traced along the ladder again.
    #[inline]
    fn ratify(&mut self, proposer: usize, bid: Bid) -> ControlFlow<End> {
        let z = bid.offer.package;
        let lag = ratification_lag(&self.st, z);
        for _ in 0..lag {
            self.ceasefire_round();
        }
        let passed = ratified(&mut self.st, z, &mut self.rng);
        self.close_round((self.st.packages.in_scope[z] != 0).then_some(passed));
        if passed {
            return ControlFlow::Break(End::Agreement(Deal {
                proposer,
                package: z,
                value: bid.value,
                shares: bid.offer.shares,
            }));
        }
        self.rec.ratification_failures += 1;
        self.t += lag;
        if self.t >= self.s.meta.horizon {
            return ControlFlow::Break(End::Horizon);
        }
        self.game_changed();
        ControlFlow::Continue(())
    }

    /// A round of the implementation lag: war-time utility without war costs.
    fn ceasefire_round(&mut self) {
        let (s, p) = (self.s, &self.st.params);
        for i in 0..p.n() {
            self.rec.payoff[i] += self.dpow[i] * (1.0 - p.discount[i]) * war_utility_now(s, p, i);
            self.dpow[i] *= p.discount[i];
        }
        expire_events(&mut self.st);
    }

    /// A round of war (`docs/model.md` §4): every actor takes its war flow and pays its war cost;
    /// then the talks break down with probability λ (for sure in a deadline's last round), else
    /// the frontlines move and the run goes on to the next round.
    #[inline]
    fn fight(&mut self, last_round: bool) -> ControlFlow<End> {
        let (s, p) = (self.s, &self.st.params);
        for i in 0..p.n() {
            let g = (1.0 - p.discount[i]) * war_utility_now(s, p, i) - p.war_cost[i];
            self.rec.payoff[i] += self.dpow[i] * g;
            self.rec.war_cost_paid[i] += p.war_cost[i];
        }
        let broke = self.rng.random::<f64>() < p.breakdown;
        if !broke && !last_round {
            if self.st.learning.is_active() {
                self.observe_war();
            } else {
                step_frontlines(&mut self.st.params, &mut self.rng);
            }
        }
        self.close_round(None);
        if broke || last_round {
            return ControlFlow::Break(if broke { End::Breakdown } else { End::Deadline });
        }
        expire_events(&mut self.st);
        super::positions::war_round(&mut self.st);
        for i in 0..self.dpow.len() {
            self.dpow[i] *= self.st.params.discount[i];
        }
        self.t += 1;
        ControlFlow::Continue(())
    }

    /// The frontlines move (the same draws as [`step_frontlines`]) and every learning actor
    /// updates its beliefs from what it saw (`docs/model.md` §9.3). When a belief moved, the
    /// next round is traced along the ladder again under the pinned rule, as after a rejection
    /// (`game_changed`): a warm start from this round's values would select the equilibrium by
    /// the run's history (with warm starts the selected package differed in 37% of the runs of
    /// `tests/scenarios/learning-front.toml`).
    fn observe_war(&mut self) {
        let mut moves = vec![];
        step_frontlines_observed(&mut self.st.params, &mut self.rng, |k, mv| moves.push((k, mv)));
        for (k, mv) in moves {
            if self.st.learning.observe(&mut self.st.params, k, mv) {
                self.game_changed();
            }
        }
    }

    /// The game changed this round (a belief moved, a vote failed, the war lottery shifted, a red
    /// line, ratifier or utility moved with the war). Under the pinned rule (`selection =
    /// "traced"`) the next round is traced along the ladder again, so that its equilibrium is a
    /// function of its game alone; under `selection = "warm"` it warm-starts from this round's
    /// values like any other (`docs/model.md` §10, rule 7).
    #[inline]
    fn game_changed(&mut self) {
        if self.s.protocol.selection != Selection::Warm {
            self.warm = None;
        }
    }

    /// Opens the round's trace (when tracing).
    #[inline]
    fn open_round(&mut self, proposer: usize, reservation: &[f64], events_fired: Vec<usize>) {
        if self.trace.is_some() {
            // solves happen only in `propose`, just before: the work since the last round opened
            let (evals, steps) = (self.rec.solver_evals, self.rec.ladder_steps);
            let (evals0, steps0) = std::mem::replace(&mut self.work_traced, (evals, steps));
            self.open = Some(RoundTrace {
                round: self.t,
                solver_evals: evals - evals0,
                ladder_steps: steps - steps0,
                proposer,
                reservation: reservation.to_vec(),
                events_fired,
                offer: None,
                shares: None,
                responses: vec![],
                ratified: None,
                frontlines: vec![],
                ceasefire: None,
                collapsed: false,
                posterior_drift: vec![],
                red_lines_changed: super::positions::changes(&self.st),
            });
        }
    }

    /// Files the round's trace (when tracing) with the vote's result and the frontlines now.
    #[inline]
    fn close_round(&mut self, ratified: Option<bool>) {
        if let Some(mut tr) = self.open.take() {
            tr.ratified = ratified;
            tr.frontlines = frontlines(&self.st.params);
            tr.posterior_drift = self.st.learning.drift_posteriors(&self.st.params);
            self.trace.as_mut().expect("tracing").push(tr);
        }
    }

    /// Completes the record for the way the run ended: outcome, round, the final payoffs
    /// (discounted to round 0), the agreement's details and durability, the frontlines.
    fn finish(mut self, end: End) -> RunRecord {
        let t = self.t;
        let p = &self.st.params;
        let rec = &mut self.rec;
        let add = |payoff: &mut Vec<f64>, dpow: &[f64], v: &dyn Fn(usize) -> f64| {
            for i in 0..payoff.len() {
                payoff[i] += dpow[i] * v(i);
            }
        };
        match end {
            End::Agreement(deal) => {
                if let (Some(c), truce::Phase::Ceasefire { .. }) = (rec.ceasefire.as_mut(), self.phase) {
                    c.settled_in_ceasefire = true;
                }
                rec.outcome = Outcome::Agreement;
                rec.round = Some(t);
                rec.proposer = Some(deal.proposer);
                rec.package = Some(self.st.packages.ids[deal.package]);
                add(&mut rec.payoff, &self.dpow, &|i| deal.value[i]);
                rec.shares = deal.shares;
                rec.years_to_renewed_war = durability(&self.st, deal.package, &mut self.rng);
            }
            End::WalkOut => {
                rec.outcome = Outcome::Breakdown;
                rec.round = Some(t);
                add(&mut rec.payoff, &self.dpow, &|i| {
                    p.outside_option[i].unwrap_or(p.breakdown_value[i])
                });
            }
            End::Breakdown | End::Deadline => {
                rec.outcome = Outcome::Breakdown;
                rec.round = Some(t);
                // (δ^t · δ) · b, in this order: the same rounding as ever
                for i in 0..rec.payoff.len() {
                    rec.payoff[i] += self.dpow[i] * p.discount[i] * p.breakdown_value[i];
                }
            }
            End::Horizon => {
                if let Some(w) = &self.w {
                    let v = war_continuation(self.s, p, w);
                    add(&mut rec.payoff, &self.dpow, &|i| v[i]);
                }
            }
        }
        rec.frontlines = frontlines(p);
        self.rec
    }
}

/// Round t's equilibrium, with `stage` set to the game the round is played in: with a hard
/// deadline, by backward induction (the round looks ahead to the next one's values); else by the
/// pinned selection rule, warm-started from `warm` when given. Before a scheduled change, by
/// backward induction from it (`super::scheduled`, `docs/model.md` §9.4).
fn solve_round(s: &Scenario, st: &State, stage: &mut Stage<'_>, t: usize, warm: Option<Vec<f64>>) -> Selected {
    if let Some(plan) = super::scheduled::prepare(s, st, stage, t)
        && let Some(change) = plan.change
    {
        return super::scheduled::backward(s, stage, t, change, warm);
    }
    let Some(d) = s.protocol.deadline else {
        return stage.solve_selected(warm);
    };
    // this round looks ahead to the values of the next one
    let (this_round, ahead) = deadline_round(stage, d - t);
    *stage = this_round;
    Selected {
        w: ahead,
        w_selection: vec![],
        next_warm: None,
        evals: d - t,
        ladder_steps: 0,
        fallback: false,
        selected: true,
        converged: true,
        residual: 0.0,
        tau: stage.tau,
    }
}

/// Each actor's expected value of the war going on from the horizon under the values `w`
/// (`W[s * n + i]`), averaged over the recognition states by their weights.
fn war_continuation(s: &Scenario, p: &RunParams, w: &[f64]) -> Vec<f64> {
    let n = p.n();
    let (_, _, weights) = recognition(s, p);
    let ns = w.len() / n;
    (0..n)
        .map(|i| {
            (0..ns)
                .map(|x| {
                    w[x * n + i]
                        * if weights.len() == ns {
                            weights[x]
                        } else {
                            1.0 / ns as f64
                        }
                })
                .sum()
        })
        .collect()
}

/// Each actor's margin `value − reservation`.
fn margins(value: &[f64], reservation: &[f64]) -> Vec<f64> {
    value.iter().zip(reservation).map(|(v, r)| v - r).collect()
}

fn pick(weights: &[f64], u: f64) -> usize {
    let mut acc = 0.0;
    for (j, w) in weights.iter().enumerate() {
        acc += w;
        if u < acc {
            return j;
        }
    }
    weights.len().saturating_sub(1)
}

fn pick_offer(offers: &[Offer], mut u: f64) -> Option<Offer> {
    for o in offers {
        if u < o.prob {
            return Some(o.clone());
        }
        u -= o.prob;
    }
    offers.last().cloned()
}

/// Recognises the round's proposer and draws its choice from the solved values `sol` of `stage`:
/// a pass, or an offer with every actor's value of it and its responders' walk-out probabilities.
fn draw_proposal(
    s: &Scenario,
    stage: &Stage<'_>,
    sol: &[f64],
    weights: &[f64],
    recognizer: &mut Recognizer,
    rng: &mut ChaCha8Rng,
    t: usize,
) -> Proposal {
    let state = recognizer.next(s, stage, weights, rng);
    let reservation = stage.reservation(sol, state);
    let choice = stage.choice(state, sol);
    let u: f64 = rng.random();
    let offer = if u < choice.pass {
        None
    } else {
        pick_offer(&choice.offers, u - choice.pass)
            .map(|o| stage.draw_coalition(o, &reservation, || rng.random::<f64>()))
    };
    let bid = offer.map(|offer| {
        let n = stage.delta.len();
        let cont = stage.continuation(sol, state);
        Bid {
            value: (0..n)
                .map(|i| stage.utility(offer.package, i, offer.shares.as_deref()))
                .collect(),
            walk_out: (0..n).map(|j| stage.opt_out_prob(j, cont[j])).collect(),
            id: stage.packages.ids[offer.package],
            blocked: stage.packages.blocked[offer.package],
            learn: vec![],
            offer,
        }
    });
    let bid = bid.map(|mut bid| {
        bid.learn = margins(&bid.value, &reservation);
        bid
    });
    Proposal {
        proposer: stage.proposer[state],
        state,
        reservation,
        last_round: s.protocol.deadline.is_some_and(|d| t + 1 >= d),
        bid,
    }
}
