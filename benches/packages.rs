//! Criterion benches of a package space beyond the former limit, `tests/scenarios/big-domain-6x10.toml`
//! (6 issues × 10 options = 10^6 packages): the deterministic solve (`armistice solve`: the first
//! round's equilibrium with the proposers' choices from the live sets, and the baselines), the
//! baselines alone (Nash, Kalai–Smorodinsky, the two-actor Pareto sweep over every package), and
//! whole runs of the simulation (the package set's build, every round's equilibrium, the draws;
//! runs 0 and 6 of seed 7, a run agreeing in round 2 and one in round 6; run 0 again with its
//! package set shared with the earlier runs of a batch, as `armistice run` plays it). Ratios against an
//! earlier build are taken by running this bench on both, side by side.

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
    for (name, run) in [
        ("run 0 of seed 7 (agrees in round 2)", 0u64),
        ("run 6 of seed 7 (round 6)", 6),
    ] {
        g.bench_function(name, |b| {
            b.iter(|| {
                armistice::solve::equilibrium::memo::clear();
                black_box(armistice::sim::simulate(&s, 7, run))
            })
        });
    }
    // a batch's runs share the package set of equal inputs (`model::package::PackageCache`):
    // built once, its live sets kept from run to run, as `armistice run` does
    let cache = armistice::model::package::PackageCache::default();
    g.bench_function("run 0 of seed 7, package set shared with earlier runs", |b| {
        b.iter(|| {
            armistice::solve::equilibrium::memo::clear();
            black_box(armistice::sim::simulate_shared(&s, 7, 0, &cache))
        })
    });
    g.finish();
}

criterion_group!(benches, million_packages);
criterion_main!(benches);
