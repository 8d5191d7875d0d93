//! `armistice import`: GENIUS XML profiles and spatial-model tables become scenarios that load,
//! and `solve` on the imported file gives the Nash package a brute-force computation on the
//! source files gives; bad input files get located errors. The test files in `tests/data/import/`
//! were written for these tests to the formats' specifications (GENIUS: the layout of the ANAC
//! domains read by GENIUS and `negmas`).

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

fn armistice() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
}

/// Imports to a file in `dir`, then returns `solve --json`'s baselines.
fn import_then_solve(args: &[&str], dir: &Path) -> serde_json::Value {
    let out = dir.join("imported.toml");
    armistice()
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    armistice().arg("check").arg(&out).assert().success();
    let json = armistice()
        .arg("solve")
        .arg(&out)
        .arg("--json")
        .output()
        .expect("solve");
    assert!(json.status.success(), "{}", String::from_utf8_lossy(&json.stderr));
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    v["baselines"].clone()
}

/// An issue's index, name and `(value, evaluation)` pairs in a GENIUS profile.
type IssueEvaluation = (String, String, Vec<(String, f64)>);

/// `(value, evaluation)` per issue name, the weight per issue index, and the reservation value
/// of a GENIUS profile, read independently of the importer.
fn profile(path: &Path) -> (Vec<IssueEvaluation>, Vec<(String, f64)>, f64) {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let mut issues = vec![];
    let mut weights = vec![];
    for n in doc.descendants() {
        if n.has_tag_name("issue") {
            let items = n
                .children()
                .filter(|c| c.has_tag_name("item"))
                .map(|c| {
                    (
                        c.attribute("value").unwrap().to_string(),
                        c.attribute("evaluation").unwrap().parse().unwrap(),
                    )
                })
                .collect();
            issues.push((
                n.attribute("index").unwrap().to_string(),
                n.attribute("name").unwrap().to_string(),
                items,
            ));
        }
        if n.has_tag_name("weight") {
            weights.push((
                n.attribute("index").unwrap().to_string(),
                n.attribute("value").unwrap().parse().unwrap(),
            ));
        }
    }
    let r = doc
        .descendants()
        .find(|n| n.has_tag_name("reservation"))
        .map_or(0.0, |n| n.attribute("value").unwrap().parse().unwrap());
    (issues, weights, r)
}

/// GENIUS utility of the outcome `values` (one value per issue name).
fn genius_utility(p: &Path, outcome: &[(&str, &str)]) -> f64 {
    let (issues, weights, _) = profile(p);
    let total: f64 = weights.iter().map(|w| w.1).sum();
    outcome
        .iter()
        .map(|(issue, value)| {
            let (index, _, items) = issues.iter().find(|i| i.1 == *issue).unwrap();
            let w = weights.iter().find(|w| &w.0 == index).unwrap().1 / total;
            let max = items.iter().map(|i| i.1).fold(0.0, f64::max);
            w * items.iter().find(|i| i.0 == *value).unwrap().1 / max
        })
        .sum()
}

#[test]
fn genius_round_trip_gives_the_brute_force_nash_package() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (data("fence-alice.xml"), data("fence-bob.xml"));
    let base = import_then_solve(
        &[
            "genius",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "--domain",
            data("fence-domain.xml").to_str().unwrap(),
        ],
        dir.path(),
    );
    // brute force over the 9 outcomes: max (U_A − r_A)(U_B − r_B) over those both prefer to r
    let (ra, rb) = (profile(&a).2, profile(&b).2);
    let heights = ["none", "low", "high"];
    let shares = ["none", "half", "all"];
    let mut best = (f64::NEG_INFINITY, ("", ""));
    for h in heights {
        for c in shares {
            let o = [("Height", h), ("Cost share", c)];
            let (ua, ub) = (genius_utility(&a, &o), genius_utility(&b, &o));
            if ua > ra && ub > rb && (ua - ra) * (ub - rb) > best.0 {
                best = ((ua - ra) * (ub - rb), (h, c));
            }
        }
    }
    let nash: Vec<String> = base["nash"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    assert_eq!(nash, [best.1.0, best.1.1], "brute force: {best:?}");
}

#[test]
fn table_round_trip_gives_the_brute_force_nash_package() {
    let dir = tempfile::tempdir().unwrap();
    let base = import_then_solve(&["table", data("council.csv").to_str().unwrap()], dir.path());
    // the table, read here: (actor, issue, position, salience); every position in [0, 100]
    let text = std::fs::read_to_string(data("council.csv")).unwrap();
    let rows: Vec<(String, String, f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].into(), f[1].into(), f[2].parse().unwrap(), f[3].parse().unwrap())
        })
        .collect();
    let actors = ["North", "South", "East", "West"];
    let points = |issue: &str| {
        let mut p: Vec<f64> = rows.iter().filter(|r| r.1 == issue).map(|r| r.2).collect();
        p.sort_by(f64::total_cmp);
        p.dedup();
        p
    };
    let (budget, rules) = (points("budget"), points("rules"));
    // U_i = Σ_k ŝ_ik (1 − |x_k − p_ik|/100), saliences normalised per actor; disagreement 0
    let u = |a: &str, x: [f64; 2]| -> f64 {
        let mine: Vec<&(String, String, f64, f64)> = rows.iter().filter(|r| r.0 == a).collect();
        let total: f64 = mine.iter().map(|r| r.3).sum();
        mine.iter()
            .map(|r| {
                let xk = if r.1 == "budget" { x[0] } else { x[1] };
                r.3 / total * (1.0 - (xk - r.2).abs() / 100.0)
            })
            .sum()
    };
    let mut best = (f64::NEG_INFINITY, [0.0, 0.0]);
    for &x in &budget {
        for &y in &rules {
            let p: f64 = actors.iter().map(|a| u(a, [x, y]).ln()).sum();
            if p > best.0 {
                best = (p, [x, y]);
            }
        }
    }
    let nash: Vec<String> = base["nash"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect();
    assert_eq!(nash, [format!("budget_{}", best.1[0]), format!("rules_{}", best.1[1])]);
    // the weighted mean and median of the positions, capability × salience as in the table
    // (saliences per actor and issue, not normalised per actor: Bueno de Mesquita's weights)
    let cap = |a: &str| match a {
        "North" => 30.0,
        "South" => 25.0,
        "East" => 20.0,
        _ => 25.0,
    };
    let table: Vec<(String, String, f64, f64, f64)> = rows
        .iter()
        .map(|r| (r.0.clone(), r.1.clone(), r.2, r.3, cap(&r.0)))
        .collect();
    assert_weighted_mean_median(&base, &table, &["budget", "rules"]);
}

/// Bueno de Mesquita's weighted mean and median of each issue, computed here from the table's
/// rows `(actor, issue, position, salience, capability)` with weights capability × salience as
/// written; the median is the smallest position at which the cumulative weight reaches half.
fn bdm_mean_median(rows: &[(String, String, f64, f64, f64)], issue: &str) -> (f64, f64) {
    let mut w: Vec<(f64, f64)> = rows.iter().filter(|r| r.1 == issue).map(|r| (r.2, r.4 * r.3)).collect();
    let total: f64 = w.iter().map(|p| p.1).sum();
    let mean = w.iter().map(|p| p.0 * p.1).sum::<f64>() / total;
    w.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut acc = 0.0;
    let median = w
        .iter()
        .find(|p| {
            acc += p.1;
            acc >= total / 2.0
        })
        .unwrap()
        .0;
    (mean, median)
}

/// `solve --json`'s weighted mean and median of each issue equal the hand computation to 1e-12.
fn assert_weighted_mean_median(base: &serde_json::Value, rows: &[(String, String, f64, f64, f64)], issues: &[&str]) {
    for (k, issue) in issues.iter().enumerate() {
        let sp = &base["spatial"]["issues"][k];
        assert_eq!(sp[0], *issue);
        let (mean, median) = bdm_mean_median(rows, issue);
        let got = (sp[1][0].as_f64().unwrap(), sp[1][1].as_f64().unwrap());
        assert!(
            (got.0 - mean).abs() < 1e-12 && (got.1 - median).abs() < 1e-12,
            "{issue}: tool {got:?}, by hand ({mean}, {median})"
        );
    }
}

/// The tester's table: A cares a lot (0.9) about both issues, B little (0.1), C half (0.5), equal
/// capabilities. Bueno de Mesquita's weights are capability × salience as written, so A holds
/// 9/15 of the weight: mean (0·9 + 100·1 + 60·5)/15 = 26.67, median 0. Normalising each actor's
/// saliences to sum to 1 (what the importer did) gave every actor 0.5 and a mean of 53.3, a median
/// of 60.
#[test]
fn table_import_keeps_salience_differences_between_actors() {
    let dir = tempfile::tempdir().unwrap();
    let file = data("bdm2.csv");
    let base = import_then_solve(&["table", file.to_str().unwrap()], dir.path());
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<(String, String, f64, f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].into(),
                f[1].into(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
                f[4].parse().unwrap(),
            )
        })
        .collect();
    assert_weighted_mean_median(&base, &rows, &["x", "y"]);
    let (mean, median) = bdm_mean_median(&rows, "x");
    assert!((mean - 400.0 / 15.0).abs() < 1e-12 && median == 0.0);
    // the file says so, and every salience is divided by one number (the largest sum, 1.8)
    let written = std::fs::read_to_string(dir.path().join("imported.toml")).unwrap();
    assert_eq!(written.matches("normalise_salience = false").count(), 3, "{written}");
    assert!(written.contains("divided by the same number, 1.8"), "{written}");
    assert!(
        written.contains("salience = { x = 0.5, y = 0.5 }"),
        "A: 0.9 / 1.8: {written}"
    );
}

/// `(file, args, line:col the first error points at)`.
#[test]
fn bad_files_get_located_errors() {
    let bob = data("fence-bob.xml");
    let cases: Vec<(Vec<PathBuf>, &str, &str)> = vec![
        (
            vec![data("bad-syntax.xml"), bob.clone()],
            "bad-syntax.xml:5:3",
            "not well-formed XML",
        ),
        (
            vec![data("bad-evaluation.xml"), bob.clone()],
            "bad-evaluation.xml:12:45",
            "evaluation `three` is not a number",
        ),
        (
            vec![data("bad-integer.xml"), bob.clone()],
            "bad-integer.xml:3:40",
            "only discrete issues",
        ),
        (
            vec![data("fence-alice.xml"), data("bad-unknown-value.xml")],
            "bad-unknown-value.xml:9:4",
            "has no value `medium`",
        ),
        // at the second <item>, not "gives no evaluation" at the <issue>
        (
            vec![data("bad-duplicate-value.xml"), bob.clone()],
            "bad-duplicate-value.xml:9:4",
            "value `low` appears twice in issue `Height`",
        ),
        // every weight 0 was an internal error (exit 2) on the generated file
        (
            vec![data("bad-zero-weights.xml"), bob.clone()],
            "bad-zero-weights.xml:15:3",
            "every issue's weight is 0",
        ),
    ];
    for (files, loc, msg) in cases {
        let out = armistice().arg("import").arg("genius").args(&files).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{files:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(loc) && err.contains(msg), "{files:?}: {err}");
    }
    for (file, loc, msg) in [
        (
            "bad-capability.csv",
            "bad-capability.csv:3:19",
            "differs from its 30 on line 2",
        ),
        (
            "bad-number.csv",
            "bad-number.csv:3:14",
            "position `sixty` is not a number",
        ),
        ("bad-column.csv", "bad-column.csv:1:22", "unknown column `importance`"),
        // these two were internal errors (exit 2) on the generated file
        (
            "bad-zero-salience.csv",
            "bad-zero-salience.csv:6:8",
            "actor `C` has salience 0 on every issue",
        ),
        (
            "bad-zero-capability.csv",
            "bad-zero-capability.csv:2:12",
            "every capability is 0",
        ),
    ] {
        let out = armistice().arg("import").arg("table").arg(data(file)).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{file}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(loc) && err.contains(msg), "{file}: {err}");
    }
}
