//! What a run records: its outcome, payoffs and solver work, and (for `explain`) its history
//! round by round (`docs/model.md` §6).

use serde::Serialize;

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

/// What one run records (`docs/model.md` §6).
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
    /// Rounds whose solve did not reach the tolerance even after every fallback; each was played
    /// from the best values the solver reached (`--strict` makes any of them an error).
    pub unconverged_solves: usize,
    /// Rounds whose equilibrium could only be followed down to a temperature above the
    /// scenario's `temperature` (the values solve the game at that temperature; see
    /// `Stage::solve_selected`).
    pub rounds_above_temperature: usize,
    /// The first round whose solve did not reach the tolerance, if any.
    pub not_converged: Option<NotConverged>,
    /// Number of packages that could pass at the start of the run.
    pub feasible_packages: usize,
    /// Signed packages that a ratifier rejected.
    pub ratification_failures: usize,
    /// The ceasefires of the run, when the scenario declares `[ceasefire]` (`docs/model.md` §9.1).
    pub ceasefire: Option<CeasefireRecord>,
}

impl RunRecord {
    /// Round `round`'s solve stopped above the tolerance at `residual` (values solved at
    /// temperature `tau`): counted, and the run's first such round kept.
    pub(crate) fn unconverged(&mut self, round: usize, residual: f64, tau: f64) {
        self.unconverged_solves += 1;
        self.not_converged.get_or_insert(NotConverged { round, residual, tau });
    }
}

/// A round whose equilibrium solve stopped above the tolerance after every fallback: it was
/// played from the values with the lowest residual the solver reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
pub struct NotConverged {
    /// 0-based round.
    pub round: usize,
    /// Max-norm residual of the equilibrium map at the values played (utility units).
    pub residual: f64,
    /// Temperature those values were solved at (utility units): the scenario's `temperature`,
    /// or a higher one where the logit path stopped.
    pub tau: f64,
}

/// The state of a run at the end of a round (`docs/model.md` §9.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Fighting goes on.
    War,
    /// A ceasefire holds; settlement talks go on.
    Ceasefire,
    /// A settlement was signed (and ratified).
    Settled,
    /// Talks broke down for good.
    Ended,
}

impl Phase {
    /// All phases in reporting order.
    pub const ALL: [Phase; 4] = [Phase::War, Phase::Ceasefire, Phase::Settled, Phase::Ended];
    /// The name used in files.
    pub fn name(self) -> &'static str {
        match self {
            Phase::War => "war",
            Phase::Ceasefire => "ceasefire",
            Phase::Settled => "settled",
            Phase::Ended => "ended",
        }
    }
}

/// What a run records about its ceasefires.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CeasefireRecord {
    /// Round (0-based) in which the first ceasefire was signed.
    pub first_round: Option<usize>,
    /// Index of the first ceasefire's package (`Ceasefire::label`).
    pub first_package: Option<usize>,
    /// Rounds the first ceasefire held (its age at collapse, or when it was last observed: at a
    /// settlement or at the horizon).
    pub first_held: usize,
    /// Whether the first ceasefire collapsed back to war.
    pub first_collapsed: bool,
    /// Ceasefires that collapsed, over the run.
    pub collapses: usize,
    /// Ceasefires signed, over the run.
    pub signed: usize,
    /// The phase at the end of each round played while the run was at war or in a ceasefire
    /// (from round 0 on; after the run ends, its outcome decides).
    pub phases: Vec<Phase>,
    /// Whether the settlement (if any) was signed while a ceasefire held.
    pub settled_in_ceasefire: bool,
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
    /// Equilibrium-map evaluations this round's solve took (a memo's answer counts those of the
    /// solve it stores, so the count does not depend on what the batch solved before).
    pub solver_evals: usize,
    /// Temperature-ladder rungs this round's solve took (0 when its warm start converged:
    /// `docs/model.md` §10, rule 7).
    pub ladder_steps: usize,
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
    /// With `[ceasefire]`: the ceasefire package signed this round, if one was.
    pub ceasefire: Option<usize>,
    /// With `[ceasefire]`: whether the ceasefire in force collapsed at the end of this round.
    pub collapsed: bool,
    /// Learnt drift beliefs at the end of the round, `(actor, issue, posterior mean, posterior
    /// sd)` in path steps per round (`docs/model.md` §9.3); empty when no actor learns.
    pub posterior_drift: Vec<(usize, usize, f64, f64)>,
    /// Red lines that dissolved or returned at the start of the round, as the war's state moved
    /// (`docs/model.md` §9.2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub red_lines_changed: Vec<super::positions::LineChange>,
}
