//! An ordered YAML value: what ODCS leaves open (`customProperties` values, keys dpc has no
//! field for) and the parts of the spec that travel in `dpc.` custom properties. Unlike
//! `serde_json::Value` it keeps the order of keys, so an export reads like the spec it came
//! from and exporting twice gives the same text.

use crate::spec::{SpecError, parse_yaml, to_yaml};
use indexmap::IndexMap;
use serde::{Deserialize, Serialize, de::DeserializeOwned};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub(crate) enum Any {
    #[default]
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    List(Vec<Any>),
    Map(IndexMap<String, Any>),
}

impl Any {
    pub(crate) fn map() -> Self {
        Any::Map(IndexMap::new())
    }

    pub(crate) fn text(s: impl Into<String>) -> Self {
        Any::Text(s.into())
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Any::Text(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_map(&self) -> Option<&IndexMap<String, Any>> {
        match self {
            Any::Map(m) => Some(m),
            _ => None,
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Any> {
        self.as_map().and_then(|m| m.get(key))
    }

    /// Sets `key` in a map (a non-map becomes an empty map first).
    pub(crate) fn set(&mut self, key: &str, value: Any) {
        if !matches!(self, Any::Map(_)) {
            *self = Any::map();
        }
        if let Any::Map(m) = self {
            m.insert(key.to_string(), value);
        }
    }

    /// Removes the value at `path` (keys of nested maps) and returns it; a map left empty by
    /// the removal is removed too, so residues hold no empty sections.
    pub(crate) fn remove_path(&mut self, path: &[&str]) -> Option<Any> {
        let Any::Map(m) = self else { return None };
        match path {
            [] => None,
            [key] => m.shift_remove(*key),
            [key, rest @ ..] => {
                let child = m.get_mut(*key)?;
                let removed = child.remove_path(rest);
                if child.as_map().is_some_and(IndexMap::is_empty) {
                    m.shift_remove(*key);
                }
                removed
            }
        }
    }

    /// The value at `path` (keys of nested maps).
    pub(crate) fn get_path(&self, path: &[&str]) -> Option<&Any> {
        path.iter().try_fold(self, |v, key| v.get(key))
    }

    /// Sets the value at `path`, creating the maps on the way.
    pub(crate) fn set_path(&mut self, path: &[&str], value: Any) {
        match path {
            [] => *self = value,
            [key] => self.set(key, value),
            [key, rest @ ..] => {
                if !matches!(self, Any::Map(_)) {
                    *self = Any::map();
                }
                if let Any::Map(m) = self {
                    m.entry(key.to_string())
                        .or_insert_with(Any::map)
                        .set_path(rest, value);
                }
            }
        }
    }

    /// A scalar as text (numbers and booleans in their YAML spelling); None for
    /// null, lists and maps.
    pub(crate) fn scalar_text(&self) -> Option<String> {
        match self {
            Any::Bool(b) => Some(b.to_string()),
            Any::Int(i) => Some(i.to_string()),
            Any::Float(f) => Some(f.to_string()),
            Any::Text(s) => Some(s.clone()),
            _ => None,
        }
    }

    /// A value that says nothing: null, false, an empty text, list or map, or the `-1`
    /// ODCS uses for "no position". Dropping one is no loss worth reporting.
    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Any::Null | Any::Bool(false) | Any::Int(-1) => true,
            Any::Text(s) => s.trim().is_empty(),
            Any::List(l) => l.iter().all(Any::is_blank),
            Any::Map(m) => m.values().all(Any::is_blank),
            _ => false,
        }
    }

    /// `over` laid onto `self`: maps merge key by key, anything else is replaced.
    #[cfg(test)]
    pub(crate) fn merge(&mut self, over: Any) {
        match (self, over) {
            (Any::Map(base), Any::Map(over)) => {
                for (k, v) in over {
                    match base.get_mut(&k) {
                        Some(existing) => existing.merge(v),
                        None => {
                            base.insert(k, v);
                        }
                    }
                }
            }
            (slot, over) => *slot = over,
        }
    }
}

/// Any serializable value as an [`Any`]: what the spec's own YAML writer and reader make of
/// it, so every scalar keeps the type the spec files give it. Built directly where that is
/// the same thing (see [`super::any_ser`]), through the YAML text otherwise.
pub(crate) fn to_any<T: Serialize>(value: &T) -> Result<Any, SpecError> {
    match super::any_ser::to_any(value) {
        Ok(any) => Ok(any),
        Err(_) => to_any_via_yaml(value),
    }
}

/// [`to_any`] without the top-level keys in `skip`.
pub(crate) fn to_any_without<T: Serialize>(value: &T, skip: &[&str]) -> Result<Any, SpecError> {
    match super::any_ser::to_any_without(value, skip) {
        Ok(any) => Ok(any),
        Err(_) => {
            let mut any = to_any_via_yaml(value)?;
            for key in skip {
                any.remove_path(&[key]);
            }
            Ok(any)
        }
    }
}

/// [`to_any`] through the YAML text, always.
pub(crate) fn to_any_via_yaml<T: Serialize>(value: &T) -> Result<Any, SpecError> {
    parse_yaml("value", &to_yaml("value", value)?)
}

/// The typed value an [`Any`] describes; `what` names it in errors.
pub(crate) fn from_any<T: DeserializeOwned>(what: &str, value: &Any) -> Result<T, SpecError> {
    parse_yaml(what, &to_yaml(what, value)?)
}

/// `masked_view` → `maskedView`: spec keys as ODCS custom property names (camel case).
pub(crate) fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `maskedView` → `masked_view`, the inverse of [`camel`] for spec keys.
pub(crate) fn snake(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_types_and_order() {
        let text = "b: 1\na: \"1\"\nc: 1.5\nd: [true, ~]\n";
        let v: Any = parse_yaml("t", text).unwrap();
        let keys: Vec<_> = v.as_map().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["b", "a", "c", "d"]);
        assert_eq!(v.get("b"), Some(&Any::Int(1)));
        assert_eq!(v.get("a"), Some(&Any::text("1")));
        assert_eq!(v.get("c"), Some(&Any::Float(1.5)));
        assert_eq!(
            v.get("d"),
            Some(&Any::List(vec![Any::Bool(true), Any::Null]))
        );
        let again: Any = parse_yaml("t", &to_yaml("t", &v).unwrap()).unwrap();
        assert_eq!(again, v);
        // Texts YAML 1.1 would read as something else stay texts.
        for text in ["y", "no", "~", "1.0", "2024-12-31", "0x1F"] {
            assert_eq!(to_any(&text).unwrap(), Any::text(text), "{text}");
        }
    }

    /// Leaving top-level keys out while serializing gives what removing them after does,
    /// and only at the top level (a nested key of the same name stays).
    #[test]
    fn keys_left_out_are_keys_removed() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/customer-360");
        let spec = crate::spec::load::load(&dir).spec.expect("customer-360");
        let table = spec.contract.tables.values().next().expect("a table");
        for skip in [&["schema", "description"][..], &["tables"], &[], &["nope"]] {
            for (what, value) in [
                ("contract", to_any(&spec.contract).unwrap()),
                ("table", to_any(table).unwrap()),
            ] {
                let mut removed = value;
                for key in skip {
                    removed.remove_path(&[key]);
                }
                let left_out = match what {
                    "contract" => to_any_without(&spec.contract, skip),
                    _ => to_any_without(table, skip),
                };
                assert_eq!(left_out.unwrap(), removed, "{what} without {skip:?}");
            }
        }
        // `description` is also a key of every field: those stay.
        let t = to_any_without(table, &["description"]).unwrap();
        assert!(t.get("description").is_none());
        assert!(format!("{t:?}").contains("description"));
    }

    /// The direct road gives what the YAML road gives, on the examples' specs and on values
    /// whose YAML spelling is tricky.
    #[test]
    fn direct_and_yaml_roads_agree() {
        fn same<T: Serialize>(what: &str, v: &T) {
            let direct = super::super::any_ser::to_any(v).expect(what);
            assert_eq!(direct, to_any_via_yaml(v).unwrap(), "{what}");
        }
        for name in [
            "customer-360",
            "real-time-fraud-detection",
            "sales-analytics",
        ] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("examples")
                .join(name);
            let spec = crate::spec::load::load(&dir).spec.expect(name);
            same(name, &spec.product);
            same(name, &spec.contract);
            same(name, &spec.sla);
            same(name, &spec.governance);
            for t in spec.contract.tables.values() {
                for f in &t.schema.fields {
                    same(&f.name, f);
                }
            }
        }
        let texts = [
            "",
            " ",
            "y",
            "no",
            "~",
            "null",
            "1.0",
            "0x1F",
            "2024-12-31",
            "a: b",
            "- x",
            "#",
            "line\nbreak",
            "trailing\n",
            "two\n\n",
            " lead",
            "tab\there",
            "\u{0}\u{7f}",
            "<script>\"'{{ x }}</script>",
            "ü 🙂",
            "'quoted'",
            "@at",
            "`tick`",
            "%pct",
        ];
        for t in texts {
            same(t, &t);
            same(t, &vec![t]);
        }
        same(
            "floats",
            &vec![0.0, 1.0, -1.5, 99.9, 1e300, f64::NAN.max(0.0)],
        );
        same("ints", &(i64::MIN, i64::MAX, u64::MAX, 0u8, -1i32));
        same("options", &(None::<i64>, Some("x"), ()));
    }

    #[test]
    fn merge_and_remove() {
        let mut base: Any = parse_yaml("t", "a: {p: 1, q: 2}\nb: [1]\n").unwrap();
        base.merge(parse_yaml("t", "a: {q: 3}\nb: [2, 3]\n").unwrap());
        assert_eq!(
            base,
            parse_yaml("t", "a: {p: 1, q: 3}\nb: [2, 3]\n").unwrap()
        );
        assert_eq!(base.get_path(&["a", "q"]), Some(&Any::Int(3)));
        assert_eq!(base.remove_path(&["a", "p"]), Some(Any::Int(1)));
        base.remove_path(&["a", "q"]);
        assert_eq!(base.get("a"), None, "an emptied section goes too");
        base.set_path(&["c", "d"], Any::text("e"));
        assert_eq!(base.get_path(&["c", "d"]), Some(&Any::text("e")));
    }

    #[test]
    fn camel_and_snake_are_inverse() {
        for key in ["masked_view", "pii", "row_count", "backward_compatibility"] {
            assert_eq!(snake(&camel(key)), key);
        }
        assert_eq!(camel("masked_view"), "maskedView");
    }
}
