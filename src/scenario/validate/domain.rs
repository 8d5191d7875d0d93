//! Value domains: the valid range of each number, and the check of an uncertain number against it.

use super::*;

/// A value's valid range.
#[derive(Clone, Copy)]
pub(super) enum Domain {
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

/// The largest magnitude of a number on the utility scale (utilities, war costs, bonuses,
/// breakdown and outside values, noise, renewed-war losses): 100 times the distance between an
/// actor's best and worst option. Beyond it the equilibrium solver crawls (an `agreement_bonus`
/// of 1e300 never finishes) and nothing a scenario means needs it.
pub const MAX_UTILITY: f64 = 100.0;

/// The largest magnitude of every other number that is not a probability or a discount
/// (recognition and salience weights, frontline movement, logits, hazard ratios, shapes, band
/// bounds and volatility).
pub const MAX_OTHER: f64 = 1000.0;

/// The smallest value of a number that must be > 0 (shapes, hazard ratios, volatility).
pub const MIN_POSITIVE: f64 = 1e-6;

/// Whether the key named `what` is on the utility scale ([`MAX_UTILITY`]).
fn utility_scale(what: &str) -> bool {
    matches!(
        what,
        "outside_option"
            | "war_cost"
            | "noise"
            | "agreement_bonus"
            | "breakdown_value"
            | "renewed_war_loss"
            | "utility"
            | "war_utility"
            | "residual_war_cost"
            | "cost"
    )
}

/// The valid range of the key named `what` with domain `dom`, beyond its domain: `None` for
/// probabilities and discounts (their domain is the range).
pub(super) fn range(dom: Domain, what: &str) -> Option<(f64, f64)> {
    let b = if utility_scale(what) { MAX_UTILITY } else { MAX_OTHER };
    match dom {
        Domain::Probability | Domain::Discount => None,
        Domain::Any => Some((-b, b)),
        Domain::NonNegative => Some((0.0, b)),
        Domain::Positive => Some((MIN_POSITIVE, b)),
    }
}

/// Where the central 99.8% of a distribution's draws lie (0.1% and 99.9% quantiles, or an
/// upper bound of them); infinite for one that overflows.
fn central(d: &Dist) -> (f64, f64) {
    const Z: f64 = 3.1;
    match *d {
        Dist::Fixed(x) => (x, x),
        Dist::PerUnit(ref d, _) | Dist::Converted(ref d, _) => central(d),
        Dist::Normal(m, s) => (m - Z * s, m + Z * s),
        Dist::Lognormal(mu, s) => ((mu - Z * s).exp(), (mu + Z * s).exp()),
        Dist::Uniform(a, b) | Dist::Triangular(a, _, b) | Dist::Pert(a, _, b) => (a, b),
        Dist::Beta(..) => (0.0, 1.0),
    }
}

/// A number for messages: plain when it reads well, else in scientific notation.
fn num_text(x: f64) -> String {
    if x != 0.0 && !(1e-4..1e7).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// "from -100 to 100 (the utility scale: ...)".
fn range_text(lo: f64, hi: f64, what: &str) -> String {
    let scale = if utility_scale(what) {
        format!(
            " (numbers on the utility scale, where 1 is the distance between an actor's best and worst option, are at most {MAX_UTILITY} in magnitude)"
        )
    } else {
        String::new()
    };
    format!("from {} to {}{scale}", num_text(lo), num_text(hi))
}

impl Ctx {
    /// Checks an uncertain number against its domain; returns it (a fixed 0 if invalid).
    pub(super) fn num(&mut self, v: &S<Dist>, dom: Domain, what: &str) -> Dist {
        let d = v.get_ref().clone();
        if let Dist::PerUnit(..) = d {
            self.diags.push(crate::scenario::units::not_a_rate(v.span(), what));
            return Dist::Fixed(0.0);
        }
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
            self.err(
                Kind::InvalidDistribution,
                v.span(),
                format!("impossible distribution for `{what}`: {e}"),
                help,
            );
            return Dist::Fixed(0.0);
        }
        let (lo, hi) = dom.bounds();
        match d {
            Dist::Fixed(x) if x < lo || x > hi || (matches!(dom, Domain::Positive | Domain::Discount) && x <= 0.0) => {
                self.err(
                    Kind::OutOfRange,
                    v.span(),
                    format!("`{what}` = {x} is outside its domain"),
                    format!("use {}", dom.describe()),
                );
                Dist::Fixed(dom.clamp(x))
            }
            Dist::Fixed(x) => match range(dom, what) {
                Some((lo, hi)) if !(lo..=hi).contains(&x) => {
                    self.err(
                        Kind::OutOfRange,
                        v.span(),
                        format!("`{what}` = {} is outside its valid range", num_text(x)),
                        format!("use a number {}", range_text(lo, hi, what)),
                    );
                    Dist::Fixed(x.clamp(lo, hi))
                }
                _ => d,
            },
            // a distribution may reach outside its domain (draws are clamped, with a warning), but
            // not beyond the magnitude of its range
            _ if range(dom, what).is_some_and(|(_, hi)| {
                let (a, b) = central(&d);
                !(a.is_finite() && b.is_finite() && a >= -hi && b <= hi)
            }) =>
            {
                let (lo, hi) = range(dom, what).expect("checked");
                let (a, b) = central(&d);
                self.err(
                    Kind::OutOfRange,
                    v.span(),
                    format!(
                        "the distribution of `{what}` reaches {} to {}, outside its valid range",
                        num_text(a),
                        num_text(b)
                    ),
                    format!(
                        "narrow it: 99.8% of its draws must lie in the valid range, {}",
                        range_text(lo, hi, what)
                    ),
                );
                Dist::Fixed(0.0)
            }
            _ => {
                let out = d.mass_outside(lo, hi);
                if out > 0.01 {
                    self.warn(
                        Kind::PartlyOutOfRange,
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

    pub(super) fn opt_num(&mut self, v: &Option<S<Dist>>, dom: Domain, what: &str, default: f64) -> Dist {
        v.as_ref().map_or(Dist::Fixed(default), |v| self.num(v, dom, what))
    }
}
