//! The board of one run: every asset scored once ([`Board::compute`], one asset's forecasts in
//! memory at a time), then ranked any way the user asks ([`Board::leaderboard`]).

use std::collections::BTreeMap;

use af_eval::rank;
use af_registry::Registry;

use crate::ensemble::Ensemble;
use crate::error::{BoardError, Result};
use crate::leaderboard::{Acc, Group, Leaderboard, RankedRow, Selection, VarSummary};
use crate::load::{AssetData, RunIndex};
use crate::metric::{GroupBy, Metric};
use crate::score::{score_asset, AssetScores, ScoreRow, VarScore};

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
