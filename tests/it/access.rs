//! `dpc access`: the matrix it prints is what the generated SQL implements. The SQL is read
//! here with nothing from dpc but its statement splitter, and every cell is compared.

use crate::common::{EXAMPLES, Scratch};
use dpc::lang::sql_statements::{Statement, resolve_catalog, split};
use predicates::prelude::*;
use std::collections::HashMap;
use std::path::Path;

type View = (String, HashMap<String, Option<Vec<String>>>);

/// Access rules read from SQL text: just enough of it to evaluate each cell.
#[derive(Default, Debug)]
struct Sql {
    /// (principal, "TABLE|VIEW FQN")
    grants: Vec<(String, String)>,
    /// function → groups its `is_account_group_member` test admits
    functions: HashMap<String, Vec<String>>,
    /// (table, column) → mask function
    masks: HashMap<(String, String), String>,
    /// view → (table, column → groups that see it in clear; None when not masked)
    views: HashMap<String, View>,
    /// table → row filter function
    filters: HashMap<String, String>,
    owners: HashMap<String, String>,
}

fn unquote(s: &str) -> String {
    let s = s.trim().trim_end_matches(';');
    match s.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        Some(inner) => inner.replace("``", "`"),
        None => s.to_string(),
    }
}

/// The group literals of `is_account_group_member('...')` calls in `code[from..to]`.
fn groups(s: &Statement, from: usize, to: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in s.code.match_indices("''") {
        if at >= from && at < to && s.code[..at].ends_with("IS_ACCOUNT_GROUP_MEMBER(") {
            out.push(s.literals[s.code[..at].matches("''").count()].clone());
        }
    }
    out
}

/// The statements as the job runs them in `catalog` (the names qualified in full).
fn read_sql(files: &[(String, String)], catalog: &str, schema: &str) -> Sql {
    let mut sql = Sql::default();
    for (_, text) in files {
        for s in split(&resolve_catalog(text, catalog, schema)) {
            let c = s.code.as_str();
            let word = |after: &str| {
                c.split_once(after)
                    .map(|(_, r)| r.split([' ', '(']).next().unwrap_or("").to_string())
                    .unwrap_or_default()
            };
            if let Some(rest) = c.strip_prefix("GRANT SELECT ON ") {
                let object = rest.split(" TO ").next().unwrap_or("").to_string();
                let (_, who) = s.text.rsplit_once(" TO ").expect("grantee");
                sql.grants.push((unquote(who), object));
            } else if c.starts_with("CREATE OR REPLACE FUNCTION ") {
                sql.functions
                    .insert(word("FUNCTION "), groups(&s, 0, c.len()));
            } else if c.starts_with("ALTER TABLE ") && c.contains(" SET MASK ") {
                let table = word("ALTER TABLE ");
                let column = word("ALTER COLUMN ");
                sql.masks.insert((table, column), word("SET MASK "));
            } else if c.starts_with("ALTER TABLE ") && c.contains(" SET ROW FILTER ") {
                sql.filters
                    .insert(word("ALTER TABLE "), word("SET ROW FILTER "));
            } else if c.starts_with("ALTER TABLE ") && c.contains(" SET OWNER TO ") {
                let (_, who) = s.text.rsplit_once(" TO ").expect("owner");
                sql.owners.insert(word("ALTER TABLE "), unquote(who));
            } else if c.starts_with("CREATE OR REPLACE VIEW ") {
                let start = c.find(" AS SELECT ").expect("select") + " AS SELECT ".len();
                let end = c.rfind(" FROM ").expect("from");
                let mut columns = HashMap::new();
                let (mut depth, mut item_start) = (0, start);
                for (i, ch) in c[start..=end].char_indices() {
                    let at = start + i;
                    match ch {
                        '(' => depth += 1,
                        ')' => depth -= 1,
                        ',' | ' ' if depth == 0 && (ch == ',' || at == end) => {
                            let item = c[item_start..at].trim();
                            match item.rsplit_once(" END AS ") {
                                Some((_, col)) => {
                                    columns
                                        .insert(col.to_string(), Some(groups(&s, item_start, at)));
                                }
                                None => {
                                    columns.insert(item.to_string(), None);
                                }
                            }
                            item_start = at + 1;
                        }
                        _ => {}
                    }
                }
                sql.views.insert(word("VIEW "), (word(" FROM "), columns));
            }
        }
    }
    sql
}

/// The cell the SQL implements for a principal of `kind` (`group`, ...).
fn cell(sql: &Sql, who: &str, kind: &str, table: &str, column: &str) -> &'static str {
    let member = |g: &[String]| {
        g.iter()
            .any(|g| g == "account users" || (kind == "group" && g == who))
    };
    let fn_groups = |f: &str| sql.functions.get(f).cloned().expect("function defined");
    if let Some(f) = sql.filters.get(table)
        && !member(&fn_groups(f))
    {
        return "none";
    }
    let granted = |object: &str| sql.grants.iter().any(|(p, o)| p == who && o == object);
    let through_table =
        sql.owners.get(table).is_some_and(|o| o == who) || granted(&format!("TABLE {table}"));
    if through_table {
        return match sql.masks.get(&(table.to_string(), column.to_string())) {
            Some(f) if !member(&fn_groups(f)) => "masked",
            _ => "clear",
        };
    }
    for (view, (base, columns)) in &sql.views {
        if base == table && granted(&format!("VIEW {view}")) {
            return match columns.get(column) {
                None => "none",
                Some(Some(g)) if !member(g) => "masked",
                Some(_) => "clear",
            };
        }
    }
    "none"
}

/// Compares `dpc access --format json` with the SQL of the product, cell by cell; returns
/// how many cells read masked.
fn assert_matrix_matches_sql(s: &Scratch, dir: &Path, label: &str) -> usize {
    let out = s
        .dpc()
        .args(["access", "--format", "json"])
        .arg(dir)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{label}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let files: Vec<(String, String)> = crate::common::read_tree(dir)
        .into_iter()
        .filter(|(p, _)| {
            p.starts_with("schemas/") && p.ends_with(".sql") && !p["schemas/".len()..].contains('/')
        })
        .collect();
    let spec = dpc::spec::ProductSpec::load(dir).expect("spec");
    // GRANT names a service principal by application ID, the matrix by its spec name.
    let files: Vec<(String, String)> = files
        .into_iter()
        .map(|(p, mut text)| {
            for c in &spec.governance.approved_consumers {
                if let Some(id) = &c.application_id {
                    text = text.replace(&format!("`{id}`"), &format!("`{}`", c.principal));
                }
            }
            (p, text)
        })
        .collect();
    let sql = read_sql(&files, spec.catalog(), spec.schema());
    let prefix = format!("{}.{}.", spec.catalog(), spec.schema()).to_uppercase();
    let kinds: HashMap<String, String> = json["principals"]
        .as_array()
        .expect("principals")
        .iter()
        .map(|p| {
            (
                p["name"].as_str().unwrap().to_string(),
                p["type"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let quality: Vec<&str> = json["principals"]
        .as_array()
        .expect("principals")
        .iter()
        .filter(|p| p["role"] == "quality_identity")
        .filter_map(|p| p["name"].as_str())
        .collect();
    for (who, _) in &sql.grants {
        assert!(
            kinds.contains_key(who),
            "{label}: SQL grants {who}, the matrix does not list it"
        );
    }
    let (mut compared, mut masked) = (0, 0);
    for t in json["tables"].as_array().expect("tables") {
        let table = t["table"].as_str().unwrap();
        let fqn = format!("{prefix}{}", table.to_uppercase());
        for r in t["readers"].as_array().expect("readers") {
            let who = r["principal"].as_str().unwrap();
            // The quality identity reads by its schema grant in databricks.yml (not in the
            // SQL), and every mask admits it: clear everywhere.
            if quality.contains(&who) {
                assert_eq!(r["via"], "schema", "{label}: {who} on {table}");
                for (column, got) in r["columns"].as_object().expect("columns") {
                    assert_eq!(got, "clear", "{label}: {who} on {table}.{column}");
                }
                continue;
            }
            for (column, got) in r["columns"].as_object().expect("columns") {
                let want = cell(&sql, who, &kinds[who], &fqn, &column.to_uppercase());
                assert_eq!(
                    got.as_str(),
                    Some(want),
                    "{label}: {who} on {table}.{column}"
                );
                compared += 1;
                masked += usize::from(want == "masked");
            }
        }
    }
    assert!(compared > 20, "{label}: only {compared} cells");

    // dpc's own SQL reader (used by `dpc validate`) agrees with the model too.
    let rendered: Vec<dpc::render::RenderedFile> = files
        .into_iter()
        .map(|(path, text)| dpc::render::RenderedFile { path, text })
        .collect();
    let from_sql = dpc::access::Matrix::evaluate(
        &spec,
        &dpc::access::from_sql::rules_from_sql(&spec, &rendered),
    );
    assert_eq!(
        from_sql,
        dpc::access::of_spec(&spec).expect("model"),
        "{label}"
    );
    masked
}

/// Gives every service principal of the product an application ID and regenerates: without
/// one a service principal is granted nothing (GRANT does not resolve display names).
fn with_application_ids(s: &Scratch, dir: &std::path::Path) {
    let gov = dir.join("governance.yaml");
    let text = std::fs::read_to_string(&gov).expect("read");
    let text = text.replace(
        "    principal_type: service_principal\n",
        "    principal_type: service_principal\n    application_id: 6f0e3b1a-2c4d-4e5f-8a9b-0c1d2e3f4a5b\n",
    );
    std::fs::write(&gov, text).expect("write");
    s.dpc().arg("generate").arg(dir).assert().success();
}

#[test]
fn the_matrix_of_each_example_matches_its_sql() {
    for (name, flags) in EXAMPLES {
        let s = Scratch::new();
        s.create(name, flags).assert().success();
        with_application_ids(&s, &s.product(name));
        let masked = assert_matrix_matches_sql(&s, &s.product(name), name);
        assert!(
            masked > 0,
            "{name}: no masked cell, the comparison proves little"
        );
    }
}

#[test]
fn the_matrix_of_each_masking_choice_matches_its_sql() {
    let variants: [(&str, &[&str]); 4] = [
        (
            "masked-view",
            &["--domain", "marketing", "--masking", "masked-view"],
        ),
        (
            "restricted",
            &["--domain", "finance", "--sensitivity", "restricted"],
        ),
        (
            "restricted-view",
            &[
                "--domain",
                "finance",
                "--sensitivity",
                "restricted",
                "--masking",
                "masked-view",
            ],
        ),
        (
            "public",
            &["--domain", "general", "--sensitivity", "public"],
        ),
    ];
    for (label, flags) in variants {
        let s = Scratch::new();
        s.create("p", flags).assert().success();
        assert_matrix_matches_sql(&s, &s.product("p"), label);
    }
}

#[test]
fn the_matrix_follows_consumer_changes() {
    let s = Scratch::new();
    s.create("c", &["--domain", "marketing", "--masking", "masked-view"])
        .assert()
        .success();
    let dir = s.product("c");
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args([
            "svc-bot",
            "--principal-type",
            "service-principal",
            "--tables",
            "customers",
        ])
        .assert()
        .success();
    s.dpc()
        .args(["consumers", "add"])
        .arg(&dir)
        .args(["fin", "--unmask", "customers.email"])
        .assert()
        .success();
    assert_matrix_matches_sql(&s, &dir, "after add");
}

#[test]
fn the_text_matrix_shows_clear_and_masked_columns() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    with_application_ids(&s, &s.product("customer-360"));
    let out = s
        .dpc()
        .args(["access", "data-products/customer-360"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let email = text
        .lines()
        .find(|l| l.trim_start().starts_with("email [pii]"))
        .unwrap_or_else(|| panic!("no email row:\n{text}"));
    // Owner, the two analyst groups in the unmask groups, then the service principal.
    assert_eq!(
        email.split_whitespace().collect::<Vec<_>>(),
        ["email", "[pii]", "clear", "clear", "clear", "masked"],
        "{text}"
    );
    assert!(
        text.contains("the access model meets the internal policy"),
        "{text}"
    );
}

#[test]
fn access_fails_on_a_policy_error_and_refuses_a_missing_product() {
    let s = Scratch::new();
    s.create("customer-360", &["--domain", "marketing"])
        .assert()
        .success();
    let gov = s.product("customer-360").join("governance.yaml");
    let text = std::fs::read_to_string(&gov).expect("read");
    std::fs::write(
        &gov,
        text.replacen(
            "        - data-scientists\n",
            "        - account users\n",
            1,
        ),
    )
    .expect("write");
    s.dpc()
        .args(["access", "data-products/customer-360"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("DPC135"))
        .stdout(predicate::str::contains("DPC124"));
    s.dpc()
        .args(["access", "nowhere"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a data product"));
}

/// The examples and a masked-view product made beside `examples/dpc.yaml`: its
/// `quality_identity` puts `current_user() = '<application ID>'` in every mask.
const BESIDE_SETTINGS: [&str; 2] = ["column-mask", "masked-view"];

#[test]
fn the_matrix_beside_a_quality_identity_matches_its_sql() {
    for masking in BESIDE_SETTINGS {
        for (name, flags) in EXAMPLES {
            let s = Scratch::with_example_settings();
            s.create(name, flags)
                .args(["--masking", masking])
                .assert()
                .success();
            let dir = s.product(name);
            with_application_ids(&s, &dir);
            let label = format!("{name} ({masking})");
            assert!(
                crate::common::read_tree(&dir)
                    .iter()
                    .any(|(p, t)| p.starts_with("schemas/") && t.contains("current_user() = '")),
                "{label}: no mask admits the quality identity"
            );
            assert_matrix_matches_sql(&s, &dir, &label);
        }
    }
}

#[test]
fn a_mask_edited_to_show_clear_to_everyone_is_caught_beside_a_quality_identity() {
    let (name, flags) = EXAMPLES[1];
    let id = "current_user() = '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f'";
    // Near misses of the one form read as a single principal: each admits everyone else.
    for widened in [
        "current_user() <> '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f'",
        "current_user() = '6f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e5f' OR TRUE",
        "current_user() = current_user()",
    ] {
        for masking in BESIDE_SETTINGS {
            let s = Scratch::with_example_settings();
            s.create(name, flags)
                .args(["--masking", masking])
                .assert()
                .success();
            let dir = s.product(name);
            crate::common::edit(&dir.join("schemas/transactions_v1.sql"), id, widened);
            let out = s.dpc().arg("access").arg(&dir).assert().code(1);
            let text = crate::common::output(&out);
            assert!(
                text.contains("DPC042")
                    && text.contains("fraud-analysts read transactions.card_last4 (clear)"),
                "{widened} ({masking}):\n{text}"
            );
        }
    }
}
