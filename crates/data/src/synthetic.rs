//! The synthetic universe generator (PRODUCT D2): a market of `assets` stocks over a business-day
//! calendar with GARCH(1,1) volatility, volatility shocks, a common market factor, calendar
//! anomalies, OHLC bars, volume, capitalisation, alternative data and sector metadata.
//!
//! Entry points: [`generate`] (the panel) and [`generate_universe`] (the panel plus the hidden
//! quantities that made it, [`SyntheticTruth`]). Configuration: [`SyntheticConfig`]; calendar
//! rules: [`business_days`]; names and taxonomy: [`asset_names`].
//!
//! # The model
//!
//! Per date `t` (one random stream, shared by every asset):
//!
//! ```text
//! f_t ~ N(0, market_vol)                                   market factor (default σ 0.01)
//! c_t = [Monday]·N(−0.001, 0.002) + [Friday]·N(0.0005, 0.001)
//!     + [last business day of the month]·N(0.002, 0.001)   calendar effect
//! ```
//!
//! The calendar effects are common to every asset (a market-wide anomaly), whereas the source
//! documents drew them independently per asset; with one common draw per date a model can learn
//! them from weekday / month-end dummies cross-sectionally. The documents flagged the calendar
//! month end (`is_month_end`), which misses the 17 of 60 months of 2020–2024 that end on a
//! weekend; the flag here is the last business day of the month.
//!
//! Optionally (`sector_vol > 0`, default 0) a sector factor `g_{s,t} ~ N(0, sector_vol)` per
//! sector and date, added to every asset of sector `s`, gives the sector metadata a meaning for
//! returns (industry-neutral alphas, sector risk limits).
//!
//! Per asset `a` (its own stream): `v_a ~ U(vol_range)`, `b_a ~ U(beta_range)`,
//! `P0_a ~ U(price_range)`, `size_a = exp(size_dispersion·N(0, 1))`, then for every date the
//! GARCH(1,1) recursion (Bollerslev 1986) with volatility shocks:
//!
//! ```text
//! σ²_0 = v_a²,   σ²_t = ω_a + α·ε²_{t−1} + β·σ²_{t−1}          α = 0.05, β = 0.90
//! ω_a  = v_a²·(1 − β − α·m),   m = 1 − p + p·k²                 (targets E[σ²_t] = v_a²)
//! ε_t  = σ_t·s_t·z_t,   s_t = k (= 3) with probability p (= 5%), else 1
//! r_t  = max(b_a·f_t + c_t + g_{s(a),t} + ε_t, −0.99)           simple return
//! close_t = close_{t−1}·(1 + r_t),   close_{−1} = P0_a
//! open_t  = close_{t−1}·exp(open_gap·σ_t·z¹)
//! high_t  = max(open_t, close_t)·exp(intraday_range·σ_t·|z²|),  low_t = min(…)·exp(−…·|z³|)
//! vwap_t  = (high_t + low_t + close_t)/3,   cap_t = shares_a·close_t
//! volume_t = round(base_volume·size_a·(1 + 2·|r_t|)),  shares_a = base_volume·size_a/daily_turnover
//! sentiment_t ~ N(0, 1),  mentions_t ~ Poisson(100),  implied_vol_t = σ_t·max(1 + 0.1·z⁴, 0)
//! ```
//!
//! With the defaults an asset at `v_a = 1.826%` has the documents' `ω = 1e-5` exactly (the
//! documents start every asset at its own level but let all of them revert to that one level;
//! here each asset keeps its own). The fields are [`FIELDS`]; `volatility` is `σ_t` (daily, before
//! the shock multiplier) and `returns` is `r_t`, which equals `close_t/close_{t−1} − 1` from the
//! second date on (the first return is relative to the unobserved `P0_a`).
//!
//! # Determinism
//!
//! Every stream is a `ChaCha8Rng` seeded from `seed` with a distinct stream number: stream 0 the
//! market factor and calendar effects, stream 1 the taxonomy then the sector factors, stream
//! `2 + a` asset `a`. Assets are simulated in parallel with rayon into disjoint column slices, so
//! the panel is bit-for-bit the same for a seed whatever the number of threads. Asset `a`'s
//! series do not depend on the number of assets, and the first `n` days do not depend on `days`
//! (prefix stability).
//!
//! # References
//!
//! Bollerslev, T. (1986). Generalized autoregressive conditional heteroskedasticity. *Journal of
//! Econometrics* 31(3), 307–327.

#[path = "synthetic_asset.rs"]
mod synthetic_asset;
#[path = "synthetic_calendar.rs"]
mod synthetic_calendar;
#[path = "synthetic_config.rs"]
mod synthetic_config;
#[path = "synthetic_meta.rs"]
mod synthetic_meta;

use chrono::NaiveDate;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson, StandardNormal};
use rayon::prelude::*;

use af_core::{AssetMeta, CoreError, Frequency, Panel};

pub use synthetic_asset::FIELDS;
pub use synthetic_calendar::{
    business_days, is_business_day, is_month_end_business_day, next_business_day,
};
pub use synthetic_config::{NormalParams, SyntheticConfig, MAX_CELLS};
pub use synthetic_meta::{asset_names, DEFAULT_TICKERS, GICS_SECTORS};

use synthetic_asset::{AssetParams, Shared, N_FIELDS};
use synthetic_calendar::CalendarFlags;
use synthetic_meta::Taxonomy;

/// Errors of the synthetic generator. Each names the configuration key (`synthetic.<key>`) at
/// fault, the value given and what is allowed.
#[derive(Debug, thiserror::Error)]
pub enum SyntheticError {
    /// A parameter is outside its allowed range.
    #[error("synthetic.{key} = {value}: {reason}")]
    InvalidParameter {
        /// Configuration key.
        key: &'static str,
        /// The value given, as written.
        value: String,
        /// What is allowed.
        reason: String,
    },
    /// The calendar has no business day.
    #[error("synthetic: no business day between start {start} and end {end}; set end after start or give days")]
    EmptyCalendar {
        /// First calendar day.
        start: NaiveDate,
        /// Last calendar day.
        end: NaiveDate,
    },
    /// Building the panel failed (duplicate asset names, …).
    #[error("synthetic: {0}")]
    Panel(#[from] CoreError),
}

/// A generated universe with the hidden quantities that produced it, for tests and studies
/// (beta recovery, GARCH recovery, calendar-effect detection).
#[derive(Debug, Clone)]
pub struct SyntheticUniverse {
    /// The panel: fields [`FIELDS`], daily business dates, metadata per asset.
    pub panel: Panel,
    /// The generating quantities.
    pub truth: SyntheticTruth,
}

/// The hidden quantities of a [`SyntheticUniverse`].
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticTruth {
    /// Market factor `f_t`, one per date.
    pub market: Vec<f64>,
    /// Calendar effect `c_t` (Monday + Friday + month-end draws), one per date.
    pub calendar_effect: Vec<f64>,
    /// Whether each date is the last business day of its month.
    pub month_end: Vec<bool>,
    /// Sector factors `g_{s,t}` at `s * n_dates + t` (all zero unless `sector_vol > 0`).
    pub sector_factor: Vec<f64>,
    /// Sector index of each asset (into the sector factors; sector `s` is named
    /// [`GICS_SECTORS`]`[s]` for `s < 11`).
    pub sectors: Vec<usize>,
    /// Market beta `b_a` per asset.
    pub betas: Vec<f64>,
    /// Volatility level `v_a` per asset (the long-run `E[σ²]` is `v_a²`).
    pub vol_levels: Vec<f64>,
    /// GARCH intercept `ω_a` per asset.
    pub omegas: Vec<f64>,
    /// Close of the (unobserved) day before the first date, per asset.
    pub initial_prices: Vec<f64>,
    /// Shares outstanding per asset.
    pub shares: Vec<f64>,
    /// Whether a volatility shock hit asset `a` at date `t`, at `a * n_dates + t`.
    pub shocks: Vec<bool>,
}

/// Generate the synthetic panel described by `cfg` (see the [module docs](self)).
pub fn generate(cfg: &SyntheticConfig) -> Result<Panel, SyntheticError> {
    Ok(generate_universe(cfg)?.panel)
}

/// One asset's work: its index, its output columns ([`FIELDS`] order) and shock flags.
type AssetJob<'a> = (usize, Vec<&'a mut [f64]>, &'a mut [bool]);

/// Stream numbers of the shared draws; asset `a` uses `FIRST_ASSET_STREAM + a`.
const MARKET_STREAM: u64 = 0;
const TAXONOMY_STREAM: u64 = 1;
const FIRST_ASSET_STREAM: u64 = 2;

fn stream(seed: u64, id: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(id);
    rng
}

fn uniform(rng: &mut ChaCha8Rng, range: [f64; 2]) -> f64 {
    range[0] + (range[1] - range[0]) * rng.random::<f64>()
}

fn normal(rng: &mut ChaCha8Rng, p: NormalParams) -> f64 {
    let z: f64 = StandardNormal.sample(rng);
    p.mean + p.std * z
}

/// Generate the panel and the quantities that produced it.
pub fn generate_universe(cfg: &SyntheticConfig) -> Result<SyntheticUniverse, SyntheticError> {
    cfg.validate()?;
    let end = cfg.end_date();
    if cfg.days.is_none() {
        // At least 5 of every 7 calendar days are business days, less at most 2: refuse a range
        // too long before building its calendar.
        let span = usize::try_from((end - cfg.start).num_days() + 1).unwrap_or(0);
        cfg.check_size((span / 7) * 5)?;
    }
    let days = business_days(cfg.start, end, cfg.days);
    if days.is_empty() {
        return Err(SyntheticError::EmptyCalendar {
            start: cfg.start,
            end,
        });
    }
    let n = days.len();
    let n_assets = cfg.assets;
    cfg.check_size(n)?;

    // Market factor and calendar effects: one stream, in date order.
    let flags = CalendarFlags::of(&days);
    let mut rng = stream(cfg.seed, MARKET_STREAM);
    let mut market = Vec::with_capacity(n);
    let mut calendar = Vec::with_capacity(n);
    for t in 0..n {
        let f: f64 = StandardNormal.sample(&mut rng);
        market.push(cfg.market_vol * f);
        let mut c = 0.0;
        if flags.monday[t] {
            c += normal(&mut rng, cfg.monday_effect);
        }
        if flags.friday[t] {
            c += normal(&mut rng, cfg.friday_effect);
        }
        if flags.month_end[t] {
            c += normal(&mut rng, cfg.month_end_effect);
        }
        calendar.push(c);
    }

    let mut rng = stream(cfg.seed, TAXONOMY_STREAM);
    let taxonomy = Taxonomy::draw(
        &mut rng,
        cfg.sectors,
        cfg.industries_per_sector,
        cfg.subindustries_per_industry,
    );
    // Sector factors continue the taxonomy stream, in date order (sector-major storage).
    let n_sectors = taxonomy.n_sectors();
    let mut sector_factor = vec![0.0; n_sectors * n];
    if cfg.sector_vol > 0.0 {
        for t in 0..n {
            for s in 0..n_sectors {
                let z: f64 = StandardNormal.sample(&mut rng);
                sector_factor[s * n + t] = cfg.sector_vol * z;
            }
        }
    }

    let mentions =
        Poisson::new(cfg.mentions_mean).map_err(|e| SyntheticError::InvalidParameter {
            key: "mentions_mean",
            value: cfg.mentions_mean.to_string(),
            reason: format!("not a valid Poisson mean ({e})"),
        })?;
    let m = cfg.shock_moment();
    let shared = Shared {
        alpha: cfg.garch_alpha,
        beta: cfg.garch_beta,
        shock_prob: cfg.shock_prob,
        shock_scale: cfg.shock_scale,
        open_gap: cfg.open_gap,
        intraday_range: cfg.intraday_range,
        base_volume: cfg.base_volume,
        iv_noise: cfg.iv_noise,
        mentions,
        market: &market,
        calendar: &calendar,
        sector: &sector_factor,
    };

    let mut fields: Vec<Vec<f64>> = (0..N_FIELDS).map(|_| vec![0.0; n * n_assets]).collect();
    let mut shocks = vec![false; n * n_assets];
    let mut chunked: Vec<_> = fields.iter_mut().map(|f| f.chunks_mut(n)).collect();
    let jobs: Vec<AssetJob<'_>> = shocks
        .chunks_mut(n)
        .enumerate()
        .map(|(a, s)| {
            (
                a,
                chunked.iter_mut().filter_map(Iterator::next).collect(),
                s,
            )
        })
        .collect();

    let per_asset: Vec<(AssetParams, AssetMeta)> = jobs
        .into_par_iter()
        .map(|(a, mut cols, shock_col)| {
            let mut rng = stream(cfg.seed, FIRST_ASSET_STREAM + a as u64);
            let vol_level = uniform(&mut rng, cfg.vol_range);
            let beta = uniform(&mut rng, cfg.beta_range);
            let price0 = uniform(&mut rng, cfg.price_range);
            let z: f64 = StandardNormal.sample(&mut rng);
            let size = (cfg.size_dispersion * z).exp();
            let (meta, sector) = taxonomy.assign(&mut rng, &cfg.markets);
            let params = AssetParams {
                vol_level,
                beta,
                price0,
                size,
                omega: vol_level * vol_level * (1.0 - cfg.garch_beta - cfg.garch_alpha * m),
                shares: cfg.base_volume * size / cfg.daily_turnover,
                sector,
            };
            synthetic_asset::simulate(&params, &shared, &mut rng, &mut cols, shock_col);
            (params, meta)
        })
        .collect();

    let names = asset_names(n_assets, cfg.names.as_deref());
    let dates = days
        .iter()
        .map(|d| d.and_time(chrono::NaiveTime::MIN))
        .collect();
    let mut panel = Panel::new(dates, names, Frequency::Day1)?;
    for (slot, (_, meta)) in panel.meta_mut().iter_mut().zip(&per_asset) {
        *slot = meta.clone();
    }
    for (name, values) in FIELDS.iter().zip(fields) {
        panel.insert_field(*name, values)?;
    }
    let truth = SyntheticTruth {
        market,
        calendar_effect: calendar,
        month_end: flags.month_end,
        sector_factor,
        sectors: per_asset.iter().map(|(p, _)| p.sector).collect(),
        betas: per_asset.iter().map(|(p, _)| p.beta).collect(),
        vol_levels: per_asset.iter().map(|(p, _)| p.vol_level).collect(),
        omegas: per_asset.iter().map(|(p, _)| p.omega).collect(),
        initial_prices: per_asset.iter().map(|(p, _)| p.price0).collect(),
        shares: per_asset.iter().map(|(p, _)| p.shares).collect(),
        shocks,
    };
    Ok(SyntheticUniverse { panel, truth })
}
