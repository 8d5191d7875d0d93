//! Ablation: each mechanism of the model switched off in turn, on the same runs.
//!
//! ```sh
//! cargo run --release --example ablation                       # the reference scenario, 2,000 runs
//! cargo run --release --example ablation -- FILE.toml 4000     # another scenario, more runs
//! ```
//!
//! Every variant is the scenario's own text with one mechanism removed (edited with `toml_edit`,
//! then validated like any file) and is simulated with the same seed and run indices, so run r
//! draws the same numbers in every variant except those of the mechanism removed: the
//! differences are common-random-number differences (`docs/model.md` §6). Prints, per variant,
//! P(agreement within the horizon) and P(agreement in round 1) with 95% Wilson intervals, and
//! the median round of agreement.
//!
//! A mechanism the scenario does not use gives the full model again, and is marked "(unused)".

use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::Scenario;
use armistice::stats::Aggregate;
use armistice::stats::summary::Estimate;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use toml_edit::{DocumentMut, Item, value};

/// One mechanism switched off: its name and the edit that removes it from the document.
struct Ablation {
    name: &'static str,
    edit: fn(&mut DocumentMut),
}

/// Every `[[actor]]` table of the document.
fn actors(doc: &mut DocumentMut) -> impl Iterator<Item = &mut toml_edit::Table> {
    doc.get_mut("actor")
        .and_then(Item::as_array_of_tables_mut)
        .into_iter()
        .flat_map(|a| a.iter_mut())
}

const ABLATIONS: &[Ablation] = &[
    Ablation {
        name: "red lines never bind",
        edit: |doc| {
            for a in actors(doc) {
                if let Some(lines) = a.get_mut("red_lines").and_then(Item::as_array_of_tables_mut) {
                    lines.iter_mut().for_each(|l| l["binding"] = value(0.0));
                }
            }
        },
    },
    Ablation {
        name: "beliefs = the scenario's own war dynamics (no mutual optimism)",
        edit: |doc| {
            for a in actors(doc) {
                a.remove("beliefs");
            }
        },
    },
    Ablation {
        name: "private types redrawn every response (no screening)",
        edit: |doc| doc["protocol"]["private_types"] = value("iid"),
    },
    Ablation {
        name: "no private types (noise 0)",
        edit: |doc| {
            for a in actors(doc) {
                a["noise"] = value(0.0);
            }
        },
    },
    Ablation {
        name: "war valued at the current line (anticipation none)",
        edit: |doc| doc["protocol"]["anticipation"] = value("none"),
    },
    Ablation {
        name: "durability not priced into deals",
        edit: |doc| doc["protocol"]["price_durability"] = value(false),
    },
    Ablation {
        name: "talks never break down",
        edit: |doc| doc["protocol"]["breakdown"] = value(0.0),
    },
    Ablation {
        name: "no events",
        edit: |doc| {
            doc.remove("event");
            for a in actors(doc) {
                if let Some(b) = a.get_mut("beliefs").and_then(Item::as_table_like_mut) {
                    // beliefs about events lose their object with them
                    let events: Vec<String> = b
                        .iter()
                        .filter(|(_, v)| v.as_table_like().is_some_and(|t| t.contains_key("hazard")))
                        .map(|(k, _)| k.to_string())
                        .collect();
                    events.iter().for_each(|k| {
                        b.remove(k);
                    });
                }
            }
        },
    },
    Ablation {
        name: "no ratification",
        edit: |doc| {
            doc.remove("ratifier");
        },
    },
];

/// The aggregate of `runs` runs of `text`, or why the text is not a valid scenario.
fn simulate(path: &Path, text: &str, seed: u64, runs: u64) -> Result<Aggregate, String> {
    let s = Scenario::from_bytes(path, text.as_bytes()).map_err(|e| e.to_string())?;
    let opts = RunOptions {
        runs,
        seed,
        threads: None,
        shard: None,
    };
    run_all(&s, opts, &Silent, &AtomicBool::new(false)).map_err(|e| e.to_string())
}

/// `P(agreement) [lo, hi] · P(round 1) [lo, hi] · median round` of an aggregate.
fn describe(a: &Aggregate) -> String {
    let agreed: u64 = a.agreement_round.iter().sum();
    let all = Estimate::new(agreed, a.runs);
    let first = Estimate::new(a.agreement_round.first().copied().unwrap_or(0), a.runs);
    let mut seen = 0;
    let median = a.agreement_round.iter().position(|&k| {
        seen += k;
        agreed > 0 && 2 * seen >= agreed
    });
    let pct = |e: Estimate| {
        format!(
            "{:5.1}% [{:4.1}, {:4.1}]",
            100.0 * e.p,
            100.0 * e.ci_low,
            100.0 * e.ci_high
        )
    };
    format!(
        "{}   {}   {}",
        pct(all),
        pct(first),
        median.map_or("—".into(), |r| format!("{}", r + 1))
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = PathBuf::from(
        args.next()
            .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/ukraine-2025-08.toml").into()),
    );
    let runs: u64 = args.next().and_then(|r| r.parse().ok()).unwrap_or(2_000);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("error: cannot read {}: {e}", path.display());
        std::process::exit(1)
    });
    let base = Scenario::from_bytes(&path, text.as_bytes()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    let seed = base.simulation.seed;
    println!("{} · {runs} runs · seed {seed}\n", path.display());
    let head = ["variant", "P(agreement)", "P(agreement, rd 1)", "median round"];
    println!("{:<64} {:<20} {:<20} {}", head[0], head[1], head[2], head[3]);
    let full = simulate(&path, &text, seed, runs).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    println!("{:<64} {}", "full model", describe(&full));
    let without_sweeps = || {
        let mut doc: DocumentMut = text.parse().expect("a valid scenario is valid TOML");
        doc.remove("sweep");
        doc
    };
    let unchanged = without_sweeps().to_string();
    for ab in ABLATIONS {
        let mut doc = without_sweeps();
        (ab.edit)(&mut doc);
        let edited = doc.to_string();
        let unused = if edited == unchanged { " (unused)" } else { "" };
        let label = format!("{}{unused}", ab.name);
        match simulate(&path, &edited, seed, runs) {
            Ok(a) => println!("{label:<64} {}", describe(&a)),
            Err(e) => println!("{label:<64} not run: {}", e.lines().next().unwrap_or("")),
        }
    }
}
