//! The per-asset simulation kernel of the synthetic universe.
//!
//! For asset `a` with volatility level `v_a`, market beta `b_a`, and the common market factor
//! `f_t` and calendar effect `c_t` (drawn once per date), every business day `t`:
//!
//! ```text
//! σ²_0 = v_a²
//! σ²_t = ω_a + α·ε²_{t−1} + β·σ²_{t−1}                 (GARCH(1,1), Bollerslev 1986)
//! s_t  = k with probability p, else 1                   (volatility shock, k = 3, p = 5%)
//! ε_t  = σ_t · s_t · z_t,          z_t ~ N(0, 1)
//! r_t  = max(b_a·f_t + c_t + g_{s(a),t} + ε_t, −0.99)   (simple return; the floor keeps prices
//!                                                         positive and is never reached with the
//!                                                         default parameters in practice)
//! close_t = close_{t−1}·(1 + r_t),  close_{−1} = P0_a ~ U(price_range)
//! ```
//!
//! `g_{s,t} ~ N(0, sector_vol)` is the factor of the asset's sector (0 by default).
//! `ω_a = v_a²·(1 − β − α·m)` with `m = 1 − p + p·k²` (the mean of `s_t²`) targets the
//! long-run conditional variance `E[σ²_t] = v_a²`; an asset with `v_a = 1.826%` gets the
//! documents' `ω = 1e-5` exactly. Returns therefore have long-run standard deviation
//! `√(b_a²·0.01² + m·v_a²)` before calendar effects.
//!
//! The other fields, from the same stream:
//!
//! ```text
//! open_t   = close_{t−1}·exp(g·σ_t·z¹_t)                       (overnight gap, g = open_gap)
//! high_t   = max(open_t, close_t)·exp(h·σ_t·|z²_t|)            (h = intraday_range)
//! low_t    = min(open_t, close_t)·exp(−h·σ_t·|z³_t|)           (> 0 always)
//! vwap_t   = (high_t + low_t + close_t) / 3                    (typical price, inside [low, high])
//! volume_t = round(base_volume · size_a · (1 + 2·|r_t|))
//! cap_t    = shares_a · close_t,   shares_a = base_volume · size_a / daily_turnover
//! sentiment_t ~ N(0, 1),   mentions_t ~ Poisson(mentions_mean)
//! implied_vol_t = σ_t · max(1 + iv_noise·z⁴_t, 0)
//! ```
//!
//! `size_a = exp(size_dispersion·z)` is a per-asset log-normal size (median 1): it spreads
//! average daily volume and capitalisation across assets; `size_dispersion: 0` gives the
//! documents' `volume = 1e6·(1 + 2|r|)` for every asset.

use rand::RngExt;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson, StandardNormal};

/// Lowest simple return the generator emits.
pub(crate) const RETURN_FLOOR: f64 = -0.99;

/// Names of the fields written by the kernel, in the panel's field order.
pub const FIELDS: [&str; 12] = [
    "open",
    "high",
    "low",
    "close",
    "volume",
    "vwap",
    "cap",
    "returns",
    "volatility",
    "implied_vol",
    "sentiment",
    "mentions",
];

/// Number of fields written per asset.
pub(crate) const N_FIELDS: usize = FIELDS.len();

/// Parameters shared by every asset (already validated).
#[derive(Debug, Clone)]
pub(crate) struct Shared<'a> {
    pub alpha: f64,
    pub beta: f64,
    pub shock_prob: f64,
    pub shock_scale: f64,
    pub open_gap: f64,
    pub intraday_range: f64,
    pub base_volume: f64,
    pub iv_noise: f64,
    pub mentions: Poisson<f64>,
    /// Market factor `f_t`, one per date.
    pub market: &'a [f64],
    /// Calendar effect `c_t`, one per date.
    pub calendar: &'a [f64],
    /// Sector factors `g_{s,t}`, sector-major (`s * n_dates + t`); all zero when `sector_vol` is 0.
    pub sector: &'a [f64],
}

/// Static parameters of one asset.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct AssetParams {
    pub vol_level: f64,
    pub beta: f64,
    pub price0: f64,
    pub size: f64,
    pub omega: f64,
    pub shares: f64,
    /// Index of the asset's sector.
    pub sector: usize,
}

/// Simulate one asset's columns into `cols` (the [`FIELDS`] in order, each of length `n_dates`)
/// and its shock indicators into `shocks`.
pub(crate) fn simulate(
    p: &AssetParams,
    sh: &Shared<'_>,
    rng: &mut ChaCha8Rng,
    cols: &mut [&mut [f64]],
    shocks: &mut [bool],
) {
    let [open, high, low, close, volume, vwap, cap, returns, vol, iv, sentiment, mentions] = cols
    else {
        return;
    };
    let n = shocks.len();
    // Re-slice everything to `n` so the loop below indexes without bounds checks.
    let (market, calendar) = (&sh.market[..n], &sh.calendar[..n]);
    let sector = &sh.sector[p.sector * n..(p.sector + 1) * n];
    let (open, high, low, close) = (
        &mut open[..n],
        &mut high[..n],
        &mut low[..n],
        &mut close[..n],
    );
    let (volume, vwap, cap, returns) = (
        &mut volume[..n],
        &mut vwap[..n],
        &mut cap[..n],
        &mut returns[..n],
    );
    let (vol, iv) = (&mut vol[..n], &mut iv[..n]);
    let (sentiment, mentions) = (&mut sentiment[..n], &mut mentions[..n]);
    let mut sigma2 = p.vol_level * p.vol_level;
    let mut eps_prev = 0.0_f64;
    let mut prev_close = p.price0;
    for t in 0..n {
        if t > 0 {
            sigma2 = p.omega + sh.alpha * eps_prev * eps_prev + sh.beta * sigma2;
        }
        let sigma = sigma2.sqrt();
        let z: f64 = StandardNormal.sample(rng);
        let shock = rng.random::<f64>() < sh.shock_prob;
        let eps = sigma * z * if shock { sh.shock_scale } else { 1.0 };
        let r = (p.beta * market[t] + calendar[t] + sector[t] + eps).max(RETURN_FLOOR);
        let c = prev_close * (1.0 + r);

        let z_gap: f64 = StandardNormal.sample(rng);
        let z_hi: f64 = StandardNormal.sample(rng);
        let z_lo: f64 = StandardNormal.sample(rng);
        let o = prev_close * (sh.open_gap * sigma * z_gap).exp();
        let h = o.max(c) * (sh.intraday_range * sigma * z_hi.abs()).exp();
        let l = o.min(c) * (-sh.intraday_range * sigma * z_lo.abs()).exp();

        open[t] = o;
        high[t] = h;
        low[t] = l;
        close[t] = c;
        vwap[t] = (h + l + c) / 3.0;
        volume[t] = (sh.base_volume * p.size * (1.0 + 2.0 * r.abs())).round();
        cap[t] = p.shares * c;
        returns[t] = r;
        vol[t] = sigma;
        sentiment[t] = StandardNormal.sample(rng);
        mentions[t] = sh.mentions.sample(rng);
        let z_iv: f64 = StandardNormal.sample(rng);
        iv[t] = sigma * (1.0 + sh.iv_noise * z_iv).max(0.0);
        shocks[t] = shock;

        eps_prev = eps;
        prev_close = c;
    }
}
