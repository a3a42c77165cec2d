//! `dpc.` custom properties back into the spec: the parts of a spec value that ODCS has no
//! field for, laid onto what the standard fields and the builder give.

use super::report::Reader;
use crate::interop::odcs::any::{Any, from_any, snake, to_any};
use crate::interop::odcs::{OdcsError, prop};
use indexmap::IndexMap;
use serde::Serialize;

/// Splits `dpc.` properties into the named ones (`named` keys, removed and returned) and the
/// rest as spec keys in snake case.
pub(super) fn residue_keys(
    mut custom: IndexMap<String, Any>,
    named: &[&str],
) -> (IndexMap<String, Any>, IndexMap<String, Any>) {
    let mut taken = IndexMap::new();
    for n in named {
        if let Some(v) = custom.shift_remove(*n) {
            taken.insert(n.to_string(), v);
        }
    }
    let rest = custom
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix(prop::PREFIX).map(|key| (snake(key), v)))
        .collect();
    (taken, rest)
}

/// `base` with the residue's keys when the result reads as a `T`. When it does not, the key
/// that spoils it (unknown to this dpc, or a wrong value) is a loss; failing that, every
/// residue key is.
pub(super) fn with_residue<T: serde::de::DeserializeOwned>(
    what: &str,
    base: Any,
    residue: IndexMap<String, Any>,
    at: &str,
    r: &mut Reader,
) -> Result<T, OdcsError> {
    let with = |skip: Option<&str>| {
        let mut candidate = base.clone();
        for (key, value) in &residue {
            if Some(key.as_str()) != skip {
                candidate.set(key, value.clone());
            }
        }
        candidate
    };
    let full = with(None);
    let error = match from_any::<T>(what, &full) {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let name = |key: &str| format!("{}{}", prop::PREFIX, crate::interop::odcs::any::camel(key));
    for key in residue.keys() {
        if let Ok(v) = from_any::<T>(what, &with(Some(key))) {
            r.lose(at, format!("{}: not restored ({error})", name(key)));
            return Ok(v);
        }
    }
    for key in residue.keys() {
        r.lose(at, format!("{}: not restored ({error})", name(key)));
    }
    Ok(from_any(what, &base)?)
}

/// A section of the spec: the builder's, or when restoring, the document's residue with the
/// keys standard fields carry (`carried`) taken from the builder's, which read them from the
/// document. A residue that no longer reads is a loss, and the builder's section stands.
pub(super) fn section<T: Serialize + serde::de::DeserializeOwned>(
    what: &str,
    key: &str,
    baseline: T,
    residue: Option<Any>,
    carried: &[&[&str]],
    r: &mut Reader,
) -> T {
    let Some(mut restored) = residue else {
        return baseline;
    };
    let merged = to_any(&baseline).map(|base| {
        for path in carried {
            if let Some(v) = base.get_path(path) {
                restored.set_path(path, v.clone());
            }
        }
        restored
    });
    match merged.and_then(|m| from_any::<T>(what, &m)) {
        Ok(v) => v,
        Err(e) => {
            r.lose("customProperties", format!("{key}: not restored ({e})"));
            baseline
        }
    }
}
