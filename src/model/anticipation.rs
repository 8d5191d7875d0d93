//! What an actor expects of the war when it computes its reservation value (`docs/model.md` §3,
//! "stationarity and the war path"; §4, events and beliefs about the war).
//!
//! With `anticipation = "expected-path"` actor i's war flow in the stationary solve is the
//! level-equivalent of the discounted flows it expects,
//!
//! ```text
//! g_i = (1−δ_i) Σ_t δ_i^t E_i[ U_i^war(s_t) ] − c_i − (1−δ_i) Σ_t δ_i^t E_i[ Δc_i,t ]
//! ```
//!
//! where `E_i` uses the actor's own beliefs (frontline drift, breakthroughs, event hazards; the
//! scenario's dynamics where it states none). Frontline issues follow the expected path
//! `E[f_{t+1}] = clamp(E[f_t] + v + Σ_e Δ_e P(e fires at t+1))`, with `v = drift + p·jump` plus
//! the long-run rate of repeating frontline events; `Δc_i,t` is the change of i's war cost from
//! events it expects to fire (hazard events) or to end (active events with a known remaining
//! duration). Approximations, documented: an event's `set` on a war cost counts as its difference
//! from the base cost; a hazard event's frontline `set` effects and effects on discount,
//! recognition, noise and utilities are seen only while active. Scheduled (`at_round`) events
//! that have not fired are anticipated through [`war_flow_ahead`] when the caller passes an
//! [`Ahead`] window (`docs/model.md` §9.4): an event due `k ≥ 1` rounds from now adds its war-cost
//! change for its `D` active rounds, `Δc δ^k (1 − δ^D)/(1 − δ)` (`δ^k/(1 − δ)` without a duration),
//! and its frontline `add` or `set` moves the expected path at round k; its other effects enter
//! only through the backward induction of `src/sim/scheduled.rs`. With `anticipation = "none"` the war state is taken as frozen, `g_i = (1−δ_i)
//! U_i^war(s) − c_i`, and beliefs have no effect.

use super::params::RunParams;
use super::war::{interpolate, issue_war_utility, with_reservation};
use crate::scenario::{Anticipation, Scenario, Target};

/// Which events are active (rounds left, `usize::MAX` = for the rest of the run) and which have
/// fired at least once.
#[derive(Debug, Clone, Copy)]
pub struct EventState<'a> {
    pub active: &'a [Option<usize>],
    pub fired: &'a [bool],
}

/// Actor i's war flow for the stationary solve (see the module docs). `p` holds the current
/// parameters (active events applied), `base` the run's parameters without events. Scheduled
/// events are not anticipated ([`war_flow_ahead`] does).
pub fn war_flow(s: &Scenario, p: &RunParams, base: &RunParams, ev: EventState, i: usize) -> f64 {
    war_flow_ahead(s, p, base, ev, Ahead::NOTHING, i)
}

/// Which scheduled (`at_round`) events the war flow looks ahead to: those not yet fired and due
/// in a round `r` with `now < r < until` (`docs/model.md` §9.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ahead {
    /// The round being solved.
    pub now: usize,
    /// The first round not looked ahead to (the round of the change solved by backward
    /// induction, or the horizon).
    pub until: usize,
}

impl Ahead {
    /// Looks ahead to no scheduled event.
    pub const NOTHING: Ahead = Ahead { now: 0, until: 0 };

    /// Rounds from now until scheduled event `e` fires, if it is anticipated.
    pub fn rounds_to(&self, event: &crate::model::params::EventParams, fired: bool) -> Option<usize> {
        let at = event.at_round?;
        (!fired && event.hazard.is_none() && at > self.now && at < self.until).then(|| at - self.now)
    }
}

/// [`war_flow`] that also anticipates the scheduled events in the window `ahead`.
pub fn war_flow_ahead(s: &Scenario, p: &RunParams, base: &RunParams, ev: EventState, ahead: Ahead, i: usize) -> f64 {
    let d = p.discount[i];
    if s.protocol.anticipation == Anticipation::None {
        let u: f64 = (0..s.issues.len())
            .map(|k| p.salience[i][k] * issue_war_utility(p, i, k, s.issues[k].war_status_quo))
            .sum();
        return (1.0 - d) * with_reservation(p, i, u) - p.war_cost[i];
    }
    let u: f64 = (0..s.issues.len())
        .map(|k| {
            let u = match &p.frontlines[k] {
                Some(_) => expected_frontline_utility(p, ev, ahead, i, k),
                None => issue_war_utility(p, i, k, s.issues[k].war_status_quo),
            };
            p.salience[i][k] * u
        })
        .sum();
    let extra = if d < 1.0 {
        expected_extra_cost(p, base, ev, ahead, i)
    } else {
        0.0
    };
    (1.0 - d) * (with_reservation(p, i, u) - extra) - p.war_cost[i]
}

/// The hazard actor i expects for event e (its belief, else the scenario's draw).
fn hazard(p: &RunParams, i: usize, e: usize) -> Option<f64> {
    let h = p.events[e].hazard?;
    Some(p.beliefs[i].hazard.get(e).copied().flatten().unwrap_or(h))
}

/// `E[Σ_{t≥1} δ^t 1{active at t}]` for a hazard event that is not active now and may fire from
/// the next round on: first firing after a geometric wait (`φ = E[δ^W] = hδ / (1 − δ(1−h))`),
/// active for `dur` rounds; a repeating event renews after each spell.
fn discounted_active_rounds(h: f64, delta: f64, dur: Option<usize>, repeat: bool) -> f64 {
    let phi = h * delta / (1.0 - delta * (1.0 - h));
    match dur {
        None => phi / (1.0 - delta),
        Some(dd) => {
            let spell = (1.0 - delta.powi(dd as i32)) / (1.0 - delta);
            let renew = if repeat {
                1.0 - phi * delta.powi(dd as i32 - 1)
            } else {
                1.0
            };
            phi * spell / renew
        }
    }
}

/// `Σ_{t≥0} δ^t E_i[Δc_i,t]`: expected discounted change of i's war cost from events (δ < 1).
fn expected_extra_cost(p: &RunParams, base: &RunParams, ev: EventState, ahead: Ahead, i: usize) -> f64 {
    let d = p.discount[i];
    let mut extra = 0.0;
    for (e, event) in p.events.iter().enumerate() {
        for (target, set, value) in &event.effects {
            if *target != Target::WarCost(i) {
                continue;
            }
            let delta_c = if *set { value - base.war_cost[i] } else { *value };
            let fresh = hazard(p, i, e).map(|h| discounted_active_rounds(h, d, event.duration, event.repeat));
            match ev.active.get(e).copied().flatten() {
                None => {
                    if let Some(k) = ahead.rounds_to(event, ev.fired[e]) {
                        // a scheduled event: active from k rounds on, for its duration
                        let spell = match event.duration {
                            Some(dd) => (1.0 - d.powi(dd as i32)) / (1.0 - d),
                            None => 1.0 / (1.0 - d),
                        };
                        extra += delta_c * d.powi(k as i32) * spell;
                    }
                    if let Some(a) = fresh
                        && (event.repeat || !ev.fired[e])
                    {
                        extra += delta_c * a;
                    }
                }
                Some(usize::MAX) => {}
                Some(left) => {
                    // active now and for `left - 1` more rounds, then off (and may fire again)
                    extra -= delta_c * d.powi(left as i32) / (1.0 - d);
                    if let Some(a) = fresh
                        && event.repeat
                    {
                        extra += delta_c * d.powi(left as i32 - 1) * a;
                    }
                }
            }
        }
    }
    extra
}

/// `(1−δ) Σ_t δ^t u(E_i[f_t])` for frontline issue k under actor i's beliefs.
fn expected_frontline_utility(p: &RunParams, ev: EventState, ahead: Ahead, i: usize, k: usize) -> f64 {
    let f = p.frontlines[k].as_ref().expect("a frontline issue");
    let (drift, prob, jump) = p.beliefs[i].frontline.get(k).copied().flatten().unwrap_or((
        f.drift,
        f.breakthrough_probability,
        f.breakthrough_jump,
    ));
    let mut velocity = drift + prob * jump;
    let mut one_shots: Vec<(f64, f64)> = vec![];
    let mut scheduled: Vec<Move> = vec![];
    for (e, event) in p.events.iter().enumerate() {
        if let Some(round) = ahead.rounds_to(event, ev.fired.get(e).copied().unwrap_or(true)) {
            for (target, set, value) in &event.effects {
                if *target == Target::Frontline(k) {
                    scheduled.push(Move {
                        round,
                        set: *set,
                        value: *value,
                    });
                }
            }
        }
        let Some(h) = hazard(p, i, e) else { continue };
        for (target, set, value) in &event.effects {
            if *target != Target::Frontline(k) || *set {
                continue;
            }
            match (event.repeat, event.duration) {
                // a renewal process: one move per (1/h + D − 1) rounds on average
                (true, Some(dd)) => velocity += value * h / (1.0 + h * (dd as f64 - 1.0)),
                _ => {
                    let can_fire = ev.active.get(e).copied().flatten().is_none() && (event.repeat || !ev.fired[e]);
                    if can_fire && h > 0.0 {
                        one_shots.push((h, *value));
                    }
                }
            }
        }
    }
    expected_path_scheduled(
        &p.utility[i][k],
        &f.path,
        f.position,
        velocity,
        &one_shots,
        &scheduled,
        p.discount[i],
    )
}

/// A scheduled move of a frontline: at the start of round `round` (counted from now, ≥ 1) the
/// line is set to `value` or moved by it, after the round's expected drift.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Move {
    pub round: usize,
    pub set: bool,
    pub value: f64,
}

/// `(1−δ) Σ_t δ^t u(f_t)` along `f_{t+1} = clamp(f_t + v + Σ_e Δ_e h_e (1−h_e)^t)`, `f_0 =
/// position`: the expected path of a frontline with drift-and-breakthrough velocity `v` and
/// one-shot events `(h_e, Δ_e)` that may fire once, each round with probability `h_e`.
///
/// Exact for that clamped path; once the line rests at the bound it moves towards (and no
/// one-shot remains), the tail is summed in closed form. `delta` in (0, 1]; with δ = 1 the
/// current position is used. `opts` are the actor's utilities for the issue's options, `path`
/// the option indices along the line.
pub fn expected_path(opts: &[f64], path: &[usize], position: f64, v: f64, one_shots: &[(f64, f64)], delta: f64) -> f64 {
    expected_path_scheduled(opts, path, position, v, one_shots, &[], delta)
}

/// [`expected_path`] with scheduled moves of the line (`docs/model.md` §9.4): a [`Move`] due at
/// round r sets or shifts `E[f_r]` after the drift of round r − 1 (the order of the simulation:
/// the line moves at the end of a round of war, a scheduled event at the start of the next).
pub fn expected_path_scheduled(
    opts: &[f64],
    path: &[usize],
    position: f64,
    v: f64,
    one_shots: &[(f64, f64)],
    scheduled: &[Move],
    delta: f64,
) -> f64 {
    let here = interpolate(opts, path, position);
    if (v == 0.0 && one_shots.is_empty() && scheduled.is_empty()) || delta >= 1.0 {
        return here;
    }
    let max = (path.len() - 1) as f64;
    let mut sum = 0.0;
    let mut dt = 1.0; // δ^t
    let mut pos = position;
    let mut survive: Vec<f64> = vec![1.0; one_shots.len()]; // (1−h)^t
    for t in 0..1_000_000usize {
        let pending: f64 = one_shots.iter().zip(&survive).map(|(&(_, d), s)| d.abs() * s).sum();
        let waiting = scheduled.iter().any(|m| m.round > t);
        let at_bound = !waiting && pending < 1e-12 && ((v > 0.0 && pos >= max) || (v < 0.0 && pos <= 0.0) || v == 0.0);
        let u = interpolate(opts, path, pos);
        if at_bound || dt < 1e-14 {
            return sum + dt * u;
        }
        sum += (1.0 - delta) * dt * u;
        dt *= delta;
        let mut step = v;
        for (&(h, d), s) in one_shots.iter().zip(survive.iter_mut()) {
            step += d * h * *s;
            *s *= 1.0 - h;
        }
        pos = (pos + step).clamp(0.0, max);
        for m in scheduled.iter().filter(|m| m.round == t + 1) {
            pos = (if m.set { m.value } else { pos + m.value }).clamp(0.0, max);
        }
    }
    sum + dt * interpolate(opts, path, pos)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The closed form for the discounted active rounds matches a brute-force Markov chain.
    #[test]
    fn discounted_active_rounds_match_a_markov_chain() {
        for &(h, d, dur, repeat) in &[
            (0.1, 0.95, Some(6), true),
            (0.1, 0.95, Some(6), false),
            (0.3, 0.9, Some(1), true),
            (0.05, 0.985, None, false),
            (0.2, 0.97, Some(3), true),
        ] {
            // states: 0 = inactive (can fire), k = active with k rounds left, usize::MAX = spent
            let mut dist: Vec<(usize, f64)> = vec![(0, 1.0)];
            let mut total = 0.0;
            let mut dt = 1.0;
            for _t in 1..5_000 {
                dt *= d;
                let mut next: Vec<(usize, f64)> = vec![];
                let mut push = |s: usize, q: f64| match next.iter_mut().find(|x| x.0 == s) {
                    Some(x) => x.1 += q,
                    None => next.push((s, q)),
                };
                for &(s, q) in &dist {
                    match s {
                        0 => {
                            push(dur.unwrap_or(usize::MAX - 1), q * h);
                            push(0, q * (1.0 - h));
                        }
                        usize::MAX => push(usize::MAX, q),
                        // the spell ends after this round; a repeating event may fire again at once
                        1 if repeat => {
                            push(dur.expect("finite"), q * h);
                            push(0, q * (1.0 - h));
                        }
                        1 => push(usize::MAX, q),
                        k if k == usize::MAX - 1 => push(k, q),
                        k => push(k - 1, q),
                    }
                }
                // active at t = states that just fired or are still running
                total += dt
                    * next
                        .iter()
                        .filter(|x| x.0 != 0 && x.0 != usize::MAX)
                        .map(|x| x.1)
                        .sum::<f64>();
                dist = next;
            }
            let closed = discounted_active_rounds(h, d, dur, repeat);
            assert!(
                (total - closed).abs() < 1e-9,
                "{h} {d} {dur:?} {repeat}: {total} vs {closed}"
            );
        }
    }

    #[test]
    fn expected_path_without_events_is_the_linear_path() {
        let u = [0.0, 0.0, 0.0, 0.5, 0.0, 1.0];
        let path = [1, 3, 5];
        let d: f64 = 0.95;
        let brute: f64 = (0..20_000)
            .map(|t| (1.0 - d) * d.powi(t) * interpolate(&u, &path, (0.3 + 0.07 * t as f64).min(2.0)))
            .sum();
        assert!((expected_path(&u, &path, 0.3, 0.07, &[], d) - brute).abs() < 1e-10);
    }

    #[test]
    fn a_still_frontline_is_its_current_utility() {
        let u = [0.0, 0.2, 0.0, 0.6, 0.0, 1.0];
        assert!((expected_path(&u, &[1, 3, 5], 0.5, 0.0, &[], 0.9) - 0.4).abs() < 1e-15);
    }

    /// A one-shot event moving the line by Δ with hazard h shifts the expected position at t by
    /// Δ(1 − (1−h)^t) (no clamping in this range).
    #[test]
    fn a_one_shot_event_shifts_the_expected_path() {
        let u = [0.0, 0.0, 1.0];
        let path = [0, 1, 2];
        let (h, dd, d) = (0.1f64, 0.5, 0.9f64);
        let brute: f64 = (0..20_000)
            .map(|t| {
                let pos = 0.2 + dd * (1.0 - (1.0 - h).powi(t));
                (1.0 - d) * d.powi(t) * interpolate(&u, &path, pos)
            })
            .sum();
        assert!((expected_path(&u, &path, 0.2, 0.0, &[(h, dd)], d) - brute).abs() < 1e-10);
    }
}
