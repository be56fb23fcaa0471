//! Input of `garch fit` / `fit-many`: the columns of a wide CSV or Parquet file as series.
//!
//! Files are read by [`af_data::read_wide`] (strict validation: a bad cell is an error naming the
//! file, line and column). A series may start later or end earlier than the file (leading and
//! trailing missing values are dropped, so series of different lengths can share one file); a
//! missing value inside a series is an error naming the column, date and row.

use std::path::Path;
use std::sync::Arc;

use af_data::{read_wide, WideOptions};
use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDateTime;

/// One column of the input file.
#[derive(Debug, Clone)]
pub struct Series {
    /// Column name.
    pub name: String,
    /// The file's dates (consecutive days from 1970-01-01 when it has no date column), shared by
    /// every column of the file.
    pub dates: Arc<[NaiveDateTime]>,
    /// Values, `NaN` where missing.
    pub values: Vec<f64>,
    /// Whether the file had a date column (otherwise errors name rows only).
    pub dated: bool,
}

/// Reads every non-date column of a wide file, in file order.
pub fn read_series(path: &Path) -> Result<Vec<Series>> {
    if !path.exists() {
        bail!("input file {} does not exist", path.display());
    }
    let opts = WideOptions {
        field: "value".to_string(),
        ..WideOptions::default()
    };
    let panel = read_wide(path, &opts).with_context(|| format!("reading {}", path.display()))?;
    let dates: Arc<[NaiveDateTime]> = Arc::from(panel.dates());
    let dated = has_date_column(&dates);
    let mut out = Vec::with_capacity(panel.n_assets());
    for (a, name) in panel.assets().iter().enumerate() {
        let values = panel
            .series("value", a)
            .with_context(|| format!("reading column {name} of {}", path.display()))?
            .to_vec();
        out.push(Series {
            name: name.clone(),
            dates: Arc::clone(&dates),
            values,
            dated,
        });
    }
    if out.is_empty() {
        bail!(
            "{} has no data column (only a date column?)",
            path.display()
        );
    }
    Ok(out)
}

/// af-data numbers the rows of an undated file as consecutive days from 1970-01-01.
fn has_date_column(dates: &[NaiveDateTime]) -> bool {
    let epoch = chrono::DateTime::UNIX_EPOCH.naive_utc();
    !dates
        .iter()
        .enumerate()
        .all(|(i, d)| *d == epoch + chrono::Duration::days(i as i64))
}

/// The column named `column`, or the first one when `None`.
pub fn choose_column<'a>(
    series: &'a [Series],
    column: Option<&str>,
    path: &Path,
) -> Result<&'a Series> {
    match column {
        None => series
            .first()
            .ok_or_else(|| anyhow!("{} has no data column", path.display())),
        Some(want) => series
            .iter()
            .find(|s| s.name == want)
            .or_else(|| series.iter().find(|s| s.name.eq_ignore_ascii_case(want)))
            .ok_or_else(|| {
                let names: Vec<&str> = series.iter().map(|s| s.name.as_str()).collect();
                anyhow!(
                    "--column {want}: no such column in {}; its columns are: {}",
                    path.display(),
                    names.join(", ")
                )
            }),
    }
}

/// The observed stretch of a series: leading and trailing missing values dropped; a missing or
/// infinite value inside it is an error naming the column and the date (or row).
pub fn observed(series: &Series) -> Result<&[f64]> {
    let first = series.values.iter().position(|v| !v.is_nan());
    let last = series.values.iter().rposition(|v| !v.is_nan());
    let (Some(first), Some(last)) = (first, last) else {
        bail!(
            "column {} has no values (every row is missing)",
            series.name
        );
    };
    let y = &series.values[first..=last];
    if let Some(i) = y.iter().position(|v| !v.is_finite()) {
        let row = first + i;
        let what = if y[i].is_nan() {
            "a missing value".to_string()
        } else {
            format!("the value {}", y[i])
        };
        bail!(
            "column {} has {what} at {} inside the series; fill or remove it before fitting",
            series.name,
            where_is(series, row)
        );
    }
    Ok(y)
}

/// "date 1999-03-02 (data row 45)" or "data row 45".
fn where_is(series: &Series, row: usize) -> String {
    match series.dates.get(row) {
        Some(d) if series.dated => format!("date {} (data row {})", d.format("%Y-%m-%d"), row + 1),
        _ => format!("data row {}", row + 1),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn series(values: Vec<f64>) -> Series {
        let epoch = chrono::DateTime::UNIX_EPOCH.naive_utc();
        let dates = (0..values.len())
            .map(|i| epoch + chrono::Duration::days(i as i64))
            .collect::<Vec<_>>()
            .into();
        Series {
            name: "X".into(),
            dates,
            values,
            dated: false,
        }
    }

    #[test]
    fn trims_leading_and_trailing_missing() {
        let s = series(vec![f64::NAN, 1.0, -2.0, f64::NAN]);
        assert_eq!(observed(&s).unwrap(), &[1.0, -2.0]);
    }

    #[test]
    fn interior_missing_names_the_row() {
        let s = series(vec![1.0, f64::NAN, 2.0]);
        let msg = observed(&s).unwrap_err().to_string();
        assert!(
            msg.contains("column X") && msg.contains("data row 2"),
            "{msg}"
        );
    }

    #[test]
    fn all_missing_is_an_error() {
        let msg = observed(&series(vec![f64::NAN; 3]))
            .unwrap_err()
            .to_string();
        assert!(msg.contains("no values"), "{msg}");
    }

    #[test]
    fn undated_files_are_recognized() {
        assert!(!has_date_column(&series(vec![1.0; 4]).dates));
    }
}
