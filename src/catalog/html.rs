//! The one HTML escaping function: every piece of user text on a catalog page (element text,
//! attribute values, text inside inline SVG) goes through [`escape`].

/// `s` as HTML text or a double-quoted attribute value: `& < > " '` become character
/// references, and characters HTML and XML (inline SVG) do not allow in a document (controls
/// other than tab and line breaks, non-characters) become U+FFFD, so any input shows as the
/// text it is and can neither close an element nor an attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Whether `c` may appear as itself in an HTML document that is also well-formed XML.
pub fn allowed(c: char) -> bool {
    let u = c as u32;
    match c {
        '\t' | '\n' | '\r' => true,
        _ if u < 0x20 || (0x7F..=0x9F).contains(&u) => false,
        // Non-characters: U+FDD0..U+FDEF and the last two of every plane.
        _ if (0xFDD0..=0xFDEF).contains(&u) || (u & 0xFFFE) == 0xFFFE => false,
        _ => true,
    }
}

/// `s` shortened to at most `max` characters, with `…` when cut (for one-line summaries and
/// labels in pictures; the full text stays in a title or on the product page).
pub(crate) fn shorten(s: &str, max: usize) -> String {
    let mut chars = s.chars();
    let head: String = chars.by_ref().take(max).collect();
    if chars.next().is_none() {
        return head;
    }
    let mut head: String = head.chars().take(max.saturating_sub(1)).collect();
    head.truncate(head.trim_end().len());
    head.push('…');
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_become_references() {
        assert_eq!(
            escape(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(
            escape("a\u{0}b\u{7f}c\u{FFFF}"),
            "a\u{FFFD}b\u{FFFD}c\u{FFFD}"
        );
        assert_eq!(escape("{{ x }} ü 🙂\n"), "{{ x }} ü 🙂\n");
    }

    #[test]
    fn shorten_cuts_on_characters() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("ab cd", 4), "ab…");
        assert_eq!(shorten("ééééé", 3), "éé…");
    }
}
