//! Criterion benches: one run of the reference scenario, with the pinned equilibrium selection
//! and with the cold-start ablation as a baseline measured in the same process (their ratio is
//! the cost of tracing the logit path); one run's parameter draws with one stream word per
//! number (common random numbers) against sampling the same distributions straight from the
//! stream (the ratio is the cost of common random numbers); and 10,000 runs at 1 and 2 threads
//! (the ratio is the parallel speed-up); and the deterministic solve (`armistice solve`) of
//! the classic divisible games: Rubinstein (one exact split per proposer) as the baseline for
//! Baron–Ferejohn with five players and a majority of three (six coalitions per proposer, each
//! with its own split) and for Fearon's screening offer (the closed-form concession); and one run
//! of the reference with the negotiation in time (`docs/model.md` §9: ceasefire, learning,
//! positions, scheduled events) against the same file cut back to the model of §1–8 (the ratio
//! is the per-run cost of §9); and the reference's costliest run of 300 against a typical one
//! (the ratio is what failure handling costs a hard run); and one run of the reference under
//! `selection = "warm"` against the default rule (the ratio is what re-tracing costs).

use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::{Scenario, Selection};
use armistice::sim::simulate;
use armistice::solve::equilibrium::memo;
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
    runs_side_by_side(
        c,
        "reference/one run",
        [
            ("traced (pinned selection)", &traced),
            ("cold start (ablation baseline)", &cold),
        ],
    );
    // the two rules of later rounds (`selection`, docs/model.md §10 rule 7): the ratio is what
    // tracing a changed game again costs
    let mut warm = traced.clone();
    warm.protocol.selection = Selection::Warm;
    runs_side_by_side(
        c,
        "reference/one run, later rounds",
        [
            ("traced again after a changed game (default)", &traced),
            ("warm-started (selection = \"warm\")", &warm),
        ],
    );
}

/// One run of each scenario, side by side in one group (runs 1 to 1,000 in turn, one seed), each
/// from an empty solve memo.
fn runs_side_by_side(c: &mut Criterion, group: &str, cases: [(&str, &Scenario); 2]) {
    let mut g = c.benchmark_group(group);
    for (name, s) in cases {
        let mut r = 0u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                r = (r + 1) % 1_000;
                // a run's own solves, not the memo's answers from an earlier iteration
                memo::clear();
                black_box(simulate(s, 20250819, r))
            })
        });
    }
    g.finish();
}

/// The reference's uncertain numbers drawn as runs draw them (`Dist::draw`: one stream word
/// seeds a private stream per number) and straight from the run's stream (`Dist::sample`, the
/// baseline without common random numbers).
fn parameter_draws(c: &mut Criterion) {
    use rand::SeedableRng;
    let s = reference();
    let dists: Vec<armistice::scenario::Dist> = armistice::analysis::uncertain(&s)
        .expect("parses")
        .into_iter()
        .map(|(_, d)| d)
        .collect();
    let mut g = c.benchmark_group("reference/uncertain numbers of one run");
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(1);
    g.bench_function("Dist::draw (common random numbers)", |b| {
        b.iter(|| dists.iter().map(|d| d.draw(&mut rng)).sum::<f64>())
    });
    g.bench_function("Dist::sample (baseline)", |b| {
        b.iter(|| dists.iter().map(|d| d.sample(&mut rng)).sum::<f64>())
    });
    g.finish();
}

/// The costliest of the reference's first 300 runs at seed 1 (run 147: its last rung fails
/// Anderson, damped iteration, Newton and the small steps four times before the ladder's splits
/// get through; `docs/model.md` §10 "Solving one rung") against a typical run (run 0) as the
/// baseline: their ratio is what the solver's failure handling costs a hard run.
fn one_hard_run(c: &mut Criterion) {
    let s = reference();
    let (hard, typical) = (simulate(&s, 1, 147), simulate(&s, 1, 0));
    eprintln!(
        "solver evaluations: run 147 {}, run 0 {}",
        hard.solver_evals, typical.solver_evals
    );
    let mut g = c.benchmark_group("reference/one hard run");
    g.sample_size(10).warm_up_time(Duration::from_secs(1));
    for (name, run) in [("run 147 of seed 1 (hard)", 147u64), ("run 0 of seed 1 (baseline)", 0)] {
        g.bench_function(name, |b| {
            b.iter(|| {
                memo::clear();
                black_box(simulate(&s, 1, run))
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

fn classic(name: &str) -> Scenario {
    Scenario::load(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/classic")
            .join(name),
    )
    .expect("classic scenario loads")
}

fn divisible_solve(c: &mut Criterion) {
    let mut g = c.benchmark_group("classic/first-round solve");
    for file in ["rubinstein.toml", "baron-ferejohn.toml", "fearon.toml"] {
        let s = classic(file);
        let p = armistice::sim::run::expected_params(&s);
        g.bench_function(file.trim_end_matches(".toml"), |b| {
            b.iter(|| black_box(armistice::sim::run::first_round(&s, p.clone())))
        });
    }
    g.finish();
}

/// The reference scenario's text cut back to the model of `docs/model.md` §1–8: the scheduled
/// events and the ceasefire (the file's last two sections), the learning keys and the `when`
/// conditions removed.
fn reference_without_section_9() -> Scenario {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml");
    let text = std::fs::read_to_string(path).expect("reference scenario");
    let mut cut = text[..text.find("# ── Scheduled events").expect("scheduled events section")].to_string();
    for key in [
        ", drift_sd = 0.015",
        ", drift_sd = 0.010",
        ", strength = 20",
        ", strength = 33",
    ] {
        assert!(cut.contains(key), "{key}");
        cut = cut.replace(key, "");
    }
    let one_line = "when = [{ front = \"territory\", beyond = \"T4\", binding = 0.95 }]\n";
    assert!(cut.contains(one_line));
    cut = cut.replace(one_line, "");
    let start = cut.find("when = [\n").expect("the referendum's conditions");
    let end = start + cut[start..].find("\n]\n").expect("end of the list") + 3;
    cut.replace_range(start..end, "");
    Scenario::from_bytes(Path::new(path), cut.as_bytes()).expect("cut reference loads")
}

fn negotiation_in_time(c: &mut Criterion) {
    let full = reference();
    let cut = reference_without_section_9();
    assert!(full.ceasefire.is_some() && cut.ceasefire.is_none());
    runs_side_by_side(
        c,
        "reference/one run, negotiation in time",
        [
            ("with §9 (ceasefire, learning, positions, events)", &full),
            ("model of §1–8 (baseline)", &cut),
        ],
    );
}

criterion_group!(
    benches,
    one_run,
    one_hard_run,
    parameter_draws,
    ten_thousand_runs,
    divisible_solve,
    negotiation_in_time
);
criterion_main!(benches);
