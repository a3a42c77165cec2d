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

# Two cases, each timed beside a peer in the same run so load affects both alike.
# rebuild: each run replaces the previous site (a folder dpc catalog wrote), as a real
#   rebuild does; files that did not change are linked from the previous site.
# fresh: the site's folder is deleted before each run, so everything is written anew.
# The peer: cp copying every spec file (what the catalog reads) into a new tree that replaces
# the previous copy (rebuild) or into an empty place (fresh). A cp -r of the whole products
# folder is no peer: the generated bundles and sample data make it three times the site's size.
# On ext4 without a journal, creating files right after many were deleted is slow (the
# allocator skips inodes freed in the last minute), so "fresh" pays for the deleting before it.
peer="mkdir $work/peer.new && cd $work/products && find . -maxdepth 2 -name \*.yaml -exec cp --parents -t $work/peer.new {} + && rm -rf $work/peer && mv $work/peer.new $work/peer"
hyperfine --warmup 1 --runs 10 -N --export-json "$work/rebuild.json" "$@" \
  "$bin catalog $work/products --out $work/site" \
  "sh -c '$peer'"
hyperfine --warmup 1 --runs 10 -N --export-json "$work/fresh.json" "$@" \
  --prepare "rm -rf $work/site $work/peer" \
  "$bin catalog $work/products --out $work/site" \
  "sh -c '$peer'"

python3 - "$work/rebuild.json" "$work/fresh.json" <<'PY'
import json, sys
for case, path in zip(["rebuild", "fresh"], sys.argv[1:]):
    rs = json.load(open(path))["results"]
    for r, name in zip(rs, ["catalog", "peer: cp of every spec file"]):
        cpu = r["user"] + r["system"]
        print(f"{case:8} median {r['median']:.3f} s  mean {r['mean']:.3f} s  "
              f"cpu (user+sys, mean) {cpu:.3f} s  {name}")
    print(f"{case:8} catalog / peer: {rs[0]['median'] / rs[1]['median']:.1f}x (median wall)")
PY
uptime
