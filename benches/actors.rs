//! Criterion benches of quota games at temperature 0 (`docs/model.md` §3): the first-round solve of
//! the repro files of issue 15 in `tests/scenarios/`, solved exactly (`eraslan.rs`) at the end of
//! the logit path: three players with unequal discounts (v ∝ 1/δ) and the nine-player symmetric
//! Baron–Ferejohn game. The baseline is the same solve by `armistice solve` of today's main, measured
//! side by side with `/usr/bin/time` (see the branch note).

use armistice::scenario::Scenario;
use armistice::sim::run::{expected_params, first_round, first_round_values};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn exact_solves(c: &mut Criterion) {
    let mut g = c.benchmark_group("quota/first-round solve at temperature 0");
    g.sample_size(10);
    for file in ["majority-hetero-discounts.toml", "bf-n9-q5-d0.99.toml"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios").join(file);
        let s = Scenario::load(&path).expect("scenario loads");
        let p = expected_params(&s);
        g.bench_function(file.trim_end_matches(".toml"), |b| {
            b.iter(|| black_box(first_round(&s, p.clone())))
        });
    }
    g.finish();
}

/// Quota games beyond the coalition listing cap (`docs/model.md` §3, "Coalitions beyond the
/// listing cap"): the first round of run 0 traced along the whole temperature ladder (not
/// memoised: `first_round_values` with start values) for the synthetic 26-actor spatial case
/// (majority 14 of 26, private noise, temperature 0.01; `C(25, 13)` coalitions per package) and
/// the cyclic 17-actor game (quota 10, `C(16, 9)`). Baseline: `armistice solve` of today's main
/// on the same files, side by side with `/usr/bin/time` (see the branch note: it takes minutes
/// and stops above the temperature).
fn many_actors(c: &mut Criterion) {
    let mut g = c.benchmark_group("quota/beyond the coalition cap");
    g.sample_size(10);
    for (file, n) in [("spatial-26-majority.toml", 26), ("cyclic-17-majority.toml", 17)] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios").join(file);
        let s = Scenario::load(&path).expect("scenario loads");
        g.bench_function(format!("first-round trace/{}", file.trim_end_matches(".toml")), |b| {
            b.iter(|| black_box(first_round_values(&s, 1, 0, Some(vec![0.0; n * n]))))
        });
    }
    g.finish();
}

criterion_group!(benches, exact_solves, many_actors);
criterion_main!(benches);
