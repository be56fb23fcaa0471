//! The [`Panel`]: market data as dates × assets × fields.
//!
//! Layout: every field is one `Vec<f64>` of length `n_dates × n_assets`, **column-major by asset**:
//! the value of asset `a` at date index `t` lives at `a * n_dates + t`, so one asset's time series
//! is a contiguous slice (`panel.series(field, a)`). Missing values are `NaN`.
//! Asset metadata (sector, industry, sub-industry, market) is static per asset.

use chrono::NaiveDateTime;
use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::{CoreError, Frequency};

/// Static, categorical metadata of one asset. Empty strings are never stored: absent is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetMeta {
    /// GICS-style sector.
    pub sector: Option<String>,
    /// Industry.
    pub industry: Option<String>,
    /// Sub-industry.
    pub subindustry: Option<String>,
    /// Market or exchange.
    pub market: Option<String>,
}

/// Market data: `dates × assets × fields`, column-major `f64`, `NaN` for missing.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    dates: Vec<NaiveDateTime>,
    assets: Vec<String>,
    meta: Vec<AssetMeta>,
    fields: IndexMap<String, Vec<f64>>,
    frequency: Frequency,
}

impl Panel {
    /// An empty panel over the given (strictly increasing) dates and (unique) assets.
    pub fn new(
        dates: Vec<NaiveDateTime>,
        assets: Vec<String>,
        frequency: Frequency,
    ) -> Result<Self, CoreError> {
        for (i, w) in dates.windows(2).enumerate() {
            if w[1] <= w[0] {
                return Err(CoreError::UnsortedDates {
                    index: i + 1,
                    prev: w[0].to_string(),
                    next: w[1].to_string(),
                });
            }
        }
        let mut seen = std::collections::HashSet::with_capacity(assets.len());
        for a in &assets {
            if !seen.insert(a.as_str()) {
                return Err(CoreError::DuplicateAsset(a.clone()));
            }
        }
        let meta = vec![AssetMeta::default(); assets.len()];
        Ok(Panel {
            dates,
            assets,
            meta,
            fields: IndexMap::new(),
            frequency,
        })
    }

    /// Number of dates (rows of one series).
    pub fn n_dates(&self) -> usize {
        self.dates.len()
    }

    /// Number of assets.
    pub fn n_assets(&self) -> usize {
        self.assets.len()
    }

    /// Number of cells of one field (`n_dates × n_assets`).
    pub fn len(&self) -> usize {
        self.dates.len() * self.assets.len()
    }

    /// True when the panel has no cells.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The dates, strictly increasing.
    pub fn dates(&self) -> &[NaiveDateTime] {
        &self.dates
    }

    /// The asset identifiers, in column order.
    pub fn assets(&self) -> &[String] {
        &self.assets
    }

    /// Bar frequency.
    pub fn frequency(&self) -> Frequency {
        self.frequency
    }

    /// Index of an asset by name.
    pub fn asset_index(&self, asset: &str) -> Result<usize, CoreError> {
        self.assets
            .iter()
            .position(|a| a == asset)
            .ok_or_else(|| CoreError::UnknownAsset(asset.to_string()))
    }

    /// Metadata of every asset, in column order.
    pub fn meta(&self) -> &[AssetMeta] {
        &self.meta
    }

    /// Mutable metadata of every asset, in column order.
    pub fn meta_mut(&mut self) -> &mut [AssetMeta] {
        &mut self.meta
    }

    /// Field names in insertion order.
    pub fn field_names(&self) -> impl Iterator<Item = &str> {
        self.fields.keys().map(String::as_str)
    }

    /// Whether the panel holds a field.
    pub fn has_field(&self, name: &str) -> bool {
        self.fields.contains_key(name)
    }

    /// Insert or replace a field. `values` must hold `n_dates × n_assets` values, column-major.
    pub fn insert_field(
        &mut self,
        name: impl Into<String>,
        values: Vec<f64>,
    ) -> Result<(), CoreError> {
        let name = name.into();
        if values.len() != self.len() {
            return Err(CoreError::FieldLength {
                field: name,
                expected: self.len(),
                got: values.len(),
            });
        }
        self.fields.insert(name, values);
        Ok(())
    }

    /// Remove a field, returning its values.
    pub fn remove_field(&mut self, name: &str) -> Option<Vec<f64>> {
        self.fields.shift_remove(name)
    }

    /// A whole field, column-major.
    pub fn field(&self, name: &str) -> Result<&[f64], CoreError> {
        self.fields
            .get(name)
            .map(Vec::as_slice)
            .ok_or_else(|| self.unknown_field(name))
    }

    /// A whole field, mutable.
    pub fn field_mut(&mut self, name: &str) -> Result<&mut [f64], CoreError> {
        if !self.fields.contains_key(name) {
            return Err(self.unknown_field(name));
        }
        self.fields
            .get_mut(name)
            .map(Vec::as_mut_slice)
            .ok_or_else(|| CoreError::UnknownAsset(name.to_string()))
    }

    /// One asset's time series of one field (contiguous).
    pub fn series(&self, name: &str, asset: usize) -> Result<&[f64], CoreError> {
        let n = self.n_dates();
        let f = self.field(name)?;
        f.get(asset * n..(asset + 1) * n)
            .ok_or_else(|| CoreError::UnknownAsset(format!("#{asset}")))
    }

    /// Value of `field` for `asset` at date index `t`.
    pub fn get(&self, name: &str, t: usize, asset: usize) -> Result<f64, CoreError> {
        Ok(self
            .series(name, asset)?
            .get(t)
            .copied()
            .unwrap_or(f64::NAN))
    }

    /// Iterate over `(name, values)` of every field.
    pub fn fields(&self) -> impl Iterator<Item = (&str, &[f64])> {
        self.fields.iter().map(|(k, v)| (k.as_str(), v.as_slice()))
    }

    /// Share of missing (`NaN`) values in a field.
    pub fn missing_share(&self, name: &str) -> Result<f64, CoreError> {
        let f = self.field(name)?;
        if f.is_empty() {
            return Ok(0.0);
        }
        Ok(f.iter().filter(|v| v.is_nan()).count() as f64 / f.len() as f64)
    }

    /// A new panel holding only the given assets (by index), all fields and metadata kept.
    pub fn select_assets(&self, idx: &[usize]) -> Result<Panel, CoreError> {
        let n = self.n_dates();
        let mut assets = Vec::with_capacity(idx.len());
        let mut meta = Vec::with_capacity(idx.len());
        for &i in idx {
            let a = self
                .assets
                .get(i)
                .ok_or_else(|| CoreError::UnknownAsset(format!("#{i}")))?;
            assets.push(a.clone());
            meta.push(self.meta[i].clone());
        }
        let mut out = Panel::new(self.dates.clone(), assets, self.frequency)?;
        out.meta = meta;
        for (name, values) in &self.fields {
            let mut v = Vec::with_capacity(n * idx.len());
            for &i in idx {
                v.extend_from_slice(&values[i * n..(i + 1) * n]);
            }
            out.fields.insert(name.clone(), v);
        }
        Ok(out)
    }

    /// A new panel holding the date range `start..end` (indices), all fields kept.
    pub fn slice_dates(&self, start: usize, end: usize) -> Result<Panel, CoreError> {
        let n = self.n_dates();
        let end = end.min(n);
        let start = start.min(end);
        let mut out = Panel::new(
            self.dates[start..end].to_vec(),
            self.assets.clone(),
            self.frequency,
        )?;
        out.meta = self.meta.clone();
        for (name, values) in &self.fields {
            let mut v = Vec::with_capacity((end - start) * self.n_assets());
            for a in 0..self.n_assets() {
                v.extend_from_slice(&values[a * n + start..a * n + end]);
            }
            out.fields.insert(name.clone(), v);
        }
        Ok(out)
    }

    fn unknown_field(&self, name: &str) -> CoreError {
        CoreError::UnknownField {
            field: name.to_string(),
            available: self.fields.keys().cloned().collect::<Vec<_>>().join(", "),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn day(d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 1, d)
            .and_then(|x| x.and_hms_opt(0, 0, 0))
            .unwrap_or_default()
    }

    fn small() -> Panel {
        let mut p = Panel::new(
            vec![day(1), day(2), day(3)],
            vec!["A".into(), "B".into()],
            Frequency::Day1,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        p.insert_field("close", vec![1.0, 2.0, 3.0, 10.0, f64::NAN, 30.0])
            .unwrap_or_else(|e| panic!("{e}"));
        p
    }

    #[test]
    fn column_major_layout() {
        let p = small();
        let b = p.series("close", 1).unwrap_or(&[]);
        assert_eq!(b.len(), 3);
        assert!(b[1].is_nan() && b[0] == 10.0 && b[2] == 30.0);
        assert_eq!(p.get("close", 2, 0).ok(), Some(3.0));
        assert_eq!(p.get("close", 0, 1).ok(), Some(10.0));
        assert!((p.missing_share("close").unwrap_or(0.0) - 1.0 / 6.0).abs() < 1e-15);
    }

    #[test]
    fn rejects_bad_shapes_and_orders() {
        let mut p = small();
        assert!(matches!(
            p.insert_field("x", vec![1.0]),
            Err(CoreError::FieldLength {
                expected: 6,
                got: 1,
                ..
            })
        ));
        assert!(matches!(
            Panel::new(vec![day(2), day(1)], vec![], Frequency::Day1),
            Err(CoreError::UnsortedDates { index: 1, .. })
        ));
        assert!(matches!(
            Panel::new(vec![], vec!["A".into(), "A".into()], Frequency::Day1),
            Err(CoreError::DuplicateAsset(_))
        ));
        assert!(matches!(
            p.field("nope"),
            Err(CoreError::UnknownField { .. })
        ));
    }

    #[test]
    fn selects_and_slices() {
        let p = small();
        let b = p.select_assets(&[1]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(b.assets(), &["B".to_string()]);
        assert_eq!(b.get("close", 2, 0).ok(), Some(30.0));
        let s = p.slice_dates(1, 3).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.n_dates(), 2);
        assert_eq!(s.get("close", 1, 1).ok(), Some(30.0));
    }
}
