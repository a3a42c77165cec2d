#!/usr/bin/env bash
# Benchmark: `dpc create customer-360` end to end (render, every check, atomic write) with the
# dist build (fat LTO, what is shipped), measured by hyperfine. Usage: benches/create.sh [extra hyperfine flags]
set -euo pipefail
cd "$(dirname "$0")/.."

. benches/setup.sh
cd "$work"

# The peer, timed in the same run: cp -r writing the same tree (made once beforehand) to a
# new place, the floor of writing these files at all.
"$bin" create customer-360 --domain marketing --no-input --output-dir "$work/made" >/dev/null
hyperfine --warmup 10 --runs 200 -N --export-json "$work/result.json" "$@" \
  --prepare "rm -rf $work/data-products $work/copy" \
  "$bin create customer-360 --domain marketing --no-input --output-dir $work/data-products" \
  "$bin create real-time-fraud-detection --domain finance --tier platinum --sla critical --sensitivity confidential --no-input --output-dir $work/data-products" \
  "cp -r $work/made/customer-360 $work/copy"

# The target is stated as a median.
python3 - "$work/result.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['median'] * 1000:.1f} ms  mean {r['mean'] * 1000:.1f} ms  {r['command'].split()[2]}")
rs = json.load(open(sys.argv[1]))["results"]
print(f"create customer-360 / cp -r of its tree: {rs[0]['median'] / rs[2]['median']:.1f}x (median wall)")
PY
