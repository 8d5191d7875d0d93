//! Closed-form results of bargaining and conflict theory, as pure functions checked against the
//! oracle numbers of `data/oracles/` (see `docs/model.md` §5–§7).
//!
//! - [`bdm`]: the Bueno de Mesquita (1994) expected-utility model as reconstructed by Scholz,
//!   Calbert and Smith (2011): weighted mean and median, win probabilities, expected utilities
//!   of challenges, security and risk exponents.
//! - [`band`]: durability of an agreement in the band model: exit law of Brownian motion with
//!   drift from an interval (Karlin and Taylor 1981) and a discretely monitored sampler with the
//!   Broadie, Glasserman and Kou (1997) continuity correction.
//! - [`powell`]: the commitment-problem condition for war under a one-shot power shift
//!   (Powell 2006).
//! - [`nash`]: the Nash (1950), asymmetric Nash (Kalai 1977) and Kalai–Smorodinsky (1975)
//!   solutions on a two-player frontier, and the Binmore, Rubinstein and Wolinsky (1986) limit.
//!
//! Nothing here touches the engine: these are reference results to compare simulations with.

pub mod band;
pub mod bdm;
pub mod nash;
pub mod powell;

/// An input outside the range where a closed form is defined. The message names the input, its
/// value and the valid range, e.g. `invalid discount factor δ = 1.2: expected 0 < δ < 1`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid {name} = {value}: expected {expected}")]
pub struct InputError {
    /// The input, in the field's words (`"discount factor δ"`, `"salience of actor UK"`).
    pub name: std::borrow::Cow<'static, str>,
    /// The value given.
    pub value: f64,
    /// The valid range.
    pub expected: &'static str,
}

/// `Ok(value)` if `ok`, else the [`InputError`] describing it.
fn check(name: &'static str, value: f64, ok: bool, expected: &'static str) -> Result<f64, InputError> {
    if ok && value.is_finite() {
        Ok(value)
    } else {
        Err(InputError {
            name: name.into(),
            value,
            expected,
        })
    }
}
