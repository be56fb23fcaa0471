//! Writes: runs, specs and batches of finished tasks, each batch in one transaction.

use std::collections::HashSet;

use rusqlite::{params, OptionalExtension};

use crate::records::{NewRun, RunStatus, SpecRow, TaskKey, TaskRecord};
use crate::{Registry, Result};

impl Registry {
    /// Register a new run with status `running`; returns its id.
    pub fn create_run(&mut self, run: &NewRun) -> Result<i64> {
        self.conn
            .execute(
                "INSERT INTO runs (name, experiment_hash, spec_json, code_version, seed,
                    shard_index, shard_count, n_tasks, status, started)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'running', ?9)",
                params![
                    run.name,
                    run.experiment_hash,
                    run.spec_json,
                    run.code_version,
                    run.seed as i64,
                    run.shard_index,
                    run.shard_count,
                    run.n_tasks as i64,
                    run.started
                ],
            )
            .map_err(self.err("inserting the run"))?;
        Ok(self.conn.last_insert_rowid())
    }

    /// The newest run of this experiment and shard that is not finished, if any.
    pub fn find_unfinished_run(
        &self,
        experiment_hash: &str,
        shard_index: u32,
        shard_count: u32,
    ) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id FROM runs WHERE experiment_hash = ?1 AND shard_index = ?2
                   AND shard_count = ?3 AND status <> 'finished' ORDER BY id DESC LIMIT 1",
                params![experiment_hash, shard_index, shard_count],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err("looking for an unfinished run"))
    }

    /// Mark a run `running` again (resume).
    pub fn reopen_run(&mut self, run_id: i64) -> Result<()> {
        self.conn
            .execute(
                "UPDATE runs SET status = 'running', finished = NULL WHERE id = ?1",
                [run_id],
            )
            .map_err(self.err("reopening the run"))?;
        Ok(())
    }

    /// Set a run's status, add `elapsed_s` seconds to its time and stamp `finished` when finished.
    pub fn close_run(
        &mut self,
        run_id: i64,
        status: RunStatus,
        finished: Option<&str>,
        elapsed_s: f64,
    ) -> Result<()> {
        self.conn
            .execute(
                "UPDATE runs SET status = ?2, finished = ?3, elapsed_s = elapsed_s + ?4 WHERE id = ?1",
                params![run_id, status.as_str(), finished, elapsed_s],
            )
            .map_err(self.err("closing the run"))?;
        Ok(())
    }

    /// Insert model specs (existing hashes are kept).
    pub fn upsert_specs(&mut self, specs: &[SpecRow]) -> Result<()> {
        let e = self.err("writing specs");
        let tx = self.conn.transaction().map_err(&e)?;
        {
            let mut st = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO specs (spec_hash, family, label, spec_json) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&e)?;
            for s in specs {
                st.execute(params![s.spec_hash, s.family, s.label, s.spec_json])
                    .map_err(&e)?;
            }
        }
        tx.commit().map_err(&e)
    }

    /// Store finished tasks in one transaction: either every row of every task lands, or none.
    pub fn write_tasks(&mut self, run_id: i64, tasks: &[TaskRecord]) -> Result<()> {
        let e = self.err("writing finished tasks");
        let tx = self.conn.transaction().map_err(&e)?;
        {
            let mut model = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO models (run_id, asset, spec_hash, window_index, train_start,
                        train_end, nobs, status, failure_kind, error, params_json, loglik, aic, bic, converged, warnings, fit_us)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                )
                .map_err(&e)?;
            let mut fc = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO forecasts (run_id, asset, spec_hash, date, horizon,
                        window_index, forecast, realized) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&e)?;
            let mut var = tx
                .prepare_cached(
                    "INSERT OR REPLACE INTO var_forecasts (run_id, asset, spec_hash, date, level,
                        window_index, value_at_risk, realized_return) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&e)?;
            for t in tasks {
                let m = &t.model;
                let k = &m.key;
                model
                    .execute(params![
                        run_id,
                        k.asset,
                        k.spec_hash,
                        k.window,
                        m.train_start,
                        m.train_end,
                        m.nobs as i64,
                        if m.failure.is_some() { "failed" } else { "ok" },
                        m.failure.as_ref().map(|f| f.kind.as_str()),
                        m.failure.as_ref().map(|f| f.message.as_str()),
                        m.params_json,
                        m.loglik,
                        m.aic,
                        m.bic,
                        m.converged,
                        m.warnings,
                        m.fit_us as i64
                    ])
                    .map_err(&e)?;
                for f in &t.forecasts {
                    fc.execute(params![
                        run_id,
                        k.asset,
                        k.spec_hash,
                        f.date,
                        f.horizon,
                        f.window,
                        f.forecast,
                        f.realized
                    ])
                    .map_err(&e)?;
                }
                for v in &t.var {
                    var.execute(params![
                        run_id,
                        k.asset,
                        k.spec_hash,
                        v.date,
                        v.level,
                        v.window,
                        v.value_at_risk,
                        v.realized_return
                    ])
                    .map_err(&e)?;
                }
            }
        }
        tx.commit().map_err(&e)
    }

    /// The tasks of a run already in the registry (resume skips them).
    pub fn done_tasks(&self, run_id: i64) -> Result<HashSet<TaskKey>> {
        let e = self.err("reading finished tasks");
        let mut st = self
            .conn
            .prepare("SELECT asset, spec_hash, window_index FROM models WHERE run_id = ?1")
            .map_err(&e)?;
        let rows = st
            .query_map([run_id], |r| {
                Ok(TaskKey {
                    asset: r.get(0)?,
                    spec_hash: r.get(1)?,
                    window: r.get(2)?,
                })
            })
            .map_err(&e)?;
        rows.collect::<rusqlite::Result<HashSet<_>>>().map_err(&e)
    }
}
