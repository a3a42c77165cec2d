//! What it takes to bring a product's derived files up to date with its spec: which files
//! to create, update or delete, and which to keep because a person edited them.

use crate::render::RenderedFile;
use crate::render::header::{Stamp, inspect};
use serde::Serialize;
use std::path::Path;

/// Folders that hold derived files; stale derived files are looked for only there.
pub const DERIVED_DIRS: [&str; 5] = ["schemas", "quality", "monitoring", "docs", "tests"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    /// The spec no longer produces it and nobody edited it.
    Delete,
    /// Differs from the spec but was edited by hand: kept unless forced.
    KeepEdited,
    /// The spec no longer produces it, but it was edited by hand: kept unless forced.
    KeepEditedOrphan,
}

impl Action {
    pub fn is_conflict(self) -> bool {
        matches!(self, Action::KeepEdited | Action::KeepEditedOrphan)
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::Create => "missing",
            Action::Update => "out of date",
            Action::Delete => "no longer produced by the spec",
            Action::KeepEdited => "edited by hand and out of date",
            Action::KeepEditedOrphan => "edited by hand and no longer produced by the spec",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub path: String,
    pub action: Action,
    /// The new content, for creates and updates.
    #[serde(skip)]
    pub text: Option<String>,
}

/// Compares freshly rendered derived files with the product directory. Unchanged files are
/// not listed.
pub fn plan(dir: &Path, rendered: &[RenderedFile]) -> std::io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for file in rendered {
        let action = match std::fs::read_to_string(dir.join(&file.path)) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(Action::Create),
            Err(e) => return Err(e),
            Ok(existing) if existing == file.text => None,
            Ok(existing) => Some(match inspect(&existing) {
                Stamp::Intact => Action::Update,
                Stamp::Edited | Stamp::Foreign => Action::KeepEdited,
            }),
        };
        if let Some(action) = action {
            entries.push(Entry {
                path: file.path.clone(),
                action,
                text: Some(file.text.clone()),
            });
        }
    }
    for sub in DERIVED_DIRS {
        let root = dir.join(sub);
        if !root.is_dir() {
            continue;
        }
        for item in walkdir::WalkDir::new(&root)
            .into_iter()
            .filter_map(Result::ok)
        {
            if !item.file_type().is_file() {
                continue;
            }
            let Ok(rel) = item.path().strip_prefix(dir) else {
                continue;
            };
            let rel = rel.to_string_lossy().replace('\\', "/");
            if rendered.iter().any(|f| f.path == rel) {
                continue;
            }
            // Unreadable or non-UTF-8 files are not ours.
            let Ok(text) = std::fs::read_to_string(item.path()) else {
                continue;
            };
            let action = match inspect(&text) {
                Stamp::Intact => Action::Delete,
                Stamp::Edited => Action::KeepEditedOrphan,
                Stamp::Foreign => continue,
            };
            entries.push(Entry {
                path: rel,
                action,
                text: None,
            });
        }
    }
    entries.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(entries)
}
