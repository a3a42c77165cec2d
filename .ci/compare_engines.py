"""One score, every engine: compares `dpc test --format json` with quality/run_checks.py --json
on the same files.

usage: compare_engines.py NAME DPC_JSON DPC_EXIT SPARK_JSON SPARK_EXIT

SPARK_JSON is run_checks.py's --json, or the report of `dpc test --spark ... --format json`
(read into the same shape); for the latter the exit codes must be equal.

Both must count the same rows, the same rows passing every rule (so the same quality score, the
SLA's "percentage of records passing all quality checks"), the same failing rows per rule id,
hence the same failing rule ids, and both must pass or both fail.
"""

import json
import sys


def from_report(report: dict) -> dict:
    """A `dpc test --format json` report (here: of `dpc test --spark`) as run_checks.py's JSON."""
    tables = {
        t["table"]: {
            "rows": t["rows"],
            "passing_rows": t["rows_passing"],
            "failures": {r["id"]: r["rows_failed"] for r in t["rules"]},
        }
        for t in report["tables"]
    }
    return {
        "rows": sum(t["rows"] for t in tables.values()),
        "passing_rows": sum(t["passing_rows"] for t in tables.values()),
        "score": report["quality"]["score"],
        "failing_rule_ids": sorted(
            i for t in tables.values() for i, n in t["failures"].items() if n
        ),
        "tables": tables,
    }


def main() -> int:
    name, dpc_path, dpc_exit, spark_path, spark_exit = sys.argv[1:6]
    with open(dpc_path, encoding="utf-8") as f:
        dpc = json.load(f)
    with open(spark_path, encoding="utf-8") as f:
        spark = json.load(f)
    problems = []
    if "quality" in spark:
        if not str(spark.get("engine", "")).startswith("spark "):
            problems.append(f"the Spark report names engine {spark.get('engine')!r}, not Spark")
        spark = from_report(spark)
        if dpc_exit != spark_exit:
            problems.append(f"exit code: dpc test {dpc_exit}, dpc test --spark local {spark_exit}")
    dpc_rows = sum(t["rows"] for t in dpc["tables"])
    dpc_passing = sum(t["rows_passing"] for t in dpc["tables"])
    if (dpc_rows, dpc_passing) != (spark["rows"], spark["passing_rows"]):
        problems.append(
            f"rows passing every rule: dpc test {dpc_passing} of {dpc_rows}, "
            f"Spark {spark['passing_rows']} of {spark['rows']}"
        )
    dpc_score, spark_score = dpc["quality"]["score"], spark["score"]
    if (dpc_score is None) != (spark_score is None) or (
        dpc_score is not None and abs(dpc_score - spark_score) > 1e-9
    ):
        problems.append(f"quality score: dpc test {dpc_score}, Spark {spark_score}")
    dpc_failures = {r["id"]: r["rows_failed"] for t in dpc["tables"] for r in t["rules"]}
    spark_failures = {i: n for t in spark["tables"].values() for i, n in t["failures"].items()}
    if set(dpc_failures) != set(spark_failures):
        only_dpc = sorted(set(dpc_failures) - set(spark_failures))
        only_spark = sorted(set(spark_failures) - set(dpc_failures))
        problems.append(f"rule ids differ: only dpc test {only_dpc}, only Spark {only_spark}")
    for rule_id in sorted(set(dpc_failures) & set(spark_failures)):
        if dpc_failures[rule_id] != spark_failures[rule_id]:
            problems.append(
                f"{rule_id}: dpc test counts {dpc_failures[rule_id]} failing rows, "
                f"Spark {spark_failures[rule_id]}"
            )
    dpc_failing = sorted(i for i, n in dpc_failures.items() if n)
    if dpc_failing != spark["failing_rule_ids"]:
        problems.append(f"failing rule ids: dpc test {dpc_failing}, Spark {spark['failing_rule_ids']}")
    if (dpc_exit == "0") != (spark_exit == "0") or dpc_exit not in ("0", "1") or spark_exit not in ("0", "1"):
        problems.append(f"exit status: dpc test {dpc_exit}, run_checks.py {spark_exit}")
    if problems:
        print(f"FAILED: {name}: dpc test and Spark disagree:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    score = "no rows" if dpc_score is None else f"{dpc_score:.3f}%"
    print(f"  {name}: same score {score}, same {len(dpc_failing)} failing rule ids, exit {dpc_exit}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
