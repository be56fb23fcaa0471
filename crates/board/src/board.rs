//! The board of one run: every asset scored once ([`Board::compute`], one asset's forecasts in
//! memory at a time), then ranked any way the user asks ([`Board::leaderboard`]).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use af_eval::rank;
use af_registry::Registry;
use serde::Serialize;

use crate::ensemble::Ensemble;
use crate::error::{BoardError, Result};
use crate::load::{AssetData, RunIndex};
use crate::score::{score_asset, AssetScores, ScoreRow, VarScore};

/// The score a leaderboard ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Patton's QLIKE (robust to noise in the realized variance; the default).
    Qlike,
    /// Mean squared error.
    Mse,
    /// Mean absolute error.
    Mae,
    /// Mincer–Zarnowitz R² (higher is better).
    MzR2,
    /// Mean AIC of the fits (variants only).
    Aic,
    /// Mean BIC of the fits (variants only).
    Bic,
}

impl Metric {
    /// True when a larger value ranks first.
    pub fn higher_is_better(self) -> bool {
        self == Metric::MzR2
    }

    /// This metric's value in a row.
    pub fn of(self, r: &ScoreRow) -> Option<f64> {
        match self {
            Metric::Qlike => r.qlike,
            Metric::Mse => r.mse,
            Metric::Mae => r.mae,
            Metric::MzR2 => r.mz_r2,
            Metric::Aic => r.aic,
            Metric::Bic => r.bic,
        }
    }

    /// The name users type.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Qlike => "qlike",
            Metric::Mse => "mse",
            Metric::Mae => "mae",
            Metric::MzR2 => "mz_r2",
            Metric::Aic => "aic",
            Metric::Bic => "bic",
        }
    }
}

impl FromStr for Metric {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "qlike" => Metric::Qlike,
            "mse" => Metric::Mse,
            "mae" => Metric::Mae,
            "mz_r2" | "mz-r2" | "r2" => Metric::MzR2,
            "aic" => Metric::Aic,
            "bic" => Metric::Bic,
            _ => {
                return Err(format!(
                    "unknown metric `{s}`: expected qlike, mse, mae, mz_r2, aic or bic"
                ))
            }
        })
    }
}

/// How leaderboard rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// One ranking per asset (means over horizons).
    Asset,
    /// One ranking of the model families over every asset and horizon.
    Family,
    /// One ranking per horizon (means over assets).
    Horizon,
}

impl FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s.to_ascii_lowercase().as_str() {
            "asset" => GroupBy::Asset,
            "family" | "model" => GroupBy::Family,
            "horizon" => GroupBy::Horizon,
            _ => {
                return Err(format!(
                    "unknown grouping `{s}`: expected asset, family or horizon"
                ))
            }
        })
    }
}

/// All scores of a run.
#[derive(Debug, Clone)]
pub struct Board {
    /// Run, specs, assets and fits.
    pub index: RunIndex,
    /// Scores of every asset × model × horizon.
    pub rows: Vec<ScoreRow>,
    /// VaR backtests of every asset × variant × level.
    pub var: Vec<VarScore>,
    /// Sum over assets of each spec's mean AIC weight.
    pub aic_weight_sum: Vec<f64>,
    /// Refit windows won by AIC, per spec.
    pub aic_wins: Vec<usize>,
    /// Refit windows won by BIC, per spec.
    pub bic_wins: Vec<usize>,
    /// Full data and scores of the assets asked for in detail (reports).
    pub details: Vec<(AssetData, AssetScores)>,
}

impl Board {
    /// Score every asset of run `run_id`; keep full series for `detail_assets`.
    pub fn compute(reg: &Registry, run_id: i64, detail_assets: &[String]) -> Result<Board> {
        let index = RunIndex::open(reg, run_id)?;
        for a in detail_assets {
            if !index.assets.contains(a) {
                return Err(BoardError::UnknownAsset {
                    asset: a.clone(),
                    run_id,
                    known: index
                        .assets
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
        let ns = index.specs.len();
        let mut board = Board {
            rows: Vec::new(),
            var: Vec::new(),
            aic_weight_sum: vec![0.0; ns],
            aic_wins: vec![0; ns],
            bic_wins: vec![0; ns],
            details: Vec::new(),
            index,
        };
        for a in 0..board.index.assets.len() {
            let data = board.index.asset(reg, a)?;
            let keep = detail_assets.contains(&data.asset);
            let mut s = score_asset(&board.index, &data, a, keep);
            for i in 0..ns {
                board.aic_weight_sum[i] += s.aic_weights[i];
                board.aic_wins[i] += s.aic_wins[i];
                board.bic_wins[i] += s.bic_wins[i];
            }
            board.rows.append(&mut s.rows);
            board.var.append(&mut s.var);
            if keep {
                board.details.push((data, s));
            }
        }
        Ok(board)
    }

    /// Model names: spec labels, then ensembles.
    pub fn models(&self) -> Vec<String> {
        let mut m: Vec<String> = self.index.specs.iter().map(|s| s.label.clone()).collect();
        m.extend(Ensemble::ALL.iter().map(|e| e.name().to_string()));
        m
    }

    /// Wins per model under `metric`: variants only; per (asset, horizon) the best loss for
    /// out-of-sample metrics, per (asset, window) the lowest criterion for AIC / BIC.
    pub fn wins(&self, metric: Metric) -> BTreeMap<String, usize> {
        let mut wins: BTreeMap<String, usize> = BTreeMap::new();
        match metric {
            Metric::Aic | Metric::Bic => {
                let src = if metric == Metric::Aic {
                    &self.aic_wins
                } else {
                    &self.bic_wins
                };
                for (s, &w) in self.index.specs.iter().zip(src) {
                    wins.insert(s.label.clone(), w);
                }
            }
            _ => {
                let mut best: BTreeMap<(&str, u32), (&str, f64)> = BTreeMap::new();
                let sign = if metric.higher_is_better() { -1.0 } else { 1.0 };
                for r in self.rows.iter().filter(|r| !r.ensemble) {
                    let Some(v) = metric.of(r) else { continue };
                    let e = best
                        .entry((&r.asset, r.horizon))
                        .or_insert((&r.model, sign * v));
                    if sign * v < e.1 {
                        *e = (&r.model, sign * v);
                    }
                }
                for s in &self.index.specs {
                    wins.insert(s.label.clone(), 0);
                }
                for (model, _) in best.values() {
                    *wins.entry(model.to_string()).or_default() += 1;
                }
            }
        }
        wins
    }

    /// Rank the models, grouped by `by`, under `metric`; `top` keeps the best N per group.
    pub fn leaderboard(&self, by: GroupBy, metric: Metric, top: Option<usize>) -> Leaderboard {
        let models = self.models();
        let model_ix: BTreeMap<&str, usize> = models
            .iter()
            .enumerate()
            .map(|(i, m)| (m.as_str(), i))
            .collect();
        let wins = self.wins(metric);
        let mut groups: BTreeMap<(u64, String), Vec<Acc>> = BTreeMap::new();
        for r in &self.rows {
            let key = match by {
                GroupBy::Family => (0, "all assets and horizons".to_string()),
                GroupBy::Horizon => (u64::from(r.horizon), format!("horizon {}", r.horizon)),
                GroupBy::Asset => (0, r.asset.clone()),
            };
            let accs = groups
                .entry(key)
                .or_insert_with(|| vec![Acc::default(); models.len()]);
            if let Some(&i) = model_ix.get(r.model.as_str()) {
                accs[i].add(r);
            }
        }
        let groups = groups
            .into_iter()
            .map(|((_, key), accs)| {
                let rows: Vec<RankedRow> = accs
                    .iter()
                    .enumerate()
                    .filter(|(_, a)| a.rows > 0)
                    .map(|(i, a)| {
                        a.finish(
                            &models[i],
                            i >= self.index.specs.len(),
                            wins.get(&models[i]).copied(),
                        )
                    })
                    .collect();
                let sign = if metric.higher_is_better() { -1.0 } else { 1.0 };
                let scores: Vec<Option<f64>> = rows
                    .iter()
                    .map(|r| r.metric(metric).map(|v| sign * v))
                    .collect();
                let mut ranked: Vec<RankedRow> = Vec::with_capacity(rows.len());
                for (pos, i) in rank(&scores).into_iter().enumerate() {
                    let mut row = rows[i].clone();
                    row.rank = scores[i].map(|_| pos + 1);
                    ranked.push(row);
                }
                let winner = ranked
                    .first()
                    .filter(|r| r.rank.is_some())
                    .map(|r| r.model.clone());
                if let Some(n) = top {
                    ranked.truncate(n);
                }
                Group {
                    key,
                    winner,
                    rows: ranked,
                }
            })
            .collect();
        Leaderboard {
            run_id: self.index.run.id,
            run_name: self.index.run.run.name.clone(),
            metric,
            by,
            assets: self.index.assets.len(),
            specs: self.index.specs.len(),
            horizons: self.horizons(),
            groups,
            var: self.var_summary(),
            selection: self.selection(),
        }
    }

    /// Horizons scored in the run.
    pub fn horizons(&self) -> Vec<u32> {
        let mut h: Vec<u32> = self.rows.iter().map(|r| r.horizon).collect();
        h.sort_unstable();
        h.dedup();
        h
    }

    /// VaR backtests summarized per variant and level over the assets.
    pub fn var_summary(&self) -> Vec<VarSummary> {
        let mut acc: BTreeMap<(usize, u64), VarSummary> = BTreeMap::new();
        let order: BTreeMap<&str, usize> = self
            .index
            .specs
            .iter()
            .enumerate()
            .map(|(i, s)| (s.label.as_str(), i))
            .collect();
        for v in &self.var {
            let key = (
                order.get(v.model.as_str()).copied().unwrap_or(usize::MAX),
                (v.level * 1e6) as u64,
            );
            let e = acc.entry(key).or_insert_with(|| VarSummary {
                model: v.model.clone(),
                level: v.level,
                ..VarSummary::default()
            });
            e.assets += 1;
            e.days += v.n;
            e.breaches += v.breaches;
            e.reject_uc += usize::from(v.p_uc < 0.05);
            e.reject_ind += usize::from(v.p_ind < 0.05);
            e.reject_cc += usize::from(v.p_cc < 0.05);
        }
        acc.into_values()
            .map(|mut s| {
                s.breach_rate = s.breaches as f64 / s.days.max(1) as f64;
                s
            })
            .collect()
    }

    /// Selection counts and mean AIC weights per variant.
    pub fn selection(&self) -> Vec<Selection> {
        let oos = self.wins(Metric::Qlike);
        let n = self.index.assets.len().max(1) as f64;
        self.index
            .specs
            .iter()
            .enumerate()
            .map(|(i, s)| Selection {
                model: s.label.clone(),
                aic_wins: self.aic_wins[i],
                bic_wins: self.bic_wins[i],
                qlike_wins: oos.get(&s.label).copied().unwrap_or(0),
                mean_aic_weight: self.aic_weight_sum[i] / n,
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    rows: usize,
    n: usize,
    sums: [(f64, usize); 7],
}

impl Acc {
    fn add(&mut self, r: &ScoreRow) {
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

    fn finish(&self, model: &str, ensemble: bool, wins: Option<usize>) -> RankedRow {
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
    fn metric(&self, m: Metric) -> Option<f64> {
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
