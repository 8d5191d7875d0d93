//! One run's parameters: every uncertain number of the scenario drawn once (`docs/model.md` §6).
//!
//! Draws happen in a fixed order from the run's own stream, so run r with seed S always gets the
//! same parameters. Draws outside a parameter's domain are clamped to it.

use crate::scenario::types::TypePoints;
use crate::scenario::{Change, Dist, NoiseFamily, Scenario, Target, Trigger, Unless};
use rand::Rng;
use rand::RngExt;
use rand_distr::{Distribution, Gamma};

/// A red line that binds in this run.
#[derive(Debug, Clone)]
pub struct BindingRedLine {
    pub issue: usize,
    /// `mask[o]` = the line rejects option o.
    pub mask: Vec<bool>,
    pub unless: Unless,
}

impl BindingRedLine {
    /// The scenario's red line `l` as it binds in a run: its options as a mask over its issue's.
    pub fn of(s: &Scenario, l: &crate::scenario::RedLine) -> BindingRedLine {
        let mut mask = vec![false; s.issues[l.issue].options.len()];
        l.options.iter().for_each(|&o| mask[o] = true);
        BindingRedLine {
            issue: l.issue,
            mask,
            unless: l.unless.clone(),
        }
    }
}

/// A frontline's drawn dynamics and its current position.
#[derive(Debug, Clone)]
pub struct FrontlineState {
    /// Option indices along the line.
    pub path: Vec<usize>,
    /// Position in path steps, in [0, path.len()-1].
    pub position: f64,
    pub drift: f64,
    pub sd: f64,
    pub breakthrough_probability: f64,
    pub breakthrough_jump: f64,
}

impl FrontlineState {
    /// Largest position (the last path option).
    pub fn max_position(&self) -> f64 {
        (self.path.len() - 1) as f64
    }
}

/// A ratifier's drawn parameters.
#[derive(Debug, Clone)]
pub struct RatifierParams {
    /// `None` = every package is in scope.
    pub scope: Option<Vec<(usize, usize)>>,
    pub intercept: f64,
    /// `effect[issue][option]` on the logit scale.
    pub effect: Vec<Vec<f64>>,
    pub floor: f64,
    pub ceiling: f64,
    pub persistent: bool,
    pub lag: usize,
}

/// An event's drawn parameters.
#[derive(Debug, Clone)]
pub struct EventParams {
    pub hazard: Option<f64>,
    pub at_round: Option<usize>,
    pub duration: Option<usize>,
    pub repeat: bool,
    /// (target, is_set, value)
    pub effects: Vec<(Target, bool, f64)>,
}

/// Durability parameters of this run.
#[derive(Debug, Clone)]
pub struct DurabilityParams {
    pub shape: f64,
    /// Weibull scale in years for a bare ceasefire.
    pub scale_years: f64,
    /// Product of the `always` ratios.
    pub always: f64,
    /// `hazard_ratio[issue][option]`, 1 where none is given.
    pub hazard_ratio: Vec<Vec<f64>>,
    /// The band model's draw, when the scenario uses it (then the Weibull fields are unused).
    pub band: Option<BandParams>,
}

/// The band durability model of one run (`docs/model.md` §5).
#[derive(Debug, Clone, PartialEq)]
pub struct BandParams {
    pub balance: f64,
    pub lower: f64,
    pub upper: f64,
    /// Per year.
    pub drift: f64,
    /// Per square-root year.
    pub volatility: f64,
    /// Monitoring step, years.
    pub dt: f64,
    /// `widening[issue][option]`: how far the option moves each edge out (0 where none).
    pub widening: Vec<Vec<f64>>,
}

impl BandParams {
    /// The band of an agreement on the package with these option indices: both edges moved out
    /// by the sum of its options' widenings.
    pub fn band(&self, opts: &[u16]) -> Option<crate::theory::band::Band> {
        let w: f64 = opts
            .iter()
            .enumerate()
            .map(|(k, &o)| self.widening[k][o as usize])
            .sum();
        crate::theory::band::Band::new(
            self.balance,
            self.lower - w,
            self.upper + w,
            self.drift,
            self.volatility,
        )
        .ok()
    }
}

impl DurabilityParams {
    /// Combined hazard ratio of an agreement on the package with these option indices: the
    /// `always` ratios times each option's ratio (`docs/model.md` §5).
    pub fn package_hazard_ratio(&self, opts: &[u16]) -> f64 {
        self.always
            * opts
                .iter()
                .enumerate()
                .map(|(k, &o)| self.hazard_ratio[k][o as usize])
                .product::<f64>()
    }

    /// `P(renewed war within `years` | package)` (for the band model, under continuous
    /// monitoring: the closed form of [`crate::theory::band::Band::survival`]).
    pub fn p_renewed_war(&self, opts: &[u16], years: f64) -> f64 {
        if let Some(b) = &self.band {
            return b.band(opts).map_or(1.0, |band| 1.0 - band.survival(years));
        }
        super::durability::cdf(years, self.scale_years, self.shape, self.package_hazard_ratio(opts))
    }
}

/// Every parameter of one run. Vectors are indexed by actor, then issue, then option.
#[derive(Debug, Clone)]
pub struct RunParams {
    pub salience: Vec<Vec<f64>>,
    pub utility: Vec<Vec<Vec<f64>>>,
    pub war_utility: Vec<Vec<Option<f64>>>,
    pub discount: Vec<f64>,
    pub war_cost: Vec<f64>,
    pub recognition: Vec<f64>,
    pub noise: Vec<f64>,
    pub bonus: Vec<f64>,
    pub breakdown_value: Vec<f64>,
    pub breakdown: f64,
    pub red_lines: Vec<Vec<BindingRedLine>>,
    /// Per actor, per red line in file order: `(binding probability, uniform u)` as drawn; the
    /// line binds iff `u < binding` (state-dependent lines re-decide with the same u each round,
    /// `docs/model.md` §9.2).
    pub red_line_draws: Vec<Vec<(f64, f64)>>,
    /// Whether each `[[body]]` consents in this run.
    pub body_consents: Vec<bool>,
    pub frontlines: Vec<Option<FrontlineState>>,
    pub ratifiers: Vec<RatifierParams>,
    pub events: Vec<EventParams>,
    pub durability: Option<DurabilityParams>,
    /// Each actor's private type ε_i, uniform on [-noise_i, noise_i] (used when types persist).
    pub types: Vec<f64>,
    /// Each actor's loss from renewed war after a deal (utility units, >= 0).
    pub renewed_war_loss: Vec<f64>,
    /// `Some(H)`: peace values are net of `P(renewed war within H years | z) · renewed_war_loss`.
    pub price_horizon: Option<f64>,
    /// Each actor's own view of the war (empty = the scenario's dynamics).
    pub beliefs: Vec<BeliefParams>,
    /// Curvature ρ of each actor's value of each divisible issue (1 elsewhere), `[actor][issue]`.
    pub curvature: Vec<Vec<f64>>,
    /// Each actor's value of opting out as a responder, if it has one.
    pub outside_option: Vec<Option<f64>>,
    /// The drawn war lottery, if the scenario has `[war]`.
    pub war: Option<WarParams>,
    /// Each actor's reservation value (the value of no agreement, lump sum), if it has one: a
    /// round without agreement pays `(1 − δ_i)` times it on top of the war flow
    /// (`docs/model.md` §2).
    pub reservation_value: Vec<Option<f64>>,
    /// Per actor, its discrete private types (`types`), if it has any; empty when no actor of
    /// the scenario has (`docs/model.md` §3).
    pub discrete: Vec<Option<TypePoints>>,
    /// Spatial issues sharing one Euclidean distance (`docs/model.md` §1 (spatial issues)): their utility is the
    /// group's term, not a sum over its issues. Empty in most scenarios.
    pub spatial_groups: Vec<crate::scenario::spatial::Group>,
}

/// The drawn decisive-war lottery (`docs/model.md` §4, "Breakdown").
#[derive(Debug, Clone, PartialEq)]
pub struct WarParams {
    /// Per actor: probability of winning.
    pub win: Vec<f64>,
    /// Per actor: lump-sum cost.
    pub cost: Vec<f64>,
    /// `(round, win probabilities from that round on)`.
    pub shift: Option<(usize, Vec<f64>)>,
}

/// An actor's drawn beliefs about the war (`docs/model.md` §4). Values it does not state are copied
/// from the run's own draw, so a belief equal to the scenario's dynamics changes nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BeliefParams {
    /// Per issue: `(drift, breakthrough probability, breakthrough jump)` the actor expects.
    pub frontline: Vec<Option<(f64, f64, f64)>>,
    /// Per event: the per-round hazard the actor expects.
    pub hazard: Vec<Option<f64>>,
}

fn clamp_prob(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}
fn nonneg(x: f64) -> f64 {
    x.max(0.0)
}

/// The private acceptance shock at quantile `u` ∈ [0, 1) of its family, scale `a` ≥ 0 (utility
/// units; `docs/model.md` §3): uniform on `[−a, a]`, or logistic with scale `a`. Both the
/// persistent types and the i.i.d. shocks of `private_types = "iid"` are drawn through it, from
/// one stream word each.
pub fn shock_quantile(family: NoiseFamily, a: f64, u: f64) -> f64 {
    match family {
        NoiseFamily::Uniform => a * (2.0 * u - 1.0),
        // the logistic quantile; u = 0 (probability 2^-53) is moved off the pole
        NoiseFamily::Logistic => a * (u.max(1e-300) / (1.0 - u)).ln(),
    }
}

/// The parameters of the expected scenario ([`Scenario::expected`]): no private types drawn
/// (every type at its median, 0).
pub fn expected_params(s: &Scenario) -> RunParams {
    let e = s.expected();
    let mut rng = <rand::rngs::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0);
    let mut p = RunParams::draw(&e, &mut rng);
    p.draw_outlook(&e, &mut rng);
    p.types.iter_mut().for_each(|t| *t = 0.0);
    p
}

impl RunParams {
    /// Draws one run's parameters from `rng`, in a fixed order (each step below draws in
    /// scenario order): the breakdown probability, the actors' numbers and red lines, the
    /// bodies' consents, the frontlines, the ratifiers, the events, durability, the private
    /// types, then the draws added after the first release (outside options, the war).
    pub fn draw<R: Rng + ?Sized>(s: &Scenario, rng: &mut R) -> RunParams {
        let n = s.actors.len();
        let mut p = RunParams {
            salience: vec![],
            utility: vec![],
            war_utility: vec![],
            discount: vec![],
            war_cost: vec![],
            recognition: vec![],
            noise: vec![],
            bonus: vec![],
            breakdown_value: vec![],
            breakdown: clamp_prob(s.protocol.breakdown.draw(rng)),
            red_lines: vec![],
            red_line_draws: vec![],
            body_consents: vec![],
            frontlines: vec![],
            ratifiers: vec![],
            events: vec![],
            durability: None,
            types: vec![0.0; n],
            renewed_war_loss: vec![0.0; n],
            price_horizon: None,
            beliefs: vec![BeliefParams::default(); n],
            curvature: s.actors.iter().map(|a| a.curvature.clone()).collect(),
            outside_option: vec![None; n],
            war: None,
            reservation_value: vec![None; n],
            discrete: if s.actors.iter().any(|a| a.types.is_some()) {
                s.actors.iter().map(|a| a.types.clone()).collect()
            } else {
                vec![]
            },
            spatial_groups: s.spatial.groups.clone(),
        };
        p.draw_actors(s, rng);
        for b in &s.bodies {
            let c = clamp_prob(b.consent.draw(rng));
            p.body_consents.push(rng.random::<f64>() < c);
        }
        p.frontlines = s.issues.iter().map(|issue| draw_frontline(issue, rng)).collect();
        p.ratifiers = s.ratifiers.iter().map(|r| draw_ratifier(s, r, rng)).collect();
        p.events = s.events.iter().map(|e| draw_event(e, rng)).collect();
        p.durability = s.durability.as_ref().map(|d| draw_durability(s, d, rng));
        p.draw_types(s, rng);
        // draws added after the first release come last, so older scenarios keep their draws
        for (i, a) in s.actors.iter().enumerate() {
            p.outside_option[i] = a.outside_option.as_ref().map(|d| d.draw(rng));
        }
        for (i, a) in s.actors.iter().enumerate() {
            p.reservation_value[i] = a.reservation_value.as_ref().map(|d| d.draw(rng));
            if let (true, Some(r)) = (a.breakdown_at_reservation, p.reservation_value[i]) {
                p.breakdown_value[i] = r;
            }
        }
        if let Some(w) = &s.war {
            let win: Vec<f64> = w.win_probability.iter().map(|d| clamp_prob(d.draw(rng))).collect();
            let cost: Vec<f64> = w.cost.iter().map(|d| nonneg(d.draw(rng))).collect();
            let shift = w
                .shift
                .as_ref()
                .map(|(t, ps)| (*t, ps.iter().map(|d| clamp_prob(d.draw(rng))).collect()));
            p.war = Some(WarParams { win, cost, shift });
            p.breakdown_value = p.war_lottery(s, 0);
        }
        p
    }

    /// Each actor's numbers in turn: saliences, utilities, war utilities, discount, war cost,
    /// recognition, noise, agreement bonus, breakdown value, then its red lines (for each, its
    /// binding probability and whether it binds).
    fn draw_actors<R: Rng + ?Sized>(&mut self, s: &Scenario, rng: &mut R) {
        for a in &s.actors {
            self.salience.push(draw_salience(
                &a.salience,
                a.salience_concentration,
                a.normalise_salience,
                rng,
            ));
            self.utility.push(
                a.utility
                    .iter()
                    .map(|opts| opts.iter().map(|u| u.draw(rng)).collect())
                    .collect(),
            );
            self.war_utility
                .push(a.war_utility.iter().map(|w| w.as_ref().map(|d| d.draw(rng))).collect());
            self.discount.push(a.discount.draw(rng).clamp(1e-9, 1.0));
            self.war_cost.push(a.war_cost.draw(rng));
            self.recognition.push(nonneg(a.recognition.draw(rng)));
            self.noise.push(nonneg(a.noise.draw(rng)));
            self.bonus.push(a.agreement_bonus.draw(rng));
            self.breakdown_value.push(a.breakdown_value.draw(rng));
            let mut lines = vec![];
            let mut draws = vec![];
            for l in &a.red_lines {
                let b = clamp_prob(l.binding.draw(rng));
                let u: f64 = rng.random();
                draws.push((b, u));
                if u < b {
                    lines.push(BindingRedLine::of(s, l));
                }
            }
            self.red_lines.push(lines);
            self.red_line_draws.push(draws);
        }
    }

    /// Each actor's private type: one word per actor whatever its noise, so the other draws keep
    /// their place.
    fn draw_types<R: Rng + ?Sized>(&mut self, s: &Scenario, rng: &mut R) {
        for i in 0..self.noise.len() {
            let u: f64 = rng.random();
            self.types[i] = self.shock_at(s.protocol.acceptance_noise, i, u);
        }
    }

    /// Actor i's discrete types, if it has them (`types`).
    pub fn type_points(&self, i: usize) -> Option<&TypePoints> {
        self.discrete.get(i)?.as_ref()
    }

    /// Actor i's private shock at quantile `u`: a point of its discrete `types` if it has them,
    /// else [`shock_quantile`] of the scenario's family at its `noise`.
    pub fn shock_at(&self, family: NoiseFamily, i: usize, u: f64) -> f64 {
        match self.type_points(i) {
            Some(t) => t.quantile(u),
            None => shock_quantile(family, self.noise[i], u),
        }
    }

    /// Each actor's value of the decisive-war lottery that a breakdown at round `t` leads to:
    /// `b_i = Σ_k p_k U_i(ideal_k) − C_i` (`docs/model.md` §4), with the win probabilities in force at
    /// `t` (after a scheduled shift, the new ones). `ideal_k` is k's best option on every ordinal
    /// issue and all of a divisible issue k shares in (split equally among its actors if k has
    /// no share); `U_i` is the salience-weighted value without the agreement bonus. Returns the
    /// current breakdown values when the scenario has no `[war]`.
    pub fn war_lottery(&self, s: &Scenario, t: usize) -> Vec<f64> {
        let Some(w) = &self.war else {
            return self.breakdown_value.clone();
        };
        let win = match &w.shift {
            Some((at, p)) if t >= *at => p,
            _ => &w.win,
        };
        let n = self.n();
        (0..n)
            .map(|i| {
                let mut b = -w.cost[i];
                for (k, pk) in win.iter().enumerate() {
                    if *pk == 0.0 {
                        continue;
                    }
                    let u: f64 = s
                        .issues
                        .iter()
                        .enumerate()
                        .map(|(q, issue)| {
                            let v = match &issue.divisible {
                                Some(members) if members.contains(&i) => {
                                    let share = if members.contains(&k) {
                                        f64::from(u8::from(i == k))
                                    } else {
                                        1.0 / members.len() as f64
                                    };
                                    share.powf(self.curvature[i][q])
                                }
                                Some(_) => 0.0,
                                None => {
                                    let best = (0..issue.options.len())
                                        .max_by(|&a, &b| {
                                            self.utility[k][q][a].total_cmp(&self.utility[k][q][b]).then(b.cmp(&a))
                                        })
                                        .unwrap_or(0);
                                    self.utility[i][q][best]
                                }
                            };
                            self.salience[i][q] * v
                        })
                        .sum();
                    b += pk * u;
                }
                b
            })
            .collect()
    }

    /// Draws the parameters that make actors look ahead differently: beliefs about the war and
    /// losses from renewed war (`docs/model.md` §4–5). They come from their own random stream (see
    /// the run module of `sim`), so adding them leaves every other draw of the run unchanged.
    pub fn draw_outlook<R: Rng + ?Sized>(&mut self, s: &Scenario, rng: &mut R) {
        for (i, a) in s.actors.iter().enumerate() {
            self.renewed_war_loss[i] = nonneg(a.renewed_war_loss.draw(rng));
            let b = &a.beliefs;
            self.beliefs[i] = BeliefParams {
                frontline: (0..s.issues.len())
                    .map(|k| {
                        let belief = b.frontline.get(k)?.as_ref()?;
                        let f = self.frontlines[k].as_ref()?;
                        Some((
                            belief.drift.as_ref().map_or(f.drift, |d| d.draw(rng)),
                            belief
                                .breakthrough_probability
                                .as_ref()
                                .map_or(f.breakthrough_probability, |d| clamp_prob(d.draw(rng))),
                            belief
                                .breakthrough_jump
                                .as_ref()
                                .map_or(f.breakthrough_jump, |d| d.draw(rng)),
                        ))
                    })
                    .collect(),
                hazard: (0..s.events.len())
                    .map(|e| b.hazard.get(e)?.as_ref().map(|d| clamp_prob(d.draw(rng))))
                    .collect(),
            };
        }
        self.price_horizon = match (&s.durability, s.protocol.price_durability) {
            (Some(d), true) => Some(d.baseline_years),
            _ => None,
        };
    }

    /// Number of actors.
    pub fn n(&self) -> usize {
        self.discount.len()
    }
}

/// An issue's frontline, if it has one: start, drift, sd, breakthrough probability and jump.
fn draw_frontline<R: Rng + ?Sized>(issue: &crate::scenario::Issue, rng: &mut R) -> Option<FrontlineState> {
    issue.frontline.as_ref().map(|f| {
        let max = (f.path.len().max(1) - 1) as f64;
        FrontlineState {
            path: f.path.clone(),
            position: f.start.draw(rng).clamp(0.0, max),
            drift: f.drift.draw(rng),
            sd: nonneg(f.sd.draw(rng)),
            breakthrough_probability: clamp_prob(f.breakthrough_probability.draw(rng)),
            breakthrough_jump: f.breakthrough_jump.draw(rng),
        }
    })
}

/// A ratifier: its intercept, then its effects in file order.
fn draw_ratifier<R: Rng + ?Sized>(s: &Scenario, r: &crate::scenario::Ratifier, rng: &mut R) -> RatifierParams {
    let mut effect: Vec<Vec<f64>> = s.issues.iter().map(|i| vec![0.0; i.options.len()]).collect();
    let intercept = r.intercept.draw(rng);
    for (i, o, d) in &r.effects {
        effect[*i][*o] += d.draw(rng);
    }
    RatifierParams {
        scope: r.scope.clone(),
        intercept,
        effect,
        floor: r.floor,
        ceiling: r.ceiling,
        persistent: r.persistent,
        lag: r.lag,
    }
}

/// An event: its hazard (if it has one), then its effects in file order.
fn draw_event<R: Rng + ?Sized>(e: &crate::scenario::Event, rng: &mut R) -> EventParams {
    let (hazard, at_round) = match &e.trigger {
        Trigger::Hazard(h) => (Some(clamp_prob(h.draw(rng))), None),
        Trigger::AtRound(t) => (None, Some(*t)),
    };
    let effects = e
        .effects
        .iter()
        .map(|ef| match &ef.change {
            Change::Add(d) => (ef.target, false, d.draw(rng)),
            Change::Set(d) => (ef.target, true, d.draw(rng)),
        })
        .collect();
    EventParams {
        hazard,
        at_round,
        duration: e.duration,
        repeat: e.repeat,
        effects,
    }
}

/// Durability: shape, baseline probability, the hazard ratios that always apply, the options'
/// hazard ratios, then the band model's numbers.
fn draw_durability<R: Rng + ?Sized>(s: &Scenario, d: &crate::scenario::Durability, rng: &mut R) -> DurabilityParams {
    let shape = d.shape.draw(rng).max(1e-3);
    let pb = d.p_baseline.draw(rng).clamp(1e-6, 1.0 - 1e-6);
    let always: f64 = d.always.iter().map(|(_, r)| r.draw(rng).max(1e-6)).product();
    let hazard_ratio = s
        .issues
        .iter()
        .map(|i| {
            i.options
                .iter()
                .map(|o| o.hazard_ratio.as_ref().map_or(1.0, |h| h.draw(rng).max(1e-6)))
                .collect()
        })
        .collect();
    let band = d.band.as_ref().map(|b| BandParams {
        balance: b.balance.draw(rng),
        lower: b.lower.draw(rng),
        upper: b.upper.draw(rng),
        drift: b.drift.draw(rng),
        volatility: b.volatility.draw(rng).max(1e-9),
        dt: 1.0 / f64::from(b.steps_per_year),
        widening: s
            .issues
            .iter()
            .map(|i| {
                i.options
                    .iter()
                    .map(|o| o.band_widening.as_ref().map_or(0.0, |h| nonneg(h.draw(rng))))
                    .collect()
            })
            .collect(),
    });
    DurabilityParams {
        shape,
        scale_years: super::durability::weibull_scale(pb, d.baseline_years, shape),
        always,
        hazard_ratio,
        band,
    }
}

/// Normalised saliences; Dirichlet(concentration × weights) when a concentration is set; the
/// draws as they are when `normalise` is false (absolute saliences).
fn draw_salience<R: Rng + ?Sized>(w: &[Dist], conc: Option<f64>, normalise: bool, rng: &mut R) -> Vec<f64> {
    let mut x: Vec<f64> = w.iter().map(|d| nonneg(d.draw(rng))).collect();
    let total: f64 = x.iter().sum();
    // the Dirichlet draw below uses its own stream: one word of `rng` whatever happens
    let mut own = <rand::rngs::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(rng.next_u64());
    if total <= 0.0 || !normalise {
        return x;
    }
    x.iter_mut().for_each(|v| *v /= total);
    if let Some(c) = conc {
        // Dirichlet via independent Gamma(c·w_k, 1) draws, normalised.
        let g: Vec<f64> = x
            .iter()
            .map(|&v| {
                if v > 0.0 {
                    Gamma::new(c * v, 1.0).map_or(v, |d| d.sample(&mut own))
                } else {
                    0.0
                }
            })
            .collect();
        let t: f64 = g.iter().sum();
        if t > 0.0 {
            return g.iter().map(|v| v / t).collect();
        }
    }
    x
}
