#!/usr/bin/env bash
# Throughput of this tree against an earlier commit, measured in the same run (the machine is noisy).
# Usage: benchmarks/compare.sh REV [ROUNDS]   e.g. benchmarks/compare.sh d4a6cbf 3
# Alternates old and new runs of benchmarks/throughput.py ROUNDS times and prints new/old ratios of
# the medians. The old tree is a temporary git worktree, run with this tree's .venv.
set -euo pipefail
rev=${1:?usage: benchmarks/compare.sh REV [ROUNDS]}
rounds=${2:-3}
here=$(cd "$(dirname "$0")/.." && pwd)
py="$here/.venv/bin/python"
old=$(mktemp -d)
trap 'git -C "$here" worktree remove --force "$old" >/dev/null 2>&1 || true' EXIT
git -C "$here" worktree add --detach "$old" "$rev" >/dev/null 2>&1
out=$(mktemp -d)
for round in $(seq "$rounds"); do
  (cd "$old" && PYTHONPATH="$old" "$py" benchmarks/throughput.py --repeats 3 > "$out/old-$round.json")
  (cd "$here" && "$py" benchmarks/throughput.py --repeats 3 > "$out/new-$round.json")
done
"$py" - "$out" "$rounds" <<'PY'
import json, statistics, sys
from pathlib import Path
out, rounds = Path(sys.argv[1]), int(sys.argv[2])
runs = {side: [json.loads((out / f"{side}-{r}.json").read_text()) for r in range(1, rounds + 1)] for side in ("old", "new")}
measures = [k for k in ("generate", "assess", "generate_and_assess", "score") if k in runs["new"][0]]
print(f"{'measure':22} {'old /s':>9} {'new /s':>9} {'new/old':>8}")
for k in measures:
    old = [r[k] for r in runs["old"] if k in r]
    new = statistics.median(r[k] for r in runs["new"])
    if old:
        print(f"{k:22} {statistics.median(old):9.0f} {new:9.0f} {new / statistics.median(old):8.2f}")
    else:
        print(f"{k:22} {'—':>9} {new:9.0f} {'—':>8}")
PY
