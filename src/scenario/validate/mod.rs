//! The one validation step: [`raw::RawScenario`] → [`Scenario`], collecting every problem.

mod actor;
mod beliefs;
mod body;
mod ceasefire;
mod domain;
mod durability;
mod event;
mod issue;
mod lints;
mod meta;
mod optional;
mod positions;
mod protocol;
mod question;
mod sweep;
mod tolerance;
mod types;
mod war;

use self::positions::position_rules;
use self::{
    actor::*, beliefs::*, body::*, ceasefire::*, domain::*, durability::*, event::*, issue::*, lints::*, meta::*,
    protocol::*, question::*, sweep::*, war::*,
};
use super::diag::{Diagnostic, DiagnosticKind as Kind, ScenarioError, Severity};
use super::dist::Dist;
use super::raw::{self, RawScenario, S};
use super::*;
use std::collections::BTreeMap;

struct Ctx {
    diags: Vec<Diagnostic>,
    /// Issues whose war-time utility problem was already reported (or whose `war_status_quo`
    /// failed to resolve): follow-on errors are not repeated per actor.
    no_war_utility_reported: Vec<usize>,
    actors: Vec<String>,
    bodies: Vec<String>,
    issues: Vec<String>,
    options: Vec<Vec<String>>,
}

impl Ctx {
    fn err(&mut self, kind: Kind, span: std::ops::Range<usize>, msg: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::error(kind, Some(span), msg, help));
    }
    fn warn(&mut self, kind: Kind, span: std::ops::Range<usize>, msg: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::warning(kind, Some(span), msg, help));
    }

    fn actor(&mut self, id: &S<String>) -> Option<usize> {
        lookup(
            self,
            id,
            "actor",
            |c| &c.actors,
            "actors are declared with [[actor]] id = \"...\"",
        )
    }

    fn party(&mut self, id: &S<String>) -> Option<Party> {
        if let Some(k) = self.actors.iter().position(|a| a == id.get_ref()) {
            return Some(Party::Actor(k));
        }
        if let Some(k) = self.bodies.iter().position(|a| a == id.get_ref()) {
            return Some(Party::Body(k));
        }
        let all: Vec<String> = self.actors.iter().chain(&self.bodies).cloned().collect();
        let hint = suggest(id.get_ref(), all.iter().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        self.err(Kind::UnknownReference,
            id.span(),
            format!("unknown actor or body `{}`{hint}", id.get_ref()),
            format!("a consent list names [[actor]] ids or [[body]] ids (a body that does not bargain, e.g. an alliance); known: {}", all.join(", ")),
        );
        None
    }

    fn issue(&mut self, id: &S<String>) -> Option<usize> {
        lookup(
            self,
            id,
            "issue",
            |c| &c.issues,
            "issues are declared with [[issue]] id = \"...\"",
        )
    }

    fn option(&mut self, issue: usize, id: &S<String>) -> Option<usize> {
        let opts = &self.options[issue];
        if let Some(k) = super::option_ref::within(id.get_ref(), &self.issues[issue], opts) {
            return Some(k);
        }
        let hint = suggest(id.get_ref(), opts.iter().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        let issue_id = self.issues[issue].clone();
        if opts.is_empty() {
            self.err(Kind::Incomplete,
                id.span(),
                format!("issue `{issue_id}` is divisible and has no options (`{}`)", id.get_ref()),
                "a divisible issue is split, not chosen among options: red lines, ratifier scopes and utility effects name options of ordinal issues",
            );
            return None;
        }
        let list = opts.join(", ");
        self.err(
            Kind::UnknownReference,
            id.span(),
            format!("issue `{issue_id}` has no option `{}`{hint}", id.get_ref()),
            format!("its options are {list}"),
        );
        None
    }

    /// An option named anywhere: `issue.option`, or a bare option id that no other issue has
    /// (an ambiguous one is an error listing the candidates; `super::option_ref`).
    fn any_option(&mut self, id: &S<String>) -> Option<(usize, usize)> {
        match super::option_ref::readings(id.get_ref(), &self.issues, &self.options)[..] {
            [one] => return Some(one),
            [] => {}
            ref many => {
                let names: Vec<String> = many
                    .iter()
                    .map(|&(k, o)| format!("`{}`", super::option_ref::scoped(&self.issues[k], &self.options[k][o])))
                    .collect();
                self.err(
                    Kind::UnknownReference,
                    id.span(),
                    format!(
                        "option `{}` is ambiguous: it can be {}",
                        id.get_ref(),
                        names.join(" or ")
                    ),
                    "write the option with its issue, `issue.option`",
                );
                return None;
            }
        }
        let all: Vec<String> = self.options.iter().flatten().cloned().collect();
        let hint = suggest(id.get_ref(), all.iter().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        self.err(
            Kind::UnknownReference,
            id.span(),
            format!("no issue has an option `{}`{hint}", id.get_ref()),
            "option ids are declared in each [[issue]]'s options list",
        );
        None
    }
}

fn lookup(ctx: &mut Ctx, id: &S<String>, kind: &str, list: fn(&Ctx) -> &Vec<String>, help: &str) -> Option<usize> {
    let ids = list(ctx);
    if let Some(k) = ids.iter().position(|a| a == id.get_ref()) {
        return Some(k);
    }
    let hint = suggest(id.get_ref(), ids.iter().map(String::as_str))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let known = ids.join(", ");
    ctx.err(
        Kind::UnknownReference,
        id.span(),
        format!("unknown {kind} `{}`{hint}", id.get_ref()),
        format!("{help}; known: {known}"),
    );
    None
}

/// Reports repeated ids (empty and unsafe ids are the precheck's: [`super::precheck::ids_and_text`]).
fn check_unique(ctx: &mut Ctx, ids: &[&S<String>], kind: &str) {
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for id in ids {
        if id.get_ref().is_empty() || super::precheck::unsafe_id(id.get_ref()).is_some() {
            continue;
        }
        if seen.insert(id.get_ref(), ()).is_some() {
            ctx.err(
                Kind::DuplicateId,
                id.span(),
                format!("duplicate {kind} id `{}`", id.get_ref()),
                format!("every {kind} needs its own id"),
            );
        }
    }
}

/// Parses and validates; see [`Scenario::from_bytes`].
pub(super) fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario, ScenarioError> {
    let fail = |text: String, d: Diagnostic| ScenarioError {
        path: path.to_path_buf(),
        text,
        diagnostics: vec![d],
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(e) => {
            let good = String::from_utf8_lossy(&bytes[..e.valid_up_to()]).into_owned();
            let at = good.len();
            return Err(fail(
                good,
                Diagnostic::error(
                    Kind::Encoding,
                    Some(at..at + 1),
                    "the file is not valid UTF-8",
                    "save the file as UTF-8 (most editors: File > Save with encoding)",
                ),
            ));
        }
    };
    if text.trim().is_empty() {
        return Err(fail(
            text,
            Diagnostic::error(
                Kind::Empty,
                None,
                "the scenario file is empty",
                "start from an example: copy scenarios/classic/two-party-toy.toml and edit it",
            ),
        ));
    }
    // Structure first (syntax, unknown/missing/mistyped keys: every one, located). serde ignores
    // unknown keys (the schema, not serde, closes the tables), so when unknown keys are the only
    // structural problems the semantic checks still run and everything is reported at once.
    // times written as durations or dates become rounds, in place (same byte offsets)
    let (parsed, time_diags) = super::units::rewrite_times(&text);
    let mut structure = super::precheck::precheck(&parsed);
    structure.extend(time_diags);
    structure.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    // unknown keys and bad ids do not stop the semantic checks: everything is reported at once
    let only_unknown_keys = structure
        .iter()
        .all(|d| matches!(d.kind, Kind::UnknownKey | Kind::InvalidId | Kind::DuplicateId));
    let mut raw: RawScenario = match toml::from_str(&parsed) {
        Ok(r) if only_unknown_keys => r,
        Ok(_) => {
            return Err(ScenarioError {
                path: path.to_path_buf(),
                text,
                diagnostics: structure,
            });
        }
        Err(e) if structure.is_empty() => {
            let msg = e.message().trim().to_string();
            let (kind, help) = parse_help(&msg);
            let msg = integer_message(&msg).unwrap_or(msg);
            return Err(fail(text, Diagnostic::error(kind, e.span(), msg, help)));
        }
        Err(_) => {
            return Err(ScenarioError {
                path: path.to_path_buf(),
                text,
                diagnostics: structure,
            });
        }
    };
    let mut ctx = Ctx {
        no_war_utility_reported: vec![],
        diags: structure,
        actors: vec![],
        bodies: vec![],
        issues: vec![],
        options: vec![],
    };
    ctx.diags.extend(super::units::resolve_rates(&mut raw));
    // spatial issues become options and utilities before anything reads them
    let (spatial, spatial_diags) = super::spatial::expand(&mut raw);
    if spatial_diags.iter().any(|d| d.severity == Severity::Error) {
        ctx.diags.extend(spatial_diags);
        ctx.diags
            .sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
        return Err(ScenarioError {
            path: path.to_path_buf(),
            text,
            diagnostics: ctx.diags,
        });
    }
    let scenario = build(&mut ctx, raw, path, &text).map(|mut s| {
        s.spatial = spatial;
        s
    });
    ctx.diags
        .sort_by_key(|d| d.span.as_ref().map_or(usize::MAX, |s| s.start));
    if ctx.diags.iter().any(|d| d.severity == Severity::Error) {
        return Err(ScenarioError {
            path: path.to_path_buf(),
            text,
            diagnostics: ctx.diags,
        });
    }
    let mut s = scenario.expect("no errors means a scenario");
    s.warnings = ctx.diags.iter().map(|d| diag::render(path, &text, d)).collect();
    Ok(s)
}

/// An integer too large for any key (the parser says "integer `N` as i128, expected i64"), said
/// in words; `None` for other messages.
fn integer_message(msg: &str) -> Option<String> {
    let rest = msg
        .strip_prefix("invalid type: integer `")
        .or_else(|| msg.strip_prefix("invalid value: integer `"))?;
    let (n, tail) = rest.split_once('`')?;
    (tail.contains("i64") || tail.contains("u64")).then(|| format!("the integer {n} is too large for any key"))
}

/// The kind of a serde/TOML error (read from the parser's own message, the only thing it gives)
/// and a fix for the common ones.
fn parse_help(msg: &str) -> (Kind, String) {
    if integer_message(msg).is_some() {
        return (
            Kind::OutOfRange,
            "write a whole number in the key's valid range (docs/scenario-format.md lists them; e.g. runs is 1 to 1,000,000,000, seed 0 to 9,223,372,036,854,775,807)".into(),
        );
    }
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let bad = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = msg
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split(['`', ',', ' '])
            .filter(|s| !s.is_empty() && *s != "one" && *s != "of" && *s != "or")
            .collect();
        if let Some(s) = suggest(bad, expected.iter().copied()) {
            return (
                Kind::UnknownKey,
                format!("did you mean `{s}`? Unknown keys are errors so that typos never fall back to defaults"),
            );
        }
        return (
            Kind::UnknownKey,
            "remove the key or check its spelling against docs/scenario-format.md".into(),
        );
    }
    if msg.starts_with("missing field") {
        return (
            Kind::MissingKey,
            "add the key; docs/scenario-format.md lists every required key".into(),
        );
    }
    if msg.starts_with("invalid type") {
        return (
            Kind::WrongType,
            "check the value's type: numbers unquoted, ids and text in quotes, lists in [ ]".into(),
        );
    }
    (Kind::Syntax, "see docs/scenario-format.md for the syntax".into())
}

fn build(ctx: &mut Ctx, raw: RawScenario, path: &Path, text: &str) -> Option<Scenario> {
    declare(ctx, &raw);
    let meta = meta(ctx, &raw.scenario);
    let simulation = simulation(ctx, raw.simulation.as_ref());
    let issues: Vec<Issue> = raw.issue.iter().enumerate().map(|(k, i)| issue(ctx, k, i)).collect();
    counts(ctx, &raw);
    let actors: Vec<Actor> = raw.actor.iter().map(|a| actor(ctx, a, &issues)).collect();
    let protocol = protocol(ctx, raw.protocol.as_ref(), &actors, &raw.scenario);
    optional::default_discount(ctx, &raw.actor, &actors, &protocol);
    optional::calendar_sections(ctx, &raw);
    let bodies = raw.body.iter().map(|b| body(ctx, b)).collect();
    let ratifiers = raw.ratifier.iter().map(|r| ratifier(ctx, r)).collect();
    let events: Vec<Event> = raw.event.iter().map(|e| event(ctx, e, &issues, meta.horizon)).collect();
    let durability = raw.durability.as_ref().map(|d| durability(ctx, d));
    types::noise_events(ctx, &raw, &actors);
    let mut actors = actors;
    attach_beliefs(ctx, &mut actors, &raw.actor, &issues, &events, protocol.anticipation);
    price_durability_checks(ctx, raw.protocol.as_ref(), &raw.actor, &actors, durability.is_some());
    at_most_one_divisible(ctx, &raw.issue, &issues);
    let war = raw.war.as_ref().map(|w| war(ctx, w, &raw.actor));
    let ceasefire = raw
        .ceasefire
        .as_ref()
        .map(|c| ceasefire(ctx, c, &issues, &actors, &protocol));
    inert_keys(ctx, &raw, &issues, &protocol, &meta, durability.as_ref());
    package_space(ctx, &raw, &issues);
    let position_rules = position_rules(ctx, &raw, &issues, &events);
    let questions = questions(ctx, &raw, &meta, ceasefire.is_some());
    let backtest = raw.backtest.as_ref().map(|b| backtest(ctx, b));
    let hash = sha256_hex(text.as_bytes());
    let mut scenario = Scenario {
        meta,
        simulation,
        protocol,
        issues,
        actors,
        bodies,
        ratifiers,
        events,
        durability,
        ceasefire,
        war,
        positions: position_rules,
        questions,
        backtest,
        spatial: Default::default(),
        source_hash: hash,
        path: path.to_path_buf(),
        source: text.to_string(),
        sweeps: vec![],
        warnings: vec![],
    };
    scenario.sweeps = sweeps(ctx, &raw.sweep, &scenario);
    Some(scenario)
}

/// Registers the ids of actors, bodies, issues and options, and checks that ids are unique.
fn declare(ctx: &mut Ctx, raw: &RawScenario) {
    ctx.actors = raw.actor.iter().map(|a| a.get_ref().id.get_ref().clone()).collect();
    ctx.bodies = raw.body.iter().map(|b| b.get_ref().id.get_ref().clone()).collect();
    ctx.issues = raw.issue.iter().map(|i| i.get_ref().id.get_ref().clone()).collect();
    ctx.options = raw
        .issue
        .iter()
        .map(|i| {
            i.get_ref()
                .options
                .iter()
                .map(|o| o.get_ref().id.get_ref().clone())
                .collect()
        })
        .collect();
    // unique ids of actors and bodies, issues, options, ratifiers and events: the precheck's
    // (super::precheck::ids_and_text), so they are reported even when a missing key stops this pass
    scoped_forms_differ(ctx, raw);
}

/// Two options of different issues must not share a scoped form `issue.option` (option `b.c` of
/// issue `a` and option `c` of issue `a.b`): no reference could tell them apart.
fn scoped_forms_differ(ctx: &mut Ctx, raw: &RawScenario) {
    for ((k1, o1), (k2, o2)) in super::option_ref::clashes(&ctx.issues, &ctx.options) {
        let name = super::option_ref::scoped(&ctx.issues[k2], &ctx.options[k2][o2]);
        let span = raw.issue[k2].get_ref().options[o2].get_ref().id.span();
        let msg = format!(
            "option `{}` of issue `{}` and option `{}` of issue `{}` are both `{name}`",
            ctx.options[k1][o1], ctx.issues[k1], ctx.options[k2][o2], ctx.issues[k2]
        );
        ctx.err(
            Kind::DuplicateId,
            span,
            msg,
            "rename one of the options (or issues): references name an option as `issue.option`",
        );
    }
}

/// The numbers of issues, actors and ratifiers the engine handles.
fn counts(ctx: &mut Ctx, raw: &RawScenario) {
    if raw.issue.is_empty() {
        ctx.err(
            Kind::Incomplete,
            raw.scenario.span(),
            "the scenario declares no [[issue]]",
            "add at least one [[issue]] with its options",
        );
    }
    if raw.actor.len() > MAX_ACTORS {
        ctx.err(
            Kind::Limit,
            raw.actor[MAX_ACTORS].span(),
            format!("{} actors: the engine handles at most {MAX_ACTORS}", raw.actor.len()),
            "merge minor actors, or model them as [[body]] consents",
        );
    }
    if raw.ratifier.len() > MAX_ACTORS {
        ctx.err(
            Kind::Limit,
            raw.ratifier[MAX_ACTORS].span(),
            format!(
                "{} ratifiers: the engine handles at most {MAX_ACTORS}",
                raw.ratifier.len()
            ),
            "merge ratifiers that vote on the same packages",
        );
    }
    if raw.actor.len() < 2 {
        ctx.err(
            Kind::Incomplete,
            raw.scenario.span(),
            "a negotiation needs at least two [[actor]]s",
            "add the parties that bargain",
        );
    }
}

/// The package space (the product of the issues' option counts) within the memory limit: a
/// simulation thread holds every package that can pass in a run ([`package_bytes`] each), so the
/// space may take at most [`MAX_PACKAGE_BYTES`] per thread.
fn package_space(ctx: &mut Ctx, raw: &RawScenario, issues: &[Issue]) {
    let space: u128 = issues.iter().map(|i| i.options.len() as u128).product();
    let per = package_bytes(issues.len(), raw.actor.len(), raw.ratifier.len());
    if space.saturating_mul(per) > MAX_PACKAGE_BYTES {
        let mut sizes: Vec<(usize, &str)> = issues.iter().map(|i| (i.options.len(), i.id.as_str())).collect();
        sizes.sort_by_key(|a| std::cmp::Reverse(a.0));
        let top: Vec<String> = sizes
            .iter()
            .take(3)
            .map(|(n, id)| format!("`{id}` ({n} options)"))
            .collect();
        let gib = |b: u128| b as f64 / f64::from(1u32 << 30);
        ctx.err(
            Kind::Limit,
            raw.scenario.span(),
            format!(
                "the package space has {space} packages: each simulation thread would hold {:.1} GiB for them, more than the limit of {:.0} GiB",
                gib(space.saturating_mul(per)),
                gib(MAX_PACKAGE_BYTES)
            ),
            format!(
                "a package takes about {per} bytes per thread here (its options, each actor's value, its masks and ratification, and its share of the proposers' offers), so at most {} packages fit; merge or drop options; the largest issues are {}",
                MAX_PACKAGE_BYTES / per,
                top.join(", ")
            ),
        );
    }
}

/// Bytes a simulation thread holds per package that can pass, with `m` issues, `n` actors and `r`
/// ratifiers: its id (8), options (2 per issue), values (8 per actor), three 4-byte masks, pass
/// probabilities (8 per ratifier), and up to 96 for the proposers' candidate and offer lists
/// when every package is offered (at high logit temperatures).
pub fn package_bytes(m: usize, n: usize, r: usize) -> u128 {
    (8 + 2 * m + 8 * n + 12 + 8 * r + 96) as u128
}

/// The index of actor `id` (`usize::MAX` if unknown).
fn actor_index(ctx: &Ctx, id: &str) -> usize {
    ctx.actors.iter().position(|a| a == id).unwrap_or(usize::MAX)
}

/// Most actors (and ratifiers) a scenario may have: responders are tracked in 32-bit masks.
pub const MAX_ACTORS: usize = 32;

/// Most memory the packages of one run may take per simulation thread (1 GiB): with two actors
/// and six issues, about 7.4 million packages.
pub const MAX_PACKAGE_BYTES: u128 = 1 << 30;

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn unknown_issue_key(ctx: &mut Ctx, key: &str, span: std::ops::Range<usize>, table: &str) {
    let hint = suggest(key, ctx.issues.iter().map(String::as_str))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let known = ctx.issues.join(", ");
    ctx.err(
        Kind::UnknownReference,
        span,
        format!("`{table}` names unknown issue `{key}`{hint}"),
        format!("keys of `{table}` are issue ids: {known}"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOY: &str = include_str!("../../../scenarios/classic/two-party-toy.toml");

    /// The kinds of the diagnostics of `text` (errors and warnings), in file order.
    fn kinds(text: &str) -> Vec<Kind> {
        match from_bytes(Path::new("toy.toml"), text.as_bytes()) {
            Ok(_) => vec![],
            Err(e) => e.diagnostics.iter().map(|d| d.kind).collect(),
        }
    }

    #[test]
    fn the_toy_loads() {
        assert!(from_bytes(Path::new("toy.toml"), TOY.as_bytes()).is_ok());
    }

    #[test]
    fn an_unknown_key_is_unknown_key() {
        let text = TOY.replace("horizon = 24", "horizon = 24\nhorizn = 3");
        assert_eq!(kinds(&text), vec![Kind::UnknownKey]);
    }

    #[test]
    fn a_missing_key_is_missing_key() {
        let text = TOY.replace("horizon = 24", "");
        assert_eq!(kinds(&text), vec![Kind::MissingKey]);
    }

    #[test]
    fn a_repeated_id_is_duplicate_id() {
        let text = TOY.replace("id = \"trade\"", "id = \"border\"");
        assert!(kinds(&text).contains(&Kind::DuplicateId), "{:?}", kinds(&text));
    }

    #[test]
    fn a_number_outside_its_domain_is_out_of_range() {
        let text = TOY.replace("horizon = 24", "horizon = 0");
        assert_eq!(kinds(&text), vec![Kind::OutOfRange]);
        let text = TOY.replace("breakdown = 0.0 ", "breakdown = 1.5 ");
        assert_eq!(kinds(&text), vec![Kind::OutOfRange]);
    }

    #[test]
    fn an_unknown_option_is_unknown_reference() {
        let text = TOY.replace("war_status_quo = \"R0\"", "war_status_quo = \"R9\"");
        assert_eq!(kinds(&text), vec![Kind::UnknownReference]);
    }

    /// A word-valued key: each accepted word loads (and sets what it names: a wrong pair in
    /// `one_of` fails here), any other is refused naming the key and the word.
    #[test]
    fn a_word_outside_its_list_is_unknown_value() {
        for (key, good, bad) in [
            ("private_types", "iid", "sticky"),
            ("anticipation", "none", "myopic"),
            ("acceptance_noise", "logistic", "normal"),
            ("selection", "warm", "lazy"),
        ] {
            let with = |w: &str| TOY.replace("[protocol]", &format!("[protocol]\n{key} = \"{w}\""));
            let s = from_bytes(Path::new("toy.toml"), with(good).as_bytes()).expect("a listed word loads");
            let set = match key {
                "private_types" => format!("{:?}", s.protocol.private_types),
                "anticipation" => format!("{:?}", s.protocol.anticipation),
                "selection" => format!("{:?}", s.protocol.selection),
                _ => format!("{:?}", s.protocol.acceptance_noise),
            };
            assert_eq!(set.to_lowercase(), good.replace('-', ""), "{key} = {good}");
            // the schema's word list catches it first; `one_of` is the check behind it
            let err = from_bytes(Path::new("toy.toml"), with(bad).as_bytes()).unwrap_err();
            let d = &err.diagnostics[0];
            assert!(d.message.contains(key) && d.message.contains(bad), "{}", d.message);
        }
    }

    /// `selection` changes nothing under a deadline (backward induction): a warning on the key.
    #[test]
    fn a_selection_under_a_deadline_is_inert() {
        let with = |keys: &str| TOY.replace("[protocol]", &format!("[protocol]\n{keys}"));
        let s = from_bytes(
            Path::new("toy.toml"),
            with("selection = \"warm\"\ndeadline = 6").as_bytes(),
        )
        .unwrap();
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert!(
            s.warnings[0].contains("`selection` has no effect with a `deadline`"),
            "{}",
            s.warnings[0]
        );
        for keys in ["selection = \"warm\"", "deadline = 6"] {
            let s = from_bytes(Path::new("toy.toml"), with(keys).as_bytes()).unwrap();
            assert!(s.warnings.is_empty(), "{keys}: {:?}", s.warnings);
        }
    }

    #[test]
    fn a_syntax_error_is_syntax() {
        let text = TOY.replace("horizon = 24", "horizon = = 24");
        assert_eq!(kinds(&text), vec![Kind::Syntax]);
    }
}
