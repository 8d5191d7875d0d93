//! Rates and times carry their unit (`docs/model.md` §9.5): a scenario written with units gives
//! the same runs as the same scenario written per round, and changing `round_length` changes the
//! grain of the simulation, not its meaning.

use armistice::scenario::{Dist, Scenario};
use armistice::sim::{Outcome, RunRecord, simulate};
use std::path::Path;

const RATES: &str = include_str!("scenarios/rates-in-time.toml");

fn load(text: &str) -> Scenario {
    Scenario::from_bytes(Path::new("rates-in-time.toml"), text.as_bytes()).unwrap_or_else(|e| panic!("{e}"))
}

fn at(round_length: &str) -> Scenario {
    load(&RATES.replace(
        "round_length = \"1 month\"",
        &format!("round_length = \"{round_length}\""),
    ))
}

/// The scenario of `rates-in-time.toml` written the old way, every number per (monthly) round:
/// the monthly rates lose their unit, the yearly discount is written as its twelfth root, the
/// horizon as a count.
fn per_round_text() -> String {
    let d = 0.9f64.powf(1.0 / 12.0);
    let text = RATES
        .replace("horizon = \"6 months\"", "horizon = 6")
        .replace(
            "discount = { value = 0.9, per = \"year\" }",
            &format!("discount = {d:?}"),
        )
        .replace(", per = \"month\" }", " }");
    // `{ value = x }` → `x`
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("{ value = ") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + "{ value = ".len()..];
        let j = tail.find(" }").expect("closed");
        out.push_str(&tail[..j]);
        rest = &tail[j + 2..];
    }
    out.push_str(rest);
    assert!(!out.contains("per ="), "{out}");
    out
}

fn records(s: &Scenario, runs: u64) -> Vec<RunRecord> {
    (0..runs).map(|r| simulate(s, 5, r)).collect()
}

/// Rates stated per month at monthly rounds, and a yearly discount, give byte-identical run
/// records to the same scenario written per round (the unit is neutral when it is the round
/// length: no number changes and no random word moves), over 300 runs. The same file at weekly
/// rounds gives other records, so the comparison can fail.
#[test]
fn units_at_the_round_length_change_nothing() {
    let with_units = at("1 month");
    let plain = load(&per_round_text());
    let a = records(&with_units, 300);
    assert_eq!(a, records(&plain, 300));
    assert_ne!(a, records(&at("1 week"), 300));
    // and the converted numbers are what the closed forms say
    let w = at("1 week");
    let r = 7.0 / 30.4375;
    assert_eq!(w.actors[1].war_cost, Dist::Fixed(-0.03 * r));
    assert_eq!(w.actors[0].discount, Dist::Fixed(0.9f64.powf(7.0 / 365.25)));
    assert_eq!(w.meta.horizon, 26, "182.6 days / 7 = 26.1 rounds → 26");
}

/// A distribution with a unit is drawn first, then converted: the draw keeps its one random
/// word, and the per-round value is the conversion of the stated-unit draw.
#[test]
fn a_distribution_is_converted_after_the_draw() {
    use rand::SeedableRng;
    let w = at("1 week");
    let cost = &w.actors[0].war_cost;
    let Dist::Converted(base, conv) = cost else {
        panic!("expected a converted distribution, got {cost:?}")
    };
    assert_eq!(**base, Dist::Uniform(0.01, 0.03));
    let mut a = rand_chacha_like(1);
    let mut b = rand_chacha_like(1);
    for _ in 0..50 {
        let x = cost.draw(&mut a);
        let y = base.draw(&mut b);
        assert_eq!(x, conv.apply(y));
        assert!((x - y * 7.0 / 30.4375).abs() < 1e-15);
    }
    // one word per number, as for any distribution
    use rand::Rng;
    assert_eq!(a.next_u64(), b.next_u64());
    fn rand_chacha_like(seed: u64) -> rand::rngs::ChaCha8Rng {
        rand::rngs::ChaCha8Rng::seed_from_u64(seed)
    }
}

/// Share of runs agreeing within `days` of the start, with its standard error.
fn p_within(s: &Scenario, runs: u64, round_days: f64, days: f64) -> (f64, f64) {
    let hits = (0..runs)
        .map(|r| simulate(s, 2025, r))
        .filter(|rec| {
            rec.outcome == Outcome::Agreement && (rec.round.unwrap() as f64 + 1.0) * round_days <= days + 1e-9
        })
        .count();
    let p = hits as f64 / runs as f64;
    (p, (p * (1.0 - p) / runs as f64).sqrt())
}

/// The same scenario at weekly and at monthly rounds gives the same P(agreement within 6 months)
/// up to the discretisation.
///
/// In `rates-in-time.toml` a deal is reached in the round the sanctions event first fires (B
/// gains from the war until then; the event fires at the start of a round, before proposals), so
/// P(agreement within 6 months) = 1 − E[(1 − h)^n], with h ~ U(0.1, 0.2) the monthly hazard and n
/// the months covered by the rounds that end within 6 months: 6 at monthly rounds, 26·7/30.4375 =
/// 5.98 at weekly rounds (26 weeks are 182 days, 6 months 182.6). The discretisation gap is
/// therefore E[(1 − h)^5.98] − E[(1 − h)^6] = 0.0012 (0.6163 against 0.6151 in closed form).
/// The frontline (drift, sd, breakthroughs per month) moves the line but does not decide the
/// deal; per-round acceptance noise and logit passes are set small (0.002) so that they do not
/// add agreements. The tolerance is 4 standard errors of the difference of the two independent
/// estimates plus that gap. Without the conversion the weekly hazard would be the monthly one and
/// the weekly P would be about 1 − 0.85^26 ≈ 0.98: the test fails.
///
/// Measured (`cargo test --release --test units -- --nocapture`, 4,000 runs each): see the
/// printed line.
#[test]
fn weekly_and_monthly_rounds_agree_on_p_within_six_months() {
    let runs = 4_000;
    let (pm, sm) = p_within(&at("1 month"), runs, 30.4375, 182.625);
    let (pw, sw) = p_within(&at("1 week"), runs, 7.0, 182.625);
    let gap = 0.0013;
    let tol = 4.0 * (sm * sm + sw * sw).sqrt() + gap;
    println!("P(agreement within 6 months): monthly {pm:.4} ± {sm:.4}, weekly {pw:.4} ± {sw:.4}, tolerance {tol:.4}");
    assert!((pm - pw).abs() <= tol, "monthly {pm} vs weekly {pw}, tolerance {tol}");
    // each against the closed form 1 − E[(1 − h)^n] (h ~ U(0.1, 0.2))
    let closed = |n: f64| 1.0 - (0.9f64.powf(n + 1.0) - 0.8f64.powf(n + 1.0)) / ((n + 1.0) * 0.1);
    assert!((pm - closed(6.0)).abs() <= 4.0 * sm, "monthly {pm} vs {}", closed(6.0));
    assert!((pw - closed(26.0 * 7.0 / 30.4375)).abs() <= 4.0 * sw, "weekly {pw}");
}
