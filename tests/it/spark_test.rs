//! `dpc test --spark` without Spark: the errors a user meets (flag values, no Python, no
//! pyspark, no run_checks.py, a crashed run) and the reading of run_checks.py's JSON into the
//! local report, with a stand-in "python" (a shell script). The real comparison with Spark
//! is `.ci/spark.sh`.

use crate::common::Scratch;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples")
        .join(name)
}

/// Runs `dpc test ARGS` with DPC_PYTHON unset; returns (exit code, stdout, stderr).
fn dpc_test(s: &Scratch, args: &[&str]) -> (Option<i32>, String, String) {
    let out = s
        .dpc()
        .arg("test")
        .args(args)
        .env_remove("DPC_PYTHON")
        .env_remove("SPARK_REMOTE")
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A stand-in python: `-c ...` (the pyspark check) runs `check`; the script run copies
/// `result` to --json (when given), records SPARK_REMOTE beside it, then runs `then`.
fn fake_python(dir: &Path, check: &str, result: Option<&Path>, then: &str) -> PathBuf {
    let path = dir.join("python");
    let copy = result.map_or(String::new(), |r| {
        format!(
            "while [ $# -gt 0 ]; do [ \"$1\" = --json ] && cp '{}' \"$2\"; shift; done\n",
            r.display()
        )
    });
    let script = format!(
        "#!/bin/sh\nif [ \"$1\" = -c ]; then {check}; fi\necho \"$SPARK_REMOTE\" > '{}'\n{copy}{then}\n",
        dir.join("remote").display()
    );
    std::fs::write(&path, script).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    path
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[test]
fn malformed_spark_values_and_a_missing_python_exit_2_naming_the_flag() {
    let s = Scratch::new();
    let p = example("customer-360");
    let p = p.display().to_string();
    let data = format!("{p}/sample_data");
    for bad in [
        "foo",
        "sc://",
        "sc://host:notaport",
        "sc://host:0",
        "http://host:15002",
    ] {
        let (code, _, err) = dpc_test(&s, &[&p, "--data", &data, &format!("--spark={bad}")]);
        assert_eq!(code, Some(2), "{bad}: {err}");
        assert!(
            err.contains("--spark") && err.contains("sc://host:port"),
            "{bad}: {err}"
        );
    }
    let (code, _, err) = dpc_test(
        &s,
        &[&p, "--data", &data, "--spark", "--python", "/nonexistent"],
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--python /nonexistent"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "one message: {err}");
    // Without --spark, --data stays required; with it, --catalog and --data exclude each other.
    let (code, _, err) = dpc_test(&s, &[&p]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--data"), "{err}");
    let (code, _, _) = dpc_test(&s, &[&p, "--data", &data, "--spark", "--catalog", "c"]);
    assert_eq!(code, Some(2));
}

#[test]
fn no_pyspark_no_run_checks_and_a_crash_each_say_what_to_do() {
    let s = Scratch::new();
    let product = s.path().join("customer-360");
    copy_dir(&example("customer-360"), &product);
    let p = product.display().to_string();
    let data = format!("{p}/sample_data");
    let no_pyspark = fake_python(
        s.path(),
        "echo \"ModuleNotFoundError: No module named 'pyspark'\" >&2; exit 1",
        None,
        "exit 0",
    );
    let py = no_pyspark.display().to_string();
    let (code, _, err) = dpc_test(&s, &[&p, "--data", &data, "--spark", "--python", &py]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("pip install 'pyspark>=4'") && err.contains("No module named"),
        "{err}"
    );

    let crash = fake_python(
        s.path(),
        "exit 0",
        None,
        "echo 'Py4JError: boom' >&2; exit 1",
    );
    let py = crash.display().to_string();
    let (code, _, err) = dpc_test(&s, &[&p, "--data", &data, "--spark", "--python", &py]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("Spark run") && err.contains("Py4JError: boom"),
        "{err}"
    );

    std::fs::remove_file(product.join("quality/run_checks.py")).expect("rm");
    let (code, _, err) = dpc_test(&s, &[&p, "--data", &data, "--spark", "--python", &py]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("run_checks.py") && err.contains("dpc generate"),
        "{err}"
    );
}

/// run_checks.py's JSON for the local report `local`, with `failing` rows failing `rule`.
fn spark_json(local: &Value, rule: &str, failing: u64) -> Value {
    let mut tables = serde_json::Map::new();
    for t in local["tables"].as_array().expect("tables") {
        let rows = t["rows"].as_u64().expect("rows");
        let mut failures = serde_json::Map::new();
        let mut passing = rows;
        for r in t["rules"].as_array().expect("rules") {
            let id = r["id"].as_str().expect("id");
            let n = if id.ends_with(&format!("/{rule}@1.0.0")) && t["table"] == "customers" {
                passing -= failing;
                failing
            } else {
                0
            };
            failures.insert(id.to_string(), json!(n));
        }
        tables.insert(
            t["table"].as_str().expect("table").to_string(),
            json!({"rows": rows, "passing_rows": passing, "failures": failures}),
        );
    }
    json!({"tables": tables})
}

#[test]
fn run_checks_json_becomes_the_local_report_and_exit_code() {
    let s = Scratch::new();
    let p = example("customer-360").display().to_string();
    let data = format!("{p}/sample_data");
    let (code, local, err) = dpc_test(&s, &[&p, "--data", &data, "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let local: Value = serde_json::from_str(&local).expect("json");
    let result = s.path().join("result.json");

    // The same counts: the same report, named as a Spark run.
    std::fs::write(
        &result,
        spark_json(&local, "customer_id_format", 0).to_string(),
    )
    .expect("w");
    let py = fake_python(s.path(), "exit 0", Some(&result), "exit 0");
    let py = py.display().to_string();
    let args = [&p, "--data", &data, "--format", "json", "--python", &py];
    let (code, out, err) = dpc_test(&s, &[&args[..], &["--spark"]].concat());
    assert_eq!(code, Some(0), "{err}");
    let spark: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(spark["engine"], "spark local");
    assert_eq!(spark["quality"], local["quality"]);
    assert_eq!(
        spark["tables"][0]["rules"].as_array().map(Vec::len),
        local["tables"][0]["rules"].as_array().map(Vec::len)
    );
    let remote = std::fs::read_to_string(s.path().join("remote")).expect("remote");
    assert_eq!(
        remote.trim(),
        "",
        "local must not reach a Spark Connect server"
    );

    // A critical rule failing on 3 rows (run_checks.py exits 1): exit 1, the rule named.
    std::fs::write(
        &result,
        spark_json(&local, "customer_id_format", 3).to_string(),
    )
    .expect("w");
    fake_python(s.path(), "exit 0", Some(&result), "exit 1");
    // A relative --python is the user's, from where dpc runs (the child starts elsewhere).
    let args = [
        &p,
        "--data",
        &data,
        "--python",
        "./python",
        "--spark",
        "sc://localhost:15002",
    ];
    let (code, out, err) = dpc_test(&s, &args);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(out.contains("on spark sc://localhost:15002"), "{out}");
    assert!(
        out.contains(
            "customer-360/customers/customer_id_format@1.0.0: 3 of 100 rows fail (critical)"
        ),
        "{out}"
    );
    assert!(out.contains("97 pass every rule"), "{out}");
    let remote = std::fs::read_to_string(s.path().join("remote")).expect("remote");
    assert_eq!(remote.trim(), "sc://localhost:15002");

    // A run_checks.py older than the spec: a rule it does not count.
    let mut stale = spark_json(&local, "customer_id_format", 0);
    if let Some(f) = stale["tables"]["customers"]["failures"].as_object_mut() {
        f.remove("customer-360/customers/email_format@1.0.0");
    }
    std::fs::write(&result, stale.to_string()).expect("w");
    let (code, _, err) = dpc_test(&s, &args);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("email_format@1.0.0") && err.contains("dpc generate"),
        "{err}"
    );
}
