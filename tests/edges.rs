//! Bad input never hurts (issue 14): a closed pipe, a kill in the middle of a run, unsafe ids,
//! absurd numbers, an edited shard and the command-line messages, each tried as a user would.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_armistice"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn toy() -> PathBuf {
    root().join("scenarios/classic/two-party-toy.toml")
}

/// Runs the command with its stdout piped to a reader that is gone before anything is written
/// (the read end is closed right after the spawn): every write then fails with EPIPE.
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = bin()
        .args(args)
        .current_dir(root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn armistice");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_closed_stdout_ends_every_printing_command_quietly() {
    let toy = toy();
    let toy = toy.to_str().unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = |name: &str| out.path().join(name).to_string_lossy().into_owned();
    let cases: Vec<Vec<String>> = vec![
        vec!["solve".into(), toy.into(), "--json".into()],
        vec!["solve".into(), toy.into()],
        vec!["completions".into(), "bash".into()],
        vec!["check".into(), toy.into()],
        vec!["schema".into()],
        vec!["explain".into(), toy.into(), "--run".into(), "3".into()],
        vec!["run".into(), toy.into(), "--runs".into(), "20".into(), "--no-charts".into(), "--out".into(), o("run")],
        vec!["new".into(), o("new-one")],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, stderr) = with_closed_stdout(&args);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert!(matches!(code, Some(0 | 141)), "{args:?}: exit {code:?}\n{stderr}");
    }
    // the run's outputs were written before the table was printed: nothing lost
    assert!(out.path().join("run/summary.json").is_file());
    assert!(out.path().join("new-one.toml").is_file());
}
