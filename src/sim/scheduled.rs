//! Scheduled events anticipated, and the non-stationary stretch before a scheduled change
//! (`docs/model.md` §9.4; Ståhl 1972; Fershtman and Seidmann 1993; Ma and Manove 1993).
//!
//! With `anticipation = "expected-path"`, a round `t` before scheduled (`at_round`) events that
//! have not fired is solved in one of two ways:
//!
//! - **Backward induction.** Let `a` be the first round `t < a < cap` at which a scheduled event
//!   changes the bargaining game: an effect on an agreement bonus, a war cost, a discount, a
//!   recognition weight, a noise or a utility (every effect but a frontline move, and not an
//!   `add` of exactly 0). The round-`a` state is projected from round t (active events counted
//!   down, the scheduled events of rounds `t < r ≤ a` fired, their frontline moves applied; the
//!   line's own drift is not projected), and its stationary equilibrium `W_a` is solved by the
//!   pinned selection rule (with a hard deadline `d`: `W_a` by backward induction over `d − a`
//!   rounds). Rounds `a − 1, …, t + 1` follow by one application of the equilibrium map each,
//!   `W_r = G_t(W_{r+1})`, with the game of round t (war flows that look ahead only to scheduled
//!   events before `a`: the ones at `a` and later enter through `W_a`), and round t is played
//!   looking ahead to `W_{t+1}`. When the projected round has other recognition states (a
//!   weight set to 0) the round is solved stationarily instead.
//! - **Expected path only.** Otherwise (only frontline moves ahead, or nothing that changes
//!   the game), the stationary solve of round t with war flows that anticipate every scheduled
//!   event before the cap ([`crate::model::anticipation::war_flow_ahead`]).
//!
//! `cap` is the horizon (events at or after it never fire), or the hard deadline if earlier. One
//! change is solved by backward induction at a time: the round-`a` state anticipates the later
//! ones along the expected path, and round `a` itself is solved toward the next change when
//! it comes. Cost per round of the stretch: the equilibrium solve of the projected state plus
//! `a − t − 1` map evaluations.

use super::state::{State, apply_active, recognition, stage};
use crate::model::anticipation::{Ahead, EventState, war_flow_ahead};
use crate::model::params::EventParams;
use crate::scenario::{Anticipation, Scenario, Target};
use crate::solve::Stage;
use crate::solve::equilibrium::{Selected, backward_induction};

/// The first round not looked ahead to: the horizon, or a hard deadline if earlier.
pub fn cap(s: &Scenario) -> usize {
    s.protocol.deadline.map_or(s.meta.horizon, |d| d.min(s.meta.horizon))
}

/// Whether an effect `(target, set, value)` of a scheduled event changes the bargaining game
/// (and so starts backward induction toward it): anything but a frontline move or an `add` of 0.
pub fn changes_game(target: Target, set: bool, value: f64) -> bool {
    !matches!(target, Target::Frontline(_)) && (set || value != 0.0)
}

/// The rounds, in order, at which a scheduled event due after round `now` and before the cap
/// changes the bargaining game (the candidates for backward induction), with `anticipation =
/// "expected-path"`; `fired[e]`: whether event e has fired.
pub fn changes_ahead(s: &Scenario, events: &[EventParams], fired: &[bool], now: usize) -> Vec<usize> {
    if s.protocol.anticipation != Anticipation::ExpectedPath {
        return vec![];
    }
    let cap = cap(s);
    let mut rounds: Vec<usize> = events
        .iter()
        .zip(fired)
        .filter(|(ev, fired)| ev.hazard.is_none() && !**fired)
        .filter(|(ev, _)| ev.effects.iter().any(|&(t, set, v)| changes_game(t, set, v)))
        .filter_map(|(ev, _)| ev.at_round)
        .filter(|&at| at > now && at < cap)
        .collect();
    rounds.sort_unstable();
    rounds.dedup();
    rounds
}

/// How round `now` is solved toward the scheduled events ahead of it.
pub(super) struct Plan {
    /// The round of the scheduled change solved by backward induction, with the state
    /// projected to it; `None`: the stationary solve (war flows look ahead to the cap).
    pub(super) change: Option<(usize, State)>,
}

/// With `anticipation = "expected-path"` and scheduled events pending before the cap: sets the
/// war flows of round `now`'s `stage` to look ahead to them and returns how the round is solved.
/// `None` (and `stage` untouched) when there is nothing to anticipate.
pub(super) fn prepare(s: &Scenario, st: &State, game: &mut Stage<'_>, now: usize) -> Option<Plan> {
    if s.protocol.anticipation != Anticipation::ExpectedPath {
        return None;
    }
    let cap = cap(s);
    let pending = |e: usize| {
        let ev = &st.params.events[e];
        ev.hazard.is_none() && !st.fired[e] && ev.at_round.is_some_and(|at| at > now && at < cap)
    };
    if !(0..st.params.events.len()).any(pending) {
        return None;
    }
    let rounds = changes_ahead(s, &st.params.events, &st.fired, now);
    let change = rounds.into_iter().find_map(|a| {
        let post = project(st, now, a);
        (recognition(s, &post.params).0 == game.proposer).then_some((a, post))
    });
    let until = change.as_ref().map_or(cap, |(a, _)| *a);
    game.flow = flows(s, st, Ahead { now, until });
    Some(Plan { change })
}

/// Every actor's war flow at `st`, looking ahead to the scheduled events in `ahead`.
fn flows(s: &Scenario, st: &State, ahead: Ahead) -> Vec<f64> {
    let ev = EventState {
        active: &st.active,
        fired: &st.fired,
    };
    (0..st.params.n())
        .map(|i| war_flow_ahead(s, &st.params, &st.base, ev, ahead, i))
        .collect()
}

/// The state at the start of round `a` as seen from round `now`: active events counted down, the
/// scheduled events of rounds `now < r ≤ a` fired (frontline moves applied in round order), the
/// effective parameters recomputed. Draws nothing; beliefs and the line's drift stay as they are.
fn project(st: &State, now: usize, a: usize) -> State {
    let mut post = State {
        params: st.params.clone(),
        base: st.base.clone(),
        packages: st.packages.clone(),
        shock_lo: st.shock_lo.clone(),
        shock_hi: st.shock_hi.clone(),
        mood_floor: st.mood_floor.clone(),
        mood: st.mood.clone(),
        active: st.active.clone(),
        fired: st.fired.clone(),
        // the projection serves the war game's backward induction, which has no ceasefire
        ceasefire: None,
        learning: st.learning.clone(),
        positions: st.positions.clone(),
    };
    let k = a - now;
    for left in post.active.iter_mut() {
        if let Some(l) = *left
            && l != usize::MAX
        {
            *left = (l > k).then(|| l - k);
        }
    }
    let mut due: Vec<(usize, usize)> = (0..st.params.events.len())
        .filter_map(|e| {
            let ev = &st.params.events[e];
            let at = ev.at_round?;
            (ev.hazard.is_none() && !st.fired[e] && at > now && at <= a).then_some((at, e))
        })
        .collect();
    due.sort_unstable();
    for (at, e) in due {
        post.fired[e] = true;
        let left = post.params.events[e]
            .duration
            .map_or(usize::MAX, |d| (at + d).saturating_sub(a));
        post.active[e] = (left > 0).then_some(left);
        for (target, set, value) in post.params.events[e].effects.clone() {
            if let Target::Frontline(k) = target
                && let Some(f) = post.params.frontlines[k].as_mut()
            {
                let to = if set { value } else { f.position + value };
                f.position = to.clamp(0.0, f.max_position());
            }
        }
    }
    apply_active(&mut post);
    post
}

/// Round `now`'s values by backward induction from the scheduled change at round `a` (see the
/// module docs): `W_{now+1}`, the values round `now` looks ahead to, played in `game`.
pub(super) fn backward(
    s: &Scenario,
    game: &Stage<'_>,
    now: usize,
    (a, post): (usize, State),
    warm: Option<Vec<f64>>,
) -> Selected {
    let (proposer, transition, _) = recognition(s, &post.params);
    let mut after = stage(s, &post, proposer, transition);
    after.flow = flows(s, &post, Ahead { now: a, until: cap(s) });
    let mut solved = match s.protocol.deadline {
        Some(d) => Selected {
            w: backward_induction(&after, d - a),
            w_selection: vec![],
            next_warm: None,
            evals: d - a,
            ladder_steps: 0,
            fallback: false,
            selected: true,
            converged: true,
            residual: 0.0,
            tau: after.tau,
        },
        None => after.solve_selected(warm),
    };
    // unconverged: stepped back from the best values reached (the caller records it)
    let steps = a - now - 1;
    let mut out = vec![0.0; solved.w.len()];
    for _ in 0..steps {
        game.map(&solved.w, &mut out);
        std::mem::swap(&mut solved.w, &mut out);
    }
    solved.evals += steps;
    // this round's values at the selection tolerance (what a rejection teaches is measured from
    // them) are stepped back the same way; the next round starts from the game after the change
    if steps > 0 && !solved.w_selection.is_empty() {
        solved.next_warm = Some(solved.w_selection.clone());
        for _ in 0..steps {
            game.map(&solved.w_selection, &mut out);
            std::mem::swap(&mut solved.w_selection, &mut out);
        }
        solved.evals += steps;
    }
    solved.tau = game.tau;
    solved
}
