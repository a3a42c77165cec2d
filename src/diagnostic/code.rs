//! Every diagnostic code, defined once: its stable name, the section of the diagnostics page
//! it belongs to and a one-line summary. `docs/diagnostics.md` is generated from this table
//! (`tests/it/docs_in_sync.rs` keeps the two equal; `DPC_UPDATE_DOCS=1` rewrites the page).

use serde::{Serialize, Serializer};

/// Where a code is listed on the diagnostics page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Section {
    Reading,
    Meaning,
    Derived,
    Platform,
    Bundle,
    Settings,
}

impl Section {
    pub(crate) const ALL: [Section; 6] = [
        Section::Reading,
        Section::Meaning,
        Section::Derived,
        Section::Platform,
        Section::Bundle,
        Section::Settings,
    ];

    pub(crate) fn title(self) -> &'static str {
        match self {
            Section::Reading => "Reading the spec",
            Section::Meaning => "The spec's meaning",
            Section::Derived => "Derived files",
            Section::Platform => "Databricks rules the output obeys",
            Section::Bundle => "The asset bundle (`databricks.yml`) against the spec",
            Section::Settings => "The platform settings (`dpc.yaml` beside the products)",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $section:ident, $summary:literal;)*) => {
        /// A diagnostic code (`DPC013`): stable across releases, documented on the
        /// diagnostics page.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($variant,)*
        }

        impl Code {
            /// Every code, in the order the diagnostics page lists them.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            pub(crate) fn section(self) -> Section {
                match self {
                    $(Code::$variant => Section::$section,)*
                }
            }

            pub(crate) fn summary(self) -> &'static str {
                match self {
                    $(Code::$variant => $summary,)*
                }
            }
        }
    };
}

codes! {
    Dpc003 = "DPC003", Reading, r#"YAML syntax error"#;
    Dpc004 = "DPC004", Reading, r#"unknown key (with a did-you-mean suggestion)"#;
    Dpc005 = "DPC005", Reading, r#"wrong type or value (names what is allowed)"#;
    Dpc006 = "DPC006", Reading, r#"a spec file is missing or unreadable"#;
    Dpc007 = "DPC007", Reading, r#"the derived files cannot be rendered from this spec"#;
    Dpc001 = "DPC001", Reading, r#"(create) a spec file does not read back into the spec it was written from"#;
    Dpc002 = "DPC002", Reading, r#"(create) a derived YAML file does not parse"#;
    Dpc100 = "DPC100", Meaning, r#"product name, owner email or catalog malformed"#;
    Dpc101 = "DPC101", Meaning, r#"tier platinum needs SLA high or critical"#;
    Dpc102 = "DPC102", Meaning, r#"sensitivity differs between product.yaml and governance.yaml"#;
    Dpc103 = "DPC103", Meaning, r#"schema is not the snake_case form of the product name"#;
    Dpc104 = "DPC104", Meaning, r#"(warning) product.yaml lists a table the contract does not have"#;
    Dpc109 = "DPC109", Meaning, r#"table or column name not allowed in Unity Catalog, or a table named like a Windows device (`con`, `nul`, `com1`, ...)"#;
    Dpc110 = "DPC110", Meaning, r#"primary key, clustering or partition column does not exist"#;
    Dpc111 = "DPC111", Meaning, r#"partitioned_by together with clustered_by"#;
    Dpc112 = "DPC112", Meaning, r#"a column appears twice, or two columns (or tables) differ only in case: Unity Catalog names ignore case"#;
    Dpc113 = "DPC113", Meaning, r#"PII in a public product"#;
    Dpc114 = "DPC114", Meaning, r#"a constraint or default does not fit the column's type"#;
    Dpc115 = "DPC115", Meaning, r#"a regex pattern does not compile, or uses a construct Databricks (Java `RLIKE`) reads differently from dpc's checks: POSIX classes (`[[:alpha:]]`), `\d` `\w` `\s` (Unicode here, ASCII in Java; write `[0-9]` ...), word boundaries, `\p{..}`, inline flags such as `(?i)`, `(?P<n>..)`, class differences `--`; `dpc test` evaluates `.` and `$` as Java does (`.` matches no line terminator, `$` also before a final one)"#;
    Dpc116 = "DPC116", Meaning, r#"primary-key column nullable, or marked but not listed"#;
    Dpc117 = "DPC117", Meaning, r#"an expectation names a missing column or lacks its parameters"#;
    Dpc118 = "DPC118", Meaning, r#"two expectations of a table share a name"#;
    Dpc119 = "DPC119", Meaning, r#"a default breaks its own column's constraints"#;
    Dpc120 = "DPC120", Meaning, r#"PII fields in governance.yaml and contract.yaml disagree"#;
    Dpc121 = "DPC121", Meaning, r#"a PII column has no masking rule"#;
    Dpc122 = "DPC122", Meaning, r#"a masking rule names a missing column or a method that changes its type"#;
    Dpc123 = "DPC123", Meaning, r#"default access not what the sensitivity requires"#;
    Dpc124 = "DPC124", Meaning, r#"`account users` reads non-public data other than through a masked view, or is an unmask group"#;
    Dpc125 = "DPC125", Meaning, r#"approval not required where the sensitivity requires it"#;
    Dpc126 = "DPC126", Meaning, r#"consumer without expiry and justification (restricted), an expiry more than 90 days after approval (or today), or a bad date"#;
    Dpc127 = "DPC127", Meaning, r#"audit off where the sensitivity requires it"#;
    Dpc128 = "DPC128", Meaning, r#"a consumer is granted a table that does not exist"#;
    Dpc129 = "DPC129", Meaning, r#"a principal (owner group, consumer, unmask group) is malformed"#;
    Dpc130 = "DPC130", Meaning, r#"(warning) freshness promised for a table the contract does not have"#;
    Dpc131 = "DPC131", Meaning, r#"freshness breach threshold tighter than its target"#;
    Dpc132 = "DPC132", Meaning, r#"quality breach threshold tighter than its target"#;
    Dpc133 = "DPC133", Meaning, r#"range min above max"#;
    Dpc134 = "DPC134", Meaning, r#"a principal can read a table the spec does not grant it (default deny)"#;
    Dpc135 = "DPC135", Meaning, r#"a PII column reads in clear for a principal outside its unmask groups (the owner group excepted)"#;
    Dpc136 = "DPC136", Meaning, r#"a consumer of confidential or restricted data without `approved_by`, or a bad or future approval record"#;
    Dpc137 = "DPC137", Meaning, r#"(warning) a consumer's grant has expired"#;
    Dpc138 = "DPC138", Meaning, r#"a consumer permission other than `SELECT`, the only privilege dpc grants"#;
    Dpc139 = "DPC139", Meaning, r#"(warning) a user or service principal is an unmask group, or a consumer of a product with row filters: masks and row filters admit account groups only (`is_account_group_member`), so it reads masked values or no rows"#;
    Dpc140 = "DPC140", Meaning, r#"a service principal consumer without `application_id` (warning: it is granted nothing until it has one), a placeholder or malformed application ID, an `application_id` on a group or user, or a `quality_identity` that is not an application ID"#;
    Dpc150 = "DPC150", Meaning, r#"(warning) the owner email is a placeholder"#;
    Dpc040 = "DPC040", Derived, r#"a derived file is missing, out of date, or no longer produced by the spec; or `sample_data/<table>.csv` does not have its table's columns (`generate` rewrites it)"#;
    Dpc041 = "DPC041", Derived, r#"(warning) a derived file was edited by hand"#;
    Dpc042 = "DPC042", Derived, r#"the SQL on disk lets a principal read more than the spec grants (a hand edit, or a spec change not yet generated)"#;
    Dpc010 = "DPC010", Platform, r#"no `PARTITIONED BY` together with `CLUSTER BY` (liquid clustering)"#;
    Dpc011 = "DPC011", Platform, r#"a column `DEFAULT` comes with `'delta.feature.allowColumnDefaults' = 'supported'`"#;
    Dpc012 = "DPC012", Platform, r#"no hard-coded `delta.minReaderVersion` / `minWriterVersion`"#;
    Dpc013 = "DPC013", Platform, r#"masks test `is_account_group_member`, not `is_member`"#;
    Dpc014 = "DPC014", Platform, r#"NULLs in masked views are typed: `CAST(NULL AS DATE)`"#;
    Dpc015 = "DPC015", Platform, r#"PII is tagged per column (`ALTER COLUMN c SET TAGS ('pii' = ...)`)"#;
    Dpc016 = "DPC016", Platform, r#"every reader gets `USE SCHEMA` with `SELECT`, and `USE CATALOG` from the catalog owner's file `schemas/catalog/grants.sql`"#;
    Dpc017 = "DPC017", Platform, r#"the account-wide group is `` `account users` ``"#;
    Dpc018 = "DPC018", Platform, r#"ownership via `SET OWNER TO` a group, not a table property"#;
    Dpc019 = "DPC019", Platform, r#"`PRIMARY KEY ... RELY` only where the contract says the producer guarantees the key (`primary_key_guaranteed: true`); otherwise `NORELY`"#;
    Dpc020 = "DPC020", Platform, r#"column masks or a masked view, never both"#;
    Dpc021 = "DPC021", Platform, r#"every PII column is masked"#;
    Dpc022 = "DPC022", Platform, r#"regex backslashes are doubled in SQL literals (checked by decoding them as Databricks does)"#;
    Dpc023 = "DPC023", Platform, r#"enum, range and pattern constraints are enforced as CHECK constraints (`schemas/checks/`), except on a table with a column mask or row filter, where the quality job enforces them"#;
    Dpc024 = "DPC024", Platform, r#"readers of a masked-view product are granted the view, not the table"#;
    Dpc025 = "DPC025", Platform, r#"a table DDL file never drops, replaces or empties a table (the bundle's job re-runs it)"#;
    Dpc026 = "DPC026", Platform, r#"every table DDL statement can run twice (`IF NOT EXISTS`, `OR REPLACE`, constraints dropped before they are added)"#;
    Dpc060 = "DPC060", Platform, r#"pre-flight: a CHECK constraint and a column mask or row filter on one table, in either order (`COLUMN_MASKS_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT`, `ROW_LEVEL_SECURITY_FEATURE_NOT_SUPPORTED.CHECK_CONSTRAINT`)"#;
    Dpc061 = "DPC061", Platform, r#"pre-flight: a second mask on a column (`MULTIPLE_MASKS`)"#;
    Dpc062 = "DPC062", Platform, r#"pre-flight: a service principal named by its display name in GRANT, REVOKE or SET OWNER (`PRINCIPAL_DOES_NOT_EXIST`)"#;
    Dpc063 = "DPC063", Platform, r#"pre-flight: GRANT, REVOKE, SET OWNER, ALTER or CREATE OR REPLACE without the right, including after ownership moved and on the shared catalog (`INSUFFICIENT_PERMISSIONS`)"#;
    Dpc064 = "DPC064", Platform, r#"pre-flight: an object used before it exists (`TABLE_OR_VIEW_NOT_FOUND`, `SCHEMA_NOT_FOUND`, `ROUTINE_NOT_FOUND`, `UNRESOLVED_COLUMN`)"#;
    Dpc065 = "DPC065", Platform, r#"pre-flight: tag and name limits (tag key over 255 characters, value over 1000, more than 50 tags on an object, a name over 255 characters or holding a space, `/` or a control character) (`INVALID_PARAMETER_VALUE`)"#;
    Dpc066 = "DPC066", Platform, r#"pre-flight: a column DEFAULT without its table feature (`WRONG_COLUMN_DEFAULTS_FOR_DELTA_FEATURE_NOT_ENABLED`)"#;
    Dpc067 = "DPC067", Platform, r#"pre-flight: the second run of the job changes the catalog"#;
    Dpc068 = "DPC068", Platform, r#"(warning) pre-flight: a statement the model does not understand; not checked"#;
    Dpc069 = "DPC069", Platform, r#"pre-flight: something created or added twice (`DELTA_CONSTRAINT_ALREADY_EXISTS`, `TABLE_OR_VIEW_ALREADY_EXISTS`, `SCHEMA_ALREADY_EXISTS`, `ROUTINE_ALREADY_EXISTS`)"#;
    Dpc030 = "DPC030", Platform, r#"Lakeflow expectations import `from pyspark import pipelines as dp`"#;
    Dpc050 = "DPC050", Bundle, r#"`databricks.yml` does not parse"#;
    Dpc051 = "DPC051", Bundle, r#"a table's DDL file is not applied by the job"#;
    Dpc052 = "DPC052", Bundle, r#"the job does not apply the DDL files in contract order (a table another references first)"#;
    Dpc053 = "DPC053", Bundle, r#"the job applies a DDL file of a table the contract no longer has"#;
    Dpc054 = "DPC054", Bundle, r#"an alert of `monitoring/alerts.yaml` has no alert resource"#;
    Dpc055 = "DPC055", Bundle, r#"an alert resource runs a different query than `monitoring/alerts.yaml`"#;
    Dpc056 = "DPC056", Bundle, r#"no schema resource for the product's schema, or a target deploys to another catalog"#;
    Dpc160 = "DPC160", Settings, r#"dev and prod deploy a product to one catalog (dev's catalog is the product's production catalog)"#;
    Dpc161 = "DPC161", Settings, r#"a product's `catalog_location.catalog` is not the catalog `dpc.yaml` deploys prod to"#;
    Dpc162 = "DPC162", Settings, r#"a malformed setting: a host that is not an https workspace URL, a bad catalog name, an empty warehouse or destination name, a malformed application ID or email"#;
    Dpc163 = "DPC163", Settings, r#"`access_policy.quality_identity` differs from `dpc.yaml`'s `quality_identity`"#;
    Dpc164 = "DPC164", Settings, r#"a table tag sets a governed tag to a value the organisation does not allow"#;
    Dpc165 = "DPC165", Settings, r#"(warning) `dpc.yaml` gives prod no host or no deploy identity"#;
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Code {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

/// The diagnostics page (`docs/diagnostics.md`): every code by section.
pub fn page() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         Generated from `src/diagnostic/code.rs` (`DPC_UPDATE_DOCS=1 cargo test --test it \
         docs_in_sync` rewrites it). `dpc validate` prints each diagnostic with its code, the \
         file, line and column, the offending line and a help line; `--format json` gives the \
         same as `{file, line, column, severity, code, message, help}`. A code marked \
         (warning) does not fail `validate` unless `--deny-warnings` is given.\n",
    );
    for section in Section::ALL {
        out.push_str(&format!(
            "\n## {}\n\n| code | meaning |\n|---|---|\n",
            section.title()
        ));
        for code in Code::ALL.iter().filter(|c| c.section() == section) {
            out.push_str(&format!("| {code} | {} |\n", code.summary()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let s = code.as_str();
            assert!(s.len() == 6 && s.starts_with("DPC"), "{s}");
            assert!(s[3..].bytes().all(|b| b.is_ascii_digit()), "{s}");
            assert!(seen.insert(s), "{s} twice");
            assert_eq!(format!("{code:?}"), format!("Dpc{}", &s[3..]));
        }
    }
}
