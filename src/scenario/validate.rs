//! The one validation step: [`raw::RawScenario`] → [`Scenario`], collecting every problem.

use super::diag::{Diagnostic, ScenarioError, Severity};
use super::dist::Dist;
use super::raw::{self, RawScenario, S};
use super::*;
use std::collections::BTreeMap;

/// A value's valid range.
#[derive(Clone, Copy)]
enum Domain {
    Any,
    Probability,
    NonNegative,
    Positive,
    Discount,
}

impl Domain {
    fn bounds(self) -> (f64, f64) {
        match self {
            Domain::Any => (f64::NEG_INFINITY, f64::INFINITY),
            Domain::Probability => (0.0, 1.0),
            Domain::NonNegative => (0.0, f64::INFINITY),
            Domain::Positive => (f64::MIN_POSITIVE, f64::INFINITY),
            Domain::Discount => (f64::MIN_POSITIVE, 1.0),
        }
    }
    fn describe(self) -> &'static str {
        match self {
            Domain::Any => "any finite number",
            Domain::Probability => "a probability in [0, 1]",
            Domain::NonNegative => "a number >= 0",
            Domain::Positive => "a number > 0",
            Domain::Discount => "a discount factor in (0, 1]",
        }
    }
    /// Clamps a draw into the domain (`SCENARIO-FORMAT.md`: draws outside are clamped).
    pub(crate) fn clamp(self, x: f64) -> f64 {
        let (lo, hi) = self.bounds();
        x.clamp(lo, hi)
    }
}

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
    fn err(&mut self, span: std::ops::Range<usize>, msg: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::error(Some(span), msg, help));
    }
    fn warn(&mut self, span: std::ops::Range<usize>, msg: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::warning(Some(span), msg, help));
    }

    /// Checks an uncertain number against its domain; returns it (a fixed 0 if invalid).
    fn num(&mut self, v: &S<Dist>, dom: Domain, what: &str) -> Dist {
        let d = v.get_ref().clone();
        if let Err(e) = d.check() {
            let help = match d {
                Dist::Normal(m, _) | Dist::Lognormal(m, _) => {
                    format!("write a plain number for a fixed value ({what} = {m}), or give a positive spread")
                }
                Dist::Uniform(a, b) => format!("write the bounds low first: {{ uniform = [{b}, {a}] }}"),
                Dist::Triangular(a, _, b) | Dist::Pert(a, _, b) => format!(
                    "write [min, mode, max] with min <= mode <= max, e.g. [{}, {}, {}]",
                    a.min(b),
                    0.5 * (a + b),
                    a.max(b)
                ),
                _ => "see the distributions table in docs/scenario-format.md".into(),
            };
            self.err(v.span(), format!("impossible distribution for `{what}`: {e}"), help);
            return Dist::Fixed(0.0);
        }
        let (lo, hi) = dom.bounds();
        match d {
            Dist::Fixed(x) if x < lo || x > hi || (matches!(dom, Domain::Positive | Domain::Discount) && x <= 0.0) => {
                self.err(
                    v.span(),
                    format!("`{what}` = {x} is outside its domain"),
                    format!("use {}", dom.describe()),
                );
                Dist::Fixed(dom.clamp(x))
            }
            Dist::Fixed(_) => d,
            _ => {
                let out = d.mass_outside(lo, hi);
                if out > 0.01 {
                    self.warn(
                        v.span(),
                        format!(
                            "{:.1}% of the distribution of `{what}` lies outside {}; draws there are clamped",
                            100.0 * out,
                            dom.describe()
                        ),
                        "narrow the distribution or choose a family bounded to the domain (uniform, pert, beta)",
                    );
                }
                d
            }
        }
    }

    fn opt_num(&mut self, v: &Option<S<Dist>>, dom: Domain, what: &str, default: f64) -> Dist {
        v.as_ref().map_or(Dist::Fixed(default), |v| self.num(v, dom, what))
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
        self.err(
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
        if let Some(k) = opts.iter().position(|o| o == id.get_ref()) {
            return Some(k);
        }
        let hint = suggest(id.get_ref(), opts.iter().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        let issue_id = self.issues[issue].clone();
        if opts.is_empty() {
            self.err(
                id.span(),
                format!("issue `{issue_id}` is divisible and has no options (`{}`)", id.get_ref()),
                "a divisible issue is split, not chosen among options: red lines, ratifier scopes and utility effects name options of ordinal issues",
            );
            return None;
        }
        let list = opts.join(", ");
        self.err(
            id.span(),
            format!("issue `{issue_id}` has no option `{}`{hint}", id.get_ref()),
            format!("its options are {list}"),
        );
        None
    }

    /// An option named anywhere (option ids are looked up across all issues).
    fn any_option(&mut self, id: &S<String>) -> Option<(usize, usize)> {
        for (i, opts) in self.options.iter().enumerate() {
            if let Some(k) = opts.iter().position(|o| o == id.get_ref()) {
                return Some((i, k));
            }
        }
        let all: Vec<String> = self.options.iter().flatten().cloned().collect();
        let hint = suggest(id.get_ref(), all.iter().map(String::as_str))
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        self.err(
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
        id.span(),
        format!("unknown {kind} `{}`{hint}", id.get_ref()),
        format!("{help}; known: {known}"),
    );
    None
}

fn check_unique(ctx: &mut Ctx, ids: &[&S<String>], kind: &str) {
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for id in ids {
        if id.get_ref().trim().is_empty() {
            ctx.err(
                id.span(),
                format!("empty {kind} id"),
                "give it a short id such as \"RU\" or \"territory\"",
            );
        } else if seen.insert(id.get_ref(), ()).is_some() {
            ctx.err(
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
                None,
                "the scenario file is empty",
                "start from an example: copy scenarios/classic/two-party-toy.toml and edit it",
            ),
        ));
    }
    // Structure first (syntax, unknown/missing/mistyped keys: every one, located). serde ignores
    // unknown keys (the schema, not serde, closes the tables), so when unknown keys are the only
    // structural problems the semantic checks still run and everything is reported at once.
    let structure = super::precheck::precheck(&text);
    let only_unknown_keys = structure.iter().all(|d| d.message.starts_with("unknown field"));
    let raw: RawScenario = match toml::from_str(&text) {
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
            let help = parse_help(&msg);
            return Err(fail(text, Diagnostic::error(e.span(), msg, help)));
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
    let scenario = build(&mut ctx, raw, path, &text);
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

/// A fix for the common serde/TOML messages.
fn parse_help(msg: &str) -> String {
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
            return format!("did you mean `{s}`? Unknown keys are errors so that typos never fall back to defaults");
        }
        return "remove the key or check its spelling against docs/scenario-format.md".into();
    }
    if msg.starts_with("missing field") {
        return "add the key; docs/scenario-format.md lists every required key".into();
    }
    if msg.starts_with("invalid type") {
        return "check the value's type: numbers unquoted, ids and text in quotes, lists in [ ]".into();
    }
    "see docs/scenario-format.md for the syntax".into()
}

fn build(ctx: &mut Ctx, raw: RawScenario, path: &Path, text: &str) -> Option<Scenario> {
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
    let ids: Vec<&S<String>> = raw
        .actor
        .iter()
        .map(|a| &a.get_ref().id)
        .chain(raw.body.iter().map(|b| &b.get_ref().id))
        .collect();
    check_unique(ctx, &ids, "actor or body");
    check_unique(
        ctx,
        &raw.issue.iter().map(|i| &i.get_ref().id).collect::<Vec<_>>(),
        "issue",
    );
    let all_opts: Vec<&S<String>> = raw
        .issue
        .iter()
        .flat_map(|i| i.get_ref().options.iter().map(|o| &o.get_ref().id))
        .collect();
    check_unique(ctx, &all_opts, "option");
    check_unique(
        ctx,
        &raw.ratifier.iter().map(|r| &r.get_ref().id).collect::<Vec<_>>(),
        "ratifier",
    );
    check_unique(
        ctx,
        &raw.event.iter().map(|e| &e.get_ref().id).collect::<Vec<_>>(),
        "event",
    );

    let meta = meta(ctx, &raw.scenario);
    let simulation = simulation(ctx, raw.simulation.as_ref());
    let issues: Vec<Issue> = raw.issue.iter().enumerate().map(|(k, i)| issue(ctx, k, i)).collect();
    if raw.issue.is_empty() {
        ctx.err(
            raw.scenario.span(),
            "the scenario declares no [[issue]]",
            "add at least one [[issue]] with its options",
        );
    }
    if raw.actor.len() > MAX_ACTORS {
        ctx.err(
            raw.actor[MAX_ACTORS].span(),
            format!("{} actors: the engine handles at most {MAX_ACTORS}", raw.actor.len()),
            "merge minor actors, or model them as [[body]] consents",
        );
    }
    if raw.ratifier.len() > MAX_ACTORS {
        ctx.err(
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
            raw.scenario.span(),
            "a negotiation needs at least two [[actor]]s",
            "add the parties that bargain",
        );
    }
    let actors: Vec<Actor> = raw.actor.iter().map(|a| actor(ctx, a, &issues)).collect();
    let protocol = protocol(ctx, raw.protocol.as_ref(), &actors, &raw.scenario);
    let bodies = raw.body.iter().map(|b| body(ctx, b)).collect();
    let ratifiers = raw.ratifier.iter().map(|r| ratifier(ctx, r)).collect();
    let events: Vec<Event> = raw.event.iter().map(|e| event(ctx, e, &issues, meta.horizon)).collect();
    let durability = raw.durability.as_ref().map(|d| durability(ctx, d));
    let mut actors = actors;
    for (a, ra) in actors.iter_mut().zip(&raw.actor) {
        if let Some(b) = &ra.get_ref().beliefs {
            a.beliefs = beliefs(ctx, b.get_ref(), &issues, &events, actor_index(ctx, &a.id));
            if b.get_ref().is_empty() {
                ctx.warn(
                    b.span(),
                    format!("the beliefs of `{}` are empty and change nothing", a.id),
                    "give { issue id = { drift = ... } } or { event id = { hazard = ... } }, or remove the key",
                );
            } else if !a.beliefs.is_empty() && protocol.anticipation == Anticipation::None {
                ctx.warn(
                    b.span(),
                    format!("the beliefs of `{}` have no effect with anticipation = \"none\"", a.id),
                    "set [protocol] anticipation = \"expected-path\" so that actors look ahead along the war path",
                );
            }
        }
    }
    price_durability_checks(ctx, raw.protocol.as_ref(), &raw.actor, &actors, durability.is_some());
    let divisible: Vec<usize> = (0..issues.len()).filter(|&k| issues[k].divisible.is_some()).collect();
    if divisible.len() > 1 {
        ctx.err(
            raw.issue[divisible[1]].span(),
            format!("{} divisible issues: the engine handles at most one", divisible.len()),
            "merge the divisible goods into one (they are valued linearly in salience), or make the others ordinal",
        );
    }
    let war = raw.war.as_ref().map(|w| war(ctx, w, &raw.actor));
    inert_keys(ctx, &raw, &issues, &protocol, &meta, durability.as_ref());
    let space: u128 = issues.iter().map(|i| i.options.len() as u128).product();
    if space > MAX_PACKAGES {
        let mut sizes: Vec<(usize, &str)> = issues.iter().map(|i| (i.options.len(), i.id.as_str())).collect();
        sizes.sort_by_key(|a| std::cmp::Reverse(a.0));
        let top: Vec<String> = sizes
            .iter()
            .take(3)
            .map(|(n, id)| format!("`{id}` ({n} options)"))
            .collect();
        ctx.err(
            raw.scenario.span(),
            format!("the package space has {space} packages, more than the solver's limit of {MAX_PACKAGES}"),
            format!("merge or drop options; the largest issues are {}", top.join(", ")),
        );
    }
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
        war,
        source_hash: hash,
        path: path.to_path_buf(),
        source: text.to_string(),
        sweeps: vec![],
        warnings: vec![],
    };
    scenario.sweeps = sweeps(ctx, &raw.sweep, &scenario);
    Some(scenario)
}

/// The first error of scenario text, if it has one.
fn validate_only(path: &Path, bytes: &[u8]) -> Option<String> {
    from_bytes(path, bytes).err().map(|e| {
        e.diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .map_or_else(|| "invalid".to_string(), |d| d.message.clone())
    })
}

/// `[[sweep]]`: each `set` parses and its path resolves in this file; each statistic exists.
fn sweeps(ctx: &mut Ctx, raw: &[S<raw::RawSweep>], s: &Scenario) -> Vec<SweepDecl> {
    use super::{path, stat::Stat, sweep::Axis};
    let doc = path::parse(&s.source).ok();
    let ids: Vec<&S<String>> = raw.iter().map(|w| &w.get_ref().id).collect();
    check_unique(ctx, &ids, "sweep");
    let mut out = vec![];
    for w in raw {
        let w = w.get_ref();
        if w.set.is_empty() || w.set.len() > 2 {
            ctx.err(
                w.id.span(),
                format!(
                    "sweep `{}` sets {} parameters; a sweep has one or two",
                    w.id.get_ref(),
                    w.set.len()
                ),
                "write set = [\"PATH=LO..HI:STEPS\"] or two such strings",
            );
        }
        for x in &w.set {
            match Axis::parse(x.get_ref()) {
                Err(e) => ctx.err(x.span(), e, "e.g. \"actor.RU.war_cost=0.002..0.012:6\""),
                Ok(a) => {
                    if let Some(Err(e)) = doc.as_ref().map(|d| path::get(d, &a.path)) {
                        ctx.err(
                            x.span(),
                            format!("cannot sweep `{}`: {e}", a.path),
                            "paths look like actor.RU.war_cost or issue.territory.frontline.drift",
                        );
                        continue;
                    }
                    // every value must give a valid scenario (checked one parameter at a time)
                    let bad: Vec<(f64, String)> = a
                        .values
                        .iter()
                        .filter_map(|&v| {
                            let text = match super::sweep::variant_text(&s.source, &[(a.path.as_str(), v)]) {
                                Ok(t) => t,
                                Err(e) => return Some((v, e)),
                            };
                            let e = validate_only(&s.path, text.as_bytes())?;
                            Some((v, e))
                        })
                        .collect();
                    if let Some((v, why)) = bad.first() {
                        let all: Vec<String> = bad.iter().map(|(v, _)| v.to_string()).collect();
                        ctx.err(
                            x.span(),
                            format!(
                                "sweep `{}`: {} = {v} makes the scenario invalid ({why}); invalid values: {}",
                                w.id.get_ref(),
                                a.path,
                                all.join(", ")
                            ),
                            "choose sweep values inside the key's valid range",
                        );
                    }
                }
            }
        }
        for st in &w.stats {
            if let Err(e) = Stat::parse(st.get_ref(), s) {
                ctx.err(st.span(), e, "e.g. \"agreement\" or \"payoff:RU\"");
            }
        }
        out.push(SweepDecl {
            id: w.id.get_ref().clone(),
            set: w.set.iter().map(|x| x.get_ref().clone()).collect(),
            stats: w.stats.iter().map(|x| x.get_ref().clone()).collect(),
        });
    }
    out
}

/// The index of actor `id` (`usize::MAX` if unknown).
fn actor_index(ctx: &Ctx, id: &str) -> usize {
    ctx.actors.iter().position(|a| a == id).unwrap_or(usize::MAX)
}

/// `price_durability` needs `[durability]`; a `renewed_war_loss` without it is inert, and one far
/// beyond the utility scale is suspicious.
fn price_durability_checks(
    ctx: &mut Ctx,
    p: Option<&raw::RawProtocol>,
    raw_actors: &[S<raw::RawActor>],
    actors: &[Actor],
    has_durability: bool,
) {
    let flag = p.and_then(|p| p.price_durability.as_ref());
    let on = flag.is_some_and(|f| *f.get_ref());
    if let Some(f) = flag
        && on
        && !has_durability
    {
        ctx.err(
            f.span(),
            "price_durability = true needs a [durability] model to give each package's probability of renewed war",
            "add a [durability] block (model, shape, baseline), or set price_durability = false",
        );
    }
    for (ra, a) in raw_actors.iter().zip(actors) {
        let Some(l) = &ra.get_ref().renewed_war_loss else {
            continue;
        };
        let loss = a.renewed_war_loss.mean();
        if loss > 2.0 {
            ctx.warn(
                l.span(),
                format!(
                    "the renewed_war_loss of `{}` is more than twice the whole utility scale",
                    a.id
                ),
                "utilities span about 1 from an actor's worst to its best settlement; state the loss on that scale",
            );
        }
        if !on && loss > 0.0 {
            ctx.warn(
                l.span(),
                format!(
                    "the renewed_war_loss of `{}` has no effect without price_durability",
                    a.id
                ),
                "set [protocol] price_durability = true to price durability into peace values",
            );
        }
    }
}

/// Most actors (and ratifiers) a scenario may have: responders are tracked in 32-bit masks.
pub const MAX_ACTORS: usize = 32;

/// Largest package space the solver enumerates.
pub const MAX_PACKAGES: u128 = 200_000;

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn meta(ctx: &mut Ctx, m: &S<raw::RawMeta>) -> Meta {
    let r = m.get_ref();
    let id = r.id.get_ref().clone();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        ctx.err(
            r.id.span(),
            format!("scenario id `{id}` is not a safe folder name"),
            "it names the output folder: use ASCII letters, digits, '-', '_' and '.', e.g. \"ukraine-2025-08\"",
        );
    }
    let round_years = parse_round_length(r.round_length.get_ref()).unwrap_or_else(|| {
        ctx.err(
            r.round_length.span(),
            format!("cannot read round_length `{}`", r.round_length.get_ref()),
            "write a count and a unit: \"1 month\", \"2 weeks\", \"1 year\", \"3 days\"",
        );
        1.0 / 12.0
    });
    let date = r.as_of.get_ref();
    if date.date.is_none() || date.time.is_some() {
        ctx.err(
            r.as_of.span(),
            format!("as_of = {date} is not a date"),
            "write a TOML date without quotes, e.g. as_of = 2025-08-19",
        );
    }
    let horizon = *r.horizon.get_ref();
    if !(1..=10_000).contains(&horizon) {
        ctx.err(
            r.horizon.span(),
            format!("horizon = {horizon} rounds is outside 1..=10000"),
            "the horizon is the number of rounds observed, e.g. 24",
        );
    }
    Meta {
        id,
        title: r.title.clone(),
        description: r.description.clone(),
        as_of: r.as_of.get_ref().to_string(),
        round_length: r.round_length.get_ref().clone(),
        round_years,
        horizon: horizon.clamp(1, 10_000) as usize,
        sources: r.sources.clone(),
    }
}

/// "1 month" → 1/12 years; accepts day(s), week(s), month(s), quarter(s), year(s).
pub fn parse_round_length(s: &str) -> Option<f64> {
    let mut parts = s.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    let unit = parts.next()?.trim_end_matches('s');
    if parts.next().is_some() || !(n > 0.0 && n.is_finite()) {
        return None;
    }
    let years = match unit {
        "day" => 1.0 / 365.25,
        "week" => 7.0 / 365.25,
        "month" => 1.0 / 12.0,
        "quarter" => 0.25,
        "year" => 1.0,
        _ => return None,
    };
    Some(n * years)
}

fn simulation(ctx: &mut Ctx, s: Option<&raw::RawSimulation>) -> Simulation {
    let mut runs = 20_000u64;
    let mut seed = 1u64;
    if let Some(s) = s {
        if let Some(r) = &s.runs {
            if !(1..=1_000_000_000).contains(r.get_ref()) {
                ctx.err(
                    r.span(),
                    "runs must be between 1 and 1,000,000,000",
                    "e.g. runs = 20_000",
                );
            } else {
                runs = *r.get_ref() as u64;
            }
        }
        if let Some(r) = &s.seed {
            if *r.get_ref() < 0 {
                ctx.err(r.span(), "seed must be a non-negative integer", "e.g. seed = 20250819");
            } else {
                seed = *r.get_ref() as u64;
            }
        }
    }
    Simulation { runs, seed }
}

fn protocol(ctx: &mut Ctx, p: Option<&raw::RawProtocol>, actors: &[Actor], meta: &S<raw::RawMeta>) -> Protocol {
    let mut out = Protocol {
        recognition: Recognition::Weighted,
        quota: Quota::Unanimity,
        breakdown: Dist::Fixed(0.0),
        rationality: 0.01,
        anticipation: Anticipation::ExpectedPath,
        private_types: TypeMode::Persistent,
        price_durability: false,
        deadline: None,
        acceptance_noise: NoiseFamily::Uniform,
        solver_tolerance: 1e-10,
        selection: Selection::Traced,
    };
    let Some(p) = p else { return out };
    out.price_durability = p.price_durability.as_ref().is_some_and(|b| *b.get_ref());
    if let Some(r) = &p.recognition {
        out.recognition = match r.get_ref() {
            toml::Value::String(s) if s == "weighted" => Recognition::Weighted,
            toml::Value::String(s) if s == "alternating" => Recognition::Alternating,
            toml::Value::String(s) if s == "markov" => markov(ctx, p, r.span()),
            toml::Value::Array(items) => {
                let mut order = vec![];
                for it in items {
                    match it.as_str().and_then(|s| ctx.actors.iter().position(|a| a == s)) {
                        Some(k) => order.push(k),
                        None => ctx.err(
                            r.span(),
                            format!("recognition order names `{it}`, which is not an actor id"),
                            format!("list actor ids; known: {}", ctx.actors.join(", ")),
                        ),
                    }
                }
                if order.is_empty() {
                    ctx.err(
                        r.span(),
                        "the recognition order is empty",
                        "list actor ids in proposing order, e.g. [\"A\", \"B\"]",
                    );
                }
                Recognition::Order(order)
            }
            other => {
                ctx.err(
                    r.span(),
                    format!("unknown recognition rule {other}"),
                    "use \"weighted\", \"alternating\", \"markov\" (with [protocol.transition]) or a list of actor ids",
                );
                Recognition::Weighted
            }
        };
    }
    if let Some(q) = &p.quota {
        out.quota = match q.get_ref() {
            toml::Value::String(s) if s == "unanimity" => Quota::Unanimity,
            toml::Value::Integer(n) if *n >= 1 && (*n as usize) <= actors.len() => Quota::Votes(*n as usize),
            other => {
                ctx.err(
                    q.span(),
                    format!("invalid quota {other}"),
                    format!("use \"unanimity\" or a number of votes from 1 to {}", actors.len()),
                );
                Quota::Unanimity
            }
        };
    }
    if let Some(b) = &p.breakdown {
        out.breakdown = ctx.num(b, Domain::Probability, "breakdown");
    }
    if let Some(t) = &p.rationality {
        let t0 = *t.get_ref();
        if !(t0.is_finite() && t0 >= 0.0) {
            ctx.err(
                t.span(),
                format!("rationality = {t0} must be >= 0"),
                "a logit temperature in utility units, e.g. 0.01; 0 = exact best response",
            );
        } else {
            out.rationality = t0;
        }
    }
    if let Some(a) = &p.anticipation {
        out.anticipation = match a.get_ref().as_str() {
            "none" => Anticipation::None,
            "expected-path" => Anticipation::ExpectedPath,
            other => {
                ctx.err(
                    a.span(),
                    format!("unknown anticipation `{other}`"),
                    "use \"expected-path\" (default) or \"none\"",
                );
                Anticipation::ExpectedPath
            }
        };
    }
    if let Some(a) = &p.private_types {
        out.private_types = match a.get_ref().as_str() {
            "persistent" => TypeMode::Persistent,
            "iid" => TypeMode::Iid,
            other => {
                ctx.err(
                    a.span(),
                    format!("unknown private_types `{other}`"),
                    "use \"persistent\" (default: one type per run) or \"iid\" (a fresh shock each round)",
                );
                TypeMode::Persistent
            }
        };
    }
    if let Some(t) = &p.transition
        && !matches!(out.recognition, Recognition::Markov(..))
    {
        ctx.err(
            t.span(),
            "`transition` is given but recognition is not \"markov\"",
            "set recognition = \"markov\", or remove transition",
        );
    }
    if let Some(d) = &p.deadline {
        let v = *d.get_ref();
        if v >= 1 {
            out.deadline = Some(v as usize);
        } else {
            ctx.err(
                d.span(),
                format!("deadline = {v} must be at least 1 round"),
                "the number of rounds after which talks end, e.g. deadline = 10; omit for no deadline",
            );
        }
    }
    if let Some(a) = &p.acceptance_noise {
        out.acceptance_noise = match a.get_ref().as_str() {
            "uniform" => NoiseFamily::Uniform,
            "logistic" => NoiseFamily::Logistic,
            other => {
                ctx.err(
                    a.span(),
                    format!("unknown acceptance_noise `{other}`"),
                    "use \"uniform\" (default: uniform on [-noise, noise]) or \"logistic\" (scale noise)",
                );
                NoiseFamily::Uniform
            }
        };
    }
    if actors
        .iter()
        .all(|a| matches!(a.recognition, Dist::Fixed(x) if x == 0.0))
        && !actors.is_empty()
    {
        ctx.err(
            meta.span(),
            "no actor can propose: every recognition is 0",
            "give at least one actor recognition > 0",
        );
    }
    out
}

/// `recognition = "markov"` with `[protocol.transition]`: rows keyed by the current proposer.
fn markov(ctx: &mut Ctx, p: &raw::RawProtocol, span: std::ops::Range<usize>) -> Recognition {
    let Some(t) = &p.transition else {
        ctx.err(
            span,
            "recognition = \"markov\" needs a transition table",
            "add [protocol.transition] with one row per proposer, e.g. A = { B = 1.0 } and B = { A = 1.0 }",
        );
        return Recognition::Weighted;
    };
    type Row = (usize, Vec<(usize, f64)>, std::ops::Range<usize>);
    let mut rows: Vec<Row> = vec![];
    for (from, row) in t.get_ref() {
        let Some(i) = ctx.actors.iter().position(|a| a == from) else {
            ctx.err(
                row.span(),
                format!("transition row `{from}` is not an actor id"),
                format!("rows are keyed by actor ids: {}", ctx.actors.join(", ")),
            );
            continue;
        };
        let mut entries = vec![];
        for (to, v) in row.get_ref() {
            let x = *v.get_ref();
            match ctx.actors.iter().position(|a| a == to) {
                None => ctx.err(
                    v.span(),
                    format!("transition entry `{to}` is not an actor id"),
                    format!("entries are keyed by actor ids: {}", ctx.actors.join(", ")),
                ),
                Some(_) if !(0.0..=1.0).contains(&x) => ctx.err(
                    v.span(),
                    format!("transition probability {x} is outside [0, 1]"),
                    "each entry is the probability that this actor proposes next",
                ),
                Some(j) => entries.push((j, x)),
            }
        }
        let total: f64 = entries.iter().map(|e| e.1).sum();
        if (total - 1.0).abs() > 1e-9 {
            ctx.err(
                row.span(),
                format!("the transition row of `{from}` sums to {total}, not 1"),
                "give the probabilities of who proposes next after this actor; they must sum to 1",
            );
        }
        rows.push((i, entries, row.span()));
    }
    rows.sort_by_key(|r| r.0);
    let order: Vec<usize> = rows.iter().map(|r| r.0).collect();
    let ns = order.len();
    let mut m = vec![0.0; ns * ns];
    for (a, (_, entries, span)) in rows.iter().enumerate() {
        for &(j, x) in entries {
            match order.iter().position(|&o| o == j) {
                Some(b) => m[a * ns + b] = x,
                None if x > 0.0 => ctx.err(
                    span.clone(),
                    format!(
                        "the transition row leads to `{}`, which has no row of its own",
                        ctx.actors[j]
                    ),
                    "give every actor that can propose its own row",
                ),
                None => {}
            }
        }
    }
    if order.is_empty() {
        ctx.err(t.span(), "the transition table is empty", "give one row per proposer");
        return Recognition::Weighted;
    }
    Recognition::Markov(order, m)
}

fn issue(ctx: &mut Ctx, k: usize, i: &S<raw::RawIssue>) -> Issue {
    let r = i.get_ref();
    let divisible_kind = match r.kind.as_ref().map(|k| k.get_ref().as_str()) {
        None | Some("ordinal") => false,
        Some("divisible") => true,
        Some(other) => {
            let kind = r.kind.as_ref().expect("given");
            ctx.err(
                kind.span(),
                format!("unknown issue kind `{other}`"),
                "use kind = \"ordinal\" (a list of options) or kind = \"divisible\" (a good split between actors)",
            );
            false
        }
    };
    if divisible_kind || r.between.is_some() || r.among.is_some() {
        return divisible_issue(ctx, i, divisible_kind);
    }
    if r.options.is_empty() {
        ctx.err(
            i.span(),
            format!("issue `{}` has no options", r.id.get_ref()),
            "list its options: options = [{ id = \"X0\", label = \"...\" }, ...]",
        );
    }
    let options = r
        .options
        .iter()
        .map(|o| {
            let o = o.get_ref();
            IssueOption {
                id: o.id.get_ref().clone(),
                label: o.label.clone().unwrap_or_else(|| o.id.get_ref().clone()),
                consent: o.consent.iter().filter_map(|p| ctx.party(p)).collect(),
                hazard_ratio: o
                    .hazard_ratio
                    .as_ref()
                    .map(|h| ctx.num(h, Domain::Positive, "hazard_ratio")),
                band_widening: o
                    .band_widening
                    .as_ref()
                    .map(|h| ctx.num(h, Domain::NonNegative, "band_widening")),
            }
        })
        .collect();
    let war_status_quo = r.war_status_quo.as_ref().and_then(|w| ctx.option(k, w));
    if r.war_status_quo.is_some() && war_status_quo.is_none() {
        ctx.no_war_utility_reported.push(k);
    }
    let frontline = r.frontline.as_ref().map(|f| frontline(ctx, k, f));
    Issue {
        id: r.id.get_ref().clone(),
        title: r.title.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        options,
        war_status_quo,
        frontline,
        divisible: None,
    }
}

/// A divisible issue: `between` (two actors) or `among` (two or more), no options.
fn divisible_issue(ctx: &mut Ctx, i: &S<raw::RawIssue>, kind_given: bool) -> Issue {
    let r = i.get_ref();
    let id = r.id.get_ref();
    if !kind_given {
        ctx.err(
            i.span(),
            format!("issue `{id}` lists who splits it but is not divisible"),
            "add kind = \"divisible\", or remove between/among",
        );
    }
    let members: Vec<usize> = match (&r.between, &r.among) {
        (Some(b), None) => {
            if b.get_ref().len() != 2 {
                ctx.err(
                    b.span(),
                    format!("`between` lists {} actors; it takes exactly two", b.get_ref().len()),
                    "use between = [\"A\", \"B\"], or among = [...] for more",
                );
            }
            b.get_ref().iter().filter_map(|a| ctx.actor(a)).collect()
        }
        (None, Some(a)) => {
            if a.get_ref().len() < 2 {
                ctx.err(
                    a.span(),
                    "`among` needs at least two actors",
                    "list the actor ids that split the good, e.g. among = [\"A\", \"B\", \"C\"]",
                );
            }
            a.get_ref().iter().filter_map(|x| ctx.actor(x)).collect()
        }
        (Some(b), Some(_)) => {
            ctx.err(
                b.span(),
                format!("issue `{id}` gives both `between` and `among`"),
                "keep one: between = [two ids] or among = [ids]",
            );
            vec![]
        }
        (None, None) => {
            ctx.err(
                i.span(),
                format!("divisible issue `{id}` does not say who splits it"),
                "add between = [\"A\", \"B\"] or among = [\"A\", \"B\", \"C\"]",
            );
            vec![]
        }
    };
    let mut seen = vec![];
    for m in &members {
        if seen.contains(m) {
            ctx.err(
                i.span(),
                format!("divisible issue `{id}` lists actor `{}` twice", ctx.actors[*m]),
                "list each actor once",
            );
        }
        seen.push(*m);
    }
    let extra: Vec<(&str, std::ops::Range<usize>)> = [
        r.options.first().map(|o| ("options", o.span())),
        r.war_status_quo.as_ref().map(|w| ("war_status_quo", w.span())),
        r.frontline.as_ref().map(|f| ("frontline", f.span())),
    ]
    .into_iter()
    .flatten()
    .collect();
    for (key, span) in extra {
        ctx.err(
            span,
            format!("a divisible issue takes no `{key}`"),
            "a divisible issue is a good of size 1 split among its actors; its war-time value is 0 unless an actor's war_utility says otherwise",
        );
    }
    Issue {
        id: id.clone(),
        title: r.title.clone().unwrap_or_else(|| id.clone()),
        options: vec![IssueOption {
            id: format!("{id}:split"),
            label: format!("split of {id}"),
            consent: vec![],
            hazard_ratio: None,
            band_widening: None,
        }],
        war_status_quo: None,
        frontline: None,
        divisible: Some(members),
    }
}

fn frontline(ctx: &mut Ctx, k: usize, f: &S<raw::RawFrontline>) -> Frontline {
    let r = f.get_ref();
    let path: Vec<usize> = r.path.get_ref().iter().filter_map(|o| ctx.option(k, o)).collect();
    if r.path.get_ref().len() < 2 {
        ctx.err(
            r.path.span(),
            "a frontline path needs at least two options",
            "list the options that are lines on the ground, in the order the war moves, e.g. [\"T2\", \"T4\"]",
        );
    }
    let (bp, bj) = match &r.breakthrough {
        Some(b) => (
            ctx.num(&b.probability, Domain::Probability, "breakthrough.probability"),
            ctx.num(&b.jump, Domain::Any, "breakthrough.jump"),
        ),
        None => (Dist::Fixed(0.0), Dist::Fixed(0.0)),
    };
    let start = ctx.opt_num(&r.start, Domain::Any, "frontline.start", 0.0);
    let max = (path.len().max(1) - 1) as f64;
    if let Some(s) = &r.start
        && let Dist::Fixed(x) = s.get_ref()
        && !(0.0..=max).contains(x)
    {
        ctx.err(
            s.span(),
            format!("frontline start {x} is off the path (0 to {max})"),
            "positions are in path steps: 0 = first path option, 1 = second, 0.5 = halfway",
        );
    }
    Frontline {
        path,
        start,
        drift: ctx.opt_num(&r.drift, Domain::Any, "frontline.drift", 0.0),
        sd: ctx.opt_num(&r.sd, Domain::NonNegative, "frontline.sd", 0.0),
        breakthrough_probability: bp,
        breakthrough_jump: bj,
    }
}

fn actor(ctx: &mut Ctx, a: &S<raw::RawActor>, issues: &[Issue]) -> Actor {
    let r = a.get_ref();
    let n = issues.len();
    let mut salience = vec![Dist::Fixed(0.0); n];
    for (key, v) in r.salience.get_ref() {
        match ctx.issues.iter().position(|i| i == key) {
            Some(k) => salience[k] = ctx.num(v, Domain::NonNegative, "salience"),
            None => unknown_issue_key(ctx, key, v.span(), "salience"),
        }
    }
    let total: f64 = salience.iter().map(Dist::mean).sum();
    if total <= 0.0 && n > 0 {
        ctx.err(
            r.salience.span(),
            format!("actor `{}` has no positive salience", r.id.get_ref()),
            "give each issue the actor cares about a weight, e.g. salience = { territory = 0.6, guarantees = 0.4 }",
        );
    } else if (total - 1.0).abs() > 1e-6
        && salience.iter().all(|d| !d.is_uncertain())
        && r.salience.get_ref().keys().all(|k| ctx.issues.contains(k))
    {
        ctx.warn(
            r.salience.span(),
            format!(
                "saliences of `{}` sum to {total:.3}, not 1; they are normalised",
                r.id.get_ref()
            ),
            "make them sum to 1 to silence this warning",
        );
    }
    let mut utility: Vec<Vec<Dist>> = issues.iter().map(|i| vec![Dist::Fixed(0.0); i.options.len()]).collect();
    let mut given = vec![false; n];
    let empty = BTreeMap::new();
    let utility_span = r.utility.as_ref().map_or(a.span(), S::span);
    for (key, v) in r.utility.as_ref().map_or(&empty, S::get_ref) {
        let Some(k) = ctx.issues.iter().position(|i| i == key) else {
            unknown_issue_key(ctx, key, v.span(), "utility");
            continue;
        };
        given[k] = true;
        if issues[k].divisible.is_some() {
            ctx.err(
                v.span(),
                format!("`utility.{key}`: issue `{key}` is divisible and takes no utility list"),
                format!(
                    "its value is salience · share^curvature; remove utility.{key} (set curvature = {{ {key} = 0.5 }} for a concave value)"
                ),
            );
            continue;
        }
        let want = issues[k].options.len();
        if v.get_ref().len() != want {
            let ids = issues[k]
                .options
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            ctx.err(
                v.span(),
                format!(
                    "`utility.{key}` of `{}` has {} values but issue `{key}` has {want} options",
                    r.id.get_ref(),
                    v.get_ref().len()
                ),
                format!("give one utility per option, in order: {ids}"),
            );
            continue;
        }
        utility[k] = v.get_ref().iter().map(|u| ctx.num(u, Domain::Any, "utility")).collect();
    }
    for k in 0..n {
        if !given[k] && salience[k].mean() > 0.0 && issues[k].divisible.is_none() {
            ctx.err(
                utility_span.clone(),
                format!(
                    "actor `{}` gives issue `{}` salience but no utilities",
                    r.id.get_ref(),
                    issues[k].id
                ),
                format!("add utility.{} = [one value per option]", issues[k].id),
            );
        }
    }
    let mut war_utility = vec![None; n];
    for (key, v) in &r.war_utility {
        match ctx.issues.iter().position(|i| i == key) {
            Some(k) => war_utility[k] = Some(ctx.num(v, Domain::Any, "war_utility")),
            None => unknown_issue_key(ctx, key, v.span(), "war_utility"),
        }
    }
    for (k, issue) in issues.iter().enumerate() {
        if issue.frontline.is_none()
            && issue.divisible.is_none()
            && issue.war_status_quo.is_none()
            && war_utility[k].is_none()
            && salience[k].mean() > 0.0
            && !ctx.no_war_utility_reported.contains(&k)
        {
            ctx.no_war_utility_reported.push(k);
            ctx.err(
                a.span(),
                format!(
                    "actor `{}` has no war-time utility for issue `{}`",
                    r.id.get_ref(),
                    issue.id
                ),
                format!(
                    "declare war_status_quo = \"<option>\" on the issue, or war_utility = {{ {} = 0.5 }} on the actor",
                    issue.id
                ),
            );
        }
    }
    if let Some(c) = &r.salience_concentration
        && !(c.get_ref().is_finite() && *c.get_ref() > 0.0)
    {
        ctx.err(
            c.span(),
            "salience_concentration must be > 0",
            "a Dirichlet concentration, e.g. 20; omit it for fixed weights",
        );
    }
    let mut curvature = vec![1.0; n];
    for (key, v) in &r.curvature {
        let Some(k) = ctx.issues.iter().position(|i| i == key) else {
            unknown_issue_key(ctx, key, v.span(), "curvature");
            continue;
        };
        let rho = *v.get_ref();
        if issues[k].divisible.is_none() {
            ctx.err(
                v.span(),
                format!("`curvature.{key}`: issue `{key}` is not divisible"),
                "curvature applies to kind = \"divisible\" issues only; ordinal issues take utilities per option",
            );
        } else if !(rho > 0.0 && rho <= 1.0) {
            ctx.err(
                v.span(),
                format!("curvature = {rho} is outside (0, 1]"),
                "1 = linear value of a share, below 1 = risk-averse (a share y is worth y^curvature)",
            );
        } else {
            curvature[k] = rho;
        }
    }
    Actor {
        curvature,
        outside_option: r
            .outside_option
            .as_ref()
            .map(|o| ctx.num(o, Domain::Any, "outside_option")),
        id: r.id.get_ref().clone(),
        name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        veto: r.veto,
        recognition: ctx.opt_num(&r.recognition, Domain::NonNegative, "recognition", 1.0),
        discount: ctx.num(&r.discount, Domain::Discount, "discount"),
        war_cost: ctx.opt_num(&r.war_cost, Domain::Any, "war_cost", 0.0),
        noise: ctx.opt_num(&r.noise, Domain::NonNegative, "noise", 0.0),
        agreement_bonus: ctx.opt_num(&r.agreement_bonus, Domain::Any, "agreement_bonus", 0.0),
        breakdown_value: ctx.opt_num(&r.breakdown_value, Domain::Any, "breakdown_value", 0.0),
        salience,
        salience_concentration: r.salience_concentration.as_ref().map(|c| *c.get_ref()),
        utility,
        war_utility,
        red_lines: r.red_lines.iter().filter_map(|l| red_line(ctx, l)).collect(),
        sources: r.sources.clone(),
        renewed_war_loss: ctx.opt_num(&r.renewed_war_loss, Domain::NonNegative, "renewed_war_loss", 0.0),
        beliefs: Beliefs::default(),
    }
}

/// Resolves an actor's `beliefs` (after the issues and events are known): each key names a
/// frontline issue (`drift`, `breakthrough`) or a hazard event (`hazard`).
fn beliefs(
    ctx: &mut Ctx,
    r: &BTreeMap<String, S<raw::RawBelief>>,
    issues: &[Issue],
    events: &[Event],
    actor: usize,
) -> Beliefs {
    let mut out = Beliefs {
        frontline: vec![None; issues.len()],
        hazard: vec![None; events.len()],
    };
    let frontline_ids: Vec<&str> = issues
        .iter()
        .filter(|i| i.frontline.is_some())
        .map(|i| i.id.as_str())
        .collect();
    let hazard_ids: Vec<&str> = events
        .iter()
        .filter(|e| matches!(e.trigger, Trigger::Hazard(_)))
        .map(|e| e.id.as_str())
        .collect();
    for (key, v) in r {
        let b = v.get_ref();
        let issue = issues.iter().position(|i| &i.id == key);
        let event = events.iter().position(|e| &e.id == key);
        match (issue, event) {
            (Some(_), Some(_)) => ctx.err(
                v.span(),
                format!("`{key}` is both an issue id and an event id, so this belief is ambiguous"),
                "rename the issue or the event",
            ),
            (Some(k), None) => {
                if issues[k].frontline.is_none() {
                    ctx.err(
                        v.span(),
                        format!("issue `{key}` has no frontline, so there is no war path to hold beliefs about"),
                        "give the issue a frontline = { path = [...] }, or remove this belief",
                    );
                    continue;
                }
                if let Some(h) = &b.hazard {
                    ctx.err(
                        h.span(),
                        format!("`hazard` belongs to beliefs about events; `{key}` is an issue"),
                        "give `drift` and/or `breakthrough` for a frontline issue",
                    );
                }
                let bt = b.breakthrough.as_ref();
                if b.drift.is_none() && bt.is_none_or(|b| b.probability.is_none() && b.jump.is_none()) {
                    ctx.warn(
                        v.span(),
                        format!("the belief about `{key}` states nothing, so it changes nothing"),
                        "give drift = ... and/or breakthrough = { probability = ..., jump = ... }, or remove it",
                    );
                }
                let no_jump = issues[k]
                    .frontline
                    .as_ref()
                    .is_some_and(|f| matches!(f.breakthrough_jump, Dist::Fixed(j) if j == 0.0));
                if let Some(p) = bt.and_then(|b| b.probability.as_ref())
                    && no_jump
                    && bt.is_some_and(|b| b.jump.is_none())
                {
                    ctx.warn(
                        p.span(),
                        format!("issue `{key}` has no breakthroughs (jump 0), so a belief about their probability changes nothing"),
                        "give the jump the actor expects too: breakthrough = { probability = ..., jump = ... }",
                    );
                }
                out.frontline[k] = Some(FrontlineBelief {
                    drift: b.drift.as_ref().map(|d| ctx.num(d, Domain::Any, "drift")),
                    breakthrough_probability: bt
                        .and_then(|b| b.probability.as_ref())
                        .map(|d| ctx.num(d, Domain::Probability, "breakthrough probability")),
                    breakthrough_jump: bt
                        .and_then(|b| b.jump.as_ref())
                        .map(|d| ctx.num(d, Domain::Any, "breakthrough jump")),
                });
            }
            (None, Some(e)) => {
                if !matches!(events[e].trigger, Trigger::Hazard(_)) {
                    ctx.err(
                        v.span(),
                        format!(
                            "event `{key}` is scheduled at a fixed round, so it has no hazard to hold beliefs about"
                        ),
                        "beliefs can only change the hazard of events declared with `hazard = ...`",
                    );
                    continue;
                }
                if b.drift.is_some() || b.breakthrough.is_some() {
                    ctx.err(
                        v.span(),
                        format!("`{key}` is an event: only its `hazard` can be believed differently"),
                        format!("write {key} = {{ hazard = 0.05 }}"),
                    );
                    continue;
                }
                let matters = events[e].effects.iter().any(|ef| match ef.target {
                    Target::WarCost(i) => i == actor,
                    Target::Frontline(_) => matches!(ef.change, Change::Add(_)),
                    _ => false,
                });
                if !matters {
                    ctx.warn(
                        v.span(),
                        format!(
                            "event `{key}` changes neither this actor's war cost nor a frontline, so a belief about its hazard changes nothing"
                        ),
                        "reservation values anticipate events through war costs and frontline moves only; remove the belief or give it to the actor whose war cost the event changes",
                    );
                }
                match &b.hazard {
                    Some(h) => out.hazard[e] = Some(ctx.num(h, Domain::Probability, "hazard")),
                    None => ctx.err(
                        v.span(),
                        format!("the belief about event `{key}` gives no `hazard`"),
                        format!("write {key} = {{ hazard = 0.05 }} (per-round probability)"),
                    ),
                }
            }
            (None, None) => {
                let known: Vec<&str> = frontline_ids.iter().chain(&hazard_ids).copied().collect();
                let hint = suggest(key, known.iter().copied())
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                ctx.err(
                    v.span(),
                    format!("`beliefs` names `{key}`, which is neither an issue nor an event id"),
                    if known.is_empty() {
                        "beliefs need an issue with a frontline or an event with a hazard".to_string()
                    } else {
                        format!("{hint}frontline issues and hazard events: {}", known.join(", "))
                    },
                );
            }
        }
    }
    out
}

fn unknown_issue_key(ctx: &mut Ctx, key: &str, span: std::ops::Range<usize>, table: &str) {
    let hint = suggest(key, ctx.issues.iter().map(String::as_str))
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default();
    let known = ctx.issues.join(", ");
    ctx.err(
        span,
        format!("`{table}` names unknown issue `{key}`{hint}"),
        format!("keys of `{table}` are issue ids: {known}"),
    );
}

fn red_line(ctx: &mut Ctx, l: &S<raw::RawRedLine>) -> Option<RedLine> {
    let r = l.get_ref();
    let issue = ctx.issue(&r.issue)?;
    let options: Vec<usize> = r.options.iter().filter_map(|o| ctx.option(issue, o)).collect();
    if r.options.is_empty() {
        ctx.err(
            l.span(),
            "a red line lists no options",
            "name the options the actor rejects, e.g. options = [\"G5\"]",
        );
    }
    let mut unless = Unless::default();
    if let Some(u) = &r.unless {
        let u = u.get_ref();
        unless.ratified = u.ratified.unwrap_or(false);
        unless.consent = u.consent.iter().filter_map(|p| ctx.party(p)).collect();
        unless.options = u.options.iter().filter_map(|o| ctx.any_option(o)).collect();
    }
    Some(RedLine {
        issue,
        options,
        binding: ctx.opt_num(&r.binding, Domain::Probability, "binding", 1.0),
        unless,
        note: r.note.clone(),
    })
}

fn body(ctx: &mut Ctx, b: &S<raw::RawBody>) -> Body {
    let r = b.get_ref();
    Body {
        id: r.id.get_ref().clone(),
        name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        consent: ctx.num(&r.consent, Domain::Probability, "consent"),
    }
}

fn ratifier(ctx: &mut Ctx, rt: &S<raw::RawRatifier>) -> Ratifier {
    let r = rt.get_ref();
    let scope = match &r.scope {
        None => None,
        Some(v) => match v.get_ref() {
            toml::Value::String(s) if s == "all" => None,
            toml::Value::Table(t) => {
                let mut pairs = vec![];
                for (key, opts) in t {
                    let Some(k) = ctx.issues.iter().position(|i| i == key) else {
                        unknown_issue_key(ctx, key, v.span(), "scope");
                        continue;
                    };
                    let Some(list) = opts.as_array() else {
                        ctx.err(
                            v.span(),
                            format!("scope of issue `{key}` must be a list of option ids, not {opts}"),
                            format!(
                                "write scope = {{ {key} = [\"{}\"] }}",
                                ctx.options[k].first().cloned().unwrap_or_default()
                            ),
                        );
                        continue;
                    };
                    for o in list {
                        match o.as_str().and_then(|s| ctx.options[k].iter().position(|x| x == s)) {
                            Some(j) => pairs.push((k, j)),
                            None => ctx.err(
                                v.span(),
                                format!("scope lists `{o}`, not an option of issue `{key}`"),
                                format!("its options are {}", ctx.options[k].join(", ")),
                            ),
                        }
                    }
                }
                Some(pairs)
            }
            other => {
                ctx.err(
                    v.span(),
                    format!("invalid scope {other}"),
                    "use \"all\" or { issue = [\"option\", ...] }",
                );
                None
            }
        },
    };
    let p = r.pass.get_ref();
    let effects = p
        .effects
        .iter()
        .filter_map(|(key, v)| {
            let id = S::new(v.span(), key.clone());
            let (i, o) = ctx.any_option(&id)?;
            Some((i, o, ctx.num(v, Domain::Any, "pass effect")))
        })
        .collect();
    let floor = p.floor.as_ref().map_or(0.0, |f| *f.get_ref());
    let ceiling = p.ceiling.as_ref().map_or(1.0, |f| *f.get_ref());
    if !(0.0..=1.0).contains(&floor) || !(0.0..=1.0).contains(&ceiling) || floor > ceiling {
        ctx.err(
            r.pass.span(),
            format!("pass floor {floor} and ceiling {ceiling} must satisfy 0 <= floor <= ceiling <= 1"),
            "e.g. floor = 0.05, ceiling = 0.95",
        );
    }
    let persistent = match r.mood.as_ref().map(|m| m.get_ref().as_str()) {
        None | Some("persistent") => true,
        Some("iid") => false,
        Some(other) => {
            ctx.err(
                r.mood.as_ref().unwrap().span(),
                format!("unknown mood `{other}`"),
                "use \"persistent\" (one public mood per run) or \"iid\"",
            );
            true
        }
    };
    let lag = r.lag.as_ref().map_or(0, |l| {
        if *l.get_ref() < 0 {
            ctx.err(
                l.span(),
                "lag must be >= 0 rounds",
                "rounds between signature and the vote, e.g. 2",
            );
        }
        (*l.get_ref()).max(0) as usize
    });
    Ratifier {
        id: r.id.get_ref().clone(),
        name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        scope,
        intercept: ctx.num(&p.intercept, Domain::Any, "intercept"),
        effects,
        floor,
        ceiling,
        persistent,
        lag,
    }
}

fn change(ctx: &mut Ctx, c: &S<raw::RawChange>, dom: Domain, what: &str) -> Option<Change> {
    let r = c.get_ref();
    match (&r.add, &r.set) {
        (Some(a), None) => Some(Change::Add(ctx.num(a, Domain::Any, what))),
        (None, Some(s)) => Some(Change::Set(ctx.num(s, dom, what))),
        _ => {
            ctx.err(
                c.span(),
                format!("`{what}` needs exactly one of `add` or `set`"),
                format!("write {what} = {{ add = 0.004 }} or {what} = {{ set = 0.01 }}"),
            );
            None
        }
    }
}

fn event(ctx: &mut Ctx, e: &S<raw::RawEvent>, issues: &[Issue], horizon: usize) -> Event {
    let r = e.get_ref();
    let trigger = match (&r.hazard, &r.at_round) {
        (Some(h), None) => Trigger::Hazard(ctx.num(h, Domain::Probability, "hazard")),
        (None, Some(t)) if *t.get_ref() >= 0 => {
            if *t.get_ref() as usize >= horizon {
                ctx.warn(
                    t.span(),
                    format!(
                        "event `{}` is scheduled at round {}, but the horizon ends after round {}: it never fires",
                        r.id.get_ref(),
                        t.get_ref(),
                        horizon.saturating_sub(1)
                    ),
                    "rounds count from 0; schedule it within the horizon or raise `horizon`",
                );
            }
            Trigger::AtRound(*t.get_ref() as usize)
        }
        _ => {
            ctx.err(
                e.span(),
                format!(
                    "event `{}` needs exactly one of `hazard` (per round) or `at_round` (>= 0)",
                    r.id.get_ref()
                ),
                "e.g. hazard = 0.1, or at_round = 6",
            );
            Trigger::AtRound(usize::MAX)
        }
    };
    let mut effects = vec![];
    for ef in &r.effects {
        let f = ef.get_ref();
        let actor = f.actor.as_ref().and_then(|a| ctx.actor(a));
        let issue = f.issue.as_ref().and_then(|i| ctx.issue(i));
        let mut add = |target: Target, c: &S<raw::RawChange>, dom: Domain, what: &str, ctx: &mut Ctx| {
            if let Some(change) = change(ctx, c, dom, what) {
                effects.push(Effect { target, change });
            }
        };
        let need_actor = |ctx: &mut Ctx, what: &str| {
            if f.actor.is_none() {
                ctx.err(
                    ef.span(),
                    format!("a `{what}` effect needs `actor = \"...\"`"),
                    "name the actor whose parameter changes",
                );
            }
        };
        let mut any = false;
        for (what, c, dom, mk) in [
            (
                "war_cost",
                &f.war_cost,
                Domain::Any,
                Target::WarCost as fn(usize) -> Target,
            ),
            ("discount", &f.discount, Domain::Discount, Target::Discount),
            ("recognition", &f.recognition, Domain::NonNegative, Target::Recognition),
            ("noise", &f.noise, Domain::NonNegative, Target::Noise),
        ] {
            if let Some(c) = c {
                any = true;
                need_actor(ctx, what);
                if let Some(a) = actor {
                    add(mk(a), c, dom, what, ctx);
                }
            }
        }
        if let Some(c) = &f.utility {
            any = true;
            match (actor, issue, &f.option) {
                (Some(a), Some(i), Some(o)) => {
                    if let Some(o) = ctx.option(i, o) {
                        add(Target::Utility(a, i, o), c, Domain::Any, "utility", ctx);
                    }
                }
                _ => ctx.err(
                    ef.span(),
                    "a `utility` effect needs `actor`, `issue` and `option`",
                    "e.g. { actor = \"UA\", issue = \"guarantees\", option = \"G4\", utility = { add = 0.1 } }",
                ),
            }
        }
        if let Some(c) = &f.frontline {
            any = true;
            match issue {
                Some(i) if issues[i].frontline.is_some() => add(Target::Frontline(i), c, Domain::Any, "frontline", ctx),
                Some(i) => ctx.err(
                    c.span(),
                    format!("issue `{}` has no frontline to move", issues[i].id),
                    "declare frontline = { path = [...] } on the issue, or remove this effect",
                ),
                None => ctx.err(
                    ef.span(),
                    "a `frontline` effect needs `issue = \"...\"`",
                    "name the issue whose frontline moves",
                ),
            }
        }
        if !any {
            ctx.err(
                ef.span(),
                "this effect changes nothing",
                "give one of war_cost, discount, recognition, noise, utility or frontline",
            );
        }
    }
    let duration = r.duration.as_ref().map(|d| {
        if *d.get_ref() < 1 {
            ctx.err(
                d.span(),
                "duration must be >= 1 round",
                "omit it for the rest of the run",
            );
        }
        (*d.get_ref()).max(1) as usize
    });
    Event {
        id: r.id.get_ref().clone(),
        name: r.name.clone().unwrap_or_else(|| r.id.get_ref().clone()),
        trigger,
        duration,
        repeat: r.repeat,
        effects,
    }
}

/// Warnings for keys of the newer features that are accepted but change nothing.
fn inert_keys(
    ctx: &mut Ctx,
    raw: &RawScenario,
    issues: &[Issue],
    protocol: &Protocol,
    meta: &Meta,
    durability: Option<&Durability>,
) {
    if let (Some(d), Some(p)) = (protocol.deadline, raw.protocol.as_ref())
        && d > meta.horizon
        && let Some(span) = p.deadline.as_ref().map(S::span)
    {
        ctx.warn(
            span,
            format!("deadline = {d} is beyond the horizon of {} rounds", meta.horizon),
            "runs end at the horizon first (no agreement); the deadline still shapes offers by backward induction. Lower it, or raise horizon",
        );
    }
    if let Some(w) = &raw.war
        && matches!(protocol.breakdown, Dist::Fixed(x) if x == 0.0)
        && protocol.deadline.is_none()
        && raw.actor.iter().all(|a| a.get_ref().outside_option.is_none())
    {
        ctx.warn(
            w.span(),
            "[war] sets the breakdown values, but talks never break down (breakdown = 0, no deadline)",
            "set [protocol] breakdown (1 = a rejection means war, as in Fearon 1995), or a deadline",
        );
    }
    for a in &raw.actor {
        let a = a.get_ref();
        let Some(i) = ctx.actors.iter().position(|x| x == a.id.get_ref()) else {
            continue;
        };
        let shares = |k: usize| issues[k].divisible.as_ref().is_none_or(|m| m.contains(&i));
        for (key, v) in &a.curvature {
            if let Some(k) = ctx.issues.iter().position(|x| x == key)
                && !shares(k)
            {
                ctx.warn(
                    v.span(),
                    format!(
                        "`{}` does not share divisible issue `{key}`; its curvature changes nothing",
                        a.id.get_ref()
                    ),
                    format!("add it to the issue's between/among list, or remove curvature.{key}"),
                );
            }
        }
        for (key, v) in a.salience.get_ref() {
            if let Some(k) = ctx.issues.iter().position(|x| x == key)
                && !shares(k)
                && v.get_ref().mean() > 0.0
            {
                ctx.warn(
                    v.span(),
                    format!(
                        "`{}` gives salience to divisible issue `{key}` but does not share it: that weight is worth nothing to it in any package",
                        a.id.get_ref()
                    ),
                    format!("add it to the issue's between/among list, or set salience.{key} = 0"),
                );
            }
        }
    }
    if durability.is_none_or(|d| d.band.is_none()) {
        for (k, issue) in raw.issue.iter().enumerate() {
            for o in &issue.get_ref().options {
                if let Some(w) = &o.get_ref().band_widening {
                    ctx.warn(
                        w.span(),
                        format!(
                            "band_widening on `{}` has no effect without [durability] model = \"band\"",
                            o.get_ref().id.get_ref()
                        ),
                        if issues.get(k).is_some() {
                            "use hazard_ratio with the Weibull model, or switch to the band model"
                        } else {
                            "remove it"
                        },
                    );
                }
            }
        }
    }
}

/// `[war]`: the decisive-war lottery of a breakdown.
fn war(ctx: &mut Ctx, w: &S<raw::RawWar>, raw_actors: &[S<raw::RawActor>]) -> War {
    let r = w.get_ref();
    let n = ctx.actors.len();
    for a in raw_actors {
        if let Some(b) = &a.get_ref().breakdown_value {
            ctx.err(
                b.span(),
                format!(
                    "`{}` sets breakdown_value, but [war] makes the breakdown value the war lottery",
                    a.get_ref().id.get_ref()
                ),
                "remove breakdown_value (the lottery sets it), or remove [war]",
            );
        }
    }
    let probs = |ctx: &mut Ctx, t: &S<BTreeMap<String, S<Dist>>>| -> Vec<Dist> {
        let mut p: Vec<Option<Dist>> = vec![None; n];
        for (id, v) in t.get_ref() {
            match ctx.actors.iter().position(|a| a == id) {
                Some(i) => p[i] = Some(ctx.num(v, Domain::Probability, "win_probability")),
                None => ctx.err(
                    v.span(),
                    format!("win_probability names unknown actor `{id}`"),
                    format!("keys are actor ids: {}", ctx.actors.join(", ")),
                ),
            }
        }
        let total: f64 = p.iter().flatten().map(Dist::mean).sum();
        if total > 1.0 + 1e-9 {
            ctx.err(
                t.span(),
                format!("win probabilities sum to {total:.4}, more than 1"),
                "each is the probability that this actor wins the war; the rest (if any) is a stalemate",
            );
        }
        let missing: Vec<usize> = (0..n).filter(|&i| p[i].is_none()).collect();
        if n == 2 && missing.len() == 1 {
            let fixed = p.iter().flatten().all(|d| !d.is_uncertain());
            let other = 1 - missing[0];
            p[missing[0]] = Some(if fixed {
                Dist::Fixed(1.0 - p[other].as_ref().map_or(0.0, Dist::mean))
            } else {
                ctx.err(
                    t.span(),
                    "an uncertain win probability needs the other side's given too",
                    "give both actors' win probabilities (they may be uncertain)",
                );
                Dist::Fixed(0.0)
            });
        }
        p.into_iter().map(|d| d.unwrap_or(Dist::Fixed(0.0))).collect()
    };
    let win_probability = probs(ctx, &r.win_probability);
    let mut cost = vec![Dist::Fixed(0.0); n];
    for (id, v) in &r.cost {
        match ctx.actors.iter().position(|a| a == id) {
            Some(i) => cost[i] = ctx.num(v, Domain::NonNegative, "cost"),
            None => ctx.err(
                v.span(),
                format!("[war] cost names unknown actor `{id}`"),
                format!("keys are actor ids: {}", ctx.actors.join(", ")),
            ),
        }
    }
    let shift = r.shift.as_ref().and_then(|sh| {
        let round = *sh.get_ref().round.get_ref();
        if round < 1 {
            ctx.err(
                sh.get_ref().round.span(),
                format!("shift round = {round} must be at least 1"),
                "the first round (0-based) with the new balance of power",
            );
            return None;
        }
        Some((round as usize, probs(ctx, &sh.get_ref().win_probability)))
    });
    War {
        win_probability,
        cost,
        shift,
    }
}

fn durability(ctx: &mut Ctx, d: &S<raw::RawDurability>) -> Durability {
    let r = d.get_ref();
    let band_model = match r.model.as_ref().map(|m| m.get_ref().as_str()) {
        None | Some("weibull") => false,
        Some("band") => true,
        Some(other) => {
            ctx.err(
                r.model.as_ref().expect("given").span(),
                format!("unknown durability model `{other}`"),
                "use model = \"weibull\" (proportional hazards) or model = \"band\" (a diffusing balance of power)",
            );
            false
        }
    };
    type Unwanted<'a> = Vec<(&'a str, Option<std::ops::Range<usize>>)>;
    let (model, wanted, unwanted): (&str, Vec<(&str, bool)>, Unwanted) = if band_model {
        (
            "band",
            vec![
                ("balance", r.balance.is_some()),
                ("lower", r.lower.is_some()),
                ("upper", r.upper.is_some()),
                ("volatility", r.volatility.is_some()),
            ],
            vec![
                ("shape", r.shape.as_ref().map(S::span)),
                ("baseline", r.baseline.as_ref().map(|b| b.years.span())),
                ("always", r.always.values().next().map(S::span)),
            ],
        )
    } else {
        (
            "weibull",
            vec![("shape", r.shape.is_some()), ("baseline", r.baseline.is_some())],
            vec![
                ("balance", r.balance.as_ref().map(S::span)),
                ("lower", r.lower.as_ref().map(S::span)),
                ("upper", r.upper.as_ref().map(S::span)),
                ("drift", r.drift.as_ref().map(S::span)),
                ("volatility", r.volatility.as_ref().map(S::span)),
                ("steps_per_year", r.steps_per_year.as_ref().map(S::span)),
                ("years", r.years.as_ref().map(S::span)),
            ],
        )
    };
    for (key, given) in wanted {
        if !given {
            let example = match key {
                "balance" => "balance = 0.5 (the balance of power at signature)",
                "lower" => "lower = 0.4 (the balance at which one side comes to prefer war)",
                "upper" => "upper = 0.6 (the balance at which the other side comes to prefer war)",
                "volatility" => "volatility = 0.05 (per square-root year)",
                "shape" => "shape = 0.7 (the Weibull shape; below 1, risk is highest early)",
                _ => "baseline = { p_renewed_war = 0.65, years = 5 }",
            };
            ctx.err(
                d.span(),
                format!("the {model} durability model needs `{key}`"),
                format!("add {example}; see [durability] in docs/scenario-format.md"),
            );
        }
    }
    for (key, span) in unwanted {
        if let Some(span) = span {
            ctx.err(
                span,
                format!("`{key}` does not belong to the {model} durability model"),
                "remove it, or change `model`",
            );
        }
    }
    let band = band_model.then(|| {
        let balance = ctx.opt_num(&r.balance, Domain::Any, "balance", 0.5);
        let lower = ctx.opt_num(&r.lower, Domain::Any, "lower", 0.0);
        let upper = ctx.opt_num(&r.upper, Domain::Any, "upper", 1.0);
        if !(lower.mean() < balance.mean() && balance.mean() < upper.mean()) {
            ctx.err(
                d.span(),
                format!(
                    "the band needs lower < balance < upper (means {:.4}, {:.4}, {:.4})",
                    lower.mean(),
                    balance.mean(),
                    upper.mean()
                ),
                "the balance at signature must lie inside the band in which both sides prefer the deal",
            );
        }
        let q = |d: &Dist, p: f64| d.quantile(p);
        if lower.mean() < balance.mean()
            && balance.mean() < upper.mean()
            && (q(&lower, 0.999) >= q(&balance, 0.001) || q(&upper, 0.001) <= q(&balance, 0.999))
        {
            ctx.warn(
                d.span(),
                "some draws put the balance outside the band (lower ≥ balance or upper ≤ balance)",
                "narrow the distributions; in such runs an agreement counts as failing at once (renewed war at 0 years)",
            );
        }
        let steps = r.steps_per_year.as_ref().map_or(12, |v| *v.get_ref());
        if !(1..=365).contains(&steps) {
            let span = r.steps_per_year.as_ref().map_or(d.span(), S::span);
            ctx.err(
                span,
                format!("steps_per_year = {steps} is outside 1 to 365"),
                "how often the balance is checked per year, e.g. 12 (monthly)",
            );
        }
        BandSpec {
            balance,
            lower,
            upper,
            drift: ctx.opt_num(&r.drift, Domain::Any, "drift", 0.0),
            volatility: ctx.opt_num(&r.volatility, Domain::Positive, "volatility", 1.0),
            steps_per_year: steps.clamp(1, 365) as u32,
        }
    });
    let p = match &r.baseline {
        Some(b) => ctx.num(&b.p_renewed_war, Domain::Probability, "p_renewed_war"),
        None => Dist::Fixed(0.5),
    };
    if let Some(b) = &r.baseline
        && let Dist::Fixed(x) = p
        && (x <= 0.0 || x >= 1.0)
    {
        ctx.err(
            b.p_renewed_war.span(),
            "p_renewed_war must be strictly between 0 and 1",
            "the probability that a bare ceasefire fails within `years`, e.g. 0.65",
        );
    }
    let (years, years_span) = match (&r.baseline, &r.years) {
        (Some(b), _) => (*b.years.get_ref(), b.years.span()),
        (None, Some(y)) => (*y.get_ref(), y.span()),
        (None, None) => (5.0, d.span()),
    };
    if !(years > 0.0 && years.is_finite()) {
        ctx.err(years_span, "years must be > 0", "e.g. years = 5");
    }
    let mut report_years = vec![];
    for y in &r.report_years {
        if *y.get_ref() > 0.0 && y.get_ref().is_finite() {
            report_years.push(*y.get_ref());
        } else {
            ctx.err(
                y.span(),
                "report years must be > 0",
                "e.g. report_years = [1, 2, 5, 10]",
            );
        }
    }
    if report_years.is_empty() {
        report_years = vec![1.0, 2.0, 5.0, 10.0];
    }
    Durability {
        band,
        shape: r
            .shape
            .as_ref()
            .map_or(Dist::Fixed(1.0), |v| ctx.num(v, Domain::Positive, "shape")),
        p_baseline: p,
        baseline_years: years,
        always: r
            .always
            .iter()
            .map(|(k, v)| (k.clone(), ctx.num(v, Domain::Positive, "hazard ratio")))
            .collect(),
        report_years,
        group_by: r.group_by.as_ref().and_then(|g| ctx.issue(g)),
    }
}
