//! Databricks `CREATE TABLE` statements: columns, types, `NOT NULL`, `COMMENT`, literal
//! `DEFAULT`s, `PRIMARY KEY`, `CLUSTER BY` and `PARTITIONED BY`, plus the `pii` column tags
//! dpc writes (`ALTER TABLE t ALTER COLUMN c SET TAGS ('pii' = 'email')`). Other statements
//! are skipped; so are clauses the contract has no place for (they are reported).

use super::{ImportError, Imported, Source};
use crate::lang::sql_lexer::{self, Tok, Token};
use crate::spec::contract::Field;
use crate::spec::data_type::DataType;
use crate::spec::values::Scalar;

pub(crate) fn claims(extension: &str, text: &str) -> bool {
    extension == "sql"
        || (!matches!(extension, "csv" | "yaml" | "yml" | "json")
            && text.to_ascii_uppercase().contains("CREATE TABLE"))
}

/// The file's statements, read by the one SQL lexer; adjacent string literals are one string,
/// as in Databricks (`'a' 'b'` is `'ab'`). Anything left unclosed is refused with its line.
fn lex<'s>(src: &Source<'s>) -> Result<Vec<Vec<Token<'s>>>, ImportError> {
    let lexed = sql_lexer::lex(src.text);
    if let Some(e) = lexed.error {
        return Err(src.error(Some(e.line()), e.to_string()));
    }
    Ok(lexed
        .statements
        .into_iter()
        .map(|tokens| {
            let mut joined: Vec<Token<'s>> = Vec::with_capacity(tokens.len());
            for t in tokens {
                match (joined.last_mut(), &t.tok) {
                    (
                        Some(Token {
                            tok: Tok::Str(prev),
                            ..
                        }),
                        Tok::Str(next),
                    ) => prev.push_str(next),
                    _ => joined.push(t),
                }
            }
            joined
        })
        .collect())
}

/// A cursor over one statement's tokens.
struct Cursor<'t, 's> {
    toks: &'t [Token<'s>],
    pos: usize,
    src: &'t Source<'s>,
}

impl<'s> Cursor<'_, 's> {
    fn peek(&self) -> Option<&Token<'s>> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<&Token<'s>> {
        let t = self.toks.get(self.pos);
        self.pos += 1;
        t
    }

    /// The line of the current token (or the last one, at the end).
    fn line(&self) -> usize {
        self.toks
            .get(self.pos)
            .or(self.toks.last())
            .map_or(1, |t| t.line)
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.peek().is_some_and(|t| t.is_word(w)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_words(&mut self, words: &[&str]) -> bool {
        let ok = words
            .iter()
            .enumerate()
            .all(|(i, w)| self.toks.get(self.pos + i).is_some_and(|t| t.is_word(w)));
        if ok {
            self.pos += words.len();
        }
        ok
    }

    fn eat_sym(&mut self, c: char) -> bool {
        if self.peek().is_some_and(|t| t.is_sym(c)) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn error(&self, message: impl Into<String>) -> ImportError {
        self.src.error(Some(self.line()), message)
    }

    fn expect_sym(&mut self, c: char, what: &str) -> Result<(), ImportError> {
        if self.eat_sym(c) {
            Ok(())
        } else {
            Err(self.error(format!("expected '{c}' {what}, found {}", self.describe())))
        }
    }

    fn describe(&self) -> String {
        match self.peek().map(|t| &t.tok) {
            None => "the end of the statement".into(),
            Some(Tok::Word(w)) => format!("'{w}'"),
            Some(Tok::Quoted(w)) => format!("`{w}`"),
            Some(Tok::Str(s)) => format!("the string '{s}'"),
            Some(Tok::Num(n)) => format!("'{n}'"),
            Some(Tok::Sym(c)) => format!("'{c}'"),
        }
    }

    /// An identifier, possibly qualified (`a.b.c`); returns its last part and its line.
    fn name(&mut self, what: &str) -> Result<(String, usize), ImportError> {
        let mut last;
        loop {
            let line = self.line();
            match self.peek().and_then(Token::ident) {
                Some(n) => {
                    last = (n.to_string(), line);
                    self.pos += 1;
                }
                None => {
                    return Err(self.error(format!("expected {what}, found {}", self.describe())));
                }
            }
            if !self.eat_sym('.') {
                return Ok(last);
            }
        }
    }

    /// Skips one balanced `( ... )` group when the cursor is at its `(`.
    fn skip_group(&mut self) {
        if !self.peek().is_some_and(|t| t.is_sym('(')) {
            return;
        }
        let mut depth = 0usize;
        while let Some(t) = self.next() {
            if t.is_sym('(') {
                depth += 1;
            } else if t.is_sym(')') {
                depth -= 1;
                if depth == 0 {
                    return;
                }
            }
        }
    }

    /// `( a, b, ... )`: the first identifier of each item, with its line.
    fn name_list(&mut self, what: &str) -> Result<Vec<(String, usize)>, ImportError> {
        self.expect_sym('(', &format!("after {what}"))?;
        let mut names = Vec::new();
        loop {
            if self.eat_sym(')') {
                return Ok(names);
            }
            let line = self.line();
            let Some(n) = self.peek().and_then(Token::ident).map(str::to_string) else {
                return Err(self.error(format!(
                    "expected a column name in {what}, found {}",
                    self.describe()
                )));
            };
            self.pos += 1;
            names.push((n, line));
            // Skip the rest of the item (a type in `PARTITIONED BY (d DATE)`, `ASC`, ...).
            let mut depth = 0usize;
            while let Some(t) = self.peek() {
                if depth == 0 && (t.is_sym(',') || t.is_sym(')')) {
                    break;
                }
                if t.is_sym('(') {
                    depth += 1;
                } else if t.is_sym(')') {
                    depth -= 1;
                }
                self.pos += 1;
            }
            self.eat_sym(',');
            if self.peek().is_none() {
                return Err(self.error(format!("{what} is never closed with ')'")));
            }
        }
    }
}

/// Words that end a column's type and start one of its options.
const COLUMN_OPTIONS: [&str; 10] = [
    "NOT",
    "NULL",
    "COMMENT",
    "DEFAULT",
    "PRIMARY",
    "GENERATED",
    "MASK",
    "CONSTRAINT",
    "COLLATE",
    "REFERENCES",
];

struct TableDraft {
    name: String,
    line: usize,
    description: Option<String>,
    fields: Vec<Field>,
    field_lines: Vec<usize>,
    primary_key: Vec<(String, usize)>,
    clustered_by: Vec<(String, usize)>,
    partitioned_by: Vec<(String, usize)>,
}

pub(crate) fn read(src: &Source) -> Result<Imported, ImportError> {
    let mut drafts: Vec<TableDraft> = Vec::new();
    let mut notes = Vec::new();
    let mut tags: Vec<(String, String, String, usize)> = Vec::new();
    for statement in lex(src)? {
        let mut c = Cursor {
            toks: &statement,
            pos: 0,
            src,
        };
        if c.eat_word("CREATE") {
            c.eat_words(&["OR", "REPLACE"]);
            c.eat_word("EXTERNAL");
            if !c.eat_word("TABLE") {
                continue;
            }
            c.eat_words(&["IF", "NOT", "EXISTS"]);
            let table = create_table(&mut c, &mut notes)?;
            if drafts.iter().any(|d| d.name == table.name) {
                return Err(src.error(
                    Some(table.line),
                    format!("table {} is created twice", table.name),
                ));
            }
            drafts.push(table);
        } else if c.eat_word("ALTER")
            && c.eat_word("TABLE")
            && let Some(tag) = pii_tag(&mut c)
        {
            tags.push(tag);
        }
    }
    if drafts.is_empty() {
        return Err(src.error(None, "holds no CREATE TABLE statement with a column list"));
    }
    let mut tables = Vec::new();
    for d in drafts {
        tables.push(finish(src, d)?);
    }
    for (table, column, category, line) in tags {
        let Some(t) = tables.iter_mut().find(|t| t.name == table) else {
            continue;
        };
        let Some(f) = t
            .contract
            .schema
            .fields
            .iter_mut()
            .find(|f| f.name == column)
        else {
            return Err(src.error(
                Some(line),
                format!("a pii tag names {column}, which is not a column of {table}"),
            ));
        };
        f.pii = true;
        t.pii_categories.insert(column, category);
    }
    // Keep the categories in column order, as the contract lists them.
    for t in &mut tables {
        let order: Vec<String> = t
            .contract
            .schema
            .fields
            .iter()
            .map(|f| f.name.clone())
            .collect();
        t.pii_categories.sort_by(|a, _, b, _| {
            order
                .iter()
                .position(|n| n == a)
                .cmp(&order.iter().position(|n| n == b))
        });
    }
    Ok(Imported { tables, notes })
}

/// `ALTER TABLE t ALTER COLUMN c SET TAGS ('pii' = 'category')` → (t, c, category, line).
fn pii_tag(c: &mut Cursor) -> Option<(String, String, String, usize)> {
    let (table, _) = c.name("a table name").ok()?;
    if !c.eat_word("ALTER") {
        return None;
    }
    c.eat_word("COLUMN");
    let (column, line) = c.name("a column name").ok()?;
    if !(c.eat_word("SET") && c.eat_word("TAGS") && c.eat_sym('(')) {
        return None;
    }
    while let Some(t) = c.next() {
        if let Tok::Str(key) = &t.tok
            && key == "pii"
            && c.eat_sym('=')
            && let Some(Tok::Str(value)) = c.next().map(|t| t.tok.clone())
        {
            return Some((table, column, value, line));
        }
    }
    None
}

fn create_table(c: &mut Cursor, notes: &mut Vec<String>) -> Result<TableDraft, ImportError> {
    let (name, line) = c.name("a table name")?;
    super::check_table_name(c.src, &name, Some(line))?;
    if !c.peek().is_some_and(|t| t.is_sym('(')) {
        return Err(c.error(format!(
            "CREATE TABLE {name} lists no columns; dpc imports tables whose columns are written out"
        )));
    }
    c.pos += 1;
    let mut d = TableDraft {
        name,
        line,
        description: None,
        fields: Vec::new(),
        field_lines: Vec::new(),
        primary_key: Vec::new(),
        clustered_by: Vec::new(),
        partitioned_by: Vec::new(),
    };
    loop {
        if c.peek().is_none() {
            return Err(c.error(format!("the column list of {} is never closed", d.name)));
        }
        if c.eat_word("CONSTRAINT") {
            c.name("a constraint name")?;
        }
        if c.eat_words(&["PRIMARY", "KEY"]) {
            d.primary_key = c.name_list("PRIMARY KEY")?;
            skip_item(c);
        } else if c
            .peek()
            .is_some_and(|t| t.is_word("FOREIGN") || t.is_word("CHECK"))
        {
            notes.push(format!(
                "{}: skipped a {} constraint of {} (line {})",
                c.src.file_name(),
                c.peek()
                    .and_then(Token::ident)
                    .unwrap_or("")
                    .to_ascii_uppercase(),
                d.name,
                c.line()
            ));
            skip_item(c);
        } else {
            column(c, &mut d, notes)?;
        }
        if c.eat_sym(',') {
            continue;
        }
        if c.eat_sym(')') {
            break;
        }
        return Err(c.error(format!(
            "expected ',' or ')' in the column list of {}, found {}",
            d.name,
            c.describe()
        )));
    }
    // Table clauses: the ones the contract holds are read, the others skipped.
    while let Some(t) = c.peek().cloned() {
        if t.is_word("COMMENT") {
            c.pos += 1;
            match c.next().map(|t| t.tok.clone()) {
                Some(Tok::Str(s)) => d.description = Some(s),
                _ => return Err(c.error("COMMENT needs a string")),
            }
        } else if c.eat_words(&["CLUSTER", "BY"]) {
            if c.eat_word("AUTO") || c.eat_word("NONE") {
                continue;
            }
            d.clustered_by = c.name_list("CLUSTER BY")?;
        } else if c.eat_words(&["PARTITIONED", "BY"]) {
            d.partitioned_by = c.name_list("PARTITIONED BY")?;
        } else if t.is_word("AS") {
            return Err(c.error(format!(
                "CREATE TABLE {} ... AS SELECT is not imported; write its columns out",
                d.name
            )));
        } else {
            c.pos += 1;
            c.skip_group();
        }
    }
    if !d.clustered_by.is_empty() && !d.partitioned_by.is_empty() {
        return Err(c.src.error(
            Some(d.partitioned_by[0].1),
            format!(
                "{} has both PARTITIONED BY and CLUSTER BY, which Databricks does not allow",
                d.name
            ),
        ));
    }
    Ok(d)
}

/// Skips to the end of one item of a column list (the next `,` or `)` outside brackets).
fn skip_item(c: &mut Cursor) {
    let mut depth = 0usize;
    while let Some(t) = c.peek() {
        if depth == 0 && (t.is_sym(',') || t.is_sym(')')) {
            return;
        }
        if t.is_sym('(') {
            depth += 1;
        } else if t.is_sym(')') {
            depth -= 1;
        }
        c.pos += 1;
    }
}

fn column(c: &mut Cursor, d: &mut TableDraft, notes: &mut Vec<String>) -> Result<(), ImportError> {
    let line = c.line();
    let Some(name) = c.peek().and_then(Token::ident).map(str::to_string) else {
        return Err(c.error(format!(
            "expected a column name in {}, found {}",
            d.name,
            c.describe()
        )));
    };
    c.pos += 1;
    super::check_column_name(c.src, &d.name, &d.fields, &name, Some(line))?;
    let data_type = column_type(c, &name)?;
    let mut f = super::field(name, data_type);
    while let Some(t) = c.peek() {
        if t.is_sym(',') || t.is_sym(')') {
            break;
        }
        if c.eat_words(&["NOT", "NULL"]) {
            f.nullable = false;
        } else if c.eat_word("NULL") {
        } else if c.eat_word("COMMENT") {
            match c.next().map(|t| t.tok.clone()) {
                Some(Tok::Str(s)) => f.description = s,
                _ => return Err(c.error(format!("COMMENT of column {} needs a string", f.name))),
            }
        } else if c.eat_word("DEFAULT") {
            let at = c.line();
            let start = c.pos;
            skip_option_value(c);
            match literal(&c.toks[start..c.pos]) {
                Some(v) => f.default = Some(v),
                None => notes.push(format!(
                    "{}:{at}: skipped the DEFAULT of {}.{}: only literal defaults are imported",
                    c.src.file_name(),
                    d.name,
                    f.name
                )),
            }
        } else if c.eat_words(&["PRIMARY", "KEY"]) {
            d.primary_key = vec![(f.name.clone(), line)];
            c.eat_word("RELY");
            c.eat_word("NORELY");
        } else if c.peek().is_some_and(|t| {
            t.is_word("GENERATED")
                || t.is_word("MASK")
                || t.is_word("CONSTRAINT")
                || t.is_word("REFERENCES")
                || t.is_word("COLLATE")
        }) {
            let what = c
                .peek()
                .and_then(Token::ident)
                .unwrap_or("")
                .to_ascii_uppercase();
            notes.push(format!(
                "{}:{}: skipped {what} on {}.{}",
                c.src.file_name(),
                c.line(),
                d.name,
                f.name
            ));
            c.pos += 1;
            skip_option_value(c);
        } else {
            return Err(c.error(format!(
                "unexpected {} after column {}",
                c.describe(),
                f.name
            )));
        }
    }
    d.fields.push(f);
    d.field_lines.push(line);
    Ok(())
}

/// Skips the tokens of one column option's value, up to the next option, `,` or `)`.
fn skip_option_value(c: &mut Cursor) {
    let mut depth = 0usize;
    while let Some(t) = c.peek() {
        if depth == 0
            && (t.is_sym(',') || t.is_sym(')') || COLUMN_OPTIONS.iter().any(|w| t.is_word(w)))
        {
            return;
        }
        if t.is_sym('(') {
            depth += 1;
        } else if t.is_sym(')') {
            depth -= 1;
        }
        c.pos += 1;
    }
}

/// The type's tokens, up to the first option word, `,` or `)` outside brackets.
fn column_type(c: &mut Cursor, column: &str) -> Result<DataType, ImportError> {
    let line = c.line();
    let mut text = String::new();
    let mut depth = 0usize;
    while let Some(t) = c.peek() {
        if depth == 0
            && (t.is_sym(',') || t.is_sym(')') || COLUMN_OPTIONS.iter().any(|w| t.is_word(w)))
        {
            break;
        }
        match &t.tok {
            Tok::Sym(s @ ('(' | '<')) => {
                depth += 1;
                text.push(*s);
            }
            Tok::Sym(s @ (')' | '>')) => {
                depth = depth.saturating_sub(1);
                text.push(*s);
            }
            Tok::Sym(s) => text.push(*s),
            Tok::Word(w) | Tok::Num(w) => {
                if text.ends_with(|ch: char| ch.is_alphanumeric() || ch == '_') {
                    text.push(' ');
                }
                text.push_str(w);
            }
            Tok::Quoted(w) => {
                if text.ends_with(|ch: char| ch.is_alphanumeric() || ch == '_') {
                    text.push(' ');
                }
                text.push_str(w);
            }
            Tok::Str(_) => break,
        }
        c.pos += 1;
    }
    if text.is_empty() {
        return Err(c
            .src
            .error(Some(line), format!("column {column} has no type")));
    }
    // VARCHAR(n) and CHAR(n) are strings with a length check Delta adds on write.
    let upper = text.to_ascii_uppercase();
    let head = upper
        .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
        .next()
        .unwrap_or("");
    if head == "VARCHAR" || head == "CHAR" {
        return Ok(DataType::String);
    }
    text.parse::<DataType>()
        .map_err(|e| c.src.error(Some(line), format!("column {column}: {e}")))
}

/// A literal default: a number, a string, TRUE or FALSE (optionally negative numbers).
fn literal(toks: &[Token]) -> Option<Scalar> {
    match toks {
        [t] => match &t.tok {
            Tok::Str(s) => Some(Scalar::Text(s.clone())),
            Tok::Num(n) => number(n),
            Tok::Word(w) if w.eq_ignore_ascii_case("true") => Some(Scalar::Bool(true)),
            Tok::Word(w) if w.eq_ignore_ascii_case("false") => Some(Scalar::Bool(false)),
            _ => None,
        },
        [sign, t] if sign.is_sym('-') => match &t.tok {
            Tok::Num(n) => number(&format!("-{n}")),
            _ => None,
        },
        _ => None,
    }
}

fn number(n: &str) -> Option<Scalar> {
    n.parse::<i64>().map(Scalar::Int).ok().or_else(|| {
        n.parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Scalar::Float)
    })
}

/// Checks that every key, clustering and partition column exists, then builds the table.
fn finish(src: &Source, d: TableDraft) -> Result<crate::input::starter::StarterTable, ImportError> {
    for (list, cols) in [
        ("PRIMARY KEY", &d.primary_key),
        ("CLUSTER BY", &d.clustered_by),
        ("PARTITIONED BY", &d.partitioned_by),
    ] {
        for (col, line) in cols {
            if !d.fields.iter().any(|f| &f.name == col) {
                return Err(src.error(
                    Some(*line),
                    format!("{list} names {col}, which is not a column of {}", d.name),
                ));
            }
        }
    }
    let names = |cols: &[(String, usize)]| cols.iter().map(|(c, _)| c.clone()).collect();
    let description = d
        .description
        .clone()
        .unwrap_or_else(|| format!("Imported from {}", src.file_name()));
    Ok(super::new_table(
        d.name.clone(),
        description,
        d.fields,
        names(&d.primary_key),
        names(&d.clustered_by),
        names(&d.partitioned_by),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn import(text: &str) -> Result<Imported, ImportError> {
        read(&Source {
            path: Path::new("tables.sql"),
            text,
        })
    }

    #[test]
    fn reads_columns_keys_and_clauses() {
        let sql = "-- orders\n\
            CREATE OR REPLACE TABLE IF NOT EXISTS main.sales.`orders` (\n\
              order_id STRING NOT NULL COMMENT 'Order id, it''s unique',\n\
              amount DECIMAL(10, 2) DEFAULT 0 COMMENT \"Amount\",\n\
              tags ARRAY<STRING>,\n\
              attrs STRUCT<a: INT, b: MAP<STRING, INT>>,\n\
              status VARCHAR(10) DEFAULT 'new',\n\
              created_at TIMESTAMP DEFAULT current_timestamp(),\n\
              dt DATE,\n\
              CONSTRAINT pk PRIMARY KEY (order_id) RELY\n\
            ) USING DELTA PARTITIONED BY (dt) COMMENT 'All orders'\n\
            TBLPROPERTIES ('a' = 'b');\n\
            GRANT SELECT ON TABLE orders TO `x`;";
        let imported = import(sql).unwrap();
        let t = &imported.tables[0];
        assert_eq!(t.name, "orders");
        assert_eq!(t.contract.description, "All orders");
        assert_eq!(t.contract.primary_key, ["order_id"]);
        assert_eq!(t.contract.partitioned_by, ["dt"]);
        let f = |n: &str| t.contract.field(n).unwrap();
        assert!(!f("order_id").nullable && f("order_id").primary_key);
        assert_eq!(f("order_id").description, "Order id, its unique");
        assert_eq!(f("amount").data_type.to_string(), "DECIMAL(10,2)");
        assert_eq!(f("amount").default, Some(Scalar::Int(0)));
        assert_eq!(
            f("attrs").data_type.to_string(),
            "STRUCT<a: INT, b: MAP<STRING, INT>>"
        );
        assert_eq!(f("status").data_type, DataType::String);
        assert_eq!(f("status").default, Some(Scalar::Text("new".into())));
        assert_eq!(f("created_at").default, None);
        assert!(
            imported.notes.iter().any(|n| n.contains("created_at")),
            "{:?}",
            imported.notes
        );
        assert_eq!(t.contract.quality_expectations.len(), 2);
    }

    #[test]
    fn reads_several_tables_and_column_keys() {
        let sql = "CREATE TABLE a (id INT PRIMARY KEY, x STRING) CLUSTER BY (x);\n\
                   CREATE TABLE b (id BIGINT NOT NULL);";
        let tables = import(sql).unwrap().tables;
        assert_eq!(tables.len(), 2);
        assert_eq!(tables[0].contract.primary_key, ["id"]);
        assert_eq!(tables[0].contract.clustered_by, ["x"]);
        assert!(tables[1].contract.primary_key.is_empty());
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            (
                "CREATE TABLE t (\n  id INT,\n  bad col INT\n);",
                3,
                "not a Databricks type",
            ),
            (
                "CREATE TABLE t (\n  id INT,\n  x INT NOT 5\n);",
                3,
                "unexpected",
            ),
            ("CREATE TABLE t (\n  id INT,\n  `a.b` INT\n);", 3, "'.'"),
            (
                "CREATE TABLE t (\n  id INT,\n  x VARCHARX\n);",
                3,
                "not a Databricks type",
            ),
            ("CREATE TABLE t (\n  id INT,\n  ID INT\n);", 3, "twice"),
            (
                "CREATE TABLE t (\n  id INT\n) CLUSTER BY\n (nope);",
                4,
                "nope",
            ),
            (
                "CREATE TABLE t (id INT, d DATE)\n PARTITIONED BY (d) CLUSTER BY (id);",
                2,
                "both",
            ),
            ("\n\nCREATE TABLE t AS SELECT 1;", 3, "lists no columns"),
        ];
        for (sql, line, needle) in cases {
            let err = import(sql).unwrap_err();
            assert_eq!(err.line, Some(line), "{sql}: {err}");
            assert!(err.to_string().contains(needle), "{sql}: {err}");
            assert!(
                err.to_string().starts_with(&format!("tables.sql:{line}: ")),
                "{err}"
            );
        }
        assert!(import("SELECT 1;").is_err());
    }

    #[test]
    fn dpc_ddl_reads_back_into_the_starter_table() {
        let sql = include_str!("../../../examples/customer-360/schemas/customers_v1.sql");
        let imported = import(sql).unwrap();
        assert_eq!(imported.tables.len(), 1);
        let got = &imported.tables[0];
        let starter = crate::input::starter::for_domain("marketing").unwrap();
        let want = &starter.tables[0];
        assert_eq!(got.name, want.name);
        assert_eq!(got.contract.description, want.contract.description);
        assert_eq!(got.contract.primary_key, want.contract.primary_key);
        assert_eq!(got.contract.clustered_by, want.contract.clustered_by);
        assert_eq!(got.pii_categories, want.pii_categories);
        let shape = |fields: &[Field]| -> Vec<_> {
            fields
                .iter()
                .map(|f| {
                    (
                        f.name.clone(),
                        f.data_type.clone(),
                        f.nullable,
                        f.description.clone(),
                        f.pii,
                        f.default.clone(),
                    )
                })
                .collect()
        };
        assert_eq!(
            shape(&got.contract.schema.fields),
            shape(&want.contract.schema.fields)
        );
    }
}
