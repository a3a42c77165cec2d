"""Validates `dpc export dqx` output with the real DQX package.

usage: check_dqx.py [--apply] PRODUCT_DIR DQX_DIR [PRODUCT_DIR DQX_DIR ...]

For every <table>.yaml in each DQX_DIR (what `dpc export dqx PRODUCT_DIR --out DQX_DIR` wrote): DQEngineCore.validate_checks (static, no workspace needed)
must report no error, every check must carry user_metadata.rule_id of the form
<product>/<table>/<name>@<contract version>, and the ids must be unique. With --apply, the
checks also run on the product's sample data (sample_data/<table>.csv, in the contract's types
via quality/validation_rules.py), which `dpc test` passes, on a local Spark session, with
DQEngine given a stand-in workspace client (applying checks talks to no workspace): every
check must resolve (an unquoted string in `allowed` or a limit is read as a column, which
does not exist) and no row may be flagged. Exits 1 on any problem.
"""

import importlib.util
import os
import sys
from pathlib import Path

import yaml
from databricks.labs.dqx.engine import DQEngineCore


def load_checks(path: Path):
    with path.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def structural(product: Path, dqx_dir: Path) -> tuple[dict, list]:
    """Per table, the checks; and the problems DQX's validator and the id rules find."""
    contract = yaml.safe_load((product / "contract.yaml").read_text(encoding="utf-8"))
    name = yaml.safe_load((product / "product.yaml").read_text(encoding="utf-8"))["product_metadata"]["name"]
    version = contract["contract_version"]
    problems, tables, seen = [], {}, set()
    files = sorted(dqx_dir.glob("*.yaml"))
    if not files:
        problems.append(f"{dqx_dir}: no <table>.yaml file")
    for path in files:
        table = path.stem
        checks = load_checks(path)
        if not isinstance(checks, list):
            problems.append(f"{path}: not a list of checks")
            continue
        status = DQEngineCore.validate_checks(checks)
        if status.has_errors:
            problems.extend(f"{path}: {e}" for e in status.errors)
        for c in checks:
            meta = c.get("user_metadata") or {} if isinstance(c, dict) else {}
            rule_id = meta.get("rule_id")
            expected = f"{name}/{table}/{c.get('name')}@{version}" if isinstance(c, dict) else None
            if rule_id != expected:
                problems.append(f"{path}: rule_id {rule_id!r}, expected {expected!r}")
            if meta.get("contract_version") != version:
                problems.append(f"{path}: {rule_id}: contract_version {meta.get('contract_version')!r}")
            if rule_id in seen:
                problems.append(f"{path}: rule_id {rule_id} appears twice")
            seen.add(rule_id)
        tables[table] = checks
    return tables, problems


def load_rules(product: Path):
    os.environ["DPC_NO_PIPELINE"] = "1"
    spec = importlib.util.spec_from_file_location("dqx_checked_rules", product / "quality" / "validation_rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def engine():
    """A DQEngine on a local Spark session; applying checks talks to no workspace."""
    from unittest.mock import MagicMock

    from databricks.labs.dqx.engine import DQEngine
    from databricks.sdk import WorkspaceClient
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("OFF")
    return DQEngine(MagicMock(spec=WorkspaceClient), spark=spark)


def applied(dq, product: Path, tables: dict) -> list:
    """Runs the checks on the sample data; the problems found."""
    from pyspark.sql import functions as F

    rules = load_rules(product)
    spark = dq.spark
    problems = []
    for table, checks in tables.items():
        path = product / "sample_data" / f"{table}.csv"
        df = rules.parse(rules.read_csv_text(spark, str(path)), table)
        try:
            out = dq.apply_checks_by_metadata(df, checks)
            flagged = set()
            for column in ("_errors", "_warnings"):
                rows = (
                    out.select(F.explode_outer(F.col(column)).alias("r"))
                    .where(F.col("r").isNotNull())
                    .select(F.col("r.user_metadata").getItem("rule_id").alias("id"))
                    .distinct()
                    .collect()
                )
                flagged |= {r["id"] for r in rows}
        except Exception as e:  # an unresolvable argument surfaces when Spark analyses the plan
            first = str(e).strip().splitlines()[0][:300] if str(e).strip() else type(e).__name__
            problems.append(f"{product.name}/{table}: DQX cannot apply the checks: {first}")
            continue
        for rule_id in sorted(flagged):
            problems.append(f"{rule_id}: DQX flags rows of the sample data, which dpc test passes")
        print(f"  {product.name}/{table}: {len(checks)} checks applied, {len(flagged)} flag rows")
    return problems


def main() -> int:
    args = sys.argv[1:]
    apply = "--apply" in args
    args = [a for a in args if a != "--apply"]
    if not args or len(args) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    pairs = [(Path(args[i]), Path(args[i + 1])) for i in range(0, len(args), 2)]
    failed = False
    dq = engine() if apply else None
    for product, dqx_dir in pairs:
        tables, problems = structural(product, dqx_dir)
        if not problems and apply:
            problems = applied(dq, product, tables)
        if problems:
            print(f"FAILED: {dqx_dir}:", file=sys.stderr)
            for p in problems:
                print("  " + p, file=sys.stderr)
            failed = True
            continue
        total = sum(len(c) for c in tables.values())
        done = "validate_checks" + (" and apply to the sample data" if apply else "")
        print(f"  {product.name}: {len(tables)} files, {total} checks pass DQEngineCore.{done}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
