#!/usr/bin/env python3
"""Fails when a file under src/, tests/ or benches/ refers to a path outside the repository.

A fresh clone has nothing beside it, so code and tests may read only what the repository holds
(the Databricks bundle schema comes in through DPC_BUNDLE_SCHEMA, set by .ci/run). Caught:
- a folder that sits beside the repository (`../shared`, `shared/standards`);
- `CARGO_MANIFEST_DIR` (or the repository root) joined with `..`;
- `include_str!`/`include_bytes!`/`#[path]` whose relative path leaves the repository;
- absolute paths into home or work folders (`/work/`, `/home/`, `/root/`, `/Users/`, ...).
Text that only names a path (a hostile table name in a test, `../_schemas/` in a spec comment)
is not a read and is left alone. `--self-test` checks that each rule fires.
"""
import os
import re
import sys

ROOTS = ("src", "tests", "benches")
SKIP_DIRS = {"snapshots", "fixtures"}
BESIDE = re.compile(r"\.\./shared\b|\bshared/standards\b|\.\./\.library\b|\.\./\.mirror\b")
MANIFEST_UP = re.compile(r"CARGO_MANIFEST_DIR[^;\n]*?\.join\(\s*\"\.\.(?:/|\")")
ABSOLUTE = re.compile(r"[\"'\s=(](/(?:work|home|root|Users|opt|srv|mnt|media)/[^\s\"')]*)")
INCLUDE = re.compile(r"(?:include_str|include_bytes)!\(\s*(?:concat!\(\s*)?\"([^\"]+)\"|#\[path\s*=\s*\"([^\"]+)\"\]")


def problems(rel_path, text, repo):
    found = []
    here = os.path.dirname(os.path.join(repo, rel_path))
    for number, line in enumerate(text.splitlines(), 1):
        where = f"{rel_path}:{number}"
        if BESIDE.search(line):
            found.append(f"{where}: names a folder beside the repository: {line.strip()}")
        if MANIFEST_UP.search(line):
            found.append(f"{where}: joins the repository root with '..': {line.strip()}")
        for match in ABSOLUTE.finditer(line):
            found.append(f"{where}: absolute path outside the repository: {match.group(1)}")
        for match in INCLUDE.finditer(line):
            target = match.group(1) or match.group(2)
            resolved = os.path.normpath(os.path.join(here, target))
            if os.path.commonpath([resolved, repo]) != repo:
                found.append(f"{where}: includes {target}, outside the repository")
    return found


def scan(repo):
    found = []
    for root in ROOTS:
        for folder, dirs, files in os.walk(os.path.join(repo, root)):
            dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                except (UnicodeDecodeError, OSError):
                    continue
                found += problems(os.path.relpath(path, repo), text, repo)
    return found


def self_test(repo):
    bad = [
        'let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/standards");',
        'let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("x");',
        'const S: &str = include_str!("../../../outside.json");',
        'let p = "/work/shared/x.json";',
        'let p = "/home/me/schema.json";',
    ]
    good = [
        'refused(&["create", "../etc", "--no-input"], "not kebab-case");',
        'format!("../{SCHEMA_DIR}/{}", name)',
        'include_str!("../../templates/x.j2")',
        'std::os::unix::fs::symlink("/dev/zero", &spec)',
    ]
    ok = True
    for line in bad:
        if not problems("src/render/x.rs", line, repo):
            print(f"self-test: not caught: {line}")
            ok = False
    for line in good:
        if problems("src/render/x.rs", line, repo):
            print(f"self-test: wrongly caught: {line}")
            ok = False
    return ok


def main():
    repo = os.path.realpath(os.path.join(os.path.dirname(__file__), ".."))
    if not self_test(repo):
        sys.exit(1)
    found = scan(repo)
    for problem in found:
        print(problem)
    if found:
        print(f"{len(found)} reference(s) to paths outside the repository under {', '.join(ROOTS)}/")
        sys.exit(1)
    print("no file under src/, tests/ or benches/ refers to a path outside the repository")


if __name__ == "__main__":
    main()
