//! `[[question]]` and `[backtest]`: yes/no questions, their outcomes and market prices.

use super::*;
use crate::scenario::question::{BacktestInfo, EVENTS, Market, Question, QuestionEvent, QuestionOutcome};
use crate::scenario::units::days_from_civil;

/// Longest question id, in characters.
const MAX_ID: usize = 64;
/// A market price further than this from `as_of`, in days, is flagged.
const MARKET_DAYS: i64 = 7;

/// Days since 1970-01-01 of a TOML date without a time; `None` for anything else.
fn days(d: &toml::value::Datetime) -> Option<i64> {
    match (d.date, d.time) {
        (Some(x), None) => Some(days_from_civil(i64::from(x.year), x.month.into(), x.day.into())),
        _ => None,
    }
}

/// A date key: its day number, or a located error.
fn date(ctx: &mut Ctx, v: &S<toml::value::Datetime>, key: &str) -> Option<i64> {
    let d = days(v.get_ref());
    if d.is_none() {
        ctx.err(
            Kind::WrongType,
            v.span(),
            format!("`{key}` = {} is not a date", v.get_ref()),
            "write a TOML date without quotes or a time, e.g. 2025-12-31",
        );
    }
    d
}

/// Text that is shown in tables and reports: not empty, no control characters.
fn text(ctx: &mut Ctx, v: &S<String>, key: &str) -> String {
    let t = v.get_ref();
    if t.trim().is_empty() {
        ctx.err(
            Kind::Incomplete,
            v.span(),
            format!("`{key}` is empty"),
            format!("write the {key} in words"),
        );
    } else if t.chars().any(|c| c.is_control() && c != '\n') {
        ctx.err(
            Kind::UnknownValue,
            v.span(),
            format!("`{key}` contains a control character"),
            "remove it: the text is printed in tables and reports",
        );
    }
    t.clone()
}

/// Validates every `[[question]]` against the scenario's date, clock and sections.
pub(super) fn questions(ctx: &mut Ctx, raw: &RawScenario, meta: &Meta, has_ceasefire: bool) -> Vec<Question> {
    let ids: Vec<&S<String>> = raw.question.iter().map(|q| &q.get_ref().id).collect();
    check_unique(ctx, &ids, "question");
    let as_of = raw.scenario.get_ref().as_of.as_ref().and_then(|d| days(d.get_ref()));
    raw.question
        .iter()
        .map(|q| question(ctx, q, meta, as_of, has_ceasefire))
        .collect()
}

fn question(ctx: &mut Ctx, q: &S<raw::RawQuestion>, meta: &Meta, as_of: Option<i64>, has_ceasefire: bool) -> Question {
    let r = q.get_ref();
    let id = r.id.get_ref();
    if id.chars().count() > MAX_ID || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        ctx.err(
            Kind::InvalidId,
            r.id.span(),
            format!("question id `{}` is not a short safe id", id.escape_debug()),
            format!(
                "use ASCII letters, digits, '-' and '_', at most {MAX_ID} characters, e.g. \"ceasefire-by-2025-12-31\""
            ),
        );
    }
    let event = QuestionEvent::parse(r.event.get_ref()).unwrap_or_else(|| {
        let hint = suggest(r.event.get_ref(), EVENTS)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        ctx.err(
            Kind::UnknownValue,
            r.event.span(),
            format!("unknown question event `{}`{hint}", r.event.get_ref()),
            format!("write one of: {}", EVENTS.join(", ")),
        );
        QuestionEvent::Settlement
    });
    if event == QuestionEvent::Ceasefire && !has_ceasefire {
        ctx.err(
            Kind::Inconsistent,
            r.event.span(),
            "a question about a ceasefire needs a [ceasefire] section",
            "declare [ceasefire], or ask about event = \"settlement\" (or \"ceasefire-or-settlement\", which is a settlement when no ceasefire is modelled)",
        );
    }
    let horizon = meta.horizon;
    // without round_length the question is an error already (`optional::calendar_sections`)
    let delta_days = meta.round_years.unwrap_or(1.0 / 12.0) * 365.25;
    let (rounds, by) = match (&r.by, &r.within) {
        (Some(_), Some(w)) => {
            ctx.err(
                Kind::Inconsistent,
                w.span(),
                format!("question `{id}` has two deadlines, `by` and `within`"),
                "keep one: by = 2025-12-31 (a date after as_of) or within = 6 (rounds from as_of)",
            );
            (1, None)
        }
        (None, None) => {
            ctx.err(
                Kind::MissingKey,
                r.id.span(),
                format!("question `{id}` has no deadline"),
                "add by = 2025-12-31 (a date after as_of) or within = 6 (rounds from as_of)",
            );
            (1, None)
        }
        (Some(b), None) => {
            let n = match (date(ctx, b, "by"), as_of) {
                (Some(d), Some(a)) if d > a => ((d - a) as f64 / delta_days - 1e-9).ceil().max(1.0) as usize,
                (Some(_), Some(_)) => {
                    ctx.err(
                        Kind::OutOfRange,
                        b.span(),
                        format!(
                            "`by` = {} is not after the scenario's as_of ({})",
                            b.get_ref(),
                            meta.as_of_text()
                        ),
                        "a question's deadline lies in the scenario's future: give a later date",
                    );
                    1
                }
                _ => 1,
            };
            if n > horizon {
                ctx.err(
                    Kind::OutOfRange,
                    b.span(),
                    format!(
                        "`by` = {} is {n} rounds from as_of, beyond the horizon of {horizon}",
                        b.get_ref()
                    ),
                    format!("raise [scenario] horizon to at least {n}, or ask about an earlier date"),
                );
            }
            (n.min(horizon), Some(b.get_ref().to_string()))
        }
        (None, Some(w)) => {
            let n = *w.get_ref();
            if n < 1 || n as u64 > horizon as u64 {
                ctx.err(
                    Kind::OutOfRange,
                    w.span(),
                    format!("`within` = {n} is outside 1..={horizon} (the horizon)"),
                    "count the rounds from as_of to the deadline; raise the horizon if the deadline lies beyond it",
                );
            }
            (n.clamp(1, horizon as i64) as usize, None)
        }
    };
    // the deadline's day: the date as written, or the end of the last round counted
    let deadline = match (&r.by, as_of) {
        (Some(b), _) => days(b.get_ref()),
        (None, Some(a)) => Some(a + (rounds as f64 * delta_days).floor() as i64),
        (None, None) => None,
    };
    let outcome = r.outcome.as_ref().map(|o| outcome(ctx, o, as_of, deadline));
    let happened = r
        .outcome
        .as_ref()
        .filter(|o| *o.get_ref().answer.get_ref())
        .and_then(|o| o.get_ref().date.as_ref())
        .and_then(|d| days(d.get_ref()));
    let markets = r
        .market
        .iter()
        .map(|m| market(ctx, m, as_of, deadline, happened))
        .collect();
    Question {
        id: id.clone(),
        text: text(ctx, &r.text, "text"),
        event,
        rounds,
        by,
        outcome,
        markets,
    }
}

fn outcome(
    ctx: &mut Ctx,
    o: &S<raw::RawQuestionOutcome>,
    as_of: Option<i64>,
    deadline: Option<i64>,
) -> QuestionOutcome {
    let r = o.get_ref();
    let answer = *r.answer.get_ref();
    if answer && r.date.is_none() {
        ctx.err(
            Kind::MissingKey,
            r.answer.span(),
            "an outcome with answer = true needs the date it happened",
            "add date = 2025-01-15 (the day of the event) to [question.outcome]",
        );
    }
    if let Some(d) = &r.date
        && let Some(x) = date(ctx, d, "date")
    {
        if as_of.is_some_and(|a| x <= a) {
            ctx.err(
                Kind::OutOfRange,
                d.span(),
                format!("the outcome's date {} is not after the scenario's as_of", d.get_ref()),
                "a back-test case is written before its outcome: move as_of earlier, or correct the date",
            );
        } else if let Some(dl) = deadline {
            if answer && x > dl {
                ctx.err(
                    Kind::Inconsistent,
                    d.span(),
                    format!("the outcome says yes, but its date {} is after the question's deadline", d.get_ref()),
                    "an event after the deadline answers no: write answer = false (the date may stay, to record when it came)",
                );
            } else if !answer && x <= dl {
                ctx.err(
                    Kind::Inconsistent,
                    d.span(),
                    format!(
                        "the outcome says no, but it has a date ({}) on or before the deadline",
                        d.get_ref()
                    ),
                    "if the event happened by the deadline, write answer = true; if it never happened, remove the date",
                );
            }
        }
    }
    QuestionOutcome {
        answer,
        date: r.date.as_ref().map(|d| d.get_ref().to_string()),
        source: text(ctx, &r.source, "source"),
    }
}

fn market(
    ctx: &mut Ctx,
    m: &S<raw::RawMarket>,
    as_of: Option<i64>,
    deadline: Option<i64>,
    happened: Option<i64>,
) -> Market {
    let r = m.get_ref();
    let p = *r.p.get_ref();
    if !(0.0..=1.0).contains(&p) {
        ctx.err(
            Kind::OutOfRange,
            r.p.span(),
            format!("market p = {p} is not a probability"),
            "write the price of yes as a probability in [0, 1] (a price of 38¢ is 0.38)",
        );
    }
    if let (Some(d), Some(a)) = (date(ctx, &r.date, "date"), as_of) {
        if deadline.is_some_and(|b| d > b) {
            ctx.err(
                Kind::OutOfRange,
                r.date.span(),
                format!(
                    "the market's date {} is after the question's deadline",
                    r.date.get_ref()
                ),
                "give the price on the scenario's date, before the question resolved",
            );
        } else if happened.is_some_and(|h| d >= h) {
            ctx.err(
                Kind::OutOfRange,
                r.date.span(),
                format!(
                    "the market's date {} is on or after the day the event happened",
                    r.date.get_ref()
                ),
                "a price set once the answer was known scores nothing: give the price on the scenario's date",
            );
        } else if (d - a).abs() > MARKET_DAYS && r.note.is_none() {
            ctx.warn(
                Kind::Suspicious,
                r.date.span(),
                format!("the market's date {} is {} days from as_of", r.date.get_ref(), (d - a).abs()),
                format!("compare like with like: use a price within {MARKET_DAYS} days of as_of, or say why this one in the market's `note` (shown in the report)"),
            );
        }
    }
    Market {
        name: text(ctx, &r.name, "name"),
        p,
        date: r.date.get_ref().to_string(),
        days_from_as_of: match (days(r.date.get_ref()), as_of) {
            (Some(d), Some(a)) => d - a,
            _ => 0,
        },
        source: text(ctx, &r.source, "source"),
        note: r.note.clone(),
    }
}

/// `[backtest]`.
pub(super) fn backtest(ctx: &mut Ctx, b: &S<raw::RawBacktest>) -> BacktestInfo {
    let r = b.get_ref();
    date(ctx, &r.written, "written");
    BacktestInfo {
        written: r.written.get_ref().to_string(),
        blinding: text(ctx, &r.blinding, "blinding"),
    }
}
