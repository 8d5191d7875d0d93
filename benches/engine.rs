//! Criterion benches: one run of the reference scenario, with the pinned equilibrium selection
//! and with the cold-start ablation as a baseline measured in the same process (their ratio is
//! the cost of tracing the logit path); and 10,000 runs at 1 and 2 threads (the ratio is the
//! parallel speed-up).

use armistice::scenario::{Scenario, Selection};
use armistice::sim::runner::{RunOptions, Silent, run_all};
use armistice::sim::simulate;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

fn reference() -> Scenario {
    Scenario::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/ukraine-2025-08.toml"
    )))
    .expect("reference scenario loads")
}

fn one_run(c: &mut Criterion) {
    let traced = reference();
    let mut cold = traced.clone();
    cold.protocol.selection = Selection::Cold;
    let mut g = c.benchmark_group("reference/one run");
    for (name, s) in [
        ("traced (pinned selection)", &traced),
        ("cold start (ablation baseline)", &cold),
    ] {
        let mut r = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                r = (r + 1) % 1_000;
                black_box(simulate(s, 20250819, r))
            })
        });
    }
    g.finish();
}

fn ten_thousand_runs(c: &mut Criterion) {
    let s = reference();
    let cancel = AtomicBool::new(false);
    let mut g = c.benchmark_group("reference/10000 runs");
    g.sample_size(10)
        .measurement_time(Duration::from_secs(60))
        .warm_up_time(Duration::from_secs(1));
    for threads in [1usize, 2] {
        g.bench_function(format!("{threads} thread(s)"), |b| {
            b.iter(|| {
                black_box(
                    run_all(
                        &s,
                        RunOptions {
                            runs: 10_000,
                            seed: 20250819,
                            threads: Some(threads),
                            shard: None,
                        },
                        &Silent,
                        &cancel,
                    )
                    .expect("not cancelled"),
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, one_run, ten_thousand_runs);
criterion_main!(benches);
