//! Every diagnostic code the source can emit is documented in the README.

use std::path::Path;

#[test]
fn every_diagnostic_code_is_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    let code = regex::Regex::new(r#""(DPC\d{3})""#).expect("regex");
    let mut missing = Vec::new();
    for entry in walkdir::WalkDir::new(root.join("src"))
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.path().extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(entry.path()).expect("source");
            for c in code.captures_iter(&text) {
                let c = c[1].to_string();
                if !readme.contains(&format!("| {c} |")) && !missing.contains(&c) {
                    missing.push(c);
                }
            }
        }
    }
    assert!(missing.is_empty(), "undocumented codes: {missing:?}");
}
