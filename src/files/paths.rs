//! The one checked join for every path built from spec text (table names, revocation file
//! names, derived paths): the result stays inside the folder it was joined to.

use std::path::{Component, Path, PathBuf};

#[derive(Debug, thiserror::Error)]
#[error("{what} {name:?} cannot be used as a file name inside {}: {why}", base.display())]
pub(crate) struct PathError {
    pub what: &'static str,
    pub name: String,
    pub base: PathBuf,
    pub why: &'static str,
}

/// `base/rel` where `rel` is a relative path of plain names (`docs/README.md`): no root,
/// drive, `.` or `..`, no empty or NUL-holding parts.
pub(crate) fn join_inside(
    base: &Path,
    rel: &str,
    what: &'static str,
) -> Result<PathBuf, PathError> {
    let fail = |why| PathError {
        what,
        name: rel.to_string(),
        base: base.to_path_buf(),
        why,
    };
    if rel.is_empty() {
        return Err(fail("it is empty"));
    }
    if rel.contains('\0') {
        return Err(fail("it holds a NUL character"));
    }
    // A backslash is a separator on Windows; refuse it everywhere so a spec means the same.
    if rel.contains('\\') {
        return Err(fail("it holds a backslash"));
    }
    let path = Path::new(rel);
    if path.is_absolute() || rel.starts_with('/') {
        return Err(fail("it is an absolute path"));
    }
    for c in path.components() {
        match c {
            Component::Normal(_) => {}
            Component::ParentDir => return Err(fail("it climbs out with `..`")),
            Component::CurDir => return Err(fail("it holds `.`")),
            Component::RootDir | Component::Prefix(_) => {
                return Err(fail("it is an absolute path"));
            }
        }
    }
    if rel.split('/').any(str::is_empty) {
        return Err(fail("it holds an empty part"));
    }
    Ok(base.join(path))
}

/// `base/<name>.<ext>` where `name` must be a single plain file name (a table's data file).
pub(crate) fn file_in(
    base: &Path,
    name: &str,
    ext: &str,
    what: &'static str,
) -> Result<PathBuf, PathError> {
    if name.contains('/') {
        return Err(PathError {
            what,
            name: name.to_string(),
            base: base.to_path_buf(),
            why: "it holds a path separator",
        });
    }
    join_inside(base, &format!("{name}.{ext}"), what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_names_are_refused() {
        let base = Path::new("out");
        for bad in [
            "../x",
            "/abs/x",
            "a/../../x",
            "",
            ".",
            "..",
            "a//b",
            "a\\b",
            "x\0y",
            "./x",
        ] {
            assert!(join_inside(base, bad, "table").is_err(), "{bad:?}");
        }
        assert!(file_in(base, "a/b", "csv", "table").is_err());
        assert!(file_in(base, "..", "csv", "table").is_ok_and(|p| p == base.join("...csv")));
        assert_eq!(
            join_inside(base, "docs/README.md", "file").ok(),
            Some(base.join("docs/README.md"))
        );
    }
}
