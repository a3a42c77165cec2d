#!/usr/bin/env bash
# Benchmarks `dpc sample` and `dpc test` on the dist build, against the targets of issue 6:
#   - dpc test, 1,000,000-row customers CSV (14 columns): median <= 1.0 s, peak <= 150 MiB
#   - dpc test, the same rows as Parquet:                  median <= 0.4 s
#   - dpc sample --rows 1000000 (customer-360, 3 tables):  median <= 1.0 s
# and checks that 1,000,000 sampled rows pass `dpc test` at 100 % for all three example
# products. Needs hyperfine and GNU time (/usr/bin/time). Exits 1 when a target is missed.
#
#   benches/data.sh            # everything
#   RUNS=20 benches/data.sh    # more runs per measurement
set -euo pipefail
cd "$(dirname "$0")/.."

command -v hyperfine >/dev/null || { echo "benches/data.sh needs hyperfine" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "benches/data.sh needs GNU time at /usr/bin/time" >&2; exit 2; }

RUNS=${RUNS:-10}
cargo build --profile dist --quiet
DPC=$PWD/target/dist/dpc
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PRODUCT=examples/customer-360

median() { # hyperfine JSON → median seconds
    python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$1"
}
peak_mib() { # command... → peak resident memory in MiB
    /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }'
}

echo "== dpc sample --rows 1000000 ($PRODUCT: 3 tables, CSV)"
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/sample.json" \
    "$DPC sample $PRODUCT --rows 1000000 --out $WORK/csv"
"$DPC" sample "$PRODUCT" --rows 1000000 --format parquet --out "$WORK/parquet" >/dev/null

echo "== dpc test, 1,000,000-row customers CSV ($(du -h "$WORK/csv/customers.csv" | cut -f1))"
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/test_csv.json" \
    "$DPC test $PRODUCT --data $WORK/csv/customers.csv"
echo "== dpc test, 1,000,000-row customers Parquet ($(du -h "$WORK/parquet/customers.parquet" | cut -f1))"
hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$WORK/test_parquet.json" \
    "$DPC test $PRODUCT --data $WORK/parquet/customers.parquet"

SAMPLE=$(median "$WORK/sample.json")
TEST_CSV=$(median "$WORK/test_csv.json")
TEST_PARQUET=$(median "$WORK/test_parquet.json")
MEM_CSV=$(peak_mib "$DPC" test "$PRODUCT" --data "$WORK/csv/customers.csv")
MEM_PARQUET=$(peak_mib "$DPC" test "$PRODUCT" --data "$WORK/parquet/customers.parquet")
MEM_SAMPLE=$(peak_mib "$DPC" sample "$PRODUCT" --rows 1000000 --out "$WORK/csv")

echo "== 1,000,000 sampled rows per table pass dpc test at 100 %"
PASSES=ok
for p in customer-360 real-time-fraud-detection sales-analytics; do
    "$DPC" sample "examples/$p" --rows 1000000 --out "$WORK/$p" >/dev/null
    if "$DPC" test "examples/$p" --data "$WORK/$p" --format json >"$WORK/$p.json"; then
        score=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["quality"]["score"])' "$WORK/$p.json")
        echo "  $p: passed, quality score $score %"
        [ "$score" = "100.0" ] || PASSES=failed
    else
        echo "  $p: FAILED"
        PASSES=failed
    fi
    rm -rf "${WORK:?}/$p"
done

status=0
check() { # name value limit unit
    if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)' "$2" "$3"; then
        printf '  %-46s %8s %-4s (target <= %s) ok\n' "$1" "$2" "$4" "$3"
    else
        printf '  %-46s %8s %-4s (target <= %s) MISSED\n' "$1" "$2" "$4" "$3"
        status=1
    fi
}
echo
echo "== Results (median of $RUNS runs, $(nproc) cores)"
check "dpc test, 1M-row customers CSV" "$TEST_CSV" 1.0 s
check "dpc test, 1M-row customers CSV, peak memory" "$MEM_CSV" 150 MiB
check "dpc test, 1M-row customers Parquet" "$TEST_PARQUET" 0.4 s
printf '  %-46s %8s %-4s\n' "dpc test, 1M-row customers Parquet, peak memory" "$MEM_PARQUET" MiB
check "dpc sample --rows 1000000 (3 tables, CSV)" "$SAMPLE" 1.0 s
printf '  %-46s %8s %-4s\n' "dpc sample --rows 1000000, peak memory" "$MEM_SAMPLE" MiB
echo "  1M sampled rows pass for all three examples:      $PASSES"
[ "$PASSES" = ok ] || status=1
exit $status
