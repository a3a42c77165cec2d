//! Reads the access rules back out of SQL text: owners, GRANT/REVOKE, column masks and their
//! functions, masked views and row filters. This is how `dpc validate` sees what the DDL on
//! disk really grants (a hand edit may grant more than the spec); it shares nothing with the
//! render model but the spec's table and column names.

use super::matrix::{TableRules, ViewRules};
use crate::lang::sql_statements::{SqlFile, Statement};
use crate::render::RenderedFile;
use crate::render::sql_files;
use crate::spec::ProductSpec;
use crate::spec::policy::ACCOUNT_USERS;
use indexmap::IndexMap;
use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

static GRANT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^(GRANT|REVOKE)\s+(.+?)\s+ON\s+(?:(TABLE|VIEW|SCHEMA|CATALOG)\s+)?(\S+)\s+(?:TO|FROM)\s+(`(?:[^`]|``)*`|\S+)\s*$")
        .expect("constant regex")
});
static OWNER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?is)^ALTER\s+TABLE\s+(\S+)\s+SET\s+OWNER\s+TO\s+(`(?:[^`]|``)*`|\S+)\s*$")
        .expect("constant regex")
});

/// The SQL files whose statements set access: the table DDL at the top of `schemas/`
/// (revocation records in its subfolders are not part of the current state).
pub(crate) fn is_ddl(path: &str) -> bool {
    path.strip_prefix("schemas/")
        .is_some_and(|rest| !rest.contains('/') && rest.ends_with(".sql"))
}

/// A dotted name as a comparable key: backticks removed, upper case.
fn key(name: &str) -> String {
    let mut out = String::new();
    let mut chars = name.trim().chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match c {
            '`' if quoted && chars.peek() == Some(&'`') => {
                chars.next();
                out.push('`');
            }
            '`' => quoted = !quoted,
            c => out.extend(c.to_uppercase()),
        }
    }
    out
}

fn principal(raw: &str) -> String {
    let raw = raw.trim();
    match raw.strip_prefix('`').and_then(|r| r.strip_suffix('`')) {
        Some(inner) => inner.replace("``", "`"),
        None => raw.to_string(),
    }
}

/// Which literal (by index) starts at each `''` of a statement's code.
fn literal_index_at(code: &str, at: usize) -> usize {
    code[..at].matches("''").count()
}

/// The principals a boolean test built of `is_account_group_member('g')` (a group) and
/// `current_user() = 'id'` (one principal, as the quality identity is admitted) joined by OR
/// admits. Anything else in the test (TRUE, other comparisons, ...) cannot be read; it counts
/// as admitting everyone, the reading that grants the most.
fn groups_of_test(s: &Statement, start: usize, end: usize) -> Vec<String> {
    let test = &s.code[start..end];
    let mut groups = Vec::new();
    let mut offset = start;
    for term in test.split(" OR ") {
        let t = term.trim();
        if t == "FALSE" {
        } else if t == "IS_ACCOUNT_GROUP_MEMBER('')" || t == "CURRENT_USER() = ''" {
            let at = offset + term.find("''").unwrap_or(0);
            match s.literals.get(literal_index_at(&s.code, at)) {
                Some(g) => groups.push(g.clone()),
                None => groups.push(ACCOUNT_USERS.to_string()),
            }
        } else {
            groups.push(ACCOUNT_USERS.to_string());
        }
        offset += term.len() + " OR ".len();
    }
    groups
}

/// `CASE WHEN test THEN a ELSE b END` over `column`: the groups that see `column` in clear.
/// An ELSE that returns the column itself masks nothing.
fn case_groups(s: &Statement, start: usize, end: usize, column: &str) -> Option<Vec<String>> {
    let expr = &s.code[start..end];
    let body = expr.strip_prefix("CASE WHEN ")?;
    let then = body.find(" THEN ")?;
    let else_at = body.rfind(" ELSE ")?;
    let fallback = body[else_at + " ELSE ".len()..]
        .trim_end()
        .strip_suffix("END")?
        .trim();
    if key(fallback) == key(column) {
        return Some(vec![ACCOUNT_USERS.to_string()]);
    }
    let test_start = start + "CASE WHEN ".len();
    Some(groups_of_test(s, test_start, test_start + then))
}

/// Splits at commas outside parentheses: (start, end) byte ranges of `code[from..to]`.
fn items(code: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = from;
    for (i, c) in code[from..to].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push((start, from + i));
                start = from + i + 1;
            }
            _ => {}
        }
    }
    out.push((start, to));
    out.into_iter()
        .map(|(a, b)| {
            let lead = code[a..b].len() - code[a..b].trim_start().len();
            let trail = code[a..b].len() - code[a..b].trim_end().len();
            (a + lead, b - trail)
        })
        .collect()
}

/// A masked view's base table and, per column, the groups that see it in clear (None: the
/// column is not masked).
type View = (String, IndexMap<String, Option<Vec<String>>>);

#[derive(Default)]
struct State {
    /// Function key → groups that pass it (masks: see clear; row filters: see rows).
    functions: HashMap<String, Vec<String>>,
    owners: HashMap<String, String>,
    /// Object key → principals with SELECT; schema- and catalog-wide grants under their key.
    select: IndexMap<String, Vec<String>>,
    masks: HashMap<String, IndexMap<String, Vec<String>>>,
    row_filters: HashMap<String, Vec<String>>,
    /// View key → (table key, column → groups that see it clear, None when not masked).
    views: IndexMap<String, View>,
}

impl State {
    fn statement(&mut self, s: &Statement) {
        let code = s.code.as_str();
        if let Some(c) = GRANT.captures(&s.text) {
            let privileges = c[2].to_uppercase();
            let reads = privileges
                .split(',')
                .any(|p| matches!(p.trim(), "SELECT" | "ALL PRIVILEGES" | "ALL"));
            if reads {
                let readers = self.select.entry(key(&c[4])).or_default();
                let who = principal(&c[5]);
                if c[1].eq_ignore_ascii_case("GRANT") {
                    if !readers.contains(&who) {
                        readers.push(who);
                    }
                } else {
                    readers.retain(|p| *p != who);
                }
            }
        } else if let Some(c) = OWNER.captures(&s.text) {
            self.owners.insert(key(&c[1]), principal(&c[2]));
        } else if let Some(rest) = code
            .strip_prefix("CREATE OR REPLACE FUNCTION ")
            .or_else(|| code.strip_prefix("CREATE FUNCTION "))
        {
            self.function(s, rest);
        } else if let Some(rest) = code
            .strip_prefix("CREATE OR REPLACE VIEW ")
            .or_else(|| code.strip_prefix("CREATE VIEW "))
        {
            self.view(s, rest);
        } else if let Some(rest) = code.strip_prefix("ALTER TABLE ") {
            let (table, action) = rest.split_once(' ').unwrap_or((rest, ""));
            let table = key(table);
            if let Some(col_action) = action.strip_prefix("ALTER COLUMN ") {
                let (column, what) = col_action.split_once(' ').unwrap_or((col_action, ""));
                let masks = self.masks.entry(table).or_default();
                if let Some(f) = what.strip_prefix("SET MASK ") {
                    let f = key(f.split_whitespace().next().unwrap_or(""));
                    let groups = self
                        .functions
                        .get(&f)
                        .cloned()
                        .unwrap_or_else(|| vec![ACCOUNT_USERS.to_string()]);
                    masks.insert(key(column), groups);
                } else if what.starts_with("DROP MASK") {
                    masks.shift_remove(&key(column));
                }
            } else if let Some(f) = action.strip_prefix("SET ROW FILTER ") {
                let f = key(f.split_whitespace().next().unwrap_or(""));
                let groups = self
                    .functions
                    .get(&f)
                    .cloned()
                    .unwrap_or_else(|| vec![ACCOUNT_USERS.to_string()]);
                self.row_filters.insert(table, groups);
            } else if action.starts_with("DROP ROW FILTER") {
                self.row_filters.remove(&table);
            }
        }
    }

    fn function(&mut self, s: &Statement, rest: &str) {
        let Some(open) = rest.find('(') else { return };
        let name = key(&rest[..open]);
        let param = rest[open + 1..]
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_string();
        let base = s.code.len() - rest.len();
        let Some(ret) = rest.find(" RETURN ") else {
            return;
        };
        let start = base + ret + " RETURN ".len();
        let end = s.code.len();
        let body = s.code[start..end].trim();
        let groups = if body.starts_with("CASE WHEN ") {
            case_groups(s, start, end, &param).unwrap_or_else(|| vec![ACCOUNT_USERS.into()])
        } else if key(body) == key(&param) {
            vec![ACCOUNT_USERS.to_string()]
        } else if body.contains("IS_ACCOUNT_GROUP_MEMBER")
            || body.contains("CURRENT_USER()")
            || body == "FALSE"
        {
            groups_of_test(s, start, end)
        } else {
            // A constant mask: nobody sees the value.
            Vec::new()
        };
        self.functions.insert(name, groups);
    }

    fn view(&mut self, s: &Statement, rest: &str) {
        let base = s.code.len() - rest.len();
        let name = key(rest.split_whitespace().next().unwrap_or(""));
        let (Some(select), Some(from)) = (rest.find(" AS SELECT "), rest.rfind(" FROM ")) else {
            return;
        };
        let table = key(rest[from + " FROM ".len()..]
            .split_whitespace()
            .next()
            .unwrap_or(""));
        let mut columns = IndexMap::new();
        let list_start = base + select + " AS SELECT ".len();
        for (a, b) in items(&s.code, list_start, base + from) {
            let item = &s.code[a..b];
            if let Some(at) = item.rfind(" END AS ")
                && item.starts_with("CASE WHEN ")
            {
                let column = key(&item[at + " END AS ".len()..]);
                let groups = case_groups(s, a, a + at + " END".len(), &column)
                    .unwrap_or_else(|| vec![ACCOUNT_USERS.into()]);
                columns.insert(column, Some(groups));
            } else {
                let column = item.rsplit([' ', '.']).next().unwrap_or(item);
                columns.insert(key(column), None);
            }
        }
        self.views.insert(name, (table, columns));
    }
}

/// The access rules the SQL `files` set up for each table of the spec.
pub fn rules_from_sql(spec: &ProductSpec, files: &[RenderedFile]) -> Vec<TableRules> {
    rules_from_statements(spec, &sql_files(spec, files))
}

/// As [`rules_from_sql`], with the SQL files already split.
pub(crate) fn rules_from_statements(spec: &ProductSpec, sql: &[SqlFile]) -> Vec<TableRules> {
    let mut state = State::default();
    for f in sql.iter().filter(|f| is_ddl(f.path)) {
        for s in &f.statements {
            state.statement(s);
        }
    }
    // GRANT names a service principal by application ID; the matrix by its spec name.
    for readers in state.select.values_mut() {
        for who in readers.iter_mut() {
            if let Some(c) = spec
                .governance
                .approved_consumers
                .iter()
                .find(|c| c.application_id.as_deref() == Some(who.as_str()))
            {
                *who = c.principal.clone();
            }
        }
    }
    let catalog = key(spec.catalog());
    let schema = format!("{catalog}.{}", key(spec.schema()));
    let wide: Vec<String> = [&catalog, &schema]
        .iter()
        .flat_map(|k| state.select.get(*k).cloned().unwrap_or_default())
        .collect();
    spec.contract
        .tables
        .iter()
        .map(|(name, table)| {
            let fqn = format!("{schema}.{}", key(name));
            let spelled = |k: &str| {
                table
                    .schema
                    .fields
                    .iter()
                    .find(|f| key(&f.name) == k)
                    .map_or_else(|| k.to_lowercase(), |f| f.name.clone())
            };
            let mut table_readers = state.select.get(&fqn).cloned().unwrap_or_default();
            for p in &wide {
                if !table_readers.contains(p) {
                    table_readers.push(p.clone());
                }
            }
            let view = state
                .views
                .iter()
                .find(|(_, (t, _))| *t == fqn)
                .map(|(v, (_, cols))| {
                    let mut readers = state.select.get(v).cloned().unwrap_or_default();
                    for p in &wide {
                        if !readers.contains(p) {
                            readers.push(p.clone());
                        }
                    }
                    ViewRules {
                        name: v.rsplit('.').next().unwrap_or(v).to_lowercase(),
                        readers,
                        columns: cols.iter().map(|(c, g)| (spelled(c), g.clone())).collect(),
                    }
                });
            TableRules {
                table: name.clone(),
                columns: table.schema.fields.iter().map(|f| f.name.clone()).collect(),
                owner: state.owners.get(&fqn).cloned(),
                table_readers,
                masks: state
                    .masks
                    .get(&fqn)
                    .map(|m| m.iter().map(|(c, g)| (spelled(c), g.clone())).collect())
                    .unwrap_or_default(),
                view,
                row_filter: state.row_filters.get(&fqn).cloned(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::sql_statements::split;

    fn state(sql: &str) -> State {
        let mut st = State::default();
        for s in split(sql) {
            st.statement(&s);
        }
        st
    }

    #[test]
    fn reads_grants_masks_and_filters() {
        let st = state(
            "GRANT SELECT ON TABLE c.s.t TO `a-b`;\n\
             GRANT SELECT ON TABLE c.s.t TO `x``y`;\n\
             REVOKE SELECT ON TABLE c.s.t FROM `x``y`;\n\
             CREATE OR REPLACE FUNCTION c.s.m(email STRING) RETURNS STRING COMMENT 'It\\'s' RETURN CASE\n\
               WHEN is_account_group_member('Owners') OR is_account_group_member('it\\'s') THEN email ELSE '****' END;\n\
             ALTER TABLE c.s.t ALTER COLUMN email SET MASK c.s.m;\n\
             CREATE OR REPLACE FUNCTION c.s.f(id STRING) RETURNS BOOLEAN RETURN is_account_group_member('Owners');\n\
             ALTER TABLE c.s.t SET ROW FILTER c.s.f ON (id);\n\
             ALTER TABLE c.s.t SET OWNER TO `Owners`;",
        );
        assert_eq!(st.select["C.S.T"], ["a-b"]);
        assert_eq!(st.masks["C.S.T"]["EMAIL"], ["Owners", "it's"]);
        assert_eq!(st.row_filters["C.S.T"], ["Owners"]);
        assert_eq!(st.owners["C.S.T"], "Owners");
    }

    #[test]
    fn unreadable_tests_admit_everyone() {
        let st = state(
            "CREATE FUNCTION c.s.m(x STRING) RETURNS STRING RETURN CASE WHEN TRUE THEN x ELSE NULL END;\n\
             CREATE FUNCTION c.s.n(x STRING) RETURNS STRING RETURN CASE WHEN is_account_group_member('g') THEN '*' ELSE x END;\n\
             CREATE FUNCTION c.s.o(x STRING) RETURNS STRING RETURN '****';",
        );
        assert_eq!(st.functions["C.S.M"], [ACCOUNT_USERS]);
        assert_eq!(st.functions["C.S.N"], [ACCOUNT_USERS]);
        assert!(st.functions["C.S.O"].is_empty());
    }

    #[test]
    fn a_current_user_test_admits_that_principal_alone() {
        let st = state(
            "CREATE FUNCTION c.s.m(x STRING) RETURNS STRING RETURN CASE\n\
               WHEN current_user() = 'app-id' OR is_account_group_member('g') THEN x ELSE '*' END;\n\
             CREATE FUNCTION c.s.n(x STRING) RETURNS STRING RETURN CASE WHEN current_user() = 'app-id' THEN x ELSE NULL END;\n\
             CREATE FUNCTION c.s.f(id STRING) RETURNS BOOLEAN RETURN current_user() = 'app-id';\n\
             CREATE OR REPLACE VIEW c.s.t_masked AS SELECT\n\
               CASE WHEN current_user() = 'app-id' OR is_account_group_member('g') THEN email ELSE NULL END AS email\n\
             FROM c.s.t;",
        );
        assert_eq!(st.functions["C.S.M"], ["app-id", "g"]);
        assert_eq!(st.functions["C.S.N"], ["app-id"]);
        assert_eq!(st.functions["C.S.F"], ["app-id"]);
        let (_, cols) = &st.views["C.S.T_MASKED"];
        assert_eq!(
            cols["EMAIL"],
            Some(vec!["app-id".to_string(), "g".to_string()])
        );
    }

    #[test]
    fn other_current_user_tests_admit_everyone() {
        for test in [
            "current_user() <> 'app-id'",
            "current_user() = 'app-id' AND is_account_group_member('g')",
            "current_user() = current_user()",
            "current_user() LIKE '%'",
            "NOT current_user() = 'app-id'",
            "current_user() = 'app-id' OR TRUE",
        ] {
            let st = state(&format!(
                "CREATE FUNCTION c.s.m(x STRING) RETURNS STRING RETURN CASE WHEN {test} THEN x ELSE '*' END;\n\
                 CREATE FUNCTION c.s.f(id STRING) RETURNS BOOLEAN RETURN {test};"
            ));
            assert!(
                st.functions["C.S.M"].contains(&ACCOUNT_USERS.to_string()),
                "{test}"
            );
            assert!(
                st.functions["C.S.F"].contains(&ACCOUNT_USERS.to_string()),
                "{test}"
            );
        }
    }

    #[test]
    fn reads_masked_views() {
        let st = state(
            "CREATE OR REPLACE VIEW c.s.t_masked COMMENT 'x' AS SELECT\n\
               id,\n\
               CASE WHEN is_account_group_member('g') THEN email ELSE CONCAT(SUBSTRING(email, 1, 3), '***@***') END AS email,\n\
               CASE WHEN FALSE THEN dob ELSE CAST(NULL AS DATE) END AS dob\n\
             FROM c.s.t;",
        );
        let (table, cols) = &st.views["C.S.T_MASKED"];
        assert_eq!(table, "C.S.T");
        assert_eq!(cols["ID"], None);
        assert_eq!(cols["EMAIL"], Some(vec!["g".to_string()]));
        assert_eq!(cols["DOB"], Some(vec![]));
    }
}
