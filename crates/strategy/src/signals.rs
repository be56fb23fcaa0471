//! From alpha values to tradeable signals.
//!
//! For alpha i and day s, the cross-sectional rank of its valid values is mapped to [−1, 1]
//! (D4) and demeaned, then scaled so Σ|p| = 1: a dollar-neutral unit-gross portfolio p_i(s).
//! Under the backtest's timing (decided at close s, traded at close s+1) that portfolio earns
//! the returns of day s+2, so the alpha's daily return is a_i(t) = Σ_a p_i(t−2)_a · r_a(t).
//! Everything here is date-major: `row(t)` holds all assets of day t.

use rayon::prelude::*;

/// Date-major `n_dates × n_assets` matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct DateMajor {
    /// Values, `t * n_assets + a`.
    pub values: Vec<f64>,
    /// Number of dates.
    pub n_dates: usize,
    /// Number of assets.
    pub n_assets: usize,
}

impl DateMajor {
    /// Transpose a column-major-by-asset panel field.
    pub fn from_asset_major(values: &[f64], n_dates: usize, n_assets: usize) -> Self {
        let mut out = vec![f64::NAN; n_dates * n_assets];
        for a in 0..n_assets {
            for t in 0..n_dates {
                out[t * n_assets + a] = values[a * n_dates + t];
            }
        }
        DateMajor {
            values: out,
            n_dates,
            n_assets,
        }
    }

    /// The assets of day t.
    pub fn row(&self, t: usize) -> &[f64] {
        &self.values[t * self.n_assets..(t + 1) * self.n_assets]
    }

    /// Back to column-major by asset.
    pub fn to_asset_major(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.values.len()];
        for t in 0..self.n_dates {
            for a in 0..self.n_assets {
                out[a * self.n_dates + t] = self.values[t * self.n_assets + a];
            }
        }
        out
    }
}

/// Unit-gross dollar-neutral portfolio from one day's scores (zeros when fewer than 2 are valid).
pub fn neutral_portfolio(scores: &[f64], out: &mut [f64]) {
    let mut idx: Vec<usize> = (0..scores.len())
        .filter(|&a| scores[a].is_finite())
        .collect();
    out.iter_mut().for_each(|v| *v = 0.0);
    let n = idx.len();
    if n < 2 {
        return;
    }
    idx.sort_by(|&x, &y| scores[x].total_cmp(&scores[y]));
    // average ranks 1..n with ties, mapped to [−1, 1]
    let mut i = 0;
    while i < n {
        let mut j = i;
        while j + 1 < n && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let rank = (i + j) as f64 / 2.0 + 1.0;
        for &a in &idx[i..=j] {
            out[a] = 2.0 * (rank - 1.0) / (n - 1) as f64 - 1.0;
        }
        i = j + 1;
    }
    let mean = idx.iter().map(|&a| out[a]).sum::<f64>() / n as f64;
    idx.iter().for_each(|&a| out[a] -= mean);
    let gross: f64 = idx.iter().map(|&a| out[a].abs()).sum();
    if gross > 0.0 {
        idx.iter().for_each(|&a| out[a] /= gross);
    }
}

/// Per alpha: its daily portfolios (date-major) and its daily returns under t+1 execution.
#[derive(Debug, Clone)]
pub struct AlphaSignal {
    /// Alpha name.
    pub name: String,
    /// Unit-gross dollar-neutral portfolios, date-major.
    pub portfolios: DateMajor,
    /// a(t) = Σ p(t−2)·r(t); 0 for t < 2.
    pub returns: Vec<f64>,
}

/// Build signals for every alpha (parallel across alphas; deterministic).
pub fn build_signals(alphas: &[(String, Vec<f64>)], asset_returns: &DateMajor) -> Vec<AlphaSignal> {
    let (n, k) = (asset_returns.n_dates, asset_returns.n_assets);
    alphas
        .par_iter()
        .map(|(name, values)| {
            let scores = DateMajor::from_asset_major(values, n, k);
            let mut port = vec![0.0; n * k];
            for t in 0..n {
                neutral_portfolio(scores.row(t), &mut port[t * k..(t + 1) * k]);
            }
            let portfolios = DateMajor {
                values: port,
                n_dates: n,
                n_assets: k,
            };
            let returns = (0..n)
                .map(|t| {
                    if t < 2 {
                        return 0.0;
                    }
                    portfolios
                        .row(t - 2)
                        .iter()
                        .zip(asset_returns.row(t))
                        .map(|(w, r)| if r.is_finite() { w * r } else { 0.0 })
                        .sum()
                })
                .collect();
            AlphaSignal {
                name: name.clone(),
                portfolios,
                returns,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neutral_portfolio_by_hand() {
        // scores 3, 1, NaN, 2 → ranks 3, 1, –, 2 → [1, −1, 0, 0] → gross 2 → [0.5, −0.5, 0, 0]
        let mut out = [9.0; 4];
        neutral_portfolio(&[3.0, 1.0, f64::NAN, 2.0], &mut out);
        assert_eq!(out, [0.5, -0.5, 0.0, 0.0]);
        neutral_portfolio(&[1.0, f64::NAN], &mut out[..2]);
        assert_eq!(&out[..2], &[0.0, 0.0]);
        // ties share the average rank
        neutral_portfolio(&[1.0, 1.0, 2.0, 0.0], &mut out);
        assert!((out.iter().sum::<f64>()).abs() < 1e-15);
        assert_eq!(out[0], out[1]);
    }
}
