//! alphafactory data layer: loading and writing market data, validation, derived fields and the
//! synthetic universe generator.
//!
//! * [`read_long`] — LONG files (`date, asset, open, high, low, close, volume`, optional `vwap`,
//!   `cap`, `sector`, `industry`, `subindustry`, `market`, any other numeric column kept as a
//!   field) into a [`Panel`], validated under a [`ValidationPolicy`], with a [`LoadReport`].
//! * [`read_wide`] — WIDE files (one column per asset for one field, optional `date` column).
//! * [`read_panel`] — sniffs long (has an `asset`/`ticker`/`symbol` column) vs wide.
//! * [`write_long`], [`write_wide`] — back to CSV or Parquet, chosen by extension.
//! * [`derived`] — returns, realized variance targets, realized volatility, ADV, VWAP fallback.
//! * [`quality`] — the data-quality report behind `alphafactory data check FILE`.
//!
//! The format is chosen by extension: `.csv` → CSV, `.parquet` / `.pq` → Parquet (case-insensitive).
//! Column names are matched case-insensitively.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod assemble;
pub mod columns;
pub mod dates;
pub mod derived;
pub mod error;
mod long_csv;
mod long_parquet;
pub mod options;
pub mod quality;
mod quality_checks;
mod raw;
pub mod synthetic;
mod wide;
mod write;

use std::path::Path;

use af_core::Panel;

pub use error::{DataError, Location};
pub use options::{LoadReport, ReadOptions, RepairKind, Repairs, ValidationPolicy, WideOptions};
pub use quality::{check_file, CheckOptions, QualityReport};
pub use wide::read_wide_report;
pub use write::{write_long, write_wide};

/// A file format, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Comma-separated values with a header line.
    Csv,
    /// Apache Parquet.
    Parquet,
}

impl FileFormat {
    /// The format of `path` by its extension (`.csv`, `.parquet`, `.pq`; case-insensitive).
    pub fn of(path: &Path) -> Result<Self, DataError> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(FileFormat::Csv),
            "parquet" | "pq" => Ok(FileFormat::Parquet),
            _ => Err(DataError::UnsupportedFormat {
                file: path.display().to_string(),
            }),
        }
    }
}

/// Read a LONG file (one row per date and asset) into a panel.
///
/// Dates are sorted, assets keep their first-seen order, cells without a row are `NaN`. Every row
/// is validated (prices > 0, high ≥ low, volume ≥ 0, no repeated (date, asset)); under
/// [`ValidationPolicy::Strict`] the first problem is returned as an error naming file, line,
/// column and value, under [`ValidationPolicy::Repair`] invalid rows are dropped, repeats keep the
/// last row, and every repair is counted in [`LoadReport::repairs`]. Unparsable numbers and dates
/// are errors under both policies.
pub fn read_long(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<LoadReport, DataError> {
    let path = path.as_ref();
    let raw = match FileFormat::of(path)? {
        FileFormat::Csv => long_csv::read_long_csv(path, opts)?,
        FileFormat::Parquet => long_parquet::read_long_parquet(path, opts)?,
    };
    assemble::assemble(raw, opts.frequency)
}

/// Read a WIDE file (one column per asset for one field) into a panel; see [`WideOptions`] for
/// the date column and the numbering of rows when there is none.
pub fn read_wide(path: impl AsRef<Path>, opts: &WideOptions) -> Result<Panel, DataError> {
    read_wide_report(path.as_ref(), opts).map(|r| r.panel)
}

/// Whether a file is LONG: its header has an `asset`, `ticker` or `symbol` column.
pub fn is_long(path: impl AsRef<Path>) -> Result<bool, DataError> {
    let path = path.as_ref();
    let names = match FileFormat::of(path)? {
        FileFormat::Csv => {
            let (mut reader, _) = long_csv::open_csv(path)?;
            long_csv::header(path, &mut reader)?
        }
        FileFormat::Parquet => long_parquet::open_parquet(path)?.0,
    };
    Ok(columns::has_asset_column(&names))
}

/// Read a file as LONG when it has an asset column, else as WIDE (with `opts.wide`, whose policy
/// and frequency are replaced by those of `opts`).
pub fn read_panel(path: impl AsRef<Path>, opts: &ReadOptions) -> Result<LoadReport, DataError> {
    let path = path.as_ref();
    if is_long(path)? {
        read_long(path, opts)
    } else {
        let mut wide = opts.wide.clone();
        wide.policy = opts.policy;
        wide.frequency = opts.frequency.or(wide.frequency);
        read_wide_report(path, &wide)
    }
}
