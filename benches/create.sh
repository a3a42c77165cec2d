#!/usr/bin/env bash
# Benchmark: `dpc create customer-360` end to end (render, every check, atomic write) with the
# dist build (fat LTO, what is shipped), measured by hyperfine. Usage: benches/create.sh [extra hyperfine flags]
set -euo pipefail
cd "$(dirname "$0")/.."

. benches/setup.sh
cd "$work"

hyperfine --warmup 10 --runs 200 -N --export-json "$work/result.json" "$@" \
  --prepare "rm -rf $work/data-products" \
  "$bin create customer-360 --domain marketing --no-input --output-dir $work/data-products" \
  "$bin create real-time-fraud-detection --domain finance --tier platinum --sla critical --sensitivity confidential --no-input --output-dir $work/data-products"

# The target is stated as a median.
python3 - "$work/result.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['median'] * 1000:.1f} ms  mean {r['mean'] * 1000:.1f} ms  {r['command'].split()[2]}")
PY
