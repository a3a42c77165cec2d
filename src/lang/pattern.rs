//! Regex patterns are checked and evaluated here with Rust's `regex`, but Databricks
//! enforces them with Java's `RLIKE`. A pattern is accepted only when it uses constructs
//! both engines read the same way; anything else is refused naming the construct and what
//! to write instead.

use regex_syntax::ast::{self, Ast, ClassSetItem, Visitor};

/// Why `pattern` cannot be used: it does not compile, or it uses a construct whose meaning
/// differs between Rust's regex and Java's RLIKE.
/// Remembered per process: compiling a regex costs far more than the rest of a product's
/// checks, and the same few patterns recur in every product `validate` or `catalog` reads.
pub(crate) fn check(pattern: &str) -> Result<(), String> {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};
    static CHECKED: LazyLock<Mutex<HashMap<String, Result<(), String>>>> =
        LazyLock::new(Mutex::default);
    let remembered = |c: &HashMap<_, _>| c.get(pattern).cloned();
    if let Some(known) = remembered(&CHECKED.lock().unwrap_or_else(PoisonError::into_inner)) {
        return known;
    }
    let result = check_uncached(pattern);
    CHECKED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(pattern.to_string(), result.clone());
    result
}

fn check_uncached(pattern: &str) -> Result<(), String> {
    if let Err(e) = regex::Regex::new(pattern) {
        return Err(format!("pattern does not compile: {e}"));
    }
    let parsed = ast::parse::Parser::new()
        .parse(pattern)
        .map_err(|e| format!("pattern does not compile: {e}"))?;
    ast::visit(&parsed, Portable)
}

/// Java's line terminators (outside UNIX_LINES mode), which `.` never matches and `$` may
/// stand before.
const JAVA_LINE_END: &str = "\\n\\r\\x{85}\\x{2028}\\x{2029}";

/// `pattern` (which passed [`check`]) rewritten so Rust's regex decides as Java's RLIKE
/// does: `.` matches no Java line terminator (Rust's excludes only `\n`), and, when
/// `java_end`, `$` also matches before one final line terminator (Rust's only at the end).
/// The generator of sample values rewrites only `.`, so sampled values stay without a
/// trailing line break.
pub(crate) fn as_java(pattern: &str, java_end: bool) -> String {
    let Ok(parsed) = ast::parse::Parser::new().parse(pattern) else {
        return pattern.to_string();
    };
    let Ok(mut spans) = ast::visit(&parsed, Spans(Vec::new())) else {
        return pattern.to_string();
    };
    spans.sort_by_key(|(start, ..)| *start);
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut at = 0;
    for (start, end, dot) in spans {
        if !dot && !java_end {
            continue;
        }
        out.push_str(&pattern[at..start]);
        if dot {
            out.push_str(&format!("[^{JAVA_LINE_END}]"));
        } else {
            out.push_str(&format!("(?:\\r\\n|[{JAVA_LINE_END}])?\\z"));
        }
        at = end;
    }
    out.push_str(&pattern[at..]);
    out
}

/// Byte spans of every `.` (true) and `$` (false) of a pattern.
struct Spans(Vec<(usize, usize, bool)>);

impl Visitor for Spans {
    type Output = Vec<(usize, usize, bool)>;
    type Err = ();

    fn finish(self) -> Result<Self::Output, ()> {
        Ok(self.0)
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), ()> {
        match ast {
            Ast::Dot(span) => self.0.push((span.start.offset, span.end.offset, true)),
            Ast::Assertion(a) if a.kind == ast::AssertionKind::EndLine => {
                self.0.push((a.span.start.offset, a.span.end.offset, false));
            }
            _ => {}
        }
        Ok(())
    }
}

struct Portable;

fn differs(construct: &str, instead: &str) -> Result<(), String> {
    Err(format!(
        "{construct} means something else in Databricks (Java RLIKE) than in dpc's checks; {instead}"
    ))
}

fn perl_class(kind: &ast::ClassPerlKind) -> Result<(), String> {
    let (name, ascii) = match kind {
        ast::ClassPerlKind::Digit => ("\\d", "[0-9]"),
        ast::ClassPerlKind::Space => ("\\s", "[ \\t\\n\\x0B\\f\\r]"),
        ast::ClassPerlKind::Word => ("\\w", "[A-Za-z0-9_]"),
    };
    differs(
        &format!("`{name}` (Unicode in dpc, ASCII in Java)"),
        &format!("write the ASCII class {ascii} instead"),
    )
}

impl Visitor for Portable {
    type Output = ();
    type Err = String;

    fn finish(self) -> Result<(), String> {
        Ok(())
    }

    fn visit_pre(&mut self, ast: &Ast) -> Result<(), String> {
        match ast {
            Ast::Flags(_) => differs(
                "an inline flag such as `(?i)`",
                "spell the cases out, e.g. [Aa]",
            ),
            Ast::Group(g) => match &g.kind {
                ast::GroupKind::NonCapturing(flags) if !flags.items.is_empty() => differs(
                    "an inline flag such as `(?i:...)`",
                    "spell the cases out, e.g. [Aa]",
                ),
                ast::GroupKind::CaptureName {
                    starts_with_p: true,
                    ..
                } => differs("`(?P<name>...)`", "write (?<name>...) or a plain group"),
                _ => Ok(()),
            },
            Ast::Assertion(a) => match a.kind {
                ast::AssertionKind::StartLine
                | ast::AssertionKind::EndLine
                | ast::AssertionKind::StartText
                | ast::AssertionKind::EndText => Ok(()),
                _ => differs(
                    "a word boundary (`\\b`, `\\B`, `\\<`, `\\b{start}`, ...)",
                    "match the neighbouring characters with explicit classes such as [^A-Za-z0-9_]",
                ),
            },
            Ast::ClassUnicode(_) => differs(
                "a Unicode class `\\p{...}`",
                "list the characters or ranges, e.g. [A-Za-z]",
            ),
            Ast::ClassPerl(c) => perl_class(&c.kind),
            Ast::Literal(l) => literal(l),
            _ => Ok(()),
        }
    }

    fn visit_class_set_item_pre(&mut self, item: &ClassSetItem) -> Result<(), String> {
        match item {
            ClassSetItem::Ascii(_) => differs(
                "a POSIX class such as `[[:alpha:]]` (Java reads it as the letters of its name)",
                "write the range, e.g. [A-Za-z] for [[:alpha:]], [0-9] for [[:digit:]]",
            ),
            ClassSetItem::Unicode(_) => differs(
                "a Unicode class `\\p{...}`",
                "list the characters or ranges, e.g. [A-Za-z]",
            ),
            ClassSetItem::Perl(c) => perl_class(&c.kind),
            ClassSetItem::Literal(l) => literal(l),
            _ => Ok(()),
        }
    }

    fn visit_class_set_binary_op_pre(&mut self, op: &ast::ClassSetBinaryOp) -> Result<(), String> {
        match op.kind {
            ast::ClassSetBinaryOpKind::Intersection => Ok(()),
            _ => differs(
                "a class difference `--` or `~~`",
                "write the remaining characters as one class",
            ),
        }
    }
}

fn literal(l: &ast::Literal) -> Result<(), String> {
    use ast::{HexLiteralKind as H, LiteralKind as K, SpecialLiteralKind as S};
    match &l.kind {
        K::HexFixed(H::UnicodeLong) | K::HexBrace(H::UnicodeShort | H::UnicodeLong) => differs(
            "a `\\U` or `\\u{...}` escape",
            "write \\x{...} or \\uXXXX, or the character itself",
        ),
        K::Octal => differs("an octal escape", "write \\xNN"),
        K::Special(S::VerticalTab) => differs(
            "`\\v` (a vertical tab in dpc, any vertical whitespace in Java)",
            "write \\x0B",
        ),
        K::Special(S::Space) => differs("an escaped space", "write the space itself"),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn constructs_java_reads_differently_are_refused_by_name() {
        for (pattern, names) in [
            ("^[[:alpha:]]+$", "POSIX class"),
            ("^\\d{3}$", "`\\d`"),
            ("^\\w+$", "`\\w`"),
            ("a\\sb", "`\\s`"),
            ("\\bword\\b", "word boundary"),
            ("(?i)abc", "inline flag"),
            ("\\p{L}+", "Unicode class"),
            ("[a-z--x]", "class difference"),
            ("(?P<n>a)", "(?P<name>"),
            ("\\u{41}", "\\U"),
        ] {
            let e = check(pattern).expect_err(pattern);
            assert!(e.contains(names), "{pattern}: {e}");
        }
    }

    #[test]
    fn dot_and_end_decide_as_java_does() {
        let java = |p: &str, v: &str| {
            regex::Regex::new(&super::as_java(p, true))
                .unwrap()
                .is_match(v)
        };
        // Java: `.` never matches a line terminator; `$` matches before a final one.
        assert!(!java("^a.b$", "a\rb"));
        assert!(!java("^a.b$", "a\u{2028}b"));
        assert!(java("^a.b$", "a-b"));
        assert!(java("^[A-Z]+$", "ABC\n"));
        assert!(java("^[A-Z]+$", "ABC\r\n"));
        assert!(!java("^[A-Z]+$", "ABC\n\n"));
        assert!(java("^[.$]+$", ".$"));
        assert_eq!(super::as_java("^[.]x\\.$", false), "^[.]x\\.$");
    }

    #[test]
    fn the_common_subset_passes() {
        for pattern in [
            "^CUST-[0-9]{10}$",
            "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$",
            "^\\+?[0-9 ()-]{7,20}$",
            "^(?:[A-Z]{2}|[0-9]{3})$",
            "\\x41\\u0042\\t",
            "[a-z&&[^q]]",
        ] {
            assert!(check(pattern).is_ok(), "{pattern}: {:?}", check(pattern));
        }
    }
}
