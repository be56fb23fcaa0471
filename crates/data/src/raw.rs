//! [`RawTable`]: the rows of a long file as read, before they are placed on the panel grid.
//!
//! Both long readers (CSV and Parquet) fill one `RawTable` row by row: the date and asset are
//! mapped to small integer ids through hash maps once, numeric fields go to one `Vec<f64>` per
//! column, and every row is validated as it arrives (positive prices, high ≥ low, volume ≥ 0).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use af_core::AssetMeta;

use crate::columns::{LongLayout, MetaField, Role, PRICE_FIELDS};
use crate::error::{DataError, Location};
use crate::options::{RepairKind, Repairs, ValidationPolicy};

/// Asset id of a row dropped by the Repair policy.
pub(crate) const DROPPED: u32 = u32::MAX;

/// A small multiplicative hasher (the FxHash scheme, with a final avalanche) for short keys: asset
/// names and timestamps.
#[derive(Default, Clone, Copy)]
pub(crate) struct FxHasher(u64);

impl Hasher for FxHasher {
    fn finish(&self) -> u64 {
        // The multiply only carries entropy upwards; fold the high bits down (MurmurHash3's
        // fmix64) so that keys differing only in later bytes still spread over the buckets.
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(buf));
        }
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

pub(crate) type FxBuild = BuildHasherDefault<FxHasher>;

/// Whether a numeric column has shown itself to be numbers or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColKind {
    /// Known field, or a non-empty number was seen: later text is an error.
    Numeric,
    /// Only empty cells so far.
    Undecided,
    /// The first non-empty cell was text: the column is skipped.
    Text,
}

/// One numeric column.
pub(crate) struct FieldCol {
    pub name: String,
    pub col: usize,
    pub kind: ColKind,
    pub values: Vec<f64>,
}

/// Maps a row index to its 1-based line in the file (header = line 1).
pub(crate) enum LineMap {
    /// `line = row + offset` for every row so far (no multi-line records).
    Offset(u64),
    /// Explicit line per row.
    Explicit(Vec<u64>),
}

impl LineMap {
    fn push(&mut self, row: usize, line: u64) {
        match self {
            LineMap::Offset(off) if row as u64 + *off == line => {}
            LineMap::Offset(off) => {
                let off = *off;
                let mut v: Vec<u64> = (0..row as u64).map(|r| r + off).collect();
                v.push(line);
                *self = LineMap::Explicit(v);
            }
            LineMap::Explicit(v) => v.push(line),
        }
    }

    pub fn line(&self, row: usize) -> u64 {
        match self {
            LineMap::Offset(off) => row as u64 + off,
            LineMap::Explicit(v) => v.get(row).copied().unwrap_or(0),
        }
    }
}

/// The rows of a long file.
pub(crate) struct RawTable {
    pub file: String,
    pub columnar: bool,
    pub policy: ValidationPolicy,
    pub layout: LongLayout,
    /// Distinct timestamps (seconds), in first-seen order; a row's date id indexes this.
    pub date_secs: Vec<i64>,
    date_ids: HashMap<i64, u32, FxBuild>,
    pub row_date: Vec<u32>,
    pub row_asset: Vec<u32>,
    pub assets: Vec<String>,
    asset_ids: HashMap<Box<[u8]>, u32, FxBuild>,
    pub meta: Vec<AssetMeta>,
    pub fields: Vec<FieldCol>,
    pub lines: LineMap,
    pub repairs: Repairs,
    last_date: Option<(i64, u32)>,
    /// Name and id of the previous row's asset (`DROPPED` id = none yet); the buffer is reused.
    last_asset: (Vec<u8>, u32),
    checks: RowChecks,
}

/// Indexes (into `fields`) of the columns validated per row.
#[derive(Default)]
struct RowChecks {
    prices: Vec<usize>,
    high: Option<usize>,
    low: Option<usize>,
    volume: Option<usize>,
}

impl RawTable {
    /// An empty table for `layout`, with room for about `rows_hint` rows.
    pub fn new(
        file: String,
        columnar: bool,
        policy: ValidationPolicy,
        layout: LongLayout,
        rows_hint: usize,
    ) -> Self {
        let mut fields = Vec::new();
        let mut checks = RowChecks::default();
        for (col, role) in layout.roles.iter().enumerate() {
            if let Role::Field(name) = role {
                let known = crate::columns::KNOWN_FIELDS.contains(&name.as_str());
                let k = fields.len();
                if PRICE_FIELDS.contains(&name.as_str()) {
                    checks.prices.push(k);
                }
                match name.as_str() {
                    "high" => checks.high = Some(k),
                    "low" => checks.low = Some(k),
                    "volume" => checks.volume = Some(k),
                    _ => {}
                }
                fields.push(FieldCol {
                    name: name.clone(),
                    col,
                    kind: if known {
                        ColKind::Numeric
                    } else {
                        ColKind::Undecided
                    },
                    values: Vec::with_capacity(rows_hint),
                });
            }
        }
        RawTable {
            file,
            columnar,
            policy,
            layout,
            date_secs: Vec::new(),
            date_ids: HashMap::default(),
            row_date: Vec::with_capacity(rows_hint),
            row_asset: Vec::with_capacity(rows_hint),
            assets: Vec::new(),
            asset_ids: HashMap::default(),
            meta: Vec::new(),
            fields,
            lines: LineMap::Offset(2),
            repairs: Repairs::default(),
            last_date: None,
            last_asset: (Vec::new(), DROPPED),
            checks,
        }
    }

    /// Number of rows pushed.
    pub fn n_rows(&self) -> usize {
        self.row_asset.len()
    }

    /// A location in this file.
    pub fn loc(&self, line: u64, col: usize, value: impl Into<String>) -> Box<Location> {
        Box::new(Location {
            file: self.file.clone(),
            line,
            column: self.layout.names.get(col).cloned().unwrap_or_default(),
            column_index: col + 1,
            value: value.into(),
            columnar: self.columnar,
        })
    }

    /// Start a row: its line, timestamp and asset name. Returns the asset id.
    pub fn begin_row(&mut self, line: u64, secs: i64, asset: &[u8]) -> u32 {
        let row = self.n_rows();
        self.lines.push(row, line);
        let date_id = match self.last_date {
            Some((s, id)) if s == secs => id,
            _ => {
                let next = self.date_secs.len() as u32;
                let id = *self.date_ids.entry(secs).or_insert(next);
                if id == next {
                    self.date_secs.push(secs);
                }
                self.last_date = Some((secs, id));
                id
            }
        };
        let asset_id = match &self.last_asset {
            (name, id) if *id != DROPPED && name.as_slice() == asset => *id,
            _ => {
                let id = match self.asset_ids.get(asset) {
                    Some(&id) => id,
                    None => {
                        let id = self.assets.len() as u32;
                        self.asset_ids.insert(asset.into(), id);
                        self.assets
                            .push(String::from_utf8_lossy(asset).trim().to_string());
                        self.meta.push(AssetMeta::default());
                        id
                    }
                };
                self.last_asset.0.clear();
                self.last_asset.0.extend_from_slice(asset);
                self.last_asset.1 = id;
                id
            }
        };
        self.row_date.push(date_id);
        self.row_asset.push(asset_id);
        asset_id
    }

    /// Set a metadata value of the current row's asset (the first non-empty value wins).
    pub fn set_meta(&mut self, asset_id: u32, which: MetaField, value: &[u8]) {
        let Some(meta) = self.meta.get_mut(asset_id as usize) else {
            return;
        };
        let slot = match which {
            MetaField::Sector => &mut meta.sector,
            MetaField::Industry => &mut meta.industry,
            MetaField::SubIndustry => &mut meta.subindustry,
            MetaField::Market => &mut meta.market,
        };
        if slot.is_none() {
            let v = String::from_utf8_lossy(value).trim().to_string();
            if !v.is_empty() {
                *slot = Some(v);
            }
        }
    }

    /// Push the value of field `k` for the current row; `None` means the cell was not a number.
    /// Returns an error when a numeric column holds text.
    pub fn push_value(
        &mut self,
        k: usize,
        parsed: Option<f64>,
        line: u64,
        raw: &[u8],
    ) -> Result<(), DataError> {
        let f = &mut self.fields[k];
        match (parsed, f.kind) {
            (_, ColKind::Text) => {}
            (Some(v), kind) => {
                if kind == ColKind::Undecided && !v.is_nan() {
                    f.kind = ColKind::Numeric;
                }
                f.values.push(v);
            }
            (None, ColKind::Undecided) => {
                f.kind = ColKind::Text;
                f.values = Vec::new();
            }
            (None, ColKind::Numeric) => {
                let col = f.col;
                let loc = self.loc(line, col, String::from_utf8_lossy(raw));
                return Err(DataError::BadNumber { loc });
            }
        }
        Ok(())
    }

    /// Validate the current (complete) row: positive prices, high ≥ low, volume ≥ 0.
    /// Strict: the first failure is returned. Repair: the row is dropped and the repair counted.
    pub fn finish_row(&mut self, line: u64) -> Result<(), DataError> {
        let row = self.n_rows() - 1;
        let value = |s: &Self, k: usize| s.fields[k].values.get(row).copied().unwrap_or(f64::NAN);
        let mut failure: Option<(RepairKind, usize, f64)> = None;
        for &k in &self.checks.prices {
            let v = value(self, k);
            if v <= 0.0 {
                failure = Some((RepairKind::NonPositivePrice, k, v));
                break;
            }
        }
        if failure.is_none() {
            if let (Some(h), Some(l)) = (self.checks.high, self.checks.low) {
                if value(self, h) < value(self, l) {
                    failure = Some((RepairKind::HighBelowLow, h, value(self, h)));
                }
            }
        }
        if failure.is_none() {
            if let Some(k) = self.checks.volume {
                if value(self, k) < 0.0 {
                    failure = Some((RepairKind::NegativeVolume, k, value(self, k)));
                }
            }
        }
        let Some((kind, k, v)) = failure else {
            return Ok(());
        };
        let asset = self.assets[self.row_asset[row] as usize].clone();
        let loc = self.loc(line, self.fields[k].col, v.to_string());
        let err = match kind {
            RepairKind::NonPositivePrice => DataError::NonPositivePrice {
                loc,
                asset: asset.clone(),
            },
            RepairKind::HighBelowLow => DataError::HighBelowLow {
                loc,
                low: self.checks.low.map(|l| value(self, l)).unwrap_or(f64::NAN),
                asset: asset.clone(),
            },
            _ => DataError::NegativeVolume {
                loc,
                asset: asset.clone(),
            },
        };
        match self.policy {
            ValidationPolicy::Strict => Err(err),
            ValidationPolicy::Repair => {
                self.row_asset[row] = DROPPED;
                self.repairs.record(&asset, kind, || err.to_string());
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn hasher_spreads_keys_that_share_their_first_bytes() {
        // Ticker-like keys differ only in later bytes; the bucket index (low bits) must still vary.
        let build = FxBuild::default();
        let buckets: std::collections::HashSet<u64> = (0..1000)
            .map(|i| build.hash_one(format!("A{i:05}").as_bytes()) & 1023)
            .collect();
        assert!(
            buckets.len() > 550,
            "{} distinct buckets of 1000 keys",
            buckets.len()
        );
    }

    #[test]
    fn line_map_switches_to_explicit_lines() {
        let mut m = LineMap::Offset(2);
        m.push(0, 2);
        m.push(1, 3);
        m.push(2, 5); // a quoted cell spanned line 4
        m.push(3, 6);
        assert_eq!([m.line(0), m.line(1), m.line(2), m.line(3)], [2, 3, 5, 6]);
    }
}
