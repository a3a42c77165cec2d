"""Results you can look back on: runs a product's quality/run_checks.py twice on local Spark,
appending to a results table (--results), then checks that table against the runs' JSON and
runs the quality alerts of monitoring/alerts.yaml on it.

usage: check_results.py PRODUCT_DIR DATA_DIR LABEL

The table must hold, per run, one row per rule and one per table (rule_id NULL) with the
columns run_checks.py declares; the table rows must give the run's quality score and the rule
rows its failing rule ids; each alert query (the production table name replaced by the local
one) must run on Spark and return what the latest run says: the number of failing critical
rules of its table, or its table's quality score. Run from a scratch folder: Spark writes its
warehouse (spark-warehouse/) to the working directory.
"""

import importlib.util
import json
import os
import re
import sys

TABLE = "dpc_quality_results"


def load_run_checks(product_dir: str):
    path = os.path.join(product_dir, "quality", "run_checks.py")
    spec = importlib.util.spec_from_file_location("dpc_run_checks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def alert_queries(product_dir: str) -> list:
    """(kind, table, query) of every quality alert; alerts.yaml writes each value as a
    double-quoted YAML string, which reads as JSON here."""
    out, current = [], {}
    with open(os.path.join(product_dir, "monitoring", "alerts.yaml"), encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^  (?:- |  )(kind|table|query): (\".*\")$", line.rstrip("\n"))
            if m:
                current[m.group(1)] = json.loads(m.group(2))
            if line.startswith("  - name:"):
                current = {}
            if {"kind", "table", "query"} <= current.keys():
                if current["kind"].startswith("quality"):
                    out.append((current["kind"], current["table"], current["query"]))
                current = {}
    return out


def main() -> int:
    product_dir, data_dir, label = sys.argv[1:4]
    run_checks = load_run_checks(product_dir)
    rules = run_checks.rules
    summaries = {}
    for run_id in ("ci-1", "ci-2"):
        path = f"{run_id}.json"
        run_checks.main(
            ["--data", data_dir, "--results", TABLE, "--run-id", run_id, "--json", path]
        )
        with open(path, encoding="utf-8") as f:
            summaries[run_id] = json.load(f)
    from pyspark.sql import SparkSession

    spark = SparkSession.getActiveSession()
    problems = []
    df = spark.table(TABLE)
    declared = [c.strip().split(" ")[0] for c in run_checks.RESULTS_COLUMNS.split(",")]
    if df.columns != declared:
        problems.append(f"columns {df.columns}, declared {declared}")
    rows = [r.asDict() for r in df.collect()]
    latest = summaries["ci-2"]
    for run_id, summary in summaries.items():
        run = [r for r in rows if r["run_id"] == run_id]
        tables = summary["tables"]
        want = sum(len(rules.rules(t)) + 1 for t in tables)
        if len(run) != want:
            problems.append(f"run {run_id}: {len(run)} rows, want {want}")
        table_rows = [r for r in run if r["rule_id"] is None]
        checked = sum(r["rows_checked"] for r in table_rows)
        passing = sum(r["rows_checked"] - r["rows_failing"] for r in table_rows)
        if (checked, passing) != (summary["rows"], summary["passing_rows"]):
            problems.append(
                f"run {run_id}: table rows give {passing} of {checked} rows passing, "
                f"run_checks.py {summary['passing_rows']} of {summary['rows']}"
            )
        failing = sorted(r["rule_id"] for r in run if r["rule_id"] and r["rows_failing"])
        if failing != summary["failing_rule_ids"]:
            problems.append(f"run {run_id}: failing rules {failing}, run_checks.py {summary['failing_rule_ids']}")
        if any(r["contract_version"] != rules.CONTRACT_VERSION for r in run):
            problems.append(f"run {run_id}: a row without contract version {rules.CONTRACT_VERSION}")
    values = []
    queries = alert_queries(product_dir)
    if not queries:
        problems.append("no quality alert in monitoring/alerts.yaml")
    for kind, full_name, query in queries:
        table = full_name.split(".")[-1]
        local = re.sub(r"[^\s()]*" + TABLE + r"`?", TABLE, query)
        got = spark.sql(local).collect()
        result = latest["tables"].get(table)
        if result is None:
            continue
        if kind == "quality":
            want = sum(
                1
                for rule in rules.rules(table)
                if rule["severity"] == "critical" and result["failures"][rule["id"]]
            )
            value = got[0][0] if got else None
        else:
            want = round(100.0 * result["passing_rows"] / result["rows"], 3) if result["rows"] else None
            value = got[0][0] if got else None
        values.append(value)
        if value != want:
            problems.append(f"alert {kind} of {table}: {value}, the latest run says {want}\n  {local}")
    for p in problems:
        print(f"FAILED: {label}: {p}", file=sys.stderr)
    if not problems:
        print(
            f"  {label}: {len(rows)} results rows of 2 runs; the {len(queries)} quality alerts "
            f"agree with the latest run: {values}"
        )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
