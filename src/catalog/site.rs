//! The site as files, and writing it: built whole in a staging folder beside `--out`, then
//! swapped into place in one step (as products are, see [`crate::write::swap`]), so a viewer
//! sees the old site or the new one. A folder is replaced only when it is a site dpc wrote
//! (it holds [`MARKER`]) or empty.

use super::model::{Entry, Product};
use super::reuse;
use crate::write::WriteError;
use std::path::{Path, PathBuf};

/// The file that marks a folder as a dpc catalog.
pub(crate) const MARKER: &str = ".dpc-catalog";
const MARKER_TEXT: &str =
    "This folder is a site written by `dpc catalog`; the next run replaces it whole.\n";
pub(crate) const STYLE: &str = include_str!("catalog.css");
pub(crate) const SEARCH: &str = include_str!("search.js");

/// One file of the site, by its path relative to the site's root.
pub struct SiteFile {
    pub path: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum SiteError {
    #[error("{}: {what}, not a site written by dpc catalog (no {MARKER}); dpc replaces only a folder it wrote, so nothing was written: choose another --out or remove it", path.display())]
    NotACatalog { path: PathBuf, what: &'static str },
    #[error(transparent)]
    Write(#[from] WriteError),
    #[error(transparent)]
    Lock(#[from] crate::write::lock::LockError),
}

fn file(path: impl Into<String>, text: impl Into<String>) -> SiteFile {
    SiteFile {
        path: path.into(),
        text: text.into(),
    }
}

/// The files of one product, side by side in its folder (one folder per product: each is a
/// directory made now and freed when the site is next replaced): its page, its ODCS export
/// and its spec files.
pub fn product_files(p: &Product) -> Vec<SiteFile> {
    let dir = format!("products/{}", p.slug());
    let mut out = vec![
        file(format!("{dir}/index.html"), super::page::page(p)),
        file(format!("{dir}/{}.odcs.yaml", p.slug()), p.odcs.clone()),
    ];
    out.extend(
        p.spec_files
            .iter()
            .map(|(f, text)| file(format!("{dir}/{f}"), text.clone())),
    );
    out
}

/// The index, the style sheet, the search script and the marker.
pub(crate) fn common_files(entries: &[Entry]) -> Vec<SiteFile> {
    vec![
        file("index.html", super::index::page(entries)),
        file("assets/catalog.css", STYLE),
        file("assets/search.js", SEARCH),
        file(MARKER, MARKER_TEXT),
    ]
}

/// Refuses `target` unless it is missing, an empty folder or a site dpc wrote.
pub(crate) fn check_target(target: &Path) -> Result<(), SiteError> {
    let refuse = |what| {
        Err(SiteError::NotACatalog {
            path: target.to_path_buf(),
            what,
        })
    };
    // Nothing there (or a path that cannot hold anything): writing it reports what is wrong.
    let Ok(meta) = std::fs::symlink_metadata(target) else {
        return Ok(());
    };
    if meta.file_type().is_symlink() {
        return refuse("a symbolic link");
    }
    if !meta.is_dir() {
        return refuse("a file");
    }
    if std::fs::symlink_metadata(target.join(MARKER)).is_ok_and(|m| m.is_file()) {
        return Ok(());
    }
    match std::fs::read_dir(target).map(|mut entries| entries.next().is_none()) {
        Ok(true) => Ok(()),
        _ => refuse("a folder"),
    }
}

/// Writes `files` as the folder `target`, replacing a previous site whole.
pub(crate) fn write(target: &Path, files: &[SiteFile]) -> Result<(), SiteError> {
    let parent = crate::write::parent_of(target);
    std::fs::create_dir_all(&parent).map_err(|source| WriteError::OutputDir {
        path: parent.clone(),
        source,
    })?;
    // One writer at a time for the folder that holds the site.
    let _lock = crate::write::lock::product(target)?;
    crate::write::recover(target)?;
    check_target(target)?;
    let stage_err = |source| WriteError::Stage {
        path: parent.clone(),
        source,
    };
    // Dropped (and deleted) on every early return.
    let stage = tempfile::Builder::new()
        .prefix(&crate::write::swap::stage_prefix(target))
        .rand_bytes(6)
        .tempdir_in(&parent)
        .map_err(stage_err)?;
    // A file the previous site already holds, byte for byte, is linked rather than written:
    // no new inode now and none freed when the old site goes.
    let previous = std::fs::symlink_metadata(target)
        .is_ok_and(|m| m.is_dir())
        .then_some(target);
    write_files(stage.path(), files, previous)?;
    #[cfg(unix)]
    {
        // tempfile makes the folder private; a site is for reading.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(stage.path(), std::fs::Permissions::from_mode(0o755))
            .map_err(stage_err)?;
    }
    let replace_err = |source| WriteError::Replace {
        path: target.to_path_buf(),
        source,
    };
    if std::fs::symlink_metadata(target).is_ok() {
        crate::write::swap::exchange(stage.path(), target).map_err(replace_err)?;
        // `stage` now holds the old site; dropping it deletes what is left of it.
        delete_products(stage.path());
        drop(stage);
    } else {
        crate::write::swap::place_new(stage.path(), target).map_err(replace_err)?;
        let _ = stage.keep();
    }
    Ok(())
}

/// How many threads write or delete the site's files: the work is mostly the file system's,
/// which runs in parallel on every core.
fn workers(jobs: usize) -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs)
        .max(1)
}

/// Writes `files` under `stage`, on every core, reusing `previous`'s identical files.
fn write_files(stage: &Path, files: &[SiteFile], previous: Option<&Path>) -> Result<(), SiteError> {
    let chunk = files.len().div_ceil(workers(files.len()));
    std::thread::scope(|scope| {
        let handles: Vec<_> = files
            .chunks(chunk.max(1))
            .map(|part| scope.spawn(move || write_part(stage, part, previous)))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    })
}

fn write_part(stage: &Path, files: &[SiteFile], previous: Option<&Path>) -> Result<(), SiteError> {
    let stage_err = |source| WriteError::Stage {
        path: stage.to_path_buf(),
        source,
    };
    for f in files {
        let path = crate::files::paths::join_inside(stage, &f.path, "site file")
            .map_err(WriteError::from)?;
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(stage_err)?;
        }
        if previous.is_some_and(|old| reuse::link_same(old, &f.path, &path, &f.text)) {
            continue;
        }
        // Not flushed file by file: the site is rebuilt from the specs at will, and the
        // swap is what keeps a viewer from seeing half of it.
        std::fs::write(&path, &f.text).map_err(stage_err)?;
    }
    Ok(())
}

/// Deletes the product folders of an old site on every core (the rest goes with the
/// folder). A failure leaves a folder for the caller's delete, as before, to report nothing.
fn delete_products(old: &Path) {
    let Ok(entries) = std::fs::read_dir(old.join("products")) else {
        return;
    };
    let dirs: Vec<PathBuf> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    let chunk = dirs.len().div_ceil(workers(dirs.len()));
    std::thread::scope(|scope| {
        for part in dirs.chunks(chunk.max(1)) {
            scope.spawn(move || {
                for d in part {
                    let _ = std::fs::remove_dir_all(d);
                }
            });
        }
    });
}
