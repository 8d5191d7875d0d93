#!/usr/bin/env bash
# Are the outputs of this working tree byte-identical to those of another revision?
#
#   scripts/same-outputs.sh REV            # e.g. scripts/same-outputs.sh a40edab
#
# Builds REV (in a temporary git worktree) and this tree in release mode, runs the same commands
# with both binaries on the same scenario files (REV's copies of the reference and classic
# scenarios, so an edited comment in a scenario does not count as a difference), and compares
# every file written, byte for byte, with the wall-clock times masked. Prints IDENTICAL or the
# files that differ; exits 1 if any differ. For refactors that must not change results.
set -euo pipefail
rev=${1:?usage: scripts/same-outputs.sh REV}
top=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'git -C "$top" worktree remove --force "$work/rev" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

git -C "$top" worktree add --detach -q "$work/rev" "$rev"
mkdir -p "$work/scen" "$work/bin-old" "$work/bin-new"
cp "$work/rev/scenarios/"ukraine-2025-*.toml "$work/rev/scenarios/classic/"*.toml "$work/scen/"
(cd "$work/rev" && CARGO_TARGET_DIR="$top/target/same-outputs" cargo build --release -q)
cp "$top/target/same-outputs/release/armistice" "$work/bin-old/armistice"
# (this tree's build honours CARGO_TARGET_DIR; REV's has its own folder: one shared target folder
# would take REV's build, whose sources are newer, for this tree's and skip the rebuild)
(cd "$top" && cargo build --release -q)
cp "${CARGO_TARGET_DIR:-$top/target}/release/armistice" "$work/bin-new/armistice"

# The commands: every output the tool writes for the reference, a classic game, and the analyses.
outputs() {
  local bin=$1/armistice out=$2
  mkdir -p "$out"
  cd "$work/scen"
  $bin run ukraine-2025-08.toml --runs 4000 --seed 19 --threads 2 --per-run --out "$out/run08" --quiet
  $bin run ukraine-2025-12.toml --runs 2000 --seed 7 --threads 1 --out "$out/run12" --quiet
  for f in rubinstein baron-ferejohn fearon; do
    $bin run $f.toml --runs 1000 --threads 2 --out "$out/$f" --quiet --no-charts
  done
  $bin solve ukraine-2025-08.toml --json > "$out/solve08.json"
  $bin solve bdm-eu-emissions.toml > "$out/solve-bdm.txt"
  $bin explain ukraine-2025-08.toml --run 5 > "$out/explain.txt"
  $bin sweep ukraine-2025-08.toml --set actor.RU.war_cost=0.002..0.012:3 --runs 300 --out "$out/sweep" --quiet
  $bin sweep two-party-toy.toml --set actor.A.war_cost=0.01..0.03:3 --set actor.B.war_cost=0.01..0.03:3 \
    --runs 200 --out "$out/heatmap" --quiet
  $bin tornado two-party-toy.toml --runs 200 --out "$out/tornado" --quiet
  $bin compare ukraine-2025-08.toml ukraine-2025-12.toml --runs 300 --out "$out/compare" --quiet
  $bin check ukraine-2025-08.toml > "$out/check.txt" 2>&1
}
outputs "$work/bin-old" "$work/old"
outputs "$work/bin-new" "$work/new"

mask() { sed -E 's/"wall_time_seconds": [0-9.]+/"wall_time_seconds": X/; s/thread\(s\) · [0-9.]+ s/thread(s) · X s/g' "$1"; }
bad=0
while IFS= read -r f; do
  rel=${f#"$work/old/"}
  if [ ! -f "$work/new/$rel" ]; then echo "only in $rev: $rel"; bad=1
  elif ! cmp -s "$f" "$work/new/$rel" && ! diff -q <(mask "$f") <(mask "$work/new/$rel") >/dev/null; then
    echo "differs: $rel"; bad=1
  fi
done < <(find "$work/old" -type f | sort)
while IFS= read -r f; do
  rel=${f#"$work/new/"}
  [ -f "$work/old/$rel" ] || { echo "only in this tree: $rel"; bad=1; }
done < <(find "$work/new" -type f | sort)
n=$(find "$work/old" -type f | wc -l)
[ $bad = 0 ] && echo "IDENTICAL: $n files (wall times masked)"
exit $bad
