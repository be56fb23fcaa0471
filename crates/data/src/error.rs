//! [`DataError`]: every way a data file can be rejected, each message naming where (file, line,
//! column, value) and what to do about it.

use std::fmt;
use std::path::Path;

use af_core::CoreError;
use thiserror::Error;

/// Where a bad value sits in a file.
///
/// For CSV files `line` is the physical line, 1-based, the header being line 1. Parquet files have
/// no lines: `line` is then the 1-based record number plus one (as if the file had a header line),
/// and the location prints `record N` instead of `line N + 1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// File name as given by the caller.
    pub file: String,
    /// Line (CSV, header = 1) or record number plus one (Parquet).
    pub line: u64,
    /// Column name as written in the header.
    pub column: String,
    /// 1-based column index.
    pub column_index: usize,
    /// The offending value as text.
    pub value: String,
    /// Whether the file is a Parquet file (records, not lines).
    pub columnar: bool,
}

impl Location {
    /// `file, line L` (CSV) or `file, record R` (Parquet).
    pub fn position(&self) -> String {
        line_label(&self.file, self.line, self.columnar)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}, column `{}` (#{}), value `{}`",
            self.position(),
            self.column,
            self.column_index,
            self.value
        )
    }
}

/// `file, line L` for CSV, `file, record L-1` for Parquet.
pub(crate) fn line_label(file: &str, line: u64, columnar: bool) -> String {
    if columnar {
        format!("{file}, record {}", line.saturating_sub(1))
    } else {
        format!("{file}, line {line}")
    }
}

/// An error raised while reading, validating or writing market data.
#[derive(Debug, Error)]
pub enum DataError {
    /// The file could not be opened, read or written. The I/O error is part of the message (and
    /// deliberately not also a `source()`, so an error chain does not print it twice).
    #[error("{file}: {error}")]
    Io {
        /// File name.
        file: String,
        /// Underlying error.
        error: std::io::Error,
    },
    /// The file extension is not one of `.csv`, `.parquet`, `.pq`.
    #[error("{file}: unsupported file type; use a .csv, .parquet or .pq file (decompress .csv.gz first)")]
    UnsupportedFormat {
        /// File name.
        file: String,
    },
    /// The CSV structure is broken (for example a row with more or fewer fields than the header).
    #[error(
        "{file}, line {line}: malformed CSV: {message}; make every row have the header's columns"
    )]
    Csv {
        /// File name.
        file: String,
        /// 1-based line.
        line: u64,
        /// Parser message.
        message: String,
    },
    /// The Parquet file could not be decoded or encoded.
    #[error("{file}: parquet error: {message}")]
    Parquet {
        /// File name.
        file: String,
        /// Underlying message.
        message: String,
    },
    /// The file has no header or no data rows.
    #[error("{file}: no data rows; the file needs a header line and at least one row")]
    Empty {
        /// File name.
        file: String,
    },
    /// A required column is absent.
    #[error("{file}: missing required column `{column}` (columns found: {found}); {hint}")]
    MissingColumn {
        /// File name.
        file: String,
        /// Required column.
        column: String,
        /// Header as found.
        found: String,
        /// What to do.
        hint: String,
    },
    /// Two columns of the header map to the same name.
    #[error(
        "{file}, line 1: column `{column}` (#{index}) repeats column #{first}; rename or drop one"
    )]
    DuplicateColumn {
        /// File name.
        file: String,
        /// Column name.
        column: String,
        /// 1-based index of the repeat.
        index: usize,
        /// 1-based index of the first occurrence.
        first: usize,
    },
    /// A row of a long file has an empty asset.
    #[error("{loc}: empty asset; every row of a long file needs an asset identifier")]
    EmptyAsset {
        /// Where.
        loc: Box<Location>,
    },
    /// A cell that must be a number is not.
    #[error("{loc}: not a number; write a decimal number, or leave the cell empty (or NaN/NA) for a missing value")]
    BadNumber {
        /// Where.
        loc: Box<Location>,
    },
    /// A date cell could not be parsed.
    #[error("{loc}: unparsable date; use YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, YYYY-MM-DD[T ]HH:MM[:SS[.fff]][Z], or epoch seconds/milliseconds")]
    BadDate {
        /// Where.
        loc: Box<Location>,
    },
    /// A column of a Parquet file has a type the loader cannot use.
    #[error("{file}: column `{column}` has type {dtype}; {hint}")]
    BadColumnType {
        /// File name.
        file: String,
        /// Column name.
        column: String,
        /// Arrow data type.
        dtype: String,
        /// What to do.
        hint: String,
    },
    /// Two rows of a long file hold the same (date, asset).
    #[error("{position}: duplicate row for asset `{asset}` at {date} (first seen at {first}); remove one of them, or load with the Repair policy (keeps the last)")]
    DuplicateRow {
        /// `file, line L` of the repeat.
        position: String,
        /// `line L` of the first occurrence.
        first: String,
        /// Asset.
        asset: String,
        /// Date as text.
        date: String,
    },
    /// A price (open, high, low, close, vwap) is zero or negative.
    #[error("{loc}: price must be positive (asset `{asset}`); fix the price, leave it empty if unknown, or load with the Repair policy (drops the row)")]
    NonPositivePrice {
        /// Where.
        loc: Box<Location>,
        /// Asset of the row.
        asset: String,
    },
    /// `high < low` on one row.
    #[error("{loc}: high is below low ({low}) for asset `{asset}`; swap or fix them, or load with the Repair policy (drops the row)")]
    HighBelowLow {
        /// Where (the `high` cell).
        loc: Box<Location>,
        /// The low of that row.
        low: f64,
        /// Asset of the row.
        asset: String,
    },
    /// A negative volume.
    #[error("{loc}: volume must be zero or positive (asset `{asset}`); fix it, leave it empty if unknown, or load with the Repair policy (drops the row)")]
    NegativeVolume {
        /// Where.
        loc: Box<Location>,
        /// Asset of the row.
        asset: String,
    },
    /// A wide file's dates go backwards.
    #[error("{loc}: date is earlier than the previous row's `{prev}`; sort the file by date, or load with the Repair policy (sorts it)")]
    UnsortedDates {
        /// Where.
        loc: Box<Location>,
        /// Previous date.
        prev: String,
    },
    /// A wide file repeats a date.
    #[error("{loc}: date repeats line {first}; remove one of the rows, or load with the Repair policy (keeps the last)")]
    DuplicateDate {
        /// Where.
        loc: Box<Location>,
        /// Line of the first occurrence.
        first: u64,
    },
    /// A field named by the caller is not in the panel.
    #[error("{0}")]
    Core(#[from] CoreError),
    /// An argument given by the caller is invalid.
    #[error("invalid argument `{name}` = {value}: {hint}")]
    InvalidArgument {
        /// Argument name.
        name: &'static str,
        /// Given value.
        value: String,
        /// What is allowed.
        hint: String,
    },
}

impl DataError {
    /// An I/O error on `path`.
    pub(crate) fn io(path: &Path, error: std::io::Error) -> Self {
        DataError::Io {
            file: path.display().to_string(),
            error,
        }
    }

    /// A parquet/arrow error on `path`.
    pub(crate) fn parquet(path: &Path, e: impl fmt::Display) -> Self {
        DataError::Parquet {
            file: path.display().to_string(),
            message: e.to_string(),
        }
    }
}
