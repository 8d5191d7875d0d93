//! No input makes the program panic: arbitrary bytes and arbitrary mutations of valid scenarios
//! always give a scenario or an error (and a mutated scenario that loads simulates), any command
//! line parses or is refused, and any edit of a shard file is read, refused or merged (bounded
//! case counts keep this fast in CI).
//!
//! The long run (issue 14), once, in release:
//! `PROPTEST_CASES=1000000 cargo test --release --test fuzz -- --test-threads=1`
//! (PROPTEST_CASES overrides the per-test counts below).

use armistice::scenario::Scenario;
use proptest::prelude::*;
use std::path::Path;

const SEEDS: [&str; 3] = [
    include_str!("../scenarios/classic/two-party-toy.toml"),
    include_str!("../scenarios/template.toml"),
    include_str!("../scenarios/ukraine-2025-08.toml"),
];

/// Cases per property: 256, or PROPTEST_CASES for a long run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}

fn load(bytes: &[u8]) {
    // Ok or Err are both fine; a panic fails the test. A loaded scenario must also render.
    if let Err(e) = Scenario::from_bytes(Path::new("fuzz.toml"), bytes) {
        let _ = e.to_string();
    }
}

/// One edit of a valid file: delete, duplicate or replace a byte range, or swap in a token that
/// is likely to break types and domains.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Replace(usize, usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    let token = prop_oneof![
        Just("-1".to_string()),
        Just("1e308".to_string()),
        Just("nan".to_string()),
        Just("\"x\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        Just("{ normal = [0, 0] }".to_string()),
        Just("{ uniform = [2, 1] }".to_string()),
        Just("\n[[actor]]\n".to_string()),
        Just("\n[[issue]]\nid = \"z\"\n".to_string()),
        Just("=".to_string()),
        Just("\u{e9}".to_string()),
        Just("1e300".to_string()),
        Just("-1e300".to_string()),
        Just("1e-300".to_string()),
        Just("99999999999999999999999".to_string()),
        Just("{ lognormal = [0, 800] }".to_string()),
        Just("\"..\"".to_string()),
        Just("\"a/../../b\"".to_string()),
        Just("\"\\u001b[31m\"".to_string()),
        Just("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_string()),
        Just("\n[protocol]\n".to_string()),
        Just("\n[[sweep]]\nid = \"s\"\nset = [\"actor.A.war_cost=0..1:3\"]\n".to_string()),
        "[a-z_]{1,8}",
        "[ -~]{0,12}",
    ];
    prop_oneof![
        (any::<usize>(), 0usize..40).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), token.clone()).prop_map(|(a, t)| Edit::Insert(a, t)),
        (any::<usize>(), 0usize..12, token).prop_map(|(a, n, t)| Edit::Replace(a, n, t)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> Vec<u8> {
    let mut b = text.as_bytes().to_vec();
    for e in edits {
        let len = b.len().max(1);
        match e {
            Edit::Delete(a, n) => {
                let a = a % len;
                let end = (a + n).min(b.len());
                b.drain(a.min(b.len())..end);
            }
            Edit::Insert(a, t) => {
                let a = a % (b.len() + 1);
                b.splice(a..a, t.bytes());
            }
            Edit::Replace(a, n, t) => {
                let a = (a % len).min(b.len());
                let end = (a + n).min(b.len());
                b.splice(a..end, t.bytes());
            }
        }
    }
    b
}

/// Loads the bytes and, if they make a scenario, simulates two runs of it (a panic fails; an
/// unconverged run is an error, not a fault).
fn load_and_run(bytes: &[u8]) {
    if let Ok(s) = Scenario::from_bytes(Path::new("fuzz.toml"), bytes) {
        let opts = armistice::runner::RunOptions {
            runs: 2,
            seed: 7,
            threads: Some(1),
            shard: None,
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        if let Ok(agg) = armistice::runner::run_all(&s, opts, &armistice::runner::Silent, &cancel) {
            let summary = armistice::stats::Summary::new(&s, &agg, 7);
            let _ = armistice::report::csv::summary_csv(&summary);
        }
    }
}

#[allow(dead_code, unreachable_pub)]
#[path = "../src/cli.rs"]
mod cli;

/// Command-line words: commands, options, values that are wrong in every way.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "run",
            "check",
            "new",
            "sweep",
            "tornado",
            "compare",
            "batch",
            "explain",
            "solve",
            "merge",
            "schema",
            "completions",
            "--runs",
            "--seed",
            "--threads",
            "--out",
            "--no-charts",
            "--quiet",
            "-q",
            "--per-run",
            "--watch",
            "--shard",
            "--set",
            "--stat",
            "--id",
            "--top",
            "--percentiles-only",
            "--run",
            "--json",
            "--force",
            "--deny-warnings",
            "--help",
            "--version",
            "-1",
            "0",
            "1",
            "-5",
            "18446744073709551616",
            "1/0",
            "3/2",
            "0/4",
            "x/y",
            "/",
            "--",
            "",
            "bash",
            "zsh",
            "a.toml",
            "PATH=1..2:3",
            "actor.A.war_cost=0..1:0",
            "agreement-within:-1",
        ])
        .prop_map(str::to_string),
        "[ -~]{0,10}",
        "\\PC{0,6}",
    ]
}

/// A shard file of the two-party toy (made once).
fn shard_text() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let s = Scenario::from_bytes(Path::new("toy.toml"), SEEDS[0].as_bytes()).unwrap();
        let shard = armistice::runner::Shard { index: 1, count: 2 };
        let opts = armistice::runner::RunOptions {
            runs: 20,
            seed: 3,
            threads: Some(1),
            shard: Some(shard),
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        let agg = armistice::runner::run_all(&s, opts, &armistice::runner::Silent, &cancel).unwrap();
        armistice::report::shard::AggregateFile::new(&s, 3, 20, Some(shard), agg).to_json()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_load_and_run_without_panic(which in 0usize..2, edits in proptest::collection::vec(edit(), 1..4)) {
        load_and_run(&apply(SEEDS[which], &edits));
    }

    #[test]
    fn any_command_line_parses_or_is_refused(words in proptest::collection::vec(word(), 0..6)) {
        use clap::Parser;
        let args = std::iter::once("armistice".to_string()).chain(words);
        if let Err(e) = cli::Cli::try_parse_from(args) {
            let _ = e.to_string();
        }
    }

    #[test]
    fn edited_shards_are_read_or_refused(edits in proptest::collection::vec(edit(), 1..3)) {
        let bytes = apply(shard_text(), &edits);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shard-1-of-2.json");
        std::fs::write(&path, &bytes).unwrap();
        if let Ok(f) = armistice::report::shard::AggregateFile::read(&path) {
            let files = vec![(path.clone(), f.clone()), (path, f)];
            let _ = armistice::report::shard::merge(&files);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        load(&bytes);
    }

    #[test]
    fn mutated_scenarios_never_panic(which in 0usize..3, edits in proptest::collection::vec(edit(), 1..4)) {
        load(&apply(SEEDS[which], &edits));
    }
}

#[test]
fn the_command_line_definition_is_well_formed() {
    <cli::Cli as clap::CommandFactory>::command().debug_assert();
}
