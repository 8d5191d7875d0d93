//! The commitment problem under a one-shot power shift (Powell 2006, IO 60(1)).
//!
//! Two actors, A and B, split a pie of 1 per round with common discount factor δ. A wins a war
//! with probability `p0` until the shift, which happens after `s ≥ 1` rounds, and with `p1`
//! from then on. War is absorbing and costs `k_A`, `k_B` per round, so in per-round units
//! (present values times `1 − δ`) A's reservation value at power `p` is `p − k_A` and B's is
//! `1 − p − k_B`.
//!
//! The declining side fights now iff its war value at the current balance exceeds the most it
//! can be promised in a deal: the whole pie until the shift, and afterwards no more than the
//! rising side must concede to keep the peace. With A rising (`p1 ≥ p0`), that is
//!
//! - under any bargaining protocol, after the shift A accepts no less than its war value, so B
//!   gets at most `1 − p1 + k_A`: war in every equilibrium iff
//!   `1 − p0 − k_B > (1 − δ^s) + δ^s (1 − p1 + k_A)`, i.e. `p1 > (p0 + k_B)/δ^s + k_A`;
//! - if the rising side makes all offers, B gets only its reservation value `1 − p1 − k_B`
//!   after the shift: war iff `p1 > (p0 + k_B (1 − δ^s))/δ^s`.
//!
//! With A declining (`p1 < p0`) the roles swap: the same conditions hold for B's win
//! probabilities `1 − p0`, `1 − p1` and the costs exchanged.

use super::{InputError, check};
use serde::Serialize;

/// Which actor's power grows at the shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Side {
    /// `p1 ≥ p0`: A is rising, B declining.
    A,
    /// `p1 < p0`: B is rising, A declining.
    B,
}

/// The outcome of the commitment-problem test. All values are per round (present values
/// times `1 − δ`), in units of the pie.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CommitmentTest {
    /// The rising side. Thresholds below are on A's post-shift win probability `p1`: war iff
    /// `p1 > threshold` when A rises, iff `p1 < threshold` when B rises.
    pub rising: Side,
    /// The declining side's reservation value now (`1 − p0 − k_B` when A rises).
    pub declining_war_value: f64,
    /// The most the declining side can be promised under any protocol:
    /// `(1 − δ^s) + δ^s (1 − p1 + k_A)` when A rises.
    pub most_promised_any_protocol: f64,
    /// War in every subgame-perfect equilibrium: `declining_war_value > most_promised_any_protocol`.
    pub war_in_every_equilibrium: bool,
    /// The bound on `p1` for war in every equilibrium: `(p0 + k_B)/δ^s + k_A` when A rises.
    pub p1_threshold_any_protocol: f64,
    /// The most the declining side gets when the rising side makes all offers:
    /// `(1 − δ^s) + δ^s (1 − p1 − k_B)` when A rises.
    pub most_promised_rising_offers: f64,
    /// War when the rising side makes all offers: `declining_war_value > most_promised_rising_offers`.
    pub war_if_rising_makes_all_offers: bool,
    /// The bound on `p1` for war when the rising side makes all offers:
    /// `(p0 + k_B (1 − δ^s))/δ^s` when A rises.
    pub p1_threshold_rising_offers: f64,
}

/// Tests whether the declining side prefers war now to every deal the rising side could credibly
/// promise (Powell 2006, the one-shot shift of §2, with normalised per-round war costs).
///
/// Inputs: common discount factor `delta` in (0, 1); A's win probabilities `p0` before and `p1`
/// after the shift, in [0, 1]; per-round war costs `k_a`, `k_b` ≥ 0 (pie units); the shift happens
/// after `shift_rounds` ≥ 1 rounds.
///
/// # Errors
/// [`InputError`] naming the first input outside its range.
///
/// # Example
/// ```
/// use armistice::theory::powell::commitment_test;
/// let t = commitment_test(0.9, 0.4, 0.7, 0.05, 0.05, 1).expect("valid inputs");
/// assert!(t.war_in_every_equilibrium);
/// assert!((t.p1_threshold_any_protocol - 0.55).abs() < 1e-12);
/// ```
pub fn commitment_test(
    delta: f64,
    p0: f64,
    p1: f64,
    k_a: f64,
    k_b: f64,
    shift_rounds: u32,
) -> Result<CommitmentTest, InputError> {
    check("discount factor δ", delta, delta > 0.0 && delta < 1.0, "0 < δ < 1")?;
    check("win probability p0", p0, (0.0..=1.0).contains(&p0), "0 ≤ p0 ≤ 1")?;
    check("win probability p1", p1, (0.0..=1.0).contains(&p1), "0 ≤ p1 ≤ 1")?;
    check("war cost k_A", k_a, k_a >= 0.0, "k_A ≥ 0 (per round, pie units)")?;
    check("war cost k_B", k_b, k_b >= 0.0, "k_B ≥ 0 (per round, pie units)")?;
    check("shift round s", f64::from(shift_rounds), shift_rounds >= 1, "s ≥ 1")?;
    let ds = delta.powf(f64::from(shift_rounds));
    if p1 >= p0 {
        return Ok(rising_side_test(ds, p0, p1, k_a, k_b, Side::A));
    }
    // B is rising: its win probabilities are 1 − p, and the costs swap roles
    let t = rising_side_test(ds, 1.0 - p0, 1.0 - p1, k_b, k_a, Side::B);
    Ok(CommitmentTest {
        p1_threshold_any_protocol: 1.0 - t.p1_threshold_any_protocol,
        p1_threshold_rising_offers: 1.0 - t.p1_threshold_rising_offers,
        ..t
    })
}

/// The test from the rising side's viewpoint: `q0 → q1` its win probabilities, `k_r` its cost,
/// `k_d` the declining side's, `ds = δ^s`.
fn rising_side_test(ds: f64, q0: f64, q1: f64, k_r: f64, k_d: f64, rising: Side) -> CommitmentTest {
    let declining_war_value = 1.0 - q0 - k_d;
    let most_promised_any_protocol = (1.0 - ds) + ds * (1.0 - q1 + k_r);
    let most_promised_rising_offers = (1.0 - ds) + ds * (1.0 - q1 - k_d);
    CommitmentTest {
        rising,
        declining_war_value,
        most_promised_any_protocol,
        war_in_every_equilibrium: declining_war_value > most_promised_any_protocol,
        p1_threshold_any_protocol: (q0 + k_d) / ds + k_r,
        most_promised_rising_offers,
        war_if_rising_makes_all_offers: declining_war_value > most_promised_rising_offers,
        p1_threshold_rising_offers: (q0 + k_d * (1.0 - ds)) / ds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// POWELL-1..3 (oracles.json, "Powell 2006 (one-shot shift, normalized costs; derived)"):
    /// δ = 0.9, p0 = 0.4, k_A = k_B = 0.05, one round to the shift.
    #[test]
    fn powell_oracles() {
        for (id, p1, war_any, war_rising) in [
            ("POWELL-1", 0.7, true, true),
            ("POWELL-2", 0.5, false, true),
            ("POWELL-3", 0.44, false, false),
        ] {
            let t = commitment_test(0.9, 0.4, p1, 0.05, 0.05, 1).expect("valid inputs");
            assert_eq!(t.rising, Side::A, "{id}");
            assert_eq!(t.war_in_every_equilibrium, war_any, "{id}");
            assert_eq!(t.war_if_rising_makes_all_offers, war_rising, "{id}");
            assert!((t.p1_threshold_any_protocol - 0.5499999999999999).abs() < 1e-12, "{id}");
            assert!((t.p1_threshold_rising_offers - 0.45).abs() < 1e-12, "{id}");
            assert!((t.declining_war_value - 0.55).abs() < 1e-12, "{id}");
        }
    }

    #[test]
    fn the_booleans_agree_with_the_thresholds_off_the_boundary() {
        for s in 1..4 {
            for i in 0..=100 {
                let p1 = f64::from(i) / 100.0;
                let t = commitment_test(0.85, 0.3, p1, 0.02, 0.07, s).expect("valid inputs");
                // war iff p1 is beyond the threshold, on the rising side's side of it
                let beyond = |threshold: f64| {
                    if t.rising == Side::A {
                        p1 > threshold
                    } else {
                        p1 < threshold
                    }
                };
                if (p1 - t.p1_threshold_any_protocol).abs() > 1e-9 {
                    assert_eq!(
                        t.war_in_every_equilibrium,
                        beyond(t.p1_threshold_any_protocol),
                        "s={s} p1={p1}"
                    );
                }
                if (p1 - t.p1_threshold_rising_offers).abs() > 1e-9 {
                    assert_eq!(
                        t.war_if_rising_makes_all_offers,
                        beyond(t.p1_threshold_rising_offers),
                        "s={s} p1={p1}"
                    );
                }
                // when the rising side proposes, the declining side is promised less, so war is likelier
                assert!(t.most_promised_rising_offers <= t.most_promised_any_protocol);
            }
        }
    }

    #[test]
    fn a_declining_mirrors_b_declining() {
        for (p0, p1, k_a, k_b, s) in [
            (0.6, 0.3, 0.05, 0.02, 1),
            (0.6, 0.5, 0.01, 0.08, 2),
            (0.9, 0.2, 0.0, 0.1, 3),
        ] {
            let a = commitment_test(0.9, p0, p1, k_a, k_b, s).expect("valid inputs");
            let b = commitment_test(0.9, 1.0 - p0, 1.0 - p1, k_b, k_a, s).expect("valid inputs");
            assert_eq!((a.rising, b.rising), (Side::B, Side::A));
            assert_eq!(a.war_in_every_equilibrium, b.war_in_every_equilibrium);
            assert_eq!(a.war_if_rising_makes_all_offers, b.war_if_rising_makes_all_offers);
            assert!((a.p1_threshold_any_protocol - (1.0 - b.p1_threshold_any_protocol)).abs() < 1e-12);
            assert!((a.p1_threshold_rising_offers - (1.0 - b.p1_threshold_rising_offers)).abs() < 1e-12);
            assert!((a.declining_war_value - b.declining_war_value).abs() < 1e-12);
            assert!((a.most_promised_any_protocol - b.most_promised_any_protocol).abs() < 1e-12);
            // with A declining, war iff p1 falls below the threshold
            assert_eq!(a.war_in_every_equilibrium, p1 < a.p1_threshold_any_protocol);
        }
    }

    #[test]
    fn no_shift_no_war_and_bad_inputs_are_named() {
        let t = commitment_test(0.9, 0.4, 0.4, 0.05, 0.05, 1).expect("valid inputs");
        assert!(!t.war_in_every_equilibrium && !t.war_if_rising_makes_all_offers);
        let e = commitment_test(1.0, 0.4, 0.7, 0.05, 0.05, 1).expect_err("δ = 1 is rejected");
        assert_eq!(e.to_string(), "invalid discount factor δ = 1: expected 0 < δ < 1");
        assert!(commitment_test(0.9, 0.4, 0.7, 0.05, 0.05, 0).is_err());
        assert!(commitment_test(0.9, 0.4, f64::NAN, 0.05, 0.05, 1).is_err());
    }
}
