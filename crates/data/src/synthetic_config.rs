//! Configuration of the synthetic universe, with the source documents' values as defaults and a
//! validation that names the offending key.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::SyntheticError;

/// Mean and standard deviation of a normal draw, e.g. `{mean: -0.001, std: 0.002}`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormalParams {
    /// Mean.
    pub mean: f64,
    /// Standard deviation (≥ 0).
    pub std: f64,
}

/// Configuration of [`generate`](super::generate). Every key has a default (PRODUCT D2), so
/// `{assets: 500, days: 2520, seed: 42}` is a complete configuration; unknown keys are errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SyntheticConfig {
    /// Number of assets (≥ 1). Default 5.
    pub assets: usize,
    /// Explicit asset names (as many as `assets`, unique, non-empty). Default: AAPL, GOOGL,
    /// MSFT, TSLA, SPY for up to five assets, otherwise `A0001`, `A0002`, ….
    pub names: Option<Vec<String>>,
    /// First calendar day (the first business day on or after it starts the panel).
    /// Default 2020-01-01.
    #[serde(with = "iso_date")]
    pub start: NaiveDate,
    /// Last calendar day; default 2024-12-31. Give `end` or `days`, not both.
    #[serde(with = "iso_date_opt")]
    pub end: Option<NaiveDate>,
    /// Exactly this many business days from `start` (instead of `end`).
    pub days: Option<usize>,
    /// Random seed; the panel is a pure function of the configuration. Default 42.
    pub seed: u64,
    /// GARCH ARCH coefficient α. Default 0.05.
    pub garch_alpha: f64,
    /// GARCH persistence β. Default 0.90.
    pub garch_beta: f64,
    /// Range of the per-asset volatility level `v_a` (daily σ, long-run). Default [0.015, 0.035].
    pub vol_range: [f64; 2],
    /// Daily probability of a volatility shock. Default 0.05.
    pub shock_prob: f64,
    /// Multiplier of σ on a shock day. Default 3.
    pub shock_scale: f64,
    /// Standard deviation of the daily market factor. Default 0.01.
    pub market_vol: f64,
    /// Standard deviation of a daily sector factor added to every asset of the sector (loading
    /// 1). Default 0: the documents' model, where assets co-move only through the market.
    pub sector_vol: f64,
    /// Range of the per-asset market beta. Default [0.5, 1.5].
    pub beta_range: [f64; 2],
    /// Monday effect on returns. Default N(−0.001, 0.002).
    pub monday_effect: NormalParams,
    /// Friday effect on returns. Default N(0.0005, 0.001).
    pub friday_effect: NormalParams,
    /// Effect on the last business day of a month. Default N(0.002, 0.001).
    pub month_end_effect: NormalParams,
    /// Range of the price before the first date. Default [50, 300].
    pub price_range: [f64; 2],
    /// Overnight gap of the open, in units of σ_t. Default 0.2.
    pub open_gap: f64,
    /// Intraday excursion of high and low beyond open/close, in units of σ_t. Default 0.5.
    pub intraday_range: f64,
    /// Base daily volume in shares (documents: 1e6). Default 1e6.
    pub base_volume: f64,
    /// Standard deviation of the log of the per-asset size multiplier (0: all assets alike).
    /// Default 1.0.
    pub size_dispersion: f64,
    /// Share of the shares outstanding traded on an average day (sets `cap`). Default 0.005.
    pub daily_turnover: f64,
    /// Relative noise of implied volatility around σ_t. Default 0.1.
    pub iv_noise: f64,
    /// Mean of the Poisson social-mentions count. Default 100.
    pub mentions_mean: f64,
    /// Number of sectors (the 11 GICS names first). Default 11.
    pub sectors: usize,
    /// Range (inclusive) of industries per sector. Default [2, 4].
    pub industries_per_sector: [usize; 2],
    /// Range (inclusive) of sub-industries per industry. Default [1, 3].
    pub subindustries_per_industry: [usize; 2],
    /// Markets the assets are listed on, picked uniformly. Default ["NYSE", "NASDAQ"].
    pub markets: Vec<String>,
}

impl Default for SyntheticConfig {
    fn default() -> Self {
        SyntheticConfig {
            assets: 5,
            names: None,
            start: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap_or_default(),
            end: None,
            days: None,
            seed: 42,
            garch_alpha: 0.05,
            garch_beta: 0.90,
            vol_range: [0.015, 0.035],
            shock_prob: 0.05,
            shock_scale: 3.0,
            market_vol: 0.01,
            sector_vol: 0.0,
            beta_range: [0.5, 1.5],
            monday_effect: NormalParams {
                mean: -0.001,
                std: 0.002,
            },
            friday_effect: NormalParams {
                mean: 0.0005,
                std: 0.001,
            },
            month_end_effect: NormalParams {
                mean: 0.002,
                std: 0.001,
            },
            price_range: [50.0, 300.0],
            open_gap: 0.2,
            intraday_range: 0.5,
            base_volume: 1e6,
            size_dispersion: 1.0,
            daily_turnover: 0.005,
            iv_noise: 0.1,
            mentions_mean: 100.0,
            sectors: 11,
            industries_per_sector: [2, 4],
            subindustries_per_industry: [1, 3],
            markets: vec!["NYSE".to_string(), "NASDAQ".to_string()],
        }
    }
}

/// Largest number of cells of one field (`assets × days`) the generator accepts: 2²⁸ cells are
/// 2 GiB a field, about 26 GiB for the 12 fields (100,000 assets × 2,520 days is 252M cells).
pub const MAX_CELLS: usize = 1 << 28;

fn bad(key: &'static str, value: impl ToString, reason: impl Into<String>) -> SyntheticError {
    SyntheticError::InvalidParameter {
        key,
        value: value.to_string(),
        reason: reason.into(),
    }
}

fn check(
    ok: bool,
    key: &'static str,
    value: impl std::fmt::Debug,
    reason: &str,
) -> Result<(), SyntheticError> {
    if ok {
        Ok(())
    } else {
        Err(bad(key, format!("{value:?}"), reason))
    }
}

fn finite_range(r: [f64; 2]) -> bool {
    r.iter().all(|x| x.is_finite()) && r[0] <= r[1]
}

impl SyntheticConfig {
    /// The last calendar day used when `days` is not given.
    pub fn end_date(&self) -> NaiveDate {
        self.end
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(2024, 12, 31).unwrap_or_default())
    }

    /// `m = E[s_t²] = 1 − p + p·k²`, the variance multiplier of the shock mixture.
    pub fn shock_moment(&self) -> f64 {
        1.0 - self.shock_prob + self.shock_prob * self.shock_scale * self.shock_scale
    }

    /// Check every parameter; the error names the first key at fault.
    pub fn validate(&self) -> Result<(), SyntheticError> {
        check(
            self.assets >= 1,
            "assets",
            self.assets,
            "need at least 1 asset",
        )?;
        if let Some(names) = &self.names {
            check(
                names.len() == self.assets,
                "names",
                names.len(),
                &format!("give exactly one name per asset ({} assets)", self.assets),
            )?;
            if let Some(e) = names.iter().find(|n| n.trim().is_empty()) {
                return Err(bad(
                    "names",
                    format!("{e:?}"),
                    "asset names must not be empty",
                ));
            }
            let mut seen = std::collections::HashSet::with_capacity(names.len());
            if let Some(d) = names.iter().find(|n| !seen.insert(n.as_str())) {
                return Err(bad(
                    "names",
                    format!("{d:?}"),
                    "appears twice; names must be unique",
                ));
            }
        }
        if self.days.is_some() && self.end.is_some() {
            return Err(bad(
                "days",
                format!("{:?}", self.days),
                "give either `days` or `end`, not both",
            ));
        }
        check(
            self.days != Some(0),
            "days",
            0,
            "need at least 1 business day",
        )?;
        if let Some(days) = self.days {
            self.check_size(days)?;
        }
        if self.end_date() < self.start {
            return Err(bad(
                "end",
                self.end_date(),
                format!("is before start {}", self.start),
            ));
        }
        let a = self.garch_alpha;
        let b = self.garch_beta;
        check(a.is_finite() && a >= 0.0, "garch_alpha", a, "must be ≥ 0")?;
        check(b.is_finite() && b >= 0.0, "garch_beta", b, "must be ≥ 0")?;
        let p = self.shock_prob;
        check(
            (0.0..=1.0).contains(&p),
            "shock_prob",
            p,
            "must be a probability in [0, 1]",
        )?;
        check(
            self.shock_scale.is_finite() && self.shock_scale >= 0.0,
            "shock_scale",
            self.shock_scale,
            "must be ≥ 0",
        )?;
        let persistence = b + a * self.shock_moment();
        check(
            persistence < 1.0,
            "garch_beta",
            b,
            &format!(
                "β + α·(1 − p + p·k²) = {persistence:.4} must be < 1 for a stationary variance"
            ),
        )?;
        let v = self.vol_range;
        check(
            finite_range(v) && v[0] > 0.0,
            "vol_range",
            v,
            "must be [low, high] with 0 < low ≤ high",
        )?;
        let br = self.beta_range;
        check(
            finite_range(br),
            "beta_range",
            br,
            "must be [low, high] with low ≤ high",
        )?;
        let pr = self.price_range;
        check(
            finite_range(pr) && pr[0] > 0.0,
            "price_range",
            pr,
            "must be [low, high] with 0 < low ≤ high",
        )?;
        check(
            self.market_vol.is_finite() && self.market_vol >= 0.0,
            "market_vol",
            self.market_vol,
            "must be ≥ 0",
        )?;
        for (key, e) in [
            ("monday_effect", self.monday_effect),
            ("friday_effect", self.friday_effect),
            ("month_end_effect", self.month_end_effect),
        ] {
            check(
                e.mean.is_finite() && e.std.is_finite() && e.std >= 0.0,
                key,
                e,
                "needs a finite mean and std ≥ 0",
            )?;
        }
        for (key, x) in [
            ("open_gap", self.open_gap),
            ("intraday_range", self.intraday_range),
            ("size_dispersion", self.size_dispersion),
            ("iv_noise", self.iv_noise),
            ("sector_vol", self.sector_vol),
        ] {
            check(x.is_finite() && x >= 0.0, key, x, "must be ≥ 0")?;
        }
        check(
            self.base_volume.is_finite() && self.base_volume > 0.0,
            "base_volume",
            self.base_volume,
            "must be > 0",
        )?;
        let tv = self.daily_turnover;
        check(
            tv.is_finite() && tv > 0.0 && tv <= 1.0,
            "daily_turnover",
            tv,
            "must be in (0, 1]",
        )?;
        check(
            self.mentions_mean.is_finite() && self.mentions_mean > 0.0,
            "mentions_mean",
            self.mentions_mean,
            "must be > 0",
        )?;
        check(
            self.sectors >= 1,
            "sectors",
            self.sectors,
            "need at least 1 sector",
        )?;
        let ir = self.industries_per_sector;
        check(
            ir[0] >= 1 && ir[0] <= ir[1],
            "industries_per_sector",
            ir,
            "must be [low, high] with 1 ≤ low ≤ high",
        )?;
        let sr = self.subindustries_per_industry;
        check(
            sr[0] >= 1 && sr[0] <= sr[1],
            "subindustries_per_industry",
            sr,
            "must be [low, high] with 1 ≤ low ≤ high",
        )?;
        check(
            !self.markets.is_empty(),
            "markets",
            &self.markets,
            "need at least one market",
        )?;
        Ok(())
    }

    /// Refuse universes whose fields would not fit in memory.
    pub(crate) fn check_size(&self, n_dates: usize) -> Result<(), SyntheticError> {
        let cells = self.assets.saturating_mul(n_dates);
        check(
            cells <= MAX_CELLS,
            "assets",
            self.assets,
            &format!("{} assets × {n_dates} days = {cells} cells per field exceeds the limit of {MAX_CELLS}", self.assets),
        )
    }
}

/// `YYYY-MM-DD` (de)serialization of a date.
mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.format("%Y-%m-%d"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let text = String::deserialize(d)?;
        parse(&text).map_err(serde::de::Error::custom)
    }

    pub fn parse(text: &str) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|e| format!("{text:?} is not a date YYYY-MM-DD ({e})"))
    }
}

/// `YYYY-MM-DD` (de)serialization of an optional date.
mod iso_date_opt {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.collect_str(&d.format("%Y-%m-%d")),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|t| super::iso_date::parse(&t).map_err(serde::de::Error::custom))
            .transpose()
    }
}
