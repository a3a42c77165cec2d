#!/usr/bin/env bash
# The generated Python on Apache Spark: creates the three example products, runs each one's
# own pytest suite (tests/) on a local Spark 4 session against its sample data, which must
# pass, then against data broken with `dpc sample --invalid-rate`, which must fail and name
# exactly the broken rules (checked by .ci/check_invalid_run.py); then runs the quality job's
# quality/run_checks.py --data on the same files and compares its score and failing rule ids
# with `dpc test --format json` (.ci/compare_engines.py), and so does `dpc test --spark local
# --format json` (the same run_checks.py started by dpc), with the same exit code; it appends its
# results to a local results table twice and runs the quality alerts on it (.ci/check_results.py).
# ruff checks the generated Python with its default rules. Self-sufficient on a clean clone: installs a JRE when `java`
# is missing and pyspark, pytest and ruff into a virtual environment under target/.
#
# Environment: DPC_SPARK_VENV (default target/spark-venv, under CARGO_TARGET_DIR when set), DPC_SPARK_JOBS (suites run at
# once, default 2), DPC_INVALID_RATE (default 0.1).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
started=$SECONDS

. .ci/lib.sh

echo "--- spark: tools"
need_java
target_dir=${CARGO_TARGET_DIR:-$root/target}
venv=${DPC_SPARK_VENV:-$target_dir/spark-venv}
make_venv "$venv"
# ruff is pinned: its default rule set grows between releases.
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
  "pyspark>=4,<5" "pytest>=8" "ruff==0.17.6"
"$venv/bin/python" -c 'import pyspark; print("pyspark", pyspark.__version__)'
export PATH="$venv/bin:$PATH"

cargo build --quiet --bin dpc
dpc=$target_dir/debug/dpc

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/valid" "$work/invalid" "$work/logs" "$work/home"

echo "--- spark: generate the examples"
# The examples' flags (tests/common/mod.rs), the brief's date, no git identity: the trees must
# equal examples/, which tests/examples.rs keeps in step with the binary.
examples=(customer-360 real-time-fraud-detection sales-analytics)
flags_customer_360=(--domain marketing)
flags_real_time_fraud_detection=(--domain finance --tier platinum --sla critical --sensitivity confidential)
flags_sales_analytics=(--domain sales --owner sales-team@company.com --sla high)
mkdir -p "$work/valid/data-products"
cp "$root/examples/dpc.yaml" "$work/valid/data-products/dpc.yaml"
for name in "${examples[@]}"; do
  var="flags_${name//-/_}[@]"
  (
    cd "$work/valid"
    SOURCE_DATE_EPOCH=1735603200 GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 \
      GIT_CEILING_DIRECTORIES="$work" HOME="$work/home" \
      "$dpc" create "$name" "${!var}" --no-input >/dev/null
  )
  diff -r "$root/examples/$name" "$work/valid/data-products/$name" >/dev/null || {
    echo "data-products/$name differs from examples/$name:" >&2
    diff -r "$root/examples/$name" "$work/valid/data-products/$name" | head -40 >&2
    exit 1
  }
  cp -r "$work/valid/data-products/$name" "$work/invalid/$name"
  "$dpc" sample "$work/invalid/$name" --invalid-rate "${DPC_INVALID_RATE:-0.1}" \
    >"$work/logs/$name-sample.log"
done

echo "--- spark: ruff check (default rules)"
ruff check --isolated --no-cache "$work/valid/data-products"

echo "--- spark: pytest (${DPC_SPARK_JOBS:-2} at once)"
# One pytest process per suite: the products' test modules share file names.
run_suite() { # kind name dir
  local log=$work/logs/$2-$1
  local started=$SECONDS
  set +e
  (cd "$3" && PYTHONDONTWRITEBYTECODE=1 timeout 900 pytest tests -q -p no:cacheprovider \
    --junitxml="$log.xml") >"$log.log" 2>&1
  echo $? >"$log.rc"
  echo "  $2 ($1 data): exit $(cat "$log.rc") in $((SECONDS - started))s"
}
jobs_max=${DPC_SPARK_JOBS:-2}
for name in "${examples[@]}"; do
  for kind in valid invalid; do
    if [ "$kind" = valid ]; then dir=$work/valid/data-products/$name; else dir=$work/invalid/$name; fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
    run_suite "$kind" "$name" "$dir" &
  done
done
wait

failed=0
for name in "${examples[@]}"; do
  log=$work/logs/$name
  if [ "$(cat "$log-valid.rc")" != 0 ]; then
    echo "FAILED: $name: the suite fails on the product's own sample data" >&2
    tail -60 "$log-valid.log" >&2
    failed=1
  fi
  # Exit 1: tests ran and some failed (2-5 would be an interrupted run or a usage error).
  if [ "$(cat "$log-invalid.rc")" != 1 ]; then
    echo "FAILED: $name: the suite exits $(cat "$log-invalid.rc") on broken data, not 1" >&2
    tail -60 "$log-invalid.log" >&2
    failed=1
  elif ! python "$root/.ci/check_invalid_run.py" "$work/invalid/$name" "$log-invalid.xml"; then
    grep -E "^(FAILED|ERROR)" "$log-invalid.log" >&2 || true
    failed=1
  fi
done
echo "--- spark: one score: dpc test, quality/run_checks.py --data and dpc test --spark local on the same files"
# The SLA's score and the failing rule ids, from the binary and from the generated Python on
# Spark, for each example's sample data and its broken copy (.ci/compare_engines.py).
run_both() { # kind name dir
  local log=$work/logs/$2-$1
  set +e
  "$dpc" test "$3" --data "$3/sample_data" --format json >"$log-dpc.json" 2>"$log-dpc.err"
  echo $? >"$log-dpc.rc"
  (cd "$3" && PYTHONDONTWRITEBYTECODE=1 timeout 900 python quality/run_checks.py \
    --data sample_data --json "$log-spark.json") >"$log-spark.log" 2>&1
  echo $? >"$log-spark.rc"
  local started=$SECONDS
  "$dpc" test "$3" --data "$3/sample_data" --spark local --python "$venv/bin/python" \
    --format json >"$log-dpcspark.json" 2>"$log-dpcspark.err"
  echo $? >"$log-dpcspark.rc"
  echo "  $2 ($1 data): dpc test --spark local exit $(cat "$log-dpcspark.rc") in $((SECONDS - started))s"
}
for name in "${examples[@]}"; do
  for kind in valid invalid; do
    if [ "$kind" = valid ]; then dir=$work/valid/data-products/$name; else dir=$work/invalid/$name; fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
    run_both "$kind" "$name" "$dir" &
  done
done
wait
for name in "${examples[@]}"; do
  for kind in valid invalid; do
    log=$work/logs/$name-$kind
    if [ ! -s "$log-spark.json" ]; then
      echo "FAILED: $name ($kind data): run_checks.py wrote no JSON (exit $(cat "$log-spark.rc"))" >&2
      tail -40 "$log-spark.log" >&2
      failed=1
    elif ! python "$root/.ci/compare_engines.py" "$name ($kind data)" "$log-dpc.json" \
      "$(cat "$log-dpc.rc")" "$log-spark.json" "$(cat "$log-spark.rc")"; then
      failed=1
    fi
    if [ ! -s "$log-dpcspark.json" ]; then
      echo "FAILED: $name ($kind data): dpc test --spark local printed no report (exit $(cat "$log-dpcspark.rc"))" >&2
      tail -40 "$log-dpcspark.err" >&2
      failed=1
    elif ! python "$root/.ci/compare_engines.py" "$name ($kind data, dpc test --spark local)" \
      "$log-dpc.json" "$(cat "$log-dpc.rc")" "$log-dpcspark.json" "$(cat "$log-dpcspark.rc")"; then
      failed=1
    fi
  done
done
echo "--- spark: results table: run_checks.py --results twice, then the quality alerts on it"
# What the quality job appends (one row per rule and per table per run) and what the quality
# alerts read from it, on local Spark (.ci/check_results.py), in a scratch folder per run for
# Spark's warehouse.
check_results() { # kind name dir
  local log=$work/logs/$2-$1-results
  mkdir -p "$work/results/$2-$1"
  set +e
  (cd "$work/results/$2-$1" && PYTHONDONTWRITEBYTECODE=1 timeout 900 python \
    "$root/.ci/check_results.py" "$3" "$3/sample_data" "$2 ($1 data)") >"$log.log" 2>&1
  echo $? >"$log.rc"
}
for name in "${examples[@]}"; do
  for kind in valid invalid; do
    if [ "$kind" = valid ]; then dir=$work/valid/data-products/$name; else dir=$work/invalid/$name; fi
    while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
    check_results "$kind" "$name" "$dir" &
  done
done
wait
for name in "${examples[@]}"; do
  for kind in valid invalid; do
    log=$work/logs/$name-$kind-results
    if [ "$(cat "$log.rc")" != 0 ]; then
      echo "FAILED: $name ($kind data): the results table or its alerts disagree (exit $(cat "$log.rc"))" >&2
      grep -E "^FAILED: $name|Error" "$log.log" | tail -20 >&2
      failed=1
    else
      grep -E "quality alerts agree" "$log.log"
    fi
  done
done
echo "--- spark: done in $((SECONDS - started))s"
exit "$failed"
