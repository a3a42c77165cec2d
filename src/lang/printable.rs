//! Text from data files and specs goes to a terminal: control characters (ESC sequences
//! that move the cursor, retitle the window or hide text, C1 controls, bidirectional
//! overrides) are shown escaped, never sent raw. Line breaks and tabs stay.

use std::borrow::Cow;

fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `s` with every control character other than `\n` and `\t` written as `\u{..}`.
pub(crate) fn printable(s: &str) -> Cow<'_, str> {
    if !s.chars().any(unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the characters serde_json leaves raw but a terminal may act on (C1
/// controls such as U+009B, a one-character CSI, and bidirectional overrides) written as
/// `\uXXXX` escapes: the same JSON value, safe to print. They can only occur in strings.
pub(crate) fn json(text: &str) -> Cow<'_, str> {
    let raw = unsafe_char;
    if !text.chars().any(raw) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_are_shown_not_sent() {
        assert_eq!(super::printable("a\u{1b}[2Jb\n\tc"), "a\\u{1b}[2Jb\n\tc");
        assert_eq!(super::printable("x\u{9b}y\u{202e}"), "x\\u{9b}y\\u{202e}");
        assert_eq!(super::printable("plain"), "plain");
        let json = super::json("{\"a\": \"x\u{9b}2J\u{202e}\"}");
        assert_eq!(json, "{\"a\": \"x\\u009b2J\\u202e\"}");
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["a"], "x\u{9b}2J\u{202e}");
    }
}
