//! A YAML reading error as a person editing a spec needs it: the key path, what went wrong
//! in words (not the reader's internals), and what the spec's schema allows there.

use crate::spec::schema::SpecFile;
use serde_json::Value;

/// The reader's message rewritten where it speaks of its own internals.
pub(crate) fn plain(message: &str) -> String {
    let m = message.trim();
    if m.contains("budget breached") || m.contains("Budget") {
        return "the document is beyond the YAML reader's limits (too large, too deeply nested, or aliases that expand too far); nothing was read".into();
    }
    if let Some(rest) = m.strip_prefix("cannot deserialize null into ") {
        let what = rest.split(';').next().unwrap_or(rest).trim();
        return format!(
            "this key has no value, and a {} is required",
            kind_word(what)
        );
    }
    if m.contains("multiple YAML documents") {
        return "the file holds more than one YAML document (a `---` line starts another); it must be one".into();
    }
    if m.contains("cannot deserialize null") {
        return "this key has no value, and one is required".into();
    }
    if m.contains("untagged enum") || m.contains("did not match any variant") {
        return "expected a single value here (text, a number, true/false or a date), not a list or mapping".into();
    }
    if m.contains("core type tag") {
        return "a YAML tag (`!!...`) cannot choose the value here; write the value itself".into();
    }
    if m.contains("enum variant") || m.contains("tagged enum") {
        return "not one of the values allowed here".into();
    }
    if m == "expected string scalar" || m.starts_with("expected string scalar") {
        return "expected a single value here, not a list or mapping".into();
    }
    // `...; use Option<String>` is advice to the programmer.
    match m.split_once("; use Option<") {
        Some((head, _)) => head.to_string(),
        None => m.to_string(),
    }
}

fn kind_word(rust_type: &str) -> &str {
    match rust_type {
        "string" | "str" | "String" => "text",
        "bool" => "true or false",
        t if t.starts_with('u') || t.starts_with('i') || t.starts_with('f') => "number",
        _ => "value",
    }
}

/// What the schema of `file` allows at `path`, in words (`true or false`, `one of: a, b`).
pub(crate) fn allowed(file: &str, path: &str) -> Option<String> {
    let schema = if file == super::settings::SETTINGS_FILE {
        super::settings::Settings::json_schema()
    } else {
        SpecFile::ALL
            .iter()
            .find(|f| f.file() == file)?
            .json_schema()
    };
    let node = walk(&schema, &schema, path)?;
    describe(&schema, node, 0)
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    let mut here = node;
    for _ in 0..16 {
        match here.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix("#/").map(|p| p.split('/')) {
                Some(parts) => {
                    let mut target = root;
                    for p in parts {
                        match target.get(p) {
                            Some(t) => target = t,
                            None => return here,
                        }
                    }
                    here = target;
                }
                None => return here,
            },
            None => return here,
        }
    }
    here
}

/// The branches of `anyOf`/`oneOf` (or the node itself), resolved.
fn branches<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    let node = resolve(root, node);
    for key in ["anyOf", "oneOf"] {
        if let Some(list) = node.get(key).and_then(Value::as_array) {
            return list.iter().map(|b| resolve(root, b)).collect();
        }
    }
    vec![node]
}

fn walk<'a>(root: &'a Value, node: &'a Value, path: &str) -> Option<&'a Value> {
    let mut here = resolve(root, node);
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            here = branches(root, here).into_iter().find_map(|b| {
                b.get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| b.get("additionalProperties").filter(|a| a.is_object()))
            })?;
        }
        for _ in rest.split('[').filter(|i| !i.is_empty()) {
            here = branches(root, here)
                .into_iter()
                .find_map(|b| b.get("items"))?;
        }
        here = resolve(root, here);
    }
    Some(here)
}

fn describe(root: &Value, node: &Value, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    for b in branches(root, node) {
        if let Some(values) = b.get("enum").and_then(Value::as_array) {
            let list: Vec<String> = values
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                .collect();
            words.push(format!("one of: {}", list.join(", ")));
            continue;
        }
        if let Some(p) = b.get("pattern").and_then(Value::as_str) {
            words.push(format!("text matching {p}"));
            continue;
        }
        let types: Vec<&str> = match b.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for t in types {
            words.push(
                match t {
                    "string" => "text",
                    "boolean" => "true or false",
                    "integer" => "a whole number",
                    "number" => "a number",
                    "array" => "a list",
                    "object" => "a mapping of keys",
                    "null" => "nothing (leave it empty)",
                    other => other,
                }
                .to_string(),
            );
        }
        if b.get("type").is_none()
            && let Some(inner) = b
                .get("allOf")
                .and_then(Value::as_array)
                .and_then(|a| a.first())
            && let Some(w) = describe(root, inner, depth + 1)
        {
            words.push(w);
        }
    }
    words.dedup();
    (!words.is_empty()).then(|| words.join(", or "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internals_are_said_in_words() {
        assert_eq!(
            plain("cannot deserialize null into string; use Option<String>"),
            "this key has no value, and a text is required"
        );
        assert!(plain("budget breached: ScalarBytes { limit: 1 }").contains("limits"));
        let multi = plain(
            "multiple YAML documents detected; use from_str_multiple or from_str_multiple_with_options",
        );
        assert!(
            multi.contains("more than one YAML document") && !multi.contains("from_str"),
            "{multi}"
        );
        assert!(!plain("data did not match any variant of untagged enum Scalar").contains("enum"));
        for internal in [
            "invalid char: cannot deserialize null; use Option<char>",
            "cannot use YAML core type tag \"!!str\" to select enum variant \"Gold\"",
            "externally tagged enum expected scalar or mapping",
            "expected end of mapping after enum variant value",
        ] {
            let said = plain(internal);
            assert!(
                !said.contains("enum") && !said.contains("Option<"),
                "{said}"
            );
        }
    }

    #[test]
    fn the_settings_schema_says_what_is_allowed() {
        assert_eq!(
            allowed("dpc.yaml", "targets.prod.catalog").as_deref(),
            Some("text, or nothing (leave it empty)")
        );
        assert!(allowed("dpc.yaml", "targets").is_some_and(|a| a.contains("mapping")));
    }

    #[test]
    fn the_schema_says_what_is_allowed() {
        assert_eq!(
            allowed(
                "contract.yaml",
                "tables.customers.schema.fields[0].nullable"
            )
            .as_deref(),
            Some("true or false")
        );
        assert_eq!(
            allowed("contract.yaml", "tables.customers.description").as_deref(),
            Some("text")
        );
    }
}
