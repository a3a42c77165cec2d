//! One writer at a time per folder of products: every command that writes to a product
//! holds an advisory lock on the folder that holds it. The product folder itself cannot
//! carry the lock, since an update swaps it for a new one.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a second writer waits for the first before giving up with a message.
const WAIT: Duration = Duration::from_secs(600);
const POLL: Duration = Duration::from_millis(25);

#[derive(Debug, thiserror::Error)]
pub(crate) enum LockError {
    #[error("cannot lock {} for writing: {source}", path.display())]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "another dpc command has been changing a product in {} for {} s; nothing was changed, try again when it has finished",
        path.display(), WAIT.as_secs()
    )]
    Busy { path: PathBuf },
}

/// The file the lock is taken on: the folder itself where folders open as files (Unix),
/// else a lock file in it (Windows opens no folder as a file).
fn open(parent: &Path) -> std::io::Result<File> {
    #[cfg(unix)]
    {
        File::open(parent)
    }
    #[cfg(not(unix))]
    {
        if !parent.is_dir() {
            return Err(std::io::ErrorKind::NotFound.into());
        }
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(parent.join(".dpc.lock"))
    }
}

/// Held while a product is written; released on drop.
#[derive(Debug)]
pub(crate) struct ProductLock {
    _file: Option<File>,
}

/// Locks the folder that holds `product`, waiting while another dpc
/// command holds it.
pub(crate) fn product(product: &Path) -> Result<ProductLock, LockError> {
    let parent = crate::write::parent_of(product);
    let file = match open(&parent) {
        Ok(file) => file,
        // No folder, so no product to protect: the command reports what is missing.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(ProductLock { _file: None });
        }
        Err(source) => {
            return Err(LockError::Open {
                path: parent.clone(),
                source,
            });
        }
    };
    let start = Instant::now();
    let mut told = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(ProductLock { _file: Some(file) }),
            Err(std::fs::TryLockError::WouldBlock) => {
                if start.elapsed() >= WAIT {
                    return Err(LockError::Busy { path: parent });
                }
                if !told {
                    eprintln!(
                        "waiting for another dpc command to finish changing a product in {}",
                        parent.display()
                    );
                    told = true;
                }
                std::thread::sleep(POLL);
            }
            // A filesystem without locks: go on unlocked rather than refuse to work.
            Err(std::fs::TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => {
                return Ok(ProductLock { _file: Some(file) });
            }
            Err(std::fs::TryLockError::Error(source)) => {
                return Err(LockError::Open {
                    path: parent,
                    source,
                });
            }
        }
    }
}
