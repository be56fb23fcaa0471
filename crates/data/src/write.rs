//! Writing a panel back to CSV or Parquet, long or wide, the format chosen by extension.
//!
//! Long files list rows date-major (all assets of the first date, then the next date), with the
//! metadata columns that any asset fills, then every field. A (date, asset) whose fields are all
//! missing is not written. Dates are written as `YYYY-MM-DD` (Parquet `date32`) when every
//! timestamp is at midnight, else as `YYYY-MM-DD HH:MM:SS` (Parquet `timestamp[us]`). Missing
//! values are empty CSV cells and Parquet nulls. Floats are written in their shortest exact form,
//! so a CSV round trip is lossless.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use af_core::{AssetMeta, Panel};
use arrow::array::{ArrayRef, Date32Array, Float64Array, StringArray, TimestampMicrosecondArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef, TimeUnit};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use crate::dates::{all_midnight, format_datetime, to_seconds};
use crate::error::DataError;
use crate::FileFormat;

/// Rows per Parquet record batch.
const BATCH: usize = 65_536;

type MetaGetter = fn(&AssetMeta) -> Option<&String>;

/// The metadata columns that at least one asset fills.
fn meta_columns(panel: &Panel) -> Vec<(&'static str, MetaGetter)> {
    let all: [(&'static str, MetaGetter); 4] = [
        ("sector", |m| m.sector.as_ref()),
        ("industry", |m| m.industry.as_ref()),
        ("subindustry", |m| m.subindustry.as_ref()),
        ("market", |m| m.market.as_ref()),
    ];
    all.into_iter()
        .filter(|(_, get)| panel.meta().iter().any(|m| get(m).is_some()))
        .collect()
}

/// (date index, asset index) of every cell with at least one non-missing field, date-major.
fn long_cells(panel: &Panel) -> Vec<(usize, usize)> {
    let nd = panel.n_dates();
    let fields: Vec<&[f64]> = panel.fields().map(|(_, v)| v).collect();
    let mut out = Vec::new();
    for t in 0..nd {
        for a in 0..panel.n_assets() {
            if fields.iter().any(|f| !f[a * nd + t].is_nan()) {
                out.push((t, a));
            }
        }
    }
    out
}

fn create(path: &Path) -> Result<BufWriter<File>, DataError> {
    File::create(path)
        .map(|f| BufWriter::with_capacity(1 << 20, f))
        .map_err(|e| DataError::io(path, e))
}

/// Append `v` to `buf` in its shortest exact form (`Debug` switches to exponent notation for
/// very small and very large magnitudes); nothing for `NaN`.
fn push_float(buf: &mut Vec<u8>, v: f64) {
    if !v.is_nan() {
        // Writing into a Vec cannot fail.
        let _ = write!(buf, "{v:?}");
    }
}

/// Write a panel as a LONG file (`date, asset, [metadata], fields…`).
pub fn write_long(panel: &Panel, path: impl AsRef<Path>) -> Result<(), DataError> {
    let path = path.as_ref();
    match FileFormat::of(path)? {
        FileFormat::Csv => write_long_csv(panel, path),
        FileFormat::Parquet => write_long_parquet(panel, path),
    }
}

fn write_long_csv(panel: &Panel, path: &Path) -> Result<(), DataError> {
    let date_only = all_midnight(panel.dates());
    let metas = meta_columns(panel);
    let fields: Vec<(&str, &[f64])> = panel.fields().collect();
    let mut w = csv::WriterBuilder::new().from_writer(create(path)?);
    let mut head: Vec<&str> = vec!["date", "asset"];
    head.extend(metas.iter().map(|(n, _)| *n));
    head.extend(fields.iter().map(|(n, _)| *n));
    let io = |e: csv::Error| DataError::io(path, std::io::Error::other(e.to_string()));
    w.write_record(&head).map_err(io)?;
    let nd = panel.n_dates();
    let dates: Vec<String> = panel
        .dates()
        .iter()
        .map(|d| format_datetime(d, date_only))
        .collect();
    let mut rec = csv::ByteRecord::new();
    let mut buf = Vec::with_capacity(32);
    for (t, a) in long_cells(panel) {
        rec.clear();
        rec.push_field(dates[t].as_bytes());
        rec.push_field(panel.assets()[a].as_bytes());
        for (_, get) in &metas {
            rec.push_field(get(&panel.meta()[a]).map_or(&b""[..], |s| s.as_bytes()));
        }
        for (_, v) in &fields {
            buf.clear();
            push_float(&mut buf, v[a * nd + t]);
            rec.push_field(&buf);
        }
        w.write_byte_record(&rec).map_err(io)?;
    }
    w.flush().map_err(|e| DataError::io(path, e))
}

/// The date column type and a builder of its array for a set of date indices.
fn date_array(panel: &Panel, idx: &[usize], date_only: bool) -> ArrayRef {
    if date_only {
        let days = idx
            .iter()
            .map(|&t| (to_seconds(&panel.dates()[t]).div_euclid(86_400)) as i32);
        Arc::new(Date32Array::from_iter_values(days))
    } else {
        let us = idx
            .iter()
            .map(|&t| to_seconds(&panel.dates()[t]) * 1_000_000);
        Arc::new(TimestampMicrosecondArray::from_iter_values(us))
    }
}

fn date_type(date_only: bool) -> DataType {
    if date_only {
        DataType::Date32
    } else {
        DataType::Timestamp(TimeUnit::Microsecond, None)
    }
}

fn floats(values: impl Iterator<Item = f64>) -> ArrayRef {
    Arc::new(
        values
            .map(|v| (!v.is_nan()).then_some(v))
            .collect::<Float64Array>(),
    )
}

fn parquet_writer(
    path: &Path,
    schema: SchemaRef,
) -> Result<ArrowWriter<BufWriter<File>>, DataError> {
    let props = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .build();
    ArrowWriter::try_new(create(path)?, schema, Some(props))
        .map_err(|e| DataError::parquet(path, e))
}

fn write_long_parquet(panel: &Panel, path: &Path) -> Result<(), DataError> {
    let date_only = all_midnight(panel.dates());
    let metas = meta_columns(panel);
    let fields: Vec<(&str, &[f64])> = panel.fields().collect();
    let mut schema = vec![
        Field::new("date", date_type(date_only), false),
        Field::new("asset", DataType::Utf8, false),
    ];
    schema.extend(
        metas
            .iter()
            .map(|(n, _)| Field::new(*n, DataType::Utf8, true)),
    );
    schema.extend(
        fields
            .iter()
            .map(|(n, _)| Field::new(*n, DataType::Float64, true)),
    );
    let schema = Arc::new(Schema::new(schema));
    let mut writer = parquet_writer(path, schema.clone())?;
    let nd = panel.n_dates();
    let cells = long_cells(panel);
    for chunk in cells.chunks(BATCH) {
        let ts: Vec<usize> = chunk.iter().map(|c| c.0).collect();
        let mut cols: Vec<ArrayRef> = vec![
            date_array(panel, &ts, date_only),
            Arc::new(StringArray::from_iter_values(
                chunk.iter().map(|c| &panel.assets()[c.1]),
            )),
        ];
        for (_, get) in &metas {
            let s: StringArray = chunk.iter().map(|c| get(&panel.meta()[c.1])).collect();
            cols.push(Arc::new(s));
        }
        for (_, v) in &fields {
            cols.push(floats(chunk.iter().map(|&(t, a)| v[a * nd + t])));
        }
        let batch =
            RecordBatch::try_new(schema.clone(), cols).map_err(|e| DataError::parquet(path, e))?;
        writer
            .write(&batch)
            .map_err(|e| DataError::parquet(path, e))?;
    }
    writer.close().map_err(|e| DataError::parquet(path, e))?;
    Ok(())
}

/// Write one field of a panel as a WIDE file: a `date` column, then one column per asset.
pub fn write_wide(panel: &Panel, field: &str, path: impl AsRef<Path>) -> Result<(), DataError> {
    let path = path.as_ref();
    let values = panel.field(field)?;
    let nd = panel.n_dates();
    let date_only = all_midnight(panel.dates());
    match FileFormat::of(path)? {
        FileFormat::Csv => {
            let mut w = csv::WriterBuilder::new().from_writer(create(path)?);
            let io = |e: csv::Error| DataError::io(path, std::io::Error::other(e.to_string()));
            let mut head = vec!["date"];
            head.extend(panel.assets().iter().map(String::as_str));
            w.write_record(&head).map_err(io)?;
            let mut rec = csv::ByteRecord::new();
            let mut buf = Vec::with_capacity(32);
            for t in 0..nd {
                rec.clear();
                rec.push_field(format_datetime(&panel.dates()[t], date_only).as_bytes());
                for a in 0..panel.n_assets() {
                    buf.clear();
                    push_float(&mut buf, values[a * nd + t]);
                    rec.push_field(&buf);
                }
                w.write_byte_record(&rec).map_err(io)?;
            }
            w.flush().map_err(|e| DataError::io(path, e))
        }
        FileFormat::Parquet => {
            let mut schema = vec![Field::new("date", date_type(date_only), false)];
            schema.extend(
                panel
                    .assets()
                    .iter()
                    .map(|a| Field::new(a, DataType::Float64, true)),
            );
            let schema = Arc::new(Schema::new(schema));
            let mut writer = parquet_writer(path, schema.clone())?;
            let all: Vec<usize> = (0..nd).collect();
            for chunk in all.chunks(BATCH) {
                let mut cols = vec![date_array(panel, chunk, date_only)];
                for a in 0..panel.n_assets() {
                    cols.push(floats(chunk.iter().map(|&t| values[a * nd + t])));
                }
                let batch = RecordBatch::try_new(schema.clone(), cols)
                    .map_err(|e| DataError::parquet(path, e))?;
                writer
                    .write(&batch)
                    .map_err(|e| DataError::parquet(path, e))?;
            }
            writer.close().map_err(|e| DataError::parquet(path, e))?;
            Ok(())
        }
    }
}
