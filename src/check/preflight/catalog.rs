//! The catalog model the pre-flight applies statements to: one catalog (owned by someone
//! else), its schemas, tables, columns, constraints, masks, row filters, functions, views,
//! tags, owners and grants. Names are keys as the statement reader spells them (upper case,
//! no backticks); equality of two models is "the second run changed nothing".

use std::collections::{BTreeMap, BTreeSet};

/// Who runs statements: the job's identity (a member of the owner group, owning nothing at
/// first) or the catalog's owner (for the file addressed to them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Identity {
    pub name: String,
    /// Groups the identity belongs to; owning is also true of a group one is a member of.
    pub groups: Vec<String>,
}

impl Identity {
    pub(crate) fn is(&self, principal: &str) -> bool {
        self.name == principal || self.groups.iter().any(|g| g == principal)
    }
}

pub(crate) type Grants = BTreeSet<(String, String)>;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Column {
    pub mask: Option<String>,
    pub tags: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Table {
    pub owner: String,
    pub columns: BTreeMap<String, Column>,
    /// CHECK constraints: name → expression.
    pub checks: BTreeMap<String, String>,
    pub row_filter: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub grants: Grants,
    /// True for a view (no constraints, masks or row filters of its own).
    pub view: bool,
    /// A view's definition.
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Function {
    pub owner: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Schema {
    pub owner: String,
    pub grants: Grants,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Catalog {
    pub name: String,
    pub owner: String,
    pub grants: Grants,
    pub schemas: BTreeMap<String, Schema>,
    /// Tables and views by `CATALOG.SCHEMA.NAME`.
    pub tables: BTreeMap<String, Table>,
    pub functions: BTreeMap<String, Function>,
}

impl Catalog {
    /// The stated situation: the catalog exists and belongs to `owner`; nothing else exists.
    pub(crate) fn new(name: &str, owner: &str) -> Self {
        Catalog {
            name: name.to_string(),
            owner: owner.to_string(),
            ..Catalog::default()
        }
    }

    /// Whether `who` holds `privilege` on the catalog (its owner holds every privilege).
    pub(crate) fn catalog_allows(&self, who: &Identity, privilege: &str) -> bool {
        who.is(&self.owner) || self.grants.iter().any(|(p, g)| who.is(p) && g == privilege)
    }

    pub(crate) fn schema_of(key: &str) -> &str {
        key.rsplit_once('.').map_or(key, |(s, _)| s)
    }

    /// Owner rights on a table, view or function, or through its schema or catalog (which
    /// may manage privileges on what they hold).
    pub(crate) fn manages(&self, who: &Identity, owner: &str, key: &str) -> bool {
        who.is(owner)
            || self
                .schemas
                .get(Self::schema_of(key))
                .is_some_and(|s| who.is(&s.owner))
            || who.is(&self.owner)
    }

    /// What differs between two states, one line per object (empty when equal).
    pub(crate) fn differences(&self, other: &Catalog) -> Vec<String> {
        let mut out = Vec::new();
        if self.grants != other.grants || self.owner != other.owner {
            out.push(format!("catalog {}", self.name));
        }
        diff(&self.schemas, &other.schemas, "schema", &mut out);
        diff(&self.tables, &other.tables, "table", &mut out);
        diff(&self.functions, &other.functions, "function", &mut out);
        out
    }
}

fn diff<T: PartialEq>(
    a: &BTreeMap<String, T>,
    b: &BTreeMap<String, T>,
    kind: &str,
    out: &mut Vec<String>,
) {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        if a.get(k) != b.get(k) {
            out.push(format!("{kind} {}", k.to_lowercase()));
        }
    }
}
