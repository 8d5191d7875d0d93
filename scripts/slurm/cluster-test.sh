#!/usr/bin/env bash
# The README's Slurm recipe on a real one-node Slurm cluster, started here from the command line.
#
#   scripts/slurm/cluster-test.sh          # CI runs it (.ci/run); about a minute once installed
#
# Installs Debian's slurm-wlm and munge if missing (apt-get; sudo when not root), starts munged,
# slurmctld and slurmd in a temporary folder (a minimal slurm.conf, free ports, no systemd),
# submits job arrays numbered from 0, from 1 and with a step (0-6:2) plus a dependent merge job
# for `run` (with --per-run) and `tornado`, and compares the merged outputs with the unsharded
# ones byte for byte (the manifest's timing masked: the threads, wall and CPU times of a merge are
# the shards'). Also checks that a merge job behind a failed array is cancelled, not left waiting.
# Stops only the daemons it started (trap), and prints their logs on failure.
# $ARMISTICE: the binary to test (default: a debug build of this tree).
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
timeout_s=${CLUSTER_TEST_TIMEOUT:-300}
t0=$(date +%s)

say() { printf '[cluster-test %3ds] %s\n' $(($(date +%s) - t0)) "$*"; }

# --- the binary -----------------------------------------------------------------------------
if [ -z "${ARMISTICE:-}" ]; then
  (cd "$top" && cargo build -q)
  ARMISTICE=${CARGO_TARGET_DIR:-$top/target}/debug/armistice
fi
ARMISTICE=$(realpath "$ARMISTICE")
export ARMISTICE

# --- Slurm and munge ------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq >/dev/null
  $sudo apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
fi
if [ "$(id -u)" != 0 ]; then
  echo "cluster-test: run as root (slurmd starts job steps as their user)" >&2
  exit 1
fi

# --- a one-node cluster in a temporary folder -----------------------------------------------
w=$(mktemp -d /tmp/armistice-slurm.XXXXXX)
chmod 755 "$w"
pids=()
ok=0
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$p" 2>/dev/null || true
  done
  if [ $ok != 1 ]; then
    for f in "$w"/munged.log "$w"/slurmctld.log "$w"/slurmd.log "$w"/jobs/*.out; do
      [ -f "$f" ] && { echo "===== $f"; tail -n 60 "$f"; }
    done
    echo "cluster-test: FAILED (files kept in $w)" >&2
  else
    rm -rf "$w"
  fi
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo $p; return; }
  done
}

node=$(hostname -s)
cpus=$(nproc)
mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
mkdir -p "$w/state" "$w/spool" "$w/jobs" "$w/munge"
chmod 700 "$w/munge"
head -c 1024 /dev/urandom > "$w/munge/munge.key"
chmod 400 "$w/munge/munge.key"
ctld_port=$(free_port)
d_port=$(free_port)
while [ "$d_port" = "$ctld_port" ]; do d_port=$(free_port); done
cat > "$w/slurm.conf" <<EOF
ClusterName=armistice-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$w/munge/munge.sock
StateSaveLocation=$w/state
SlurmdSpoolDir=$w/spool
SlurmctldPidFile=$w/slurmctld.pid
SlurmdPidFile=$w/slurmd.pid
SlurmctldLogFile=$w/slurmctld.log
SlurmdLogFile=$w/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
SchedulerType=sched/builtin
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$w/slurm.conf

say "starting munged, slurmctld and slurmd (node $node, $cpus CPUs)"
munged --foreground --force --key-file="$w/munge/munge.key" --socket="$w/munge/munge.sock" \
  --pid-file="$w/munge/munged.pid" --seed-file="$w/munge/munged.seed" --log-file="$w/munged.log" \
  > "$w/munged.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$w/munge/munge.sock" ] && break; sleep 0.1; done
[ -S "$w/munge/munge.sock" ] || { echo "munged did not start" >&2; exit 1; }
slurmctld -D -i -f "$w/slurm.conf" >> "$w/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -N "$node" -f "$w/slurm.conf" >> "$w/slurmd.log" 2>&1 &
pids+=($!)

# wait until the node takes jobs
deadline=$(($(date +%s) + 60))
until sinfo -h -N -o '%t' 2>/dev/null | grep -qE '^(idle|mix|alloc)'; do
  if [ "$(date +%s)" -gt $deadline ]; then
    echo "the node did not come up:" >&2
    sinfo -N -l >&2 || true
    exit 1
  fi
  for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null || { echo "a daemon died (pid $p)" >&2; exit 1; }; done
  sleep 0.5
done
say "cluster up"

# --- the jobs -------------------------------------------------------------------------------
scen=$w/scen
mkdir -p "$scen"
cp "$top/scenarios/classic/two-party-toy.toml" "$scen/toy.toml"
cd "$w/jobs"

# the unsharded outputs, on this machine
"$ARMISTICE" run "$scen/toy.toml" --runs 400 --seed 11 --per-run --no-charts --quiet --out "$w/want/run"
"$ARMISTICE" tornado "$scen/toy.toml" --runs 120 --seed 5 --quiet --out "$w/want/tornado"

merges=()
names=()
submit() { # NAME WORKLOAD ARRAY MERGE-OPTION ARGS...
  local name=$1 workload=$2 array=$3 opt=$4
  shift 4
  local job merge
  job=$(sbatch --parsable --array="$array" "$top/scripts/slurm/$workload.sbatch" "$@" --out "$w/shards/$name")
  merge=$(sbatch --parsable --dependency=afterok:"${job%%;*}" "$top/scripts/slurm/merge.sbatch" \
    "$w/shards/$name" --out "$w/got/$name" $opt)
  merges+=("${merge%%;*}")
  names+=("$name")
}
submit run-from-0 run 0-3 --no-charts "$scen/toy.toml" --runs 400 --seed 11 --per-run --no-charts
submit run-from-1 run 1-4 --no-charts "$scen/toy.toml" --runs 400 --seed 11 --per-run --no-charts
submit run-step-2 run 0-6:2 --no-charts "$scen/toy.toml" --runs 400 --seed 11 --per-run --no-charts
submit tornado-from-0 tornado 0-3 "" "$scen/toy.toml" --runs 120 --seed 5
submit tornado-from-1 tornado 1-4 "" "$scen/toy.toml" --runs 120 --seed 5
# an array whose tasks fail (no such scenario): its merge job must be cancelled, not wait forever
bad=$(sbatch --parsable --array=1-2 "$top/scripts/slurm/run.sbatch" "$scen/missing.toml" --out "$w/shards/bad")
bad_merge=$(sbatch --parsable --dependency=afterok:"${bad%%;*}" "$top/scripts/slurm/merge.sbatch" "$w/shards/bad" --out "$w/got/bad")
say "submitted ${#merges[@]} job arrays with their merge jobs, and one failing array"

state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | head -1; }
deadline=$(($(date +%s) + timeout_s))
for i in "${!merges[@]}"; do
  while :; do
    s=$(state "${merges[$i]}")
    case "$s" in
      COMPLETED) break ;;
      FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY | BOOT_FAIL | DEADLINE | "")
        echo "merge job of ${names[$i]} ended ${s:-unknown}" >&2
        squeue -a -l >&2 || true
        exit 1 ;;
    esac
    if [ "$(date +%s)" -gt $deadline ]; then
      echo "timed out after ${timeout_s}s waiting for ${names[$i]} (state $s)" >&2
      squeue -a -l >&2 || true
      exit 1
    fi
    sleep 0.5
  done
  say "${names[$i]}: merged"
done
while :; do
  s=$(state "${bad_merge%%;*}")
  case "$s" in
    CANCELLED) break ;;
    PENDING | "") ;;
    *) echo "the merge behind a failed array ended $s, not CANCELLED" >&2; exit 1 ;;
  esac
  if [ "$(date +%s)" -gt $deadline ]; then
    echo "the merge behind a failed array is still waiting (state $s)" >&2
    exit 1
  fi
  sleep 0.5
done
say "the merge behind a failed array was cancelled"

# --- byte for byte ---------------------------------------------------------------------------
mask() {
  sed -E -e '/^    "shards": \{/,/^    \}/d' -e 's/"threads": [0-9]+/"threads": X/' \
    -e 's/"wall_time_seconds": [0-9.]+/"wall_time_seconds": X/' -e 's/^(    "command": ".*"),$/\1/' \
    -e 's/[0-9]+ thread\(s\) · [0-9.]+ s/X thread(s) · X s/g' "$1"
}
same() { # WANT GOT
  local bad=0 f rel
  while IFS= read -r f; do
    rel=${f#"$1/"}
    if [ ! -f "$2/$rel" ]; then
      echo "missing: $rel" >&2
      bad=1
    elif ! cmp -s "$f" "$2/$rel"; then
      case "$rel" in
        summary.json | report.md | report.html)
          diff <(mask "$f") <(mask "$2/$rel") >&2 || bad=1 ;;
        *) echo "differs: $rel" >&2; bad=1 ;;
      esac
    fi
  done < <(find "$1" -type f | sort)
  [ "$(find "$1" -type f | wc -l)" = "$(find "$2" -type f | wc -l)" ] || { echo "extra files in $2" >&2; bad=1; }
  return $bad
}
for n in "${names[@]}"; do
  want=$w/want/${n%%-*}
  same "$want" "$w/got/$n" || { echo "$n: the merged outputs differ from the unsharded ones" >&2; exit 1; }
  files=$(find "$want" -type f | wc -l)
  say "$n: $files files identical to the unsharded run"
done
grep -q '"cpu_time_seconds"' "$w/got/run-from-0/summary.json" || { echo "no shard timing in the merged manifest" >&2; exit 1; }
# each 1-CPU task ran one thread (SLURM_CPUS_PER_TASK), not one per core of the node: 4 in all
grep -q '^    "threads": 4,$' "$w/got/run-from-0/summary.json" || {
  echo "the shards did not run one thread each:" >&2
  cat "$w/got/run-from-0/summary.json" | head -30 >&2
  exit 1
}
ok=1
say "PASSED"
