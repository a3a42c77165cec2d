#!/usr/bin/env bash
# Benchmark: one `dpc diff` of the customer-360 contract (a changed description, a widened
# type, a removed column), dist build, measured by hyperfine.
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/setup.sh
"$bin" create customer-360 --domain marketing --owner o@example.com --no-input --output-dir "$work/old" >/dev/null
cp -r "$work/old" "$work/new"
contract="$work/new/customer-360/contract.yaml"
sed -i -e 's/description: Customer email address/description: Primary contact email/' \
       -e 's/contract_version: "1.0.0"/contract_version: "2.0.0"/' "$contract"
python3 - "$contract" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
s = s.replace("type: INT\n", "type: BIGINT\n", 1)
start = s.index("        - name: phone_number")
end = s.index("        - name: date_of_birth")
open(p, "w").write(s[:start] + s[end:])
PY
hyperfine --warmup 20 --runs 300 -N -i --export-json "$work/result.json" \
  "$bin diff $work/old/customer-360/contract.yaml $contract"
python3 - "$work/result.json" <<'PY'
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    print(f"median {r['median'] * 1000:.2f} ms  mean {r['mean'] * 1000:.2f} ms  diff")
PY
