//! Stores batches as files, one file per table: `<table>.csv`, `<table>.jsonl` or
//! `<table>.parquet`. Encoding a batch is pure (it runs on any core); [`TableWriter`] appends
//! encoded batches in order.

pub(crate) mod csv;
pub(crate) mod jsonl;
pub(crate) mod parquet;

use super::batch::Batch;
use super::compile::ColumnInfo;
use super::{DataError, Format};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A batch ready to append.
pub(crate) enum Encoded {
    Text(Vec<u8>),
    Arrow(arrow_array::RecordBatch),
}

/// Encodes a batch in `format` (pure; called on worker threads); text formats append to
/// `buf` (a used buffer, cleared).
pub(crate) fn encode(
    format: Format,
    columns: &[ColumnInfo],
    batch: &Batch,
    mut buf: Vec<u8>,
) -> Result<Encoded, String> {
    buf.clear();
    Ok(match format {
        Format::Csv => {
            csv::encode_into(columns, batch, &mut buf);
            Encoded::Text(buf)
        }
        Format::Jsonl => {
            jsonl::encode_into(columns, batch, &mut buf);
            Encoded::Text(buf)
        }
        Format::Parquet => Encoded::Arrow(parquet::encode(columns, batch)?),
    })
}

enum Sink {
    Text(BufWriter<File>),
    Parquet(Box<::parquet::arrow::ArrowWriter<File>>),
}

/// One table's file being written.
pub(crate) struct TableWriter {
    path: PathBuf,
    sink: Sink,
    pub bytes: u64,
}

impl TableWriter {
    pub(crate) fn create(
        path: &Path,
        format: Format,
        columns: &[ColumnInfo],
    ) -> Result<TableWriter, DataError> {
        let file = File::create(path).map_err(|e| DataError::write(path, e))?;
        let sink = match format {
            Format::Csv => {
                let mut w = BufWriter::with_capacity(1 << 20, file);
                w.write_all(&csv::header(columns))
                    .map_err(|e| DataError::write(path, e))?;
                Sink::Text(w)
            }
            Format::Jsonl => Sink::Text(BufWriter::with_capacity(1 << 20, file)),
            Format::Parquet => Sink::Parquet(Box::new(
                parquet::writer(file, columns).map_err(|e| DataError::write(path, e))?,
            )),
        };
        Ok(TableWriter {
            path: path.to_path_buf(),
            sink,
            bytes: 0,
        })
    }

    /// Appends a batch; gives back the text buffer for reuse.
    pub(crate) fn append(&mut self, encoded: Encoded) -> Result<Option<Vec<u8>>, DataError> {
        match (&mut self.sink, encoded) {
            (Sink::Text(w), Encoded::Text(bytes)) => {
                self.bytes += bytes.len() as u64;
                w.write_all(&bytes)
                    .map_err(|e| DataError::write(&self.path, e))?;
                Ok(Some(bytes))
            }
            (Sink::Parquet(w), Encoded::Arrow(batch)) => w
                .write(&batch)
                .map(|()| None)
                .map_err(|e| DataError::write(&self.path, e)),
            _ => Err(DataError::write(
                &self.path,
                "internal: batch encoded for another format",
            )),
        }
    }

    pub(crate) fn finish(self) -> Result<(), DataError> {
        let path = self.path;
        match self.sink {
            Sink::Text(mut w) => w.flush().map_err(|e| DataError::write(&path, e)),
            Sink::Parquet(w) => w
                .close()
                .map(|_| ())
                .map_err(|e| DataError::write(&path, e)),
        }
    }
}
