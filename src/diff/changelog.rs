//! A Keep a Changelog entry for a contract change, and where it goes in docs/changelog.md.

use super::Report;
use super::classify::Kind;
use crate::lang::escape::{markdown, markdown_code};

fn section(kind: Kind) -> &'static str {
    match kind {
        Kind::TableAdded
        | Kind::ColumnAdded
        | Kind::RequiredColumnAdded
        | Kind::QualityRuleAdded => "Added",
        Kind::TableRemoved | Kind::ColumnRemoved | Kind::QualityRuleRemoved => "Removed",
        Kind::Deprecated => "Deprecated",
        Kind::PiiAdded
        | Kind::PiiRemoved
        | Kind::ClassificationDowngraded
        | Kind::ClassificationRaised => "Security",
        _ => "Changed",
    }
}

const SECTIONS: [&str; 5] = ["Added", "Changed", "Deprecated", "Removed", "Security"];

/// `## [version] - date` with the changes grouped by section; paths and values are escaped.
pub(crate) fn entry(report: &Report, date: &str) -> String {
    let mut out = format!("## [{}] - {date}\n", report.new_version);
    for name in SECTIONS {
        let items: Vec<String> = report
            .changes
            .iter()
            .filter(|c| section(c.kind) == name)
            .map(|c| {
                let values = match (&c.old, &c.new) {
                    (Some(o), Some(n)) => format!(": {} → {}", markdown(o), markdown(n)),
                    (None, Some(n)) => format!(": {}", markdown(n)),
                    (Some(o), None) => format!(" (was {})", markdown(o)),
                    (None, None) => String::new(),
                };
                format!(
                    "- {}{values} ({}; {})\n",
                    markdown_code(&c.path),
                    c.bump,
                    markdown(&c.reason)
                )
            })
            .collect();
        if !items.is_empty() {
            out.push_str(&format!("\n### {name}\n\n"));
            out.extend(items);
        }
    }
    out
}

/// `changelog` with `entry` as the newest release: after `## [Unreleased]` when there is one,
/// else before the first release heading, else at the end.
pub(crate) fn insert(changelog: &str, entry: &str) -> String {
    let lines: Vec<&str> = changelog.split_inclusive('\n').collect();
    let heading = |l: &str| l.starts_with("## ");
    let unreleased = lines.iter().position(|l| l.starts_with("## [Unreleased]"));
    let at = match unreleased {
        Some(u) => lines
            .iter()
            .enumerate()
            .skip(u + 1)
            .find(|(_, l)| heading(l))
            .map_or(lines.len(), |(i, _)| i),
        None => lines.iter().position(|l| heading(l)).unwrap_or(lines.len()),
    };
    let mut out: String = lines[..at].concat();
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(entry);
    out.push('\n');
    out.push_str(&lines[at..].concat());
    out
}

/// Whether `changelog` already has a release heading for `version`: `## [version]`, also as
/// `dpc create` escapes it (`## [1\.0.0]`), so writing an entry again never duplicates it.
pub(crate) fn has_release(changelog: &str, version: &str) -> bool {
    changelog.lines().any(|l| {
        l.strip_prefix("## [")
            .and_then(|rest| rest.split_once(']'))
            .is_some_and(|(v, _)| v.replace('\\', "") == version)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_are_found_escaped_or_not() {
        let log = "# Log\n\n## [Unreleased]\n\n## [1.1.0] - d\n\n## [1\\.0.0] \\- d\n";
        assert!(has_release(log, "1.1.0"));
        assert!(has_release(log, "1.0.0"));
        assert!(!has_release(log, "1.0.1"));
        assert!(!has_release("- ## [2.0.0]\n", "2.0.0"));
    }

    #[test]
    fn entries_go_after_unreleased() {
        let log = "# Changelog\n\n## [Unreleased]\n\n## [1.0.0] - 2024-12-31\n\n- first\n";
        let out = insert(log, "## [1.1.0] - 2025-01-02\n\n### Added\n\n- x\n");
        let unreleased = out.find("## [Unreleased]").expect("kept");
        let new = out.find("## [1.1.0]").expect("inserted");
        let old = out.find("## [1.0.0]").expect("kept");
        assert!(unreleased < new && new < old, "{out}");
    }

    #[test]
    fn entries_go_first_without_unreleased() {
        let out = insert("# Log\n\n## [1.0.0]\n", "## [2.0.0] - d\n");
        assert!(out.find("## [2.0.0]") < out.find("## [1.0.0]"), "{out}");
        assert_eq!(insert("", "## [1.0.1] - d\n"), "## [1.0.1] - d\n\n");
    }
}
