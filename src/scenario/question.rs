//! Yes/no questions a scenario answers (`[[question]]`), and what a back-test case adds to them:
//! what happened (`[question.outcome]`), the market or expert-crowd prices of the scenario's date
//! (`[[question.market]]`) and how the case was written (`[backtest]`). `docs/model.md` §11.
//!
//! A question asks whether an event (a settlement, a ceasefire, or either) happens within a
//! number of rounds from `as_of`; a deadline written as a date is converted with the rule of every
//! other date in the format: `⌈(by − as_of)/Δ⌉` rounds, the rounds that start before the deadline.

use super::stat::Stat;
use serde::Serialize;

/// What a question asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionEvent {
    /// A package agreed (and ratified, where the scenario has ratifiers): what every other output
    /// calls an agreement.
    Settlement,
    /// A ceasefire signed (`[ceasefire]` scenarios only).
    Ceasefire,
    /// Whichever of the two comes first (a settlement without a `[ceasefire]` section).
    CeasefireOrSettlement,
}

/// The words `event` accepts, in the order documentation lists them.
pub const EVENTS: [&str; 3] = ["settlement", "ceasefire", "ceasefire-or-settlement"];

impl QuestionEvent {
    /// The event named by `word`.
    pub fn parse(word: &str) -> Option<QuestionEvent> {
        Some(match word {
            "settlement" => QuestionEvent::Settlement,
            "ceasefire" => QuestionEvent::Ceasefire,
            "ceasefire-or-settlement" => QuestionEvent::CeasefireOrSettlement,
            _ => return None,
        })
    }

    /// The word as written in a scenario.
    pub fn word(self) -> &'static str {
        EVENTS[self as usize]
    }
}

/// `[[question]]`: one yes/no question, checked.
#[derive(Debug, Clone, Serialize)]
pub struct Question {
    /// Unique among the scenario's questions; letters, digits, `-` and `_`.
    pub id: String,
    /// The question in words, as written.
    pub text: String,
    pub event: QuestionEvent,
    /// The deadline in rounds from `as_of` (1 to the horizon).
    pub rounds: usize,
    /// The deadline as a date, when written as one (ISO 8601).
    pub by: Option<String>,
    /// What happened (back-test cases).
    pub outcome: Option<QuestionOutcome>,
    /// Market or expert-crowd prices on the scenario's date; the first is the one the tool is
    /// compared with.
    pub markets: Vec<Market>,
}

impl Question {
    /// The statistic that answers the question: P(event within `rounds`).
    pub fn stat(&self) -> Stat {
        match self.event {
            QuestionEvent::Settlement => Stat::AgreementWithin(self.rounds),
            QuestionEvent::Ceasefire => Stat::CeasefireWithin(self.rounds),
            QuestionEvent::CeasefireOrSettlement => Stat::DealWithin(self.rounds),
        }
    }

    /// The deadline in words: "by 2025-12-31 (5 rounds)" or "within 5 rounds".
    pub fn deadline(&self) -> String {
        let r = if self.rounds == 1 { "round" } else { "rounds" };
        match &self.by {
            Some(d) => format!("by {d} ({} {r})", self.rounds),
            None => format!("within {} {r}", self.rounds),
        }
    }
}

/// `[question.outcome]`: what happened.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionOutcome {
    /// Whether the event happened by the deadline.
    pub answer: bool,
    /// When it happened (ISO 8601), if it did.
    pub date: Option<String>,
    /// A record of the outcome.
    pub source: String,
}

/// `[[question.market]]`: a market's or an expert crowd's probability of yes.
#[derive(Debug, Clone, Serialize)]
pub struct Market {
    pub name: String,
    /// Probability of yes, in [0, 1].
    pub p: f64,
    /// The day of the price (ISO 8601).
    pub date: String,
    /// Days from `as_of` to the price's day (negative: before).
    pub days_from_as_of: i64,
    pub source: String,
    /// Why this price, where it is not the obvious one.
    pub note: Option<String>,
}

/// `[backtest]`: how a back-test case was written.
#[derive(Debug, Clone, Serialize)]
pub struct BacktestInfo {
    /// The day the case file was written (ISO 8601).
    pub written: String,
    /// What was done to keep the outcome out of the case.
    pub blinding: String,
}
