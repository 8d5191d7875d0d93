//! `[protocol] tolerance`: the equilibrium solver's tolerance (`docs/model.md` §3).

use super::*;

/// Smallest tolerance accepted: near the rounding error of utilities of order 1.
pub const MIN_TOLERANCE: f64 = 1e-15;
/// Largest tolerance accepted: looser values would let visibly wrong equilibria count as solved.
pub const MAX_TOLERANCE: f64 = 1e-3;

/// The tolerance written in the file, or `None` (with a located error) when it is out of range.
pub(super) fn tolerance(ctx: &mut Ctx, t: &S<f64>) -> Option<f64> {
    let v = *t.get_ref();
    if v.is_finite() && (MIN_TOLERANCE..=MAX_TOLERANCE).contains(&v) {
        return Some(v);
    }
    ctx.err(
        Kind::OutOfRange,
        t.span(),
        format!("tolerance = {v:e} is outside its valid range"),
        format!(
            "the solver's tolerance is a max-norm residual in utility units from {MIN_TOLERANCE:e} to {MAX_TOLERANCE:e}; omit it for the default 1e-10 (e.g. tolerance = 1e-9 to accept slightly rougher equilibria)"
        ),
    );
    None
}
