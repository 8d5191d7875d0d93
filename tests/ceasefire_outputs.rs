//! The outputs of a ceasefire (`docs/model.md` §9.1) for a scenario that declares one: the
//! terminal table, `summary.csv`, the report's section, `runs.csv`'s columns and `explain`'s
//! narration; and none of it for a scenario that does not.

use armistice::report::explain::{ceasefire_of, explain, offer_label};
use armistice::report::runs::RunsCsv;
use armistice::report::{Manifest, ceasefire, csv, document, table};
use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::Scenario;
use armistice::sim::run::CEASEFIRE_ID;
use armistice::sim::simulate;
use armistice::stats::Summary;
use std::path::Path;
use std::sync::atomic::AtomicBool;

const TOY: &str = include_str!("scenarios/ceasefire-toy.toml");
const MARK: &str = "# ── Ceasefire (docs/model.md §9.1)";

fn scenario(text: &str) -> Scenario {
    Scenario::from_bytes(Path::new("ceasefire-toy.toml"), text.as_bytes()).expect("valid test scenario")
}

fn toy() -> Scenario {
    scenario(TOY)
}

/// The toy without its `[ceasefire]` table.
fn toy_without() -> Scenario {
    scenario(&TOY[..TOY.find(MARK).expect("marked")])
}

fn summary(s: &Scenario, runs: u64) -> Summary {
    let opts = RunOptions {
        runs,
        seed: 1,
        threads: None,
        shard: None,
    };
    let agg = run_all(s, opts, &Silent, &AtomicBool::new(false)).expect("runs");
    Summary::new(s, &agg, 1)
}

fn manifest() -> Manifest {
    Manifest {
        tool: "armistice".into(),
        version: "test".into(),
        scenario_file: "ceasefire-toy.toml".into(),
        scenario_sha256: "0".into(),
        seed: 1,
        runs: 300,
        threads: 1,
        wall_time_seconds: 0.0,
        command: "armistice run ceasefire-toy.toml".into(),
        shards: None,
    }
}

#[test]
fn the_terminal_table_shows_the_ceasefire_rows_only_when_declared() {
    let s = summary(&toy(), 300);
    let c = s.ceasefire.as_ref().expect("declared");
    let text = table::render(&s, "out");
    for t in [3, 6, 12, 24] {
        let e = c.ceasefire_by(t).expect("within the horizon");
        let line = text
            .lines()
            .find(|l| l.contains(&format!("P(ceasefire within {t} rounds)")))
            .unwrap_or_else(|| panic!("row for {t} rounds in\n{text}"));
        assert!(line.contains(&table::estimate(&e, s.runs)), "{line}");
    }
    for row in [
        "median round of the first ceasefire",
        "most likely ceasefire terms",
        "P(ceasefire collapses within 12 rounds | ceasefire)",
        "settlements signed under a ceasefire",
        "median rounds from ceasefire to settlement",
    ] {
        assert!(text.contains(row), "{row} missing in\n{text}");
    }
    let top = &c.terms[0];
    assert!(text.contains(&format!("{}: {}", top.terms, table::estimate(&top.estimate, s.runs))));
    // every existing statistic is still there, under its own name
    assert!(text.contains("P(agreement within 6 rounds)"));
    assert!(text.contains("median round of agreement"));

    let plain = table::render(&summary(&toy_without(), 100), "out");
    // (the toy's title names a ceasefire; nothing else may)
    let body = plain.split_once('\n').expect("title line").1;
    assert!(!body.to_lowercase().contains("ceasefire"), "{plain}");
}

#[test]
fn summary_csv_rows_match_the_statistics() {
    let s = summary(&toy(), 300);
    let c = s.ceasefire.as_ref().expect("declared");
    let rows = csv::summary_rows(&s);
    let of = |stat: &str| rows.iter().filter(|r| r.statistic == stat).collect::<Vec<_>>();
    let within = of("ceasefire_within_rounds");
    assert_eq!(within.len(), s.horizon);
    for (r, w) in within.iter().zip(&c.ceasefire_within) {
        assert_eq!(r.key, w.round.to_string());
        assert!((r.value.parse::<f64>().unwrap() - w.estimate.p).abs() < 1e-6);
        assert!((r.ci_low.unwrap() - w.estimate.ci_low).abs() < 1e-6);
    }
    let median = of("median_round_of_ceasefire");
    assert_eq!(median.len(), 1);
    assert_eq!(median[0].value, c.median_round_of_ceasefire.unwrap().to_string());
    let terms = of("ceasefire_terms_share_of_first_ceasefires");
    assert_eq!(terms.len(), c.terms.len());
    let shares: f64 = terms.iter().map(|r| r.value.parse::<f64>().unwrap()).sum();
    assert!(
        (shares - 1.0).abs() < 1e-5,
        "shares of first ceasefires sum to 1: {shares}"
    );
    let collapse = of("collapse_within_rounds_given_ceasefire");
    let km12 = c.collapse_by(12).unwrap();
    let r12 = collapse.iter().find(|r| r.key == "12").expect("12 rounds");
    assert_eq!(r12.value.parse::<f64>().unwrap(), km12.p.unwrap());
    assert_eq!((r12.ci_low, r12.ci_high), (km12.ci_low, km12.ci_high));
    assert_eq!(of("settled_in_ceasefire_share_of_agreements").len(), 1);
    assert_eq!(of("median_rounds_ceasefire_to_settlement").len(), 1);
    let phases = of("phase_share_of_runs");
    assert_eq!(phases.len(), 4 * s.horizon);
    // the four phases of a round add up to every run
    for t in 1..=s.horizon {
        let sum: f64 = phases
            .iter()
            .filter(|r| r.key.starts_with(&format!("{t}=")))
            .map(|r| r.value.parse::<f64>().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-5, "round {t}: {sum}");
    }
    // the existing rows come first, unchanged in name and order
    assert_eq!(rows[0].statistic, "runs");
    let plain = csv::summary_rows(&summary(&toy_without(), 100));
    assert!(
        plain
            .iter()
            .all(|r| !r.statistic.contains("ceasefire") && r.statistic != "phase_share_of_runs")
    );
}

#[test]
fn the_report_has_a_ceasefire_and_settlement_section() {
    let s = summary(&toy(), 300);
    let c = s.ceasefire.as_ref().expect("declared");
    let m = manifest();
    let md = document::markdown(&s, &m, &["outcomes", "phases"]);
    let headline = ceasefire::headline(&s, c);
    let cf = &c.ceasefire_within.last().unwrap().estimate;
    let settled = &s.outcomes[0].estimate;
    assert!(headline.starts_with("Within 24 months, "), "{headline}");
    assert!(headline.contains(&format!(
        "{} (95% interval {}–{}) of the simulated negotiations reached a ceasefire",
        table::pct(cf.p, s.runs),
        table::pct(cf.ci_low, s.runs).trim_end_matches('%'),
        table::pct(cf.ci_high, s.runs)
    )));
    assert!(headline.contains(&format!("{} (95% interval", table::pct(settled.p, s.runs))));
    let section = &md[md.find("## Ceasefire and settlement").expect("section")..md.find("## Charts").expect("charts")];
    assert!(section.contains(&headline));
    assert!(section.contains("| Within | P(ceasefire) | P(settlement) |"));
    assert!(section.contains("| 12 rounds (12 months) |"));
    assert!(section.contains("Median round of the first ceasefire"));
    assert!(section.contains("![Where the runs stand, round by round](charts/phases.png)"));
    // the phase chart is drawn in its section, not again among the charts
    assert_eq!(md.matches("charts/phases.png").count(), 1);

    let svgs = vec![
        ("outcomes", "<svg>outcomes</svg>".to_string()),
        ("phases", "<svg>phases</svg>".to_string()),
    ];
    let html = document::html(&s, &m, &svgs);
    let at = html.find("<h2>Ceasefire and settlement</h2>").expect("section");
    let phases = html.find("<svg>phases</svg>").expect("figure");
    let charts = html.find("<h2>Charts</h2>").expect("charts");
    assert!(at < phases && phases < charts);
    assert!(html.contains("Figure 1 · charts/phases.png"));
    assert!(html.contains("Figure 2 · charts/outcomes.png"));

    let plain = summary(&toy_without(), 100);
    let md = document::markdown(&plain, &m, &["outcomes"]);
    assert!(!md.contains("Ceasefire and settlement"));
}

#[test]
fn runs_csv_has_the_ceasefire_columns_only_when_declared() {
    let s = toy();
    let mut w = RunsCsv::new(vec![], &s).unwrap();
    let recs: Vec<_> = (0..60).map(|r| simulate(&s, 1, r)).collect();
    for r in &recs {
        w.write(&s, r).unwrap();
    }
    let text = String::from_utf8(w.finish().unwrap()).unwrap();
    let mut rd = ::csv::Reader::from_reader(text.as_bytes());
    let head = rd.headers().unwrap().clone();
    let n = head.len();
    assert_eq!(
        head.iter().skip(n - 4).collect::<Vec<_>>(),
        [
            "solver_evaluations",
            "ceasefire_round",
            "ceasefire_terms",
            "ceasefire_collapses"
        ]
    );
    let cf = s.ceasefire.as_ref().unwrap();
    let mut seen = 0;
    for (row, r) in rd.records().zip(&recs) {
        let row = row.unwrap();
        let c = r.ceasefire.as_ref().unwrap();
        assert_eq!(
            &row[n - 3],
            c.first_round.map_or(String::new(), |t| (t + 1).to_string())
        );
        assert_eq!(&row[n - 2], c.first_package.map_or(String::new(), |p| cf.label(p)));
        assert_eq!(&row[n - 1], c.collapses.to_string());
        seen += usize::from(c.first_round.is_some());
    }
    assert!(seen > 0, "some of the 60 runs sign a ceasefire");

    let plain = toy_without();
    let w = RunsCsv::new(vec![], &plain).unwrap();
    let head = String::from_utf8(w.finish().unwrap()).unwrap();
    assert!(head.trim_end().ends_with(",solver_evaluations"), "{head}");
}

#[test]
fn ceasefire_offer_ids_are_labelled_without_panicking() {
    let s = toy();
    assert_eq!(ceasefire_of(CEASEFIRE_ID | 1), Some(1));
    assert_eq!(ceasefire_of(5), None);
    assert_eq!(offer_label(&s, CEASEFIRE_ID | 1), "ceasefire (observers)");
    assert_eq!(offer_label(&s, CEASEFIRE_ID), "ceasefire (none)");
    // an id beyond the ceasefire packages, or in a scenario without any, still reads
    assert_eq!(offer_label(&s, CEASEFIRE_ID | 7), "ceasefire package 7");
    assert_eq!(offer_label(&toy_without(), CEASEFIRE_ID), "ceasefire package 0");
    assert_eq!(offer_label(&s, 0), "B0 · R0");
    // the settlement decoder takes such an id without panicking
    let _ = armistice::model::package::label(&s, CEASEFIRE_ID | 1);
}

/// `explain` tells every ceasefire the run signed and every collapse, marks the ceasefire rounds
/// and reports no war step while a ceasefire holds.
#[test]
fn explain_narrates_the_ceasefires_of_a_run() {
    // the frozen-conflict test scenario: a bare ceasefire that collapses often enough
    let s = Scenario::from_bytes(
        Path::new("frozen-conflict.toml"),
        include_str!("scenarios/frozen-conflict.toml").as_bytes(),
    )
    .expect("valid test scenario");
    let (mut signed, mut collapsed) = (0, 0);
    for run in 0..80 {
        let (text, rec) = explain(&s, 1, run);
        let c = rec.ceasefire.as_ref().expect("declared");
        assert_eq!(
            text.matches("  Ceasefire signed").count(),
            c.signed,
            "run {run}:\n{text}"
        );
        assert_eq!(
            text.matches("The ceasefire collapsed at the end of the round").count(),
            c.collapses,
            "run {run}:\n{text}"
        );
        assert!(text.contains("Ceasefires in this run: "));
        // a war step is told only in rounds at war
        for para in text.split("\nRound").skip(1) {
            let in_ceasefire = para.contains("A ceasefire round:")
                || para.contains("Ceasefire signed")
                || para.contains(", under the ceasefire (");
            assert!(
                !(in_ceasefire && para.contains("  War: the ")),
                "run {run}: a war step in a ceasefire round:\n{para}"
            );
        }
        signed += c.signed;
        collapsed += c.collapses;
    }
    assert!(
        signed > 0 && collapsed > 0,
        "the 80 runs sign ({signed}) and lose ({collapsed}) ceasefires"
    );
}
