//! Escaping for every language dpc writes. Templates reach these through filters; the
//! renderer refuses to print a string that did not pass through one of them.

use std::fmt::Write;

/// A YAML double-quoted scalar. Escapes everything YAML does not allow raw (C0/C1 controls,
/// DEL, line/paragraph separators, BOM, non-characters), so any text reads back unchanged.
pub fn yaml_string(s: &str) -> String {
    if plain_ascii(s, b'"') {
        return format!("\"{s}\"");
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if needs_yaml_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML string for databricks.yml: the Databricks CLI reads `${...}` inside any string as a
/// reference, so user text writes it `$${...}`, which the CLI turns back into `${...}`.
pub(crate) fn bundle_string(s: &str) -> String {
    yaml_string(&s.replace("${", "$${"))
}

/// Printable ASCII without `quote` or a backslash: the common case, which every escaper
/// above leaves unchanged between its quotes.
fn plain_ascii(s: &str, quote: u8) -> bool {
    s.bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != quote && b != b'\\')
}

fn needs_yaml_escape(c: char) -> bool {
    let u = c as u32;
    u < 0x20
        || (0x7F..=0x9F).contains(&u)
        || matches!(u, 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF)
}

/// A Databricks SQL string literal. Databricks escapes with a backslash (`'It\'s'`);
/// doubling the quote would make two adjacent literals instead.
pub fn sql_string(s: &str) -> String {
    if plain_ascii(s, b'\'') {
        return format!("'{s}'");
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\'' => out.push_str("\\'"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// A Databricks identifier: bare when it is a plain lower-case name that is not a reserved
/// word, otherwise in backticks with inner backticks doubled.
pub fn sql_identifier(name: &str) -> String {
    if crate::lang::sql_ident::is_simple_identifier(name) {
        name.to_string()
    } else {
        format!("`{}`", name.replace('`', "``"))
    }
}

/// A dotted name (`catalog.schema.table`), each part quoted as needed.
pub fn sql_qualified(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| sql_identifier(p))
        .collect::<Vec<_>>()
        .join(".")
}

/// A principal in GRANT/OWNER statements: always in backticks (group names carry `-` and spaces).
pub(crate) fn sql_principal(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Text for a `--` comment: one line, whatever the input.
pub(crate) fn sql_comment(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A Python string literal in pure ASCII, so the file is valid whatever its encoding is read as.
pub fn python_string(s: &str) -> String {
    if plain_ascii(s, b'"') {
        return format!("\"{s}\"");
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            c if (c as u32) <= 0xFF => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) <= 0xFFFF => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Markdown inline text, safe in a paragraph and in a table cell: inline syntax characters
/// (and any punctuation that could open a block at the start) are backslash-escaped, line
/// breaks become `<br>`, and edge whitespace and control characters become numeric
/// references, so a CommonMark reader gets the text back exactly.
pub fn markdown(s: &str) -> String {
    // Common case: starts with a letter, ends with no space, and holds only spaces and
    // printable ASCII that means nothing inline; nothing below would change it.
    let bytes = s.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.last() != Some(&b' ')
        && bytes
            .iter()
            .all(|&b| b == b' ' || (b.is_ascii_graphic() && !is_inline_syntax(b as char)))
    {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.chars().collect();
    // Whitespace at the start or end of a paragraph, cell or line would be trimmed.
    let first_text = chars
        .iter()
        .position(|c| !c.is_whitespace())
        .unwrap_or(chars.len());
    let last_text = chars
        .iter()
        .rposition(|c| !c.is_whitespace())
        .map_or(0, |i| i + 1);
    // "1986. A year" at the start would open an ordered list.
    let digits = chars[first_text..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    let list_marker = (digits > 0).then_some(first_text + digits);
    for (i, &c) in chars.iter().enumerate() {
        let edge = i < first_text || i >= last_text;
        let next_is_break = chars.get(i + 1) == Some(&'\n');
        let prev_is_break = i > 0 && chars[i - 1] == '\n';
        match c {
            '\n' => out.push_str("<br>"),
            c if is_inline_syntax(c)
                || (i <= first_text && c.is_ascii_punctuation())
                || Some(i) == list_marker && c.is_ascii_punctuation() =>
            {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c if c.is_whitespace() && (edge || next_is_break || prev_is_break) => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// Characters that mean something inline in CommonMark or a GitHub table.
fn is_inline_syntax(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '|' | '~' | '!'
    )
}

/// Markdown inline code (for names): a code span with a fence longer than any backtick run inside.
pub(crate) fn markdown_code(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.starts_with(' ') {
        " "
    } else {
        ""
    };
    // Any line ending (CommonMark also ends a line at a lone CR) could start a block.
    let one_line = s.replace("\r\n", " ").replace(['\r', '\n'], " ");
    format!("{fence}{pad}{one_line}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_literals_use_backslashes() {
        assert_eq!(sql_string("It's"), r"'It\'s'");
        assert_eq!(sql_string(r"a\.b"), r"'a\\.b'");
        assert_eq!(sql_string("a\nb"), r"'a\nb'");
    }

    #[test]
    fn identifiers_are_quoted_only_when_needed() {
        assert_eq!(sql_identifier("customers"), "customers");
        assert_eq!(sql_identifier("order"), "`order`");
        assert_eq!(sql_identifier("my-col"), "`my-col`");
        assert_eq!(sql_identifier("a`b"), "`a``b`");
        assert_eq!(sql_principal("account users"), "`account users`");
    }

    #[test]
    fn yaml_and_python_strings() {
        assert_eq!(yaml_string("a\"b\\c\n"), r#""a\"b\\c\n""#);
        assert_eq!(python_string("é\"\n"), r#""\xe9\"\n""#);
    }

    #[test]
    fn markdown_escapes_structure() {
        assert_eq!(markdown("a|b"), r"a\|b");
        assert_eq!(markdown("x\ny"), "x<br>y");
        assert_eq!(markdown(" *"), r"&#32;\*");
        assert_eq!(markdown_code("a`b"), "``a`b``");
        assert_eq!(markdown("1986. A year"), r"1986\. A year");
        assert_eq!(markdown("- item"), r"\- item");
        assert_eq!(markdown("Real-time 99.5%"), "Real-time 99.5%");
    }
}
