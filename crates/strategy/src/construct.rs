//! From one day's combined score to target weights, then risk scaling (PRODUCT P2, P3).
//!
//! `rank` construction:
//! * dollar-neutral: x = score − mean(score) over valid assets, scaled to Σ|x| = gross leverage;
//! * long-only: x = max(score − mean, 0) (the better half), scaled to Σx = gross leverage;
//!
//! Then positions are clipped to ±max_position and every sector whose gross exposure exceeds
//! `sector_cap`·gross is scaled down to the cap (the book may end below its target gross; it is
//! never levered up to compensate).
//!
//! `mean_variance` construction: Clarabel with μ = the score standardized to 10 bp per unit of
//! cross-sectional deviation, Σ = the risk model's covariance of the tradeable assets
//! (`risk.covariance`: Ledoit–Wolf, fixed shrinkage or GARCH D·R̃·D; see `risk_model`), and the
//! same limits as constraints (plus the turnover limit against the previous weights).
//!
//! Risk scaling of the day's weights (P2 dynamic leverage, VaR budget) lives in `risk_model`.

use af_portfolio::optimize::{Constraints, MeanVariance};
use nalgebra::DMatrix;

use crate::config::{Construction, Portfolio, Style};

/// Target weights of one day from its combined score (NaN score = not tradeable → 0).
/// `covariance(assets)` gives the covariance of the listed assets (asked only by mean–variance).
pub fn construct(
    p: &Portfolio,
    score: &[f64],
    sectors: &[usize],
    covariance: impl FnOnce(&[usize]) -> Result<DMatrix<f64>, String>,
    prev: &[f64],
) -> Result<Vec<f64>, String> {
    match p.construction {
        Construction::Rank => Ok(rank_weights(p, score, sectors)),
        Construction::MeanVariance => mean_variance_weights(p, score, sectors, covariance, prev),
    }
}

fn rank_weights(p: &Portfolio, score: &[f64], sectors: &[usize]) -> Vec<f64> {
    let n = score.len();
    let valid: Vec<usize> = (0..n).filter(|&a| score[a].is_finite()).collect();
    let mut w = vec![0.0; n];
    if valid.len() < 2 {
        return w;
    }
    let mean = valid.iter().map(|&a| score[a]).sum::<f64>() / valid.len() as f64;
    for &a in &valid {
        let x = score[a] - mean;
        w[a] = match p.style {
            Style::DollarNeutral => x,
            Style::LongOnly => x.max(0.0),
        };
    }
    let gross: f64 = w.iter().map(|v| v.abs()).sum();
    if gross > 0.0 {
        w.iter_mut().for_each(|v| *v *= p.gross_leverage / gross);
    }
    w.iter_mut()
        .for_each(|v| *v = v.clamp(-p.max_position, p.max_position));
    if let Some(cap) = p.sector_cap {
        cap_sectors(&mut w, sectors, cap * p.gross_leverage);
    }
    w
}

/// Scale down every sector whose gross exposure exceeds `cap`.
pub fn cap_sectors(w: &mut [f64], sectors: &[usize], cap: f64) {
    let k = sectors.iter().max().map_or(0, |m| m + 1);
    let mut gross = vec![0.0; k];
    for (v, &s) in w.iter().zip(sectors) {
        gross[s] += v.abs();
    }
    for (v, &s) in w.iter_mut().zip(sectors) {
        if gross[s] > cap {
            *v *= cap / gross[s];
        }
    }
}

fn mean_variance_weights(
    p: &Portfolio,
    score: &[f64],
    sectors: &[usize],
    covariance: impl FnOnce(&[usize]) -> Result<DMatrix<f64>, String>,
    prev: &[f64],
) -> Result<Vec<f64>, String> {
    let n = score.len();
    let valid: Vec<usize> = (0..n).filter(|&a| score[a].is_finite()).collect();
    let m = valid.len();
    if m < 2 {
        return Ok(vec![0.0; n]);
    }
    let mean = valid.iter().map(|&a| score[a]).sum::<f64>() / m as f64;
    let sd = (valid
        .iter()
        .map(|&a| (score[a] - mean).powi(2))
        .sum::<f64>()
        / m as f64)
        .sqrt();
    let mu: Vec<f64> = valid
        .iter()
        .map(|&a| {
            if sd > 0.0 {
                0.001 * (score[a] - mean) / sd
            } else {
                0.0
            }
        })
        .collect();
    let cov = covariance(&valid)?;
    let prev_v: Vec<f64> = valid.iter().map(|&a| prev[a]).collect();
    let sec: Vec<usize> = valid.iter().map(|&a| sectors[a]).collect();
    let (budget, long_only) = match p.style {
        Style::LongOnly => (p.gross_leverage.min(1.0), true),
        Style::DollarNeutral => (0.0, false),
    };
    let sol = MeanVariance {
        mu: &mu,
        cov: &cov,
        risk_aversion: p.risk_aversion,
        turnover_penalty: 0.0,
        w_prev: Some(&prev_v),
        constraints: Constraints {
            budget: Some(budget),
            long_only,
            max_position: Some(p.max_position),
            gross_leverage: Some(p.gross_leverage),
            sectors: p.sector_cap.map(|c| (sec, c * p.gross_leverage)),
            turnover_limit: p.turnover_limit,
        },
    }
    .solve()
    .map_err(|e| e.to_string())?;
    let mut w = vec![0.0; n];
    for (j, &a) in valid.iter().enumerate() {
        w[a] = sol.w[j];
    }
    Ok(w)
}
