//! Criterion benches of a package space beyond the former limit: the deterministic solve
//! (`armistice solve`: the first round's equilibrium with the proposers' choices by the pruned
//! search, and the baselines) and the baselines alone (Nash, Kalai–Smorodinsky, the two-actor
//! Pareto sweep over every package) of `tests/scenarios/big-domain-6x10.toml`, 6 issues × 10
//! options = 10^6 packages. Today's main refuses this file (limit 200,000), so there is no
//! baseline to take a ratio against; `/usr/bin/time -v` figures are in the note of the change.

use armistice::scenario::Scenario;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn big() -> Scenario {
    Scenario::load(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/scenarios/big-domain-6x10.toml"
    )))
    .expect("the 10^6-package domain loads")
}

fn million_packages(c: &mut Criterion) {
    let s = big();
    let mut g = c.benchmark_group("big-domain-6x10 (10^6 packages)");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(20));
    g.bench_function("baselines", |b| {
        b.iter(|| black_box(armistice::solve::baselines::baselines(&s)))
    });
    g.bench_function("solve (first round + baselines)", |b| {
        b.iter(|| black_box(armistice::report::solve::solve_view(&s)))
    });
    g.finish();
}

criterion_group!(benches, million_packages);
criterion_main!(benches);
