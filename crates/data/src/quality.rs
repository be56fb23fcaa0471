//! The data-quality report behind `alphafactory data check FILE`.
//!
//! [`check_file`] loads a file with the Repair policy (so every row-level problem is counted
//! instead of aborting; unparsable values and dates still abort with their location) and reports:
//! size, date range and frequency, the missing share of every field, return outliers by robust
//! z-score (`|r − median| / (1.4826·MAD) > 5` on per-asset log returns of `close`), suspected
//! splits (a one-period close ratio within 3% of 1/2, 1/3, 1/4, 1/5, 1/10 or 2, 3, 4, 5, 10 with
//! |log return| > 0.5), calendar gaps, and the repairs made while loading.

use std::fmt;
use std::path::Path;

use serde::Serialize;

use crate::dates::format_datetime;
use crate::error::DataError;
use crate::options::{ReadOptions, Repairs, ValidationPolicy};
use crate::quality_checks::{gaps, outliers, splits};
pub use crate::quality_checks::{
    AssetOutliers, Gap, OutlierExample, Outliers, SplitSuspect, MAD_SCALE,
};

/// Options of [`check_file`].
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOptions {
    /// How to read the file (its policy is replaced by Repair).
    pub read: ReadOptions,
    /// Robust z-score above which a return is an outlier (default 5).
    pub z_threshold: f64,
    /// Relative tolerance around a split ratio (default 0.03).
    pub split_tolerance: f64,
    /// How many examples to keep per list (default 10).
    pub max_examples: usize,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            read: ReadOptions::repair(),
            z_threshold: 5.0,
            split_tolerance: 0.03,
            max_examples: 10,
        }
    }
}

/// Missing share of one field.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldMissing {
    /// Field name.
    pub field: String,
    /// Share of `NaN` cells in `[0, 1]`.
    pub missing_share: f64,
}

/// Everything [`check_file`] found about a file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QualityReport {
    /// File checked.
    pub file: String,
    /// `long` or `wide`.
    pub layout: String,
    /// Data rows in the file.
    pub rows: usize,
    /// Distinct dates.
    pub dates: usize,
    /// Assets.
    pub assets: usize,
    /// First date.
    pub first_date: Option<String>,
    /// Last date.
    pub last_date: Option<String>,
    /// Bar frequency (given or inferred).
    pub frequency: String,
    /// Missing share per field, in column order.
    pub missing: Vec<FieldMissing>,
    /// Return outliers (`None` when the panel has neither `close` nor a returns field).
    pub outliers: Option<Outliers>,
    /// Suspected splits (empty without `close`), at most `max_examples` kept.
    pub splits: Vec<SplitSuspect>,
    /// Total number of suspected splits.
    pub splits_total: usize,
    /// Calendar gaps, longest first, at most `max_examples` kept.
    pub gaps: Vec<Gap>,
    /// Total number of gaps.
    pub gaps_total: usize,
    /// Total number of missing bars over all gaps.
    pub gap_bars: usize,
    /// Repairs made while loading (each one a validation problem of the file).
    pub repairs: Repairs,
    /// Columns skipped as non-numeric.
    pub ignored_columns: Vec<String>,
}

impl QualityReport {
    /// Number of problems found: repairs, outliers, suspected splits and gaps.
    pub fn problem_count(&self) -> usize {
        self.repairs.total()
            + self.outliers.as_ref().map_or(0, |o| o.total)
            + self.splits_total
            + self.gaps_total
    }
}

/// Load `path` with the Repair policy and report every problem found. A file that cannot be
/// parsed (bad number or date, broken CSV, missing column) is still an error.
pub fn check_file(path: &Path, opts: &CheckOptions) -> Result<QualityReport, DataError> {
    let mut read = opts.read.clone();
    read.policy = ValidationPolicy::Repair;
    let long = crate::is_long(path)?;
    let report = crate::read_panel(path, &read)?;
    let panel = &report.panel;
    let n = panel.n_dates();
    let missing = panel
        .fields()
        .map(|(name, v)| FieldMissing {
            field: name.to_string(),
            missing_share: if v.is_empty() {
                0.0
            } else {
                v.iter().filter(|x| x.is_nan()).count() as f64 / v.len() as f64
            },
        })
        .collect();
    let close = panel.field("close").ok();
    let returns: Option<(Vec<f64>, String)> = if let Some(p) = close {
        let mut r = vec![f64::NAN; p.len()];
        for a in 0..panel.n_assets() {
            for t in 1..n {
                r[a * n + t] = (p[a * n + t] / p[a * n + t - 1]).ln();
            }
        }
        Some((r, "log returns of close".into()))
    } else {
        ["returns", "log_returns", "ret", "return"]
            .iter()
            .find_map(|f| {
                panel
                    .field(f)
                    .ok()
                    .map(|v| (v.to_vec(), format!("field `{f}`")))
            })
    };
    let outliers =
        returns.map(|(r, src)| outliers(panel, &r, &src, opts.z_threshold, opts.max_examples));
    let mut splits = close
        .map(|c| splits(panel, c, opts.split_tolerance))
        .unwrap_or_default();
    let splits_total = splits.len();
    splits.truncate(opts.max_examples);
    let mut gaps = gaps(panel.dates(), panel.frequency());
    let gaps_total = gaps.len();
    let gap_bars = gaps.iter().map(|g| g.missing).sum();
    gaps.sort_by_key(|g| std::cmp::Reverse(g.missing));
    gaps.truncate(opts.max_examples);
    Ok(QualityReport {
        file: path.display().to_string(),
        layout: if long { "long" } else { "wide" }.into(),
        rows: report.rows,
        dates: n,
        assets: panel.n_assets(),
        first_date: panel.dates().first().map(|d| format_datetime(d, false)),
        last_date: panel.dates().last().map(|d| format_datetime(d, false)),
        frequency: panel.frequency().to_string(),
        missing,
        outliers,
        splits,
        splits_total,
        gaps,
        gaps_total,
        gap_bars,
        repairs: report.repairs,
        ignored_columns: report.ignored_columns,
    })
}

impl fmt::Display for QualityReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let none = "-".to_string();
        writeln!(
            f,
            "Data quality report: {} ({} layout)",
            self.file, self.layout
        )?;
        writeln!(
            f,
            "  rows {:>12}   dates {:>8}   assets {:>6}   frequency {}",
            self.rows, self.dates, self.assets, self.frequency
        )?;
        writeln!(
            f,
            "  range {} .. {}",
            self.first_date.as_ref().unwrap_or(&none),
            self.last_date.as_ref().unwrap_or(&none)
        )?;
        writeln!(f, "\nMissing values\n  {:<24} {:>9}", "field", "missing")?;
        for m in &self.missing {
            writeln!(f, "  {:<24} {:>8.3}%", m.field, 100.0 * m.missing_share)?;
        }
        if !self.ignored_columns.is_empty() {
            writeln!(
                f,
                "  non-numeric columns skipped: {}",
                self.ignored_columns.join(", ")
            )?;
        }
        match &self.outliers {
            None => writeln!(f, "\nOutliers: skipped (no close or returns field)")?,
            Some(o) => {
                writeln!(
                    f,
                    "\nOutliers (|robust z| > {} on {}): {} in {} assets",
                    o.threshold,
                    o.source,
                    o.total,
                    o.per_asset.len()
                )?;
                for e in &o.worst {
                    writeln!(
                        f,
                        "  {:<12} {:<19} {:>12.6} z={:>8.1}",
                        e.asset, e.date, e.value, e.z
                    )?;
                }
            }
        }
        writeln!(f, "\nSuspected splits: {}", self.splits_total)?;
        for s in &self.splits {
            writeln!(
                f,
                "  {:<12} {:<19} ratio {:>8.4} (near {})",
                s.asset, s.date, s.ratio, s.near
            )?;
        }
        writeln!(
            f,
            "\nCalendar gaps: {} ({} missing bars)",
            self.gaps_total, self.gap_bars
        )?;
        for g in &self.gaps {
            writeln!(f, "  {} .. {}  {} missing", g.after, g.before, g.missing)?;
        }
        writeln!(f, "\nRepairs while loading: {}", self.repairs.total())?;
        for (asset, kinds) in &self.repairs.per_asset {
            for (kind, count) in kinds {
                writeln!(f, "  {asset:<12} {kind:<34} {count:>6}")?;
            }
        }
        for m in self
            .repairs
            .messages
            .iter()
            .take(self.repairs.messages.len().min(20))
        {
            writeln!(f, "  - {m}")?;
        }
        writeln!(f, "\nProblems found: {}", self.problem_count())
    }
}
