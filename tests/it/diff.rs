//! `dpc diff`: every evolution rule in both directions, the version and notice checks, the
//! changelog and migration it writes, and `--against` a git revision.

use crate::common::{Scratch, read_tree};
use crate::sql_oracle::parse_errors;
use dpc::diff::classify::{Kind, compare};
use dpc::diff::version::Bump;
use dpc::spec::Contract;
use dpc::spec::contract::{Constraint, ConstraintKind, Deprecation, Field};
use predicates::prelude::*;
use std::path::Path;

fn marketing() -> Contract {
    use clap::Parser;
    let argv = [
        "dpc",
        "create",
        "customer-360",
        "--domain",
        "marketing",
        "--owner",
        "owner@example.com",
        "--no-input",
    ];
    let dpc::cli::Command::Create(args) =
        dpc::cli::Cli::try_parse_from(argv).expect("flags").command
    else {
        unreachable!("parsed a create command")
    };
    let (answers, _) = dpc::commands::create::answers_from_flags(&args);
    let today = dpc::lang::date::Date::parse("2024-12-31").expect("date");
    dpc::input::answers::build_spec(&answers, today)
        .expect("spec")
        .0
        .contract
}

fn field<'a>(c: &'a mut Contract, table: &str, column: &str) -> &'a mut Field {
    c.tables
        .get_mut(table)
        .and_then(|t| t.schema.fields.iter_mut().find(|f| f.name == column))
        .expect("field")
}

/// Applies `edit` to a copy and returns the single classified change of `kind`.
fn classify(setup: impl Fn(&mut Contract), edit: impl Fn(&mut Contract), kind: Kind) -> Bump {
    let mut old = marketing();
    setup(&mut old);
    let mut new = old.clone();
    edit(&mut new);
    let changes = compare(&old, &new);
    changes
        .iter()
        .find(|c| c.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} in {changes:#?}"))
        .bump
}

fn none(_: &mut Contract) {}

fn set_type(t: &'static str, col: &'static str, ty: &'static str) -> impl Fn(&mut Contract) {
    move |c| field(c, t, col).data_type = ty.parse().expect("type")
}

#[test]
fn integer_widening_is_minor_and_narrowing_major() {
    assert_eq!(
        classify(
            none,
            set_type("customers", "total_orders", "BIGINT"),
            Kind::TypeWidened
        ),
        Bump::Minor
    );
    assert_eq!(
        classify(
            set_type("customers", "total_orders", "BIGINT"),
            set_type("customers", "total_orders", "INT"),
            Kind::TypeChanged
        ),
        Bump::Major
    );
    assert_eq!(
        classify(
            none,
            set_type("customers", "total_orders", "STRING"),
            Kind::TypeChanged
        ),
        Bump::Major
    );
}

#[test]
fn decimal_precision_is_minor_and_scale_major() {
    assert_eq!(
        classify(
            none,
            set_type("customers", "lifetime_value", "DECIMAL(12,2)"),
            Kind::TypeWidened
        ),
        Bump::Minor
    );
    assert_eq!(
        classify(
            none,
            set_type("customers", "lifetime_value", "DECIMAL(12,4)"),
            Kind::TypeChanged
        ),
        Bump::Major
    );
    assert_eq!(
        classify(
            none,
            set_type("customers", "lifetime_value", "DECIMAL(8,2)"),
            Kind::TypeChanged
        ),
        Bump::Major
    );
}

#[test]
fn enum_widened_is_minor_and_narrowed_major() {
    let values = |v: &'static [&'static str]| {
        move |c: &mut Contract| {
            let f = field(c, "customers", "account_status");
            f.constraints[0].values = Some(v.iter().map(|s| s.to_string()).collect());
        }
    };
    assert_eq!(
        classify(
            none,
            values(&["active", "inactive", "suspended", "closed", "pending"]),
            Kind::ConstraintRelaxed
        ),
        Bump::Minor
    );
    assert_eq!(
        classify(
            none,
            values(&["active", "inactive"]),
            Kind::ConstraintTightened
        ),
        Bump::Major
    );
}

#[test]
fn nullability_in_both_directions() {
    assert_eq!(
        classify(
            none,
            |c| field(c, "customers", "first_name").nullable = false,
            Kind::MadeRequired
        ),
        Bump::Major
    );
    assert_eq!(
        classify(
            none,
            |c| field(c, "customers", "country").nullable = true,
            Kind::MadeNullable
        ),
        Bump::Minor
    );
}

#[test]
fn new_columns_minor_unless_required_without_default() {
    let add = |nullable: bool, default: Option<dpc::spec::values::Scalar>| {
        move |c: &mut Contract| {
            let mut f = field(c, "customers", "total_orders").clone();
            f.name = "loyalty_points".into();
            f.nullable = nullable;
            f.default = default.clone();
            c.tables
                .get_mut("customers")
                .expect("t")
                .schema
                .fields
                .push(f);
        }
    };
    assert_eq!(
        classify(none, add(true, None), Kind::ColumnAdded),
        Bump::Minor
    );
    assert_eq!(
        classify(
            none,
            add(false, Some(dpc::spec::values::Scalar::Int(0))),
            Kind::ColumnAdded
        ),
        Bump::Minor
    );
    assert_eq!(
        classify(none, add(false, None), Kind::RequiredColumnAdded),
        Bump::Major
    );
}

#[test]
fn removals_and_renames_are_major() {
    assert_eq!(
        classify(
            none,
            |c| c
                .tables
                .get_mut("customers")
                .expect("t")
                .schema
                .fields
                .retain(|f| f.name != "phone_number"),
            Kind::ColumnRemoved
        ),
        Bump::Major
    );
    assert_eq!(
        classify(
            none,
            |c| {
                c.tables.shift_remove("customer_segments");
            },
            Kind::TableRemoved
        ),
        Bump::Major
    );
    assert_eq!(
        classify(
            none,
            |c| {
                let t = c.tables["customer_segments"].clone();
                c.tables.insert("segments_history".into(), t);
            },
            Kind::TableAdded
        ),
        Bump::Minor
    );
    assert_eq!(
        classify(
            none,
            |c| c.tables.get_mut("customer_metrics").expect("t").primary_key =
                vec!["customer_id".into()],
            Kind::PrimaryKeyChanged
        ),
        Bump::Major
    );
}

#[test]
fn documentation_is_patch() {
    assert_eq!(
        classify(
            none,
            |c| field(c, "customers", "email").description = "Primary contact".into(),
            Kind::DescriptionChanged
        ),
        Bump::Patch
    );
    assert_eq!(
        classify(
            none,
            |c| c.tables.get_mut("customers").expect("t").clustered_by = vec!["country".into()],
            Kind::LayoutChanged
        ),
        Bump::Patch
    );
}

#[test]
fn ranges_patterns_and_uniqueness() {
    let range = |min: i64, max: i64| {
        move |c: &mut Contract| {
            let f = field(c, "customers", "lifetime_value");
            f.constraints[0].min = Some(dpc::spec::values::Scalar::Int(min));
            f.constraints[0].max = Some(dpc::spec::values::Scalar::Int(max));
        }
    };
    assert_eq!(
        classify(none, range(0, 2_000_000), Kind::ConstraintRelaxed),
        Bump::Minor
    );
    assert_eq!(
        classify(none, range(10, 1_000_000), Kind::ConstraintTightened),
        Bump::Major
    );
    let pattern = |c: &mut Contract| {
        field(c, "customers", "country")
            .constraints
            .push(Constraint {
                kind: ConstraintKind::Format,
                pattern: Some("^[A-Z]{2}$".into()),
                scope: None,
                min: None,
                max: None,
                values: None,
            })
    };
    assert_eq!(
        classify(none, pattern, Kind::ConstraintTightened),
        Bump::Major
    );
    let no_pattern = |c: &mut Contract| {
        field(c, "customers", "country")
            .constraints
            .retain(|k| k.kind != ConstraintKind::Format)
    };
    assert_eq!(
        classify(pattern, no_pattern, Kind::ConstraintRelaxed),
        Bump::Minor
    );
    assert_eq!(
        classify(
            none,
            |c| field(c, "customers", "email")
                .constraints
                .retain(|k| k.kind != ConstraintKind::Unique),
            Kind::ConstraintRelaxed
        ),
        Bump::Minor
    );
}

#[test]
fn pii_downgrade_is_major_and_quality_rules_minor() {
    assert_eq!(
        classify(
            none,
            |c| field(c, "customers", "email").pii = false,
            Kind::PiiRemoved
        ),
        Bump::Major
    );
    assert_eq!(
        classify(
            none,
            |c| field(c, "customers", "country").pii = true,
            Kind::PiiAdded
        ),
        Bump::Minor
    );
    assert_eq!(
        classify(
            none,
            |c| {
                let t = c.tables.get_mut("customers").expect("t");
                let mut e = t.quality_expectations[0].clone();
                e.name = "another".into();
                t.quality_expectations.push(e);
            },
            Kind::QualityRuleAdded
        ),
        Bump::Minor
    );
}

#[test]
fn the_contract_can_declare_more_changes_breaking() {
    let strict = |c: &mut Contract| {
        c.versioning
            .breaking_changes
            .push("Widening column types".into())
    };
    let bump = classify(
        strict,
        |c| {
            strict_noop(c);
            set_type("customers", "total_orders", "BIGINT")(c)
        },
        Kind::TypeWidened,
    );
    assert_eq!(bump, Bump::Major);
}

fn strict_noop(_: &mut Contract) {}

// ---- the command ----------------------------------------------------------------------

fn product(s: &Scratch, dir: &str) -> std::path::PathBuf {
    s.create(
        "customer-360",
        &[
            "--domain",
            "marketing",
            "--owner",
            "owner@example.com",
            "--output-dir",
            dir,
        ],
    )
    .assert()
    .success();
    s.path().join(dir).join("customer-360")
}

fn edit_contract(dir: &Path, edit: impl FnOnce(&mut Contract)) {
    let path = dir.join("contract.yaml");
    let mut c: Contract = dpc::spec::parse_yaml(
        "contract.yaml",
        &std::fs::read_to_string(&path).expect("read"),
    )
    .expect("parse");
    edit(&mut c);
    std::fs::write(
        &path,
        dpc::spec::to_yaml("contract.yaml", &c).expect("yaml"),
    )
    .expect("write");
}

fn drop_phone(c: &mut Contract) {
    c.tables
        .get_mut("customers")
        .expect("t")
        .schema
        .fields
        .retain(|f| f.name != "phone_number");
}

#[test]
fn removing_a_column_with_a_patch_bump_names_the_major_version() {
    let s = Scratch::new();
    let (old, new) = (product(&s, "old"), product(&s, "new"));
    edit_contract(&new, |c| {
        drop_phone(c);
        c.contract_version = "1.0.1".into();
    });
    s.dpc()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "MAJOR  tables.customers.phone_number: removed STRING",
        ))
        .stdout(predicate::str::contains("version 2.0.0 or later"))
        .stderr(predicate::str::contains("2.0.0"));
}

#[test]
fn a_major_bump_still_needs_the_deprecation_notice() {
    let s = Scratch::new();
    let (old, new) = (product(&s, "old"), product(&s, "new"));
    edit_contract(&new, |c| {
        drop_phone(c);
        c.contract_version = "2.0.0".into();
    });
    s.dpc()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "column customers.phone_number was not deprecated",
        ));

    // Deprecated, but only 30 days before the release: still refused.
    edit_contract(&old, |c| {
        field(c, "customers", "phone_number").deprecated = Some(Deprecation {
            since: "2024-12-01".into(),
            replacement: None,
        })
    });
    s.dpc()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("30 day(s) before"));
}

#[test]
fn removal_after_the_notice_period_passes_and_writes_the_migration() {
    let s = Scratch::new();
    let (old, new) = (product(&s, "old"), product(&s, "new"));
    edit_contract(&old, |c| {
        field(c, "customers", "phone_number").deprecated = Some(Deprecation {
            since: "2024-06-01".into(),
            replacement: Some("contact_phone in customer_contacts".into()),
        })
    });
    edit_contract(&new, |c| {
        drop_phone(c);
        c.contract_version = "2.0.0".into();
    });
    s.dpc()
        .args(["diff", "--write-changelog"])
        .arg(&old)
        .arg(&new)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "wrote schemas/migrations/1.0.0_to_2.0.0.sql",
        ));
    let sql = std::fs::read_to_string(new.join("schemas/migrations/1.0.0_to_2.0.0.sql"))
        .expect("migration");
    assert!(
        sql.contains("CREATE TABLE IF NOT EXISTS main_production.customer_360.customers_v2 ("),
        "{sql}"
    );
    assert!(
        sql.contains("INSERT INTO main_production.customer_360.customers_v2"),
        "{sql}"
    );
    assert!(
        sql.contains("CREATE OR REPLACE VIEW main_production.customer_360.customers\n"),
        "{sql}"
    );
    assert!(
        sql.contains("CAST(NULL AS STRING) AS phone_number"),
        "{sql}"
    );
    assert!(
        !sql.contains("phone_number STRING COMMENT"),
        "the v2 table has no phone_number: {sql}"
    );
    let parsed = dpc::lang::sql_statements::split(&sql);
    assert!(parsed.len() >= 4);
    assert_eq!(parse_errors(&sql), Vec::<String>::new(), "{sql}");
    let log = std::fs::read_to_string(new.join("docs/changelog.md")).expect("changelog");
    let entry = log.find("## [2.0.0] - 2024-12-31").expect("entry");
    assert!(entry < log.find("## [1").expect("first release"), "{log}");
    assert!(log.contains("### Removed"), "{log}");
    // The migration is not a derived file: once governance forgets the column too and the
    // derived files are regenerated, the product validates with the migration in place.
    let gov_path = new.join("governance.yaml");
    let mut gov: dpc::spec::Governance = dpc::spec::parse_yaml(
        "governance.yaml",
        &std::fs::read_to_string(&gov_path).expect("read"),
    )
    .expect("parse");
    gov.pii_fields.retain(|p| p.column != "phone_number");
    gov.masking.rules.retain(|r| r.column != "phone_number");
    std::fs::write(
        &gov_path,
        dpc::spec::to_yaml("governance.yaml", &gov).expect("yaml"),
    )
    .expect("write");
    s.dpc().arg("generate").arg(&new).assert().success();
    s.dpc().arg("validate").arg(&new).assert().success();
    assert!(new.join("schemas/migrations/1.0.0_to_2.0.0.sql").exists());
}

#[test]
fn widening_writes_in_place_statements() {
    let s = Scratch::new();
    let (old, new) = (product(&s, "old"), product(&s, "new"));
    edit_contract(&new, |c| {
        field(c, "customers", "total_orders").data_type = "BIGINT".parse().expect("type");
        c.contract_version = "1.1.0".into();
    });
    s.dpc()
        .args(["diff", "--write-changelog"])
        .arg(&old)
        .arg(&new)
        .assert()
        .success();
    let sql = std::fs::read_to_string(new.join("schemas/migrations/1.0.0_to_1.1.0.sql"))
        .expect("migration");
    assert!(sql.contains("'delta.enableTypeWidening' = 'true'"), "{sql}");
    assert!(
        sql.contains("ALTER COLUMN total_orders TYPE BIGINT;"),
        "{sql}"
    );
    assert_eq!(parse_errors(&sql), Vec::<String>::new(), "{sql}");
}

#[test]
fn contracts_can_be_compared_as_files_and_as_json() {
    let s = Scratch::new();
    let (old, new) = (product(&s, "old"), product(&s, "new"));
    edit_contract(&new, |c| {
        field(c, "customers", "email").description = "Primary contact email".into();
        c.contract_version = "1.0.1".into();
    });
    let out = s
        .dpc()
        .args(["diff", "--format", "json"])
        .arg(old.join("contract.yaml"))
        .arg(new.join("contract.yaml"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["ok"], true);
    assert_eq!(json["required"], "patch");
    assert_eq!(json["changes"][0]["class"], "patch");
    assert_eq!(
        json["changes"][0]["path"],
        "tables.customers.email.description"
    );
}

/// `git ARGS` in the scratch folder, with a fixed identity.
fn git(s: &Scratch, args: &[&str]) {
    let ok = std::process::Command::new("git")
        .args(args)
        .current_dir(s.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.com")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.com")
        .status()
        .expect("git")
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn against_a_git_revision() {
    let s = Scratch::new();
    let dir = product(&s, "data-products");
    let git = |args: &[&str]| git(&s, args);
    // Outside a repository first.
    s.dpc()
        .args(["diff", "--against", "HEAD"])
        .arg(&dir)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not inside one"));
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-qm", "v1"]);
    edit_contract(&dir, |c| {
        drop_phone(c);
        c.contract_version = "1.1.0".into();
    });
    s.dpc()
        .env_remove("GIT_CEILING_DIRECTORIES")
        .args(["diff", "--against", "HEAD"])
        .arg(&dir)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("tables.customers.phone_number"))
        .stdout(predicate::str::contains("version 2.0.0 or later"));
}

/// A refused change (a column removed without a major bump, against HEAD) writes neither the
/// changelog entry nor the migration, however often it is run, and says so.
#[test]
fn a_refused_change_writes_nothing() {
    let s = Scratch::new();
    let dir = product(&s, "data-products");
    git(&s, &["init", "-q"]);
    git(&s, &["add", "."]);
    git(&s, &["commit", "-qm", "v1"]);
    edit_contract(&dir, drop_phone);
    let before = read_tree(&dir);
    for _ in 0..2 {
        s.dpc()
            .env_remove("GIT_CEILING_DIRECTORIES")
            .args(["diff", "--against", "HEAD", "--write-changelog"])
            .arg(&dir)
            .assert()
            .code(1)
            .stdout(predicate::str::contains("nothing written"))
            .stdout(predicate::str::contains("wrote").not())
            .stderr(predicate::str::contains("nothing written"));
        assert_eq!(read_tree(&dir), before);
    }
    let out = s
        .dpc()
        .env_remove("GIT_CEILING_DIRECTORIES")
        .args([
            "diff",
            "--against",
            "HEAD",
            "--write-changelog",
            "--format",
            "json",
        ])
        .arg(&dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["written"], serde_json::json!([]));
    assert_eq!(read_tree(&dir), before);
}

/// Writing an accepted change twice leaves one changelog entry for its version.
#[test]
fn writing_the_changelog_twice_adds_one_entry() {
    let s = Scratch::new();
    let (old, new) = (product(&s, "old"), product(&s, "new"));
    edit_contract(&new, |c| {
        field(c, "customers", "total_orders").data_type = "BIGINT".parse().expect("type");
        c.contract_version = "1.1.0".into();
    });
    let run = || {
        s.dpc()
            .args(["diff", "--write-changelog"])
            .arg(&old)
            .arg(&new)
            .assert()
            .success()
    };
    run().stdout(predicate::str::contains("wrote docs/changelog.md"));
    let first = read_tree(&new);
    run()
        .stdout(predicate::str::contains("already has an entry for 1.1.0"))
        .stdout(predicate::str::contains("wrote").not());
    assert_eq!(read_tree(&new), first);
    let log = &first["docs/changelog.md"];
    assert_eq!(log.matches("## [1.1.0]").count(), 1, "{log}");
    // create's own entry is escaped (`## [1\.0.0]`) and counts too: no changes, no new entry.
    let log = std::fs::read_to_string(old.join("docs/changelog.md")).expect("log");
    s.dpc()
        .args(["diff", "--write-changelog"])
        .arg(&old)
        .arg(&old)
        .assert()
        .success()
        .stdout(predicate::str::contains("already has an entry for 1.0.0"));
    assert_eq!(
        std::fs::read_to_string(old.join("docs/changelog.md")).expect("log"),
        log
    );
}
