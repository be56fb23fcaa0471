//! Reading a long CSV file (`date, asset, field…` per row) into a [`RawTable`].
//!
//! Speed: records are read as byte records into one reused buffer (no per-cell `String`), the
//! previous row's date text and asset name are cached (long files are usually sorted by date or by
//! asset, so most rows hit the cache), and numbers go through the standard library's
//! Eisel–Lemire float parser.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use crate::columns::{LongLayout, MetaField, Role};
use crate::dates::parse_timestamp;
use crate::error::{DataError, Location};
use crate::options::ReadOptions;
use crate::raw::RawTable;

/// What to do with one column of a record.
#[derive(Clone, Copy)]
enum Action {
    Field(usize),
    Meta(MetaField),
}

/// Open a CSV file with a reused-buffer byte reader.
pub(crate) fn open_csv(path: &Path) -> Result<(csv::Reader<BufReader<File>>, u64), DataError> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .buffer_capacity(1 << 20)
        .from_reader(BufReader::with_capacity(1 << 20, file));
    Ok((reader, len))
}

/// The header of a CSV reader as trimmed strings (a UTF-8 byte-order mark is dropped).
pub(crate) fn header(
    path: &Path,
    reader: &mut csv::Reader<BufReader<File>>,
) -> Result<Vec<String>, DataError> {
    let h = reader.byte_headers().map_err(|e| csv_error(path, &e))?;
    let names: Vec<String> = h
        .iter()
        .map(|b| {
            let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
            String::from_utf8_lossy(b).trim().to_string()
        })
        .collect();
    if names.iter().all(String::is_empty) {
        return Err(DataError::Empty {
            file: path.display().to_string(),
        });
    }
    Ok(names)
}

/// A `csv` crate error as a [`DataError`] with its line.
pub(crate) fn csv_error(path: &Path, e: &csv::Error) -> DataError {
    let file = path.display().to_string();
    if let csv::ErrorKind::Io(io) = e.kind() {
        return DataError::Io {
            file,
            error: std::io::Error::new(io.kind(), io.to_string()),
        };
    }
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("row has {len} fields but the header has {expected_len}")
        }
        _ => e.to_string(),
    };
    DataError::Csv {
        file,
        line,
        message,
    }
}

/// Read a long CSV file into a [`RawTable`], validating every row.
pub(crate) fn read_long_csv(path: &Path, opts: &ReadOptions) -> Result<RawTable, DataError> {
    let (mut reader, file_len) = open_csv(path)?;
    let names = header(path, &mut reader)?;
    let layout = LongLayout::from_header(path, &names, &opts.required_fields)?;
    let mut record = csv::ByteRecord::new();
    let first = reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(path, &e))?;
    if !first {
        return Err(DataError::Empty {
            file: path.display().to_string(),
        });
    }
    let row_bytes = record.as_slice().len() as u64 + record.len() as u64 + 1;
    let rows_hint = usize::try_from(file_len / row_bytes.max(8) + 16)
        .unwrap_or(1024)
        .min(1 << 31);
    let mut table = RawTable::new(
        path.display().to_string(),
        false,
        opts.policy,
        layout,
        rows_hint,
    );

    let mut actions: Vec<(usize, Action)> = Vec::new();
    let mut k = 0;
    for (col, role) in table.layout.roles.iter().enumerate() {
        match role {
            Role::Field(_) => {
                actions.push((col, Action::Field(k)));
                k += 1;
            }
            Role::Meta(m) => actions.push((col, Action::Meta(*m))),
            Role::Date | Role::Asset => {}
        }
    }
    let (date_col, asset_col) = (table.layout.date, table.layout.asset);
    let mut last_date: Vec<u8> = Vec::new();
    let mut last_secs = 0i64;
    loop {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let date_raw = record.get(date_col).unwrap_or_default();
        if date_raw != last_date.as_slice() || last_date.is_empty() {
            last_secs = parse_timestamp(date_raw).ok_or_else(|| DataError::BadDate {
                loc: table.loc(line, date_col, String::from_utf8_lossy(date_raw)),
            })?;
            last_date.clear();
            last_date.extend_from_slice(date_raw);
        }
        let asset = record.get(asset_col).unwrap_or_default().trim_ascii();
        if asset.is_empty() {
            return Err(DataError::EmptyAsset {
                loc: table.loc(line, asset_col, ""),
            });
        }
        let asset_id = table.begin_row(line, last_secs, asset);
        for &(col, action) in &actions {
            let cell = record.get(col).unwrap_or_default();
            match action {
                Action::Field(k) => {
                    let v = crate::columns::parse_number(cell);
                    table.push_value(k, v, line, cell)?;
                }
                Action::Meta(m) => table.set_meta(asset_id, m, cell),
            }
        }
        table.finish_row(line)?;
        if !reader
            .read_byte_record(&mut record)
            .map_err(|e| csv_error(path, &e))?
        {
            break;
        }
    }
    Ok(table)
}

/// A location helper for readers without a [`RawTable`] (the wide reader).
pub(crate) fn location(
    path: &Path,
    line: u64,
    column: &str,
    index: usize,
    value: &[u8],
    columnar: bool,
) -> Box<Location> {
    Box::new(Location {
        file: path.display().to_string(),
        line,
        column: column.to_string(),
        column_index: index + 1,
        value: String::from_utf8_lossy(value).into_owned(),
        columnar,
    })
}
