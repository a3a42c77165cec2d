#!/usr/bin/env bash
# `dpc export dqx` against the real Databricks Labs DQX package (PyPI databricks-labs-dqx): for
# each example, the exported checks must pass DQEngineCore.validate_checks (static: no
# workspace), carry their rule ids, and apply on a local Spark session to the example's sample
# data without an unresolvable argument (an unquoted string literal is read as a column by
# DQX >= 0.16) and without flagging a row (.ci/check_dqx.py). Then two deliberately broken
# exports must be caught: an unknown check function (the validator),
# and an allowed value with its quotes removed (applying). Self-sufficient on a clean clone:
# installs a JRE when `java` is missing, and DQX with pyspark into a virtual environment
# under target/.
#
# Environment: DPC_DQX_VENV (default target/dqx-venv, under CARGO_TARGET_DIR when set).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

. .ci/lib.sh

echo "--- dqx: tools"
need_java
target_dir=${CARGO_TARGET_DIR:-$root/target}
venv=${DPC_DQX_VENV:-$target_dir/dqx-venv}
make_venv "$venv"
# DQX imports pyspark and pandas, which a Databricks runtime provides; pyspark 4 wants pandas < 3.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "databricks-labs-dqx>=0.16" "pyspark>=4,<5" "pandas<3"
"$venv/bin/python" -c 'from databricks.labs.dqx.__version__ import __version__ as v; print("databricks-labs-dqx", v)'
python=$venv/bin/python

cargo build --quiet --bin dpc
dpc=$target_dir/debug/dpc

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failed=0

echo "--- dqx: export the examples, validate and apply with DQX"
pairs=()
for name in customer-360 real-time-fraud-detection sales-analytics; do
  "$dpc" export dqx "$root/examples/$name" --out "$work/$name" >/dev/null
  pairs+=("$root/examples/$name" "$work/$name")
done
if ! "$python" "$root/.ci/check_dqx.py" --apply "${pairs[@]}" 2>"$work/check.err"; then
  tail -40 "$work/check.err" >&2
  failed=1
fi

echo "--- dqx: broken exports must be caught"
cp -r "$work/customer-360" "$work/broken-function"
sed -i '0,/function: "is_not_null"/s//function: "is_not_nul"/' \
  "$work/broken-function/customers.yaml"
cp -r "$work/customer-360" "$work/broken-quoting"
sed -i "0,/\"'loyal'\"/s//\"loyal\"/" "$work/broken-quoting/customer_segments.yaml"
for kind in function quoting; do
  if diff -rq "$work/customer-360" "$work/broken-$kind" >/dev/null; then
    echo "FAILED: the broken-$kind export is not broken (the examples changed?)" >&2
    failed=1
  elif "$python" "$root/.ci/check_dqx.py" --apply "$root/examples/customer-360" "$work/broken-$kind" \
    >"$work/broken-$kind.log" 2>&1; then
    echo "FAILED: the broken-$kind export passed .ci/check_dqx.py" >&2
    failed=1
  else
    echo "  broken-$kind: caught: $(grep -m1 -A1 '^FAILED' "$work/broken-$kind.log" | tail -1 | cut -c1-160)"
  fi
done
echo "--- dqx: done in $((SECONDS - started))s"
exit "$failed"
