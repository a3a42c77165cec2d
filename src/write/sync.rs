//! What it takes to bring a product's derived files up to date with its spec: which files
//! to create, update or delete, and which to keep because a person edited them.

use crate::render::RenderedFile;
use crate::render::header::{Stamp, inspect};
use serde::Serialize;
use std::path::Path;

/// Folders that hold derived files; stale derived files are looked for only there.
pub(crate) const DERIVED_DIRS: [&str; 5] = ["schemas", "quality", "monitoring", "docs", "tests"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Action {
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
    pub(crate) fn is_conflict(self) -> bool {
        matches!(self, Action::KeepEdited | Action::KeepEditedOrphan)
    }

    pub(crate) fn describe(self) -> &'static str {
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
pub(crate) struct Entry {
    pub path: String,
    pub action: Action,
    /// The new content, for creates and updates.
    #[serde(skip)]
    pub text: Option<String>,
}

/// Compares freshly rendered derived files with the product directory. Unchanged files are
/// not listed.
pub(crate) fn plan(dir: &Path, rendered: &[RenderedFile]) -> std::io::Result<Vec<Entry>> {
    let mut entries = Vec::new();
    for file in rendered {
        let action = match existing(dir, &file.path) {
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
            .follow_root_links(false)
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
            let Ok(text) =
                crate::files::safe_read::read_text(item.path(), crate::files::safe_read::TEXT_CAP)
            else {
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

/// The text of the derived file `rel` of the product in `dir` (NotFound when absent). A
/// link (on the way or at the file) or a special file is refused rather than followed or
/// opened: dpc would otherwise read, or replace, something outside the product.
fn existing(dir: &Path, rel: &str) -> std::io::Result<String> {
    let mut at = dir.to_path_buf();
    for part in Path::new(rel).components() {
        at.push(part);
        let meta = std::fs::symlink_metadata(&at)?;
        if meta.file_type().is_symlink() {
            let dangling = std::fs::metadata(&at).is_err();
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!(
                    "{} is a symbolic link{}; dpc never writes through links, so replace it with the file or folder itself",
                    at.display(),
                    if dangling {
                        " to nothing (dangling)"
                    } else {
                        ""
                    }
                ),
            ));
        }
    }
    crate::files::safe_read::read_text(&at, crate::files::safe_read::TEXT_CAP).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            e
        } else {
            std::io::Error::new(e.kind(), format!("{}: {e}", at.display()))
        }
    })
}
