//! One solve per distinct state: a process-wide memo of the pinned selection rule
//! ([`Stage::solve_selected`]), keyed by everything the solve reads.
//!
//! [`Stage::solve_selected`] is a pure function of the stage (its packages, recognition,
//! flows, discounts, beliefs, temperature, tolerance) and of the warm start. Runs of a scenario
//! with nothing uncertain, and rounds of one run whose state repeats, ask for the same
//! equilibrium again; the memo answers them with the stored [`Selected`] (its evaluation counts
//! included, so every output is the same bytes with or without the memo, at any thread count).
//! The key is a 128-bit hash of the exact bits of every input (two independent 64-bit SipHash
//! streams): with at most [`CAPACITY`] entries the chance of any collision is below 1e-30.
//! Every field of [`Stage`] and [`PackageSet`] is destructured by name, so a new field that is
//! not hashed does not compile.
//!
//! The memo is bounded ([`CAPACITY`] entries, and stages of at most [`MAX_VALUES`] package
//! values: hashing a larger package set costs more than its solves share); when full it is
//! emptied and refilled, so memory stays flat however many runs a batch has.

use super::{Selected, Stage};
use crate::model::PackageSet;
use crate::model::package::Split;
use crate::model::package_index::IssueValues;
use crate::scenario::types::TypePoints;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{LazyLock, Mutex};

/// Most entries kept.
pub const CAPACITY: usize = 4096;

/// Largest package set (packages × actors) whose solves are memoised.
pub const MAX_VALUES: usize = 1 << 16;

static MEMO: LazyLock<Mutex<HashMap<u128, Selected>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Feeds the same bytes to two hashers with different prefixes.
struct Key(DefaultHasher, DefaultHasher);

impl Key {
    fn new() -> Self {
        let (mut a, mut b) = (DefaultHasher::new(), DefaultHasher::new());
        0xa5a5_u16.hash(&mut a);
        0x5a5a_5a5a_u32.hash(&mut b);
        Key(a, b)
    }
    fn u(&mut self, v: u64) {
        self.0.write_u64(v);
        self.1.write_u64(v);
    }
    fn f(&mut self, v: f64) {
        self.u(v.to_bits());
    }
    fn fs(&mut self, v: &[f64]) {
        self.u(v.len() as u64);
        v.iter().for_each(|x| self.f(*x));
    }
    fn us<T: Copy + Into<u64>>(&mut self, v: &[T]) {
        self.u(v.len() as u64);
        v.iter().for_each(|x| self.u((*x).into()));
    }
    fn finish(self) -> u128 {
        (u128::from(self.0.finish()) << 64) | u128::from(self.1.finish())
    }
}

fn package_key(k: &mut Key, ps: &PackageSet) {
    let PackageSet {
        m,
        n,
        ids,
        options,
        utility,
        required,
        blocked,
        ratify,
        in_scope,
        r,
        split,
        issue_values,
        // derived from `utility` and `required` (hashed above); it only speeds up the listing
        ranking: _,
        // a cache of what the solver found in the set, not part of it
        live: _,
    } = ps;
    k.u(*m as u64);
    k.u(*n as u64);
    k.us(ids);
    k.us(options);
    k.fs(utility);
    k.us(required);
    k.us(blocked);
    k.fs(ratify);
    k.us(in_scope);
    k.u(*r as u64);
    match split {
        None => k.u(0),
        Some(Split {
            issue,
            members,
            weight,
            curvature,
        }) => {
            k.u(1);
            k.u(*issue as u64);
            k.u(u64::from(*members));
            k.fs(weight);
            k.fs(curvature);
        }
    }
    match issue_values {
        None => k.u(0),
        Some(IssueValues {
            radix,
            start,
            width,
            value,
            bonus,
            excess,
            shortfall,
            always_required,
            complete,
            uniform,
            packages,
        }) => {
            k.u(1);
            k.us(&radix.iter().map(|&x| x as u64).collect::<Vec<_>>());
            k.us(&start.iter().map(|&x| x as u64).collect::<Vec<_>>());
            k.u(*width as u64);
            k.fs(value);
            k.fs(bonus);
            k.fs(excess);
            k.fs(shortfall);
            k.u(u64::from(*always_required));
            k.u(u64::from(*complete));
            k.u(u64::from(*uniform));
            k.u(*packages as u64);
        }
    }
}

/// The memo key of `stage` solved from `warm`, or `None` when the stage is too large to memoise.
pub fn key(stage: &Stage<'_>, warm: Option<&[f64]>) -> Option<u128> {
    let Stage {
        packages,
        proposer,
        transition,
        flow,
        delta,
        breakdown,
        breakdown_value,
        shock_lo,
        shock_hi,
        mood_floor,
        quota,
        outside,
        logistic,
        scale,
        types,
        tau,
        tol,
        traced,
    } = stage;
    if packages.utility.len() > MAX_VALUES {
        return None;
    }
    let mut k = Key::new();
    package_key(&mut k, packages);
    k.us(&proposer.iter().map(|&p| p as u64).collect::<Vec<_>>());
    k.fs(transition);
    k.fs(flow);
    k.fs(delta);
    k.f(*breakdown);
    k.fs(breakdown_value);
    k.fs(shock_lo);
    k.fs(shock_hi);
    k.fs(mood_floor);
    k.u(quota.map_or(u64::MAX, |q| q as u64));
    k.u(outside.len() as u64);
    for o in outside {
        match o {
            None => k.u(0),
            Some(v) => {
                k.u(1);
                k.f(*v);
            }
        }
    }
    k.u(u64::from(*logistic));
    k.fs(scale);
    k.u(types.len() as u64);
    for t in types.iter() {
        match t {
            None => k.u(0),
            Some(TypePoints { shock, p }) => {
                k.u(1);
                k.fs(shock);
                k.fs(p);
            }
        }
    }
    k.f(*tau);
    k.f(*tol);
    k.u(u64::from(*traced));
    match warm {
        None => k.u(0),
        Some(w) => {
            k.u(1);
            k.fs(w);
        }
    }
    Some(k.finish())
}

/// The stored solve under `key`, if any.
pub(super) fn get(key: Option<u128>) -> Option<Selected> {
    let key = key?;
    MEMO.lock().ok()?.get(&key).cloned()
}

/// Stores a solve under `key`; a full memo is emptied first (the states worth keeping are those
/// asked for again soon, and they come back).
pub(super) fn put(key: Option<u128>, sel: &Selected) {
    let Some(key) = key else { return };
    if let Ok(mut memo) = MEMO.lock() {
        if memo.len() >= CAPACITY {
            memo.clear();
        }
        memo.insert(key, sel.clone());
    }
}

/// Empties the memo: a bench that repeats one run measures its solves, not the memo's answers.
pub fn clear() {
    if let Ok(mut memo) = MEMO.lock() {
        memo.clear();
    }
}

/// Entries stored (for tests).
pub fn entries() -> usize {
    MEMO.lock().map_or(0, |m| m.len())
}
