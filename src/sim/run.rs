//! One simulated negotiation (`MODEL.md` §2 timing, §4 war and events, §5 durability).
//!
//! Run r with master seed S draws everything from `ChaCha8Rng::seed_from_u64(S)` with stream r,
//! so its result does not depend on which thread runs it or on the other runs. The stream is cut
//! into segments: the parameters first (each uncertain number uses exactly one word, see
//! [`crate::scenario::Dist::draw`]), then one segment per round. Changing one parameter's value
//! or distribution therefore leaves every other draw of the run where it was: sweep points and
//! sensitivity cases compare the same runs (common random numbers).

// Per-actor arrays are indexed in parallel (payoffs, discounts, costs): index loops read best.
#![allow(clippy::needless_range_loop)]

use crate::model::PackageSet;
use crate::model::anticipation::{EventState, war_flow};
use crate::model::durability::sample_years;
use crate::model::params::RunParams;
pub use crate::model::params::expected_params;
use crate::model::war::{issue_war_utility, step_frontlines};
use crate::scenario::{NoiseFamily, Quota, Recognition, Scenario, Selection, Target, TypeMode};
use crate::solve::Stage;
use crate::solve::equilibrium::{Offer, Selected, backward_induction, deadline_round};
use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt, SeedableRng};
use serde::Serialize;
use std::ops::ControlFlow;

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// A package was accepted by every needed responder (and ratified where needed).
    Agreement,
    /// Talks ended for good after a rejection (probability λ per rejected round).
    Breakdown,
    /// Still at war when the horizon was reached.
    NoAgreement,
}

impl Outcome {
    /// All outcomes in reporting order.
    pub const ALL: [Outcome; 3] = [Outcome::Agreement, Outcome::Breakdown, Outcome::NoAgreement];
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Agreement => "agreement",
            Outcome::Breakdown => "breakdown",
            Outcome::NoAgreement => "no-agreement",
        }
    }
}

/// What one run records (`MODEL.md` §6).
#[derive(Debug, Clone, PartialEq)]
pub struct RunRecord {
    pub run: u64,
    pub outcome: Outcome,
    /// Round (0-based) of the agreement or breakdown; `None` for no agreement.
    pub round: Option<usize>,
    /// Proposer of the agreed package.
    pub proposer: Option<usize>,
    /// Global id of the agreed package.
    pub package: Option<u64>,
    /// The agreed split of the divisible issue (a share per actor), if the scenario has one.
    pub shares: Option<Vec<f64>>,
    /// Frontline position per issue at the end of the run (`None` for issues without one).
    pub frontlines: Vec<Option<f64>>,
    /// Realised discounted payoff per actor (utility units).
    pub payoff: Vec<f64>,
    /// Undiscounted sum of war costs paid per actor.
    pub war_cost_paid: Vec<f64>,
    /// Sampled time from signature to renewed war, in years (agreements only).
    pub years_to_renewed_war: Option<f64>,
    /// Equilibrium-map evaluations used by the solver in this run.
    pub solver_evals: usize,
    /// Temperature-ladder steps solved in this run (the first round's trace, plus any re-trace).
    pub ladder_steps: usize,
    /// Rounds whose warm-started solve failed and were solved again along the ladder.
    pub fallback_solves: usize,
    /// Solves that did not reach the tolerance even after every fallback (0 or 1: the run stops
    /// there, and the runner reports it as an error).
    pub unconverged_solves: usize,
    /// Rounds whose equilibrium could only be followed down to a temperature above the
    /// scenario's `rationality` (the values solve the game at that temperature; see
    /// `Stage::solve_selected`).
    pub rounds_above_rationality: usize,
    /// Where the solver failed: `(round, max-norm residual)`.
    pub not_converged: Option<(usize, f64)>,
    /// Number of packages that could pass at the start of the run.
    pub feasible_packages: usize,
    /// Signed packages that a ratifier rejected.
    pub ratification_failures: usize,
}

/// One responder's answer to an offer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub actor: usize,
    /// `U_j(z) − R_j`: how far the offer is above (> 0) or below the responder's reservation
    /// value, in utility units; it accepts iff this is at least its private type `ε_j`.
    pub margin: f64,
    /// The responder's private shock ε_j (its type when types persist).
    pub shock: f64,
    pub accepted: bool,
    /// Whether a binding red line made the responder reject regardless of the margin.
    pub red_line: bool,
}

/// What happened in one round of a run, for `explain` and the tests.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundTrace {
    /// 0-based round.
    pub round: usize,
    pub proposer: usize,
    /// Reservation values `R_i` of every actor this round, utility units.
    pub reservation: Vec<f64>,
    /// Indices of the events that fired at the start of the round.
    pub events_fired: Vec<usize>,
    /// Global id of the offered package; `None` when the proposer passed.
    pub offer: Option<u64>,
    /// The offered split of the divisible issue (a share per actor), if any.
    pub shares: Option<Vec<f64>>,
    /// The needed responders' answers (in actor order; stops at nothing: all are asked).
    pub responses: Vec<Response>,
    /// `Some(passed)` when the offer was signed and went to the ratifiers.
    pub ratified: Option<bool>,
    /// Frontline positions at the end of the round (issues without one: `None`).
    pub frontlines: Vec<Option<f64>>,
}

/// The mutable state of a run between rounds.
struct State {
    params: RunParams,
    base: RunParams,
    packages: PackageSet,
    shock_lo: Vec<f64>,
    shock_hi: Vec<f64>,
    mood_floor: Vec<f64>,
    mood: Vec<f64>,
    active: Vec<Option<usize>>,
    fired: Vec<bool>,
}

/// Resolution of what proposers learn from a rejection (utility units): far above the solver's
/// tolerance, far below any margin that matters.
const BELIEF_GRID: f64 = 1e-6;

/// Stream offset of the second random stream of each run, which draws the actors' outlook
/// (beliefs, renewed-war losses). Runs are below 2^63, so the streams never collide.
const OUTLOOK_STREAM: u64 = 1 << 63;

/// Where round t's draws start in the run's stream (in 32-bit words): segment 0 holds the run's
/// parameters, segment t + 1 round t. A segment is 2^36 words, far more than a round uses.
fn round_word_pos(t: usize) -> u128 {
    (t as u128 + 1) << 36
}

/// Simulates run `run` of scenario `s` with master seed `seed`.
pub fn simulate(s: &Scenario, seed: u64, run: u64) -> RunRecord {
    simulate_inner(s, seed, run, None)
}

/// Like [`simulate`], and also returns the run's history round by round (identical record).
pub fn simulate_traced(s: &Scenario, seed: u64, run: u64) -> (RunRecord, Vec<RoundTrace>) {
    let mut trace = vec![];
    let rec = simulate_inner(s, seed, run, Some(&mut trace));
    (rec, trace)
}

/// The equilibrium values `W` at run `run`'s initial state (before any event fires), solved by
/// the pinned selection rule
/// (`start = None`) or along the pinned ladder from other start values, with the scenario's
/// `solver_tolerance`. For tests of the selection rule.
pub fn first_round_values(s: &Scenario, seed: u64, run: u64, start: Option<Vec<f64>>) -> Vec<f64> {
    let (st, _) = initial_state(s, seed, run);
    let (proposer, transition, _) = recognition(s, &st.params);
    let stage = stage(s, &st, proposer, transition);
    match start {
        None => stage.solve_selected(None).w,
        Some(w) => stage.solve_traced_from(w).w,
    }
}

/// Run `run`'s drawn parameters (after its actors' outlook), as its first round sees them.
pub fn drawn_params(s: &Scenario, seed: u64, run: u64) -> RunParams {
    initial_state(s, seed, run).0.params
}

/// Run `run`'s draws (its parameters, its actors' outlook, the ratifiers' moods) and its state
/// before the first round, with the run's main random stream positioned after those draws.
fn initial_state(s: &Scenario, seed: u64, run: u64) -> (State, ChaCha8Rng) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    let mut params = RunParams::draw(s, &mut rng);
    let mut outlook = ChaCha8Rng::seed_from_u64(seed);
    outlook.set_stream(run | OUTLOOK_STREAM);
    params.draw_outlook(s, &mut outlook);
    let mood: Vec<f64> = params.ratifiers.iter().map(|_| rng.random::<f64>()).collect();
    (state_of(s, params, mood), rng)
}

/// A run's state before its first round, given its parameters and ratifiers' moods.
fn state_of(s: &Scenario, params: RunParams, mood: Vec<f64>) -> State {
    let packages = PackageSet::build(s, &params);
    let logistic = s.protocol.acceptance_noise == NoiseFamily::Logistic;
    State {
        shock_lo: params
            .noise
            .iter()
            .map(|&a| if logistic && a > 0.0 { f64::NEG_INFINITY } else { -a })
            .collect(),
        shock_hi: params
            .noise
            .iter()
            .map(|&a| if logistic && a > 0.0 { f64::INFINITY } else { a })
            .collect(),
        mood_floor: vec![0.0; params.ratifiers.len()],
        mood,
        active: vec![None; params.events.len()],
        fired: vec![false; params.events.len()],
        base: params.clone(),
        params,
        packages,
    }
}

/// The first round of a negotiation with given parameters, solved: what `armistice solve`
/// shows (`MODEL.md` §2–3).
#[derive(Debug, Clone)]
pub struct FirstRound {
    /// Proposer of each recognition state.
    pub proposer: Vec<usize>,
    /// Probability of each recognition state in round 0.
    pub weights: Vec<f64>,
    /// `W[s * n + i]`: actor i's expected payoff when state s proposes (utility units).
    pub values: Vec<f64>,
    /// Per state: every actor's reservation value.
    pub reservation: Vec<Vec<f64>>,
    /// Per state: the proposer's choice distribution.
    pub choices: Vec<crate::solve::Choice>,
    /// The packages that can pass.
    pub packages: PackageSet,
    /// Temperature the values solve (the scenario's `rationality` unless the logit path stopped
    /// above it).
    pub tau: f64,
    pub residual: f64,
    pub converged: bool,
    /// Equilibrium-map evaluations used.
    pub evals: usize,
}

/// Solves the first round with parameters `params` (e.g. drawn from
/// [`Scenario::expected`]), by the engine's pinned selection rule, or by backward induction from
/// the deadline when the scenario has one.
pub fn first_round(s: &Scenario, params: RunParams) -> FirstRound {
    let st = state_of(s, params, vec![]);
    let (proposer, transition, weights) = recognition(s, &st.params);
    let stage = stage(s, &st, proposer.clone(), transition);
    let solved = match s.protocol.deadline {
        Some(d) => crate::solve::equilibrium::Selected {
            w: backward_induction(&stage, d),
            evals: d,
            ladder_steps: 0,
            fallback: false,
            converged: true,
            residual: 0.0,
            tau: stage.tau,
        },
        None => stage.solve_selected(None),
    };
    let mut stage = stage;
    stage.tau = solved.tau;
    let mut solved = solved;
    // with a deadline, round 0's values are W_0, but its offers look ahead to W_1
    let ahead = s.protocol.deadline.map(|d| {
        let (this_round, ahead) = deadline_round(&stage, d);
        stage = this_round;
        ahead
    });
    if solved.converged && s.protocol.deadline.is_none() && solved.w.len() <= 64 {
        // polish small systems by Newton steps: closed forms are then met to ~1e-15 rather
        // than to the solver's stopping residual divided by (1 − contraction rate); kept only
        // if the residual falls
        let mut x = solved.w.clone();
        let budget = 40 * (x.len() + 2);
        let out = crate::solve::anderson::newton(&mut x, 1e-15, budget, |a, b| stage.map(a, b));
        let mut gx = vec![0.0; x.len()];
        stage.map(&x, &mut gx);
        let res = x.iter().zip(&gx).fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        if res < solved.residual && x.iter().zip(&solved.w).all(|(a, b)| (a - b).abs() < 1e-6) {
            solved.evals += out.evals;
            solved.residual = res;
            solved.w = x;
        }
    }
    let ns = proposer.len();
    let weights = match &s.protocol.recognition {
        Recognition::Weighted => weights,
        _ => (0..ns).map(|x| f64::from(u8::from(x == 0))).collect(),
    };
    let look = ahead.as_ref().unwrap_or(&solved.w);
    let reservation = (0..ns).map(|x| stage.reservation(look, x)).collect();
    let choices = (0..ns).map(|x| stage.choice(x, look)).collect();
    FirstRound {
        proposer,
        weights,
        values: solved.w,
        reservation,
        choices,
        packages: st.packages.clone(),
        tau: solved.tau,
        residual: solved.residual,
        converged: solved.converged,
        evals: solved.evals,
    }
}

fn simulate_inner(s: &Scenario, seed: u64, run: u64, trace: Option<&mut Vec<RoundTrace>>) -> RunRecord {
    let mut r = Run::start(s, seed, run, trace);
    while r.t < s.meta.horizon {
        if let ControlFlow::Break(end) = r.round() {
            return r.finish(end);
        }
    }
    r.finish(End::Horizon)
}

/// How a run ends. Every ending goes through [`Run::finish`], which completes the record.
enum End {
    /// The round's equilibrium could not be solved (max-norm residual): the run stops there,
    /// without payoffs for the rounds it did not play.
    Unconverged(f64),
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
    /// Every actor's value of the offer (with its split of the divisible issue), utility units.
    value: Vec<f64>,
    /// Per actor: probability of walking out to its outside option after rejecting.
    walk_out: Vec<f64>,
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

/// One run in progress (`MODEL.md` §2): its state, its random stream, what it has recorded so
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
    /// The last solved equilibrium values: the next round's warm start (`None`: trace it along
    /// the ladder again) and the continuation value at the horizon.
    w: Option<Vec<f64>>,
    recognizer: Recognizer,
    /// Current round, 0-based.
    t: usize,
}

impl<'a> Run<'a> {
    /// The run's draws and its state before round 0.
    fn start(s: &'a Scenario, seed: u64, run: u64, trace: Option<&'a mut Vec<RoundTrace>>) -> Self {
        let (st, rng) = initial_state(s, seed, run);
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
            rounds_above_rationality: 0,
            not_converged: None,
            feasible_packages: st.packages.len(),
            ratification_failures: 0,
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
            recognizer: Recognizer::default(),
            t: 0,
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
        let Proposal {
            proposer,
            reservation,
            last_round,
            bid,
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
            self.w = None;
        }
    }

    /// Solves the round's equilibrium, recognises a proposer and draws its choice (`MODEL.md`
    /// §2–3). `Break(Unconverged)` when the equilibrium cannot be solved.
    #[inline]
    fn propose(&mut self) -> ControlFlow<End, Proposal> {
        let s = self.s;
        let (proposer, transition, weights) = recognition(s, &self.st.params);
        let mut stage = stage(s, &self.st, proposer, transition);
        let solved = solve_round(s, &mut stage, self.t, self.w.take());
        if solved.tau > stage.tau {
            // the logit path stopped above the scenario's temperature: play at the one reached
            self.rec.rounds_above_rationality += 1;
            stage.tau = solved.tau;
        }
        self.rec.solver_evals += solved.evals;
        self.rec.ladder_steps += solved.ladder_steps;
        self.rec.fallback_solves += usize::from(solved.fallback);
        if !solved.converged {
            return ControlFlow::Break(End::Unconverged(solved.residual));
        }
        let sol = solved.w;
        let state = self.recognizer.next(s, &stage, &weights, &mut self.rng);
        let reservation = stage.reservation(&sol, state);
        let choice = stage.choice(state, &sol);
        let u: f64 = self.rng.random();
        let offer = if u < choice.pass {
            None
        } else {
            pick_offer(&choice.offers, u - choice.pass)
        };
        let bid = offer.map(|offer| {
            let n = self.st.params.n();
            let cont = stage.continuation(&sol, state);
            Bid {
                value: (0..n)
                    .map(|i| stage.utility(offer.package, i, offer.shares.as_deref()))
                    .collect(),
                walk_out: (0..n).map(|j| stage.opt_out_prob(j, cont[j])).collect(),
                offer,
            }
        });
        // warm start next round, unless beliefs change: the game then jumps, and a warm start
        // may land on another equilibrium than the one the pinned ladder selects
        self.w = Some(sol);
        ControlFlow::Continue(Proposal {
            proposer: stage.proposer[state],
            reservation,
            last_round: s.protocol.deadline.is_some_and(|d| self.t + 1 >= d),
            bid,
        })
    }

    /// The needed responders answer the offer, in actor order (all are asked). A responder that
    /// rejects may walk out to its outside option (Shaked and Sutton 1984), and every proposer
    /// learns that its type is above the margin it was offered. `Continue(true)` when all accept;
    /// `Break(WalkOut)` when one walks out.
    #[inline]
    fn respond(&mut self, reservation: &[f64], bid: &Bid) -> ControlFlow<End, bool> {
        let (z, needed) = (bid.offer.package, bid.offer.needed);
        let mut all = true;
        let mut opted_out = false;
        for j in (0..self.st.params.n()).filter(|j| needed & (1 << j) != 0) {
            let eps = self.shock(j);
            let x = bid.value[j] - reservation[j];
            let red_line = self.st.packages.blocked[z] & (1 << j) != 0;
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
                self.learn(j, x);
            }
        }
        if let Some(tr) = self.open.as_mut() {
            tr.offer = Some(self.st.packages.ids[z]);
            tr.shares.clone_from(&bid.offer.shares);
        }
        if opted_out {
            self.close_round(None);
            return ControlFlow::Break(End::WalkOut);
        }
        ControlFlow::Continue(all)
    }

    /// Responder j's private shock this round: its persistent type, or a fresh uniform draw.
    #[inline]
    fn shock(&mut self, j: usize) -> f64 {
        match self.s.protocol.private_types {
            TypeMode::Persistent => self.st.params.types[j],
            TypeMode::Iid => {
                let a = self.st.params.noise[j];
                a * (2.0 * self.rng.random::<f64>() - 1.0)
            }
        }
    }

    /// After responder j rejected a margin `x`, every proposer knows `ε_j > x` (Fearon 1995;
    /// Powell 2004). The bound is kept on a grid of [`BELIEF_GRID`] (rounded down, so it stays
    /// true) so that the solver's 1e-10-level noise in x cannot steer later equilibrium
    /// selection; when it moves, the next round is traced along the ladder again.
    #[inline]
    fn learn(&mut self, j: usize, x: f64) {
        let learnt = (x / BELIEF_GRID).floor() * BELIEF_GRID;
        if self.s.protocol.private_types == TypeMode::Persistent
            && learnt > self.st.shock_lo[j]
            && learnt < self.st.shock_hi[j]
        {
            self.st.shock_lo[j] = learnt;
            self.w = None;
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
        self.w = None;
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

    /// A round of war (`MODEL.md` §4): every actor takes its war flow and pays its war cost;
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
            step_frontlines(&mut self.st.params, &mut self.rng);
        }
        self.close_round(None);
        if broke || last_round {
            return ControlFlow::Break(if broke { End::Breakdown } else { End::Deadline });
        }
        expire_events(&mut self.st);
        for i in 0..self.dpow.len() {
            self.dpow[i] *= self.st.params.discount[i];
        }
        self.t += 1;
        ControlFlow::Continue(())
    }

    /// Opens the round's trace (when tracing).
    #[inline]
    fn open_round(&mut self, proposer: usize, reservation: &[f64], events_fired: Vec<usize>) {
        if self.trace.is_some() {
            self.open = Some(RoundTrace {
                round: self.t,
                proposer,
                reservation: reservation.to_vec(),
                events_fired,
                offer: None,
                shares: None,
                responses: vec![],
                ratified: None,
                frontlines: vec![],
            });
        }
    }

    /// Files the round's trace (when tracing) with the vote's result and the frontlines now.
    #[inline]
    fn close_round(&mut self, ratified: Option<bool>) {
        if let Some(mut tr) = self.open.take() {
            tr.ratified = ratified;
            tr.frontlines = frontlines(&self.st.params);
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
            End::Unconverged(residual) => {
                rec.unconverged_solves += 1;
                rec.not_converged = Some((t, residual));
            }
            End::Agreement(deal) => {
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
/// pinned selection rule, warm-started from `warm` when given.
fn solve_round(s: &Scenario, stage: &mut Stage<'_>, t: usize, warm: Option<Vec<f64>>) -> Selected {
    let Some(d) = s.protocol.deadline else {
        return stage.solve_selected(warm);
    };
    // this round looks ahead to the values of the next one
    let (this_round, ahead) = deadline_round(stage, d - t);
    *stage = this_round;
    Selected {
        w: ahead,
        evals: d - t,
        ladder_steps: 0,
        fallback: false,
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

fn frontlines(p: &RunParams) -> Vec<Option<f64>> {
    p.frontlines.iter().map(|f| f.as_ref().map(|f| f.position)).collect()
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

/// Recognition states: (proposer of each state, transition matrix, stationary weights).
fn recognition(s: &Scenario, p: &RunParams) -> (Vec<usize>, Vec<f64>, Vec<f64>) {
    if let Recognition::Markov(order, m) = &s.protocol.recognition {
        let ns = order.len();
        return (order.clone(), m.clone(), vec![1.0 / ns as f64; ns]);
    }
    let order: Vec<usize> = match &s.protocol.recognition {
        Recognition::Weighted | Recognition::Alternating | Recognition::Markov(..) => {
            (0..p.n()).filter(|&i| p.recognition[i] > 0.0).collect()
        }
        Recognition::Order(o) => o.clone(),
    };
    let order = if order.is_empty() { (0..p.n()).collect() } else { order };
    let ns = order.len();
    let mut m = vec![0.0; ns * ns];
    let weights: Vec<f64> = match &s.protocol.recognition {
        Recognition::Weighted => {
            let total: f64 = order.iter().map(|&i| p.recognition[i]).sum();
            let w: Vec<f64> = order
                .iter()
                .map(|&i| {
                    if total > 0.0 {
                        p.recognition[i] / total
                    } else {
                        1.0 / ns as f64
                    }
                })
                .collect();
            for a in 0..ns {
                m[a * ns..(a + 1) * ns].copy_from_slice(&w);
            }
            w
        }
        _ => {
            for a in 0..ns {
                m[a * ns + (a + 1) % ns] = 1.0;
            }
            vec![1.0 / ns as f64; ns]
        }
    };
    (order, m, weights)
}

/// Actor i's war-time utility at the current state (no anticipation): what it lives with now.
fn war_utility_now(s: &Scenario, p: &RunParams, i: usize) -> f64 {
    (0..s.issues.len())
        .map(|k| p.salience[i][k] * issue_war_utility(p, i, k, s.issues[k].war_status_quo))
        .sum()
}

fn stage<'a>(s: &Scenario, st: &'a State, proposer: Vec<usize>, transition: Vec<f64>) -> Stage<'a> {
    let p = &st.params;
    let n = p.n();
    Stage {
        packages: &st.packages,
        proposer,
        transition,
        flow: (0..n)
            .map(|i| {
                let ev = EventState {
                    active: &st.active,
                    fired: &st.fired,
                };
                war_flow(s, p, &st.base, ev, i)
            })
            .collect(),
        delta: p.discount.clone(),
        breakdown: p.breakdown,
        breakdown_value: p.breakdown_value.clone(),
        shock_lo: if s.protocol.private_types == TypeMode::Persistent {
            st.shock_lo.clone()
        } else {
            p.noise.iter().map(|a| -a).collect()
        },
        shock_hi: st.shock_hi.clone(),
        mood_floor: st.mood_floor.clone(),
        quota: match s.protocol.quota {
            Quota::Unanimity => None,
            Quota::Votes(q) => Some(q),
        },
        outside: p.outside_option.clone(),
        logistic: s.protocol.acceptance_noise == NoiseFamily::Logistic,
        scale: p.noise.clone(),
        tau: s.protocol.rationality,
        tol: s.protocol.solver_tolerance,
        traced: s.protocol.selection == Selection::Traced,
    }
}

/// Votes of every ratifier whose scope contains z; updates beliefs after a failed vote.
fn ratified(st: &mut State, z: usize, rng: &mut ChaCha8Rng) -> bool {
    let ps = &st.packages;
    let mut all = true;
    for j in 0..ps.r {
        if ps.in_scope[z] & (1 << j) == 0 {
            continue;
        }
        let p = ps.ratify[z * ps.r + j];
        let pass = if st.params.ratifiers[j].persistent {
            st.mood[j] < p
        } else {
            rng.random::<f64>() < p
        };
        if !pass {
            all = false;
            if st.params.ratifiers[j].persistent {
                st.mood_floor[j] = st.mood_floor[j].max(p);
            }
        }
    }
    all
}

/// The longest implementation lag among the ratifiers that vote on package z (0 if none).
fn ratification_lag(st: &State, z: usize) -> usize {
    (0..st.packages.r)
        .filter(|&j| st.packages.in_scope[z] & (1 << j) != 0)
        .map(|j| st.params.ratifiers[j].lag)
        .max()
        .unwrap_or(0)
}

/// Years after which a band-model agreement still in force is recorded as lasting this long
/// (beyond every reporting horizon).
const BAND_MAX_YEARS: f64 = 1_000.0;

fn durability(st: &State, z: usize, rng: &mut ChaCha8Rng) -> Option<f64> {
    let d = st.params.durability.as_ref()?;
    if let Some(b) = &d.band {
        // the band model: the balance of power diffuses until it leaves the band, monitored
        // every `dt` years with the Broadie–Glasserman–Kou correction, from a private stream
        // seeded by one word of the run's (so the run's later draws keep their place)
        let mut own = ChaCha8Rng::seed_from_u64(rng.next_u64());
        // a draw that puts the balance outside the band: the deal is unstable from the start
        // (the same rule as `p_renewed_war`, which gives it probability 1)
        let Some(band) = b.band(st.packages.opts(z)) else {
            return Some(0.0);
        };
        return crate::theory::band::sample_exit(&mut own, &band, b.dt, BAND_MAX_YEARS)
            .ok()
            .map(|exit| exit.map_or(BAND_MAX_YEARS, |(years, _)| years));
    }
    let hr = d.package_hazard_ratio(st.packages.opts(z));
    Some(sample_years(rng.random::<f64>(), d.scale_years, d.shape, hr))
}

/// Fires the events due at round t and applies their effects; returns the events that fired.
fn fire_events(st: &mut State, t: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let mut fired = vec![];
    for (e, ev) in st.params.events.clone().iter().enumerate() {
        let due = match (ev.hazard, ev.at_round) {
            (Some(h), _) => st.active[e].is_none() && (ev.repeat || !st.fired[e]) && rng.random::<f64>() < h,
            (None, Some(at)) => at == t && !st.fired[e],
            _ => false,
        };
        if !due {
            continue;
        }
        st.fired[e] = true;
        st.active[e] = Some(ev.duration.unwrap_or(usize::MAX));
        for (target, set, value) in &ev.effects {
            if let Target::Frontline(k) = target
                && let Some(f) = st.params.frontlines[*k].as_mut()
            {
                let to = if *set { *value } else { f.position + value };
                f.position = to.clamp(0.0, f.max_position());
            }
        }
        fired.push(e);
    }
    if !fired.is_empty() {
        apply_active(st);
    }
    fired
}

/// Counts down active events; reverts the parameters of those that end.
fn expire_events(st: &mut State) {
    let mut changed = false;
    for a in st.active.iter_mut() {
        if let Some(left) = a {
            if *left <= 1 {
                *a = None;
                changed = true;
            } else if *left != usize::MAX {
                *left -= 1;
            }
        }
    }
    if changed {
        apply_active(st);
    }
}

/// Effective parameters = base parameters + the effects of the active events (in file order).
fn apply_active(st: &mut State) {
    let p = &mut st.params;
    let b = &st.base;
    p.war_cost.clone_from(&b.war_cost);
    p.discount.clone_from(&b.discount);
    p.recognition.clone_from(&b.recognition);
    p.noise.clone_from(&b.noise);
    let mut utility_changed = p.utility != b.utility;
    p.utility.clone_from(&b.utility);
    for (e, ev) in b.events.iter().enumerate() {
        if st.active[e].is_none() {
            continue;
        }
        for (target, set, v) in &ev.effects {
            let apply = |x: &mut f64| *x = if *set { *v } else { *x + v };
            match *target {
                Target::WarCost(i) => apply(&mut p.war_cost[i]),
                Target::Discount(i) => {
                    apply(&mut p.discount[i]);
                    p.discount[i] = p.discount[i].clamp(1e-9, 1.0);
                }
                Target::Recognition(i) => {
                    apply(&mut p.recognition[i]);
                    p.recognition[i] = p.recognition[i].max(0.0);
                }
                Target::Noise(i) => {
                    apply(&mut p.noise[i]);
                    p.noise[i] = p.noise[i].max(0.0);
                }
                Target::Utility(i, k, o) => {
                    apply(&mut p.utility[i][k][o]);
                    utility_changed = true;
                }
                Target::Frontline(_) => {}
            }
        }
    }
    for i in 0..p.noise.len() {
        if st.shock_hi[i] == f64::INFINITY {
            // logistic shocks: unbounded above, the learnt lower bound stays
            continue;
        }
        st.shock_hi[i] = p.noise[i];
        st.shock_lo[i] = st.shock_lo[i].clamp(-p.noise[i], p.noise[i]);
    }
    if utility_changed {
        st.packages.refresh_utility(p);
    }
}
