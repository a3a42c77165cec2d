//! Diagnostics for people (rustc-style, with the offending line) and for machines (JSON).

use super::{Diagnostic, Level};

/// `error[DPC110]: message`, the location, the source line with a marker, and the help.
/// `source` returns a file's text by the name the diagnostic carries.
pub(crate) fn human<'a>(
    diagnostics: &[Diagnostic],
    source: impl Fn(&str) -> Option<&'a str>,
) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        out.push_str(&format!("{level}[{}]: {}\n", d.code, d.message));
        match (d.line, d.column) {
            (Some(line), Some(col)) => {
                out.push_str(&format!("  --> {}:{line}:{col}\n", d.file));
                if let Some(text) = source(&d.file)
                    .zip(line.checked_sub(1))
                    .and_then(|(t, i)| t.lines().nth(i))
                {
                    // A very long line is cut: the marker and a glimpse are what help.
                    let cut: String;
                    let text = if text.chars().count() > 200 {
                        cut = text.chars().take(200).chain(['…']).collect();
                        cut.as_str()
                    } else {
                        text
                    };
                    let gutter = " ".repeat(line.to_string().len());
                    let pad: String = text
                        .chars()
                        .take(col.saturating_sub(1))
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect();
                    out.push_str(&format!("{gutter} |\n{line} | {text}\n{gutter} | {pad}^\n"));
                }
            }
            _ => out.push_str(&format!("  --> {}\n", d.file)),
        }
        if let Some(path) = &d.path {
            out.push_str(&format!("  = at: {path}\n"));
        }
        if let Some(help) = &d.help {
            out.push_str(&format!("  = help: {help}\n"));
        }
        out.push('\n');
    }
    // Spec lines and messages can hold terminal escape sequences.
    crate::lang::printable::printable(&out).into_owned()
}

/// `[{file, line, column, severity, code, message, help?}]`, stable for CI.
pub(crate) fn json(diagnostics: &[Diagnostic]) -> String {
    let text = serde_json::to_string_pretty(diagnostics).unwrap_or_else(|_| "[]".to_string());
    crate::lang::printable::json(&text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;

    #[test]
    fn human_output_points_at_the_column() {
        let d = Diagnostic::new(Code::Dpc110, "p/contract.yaml", "no column x")
            .at_line(2, 5)
            .help("fix it");
        let text = human(&[d], |_| Some("a: 1\nkey: [x]\n"));
        assert!(text.contains("error[DPC110]: no column x"), "{text}");
        assert!(text.contains("  --> p/contract.yaml:2:5"), "{text}");
        assert!(text.contains("2 | key: [x]\n  |     ^"), "{text}");
        assert!(text.contains("= help: fix it"), "{text}");
    }

    #[test]
    fn json_output_has_the_stable_fields() {
        let d = Diagnostic::new(Code::Dpc001, "f", "m")
            .at_line(1, 2)
            .warning();
        let v: serde_json::Value = serde_json::from_str(&json(&[d])).expect("json");
        assert_eq!(v[0]["file"], "f");
        assert_eq!(v[0]["line"], 1);
        assert_eq!(v[0]["column"], 2);
        assert_eq!(v[0]["severity"], "warning");
        assert_eq!(v[0]["code"], Code::Dpc001.as_str());
        assert_eq!(v[0]["message"], "m");
    }
}
