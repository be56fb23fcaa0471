//! Helpers shared by the synthetic-generator test files.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use af_data::synthetic::{SyntheticConfig, SyntheticUniverse, FIELDS};
use chrono::NaiveDate;

/// A date from `YYYY-MM-DD`.
pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A default configuration of `assets` × `days` with `seed`.
pub fn cfg(assets: usize, days: usize, seed: u64) -> SyntheticConfig {
    SyntheticConfig {
        assets,
        days: Some(days),
        seed,
        ..SyntheticConfig::default()
    }
}

/// Every field bit for bit, names, dates, metadata and the hidden quantities.
pub fn assert_identical(a: &SyntheticUniverse, b: &SyntheticUniverse) {
    assert_eq!(a.panel.dates(), b.panel.dates());
    assert_eq!(a.panel.assets(), b.panel.assets());
    assert_eq!(a.panel.meta(), b.panel.meta());
    for f in FIELDS {
        let (x, y) = (a.panel.field(f).unwrap(), b.panel.field(f).unwrap());
        assert_eq!(x.len(), y.len());
        let same = x.iter().zip(y).all(|(u, v)| u.to_bits() == v.to_bits());
        assert!(same, "field {f} differs");
    }
    assert_eq!(a.truth, b.truth);
}

/// Mean and count of an iterator.
pub fn mean(x: impl Iterator<Item = f64>) -> (f64, usize) {
    let (s, n) = x.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (s / n as f64, n)
}
