//! The modules are layered in the order data flows through them (see `src/lib.rs`): a module
//! may import from its own layer and the layers before it, never from a later one, so the
//! import cycles the crate once had cannot come back.

use std::path::Path;

/// Layers, first to last. An entry is a module path under `crate::`; a module belongs to the
/// longest entry its path starts with. `input` is split because ODCS documents (`interop`)
/// are read into answers and are themselves a `--schema-from` source.
const LAYERS: &[&[&str]] = &[
    &["lang"],
    &["diagnostic"],
    &["files"],
    &["spec"],
    &["input::starter"],
    &["input::answers"],
    &["interop"],
    &["input::schema_import"],
    &["input::answers_file"],
    &["input::questionnaire", "input"],
    &["render"],
    &["access"],
    &["check"],
    &["write"],
    &["data"],
    &["catalog", "consumers", "diff"],
    &["cli"],
    &["error"],
    &["commands"],
];

/// The layer of a module path (`input::answers::InputError` → the layer of `input::answers`).
fn layer_of(path: &str) -> Option<usize> {
    LAYERS
        .iter()
        .enumerate()
        .flat_map(|(i, names)| names.iter().map(move |n| (i, *n)))
        .filter(|(_, n)| path == *n || path.starts_with(&format!("{n}::")))
        .max_by_key(|(_, n)| n.len())
        .map(|(i, _)| i)
}

/// The module path of a source file (`src/input/answers.rs` → `input::answers`).
fn module_of(file: &str) -> String {
    file.trim_end_matches(".rs")
        .trim_end_matches("/mod")
        .replace('/', "::")
}

/// Every `crate::a::b` path the code (not its comments) of `text` names.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.split("//").next().unwrap_or_default();
        let mut rest = code;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.push((n + 1, path.trim_end_matches(':').to_string()));
        }
    }
    out
}

/// `file:line: a imports b` for every import of a later layer in `text`, the file at `file`
/// (relative to `src/`).
fn violations(file: &str, text: &str) -> Vec<String> {
    let module = module_of(file);
    let Some(own) = layer_of(&module) else {
        return vec![format!(
            "{file}: module `{module}` is in no layer; add it to LAYERS"
        )];
    };
    crate_paths(text)
        .into_iter()
        .filter_map(|(line, path)| {
            let theirs = layer_of(&path)?;
            (theirs > own).then(|| format!("src/{file}:{line}: `{module}` imports `crate::{path}`"))
        })
        .collect()
}

#[test]
fn the_layering_check_catches_a_lower_layer_importing_a_higher_one() {
    let bad = "use crate::spec::ProductSpec;\nuse crate::render::Renderer; // renders\n";
    assert_eq!(
        violations("spec/load.rs", bad),
        ["src/spec/load.rs:2: `spec::load` imports `crate::render::Renderer`"]
    );
    assert!(violations("render/model.rs", bad).is_empty());
    // Comments and longer names that merely end in `crate` are not imports.
    assert!(
        violations(
            "lang/escape.rs",
            "// see crate::commands\nmy_crate::commands::x"
        )
        .is_empty()
    );
    // ODCS documents are read into answers, but answers never read ODCS.
    assert!(!violations("input/answers.rs", "crate::interop::odcs::parse(x)").is_empty());
    assert!(
        violations(
            "interop/odcs/import/mod.rs",
            "crate::input::answers::Answers"
        )
        .is_empty()
    );
}

#[test]
fn no_module_imports_from_a_later_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for entry in walkdir::WalkDir::new(&src) {
        let entry = entry.expect("walk src");
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let file = path
            .strip_prefix(&src)
            .expect("under src")
            .to_string_lossy()
            .replace('\\', "/");
        if file == "lib.rs" || file == "main.rs" {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("read source");
        found.extend(violations(&file, &text));
    }
    assert!(
        found.is_empty(),
        "imports against the layering:\n{}",
        found.join("\n")
    );
}
