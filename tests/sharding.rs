//! Every workload split into shards (issue 19): `run --per-run`, `sweep`, `tornado`, `compare`
//! and `batch` with `--shard K/N` for every K, merged, write byte for byte the unsharded
//! command's outputs (CSV, JSON, charts, report) at 1, 3 and 7 shards. Only the manifest's
//! timing differs (a merge reports the shards' threads, wall and CPU times), and it is masked.
//! Also: shard files are named by their job, a mix of jobs is refused, `--shard auto` outside a
//! Slurm array is a clear error, and outputs do not depend on how the scenario path was typed.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn armistice() -> Command {
    let mut c = Command::cargo_bin("armistice").unwrap();
    c.current_dir(ROOT);
    c
}

fn toy() -> PathBuf {
    Path::new(ROOT).join("scenarios/classic/two-party-toy.toml")
}

fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(d: &Path, base: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = vec![];
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The timing of a manifest (threads, wall time, a merge's shard timings) masked.
fn masked(rel: &Path, bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let name = rel.file_name().unwrap().to_string_lossy();
    if name == "summary.json" {
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        if let Some(m) = v.get_mut("manifest").and_then(|m| m.as_object_mut()) {
            for k in ["threads", "wall_time_seconds", "shards"] {
                m.remove(k);
            }
        }
        return serde_json::to_string_pretty(&v).unwrap();
    }
    if name.starts_with("report.") || name.starts_with("index.") {
        let re = |s: &str| {
            let mut out = String::new();
            for line in s.lines() {
                match line.find(" thread(s) · ") {
                    Some(i) => {
                        let head = line[..i].trim_end_matches(|c: char| c.is_ascii_digit());
                        let tail = &line[i + " thread(s) · ".len()..];
                        let tail = tail.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
                        out.push_str(&format!("{head}X thread(s) · X{tail}\n"));
                    }
                    None => out.push_str(&format!("{line}\n")),
                }
            }
            out
        };
        return re(&text);
    }
    text
}

/// Every file of `want` is in `got` with the same bytes (manifest timing masked), and `got` has
/// no other file.
fn assert_same(want: &Path, got: &Path, what: &str) {
    let (a, b) = (files(want), files(got));
    assert_eq!(a, b, "{what}: not the same files");
    assert!(!a.is_empty());
    for rel in &a {
        let (x, y) = (
            std::fs::read(want.join(rel)).unwrap(),
            std::fs::read(got.join(rel)).unwrap(),
        );
        if x != y {
            assert_eq!(masked(rel, &x), masked(rel, &y), "{what}: {} differs", rel.display());
        }
    }
}

/// Runs `args` unsharded into `dir/whole`, then at 1, 3 and 7 shards merged into `dir/merged-N`,
/// and checks each merge against the unsharded outputs.
fn check_workload(args: &[&str], what: &str) {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    armistice()
        .args(args)
        .arg("--out")
        .arg(&whole)
        .arg("-q")
        .assert()
        .success();
    for n in [1u64, 3, 7] {
        let shards = dir.path().join(format!("shards-{n}"));
        for k in 0..n {
            armistice()
                .args(args)
                .args(["-q", "--shard", &format!("{k}/{n}"), "--out"])
                .arg(&shards)
                .assert()
                .success();
        }
        let names = files(&shards);
        assert!(
            names
                .iter()
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .count()
                == n as usize,
            "{what}: {names:?}"
        );
        let merged = dir.path().join(format!("merged-{n}"));
        armistice()
            .arg("merge")
            .arg(&shards)
            .arg("--out")
            .arg(&merged)
            .arg("-q")
            .assert()
            .success();
        assert_same(&whole, &merged, &format!("{what} at {n} shards"));
    }
}

#[test]
fn sharded_run_with_per_run_rows_merges_to_the_unsharded_outputs() {
    check_workload(
        &[
            "run",
            toy().to_str().unwrap(),
            "--runs",
            "50",
            "--seed",
            "3",
            "--per-run",
        ],
        "run --per-run",
    );
}

#[test]
fn sharded_sweep_merges_to_the_unsharded_outputs() {
    check_workload(
        &[
            "sweep",
            toy().to_str().unwrap(),
            "--set",
            "actor.A.war_cost=0.01..0.03:3",
            "--runs",
            "30",
        ],
        "sweep",
    );
}

#[test]
fn sharded_tornado_merges_to_the_unsharded_outputs() {
    check_workload(&["tornado", toy().to_str().unwrap(), "--runs", "40"], "tornado");
}

#[test]
fn sharded_compare_merges_to_the_unsharded_outputs() {
    // B: the toy with A's war cost raised, so paired differences are not all zero
    let dir = tempfile::tempdir().unwrap();
    let b = dir.path().join("toy-b.toml");
    let text = std::fs::read_to_string(toy()).unwrap();
    let edited = armistice::analysis::variant_text(&text, &[("actor.A.war_cost", 0.04)]).unwrap();
    std::fs::write(&b, edited).unwrap();
    check_workload(
        &["compare", toy().to_str().unwrap(), b.to_str().unwrap(), "--runs", "40"],
        "compare",
    );
}

#[test]
fn sharded_batch_merges_to_the_unsharded_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("cases");
    std::fs::create_dir(&folder).unwrap();
    for f in ["two-party-toy", "rubinstein", "fearon"] {
        std::fs::copy(
            Path::new(ROOT).join(format!("scenarios/classic/{f}.toml")),
            folder.join(format!("{f}.toml")),
        )
        .unwrap();
    }
    // a broken file is listed in the index, merged or not
    std::fs::write(folder.join("broken.toml"), "[meta]\nid = \"broken\"\n").unwrap();
    let out = armistice()
        .args([
            "batch",
            folder.to_str().unwrap(),
            "--runs",
            "30",
            "--no-charts",
            "-q",
            "--out",
        ])
        .arg(dir.path().join("probe"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "the broken file fails the batch");
    // check_workload wants success: compare by hand, the exit code included
    let whole = dir.path().join("whole");
    let args = ["batch", folder.to_str().unwrap(), "--runs", "30", "--no-charts", "-q"];
    armistice().args(args).arg("--out").arg(&whole).assert().code(1);
    for n in [1u64, 3, 7] {
        let shards = dir.path().join(format!("shards-{n}"));
        for k in 0..n {
            armistice()
                .args(args)
                .args(["--shard", &format!("{k}/{n}"), "--out"])
                .arg(&shards)
                .assert()
                .success();
        }
        let merged = dir.path().join(format!("merged-{n}"));
        // output options (--no-charts, --out, -q) are the merge's own
        armistice()
            .arg("merge")
            .arg(&shards)
            .args(["--no-charts", "-q", "--out"])
            .arg(&merged)
            .assert()
            .code(1);
        assert_same(&whole, &merged, &format!("batch at {n} shards"));
    }
}

/// Two jobs (other seeds) write other shard files into one folder; merging the folder is refused
/// as a mix, each job's files merge on their own; without --out a merge does not write where the
/// unsharded command writes.
#[test]
fn shard_files_are_named_by_their_job_and_a_mix_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    for seed in ["1", "2"] {
        for k in 0..2 {
            armistice()
                .args(["tornado", toy().to_str().unwrap(), "--runs", "20", "--seed", seed, "-q"])
                .args(["--shard", &format!("{k}/2"), "--out"])
                .arg(&shards)
                .assert()
                .success();
        }
    }
    let names = files(&shards);
    assert_eq!(names.len(), 4, "{names:?}");
    assert!(names.iter().all(|n| {
        let n = n.to_string_lossy();
        n.starts_with("tornado-two-party-toy-") && n.contains("-runs20.shard-")
    }));
    let out = armistice()
        .arg("merge")
        .arg(&shards)
        .arg("--out")
        .arg(dir.path().join("m"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("different jobs"), "{err}");
    assert!(!dir.path().join("m").exists());
    let seed2: Vec<PathBuf> = names
        .iter()
        .filter(|n| n.to_string_lossy().contains("-seed2-"))
        .map(|n| shards.join(n))
        .collect();
    assert_eq!(seed2.len(), 2);
    let work = dir.path().join("cwd");
    std::fs::create_dir(&work).unwrap();
    let mut c = Command::cargo_bin("armistice").unwrap();
    c.current_dir(&work)
        .arg("merge")
        .args(&seed2)
        .arg("-q")
        .assert()
        .success();
    let merged = files(&work.join("output"));
    assert!(
        merged.iter().all(
            |p| p.starts_with(p.components().next().unwrap().as_os_str().to_string_lossy().to_string())
                && p.to_string_lossy().starts_with("merged-tornado-two-party-toy-")
        ),
        "{merged:?}"
    );
}

/// A run shard and an analysis shard, or shards of runs with and without --per-run, are not
/// merged together; an edited analysis shard is refused.
#[test]
fn merge_refuses_mixed_kinds_and_edited_analysis_shards() {
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    let toy = toy();
    let t = toy.to_str().unwrap();
    armistice()
        .args(["run", t, "--runs", "20", "-q", "--shard", "0/1", "--out"])
        .arg(&shards)
        .assert()
        .success();
    armistice()
        .args(["tornado", t, "--runs", "20", "-q", "--shard", "0/1", "--out"])
        .arg(&shards)
        .assert()
        .success();
    let out = armistice().arg("merge").arg(&shards).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("different jobs"));

    let tornado = files(&shards)
        .into_iter()
        .find(|p| p.to_string_lossy().starts_with("tornado-"))
        .map(|p| shards.join(p))
        .unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&tornado).unwrap()).unwrap();
    let runs = &mut v["units"][0]["aggregate"]["outcomes"][0];
    *runs = (runs.as_u64().unwrap() + 1).into();
    std::fs::write(&tornado, serde_json::to_string(&v).unwrap()).unwrap();
    let out = armistice().arg("merge").arg(&tornado).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("checksum"));
}

/// `--shard auto` outside a Slurm job array says so (exit 1), for every workload.
#[test]
fn shard_auto_outside_a_job_array_is_a_clear_error() {
    let t = toy();
    let t = t.to_str().unwrap();
    for args in [
        vec!["run", t],
        vec!["tornado", t],
        vec!["sweep", t, "--set", "actor.A.war_cost=0.01,0.02"],
        vec!["compare", t, t],
        vec!["batch", "scenarios/classic"],
    ] {
        let out = armistice()
            .args(&args)
            .args(["--shard", "auto", "--runs", "5", "-q"])
            .env_remove("SLURM_ARRAY_TASK_ID")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("--shard auto needs a Slurm job array"), "{args:?}: {err}");
    }
}

/// `../x.toml`, `/abs/x.toml` and `x.toml` give the same bytes (but for the wall time).
#[test]
fn outputs_do_not_depend_on_how_the_scenario_path_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("a/b");
    std::fs::create_dir_all(&sub).unwrap();
    std::fs::copy(toy(), dir.path().join("a/toy.toml")).unwrap();
    let run = |cwd: &Path, path: &str, out: &str| {
        let mut c = Command::cargo_bin("armistice").unwrap();
        c.current_dir(cwd)
            .args(["run", path, "--runs", "20", "--no-charts", "-q", "--out"])
            .arg(dir.path().join(out))
            .assert()
            .success();
    };
    let abs = dir.path().join("a/toy.toml");
    run(&sub, "../toy.toml", "rel");
    run(&sub, abs.to_str().unwrap(), "abs");
    run(&dir.path().join("a"), "toy.toml", "bare");
    assert_same(
        &dir.path().join("rel"),
        &dir.path().join("abs"),
        "../x.toml against /abs/x.toml",
    );
    assert_same(
        &dir.path().join("rel"),
        &dir.path().join("bare"),
        "../x.toml against x.toml",
    );
    // the file name is what the outputs show
    let m = std::fs::read_to_string(dir.path().join("rel/summary.json")).unwrap();
    assert!(m.contains("\"scenario_file\": \"toy.toml\""), "{m}");
}
