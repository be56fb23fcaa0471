//! The audit log of a strategy backtest (`alphafactory portfolio backtest`): every kill-switch
//! retirement with its reasons, every promotion of a candidate alpha, and every change of the
//! portfolio's state (active / reducing / halted). The run itself is a row of `runs` (created with
//! [`Registry::create_run`]); its log rows are written in one transaction.

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::{Registry, RegistryError, Result};

/// One retirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetirementRow {
    /// Alpha name.
    pub alpha: String,
    /// Date of the retirement (ISO).
    pub date: String,
    /// Day index in the backtest.
    pub day_index: u32,
    /// Every reason that applied, as a JSON array (`[{"reason": "low_sharpe", "sharpe": 0.1}]`).
    pub reasons_json: String,
    /// The alpha's effective weight in the combination the day before.
    pub weight_before: f64,
    /// Alphas live after the day's retirements.
    pub live_after: u32,
}

/// One promotion of a candidate alpha to live.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromotionRow {
    /// Alpha name.
    pub alpha: String,
    /// First live date (ISO).
    pub date: String,
    /// Day index in the backtest.
    pub day_index: u32,
    /// Its ranking score that day (`None` without a ranking).
    pub score: Option<f64>,
}

/// One change of the portfolio's state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateChangeRow {
    /// Date from which the state holds (ISO).
    pub date: String,
    /// Day index in the backtest.
    pub day_index: u32,
    /// `active`, `reducing` or `halted`.
    pub state: String,
    /// The state before (`None` for the first day).
    pub previous: Option<String>,
    /// Drawdown of the net equity that day (≤ 0).
    pub drawdown: f64,
}

/// Everything a strategy run logs.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StrategyLog {
    /// Retirements.
    pub retirements: Vec<RetirementRow>,
    /// Promotions.
    pub promotions: Vec<PromotionRow>,
    /// State changes.
    pub states: Vec<StateChangeRow>,
}

const STATES: [&str; 3] = ["active", "reducing", "halted"];

impl Registry {
    /// Store a strategy run's log in one transaction (rows already there for the same key are
    /// replaced). A state other than `active`, `reducing`, `halted` is refused before writing.
    pub fn write_strategy_log(&mut self, run_id: i64, log: &StrategyLog) -> Result<()> {
        for s in &log.states {
            if !STATES.contains(&s.state.as_str())
                || s.previous.as_deref().is_some_and(|p| !STATES.contains(&p))
            {
                return Err(RegistryError::InvalidRow {
                    path: self.path.clone(),
                    message: format!(
                        "portfolio state change on {}: `{}` (from {:?}) is not one of active, reducing, halted",
                        s.date, s.state, s.previous
                    ),
                });
            }
        }
        let e = self.err("writing the strategy log");
        let tx = self.conn.transaction().map_err(&e)?;
        {
            let mut ret = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO alpha_retirements (run_id, alpha, date, day_index,
                        reasons_json, weight_before, live_after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )
                .map_err(&e)?;
            for r in &log.retirements {
                ret.execute(params![
                    run_id,
                    r.alpha,
                    r.date,
                    r.day_index,
                    r.reasons_json,
                    r.weight_before,
                    r.live_after
                ])
                .map_err(&e)?;
            }
            let mut pro = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO alpha_promotions (run_id, alpha, date, day_index, score)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(&e)?;
            for p in &log.promotions {
                pro.execute(params![run_id, p.alpha, p.date, p.day_index, p.score])
                    .map_err(&e)?;
            }
            let mut st = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO portfolio_states (run_id, date, day_index, state,
                        previous, drawdown) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(&e)?;
            for s in &log.states {
                st.execute(params![
                    run_id,
                    s.date,
                    s.day_index,
                    s.state,
                    s.previous,
                    s.drawdown
                ])
                .map_err(&e)?;
            }
        }
        tx.commit().map_err(&e)
    }

    /// The retirements of a run, by date then alpha.
    pub fn retirements(&self, run_id: i64) -> Result<Vec<RetirementRow>> {
        let e = self.err("reading retirements");
        let mut st = self
            .conn
            .prepare(
                "SELECT alpha, date, day_index, reasons_json, weight_before, live_after
                 FROM alpha_retirements WHERE run_id = ?1 ORDER BY day_index, alpha",
            )
            .map_err(&e)?;
        let rows = st
            .query_map([run_id], |r| {
                Ok(RetirementRow {
                    alpha: r.get(0)?,
                    date: r.get(1)?,
                    day_index: r.get(2)?,
                    reasons_json: r.get(3)?,
                    weight_before: r.get(4)?,
                    live_after: r.get(5)?,
                })
            })
            .map_err(&e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&e)
    }

    /// The promotions of a run, by date then alpha.
    pub fn promotions(&self, run_id: i64) -> Result<Vec<PromotionRow>> {
        let e = self.err("reading promotions");
        let mut st = self
            .conn
            .prepare(
                "SELECT alpha, date, day_index, score FROM alpha_promotions WHERE run_id = ?1
                 ORDER BY day_index, alpha",
            )
            .map_err(&e)?;
        let rows = st
            .query_map([run_id], |r| {
                Ok(PromotionRow {
                    alpha: r.get(0)?,
                    date: r.get(1)?,
                    day_index: r.get(2)?,
                    score: r.get(3)?,
                })
            })
            .map_err(&e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&e)
    }

    /// The portfolio state changes of a run, by date.
    pub fn state_changes(&self, run_id: i64) -> Result<Vec<StateChangeRow>> {
        let e = self.err("reading portfolio states");
        let mut st = self
            .conn
            .prepare(
                "SELECT date, day_index, state, previous, drawdown FROM portfolio_states
                 WHERE run_id = ?1 ORDER BY day_index",
            )
            .map_err(&e)?;
        let rows = st
            .query_map([run_id], |r| {
                Ok(StateChangeRow {
                    date: r.get(0)?,
                    day_index: r.get(1)?,
                    state: r.get(2)?,
                    previous: r.get(3)?,
                    drawdown: r.get(4)?,
                })
            })
            .map_err(&e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::{NewRun, RunStatus};

    fn new_run() -> NewRun {
        NewRun {
            name: "alpha101-ic-neutral".into(),
            experiment_hash: "abc".into(),
            spec_json: "{}".into(),
            code_version: "test".into(),
            seed: 7,
            shard_index: 0,
            shard_count: 1,
            n_tasks: 3,
            started: "2026-11-22T00:00:00Z".into(),
        }
    }

    #[test]
    fn log_round_trips_and_survives_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.db");
        let log = StrategyLog {
            retirements: vec![
                RetirementRow {
                    alpha: "alpha101_002".into(),
                    date: "2021-02-01".into(),
                    day_index: 290,
                    reasons_json: r#"[{"reason":"low_sharpe","sharpe":-1.2}]"#.into(),
                    weight_before: 0.031,
                    live_after: 19,
                },
                RetirementRow {
                    alpha: "alpha101_001".into(),
                    date: "2021-02-01".into(),
                    day_index: 290,
                    reasons_json: r#"[{"reason":"drawdown","drawdown":-0.2}]"#.into(),
                    weight_before: 0.05,
                    live_after: 19,
                },
            ],
            promotions: vec![PromotionRow {
                alpha: "alpha101_003".into(),
                date: "2021-02-02".into(),
                day_index: 291,
                score: Some(0.012),
            }],
            states: vec![
                StateChangeRow {
                    date: "2021-01-04".into(),
                    day_index: 0,
                    state: "active".into(),
                    previous: None,
                    drawdown: 0.0,
                },
                StateChangeRow {
                    date: "2021-06-01".into(),
                    day_index: 100,
                    state: "reducing".into(),
                    previous: Some("active".into()),
                    drawdown: -0.08,
                },
            ],
        };
        let run_id = {
            let mut r = Registry::open(&p).unwrap();
            let id = r.create_run(&new_run()).unwrap();
            r.write_strategy_log(id, &log).unwrap();
            r.close_run(id, RunStatus::Finished, Some("now"), 1.0)
                .unwrap();
            id
        };
        let r = Registry::open(&p).unwrap();
        let got = r.retirements(run_id).unwrap();
        // ordered by day, then alpha name
        assert_eq!(got[0], log.retirements[1]);
        assert_eq!(got[1], log.retirements[0]);
        assert_eq!(r.promotions(run_id).unwrap(), log.promotions);
        assert_eq!(r.state_changes(run_id).unwrap(), log.states);
        assert!(r.retirements(run_id + 1).unwrap().is_empty());
    }

    #[test]
    fn unknown_state_is_refused_before_writing() {
        let mut r = Registry::open_in_memory().unwrap();
        let id = r.create_run(&new_run()).unwrap();
        let log = StrategyLog {
            states: vec![StateChangeRow {
                date: "2021-01-04".into(),
                day_index: 0,
                state: "paused".into(),
                previous: None,
                drawdown: 0.0,
            }],
            ..StrategyLog::default()
        };
        let e = r.write_strategy_log(id, &log).unwrap_err().to_string();
        assert!(e.contains("2021-01-04") && e.contains("paused"), "{e}");
        assert!(r.state_changes(id).unwrap().is_empty());
    }
}
