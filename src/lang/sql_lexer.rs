//! The one SQL lexer: splits Databricks SQL into statements of tokens, outside string
//! literals, backquoted names, `--` line comments and `/* */` block comments. The schema
//! importer, `dpc validate`'s checks and the access reader all read SQL through it, so they
//! cannot disagree about where a statement ends or what a literal holds.

use std::ops::Range;

/// What a token is. Literals and backquoted names are decoded; the rest borrow the source.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok<'a> {
    /// A keyword or an unquoted identifier.
    Word(&'a str),
    /// A `backquoted` name, decoded (a doubled backquote is one backquote).
    Quoted(String),
    /// A string literal ('…' or "…"), decoded as Databricks reads it.
    Str(String),
    Num(&'a str),
    Sym(char),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token<'a> {
    pub tok: Tok<'a>,
    /// 1-based line where the token starts.
    pub line: usize,
    /// Byte range of the token in the source, quotes included.
    pub span: Range<usize>,
    /// Whitespace or a comment separates it from the token before.
    pub spaced: bool,
}

impl Token<'_> {
    pub(crate) fn is_word(&self, w: &str) -> bool {
        matches!(&self.tok, Tok::Word(x) if x.eq_ignore_ascii_case(w))
    }

    pub(crate) fn is_sym(&self, c: char) -> bool {
        self.tok == Tok::Sym(c)
    }

    /// The name this token spells, when it is an identifier.
    pub(crate) fn ident(&self) -> Option<&str> {
        match &self.tok {
            Tok::Word(w) => Some(w),
            Tok::Quoted(w) => Some(w),
            _ => None,
        }
    }
}

/// A comment's place in the source: replaced by a line break (`--`) or a space (`/* */`)
/// where a statement's text is shown without comments.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Comment {
    pub span: Range<usize>,
    pub block: bool,
}

/// Something left open at the end of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum LexError {
    #[error("a /* comment is never closed")]
    Comment { line: usize },
    #[error("a string is never closed")]
    String { line: usize },
    #[error("a `quoted name is never closed")]
    Quoted { line: usize },
}

impl LexError {
    /// The line where the unclosed construct starts.
    pub(crate) fn line(&self) -> usize {
        match self {
            LexError::Comment { line } | LexError::String { line } | LexError::Quoted { line } => {
                *line
            }
        }
    }
}

/// A text read into statements: each a non-empty run of tokens up to a `;`.
#[derive(Debug, Default)]
pub(crate) struct Lexed<'a> {
    pub statements: Vec<Vec<Token<'a>>>,
    pub comments: Vec<Comment>,
    /// The first construct left open, if any (the rest of the text was read as its body).
    pub error: Option<LexError>,
}

/// Reads `sql` into statements. Never fails: an unclosed construct runs to the end of the
/// text and is reported in `error`, so checks can go on and importers can refuse.
pub(crate) fn lex(sql: &str) -> Lexed<'_> {
    Lexer {
        sql,
        bytes: sql.as_bytes(),
        at: 0,
        line: 1,
        spaced: false,
        out: Lexed::default(),
    }
    .run()
}

struct Lexer<'a> {
    sql: &'a str,
    bytes: &'a [u8],
    at: usize,
    line: usize,
    spaced: bool,
    out: Lexed<'a>,
}

impl<'a> Lexer<'a> {
    fn run(mut self) -> Lexed<'a> {
        let mut current = Vec::new();
        // Byte by byte: nearly all SQL is ASCII; other characters are decoded where they
        // occur (`at` stays on a char boundary).
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            let next = self.bytes.get(self.at + 1).copied();
            let start = self.at;
            let line = self.line;
            let tok = match b {
                b'\n' => {
                    self.newline_space();
                    continue;
                }
                b'-' if next == Some(b'-') => {
                    self.line_comment();
                    continue;
                }
                b'/' if next == Some(b'*') => {
                    self.block_comment();
                    continue;
                }
                b'\'' | b'"' => Tok::Str(self.string(b)),
                b'`' => Tok::Quoted(self.quoted()),
                b';' => {
                    self.at += 1;
                    self.spaced = false;
                    if !current.is_empty() {
                        self.out.statements.push(std::mem::take(&mut current));
                    }
                    continue;
                }
                b if b.is_ascii_digit() => Tok::Num(self.number()),
                b if b.is_ascii_alphanumeric() || b == b'_' => Tok::Word(self.word()),
                b if b.is_ascii() => {
                    self.at += 1;
                    if (b as char).is_whitespace() {
                        self.spaced = true;
                        continue;
                    }
                    Tok::Sym(b as char)
                }
                _ => {
                    let Some(c) = self.sql[self.at..].chars().next() else {
                        break;
                    };
                    if c.is_alphanumeric() {
                        Tok::Word(self.word())
                    } else {
                        self.at += c.len_utf8();
                        if c.is_whitespace() {
                            self.spaced = true;
                            continue;
                        }
                        Tok::Sym(c)
                    }
                }
            };
            current.push(Token {
                tok,
                line,
                span: start..self.at,
                spaced: std::mem::take(&mut self.spaced),
            });
        }
        if !current.is_empty() {
            self.out.statements.push(current);
        }
        self.out
    }

    fn newline_space(&mut self) {
        self.at += 1;
        self.line += 1;
        self.spaced = true;
    }

    fn fail(&mut self, error: LexError) {
        self.out.error.get_or_insert(error);
    }

    fn line_comment(&mut self) {
        let start = self.at;
        self.at += 2;
        while self.at < self.bytes.len() {
            self.at += 1;
            if self.bytes[self.at - 1] == b'\n' {
                self.line += 1;
                break;
            }
        }
        self.out.comments.push(Comment {
            span: start..self.at,
            block: false,
        });
        self.spaced = true;
    }

    fn block_comment(&mut self) {
        let (start, line) = (self.at, self.line);
        self.at += 2;
        let mut closed = false;
        while self.at < self.bytes.len() {
            let b = self.bytes[self.at];
            self.at += 1;
            if b == b'\n' {
                self.line += 1;
            } else if b == b'*' && self.bytes.get(self.at) == Some(&b'/') {
                self.at += 1;
                closed = true;
                break;
            }
        }
        if !closed {
            self.fail(LexError::Comment { line });
        }
        self.out.comments.push(Comment {
            span: start..self.at,
            block: true,
        });
        self.spaced = true;
    }

    /// A string literal from its opening quote, decoded as Databricks reads it.
    fn string(&mut self, quote: u8) -> String {
        let line = self.line;
        let rest = &self.sql[self.at + 1..];
        let mut decoded = String::new();
        let mut chars = rest.char_indices();
        let mut end = None;
        while let Some((at, n)) = chars.next() {
            if n == '\n' {
                self.line += 1;
            }
            if n == '\\' {
                if let Some((_, e)) = chars.next() {
                    if e == '\n' {
                        self.line += 1;
                    }
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
            } else if n as u32 == u32::from(quote) {
                end = Some(at + 1);
                break;
            } else {
                decoded.push(n);
            }
        }
        match end {
            Some(len) => self.at += 1 + len,
            None => {
                self.at = self.bytes.len();
                self.fail(LexError::String { line });
            }
        }
        decoded
    }

    /// A backquoted name from its opening backquote; a doubled backquote is one backquote.
    fn quoted(&mut self) -> String {
        let line = self.line;
        let mut name = String::new();
        self.at += 1;
        loop {
            let Some(n) = self.sql[self.at..].chars().next() else {
                self.fail(LexError::Quoted { line });
                return name;
            };
            self.at += n.len_utf8();
            if n == '`' {
                if self.bytes.get(self.at) == Some(&b'`') {
                    self.at += 1;
                    name.push('`');
                    continue;
                }
                return name;
            }
            if n == '\n' {
                self.line += 1;
            }
            name.push(n);
        }
    }

    fn number(&mut self) -> &'a str {
        let start = self.at;
        self.at += 1;
        while let Some(&n) = self.bytes.get(self.at) {
            let exponent_sign =
                matches!(n, b'+' | b'-') && matches!(self.bytes[self.at - 1], b'e' | b'E');
            if n.is_ascii_alphanumeric() || n == b'.' || exponent_sign {
                self.at += 1;
            } else {
                break;
            }
        }
        &self.sql[start..self.at]
    }

    fn word(&mut self) -> &'a str {
        let start = self.at;
        for c in self.sql[self.at..].chars() {
            if c.is_alphanumeric() || c == '_' {
                self.at += c.len_utf8();
            } else {
                break;
            }
        }
        &self.sql[start..self.at]
    }
}

/// Databricks string-literal escapes; an unknown escape drops the backslash
/// (so `'\.'` is just `.`, the classic regex mistake).
pub(crate) fn unescape(c: char) -> String {
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

    fn kinds<'a>(l: &'a Lexed) -> Vec<Vec<&'a Tok<'a>>> {
        l.statements
            .iter()
            .map(|s| s.iter().map(|t| &t.tok).collect())
            .collect()
    }

    #[test]
    fn statements_end_at_semicolons_outside_quotes_and_comments() {
        let l = lex("SELECT 'a;b' -- c;d\n; /* x; y */ GRANT x TO `g;h`;");
        assert_eq!(l.statements.len(), 2);
        assert_eq!(
            kinds(&l)[0],
            [&Tok::Word("SELECT"), &Tok::Str("a;b".into())]
        );
        assert_eq!(kinds(&l)[1][3], &Tok::Quoted("g;h".into()));
        assert_eq!(l.comments.len(), 2);
        assert!(l.error.is_none());
    }

    #[test]
    fn lines_count_inside_every_construct() {
        let l = lex("/* a\nb */ x;\n'c\nd';\n`e\nf`;\n-- g\ny");
        let lines: Vec<usize> = l.statements.iter().map(|s| s[0].line).collect();
        assert_eq!(lines, [2, 3, 5, 8]);
    }

    #[test]
    fn decodes_like_databricks() {
        let l = lex(r"'It\'s' '\\.' '\.' '\u0041' `a``b`");
        assert_eq!(
            kinds(&l)[0],
            [
                &Tok::Str("It's".into()),
                &Tok::Str(r"\.".into()),
                &Tok::Str(".".into()),
                &Tok::Str("A".into()),
                &Tok::Quoted("a`b".into()),
            ]
        );
    }

    #[test]
    fn unclosed_constructs_are_reported_with_their_line() {
        assert_eq!(
            lex("x;\n/* open").error,
            Some(LexError::Comment { line: 2 })
        );
        assert_eq!(lex("'open").error, Some(LexError::String { line: 1 }));
        assert_eq!(lex("\n\n`open").error, Some(LexError::Quoted { line: 3 }));
    }

    #[test]
    fn tokens_know_what_separates_them() {
        let l = lex("a(b) /**/c");
        let spaced: Vec<bool> = l.statements[0].iter().map(|t| t.spaced).collect();
        assert_eq!(spaced, [false, false, false, false, true]);
    }
}
