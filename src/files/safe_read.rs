//! Bounded reads of regular files: a FIFO, device or socket is refused without blocking on
//! it, a file over the cap is refused before it fills memory, and a spec file that links
//! out of its product is not read (so none of its lines can appear in a diagnostic).

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

/// Spec files and other text inputs: far above the largest spec seen (25,000 columns is
/// about 4 MiB), far below what would exhaust memory.
pub(crate) const TEXT_CAP: u64 = 64 << 20;

/// What a non-regular file is, for messages.
pub(crate) fn kind(meta: &Metadata) -> &'static str {
    let ft = meta.file_type();
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "a device";
        }
        if ft.is_socket() {
            return "a socket";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

fn refused(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// Opens `path` for reading only when it is a regular file (links are followed). The open
/// itself never blocks: a FIFO is opened non-blocking and refused.
pub(crate) fn open_regular(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(refused(format!(
            "not a regular file (it is {}); dpc reads regular files only",
            kind(&meta)
        )));
    }
    Ok(file)
}

/// The text of a regular file of at most `cap` bytes.
pub(crate) fn read_text(path: &Path, cap: u64) -> io::Result<String> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(refused(format!(
            "larger than {} MiB, the most dpc reads",
            cap >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// A file of the product in `dir` (`file` is a plain relative path dpc chose): read only
/// when it, after following links, is a regular file inside the product.
pub(crate) fn read_in_product(dir: &Path, file: &str) -> io::Result<String> {
    read_within(dir, file, "the product")
}

/// [`read_text`] of `dir/file`, refusing a symbolic link that leads out of `dir`; `scope`
/// names `dir` in the refusal ("the product", "the folder").
pub(crate) fn read_within(dir: &Path, file: &str, scope: &str) -> io::Result<String> {
    let path = dir.join(file);
    let meta = std::fs::symlink_metadata(&path)?;
    if meta.file_type().is_symlink() {
        let resolved = std::fs::canonicalize(&path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound {
                refused("a symbolic link to a file that does not exist".into())
            } else {
                e
            }
        })?;
        let root = std::fs::canonicalize(dir)?;
        if !resolved.starts_with(&root) {
            return Err(refused(format!(
                "a symbolic link to a file outside {scope}; dpc does not read it"
            )));
        }
    }
    read_text(&path, TEXT_CAP)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn special_and_outside_files_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let product = tmp.path().join("p");
        std::fs::create_dir(&product).unwrap();
        std::fs::write(tmp.path().join("secret"), "password: x\n").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), product.join("a.yaml")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", product.join("b.yaml")).unwrap();
        std::fs::write(product.join("c.yaml"), "ok: 1\n").unwrap();
        std::os::unix::fs::symlink("c.yaml", product.join("d.yaml")).unwrap();
        let outside = read_in_product(&product, "a.yaml").unwrap_err();
        assert!(
            outside.to_string().contains("outside the product"),
            "{outside}"
        );
        assert!(read_in_product(&product, "b.yaml").is_err());
        assert_eq!(read_in_product(&product, "d.yaml").unwrap(), "ok: 1\n");
        let dev = read_text(Path::new("/dev/zero"), 10).unwrap_err();
        assert!(dev.to_string().contains("a device"), "{dev}");
    }
}
