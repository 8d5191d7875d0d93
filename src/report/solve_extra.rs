//! What `armistice solve` adds to the first round's equilibrium (issue 15): each actor's
//! probability of being in a proposer's coalition, the band durability model's closed forms at
//! the scenario's expected parameters, and the warnings of a solve that did not reach the
//! scenario's temperature or the solver's tolerance.

use crate::scenario::Scenario;
use crate::solve::Choice;
use crate::theory::band::Band;
use serde::Serialize;
use std::fmt::Write;

/// Per actor (file order): the probability that the proposer's offer needs its acceptance,
/// `Σ_z P(offer z) · [actor needed by z]` (0 for the proposer itself, which is not a responder;
/// passing includes nobody). With a quota, the probability of being in the proposer's minimal
/// winning coalition (Baron and Ferejohn 1989).
pub fn inclusion(c: &Choice, n: usize) -> Vec<f64> {
    (0..n)
        .map(|j| {
            c.offers.iter().fold(0.0, |a, o| {
                let drawn = o.coalition.as_ref().and_then(|d| {
                    let pos = d.pool.iter().position(|&i| i == j)?;
                    Some(d.inclusion[pos])
                });
                if o.needed & (1 << j) != 0 {
                    a + o.prob
                } else {
                    a + o.prob * drawn.unwrap_or(0.0)
                }
            })
        })
        .collect()
}

/// The band durability model (`[durability] model = "band"`) at the expected parameters, for a
/// bare deal (no option's `band_widening`): the closed forms of the exit law of Brownian motion
/// with drift from a band (Karlin and Taylor 1981, ch. 15).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BandView {
    /// Balance of power at signature, the band's edges (win probability of the first actor),
    /// drift per year and volatility per √year, all at their means.
    pub balance: f64,
    pub lower: f64,
    pub upper: f64,
    pub drift_per_year: f64,
    pub volatility_per_sqrt_year: f64,
    /// P(war resumes through the upper edge) and through the lower edge (sum 1).
    pub p_exit_upper: f64,
    pub p_exit_lower: f64,
    /// Expected time to renewed war, years and rounds (of the scenario's `round_length`).
    pub expected_years: f64,
    pub expected_rounds: f64,
    /// Survival `P(no renewed war by t)` at each of the `[durability]` report years (and its
    /// `years`), continuous monitoring: `(years, rounds, survival)`.
    pub survival: Vec<(f64, f64, f64)>,
}

/// The band model's closed forms for `s`, if it uses the band model and its expected
/// parameters make a valid band (else `None`; `check` reports invalid bands).
pub fn band_view(s: &Scenario) -> Option<BandView> {
    let d = s.durability.as_ref()?;
    let b = d.band.as_ref()?;
    let (p0, lo, hi, mu, sigma) = (
        b.balance.mean(),
        b.lower.mean(),
        b.upper.mean(),
        b.drift.mean(),
        b.volatility.mean(),
    );
    let band = Band::new(p0, lo, hi, mu, sigma).ok()?;
    let law = band.exit_law();
    let mut years: Vec<f64> = d.report_years.clone();
    if !years.contains(&d.baseline_years) {
        years.push(d.baseline_years);
    }
    years.sort_by(f64::total_cmp);
    let per_round = s
        .meta
        .round_years
        .expect("[durability] needs round_length (validated)")
        .max(f64::MIN_POSITIVE);
    Some(BandView {
        balance: p0,
        lower: lo,
        upper: hi,
        drift_per_year: mu,
        volatility_per_sqrt_year: sigma,
        p_exit_upper: law.p_upper,
        p_exit_lower: law.p_lower,
        expected_years: law.expected_years,
        expected_rounds: law.expected_years / per_round,
        survival: years.iter().map(|&y| (y, y / per_round, band.survival(y))).collect(),
    })
}

/// The band model as text for the terminal (nothing without one).
pub fn render_band(out: &mut String, v: Option<&BandView>, round_length: &str) {
    let Some(b) = v else { return };
    let _ = writeln!(
        out,
        "\nDurability: the band model at the expected parameters, for a bare deal (no band widening)\n  balance {:.4} in band ({:.4}, {:.4}), drift {} per year, volatility {} per √year\n  P(war resumes through the upper edge) {:.4}, through the lower edge {:.4}\n  expected time to renewed war {:.3} years = {:.1} rounds of {round_length}",
        b.balance,
        b.lower,
        b.upper,
        b.drift_per_year,
        b.volatility_per_sqrt_year,
        b.p_exit_upper,
        b.p_exit_lower,
        b.expected_years,
        b.expected_rounds
    );
    for (y, r, sv) in &b.survival {
        let _ = writeln!(out, "  P(no renewed war within {y} years = {r:.1} rounds) {sv:.4}");
    }
}

/// The warnings of a first-round solve: the temperature reached above the scenario's, and the
/// residual above the tolerance (`armistice solve` then exits 1).
pub fn warnings(s: &Scenario, tau: f64, residual: f64, converged: bool) -> Vec<String> {
    let mut w = vec![];
    // (relative slack: the continuation's temperature is exp of a log)
    if tau > s.protocol.temperature * (1.0 + 1e-9) {
        w.push(format!(
            "the logit path could not be followed down to the scenario's temperature {}: the values solve temperature {tau} (the lowest reached); offers are noisier than the scenario says. A higher `temperature` avoids it",
            s.protocol.temperature
        ));
    }
    if !converged || residual > s.protocol.solver_tolerance {
        w.push(format!(
            "the equilibrium residual {residual:.1e} is above the tolerance {:e}: the values are the best the solver reached, not an equilibrium to that tolerance. Try a higher `temperature`, a looser `[protocol] tolerance` (or --tolerance), or fewer near-identical packages",
            s.protocol.solver_tolerance
        ));
    }
    w
}
