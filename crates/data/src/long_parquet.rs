//! Reading a long Parquet file into a [`RawTable`] through arrow's batch reader, column-wise.
//!
//! Dates may be `Date32`, `Date64`, `Timestamp` (any unit; a time zone is ignored, values are
//! UTC), integers (`YYYYMMDD` or epoch seconds/milliseconds) or strings (any form accepted by
//! [`crate::dates::parse_timestamp`]). Numeric fields of any integer or float type are read as
//! `f64`, nulls as `NaN`; string fields are parsed like CSV cells.

use std::fs::File;
use std::path::Path;

use arrow::array::{Array, ArrayRef, AsArray, StringArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Date32Type, Date64Type, Float64Type, TimeUnit};
use arrow::record_batch::RecordBatch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::columns::{parse_number, LongLayout, Role};
use crate::dates::parse_timestamp;
use crate::error::DataError;
use crate::options::ReadOptions;
use crate::raw::RawTable;

/// Rows decoded per batch.
const BATCH: usize = 65_536;

/// Open a Parquet file: its column names and a batch iterator.
pub(crate) fn open_parquet(
    path: &Path,
) -> Result<
    (
        Vec<String>,
        usize,
        parquet::arrow::arrow_reader::ParquetRecordBatchReader,
    ),
    DataError,
> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| DataError::parquet(path, e))?;
    let names = builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().trim().to_string())
        .collect();
    let rows = usize::try_from(builder.metadata().file_metadata().num_rows()).unwrap_or(0);
    let reader = builder
        .with_batch_size(BATCH)
        .build()
        .map_err(|e| DataError::parquet(path, e))?;
    Ok((names, rows, reader))
}

/// Whether a type is text.
pub(crate) fn is_text(dt: &DataType) -> bool {
    match dt {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_text(v),
        _ => false,
    }
}

/// Whether a type converts to `f64`.
pub(crate) fn is_numeric(dt: &DataType) -> bool {
    dt.is_numeric() || matches!(dt, DataType::Boolean)
}

/// Cast to a plain `StringArray`.
pub(crate) fn as_strings(path: &Path, col: &ArrayRef) -> Result<StringArray, DataError> {
    let c = cast(col, &DataType::Utf8).map_err(|e| DataError::parquet(path, e))?;
    Ok(c.as_string::<i32>().clone())
}

/// Timestamps (seconds) of a date column; `Err(row)` names the first row that is null or
/// unparsable, with its text.
pub(crate) fn date_seconds(
    path: &Path,
    col: &ArrayRef,
) -> Result<Result<Vec<i64>, (usize, String)>, DataError> {
    let n = col.len();
    let mut out = Vec::with_capacity(n);
    let bad = |i: usize, s: String| Ok(Err((i, s)));
    match col.data_type() {
        DataType::Date32 => {
            for (i, v) in col.as_primitive::<Date32Type>().iter().enumerate() {
                match v {
                    Some(d) => out.push(i64::from(d) * 86_400),
                    None => return bad(i, "null".into()),
                }
            }
        }
        DataType::Date64 => {
            for (i, v) in col.as_primitive::<Date64Type>().iter().enumerate() {
                match v {
                    Some(ms) => out.push(ms.div_euclid(1000)),
                    None => return bad(i, "null".into()),
                }
            }
        }
        DataType::Timestamp(unit, _) => {
            let per_sec: i64 = match unit {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            };
            let c = cast(col, &DataType::Int64).map_err(|e| DataError::parquet(path, e))?;
            for (i, v) in c
                .as_primitive::<arrow::datatypes::Int64Type>()
                .iter()
                .enumerate()
            {
                match v {
                    Some(x) => out.push(x.div_euclid(per_sec)),
                    None => return bad(i, "null".into()),
                }
            }
        }
        dt if is_text(dt) || dt.is_integer() => {
            let s = as_strings(path, col)?;
            for i in 0..n {
                let text = if s.is_null(i) { "null" } else { s.value(i) };
                match parse_timestamp(text.as_bytes()) {
                    Some(x) => out.push(x),
                    None => return bad(i, text.to_string()),
                }
            }
        }
        other => {
            return Err(DataError::BadColumnType {
                file: path.display().to_string(),
                column: "date".into(),
                dtype: other.to_string(),
                hint: "store dates as date32, timestamp, integers YYYYMMDD or strings".into(),
            })
        }
    }
    Ok(Ok(out))
}

/// One column of a batch, prepared for row access.
enum Prepared {
    Numbers(usize, Vec<f64>),
    Texts(usize, StringArray),
    Meta(crate::columns::MetaField, StringArray),
    /// A column of an unusable type: skipped (listed among the ignored columns).
    Opaque(usize),
    Skip,
}

/// Read a long Parquet file into a [`RawTable`], validating every row.
pub(crate) fn read_long_parquet(path: &Path, opts: &ReadOptions) -> Result<RawTable, DataError> {
    let (names, rows, reader) = open_parquet(path)?;
    let layout = LongLayout::from_header(path, &names, &opts.required_fields)?;
    let mut table = RawTable::new(path.display().to_string(), true, opts.policy, layout, rows);
    let mut row0 = 0usize;
    for batch in reader {
        let batch = batch.map_err(|e| DataError::parquet(path, e))?;
        push_batch(path, &mut table, &batch, row0)?;
        row0 += batch.num_rows();
    }
    if table.n_rows() == 0 {
        return Err(DataError::Empty {
            file: path.display().to_string(),
        });
    }
    Ok(table)
}

fn push_batch(
    path: &Path,
    table: &mut RawTable,
    batch: &RecordBatch,
    row0: usize,
) -> Result<(), DataError> {
    let line_of = |i: usize| (row0 + i) as u64 + 2;
    let (dc, ac) = (table.layout.date, table.layout.asset);
    let secs = match date_seconds(path, batch.column(dc))? {
        Ok(s) => s,
        Err((i, text)) => {
            return Err(DataError::BadDate {
                loc: table.loc(line_of(i), dc, text),
            })
        }
    };
    let assets = as_strings(path, batch.column(ac))?;
    let mut prepared = Vec::new();
    let mut k = 0;
    for (col, role) in table.layout.roles.clone().iter().enumerate() {
        let arr = batch.column(col);
        let p = match role {
            Role::Date | Role::Asset => Prepared::Skip,
            Role::Meta(m) => Prepared::Meta(*m, as_strings(path, arr)?),
            Role::Field(name) => {
                k += 1;
                if is_numeric(arr.data_type()) || matches!(arr.data_type(), DataType::Null) {
                    let c =
                        cast(arr, &DataType::Float64).map_err(|e| DataError::parquet(path, e))?;
                    let c = c.as_primitive::<Float64Type>();
                    Prepared::Numbers(k - 1, c.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
                } else if is_text(arr.data_type()) {
                    Prepared::Texts(k - 1, as_strings(path, arr)?)
                } else if crate::columns::KNOWN_FIELDS.contains(&name.as_str()) {
                    return Err(DataError::BadColumnType {
                        file: path.display().to_string(),
                        column: names_of(table, col),
                        dtype: arr.data_type().to_string(),
                        hint: "store prices and volumes as numbers".into(),
                    });
                } else {
                    Prepared::Opaque(k - 1)
                }
            }
        };
        prepared.push(p);
    }
    for i in 0..batch.num_rows() {
        let line = line_of(i);
        let asset = if assets.is_null(i) {
            ""
        } else {
            assets.value(i).trim()
        };
        if asset.is_empty() {
            return Err(DataError::EmptyAsset {
                loc: table.loc(line, ac, ""),
            });
        }
        let id = table.begin_row(line, secs[i], asset.as_bytes());
        for p in &prepared {
            match p {
                Prepared::Numbers(k, v) => table.push_value(*k, Some(v[i]), line, b"")?,
                Prepared::Texts(k, s) => {
                    let text = if s.is_null(i) { "" } else { s.value(i) };
                    table.push_value(*k, parse_number(text.as_bytes()), line, text.as_bytes())?;
                }
                Prepared::Opaque(k) => table.push_value(*k, None, line, b"")?,
                Prepared::Meta(m, s) if !s.is_null(i) => {
                    table.set_meta(id, *m, s.value(i).as_bytes())
                }
                Prepared::Meta(..) | Prepared::Skip => {}
            }
        }
        table.finish_row(line)?;
    }
    Ok(())
}

fn names_of(table: &RawTable, col: usize) -> String {
    table.layout.names.get(col).cloned().unwrap_or_default()
}
