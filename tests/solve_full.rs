//! `armistice solve` (issue 15): every offer in `--json` with each actor's probability of being
//! in a proposer's coalition, the band durability model's closed forms, and exit 1 when the
//! first round's residual is above the tolerance.

use assert_cmd::Command;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn armistice() -> Command {
    let mut c = Command::cargo_bin("armistice").unwrap();
    c.current_dir(ROOT);
    c
}

fn solve_json(path: &Path) -> serde_json::Value {
    let out = armistice().arg("solve").arg(path).arg("--json").assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

/// Baron–Ferejohn with seven legislators and a majority of four, δ = 0.8: each proposer buys
/// three of the six others with equal probability over the C(6,3) = 20 coalitions, so `--json`
/// lists 20 offers (their probabilities and passing sum to 1) and each other legislator is in
/// the coalition with probability 3/6 = 1/2 (Baron and Ferejohn 1989), the proposer with 0.
#[test]
fn json_lists_every_offer_and_each_actors_inclusion_probability() {
    let base = std::fs::read_to_string(Path::new(ROOT).join("scenarios/classic/baron-ferejohn.toml")).unwrap();
    let text = base.replace("quota = 3 ", "quota = 4 ").replace(
        r#"among = ["L1", "L2", "L3", "L4", "L5"]"#,
        r#"among = ["L1", "L2", "L3", "L4", "L5", "L6", "L7"]"#,
    ) + "\n[[actor]]\nid = \"L6\"\ndiscount = 0.8\nsalience = { dollar = 1.0 }\n\n[[actor]]\nid = \"L7\"\ndiscount = 0.8\nsalience = { dollar = 1.0 }\n";
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bf7.toml");
    std::fs::write(&f, text).unwrap();
    let v = solve_json(&f);
    let proposers = v["proposers"].as_array().unwrap();
    assert_eq!(proposers.len(), 7);
    for (k, p) in proposers.iter().enumerate() {
        let offers = p["offers"].as_array().unwrap();
        assert_eq!(offers.len(), 20, "{}", p["proposer"]);
        assert_eq!(p["more_offers"], 0);
        let total: f64 =
            p["pass"].as_f64().unwrap() + offers.iter().map(|o| o["probability"].as_f64().unwrap()).sum::<f64>();
        assert!((total - 1.0).abs() < 1e-12, "{total}");
        let inc: Vec<f64> = p["inclusion"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect();
        assert_eq!(inc.len(), 7);
        for (j, x) in inc.iter().enumerate() {
            let want = if j == k { 0.0 } else { 0.5 };
            assert!((x - want).abs() < 1e-9, "proposer {k}, actor {j}: {x}");
        }
    }
    assert!(v.get("warnings").is_none(), "{v}");
    // the terminal keeps a short table and says how many more
    let out = armistice().arg("solve").arg(&f).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.contains("more (--json lists every offer)"), "{text}");
}

/// The band model's closed forms at the oracle band (balance 0.5 in (0.4, 0.6), no drift,
/// σ = 0.05 per √year, monthly rounds): exits through either edge with probability 1/2 and
/// E[τ] = a(w − a)/σ² = 0.1 · 0.1 / 0.0025 = 4 years = 48 rounds (Karlin and Taylor 1981).
#[test]
fn solve_prints_the_band_models_closed_forms() {
    let f = Path::new(ROOT).join("tests/oracles/band.toml");
    let v = solve_json(&f);
    let b = &v["durability_band"];
    assert!((b["p_exit_upper"].as_f64().unwrap() - 0.5).abs() < 1e-12, "{b}");
    assert!((b["p_exit_lower"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert!((b["expected_years"].as_f64().unwrap() - 4.0).abs() < 1e-9);
    assert!((b["expected_rounds"].as_f64().unwrap() - 48.0).abs() < 1e-6);
    let surv = b["survival"].as_array().unwrap();
    assert!(!surv.is_empty());
    let mut last = 1.0;
    for s in surv {
        let x = s[2].as_f64().unwrap();
        assert!(x > 0.0 && x < last, "{surv:?}");
        last = x;
    }
    let out = armistice().arg("solve").arg(&f).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(
        text.contains("expected time to renewed war 4.000 years = 48.0 rounds of 1 month"),
        "{text}"
    );
}

/// Majority rule among three with unequal discounts (0.92, 0.86, 0.97) at temperature 1e-6:
/// the first round solves to a residual of about 2e-12, below the default tolerance (exit 0)
/// and above `--tolerance 1e-15`, which is then an error (exit 1) naming the file, with the view
/// still printed and the warning in the JSON.
#[test]
fn solve_exits_1_when_the_residual_is_above_the_tolerance() {
    let text = r#"
[scenario]
id = "majority-unequal-discounts"
title = "Three players, majority of two, unequal discounts"
as_of = 2025-01-01
round_length = "1 month"
horizon = 40
sources = ["Kawamori (2005) Econ. Bull. 3(8): stationary values proportional to 1/discount [J]"]

[protocol]
recognition = "weighted"
quota = 2
temperature = 1e-6

[[issue]]
id = "dollar"
title = "A dollar"
kind = "divisible"
among = ["A", "B", "C"]

[[actor]]
id = "A"
discount = 0.92
salience = { dollar = 1.0 }

[[actor]]
id = "B"
discount = 0.86
salience = { dollar = 1.0 }

[[actor]]
id = "C"
discount = 0.97
salience = { dollar = 1.0 }
"#;
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("majority.toml");
    std::fs::write(&f, text).unwrap();
    let ok = armistice().arg("solve").arg(&f).arg("--json").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&ok.get_output().stdout).unwrap();
    let residual = v["residual"].as_f64().unwrap();
    assert_eq!(v["tolerance"].as_f64(), Some(1e-10));
    assert!(residual > 1e-15 && residual <= 1e-10, "{residual}");
    let bad = armistice()
        .arg("solve")
        .arg(&f)
        .args(["--tolerance", "1e-15"])
        .assert()
        .code(1);
    let err = String::from_utf8_lossy(&bad.get_output().stderr).into_owned();
    let out = String::from_utf8_lossy(&bad.get_output().stdout).into_owned();
    assert!(
        err.contains("majority.toml") && err.contains("above the tolerance 1e-15"),
        "{err}"
    );
    assert!(out.contains("Equilibrium values"), "the view is still printed: {out}");
    let json = armistice()
        .arg("solve")
        .arg(&f)
        .args(["--tolerance", "1e-15", "--json"])
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert!(
        v["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("above the tolerance"))
    );
}
