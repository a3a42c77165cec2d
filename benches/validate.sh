#!/usr/bin/env bash
# Benchmark: `dpc validate` over a folder of generated products (default 1,000: the three
# example kinds in turn), dist build, measured by hyperfine.
# Usage: benches/validate.sh [COUNT] [extra hyperfine flags]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-1000}
shift || true

. benches/setup.sh

for i in $(seq 1 "$count"); do
  case $((i % 3)) in
    0) flags=(--domain marketing --owner owner@example.com) ;;
    1) flags=(--domain finance --tier platinum --sla critical --sensitivity confidential --owner owner@example.com) ;;
    2) flags=(--domain sales --owner sales-team@example.com --sla high) ;;
  esac
  "$bin" create "product-$i" "${flags[@]}" --no-input --output-dir "$work/products" >/dev/null
done

# The peer, timed in the same run so load affects both alike: reading every spec file (what
# validate parses) with cat, the floor any validator of these files pays.
hyperfine --warmup 1 --runs 10 -N --export-json "$work/result.json" "$@" \
  "$bin validate $work/products" \
  "sh -c 'find $work/products -maxdepth 2 -name \*.yaml -exec cat {} + >/dev/null'"

python3 - "$work/result.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
for r, name in zip(rs, ["validate", "peer: cat of every spec file"]):
    cpu = r["user"] + r["system"]
    print(f"median {r['median']:.3f} s  mean {r['mean']:.3f} s  cpu (user+sys, mean) {cpu:.3f} s  {name}")
print(f"validate / peer: {rs[0]['median'] / rs[1]['median']:.1f}x (median wall)")
PY
uptime
