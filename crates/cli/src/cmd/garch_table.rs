//! Writers of `garch fit-many` results: JSON lines (nested), CSV and Parquet (flat).
//!
//! Flat columns, in order: `series`, `error`, `spec`, `nobs`, `loglikelihood`, `aic`, `bic`,
//! `converged`, `iterations`, `warnings` (joined by `; `), `param.NAME`…, `se.NAME`… (arch's
//! names), `forecast.h1`…`forecast.hH` (variance), `var.LEVEL`…, `es.LEVEL`…. A failed series has
//! its `series` and `error` and empty (null) cells elsewhere.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;
use arrow::array::{ArrayRef, BooleanArray, Float64Array, StringArray, UInt64Array};
use arrow::datatypes::{DataType, Field, Schema};
use arrow::record_batch::RecordBatch;
use parquet::arrow::ArrowWriter;

use super::many::Row;
use super::output::{self, ErrorJson, FitJson};
use super::ModelArgs;

/// Writes one JSON object per line: the `garch fit --json` object with a leading `series`, or
/// `{"series": …, "error": …}`.
pub fn write_jsonl(rows: &[Row], model: &ModelArgs, path: &Path) -> Result<()> {
    let mut out = BufWriter::new(File::create(path)?);
    for row in rows {
        match row {
            Row::Ok { series, fitted } => {
                let json = FitJson {
                    series: Some(series),
                    ..output::fit_json(fitted, model)
                };
                serde_json::to_writer(&mut out, &json)?;
            }
            Row::Failed { series, error } => {
                serde_json::to_writer(&mut out, &ErrorJson { series, error })?
            }
        }
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

/// One flat column: its name and one optional cell per row.
enum Column {
    Text(String, Vec<Option<String>>),
    Count(String, Vec<Option<u64>>),
    Flag(String, Vec<Option<bool>>),
    Number(String, Vec<Option<f64>>),
}

impl Column {
    fn name(&self) -> &str {
        match self {
            Column::Text(n, _)
            | Column::Count(n, _)
            | Column::Flag(n, _)
            | Column::Number(n, _) => n,
        }
    }

    fn cell(&self, i: usize) -> String {
        fn show<T: ToString>(v: &Option<T>) -> String {
            v.as_ref().map(|x| x.to_string()).unwrap_or_default()
        }
        match self {
            Column::Text(_, v) => show(&v[i]),
            Column::Count(_, v) => show(&v[i]),
            Column::Flag(_, v) => show(&v[i]),
            Column::Number(_, v) => show(&v[i]),
        }
    }

    fn to_arrow(&self) -> (Field, ArrayRef) {
        match self {
            Column::Text(n, v) => (
                Field::new(n, DataType::Utf8, true),
                Arc::new(StringArray::from(v.clone())) as ArrayRef,
            ),
            Column::Count(n, v) => (
                Field::new(n, DataType::UInt64, true),
                Arc::new(UInt64Array::from(v.clone())) as ArrayRef,
            ),
            Column::Flag(n, v) => (
                Field::new(n, DataType::Boolean, true),
                Arc::new(BooleanArray::from(v.clone())) as ArrayRef,
            ),
            Column::Number(n, v) => (
                Field::new(n, DataType::Float64, true),
                Arc::new(Float64Array::from(v.clone())) as ArrayRef,
            ),
        }
    }
}

/// The fit of a row, if any.
fn fitted(row: &Row) -> Option<&output::Fitted> {
    match row {
        Row::Ok { fitted, .. } => Some(fitted.as_ref()),
        Row::Failed { .. } => None,
    }
}

/// The flat table of `rows`; `names` are the model's parameter names.
fn columns(rows: &[Row], names: &[String], model: &ModelArgs) -> Vec<Column> {
    let ok = |f: &dyn Fn(&output::Fitted) -> Option<f64>| -> Vec<Option<f64>> {
        rows.iter().map(|r| fitted(r).and_then(f)).collect()
    };
    let mut cols = vec![
        Column::Text(
            "series".into(),
            rows.iter().map(|r| Some(r.series().to_string())).collect(),
        ),
        Column::Text(
            "error".into(),
            rows.iter()
                .map(|r| match r {
                    Row::Failed { error, .. } => Some(error.clone()),
                    Row::Ok { .. } => None,
                })
                .collect(),
        ),
        Column::Text(
            "spec".into(),
            rows.iter()
                .map(|r| fitted(r).map(|f| f.result.spec.to_string()))
                .collect(),
        ),
        Column::Count(
            "nobs".into(),
            rows.iter()
                .map(|r| fitted(r).map(|f| f.result.nobs as u64))
                .collect(),
        ),
        Column::Number(
            "loglikelihood".into(),
            ok(&|f| Some(f.result.loglikelihood)),
        ),
        Column::Number("aic".into(), ok(&|f| Some(f.result.aic))),
        Column::Number("bic".into(), ok(&|f| Some(f.result.bic))),
        Column::Flag(
            "converged".into(),
            rows.iter()
                .map(|r| fitted(r).map(|f| f.result.converged))
                .collect(),
        ),
        Column::Count(
            "iterations".into(),
            rows.iter()
                .map(|r| fitted(r).map(|f| f.result.iterations as u64))
                .collect(),
        ),
        Column::Text(
            "warnings".into(),
            rows.iter()
                .map(|r| fitted(r).map(|f| output::warning_texts(&f.result).join("; ")))
                .collect(),
        ),
    ];
    for name in names {
        cols.push(Column::Number(
            format!("param.{name}"),
            ok(&|f| f.result.params.get(name).copied()),
        ));
    }
    for name in names {
        cols.push(Column::Number(
            format!("se.{name}"),
            ok(&|f| f.result.std_err.get(name).copied()),
        ));
    }
    for h in 0..model.horizon {
        cols.push(Column::Number(
            format!("forecast.h{}", h + 1),
            ok(&|f| f.variance.get(h).copied()),
        ));
    }
    for (k, level) in model.var_levels.iter().enumerate() {
        cols.push(Column::Number(
            format!("var.{}", output::level_key(*level)),
            ok(&|f| f.var.get(k).copied()),
        ));
    }
    for (k, level) in model.var_levels.iter().enumerate() {
        cols.push(Column::Number(
            format!("es.{}", output::level_key(*level)),
            ok(&|f| f.es.get(k).copied()),
        ));
    }
    cols
}

/// Writes the flat table as CSV (empty cells where a value is missing).
pub fn write_csv(rows: &[Row], names: &[String], model: &ModelArgs, path: &Path) -> Result<()> {
    let cols = columns(rows, names, model);
    let mut out = csv::Writer::from_path(path)?;
    out.write_record(cols.iter().map(Column::name))?;
    for i in 0..rows.len() {
        out.write_record(cols.iter().map(|c| c.cell(i)))?;
    }
    out.flush()?;
    Ok(())
}

/// Writes the flat table as one Parquet row group (nullable columns).
pub fn write_parquet(rows: &[Row], names: &[String], model: &ModelArgs, path: &Path) -> Result<()> {
    let (fields, arrays): (Vec<Field>, Vec<ArrayRef>) = columns(rows, names, model)
        .iter()
        .map(Column::to_arrow)
        .unzip();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    let mut writer = ArrowWriter::try_new(File::create(path)?, schema, None)?;
    writer.write(&batch)?;
    writer.close()?;
    Ok(())
}
