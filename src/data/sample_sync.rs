//! Sample data against the contract: `sample_data/<table>.csv` is what the product's own
//! tests read, so once its header no longer names the contract's columns (a column renamed,
//! added or removed) it is stale. `generate` rewrites such a file with create's rows;
//! `validate` reports it. A missing file is left alone (it may have been removed on purpose).

use crate::spec::ProductSpec;
use crate::write::sync::{Action, Entry};
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The folder `dpc create` writes sample rows into.
pub(crate) const SAMPLE_DIR: &str = "sample_data";

/// The first line of a CSV file's header fields, read without loading the file.
fn header(path: &Path) -> Option<Vec<String>> {
    let file = crate::files::safe_read::open_regular(path).ok()?;
    let mut line = Vec::new();
    BufReader::new(file.take(1 << 20))
        .read_until(b'\n', &mut line)
        .ok()?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(line.as_slice());
    let record = reader.records().next()?.ok()?;
    Some(
        record
            .iter()
            .map(|f| f.trim_start_matches('\u{feff}').to_string())
            .collect(),
    )
}

/// Sample files whose header differs from their table's columns: (path, why).
pub(crate) fn stale(dir: &Path, spec: &ProductSpec) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, table) in &spec.contract.tables {
        let rel = format!("{SAMPLE_DIR}/{name}.csv");
        let Ok(path) = crate::files::paths::join_inside(dir, &rel, "sample file") else {
            continue;
        };
        if !std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let expected: Vec<&str> = table
            .schema
            .fields
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        match header(&path) {
            Some(found) if found == expected => {}
            Some(found) => out.push((
                rel,
                format!(
                    "its columns ({}) are not the contract's ({})",
                    found.join(", "),
                    expected.join(", ")
                ),
            )),
            None => out.push((rel, "it has no readable header".into())),
        }
    }
    out
}

/// `generate`'s updates for stale sample files: create's rows for the current contract.
pub(crate) fn refresh(
    dir: &Path,
    spec: &ProductSpec,
) -> Result<Vec<Entry>, crate::data::DataError> {
    let stale = stale(dir, spec);
    if stale.is_empty() {
        return Ok(Vec::new());
    }
    let clock = crate::data::compile::Clock::now()?;
    let files = crate::data::generate::csv_files(
        spec,
        crate::data::generate::CREATE_ROWS,
        crate::data::generate::CREATE_SEED,
        clock,
    )?;
    Ok(files
        .into_iter()
        .filter(|(path, _)| stale.iter().any(|(p, _)| p == path))
        .map(|(path, text)| Entry {
            path,
            action: Action::Update,
            text: Some(text),
        })
        .collect())
}
