//! Derived fields, computed per asset along time and added to the panel.
//!
//! With `p_t` the close and `r_t` a return series of one asset (`NaN` = missing):
//!
//! | function | field | definition |
//! |---|---|---|
//! | [`add_returns`] | `returns` | `r_t = p_t / p_{t−1} − 1` (`NaN` at `t = 0`) |
//! | [`add_log_returns`] | `log_returns` | `r_t = ln(p_t / p_{t−1})` |
//! | [`add_var_true`] | `var_true_{h}` | `Σ_{k=1..h} r_{t+k}²`, `NaN` unless all `h` future returns exist |
//! | [`add_realized_vol`] | `rvol_{w}` | sample standard deviation (n − 1) of `r_{t−w+1..t}`, `NaN` unless the window is full |
//! | [`add_adv`] | `adv{d}` | mean of `volume_{t−d+1..t}`, `NaN` unless the window is full |
//! | [`ensure_vwap`] | `vwap` | `(high + low + close) / 3` where `vwap` is absent or missing |
//!
//! `rvol` and `adv` follow pandas' `rolling(w).std()` / `rolling(d).mean()` (a missing value
//! inside the window makes the result missing); `var_true_{h}` equals pandas'
//! `(r**2).rolling(h).sum().shift(-h)`. These equalities are checked against fixtures made by
//! pandas (`scripts/fixtures/data_derived.py`).

use af_core::Panel;

use crate::error::DataError;

/// Name of the simple-returns field.
pub const RETURNS: &str = "returns";
/// Name of the log-returns field.
pub const LOG_RETURNS: &str = "log_returns";

/// Apply `f(input series, output series)` to every asset and store the result as `out`.
fn per_asset(
    panel: &mut Panel,
    input: &str,
    out: &str,
    f: impl Fn(&[f64], &mut [f64]),
) -> Result<(), DataError> {
    let n = panel.n_dates();
    let src = panel.field(input)?;
    let mut values = vec![f64::NAN; src.len()];
    if n > 0 {
        for (x, y) in src.chunks(n).zip(values.chunks_mut(n)) {
            f(x, y);
        }
    }
    panel.insert_field(out, values)?;
    Ok(())
}

fn positive(name: &'static str, v: usize) -> Result<(), DataError> {
    if v == 0 {
        return Err(DataError::InvalidArgument {
            name,
            value: v.to_string(),
            hint: "must be at least 1".into(),
        });
    }
    Ok(())
}

/// Add `returns`: close-to-close simple returns per asset.
pub fn add_returns(panel: &mut Panel) -> Result<(), DataError> {
    per_asset(panel, "close", RETURNS, |p, r| {
        for t in 1..p.len() {
            r[t] = p[t] / p[t - 1] - 1.0;
        }
    })
}

/// Add `log_returns`: close-to-close log returns per asset.
pub fn add_log_returns(panel: &mut Panel) -> Result<(), DataError> {
    per_asset(panel, "close", LOG_RETURNS, |p, r| {
        for t in 1..p.len() {
            r[t] = (p[t] / p[t - 1]).ln();
        }
    })
}

/// Add `var_true_{h}`: the realized variance over the next `h` periods,
/// `Σ_{k=1..h} r_{t+k}²` of the returns field `returns` (e.g. [`LOG_RETURNS`]).
/// Returns the name of the new field.
pub fn add_var_true(panel: &mut Panel, h: usize, returns: &str) -> Result<String, DataError> {
    positive("h", h)?;
    let out = format!("var_true_{h}");
    per_asset(panel, returns, &out, |r, y| {
        let n = r.len();
        // Prefix sums of r² and of missing counts: window sums in O(1).
        let mut sum = vec![0.0; n + 1];
        let mut miss = vec![0usize; n + 1];
        for t in 0..n {
            let v = r[t];
            sum[t + 1] = sum[t] + if v.is_nan() { 0.0 } else { v * v };
            miss[t + 1] = miss[t] + usize::from(v.is_nan());
        }
        for t in 0..n.saturating_sub(h) {
            // Window r_{t+1..=t+h} = prefix indices t+1..t+h+1.
            if miss[t + h + 1] == miss[t + 1] {
                y[t] = sum[t + h + 1] - sum[t + 1];
            }
        }
    })?;
    Ok(out)
}

/// Add `rvol_{window}`: the rolling sample standard deviation of the returns field `returns` over
/// the last `window` periods (the volatility per period, not annualized). Returns the field name.
pub fn add_realized_vol(
    panel: &mut Panel,
    window: usize,
    returns: &str,
) -> Result<String, DataError> {
    positive("window", window)?;
    let out = format!("rvol_{window}");
    per_asset(panel, returns, &out, |r, y| {
        if window < 2 {
            return;
        }
        let w = window as f64;
        let mut missing = 0usize;
        for t in 0..r.len() {
            missing += usize::from(r[t].is_nan());
            if t >= window {
                missing -= usize::from(r[t - window].is_nan());
            }
            if t + 1 < window || missing > 0 {
                continue;
            }
            let win = &r[t + 1 - window..=t];
            let mean = win.iter().sum::<f64>() / w;
            let ss: f64 = win.iter().map(|x| (x - mean) * (x - mean)).sum();
            y[t] = (ss / (w - 1.0)).sqrt();
        }
    })?;
    Ok(out)
}

/// Add `adv{days}`: the rolling mean of `volume` over the last `days` periods. Returns the name.
pub fn add_adv(panel: &mut Panel, days: usize) -> Result<String, DataError> {
    positive("days", days)?;
    let out = format!("adv{days}");
    per_asset(panel, "volume", &out, |v, y| {
        let (mut sum, mut missing) = (0.0, 0usize);
        for t in 0..v.len() {
            if v[t].is_nan() {
                missing += 1;
            } else {
                sum += v[t];
            }
            if t >= days {
                let old = v[t - days];
                if old.is_nan() {
                    missing -= 1;
                } else {
                    sum -= old;
                }
            }
            if t + 1 >= days && missing == 0 {
                y[t] = sum / days as f64;
            }
        }
    })?;
    Ok(out)
}

/// Make sure the panel has a `vwap`: when absent it is created as the typical price
/// `(high + low + close) / 3`; when present, its missing cells are filled the same way.
/// Returns the number of cells filled.
pub fn ensure_vwap(panel: &mut Panel) -> Result<usize, DataError> {
    let typical: Vec<f64> = {
        let (h, l, c) = (
            panel.field("high")?,
            panel.field("low")?,
            panel.field("close")?,
        );
        h.iter()
            .zip(l)
            .zip(c)
            .map(|((h, l), c)| (h + l + c) / 3.0)
            .collect()
    };
    if !panel.has_field("vwap") {
        let filled = typical.iter().filter(|v| !v.is_nan()).count();
        panel.insert_field("vwap", typical)?;
        return Ok(filled);
    }
    let vwap = panel.field_mut("vwap")?;
    let mut filled = 0;
    for (v, t) in vwap.iter_mut().zip(typical) {
        if v.is_nan() && !t.is_nan() {
            *v = t;
            filled += 1;
        }
    }
    Ok(filled)
}
