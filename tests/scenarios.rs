//! Every scenario shipped in `scenarios/` (not `scenarios/invalid/`) loads without errors.

use armistice::scenario::Scenario;
use std::path::Path;

fn toml_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "invalid") {
                toml_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "toml") {
            out.push(p);
        }
    }
}

#[test]
fn every_shipped_scenario_loads() {
    let mut files = vec![];
    toml_files(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios")), &mut files);
    assert!(!files.is_empty(), "no scenarios found");
    for f in files {
        match Scenario::load(&f) {
            Ok(s) => assert!(
                s.warnings.is_empty(),
                "{}: warnings:\n{}",
                f.display(),
                s.warnings.join("\n")
            ),
            Err(e) => panic!("{e}"),
        }
    }
}
