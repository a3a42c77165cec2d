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

pub fn split(sql: &str) -> Vec<Statement> {
    let mut out = Vec::new();
    let mut code = String::new();
    let mut text = String::new();
    let mut literals = Vec::new();
    let mut line = 1;
    let mut start_line = None;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        if start_line.is_none() && !c.is_whitespace() && !(c == '-' && chars.peek() == Some(&'-')) {
            start_line = Some(line);
        }
        match c {
            '-' if chars.peek() == Some(&'-') => {
                for n in chars.by_ref() {
                    if n == '\n' {
                        line += 1;
                        break;
                    }
                }
                code.push(' ');
                text.push('\n');
            }
            '\'' | '"' => {
                let quote = c;
                let mut raw = String::from(quote);
                let mut decoded = String::new();
                while let Some(n) = chars.next() {
                    raw.push(n);
                    if n == '\n' {
                        line += 1;
                    }
                    if n == '\\' {
                        if let Some(e) = chars.next() {
                            raw.push(e);
                            if e == 'u' {
                                let hex: String = (0..4).filter_map(|_| chars.next()).collect();
                                raw.push_str(&hex);
                                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                                    Some(ch) => decoded.push(ch),
                                    None => decoded.push_str(&hex),
                                }
                            } else {
                                decoded.push_str(&unescape(e));
                            }
                        }
                    } else if n == quote {
                        break;
                    } else {
                        decoded.push(n);
                    }
                }
                code.push_str("''");
                text.push_str(&raw);
                literals.push(decoded);
            }
            '`' => {
                let mut raw = String::from('`');
                for n in chars.by_ref() {
                    raw.push(n);
                    if n == '`' {
                        break;
                    }
                }
                code.push_str(&raw.to_uppercase());
                text.push_str(&raw);
            }
            c if c.is_ascii() && c != ';' => {
                // The common case, kept cheap: this runs over every byte of every SQL file.
                code.push(c.to_ascii_uppercase());
                text.push(c);
            }
            ';' => {
                push(
                    &mut out,
                    &mut code,
                    &mut text,
                    &mut literals,
                    start_line.take(),
                );
            }
            c => {
                code.extend(c.to_uppercase());
                text.push(c);
            }
        }
    }
    push(&mut out, &mut code, &mut text, &mut literals, start_line);
    out
}

fn push(
    out: &mut Vec<Statement>,
    code: &mut String,
    text: &mut String,
    literals: &mut Vec<String>,
    line: Option<usize>,
) {
    let collapsed = code.split_whitespace().collect::<Vec<_>>().join(" ");
    if !collapsed.is_empty() {
        out.push(Statement {
            code: collapsed,
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
    fn decodes_like_databricks() {
        let s = split(r"SELECT 'It\'s', '\\.', '\.'");
        assert_eq!(s[0].literals, ["It's", r"\.", "."]);
    }
}
