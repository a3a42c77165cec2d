#!/usr/bin/env bash
# Benchmark: `dpc catalog` over a folder of generated products (default 1,000: the three
# example kinds in turn, as benches/validate.sh makes them), dist build, measured by hyperfine.
# Usage: benches/catalog.sh [COUNT] [extra hyperfine flags]
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

# Each run replaces the previous site (a folder dpc catalog wrote), as a real rebuild does.
# The peer, timed in the same run so load affects both alike: cp copying every spec file
# (what the catalog reads) into a new tree that replaces the previous copy, as the catalog
# replaces the previous site. (A cp -r of the whole products folder is no peer: the
# generated bundles and sample data make it three times the site's size.)
hyperfine --warmup 1 --runs 10 -N --export-json "$work/result.json" "$@" \
  "$bin catalog $work/products --out $work/site" \
  "sh -c 'mkdir $work/peer.new && cd $work/products && find . -maxdepth 2 -name \*.yaml -exec cp --parents -t $work/peer.new {} + && rm -rf $work/peer && mv $work/peer.new $work/peer'"

python3 - "$work/result.json" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
for r, name in zip(rs, ["catalog", "peer: cp of every spec file"]):
    cpu = r["user"] + r["system"]
    print(f"median {r['median']:.3f} s  mean {r['mean']:.3f} s  "
          f"cpu (user+sys, mean) {cpu:.3f} s  {name}")
print(f"catalog / peer: {rs[0]['median'] / rs[1]['median']:.1f}x (median wall)")
PY
uptime
