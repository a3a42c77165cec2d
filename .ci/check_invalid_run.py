"""Checks a product's pytest run on data broken by `dpc sample --invalid-rate`.

usage: check_invalid_run.py PRODUCT_DIR JUNIT_XML

PRODUCT_DIR/sample_data/invalid_rows.json lists, per table and rule, how many rows the
injected violations make fail. The run must fail `test_rule[<table>-<rule>]` for every listed
critical rule, with that many failing rows in its message, and fail no rule that is not
listed; no test may error (a crash is not a failing rule).
"""

import importlib.util
import json
import os
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TEST = re.compile(r"^test_rule\[(?P<table>[^-\]]+)-(?P<rule>.+)\]$")
MESSAGE = re.compile(r"rule '(?P<rule>[^']+)' of table '(?P<table>[^']+)': (?P<rows>\d+) of \d+ rows fail")


def load_rules(product: Path):
    os.environ["DPC_NO_PIPELINE"] = "1"
    path = product / "quality" / "validation_rules.py"
    spec = importlib.util.spec_from_file_location("checked_validation_rules", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    product, junit = Path(sys.argv[1]), Path(sys.argv[2])
    name = product.name
    rules = load_rules(product)
    injected = json.loads((product / "sample_data" / "invalid_rows.json").read_text())
    expected = {
        (t["table"], rule): counts["failing_rows"]
        for t in injected
        for rule, counts in t["rules"].items()
        if counts["failing_rows"]
    }
    failed, errors, passed = {}, [], set()
    for case in ET.parse(junit).getroot().iter("testcase"):
        test = case.get("name", "")
        error = case.find("error")
        failure = case.find("failure")
        if error is not None:
            errors.append(f"{test}: {error.get('message', '')[:200]}")
        match = TEST.match(test)
        if not match:
            continue
        key = (match["table"], match["rule"])
        if failure is None:
            passed.add(key)
            continue
        counted = MESSAGE.search(failure.get("message", "") + (failure.text or ""))
        failed[key] = int(counted["rows"]) if counted else None
    problems = [f"error: {e}" for e in errors]
    for (table, rule), rows in sorted(expected.items()):
        known = {r["name"]: r["severity"] for r in rules.rules(table)} if table in rules.TABLES else {}
        if rule not in known:
            problems.append(f"{table}.{rule} is broken on purpose but validation_rules.py has no such rule")
            continue
        severity = known[rule]
        if (table, rule) in failed:
            if failed[(table, rule)] != rows:
                problems.append(
                    f"{table}.{rule}: the test counts {failed[(table, rule)]} failing rows, "
                    f"invalid_rows.json {rows}"
                )
        elif severity == "critical":
            state = "passed" if (table, rule) in passed else "did not run"
            problems.append(f"{table}.{rule} (critical, {rows} rows broken) {state}")
    for key in sorted(set(failed) - set(expected)):
        problems.append(f"{key[0]}.{key[1]} fails although no row was broken against it")
    if not failed:
        problems.append("no rule failed")
    if problems:
        print(f"FAILED: {name}: the run on broken data is not the expected failure:", file=sys.stderr)
        for p in problems:
            print("  " + p, file=sys.stderr)
        return 1
    named = ", ".join(f"{t}.{r}" for t, r in sorted(failed))
    print(f"  {name}: broken data fails {len(failed)} rules, as injected: {named}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
