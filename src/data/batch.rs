//! Columnar batches of rows: what generators fill, writers store, readers produce and
//! checks read. Every cell is a value, a NULL, or text that is not a value of the column's
//! type (kept for the report).

use super::values::{self, Kind, Value};

/// The cell holds a value of the column's type.
pub(crate) const VALUE: u8 = 0;
/// The cell is NULL.
pub(crate) const NULL: u8 = 1;
/// The cell holds text that is not a value of the column's type.
pub(crate) const INVALID: u8 = 2;

/// Variable-length values (text, binary, JSON) packed end to end.
#[derive(Debug, Clone, Default)]
pub(crate) struct Bytes {
    pub data: Vec<u8>,
    pub ends: Vec<usize>,
}

impl Bytes {
    pub(crate) fn get(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.data[start..self.ends[i]]
    }

    pub(crate) fn push(&mut self, v: &[u8]) {
        self.data.extend_from_slice(v);
        self.ends.push(self.data.len());
    }

    /// Ends the current value after bytes appended to `data` directly.
    pub(crate) fn finish(&mut self) {
        self.ends.push(self.data.len());
    }
}

/// A replacement cell (see [`Column::apply`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    /// Text that is not a value of the column's type.
    Invalid(String),
    Value(Value),
    /// Raw bytes of a text, binary or JSON column.
    Bytes(Vec<u8>),
}

/// The values of one column; one entry per row (a placeholder where the cell is not a value).
#[derive(Debug, Clone)]
pub(crate) enum Data {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    Float(Vec<f64>),
    Decimal(Vec<i128>),
    Date(Vec<i32>),
    Timestamp(Vec<i64>),
    Bytes(Bytes),
}

impl Data {
    pub(crate) fn new(kind: Kind, capacity: usize) -> Data {
        match kind {
            Kind::Bool => Data::Bool(Vec::with_capacity(capacity)),
            Kind::Int { .. } => Data::Int(Vec::with_capacity(capacity)),
            Kind::Float { .. } => Data::Float(Vec::with_capacity(capacity)),
            Kind::Decimal { .. } => Data::Decimal(Vec::with_capacity(capacity)),
            Kind::Date => Data::Date(Vec::with_capacity(capacity)),
            Kind::Timestamp => Data::Timestamp(Vec::with_capacity(capacity)),
            Kind::Text | Kind::Binary | Kind::Nested => Data::Bytes(Bytes {
                data: Vec::with_capacity(capacity * 16),
                ends: Vec::with_capacity(capacity),
            }),
        }
    }

    fn push_placeholder(&mut self) {
        match self {
            Data::Bool(v) => v.push(false),
            Data::Int(v) => v.push(0),
            Data::Float(v) => v.push(0.0),
            Data::Decimal(v) => v.push(0),
            Data::Date(v) => v.push(0),
            Data::Timestamp(v) => v.push(0),
            Data::Bytes(b) => b.finish(),
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub kind: Kind,
    pub data: Data,
    /// [`VALUE`], [`NULL`] or [`INVALID`] per row.
    pub cells: Vec<u8>,
    /// The text of each [`INVALID`] cell, by row within the batch.
    pub invalid: Vec<(usize, String)>,
}

impl Column {
    /// Empties the column, keeping its allocations (batches are recycled: allocating and
    /// freeing large buffers on every batch makes threads wait on the allocator).
    pub(crate) fn clear(&mut self) {
        match &mut self.data {
            Data::Bool(v) => v.clear(),
            Data::Int(v) => v.clear(),
            Data::Float(v) => v.clear(),
            Data::Decimal(v) => v.clear(),
            Data::Date(v) => v.clear(),
            Data::Timestamp(v) => v.clear(),
            Data::Bytes(b) => {
                b.data.clear();
                b.ends.clear();
            }
        }
        self.cells.clear();
        self.invalid.clear();
    }

    /// A cleared column of `kind`: column `index` of `spare` when it has that kind, else new.
    pub(crate) fn reuse(
        spare: &mut Option<Batch>,
        index: usize,
        kind: Kind,
        capacity: usize,
    ) -> Column {
        match spare
            .as_mut()
            .and_then(|b| b.columns.get_mut(index))
            .and_then(Option::take)
        {
            Some(mut c) if c.kind == kind => {
                c.clear();
                c
            }
            _ => Column::new(kind, capacity),
        }
    }

    pub(crate) fn new(kind: Kind, capacity: usize) -> Column {
        Column {
            kind,
            data: Data::new(kind, capacity),
            cells: Vec::with_capacity(capacity),
            invalid: Vec::new(),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.cells.len()
    }

    pub(crate) fn push_null(&mut self) {
        self.data.push_placeholder();
        self.cells.push(NULL);
    }

    pub(crate) fn push_invalid(&mut self, text: &str) {
        self.invalid.push((self.cells.len(), text.to_string()));
        self.data.push_placeholder();
        self.cells.push(INVALID);
    }

    /// Appends a typed value; a value of the wrong variant is stored as invalid text.
    pub(crate) fn push_value(&mut self, v: &Value) {
        match (&mut self.data, v) {
            (Data::Bool(d), Value::Bool(b)) => d.push(*b),
            (Data::Int(d), Value::Int(i)) => d.push(*i),
            (Data::Float(d), Value::Float(f)) => d.push(*f),
            (Data::Decimal(d), Value::Decimal(x)) => d.push(*x),
            (Data::Date(d), Value::Date(x)) => d.push(*x),
            (Data::Timestamp(d), Value::Timestamp(x)) => d.push(*x),
            (Data::Bytes(b), Value::Text(s)) => b.push(s.as_bytes()),
            (_, other) => {
                let text = other.to_text(self.kind);
                self.push_invalid(&text);
                return;
            }
        }
        self.cells.push(VALUE);
    }

    pub(crate) fn push_int(&mut self, v: i64) {
        match &mut self.data {
            Data::Int(d) => {
                d.push(v);
                self.cells.push(VALUE);
            }
            _ => self.push_value(&Value::Int(v)),
        }
    }

    pub(crate) fn push_float(&mut self, v: f64) {
        match &mut self.data {
            Data::Float(d) => {
                d.push(v);
                self.cells.push(VALUE);
            }
            _ => self.push_value(&Value::Float(v)),
        }
    }

    pub(crate) fn push_decimal(&mut self, v: i128) {
        match &mut self.data {
            Data::Decimal(d) => {
                d.push(v);
                self.cells.push(VALUE);
            }
            _ => self.push_value(&Value::Decimal(v)),
        }
    }

    pub(crate) fn push_date(&mut self, v: i32) {
        match &mut self.data {
            Data::Date(d) => {
                d.push(v);
                self.cells.push(VALUE);
            }
            _ => self.push_value(&Value::Date(v)),
        }
    }

    pub(crate) fn push_timestamp(&mut self, v: i64) {
        match &mut self.data {
            Data::Timestamp(d) => {
                d.push(v);
                self.cells.push(VALUE);
            }
            _ => self.push_value(&Value::Timestamp(v)),
        }
    }

    pub(crate) fn push_bool(&mut self, v: bool) {
        match &mut self.data {
            Data::Bool(d) => {
                d.push(v);
                self.cells.push(VALUE);
            }
            _ => self.push_value(&Value::Bool(v)),
        }
    }

    /// Appends a text (or JSON, or raw binary) value.
    pub(crate) fn push_bytes(&mut self, v: &[u8]) {
        match &mut self.data {
            Data::Bytes(b) => {
                b.push(v);
                self.cells.push(VALUE);
            }
            _ => self.push_value(&Value::Text(String::from_utf8_lossy(v).into_owned())),
        }
    }

    /// Appends values stored end to end in `values`, delimited by `offsets` (one more than
    /// the values, Arrow style), with `valid` false for NULLs.
    pub(crate) fn extend_bytes(
        &mut self,
        values: &[u8],
        offsets: impl Iterator<Item = usize>,
        valid: impl Iterator<Item = bool>,
    ) {
        let Data::Bytes(b) = &mut self.data else {
            return;
        };
        let mut offsets = offsets.peekable();
        let Some(&first) = offsets.peek() else {
            return;
        };
        let base = b.data.len();
        let mut last = first;
        for o in offsets.skip(1) {
            b.ends.push(base + o.saturating_sub(first));
            last = o;
        }
        b.data
            .extend_from_slice(values.get(first..last).unwrap_or_default());
        self.cells
            .extend(valid.map(|v| if v { VALUE } else { NULL }));
    }

    /// Replaces cells: `changes` holds (row, new cell), rows ascending and distinct.
    pub(crate) fn apply(&mut self, changes: Vec<(usize, Cell)>) {
        if changes.is_empty() {
            return;
        }
        self.invalid
            .retain(|(r, _)| changes.binary_search_by_key(r, |(c, _)| *c).is_err());
        if let Data::Bytes(old) = &self.data {
            let mut rebuilt = Bytes {
                data: Vec::with_capacity(old.data.len() + 64 * changes.len()),
                ends: Vec::with_capacity(old.ends.len()),
            };
            let mut next = changes.iter().peekable();
            for row in 0..old.ends.len() {
                match next.next_if(|(r, _)| *r == row) {
                    Some((_, Cell::Value(Value::Text(t)))) => rebuilt.push(t.as_bytes()),
                    Some((_, Cell::Bytes(b))) => rebuilt.push(b),
                    Some(_) => rebuilt.finish(),
                    None => rebuilt.push(old.get(row)),
                }
            }
            self.data = Data::Bytes(rebuilt);
        }
        for (row, cell) in changes {
            let state = match cell {
                Cell::Null => NULL,
                Cell::Invalid(text) => {
                    self.invalid.push((row, text));
                    INVALID
                }
                Cell::Bytes(_) => VALUE,
                Cell::Value(v) => match (&mut self.data, v) {
                    (Data::Bool(d), Value::Bool(x)) => {
                        d[row] = x;
                        VALUE
                    }
                    (Data::Int(d), Value::Int(x)) => {
                        d[row] = x;
                        VALUE
                    }
                    (Data::Float(d), Value::Float(x)) => {
                        d[row] = x;
                        VALUE
                    }
                    (Data::Decimal(d), Value::Decimal(x)) => {
                        d[row] = x;
                        VALUE
                    }
                    (Data::Date(d), Value::Date(x)) => {
                        d[row] = x;
                        VALUE
                    }
                    (Data::Timestamp(d), Value::Timestamp(x)) => {
                        d[row] = x;
                        VALUE
                    }
                    (Data::Bytes(_), Value::Text(_)) => VALUE,
                    (_, other) => {
                        self.invalid.push((row, other.to_text(self.kind)));
                        INVALID
                    }
                },
            };
            self.cells[row] = state;
        }
        self.invalid.sort_by_key(|(r, _)| *r);
    }

    /// Appends the cell at `row` of `from` (a column of the same kind).
    pub(crate) fn push_cell(&mut self, from: &Column, row: usize) {
        match from.cells[row] {
            NULL => self.push_null(),
            INVALID => {
                let text = from
                    .invalid
                    .iter()
                    .find(|(r, _)| *r == row)
                    .map(|(_, t)| t.clone())
                    .unwrap_or_default();
                self.push_invalid(&text);
            }
            _ => match &from.data {
                Data::Bytes(b) => self.push_bytes(b.get(row)),
                _ => {
                    if let Some(v) = from.value(row) {
                        self.push_value(&v);
                    }
                }
            },
        }
    }

    /// Parses `text` as the column's type: a value, or an invalid cell. (Empty text is
    /// NULL; the caller decides that before.)
    pub(crate) fn push_text(&mut self, text: &[u8]) {
        let ok = match (&mut self.data, self.kind) {
            (Data::Bool(d), _) => values::parse_bool(text).map(|v| d.push(v)),
            (Data::Int(d), Kind::Int { bits }) => values::parse_int(text, bits).map(|v| d.push(v)),
            (Data::Float(d), Kind::Float { single }) => {
                values::parse_float(text, single).map(|v| d.push(v))
            }
            (Data::Decimal(d), Kind::Decimal { precision, scale }) => {
                values::parse_decimal(text, precision, scale).map(|v| d.push(v))
            }
            (Data::Date(d), _) => values::parse_date(text).map(|v| d.push(v)),
            (Data::Timestamp(d), _) => values::parse_timestamp(text).map(|v| d.push(v)),
            (Data::Bytes(b), Kind::Text) => std::str::from_utf8(text).ok().map(|_| b.push(text)),
            (Data::Bytes(b), Kind::Binary) => {
                use base64::Engine;
                base64::engine::general_purpose::STANDARD
                    .decode(text)
                    .ok()
                    .map(|raw| b.push(&raw))
            }
            (Data::Bytes(b), Kind::Nested) => std::str::from_utf8(text).ok().map(|_| b.push(text)),
            _ => None,
        };
        match ok {
            Some(()) => self.cells.push(VALUE),
            None => {
                let shown = String::from_utf8_lossy(text).into_owned();
                self.push_invalid(&shown);
            }
        }
    }

    /// The cell as text for reports: the value, `NULL`, or the invalid text.
    pub(crate) fn display(&self, row: usize) -> String {
        match self.cells[row] {
            NULL => "NULL".to_string(),
            INVALID => self
                .invalid
                .iter()
                .find(|(r, _)| *r == row)
                .map(|(_, t)| t.clone())
                .unwrap_or_default(),
            _ => self
                .value(row)
                .map_or_else(String::new, |v| match (&v, self.kind) {
                    (Value::Text(_), Kind::Binary) => {
                        use base64::Engine;
                        match &self.data {
                            Data::Bytes(b) => {
                                base64::engine::general_purpose::STANDARD.encode(b.get(row))
                            }
                            _ => String::new(),
                        }
                    }
                    _ => v.to_text(self.kind),
                }),
        }
    }

    /// The typed value of a [`VALUE`] cell.
    pub(crate) fn value(&self, row: usize) -> Option<Value> {
        if self.cells.get(row) != Some(&VALUE) {
            return None;
        }
        Some(match &self.data {
            Data::Bool(d) => Value::Bool(d[row]),
            Data::Int(d) => Value::Int(d[row]),
            Data::Float(d) => Value::Float(d[row]),
            Data::Decimal(d) => Value::Decimal(d[row]),
            Data::Date(d) => Value::Date(d[row]),
            Data::Timestamp(d) => Value::Timestamp(d[row]),
            Data::Bytes(b) => Value::Text(String::from_utf8_lossy(b.get(row)).into_owned()),
        })
    }
}

/// Consecutive rows of one table. `columns` follows the contract's column order; a column
/// the file does not have is `None`.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    /// Row number (0-based, data rows only) of the first row.
    pub first_row: u64,
    pub rows: usize,
    pub columns: Vec<Option<Column>>,
    /// Rows (within the batch) whose record did not have the file's shape; their cells are NULL.
    pub malformed: Vec<usize>,
}
