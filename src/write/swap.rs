//! Putting a complete staged tree at a product's path so that the old or the new tree is
//! there at every instant, and recovering what a killed run left beside it.
//!
//! On Linux the swap is one `renameat2(RENAME_EXCHANGE)`. Elsewhere (or on a filesystem
//! without it) the old tree is renamed to `.dpc-old-<name>.XXXXXX` and the new one into
//! place; a kill between the two renames leaves the old tree there, and the next run that
//! writes the product ([`recover`]) puts it back.

use std::io;
use std::path::{Path, PathBuf};

const NEW: &str = ".dpc-new-";
const OLD: &str = ".dpc-old-";
/// tempfile's random suffix length.
const RANDOM: usize = 6;

fn name_of(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "product".into())
}

/// The prefix of a staging folder for `target`.
pub(crate) fn stage_prefix(target: &Path) -> String {
    format!("{NEW}{}.", name_of(target))
}

fn old_prefix(target: &Path) -> String {
    format!("{OLD}{}.", name_of(target))
}

/// Leftovers of `target` in `parent`: a name with the prefix and tempfile's suffix.
fn leftovers(parent: &Path, prefix: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix(prefix)
                .is_some_and(|rest| rest.len() == RANDOM && !rest.contains('.'))
        })
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// What a killed earlier run left beside `target`: a product hidden in `.dpc-old-*` while
/// nothing is at `target` is put back; every other leftover is deleted. Returns what was
/// done, for a note. The caller holds the product lock, so no live run owns these.
pub(crate) fn recover(target: &Path) -> io::Result<Vec<String>> {
    let parent = crate::write::parent_of(target);
    let mut done = Vec::new();
    for old in leftovers(&parent, &old_prefix(target)) {
        if std::fs::symlink_metadata(target).is_err() {
            std::fs::rename(&old, target)?;
            done.push(format!(
                "restored {} from {} (left by an interrupted run)",
                target.display(),
                old.display()
            ));
        } else {
            std::fs::remove_dir_all(&old)?;
            done.push(format!(
                "removed {} (left by an interrupted run)",
                old.display()
            ));
        }
    }
    for new in leftovers(&parent, &stage_prefix(target)) {
        std::fs::remove_dir_all(&new)?;
        done.push(format!(
            "removed {} (left by an interrupted run)",
            new.display()
        ));
    }
    done.extend(recover_legacy(target, &parent)?);
    Ok(done)
}

/// Leftovers of dpc versions before this one, whose names did not say which product they
/// held: `.dpc-new-XXXXXX` (a stage) and `.dpc-old-XXXXXX/product` (a product moved aside).
/// A product moved aside comes back when nothing is at `target` and its manifest names
/// `target`; stages are removed.
fn recover_legacy(target: &Path, parent: &Path) -> io::Result<Vec<String>> {
    let mut done = Vec::new();
    let name = name_of(target);
    for old in leftovers(parent, OLD) {
        let product = old.join("product");
        let manifest = crate::files::safe_read::read_text(
            &product.join(crate::spec::PRODUCT_FILE),
            crate::files::safe_read::TEXT_CAP,
        );
        let ours = manifest.is_ok_and(|text| {
            crate::spec::parse_yaml::<crate::spec::ProductManifest>("product.yaml", &text)
                .is_ok_and(|m| m.product_metadata.name == name)
        });
        if ours && std::fs::symlink_metadata(target).is_err() {
            std::fs::rename(&product, target)?;
            std::fs::remove_dir_all(&old)?;
            done.push(format!(
                "restored {} from {} (left by an interrupted run)",
                target.display(),
                old.display()
            ));
        }
    }
    for new in leftovers(parent, NEW) {
        std::fs::remove_dir_all(&new)?;
        done.push(format!(
            "removed {} (left by an interrupted run)",
            new.display()
        ));
    }
    Ok(done)
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn renameat2(from: &Path, to: &Path, flags: libc::c_uint) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path holds a NUL byte"))
    };
    let (from, to) = (c(from)?, c(to)?);
    // SAFETY: both pointers are NUL-terminated strings that outlive the call.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            flags,
        )
    };
    if rc == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// The kernel or filesystem lacks the flag: use the fallback.
#[cfg(target_os = "linux")]
fn unsupported(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EINVAL) | Some(libc::ENOSYS) | Some(libc::EOPNOTSUPP)
    )
}

/// Swaps the trees at `stage` and `target`: afterwards `target` holds the new tree and
/// `stage` the old one (for the caller to delete).
pub(crate) fn exchange(stage: &Path, target: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    match renameat2(stage, target, libc::RENAME_EXCHANGE as libc::c_uint) {
        Ok(()) => return Ok(()),
        Err(e) if unsupported(&e) => {}
        Err(e) => return Err(e),
    }
    exchange_by_renames(stage, target)
}

/// The fallback of [`exchange`]: old aside under a name [`recover`] knows, new into place.
fn exchange_by_renames(stage: &Path, target: &Path) -> io::Result<()> {
    let parent = crate::write::parent_of(target);
    let aside = tempfile::Builder::new()
        .prefix(&old_prefix(target))
        .rand_bytes(RANDOM)
        .tempdir_in(&parent)?
        .keep();
    // The empty folder only reserved the name: Windows renames nothing onto a folder.
    std::fs::remove_dir(&aside)?;
    std::fs::rename(target, &aside)?;
    if let Err(e) = std::fs::rename(stage, target) {
        // Put the old product back; it must not be lost.
        let _ = std::fs::rename(&aside, target);
        return Err(e);
    }
    // The caller deletes `stage`: move the old tree there.
    std::fs::rename(&aside, stage)
}

/// Moves `stage` to `target`, which must not exist.
pub(crate) fn place_new(stage: &Path, target: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    match renameat2(stage, target, libc::RENAME_NOREPLACE as libc::c_uint) {
        Ok(()) => return Ok(()),
        Err(e) if unsupported(&e) => {}
        Err(e) => return Err(e),
    }
    if std::fs::symlink_metadata(target).is_ok() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            "something was created there meanwhile",
        ));
    }
    std::fs::rename(stage, target)
}

/// Flushes a folder's entries (new names, renames) to disk; a no-op where folders cannot
/// be opened.
pub(crate) fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::fs::File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(dir: &Path, version: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("product.yaml"), version).unwrap();
    }

    #[test]
    fn the_fallback_swaps_and_a_kill_between_its_renames_is_recovered() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("p");
        let stage = tmp.path().join(".dpc-new-p.abc123");
        product(&target, "old");
        product(&stage, "new");
        exchange_by_renames(&stage, &target).unwrap();
        let read = |d: &Path| std::fs::read_to_string(d.join("product.yaml")).unwrap();
        assert_eq!(read(&target), "new");
        assert_eq!(read(&stage), "old");

        // A kill after the first rename: the product is hidden, a stage is left.
        std::fs::remove_dir_all(&stage).unwrap();
        let hidden = tmp.path().join(".dpc-old-p.xyz789");
        std::fs::rename(&target, &hidden).unwrap();
        product(&stage, "half");
        let done = recover(&target).unwrap();
        assert_eq!(read(&target), "new", "{done:?}");
        assert!(!hidden.exists() && !stage.exists(), "{done:?}");
        // What earlier dpc versions left: a product aside under a name without its own.
        std::fs::remove_dir_all(&target).unwrap();
        let legacy = tmp.path().join(".dpc-old-Qw3rTy");
        std::fs::create_dir_all(legacy.join("product")).unwrap();
        std::fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/customer-360/product.yaml"),
            legacy.join("product/product.yaml"),
        )
        .unwrap();
        let legacy_stage = tmp.path().join(".dpc-new-As4dFg");
        std::fs::create_dir_all(&legacy_stage).unwrap();
        recover(&target).unwrap();
        assert!(legacy.exists(), "another product's");
        assert!(!legacy_stage.exists());
        let c360 = tmp.path().join("customer-360");
        recover(&c360).unwrap();
        assert!(c360.join("product.yaml").is_file() && !legacy.exists());
        product(&target, "new");
        // Another product's leftovers are not this one's.
        let other = tmp.path().join(".dpc-old-p-2.abc123");
        product(&other, "x");
        recover(&target).unwrap();
        assert!(other.exists());
    }
}
