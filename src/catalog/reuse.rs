//! Reusing the previous site's files when a site is rebuilt. A page whose product did not
//! change is the same bytes as last time; linking the old file into the new site costs one
//! directory entry, where writing it costs a new inode now and a freed one when the old site
//! is deleted (on a file system without a journal, ext4 then scans past every recently freed
//! inode at each create, which made rebuilding 1,000 products spend seconds in the kernel).
//!
//! A file is reused only when it is a regular file of the old site, reached through real
//! folders (no symbolic link on the way), linked nowhere else, and holds exactly the new
//! text; after linking, the new entry must be that same file. Anything else is written anew.

use std::path::Path;

/// Links `old/rel` to `new` when it is the same file the site would write; `false` (and
/// nothing at `new`) when it is not or linking fails.
#[cfg(unix)]
pub(crate) fn link_same(old: &Path, rel: &str, new: &Path, text: &str) -> bool {
    use std::io::Read;
    use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
    let Ok(old_path) = crate::files::paths::join_inside(old, rel, "site file") else {
        return false;
    };
    if !real_folders(old, &old_path) {
        return false;
    }
    // O_NOFOLLOW: the file itself must not be a link; O_NONBLOCK: a FIFO cannot hold us.
    let Ok(mut file) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&old_path)
    else {
        return false;
    };
    let Ok(meta) = file.metadata() else {
        return false;
    };
    if !meta.is_file() || meta.nlink() != 1 || meta.len() != text.len() as u64 {
        return false;
    }
    let mut bytes = Vec::with_capacity(text.len());
    if file.read_to_end(&mut bytes).is_err() || bytes != text.as_bytes() {
        return false;
    }
    if std::fs::hard_link(&old_path, new).is_err() {
        return false;
    }
    // The old path might have been replaced between the read and the link.
    let same = std::fs::symlink_metadata(new)
        .is_ok_and(|m| m.dev() == meta.dev() && m.ino() == meta.ino());
    if !same {
        let _ = std::fs::remove_file(new);
    }
    same
}

#[cfg(not(unix))]
pub(crate) fn link_same(_old: &Path, _rel: &str, _new: &Path, _text: &str) -> bool {
    false
}

/// Whether every folder from `root` down to `path`'s parent is a folder, not a link to one.
#[cfg(unix)]
fn real_folders(root: &Path, path: &Path) -> bool {
    path.ancestors()
        .skip(1)
        .take_while(|a| *a != root)
        .all(|a| std::fs::symlink_metadata(a).is_ok_and(|m| m.is_dir()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    fn site() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
        let t = tempfile::tempdir().unwrap();
        let old = t.path().join("old");
        let new = t.path().join("new");
        std::fs::create_dir_all(old.join("products/a")).unwrap();
        std::fs::create_dir_all(new.join("products/a")).unwrap();
        std::fs::write(old.join("products/a/index.html"), "page").unwrap();
        (t, old, new)
    }

    #[test]
    fn the_same_bytes_are_linked() {
        let (_t, old, new) = site();
        let to = new.join("products/a/index.html");
        assert!(link_same(&old, "products/a/index.html", &to, "page"));
        let a = std::fs::metadata(old.join("products/a/index.html")).unwrap();
        let b = std::fs::metadata(&to).unwrap();
        assert_eq!((a.dev(), a.ino()), (b.dev(), b.ino()));
    }

    #[test]
    fn other_bytes_a_missing_file_or_a_shared_one_are_not() {
        let (_t, old, new) = site();
        let to = new.join("products/a/index.html");
        assert!(!link_same(&old, "products/a/index.html", &to, "pagE"));
        assert!(!link_same(&old, "products/a/index.html", &to, "page!"));
        assert!(!link_same(&old, "products/b/index.html", &to, "page"));
        assert!(!to.exists());
        // A file linked from somewhere else as well is not the old site's own.
        std::fs::hard_link(old.join("products/a/index.html"), old.join("elsewhere")).unwrap();
        assert!(!link_same(&old, "products/a/index.html", &to, "page"));
        assert!(!to.exists());
    }

    #[test]
    fn links_in_the_old_site_are_not_followed() {
        let (t, old, new) = site();
        let outside = t.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("index.html"), "page").unwrap();
        std::os::unix::fs::symlink(&outside, old.join("products/b")).unwrap();
        std::os::unix::fs::symlink(outside.join("index.html"), old.join("products/a/c.html"))
            .unwrap();
        let to = new.join("products/a/x.html");
        assert!(!link_same(&old, "products/b/index.html", &to, "page"));
        assert!(!link_same(&old, "products/a/c.html", &to, "page"));
        assert!(!to.exists());
    }
}
