//! Every diagnostic code is defined once (`src/diagnostic/code.rs`), emitted by the source,
//! and listed on the generated diagnostics page the README links.

use dpc::diagnostic::Code;
use std::path::Path;

#[test]
fn the_diagnostics_page_is_generated_from_the_codes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagnostics.md");
    let page = dpc::diagnostic::code::page();
    if std::env::var_os("DPC_UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(path.parent().expect("docs")).expect("mkdir docs");
        std::fs::write(&path, &page).expect("write the page");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == page,
        "docs/diagnostics.md is not what src/diagnostic/code.rs generates; run \
         DPC_UPDATE_DOCS=1 cargo test --test it docs_in_sync"
    );
    for code in Code::ALL {
        assert!(page.contains(&format!("| {code} | ")), "{code}");
    }
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    assert!(
        readme.contains("](docs/diagnostics.md)"),
        "the README links the page"
    );
}

/// A code nothing emits is documentation of nothing; a literal code string bypasses the table.
#[test]
fn every_code_is_emitted_and_none_is_spelled_as_a_string() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut sources = String::new();
    let literal = regex::Regex::new(r#""DPC\d{3}""#).expect("regex");
    let mut literals = Vec::new();
    for entry in walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_none_or(|x| x != "rs") || path.ends_with("diagnostic/code.rs") {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("source");
        for m in literal.find_iter(&text) {
            literals.push(format!("{}: {}", path.display(), m.as_str()));
        }
        sources.push_str(&text);
    }
    assert!(
        literals.is_empty(),
        "use diagnostic::Code instead: {literals:#?}"
    );
    let unused: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| !sources.contains(&format!("Code::{c:?}")))
        .map(|c| c.as_str())
        .collect();
    assert!(unused.is_empty(), "codes nothing emits: {unused:?}");
}
