//! The probabilities of a scenario's `[[question]]`s (`docs/model.md` §11): P(event within the
//! deadline's rounds) with a 95% Wilson interval, from the same counts every other statistic uses.

use super::Aggregate;
use super::summary::Estimate;
use crate::scenario::Scenario;
use crate::scenario::question::{Question, QuestionEvent};
use serde::Serialize;

/// One question's answer, as `summary.json` `questions` holds it.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionRow {
    pub id: String,
    pub text: String,
    pub event: QuestionEvent,
    /// The deadline in rounds from `as_of`.
    pub rounds: usize,
    /// The deadline as a date, when written as one.
    pub by: Option<String>,
    /// P(the event within `rounds`), with its 95% interval.
    pub estimate: Estimate,
}

/// Runs of aggregate `a` in which question `q`'s event happened within its deadline.
pub fn yes_count(a: &Aggregate, q: &Question) -> u64 {
    let n = q.rounds;
    match q.event {
        QuestionEvent::Settlement => a.agreement_round.iter().take(n).sum(),
        QuestionEvent::Ceasefire => a.ceasefire.as_ref().map_or(0, |c| c.first_round.iter().take(n).sum()),
        QuestionEvent::CeasefireOrSettlement => super::ceasefire::deals_within(a, n),
    }
}

/// The rows of scenario `s`'s questions (empty when it declares none).
pub fn rows(s: &Scenario, a: &Aggregate) -> Vec<QuestionRow> {
    s.questions
        .iter()
        .map(|q| QuestionRow {
            id: q.id.clone(),
            text: q.text.clone(),
            event: q.event,
            rounds: q.rounds,
            by: q.by.clone(),
            estimate: Estimate::new(yes_count(a, q), a.runs),
        })
        .collect()
}
