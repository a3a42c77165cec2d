//! The only module that touches a product directory. A tree is written into a temporary
//! directory beside the target, flushed to disk and swapped into place ([`crate::write::swap`]), so
//! a failure or a kill leaves the old or the new tree, never neither.

pub(crate) mod lock;
pub(crate) mod swap;
pub(crate) mod sync;

use crate::render::RenderedFile;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub(crate) enum WriteError {
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
    #[error("cannot write {}: {source}", path.display())]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is {what}; dpc copies only regular files and symbolic links inside a product, so nothing was changed", path.display())]
    Special { path: PathBuf, what: &'static str },
    #[error("{} is not a dpc product (no product.yaml in a folder); --force replaces only a product, so nothing was changed: move it away or choose another name", path.display())]
    NotProduct { path: PathBuf },
    #[error("{}: a symbolic link where dpc must write a file ({path_in}); nothing was changed: replace the link with a folder or file", path.display())]
    Link { path: PathBuf, path_in: String },
    #[error(transparent)]
    Path(#[from] crate::files::paths::PathError),
}

/// Whether `path` holds a dpc product: a real folder (not a link) with a `product.yaml`.
pub(crate) fn is_product(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
        && std::fs::symlink_metadata(path.join(crate::spec::PRODUCT_FILE))
            .is_ok_and(|m| m.is_file())
}

/// Undoes what a killed earlier run left beside `target` (see [`crate::write::swap::recover`]).
/// The caller holds the product lock.
pub(crate) fn recover(target: &Path) -> Result<Vec<String>, WriteError> {
    crate::write::swap::recover(target).map_err(|source| WriteError::Replace {
        path: target.to_path_buf(),
        source,
    })
}

/// Writes `files` as the directory `target`, replacing an existing product only when
/// `replace`. The caller holds the product lock and has refused an existing target without
/// `--force`; anything at `target` that is not a product is never replaced.
pub(crate) fn write_tree(
    target: &Path,
    files: &[RenderedFile],
    replace: bool,
) -> Result<(), WriteError> {
    let parent = parent_of(target);
    std::fs::create_dir_all(&parent).map_err(|source| WriteError::OutputDir {
        path: parent.clone(),
        source,
    })?;
    recover(target)?;
    if std::fs::symlink_metadata(target).is_ok() && replace && !is_product(target) {
        return Err(WriteError::NotProduct {
            path: target.to_path_buf(),
        });
    }
    // Dropped (and deleted) on every early return.
    let stage = new_stage(target)?;
    for file in files {
        let rel = relative(&file.path)?;
        write_new(&stage.path().join(rel), &file.text, &parent)?;
    }
    sync_dirs(stage.path(), &parent)?;
    swap_in(stage, target, replace)
}

/// Creates the new file `path` (and its folders) in a staging tree and flushes it to disk.
fn write_new(path: &Path, text: &str, parent: &Path) -> Result<(), WriteError> {
    let stage_err = |source| WriteError::Stage {
        path: parent.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(stage_err)?;
    }
    let mut out = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(stage_err)?;
    out.write_all(text.as_bytes()).map_err(stage_err)?;
    // Flushed before the swap ([`sync_dirs`]), so after a crash the tree at the target is
    // whole; where one filesystem-wide flush is not available, file by file.
    if cfg!(target_os = "linux") {
        Ok(())
    } else {
        out.sync_data().map_err(stage_err)
    }
}

/// Flushes the staging tree (file contents and the folders' entries, which the swap
/// publishes) to disk before the swap. On Linux one `syncfs` on the stage's filesystem:
/// one journal commit instead of one per file and folder (a create went from 90 to 360 ms
/// with per-file fsyncs on ext4).
#[allow(unsafe_code)]
fn sync_dirs(stage: &Path, parent: &Path) -> Result<(), WriteError> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let err = |source| WriteError::Stage {
            path: parent.to_path_buf(),
            source,
        };
        let dir = std::fs::File::open(stage).map_err(err)?;
        // SAFETY: a valid open descriptor for the duration of the call.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } != 0 {
            return Err(err(std::io::Error::last_os_error()));
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    for item in walkdir::WalkDir::new(stage) {
        let item = item.map_err(|e| WriteError::Stage {
            path: parent.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        if item.file_type().is_dir() {
            crate::write::swap::sync_dir(item.path()).map_err(|source| WriteError::Stage {
                path: parent.to_path_buf(),
                source,
            })?;
        }
    }
    #[cfg(not(target_os = "linux"))]
    Ok(())
}

/// The folder that holds `target` (`.` for a bare name).
pub(crate) fn parent_of(target: &Path) -> PathBuf {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A staging directory beside the target, so the final rename stays on one filesystem; its
/// name tells the next run whose it was.
fn new_stage(target: &Path) -> Result<tempfile::TempDir, WriteError> {
    let parent = parent_of(target);
    tempfile::Builder::new()
        .prefix(&crate::write::swap::stage_prefix(target))
        .rand_bytes(6)
        .tempdir_in(&parent)
        .map_err(|source| WriteError::Stage {
            path: parent.clone(),
            source,
        })
}

/// A path inside the product: relative, with no `..` or root.
fn relative(path: &str) -> Result<&Path, WriteError> {
    crate::files::paths::join_inside(Path::new("the product"), path, "derived file")?;
    Ok(Path::new(path))
}

/// Moves a complete staged tree to `target`: exchanged with an existing tree when
/// `replace` (the old tree, now in the stage, is deleted with it), else placed where
/// nothing is.
fn swap_in(stage: tempfile::TempDir, target: &Path, replace: bool) -> Result<(), WriteError> {
    let replace_err = |source| WriteError::Replace {
        path: target.to_path_buf(),
        source,
    };
    let parent = parent_of(target);
    if replace && std::fs::symlink_metadata(target).is_ok() {
        crate::write::swap::exchange(stage.path(), target).map_err(replace_err)?;
        crate::write::swap::sync_dir(&parent).map_err(replace_err)?;
        // `stage` now holds the old tree; dropping it deletes it.
        drop(stage);
    } else {
        crate::write::swap::place_new(stage.path(), target).map_err(replace_err)?;
        crate::write::swap::sync_dir(&parent).map_err(replace_err)?;
        // The stage now lives at `target`; keep TempDir from deleting it.
        let _ = stage.keep();
    }
    Ok(())
}

/// Writes one file atomically: a temporary file with a random name, created exclusively
/// beside it (a planted link is never followed), renamed over it. An existing file (or
/// link) is replaced; the folder is created when missing.
pub(crate) fn write_file(path: &Path, text: &str) -> Result<(), WriteError> {
    let err = |source| WriteError::File {
        path: path.to_path_buf(),
        source,
    };
    let dir = parent_of(path);
    std::fs::create_dir_all(&dir).map_err(err)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".dpc-tmp-")
        .tempfile_in(&dir)
        .map_err(err)?;
    tmp.write_all(text.as_bytes())
        .and_then(|()| tmp.as_file().sync_data())
        .map_err(err)?;
    // tempfile's files are private; the result gets the usual permissions of a new file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = tmp
            .as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644));
    }
    tmp.persist(path).map_err(|e| err(e.error))?;
    Ok(())
}

/// One change to an existing product directory.
pub(crate) enum Change<'a> {
    Write { path: &'a str, text: &'a str },
    Delete { path: &'a str },
}

/// Applies `changes` to the existing product directory `target` atomically: a staging tree
/// beside it gets the new files and a hard link to every entry that does not change (no
/// data is copied, links and special files are kept as they are, never followed or
/// opened), and is swapped into place. The caller holds the product lock.
pub(crate) fn update_tree(target: &Path, changes: &[Change<'_>]) -> Result<(), WriteError> {
    let parent = parent_of(target);
    recover(target)?;
    let stage_err = |source| WriteError::Stage {
        path: parent.clone(),
        source,
    };
    // Dropped (and deleted) on every early return.
    let stage = new_stage(target)?;
    let touched = |rel: &Path| {
        changes.iter().any(|c| match c {
            Change::Write { path, .. } | Change::Delete { path } => Path::new(path) == rel,
        })
    };
    // Folder permissions, applied once the folders are filled (a read-only one would refuse
    // its own files): a folder someone made private stays private.
    let mut modes = Vec::new();
    if let Ok(meta) = std::fs::metadata(target) {
        modes.push((stage.path().to_path_buf(), meta.permissions()));
    }
    for item in walkdir::WalkDir::new(target).min_depth(1) {
        let item = item.map_err(|e| stage_err(std::io::Error::other(e.to_string())))?;
        let Ok(rel) = item.path().strip_prefix(target) else {
            continue;
        };
        let to = stage.path().join(rel);
        if item.file_type().is_dir() {
            std::fs::create_dir(&to).map_err(stage_err)?;
            if let Ok(meta) = item.metadata() {
                modes.push((to, meta.permissions()));
            }
        } else if !touched(rel) {
            link_or_copy(item.path(), &to).map_err(|e| match e {
                LinkError::Special(what) => WriteError::Special {
                    path: item.path().to_path_buf(),
                    what,
                },
                LinkError::Io(source) => WriteError::File {
                    path: item.path().to_path_buf(),
                    source,
                },
            })?;
        }
    }
    for change in changes {
        if let Change::Write { path, text } = change {
            let rel = relative(path)?;
            refuse_links(stage.path(), rel, target)?;
            write_new(&stage.path().join(rel), text, &parent)?;
        }
    }
    for (dir, mode) in modes.into_iter().rev() {
        let _ = std::fs::set_permissions(dir, mode);
    }
    sync_dirs(stage.path(), &parent)?;
    swap_in(stage, target, true)
}

/// A folder on the way to a file dpc writes must be a real folder: writing through a link
/// would put the file outside the product.
fn refuse_links(stage: &Path, rel: &Path, target: &Path) -> Result<(), WriteError> {
    let mut at = stage.to_path_buf();
    let parts: Vec<_> = rel.components().collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        at.push(part);
        if std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink()) {
            let inside = at.strip_prefix(stage).unwrap_or(&at).to_path_buf();
            return Err(WriteError::Link {
                path: target.join(inside),
                path_in: rel.display().to_string(),
            });
        }
    }
    Ok(())
}

enum LinkError {
    Special(&'static str),
    Io(std::io::Error),
}

/// Puts the entry `from` at `to` without reading through it: a hard link (any kind of
/// entry, no data copied); where the filesystem has none, a regular file is copied and a
/// symbolic link recreated, and anything else is refused.
fn link_or_copy(from: &Path, to: &Path) -> Result<(), LinkError> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let meta = std::fs::symlink_metadata(from).map_err(LinkError::Io)?;
    if meta.file_type().is_symlink() {
        let dest = std::fs::read_link(from).map_err(LinkError::Io)?;
        #[cfg(unix)]
        return std::os::unix::fs::symlink(dest, to).map_err(LinkError::Io);
        #[cfg(not(unix))]
        return Err(LinkError::Special("a symbolic link"));
    }
    if !meta.is_file() {
        return Err(LinkError::Special(crate::files::safe_read::kind(&meta)));
    }
    let mut src = crate::files::safe_read::open_regular(from).map_err(LinkError::Io)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)
        .map_err(LinkError::Io)?;
    std::io::copy(&mut src, &mut dst).map_err(LinkError::Io)?;
    let _ = dst.set_permissions(meta.permissions());
    dst.sync_data().map_err(LinkError::Io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    #[cfg(unix)]
    #[test]
    fn write_file_never_follows_a_planted_link() {
        let tmp = tempfile::tempdir().unwrap();
        let victim = tmp.path().join("victim");
        std::fs::write(&victim, "precious\n").unwrap();
        // The name the temporary file used to have, planted as a link to the victim.
        let planted = tmp
            .path()
            .join(format!(".dpc-{}-out.yaml", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        let out = tmp.path().join("out.yaml");
        write_file(&out, "exported\n").unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious\n");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "exported\n");
    }

    #[cfg(unix)]
    #[test]
    fn an_update_keeps_folder_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("p");
        let files = [RenderedFile {
            path: "notes/private.txt".into(),
            text: "x\n".into(),
        }];
        write_tree(&target, &files, false).unwrap();
        let notes = target.join("notes");
        std::fs::set_permissions(&notes, std::fs::Permissions::from_mode(0o700)).unwrap();
        update_tree(
            &target,
            &[Change::Write {
                path: "a.txt",
                text: "a",
            }],
        )
        .unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o750)).unwrap();
        update_tree(
            &target,
            &[Change::Write {
                path: "b.txt",
                text: "b",
            }],
        )
        .unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&notes), 0o700);
        assert_eq!(mode(&target), 0o750);
    }

    #[test]
    fn the_product_is_at_its_path_at_every_instant_of_an_update() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("p");
        let files = [RenderedFile {
            path: "product.yaml".into(),
            text: "v: 0\n".into(),
        }];
        write_tree(&target, &files, false).unwrap();
        let done = AtomicBool::new(false);
        let gaps = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            scope.spawn(|| {
                while !done.load(Ordering::Relaxed) {
                    if std::fs::symlink_metadata(target.join("product.yaml")).is_err() {
                        gaps.fetch_add(1, Ordering::Relaxed);
                    }
                }
            });
            for i in 0..200 {
                let text = format!("v: {i}\n");
                update_tree(
                    &target,
                    &[Change::Write {
                        path: "product.yaml",
                        text: &text,
                    }],
                )
                .unwrap();
            }
            done.store(true, Ordering::Relaxed);
        });
        assert_eq!(gaps.load(Ordering::Relaxed), 0, "the product was missing");
        assert_eq!(
            std::fs::read_to_string(target.join("product.yaml")).unwrap(),
            "v: 199\n"
        );
        // Nothing is left beside it.
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }
}
