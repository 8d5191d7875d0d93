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
        vec![
            "run".into(),
            toy.into(),
            "--runs".into(),
            "20".into(),
            "--no-charts".into(),
            "--out".into(),
            o("run"),
        ],
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

/// The names in `dir` (recursively, relative, sorted), dot-files included.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = vec![];
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().map(Result::unwrap) {
            let p = e.path();
            out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
            if p.is_dir() {
                stack.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `run --per-run` into `out`, to the end.
fn run_to_end(out: &Path) {
    let st = bin()
        .args([
            "run",
            toy().to_str().unwrap(),
            "--runs",
            "400",
            "--per-run",
            "--quiet",
            "--out",
        ])
        .arg(out)
        .status()
        .unwrap();
    assert!(st.success());
}

/// SIGKILL at pseudo-random moments of a run (while simulating, streaming runs.csv, drawing the
/// charts, committing): the output folder never holds anything but complete files, and after the
/// next successful run exactly what a run into a fresh folder writes, with no staging folder or
/// temporary file left. ARMISTICE_KILL_TRIALS sets the number of kills (10 by default; the issue
/// asks for 100 once).
#[test]
fn sigkill_at_any_moment_leaves_no_debris_after_the_next_run() {
    let trials: u64 = std::env::var("ARMISTICE_KILL_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let fresh = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    run_to_end(fresh.path());
    // how long a whole run takes here: kills are spread over 0 to 1.2 times that
    let span = started.elapsed().as_micros().max(1000) as u64 * 6 / 5;
    let expected = tree(fresh.path());
    assert!(expected.iter().all(|n| !n.starts_with('.')), "{expected:?}");

    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    run_to_end(&out);
    let mut state = 0x9e37_79b9_7f4a_7c15_u64;
    let mut killed_mid_run = 0;
    for k in 0..trials {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let delay = (state >> 33) % span;
        let mut child = bin()
            .args([
                "run",
                toy().to_str().unwrap(),
                "--runs",
                "400",
                "--per-run",
                "--quiet",
                "--out",
            ])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(delay));
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        // whatever the moment, every visible file is a complete one
        let summary = std::fs::read_to_string(out.join("summary.json")).unwrap();
        serde_json::from_str::<serde_json::Value>(&summary)
            .unwrap_or_else(|e| panic!("kill {k} after {delay} µs: summary.json is damaged: {e}"));
        let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap();
        assert_eq!(
            runs.lines().count(),
            401,
            "kill {k} after {delay} µs: runs.csv is partial"
        );
        // every third kill, a successful run cleans up
        if k % 3 == 2 || k + 1 == trials {
            run_to_end(&out);
            assert_eq!(tree(&out), expected, "after kill {k} ({delay} µs) and a successful run");
        }
    }
    eprintln!("{killed_mid_run} of {trials} kills landed while the run was going on");
    assert!(
        trials == 0 || killed_mid_run > 0,
        "no kill landed while a run was going on"
    );
}

/// A shard whose counts were edited (the run total kept, so the merge's own run-count check
/// passes) is refused, naming the file; the unedited shards merge.
#[test]
fn merge_refuses_a_shard_whose_counts_were_edited() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    for k in 0..2 {
        let st = bin()
            .args(["run", toy().to_str().unwrap(), "--runs", "200", "--quiet", "--shard"])
            .arg(format!("{k}/2"))
            .arg("--out")
            .arg(&shards)
            .status()
            .unwrap();
        assert!(st.success());
    }
    let merged = |out: &str| {
        bin()
            .arg("merge")
            .arg(&shards)
            .args(["--no-charts", "--quiet", "--out"])
            .arg(dir.path().join(out))
            .output()
            .unwrap()
    };
    assert!(merged("good").status.success());

    // shard files are named by their job: <job>.shard-K-of-N.json
    let path = std::fs::read_dir(&shards)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".shard-1-of-2.json"))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&text).unwrap();
    // move one agreement from the first round to the second: same runs, other counts
    let rounds = json["aggregate"]["agreement_round"].as_array_mut().unwrap();
    let (a, b) = (rounds[0].as_u64().unwrap(), rounds[1].as_u64().unwrap());
    assert!(a > 0);
    rounds[0] = (a - 1).into();
    rounds[1] = (b + 1).into();
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let out = merged("bad");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("shard-1-of-2.json") && stderr.contains("checksum") && stderr.contains("--shard 1/2"),
        "{stderr}"
    );
    assert!(!dir.path().join("bad/summary.json").exists());

    // a shard without its checksum is refused too
    json.as_object_mut().unwrap().remove("checksum");
    std::fs::write(&path, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let out = merged("bad");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without a checksum"));
}

/// The messages of issue 14's point 6 that come from the command line: a negative number is a
/// bad value with its range (not "unexpected argument '-1'"), and `new` does not create folders.
#[test]
fn command_line_messages_name_the_valid_range() {
    let toy = "scenarios/classic/two-party-toy.toml";
    let mut all = String::new();
    for args in [
        vec!["run", toy, "--seed", "-1"],
        vec!["run", toy, "--runs", "-5"],
        vec!["run", toy, "--runs", "0"],
        vec!["sweep", toy, "--threads", "0"],
        vec!["explain", toy, "--run", "-1"],
        vec!["new", "/nonexistent/dir/x"],
    ] {
        let out = bin().args(&args).current_dir(root()).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        all += &format!(
            "$ armistice {}\n{}\n",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(!Path::new("/nonexistent").exists(), "new created /nonexistent");
    insta::assert_snapshot!(all);
}

/// SIGTERM (what `timeout` and Slurm send) in the middle of a run cancels it like Ctrl-C: exit
/// 130, no staging folder left, the earlier outputs untouched.
#[cfg(unix)]
#[test]
fn sigterm_cancels_a_run_and_leaves_the_earlier_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    run_to_end(&out);
    let before = std::fs::read(out.join("summary.json")).unwrap();
    let mut child = bin()
        .args(["run", toy().to_str().unwrap(), "--runs", "1000000", "--quiet", "--out"])
        .arg(&out)
        .spawn()
        .unwrap();
    // wait until the run has begun writing (its staging folder exists)
    let staging = out.join(format!(".staging-{}", child.id()));
    while !staging.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it was signalled"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let st = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(130));
    assert!(!staging.exists(), "the staging folder was left");
    assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), before);
    assert!(tree(&out).iter().all(|n| !n.starts_with('.')), "{:?}", tree(&out));
}
