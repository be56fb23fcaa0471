//! Reading WIDE files: one column per asset holding one field (e.g. returns), one row per date.
//!
//! The date column is optional. Without it, rows are numbered as consecutive calendar days from
//! 1970-01-01 (first data row = 1970-01-01, second = 1970-01-02, …) and the frequency is daily.
//! Dates must increase strictly; under the Repair policy rows are sorted (stable) and a repeated
//! date keeps its last row, each repair counted under [`crate::options::ALL_ASSETS`].

use std::path::Path;

use af_core::Panel;
use arrow::array::{Array, AsArray};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Float64Type};

use crate::columns::{parse_number, DATE_NAMES};
use crate::dates::{format_datetime, infer_frequency, to_datetime};
use crate::error::DataError;
use crate::long_csv::{csv_error, header, location, open_csv};
use crate::long_parquet::{as_strings, date_seconds, is_numeric, is_text, open_parquet};
use crate::options::{LoadReport, RepairKind, Repairs, ValidationPolicy, WideOptions, ALL_ASSETS};

/// The columns of a wide file, read.
struct WideData {
    names: Vec<String>,
    date_col: Option<usize>,
    secs: Vec<i64>,
    lines: Vec<u64>,
    /// One vector per asset column, in header order (date column excluded).
    cols: Vec<Vec<f64>>,
    columnar: bool,
}

/// Index of the date column: the one named in `opts`, else the first of `date`, `datetime`,
/// `timestamp`, `time`; `None` when absent.
fn find_date_column(
    path: &Path,
    names: &[String],
    opts: &WideOptions,
) -> Result<Option<usize>, DataError> {
    match &opts.date_column {
        Some(want) => names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(want.trim()))
            .map(Some)
            .ok_or_else(|| DataError::MissingColumn {
                file: path.display().to_string(),
                column: want.clone(),
                found: names.join(", "),
                hint: "pass the name of the date column, or none to number the rows".into(),
            }),
        None => Ok(names
            .iter()
            .position(|n| DATE_NAMES.contains(&n.to_ascii_lowercase().as_str()))),
    }
}

/// Asset columns must be unique and non-empty.
fn check_assets(path: &Path, names: &[String], date_col: Option<usize>) -> Result<(), DataError> {
    for (j, n) in names.iter().enumerate() {
        if Some(j) == date_col {
            continue;
        }
        let first = names[..j].iter().position(|m| m == n);
        if n.is_empty() || first.is_some() {
            return Err(DataError::DuplicateColumn {
                file: path.display().to_string(),
                column: n.clone(),
                index: j + 1,
                first: first.map_or(0, |i| i + 1),
            });
        }
    }
    Ok(())
}

fn read_wide_csv(path: &Path, opts: &WideOptions) -> Result<WideData, DataError> {
    let (mut reader, _) = open_csv(path)?;
    let names = header(path, &mut reader)?;
    let date_col = find_date_column(path, &names, opts)?;
    check_assets(path, &names, date_col)?;
    let asset_cols: Vec<usize> = (0..names.len()).filter(|&j| Some(j) != date_col).collect();
    let mut cols: Vec<Vec<f64>> = vec![Vec::new(); asset_cols.len()];
    let (mut secs, mut lines) = (Vec::new(), Vec::new());
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .map_err(|e| csv_error(path, &e))?
    {
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let s = match date_col {
            Some(dc) => {
                let raw = record.get(dc).unwrap_or_default();
                crate::dates::parse_timestamp(raw).ok_or_else(|| DataError::BadDate {
                    loc: location(path, line, &names[dc], dc, raw, false),
                })?
            }
            None => secs.len() as i64 * 86_400,
        };
        secs.push(s);
        lines.push(line);
        for (out, &j) in cols.iter_mut().zip(&asset_cols) {
            let cell = record.get(j).unwrap_or_default();
            let v = parse_number(cell).ok_or_else(|| DataError::BadNumber {
                loc: location(path, line, &names[j], j, cell, false),
            })?;
            out.push(v);
        }
    }
    Ok(WideData {
        names,
        date_col,
        secs,
        lines,
        cols,
        columnar: false,
    })
}

fn read_wide_parquet(path: &Path, opts: &WideOptions) -> Result<WideData, DataError> {
    let (names, rows, reader) = open_parquet(path)?;
    let date_col = find_date_column(path, &names, opts)?;
    check_assets(path, &names, date_col)?;
    let asset_cols: Vec<usize> = (0..names.len()).filter(|&j| Some(j) != date_col).collect();
    let mut cols: Vec<Vec<f64>> = vec![Vec::with_capacity(rows); asset_cols.len()];
    let mut secs = Vec::with_capacity(rows);
    for batch in reader {
        let batch = batch.map_err(|e| DataError::parquet(path, e))?;
        let row0 = secs.len();
        match date_col {
            Some(dc) => match date_seconds(path, batch.column(dc))? {
                Ok(s) => secs.extend(s),
                Err((i, text)) => {
                    let line = (row0 + i) as u64 + 2;
                    let loc = location(path, line, &names[dc], dc, text.as_bytes(), true);
                    return Err(DataError::BadDate { loc });
                }
            },
            None => secs.extend((row0..row0 + batch.num_rows()).map(|r| r as i64 * 86_400)),
        }
        for (out, &j) in cols.iter_mut().zip(&asset_cols) {
            let arr = batch.column(j);
            if is_numeric(arr.data_type()) || matches!(arr.data_type(), DataType::Null) {
                let c = cast(arr, &DataType::Float64).map_err(|e| DataError::parquet(path, e))?;
                out.extend(
                    c.as_primitive::<Float64Type>()
                        .iter()
                        .map(|v| v.unwrap_or(f64::NAN)),
                );
            } else if is_text(arr.data_type()) {
                let s = as_strings(path, arr)?;
                for i in 0..s.len() {
                    let text = if s.is_null(i) { "" } else { s.value(i) };
                    let v = parse_number(text.as_bytes()).ok_or_else(|| DataError::BadNumber {
                        loc: location(
                            path,
                            (row0 + i) as u64 + 2,
                            &names[j],
                            j,
                            text.as_bytes(),
                            true,
                        ),
                    })?;
                    out.push(v);
                }
            } else {
                return Err(DataError::BadColumnType {
                    file: path.display().to_string(),
                    column: names[j].clone(),
                    dtype: arr.data_type().to_string(),
                    hint: "every non-date column of a wide file must hold numbers".into(),
                });
            }
        }
    }
    let lines = (0..secs.len() as u64).map(|r| r + 2).collect();
    Ok(WideData {
        names,
        date_col,
        secs,
        lines,
        cols,
        columnar: true,
    })
}

/// Check (Strict) or repair (Repair) the date order, then build the panel.
fn finish(path: &Path, data: WideData, opts: &WideOptions) -> Result<LoadReport, DataError> {
    let rows = data.secs.len();
    if rows == 0 {
        return Err(DataError::Empty {
            file: path.display().to_string(),
        });
    }
    let mut repairs = Repairs::default();
    let dc = data.date_col.unwrap_or(0);
    let date_name = data.names.get(dc).cloned().unwrap_or_default();
    let loc_of = |r: usize| {
        let text = format_datetime(&to_datetime(data.secs[r]), false);
        location(
            path,
            data.lines[r],
            &date_name,
            dc,
            text.as_bytes(),
            data.columnar,
        )
    };
    for r in 1..rows {
        let (prev, cur) = (data.secs[r - 1], data.secs[r]);
        if cur > prev {
            continue;
        }
        let err = if cur < prev {
            let prev = format_datetime(&to_datetime(prev), false);
            (
                RepairKind::UnsortedDates,
                DataError::UnsortedDates {
                    loc: loc_of(r),
                    prev,
                },
            )
        } else {
            let first = data.lines[r - 1];
            (
                RepairKind::DuplicateDate,
                DataError::DuplicateDate {
                    loc: loc_of(r),
                    first,
                },
            )
        };
        match opts.policy {
            ValidationPolicy::Strict => return Err(err.1),
            ValidationPolicy::Repair if err.0 == RepairKind::UnsortedDates => {
                repairs.record(ALL_ASSETS, err.0, || err.1.to_string());
            }
            ValidationPolicy::Repair => {}
        }
    }
    // Stable sort by date, keep the last row of each date.
    let mut order: Vec<usize> = (0..rows).collect();
    order.sort_by_key(|&r| data.secs[r]);
    let mut keep: Vec<usize> = Vec::with_capacity(rows);
    for &r in &order {
        match keep.last_mut() {
            Some(last) if data.secs[*last] == data.secs[r] => {
                let err = DataError::DuplicateDate {
                    loc: loc_of(r),
                    first: data.lines[*last],
                };
                repairs.record(ALL_ASSETS, RepairKind::DuplicateDate, || err.to_string());
                *last = r;
            }
            _ => keep.push(r),
        }
    }
    let secs: Vec<i64> = keep.iter().map(|&r| data.secs[r]).collect();
    let frequency = opts.frequency.unwrap_or_else(|| infer_frequency(&secs));
    let assets: Vec<String> = (0..data.names.len())
        .filter(|&j| Some(j) != data.date_col)
        .map(|j| data.names[j].clone())
        .collect();
    let mut panel = Panel::new(
        secs.iter().map(|&s| to_datetime(s)).collect(),
        assets,
        frequency,
    )?;
    let mut values = Vec::with_capacity(keep.len() * data.cols.len());
    for col in &data.cols {
        values.extend(keep.iter().map(|&r| col[r]));
    }
    panel.insert_field(opts.field.clone(), values)?;
    Ok(LoadReport {
        panel,
        repairs,
        rows,
        ignored_columns: Vec::new(),
    })
}

/// Read a wide CSV or Parquet file, returning the panel and the repairs made.
pub fn read_wide_report(path: &Path, opts: &WideOptions) -> Result<LoadReport, DataError> {
    let data = match crate::FileFormat::of(path)? {
        crate::FileFormat::Csv => read_wide_csv(path, opts)?,
        crate::FileFormat::Parquet => read_wide_parquet(path, opts)?,
    };
    finish(path, data, opts)
}
