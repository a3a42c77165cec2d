//! The brief's three examples: the binary's output equals the trees committed under
//! `examples/` (the one golden copy of the rendered files: review a change with `git diff
//! examples/`) and holds every file of the product tree.
//! `DPC_UPDATE_EXAMPLES=1 cargo test --test it examples` rewrites `examples/` after a reviewed change.

use crate::common::{EXAMPLES, Scratch, read_tree};
use std::collections::BTreeMap;
use std::path::Path;

fn generate(name: &str, flags: &[&str]) -> BTreeMap<String, String> {
    let s = Scratch::with_example_settings();
    s.create(name, flags).assert().success();
    read_tree(&s.product(name))
}

/// The design's tree, less what later commands add (sample_data/).
const DESIGN_FILES: [&str; 19] = [
    "product.yaml",
    "contract.yaml",
    "sla.yaml",
    "governance.yaml",
    "quality/expectations.yaml",
    "quality/validation_rules.py",
    "monitoring/sla_dashboard.sql",
    "monitoring/quality_dashboard.sql",
    "monitoring/alerts.yaml",
    "docs/README.md",
    "docs/data-dictionary.md",
    "docs/consumer-guide.md",
    "docs/sample-queries.sql",
    "docs/changelog.md",
    "tests/contract_tests.py",
    "tests/integration_tests.py",
    "tests/conftest.py",
    "schemas/",
    "databricks.yml",
];

#[test]
fn examples_have_every_file_of_the_design_tree() {
    for (name, flags) in EXAMPLES {
        let tree = generate(name, flags);
        for file in DESIGN_FILES {
            assert!(
                tree.keys()
                    .any(|k| k == file || (file.ends_with('/') && k.starts_with(file))),
                "{name}: {file} is missing"
            );
        }
        let contract = tree.get("contract.yaml").expect("contract");
        let spec: dpc::spec::Contract =
            dpc::spec::parse_yaml("contract.yaml", contract).expect("parses");
        for table in spec.tables.keys() {
            assert!(
                tree.contains_key(&format!("schemas/{table}_v1.sql")),
                "{name}: no DDL for {table}"
            );
        }
    }
}

#[test]
fn examples_match_the_committed_trees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    let update = std::env::var_os("DPC_UPDATE_EXAMPLES").is_some();
    for (name, flags) in EXAMPLES {
        let tree = generate(name, flags);
        let dir = root.join(name);
        if update {
            let _ = std::fs::remove_dir_all(&dir);
            for (path, text) in &tree {
                let target = dir.join(path);
                std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
                std::fs::write(target, text).expect("write");
            }
        }
        let committed = read_tree(&dir);
        let paths = |t: &BTreeMap<String, String>| t.keys().cloned().collect::<Vec<_>>();
        assert_eq!(
            paths(&tree),
            paths(&committed),
            "{name}: file lists differ from examples/{name}"
        );
        for (path, text) in &tree {
            assert!(
                committed.get(path) == Some(text),
                "{name}/{path} differs from examples/{name}/{path}; review the change, then run DPC_UPDATE_EXAMPLES=1 cargo test --test it examples"
            );
        }
    }
}

/// `examples/_schemas/` holds the schemas the example spec files point at
/// (`$schema=../_schemas/...`), as `create` writes them beside the products.
#[test]
fn example_schemas_match_the_committed_ones() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/_schemas");
    let update = std::env::var_os("DPC_UPDATE_EXAMPLES").is_some();
    let s = Scratch::with_example_settings();
    let (name, flags) = EXAMPLES[0];
    s.create(name, flags).assert().success();
    let written = read_tree(&s.path().join("data-products/_schemas"));
    if update {
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("mkdir");
        for (path, text) in &written {
            std::fs::write(root.join(path), text).expect("write");
        }
    }
    assert_eq!(
        written,
        read_tree(&root),
        "examples/_schemas differs; review the change, then run DPC_UPDATE_EXAMPLES=1 cargo test --test it examples"
    );
}
