//! The statistics an analysis reports, by name (`--stat`, `[[sweep]] stats`): what each one is,
//! how it is written and checked against a scenario. Their values are computed in
//! `crate::analysis::stat`, from a simulation's aggregate.

use super::Scenario;

/// A statistic of a simulation's outcome.
#[derive(Debug, Clone, PartialEq)]
pub enum Stat {
    /// `agreement`: P(agreement within the horizon).
    Agreement,
    /// `agreement-within:N`: P(agreement within N rounds).
    AgreementWithin(usize),
    /// `breakdown`: P(talks end for good).
    Breakdown,
    /// `no-agreement`: P(still at war at the horizon).
    NoAgreement,
    /// `option:ISSUE.OPTION`: share of agreements that carry this option.
    OptionShare(String, String),
    /// `payoff:ACTOR`: mean realised discounted payoff (utility units).
    Payoff(String),
    /// `renewed-war`: P(renewed war within the durability baseline's years | agreement).
    RenewedWar,
    /// `ceasefire`: P(a ceasefire was signed within the horizon) (`[ceasefire]` scenarios).
    Ceasefire,
    /// `ceasefire-within:N`: P(a ceasefire was signed within N rounds).
    CeasefireWithin(usize),
    /// `deal-within:N`: P(a ceasefire or a settlement, whichever came first, within N rounds);
    /// the same as `agreement-within:N` without a `[ceasefire]` section.
    DealWithin(usize),
}

/// The names `--stat` accepts, for help texts.
pub const STAT_HELP: &str = "agreement, agreement-within:N, breakdown, no-agreement, option:ISSUE.OPTION, payoff:ACTOR, renewed-war, ceasefire, ceasefire-within:N, deal-within:N";

/// Why a statistic's name is refused ([`Stat::parse`]); the text lists the accepted names.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("statistic `{text}`: {reason}; accepted: {STAT_HELP}")]
pub struct StatError {
    /// The name as written.
    pub text: String,
    /// What is wrong with it.
    pub reason: StatReason,
}

/// What is wrong with a statistic's name (part of a [`StatError`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StatReason {
    /// `renewed-war` without a `[durability]` section.
    #[error("the scenario has no [durability] section")]
    NoDurability,
    /// `ceasefire` or `ceasefire-within:N` without a `[ceasefire]` section.
    #[error("the scenario has no [ceasefire] section")]
    NoCeasefire,
    /// `agreement-within:N` (or `ceasefire-within:N`, `deal-within:N`) with N not a round from 1 to the horizon.
    #[error("N must be a round from 1 to the horizon, {horizon}")]
    Within {
        /// The scenario's horizon in rounds.
        horizon: usize,
    },
    /// `option:` without `ISSUE.OPTION`.
    #[error("write option:ISSUE.OPTION, e.g. option:territory.T4")]
    OptionForm,
    /// `option:ISSUE.OPTION` naming an unknown issue.
    #[error("no issue `{0}`")]
    NoIssue(String),
    /// `option:ISSUE.OPTION` naming an option the issue does not have.
    #[error("issue `{0}` has no option `{1}`")]
    NoOption(String, String),
    /// `option:OPTION` (or `option:A.B.C`) that several options answer to; the candidates in
    /// scoped form.
    #[error("`{0}` can be {candidates}; write option:ISSUE.OPTION", candidates = .1.join(" or "))]
    Ambiguous(String, Vec<String>),
    /// `payoff:ACTOR` naming an unknown actor.
    #[error("no actor `{0}`")]
    NoActor(String),
    /// A name that is none of the statistics.
    #[error("unknown statistic")]
    Unknown,
}

impl Stat {
    /// Parses a `--stat` value and checks it against scenario `s`.
    ///
    /// # Errors
    /// What is wrong, with the accepted forms.
    pub fn parse(text: &str, s: &Scenario) -> Result<Stat, StatError> {
        let bad = |reason: StatReason| StatError {
            text: text.to_string(),
            reason,
        };
        let (head, arg) = text.split_once(':').map_or((text, None), |(h, a)| (h, Some(a)));
        match (head, arg) {
            ("agreement", None) => Ok(Stat::Agreement),
            ("breakdown", None) => Ok(Stat::Breakdown),
            ("no-agreement", None) => Ok(Stat::NoAgreement),
            ("renewed-war", None) if s.durability.is_some() => Ok(Stat::RenewedWar),
            ("renewed-war", None) => Err(bad(StatReason::NoDurability)),
            ("ceasefire" | "ceasefire-within", _) if s.ceasefire.is_none() => Err(bad(StatReason::NoCeasefire)),
            ("ceasefire", None) => Ok(Stat::Ceasefire),
            ("ceasefire-within", Some(n)) => match n.parse::<usize>() {
                Ok(n) if n >= 1 && n <= s.meta.horizon => Ok(Stat::CeasefireWithin(n)),
                _ => Err(bad(StatReason::Within {
                    horizon: s.meta.horizon,
                })),
            },
            ("deal-within", Some(n)) => match n.parse::<usize>() {
                Ok(n) if n >= 1 && n <= s.meta.horizon => Ok(Stat::DealWithin(n)),
                _ => Err(bad(StatReason::Within {
                    horizon: s.meta.horizon,
                })),
            },
            ("agreement-within", Some(n)) => match n.parse::<usize>() {
                Ok(n) if n >= 1 && n <= s.meta.horizon => Ok(Stat::AgreementWithin(n)),
                _ => Err(bad(StatReason::Within {
                    horizon: s.meta.horizon,
                })),
            },
            ("option", Some(a)) => {
                let ids: Vec<&str> = s.issues.iter().map(|x| x.id.as_str()).collect();
                let opts: Vec<Vec<&str>> = s
                    .issues
                    .iter()
                    .map(|x| x.options.iter().map(|o| o.id.as_str()).collect())
                    .collect();
                match crate::scenario::option_ref::readings(a, &ids, &opts)[..] {
                    [(k, o)] => return Ok(Stat::OptionShare(ids[k].into(), opts[k][o].into())),
                    [] => {}
                    ref many => {
                        let names = many
                            .iter()
                            .map(|&(k, o)| {
                                format!("option:{}", crate::scenario::option_ref::scoped(ids[k], opts[k][o]))
                            })
                            .collect();
                        return Err(bad(StatReason::Ambiguous(a.into(), names)));
                    }
                }
                let (i, o) = a.split_once('.').ok_or_else(|| bad(StatReason::OptionForm))?;
                let issue = s
                    .issues
                    .iter()
                    .find(|x| x.id == i)
                    .ok_or_else(|| bad(StatReason::NoIssue(i.into())))?;
                if !issue.options.iter().any(|x| x.id == o) {
                    return Err(bad(StatReason::NoOption(i.into(), o.into())));
                }
                Ok(Stat::OptionShare(i.into(), o.into()))
            }
            ("payoff", Some(a)) if s.actor_index(a).is_some() => Ok(Stat::Payoff(a.into())),
            ("payoff", Some(a)) => Err(bad(StatReason::NoActor(a.into()))),
            _ => Err(bad(StatReason::Unknown)),
        }
    }

    /// The name as `--stat` writes it.
    pub fn name(&self) -> String {
        match self {
            Stat::Agreement => "agreement".into(),
            Stat::AgreementWithin(n) => format!("agreement-within:{n}"),
            Stat::Breakdown => "breakdown".into(),
            Stat::NoAgreement => "no-agreement".into(),
            Stat::OptionShare(i, o) => format!("option:{i}.{o}"),
            Stat::Payoff(a) => format!("payoff:{a}"),
            Stat::RenewedWar => "renewed-war".into(),
            Stat::Ceasefire => "ceasefire".into(),
            Stat::CeasefireWithin(n) => format!("ceasefire-within:{n}"),
            Stat::DealWithin(n) => format!("deal-within:{n}"),
        }
    }

    /// A readable label, e.g. "P(agreement within 24 rounds)".
    pub fn label(&self, s: &Scenario) -> String {
        match self {
            Stat::Agreement => format!("P(agreement within {} rounds)", s.meta.horizon),
            Stat::AgreementWithin(n) => format!("P(agreement within {n} rounds)"),
            Stat::Breakdown => "P(breakdown)".into(),
            Stat::NoAgreement => "P(no agreement)".into(),
            Stat::OptionShare(i, o) => format!("share of agreements with {i} = {o}"),
            Stat::Payoff(a) => format!("mean payoff of {a}"),
            Stat::RenewedWar => format!(
                "P(renewed war within {} years | agreement)",
                s.durability.as_ref().map_or(0.0, |d| d.baseline_years)
            ),
            Stat::Ceasefire => format!("P(ceasefire within {} rounds)", s.meta.horizon),
            Stat::CeasefireWithin(n) => format!("P(ceasefire within {n} rounds)"),
            Stat::DealWithin(n) if s.ceasefire.is_some() => format!("P(ceasefire or settlement within {n} rounds)"),
            Stat::DealWithin(n) => format!("P(agreement within {n} rounds)"),
        }
    }

    /// Whether the statistic is a probability (shown as %).
    pub fn is_probability(&self) -> bool {
        !matches!(self, Stat::Payoff(_))
    }
}
