//! Statements as the checks compare them: upper-cased code with literals blanked, the text
//! without comments, and the decoded literals, read by the one SQL lexer.

use crate::lang::sql_lexer::{Tok, lex};

/// One statement: its text with comments removed and literals blanked to `''`, and the
/// decoded literals in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    /// Upper-cased code with literals replaced by `''` and whitespace collapsed.
    pub code: String,
    /// The statement text with comments removed, literals kept.
    pub text: String,
    pub literals: Vec<String>,
    /// 1-based line where the statement's code starts.
    pub line: usize,
}

/// A SQL file read into statements once, shared by every check that looks at it.
pub(crate) struct SqlFile<'a> {
    pub path: &'a str,
    pub statements: Vec<Statement>,
}

/// The `.sql` files among (path, text) pairs, each split once, with `:catalog` read as
/// `catalog` (see [`resolve_catalog`]).
pub(crate) fn sql_files<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
    catalog: &str,
    schema: &str,
) -> Vec<SqlFile<'a>> {
    files
        .into_iter()
        .filter(|(path, _)| path.ends_with(".sql"))
        .map(|(path, text)| SqlFile {
            path,
            statements: split(&resolve_catalog(text, catalog, schema)),
        })
        .collect()
}

/// The text as a job run with `catalog` for its `:catalog` parameter reads it, names
/// qualified in full so that every check compares `catalog.schema.object`:
/// `IDENTIFIER(:catalog)` becomes the catalog, and after `USE CATALOG IDENTIFIER(:catalog)`
/// each `schema.object` and each `SCHEMA schema` gains the catalog in front. Only line-internal
/// insertions, so statements keep their line numbers. A file without that USE is unchanged.
pub fn resolve_catalog(sql: &str, catalog: &str, schema: &str) -> String {
    let lexed = lex(sql);
    let catalog_sql = crate::lang::escape::sql_identifier(catalog);
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut in_use = false;
    for tokens in &lexed.statements {
        let mut i = 0;
        while i < tokens.len() {
            let t = &tokens[i];
            if let Some(end) = catalog_parameter(tokens, i) {
                if i >= 2 && tokens[i - 2].is_word("USE") && tokens[i - 1].is_word("CATALOG") {
                    in_use = true;
                }
                edits.push((t.span.start..tokens[end].span.end, catalog_sql.clone()));
                i = end + 1;
                continue;
            }
            let names_schema = t.ident() == Some(schema) && !(i > 0 && tokens[i - 1].is_sym('.'));
            let qualified = tokens.get(i + 1).is_some_and(|n| n.is_sym('.'))
                || (i > 0 && tokens[i - 1].is_word("SCHEMA"))
                || (i > 3 && tokens[i - 1].is_word("EXISTS") && tokens[i - 4].is_word("SCHEMA"));
            if in_use && names_schema && qualified {
                edits.push((t.span.start..t.span.start, format!("{catalog_sql}.")));
            }
            i += 1;
        }
    }
    let mut out = String::with_capacity(sql.len() + edits.len() * (catalog_sql.len() + 1));
    let mut at = 0;
    for (range, with) in edits {
        out.push_str(&sql[at..range.start]);
        out.push_str(&with);
        at = range.end;
    }
    out.push_str(&sql[at..]);
    out
}

/// The index of the closing parenthesis when `IDENTIFIER(:catalog)` starts at `i`.
fn catalog_parameter(tokens: &[crate::lang::sql_lexer::Token], i: usize) -> Option<usize> {
    let [a, b, c, d, e] = tokens.get(i..i + 5)? else {
        return None;
    };
    (a.is_word("IDENTIFIER")
        && b.is_sym('(')
        && c.is_sym(':')
        && d.is_word("catalog")
        && e.is_sym(')'))
    .then_some(i + 4)
}

/// The statements of `sql`, read by the one SQL lexer. An unclosed string or comment runs to
/// the end of the text, as Databricks would refuse it.
pub fn split(sql: &str) -> Vec<Statement> {
    let lexed = lex(sql);
    let mut comments = lexed.comments.iter().peekable();
    lexed
        .statements
        .iter()
        .map(|tokens| {
            let mut code = String::new();
            let mut literals = Vec::new();
            for t in tokens {
                if t.spaced {
                    push_code(&mut code, ' ');
                }
                match &t.tok {
                    Tok::Str(value) => {
                        code.push_str("''");
                        literals.push(value.clone());
                    }
                    _ => sql[t.span.clone()]
                        .chars()
                        .flat_map(char::to_uppercase)
                        .for_each(|u| push_code(&mut code, u)),
                }
            }
            let (first, last) = (&tokens[0], &tokens[tokens.len() - 1]);
            let span = first.span.start..last.span.end;
            // The text without comments: each `--` comment leaves its line break, each
            // block comment a space.
            let mut text = String::with_capacity(span.len());
            let mut at = span.start;
            while let Some(c) = comments.next_if(|c| c.span.start < span.end) {
                if c.span.start < at {
                    continue;
                }
                text.push_str(&sql[at..c.span.start]);
                text.push(if c.block { ' ' } else { '\n' });
                at = c.span.end;
            }
            text.push_str(&sql[at..span.end]);
            Statement {
                code: code.trim_end().to_string(),
                text: text.trim().to_string(),
                literals,
                line: first.line,
            }
        })
        .collect()
}

/// Appends one character of code, collapsing each run of whitespace to a single space and
/// dropping it at the start (the statement's `code` is compared as words).
fn push_code(code: &mut String, c: char) {
    if !c.is_whitespace() {
        code.push(c);
    } else if !code.is_empty() && !code.ends_with(' ') {
        code.push(' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_outside_quotes_and_comments() {
        let s = split("SELECT 'a;b' -- c;d\n; GRANT x TO `g;h`;");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].literals, ["a;b"]);
        assert_eq!(s[0].code, "SELECT ''");
        assert_eq!(s[1].code, "GRANT X TO `G;H`");
        assert_eq!((s[0].line, s[1].line), (1, 2));
    }

    #[test]
    fn code_collapses_whitespace_like_split_whitespace() {
        let sql = "\t GRANT\n  SELECT -- why\n ON `a  b`\u{3000}TO x \u{b} ;\n\n  ;";
        let s = split(sql);
        assert_eq!(s.len(), 1);
        let words: Vec<String> = "GRANT SELECT ON `A  B`\u{3000}TO X"
            .split_whitespace()
            .map(str::to_string)
            .collect();
        assert_eq!(s[0].code, words.join(" "));
        assert_eq!(s[0].line, 1);
        // Lines inside quoted identifiers count too.
        assert_eq!(split("`a\nb`;\nx")[1].line, 3);
    }

    #[test]
    fn block_comments_are_comments() {
        let s = split("/* GRANT ALL; */ SELECT /* x; */ 1 -- y\n;");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].code, "SELECT 1");
        assert_eq!(s[0].text, "SELECT   1");
        assert_eq!(s[0].line, 1);
    }

    #[test]
    fn resolves_the_catalog_parameter() {
        let sql = "CREATE TABLE s.t (a INT);\nUSE CATALOG IDENTIFIER(:catalog);\n\
                   CREATE SCHEMA IF NOT EXISTS s COMMENT 's.t';\nGRANT SELECT ON TABLE s.t TO x;\n\
                   ALTER TABLE s.t ALTER COLUMN a SET MASK s.m;";
        let s = split(&resolve_catalog(sql, "prod cat", "s"));
        // Before the USE, nothing is qualified: the statement names no catalog.
        assert_eq!(s[0].code, "CREATE TABLE S.T (A INT)");
        assert_eq!(s[1].code, "USE CATALOG `PROD CAT`");
        assert_eq!(
            s[2].code,
            "CREATE SCHEMA IF NOT EXISTS `PROD CAT`.S COMMENT ''"
        );
        assert_eq!(s[2].literals, ["s.t"]);
        assert_eq!(s[3].code, "GRANT SELECT ON TABLE `PROD CAT`.S.T TO X");
        assert_eq!(
            s[4].code,
            "ALTER TABLE `PROD CAT`.S.T ALTER COLUMN A SET MASK `PROD CAT`.S.M"
        );
        assert_eq!(s[4].line, 5);
    }

    #[test]
    fn decodes_like_databricks() {
        let s = split(r"SELECT 'It\'s', '\\.', '\.'");
        assert_eq!(s[0].literals, ["It's", r"\.", "."]);
    }
}
