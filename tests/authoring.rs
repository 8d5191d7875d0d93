//! Scenario authoring: the JSON Schema is in sync, every shipped scenario points to it, the
//! reference documentation covers every key, and `armistice new` writes a scenario that runs.

use assert_cmd::Command;
use std::collections::BTreeSet;
use std::path::Path;

/// The template `armistice new` writes.
const TEMPLATE: &str = include_str!("../scenarios/template.toml");

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(Path::new(ROOT).join("schema/scenario.schema.json")).unwrap();
    assert_eq!(
        committed,
        armistice::scenario::schema::json_schema(),
        "run `cargo run -- schema > schema/scenario.schema.json`"
    );
}

fn keys(v: &serde_json::Value, out: &mut BTreeSet<String>) {
    match v {
        serde_json::Value::Object(m) => {
            if let Some(serde_json::Value::Object(props)) = m.get("properties") {
                out.extend(props.keys().cloned());
            }
            m.values().for_each(|x| keys(x, out));
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
        _ => {}
    }
}

#[test]
fn every_key_is_documented_with_a_description() {
    let schema: serde_json::Value = serde_json::from_str(&armistice::scenario::schema::json_schema()).unwrap();
    let doc = std::fs::read_to_string(Path::new(ROOT).join("docs/scenario-format.md")).unwrap();
    let mut all = BTreeSet::new();
    keys(&schema, &mut all);
    assert!(all.len() > 80, "{all:?}");
    let missing: Vec<_> = all.iter().filter(|k| !doc.contains(&format!("`{k}`"))).collect();
    assert!(
        missing.is_empty(),
        "keys missing from docs/scenario-format.md: {missing:?}"
    );
    // and every property in the schema carries a description for editors
    fn undocumented(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
        if let serde_json::Value::Object(m) = v {
            if let Some(serde_json::Value::Object(props)) = m.get("properties") {
                for (k, p) in props {
                    if p.get("description").and_then(|d| d.as_str()).is_none_or(str::is_empty) {
                        out.push(format!("{path}.{k}"));
                    }
                }
            }
            for (k, x) in m {
                undocumented(x, &format!("{path}/{k}"), out);
            }
        }
    }
    let mut out = vec![];
    undocumented(&schema, "", &mut out);
    assert!(out.is_empty(), "properties without a description: {out:?}");
}

#[test]
fn every_shipped_scenario_points_to_the_schema() {
    for f in ["scenarios/ukraine-2025-08.toml", "scenarios/classic/two-party-toy.toml"] {
        let path = Path::new(ROOT).join(f);
        let first = std::fs::read_to_string(&path)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string();
        let target = first
            .strip_prefix("#:schema ")
            .unwrap_or_else(|| panic!("{f} must start with a #:schema line"));
        assert!(
            path.parent().unwrap().join(target).is_file(),
            "{f}: {target} does not exist"
        );
    }
}

#[test]
fn new_writes_a_template_that_checks_and_runs() {
    let dir = tempfile::tempdir().unwrap();
    let bin = assert_cmd::cargo::cargo_bin!("armistice");
    Command::new(bin)
        .current_dir(dir.path())
        .args(["new", "talks"])
        .assert()
        .success();
    let file = dir.path().join("talks.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("id = \"talks\""), "the id follows the name");
    Command::new(bin)
        .current_dir(dir.path())
        .args(["check", "--deny-warnings", "talks.toml"])
        .assert()
        .success();
    Command::new(bin)
        .current_dir(dir.path())
        .args(["run", "talks.toml", "--runs", "100", "--no-charts", "-q"])
        .assert()
        .success();
    // an existing file is never overwritten without --force
    Command::new(bin)
        .current_dir(dir.path())
        .args(["new", "talks"])
        .assert()
        .code(1);
    Command::new(bin)
        .current_dir(dir.path())
        .args(["new", "talks", "--force"])
        .assert()
        .success();
}

#[test]
fn the_template_in_scenarios_is_the_one_new_writes() {
    assert!(TEMPLATE.contains("[durability]"));
    let s = armistice::scenario::Scenario::from_bytes(Path::new("template.toml"), TEMPLATE.as_bytes()).unwrap();
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn watch_reruns_when_an_editor_saves_by_rename() {
    use std::time::{Duration, Instant};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("w.toml");
    std::fs::write(&file, TEMPLATE.replace("seed = 1", "seed = 11")).unwrap();
    let out = dir.path().join("out");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("armistice"))
        .args(["run", "w.toml", "--watch", "--runs", "50", "--no-charts", "-q", "--out"])
        .arg(&out)
        .current_dir(dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let seed = || -> Option<u64> {
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).ok()?).ok()?;
        v["manifest"]["seed"].as_u64()
    };
    let wait_for = |want: u64| {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(60) {
            if seed() == Some(want) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        false
    };
    let first = wait_for(11);
    // save the way many editors do: write a temporary file, then rename it over the original
    std::thread::sleep(Duration::from_millis(500));
    let tmp = dir.path().join(".w.toml.swp");
    std::fs::write(&tmp, TEMPLATE.replace("seed = 1", "seed = 12")).unwrap();
    std::fs::rename(&tmp, &file).unwrap();
    let second = wait_for(12);
    let _ = child.kill();
    let _ = child.wait();
    assert!(first, "the first run did not complete");
    assert!(second, "saving by rename did not trigger a re-run");
}
