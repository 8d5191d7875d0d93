//! Positions that depend on the state of the war (`docs/model.md` §9.2): the `when` lists of
//! red lines and ratifiers and an actor's `utility_when`, as written and as validated.
//!
//! A `when` list is a list of conditions, each naming one or more facts about the war and the
//! value the target takes while they all hold. The first condition (in file order) whose facts
//! all hold sets the value; when none holds, the target keeps its drawn value. The values are
//! plain numbers: conditions add no random draws to a run.

use super::raw::S;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One entry of a `when` list as written: the facts (`front` with `beyond`, `rounds_of_war`,
/// `event`; at least one, all must hold) and the value the target takes while they hold (the
/// one value key of the target: `binding` in a red line, `intercept` in a ratifier's `pass`,
/// `utility` in `utility_when`).
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawCondition {
    /// An `[[issue]]` id with a `frontline`: the condition looks at that front's position. Give
    /// it with `beyond`. Default: none.
    #[serde(default)]
    pub front: Option<S<String>>,
    /// An option id on the `front`'s path: holds when the front's position (in path steps) is
    /// at least that option's place on the path (the front has reached or passed it). Default:
    /// none.
    #[serde(default)]
    pub beyond: Option<S<String>>,
    /// An integer >= 1: holds once at least this many rounds of war have been fought in the run
    /// (rounds of an implementation lag are not war). Default: none.
    #[serde(default)]
    pub rounds_of_war: Option<S<i64>>,
    /// An `[[event]]` id: holds while that event is active. Default: none.
    #[serde(default)]
    pub event: Option<S<String>>,
    /// In a red line's `when`: its binding probability while the condition holds, in [0, 1]; a
    /// plain number. The line binds in a round iff the run's uniform draw for it (drawn once per
    /// run) is below this.
    #[serde(default)]
    pub binding: Option<S<f64>>,
    /// In a ratifier's `pass.when`: its intercept while the condition holds, in logits (replaces
    /// the drawn `intercept`; the option effects still add); any finite number; a plain number.
    #[serde(default)]
    pub intercept: Option<S<f64>>,
    /// In an actor's `utility_when`: the option's utility while the condition holds, in the
    /// actor's utility units (replaces the drawn value; active events still apply); any finite
    /// number; a plain number.
    #[serde(default)]
    pub utility: Option<S<f64>>,
}

/// `utility_when = [{ option, when }]` in an `[[actor]]`: an option's utility that depends on
/// the state of the war.
#[derive(Debug, Deserialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct RawUtilityWhen {
    /// The option id (of an ordinal issue) whose utility depends on the state. Required.
    pub option: S<String>,
    /// Conditions, each `{ front, beyond, rounds_of_war, event, utility }`; the first that holds
    /// sets the utility. Required, non-empty.
    pub when: Vec<S<RawCondition>>,
}

/// A fact about the state of the war (all the given parts must hold).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Condition {
    /// `(issue, place on its frontline's path)`: the front's position is at least that place.
    pub front: Option<(usize, usize)>,
    /// At least this many rounds of war fought.
    pub rounds_of_war: Option<usize>,
    /// This event is active.
    pub event: Option<usize>,
    /// The value the target takes while the condition holds.
    pub value: f64,
}

/// What a condition looks at: the war's state at the start of a round.
#[derive(Debug, Clone, Copy)]
pub struct WarState<'a> {
    /// Frontline position per issue (path steps), `None` for issues without a front.
    pub front: &'a [Option<f64>],
    /// Rounds of war fought so far.
    pub rounds_of_war: usize,
    /// Per event: whether it is active.
    pub active: &'a [bool],
}

impl Condition {
    /// Whether every given part holds in `w`.
    pub fn holds(&self, w: &WarState) -> bool {
        self.front
            .is_none_or(|(k, place)| w.front[k].is_some_and(|x| x >= place as f64))
            && self.rounds_of_war.is_none_or(|n| w.rounds_of_war >= n)
            && self.event.is_none_or(|e| w.active[e])
    }
}

/// The value of a target with a `when` list: the first condition that holds sets it, else `base`.
pub fn value(when: &[Condition], base: f64, w: &WarState) -> f64 {
    when.iter().find(|c| c.holds(w)).map_or(base, |c| c.value)
}

/// Every state-dependent position of a scenario (empty when it declares none).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PositionRules {
    /// `(actor, red line index in the actor's list, conditions)`.
    pub red_lines: Vec<(usize, usize, Vec<Condition>)>,
    /// `(ratifier, conditions on its intercept)`.
    pub ratifiers: Vec<(usize, Vec<Condition>)>,
    /// `(actor, issue, option, conditions on its utility)`.
    pub utilities: Vec<(usize, usize, usize, Vec<Condition>)>,
}

impl PositionRules {
    /// Whether the scenario declares no state-dependent position (the mechanism is off).
    pub fn is_empty(&self) -> bool {
        self.red_lines.is_empty() && self.ratifiers.is_empty() && self.utilities.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state<'a>(front: &'a [Option<f64>], rounds: usize, active: &'a [bool]) -> WarState<'a> {
        WarState {
            front,
            rounds_of_war: rounds,
            active,
        }
    }

    #[test]
    fn the_first_condition_that_holds_sets_the_value() {
        let when = vec![
            Condition {
                front: Some((0, 2)),
                rounds_of_war: None,
                event: None,
                value: 0.1,
            },
            Condition {
                front: None,
                rounds_of_war: Some(3),
                event: None,
                value: 0.2,
            },
            Condition {
                front: None,
                rounds_of_war: Some(1),
                event: Some(0),
                value: 0.3,
            },
        ];
        let (off, on) = ([false], [true]);
        // nothing holds: the base
        assert_eq!(value(&when, 0.9, &state(&[Some(1.5)], 0, &on)), 0.9);
        // the front has reached place 2 (at least, not strictly beyond)
        assert_eq!(value(&when, 0.9, &state(&[Some(2.0)], 5, &on)), 0.1);
        assert_eq!(value(&when, 0.9, &state(&[Some(1.999)], 5, &on)), 0.2);
        // a conjunction: both parts must hold
        assert_eq!(value(&when, 0.9, &state(&[Some(0.0)], 1, &off)), 0.9);
        assert_eq!(value(&when, 0.9, &state(&[Some(0.0)], 1, &on)), 0.3);
        // an issue without a front never satisfies a front condition
        assert_eq!(value(&when[..1], 0.9, &state(&[None], 9, &on)), 0.9);
    }
}
