//! Axiomatic bargaining solutions on a two-player frontier.
//!
//! The bargaining set is bounded by a frontier `u2 = f(u1)` for `u1` in `[0, u1_max]`, `f`
//! decreasing and concave (e.g. `|u1| 1.0 - u1` for splitting a pie of 1, `|u1| (1.0 - u1).sqrt()`
//! for concave utilities), and `d = (d1, d2)` is the disagreement point (the players'
//! reservation values: what each gets if talks fail). With weight `α` on player 1:
//!
//! - **Nash bargaining solution** (Nash 1950; asymmetric form Kalai 1977): the frontier point
//!   maximising `(u1 − d1)^α (u2 − d2)^(1−α)`; `α = 1/2` is the symmetric solution.
//! - **Kalai–Smorodinsky solution** (Kalai and Smorodinsky 1975): the frontier point on the segment
//!   from `d` to the ideal point, i.e. where `(u1 − d1)/(I1 − d1) = (u2 − d2)/(I2 − d2)`.
//! - **Ideal (utopia) point** `I`: each player's best payoff in the set that leaves the other at
//!   least its disagreement payoff.
//!
//! [`brw_limit`] gives the limit of alternating-offers bargaining with breakdown as the time
//! between offers vanishes (Binmore, Rubinstein and Wolinsky 1986).

use super::{InputError, check};
use serde::Serialize;

/// The Nash, Kalai–Smorodinsky and ideal points of one bargaining problem, each as `[u1, u2]`
/// in the players' utility units.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BargainingSolutions {
    /// The disagreement point `d` the solutions were computed for.
    pub disagreement: [f64; 2],
    /// The bargaining power of player 1, `α` (player 2 has `1 − α`).
    pub alpha: f64,
    /// The (asymmetric) Nash bargaining solution. Located from values of `f` alone, so accurate
    /// to about `1e-8` times the scale of the set (the square root of machine precision).
    pub nash: [f64; 2],
    /// The Kalai–Smorodinsky solution (bisection, accurate to machine precision).
    pub kalai_smorodinsky: [f64; 2],
    /// The ideal point `I = (I1, I2)`.
    pub ideal: [f64; 2],
}

/// Computes the Nash, Kalai–Smorodinsky and ideal points on the frontier `u2 = frontier(u1)`,
/// `u1` in `[0, u1_max]`, for disagreement point `d` and weight `alpha` on player 1.
///
/// `frontier` must be decreasing and concave on `[0, u1_max]` and finite there (otherwise the
/// results are those of a local search, not the solutions); `u1_max > 0`; `alpha` in (0, 1);
/// `d` must lie strictly below the frontier: `max(d1, 0) < u1_max` and `frontier(max(d1, 0)) > d2`.
///
/// # Errors
/// [`InputError`] naming the first input outside its range.
///
/// # Example
/// ```
/// use armistice::theory::nash::solve;
/// let s = solve(|u1| 1.0 - u1, 1.0, [0.2, 0.1], 0.5).expect("d lies below the frontier");
/// assert!((s.nash[0] - 0.55).abs() < 1e-7); // d1 + (1 − d1 − d2)/2
/// assert!((s.ideal[0] - 0.9).abs() < 1e-12);
/// ```
pub fn solve<F: Fn(f64) -> f64>(
    frontier: F,
    u1_max: f64,
    d: [f64; 2],
    alpha: f64,
) -> Result<BargainingSolutions, InputError> {
    check("frontier end u1_max", u1_max, u1_max > 0.0, "0 < u1_max < ∞")?;
    check("bargaining power α", alpha, alpha > 0.0 && alpha < 1.0, "0 < α < 1")?;
    check("disagreement payoff d2", d[1], true, "a finite number")?;
    let lo = check("disagreement payoff d1", d[0], d[0] < u1_max, "d1 < u1_max")?.max(0.0);
    let i2 = frontier(lo);
    check(
        "frontier at max(d1, 0) minus d2",
        i2 - d[1],
        i2 > d[1],
        "> 0 (d strictly below the frontier)",
    )?;
    let i1 = if frontier(u1_max) >= d[1] {
        u1_max
    } else {
        bisect(|u| frontier(u) - d[1], lo, u1_max)
    };
    let log_product = |u: f64| alpha * (u - d[0]).ln() + (1.0 - alpha) * (frontier(u) - d[1]).ln();
    let u_nash = golden_max(log_product, lo, i1);
    let u_ks = bisect(
        |u| (frontier(u) - d[1]) / (i2 - d[1]) - (u - d[0]) / (i1 - d[0]),
        lo,
        i1,
    );
    Ok(BargainingSolutions {
        disagreement: d,
        alpha,
        nash: [u_nash, frontier(u_nash)],
        kalai_smorodinsky: [u_ks, frontier(u_ks)],
        ideal: [i1, i2],
    })
}

/// The asymmetric Nash bargaining solution for splitting a pie of 1 (frontier `u1 + u2 = 1`), in
/// closed form: `u1 = d1 + α (1 − d1 − d2)`, `u2 = 1 − u1` (Kalai 1977). With `d` the war
/// values `(p − c_A, 1 − p − c_B)` this is the Nash split of Fearon's (1995) bargaining range.
///
/// `alpha` in (0, 1); `d1 + d2 ≤ 1` (otherwise no split beats disagreement).
///
/// # Errors
/// [`InputError`] if `alpha` is outside (0, 1), `d` is not finite or `d1 + d2 > 1`.
pub fn nash_split(d: [f64; 2], alpha: f64) -> Result<[f64; 2], InputError> {
    check("bargaining power α", alpha, alpha > 0.0 && alpha < 1.0, "0 < α < 1")?;
    let surplus = 1.0 - d[0] - d[1];
    check(
        "surplus 1 − d1 − d2",
        surplus,
        surplus >= 0.0,
        "≥ 0 (some split beats disagreement)",
    )?;
    let u1 = d[0] + alpha * surplus;
    Ok([u1, 1.0 - u1])
}

/// Player 1's share of a pie of 1 in the limit of Rubinstein bargaining with exogenous breakdown
/// as the time between offers `Δ → 0` (Binmore, Rubinstein and Wolinsky 1986, RAND J. Econ.
/// 17(2)).
///
/// Player i discounts at rate `r[i]` per unit time (`δ_i = exp(−r_i Δ)`), talks break down at
/// rate `l` (probability `λ = ℓΔ` after each rejection), and on breakdown player i receives the
/// lump sum `b[i]`. The limit is the asymmetric Nash bargaining solution with bargaining powers
/// proportional to `1/(ℓ + r_i)` and disagreement point `d_i = ℓ b_i/(ℓ + r_i)`, the present
/// value of waiting for breakdown: `α = (ℓ + r_2)/(2ℓ + r_1 + r_2)`, see [`nash_split`].
///
/// `r[i] > 0`, `l ≥ 0`, `b` finite with `d1 + d2 ≤ 1`.
///
/// # Errors
/// [`InputError`] naming the first input outside its range.
///
/// # Example
/// ```
/// use armistice::theory::nash::brw_limit;
/// // without breakdown, shares are inversely proportional to the rates (Rubinstein 1982)
/// let x1 = brw_limit([0.05, 0.1], 0.0, [0.0, 0.0]).expect("valid rates");
/// assert!((x1 - 2.0 / 3.0).abs() < 1e-15);
/// ```
pub fn brw_limit(r: [f64; 2], l: f64, b: [f64; 2]) -> Result<f64, InputError> {
    check("discount rate r1", r[0], r[0] > 0.0, "r1 > 0 (per unit time)")?;
    check("discount rate r2", r[1], r[1] > 0.0, "r2 > 0 (per unit time)")?;
    check("breakdown rate ℓ", l, l >= 0.0, "ℓ ≥ 0 (per unit time)")?;
    check("breakdown payoff b1", b[0], true, "a finite number")?;
    check("breakdown payoff b2", b[1], true, "a finite number")?;
    let d = [l * b[0] / (l + r[0]), l * b[1] / (l + r[1])];
    let alpha = (l + r[1]) / (2.0 * l + r[0] + r[1]);
    Ok(nash_split(d, alpha)?[0])
}

/// The root of a decreasing `g` on `[lo, hi]` with `g(lo) ≥ 0 ≥ g(hi)`, to machine precision.
fn bisect(g: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if g(mid) > 0.0 { lo = mid } else { hi = mid }
    }
    0.5 * (lo + hi)
}

/// The maximiser of a unimodal `h` on `[a, b]` by golden-section search, evaluating only interior
/// points (`h` may be `−∞` at the ends). Stops when the bracket is below `1e-13` (relative); the
/// flatness of `h` at its maximum limits the attainable accuracy to about `1e-8`.
fn golden_max(h: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let ratio = 0.5 * (5f64.sqrt() - 1.0);
    let value = |x: f64| {
        let v = h(x);
        if v.is_nan() { f64::NEG_INFINITY } else { v }
    };
    let (mut x1, mut x2) = (b - ratio * (b - a), a + ratio * (b - a));
    let (mut h1, mut h2) = (value(x1), value(x2));
    while b - a > 1e-13 * (1.0 + a.abs() + b.abs()) {
        if h1 < h2 {
            (a, x1, h1) = (x1, x2, h2);
            x2 = a + ratio * (b - a);
            h2 = value(x2);
        } else {
            (b, x2, h2) = (x2, x1, h1);
            x1 = b - ratio * (b - a);
            h1 = value(x1);
        }
    }
    0.5 * (a + b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lin(u1: f64) -> f64 {
        1.0 - u1
    }
    fn sqrt(u1: f64) -> f64 {
        (1.0 - u1).sqrt()
    }

    fn close(got: [f64; 2], want: [f64; 2], tol: f64, what: &str) {
        for k in 0..2 {
            assert!((got[k] - want[k]).abs() < tol, "{what}[{k}]: {} vs {}", got[k], want[k]);
        }
    }

    /// NBS-* (oracles.json; "Nash 1950; Kalai-Smorodinsky 1975; Kalai 1977"), tolerance 1e-7.
    #[test]
    fn nbs_oracles() {
        type Case = (
            &'static str,
            fn(f64) -> f64,
            [f64; 2],
            f64,
            [f64; 2],
            [f64; 2],
            [f64; 2],
        );
        let cases: [Case; 5] = [
            (
                "NBS-lin",
                lin,
                [0.2, 0.1],
                0.5,
                [0.5499999918421484, 0.45000000815785157],
                [0.55, 0.44999999999999996],
                [0.9, 0.8],
            ),
            (
                "NBS-lin-asym",
                lin,
                [0.1, 0.2],
                0.7,
                [0.5899999993115691, 0.4100000006884309],
                [0.45, 0.55],
                [0.8, 0.9],
            ),
            (
                "NBS-sqrt",
                sqrt,
                [0.0, 0.0],
                0.5,
                [0.6666666674956334, 0.5773502684717196],
                [0.6180339887498919, 0.6180339887498972],
                [1.0, 1.0],
            ),
            (
                "NBS-sqrt-d",
                sqrt,
                [0.2, 0.1],
                0.5,
                [0.6966129452408714, 0.5508058230984206],
                [0.670971082597055, 0.5736104230250223],
                [0.99, 0.8944271909999159],
            ),
            (
                "NBS-sqrt-asym",
                sqrt,
                [0.0, 0.0],
                0.7,
                [0.8235294125602624, 0.4200840242615013],
                [0.6180339887498919, 0.6180339887498972],
                [1.0, 1.0],
            ),
        ];
        for (id, f, d, alpha, nbs, ks, ideal) in cases {
            let s = solve(f, 1.0, d, alpha).expect("valid problem");
            close(s.nash, nbs, 1e-7, id);
            close(s.kalai_smorodinsky, ks, 1e-7, id);
            close(s.ideal, ideal, 1e-7, id);
            // the exact values where they are known in closed form (the oracle's own NBS carries a
            // golden-section error of ~1e-8)
            if id.starts_with("NBS-lin") {
                close(s.nash, nash_split(d, alpha).expect("valid"), 1e-7, id);
            }
        }
        // exact optima of u1^α (1 − u1)^((1−α)/2): u1 = 2α/(1 + α)
        let s = solve(sqrt, 1.0, [0.0, 0.0], 0.7).expect("valid problem");
        assert!((s.nash[0] - 1.4 / 1.7).abs() < 1e-8);
    }

    /// FEARON-RANGE (oracles.json; "Fearon 1995"): p = 0.6, c_A = 0.1, c_B = 0.15, so the war
    /// values are d = (0.5, 0.25) and the bargaining range for A's share is [0.5, 0.75].
    #[test]
    fn fearon_range() {
        let (p, c_a, c_b) = (0.6, 0.1, 0.15);
        let d = [p - c_a, 1.0 - p - c_b];
        let s = solve(lin, 1.0, d, 0.5).expect("valid problem");
        assert!((s.nash[0] - 0.625).abs() < 1e-7, "numerical NBS {}", s.nash[0]);
        assert!((nash_split(d, 0.5).expect("valid")[0] - 0.625).abs() < 1e-12);
        // take-it-or-leave-it offers: the proposer gets its ideal point, the responder its reservation
        assert!((s.ideal[0] - 0.75).abs() < 1e-12, "A proposes: {}", s.ideal[0]);
        assert!((1.0 - s.ideal[1] - 0.5).abs() < 1e-12, "B proposes");
        assert!((d[0] - 0.5).abs() < 1e-12 && (1.0 - d[1] - 0.75).abs() < 1e-12, "range");
    }

    /// NASHLIM-BRW and NASHLIM-D* limits (oracles.json; "BRW 1986 limit"), tolerance 1e-9.
    #[test]
    fn brw_limits() {
        let x = brw_limit([0.05, 0.1], 0.2, [0.3, 0.1]).expect("valid");
        assert!((x - 0.6181818181818182).abs() < 1e-9, "NASHLIM-BRW {x}");
        let x = brw_limit([0.05, 0.1], 0.0, [0.0, 0.0]).expect("valid");
        assert!((x - 0.6666666666666666).abs() < 1e-9, "NASHLIM-D* {x}");
        // the same limit through the general solver
        let (l, r, b) = (0.2, [0.05, 0.1], [0.3, 0.1]);
        let d = [l * b[0] / (l + r[0]), l * b[1] / (l + r[1])];
        let w = [1.0 / (l + r[0]), 1.0 / (l + r[1])];
        let s = solve(lin, 1.0, d, w[0] / (w[0] + w[1])).expect("valid problem");
        assert!((s.nash[0] - 0.6181818181818182).abs() < 1e-7);
    }

    #[test]
    fn bad_problems_are_rejected_and_boundary_optima_found() {
        assert!(solve(lin, 1.0, [0.6, 0.5], 0.5).is_err(), "d above the frontier");
        assert!(solve(lin, 1.0, [0.2, 0.1], 1.0).is_err());
        assert!(solve(lin, 0.0, [0.2, 0.1], 0.5).is_err());
        assert!(brw_limit([0.0, 0.1], 0.0, [0.0, 0.0]).is_err());
        assert!(
            brw_limit([0.1, 0.1], 1.0, [0.9, 0.9]).is_err(),
            "breakdown beats every split"
        );
        // d1 < 0 and a frontier that ends at u1_max = 0.5: the product still peaks inside
        let s = solve(lin, 0.5, [-1.0, 0.0], 0.5).expect("valid problem");
        assert!((s.ideal[0] - 0.5).abs() < 1e-15 && (s.ideal[1] - 1.0).abs() < 1e-15);
        assert!(
            (s.nash[0] - 0.0).abs() < 1e-7,
            "max of (u1 + 1)(1 − u1) on [0, 0.5] is at 0"
        );
    }
}
