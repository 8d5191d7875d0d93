//! Fields a negotiation without a war or a calendar does not need (issue 18): `as_of` (an
//! undated scenario), `round_length` (rounds without a calendar length), an actor's `discount`
//! (1 when a deadline, a breakdown probability or a war cost makes waiting costly), and
//! `normalise_salience = false` (absolute saliences, the remainder on nothing, instead of a filler
//! issue). What needs a missing key is a located error: scenarios/invalid/ and tests/invalid.rs.

use armistice::scenario::Scenario;
use armistice::sim::run::{expected_params, first_round};
use armistice::solve::baselines::baselines;
use assert_cmd::Command;
use std::path::Path;

const MINIMAL: &str = "tests/scenarios/byo-minimal.toml";

fn from_text(text: &str) -> Result<Scenario, armistice::scenario::ScenarioError> {
    Scenario::from_bytes(Path::new("optional.toml"), text.as_bytes())
}

fn armistice() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
}

#[test]
fn a_negotiation_without_date_clock_or_discount_loads_with_the_documented_defaults() {
    let s = Scenario::load(Path::new(MINIMAL)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(s.meta.as_of, None);
    assert_eq!(s.meta.round_length, None);
    assert_eq!(s.meta.round_years, None);
    assert_eq!(s.meta.as_of_text(), "undated");
    for a in &s.actors {
        assert_eq!(a.discount.mean(), 1.0, "discount defaults to 1");
        assert!(a.normalise_salience, "saliences are normalised by default");
    }
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

/// `check`, `solve` and `run` on the undated, clockless domain; the outputs say "undated" and
/// count rounds.
#[test]
fn an_undated_scenario_checks_solves_and_runs_and_its_outputs_count_rounds() {
    armistice().arg("check").arg(MINIMAL).assert().success();
    let solve = armistice().arg("solve").arg(MINIMAL).output().unwrap();
    assert!(solve.status.success(), "{}", String::from_utf8_lossy(&solve.stderr));
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let run = armistice()
        .args(["run", MINIMAL, "--runs", "200", "--threads", "2", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let terminal = String::from_utf8_lossy(&run.stdout);
    assert!(
        terminal.contains("\nundated · 200 run(s) · seed 1 · horizon 20 round(s) · agreement"),
        "{terminal}"
    );
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(
        md.contains("*Undated · scenario `byo-minimal` · 200 runs · seed 1*"),
        "{md}"
    );
    assert!(
        md.contains("How likely is a negotiated agreement within 20 rounds, on which terms, and who gains?"),
        "{md}"
    );
    assert!(!md.contains("None") && !md.contains("as of"), "{md}");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("<p class=\"meta\">Undated · scenario"),
        "no date line in the HTML"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert!(json["results"]["as_of"].is_null());
    assert!(json["results"]["round_length"].is_null());
    assert_eq!(json["manifest"]["runs"], 200);
    // chart captions and axes: no date, rounds without a length
    let svg = std::fs::read_to_string(out.join("charts/agreement-by-round.svg")).unwrap();
    assert!(svg.contains("scenario byo-minimal (undated)"), "caption");
    assert!(!svg.contains("1 round ="), "a round has no calendar length here");
}

/// The first round of a pie split by A and B (alternating offers, A first, τ = 0, no discount
/// factors, reservation values `ra` and `rb`), with `cost` the `[protocol]` line that makes
/// waiting costly; solved to 1e-12.
fn undiscounted_pie(horizon: usize, cost: &str, ra: f64, rb: f64) -> armistice::sim::run::FirstRound {
    let text = format!(
        "[scenario]\nid = \"no-discount\"\ntitle = \"t\"\nhorizon = {horizon}\n\
         [protocol]\nrecognition = \"alternating\"\ntemperature = 0.0\n{cost}\n\
         [[issue]]\nid = \"pie\"\nkind = \"divisible\"\nbetween = [\"A\", \"B\"]\n\
         [[actor]]\nid = \"A\"\nreservation_value = {ra}\nsalience = {{ pie = 1.0 }}\n\
         [[actor]]\nid = \"B\"\nreservation_value = {rb}\nsalience = {{ pie = 1.0 }}\n"
    );
    let mut s = from_text(&text).unwrap_or_else(|e| panic!("{e:?}"));
    s.protocol.solver_tolerance = 1e-12;
    first_round(&s, expected_params(&s))
}

/// Rubinstein (1982) with disagreement point `r` and no discounting: the breakdown risk λ alone
/// makes waiting costly, the effective discount is `1 − λ` for both (Binmore, Rubinstein and
/// Wolinsky 1986), and the first proposer gets `r_A + (1 − r_A − r_B) / (2 − λ)`.
#[test]
fn without_discount_a_breakdown_risk_gives_the_rubinstein_split_with_discount_one_minus_lambda() {
    for (ra, rb, l) in [(0.2, 0.1, 0.1), (0.0, 0.3, 0.05), (0.25, 0.25, 0.3)] {
        let f = undiscounted_pie(40, &format!("breakdown = {l}"), ra, rb);
        assert!(f.converged);
        let x1 = ra + (1.0 - ra - rb) / (2.0 - l);
        let shares = f.choices[0].offers[0].shares.as_ref().expect("a split");
        assert!(
            (shares[0] - x1).abs() < 1e-9,
            "λ {l}: A's share {} want {x1}",
            shares[0]
        );
        assert!(
            (f.values[0] - x1).abs() < 1e-9,
            "λ {l}: A's value {} want {x1}",
            f.values[0]
        );
    }
}

/// No discounting and a deadline of `D` rounds (alternating offers, A first): the proposer of the
/// last round takes all but the other's reservation value, and with δ = 1 every earlier offer
/// only passes that on (Ståhl 1972's finite-horizon game), so A's value at round 0 is `1 − r_B`
/// when A proposes last (D odd) and `r_A` when B does (D even).
#[test]
fn without_discount_a_deadline_hands_the_surplus_to_the_last_proposer() {
    let (ra, rb) = (0.2, 0.1);
    for d in [3usize, 4, 7, 8] {
        let f = undiscounted_pie(10, &format!("deadline = {d}"), ra, rb);
        let want = if d % 2 == 1 { 1.0 - rb } else { ra };
        assert!(
            (f.values[0] - want).abs() < 1e-9,
            "D = {d}: A's value {} want {want}",
            f.values[0]
        );
        assert!(
            (f.values[1] - (1.0 - want)).abs() < 1e-9,
            "D = {d}: B's value {} want {}",
            f.values[1],
            1.0 - want
        );
    }
}

/// The same actor with absolute saliences and with a filler issue that takes the remainder (one
/// option, utility 0): every package value, the solver's values and every baseline agree; and
/// normalising the same saliences gives other numbers.
#[test]
fn absolute_saliences_equal_a_filler_issue_that_takes_the_remainder() {
    let base = std::fs::read_to_string(MINIMAL).unwrap();
    let absolute = base.replace(
        "salience = { price = 0.6, delivery = 0.4 }",
        "salience = { price = 0.3, delivery = 0.3 }\nnormalise_salience = false",
    );
    let filler = base
        .replace(
            "salience = { price = 0.6, delivery = 0.4 }",
            "salience = { price = 0.3, delivery = 0.3, other = 0.4 }\nutility.other = [0.0]",
        )
        .replace(
            "utility = { price = [1.0, 0.5, 0.0], delivery = [0.0, 1.0] }\n\n[[actor]]",
            "utility.price = [1.0, 0.5, 0.0]\nutility.delivery = [0.0, 1.0]\n\n[[actor]]",
        )
        .replace(
            "[[actor]]\nid = \"buyer\"",
            "[[issue]]\nid = \"other\"\noptions = [{ id = \"unchanged\" }]\n\n[[actor]]\nid = \"buyer\"",
        );
    let relative = base.replace(
        "salience = { price = 0.6, delivery = 0.4 }",
        "salience = { price = 0.3, delivery = 0.3 }",
    );
    let (sa, sf) = (from_text(&absolute).unwrap(), from_text(&filler).unwrap());
    let sr = from_text(&relative).unwrap();
    assert!(!sa.actors[0].normalise_salience && sf.actors[0].normalise_salience);
    // package values are U = Σ w v with the weights as written
    let pa = expected_params(&sa);
    assert_eq!(pa.salience[0], vec![0.3, 0.3]);
    let (fa, ff, fr) = (
        first_round(&sa, expected_params(&sa)),
        first_round(&sf, expected_params(&sf)),
        first_round(&sr, expected_params(&sr)),
    );
    for i in 0..2 {
        assert!(
            (fa.values[i] - ff.values[i]).abs() < 1e-9,
            "{:?} vs {:?}",
            fa.values,
            ff.values
        );
    }
    assert!(
        (fa.values[0] - fr.values[0]).abs() > 1e-3,
        "normalised saliences must value packages differently"
    );
    let (ba, bf, br) = (baselines(&sa), baselines(&sf), baselines(&sr));
    assert_eq!(ba.disagreement, bf.disagreement);
    assert_eq!(ba.pareto_set_size, bf.pareto_set_size);
    // the filler's baselines name the filler's option too: compare the first two issues
    assert_eq!(ba.nash[..], bf.nash[..2]);
    assert_eq!(ba.kalai_smorodinsky[..], bf.kalai_smorodinsky[..2]);
    // Nash by brute force, max Π (u_i − d_i) over u_i ≥ d_i with the absolute weights
    let util = [
        [[1.0, 0.5, 0.0], [0.0, 1.0, f64::NAN]],
        [[0.0, 0.5, 1.0], [1.0, 0.0, f64::NAN]],
    ];
    let w = [[0.3, 0.3], [0.7, 0.3]];
    let d = [0.3, 0.2];
    let names = [["low", "mid", "high"], ["slow", "fast", ""]];
    let mut best = (f64::NEG_INFINITY, vec![]);
    for p in 0..3 {
        for q in 0..2 {
            let u: Vec<f64> = (0..2)
                .map(|i| w[i][0] * util[i][0][p] + w[i][1] * util[i][1][q])
                .collect();
            if u[0] >= d[0] && u[1] >= d[1] && (u[0] - d[0]) * (u[1] - d[1]) > best.0 {
                best = (
                    (u[0] - d[0]) * (u[1] - d[1]),
                    vec![names[0][p].to_string(), names[1][q].to_string()],
                );
            }
        }
    }
    assert_eq!(ba.nash, best.1);
    // normalised (0.5, 0.5), the buyer's reservation value weighs less against its package values
    assert_ne!(ba.nash, br.nash);
}

// ── The imports write no placeholders ──────────────────────────────────────────────────────────

fn data(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

/// Imports, then checks, solves (`--json`, returned) and runs the imported file.
fn import_check_solve_run(args: &[&str], dir: &Path) -> (String, serde_json::Value) {
    let file = dir.join("imported.toml");
    armistice()
        .arg("import")
        .args(args)
        .arg("--out")
        .arg(&file)
        .assert()
        .success();
    armistice().arg("check").arg(&file).assert().success();
    let solve = armistice().arg("solve").arg(&file).arg("--json").output().unwrap();
    assert!(solve.status.success(), "{}", String::from_utf8_lossy(&solve.stderr));
    armistice()
        .arg("run")
        .arg(&file)
        .args(["--runs", "50", "--quiet", "--no-charts", "--out"])
        .arg(dir.join("out"))
        .assert()
        .success();
    (
        std::fs::read_to_string(&file).unwrap(),
        serde_json::from_slice(&solve.stdout).unwrap(),
    )
}

#[test]
fn a_genius_import_has_no_date_or_clock_and_a_deadline_for_the_party_without_discount() {
    let dir = tempfile::tempdir().unwrap();
    let (d, a, b) = (data("fence-domain.xml"), data("fence-alice.xml"), data("fence-bob.xml"));
    let args = [
        "genius",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--domain",
        d.to_str().unwrap(),
    ];
    let (text, _) = import_check_solve_run(&args, dir.path());
    for placeholder in ["as_of", "round_length", "discount = 1"] {
        assert!(!text.contains(placeholder), "`{placeholder}` written:\n{text}");
    }
    // Bob's profile has discount factor 1: only the session's deadline makes waiting costly
    assert!(text.contains("\ndeadline = 100 "), "{text}");
    assert!(
        text.contains("\ndiscount = 0.99894694969"),
        "Alice's factor 0.9 per session, per round"
    );
}

#[test]
fn a_table_import_has_no_date_or_clock() {
    let dir = tempfile::tempdir().unwrap();
    let csv = data("council.csv");
    let (text, _) = import_check_solve_run(&["table", csv.to_str().unwrap()], dir.path());
    assert!(!text.contains("as_of") && !text.contains("round_length"), "{text}");
    // council.csv's saliences (0–100) sum to more than 100 for some actors: every one is divided
    // by the largest sum (120) and written as absolute weights, ratios across actors kept
    assert_eq!(text.matches("normalise_salience = false").count(), 4, "{text}");
    assert!(text.contains("divided by the same number, 120 "), "{text}");
}

/// A table whose saliences sum to less than 1 for every actor imports them as absolute weights
/// (no filler issue), and `solve`'s Nash package is the brute-force one with those weights:
/// `U_i = Σ_k s_ik (1 − |x_k − p_ik| / 100)`, disagreement 0.
#[test]
fn a_table_with_saliences_below_one_imports_them_as_absolute_weights() {
    let dir = tempfile::tempdir().unwrap();
    let csv = data("committee.csv");
    let (text, json) = import_check_solve_run(&["table", csv.to_str().unwrap()], dir.path());
    assert_eq!(text.matches("normalise_salience = false").count(), 3, "{text}");
    assert!(!text.contains("id = \"other\""), "no filler issue:\n{text}");
    let rows: Vec<(String, String, f64, f64)> = std::fs::read_to_string(&csv)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[0].into(), f[1].into(), f[2].parse().unwrap(), f[3].parse().unwrap())
        })
        .collect();
    let points = |issue: &str| {
        let mut p: Vec<f64> = rows.iter().filter(|r| r.1 == issue).map(|r| r.2).collect();
        p.sort_by(f64::total_cmp);
        p
    };
    let u = |actor: &str, x: [f64; 2]| -> f64 {
        rows.iter()
            .filter(|r| r.0 == actor)
            .map(|r| r.3 * (1.0 - ((if r.1 == "budget" { x[0] } else { x[1] }) - r.2).abs() / 100.0))
            .sum()
    };
    let mut best = (f64::NEG_INFINITY, [0.0; 2]);
    for &x in &points("budget") {
        for &y in &points("rules") {
            let p: f64 = ["Chair", "Left", "Right"].iter().map(|a| u(a, [x, y]).ln()).sum();
            if p > best.0 {
                best = (p, [x, y]);
            }
        }
    }
    let nash: Vec<&str> = json["baselines"]["nash"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(nash, [format!("budget_{}", best.1[0]), format!("rules_{}", best.1[1])]);
}

/// The smallest no-war example of docs/scenario-format.md ("What a negotiation without a war or
/// a calendar can leave out"), read from the docs: it loads without warnings, and each
/// requirement the docs list before it is what `check` demands. Without its reservation values,
/// every actor gets an error naming `reservation_value` (the no-war fix; it named only the war
/// keys, and only the first actor); without its breakdown probability, every actor gets the
/// missing-discount error.
#[test]
fn the_documented_minimal_no_war_example_checks_and_each_listed_requirement_is_demanded() {
    let docs = std::fs::read_to_string("docs/scenario-format.md").unwrap();
    let section = docs
        .split("### What a negotiation without a war or a calendar can leave out")
        .nth(1)
        .and_then(|s| s.split("\n### ").next())
        .expect("the section");
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .expect("its toml example");
    // the list of requirements names each key the example (and check) depends on
    for key in [
        "`id`",
        "`title`",
        "`horizon`",
        "`salience`",
        "`utility`",
        "`reservation_value`",
        "`discount`",
        "`deadline`",
        "`breakdown`",
    ] {
        assert!(section.contains(key), "the requirements do not name {key}");
    }
    let s = from_text(example).unwrap_or_else(|e| panic!("the documented example: {e:?}"));
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // the docs' example is the tested file, comments aside
    let code = |t: &str| -> Vec<String> {
        t.lines()
            .map(|l| l.split('#').next().unwrap().trim_end().to_string())
            .filter(|l| !l.is_empty())
            .collect()
    };
    assert_eq!(code(example), code(&std::fs::read_to_string(MINIMAL).unwrap()));

    let errors = |text: &str| -> Vec<String> {
        match from_text(text) {
            Ok(_) => vec![],
            Err(e) => e
                .diagnostics
                .iter()
                .filter(|d| d.severity == armistice::scenario::diag::Severity::Error)
                .map(|d| format!("{} {}", d.message, d.help.clone().unwrap_or_default()))
                .collect(),
        }
    };
    // the example without its lines that start with `key`
    let without = |key: &str| -> String {
        example
            .lines()
            .filter(|l| !l.starts_with(key))
            .map(|l| format!("{l}\n"))
            .collect()
    };
    let errs = errors(&without("reservation_value"));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    for (e, actor) in errs.iter().zip(["buyer", "seller"]) {
        assert!(
            e.contains(&format!("actor `{actor}` has no value for no agreement"))
                && e.contains("reservation_value = 0.0")
                && e.contains("issues `price`, `delivery`"),
            "{e}"
        );
    }
    let errs = errors(&without("breakdown"));
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(errs.iter().all(|e| e.contains("has no discount")), "{errs:#?}");
}
