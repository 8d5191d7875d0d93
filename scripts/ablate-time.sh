#!/usr/bin/env bash
# Each mechanism of docs/model.md §9 switched off in turn on a reference scenario.
#
#   scripts/ablate-time.sh [SCENARIO] [RUNS] [SEED]     # default: scenarios/ukraine-2025-08.toml 2000 19
#
# Writes variants of the scenario (no ceasefire, no learning, no state-dependent positions, no
# scheduled events, none of them) to a temporary folder, runs each with the same seed, and prints
# P(settlement) and P(ceasefire) within 3, 5, 12 and 24 rounds with 95% intervals, the median
# round of settlement and of the first ceasefire, and the CPU seconds per 1,000 runs. The variants
# are cut from the file's text: the ceasefire and scheduled-event blocks by their section comments,
# learning by its `drift_sd` and `strength` keys, positions by every `when` list.
set -euo pipefail
scen=${1:-scenarios/ukraine-2025-08.toml}
runs=${2:-2000}
seed=${3:-19}
top=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$top" && cargo build --release -q)
bin="$top/target/release/armistice"
python3 - "$scen" "$work" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
out = sys.argv[2]
def cut(s, start, end=None):
    if start not in s:
        return s
    i = s.index(start)
    j = s.index(end, i) if end and end in s[i:] else len(s)
    return s[:i] + s[j:]
def no_ceasefire(s): return cut(s, "# ── Ceasefire before a settlement", "# ── Scheduled events")
def no_scheduled(s): return cut(s, "# ── Scheduled events", "# ── Ceasefire before a settlement")
def no_learning(s): return re.sub(r", (drift_sd|strength) = [0-9.]+", "", s)
def no_positions(s):
    s = re.sub(r"(?m)^when = \[\{[^\n]*\}\]\n", "", s)
    return re.sub(r"(?ms)^when = \[\n.*?^\]\n", "", s)
variants = {"full": src, "no-ceasefire": no_ceasefire(src), "no-learning": no_learning(src),
            "no-positions": no_positions(src), "no-scheduled": no_scheduled(src)}
variants["none"] = no_ceasefire(no_scheduled(no_learning(no_positions(src))))
for k, t in variants.items():
    open(f"{out}/{k}.toml", "w").write(t)
PY
printf '%-13s %-44s %-44s %s\n' variant "P(settlement) within 3 / 5 / 12 / 24" "P(ceasefire) within 3 / 5 / 12 / 24" "median rounds · CPU s per 1k runs"
for k in none no-ceasefire no-learning no-positions no-scheduled full; do
  /usr/bin/time -f "%U" -o "$work/$k.cpu" "$bin" run "$work/$k.toml" --runs "$runs" --seed "$seed" --out "$work/out-$k" --no-charts --quiet
  python3 - "$work/out-$k/summary.json" "$k" "$(cat "$work/$k.cpu")" "$runs" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); r = s.get("results", s)
def f(e): return f"{100*e['p']:.1f}" if e["p"] is not None else "-"
aw = {x["round"]: x for x in r["agreement_within"]}
h = len(aw)
pick = [t for t in (3, 5, 12, 24) if t <= h]
settle = " / ".join(f(aw[t]) for t in pick)
c = r.get("ceasefire")
cf = " / ".join(f(c["ceasefire_within"][t - 1]) for t in pick) if c else "-"
med = f"{r['median_round_of_agreement']}" + (f" · {c['median_round_of_ceasefire']}" if c else "")
cpu = float(sys.argv[3]) / int(sys.argv[4]) * 1000
print(f"{sys.argv[2]:<13} {settle:<44} {cf:<44} {med} · {cpu:.1f}")
PY
done
