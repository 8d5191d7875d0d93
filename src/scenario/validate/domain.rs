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
            Dist::Fixed(_) => d,
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
