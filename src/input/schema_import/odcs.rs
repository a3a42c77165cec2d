//! An ODCS data contract (v3.0 to v3.2): its tables, read by the same code as
//! `dpc import odcs`; what they lose is listed in the notes.

use super::{ImportError, Imported, Source};

/// YAML that says it is an ODCS data contract (a top-level `kind: DataContract`).
pub(crate) fn claims(extension: &str, text: &str) -> bool {
    matches!(extension, "yaml" | "yml")
        && text.lines().any(|l| {
            l.split_once(':').is_some_and(|(key, value)| {
                key.trim_matches(['"', '\'']) == "kind"
                    && value.trim().trim_matches(['"', '\'']) == "DataContract"
            })
        })
}

pub(crate) fn read(src: &Source) -> Result<Imported, ImportError> {
    let file = src.path.display().to_string();
    let doc =
        crate::interop::odcs::parse(&file, src.text).map_err(|e| src.error(None, e.to_string()))?;
    let read =
        crate::interop::odcs::import::tables(&doc).map_err(|e| src.error(None, e.to_string()))?;
    let mut notes = read.notes;
    for (what, at) in crate::interop::odcs::import::grouped(&read.not_carried) {
        notes.push(format!(
            "not carried over from the ODCS contract: {what} (at {at})"
        ));
    }
    let tables = read.tables;
    Ok(Imported { tables, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_odcs_documents_only() {
        assert!(claims("yaml", "apiVersion: v3.1.0\nkind: DataContract\n"));
        assert!(claims("yml", "kind: \"DataContract\"\n"));
        assert!(!claims("yaml", "contract_version: \"1.0.0\"\ntables: {}\n"));
        assert!(!claims("csv", "kind: DataContract\n"));
    }
}
