//! The package space of one run (`docs/model.md` §1).
//!
//! A package is one option per ordinal issue; its global id is the mixed-radix number of its
//! option indices (first issue most significant). Per run, [`PackageSet::build`] keeps only the
//! packages that can ever pass: those not crossing a binding red line of an actor whose
//! acceptance they need, and not needing the consent of a body that refuses in this run. For each
//! kept package it stores every actor's peace value `U_i(z) = Σ_k w_ik v_ik(o_k) + B_i` (with
//! spatial issues sharing one Euclidean distance, their terms are replaced by the group's
//! non-additive term, `crate::scenario::spatial`), the
//! responders it needs, the actors whose red lines reject it, and the ratifiers' pass
//! probabilities.

use super::live::LiveSets;
use super::package_index::IssueValues;
use super::params::{BindingRedLine, DurabilityParams, RatifierParams, RunParams};
use super::ranking::{MAX_RANKED, Ranking};
use crate::scenario::{Party, Quota, Scenario};
use std::sync::{Arc, Mutex};

/// What a run's package set depends on besides the scenario: every parameter of the run that
/// [`PackageSet::build_from`] reads (the saliences, utilities and bonuses, the curvature of a
/// divisible issue, the bodies' consents, the ratifiers, the binding red lines, the spatial
/// groups and the durability price). Two runs of one scenario with the same inputs have the same
/// package set, which [`PackageCache`] then builds once.
#[derive(Debug, Clone)]
pub struct PackageInputs {
    /// `salience[i][k]`: actor i's weight of issue k (`w_ik`, weights summing to 1).
    pub salience: Vec<Vec<f64>>,
    /// `curvature[i][k]`: actor i's curvature ρ in (0, 1] of the divisible issue k (1 elsewhere).
    pub curvature: Vec<Vec<f64>>,
    /// `utility[i][k][o]`: actor i's value of option o of issue k (`v_ik(o)`, in [0, 1]).
    pub utility: Vec<Vec<Vec<f64>>>,
    /// Per actor: the agreement bonus `B_i` (utility units).
    pub bonus: Vec<f64>,
    /// Per body: whether it consents in this run.
    pub body_consents: Vec<bool>,
    /// The ratifiers' drawn parameters.
    pub ratifiers: Vec<RatifierParams>,
    /// Per actor: the red lines that bind in this run.
    pub red_lines: Vec<Vec<BindingRedLine>>,
    /// Spatial issues sharing one distance (`crate::scenario::spatial`).
    pub spatial_groups: Vec<crate::scenario::spatial::Group>,
    /// `Some(H)`: peace values are net of `P(renewed war within H years | z) · L_i`
    /// (`docs/model.md` §5); `None`: durability is not priced in.
    pub price_horizon: Option<f64>,
    /// The durability model's draw, when the scenario has one.
    pub durability: Option<DurabilityParams>,
    /// Per actor: `L_i`, the loss of a renewed war (utility units).
    pub renewed_war_loss: Vec<f64>,
}

impl PackageInputs {
    /// The inputs of a run with parameters `p`.
    pub fn of(p: &RunParams) -> PackageInputs {
        PackageInputs {
            salience: p.salience.clone(),
            curvature: p.curvature.clone(),
            utility: p.utility.clone(),
            bonus: p.bonus.clone(),
            body_consents: p.body_consents.clone(),
            ratifiers: p.ratifiers.clone(),
            red_lines: p.red_lines.clone(),
            spatial_groups: p.spatial_groups.clone(),
            price_horizon: p.price_horizon,
            durability: p.durability.clone(),
            renewed_war_loss: p.renewed_war_loss.clone(),
        }
    }
}

/// Most package sets a [`PackageCache`] keeps.
pub const PACKAGE_SETS_SHARED: usize = 2;

/// The package sets of one batch of runs of one scenario, shared by the runs whose
/// [`PackageInputs`] are the same to the bit (a scenario whose values are not drawn builds its
/// set once per batch, not once per run), with the live sets found in them
/// ([`super::live`]). Keeps the last [`PACKAGE_SETS_SHARED`] sets, so memory stays flat. A run
/// that changes its set's values (an event) changes its own copy.
#[derive(Default)]
pub struct PackageCache {
    /// `(key, set)`: the key is the scenario's identity and the inputs' `Debug` text (which
    /// writes every float so that it reads back to the same bits).
    sets: Mutex<Vec<(String, Arc<PackageSet>)>>,
}

impl PackageCache {
    /// The package set of a run of `s` with parameters `p`: a kept one built from the same
    /// inputs, or a new one, kept. Use one cache per scenario: the key holds the scenario's
    /// address and source hash, not its contents.
    pub fn get(&self, s: &Scenario, p: &RunParams) -> Arc<PackageSet> {
        let inputs = PackageInputs::of(p);
        let key = format!("{:p} {} {inputs:?}", s, s.source_hash);
        let kept = |sets: &Vec<(String, Arc<PackageSet>)>| {
            sets.iter().find(|(k, _)| *k == key).map(|(_, set)| Arc::clone(set))
        };
        if let Some(set) = kept(&self.sets.lock().unwrap_or_else(|e| e.into_inner())) {
            return set;
        }
        let set = Arc::new(PackageSet::build_from(s, &inputs));
        let mut sets = self.sets.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(other) = kept(&sets) {
            // another thread built the same set meanwhile: share that one
            return other;
        }
        sets.push((key, Arc::clone(&set)));
        if sets.len() > PACKAGE_SETS_SHARED {
            sets.remove(0);
        }
        set
    }
}

/// Packages that can pass in this run, with everything the solver needs about them.
#[derive(Debug, Clone)]
pub struct PackageSet {
    /// Number of issues.
    pub m: usize,
    /// Number of actors.
    pub n: usize,
    /// Global package ids (see the module docs).
    pub ids: Vec<u64>,
    /// Option index per issue, `options[p*m + k]`.
    pub options: Vec<u16>,
    /// Peace value per actor, `utility[p*n + i]`.
    pub utility: Vec<f64>,
    /// Bitmask of actors whose acceptance is required (veto, consent lists, unanimity).
    pub required: Vec<u32>,
    /// Bitmask of actors with a binding red line against the package (they reject it and never
    /// propose it).
    pub blocked: Vec<u32>,
    /// Pass probability of each ratifier, `ratify[p*r + j]`; 1 when out of the ratifier's scope.
    pub ratify: Vec<f64>,
    /// Bitmask of ratifiers whose scope contains the package.
    pub in_scope: Vec<u32>,
    /// Number of ratifiers.
    pub r: usize,
    /// The divisible issue, if the scenario has one: the proposer splits it per offer.
    pub split: Option<Split>,
    /// The peace values decomposed by issue, for searching large spaces without listing them
    /// (`None` for a set not built from a scenario's product of issues).
    pub issue_values: Option<IssueValues>,
    /// Each actor's packages in order of value, for listing only the packages a proposer can
    /// choose (`None` above [`MAX_RANKED`] packages or for a set not built from a scenario).
    pub ranking: Option<Ranking>,
    /// The live packages the pruned proposer's problem has found ([`super::live`]); empty
    /// until a choice above `solve::equilibrium::PRUNE_ABOVE` packages is made.
    pub live: LiveSets,
}

/// The divisible issue of a run (`docs/model.md` §1): actor i values a share y at `weight_i · y^ρ_i`.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Index of the issue.
    pub issue: usize,
    /// Bitmask of the actors that split it.
    pub members: u32,
    /// Per actor: its drawn salience of the issue (0 for non-members).
    pub weight: Vec<f64>,
    /// Per actor: curvature ρ in (0, 1] (1 for non-members).
    pub curvature: Vec<f64>,
}

impl Split {
    /// `weight_i · y^ρ_i`: actor i's value of share y in [0, 1].
    #[inline]
    pub fn value(&self, i: usize, y: f64) -> f64 {
        if self.members & (1 << i) == 0 {
            return 0.0;
        }
        let y = y.max(0.0);
        let rho = self.curvature[i];
        self.weight[i] * if rho == 1.0 { y } else { y.powf(rho) }
    }

    /// The share that gives actor i value `v` (the inverse of [`Split::value`]); 0 for `v <= 0`,
    /// infinite when i has no weight on the issue.
    #[inline]
    pub fn share_for(&self, i: usize, v: f64) -> f64 {
        if v <= 0.0 {
            return 0.0;
        }
        let w = self.weight[i];
        if self.members & (1 << i) == 0 || w <= 0.0 {
            return f64::INFINITY;
        }
        let rho = self.curvature[i];
        if rho == 1.0 { v / w } else { (v / w).powf(1.0 / rho) }
    }
}

/// Decodes a global package id into option indices.
pub fn decode(s: &Scenario, mut id: u64) -> Vec<usize> {
    let mut out = vec![0; s.issues.len()];
    for (k, issue) in s.issues.iter().enumerate().rev() {
        let radix = issue.options.len() as u64;
        out[k] = (id % radix) as usize;
        id /= radix;
    }
    out
}

/// A package's readable name: its option ids joined by ` · `.
pub fn label(s: &Scenario, id: u64) -> String {
    decode(s, id)
        .iter()
        .enumerate()
        .map(|(k, &o)| s.issues[k].options[o].id.as_str())
        .collect::<Vec<_>>()
        .join(" · ")
}

fn crosses(line: &BindingRedLine, opts: &[usize], needed: u32, in_scope: u32, s: &Scenario) -> bool {
    if !line.mask[opts[line.issue]] {
        return false;
    }
    let u = &line.unless;
    if u.ratified && in_scope != 0 {
        return false;
    }
    if !u.consent.is_empty()
        && u.consent.iter().all(|p| match p {
            Party::Actor(a) => needed & (1 << a) != 0,
            Party::Body(b) => opts
                .iter()
                .enumerate()
                .any(|(k, &o)| s.issues[k].options[o].consent.contains(&Party::Body(*b))),
        })
    {
        return false;
    }
    !u.options.iter().any(|&(i, o)| opts[i] == o)
}

impl PackageSet {
    /// A set of no packages over `m` issues and `n` actors, without ratifiers, divisible issue,
    /// issue values or ranking: what [`PackageSet::build`] and solver tests fill.
    pub(crate) fn empty(m: usize, n: usize) -> PackageSet {
        PackageSet {
            m,
            n,
            ids: vec![],
            options: vec![],
            utility: vec![],
            required: vec![],
            blocked: vec![],
            ratify: vec![],
            in_scope: vec![],
            r: 0,
            split: None,
            issue_values: None,
            ranking: None,
            live: LiveSets::default(),
        }
    }

    /// One package (id 0, option 0 of one issue) worth `utility[i]` to actor i, needing the
    /// actors in the bitmask `required`, blocked by no one.
    #[cfg(test)]
    pub(crate) fn one(utility: Vec<f64>, required: u32) -> PackageSet {
        let n = utility.len();
        PackageSet {
            ids: vec![0],
            options: vec![0],
            utility,
            required: vec![required],
            blocked: vec![0],
            in_scope: vec![0],
            ..PackageSet::empty(1, n)
        }
    }

    /// Packages `z = 0, 1, …` (option z of one issue), package z worth `utility[z][i]` to actor
    /// i, each needing the actors in the bitmask `required`, blocked by no one.
    #[cfg(test)]
    pub(crate) fn several(utility: Vec<Vec<f64>>, required: u32) -> PackageSet {
        let (k, n) = (utility.len(), utility[0].len());
        PackageSet {
            ids: (0..k as u64).collect(),
            options: (0..k as u16).collect(),
            utility: utility.concat(),
            required: vec![required; k],
            blocked: vec![0; k],
            in_scope: vec![0; k],
            ..PackageSet::empty(1, n)
        }
    }

    /// Enumerates the package space and keeps the packages that can pass in this run.
    pub fn build(s: &Scenario, p: &RunParams) -> PackageSet {
        PackageSet::build_from(s, &PackageInputs::of(p))
    }

    /// [`PackageSet::build`] from the run's [`PackageInputs`], all it reads besides the scenario.
    pub fn build_from(s: &Scenario, p: &PackageInputs) -> PackageSet {
        let (m, n, r) = (s.issues.len(), s.actors.len(), s.ratifiers.len());
        let mut set = PackageSet {
            r,
            ..PackageSet::empty(m, n)
        };
        set.split = s.issues.iter().position(|i| i.divisible.is_some()).map(|k| {
            let members = s.issues[k].divisible.as_ref().expect("divisible");
            let mask = members.iter().fold(0u32, |m, &i| m | (1 << i));
            Split {
                issue: k,
                members: mask,
                weight: (0..n)
                    .map(|i| if mask & (1 << i) != 0 { p.salience[i][k] } else { 0.0 })
                    .collect(),
                curvature: (0..n)
                    .map(|i| if mask & (1 << i) != 0 { p.curvature[i][k] } else { 1.0 })
                    .collect(),
            }
        });
        let base_required: u32 = s
            .actors
            .iter()
            .enumerate()
            .filter(|(_, a)| a.veto)
            .fold(0, |acc, (i, _)| acc | (1 << i));
        let all: u32 = if n >= 32 { u32::MAX } else { (1u32 << n) - 1 };
        let base_required = if s.protocol.quota == Quota::Unanimity {
            all
        } else {
            base_required
        };
        let space = s.package_space() as u64;
        let mut opts = vec![0usize; m];
        'packages: for id in 0..space {
            // the option indices of `id`: the previous package's, counted up by one (the last
            // issue least significant), cheaper than decoding each id
            if id > 0 {
                for k in (0..m).rev() {
                    opts[k] += 1;
                    if opts[k] < s.issues[k].options.len() {
                        break;
                    }
                    opts[k] = 0;
                }
            }
            let mut required = base_required;
            for (k, &o) in opts.iter().enumerate() {
                for party in &s.issues[k].options[o].consent {
                    match *party {
                        Party::Actor(a) => required |= 1 << a,
                        Party::Body(b) if !p.body_consents[b] => continue 'packages,
                        Party::Body(_) => {}
                    }
                }
            }
            let mut in_scope = 0u32;
            for (j, rt) in p.ratifiers.iter().enumerate() {
                let inside = rt.scope.as_ref().is_none_or(|sc| sc.iter().any(|&(i, o)| opts[i] == o));
                if inside {
                    in_scope |= 1 << j;
                }
            }
            let mut blocked = 0u32;
            for (i, lines) in p.red_lines.iter().enumerate() {
                if lines.iter().any(|l| crosses(l, &opts, required, in_scope, s)) {
                    blocked |= 1 << i;
                }
            }
            if blocked & required != 0 {
                continue;
            }
            set.ids.push(id);
            set.options.extend(opts.iter().map(|&o| o as u16));
            set.required.push(required);
            set.blocked.push(blocked);
            set.in_scope.push(in_scope);
            for (j, rt) in p.ratifiers.iter().enumerate() {
                set.ratify.push(if in_scope & (1 << j) != 0 {
                    let z = rt.intercept + opts.iter().enumerate().map(|(k, &o)| rt.effect[k][o]).sum::<f64>();
                    (1.0 / (1.0 + (-z).exp())).clamp(rt.floor, rt.ceiling)
                } else {
                    1.0
                });
            }
        }
        let radix = s.issues.iter().map(|i| i.options.len()).collect();
        // the pruned proposer's problem needs values that add up over issues: not with spatial
        // issues sharing one Euclidean distance
        set.issue_values = p.spatial_groups.is_empty().then(|| {
            let mut iv = IssueValues::new(radix, n, base_required, set.len(), set.len() as u64 == space);
            iv.uniform = set.blocked.iter().all(|&b| b == 0) && set.required.iter().all(|&r| r == base_required);
            iv
        });
        set.utility = vec![0.0; set.len() * n];
        set.refresh_from(p);
        set
    }

    /// Recomputes every peace value from `p` (after an event changed a utility):
    /// `U_i(z) = Σ_k w_ik v_ik(o_k) + B_i`, minus `P(renewed war within H years | z) · L_i` when
    /// durability is priced in (`docs/model.md` §5; H the durability baseline's years, L_i the
    /// actor's `renewed_war_loss`).
    pub fn refresh_utility(&mut self, p: &RunParams) {
        self.refresh_from(&PackageInputs::of(p));
    }

    /// [`PackageSet::refresh_utility`] from the run's [`PackageInputs`].
    fn refresh_from(&mut self, p: &PackageInputs) {
        self.live.clear();
        if let Some(iv) = &mut self.issue_values {
            iv.fill(p);
        }
        for z in 0..self.len() {
            let opts = &self.options[z * self.m..(z + 1) * self.m];
            for i in 0..self.n {
                if !p.spatial_groups.is_empty() {
                    // spatial issues sharing one Euclidean distance: not a sum over issues
                    let u = crate::scenario::spatial::package_value(
                        &p.spatial_groups,
                        i,
                        self.m,
                        |k| opts[k] as usize,
                        &p.salience[i],
                        |k, o| p.utility[i][k][o],
                    );
                    self.utility[z * self.n + i] = u + p.bonus[i];
                    continue;
                }
                let u: f64 = opts
                    .iter()
                    .enumerate()
                    .map(|(k, &o)| p.salience[i][k] * p.utility[i][k][o as usize])
                    .sum();
                self.utility[z * self.n + i] = u + p.bonus[i];
            }
            if let (Some(h), Some(d)) = (p.price_horizon, &p.durability) {
                let risk = d.p_renewed_war(opts, h);
                for i in 0..self.n {
                    self.utility[z * self.n + i] -= risk * p.renewed_war_loss[i];
                }
            }
        }
        self.ranking = (self.len() <= MAX_RANKED).then(|| Ranking::new(&self.utility, &self.required, self.n));
    }

    /// Number of packages kept.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether no package can pass.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Option indices of package `z` (a position in this set).
    pub fn opts(&self, z: usize) -> &[u16] {
        &self.options[z * self.m..(z + 1) * self.m]
    }

    /// `U_i(z)`.
    #[inline]
    pub fn u(&self, z: usize, i: usize) -> f64 {
        self.utility[z * self.n + i]
    }
}
