//! Options of the loaders and what they report back: [`ReadOptions`], [`WideOptions`],
//! [`ValidationPolicy`], [`LoadReport`] and the [`Repairs`] counted under the Repair policy.

use std::collections::BTreeMap;
use std::fmt;

use af_core::{Frequency, Panel};
use indexmap::IndexMap;
use serde::Serialize;

/// What a loader does with a row or value that fails validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum ValidationPolicy {
    /// The first problem aborts the load with a [`crate::DataError`] naming it.
    #[default]
    Strict,
    /// Problems are fixed and counted: duplicate rows keep the last, invalid rows are dropped,
    /// unsorted wide files are sorted. Unparsable values and dates still abort.
    Repair,
}

/// Options of [`crate::read_long`] and [`crate::read_panel`].
#[derive(Debug, Clone, PartialEq)]
pub struct ReadOptions {
    /// Strict (default) or Repair.
    pub policy: ValidationPolicy,
    /// Bar frequency; `None` infers it from the median step between distinct dates.
    pub frequency: Option<Frequency>,
    /// Fields that must be present besides `date` and `asset` (default: `close`).
    pub required_fields: Vec<String>,
    /// Options used when [`crate::read_panel`] finds a wide file.
    pub wide: WideOptions,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            policy: ValidationPolicy::Strict,
            frequency: None,
            required_fields: vec!["close".to_string()],
            wide: WideOptions::default(),
        }
    }
}

impl ReadOptions {
    /// Default options with the Repair policy.
    pub fn repair() -> Self {
        ReadOptions {
            policy: ValidationPolicy::Repair,
            wide: WideOptions {
                policy: ValidationPolicy::Repair,
                ..WideOptions::default()
            },
            ..ReadOptions::default()
        }
    }
}

/// Options of [`crate::read_wide`]: one column per asset holding one field.
#[derive(Debug, Clone, PartialEq)]
pub struct WideOptions {
    /// Name of the field the values are stored under (default `value`).
    pub field: String,
    /// Name of the date column. `None` looks for `date`, `datetime`, `timestamp` or `time`
    /// (case-insensitive); when none is there, rows are numbered as consecutive days from
    /// 1970-01-01 (row 1 = 1970-01-01, row 2 = 1970-01-02, …).
    pub date_column: Option<String>,
    /// Strict (default) or Repair (sort dates, keep the last of repeated dates).
    pub policy: ValidationPolicy,
    /// Bar frequency; `None` infers it.
    pub frequency: Option<Frequency>,
}

impl Default for WideOptions {
    fn default() -> Self {
        WideOptions {
            field: "value".to_string(),
            date_column: None,
            policy: ValidationPolicy::Strict,
            frequency: None,
        }
    }
}

/// Kind of repair made under [`ValidationPolicy::Repair`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum RepairKind {
    /// A repeated (date, asset) row; the earlier one was dropped.
    DuplicateRow,
    /// A row with a zero or negative price, dropped.
    NonPositivePrice,
    /// A row whose high is below its low, dropped.
    HighBelowLow,
    /// A row with a negative volume, dropped.
    NegativeVolume,
    /// A wide file's rows were out of date order and were sorted.
    UnsortedDates,
    /// A wide file repeated a date; the earlier row was dropped.
    DuplicateDate,
}

impl RepairKind {
    /// Short human name.
    pub fn as_str(self) -> &'static str {
        match self {
            RepairKind::DuplicateRow => "duplicate row (kept last)",
            RepairKind::NonPositivePrice => "non-positive price (row dropped)",
            RepairKind::HighBelowLow => "high < low (row dropped)",
            RepairKind::NegativeVolume => "negative volume (row dropped)",
            RepairKind::UnsortedDates => "unsorted dates (sorted)",
            RepairKind::DuplicateDate => "duplicate date (kept last)",
        }
    }
}

impl fmt::Display for RepairKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Name under which file-level repairs (those of wide files) are counted.
pub const ALL_ASSETS: &str = "(all assets)";

/// Every repair made while loading, counted per asset and kind, with the first messages kept.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Repairs {
    /// Count per asset (in first-repair order) and kind. File-level repairs use [`ALL_ASSETS`].
    pub per_asset: IndexMap<String, BTreeMap<RepairKind, usize>>,
    /// The messages of the first [`Repairs::MAX_MESSAGES`] problems, in the order found.
    pub messages: Vec<String>,
}

impl Repairs {
    /// How many problem messages are kept.
    pub const MAX_MESSAGES: usize = 200;

    /// Count one repair and keep its message while there is room.
    pub fn record(&mut self, asset: &str, kind: RepairKind, message: impl FnOnce() -> String) {
        let per = match self.per_asset.get_mut(asset) {
            Some(m) => m,
            None => self.per_asset.entry(asset.to_string()).or_default(),
        };
        *per.entry(kind).or_insert(0) += 1;
        if self.messages.len() < Self::MAX_MESSAGES {
            self.messages.push(message());
        }
    }

    /// Total number of repairs.
    pub fn total(&self) -> usize {
        self.per_asset.values().flat_map(|m| m.values()).sum()
    }

    /// Total number of repairs of one kind.
    pub fn count(&self, kind: RepairKind) -> usize {
        self.per_asset.values().filter_map(|m| m.get(&kind)).sum()
    }

    /// Number of repairs of one kind for one asset.
    pub fn count_for(&self, asset: &str, kind: RepairKind) -> usize {
        self.per_asset
            .get(asset)
            .and_then(|m| m.get(&kind))
            .copied()
            .unwrap_or(0)
    }

    /// Whether nothing was repaired.
    pub fn is_empty(&self) -> bool {
        self.per_asset.is_empty()
    }
}

/// What a loader returns: the panel, the repairs it made and a few facts about the input.
#[derive(Debug, Clone)]
pub struct LoadReport {
    /// The loaded panel.
    pub panel: Panel,
    /// Repairs made (always empty under the Strict policy).
    pub repairs: Repairs,
    /// Number of data rows read from the file.
    pub rows: usize,
    /// Columns that were neither date, asset, metadata nor numeric, and were skipped.
    pub ignored_columns: Vec<String>,
}
