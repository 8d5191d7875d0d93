//! The first round of a run, solved on its own: what `armistice solve` shows and what the tests
//! of the selection rule look at (`docs/model.md` §2–3).

use super::state::{initial_state, recognition, stage, state_of};
use crate::model::PackageSet;
use crate::model::params::RunParams;
use crate::scenario::{Recognition, Scenario};
use crate::solve::equilibrium::{Selected, backward_induction, deadline_round};

/// The equilibrium values `W` at run `run`'s initial state (before any event fires), solved by
/// the pinned selection rule
/// (`start = None`) or along the pinned ladder from other start values, with the scenario's
/// `solver_tolerance`. For tests of the selection rule.
pub fn first_round_values(s: &Scenario, seed: u64, run: u64, start: Option<Vec<f64>>) -> Vec<f64> {
    let (st, _) = initial_state(s, seed, run, None);
    let (proposer, transition, _) = recognition(s, &st.params);
    let stage = stage(s, &st, proposer, transition);
    match start {
        None => stage.solve_selected(None).w,
        Some(w) => stage.solve_traced_from(w).w,
    }
}

/// Run `run`'s drawn parameters (after its actors' outlook), as its first round sees them.
pub fn drawn_params(s: &Scenario, seed: u64, run: u64) -> RunParams {
    initial_state(s, seed, run, None).0.params
}

/// The first round of a negotiation with given parameters, solved: what `armistice solve`
/// shows (`docs/model.md` §2–3).
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
    /// Temperature the values solve (the scenario's `temperature` unless the logit path stopped
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
    let st = state_of(s, params, vec![], None);
    let (proposer, transition, weights) = recognition(s, &st.params);
    let stage = stage(s, &st, proposer.clone(), transition);
    let solved = match s.protocol.deadline {
        Some(d) => Selected {
            w: backward_induction(&stage, d),
            w_selection: vec![],
            next_warm: None,
            evals: d,
            ladder_steps: 0,
            fallback: false,
            selected: true,
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
        packages: PackageSet::clone(&st.packages),
        tau: solved.tau,
        residual: solved.residual,
        converged: solved.converged,
        evals: solved.evals,
    }
}
