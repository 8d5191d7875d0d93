//! A run's state between rounds and what changes it outside the bargaining itself: its draws
//! before round 0, recognition, the stage a round is solved in, events (`docs/model.md` §4),
//! ratification votes and the durability of an agreement (`docs/model.md` §5).

// Per-actor arrays are indexed in parallel (payoffs, discounts, costs): index loops read best.
#![allow(clippy::needless_range_loop)]

use crate::model::PackageSet;
use crate::model::anticipation::{EventState, war_flow};
use crate::model::durability::sample_years;
use crate::model::learning::Learning;
use crate::model::package::PackageCache;
use crate::model::params::RunParams;
use crate::model::war::issue_war_utility;
use crate::scenario::{NoiseFamily, Quota, Recognition, Scenario, Selection, Target, TypeMode};
use crate::solve::Stage;
use rand::rngs::ChaCha8Rng;
use rand::{Rng, RngExt, SeedableRng};
use std::sync::Arc;

/// The mutable state of a run between rounds.
pub(super) struct State {
    /// Effective parameters: the drawn ones plus the effects of the active events.
    pub(super) params: RunParams,
    /// The drawn parameters (after a scheduled power shift, with its war lottery).
    pub(super) base: RunParams,
    /// Shared with other runs of the batch whose package inputs are the same
    /// ([`crate::model::package::PackageCache`]); copied when an event changes a value.
    pub(super) packages: Arc<PackageSet>,
    /// Belief support of each actor's acceptance shock, `[shock_lo, shock_hi]` (utility units).
    pub(super) shock_lo: Vec<f64>,
    pub(super) shock_hi: Vec<f64>,
    /// Belief lower bound on each persistent ratifier's latent mood (0 initially).
    pub(super) mood_floor: Vec<f64>,
    /// Each ratifier's latent mood in [0, 1): a persistent ratifier passes a package iff its
    /// mood is below the package's pass probability.
    pub(super) mood: Vec<f64>,
    /// Per event: rounds it stays active (`usize::MAX`: for good), `None` when inactive.
    pub(super) active: Vec<Option<usize>>,
    /// Per event: whether it has fired.
    pub(super) fired: Vec<bool>,
    /// The run's ceasefire packages, when the scenario declares `[ceasefire]`.
    pub(super) ceasefire: Option<crate::model::ceasefire::CeasefireParams>,
    /// What the actors have learnt from the war (`docs/model.md` §9.3); inert unless declared.
    pub(super) learning: Learning,
    /// State-dependent positions (`docs/model.md` §9.2), when the scenario declares some.
    pub(super) positions: Option<super::positions::Positions>,
}

/// Stream offset of the second random stream of each run, which draws the actors' outlook
/// (beliefs, renewed-war losses). Runs are below 2^63, so the streams never collide.
const OUTLOOK_STREAM: u64 = 1 << 63;

/// Stream offset of the third random stream of each run, which draws its ceasefire terms (so a
/// scenario's other draws do not move when `[ceasefire]` is added).
const CEASEFIRE_STREAM: u64 = 1 << 62;

/// Run `run`'s draws (its parameters, its actors' outlook, the ratifiers' moods) and its state
/// before the first round, with the run's main random stream positioned after those draws.
pub(super) fn initial_state(s: &Scenario, seed: u64, run: u64, cache: Option<&PackageCache>) -> (State, ChaCha8Rng) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(run);
    let mut params = RunParams::draw(s, &mut rng);
    let mut outlook = ChaCha8Rng::seed_from_u64(seed);
    outlook.set_stream(run | OUTLOOK_STREAM);
    params.draw_outlook(s, &mut outlook);
    let mood: Vec<f64> = params.ratifiers.iter().map(|_| rng.random::<f64>()).collect();
    let mut st = state_of(s, params, mood, cache);
    if let Some(c) = &s.ceasefire {
        let mut own = ChaCha8Rng::seed_from_u64(seed);
        own.set_stream(run | CEASEFIRE_STREAM);
        st.ceasefire = Some(crate::model::ceasefire::CeasefireParams::draw(s, c, &mut own));
    }
    (st, rng)
}

/// The lowest private shock of scale `a` before anything is learnt: `−a` for uniform shocks,
/// unbounded for logistic ones (`docs/model.md` §3).
fn prior_shock_lo(family: NoiseFamily, a: f64) -> f64 {
    if family == NoiseFamily::Logistic && a > 0.0 {
        f64::NEG_INFINITY
    } else {
        -a
    }
}

/// A run's state before its first round, given its parameters and ratifiers' moods.
pub(super) fn state_of(s: &Scenario, params: RunParams, mood: Vec<f64>, cache: Option<&PackageCache>) -> State {
    let packages = match cache {
        Some(cache) => cache.get(s, &params),
        None => Arc::new(PackageSet::build(s, &params)),
    };
    let logistic = s.protocol.acceptance_noise == NoiseFamily::Logistic;
    let mut st = State {
        shock_lo: params
            .noise
            .iter()
            .map(|&a| prior_shock_lo(s.protocol.acceptance_noise, a))
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
        ceasefire: None,
        learning: Learning::new(s, &params),
        base: params.clone(),
        params,
        packages,
        positions: None,
    };
    // discrete types: the belief spans the points (`docs/model.md` §3)
    for i in 0..st.params.discrete.len() {
        if let Some(t) = &st.params.discrete[i] {
            st.shock_lo[i] = t.lowest();
            st.shock_hi[i] = t.highest();
        }
    }
    super::positions::start(s, &mut st);
    st
}

pub(super) fn frontlines(p: &RunParams) -> Vec<Option<f64>> {
    p.frontlines.iter().map(|f| f.as_ref().map(|f| f.position)).collect()
}

/// Recognition states: (proposer of each state, transition matrix, stationary weights).
pub(super) fn recognition(s: &Scenario, p: &RunParams) -> (Vec<usize>, Vec<f64>, Vec<f64>) {
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
pub(super) fn war_utility_now(s: &Scenario, p: &RunParams, i: usize) -> f64 {
    let u: f64 = (0..s.issues.len())
        .map(|k| p.salience[i][k] * issue_war_utility(p, i, k, s.issues[k].war_status_quo))
        .sum();
    crate::model::war::with_reservation(p, i, u)
}

pub(super) fn stage<'a>(s: &Scenario, st: &'a State, proposer: Vec<usize>, transition: Vec<f64>) -> Stage<'a> {
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
        // i.i.d. shocks teach nothing: the lower bound is the family's, at today's noise
        shock_lo: if s.protocol.private_types == TypeMode::Persistent {
            st.shock_lo.clone()
        } else {
            p.noise
                .iter()
                .enumerate()
                .map(|(i, &a)| match p.type_points(i) {
                    Some(t) => t.lowest(),
                    None => prior_shock_lo(s.protocol.acceptance_noise, a),
                })
                .collect()
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
        types: &p.discrete,
        tau: s.protocol.temperature,
        tol: s.protocol.solver_tolerance,
        traced: s.protocol.selection != Selection::Cold,
    }
}

/// Votes of every ratifier whose scope contains z; updates beliefs after a failed vote.
pub(super) fn ratified(st: &mut State, z: usize, rng: &mut ChaCha8Rng) -> bool {
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
pub(super) fn ratification_lag(st: &State, z: usize) -> usize {
    (0..st.packages.r)
        .filter(|&j| st.packages.in_scope[z] & (1 << j) != 0)
        .map(|j| st.params.ratifiers[j].lag)
        .max()
        .unwrap_or(0)
}

/// Years after which a band-model agreement still in force is recorded as lasting this long
/// (beyond every reporting horizon).
const BAND_MAX_YEARS: f64 = 1_000.0;

pub(super) fn durability(st: &State, z: usize, rng: &mut ChaCha8Rng) -> Option<f64> {
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
pub(super) fn fire_events(st: &mut State, t: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
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
pub(super) fn expire_events(st: &mut State) {
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
pub(super) fn apply_active(st: &mut State) {
    let p = &mut st.params;
    let b = &st.base;
    p.war_cost.clone_from(&b.war_cost);
    p.discount.clone_from(&b.discount);
    p.recognition.clone_from(&b.recognition);
    p.noise.clone_from(&b.noise);
    let mut utility_changed = p.utility != b.utility || p.bonus != b.bonus;
    p.bonus.clone_from(&b.bonus);
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
                Target::AgreementBonus(i) => {
                    apply(&mut p.bonus[i]);
                    utility_changed = true;
                }
                Target::Frontline(_) => {}
            }
        }
    }
    for i in 0..p.noise.len() {
        if st.shock_hi[i] == f64::INFINITY || p.type_points(i).is_some() {
            // logistic shocks: unbounded above, the learnt lower bound stays (discrete types:
            // their `noise` cannot change)
            continue;
        }
        st.shock_hi[i] = p.noise[i];
        st.shock_lo[i] = st.shock_lo[i].clamp(-p.noise[i], p.noise[i]);
    }
    if utility_changed {
        Arc::make_mut(&mut st.packages).refresh_utility(p);
    }
}
