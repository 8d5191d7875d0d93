//! Deadlines and scheduled events, anticipated (`docs/model.md` §9.4).

use armistice::scenario::Scenario;
use armistice::sim::{Outcome, simulate};
use std::path::Path;

fn load(name: &str) -> Scenario {
    Scenario::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios").join(name)).unwrap()
}

fn from_text(text: &str) -> Scenario {
    let dir = std::env::temp_dir().join(format!("armistice-deadlines-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{:016x}.toml", fxhash(text)));
    std::fs::write(&path, text).unwrap();
    Scenario::load(&path).unwrap()
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100000001b3))
}

/// Agreements per round (index = round) and runs still at the table at the start of each round.
fn hazard_counts(s: &Scenario, runs: u64, seed: u64) -> (Vec<u64>, Vec<u64>) {
    let h = s.meta.horizon;
    let (mut deals, mut at_risk) = (vec![0u64; h], vec![0u64; h]);
    for r in 0..runs {
        let rec = simulate(s, seed, r);
        let end = match rec.outcome {
            Outcome::NoAgreement => h,
            _ => rec.round.expect("a round") + 1,
        };
        for t in 0..end.min(h) {
            at_risk[t] += 1;
        }
        if rec.outcome == Outcome::Agreement {
            deals[rec.round.unwrap()] += 1;
        }
    }
    (deals, at_risk)
}

#[test]
fn print_hazards() {
    let s = load("expiring-bonus.toml");
    let (d, n) = hazard_counts(&s, 2000, 11);
    for t in 0..d.len() {
        println!("{t}: {} / {} = {:.3}", d[t], n[t], d[t] as f64 / n[t].max(1) as f64);
    }
    let _ = from_text;
}
