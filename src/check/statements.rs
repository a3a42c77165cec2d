//! A small SQL reader for checks: splits a file into statements (outside quotes and
//! comments) and decodes string literals the way Databricks does.

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
pub struct SqlFile<'a> {
    pub path: &'a str,
    pub statements: Vec<Statement>,
}

/// The `.sql` files among `files`, each split once.
pub fn sql_files(files: &[crate::render::RenderedFile]) -> Vec<SqlFile<'_>> {
    files
        .iter()
        .filter(|f| f.path.ends_with(".sql"))
        .map(|f| SqlFile {
            path: &f.path,
            statements: split(&f.text),
        })
        .collect()
}

pub fn split(sql: &str) -> Vec<Statement> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut code = String::new();
    let mut text = String::new();
    let mut literals = Vec::new();
    let mut line = 1;
    let mut start_line = None;
    let mut i = 0;
    // Byte by byte: this runs over every SQL file validate reads, and nearly all of it is
    // ASCII; other characters are decoded where they occur (`i` stays on a char boundary).
    while i < bytes.len() {
        let b = bytes[i];
        let comment = b == b'-' && bytes.get(i + 1) == Some(&b'-');
        if b == b'\n' {
            line += 1;
        }
        match b {
            _ if comment => {
                i += 2;
                while i < bytes.len() {
                    i += 1;
                    if bytes[i - 1] == b'\n' {
                        line += 1;
                        break;
                    }
                }
                push_code(&mut code, ' ');
                text.push('\n');
                continue;
            }
            b'\'' | b'"' => {
                start_line.get_or_insert(line);
                let (len, decoded) = literal(&sql[i + 1..], b as char, &mut line);
                code.push_str("''");
                text.push_str(&sql[i..i + 1 + len]);
                literals.push(decoded);
                i += 1 + len;
            }
            b'`' => {
                start_line.get_or_insert(line);
                let len = sql[i + 1..].find('`').map_or(sql.len() - i - 1, |n| n + 1);
                let raw = &sql[i..i + 1 + len];
                line += raw.matches('\n').count();
                for u in raw.chars().flat_map(char::to_uppercase) {
                    push_code(&mut code, u);
                }
                text.push_str(raw);
                i += 1 + len;
            }
            b';' => {
                start_line.get_or_insert(line);
                push(
                    &mut out,
                    &mut code,
                    &mut text,
                    &mut literals,
                    start_line.take(),
                );
                i += 1;
            }
            _ if b.is_ascii() => {
                if start_line.is_none() && !b.is_ascii_whitespace() && b != 0x0B {
                    start_line = Some(line);
                }
                push_code(&mut code, b.to_ascii_uppercase() as char);
                text.push(b as char);
                i += 1;
            }
            _ => {
                let Some(c) = sql[i..].chars().next() else {
                    break;
                };
                if start_line.is_none() && !c.is_whitespace() {
                    start_line = Some(line);
                }
                for u in c.to_uppercase() {
                    push_code(&mut code, u);
                }
                text.push(c);
                i += c.len_utf8();
            }
        }
    }
    push(&mut out, &mut code, &mut text, &mut literals, start_line);
    out
}

/// A string literal after its opening `quote`: how many bytes it spans (closing quote
/// included) and its value decoded as Databricks reads it.
fn literal(rest: &str, quote: char, line: &mut usize) -> (usize, String) {
    let mut decoded = String::new();
    let mut chars = rest.char_indices();
    let mut end = rest.len();
    while let Some((at, n)) = chars.next() {
        if n == '\n' {
            *line += 1;
        }
        if n == '\\' {
            if let Some((_, e)) = chars.next() {
                if e == 'u' {
                    let hex: String = (0..4)
                        .filter_map(|_| chars.next().map(|(_, h)| h))
                        .collect();
                    match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                        Some(ch) => decoded.push(ch),
                        None => decoded.push_str(&hex),
                    }
                } else {
                    decoded.push_str(&unescape(e));
                }
            }
        } else if n == quote {
            end = at + 1;
            break;
        } else {
            decoded.push(n);
        }
    }
    (end, decoded)
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

fn push(
    out: &mut Vec<Statement>,
    code: &mut String,
    text: &mut String,
    literals: &mut Vec<String>,
    line: Option<usize>,
) {
    let collapsed = code.trim_end();
    if !collapsed.is_empty() {
        out.push(Statement {
            code: collapsed.to_string(),
            text: text.trim().to_string(),
            literals: std::mem::take(literals),
            line: line.unwrap_or(1),
        });
    }
    code.clear();
    text.clear();
    literals.clear();
}

/// Databricks string-literal escapes; an unknown escape drops the backslash
/// (so `'\.'` is just `.`, the classic regex mistake).
pub fn unescape(c: char) -> String {
    match c {
        'n' => "\n".into(),
        't' => "\t".into(),
        'r' => "\r".into(),
        'b' => "\u{8}".into(),
        '0' => "\0".into(),
        'Z' => "\u{1A}".into(),
        '%' => "\\%".into(),
        '_' => "\\_".into(),
        c => c.to_string(),
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
    fn decodes_like_databricks() {
        let s = split(r"SELECT 'It\'s', '\\.', '\.'");
        assert_eq!(s[0].literals, ["It's", r"\.", "."]);
    }
}
