//! Charts: the structure of each SVG (its texts and a count of its shapes) is snapshot-tested on
//! the toy scenario, and every chart renders without panicking, to PNG and SVG, on degenerate
//! summaries (no agreement possible, one run, no runs, one actor, one option, equal payoffs,
//! empty histograms, non-finite values).

use armistice::report::charts::cumulative::Cumulative;
use armistice::report::charts::frontline::{Frontline, rebin};
use armistice::report::charts::issues::Issues;
use armistice::report::charts::outcomes::Outcomes;
use armistice::report::charts::packages::Packages;
use armistice::report::charts::payoffs::{Payoffs, hist_quantile, padded_range};
use armistice::report::charts::phases::Phases;
use armistice::report::charts::survival::Survival;
use armistice::report::charts::theme::{self, Chart};
use armistice::runner::{RunOptions, Silent, run_all};
use armistice::scenario::Scenario;
use armistice::stats::Summary;
use plotters::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

fn toy_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/classic/two-party-toy.toml")
}

fn toy_text() -> String {
    std::fs::read_to_string(toy_path()).expect("toy scenario")
}

fn summarise(s: &Scenario, runs: u64) -> Summary {
    let opts = RunOptions {
        runs,
        seed: 1,
        threads: Some(1),
        shard: None,
    };
    let agg = run_all(s, opts, &Silent, &AtomicBool::new(false)).expect("not cancelled");
    Summary::new(s, &agg, 1)
}

fn toy(runs: u64) -> Summary {
    summarise(&Scenario::load(&toy_path()).expect("toy loads"), runs)
}

/// The toy with an always-binding red line of the veto actor B on every trade option.
fn impossible() -> Summary {
    let text = toy_text();
    let line = "utility = { border = [0.0, 0.6, 1.0], trade = [0.2, 0.7, 1.0] }";
    assert_eq!(text.matches(line).count(), 1, "B's utility line is unique");
    let text = text.replace(
        line,
        &format!("{line}\nred_lines = [{{ issue = \"trade\", options = [\"R0\", \"R1\", \"R2\"], binding = 1.0 }}]"),
    );
    let s = Scenario::from_bytes(Path::new("impossible.toml"), text.as_bytes()).expect("valid (warns only)");
    summarise(&s, 50)
}

/// The SVG of `chart` for `s`.
fn svg<C: Chart>(chart: &C, s: &Summary) -> String {
    theme::register_fonts();
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, theme::SIZE).into_drawing_area();
        chart.draw(&root, s).expect("draws");
        root.present().expect("presents");
    }
    buf
}

/// Renders `chart` for `s` to an in-memory PNG; returns how many pixels are not white.
fn png<C: Chart>(chart: &C, s: &Summary) -> usize {
    theme::register_fonts();
    let (w, h) = theme::SIZE;
    let mut buf = vec![0u8; (w * h * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut buf, theme::SIZE).into_drawing_area();
        chart.draw(&root, s).expect("draws");
        root.present().expect("presents");
    }
    buf.chunks(3).filter(|p| p != &[255, 255, 255]).count()
}

/// The texts of an SVG as plotters writes them (`<text …>\ncontent\n</text>`), unescaped.
fn texts(svg: &str) -> Vec<String> {
    let mut out = vec![];
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else { break };
        let Some(close) = after.find("</text>") else { break };
        let content = after[open_end + 1..close]
            .trim()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        out.push(content);
        rest = &after[close + "</text>".len()..];
    }
    out
}

/// The structure of an SVG: a count of each element kind, then its texts, sorted.
fn structure(svg: &str) -> String {
    let mut out = String::new();
    for tag in ["rect", "line", "polyline", "polygon", "circle", "path", "text"] {
        let n = svg.matches(&format!("<{tag} ")).count() + svg.matches(&format!("<{tag}>")).count();
        out += &format!("<{tag}>: {n}\n");
    }
    out += "texts:\n";
    let mut t = texts(svg);
    t.sort();
    for line in t {
        out += &format!("  {line}\n");
    }
    out
}

/// Renders `chart` to SVG and PNG; the SVG must be well formed and hold a title.
fn renders<C: Chart>(chart: &C, s: &Summary, what: &str) {
    let svg = svg(chart, s);
    assert!(
        svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"),
        "{what}: SVG"
    );
    for bad in ["NaN", "=\"inf", "=\"-inf", "2147483647", "2147483648"] {
        assert!(!svg.contains(bad), "{what}: non-finite value in the SVG ({bad})");
    }
    assert!(texts(&svg).len() >= 3, "{what}: title, subtitle and caption");
    assert!(png(chart, s) > 0, "{what}: PNG is blank");
    // CHARTS_DUMP=dir writes the renders there, one folder per case, to look at
    if let Some(dir) = std::env::var_os("CHARTS_DUMP") {
        let case = what.split('/').next().unwrap_or(what).replace(' ', "-");
        theme::render_both(&Path::new(&dir).join(case), chart, s).expect("dump");
    }
}

/// Every chart, existing and new, renders `s`.
fn all_render(s: &Summary, what: &str) {
    renders(&Outcomes, s, &format!("{what}/outcomes"));
    renders(&Cumulative, s, &format!("{what}/agreement-by-round"));
    renders(&Issues, s, &format!("{what}/agreed-options"));
    renders(&Survival, s, &format!("{what}/survival"));
    renders(&Packages, s, &format!("{what}/packages"));
    renders(&Payoffs, s, &format!("{what}/payoffs"));
    renders(&Frontline, s, &format!("{what}/frontline"));
    renders(&Phases, s, &format!("{what}/phases"));
}

/// The toy with a ceasefire on the table (`tests/scenarios/ceasefire-toy.toml`).
fn ceasefire_toy(runs: u64) -> Summary {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/ceasefire-toy.toml");
    summarise(&Scenario::load(&path).expect("ceasefire toy loads"), runs)
}

#[test]
fn ceasefire_toy_phases_structure() {
    insta::assert_snapshot!("phases-ceasefire-toy", structure(&svg(&Phases, &ceasefire_toy(200))));
}

/// The phase chart's legend stands beside the plot, never over it: every legend text starts
/// right of the plot's last x label, and the four bands are filled polygons.
#[test]
fn the_phase_legend_stays_beside_the_data() {
    let s = ceasefire_toy(200);
    let doc = svg(&Phases, &s);
    assert_eq!(doc.matches("<polygon").count(), 4, "one area per phase");
    // (x, content) of every text
    let placed: Vec<(i64, String)> = doc
        .split("<text")
        .skip(1)
        .map(|t| {
            let x = t.split("x=\"").nth(1).and_then(|v| v.split('"').next()).expect("x");
            let content = t
                .split('>')
                .nth(1)
                .expect("content")
                .split('<')
                .next()
                .expect("content");
            (x.parse().expect("integer x"), content.trim().to_string())
        })
        .collect();
    let axis_end = placed
        .iter()
        .filter(|(_, c)| c.parse::<u32>().is_ok())
        .map(|(x, _)| *x)
        .max()
        .expect("x labels");
    for label in ["End of round", "War ", "Ceasefire ", "Settled ", "Ended "] {
        let (x, _) = placed
            .iter()
            .find(|(_, c)| c.starts_with(label))
            .unwrap_or_else(|| panic!("{label} in the SVG"));
        assert!(*x > axis_end + 20, "{label} overlaps the plot");
    }
    all_render(&s, "ceasefire toy");
}

#[test]
fn toy_packages_structure() {
    insta::assert_snapshot!("packages-toy", structure(&svg(&Packages, &toy(200))));
}

#[test]
fn toy_payoffs_structure() {
    insta::assert_snapshot!("payoffs-toy", structure(&svg(&Payoffs, &toy(200))));
}

#[test]
fn toy_frontline_structure() {
    insta::assert_snapshot!("frontline-toy", structure(&svg(&Frontline, &toy(200))));
}

#[test]
fn toy_agreed_options_structure() {
    insta::assert_snapshot!("agreed-options-toy", structure(&svg(&Issues, &toy(200))));
}

#[test]
fn weighted_median_marker_is_explained() {
    let s = toy(200);
    let svg = svg(&Issues, &s);
    assert!(
        texts(&svg)
            .iter()
            .any(|t| t.starts_with("▼ salience × capability weighted median"))
    );
    // one marker per issue with a baseline
    assert_eq!(svg.matches("<polygon").count(), s.issues.len());
}

#[test]
fn the_nash_tag_matches_the_subtitle() {
    let s = toy(200);
    let t = texts(&svg(&Packages, &s));
    let shown = s
        .packages
        .iter()
        .take(10)
        .any(|p| !s.baselines.nash.is_empty() && p.options == s.baselines.nash);
    assert_eq!(t.iter().any(|x| x == "Nash"), shown);
    assert_eq!(t.iter().any(|x| x.contains("is among them")), shown);
}

#[test]
fn a_nash_package_outside_the_top_is_named() {
    let mut s = toy(200);
    s.baselines.nash = vec!["B0".into(), "R0".into()];
    let t = texts(&svg(&Packages, &s));
    assert!(!t.iter().any(|x| x == "Nash"));
    assert!(t.iter().any(|x| x.contains("not among them")));
    assert!(t.iter().any(|x| x.starts_with("Nash bargaining package B0 · R0")));
}

#[test]
fn toy_renders_everywhere() {
    all_render(&toy(200), "toy");
}

#[test]
fn impossible_agreement_renders() {
    let s = impossible();
    assert_eq!(s.outcomes[0].estimate.count, 0, "no agreement is possible");
    assert!(s.packages.is_empty());
    all_render(&s, "impossible");
    let t = texts(&svg(&Packages, &s));
    assert!(t.iter().any(|x| x.starts_with("No run reached an agreement")));
}

#[test]
fn one_run_renders() {
    all_render(&toy(1), "one run");
}

#[test]
fn zero_runs_render() {
    let s = toy(0);
    assert_eq!(s.runs, 0);
    all_render(&s, "zero runs");
}

#[test]
fn degenerate_summaries_render() {
    let base = toy(200);

    // one actor, one option per issue, one package
    let mut s = base.clone();
    s.actors.truncate(1);
    for issue in &mut s.issues {
        issue.options.retain(|o| o.estimate.count > 0);
        issue.options.truncate(1);
    }
    s.packages.truncate(1);
    for f in &mut s.frontlines {
        f.path.truncate(1);
    }
    all_render(&s, "one of each");

    // every payoff equal, every frontline in one bin
    let mut s = base.clone();
    for a in &mut s.actors {
        a.histogram = vec![(0.25, 200)];
        a.payoff_mean = 0.2505;
    }
    for f in &mut s.frontlines {
        f.histogram = vec![(1.0, 200)];
        f.median = 1.0;
    }
    all_render(&s, "all equal");
    let t = texts(&svg(&Payoffs, &s));
    assert!(t.iter().any(|x| x.starts_with("median 0.25")));

    // empty histograms and non-finite values
    let mut s = base.clone();
    for a in &mut s.actors {
        a.histogram.clear();
        a.payoff_mean = f64::NAN;
    }
    for f in &mut s.frontlines {
        f.histogram.clear();
        f.median = f64::NAN;
        f.p10 = f64::INFINITY;
    }
    for p in &mut s.packages {
        p.share_of_agreements.p = f64::NAN;
    }
    s.baselines.weighted_median.clear();
    s.baselines.nash.clear();
    all_render(&s, "empty and non-finite");

    // frontline positions off the path and non-finite bin edges
    let mut s = base.clone();
    for f in &mut s.frontlines {
        f.histogram = vec![(-3.0, 5), (f64::NAN, 5), (99.0, 5), (0.5, 5)];
    }
    for a in &mut s.actors {
        a.histogram.push((f64::INFINITY, 3));
        a.payoff_mean = f64::NEG_INFINITY;
    }
    all_render(&s, "off-range");

    // two fronts, the second with a longer path
    let mut s = base.clone();
    let mut f = s.frontlines[0].clone();
    f.issue = "trade".into();
    f.path = vec!["R0".into(), "R1".into(), "R2".into(), "R1".into(), "R0".into()];
    f.histogram = (0..400).map(|k| (k as f64 * 0.01, (k % 7) as u64)).collect();
    f.median = 2.2;
    s.frontlines.push(f);
    all_render(&s, "two fronts");

    // a weighted median naming an unknown option, a Nash package of the wrong length
    let mut s = base.clone();
    s.baselines.weighted_median = vec!["nope".into()];
    s.baselines.nash = vec!["B1".into()];
    all_render(&s, "odd baselines");

    // no actors, no issues, no frontlines, no packages
    let mut s = base;
    s.actors.clear();
    s.issues.clear();
    s.frontlines.clear();
    s.packages.clear();
    all_render(&s, "nothing");
}

#[test]
fn quantiles_of_a_histogram() {
    let h = vec![(0.0, 1), (0.001, 1), (0.002, 1), (0.003, 1)];
    let q = |p| hist_quantile(&h, p, 0.001).unwrap();
    assert!((q(0.25) - 0.0005).abs() < 1e-12);
    assert!((q(0.5) - 0.0015).abs() < 1e-12);
    assert!((q(1.0) - 0.0035).abs() < 1e-12);
    assert!((q(0.0) - 0.0005).abs() < 1e-12);
    assert_eq!(hist_quantile(&[], 0.5, 0.001), None);
    assert_eq!(hist_quantile(&[(0.0, 0)], 0.5, 0.001), None);
    // unsorted input is sorted first
    assert!((hist_quantile(&[(0.003, 1), (0.0, 3)], 0.9, 0.001).unwrap() - 0.0035).abs() < 1e-12);
}

#[test]
fn padded_ranges_are_finite_and_wide() {
    for values in [
        vec![],
        vec![f64::NAN],
        vec![0.3],
        vec![0.3, 0.3],
        vec![-1.0, 2.0, f64::INFINITY],
    ] {
        let (lo, hi) = padded_range(values.iter().copied());
        assert!(lo.is_finite() && hi.is_finite() && hi > lo, "{values:?}: {lo}..{hi}");
    }
    let (lo, hi) = padded_range([-1.0, 2.0]);
    assert!(lo < -1.0 && hi > 2.0);
}

#[test]
fn rebinning_keeps_every_run_in_20_to_30_bars() {
    for steps in 1..=8 {
        let h: Vec<(f64, u64)> = (0..=100 * steps).map(|k| (k as f64 * 0.01, 1)).collect();
        let (width, bars) = rebin(&h, steps);
        // 8 steps: 16 or 32 bars are the choices that keep the 0.01 bins whole
        let ok = if steps == 8 { 16..=32 } else { 20..=30 };
        assert!(ok.contains(&bars.len()), "{steps} steps: {} bars", bars.len());
        assert!((width * bars.len() as f64 - steps as f64).abs() < 1e-9);
        assert_eq!(bars.iter().sum::<u64>(), h.len() as u64);
    }
    let (_, bars) = rebin(&[(-1.0, 2), (f64::NAN, 4), (7.0, 3)], 2);
    assert_eq!(bars.iter().sum::<u64>(), 5);
    assert_eq!((bars[0], bars[bars.len() - 1]), (2, 3));
}
