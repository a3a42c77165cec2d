//! The releases of a product's `docs/changelog.md` (Keep a Changelog, as `dpc create` starts
//! it and `dpc diff --write-changelog` extends it) as HTML: release headings, section
//! headings and bullet lists. Only that subset of Markdown is read; any other line is shown
//! as a paragraph of text. Everything is escaped.

use super::html::escape;
use std::fmt::Write;

/// The release sections (`## [version] - date`) as HTML, headings from `<h3>`; `None` when
/// the changelog holds no release.
pub(crate) fn releases(markdown: &str) -> Option<String> {
    let mut out = String::new();
    let mut in_release = false;
    // Open `<ul>` depths.
    let mut open: Vec<usize> = Vec::new();
    let mut found = false;
    for line in markdown.lines() {
        if let Some(head) = line.strip_prefix("## ") {
            close_lists(&mut out, &mut open, 0);
            in_release = head.starts_with('[') && !head.starts_with("[Unreleased]");
            if in_release {
                found = true;
                let title = head.replacen('[', "", 1).replacen(']', "", 1);
                let _ = write!(out, "<h3>{}</h3>", inline(&title));
            }
            continue;
        }
        if !in_release || line.trim().is_empty() {
            continue;
        }
        if let Some(head) = line.strip_prefix("### ") {
            close_lists(&mut out, &mut open, 0);
            let _ = write!(out, "<h4>{}</h4>", inline(head));
        } else if let Some(item) = line.trim_start().strip_prefix("- ") {
            let depth = (line.len() - line.trim_start().len()) / 2 + 1;
            close_lists(&mut out, &mut open, depth);
            if open.last().is_none_or(|d| *d < depth) {
                out.push_str("<ul>");
                open.push(depth);
            } else {
                out.push_str("</li>");
            }
            let _ = write!(out, "<li>{}", inline(item));
        } else {
            close_lists(&mut out, &mut open, 0);
            let _ = write!(out, "<p>{}</p>", inline(line.trim()));
        }
    }
    close_lists(&mut out, &mut open, 0);
    found.then_some(out)
}

/// Closes the lists deeper than `depth`.
fn close_lists(out: &mut String, open: &mut Vec<usize>, depth: usize) {
    while open.last().is_some_and(|d| *d > depth) {
        open.pop();
        out.push_str("</li></ul>");
    }
}

/// Inline Markdown as dpc writes it: code spans, backslash escapes, `<br>` for a line break
/// and numeric character references; the text itself is escaped.
fn inline(text: &str) -> String {
    let mut out = String::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            let fence = rest.len() - rest.trim_start_matches('`').len();
            let after = &rest[fence..];
            if let Some(end) = after.find(&rest[..fence]) {
                out.push_str(&escape(&unescape(&std::mem::take(&mut plain))));
                let _ = write!(out, "<code>{}</code>", escape(after[..end].trim()));
                rest = &after[end + fence..];
                continue;
            }
        }
        plain.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out.push_str(&escape(&unescape(&plain)));
    out
}

/// Markdown text without its backslash escapes, `<br>` as a line break and `&#N;` decoded.
fn unescape(text: &str) -> String {
    let text = text.replace("<br>", "\n");
    let mut out = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => {
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '&' if chars.peek() == Some(&'#') => {
                let tail: String = chars.clone().take(12).collect();
                let decoded = tail.split_once(';').and_then(|(num, _)| {
                    let num = &num[1..];
                    let code = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => num.parse().ok()?,
                    };
                    Some((char::from_u32(code)?, num.len() + 2))
                });
                match decoded {
                    Some((ch, len)) => {
                        out.push(ch);
                        for _ in 0..len {
                            chars.next();
                        }
                    }
                    None => out.push('&'),
                }
            }
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_become_headings_and_lists() {
        let md = "# Changelog\n\nIntro\n\n## [Unreleased]\n\n## [1\\.0.0] \\- 2024\\-12-31\n\n### Added\n\n- Product `a<b>`:\n  - nested <script>\n- two\n\n## Versioning policy\n\n- not shown\n";
        let html = releases(md).expect("a release");
        assert_eq!(
            html,
            "<h3>1.0.0 - 2024-12-31</h3><h4>Added</h4><ul><li>Product <code>a&lt;b&gt;</code>:<ul><li>nested &lt;script&gt;</li></ul></li><li>two</li></ul>"
        );
        assert!(releases("# nothing\n## [Unreleased]\n- x\n").is_none());
    }
}
