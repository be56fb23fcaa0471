//! Read side: runs, models, forecasts and failures, for `runs` / `show`, leaderboards and reports.
//! Every listing is ordered by its key so output is deterministic.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::records::{
    Failure, ForecastRow, ModelRow, NewRun, RunCounts, RunRow, RunStatus, TaskKey, VarRow,
};
use crate::{Registry, RegistryError, Result};

/// How many tasks failed for one reason kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureCount {
    /// Failure kind.
    pub kind: String,
    /// Number of failed tasks.
    pub count: u64,
    /// One example reason.
    pub example: String,
}

const RUN_COLUMNS: &str = "id, name, experiment_hash, spec_json, code_version, seed, shard_index,
    shard_count, n_tasks, status, started, finished, elapsed_s";

fn run_row(r: &Row<'_>) -> rusqlite::Result<RunRow> {
    let status: String = r.get(9)?;
    Ok(RunRow {
        id: r.get(0)?,
        run: NewRun {
            name: r.get(1)?,
            experiment_hash: r.get(2)?,
            spec_json: r.get(3)?,
            code_version: r.get(4)?,
            seed: r.get::<_, i64>(5)? as u64,
            shard_index: r.get(6)?,
            shard_count: r.get(7)?,
            n_tasks: r.get::<_, i64>(8)? as u64,
            started: r.get(10)?,
        },
        status: RunStatus::parse(&status),
        finished: r.get(11)?,
        elapsed_s: r.get(12)?,
    })
}

const MODEL_COLUMNS: &str = "asset, spec_hash, window_index, train_start, train_end, nobs,
    failure_kind, error, params_json, loglik, aic, bic, converged, warnings, fit_us";

fn model_row(r: &Row<'_>) -> rusqlite::Result<ModelRow> {
    let kind: Option<String> = r.get(6)?;
    let message: Option<String> = r.get(7)?;
    Ok(ModelRow {
        key: TaskKey {
            asset: r.get(0)?,
            spec_hash: r.get(1)?,
            window: r.get(2)?,
        },
        train_start: r.get(3)?,
        train_end: r.get(4)?,
        nobs: r.get::<_, i64>(5)? as u64,
        failure: kind.map(|kind| Failure {
            kind,
            message: message.unwrap_or_default(),
        }),
        params_json: r.get(8)?,
        loglik: r.get(9)?,
        aic: r.get(10)?,
        bic: r.get(11)?,
        converged: r.get(12)?,
        warnings: r.get(13)?,
        fit_us: r.get::<_, i64>(14)? as u64,
    })
}

impl Registry {
    /// Every run, oldest first.
    pub fn runs(&self) -> Result<Vec<RunRow>> {
        let e = self.err("listing runs");
        let mut st = self
            .conn
            .prepare(&format!("SELECT {RUN_COLUMNS} FROM runs ORDER BY id"))
            .map_err(&e)?;
        let rows = st.query_map([], run_row).map_err(&e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&e)
    }

    /// One run; an error naming the id when it does not exist.
    pub fn run(&self, run_id: i64) -> Result<RunRow> {
        self.conn
            .query_row(
                &format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?1"),
                [run_id],
                run_row,
            )
            .optional()
            .map_err(self.err("reading the run"))?
            .ok_or_else(|| RegistryError::NoSuchRun {
                path: self.path.clone(),
                id: run_id,
            })
    }

    /// Ok / failed task counts and the number of forecast rows of a run.
    pub fn counts(&self, run_id: i64) -> Result<RunCounts> {
        let e = self.err("counting tasks");
        let (ok, failed): (i64, i64) = self
            .conn
            .query_row(
                "SELECT COALESCE(SUM(status = 'ok'), 0), COALESCE(SUM(status = 'failed'), 0)
                 FROM models WHERE run_id = ?1",
                [run_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(&e)?;
        let forecasts: i64 = self
            .conn
            .query_row(
                "SELECT COUNT(*) FROM forecasts WHERE run_id = ?1",
                [run_id],
                |r| r.get(0),
            )
            .map_err(&e)?;
        Ok(RunCounts {
            ok: ok as u64,
            failed: failed as u64,
            forecasts: forecasts as u64,
        })
    }

    /// Every model row of a run (ok and failed), ordered by asset, spec hash, window.
    pub fn models(&self, run_id: i64) -> Result<Vec<ModelRow>> {
        self.models_where(run_id, "")
    }

    /// The failed model rows of a run with their reasons.
    pub fn failures(&self, run_id: i64) -> Result<Vec<ModelRow>> {
        self.models_where(run_id, "AND status = 'failed'")
    }

    fn models_where(&self, run_id: i64, filter: &str) -> Result<Vec<ModelRow>> {
        let e = self.err("reading models");
        let sql = format!(
            "SELECT {MODEL_COLUMNS} FROM models WHERE run_id = ?1 {filter}
             ORDER BY asset, spec_hash, window_index"
        );
        let mut st = self.conn.prepare(&sql).map_err(&e)?;
        let rows = st.query_map([run_id], model_row).map_err(&e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&e)
    }

    /// Failed tasks grouped by kind, most frequent first, with one example reason each.
    pub fn failure_breakdown(&self, run_id: i64) -> Result<Vec<FailureCount>> {
        let e = self.err("grouping failures");
        let mut st = self
            .conn
            .prepare(
                "SELECT failure_kind, COUNT(*), MIN(error) FROM models
                 WHERE run_id = ?1 AND status = 'failed'
                 GROUP BY failure_kind ORDER BY COUNT(*) DESC, failure_kind",
            )
            .map_err(&e)?;
        let rows = st
            .query_map([run_id], |r| {
                Ok(FailureCount {
                    kind: r.get::<_, Option<String>>(0)?.unwrap_or_default(),
                    count: r.get::<_, i64>(1)? as u64,
                    example: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                })
            })
            .map_err(&e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&e)
    }

    /// The spec JSON of a spec hash, if registered.
    pub fn spec_json(&self, spec_hash: &str) -> Result<Option<String>> {
        self.conn
            .query_row(
                "SELECT spec_json FROM specs WHERE spec_hash = ?1",
                [spec_hash],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err("reading a spec"))
    }

    /// Variance forecasts of one asset and spec in a run, ordered by date and horizon.
    pub fn forecasts(&self, run_id: i64, asset: &str, spec_hash: &str) -> Result<Vec<ForecastRow>> {
        let e = self.err("reading forecasts");
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT date, horizon, window_index, forecast, realized FROM forecasts
                 WHERE run_id = ?1 AND asset = ?2 AND spec_hash = ?3 ORDER BY date, horizon",
            )
            .map_err(&e)?;
        let rows = st
            .query_map(params![run_id, asset, spec_hash], |r| {
                Ok(ForecastRow {
                    date: r.get(0)?,
                    horizon: r.get(1)?,
                    window: r.get(2)?,
                    forecast: r.get(3)?,
                    realized: r.get(4)?,
                })
            })
            .map_err(&e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&e)
    }

    /// VaR forecasts of one asset and spec in a run, ordered by date and level.
    pub fn var_forecasts(&self, run_id: i64, asset: &str, spec_hash: &str) -> Result<Vec<VarRow>> {
        let e = self.err("reading VaR forecasts");
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT date, level, window_index, value_at_risk, realized_return FROM var_forecasts
                 WHERE run_id = ?1 AND asset = ?2 AND spec_hash = ?3 ORDER BY date, level",
            )
            .map_err(&e)?;
        let rows = st
            .query_map(params![run_id, asset, spec_hash], |r| {
                Ok(VarRow {
                    date: r.get(0)?,
                    level: r.get(1)?,
                    window: r.get(2)?,
                    value_at_risk: r.get(3)?,
                    realized_return: r.get(4)?,
                })
            })
            .map_err(&e)?;
        rows.collect::<rusqlite::Result<Vec<_>>>().map_err(&e)
    }

    /// Every row of a run as text lines, timings left out (`started`, `finished`, `elapsed_s`,
    /// `fit_us`), ordered by key: two runs with equal lines have equal content. Floats are
    /// written with their exact bits.
    pub fn content_lines(&self, run_id: i64) -> Result<Vec<String>> {
        let e = self.err("dumping run content");
        let run = self.run(run_id)?;
        let mut out = vec![format!(
            "run|{}|{}|{}|{}|{}|{}|{}|{}",
            run.run.name,
            run.run.experiment_hash,
            run.run.spec_json,
            run.run.code_version,
            run.run.seed,
            run.run.n_tasks,
            run.status.as_str(),
            run.run.shard_count
        )];
        for m in self.models(run_id)? {
            let bits = |x: Option<f64>| x.map(|v| format!("{:x}", v.to_bits()));
            out.push(format!(
                "model|{}|{}|{}|{:?}|{:?}|{}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}|{:?}",
                m.key.asset,
                m.key.spec_hash,
                m.key.window,
                m.train_start,
                m.train_end,
                m.nobs,
                m.failure,
                m.params_json,
                bits(m.loglik),
                bits(m.aic),
                bits(m.bic),
                m.converged,
                m.warnings
            ));
        }
        for (table, cols) in [
            (
                "forecasts",
                "asset, spec_hash, date, horizon, window_index, forecast, realized",
            ),
            (
                "var_forecasts",
                "asset, spec_hash, date, level, window_index, value_at_risk, realized_return",
            ),
        ] {
            let sql = format!(
                "SELECT {cols} FROM {table} WHERE run_id = ?1 ORDER BY asset, spec_hash, date, 4"
            );
            let mut st = self.conn.prepare(&sql).map_err(&e)?;
            let rows = st
                .query_map([run_id], |r| {
                    let f = |i: usize| -> rusqlite::Result<String> {
                        Ok(match r.get_ref(i)? {
                            rusqlite::types::ValueRef::Real(v) => format!("{:x}", v.to_bits()),
                            rusqlite::types::ValueRef::Integer(v) => v.to_string(),
                            rusqlite::types::ValueRef::Text(t) => {
                                String::from_utf8_lossy(t).into_owned()
                            }
                            _ => "null".to_string(),
                        })
                    };
                    Ok(format!(
                        "{table}|{}|{}|{}|{}|{}|{}|{}",
                        f(0)?,
                        f(1)?,
                        f(2)?,
                        f(3)?,
                        f(4)?,
                        f(5)?,
                        f(6)?
                    ))
                })
                .map_err(&e)?;
            for line in rows {
                out.push(line.map_err(&e)?);
            }
        }
        Ok(out)
    }
}
