//! Names a user gives: product names, emails, principals, catalogs.

use regex::Regex;
use std::sync::LazyLock;

static PRODUCT_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$").expect("constant regex"));
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")
        .expect("constant regex")
});

pub(crate) const MAX_PRODUCT_NAME: usize = 63;

/// Checks a product name: kebab-case, at most 63 characters.
pub(crate) fn check_product_name(name: &str) -> Result<(), String> {
    if name.len() > MAX_PRODUCT_NAME {
        return Err(format!(
            "product name '{name}' is {} characters long; at most {MAX_PRODUCT_NAME} are allowed",
            name.len()
        ));
    }
    if !PRODUCT_NAME.is_match(name) {
        return Err(format!(
            "product name '{}' is not kebab-case: use lower-case letters, digits and single hyphens, starting with a letter (e.g. customer-360)",
            name.escape_debug()
        ));
    }
    check_file_name("product name", name)
}

/// Names Windows reserves for devices, whatever the extension (`con`, `nul.csv`).
const WINDOWS_RESERVED: [&str; 22] = [
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// A name that becomes a file or folder name (a product, a table's files) must be one on
/// every system the product is checked out on.
pub(crate) fn check_file_name(what: &str, name: &str) -> Result<(), String> {
    let stem = name.split('.').next().unwrap_or(name);
    if WINDOWS_RESERVED
        .iter()
        .any(|r| r.eq_ignore_ascii_case(stem))
    {
        return Err(format!(
            "{what} '{}' is a device name Windows reserves ({}); choose another",
            name.escape_debug(),
            WINDOWS_RESERVED.join(", ")
        ));
    }
    Ok(())
}

/// The Unity Catalog schema of a product: `customer-360` → `customer_360`.
pub(crate) fn schema_name(product_name: &str) -> String {
    product_name.replace('-', "_")
}

pub(crate) fn check_email(email: &str) -> Result<(), String> {
    if EMAIL.is_match(email) {
        Ok(())
    } else {
        Err(format!(
            "'{}' is not an email address (expected name@example.com)",
            email.escape_debug()
        ))
    }
}

/// Unity Catalog names: no `.`, space, `/` or control characters, at most 255 characters.
pub(crate) fn check_uc_name(what: &str, name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("{what} is empty"));
    }
    if name.chars().count() > 255 {
        return Err(format!("{what} '{name}' is longer than 255 characters"));
    }
    if let Some(c) = name
        .chars()
        .find(|c| matches!(c, '.' | ' ' | '/') || c.is_control())
    {
        return Err(format!(
            "{what} '{}' contains '{}', which Unity Catalog names may not contain (no '.', space, '/' or control characters)",
            name.escape_debug(),
            c.escape_debug()
        ));
    }
    Ok(())
}

/// Principals (groups, service principals, users) are quoted in SQL, so most characters are
/// fine; control characters and empty names are not.
pub(crate) fn check_principal(what: &str, name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err(format!("{what} is empty"));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "{what} '{}' contains control characters",
            name.escape_debug()
        ));
    }
    if name.chars().count() > 255 {
        return Err(format!("{what} is longer than 255 characters"));
    }
    Ok(())
}

static APPLICATION_ID: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
    )
    .expect("constant regex")
});

/// A service principal's application ID: a UUID that is not all zeros (a placeholder).
pub(crate) fn is_application_id(s: &str) -> bool {
    APPLICATION_ID.is_match(s) && s.chars().any(|c| c.is_ascii_hexdigit() && c != '0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_names() {
        assert!(check_product_name("customer-360").is_ok());
        for bad in [
            "../etc",
            "Customer 360",
            "customer_360",
            "-a",
            "a--b",
            "a-",
            "",
        ] {
            assert!(check_product_name(bad).is_err(), "{bad}");
        }
        assert!(check_product_name(&"a".repeat(64)).is_err());
        assert_eq!(schema_name("customer-360"), "customer_360");
    }

    #[test]
    fn emails() {
        assert!(check_email("sales-team@company.com").is_ok());
        assert!(check_email("not-an-email").is_err());
        assert!(check_email("a@b").is_err());
    }
}
