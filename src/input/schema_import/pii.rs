//! Personal data recognised by column name, for imports whose format cannot say so itself.
//! Only names that leave little doubt count; everything else is left for the user to mark.

use crate::input::starter::StarterTable;

/// The `pii` category of a column named `column`, when its name makes it obvious.
pub(crate) fn category(column: &str) -> Option<&'static str> {
    let lower = column.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(['_', '-']).filter(|w| !w.is_empty()).collect();
    let has = |w: &str| words.contains(&w);
    let joined = words.join("_");
    if has("ip") || joined.contains("ip_address") || joined == "ipaddress" {
        return Some("ip_address");
    }
    if has("email") || has("e_mail") || joined.contains("email") {
        return Some("email");
    }
    if has("phone") || has("mobile") || has("telephone") || joined.contains("phone") {
        return Some("phone");
    }
    if joined.contains("date_of_birth")
        || joined.contains("birth_date")
        || joined.contains("birthdate")
        || has("dob")
        || has("birthday")
    {
        return Some("date_of_birth");
    }
    if has("address") || has("street") {
        return Some("address");
    }
    const NAME_PARTS: [&str; 8] = [
        "first", "last", "full", "middle", "given", "family", "maiden", "legal",
    ];
    const PEOPLE: [&str; 7] = [
        "customer",
        "contact",
        "person",
        "employee",
        "patient",
        "holder",
        "recipient",
    ];
    let named = words.last() == Some(&"name")
        && words.len() >= 2
        && words[..words.len() - 1]
            .iter()
            .any(|w| NAME_PARTS.contains(w) || PEOPLE.contains(w));
    if named || has("surname") || has("firstname") || has("lastname") || has("fullname") {
        return Some("name");
    }
    None
}

/// Marks every column whose name is obviously personal data as PII, with its category;
/// returns what was marked as `table.column (category)`.
pub(crate) fn mark_by_name(tables: &mut [StarterTable]) -> Vec<String> {
    let mut marked = Vec::new();
    for t in tables {
        for f in &mut t.contract.schema.fields {
            if f.pii {
                continue;
            }
            if let Some(cat) = category(&f.name) {
                f.pii = true;
                t.pii_categories.insert(f.name.clone(), cat.to_string());
                marked.push(format!("{}.{} ({cat})", t.name, f.name));
            }
        }
    }
    marked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn obvious_names_are_recognised() {
        for (name, cat) in [
            ("email", "email"),
            ("customer_email", "email"),
            ("EmailAddress", "email"),
            ("phone_number", "phone"),
            ("mobile", "phone"),
            ("first_name", "name"),
            ("last_name", "name"),
            ("customer_name", "name"),
            ("surname", "name"),
            ("address", "address"),
            ("shipping_address", "address"),
            ("street", "address"),
            ("date_of_birth", "date_of_birth"),
            ("dob", "date_of_birth"),
            ("birth_date", "date_of_birth"),
            ("ip_address", "ip_address"),
            ("client_ip", "ip_address"),
        ] {
            assert_eq!(category(name), Some(cat), "{name}");
        }
    }

    #[test]
    fn other_names_are_not_pii() {
        for name in [
            "name",
            "product_name",
            "table_name",
            "shipping",
            "description",
            "zip_code",
            "order_id",
            "recipe",
            "tipping_point",
        ] {
            assert_eq!(category(name), None, "{name}");
        }
    }
}
