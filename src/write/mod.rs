//! The only module that touches a product directory. A tree is written into a temporary
//! directory beside the target and renamed into place, so a failure leaves nothing behind.

pub mod sync;

use crate::render::RenderedFile;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("cannot create output directory {}: {source}", path.display())]
    OutputDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write in {}: {source}; nothing was written", path.display())]
    Stage {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot move the new product into {}: {source}; nothing was written", path.display())]
    Replace {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("refusing to write outside the product directory: {path}")]
    UnsafePath { path: String },
    #[error("cannot write {}: {source}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Writes `files` as the directory `target`, replacing an existing one only when `replace`.
/// The caller has already refused an existing target without `--force`.
pub fn write_tree(target: &Path, files: &[RenderedFile], replace: bool) -> Result<(), WriteError> {
    let parent = parent_of(target);
    std::fs::create_dir_all(&parent).map_err(|source| WriteError::OutputDir {
        path: parent.clone(),
        source,
    })?;
    let stage_err = |source| WriteError::Stage {
        path: parent.clone(),
        source,
    };
    // Dropped (and deleted) on every early return.
    let stage = new_stage(&parent)?;
    for file in files {
        let rel = relative(&file.path)?;
        let path = stage.path().join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(stage_err)?;
        }
        // Space is reserved at write time on local filesystems, so a full disk fails here;
        // no per-file fsync (it would triple the run time for no atomicity gain).
        let mut out = std::fs::File::create(&path).map_err(stage_err)?;
        out.write_all(file.text.as_bytes()).map_err(stage_err)?;
        out.flush().map_err(stage_err)?;
    }

    swap_in(stage, target, &parent, replace)
}

/// The folder that holds `target` (`.` for a bare name).
fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A staging directory beside the target, so the final rename stays on one filesystem.
fn new_stage(parent: &Path) -> Result<tempfile::TempDir, WriteError> {
    tempfile::Builder::new()
        .prefix(".dpc-new-")
        .tempdir_in(parent)
        .map_err(|source| WriteError::Stage {
            path: parent.to_path_buf(),
            source,
        })
}

/// A path inside the product: relative, with no `..` or root.
fn relative(path: &str) -> Result<&Path, WriteError> {
    let rel = Path::new(path);
    let inside = !rel.is_absolute()
        && rel
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if inside {
        Ok(rel)
    } else {
        Err(WriteError::UnsafePath {
            path: path.to_string(),
        })
    }
}

/// Moves a complete staged tree to `target`, replacing an existing one when `replace`.
fn swap_in(
    stage: tempfile::TempDir,
    target: &Path,
    parent: &Path,
    replace: bool,
) -> Result<(), WriteError> {
    let replace_err = |source| WriteError::Replace {
        path: target.to_path_buf(),
        source,
    };
    if replace && target.exists() {
        // Move the old tree aside first: rename cannot replace a non-empty directory.
        let old = tempfile::Builder::new()
            .prefix(".dpc-old-")
            .tempdir_in(parent)
            .map_err(replace_err)?;
        let aside = old.path().join("product");
        std::fs::rename(target, &aside).map_err(replace_err)?;
        if let Err(source) = std::fs::rename(stage.path(), target) {
            // Put the old product back; it must not be lost.
            let _ = std::fs::rename(&aside, target);
            return Err(replace_err(source));
        }
        drop(old);
    } else {
        std::fs::rename(stage.path(), target).map_err(replace_err)?;
    }
    // The stage now lives at `target`; keep TempDir from deleting it.
    let _ = stage.keep();
    Ok(())
}

/// Writes one file atomically: a temporary file beside it, renamed over it. An existing file
/// is replaced; the folder is created when missing.
pub fn write_file(path: &Path, text: &str) -> Result<(), WriteError> {
    let err = |source| WriteError::File {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(err)?;
    // A plain file (not `tempfile`'s, which is private to the user) so the result has the
    // usual permissions; removed again if anything fails.
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".dpc-{}-{name}", std::process::id()));
    let written = std::fs::File::create(&tmp)
        .and_then(|mut out| out.write_all(text.as_bytes()).and_then(|()| out.flush()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(source) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(err(source));
    }
    Ok(())
}

/// One change to an existing product directory.
pub enum Change<'a> {
    Write { path: &'a str, text: &'a str },
    Delete { path: &'a str },
}

/// Applies `changes` to the existing product directory `target` atomically: the directory is
/// copied beside itself, changed there, and swapped into place.
pub fn update_tree(target: &Path, changes: &[Change<'_>]) -> Result<(), WriteError> {
    let parent = parent_of(target);
    let stage_err = |source| WriteError::Stage {
        path: parent.clone(),
        source,
    };
    // Dropped (and deleted) on every early return.
    let stage = new_stage(&parent)?;
    let touched = |rel: &Path| {
        changes.iter().any(|c| match c {
            Change::Write { path, .. } | Change::Delete { path } => Path::new(path) == rel,
        })
    };
    for item in walkdir::WalkDir::new(target).min_depth(1) {
        let item = item.map_err(|e| stage_err(std::io::Error::other(e.to_string())))?;
        let Ok(rel) = item.path().strip_prefix(target) else {
            continue;
        };
        let to = stage.path().join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir_all(&to).map_err(stage_err)?;
        } else if !touched(rel) {
            // Everything dpc does not change is copied byte for byte.
            std::fs::copy(item.path(), &to).map_err(stage_err)?;
        }
    }
    for change in changes {
        if let Change::Write { path, text } = change {
            let rel = relative(path)?;
            let to = stage.path().join(rel);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).map_err(stage_err)?;
            }
            std::fs::write(&to, text).map_err(stage_err)?;
        }
    }
    swap_in(stage, target, &parent, true)
}
