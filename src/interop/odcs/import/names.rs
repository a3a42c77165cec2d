//! Names from the document made into names dpc accepts.

use super::report::Reader;
use crate::spec::name;

/// `my_table` or `Orders Event Stream` → `my-table`, `orders-event-stream`.
pub(super) fn kebab(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let trimmed = out.trim_matches('-');
    let start = trimmed
        .find(|c: char| c.is_ascii_lowercase())
        .unwrap_or(trimmed.len());
    let mut name = trimmed[start..].to_string();
    name.truncate(name::MAX_PRODUCT_NAME);
    name.trim_end_matches('-').to_string()
}

/// A Unity Catalog name for a table or column: `physicalName` when usable, else `name`, with
/// the characters Unity Catalog refuses replaced.
pub(super) fn uc_name(
    physical: Option<&str>,
    logical: &str,
    at: &str,
    r: &mut Reader,
) -> Option<String> {
    if let Some(p) = physical.filter(|p| name::check_uc_name("name", p).is_ok()) {
        if !logical.is_empty() && logical != p {
            r.lose(
                at,
                format!("name {logical}: named after its physicalName {p}"),
            );
        }
        return Some(p.to_string());
    }
    let candidate = if logical.is_empty() {
        physical.unwrap_or("")
    } else {
        logical
    };
    if candidate.is_empty() {
        return None;
    }
    let cleaned: String = candidate
        .chars()
        .map(|c| {
            if matches!(c, '.' | ' ' | '/') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if cleaned != candidate {
        r.notes.push(format!(
            "{at}: '{candidate}' is not a Unity Catalog name; named {cleaned}"
        ));
    }
    Some(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_names_become_product_names() {
        assert_eq!(kebab("my_table"), "my-table");
        assert_eq!(kebab("Orders Event Stream"), "orders-event-stream");
        assert_eq!(kebab("6aeafdc1-ed62"), "aeafdc1-ed62");
        assert_eq!(kebab("--"), "");
    }

    #[test]
    fn unity_catalog_names_prefer_the_physical_name() {
        let mut r = Reader::default();
        assert_eq!(
            uc_name(Some("tbl_1"), "tbl", "t", &mut r).as_deref(),
            Some("tbl_1")
        );
        assert_eq!(r.losses.len(), 1, "the logical name is reported");
        assert_eq!(
            uc_name(Some("a.b"), "a b", "t", &mut r).as_deref(),
            Some("a_b")
        );
        assert_eq!(uc_name(None, "", "t", &mut r), None);
    }
}
