//! The ranked leaderboard of a run: its rows, groups, VaR summary and selection counts, as
//! JSON (serde) or a terminal table (`Display`).

use std::fmt;

use serde::Serialize;

use crate::ensemble::Ensemble;
use crate::metric::{GroupBy, Metric};
use crate::score::ScoreRow;

/// Sums behind one ranked row.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Acc {
    pub(crate) rows: usize,
    n: usize,
    sums: [(f64, usize); 7],
}

impl Acc {
    pub(crate) fn add(&mut self, r: &ScoreRow) {
        self.rows += 1;
        self.n += r.n;
        for (slot, v) in
            self.sums
                .iter_mut()
                .zip([r.mse, r.mae, r.qlike, r.mz_r2, r.correlation, r.aic, r.bic])
        {
            if let Some(v) = v {
                slot.0 += v;
                slot.1 += 1;
            }
        }
    }

    pub(crate) fn finish(&self, model: &str, ensemble: bool, wins: Option<usize>) -> RankedRow {
        let m = |i: usize| {
            let (s, k) = self.sums[i];
            (k > 0).then(|| s / k as f64)
        };
        RankedRow {
            rank: None,
            model: model.to_string(),
            ensemble,
            scores: self.rows,
            pairs: self.n,
            mse: m(0),
            mae: m(1),
            qlike: m(2),
            mz_r2: m(3),
            correlation: m(4),
            aic: m(5),
            bic: m(6),
            wins,
        }
    }
}

/// One ranked model of a group: means over the group's (asset, horizon) scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedRow {
    /// Rank (1 = best); `None` when the model has no value of the metric.
    pub rank: Option<usize>,
    /// Model name.
    pub model: String,
    /// True for an ensemble.
    pub ensemble: bool,
    /// (asset, horizon) scores averaged.
    pub scores: usize,
    /// Forecast/realized pairs behind them.
    pub pairs: usize,
    /// Mean MSE.
    pub mse: Option<f64>,
    /// Mean MAE.
    pub mae: Option<f64>,
    /// Mean QLIKE.
    pub qlike: Option<f64>,
    /// Mean Mincer–Zarnowitz R².
    pub mz_r2: Option<f64>,
    /// Mean correlation.
    pub correlation: Option<f64>,
    /// Mean AIC.
    pub aic: Option<f64>,
    /// Mean BIC.
    pub bic: Option<f64>,
    /// Wins of this variant over the whole run (see [`Board::wins`]); `None` for ensembles.
    pub wins: Option<usize>,
}

impl RankedRow {
    pub(crate) fn metric(&self, m: Metric) -> Option<f64> {
        match m {
            Metric::Qlike => self.qlike,
            Metric::Mse => self.mse,
            Metric::Mae => self.mae,
            Metric::MzR2 => self.mz_r2,
            Metric::Aic => self.aic,
            Metric::Bic => self.bic,
        }
    }
}

/// One ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Group {
    /// What the group is (`horizon 5`, an asset, or `all assets and horizons`).
    pub key: String,
    /// The best model of the group.
    pub winner: Option<String>,
    /// Ranked rows, best first.
    pub rows: Vec<RankedRow>,
}

/// VaR backtests of one variant at one level, over the assets.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct VarSummary {
    /// Variant label.
    pub model: String,
    /// Tail probability.
    pub level: f64,
    /// Assets backtested.
    pub assets: usize,
    /// Days backtested over all assets.
    pub days: usize,
    /// Breaches over all assets.
    pub breaches: usize,
    /// Pooled breach rate (to compare with `level`).
    pub breach_rate: f64,
    /// Assets whose Kupiec UC test rejects at 5%.
    pub reject_uc: usize,
    /// Assets whose Christoffersen IND test rejects at 5%.
    pub reject_ind: usize,
    /// Assets whose Christoffersen CC test rejects at 5%.
    pub reject_cc: usize,
}

/// How often each variant is selected.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Selection {
    /// Variant label.
    pub model: String,
    /// (asset, window) fits where it had the lowest AIC.
    pub aic_wins: usize,
    /// (asset, window) fits where it had the lowest BIC.
    pub bic_wins: usize,
    /// (asset, horizon) pairs where it had the lowest out-of-sample QLIKE among the variants.
    pub qlike_wins: usize,
    /// Mean weight in the AIC ensemble.
    pub mean_aic_weight: f64,
}

/// A ranked leaderboard of one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leaderboard {
    /// Run id.
    pub run_id: i64,
    /// Experiment name.
    pub run_name: String,
    /// Ranking metric.
    pub metric: Metric,
    /// Grouping.
    pub by: GroupBy,
    /// Assets in the run.
    pub assets: usize,
    /// Variants in the run.
    pub specs: usize,
    /// Horizons scored.
    pub horizons: Vec<u32>,
    /// The rankings.
    pub groups: Vec<Group>,
    /// VaR backtest summary.
    pub var: Vec<VarSummary>,
    /// Selection by AIC / BIC / out-of-sample loss.
    pub selection: Vec<Selection>,
}

fn cell(x: Option<f64>, w: usize) -> String {
    match x {
        Some(v) if v.abs() >= 1e5 || (v != 0.0 && v.abs() < 1e-3) => format!("{v:>w$.3e}"),
        Some(v) => format!("{v:>w$.4}"),
        None => format!("{:>w$}", "-"),
    }
}

impl fmt::Display for Leaderboard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let order = if self.metric.higher_is_better() {
            "higher"
        } else {
            "lower"
        };
        let hs: Vec<String> = self.horizons.iter().map(u32::to_string).collect();
        writeln!(
            f,
            "run {} `{}`: {} assets × {} variants + {} ensembles, horizons [{}]; ranked by {} ({order} is better)",
            self.run_id, self.run_name, self.assets, self.specs, Ensemble::ALL.len(), hs.join(","), self.metric.name()
        )?;
        for g in &self.groups {
            writeln!(
                f,
                "\n== {} — winner: {}",
                g.key,
                g.winner.as_deref().unwrap_or("-")
            )?;
            writeln!(
                f,
                "{:>4}  {:<34} {:>10} {:>10} {:>10} {:>8} {:>8} {:>10} {:>6}",
                "rank", "model", "qlike", "mse", "mae", "mz_r2", "corr", "aic", "wins"
            )?;
            for r in &g.rows {
                writeln!(
                    f,
                    "{:>4}  {:<34} {} {} {} {} {} {} {:>6}",
                    r.rank.map_or("-".into(), |x| x.to_string()),
                    r.model,
                    cell(r.qlike, 10),
                    cell(r.mse, 10),
                    cell(r.mae, 10),
                    cell(r.mz_r2, 8),
                    cell(r.correlation, 8),
                    cell(r.aic, 10),
                    r.wins.map_or("-".into(), |x| x.to_string())
                )?;
            }
        }
        writeln!(f, "\n== VaR backtests (assets rejecting at 5%)")?;
        writeln!(
            f,
            "{:<34} {:>6} {:>8} {:>7} {:>7} {:>7} {:>7}",
            "model", "level", "breach%", "assets", "UC", "IND", "CC"
        )?;
        for v in &self.var {
            writeln!(
                f,
                "{:<34} {:>5.0}% {:>7.2}% {:>7} {:>7} {:>7} {:>7}",
                v.model,
                v.level * 100.0,
                v.breach_rate * 100.0,
                v.assets,
                v.reject_uc,
                v.reject_ind,
                v.reject_cc
            )?;
        }
        writeln!(
            f,
            "\n== selection (wins: AIC and BIC per refit window, QLIKE per asset × horizon)"
        )?;
        writeln!(
            f,
            "{:<34} {:>8} {:>8} {:>10} {:>11}",
            "model", "AIC", "BIC", "QLIKE", "AIC weight"
        )?;
        for s in &self.selection {
            writeln!(
                f,
                "{:<34} {:>8} {:>8} {:>10} {:>11.3}",
                s.model, s.aic_wins, s.bic_wins, s.qlike_wins, s.mean_aic_weight
            )?;
        }
        Ok(())
    }
}
